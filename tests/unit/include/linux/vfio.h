/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the part of the kernel's <linux/vfio.h> that the
 * i40e_vf_mdev migration tests use: vfio_mig_get_next_state(), a copy of
 * Linux 6.12 drivers/vfio/vfio_main.c (the driver calls the kernel's own).
 * Like the kernel's, it must not be called with a current state the
 * device does not support (the kernel WARNs then): the engine never does.
 */
#ifndef I40E_VF_MDEV_TEST_LINUX_VFIO_H
#define I40E_VF_MDEV_TEST_LINUX_VFIO_H

#include "i40e_vf_mdev_user.h"

/* Only what vfio_mig_get_next_state() reads */
struct vfio_device {
	u32 migration_flags;
};

static inline int
vfio_mig_get_next_state(struct vfio_device *device,
			enum vfio_device_mig_state cur_fsm,
			enum vfio_device_mig_state new_fsm,
			enum vfio_device_mig_state *next_fsm)
{
	enum { VFIO_DEVICE_NUM_STATES = VFIO_DEVICE_STATE_PRE_COPY_P2P + 1 };
	enum { S_STOP = VFIO_DEVICE_STATE_STOP,
	       S_RUN = VFIO_DEVICE_STATE_RUNNING,
	       S_SC = VFIO_DEVICE_STATE_STOP_COPY,
	       S_RES = VFIO_DEVICE_STATE_RESUMING,
	       S_RP2P = VFIO_DEVICE_STATE_RUNNING_P2P,
	       S_PRE = VFIO_DEVICE_STATE_PRE_COPY,
	       S_PP2P = VFIO_DEVICE_STATE_PRE_COPY_P2P,
	       S_ERR = VFIO_DEVICE_STATE_ERROR };
	static const u8 table[VFIO_DEVICE_NUM_STATES][VFIO_DEVICE_NUM_STATES] = {
		[S_STOP] = {
			[S_STOP] = S_STOP, [S_RUN] = S_RP2P, [S_PRE] = S_RP2P,
			[S_PP2P] = S_RP2P, [S_SC] = S_SC, [S_RES] = S_RES,
			[S_RP2P] = S_RP2P, [S_ERR] = S_ERR,
		},
		[S_RUN] = {
			[S_STOP] = S_RP2P, [S_RUN] = S_RUN, [S_PRE] = S_PRE,
			[S_PP2P] = S_RP2P, [S_SC] = S_RP2P, [S_RES] = S_RP2P,
			[S_RP2P] = S_RP2P, [S_ERR] = S_ERR,
		},
		[S_PRE] = {
			[S_STOP] = S_RUN, [S_RUN] = S_RUN, [S_PRE] = S_PRE,
			[S_PP2P] = S_PP2P, [S_SC] = S_PP2P, [S_RES] = S_RUN,
			[S_RP2P] = S_RUN, [S_ERR] = S_ERR,
		},
		[S_PP2P] = {
			[S_STOP] = S_RP2P, [S_RUN] = S_RP2P, [S_PRE] = S_PRE,
			[S_PP2P] = S_PP2P, [S_SC] = S_SC, [S_RES] = S_RP2P,
			[S_RP2P] = S_RP2P, [S_ERR] = S_ERR,
		},
		[S_SC] = {
			[S_STOP] = S_STOP, [S_RUN] = S_STOP, [S_PRE] = S_ERR,
			[S_PP2P] = S_ERR, [S_SC] = S_SC, [S_RES] = S_STOP,
			[S_RP2P] = S_STOP, [S_ERR] = S_ERR,
		},
		[S_RES] = {
			[S_STOP] = S_STOP, [S_RUN] = S_STOP, [S_PRE] = S_STOP,
			[S_PP2P] = S_STOP, [S_SC] = S_STOP, [S_RES] = S_RES,
			[S_RP2P] = S_STOP, [S_ERR] = S_ERR,
		},
		[S_RP2P] = {
			[S_STOP] = S_STOP, [S_RUN] = S_RUN, [S_PRE] = S_RUN,
			[S_PP2P] = S_PP2P, [S_SC] = S_STOP, [S_RES] = S_STOP,
			[S_RP2P] = S_RP2P, [S_ERR] = S_ERR,
		},
		[S_ERR] = {
			[S_STOP] = S_ERR, [S_RUN] = S_ERR, [S_PRE] = S_ERR,
			[S_PP2P] = S_ERR, [S_SC] = S_ERR, [S_RES] = S_ERR,
			[S_RP2P] = S_ERR, [S_ERR] = S_ERR,
		},
	};
	static const unsigned int flags[VFIO_DEVICE_NUM_STATES] = {
		[S_STOP] = VFIO_MIGRATION_STOP_COPY,
		[S_RUN] = VFIO_MIGRATION_STOP_COPY,
		[S_PRE] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY,
		[S_PP2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
			   VFIO_MIGRATION_PRE_COPY,
		[S_SC] = VFIO_MIGRATION_STOP_COPY,
		[S_RES] = VFIO_MIGRATION_STOP_COPY,
		[S_RP2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,
		[S_ERR] = ~0U,
	};
	u32 f = device->migration_flags;

	/* The kernel WARN_ON()s here */
	assert(!((unsigned int)cur_fsm >= VFIO_DEVICE_NUM_STATES ||
		 (flags[cur_fsm] & f) != flags[cur_fsm]));
	if ((unsigned int)new_fsm >= VFIO_DEVICE_NUM_STATES ||
	    (flags[new_fsm] & f) != flags[new_fsm])
		return -EINVAL;

	*next_fsm = table[cur_fsm][new_fsm];
	while (*next_fsm != (enum vfio_device_mig_state)S_ERR &&
	       (flags[*next_fsm] & f) != flags[*next_fsm])
		*next_fsm = table[*next_fsm][new_fsm];
	return *next_fsm != (enum vfio_device_mig_state)S_ERR ? 0 : -EINVAL;
}

#endif /* I40E_VF_MDEV_TEST_LINUX_VFIO_H */
