// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: save and resume sessions
 *
 * A session owns its stream buffer.  The engine holds a reference while
 * the session is current (state_mutex); a v2 data_fd holds another.  When
 * the engine ends a session it disables it first, under the session's
 * lock: from then on the data_fd touches nothing but the session, which
 * stays valid until the fd is closed.
 *
 *  - save: a stream writer whose header is written when the session opens
 *    (the PRE_COPY data) and to which the device records and END are
 *    appended on entering STOP_COPY;
 *  - resume: a stream parser that validates every byte as it arrives and
 *    whose result is applied to the device on RESUMING -> STOP only if the
 *    whole stream was valid.
 */

#include <linux/mm.h>
#include <linux/slab.h>

#include "mig_engine.h"
#include "i40e_vf_mdev_trace.h"

static void i40e_vf_mdev_mig_session_free(struct kref *ref)
{
	struct i40e_vf_mdev_mig_session *sess =
		container_of(ref, struct i40e_vf_mdev_mig_session, ref);

	kvfree(sess->buf);
	mutex_destroy(&sess->lock);
	mutex_destroy(&sess->io_lock);
	kfree(sess);
}

/**
 * i40e_vf_mdev_mig_session_put() - drop a reference on a session
 * @sess: the session
 */
void i40e_vf_mdev_mig_session_put(struct i40e_vf_mdev_mig_session *sess)
{
	kref_put(&sess->ref, i40e_vf_mdev_mig_session_free);
}

static struct i40e_vf_mdev_mig_session *
i40e_vf_mdev_mig_session_new(struct i40e_vf_mdev_mig *mig, bool resume)
{
	struct i40e_vf_mdev_mig_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL_ACCOUNT);
	if (!sess)
		return NULL;
	/* Zeroed: nothing uninitialised can ever be parsed or read */
	sess->buf = kvzalloc(I40E_VF_MDEV_STREAM_MAX, GFP_KERNEL_ACCOUNT);
	if (!sess->buf) {
		kfree(sess);
		return NULL;
	}
	kref_init(&sess->ref);
	mutex_init(&sess->io_lock);
	mutex_init(&sess->lock);
	init_waitqueue_head(&sess->poll_wait);
	sess->mig = mig;
	sess->resume = resume;
	if (resume) {
		i40e_vf_mdev_parser_init(&sess->load, sess->buf,
					 I40E_VF_MDEV_STREAM_MAX, &mig->ident);
		/* The PF checks its part before the stream is complete */
		sess->load.accept = i40e_vf_mdev_devstate_check;
		sess->load.accept_priv = mig->idev;
	} else {
		i40e_vf_mdev_writer_init(&sess->save, sess->buf,
					 I40E_VF_MDEV_STREAM_MAX,
					 I40E_VF_MDEV_STREAM_MAX, NULL, NULL);
	}
	return sess;
}

/* End a session: its data_fd fails from now on; drop the engine's ref */
static void i40e_vf_mdev_mig_session_end(struct i40e_vf_mdev_mig_session **slot)
{
	struct i40e_vf_mdev_mig_session *sess = *slot;

	if (!sess)
		return;
	*slot = NULL;
	mutex_lock(&sess->lock);
	sess->disabled = true;
	sess->mig = NULL;
	mutex_unlock(&sess->lock);
	wake_up_interruptible_all(&sess->poll_wait);
	i40e_vf_mdev_mig_session_put(sess);
}

/**
 * i40e_vf_mdev_mig_load_report() - log why the resume stream was rejected
 * @sess: a resume session, its lock held, not disabled
 *
 * Once per stream, when the parser has failed: a rate-limited message
 * with the parser's reason, a tracepoint, and the debugfs counters.
 */
void i40e_vf_mdev_mig_load_report(struct i40e_vf_mdev_mig_session *sess)
{
	struct i40e_vf_mdev_parser *p = &sess->load;
	struct i40e_vf_mdev_mig *mig = sess->mig;
	struct device *dev;

	lockdep_assert_held(&sess->lock);
	if (!p->err || sess->reported || WARN_ON_ONCE(!mig))
		return;
	sess->reported = true;
	dev = i40e_vf_mdev_mig_dev(mig);

	spin_lock(&mig->stats_lock);
	mig->stats.rejected++;
	strscpy(mig->stats.last_error, p->err_msg,
		sizeof(mig->stats.last_error));
	spin_unlock(&mig->stats_lock);

	trace_i40e_vf_mdev_stream_reject(dev, p->err_msg);
	dev_err_ratelimited(dev, "migration stream rejected: %s\n",
			    p->err_msg);
}

/**
 * i40e_vf_mdev_mig_save_open() - start a save session
 * @mig: the engine, state_mutex held, no save session
 *
 * The stream header is available at once (the PRE_COPY data).
 *
 * Return: 0, or a negative errno with nothing changed.
 */
int i40e_vf_mdev_mig_save_open(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_mig_session *sess;
	int ret;

	lockdep_assert_held(&mig->state_mutex);
	if (WARN_ON_ONCE(mig->save_sess))
		return -EBUSY;
	sess = i40e_vf_mdev_mig_session_new(mig, false);
	if (!sess)
		return -ENOMEM;
	ret = i40e_vf_mdev_write_header(&sess->save, &mig->ident, 0);
	if (ret) {
		i40e_vf_mdev_mig_session_put(sess);
		return ret;
	}
	mig->save_sess = sess;
	mig->gen++;
	return 0;
}

/**
 * i40e_vf_mdev_mig_save_final() - append the device state and END
 * @mig: the engine, state_mutex held, a save session open, device frozen
 *
 * Return: 0, or a negative errno with the stream as it was before.
 */
int i40e_vf_mdev_mig_save_final(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_mig_session *sess = mig->save_sess;
	struct i40e_vf_mdev_writer *w = &sess->save;
	struct i40e_vf_mdev_writer next;
	int ret;

	lockdep_assert_held(&mig->state_mutex);
	/*
	 * Only arcs change the writer, and they hold state_mutex; the data_fd
	 * reads below w->len.  So the records are written past w->len into a
	 * copy of the writer, without the session's lock (the device is read
	 * under vfio-pci-core's memory_lock), and published at once.  On
	 * failure the stream stays as it was.
	 */
	next = *w;
	ret = i40e_vf_mdev_devstate_save(mig->idev, &next);
	if (!ret)
		ret = i40e_vf_mdev_write_end(&next);
	if (ret) {
		dev_err_ratelimited(i40e_vf_mdev_mig_dev(mig),
				    "cannot save the device state: %d\n", ret);
		return ret;
	}
	mutex_lock(&sess->lock);
	*w = next;
	mutex_unlock(&sess->lock);

	spin_lock(&mig->stats_lock);
	mig->stats.saved++;
	mig->stats.saved_len = w->len;
	mig->stats.saved_crc = i40e_vf_mdev_crc32(0, w->buf, w->len);
	spin_unlock(&mig->stats_lock);
	wake_up_interruptible_all(&sess->poll_wait);
	return 0;
}

/**
 * i40e_vf_mdev_mig_save_close() - end the save session, if any
 * @mig: the engine, state_mutex held
 */
void i40e_vf_mdev_mig_save_close(struct i40e_vf_mdev_mig *mig)
{
	lockdep_assert_held(&mig->state_mutex);
	i40e_vf_mdev_mig_session_end(&mig->save_sess);
}

/**
 * i40e_vf_mdev_mig_resume_open() - start a resume session
 * @mig: the engine, state_mutex held, no resume session
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_resume_open(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_mig_session *sess;

	lockdep_assert_held(&mig->state_mutex);
	if (WARN_ON_ONCE(mig->resume_sess))
		return -EBUSY;
	sess = i40e_vf_mdev_mig_session_new(mig, true);
	if (!sess)
		return -ENOMEM;
	mig->resume_sess = sess;
	mig->gen++;
	return 0;
}

/**
 * i40e_vf_mdev_mig_resume_load() - finish the stream and apply it
 * @mig: the engine, state_mutex held, a resume session open
 *
 * Nothing reaches the device unless the whole stream is valid.
 *
 * Return: 0, or a negative errno with the session still open (its
 * data_fd ended if the stream was complete).
 */
int i40e_vf_mdev_mig_resume_load(struct i40e_vf_mdev_mig *mig)
{
	struct i40e_vf_mdev_mig_session *sess = mig->resume_sess;
	struct i40e_vf_mdev_parser *p = &sess->load;
	const struct i40e_vf_mdev_state *state;
	int ret;

	lockdep_assert_held(&mig->state_mutex);
	mutex_lock(&sess->lock);
	ret = i40e_vf_mdev_parser_finish(p);
	if (ret) {
		i40e_vf_mdev_mig_load_report(sess);
		mutex_unlock(&sess->lock);
		return ret;
	}
	/*
	 * The stream is complete: the data_fd has nothing more to send and
	 * fails from now on, so that the parser stays as it is while the
	 * device is loaded without the session's lock (vfio-pci-core's
	 * memory_lock is taken inside).  The session itself stays until the
	 * arc succeeds.
	 */
	sess->disabled = true;
	mutex_unlock(&sess->lock);
	wake_up_interruptible_all(&sess->poll_wait);

	state = i40e_vf_mdev_parser_state(p);
	ret = i40e_vf_mdev_devstate_load(mig->idev, state);
	spin_lock(&mig->stats_lock);
	if (ret) {
		mig->stats.rejected++;
		snprintf(mig->stats.last_error, sizeof(mig->stats.last_error),
			 "cannot apply the state to the device: %d", ret);
	} else {
		mig->stats.loaded++;
		mig->stats.loaded_len = p->len;
		mig->stats.loaded_crc = i40e_vf_mdev_crc32(0, p->buf, p->len);
	}
	spin_unlock(&mig->stats_lock);
	if (!ret)
		dev_dbg(i40e_vf_mdev_mig_dev(mig),
			"device state loaded: %zu bytes, %u records\n",
			p->len, state->nr_records);
	return ret;
}

/**
 * i40e_vf_mdev_mig_resume_close() - end the resume session, if any
 * @mig: the engine, state_mutex held
 */
void i40e_vf_mdev_mig_resume_close(struct i40e_vf_mdev_mig *mig)
{
	lockdep_assert_held(&mig->state_mutex);
	i40e_vf_mdev_mig_session_end(&mig->resume_sess);
}
