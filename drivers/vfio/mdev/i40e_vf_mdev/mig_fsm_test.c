// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the migration state machine: that the paths of
 * vfio_mig_get_next_state() (the kernel's in KUnit, the copy in
 * tests/unit/include/linux/vfio.h in userspace) are made of the arcs the
 * engine implements (mig_arcs.c) for every (from, to) pair, and the v1
 * device_state mapping and transitions.
 */
#include <kunit/test.h>
#include <linux/vfio.h>

#include "mig_fsm.h"

#define NR	I40E_VF_MDEV_MIG_NR_STATES
#define END	0xff

#define STOP		VFIO_DEVICE_STATE_STOP
#define RUN		VFIO_DEVICE_STATE_RUNNING
#define SC		VFIO_DEVICE_STATE_STOP_COPY
#define RES		VFIO_DEVICE_STATE_RESUMING
#define RP2P		VFIO_DEVICE_STATE_RUNNING_P2P
#define PRE		VFIO_DEVICE_STATE_PRE_COPY
#define PP2P		VFIO_DEVICE_STATE_PRE_COPY_P2P
#define ERR		VFIO_DEVICE_STATE_ERROR

static const u32 flag_sets[] = {
	VFIO_MIGRATION_STOP_COPY,
	VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P,
	VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_PRE_COPY,
	VFIO_MIGRATION_STOP_COPY | VFIO_MIGRATION_P2P | VFIO_MIGRATION_PRE_COPY,
};

/*
 * The combination paths listed in the comment of vfio_mig_get_next_state()
 * (Linux 6.12) for a device with P2P and PRE_COPY.
 */
static const u8 kernel_paths[][6] = {
	{ PRE, PP2P, SC, END },
	{ PRE, RUN, RP2P, END },
	{ PRE, RUN, RP2P, STOP, END },
	{ PRE, RUN, RP2P, STOP, RES, END },
	{ PP2P, RP2P, RUN, END },
	{ PP2P, RP2P, STOP, END },
	{ PP2P, RP2P, STOP, RES, END },
	{ RES, STOP, RP2P, END },
	{ RES, STOP, RP2P, PP2P, END },
	{ RES, STOP, RP2P, RUN, END },
	{ RES, STOP, RP2P, RUN, PRE, END },
	{ RES, STOP, SC, END },
	{ RUN, RP2P, PP2P, END },
	{ RUN, RP2P, STOP, END },
	{ RUN, RP2P, STOP, RES, END },
	{ RUN, RP2P, STOP, SC, END },
	{ RP2P, RUN, PRE, END },
	{ RP2P, STOP, RES, END },
	{ RP2P, STOP, SC, END },
	{ STOP, RP2P, PP2P, END },
	{ STOP, RP2P, RUN, END },
	{ STOP, RP2P, RUN, PRE, END },
	{ SC, STOP, RES, END },
	{ SC, STOP, RP2P, END },
	{ SC, STOP, RP2P, RUN, END },
};

/* The arcs the kernel requires a driver with P2P and PRE_COPY to have. */
static const u8 kernel_arcs[][2] = {
	{ RES, STOP }, { STOP, RES }, { STOP, SC }, { SC, STOP },
	{ RUN, RP2P }, { RP2P, RUN }, { RP2P, STOP }, { STOP, RP2P },
	{ PRE, RUN }, { PRE, PP2P }, { PP2P, PRE }, { PP2P, RP2P },
	{ PP2P, SC }, { RUN, PRE }, { RP2P, PP2P },
};

#define F_SC	VFIO_MIGRATION_STOP_COPY
#define F_P2P	VFIO_MIGRATION_P2P
#define F_PRE	VFIO_MIGRATION_PRE_COPY

/* Whether a state exists for a device with @flags (never ERROR) */
static bool supported(u32 flags, unsigned int s)
{
	static const u32 needs[NR] = {
		[STOP] = F_SC, [RUN] = F_SC, [SC] = F_SC, [RES] = F_SC,
		[RP2P] = F_SC | F_P2P, [PRE] = F_SC | F_PRE,
		[PP2P] = F_SC | F_P2P | F_PRE,
	};

	return s < NR && s != ERR && (needs[s] & flags) == needs[s];
}

/*
 * The arcs a driver implements for each feature set, as the comment of
 * vfio_mig_get_next_state() lists them; with I40E_VF_MDEV_MIG_FLAGS they
 * are the cases of i40e_vf_mdev_mig_step().
 */
static const struct {
	u8 from, to, needs, without;
} arcs[] = {
	{ STOP, RES, 0, 0 }, { RES, STOP, 0, 0 },
	{ STOP, SC, 0, 0 }, { SC, STOP, 0, 0 },
	{ RUN, STOP, 0, F_P2P }, { STOP, RUN, 0, F_P2P },
	{ RUN, RP2P, F_P2P, 0 }, { RP2P, RUN, F_P2P, 0 },
	{ RP2P, STOP, F_P2P, 0 }, { STOP, RP2P, F_P2P, 0 },
	{ RUN, PRE, F_PRE, 0 }, { PRE, RUN, F_PRE, 0 },
	{ PRE, SC, F_PRE, F_P2P },
	{ PRE, PP2P, F_PRE | F_P2P, 0 }, { PP2P, PRE, F_PRE | F_P2P, 0 },
	{ PP2P, RP2P, F_PRE | F_P2P, 0 }, { PP2P, SC, F_PRE | F_P2P, 0 },
	{ RP2P, PP2P, F_PRE | F_P2P, 0 },
};

/* Index of the arc @from -> @to in arcs[] for @flags, or -1 */
static int arc(u32 flags, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(arcs); i++)
		if (arcs[i].from == from && arcs[i].to == to &&
		    (flags & arcs[i].needs) == arcs[i].needs &&
		    !(flags & arcs[i].without))
			return i;
	return -1;
}

/*
 * vfio_mig_get_next_state() for a device with @flags, called as the engine
 * calls it: never from ERROR or an unsupported state (the kernel WARNs).
 */
static int next_state(u32 flags, unsigned int cur, unsigned int new,
		      enum vfio_device_mig_state *next)
{
	static struct vfio_device vdev;

	*next = ERR;
	if (!supported(flags, cur))
		return -EINVAL;
	vdev.migration_flags = flags;
	return vfio_mig_get_next_state(&vdev, cur, new, next);
}

/*
 * Independent oracle: length of the shortest path over the arc table that
 * enters a saving state only as its last step or from a saving state.
 */
static int shortest(u32 flags, unsigned int from, unsigned int to)
{
	int dist[NR];
	unsigned int queue[NR], head = 0, tail = 0, a, b;

	for (a = 0; a < NR; a++)
		dist[a] = -1;
	dist[from] = 0;
	queue[tail++] = from;
	while (head < tail) {
		a = queue[head++];
		if (a == to)
			return dist[a];
		for (b = 0; b < NR; b++) {
			if (dist[b] >= 0 || arc(flags, a, b) < 0)
				continue;
			if (i40e_vf_mdev_mig_saving(b) && b != to &&
			    !i40e_vf_mdev_mig_saving(a))
				continue;
			dist[b] = dist[a] + 1;
			queue[tail++] = b;
		}
	}
	return -1;
}

static void kernel_combination_paths(struct kunit *test)
{
	u32 flags = I40E_VF_MDEV_MIG_FLAGS;
	unsigned int i, j, len;

	for (i = 0; i < ARRAY_SIZE(kernel_paths); i++) {
		const u8 *path = kernel_paths[i];
		enum vfio_device_mig_state cur = path[0], next;

		for (len = 0; path[len] != END; len++)
			;
		for (j = 1; j < len; j++) {
			KUNIT_ASSERT_EQ(test,
					next_state(flags, cur, path[len - 1],
						   &next), 0);
			KUNIT_EXPECT_EQ_MSG(test, next, path[j], "path %u step %u",
					    i, j);
			cur = next;
		}
	}
}

static void kernel_required_arcs(struct kunit *test)
{
	u32 flags = I40E_VF_MDEV_MIG_FLAGS;
	unsigned int i, a, b, count = 0;
	enum vfio_device_mig_state next;

	for (i = 0; i < ARRAY_SIZE(kernel_arcs); i++) {
		a = kernel_arcs[i][0];
		b = kernel_arcs[i][1];
		KUNIT_EXPECT_GE(test, arc(flags, a, b), 0);
		KUNIT_EXPECT_EQ(test, next_state(flags, a, b, &next), 0);
		KUNIT_EXPECT_EQ(test, next, b);
	}
	/* ... and no other arc is used with these flags. */
	for (a = 0; a < NR; a++)
		for (b = 0; b < NR; b++)
			count += arc(flags, a, b) >= 0;
	KUNIT_EXPECT_EQ(test, count, ARRAY_SIZE(kernel_arcs));

	/* Blocked combinations. */
	KUNIT_EXPECT_EQ(test, next_state(flags, SC, PRE, &next), -EINVAL);
	KUNIT_EXPECT_EQ(test, next, ERR);
	KUNIT_EXPECT_EQ(test, next_state(flags, SC, PP2P, &next), -EINVAL);
}

/*
 * Walk from @cur to @new one next_state() step at a time; every step must
 * be an arc, interior states must not open a save session. Marks the arcs
 * used. Return: the number of steps.
 */
static int walk(struct kunit *test, u32 flags, unsigned int cur,
		unsigned int new, bool *used)
{
	enum vfio_device_mig_state s = cur, next;
	int steps = 0, i;

	while (s != new) {
		KUNIT_ASSERT_EQ(test, next_state(flags, s, new, &next), 0);
		i = arc(flags, s, next);
		KUNIT_ASSERT_GE_MSG(test, i, 0,
				    "flags %x: %s -> %s is not an arc",
				    flags, i40e_vf_mdev_mig_state_name(s),
				    i40e_vf_mdev_mig_state_name(next));
		used[i] = true;
		if (next != new && !i40e_vf_mdev_mig_saving(s))
			KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_mig_saving(next));
		s = next;
		KUNIT_ASSERT_LT(test, ++steps, NR);
	}
	return steps;
}

static void every_pair_every_flag_set(struct kunit *test)
{
	unsigned int f, cur, new, i;
	enum vfio_device_mig_state next;
	bool used[ARRAY_SIZE(arcs)] = { false };
	u32 flags;
	bool valid;
	int ret;

	for (f = 0; f < ARRAY_SIZE(flag_sets); f++) {
		flags = flag_sets[f];
		for (cur = 0; cur < NR + 1; cur++) {
			for (new = 0; new < NR + 1; new++) {
				valid = cur < NR && new < NR &&
					cur != ERR && new != ERR &&
					supported(flags, cur) &&
					supported(flags, new) &&
					!(cur == SC && (new == PRE || new == PP2P));
				ret = next_state(flags, cur, new, &next);
				KUNIT_EXPECT_EQ_MSG(test, ret == 0, valid,
						    "flags %x %u -> %u", flags,
						    cur, new);
				if (!valid) {
					KUNIT_EXPECT_EQ(test, next, ERR);
					continue;
				}
				if (cur == new)
					KUNIT_EXPECT_EQ(test, next, cur);
				KUNIT_EXPECT_EQ_MSG(test, walk(test, flags, cur,
							       new, used),
						    shortest(flags, cur, new),
						    "flags %x %s -> %s", flags,
						    i40e_vf_mdev_mig_state_name(cur),
						    i40e_vf_mdev_mig_state_name(new));
			}
		}
	}
	/* Every arc in the table is used by some path. */
	for (i = 0; i < ARRAY_SIZE(arcs); i++)
		KUNIT_EXPECT_TRUE_MSG(test, used[i], "arc %s -> %s unused",
				      i40e_vf_mdev_mig_state_name(arcs[i].from),
				      i40e_vf_mdev_mig_state_name(arcs[i].to));
}

static void state_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_mig_state_name(PP2P),
			   "PRE_COPY_P2P");
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_mig_state_name(ERR), "ERROR");
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_mig_state_name(NR), "INVALID");
	KUNIT_EXPECT_FALSE(test, supported(~0U, NR));
	KUNIT_EXPECT_FALSE(test, supported(~0U, ERR));
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_mig_saving(SC));
	KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_mig_saving(RES));
	KUNIT_EXPECT_EQ(test, I40E_VF_MDEV_MIG_FLAGS, 7);
}

#define V1_RUN		VFIO_DEVICE_STATE_V1_RUNNING
#define V1_SAV		VFIO_DEVICE_STATE_V1_SAVING
#define V1_RES		VFIO_DEVICE_STATE_V1_RESUMING

static void v1_state_mapping(struct kunit *test)
{
	static const int expect[8] = {
		STOP, RUN, SC, PRE, RES, -1, ERR, -1,
	};
	enum vfio_device_mig_state s;
	unsigned int v;

	for (v = 0; v < 8; v++) {
		s = NR;
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_v1_to_state(v, &s),
				expect[v] < 0 ? -EINVAL : 0);
		if (expect[v] >= 0) {
			KUNIT_EXPECT_EQ(test, s, expect[v]);
			KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_state_to_v1(s), v);
		}
	}
	for (v = 3; v < 32; v++)
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_v1_to_state(BIT(v), &s),
				-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_state_to_v1(RP2P), V1_RUN);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_state_to_v1(PP2P),
			V1_SAV | V1_RUN);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_state_to_v1(ERR),
			I40E_VF_MDEV_V1_STATE_ERROR);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_state_to_v1(NR),
			I40E_VF_MDEV_V1_STATE_ERROR);
}

static void v1_every_transition(struct kunit *test)
{
	unsigned int from, to;
	enum vfio_device_mig_state a, b, next;

	for (from = 0; from < 8; from++) {
		for (to = 0; to < 8; to++) {
			bool writable_from = from <= V1_RES;
			bool writable_to = to <= V1_RES;
			bool expect = writable_from && writable_to &&
				      !(from == V1_SAV && to == (V1_SAV | V1_RUN));
			int ret = i40e_vf_mdev_mig_v1_check(from, to);

			KUNIT_EXPECT_EQ_MSG(test, ret, expect ? 0 : -EINVAL,
					    "v1 %u -> %u", from, to);
			if (!writable_from || !writable_to)
				continue;
			/* Same verdict as the v2 path search. */
			KUNIT_ASSERT_EQ(test, i40e_vf_mdev_mig_v1_to_state(from, &a),
					0);
			KUNIT_ASSERT_EQ(test, i40e_vf_mdev_mig_v1_to_state(to, &b),
					0);
			KUNIT_EXPECT_EQ(test,
					next_state(I40E_VF_MDEV_MIG_FLAGS, a, b,
						   &next) == 0,
					expect);
		}
	}
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_v1_check(V1_RUN | BIT(3),
							V1_RUN | BIT(3)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_mig_v1_check(V1_RUN, BIT(31)),
			-EINVAL);
}

/* The device_state sequences QEMU 7.2 writes (shared/notes/ecosystem.md). */
static void v1_qemu72_sequences(struct kunit *test)
{
	static const u8 seqs[][6] = {
		/* live migration source */
		{ V1_RUN, V1_SAV | V1_RUN, V1_SAV, V1_SAV, 0, END },
		/* cancel during pre-copy, failure after stop, VM restart */
		{ V1_RUN, V1_SAV | V1_RUN, V1_RUN, END },
		{ V1_RUN, V1_SAV | V1_RUN, V1_SAV, V1_RUN, END },
		{ V1_RUN, V1_SAV | V1_RUN, V1_SAV, 0, V1_RUN, END },
		/* savevm; migration of a paused VM */
		{ V1_RUN, V1_SAV, V1_SAV, 0, V1_RUN, END },
		{ V1_RUN, 0, V1_SAV, 0, END },
		/* destination, and its failure */
		{ V1_RUN, V1_RES, V1_RUN, END },
		{ V1_RUN, V1_RES, V1_RES, V1_RUN, END },
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(seqs); i++) {
		for (j = 1; seqs[i][j] != END; j++) {
			enum vfio_device_mig_state a, b, next;

			KUNIT_EXPECT_EQ_MSG(test,
					    i40e_vf_mdev_mig_v1_check(seqs[i][j - 1],
								      seqs[i][j]),
					    0, "sequence %u step %u", i, j);
			KUNIT_ASSERT_EQ(test,
					i40e_vf_mdev_mig_v1_to_state(seqs[i][j - 1],
								     &a), 0);
			KUNIT_ASSERT_EQ(test,
					i40e_vf_mdev_mig_v1_to_state(seqs[i][j],
								     &b), 0);
			while (a != b) {
				KUNIT_ASSERT_EQ(test,
						next_state(I40E_VF_MDEV_MIG_FLAGS, a,
							   b, &next), 0);
				KUNIT_ASSERT_GE(test, arc(I40E_VF_MDEV_MIG_FLAGS,
							  a, next), 0);
				a = next;
			}
		}
	}
}

static struct kunit_case fsm_cases[] = {
	KUNIT_CASE(kernel_combination_paths),
	KUNIT_CASE(kernel_required_arcs),
	KUNIT_CASE(every_pair_every_flag_set),
	KUNIT_CASE(state_names),
	KUNIT_CASE(v1_state_mapping),
	KUNIT_CASE(v1_every_transition),
	KUNIT_CASE(v1_qemu72_sequences),
	{}
};

static struct kunit_suite fsm_suite = {
	.name = "i40e_vf_mdev_mig_fsm",
	.test_cases = fsm_cases,
};

kunit_test_suite(fsm_suite);
