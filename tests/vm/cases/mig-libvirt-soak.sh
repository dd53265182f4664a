#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# suite: soak
# kernels: stock
# machine: xl710
# hosts: 2
# stack: modern
# timeout: 7200
# The reliability run of live migration as operators run it (make soak):
# tests/vm/mig-libvirt.sh with libvirt 11.3 and QEMU 10.0, 50 migrations
# between the two hosts (25 round trips) under the sustained traffic and
# the guest memory verifier, each with every check of mig-libvirt11;
# before them, a migration libvirt's job abort ends in pre-copy, one
# whose destination QEMU is killed while its device is RESUMING, and one
# whose destination PF the host resets while its device is RESUMING.  The
# last run's numbers are in Documentation/testing.rst ("Soak").
. "$TOP/tests/vm/mdev-lib.sh"

LV_STACK=modern
LV_PROP="enable-migration string on"
LV_MACHINE=pc-q35-10.0
LV_MIGRATIONS=50
LV_ABORT=yes
LV_KILL_DEST=yes
LV_RESET_DEST=yes
. "$TOP/tests/vm/mig-libvirt.sh"
