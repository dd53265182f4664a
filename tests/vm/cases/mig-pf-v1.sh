#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# model-pfs: 2
# timeout: 1800
# Live migration with traffic through the mdev, QEMU 7.2 (Debian 12's,
# v1 migration region, -device vfio-pci,...,x-enable-migration=on): the
# checks of tests/vm/mig-traffic.sh.
. "$TOP/tests/vm/mdev-lib.sh"

check_stack debian12
MIG_DEVOPT=x-enable-migration=on MIG_DOWNTIME_MS=3000
. "$TOP/tests/vm/mig-traffic.sh"
