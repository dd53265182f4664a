#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Static checks on the driver, each counted as a test:
#   - scripts/checkpatch.pl --strict on the driver, uAPI header and samples
#   - W=1 and sparse (C=1) builds against Debian's stock 6.12 headers with
#     no warnings
#   - the Debian 6.1 headers: builds, or stops with the documented message
#     naming the supported kernel range
# A tool that is missing or crashes is a failure, never a silent pass.

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
cp=$LINUX_SRC/scripts/checkpatch.pl
if [ ! -f "$cp" ] || ! perl -e 1; then
	res 1 "checkpatch: $cp or perl missing"
elif [ -z "$files" ]; then
	res 1 "checkpatch: no files to check"
else
	# checkpatch exits non-zero for any ERROR, WARNING or CHECK, and perl
	# with 255 when it dies; both fail, as does a log without checkpatch's
	# own per-file verdicts.
	(cd "$TOP" && perl "$cp" --no-tree --strict --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files) \
		> "$work/checkpatch.log" 2>&1
	rc=$?
	n=$(grep -cE '^total: 0 errors, 0 warnings, 0 checks' "$work/checkpatch.log")
	[ $rc = 0 ] && [ "$n" = "$(echo "$files" | wc -w)" ]
	rc=$?
	[ $rc = 0 ] || grep -E '^(ERROR|WARNING|CHECK)|^[^ ].*(line|died)' "$work/checkpatch.log" | head -n 30
	res $rc "checkpatch --strict clean ($(echo "$files" | wc -w) files, exit and per-file totals)"
fi

# The i40e series (patches/kernel): checkpatch --strict on each patch as
# netdev would run it (its new files are under drivers/net/ethernet/intel/,
# which MAINTAINERS covers, and the last patch adds the header's line, so
# the "does MAINTAINERS need updating" note is not asked for), the
# header this module builds against is the one the series adds, and the
# patched i40e builds with W=1 and sparse clean against Debian's headers.
series=$TOP/patches/kernel/series
patches=$(grep -v '^#' "$series" 2>/dev/null | sed "s|^|$TOP/patches/kernel/|")
if [ -n "$patches" ]; then
	perl "$cp" --no-tree --strict --show-types --ignore FILE_PATH_CHANGES \
		$patches > "$work/checkpatch-series.log" 2>&1
	rc=$?
	n=$(grep -cE '^total: 0 errors, 0 warnings, 0 checks' "$work/checkpatch-series.log")
	[ $rc = 0 ] && [ "$n" = "$(echo "$patches" | wc -w)" ]
	rc=$?
	[ $rc = 0 ] || grep -E '^(ERROR|WARNING|CHECK)|died' "$work/checkpatch-series.log" | head -n 30
	res $rc "checkpatch --strict clean on the i40e series ($(echo "$patches" | wc -w) patches)"

	ksrc=$("$TOP/scripts/build-kernel.sh" --unpack-only 2>/dev/null)
	hdr=include/linux/net/intel/i40e_vf_mig.h
	cmp -s "$ksrc/$hdr" "$TOP/$hdr"
	res $? "$hdr: the project's copy is the series' own"

	mkdir -p "$work/i40e/include/linux/net/intel"
	rsync -a "$ksrc/drivers/net/ethernet/intel/i40e/" "$work/i40e/"
	cp "$ksrc/$hdr" "$work/i40e/$hdr"
	echo 'ccflags-y += -I$(src)/include' >> "$work/i40e/Makefile"
	make -C "/usr/src/linux-headers-$DEB_KVER" M="$work/i40e" CONFIG_I40E=m \
		W=1 C=1 -j"$JOBS" modules > "$work/i40e.log" 2>&1
	rc=$?
	grep -q 'CHECK .*i40e_vf_mig\.c' "$work/i40e.log" || { echo "sparse did not run on i40e"; rc=1; }
	grep -E 'warning:|error:' "$work/i40e.log" | head -n 20
	[ $rc = 0 ] && ! grep -qE 'warning:|error:' "$work/i40e.log"
	res $? "patched i40e: W=1 and sparse (C=1) clean against stock $DEB_KVER headers"
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

if ! command -v sparse > /dev/null; then
	res 1 "sparse (C=1): sparse is not installed"
else
	build sparse "/usr/src/linux-headers-$DEB_KVER" C=1
	rc=$?
	# Kbuild prints a CHECK line for every object the checker ran on.
	grep -q 'CHECK .*main\.c' "$work/sparse.log" || { echo "sparse did not run"; rc=1; }
	grep -E 'warning:|error:' "$work/sparse.log" | head -n 20
	[ $rc = 0 ] && ! grep -qE 'warning:|error:' "$work/sparse.log"
	res $? "sparse (C=1) clean"
fi

k61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | tail -n 1)
if [ -z "$k61" ]; then
	res 1 "Debian 6.1 headers missing (linux-headers-amd64, scripts/setup-host.sh)"
else
	build k61 "$k61"
	rc=$?
	if [ $rc = 0 ]; then
		res 0 "builds against $(basename "$k61")"
	else
		grep -q 'i40e_vf_mdev: Linux .* is not supported: it needs Linux' "$work/k61.log"
		res $? "$(basename "$k61"): stops with the supported-range message"
	fi
fi
# Documentation/files.rst names every file of the driver, and nothing else
doc=$TOP/Documentation/files.rst
listed=$(grep -oE '``[A-Za-z0-9_.]+``' "$doc" | tr -d '`' | grep -E '\.(c|h)$|^(Kconfig|Makefile)$' | sort -u)
present=$(cd "$drv" && git ls-files --cached --others --exclude-standard . 2>/dev/null | sort -u)
[ -n "$present" ] || present=$(cd "$drv" && ls | sort -u)
d=$(diff <(echo "$listed") <(echo "$present"))
[ -z "$d" ] || echo "$d" | sed 's/^/#   (< listed only, > present only) /'
res $([ -z "$d" ] && [ -n "$listed" ]; echo $?) "Documentation/files.rst lists exactly the driver's files"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
