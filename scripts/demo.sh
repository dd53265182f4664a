#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The main job on the built-in default: boot host -> L1 -> L2 and show L2
# passing verified traffic through a device that L1 passes through to it.
#
# Today the device is L1's emulated e1000e bound to vfio-pci (the XL710
# model's VF through an i40e_vf_mdev mdev replaces it when those land).
# KERNEL=stock|project|debug selects L1's kernel (default: Debian's stock).

. "$(dirname "$0")/lib.sh"
"$TOP/scripts/setup-host.sh"
res=$CACHE/runs/demo
rm -rf "$res"
set +e
"$TOP/tests/vm/run-l1.sh" --kernel "${KERNEL:-stock}" --timeout 480 \
	--results "$res" tests/vm/cases/nested-vfio-e1000e.sh
rc=$?
echo
echo "=== what happened in L1 ($res/test.log) ==="
cat "$res/test.log" 2>/dev/null
echo "=== L2's console ($res/nested-l2.log, last lines) ==="
tail -n 25 "$res/nested-l2.log" 2>/dev/null
echo "=== verdict: $(cat "$res/verdict" 2>/dev/null)"
exit $rc
