#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# machine: xl710
# timeout: 1500
# i40e_vf_mdev migration through the sample client
# (samples/i40e_vf_mdev_migrate.c), on two mdevs on two VFs of the XL710
# model, with only the public uAPI:
#   - VFIO_DEVICE_FEATURE_MIGRATION flags, MIG_DATA_SIZE, the v1 region
#   - every (from, to) pair of the v2 state machine: allowed requests
#     succeed with a data_fd exactly when a session starts, the others fail
#     with EINVAL and leave the state unchanged
#   - PRE_COPY: VFIO_MIG_GET_PRECOPY_INFO numbers, ENOMSG, ESPIPE
#   - the state moves from one mdev to the other (v2 and v1) and the
#     destination's debugfs shows the same stream (length, CRC-32)
#   - truncated, corrupted and incompatible streams are rejected with the
#     reason in the kernel log, and both devices stay usable
#   - a device reset (VFIO_DEVICE_RESET, or the VF's sysfs reset that the
#     device fd does not see) or close during every kind of session ends it
#   - a VF reset by the host administrator (in PRE_COPY_P2P, STOP_COPY,
#     RESUMING) or a PF reset (in STOP_COPY) while the VF is stopped: the
#     next arc fails and leaves ERROR, a device reset brings RUNNING back
#     and the device migrates again
#   - a VF whose BAR0 does not answer (its PF's VF MSE off) is not saved
#   - the tracepoints: arcs, stream rejections, trapped BAR0 accesses
#   - the sparse mmap re-evaluation IRQ, step by step through its consumer
#     sample: finding it, its info, bad SET_IRQS arguments, the Rx tail
#     page lent and taken back, a consumer that does not answer
#   - the iommufd cdev of each mdev (tests/vm/iommufd-cdev.sh): the cdev
#     sample, and v2 and v1 moves through the cdevs
# First, with the driver loaded, the KUnit suites of the driver's pure
# logic (mdev_kunit: most of it is the migration's).
# On the debug kernel, KASAN, lockdep and kmemleak watch every step.
. "$TOP/tests/vm/mdev-lib.sh"

MIG=$(test_prog mdev_migrate)
U1=7d0c4a52-5b7e-4c1f-9a61-1c2b3d4e5f01
U2=7d0c4a52-5b7e-4c1f-9a61-1c2b3d4e5f02
run() { # NAME CMD... - run the sample, keep and show its output
	local name=$1
	shift
	"$MIG" "$@" > "/tmp/$name.out" 2>&1
	local rc=$?
	sed 's/^/#   /' "/tmp/$name.out" | tail -n 80
	return $rc
}

mdev_two_vfs $U1 $U2
[ "$FAILED" = 0 ] || done_testing
mdev_kunit
check "debugfs has the migration file" test -r "$MDEV_DBG/$U1/migration"

# Flags, data size, v1 region
run info info $U1
check "flags STOP_COPY P2P PRE_COPY" grep -q 'migration flags 0x7: STOP_COPY P2P PRE_COPY' /tmp/info.out
check "state RUNNING after open" grep -q '^state RUNNING' /tmp/info.out
check "MIG_DATA_SIZE reported" grep -qE '^MIG_DATA_SIZE stop_copy_length=[1-9]' /tmp/info.out
check "v1 region type 3/1: read, write, caps, not mmap()able" grep -qE '^v1 region: index [0-9]+ size 0x11000 flags 0xb$' /tmp/info.out

# The tracepoints: a trapped BAR0 read (VFGEN_RSTAT, in the mailbox page)
check "tracepoints on" mdev_trace_on
check "BAR0 read through the trap" "$MDEV_VFIO" info /sys/bus/mdev/devices/$U1
check "trace: the VFGEN_RSTAT read, answered" \
	mdev_trace_has "i40e_vf_mdev_trap_access: $VF0 read 0x8800/4 0x[12]: 0\$"

# Every arc
run arcs arcs $U1
check "trace: arcs, RUNNING_P2P -> STOP done (5 -> 1: 0)" \
	mdev_trace_has "i40e_vf_mdev_mig_arc: $U1 5 -> 1: 0\$"
check "every v2 (from, to) request behaves as the uAPI says" grep -q '^arcs: [0-9]* ok, 0 unexpected' /tmp/arcs.out
check "63 requests (7 states x 9 targets) and the empty-stream check" grep -q '^arcs: 64 ok' /tmp/arcs.out
check "RESUMING -> STOP with an incomplete stream: EINVAL, stays RESUMING" \
	grep -q 'empty stream: RESUMING -> STOP: EINVAL, stays RESUMING: ok' /tmp/arcs.out

# PRE_COPY
run precopy precopy $U1
check "PRECOPY_INFO: initial_bytes = the 72-byte header, dirty_bytes 0" \
	grep -q '^PRECOPY_INFO initial_bytes=72 dirty_bytes=0$' /tmp/precopy.out
check "pread() on the data_fd: ESPIPE" grep -q '^pread: Illegal seek' /tmp/precopy.out
check "PRECOPY_INFO after reading it: 0, 0" \
	grep -q '^PRECOPY_INFO after read initial_bytes=0 dirty_bytes=0$' /tmp/precopy.out
check "read at the temporary end: ENOMSG" grep -q '^read at the end: No message of desired type' /tmp/precopy.out
check "PRECOPY_INFO in STOP_COPY: EINVAL" grep -q '^PRECOPY_INFO in STOP_COPY: EINVAL' /tmp/precopy.out
check "STOP_COPY reads the rest, then end of file" grep -q '^read at the end in STOP_COPY: 0$' /tmp/precopy.out
check "data_fd after the session: ENODEV" grep -q '^read after the session: No such device' /tmp/precopy.out

# Move U1 -> U2 (v2), then back (v1)
run move move $U1 $U2
check "v2 move $U1 -> $U2" grep -q '^loaded ' /tmp/move.out
crc=$(mig_saved /tmp/move.out)
check "destination loaded the stream the source saved ($crc)" \
	test "$(mig_stat $U2 loaded_len) $(mig_stat $U2 loaded_crc)" = "$crc" -a \
	"$(mig_stat $U1 saved_len) $(mig_stat $U1 saved_crc)" = "$crc"
run movev1 move-v1 $U2 $U1
check "v1 move $U2 -> $U1" grep -q '^loaded ' /tmp/movev1.out
crc=$(mig_saved /tmp/movev1.out)
check "v1: destination loaded the stream the source saved ($crc)" \
	test "$(mig_stat $U1 loaded_len) $(mig_stat $U1 loaded_crc)" = "$crc"

# Bad streams
check "save a stream to a file" run save save $U1 /tmp/good.mig
len=$(stat -c %s /tmp/good.mig)
bad_load() { # NAME FILE WHY - load FILE into U2: rejected, U2 usable after
	local name=$1 f=$2 why=$3 rej
	rej=$(mig_stat $U2 rejected)
	# The log is never cleared (the harness checks all of it): look only
	# at the lines this load adds.
	local from=$(($(dmesg | wc -l) + 1))
	run "$name" load $U2 "$f"
	local rc=$?
	check "$name: rejected" test $rc = 1
	check "$name: the sample reports the rejection" grep -q '^load rejected' "/tmp/$name.out"
	check "$name: kernel log says why ($why)" sh -c "dmesg | tail -n +$from | grep -q 'migration stream rejected: $why'"
	check "$name: debugfs counts it" test "$(mig_stat $U2 rejected)" = $((rej + 1))
	check "$name: traced" mdev_trace_has "i40e_vf_mdev_stream_reject: $U2: $why"
	check "$name: RUNNING after VFIO_DEVICE_RESET" grep -q 'state after VFIO_DEVICE_RESET: RUNNING' "/tmp/$name.out"
	dmesg | tail -n +$from | grep 'migration stream' | sed 's/^/#   /'
}
head -c $((len - 9)) /tmp/good.mig > /tmp/trunc.mig
bad_load truncated /tmp/trunc.mig "truncated: the stream ended"
head -c 40 /tmp/good.mig > /tmp/trunc-hdr.mig
bad_load truncated-header /tmp/trunc-hdr.mig "truncated: .* inside the header"
cp /tmp/good.mig /tmp/corrupt.mig
printf '\x5a' | dd of=/tmp/corrupt.mig bs=1 seek=$((72 + 16 + 8)) conv=notrunc 2>/dev/null
bad_load corrupted /tmp/corrupt.mig "corrupt: CRC-32"
cp /tmp/good.mig /tmp/magic.mig
printf 'X' | dd of=/tmp/magic.mig bs=1 seek=0 conv=notrunc 2>/dev/null
bad_load bad-magic /tmp/magic.mig "bad magic"
cp /tmp/good.mig /tmp/qp.mig
printf '\x03\x00' | dd of=/tmp/qp.mig bs=1 seek=26 conv=notrunc 2>/dev/null
bad_load incompatible-qp /tmp/qp.mig "incompatible: source VF has 3 queue pairs"
cp /tmp/good.mig /tmp/type.mig
printf 'x' | dd of=/tmp/type.mig bs=1 seek=40 conv=notrunc 2>/dev/null
bad_load incompatible-type /tmp/type.mig "incompatible: source mdev type"
# the stream has PF_STATE (the PF services are there); a feature this
# driver does not know is refused, and so is PF_STATE without its feature
cp /tmp/good.mig /tmp/feat.mig
printf '\x03' | dd of=/tmp/feat.mig bs=1 seek=32 conv=notrunc 2>/dev/null
bad_load incompatible-features /tmp/feat.mig "incompatible: stream uses features 0x3"
cp /tmp/good.mig /tmp/nofeat.mig
printf '\x00' | dd of=/tmp/nofeat.mig bs=1 seek=32 conv=notrunc 2>/dev/null
bad_load pf-state-without-feature /tmp/nofeat.mig "bad record: PF_STATE at offset [0-9]* in a stream without the PF_STATE feature"
cp /tmp/good.mig /tmp/major.mig
printf '\x02' | dd of=/tmp/major.mig bs=1 seek=8 conv=notrunc 2>/dev/null
bad_load version /tmp/major.mig "unsupported stream format version 2"
{ cat /tmp/good.mig; printf 'trailing'; } > /tmp/trailing.mig
bad_load trailing /tmp/trailing.mig "trailing data: 8 bytes after the END record"
head -c 2000000 /dev/urandom > /tmp/big.mig
bad_load garbage /tmp/big.mig "bad magic"
dd if=/tmp/good.mig of=/tmp/v1bad.mig bs=1 count=$((len - 9)) 2>/dev/null
run v1-truncated load-v1 $U2 /tmp/v1bad.mig
check "v1: truncated stream rejected on RESUMING -> RUNNING" \
	grep -q 'load rejected: v1 RESUMING -> RUNNING: Invalid argument' /tmp/v1-truncated.out
check "v1: device_state after VFIO_DEVICE_RESET is RUNNING (1)" \
	grep -q 'v1 device_state after VFIO_DEVICE_RESET: 0x1' /tmp/v1-truncated.out

# A VF whose BAR0 does not answer is not saved.  An XL710 VF has no power
# management capability (no D3hot), but its PF can turn the VFs' memory
# space off (VF MSE in the SR-IOV control).
vf_mse() { setpci -s "$XL710_PF" ECAP_SRIOV+8.w="$1":8; }
from=$(($(dmesg | wc -l) + 1))
check "PF's VF MSE off" vf_mse 0
run unreadable save $U1 /tmp/unreadable.mig
rc=$?
check "PF's VF MSE on again" vf_mse 8
check "VF memory space off: saving fails" test $rc = 1
check "... PRE_COPY_P2P -> STOP_COPY fails with EIO" \
	grep -q -- '-> STOP_COPY: Input/output error' /tmp/unreadable.out
check "... and stays PRE_COPY_P2P (trace: 7 -> 3: -5)" \
	mdev_trace_has "i40e_vf_mdev_mig_arc: $U1 7 -> 3: -5\$"
check "... the kernel log says why" \
	sh -c "dmesg | tail -n +$from | grep -q 'cannot save: VF BAR0 does not answer'"
check "... no stream was written" test ! -e /tmp/unreadable.mig

# Both devices still usable
run again move $U1 $U2
check "after all that, $U1 -> $U2 still works" grep -q '^loaded ' /tmp/again.out
run again2 move $U2 $U1
check "and $U2 -> $U1" grep -q '^loaded ' /tmp/again2.out

# Reset and close in every session
run reset reset $U1
check "reset and close end every kind of session" grep -q '^reset: ok' /tmp/reset.out
check "the VF's sysfs reset ends every kind of session (4 states)" \
	test "$(grep -c '^sysfs reset in .*: state RUNNING, data_fd No such device: ok$' /tmp/reset.out)" = 4

# The sparse mmap re-evaluation IRQ, through its consumer sample
# (samples/i40e_vf_mdev_reeval.c): every step of the protocol on U1, then
# the driver's own count of what happened
reeval_stat() { awk -v k="$1" '$1 == k { print $2 }' "$MDEV_DBG/$U1/reeval"; }
check "debugfs: the re-evaluation IRQ is offered, no consumer" \
	sh -c "grep -qx 'offered yes' $MDEV_DBG/$U1/reeval && grep -qx 'consumer 0' $MDEV_DBG/$U1/reeval"
REEVAL=$(test_prog mdev_reeval)
"$REEVAL" $U1 > /tmp/reeval.out 2>&1; reeval_rc=$?
sed 's/^/#   /' /tmp/reeval.out
check "reeval sample: every step of the protocol (exit $reeval_rc)" \
	sh -c "[ $reeval_rc = 0 ] && grep -qE '^[1-9][0-9]* passed, 0 failed\$' /tmp/reeval.out"
check "reeval: closed: no consumer, no claim, no mapping, nothing held" \
	sh -c "grep -qx 'consumer 0' $MDEV_DBG/$U1/reeval && grep -qx 'claims 0' $MDEV_DBG/$U1/reeval &&
	       grep -qx 'mappings 0' $MDEV_DBG/$U1/reeval && grep -qx 'held 0' $MDEV_DBG/$U1/reeval"
cf=$(reeval_stat claim_failures)
check "reeval: the claims that waited in vain were counted ($cf >= 2)" test "${cf:-0}" -ge 2
sed 's/^/#   /' "$MDEV_DBG/$U1/reeval"
check "the kernel log says why a start failed" \
	sh -c "dmesg | grep -q 'dirty tracking not started: the user still maps the Rx tail page'"
check "the Rx tail page is trapped again once closed" rx_tail_kept "$MDEV_DBG/$U1/traps"

# The same mdevs through their iommufd cdevs, and the migration sample
# over them (Debian's kernel has no iommufd); before the PF events below,
# which leave VF0 with an administrator MAC that VF1 does not have (a
# difference the PF refuses in a migration)
U=$U1
. "$TOP/tests/vm/iommufd-cdev.sh"

# PF events while the VF is stopped: the host administrator gives VF0 a
# new MAC (i40e resets the VF) in each state where its DMA is stopped,
# and a PF reset in STOP_COPY.  The PF lost what it recorded: the next
# arc moves the device to ERROR, a device reset brings it back.
PFEV=$(test_prog mig_pfevent)
# /tmp/pfev.sh CMD - the event: CMD, then a wait (at most 60 s) until the
# PF has reset VF0 (its count of VF0's resets, in debugfs, moved)
cat > /tmp/pfev.sh <<EOF
gen() { sed -n 's/^pf_reset_gen //p' $MDEV_DBG/$U1/migration; }
g=\$(gen)
sh -c "\$1" || exit 1
for i in \$(seq 1 60); do [ "\$(gen)" != "\$g" ] && exit 0; sleep 1; done
echo "the PF did not reset VF0 within 60 s"; exit 1
EOF
# pf_event WHAT STATE CMD - mig_pfevent in STATE with CMD as the event
pf_event() {
	"$PFEV" /sys/bus/mdev/devices/$U1 "$2" "sh /tmp/pfev.sh '$3'" > /tmp/pfev.out 2>&1
	sed 's/^/#   /' /tmp/pfev.out
	check "$1 in $2: ERROR, then reset and migrate again" \
		grep -q '^mig_pfevent: [0-9]* ok, 0 failed' /tmp/pfev.out
}
mac_n=0
for st in PRE_COPY_P2P STOP_COPY RESUMING; do
	mac_n=$((mac_n + 1))
	pf_event "VF reset by the host administrator" $st \
		"ip link set $PF_IF vf 0 mac 02:00:00:00:0b:0$mac_n"
done
pf_event "PF reset" STOP_COPY "echo pfr > /sys/kernel/debug/i40e/$XL710_PF/command"
check "the kernel log names the lost state" \
	sh -c "dmesg | grep -q 'the VF was reset during migration, its state is lost'"
check "PF and VF0 up after the PF reset" wait_for 60 sh -c "ip link show $PF_IF | grep -q 'vf 0 '"

check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
# The VF's vfio device lives as long as the VF is bound; without an mdev
# it cannot be opened.
check "vfio-dev cdev refuses to bind without the mdev (ENODEV)" \
	sh -c "'$(test_prog mdev_race)' noopen '$VF0' '$U1' | grep -qx 'CDEV ENODEV'"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check "vfio-dev cdev gone with the driver" test ! -e "/dev/vfio/devices/$vfiodev"
check_dmesg_clean
done_testing
