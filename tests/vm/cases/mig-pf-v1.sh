#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# model-pfs: 2
# timeout: 1800
# allow-guest-errors: xl710: (Tx|Rx) queue [0-9]+: bus mastering off, queue stopped
# (the host's FLR of the running VF: Linux clears Bus Master Enable before
# it, and L2 may ring a doorbell in between; tests/model/README.md)
# Live migration with traffic through the mdev, QEMU 7.2 (v1 migration
# region, -device vfio-pci,...,x-enable-migration=on): the checks of
# tests/vm/mig-traffic.sh, between two builds of the same QEMU: the
# project's (patches/qemu: a consumer of the sparse mmap re-evaluation
# IRQ, Documentation/reeval.rst) runs the VM first (src, dst) and on every
# other round trip (r3, r5), Debian 12's the others, so that each hands
# the VM to the other.  With the consumer: the Rx tail page is lent and
# mapped, a migration claims it back (its writes trapped), a consumer
# that ignores the signal (debugfs reeval_mute) fails the migration
# cleanly, and the destination's bulk traffic traps no Rx tail write.
. "$TOP/tests/vm/mdev-lib.sh"

check_stack debian12
MIG_DEVOPT=x-enable-migration=on MIG_DOWNTIME_MS=3000
MIG_CONSUMER_QEMU=$I40EVFM_QEMU MIG_CONSUMER_NAMES="src dst r3 r5"
MIG_MUTE_FAILS=yes
. "$TOP/tests/vm/mig-traffic.sh"
