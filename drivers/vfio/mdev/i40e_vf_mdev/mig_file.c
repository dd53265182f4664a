// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the v2 data_fd
 *
 * An anon inode file in stream mode whose private data is a session
 * (mig_session.c).  It holds a reference on the session and on nothing
 * else: not the vfio device, not the engine.  Every operation takes the
 * session's io_lock (held across the user copy, so concurrent users of one
 * fd are serialised and nobody else waits for them) and looks at the
 * session under its short lock; once the engine has ended the session
 * (an arc, a reset, the device's close) every operation fails with
 * -ENODEV and poll reports EPOLLRDHUP.
 */

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "mig_engine.h"

static int i40e_vf_mdev_mig_file_release(struct inode *inode,
					 struct file *filp)
{
	i40e_vf_mdev_mig_session_put(filp->private_data);
	return 0;
}

static ssize_t i40e_vf_mdev_mig_save_read(struct file *filp, char __user *buf,
					  size_t len, loff_t *pos)
{
	struct i40e_vf_mdev_mig_session *sess = filp->private_data;
	struct i40e_vf_mdev_writer *w = &sess->save;
	const u8 *src = NULL;
	ssize_t ret;
	size_t n;

	if (pos)
		return -ESPIPE;

	mutex_lock(&sess->io_lock);
	mutex_lock(&sess->lock);
	if (sess->disabled) {
		ret = -ENODEV;
	} else if (w->err) {
		ret = w->err;
	} else if (sess->pos == w->len) {
		/* End of stream in STOP_COPY, for now in PRE_COPY */
		ret = i40e_vf_mdev_writer_ended(w) ? 0 : -ENOMSG;
	} else {
		n = min_t(u64, len, w->len - sess->pos);
		src = w->buf + sess->pos;
		ret = n;
	}
	mutex_unlock(&sess->lock);

	/* Bytes below w->len never change; the session keeps the buffer */
	if (src) {
		if (copy_to_user(buf, src, ret))
			ret = -EFAULT;
		else
			sess->pos += ret;
	}
	mutex_unlock(&sess->io_lock);
	return ret;
}

static __poll_t i40e_vf_mdev_mig_save_poll(struct file *filp,
					   struct poll_table_struct *wait)
{
	struct i40e_vf_mdev_mig_session *sess = filp->private_data;
	__poll_t mask = 0;

	poll_wait(filp, &sess->poll_wait, wait);

	mutex_lock(&sess->lock);
	if (sess->disabled || sess->save.err)
		mask = EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	else if (READ_ONCE(sess->pos) < sess->save.len ||
		 i40e_vf_mdev_writer_ended(&sess->save))
		mask = EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&sess->lock);
	return mask;
}

static long i40e_vf_mdev_mig_save_ioctl(struct file *filp, unsigned int cmd,
					unsigned long arg)
{
	unsigned long minsz = offsetofend(struct vfio_precopy_info, dirty_bytes);
	struct i40e_vf_mdev_mig_session *sess = filp->private_data;
	struct vfio_precopy_info info;
	long ret = 0;

	if (cmd != VFIO_MIG_GET_PRECOPY_INFO)
		return -ENOTTY;
	if (copy_from_user(&info, (void __user *)arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	mutex_lock(&sess->io_lock);
	mutex_lock(&sess->lock);
	if (sess->disabled) {
		ret = -ENODEV;
	} else if (i40e_vf_mdev_writer_ended(&sess->save)) {
		/* STOP_COPY: no longer a PRE_COPY state */
		ret = -EINVAL;
	} else {
		/*
		 * The initial data is the stream header; nothing of the
		 * device's state is sent before STOP_COPY, so nothing is
		 * ever dirty.
		 */
		info.initial_bytes = sess->save.len - sess->pos;
		info.dirty_bytes = 0;
	}
	mutex_unlock(&sess->lock);
	mutex_unlock(&sess->io_lock);

	if (!ret && copy_to_user((void __user *)arg, &info, minsz))
		ret = -EFAULT;
	return ret;
}

static ssize_t i40e_vf_mdev_mig_resume_write(struct file *filp,
					     const char __user *buf,
					     size_t len, loff_t *pos)
{
	struct i40e_vf_mdev_mig_session *sess = filp->private_data;
	struct i40e_vf_mdev_parser *p = &sess->load;
	void *tail = NULL;
	size_t room;
	ssize_t ret;

	if (pos)
		return -ESPIPE;

	mutex_lock(&sess->io_lock);
	mutex_lock(&sess->lock);
	if (sess->disabled) {
		ret = -ENODEV;
	} else if (i40e_vf_mdev_mig_resume_lost(sess->mig)) {
		/* Refused while the source still has the VM */
		ret = -EIO;
	} else {
		tail = i40e_vf_mdev_parser_tail(p, &room);
		if (p->err || len > room) {
			/* Fails with the sticky error, or as too big */
			ret = i40e_vf_mdev_parser_commit(p, len);
			i40e_vf_mdev_mig_load_report(sess);
			tail = NULL;
		}
	}
	mutex_unlock(&sess->lock);
	if (!tail)
		goto out;

	/* Past the parser's length: nobody else reads or writes there */
	if (copy_from_user(tail, buf, len)) {
		ret = -EFAULT;
		goto out;
	}

	mutex_lock(&sess->lock);
	if (sess->disabled) {
		ret = -ENODEV;
	} else {
		ret = i40e_vf_mdev_parser_commit(p, len);
		i40e_vf_mdev_mig_load_report(sess);
		if (!ret)
			ret = len;
	}
	mutex_unlock(&sess->lock);
out:
	mutex_unlock(&sess->io_lock);
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

/**
 * i40e_vf_mdev_mig_file_new() - a data_fd for a session
 * @sess: the session just opened; the file takes a reference on it
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *i40e_vf_mdev_mig_file_new(struct i40e_vf_mdev_mig_session *sess)
{
	struct file *filp;

	filp = anon_inode_getfile("i40e_vf_mdev_mig",
				  sess->resume ? &i40e_vf_mdev_mig_resume_fops :
						 &i40e_vf_mdev_mig_save_fops,
				  sess, sess->resume ? O_WRONLY : O_RDONLY);
	if (IS_ERR(filp))
		return filp;
	kref_get(&sess->ref);
	stream_open(filp->f_inode, filp);
	return filp;
}
