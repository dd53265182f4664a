// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the v1 migration region
 *
 * QEMU 5.2 to 7.2 (-device vfio-pci,...,x-enable-migration=on) migrate a
 * device through a region of type VFIO_REGION_TYPE_MIGRATION_DEPRECATED
 * (<linux/vfio.h>).  The protocol is pure logic in
 * mig_v1_proto.c; this file registers the region with vfio-pci-core,
 * bounces the user's bytes through kernel memory, and drives the same
 * engine as v2: a device_state write is a v2 state change without a
 * data_fd, the data section reads the save stream and writes into the
 * resume parser.  This file calls the engine; the engine never calls it,
 * so after anything done through v2 or a reset (the engine's generation
 * moved) the region starts over from the engine's state.
 *
 * No user copy is made with a lock held: accesses are copied into or out
 * of a bounce buffer (at most the data section's size) outside the
 * engine's state_mutex and the session's lock.
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

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "mig_v1.h"
#include "mig_v1_proto.h"

/**
 * struct i40e_vf_mdev_mig_v1 - the v1 region of one device
 * @mig: the engine
 * @proto: the protocol state; protected by @mig->state_mutex
 * @gen: @mig->gen when @proto last saw the engine
 * @no_save: an empty writer, for @proto while there is no save session
 * @no_load: a failed parser, for @proto while there is no resume session
 */
struct i40e_vf_mdev_mig_v1 {
	struct i40e_vf_mdev_mig *mig;
	struct i40e_vf_mdev_v1 proto;
	u32 gen;
	struct i40e_vf_mdev_writer no_save;
	struct i40e_vf_mdev_parser no_load;
};

/* Point the protocol at the engine's current sessions */
static void i40e_vf_mdev_mig_v1_sessions(struct i40e_vf_mdev_mig_v1 *v1)
{
	struct i40e_vf_mdev_mig *mig = v1->mig;

	v1->proto.save = mig->save_sess ? &mig->save_sess->save : &v1->no_save;
	v1->proto.load = mig->resume_sess ? &mig->resume_sess->load :
					    &v1->no_load;
}

/*
 * Follow what the engine did other than through the region (v2, a reset):
 * the region starts over from the engine's state with no chunk pending.
 */
static void i40e_vf_mdev_mig_v1_sync(struct i40e_vf_mdev_mig_v1 *v1)
{
	struct i40e_vf_mdev_mig *mig = v1->mig;

	lockdep_assert_held(&mig->state_mutex);
	i40e_vf_mdev_mig_v1_sessions(v1);
	if (v1->proto.state == mig->state && v1->gen == mig->gen)
		return;
	i40e_vf_mdev_v1_reset(&v1->proto);
	v1->proto.state = mig->state;
	v1->gen = mig->gen;
}

static int i40e_vf_mdev_mig_v1_set_state(void *priv,
					 enum vfio_device_mig_state target,
					 enum vfio_device_mig_state *now)
{
	struct i40e_vf_mdev_mig_v1 *v1 = priv;
	struct i40e_vf_mdev_mig *mig = v1->mig;
	int ret;

	ret = i40e_vf_mdev_mig_set_state_locked(mig, target, NULL);
	*now = mig->state;
	/* Sessions opened here are the region's own */
	v1->gen = mig->gen;
	i40e_vf_mdev_mig_v1_sessions(v1);
	return ret;
}

static const struct i40e_vf_mdev_v1_ops i40e_vf_mdev_mig_v1_ops = {
	.set_state = i40e_vf_mdev_mig_v1_set_state,
};

/* One access to kernel memory, state_mutex held */
static ssize_t i40e_vf_mdev_mig_v1_access(struct i40e_vf_mdev_mig_v1 *v1,
					  void *buf, size_t count, u64 pos,
					  bool iswrite)
{
	struct i40e_vf_mdev_mig *mig = v1->mig;
	struct i40e_vf_mdev_mig_session *sess;
	ssize_t ret;

	i40e_vf_mdev_mig_v1_sync(v1);
	/* device_state writes run arcs, which take the session's lock */
	if (pos < I40E_VF_MDEV_V1_OFF_PENDING_BYTES)
		return i40e_vf_mdev_v1_rw(&v1->proto, buf, count, pos,
					  iswrite);

	sess = mig->save_sess ?: mig->resume_sess;
	if (!sess)
		return i40e_vf_mdev_v1_rw(&v1->proto, buf, count, pos,
					  iswrite);
	mutex_lock(&sess->lock);
	if (sess->resume && iswrite && i40e_vf_mdev_mig_resume_lost(mig)) {
		/* As the v2 data_fd: refused while the source has the VM */
		ret = -EIO;
	} else {
		ret = i40e_vf_mdev_v1_rw(&v1->proto, buf, count, pos, iswrite);
		if (sess->resume)
			i40e_vf_mdev_mig_load_report(sess);
	}
	mutex_unlock(&sess->lock);
	return ret;
}

static ssize_t i40e_vf_mdev_mig_v1_rw(struct vfio_pci_core_device *vdev,
				      char __user *buf, size_t count,
				      loff_t *ppos, bool iswrite)
{
	struct i40e_vf_mdev_dev *idev =
		container_of(vdev, struct i40e_vf_mdev_dev, core_device);
	struct i40e_vf_mdev_mig *mig = idev->mig;
	struct i40e_vf_mdev_mig_v1 *v1 = mig->v1;
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	ssize_t ret;
	void *bounce;

	if (!count)
		return 0;
	/* Header fields are at most 8 bytes, the data section is bounded */
	if (count > (pos < I40E_VF_MDEV_V1_HDR_SIZE ? sizeof(u64) :
		     v1->proto.data_size)) {
		dev_dbg(i40e_vf_mdev_mig_dev(mig),
			"v1 region: %zu bytes at %#llx refused\n", count, pos);
		return -EINVAL;
	}

	bounce = kvzalloc(count, GFP_KERNEL_ACCOUNT);
	if (!bounce)
		return -ENOMEM;
	if (iswrite && copy_from_user(bounce, buf, count)) {
		ret = -EFAULT;
		goto out;
	}

	mutex_lock(&mig->state_mutex);
	ret = i40e_vf_mdev_mig_v1_access(v1, bounce, count, pos, iswrite);
	i40e_vf_mdev_mig_unlock(mig);

	if (ret > 0 && !iswrite && copy_to_user(buf, bounce, ret))
		ret = -EFAULT;
	if (ret < 0)
		dev_dbg(i40e_vf_mdev_mig_dev(mig),
			"v1 region: %s of %zu bytes at %#llx: %zd\n",
			iswrite ? "write" : "read", count, pos, ret);
out:
	kvfree(bounce);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/* The region's state lives beside the engine, which outlives every open */
static void i40e_vf_mdev_mig_v1_region_release(struct vfio_pci_core_device *vdev,
					       struct vfio_pci_region *region)
{
}

static const struct vfio_pci_regops i40e_vf_mdev_mig_v1_regops = {
	.rw = i40e_vf_mdev_mig_v1_rw,
	.release = i40e_vf_mdev_mig_v1_region_release,
};

/**
 * i40e_vf_mdev_mig_v1_init() - set up the v1 region of an engine
 * @mig: the engine
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_v1_init(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_mig_v1 *v1;
	int ret;

	v1 = kzalloc(sizeof(*v1), GFP_KERNEL);
	if (!v1)
		return -ENOMEM;
	v1->mig = mig;
	i40e_vf_mdev_writer_init(&v1->no_save, NULL, 0, 0, NULL, NULL);
	i40e_vf_mdev_parser_init(&v1->no_load, NULL, 0, &mig->ident);
	ret = i40e_vf_mdev_v1_init(&v1->proto, &i40e_vf_mdev_mig_v1_ops, v1,
				   &v1->no_save, &v1->no_load,
				   I40E_VF_MDEV_V1_DATA_OFFSET,
				   I40E_VF_MDEV_V1_DATA_SIZE);
	/* Constant, valid layout */
	if (WARN_ON(ret)) {
		kfree(v1);
		return ret;
	}
	v1->gen = mig->gen;
	mig->v1 = v1;
	return 0;
}

/**
 * i40e_vf_mdev_mig_v1_release() - free what i40e_vf_mdev_mig_v1_init() made
 * @mig: the engine
 */
void i40e_vf_mdev_mig_v1_release(struct i40e_vf_mdev_mig *mig)
{
	kfree(mig->v1);
	mig->v1 = NULL;
}

/**
 * i40e_vf_mdev_mig_v1_device_state() - device_state as the region reads it
 * @mig: the engine, state_mutex held
 *
 * Return: I40E_VF_MDEV_V1_STATE_* bits.
 */
u32 i40e_vf_mdev_mig_v1_device_state(struct i40e_vf_mdev_mig *mig)
{
	i40e_vf_mdev_mig_v1_sync(mig->v1);
	return i40e_vf_mdev_v1_device_state(&mig->v1->proto);
}

/**
 * i40e_vf_mdev_mig_v1_register() - offer the v1 region to this open
 * @idev: the device, being opened
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_mig_v1_register(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig_v1 *v1 = idev->mig->v1;

	return vfio_pci_core_register_dev_region(&idev->core_device,
			VFIO_REGION_TYPE_MIGRATION_DEPRECATED,
			VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED,
			&i40e_vf_mdev_mig_v1_regops,
			i40e_vf_mdev_v1_region_size(&v1->proto),
			VFIO_REGION_INFO_FLAG_READ |
			VFIO_REGION_INFO_FLAG_WRITE, v1);
}
