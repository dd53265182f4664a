#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: debug
# machine: xl710
# stack: modern
# timeout: 1200
# i40e_vf_mdev with QEMU 10.0 (Debian's backports, layered into L1:
# Documentation/testing.rst, "The consumer stacks"): the mdev on the XL710
# model's VF0 given to L2 with -device vfio-pci,sysfsdev=/sys/bus/mdev/
# devices/UUID on the legacy group/container backend; iavf in L2 passes
# verified traffic both ways with the peer and the trap counters show no
# data path trap during the bulk transfer (as mdev-qemu.sh on QEMU 7.2).
# On the debug kernel (CONFIG_IOMMUFD, CONFIG_VFIO_DEVICE_CDEV, KASAN,
# lockdep, kmemleak) the L2 gets the mdev through QEMU's iommufd backend
# instead (-object iommufd, the mdev's vfio device cdev; QEMU attaches an
# mdev straight to the IOAS) and passes verified traffic too; Debian's
# kernel has no CONFIG_IOMMUFD.  QEMU 10 on the legacy container with
# Debian's kernel passes verified traffic in mig-pf-v2 (before and after
# its migration); this case runs on the debug kernel only, in make
# check-long: mig-dirty-v2@debug, in make check, gives QEMU 10 its mdevs
# through the iommufd backend too, and migrates with verified traffic.
# Each L2's query-migrate answer is recorded, not asserted (mig-dirty-v2
# asserts that QEMU has no migration blocker for the device).
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:43
check_stack modern
mdev_vf0_create 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e13

# migrate_probe NAME - in the background: once L2's QEMU listens on
# /tmp/NAME.qmp (-qmp unix:...), its query-migrate answer goes to
# /tmp/NAME.migrate; migrate_show NAME prints it.
migrate_probe() {
	local sock=/tmp/$1.qmp
	rm -f "$sock" "/tmp/$1.migrate"
	(
		for _ in $(seq 1 300); do
			[ -S "$sock" ] && break
			sleep 1
		done
		sleep 5
		printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-migrate"}' |
			socat -t 10 - "UNIX-CONNECT:$sock" > "/tmp/$1.migrate" 2>&1
	) > /dev/null 2>&1 &
}
migrate_show() {
	echo "# $1: query-migrate while L2 ran (not asserted):"
	grep -v '"QMP"' "/tmp/$1.migrate" 2>/dev/null | sed 's/^/#   /'
}

if [ "$I40EVFM_KERNEL" = stock ]; then
	migrate_probe qemu10
	mdev_qemu_l2 qemu10 $U "QEMU 10.0, legacy container, sysfsdev=$M" \
		-device "vfio-pci,sysfsdev=$M" -qmp unix:/tmp/qemu10.qmp,server=on,wait=off
	migrate_show qemu10
else
	check "modprobe iommufd" modprobe iommufd
	check "the mdev has a vfio device cdev" test -d "$M/vfio-dev"
	migrate_probe qemu10-iommufd
	mdev_qemu_l2 qemu10-iommufd $U "QEMU 10.0, iommufd backend, sysfsdev=$M" \
		-object iommufd,id=iommufd0 -device "vfio-pci,sysfsdev=$M,iommufd=iommufd0" \
		-qmp unix:/tmp/qemu10-iommufd.qmp,server=on,wait=off
	migrate_show qemu10-iommufd
fi
check "mdev removed after QEMU exited" mdev_remove $U
mdev_vf0_finish "$M"
