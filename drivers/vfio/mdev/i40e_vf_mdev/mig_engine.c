// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: migration engine and the v2 data_fd
 *
 * One engine, two front ends: the v2 uAPI (vfio_migration_ops, this file)
 * and the v1 migration region (mig_v1.c).  The engine walks the v2 state
 * machine arc by arc (mig_fsm.c has the arcs and what to do on each) and
 * owns the two kinds of session:
 *
 *  - save: a stream writer whose header is written when the session opens
 *    (the PRE_COPY data) and to which the device records and END are
 *    appended on entering STOP_COPY;
 *  - resume: a stream parser that validates every byte as it arrives and
 *    whose result is applied to the device on RESUMING -> STOP only if the
 *    whole stream was valid.
 *
 * A v2 session has a data_fd (an anon inode file in stream mode); v1 reads
 * and writes the same writer and parser through its region.
 *
 * Locking: state_mutex serialises everything, including the data_fd's
 * read/write/poll/ioctl, which copy to and from user memory with it held
 * (it nests outside mmap_lock, the BAR0 trap lock and vfio-pci-core's
 * memory_lock, never inside).  A device reset is recorded under reset_lock
 * and applied by whoever holds state_mutex when it unlocks, so that the
 * reset path never waits for state_mutex (the deferred reset of mlx5 and
 * mtty).
 *
 * Lifetime: a data_fd holds a reference on the vfio device, so the engine
 * outlives every file it handed out; when its session ends the file is
 * disabled (read/write fail with ENODEV) and the engine drops its own
 * reference.  The user may close a data_fd at any time.
 */

#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "i40e_vf_mdev.h"
#include "pf_iface.h"

/**
 * struct i40e_vf_mdev_mig_file - a v2 data_fd
 * @filp: the file
 * @mig: the engine; kept alive by a reference on the vfio device
 * @pos: bytes read so far (save files)
 * @disabled: the session has ended; protected by @mig->state_mutex
 */
struct i40e_vf_mdev_mig_file {
	struct file *filp;
	struct i40e_vf_mdev_mig *mig;
	u64 pos;
	bool disabled;
};

static struct device *mig_dev(struct i40e_vf_mdev_mig *mig)
{
	return mdev_dev(mig->idev->mdev);
}

/**
 * i40e_vf_mdev_mig_load_report() - log why the resume stream was rejected
 * @mig: the engine, state_mutex held
 *
 * Once per stream, when the parser has failed: a dev_err() with the
 * parser's reason, which also goes to debugfs.
 */
void i40e_vf_mdev_mig_load_report(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_parser *p = &mig->load;

	lockdep_assert_held(&mig->state_mutex);
	if (!p->err || mig->load_reported)
		return;
	mig->load_reported = true;
	mig->stats.rejected++;
	strscpy(mig->stats.last_error, p->err_msg,
		sizeof(mig->stats.last_error));
	dev_err(mig_dev(mig), "migration stream rejected: %s\n", p->err_msg);
}

/* Data fds */

static void i40e_vf_mdev_mig_file_disable(struct i40e_vf_mdev_mig *mig,
					  struct i40e_vf_mdev_mig_file **slot)
{
	struct i40e_vf_mdev_mig_file *migf = *slot;

	if (!migf)
		return;
	migf->disabled = true;
	*slot = NULL;
	wake_up_interruptible(&mig->poll_wait);
	fput(migf->filp);
}

static int i40e_vf_mdev_mig_file_release(struct inode *inode,
					 struct file *filp)
{
	struct i40e_vf_mdev_mig_file *migf = filp->private_data;
	struct vfio_device *vdev = &migf->mig->idev->core_device.vdev;

	kfree(migf);
	vfio_put_device(vdev);
	return 0;
}

static ssize_t i40e_vf_mdev_mig_save_read(struct file *filp, char __user *buf,
					  size_t len, loff_t *pos)
{
	struct i40e_vf_mdev_mig_file *migf = filp->private_data;
	struct i40e_vf_mdev_mig *mig = migf->mig;
	struct i40e_vf_mdev_writer *w = &mig->save;
	ssize_t ret;
	size_t n;

	if (pos)
		return -ESPIPE;

	mutex_lock(&mig->state_mutex);
	if (migf->disabled) {
		ret = -ENODEV;
	} else if (w->err) {
		ret = w->err;
	} else if (migf->pos == w->len) {
		/* End of stream in STOP_COPY, for now in PRE_COPY */
		ret = i40e_vf_mdev_writer_ended(w) ? 0 : -ENOMSG;
	} else {
		n = min_t(u64, len, w->len - migf->pos);
		if (copy_to_user(buf, w->buf + migf->pos, n)) {
			ret = -EFAULT;
		} else {
			migf->pos += n;
			ret = n;
		}
	}
	i40e_vf_mdev_mig_unlock(mig);
	return ret;
}

static __poll_t i40e_vf_mdev_mig_save_poll(struct file *filp,
					   struct poll_table_struct *wait)
{
	struct i40e_vf_mdev_mig_file *migf = filp->private_data;
	struct i40e_vf_mdev_mig *mig = migf->mig;
	__poll_t mask = 0;

	poll_wait(filp, &mig->poll_wait, wait);

	mutex_lock(&mig->state_mutex);
	if (migf->disabled || mig->save.err)
		mask = EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	else if (migf->pos < mig->save.len ||
		 i40e_vf_mdev_writer_ended(&mig->save))
		mask = EPOLLIN | EPOLLRDNORM;
	i40e_vf_mdev_mig_unlock(mig);
	return mask;
}

static long i40e_vf_mdev_mig_save_ioctl(struct file *filp, unsigned int cmd,
					unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_precopy_info, dirty_bytes);
	struct i40e_vf_mdev_mig_file *migf = filp->private_data;
	struct i40e_vf_mdev_mig *mig = migf->mig;
	struct vfio_precopy_info info;
	long ret = 0;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	mutex_lock(&mig->state_mutex);
	if (mig->state != VFIO_DEVICE_STATE_PRE_COPY &&
	    mig->state != VFIO_DEVICE_STATE_PRE_COPY_P2P) {
		ret = -EINVAL;
	} else if (migf->disabled) {
		ret = -ENODEV;
	} else {
		/*
		 * The initial data is the stream header; nothing of the
		 * device's state is sent before STOP_COPY, so nothing is
		 * ever dirty.
		 */
		info.initial_bytes = mig->save.len - migf->pos;
		info.dirty_bytes = 0;
	}
	i40e_vf_mdev_mig_unlock(mig);

	if (!ret && copy_to_user((void __user *)arg, &info, minsz))
		ret = -EFAULT;
	return ret;
}

static ssize_t i40e_vf_mdev_mig_resume_write(struct file *filp,
					     const char __user *buf,
					     size_t len, loff_t *pos)
{
	struct i40e_vf_mdev_mig_file *migf = filp->private_data;
	struct i40e_vf_mdev_mig *mig = migf->mig;
	struct i40e_vf_mdev_parser *p = &mig->load;
	size_t room;
	ssize_t ret;
	void *tail;

	if (pos)
		return -ESPIPE;

	mutex_lock(&mig->state_mutex);
	if (migf->disabled) {
		ret = -ENODEV;
		goto out;
	}

	tail = i40e_vf_mdev_parser_tail(p, &room);
	if (p->err || len > room) {
		/* Fails with the sticky error, or as too big */
		ret = i40e_vf_mdev_parser_commit(p, len);
	} else if (copy_from_user(tail, buf, len)) {
		ret = -EFAULT;
		goto out;
	} else {
		ret = i40e_vf_mdev_parser_commit(p, len);
	}
	i40e_vf_mdev_mig_load_report(mig);
	if (!ret)
		ret = len;
out:
	i40e_vf_mdev_mig_unlock(mig);
	return ret;
}

static const struct file_operations i40e_vf_mdev_mig_save_fops = {
	.owner = THIS_MODULE,
	.read = i40e_vf_mdev_mig_save_read,
	.poll = i40e_vf_mdev_mig_save_poll,
	.unlocked_ioctl = i40e_vf_mdev_mig_save_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = i40e_vf_mdev_mig_file_release,
};

static const struct file_operations i40e_vf_mdev_mig_resume_fops = {
	.owner = THIS_MODULE,
	.write = i40e_vf_mdev_mig_resume_write,
	.release = i40e_vf_mdev_mig_file_release,
};

/* A new data_fd for the session just opened; one reference for the user */
static struct file *i40e_vf_mdev_mig_file_new(struct i40e_vf_mdev_mig *mig,
					      bool resume)
{
	struct i40e_vf_mdev_mig_file *migf;
	struct file *filp;

	migf = kzalloc(sizeof(*migf), GFP_KERNEL_ACCOUNT);
	if (!migf)
		return ERR_PTR(-ENOMEM);

	filp = anon_inode_getfile("i40e_vf_mdev_mig",
				  resume ? &i40e_vf_mdev_mig_resume_fops :
					   &i40e_vf_mdev_mig_save_fops,
				  migf, resume ? O_WRONLY : O_RDONLY);
	if (IS_ERR(filp)) {
		kfree(migf);
		return filp;
	}
	stream_open(filp->f_inode, filp);
	migf->filp = filp;
	migf->mig = mig;
	get_device(&mig->idev->core_device.vdev.device);

	if (resume)
		mig->resume_file = migf;
	else
		mig->save_file = migf;
	get_file(filp);
	return filp;
}

/* Sessions */

static int i40e_vf_mdev_mig_grow(struct i40e_vf_mdev_writer *w, size_t need)
{
	size_t cap = PAGE_ALIGN(need);
	u8 *buf;

	buf = kvzalloc(cap, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	if (w->len)
		memcpy(buf, w->buf, w->len);
	kvfree(w->buf);
	w->buf = buf;
	w->cap = cap;
	return 0;
}

static void i40e_vf_mdev_mig_save_close(struct i40e_vf_mdev_mig *mig)
{
	i40e_vf_mdev_mig_file_disable(mig, &mig->save_file);
	kvfree(mig->save.buf);
	i40e_vf_mdev_writer_init(&mig->save, NULL, 0, 0, NULL, NULL);
	mig->saving = false;
}

static int i40e_vf_mdev_mig_save_open(struct i40e_vf_mdev_mig *mig)
{
	int ret;

	i40e_vf_mdev_writer_init(&mig->save, NULL, 0, 0, i40e_vf_mdev_mig_grow,
				 mig);
	ret = i40e_vf_mdev_write_header(&mig->save, &mig->ident, 0);
	if (ret) {
		i40e_vf_mdev_mig_save_close(mig);
		return ret;
	}
	mig->saving = true;
	mig->gen++;
	return 0;
}

/*
 * Append the device state and END.  On failure the stream is as it was
 * before, so the session goes on in the state the arc started from.
 */
static int i40e_vf_mdev_mig_save_final(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_writer before = mig->save;
	struct i40e_vf_mdev_writer *w = &mig->save;
	int ret;

	ret = i40e_vf_mdev_devstate_save(mig->idev, w);
	if (!ret)
		ret = i40e_vf_mdev_write_end(w);
	if (ret) {
		/* The bytes up to before.len are unchanged, maybe moved */
		before.buf = w->buf;
		before.cap = w->cap;
		*w = before;
		dev_err(mig_dev(mig), "cannot save the device state: %d\n", ret);
		return ret;
	}

	mig->stats.saved++;
	mig->stats.saved_len = w->len;
	mig->stats.saved_crc = i40e_vf_mdev_crc32(0, w->buf, w->len);
	wake_up_interruptible(&mig->poll_wait);
	return 0;
}

static void i40e_vf_mdev_mig_resume_close(struct i40e_vf_mdev_mig *mig)
{
	i40e_vf_mdev_mig_file_disable(mig, &mig->resume_file);
	kvfree(mig->load_buf);
	mig->load_buf = NULL;
	i40e_vf_mdev_parser_init(&mig->load, NULL, 0, NULL);
	mig->resuming = false;
}

static int i40e_vf_mdev_mig_resume_open(struct i40e_vf_mdev_mig *mig)
{
	mig->load_buf = kvmalloc(I40E_VF_MDEV_STREAM_MAX, GFP_KERNEL_ACCOUNT);
	if (!mig->load_buf)
		return -ENOMEM;
	i40e_vf_mdev_parser_init(&mig->load, mig->load_buf,
				 I40E_VF_MDEV_STREAM_MAX, &mig->ident);
	mig->load_reported = false;
	mig->resuming = true;
	mig->gen++;
	return 0;
}

/* Nothing reaches the device unless the whole stream is valid */
static int i40e_vf_mdev_mig_resume_load(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_parser *p = &mig->load;
	const struct i40e_vf_mdev_state *state;
	int ret;

	ret = i40e_vf_mdev_parser_finish(p);
	if (ret) {
		i40e_vf_mdev_mig_load_report(mig);
		return ret;
	}
	state = i40e_vf_mdev_parser_state(p);
	ret = i40e_vf_mdev_devstate_load(mig->idev, state);
	if (ret) {
		mig->stats.rejected++;
		snprintf(mig->stats.last_error, sizeof(mig->stats.last_error),
			 "cannot apply the state to the device: %d", ret);
		return ret;
	}

	mig->stats.loaded++;
	mig->stats.loaded_len = p->len;
	mig->stats.loaded_crc = i40e_vf_mdev_crc32(0, p->buf, p->len);
	dev_dbg(mig_dev(mig), "device state loaded: %zu bytes, %u records\n",
		p->len, state->nr_records);
	return 0;
}

/* Arcs */

static int i40e_vf_mdev_mig_quiesce(struct i40e_vf_mdev_mig *mig, bool on)
{
	int ret = i40e_vf_mdev_devstate_quiesce(mig->idev, on);

	if (!ret)
		mig->quiesced = on;
	return ret;
}

static int i40e_vf_mdev_mig_freeze(struct i40e_vf_mdev_mig *mig, bool on)
{
	int ret = i40e_vf_mdev_devstate_freeze(mig->idev, on);

	if (!ret)
		mig->frozen = on;
	return ret;
}

static int i40e_vf_mdev_mig_action(struct i40e_vf_mdev_mig *mig, u16 action)
{
	switch (action) {
	case I40E_VF_MDEV_ACT_QUIESCE:
		return i40e_vf_mdev_mig_quiesce(mig, true);
	case I40E_VF_MDEV_ACT_UNQUIESCE:
		return i40e_vf_mdev_mig_quiesce(mig, false);
	case I40E_VF_MDEV_ACT_FREEZE:
		return i40e_vf_mdev_mig_freeze(mig, true);
	case I40E_VF_MDEV_ACT_UNFREEZE:
		return i40e_vf_mdev_mig_freeze(mig, false);
	case I40E_VF_MDEV_ACT_SAVE_OPEN:
		return i40e_vf_mdev_mig_save_open(mig);
	case I40E_VF_MDEV_ACT_SAVE_FINAL:
		return i40e_vf_mdev_mig_save_final(mig);
	case I40E_VF_MDEV_ACT_SAVE_CLOSE:
		i40e_vf_mdev_mig_save_close(mig);
		return 0;
	case I40E_VF_MDEV_ACT_RESUME_OPEN:
		return i40e_vf_mdev_mig_resume_open(mig);
	case I40E_VF_MDEV_ACT_RESUME_LOAD:
		return i40e_vf_mdev_mig_resume_load(mig);
	case I40E_VF_MDEV_ACT_RESUME_CLOSE:
		i40e_vf_mdev_mig_resume_close(mig);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Undo a completed action of a failed arc, @done being all the arc's
 * completed actions; false if it cannot be undone.
 */
static bool i40e_vf_mdev_mig_undo(struct i40e_vf_mdev_mig *mig, u16 action,
				  unsigned long done)
{
	switch (action) {
	case I40E_VF_MDEV_ACT_QUIESCE:
		return !i40e_vf_mdev_mig_quiesce(mig, false);
	case I40E_VF_MDEV_ACT_UNQUIESCE:
		return !i40e_vf_mdev_mig_quiesce(mig, true);
	case I40E_VF_MDEV_ACT_FREEZE:
		return !i40e_vf_mdev_mig_freeze(mig, false);
	case I40E_VF_MDEV_ACT_UNFREEZE:
		return !i40e_vf_mdev_mig_freeze(mig, true);
	case I40E_VF_MDEV_ACT_SAVE_OPEN:
		i40e_vf_mdev_mig_save_close(mig);
		return true;
	case I40E_VF_MDEV_ACT_RESUME_OPEN:
		i40e_vf_mdev_mig_resume_close(mig);
		return true;
	case I40E_VF_MDEV_ACT_SAVE_FINAL:
		/* Undone with the session, if the arc opened it */
		return done & I40E_VF_MDEV_ACT_SAVE_OPEN;
	default:
		return false;
	}
}

#define I40E_VF_MDEV_ACT_STEPS	(I40E_VF_MDEV_ACT_NEW_FD - 1)

/*
 * One arc.  On failure every action done is undone, so the engine stays in
 * the state it was in; only if that fails too it goes to ERROR.
 */
static int i40e_vf_mdev_mig_step(struct i40e_vf_mdev_mig *mig,
				 enum vfio_device_mig_state next,
				 struct file **filp)
{
	const struct i40e_vf_mdev_mig_arc *arc;
	unsigned long done = 0, bit;
	struct file *f = NULL;
	int ret = 0;

	arc = i40e_vf_mdev_mig_arc(I40E_VF_MDEV_MIG_FLAGS, mig->state, next);
	if (WARN_ON_ONCE(!arc))
		return -EINVAL;

	for (bit = 1; bit & I40E_VF_MDEV_ACT_STEPS; bit <<= 1) {
		if (!(arc->actions & bit))
			continue;
		ret = i40e_vf_mdev_mig_action(mig, bit);
		if (ret)
			goto undo;
		done |= bit;
	}
	if ((arc->actions & I40E_VF_MDEV_ACT_NEW_FD) && filp) {
		f = i40e_vf_mdev_mig_file_new(mig, next ==
					      VFIO_DEVICE_STATE_RESUMING);
		if (IS_ERR(f)) {
			ret = PTR_ERR(f);
			goto undo;
		}
		*filp = f;
	}
	mig->state = next;
	return 0;

undo:
	for (bit = I40E_VF_MDEV_ACT_STEPS + 1; bit >>= 1; ) {
		if ((done & bit) && !i40e_vf_mdev_mig_undo(mig, bit, done)) {
			dev_err(mig_dev(mig),
				"%s -> %s failed (%d) and could not be undone: device state ERROR, reset the device\n",
				i40e_vf_mdev_mig_state_name(mig->state),
				i40e_vf_mdev_mig_state_name(next), ret);
			mig->state = VFIO_DEVICE_STATE_ERROR;
			break;
		}
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
	enum vfio_device_mig_state next;
	struct file *f;
	int ret;

	lockdep_assert_held(&mig->state_mutex);

	while (mig->state != target) {
		ret = i40e_vf_mdev_mig_next_state(I40E_VF_MDEV_MIG_FLAGS,
						  mig->state, target, &next);
		if (ret)
			return ret;
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

/* Deferred reset */

/* Back to RUNNING with no session; the device was reset or closed */
static void i40e_vf_mdev_mig_reset_locked(struct i40e_vf_mdev_mig *mig)
{
	i40e_vf_mdev_mig_save_close(mig);
	i40e_vf_mdev_mig_resume_close(mig);
	/* A VF reset ends the PF's quiesce and freeze as well */
	mig->quiesced = false;
	mig->frozen = false;
	mig->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(&mig->v1);
	mig->v1_gen = mig->gen;
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
		i40e_vf_mdev_mig_reset_locked(mig);
		mig->stats.resets++;
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

/* Attach points (vfio_ops.c) */

/**
 * i40e_vf_mdev_mig_init() - set up migration for a new vfio device
 * @idev: the device, vfio-pci-core initialised
 *
 * Makes the device migratable: STOP_COPY, P2P and PRE_COPY through v2,
 * and the v1 region from every open on.
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_init(struct i40e_vf_mdev_dev *idev)
{
	struct vfio_device *vdev = &idev->core_device.vdev;
	struct i40e_vf_mdev_mig *mig;
	struct i40e_vf_mdev_pf *pf;

	mig = kzalloc(sizeof(*mig), GFP_KERNEL);
	if (!mig)
		return -ENOMEM;
	mig->idev = idev;
	mutex_init(&mig->state_mutex);
	spin_lock_init(&mig->reset_lock);
	init_waitqueue_head(&mig->poll_wait);
	i40e_vf_mdev_writer_init(&mig->save, NULL, 0, 0, NULL, NULL);
	i40e_vf_mdev_parser_init(&mig->load, NULL, 0, NULL);
	mig->state = VFIO_DEVICE_STATE_RUNNING;

	/* PF services are optional (pf_iface.h) */
	pf = i40e_vf_mdev_pf_get(idev->core_device.pdev);
	idev->pf = IS_ERR(pf) ? NULL : pf;
	i40e_vf_mdev_devstate_ident(idev, &mig->ident);

	idev->mig = mig;
	i40e_vf_mdev_mig_v1_init(mig);

	vdev->migration_flags = I40E_VF_MDEV_MIG_FLAGS;
	vdev->mig_ops = &i40e_vf_mdev_mig_ops;
	return 0;
}

/**
 * i40e_vf_mdev_mig_release() - free what i40e_vf_mdev_mig_init() set up
 * @idev: the device; no data_fd is left (each holds a device reference)
 */
void i40e_vf_mdev_mig_release(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	if (!mig)
		return;
	WARN_ON(mig->save_file || mig->resume_file);
	kvfree(mig->save.buf);
	kvfree(mig->load_buf);
	if (idev->pf)
		i40e_vf_mdev_pf_put(idev->pf);
	idev->pf = NULL;
	mutex_destroy(&mig->state_mutex);
	kfree(mig);
	idev->mig = NULL;
}

/**
 * i40e_vf_mdev_mig_open() - the user opened the device
 * @idev: the device, enabled by vfio-pci-core
 *
 * Starts in RUNNING and registers the v1 region (vfio-pci-core frees
 * device-specific regions on close).
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_mig_open(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	mutex_lock(&mig->state_mutex);
	i40e_vf_mdev_mig_reset_locked(mig);
	i40e_vf_mdev_mig_unlock(mig);

	return i40e_vf_mdev_mig_v1_register(idev);
}

/**
 * i40e_vf_mdev_mig_close() - the user closed the device
 * @idev: the device, still enabled
 *
 * Ends every session (data_fds read or write ENODEV from now on) and lets
 * the VF run again before vfio-pci-core resets and disables it.
 */
void i40e_vf_mdev_mig_close(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_mig *mig = idev->mig;

	mutex_lock(&mig->state_mutex);
	if (mig->frozen)
		i40e_vf_mdev_mig_freeze(mig, false);
	if (mig->quiesced)
		i40e_vf_mdev_mig_quiesce(mig, false);
	i40e_vf_mdev_mig_reset_locked(mig);
	i40e_vf_mdev_mig_unlock(mig);
}

/* debugfs: <mdev>/migration */

static int i40e_vf_mdev_migration_show(struct seq_file *s, void *unused)
{
	struct i40e_vf_mdev_dev *idev = s->private;
	struct i40e_vf_mdev_mig *mig = idev->mig;
	struct i40e_vf_mdev_mig_stats st;
	enum vfio_device_mig_state state;
	u32 v1;

	mutex_lock(&mig->state_mutex);
	st = mig->stats;
	state = mig->state;
	v1 = i40e_vf_mdev_v1_device_state(&mig->v1);
	i40e_vf_mdev_mig_unlock(mig);

	seq_printf(s, "state %s\n", i40e_vf_mdev_mig_state_name(state));
	seq_printf(s, "v1_state %#x\n", v1);
	seq_printf(s, "pf_services %s\n", idev->pf ? "yes" : "no");
	seq_printf(s, "saved %llu\n", st.saved);
	seq_printf(s, "saved_len %llu\n", st.saved_len);
	seq_printf(s, "saved_crc %#010x\n", st.saved_crc);
	seq_printf(s, "loaded %llu\n", st.loaded);
	seq_printf(s, "loaded_len %llu\n", st.loaded_len);
	seq_printf(s, "loaded_crc %#010x\n", st.loaded_crc);
	seq_printf(s, "rejected %llu\n", st.rejected);
	seq_printf(s, "resets %llu\n", st.resets);
	seq_printf(s, "last_error %s\n", st.last_error[0] ? st.last_error : "-");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(i40e_vf_mdev_migration);

/**
 * i40e_vf_mdev_mig_debugfs_add() - the migration file in debugfs
 * @idev: the device
 * @dir: its debugfs directory
 *
 * One "<name> <value>" per line: state, v1_state, pf_services, and the
 * counters of &struct i40e_vf_mdev_mig_stats.  For tests; not an ABI.
 */
void i40e_vf_mdev_mig_debugfs_add(struct i40e_vf_mdev_dev *idev,
				  struct dentry *dir)
{
	debugfs_create_file("migration", 0400, dir, idev,
			    &i40e_vf_mdev_migration_fops);
}
