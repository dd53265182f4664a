#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# hosts: 2
# stack: modern
# timeout: 1500
# Live migration between two hosts with libvirt 11.3 and QEMU 10.0
# (Debian's backports), as operators run it: tests/vm/mig-libvirt.sh.
# QEMU 10 migrates a VFIO device without DMA logging only when asked
# (enable-migration=on), and Debian's kernel cannot offer DMA logging.
# libvirt 11.3 always turns switchover-ack on with QEMU 10.  First the
# faults through libvirt: a migration aborted in pre-copy (virsh
# domjobabort), one whose destination QEMU is killed and one whose
# destination PF is reset, each while the device there is RESUMING.
. "$TOP/tests/vm/mdev-lib.sh"

LV_STACK=modern
LV_PROP="enable-migration string on"
LV_MACHINE=pc-q35-10.0
LV_ABORT=yes
LV_KILL_DEST=yes
LV_RESET_DEST=yes
. "$TOP/tests/vm/mig-libvirt.sh"
