#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 400
# The host QEMU's SVM against XSETBV in L2 (patches/qemu/0004).  QEMU 7.2
# never checked the XSETBV intercept: L2 set XCR0 without an exit, L1's KVM
# kept XCR0 = 1 for it and loaded that at every VMRUN, and L2's kernel,
# finding CPUID leaf 0xd (KVM's answer, from its XCR0) at odds with the
# XCR0 it had set, warned "XSAVE consistency problem" and ran without XSAVE
# and AVX.  An L2 boots: its kernel warns of nothing (run-l1.sh fails any
# kernel report in an L2 console as well), it has XSAVE and AVX, and three
# processes keep their own ymm0-ymm15 across 20000 context switches each
# (tests/vm/progs/l2-ymm.c), which holds only if KVM runs L2 with the XCR0
# L2 set.
. "$TOP/tests/vm/lib.sh"

modprobe kvm_amd
ymm=$(test_prog l2-ymm) || die "cannot build l2-ymm"
cat > /tmp/xsetbv.sh <<'L2'
grep -m 1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'xsave|avx|xsaveopt' |
	sed 's/^/L2-FLAG /'
/bin/l2-ymm 3 20000
L2
L2_MODULES= L2_FILES="$ymm=/bin/l2-ymm" run_l2 xsetbv 300 /tmp/xsetbv.sh
rc=$?
log=/results/xsetbv-l2.log
check "L2 ran its script to the end" grep -q 'L2-RESULT' $log
check "L2's kernel did not warn of XSAVE (CPUID 0xd agrees with its XCR0)" \
	sh -c "! grep -q 'XSAVE consistency problem' $log"
check "L2 has XSAVE" grep -qE '^L2-FLAG xsave.?$' $log
check "L2 has AVX" grep -qE '^L2-FLAG avx.?$' $log
check "3 L2 processes kept their ymm0-ymm15 over 20000 context switches each" \
	test "$rc" = 0 -a "$(grep -c 'rounds, ymm0-ymm15 kept' $log)" = 3
check_dmesg_clean
done_testing
