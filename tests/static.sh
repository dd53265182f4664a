#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the driver, each counted as a test:
#   - scripts/checkpatch.pl --strict on the driver, uAPI header and samples
#   - W=1 and sparse (C=1) builds against Debian's stock 6.12 headers with
#     no warnings
#   - the Debian 6.1 headers: builds, or stops with the documented message
#     naming the supported kernel range

. "$(dirname "$0")/../scripts/lib.sh"
set +e

passed=0 failed=0
res() { if [ "$1" = 0 ]; then passed=$((passed + 1)); echo "ok - $2"; else
	failed=$((failed + 1)); echo "not ok - $2"; fi; }

drv=$TOP/drivers/vfio/mdev/i40e_vf_mdev
work=$CACHE/static
rm -rf "$work"
mkdir -p "$work"

# checkpatch needs the kernel source tree (scripts/checkpatch.pl, spelling).
if [ ! -f "$LINUX_SRC/.done" ]; then "$TOP/scripts/build-kernel.sh" --unpack-only >/dev/null 2>&1; fi
files=$(cd "$TOP" && ls drivers/vfio/mdev/i40e_vf_mdev/*.[ch] include/uapi/linux/*.h \
	samples/*/*.c samples/*.c 2>/dev/null)
if [ -n "$files" ]; then
	(cd "$TOP" && perl "$LINUX_SRC/scripts/checkpatch.pl" --no-tree --strict \
		--terse --show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files) \
		> "$work/checkpatch.log" 2>&1
	grep -qE 'ERROR|WARNING|CHECK' "$work/checkpatch.log"
	rc=$((1 - $?))
	[ $rc = 0 ] || head -n 30 "$work/checkpatch.log"
	res $rc "checkpatch --strict clean ($(echo "$files" | wc -w) files)"
fi

[ -f "$drv/Makefile" ] || { echo "$passed passed, $failed failed"; exit 0; }

build() { # NAME KDIR EXTRA...
	local name=$1 kdir=$2
	shift 2
	mkdir -p "$work/$name"
	rsync -a "$drv/" "$work/$name/"
	mkdir -p "$work/$name/include"
	rsync -a "$TOP/include/" "$work/$name/include/"
	make -C "$kdir" M="$work/$name" "$@" modules > "$work/$name.log" 2>&1
}

build w1 "/usr/src/linux-headers-$DEB_KVER" W=1
rc=$?
grep -E 'warning:|error:' "$work/w1.log" | head -n 20
[ $rc = 0 ] && ! grep -qE 'warning:|error:' "$work/w1.log"
res $? "W=1 build against stock $DEB_KVER headers, no warnings"

build sparse "/usr/src/linux-headers-$DEB_KVER" C=1
rc=$?
grep -E 'warning:|error:' "$work/sparse.log" | head -n 20
[ $rc = 0 ] && ! grep -qE 'warning:|error:' "$work/sparse.log"
res $? "sparse (C=1) clean"

k61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | tail -n 1)
if [ -n "$k61" ]; then
	build k61 "$k61"
	rc=$?
	if [ $rc = 0 ]; then
		res 0 "builds against $(basename "$k61")"
	else
		grep -q 'i40e_vf_mdev: Linux .* is not supported: it needs Linux' "$work/k61.log"
		res $? "$(basename "$k61"): stops with the supported-range message"
	fi
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
