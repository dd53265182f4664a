#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the project's test kernel from Debian's linux-source-6.12.
#
#   build-kernel.sh project|debug
#   build-kernel.sh --unpack-only   (just the patched source tree)
#
# Config: x86_64_defconfig + kvm_guest.config + tests/kconfig/project.config
# (+ tests/kconfig/debug.config for the debug variant).  The patch series
# in patches/kernel is applied to a copy of the source first.  Output,
# keyed by the hash of all inputs, in $CACHE/kernel/<variant>-<key>/:
#   bzImage, build/ (the O= tree, usable for M= module builds),
#   modroot/lib/modules/<release>/, release (the kernel release string).
# Prints that directory on stdout.

. "$(dirname "$0")/lib.sh"

KBUILD_SCHEMA=1
variant=${1:-project}
case "$variant" in
--unpack-only) frags=() ;;
project) frags=("$TOP/tests/kconfig/project.config") ;;
debug) frags=("$TOP/tests/kconfig/project.config" "$TOP/tests/kconfig/debug.config") ;;
*) die "usage: $0 project|debug" ;;
esac

# One source tree for every variant, which may be built at once (the
# suite builds the debug kernel in the background): one unpacks at a time.
prepare_source() {
	mkdir -p "$CACHE/locks"
	exec 8>"$CACHE/locks/kernel-source"
	flock 8
	prepare_source_locked
	exec 8>&-
}

prepare_source_locked() {
	if [ ! -f "$LINUX_SRC/.done" ]; then
		[ -f "$LINUX_SRC_TAR" ] || die "$LINUX_SRC_TAR missing (apt-get install linux-source-6.12)"
		log "unpacking $LINUX_SRC_TAR"
		rm -rf "$LINUX_SRC"
		tar -C "$CACHE" -xf "$LINUX_SRC_TAR"
		touch "$LINUX_SRC/.done"
	fi
	pkey=$(hash_inputs "$TOP/patches/kernel")
	if ! grep -qv '^#' "$TOP/patches/kernel/series" 2>/dev/null; then
		src=$LINUX_SRC
		return
	fi
	src=$CACHE/kernel/src-$pkey
	[ -f "$src/.done" ] && return
	log "applying patches/kernel to a copy of the source"
	rm -rf "$src"
	mkdir -p "$CACHE/kernel"
	cp -a "$LINUX_SRC" "$src"
	apply_series kernel "$src"
	touch "$src/.done"
}

# KVM in L1 only runs L2; it is not code under test.  Instrumented by
# KASAN it made each L2 exit so slow that an L2 on the debug kernel took
# 10 minutes to bring iavf up (Documentation/testing.rst, "Time").  So the
# debug variant's kvm.ko, kvm-amd.ko and kvm-intel.ko are rebuilt from the
# same tree without KASAN (KASAN_SANITIZE=n for an M= build of a copy of
# arch/x86/kvm and virt/kvm) and replace the instrumented ones; lockdep and
# kmemleak, which are not per file, still cover them.  Done once per
# kernel build, marked by .kvm-nokasan-$KVM_NOKASAN_SCHEMA.
KVM_NOKASAN_SCHEMA=1
kvm_nokasan() { # OUT
	local out=$1 ksrc rel m
	[ "$variant" = debug ] || return 0
	[ -f "$out/.kvm-nokasan-$KVM_NOKASAN_SCHEMA" ] && return 0
	log "rebuilding the debug kernel's KVM modules without KASAN"
	ksrc=$out/kvm-nokasan
	rel=$(cat "$out/release")
	rm -rf "$ksrc"
	mkdir -p "$ksrc/arch/x86" "$ksrc/virt"
	cp -a "$src/arch/x86/kvm" "$ksrc/arch/x86/"
	cp -a "$src/virt/kvm" "$ksrc/virt/"
	make -C "$out/build" M="$ksrc/arch/x86/kvm" KASAN_SANITIZE=n \
		-j"$JOBS" modules > "$out/kvm-nokasan.log" 2>&1 ||
		die "KVM modules without KASAN failed ($out/kvm-nokasan.log)"
	for m in kvm kvm-amd kvm-intel; do
		if nm -u "$ksrc/arch/x86/kvm/$m.ko" | grep -q __asan; then
			die "$m.ko still calls KASAN ($out/kvm-nokasan.log)"
		fi
		install -m 644 "$ksrc/arch/x86/kvm/$m.ko" \
			"$out/modroot/lib/modules/$rel/kernel/arch/x86/kvm/$m.ko"
	done
	rm -rf "$ksrc"
	touch "$out/.kvm-nokasan-$KVM_NOKASAN_SCHEMA"
}

main() {
	prepare_source
	local key out
	# Bump KBUILD_SCHEMA when this script changes what it produces.
	key=$(hash_inputs "${frags[@]}" "$TOP/patches/kernel" \
		<(echo "schema=$KBUILD_SCHEMA $(sha256sum < "$LINUX_SRC_TAR")"))
	out=$CACHE/kernel/$variant-$key
	if [ -f "$out/.done" ]; then
		kvm_nokasan "$out"
		echo "$out"
		return
	fi
	log "building $variant kernel in $out (this takes a while the first time)"
	rm -rf "$out"
	mkdir -p "$out/build"
	{
		make -C "$src" O="$out/build" x86_64_defconfig
		"$src/scripts/kconfig/merge_config.sh" -m -O "$out/build" \
			"$out/build/.config" "$src/kernel/configs/kvm_guest.config" "${frags[@]}"
		make -C "$src" O="$out/build" olddefconfig
	} > "$out/config.log" 2>&1 || { tail -20 "$out/config.log" >&2; die "kernel config failed"; }
	# Every option the fragments ask for (the last fragment that names an
	# option wins, as in merge_config.sh) must have survived olddefconfig.
	local f line sym want have bad=0
	declare -A wanted=()
	for f in "${frags[@]}"; do
		while read -r line; do
			case "$line" in
			CONFIG_*=*) wanted[${line%%=*}]=${line#*=} ;;
			'# CONFIG_'*' is not set') sym=${line#\# }; wanted[${sym%% *}]=n ;;
			esac
		done < "$f"
	done
	for sym in "${!wanted[@]}"; do
		want=${wanted[$sym]}
		have=$(grep -E "^$sym=|^# $sym is not set" "$out/build/.config" | head -n 1 || true)
		case "$have" in
		"$sym=$want") ;;
		"# $sym is not set"|"") [ "$want" = n ] || { log "config: $sym=$want did not stick (${have:-absent})"; bad=1; } ;;
		*) log "config: $sym=$want did not stick ($have)"; bad=1 ;;
		esac
	done
	[ "$bad" = 0 ] || die "kernel config fragment not satisfied (see above)"
	make -C "$src" O="$out/build" -j"$JOBS" bzImage modules > "$out/build.log" 2>&1 ||
		{ grep -E 'error|Error' "$out/build.log" | head -20 >&2; die "kernel build failed ($out/build.log)"; }
	make -C "$src" O="$out/build" INSTALL_MOD_PATH="$out/modroot" \
		INSTALL_MOD_STRIP=1 DEPMOD=/sbin/depmod modules_install > "$out/install.log" 2>&1 ||
		die "modules_install failed ($out/install.log)"
	cp "$out/build/arch/x86/boot/bzImage" "$out/bzImage"
	make -s -C "$src" O="$out/build" kernelrelease > "$out/release"
	rm -f "$out/modroot/lib/modules/$(cat "$out/release")/build" \
		"$out/modroot/lib/modules/$(cat "$out/release")/source"
	touch "$out/.done"
	kvm_nokasan "$out"
	echo "$out"
}

mkdir -p "$CACHE/locks"
exec 9>"$CACHE/locks/kernel-$variant"
flock 9
if [ "$variant" = --unpack-only ]; then
	prepare_source
	echo "$src"
	exit 0
fi
main
