#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make a busybox initramfs.
#
#   build-initrd.sh OUT.cpio.gz INIT MODDIR MODULE... [-- FILE=DEST...]
#   build-initrd.sh --base BASE.cpio.gz MODDIR MODULE...
#
# INIT becomes /init.  MODDIR is a kernel's /lib/modules/<release>; each
# MODULE is loaded by /init (with its dependencies, in order) from
# /modules/order; compressed modules are decompressed here so busybox's
# insmod can load them.  A module that is built in (listed in
# modules.builtin) is skipped.  FILE=DEST pairs copy extra files in.
# Used for L1 (9p/overlay modules) and for L2 (driver modules + a test).
#
# --base makes the part every L2 initramfs of a kernel shares (busybox,
# its applet links, the modules), with BASE.manifest beside it (MODDIR and
# the modules).  With $INITRD_BASE naming such a base for the same MODDIR
# and all the modules needed, the first form only adds an archive with
# /init, /modules/order and the files to a copy of it (the kernel unpacks
# concatenated archives in turn): tests/vm/run-l1.sh makes the base on
# the host, where it takes a second, for the L2 initramfs the cases make
# in L1, where a whole one took 20 s under TCG (and more on the debug
# kernel).

set -euo pipefail
base_only=0
if [ "${1:-}" = --base ]; then
	base_only=1
	out=$2 init='' moddir=$3
	shift 3
else
	out=$1 init=$2 moddir=$3
	shift 3
fi
mods=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do mods+=("$1"); shift; done
[ "${1:-}" = -- ] && shift

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
rel=${moddir##*/}
modroot=${moddir%/lib/modules/*}
[ -n "$modroot" ] || modroot=/

# order_modules - the modules to load, with their dependencies, in order
# (one "NAME PATH" line each), built-in ones left out
order_modules() {
	local m cmd path _ name seen=' '
	for m in "${mods[@]}"; do
		grep -q "/$m.ko" "$moddir/modules.builtin" 2>/dev/null && continue
		while read -r cmd path _; do
			[ "$cmd" = insmod ] || continue
			name=${path##*/}
			name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
			[[ $seen == *" $name "* ]] && continue
			seen+="$name "
			echo "$name $path"
		done < <(modprobe -d "$modroot" -S "$rel" --show-depends "$m" 2>/dev/null)
	done
}

# archive DIR OUT - DIR as a gzip'd newc cpio archive
archive() { (cd "$1" && find . | cpio -o -H newc --quiet | gzip -1) > "$2"; }

# add_own FILE=DEST... - /init and the extra files into $dir
add_own() {
	local pair src dst
	cp "$init" "$dir/init"
	chmod +x "$dir/init"
	for pair in "$@"; do
		src=${pair%%=*} dst=${pair#*=}
		mkdir -p "$dir/$(dirname "$dst")"
		cp -L "$src" "$dir/$dst"
	done
}

# The fast way: a base made for this MODDIR with every module needed
if [ "$base_only" = 0 ] && [ -n "${INITRD_BASE:-}" ] && [ -f "$INITRD_BASE.manifest" ]; then
	# (builtins only: this runs in L1, where each process costs)
	have=$'\n'$(< "$INITRD_BASE.manifest")$'\n'
	order=''
	fast=1
	[[ $have == $'\n'"moddir $moddir"$'\n'* ]] || fast=0
	while read -r name _; do
		[ -n "$name" ] || continue
		[[ $have == *$'\n'"module $name"$'\n'* ]] || fast=0
		order+="$name"$'\n'
	done <<< "$(order_modules)"
	if [ "$fast" = 1 ]; then
		mkdir -p "$dir/modules"
		printf '%s' "$order" > "$dir/modules/order"
		add_own "$@"
		archive "$dir" "$out.$$.top"
		cat "$INITRD_BASE" "$out.$$.top" > "$out.$$.tmp"
		rm -f "$out.$$.top"
		mv "$out.$$.tmp" "$out"
		exit 0
	fi
fi

mkdir -p "$dir"/{bin,sbin,dev,proc,sys,tmp,modules,mnt,newroot,etc}
cp /bin/busybox "$dir/bin/busybox"
# One process for the applets' links: a fork per link (about 270) costs
# minutes in an L1 under TCG with the debug kernel.
python3 - "$dir/bin" <<'PY'
import os
import subprocess
import sys

bindir = sys.argv[1]
applets = subprocess.run([os.path.join(bindir, "busybox"), "--list"],
                         capture_output=True, text=True, check=True).stdout
for applet in applets.split():
    link = os.path.join(bindir, applet)
    if not os.path.lexists(link):
        os.symlink("busybox", link)
PY

: > "$dir/modules/order"
while read -r name path; do
	[ -n "$name" ] || continue
	case "$path" in
	*.xz) xz -dc "$path" > "$dir/modules/$name" ;;
	*.zst) zstd -qdc "$path" > "$dir/modules/$name" ;;
	*.gz) gzip -dc "$path" > "$dir/modules/$name" ;;
	*) cp "$path" "$dir/modules/$name" ;;
	esac
	echo "$name" >> "$dir/modules/order"
done <<< "$(order_modules)"

if [ "$base_only" = 1 ]; then
	rm "$dir/modules/order"
	{
		echo "moddir $moddir"
		sed 's/^/module /' <<< "$(ls "$dir/modules")"
	} > "$out.manifest.$$.tmp"
	archive "$dir" "$out.$$.tmp"
	mv "$out.$$.tmp" "$out"
	mv "$out.manifest.$$.tmp" "$out.manifest"
	exit 0
fi

add_own "$@"
archive "$dir" "$out.$$.tmp"
mv "$out.$$.tmp" "$out"
