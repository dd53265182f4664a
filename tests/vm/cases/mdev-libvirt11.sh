#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# stack: modern
# timeout: 800
# i40e_vf_mdev with libvirt 11.3 and QEMU 10.0 (Debian's backports,
# layered into L1: Documentation/testing.rst, "The consumer stacks"): the
# flow of mdev-libvirt.sh (mdev_libvirt_run in tests/vm/mdev-lib.sh) with
#   <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
# `virsh define`, `virsh start`, verified traffic both ways, `virsh
# destroy`.  libvirt 11.3 gives QEMU 10 the mdev on the legacy container
# (its QEMU driver has no iommufd support) and leaves enable-migration at
# auto, so QEMU adds a migration blocker for the device: on Debian's
# kernel (no CONFIG_IOMMUFD_DRIVER) the driver can offer no DMA logging.
# Expected, recorded in the QEMU log, not asserted.
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:44
check_stack modern
mdev_libvirt_run 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e44
