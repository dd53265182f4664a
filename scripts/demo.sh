#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on the built-in default: boot the emulated XL710 host (the
# QEMU model) with L1 on Debian's stock kernel, enable a VF, hand it to
# i40e_vf_mdev, create the mdev and give it to an L2 with QEMU 7.2
# (-device vfio-pci,sysfsdev=/sys/bus/mdev/devices/UUID); the upstream iavf
# in L2 passes verified traffic both ways with a peer, with no data-path
# traps.  (A live migration joins this once the PF services land.)
# KERNEL=stock|project selects L1's kernel.

. "$(dirname "$0")/lib.sh"
"$TOP/scripts/setup-host.sh"
res=$CACHE/runs/demo
rm -rf "$res"
set +e
"$TOP/tests/vm/run-l1.sh" --kernel "${KERNEL:-stock}" --model --timeout 900 \
	--results "$res" tests/vm/cases/mdev-qemu.sh
rc=$?
echo
echo "=== what happened in L1 ($res/test.log) ==="
cat "$res/test.log" 2>/dev/null
echo "=== L2's console ($res/qemu-l2.log, last lines) ==="
tail -n 25 "$res/qemu-l2.log" 2>/dev/null
echo "=== verdict: $(cat "$res/verdict" 2>/dev/null)"
exit $rc
