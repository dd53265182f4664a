// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: migration engine
 *
 * One engine, two front ends: the v2 uAPI (vfio_migration_ops, this file)
 * and the v1 migration region (mig_v1.c, which calls the engine).  The
 * state machine is in mig_arcs.c, the sessions in mig_session.c, their
 * data_fds in mig_file.c; mig_engine.h says which lock protects what.
 *
 * A device reset is recorded under reset_lock and applied by whoever holds
 * state_mutex when it unlocks, so that the reset path never waits for
 * state_mutex (the deferred reset of mlx5 and mtty).  A reset, like the
 * device's close, ends every session and undoes what the PF did for
 * migration (pf_iface.h: a VF reset does not).
 */

#include <linux/slab.h>

#include "mig_engine.h"
#include "pf_iface.h"

#define CREATE_TRACE_POINTS
#include "i40e_vf_mdev_trace.h"

/**
 * i40e_vf_mdev_mig_dev() - the device to log migration messages for
 * @mig: the engine
 *
 * Return: the mdev's device.
 */
struct device *i40e_vf_mdev_mig_dev(struct i40e_vf_mdev_mig *mig)
{
	return mdev_dev(mig->idev->mdev);
}

/**
 * i40e_vf_mdev_mig_stats() - a consistent copy of the counters
 * @mig: the engine
 * @st: where to copy them
 */
void i40e_vf_mdev_mig_stats(struct i40e_vf_mdev_mig *mig,
			    struct i40e_vf_mdev_mig_stats *st)
{
	spin_lock(&mig->stats_lock);
	*st = mig->stats;
	spin_unlock(&mig->stats_lock);
}

/*
 * Back to RUNNING with no session: the device was reset, opened or closed.
 * The PF's quiesce and freeze survive a VF reset (pf_iface.h), so they are
 * undone here; if that fails the engine is in ERROR, and the next open or
 * reset tries again.
 */
static void i40e_vf_mdev_mig_reset_locked(struct i40e_vf_mdev_mig *mig,
					  const char *why)
{
	struct device *dev = i40e_vf_mdev_mig_dev(mig);
	enum vfio_device_mig_state next;
	bool stuck = false;
	int ret;

	lockdep_assert_held(&mig->state_mutex);
	i40e_vf_mdev_mig_save_close(mig);
	i40e_vf_mdev_mig_resume_close(mig);

	if (mig->frozen) {
		ret = i40e_vf_mdev_devstate_freeze(mig->idev, false);
		if (ret) {
			dev_warn_ratelimited(dev, "%s: cannot thaw the VF: %d\n",
					     why, ret);
			stuck = true;
		} else {
			mig->frozen = false;
		}
	}
	if (mig->quiesced) {
		ret = i40e_vf_mdev_devstate_quiesce(mig->idev, false);
		if (ret) {
			dev_warn_ratelimited(dev, "%s: cannot restart the VF's queues: %d\n",
					     why, ret);
			stuck = true;
		} else {
			mig->quiesced = false;
		}
	}

	next = stuck ? VFIO_DEVICE_STATE_ERROR : VFIO_DEVICE_STATE_RUNNING;
	if (mig->state != next)
		trace_i40e_vf_mdev_mig_arc(dev, mig->state, next,
					   stuck ? -EIO : 0);
	mig->state = next;
	/* The front ends start over */
	mig->gen++;
}

/**
 * i40e_vf_mdev_mig_unlock() - release state_mutex
 * @mig: the engine
 *
 * Applies a device reset that happened while the mutex was held.
 */
void i40e_vf_mdev_mig_unlock(struct i40e_vf_mdev_mig *mig)
{
again:
	spin_lock(&mig->reset_lock);
	if (mig->deferred_reset) {
		mig->deferred_reset = false;
		spin_unlock(&mig->reset_lock);
		i40e_vf_mdev_mig_reset_locked(mig, "device reset");
		spin_lock(&mig->stats_lock);
		mig->stats.resets++;
		spin_unlock(&mig->stats_lock);
		goto again;
	}
	mutex_unlock(&mig->state_mutex);
	spin_unlock(&mig->reset_lock);
}

/**
 * i40e_vf_mdev_mig_reset_done() - the device has been reset
 * @idev: the device
 *
 * From the PCI reset_done handler, for any reset of the open VF (the
 * device fd's VFIO_DEVICE_RESET or one it does not see, e.g. sysfs
 * "reset"): migration starts over in RUNNING and every session ends.
 * Never waits for state_mutex: if someone holds it, they apply the reset
 * on unlock.
 */
void i40e_vf_mdev_mig_reset_done(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	if (!mig)
		return;		/* no migration offered */
	spin_lock(&mig->reset_lock);
	mig->deferred_reset = true;
	if (!mutex_trylock(&mig->state_mutex)) {
		spin_unlock(&mig->reset_lock);
		return;
	}
	spin_unlock(&mig->reset_lock);
	i40e_vf_mdev_mig_unlock(mig);
}

/* vfio_migration_ops */

static struct file *
i40e_vf_mdev_mig_set_state(struct vfio_device *vdev,
			   enum vfio_device_mig_state new_state)
{
	struct i40e_vf_mdev_mig *mig = to_i40e_vf_mdev_dev(vdev)->mig;
	struct file *filp = NULL;
	int ret;

	mutex_lock(&mig->state_mutex);
	ret = i40e_vf_mdev_mig_set_state_locked(mig, new_state, &filp);
	i40e_vf_mdev_mig_unlock(mig);
	return ret ? ERR_PTR(ret) : filp;
}

static int i40e_vf_mdev_mig_get_state(struct vfio_device *vdev,
				      enum vfio_device_mig_state *state)
{
	struct i40e_vf_mdev_mig *mig = to_i40e_vf_mdev_dev(vdev)->mig;

	mutex_lock(&mig->state_mutex);
	*state = mig->state;
	i40e_vf_mdev_mig_unlock(mig);
	return 0;
}

static int i40e_vf_mdev_mig_get_data_size(struct vfio_device *vdev,
					  unsigned long *stop_copy_length)
{
	*stop_copy_length =
		i40e_vf_mdev_devstate_size(to_i40e_vf_mdev_dev(vdev));
	return 0;
}

static const struct vfio_migration_ops i40e_vf_mdev_mig_ops = {
	.migration_set_state = i40e_vf_mdev_mig_set_state,
	.migration_get_state = i40e_vf_mdev_mig_get_state,
	.migration_get_data_size = i40e_vf_mdev_mig_get_data_size,
};

/**
 * i40e_vf_mdev_mig_engine_init() - set up the engine of a new vfio device
 * @idev: the device, vfio-pci-core initialised
 *
 * Makes the device migratable through v2: STOP_COPY, P2P and PRE_COPY.
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_engine_init(struct i40e_vf_mdev_dev *idev)
{
	struct vfio_device *vdev = &idev->core_device.vdev;
	struct i40e_vf_mdev_mig *mig;

	mig = kzalloc(sizeof(*mig), GFP_KERNEL);
	if (!mig)
		return -ENOMEM;
	mig->idev = idev;
	mutex_init(&mig->state_mutex);
	spin_lock_init(&mig->reset_lock);
	spin_lock_init(&mig->stats_lock);
	mig->state = VFIO_DEVICE_STATE_RUNNING;

	i40e_vf_mdev_devstate_ident(idev, &mig->ident);

	idev->mig = mig;
	vdev->migration_flags = I40E_VF_MDEV_MIG_FLAGS;
	vdev->mig_ops = &i40e_vf_mdev_mig_ops;
	return 0;
}

/**
 * i40e_vf_mdev_mig_engine_release() - free the engine
 * @idev: the device, closed: no session is left (data_fds still open
 *	hold only their own session)
 */
void i40e_vf_mdev_mig_engine_release(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	if (!mig)
		return;
	mutex_lock(&mig->state_mutex);
	WARN_ON(mig->save_sess || mig->resume_sess);
	i40e_vf_mdev_mig_save_close(mig);
	i40e_vf_mdev_mig_resume_close(mig);
	mutex_unlock(&mig->state_mutex);
	if (idev->pf)
		i40e_vf_mdev_pf_put(idev->pf);
	idev->pf = NULL;
	mutex_destroy(&mig->state_mutex);
	kfree(mig);
	idev->mig = NULL;
}

/**
 * i40e_vf_mdev_mig_engine_open() - the user opened the device
 * @mig: the engine
 *
 * Starts in RUNNING, or ERROR if what an earlier user left at the PF
 * still cannot be undone.
 */
void i40e_vf_mdev_mig_engine_open(struct i40e_vf_mdev_mig *mig)
{
	mutex_lock(&mig->state_mutex);
	i40e_vf_mdev_mig_reset_locked(mig, "open");
	i40e_vf_mdev_mig_unlock(mig);
}

/**
 * i40e_vf_mdev_mig_close() - the user is closing the device
 * @idev: the device, still enabled
 *
 * Ends every session (data_fds fail with ENODEV from now on, blocked
 * pollers are woken) before vfio-pci-core disables the VF.  A quiesced VF
 * stays quiesced: its queues must not run again between the user's last
 * mapping and the reset that follows, so the PF lets go of it only after
 * that reset, in i40e_vf_mdev_mig_closed().
 */
void i40e_vf_mdev_mig_close(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	if (!mig)
		return;		/* no migration offered */
	mutex_lock(&mig->state_mutex);
	i40e_vf_mdev_mig_save_close(mig);
	i40e_vf_mdev_mig_resume_close(mig);
	i40e_vf_mdev_mig_unlock(mig);
}

/**
 * i40e_vf_mdev_mig_closed() - vfio-pci-core has disabled and reset the VF
 * @idev: the device
 *
 * Thaws the VF and ends its quiesce at the PF.  The reset left its queues
 * stopped and unconfigured, so none restarts (pf_iface.h); only a VF that
 * vfio-pci-core could not reset gets its queues back, as a closed VF that
 * was never quiesced keeps them, with bus mastering off.  If the PF cannot
 * let go, that is logged and the engine stays in ERROR until the next
 * open.
 */
void i40e_vf_mdev_mig_closed(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	if (!mig)
		return;		/* no migration offered */
	mutex_lock(&mig->state_mutex);
	i40e_vf_mdev_mig_reset_locked(mig, "close");
	i40e_vf_mdev_mig_unlock(mig);
}
