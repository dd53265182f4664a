#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# timeout: 600
# allow-guest-errors: xl710
# allow: DMAR: DRHD: handling fault|DMAR: \[DMA (Read|Write) NO_PASID\] Request device \[03:00\.1\]
# (the model guest errors and VF0's IOMMU faults are what this case
# provokes; it checks the errors itself)
# XL710 model, robustness: VF0 bound to vfio-pci in L1 and programmed with
# garbage by tests/vm/progs/xl710-vfio (after a real virtchnl bring-up, so
# its queues are mapped): random values at every BAR0 register, mailbox
# rings at bogus addresses with bogus lengths and tails, random descriptors
# in the real Tx/Rx/mailbox rings, tails beyond the rings and of unmapped
# queues.  Afterwards QEMU must still be alive and answer QMP, the model
# must have logged guest errors, the PF must still pass verified traffic,
# and VF0, once given back to iavf, must work again (FLR recovers it).  No
# garbage may reach the PF's own queues.
. "$TOP/tests/vm/lib.sh"

ITER=${GARBAGE_ITER:-12}
SEEDS="1 2"
VFMAC=52:54:00:aa:00:50

modprobe virtio_console
check "peer NIC in netns" setup_peer
prog=$(test_prog xl710-vfio) || die "cannot build xl710-vfio"
check "modprobe vfio-pci iavf" modprobe -a vfio-pci iavf
check "i40e PF up at 10.0.0.10" xl710_pf_up 10.0.0.10/24
check "2 VFs" xl710_vfs 2
pf=$PF_IF
vf=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$pf" vf 0 mac $VFMAC
check "VF0 ($vf) bound to vfio-pci" pci_bind "$vf" vfio-pci

ge_lines() { cat /results/guest-errors.log 2>/dev/null | grep -c xl710; }
ge0=$(ge_lines)
for seed in $SEEDS; do
	if timeout 240 "$prog" garbage "$vf" "$ITER" "$seed" > /tmp/garbage.$seed 2>&1; then
		ok "garbage run seed $seed: $(tail -n 1 /tmp/garbage.$seed)"
	else
		cat /tmp/garbage.$seed
		not_ok "garbage run seed $seed did not complete (exit $?)"
	fi
	check "QEMU alive: QMP answers after seed $seed" \
		sh -c "python3 $TOP/tests/vm/qmp.py query-status | grep -q running"
done
ge1=$(ge_lines)
echo "# model guest-error lines: $ge0 -> $ge1"
check "the model logged guest errors for the garbage ($ge0 -> $ge1)" test "$ge1" -gt "$ge0"
grep xl710 /results/guest-errors.log | sed -E 's/[0-9]+/N/g' | sort | uniq -c |
	sort -rn | head -n 15 | sed 's/^/#   /'

# The VF's tail writes and rings must never reach the PF's own queues
# (i40e leaves the VF's unused queue table entries at 0, the PF's queue 0):
# no guest error may name a queue the PF runs.
pfq=$(qom_get "$(qmp_l1 find-type xl710 | head -n 1)" queue-state |
	awk '/^[rt]xq [0-9]+ fn -1 / { print $2 }' | sort -u | paste -sd'|')
echo "# queues the PF runs: ${pfq:-none}"
check "the model reports the PF's queues" test -n "$pfq"
check "no guest error names a PF queue (${pfq:-?})" \
	sh -c "! grep -E 'xl710: (Rx|Tx) queue ($pfq) ' /results/guest-errors.log"
check "PF pings the peer" ping -c 3 -W 2 10.0.0.1
transfer_check "peer -> PF after the garbage" peer - 10.0.0.10 5701 3000000
transfer_check "PF -> peer after the garbage" - peer 10.0.0.1 5702 3000000

# Give VF0 back to iavf: the vfio release FLR + the PF's VF reset recover it.
check "VF0 back to iavf" pci_bind "$vf" iavf
check "VF0 netdev" wait_for 60 has_netdev "$vf"
vif=$(pci_netdev "$vf")
ip netns add v0
ip link set "$vif" netns v0
ip -n v0 addr add 10.0.0.20/24 dev "$vif"
ip -n v0 link set "$vif" up
check "VF0 pings the peer after the garbage" wait_for 60 ip netns exec v0 ping -c 1 -W 1 10.0.0.1
transfer_check "VF0 -> peer after the garbage" v0 peer 10.0.0.1 5703 1500000
transfer_check "peer -> VF0 after the garbage" peer v0 10.0.0.20 5704 1500000
check "QEMU still running" sh -c "python3 $TOP/tests/vm/qmp.py query-status | grep -q running"
# DMA faults from the bogus addresses are expected here (the IOMMU blocks
# them): check the rest of the kernel log.
DMESG_BAD=${DMESG_BAD%|DMAR: DRHD: handling fault}
check_dmesg_clean
done_testing
