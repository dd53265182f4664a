/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: a guest, a device and a migration driver around dirty_set.c
 *
 * Test-only, shared by dirty_set_test.c and tests/fuzz/fuzz_dirty.c.  A
 * byte string drives a small simulation in which a guest driver posts Rx
 * buffers (and mailbox receive buffers) in a ring in guest memory, a
 * device fills them in order and writes the descriptors back, and the
 * migration driver tracks them with dirty_set.c and reports windows of
 * pages.  The simulation keeps its own ground truth: the pages the device
 * wrote since tracking started that no report of their window has covered
 * since the write.  A report that leaves one out is a miss; the caller
 * checks sim->misses == 0.
 *
 * The guest may write any tail, rewrite the descriptors it owns and post
 * any address, aligned or not, mapped or not, tracked or not.  It never
 * changes a descriptor the device owns without a tail write, neither
 * itself nor by placing rings in each other or buffers over a ring: there
 * the device may use a copy it fetched earlier, and only the guest's own
 * memory suffers (Documentation/migration.rst, "Dirty tracking").
 */
#ifndef I40E_VF_MDEV_DIRTY_SET_SIM_H
#define I40E_VF_MDEV_DIRTY_SET_SIM_H

#include "dirty_set.h"

#define SIM_PAGE	4096ULL
/* IOVA [0, 96 pages) is memory: rings in pages [0, 12), buffers from 16 */
#define SIM_PAGES	96
#define SIM_RINGS	2		/* one Rx queue, the mailbox */

struct sim_dev_ring {
	u32 head;		/* next slot the device fills */
	u32 tail;		/* tail as the device sees it */
};

struct sim {
	u8 mem[SIM_PAGES * SIM_PAGE];
	struct i40e_vf_mdev_dset set;
	u64 bits[(SIM_PAGES + 63) / 64];
	struct i40e_vf_mdev_dring ring[SIM_RINGS];
	u64 slots[SIM_RINGS][3 * 256];
	struct sim_dev_ring dev[SIM_RINGS];
	bool pending[SIM_PAGES];	/* written, not yet reported after */
	bool in_range[SIM_PAGES];
	bool tracking;
	bool broken;			/* negative control: reports skip rings */
	unsigned int misses;
	unsigned int first_miss_page;
	unsigned long writes, reports, reported_pages, emitted;
	/*
	 * The type1 outlet (dirty_pin.c's rules, through the rings' watch)
	 * and a model of type1: a pin from zero sets a page's bit, a report
	 * hands out the bits and every pinned page.
	 */
	u16 want[SIM_PAGES];
	bool pinned[SIM_PAGES];
	bool t1bit[SIM_PAGES];
	bool t1pending[SIM_PAGES];	/* written, not yet in a type1 report */
	bool pin_broken;		/* negative control: no pin at unpin */
	unsigned int t1misses;
	unsigned int t1_first_miss_page;
	unsigned long t1reported_pages, pins, unpins;
};

static int sim_read(void *ctx, u64 iova, void *buf, unsigned int len)
{
	struct sim *sm = ctx;

	if (iova >= sizeof(sm->mem) || len > sizeof(sm->mem) - iova)
		return -EFAULT;
	memcpy(buf, sm->mem + iova, len);
	return 0;
}

/* The device writes [iova, iova + len): memory it maps, ground truth */
static void sim_dev_write(struct sim *sm, u64 iova, u64 len, u8 val)
{
	u64 i;

	for (i = 0; i < len; i++) {
		u64 a = iova + i;

		if (a < iova || a >= sizeof(sm->mem))
			break;
		sm->mem[a] = val;
		if (sm->tracking && sm->in_range[a / SIM_PAGE])
			sm->pending[a / SIM_PAGE] = true;
		if (sm->tracking)
			sm->t1pending[a / SIM_PAGE] = true;
	}
	sm->writes++;
}

static bool sim_emit(void *ctx, u64 iova, u64 len)
{
	struct sim *sm = ctx;
	u64 p;

	for (p = iova / SIM_PAGE; p < (iova + len) / SIM_PAGE; p++) {
		if (p < SIM_PAGES)
			sm->pending[p] = false;
		sm->reported_pages++;
	}
	/* stop after every third run, as a caller with a full buffer does */
	return ++sm->emitted % 3 != 0;
}

/* The type1 outlet: pin what the device may write, pin again at unpin */
static void sim_watch(void *ctx, u64 iova, u64 len, bool posted)
{
	struct sim *sm = ctx;
	u64 p;

	for (p = iova / SIM_PAGE; p <= (iova + len - 1) / SIM_PAGE; p++) {
		if (p >= SIM_PAGES)
			break;		/* not memory: no pin, no write */
		if (posted) {
			if (!sm->want[p]++) {
				sm->pinned[p] = true;
				sm->t1bit[p] = true;
				sm->pins++;
			}
		} else if (!sm->want[p]) {
			sm->t1misses++;		/* let go of more than taken */
		} else if (!--sm->want[p]) {
			sm->pinned[p] = false;
			if (!sm->pin_broken)
				sm->t1bit[p] = true;
			sm->unpins++;
		}
	}
}

/* The bytes of ring @r itself, for the type1 outlet */
static void sim_watch_ring(struct sim *sm, unsigned int r, bool posted)
{
	const struct i40e_vf_mdev_dring *ring = &sm->ring[r];

	if (ring->count)
		sim_watch(sm, ring->base, (u64)ring->count * ring->desc_size,
			  posted);
}

/* Configure ring @r: Rx (16- or 32-byte descriptors) or the mailbox */
static void sim_config(struct sim *sm, unsigned int r, u64 base, u32 count,
		       u32 dsize, u32 data_len, u32 hdr_len)
{
	enum i40e_vf_mdev_dring_kind kind = r ? I40E_VF_MDEV_DRING_ARQ :
						I40E_VF_MDEV_DRING_RX;

	if (sm->tracking) {
		sim_watch_ring(sm, r, false);
		i40e_vf_mdev_dring_retire(&sm->ring[r], &sm->set);
	}
	if (i40e_vf_mdev_dring_config(&sm->ring[r], kind, base, count, dsize,
				      data_len, hdr_len)) {
		/* refused: the old ring stays, empty */
		if (sm->tracking)
			sim_watch_ring(sm, r, true);
		return;
	}
	memset(sm->slots[r], 0, sizeof(sm->slots[r]));
	i40e_vf_mdev_dring_attach(&sm->ring[r], sm->slots[r]);
	sm->dev[r].head = 0;
	sm->dev[r].tail = 0;
	if (sm->tracking) {
		sim_watch_ring(sm, r, true);
		i40e_vf_mdev_dring_scan(&sm->ring[r], &sm->set, sim_read, sm);
	}
}

/* The guest writes descriptor @slot of ring @r with buffer @addr */
static void sim_guest_desc(struct sim *sm, unsigned int r, u32 slot,
			   u64 addr, u64 hdr, u16 len)
{
	const struct i40e_vf_mdev_dring *ring = &sm->ring[r];
	u64 at = ring->base + (u64)slot * ring->desc_size;
	u8 d[32] = { 0 };

	if (r == 0) {
		put_unaligned_le64(addr, d);
		put_unaligned_le64(hdr, d + 8);
	} else {
		put_unaligned_le16(len, d + 4);
		put_unaligned_le32(upper_32_bits(addr), d + 24);
		put_unaligned_le32(lower_32_bits(addr), d + 28);
	}
	if (at < sizeof(sm->mem) && ring->desc_size <= sizeof(sm->mem) - at)
		memcpy(sm->mem + at, d, ring->desc_size);
}

/* The device receives into ring @r, if it has a posted slot */
static void sim_device_rx(struct sim *sm, unsigned int r, u16 n)
{
	const struct i40e_vf_mdev_dring *ring = &sm->ring[r];
	struct sim_dev_ring *dv = &sm->dev[r];
	u64 at, a0, a1;
	u32 len0, len1;
	u8 d[32];

	if (!ring->count || dv->head == dv->tail || dv->tail >= ring->count)
		return;
	at = ring->base + (u64)dv->head * ring->desc_size;
	if (sim_read(sm, at, d, ring->desc_size))
		return;		/* the device faults on its ring: stops */
	if (r == 0) {
		a0 = get_unaligned_le64(d);
		len0 = ring->data_len;
		a1 = get_unaligned_le64(d + 8) & ~1ULL;
		len1 = ring->hdr_len;
	} else {
		a0 = (u64)get_unaligned_le32(d + 24) << 32 |
		     get_unaligned_le32(d + 28);
		len0 = get_unaligned_le16(d + 4);
		a1 = 0;
		len1 = 0;
	}
	/* a frame of n bytes, at most what the buffers take */
	sim_dev_write(sm, a0, min_t(u32, n, len0), 0xd0);
	if (len1)
		sim_dev_write(sm, a1, min_t(u32, n % (len1 + 1), len1), 0xd1);
	/* write-back: status with DD in the second quadword */
	memset(d, 0xee, sizeof(d));
	d[8] |= 1;
	sim_dev_write(sm, at, ring->desc_size, 0xee);
	if (at < sizeof(sm->mem) && ring->desc_size <= sizeof(sm->mem) - at)
		memcpy(sm->mem + at, d, ring->desc_size);
	dv->head = dv->head + 1 == ring->count ? 0 : dv->head + 1;
}

/* Posts @k descriptors the guest owns, then writes the tail */
static void sim_guest_post(struct sim *sm, unsigned int r, u32 k, u64 addr,
			   u64 hdr, u16 len)
{
	const struct i40e_vf_mdev_dring *ring = &sm->ring[r];
	struct sim_dev_ring *dv = &sm->dev[r];
	u32 free, i, t;

	if (!ring->count || dv->tail >= ring->count)
		return;
	/* the guest owns [tail, head - 1) */
	free = (dv->head + ring->count - dv->tail - 1) % ring->count;
	k = min_t(u32, k, free);
	t = dv->tail;
	for (i = 0; i < k; i++) {
		sim_guest_desc(sm, r, t, addr + i * 2048, hdr + i * 256, len);
		t = t + 1 == ring->count ? 0 : t + 1;
	}
	dv->tail = t;
	if (sm->tracking)
		i40e_vf_mdev_dring_post(&sm->ring[r], &sm->set, t, sim_read,
					sm);
}

/* A report of pages [p0, p0 + n): checks the ground truth */
static void sim_report(struct sim *sm, u32 p0, u32 n)
{
	u64 at = (u64)p0 * SIM_PAGE, end = at + (u64)n * SIM_PAGE;
	unsigned int r;
	u32 p;

	if (!sm->tracking)
		return;
	for (r = 0; r < SIM_RINGS && !sm->broken; r++)
		i40e_vf_mdev_dring_mark(&sm->ring[r], &sm->set);
	while (!i40e_vf_mdev_dset_report(&sm->set, at, end - at, sim_emit, sm,
					 &at))
		;
	for (p = p0; p < p0 + n && p < SIM_PAGES; p++) {
		if (sm->pending[p]) {
			if (!sm->misses)
				sm->first_miss_page = p;
			sm->misses++;
			sm->pending[p] = false;
		}
	}
	sm->reports++;

	/* type1's report at the same time, of every page */
	for (p = 0; p < SIM_PAGES; p++) {
		bool reported = sm->t1bit[p] || sm->pinned[p];

		sm->t1bit[p] = false;
		sm->t1reported_pages += reported;
		if (sm->t1pending[p] && !reported) {
			if (!sm->t1misses)
				sm->t1_first_miss_page = p;
			sm->t1misses++;
		}
		sm->t1pending[p] = false;
	}
}

/* Tracking starts over two ranges with a gap: pages [0, 40) and [48, 88) */
static void sim_start(struct sim *sm)
{
	static const struct i40e_vf_mdev_dset_in in[] = {
		{ 48 * SIM_PAGE, 40 * SIM_PAGE },	/* unsorted on purpose */
		{ 0, 40 * SIM_PAGE - 100 },
	};
	unsigned int r, p;

	if (sm->tracking)
		return;
	if (i40e_vf_mdev_dset_init(&sm->set, in, 2, 12))
		return;
	memset(sm->bits, 0, sizeof(sm->bits));
	sm->set.bits = sm->bits;
	for (p = 0; p < SIM_PAGES; p++) {
		sm->in_range[p] = p < 40 || (p >= 48 && p < 88);
		sm->pending[p] = false;
	}
	sm->tracking = true;
	for (r = 0; r < SIM_RINGS; r++) {
		/* the type1 outlet follows the rings from the start on */
		sim_watch_ring(sm, r, true);
		i40e_vf_mdev_dring_set_watch(&sm->ring[r], sim_watch, sm);
		i40e_vf_mdev_dring_scan(&sm->ring[r], &sm->set, sim_read, sm);
		/* the driver reads the tail register, when it can */
		if (r == 0)
			i40e_vf_mdev_dring_set_tail(&sm->ring[r],
						    sm->dev[r].tail);
	}
}

/* Reports everything and ends tracking: the final round */
static void sim_stop(struct sim *sm)
{
	unsigned int r, p;

	if (!sm->tracking)
		return;
	sim_report(sm, 0, SIM_PAGES);
	sm->tracking = false;
	for (r = 0; r < SIM_RINGS; r++) {
		i40e_vf_mdev_dring_set_watch(&sm->ring[r], NULL, NULL);
		sim_watch_ring(sm, r, false);
	}
	/* what the type1 outlet was told balances: nothing stays pinned */
	for (p = 0; p < SIM_PAGES; p++)
		if (sm->want[p] || sm->pinned[p])
			sm->t1misses++;
}

static void sim_init(struct sim *sm)
{
	memset(sm, 0, sizeof(*sm));
	sim_config(sm, 0, 0, 64, 32, 2048, 0);
	sim_config(sm, 1, 8 * SIM_PAGE, 16, 32, 0, 0);
}

/* One step from 8 bytes of @b */
static void sim_step(struct sim *sm, const u8 *b)
{
	unsigned int r = b[1] & 1;
	/* buffers anywhere past the rings, some beyond memory */
	u64 addr = 16 * SIM_PAGE +
		   ((u64)b[2] << 12 | (u64)b[3] << 4 | (b[4] & 0xf)) %
		   ((SIM_PAGES - 8) * SIM_PAGE);
	u32 v = b[5] | b[6] << 8;

	switch (b[0] % 12) {
	case 0: case 1: case 2:
		sim_guest_post(sm, r, 1 + b[7] % 8, addr, addr + 0x8000,
			       b[7] % 3 ? 4096 : v);
		break;
	case 3: case 4: case 5: case 6:
		sim_device_rx(sm, r, v % 4200);
		break;
	case 7:
		sim_report(sm, b[2] % SIM_PAGES, 1 + b[3] % SIM_PAGES);
		break;
	case 8:
		if (b[7] & 1)
			sim_start(sm);
		else
			sim_stop(sm);
		break;
	case 9:		/* a tail the ring cannot have, or a stale one */
		if (!sm->ring[r].count)
			break;
		sm->dev[r].tail = b[7] & 1 ? sm->ring[r].count + b[2] :
					     sm->dev[r].head;
		if (sm->tracking)
			i40e_vf_mdev_dring_post(&sm->ring[r], &sm->set,
						sm->dev[r].tail, sim_read, sm);
		if (sm->dev[r].tail >= sm->ring[r].count)
			sm->dev[r].tail = sm->dev[r].head;	/* ignored */
		break;
	case 10:	/* the VF's driver reconfigures the ring */
		if (r == 0)
			sim_config(sm, 0, (b[2] % 80) * 128, 32 * (1 + b[7] % 8),
				   b[3] & 1 ? 32 : 16, 128 * (1 + b[4] % 32),
				   b[5] & 1 ? 64 * (1 + b[6] % 8) : 0);
		else
			sim_config(sm, 1, (8 + b[2] % 4) * SIM_PAGE + v % 64,
				   1 + b[7] % 64, 32, 0, 0);
		break;
	case 11:	/* the guest rewrites a descriptor it owns */
		if (sm->ring[r].count && sm->dev[r].tail < sm->ring[r].count &&
		    (sm->dev[r].tail + 1) % sm->ring[r].count != sm->dev[r].head)
			sim_guest_desc(sm, r, sm->dev[r].tail, addr, addr, v);
		break;
	}
}

#endif /* I40E_VF_MDEV_DIRTY_SET_SIM_H */
