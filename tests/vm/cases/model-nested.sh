#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# timeout: 700
# XL710 model, nested: VF0 bound to stock vfio-pci in L1 and given to an L2
# under KVM; the upstream iavf in L2 brings it up (virtchnl to the i40e PF in
# L1) and exchanges traffic with the peer, payload verified both ways.  L2
# memory is only reachable through L1's (emulated) IOMMU domain of VF0, so
# this proves the model's VF DMA is translated with the VF's requester id.
. "$TOP/tests/vm/lib.sh"

BDF_MAC=52:54:00:aa:00:40
modprobe kvm_amd
check "peer NIC in netns" setup_peer
modprobe vfio-pci
check "i40e PF up" xl710_pf_up
check "2 VFs" xl710_vfs 2
pf=$PF_IF
BDF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$pf" vf 0 mac $BDF_MAC
check "bind VF0 ($BDF) to vfio-pci" pci_bind "$BDF" vfio-pci
group=$(basename "$(readlink /sys/bus/pci/devices/$BDF/iommu_group)")
check "/dev/vfio/$group exists" test -c "/dev/vfio/$group"
check "VF0 alone in IOMMU group $group" test "$(ls /sys/kernel/iommu_groups/$group/devices | wc -l)" = 1

l2_traffic_start nested-vf
L2_MODULES="iavf"
check "L2 runs iavf on the passed-through VF" \
	run_l2 nested-vf 420 /tmp/nested-vf-l2.sh -device vfio-pci,host=$BDF
l2log=/results/nested-vf-l2.log
l2_traffic_check nested-vf "$l2log"
check "L2 VF has the MAC the PF set" grep -q "L2-MAC $BDF_MAC" "$l2log"
if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
	head -n 5 /tmp/ge.txt
	not_ok "the model logged guest errors"
else
	ok "no guest errors logged by the model"
fi
check_dmesg_clean
done_testing
