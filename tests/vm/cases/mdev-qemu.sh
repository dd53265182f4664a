#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# timeout: 1500
# i40e_vf_mdev with QEMU 7.2 (Debian's, in L1): an mdev on the XL710
# model's VF0 given to L2 with -device vfio-pci,sysfsdev=/sys/bus/mdev/
# devices/UUID (QEMU's group/container backend); the upstream iavf in L2
# brings the VF up (virtchnl through the trapped mailbox) and passes
# verified traffic both ways with the peer.  While the bulk transfer in
# each direction runs, the driver's trap counters must show no data path
# trap, no read/write of a page QEMU could have mapped, fewer mailbox
# accesses than frames and fewer than one mailbox write per
# MDEV_PKTS_PER_MBX frames (asserted counts).  Negative
# control: a second L2 with the tail pages trapped on purpose (debugfs
# trap_tail) passes traffic, and the same check fails on its counts.
# The PF runs Debian's own i40e, without the PF services for migration:
# the device offers no migration (no v2 feature, no v1 region) and QEMU,
# asked for migration (x-enable-migration=on), reports its blocker.
. "$TOP/tests/vm/mdev-lib.sh"

export I40EVFM_I40E=stock
VF_MAC=52:54:00:aa:00:41
check_stack debian12
mdev_vf0_create 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e11
expect_fail "Debian's i40e: no PF services" i40e_has_mig_services
check "no migration offered without PF services" sh -c \
	"grep -q '^pf_services no' $MDEV_DBG/$U/migration &&
	 '$MDEV_VFIO' info '$M' > /tmp/mig-info.txt &&
	 grep -q '^MIGRATION ENOTTY' /tmp/mig-info.txt &&
	 grep -q '^MIGRATION-V1 no' /tmp/mig-info.txt"
grep MIGRATION /tmp/mig-info.txt | sed 's/^/#   /'
# QEMU 7.2 asked to migrate it: a blocker, not a migration
check "QEMU starts with the device, paused" blocker_start blk "vfio-pci,sysfsdev=$M,x-enable-migration=on"
blocker_errors blk > /tmp/blk.out
blocker_quit blk
sed 's/^/#   qemu| /' /tmp/blk.out
check "QEMU 7.2 reports the migration blocker" \
	grep -q "VFIO device doesn't support migration" /tmp/blk.out
check "BAR0 sparse mmap and trap as documented" sh -c \
	"'$MDEV_VFIO' info '$M' > /tmp/info.txt && grep -q '^SPARSE 0x9000+0x7000' /tmp/info.txt &&
	 grep -q '^SPARSE 0+0x6000' /tmp/info.txt && test \$(grep -c '^SPARSE' /tmp/info.txt) = 2 &&
	 grep -qE '^RSTAT 0x[0-9a-f]*[12]\$' /tmp/info.txt && grep -q '^MMAP-MBX EINVAL' /tmp/info.txt &&
	 grep -q '^MMAP-SPARSE ok' /tmp/info.txt && grep -q '^IOEVENTFD ENOTTY' /tmp/info.txt"
sed 's/^/#   /' /tmp/info.txt

mdev_qemu_l2 qemu $U "QEMU 7.2, sysfsdev=$M" -device "vfio-pci,sysfsdev=$M"
mdev_trap_tail_control qemu-tail $U "QEMU 7.2, sysfsdev=$M" -device "vfio-pci,sysfsdev=$M"
check "mdev removed after QEMU exited" mdev_remove $U
mdev_vf0_finish "$M"
