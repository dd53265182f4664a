/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: the migration engine, shared by its files
 *
 *	mig_engine.c	vfio_migration_ops, open/close/reset, the deferred reset
 *	mig_arcs.c	the state machine: one function, one case per arc
 *	mig_session.c	save and resume sessions (stream buffers)
 *	mig_file.c	the v2 data_fd of a session
 *
 * The v1 region (mig_v1.c), debugfs and the attach points for vfio_ops.c
 * (mig.c) use the engine through this header; the engine never calls them.
 *
 * Locks, outermost first:
 *  - &i40e_vf_mdev_mig_session.io_lock: one data_fd's read or write, held
 *    across copy_to_user()/copy_from_user(); taken by nothing else;
 *  - &i40e_vf_mdev_mig.state_mutex: the state and the arcs; never held
 *    across a user copy;
 *  - &i40e_vf_mdev_mig_session.lock: a session's stream and its
 *    "disabled" flag; never held across a user copy;
 *  - &i40e_vf_mdev_mig.stats_lock: the counters.
 */
#ifndef I40E_VF_MDEV_MIG_ENGINE_H
#define I40E_VF_MDEV_MIG_ENGINE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>
#include <linux/wait.h>

#include "i40e_vf_mdev.h"
#include "mig_fsm.h"
#include "stream.h"

struct i40e_vf_mdev_mig_v1;

/**
 * struct i40e_vf_mdev_mig_stats - migration counters, exposed in debugfs
 * @saved: save streams completed (END written)
 * @saved_len: length of the last one
 * @saved_crc: CRC-32 (zlib) of the last one, END record included
 * @loaded: streams accepted and applied on RESUMING -> STOP
 * @loaded_len: length of the last one
 * @loaded_crc: CRC-32 (zlib) of the last one, END record included
 * @rejected: streams the parser rejected, or whose state could not be
 *	applied
 * @resets: device resets seen while migration state was set up
 * @last_error: why the last stream was rejected, NUL-terminated
 */
struct i40e_vf_mdev_mig_stats {
	u64 saved;
	u64 saved_len;
	u32 saved_crc;
	u64 loaded;
	u64 loaded_len;
	u32 loaded_crc;
	u64 rejected;
	u64 resets;
	char last_error[I40E_VF_MDEV_ERR_MSG_LEN];
};

/**
 * struct i40e_vf_mdev_mig_session - one save or resume session
 * @ref: one reference for the engine while the session is current, one
 *	for its data_fd if it has one
 * @io_lock: serialises the data_fd's read/write/ioctl and protects @pos;
 *	held across user copies, taken by nothing but the data_fd
 * @lock: protects everything below; never held across a user copy
 * @disabled: the session ended (arc, reset, close): every data_fd
 *	operation fails with -ENODEV from now on
 * @mig: the engine; valid only while !@disabled, under @lock
 * @resume: a resume session (@load), else a save session (@save)
 * @reported: why @load rejected the stream has been logged
 * @save: the save stream; @save.buf has a fixed capacity, so the bytes
 *	below @save.len never move or change and are read without @lock
 * @load: the resume parser
 * @buf: the stream buffer (@save.buf or @load.buf), I40E_VF_MDEV_STREAM_MAX
 *	bytes, owned by the session and freed with its last reference
 * @pos: bytes the data_fd has read (save sessions)
 * @poll_wait: woken when save data is appended or the session ends
 */
struct i40e_vf_mdev_mig_session {
	struct kref ref;
	struct mutex io_lock;		/* see above */
	struct mutex lock;		/* see above */
	bool disabled;
	struct i40e_vf_mdev_mig *mig;
	bool resume;
	bool reported;
	struct i40e_vf_mdev_writer save;
	struct i40e_vf_mdev_parser load;
	void *buf;
	u64 pos;
	wait_queue_head_t poll_wait;
};

/**
 * struct i40e_vf_mdev_mig - migration engine state of one device
 * @idev: the device
 * @state_mutex: serialises state changes and protects everything below
 *	except @deferred_reset and @stats; released with
 *	i40e_vf_mdev_mig_unlock()
 * @reset_lock: protects @deferred_reset
 * @deferred_reset: a device reset happened while @state_mutex was held;
 *	the holder returns the engine to RUNNING when it unlocks
 * @state: current v2 state
 * @ident: this device's identity and supported stream features
 * @quiesced: the PF stopped the VF's DMA (P2P states, STOP, STOP_COPY)
 * @frozen: the PF froze the VF (STOP, STOP_COPY)
 * @pf_reset_gen: the PF's count of the VF's resets when it was quiesced
 * @gen: session generation, incremented whenever a session opens or the
 *	engine is reset, so that a front end can tell it did not do it
 * @save_sess: the current save session, or NULL
 * @resume_sess: the current resume session, or NULL
 * @v1: the v1 region's state; owned by mig_v1.c, never used here
 * @stats_lock: protects @stats
 * @stats: counters for debugfs
 */
struct i40e_vf_mdev_mig {
	struct i40e_vf_mdev_dev *idev;
	struct mutex state_mutex;	/* see above */
	spinlock_t reset_lock;		/* protects deferred_reset */
	bool deferred_reset;
	enum vfio_device_mig_state state;
	struct i40e_vf_mdev_stream_ident ident;
	bool quiesced;
	bool frozen;
	u32 pf_reset_gen;
	u32 gen;
	struct i40e_vf_mdev_mig_session *save_sess;
	struct i40e_vf_mdev_mig_session *resume_sess;
	struct i40e_vf_mdev_mig_v1 *v1;
	spinlock_t stats_lock;		/* protects stats */
	struct i40e_vf_mdev_mig_stats stats;
};

/* mig_engine.c */
int i40e_vf_mdev_mig_engine_init(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_engine_release(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_mig_engine_open(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_unlock(struct i40e_vf_mdev_mig *mig);
struct device *i40e_vf_mdev_mig_dev(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_stats(struct i40e_vf_mdev_mig *mig,
			    struct i40e_vf_mdev_mig_stats *st);

/* mig_arcs.c */
bool i40e_vf_mdev_mig_resume_lost(struct i40e_vf_mdev_mig *mig);
int i40e_vf_mdev_mig_set_state_locked(struct i40e_vf_mdev_mig *mig,
				      enum vfio_device_mig_state target,
				      struct file **filp);

/* mig_session.c */
int i40e_vf_mdev_mig_save_open(struct i40e_vf_mdev_mig *mig);
int i40e_vf_mdev_mig_save_final(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_save_close(struct i40e_vf_mdev_mig *mig);
int i40e_vf_mdev_mig_resume_open(struct i40e_vf_mdev_mig *mig);
int i40e_vf_mdev_mig_resume_load(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_resume_close(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_load_report(struct i40e_vf_mdev_mig_session *sess);
void i40e_vf_mdev_mig_session_put(struct i40e_vf_mdev_mig_session *sess);

/* mig_file.c */
struct file *i40e_vf_mdev_mig_file_new(struct i40e_vf_mdev_mig_session *sess);

#endif /* I40E_VF_MDEV_MIG_ENGINE_H */
