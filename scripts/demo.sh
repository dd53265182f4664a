#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on the built-in default: boot the emulated XL710 host (the
# QEMU model) with L1 on Debian's stock kernel and i40e with the PF
# services (patches/kernel), enable two VFs, hand them to i40e_vf_mdev,
# create an mdev on each and give the first to an L2 with QEMU 7.2
# (-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID,
# x-enable-migration=on); the upstream iavf in L2 pings a peer, QEMU
# live-migrates L2 to the second mdev, and L2 passes verified traffic
# both ways there, then moves back and forth
# (tests/vm/cases/mig-pf-v1.sh, Documentation/testing.rst).
# KERNEL=stock|project selects L1's kernel.

. "$(dirname "$0")/lib.sh"
"$TOP/scripts/setup-host.sh"
res=$CACHE/runs/demo
rm -rf "$res"
set +e
"$TOP/tests/vm/run-l1.sh" --kernel "${KERNEL:-stock}" --model --timeout 1800 \
	--results "$res" tests/vm/cases/mig-pf-v1.sh
rc=$?
echo
echo "=== what happened in L1 ($res/test.log) ==="
cat "$res/test.log" 2>/dev/null
echo "=== L2's console on the first destination ($res/mpf-dst.log, its traffic) ==="
grep -a 'L2-' "$res/mpf-dst.log" 2>/dev/null | grep -v 'L2-HB\|L2-DMESG' | tail -n 25
echo "=== verdict: $(cat "$res/verdict" 2>/dev/null)"
exit $rc
