#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
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
check "modprobe i40e vfio-pci" modprobe -a i40e vfio-pci
check "PF netdev registered" wait_for 30 test -n "$(pci_netdev $XL710_PF)"
pf=$(pci_netdev $XL710_PF)
ip link set "$pf" up
check "PF link up" wait_for 30 grep -q 1 "/sys/class/net/$pf/carrier"
echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_drivers_autoprobe
check "2 VFs" sh -c "echo 2 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"
BDF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$pf" vf 0 mac $BDF_MAC
check "bind VF0 ($BDF) to vfio-pci" pci_bind "$BDF" vfio-pci
group=$(basename "$(readlink /sys/bus/pci/devices/$BDF/iommu_group)")
check "/dev/vfio/$group exists" test -c "/dev/vfio/$group"
check "VF0 alone in IOMMU group $group" test "$(ls /sys/kernel/iommu_groups/$group/devices | wc -l)" = 1

head -c 2000000 /dev/urandom > /tmp/to-l2
sum_to_l2=$(md5sum < /tmp/to-l2 | cut -d' ' -f1)
ip netns exec peer socat -u TCP-LISTEN:5002,reuseaddr OPEN:/tmp/from-l2,creat,trunc &
rx_pid=$!
(
	for _ in $(seq 1 300); do
		ip netns exec peer socat -u OPEN:/tmp/to-l2 TCP:10.0.0.2:5001,connect-timeout=2 \
			2>/dev/null && exit 0
		sleep 1
	done
	exit 1
) &
tx_pid=$!

cat > /tmp/l2-test.sh <<'L2'
for i in $(seq 1 60); do
	ifc=$(ls /sys/class/net | grep -v lo | head -n 1)
	[ -n "$ifc" ] && break
	sleep 1
done
[ -n "$ifc" ] || { echo "no NIC in L2"; exit 1; }
echo "L2-DRIVER $(basename $(readlink /sys/class/net/$ifc/device/driver))"
echo "L2-MAC $(cat /sys/class/net/$ifc/address)"
ip addr add 10.0.0.2/24 dev "$ifc"
ip link set "$ifc" up
for i in $(seq 1 90); do ping -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && break; done
ping -c 3 -W 2 10.0.0.1 || exit 2
nc -l -p 5001 > /tmp/rx || exit 3
echo "L2-RX-MD5 $(md5sum < /tmp/rx | cut -d' ' -f1)"
head -c 1500000 /dev/urandom > /tmp/tx
echo "L2-TX-MD5 $(md5sum < /tmp/tx | cut -d' ' -f1)"
nc 10.0.0.1 5002 < /tmp/tx || exit 4
exit 0
L2
L2_MODULES="iavf"
check "L2 runs iavf on the passed-through VF and pings L1's peer" \
	run_l2 nested-vf 420 /tmp/l2-test.sh -device vfio-pci,host=$BDF
kill $tx_pid 2>/dev/null
wait $tx_pid
for _ in $(seq 1 20); do kill -0 $rx_pid 2>/dev/null || break; sleep 0.5; done
kill $rx_pid 2>/dev/null
wait $rx_pid
l2log=/results/nested-vf-l2.log
check "L2 driver is iavf" grep -q 'L2-DRIVER iavf' "$l2log"
check "L2 VF has the MAC the PF set" grep -q "L2-MAC $BDF_MAC" "$l2log"
rx_sum=$(sed -n 's/.*L2-RX-MD5 \([0-9a-f]*\).*/\1/p' "$l2log")
tx_sum=$(sed -n 's/.*L2-TX-MD5 \([0-9a-f]*\).*/\1/p' "$l2log")
check "payload L1 -> L2 intact" test "$rx_sum" = "$sum_to_l2"
check "payload L2 -> L1 intact" test -n "$tx_sum" -a "$tx_sum" = "$(md5sum < /tmp/from-l2 | cut -d' ' -f1)"
if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
	head -n 5 /tmp/ge.txt
	not_ok "the model logged guest errors"
else
	ok "no guest errors logged by the model"
fi
check_dmesg_clean
done_testing
