// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: BAR0 trapping
 *
 * BAR0 (64 KiB of VF registers) is offered as a sparse mmap.  The pages set
 * in trap->pages are left out of the sparse mmap capability, mmap() of them
 * is refused (vfio_ops.c), and pread()/pwrite() of them come here.  Every
 * trapped access is forwarded to the VF through vfio-pci-core's own mapping
 * of BAR0 and its memory-enable checks, after snooping it: the values the
 * user writes to the mailbox ring registers are kept in a shadow, which
 * migration needs.
 *
 * The mailbox pages are always trapped.  The Rx tail page of a migratable
 * device is trapped whenever dirty tracking may need it: always, unless a
 * user registered for the sparse mmap re-evaluation IRQ (reeval.c), to
 * which the page is lent while no tracking claims it.  Dirty tracking
 * (dirty.c) learns from the trapped Rx tail writes which buffers the
 * device may fill, and is told of them here, under the trap's lock, in the
 * order the VF sees them; the pins those call for are made once the lock
 * is let go.  The Tx tail page is not trapped: the device only reads Tx
 * buffers.
 *
 * A lent page is never taken from a mapping: when tracking claims it back,
 * it leaves the sparse mmap areas and mmap() of it is refused, and the
 * claim waits until the user has unmapped it (reeval.c).  The mappings
 * that cover it are counted for that, through the operations this file
 * gives every BAR0 mapping; such a mapping cannot be split, so that what
 * it covers stays what was counted.
 *
 * debugfs "trap_tail" traps both tail pages on purpose, for tests of the
 * trap accounting (i40e_vf_mdev_trap_tails()); it zaps the mappings of the
 * pages, and the fault handler of BAR0 mappings refuses pages trapped so
 * (and any other trapped page that was not lent), so a zapped mapping
 * cannot map the page again behind the trap.
 */

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/find.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/wait.h>

#include "dirty.h"
#include "i40e_vf_mdev.h"
#include "i40e_vf_mdev_trace.h"

/* Offsets of the shadowed mailbox registers, by enum i40e_vf_mdev_mbx_reg */
static const u32 i40e_vf_mdev_mbx_offsets[I40E_VF_MDEV_NR_MBX_REGS] = {
	[I40E_VF_MDEV_MBX_ARQBAH] = I40E_VF_ARQBAH1,
	[I40E_VF_MDEV_MBX_ARQBAL] = I40E_VF_ARQBAL1,
	[I40E_VF_MDEV_MBX_ARQLEN] = I40E_VF_ARQLEN1,
	[I40E_VF_MDEV_MBX_ARQH] = I40E_VF_ARQH1,
	[I40E_VF_MDEV_MBX_ARQT] = I40E_VF_ARQT1,
	[I40E_VF_MDEV_MBX_ATQBAH] = I40E_VF_ATQBAH1,
	[I40E_VF_MDEV_MBX_ATQBAL] = I40E_VF_ATQBAL1,
	[I40E_VF_MDEV_MBX_ATQLEN] = I40E_VF_ATQLEN1,
	[I40E_VF_MDEV_MBX_ATQH] = I40E_VF_ATQH1,
	[I40E_VF_MDEV_MBX_ATQT] = I40E_VF_ATQT1,
};

/**
 * i40e_vf_mdev_mbx_reg_offset() - BAR0 offset of a shadowed mailbox register
 * @reg: the register
 *
 * Return: its offset in BAR0.
 */
u32 i40e_vf_mdev_mbx_reg_offset(enum i40e_vf_mdev_mbx_reg reg)
{
	return i40e_vf_mdev_mbx_offsets[reg];
}

static int i40e_vf_mdev_mbx_index(u64 offset)
{
	int i;

	for (i = 0; i < I40E_VF_MDEV_NR_MBX_REGS; i++)
		if (i40e_vf_mdev_mbx_offsets[i] == offset)
			return i;
	return -1;
}

/**
 * i40e_vf_mdev_page_class() - what the BAR0 page at an offset holds
 * @offset: offset in BAR0
 *
 * Return: the page class, for the trap counters.
 */
enum i40e_vf_mdev_page_class i40e_vf_mdev_page_class(u64 offset)
{
	if (offset >= I40E_VF_MDEV_MBX_START && offset < I40E_VF_MDEV_MBX_END)
		return I40E_VF_MDEV_PAGE_MAILBOX;
	if (offset >= I40E_VF_MDEV_TX_TAIL_START &&
	    offset < I40E_VF_MDEV_TX_TAIL_END)
		return I40E_VF_MDEV_PAGE_TX_TAIL;
	if (offset >= I40E_VF_MDEV_RX_TAIL_START &&
	    offset < I40E_VF_MDEV_RX_TAIL_END)
		return I40E_VF_MDEV_PAGE_RX_TAIL;
	return I40E_VF_MDEV_PAGE_OTHER;
}

/* Trap the pages covering [start, end) of BAR0; caller holds trap->lock */
static void i40e_vf_mdev_trap_range(struct i40e_vf_mdev_trap *trap,
				    u64 start, u64 end)
{
	unsigned long first = start >> PAGE_SHIFT;
	unsigned long last = DIV_ROUND_UP(end, PAGE_SIZE);

	bitmap_set(trap->pages, first, last - first);
}

/* The BAR0 pages of the Rx tail registers, [first, first + nr) */
#define I40E_VF_MDEV_RX_TAIL_PAGE	(I40E_VF_MDEV_RX_TAIL_START >> PAGE_SHIFT)
#define I40E_VF_MDEV_RX_TAIL_NR_PAGES \
	(DIV_ROUND_UP(I40E_VF_MDEV_RX_TAIL_END, PAGE_SIZE) - \
	 I40E_VF_MDEV_RX_TAIL_PAGE)

/* Whether the Rx tail page is out of the user's reach now */
static bool i40e_vf_mdev_trap_rx_tail(const struct i40e_vf_mdev_trap *trap)
{
	if (trap->forced)
		return true;
	if (!trap->track_rx)
		return false;
	return !trap->consumer || trap->claims || trap->held;
}

/*
 * Work out trap->pages from the state.  Returns whether it changed, i.e.
 * whether the sparse mmap capability a user reads changed.
 */
static bool i40e_vf_mdev_trap_update(struct i40e_vf_mdev_trap *trap)
{
	DECLARE_BITMAP(old, I40E_VF_MDEV_BAR0_PAGES);

	lockdep_assert_held(&trap->lock);
	bitmap_copy(old, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	bitmap_copy(trap->pages, trap->kept, I40E_VF_MDEV_BAR0_PAGES);
	if (trap->forced)
		i40e_vf_mdev_trap_range(trap, I40E_VF_MDEV_TX_TAIL_START,
					I40E_VF_MDEV_TX_TAIL_END);
	if (i40e_vf_mdev_trap_rx_tail(trap))
		i40e_vf_mdev_trap_range(trap, I40E_VF_MDEV_RX_TAIL_START,
					I40E_VF_MDEV_RX_TAIL_END);
	bitmap_copy(trap->rw_pages, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	if (trap->track_rx)
		bitmap_set(trap->rw_pages, I40E_VF_MDEV_RX_TAIL_PAGE,
			   I40E_VF_MDEV_RX_TAIL_NR_PAGES);
	return !bitmap_equal(old, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
}

/**
 * i40e_vf_mdev_trap_init() - set up the BAR0 trap of a new device
 * @idev: the device
 *
 * Traps the mailbox pages.
 */
void i40e_vf_mdev_trap_init(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_init(&trap->lock);
	init_waitqueue_head(&trap->vma_wq);
	atomic_set(&trap->lent_vmas, 0);
	bitmap_zero(trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	memset(&trap->mbx, 0, sizeof(trap->mbx));
	memset(&trap->stats, 0, sizeof(trap->stats));
	memset(&trap->lend, 0, sizeof(trap->lend));
	i40e_vf_mdev_trap_range(trap, I40E_VF_MDEV_MBX_START,
				I40E_VF_MDEV_MBX_END);
	bitmap_copy(trap->kept, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	bitmap_copy(trap->rw_pages, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
}

/**
 * i40e_vf_mdev_trap_track_rx_tails() - trap the Rx tail page for tracking
 * @idev: the device, closed (no user can have mapped BAR0)
 * @track: whether to
 *
 * For dirty tracking, which must see every Rx tail write of a migratable
 * device while it runs: the page is trapped from now on, except while it
 * is lent to a user of the re-evaluation IRQ; or, when migration is
 * turned off, never again.
 */
void i40e_vf_mdev_trap_track_rx_tails(struct i40e_vf_mdev_dev *idev,
				      bool track)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	trap->track_rx = track;
	i40e_vf_mdev_trap_update(trap);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_lendable() - whether the device can lend pages
 * @idev: the device
 *
 * Return: true if the Rx tail page is trapped for tracking and user
 * mappings of BAR0 can be counted (Linux 6.10 and later), i.e. if the
 * re-evaluation IRQ has something to offer.
 */
bool i40e_vf_mdev_trap_lendable(struct i40e_vf_mdev_dev *idev)
{
#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
	return READ_ONCE(idev->trap.track_rx);
#else
	return false;
#endif
}

/**
 * i40e_vf_mdev_trap_set_consumer() - a user registers for the
 * re-evaluation IRQ, or leaves it
 * @idev: the device
 * @on: registered (true) or not
 *
 * A registered user is lent the Rx tail page while no tracking claims it.
 * One that leaves keeps the mappings it has (they are counted, and a
 * later claim waits for them like any other) but cannot map the page
 * again.  Either way a failed claim is forgotten.
 */
void i40e_vf_mdev_trap_set_consumer(struct i40e_vf_mdev_dev *idev, bool on)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	trap->consumer = on;
	trap->held = false;
	if (i40e_vf_mdev_trap_update(trap) && !i40e_vf_mdev_trap_rx_tail(trap))
		trap->lend.lends++;
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_claim() - dirty tracking claims the Rx tail page
 * @idev: the device
 *
 * The page leaves the sparse mmap areas, if it was lent, and mmap() of it
 * is refused from now on; the caller then waits for the user's mappings
 * of it to go (i40e_vf_mdev_trap_lent_vmas()) and ends the claim with
 * i40e_vf_mdev_trap_claimed().
 *
 * Return: whether the sparse mmap capability changed.
 */
bool i40e_vf_mdev_trap_claim(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	bool changed;

	mutex_lock(&trap->lock);
	trap->claims++;
	changed = i40e_vf_mdev_trap_update(trap);
	if (changed)
		trap->lend.revokes++;
	mutex_unlock(&trap->lock);
	return changed;
}

/**
 * i40e_vf_mdev_trap_claimed() - the end of i40e_vf_mdev_trap_claim()
 * @idev: the device
 * @ok: the user's mappings of the page went: tracking starts; or they did
 *	not, and the claim is withdrawn
 *
 * A withdrawn claim leaves the page out of the areas ("held") until a
 * claim succeeds, tracking ends or the consumer changes, for a user that
 * could not answer while it was claiming and retries.
 */
void i40e_vf_mdev_trap_claimed(struct i40e_vf_mdev_dev *idev, bool ok)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	if (ok) {
		trap->granted++;
		trap->held = false;
	} else {
		trap->claims--;
		trap->held = true;
		trap->lend.claim_failures++;
	}
	i40e_vf_mdev_trap_update(trap);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_unclaim() - dirty tracking no longer needs the page
 * @idev: the device
 *
 * Balances a successful claim.  When no claim is left, the page is lent
 * again to a registered user.
 *
 * Return: whether the sparse mmap capability changed.
 */
bool i40e_vf_mdev_trap_unclaim(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	bool changed;

	mutex_lock(&trap->lock);
	if (!WARN_ON_ONCE(!trap->claims || !trap->granted)) {
		trap->claims--;
		trap->granted--;
	}
	trap->held = false;
	changed = i40e_vf_mdev_trap_update(trap);
	if (changed)
		trap->lend.lends++;
	mutex_unlock(&trap->lock);
	return changed;
}

/**
 * i40e_vf_mdev_trap_lent_vmas() - user mappings that cover the Rx tail page
 * @idev: the device
 *
 * Return: their number; &i40e_vf_mdev_trap.vma_wq is woken when it drops
 * to zero.
 */
int i40e_vf_mdev_trap_lent_vmas(struct i40e_vf_mdev_dev *idev)
{
	return atomic_read(&idev->trap.lent_vmas);
}

/**
 * i40e_vf_mdev_trap_lend_stats() - the lending state and counters
 * @idev: the device
 * @st: where to copy them
 */
void i40e_vf_mdev_trap_lend_stats(struct i40e_vf_mdev_dev *idev,
				  struct i40e_vf_mdev_lend_stats *st)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	st->count = trap->lend;
	st->consumer = trap->consumer;
	st->lent = trap->track_rx && !i40e_vf_mdev_trap_rx_tail(trap);
	st->claims = trap->claims;
	st->held = trap->held;
	st->vmas = atomic_read(&trap->lent_vmas);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_destroy() - release what i40e_vf_mdev_trap_init() set up
 * @idev: the device
 */
void i40e_vf_mdev_trap_destroy(struct i40e_vf_mdev_dev *idev)
{
	mutex_destroy(&idev->trap.lock);
}

/* Forget the mailbox shadow, and any pending reset mark */
static void i40e_vf_mdev_mbx_drop(struct i40e_vf_mdev_trap *trap)
{
	lockdep_assert_held(&trap->lock);
	WRITE_ONCE(trap->mbx_stale, false);
	memset(&trap->mbx, 0, sizeof(trap->mbx));
}

/**
 * i40e_vf_mdev_trap_reset() - forget the mailbox shadow
 * @idev: the device
 *
 * For open and close (a reset of the open VF goes through
 * i40e_vf_mdev_trap_mark_reset()): the VF's registers are back to their
 * reset values, and what the user wrote before no longer applies.
 */
void i40e_vf_mdev_trap_reset(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	i40e_vf_mdev_mbx_drop(trap);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_mark_reset() - the VF was reset behind the trap
 * @idev: the device
 *
 * For the PCI reset_done handler, which may run under vfio-pci-core's
 * memory_lock and so must not take the trap lock (taken outside
 * memory_lock by trapped accesses): the shadow is dropped the next time
 * the trap lock is taken.
 */
void i40e_vf_mdev_trap_mark_reset(struct i40e_vf_mdev_dev *idev)
{
	WRITE_ONCE(idev->trap.mbx_stale, true);
}

/* Drop the shadow if the VF was reset since it was written */
static void i40e_vf_mdev_mbx_check(struct i40e_vf_mdev_trap *trap)
{
	if (READ_ONCE(trap->mbx_stale))
		i40e_vf_mdev_mbx_drop(trap);
}

/**
 * i40e_vf_mdev_trap_mbx_snapshot() - copy the mailbox shadow
 * @idev: the device
 * @out: where to copy it
 */
void i40e_vf_mdev_trap_mbx_snapshot(struct i40e_vf_mdev_dev *idev,
				    struct i40e_vf_mdev_mbx_shadow *out)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	i40e_vf_mdev_mbx_check(trap);
	*out = trap->mbx;
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_stats() - copy the trap counters and trapped pages
 * @idev: the device
 * @stats: where to copy the counters
 * @pages: where to copy the bitmap of trapped pages
 *	(%I40E_VF_MDEV_BAR0_PAGES bits)
 */
void i40e_vf_mdev_trap_stats(struct i40e_vf_mdev_dev *idev,
			     struct i40e_vf_mdev_trap_stats *stats,
			     unsigned long *pages)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	*stats = trap->stats;
	bitmap_copy(pages, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	mutex_unlock(&trap->lock);
}

/* Whether [@start, @start + @len) of BAR0 touches a trapped page */
static bool i40e_vf_mdev_trap_hit_locked(struct i40e_vf_mdev_trap *trap,
					 u64 start, u64 len)
{
	unsigned long first, last;

	lockdep_assert_held(&trap->lock);
	if (!len || start >= I40E_VF_MDEV_BAR0_SIZE)
		return false;

	first = start >> PAGE_SHIFT;
	last = (min(len, I40E_VF_MDEV_BAR0_SIZE - start) + start - 1) >>
	       PAGE_SHIFT;
	return find_next_bit(trap->pages, last + 1, first) <= last;
}

/**
 * i40e_vf_mdev_trap_hit() - whether a range of BAR0 touches a trapped page
 * @idev: the device
 * @start: offset in BAR0
 * @len: length in bytes
 *
 * Return: true if any byte of [@start, @start + @len) within BAR0 is in a
 * trapped page.
 */
bool i40e_vf_mdev_trap_hit(struct i40e_vf_mdev_dev *idev, u64 start, u64 len)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	bool hit;

	mutex_lock(&trap->lock);
	hit = i40e_vf_mdev_trap_hit_locked(trap, start, len);
	mutex_unlock(&trap->lock);

	return hit;
}

/* The first BAR0 page a mapping of BAR0 covers */
static unsigned long i40e_vf_mdev_vma_first(struct vm_area_struct *vma)
{
	return vma->vm_pgoff &
	       ((1UL << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
}

#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
static struct i40e_vf_mdev_trap *i40e_vf_mdev_vma_trap(struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev = vma->vm_private_data;

	return &container_of(vdev, struct i40e_vf_mdev_dev, core_device)->trap;
}

/*
 * Whether a mapping of BAR0 covers the Rx tail page of a device that lends
 * it (the page is only mapped while lent); track_rx does not change once
 * the device is registered.
 */
static bool i40e_vf_mdev_vma_lent(struct vm_area_struct *vma)
{
	unsigned long first = i40e_vf_mdev_vma_first(vma);
	unsigned long last = first + vma_pages(vma) - 1;

	return i40e_vf_mdev_vma_trap(vma)->track_rx &&
	       first < I40E_VF_MDEV_RX_TAIL_PAGE + I40E_VF_MDEV_RX_TAIL_NR_PAGES &&
	       last >= I40E_VF_MDEV_RX_TAIL_PAGE;
}

/*
 * A trapped page may be faulted in only through a mapping made while it
 * was lent, until its user unmaps it (see the top of this file); never
 * once a claim was granted, which waited for every such mapping to go.
 */
static bool i40e_vf_mdev_trap_may_fault(const struct i40e_vf_mdev_trap *trap,
					unsigned long page)
{
	if (!test_bit(page, trap->pages))
		return true;
	if (!trap->track_rx || trap->forced ||
	    page < I40E_VF_MDEV_RX_TAIL_PAGE ||
	    page >= I40E_VF_MDEV_RX_TAIL_PAGE + I40E_VF_MDEV_RX_TAIL_NR_PAGES)
		return false;
	/* a mapping left behind a granted claim: the count is wrong */
	return !WARN_ON_ONCE(trap->granted);
}

/*
 * Fault handler of the user's BAR0 mappings.  trap->lock is held across
 * vfio-pci-core's handler, so a page cannot be mapped between
 * i40e_vf_mdev_trap_tails() trapping it and zapping its mappings.
 */
static vm_fault_t i40e_vf_mdev_bar0_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct i40e_vf_mdev_trap *trap = i40e_vf_mdev_vma_trap(vma);
	unsigned long page = i40e_vf_mdev_vma_first(vma) +
			     ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	vm_fault_t ret;

	mutex_lock(&trap->lock);
	if (page >= I40E_VF_MDEV_BAR0_PAGES ||
	    !i40e_vf_mdev_trap_may_fault(trap, page))
		ret = VM_FAULT_SIGBUS;
	else
		ret = trap->core_vm_ops->fault(vmf);
	mutex_unlock(&trap->lock);

	return ret;
}

/* A mapping is copied (fork(), mremap()) or split off */
static void i40e_vf_mdev_bar0_vm_open(struct vm_area_struct *vma)
{
	struct i40e_vf_mdev_trap *trap = i40e_vf_mdev_vma_trap(vma);

	if (i40e_vf_mdev_vma_lent(vma))
		atomic_inc(&trap->lent_vmas);
	if (trap->core_vm_ops->open)
		trap->core_vm_ops->open(vma);
}

/* A mapping goes, after its pages were unmapped */
static void i40e_vf_mdev_bar0_vm_close(struct vm_area_struct *vma)
{
	struct i40e_vf_mdev_trap *trap = i40e_vf_mdev_vma_trap(vma);

	if (trap->core_vm_ops->close)
		trap->core_vm_ops->close(vma);
	if (i40e_vf_mdev_vma_lent(vma) && atomic_dec_and_test(&trap->lent_vmas))
		wake_up_all(&trap->vma_wq);
}

/* What a mapping of the Rx tail page covers stays what was counted */
static int i40e_vf_mdev_bar0_vm_may_split(struct vm_area_struct *vma,
					  unsigned long addr)
{
	return i40e_vf_mdev_vma_lent(vma) ? -EINVAL : 0;
}

/* No huge_fault: BAR0 (64 KiB) is mapped with small pages anyway */
static const struct vm_operations_struct i40e_vf_mdev_bar0_vm_ops = {
	.open = i40e_vf_mdev_bar0_vm_open,
	.close = i40e_vf_mdev_bar0_vm_close,
	.may_split = i40e_vf_mdev_bar0_vm_may_split,
	.fault = i40e_vf_mdev_bar0_fault,
};
#endif

/**
 * i40e_vf_mdev_bar0_mmap() - mmap() of BAR0
 * @idev: the device
 * @vma: the new mapping
 *
 * Trapped pages are accessed with read/write only.  vfio-pci-core sets up
 * the others, and the mapping then gets this file's operations: a page
 * that is trapped by the time it is touched is not mapped (the access
 * gets SIGBUS) unless it was lent (see the top of this file), and
 * mappings of the Rx tail page are counted.  The check and the count are
 * made under trap->lock, so that a claim cannot miss a mapping.  Since
 * Linux 6.10 vfio-pci-core's mappings have no operations besides their
 * fault handlers; before, they had open and close too and are left alone
 * (nothing is lent, and i40e_vf_mdev_trap_tails() is not supported).
 *
 * Return: 0 or a negative errno (-EINVAL for a trapped page).
 */
int i40e_vf_mdev_bar0_mmap(struct i40e_vf_mdev_dev *idev,
			   struct vm_area_struct *vma)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	int ret = -EINVAL;

	mutex_lock(&trap->lock);
	if (i40e_vf_mdev_trap_hit_locked(trap,
					 (u64)i40e_vf_mdev_vma_first(vma) << PAGE_SHIFT,
					 vma->vm_end - vma->vm_start))
		goto out;
	ret = vfio_pci_core_mmap(&idev->core_device.vdev, vma);
	if (ret)
		goto out;
#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
	if (!trap->core_vm_ops)
		trap->core_vm_ops = vma->vm_ops;
	vma->vm_ops = &i40e_vf_mdev_bar0_vm_ops;
	if (i40e_vf_mdev_vma_lent(vma)) {
		/* a child must not keep what a claim waits for */
		vm_flags_set(vma, VM_DONTCOPY);
		atomic_inc(&trap->lent_vmas);
	}
#endif
out:
	mutex_unlock(&trap->lock);
	return ret;
}

/**
 * i40e_vf_mdev_trap_tails() - trap the Tx/Rx queue tail pages, or not
 * @idev: the device
 * @trap_them: trap the pages (true) or make them mmap()able again (false)
 *
 * For tests of the trap accounting (debugfs "trap_tail"): with the tail
 * pages trapped, every doorbell write of the data path is a trapped access
 * counted as "datapath".  The pages leave the sparse mmap areas reported
 * from now on, mmap() of them is refused, and existing user mappings of
 * them are zapped; touching them through such a mapping gets SIGBUS.  A
 * VMM started after the change reads the new areas and goes through the
 * trap.  Untrapped again, the Tx tail page can be mapped and faulted in
 * again, and the Rx tail page is what tracking and lending make it.
 *
 * Return: 0, or -EOPNOTSUPP on kernels before 6.10, where vfio devices
 * have no address space of their own to zap mappings in.
 */
int i40e_vf_mdev_trap_tails(struct i40e_vf_mdev_dev *idev, bool trap_them)
{
#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
	struct address_space *mapping = idev->core_device.vdev.inode->i_mapping;
	loff_t bar0 = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX);
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	trap->forced = trap_them;
	i40e_vf_mdev_trap_update(trap);
	if (trap_them) {
		unmap_mapping_range(mapping, bar0 + I40E_VF_MDEV_TX_TAIL_START,
				    I40E_VF_MDEV_TX_TAIL_END -
				    I40E_VF_MDEV_TX_TAIL_START, true);
		unmap_mapping_range(mapping, bar0 + I40E_VF_MDEV_RX_TAIL_START,
				    I40E_VF_MDEV_RX_TAIL_END -
				    I40E_VF_MDEV_RX_TAIL_START, true);
	}
	mutex_unlock(&trap->lock);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/**
 * i40e_vf_mdev_tails_trapped() - whether the tail pages are trapped
 * @idev: the device
 *
 * Return: true if i40e_vf_mdev_trap_tails() trapped them (the Tx tail
 * page is trapped only then).
 */
bool i40e_vf_mdev_tails_trapped(struct i40e_vf_mdev_dev *idev)
{
	return i40e_vf_mdev_trap_hit(idev, I40E_VF_MDEV_TX_TAIL_START,
				     I40E_VF_MDEV_TX_TAIL_END -
				     I40E_VF_MDEV_TX_TAIL_START);
}

/*
 * The sparse mmap capability: the untrapped runs of pages.  Returns the
 * number of areas, or a negative errno.
 */
static int i40e_vf_mdev_bar0_add_sparse(struct i40e_vf_mdev_dev *idev,
					struct vfio_info_cap *caps, u64 size)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	unsigned int start, end, nr = 0;
	int ret;

	/* At most every other page is an area */
	sparse = kzalloc(struct_size(sparse, areas,
				     DIV_ROUND_UP(I40E_VF_MDEV_BAR0_PAGES, 2)),
			 GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;

	mutex_lock(&trap->lock);
	for_each_clear_bitrange(start, end, trap->pages,
				I40E_VF_MDEV_BAR0_PAGES) {
		u64 area_start = (u64)start << PAGE_SHIFT;
		u64 area_end = min_t(u64, (u64)end << PAGE_SHIFT, size);

		if (area_start >= area_end)
			break;
		sparse->areas[nr].offset = area_start;
		sparse->areas[nr].size = area_end - area_start;
		nr++;
	}
	mutex_unlock(&trap->lock);

	ret = nr;
	if (nr) {
		sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		sparse->header.version = 1;
		sparse->nr_areas = nr;
		ret = vfio_info_add_capability(caps, &sparse->header,
					       struct_size(sparse, areas, nr));
		if (!ret)
			ret = nr;
	}

	kfree(sparse);
	return ret;
}

/**
 * i40e_vf_mdev_bar0_get_region_info() - VFIO_DEVICE_GET_REGION_INFO for BAR0
 * @idev: the device
 * @info: the header the user passed, already copied in and checked
 * @arg: the user's buffer
 *
 * Like vfio-pci-core's answer, plus a sparse mmap capability that leaves
 * out the trapped pages.  If every page is trapped, BAR0 is not mmap()able
 * at all.
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_bar0_get_region_info(struct i40e_vf_mdev_dev *idev,
				      struct vfio_region_info *info,
				      void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_pci_core_device *vdev = &idev->core_device;
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	int ret;

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX);
	info->size = pci_resource_len(vdev->pdev, VFIO_PCI_BAR0_REGION_INDEX);
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	if (vdev->bar_mmap_supported[VFIO_PCI_BAR0_REGION_INDEX]) {
		ret = i40e_vf_mdev_bar0_add_sparse(idev, &caps, info->size);
		if (ret < 0)
			goto out_free;
		if (ret)
			info->flags |= VFIO_REGION_INFO_FLAG_MMAP;

		/* As vfio-pci-core does for the MSI-X BAR, in case it is BAR0 */
		if (ret && vdev->msix_bar == VFIO_PCI_BAR0_REGION_INDEX) {
			struct vfio_info_cap_header header = {
				.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
				.version = 1,
			};

			ret = vfio_info_add_capability(&caps, &header,
						       sizeof(header));
			if (ret)
				goto out_free;
		}
	}

	if (caps.size) {
		info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info->argsz < sizeof(*info) + caps.size) {
			info->argsz = sizeof(*info) + caps.size;
			info->cap_offset = 0;
		} else {
			vfio_info_cap_shift(&caps, sizeof(*info));
			if (copy_to_user(arg + sizeof(*info), caps.buf,
					 caps.size)) {
				ret = -EFAULT;
				goto out_free;
			}
			info->cap_offset = sizeof(*info);
		}
	}

	ret = copy_to_user(arg, info, minsz) ? -EFAULT : 0;

out_free:
	kfree(caps.buf);
	return ret;
}

/* Merge a write of @size bytes at @offset into the mailbox shadow */
static void i40e_vf_mdev_snoop_write(struct i40e_vf_mdev_trap *trap,
				     u64 offset, unsigned int size, u32 val)
{
	unsigned int shift = (offset & 3) * BITS_PER_BYTE;
	u32 mask = GENMASK(size * BITS_PER_BYTE - 1, 0) << shift;
	int reg = i40e_vf_mdev_mbx_index(offset & ~3ULL);

	lockdep_assert_held(&trap->lock);

	if (reg < 0)
		return;

	trap->mbx.val[reg] = (trap->mbx.val[reg] & ~mask) | ((val << shift) & mask);
	__set_bit(reg, &trap->mbx.written);
}

/* Register bytes as they sit in the user's buffer: little endian */
union i40e_vf_mdev_reg_data {
	u8 b;
	__le16 w;
	__le32 l;
};

static u32 i40e_vf_mdev_reg_value(const union i40e_vf_mdev_reg_data *d,
				  unsigned int size)
{
	switch (size) {
	case 4:
		return le32_to_cpu(d->l);
	case 2:
		return le16_to_cpu(d->w);
	default:
		return d->b;
	}
}

/*
 * One naturally aligned MMIO access of 1, 2 or 4 bytes, through
 * vfio-pci-core's accessors, which check that memory decoding is enabled
 * and take and return the bytes in memory order.
 */
static int i40e_vf_mdev_mmio(struct vfio_pci_core_device *vdev,
			     void __iomem *addr, unsigned int size,
			     bool iswrite, union i40e_vf_mdev_reg_data *d)
{
	u32 raw32;
	u16 raw16;
	int ret;

	switch (size) {
	case 4:
		if (iswrite)
			return vfio_pci_core_iowrite32(vdev, true,
						       (__force u32)d->l, addr);
		ret = vfio_pci_core_ioread32(vdev, true, &raw32, addr);
		d->l = (__force __le32)raw32;
		return ret;
	case 2:
		if (iswrite)
			return vfio_pci_core_iowrite16(vdev, true,
						       (__force u16)d->w, addr);
		ret = vfio_pci_core_ioread16(vdev, true, &raw16, addr);
		d->w = (__force __le16)raw16;
		return ret;
	default:
		if (iswrite)
			return vfio_pci_core_iowrite8(vdev, true, d->b, addr);
		return vfio_pci_core_ioread8(vdev, true, &d->b, addr);
	}
}

/*
 * One trapped access.  The user's buffer is copied outside trap->lock:
 * mmap() takes trap->lock under mmap_lock, so a page fault in the copy
 * must not happen with trap->lock held.  The MMIO and the snoop happen
 * under it, so the shadow sees the writes in the order the VF does.
 */
static int i40e_vf_mdev_trap_access(struct i40e_vf_mdev_dev *idev,
				    void __iomem *io, char __user *buf,
				    u64 offset, unsigned int size, bool iswrite)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	union i40e_vf_mdev_reg_data d = { };
	int ret;

	if (iswrite && copy_from_user(&d, buf, size))
		return -EFAULT;

	mutex_lock(&trap->lock);
	ret = i40e_vf_mdev_mmio(&idev->core_device, io + offset, size, iswrite,
				&d);
	if (!ret && iswrite) {
		u32 val = i40e_vf_mdev_reg_value(&d, size);

		i40e_vf_mdev_mbx_check(trap);
		i40e_vf_mdev_snoop_write(trap, offset, size, val);
		i40e_vf_mdev_dirty_reg_write(idev, offset, size, val,
					     &trap->mbx);
	}
	mutex_unlock(&trap->lock);
	/* the pins the write calls for, before the access returns */
	i40e_vf_mdev_dirty_sync(idev);
	trace_i40e_vf_mdev_trap_access(&idev->core_device.pdev->dev, offset,
				       size, iswrite,
				       i40e_vf_mdev_reg_value(&d, size), ret);

	if (!ret && !iswrite && copy_to_user(buf, &d, size))
		ret = -EFAULT;

	return ret;
}

/* A read or write within trapped pages, split into aligned accesses */
static ssize_t i40e_vf_mdev_trap_rw(struct i40e_vf_mdev_dev *idev,
				    char __user *buf, u64 offset, size_t count,
				    bool iswrite)
{
	void __iomem *io = idev->core_device.barmap[VFIO_PCI_BAR0_REGION_INDEX];
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	size_t done = 0;
	int ret = 0;

	/* Mapped at open, and read/write need the device open */
	if (WARN_ON_ONCE(!io))
		return -EIO;

	mutex_lock(&trap->lock);
	if (iswrite)
		trap->stats.writes++;
	else
		trap->stats.reads++;
	trap->stats.class[i40e_vf_mdev_page_class(offset)]++;
	mutex_unlock(&trap->lock);

	while (done < count) {
		unsigned int size;

		if (IS_ALIGNED(offset, 4) && count - done >= 4)
			size = 4;
		else if (IS_ALIGNED(offset, 2) && count - done >= 2)
			size = 2;
		else
			size = 1;

		ret = i40e_vf_mdev_trap_access(idev, io, buf + done, offset,
					       size, iswrite);
		if (ret)
			break;

		done += size;
		offset += size;
	}

	return done ? done : ret;
}

/**
 * i40e_vf_mdev_bar0_rw() - read(2)/write(2) of BAR0
 * @idev: the device
 * @buf: user buffer
 * @count: bytes to transfer
 * @ppos: file position: region index and offset, advanced by what was done
 * @iswrite: direction
 *
 * Splits the access into runs of trapped and untrapped pages; trapped runs
 * go through the trap, the others straight to vfio-pci-core.  A lent page
 * counts as trapped here: an access to it through the trap is seen by a
 * claim that comes while it is in flight (a claim cannot wait for
 * vfio-pci-core's accesses).
 *
 * Return: bytes transferred, or a negative errno if none were.
 */
ssize_t i40e_vf_mdev_bar0_rw(struct i40e_vf_mdev_dev *idev, char __user *buf,
			     size_t count, loff_t *ppos, bool iswrite)
{
	struct vfio_device *core_vdev = &idev->core_device.vdev;
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u64 size = pci_resource_len(idev->core_device.pdev,
				    VFIO_PCI_BAR0_REGION_INDEX);
	size_t done = 0;
	ssize_t ret;

	if (pos >= size)
		return -EINVAL;
	count = min_t(u64, count, size - pos);

	while (done < count) {
		u64 offset = pos + done;
		unsigned long page = offset >> PAGE_SHIFT;
		size_t chunk = count - done;
		bool trapped = false;

		/* Up to the end of this run of (un)trapped pages */
		if (page < I40E_VF_MDEV_BAR0_PAGES) {
			unsigned long next;

			mutex_lock(&trap->lock);
			trapped = test_bit(page, trap->rw_pages);
			if (trapped)
				next = find_next_zero_bit(trap->rw_pages,
							  I40E_VF_MDEV_BAR0_PAGES,
							  page);
			else
				next = find_next_bit(trap->rw_pages,
						     I40E_VF_MDEV_BAR0_PAGES,
						     page);
			mutex_unlock(&trap->lock);

			if (next < I40E_VF_MDEV_BAR0_PAGES)
				chunk = min_t(u64, chunk,
					      ((u64)next << PAGE_SHIFT) - offset);
		}

		if (trapped) {
			ret = i40e_vf_mdev_trap_rw(idev, buf + done, offset,
						   chunk, iswrite);
		} else {
			loff_t fpos = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) +
				      offset;

			mutex_lock(&trap->lock);
			trap->stats.untrapped++;
			mutex_unlock(&trap->lock);
			if (iswrite)
				ret = vfio_pci_core_write(core_vdev, buf + done,
							  chunk, &fpos);
			else
				ret = vfio_pci_core_read(core_vdev, buf + done,
							 chunk, &fpos);
		}

		if (ret < 0) {
			if (!done)
				return ret;
			break;
		}
		done += ret;
		if (ret < chunk)
			break;
	}

	*ppos += done;
	return done;
}
