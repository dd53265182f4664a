// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the v1 migration region
 *
 * QEMU 5.2 to 7.2 (-device vfio-pci,...,x-enable-migration=on) migrate a
 * device through a device-specific region of type 3, subtype 1 (see
 * include/uapi/linux/i40e_vf_mdev.h).  The protocol is pure logic in
 * mig_v1_proto.c; this file registers the region with vfio-pci-core,
 * copies between the user and the protocol under the engine's state_mutex,
 * and drives the same engine as v2: a device_state write is a v2 state
 * change without a data_fd, the data section reads the save stream and
 * writes into the resume parser.
 *
 * The region is offered on every open.  QEMU 7.2 uses it only with
 * x-enable-migration=on, QEMU 8.0 and later ignore it, and anything else
 * that does not look for the type sees one more region it does not know.
 *
 * It is not mmap()able: the protocol acts on reads of the header fields,
 * a mapping of the header would bypass it, and a mapped data section
 * would need the stream in whole pages for little gain (streams are
 * small).  QEMU 7.2 then uses pread()/pwrite().
 */

#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "i40e_vf_mdev.h"

static int i40e_vf_mdev_mig_v1_set_state(void *priv,
					 enum vfio_device_mig_state target,
					 enum vfio_device_mig_state *now)
{
	struct i40e_vf_mdev_mig *mig = priv;
	int ret;

	ret = i40e_vf_mdev_mig_set_state_locked(mig, target, NULL);
	*now = mig->state;
	/* Sessions opened here are the v1 region's own */
	mig->v1_gen = mig->gen;
	return ret;
}

static const struct i40e_vf_mdev_v1_ops i40e_vf_mdev_mig_v1_ops = {
	.set_state = i40e_vf_mdev_mig_v1_set_state,
};

/**
 * i40e_vf_mdev_mig_v1_init() - set up the v1 region state of the engine
 * @mig: the engine
 */
void i40e_vf_mdev_mig_v1_init(struct i40e_vf_mdev_mig *mig)
{
	int ret;

	ret = i40e_vf_mdev_v1_init(&mig->v1, &i40e_vf_mdev_mig_v1_ops, mig,
				   &mig->save, &mig->load,
				   I40E_VF_MDEV_V1_DATA_OFFSET,
				   I40E_VF_MDEV_V1_DATA_SIZE);
	/* Constant, valid layout */
	WARN_ON(ret);
	mig->v1_gen = mig->gen;
}

/**
 * i40e_vf_mdev_mig_v1_sync() - follow state changes made through v2
 * @mig: the engine, state_mutex held
 *
 * If the engine changed state or started a session other than through
 * the region (v2, a reset), the region starts over from the engine's
 * current state with no chunk pending.
 */
void i40e_vf_mdev_mig_v1_sync(struct i40e_vf_mdev_mig *mig)
{
	lockdep_assert_held(&mig->state_mutex);

	if (mig->v1.state == mig->state && mig->v1_gen == mig->gen)
		return;
	i40e_vf_mdev_v1_reset(&mig->v1);
	mig->v1.state = mig->state;
	mig->v1_gen = mig->gen;
}

static ssize_t i40e_vf_mdev_mig_v1_rw(struct vfio_pci_core_device *vdev,
				      char __user *buf, size_t count,
				      loff_t *ppos, bool iswrite)
{
	struct i40e_vf_mdev_dev *idev =
		container_of(vdev, struct i40e_vf_mdev_dev, core_device);
	struct i40e_vf_mdev_mig *mig = idev->mig;
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u8 field[sizeof(u64)];
	ssize_t ret;
	void *win;

	if (!count)
		return 0;

	if (pos < I40E_VF_MDEV_V1_HDR_SIZE) {
		/* Header: at most 8 bytes, bounced outside the mutex */
		if (count > sizeof(field))
			return -EINVAL;
		if (iswrite && copy_from_user(field, buf, count))
			return -EFAULT;

		mutex_lock(&mig->state_mutex);
		i40e_vf_mdev_mig_v1_sync(mig);
		ret = i40e_vf_mdev_v1_rw(&mig->v1, field, count, pos, iswrite);
		if (mig->resuming)
			i40e_vf_mdev_mig_load_report(mig);
		i40e_vf_mdev_mig_unlock(mig);

		if (ret > 0 && !iswrite && copy_to_user(buf, field, count))
			ret = -EFAULT;
	} else {
		/* Data section: straight from the stream / into the parser */
		mutex_lock(&mig->state_mutex);
		i40e_vf_mdev_mig_v1_sync(mig);
		ret = i40e_vf_mdev_v1_window(&mig->v1, pos, count, iswrite,
					     &win);
		if (!ret) {
			if (iswrite)
				ret = copy_from_user(win, buf, count);
			else
				ret = copy_to_user(buf, win, count);
			ret = ret ? -EFAULT : count;
		}
		i40e_vf_mdev_mig_unlock(mig);
	}

	if (ret > 0)
		*ppos += ret;
	return ret;
}

/* The region's state lives in the engine, which outlives every open */
static void i40e_vf_mdev_mig_v1_release(struct vfio_pci_core_device *vdev,
					struct vfio_pci_region *region)
{
}

static const struct vfio_pci_regops i40e_vf_mdev_mig_v1_regops = {
	.rw = i40e_vf_mdev_mig_v1_rw,
	.release = i40e_vf_mdev_mig_v1_release,
};

/**
 * i40e_vf_mdev_mig_v1_register() - offer the v1 region to this open
 * @idev: the device, being opened
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_mig_v1_register(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	return vfio_pci_core_register_dev_region(&idev->core_device,
			I40E_VF_MDEV_REGION_TYPE_MIGRATION_V1,
			I40E_VF_MDEV_REGION_SUBTYPE_MIGRATION_V1,
			&i40e_vf_mdev_mig_v1_regops,
			i40e_vf_mdev_v1_region_size(&mig->v1),
			VFIO_REGION_INFO_FLAG_READ |
			VFIO_REGION_INFO_FLAG_WRITE, mig);
}
