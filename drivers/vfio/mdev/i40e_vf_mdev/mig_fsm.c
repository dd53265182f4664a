// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev - migration state machine tables (pure logic).
 *
 * The next-state table and the state/feature table are those of
 * vfio_mig_get_next_state() in Linux 6.12 drivers/vfio/vfio_main.c, so a
 * path computed here is the path the VFIO core walks for a v2 request.
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

static const u8 next_table[I40E_VF_MDEV_MIG_NR_STATES]
			  [I40E_VF_MDEV_MIG_NR_STATES] = {
	[S_STOP] = {
		[S_STOP] = S_STOP,
		[S_RUNNING] = S_RUNNING_P2P,
		[S_PRE_COPY] = S_RUNNING_P2P,
		[S_PRE_COPY_P2P] = S_RUNNING_P2P,
		[S_STOP_COPY] = S_STOP_COPY,
		[S_RESUMING] = S_RESUMING,
		[S_RUNNING_P2P] = S_RUNNING_P2P,
		[S_ERROR] = S_ERROR,
	},
	[S_RUNNING] = {
		[S_STOP] = S_RUNNING_P2P,
		[S_RUNNING] = S_RUNNING,
		[S_PRE_COPY] = S_PRE_COPY,
		[S_PRE_COPY_P2P] = S_RUNNING_P2P,
		[S_STOP_COPY] = S_RUNNING_P2P,
		[S_RESUMING] = S_RUNNING_P2P,
		[S_RUNNING_P2P] = S_RUNNING_P2P,
		[S_ERROR] = S_ERROR,
	},
	[S_PRE_COPY] = {
		[S_STOP] = S_RUNNING,
		[S_RUNNING] = S_RUNNING,
		[S_PRE_COPY] = S_PRE_COPY,
		[S_PRE_COPY_P2P] = S_PRE_COPY_P2P,
		[S_STOP_COPY] = S_PRE_COPY_P2P,
		[S_RESUMING] = S_RUNNING,
		[S_RUNNING_P2P] = S_RUNNING,
		[S_ERROR] = S_ERROR,
	},
	[S_PRE_COPY_P2P] = {
		[S_STOP] = S_RUNNING_P2P,
		[S_RUNNING] = S_RUNNING_P2P,
		[S_PRE_COPY] = S_PRE_COPY,
		[S_PRE_COPY_P2P] = S_PRE_COPY_P2P,
		[S_STOP_COPY] = S_STOP_COPY,
		[S_RESUMING] = S_RUNNING_P2P,
		[S_RUNNING_P2P] = S_RUNNING_P2P,
		[S_ERROR] = S_ERROR,
	},
	[S_STOP_COPY] = {
		[S_STOP] = S_STOP,
		[S_RUNNING] = S_STOP,
		[S_PRE_COPY] = S_ERROR,
		[S_PRE_COPY_P2P] = S_ERROR,
		[S_STOP_COPY] = S_STOP_COPY,
		[S_RESUMING] = S_STOP,
		[S_RUNNING_P2P] = S_STOP,
		[S_ERROR] = S_ERROR,
	},
	[S_RESUMING] = {
		[S_STOP] = S_STOP,
		[S_RUNNING] = S_STOP,
		[S_PRE_COPY] = S_STOP,
		[S_PRE_COPY_P2P] = S_STOP,
		[S_STOP_COPY] = S_STOP,
		[S_RESUMING] = S_RESUMING,
		[S_RUNNING_P2P] = S_STOP,
		[S_ERROR] = S_ERROR,
	},
	[S_RUNNING_P2P] = {
		[S_STOP] = S_STOP,
		[S_RUNNING] = S_RUNNING,
		[S_PRE_COPY] = S_RUNNING,
		[S_PRE_COPY_P2P] = S_PRE_COPY_P2P,
		[S_STOP_COPY] = S_STOP,
		[S_RESUMING] = S_STOP,
		[S_RUNNING_P2P] = S_RUNNING_P2P,
		[S_ERROR] = S_ERROR,
	},
	[S_ERROR] = {
		[S_STOP] = S_ERROR,
		[S_RUNNING] = S_ERROR,
		[S_PRE_COPY] = S_ERROR,
		[S_PRE_COPY_P2P] = S_ERROR,
		[S_STOP_COPY] = S_ERROR,
		[S_RESUMING] = S_ERROR,
		[S_RUNNING_P2P] = S_ERROR,
		[S_ERROR] = S_ERROR,
	},
};

/* VFIO_MIGRATION_* flags a state needs; ERROR can never be requested. */
static const u32 state_flags[I40E_VF_MDEV_MIG_NR_STATES] = {
	[S_STOP] = VFIO_MIGRATION_STOP_COPY,
	[S_RUNNING] = VFIO_MIGRATION_STOP_COPY,
	[S_PRE_COPY] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY,
	[S_PRE_COPY_P2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P |
			 VFIO_MIGRATION_PRE_COPY,
	[S_STOP_COPY] = VFIO_MIGRATION_STOP_COPY,
	[S_RESUMING] = VFIO_MIGRATION_STOP_COPY,
	[S_RUNNING_P2P] = VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,
	[S_ERROR] = ~0U,
};

#define F_P2P	VFIO_MIGRATION_P2P
#define F_PRE	VFIO_MIGRATION_PRE_COPY
#define A(x)	I40E_VF_MDEV_ACT_##x

/* Every arc the engine implements, for every supported feature set. */
static const struct i40e_vf_mdev_mig_arc arcs[] = {
	/* VFIO_MIGRATION_STOP_COPY */
	{ S_STOP, S_RESUMING, 0, 0, A(RESUME_OPEN) | A(NEW_FD) },
	{ S_RESUMING, S_STOP, 0, 0, A(RESUME_LOAD) | A(RESUME_CLOSE) },
	{ S_STOP, S_STOP_COPY, 0, 0, A(SAVE_OPEN) | A(SAVE_FINAL) | A(NEW_FD) },
	{ S_STOP_COPY, S_STOP, 0, 0, A(SAVE_CLOSE) },
	/* ... without P2P */
	{ S_RUNNING, S_STOP, 0, F_P2P, A(QUIESCE) | A(FREEZE) },
	{ S_STOP, S_RUNNING, 0, F_P2P, A(UNFREEZE) | A(UNQUIESCE) },
	/* VFIO_MIGRATION_P2P */
	{ S_RUNNING, S_RUNNING_P2P, F_P2P, 0, A(QUIESCE) },
	{ S_RUNNING_P2P, S_RUNNING, F_P2P, 0, A(UNQUIESCE) },
	{ S_RUNNING_P2P, S_STOP, F_P2P, 0, A(FREEZE) },
	{ S_STOP, S_RUNNING_P2P, F_P2P, 0, A(UNFREEZE) },
	/* VFIO_MIGRATION_PRE_COPY */
	{ S_RUNNING, S_PRE_COPY, F_PRE, 0, A(SAVE_OPEN) | A(NEW_FD) },
	{ S_PRE_COPY, S_RUNNING, F_PRE, 0, A(SAVE_CLOSE) },
	/* ... without P2P */
	{ S_PRE_COPY, S_STOP_COPY, F_PRE, F_P2P,
	  A(QUIESCE) | A(FREEZE) | A(SAVE_FINAL) },
	/* VFIO_MIGRATION_PRE_COPY | VFIO_MIGRATION_P2P */
	{ S_PRE_COPY, S_PRE_COPY_P2P, F_PRE | F_P2P, 0, A(QUIESCE) },
	{ S_PRE_COPY_P2P, S_PRE_COPY, F_PRE | F_P2P, 0, A(UNQUIESCE) },
	{ S_PRE_COPY_P2P, S_RUNNING_P2P, F_PRE | F_P2P, 0, A(SAVE_CLOSE) },
	{ S_PRE_COPY_P2P, S_STOP_COPY, F_PRE | F_P2P, 0,
	  A(FREEZE) | A(SAVE_FINAL) },
	{ S_RUNNING_P2P, S_PRE_COPY_P2P, F_PRE | F_P2P, 0,
	  A(SAVE_OPEN) | A(NEW_FD) },
};

#undef A

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
 * i40e_vf_mdev_mig_state_supported - whether a state can be requested
 * @state: the state
 * @flags: VFIO_MIGRATION_* flags the device reports
 *
 * Return: true if @state exists for a device with @flags (never ERROR).
 */
bool i40e_vf_mdev_mig_state_supported(enum vfio_device_mig_state state,
				      u32 flags)
{
	if ((unsigned int)state >= I40E_VF_MDEV_MIG_NR_STATES ||
	    state == S_ERROR)
		return false;
	return (state_flags[state] & flags) == state_flags[state];
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_state_supported);

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

/**
 * i40e_vf_mdev_mig_next_state - next step on the way to a state
 * @flags: VFIO_MIGRATION_* flags the device reports
 * @cur: the current state
 * @new: the requested state
 * @next: set to the next state, one arc away from @cur
 *
 * Same algorithm and result as vfio_mig_get_next_state(). When @cur equals
 * @new, @next is @cur.
 *
 * Return: 0, or -EINVAL if @cur or @new is not supported with @flags, or
 * no path leads from @cur to @new (STOP_COPY to a PRE_COPY state, anything
 * from ERROR); @next is ERROR then.
 */
int i40e_vf_mdev_mig_next_state(u32 flags, enum vfio_device_mig_state cur,
				enum vfio_device_mig_state new,
				enum vfio_device_mig_state *next)
{
	*next = S_ERROR;
	if (!(flags & VFIO_MIGRATION_STOP_COPY) ||
	    (unsigned int)cur >= I40E_VF_MDEV_MIG_NR_STATES ||
	    (cur != S_ERROR &&
	     !i40e_vf_mdev_mig_state_supported(cur, flags)) ||
	    !i40e_vf_mdev_mig_state_supported(new, flags))
		return -EINVAL;

	/* Skip over states the device does not support. */
	*next = next_table[cur][new];
	while (*next != S_ERROR &&
	       !i40e_vf_mdev_mig_state_supported(*next, flags))
		*next = next_table[*next][new];

	return *next != S_ERROR ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_next_state);

/**
 * i40e_vf_mdev_mig_arc - look up a single arc
 * @flags: VFIO_MIGRATION_* flags the device reports
 * @from: state before the arc
 * @to: state after the arc
 *
 * The migration_set_state() implementation asks this for every step
 * vfio_mig_get_next_state() gives it: a step that is not an arc of the
 * table is a bug and must be refused.
 *
 * Return: the arc with its actions, or NULL if @from -> @to is not an arc
 * for a device with @flags.
 */
const struct i40e_vf_mdev_mig_arc *
i40e_vf_mdev_mig_arc(u32 flags, enum vfio_device_mig_state from,
		     enum vfio_device_mig_state to)
{
	unsigned int i;

	if (!(flags & VFIO_MIGRATION_STOP_COPY))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(arcs); i++) {
		const struct i40e_vf_mdev_mig_arc *arc = &arcs[i];

		if (arc->from == from && arc->to == to &&
		    (flags & arc->needs) == arc->needs &&
		    !(flags & arc->without))
			return arc;
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_arc);

/**
 * i40e_vf_mdev_mig_arcs - the whole arc table
 * @nr: set to the number of arcs
 *
 * Return: the table, for tests and documentation.
 */
const struct i40e_vf_mdev_mig_arc *i40e_vf_mdev_mig_arcs(unsigned int *nr)
{
	*nr = ARRAY_SIZE(arcs);
	return arcs;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_arcs);

/* v1 device_state values, indexed by the three state bits */
#define V1_STOP		I40E_VF_MDEV_V1_STATE_STOP
#define V1_RUNNING	I40E_VF_MDEV_V1_STATE_RUNNING
#define V1_SAVING	I40E_VF_MDEV_V1_STATE_SAVING
#define V1_RESUMING	I40E_VF_MDEV_V1_STATE_RESUMING
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
	if (v1 & ~I40E_VF_MDEV_V1_STATE_MASK || v1_to_v2[v1] < 0)
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
	if ((from | to) & ~I40E_VF_MDEV_V1_STATE_MASK)
		return -EINVAL;
	return v1_allowed[from] & BIT(to) ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_mig_v1_check);
