#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: project debug
# timeout: 300
# KUnit suites of the driver's pure logic, built as modules against the
# project kernel and loaded in L1.  Every test case's result goes to
# /results/subtests.ktap, which the runner counts one by one.
. "$TOP/tests/vm/lib.sh"

check "modprobe kunit" modprobe kunit
shopt -s nullglob
mods=("$MODULES"/*_test.ko)
[ ${#mods[@]} -gt 0 ] || die "no KUnit modules in $MODULES"
: > /results/subtests.ktap
for ko in "${mods[@]}"; do
	# Test modules depend on the driver's symbols only if they link them.
	check "insmod $(basename "$ko")" insmod "$ko"
done
suites=0
for d in /sys/kernel/debug/kunit/*/; do
	[ -f "$d/results" ] || continue
	suites=$((suites + 1))
	cat "$d/results" >> /results/subtests.ktap
done
cat /results/subtests.ktap
check "KUnit suites ran ($suites)" test "$suites" -gt 0
check "no KUnit case failed" sh -c "! grep -q '^ *not ok' /results/subtests.ktap"
for ko in "${mods[@]}"; do
	rmmod "$(basename "$ko" .ko)"
done
check_dmesg_clean
done_testing
