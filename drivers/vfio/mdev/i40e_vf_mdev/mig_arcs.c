// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the migration state machine
 *
 * The device supports STOP_COPY, P2P and PRE_COPY, so it implements the
 * fifteen arcs vfio_mig_get_next_state() requires for that set, each a
 * case of i40e_vf_mdev_mig_step() below.  What the device does:
 *
 *  - quiesce (RUNNING -> RUNNING_P2P, PRE_COPY -> PRE_COPY_P2P): the PF
 *    stops the VF's queues, i.e. its DMA; the reverse arcs restart them;
 *  - freeze (RUNNING_P2P -> STOP, PRE_COPY_P2P -> STOP_COPY): the PF stops
 *    the VF's mailbox and interrupts, so its state is fixed; STOP ->
 *    RUNNING_P2P thaws it;
 *  - a save session opens on entering PRE_COPY, PRE_COPY_P2P or STOP_COPY
 *    from outside that group, gets the device state on entering STOP_COPY,
 *    and ends on leaving the group;
 *  - a resume session opens on STOP -> RESUMING and is applied and ends on
 *    RESUMING -> STOP.
 *
 * Every arc that fails leaves a defined state: the one it started from
 * (what it did is undone in place), or ERROR if that undo failed.
 */

#include <linux/file.h>

#include "dirty.h"
#include "mig_engine.h"
#include "i40e_vf_mdev_trace.h"

static int i40e_vf_mdev_mig_quiesce(struct i40e_vf_mdev_mig *mig, bool on)
{
	int ret = i40e_vf_mdev_devstate_quiesce(mig->idev, on);

	if (ret)
		return ret;
	mig->quiesced = on;
	if (on && i40e_vf_mdev_devstate_reset_gen(mig->idev, &mig->pf_reset_gen)) {
		/* cannot tell a reset later: do not go on */
		if (!i40e_vf_mdev_devstate_quiesce(mig->idev, false))
			mig->quiesced = false;
		return -EIO;
	}
	return 0;
}

/*
 * A VF reset while its DMA is stopped (by the PF, its administrator, an
 * FLR) lost what the PF recorded of it: the migration cannot go on, in
 * either direction.
 */
static bool i40e_vf_mdev_mig_pf_lost(struct i40e_vf_mdev_mig *mig)
{
	u32 gen;

	if (!mig->quiesced)
		return false;
	return i40e_vf_mdev_devstate_reset_gen(mig->idev, &gen) ||
	       gen != mig->pf_reset_gen;
}

static int i40e_vf_mdev_mig_freeze(struct i40e_vf_mdev_mig *mig, bool on)
{
	int ret = i40e_vf_mdev_devstate_freeze(mig->idev, on);

	if (!ret)
		mig->frozen = on;
	return ret;
}

/*
 * The data_fd of the session the arc opened, if the caller wants one (v2);
 * if it cannot be created the session is closed again.
 */
static int i40e_vf_mdev_mig_new_fd(struct i40e_vf_mdev_mig *mig,
				   struct i40e_vf_mdev_mig_session *sess,
				   struct file **filp)
{
	struct file *f;

	if (!filp)
		return 0;
	f = i40e_vf_mdev_mig_file_new(sess);
	if (IS_ERR(f))
		return PTR_ERR(f);
	*filp = f;
	return 0;
}

/* Open a save session and, for v2, its data_fd; nothing left on failure */
static int i40e_vf_mdev_mig_save_start(struct i40e_vf_mdev_mig *mig,
				       struct file **filp)
{
	int ret;

	ret = i40e_vf_mdev_mig_save_open(mig);
	if (ret)
		return ret;
	/*
	 * From PRE_COPY on, a type1 user learns of DMA from pinned pages,
	 * which needs the Rx tail page back if the user was lent it, until
	 * the save ends (i40e_vf_mdev_dirty_save_end()).
	 */
	ret = i40e_vf_mdev_dirty_save_begin(mig->idev);
	if (!ret)
		ret = i40e_vf_mdev_mig_new_fd(mig, mig->save_sess, filp);
	if (ret)
		i40e_vf_mdev_mig_save_close(mig);
	return ret;
}

/**
 * i40e_vf_mdev_mig_resume_lost() - the VF being resumed was reset
 * @mig: the engine, in RESUMING: the session's lock is held, the session
 *	not ended
 *
 * For the data_fd's writes, which do not take state_mutex, and the v1
 * region's: while the session lives the VF stays quiesced with the reset
 * count recorded when it was stopped (an arc or a device reset ends the
 * session first).  A
 * VF reset since then (a PF reset, say) lost what the PF needs to load the
 * state, so the stream is refused while the source still has the VM,
 * rather than at the arc to STOP, after the switchover.
 *
 * Return: true if the VF was reset since it was stopped.
 */
bool i40e_vf_mdev_mig_resume_lost(struct i40e_vf_mdev_mig *mig)
{
	if (!i40e_vf_mdev_mig_pf_lost(mig))
		return false;
	dev_err_ratelimited(i40e_vf_mdev_mig_dev(mig),
			    "RESUMING: the VF was reset during migration, its state is lost: stream refused\n");
	return true;
}

/*
 * One arc, @mig->state -> @next.  On success the engine is in @next; on
 * failure in @mig->state, or ERROR if what was done could not be undone.
 */
static int i40e_vf_mdev_mig_step(struct i40e_vf_mdev_mig *mig,
				 enum vfio_device_mig_state next,
				 struct file **filp)
{
	enum vfio_device_mig_state cur = mig->state;
	int ret;

	if (i40e_vf_mdev_mig_pf_lost(mig)) {
		dev_err(i40e_vf_mdev_mig_dev(mig),
			"%s: the VF was reset during migration, its state is lost: device state ERROR, reset the device\n",
			i40e_vf_mdev_mig_state_name(cur));
		trace_i40e_vf_mdev_mig_arc(i40e_vf_mdev_mig_dev(mig), cur,
					   VFIO_DEVICE_STATE_ERROR, -EIO);
		mig->state = VFIO_DEVICE_STATE_ERROR;
		return -EIO;
	}

#define ARC(from, to) \
	((VFIO_DEVICE_STATE_##from) * I40E_VF_MDEV_MIG_NR_STATES + \
	 (VFIO_DEVICE_STATE_##to))

	switch (cur * I40E_VF_MDEV_MIG_NR_STATES + next) {
	case ARC(RUNNING, RUNNING_P2P):
	case ARC(PRE_COPY, PRE_COPY_P2P):
		/* Stop DMA; the save session, if any, goes on */
		ret = i40e_vf_mdev_mig_quiesce(mig, true);
		break;

	case ARC(RUNNING_P2P, RUNNING):
	case ARC(PRE_COPY_P2P, PRE_COPY):
		ret = i40e_vf_mdev_mig_quiesce(mig, false);
		break;

	case ARC(RUNNING_P2P, STOP):
		ret = i40e_vf_mdev_mig_freeze(mig, true);
		break;

	case ARC(STOP, RUNNING_P2P):
		ret = i40e_vf_mdev_mig_freeze(mig, false);
		break;

	case ARC(RUNNING, PRE_COPY):
	case ARC(RUNNING_P2P, PRE_COPY_P2P):
		/* The stream header is the PRE_COPY data */
		ret = i40e_vf_mdev_mig_save_start(mig, filp);
		break;

	case ARC(PRE_COPY_P2P, STOP_COPY):
		ret = i40e_vf_mdev_mig_freeze(mig, true);
		if (ret)
			break;
		/* The VF is stopped: its last pins, or why they failed */
		ret = i40e_vf_mdev_dirty_save_final(mig->idev);
		if (!ret)
			ret = i40e_vf_mdev_mig_save_final(mig);
		if (ret && i40e_vf_mdev_mig_freeze(mig, false))
			next = VFIO_DEVICE_STATE_ERROR;
		break;

	case ARC(STOP, STOP_COPY):
		/* Already frozen: pins of an earlier save stand, or fail it */
		ret = i40e_vf_mdev_dirty_save_final(mig->idev);
		if (ret)
			break;
		/* the whole stream at once */
		ret = i40e_vf_mdev_mig_save_open(mig);
		if (ret)
			break;
		ret = i40e_vf_mdev_mig_save_final(mig);
		if (!ret)
			ret = i40e_vf_mdev_mig_new_fd(mig, mig->save_sess, filp);
		if (ret)
			i40e_vf_mdev_mig_save_close(mig);
		break;

	case ARC(PRE_COPY, RUNNING):
	case ARC(PRE_COPY_P2P, RUNNING_P2P):
		/*
		 * The save ends before STOP_COPY (a cancel): its session, and
		 * its pins' following of the VF
		 */
		i40e_vf_mdev_mig_save_close(mig);
		i40e_vf_mdev_dirty_save_end(mig->idev);
		ret = 0;
		break;

	case ARC(STOP_COPY, STOP):
		/*
		 * The save session ends; its data_fd fails from now on.  The
		 * pins go on following the VF: QEMU continues a VM paused
		 * during its migration through here, and the migration with it.
		 */
		i40e_vf_mdev_mig_save_close(mig);
		ret = 0;
		break;

	case ARC(STOP, RESUMING):
		ret = i40e_vf_mdev_mig_resume_open(mig);
		if (ret)
			break;
		ret = i40e_vf_mdev_mig_new_fd(mig, mig->resume_sess, filp);
		if (ret)
			i40e_vf_mdev_mig_resume_close(mig);
		break;

	case ARC(RESUMING, STOP):
		/* An invalid stream fails the arc; it stays RESUMING */
		ret = i40e_vf_mdev_mig_resume_load(mig);
		if (!ret)
			i40e_vf_mdev_mig_resume_close(mig);
		break;

	default:
		/* Not an arc of STOP_COPY | P2P | PRE_COPY */
		WARN_ON_ONCE(1);
		ret = -EINVAL;
		break;
	}
#undef ARC

	trace_i40e_vf_mdev_mig_arc(i40e_vf_mdev_mig_dev(mig), cur, next, ret);
	/* What the PF told dirty tracking since the last trapped access */
	i40e_vf_mdev_dirty_sync(mig->idev);
	if (!ret || next == VFIO_DEVICE_STATE_ERROR) {
		if (ret)
			dev_err(i40e_vf_mdev_mig_dev(mig),
				"%s -> STOP_COPY failed (%d) and the VF could not be thawed: device state ERROR, reset the device\n",
				i40e_vf_mdev_mig_state_name(cur), ret);
		mig->state = next;
	}
	return ret;
}

/**
 * i40e_vf_mdev_mig_set_state_locked() - move the engine to a state
 * @mig: the engine, state_mutex held
 * @target: the state requested
 * @filp: for v2, where to return the data_fd of a new session (set only
 *	if one was created); NULL for v1, which creates no files
 *
 * Walks the path vfio_mig_get_next_state() defines, one arc at a time.
 * On failure the engine is in the state before the failed arc (or ERROR
 * if it could not get back), which the caller reports.
 *
 * Return: 0 or a negative errno (-EINVAL for a state that cannot be
 * reached, e.g. from ERROR or from STOP_COPY to PRE_COPY).
 */
int i40e_vf_mdev_mig_set_state_locked(struct i40e_vf_mdev_mig *mig,
				      enum vfio_device_mig_state target,
				      struct file **filp)
{
	struct vfio_device *vdev = &mig->idev->core_device.vdev;
	enum vfio_device_mig_state next;
	struct file *f;
	int ret;

	lockdep_assert_held(&mig->state_mutex);

	while (mig->state != target) {
		/* Nothing leaves ERROR but a reset */
		if (mig->state == VFIO_DEVICE_STATE_ERROR)
			return -EINVAL;
		ret = vfio_mig_get_next_state(vdev, mig->state, target, &next);
		if (ret) {
			dev_dbg(i40e_vf_mdev_mig_dev(mig),
				"no path from %s to state %u\n",
				i40e_vf_mdev_mig_state_name(mig->state),
				target);
			return ret;
		}
		f = NULL;
		ret = i40e_vf_mdev_mig_step(mig, next, filp ? &f : NULL);
		if (ret)
			return ret;
		if (f) {
			/* Only the last arc of a path opens a session */
			if (WARN_ON_ONCE(next != target)) {
				fput(f);
				return -EINVAL;
			}
			*filp = f;
		}
	}
	return 0;
}
