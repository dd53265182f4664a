#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the project's out-of-tree modules for one test kernel, the way DKMS
# would: against the headers of that kernel (Debian's linux-headers package
# for the stock kernel, the O= build tree for the project kernels).
#
#   build-modules.sh stock|project|debug
#
# Sources are copied out of the clone first, so the clone stays clean.
# Prints the directory holding the .ko files.  Built:
#   - i40e_vf_mdev.ko (+ its KUnit test module, when the sources have one)
#   - mtty.ko, the kernel's mdev sample, for kernels that do not ship it
#   - i40e.ko with the patch series of patches/kernel (the PF services),
#     for Debian's kernel: built from Debian's source with the series
#     applied, against Debian's headers, as DKMS would; the project
#     kernels have the series in their tree

. "$(dirname "$0")/lib.sh"

kernel=${1:-stock}
case "$kernel" in
stock)
	kdir=/usr/src/linux-headers-$DEB_KVER
	krel=$DEB_KVER
	;;
project|debug)
	kout=$("$TOP/scripts/build-kernel.sh" "$kernel")
	kdir=$kout/build
	krel=$(cat "$kout/release")
	;;
*) die "usage: $0 stock|project|debug" ;;
esac
[ -d "$kdir" ] || die "$kdir missing"

# Keyed by the sources too: clones and work trees sharing the cache must
# not load each other's builds.
out=$CACHE/modules/$kernel-$krel/$(hash_inputs "$TOP/drivers/vfio/mdev/i40e_vf_mdev" \
	"$TOP/include" "$TOP/patches/kernel" "$kdir/Module.symvers")
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
# Every VM case asks; a complete build is reused as it is (copying the
# sources in again would make kbuild rebuild i40e each time).
[ -f "$out/.done" ] && { echo "$out"; exit 0; }

kbuild() { # DIR [ARGS]
	local d=$1
	shift
	make -C "$kdir" M="$d" "$@" modules > "$d/build.log" 2>&1 ||
		{ tail -n 30 "$d/build.log" >&2; die "module build failed in $d"; }
}

# mtty: built into the project kernels (CONFIG_SAMPLE_VFIO_MDEV_MTTY=m);
# Debian's stock kernel does not ship the samples, so build it here.
if [ "$kernel" = stock ]; then
	# The source tree comes from build-kernel.sh; a stock-only run (no
	# kernel built before it) unpacks it here.
	[ -f "$LINUX_SRC/samples/vfio-mdev/mtty.c" ] ||
		"$TOP/scripts/build-kernel.sh" --unpack-only > /dev/null
	mkdir -p "$out/mtty"
	cp "$LINUX_SRC/samples/vfio-mdev/mtty.c" "$out/mtty/"
	echo 'obj-m := mtty.o' > "$out/mtty/Makefile"
	kbuild "$out/mtty"
	cp "$out/mtty/mtty.ko" "$out/"
fi
# i40e with the PF services, for Debian's kernel.
if [ "$kernel" = stock ] && grep -qv '^#' "$TOP/patches/kernel/series" 2>/dev/null; then
	ksrc=$("$TOP/scripts/build-kernel.sh" --unpack-only)
	isrc=$out/i40e/src
	mkdir -p "$isrc"
	rsync -a --delete "$ksrc/drivers/net/ethernet/intel/i40e/" "$isrc/"
	# the series' new header, which Debian's headers do not have
	mkdir -p "$isrc/include/linux/net/intel"
	cp "$ksrc/include/linux/net/intel/i40e_vf_mig.h" "$isrc/include/linux/net/intel/"
	echo 'ccflags-y += -I$(src)/include' >> "$isrc/Makefile"
	kbuild "$isrc" CONFIG_I40E=m
	cp "$isrc/i40e.ko" "$out/"
fi
# The driver.
drv=$TOP/drivers/vfio/mdev/i40e_vf_mdev
if [ -f "$drv/Makefile" ]; then
	mkdir -p "$out/i40e_vf_mdev"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude=build.log "$drv/" "$out/i40e_vf_mdev/src/"
	mkdir -p "$out/i40e_vf_mdev/src/include"
	rsync -a "$TOP/include/" "$out/i40e_vf_mdev/src/include/"
	kbuild "$out/i40e_vf_mdev/src" W=1
	cp "$out"/i40e_vf_mdev/src/*.ko "$out/"
fi

touch "$out/.done"
echo "$out"
