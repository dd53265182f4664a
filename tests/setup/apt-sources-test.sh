#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/apt-sources.py against sample apt configurations in a scratch
# directory: for each, apt must parse the result (apt-get update
# --print-uris, which reads every source and fetches nothing), the
# Debian sources and backports must be there with the machine's options,
# and a second run must change nothing.  The archive address is a
# reserved, unresolvable name: nothing here names a real one.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$TOP/scripts/apt-sources.py
A=http://archive.invalid/debian
S=http://security.invalid/debian-security
KEY=/usr/share/keyrings/debian-archive-keyring.gpg
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# apt_uris DIR - what apt would fetch with DIR as its configuration
apt_uris() {
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial"
	apt-get -o Dir::Etc::SourceList="$1/sources.list" \
		-o Dir::Etc::SourceParts="$1/sources.list.d" \
		-o Dir::State::Lists="$1/lists" -o Dir::Cache="$1/cache" \
		-o Debug::NoLocking=1 update --print-uris 2>&1
}

# run_case NAME SETUP_FN EXPECT_FILE_REGEX... - build a configuration with
# SETUP_FN, run the generator twice, check apt and the expected lines
run_case() {
	local name=$1 setup=$2 d=$scratch/$1 out first second re
	shift 2
	mkdir -p "$d/sources.list.d"
	: > "$d/sources.list"
	$setup "$d"
	first=$("$GEN" --etc "$d" --codename bookworm 2>&1)
	second=$("$GEN" --etc "$d" --codename bookworm 2>&1)
	out=$(apt_uris "$d")
	if [ $? != 0 ] || grep -q '^E:' <<< "$out"; then
		not_ok "$name: apt cannot read the result"
		grep '^E:' <<< "$out" | sed 's/^/    /'
		return
	fi
	ok "$name: apt reads the result ($first)"
	[ "$second" = unchanged ] && ok "$name: a second run changes nothing" ||
		not_ok "$name: a second run said '$second'"
	for re in "$@"; do
		if grep -qE -- "$re" <<< "$out"; then
			ok "$name: apt fetches $re"
		else
			not_ok "$name: apt does not fetch $re"
		fi
	done
	# Exactly one fetch per index: nothing doubled.
	local dup
	dup=$(grep -oE "^'[^']*'" <<< "$out" | sort | uniq -d | head -n 1)
	[ -z "$dup" ] && ok "$name: no index twice" || not_ok "$name: $dup twice"
}

SRC_MAIN="$A/dists/bookworm/main/source/Sources"
SRC_SEC="$S/dists/bookworm-security/main/source/Sources"
BPO_BIN="$A/dists/bookworm-backports/main/binary-amd64/Packages"
BPO_SRC="$A/dists/bookworm-backports/main/source/Sources"

oneline() {
	cat > "$1/sources.list" <<L
deb $A bookworm main
deb [signed-by=$KEY] $S bookworm-security main
# deb-src $A bookworm main
deb https://thirdparty.invalid/apt stable main
L
}
run_case one-line oneline "$SRC_MAIN" "$SRC_SEC" "$BPO_BIN" "$BPO_SRC"
check_list_opts() {
	grep -q "^deb-src \[signed-by=$KEY\] $S bookworm-security main" \
		"$scratch/one-line/sources.list.d/i40e-vf-mdev-src.list" &&
		ok "one-line: options kept on the derived line" ||
		not_ok "one-line: options not kept"
	! grep -rq thirdparty "$scratch/one-line/sources.list.d" &&
		ok "one-line: a third-party repository is left alone" ||
		not_ok "one-line: a third-party repository was copied"
	[ ! -e "$scratch/one-line/sources.list.d/i40e-vf-mdev-src.sources" ] &&
		ok "one-line: written in the one-line format only" ||
		not_ok "one-line: a deb822 file was written"
}
check_list_opts

deb822() { # DIR [SIGNED]
	cat > "$1/sources.list.d/debian.sources" <<D
Types: deb
URIs: $A
Suites: bookworm bookworm-updates
Components: main
${2:+Signed-By: $KEY}

Types: deb
URIs: $S
Suites: bookworm-security
Components: main
${2:+Signed-By: $KEY}
D
}
signed() { deb822 "$1" signed; }
run_case deb822-signed-by signed "$SRC_MAIN" "$SRC_SEC" "$BPO_BIN" "$BPO_SRC"
grep -q "^Signed-By: $KEY" "$scratch/deb822-signed-by/sources.list.d/i40e-vf-mdev-src.sources" &&
	ok "deb822-signed-by: Signed-By copied" || not_ok "deb822-signed-by: Signed-By not copied"
run_case deb822-plain deb822 "$SRC_MAIN" "$SRC_SEC" "$BPO_BIN"
! grep -q "Signed-By" "$scratch/deb822-plain/sources.list.d/i40e-vf-mdev-src.sources" &&
	ok "deb822-plain: no Signed-By invented" || not_ok "deb822-plain: Signed-By invented"

have_src() {
	signed "$1"
	sed -i 's/^Types: deb$/Types: deb deb-src/' "$1/sources.list.d/debian.sources"
	printf 'deb %s bookworm-backports main\n' "$A" > "$1/sources.list.d/bpo.list"
}
run_case deb-src-present have_src "$SRC_MAIN" "$SRC_SEC" "$BPO_BIN" "$BPO_SRC"
# Only the backports' sources were missing (derived from the one-line
# backports entry, in its format).
[ "$(cat "$scratch"/deb-src-present/sources.list.d/i40e-vf-mdev-src.* |
	grep -cE '^(Types:|deb-src )')" = 1 ] &&
	ok "deb-src-present: only the missing backports deb-src added" ||
	not_ok "deb-src-present: added more than the missing entry"

# What the previous scripts/setup-host.sh wrote: deb-src without Signed-By
# next to the machine's entries with it, which apt refuses.
old_script() {
	signed "$1"
	cat > "$1/sources.list.d/i40e-vf-mdev-src.sources" <<O
Types: deb-src
URIs: $A
Suites: bookworm bookworm-updates
Components: main

Types: deb-src
URIs: $S
Suites: bookworm-security
Components: main
O
	apt_uris "$1" | grep -q 'Conflicting values set for option Signed-By' &&
		ok "old-script: apt refuses the file the old script wrote (the control)" ||
		not_ok "old-script: apt accepted the old file: the control proves nothing"
}
run_case old-script old_script "$SRC_MAIN" "$SRC_SEC" "$BPO_BIN"

# No entry of the distribution at all: an error, nothing written.
mkdir -p "$scratch/none/sources.list.d"
echo "deb https://thirdparty.invalid/apt stable main" > "$scratch/none/sources.list"
if "$GEN" --etc "$scratch/none" --codename bookworm > /dev/null 2>&1; then
	not_ok "none: no error without a Debian entry"
else
	[ -z "$(ls "$scratch/none/sources.list.d")" ] && ok "none: error, nothing written" ||
		not_ok "none: wrote files"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
