// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the pure logic of software dirty tracking (dirty_set.h)
 *
 * The bitmap is kept in u64 words (the kernel's bitmap helpers work on
 * unsigned long, which userspace builds of this file do not share), and
 * walked a word at a time so that a report of a large idle window costs a
 * read of its bitmap and nothing more.
 */

#include "dirty_set.h"

#define DSET_WORD_BITS	64

/* Set (or clear) bits [start, start + n) */
static void dset_assign(u64 *bits, u64 start, u64 n, bool set)
{
	while (n) {
		u64 w = start / DSET_WORD_BITS;
		unsigned int b = start % DSET_WORD_BITS;
		unsigned int k = min_t(u64, n, DSET_WORD_BITS - b);
		u64 mask = (k == DSET_WORD_BITS ? ~0ULL : ((1ULL << k) - 1)) << b;

		if (set)
			bits[w] |= mask;
		else
			bits[w] &= ~mask;
		start += k;
		n -= k;
	}
}

/* First bit in [start, end) that is @set, or @end */
static u64 dset_find(const u64 *bits, u64 start, u64 end, bool set)
{
	while (start < end) {
		u64 w = start / DSET_WORD_BITS;
		unsigned int b = start % DSET_WORD_BITS;
		u64 word = (set ? bits[w] : ~bits[w]) >> b;

		if (word) {
			start += __builtin_ctzll(word);
			return start < end ? start : end;
		}
		start += DSET_WORD_BITS - b;
	}
	return end;
}

/**
 * i40e_vf_mdev_dset_init() - set up a set over userspace's ranges
 * @s: the set
 * @in: the ranges: non-empty, not wrapping around; they may be in any
 *	order and touch or overlap once widened to whole pages
 * @nr: how many, 1 to I40E_VF_MDEV_DSET_MAX_RANGES
 * @shift: log2 of the page size, 12 to 30
 *
 * Widens the ranges to whole pages, sorts and merges them.  The caller
 * then provides i40e_vf_mdev_dset_words() zeroed u64s in @s->bits.
 *
 * Return: 0, -EINVAL for a bad range or page size, or -E2BIG for too many
 * ranges or pages.
 */
int i40e_vf_mdev_dset_init(struct i40e_vf_mdev_dset *s,
			   const struct i40e_vf_mdev_dset_in *in,
			   unsigned int nr, unsigned int shift)
{
	struct i40e_vf_mdev_dset_range r[I40E_VF_MDEV_DSET_MAX_RANGES];
	unsigned int i, j, n = 0;
	u64 total = 0;

	if (!nr || shift < 12 || shift > 30)
		return -EINVAL;
	if (nr > I40E_VF_MDEV_DSET_MAX_RANGES)
		return -E2BIG;

	for (i = 0; i < nr; i++) {
		u64 mask = (1ULL << shift) - 1;
		u64 last = in[i].iova + in[i].len - 1;
		struct i40e_vf_mdev_dset_range t;

		if (!in[i].len || last < in[i].iova)
			return -EINVAL;
		t.iova = in[i].iova & ~mask;
		/* pages - 1 first: the last page may end at 2^64 */
		t.pages = ((last - t.iova) >> shift) + 1;
		if (t.pages > I40E_VF_MDEV_DSET_MAX_PAGES)
			return -E2BIG;
		/* insertion sort by start */
		for (j = n; j > 0 && r[j - 1].iova > t.iova; j--)
			r[j] = r[j - 1];
		r[j] = t;
		n++;
	}

	/* merge ranges that share or touch a page */
	memset(s, 0, sizeof(*s));
	s->shift = shift;
	for (i = 0; i < n; i++) {
		struct i40e_vf_mdev_dset_range *prev;
		u64 page = 1ULL << shift, prev_last, last;

		if (!s->nr) {
			s->range[s->nr++] = r[i];
			continue;
		}
		prev = &s->range[s->nr - 1];
		/* start of the previous range's last page */
		prev_last = prev->iova + ((prev->pages - 1) << shift);
		if (prev_last + page != 0 && r[i].iova > prev_last + page) {
			s->range[s->nr++] = r[i];
			continue;
		}
		last = r[i].iova + ((r[i].pages - 1) << shift);
		if (last > prev_last)
			prev->pages += (last - prev_last) >> shift;
		if (prev->pages > I40E_VF_MDEV_DSET_MAX_PAGES)
			return -E2BIG;
	}
	for (i = 0; i < s->nr; i++) {
		s->range[i].first = total;
		total += s->range[i].pages;
		if (total > I40E_VF_MDEV_DSET_MAX_PAGES)
			return -E2BIG;
	}
	s->nbits = total;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dset_init);

/**
 * i40e_vf_mdev_dset_words() - size of a set's bitmap
 * @s: the set, initialised
 *
 * Return: the number of u64s @s->bits must have.
 */
size_t i40e_vf_mdev_dset_words(const struct i40e_vf_mdev_dset *s)
{
	return (s->nbits + DSET_WORD_BITS - 1) / DSET_WORD_BITS;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dset_words);

/*
 * The pages of range @r that [iova, last] touches, as bit indices
 * [*b0, *b1]; false if none.
 */
static bool dset_overlap(const struct i40e_vf_mdev_dset *s,
			 const struct i40e_vf_mdev_dset_range *r,
			 u64 iova, u64 last, u64 *b0, u64 *b1)
{
	u64 r_last = r->iova + (r->pages << s->shift) - 1;
	u64 lo, hi;

	/* r->pages << shift can reach 2^64 for a range ending at the top */
	if (r->iova + (r->pages << s->shift) == 0)
		r_last = ~0ULL;
	if (last < r->iova || iova > r_last)
		return false;
	lo = iova > r->iova ? iova : r->iova;
	hi = last < r_last ? last : r_last;
	*b0 = r->first + ((lo - r->iova) >> s->shift);
	*b1 = r->first + ((hi - r->iova) >> s->shift);
	return true;
}

/**
 * i40e_vf_mdev_dset_mark() - owe the next report the pages of some bytes
 * @s: the set
 * @iova: first byte
 * @len: bytes; 0 marks nothing, and a length past 2^64 stops there
 *
 * Pages outside the tracked ranges are not tracked and are left out.
 */
void i40e_vf_mdev_dset_mark(struct i40e_vf_mdev_dset *s, u64 iova, u64 len)
{
	u64 last = iova + len - 1;
	unsigned int i;

	if (!len || !s->bits)
		return;
	if (last < iova)
		last = ~0ULL;
	for (i = 0; i < s->nr; i++) {
		u64 b0, b1;

		if (!dset_overlap(s, &s->range[i], iova, last, &b0, &b1))
			continue;
		dset_assign(s->bits, b0, b1 - b0 + 1, true);
		s->marked += b1 - b0 + 1;
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dset_mark);

/**
 * i40e_vf_mdev_dset_mark_all() - owe the next reports every tracked page
 * @s: the set
 *
 * What tracking falls back to when it cannot know what the device wrote.
 */
void i40e_vf_mdev_dset_mark_all(struct i40e_vf_mdev_dset *s)
{
	if (!s->bits)
		return;
	dset_assign(s->bits, 0, s->nbits, true);
	s->marked += s->nbits;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dset_mark_all);

/**
 * i40e_vf_mdev_dset_report() - hand out and forget the owed pages of a window
 * @s: the set
 * @iova: first byte of the window
 * @len: its length; 0 reports nothing
 * @emit: called for each run of owed pages in the window, in order; it
 *	may stop the report
 * @ctx: passed to @emit
 * @resume: where a stopped report goes on: the byte after the last run
 *	handed out (for a new call with the rest of the window)
 *
 * Pages are whole: a window that starts or ends inside a page reports and
 * clears that page.  So that the caller can hand runs on without its
 * lock, @emit may stop the report; the runs handed out are cleared, the
 * rest stays owed.
 *
 * Return: true if the whole window was reported, false if @emit stopped
 * it (then *@resume is set).
 */
bool i40e_vf_mdev_dset_report(struct i40e_vf_mdev_dset *s, u64 iova, u64 len,
			      i40e_vf_mdev_dset_emit_t emit, void *ctx,
			      u64 *resume)
{
	u64 last = iova + len - 1;
	unsigned int i;

	if (!len || !s->bits)
		return true;
	if (last < iova)
		last = ~0ULL;
	for (i = 0; i < s->nr; i++) {
		const struct i40e_vf_mdev_dset_range *r = &s->range[i];
		u64 b0, b1, end;

		if (!dset_overlap(s, r, iova, last, &b0, &b1))
			continue;
		end = b1 + 1;
		while (b0 < end) {
			u64 run_end;

			b0 = dset_find(s->bits, b0, end, true);
			if (b0 == end)
				break;
			run_end = dset_find(s->bits, b0, end, false);
			dset_assign(s->bits, b0, run_end - b0, false);
			s->reported += run_end - b0;
			if (!emit(ctx, r->iova + ((b0 - r->first) << s->shift),
				  (run_end - b0) << s->shift)) {
				*resume = r->iova +
					  ((run_end - r->first) << s->shift);
				return false;
			}
			b0 = run_end;
		}
	}
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dset_report);

/* ---- rings ---- */

#define DRING_SLOT_WORDS	3

/**
 * i40e_vf_mdev_dring_config() - give a ring its geometry
 * @r: the ring
 * @kind: its descriptors' layout
 * @base: IOVA of the ring
 * @count: descriptors, 0 to I40E_VF_MDEV_DRING_MAX; 0 leaves it
 *	unconfigured
 * @desc_size: bytes per descriptor: 16 or 32 for Rx, 32 for the mailbox
 * @data_len: Rx: packet buffer length, up to 64 KiB
 * @hdr_len: Rx: header buffer length, up to 64 KiB; 0 without header split
 *
 * Detaches the slots (i40e_vf_mdev_dring_attach() gives new ones, sized
 * for @count) and forgets the tail; keeps the counters.  Whoever called
 * it for a ring that had slots retires them first.
 *
 * Return: 0, or -EINVAL (and @r unchanged) for a geometry the device
 * cannot have.
 */
int i40e_vf_mdev_dring_config(struct i40e_vf_mdev_dring *r,
			      enum i40e_vf_mdev_dring_kind kind, u64 base,
			      u32 count, u32 desc_size, u32 data_len,
			      u32 hdr_len)
{
	if (count > I40E_VF_MDEV_DRING_MAX || data_len > 0x10000 ||
	    hdr_len > 0x10000)
		return -EINVAL;
	switch (kind) {
	case I40E_VF_MDEV_DRING_RX:
		if (desc_size != 16 && desc_size != 32)
			return -EINVAL;
		break;
	case I40E_VF_MDEV_DRING_ARQ:
		if (desc_size != 32 || data_len || hdr_len)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (count && base + (u64)count * desc_size - 1 < base)
		return -EINVAL;

	r->kind = kind;
	r->base = base;
	r->count = count;
	r->desc_size = desc_size;
	r->data_len = data_len;
	r->hdr_len = hdr_len;
	r->tail = 0;
	r->tail_known = false;
	r->slot = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_config);

/**
 * i40e_vf_mdev_dring_slot_words() - size of a ring's slot array
 * @count: descriptors in the ring
 *
 * Return: the number of u64s the slots of @count descriptors take.
 */
size_t i40e_vf_mdev_dring_slot_words(u32 count)
{
	return (size_t)count * DRING_SLOT_WORDS;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_slot_words);

/**
 * i40e_vf_mdev_dring_attach() - give a configured ring its slots
 * @r: the ring
 * @slot: i40e_vf_mdev_dring_slot_words(@r->count) zeroed u64s (no buffer
 *	posted), or NULL to detach them
 */
void i40e_vf_mdev_dring_attach(struct i40e_vf_mdev_dring *r, u64 *slot)
{
	r->slot = slot;
	r->tail_known = false;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_attach);

static void dring_mark_slot(const struct i40e_vf_mdev_dring *r,
			    struct i40e_vf_mdev_dset *s, u32 i)
{
	const u64 *sl = &r->slot[(size_t)i * DRING_SLOT_WORDS];

	i40e_vf_mdev_dset_mark(s, sl[0], lower_32_bits(sl[2]));
	i40e_vf_mdev_dset_mark(s, sl[1], upper_32_bits(sl[2]));
}

/* Tell the watcher, if any, of slot @i's buffers */
static void dring_watch_slot(const struct i40e_vf_mdev_dring *r, u32 i,
			     bool posted)
{
	const u64 *sl = &r->slot[(size_t)i * DRING_SLOT_WORDS];

	if (!r->watch)
		return;
	if (lower_32_bits(sl[2]))
		r->watch(r->watch_ctx, sl[0], lower_32_bits(sl[2]), posted);
	if (upper_32_bits(sl[2]))
		r->watch(r->watch_ctx, sl[1], upper_32_bits(sl[2]), posted);
}

/* Retire what slot @i held and take what its descriptor holds now */
static void dring_fill(struct i40e_vf_mdev_dring *r,
		       struct i40e_vf_mdev_dset *s, u32 i,
		       i40e_vf_mdev_dring_read_t read, void *ctx)
{
	u64 *sl = &r->slot[(size_t)i * DRING_SLOT_WORDS];
	u8 d[I40E_VF_MDEV_DRING_DESC_MAX];
	u32 len0 = 0, len1 = 0;
	u64 a0 = 0, a1 = 0;

	dring_mark_slot(r, s, i);
	dring_watch_slot(r, i, false);
	sl[0] = 0;
	sl[1] = 0;
	sl[2] = 0;

	r->stats.descs++;
	if (read(ctx, r->base + (u64)i * r->desc_size, d, r->desc_size)) {
		r->stats.unreadable++;
		return;
	}
	switch (r->kind) {
	case I40E_VF_MDEV_DRING_RX:
		a0 = get_unaligned_le64(d);
		len0 = r->data_len;
		if (r->hdr_len) {
			/*
			 * Bit 0 of the header address is the DD bit of the
			 * write-back format: cover the address with and
			 * without it
			 */
			a1 = get_unaligned_le64(d + 8) & ~1ULL;
			len1 = r->hdr_len + 1;
		}
		break;
	case I40E_VF_MDEV_DRING_ARQ:
		len0 = get_unaligned_le16(d + 4);
		a0 = (u64)get_unaligned_le32(d + 24) << 32 |
		     get_unaligned_le32(d + 28);
		break;
	}
	sl[0] = a0;
	sl[1] = a1;
	sl[2] = (u64)len1 << 32 | len0;
	dring_watch_slot(r, i, true);
}

/**
 * i40e_vf_mdev_dring_scan() - take every descriptor of a ring as posted
 * @r: the ring
 * @s: the set, which gets the buffers the slots held before
 * @read: reads a descriptor
 * @ctx: passed to @read
 *
 * For when the ring's state is not known: at tracking start, at its
 * configuration, or after a tail the ring cannot have.  A descriptor the
 * device already wrote back gives a meaningless address, which costs
 * precision and nothing else; one it has not is exactly what it may
 * still write.
 */
void i40e_vf_mdev_dring_scan(struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s,
			     i40e_vf_mdev_dring_read_t read, void *ctx)
{
	u32 i;

	if (!r->count || !r->slot)
		return;
	r->stats.rescans++;
	for (i = 0; i < r->count; i++)
		dring_fill(r, s, i, read, ctx);
	r->tail_known = false;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_scan);

/**
 * i40e_vf_mdev_dring_set_tail() - tell a ring where its tail is
 * @r: the ring
 * @tail: the tail register's value; ignored unless below the ring's size
 */
void i40e_vf_mdev_dring_set_tail(struct i40e_vf_mdev_dring *r, u32 tail)
{
	if (!r->count || !r->slot || tail >= r->count)
		return;
	r->tail = tail;
	r->tail_known = true;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_set_tail);

/**
 * i40e_vf_mdev_dring_post() - the VF wrote a ring's tail
 * @r: the ring
 * @s: the set, which gets the buffers the reposted slots held
 * @tail: the value written
 * @read: reads a descriptor
 * @ctx: passed to @read
 *
 * The descriptors from the previous tail up to @tail are posted.  With no
 * previous tail, or a tail the ring cannot have, the whole ring is read.
 * Either way at most one descriptor per slot is read.
 */
void i40e_vf_mdev_dring_post(struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s, u32 tail,
			     i40e_vf_mdev_dring_read_t read, void *ctx)
{
	u32 i;

	if (!r->count || !r->slot)
		return;
	r->stats.posts++;
	if (tail >= r->count) {
		r->stats.bad_tail++;
		i40e_vf_mdev_dring_scan(r, s, read, ctx);
		return;
	}
	if (!r->tail_known) {
		i40e_vf_mdev_dring_scan(r, s, read, ctx);
		i40e_vf_mdev_dring_set_tail(r, tail);
		return;
	}
	for (i = r->tail; i != tail; i = i + 1 == r->count ? 0 : i + 1)
		dring_fill(r, s, i, read, ctx);
	r->tail = tail;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_post);

/**
 * i40e_vf_mdev_dring_mark() - owe a report everything a ring lets the
 * device write
 * @r: the ring
 * @s: the set
 *
 * The ring itself (the device writes descriptors back) and the buffers
 * posted in it.
 */
void i40e_vf_mdev_dring_mark(const struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s)
{
	u32 i;

	if (!r->count)
		return;
	i40e_vf_mdev_dset_mark(s, r->base, (u64)r->count * r->desc_size);
	if (!r->slot)
		return;
	for (i = 0; i < r->count; i++)
		dring_mark_slot(r, s, i);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_mark);

/**
 * i40e_vf_mdev_dring_retire() - a ring goes away or is reconfigured
 * @r: the ring
 * @s: the set, which gets everything the ring let the device write
 *
 * Empties the slots and forgets the tail; the geometry stays.
 */
void i40e_vf_mdev_dring_retire(struct i40e_vf_mdev_dring *r,
			       struct i40e_vf_mdev_dset *s)
{
	u32 i;

	i40e_vf_mdev_dring_mark(r, s);
	if (r->slot) {
		for (i = 0; i < r->count; i++)
			dring_watch_slot(r, i, false);
		memset(r->slot, 0, i40e_vf_mdev_dring_slot_words(r->count) *
				   sizeof(u64));
	}
	r->tail_known = false;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_retire);

/**
 * i40e_vf_mdev_dring_set_watch() - follow a ring's buffers one by one
 * @r: the ring
 * @watch: told of every buffer a slot takes or lets go of from now on;
 *	NULL to stop
 * @ctx: passed to @watch
 *
 * A new watcher is told of the buffers the slots hold now, as posted; a
 * watcher that goes is told of them as let go of, so that what each one
 * was told balances.  The ring's geometry and the slots stay as they are.
 */
void i40e_vf_mdev_dring_set_watch(struct i40e_vf_mdev_dring *r,
				  i40e_vf_mdev_dring_watch_t watch, void *ctx)
{
	u32 i;

	if (r->watch && r->slot)
		for (i = 0; i < r->count; i++)
			dring_watch_slot(r, i, false);
	r->watch = watch;
	r->watch_ctx = ctx;
	if (r->watch && r->slot)
		for (i = 0; i < r->count; i++)
			dring_watch_slot(r, i, true);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_dring_set_watch);
