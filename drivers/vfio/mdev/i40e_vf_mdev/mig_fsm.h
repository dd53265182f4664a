/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - migration states as pure logic: their names, the saving
 * group, and the mapping of the v1 region's device_state bits onto the v2
 * states with the table of v1 transitions that are allowed.  The v2 paths
 * are those of vfio_mig_get_next_state() (in userspace tests, a copy in
 * tests/unit/include/linux/vfio.h).
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

/* v1 device_state of a device that must be reset (SAVING | RESUMING) */
#define I40E_VF_MDEV_V1_STATE_ERROR	(VFIO_DEVICE_STATE_V1_SAVING | \
					 VFIO_DEVICE_STATE_V1_RESUMING)

#define I40E_VF_MDEV_MIG_NR_STATES	(VFIO_DEVICE_STATE_PRE_COPY_P2P + 1)

/* The migration features this driver implements. */
#define I40E_VF_MDEV_MIG_FLAGS	(VFIO_MIGRATION_STOP_COPY | \
				 VFIO_MIGRATION_P2P | \
				 VFIO_MIGRATION_PRE_COPY)

const char *i40e_vf_mdev_mig_state_name(enum vfio_device_mig_state state);
bool i40e_vf_mdev_mig_saving(enum vfio_device_mig_state state);

int i40e_vf_mdev_mig_v1_to_state(u32 v1, enum vfio_device_mig_state *state);
u32 i40e_vf_mdev_mig_state_to_v1(enum vfio_device_mig_state state);
int i40e_vf_mdev_mig_v1_check(u32 from, u32 to);

#endif /* I40E_VF_MDEV_MIG_FSM_H */
