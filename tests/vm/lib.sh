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
# would print.  Call at the end of a test (after a kmemleak scan on the
# debug kernel).
DMESG_BAD='BUG:|Oops|WARNING:|KASAN:|UBSAN:|possible recursive locking|possible circular locking|inconsistent lock state|suspicious RCU usage|unreferenced object|sleeping function called from invalid context|DMAR: DRHD: handling fault'
check_dmesg_clean() {
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak
		sleep 1
		echo scan > /sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak > /tmp/kmemleak.txt
		if [ -s /tmp/kmemleak.txt ]; then
			head -n 40 /tmp/kmemleak.txt
			not_ok "kmemleak reports leaks"
		else
			ok "kmemleak: no leaks"
		fi
	fi
	if dmesg | grep -E "$DMESG_BAD" > /tmp/dmesg.bad; then
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

# The traffic peer: a NIC kept in L1 (02:00.0 by default), moved into a
# network namespace "peer" with address 10.0.0.1/24.
PEER_BDF=${PEER_BDF:-0000:02:00.0}
setup_peer() {
	local ifc
	modprobe e1000e
	wait_for 20 test -n "$(pci_netdev "$PEER_BDF")" || return 1
	ifc=$(pci_netdev "$PEER_BDF")
	ip netns add peer
	ip link set "$ifc" netns peer
	ip -n peer link set lo up
	ip -n peer addr add 10.0.0.1/24 dev "$ifc"
	ip -n peer link set "$ifc" up
	ethtool -K "$ifc" tso off gso off gro off >/dev/null 2>&1 || true
	ip netns exec peer true
}

# run_l2 NAME TIMEOUT L2_SCRIPT QEMU_ARGS... - boot L2 with KVM and the
# same kernel as L1, run L2_SCRIPT (busybox sh) in it; its console goes to
# /results/NAME-l2.log.  Succeeds if the script exited 0.
L2_QEMU=${L2_QEMU:-/usr/bin/qemu-system-x86_64}
L2_MODULES="e1000e iavf"
run_l2() {
	local name=$1 tmo=$2 script=$3
	shift 3
	local initrd=/tmp/$name-l2.cpio.gz log=/results/$name-l2.log
	"$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l2-init" \
		"/lib/modules/$(uname -r)" $L2_MODULES -- "$script=/test.sh" || return 1
	timeout -k 5 "$tmo" "$L2_QEMU" -M q35 -accel kvm -cpu host -smp 1 -m 512 \
		-nodefaults -display none -no-reboot -serial "file:$log" \
		-kernel "$I40EVFM_BZIMAGE" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 loglevel=4 mitigations=off no_timer_check" "$@"
	local rc=$?
	sed 's/^/    L2| /' "$log" | tail -n 40
	[ $rc = 0 ] || { echo "    L2 QEMU exit status $rc"; return 1; }
	grep -q 'L2-RESULT rc=0' "$log"
}
