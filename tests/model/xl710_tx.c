/*
 * Intel XL710 model: LAN transmit queues.  Data and context descriptors,
 * checksum offload and TSO done in software, VLAN insertion, DESC_DONE
 * write-back on RS descriptors and optional head write-back.
 *
 * A tail write processes the ring at once, in the vCPU thread's MMIO
 * write, unless property tx-defer is on: then the queue is processed
 * later from a bottom half (or a timer, tx-defer-us), so software can
 * disable it in between and find [head, tail) still posted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/crc32c.h"
#include "qemu/main-loop.h"
#include "net/eth.h"
#include "xl710.h"

#define R(s, a) ((s)->regs[(a) >> 2])

/*
 * The function a queue pair belongs to.  QTX_CTL(q) names it (the PF driver
 * writes it before it enables the pair: a PF or VM queue, or a VF queue with
 * the VF's absolute index; the model reports VF base id 0), and a VF's
 * queue must also be in that VF's queue table.  The table alone is not
 * enough: i40e maps all of a VF VSI's allocated pairs but fills only the
 * active ones, so with fewer LAN MSI-X vectors on the PF than queues per VF
 * the rest of the VF's entries read 0, the PF's queue 0.
 */
int xl710_queue_owner(XL710State *s, int q)
{
    uint32_t ctl = R(s, XL_QTX_CTL(q));
    int vf = (ctl >> XL_QTX_CTL_VFVM_SHIFT) & XL_QTX_CTL_VFVM_MASK;
    int i;

    if ((ctl & XL_QTX_CTL_PFVF_Q_MASK) != XL_QTX_CTL_VF_QUEUE ||
        vf >= (int)s->num_vfs_max ||
        !(R(s, XL_VPLAN_MAPENA(vf)) & XL_VPLAN_MAPENA_ENA)) {
        return XL710_FN_PF;
    }
    for (i = 0; i < XL710_VF_MAX_QP; i++) {
        if ((R(s, XL_VPLAN_QTABLE(i, vf)) & XL_VPLAN_QTABLE_QINDEX_MASK) == q) {
            return vf;
        }
    }
    return XL710_FN_PF;
}

/*
 * The absolute queue behind VF @vf's queue @vq, or -1.  A queue that is
 * running for another function is never the VF's, whatever the table says:
 * a VF cannot touch another function's rings.  The tail of a queue that is
 * not running yet is kept (iavf writes its Rx tails before the PF has
 * configured and enabled the pair).
 */
int xl710_vf_abs_queue(XL710State *s, int vf, int vq)
{
    int q;

    if (vq < 0 || vq >= XL710_VF_MAX_QP ||
        !(R(s, XL_VPLAN_MAPENA(vf)) & XL_VPLAN_MAPENA_ENA)) {
        return -1;
    }
    q = R(s, XL_VPLAN_QTABLE(vq, vf)) & XL_VPLAN_QTABLE_QINDEX_MASK;
    if (q >= XL710_NUM_QP) {
        return -1;
    }
    if ((s->txq[q].enabled && s->txq[q].fn != vf) ||
        (s->rxq[q].enabled && s->rxq[q].fn != vf)) {
        return -1;
    }
    return q;
}

static uint64_t xl710_sum(uint64_t sum, const uint8_t *p, size_t len)
{
    while (len > 1) {
        sum += lduw_be_p(p);
        p += 2;
        len -= 2;
    }
    if (len) {
        sum += p[0] << 8;
    }
    return sum;
}

static uint16_t xl710_fold(uint64_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

static void xl710_csum(uint8_t *p, size_t len, uint16_t cmd, size_t l3,
                       size_t l4)
{
    uint16_t iipt = cmd & XL_TXD_CMD_IIPT_MASK, l4t = cmd & XL_TXD_CMD_L4T_MASK;
    bool v6;
    size_t l4len, coff;
    uint64_t sum;
    uint16_t c;
    uint8_t proto;

    if (l3 + 20 > len || l4 > len) {
        return;
    }
    v6 = iipt == XL_TXD_CMD_IIPT_IPV6 || (iipt == 0 && (p[l3] >> 4) == 6);
    if (!v6 && (p[l3] >> 4) == 4) {
        size_t ihl = (p[l3] & 0xf) * 4;

        if (iipt == XL_TXD_CMD_IIPT_IPV4_CSUM && l3 + ihl <= len) {
            stw_be_p(p + l3 + 10, 0);
            stw_be_p(p + l3 + 10, xl710_fold(xl710_sum(0, p + l3, ihl)));
        }
    }
    if (!l4t || l4 <= l3) {
        return;
    }
    l4len = len - l4;
    if (l4t == XL_TXD_CMD_L4T_SCTP) {
        if (l4len >= 12) {
            stl_le_p(p + l4 + 8, 0);
            stl_le_p(p + l4 + 8, ~crc32c(0xffffffff, p + l4, l4len));
        }
        return;
    }
    coff = l4t == XL_TXD_CMD_L4T_TCP ? 16 : 6;
    proto = l4t == XL_TXD_CMD_L4T_TCP ? 6 : 17;
    if (l4 + coff + 2 > len) {
        return;
    }
    stw_be_p(p + l4 + coff, 0);
    if (v6) {
        if (l3 + 40 > len) {
            return;
        }
        sum = xl710_sum(0, p + l3 + 8, 32);
    } else {
        sum = xl710_sum(0, p + l3 + 12, 8);
    }
    sum += proto + (l4len & 0xffff) + (l4len >> 16);
    sum = xl710_sum(sum, p + l4, l4len);
    c = xl710_fold(sum);
    if (proto == 17 && c == 0) {
        c = 0xffff;
    }
    stw_be_p(p + l4 + coff, c);
}

/* Finish one frame: VLAN tags, then hand it to the switch. */
static void xl710_tx_emit(XL710State *s, XL710VSI *vsi, uint8_t *p,
                          size_t len, bool il2tag1, uint16_t l2tag1)
{
    uint8_t *out = s->pktbuf;
    uint16_t pvid = vsi ? lduw_le_p(vsi->info + XL_VSI_OFF_PVID) & 0xfff : 0;
    bool ins_pvid = vsi && (vsi->info[XL_VSI_OFF_PVLAN_FLAGS] &
                            XL_PVLAN_INSERT_PVID) && pvid;

    if (len < 14 || len + 4 > XL710_MAX_PKT) {
        return;
    }
    if (ins_pvid) {
        il2tag1 = true;
        l2tag1 = (l2tag1 & 0xf000) | pvid;
    }
    if (il2tag1) {
        memcpy(out, p, 12);
        stw_be_p(out + 12, ETH_P_VLAN);
        stw_be_p(out + 14, l2tag1);
        memcpy(out + 16, p + 12, len - 12);
        xl710_switch_tx(s, vsi, out, len + 4);
    } else {
        xl710_switch_tx(s, vsi, p, len);
    }
}

static void xl710_tx_packet(XL710State *s, int q)
{
    XL710TxQ *t = &s->txq[q];
    XL710VSI *vsi = xl710_vsi_of_queue(s, q);
    uint8_t *p = t->pkt;
    size_t len = t->pkt_len;
    uint16_t cmd = t->pkt_cmd;
    size_t l3 = (t->pkt_off & 0x7f) * 2;
    size_t l4 = l3 + ((t->pkt_off >> 7) & 0x7f) * 4;
    size_t hdr = l4 + ((t->pkt_off >> 14) & 0xf) * 4;
    bool tag = cmd & XL_TXD_CMD_IL2TAG1;
    g_autofree uint8_t *seg = NULL;
    size_t off, mss;
    uint32_t seq;
    uint16_t ipid;
    bool v6, udp;
    int i;

    if (!t->ctx_tso) {
        if (len > 16 * 1024) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d frame of %zu "
                          "bytes without TSO\n", q, len);
            return;
        }
        xl710_csum(p, len, cmd, l3, l4);
        xl710_tx_emit(s, vsi, p, len, tag, t->pkt_l2tag1);
        return;
    }
    mss = t->ctx_mss;
    if (mss < 64 || hdr < 34 || hdr >= len || l4 <= l3 || hdr > 512) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d bad TSO request "
                      "(mss %zu hdr %zu len %zu)\n", q, mss, hdr, len);
        return;
    }
    v6 = (p[l3] >> 4) == 6;
    udp = (cmd & XL_TXD_CMD_L4T_MASK) == XL_TXD_CMD_L4T_UDP;
    if (!udp && (cmd & XL_TXD_CMD_L4T_MASK) != XL_TXD_CMD_L4T_TCP) {
        cmd |= XL_TXD_CMD_L4T_TCP;
    }
    seq = udp ? 0 : (uint32_t)ldl_be_p(p + l4 + 4);
    ipid = v6 ? 0 : lduw_be_p(p + l3 + 4);
    seg = g_malloc(hdr + mss);
    for (off = hdr, i = 0; off < len; off += mss, i++) {
        size_t pl = MIN(mss, len - off), sl = hdr + pl;
        bool last = off + pl >= len;

        memcpy(seg, p, hdr);
        memcpy(seg + hdr, p + off, pl);
        if (v6) {
            stw_be_p(seg + l3 + 4, sl - l3 - 40);
        } else {
            stw_be_p(seg + l3 + 2, sl - l3);
            stw_be_p(seg + l3 + 4, ipid + i);
            cmd |= XL_TXD_CMD_IIPT_IPV4_CSUM;
        }
        if (udp) {
            stw_be_p(seg + l4 + 4, sl - l4);
        } else {
            stl_be_p(seg + l4 + 4, seq + (off - hdr));
            if (!last) {
                seg[l4 + 13] &= ~0x09;          /* FIN, PSH */
            }
            if (i) {
                seg[l4 + 13] &= ~0x80;          /* CWR */
            }
        }
        xl710_csum(seg, sl, cmd, l3, l4);
        xl710_tx_emit(s, vsi, seg, sl, tag, t->pkt_l2tag1);
    }
}

/*
 * Stop queue @q: it reads and writes no guest memory from now on.  Work
 * deferred by tx-defer is dropped: descriptors from head to the tail stay
 * posted and untouched (no DESC_DONE, no head write-back), and are sent
 * if the queue is enabled again from that head and the tail is written.
 * A frame gathered from several descriptors but not finished is dropped
 * (the head already moved past its first descriptors; real hardware
 * finishes or drops it, unknown which).
 */
void xl710_txq_stop(XL710State *s, int q)
{
    XL710TxQ *t = &s->txq[q];

    if (t->pending) {
        t->pending = false;
        s->tx_defer_cancelled++;
    }
    t->enabled = false;
    t->in_pkt = false;
    R(s, XL_QTX_ENA(q)) &= ~XL_QENA_STAT;
}

static void xl710_tx_process(XL710State *s, int q)
{
    XL710TxQ *t = &s->txq[q];
    bool done = false;
    unsigned budget;

    if (t->head != t->tail && !xl710_fn_mastering(s, t->fn)) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d: bus mastering "
                      "off, queue stopped\n", q);
        xl710_txq_stop(s, q);
        return;
    }
    for (budget = t->qlen; t->head != t->tail && budget; budget--) {
        uint64_t daddr = t->base + (uint64_t)t->head * 16;
        uint64_t qw[2];
        uint64_t qw1, dtype;
        uint16_t cmd;

        if (!xl710_dma_read(s, t->fn, daddr, qw, sizeof(qw))) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d descriptor "
                          "read failed, queue stopped\n", q);
            xl710_txq_stop(s, q);
            return;
        }
        qw1 = le64_to_cpu(qw[1]);
        dtype = qw1 & XL_TXD_DTYPE_MASK;
        cmd = (qw1 >> XL_TXD_CMD_SHIFT) & 0x3ff;
        if (dtype == XL_TXD_DTYPE_CONTEXT) {
            cmd = (qw1 >> 4) & 0xffff;
            t->ctx_tso = cmd & XL_TXCTX_CMD_TSO;
            t->ctx_mss = (qw1 >> XL_TXCTX_MSS_SHIFT) & 0x3fff;
            t->ctx_tsolen = (qw1 >> XL_TXCTX_TSOLEN_SHIFT) & 0x3ffff;
        } else if (dtype == XL_TXD_DTYPE_DATA) {
            uint32_t sz = (qw1 >> XL_TXD_BUFSZ_SHIFT) & 0x3fff;

            if (!t->in_pkt) {
                t->in_pkt = true;
                t->drop_pkt = false;
                t->pkt_len = 0;
                t->pkt_cmd = cmd;
                t->pkt_off = (qw1 >> XL_TXD_OFFSET_SHIFT) & 0x3ffff;
                t->pkt_l2tag1 = qw1 >> XL_TXD_L2TAG1_SHIFT;
            }
            if (!t->drop_pkt) {
                if (t->pkt_len + sz > XL710_MAX_PKT) {
                    qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d "
                                  "oversized frame dropped\n", q);
                    t->drop_pkt = true;
                } else if (sz && !xl710_dma_read(s, t->fn, le64_to_cpu(qw[0]),
                                                 t->pkt + t->pkt_len, sz)) {
                    qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d "
                                  "buffer read failed\n", q);
                    t->drop_pkt = true;
                } else {
                    t->pkt_len += sz;
                }
            }
            if (cmd & XL_TXD_CMD_EOP) {
                if (!t->drop_pkt) {
                    xl710_tx_packet(s, q);
                }
                t->in_pkt = false;
                t->ctx_tso = false;
            }
            if (!t->enabled) {
                return;         /* stopped while delivering (reset) */
            }
        }
        if (cmd & XL_TXD_CMD_RS || dtype == XL_TXD_DTYPE_DATA) {
            if ((cmd & XL_TXD_CMD_RS) && dtype == XL_TXD_DTYPE_DATA) {
                uint64_t wb = cpu_to_le64(XL_TXD_DTYPE_DONE);

                xl710_dma_write(s, t->fn, daddr + 8, &wb, 8);
            }
            done = true;
        }
        t->head = (t->head + 1) % t->qlen;
    }
    if (done) {
        if (t->head_wb) {
            uint32_t h = cpu_to_le32(t->head);

            xl710_dma_write(s, t->fn, t->head_wb_addr, &h, 4);
        }
        xl710_queue_irq(s, q, false);
    }
}

/* tx-defer: process queue @q later (xl710_tx_deferred) */
static void xl710_tx_defer(XL710State *s, int q)
{
    s->txq[q].pending = true;
    s->tx_deferred++;
    if (!s->tx_defer_us) {
        qemu_bh_schedule(s->tx_bh);
    } else if (!timer_pending(s->tx_timer)) {
        timer_mod(s->tx_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  (int64_t)s->tx_defer_us * 1000);
    }
}

/*
 * The tx-defer bottom half / timer: the queues whose tail was written
 * since.  A queue disabled meanwhile has no work left (xl710_txq_stop).
 */
void xl710_tx_deferred(void *opaque)
{
    XL710State *s = opaque;
    int q;

    for (q = 0; q < XL710_NUM_QP; q++) {
        XL710TxQ *t = &s->txq[q];

        if (!t->pending) {
            continue;
        }
        t->pending = false;
        if (t->enabled) {
            xl710_tx_process(s, q);
        }
    }
}

/*
 * A tail write, from the PF (QTX_TAIL) or the queue's VF (QTX_TAIL1).
 * The tail is the queue's, whoever wrote it: PF reads of QTX_TAIL return
 * it (xl710_regs.c).
 */
void xl710_txq_tail(XL710State *s, int q, uint32_t tail)
{
    XL710TxQ *t = &s->txq[q];

    if (!t->enabled) {
        t->tail = tail;
        return;
    }
    if (tail >= t->qlen) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d tail %u beyond "
                      "ring of %u\n", q, tail, t->qlen);
        return;
    }
    t->tail = tail;
    if (s->tx_defer) {
        xl710_tx_defer(s, q);
        return;
    }
    xl710_tx_process(s, q);
}

/*
 * QTX_HEAD written.  While the queue is disabled the value is kept for the
 * next enable (xl710_txq_start_head); while it runs the write is ignored
 * (i40e writes it only right before enabling).  Reads return the live head
 * (xl710_regs.c), not what was written.
 */
void xl710_txq_head_write(XL710State *s, int q, uint32_t val)
{
    if (s->txq[q].enabled) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d QTX_HEAD "
                      "written (0x%x) while enabled, ignored\n", q, val);
        return;
    }
    R(s, XL_QTX_HEAD(q)) = val & XL_QTX_HEAD_MASK;
}

/*
 * The head a Tx queue starts from when it is enabled.  The context's head
 * field was decoded by xl710_hmc_load_txq().  Whether the hardware takes
 * that or the QTX_HEAD value written while the queue was disabled is not
 * known; property tx-head-source picks: "ctx" (the default, the model's
 * behaviour before the property existed) or "reg".  Unmodified i40e writes
 * QTX_HEAD = 0 right before every enable (i40e_control_tx_q()) and
 * programs the context's head as 0 too, so for it both settings behave
 * identically; only a driver restoring a saved head (VF migration) can
 * tell them apart.
 */
static bool xl710_txq_start_head(XL710State *s, int q)
{
    XL710TxQ *t = &s->txq[q];
    uint32_t head = R(s, XL_QTX_HEAD(q)) & XL_QTX_HEAD_MASK;

    if (!s->tx_head_reg) {
        return true;
    }
    if (head >= t->qlen) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: Tx queue %d QTX_HEAD %u "
                      "beyond ring of %u\n", q, head, t->qlen);
        return false;
    }
    t->head = head;
    return true;
}

void xl710_txq_enable(XL710State *s, int q, bool on)
{
    XL710TxQ *t = &s->txq[q];

    if (!on) {
        xl710_txq_stop(s, q);
        return;
    }
    t->fn = xl710_queue_owner(s, q);
    if (t->fn >= 0 && !xl710_fn_dev(s, t->fn)) {
        t->fn = XL710_FN_PF;
    }
    if (!xl710_hmc_load_txq(s, q) || !xl710_txq_start_head(s, q)) {
        xl710_txq_stop(s, q);
        return;
    }
    if (!t->pkt) {
        t->pkt = g_malloc(XL710_MAX_PKT);
    }
    /* software writes the tail after the enable (i40e, iavf) */
    t->tail = t->head;
    t->in_pkt = false;
    t->ctx_tso = false;
    t->pending = false;
    t->live = true;
    t->enabled = true;
    R(s, XL_QTX_ENA(q)) |= XL_QENA_STAT;
}
