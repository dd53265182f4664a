# SPDX-License-Identifier: GPL-2.0
# Helpers for the i40e_vf_mdev VM tests (tests/vm/cases/mdev-*.sh), on top
# of tests/vm/lib.sh.  Sourced in L1.

. "$TOP/tests/vm/lib.sh"

MDEV_TYPE=i40e_vf_mdev-vf
MDEV_DRV=i40e_vf_mdev
MDEV_DBG=/sys/kernel/debug/i40e_vf_mdev
MDEV_VFIO=$(test_prog mdev_vfio)

# mdev_pf_up NVF - the model's PF up with NVF VFs that nobody probes
mdev_pf_up() { xl710_pf_up && xl710_vfs "${1:-1}"; }

# mdev_load - vfio-pci, mdev and the driver
mdev_load() {
	modprobe -a vfio-pci mdev || return 1
	lsmod | grep -q "^$MDEV_DRV " && return 0
	insmod "$MODULES/$MDEV_DRV.ko"
}

# mdev_bind BDF - bind a VF to the driver with driver_override
mdev_bind() {
	pci_bind "$1" "$MDEV_DRV" &&
		test -d "/sys/bus/pci/devices/$1/mdev_supported_types/$MDEV_TYPE"
}

mdev_type_dir() { echo "/sys/bus/pci/devices/$1/mdev_supported_types/$MDEV_TYPE"; }
mdev_avail() { cat "$(mdev_type_dir "$1")/available_instances"; }
# mdev_create BDF UUID / mdev_remove UUID - through sysfs
mdev_create() { echo "$2" > "$(mdev_type_dir "$1")/create"; }
mdev_remove() { echo 1 > "/sys/bus/mdev/devices/$1/remove"; }
mdev_group() { basename "$(readlink "$1/iommu_group")"; }

# trap_count UUID NAME - a counter from the debugfs traps file
trap_count() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/traps"; }
# mig_stat UUID NAME - a value from the debugfs migration file
mig_stat() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/migration"; }
# mig_saved FILE - "LEN CRC" from the migration sample's
# "saved LEN bytes crc32 CRC" line in FILE
mig_saved() { sed -n 's/^saved \([0-9]*\) bytes crc32 \(0x[0-9a-f]*\)$/\1 \2/p' "$1"; }
# trap_delta BEFORE AFTER NAME - difference of a counter in two snapshots
trap_delta() {
	local a b
	a=$(awk -v k="$3" '$1 == k { print $2 }' "$1")
	b=$(awk -v k="$3" '$1 == k { print $2 }' "$2")
	echo $((${b:-0} - ${a:-0}))
}

# mdev_traps_steady NAME UUID - assert that the trap counters show no
# data path trap while the peer's bulk transfer ran
mdev_traps_steady() {
	local name=$1 b=/tmp/$1.traps.before a=/tmp/$1.traps.after
	if [ ! -s "$b" ] || [ ! -s "$a" ]; then
		not_ok "$name: no trap counter snapshots around the transfer"
		return
	fi
	echo "# trap counters before/after the L1 -> L2 transfer of $L2T_BYTES bytes:"
	paste "$b" "$a" | sed 's/^/#   /'
	local dp other slow mbx
	dp=$(trap_delta "$b" "$a" datapath)
	other=$(trap_delta "$b" "$a" other)
	slow=$(trap_delta "$b" "$a" untrapped)
	mbx=$(trap_delta "$b" "$a" mailbox)
	check "$name: 0 data path traps during the transfer (got $dp)" test "$dp" = 0
	check "$name: 0 other-page traps during the transfer (got $other)" test "$other" = 0
	check "$name: 0 read/write of mmap()able BAR0 pages during the transfer (got $slow)" \
		test "$slow" = 0
	echo "# mailbox traps during the transfer: $mbx ($((L2T_BYTES / (mbx + 1))) bytes per trap + 1)"
}
