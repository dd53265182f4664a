#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# hosts: 2
# timeout: 1500
# Live migration between two hosts with Debian 12's libvirt 9.0 and QEMU
# 7.2, as operators run it: tests/vm/mig-libvirt.sh.  QEMU 7.2 migrates a
# VFIO device only when asked (x-enable-migration=on: the v1 protocol,
# the driver's migration region) and has no switchover-ack.  First, a
# migration libvirt's job abort ends in pre-copy (LV_ABORT), and one
# whose destination QEMU is killed while its device is RESUMING
# (LV_KILL_DEST), and one whose destination PF the host resets while the
# device is RESUMING (LV_RESET_DEST).
. "$TOP/tests/vm/mdev-lib.sh"

LV_STACK=debian12
LV_PROP="x-enable-migration bool true"
LV_MACHINE=pc-q35-7.2
LV_ABORT=yes
LV_KILL_DEST=yes
LV_RESET_DEST=yes
. "$TOP/tests/vm/mig-libvirt.sh"
