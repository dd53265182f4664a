#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
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

head -c 2000000 /dev/urandom > /tmp/to-l2
sum_to_l2=$(md5sum < /tmp/to-l2 | cut -d' ' -f1)
# L1 -> L2: the peer connects to L2's listener once L2 is up.
# L2 -> L1: the peer listens; L2 sends the data it generated.
ip netns exec peer socat -u TCP-LISTEN:5002,reuseaddr OPEN:/tmp/from-l2,creat,trunc &
rx_pid=$!
(
	for _ in $(seq 1 150); do
		ip netns exec peer socat -u OPEN:/tmp/to-l2 TCP:10.0.0.2:5001,connect-timeout=2 \
			2>/dev/null && exit 0
		sleep 1
	done
	exit 1
) &
tx_pid=$!

cat > /tmp/l2-test.sh <<'L2'
ifc=$(ls /sys/class/net | grep -v lo | head -n 1)
[ -n "$ifc" ] || { echo "no NIC in L2"; exit 1; }
ip addr add 10.0.0.2/24 dev "$ifc"
ip link set "$ifc" up
for i in $(seq 1 60); do ping -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && break; done
ping -c 3 -W 2 10.0.0.1 || exit 2
nc -l -p 5001 > /tmp/rx || exit 3
echo "L2-RX-MD5 $(md5sum < /tmp/rx | cut -d' ' -f1)"
head -c 1500000 /dev/urandom > /tmp/tx
echo "L2-TX-MD5 $(md5sum < /tmp/tx | cut -d' ' -f1)"
nc 10.0.0.1 5002 < /tmp/tx || exit 4
exit 0
L2
check "L2 runs with the e1000e passed through and pings L1's peer" \
	run_l2 nested 300 /tmp/l2-test.sh -device vfio-pci,host=$BDF
wait $tx_pid
wait $rx_pid
l2log=/results/nested-l2.log
rx_sum=$(sed -n 's/.*L2-RX-MD5 \([0-9a-f]*\).*/\1/p' "$l2log")
tx_sum=$(sed -n 's/.*L2-TX-MD5 \([0-9a-f]*\).*/\1/p' "$l2log")
check "payload L1 -> L2 intact" test "$rx_sum" = "$sum_to_l2"
check "payload L2 -> L1 intact" test -n "$tx_sum" -a "$tx_sum" = "$(md5sum < /tmp/from-l2 | cut -d' ' -f1)"
check_dmesg_clean
done_testing
