// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the dirty tracking logic (dirty_set.c): the tracked
 * ranges, marking and reporting, the rings' descriptors, and a simulated
 * guest and device (dirty_set_sim.h) checked against their ground truth,
 * with a broken tracker as the negative control.
 */
#include <kunit/test.h>

#include "dirty_set.h"
#include "dirty_set_sim.h"

#define P	4096ULL
#define CFG(r, kind, base, n, dsize, data, hdr)				\
	i40e_vf_mdev_dring_config(r, I40E_VF_MDEV_DRING_##kind, base, n,	\
				  dsize, data, hdr)

struct runs {
	unsigned int n;
	u64 iova[16];
	u64 len[16];
};

static bool runs_emit(void *ctx, u64 iova, u64 len)
{
	struct runs *r = ctx;

	if (r->n < ARRAY_SIZE(r->iova)) {
		r->iova[r->n] = iova;
		r->len[r->n] = len;
	}
	r->n++;
	return true;
}

/* Stops the report after each run */
static bool runs_emit_one(void *ctx, u64 iova, u64 len)
{
	runs_emit(ctx, iova, len);
	return false;
}

/* A whole window with runs_emit(): true, as nothing stops it */
static bool report_all(struct i40e_vf_mdev_dset *s, u64 iova, u64 len,
		       struct runs *r)
{
	u64 resume = 0;

	return i40e_vf_mdev_dset_report(s, iova, len, runs_emit, r, &resume);
}

static void dset_ranges(struct kunit *test)
{
	unsigned int n;
	struct i40e_vf_mdev_dset s;
	struct i40e_vf_mdev_dset_in in[I40E_VF_MDEV_DSET_MAX_RANGES + 1] = {
		{ 10 * P + 1, 2 * P },		/* pages 10..12 */
		{ 0, 1 },			/* page 0 */
		{ 12 * P + 5, 1 },		/* inside page 12: merged */
		{ 13 * P, P },			/* touches: merged */
		{ 20 * P, 3 * P },
	};

	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 5, 12), 0);
	KUNIT_ASSERT_EQ(test, s.nr, 3U);
	KUNIT_EXPECT_EQ(test, s.range[0].iova, 0ULL);
	KUNIT_EXPECT_EQ(test, s.range[0].pages, 1ULL);
	KUNIT_EXPECT_EQ(test, s.range[1].iova, 10 * P);
	KUNIT_EXPECT_EQ(test, s.range[1].pages, 4ULL);
	KUNIT_EXPECT_EQ(test, s.range[1].first, 1ULL);
	KUNIT_EXPECT_EQ(test, s.range[2].iova, 20 * P);
	KUNIT_EXPECT_EQ(test, s.range[2].first, 5ULL);
	KUNIT_EXPECT_EQ(test, s.nbits, 8ULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_words(&s), (size_t)1);

	/* the top of the IOVA space */
	in[0].iova = ~0ULL - 2 * P + 1;
	in[0].len = 2 * P;
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), 0);
	KUNIT_EXPECT_EQ(test, s.range[0].pages, 2ULL);
	in[1].iova = ~0ULL - 10;
	in[1].len = 11;
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 2, 12), 0);
	KUNIT_EXPECT_EQ(test, s.nr, 1U);
	KUNIT_EXPECT_EQ(test, s.range[0].pages, 2ULL);

	/* refused */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 0, 12), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 11), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 31), -EINVAL);
	n = I40E_VF_MDEV_DSET_MAX_RANGES + 1;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, n, 12), -E2BIG);
	in[0].iova = 0;
	in[0].len = 0;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), -EINVAL);
	in[0].iova = ~0ULL - 5;
	in[0].len = 7;			/* wraps */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), -EINVAL);
	in[0].iova = 0;
	in[0].len = (I40E_VF_MDEV_DSET_MAX_PAGES + 1) * P;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), -E2BIG);
	in[0].len = I40E_VF_MDEV_DSET_MAX_PAGES * P;
	in[1].iova = (I40E_VF_MDEV_DSET_MAX_PAGES + 10) * P;
	in[1].len = P;			/* the sum is too much */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 2, 12), -E2BIG);
	/* large pages */
	in[0].iova = 0x40000000;
	in[0].len = 3;
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 30), 0);
	KUNIT_EXPECT_EQ(test, s.nbits, 1ULL);
}

static void dset_mark_report(struct kunit *test)
{
	static const struct i40e_vf_mdev_dset_in in[] = {
		{ 0, 100 * P }, { 200 * P, 100 * P },
	};
	struct i40e_vf_mdev_dset s;
	u64 bits[4] = { 0 };
	struct runs r = { 0 };

	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 2, 12), 0);
	KUNIT_ASSERT_LE(test, i40e_vf_mdev_dset_words(&s), ARRAY_SIZE(bits));
	/* no bitmap yet: nothing happens */
	i40e_vf_mdev_dset_mark(&s, 0, P);
	s.bits = bits;

	i40e_vf_mdev_dset_mark(&s, 5 * P - 1, 2);	/* pages 4 and 5 */
	i40e_vf_mdev_dset_mark(&s, 63 * P, 2 * P);	/* across a word */
	i40e_vf_mdev_dset_mark(&s, 150 * P, P);		/* untracked */
	i40e_vf_mdev_dset_mark(&s, 199 * P, 3 * P);	/* 199 untracked */
	i40e_vf_mdev_dset_mark(&s, 299 * P, 0);		/* empty */
	i40e_vf_mdev_dset_mark(&s, ~0ULL - 10, 100);	/* wraps: stops */
	KUNIT_EXPECT_EQ(test, s.marked, 6ULL);

	/* a window: only its pages are reported and cleared */
	KUNIT_EXPECT_TRUE(test, report_all(&s, 0, 64 * P, &r));
	KUNIT_ASSERT_EQ(test, r.n, 2U);
	KUNIT_EXPECT_EQ(test, r.iova[0], 4 * P);
	KUNIT_EXPECT_EQ(test, r.len[0], 2 * P);
	KUNIT_EXPECT_EQ(test, r.iova[1], 63 * P);
	KUNIT_EXPECT_EQ(test, r.len[1], P);

	/* the rest, with windows that start and end inside pages */
	r.n = 0;
	KUNIT_EXPECT_TRUE(test, report_all(&s, 64 * P + 7, 200 * P, &r));
	KUNIT_ASSERT_EQ(test, r.n, 2U);
	KUNIT_EXPECT_EQ(test, r.iova[0], 64 * P);
	KUNIT_EXPECT_EQ(test, r.len[0], P);
	KUNIT_EXPECT_EQ(test, r.iova[1], 200 * P);
	KUNIT_EXPECT_EQ(test, r.len[1], 2 * P);
	KUNIT_EXPECT_EQ(test, s.reported, 6ULL);

	/* read and clear: nothing left */
	r.n = 0;
	KUNIT_EXPECT_TRUE(test, report_all(&s, 0, ~0ULL, &r));
	KUNIT_EXPECT_EQ(test, r.n, 0U);

	/* everything, in one run per range */
	i40e_vf_mdev_dset_mark_all(&s);
	KUNIT_EXPECT_TRUE(test, report_all(&s, 0, ~0ULL, &r));
	KUNIT_ASSERT_EQ(test, r.n, 2U);
	KUNIT_EXPECT_EQ(test, r.len[0], 100 * P);
	KUNIT_EXPECT_EQ(test, r.iova[1], 200 * P);
	KUNIT_EXPECT_EQ(test, r.len[1], 100 * P);
}

/* A report stopped after each run resumes where it stopped */
static void dset_report_resume(struct kunit *test)
{
	static const struct i40e_vf_mdev_dset_in in[] = {
		{ 0, 100 * P }, { 200 * P, 100 * P },
	};
	struct i40e_vf_mdev_dset s;
	u64 bits[4] = { 0 }, at = 0, end = 300 * P;
	struct runs r = { 0 };
	unsigned int calls = 0;

	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 2, 12), 0);
	s.bits = bits;
	i40e_vf_mdev_dset_mark(&s, 3 * P, P);
	i40e_vf_mdev_dset_mark(&s, 10 * P, 2 * P);
	i40e_vf_mdev_dset_mark(&s, 99 * P, P);
	i40e_vf_mdev_dset_mark(&s, 250 * P, P);
	while (!i40e_vf_mdev_dset_report(&s, at, end - at, runs_emit_one, &r,
					 &at)) {
		calls++;
		KUNIT_ASSERT_LT(test, calls, 10U);
		KUNIT_EXPECT_EQ(test, at, r.iova[r.n - 1] + r.len[r.n - 1]);
	}
	KUNIT_EXPECT_EQ(test, calls, 4U);
	KUNIT_ASSERT_EQ(test, r.n, 4U);
	KUNIT_EXPECT_EQ(test, r.iova[0], 3 * P);
	KUNIT_EXPECT_EQ(test, r.iova[1], 10 * P);
	KUNIT_EXPECT_EQ(test, r.len[1], 2 * P);
	KUNIT_EXPECT_EQ(test, r.iova[2], 99 * P);
	KUNIT_EXPECT_EQ(test, r.iova[3], 250 * P);
	KUNIT_EXPECT_EQ(test, s.reported, 5ULL);
}

/* A ring of 8 Rx descriptors at page 1, buffers in pages 10.. */
struct mem {
	u8 b[32 * P];
	unsigned int reads;
};

static int mem_read(void *ctx, u64 iova, void *buf, unsigned int len)
{
	struct mem *m = ctx;

	m->reads++;
	if (iova >= sizeof(m->b) || len > sizeof(m->b) - iova)
		return -EFAULT;
	memcpy(buf, m->b + iova, len);
	return 0;
}

static void rx_desc(struct mem *m, u32 slot, u64 pkt, u64 hdr)
{
	put_unaligned_le64(pkt, m->b + P + slot * 32);
	put_unaligned_le64(hdr, m->b + P + slot * 32 + 8);
}

static unsigned int report_pages(struct i40e_vf_mdev_dset *s, u64 *pages,
				 unsigned int max)
{
	struct runs r = { 0 };
	unsigned int i, n = 0;
	u64 p;

	report_all(s, 0, ~0ULL, &r);
	for (i = 0; i < r.n && i < ARRAY_SIZE(r.iova); i++)
		for (p = r.iova[i]; p < r.iova[i] + r.len[i]; p += P)
			if (n < max)
				pages[n++] = p / P;
	return n;
}

static void dring_rx(struct kunit *test)
{
	static const struct i40e_vf_mdev_dset_in in[] = { { 0, 64 * P } };
	struct i40e_vf_mdev_dring ring = { 0 };
	struct i40e_vf_mdev_dset s;
	static struct mem m;
	static u64 bits[1], slots[3 * 8], pg[64];
	unsigned int n, i;

	memset(&m, 0, sizeof(m));
	memset(bits, 0, sizeof(bits));
	memset(slots, 0, sizeof(slots));
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), 0);
	s.bits = bits;
	KUNIT_ASSERT_EQ(test, CFG(&ring, RX, P, 8, 32, 2048, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_dring_slot_words(8), (size_t)24);

	/* not attached: posts do nothing */
	i40e_vf_mdev_dring_post(&ring, &s, 3, mem_read, &m);
	KUNIT_EXPECT_EQ(test, m.reads, 0U);
	i40e_vf_mdev_dring_attach(&ring, slots);

	/* slots 0..3 hold buffers at pages 10..13; the first post scans */
	for (i = 0; i < 4; i++)
		rx_desc(&m, i, (10 + i) * P, 0);
	i40e_vf_mdev_dring_post(&ring, &s, 4, mem_read, &m);
	KUNIT_EXPECT_EQ(test, ring.stats.rescans, 1ULL);
	KUNIT_EXPECT_EQ(test, m.reads, 8U);
	KUNIT_EXPECT_TRUE(test, ring.tail_known);
	/* the ring page and the 4 buffers (the zeroed slots give page 0) */
	i40e_vf_mdev_dring_mark(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_ASSERT_EQ(test, n, 6U);
	KUNIT_EXPECT_EQ(test, pg[0], 0ULL);
	KUNIT_EXPECT_EQ(test, pg[1], 1ULL);
	KUNIT_EXPECT_EQ(test, pg[2], 10ULL);
	KUNIT_EXPECT_EQ(test, pg[5], 13ULL);

	/* repost slots 4..7 and 0..1 with new buffers, wrapping */
	for (i = 4; i < 8; i++)
		rx_desc(&m, i, (20 + i) * P, 0);
	rx_desc(&m, 0, 30 * P, 0);
	rx_desc(&m, 1, 31 * P, 0);
	m.reads = 0;
	i40e_vf_mdev_dring_post(&ring, &s, 2, mem_read, &m);
	KUNIT_EXPECT_EQ(test, m.reads, 6U);
	/* the buffers they held (page 0 and pages 10, 11) are owed */
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_ASSERT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, pg[0], 0ULL);
	KUNIT_EXPECT_EQ(test, pg[1], 10ULL);
	KUNIT_EXPECT_EQ(test, pg[2], 11ULL);
	/* and once reported, not again: only what the ring holds now */
	i40e_vf_mdev_dring_mark(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_ASSERT_EQ(test, n, 9U);	/* 1, 12, 13, 24..27, 30, 31 */
	KUNIT_EXPECT_EQ(test, pg[0], 1ULL);
	KUNIT_EXPECT_EQ(test, pg[8], 31ULL);

	/* the same tail again: nothing read */
	m.reads = 0;
	i40e_vf_mdev_dring_post(&ring, &s, 2, mem_read, &m);
	KUNIT_EXPECT_EQ(test, m.reads, 0U);

	/* a tail past the ring: counted, the whole ring read again */
	i40e_vf_mdev_dring_post(&ring, &s, 8, mem_read, &m);
	KUNIT_EXPECT_EQ(test, ring.stats.bad_tail, 1ULL);
	KUNIT_EXPECT_EQ(test, m.reads, 8U);
	KUNIT_EXPECT_FALSE(test, ring.tail_known);

	/* retire: everything owed once, then the ring holds nothing */
	report_pages(&s, pg, ARRAY_SIZE(pg));
	i40e_vf_mdev_dring_retire(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_EXPECT_EQ(test, n, 9U);	/* 1, 12, 13, 24..27, 30, 31 */
	i40e_vf_mdev_dring_mark(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_EXPECT_EQ(test, n, 1U);	/* the ring page */
}

static void dring_hsplit_arq(struct kunit *test)
{
	static const struct i40e_vf_mdev_dset_in in[] = { { 0, 64 * P } };
	struct i40e_vf_mdev_dring ring = { 0 };
	struct i40e_vf_mdev_dset s;
	static struct mem m;
	static u64 bits[1], slots[3 * 32], pg[64];
	unsigned int n;

	memset(&m, 0, sizeof(m));
	memset(bits, 0, sizeof(bits));
	memset(slots, 0, sizeof(slots));
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_dset_init(&s, in, 1, 12), 0);
	s.bits = bits;

	/* header split: the header address's DD bit is covered */
	KUNIT_ASSERT_EQ(test, CFG(&ring, RX, P, 32, 16, 4096, 256), 0);
	i40e_vf_mdev_dring_attach(&ring, slots);
	put_unaligned_le64(20 * P + 1, m.b + P);	/* packet: 2 pages */
	put_unaligned_le64(31 * P - 256 + 1, m.b + P + 8);
	i40e_vf_mdev_dring_set_tail(&ring, 0);
	i40e_vf_mdev_dring_post(&ring, &s, 1, mem_read, &m);
	i40e_vf_mdev_dring_retire(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	/* ring; packet 20, 21; header [31P - 256, 31P + 1) with the bit */
	KUNIT_ASSERT_EQ(test, n, 5U);
	KUNIT_EXPECT_EQ(test, pg[0], 1ULL);
	KUNIT_EXPECT_EQ(test, pg[1], 20ULL);
	KUNIT_EXPECT_EQ(test, pg[2], 21ULL);
	KUNIT_EXPECT_EQ(test, pg[3], 30ULL);
	KUNIT_EXPECT_EQ(test, pg[4], 31ULL);

	/* the mailbox: buffer length and address from the AQ descriptor */
	KUNIT_ASSERT_EQ(test, CFG(&ring, ARQ, 2 * P + 8, 2, 32, 0, 0),
			0);
	i40e_vf_mdev_dring_attach(&ring, slots);
	memset(slots, 0, sizeof(slots));
	put_unaligned_le16(4096, m.b + 2 * P + 8 + 32 + 4);
	put_unaligned_le32(0, m.b + 2 * P + 8 + 32 + 24);
	put_unaligned_le32(40 * P + 8, m.b + 2 * P + 8 + 32 + 28);
	i40e_vf_mdev_dring_set_tail(&ring, 1);
	i40e_vf_mdev_dring_post(&ring, &s, 0, mem_read, &m);
	i40e_vf_mdev_dring_mark(&ring, &s);
	n = report_pages(&s, pg, ARRAY_SIZE(pg));
	KUNIT_ASSERT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, pg[0], 2ULL);
	KUNIT_EXPECT_EQ(test, pg[1], 40ULL);
	KUNIT_EXPECT_EQ(test, pg[2], 41ULL);

	/* an unreadable ring: counted, nothing posted */
	KUNIT_ASSERT_EQ(test, CFG(&ring, RX, 1000 * P, 32, 32, 2048, 0), 0);
	i40e_vf_mdev_dring_attach(&ring, slots);
	memset(slots, 0, sizeof(slots));
	i40e_vf_mdev_dring_scan(&ring, &s, mem_read, &m);
	KUNIT_EXPECT_EQ(test, ring.stats.unreadable, 32ULL);

	/* geometries the device cannot have */
	KUNIT_EXPECT_EQ(test, CFG(&ring, RX, 0, 8193, 32, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, CFG(&ring, RX, 0, 8, 24, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, CFG(&ring, ARQ, 0, 8, 16, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, CFG(&ring, RX, ~0ULL - 64, 8, 32, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, CFG(&ring, RX, 0, 8, 32, 0x10001, 0), -EINVAL);
	/* and a refused one leaves the ring as it was */
	KUNIT_EXPECT_EQ(test, ring.base, 1000 * P);
}

/* xorshift64: the same sequences on every run */
static u64 prng(u64 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void sim_run(struct sim *sm, u64 seed, unsigned int steps)
{
	u64 x = seed * 0x9e3779b97f4a7c15ULL + 1;
	unsigned int i;
	u8 b[8];

	sim_init(sm);
	for (i = 0; i < steps; i++) {
		put_unaligned_le64(prng(&x), b);
		sim_step(sm, b);
	}
	sim_stop(sm);
}

/* Fewer in the kernel, where the debug kernel runs them under TCG */
#ifdef __KERNEL__
#define SIM_SEEDS	40
#else
#define SIM_SEEDS	300
#endif

static void simulated_no_miss(struct kunit *test)
{
	static struct sim sm;
	unsigned long writes = 0, reports = 0, rescans = 0, pins = 0, unpins = 0;
	unsigned int seed;

	for (seed = 0; seed < SIM_SEEDS; seed++) {
		sim_run(&sm, seed, 3000);
		KUNIT_EXPECT_EQ_MSG(test, sm.misses, 0U,
				    "seed %u: page %u written and not reported",
				    seed, sm.first_miss_page);
		KUNIT_EXPECT_EQ_MSG(test, sm.t1misses, 0U,
				    "seed %u: page %u written and not in type1's report (or pins unbalanced)",
				    seed, sm.t1_first_miss_page);
		pins += sm.pins;
		unpins += sm.unpins;
		writes += sm.writes;
		reports += sm.reports;
		rescans += sm.ring[0].stats.rescans;
	}
	/* the runs did exercise something */
	KUNIT_EXPECT_GT(test, writes, 300UL * SIM_SEEDS);
	KUNIT_EXPECT_GT(test, reports, 30UL * SIM_SEEDS);
	KUNIT_EXPECT_GT(test, rescans, (unsigned long)SIM_SEEDS);
	KUNIT_EXPECT_GT(test, pins, 100UL * SIM_SEEDS);
	KUNIT_EXPECT_GT(test, unpins, 100UL * SIM_SEEDS);
}

/*
 * Reports that leave out the rings' current buffers do miss writes, and
 * so do pins let go of without being pinned once more
 */
static void simulated_negative_control(struct kunit *test)
{
	static struct sim sm;
	unsigned int seed, missed = 0, t1missed = 0;

	for (seed = 0; seed < 20; seed++) {
		u64 x = seed * 0x9e3779b97f4a7c15ULL + 1;
		unsigned int i;
		u8 b[8];

		sim_init(&sm);
		sm.broken = true;
		sm.pin_broken = true;
		for (i = 0; i < 3000; i++) {
			put_unaligned_le64(prng(&x), b);
			sim_step(&sm, b);
		}
		sim_stop(&sm);
		missed += sm.misses;
		t1missed += sm.t1misses;
	}
	KUNIT_EXPECT_GT(test, missed, 0U);
	KUNIT_EXPECT_GT(test, t1missed, 0U);
}

/* A watcher is told of every buffer once as posted, once as let go of */
static void dring_watch_balance(struct kunit *test)
{
	static struct sim sm;
	unsigned int p, r;

	sim_run(&sm, 7, 500);
	/* sim_run() ended with sim_stop(): a new watcher, then none */
	for (r = 0; r < SIM_RINGS; r++)
		i40e_vf_mdev_dring_set_watch(&sm.ring[r], sim_watch, &sm);
	sm.tracking = true;
	for (p = 0; p < SIM_PAGES; p++)
		if (sm.want[p])
			break;
	KUNIT_EXPECT_LT(test, p, (unsigned int)SIM_PAGES);
	for (r = 0; r < SIM_RINGS; r++)
		i40e_vf_mdev_dring_retire(&sm.ring[r], &sm.set);
	for (p = 0; p < SIM_PAGES; p++)
		KUNIT_EXPECT_EQ_MSG(test, sm.want[p], 0, "page %u", p);
	KUNIT_EXPECT_EQ(test, sm.t1misses, 0U);
}

static struct kunit_case dirty_set_cases[] = {
	KUNIT_CASE(dset_ranges),
	KUNIT_CASE(dset_mark_report),
	KUNIT_CASE(dset_report_resume),
	KUNIT_CASE(dring_rx),
	KUNIT_CASE(dring_hsplit_arq),
	KUNIT_CASE(simulated_no_miss),
	KUNIT_CASE(simulated_negative_control),
	KUNIT_CASE(dring_watch_balance),
	{}
};

static struct kunit_suite dirty_set_suite = {
	.name = "i40e_vf_mdev_dirty_set",
	.test_cases = dirty_set_cases,
};

kunit_test_suite(dirty_set_suite);
