/*
 * Intel XL710 (i40e) behavioural model: PCI functions.
 *
 *   -device xl710,netdev=<id>[,mac=..][,vfs=N]
 *
 * PF 8086:1583 with BAR0 registers (4 MiB), BAR3 MSI-X, ARI, ACS and an
 * SR-IOV capability whose VFs (8086:154c, type "xl710-vf") have a 64 KiB
 * BAR0, a BAR3 MSI-X table and FLR.  See README.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/range.h"
#include "qapi/error.h"
#include "hw/qdev-properties.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/pci/pcie_sriov.h"
#include "hw/pci/msix.h"
#include "migration/vmstate.h"
#include "sysemu/sysemu.h"
#include "net/net.h"
#include "xl710.h"

#define XL710_VF_DEVID          0x154c
#define XL710_DEVID             0x1583
#define XL710_MSIX_CAP          0x70
#define XL710_EXP_CAP           0xa0
#define XL710_ARI_CAP           0x100
#define XL710_ACS_CAP           0x110
#define XL710_SRIOV_CAP         0x160

#define R(s, a) ((s)->regs[(a) >> 2])

PCIDevice *xl710_fn_dev(XL710State *s, int fn)
{
    if (fn == XL710_FN_PF) {
        return PCI_DEVICE(s);
    }
    if (fn < 0 || fn >= XL710_MAX_VFS) {
        return NULL;
    }
    return pcie_sriov_get_vf_at_index(PCI_DEVICE(s), fn);
}

/*
 * Whether function @fn may issue DMA: its command register's Bus Master
 * Enable.  Linux clears it around a reset (pci_reset_function() saves the
 * config space and disables the function before the FLR) while a VM may
 * still ring the VF's doorbells: the queues then stop without a DMA
 * attempt, as a function that cannot master does.
 */
bool xl710_fn_mastering(XL710State *s, int fn)
{
    PCIDevice *d = xl710_fn_dev(s, fn);

    return d && (pci_get_word(d->config + PCI_COMMAND) & PCI_COMMAND_MASTER);
}

XL710State *xl710_vf_pf(PCIDevice *vfdev)
{
    PCIDevice *pf = pcie_sriov_get_pf(vfdev);

    return pf ? XL710(pf) : NULL;
}

static void xl710_stop_fn_queues(XL710State *s, int fn)
{
    int q;

    for (q = 0; q < XL710_NUM_QP; q++) {
        if (s->txq[q].enabled && s->txq[q].fn == fn) {
            xl710_txq_stop(s, q);
        }
        if (s->rxq[q].enabled && s->rxq[q].fn == fn) {
            s->rxq[q].enabled = false;
            R(s, XL_QRX_ENA(q)) &= ~XL_QENA_STAT;
        }
    }
}

/* VF reset (VFSWR, FLR, or as part of a PF reset). */
void xl710_vf_reset(XL710State *s, int vf, bool flr)
{
    XL710VF *v = &s->vf[vf];
    int i;

    xl710_stop_fn_queues(s, vf);
    memset(v->regs, 0, sizeof(v->regs));
    memset(&v->atq, 0, sizeof(v->atq));
    memset(&v->arq, 0, sizeof(v->arq));
    memset(v->vec_pend, 0, sizeof(v->vec_pend));
    v->regs[XL_VFGEN_RSTAT >> 2] = XL_VFR_INPROGRESS;
    xl710_aq_flush_vf(s, vf);
    R(s, XL_VPLAN_MAPENA(vf)) = 0;
    for (i = 0; i < XL710_VF_MAX_QP; i++) {
        R(s, XL_VPLAN_QTABLE(i, vf)) = XL_VPLAN_QTABLE_QINDEX_MASK;
    }
    v->vfrstat = XL_VPGEN_VFRSTAT_VFRD;
    if (flr) {
        R(s, XL_GLGEN_VFLRSTAT(vf / 32)) |= 1u << (vf % 32);
        xl710_pf_misc_cause(s, XL_ICR0_VFLR);
    }
}

/* PF software reset (PFSWR) or, with @core, a core/global reset. */
void xl710_pf_reset(XL710State *s, bool core)
{
    int q, i;

    for (q = 0; q < XL710_NUM_QP; q++) {
        xl710_txq_stop(s, q);
        s->txq[q].tail = 0;
        s->txq[q].live = false;
        s->rxq[q].enabled = false;
        s->rxq[q].tail = 0;
        s->rxq[q].live = false;
        R(s, XL_QTX_HEAD(q)) = 0;
        R(s, XL_QTX_ENA(q)) = 0;
        R(s, XL_QRX_ENA(q)) = 0;
        R(s, XL_QINT_RQCTL(q)) = 0;
        R(s, XL_QINT_TQCTL(q)) = 0;
    }
    R(s, XL_PFINT_DYN_CTL0) = 0;
    for (i = 0; i < XL710_PF_MSIX - 1; i++) {
        R(s, XL_PFINT_DYN_CTLN(i)) = 0;
    }
    memset(s->vec_pend, 0, sizeof(s->vec_pend));
    R(s, XL_PFINT_ICR0) = 0;
    R(s, XL_PFINT_ICR0_ENA) = 0;
    s->icr0_pend = 0;
    memset(s->hmc_sd_valid, 0, sizeof(s->hmc_sd_valid));
    if (s->rx_hold_timer) {
        timer_del(s->rx_hold_timer);
    }
    s->rx_hold_q = -1;
    xl710_switch_reset(s);
    s->lse_enabled = false;
    for (i = 0; i < XL710_MAX_VFS; i++) {
        xl710_vf_reset(s, i, false);
        s->vf[i].vfrtrig = 0;
    }
    if (core) {
        memset(&s->atq, 0, sizeof(s->atq));
        memset(&s->arq, 0, sizeof(s->arq));
        xl710_aq_reset(s);
        /* the context read-back registers reset on CORER */
        R(s, XL_PFCM_LANCTXCTL) = 0;
        R(s, XL_PFCM_LANCTXSTAT) = 0;
        for (i = 0; i < 4; i++) {
            R(s, XL_PFCM_LANCTXDATA(i)) = 0;
        }
    }
}

/* ---- netdev ---- */

static bool xl710_can_receive(NetClientState *nc)
{
    XL710State *s = qemu_get_nic_opaque(nc);

    return s->link_up;
}

static ssize_t xl710_receive(NetClientState *nc, const uint8_t *buf,
                             size_t size)
{
    XL710State *s = qemu_get_nic_opaque(nc);

    if (!s->link_up) {
        return size;
    }
    return xl710_switch_rx_wire(s, buf, size);
}

static void xl710_set_link_status(NetClientState *nc)
{
    XL710State *s = qemu_get_nic_opaque(nc);
    bool up = !nc->link_down;

    if (up != s->link_up) {
        s->link_up = up;
        xl710_link_event(s);
    }
}

static NetClientInfo net_xl710_info = {
    .type = NET_CLIENT_DRIVER_NIC,
    .size = sizeof(NICState),
    .can_receive = xl710_can_receive,
    .receive = xl710_receive,
    .link_status_changed = xl710_set_link_status,
};

/* ---- PF ---- */

static void xl710_add_acs(PCIDevice *d)
{
    /* no ACS controls: each function is isolated (own IOMMU group) */
    pcie_add_capability(d, PCI_EXT_CAP_ID_ACS, PCI_ACS_VER, XL710_ACS_CAP,
                        PCI_ACS_SIZEOF);
    d->exp.acs_cap = XL710_ACS_CAP;
}

/*
 * "queue-state": the enabled queues and the PF's queue vectors, one line
 * each, for tests and for debugging a stalled function.
 */
static char *xl710_get_queue_state(Object *obj, Error **errp)
{
    XL710State *s = XL710(obj);
    GString *str = g_string_new(NULL);
    int q, v;

    g_string_append_printf(str, "hold_q %d timer %d receive_disabled %d "
                           "tx_defer %d tx_head_source %s\n",
                           s->rx_hold_q, timer_pending(s->rx_hold_timer),
                           s->nic ? qemu_get_queue(s->nic)->receive_disabled
                                  : -1, s->tx_defer,
                           s->tx_head_reg ? "reg" : "ctx");
    for (q = 0; q < XL710_NUM_QP; q++) {
        XL710RxQ *r = &s->rxq[q];
        XL710TxQ *t = &s->txq[q];

        if (r->enabled) {
            g_string_append_printf(str, "rxq %d fn %d head %u tail %u "
                                   "qlen %u dbuff %u dropping %d drops %"
                                   PRIu64 " rqctl 0x%x\n", q, r->fn,
                                   r->head, r->tail, r->qlen, r->dbuff,
                                   r->dropping, r->drops,
                                   R(s, XL_QINT_RQCTL(q)));
        }
        if (t->enabled) {
            g_string_append_printf(str, "txq %d fn %d head %u tail %u "
                                   "qlen %u pending %d\n", q, t->fn,
                                   t->head, t->tail, t->qlen, t->pending);
        }
    }
    for (v = 0; v < XL710_MAX_VFS; v++) {
        if (R(s, XL_VPLAN_MAPENA(v)) & XL_VPLAN_MAPENA_ENA) {
            g_string_append_printf(str, "vf %d qtable", v);
            for (q = 0; q < XL710_VF_MAX_QP; q++) {
                g_string_append_printf(str, " %u", R(s, XL_VPLAN_QTABLE(q, v)));
            }
            g_string_append_c(str, '\n');
        }
    }
    for (v = 1; v < XL710_PF_MSIX; v++) {
        uint32_t ctl = R(s, XL_PFINT_DYN_CTLN(v - 1));

        if (ctl || s->vec_pend[v]) {
            g_string_append_printf(str, "pf vec %d dyn_ctl 0x%x pend %d\n",
                                   v, ctl, s->vec_pend[v]);
        }
    }
    return g_string_free(str, false);
}

static void xl710_realize(PCIDevice *d, Error **errp)
{
    XL710State *s = XL710(d);
    int i;

    if (s->num_vfs_max > XL710_MAX_VFS) {
        error_setg(errp, "xl710: vfs must be at most %d", XL710_MAX_VFS);
        return;
    }
    if (!s->tx_head_source || !strcmp(s->tx_head_source, "ctx")) {
        s->tx_head_reg = false;
    } else if (!strcmp(s->tx_head_source, "reg")) {
        s->tx_head_reg = true;
    } else {
        error_setg(errp, "xl710: tx-head-source must be ctx or reg");
        return;
    }
    pci_config_set_vendor_id(d->config, PCI_VENDOR_ID_INTEL);
    pci_config_set_device_id(d->config, XL710_DEVID);
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_INTEL);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, 0x0002);
    d->config[PCI_INTERRUPT_PIN] = 1;

    s->regs = g_malloc0(XL710_BAR0_SIZE);
    s->pktbuf = g_malloc(XL710_MAX_PKT + 64);
    memory_region_init_io(&s->mmio, OBJECT(s), &xl710_pf_mmio_ops, s,
                          "xl710-mmio", XL710_BAR0_SIZE);
    pci_register_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mmio);
    memory_region_init(&s->msix, OBJECT(s), "xl710-msix",
                       XL710_MSIX_BAR_SIZE);
    pci_register_bar(d, 3, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->msix);
    if (msix_init(d, XL710_PF_MSIX, &s->msix, 3, 0, &s->msix, 3, 0x2000,
                  XL710_MSIX_CAP, errp) < 0) {
        return;
    }
    for (i = 0; i < XL710_PF_MSIX; i++) {
        msix_vector_use(d, i);
    }
    if (pcie_endpoint_cap_init(d, XL710_EXP_CAP) < 0) {
        error_setg(errp, "xl710: PCIe capability failed");
        return;
    }
    pcie_ari_init(d, XL710_ARI_CAP, 1);
    xl710_add_acs(d);
    if (s->num_vfs_max) {
        pcie_sriov_pf_init(d, XL710_SRIOV_CAP, TYPE_XL710_VF, XL710_VF_DEVID,
                           s->num_vfs_max, s->num_vfs_max, 1, 1);
        pcie_sriov_pf_init_vf_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                                  PCI_BASE_ADDRESS_MEM_TYPE_64,
                                  XL710_VF_BAR0_SIZE);
        pcie_sriov_pf_init_vf_bar(d, 3, PCI_BASE_ADDRESS_SPACE_MEMORY |
                                  PCI_BASE_ADDRESS_MEM_TYPE_64,
                                  XL710_VF_MSIX_BAR_SIZE);
    }

    g_queue_init(&s->to_pf);
    for (i = 0; i < XL710_MAX_VFS; i++) {
        g_queue_init(&s->vf[i].to_vf);
    }
    xl710_dirty_clear_all(s);
    s->rx_hold_q = -1;
    s->rx_hold_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, xl710_rx_hold_expired,
                                    s);
    s->tx_bh = qemu_bh_new_guarded(xl710_tx_deferred, s,
                                   &DEVICE(d)->mem_reentrancy_guard);
    s->tx_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, xl710_tx_deferred, s);
    /* frames dropped for lack of Rx descriptors, all functions */
    object_property_add_uint64_ptr(OBJECT(s), "rx-drops", &s->rx_drops,
                                   OBJ_PROP_FLAG_READ);
    /* frames for a VSI whose Rx queue is disabled, dropped */
    object_property_add_uint64_ptr(OBJECT(s), "rx-drops-disabled",
                                   &s->rx_drops_disabled, OBJ_PROP_FLAG_READ);
    /* tx-defer: tail writes deferred, and deferred work a disable dropped */
    object_property_add_uint64_ptr(OBJECT(s), "tx-deferred",
                                   &s->tx_deferred, OBJ_PROP_FLAG_READ);
    object_property_add_uint64_ptr(OBJECT(s), "tx-defer-cancelled",
                                   &s->tx_defer_cancelled,
                                   OBJ_PROP_FLAG_READ);
    object_property_add_str(OBJECT(s), "queue-state", xl710_get_queue_state,
                            NULL);

    qemu_macaddr_default_if_unset(&s->conf.macaddr);
    s->nic = qemu_new_nic(&net_xl710_info, &s->conf,
                          object_get_typename(OBJECT(s)),
                          DEVICE(d)->id,
                          &DEVICE(d)->mem_reentrancy_guard, s);
    qemu_format_nic_info_str(qemu_get_queue(s->nic), s->conf.macaddr.a);
}

static void xl710_exit(PCIDevice *d)
{
    XL710State *s = XL710(d);
    int q;

    if (s->num_vfs_max) {
        pcie_sriov_pf_exit(d);
    }
    xl710_aq_reset(s);
    timer_free(s->rx_hold_timer);
    timer_free(s->tx_timer);
    qemu_bh_delete(s->tx_bh);
    msix_uninit(d, &s->msix, &s->msix);
    qemu_del_nic(s->nic);
    for (q = 0; q < XL710_NUM_QP; q++) {
        g_free(s->txq[q].pkt);
    }
    g_free(s->pktbuf);
    g_free(s->regs);
}

static void xl710_qdev_reset(DeviceState *dev)
{
    XL710State *s = XL710(dev);
    PCIDevice *d = PCI_DEVICE(dev);

    if (s->num_vfs_max) {
        pcie_sriov_pf_disable_vfs(d);
    }
    xl710_regs_init(s);
    xl710_nvm_init(s);
    memset(s->hmc_sd, 0, sizeof(s->hmc_sd));
    s->link_up = s->nic ? !qemu_get_queue(s->nic)->link_down : true;
    xl710_pf_reset(s, true);
}

static void xl710_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                               int len)
{
    pci_default_write_config(d, addr, val, len);
    pcie_cap_flr_write_config(d, addr, val, len);
}

static Property xl710_properties[] = {
    DEFINE_NIC_PROPERTIES(XL710State, conf),
    DEFINE_PROP_UINT32("vfs", XL710State, num_vfs_max, 8),
    /* how long a frame for a full Rx queue may hold the port */
    DEFINE_PROP_UINT32("rx-hold-us", XL710State, rx_hold_us, 2000),
    /*
     * Fault injection for the harness's negative control: the Nth frame
     * delivered to a VF queue goes to the wrong buffer (xl710_rx.c).
     */
    DEFINE_PROP_UINT32("x-fault-rx-misdirect", XL710State,
                       fault_rx_misdirect, 0),
    /*
     * For the PF services of VF migration (README.md): which head an
     * enabled Tx queue starts from, the context's ("ctx") or QTX_HEAD's
     * ("reg"); VF tail registers reading 0; Tx processed later than the
     * tail write (from a bottom half, or tx-defer-us later).
     */
    DEFINE_PROP_STRING("tx-head-source", XL710State, tx_head_source),
    DEFINE_PROP_BOOL("vf-tail-read-zero", XL710State, vf_tail_read_zero,
                     false),
    DEFINE_PROP_BOOL("tx-defer", XL710State, tx_defer, false),
    DEFINE_PROP_UINT32("tx-defer-us", XL710State, tx_defer_us, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateDescription xl710_vmstate = {
    .name = "xl710",
    .unmigratable = 1,
};

static void xl710_instance_init(Object *obj)
{
    XL710State *s = XL710(obj);

    device_add_bootindex_property(obj, &s->conf.bootindex, "bootindex",
                                  "/ethernet-phy@0", DEVICE(obj));
    /* tx-head-source's default (string properties have none of their own) */
    s->tx_head_source = g_strdup("ctx");
}

static void xl710_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = xl710_realize;
    k->exit = xl710_exit;
    k->config_write = xl710_write_config;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = XL710_DEVID;
    k->revision = 2;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;
    dc->desc = "Intel XL710 40GbE (i40e) behavioural model with SR-IOV";
    dc->reset = xl710_qdev_reset;
    dc->vmsd = &xl710_vmstate;
    device_class_set_props(dc, xl710_properties);
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo xl710_info = {
    .name = TYPE_XL710,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(XL710State),
    .instance_init = xl710_instance_init,
    .class_init = xl710_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

/* ---- VF ---- */

static void xl710_vf_realize(PCIDevice *d, Error **errp)
{
    XL710VFDev *vd = XL710_VF(d);
    XL710State *s = xl710_vf_pf(d);
    int vf = pcie_sriov_vf_number(d);
    int i;

    if (!s || vf >= XL710_MAX_VFS) {
        error_setg(errp, "xl710-vf is created by the xl710 SR-IOV "
                   "capability only");
        return;
    }
    pci_config_set_vendor_id(d->config, PCI_VENDOR_ID_INTEL);
    pci_config_set_device_id(d->config, XL710_VF_DEVID);
    pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID, PCI_VENDOR_ID_INTEL);
    pci_set_word(d->config + PCI_SUBSYSTEM_ID, 0x0000);

    memory_region_init_io(&vd->mmio, OBJECT(d), &xl710_vf_mmio_ops, d,
                          "xl710-vf-mmio", XL710_VF_BAR0_SIZE);
    pcie_sriov_vf_register_bar(d, 0, &vd->mmio);
    memory_region_init(&vd->msix, OBJECT(d), "xl710-vf-msix",
                       XL710_VF_MSIX_BAR_SIZE);
    pcie_sriov_vf_register_bar(d, 3, &vd->msix);
    if (msix_init(d, XL710_VF_MSIX, &vd->msix, 3, 0, &vd->msix, 3, 0x2000,
                  XL710_MSIX_CAP, errp) < 0) {
        return;
    }
    for (i = 0; i < XL710_VF_MSIX; i++) {
        msix_vector_use(d, i);
    }
    if (pcie_endpoint_cap_init(d, XL710_EXP_CAP) < 0) {
        error_setg(errp, "xl710-vf: PCIe capability failed");
        return;
    }
    pcie_cap_flr_init(d);
    pcie_ari_init(d, XL710_ARI_CAP, 0);
    xl710_add_acs(d);
    xl710_dirty_init(OBJECT(d), s, vf);
    xl710_vf_reset(s, vf, false);
}

static void xl710_vf_exit(PCIDevice *d)
{
    XL710VFDev *vd = XL710_VF(d);
    XL710State *s = xl710_vf_pf(d);
    int vf = pcie_sriov_vf_number(d);

    if (s && vf < XL710_MAX_VFS) {
        xl710_vf_reset(s, vf, false);
    }
    msix_uninit(d, &vd->msix, &vd->msix);
}

static void xl710_vf_qdev_reset(DeviceState *dev)
{
    PCIDevice *d = PCI_DEVICE(dev);
    XL710State *s = xl710_vf_pf(d);
    int vf = pcie_sriov_vf_number(d);

    if (s && vf < XL710_MAX_VFS) {
        xl710_vf_reset(s, vf, false);
    }
}

static void xl710_vf_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    XL710State *s = xl710_vf_pf(d);
    int vf = pcie_sriov_vf_number(d);
    uint32_t devctl = d->exp.exp_cap + PCI_EXP_DEVCTL;

    pci_default_write_config(d, addr, val, len);
    if (s && vf < XL710_MAX_VFS &&
        (pci_get_word(d->config + devctl) & PCI_EXP_DEVCTL_BCR_FLR)) {
        /* Function level reset: reported to the PF as a VFLR */
        xl710_vf_reset(s, vf, true);
    }
    pcie_cap_flr_write_config(d, addr, val, len);
}

static void xl710_vf_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = xl710_vf_realize;
    k->exit = xl710_vf_exit;
    k->config_write = xl710_vf_write_config;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->device_id = XL710_VF_DEVID;
    k->revision = 2;
    k->class_id = PCI_CLASS_NETWORK_ETHERNET;
    dc->desc = "Intel XL710 virtual function (model)";
    dc->reset = xl710_vf_qdev_reset;
    dc->user_creatable = false;
    dc->vmsd = &xl710_vmstate;
    set_bit(DEVICE_CATEGORY_NETWORK, dc->categories);
}

static const TypeInfo xl710_vf_info = {
    .name = TYPE_XL710_VF,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(XL710VFDev),
    .class_init = xl710_vf_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void xl710_register_types(void)
{
    type_register_static(&xl710_info);
    type_register_static(&xl710_vf_info);
}

type_init(xl710_register_types)
