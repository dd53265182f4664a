# SPDX-License-Identifier: GPL-2.0
# A VM's VF keeps passing traffic across live migrations, with the QEMU
# of the case's stack: sourced by tests/vm/cases/mig-pf-v1.sh (QEMU 7.2,
# v1 protocol) and mig-pf-v2.sh (QEMU 10.0, v2), which set MIG_DEVOPT,
# the vfio-pci option that asks for migration.  An L2 runs iavf on an
# mdev of VF0, with i40e's PF services (patches/kernel) carrying the
# VF's configuration and queue positions:
#   1. VF0 -> VF1: before, iavf brings the VF up and pings the peer;
#      during, L2 pings every 0.2 s (losses printed); after, on the
#      destination, the whole verified traffic of l2_traffic_start (UDP
#      stream checked frame by frame, TCP both ways by md5); the
#      destination PF gave VF1 the guest's MAC; the source VF's queues
#      stay stopped while its QEMU quits under a flood of the guest's
#      frames;
#   2. on the destination, the guest changes its MAC, adds a VLAN,
#      changes the MTU and the queue count (each a VF reset by iavf),
#      and the peer still answers;
#   3. migrations cancelled in pre-copy and paused before switchover
#      (VF stopped and frozen): L2 runs on in the source each time;
#   (MIG_ROUNDS=1 stops here)
#   4. a destination whose host administrator trusts the VF (the
#      source's does not) refuses the state while the source still runs,
#      the kernel log names the difference, L2 runs on in the source;
#   5. back to VF0 and 6. to VF1 again, L2 pinging the peer from each;
#   iavf in L2 logged no error from the PF and no reset it did not ask
#   for, and the kernel log is clean.
# Both VFs are on one PF (the model has one); each source QEMU quits as
# soon as its migration completed, so that the PF's switch has the
# guest's MAC on one VF only.
U1=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b01
U2=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b02
hmp() { # SOCKET CMD - one HMP command, its output
	printf '%s\n' "$2" | socat -t 10 - "UNIX-CONNECT:$1" 2>/dev/null |
		tr -d '\r' | grep -v '^(qemu)\|^QEMU .* monitor'
}

modprobe kvm_amd
check "peer NIC in netns" setup_peer
mdev_two_vfs $U1 $U2
check "i40e has the PF services for VF migration" i40e_has_mig_services
check "source mdev offers migration with PF services" \
	grep -q '^pf_services yes' "$MDEV_DBG/$U1/migration"
[ "$FAILED" = 0 ] || done_testing

# L2: iavf up and a ping, then a ping every 0.2 s across the migration
# until the peer says go (port 5007), then the verified transfers.
L2T_BYTES=1000000 L2T_UDP_COUNT=300
l2_traffic_start mpf
sed -i '/^ping -c 3 -W 2 10.0.0.1 || exit 2$/a\
echo L2-PRE-OK\
ping -i 0.2 10.0.0.1 > /tmp/ping.log 2>\&1 \&\
pp=$!\
nc -l -p 5007 > /dev/null\
kill -INT $pp; sleep 1\
tail -n 2 /tmp/ping.log | sed "s/^/L2-PING /"\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"' /tmp/mpf-l2.sh
# after the transfers: iavf's messages so far, then a heartbeat (a ping of
# the peer and iavf's new messages every half second) for the migrations
# that follow
sed -i '/^echo "L2-TRAFFIC-DONE"$/{
i\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG-END /"
a\
ip link set "$ifc" address 02:00:00:00:0a:01 \&\& arping -U -c 2 -I "$ifc" 10.0.0.2 > /dev/null 2>\&1; echo "L2-CFG mac $?"\
modprobe 8021q; ip link add link "$ifc" name vl5 type vlan id 5 2>\&1 \&\& ip link set vl5 up; echo "L2-CFG vlan $?"\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"\
ip link set "$ifc" mtu 1400; echo "L2-CFG mtu $?"\
ethtool -L "$ifc" combined 2; echo "L2-CFG channels $?"\
for i in $(seq 1 40); do\
	c=$(ethtool -l "$ifc" | sed -n "s/^Combined:[[:space:]]*//p" | tail -n 1)\
	[ "$c" = 2 ] \&\& break\
	sleep 0.5\
done\
echo "L2-CFG combined $c"\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG-CFG /"\
echo L2-CFG-DONE\
while true; do\
	ping -c 1 -W 1 10.0.0.1 | grep "bytes from" | sed "s/^/L2-HB /"\
	dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"\
	sleep 0.5\
done
}' /tmp/mpf-l2.sh
grep -q L2-PRE-OK /tmp/mpf-l2.sh || { not_ok "L2 script prepared"; done_testing; }
initrd=/tmp/mpf-l2.cpio.gz
# ethtool (L1's, with the libraries it links) changes the queue count
ethtool_files=("$(command -v ethtool)=/bin/ethtool")
for f in $(ldd "$(command -v ethtool)" | grep -o '/[^ ]*'); do
	ethtool_files+=("$f=$f")
done
check "L2 initrd" "$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l2-init" \
	"$I40EVFM_L2_MODDIR" iavf 8021q -- "/tmp/mpf-l2.sh=/test.sh" "$L2T_UDP_PROG=/bin/l2udp" \
	"${ethtool_files[@]}"

l2() { # NAME UUID EXTRA... - start an L2 QEMU in the background
	local name=$1 uuid=$2
	shift 2
	rm -f "/tmp/$name.mon" "/tmp/$name.qmp"
	"$L2_QEMU" -M q35 -accel kvm -cpu host -smp 1 -m 256 \
		-nodefaults -display none -no-reboot \
		-serial "file:/results/mpf-$name.log" \
		-monitor "unix:/tmp/$name.mon,server=on,wait=off" \
		-qmp "unix:/tmp/$name.qmp,server=on,wait=off" \
		-kernel "$I40EVFM_L2_BZIMAGE" -initrd "$initrd" \
		-append "$L2_CMDLINE" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid,$MIG_DEVOPT,id=vf0" \
		"$@" > "/results/mpf-$name.qemu.log" 2>&1 &
}
# qmp NAME JSON... - QMP commands to the L2 QEMU NAME; prints the answers
qmp() {
	local sock=/tmp/$1.qmp
	shift
	{ echo '{"execute":"qmp_capabilities"}'; printf '%s\n' "$@"; sleep 1; } |
		socat -t 10 - "UNIX-CONNECT:$sock" 2>/dev/null
}
# mig_status NAME - "STATUS TOTAL-MS DOWNTIME-MS" of NAME's migration
mig_status() {
	qmp "$1" '{"execute":"query-migrate"}' | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        r = json.loads(line).get("return")
    except ValueError:
        continue
    if isinstance(r, dict) and "status" in r:
        print(r["status"], r.get("total-time", "-"), r.get("downtime", "-"))'
}
# migrate FROM TO - migrate L2 from the QEMU named FROM to the waiting
# QEMU named TO (return-path on: the source learns of a destination that
# refuses the state, and runs on); sets $status, prints the times
migrate() {
	local from=$1 to=$2 out s
	qmp "$to" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"return-path","state":true}]}}' > /dev/null
	qmp "$from" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"return-path","state":true}]}}' \
		'{"execute":"migrate-set-parameters","arguments":{"downtime-limit":2000000,"max-bandwidth":1073741824}}' > /dev/null
	out=$(qmp "$from" "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:/tmp/$to.sock\"}}" | grep '"error"')
	check "$from -> $to: QEMU accepts the migration, no blocker${out:+ ($out)}" test -z "$out"
	mig_wait "$from" 600 completed failed cancelled
	echo "# $from -> $to: status, total and down time (ms): ${s:-none}"
}
# mig_wait NAME TRIES STATUS... - poll NAME's migration, about every two
# seconds, until its status is one of STATUS, at most TRIES times; sets
# $s (mig_status) and $status
mig_wait() {
	local name=$1 tries=$2 i
	shift 2
	s='' status=none
	for ((i = 0; i < tries; i++)); do
		s=$(mig_status "$name")
		status=${s%% *}
		case " $* " in *" $status "*) return ;; esac
		sleep 1
	done
}
# cancel_in precopy|switchover - start a migration of L2 from dst to a
# new destination on VF0's mdev and cancel it: in pre-copy (the VF still
# running; bandwidth held down so that RAM takes minutes, and QEMU's
# default downtime limit), or paused before switchover (capability
# pause-before-switchover: the VM stopped, the VF quiesced and frozen).
# L2 must run on in dst.
cancel_in() {
	local want=active pause=false bw=1048576 dl=300 n
	[ "$1" = switchover ] && want=pre-switchover pause=true bw=1073741824 dl=2000000
	incoming cx $U1
	CX=$!
	n=$(replies dst)
	qmp dst "{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":[{\"capability\":\"pause-before-switchover\",\"state\":$pause}]}}" \
		"{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":$dl,\"max-bandwidth\":$bw}}" \
		'{"execute":"migrate","arguments":{"uri":"unix:/tmp/cx.sock"}}' > /dev/null
	mig_wait dst 60 "$want" completed failed cancelled
	check "dst -> cx: the migration is $want ($status)" test "$status" = "$want"
	grep -E '^(state|v1_state) ' "$MDEV_DBG/$U2/migration" | sed "s/^/#   $1: /"
	qmp dst '{"execute":"migrate_cancel"}' > /dev/null
	mig_wait dst 60 completed failed cancelled
	check "dst -> cx: cancelled in $1 ($status)" test "$status" = cancelled
	sleep 2
	quit_qemu cx $CX
	qmp dst '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"pause-before-switchover","state":false}]}}' > /dev/null
	check "L2 runs on in dst after the cancel in $1" wait_for 60 more_replies dst $((n + 5))
	check "the source driver is RUNNING after the cancel in $1" \
		grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
}
# incoming NAME UUID - a destination QEMU for the mdev UUID
incoming() {
	rm -f "/tmp/$1.sock"
	l2 "$1" "$2" -incoming "unix:/tmp/$1.sock"
	check "$1: destination QEMU waits for the migration" wait_for 120 test -S "/tmp/$1.sock"
}
# replies NAME - ping replies L2 printed on NAME's console so far;
# more_replies NAME N - more than N
replies() { grep -ac 'L2-HB .*bytes from' "/results/mpf-$1.log" 2>/dev/null; }
more_replies() { [ "$(replies "$1")" -gt "$2" ]; }
vf_mac() { ip link show "$PF_IF" | sed -n "s/^ *vf $1 .*link\/ether \([0-9a-f:]*\).*/\1/p"; }
# vf_view N - what the PF shows of VF N (MAC, spoof checking, link, trust)
vf_view() { ip link show "$PF_IF" | sed -n "s/^ *vf $1 *//p"; }
quit_qemu() { hmp "/tmp/$1.mon" quit > /dev/null; wait "$2" 2>/dev/null; }

l2 src $U1
SRC=$!
check "source L2 brings iavf up and pings the peer" \
	wait_for "$L2T_UDP_WAIT" grep -q 'L2-PRE-OK' /results/mpf-src.log
[ "$FAILED" = 0 ] || { kill $SRC; done_testing; }
mac0=$(vf_mac 0)
sleep 3

# 1. VF0 -> VF1, then the verified traffic on the destination
incoming dst $U2
DST=$!
migrate src dst
check "src -> dst: migration completed (status: $status)" test "$status" = completed
# The source VF's queues were stopped for the migration and must stay
# stopped through its close, though the PF's switch still sends it the
# guest's frames: the model reports any descriptor read (with bus
# mastering off by then) as a guest error.
rm -f /tmp/flood.stop
peer_flood "$mac0" /tmp/flood.stop > /tmp/flood.log &
FLOOD=$!
sleep 1
quit_qemu src $SRC
sleep 1
touch /tmp/flood.stop
wait $FLOOD
check "frames for the guest reached the PF while the source closed ($(cat /tmp/flood.log))" \
	sh -c "grep -q 'PEER-FLOOD sent [1-9]' /tmp/flood.log"
for m in $U1 $U2; do grep -E 'state|saved|loaded|rejected|last_error' "$MDEV_DBG/$m/migration" | sed "s/^/#   $m: /"; done
ip link show "$PF_IF" | sed 's/^/#   /'
mac1=$(vf_mac 1)
check "the destination PF gave VF1 the guest's MAC ($mac0 / $mac1)" \
	test -n "$mac0" -a "$mac0" != 00:00:00:00:00:00 -a "$mac1" = "$mac0"
check "destination driver: RUNNING" wait_for 30 sh -c "grep -q '^state RUNNING' $MDEV_DBG/$U2/migration"

# go: L2 stops pinging and starts the verified transfers
check "peer tells L2 to go on" sh -c \
	'for i in $(seq 1 60); do ip netns exec peer socat -u /dev/null TCP:10.0.0.2:5007,connect-timeout=2 2>/dev/null && exit 0; sleep 1; done; exit 1'
check "L2 finishes its traffic on the destination" \
	wait_for 900 grep -q 'L2-TRAFFIC-DONE\|L2-RESULT' /results/mpf-dst.log
grep 'L2-PING\|L2-DMESG-END' /results/mpf-dst.log | sed 's/^/#   /'
# L2's console: the part before the migration is in the source's file
cat /results/mpf-src.log /results/mpf-dst.log > /results/mpf-l2.log
l2_traffic_check mpf /results/mpf-l2.log

# 2. The guest keeps configuring the migrated VF: a new MAC and a VLAN
# (through the VSI id alias), a new MTU and queue count (iavf resets the
# VF for each), and the peer still answers
check "L2 reconfigures the migrated VF" wait_for 300 grep -aq 'L2-CFG-DONE' /results/mpf-dst.log
grep -a 'L2-CFG\|L2-DMESG-CFG' /results/mpf-dst.log | sed 's/^/#   /'
check "L2 changed its MAC on the migrated VF" grep -aq 'L2-CFG mac 0' /results/mpf-dst.log
check "L2 added a VLAN on the migrated VF" grep -aq 'L2-CFG vlan 0' /results/mpf-dst.log
check "L2 changed the MTU (a VF reset)" grep -aq 'L2-CFG mtu 0' /results/mpf-dst.log
check "L2 changed the queue count to 2 (a VF reset)" sh -c \
	"grep -aq 'L2-CFG channels 0' /results/mpf-dst.log && grep -aq 'L2-CFG combined 2' /results/mpf-dst.log"
check "L2 pings the peer after reconfiguring" wait_for 60 more_replies dst 3

# 3. Cancelled migrations: L2 runs on in the source each time
cancel_in precopy
cancel_in switchover

# MIG_ROUNDS=1: the first migration only (the PF side is the same for
# every front end; mig-pf-v1 runs the rest)
if [ "${MIG_ROUNDS:-4}" = 1 ]; then
	quit_qemu dst $DST
	check "iavf in L2 got no error from the PF" sh -c "! grep -a 'PF returned error' /results/mpf-dst.log"
	check "iavf in L2 saw no VF reset it did not ask for" sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' /results/mpf-dst.log"
	check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
	check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
	check_dmesg_clean
	done_testing
fi

# 4. A destination whose host administrator trusts the VF, the source's
# does not: the destination refuses the state, names the difference, and
# L2 runs on in the source
check "host admin: VF0 trusted" ip link set "$PF_IF" vf 0 trust on
incoming back0 $U1
BACK0=$!
n=$(replies dst)
migrate dst back0
check "dst -> back0: refused (status: $status)" test "$status" != completed
check "the destination named the difference" sh -c "dmesg | grep -q 'VF 0: trust differs from the source'"
wait $BACK0 2>/dev/null
qmp dst '{"execute":"cont"}' > /dev/null
check "L2 runs on in the source after the refusal" \
	wait_for 60 more_replies dst $((n + 5))
check "host admin: VF0 not trusted" ip link set "$PF_IF" vf 0 trust off

# 5. back to VF0, and 6. to VF1 again: pings go on in each destination,
# and the PF shows the destination VF as it showed the source's
incoming back $U1
BACK=$!
view1=$(vf_view 1)
migrate dst back
check "dst -> back: migration completed (status: $status)" test "$status" = completed
quit_qemu dst $DST
check "the PF shows VF0 as it showed VF1 (${view1:-nothing})" test "$(vf_view 0)" = "$view1"
check "L2 pings the peer from VF0 again" wait_for 120 more_replies back 5
incoming again $U2
AGAIN=$!
migrate back again
check "back -> again: migration completed (status: $status)" test "$status" = completed
quit_qemu back $BACK
check "L2 pings the peer from VF1 again" wait_for 120 more_replies again 5
cat /results/mpf-src.log /results/mpf-dst.log /results/mpf-back.log /results/mpf-again.log > /results/mpf-all.log
grep 'L2-HB' /results/mpf-again.log | tail -n 2 | sed 's/^/#   /'
check "iavf in L2 got no error from the PF" sh -c "! grep -a 'PF returned error' /results/mpf-all.log"
check "iavf in L2 saw no VF reset it did not ask for" sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' /results/mpf-all.log"
DST=$AGAIN
quit_qemu again $DST
for q in src dst back0 back again; do
	sed "s/^/#   $q qemu| /" "/results/mpf-$q.qemu.log" | tail -n 3
done
check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
