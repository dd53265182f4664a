#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 500
# The harness's record of an L2 that dies without a word: KVM in L1 traces
# L2 (kvm_trace_start in tests/vm/lib.sh) and, when an L2 run fails,
# kvm_trace_save writes NAME-l2-shutdown.log if KVM reported a triple fault
# (KVM_EXIT_SHUTDOWN); run-l1.sh files such a failure as an L2 crash.  Here
# an L2 booted with reboot=t restarts, which triple-faults on purpose (the
# kernel loads an empty IDT and raises int3): the record must be there.  An
# L2 whose script fails and that powers off normally must leave none.
. "$TOP/tests/vm/lib.sh"

modprobe kvm_amd
L2_MODULES=
cat > /tmp/tf.sh <<'L2'
echo L2-TRIPLE-FAULT-NOW
echo b > /proc/sysrq-trigger
sleep 30
L2
L2_APPEND=reboot=t
expect_fail "an L2 that restarts with reboot=t does not finish" run_l2 tf 300 /tmp/tf.sh
check "it got as far as the restart" grep -q L2-TRIPLE-FAULT-NOW /results/tf-l2.log
check "the KVM trace has L2's exits" grep -q 'kvm_exit:' /results/tf-kvm-trace.log
check "KVM reported the triple fault (NAME-l2-shutdown.log)" \
	grep -q 'KVM_EXIT_SHUTDOWN' /results/tf-l2-shutdown.log
kvm_trace_last /results/tf-l2-shutdown.log 6
# Were this test to fail, run-l1.sh would take the record for a crash of
# L2 under test and retry: keep it under another name.
mv /results/tf-l2-shutdown.log /results/tf-l2-shutdown.expected 2>/dev/null

cat > /tmp/off.sh <<'L2'
exit 3
L2
L2_APPEND=
expect_fail "an L2 whose script fails does not finish" run_l2 off 300 /tmp/off.sh
check "it powered off normally" grep -q 'L2-RESULT rc=3' /results/off-l2.log
check "the KVM trace was saved" grep -q 'kvm_exit:' /results/off-kvm-trace.log
check "no triple fault recorded for a power-off" test ! -e /results/off-l2-shutdown.log
check_dmesg_clean
done_testing
