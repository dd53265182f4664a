#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# machine: xl710
# timeout: 1500
# i40e_vf_mdev: bad inputs get clear errors and leave nothing behind, on
# the XL710 model's VFs; on the debug kernel, KASAN, lockdep and kmemleak
# watch every step.
#   - malformed UUID (EINVAL), UUID in use (EEXIST), second mdev on a VF
#     (EBUSY)
#   - opening the VF by its PCI name through vfio is refused while it is
#     an mdev parent; the UUID opens it
#   - removing an open mdev waits (the user gets device requests), finishes
#     when the user lets go; rmmod is refused meanwhile; a user that lets
#     go on request (as QEMU does) is not waited for long
#   - unbinding the VF, and disabling SR-IOV on the PF, with an mdev that
#     is closed, and one that is open
#   - creating after a PF reset (i40e's debugfs "pfr"), and on a VF whose
#     PF is not driven by i40e (pci-pf-stub): ENODEV
#   - 20 create/open/remove cycles (kmemleak checks what they leave)
. "$TOP/tests/vm/mdev-lib.sh"

# sysfs_write FILE VALUE - prints OK or the errno name of the write
sysfs_write() {
	python3 - "$1" "$2" <<'EOF'
import errno, os, sys
try:
    fd = os.open(sys.argv[1], os.O_WRONLY)
    try:
        os.write(fd, sys.argv[2].encode())
    finally:
        os.close(fd)
    print("OK")
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e.errno)))
EOF
}
expect_errno() { # WHAT EXPECTED FILE VALUE
	local got
	got=$(sysfs_write "$3" "$4")
	if [ "$got" = "$2" ]; then ok "$1: $got"; else not_ok "$1: expected $2, got $got"; fi
}
no_mdevs() { [ -z "$(ls /sys/bus/mdev/devices/ 2>/dev/null)" ]; }
# hold_start UUID [exit-on-request] - keep the mdev open in the background
hold_start() {
	rm -f /tmp/hold.out
	"$MDEV_VFIO" hold "/sys/bus/mdev/devices/$1" ${2:-} > /tmp/hold.out 2>&1 &
	HOLD_PID=$!
	wait_for 30 grep -q OPENED /tmp/hold.out
}
hold_stop() { kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null; }
# blocked_then_released WHAT CMD - CMD must block while the mdev is held,
# with device requests reaching the holder, and finish once it closes
blocked_then_released() {
	local what=$1 pid
	shift
	"$@" > /tmp/blocked.out 2>&1 &
	pid=$!
	sleep 4
	if kill -0 $pid 2>/dev/null; then ok "$what: waits while the mdev is open"; else
		not_ok "$what: did not wait for the open mdev"; fi
	check "$what: the user got a device request" wait_for 15 grep -q 'REQUEST 1' /tmp/hold.out
	hold_stop
	check "$what: finishes once the user closed the device" wait_for 30 sh -c "! kill -0 $pid"
	wait $pid
	echo "#   $what: exit status $?; $(tr '\n' ' ' < /tmp/hold.out)"
}

mdev_two_vfs_bound
VF=$VF0
[ "$FAILED" = 0 ] || done_testing
T=$(mdev_type_dir "$VF")
U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e21
U2=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e22
M=/sys/bus/mdev/devices/$U

echo "# --- malformed and duplicate UUIDs, second mdev on a VF"
expect_errno "malformed UUID" EINVAL "$T/create" "not-a-uuid"
expect_errno "UUID with a bad digit" EINVAL "$T/create" "4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4eXX"
check "nothing created" no_mdevs
check "available_instances still 1" test "$(mdev_avail "$VF")" = 1
expect_errno "create" OK "$T/create" $U
expect_errno "the same UUID on VF1" EEXIST "$(mdev_type_dir "$VF1")/create" $U
expect_errno "a second mdev on VF0" EBUSY "$T/create" $U2
check "only the first mdev exists" test "$(ls /sys/bus/mdev/devices)" = $U
check "VF1 still offers its instance" test "$(mdev_avail "$VF1")" = 1
check "the kernel log names the busy VF" sh -c "dmesg | grep -q 'VF $VF already has mdev $U'"

echo "# --- opening by PCI name"
"$MDEV_VFIO" open "$M" "$VF" > /tmp/open.txt
rc=$?
sed 's/^/#   /' /tmp/open.txt
check "VF opened by PCI name through the group: refused (exit $rc)" test $rc = 1
check "... with ENODEV" grep -q 'OPEN-FAIL ENODEV' /tmp/open.txt
"$MDEV_VFIO" open "/sys/bus/pci/devices/$VF" > /tmp/open2.txt
check "the same through the VF's own sysfs path: refused" grep -q 'OPEN-FAIL' /tmp/open2.txt
check "the mdev UUID opens it" "$MDEV_VFIO" open "$M"
check "the kernel log says why" sh -c "dmesg | grep -q 'VF $VF can only be opened as mdev $U'"

echo "# --- remove while open"
check "hold the mdev open" hold_start $U
check "the device can't be opened twice" sh -c "! '$MDEV_VFIO' open '$M'"
check "rmmod refused while open" sh -c "! rmmod $MDEV_DRV"
blocked_then_released "remove of an open mdev" mdev_remove $U
check "mdev gone" test ! -e "$M"
check "available_instances 1 again" test "$(mdev_avail "$VF")" = 1

echo "# --- remove while open, with a user that lets go on request (like QEMU)"
check "create" mdev_create "$VF" $U
check "hold it open, exit on request" hold_start $U exit-on-request
t0=$(date +%s)
check "remove finishes" timeout 60 sh -c "echo 1 > $M/remove"
t1=$(date +%s)
check "remove took $((t1 - t0)) s (< 15 s)" test $((t1 - t0)) -lt 15
check "the holder closed on the request" wait_for 10 grep -q CLOSED /tmp/hold.out
wait "$HOLD_PID" 2>/dev/null
check "mdev gone" test ! -e "$M"

echo "# --- unbinding the VF"
check "create" mdev_create "$VF" $U
check "unbind VF with a closed mdev" sh -c "echo $VF > /sys/bus/pci/drivers/$MDEV_DRV/unbind"
check "mdev removed with it" test ! -e "$M"
check "VF unbound" test -z "$(pci_driver "$VF")"
check "rebind VF" mdev_bind "$VF"
check "create" mdev_create "$VF" $U
check "hold it open" hold_start $U
blocked_then_released "unbind of a VF with an open mdev" \
	sh -c "echo $VF > /sys/bus/pci/drivers/$MDEV_DRV/unbind"
check "mdev removed with it" test ! -e "$M"
check "VF unbound" test -z "$(pci_driver "$VF")"
check "rebind VF" mdev_bind "$VF"

echo "# --- disabling SR-IOV on the PF"
reenable() {
	echo 2 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs &&
		wait_for 20 has_vf 1 && mdev_bind "$(xl710_vf_bdf 0)" &&
		mdev_bind "$(xl710_vf_bdf 1)"
}
check "create" mdev_create "$VF" $U
check "echo 0 > sriov_numvfs with a closed mdev" sh -c "echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"
check "mdev removed" test ! -e "$M"
check "VFs gone" test ! -e "/sys/bus/pci/devices/$VF"
check "re-enable SR-IOV and bind the VFs" reenable
VF=$(xl710_vf_bdf 0)
T=$(mdev_type_dir "$VF")
check "create" mdev_create "$VF" $U
check "hold it open" hold_start $U
blocked_then_released "echo 0 > sriov_numvfs with an open mdev" \
	sh -c "echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"
check "mdev removed" test ! -e "$M"
check "VFs gone" test ! -e "/sys/bus/pci/devices/$VF"
check "re-enable SR-IOV and bind the VFs" reenable
VF=$(xl710_vf_bdf 0)
T=$(mdev_type_dir "$VF")

echo "# --- PF reset"
I40E_DBG=/sys/kernel/debug/i40e/$XL710_PF/command
check "create" mdev_create "$VF" $U
if [ -w "$I40E_DBG" ]; then
	check "PF reset (i40e debugfs pfr) with a closed mdev" sh -c "echo pfr > $I40E_DBG"
	check "PF netdev back" wait_for 60 grep -q 1 "/sys/class/net/$PF_IF/carrier"
	check "the mdev survived" test -d "$M"
	check "it opens, VFGEN_RSTAT reads ready" sh -c \
		"'$MDEV_VFIO' info '$M' > /tmp/info.txt && grep -qE '^RSTAT 0x[0-9a-f]*[12]\$' /tmp/info.txt"
	sed 's/^/#   /' /tmp/info.txt
	mdev_remove $U
	echo pfr > "$I40E_DBG"
	# Right after the reset, creation either works or says "try again".
	res=''
	for _ in $(seq 1 60); do
		r=$(sysfs_write "$T/create" $U)
		res="$res $r"
		[ "$r" = OK ] && break
		[ "$r" = EAGAIN ] || break
		sleep 0.5
	done
	echo "#   create attempts after pfr:$res"
	check "create after a PF reset succeeds (EAGAIN at most meanwhile)" test "$r" = OK
	check "it opens" "$MDEV_VFIO" open "$M"
	check "remove" mdev_remove $U
	check "create" mdev_create "$VF" $U
	check "hold it open" hold_start $U
	check "PF reset with an open mdev" sh -c "echo pfr > $I40E_DBG"
	check "PF netdev back" wait_for 60 grep -q 1 "/sys/class/net/$PF_IF/carrier"
	hold_stop
	check "remove after the holder closed" mdev_remove $U
else
	not_ok "no i40e debugfs command file ($I40E_DBG)"
	mdev_remove $U
fi
check "nothing left" no_mdevs

echo "# --- PF not driven by i40e"
check "disable SR-IOV" sh -c "echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"
check "modprobe pci-pf-stub" modprobe pci-pf-stub
echo "$XL710_PF" > /sys/bus/pci/drivers/i40e/unbind
echo pci-pf-stub > /sys/bus/pci/devices/$XL710_PF/driver_override
echo "$XL710_PF" > /sys/bus/pci/drivers_probe
check "PF bound to pci-pf-stub" test "$(pci_driver $XL710_PF)" = pci-pf-stub
echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_drivers_autoprobe
check "1 VF under pci-pf-stub" sh -c "echo 1 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"
wait_for 20 has_vf 0
VF=$(xl710_vf_bdf 0)
T=$(mdev_type_dir "$VF")
check "the VF binds (it is a 700-series VF)" mdev_bind "$VF"
check "available_instances 0 without i40e on the PF" test "$(mdev_avail "$VF")" = 0
expect_errno "create with the PF not on i40e" ENODEV "$T/create" $U
check "nothing created" no_mdevs
check "the kernel log says why" sh -c "dmesg | grep -q 'PF $XL710_PF of VF $VF is not driven by i40e'"
echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs
check "PF back to i40e" pci_bind "$XL710_PF" i40e
echo > /sys/bus/pci/devices/$XL710_PF/driver_override
check "PF up again with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
T=$(mdev_type_dir "$VF")
check "bind VF" mdev_bind "$VF"

# Each open and close resets the VF (FLR) and i40e finishes that reset
# from its service task; creation does not wait for it (the VF's user
# does, through VFGEN_RSTAT), so no cycle may fail.
echo "# --- 20 create/open/remove cycles"
cycles() {
	local i
	for i in $(seq 1 20); do
		mdev_create "$VF" $U || return 1
		"$MDEV_VFIO" open "$M" > /dev/null || return 1
		mdev_remove $U || return 1
	done
}
check "20 cycles" cycles
check "nothing left" no_mdevs
check "available_instances 1" test "$(mdev_avail "$VF")" = 1
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check "VF unbound by rmmod" test -z "$(pci_driver "$VF")"
check_dmesg_clean
done_testing
