/*
 * Intel XL710 (i40e) behavioural model: device state.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NET_XL710_H
#define HW_NET_XL710_H

#include "hw/pci/pci.h"
#include "net/net.h"
#include "qemu/timer.h"
#include "qom/object.h"
#include "xl710_regs.h"

#define TYPE_XL710      "xl710"
#define TYPE_XL710_VF   "xl710-vf"
OBJECT_DECLARE_SIMPLE_TYPE(XL710State, XL710)
OBJECT_DECLARE_SIMPLE_TYPE(XL710VFDev, XL710_VF)

#define XL710_BAR0_SIZE         (4 * 1024 * 1024)
#define XL710_MSIX_BAR_SIZE     (32 * 1024)
#define XL710_PF_MSIX           65
#define XL710_VF_BAR0_SIZE      (64 * 1024)
#define XL710_VF_MSIX_BAR_SIZE  (16 * 1024)
#define XL710_VF_MSIX           5
#define XL710_MAX_VFS           32
#define XL710_NUM_QP            128     /* queue pairs of the PF pool */
#define XL710_VF_MAX_QP         16
#define XL710_MAX_VSI           64
#define XL710_MAX_VEB           4
#define XL710_MAX_FILTERS       128
#define XL710_HMC_SDS           16
#define XL710_SR_WORDS          2048
#define XL710_MAX_PKT           (256 * 1024)
#define XL710_MBX_BACKLOG       16      /* per VF, VF->PF */

#define XL710_SEID_MAC          2
#define XL710_SEID_PF           16
#define XL710_SEID_VEB_BASE     288
#define XL710_SEID_VSI_BASE     512

/* function index: -1 is the PF, 0.. are VFs */
#define XL710_FN_PF             (-1)

typedef struct XL710AQRegs {
    uint32_t bal, bah, len, head, tail;
} XL710AQRegs;

typedef struct XL710Msg {
    int vf;                     /* VF index (sender or receiver) */
    XL710AQDesc desc;
    uint16_t len;
    uint8_t *data;
} XL710Msg;

typedef struct XL710Filter {
    uint8_t mac[6];
    uint16_t vlan;
    bool any_vlan;
} XL710Filter;

typedef struct XL710VSI {
    bool used;
    uint16_t seid;
    uint16_t num;
    uint16_t uplink;
    uint8_t type;               /* 0 VF, 1 VMDQ2, 2 PF */
    uint8_t vf_id;
    uint8_t info[XL_VSI_PROP_SIZE];
    uint16_t promisc;
    int nfilters;
    XL710Filter filters[XL710_MAX_FILTERS];
} XL710VSI;

typedef struct XL710VEB {
    bool used;
    uint16_t seid;
    uint16_t uplink;
    uint16_t downlink;
    uint16_t flags;
} XL710VEB;

typedef struct XL710TxQ {
    bool enabled;
    int fn;                     /* owning function */
    uint64_t base;
    uint32_t qlen;
    bool head_wb;
    uint64_t head_wb_addr;
    uint32_t head;
    uint32_t tail;
    /* enabled at least once since the PF reset: head is the queue's own */
    bool live;
    /* tx-defer: a tail write waits for xl710_tx_deferred() */
    bool pending;
    /* partially gathered packet (across tail writes) */
    uint8_t *pkt;
    uint32_t pkt_len;
    bool in_pkt;
    bool drop_pkt;
    uint16_t pkt_cmd;
    uint32_t pkt_off;
    uint16_t pkt_l2tag1;
    bool ctx_tso;
    uint16_t ctx_mss;
    uint32_t ctx_tsolen;
} XL710TxQ;

typedef struct XL710RxQ {
    bool enabled;
    int fn;
    uint64_t base;
    uint32_t qlen;
    uint32_t dbuff;
    bool dsize32;
    bool crcstrip;
    uint32_t rxmax;
    uint32_t head;
    uint32_t tail;
    /* enabled at least once since the PF reset: head is the queue's own */
    bool live;
    /* out of descriptors past the hold time: drop until software refills */
    bool dropping;
    uint64_t drops;
} XL710RxQ;

typedef struct XL710VF {
    uint32_t regs[XL710_VF_BAR0_SIZE / 4];
    XL710AQRegs atq, arq;
    bool vec_pend[XL710_VF_MSIX];
    GQueue to_vf;               /* PF->VF messages waiting for ARQ room */
    unsigned to_pf_count;       /* VF->PF messages waiting in s->to_pf */
    uint32_t vfrstat;
    uint32_t vfrtrig;
    /* ground truth for dirty tracking */
    bool dirty_log;
    GHashTable *dirty;
} XL710VF;

struct XL710State {
    PCIDevice parent_obj;

    NICState *nic;
    NICConf conf;
    MemoryRegion mmio;
    MemoryRegion msix;
    uint32_t num_vfs_max;

    uint32_t *regs;
    uint16_t sr[XL710_SR_WORDS];
    XL710AQRegs atq, arq;
    uint64_t hmc_sd[XL710_HMC_SDS];
    bool hmc_sd_valid[XL710_HMC_SDS];
    bool vec_pend[XL710_PF_MSIX];
    uint32_t icr0_pend;         /* ICR0 causes waiting to fire (xl710_irq.c) */
    bool lse_enabled;
    bool link_up;

    XL710TxQ txq[XL710_NUM_QP];
    XL710RxQ rxq[XL710_NUM_QP];
    XL710VSI vsi[XL710_MAX_VSI];
    XL710VEB veb[XL710_MAX_VEB];

    XL710VF vf[XL710_MAX_VFS];
    GQueue to_pf;               /* VF->PF messages waiting for PF ARQ */

    /* a wire frame for a full queue is held at most rx_hold_us, then dropped */
    QEMUTimer *rx_hold_timer;
    int rx_hold_q;
    uint32_t rx_hold_us;
    uint64_t rx_drops;

    /* frames for a VSI whose Rx queue is disabled (dropped) */
    uint64_t rx_drops_disabled;

    /*
     * tx-head-source: where an enabled Tx queue's head comes from, the
     * context ("ctx", false) or QTX_HEAD ("reg", true); see xl710_tx.c
     */
    char *tx_head_source;
    bool tx_head_reg;
    /* vf-tail-read-zero: VF reads of QTX_TAIL1/QRX_TAIL1 return 0 */
    bool vf_tail_read_zero;
    /*
     * tx-defer: Tx tail writes are processed later, from tx_bh (or from
     * tx_timer, tx-defer-us after the first pending write), not in the
     * vCPU's MMIO write
     */
    bool tx_defer;
    uint32_t tx_defer_us;
    QEMUBH *tx_bh;
    QEMUTimer *tx_timer;
    uint64_t tx_deferred;           /* tail writes deferred */
    uint64_t tx_defer_cancelled;    /* deferred work dropped by a disable */

    /* x-fault-rx-misdirect (xl710_rx.c): fault injection, 0 = off */
    uint32_t fault_rx_misdirect;
    uint64_t fault_vf_rx_frames;    /* frames delivered to VF queues */
    bool fault_rx_done;

    uint8_t *pktbuf;            /* scratch for Rx/Tx staging */
};

struct XL710VFDev {
    PCIDevice parent_obj;
    MemoryRegion mmio;
    MemoryRegion msix;
};

/* xl710_pci.c */
PCIDevice *xl710_fn_dev(XL710State *s, int fn);
bool xl710_fn_mastering(XL710State *s, int fn);
XL710State *xl710_vf_pf(PCIDevice *vfdev);
void xl710_pf_reset(XL710State *s, bool core);
void xl710_vf_reset(XL710State *s, int vf, bool flr);

/* xl710_dma (in xl710_dirty.c) */
bool xl710_dma_read(XL710State *s, int fn, uint64_t addr, void *buf,
                    uint64_t len);
bool xl710_dma_write(XL710State *s, int fn, uint64_t addr, const void *buf,
                     uint64_t len);
void xl710_dirty_init(Object *vfobj, XL710State *s, int vf);
void xl710_dirty_clear_all(XL710State *s);

/* xl710_regs.c */
extern const MemoryRegionOps xl710_pf_mmio_ops;
extern const MemoryRegionOps xl710_vf_mmio_ops;
void xl710_pf_reg_write(XL710State *s, uint32_t addr, uint32_t val);
uint32_t xl710_pf_reg_read(XL710State *s, uint32_t addr);
void xl710_nvm_init(XL710State *s);
void xl710_regs_init(XL710State *s);

/* xl710_irq.c */
void xl710_pf_misc_cause(XL710State *s, uint32_t cause);
void xl710_pf_misc_update(XL710State *s);
void xl710_pf_misc_enable(XL710State *s, uint32_t ena);
uint32_t xl710_pf_icr0_read(XL710State *s);
void xl710_pf_dyn_ctl_write(XL710State *s, int vec, uint32_t val);
void xl710_vf_misc_cause(XL710State *s, int vf, uint32_t cause);
void xl710_vf_misc_update(XL710State *s, int vf);
void xl710_vf_dyn_ctl_write(XL710State *s, int vf, int vec, uint32_t val);
void xl710_fn_vec_raise(XL710State *s, int fn, int vec);
void xl710_queue_irq(XL710State *s, int q, bool rx);

/* xl710_aq.c */
void xl710_pf_atq_kick(XL710State *s);
void xl710_pf_arq_kick(XL710State *s);
void xl710_vf_atq_kick(XL710State *s, int vf);
void xl710_vf_arq_kick(XL710State *s, int vf);
bool xl710_pf_arq_post(XL710State *s, const XL710AQDesc *d,
                       const uint8_t *buf, uint16_t len);
void xl710_send_to_vf(XL710State *s, int vf, const XL710AQDesc *d,
                      const uint8_t *buf, uint16_t len);
void xl710_link_event(XL710State *s);
void xl710_aq_flush_vf(XL710State *s, int vf);
void xl710_aq_reset(XL710State *s);

/* xl710_aq_cmds.c */
void xl710_aq_exec(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                   uint16_t buflen);

/* xl710_switch.c */
void xl710_switch_reset(XL710State *s);
XL710VSI *xl710_vsi_by_seid(XL710State *s, uint16_t seid);
XL710VEB *xl710_veb_by_seid(XL710State *s, uint16_t seid);
XL710VSI *xl710_vsi_add(XL710State *s, uint16_t uplink, uint8_t type,
                        uint8_t vf_id, const uint8_t *info);
void xl710_vsi_update(XL710VSI *v, const uint8_t *info);
void xl710_vsi_free(XL710VSI *v);
XL710VSI *xl710_vsi_of_queue(XL710State *s, int q);
int xl710_vsi_first_queue(XL710State *s, XL710VSI *v);
void xl710_switch_tx(XL710State *s, XL710VSI *src, uint8_t *frame,
                     size_t len);
ssize_t xl710_switch_rx_wire(XL710State *s, const uint8_t *frame,
                             size_t len);

/* xl710_hmc.c */
bool xl710_hmc_load_txq(XL710State *s, int q);
bool xl710_hmc_load_rxq(XL710State *s, int q);
void xl710_lanctx_ctl_write(XL710State *s, uint32_t val);

/* xl710_tx.c */
void xl710_txq_enable(XL710State *s, int q, bool on);
void xl710_txq_tail(XL710State *s, int q, uint32_t tail);
void xl710_txq_head_write(XL710State *s, int q, uint32_t val);
void xl710_txq_stop(XL710State *s, int q);
void xl710_tx_deferred(void *opaque);

/* xl710_rx.c */
void xl710_rxq_enable(XL710State *s, int q, bool on);
void xl710_rxq_tail(XL710State *s, int q, uint32_t tail);
/* delivers the frame, or drops (and counts) it when the queue is full */
void xl710_rx_deliver(XL710State *s, XL710VSI *v, const uint8_t *frame,
                      size_t len, uint16_t l2tag1, bool tag_valid);
/* 1: room (or no queue: dropped), 0: full, hold; *qp = the queue */
void xl710_rx_hold_expired(void *opaque);
int xl710_rx_room(XL710State *s, XL710VSI *v, size_t len, int *qp);

/* queue ownership */
int xl710_queue_owner(XL710State *s, int q);
int xl710_vf_abs_queue(XL710State *s, int vf, int vq);

#endif
