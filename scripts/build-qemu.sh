#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build QEMU for x86_64 from Debian 12's qemu source package, with the
# project's additions: the XL710 model (tests/model, linked in as
# hw/net/xl710) and the patch series in patches/qemu.
#
# Prints the path of the qemu-system-x86_64 binary on stdout.
# The binary is keyed by all its inputs: the source version, the patch
# series, the configure arguments and the model.  The source and build
# trees are keyed by everything but the model and shared under a lock: the
# clone's model is copied into the source (only changed files, so ninja
# rebuilds just those) and the result is copied out to the full key's
# directory, so two clones sharing the cache never test each other's
# model and a model change costs an incremental build.

. "$(dirname "$0")/lib.sh"

src_pristine=$CACHE/src/qemu-${DEB_QEMU_VER#*:}
# All of QEMU's default devices, though L1's machine uses few: this QEMU
# also runs L2 in L1 ($I40EVFM_QEMU), migrating to and from Debian's 7.2,
# whose q35 machine has an HPET, vmport and vmmouse; and without the HPET
# L1's TSC is marked unstable (tests/vm/cases/l1-boot.sh).
# Line tables only (-g1, not meson's -g): a crash's backtrace keeps its
# functions, files and lines (tests/vm/run-l1.sh), and the build from an
# empty cache, which the first VM test waits for, compiles about 10% less.
CONFIGURE_ARGS=(--target-list=x86_64-softmmu
	--enable-kvm --enable-tcg --enable-virtfs --enable-slirp
	--enable-attr --enable-cap-ng --disable-docs --disable-werror
	--disable-gtk --disable-sdl --disable-opengl --disable-spice
	--disable-vnc --disable-xen --disable-user --disable-tools
	--disable-guest-agent --disable-libusb --disable-usb-redir
	--disable-smartcard --disable-virglrenderer --disable-curses
	--disable-alsa --disable-pa --disable-jack --disable-oss
	--disable-capstone --disable-rdma --disable-gnutls
	--disable-nettle --disable-gcrypt --disable-libssh
	--disable-glusterfs --disable-rbd --disable-libiscsi
	--disable-libnfs --disable-bpf --disable-vde --disable-netmap
	--disable-debug-info --extra-cflags=-g1)
key=$(hash_inputs "$TOP/patches/qemu" <(echo "$DEB_QEMU_VER ${CONFIGURE_ARGS[*]}"))
bin=$CACHE/qemu/bin-$(hash_inputs "$TOP/tests/model" <(echo "$key"))/qemu-system-x86_64
src=$CACHE/qemu/src-$key
build=$CACHE/qemu/build-$key

fetch_source() {
	[ -f "$src_pristine/.done" ] && return
	log "fetching Debian QEMU source $DEB_QEMU_VER"
	rm -rf "$src_pristine" "$src_pristine.tmp"
	mkdir -p "$src_pristine.tmp"
	(cd "$src_pristine.tmp" && apt-get source -q "qemu=$DEB_QEMU_VER" >/dev/null)
	mv "$src_pristine.tmp"/qemu-*/ "$src_pristine"
	rm -rf "$src_pristine.tmp"
	touch "$src_pristine/.done"
}

prepare_source() {
	[ -f "$src/.done" ] && return
	log "preparing patched QEMU source in $src"
	rm -rf "$src"
	mkdir -p "$(dirname "$src")"
	cp -a "$src_pristine" "$src"
	rm -f "$src/.done"
	apply_series qemu "$src"
	echo "subdir('xl710')" >> "$src/hw/net/meson.build"
	touch "$src/.done"
}

main() {
	[ -x "$bin" ] && { echo "$bin"; return; }
	fetch_source
	prepare_source
	# This clone's model: files that differ get a new time (not the
	# clone's, which may be older than the objects), the rest stay.
	rsync -rl --checksum --delete "$TOP/tests/model/" "$src/hw/net/xl710/"
	build_qemu "$src" "$build" "$bin" "${CONFIGURE_ARGS[@]}"
}

mkdir -p "$CACHE/locks"
exec 9>"$CACHE/locks/qemu-$key"
flock 9
main
