// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: dirty tracking's outlet for a type1 container, pinned pages
 *
 * A user of the type1 IOMMU (QEMU 7.2 with v1; QEMU 8 and later when the
 * device offers no DMA logging) learns what a device dirtied from the
 * container, VFIO_IOMMU_DIRTY_PAGES.  For a group none of whose devices
 * ever pinned a page, type1 reports every mapped page in every round, and
 * a migration under load does not converge.  Once a device of the group
 * has pinned a page with vfio_pin_pages(), type1 counts the group in its
 * "pinned page dirty scope" and reports the pages that were pinned since
 * the previous report: a pin sets the page's bit, and a report sets the
 * bits of every page pinned at that moment.
 *
 * So from its first save (PRE_COPY, in a type1 container) until it is
 * closed, dirty.c keeps the pages the device may write pinned through
 * this file: rings, Tx head write-back, mailbox rings and the posted
 * buffers.  Until the close, not the save's end: type1 keeps the group in
 * the scope for as long as it stays in the container, and QEMU may run
 * the device outside PRE_COPY while it copies RAM (a paused VM continued
 * during its migration).  A page it may
 * no longer write is unpinned, then pinned and unpinned once more: that
 * pin sets its bit again, so the next report has it.  Correctness: the
 * device writes a page only while it is wanted here; it is pinned from
 * at most one sync after it became wanted (a pin after the write sets its
 * bit then) until one sync after it stopped being wanted (the extra pin
 * sets its bit then), and pinned pages are in every report.  So a write
 * is in a report that follows it, provided a sync follows it before the
 * final report: the trap syncs before a trapped access returns to the
 * user, and the STOP_COPY arc syncs after the VF stopped, before type1's
 * last report (QEMU stops the device before it syncs RAM for the last
 * time).
 *
 * Work is done in two halves.  i40e_vf_mdev_dpin_want(), under dirty.c's
 * lock, counts per page the buffers and rings that let the device write
 * it, and marks the pages whose count changed.  i40e_vf_mdev_dpin_sync()
 * then pins and unpins to match, outside dirty.c's and the trap's locks:
 * vfio_pin_pages() takes type1's lock and the user's mmap_lock, and the
 * trap's lock is taken under mmap_lock.
 *
 * type1 asks a device to unpin what it pinned in a range being unmapped
 * (vfio_device_ops.dma_unmap, i40e_vf_mdev_dpin_unmap()), then checks and
 * asks again, at most ten times before BUG().  So that a guest cannot
 * make pins race with an unmap, a range unmapped while pinning is
 * fenced: no page in it is pinned again (past I40E_VF_MDEV_DPIN_FENCES
 * ranges, none at all), and a page the device may write there fails the
 * tracking (and the migration, at STOP_COPY).  Once tracking failed it
 * counts no new page, which bounds its memory; the next save starts it
 * over.
 *
 * Locks: @lock is held across pins and taken outside dirty.c's lock;
 * @state_lock is innermost.  type1 calls dma_unmap with its device list
 * lock held and takes its own lock in vfio_unpin_pages(), the reverse of
 * the order in which it registers a device: that order is type1's, for
 * every driver that pins (kvmgt, vfio-ap, vfio-ccw).
 */

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/vfio.h>
#include <linux/xarray.h>

#include "dirty_pin.h"

/*
 * Pages counted at once, 256 MiB: more than a VF driver posts (iavf: 512
 * buffers of half a page per queue; 16 queues of 4096 2 KiB buffers are
 * 32768 pages), less than the rings allow a hostile driver (16 queues of
 * 8160 buffers of up to 34 pages, anywhere): about 40 MiB of xarray nodes
 * at worst, charged to the user's memory cgroup
 */
#define I40E_VF_MDEV_DPIN_MAX_PAGES	BIT(16)
/* Ranges the user may unmap during a save before tracking gives up */
#define I40E_VF_MDEV_DPIN_FENCES	8
/* Pages handled per visit to @state_lock */
#define I40E_VF_MDEV_DPIN_BATCH		64

#define I40E_VF_MDEV_DPIN_CHANGED	XA_MARK_1

/**
 * struct i40e_vf_mdev_dpin - the pinned pages of one device
 * @vdev: the device, open while anything is pinned
 * @state_lock: protects @want to @fence
 * @want: page frame (IOVA >> PAGE_SHIFT) -> number of buffers and rings
 *	the device may write it through, as a value entry; pages whose
 *	number changed since the last sync are marked
 * @nr_want: pages of @want with a non-zero number
 * @on: pages are being counted (i40e_vf_mdev_dpin_begin())
 * @pending: @want changed, or @resync is set, since the last sync
 * @resync: @want was emptied: the next sync compares every pinned page
 * @failed: why the tracking cannot be trusted, or NULL
 * @sessions: i40e_vf_mdev_dpin_begin() calls
 * @nr_fence: ranges in @fence
 * @fence_all: more ranges were unmapped than @fence holds: no more pins
 * @fence: page frames (first and last) the user unmapped while counting
 * @unavailable: type1 cannot pin here at all (a v1 container, an IOMMU
 *	driver without pins): its reports are then whole, and need none;
 *	written under @state_lock, read under @lock
 * @lock: protects @have and @stats, held across pins
 * @have: page frames pinned
 * @stats: counters
 */
struct i40e_vf_mdev_dpin {
	struct vfio_device *vdev;
	struct mutex state_lock;	/* see above */
	struct xarray want;
	u64 nr_want;
	bool on;
	bool pending;
	bool resync;
	const char *failed;
	u64 sessions;
	unsigned int nr_fence;
	bool fence_all;
	struct {
		u64 first;
		u64 last;
	} fence[I40E_VF_MDEV_DPIN_FENCES];
	bool unavailable;
	struct mutex lock;		/* see above */
	struct xarray have;
	struct i40e_vf_mdev_dpin_stats stats;
};

/**
 * i40e_vf_mdev_dpin_alloc() - pinned pages for a device
 * @vdev: the device
 *
 * Return: the new state, or NULL without memory.
 */
struct i40e_vf_mdev_dpin *i40e_vf_mdev_dpin_alloc(struct vfio_device *vdev)
{
	struct i40e_vf_mdev_dpin *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->vdev = vdev;
	mutex_init(&p->state_lock);
	mutex_init(&p->lock);
	xa_init(&p->want);
	xa_init(&p->have);
	return p;
}

/**
 * i40e_vf_mdev_dpin_free() - free what i40e_vf_mdev_dpin_alloc() made
 * @p: the state, with nothing pinned (i40e_vf_mdev_dpin_end() and a sync)
 */
void i40e_vf_mdev_dpin_free(struct i40e_vf_mdev_dpin *p)
{
	if (!p)
		return;
	WARN_ON(!xa_empty(&p->have));
	xa_destroy(&p->want);
	xa_destroy(&p->have);
	mutex_destroy(&p->lock);
	mutex_destroy(&p->state_lock);
	kfree(p);
}

static void dpin_fail_locked(struct i40e_vf_mdev_dpin *p, const char *why)
{
	lockdep_assert_held(&p->state_lock);
	if (!p->failed)
		p->failed = why;
}

/**
 * i40e_vf_mdev_dpin_fail() - this save's tracking cannot be trusted
 * @p: the state
 * @why: for the kernel log, a string that lives as long as the module
 */
void i40e_vf_mdev_dpin_fail(struct i40e_vf_mdev_dpin *p, const char *why)
{
	mutex_lock(&p->state_lock);
	if (p->on)
		dpin_fail_locked(p, why);
	mutex_unlock(&p->state_lock);
}

/**
 * i40e_vf_mdev_dpin_failed() - why this save's tracking failed
 * @p: the state
 *
 * Return: the reason, or NULL if it did not.
 */
const char *i40e_vf_mdev_dpin_failed(struct i40e_vf_mdev_dpin *p)
{
	const char *why;

	mutex_lock(&p->state_lock);
	why = p->failed;
	mutex_unlock(&p->state_lock);
	return why;
}

/**
 * i40e_vf_mdev_dpin_begin() - start counting what the device may write
 * @p: the state
 *
 * The caller tells what the device may write with i40e_vf_mdev_dpin_want()
 * from now on, then syncs.  Starts over from nothing counted and nothing
 * failed; what is pinned stays until a sync finds it unwanted.
 *
 * Context: takes the innermost lock only (callers hold dirty.c's).
 */
void i40e_vf_mdev_dpin_begin(struct i40e_vf_mdev_dpin *p)
{
	mutex_lock(&p->state_lock);
	xa_destroy(&p->want);
	p->nr_want = 0;
	p->on = true;
	p->failed = NULL;
	p->nr_fence = 0;
	p->fence_all = false;
	p->resync = true;
	WRITE_ONCE(p->pending, true);
	p->sessions++;
	mutex_unlock(&p->state_lock);
}

/**
 * i40e_vf_mdev_dpin_end() - nothing is wanted any more, at the close
 * @p: the state
 *
 * The pages are unpinned by the next sync; a failure is forgotten.
 *
 * Context: takes the innermost lock only (callers hold dirty.c's).
 */
void i40e_vf_mdev_dpin_end(struct i40e_vf_mdev_dpin *p)
{
	mutex_lock(&p->state_lock);
	p->on = false;
	p->failed = NULL;
	p->nr_fence = 0;
	p->fence_all = false;
	WRITE_ONCE(p->unavailable, false);
	xa_destroy(&p->want);
	p->nr_want = 0;
	p->resync = true;
	WRITE_ONCE(p->pending, true);
	mutex_unlock(&p->state_lock);
}

/**
 * i40e_vf_mdev_dpin_want() - the device may write some bytes, or no longer
 * @ctx: the state (an &i40e_vf_mdev_dring_watch_t)
 * @iova: first byte
 * @len: bytes; 0 is nothing
 * @posted: true when a buffer or ring starts letting the device write
 *	them, false when it stops
 *
 * Counts, and marks the pages for the next sync.  A no-op while not
 * counting; once the tracking failed, new pages are no longer counted
 * (the save fails anyway), and letting go of a page not counted is a
 * no-op.
 *
 * Context: takes the innermost lock only (callers hold dirty.c's).
 */
void i40e_vf_mdev_dpin_want(void *ctx, u64 iova, u64 len, bool posted)
{
	static const char too_many[] =
		"the VF posted more buffer pages than tracking follows";
	struct i40e_vf_mdev_dpin *p = ctx;
	u64 pfn, last = iova + len - 1;

	if (!len)
		return;
	if (last < iova)
		last = U64_MAX;

	mutex_lock(&p->state_lock);
	if (!p->on)
		goto out;
	for (pfn = iova >> PAGE_SHIFT; ; pfn++) {
		void *e = xa_load(&p->want, pfn);
		u64 n = e ? xa_to_value(e) : 0;

		if (posted) {
			if (!n && p->failed)
				goto next;
			if (!n++ && ++p->nr_want > I40E_VF_MDEV_DPIN_MAX_PAGES)
				dpin_fail_locked(p, too_many);
		} else {
			if (!n)
				goto next;
			if (!--n)
				p->nr_want--;
		}
		e = xa_store(&p->want, pfn, xa_mk_value(n), GFP_KERNEL_ACCOUNT);
		if (xa_is_err(e)) {
			/* the count stays as it was: let go of less later */
			if (posted && n == 1)
				p->nr_want--;
			dpin_fail_locked(p, "no memory to follow the VF's buffers");
			goto next;
		}
		xa_set_mark(&p->want, pfn, I40E_VF_MDEV_DPIN_CHANGED);
		WRITE_ONCE(p->pending, true);
next:
		if (pfn == last >> PAGE_SHIFT)
			break;
	}
out:
	mutex_unlock(&p->state_lock);
}

static bool dpin_fenced(struct i40e_vf_mdev_dpin *p, u64 pfn)
{
	unsigned int i;
	bool fenced;

	mutex_lock(&p->state_lock);
	fenced = p->fence_all;
	for (i = 0; i < p->nr_fence; i++)
		if (pfn >= p->fence[i].first && pfn <= p->fence[i].last)
			fenced = true;
	mutex_unlock(&p->state_lock);
	return fenced;
}

/*
 * Pin page frame @pfn.  Return: 0; -EINVAL or -EPERM where no writable
 * mapping is (the device cannot write there either); another errno where
 * type1 could not pin a page the device may still write (its user's
 * memory gone, VFIO_DMA_UNMAP_FLAG_VADDR).
 */
static int dpin_pin(struct i40e_vf_mdev_dpin *p, u64 pfn)
{
	struct page *page;
	int ret;

	ret = vfio_pin_pages(p->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1,
			     IOMMU_READ | IOMMU_WRITE, &page);
	if (ret == 1)
		return 0;
	return ret < 0 ? ret : -EFAULT;
}

/*
 * Pin page frame @pfn and let go at once, if it can be pinned: the pin
 * sets the page's bit in type1's bitmap, which the next report hands out
 * (unless another device still pins it, and then it is in that report
 * anyway).
 */
static void dpin_touch(struct i40e_vf_mdev_dpin *p, u64 pfn)
{
	if (!dpin_pin(p, pfn))
		vfio_unpin_pages(p->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1);
}

/* Let go of a pinned page, and pin it once more (dpin_touch()) */
static void dpin_unpin(struct i40e_vf_mdev_dpin *p, u64 pfn)
{
	lockdep_assert_held(&p->lock);
	xa_erase(&p->have, pfn);
	vfio_unpin_pages(p->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1);
	p->stats.pinned--;
	p->stats.unpins++;
	dpin_touch(p, pfn);
}

/* Pin or unpin page frame @pfn as @want says */
static void dpin_apply(struct i40e_vf_mdev_dpin *p, u64 pfn, bool want)
{
	bool pinned = xa_load(&p->have, pfn);
	int ret;

	lockdep_assert_held(&p->lock);
	if (!want) {
		if (pinned)
			dpin_unpin(p, pfn);
		else if (!READ_ONCE(p->unavailable) && !dpin_fenced(p, pfn))
			/* its pin failed: a mapping made since may be written */
			dpin_touch(p, pfn);
		return;
	}
	if (pinned || READ_ONCE(p->unavailable))
		return;
	if (dpin_fenced(p, pfn)) {
		p->stats.fenced++;
		i40e_vf_mdev_dpin_fail(p, "the user unmapped memory the VF may write");
		return;
	}
	ret = dpin_pin(p, pfn);
	if (ret == -EINVAL || ret == -EPERM) {
		/* no writable mapping: the device cannot write it either */
		p->stats.not_pinned++;
		return;
	}
	if (ret == -EACCES || ret == -ENOTTY) {
		/* never pinned here: the group is not in the scope at all */
		mutex_lock(&p->state_lock);
		WRITE_ONCE(p->unavailable, true);
		mutex_unlock(&p->state_lock);
		return;
	}
	if (ret == -EBUSY) {
		/* VFIO_DMA_UNMAP_FLAG_VADDR: type1 warns at every pin */
		mutex_lock(&p->state_lock);
		p->fence_all = true;
		mutex_unlock(&p->state_lock);
	}
	if (ret) {
		i40e_vf_mdev_dpin_fail(p, "type1 could not pin a page the VF may write");
		return;
	}
	if (xa_is_err(xa_store(&p->have, pfn, xa_mk_value(1),
			       GFP_KERNEL_ACCOUNT))) {
		vfio_unpin_pages(p->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1);
		i40e_vf_mdev_dpin_fail(p, "no memory to follow the VF's buffers");
		return;
	}
	p->stats.pinned++;
	p->stats.pins++;
}

/* Is page frame @pfn wanted?  (Between the batches of a sync.) */
static bool dpin_wanted(struct i40e_vf_mdev_dpin *p, u64 pfn)
{
	void *e;

	mutex_lock(&p->state_lock);
	e = xa_load(&p->want, pfn);
	mutex_unlock(&p->state_lock);
	return e && xa_to_value(e);
}

/* Unpin every pinned page that is not wanted */
static void dpin_resync(struct i40e_vf_mdev_dpin *p)
{
	unsigned long pfn;
	void *e;

	lockdep_assert_held(&p->lock);
	xa_for_each(&p->have, pfn, e)
		if (!dpin_wanted(p, pfn))
			dpin_unpin(p, pfn);
}

/*
 * Pin every wanted page that is not pinned: after the device stopped, for
 * the pages whose pin failed at the time (an IOVA mapped since is one the
 * device may have written).
 */
static void dpin_pin_missing(struct i40e_vf_mdev_dpin *p)
{
	u64 batch[I40E_VF_MDEV_DPIN_BATCH];
	unsigned long pfn = 0;
	unsigned int n, i;
	void *e;

	lockdep_assert_held(&p->lock);
	do {
		n = 0;
		mutex_lock(&p->state_lock);
		xa_for_each_start(&p->want, pfn, e, pfn) {
			if (xa_to_value(e) && !xa_load(&p->have, pfn))
				batch[n++] = pfn;
			if (n == ARRAY_SIZE(batch))
				break;
		}
		mutex_unlock(&p->state_lock);
		for (i = 0; i < n; i++)
			dpin_apply(p, batch[i], true);
		cond_resched();
		pfn++;
	} while (n == ARRAY_SIZE(batch));
}

/**
 * i40e_vf_mdev_dpin_sync() - pin and unpin as the device's pages changed
 * @p: the state
 * @final: the device stopped: also try again the pages whose pin failed
 *
 * Context: takes type1's lock and the user's mmap_lock, and may sleep:
 * never with the trap's or dirty.c's lock held, or in a device reset.
 */
void i40e_vf_mdev_dpin_sync(struct i40e_vf_mdev_dpin *p, bool final)
{
	struct {
		u64 pfn;
		bool want;
	} batch[I40E_VF_MDEV_DPIN_BATCH];
	unsigned long pfn;
	unsigned int n, i;
	bool resync;
	void *e;

	if (!final && !READ_ONCE(p->pending))
		return;

	mutex_lock(&p->lock);
	mutex_lock(&p->state_lock);
	resync = p->resync;
	p->resync = false;
	WRITE_ONCE(p->pending, false);
	mutex_unlock(&p->state_lock);

	if (resync)
		dpin_resync(p);
	do {
		n = 0;
		mutex_lock(&p->state_lock);
		xa_for_each_marked(&p->want, pfn, e, I40E_VF_MDEV_DPIN_CHANGED) {
			batch[n].pfn = pfn;
			batch[n].want = xa_to_value(e);
			xa_clear_mark(&p->want, pfn, I40E_VF_MDEV_DPIN_CHANGED);
			if (!batch[n].want)
				xa_erase(&p->want, pfn);
			if (++n == ARRAY_SIZE(batch))
				break;
		}
		p->stats.wanted = p->nr_want;
		mutex_unlock(&p->state_lock);
		for (i = 0; i < n; i++)
			dpin_apply(p, batch[i].pfn, batch[i].want);
		cond_resched();
	} while (n == ARRAY_SIZE(batch));
	if (final)
		dpin_pin_missing(p);
	mutex_unlock(&p->lock);
}

/**
 * i40e_vf_mdev_dpin_unmap() - the user unmaps an IOVA range
 * @p: the state
 * @iova: first byte
 * @len: bytes
 *
 * From vfio_device_ops.dma_unmap: unpins what is pinned in the range and,
 * while counting, fences it (see the top of this file).
 */
void i40e_vf_mdev_dpin_unmap(struct i40e_vf_mdev_dpin *p, u64 iova, u64 len)
{
	u64 first = iova >> PAGE_SHIFT, last = (iova + len - 1) >> PAGE_SHIFT;
	unsigned long pfn;
	void *e;

	if (!len)
		return;
	if (iova + len - 1 < iova)
		last = U64_MAX >> PAGE_SHIFT;

	mutex_lock(&p->lock);
	mutex_lock(&p->state_lock);
	if (p->on) {
		if (p->nr_fence < ARRAY_SIZE(p->fence)) {
			p->fence[p->nr_fence].first = first;
			p->fence[p->nr_fence].last = last;
			p->nr_fence++;
		} else {
			p->fence_all = true;
			dpin_fail_locked(p, "the user unmapped too many ranges");
		}
	}
	mutex_unlock(&p->state_lock);

	xa_for_each_range(&p->have, pfn, e, first, last) {
		xa_erase(&p->have, pfn);
		vfio_unpin_pages(p->vdev, (dma_addr_t)pfn << PAGE_SHIFT, 1);
		p->stats.pinned--;
		p->stats.unmapped++;
	}
	mutex_unlock(&p->lock);
}

/**
 * i40e_vf_mdev_dpin_stats() - copy the counters
 * @p: the state
 * @st: where to
 */
void i40e_vf_mdev_dpin_stats(struct i40e_vf_mdev_dpin *p,
			     struct i40e_vf_mdev_dpin_stats *st)
{
	mutex_lock(&p->lock);
	*st = p->stats;
	mutex_unlock(&p->lock);
	mutex_lock(&p->state_lock);
	st->sessions = p->sessions;
	st->failed = p->failed;
	mutex_unlock(&p->state_lock);
}
