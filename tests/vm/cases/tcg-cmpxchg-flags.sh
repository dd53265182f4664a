#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 300
# The host QEMU's TCG against RFLAGS after CMPXCHG8B/16B (patches/qemu/
# 0003).  QEMU 7.2's helpers computed the flags the instructions keep from
# a CC_OP the translator had not stored, so after popf; cmp; cmpxchg16b the
# flags held cmp's operand.  In a kernel that operand is a pointer (SLUB's
# this_cpu_cmpxchg16b): an interrupt or #VMEXIT saving such RFLAGS made L2
# guests under the emulated SVM die of double and triple faults.  The
# program runs each form on L1's vCPUs and compares the pushed RFLAGS with
# what the instruction set defines.
. "$TOP/tests/vm/lib.sh"

prog=$(test_prog tcg-cmpxchg-flags) || die "cannot build tcg-cmpxchg-flags"
check "CPU has CMPXCHG16B (cx16)" grep -qw cx16 /proc/cpuinfo
for cpu in 0 1; do
	taskset -c $cpu "$prog" > /tmp/flags.$cpu 2>&1
	rc=$?
	sed 's/^/#   /' /tmp/flags.$cpu
	check "CPU $cpu: RFLAGS after cmpxchg8b/16b as defined" test $rc = 0
done
check_dmesg_clean
done_testing
