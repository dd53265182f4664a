/*
 * Intel XL710 model: AdminQ command handlers (the "firmware").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "xl710.h"

#define P16(d, o) lduw_le_p((d)->params + (o))
#define P32(d, o) ((uint32_t)ldl_le_p((d)->params + (o)))
#define SET16(d, o, v) stw_le_p((d)->params + (o), (v))
#define SET32(d, o, v) stl_le_p((d)->params + (o), (v))

static void xl710_put_cap(uint8_t *buf, int *n, uint16_t buflen, uint16_t id,
                          uint32_t number, uint32_t logical, uint32_t phys)
{
    uint8_t *e = buf + *n * 32;

    if ((*n + 1) * 32 <= buflen) {
        memset(e, 0, 32);
        stw_le_p(e, id);
        e[2] = 1;
        stl_le_p(e + 4, number);
        stl_le_p(e + 8, logical);
        stl_le_p(e + 12, phys);
    }
    (*n)++;
}

static void xl710_cmd_caps(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                           uint16_t buflen)
{
    int n = 0;

    xl710_put_cap(buf, &n, buflen, XL_CAP_SWITCH_MODE, 0, 0, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_FUNCTIONS_VALID, 1, 0, 0);
    if (s->num_vfs_max) {
        xl710_put_cap(buf, &n, buflen, XL_CAP_SRIOV, 1, 0, 0);
        xl710_put_cap(buf, &n, buflen, XL_CAP_VF, s->num_vfs_max, 0, 0);
    }
    xl710_put_cap(buf, &n, buflen, XL_CAP_VSI, XL710_MAX_VSI, 0, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_RSS, 512, 6, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_RXQ, XL710_NUM_QP, 0, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_TXQ, XL710_NUM_QP, 0, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_MSIX, XL710_PF_MSIX, 0, 0);
    xl710_put_cap(buf, &n, buflen, XL_CAP_VF_MSIX, XL710_VF_MSIX, 0, 0);
    SET32(d, 4, n);
    d->datalen = cpu_to_le16(n * 32);
    if (n * 32 > buflen) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOMEM);
    }
}

static void xl710_put_elem(uint8_t *buf, int *n, uint16_t buflen,
                           uint8_t type, uint16_t seid, uint16_t up,
                           uint16_t down)
{
    uint8_t *e = buf + 16 + *n * 16;

    if (16 + (*n + 1) * 16 <= buflen) {
        memset(e, 0, 16);
        e[0] = type;
        stw_le_p(e + 2, seid);
        stw_le_p(e + 4, up);
        stw_le_p(e + 6, down);
        e[11] = 1;
        (*n)++;
    }
}

static void xl710_cmd_switch_config(XL710State *s, XL710AQDesc *d,
                                    uint8_t *buf, uint16_t buflen)
{
    int n = 0, i;

    if (buflen < 32) {
        d->retval = cpu_to_le16(XL_AQ_RC_EINVAL);
        return;
    }
    for (i = 0; i < XL710_MAX_VSI; i++) {
        XL710VSI *v = &s->vsi[i];

        if (v->used) {
            xl710_put_elem(buf, &n, buflen, XL_SW_ELEM_VSI, v->seid,
                           v->uplink, XL710_SEID_PF);
        }
    }
    for (i = 0; i < XL710_MAX_VEB; i++) {
        XL710VEB *b = &s->veb[i];

        if (b->used) {
            xl710_put_elem(buf, &n, buflen, XL_SW_ELEM_VEB, b->seid,
                           b->uplink, b->downlink);
        }
    }
    stw_le_p(buf, n);
    stw_le_p(buf + 2, n);
    SET16(d, 0, 0);                     /* no more elements */
    d->datalen = cpu_to_le16(16 + n * 16);
}

static void xl710_cmd_vsi(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                          uint16_t buflen, uint16_t op)
{
    XL710VSI *v;
    int used = 0, i;

    if (buflen < XL_VSI_PROP_SIZE) {
        d->retval = cpu_to_le16(XL_AQ_RC_EINVAL);
        return;
    }
    if (op == XL_AQC_ADD_VSI) {
        uint16_t uplink = P16(d, 0);
        uint8_t vf_id = d->params[4];
        uint8_t type = P16(d, 6) & 0x3;

        if (!xl710_vsi_by_seid(s, uplink) && !xl710_veb_by_seid(s, uplink) &&
            uplink != XL710_SEID_MAC && uplink != XL710_SEID_PF) {
            d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
            return;
        }
        v = xl710_vsi_add(s, uplink, type, vf_id, buf);
        if (!v) {
            d->retval = cpu_to_le16(XL_AQ_RC_ENOSPC);
            return;
        }
    } else {
        v = xl710_vsi_by_seid(s, P16(d, 0));
        if (!v) {
            d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
            return;
        }
        if (op == XL_AQC_UPDATE_VSI) {
            xl710_vsi_update(v, buf);
        }
    }
    memcpy(buf, v->info, XL_VSI_PROP_SIZE);
    for (i = 0; i < XL710_MAX_VSI; i++) {
        used += s->vsi[i].used;
    }
    memset(d->params, 0, 16);
    SET16(d, 0, v->seid);
    SET16(d, 2, v->num);
    SET16(d, 4, used);
    SET16(d, 6, XL710_MAX_VSI - used);
    d->datalen = cpu_to_le16(XL_VSI_PROP_SIZE);
}

static void xl710_cmd_add_veb(XL710State *s, XL710AQDesc *d)
{
    uint16_t up = P16(d, 0), down = P16(d, 2), flags = P16(d, 4);
    XL710VSI *dv = xl710_vsi_by_seid(s, down);
    int i, used = 0;

    if (up != XL710_SEID_MAC && !(flags & 0x1)) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
        return;
    }
    for (i = 0; i < XL710_MAX_VEB; i++) {
        if (!s->veb[i].used) {
            break;
        }
    }
    if (i == XL710_MAX_VEB) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOSPC);
        return;
    }
    s->veb[i].used = true;
    s->veb[i].seid = XL710_SEID_VEB_BASE + i;
    s->veb[i].uplink = up;
    s->veb[i].downlink = down;
    s->veb[i].flags = flags;
    if (dv) {
        dv->uplink = s->veb[i].seid;
    }
    for (used = 0, i = 0; i < XL710_MAX_VEB; i++) {
        used += s->veb[i].used;
    }
    memset(d->params, 0, 16);
    SET16(d, 6, XL710_SEID_MAC);
    for (i = XL710_MAX_VEB - 1; i >= 0; i--) {
        if (s->veb[i].used && s->veb[i].downlink == down) {
            SET16(d, 8, s->veb[i].seid);
            SET16(d, 10, i);
            break;
        }
    }
    SET16(d, 12, used);
    SET16(d, 14, XL710_MAX_VEB - used);
}

static void xl710_cmd_get_veb(XL710State *s, XL710AQDesc *d)
{
    XL710VEB *b = xl710_veb_by_seid(s, P16(d, 0));

    if (!b) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
        return;
    }
    memset(d->params, 0, 16);
    SET16(d, 0, b->seid);
    SET16(d, 2, 0);
    SET16(d, 4, b->flags);
    SET16(d, 6, b->seid - XL710_SEID_VEB_BASE);
    SET16(d, 8, 1);
    SET16(d, 10, XL710_MAX_VEB - 1);
}

static void xl710_cmd_delete(XL710State *s, XL710AQDesc *d)
{
    uint16_t seid = P16(d, 0);
    XL710VSI *v = xl710_vsi_by_seid(s, seid);
    XL710VEB *b = xl710_veb_by_seid(s, seid);
    int i;

    if (v) {
        xl710_vsi_free(v);
    } else if (b) {
        for (i = 0; i < XL710_MAX_VSI; i++) {
            if (s->vsi[i].used && s->vsi[i].uplink == b->seid) {
                s->vsi[i].uplink = b->uplink;
            }
        }
        b->used = false;
    } else {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
    }
}

static bool xl710_filter_match(XL710Filter *f, const uint8_t *mac,
                               uint16_t vlan, bool any)
{
    return !memcmp(f->mac, mac, 6) &&
           (f->any_vlan == any) && (any || f->vlan == vlan);
}

static void xl710_cmd_macvlan(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                              uint16_t buflen, bool add)
{
    uint16_t num = P16(d, 0), seid = P16(d, 2) & 0x3ff;
    XL710VSI *v = xl710_vsi_by_seid(s, seid);
    int i, j;

    if (!v) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
        return;
    }
    if (num * 16 > buflen) {
        d->retval = cpu_to_le16(XL_AQ_RC_EINVAL);
        return;
    }
    for (i = 0; i < num; i++) {
        uint8_t *e = buf + i * 16;
        uint16_t vlan = lduw_le_p(e + 6) & 0xfff;
        bool any;

        if (add) {
            any = lduw_le_p(e + 8) & XL_MACVLAN_ADD_IGNORE_VLAN;
            for (j = 0; j < v->nfilters; j++) {
                if (xl710_filter_match(&v->filters[j], e, vlan, any)) {
                    break;
                }
            }
            if (j == v->nfilters) {
                if (v->nfilters == XL710_MAX_FILTERS) {
                    e[12] = 0xff;       /* no resources */
                    d->retval = cpu_to_le16(XL_AQ_RC_ENOSPC);
                    continue;
                }
                memcpy(v->filters[j].mac, e, 6);
                v->filters[j].vlan = vlan;
                v->filters[j].any_vlan = any;
                v->nfilters++;
            }
            e[12] = 1;
        } else {
            any = e[8] & XL_MACVLAN_DEL_IGNORE_VLAN;
            e[12] = XL_AQ_RC_ENOENT;
            for (j = 0; j < v->nfilters; j++) {
                if (xl710_filter_match(&v->filters[j], e, vlan, any)) {
                    v->filters[j] = v->filters[--v->nfilters];
                    e[12] = 0;
                    break;
                }
            }
        }
    }
    SET16(d, 0, v->nfilters);
    SET16(d, 2, XL710_MAX_FILTERS - v->nfilters);
}

static void xl710_cmd_promisc(XL710State *s, XL710AQDesc *d)
{
    uint16_t flags = P16(d, 0), valid = P16(d, 2), seid = P16(d, 4) & 0x3ff;
    XL710VSI *v = xl710_vsi_by_seid(s, seid);

    if (!v) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
        return;
    }
    valid &= 0x1f;
    v->promisc = (v->promisc & ~valid) | (flags & valid);
}

static void xl710_cmd_link_status(XL710State *s, XL710AQDesc *d)
{
    uint16_t cf = P16(d, 0);

    if ((cf & 0x3) == 0x3) {
        s->lse_enabled = true;
    } else if ((cf & 0x3) == 0x2) {
        s->lse_enabled = false;
    }
    memset(d->params, 0, 16);
    SET16(d, 0, s->lse_enabled ? 1 : 0);
    d->params[2] = 0x18;                            /* 40GBASE_CR4 */
    d->params[3] = s->link_up ? 0x10 : 0;           /* 40 Gb/s */
    d->params[4] = (s->link_up ? 0x01 : 0) | 0x40;  /* up, media */
    d->params[5] = 0x81;                            /* AN done, qualified */
    SET16(d, 8, 9728);
    d->params[10] = 0x04;                           /* CRC enabled */
}

static void xl710_cmd_phy_abilities(XL710State *s, XL710AQDesc *d,
                                    uint8_t *buf, uint16_t buflen)
{
    if (buflen < 0x218) {
        d->retval = cpu_to_le16(XL_AQ_RC_EINVAL);
        return;
    }
    memset(buf, 0, 0x218);
    stl_le_p(buf, 1u << 0x18);          /* 40GBASE_CR4 */
    buf[4] = 0x10;                      /* 40 Gb/s */
    buf[5] = 0x08 | 0x10;               /* link enabled, AN enabled */
    d->datalen = cpu_to_le16(0x218);
}

static void xl710_cmd_send_to_vf(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                                 uint16_t buflen)
{
    uint32_t vf = P32(d, 0);

    if (vf >= s->num_vfs_max || !xl710_fn_dev(s, vf)) {
        d->retval = cpu_to_le16(XL_AQ_RC_ENOENT);
        return;
    }
    xl710_send_to_vf(s, vf, d, buf,
                     (le16_to_cpu(d->flags) & XL_AQ_FLAG_BUF) ? buflen : 0);
}

void xl710_aq_exec(XL710State *s, XL710AQDesc *d, uint8_t *buf,
                   uint16_t buflen)
{
    uint16_t op = le16_to_cpu(d->opcode);

    switch (op) {
    case XL_AQC_GET_VERSION:
        memset(d->params, 0, 16);
        SET32(d, 0, 0);                 /* rom */
        SET32(d, 4, 0x710);             /* fw build */
        SET16(d, 8, 4);                 /* fw 4.10: no DCB support */
        SET16(d, 10, 10);
        SET16(d, 12, 1);                /* AQ API 1.15 */
        SET16(d, 14, 15);
        break;
    case XL_AQC_DRIVER_VERSION:
    case XL_AQC_QUEUE_SHUTDOWN:
    case XL_AQC_SET_PF_CONTEXT:
    case XL_AQC_REQUEST_RESOURCE:
    case XL_AQC_RELEASE_RESOURCE:
    case XL_AQC_CLEAR_PXE:
    case XL_AQC_SET_SWITCH_CONF:
    case XL_AQC_MAC_ADDR_WRITE:
    case XL_AQC_UPDATE_VEB:
    case XL_AQC_ADD_VLAN:
    case XL_AQC_REMOVE_VLAN:
        break;
    case XL_AQC_LIST_FUNC_CAPS:
    case XL_AQC_LIST_DEV_CAPS:
        xl710_cmd_caps(s, d, buf, buflen);
        break;
    case XL_AQC_MAC_ADDR_READ:
        if (buflen < 24) {
            d->retval = cpu_to_le16(XL_AQ_RC_EINVAL);
            break;
        }
        memcpy(buf, s->conf.macaddr.a, 6);
        memcpy(buf + 12, s->conf.macaddr.a, 6);
        SET16(d, 0, 0x10 | 0x40);
        d->datalen = cpu_to_le16(24);
        break;
    case XL_AQC_GET_SWITCH_CONF:
        xl710_cmd_switch_config(s, d, buf, buflen);
        break;
    case XL_AQC_RX_CTL_READ:
        SET32(d, 12, xl710_pf_reg_read(s, P32(d, 4)));
        break;
    case XL_AQC_RX_CTL_WRITE:
        xl710_pf_reg_write(s, P32(d, 4), P32(d, 12));
        break;
    case XL_AQC_ADD_VSI:
    case XL_AQC_UPDATE_VSI:
    case XL_AQC_GET_VSI:
        xl710_cmd_vsi(s, d, buf, buflen, op);
        break;
    case XL_AQC_ADD_VEB:
        xl710_cmd_add_veb(s, d);
        break;
    case XL_AQC_GET_VEB:
        xl710_cmd_get_veb(s, d);
        break;
    case XL_AQC_DELETE_ELEMENT:
        xl710_cmd_delete(s, d);
        break;
    case XL_AQC_ADD_MACVLAN:
    case XL_AQC_REMOVE_MACVLAN:
        xl710_cmd_macvlan(s, d, buf, buflen, op == XL_AQC_ADD_MACVLAN);
        break;
    case XL_AQC_SET_PROMISC:
        xl710_cmd_promisc(s, d);
        break;
    case XL_AQC_GET_PHY_ABIL:
        xl710_cmd_phy_abilities(s, d, buf, buflen);
        break;
    case XL_AQC_SET_PHY_CONFIG:
    case XL_AQC_SET_LINK_RESTART:
        xl710_link_event(s);
        break;
    case XL_AQC_GET_LINK_STATUS:
        xl710_cmd_link_status(s, d);
        break;
    case XL_AQC_SEND_MSG_TO_VF:
        xl710_cmd_send_to_vf(s, d, buf, buflen);
        break;
    case XL_AQC_LLDP_GET_MIB:
    case XL_AQC_LLDP_GET_MIB + 1:
    case XL_AQC_LLDP_GET_MIB + 2:
    case XL_AQC_LLDP_GET_MIB + 3:
    case XL_AQC_LLDP_GET_MIB + 4:
    case XL_AQC_LLDP_GET_MIB + 6:
    case XL_AQC_LLDP_GET_MIB + 7:
    case XL_AQC_LLDP_GET_MIB + 8:
    case XL_AQC_LLDP_GET_MIB + 9:
    case XL_AQC_LLDP_GET_MIB + 10:
        d->retval = cpu_to_le16(XL_AQ_RC_EPERM);   /* no FW LLDP agent */
        break;
    case XL_AQC_LLDP_STOP:
        break;
    case XL_AQC_DEBUG_READ_REG:
        SET32(d, 8, 0);
        SET32(d, 12, xl710_pf_reg_read(s, P32(d, 4)));
        break;
    case XL_AQC_DEBUG_WRITE_REG:
        xl710_pf_reg_write(s, P32(d, 4), P32(d, 12));
        break;
    case XL_AQC_NVM_READ: {
        uint32_t off = P32(d, 4) & 0xffffff;    /* byte offset */
        uint16_t len = le16_to_cpu(d->datalen);
        uint32_t i;

        for (i = 0; i + 1 < len && i + 1 < buflen; i += 2) {
            uint32_t w = (off + i) / 2;

            stw_le_p(buf + i, w < XL710_SR_WORDS ? s->sr[w] : 0);
        }
        break;
    }
    default:
        /*
         * Bandwidth/scheduler queries, DCB, cloud filters, tunnels ...:
         * accepted, with an all-zero answer.
         */
        qemu_log_mask(LOG_UNIMP, "xl710: AQ opcode 0x%04x answered with "
                      "zeros\n", op);
        break;
    }
}
