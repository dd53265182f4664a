/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: the pure logic of software dirty tracking
 *
 * The XL710 cannot log the pages its DMA writes, so the driver works them
 * out from what the device is allowed to write (Documentation/
 * migration.rst, "Dirty tracking"):
 *
 *  - the descriptor rings it writes back, the Tx head write-back and the
 *    mailbox rings: always;
 *  - the buffer of every Rx (and mailbox receive) descriptor the VF posted
 *    and has not posted again since: from the moment it is posted.
 *
 * A &struct i40e_vf_mdev_dset is the set of pages owed to the next report:
 * a bitmap over the IOVA ranges userspace tracks.  A &struct
 * i40e_vf_mdev_dring is one ring whose descriptors carry buffers the
 * device writes (an Rx queue, the mailbox receive queue): the buffer of
 * each slot as the VF last posted it.  When the VF posts a slot again, the
 * buffer it held before leaves the ring and its pages go into the set: the
 * device may have written them since the last report, and will not again.
 * A report marks everything the device may still write (rings and posted
 * buffers) into the set, then hands out and clears the set's pages in the
 * window asked for.
 *
 * Correctness: a page the device writes after tracking started is, at the
 * time of the write, either in a ring, a posted buffer, or (for a buffer
 * that was reposted or whose ring went away since) in the set; every
 * report covers all three, so the page is reported by the first report of
 * its window after the write.  A page leaves the set only in a report of
 * its window.  Nothing depends on the guest's descriptors being sane: an
 * address that does not map is never written by the device either, and a
 * descriptor is read at most once per tail write that covers it.
 *
 * Pure C (i40e_vf_mdev_compat.h only), with no allocation: the caller
 * provides the bitmap and the slot arrays, sized by the functions below.
 * It builds in userspace for unit tests and fuzzing.
 */
#ifndef I40E_VF_MDEV_DIRTY_SET_H
#define I40E_VF_MDEV_DIRTY_SET_H

#include "i40e_vf_mdev_compat.h"

/* IOVA ranges a set can track; DMA logging combines more into these */
#define I40E_VF_MDEV_DSET_MAX_RANGES	8
/* Pages a set can track: 2^28 pages of 4 KiB are 1 TiB, a 32 MiB bitmap */
#define I40E_VF_MDEV_DSET_MAX_PAGES	BIT_ULL(28)

/**
 * struct i40e_vf_mdev_dset_range - one tracked IOVA range
 * @iova: first byte, aligned to the set's page size
 * @pages: its length in pages
 * @first: index of its first page in the set's bitmap
 */
struct i40e_vf_mdev_dset_range {
	u64 iova;
	u64 pages;
	u64 first;
};

/**
 * struct i40e_vf_mdev_dset - the pages owed to the next report
 * @shift: log2 of the page size of the reports
 * @nr: number of ranges
 * @range: the ranges, sorted and disjoint
 * @nbits: pages in all the ranges, the bits of @bits
 * @bits: one bit per page, set while it is owed; the caller's memory
 * @marked: pages marked into the set (counted again when marked again)
 * @reported: pages handed out by reports
 */
struct i40e_vf_mdev_dset {
	unsigned int shift;
	unsigned int nr;
	struct i40e_vf_mdev_dset_range range[I40E_VF_MDEV_DSET_MAX_RANGES];
	u64 nbits;
	u64 *bits;
	u64 marked;
	u64 reported;
};

/**
 * struct i40e_vf_mdev_dset_in - a range as userspace gives it
 * @iova: first byte
 * @len: length in bytes
 */
struct i40e_vf_mdev_dset_in {
	u64 iova;
	u64 len;
};

/**
 * typedef i40e_vf_mdev_dset_emit_t - receives a report
 * @ctx: the caller's
 * @iova: first byte of a run of reported pages
 * @len: its length in bytes
 *
 * Return: true to go on, false to stop the report after this run.
 */
typedef bool (*i40e_vf_mdev_dset_emit_t)(void *ctx, u64 iova, u64 len);

int i40e_vf_mdev_dset_init(struct i40e_vf_mdev_dset *s,
			   const struct i40e_vf_mdev_dset_in *in,
			   unsigned int nr, unsigned int shift);
size_t i40e_vf_mdev_dset_words(const struct i40e_vf_mdev_dset *s);
void i40e_vf_mdev_dset_mark(struct i40e_vf_mdev_dset *s, u64 iova, u64 len);
void i40e_vf_mdev_dset_mark_all(struct i40e_vf_mdev_dset *s);
bool i40e_vf_mdev_dset_report(struct i40e_vf_mdev_dset *s, u64 iova, u64 len,
			      i40e_vf_mdev_dset_emit_t emit, void *ctx,
			      u64 *resume);

/**
 * enum i40e_vf_mdev_dring_kind - how a ring's descriptors carry buffers
 * @I40E_VF_MDEV_DRING_RX: LAN Rx, read format: packet buffer address in
 *	the first quadword, header buffer address in the second (its bit 0
 *	is the DD bit of the write-back format)
 * @I40E_VF_MDEV_DRING_ARQ: the mailbox receive queue, admin queue
 *	descriptors: buffer length at byte 4, address high and low halves
 *	at bytes 24 and 28
 */
enum i40e_vf_mdev_dring_kind {
	I40E_VF_MDEV_DRING_RX,
	I40E_VF_MDEV_DRING_ARQ,
};

/* Largest descriptor of the kinds above, in bytes */
#define I40E_VF_MDEV_DRING_DESC_MAX	32
/* Most descriptors in a ring (LAN queues; the mailbox has at most 1023) */
#define I40E_VF_MDEV_DRING_MAX		8192

/**
 * struct i40e_vf_mdev_dring_stats - what a ring's tracking met
 * @posts: tail writes handled
 * @descs: descriptors read
 * @unreadable: descriptors that could not be read (unmapped ring page)
 * @rescans: whole-ring reads (tail unknown or out of range)
 * @bad_tail: tail values at or past the ring's size
 */
struct i40e_vf_mdev_dring_stats {
	u64 posts;
	u64 descs;
	u64 unreadable;
	u64 rescans;
	u64 bad_tail;
};

/**
 * typedef i40e_vf_mdev_dring_read_t - read descriptor bytes at an IOVA
 * @ctx: the caller's
 * @iova: where
 * @buf: where to put them
 * @len: how many (one descriptor; it may cross a page)
 *
 * Return: 0, or a negative errno if the IOVA does not map to memory.
 */
typedef int (*i40e_vf_mdev_dring_read_t)(void *ctx, u64 iova, void *buf,
					 unsigned int len);

/**
 * typedef i40e_vf_mdev_dring_watch_t - told of the buffers a ring's slots
 * take and let go of
 * @ctx: the caller's
 * @iova: first byte of the buffer
 * @len: its length in bytes, never 0
 * @posted: true when a slot takes it (the device may write it from now
 *	on), false when the slot lets go of it (the device may have written
 *	it before, and will not through this slot again)
 *
 * For an outlet that follows the posted buffers one by one rather than
 * through a report (the type1 pinned-page scope, dirty_pin.c).  Every
 * buffer told as posted is told as let go of exactly once, when its slot
 * is filled again or the ring retires.
 */
typedef void (*i40e_vf_mdev_dring_watch_t)(void *ctx, u64 iova, u64 len,
					   bool posted);

/**
 * struct i40e_vf_mdev_dring - a ring whose descriptors give the device
 * buffers to write
 * @kind: descriptor layout
 * @base: IOVA of the ring
 * @count: descriptors in the ring; 0 while it is not configured
 * @desc_size: bytes per descriptor
 * @data_len: Rx: bytes the device writes at most to a packet buffer
 * @hdr_len: Rx: bytes it writes at most to a header buffer; 0 if none
 * @tail: the last tail posted, valid if @tail_known
 * @tail_known: a tail write was seen since the slots were last filled
 *	from the whole ring
 * @slot: per descriptor, the buffers posted in it: three u64s, the IOVAs
 *	of two buffers (packet and header, or the mailbox buffer and none)
 *	and their lengths in the low and high halves of the third; the
 *	caller's memory, i40e_vf_mdev_dring_slot_words() u64s, or NULL
 *	until attached
 * @watch: told of the buffers the slots take and let go of; NULL for none
 * @watch_ctx: passed to @watch
 * @stats: counters
 */
struct i40e_vf_mdev_dring {
	enum i40e_vf_mdev_dring_kind kind;
	u64 base;
	u16 count;
	u16 desc_size;
	u32 data_len;
	u32 hdr_len;
	u16 tail;
	bool tail_known;
	u64 *slot;
	i40e_vf_mdev_dring_watch_t watch;
	void *watch_ctx;
	struct i40e_vf_mdev_dring_stats stats;
};

int i40e_vf_mdev_dring_config(struct i40e_vf_mdev_dring *r,
			      enum i40e_vf_mdev_dring_kind kind, u64 base,
			      u32 count, u32 desc_size, u32 data_len,
			      u32 hdr_len);
size_t i40e_vf_mdev_dring_slot_words(u32 count);
void i40e_vf_mdev_dring_attach(struct i40e_vf_mdev_dring *r, u64 *slot);
void i40e_vf_mdev_dring_scan(struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s,
			     i40e_vf_mdev_dring_read_t read, void *ctx);
void i40e_vf_mdev_dring_set_tail(struct i40e_vf_mdev_dring *r, u32 tail);
void i40e_vf_mdev_dring_post(struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s, u32 tail,
			     i40e_vf_mdev_dring_read_t read, void *ctx);
void i40e_vf_mdev_dring_mark(const struct i40e_vf_mdev_dring *r,
			     struct i40e_vf_mdev_dset *s);
void i40e_vf_mdev_dring_retire(struct i40e_vf_mdev_dring *r,
			       struct i40e_vf_mdev_dset *s);
void i40e_vf_mdev_dring_set_watch(struct i40e_vf_mdev_dring *r,
				  i40e_vf_mdev_dring_watch_t watch, void *ctx);

#endif /* I40E_VF_MDEV_DIRTY_SET_H */
