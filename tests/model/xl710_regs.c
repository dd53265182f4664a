/*
 * Intel XL710 model: register files (PF BAR0, VF BAR0 and the PF-side
 * aliases of VF registers), NVM shadow RAM.
 *
 * Registers without side effects are plain storage; the ones drivers poll
 * (PFSWR, QENA_STAT, VFRD, SRCTL.DONE, PFCM_LANCTXSTAT.CTX_DONE) complete
 * synchronously.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "xl710.h"
#include "hw/pci/pcie_sriov.h"

#define R(s, a) ((s)->regs[(a) >> 2])
#define VR(vf, a) ((vf)->regs[(a) >> 2])
#define IN(a, base, n) ((uint64_t)(a) - (base) < 4 * (uint64_t)(n))
#define IDX(a, base) (((a) - (base)) / 4)

#define VF_NVEC_N (XL710_VF_MSIX - 1)

void xl710_nvm_init(XL710State *s)
{
    uint16_t sum = 0;
    int i;

    memset(s->sr, 0, sizeof(s->sr));
    s->sr[0x00] = 0x0040;               /* control word: valid NVM */
    s->sr[0x18] = 0x0650;               /* NVM version 6.80 */
    s->sr[0x2D] = 0x8000;               /* EETRACK */
    s->sr[0x2E] = 0x3f00;
    /* VPD and PCIe-ALT module pointers are 0: words 0..511 not summed */
    for (i = 512; i < XL710_SR_WORDS; i++) {
        sum += s->sr[i];
    }
    s->sr[0x3F] = 0xBABA - sum;
}

void xl710_regs_init(XL710State *s)
{
    int vf, i;

    memset(s->regs, 0, XL710_BAR0_SIZE);
    R(s, XL_GLGEN_RSTCTL) = 8;
    R(s, XL_GLNVM_ULD) = 0xffffffff;
    R(s, XL_GLNVM_GENS) = 1 | (2 << 5);            /* 4 KiB shadow RAM */
    R(s, XL_GLNVM_FLA) = XL_GLNVM_FLA_LOCKED;
    R(s, XL_GLPCI_CAPSUP) = XL_GLPCI_CAPSUP_ARI_EN;
    R(s, XL_GLPCI_CNF2) = (XL710_PF_MSIX << 2) | (XL710_VF_MSIX << 13);
    R(s, XL_PFLAN_QALLOC) = ((XL710_NUM_QP - 1) << 16) | (1u << 31);
    if (s->num_vfs_max) {
        R(s, XL_PF_VT_PFALLOC) = ((s->num_vfs_max - 1) << 8) | (1u << 31);
    }
    R(s, XL_GLHMC_LANTXOBJSZ) = 7;
    R(s, XL_GLHMC_LANRXOBJSZ) = 5;
    R(s, XL_GLHMC_LANQMAX) = 1536;
    R(s, XL_GLHMC_FCOEFMAX) = 0xffff;   /* bounds PE/FCoE filter sizing */
    R(s, XL_PRTGL_SAH) = 9728u << 16;   /* max frame size */
    R(s, XL_GLGEN_PCIFCNCNT) = 1 | (s->num_vfs_max << 16);  /* 1 PF */
    for (vf = 0; vf < XL710_MAX_VFS; vf++) {
        for (i = 0; i < XL710_VF_MAX_QP; i++) {
            R(s, XL_VPLAN_QTABLE(i, vf)) = XL_VPLAN_QTABLE_QINDEX_MASK;
        }
    }
}

/* ---- PF BAR0 ---- */

static uint32_t *xl710_aq_reg(XL710AQRegs *r, uint32_t which)
{
    switch (which) {
    case 0x000:
        return &r->bal;
    case 0x100:
        return &r->bah;
    case 0x200:
        return &r->len;
    case 0x300:
        return &r->head;
    case 0x400:
        return &r->tail;
    }
    return NULL;
}

uint32_t xl710_pf_reg_read(XL710State *s, uint32_t addr)
{
    addr &= ~3u;
    if (addr >= XL710_BAR0_SIZE) {
        return 0;
    }
    if (addr >= XL_PF_ATQBAL && addr <= XL_PF_ARQT + 0x80 &&
        !(addr & 0x7f)) {
        XL710AQRegs *r = (addr & 0x80) ? &s->arq : &s->atq;
        uint32_t *p = xl710_aq_reg(r, (addr - XL_PF_ATQBAL) & ~0x80u);

        return p ? *p : 0;
    }
    switch (addr) {
    case XL_PFINT_ICR0:
        return xl710_pf_icr0_read(s);
    case XL_GLNVM_SRCTL:
        return R(s, addr) | XL_GLNVM_SRCTL_DONE;
    case XL_PF_PCI_CIAD:
        return 0;
    case XL_PF_FUNC_RID:
        return 0;
    }
    if (IN(addr, XL_VFGEN_RSTAT1(0), XL710_MAX_VFS)) {
        return VR(&s->vf[IDX(addr, XL_VFGEN_RSTAT1(0))], XL_VFGEN_RSTAT);
    }
    if (IN(addr, XL_VPGEN_VFRSTAT(0), XL710_MAX_VFS)) {
        return s->vf[IDX(addr, XL_VPGEN_VFRSTAT(0))].vfrstat;
    }
    if (IN(addr, XL_VPGEN_VFRTRIG(0), XL710_MAX_VFS)) {
        return s->vf[IDX(addr, XL_VPGEN_VFRTRIG(0))].vfrtrig;
    }
    if (IN(addr, XL_VFINT_ICR0_ENA(0), XL710_MAX_VFS)) {
        return VR(&s->vf[IDX(addr, XL_VFINT_ICR0_ENA(0))], XL_VF_ICR0_ENA1);
    }
    if (IN(addr, XL_VFINT_DYN_CTL0(0), XL710_MAX_VFS)) {
        return VR(&s->vf[IDX(addr, XL_VFINT_DYN_CTL0(0))], XL_VF_DYN_CTL01);
    }
    if (IN(addr, XL_VFINT_DYN_CTLN(0), XL710_MAX_VFS * VF_NVEC_N)) {
        int i = IDX(addr, XL_VFINT_DYN_CTLN(0));

        return VR(&s->vf[i / VF_NVEC_N], XL_VF_DYN_CTLN1(i % VF_NVEC_N));
    }
    /* the queues' live head and tails, whoever moved them (PF or VF) */
    if (IN(addr, XL_QTX_HEAD(0), XL710_NUM_QP)) {
        return s->txq[IDX(addr, XL_QTX_HEAD(0))].head;
    }
    if (IN(addr, XL_QTX_TAIL(0), XL710_NUM_QP)) {
        return s->txq[IDX(addr, XL_QTX_TAIL(0))].tail;
    }
    if (IN(addr, XL_QRX_TAIL(0), XL710_NUM_QP)) {
        return s->rxq[IDX(addr, XL_QRX_TAIL(0))].tail;
    }
    return R(s, addr);
}

void xl710_pf_reg_write(XL710State *s, uint32_t addr, uint32_t val)
{
    addr &= ~3u;
    if (addr >= XL710_BAR0_SIZE) {
        return;
    }
    if (addr >= XL_PF_ATQBAL && addr <= XL_PF_ARQT + 0x80 &&
        !(addr & 0x7f)) {
        bool arq = addr & 0x80;
        uint32_t which = (addr - XL_PF_ATQBAL) & ~0x80u;
        uint32_t *p = xl710_aq_reg(arq ? &s->arq : &s->atq, which);

        if (!p) {
            return;
        }
        *p = which == 0x200 ? val : (which >= 0x300 ? val & 0x3ff : val);
        if (!arq && which == 0x400) {
            xl710_pf_atq_kick(s);
        } else if (arq && (which == 0x400 || which == 0x200)) {
            xl710_pf_arq_kick(s);
        }
        return;
    }
    switch (addr) {
    case XL_PFGEN_CTRL:
        R(s, addr) = val & ~XL_PFGEN_CTRL_PFSWR;
        if (val & XL_PFGEN_CTRL_PFSWR) {
            xl710_pf_reset(s, false);
        }
        return;
    case XL_GLGEN_RTRIG:
        if (val & (XL_GLGEN_RTRIG_CORER | XL_GLGEN_RTRIG_GLOBR |
                   XL_GLGEN_RTRIG_EMPFWR)) {
            xl710_pf_reset(s, true);
        }
        return;
    case XL_GLNVM_SRCTL:
        R(s, addr) = val & ~(XL_GLNVM_SRCTL_START | XL_GLNVM_SRCTL_DONE);
        if (val & XL_GLNVM_SRCTL_START) {
            uint32_t w = (val >> XL_GLNVM_SRCTL_ADDR_SHIFT) &
                         XL_GLNVM_SRCTL_ADDR_MASK;

            R(s, XL_GLNVM_SRDATA) =
                (uint32_t)(w < XL710_SR_WORDS ? s->sr[w] : 0xffff) << 16;
        }
        return;
    case XL_PFHMC_SDCMD:
        R(s, addr) = val;
        if (val & XL_PFHMC_SDCMD_WR) {
            uint32_t idx = val & XL_PFHMC_SDCMD_IDX_MASK;
            uint32_t lo = R(s, XL_PFHMC_SDDATALOW);

            if (idx >= XL710_HMC_SDS) {
                qemu_log_mask(LOG_GUEST_ERROR, "xl710: HMC SD %u beyond "
                              "model limit\n", idx);
                return;
            }
            s->hmc_sd[idx] = ((uint64_t)R(s, XL_PFHMC_SDDATAHIGH) << 32) |
                             (lo & ~0xfffu);
            s->hmc_sd_valid[idx] = lo & XL_PFHMC_SDDATALOW_VALID;
            if (s->hmc_sd_valid[idx] && !(lo & 2)) {
                qemu_log_mask(LOG_UNIMP, "xl710: paged HMC not modelled\n");
                s->hmc_sd_valid[idx] = false;
            }
        }
        return;
    case XL_PFINT_ICR0:
        return;
    case XL_PFINT_ICR0_ENA:
        xl710_pf_misc_enable(s, val);
        return;
    case XL_PFINT_DYN_CTL0:
        xl710_pf_dyn_ctl_write(s, 0, val);
        return;
    case XL_PFCM_LANCTXCTL:
        xl710_lanctx_ctl_write(s, val);
        return;
    case XL_PFCM_LANCTXSTAT:
        return;                 /* status, cleared by the next CTL write */
    }
    if (IN(addr, XL_PFINT_DYN_CTLN(0), XL710_PF_MSIX - 1)) {
        xl710_pf_dyn_ctl_write(s, IDX(addr, XL_PFINT_DYN_CTLN(0)) + 1, val);
        return;
    }
    if (IN(addr, XL_QTX_ENA(0), XL710_NUM_QP)) {
        int q = IDX(addr, XL_QTX_ENA(0));
        bool was = s->txq[q].enabled;

        R(s, addr) = (R(s, addr) & XL_QENA_STAT) | (val & ~XL_QENA_STAT);
        if (!!(val & XL_QENA_REQ) != was) {
            xl710_txq_enable(s, q, val & XL_QENA_REQ);
        }
        return;
    }
    if (IN(addr, XL_QRX_ENA(0), XL710_NUM_QP)) {
        int q = IDX(addr, XL_QRX_ENA(0));
        bool was = s->rxq[q].enabled;

        R(s, addr) = (R(s, addr) & XL_QENA_STAT) | (val & ~XL_QENA_STAT);
        if (!!(val & XL_QENA_REQ) != was) {
            xl710_rxq_enable(s, q, val & XL_QENA_REQ);
        }
        return;
    }
    if (IN(addr, XL_QTX_TAIL(0), XL710_NUM_QP)) {
        xl710_txq_tail(s, IDX(addr, XL_QTX_TAIL(0)), val & XL_QTAIL_MASK);
        return;
    }
    if (IN(addr, XL_QRX_TAIL(0), XL710_NUM_QP)) {
        xl710_rxq_tail(s, IDX(addr, XL_QRX_TAIL(0)), val & XL_QTAIL_MASK);
        return;
    }
    if (IN(addr, XL_QTX_HEAD(0), XL710_NUM_QP)) {
        xl710_txq_head_write(s, IDX(addr, XL_QTX_HEAD(0)), val);
        return;
    }
    if (IN(addr, XL_VPGEN_VFRTRIG(0), XL710_MAX_VFS)) {
        int vf = IDX(addr, XL_VPGEN_VFRTRIG(0));
        bool rise = (val & XL_VPGEN_VFRTRIG_VFSWR) &&
                    !(s->vf[vf].vfrtrig & XL_VPGEN_VFRTRIG_VFSWR);

        s->vf[vf].vfrtrig = val;
        if (rise) {
            xl710_vf_reset(s, vf, false);
        }
        return;
    }
    if (IN(addr, XL_GLGEN_VFLRSTAT(0), 4)) {
        R(s, addr) &= ~val;
        return;
    }
    if (IN(addr, XL_VFGEN_RSTAT1(0), XL710_MAX_VFS)) {
        VR(&s->vf[IDX(addr, XL_VFGEN_RSTAT1(0))], XL_VFGEN_RSTAT) = val & 3;
        return;
    }
    if (IN(addr, XL_VFINT_ICR0_ENA(0), XL710_MAX_VFS)) {
        int vf = IDX(addr, XL_VFINT_ICR0_ENA(0));

        VR(&s->vf[vf], XL_VF_ICR0_ENA1) = val;
        xl710_vf_misc_update(s, vf);
        return;
    }
    if (IN(addr, XL_VFINT_DYN_CTL0(0), XL710_MAX_VFS)) {
        xl710_vf_dyn_ctl_write(s, IDX(addr, XL_VFINT_DYN_CTL0(0)), 0, val);
        return;
    }
    if (IN(addr, XL_VFINT_DYN_CTLN(0), XL710_MAX_VFS * VF_NVEC_N)) {
        int i = IDX(addr, XL_VFINT_DYN_CTLN(0));

        xl710_vf_dyn_ctl_write(s, i / VF_NVEC_N, i % VF_NVEC_N + 1, val);
        return;
    }
    R(s, addr) = val;
}

static uint64_t xl710_pf_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return xl710_pf_reg_read(XL710(opaque), addr);
}

static void xl710_pf_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                unsigned size)
{
    xl710_pf_reg_write(XL710(opaque), addr, val);
}

const MemoryRegionOps xl710_pf_mmio_ops = {
    .read = xl710_pf_mmio_read,
    .write = xl710_pf_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- VF BAR0 ---- */

static bool xl710_vf_ctx(void *opaque, XL710State **s, int *vf)
{
    PCIDevice *d = PCI_DEVICE(opaque);

    *s = xl710_vf_pf(d);
    *vf = pcie_sriov_vf_number(d);
    return *s && *vf < XL710_MAX_VFS;
}

static uint64_t xl710_vf_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    XL710State *s;
    XL710VF *v;
    int vf;
    uint32_t val;

    if (!xl710_vf_ctx(opaque, &s, &vf)) {
        return 0;
    }
    v = &s->vf[vf];
    addr &= ~3ull;
    /*
     * Tails: what the VF last wrote here, or 0 with vf-tail-read-zero (iavf
     * says the hardware "might not allow access and/or always return 0";
     * the option makes sure nothing relies on reading them).  The PF's
     * QTX_TAIL/QRX_TAIL aliases return the queue's live tail.
     */
    if (s->vf_tail_read_zero &&
        (IN(addr, XL_VF_QTX_TAIL1(0), XL710_VF_MAX_QP) ||
         IN(addr, XL_VF_QRX_TAIL1(0), XL710_VF_MAX_QP))) {
        return 0;
    }
    switch (addr) {
    case XL_VF_ICR01:
        val = VR(v, addr);
        VR(v, addr) = 0;
        return val;
    case XL_VF_ATQBAL1:
        return v->atq.bal;
    case XL_VF_ATQBAH1:
        return v->atq.bah;
    case XL_VF_ATQLEN1:
        return v->atq.len;
    case XL_VF_ATQH1:
        return v->atq.head;
    case XL_VF_ATQT1:
        return v->atq.tail;
    case XL_VF_ARQBAL1:
        return v->arq.bal;
    case XL_VF_ARQBAH1:
        return v->arq.bah;
    case XL_VF_ARQLEN1:
        return v->arq.len;
    case XL_VF_ARQH1:
        return v->arq.head;
    case XL_VF_ARQT1:
        return v->arq.tail;
    }
    return addr < XL710_VF_BAR0_SIZE ? VR(v, addr) : 0;
}

/*
 * A tail write for a queue the VF does not own.  While the VF is being
 * reset (VFGEN_RSTAT not VFACTIVE: e.g. an FLR under a running iavf, whose
 * queues the reset unmapped) the hardware ignores it silently.
 */
static void xl710_vf_unmapped_tail(XL710VF *v, int vf, const char *dir)
{
    if ((VR(v, XL_VFGEN_RSTAT) & 3) == XL_VFR_VFACTIVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: VF %d %s tail of an "
                      "unmapped queue\n", vf, dir);
    }
}

static void xl710_vf_mmio_write(void *opaque, hwaddr addr, uint64_t val64,
                                unsigned size)
{
    XL710State *s;
    XL710VF *v;
    int vf, q;
    uint32_t val = val64;

    if (!xl710_vf_ctx(opaque, &s, &vf)) {
        return;
    }
    v = &s->vf[vf];
    addr &= ~3ull;
    if (IN(addr, XL_VF_QTX_TAIL1(0), XL710_VF_MAX_QP)) {
        VR(v, addr) = val;
        q = xl710_vf_abs_queue(s, vf, IDX(addr, XL_VF_QTX_TAIL1(0)));
        if (q < 0) {
            xl710_vf_unmapped_tail(v, vf, "Tx");
            return;
        }
        xl710_txq_tail(s, q, val & XL_QTAIL_MASK);
        return;
    }
    if (IN(addr, XL_VF_QRX_TAIL1(0), XL710_VF_MAX_QP)) {
        VR(v, addr) = val;
        q = xl710_vf_abs_queue(s, vf, IDX(addr, XL_VF_QRX_TAIL1(0)));
        if (q < 0) {
            xl710_vf_unmapped_tail(v, vf, "Rx");
            return;
        }
        xl710_rxq_tail(s, q, val & XL_QTAIL_MASK);
        return;
    }
    if (IN(addr, XL_VF_DYN_CTLN1(0), VF_NVEC_N)) {
        xl710_vf_dyn_ctl_write(s, vf, IDX(addr, XL_VF_DYN_CTLN1(0)) + 1, val);
        return;
    }
    switch (addr) {
    case XL_VF_DYN_CTL01:
        xl710_vf_dyn_ctl_write(s, vf, 0, val);
        return;
    case XL_VF_ICR0_ENA1:
        VR(v, addr) = val;
        xl710_vf_misc_update(s, vf);
        return;
    case XL_VF_ICR01:
    case XL_VFGEN_RSTAT:
        return;
    case XL_VF_ATQBAL1:
        v->atq.bal = val; return;
    case XL_VF_ATQBAH1:
        v->atq.bah = val; return;
    case XL_VF_ATQLEN1:
        v->atq.len = val; return;
    case XL_VF_ATQH1:
        v->atq.head = val & 0x3ff; return;
    case XL_VF_ATQT1:
        v->atq.tail = val & 0x3ff;
        xl710_vf_atq_kick(s, vf);
        return;
    case XL_VF_ARQBAL1:
        v->arq.bal = val; return;
    case XL_VF_ARQBAH1:
        v->arq.bah = val; return;
    case XL_VF_ARQH1:
        v->arq.head = val & 0x3ff; return;
    case XL_VF_ARQLEN1:
        v->arq.len = val;
        xl710_vf_arq_kick(s, vf);
        return;
    case XL_VF_ARQT1:
        v->arq.tail = val & 0x3ff;
        xl710_vf_arq_kick(s, vf);
        return;
    }
    if (addr < XL710_VF_BAR0_SIZE) {
        VR(v, addr) = val;
    }
}

const MemoryRegionOps xl710_vf_mmio_ops = {
    .read = xl710_vf_mmio_read,
    .write = xl710_vf_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .impl = { .min_access_size = 4, .max_access_size = 4 },
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};
