// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the sparse mmap re-evaluation IRQ
 *
 * <linux/vfio_sparse_reeval.h> proposes the protocol; this file is its
 * device side: one IRQ index past vfio-pci's own
 * (%I40E_VF_MDEV_REEVAL_IRQ_INDEX) in VFIO_DEVICE_GET_INFO, _GET_IRQ_INFO
 * and _SET_IRQS, the registered user's eventfd, and the claims of dirty
 * tracking (dirty.c), which wait for the user to give back the Rx tail
 * page it was lent.  What is lent, and when, is bar_trap.c's.
 *
 * Only a device that can lend a page (a migratable one, on Linux 6.10 or
 * later: i40e_vf_mdev_trap_lendable()) offers the IRQ; for the others the
 * three ioctls are vfio-pci-core's alone, and claims are no-ops.
 *
 * Locks: &i40e_vf_mdev_reeval.lock is taken outside the trap's lock and
 * nowhere else; a claim waits holding neither (but maybe the migration
 * engine's state_mutex, which the user's munmap() does not need).
 */

#include <linux/eventfd.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <linux/vfio_sparse_reeval.h>
#include <linux/wait.h>

#include "i40e_vf_mdev.h"

/*
 * How long a claim waits for the user to unmap the page it was lent.  A
 * VMM's main loop answers within milliseconds; one that cannot answer
 * while it claims (it holds the lock its handler needs) re-evaluates and
 * retries after EAGAIN, so the bound is short: it is that VMM's stall.
 */
#define I40E_VF_MDEV_RECLAIM_MS		250

/**
 * i40e_vf_mdev_reeval_init() - set up the IRQ of a new device
 * @idev: the device
 */
void i40e_vf_mdev_reeval_init(struct i40e_vf_mdev_dev *idev)
{
	mutex_init(&idev->reeval.lock);
	idev->reeval.trigger = NULL;
	idev->reeval.signals = 0;
	idev->reeval.muted = false;
	idev->reeval.withheld = 0;
}

/**
 * i40e_vf_mdev_reeval_destroy() - release what i40e_vf_mdev_reeval_init()
 * set up
 * @idev: the device, closed
 */
void i40e_vf_mdev_reeval_destroy(struct i40e_vf_mdev_dev *idev)
{
	mutex_destroy(&idev->reeval.lock);
}

static void i40e_vf_mdev_reeval_signal_locked(struct i40e_vf_mdev_reeval *r)
{
	lockdep_assert_held(&r->lock);
	if (!r->trigger)
		return;
	if (r->muted) {
		r->withheld++;
		return;
	}
	eventfd_signal(r->trigger);
	r->signals++;
}

/* The sparse mmap areas changed: tell the user, if one is registered */
static void i40e_vf_mdev_reeval_signal(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_reeval *r = &idev->reeval;

	mutex_lock(&r->lock);
	i40e_vf_mdev_reeval_signal_locked(r);
	mutex_unlock(&r->lock);
}

/*
 * Register the eventfd @fd (signalled at once: the user may map more now),
 * or with -1 unregister.
 */
static int i40e_vf_mdev_reeval_register(struct i40e_vf_mdev_dev *idev, s32 fd)
{
	struct i40e_vf_mdev_reeval *r = &idev->reeval;
	struct eventfd_ctx *ctx = NULL, *old;

	if (fd >= 0) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	} else if (fd != -1) {
		return -EINVAL;
	}

	mutex_lock(&r->lock);
	old = r->trigger;
	r->trigger = ctx;
	i40e_vf_mdev_trap_set_consumer(idev, !!ctx);
	i40e_vf_mdev_reeval_signal_locked(r);
	mutex_unlock(&r->lock);

	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/**
 * i40e_vf_mdev_reeval_close() - the device is closing: unregister the user
 * @idev: the device, with no dirty tracking left (no claims)
 */
void i40e_vf_mdev_reeval_close(struct i40e_vf_mdev_dev *idev)
{
	if (i40e_vf_mdev_trap_lendable(idev))
		i40e_vf_mdev_reeval_register(idev, -1);
}

/**
 * i40e_vf_mdev_reeval_get_info() - VFIO_DEVICE_GET_INFO
 * @idev: the device
 * @cmd: the ioctl
 * @arg: the user's &struct vfio_device_info
 *
 * vfio-pci-core answers, capabilities included; a device that offers the
 * IRQ then has one more IRQ index.
 *
 * Return: 0 or a negative errno.
 */
long i40e_vf_mdev_reeval_get_info(struct i40e_vf_mdev_dev *idev,
				  unsigned int cmd, unsigned long arg)
{
	struct vfio_device_info __user *uinfo = (void __user *)arg;
	long ret;

	ret = vfio_pci_core_ioctl(&idev->core_device.vdev, cmd, arg);
	if (ret || !i40e_vf_mdev_trap_lendable(idev))
		return ret;
	/* vfio-pci-core checked that argsz covers num_irqs */
	if (put_user(I40E_VF_MDEV_REEVAL_IRQ_INDEX + 1, &uinfo->num_irqs))
		return -EFAULT;
	return 0;
}

/* The IRQ's capabilities: its type, and BAR0 as the region it covers */
static int i40e_vf_mdev_reeval_caps(struct vfio_info_cap *caps)
{
	struct vfio_irq_info_cap_type type = {
		.header.id = VFIO_IRQ_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_IRQ_TYPE_REGION,
		.subtype = VFIO_IRQ_SUBTYPE_REGION_SPARSE_MMAP,
	};
	struct vfio_irq_info_cap_regions *regions;
	size_t size = struct_size(regions, regions, 1);
	int ret;

	ret = vfio_info_add_capability(caps, &type.header, sizeof(type));
	if (ret)
		return ret;

	regions = kzalloc(size, GFP_KERNEL);
	if (!regions)
		return -ENOMEM;
	regions->header.id = VFIO_IRQ_INFO_CAP_REGIONS;
	regions->header.version = 1;
	regions->nr_regions = 1;
	regions->regions[0] = VFIO_PCI_BAR0_REGION_INDEX;
	ret = vfio_info_add_capability(caps, &regions->header, size);
	kfree(regions);
	return ret;
}

/**
 * i40e_vf_mdev_reeval_get_irq_info() - VFIO_DEVICE_GET_IRQ_INFO
 * @idev: the device
 * @cmd: the ioctl
 * @arg: the user's &struct vfio_irq_info or &struct vfio_irq_info_ext
 *
 * The IRQ's own info, with its capabilities as <linux/vfio_sparse_reeval.h>
 * says; vfio-pci-core answers for every other index.
 *
 * Return: 0 or a negative errno.
 */
long i40e_vf_mdev_reeval_get_irq_info(struct i40e_vf_mdev_dev *idev,
				      unsigned int cmd, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	void __user *uarg = (void __user *)arg;
	struct vfio_irq_info_ext info = { };
	u32 argsz;
	int ret;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	argsz = info.argsz;
	if (info.index != I40E_VF_MDEV_REEVAL_IRQ_INDEX ||
	    !i40e_vf_mdev_trap_lendable(idev))
		return vfio_pci_core_ioctl(&idev->core_device.vdev, cmd, arg);

	ret = i40e_vf_mdev_reeval_caps(&caps);
	if (ret)
		goto out;

	info.flags = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE |
		     VFIO_IRQ_INFO_FLAG_CAPS;
	info.count = 1;
	if (argsz < sizeof(info) + caps.size) {
		/* too small for the chain, or an old user: the size it needs */
		info.argsz = sizeof(info) + caps.size;
	} else {
		vfio_info_cap_shift(&caps, sizeof(info));
		if (copy_to_user(uarg + sizeof(info), caps.buf, caps.size)) {
			ret = -EFAULT;
			goto out;
		}
		info.cap_offset = sizeof(info);
	}
	if (copy_to_user(uarg, &info, min_t(size_t, argsz, sizeof(info))))
		ret = -EFAULT;
out:
	kfree(caps.buf);
	return ret;
}

/* VFIO_IRQ_SET_ACTION_TRIGGER with @data (@hdr checked) */
static int i40e_vf_mdev_reeval_trigger(struct i40e_vf_mdev_dev *idev,
				       const struct vfio_irq_set *hdr,
				       const void *data)
{
	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		if (!hdr->count)
			return i40e_vf_mdev_reeval_register(idev, -1);
		i40e_vf_mdev_reeval_signal(idev);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (*(const u8 *)data)
			i40e_vf_mdev_reeval_signal(idev);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		return i40e_vf_mdev_reeval_register(idev, *(const s32 *)data);
	}
	return -EINVAL;
}

/**
 * i40e_vf_mdev_reeval_set_irqs() - VFIO_DEVICE_SET_IRQS
 * @idev: the device
 * @cmd: the ioctl
 * @arg: the user's &struct vfio_irq_set
 *
 * Registers or unregisters the user's eventfd, or signals it, as
 * <linux/vfio_sparse_reeval.h> says; vfio-pci-core handles every other
 * index.  The IRQ cannot be masked.
 *
 * Return: 0 or a negative errno.
 */
long i40e_vf_mdev_reeval_set_irqs(struct i40e_vf_mdev_dev *idev,
				  unsigned int cmd, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_irq_set, count);
	void __user *uarg = (void __user *)arg;
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	void *data = NULL;
	int ret;

	if (copy_from_user(&hdr, uarg, minsz))
		return -EFAULT;
	if (hdr.index != I40E_VF_MDEV_REEVAL_IRQ_INDEX ||
	    !i40e_vf_mdev_trap_lendable(idev))
		return vfio_pci_core_ioctl(&idev->core_device.vdev, cmd, arg);

	ret = vfio_set_irqs_validate_and_prepare(&hdr, 1,
						 I40E_VF_MDEV_REEVAL_IRQ_INDEX + 1,
						 &data_size);
	if (ret)
		return ret;
	if ((hdr.flags & VFIO_IRQ_SET_ACTION_TYPE_MASK) !=
	    VFIO_IRQ_SET_ACTION_TRIGGER)
		return -EINVAL;
	/* count 0 unregisters, with DATA_NONE only */
	if (!hdr.count &&
	    (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != VFIO_IRQ_SET_DATA_NONE)
		return -EINVAL;

	if (data_size) {
		data = memdup_user(uarg + minsz, data_size);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}
	ret = i40e_vf_mdev_reeval_trigger(idev, &hdr, data);
	kfree(data);
	return ret;
}

/**
 * i40e_vf_mdev_reeval_claim() - dirty tracking needs the Rx tail page
 * @idev: the device
 *
 * Takes the page back if it was lent: it leaves the sparse mmap areas,
 * the user is signalled, and the claim waits up to
 * %I40E_VF_MDEV_RECLAIM_MS for the user's mappings of it to go.  Each
 * successful claim is balanced by i40e_vf_mdev_reeval_unclaim().  A
 * no-op (success) on a device that lends nothing.
 *
 * Return: 0; -EAGAIN if a mapping stayed (the page stays out of the
 * areas, for the user's retry), -ERESTARTSYS if a signal came first.
 * Either way nothing is claimed.
 */
int i40e_vf_mdev_reeval_claim(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	long left;

	if (!i40e_vf_mdev_trap_lendable(idev))
		return 0;
	/* a user that missed an earlier signal still maps a held page */
	if (i40e_vf_mdev_trap_claim(idev) || i40e_vf_mdev_trap_lent_vmas(idev))
		i40e_vf_mdev_reeval_signal(idev);

	left = wait_event_interruptible_timeout(trap->vma_wq,
						!i40e_vf_mdev_trap_lent_vmas(idev),
						msecs_to_jiffies(I40E_VF_MDEV_RECLAIM_MS));
	if (left > 0) {
		i40e_vf_mdev_trap_claimed(idev, true);
		return 0;
	}
	i40e_vf_mdev_trap_claimed(idev, false);
	if (left < 0)
		return left;
	dev_warn_ratelimited(&idev->core_device.pdev->dev,
			     "dirty tracking not started: the user still maps the Rx tail page of BAR0 %u ms after it was asked to re-evaluate the sparse mmap areas (Documentation/reeval.rst)\n",
			     I40E_VF_MDEV_RECLAIM_MS);
	return -EAGAIN;
}

/**
 * i40e_vf_mdev_reeval_unclaim() - dirty tracking no longer needs the page
 * @idev: the device
 *
 * Balances a successful i40e_vf_mdev_reeval_claim(): with no claim left,
 * the page is lent to the registered user again, which is signalled.
 */
void i40e_vf_mdev_reeval_unclaim(struct i40e_vf_mdev_dev *idev)
{
	if (!i40e_vf_mdev_trap_lendable(idev))
		return;
	if (i40e_vf_mdev_trap_unclaim(idev))
		i40e_vf_mdev_reeval_signal(idev);
}

/**
 * i40e_vf_mdev_reeval_mute() - withhold the user's signals, or not
 * @idev: the device
 * @mute: whether to
 *
 * Fault injection for tests (debugfs "reeval_mute"): a muted device does
 * not signal its user, which then behaves as a user that ignores the
 * signals; claims of a lent page fail with -EAGAIN past their bound.
 */
void i40e_vf_mdev_reeval_mute(struct i40e_vf_mdev_dev *idev, bool mute)
{
	struct i40e_vf_mdev_reeval *r = &idev->reeval;

	mutex_lock(&r->lock);
	r->muted = mute;
	mutex_unlock(&r->lock);
}

/**
 * i40e_vf_mdev_reeval_muted() - whether i40e_vf_mdev_reeval_mute() muted it
 * @idev: the device
 *
 * Return: true if the user's signals are withheld.
 */
bool i40e_vf_mdev_reeval_muted(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_reeval *r = &idev->reeval;
	bool muted;

	mutex_lock(&r->lock);
	muted = r->muted;
	mutex_unlock(&r->lock);
	return muted;
}

/**
 * i40e_vf_mdev_reeval_stats() - the lending state and counters
 * @idev: the device
 * @st: where to copy them
 *
 * Return: false if the device offers no re-evaluation IRQ (@st untouched).
 */
bool i40e_vf_mdev_reeval_stats(struct i40e_vf_mdev_dev *idev,
			       struct i40e_vf_mdev_lend_stats *st)
{
	struct i40e_vf_mdev_reeval *r = &idev->reeval;

	if (!i40e_vf_mdev_trap_lendable(idev))
		return false;
	i40e_vf_mdev_trap_lend_stats(idev, st);
	mutex_lock(&r->lock);
	st->signals = r->signals;
	st->withheld = r->withheld;
	mutex_unlock(&r->lock);
	return true;
}
