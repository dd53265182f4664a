#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 480
# Nested VFIO before our driver: L1's emulated e1000e (01:00.0) bound to
# stock vfio-pci and given to an L2 under KVM; L2 exchanges traffic with
# the peer NIC kept in L1, and the payload is verified in both directions.
. "$TOP/tests/vm/lib.sh"

BDF=0000:01:00.0
modprobe vfio-pci
modprobe kvm_amd
check "peer NIC in netns" setup_peer
check "bind $BDF to vfio-pci" pci_bind "$BDF" vfio-pci
group=$(basename "$(readlink /sys/bus/pci/devices/$BDF/iommu_group)")
check "/dev/vfio/$group exists" test -c "/dev/vfio/$group"

l2_traffic_start nested
check "L2 runs with the e1000e passed through" \
	run_l2 nested 300 /tmp/nested-l2.sh -device vfio-pci,host=$BDF
l2_traffic_check nested /results/nested-l2.log e1000e
check_dmesg_clean
done_testing
