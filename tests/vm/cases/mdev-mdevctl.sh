#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 300
# i40e_vf_mdev with mdevctl 1.2 on the XL710 model's VF: bind the VF with
# driver_override, `mdevctl types` shows the type (description,
# available_instances, device_api vfio-pci), define/start/list/stop/undefine
# a device, available_instances goes 1 -> 0 -> 1, and the mdev's
# iommu_group link is the VF's group.  Also: the example JSON definition
# from mdevctl-types/ works with `define --jsonfile`.
. "$TOP/tests/vm/mdev-lib.sh"

check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "load $MDEV_DRV" mdev_load
[ "$FAILED" = 0 ] || done_testing
check "VF $VF is not probed by anyone before binding" test -z "$(pci_driver "$VF")"
check "bind $VF to $MDEV_DRV (driver_override)" mdev_bind "$VF"
T=$(mdev_type_dir "$VF")
check "type name" grep -qx 'Intel Ethernet 700 Series VF' "$T/name"
check "type device_api is vfio-pci" grep -qx vfio-pci "$T/device_api"
check "type description names VF and PF" grep -q "VF $VF of PF $XL710_PF" "$T/description"
check "available_instances 1" test "$(mdev_avail "$VF")" = 1

mdevctl types > /tmp/types.txt 2>&1
sed 's/^/#   /' /tmp/types.txt
# The VF's block: its address, then the type with its attributes.
awk -v vf="$VF" '/^[0-9a-f]/ { p = ($1 == vf) } p' /tmp/types.txt > /tmp/types.vf
check "mdevctl types lists $MDEV_TYPE under $VF" grep -q "^ *$MDEV_TYPE\$" /tmp/types.vf
check "mdevctl types: Available instances: 1" grep -q 'Available instances: 1' /tmp/types.vf
check "mdevctl types: Device API: vfio-pci" grep -q 'Device API: vfio-pci' /tmp/types.vf
check "mdevctl types: Description" grep -q "Description: .*VF $VF of PF $XL710_PF" /tmp/types.vf

U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e01
check "mdevctl define" mdevctl define -u $U -p "$VF" -t $MDEV_TYPE
check "definition stored in /etc/mdevctl.d/$VF/$U" test -f "/etc/mdevctl.d/$VF/$U"
check "list --defined shows it" sh -c "mdevctl list --defined | grep -q '$U $VF $MDEV_TYPE'"
check "not running before start" test ! -e /sys/bus/mdev/devices/$U
check "mdevctl start" mdevctl start -u $U
M=/sys/bus/mdev/devices/$U
check "mdev exists in sysfs" test -d "$M"
check "mdevctl list shows it running" sh -c "mdevctl list | grep -q '$U $VF $MDEV_TYPE'"
check "available_instances 0 while it exists" test "$(mdev_avail "$VF")" = 0
check "mdev_type link is the VF's type" test "$(readlink -f "$M/mdev_type")" = "$(readlink -f "$T")"
check "mdev has an iommu_group link" test -L "$M/iommu_group"
vf_group=$(basename "$(readlink "/sys/bus/pci/devices/$VF/iommu_group")")
check "mdev iommu_group ($(mdev_group "$M")) is the VF's group ($vf_group)" \
	test "$(readlink -f "$M/iommu_group")" = "$(readlink -f "/sys/bus/pci/devices/$VF/iommu_group")"
check "/dev/vfio/$vf_group exists" test -c "/dev/vfio/$vf_group"
check "debugfs traps file for the mdev" test -f "$MDEV_DBG/$U/traps"
check "the device opens by UUID (group path)" "$MDEV_VFIO" open "$M"
check "a second start of the same VF fails" sh -c "! mdevctl start -u 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e02 -p $VF -t $MDEV_TYPE"
check "mdevctl stop" mdevctl stop -u $U
check "mdev gone after stop" test ! -e "$M"
check "debugfs directory gone after stop" test ! -e "$MDEV_DBG/$U"
check "available_instances back to 1" test "$(mdev_avail "$VF")" = 1
check "still defined after stop" sh -c "mdevctl list --defined | grep -q $U"
check "mdevctl undefine" mdevctl undefine -u $U
check "nothing defined any more" sh -c "! mdevctl list --defined | grep -q $U"

# The example definition shipped in mdevctl-types/.
J=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e03
check "define --jsonfile mdevctl-types/i40e_vf_mdev-vf.json" \
	mdevctl define -u $J -p "$VF" --jsonfile "$TOP/mdevctl-types/i40e_vf_mdev-vf.json"
check "start it" mdevctl start -u $J
check "it exists with the type" test "$(readlink -f /sys/bus/mdev/devices/$J/mdev_type)" = "$(readlink -f "$T")"
check "stop and undefine it" sh -c "mdevctl stop -u $J && mdevctl undefine -u $J"
check "available_instances 1 at the end" test "$(mdev_avail "$VF")" = 1

check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check "VF unbound after rmmod" test -z "$(pci_driver "$VF")"
check_dmesg_clean
done_testing
