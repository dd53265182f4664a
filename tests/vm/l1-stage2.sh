#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# L1 stage 2: runs in the overlay root, with the system a test expects
# set up by stage 1 (tests/vm/l1-init: pseudo filesystems, /run,
# loopback).  Runs the test script named on the kernel command line under
# a timeout, records its output and exit status in /results, and powers
# off.  The host side (tests/vm/run-l1.sh) reads them.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

# The i40evfm.* parameters of the kernel command line, read once with
# builtins only: a command substitution per parameter (a fork each) took
# 12 s on the debug kernel under TCG.
declare -A P
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case "$w" in
	i40evfm.*=*)
		k=${w%%=*}
		P[${k#i40evfm.}]=${w#*=}
		;;
	esac
done
TOP=${P[top]:-}
export TOP CACHE=${P[cache]:-} I40EVFM_KERNEL=${P[kernel]:-}
export I40EVFM_BZIMAGE=${P[bzimage]:-} RESULTS=/results
# L2's kernel and modules (tests/vm/lib.sh): L1's own unless run-l1.sh
# chose another (Debian's under the debug kernel).
read -r kver < /proc/sys/kernel/osrelease
export I40EVFM_L2_BZIMAGE=${P[l2bzimage]:-$I40EVFM_BZIMAGE}
export I40EVFM_L2_MODDIR=${P[l2moddir]:-/lib/modules/$kver}
# The part of L2's initramfs made on the host for that kernel
# (scripts/build-initrd.sh --base), if any
export INITRD_BASE=${P[l2base]:-}
# The consumer stack l1-init layered in (a case's "# stack:" header):
# "modern" (QEMU 10.0, libvirt 11.3) or Debian 12's (QEMU 7.2, libvirt 9.0).
export I40EVFM_STACK=${P[stack]:-debian12}
# The project's QEMU 7.2 (the host's, scripts/build-qemu.sh: Debian's
# source with patches/qemu), which L1 can also run as L2's VMM: it has
# the consumer of the sparse mmap re-evaluation IRQ
export I40EVFM_QEMU=${P[qemu]:-}
# With the modern stack, the project's QEMU 10 (scripts/build-qemu10.sh:
# the backports source with patches/qemu10), the same consumer for QEMU 10
export I40EVFM_QEMU10=${P[qemu10]:-}
# One of two hosts, a or b ("# hosts: 2", tests/vm/run-l1.sh), or empty
export I40EVFM_HOST=${P[host]:-}
test=${P[test]:-}
# Kernel log lines the case provokes on purpose (its "# allow:" header),
# for check_dmesg_clean in tests/vm/lib.sh; run-l1.sh reads the same.
export I40EVFM_ALLOW=$(sed -n 's/^# allow: *//p' "$TOP/$test")
tmo=${P[timeout]:-}
name=${test##*/}
name=${name%.sh}

finish() {
	sync
	echo "L1-POWEROFF"
	echo o > /proc/sysrq-trigger
	sleep 30
	echo b > /proc/sysrq-trigger
}

# A checker report while booting, before any code under test is loaded, is
# not the test's result: say so and do not run the test (run-l1.sh files it
# as an infrastructure failure unless the report names code under test).
dmesg > /results/dmesg.boot
if (. "$TOP/tests/vm/lib.sh" && grep -E "$DMESG_BAD") \
	< /results/dmesg.boot > /results/boot-report; then
	echo "L1-BOOT-REPORT: the kernel reported a problem while booting"
	cat /results/boot-report
	finish
fi
rm -f /results/boot-report

# hang_report - what every task is doing, taken when a test reaches its time
# limit and before anything is killed: a wait that never ended is then
# visible (processes with their kernel stacks, blocked tasks and all CPUs'
# backtraces in the kernel log, the L2 consoles the test wrote to /results).
# The test itself is stopped HANG_GRACE seconds later.
HANG_GRACE=30
hang_report() {
	local p t st comm line pids
	echo "# time limit of $tmo s reached; processes (kernel threads only if blocked):"
	ps -eo pid,ppid,stat,wchan:32,etime,args | awk '$2 != 2 || $3 ~ /D/'
	# Kernel stacks of every thread of QEMU and the test programs, and of
	# any other task in uninterruptible sleep.  Shell builtins only in the
	# loop: a fork per task costs too much under TCG.
	pids=" $(pgrep -d ' ' -f 'qemu-system|mdev_vfio|mdev_cdev|mdev_migrate|xl710-vfio') "
	for t in /proc/[0-9]*/task/[0-9]*; do
		read -r line 2>/dev/null < "$t/stat" || continue
		comm=${line#*(}
		comm=${comm%)*}
		st=${line##*) }
		st=${st%% *}
		p=${t#/proc/}
		p=${p%%/*}
		[ "$st" = D ] || [[ "$pids" == *" $p "* ]] || continue
		echo "# ${t#/proc/} ($comm, state $st):"
		cat "$t/stack" 2>/dev/null
	done
	for p in /results/*-l2.log; do
		[ -e "$p" ] || continue
		echo "# tail of $p:"
		tail -n 20 "$p"
	done
	echo w > /proc/sysrq-trigger
	echo l > /proc/sysrq-trigger
	echo "L1-HANG-REPORT written to /results/hang-report" > /dev/console
}

echo "L1-TEST-START $name kernel=$(uname -r)"
echo "$(uname -r)" > /results/kernel-release
cd /tmp
# The test's own output goes to the console too, so a hang or crash has
# the context right before it in the serial log.  It is written to the
# file and followed from there, not piped through tee: a process the test
# left behind (a daemon, a background helper with its own timeout) would
# keep a pipe open and hold up the end of the test.  /results/test.timed
# is the same output with L1's uptime in seconds when each line came (where
# a case spends its time; builtins only, a fork per line costs too much
# under TCG).
tmo=${tmo:-600}
( sleep "$tmo"; hang_report > /results/hang-report 2>&1 ) &
hang_watch=$!
timeout -k 10 $((tmo + HANG_GRACE)) bash "$TOP/$test" > /results/test.log 2>&1 < /dev/null &
test_pid=$!
tail -n +1 -f --pid=$test_pid /results/test.log |
	while IFS= read -r line; do
		read -r up _ < /proc/uptime
		printf '%s\n' "$line"
		printf '%6s %s\n' "${up%.*}" "$line" >> /results/test.timed
	done &
follow=$!
wait $test_pid
rc=$?
kill "$hang_watch" 2>/dev/null
wait $follow
dmesg > /results/dmesg.log
echo "$rc" > /results/rc
echo "L1-TEST-END $name rc=$rc"
finish
