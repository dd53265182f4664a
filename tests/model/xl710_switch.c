/*
 * Intel XL710 model: the internal switch.  VSIs (with MAC/VLAN filters,
 * promiscuous flags, port VLAN and VLAN stripping), VEBs, and forwarding:
 * frames from a VSI that sits on a VEB are delivered to matching VSIs on
 * the same VEB (loopback); everything else goes to the uplink (the QEMU
 * netdev).  Frames from the wire go to every matching VSI.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "net/eth.h"
#include "xl710.h"

void xl710_switch_reset(XL710State *s)
{
    XL710VSI *v;

    memset(s->vsi, 0, sizeof(s->vsi));
    memset(s->veb, 0, sizeof(s->veb));
    /* after reset the firmware provides the PF's main VSI */
    v = &s->vsi[0];
    v->used = true;
    v->num = 0;
    v->seid = XL710_SEID_VSI_BASE;
    v->uplink = XL710_SEID_MAC;
    v->type = 2;
    stw_le_p(v->info + XL_VSI_OFF_QMAP, 0);
    stw_le_p(v->info + XL_VSI_OFF_TCMAP, 0);
    stw_le_p(v->info + XL_VSI_OFF_STAT_IDX, 0);
}

XL710VSI *xl710_vsi_by_seid(XL710State *s, uint16_t seid)
{
    int i;

    for (i = 0; i < XL710_MAX_VSI; i++) {
        if (s->vsi[i].used && s->vsi[i].seid == seid) {
            return &s->vsi[i];
        }
    }
    return NULL;
}

XL710VEB *xl710_veb_by_seid(XL710State *s, uint16_t seid)
{
    int i;

    for (i = 0; i < XL710_MAX_VEB; i++) {
        if (s->veb[i].used && s->veb[i].seid == seid) {
            return &s->veb[i];
        }
    }
    return NULL;
}

static void xl710_vsi_fw_fields(XL710VSI *v)
{
    int i;

    for (i = 0; i < 8; i++) {
        stw_le_p(v->info + XL_VSI_OFF_QS_HANDLE + 2 * i,
                 i == 0 ? v->num : 0xffff);
    }
    stw_le_p(v->info + XL_VSI_OFF_STAT_IDX, v->num);
}

/* Copy the sections the driver marked valid. */
void xl710_vsi_update(XL710VSI *v, const uint8_t *info)
{
    static const struct {
        uint16_t bit, off, len;
    } sect[] = {
        { XL_VSI_PROP_SWITCH_VALID, 2, 4 },
        { XL_VSI_PROP_SECURITY_VALID, 6, 2 },
        { XL_VSI_PROP_VLAN_VALID, 8, 8 },
        { XL_VSI_PROP_INGRESS_VALID, 16, 4 },
        { XL_VSI_PROP_EGRESS_VALID, 20, 4 },
        { XL_VSI_PROP_CAS_PV_VALID, 24, 4 },
        { XL_VSI_PROP_QUEUE_MAP_VALID, 28, 50 },
        { XL_VSI_PROP_QUEUE_OPT_VALID, 78, 4 },
        { XL_VSI_PROP_SCHED_VALID, 82, 2 },
        { XL_VSI_PROP_OUTER_UP_VALID, 84, 4 },
    };
    uint16_t valid = lduw_le_p(info);
    int i;

    for (i = 0; i < ARRAY_SIZE(sect); i++) {
        if (valid & sect[i].bit) {
            memcpy(v->info + sect[i].off, info + sect[i].off, sect[i].len);
        }
    }
    stw_le_p(v->info, lduw_le_p(v->info) | valid);
    xl710_vsi_fw_fields(v);
}

XL710VSI *xl710_vsi_add(XL710State *s, uint16_t uplink, uint8_t type,
                        uint8_t vf_id, const uint8_t *info)
{
    int i;

    for (i = 1; i < XL710_MAX_VSI; i++) {
        if (!s->vsi[i].used) {
            XL710VSI *v = &s->vsi[i];

            memset(v, 0, sizeof(*v));
            v->used = true;
            v->num = i;
            v->seid = XL710_SEID_VSI_BASE + i;
            v->uplink = uplink;
            v->type = type;
            v->vf_id = vf_id;
            xl710_vsi_update(v, info);
            return v;
        }
    }
    return NULL;
}

void xl710_vsi_free(XL710VSI *v)
{
    memset(v, 0, sizeof(*v));
}

static int xl710_vsi_queues(XL710VSI *v, int *list, int max)
{
    uint16_t flags = lduw_le_p(v->info + XL_VSI_OFF_MAP_FLAGS);
    int n = 0, tc, i;

    if (!(lduw_le_p(v->info) & XL_VSI_PROP_QUEUE_MAP_VALID) &&
        v->type != 2) {
        return 0;
    }
    for (tc = 0; tc < 8; tc++) {
        uint16_t m = lduw_le_p(v->info + XL_VSI_OFF_TCMAP + 2 * tc);
        int off = m & 0x1ff, cnt = 1 << ((m >> 9) & 0xf);

        if (tc && !m) {
            continue;
        }
        n = MAX(n, off + cnt);
    }
    n = MIN(n, 16);
    if (flags & 1) {                    /* non-contiguous */
        for (i = 0; i < n && i < max; i++) {
            list[i] = lduw_le_p(v->info + XL_VSI_OFF_QMAP + 2 * i) & 0x7ff;
        }
    } else {
        int base = lduw_le_p(v->info + XL_VSI_OFF_QMAP) & 0x7ff;

        for (i = 0; i < n && i < max; i++) {
            list[i] = base + i;
        }
    }
    return MIN(n, max);
}

XL710VSI *xl710_vsi_of_queue(XL710State *s, int q)
{
    int owner = xl710_queue_owner(s, q);
    int i, j, n, list[16];

    for (i = 0; i < XL710_MAX_VSI; i++) {
        XL710VSI *v = &s->vsi[i];

        if (!v->used) {
            continue;
        }
        if (owner >= 0) {
            if (v->type == 0 && v->vf_id == owner) {
                return v;
            }
            continue;
        }
        if (v->type == 0) {
            continue;
        }
        n = xl710_vsi_queues(v, list, 16);
        for (j = 0; j < n; j++) {
            if (list[j] == q) {
                return v;
            }
        }
    }
    return owner < 0 ? &s->vsi[0] : NULL;
}

int xl710_vsi_first_queue(XL710State *s, XL710VSI *v)
{
    int list[16];

    if (xl710_vsi_queues(v, list, 16) < 1) {
        return -1;
    }
    return list[0];
}

/* ---- forwarding ---- */

typedef struct XL710Frame {
    const uint8_t *data;
    size_t len;
    bool tagged;
    uint16_t tci;
} XL710Frame;

static void xl710_parse(XL710Frame *f, const uint8_t *data, size_t len)
{
    f->data = data;
    f->len = len;
    f->tagged = len >= 18 && lduw_be_p(data + 12) == ETH_P_VLAN;
    f->tci = f->tagged ? lduw_be_p(data + 14) : 0;
}

static bool xl710_vsi_accepts(XL710VSI *v, const XL710Frame *f, bool exact)
{
    const uint8_t *dst = f->data;
    uint16_t vid = f->tci & 0xfff;
    uint8_t pvf = v->info[XL_VSI_OFF_PVLAN_FLAGS];
    uint16_t pvid = lduw_le_p(v->info + XL_VSI_OFF_PVID) & 0xfff;
    int i;

    if ((pvf & XL_PVLAN_INSERT_PVID) && pvid) {
        if (!f->tagged || vid != pvid) {
            return false;
        }
    } else if ((pvf & XL_PVLAN_MODE_MASK) == XL_PVLAN_MODE_TAGGED &&
               !f->tagged) {
        return false;
    }
    for (i = 0; i < v->nfilters; i++) {
        XL710Filter *fl = &v->filters[i];

        if (!memcmp(fl->mac, dst, 6) && (fl->any_vlan || fl->vlan == vid)) {
            return true;
        }
    }
    if (exact) {
        return false;
    }
    if (is_broadcast_ether_addr(dst)) {
        return true;
    }
    if (is_multicast_ether_addr(dst)) {
        return v->promisc & (XL_PROMISC_MULTICAST | XL_PROMISC_UNICAST);
    }
    return v->promisc & (XL_PROMISC_UNICAST | XL_PROMISC_DEFAULT);
}

/* Deliver to one VSI, applying its VLAN stripping rules. */
static void xl710_vsi_rx(XL710State *s, XL710VSI *v, const XL710Frame *f)
{
    uint8_t pvf = v->info[XL_VSI_OFF_PVLAN_FLAGS];
    uint8_t emod = pvf & XL_PVLAN_EMOD_MASK;
    bool pvid = (pvf & XL_PVLAN_INSERT_PVID) &&
                (lduw_le_p(v->info + XL_VSI_OFF_PVID) & 0xfff);
    uint8_t *buf;

    if (f->tagged && (pvid || emod == XL_PVLAN_EMOD_STR_BOTH ||
                      emod == XL_PVLAN_EMOD_STR)) {
        buf = g_malloc(f->len - 4);
        memcpy(buf, f->data, 12);
        memcpy(buf + 12, f->data + 16, f->len - 16);
        xl710_rx_deliver(s, v, buf, f->len - 4, f->tci, !pvid);
        g_free(buf);
        return;
    }
    xl710_rx_deliver(s, v, f->data, f->len, 0, false);
}

static bool xl710_on_veb(XL710State *s, XL710VSI *v, uint16_t *veb)
{
    if (xl710_veb_by_seid(s, v->uplink)) {
        *veb = v->uplink;
        return true;
    }
    return false;
}

void xl710_switch_tx(XL710State *s, XL710VSI *src, uint8_t *frame,
                     size_t len)
{
    XL710Frame f;
    uint16_t veb = 0;
    bool local = src && xl710_on_veb(s, src, &veb);
    bool hit = false;
    int i;

    if (len < 14) {
        return;
    }
    xl710_parse(&f, frame, len);
    if (local) {
        bool mcast = is_multicast_ether_addr(frame);

        for (i = 0; i < XL710_MAX_VSI; i++) {
            XL710VSI *v = &s->vsi[i];

            if (!v->used || v == src || v->uplink != veb) {
                continue;
            }
            if (xl710_vsi_accepts(v, &f, !mcast)) {
                xl710_vsi_rx(s, v, &f);
                hit = true;
            }
        }
        if (hit && !mcast) {
            return;             /* switched locally by the VEB */
        }
    }
    if (s->link_up && s->nic) {
        qemu_send_packet(qemu_get_queue(s->nic), frame, len);
    }
}

ssize_t xl710_switch_rx_wire(XL710State *s, const uint8_t *frame,
                             size_t len)
{
    XL710Frame f;
    XL710VSI *targets[XL710_MAX_VSI];
    int n = 0, i;
    bool exact_hit = false;

    if (len < 14) {
        return len;
    }
    xl710_parse(&f, frame, len);
    for (i = 0; i < XL710_MAX_VSI; i++) {
        if (s->vsi[i].used && xl710_vsi_accepts(&s->vsi[i], &f, true)) {
            targets[n++] = &s->vsi[i];
            exact_hit = true;
        }
    }
    if (!exact_hit || is_multicast_ether_addr(frame)) {
        n = 0;
        for (i = 0; i < XL710_MAX_VSI; i++) {
            if (s->vsi[i].used &&
                xl710_vsi_accepts(&s->vsi[i], &f, false)) {
                targets[n++] = &s->vsi[i];
            }
        }
    }
    if (n == 1) {
        int q;

        if (!xl710_rx_room(s, targets[0], len, &q)) {
            /*
             * Like the hardware's packet buffer: hold the frame (and the
             * port) briefly; it is retried when software bumps a tail.  If
             * the queue stays full for rx_hold_us, it drops from then on
             * (xl710_rx_hold_expired), so one stuck function cannot stall
             * the others.
             */
            s->rx_hold_q = q;
            if (!timer_pending(s->rx_hold_timer)) {
                timer_mod(s->rx_hold_timer,
                          qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                          (int64_t)s->rx_hold_us * 1000);
            }
            return 0;
        }
    }
    if (s->rx_hold_q >= 0) {
        timer_del(s->rx_hold_timer);
        s->rx_hold_q = -1;
    }
    for (i = 0; i < n; i++) {
        xl710_vsi_rx(s, targets[i], &f);
    }
    return len;
}
