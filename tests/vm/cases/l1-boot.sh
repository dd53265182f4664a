#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# timeout: 300
# L1 boots with the IOMMU on and loads the modules the stack needs.
. "$TOP/tests/vm/lib.sh"

groups=$(ls /sys/kernel/iommu_groups | wc -l)
if [ "$groups" -gt 0 ] && dmesg | grep -q 'DMAR: IOMMU enabled'; then
	ok "intel-iommu on, $groups iommu groups"
else
	not_ok "iommu groups: $groups"
fi
check "interrupt remapping enabled" grep -q 'Enabled IRQ remapping' <(dmesg)
# The TSC stays L1's clocksource (checked against the HPET): a host QEMU
# built without an HPET made the watchdog mark it unstable under TCG, L1
# read acpi_pm's port for the time, L2's kvm-clock lost its stable base
# and iavf's resets timed out in mig-pf-v2
check "L1's clocksource is the TSC ($(cat /sys/devices/system/clocksource/clocksource0/current_clocksource))" \
	grep -qx tsc /sys/devices/system/clocksource/clocksource0/current_clocksource
# The mdev core module is "mdev" since 5.16 (formerly vfio_mdev).
for m in vfio_pci mdev kvm_amd i40e iavf; do
	check "modprobe $m" modprobe "$m"
	check "$m loaded" grep -q "^$m " /proc/modules
done
check "/dev/kvm usable (SVM exposed to L1)" test -c /dev/kvm
check "each e1000e in its own iommu group" test \
	"$(readlink /sys/bus/pci/devices/0000:01:00.0/iommu_group)" != \
	"$(readlink /sys/bus/pci/devices/0000:02:00.0/iommu_group)"
check_dmesg_clean
done_testing
