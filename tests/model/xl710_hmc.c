/*
 * Intel XL710 model: Host Memory Cache in direct mode only.  Queue
 * contexts live in host memory registered through PFHMC_SD*; the model
 * decodes them (through the PF's DMA identity) when a queue is enabled,
 * and reads them back through PFCM_LANCTX* with the queue's live head.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "xl710.h"

#define R(s, a) ((s)->regs[(a) >> 2])

#define TX_OBJ_SIZE 128
#define RX_OBJ_SIZE 32
#define CTX_HEAD_BITS 13        /* head: bits 12:0 of both context types */

static bool xl710_hmc_read(XL710State *s, uint64_t fpm, void *buf,
                           size_t len)
{
    unsigned sd = fpm / XL_HMC_SD_SIZE;

    if (sd >= XL710_HMC_SDS || !s->hmc_sd_valid[sd]) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: HMC fpm 0x%" PRIx64
                      " has no valid segment descriptor\n", fpm);
        return false;
    }
    return xl710_dma_read(s, XL710_FN_PF,
                          s->hmc_sd[sd] + fpm % XL_HMC_SD_SIZE, buf, len);
}

/* Extract a little-endian bit field from a context image. */
static uint64_t xl710_bits(const uint8_t *ctx, unsigned lsb, unsigned width)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < width; i++) {
        unsigned b = lsb + i;

        if (ctx[b / 8] & (1 << (b % 8))) {
            v |= 1ull << i;
        }
    }
    return v;
}

/* Where queue @q's context starts in the HMC's function private memory. */
static uint64_t xl710_hmc_fpm(XL710State *s, bool tx, int q)
{
    uint32_t base = tx ? R(s, XL_GLHMC_LANTXBASE(0))
                       : R(s, XL_GLHMC_LANRXBASE(0));

    return (uint64_t)(base & XL_GLHMC_BASE_MASK) * 512 +
           (uint64_t)q * (tx ? TX_OBJ_SIZE : RX_OBJ_SIZE);
}

bool xl710_hmc_load_txq(XL710State *s, int q)
{
    uint8_t ctx[TX_OBJ_SIZE];
    uint64_t fpm = xl710_hmc_fpm(s, true, q);
    XL710TxQ *t = &s->txq[q];

    if (!xl710_hmc_read(s, fpm, ctx, sizeof(ctx))) {
        return false;
    }
    t->head = xl710_bits(ctx, 0, 13);
    t->base = xl710_bits(ctx, 32, 57) * 128;
    t->head_wb = xl710_bits(ctx, 160, 1);
    t->qlen = xl710_bits(ctx, 161, 13);
    t->head_wb_addr = xl710_bits(ctx, 192, 64);
    if (t->qlen < 8 || t->head >= t->qlen) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d bad context "
                      "(qlen %u head %u)\n", q, t->qlen, t->head);
        return false;
    }
    return true;
}

bool xl710_hmc_load_rxq(XL710State *s, int q)
{
    uint8_t ctx[RX_OBJ_SIZE];
    uint64_t fpm = xl710_hmc_fpm(s, false, q);
    XL710RxQ *r = &s->rxq[q];

    if (!xl710_hmc_read(s, fpm, ctx, sizeof(ctx))) {
        return false;
    }
    r->head = xl710_bits(ctx, 0, 13);
    r->base = xl710_bits(ctx, 32, 57) * 128;
    r->qlen = xl710_bits(ctx, 89, 13);
    r->dbuff = xl710_bits(ctx, 102, 7) * 128;
    r->dsize32 = xl710_bits(ctx, 116, 1);
    r->crcstrip = xl710_bits(ctx, 117, 1);
    r->rxmax = xl710_bits(ctx, 174, 14);
    if (xl710_bits(ctx, 114, 2) != 0) {
        qemu_log_mask(LOG_UNIMP, "xl710: Rx queue %d header split not "
                      "modelled, using one buffer\n", q);
    }
    if (r->qlen < 8 || r->head >= r->qlen || r->dbuff < 128 ||
        r->rxmax < 64) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Rx queue %d bad context "
                      "(qlen %u head %u dbuff %u rxmax %u)\n", q, r->qlen,
                      r->head, r->dbuff, r->rxmax);
        return false;
    }
    return true;
}

/* ---- LAN queue context read-back (PFCM_LANCTXCTL/DATA/STAT) ---- */

/*
 * Queue @q's context image as the PF wrote it in host memory, with the
 * head the model holds for the queue merged into the head field (bits
 * 12:0 of both context types).  The hardware caches contexts and keeps
 * the head it works with in that cache, so the host copy's head is stale
 * (i40e writes 0 there) once the queue has run; the read-back is how
 * software gets the live Rx head.  The model's head is the queue's own
 * once it has been enabled since the last PF reset (XL710[RT]xQ.live):
 * it moves while the queue runs and stays where it stopped when the
 * queue is disabled (QENA_REQ cleared, QENA_STAT read 0), which is when
 * software reads it.  Before the first enable the host image is returned
 * unchanged.  Unknown on hardware: whether a context rewritten in host
 * memory while the queue is disabled is reread before the next enable
 * (here the merged head is still the last run's until then), and what
 * else of the cached context differs from the host copy (here nothing).
 */
static bool xl710_lanctx_image(XL710State *s, bool tx, int q, uint8_t *ctx,
                               size_t len)
{
    bool live = tx ? s->txq[q].live : s->rxq[q].live;
    uint32_t head = tx ? s->txq[q].head : s->rxq[q].head;
    uint16_t w;

    if (!xl710_hmc_read(s, xl710_hmc_fpm(s, tx, q), ctx, len)) {
        return false;
    }
    if (live) {
        w = lduw_le_p(ctx);
        w = (w & ~((1u << CTX_HEAD_BITS) - 1)) |
            (head & ((1u << CTX_HEAD_BITS) - 1));
        stw_le_p(ctx, w);
    }
    return true;
}

static void xl710_lanctx_miss(XL710State *s, const char *why, uint32_t val)
{
    qemu_log_mask(LOG_GUEST_ERROR, "xl710: PFCM_LANCTXCTL 0x%x: %s "
                  "(CTX_MISS)\n", val, why);
    R(s, XL_PFCM_LANCTXSTAT) = XL_PFCM_LANCTXSTAT_CTX_MISS;
}

/*
 * PFCM_LANCTXCTL written: run one sub-line operation.  Read (OP_CODE 0)
 * copies the 16 bytes of sub-line SUB_LINE of queue QUEUE_NUM's Rx or Tx
 * context into PFCM_LANCTXDATA(0..3), dword i = bytes 4i..4i+3, and sets
 * CTX_DONE; QUEUE_NUM is the PF-relative queue index (the one QTX_ENA and
 * QRX_ENA take; the model's PF queue base is 0).  Completes synchronously:
 * a driver polling CTX_DONE sees it at its first read.  A sub-line or queue
 * out of range, or a queue whose context has no HMC backing, sets CTX_MISS
 * instead.  Both status bits clear at the next CTL write, not on read.
 * Not modelled: the write operation (OP_CODE 1: DATA into the cached
 * context) and the other op codes; they set CTX_MISS and log.
 */
void xl710_lanctx_ctl_write(XL710State *s, uint32_t val)
{
    uint32_t op = (val >> XL_PFCM_LANCTXCTL_OP_CODE_SHIFT) &
                  XL_PFCM_LANCTXCTL_OP_CODE_MASK;
    uint32_t type = (val >> XL_PFCM_LANCTXCTL_QUEUE_TYPE_SHIFT) &
                    XL_PFCM_LANCTXCTL_QUEUE_TYPE_MASK;
    uint32_t sub = (val >> XL_PFCM_LANCTXCTL_SUB_LINE_SHIFT) &
                   XL_PFCM_LANCTXCTL_SUB_LINE_MASK;
    uint32_t q = val & XL_PFCM_LANCTXCTL_QUEUE_NUM_MASK;
    uint8_t ctx[TX_OBJ_SIZE];
    size_t len;
    int i;

    R(s, XL_PFCM_LANCTXCTL) = val;
    R(s, XL_PFCM_LANCTXSTAT) = 0;
    if (op != XL_LANCTX_OP_READ) {
        xl710_lanctx_miss(s, op == XL_LANCTX_OP_WRITE ?
                          "context write not modelled" :
                          "unknown op code", val);
        return;
    }
    if (type != XL_LANCTX_TYPE_RX && type != XL_LANCTX_TYPE_TX) {
        xl710_lanctx_miss(s, "unknown queue type", val);
        return;
    }
    len = type == XL_LANCTX_TYPE_TX ? TX_OBJ_SIZE : RX_OBJ_SIZE;
    if (q >= XL710_NUM_QP) {
        xl710_lanctx_miss(s, "queue out of range", val);
        return;
    }
    if (sub >= len / XL_LANCTX_SUBLINE) {
        xl710_lanctx_miss(s, "sub-line out of range", val);
        return;
    }
    if (!xl710_lanctx_image(s, type == XL_LANCTX_TYPE_TX, q, ctx, len)) {
        xl710_lanctx_miss(s, "no HMC backing for the queue's context", val);
        return;
    }
    for (i = 0; i < 4; i++) {
        R(s, XL_PFCM_LANCTXDATA(i)) =
            ldl_le_p(ctx + sub * XL_LANCTX_SUBLINE + 4 * i);
    }
    R(s, XL_PFCM_LANCTXSTAT) = XL_PFCM_LANCTXSTAT_CTX_DONE;
}
