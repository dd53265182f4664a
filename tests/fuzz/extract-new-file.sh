#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Write the content of a file that a patch creates, so that userspace
# builds can use a kernel file from the series without a copy in git.
#
# Usage: extract-new-file.sh PATH OUT PATCHDIR
#   PATH      the file's path in the patches (e.g. drivers/net/.../foo.c)
#   OUT       where to write it (written whole, or not at all)
#   PATCHDIR  a patch series: PATCHDIR/series names its patches, one a
#             line, '#' comments (as scripts/build-kernel.sh reads it)
#
# Exactly one patch of the series must touch PATH, and it must create it:
# the content is every line starting with '+' after the "@@ -0,0 +1,N @@"
# header of its only hunk, up to the next "diff --git", without the '+'.
# Fails if the number of lines is not N (a truncated or hand-edited
# patch), and if another patch changes PATH (the file would then not be
# the one the series builds).
set -eu

[ $# = 3 ] || { echo "usage: $0 PATH OUT PATCHDIR" >&2; exit 2; }
path=$1 out=$2 dir=$3
me="extract-new-file: $path"

[ -f "$dir/series" ] || { echo "$me: no $dir/series" >&2; exit 1; }
touching=''
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	p=$dir/$p
	[ -f "$p" ] || { echo "$me: $p (in $dir/series) is missing" >&2; exit 1; }
	if grep -qxF -e "+++ b/$path" -e "--- a/$path" -e "diff --git a/$path b/$path" "$p"; then
		touching="$touching $p"
	fi
done < "$dir/series"
# shellcheck disable=SC2086
set -- $touching
case $# in
0) echo "$me: no patch in $dir/series creates it" >&2; exit 1 ;;
1) ;;
*) echo "$me: changed by more than one patch:$touching;" \
	"the content of the patch that creates it is not the series' result" >&2
   exit 1 ;;
esac
patch=$1

tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# Exit status: 0 ok, 3 ok but "\ No newline at end of file", 1 error
rc=0
LC_ALL=C awk -v path="$path" -v me="$me ($patch)" -v out="$tmp" '
function fail(msg) { print me ": " msg > "/dev/stderr"; bad = 1; exit 1 }
/^diff --git / {
	if (infile)
		done = 1
	infile = ($0 == "diff --git a/" path " b/" path) && !done
	if (infile)
		seen = 1
	inhunk = 0
	next
}
!infile { next }
!inhunk && /^--- / && $0 != "--- /dev/null" { fail("does not create the file") }
!inhunk && /^@@ / {
	if (hunks++)
		fail("more than one hunk")
	if (!match($0, /^@@ -0,0 \+1(,[0-9]+)? @@/))
		fail("not a new-file hunk: " $0)
	h = substr($0, 1, RLENGTH)
	n = index(h, "+1,") ? substr(h, index(h, "+1,") + 3) + 0 : 1
	inhunk = 1
	next
}
inhunk && /^\+/ {
	got++
	if (got > n)
		fail("more than the " n " lines the hunk header announces")
	print substr($0, 2) > out
	next
}
inhunk && /^\\ No newline at end of file/ && got == n { nonl = 1; next }
END {
	if (bad)
		exit 1
	if (!seen)
		fail("no \"diff --git a/" path " b/" path "\"")
	if (!hunks)
		fail("no hunk")
	if (got != n)
		fail("the hunk announces " n " lines, found " got)
	close(out)
	exit nonl ? 3 : 0
}' "$patch" || rc=$?
case $rc in
0) ;;
3) truncate -s -1 "$tmp" ;;
*) exit 1 ;;
esac
chmod 644 "$tmp"
mv -f "$tmp" "$out"
trap - EXIT
