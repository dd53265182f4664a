#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# timeout: 900
# XL710 model, SR-IOV in L1: 4 VFs (each in its own IOMMU group) driven by
# the upstream iavf.  Every VF exchanges verified traffic with the external
# peer, two VFs exchange verified traffic through the VEB (not through the
# wire), and the VF reset paths recover with traffic passing afterwards:
# an iavf-requested reset (ethtool -G; iavf has no ethtool --reset), iavf
# unbind/bind, FLR through sysfs, and PF-side `ip link set PF vf N mac|vlan`.
. "$TOP/tests/vm/lib.sh"

NVF=4
SZ=1500000

check "peer NIC in netns" setup_peer
peer_if=$(peer_ifc)
check "i40e PF up" xl710_pf_up
pf=$PF_IF

check "sriov_totalvfs >= $NVF" test "$(cat /sys/bus/pci/devices/$XL710_PF/sriov_totalvfs)" -ge $NVF
modprobe iavf
check "echo $NVF > sriov_numvfs" sh -c "echo $NVF > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"

vf_ready() { # N - VF N bound to iavf with a netdev
	local b
	b=$(xl710_vf_bdf "$1")
	[ -n "$b" ] && [ "$(pci_driver "$b")" = iavf ] && [ -n "$(pci_netdev "$b")" ]
}
groups=()
for i in $(seq 0 $((NVF - 1))); do
	check "VF$i bound to iavf" wait_for 60 vf_ready "$i"
	bdf=$(xl710_vf_bdf "$i")
	groups+=("$(basename "$(readlink /sys/bus/pci/devices/$bdf/iommu_group)")")
	check "VF$i ($bdf) is 8086:154c" test "$(cat /sys/bus/pci/devices/$bdf/device)" = 0x154c
done
check "each VF in its own IOMMU group (${groups[*]})" \
	test "$(printf '%s\n' "${groups[@]}" | sort -u | wc -l)" = $NVF
check "no VF shares its group with another device" sh -c \
	"for g in ${groups[*]}; do [ \$(ls /sys/kernel/iommu_groups/\$g/devices | wc -l) = 1 ] || exit 1; done"

vf_ip() { echo "10.0.0.$((20 + $1))"; }
# vf_setup N - move VF N's netdev into netns vN with its address, up
vf_setup() {
	local n=$1 bdf ifc
	bdf=$(xl710_vf_bdf "$n")
	ip netns add "v$n" 2>/dev/null
	if [ -z "$(ip -n "v$n" -o link show | grep -v ' lo:')" ]; then
		wait_for 30 has_netdev "$bdf" || return 1
		ifc=$(pci_netdev "$bdf")
		ip link set "$ifc" netns "v$n" || return 1
	fi
	ifc=$(ip -n "v$n" -o link show | awk -F': ' '$2 != "lo" {print $2; exit}')
	ip -n "v$n" link set lo up
	ip -n "v$n" addr flush dev "$ifc"
	ip -n "v$n" addr add "${2:-$(vf_ip "$n")}/24" dev "$ifc"
	ip -n "v$n" link set "$ifc" up
	ip netns exec "v$n" true
}
vf_if() { ip -n "v$1" -o link show | awk -F': ' '$2 != "lo" {print $2; exit}'; }
# ping_ok NS DST - the peer answers within a minute (link/reset settling)
ping_ok() {
	local i
	for i in $(seq 1 30); do
		ip netns exec "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1 && return 0
	done
	return 1
}

for i in $(seq 0 $((NVF - 1))); do
	check "VF$i netdev in netns v$i" vf_setup "$i"
done
for i in $(seq 0 $((NVF - 1))); do
	check "VF$i pings the peer" ping_ok "v$i" 10.0.0.1
	transfer_check "VF$i -> peer" "v$i" peer 10.0.0.1 $((5200 + i)) $SZ
	transfer_check "peer -> VF$i" peer "v$i" "$(vf_ip "$i")" $((5300 + i)) $SZ
done

# VF <-> VF through the VEB: the bytes must not go out on the wire.
peer_rx() { ip netns exec peer cat "/sys/class/net/$peer_if/statistics/rx_bytes"; }
check "VF0 pings VF1" ping_ok v0 "$(vf_ip 1)"
before=$(peer_rx)
transfer_check "VF0 -> VF1 (VEB)" v0 v1 "$(vf_ip 1)" 5400 $SZ
transfer_check "VF1 -> VF0 (VEB)" v1 v0 "$(vf_ip 0)" 5401 $SZ
after=$(peer_rx)
check "VF<->VF traffic stayed in the VEB (peer saw $((after - before)) bytes)" \
	test $((after - before)) -lt $((SZ / 10))

# after_reset WHAT N - VF N passes verified traffic both ways again
PORT=5500
after_reset() {
	PORT=$((PORT + 2))
	check "$1: VF$2 pings the peer" ping_ok "v$2" "${3:-10.0.0.1}"
	transfer_check "$1: VF$2 -> peer" "v$2" peer "${3:-10.0.0.1}" $PORT $SZ
	transfer_check "$1: peer -> VF$2" peer "v$2" "${4:-$(vf_ip "$2")}" $((PORT + 1)) $SZ
}

# 1. Reset requested by iavf itself (ring resize -> VIRTCHNL_OP_RESET_VF ->
#    the PF's VFSWR).
vif=$(vf_if 0)
check "ethtool -G rx 256 on VF0 (iavf VF reset)" ip netns exec v0 ethtool -G "$vif" rx 256 tx 256
check "VF0 ring size changed" sh -c "ip netns exec v0 ethtool -g $vif | sed -n '/Current/,\$p' | grep -qE '^RX:[[:space:]]+256'"
after_reset "iavf reset" 0

# 2. Unbind / bind iavf (the netdev is re-created).
bdf1=$(xl710_vf_bdf 1)
check "unbind VF1 from iavf" sh -c "echo $bdf1 > /sys/bus/pci/drivers/iavf/unbind"
check "VF1 netdev gone" test -z "$(ip -n v1 -o link show | grep -v ' lo:')"
check "bind VF1 to iavf" sh -c "echo $bdf1 > /sys/bus/pci/drivers/iavf/bind"
check "VF1 back in netns v1" vf_setup 1
after_reset "unbind/bind" 1

# 3. FLR through sysfs (reported to the PF as a VFLR).
bdf2=$(xl710_vf_bdf 2)
check "FLR of VF2 via sysfs reset" sh -c "echo 1 > /sys/bus/pci/devices/$bdf2/reset"
after_reset "FLR" 2

# 4. PF-side MAC change.
newmac=52:54:00:aa:00:13
check "ip link set $pf vf 3 mac $newmac" ip link set "$pf" vf 3 mac $newmac
check "VF3 took the MAC" wait_for 60 sh -c \
	"ip -n v3 link show $(vf_if 3) | grep -q $newmac"
check "VF3 readdressed" vf_setup 3
after_reset "PF sets MAC" 3

# 5. PF-side port VLAN: the peer only answers on its VLAN 5 interface, so
#    traffic proves the model inserts the tag on Tx and strips it on Rx.
check "modprobe 8021q" modprobe 8021q
ip -n peer link add link "$peer_if" name vl5 type vlan id 5
ip -n peer addr add 10.0.5.1/24 dev vl5
ip -n peer link set vl5 up
check "ip link set $pf vf 0 vlan 5" ip link set "$pf" vf 0 vlan 5
check "PF reports VLAN 5 on VF0" sh -c "ip link show $pf | grep -E 'vf 0 .*vlan 5'"
check "VF0 readdressed on VLAN 5" vf_setup 0 10.0.5.20
after_reset "port VLAN 5" 0 10.0.5.1 10.0.5.20
check "ip link set $pf vf 0 vlan 0" ip link set "$pf" vf 0 vlan 0
check "VF0 readdressed untagged" vf_setup 0
after_reset "port VLAN removed" 0

# The other VFs were not disturbed.
for i in 1 2 3; do
	check "VF$i still pings the peer" ping_ok "v$i" 10.0.0.1
done

if dmesg | grep -E '(i40e|iavf)[ :]' | grep -iwE 'error|fail|failed|failure|timeout|timed out|hang|hung' |
	grep -vE 'DCB init failed|module verification failed' > /tmp/drv.err; then
	cat /tmp/drv.err
	not_ok "i40e/iavf logged errors"
else
	ok "no i40e/iavf errors in dmesg"
fi
if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
	head -n 5 /tmp/ge.txt
	not_ok "the model logged guest errors for stock i40e/iavf"
else
	ok "no guest errors logged by the model"
fi
check_dmesg_clean
done_testing
