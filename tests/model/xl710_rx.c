/*
 * Intel XL710 model: LAN receive queues.  One-buffer descriptors of 16 or
 * 32 bytes, frames spread over several buffers (EOF on the last), VLAN
 * tag reported in L2TAG1.  No checksum offload or RSS: PTYPE 0 and no
 * L3L4P, so drivers verify checksums in software; all traffic of a VSI
 * lands on its first queue.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include <zlib.h>
#include "xl710.h"

#define R(s, a) ((s)->regs[(a) >> 2])

static uint32_t xl710_rx_avail(XL710RxQ *r)
{
    return (r->tail + r->qlen - r->head) % r->qlen;
}

/* The VSI's Rx queue (enabled or not), or -1 if it has none. */
static int xl710_vsi_rxq_num(XL710State *s, XL710VSI *v)
{
    int q;

    if (v->type == 0) {
        /* VF VSI: the VF's queue 0 */
        q = xl710_vf_abs_queue(s, v->vf_id, 0);
    } else {
        q = xl710_vsi_first_queue(s, v);
    }
    return q < 0 || q >= XL710_NUM_QP ? -1 : q;
}

static XL710RxQ *xl710_vsi_rxq(XL710State *s, XL710VSI *v, int *qp)
{
    int q = xl710_vsi_rxq_num(s, v);

    if (q < 0 || !s->rxq[q].enabled) {
        return NULL;
    }
    *qp = q;
    return &s->rxq[q];
}

/*
 * Can the VSI's queue take a frame now?  A queue that already stayed full
 * for the hold time says yes: its frames are dropped (and counted) at once
 * until software gives it descriptors again.
 */
int xl710_rx_room(XL710State *s, XL710VSI *v, size_t len, int *qp)
{
    XL710RxQ *r = xl710_vsi_rxq(s, v, qp);

    if (!r || r->dropping) {
        return 1;
    }
    return xl710_rx_avail(r) >= DIV_ROUND_UP(len + 4, r->dbuff);
}

/* A frame dropped for lack of descriptors: count it like the hardware. */
static void xl710_rx_drop(XL710State *s, XL710VSI *v, XL710RxQ *r)
{
    unsigned idx = lduw_le_p(v->info + XL_VSI_OFF_STAT_IDX);

    r->drops++;
    s->rx_drops++;
    if (idx < XL_GLV_STAT_NUM) {
        R(s, XL_GLV_RDPC(idx))++;
    }
}

/*
 * Fault injection (property x-fault-rx-misdirect=N, a negative control
 * for the test harness): the Nth frame of at least XL710_FAULT_MIN_LEN
 * bytes delivered to a VF queue is written by DMA into the buffer of the
 * *next* descriptor, while its own descriptor is completed as usual (DD,
 * EOF, length), so the driver hands up whatever its own buffer held
 * before.  The next frame overwrites the misdirected bytes.  Shorter
 * frames (ARP, TCP control segments) are not counted, so where the fault
 * lands does not depend on when a guest's neighbour entries expire.  If
 * the Nth frame needs more than one buffer or the next descriptor is not
 * posted (beyond the tail), the fault moves to the next VF frame that
 * qualifies.  Fires once; logged as a guest error for information only.
 * Returns true and the wrong buffer address in *addr for the frame that
 * gets the fault.
 */
#define XL710_FAULT_MIN_LEN 128

static bool xl710_rx_fault(XL710State *s, XL710RxQ *r, int q, size_t total,
                           uint64_t *addr)
{
    unsigned dsize = r->dsize32 ? 32 : 16;
    uint32_t next = (r->head + 1) % r->qlen;
    uint64_t rd[2];

    if (!s->fault_rx_misdirect || s->fault_rx_done || r->fn < 0 ||
        total < XL710_FAULT_MIN_LEN) {
        return false;
    }
    if (s->fault_vf_rx_frames < s->fault_rx_misdirect) {
        s->fault_vf_rx_frames++;
    }
    if (s->fault_vf_rx_frames < s->fault_rx_misdirect) {
        return false;
    }
    if (DIV_ROUND_UP(total, r->dbuff) != 1 || xl710_rx_avail(r) < 2 ||
        !xl710_dma_read(s, r->fn, r->base + (uint64_t)next * dsize, rd,
                        sizeof(rd))) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: x-fault-rx-misdirect: "
                      "frame of %zu bytes for Rx queue %d not eligible, "
                      "deferred\n", total, q);
        return false;
    }
    *addr = le64_to_cpu(rd[0]);
    s->fault_rx_done = true;
    qemu_log_mask(LOG_GUEST_ERROR, "xl710: x-fault-rx-misdirect: VF frame "
                  "%" PRIu64 " (%zu bytes) for Rx queue %d (fn %d) "
                  "descriptor %u written to the buffer of descriptor %u "
                  "(0x%" PRIx64 ") instead\n", s->fault_vf_rx_frames, total,
                  q, r->fn, r->head, next, *addr);
    return true;
}

void xl710_rx_deliver(XL710State *s, XL710VSI *v, const uint8_t *frame,
                      size_t len, uint16_t l2tag1, bool tag_valid)
{
    int q;
    XL710RxQ *r = xl710_vsi_rxq(s, v, &q);
    size_t total = len, off = 0;
    uint32_t crc;
    uint8_t crcb[4];
    uint64_t wrong = 0;
    bool misdirect;

    if (!r) {
        /*
         * No running queue: dropped without touching guest memory.  A
         * disabled queue (QENA_REQ cleared, e.g. quiesced for migration)
         * counts in rx-drops-disabled; the hardware's count for this is
         * not known (GLV_RDPC is left alone).
         */
        if (xl710_vsi_rxq_num(s, v) >= 0) {
            s->rx_drops_disabled++;
        }
        return;
    }
    if (!r->crcstrip) {
        total += 4;
        crc = crc32(0, frame, len);
        stl_le_p(crcb, crc);
    }
    if (total > r->rxmax) {
        return;                 /* oversize: dropped */
    }
    if (xl710_rx_avail(r) < DIV_ROUND_UP(total, r->dbuff)) {
        xl710_rx_drop(s, v, r);
        return;
    }
    if (!xl710_fn_mastering(s, r->fn)) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Rx queue %d: bus mastering "
                      "off, queue stopped\n", q);
        r->enabled = false;
        R(s, XL_QRX_ENA(q)) &= ~XL_QENA_STAT;
        return;
    }
    misdirect = xl710_rx_fault(s, r, q, total, &wrong);
    while (off < total) {
        uint64_t daddr = r->base + (uint64_t)r->head * (r->dsize32 ? 32 : 16);
        uint64_t rd[2], wb[4] = { 0 };
        size_t chunk = MIN(r->dbuff, total - off);
        bool eof = off + chunk >= total;
        uint64_t qw1, baddr;

        if (!xl710_dma_read(s, r->fn, daddr, rd, sizeof(rd))) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: Rx queue %d descriptor "
                          "read failed, queue stopped\n", q);
            r->enabled = false;
            R(s, XL_QRX_ENA(q)) &= ~XL_QENA_STAT;
            return;
        }
        /* a misdirected frame has one buffer (xl710_rx_fault) */
        baddr = misdirect ? wrong : le64_to_cpu(rd[0]);
        if (off < len) {
            size_t n = MIN(chunk, len - off);

            xl710_dma_write(s, r->fn, baddr, frame + off, n);
            if (n < chunk) {
                xl710_dma_write(s, r->fn, baddr + n,
                                crcb + (off + n - len), chunk - n);
            }
        } else {
            xl710_dma_write(s, r->fn, baddr, crcb + (off - len), chunk);
        }
        qw1 = XL_RXD_DD | ((uint64_t)chunk << XL_RXD_LEN_SHIFT);
        if (eof) {
            qw1 |= XL_RXD_EOF;
            if (tag_valid) {
                qw1 |= XL_RXD_L2TAG1P;
                wb[0] = cpu_to_le64((uint64_t)l2tag1 << 16);
            }
        }
        wb[1] = cpu_to_le64(qw1);
        xl710_dma_write(s, r->fn, daddr, wb, r->dsize32 ? 32 : 16);
        r->head = (r->head + 1) % r->qlen;
        off += chunk;
    }
    xl710_queue_irq(s, q, true);
}

/*
 * A tail write, from the PF (QRX_TAIL) or the queue's VF (QRX_TAIL1).  The
 * tail is the queue's, whoever wrote it: PF reads of QRX_TAIL return it
 * (xl710_regs.c).  Kept while the queue is disabled (iavf writes its Rx
 * tails before the PF enables the queue).
 */
void xl710_rxq_tail(XL710State *s, int q, uint32_t tail)
{
    XL710RxQ *r = &s->rxq[q];

    if (r->enabled && tail >= r->qlen) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Rx queue %d tail %u beyond "
                      "ring of %u\n", q, tail, r->qlen);
        return;
    }
    r->tail = tail;
    r->dropping = false;        /* refilled: hold frames again */
    if (r->enabled && s->nic) {
        qemu_flush_queued_packets(qemu_get_queue(s->nic));
    }
}

/* The held frame's queue did not get descriptors in time: drop from now. */
void xl710_rx_hold_expired(void *opaque)
{
    XL710State *s = opaque;

    if (s->rx_hold_q >= 0 && s->rx_hold_q < XL710_NUM_QP) {
        s->rxq[s->rx_hold_q].dropping = true;
    }
    s->rx_hold_q = -1;
    if (s->nic) {
        qemu_flush_queued_packets(qemu_get_queue(s->nic));
    }
}

void xl710_rxq_enable(XL710State *s, int q, bool on)
{
    XL710RxQ *r = &s->rxq[q];

    if (!on) {
        r->enabled = false;
        R(s, XL_QRX_ENA(q)) &= ~XL_QENA_STAT;
        return;
    }
    r->fn = xl710_queue_owner(s, q);
    if (r->fn >= 0 && !xl710_fn_dev(s, r->fn)) {
        r->fn = XL710_FN_PF;
    }
    if (!xl710_hmc_load_rxq(s, q)) {
        r->enabled = false;
        R(s, XL_QRX_ENA(q)) &= ~XL_QENA_STAT;
        return;
    }
    if (r->tail >= r->qlen) {
        r->tail = r->head;      /* tail written before enable is kept */
    }
    r->dropping = false;
    r->live = true;
    r->enabled = true;
    R(s, XL_QRX_ENA(q)) |= XL_QENA_STAT;
}
