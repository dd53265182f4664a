# SPDX-License-Identifier: GPL-2.0
# Helpers for test scripts that run in L1 (sourced).  A test prints one line
# per check ("ok - ..." / "not ok - ...") and exits non-zero if any failed.

set -u
FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILED=1; }
# check DESCRIPTION CMD... - run CMD, report it as one check
check() {
	local what=$1
	shift
	if "$@" > /tmp/check.out 2>&1; then
		ok "$what"
	else
		not_ok "$what (exit $?)"
		sed 's/^/    /' /tmp/check.out | tail -n 20
	fi
}
# expect_fail DESCRIPTION CMD... - CMD must fail
expect_fail() {
	local what=$1
	shift
	if "$@" > /tmp/check.out 2>&1; then
		not_ok "$what (unexpectedly succeeded)"
	else
		ok "$what"
	fi
}
done_testing() {
	[ "$FAILED" = 0 ] && echo "# all checks passed" || echo "# some checks FAILED"
	exit "$FAILED"
}
die() { not_ok "$*"; exit 1; }

# wait_for SECS CMD... - poll until CMD succeeds
# gone PID - the process PID has ended (for wait_for: no process spawned)
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 5; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

# Kernel log checks: nothing that the debug kernel's checkers or a WARN
# would print.  Call at the end of a test (it scans for leaks on the debug
# kernel).  tests/vm/run-l1.sh checks every run's whole kernel log for the
# same reports whatever the test returned; the log is never cleared.
DMESG_BAD='BUG:|Oops|WARNING:|KASAN:|UBSAN:|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|unreferenced object|sleeping function called from invalid context|DMAR: DRHD: handling fault|kmemleak: .*disabled'
# kmemleak_scan - two synchronous scans (an object must be seen unreferenced
# twice to be reported); fails when kmemleak is not there on the debug
# kernel, or has switched itself off (the write then returns EPERM), so a
# clean result proves a scan ran.
kmemleak_scan() {
	local kl=/sys/kernel/debug/kmemleak t0=$SECONDS
	if [ ! -e $kl ]; then
		[ "${I40EVFM_KERNEL:-}" != debug ] && return 0
		not_ok "kmemleak: $kl missing on the debug kernel"
		return 1
	fi
	if ! { echo scan > $kl && sleep 1 && echo scan > $kl; } 2>/tmp/kmemleak.err; then
		not_ok "kmemleak: scan refused ($(cat /tmp/kmemleak.err); $(dmesg | grep -m 1 'kmemleak:.*disabled'))"
		return 1
	fi
	cat $kl > /tmp/kmemleak.txt
	if [ -s /tmp/kmemleak.txt ]; then
		head -n 40 /tmp/kmemleak.txt
		not_ok "kmemleak reports leaks"
		return 1
	fi
	ok "kmemleak: scanned, no leaks (two scans, $((SECONDS - t0)) s)"
}
check_dmesg_clean() {
	kmemleak_scan
	# Minus what the case provokes on purpose (its "# allow:" header).
	if dmesg | grep -E "$DMESG_BAD" | grep -vE "${I40EVFM_ALLOW:-^$}" > /tmp/dmesg.bad; then
		head -n 20 /tmp/dmesg.bad
		not_ok "kernel log has warnings or checker reports"
	else
		ok "kernel log clean"
	fi
}

start_udevd() {
	/lib/systemd/systemd-udevd --daemon --resolve-names=never
	udevadm trigger --action=add >/dev/null 2>&1
	udevadm settle -t 30
}

# Project-built modules for the running kernel (scripts/build-modules.sh).
MODULES=${MODULES:-}
[ -f /results/env ] && . /results/env

# PCI helpers
pci_driver() { basename "$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null)" 2>/dev/null; }
pci_bind() { # BDF DRIVER
	local cur
	cur=$(pci_driver "$1")
	[ -n "$cur" ] && echo "$1" > "/sys/bus/pci/devices/$1/driver/unbind"
	echo "$2" > "/sys/bus/pci/devices/$1/driver_override"
	echo "$1" > /sys/bus/pci/drivers_probe
	[ "$(pci_driver "$1")" = "$2" ]
}
pci_netdev() { ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1; }
# has_netdev BDF - the PCI function has a network interface (for wait_for)
has_netdev() { [ -n "$(pci_netdev "$1")" ]; }

# The traffic peer: a NIC kept in L1 (02:00.0 by default), moved into a
# network namespace "peer" with address 10.0.0.1/24.
PEER_BDF=${PEER_BDF:-0000:02:00.0}
setup_peer() {
	local ifc
	modprobe e1000e
	wait_for 20 has_netdev "$PEER_BDF" || return 1
	ifc=$(pci_netdev "$PEER_BDF")
	ip netns add peer
	ip link set "$ifc" netns peer
	ip -n peer link set lo up
	ip -n peer addr add 10.0.0.1/24 dev "$ifc"
	ip -n peer link set "$ifc" up
	# Segments and frames as they are on the wire, in both directions
	ip netns exec peer ethtool -K "$ifc" tso off gso off gro off >/dev/null || return 1
	ip netns exec peer true
}

# Two hosts ("# hosts: 2", tests/vm/run-l1.sh): $I40EVFM_HOST is a or b;
# the hosts share /pair and one Ethernet segment, on which each has its
# own address (pair_ip) on its e1000e 01:00.0, in the root namespace.
PAIR=/pair
PAIR_BDF=0000:01:00.0
# pair_ip HOST - the host's address on the segment
pair_ip() { case "$1" in a) echo 10.0.9.1 ;; b) echo 10.0.9.2 ;; esac; }
pair_other() { case "$I40EVFM_HOST" in a) echo b ;; *) echo a ;; esac; }
pair_net_up() {
	local ifc
	modprobe e1000e
	wait_for 20 has_netdev "$PAIR_BDF" || return 1
	ifc=$(pci_netdev "$PAIR_BDF")
	ip addr add "$(pair_ip "$I40EVFM_HOST")/24" dev "$ifc" &&
		ip link set "$ifc" up
}
# pair_say NAME - tell the other host that this one reached NAME
pair_say() { echo "$(date +%s)" > "$PAIR/$I40EVFM_HOST.$1"; }
# pair_wait NAME SECS - until the other host reached NAME; false after
# SECS seconds, once the other host gave up (pair_say gave-up) or once
# host a's L1 has ended (run-l1.sh writes a-ended)
pair_wait() {
	local o i
	o=$(pair_other)
	for ((i = 0; i < $2; i++)); do
		[ -e "$PAIR/$o.$1" ] && return 0
		[ -e "$PAIR/$o.gave-up" ] && return 1
		[ -e "$PAIR/a-ended" ] && return 1
		sleep 1
	done
	return 1
}

# peer_ifc - the peer's NIC in its namespace
peer_ifc() { ip -n peer -o link show | awk -F': ' '$2 != "lo" && $2 !~ /@/ { print $2; exit }'; }
# peer_vlan ID ADDR - a VLAN interface of the peer's NIC, with address ADDR
peer_vlan() {
	local ifc
	ifc=$(peer_ifc)
	ip -n peer link add link "$ifc" name "vl$1" type vlan id "$1" &&
		ip -n peer addr add "$2" dev "vl$1" &&
		ip -n peer link set "vl$1" up
}

# peer_flood MAC STOPFILE - from the peer, Ethernet frames for MAC
# (ethertype 0x88b5, which no stack in L1 or L2 answers) at about 1000 a
# second until STOPFILE exists (at most 120 s); then prints "PEER-FLOOD
# sent N".  For a window in which a VF must not touch memory: any frame
# that reaches a running queue of it makes the model read a descriptor.
peer_flood() {
	ip netns exec peer python3 - "$(peer_ifc)" "$1" "$2" <<'PY'
import os, socket, sys, time
ifc, mac, stop = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((ifc, 0))
src = open("/sys/class/net/%s/address" % ifc).read().strip()
frame = (bytes.fromhex(mac.replace(":", "")) +
         bytes.fromhex(src.replace(":", "")) + b"\x88\xb5" + bytes(46))
sent = 0
end = time.monotonic() + 120
while time.monotonic() < end and not os.path.exists(stop):
    for _ in range(10):
        s.send(frame)
        sent += 1
    time.sleep(0.01)
print("PEER-FLOOD sent %d" % sent, flush=True)
PY
}

# trace_events_on GROUP [BUFFER_KB] - tracefs mounted, tracing stopped,
# the ring emptied (and resized), the events of GROUP enabled, tracing on
TRACEFS=/sys/kernel/tracing
trace_events_on() {
	mountpoint -q $TRACEFS || mount -t tracefs nodev $TRACEFS || return 1
	echo 0 > $TRACEFS/tracing_on &&
	{ [ -z "${2:-}" ] || echo "$2" > $TRACEFS/buffer_size_kb; } &&
	: > $TRACEFS/trace &&
	echo 1 > "$TRACEFS/events/$1/enable" &&
	echo 1 > $TRACEFS/tracing_on
}

# KVM's own record of L2.  kvm_trace_start (before L2 starts) keeps KVM's
# events in the trace ring: every exit with L2's RIP, injected exceptions
# and interrupts, exits to userspace.  kvm_trace_save NAME (after a failed
# L2 run) writes the ring's tail to /results/NAME-kvm-trace.log and, if
# KVM told userspace that L2 shut down (KVM_EXIT_SHUTDOWN: L2 triple
# faulted, which leaves nothing on its console), the events before it to
# /results/NAME-l2-shutdown.log, which tests/vm/run-l1.sh reads.
kvm_trace_start() { trace_events_on kvm 4096; }
kvm_trace_save() {
	local log=/results/$1-kvm-trace.log
	[ -f $TRACEFS/tracing_on ] || return 0
	echo 0 > $TRACEFS/tracing_on
	tail -n 4000 $TRACEFS/trace > "$log"
	grep -q 'KVM_EXIT_SHUTDOWN' "$log" || return 0
	grep -B 80 -m 1 'KVM_EXIT_SHUTDOWN' "$log" > "/results/$1-l2-shutdown.log"
	echo "# KVM: L2 shut down (triple fault); its last events:"
	kvm_trace_last "/results/$1-l2-shutdown.log" 12
}
# kvm_trace_last FILE N - the last N events of a saved trace other than
# entries and FPU loads, as comment lines for the test log
kvm_trace_last() {
	grep -vE 'kvm_(entry|fpu):' "$1" 2>/dev/null | tail -n "$2" |
		sed 's/^ *//; s/^/#   /'
}

# vmm_firmware QEMU - the -L options QEMU needs to find its firmware
# (words): none for a QEMU installed under /usr (either stack,
# tests/vm/l1-init); the tree's for one run from an unpacked package
# tree (TREE/usr/bin/qemu-system-x86_64: QEMU 10's bios-256k.bin needs
# its own SeaBIOS, 1.16.3); the stack's under /usr for the project's
# QEMUs ($I40EVFM_QEMU, $I40EVFM_QEMU10, built for /usr/local).
vmm_firmware() {
	local tree=${1%/usr/bin/*}
	if [ "$1" = "${I40EVFM_QEMU:-}" ] || [ "$1" = "${I40EVFM_QEMU10:-}" ]; then
		echo "-L /usr/share/seabios -L /usr/share/qemu"
	elif [ -n "$tree" ] && [ "$tree" != "$1" ]; then
		echo "-L $tree/usr/share/qemu -L $tree/usr/share/seabios"
	fi
}

# run_l2 NAME TIMEOUT L2_SCRIPT QEMU_ARGS... - boot L2 with KVM and L2's
# kernel (tests/vm/l1-stage2.sh: L1's, or Debian's under the debug kernel), run
# L2_SCRIPT (busybox sh) in it; its console goes to
# /results/NAME-l2.log.  Succeeds if the script exited 0.  L2_APPEND adds
# to L2's kernel command line, L2_FILES (SRC=DEST ...) to its initramfs.
L2_QEMU=${L2_QEMU:-/usr/bin/qemu-system-x86_64}
L2_MODULES="e1000e iavf"
L2_FILES=
# L2's kernel command line, for every way a test starts L2.  pci=lastbus=0
# skips x86's probe of all 256 buses for peer host bridges (8192 config
# reads through ports 0xcf8/0xcfc, each two exits to L1's QEMU), which
# q35's ACPI tables make pointless; every early-boot L2 triple fault
# recorded so far (tests/vm/STABILITY.md) happened inside that probe.
L2_CMDLINE="console=ttyS0 panic=-1 loglevel=5 mitigations=off no_timer_check pci=lastbus=0"
run_l2() {
	local name=$1 tmo=$2 script=$3
	shift 3
	local initrd=/tmp/$name-l2.cpio.gz log=/results/$name-l2.log
	"$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l2-init" \
		"$I40EVFM_L2_MODDIR" $L2_MODULES -- "$script=/test.sh" \
		${L2T_UDP_PROG:+"$L2T_UDP_PROG=/bin/l2udp"} $L2_FILES || return 1
	kvm_trace_start || echo "# no KVM trace (tracefs)"
	local fw
	read -ra fw <<< "$(vmm_firmware "$L2_QEMU")"
	timeout -k 5 "$tmo" "$L2_QEMU" "${fw[@]}" -M q35 -accel kvm -cpu host -smp 1 -m 512 \
		-nodefaults -display none -no-reboot -serial "file:$log" \
		-kernel "$I40EVFM_L2_BZIMAGE" -initrd "$initrd" \
		-append "$L2_CMDLINE${L2_APPEND:+ $L2_APPEND}" "$@"
	local rc=$?
	sed 's/^/    L2| /' "$log" | tail -n 40
	if [ $rc != 0 ] || ! grep -q 'L2-RESULT rc=0' "$log"; then
		kvm_trace_save "$name"
		echo "    L2 QEMU exit status $rc"
		return 1
	fi
}

# qmp_l1 CMD [JSON-ARGS] | qmp_l1 find-type TYPE - QMP to the host QEMU
# (tests run with "# machine: xl710"), e.g. to read the model's ground truth.
qmp_l1() {
	modprobe virtio_console 2>/dev/null
	python3 "$TOP/tests/vm/qmp.py" "$@"
}

# The XL710 model's PF in L1 (run-l1.sh --model), and the second one of a
# machine with "# model-pfs: 2".
XL710_PF=${XL710_PF:-0000:03:00.0}
XL710_PF2=${XL710_PF2:-0000:04:00.0}
xl710_vf_bdf() { # N [PF] - BDF of VF N of PF (from its virtfnN link)
	basename "$(readlink "/sys/bus/pci/devices/${2:-$XL710_PF}/virtfn$1")"
}
# has_vf N [PF] - VF N of PF exists (for wait_for)
has_vf() { [ -n "$(xl710_vf_bdf "$@")" ]; }

# xl710_load_i40e - load i40e: the one with the PF services for VF
# migration (patches/kernel) that scripts/build-modules.sh built for
# Debian's kernel, or, with I40EVFM_I40E=stock, Debian's own (without
# them).  The project kernels have the series in their own i40e.
xl710_load_i40e() {
	if [ "${I40EVFM_I40E:-patched}" != stock ] && [ -f "$MODULES/i40e.ko" ]; then
		modprobe -a $(modinfo -F depends "$MODULES/i40e.ko" | tr , ' ') &&
			insmod "$MODULES/i40e.ko"
	else
		modprobe i40e
	fi
}
# i40e_has_mig_services - whether the loaded i40e has the PF services
i40e_has_mig_services() {
	grep -qw i40e_vf_mig_get /proc/kallsyms
}

# xl710_pf_up [ADDR] - i40e on the model's PF, netdev $PF_IF (with address
# ADDR if given) up with carrier
xl710_pf_up() {
	xl710_load_i40e || return 1
	xl710_netdev_up $XL710_PF PF_IF "${1:-}"
}
# xl710_pf2_up - i40e's netdev on the second PF, $PF2_IF, up with carrier
# (after xl710_pf_up, which loaded i40e for both)
xl710_pf2_up() { xl710_netdev_up $XL710_PF2 PF2_IF; }
# xl710_netdev_up BDF VAR [ADDR] - i40e's netdev on the PF BDF (its name in
# $VAR) up with carrier, with address ADDR if given
xl710_netdev_up() {
	local ifc
	wait_for 30 has_netdev "$1" || return 1
	ifc=$(pci_netdev "$1")
	printf -v "$2" '%s' "$ifc"
	if [ -n "${3:-}" ]; then
		ip addr add "$3" dev "$ifc" || return 1
	fi
	ip link set "$ifc" up
	wait_for 30 grep -q 1 "/sys/class/net/$ifc/carrier"
}
# xl710_vfs NVF [PF] - NVF VFs of PF (default $XL710_PF) that no driver
# probes (sriov_drivers_autoprobe off, as Documentation/admin-guide says),
# VF N at $(xl710_vf_bdf N PF)
xl710_vfs() {
	local pf=${2:-$XL710_PF}
	echo 0 > /sys/bus/pci/devices/$pf/sriov_drivers_autoprobe
	echo "$1" > /sys/bus/pci/devices/$pf/sriov_numvfs || return 1
	wait_for 20 has_vf $(($1 - 1)) "$pf"
}

# L2 traffic through a NIC given to L2: first the peer (netns "peer",
# 10.0.0.1) sends L2T_UDP_COUNT datagrams of L2T_UDP_SIZE bytes from port
# 5004 to L2 (10.0.0.2:5003) with UDP checksum 0, one at a time, each
# acknowledged, and L2 checks every frame of the stream byte for byte as
# iavf handed it up (tests/vm/progs/l2udp.c: a frame a NIC delivered with
# the wrong bytes is reported, not dropped by a checksum and resent; 0
# datagrams skips this).  Then the peer sends L2T_BYTES to L2 over TCP
# (10.0.0.2:5001) once L2 listens, and L2 sends L2T_BYTES back to the
# peer (port 5002).  Both TCP payloads are checked by md5.
#
#   l2_traffic_start NAME [SNAPSHOT_FILE]
#	writes the L2 script /tmp/NAME-l2.sh and starts the peer side; with
#	SNAPSHOT_FILE (e.g. an mdev's debugfs trap counters), copies of it are
#	taken right before and after the peer's transfer (after: once L2
#	has acknowledged all of it) and when the peer has received L2's
#	(/tmp/NAME.traps.{before,after,l2done})
#   l2_traffic_check NAME L2_CONSOLE_LOG [DRIVER]
#	waits for the peer side and checks the UDP stream, both payloads
#	and that L2's NIC is driven by DRIVER (default iavf)
# L2's initramfs needs the checker as /bin/l2udp: run_l2 adds it
# ($L2T_UDP_PROG); an L2 built otherwise must add "$L2T_UDP_PROG=/bin/l2udp".
# L2_HOLD=1 makes the L2 script sleep after the traffic instead of ending
# (for libvirt, where the domain is destroyed by the test).
L2T_BYTES=${L2T_BYTES:-2000000}
L2T_UDP_COUNT=${L2T_UDP_COUNT:-600}
L2T_UDP_SIZE=${L2T_UDP_SIZE:-1000}
# How long the peer waits for L2 to come up: an L2 under the debug kernel
# (make check-long) took 5 minutes to bring iavf up, 10 before its KVM
# lost KASAN; the bound leaves room.
L2T_UDP_WAIT=600
[ "${I40EVFM_KERNEL:-}" = debug ] && L2T_UDP_WAIT=1500
# l2t_acked - the peer has no connection to L2's port 5001 with data or
# its FIN not acknowledged yet
l2t_acked() {
	! ip netns exec peer ss -Htn state established state fin-wait-1 state closing \
		state last-ack dst 10.0.0.2 dport = :5001 | grep -q .
}
l2_traffic_start() {
	local name=$1 snap=${2:-}
	head -c "$L2T_BYTES" /dev/urandom > "/tmp/$name.to-l2"
	rm -f "/tmp/$name.from-l2" "/tmp/$name.l1-to-l2.ns" /tmp/"$name".traps.* "/tmp/$name.udp-tx"
	L2T_UDP_PROG=$(test_prog l2udp) || return 1
	L2T_UDP_PID=
	if [ "$L2T_UDP_COUNT" -gt 0 ]; then
		ip netns exec peer timeout $((L2T_UDP_WAIT + 300)) "$L2T_UDP_PROG" send 5004 \
			"$L2T_UDP_COUNT" "$L2T_UDP_SIZE" "$L2T_UDP_WAIT" > "/tmp/$name.udp-tx" 2>&1 &
		L2T_UDP_PID=$!
	fi
	(
		ip netns exec peer timeout 900 socat -u TCP-LISTEN:5002,reuseaddr \
			"OPEN:/tmp/$name.from-l2,creat,trunc" &
		p=$!
		trap 'kill $p 2>/dev/null' TERM
		wait $p
		rc=$?
		[ -n "$snap" ] && cat "$snap" > "/tmp/$name.traps.l2done"
		exit $rc
	) &
	L2T_RX_PID=$!
	(
		# TCP after the UDP stream: L2 listens only then
		while [ -n "$L2T_UDP_PID" ] && kill -0 "$L2T_UDP_PID" 2>/dev/null; do
			sleep 1
		done
		for _ in $(seq 1 600); do
			[ -n "$snap" ] && cat "$snap" > "/tmp/$name.traps.before"
			t0=$(date +%s%N)
			if ip netns exec peer socat -u "OPEN:/tmp/$name.to-l2" \
				TCP:10.0.0.2:5001,connect-timeout=2 2>/dev/null; then
				# socat ends once the data is in its socket: the
				# transfer ends when L2 has acknowledged all of it
				wait_for 300 l2t_acked
				t1=$(date +%s%N)
				[ -n "$snap" ] && cat "$snap" > "/tmp/$name.traps.after"
				echo $((t1 - t0)) > "/tmp/$name.l1-to-l2.ns"
				# L2 sends only when told: its transfer must not
				# start before the snapshot that opens its window
				for _ in $(seq 1 120); do
					ip netns exec peer socat -u /dev/null \
						TCP:10.0.0.2:5006,connect-timeout=2 \
						2>/dev/null && exit 0
					sleep 1
				done
				exit 1
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
# made before the transfers: L2 sends right after it has received
head -c $L2T_BYTES /dev/urandom > /tmp/tx
if [ $L2T_UDP_COUNT -gt 0 ]; then
	if [ -x /bin/l2udp ]; then
		/bin/l2udp recv "\$ifc" 5003 10.0.0.1 5004 $L2T_UDP_COUNT $L2T_UDP_SIZE
		echo "L2-UDP-RC \$?"
	else
		echo "L2-UDP-RC none: no /bin/l2udp in L2's initramfs"
	fi
fi
nc -l -p 5001 > /tmp/rx || exit 3
echo "L2-RX-MD5 \$(md5sum < /tmp/rx | cut -d' ' -f1)"
echo "L2-TX-MD5 \$(md5sum < /tmp/tx | cut -d' ' -f1)"
# the peer's go, once it has counted the traps up to here
nc -l -p 5006 > /dev/null || exit 5
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
	local name=$1 log=$2 drv=${3:-iavf} rx_sum tx_sum i
	kill "$L2T_TX_PID" 2>/dev/null
	wait "$L2T_TX_PID" 2>/dev/null
	for i in $(seq 1 40); do kill -0 "$L2T_RX_PID" 2>/dev/null || break; sleep 0.5; done
	kill "$L2T_RX_PID" 2>/dev/null
	wait "$L2T_RX_PID" 2>/dev/null
	check "$name: L2 driver is $drv" grep -q "L2-DRIVER $drv" "$log"
	if [ "$L2T_UDP_COUNT" -gt 0 ]; then
		for i in $(seq 1 20); do kill -0 "$L2T_UDP_PID" 2>/dev/null || break; sleep 0.5; done
		kill "$L2T_UDP_PID" 2>/dev/null
		wait "$L2T_UDP_PID" 2>/dev/null
		grep -E 'UDP-(BAD|RX-RESULT)|^ +(frame )?bytes at' "$log" | sed 's/^/#   /' | head -n 20
		sed 's/^/#   peer: /' "/tmp/$name.udp-tx" 2>/dev/null
		check "$name: payload peer -> L2 over UDP intact ($L2T_UDP_COUNT datagrams of $L2T_UDP_SIZE bytes, checksum 0, each frame checked byte for byte)" \
			grep -q "L2-UDP-RC 0" "$log"
		check "$name: peer sent the whole UDP stream, every datagram acknowledged" \
			grep -q "UDP-TX-RESULT sent=$L2T_UDP_COUNT " "/tmp/$name.udp-tx"
	fi
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

# Static test programs from tests/vm/progs, built on the host by run-l1.sh
# into $PROGS (built here, slowly, if missing).
test_prog() { # NAME - prints the path of the program
	local p=${PROGS:-$CACHE/progs}/$1
	if [ ! -x "$p" ] || [ "$TOP/tests/vm/progs/$1.c" -nt "$p" ]; then
		p=/tmp/progs/$1
		make -s -C "$TOP/tests/vm/progs" OUT=/tmp/progs "/tmp/progs/$1" >&2 || return 1
	fi
	echo "$p"
}

# qom_get PATH PROP / qom_set PATH PROP JSON-VALUE - via qmp_l1 (strings unquoted)
qom_get() {
	qmp_l1 qom-get "{\"path\":\"$1\",\"property\":\"$2\"}" |
		python3 -c 'import json,sys; v=json.load(sys.stdin); print(v if not isinstance(v, bool) else str(v).lower())'
}
qom_set() {
	qmp_l1 qom-set "{\"path\":\"$1\",\"property\":\"$2\",\"value\":$3}" >/dev/null
}
# xl710_vf_qom N - QOM path of the model's VF N (PCI function N + 1)
xl710_vf_qom() {
	local p a fn
	# "addr" is the devfn (an integer over QMP); the PF is function 0
	fn=$(printf '%02x.%x' $((($1 + 1) >> 3)) $((($1 + 1) & 7)))
	for p in $(qmp_l1 find-type xl710-vf); do
		a=$(qom_get "$p" addr)
		[ "$a" = $(($1 + 1)) ] || [ "$a" = "$fn" ] && { echo "$p"; return 0; }
	done
	return 1
}

# send_verified NETNS_OR_- DEST_IP PORT BYTES - send BYTES random bytes to
# a listener at DEST_IP:PORT; prints the md5 of what was sent.
send_verified() {
	local ns=$1 ip=$2 port=$3 n=$4 f
	f=$(mktemp)
	head -c "$n" /dev/urandom > "$f"
	local pre=()
	[ "$ns" = - ] || pre=(ip netns exec "$ns")
	"${pre[@]}" timeout 120 socat -u "OPEN:$f" \
		"TCP:$ip:$port,connect-timeout=5,retry=20,interval=0.5" || return 1
	md5sum < "$f" | cut -d' ' -f1
	rm -f "$f"
}
# recv_start NETNS_OR_- PORT FILE - start a one-shot listener writing FILE
recv_start() {
	local ns=$1 port=$2 f=$3
	local pre=()
	[ "$ns" = - ] || pre=(ip netns exec "$ns")
	"${pre[@]}" timeout 150 socat -u "TCP-LISTEN:$port,reuseaddr" "OPEN:$f,creat,trunc" &
	RECV_PID=$!
	# listening before the sender's retries run out, however loaded L1 is
	wait_for 30 sh -c "${pre[*]} ss -Hltn 'sport = :$port' | grep -q ."
}
# transfer_check WHAT FROM_NS TO_NS TO_IP PORT BYTES - verified bulk transfer
transfer_check() {
	local what=$1 from=$2 to=$3 ip=$4 port=$5 n=$6 sent got
	recv_start "$to" "$port" /tmp/recv.$port
	sent=$(send_verified "$from" "$ip" "$port" "$n")
	wait "$RECV_PID"
	got=$(md5sum < /tmp/recv.$port | cut -d' ' -f1)
	if [ -n "$sent" ] && [ "$sent" = "$got" ]; then
		ok "$what: $n bytes, payload verified"
	else
		not_ok "$what: payload mismatch (sent ${sent:-nothing}, got $got)"
	fi
}

# check_stack NAME - L1 runs the consumer stack the case declares ("#
# stack: NAME", tests/vm/run-l1.sh; debian12 without one), judged by the
# versions the programs report: a stack that was not layered in fails
# the case instead of testing the other stack.
check_stack() {
	local q l
	case "$1" in
	debian12) q=7.2 l=9.0 ;;
	modern) q=10.0 l=11.3 ;;
	*) not_ok "unknown stack $1"; return 1 ;;
	esac
	check "L1 has the $1 stack (I40EVFM_STACK=${I40EVFM_STACK:-})" \
		test "${I40EVFM_STACK:-}" = "$1"
	q=${q//./\\.} l=${l//./\\.}
	check "QEMU in L1: $(qemu-system-x86_64 --version | head -n 1)" \
		version_is "^QEMU emulator version $q\\." qemu-system-x86_64 --version
	check "virsh in L1: $(virsh --version)" version_is "^$l\\." virsh --version
	check "libvirtd in L1: $(libvirtd --version)" version_is " $l\\." libvirtd --version
}
# version_is REGEX CMD... - the first line CMD prints matches REGEX
version_is() {
	local re=$1
	shift
	"$@" 2>&1 | head -n 1 | grep -qE "$re"
}
