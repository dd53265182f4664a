#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# model-props: x-fault-rx-misdirect=200
# allow-guest-errors: x-fault-rx-misdirect
# expect: fail
# timeout: 900
# Negative control of the whole verdict chain: the run of mdev-qemu.sh
# (an mdev on VF0 given to L2 by QEMU 7.2, iavf in L2, verified traffic
# both ways, trap counts), on a model that writes the 200th VF frame of
# 128 bytes or more to the wrong buffer and completes its descriptor
# anyway (x-fault-rx-misdirect, tests/model/README.md).  No frame of 128
# bytes or more reaches L2 before its UDP stream (ping replies are 98
# bytes, TCP starts after it), so the fault lands on datagram 200 or so of
# the 600 that L2 checks byte for byte.  The run must fail, and for that
# reason: the test exits 1 only if the UDP check is the one check that
# failed and L2's checker printed the bytes it found; any other outcome
# (nothing found, or a run that failed elsewhere and so proves nothing
# about the check) exits 0, which "# expect: fail" counts against the
# control.  The model's log line about the injection is allowed: the
# verdict must not come from it.
. "$TOP/tests/vm/mdev-lib.sh"

# Record every failed check, to tell the expected failure from others.
: > /tmp/neg.fails
not_ok() { echo "not ok - $*"; FAILED=1; echo "$*" >> /tmp/neg.fails; }

VF_MAC=52:54:00:aa:00:42
# Not mdev_vf0_create: a failed set-up must not end the test with exit 1.
mdev_vf0_prepare
U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e12
M=/sys/bus/mdev/devices/$U
check "create mdev $U" mdev_create "$VF" $U
mdev_qemu_l2 neg $U "QEMU 7.2, sysfsdev=$M" -device "vfio-pci,sysfsdev=$M"
check "mdev removed after QEMU exited" mdev_remove $U
check "mdev gone" test ! -e "$M"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
grep 'x-fault-rx-misdirect' /results/guest-errors.log 2>/dev/null | sed 's/^/# model: /'

expected='payload peer -> L2 over UDP intact'
echo "# failed checks:"
sed 's/^/#   /' /tmp/neg.fails
if grep -q "$expected" /tmp/neg.fails && ! grep -vq "$expected" /tmp/neg.fails &&
	grep -q '^UDP-BAD' /results/neg-l2.log; then
	echo "# expected failure: L2's UDP checker found the misdirected frame:"
	grep -m 1 '^UDP-BAD' /results/neg-l2.log | sed 's/^/#   /'
	exit 1
fi
echo "# NOT the expected failure (only the UDP check failing, with the bytes"
echo "# L2's checker found): exit 0, so that the control fails"
exit 0
