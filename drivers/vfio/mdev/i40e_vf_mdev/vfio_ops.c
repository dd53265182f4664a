// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: vfio device operations
 *
 * vfio-pci-core does the work; this file overrides only what the driver
 * mediates: the identity (match), BAR0 (region info, read/write, mmap; see
 * bar_trap.c), the sparse mmap re-evaluation IRQ (device, IRQ info and
 * SET_IRQS; see reeval.c) and the ioctls that would bypass the BAR0 trap.
 */

#include <linux/device.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "dirty.h"
#include "i40e_vf_mdev.h"

static int i40e_vf_mdev_init_dev(struct vfio_device *core_vdev)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);
	int ret;

	ret = vfio_pci_core_init_dev(core_vdev);
	if (ret)
		return ret;

	i40e_vf_mdev_trap_init(idev);
	i40e_vf_mdev_reeval_init(idev);

	/*
	 * Migration: sets core_vdev->mig_ops, ->log_ops and
	 * ->migration_flags, which must be set before registration.
	 */
	ret = i40e_vf_mdev_mig_init(idev);
	if (ret) {
		i40e_vf_mdev_reeval_destroy(idev);
		i40e_vf_mdev_trap_destroy(idev);
		vfio_pci_core_release_dev(core_vdev);
	}
	return ret;
}

static void i40e_vf_mdev_release_dev(struct vfio_device *core_vdev)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);

	i40e_vf_mdev_mig_release(idev);
	i40e_vf_mdev_reeval_destroy(idev);
	i40e_vf_mdev_trap_destroy(idev);
	vfio_pci_core_release_dev(core_vdev);
}

static int i40e_vf_mdev_open_device(struct vfio_device *core_vdev)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);
	struct vfio_pci_core_device *vdev = &idev->core_device;
	int ret;

	/* Only through an mdev (mdev.c) */
	ret = i40e_vf_mdev_open_begin(idev);
	if (ret)
		return ret;

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		goto err_end;

	/*
	 * Map BAR0 now, once, so that the trap and vfio-pci-core's own
	 * read/write path share vdev->barmap[0] without racing to set it up.
	 * vfio_pci_core_disable() unmaps it.
	 */
	ret = vfio_pci_core_setup_barmap(vdev, VFIO_PCI_BAR0_REGION_INDEX);
	if (ret)
		goto err_disable;

	i40e_vf_mdev_trap_reset(idev);

	/* Migration: RUNNING, and the v1 region */
	ret = i40e_vf_mdev_mig_open(idev);
	if (ret)
		goto err_disable;

	vfio_pci_core_finish_enable(vdev);
	i40e_vf_mdev_set_open(idev, true);
	return 0;

err_disable:
	vfio_pci_core_disable(vdev);
err_end:
	i40e_vf_mdev_open_end(idev);
	return ret;
}

static void i40e_vf_mdev_close_device(struct vfio_device *core_vdev)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);

	/* Resets from here on are the close's own */
	i40e_vf_mdev_set_open(idev, false);
	/* Migration: end any data transfer and DMA logging first */
	i40e_vf_mdev_mig_close(idev);
	i40e_vf_mdev_dirty_close(idev);
	/* ... which claimed nothing more: the re-evaluation IRQ goes */
	i40e_vf_mdev_reeval_close(idev);
	vfio_pci_core_close_device(core_vdev);
	/* ... and let the PF go of the VF only once it has been reset */
	i40e_vf_mdev_mig_closed(idev);
	i40e_vf_mdev_trap_reset(idev);
	/* A removal of the mdev that waits for the close goes on */
	i40e_vf_mdev_open_end(idev);
}

static long i40e_vf_mdev_get_region_info(struct i40e_vf_mdev_dev *idev,
					 unsigned int cmd, unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	void __user *uarg = (void __user *)arg;
	struct vfio_region_info info;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	if (info.index == VFIO_PCI_BAR0_REGION_INDEX)
		return i40e_vf_mdev_bar0_get_region_info(idev, &info, uarg);

	return vfio_pci_core_ioctl(&idev->core_device.vdev, cmd, arg);
}

static long i40e_vf_mdev_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
			       unsigned long arg)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_REGION_INFO:
		return i40e_vf_mdev_get_region_info(idev, cmd, arg);
	/* The sparse mmap re-evaluation IRQ (reeval.c) */
	case VFIO_DEVICE_GET_INFO:
		return i40e_vf_mdev_reeval_get_info(idev, cmd, arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return i40e_vf_mdev_reeval_get_irq_info(idev, cmd, arg);
	case VFIO_DEVICE_SET_IRQS:
		return i40e_vf_mdev_reeval_set_irqs(idev, cmd, arg);
	case VFIO_DEVICE_IOEVENTFD:
		/*
		 * An ioeventfd writes BAR registers from the kernel directly,
		 * behind the trap.  vfio-pci-core rereads the argument from
		 * user memory, so filtering by offset here would be racy;
		 * refuse it altogether.  QEMU uses it only for GPU quirks and
		 * falls back to ordinary writes.
		 */
		return -ENOTTY;
	default:
		return vfio_pci_core_ioctl(core_vdev, cmd, arg);
	}
}

static ssize_t i40e_vf_mdev_read(struct vfio_device *core_vdev,
				 char __user *buf, size_t count, loff_t *ppos)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);

	if (VFIO_PCI_OFFSET_TO_INDEX(*ppos) == VFIO_PCI_BAR0_REGION_INDEX)
		return i40e_vf_mdev_bar0_rw(idev, buf, count, ppos, false);

	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

static ssize_t i40e_vf_mdev_write(struct vfio_device *core_vdev,
				  const char __user *buf, size_t count,
				  loff_t *ppos)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(core_vdev);

	if (VFIO_PCI_OFFSET_TO_INDEX(*ppos) == VFIO_PCI_BAR0_REGION_INDEX)
		return i40e_vf_mdev_bar0_rw(idev, (char __user *)buf, count,
					    ppos, true);

	return vfio_pci_core_write(core_vdev, buf, count, ppos);
}

static int i40e_vf_mdev_mmap(struct vfio_device *core_vdev,
			     struct vm_area_struct *vma)
{
	unsigned int index = vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	if (index != VFIO_PCI_BAR0_REGION_INDEX)
		return vfio_pci_core_mmap(core_vdev, vma);

	return i40e_vf_mdev_bar0_mmap(to_i40e_vf_mdev_dev(core_vdev), vma);
}

/*
 * A type1 user unmaps an IOVA range: dirty tracking unpins what it pinned
 * there (dirty_pin.c).  Having the op lets the device pin at all.
 */
static void i40e_vf_mdev_dma_unmap(struct vfio_device *core_vdev, u64 iova,
				   u64 length)
{
	i40e_vf_mdev_dirty_unmap(to_i40e_vf_mdev_dev(core_vdev), iova, length);
}

/*
 * The vfio device is registered on the VF, so vfio would otherwise match
 * the VF's PCI name and let VFIO_GROUP_GET_DEVICE_FD open it around the
 * mdev.  Only the UUID of an attached mdev matches; with none, nothing.
 */
static int i40e_vf_mdev_match(struct vfio_device *core_vdev, char *buf)
{
	return i40e_vf_mdev_match_name(to_i40e_vf_mdev_dev(core_vdev), buf);
}

const struct vfio_device_ops i40e_vf_mdev_vfio_ops = {
	.name = "i40e-vf-mdev",
	.init = i40e_vf_mdev_init_dev,
	.release = i40e_vf_mdev_release_dev,
	.open_device = i40e_vf_mdev_open_device,
	.close_device = i40e_vf_mdev_close_device,
	.ioctl = i40e_vf_mdev_ioctl,
	.device_feature = vfio_pci_core_ioctl_feature,
	.read = i40e_vf_mdev_read,
	.write = i40e_vf_mdev_write,
	.mmap = i40e_vf_mdev_mmap,
	.request = vfio_pci_core_request,
	.match = i40e_vf_mdev_match,
	.dma_unmap = i40e_vf_mdev_dma_unmap,
	.bind_iommufd = vfio_iommufd_physical_bind,
	.unbind_iommufd = vfio_iommufd_physical_unbind,
	.attach_ioas = vfio_iommufd_physical_attach_ioas,
	.detach_ioas = vfio_iommufd_physical_detach_ioas,
};
