#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build QEMU for x86_64 from Debian 12's qemu source package, with the
# project's additions: the XL710 model (tests/model, linked in as
# hw/net/xl710) and the patch series in patches/qemu.
#
# Prints the path of the qemu-system-x86_64 binary on stdout.
# The source and build directories are keyed by all their inputs: the
# source version, the patch series, the configure arguments and the model
# (copied into the source, so two clones sharing the cache never build
# each other's model).

. "$(dirname "$0")/lib.sh"

src_pristine=$CACHE/src/qemu-${DEB_QEMU_VER#*:}
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
	--disable-libnfs --disable-bpf --disable-vde --disable-netmap)
key=$(hash_inputs "$TOP/patches/qemu" "$TOP/tests/model" <(echo "$DEB_QEMU_VER ${CONFIGURE_ARGS[*]}"))
src=$CACHE/qemu/src-$key
build=${QEMU_BUILD_DIR:-$CACHE/qemu/build-$key}

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
	local p
	if [ -f "$TOP/patches/qemu/series" ]; then
		while read -r p; do
			case "$p" in ''|'#'*) continue ;; esac
			log "applying patches/qemu/$p"
			patch -d "$src" -p1 --quiet < "$TOP/patches/qemu/$p"
		done < "$TOP/patches/qemu/series"
	fi
	cp -a "$TOP/tests/model" "$src/hw/net/xl710"
	echo "subdir('xl710')" >> "$src/hw/net/meson.build"
	touch "$src/.done"
}

configure() {
	[ -f "$build/build.ninja" ] && return
	log "configuring QEMU in $build"
	rm -rf "$build"
	mkdir -p "$build"
	(cd "$build" && "$src/configure" "${CONFIGURE_ARGS[@]}" \
		> "$build/configure.log" 2>&1) ||
		{ tail -30 "$build/configure.log" >&2; die "QEMU configure failed"; }
}

main() {
	fetch_source
	prepare_source
	configure
	log "building QEMU (ninja -j$JOBS) in $build"
	ninja -C "$build" -j"$JOBS" qemu-system-x86_64 > "$build/ninja.log" 2>&1 ||
		{ grep -E 'error|Error' -A3 "$build/ninja.log" | head -40 >&2
		  die "QEMU build failed (full log: $build/ninja.log)"; }
	echo "$build/qemu-system-x86_64"
}

mkdir -p "$CACHE/locks"
exec 9>"$CACHE/locks/qemu-$key"
flock 9
main
