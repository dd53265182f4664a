#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The modern consumer stack: QEMU 10.0 and libvirt 11.3 from Debian's
# backports suite (CODENAME-backports, set up by scripts/setup-host.sh),
# unpacked from the Debian packages into a tree that L1 puts as an extra
# overlayfs lower layer over the host's root (tests/vm/l1-init, a case's
# "# stack: modern" header).  Nothing is installed on the host: the host
# (and every other L1) keeps Debian 12's QEMU 7.2 and libvirt 9.0.
#
# Prints the directory; its root/ is the tree, its packages lists the
# package=version set that went into it.
#
# The package set is what apt would change on this machine to install
# the stack from backports (an offline simulation against the installed
# packages): the new versions of the installed QEMU and libvirt packages,
# their new dependencies, and dependencies from the main suite that the
# host lacks.  The tree is keyed by that list and this script, so a new
# backports upload or a change of the host's packages gives a new tree.

. "$(dirname "$0")/lib.sh"

# What L1 needs from the stack: QEMU 10 (the x86 system emulator, its data
# files and SeaBIOS 1.16.3, which QEMU 10's bios-256k.bin needs), libvirt
# 11.3's QEMU driver, virsh; virtlogd and libvirtd come with them.
PKGS=(qemu-system-x86 qemu-system-data qemu-utils seabios
	libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu)

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
suite=$codename-backports

# plan - apt's simulation of installing the stack from backports, one
# "Inst NAME [INSTALLED] (NEW ...)" line per package it would unpack, sorted.
# No recommends, as scripts/setup-host.sh installs.
plan() {
	local out
	out=$(apt-get install -s -q -t "$suite" --no-install-recommends "${PKGS[@]}" 2>&1) ||
		{ echo "$out" | tail -n 20 >&2
		  die "apt cannot resolve the stack from $suite (run scripts/setup-host.sh)"; }
	echo "$out" | grep '^Inst ' | LC_ALL=C sort
}

inst=$(plan)
# NAME=VERSION of each package to unpack
pkgs=$(echo "$inst" | sed -n 's/^Inst \([^ ]*\) \(\[[^]]*\] \)\?(\([^ ]*\) .*/\1=\3/p')
[ -n "$pkgs" ] || die "apt resolved no packages for the stack (installed already?)"
echo "$pkgs" | grep -q "^qemu-system-x86=.*bpo" ||
	die "qemu-system-x86 does not come from $suite: $(echo "$pkgs" | grep '^qemu-system-x86=')"

# usr_merge ROOT - a package's /lib, /bin, ... moved under ROOT/usr where
# the host has merged /usr: in the overlay a directory /lib in the upper
# layer would hide the host's /lib -> usr/lib symlink and with it libc.
usr_merge() {
	local d
	for d in bin sbin lib lib32 lib64 libx32; do
		if [ -L "/$d" ] && [ -d "$1/$d" ] && [ ! -L "$1/$d" ]; then
			mkdir -p "$1/usr/$d"
			cp -a "$1/$d/." "$1/usr/$d/"
			rm -rf "${1:?}/$d"
		fi
	done
}

# whiteouts ROOT - what dpkg would delete when upgrading: a file of the
# installed version of a package that the new version no longer ships is
# hidden by an overlayfs whiteout (a 0:0 character device) in ROOT.  Old
# plugins would otherwise stay visible next to the new binaries, e.g.
# libvirt 9.0's libvirt_driver_interface.so, which libvirtd 11.3 would
# try to load and fail on (it needs 9.0's private libvirt symbols).
# Obsolete conffiles stay, as dpkg keeps them.
whiteouts() {
	local root=$1 name p dir
	for name in $(echo "$inst" | sed -n 's/^Inst \([^ ]*\) \[.*/\1/p'); do
		dpkg-query -L "$name" 2>/dev/null | while read -r p; do
			case "$p" in /etc/*|/.|'') continue ;; esac
			# Directories stay, and so do symlinks to them (/lib
			# itself is in some lists).
			[ -d "$p" ] && continue
			# The path as the merged root shows it (/lib -> /usr/lib).
			dir=$(readlink -f "$(dirname "$p")")
			p=$dir/$(basename "$p")
			[ -e "$root$p" ] || [ -L "$root$p" ] && continue
			mkdir -p "$root$dir"
			mknod "$root$p" c 0 0
		done
	done
	log "modern stack: $(find "$root" -type c | wc -l) whiteouts for files the new versions dropped"
}

# The Inst lines name the installed versions too: the whiteouts below
# depend on them.
key=$(hash_inputs "$0" <(echo "$inst"))
out=$CACHE/modern-stack/$key
mkdir -p "$CACHE/locks" "$CACHE/modern-stack"
exec 9>"$CACHE/locks/modern-stack-$key"
flock 9

if [ ! -f "$out/.done" ]; then
	log "modern stack: unpacking $(echo "$pkgs" | wc -l) packages from $suite into $out"
	rm -rf "$out"
	mkdir -p "$out/debs" "$out/root"
	# apt-get download runs as root here: the _apt sandbox user cannot
	# write the cache directory, which is fine (the warning is noise).
	# shellcheck disable=SC2086
	(cd "$out/debs" && apt-get download -q $pkgs > "$out/download.log" 2>&1) ||
		{ tail -n 20 "$out/download.log" >&2; die "downloading the stack failed"; }
	for d in "$out"/debs/*.deb; do
		dpkg -x "$d" "$out/root" || die "dpkg -x $d failed"
	done
	usr_merge "$out/root"
	whiteouts "$out/root"
	# Only the unpacked tree is used (the list says what is in it).
	rm -rf "$out/debs"
	echo "$pkgs" > "$out/packages"
	touch "$out/.done"
fi
echo "$out"
