/*
 * Intel XL710 model: AdminQ transport.
 *
 * PF ATQ commands are executed synchronously when the tail is written.
 * The PF ARQ carries events (link status, VF mailbox messages).  VF
 * mailboxes: a VF's ATQ descriptor (opcode 0x0801) becomes a PF ARQ
 * event whose retval is the absolute VF id; a PF 0x0802 command becomes a
 * VF ARQ entry.  Messages are never dropped for lack of room: they wait in
 * FIFOs, and a VF's ATQ stops being consumed while its backlog is full.
 * VF rings and buffers are accessed through the VF's own PCI function.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "xl710.h"

static uint64_t xl710_aq_base(XL710AQRegs *r)
{
    return ((uint64_t)r->bah << 32) | r->bal;
}

static uint32_t xl710_aq_len(XL710AQRegs *r)
{
    return r->len & XL_AQLEN_LEN_MASK;
}

static bool xl710_aq_enabled(XL710AQRegs *r)
{
    return (r->len & XL_AQLEN_ENABLE) && xl710_aq_len(r) != 0;
}

static uint64_t xl710_desc_buf_addr(const XL710AQDesc *d)
{
    /* ldl_le_p() returns int: cast, or a low half >= 2 GiB sign-extends */
    return ((uint64_t)(uint32_t)ldl_le_p(d->params + 8) << 32) |
           (uint32_t)ldl_le_p(d->params + 12);
}

static void xl710_msg_free(XL710Msg *m)
{
    g_free(m->data);
    g_free(m);
}

/*
 * Put one event into a receive queue (PF ARQ or VF ARQ).  Returns false
 * when the ring is not enabled or full; the caller keeps the message.
 */
static bool xl710_arq_put(XL710State *s, int fn, XL710AQRegs *r,
                          const XL710AQDesc *ev, const uint8_t *buf,
                          uint16_t len)
{
    uint32_t n = xl710_aq_len(r);
    uint64_t daddr;
    XL710AQDesc d;
    uint16_t bsize, copy;

    if (!xl710_aq_enabled(r) || r->head >= n || r->tail >= n) {
        return false;
    }
    if (r->head == r->tail) {
        return false;                    /* no free descriptor */
    }
    daddr = xl710_aq_base(r) + (uint64_t)r->head * XL_AQ_DESC_SIZE;
    if (!xl710_dma_read(s, fn, daddr, &d, sizeof(d))) {
        qemu_log_mask(LOG_GUEST_ERROR, "xl710: fn %d ARQ desc unreadable\n",
                      fn);
        r->len &= ~XL_AQLEN_ENABLE;
        return false;
    }
    bsize = le16_to_cpu(d.datalen);
    copy = MIN(len, bsize);
    if (copy && buf) {
        if (!(le16_to_cpu(d.flags) & XL_AQ_FLAG_BUF)) {
            copy = 0;
        } else {
            xl710_dma_write(s, fn, xl710_desc_buf_addr(&d), buf, copy);
        }
    }
    {
        XL710AQDesc out = *ev;
        uint16_t fl = XL_AQ_FLAG_DD | XL_AQ_FLAG_CMP;

        if (copy) {
            fl |= XL_AQ_FLAG_BUF;
            if (copy > 512) {
                fl |= XL_AQ_FLAG_LB;
            }
            /* keep the buffer address the driver gave */
            memcpy(out.params + 8, d.params + 8, 8);
        }
        if (le16_to_cpu(ev->retval) && fn == XL710_FN_PF &&
            le16_to_cpu(ev->opcode) != XL_AQC_SEND_MSG_TO_PF) {
            fl |= XL_AQ_FLAG_ERR;
        }
        out.flags = cpu_to_le16(fl);
        out.datalen = cpu_to_le16(copy);
        xl710_dma_write(s, fn, daddr, &out, sizeof(out));
    }
    r->head = (r->head + 1) % n;
    return true;
}

bool xl710_pf_arq_post(XL710State *s, const XL710AQDesc *d,
                       const uint8_t *buf, uint16_t len)
{
    if (!xl710_arq_put(s, XL710_FN_PF, &s->arq, d, buf, len)) {
        return false;
    }
    xl710_pf_misc_cause(s, XL_ICR0_ADMINQ);
    return true;
}

/* Deliver waiting VF->PF messages while the PF ARQ has room. */
void xl710_pf_arq_kick(XL710State *s)
{
    XL710Msg *m;
    bool resume[XL710_MAX_VFS] = { false };
    int i;

    while ((m = g_queue_peek_head(&s->to_pf)) != NULL) {
        if (!xl710_pf_arq_post(s, &m->desc, m->data, m->len)) {
            break;
        }
        g_queue_pop_head(&s->to_pf);
        if (s->vf[m->vf].to_pf_count-- == XL710_MBX_BACKLOG) {
            resume[m->vf] = true;
        }
        xl710_msg_free(m);
    }
    for (i = 0; i < XL710_MAX_VFS; i++) {
        if (resume[i]) {
            xl710_vf_atq_kick(s, i);
        }
    }
}

void xl710_link_event(XL710State *s)
{
    XL710AQDesc d = { 0 };

    if (!s->lse_enabled) {
        return;
    }
    d.opcode = cpu_to_le16(XL_AQC_GET_LINK_STATUS);
    /* link status lives in the params, same layout as the 0x0607 reply */
    d.params[0] = 1;                        /* LSE is enabled */
    d.params[2] = s->link_up ? 0x18 : 0;    /* 40GBASE_CR4 */
    d.params[3] = s->link_up ? 0x10 : 0;    /* 40 Gb/s */
    d.params[4] = (s->link_up ? 0x01 : 0) | 0x40;
    d.params[5] = 0x81;
    stw_le_p(d.params + 8, 9728);
    d.params[10] = 0x04;
    xl710_pf_arq_post(s, &d, NULL, 0);
}

/* Execute every posted PF ATQ command. */
void xl710_pf_atq_kick(XL710State *s)
{
    XL710AQRegs *r = &s->atq;
    uint32_t n = xl710_aq_len(r);
    g_autofree uint8_t *buf = g_malloc(XL_AQ_MAX_BUF);
    unsigned budget;

    if (!xl710_aq_enabled(r)) {
        return;
    }
    if (r->tail >= n || r->head >= n) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "xl710: PF ATQ head/tail out of range\n");
        return;
    }
    for (budget = n; r->head != r->tail && budget; budget--) {
        uint64_t daddr = xl710_aq_base(r) + (uint64_t)r->head * XL_AQ_DESC_SIZE;
        XL710AQDesc d;
        uint16_t flags, blen = 0;
        uint64_t baddr = 0;

        if (!xl710_dma_read(s, XL710_FN_PF, daddr, &d, sizeof(d))) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: PF ATQ desc unreadable\n");
            r->len &= ~XL_AQLEN_ENABLE;
            return;
        }
        flags = le16_to_cpu(d.flags);
        memset(buf, 0, XL_AQ_MAX_BUF);
        if (flags & XL_AQ_FLAG_BUF) {
            blen = MIN(le16_to_cpu(d.datalen), XL_AQ_MAX_BUF);
            baddr = xl710_desc_buf_addr(&d);
            if (flags & XL_AQ_FLAG_RD) {
                xl710_dma_read(s, XL710_FN_PF, baddr, buf, blen);
            }
        }
        d.retval = 0;
        xl710_aq_exec(s, &d, buf, blen);
        if ((flags & XL_AQ_FLAG_BUF) && blen) {
            /* the driver copies the whole buffer back, RD or not */
            xl710_dma_write(s, XL710_FN_PF, baddr, buf, blen);
        }
        flags |= XL_AQ_FLAG_DD | XL_AQ_FLAG_CMP;
        if (d.retval) {
            flags |= XL_AQ_FLAG_ERR;
        }
        d.flags = cpu_to_le16(flags);
        xl710_dma_write(s, XL710_FN_PF, daddr, &d, sizeof(d));
        r->head = (r->head + 1) % n;
    }
}

/* ---- VF mailbox ---- */

void xl710_vf_arq_kick(XL710State *s, int vf)
{
    XL710VF *v = &s->vf[vf];
    XL710Msg *m;
    bool any = false;

    if (!xl710_fn_dev(s, vf)) {
        return;
    }
    while ((m = g_queue_peek_head(&v->to_vf)) != NULL) {
        if (!xl710_arq_put(s, vf, &v->arq, &m->desc, m->data, m->len)) {
            break;
        }
        g_queue_pop_head(&v->to_vf);
        xl710_msg_free(m);
        any = true;
    }
    if (any) {
        xl710_vf_misc_cause(s, vf, XL_ICR0_ADMINQ);
    }
}

void xl710_send_to_vf(XL710State *s, int vf, const XL710AQDesc *d,
                      const uint8_t *buf, uint16_t len)
{
    XL710Msg *m = g_new0(XL710Msg, 1);

    m->vf = vf;
    m->desc = *d;
    m->desc.opcode = cpu_to_le16(XL_AQC_SEND_MSG_TO_VF);
    m->desc.retval = 0;
    memset(m->desc.params, 0, sizeof(m->desc.params));
    m->len = len;
    m->data = len ? g_memdup2(buf, len) : NULL;
    g_queue_push_tail(&s->vf[vf].to_vf, m);
    xl710_vf_arq_kick(s, vf);
}

void xl710_vf_atq_kick(XL710State *s, int vf)
{
    XL710VF *v = &s->vf[vf];
    XL710AQRegs *r = &v->atq;
    uint32_t n = xl710_aq_len(r);
    unsigned budget;

    if (!xl710_fn_dev(s, vf) || !xl710_aq_enabled(r)) {
        return;
    }
    if (r->tail >= n || r->head >= n) {
        qemu_log_mask(LOG_GUEST_ERROR,
                      "xl710: VF %d ATQ head/tail out of range\n", vf);
        return;
    }
    for (budget = n; r->head != r->tail && budget; budget--) {
        uint64_t daddr = xl710_aq_base(r) + (uint64_t)r->head * XL_AQ_DESC_SIZE;
        XL710AQDesc d;
        uint16_t flags, retval = XL_AQ_RC_OK;
        XL710Msg *m;

        if (v->to_pf_count >= XL710_MBX_BACKLOG) {
            return;     /* back-pressure: resumed by xl710_pf_arq_kick */
        }
        if (!xl710_dma_read(s, vf, daddr, &d, sizeof(d))) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: VF %d ATQ desc unreadable\n",
                          vf);
            r->len &= ~XL_AQLEN_ENABLE;
            return;
        }
        flags = le16_to_cpu(d.flags);
        if (le16_to_cpu(d.opcode) == XL_AQC_QUEUE_SHUTDOWN) {
            /* iavf_shutdown_adminq(): the firmware just acknowledges it */
        } else if (le16_to_cpu(d.opcode) != XL_AQC_SEND_MSG_TO_PF) {
            qemu_log_mask(LOG_GUEST_ERROR, "xl710: VF %d ATQ opcode 0x%x\n",
                          vf, le16_to_cpu(d.opcode));
            retval = XL_AQ_RC_ESRCH;
        } else {
            m = g_new0(XL710Msg, 1);
            m->vf = vf;
            m->desc.opcode = cpu_to_le16(XL_AQC_SEND_MSG_TO_PF);
            m->desc.retval = cpu_to_le16(vf);      /* absolute VF id */
            m->desc.cookie_high = d.cookie_high;
            m->desc.cookie_low = d.cookie_low;
            if (flags & XL_AQ_FLAG_BUF) {
                m->len = MIN(le16_to_cpu(d.datalen), XL_AQ_MAX_BUF);
                m->data = g_malloc0(m->len ? m->len : 1);
                if (m->len && !xl710_dma_read(s, vf, xl710_desc_buf_addr(&d),
                                              m->data, m->len)) {
                    qemu_log_mask(LOG_GUEST_ERROR,
                                  "xl710: VF %d mailbox buffer unreadable\n",
                                  vf);
                }
            }
            g_queue_push_tail(&s->to_pf, m);
            v->to_pf_count++;
        }
        d.flags = cpu_to_le16(flags | XL_AQ_FLAG_DD | XL_AQ_FLAG_CMP |
                              (retval ? XL_AQ_FLAG_ERR : 0));
        d.retval = cpu_to_le16(retval);
        xl710_dma_write(s, vf, daddr, &d, sizeof(d));
        r->head = (r->head + 1) % n;
    }
    xl710_pf_arq_kick(s);
}

/* VF function reset: its receive backlog is discarded. */
void xl710_aq_flush_vf(XL710State *s, int vf)
{
    XL710Msg *m;

    while ((m = g_queue_pop_head(&s->vf[vf].to_vf)) != NULL) {
        xl710_msg_free(m);
    }
}

/* Device-level reset: all backlogs go. */
void xl710_aq_reset(XL710State *s)
{
    XL710Msg *m;
    int i;

    while ((m = g_queue_pop_head(&s->to_pf)) != NULL) {
        xl710_msg_free(m);
    }
    for (i = 0; i < XL710_MAX_VFS; i++) {
        s->vf[i].to_pf_count = 0;
        xl710_aq_flush_vf(s, i);
    }
}
