/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - the migration state machine as pure logic.
 *
 * The v2 uAPI (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE) defines the states and
 * the arcs between them; a request for a state that is not one arc away is
 * walked as a path of arcs, the path the VFIO core's
 * vfio_mig_get_next_state() computes. This file has:
 *
 *  - i40e_vf_mdev_mig_next_state(): the same path algorithm, for the v1
 *    front end and for tests;
 *  - a table of the single arcs with what the engine must do on each
 *    (quiesce, freeze, open/finish/close a save or resume session);
 *  - the mapping of the v1 region's device_state bits onto those states
 *    and the table of v1 transitions that are allowed.
 */
#ifndef I40E_VF_MDEV_MIG_FSM_H
#define I40E_VF_MDEV_MIG_FSM_H

#include "i40e_vf_mdev_compat.h"

/*
 * enum vfio_device_mig_state and VFIO_MIGRATION_*: the kernel's uAPI
 * header; in userspace, copies of the 6.12 values come through
 * i40e_vf_mdev_compat.h.
 */
#ifdef __KERNEL__
#include <uapi/linux/vfio.h>
#endif
#include <linux/i40e_vf_mdev.h>

#define I40E_VF_MDEV_MIG_NR_STATES	(VFIO_DEVICE_STATE_PRE_COPY_P2P + 1)

/* The migration features this driver implements. */
#define I40E_VF_MDEV_MIG_FLAGS	(VFIO_MIGRATION_STOP_COPY | \
				 VFIO_MIGRATION_P2P | \
				 VFIO_MIGRATION_PRE_COPY)

/**
 * enum i40e_vf_mdev_mig_action - what the engine does on an arc
 * @I40E_VF_MDEV_ACT_QUIESCE: stop the VF's DMA (queues) and wait for it to
 *	finish; the P2P quiescent state (the VF cannot tell P2P DMA apart)
 * @I40E_VF_MDEV_ACT_UNQUIESCE: let the VF's queues run again
 * @I40E_VF_MDEV_ACT_FREEZE: stop the rest of the device: no interrupts,
 *	no mailbox processing, device state fixed from here on
 * @I40E_VF_MDEV_ACT_UNFREEZE: undo @I40E_VF_MDEV_ACT_FREEZE
 * @I40E_VF_MDEV_ACT_SAVE_OPEN: start a save session: a new stream whose
 *	header is available at once (the PRE_COPY data)
 * @I40E_VF_MDEV_ACT_SAVE_FINAL: append the device state and END to the
 *	save stream (the device is frozen by then)
 * @I40E_VF_MDEV_ACT_SAVE_CLOSE: end the save session (its fd reads EOF or
 *	fails from now on)
 * @I40E_VF_MDEV_ACT_RESUME_OPEN: start a resume session with a new parser
 * @I40E_VF_MDEV_ACT_RESUME_LOAD: finish the parser and apply the validated
 *	state to the device; failing leaves the device in RESUMING, unchanged
 * @I40E_VF_MDEV_ACT_RESUME_CLOSE: end the resume session
 * @I40E_VF_MDEV_ACT_NEW_FD: the arc returns a new data_fd (v2)
 *
 * Within an arc, actions run in the order of these bits, except that
 * @I40E_VF_MDEV_ACT_NEW_FD is created last.
 */
enum i40e_vf_mdev_mig_action {
	I40E_VF_MDEV_ACT_QUIESCE	= BIT(0),
	I40E_VF_MDEV_ACT_UNQUIESCE	= BIT(1),
	I40E_VF_MDEV_ACT_FREEZE		= BIT(2),
	I40E_VF_MDEV_ACT_UNFREEZE	= BIT(3),
	I40E_VF_MDEV_ACT_SAVE_OPEN	= BIT(4),
	I40E_VF_MDEV_ACT_SAVE_FINAL	= BIT(5),
	I40E_VF_MDEV_ACT_SAVE_CLOSE	= BIT(6),
	I40E_VF_MDEV_ACT_RESUME_OPEN	= BIT(7),
	I40E_VF_MDEV_ACT_RESUME_LOAD	= BIT(8),
	I40E_VF_MDEV_ACT_RESUME_CLOSE	= BIT(9),
	I40E_VF_MDEV_ACT_NEW_FD		= BIT(10),
};

/**
 * struct i40e_vf_mdev_mig_arc - one arc of the v2 state machine
 * @from: state before the arc
 * @to: state after the arc
 * @needs: VFIO_MIGRATION_* flags the device must support for the arc
 * @without: VFIO_MIGRATION_* flags the device must not support (the arc
 *	is replaced by others when they are supported)
 * @actions: I40E_VF_MDEV_ACT_* bits
 */
struct i40e_vf_mdev_mig_arc {
	u8 from;
	u8 to;
	u8 needs;
	u8 without;
	u16 actions;
};

const char *i40e_vf_mdev_mig_state_name(enum vfio_device_mig_state state);
bool i40e_vf_mdev_mig_state_supported(enum vfio_device_mig_state state,
				      u32 flags);
bool i40e_vf_mdev_mig_saving(enum vfio_device_mig_state state);
int i40e_vf_mdev_mig_next_state(u32 flags, enum vfio_device_mig_state cur,
				enum vfio_device_mig_state new,
				enum vfio_device_mig_state *next);
const struct i40e_vf_mdev_mig_arc *
i40e_vf_mdev_mig_arc(u32 flags, enum vfio_device_mig_state from,
		     enum vfio_device_mig_state to);
const struct i40e_vf_mdev_mig_arc *i40e_vf_mdev_mig_arcs(unsigned int *nr);

int i40e_vf_mdev_mig_v1_to_state(u32 v1, enum vfio_device_mig_state *state);
u32 i40e_vf_mdev_mig_state_to_v1(enum vfio_device_mig_state state);
int i40e_vf_mdev_mig_v1_check(u32 from, u32 to);

#endif /* I40E_VF_MDEV_MIG_FSM_H */
