/*
 * Intel XL710 model: Host Memory Cache in direct mode only.  Queue
 * contexts live in host memory registered through PFHMC_SD*; the model
 * decodes them (through the PF's DMA identity) when a queue is enabled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "xl710.h"

#define TX_OBJ_SIZE 128
#define RX_OBJ_SIZE 32

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

bool xl710_hmc_load_txq(XL710State *s, int q)
{
    uint8_t ctx[TX_OBJ_SIZE];
    uint64_t fpm = (uint64_t)(s->regs[XL_GLHMC_LANTXBASE(0) >> 2] &
                              XL_GLHMC_BASE_MASK) * 512 + q * TX_OBJ_SIZE;
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
    uint64_t fpm = (uint64_t)(s->regs[XL_GLHMC_LANRXBASE(0) >> 2] &
                              XL_GLHMC_BASE_MASK) * 512 + q * RX_OBJ_SIZE;
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
