#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Measure how often the VM stack itself fails: boot L1 N times per kernel
# running CASE and tally the verdicts (pass / fail / infra with reasons).
#
#   tests/vm/stability.sh [-n N] [-k "stock project"] [CASE]
#
# Used to choose and document the settings in Documentation/testing.rst;
# results are recorded in tests/vm/STABILITY.md by hand.

. "$(dirname "$0")/../../scripts/lib.sh"
set +e
n=10 kernels="stock project" case=tests/vm/cases/l1-boot.sh
while getopts n:k: o; do
	case $o in n) n=$OPTARG ;; k) kernels=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] && case=$1
# A case may be named (mdev-libvirt) or given by its path from the top.
[ -f "$TOP/$case" ] || case=tests/vm/cases/$case.sh
[ -f "$TOP/$case" ] || { echo "no such case: $1" >&2; exit 2; }
for k in $kernels; do
	declare -A tally=()
	for i in $(seq 1 "$n"); do
		res=$CACHE/runs/stability-$(basename "$case" .sh)-$k-$i
		rm -rf "$res"
		"$TOP/tests/vm/run-l1.sh" --kernel "$k" --results "$res" \
			"$case" >/dev/null 2>&1
		v=$(cut -d: -f1-2 "$res/verdict" 2>/dev/null || echo "no verdict")
		tally[$v]=$((${tally[$v]:-0} + 1))
		echo "$k run $i: $(cat "$res/verdict" 2>/dev/null)"
	done
	for v in "${!tally[@]}"; do echo "$k: ${tally[$v]}/$n $v"; done
	unset tally
done
