#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# timeout: 300
# KUnit suites of the driver's pure logic, built as modules against the
# project kernel and loaded in L1.  Every test case's result goes to
# /results/subtests.ktap, which the runner counts one by one.
. "$TOP/tests/vm/lib.sh"

# The project config leaves KUnit off by default (KUNIT_DEFAULT_ENABLED=n).
check "modprobe kunit enable=1" modprobe kunit enable=1
check "modprobe vfio-pci mdev" modprobe -a vfio-pci mdev
# The test modules import what they test from the driver module.
check "insmod i40e_vf_mdev.ko" insmod "$MODULES/i40e_vf_mdev.ko"
shopt -s nullglob
mods=("$MODULES"/*_test.ko)
[ ${#mods[@]} -gt 0 ] || die "no KUnit modules in $MODULES"
: > /results/subtests.ktap
for ko in "${mods[@]}"; do
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
check "rmmod i40e_vf_mdev" rmmod i40e_vf_mdev
check_dmesg_clean
done_testing
