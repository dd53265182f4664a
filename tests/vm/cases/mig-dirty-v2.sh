#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# machine: xl710
# model-pfs: 2
# stack: modern
# needs: qemu10
# timeout: 1500
# Live migration with QEMU 10.0's default settings (no enable-migration
# option), which it allows only for a VFIO device with DMA logging: the
# driver's dirty tracking (Documentation/migration.rst).  The L2 gets its
# mdevs through QEMU's iommufd backend (-object iommufd; QEMU attaches an
# mdev straight to the IOAS, and the emulated VT-d has no dirty tracking
# of its own, so DMA logging is what QEMU uses).  The first migration of
# tests/vm/mig-traffic.sh, with MIG_ROUNDS=0: QEMU reports no migration
# blocker; the guest moves from VF0 of the first PF to VF1 of the second
# while the peer floods it with frames (its Rx buffers fill all along),
# with a downtime limit of 3 s, so that QEMU iterates over the memory the
# VM and the VF keep writing until it fits (the other cases allow 2000 s
# and switch over after the first pass);
# the source's DMA logging was started, reported in rounds and stopped,
# followed the Rx tail and never fell back to reporting everything; on
# the destination the verified traffic (UDP frame by frame, TCP both ways
# by md5) and the destination PF's view of the VF.  Debug kernel only:
# Debian's has no CONFIG_IOMMUFD_DRIVER, without which the VFIO core cannot
# report DMA logging at all (the driver then offers none; mig-pf-v2 runs
# QEMU 10 there with enable-migration=on).  It also covers what
# mdev-qemu10@debug does (QEMU 10 on iommufd with verified traffic), which
# runs in make check-long.  The source runs the project's QEMU 10
# (patches/qemu10, a consumer of the sparse mmap re-evaluation IRQ): the
# Rx tail page is lent and mapped until the migration, whose DMA logging
# start claims it back (QEMU unmaps BAR0 for the set-up: the claim waits
# inside the set-up, under the BQL); the destination runs the backports'
# QEMU 10, which keeps the page trapped, and its bulk transfers trap
# fewer Rx tail writes than one per 8 packets.
. "$TOP/tests/vm/mdev-lib.sh"

check_stack modern
MIG_DEVOPT='' MIG_ROUNDS=0 MIG_IOMMUFD=yes MIG_DOWNTIME_MS=3000
MIG_CONSUMER_QEMU=$I40EVFM_QEMU10 MIG_CONSUMER_NAMES="src"
. "$TOP/tests/vm/mig-traffic.sh"
