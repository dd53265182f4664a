#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock debug
# machine: xl710
# stack: modern
# suite: bench
# timeout: 3600
# The migration benchmark (make bench): printed, not asserted.  In one
# run, side by side, Debian's QEMU 10.0 migrates the same L2 (256 MiB,
# the guest memory verifier rewriting 32 pages a second) twice without a
# VF and twice with VF0's mdev (iavf up, the sustained traffic of
# mdev-lib.sh both ways), to a QEMU on the same L1 (a unix socket), with
# a downtime limit of 3 s; the one with the VF moves between VF0 and VF1.
# Printed: each migration's total time, downtime, set-up time, RAM sent
# and dirty-sync rounds; the ratios with the VF against without (the
# goal: total at most 1.5 times, downtime within the limit); the device
# state's size; the trapped BAR0 accesses during the migration and in
# as long a time after it; the dirty tracking's counters and, on the
# debug kernel (DMA logging through iommufd: Debian's kernel has no
# CONFIG_IOMMUFD_DRIVER and migrates with enable-migration=on through
# type1), the pages the VF wrote during the migration by the XL710
# model's record against the pages the driver reported; and the timeline
# of the first migration with the VF from the driver's tracepoints (state
# arcs, DMA logging reports, traps), drawn by tests/vm/mig-timeline.py
# into /results/mig-timeline.svg.  Timings under TCG (and KASAN on the
# debug kernel) say little about hardware; the ratios are what compare.
# Asserted: every migration completes, each destination loaded the
# state its source saved, and the streams and the memory verifier went
# on with nothing wrong.
. "$TOP/tests/vm/mdev-lib.sh"

check_stack modern
U1=3c2d1e0f-5a6b-4c7d-8e9f-0a1b2c3d4eb1
U2=3c2d1e0f-5a6b-4c7d-8e9f-0a1b2c3d4eb2
DL=3000
TR=/sys/kernel/tracing
IOMMUFD=''
[ "$I40EVFM_KERNEL" = debug ] && IOMMUFD=yes

modprobe kvm_amd
[ -n "$IOMMUFD" ] && check "modprobe iommufd" modprobe iommufd
check "peer NIC in netns" setup_peer
mdev_two_vfs $U1 $U2
mountpoint -q $TR || mount -t tracefs nodev $TR
check "tracefs has the driver's events" test -d $TR/events/i40e_vf_mdev
[ "$FAILED" = 0 ] || done_testing

# L2: with a NIC, iavf up, then the sustained traffic (which starts the
# memory verifier) and a heartbeat; without, the memory verifier alone
cat > /tmp/mb-l2.sh <<'L2'
for i in $(seq 1 20); do
	ifc=$(ls /sys/class/net | grep -v lo | head -n 1)
	[ -n "$ifc" ] && break
	sleep 1
done
if [ -z "$ifc" ]; then
	echo L2-NO-NIC
	/bin/l2memv 4 32 2 &
	while true; do sleep 10; done
fi
ip addr add 10.0.0.2/24 dev "$ifc"
ip link set "$ifc" up
for i in $(seq 1 120); do ping -c 1 -W 1 10.0.0.1 > /dev/null 2>&1 && break; done
echo L2-UP
sh /bin/l2sus.sh "$ifc"
while true; do
	ping -c 1 -W 1 10.0.0.1 | grep "bytes from" | sed "s/^/L2-HB /"
	sleep 0.5
done
L2
read -ra sus_files <<< "$(sus_l2_files)"
initrd=/tmp/mb-l2.cpio.gz
check "L2 initramfs" "$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l2-init" \
	"$I40EVFM_L2_MODDIR" iavf -- /tmp/mb-l2.sh=/test.sh "${sus_files[@]}"

# vm NAME [UUID [QEMU-ARGS...]] - L2 in Debian's QEMU 10 (with the mdev
# UUID, through iommufd on the debug kernel), console
# /results/mb-NAME.log, QMP /tmp/NAME.qmp
vm() {
	local name=$1 uuid=${2:-} fw dev=()
	shift 2
	read -ra fw <<< "$(vmm_firmware "$L2_QEMU")"
	if [ -n "$uuid" ] && [ -n "$IOMMUFD" ]; then
		dev=(-object iommufd,id=iommufd0
		     -device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,iommufd=iommufd0,id=vf0")
	elif [ -n "$uuid" ]; then
		dev=(-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,enable-migration=on,id=vf0")
	fi
	rm -f "/tmp/$name.qmp"
	"$L2_QEMU" "${fw[@]}" -M q35 -accel kvm -cpu host -smp 1 -m 256 \
		-nodefaults -display none -no-reboot \
		-serial "file:/results/mb-$name.log" \
		-qmp "unix:/tmp/$name.qmp,server=on,wait=off" \
		-kernel "$I40EVFM_L2_BZIMAGE" -initrd "$initrd" -append "$L2_CMDLINE" \
		"${dev[@]}" "$@" > "/results/mb-$name.qemu.log" 2>&1 &
}
# stats NAME - "TOTAL DOWNTIME SETUP RAM SYNCS" (ms, bytes) of NAME's
# completed migration
stats() {
	mig_query "$1" total-time downtime setup-time ram.transferred ram.dirty-sync-count |
		sed -n 's/^completed //p'
}
mark() { echo "mig: $*" > $TR/trace_marker 2>/dev/null; }
# bench FROM TO [UUID] - a destination QEMU TO (on the mdev UUID), the
# migration from FROM with the downtime limit DL, FROM quits; appends
# "TOTAL DOWNTIME SETUP RAM SYNCS" to /tmp/bench.KIND (vf or novf)
bench() {
	local from=$1 to=$2 uuid=${3:-} kind=novf r
	[ -n "$uuid" ] && kind=vf
	rm -f "/tmp/$to.sock"
	vm "$to" "$uuid" -incoming "unix:/tmp/$to.sock"
	check "$to: the destination QEMU waits" wait_for 120 test -S "/tmp/$to.sock"
	qmp "$from" "{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":$DL,\"max-bandwidth\":1073741824}}" > /dev/null
	mark "$from -> $to starts"
	qmp "$from" "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:/tmp/$to.sock\"}}" > /dev/null
	mig_wait "$from" 900 completed failed cancelled
	mark "$from -> $to $status"
	check "$from -> $to ($kind): migration completed ($status)" test "$status" = completed
	r=$(stats "$from")
	echo "$r" >> "/tmp/bench.$kind"
	echo "# $from -> $to ($kind): total, down, set-up time (ms), RAM (bytes), dirty syncs: $r"
	qmp "$from" '{"execute":"quit"}' > /dev/null
	sleep 2
}
rm -f /tmp/bench.vf /tmp/bench.novf

# Without a VF: L2 boots, the memory verifier runs, two migrations
vm n1 ''
check "n1: L2 runs the memory verifier" wait_for 600 grep -aq 'MEMV-PROGRESS' /results/mb-n1.log
bench n1 n2
bench n2 n3
check "no VF: the memory verifier went on in n3" wait_for 10 grep -aq 'MEMV-PROGRESS' /results/mb-n3.log
check "no VF: the memory verifier found nothing wrong" sh -c "! grep -aq MEMV-BAD /results/mb-n*.log"
qmp n3 '{"execute":"quit"}' > /dev/null

# With the VF: iavf up, the sustained traffic, two migrations (VF0 ->
# VF1 -> VF0); the first traced
vm v1 $U1
check "v1: L2 brings iavf up" wait_for 900 grep -aq 'L2-UP' /results/mb-v1.log
sus_peer_start
sus_check "v1" /results/mb-v1.log "0 0 0 0"
src0=$(mktemp) src1=$(mktemp) dst0=$(mktemp) dst1=$(mktemp)
echo 8192 > $TR/buffer_size_kb
echo > $TR/trace
echo 1 > $TR/events/i40e_vf_mdev/enable
echo 1 > $TR/tracing_on
model_gt=''
vfq=''
if [ -n "$IOMMUFD" ] && vfq=$(xl710_vf_qom 0); then
	qom_set "$vfq" dirty-log-enable true && model_gt=yes
fi
dirty0=$(cat "$MDEV_DBG/$U1/dirty")
cat "$MDEV_DBG/$U1/traps" > "$src0"
snap=$(sus_snap /results/mb-v1.log)
t0=$SECONDS
bench v1 v2 $U2
t1=$SECONDS
cat "$MDEV_DBG/$U1/traps" > "$src1"
cat "$MDEV_DBG/$U2/traps" > "$dst0"
if [ -n "$model_gt" ]; then
	gt=$(qom_get "$vfq" dirty-pages | tr ' ' '\n' | grep -c .)
	qom_set "$vfq" dirty-log-enable false
fi
sus_check "v2" /results/mb-v2.log "$snap"
# as long after the migration as it took, on the destination
sleep $((t1 - t0))
cat "$MDEV_DBG/$U2/traps" > "$dst1"
mark "as long after"
echo 0 > $TR/events/i40e_vf_mdev/enable
cp $TR/trace /results/mig-trace.txt
echo 0 > $TR/tracing_on
check "v2: the destination loaded the state the source saved ($(loaded_state $U2))" \
	test "$(loaded_state $U2)" = "$(saved_state $U1)"
snap=$(sus_snap /results/mb-v2.log)
bench v2 v3 $U1
sus_check "v3" /results/mb-v3.log "$snap"
sus_stop /results/mb-v1.log /results/mb-v2.log /results/mb-v3.log
qmp v3 '{"execute":"quit"}' > /dev/null

# The figures
echo "# --- migration benchmark ($I40EVFM_KERNEL kernel, QEMU 10.0, downtime limit $DL ms) ---"
python3 - /tmp/bench.novf /tmp/bench.vf "$DL" <<'PY'
import statistics, sys
def rows(p):
    return [list(map(float, l.split())) for l in open(p) if l.strip()]
novf, vf, dl = rows(sys.argv[1]), rows(sys.argv[2]), float(sys.argv[3])
names = ("total ms", "downtime ms", "set-up ms", "RAM bytes", "dirty syncs")
for i, n in enumerate(names):
    a = statistics.median(r[i] for r in novf) if novf else 0
    b = statistics.median(r[i] for r in vf) if vf else 0
    ratio = "%.2f" % (b / a) if a else "n/a"
    print("#   %-12s without VF %8.0f  with VF %8.0f  ratio %s" % (n, a, b, ratio))
if novf and vf:
    t = statistics.median(r[0] for r in vf) / statistics.median(r[0] for r in novf)
    d = max(r[1] for r in vf)
    print("#   goal: total with VF <= 1.5 x without: %.2f (%s); downtime <= %d ms: %d (%s)" % (
        t, "met" if t <= 1.5 else "NOT met", dl, d, "met" if d <= dl else "NOT met"))
PY
echo "#   device state: $(mig_stat $U1 saved_len) bytes saved by VF0's mdev"
echo "#   traps on the source from the destination QEMU's start to the source's quit ($((t1 - t0)) s; the migration itself is in the timeline below), and as long after on the destination:"
for k in reads writes mailbox tx_tail rx_tail other untrapped; do
	echo "#     $k: during $(trap_delta "$src0" "$src1" "$k"), after $(trap_delta "$dst0" "$dst1" "$k")"
done
echo "#   dirty tracking on the source, before -> after:"
paste <(echo "$dirty0") "$MDEV_DBG/$U1/dirty" | sed 's/^/#     /'
if [ -n "$model_gt" ]; then
	echo "#   precision: the VF wrote $gt distinct pages during the migration (model), the driver reported $(($(dirty_stat $U1 reported_pages) - $(awk '$1 == "reported_pages" { print $2 }' <<< "$dirty0"))) over $(($(dirty_stat $U1 reports) - $(awk '$1 == "reports" { print $2 }' <<< "$dirty0"))) reports"
fi
check "the timeline of v1 -> v2 from the driver's tracepoints (/results/mig-timeline.svg)" \
	python3 "$TOP/tests/vm/mig-timeline.py" /results/mig-trace.txt /results/mig-timeline.svg \
	"v1 -> v2: QEMU 10.0, $I40EVFM_KERNEL kernel${IOMMUFD:+, DMA logging}"
sed 's/^/#   /' /tmp/check.out
rm -f "$src0" "$src1" "$dst0" "$dst1"
check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
