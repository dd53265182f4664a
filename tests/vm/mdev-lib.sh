# SPDX-License-Identifier: GPL-2.0
# Helpers for the i40e_vf_mdev VM tests (tests/vm/cases/mdev-*.sh), on top
# of tests/vm/lib.sh.  Sourced in L1.

. "$TOP/tests/vm/lib.sh"

MDEV_TYPE=i40e_vf_mdev-vf
MDEV_DRV=i40e_vf_mdev
MDEV_DBG=/sys/kernel/debug/i40e_vf_mdev
MDEV_VFIO=$(test_prog mdev_vfio)

# The driver's tracepoints (i40e_vf_mdev_trace.h): mdev_trace_on empties
# the trace ring and enables them all; mdev_trace_has ERE checks that an
# event line matches.
mdev_trace_on() { trace_events_on $MDEV_DRV; }
mdev_trace_has() { grep -qE "$1" $TRACEFS/trace; }

# mdev_pf_up NVF - the model's PF up with NVF VFs that nobody probes;
# mdev_pf2_up NVF - the same for the second PF ("# model-pfs: 2")
mdev_pf_up() { xl710_pf_up && xl710_vfs "${1:-1}"; }
mdev_pf2_up() { xl710_pf2_up && xl710_vfs "${1:-1}" "$XL710_PF2"; }

# mdev_two_vfs_bound - the PF up with 2 VFs ($VF0, $VF1), both bound to
# the driver; mdev_two_vfs U1 U2 - and mdev U1 on VF0, U2 on VF1 (the
# migration cases)
mdev_two_vfs_bound() {
	check "i40e PF up with 2 VFs" mdev_pf_up 2
	VF0=$(xl710_vf_bdf 0)
	VF1=$(xl710_vf_bdf 1)
	check "load $MDEV_DRV" mdev_load
	check "bind $VF0 to $MDEV_DRV" mdev_bind "$VF0"
	check "bind $VF1 to $MDEV_DRV" mdev_bind "$VF1"
}
mdev_two_vfs() {
	mdev_two_vfs_bound
	check "create source mdev on $VF0" mdev_create "$VF0" "$1"
	check "create destination mdev on $VF1" mdev_create "$VF1" "$2"
}

# mdev_load - vfio-pci, mdev and the driver
mdev_load() {
	modprobe -a vfio-pci mdev || return 1
	lsmod | grep -q "^$MDEV_DRV " && return 0
	insmod "$MODULES/$MDEV_DRV.ko"
}

# mdev_kunit - the KUnit suites of the driver's pure logic (stream, v1
# protocol, state steps, dirty-set arithmetic, group links), built as
# modules against the project kernel (build-modules.sh), loaded once the
# driver is (they import what they test from it) and unloaded again.
# Every test case's result goes to /results/subtests.ktap, which
# tests/run.sh counts one by one.  The project config leaves KUnit off by
# default (KUNIT_DEFAULT_ENABLED=n).
mdev_kunit() {
	local ko mods d suites=0

	shopt -s nullglob
	mods=("$MODULES"/*_test.ko)
	shopt -u nullglob
	check "KUnit modules built (${#mods[@]})" test ${#mods[@]} -gt 0
	check "modprobe kunit enable=1" modprobe kunit enable=1
	: > /results/subtests.ktap
	for ko in "${mods[@]}"; do
		check "insmod $(basename "$ko")" insmod "$ko"
	done
	for d in /sys/kernel/debug/kunit/*/; do
		[ -f "$d/results" ] || continue
		suites=$((suites + 1))
		cat "$d/results" >> /results/subtests.ktap
	done
	sed 's/^/#   /' /results/subtests.ktap
	check "KUnit suites ran ($suites)" test "$suites" -gt 0
	check "no KUnit case failed" sh -c "! grep -q '^ *not ok' /results/subtests.ktap"
	for ko in "${mods[@]}"; do
		check "rmmod $(basename "$ko" .ko)" rmmod "$(basename "$ko" .ko)"
	done
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
# dirty_stat UUID NAME - a value from the debugfs dirty file (DMA logging)
dirty_stat() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/dirty"; }
# mig_stat UUID NAME - a value from the debugfs migration file
mig_stat() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/migration"; }
# saved_state / loaded_state UUID - "LENGTH CRC32" of the device state the
# driver saved / loaded last for the mdev UUID
saved_state() { echo "$(mig_stat "$1" saved_len) $(mig_stat "$1" saved_crc)"; }
loaded_state() { echo "$(mig_stat "$1" loaded_len) $(mig_stat "$1" loaded_crc)"; }
# mig_saved FILE - "LEN CRC" from the migration sample's
# "saved LEN bytes crc32 CRC" line in FILE
mig_saved() { sed -n 's/^saved \([0-9]*\) bytes crc32 \(0x[0-9a-f]*\)$/\1 \2/p' "$1"; }
# trap_delta BEFORE AFTER NAME - difference of a counter in two snapshots
trap_delta() {
	local a b
	a=$(awk -v k="$3" '$1 == k { print $2 }' "$1")
	b=$(awk -v k="$3" '$1 == k { print $2 }' "$2")
	echo $((${b:-0} - ${a:-0}))
}

# Mailbox traps are bounded per transferred packet (L2T_BYTES in
# segments of 1448 bytes, the MSS on a 1500-byte MTU, whatever the NICs
# offload): iavf's mailbox traffic is periodic (watchdog, statistics
# requests: 4 to 7 trapped accesses a second measured), not per packet,
# while a data path that touched a mailbox register per packet makes at
# least one per packet.  Measured on the stock kernel, 2 MB each way:
# one per 31 to 63 packets L1 -> L2, one per 45 to 125 L2 -> L1 (one per
# 14 while L2 still generated its data inside that window; it now does so
# before the transfers).  Reads are not a count of messages: iavf polls
# the send queue's head every 50 us until the PF's firmware has taken
# each message, so a busy host makes more of them (352 reads in one
# L2 -> L1 window of 1382 packets in a suite run beside a kernel build,
# against about 11 usually).  So the writes (one or two per message) are
# held to fewer than one per MDEV_PKTS_PER_MBX packets, and all mailbox
# accesses, reads included, to fewer than one per packet.
MDEV_PKTS_PER_MBX=${MDEV_PKTS_PER_MBX:-4}
# A migratable device keeps its Rx tail page trapped for dirty
# tracking (Documentation/migration.rst): iavf writes an Rx tail once per
# 16 buffers it gives back at least (IAVF_RX_BUFFER_WRITE), one buffer per
# received frame of a 1500-byte MTU, so at most one trap per 16 frames
# received; the bound leaves room for rounding at the window's ends.
MDEV_PKTS_PER_RXT=${MDEV_PKTS_PER_RXT:-8}

# rx_tail_kept SNAPSHOT - the Rx tail page is trapped in a traps snapshot
rx_tail_kept() { grep -q '^trapped 0x2000-0x2fff' "$1"; }

# mdev_traps_quiet BEFORE AFTER - the trap counters between two snapshots
# of l2_traffic_start, around a transfer of L2T_BYTES, show no Tx tail
# trap, no other-page trap, no read/write of an mmap()able BAR0 page,
# fewer mailbox accesses than packets and fewer mailbox writes than one
# per MDEV_PKTS_PER_MBX packets, and Rx tail traps only if that page is
# trapped, then fewer than one per MDEV_PKTS_PER_RXT packets; prints the
# differences
mdev_traps_quiet() {
	local tx rx other slow mbx mbxw pkts=$(((L2T_BYTES + 1447) / 1448))
	tx=$(trap_delta "$1" "$2" tx_tail)
	rx=$(trap_delta "$1" "$2" rx_tail)
	other=$(trap_delta "$1" "$2" other)
	slow=$(trap_delta "$1" "$2" untrapped)
	mbx=$(trap_delta "$1" "$2" mailbox)
	# trapped writes are the mailbox's, the tail pages' and the others'
	mbxw=$(($(trap_delta "$1" "$2" writes) - tx - rx - other))
	echo "tx_tail $tx, rx_tail $rx, other $other, untrapped $slow, mailbox $mbx ($mbxw writes) for $pkts packets"
	[ "$tx" = 0 ] && [ "$other" = 0 ] && [ "$slow" = 0 ] &&
		[ "$mbx" -lt "$pkts" ] &&
		[ $((mbxw * MDEV_PKTS_PER_MBX)) -lt "$pkts" ] || return 1
	if rx_tail_kept "$1"; then
		[ $((rx * MDEV_PKTS_PER_RXT)) -lt "$pkts" ]
	else
		[ "$rx" = 0 ]
	fi
}

# mdev_traps_windows NAME - "BEFORE AFTER DIRECTION" per line: the
# snapshot pairs of l2_traffic_start around the transfer in each direction
mdev_traps_windows() {
	echo "/tmp/$1.traps.before /tmp/$1.traps.after L1->L2"
	echo "/tmp/$1.traps.after /tmp/$1.traps.l2done L2->L1"
}

# mdev_traps_steady NAME UUID - assert mdev_traps_quiet for the bulk
# transfer in each direction
mdev_traps_steady() {
	local name=$1 b a dir
	while read -r b a dir; do
		if [ ! -s "$b" ] || [ ! -s "$a" ]; then
			not_ok "$name: $dir: no trap counter snapshots around the transfer"
			continue
		fi
		echo "# trap counters before/after the $dir transfer of $L2T_BYTES bytes:"
		paste "$b" "$a" | sed 's/^/#   /'
		check "$name: $dir: no Tx tail, other-page or mmap()able-page access trapped, < 1 mailbox access per packet and < 1 mailbox write per $MDEV_PKTS_PER_MBX, Rx tail traps only with the page kept, < 1 per $MDEV_PKTS_PER_RXT packets ($(mdev_traps_quiet "$b" "$a" | tail -n 1))" \
			mdev_traps_quiet "$b" "$a"
	done < <(mdev_traps_windows "$name")
}

# mdev_trap_tail_control NAME UUID WHAT QEMU_ARGS... - negative control of
# the trap accounting: with debugfs trap_tail set before L2 starts, QEMU
# finds the Tx/Rx tail pages left out of BAR0's sparse mmap areas and
# writes them through the trap; L2 (started as in mdev_qemu_l2, with less
# traffic) still passes verified traffic, the tx_tail counter moves in
# both directions, and mdev_traps_quiet, the steady-state check, fails
# for both.  trap_tail is cleared afterwards (the Rx tail page stays
# trapped on a migratable device).
mdev_trap_tail_control() {
	local name=$1 u=$2 what=$3 L2_MODULES=iavf L2T_BYTES=300000 L2T_UDP_COUNT=100
	local knob=$MDEV_DBG/$2/trap_tail b a dir rx_kept
	shift 3
	# whether the Rx tail page is trapped for good (DMA logging offered)
	rx_kept=$(grep -c '^trapped 0x2000-' "$MDEV_DBG/$u/traps")
	check "$name: trap_tail set" sh -c "echo 1 > $knob && grep -qx 1 $knob"
	check "$name: tail pages trapped and out of the sparse mmap areas" sh -c \
		"'$MDEV_VFIO' info /sys/bus/mdev/devices/$u > /tmp/$name-info.txt &&
		 grep -q '^SPARSE 0x1000+0x1000' /tmp/$name-info.txt &&
		 grep -q '^SPARSE 0x3000+0x3000' /tmp/$name-info.txt &&
		 grep -q '^SPARSE 0x9000+0x7000' /tmp/$name-info.txt &&
		 test \$(grep -c '^SPARSE' /tmp/$name-info.txt) = 3 &&
		 grep -q '^trapped 0x0-0xfff' $MDEV_DBG/$u/traps &&
		 grep -q '^trapped 0x2000-0x2fff' $MDEV_DBG/$u/traps"
	sed 's/^/#   /' "/tmp/$name-info.txt"
	l2_traffic_start "$name" "$MDEV_DBG/$u/traps"
	check "$name: L2 ($what) passes traffic with the tail pages trapped" \
		run_l2 "$name" 600 "/tmp/$name-l2.sh" "$@"
	l2_traffic_check "$name" "/results/$name-l2.log"
	while read -r b a dir; do
		echo "# $name: trap counters before/after the $dir transfer of $L2T_BYTES bytes:"
		paste "$b" "$a" | sed 's/^/#   /'
		check "$name: $dir: Tx tail writes counted as traps ($(trap_delta "$b" "$a" tx_tail))" \
			test "$(trap_delta "$b" "$a" tx_tail)" -gt 0
		expect_fail "$name: $dir: the steady-state check fails on them" \
			mdev_traps_quiet "$b" "$a"
	done < <(mdev_traps_windows "$name")
	check "$name: trap_tail cleared (the Rx tail page as before)" sh -c \
		"echo 0 > $knob && grep -qx 0 $knob &&
		 ! grep -q '^trapped 0x0-' $MDEV_DBG/$u/traps &&
		 test \"\$(grep -c '^trapped 0x2000-' $MDEV_DBG/$u/traps)\" = $rx_kept"
}

# The cases that give VF0's mdev to an L2 (mdev-qemu*, mdev-libvirt*).
#
# mdev_vf0_prepare - KVM for L2, the peer in its netns, the PF up with one
# VF ($VF) whose MAC the PF sets to $VF_MAC, the driver loaded and bound
# to the VF.
mdev_vf0_prepare() {
	modprobe kvm_amd
	check "peer NIC in netns" setup_peer
	check "i40e PF up with 1 VF" mdev_pf_up 1
	VF=$(xl710_vf_bdf 0)
	check "PF sets VF0 MAC" ip link set "$PF_IF" vf 0 mac "$VF_MAC"
	check "load $MDEV_DRV" mdev_load
	check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
}
# mdev_vf0_create UUID - mdev_vf0_prepare, then the mdev UUID on VF0
# ($U, its sysfs directory $M); the test stops here if anything failed.
mdev_vf0_create() {
	mdev_vf0_prepare
	U=$1 M=/sys/bus/mdev/devices/$1
	check "create mdev $U" mdev_create "$VF" "$U"
	[ "$FAILED" = 0 ] || done_testing
}

# mdev_l2_traps NAME UUID LOG - after an L2 run that passed traffic through
# the mdev: L2's VF has $VF_MAC, the trap counters show no Tx tail trap
# and no read/write of a page QEMU could have mapped during the peer's bulk
# transfer, mailbox traps happened, Rx tail traps happened if and only if
# the device is migratable (dirty tracking); prints the throughput.
mdev_l2_traps() {
	local name=$1 u=$2 log=$3 r1 r2
	check "$name: L2 VF has the MAC the PF set" grep -q "L2-MAC $VF_MAC" "$log"
	echo "# trap counters so far:"
	sed 's/^/#   /' "$MDEV_DBG/$u/traps"
	mdev_traps_steady "$name" "$u"
	check "$name: mailbox traps happened (the trap is in the path: $(trap_count "$u" mailbox))" \
		test "$(trap_count "$u" mailbox)" -gt 10
	check "$name: 0 Tx tail traps over the whole run" test "$(trap_count "$u" tx_tail)" = 0
	if grep -q '^pinning ' "$MDEV_DBG/$u/dirty"; then
		check "$name: migratable: Rx tail page trapped, its writes trapped for dirty tracking ($(trap_count "$u" rx_tail))" \
			sh -c "grep -q '^trapped 0x2000-0x2fff' '$MDEV_DBG/$u/traps' && [ $(trap_count "$u" rx_tail) -gt 0 ]"
	else
		check "$name: not migratable: 0 Rx tail traps" test "$(trap_count "$u" rx_tail)" = 0
	fi
	read -r r1 r2 < <(l2_rates "$name" "$log")
	echo "# $name: throughput through the mdev: L1 -> L2 $r1 KiB/s, L2 -> L1 $r2 KiB/s"
}

# mdev_qemu_l2 NAME UUID WHAT QEMU_ARGS... - L1's QEMU (run_l2) starts L2
# with the mdev as QEMU_ARGS give it (WHAT says how, for the check);
# the upstream iavf in L2 brings the VF up (virtchnl through the trapped
# mailbox) and passes verified traffic both ways with the peer; then
# mdev_l2_traps.
mdev_qemu_l2() {
	local name=$1 u=$2 what=$3 L2_MODULES=iavf
	shift 3
	l2_traffic_start "$name" "$MDEV_DBG/$u/traps"
	check "L2 ($what) runs iavf on the mdev and passes traffic" \
		run_l2 "$name" 600 "/tmp/$name-l2.sh" "$@"
	l2_traffic_check "$name" "/results/$name-l2.log"
	mdev_l2_traps "$name" "$u" "/results/$name-l2.log"
}

# An L2 QEMU started with "-qmp unix:/tmp/NAME.qmp,server=on,wait=off"
# (mig-traffic.sh, mig-bench.sh):
# qmp NAME JSON... - QMP commands to the L2 QEMU NAME; prints the answers
qmp() {
	local sock=/tmp/$1.qmp
	shift
	{ echo '{"execute":"qmp_capabilities"}'; printf '%s\n' "$@"; sleep 1; } |
		socat -t 10 - "UNIX-CONNECT:$sock" 2>/dev/null
}
# mig_query NAME [KEY...] - "STATUS" and the values of query-migrate's
# KEYs ("-" for a missing one; KEY.SUB for one in a member) for NAME's
# migration
mig_query() {
	local name=$1
	shift
	qmp "$name" '{"execute":"query-migrate"}' | python3 -c '
import json, sys
def get(r, key):
    for k in key.split("."):
        r = r.get(k, {}) if isinstance(r, dict) else {}
    return "-" if r == {} else r
for line in sys.stdin:
    try:
        r = json.loads(line).get("return")
    except ValueError:
        continue
    if isinstance(r, dict) and "status" in r:
        print(r["status"], *(get(r, k) for k in sys.argv[1:]))' "$@"
}
# mig_status NAME - "STATUS TOTAL-MS DOWNTIME-MS" of NAME's migration
mig_status() { mig_query "$1" total-time downtime; }
# mig_wait NAME SECS STATUS... - poll NAME's migration about every
# second until its status is one of STATUS, for at most SECS seconds (a
# QEMU whose monitor does not answer takes 10 s a poll); sets $s
# (mig_status) and $status
mig_wait() {
	local name=$1 end=$((SECONDS + $2))
	shift 2
	s='' status=none
	while [ $SECONDS -lt $end ]; do
		s=$(mig_status "$name")
		status=${s%% *}
		case " $* " in *" $status "*) return ;; esac
		sleep 1
	done
}
# qemu_stuck PID UUID... - what a QEMU whose migration does not end is
# doing: each thread's name, kernel wait channel and stack, and the
# drivers' migration state of the mdevs UUID
qemu_stuck() {
	local t u
	for t in /proc/"$1"/task/*; do
		echo "# thread $(cat "$t/comm" 2>/dev/null) ($(basename "$t")): state $(awk '{ print $3 }' "$t/stat" 2>/dev/null), wchan $(cat "$t/wchan" 2>/dev/null)"
		sed 's/^/#     /' "$t/stack" 2>/dev/null | head -n 12
	done
	shift
	for u in "$@"; do
		sed "s/^/#   $u: /" "$MDEV_DBG/$u/migration" 2>/dev/null
	done
}
# hmp SOCKET CMD - one HMP command to a QEMU monitor, its output
hmp() {
	printf '%s\n' "$2" | socat -t 10 - "UNIX-CONNECT:$1" 2>/dev/null |
		tr -d '\r' | grep -v '^(qemu)\|^QEMU .* monitor'
}

# blocker_start NAME DEVICE - L2's QEMU, paused, with -device DEVICE and
# the monitor /tmp/NAME.mon (log /results/NAME.qemu.log); succeeds once
# the monitor answers, i.e. the device is set up; sets BLOCKER_PID.
# blocker_errors NAME - QEMU asked to migrate: its error lines.
# blocker_quit NAME - QEMU quits (killed if it does not within 30 s).
blocker_start() {
	local fw
	read -ra fw <<< "$(vmm_firmware "$L2_QEMU")"
	rm -f "/tmp/$1.mon"
	"$L2_QEMU" "${fw[@]}" -M q35 -accel kvm -cpu host -m 64 -S -nodefaults \
		-display none -monitor "unix:/tmp/$1.mon,server=on,wait=off" \
		-device "$2" > "/results/$1.qemu.log" 2>&1 &
	BLOCKER_PID=$!
	wait_for 60 blocker_up "$1"
}
blocker_up() { test -S "/tmp/$1.mon" && hmp "/tmp/$1.mon" 'info status' | grep -q 'VM status'; }
blocker_errors() { hmp "/tmp/$1.mon" 'migrate exec:cat>/dev/null' | grep -a '^Error'; }
blocker_quit() {
	hmp "/tmp/$1.mon" quit > /dev/null
	wait_for 30 gone "$BLOCKER_PID" || kill -KILL "$BLOCKER_PID"
	wait "$BLOCKER_PID" 2>/dev/null
}

# mdev_vf0_finish M - after the mdev M was removed: it is gone, VF0 offers
# its instance again, the driver unloads, the kernel log is clean.  Ends
# the test.
mdev_vf0_finish() {
	check "mdev gone" test ! -e "$1"
	check "available_instances back to 1" test "$(mdev_avail "$VF")" = 1
	if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
		head -n 5 /tmp/ge.txt
		echo "# note: the model logged guest errors (not asserted here)"
	fi
	check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
	check_dmesg_clean
	done_testing
}

# l2_mig_pre_phase SCRIPT - an L2 script of l2_traffic_start for a
# migration: once iavf is up and the peer answered, it says L2-PRE-OK,
# pings the peer every 0.2 s (across the migration) until the peer says
# go (a connection to port 5007), prints the ping's last lines (L2-PING:
# the replies lost) and iavf's messages so far (L2-DMESG), then goes on
# with the verified transfers
l2_mig_pre_phase() {
	sed -i '/^ping -c 3 -W 2 10.0.0.1 || exit 2$/a\
echo L2-PRE-OK\
ping -i 0.2 10.0.0.1 > /tmp/ping.log 2>\&1 \&\
pp=$!\
nc -l -p 5007 > /dev/null\
kill -INT $pp; sleep 1\
tail -n 2 /tmp/ping.log | sed "s/^/L2-PING /"\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"' "$1"
	grep -q L2-PRE-OK "$1"
}
# l2_go - the peer tells an L2 of l2_mig_pre_phase to go on
l2_go() {
	local i
	for i in $(seq 1 60); do
		ip netns exec peer socat -u /dev/null TCP:10.0.0.2:5007,connect-timeout=2 \
			2>/dev/null && return 0
		sleep 1
	done
	return 1
}

# Sustained traffic and the guest memory verifier, kept up across
# migrations (mig-traffic.sh's round trips, mig-libvirt.sh): in L2,
# l2memv (4 MiB, 32 pages rewritten a second) and one end of each of two
# l2udp streams, every frame checked byte for byte: peer -> L2 (ports
# 5011 -> 5010) and L2 -> peer (5012 -> 5013); each prints its counts
# every 2 s to L2's console.  The peer's ends write /results/sus.tx and
# /results/sus.rx.  A datagram is sent again for up to a minute, so that a
# stream outlasts a migration's downtime; each waits 50 ms after an
# acknowledged one (at most 20 a second each way: under TCG more, or a
# larger memory verifier, slowed every migration down by half).  The
# receivers skip frames of other flows (L2UDP_OTHERS=skip): the segment
# carries the migration's own TCP stream between the hosts, whose frames
# can have the streams' length; every frame of a stream's own flow is
# checked.  A stream that never started fails the first sus_check after
# it (its counts stay 0) and sus_stop.
SUS_ENV="L2UDP_PROGRESS=2 L2UDP_TRIES=60 L2UDP_WAIT=14400 L2UDP_GAP_MS=50 L2UDP_OTHERS=skip"
SUS_COUNT=4000000000
# sus_l2_files - build-initrd.sh's SRC=DEST arguments for L2: the programs
# and /bin/l2sus.sh, which an L2 script runs as "sh /bin/l2sus.sh $ifc"
sus_l2_files() {
	local udp memv
	udp=$(test_prog l2udp) && memv=$(test_prog l2memv) || return 1
	cat > /tmp/l2sus.sh <<L2
# tests/vm/mdev-lib.sh's sustained traffic, L2's side
export $SUS_ENV
/bin/l2memv 4 32 2 &
/bin/l2udp recv "\$1" 5010 10.0.0.1 5011 $SUS_COUNT 1000 &
/bin/l2udp send 5012 $SUS_COUNT 1000 14400 &
L2
	echo "$udp=/bin/l2udp $memv=/bin/l2memv /tmp/l2sus.sh=/bin/l2sus.sh"
}
# sus_peer_start - the peer's ends of both streams (in the background;
# each waits for L2's end)
sus_peer_start() {
	local udp ifc
	udp=$(test_prog l2udp) || return 1
	ifc=$(peer_ifc)
	rm -f /results/sus.tx /results/sus.rx
	# shellcheck disable=SC2086 # the variables
	ip netns exec peer env $SUS_ENV "$udp" send 5011 $SUS_COUNT 1000 600 > /results/sus.tx 2>&1 &
	SUS_TX_PID=$!
	# shellcheck disable=SC2086
	ip netns exec peer env $SUS_ENV "$udp" recv "$ifc" 5013 10.0.0.2 5012 $SUS_COUNT 1000 > /results/sus.rx 2>&1 &
	SUS_RX_PID=$!
}
# sus_last FILE WHAT KEY - KEY's value in FILE's last WHAT line (0: none);
# not from FILE's last line, which a console may not have written whole
sus_last() {
	local v
	v=$(sed '$d' "$1" 2>/dev/null | grep -ao "$2 .*" | tail -n 1 |
		sed -n "s/.* $3=\([0-9]*\).*/\1/p")
	echo "${v:-0}"
}
# sus_snap CONSOLE - "RX TX MEMV PEER-RX": the frames L2 received and
# sent that were acknowledged, l2memv's passes (from L2's console
# CONSOLE) and the frames the peer received
sus_snap() {
	echo "$(sus_last "$1" UDP-RX-PROGRESS received) $(sus_last "$1" UDP-TX-PROGRESS sent)" \
		"$(sus_last "$1" MEMV-PROGRESS passes) $(sus_last /results/sus.rx UDP-RX-PROGRESS received)"
}
# sus_clean CONSOLE... - no wrong frame or memory reported, and no
# datagram given up, in L2's consoles and the peer's ends
sus_clean() {
	! grep -aqE 'UDP-BAD|MEMV-BAD|UDP-TX: |MEMV-[A-Z]* .*bad=[1-9]|UDP-RX-[A-Z]* .*bad=[1-9]' \
		"$@" /results/sus.tx /results/sus.rx
}
# sus_moved CONSOLE SNAP - every count of sus_snap went beyond SNAP's,
# and sus_clean
sus_moved() {
	local a b i
	read -r -a a <<< "$2"
	read -r -a b <<< "$(sus_snap "$1")"
	for i in 0 1 2 3; do
		[ "${b[i]:-0}" -gt "${a[i]:-0}" ] || return 1
	done
	sus_clean "$1"
}
# sus_check NAME CONSOLE SNAP - the check that the streams and l2memv went
# on since SNAP (within a minute: each reports every 2 s), printing the
# counts
sus_check() {
	local end=$((SECONDS + 60))
	# (not wait_for, which counts tries: each look takes a while in L1)
	until sus_moved "$2" "$3" || [ $SECONDS -ge $end ]; do
		sleep 2
	done
	check "$1: in L2 both streams and the memory verifier went on, nothing wrong (L2 rx, L2 tx, passes, peer rx: $3 -> $(sus_snap "$2"))" \
		sus_moved "$2" "$3"
}
# sus_stop CONSOLE... - the peer ends both streams (SIGTERM): their
# results, and nothing wrong in the whole run
sus_stop() {
	kill -TERM "$SUS_TX_PID" "$SUS_RX_PID" 2>/dev/null
	wait "$SUS_TX_PID" "$SUS_RX_PID" 2>/dev/null
	sed 's/^/#   peer: /' /results/sus.tx /results/sus.rx | grep -v PROGRESS
	grep -aho 'MEMV-[A-Z]* .*' "$@" | tail -n 1 | sed 's/^/#   L2: /'
	check "the sustained streams: every frame checked, none wrong, none given up ($(grep -o 'sent=[0-9]*' /results/sus.tx | tail -n 1) to L2, $(grep -o 'received=[0-9]*' /results/sus.rx | tail -n 1) from L2)" \
		sh -c "grep -q '^UDP-TX-RESULT sent=[1-9]' /results/sus.tx &&
		       ! grep -q '^UDP-TX: ' /results/sus.tx &&
		       grep -q '^UDP-RX-RESULT received=[1-9][0-9]* of [0-9]* bad=0 ' /results/sus.rx"
	check "no wrong frame or memory in L2's consoles" sus_clean "$@"
}

# pf_vf_view IFC PF N - what the PF (netdev IFC, PCI address PF) has of
# its VF N: ip link's "vf N" line (MAC, spoof checking, link state,
# trust) without N, then from i40e's debugfs dumps of the VF and its VSI:
# queue pairs, MAC/VLAN filters, security flags and port VLAN (sorted,
# without ids and filter states)
pf_vf_view() {
	local ifc=$1 pf=$2 n=$3 cmd tag seid
	ip link show "$ifc" | sed -n "s/^ *vf $n *//p"
	cmd=/sys/kernel/debug/i40e/$pf/command
	tag="i40evfm-vf-view-$RANDOM$RANDOM"
	echo "$tag" > /dev/kmsg
	echo "dump vf $n" > "$cmd"
	seid=$(dmesg | sed -n "/$tag/,\$ s/.*: vf *$n: VSI id=[0-9]*, seid=\([0-9]*\),.*/\1/p" | tail -n 1)
	[ -n "$seid" ] && echo "dump vsi $seid" > "$cmd"
	dmesg | sed -n "/$tag/,\$ s/^.*i40e $pf: *//p" |
		grep -E '^vf +[0-9]+:|mac_filter_hash|num_queue_pairs|sec_flags|pvid' |
		sed -e 's/^vf *[0-9]*: VSI id=[0-9]*, seid=[0-9]*, //' \
			-e 's/, state .*//' -e 's/base_queue = [0-9]*, //' | sort
}
# same_view SOURCE DESTINATION - two pf_vf_view outputs are equal and show
# filters; else the difference
same_view() {
	[ "$1" = "$2" ] && grep -q mac_filter_hash <<< "$1" && return 0
	diff <(echo "$1") <(echo "$2") | sed 's/^/#   /'
	return 1
}

# libvirt in L1 (either stack; tests/vm/cases/mdev-libvirt*.sh): no
# systemd, no security driver, no cgroup controllers or mount namespace
# (L1's / is an overlay over 9p), QEMU as root, console and QEMU log
# written by libvirtd itself.  libvirt 11.3 from Debian's backports still
# has the monolithic libvirtd, so both stacks start the same daemons.
#
# libvirt_start [HOST_UUID] - with HOST_UUID, libvirtd also listens on TCP
# (port 16509, neither TLS nor authentication: the test's own segment) for
# migrations between two L1s, and calls itself HOST_UUID: both L1s have the
# same SMBIOS UUID, and libvirt refuses to migrate to its own host.
libvirt_start() {
	local listen=()
	cat >> /etc/libvirt/qemu.conf <<'CONF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = []
cgroup_controllers = []
stdio_handler = "file"
CONF
	if [ -n "${1:-}" ]; then
		cat >> /etc/libvirt/libvirtd.conf <<CONF
listen_tls = 0
listen_tcp = 1
auth_tcp = "none"
host_uuid = "$1"
CONF
		listen=(--listen)
	fi
	mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt/qemu /run/libvirt
	/usr/sbin/virtlogd -d || return 1
	/usr/sbin/libvirtd -d "${listen[@]}" || return 1
	wait_for 120 virsh -c qemu:///system version
}
libvirt_stop() {
	kill "$(cat /run/libvirtd.pid 2>/dev/null)" "$(cat /run/virtlogd.pid 2>/dev/null)" 2>/dev/null
	sleep 1
}

# mdev_libvirt_domain NAME UUID INITRD CONSOLE [PROP TYPE VALUE] - a KVM
# domain booting L2 directly (the L1 kernel, INITRD) with the mdev as
#   <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
# (alias ua-vf0) and its serial console appended to the file CONSOLE.
# PROP TYPE VALUE sets a property of the vfio-pci device through
# <qemu:override>: QEMU 10's enable-migration (string on) or QEMU 7.2's
# x-enable-migration (bool true).  Neither QEMU migrates a VFIO device
# without DMA logging unless asked, and the driver offers DMA logging
# only on a kernel with CONFIG_IOMMUFD_DRIVER (Documentation/
# migration.rst).
mdev_libvirt_domain() {
	local ns='' override=''
	if [ -n "${5:-}" ]; then
		ns=" xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'"
		override="
  <qemu:override>
    <qemu:device alias='ua-vf0'>
      <qemu:frontend>
        <qemu:property name='$5' type='$6' value='$7'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>"
	fi
	cat <<XML
<domain type='kvm'$ns>
  <name>$1</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$I40EVFM_L2_BZIMAGE</kernel>
    <initrd>$3</initrd>
    <cmdline>$L2_CMDLINE</cmdline>
  </os>
  <features><acpi/></features>
  <cpu mode='host-passthrough'/>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'>
      <source path='$4' append='on'/>
      <target port='0'/>
    </serial>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='$2'/>
      </source>
      <alias name='ua-vf0'/>
    </hostdev>
    <memballoon model='none'/>
  </devices>$override
</domain>
XML
}

# mdev_libvirt_run UUID - the libvirt case on the stack in L1: an mdev
# started with mdevctl on VF0, libvirt's daemons, a domain with the mdev
# (mdev_libvirt_domain), `virsh start`, L2 passes verified traffic both
# ways with the peer, `virsh destroy`; afterwards the mdev is closed and
# reusable and nothing is left behind.  Ends the test.
mdev_libvirt_run() {
	local u=$1 dom=l2mdev con=/results/libvirt-l2.log
	local m=/sys/bus/mdev/devices/$1 qlog=/var/log/libvirt/qemu/l2mdev.log
	mdev_vf0_prepare
	check "mdevctl start -u $u -p $VF -t $MDEV_TYPE" mdevctl start -u "$u" -p "$VF" -t $MDEV_TYPE
	[ "$FAILED" = 0 ] || done_testing
	check "virtlogd and libvirtd start" libvirt_start
	virsh -c qemu:///system version | sed 's/^/#   /'
	export LIBVIRT_DEFAULT_URI=qemu:///system
	local qv
	qv=$(qemu-system-x86_64 --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p')
	check "libvirtd drives L1's QEMU $qv" sh -c "virsh version | grep -q 'hypervisor: QEMU $qv\$'"

	L2_HOLD=1 l2_traffic_start libvirt "$MDEV_DBG/$u/traps"
	check "L2 initramfs (iavf + traffic script)" "$TOP/scripts/build-initrd.sh" \
		/tmp/libvirt-l2.cpio.gz "$TOP/tests/vm/l2-init" "$I40EVFM_L2_MODDIR" \
		iavf -- /tmp/libvirt-l2.sh=/test.sh "$L2T_UDP_PROG=/bin/l2udp"
	mdev_libvirt_domain $dom "$u" /tmp/libvirt-l2.cpio.gz $con > /tmp/$dom.xml
	check "virsh define" virsh define /tmp/$dom.xml
	check "the hostdev is in the definition" sh -c "virsh dumpxml $dom | grep -q \"address uuid='$u'\""
	kvm_trace_start || echo "# no KVM trace (tracefs)"
	check "virsh start" virsh start $dom
	virsh list --all | sed 's/^/#   /'
	# libvirt passes -device as JSON: {"driver":"vfio-pci",...,"sysfsdev":"..."}
	check "QEMU was given -device vfio-pci,sysfsdev=$m" \
		grep -qE "\"driver\":\"vfio-pci\".*\"sysfsdev\":\"$m\"|vfio-pci,sysfsdev=$m" $qlog
	check "the mdev is open (a second open fails)" sh -c "! '$MDEV_VFIO' open '$m'"
	# Whether QEMU would migrate L2 (recorded, not asserted: QEMU 10 blocks
	# a VFIO device without DMA logging when enable-migration is auto).
	echo "# query-migrate: $(virsh qemu-monitor-command $dom '{"execute":"query-migrate"}' 2>&1)"
	l2_done() { grep -qE 'L2-TRAFFIC-DONE|L2-RESULT' $con; }
	# An L2 that crashed or powered off is destroyed (on_crash,
	# on_reboot): stop waiting then too.
	l2_over() { l2_done || ! virsh domstate $dom | grep -q running; }
	wait_for 400 l2_over
	check "L2 finished its traffic" l2_done
	if ! l2_done; then
		# Where L2 stands: its vCPU, QEMU's view of the device, libvirt's log.
		virsh domstate --reason $dom | sed 's/^/#   /'
		for c in "info status" "info registers" "info pci"; do
			echo "#   (qemu) $c"
			virsh qemu-monitor-command --hmp $dom "$c" 2>&1 | head -n 40 | sed 's/^/#   /'
		done
		tail -n 20 $qlog | sed 's/^/#   qemu.log| /'
		kvm_trace_save libvirt
	fi
	sed 's/^/    L2| /' $con | tail -n 30
	check "L2 script did not fail" sh -c "! grep -q 'L2-RESULT rc=[1-9]' $con"
	check "domain still running" sh -c "virsh domstate $dom | grep -q running"
	l2_traffic_check libvirt $con
	mdev_l2_traps libvirt "$u" $con
	check "virsh destroy" virsh destroy $dom
	check "domain shut off" sh -c "virsh domstate $dom | grep -q 'shut off'"
	check "the mdev is closed and still there" wait_for 30 "$MDEV_VFIO" open "$m"
	check "virsh undefine" virsh undefine $dom
	check "no domains left" test -z "$(virsh list --all --name | tr -d '[:space:]')"
	cp $qlog /results/libvirt-qemu.log 2>/dev/null
	check "mdevctl stop" mdevctl stop -u "$u"
	libvirt_stop
	mdev_vf0_finish "$m"
}
