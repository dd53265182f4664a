#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the build and the test stack need on a Debian 12 machine
# (run as root).  Idempotent and quick when everything is there already.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(
	# kernel and module builds, checks
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	rsync xz-utils zstd sparse dkms
	# Debian's kernels: stock 6.12 (what users run), its headers, the
	# matching source; 6.1 headers for the compile check
	"linux-source-6.12=$DEB_KPKG_VER"
	"linux-image-$DEB_KVER=$DEB_KPKG_VER" "linux-headers-$DEB_KVER=$DEB_KPKG_VER"
	linux-headers-amd64
	# QEMU from source
	dpkg-dev meson ninja-build pkg-config libglib2.0-dev libpixman-1-dev
	libcap-ng-dev libattr1-dev libslirp-dev zlib1g-dev libfdt-dev
	python3-venv python3-setuptools
	# the stack: firmware, the stock VMM, the consumers, guest userland
	qemu-system-x86 qemu-utils seabios ipxe-qemu mdevctl
	libvirt-daemon-system libvirt-clients busybox-static iproute2 ethtool
	pciutils socat jq iputils-ping udev
	# userspace unit tests and the fuzzer
	clang libclang-rt-14-dev
	# the host QEMU's backtrace when it dies of a signal (tests/vm/run-l1.sh)
	gdb
)

if [ "$(id -u)" != 0 ]; then
	die "run as root (installs Debian packages)"
fi

# deb-src (apt-get source) and the backports suite (the modern consumer
# stack) derived from the machine's own entries: same archive, same
# Signed-By, same format.  Rewrites what an earlier version wrote.
if [ "$("$TOP/scripts/apt-sources.py")" = written ]; then
	log "apt entries for deb-src and backports (re)written"
	rm -f "$CACHE/.apt-updated"
fi
missing=()
for p in "${PKGS[@]}"; do
	name=${p%%=*} ver=${p#*=}
	have=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null || true)
	case "$have" in
	"install ok installed"*)
		[ "$name" = "$p" ] || [ "${have##* }" = "$ver" ] || missing+=("$p") ;;
	*) missing+=("$p") ;;
	esac
done
if [ ${#missing[@]} -gt 0 ] || ! apt-cache showsrc qemu >/dev/null 2>&1 ||
   [ ! -e "$CACHE/.apt-updated" ]; then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || die "apt-get update failed"
	touch "$CACHE/.apt-updated"
	[ ${#missing[@]} = 0 ] || apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install failed"
fi
# The kernel packages' postinst may start nothing here; libvirt is started
# inside L1 by the tests that need it.
log "host set-up complete"
