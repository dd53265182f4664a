#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the project's QEMU 10 for L1: the source of the qemu package in
# Debian's bookworm-backports (the version the modern stack runs, scripts/
# build-modern-stack.sh) with the patch series in patches/qemu10, the
# consumer of the sparse mmap re-evaluation IRQ (Documentation/reeval.rst).
# It runs in L1 as L2's VMM next to the stack's own QEMU 10, with the
# stack's firmware (-L, tests/vm/lib.sh vmm_firmware).
#
# Prints the path of the qemu-system-x86_64 binary on stdout.
#
# Only the upstream tarball of the source package is used (Debian's
# packaging is not needed to build one binary, and the archive may not
# serve it: apt-get source's failure is then tolerated); it is checked
# against the SHA256 that apt's signed index gives.  QEMU 10 needs Meson
# >= 1.5 (Debian 12 has 1.0), so Meson and pycotap come from backports
# too, unpacked into the cache, not installed.  The binary is keyed by
# all of it: the tarball's hash, the tools' versions, the patch series
# and the configure arguments.

. "$(dirname "$0")/lib.sh"

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || die "no VERSION_CODENAME in /etc/os-release"
suite=$codename-backports
TOOLS=(meson python3-pycotap)
# (With all of QEMU's default devices: a VM migrates between this QEMU and
# Debian's build of the same version only if both machines have the same
# devices, and q35 alone adds an HPET, vmport and vmmouse.  Line tables
# only, as in build-qemu.sh.)
CONFIGURE_ARGS=(--python=/usr/bin/python3 --target-list=x86_64-softmmu
	--enable-kvm --enable-tcg --enable-slirp --enable-attr --enable-cap-ng
	--disable-docs --disable-werror --disable-download
	--disable-install-blobs --disable-gtk --disable-sdl --disable-opengl
	--disable-spice --disable-vnc --disable-xen --disable-user
	--disable-tools --disable-guest-agent --disable-libusb
	--disable-usb-redir --disable-smartcard --disable-virglrenderer
	--disable-curses --disable-alsa --disable-pa --disable-jack
	--disable-oss --disable-pipewire --disable-dbus-display
	--disable-fuse --disable-capstone --disable-rdma --disable-gnutls
	--disable-nettle --disable-gcrypt --disable-libssh
	--disable-glusterfs --disable-rbd --disable-libiscsi
	--disable-libnfs --disable-bpf --disable-vde --disable-netmap
	--disable-debug-info --extra-cflags=-g1)

# The upstream tarball's line of apt-get source --print-uris:
# 'URI' NAME SIZE SHA256:HASH
orig=$(apt-get source --print-uris -q -t "$suite" qemu 2>/dev/null |
	grep -E "^'[^']*' qemu_[^ ]*\.orig\.tar\.[a-z]+ " | head -n 1) ||
	die "apt knows no qemu source in $suite (run scripts/setup-host.sh)"
orig_name=$(echo "$orig" | cut -d' ' -f2)
orig_sha=$(echo "$orig" | sed -n 's/.* SHA256:\([0-9a-f]\{64\}\).*/\1/p')
[ -n "$orig_sha" ] || die "no SHA256 for $orig_name in apt's index"
# (the .deb names, which carry the versions)
tools=$(apt-get download --print-uris -q -t "$suite" "${TOOLS[@]}" 2>/dev/null |
	grep "^'" | cut -d' ' -f2 | LC_ALL=C sort) || true
[ "$(echo "$tools" | grep -c .)" = "${#TOOLS[@]}" ] ||
	die "apt cannot resolve ${TOOLS[*]} from $suite: ${tools:-nothing}"

key=$(hash_inputs "$TOP/patches/qemu10" \
	<(echo "$orig_sha $tools ${CONFIGURE_ARGS[*]}"))
dl=$CACHE/qemu10/download
tooltree=$CACHE/qemu10/tools-$(echo "$tools" | sha256sum | cut -c1-16)
src=$CACHE/qemu10/src-$key
build=$CACHE/qemu10/build-$key
bin=$CACHE/qemu10/bin-$key/qemu-system-x86_64

fetch() {
	local got
	mkdir -p "$dl"
	if [ ! -f "$dl/$orig_name" ] ||
		[ "$(sha256sum < "$dl/$orig_name" | cut -d' ' -f1)" != "$orig_sha" ]; then
		log "fetching $orig_name from $suite"
		rm -rf "$dl/tmp"
		mkdir -p "$dl/tmp"
		# (exits non-zero if the archive lacks the packaging files)
		(cd "$dl/tmp" && apt-get source -q --download-only -t "$suite" qemu \
			> "$dl/apt-get.log" 2>&1) || true
		[ -f "$dl/tmp/$orig_name" ] ||
			{ tail -n 5 "$dl/apt-get.log" >&2; die "apt-get source did not fetch $orig_name"; }
		got=$(sha256sum < "$dl/tmp/$orig_name" | cut -d' ' -f1)
		[ "$got" = "$orig_sha" ] || die "$orig_name: SHA256 $got, apt's index says $orig_sha"
		mv "$dl/tmp/$orig_name" "$dl/$orig_name"
		rm -rf "$dl/tmp"
	fi
	if [ ! -f "$tooltree/.done" ]; then
		log "unpacking $(echo "$tools" | tr '\n' ' ')into $tooltree"
		rm -rf "$tooltree" "$dl/debs"
		mkdir -p "$dl/debs" "$tooltree"
		(cd "$dl/debs" && apt-get download -q -t "$suite" "${TOOLS[@]}" \
			> "$dl/apt-get.log" 2>&1) ||
			{ tail -n 5 "$dl/apt-get.log" >&2; die "apt-get download ${TOOLS[*]} failed"; }
		local d
		for d in "$dl"/debs/*.deb; do
			dpkg -x "$d" "$tooltree"
		done
		rm -rf "$dl/debs"
		touch "$tooltree/.done"
	fi
}

prepare_source() {
	[ -f "$src/.done" ] && return
	log "preparing patched QEMU 10 source in $src"
	rm -rf "$src"
	mkdir -p "$src"
	tar -C "$src" --strip-components=1 -xf "$dl/$orig_name"
	apply_series qemu10 "$src"
	touch "$src/.done"
}

main() {
	[ -x "$bin" ] && { echo "$bin"; return; }
	fetch
	prepare_source
	export PYTHONPATH=$tooltree/usr/lib/python3/dist-packages
	build_qemu "$src" "$build" "$bin" "${CONFIGURE_ARGS[@]}"
}

mkdir -p "$CACHE/locks"
exec 9>"$CACHE/locks/qemu10-$key"
flock 9
main
