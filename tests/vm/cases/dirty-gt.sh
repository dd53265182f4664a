#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# machine: xl710
# timeout: 900
# Dirty tracking against the XL710 model's ground truth.  VF0's mdev is
# driven from L1 by tests/vm/progs/xl710-vfio in "dirty" mode (virtchnl to
# the patched i40e, one Rx queue of 256 descriptors whose buffers are
# given back in other pages of a pool of 512, as a driver recycles them;
# each round also sends a third as many frames on the Tx queue, whose
# descriptors the device writes back; registers through the trap).  It starts the device's DMA logging
# (VFIO_DEVICE_FEATURE_DMA_LOGGING_START) and reports it in rounds while
# the peer sends UDP frames of the test pattern; the model records, per
# VF, every page its DMA writes.  Per round, with the device quiet at the
# round's end: the pages the model recorded since the last round must all
# be in the report (misses 0); the precision (recorded / reported) is
# printed per round and overall.  Also:
#   - bad DMA logging requests (REPORT before START, bad page sizes, a
#     second START, after STOP) fail with their errno and leave logging
#     usable;
#   - a second tracking session after STOP starts from the rings as they
#     are (the seed);
#   - a hostile driver while tracking (queue stopped, random descriptors,
#     600 tail writes of any 13-bit value, then the ring moved to another
#     place): counted, no fault, and the next round still misses nothing;
#   - the check can fail: the same comparison with the Rx buffers left out
#     of a report counts them as misses;
#   - the type1 way, as QEMU 7.2 tracks: the container's dirty tracking
#     (VFIO_IOMMU_DIRTY_PAGES) with the device in PRE_COPY, which pins
#     what the VF may write (the pinned-page scope): the same rounds
#     against the model's record from the container's bitmap, a hostile
#     driver in between, and a final round whose report comes after the
#     VF stopped (STOP_COPY), as QEMU's last one does; the pins' counters,
#     and nothing pinned once the device is closed;
#   - the driver's counters: starts, stops, reports, Rx tail writes seen,
#     no unreadable descriptor, no fallback to "everything".
. "$TOP/tests/vm/mdev-lib.sh"

VFMAC=52:54:00:aa:00:31
VFIP=10.0.0.31
PORT=9999
U=6c1e2d3f-4a5b-4c6d-8e7f-90a1b2c3d4e5
M=/sys/bus/mdev/devices/$U

check "peer NIC in netns" setup_peer
peer_if=$(peer_ifc)
prog=$(test_prog xl710-vfio) || die "cannot build xl710-vfio"
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$PF_IF" vf 0 mac $VFMAC
check "load $MDEV_DRV" mdev_load
check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
check "create mdev $U" mdev_create "$VF" $U
[ "$FAILED" = 0 ] || done_testing
check "the device offers DMA logging" grep -qx 'offered yes' $MDEV_DBG/$U/dirty
check "its Rx tail page is trapped, its Tx tail page is not" sh -c \
	"grep -q '^trapped 0x2000-0x2fff' $MDEV_DBG/$U/traps &&
	 ! grep -q '^trapped 0x0-' $MDEV_DBG/$U/traps"

mkfifo /tmp/dgt.in
"$prog" dirty "$M" < /tmp/dgt.in > /tmp/dgt.out 2>&1 &
prog_pid=$!
exec 7> /tmp/dgt.in
if ! wait_for 120 grep -qE '^(READY|ERROR)' /tmp/dgt.out ||
	! grep -q '^READY' /tmp/dgt.out; then
	cat /tmp/dgt.out
	die "xl710-vfio did not bring VF0 up through the mdev"
fi
ok "xl710-vfio: VF0 up through the mdev ($(grep READY /tmp/dgt.out))"

# cmd CMD PREFIX [TIMEOUT] - send CMD, print the program's next line
# starting with PREFIX
cmd() {
	local n
	n=$(wc -l < /tmp/dgt.out)
	echo "$1" >&7
	wait_for "${3:-30}" sh -c "tail -n +$((n + 1)) /tmp/dgt.out | grep -qE '^($2|ERROR)'" || return 1
	tail -n +$((n + 1)) /tmp/dgt.out | grep -E "^($2|ERROR)" | head -n 1
}
ip -n peer neigh replace $VFIP lladdr $VFMAC dev "$peer_if" nud permanent
# send FIRST K - K UDP datagrams of the test pattern, paced so that the
# program's polling keeps up with its 255 posted buffers
send() {
	ip netns exec peer python3 - "$1" "$2" "$VFIP" "$PORT" <<'PY'
import socket, sys, time
first, k, ip, port = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for seq in range(first, first + k):
    s.sendto(b"XLGT%06d" % seq + bytes((seq * 7 + j) & 0xff for j in range(200)), (ip, port))
    if seq % 32 == 31:
        time.sleep(0.02)
PY
}

# The log's bad requests, before any tracking
r=$(cmd badlog BADLOG)
check "bad DMA logging requests fail with their errno ($r)" test "$r" = "BADLOG ok"

vfq=$(xl710_vf_qom 0) || die "no QOM path for VF0"
check "model: dirty log on" qom_set "$vfq" dirty-log-enable true

# pages WORDS - one per line, sorted
pages() { tr ' ' '\n' <<< "$1" | grep . | sort -u; }
total_gt=0 total_rep=0 total_miss=0 seq0=0 frames=0 round=0
# round K [CMD:REPLY] - K frames, then (CMD, e.g. to stop the VF, whose
# REPLY is awaited) compare the model's pages with the report ($REPORT:
# DMA logging's, or the container's)
REPORT=report
round() {
	local k=$1 gt rep miss ngt nrep
	round=$((round + 1))
	echo "run $k" >&7
	send $seq0 "$k"
	seq0=$((seq0 + k))
	frames=$((frames + k))
	wait_for 90 sh -c "grep -q '^RX total=$frames ' /tmp/dgt.out" ||
		{ not_ok "round $round: the VF did not receive $k frames"; tail -n 3 /tmp/dgt.out; return; }
	# and sends: the device writes its Tx descriptors back
	r=$(cmd "tx $((k / 3))" TX 120)
	check "round $round: the VF sent $((k / 3)) frames, all written back ($r)" \
		test "$r" = "TX sent=$((k / 3)) pending=0"
	sleep 1		# the device is quiet: every write of the round is done
	if [ -n "${2:-}" ]; then
		r=$(cmd "${2%%:*}" "${2#*:}")
		check "round $round: ${2%%:*} ($r)" test "$r" = "${2#*:}"
	fi
	gt=$(pages "$(qom_get "$vfq" dirty-pages)")
	rep=$(cmd $REPORT REPORT)
	rep=$(pages "$(cut -d' ' -f3- <<< "$rep")")
	miss=$(comm -23 <(echo "$gt") <(echo "$rep") | grep -c .)
	ngt=$(echo "$gt" | grep -c .)
	nrep=$(echo "$rep" | grep -c .)
	total_gt=$((total_gt + ngt)) total_rep=$((total_rep + nrep))
	total_miss=$((total_miss + miss))
	echo "# round $round: $k frames; model wrote $ngt pages, reported $nrep; precision $(awk -v a="$ngt" -v b="$nrep" 'BEGIN { if (b) printf "%.2f", a / b; else print "n/a" }'); misses $miss"
	check "round $round: the device wrote pages ($ngt)" test "$ngt" -gt 0
	check "round $round: every page the device wrote is reported (misses $miss)" test "$miss" = 0
	[ "$miss" = 0 ] || comm -23 <(echo "$gt") <(echo "$rep") | head -n 5 | sed 's/^/#   missed /'
	LAST_GT=$gt LAST_REP=$rep
}

r=$(cmd start STARTED)
check "START logging ($r)" test "$r" = STARTED
qom_get "$vfq" dirty-pages > /dev/null	# the ground truth starts now
for k in 60 300 600; do
	round $k
done

# The check can fail: the report without the Rx buffers' pages (the pool,
# from page 64 of the region at 0x40000000) misses them
nobuf=$(while read -r p; do [ $((p)) -lt $((0x40040000)) ] && echo "$p"; done <<< "$LAST_REP")
cut=$(comm -23 <(echo "$LAST_GT") <(echo "$nobuf") | grep -c .)
check "negative control: without the Rx buffers the comparison counts $cut misses" test "$cut" -gt 0

r=$(cmd stop STOPPED)
check "STOP logging ($r)" test "$r" = STOPPED
# frames while not tracking, then a new session starts from the rings
echo "run 100" >&7
send $seq0 100
seq0=$((seq0 + 100)) frames=$((frames + 100))
check "100 frames while not tracking" wait_for 90 sh -c "grep -q '^RX total=$frames ' /tmp/dgt.out"
r=$(cmd start STARTED)
check "START again ($r)" test "$r" = STARTED
qom_get "$vfq" dirty-pages > /dev/null
round 500
# A hostile driver, while tracking: random descriptors and 600 tails of
# any 13-bit value with the queue stopped, then the ring moved; the
# tracking then follows the new ring as before
r=$(cmd "hostile 600" HOSTILE 300)
check "hostile tail writes and a moved ring ($r)" grep -q '^HOSTILE tails=600 ' <<< "$r"
round 300
r=$(cmd stop STOPPED)
check "STOP again ($r)" test "$r" = STOPPED

# The type1 way (QEMU 7.2): the container's tracking, and the device in
# PRE_COPY, which pins what the VF may write from then on
check "no pins before the first save ($(dirty_stat $U pin_sessions) sessions)" \
	test "$(dirty_stat $U pin_sessions)" = 0
r=$(cmd t1start T1STARTED)
check "type1: the container tracks, the device is in PRE_COPY ($r)" test "$r" = T1STARTED
qom_get "$vfq" dirty-pages > /dev/null
REPORT=t1report
round 300
r=$(cmd "hostile 600" HOSTILE 300)
check "type1: hostile tail writes and a moved ring ($r)" grep -q '^HOSTILE tails=600 ' <<< "$r"
round 300
# the last round's report after the VF stopped, as QEMU's last one
round 200 t1final:T1FINAL
r=$(cmd t1stop T1STOPPED)
check "type1: the device runs again, the container's tracking stopped ($r)" test "$r" = T1STOPPED
check "type1: one pin session, pins made, nothing failed or fenced ($(dirty_stat $U pins) pins, $(dirty_stat $U unpins) unpins, $(dirty_stat $U pinned) pinned)" \
	sh -c "[ $(dirty_stat $U pin_sessions) = 1 ] && [ $(dirty_stat $U pins) -gt 0 ] &&
	       [ $(dirty_stat $U pin_failed) = no ] && [ $(dirty_stat $U fenced) = 0 ]"
check "type1: the device pins until it is closed ($(dirty_stat $U pinning))" \
	test "$(dirty_stat $U pinning)" = 1

echo "# overall: model wrote $total_gt pages, reported $total_rep; precision $(awk -v a="$total_gt" -v b="$total_rep" 'BEGIN { if (b) printf "%.2f", a / b; else print "n/a" }'); misses $total_miss"
r=$(grep '^RX total=' /tmp/dgt.out | tail -n 1)
check "all $frames frames arrived intact ($r)" test "$r" = "RX total=$frames good=$frames bad=0"

echo "# the driver's counters:"
sed 's/^/#   /' $MDEV_DBG/$U/dirty
dstat() { dirty_stat $U "$1"; }
check "3 starts, 3 stops (badlog's and two sessions)" test "$(dstat starts) $(dstat stops)" = "3 3"
check "a report per round and badlog's ($(dstat reports))" test "$(dstat reports)" -ge 6
check "Rx tail writes seen while tracking ($(dstat rx_posts))" test "$(dstat rx_posts)" -gt 100
check "no descriptor unreadable, no read fault" test "$(dstat unreadable) $(dstat read_faults)" = "0 0"
check "the hostile tails were counted and read the ring again ($(dstat bad_tails), $(dstat rescans))" \
	test "$(dstat bad_tails)" -gt 300 -a "$(dstat rescans)" -gt 300
check "never fell back to reporting everything" test "$(dstat lost)" = 0
check "tracking is off" test "$(dstat tracking)" = 0

echo quit >&7
exec 7>&-
wait $prog_pid
check "closed: nothing pinned ($(dirty_stat $U pinned), pinning $(dirty_stat $U pinning))" \
	test "$(dirty_stat $U pinned) $(dirty_stat $U pinning)" = "0 0"
check "model: dirty log off" qom_set "$vfq" dirty-log-enable false
check "remove mdev" mdev_remove $U
check_dmesg_clean
done_testing
