#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# stack: modern
# timeout: 1800
# Live migration with traffic through the mdev, QEMU 10.0 (Debian's
# backports, migration v2 with enable-migration=on: QEMU 10 refuses a
# VFIO device without DMA logging by default, and the driver has none
# yet, so the type1 container's dirty tracking is used): the first
# migration of tests/vm/mig-traffic.sh, with its verified traffic (the
# refusal and the round trips, which are the same for both front ends,
# run in mig-pf-v1).
. "$TOP/tests/vm/mdev-lib.sh"

check_stack modern
MIG_DEVOPT=enable-migration=on MIG_ROUNDS=1
. "$TOP/tests/vm/mig-traffic.sh"
