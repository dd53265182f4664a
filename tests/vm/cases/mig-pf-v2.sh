#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# model-pfs: 2
# stack: modern
# needs: qemu10
# timeout: 1800
# allow-guest-errors: xl710: (Tx|Rx) queue [0-9]+: bus mastering off, queue stopped
# (the host's FLR of the running VF in PRE_COPY: Linux clears Bus Master
# Enable before it, and L2 may ring a doorbell in between, as in mig-pf-v1)
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
# Resets and a PF going away during a migration: the source's VF reset
# (FLR) in PRE_COPY; SR-IOV off on the destination's PF in RESUMING; the
# source's PF unbound from i40e in STOP_COPY (the migration completes, to
# a VF created since, whose PF never saw the guest's driver: the state
# carries the virtchnl version it negotiated); the destination's PF reset
# in RESUMING (the destination refuses the state, the source runs on).
# On the debug kernel (make check-long), whose KASAN and kmemleak watch
# the release of a half-loaded state, also the destination's mdev removed
# in RESUMING.
MIG_RESETS=yes MIG_PF_GONE=yes
[ "${I40EVFM_KERNEL:-}" = debug ] && MIG_REMOVE_DEST=yes
. "$TOP/tests/vm/mig-traffic.sh"
