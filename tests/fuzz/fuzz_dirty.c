// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: dirty tracking (dirty_set.c) against the ground truth
 * of the simulation in dirty_set_sim.h.
 *
 * The input is a program of 8-byte steps for the simulated guest, device
 * and migration driver: posts, receives, reports of any window, tracking
 * start and stop, ring reconfiguration, tails the ring cannot have,
 * descriptor rewrites.  Checked on every input:
 *
 *  - no crash, no sanitizer report;
 *  - no miss: every page the device wrote while tracking was reported by
 *    a report of its window after the write, the final one included;
 *  - the set never reports a page outside the tracked ranges;
 *  - the same for the type1 outlet's rules (pins through the rings'
 *    watch, a model of type1's reports), whose counts balance: nothing
 *    stays pinned after tracking stops.
 */
#include <stdlib.h>

#include "dirty_set_sim.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sim sm;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	sim_init(&sm);
	for (i = 0; i + 8 <= size; i += 8)
		sim_step(&sm, data + i);
	sim_stop(&sm);
	CHECK(sm.misses == 0);
	CHECK(sm.t1misses == 0);
	return 0;
}
