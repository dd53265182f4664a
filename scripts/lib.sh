# SPDX-License-Identifier: GPL-2.0
# Common settings for the build and test scripts.  Sourced, not executed.
#
# Everything that is built or downloaded lives under $CACHE, outside the
# clone, keyed by the hash of its inputs, so a second run (or a CI run on a
# machine that already built the same inputs) reuses it.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${I40E_VF_MDEV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/i40e_vf_mdev}
mkdir -p "$CACHE"

# Versions: Debian 12 (bookworm) packages.  The stock kernel must be the one
# matching linux-source-6.12, so both come from the same source version.
DEB_KVER=${DEB_KVER:-6.12.117+deb12-amd64}
DEB_KPKG_VER=${DEB_KPKG_VER:-6.12.117-1~deb12u1}
DEB_QEMU_VER=${DEB_QEMU_VER:-1:7.2+dfsg-7+deb12u18}
LINUX_SRC_TAR=/usr/src/linux-source-6.12.tar.xz
LINUX_SRC=$CACHE/linux-source-6.12

JOBS=${JOBS:-$(nproc)}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# hash_inputs FILE_OR_DIR... - short content hash of files (sorted, with names)
hash_inputs() {
	local p
	for p in "$@"; do
		if [ -d "$p" ]; then
			(cd "$p" && find . -type f ! -name '*~' -print0 | LC_ALL=C sort -z |
				xargs -0r sha256sum)
		elif [ -e "$p" ]; then
			# Content and base name only: the same inputs in another
			# clone must give the same key.
			echo "$(sha256sum < "$p" | cut -d' ' -f1) $(basename "$p")"
		fi
		# An absent input hashes like an empty directory: git does not
		# keep empty directories, so a clone must match its origin.
	done | sha256sum | cut -c1-16
}

# apply_series NAME SRC - apply the series of patches/NAME (one file per
# line; blank lines and # comments skipped) to the tree SRC, in order
apply_series() {
	local p
	[ -f "$TOP/patches/$1/series" ] || return 0
	while read -r p; do
		case "$p" in ''|'#'*) continue ;; esac
		log "applying patches/$1/$p"
		patch -d "$2" -p1 --quiet < "$TOP/patches/$1/$p" ||
			die "patches/$1/$p does not apply to $2"
	done < "$TOP/patches/$1/series"
}

# build_qemu SRC BUILD BIN CONFIGURE_ARGS... - configure SRC in BUILD
# (once: a configured BUILD is reused, and ninja rebuilds what changed),
# build qemu-system-x86_64 and install it as BIN (atomically: a BIN that
# exists is whole); prints BIN
build_qemu() {
	local src=$1 build=$2 bin=$3
	shift 3
	if [ ! -f "$build/build.ninja" ]; then
		log "configuring QEMU in $build"
		rm -rf "$build"
		mkdir -p "$build"
		(cd "$build" && "$src/configure" "$@" > "$build/configure.log" 2>&1) ||
			{ tail -30 "$build/configure.log" >&2; die "QEMU configure failed"; }
	fi
	log "building QEMU (ninja -j$JOBS) in $build"
	ninja -C "$build" -j"$JOBS" qemu-system-x86_64 > "$build/ninja.log" 2>&1 ||
		{ grep -E 'error|Error' -A3 "$build/ninja.log" | head -40 >&2
		  die "QEMU build failed (full log: $build/ninja.log)"; }
	mkdir -p "$(dirname "$bin")"
	cp "$build/qemu-system-x86_64" "$bin.tmp"
	mv "$bin.tmp" "$bin"
	echo "$bin"
}
