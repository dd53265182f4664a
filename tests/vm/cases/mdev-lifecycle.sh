#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# machine: xl710
# timeout: 1200
# i40e_vf_mdev's lifecycle, on the XL710 model's VFs, on the debug kernel
# (KASAN, lockdep, kmemleak; the harness checks the kernel log):
#   - without an mdev, the VF's vfio device (registered when the VF binds)
#     cannot be opened: not through the group by the mdev's UUID or the
#     VF's PCI name, not through its cdev (ENODEV); the same once the mdev
#     is removed again
#   - removing an open mdev waits for the user, who gets device requests;
#     meanwhile available_instances reads 0 at once, creating another mdev
#     fails with EBUSY at once, and the remove completes once the user
#     closed the device
#   - a hammer: LIFECYCLE_ROUNDS (12) rounds of create/remove while
#     openers through the group (VFIO_GROUP_GET_DEVICE_FD) and the cdev
#     (VFIO_DEVICE_BIND_IOMMUFD) and a reader of available_instances run
#     all the time; every round ends with the mdev present after create
#     and gone after remove, available_instances 0 and 1, nothing hangs,
#     no opener gets an unexpected error; then the VF is unbound with an
#     mdev and the racers still running
. "$TOP/tests/vm/mdev-lib.sh"

RACE=$(test_prog mdev_race)
ROUNDS=${LIFECYCLE_ROUNDS:-12}
U=6a1c0d2e-3b4f-4a5b-8c6d-7e8f90a1b2c3
U2=6a1c0d2e-3b4f-4a5b-8c6d-7e8f90a1b2c4
M=/sys/bus/mdev/devices/$U

check "modprobe iommufd" modprobe iommufd
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "load $MDEV_DRV" mdev_load
check "bind VF $VF" mdev_bind "$VF"
[ "$FAILED" = 0 ] || done_testing
T=$(mdev_type_dir "$VF")
AVAIL=$T/available_instances

# no_open WHAT NAME - neither the group (asking for NAME) nor the cdev open
no_open() {
	"$RACE" noopen "$VF" "$2" > /tmp/noopen.txt 2>&1
	local rc=$?
	echo "#   $1: $(tr '\n' ' ' < /tmp/noopen.txt)"
	check "$1: refused with ENODEV through the group and the cdev" test $rc = 0
}

echo "# --- no mdev: the vfio device exists but cannot be opened"
check "the VF's vfio cdev exists while the VF is bound" \
	sh -c "ls /sys/bus/pci/devices/$VF/vfio-dev/ | grep -q '^vfio'"
no_open "no mdev yet, by a UUID" $U
no_open "no mdev yet, by the VF's PCI name" "$VF"
check "available_instances 1" test "$(cat "$AVAIL")" = 1
check "create" mdev_create "$VF" $U
check "the mdev opens" "$MDEV_VFIO" open "$M"
check "remove" mdev_remove $U
no_open "mdev removed, by its UUID" $U

echo "# --- remove while a user holds the device open"
check "create" mdev_create "$VF" $U
rm -f /tmp/hold.out
"$MDEV_VFIO" hold "$M" > /tmp/hold.out 2>&1 &
HOLD=$!
check "the user opened the mdev" wait_for 30 grep -q OPENED /tmp/hold.out
( echo 1 > "$M/remove" ) > /tmp/remove.out 2>&1 &
REM=$!
sleep 3
if kill -0 $REM 2>/dev/null; then ok "remove waits while the device is open"; else
	not_ok "remove did not wait for the open device"; fi
check "the user got a device request" wait_for 15 grep -q 'REQUEST 1' /tmp/hold.out
check "available_instances reads 0 at once meanwhile" \
	timeout 2 sh -c "test \$(cat $AVAIL) = 0"
check "creating another mdev fails with EBUSY at once meanwhile" \
	timeout 5 bash -c "! echo $U2 > $T/create 2>/tmp/create.err && grep -q 'busy' /tmp/create.err"
sed 's/^/#   /' /tmp/create.err
check "the kernel log says the VF's mdev is being removed" \
	sh -c "dmesg | grep -q 'VF $VF already has mdev $U, still being created or removed'"
check "remove still waiting" kill -0 $REM
kill $HOLD
wait $HOLD 2>/dev/null
check "remove completes once the user closed the device" wait_for 30 sh -c "! kill -0 $REM"
wait $REM
check "... successfully" test $? = 0
check "mdev gone" test ! -e "$M"
check "available_instances 1" test "$(cat "$AVAIL")" = 1
no_open "after the removal" $U

# round N - create, let the racers at it, remove; the mdev and
# available_instances must be as expected after each step
round() {
	local n=$1 pid t0
	if ! timeout 60 sh -c "echo $U > $T/create" 2>/tmp/round.err; then
		not_ok "round $n: create failed: $(cat /tmp/round.err)"
		return 1
	fi
	if [ ! -d "$M" ] || [ "$(cat "$AVAIL")" != 0 ]; then
		not_ok "round $n: after create: mdev $(test -d "$M" && echo present || echo missing), available_instances $(cat "$AVAIL")"
		return 1
	fi
	sleep "0.$((RANDOM % 4))"
	t0=$(date +%s%N)
	( echo 1 > "$M/remove" ) 2>/tmp/round.err &
	pid=$!
	if ! wait_for 60 sh -c "! kill -0 $pid"; then
		not_ok "round $n: remove hangs (60 s)"
		return 1
	fi
	REMOVE_MS="$REMOVE_MS $((($(date +%s%N) - t0) / 1000000))"
	if ! wait $pid; then
		not_ok "round $n: remove failed: $(cat /tmp/round.err)"
		return 1
	fi
	if [ -e "$M" ] || [ "$(cat "$AVAIL")" != 1 ]; then
		not_ok "round $n: after remove: mdev $(test -e "$M" && echo present || echo gone), available_instances $(cat "$AVAIL")"
		return 1
	fi
	return 0
}

# racers_start / racers_stop WHAT [lenient] - the openers and the reader;
# racers_stop fails if one hangs, or (unless lenient) saw an unexpected
# result
racers_start() {
	"$RACE" group "$VF" $U > /tmp/race-group.out 2>&1 &
	RG=$!
	"$RACE" cdev "$VF" > /tmp/race-cdev.out 2>&1 &
	RC=$!
	"$RACE" avail "$AVAIL" > /tmp/race-avail.out 2>&1 &
	RA=$!
}
racers_stop() {
	local p rc
	kill -TERM $RG $RC $RA 2>/dev/null
	for p in $RG $RC $RA; do
		if ! wait_for 30 sh -c "! kill -0 $p"; then
			not_ok "$1: racer $p does not stop (hangs in the kernel?)"
			continue
		fi
		wait $p
		rc=$?
		[ $rc = 0 ] || [ "${2:-}" = lenient ] || not_ok "$1: racer $p exit status $rc"
	done
	cat /tmp/race-group.out /tmp/race-cdev.out /tmp/race-avail.out | sed 's/^/#   /'
}

echo "# --- hammer: $ROUNDS rounds of create/remove against openers and readers"
racers_start
bad=0
REMOVE_MS=
for n in $(seq 1 "$ROUNDS"); do
	round "$n" || bad=$((bad + 1))
	[ $bad -lt 3 ] || break
done
check "$ROUNDS rounds, each consistent, none hung" test $bad = 0
echo "#   remove took (ms):$REMOVE_MS"
dmesg | grep -E 'created on VF|removed from VF|Relaying device request|No device request' |
	tail -n 8 | sed 's/^/#   /'
racers_stop "hammer"
check "the racers saw only success, ENODEV or EBUSY" \
	sh -c "grep -q ' other 0' /tmp/race-group.out && grep -q ' other 0' /tmp/race-cdev.out && grep -q ' bad 0 ' /tmp/race-avail.out"
check "the openers got the device now and then" \
	sh -c "! grep -q '^group ok 0 ' /tmp/race-group.out || ! grep -q '^cdev ok 0 ' /tmp/race-cdev.out"
max=$(sed -n 's/.* max_ms \([0-9]*\)$/\1/p' /tmp/race-avail.out)
check "available_instances never took long (slowest read ${max:-?} ms < 2000)" \
	test "${max:-99999}" -lt 2000
check "nothing left" test ! -e "$M"
no_open "after the hammer" $U

echo "# --- VF unbound with an mdev while the racers run"
racers_start
check "create" mdev_create "$VF" $U
sleep 1
( echo "$VF" > /sys/bus/pci/drivers/$MDEV_DRV/unbind ) > /tmp/unbind.out 2>&1 &
pid=$!
check "unbind completes" wait_for 60 sh -c "! kill -0 $pid"
# (a group or cdev torn down under an opener may give other errors)
racers_stop "unbind" lenient
ok "unbind: the racers stopped"
check "mdev removed with the VF" test ! -e "$M"
check "VF unbound" test -z "$(pci_driver "$VF")"
check "VF's vfio device gone" test ! -e "/sys/bus/pci/devices/$VF/vfio-dev"
check "rebind VF" mdev_bind "$VF"
check "create, open and remove on the rebound VF" sh -c \
	"echo $U > $T/create && '$MDEV_VFIO' open '$M' && echo 1 > '$M/remove'"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check "VF unbound by rmmod" test -z "$(pci_driver "$VF")"
check_dmesg_clean
done_testing
