#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock project
# machine: xl710
# timeout: 900
# i40e_vf_mdev with QEMU 7.2 (Debian's, in L1): an mdev on the XL710
# model's VF0 given to L2 with -device vfio-pci,sysfsdev=/sys/bus/mdev/
# devices/UUID (QEMU's group/container backend); the upstream iavf in L2
# brings the VF up (virtchnl through the trapped mailbox) and passes
# verified traffic both ways with the peer.  While the peer's bulk
# transfer runs, the driver's trap counters must show no data path trap
# and no read/write of a page QEMU could have mapped (asserted counts).
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:41
modprobe kvm_amd
check "peer NIC in netns" setup_peer
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$PF_IF" vf 0 mac $VF_MAC
check "load $MDEV_DRV" mdev_load
check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e11
M=/sys/bus/mdev/devices/$U
check "create mdev $U" mdev_create "$VF" $U
[ "$FAILED" = 0 ] || done_testing
check "BAR0 sparse mmap and trap as documented" sh -c \
	"'$MDEV_VFIO' info '$M' > /tmp/info.txt && grep -q '^SPARSE 0x9000+0x7000' /tmp/info.txt &&
	 grep -q '^SPARSE 0+0x6000' /tmp/info.txt && test \$(grep -c '^SPARSE' /tmp/info.txt) = 2 &&
	 grep -qE '^RSTAT 0x[0-9a-f]*[12]\$' /tmp/info.txt && grep -q '^MMAP-MBX EINVAL' /tmp/info.txt &&
	 grep -q '^MMAP-SPARSE ok' /tmp/info.txt && grep -q '^IOEVENTFD ENOTTY' /tmp/info.txt"
sed 's/^/#   /' /tmp/info.txt

l2_traffic_start qemu "$MDEV_DBG/$U/traps"
L2_MODULES=iavf
check "L2 (QEMU 7.2, sysfsdev=$M) runs iavf on the mdev and passes traffic" \
	run_l2 qemu 600 /tmp/qemu-l2.sh -device "vfio-pci,sysfsdev=$M"
l2_traffic_check qemu /results/qemu-l2.log
check "L2 VF has the MAC the PF set" grep -q "L2-MAC $VF_MAC" /results/qemu-l2.log
echo "# trap counters over the whole L2 run:"
sed 's/^/#   /' "$MDEV_DBG/$U/traps"
mdev_traps_steady qemu $U
check "mailbox traps happened (the trap is in the path: $(trap_count $U mailbox))" \
	test "$(trap_count $U mailbox)" -gt 10
check "0 data path traps over the whole run" test "$(trap_count $U datapath)" = 0
read -r r1 r2 < <(l2_rates qemu /results/qemu-l2.log)
echo "# throughput through the mdev: L1 -> L2 $r1 KiB/s, L2 -> L1 $r2 KiB/s"

check "mdev removed after QEMU exited" mdev_remove $U
check "mdev gone" test ! -e "$M"
check "available_instances back to 1" test "$(mdev_avail "$VF")" = 1
if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
	head -n 5 /tmp/ge.txt
	echo "# note: the model logged guest errors (not asserted here)"
fi
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
