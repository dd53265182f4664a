#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 600
# owns: Oops: int3
# The host QEMU's MTTCG against the kernel patching its own text
# (patches/qemu/0002).  CPU 0 flips a static key whose patch sites sit in
# the scheduler's wake-up path (kernel.sched_schedstats) while CPU 1
# context-switches without pause, so CPU 1 translates the patched code
# again right after each write.  QEMU 7.2 without the patch lets CPU 1
# keep a translation holding text_poke's temporary int3 ("Oops: int3",
# L1 dies).  That oops is this test's failure ("owns" above: run-l1.sh
# counts it as evidence against code under test), not infrastructure.
. "$TOP/tests/vm/lib.sh"

FLIPS=${TEXT_POKE_FLIPS:-1500}
KEY=/proc/sys/kernel/sched_schedstats
[ -w $KEY ] || die "$KEY is not there (CONFIG_SCHEDSTATS)"
taskset -c 1 sh -c 'yes | cat > /dev/null' &
busy=$!
before=$(awk '/^ctxt/ { print $2 }' /proc/stat)
flip() {
	local i
	for ((i = 0; i < FLIPS; i++)); do
		echo 1 > $KEY && echo 0 > $KEY || return 1
	done
}
taskset -pc 0 $$ > /dev/null || die "cannot pin the test to CPU 0"
check "$FLIPS enable/disable pairs of sched_schedstats" flip
after=$(awk '/^ctxt/ { print $2 }' /proc/stat)
kill $busy 2>/dev/null
pkill -x yes
echo "# context switches meanwhile: $((after - before))"
check "CPU 1 kept switching (more context switches than flips)" test $((after - before)) -gt "$FLIPS"
check_dmesg_clean
done_testing
