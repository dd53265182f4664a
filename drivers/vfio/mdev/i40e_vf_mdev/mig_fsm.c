// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev - migration state names and the v1 device_state mapping
 * (pure logic).
 *
 * The v2 paths are vfio_mig_get_next_state()'s (drivers/vfio/vfio_main.c);
 * the arcs are i40e_vf_mdev_mig_step() (mig_arcs.c).
 */
#include "mig_fsm.h"

#define S_STOP		VFIO_DEVICE_STATE_STOP
#define S_RUNNING		VFIO_DEVICE_STATE_RUNNING
#define S_STOP_COPY	VFIO_DEVICE_STATE_STOP_COPY
#define S_RESUMING	VFIO_DEVICE_STATE_RESUMING
#define S_RUNNING_P2P	VFIO_DEVICE_STATE_RUNNING_P2P
#define S_PRE_COPY	VFIO_DEVICE_STATE_PRE_COPY
#define S_PRE_COPY_P2P	VFIO_DEVICE_STATE_PRE_COPY_P2P
#define S_ERROR		VFIO_DEVICE_STATE_ERROR

static_assert(I40E_VF_MDEV_MIG_NR_STATES == 8, "v2 uAPI state count");

/**
 * i40e_vf_mdev_mig_state_name - name of a v2 migration state
 * @state: the state
 *
 * Return: a static string such as "STOP_COPY", or "INVALID".
 */
const char *i40e_vf_mdev_mig_state_name(enum vfio_device_mig_state state)
{
	static const char * const names[I40E_VF_MDEV_MIG_NR_STATES] = {
		[S_ERROR] = "ERROR",
		[S_STOP] = "STOP",
		[S_RUNNING] = "RUNNING",
		[S_STOP_COPY] = "STOP_COPY",
		[S_RESUMING] = "RESUMING",
		[S_RUNNING_P2P] = "RUNNING_P2P",
		[S_PRE_COPY] = "PRE_COPY",
		[S_PRE_COPY_P2P] = "PRE_COPY_P2P",
	};

	if ((unsigned int)state >= ARRAY_SIZE(names))
		return "INVALID";
	return names[state];
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_state_name);

/**
 * i40e_vf_mdev_mig_saving - whether a state is in the "saving group"
 * @state: the state
 *
 * Return: true for PRE_COPY, PRE_COPY_P2P and STOP_COPY, the states that
 * share one save session (data_fd).
 */
bool i40e_vf_mdev_mig_saving(enum vfio_device_mig_state state)
{
	return state == S_PRE_COPY || state == S_PRE_COPY_P2P || state == S_STOP_COPY;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_saving);

/* v1 device_state values, indexed by the three state bits */
#define V1_STOP		VFIO_DEVICE_STATE_V1_STOP
#define V1_RUNNING	VFIO_DEVICE_STATE_V1_RUNNING
#define V1_SAVING	VFIO_DEVICE_STATE_V1_SAVING
#define V1_RESUMING	VFIO_DEVICE_STATE_V1_RESUMING
#define V1_PRECOPY	(V1_SAVING | V1_RUNNING)
#define V1_ERROR	I40E_VF_MDEV_V1_STATE_ERROR
#define V1_NR		8

/* v1 state -> v2 state; -1 for the invalid combinations 101b and 111b. */
static const s8 v1_to_v2[V1_NR] = {
	[V1_STOP] = S_STOP,
	[V1_RUNNING] = S_RUNNING,
	[V1_SAVING] = S_STOP_COPY,
	[V1_PRECOPY] = S_PRE_COPY,
	[V1_RESUMING] = S_RESUMING,
	[V1_RESUMING | V1_RUNNING] = -1,
	[V1_ERROR] = S_ERROR,
	[V1_ERROR | V1_RUNNING] = -1,
};

/*
 * Allowed v1 transitions: v1_allowed[from] has BIT(to) set if a write of
 * "to" is accepted in state "from". Every writable state can be reached
 * from every other, as the v2 paths allow, except stop-and-copy to
 * pre-copy (STOP_COPY -> PRE_COPY is blocked in v2 as well). Nothing
 * leaves ERROR but a device reset; ERROR and 101b/111b cannot be written.
 */
#define V1_WRITABLE	(BIT(V1_STOP) | BIT(V1_RUNNING) | BIT(V1_SAVING) | \
			 BIT(V1_PRECOPY) | BIT(V1_RESUMING))
static const u8 v1_allowed[V1_NR] = {
	[V1_STOP] = V1_WRITABLE,
	[V1_RUNNING] = V1_WRITABLE,
	[V1_SAVING] = V1_WRITABLE & ~BIT(V1_PRECOPY),
	[V1_PRECOPY] = V1_WRITABLE,
	[V1_RESUMING] = V1_WRITABLE,
};

/**
 * i40e_vf_mdev_mig_v1_to_state - v2 state for a v1 device_state value
 * @v1: device_state value (I40E_VF_MDEV_V1_STATE_* bits)
 * @state: set to the matching v2 state
 *
 * 000b STOP, 001b RUNNING, 010b STOP_COPY, 011b PRE_COPY, 100b RESUMING,
 * 110b ERROR.
 *
 * Return: 0, or -EINVAL for reserved bits or 101b/111b.
 */
int i40e_vf_mdev_mig_v1_to_state(u32 v1, enum vfio_device_mig_state *state)
{
	if (v1 & ~VFIO_DEVICE_STATE_MASK || v1_to_v2[v1] < 0)
		return -EINVAL;
	*state = v1_to_v2[v1];
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_v1_to_state);

/**
 * i40e_vf_mdev_mig_state_to_v1 - device_state value for a v2 state
 * @state: the v2 state
 *
 * The P2P states, which v1 does not have, read as their non-P2P twins;
 * they are only seen after a transition failed half way.
 *
 * Return: the v1 device_state value.
 */
u32 i40e_vf_mdev_mig_state_to_v1(enum vfio_device_mig_state state)
{
	switch (state) {
	case S_STOP:
		return V1_STOP;
	case S_RUNNING:
	case S_RUNNING_P2P:
		return V1_RUNNING;
	case S_STOP_COPY:
		return V1_SAVING;
	case S_PRE_COPY:
	case S_PRE_COPY_P2P:
		return V1_PRECOPY;
	case S_RESUMING:
		return V1_RESUMING;
	default:
		return V1_ERROR;
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_state_to_v1);

/**
 * i40e_vf_mdev_mig_v1_check - whether a v1 device_state write is allowed
 * @from: current device_state
 * @to: value written
 *
 * Return: 0 if allowed (including @to == @from), -EINVAL otherwise.
 */
int i40e_vf_mdev_mig_v1_check(u32 from, u32 to)
{
	if ((from | to) & ~VFIO_DEVICE_STATE_MASK)
		return -EINVAL;
	return v1_allowed[from] & BIT(to) ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_v1_check);
