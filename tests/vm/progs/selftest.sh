#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The checkers that L2 runs across migrations, checked on the host before
# any VM relies on them (tests/run.sh's userspace checks; needs root for
# the packet socket on lo):
#   l2memv, the guest memory verifier: finds nothing in memory left alone,
#   and finds the one bit flipped behind its back (L2MEMV_FLIP_AFTER), once;
#   l2udp, the checked UDP stream, over lo: progress lines while it runs,
#   and at SIGTERM both ends print their result and count no bad frame.
# Ends with "N passed, N failed".
#   tests/vm/progs/selftest.sh [PROGS_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
t=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$t"' EXIT
dir=${1:-$t/progs}
make -s -C "$here" OUT="$dir" "$dir/l2memv" "$dir/l2udp" || exit 1
pass=0 fail=0
ok() { # DESCRIPTION COMMAND... - one check
	if "${@:2}"; then
		echo "ok - $1"
		pass=$((pass + 1))
	else
		echo "not ok - $1"
		fail=$((fail + 1))
	fi
}
# run_for SECONDS OUT COMMAND... - run COMMAND, SIGTERM after SECONDS;
# its output to OUT, its exit status returned
run_for() {
	local s=$1 out=$2 pid
	shift 2
	"$@" > "$out" 2>&1 &
	pid=$!
	sleep "$s"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
}

run_for 7 "$t/memv" "$dir/l2memv" 4 16
rc=$?
ok "l2memv on memory left alone: exit 0, passes made, nothing bad ($(tail -n 1 "$t/memv"))" \
	sh -c "[ $rc = 0 ] && grep -q '^MEMV-START pages=1024$' '$t/memv' &&
	       grep -q '^MEMV-PROGRESS passes=[1-9][0-9]* rewrites=[1-9][0-9]* bad=0$' '$t/memv' &&
	       grep -q '^MEMV-RESULT passes=[1-9][0-9]* rewrites=[1-9][0-9]* bad=0$' '$t/memv' &&
	       ! grep -q MEMV-BAD '$t/memv'"
L2MEMV_FLIP_AFTER=2 run_for 6 "$t/flip" "$dir/l2memv" 4 16
rc=$?
ok "l2memv finds a bit flipped behind its back, once, and fails ($(grep -m1 MEMV-BAD "$t/flip"))" \
	sh -c "[ $rc = 1 ] && [ \$(grep -c '^MEMV-BAD page 512 word 7: ' '$t/flip') = 1 ] &&
	       grep -q '^MEMV-RESULT .* bad=1$' '$t/flip'"
ok "l2memv refuses bad arguments" \
	sh -c "! '$dir/l2memv' 0 && ! '$dir/l2memv' 4x && ! '$dir/l2memv' 4 -1x && ! '$dir/l2memv'" 2> /dev/null

# streams NAME - two l2udp streams over lo of 1000-byte datagrams, kept
# up until SIGTERM as across migrations (mdev-lib.sh's sustained traffic,
# one each way); the second receiver starts while the first stream
# already fills the interface.  On lo each receiver also sees the other
# stream's frames come in, at the same length.  Results in $t/NAME.*;
# sets rcs (the exit statuses)
streams() {
	local p pids=()
	for p in 5104 5106; do
		"$dir/l2udp" send $p 1000000000 1000 30 > "$t/$1.tx$p" 2>&1 &
		pids+=($!)
		"$dir/l2udp" recv lo $((p + 1)) 127.0.0.1 $p 1000000000 1000 > "$t/$1.rx$p" 2>&1 &
		pids+=($!)
		sleep 2
	done
	sleep 2
	rcs=()
	for p in "${pids[@]}"; do
		kill -TERM "$p"
		wait "$p"
		rcs+=($?)
	done
}
export L2UDP_PROGRESS=1 L2UDP_TRIES=30 L2UDP_WAIT=3600 L2UDP_GAP_MS=1
L2UDP_OTHERS=skip streams skip
for p in 5104 5106; do
	sent=$(sed -n 's/^UDP-TX-RESULT sent=\([0-9]*\) .*/\1/p' "$t/skip.tx$p")
	got=$(sed -n 's/^UDP-RX-RESULT received=\([0-9]*\) .*/\1/p' "$t/skip.rx$p")
	ok "l2udp stream to port $((p + 1)) over lo: progress lines on both ends" \
		sh -c "grep -q '^UDP-TX-PROGRESS sent=[1-9]' '$t/skip.tx$p' &&
		       grep -q '^UDP-RX-PROGRESS received=[1-9][0-9]* bad=0 ' '$t/skip.rx$p'"
	ok "l2udp stream to port $((p + 1)) at SIGTERM: a result, nothing wrong, the other stream's frames skipped ($sent sent, $(grep '^UDP-RX-RESULT' "$t/skip.rx$p" | cut -d' ' -f2-))" \
		sh -c "[ '${sent:-0}' -gt 10 ] && [ '${got:-0}' -ge '${sent:-0}' ] &&
		       grep -q '^UDP-RX-RESULT .* bad=0 dup=[0-9]* others=[1-9]' '$t/skip.rx$p'"
done
ok "l2udp: every end exited 0 at SIGTERM (${rcs[*]})" test "${rcs[*]}" = "0 0 0 0"
# without L2UDP_OTHERS=skip, a frame of the stream's length that is not
# its next datagram is wrong: the other stream's are
streams strict
ok "l2udp without L2UDP_OTHERS=skip: the other stream's frames count as wrong ($(cat "$t"/strict.rx* | grep '^UDP-RX-RESULT' | grep -o 'bad=[0-9]*' | tr '\n' ' '))" \
	grep -q '^UDP-RX-RESULT .* bad=[1-9]' "$t/strict.rx5104" "$t/strict.rx5106"
echo "progs: $pass passed, $fail failed"
[ "$fail" = 0 ]
