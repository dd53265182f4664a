/*
 * Intel XL710 model: interrupts (ICR0 "other causes" vector 0 and queue
 * vectors, for the PF and its VFs).  Interrupt moderation (ITR) is not
 * modelled: an enabled vector fires at once.  A vector auto-masks when it
 * fires (INTENA clears) until the driver re-arms it through DYN_CTL.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "hw/pci/msix.h"
#include "xl710.h"

#define R(s, a) ((s)->regs[(a) >> 2])
#define VR(vf, a) ((vf)->regs[(a) >> 2])

static void xl710_notify(XL710State *s, int fn, int vec)
{
    PCIDevice *d = xl710_fn_dev(s, fn);

    if (d && msix_enabled(d) && vec < d->msix_entries_nr) {
        msix_notify(d, vec);
    }
}

/* ---- PF ---- */

/*
 * PFINT_ICR0 latches every cause, enabled in PFINT_ICR0_ENA or not (the
 * driver's handler reads them all, and the read clears them).  A cause
 * raises the interrupt only if it occurs while PFINT_ICR0_ENA enables it:
 * then it waits in icr0_pend while the vector is masked (DYN_CTL0 INTENA
 * clear, as after it fired) and fires when the driver re-arms the vector.
 * Enabling a cause in PFINT_ICR0_ENA does not fire it for an event that
 * occurred while it was disabled.  i40e relies on that:
 * i40e_vc_process_vflr_event() enables the VFLR cause again, then clears
 * its VFLR-pending flag and scans GLGEN_VFLRSTAT itself.  An interrupt
 * fired by that write (for a VFLR while the cause was off) runs i40e_intr()
 * before the clear: it disables the cause and sets the flag, the clear
 * loses the flag, and no later VFLR is ever signalled again (VFs reset by
 * FLR stay in reset, VFGEN_RSTAT 0, for good).
 */
void xl710_pf_misc_update(XL710State *s)
{
    if (s->icr0_pend && (R(s, XL_PFINT_DYN_CTL0) & XL_DYN_CTL_INTENA)) {
        s->icr0_pend = 0;
        R(s, XL_PFINT_DYN_CTL0) &= ~XL_DYN_CTL_INTENA;
        R(s, XL_PFINT_ICR0) |= XL_ICR0_INTEVENT;
        xl710_notify(s, XL710_FN_PF, 0);
    }
}

void xl710_pf_misc_cause(XL710State *s, uint32_t cause)
{
    R(s, XL_PFINT_ICR0) |= cause;
    s->icr0_pend |= cause & R(s, XL_PFINT_ICR0_ENA) & ~XL_ICR0_INTEVENT;
    xl710_pf_misc_update(s);
}

/* PFINT_ICR0_ENA written: a pending cause that is now disabled goes */
void xl710_pf_misc_enable(XL710State *s, uint32_t ena)
{
    R(s, XL_PFINT_ICR0_ENA) = ena;
    s->icr0_pend &= ena;
    xl710_pf_misc_update(s);
}

/* PFINT_ICR0 read: it clears the causes, and the interrupts they wait for */
uint32_t xl710_pf_icr0_read(XL710State *s)
{
    uint32_t val = R(s, XL_PFINT_ICR0);

    R(s, XL_PFINT_ICR0) = 0;
    s->icr0_pend = 0;
    return val;
}

static uint32_t *xl710_fn_dyn_ctl(XL710State *s, int fn, int vec)
{
    if (fn == XL710_FN_PF) {
        if (vec == 0) {
            return &R(s, XL_PFINT_DYN_CTL0);
        }
        return &R(s, XL_PFINT_DYN_CTLN(vec - 1));
    }
    if (vec == 0) {
        return &VR(&s->vf[fn], XL_VF_DYN_CTL01);
    }
    return &VR(&s->vf[fn], XL_VF_DYN_CTLN1(vec - 1));
}

static void xl710_vec_update(XL710State *s, int fn, int vec)
{
    bool *pend = fn == XL710_FN_PF ? &s->vec_pend[vec]
                                   : &s->vf[fn].vec_pend[vec];
    uint32_t *ctl = xl710_fn_dyn_ctl(s, fn, vec);

    if (*pend && (*ctl & XL_DYN_CTL_INTENA)) {
        *pend = false;
        *ctl &= ~XL_DYN_CTL_INTENA;
        xl710_notify(s, fn, vec);
    }
}

void xl710_fn_vec_raise(XL710State *s, int fn, int vec)
{
    int nvec = fn == XL710_FN_PF ? XL710_PF_MSIX : XL710_VF_MSIX;

    if (vec <= 0 || vec >= nvec) {
        if (vec == 0) {
            /* queue cause routed to the misc vector: just signal it */
            if (fn == XL710_FN_PF) {
                xl710_pf_misc_update(s);
            } else {
                xl710_vf_misc_update(s, fn);
            }
        }
        return;
    }
    if (fn == XL710_FN_PF) {
        s->vec_pend[vec] = true;
    } else {
        s->vf[fn].vec_pend[vec] = true;
    }
    xl710_vec_update(s, fn, vec);
}

static void xl710_dyn_ctl_apply(uint32_t *ctl, uint32_t val)
{
    uint32_t old = *ctl;

    if (val & XL_DYN_CTL_INTENA_MSK) {
        val = (val & ~XL_DYN_CTL_INTENA) | (old & XL_DYN_CTL_INTENA);
    }
    *ctl = val & ~(XL_DYN_CTL_CLEARPBA | XL_DYN_CTL_SWINT_TRIG |
                   XL_DYN_CTL_INTENA_MSK);
}

void xl710_pf_dyn_ctl_write(XL710State *s, int vec, uint32_t val)
{
    if (vec < 0 || vec >= XL710_PF_MSIX) {
        return;
    }
    xl710_dyn_ctl_apply(xl710_fn_dyn_ctl(s, XL710_FN_PF, vec), val);
    if (vec == 0) {
        if (val & XL_DYN_CTL_SWINT_TRIG) {
            xl710_pf_misc_cause(s, XL_ICR0_SWINT);
            return;
        }
        xl710_pf_misc_update(s);
        return;
    }
    if (val & XL_DYN_CTL_SWINT_TRIG) {
        s->vec_pend[vec] = true;
    }
    xl710_vec_update(s, XL710_FN_PF, vec);
}

/* ---- VF ---- */

void xl710_vf_misc_update(XL710State *s, int vf)
{
    XL710VF *v = &s->vf[vf];

    if ((VR(v, XL_VF_ICR01) & VR(v, XL_VF_ICR0_ENA1) & ~XL_ICR0_INTEVENT) &&
        (VR(v, XL_VF_DYN_CTL01) & XL_DYN_CTL_INTENA)) {
        VR(v, XL_VF_DYN_CTL01) &= ~XL_DYN_CTL_INTENA;
        VR(v, XL_VF_ICR01) |= XL_ICR0_INTEVENT;
        xl710_notify(s, vf, 0);
    }
}

void xl710_vf_misc_cause(XL710State *s, int vf, uint32_t cause)
{
    VR(&s->vf[vf], XL_VF_ICR01) |= cause;
    xl710_vf_misc_update(s, vf);
}

void xl710_vf_dyn_ctl_write(XL710State *s, int vf, int vec, uint32_t val)
{
    if (vf < 0 || vf >= XL710_MAX_VFS || vec < 0 || vec >= XL710_VF_MSIX) {
        return;
    }
    xl710_dyn_ctl_apply(xl710_fn_dyn_ctl(s, vf, vec), val);
    if (vec == 0) {
        if (val & XL_DYN_CTL_SWINT_TRIG) {
            VR(&s->vf[vf], XL_VF_ICR01) |= XL_ICR0_SWINT;
        }
        xl710_vf_misc_update(s, vf);
        return;
    }
    if (val & XL_DYN_CTL_SWINT_TRIG) {
        s->vf[vf].vec_pend[vec] = true;
    }
    xl710_vec_update(s, vf, vec);
}

/* A queue completed work: signal the vector its QINT_[RT]QCTL names. */
void xl710_queue_irq(XL710State *s, int q, bool rx)
{
    uint32_t ctl = R(s, rx ? XL_QINT_RQCTL(q) : XL_QINT_TQCTL(q));
    int fn = rx ? s->rxq[q].fn : s->txq[q].fn;

    if (!(ctl & XL_QINT_CAUSE_ENA)) {
        return;
    }
    xl710_fn_vec_raise(s, fn, ctl & XL_QINT_MSIX_INDX_MASK);
}
