# SPDX-License-Identifier: GPL-2.0
# Helpers for the i40e_vf_mdev VM tests (tests/vm/cases/mdev-*.sh), on top
# of tests/vm/lib.sh.  Sourced in L1.

. "$TOP/tests/vm/lib.sh"

MDEV_TYPE=i40e_vf_mdev-vf
MDEV_DRV=i40e_vf_mdev
MDEV_DBG=/sys/kernel/debug/i40e_vf_mdev
MDEV_VFIO=$(test_prog mdev_vfio)

# mdev_pf_up NVF - i40e on the model's PF, link up, NVF VFs that nobody
# probes (sriov_drivers_autoprobe off, as the admin guide says)
mdev_pf_up() {
	local n=${1:-1}
	modprobe i40e || return 1
	wait_for 30 test -n "$(pci_netdev $XL710_PF)" || return 1
	PF_IF=$(pci_netdev $XL710_PF)
	ip link set "$PF_IF" up
	wait_for 30 grep -q 1 "/sys/class/net/$PF_IF/carrier" || return 1
	echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_drivers_autoprobe
	echo "$n" > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs || return 1
	wait_for 20 test -n "$(xl710_vf_bdf $((n - 1)))"
}

# mdev_load - vfio-pci, mdev and the driver
mdev_load() {
	modprobe -a vfio-pci mdev || return 1
	lsmod | grep -q "^$MDEV_DRV " && return 0
	insmod "$MODULES/$MDEV_DRV.ko"
}

# mdev_bind BDF - bind a VF to the driver with driver_override
mdev_bind() {
	pci_bind "$1" "$MDEV_DRV" &&
		test -d "/sys/bus/pci/devices/$1/mdev_supported_types/$MDEV_TYPE"
}

mdev_type_dir() { echo "/sys/bus/pci/devices/$1/mdev_supported_types/$MDEV_TYPE"; }
mdev_avail() { cat "$(mdev_type_dir "$1")/available_instances"; }
# mdev_create BDF UUID / mdev_remove UUID - through sysfs
mdev_create() { echo "$2" > "$(mdev_type_dir "$1")/create"; }
mdev_remove() { echo 1 > "/sys/bus/mdev/devices/$1/remove"; }
mdev_group() { basename "$(readlink "$1/iommu_group")"; }

# trap_count UUID NAME - a counter from the debugfs traps file
trap_count() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/traps"; }
# trap_delta BEFORE AFTER NAME - difference of a counter in two snapshots
trap_delta() {
	local a b
	a=$(awk -v k="$3" '$1 == k { print $2 }' "$1")
	b=$(awk -v k="$3" '$1 == k { print $2 }' "$2")
	echo $((${b:-0} - ${a:-0}))
}

# L2 traffic through a VF: the peer (netns "peer", 10.0.0.1) sends
# L2T_BYTES to L2 (10.0.0.2:5001) once L2 listens, L2 sends L2T_BYTES back
# to the peer (port 5002).  Both payloads are checked by md5.
#
#   l2_traffic_start NAME [TRAPS_UUID]
#	writes the L2 script /tmp/NAME-l2.sh and starts the peer side; with
#	TRAPS_UUID, snapshots of that mdev's trap counters are taken right
#	before and after the peer's transfer (/tmp/NAME.traps.{before,after})
#   l2_traffic_check NAME L2_CONSOLE_LOG
#	waits for the peer side and checks both payloads and the L2 driver
# L2_HOLD=1 makes the L2 script sleep after the traffic instead of ending
# (for libvirt, where the domain is destroyed by the test).
L2T_BYTES=${L2T_BYTES:-2000000}
l2_traffic_start() {
	local name=$1 uuid=${2:-}
	head -c "$L2T_BYTES" /dev/urandom > "/tmp/$name.to-l2"
	rm -f "/tmp/$name.from-l2" "/tmp/$name.l1-to-l2.ns" /tmp/"$name".traps.*
	ip netns exec peer timeout 900 socat -u TCP-LISTEN:5002,reuseaddr \
		"OPEN:/tmp/$name.from-l2,creat,trunc" &
	L2T_RX_PID=$!
	(
		for _ in $(seq 1 600); do
			[ -n "$uuid" ] && cat "$MDEV_DBG/$uuid/traps" > "/tmp/$name.traps.before"
			t0=$(date +%s%N)
			if ip netns exec peer socat -u "OPEN:/tmp/$name.to-l2" \
				TCP:10.0.0.2:5001,connect-timeout=2 2>/dev/null; then
				t1=$(date +%s%N)
				[ -n "$uuid" ] && cat "$MDEV_DBG/$uuid/traps" > "/tmp/$name.traps.after"
				echo $((t1 - t0)) > "/tmp/$name.l1-to-l2.ns"
				exit 0
			fi
			sleep 1
		done
		exit 1
	) &
	L2T_TX_PID=$!
	cat > "/tmp/$name-l2.sh" <<L2
for i in \$(seq 1 90); do
	ifc=\$(ls /sys/class/net | grep -v lo | head -n 1)
	[ -n "\$ifc" ] && break
	sleep 1
done
[ -n "\$ifc" ] || { echo "no NIC in L2"; exit 1; }
echo "L2-DRIVER \$(basename \$(readlink /sys/class/net/\$ifc/device/driver))"
echo "L2-MAC \$(cat /sys/class/net/\$ifc/address)"
ip addr add 10.0.0.2/24 dev "\$ifc"
ip link set "\$ifc" up
for i in \$(seq 1 120); do ping -c 1 -W 1 10.0.0.1 >/dev/null 2>&1 && break; done
ping -c 3 -W 2 10.0.0.1 || exit 2
nc -l -p 5001 > /tmp/rx || exit 3
echo "L2-RX-MD5 \$(md5sum < /tmp/rx | cut -d' ' -f1)"
head -c $L2T_BYTES /dev/urandom > /tmp/tx
echo "L2-TX-MD5 \$(md5sum < /tmp/tx | cut -d' ' -f1)"
t0=\$(cut -d' ' -f1 /proc/uptime)
nc 10.0.0.1 5002 < /tmp/tx || exit 4
t1=\$(cut -d' ' -f1 /proc/uptime)
echo "L2-TX-TIME \$t0 \$t1"
echo "L2-TRAFFIC-DONE"
[ "${L2_HOLD:-0}" = 1 ] && sleep 100000
exit 0
L2
}
l2_traffic_check() {
	local name=$1 log=$2 rx_sum tx_sum i
	kill "$L2T_TX_PID" 2>/dev/null
	wait "$L2T_TX_PID" 2>/dev/null
	for i in $(seq 1 40); do kill -0 "$L2T_RX_PID" 2>/dev/null || break; sleep 0.5; done
	kill "$L2T_RX_PID" 2>/dev/null
	wait "$L2T_RX_PID" 2>/dev/null
	check "$name: L2 driver is iavf" grep -q 'L2-DRIVER iavf' "$log"
	rx_sum=$(sed -n 's/.*L2-RX-MD5 \([0-9a-f]*\).*/\1/p' "$log" | tail -n 1)
	tx_sum=$(sed -n 's/.*L2-TX-MD5 \([0-9a-f]*\).*/\1/p' "$log" | tail -n 1)
	check "$name: payload L1 peer -> L2 intact ($L2T_BYTES bytes)" \
		test -n "$rx_sum" -a "$rx_sum" = "$(md5sum < "/tmp/$name.to-l2" | cut -d' ' -f1)"
	check "$name: payload L2 -> L1 peer intact ($L2T_BYTES bytes)" \
		test -n "$tx_sum" -a "$tx_sum" = "$(md5sum < "/tmp/$name.from-l2" 2>/dev/null | cut -d' ' -f1)"
}
# l2_rates NAME LOG - print "L1->L2 <KB/s> L2->L1 <KB/s>" from the timings
l2_rates() {
	local ns t0 t1
	ns=$(cat "/tmp/$1.l1-to-l2.ns" 2>/dev/null || echo 0)
	read -r t0 t1 < <(sed -n 's/.*L2-TX-TIME \([0-9.]*\) \([0-9.]*\).*/\1 \2/p' "$2" | tail -n 1)
	awk -v b="$L2T_BYTES" -v ns="$ns" -v t0="${t0:-0}" -v t1="${t1:-0}" 'BEGIN {
		r1 = ns > 0 ? b / (ns / 1e9) / 1024 : 0
		r2 = t1 > t0 ? b / (t1 - t0) / 1024 : 0
		printf "%d %d\n", r1, r2 }'
}

# mdev_traps_steady NAME UUID - assert that the trap counters show no
# data path trap while the peer's bulk transfer ran
mdev_traps_steady() {
	local name=$1 b=/tmp/$1.traps.before a=/tmp/$1.traps.after
	if [ ! -s "$b" ] || [ ! -s "$a" ]; then
		not_ok "$name: no trap counter snapshots around the transfer"
		return
	fi
	echo "# trap counters before/after the L1 -> L2 transfer of $L2T_BYTES bytes:"
	paste "$b" "$a" | sed 's/^/#   /'
	local dp other slow mbx
	dp=$(trap_delta "$b" "$a" datapath)
	other=$(trap_delta "$b" "$a" other)
	slow=$(trap_delta "$b" "$a" untrapped)
	mbx=$(trap_delta "$b" "$a" mailbox)
	check "$name: 0 data path traps during the transfer (got $dp)" test "$dp" = 0
	check "$name: 0 other-page traps during the transfer (got $other)" test "$other" = 0
	check "$name: 0 read/write of mmap()able BAR0 pages during the transfer (got $slow)" \
		test "$slow" = 0
	echo "# mailbox traps during the transfer: $mbx ($((L2T_BYTES / (mbx + 1))) bytes per trap + 1)"
}
