#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# kernels-long: debug
# machine: xl710
# timeout: 900
# i40e_vf_mdev: a v2 data_fd whose read is stalled in its copy to user
# memory (a userfaultfd page) does not hold up the device: GET of the
# migration state answers and the device's close returns while the read is
# stalled; then the read returns, and every later read and poll of the
# data_fd reports that the session ended (ENODEV, EPOLLRDHUP).  With the
# data_fd still open, the mdev is removed, then the VF is unbound and i40e
# unloaded (the VFs go away): the fd, which holds only its own session,
# reads ENODEV after each step; then the module is unloaded.  Debian's
# kernel has userfaultfd; the debug kernel (KASAN, lockdep, kmemleak over
# the fd outliving the mdev, the VF and the PF) has not, and runs the same
# without the stall.
. "$TOP/tests/vm/mdev-lib.sh"

PROG=$(test_prog mig_fdclose)
U1=7d0c4a52-5b7e-4c1f-9a61-1c2b3d4e5f11

# held N - the program says HOLDING N (or has exited)
held() {
	local i
	for i in $(seq 120); do
		grep -q "^HOLDING $1\$" /tmp/fdclose.out && return 0
		kill -0 $pid 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

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
if held 1; then
	check "remove the mdev while its data_fd is open" \
		timeout 60 sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove"
	kill -USR1 $pid
fi
if held 2; then
	check "unbind the VF while the data_fd is open" \
		timeout 60 sh -c "echo $VF0 > /sys/bus/pci/drivers/$MDEV_DRV/unbind"
	check "unload i40e (its VFs go) while the data_fd is open" \
		timeout 120 rmmod i40e
	kill -USR1 $pid
fi
wait $pid
rc=$?
sed 's/^/#   /' /tmp/fdclose.out
check "mig_fdclose ran to the end (rc $rc)" test $rc = 0 -o $rc = 1
if grep -q '^NO-USERFAULTFD' /tmp/fdclose.out; then
	echo "# no userfaultfd in this kernel: the read was not stalled"
	check "close of the device while the data_fd is open" \
		grep -q '^close of the device while the data_fd is open: ok' /tmp/fdclose.out
else
	check "GET of the state while a data_fd read is stalled" \
		grep -q '^GET of the migration state while the read is stalled: ok' /tmp/fdclose.out
	check "close of the device while a data_fd read is stalled" \
		grep -q '^close of the device while the read is stalled: ok' /tmp/fdclose.out
	check "the stalled read returns" grep -q '^the stalled read returns: ok' /tmp/fdclose.out
fi
for when in "after the close" "after the mdev is gone" "after the VF and i40e are gone"; do
	check "$when: the data_fd reads ENODEV" \
		grep -q "^read $when: ENODEV: ok" /tmp/fdclose.out
	check "$when: poll reports EPOLLRDHUP" \
		grep -q "^poll $when: EPOLLRDHUP: ok" /tmp/fdclose.out
done

[ ! -e /sys/bus/mdev/devices/$U1 ] || check "remove the mdev" mdev_remove $U1
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
