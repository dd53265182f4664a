#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the pure-logic KUnit suites in a User Mode Linux kernel with the
# kernel's own runner (tools/testing/kunit/kunit.py): the same test files
# as "make check", but in the kernel, no VM needed.
#
# Usage: tests/unit/kunit-uml.sh [KSRC] [OUT]
#   KSRC  a Linux source tree (default: the project's linux-source-6.12);
#         it is not modified: a tree of symlinks to it in OUT is used
#   OUT   work directory (default: tests/unit/build/kunit)
#
# The first run builds a UML kernel (about 11 minutes on 2 cores); later
# runs only rebuild the changed files.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src=$root/drivers/vfio/mdev/i40e_vf_mdev
ksrc=${1:-/root/.cache/i40e_vf_mdev/linux-source-6.12}
out=${2:-$here/build/kunit}
tree=$out/src
dir=$tree/lib/i40e_vf_mdev_kunit

[ -f "$ksrc/tools/testing/kunit/kunit.py" ] || {
	echo "kunit-uml: no kernel source at $ksrc" >&2
	exit 1
}
mkdir -p "$out"
[ -d "$tree" ] || cp -as "$ksrc" "$tree"

# Private copies of the files changed, so KSRC stays untouched; also of
# the top Makefile and kunit.py, which find the tree from their real path.
for f in Makefile lib/Makefile lib/Kconfig.debug; do
	cp --remove-destination "$ksrc/$f" "$tree/$f"
done
rm -rf "$tree/tools/testing/kunit"
cp -r "$ksrc/tools/testing/kunit" "$tree/tools/testing/kunit"
echo 'obj-$(CONFIG_I40E_VF_MDEV_KUNIT) += i40e_vf_mdev_kunit/' \
	>> "$tree/lib/Makefile"
cat >> "$tree/lib/Kconfig.debug" <<'EOF'

config I40E_VF_MDEV_KUNIT
	bool "i40e_vf_mdev pure-logic KUnit tests"
	depends on KUNIT
EOF

mkdir -p "$dir"
for f in "$src"/stream.[ch] "$src"/mig_fsm.[ch] "$src"/mig_v1_proto.[ch] \
	 "$src"/*_test.c "$src"/i40e_vf_mdev_compat.h; do
	ln -sf "$f" "$dir/"
done
rm -f "$tree/include/uapi/linux/i40e_vf_mdev.h"
ln -s "$root/include/uapi/linux/i40e_vf_mdev.h" "$tree/include/uapi/linux/"
echo 'obj-y += stream.o mig_fsm.o mig_v1_proto.o stream_test.o mig_fsm_test.o mig_v1_proto_test.o' \
	> "$dir/Makefile"
printf 'CONFIG_KUNIT=y\nCONFIG_I40E_VF_MDEV_KUNIT=y\n' > "$out/kunitconfig"

cd "$tree"
exec python3 tools/testing/kunit/kunit.py run --kunitconfig="$out/kunitconfig" \
	--build_dir="$out/build" --jobs="$(nproc)"
