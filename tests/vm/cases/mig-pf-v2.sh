#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# model-pfs: 2
# stack: modern
# needs: qemu10
# timeout: 1800
# Live migration with traffic through the mdev, QEMU 10.0 (Debian's
# backports, migration v2 with enable-migration=on: QEMU 10 refuses a
# VFIO device without DMA logging by default, and on Debian's kernel,
# which has no CONFIG_IOMMUFD_DRIVER, the driver can offer none, so the
# type1 container's dirty tracking is used; QEMU's defaults with DMA
# logging are mig-dirty-v2, on the debug kernel): the first
# migration of tests/vm/mig-traffic.sh, with its verified traffic, the
# guest's reconfiguration and the cancels (the refusals and the round
# trips, which are the same for both front ends, run in mig-pf-v1).  The
# VM starts under the backports' QEMU 10 (src: the Rx tail page stays
# trapped) and moves to the project's build of it (dst, patches/qemu10:
# a consumer of the sparse mmap re-evaluation IRQ): there the page is
# lent and mapped, the bulk transfers trap no Rx tail write, the
# cancelled save claims it back and traps its writes while the rest of
# BAR0 is mapped again, and each cancel lends it again.  On
# the debug kernel (KASAN, lockdep, kmemleak) in make check-long: an
# empty-cache run with it in make check took 80 minutes on 2 cores
# (Documentation/testing.rst, "Time").
. "$TOP/tests/vm/mdev-lib.sh"

check_stack modern
MIG_DEVOPT=enable-migration=on MIG_ROUNDS=1 MIG_DOWNTIME_MS=3000
MIG_CONSUMER_QEMU=$I40EVFM_QEMU10 MIG_CONSUMER_NAMES="dst"
# The destination's mdev removed in RESUMING: on the debug kernel (make
# check-long), whose KASAN and kmemleak watch the half-loaded state's
# release
[ "${I40EVFM_KERNEL:-}" = debug ] && MIG_REMOVE_DEST=yes
. "$TOP/tests/vm/mig-traffic.sh"
