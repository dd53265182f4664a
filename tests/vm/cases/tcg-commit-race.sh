#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# timeout: 300
# The host QEMU's TCG against a memory map that changes under a vCPU's
# MMIO (patches/qemu/0011).  QEMU 7.2's tcg_commit() gave a vCPU the new
# map's section table from the thread that changed the map, while the
# vCPU's TLB still held indexes into the old table: its next I/O accesses
# went to another region, or through a stray pointer.  That killed the
# host QEMU in CI (SIGSEGV in memory_region_dispatch_write() with a NULL
# region, from an APIC EOI write while L1 probed PCI).  Here CPU 1 turns
# the VGA's memory decoding off and on while CPU 0 reads the AHCI HBA's
# capabilities register, which sits above the VGA's BARs (so each change
# renumbers its section) and never changes.
. "$TOP/tests/vm/lib.sh"

ROUNDS=2000
prog=$(test_prog tcg-commit-race) || die "cannot build tcg-commit-race"
# dev_of CLASS - the first PCI function of that class (sysfs path)
dev_of() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/class")" = "$1" ] && { echo "$d"; return 0; }
	done
	return 1
}
vga=$(dev_of 0x030000) || die "L1 has no VGA"
ahci=$(dev_of 0x010601) || die "L1 has no AHCI HBA"
# start and end of resource N of device D
bar() { sed -n "$(($2 + 1))p" "$1/resource" | awk '{ print $1, $2 }'; }
read -r _ vga_end < <(for n in 0 1 2; do bar "$vga" $n; done | sort | tail -1)
read -r ahci_start _ < <(bar "$ahci" 5)
echo "# VGA ${vga##*/} ends at $vga_end, AHCI ${ahci##*/} BAR5 at $ahci_start"
check "the AHCI HBA's registers are above the VGA's BARs" \
	test $((ahci_start)) -gt $((vga_end))
taskset -c 0 "$prog" "$ahci/resource5" 0 "$vga/config" $ROUNDS > /tmp/race.out 2>&1
rc=$?
sed 's/^/#   /' /tmp/race.out
check "the register read the same through $ROUNDS changes of the memory map" test $rc = 0
check "the VGA decodes memory again" \
	test $((0x$(setpci -s "${vga##*/}" COMMAND) & 2)) = 2
check_dmesg_clean
done_testing
