#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 900
# i40e_vf_mdev: a v2 data_fd whose read is stalled in its copy to user
# memory (a userfaultfd page) does not hold up the device: GET of the
# migration state answers and the device's close returns while the read is
# stalled; then the read returns, and every later read and poll of the
# data_fd reports that the session ended (ENODEV, EPOLLRDHUP); the mdev is
# removed with the data_fd still open, which still reads ENODEV (the fd
# holds only its own session); then the module is unloaded.
. "$TOP/tests/vm/mdev-lib.sh"

PROG=$(test_prog mig_fdclose)
U1=7d0c4a52-5b7e-4c1f-9a61-1c2b3d4e5f11

check "i40e PF up with 1 VF" mdev_pf_up 1
VF0=$(xl710_vf_bdf 0)
check "load $MDEV_DRV" mdev_load
check "bind $VF0 to $MDEV_DRV" mdev_bind "$VF0"
check "create mdev on $VF0" mdev_create "$VF0" $U1
[ "$FAILED" = 0 ] || done_testing

# The program itself in the background, so that SIGUSR1 reaches it
# (timeout(1) would die of it); it bounds each of its waits itself
"$PROG" "/sys/bus/mdev/devices/$U1" hold > /tmp/fdclose.out 2>&1 &
pid=$!
for i in $(seq 60); do
	grep -q '^HOLDING' /tmp/fdclose.out && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
if grep -q '^HOLDING' /tmp/fdclose.out; then
	check "remove the mdev while its data_fd is open" \
		timeout 60 sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove"
	kill -USR1 $pid
fi
wait $pid
rc=$?
sed 's/^/#   /' /tmp/fdclose.out
# rc 3: no userfaultfd, which Debian's kernel has (CONFIG_USERFAULTFD=y);
# the project and debug configs do not, hence "# kernels: stock"
check "userfaultfd available to stall the read" test $rc != 3
if [ $rc != 3 ]; then
	check "mig_fdclose ran to the end (rc $rc)" test $rc = 0 -o $rc = 1
	check "GET of the state while a data_fd read is stalled" \
		grep -q '^GET of the migration state while the read is stalled: ok' /tmp/fdclose.out
	check "close of the device while a data_fd read is stalled" \
		grep -q '^close of the device while the read is stalled: ok' /tmp/fdclose.out
	check "the stalled read returns" grep -q '^the stalled read returns: ok' /tmp/fdclose.out
	check "later reads fail with ENODEV" grep -q '^read after the close: ENODEV: ok' /tmp/fdclose.out
	check "poll reports EPOLLRDHUP" grep -q '^poll after the close: EPOLLRDHUP: ok' /tmp/fdclose.out
	check "the data_fd reads ENODEV after the mdev is gone" \
		grep -q '^read after the mdev is gone: ENODEV: ok' /tmp/fdclose.out
fi

[ ! -e /sys/bus/mdev/devices/$U1 ] || check "remove the mdev" mdev_remove $U1
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
