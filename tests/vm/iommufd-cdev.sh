# SPDX-License-Identifier: GPL-2.0
# The iommufd vfio device cdev of an mdev: sourced by
# tests/vm/cases/mig-v2.sh (debug kernel: CONFIG_IOMMUFD and
# CONFIG_VFIO_DEVICE_CDEV, which Debian's kernel lacks) with $U the mdev
# on $VF0 and $U2 another one, both closed, and $MIG the migration
# sample.  QEMU 7.2 (Debian 12) has no iommufd backend (`-object
# iommufd` appeared in QEMU 8.2), so this shows the path QEMU >= 8.2
# takes with the documented sample samples/i40e_vf_mdev_cdev.c:
# <mdev>/vfio-dev/vfio* -> /dev/vfio/devices/vfioN,
# VFIO_DEVICE_BIND_IOMMUFD, IOMMU_IOAS_ALLOC,
# VFIO_DEVICE_ATTACH_IOMMUFD_PT, IOMMU_IOAS_MAP, VFGEN_RSTAT read through
# the BAR0 trap, and the sparse mmap of BAR0.  Then the migration sample
# (--cdev) moves the device state between the two mdevs opened through
# their cdevs, over v2 and over the v1 region, and the destinations'
# debugfs show the stream the source saved.  The caller removes the
# mdevs and the driver, and checks the cdev ($vfiodev) after each.

CDEV=$(test_prog mdev_cdev)
check "QEMU 7.2 in L1 has no iommufd backend (documented reason for the sample)" \
	sh -c "! qemu-system-x86_64 -object help | grep -qx '  iommufd'"
check "modprobe iommufd" modprobe iommufd
check "/dev/iommu exists" test -c /dev/iommu
M=/sys/bus/mdev/devices/$U
check "mdev has a vfio-dev link" test -L "$M/vfio-dev"
check "vfio-dev is the VF's vfio-dev directory" \
	test "$(readlink -f "$M/vfio-dev")" = "$(readlink -f "/sys/bus/pci/devices/$VF0/vfio-dev")"
vfiodev=
for d in "$M"/vfio-dev/vfio*; do
	[ -e "$d" ] && vfiodev=${d##*/} && break
done
check "vfio-dev holds $vfiodev with a dev attribute" test -f "$M/vfio-dev/$vfiodev/dev"
devnum() { printf '%d:%d' "0x$(stat -c %t "$1")" "0x$(stat -c %T "$1")"; }
check "/dev/vfio/devices/$vfiodev is that device ($(cat "$M/vfio-dev/$vfiodev/dev"))" \
	test "$(devnum /dev/vfio/devices/$vfiodev)" = "$(cat "$M/vfio-dev/$vfiodev/dev")"
before=$(trap_count $U reads)
"$CDEV" "$M" > /tmp/cdev.txt 2>&1
rc=$?
sed 's/^/#   /' /tmp/cdev.txt
check "sample exits 0" test $rc = 0
check "BIND_IOMMUFD worked" grep -q '^VFIO_DEVICE_BIND_IOMMUFD: devid' /tmp/cdev.txt
check "IOAS_ALLOC worked" grep -q '^IOMMU_IOAS_ALLOC: ioas' /tmp/cdev.txt
check "ATTACH_IOMMUFD_PT worked" grep -q '^VFIO_DEVICE_ATTACH_IOMMUFD_PT: pt' /tmp/cdev.txt
check "IOAS_MAP worked" grep -q '^IOMMU_IOAS_MAP: 0x200000 bytes' /tmp/cdev.txt
# The mailbox pages are trapped; so is the Rx tail page where the device
# offers DMA logging (this kernel has CONFIG_IOMMUFD_DRIVER)
if grep -qx 'offered yes' "$MDEV_DBG/$U/dirty"; then
	check "sparse area 0 is 0+0x2000" grep -q '^sparse area 0: 0+0x2000$' /tmp/cdev.txt
	check "sparse area 1 is 0x3000+0x3000" grep -q '^sparse area 1: 0x3000+0x3000$' /tmp/cdev.txt
	check "sparse area 2 is 0x9000+0x7000" grep -q '^sparse area 2: 0x9000+0x7000$' /tmp/cdev.txt
	check "exactly three sparse areas" test "$(grep -c '^sparse area' /tmp/cdev.txt)" = 3
else
	check "sparse area 0 is 0+0x6000" grep -q '^sparse area 0: 0+0x6000$' /tmp/cdev.txt
	check "sparse area 1 is 0x9000+0x7000" grep -q '^sparse area 1: 0x9000+0x7000$' /tmp/cdev.txt
	check "exactly two sparse areas" test "$(grep -c '^sparse area' /tmp/cdev.txt)" = 2
fi
check "VFGEN_RSTAT says the VF is ready" grep -qE '^VFGEN_RSTAT 0x[0-9a-f]+ \(VFR_STATE [12]\)' /tmp/cdev.txt
check "mmap of the mailbox page refused" grep -q 'mmap of the trapped mailbox page: Invalid argument' /tmp/cdev.txt
after=$(trap_count $U reads)
check "the VFGEN_RSTAT read went through the trap (reads $before -> $after)" test "$after" -gt "$before"
check "cdev closed: the group path opens it now" "$MDEV_VFIO" open "$M"
check "cdev busy while the group holds it open" sh -c "
	'$MDEV_VFIO' hold '$M' > /tmp/h.out & p=\$!
	for i in \$(seq 1 100); do grep -q OPENED /tmp/h.out && break; sleep 0.2; done
	'$CDEV' '$M' > /tmp/cdev2.txt 2>&1; r=\$?; kill \$p; wait \$p; [ \$r != 0 ]"
sed 's/^/#   /' /tmp/cdev2.txt | head -n 3

# Migration through the cdevs
mig() { # NAME ARGS... - the sample with --cdev, output kept and shown
	local name=$1 rc
	shift
	"$MIG" --cdev "$@" > "/tmp/$name.out" 2>&1
	rc=$?
	sed 's/^/#   /' "/tmp/$name.out" | tail -n 20
	return $rc
}
check "--cdev info: migration flags through the cdev" mig info info $U
check "--cdev info: STOP_COPY P2P PRE_COPY" \
	grep -q 'migration flags 0x7: STOP_COPY P2P PRE_COPY' /tmp/info.out
check "--cdev v2 move $U -> $U2" mig move move $U $U2
crc=$(mig_saved /tmp/move.out)
check "v2: $U2 loaded what $U saved (${crc:-nothing})" \
	test -n "$crc" -a "$(mig_stat $U saved_len) $(mig_stat $U saved_crc)" = "$crc" -a \
	"$(mig_stat $U2 loaded_len) $(mig_stat $U2 loaded_crc)" = "$crc"
check "--cdev v1 move $U2 -> $U" mig movev1 move-v1 $U2 $U
crc=$(mig_saved /tmp/movev1.out)
check "v1: $U loaded what $U2 saved (${crc:-nothing})" \
	test -n "$crc" -a "$(mig_stat $U2 saved_len) $(mig_stat $U2 saved_crc)" = "$crc" -a \
	"$(mig_stat $U loaded_len) $(mig_stat $U loaded_crc)" = "$crc"
check "--cdev save $U to a file" mig save save $U /tmp/c.mig
head -c $(($(stat -c %s /tmp/c.mig) - 9)) /tmp/c.mig > /tmp/c-trunc.mig
mig trunc load $U2 /tmp/c-trunc.mig
check "--cdev truncated stream: load rejected" grep -q '^load rejected' /tmp/trunc.out
check "--cdev truncated stream: $U2 RUNNING after VFIO_DEVICE_RESET" \
	grep -q 'state after VFIO_DEVICE_RESET: RUNNING' /tmp/trunc.out
check "--cdev $U still moves to $U2 after that" mig again move $U $U2

