#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make a busybox initramfs.
#
#   build-initrd.sh OUT.cpio.gz INIT MODDIR MODULE... [-- FILE=DEST...]
#
# INIT becomes /init.  MODDIR is a kernel's /lib/modules/<release>; each
# MODULE is loaded by /init (with its dependencies, in order) from
# /modules/order; compressed modules are decompressed here so busybox's
# insmod can load them.  A module that is built in (listed in
# modules.builtin) is skipped.  FILE=DEST pairs copy extra files in.
# Used for L1 (9p/overlay modules) and for L2 (driver modules + a test).

set -euo pipefail
out=$1 init=$2 moddir=$3
shift 3
mods=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do mods+=("$1"); shift; done
[ "${1:-}" = -- ] && shift

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir"/{bin,sbin,dev,proc,sys,tmp,modules,mnt,newroot,etc}
cp /bin/busybox "$dir/bin/busybox"
# One process for the applets' links: a fork per link (about 270) costs
# minutes in an L1 under TCG with the debug kernel.
python3 - "$dir/bin" <<'EOF'
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
EOF
cp "$init" "$dir/init"
chmod +x "$dir/init"

rel=$(basename "$moddir")
: > "$dir/modules/order"
for m in "${mods[@]}"; do
	grep -q "/$m.ko" "$moddir/modules.builtin" 2>/dev/null && continue
	modprobe -d "$(dirname "$(dirname "$(dirname "$moddir")")")" -S "$rel" \
		--show-depends "$m" 2>/dev/null | while read -r cmd path _; do
		[ "$cmd" = insmod ] || continue
		name=$(basename "$path")
		name=${name%.xz}; name=${name%.zst}; name=${name%.gz}
		grep -qx "$name" "$dir/modules/order" && continue
		case "$path" in
		*.xz) xz -dc "$path" > "$dir/modules/$name" ;;
		*.zst) zstd -qdc "$path" > "$dir/modules/$name" ;;
		*.gz) gzip -dc "$path" > "$dir/modules/$name" ;;
		*) cp "$path" "$dir/modules/$name" ;;
		esac
		echo "$name" >> "$dir/modules/order"
	done
done

for pair in "$@"; do
	src=${pair%%=*} dst=${pair#*=}
	mkdir -p "$dir/$(dirname "$dst")"
	cp -L "$src" "$dir/$dst"
done

(cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
