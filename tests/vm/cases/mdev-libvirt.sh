#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 800
# i40e_vf_mdev with libvirt 9.0 (Debian 12's, in L1): an mdev started with
# mdevctl on the XL710 model's VF0, a KVM domain with
#   <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
#     <source><address uuid='UUID'/></source></hostdev>
# booting L2 directly (the L1 kernel, a busybox initramfs with iavf and the
# traffic script), serial console to a file.  `virsh start`, L2 passes
# verified traffic both ways with the peer, `virsh destroy`; afterwards the
# mdev is closed and reusable and nothing is left behind
# (mdev_libvirt_run in tests/vm/mdev-lib.sh; mdev-libvirt11.sh is the same
# on libvirt 11.3).
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:42
check_stack debian12
mdev_libvirt_run 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e41
