# SPDX-License-Identifier: GPL-2.0
# A VM's VF keeps passing traffic across live migrations, with the QEMU
# of the case's stack: sourced by tests/vm/cases/mig-pf-v1.sh (QEMU 7.2,
# v1 protocol) and mig-pf-v2.sh (QEMU 10.0, v2), which set MIG_DEVOPT,
# the vfio-pci option that asks for migration.  The machine has two
# XL710 PFs ("# model-pfs: 2"), each with its own switch, VSIs and queue
# space.  An L2 runs iavf on an mdev of VF0 of the first PF (U1), with
# i40e's PF services (patches/kernel) carrying the VF's configuration
# and queue positions; it moves to VF1 of the second PF (U2: another
# PF, VSI id and queue base) and back.  The QEMUs named in
# MIG_CONSUMER_NAMES run MIG_CONSUMER_QEMU (a consumer of the sparse
# mmap re-evaluation IRQ, Documentation/reeval.rst), the others the
# stack's; after each start or migration, a consumer's VM has the Rx
# tail page lent and mapped, another's has it trapped.
#   0. with a consumer for the source that waits for the signal
#      (MIG_MUTE_FAILS=yes: QEMU 7.2's; QEMU 10's unmaps before the
#      set-up without one): its signals withheld (debugfs reeval_mute),
#      a migration fails at its start (EAGAIN), starts nothing, QEMU
#      says why, and L2 runs on;
#   1. U1 -> U2: before, iavf brings the VF up and pings the peer;
#      during, L2 pings every 0.2 s (losses printed) and, with QEMU 10
#      (v2), a program makes bad calls on both QEMUs' device fd and
#      data_fd (tests/vm/progs/mig_poke.c), each of which must fail as
#      the uAPI says, and with either protocol bad and untimely sysfs
#      writes to both mdevs, their types and PFs, and unloads of i40e
#      and the driver (tests/vm/sysfs-poke.py), get their errors and
#      change nothing; after, on the
#      destination, the whole verified traffic of l2_traffic_start (UDP
#      stream checked frame by frame, TCP both ways by md5); the
#      destination PF shows its VF as the source PF showed the source's
#      (MAC, spoof checking, link state, trust); the source VF's queues
#      stay stopped while its QEMU quits under a flood of the guest's
#      frames; in a type1 container the source's save pinned what the VF
#      may write (until the close), and with a downtime limit
#      (MIG_DOWNTIME_MS) QEMU iterated and sent fewer than 1.5 times the
#      guest's pages;
#   2. on the destination, the guest changes its MAC, adds VLAN 5 (and
#      pings the peer over it from then on), changes the MTU and the
#      queue count from 1 to 2 (each a VF reset by iavf), and the peer
#      still answers.  The VF has 4 queue pairs, but i40e maps at most as
#      many into its VSI as the PF has LAN vectors (num_lan_msix, one per
#      CPU: L1 has 2), so a third and fourth fail to start (ENABLE_QUEUES
#      -EIO); that is i40e on a 2-CPU host, not migration.  From then
#      on, L2 runs the sustained traffic of mdev-lib.sh (two UDP
#      streams, peer -> L2 and L2 -> peer, every frame checked byte for
#      byte) and the guest memory verifier (l2memv), which must go on
#      across every migration below with nothing wrong;
#   3. migrations cancelled in pre-copy and paused before switchover
#      (VF stopped and frozen), one whose destination QEMU is killed
#      in pre-copy, and one whose device state has a bit flipped on its
#      way between the QEMUs (the destination's driver rejects it and
#      says why): L2 runs on in the source each time; a cancel in
#      pre-copy ends the save's claim on the Rx tail page (lent again to
#      a consumer), one past STOP_COPY keeps it;
#   (MIG_ROUNDS=1 goes on with the last step of 6; before it, with
#   MIG_REMOVE_DEST=yes, the destination's mdev removed in RESUMING; with
#   MIG_RESETS=yes, the source's VF reset in PRE_COPY (the migration
#   fails); with MIG_PF_GONE=yes, SR-IOV off on the destination's PF in
#   RESUMING (it fails) and the source's PF unbound from i40e in
#   STOP_COPY (it completes); with MIG_RESETS=yes, the destination's PF
#   reset in RESUMING (it fails, the source runs on): removed_destination,
#   reset_in_precopy, pf_gone_destination, pf_gone_source,
#   reset_in_resuming.)
#   4. refusals, each while the source still runs, with the difference
#      named in the kernel log, and L2 running on in the source: a
#      destination whose host administrator trusts the VF (the source's
#      does not), and one whose VF has 2 queue pairs (a VF driver asked
#      the PF for them; the guest's VF has 4);
#   5. back to U1, and on between the PFs (the last of the guest's
#      three round trips is in 6): after each migration the destination
#      driver loaded the state the source's saved (length, CRC-32), the
#      destination PF shows its VF as the source PF showed the source's
#      (the VLAN 5 filter comes from the replay only, and is in the
#      compared filter list), L2 pings the peer, plain and over VLAN 5,
#      and the sustained streams and the memory verifier went on;
#   iavf in L2 logged no error from the PF and no reset it did not ask
#   for;
#   6. faults: while the VF runs, the host resets it under the VM (FLR
#      through sysfs), then its PF: iavf sees each reset and recovers,
#      and the VM migrates on with the checks of 5, its third round trip
#      done, its PF reset once more in pre-copy (the save goes on); the
#      streams end with no frame wrong or given up and no wrong
#      guest memory; then a last migration paused before switchover
#      (source device in STOP_COPY, VF quiesced and frozen; destination's
#      in RESUMING) whose source QEMU is killed: the destination QEMU
#      gives up, both drivers are back in RUNNING and both mdevs open
#      again; and the kernel log is clean (on the debug kernel: KASAN,
#      lockdep, kmemleak);
#   (7., QEMU 7.2: an mdev defined by mdevctl with migration=off is
#   plain passthrough and QEMU reports its blocker.)
# Each source QEMU quits as soon as its migration completed, so that one
# VF only has the guest's MAC and VLAN filters in use.
U1=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b01
U2=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b02
U3=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b03

modprobe kvm_amd
check "peer NIC in netns" setup_peer
check "peer on VLAN 5" peer_vlan 5 10.0.5.1/24
check "i40e up on the first PF with 2 VFs" mdev_pf_up 2
check "i40e up on the second PF with 2 VFs" mdev_pf2_up 2
VF0=$(xl710_vf_bdf 0)
VF1=$(xl710_vf_bdf 1 "$XL710_PF2")
check "load $MDEV_DRV" mdev_load
check "bind $VF0 (first PF, VF 0) to $MDEV_DRV" mdev_bind "$VF0"
check "bind $VF1 (second PF, VF 1) to $MDEV_DRV" mdev_bind "$VF1"
check "create source mdev on $VF0" mdev_create "$VF0" $U1
check "create destination mdev on $VF1" mdev_create "$VF1" $U2
check "i40e has the PF services for VF migration" i40e_has_mig_services
check "source mdev offers migration with PF services" \
	grep -q '^pf_services yes' "$MDEV_DBG/$U1/migration"
[ "$FAILED" = 0 ] || done_testing

# L2: iavf up and a ping, then a ping every 0.2 s across the migration
# until the peer says go (port 5007), then the verified transfers.
L2T_BYTES=1000000 L2T_UDP_COUNT=300
l2_traffic_start mpf "$MDEV_DBG/$U2/traps"
l2_mig_pre_phase /tmp/mpf-l2.sh
# after the transfers: iavf's messages so far, then a heartbeat (a ping of
# the peer and iavf's new messages every half second) for the migrations
# that follow
sed -i '/^echo "L2-TRAFFIC-DONE"$/{
i\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG-END /"
a\
ip link set "$ifc" address 02:00:00:00:0a:01 \&\& arping -U -c 2 -I "$ifc" 10.0.0.2 > /dev/null 2>\&1; echo "L2-CFG mac $?"\
modprobe 8021q; ip link add link "$ifc" name vl5 type vlan id 5 2>\&1 \&\& ip addr add 10.0.5.2/24 dev vl5 \&\& ip link set vl5 up; echo "L2-CFG vlan $?"\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"\
ip link set "$ifc" mtu 1400; echo "L2-CFG mtu $?"\
: > /tmp/cfg.log\
for i in $(seq 1 60); do\
	dmesg -c | grep -i iavf >> /tmp/cfg.log\
	grep -q "Link is Up" /tmp/cfg.log \&\& break\
	sleep 0.5\
done\
echo "L2-CFG mtu-reset-done $(grep -c "Link is Up" /tmp/cfg.log)"\
ethtool -L "$ifc" combined 2; echo "L2-CFG channels $?"\
for i in $(seq 1 40); do\
	c=$(ethtool -l "$ifc" | sed -n "s/^Combined:[[:space:]]*//p" | tail -n 1)\
	[ "$c" = 2 ] \&\& break\
	sleep 0.5\
done\
echo "L2-CFG combined $c"\
dmesg -c | grep -i iavf | cat /tmp/cfg.log - | sed "s/^/L2-DMESG-CFG /"\
echo L2-CFG-DONE\
sh /bin/l2sus.sh "$ifc"\
while true; do\
	ping -c 1 -W 1 10.0.0.1 | grep "bytes from" | sed "s/^/L2-HB /"\
	ping -c 1 -W 1 10.0.5.1 | grep "bytes from" | sed "s/^/L2-HBV /"\
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
read -ra sus_files <<< "$(sus_l2_files)"
check "L2 initrd" "$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l2-init" \
	"$I40EVFM_L2_MODDIR" iavf 8021q -- "/tmp/mpf-l2.sh=/test.sh" "${sus_files[@]}" \
	"${ethtool_files[@]}"

# vmm NAME - the QEMU binary of the L2 QEMU named NAME: MIG_CONSUMER_QEMU
# (the project's, a consumer of the re-evaluation IRQ) for the names in
# MIG_CONSUMER_NAMES, the stack's for the others
vmm() {
	case " ${MIG_CONSUMER_NAMES:-} " in
	*" $1 "*) echo "$MIG_CONSUMER_QEMU" ;;
	*) echo "$L2_QEMU" ;;
	esac
}
consumer() { [ "$(vmm "$1")" != "$L2_QEMU" ]; }
l2() { # NAME UUID EXTRA... - start an L2 QEMU in the background
	local name=$1 uuid=$2 bin fw
	shift 2
	bin=$(vmm "$name")
	read -ra fw <<< "$(vmm_firmware "$bin")"
	rm -f "/tmp/$name.mon" "/tmp/$name.qmp"
	"$bin" "${fw[@]}" -M q35 -accel kvm -cpu host -smp 1 -m 256 \
		-nodefaults -display none -no-reboot \
		-serial "file:/results/mpf-$name.log" \
		-monitor "unix:/tmp/$name.mon,server=on,wait=off" \
		-qmp "unix:/tmp/$name.qmp,server=on,wait=off" \
		-kernel "$I40EVFM_L2_BZIMAGE" -initrd "$initrd" \
		-append "$L2_CMDLINE" \
		"${MIG_IOMMUFD_ARGS[@]}" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid${MIG_DEVOPT:+,$MIG_DEVOPT}${MIG_IOMMUFD:+,iommufd=iommufd0},id=vf0" \
		"$@" > "/results/mpf-$name.qemu.log" 2>&1 &
}
MIG_IOMMUFD_ARGS=()
if [ -n "${MIG_IOMMUFD:-}" ]; then
	check "modprobe iommufd" modprobe iommufd
	MIG_IOMMUFD_ARGS=(-object iommufd,id=iommufd0)
fi
# mig_begin FROM TO DOWNTIME BANDWIDTH [SOCKET] - start migrating L2 from
# the QEMU named FROM to the waiting QEMU named TO (return-path on: the
# source learns of a destination that refuses the state, and runs on)
# with downtime-limit DOWNTIME (ms) and max-bandwidth BANDWIDTH, through
# SOCKET (default TO's, /tmp/TO.sock)
mig_begin() {
	local out
	qmp "$2" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"return-path","state":true}]}}' > /dev/null
	qmp "$1" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"return-path","state":true}]}}' \
		"{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":$3,\"max-bandwidth\":$4}}" > /dev/null
	out=$(qmp "$1" "{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:${5:-/tmp/$2.sock}\"}}" | grep '"error"')
	check "$1 -> $2: QEMU accepts the migration, no blocker${out:+ ($out)}" test -z "$out"
}
# mig_let_go NAME - NAME's migration, held back, goes on at full speed
# with the case's downtime limit
mig_let_go() {
	qmp "$1" "{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":${MIG_DOWNTIME_MS:-2000000},\"max-bandwidth\":1073741824}}" > /dev/null
}
# migrate FROM TO [SOCKET] - mig_begin at full speed with the case's
# downtime limit, to the end; sets $status, prints the times
migrate() {
	local s
	mig_begin "$1" "$2" "${MIG_DOWNTIME_MS:-2000000}" 1073741824 "${3:-}"
	mig_wait "$1" "${MIG_WAIT_S:-900}" completed failed cancelled
	echo "# $1 -> $2: status, total and down time (ms): ${s:-none}"
}
# mig_start NAME UUID PAUSE BANDWIDTH DOWNTIME - start a migration of L2
# from dst to a new destination QEMU NAME on the mdev UUID ($TO_PID),
# with pause-before-switchover PAUSE (true/false), max-bandwidth and
# downtime-limit; sets n to dst's ping replies so far
mig_start() {
	incoming "$1" "$2"
	TO_PID=$!
	n=$(replies dst)
	qmp dst "{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":[{\"capability\":\"pause-before-switchover\",\"state\":$3}]}}" \
		"{\"execute\":\"migrate-set-parameters\",\"arguments\":{\"downtime-limit\":$5,\"max-bandwidth\":$4}}" \
		"{\"execute\":\"migrate\",\"arguments\":{\"uri\":\"unix:/tmp/$1.sock\"}}" > /dev/null
}
# cancel_in precopy|switchover - start a migration of L2 from dst to a
# new destination on VF0's mdev and cancel it: in pre-copy (the VF still
# running; bandwidth held down so that RAM takes minutes, and QEMU's
# default downtime limit), or paused before switchover (capability
# pause-before-switchover: the VM stopped, the VF quiesced and frozen).
# L2 must run on in dst.
cancel_in() {
	local want=active pause=false bw=1048576 dl=300 n rx0 u0
	[ "$1" = switchover ] && want=pre-switchover pause=true bw=1073741824 dl=2000000
	rx0=$(trap_count $U2 rx_tail)
	mig_start cx $U1 $pause $bw $dl
	CX=$TO_PID
	mig_wait dst 120 "$want" completed failed cancelled
	check "dst -> cx: the migration is $want ($status)" test "$status" = "$want"
	# A consumer gave the Rx tail page back for the save, and mapped the
	# rest of BAR0 again once the save had it (QEMU 10 unmaps all of it
	# for the set-up): the guest's other BAR0 accesses do not trap
	if [ "$1" = precopy ] && consumer dst; then
		check "dst: the save claimed the Rx tail page back (lent $(reeval_stat $U2 lent), mappings $(reeval_stat $U2 mappings))" \
			sh -c "[ $(reeval_stat $U2 lent) = 0 ] && [ $(reeval_stat $U2 mappings) = 0 ] &&
			       grep -q '^trapped 0x2000-0x2fff' $MDEV_DBG/$U2/traps"
		check "dst: the Rx tail writes trap during the migration (rx_tail $rx0 -> $(trap_count $U2 rx_tail) and on)" \
			wait_for 30 rx_tail_above $U2 "$rx0"
		u0=$(trap_count $U2 untrapped)
		sleep 3
		check "dst: the rest of BAR0 is mapped again during the migration (mmap()able-page accesses trapped in 3 s: $u0 -> $(trap_count $U2 untrapped))" \
			test "$(trap_count $U2 untrapped)" = "$u0"
	fi
	grep -E '^(state|v1_state) ' "$MDEV_DBG/$U2/migration" | sed "s/^/#   $1: /"
	qmp dst '{"execute":"migrate_cancel"}' > /dev/null
	mig_wait dst 120 completed failed cancelled
	check "dst -> cx: cancelled in $1 ($status)" test "$status" = cancelled
	sleep 2
	quit_qemu cx $CX
	qmp dst '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"pause-before-switchover","state":false}]}}' > /dev/null
	check "L2 runs on in dst after the cancel in $1" wait_for 60 more_replies dst $((n + 5))
	check "the source driver is RUNNING after the cancel in $1" \
		grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
	# A save cancelled in pre-copy gave back its claim on the Rx tail
	# page; one cancelled past STOP_COPY keeps it (type1's pins follow
	# the VF on, as for a paused VM continued during its migration:
	# Documentation/reeval.rst) until a later cancel in pre-copy or the
	# close.  With DMA logging (the debug kernel: QEMU 10 uses it when
	# the device offers it), the claim ends with the logging, cancel or
	# not.
	if [ "$1" = switchover ] && consumer dst && ! dma_logged $U2; then
		check "dst: the cancel past STOP_COPY kept the claim: the Rx tail page trapped" \
			sh -c "[ $(reeval_stat $U2 lent) = 0 ] && [ $(reeval_stat $U2 claims) -ge 1 ] &&
			       grep -q '^trapped 0x2000-0x2fff' $MDEV_DBG/$U2/traps"
	else
		rx_tail_view dst $U2
	fi
}
# resuming NAME - mig_start of a migration of L2 from dst to a new QEMU
# NAME on U1's mdev, held in pre-copy (1 MiB/s): the migration is active
# and the destination's device RESUMING ($TO_PID: its QEMU; n: as
# mig_start sets it)
resuming() {
	mig_start "$1" $U1 false 1048576 300
	mig_wait dst 120 active completed failed cancelled
	check "dst -> $1: the migration is active ($status)" test "$status" = active
	check "$1: the destination's device is RESUMING" \
		wait_for 30 grep -q '^state RESUMING' "$MDEV_DBG/$U1/migration"
}
# source_runs_on NAME WHY - the migration of L2 from dst to the QEMU NAME
# failed (WHY), L2 runs on in dst, and the source's driver is RUNNING (n:
# dst's ping replies when the migration started, as mig_start sets it)
source_runs_on() {
	mig_wait dst 120 failed completed cancelled
	check "dst -> $1: failed $2 ($status)" test "$status" = failed
	check "L2 runs on in dst after the failed migration to $1" \
		wait_for 60 more_replies dst $((n + 5))
	check "the source driver is RUNNING" grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
}
# killed_destination - a migration of L2 from dst to a new destination on
# U1's mdev, whose QEMU is killed (SIGKILL) in pre-copy, with its device in
# RESUMING: the source's migration fails, L2 runs on in it, and both
# drivers are back in RUNNING.
killed_destination() {
	local n
	resuming kx
	KX=$TO_PID
	kill -KILL $KX
	wait $KX 2>/dev/null
	source_runs_on kx "with its destination QEMU killed"
	check "the killed destination's driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$U1/migration"
	rx_tail_view dst $U2
}
# removed_destination - a migration of L2 from dst to a new destination
# on U1's mdev, whose mdev the host removes in pre-copy, with its device
# in RESUMING and part of the state loaded: the remove waits while QEMU
# holds the device and the driver relays the request to QEMU (the
# request IRQ; a device on a bus without hotplug stays); then the
# destination QEMU is killed (SIGKILL): the remove completes, the
# source's migration fails, L2 runs on in it, and U1's mdev, created
# again on its VF, is a destination again (killed_source's).  Run with
# MIG_REMOVE_DEST=yes (mig-pf-v2's debug run: KASAN and kmemleak over the
# release of a half-loaded state).
# dmesg_has TEXT - the kernel log has TEXT
dmesg_has() { dmesg | grep -qF "$1"; }
removed_destination() {
	local n rm_pid
	resuming rr
	RR=$TO_PID
	( echo 1 > "/sys/bus/mdev/devices/$U1/remove" ) > /tmp/rr-remove.out 2>&1 &
	rm_pid=$!
	sleep 5
	check "rr: the host's remove of the destination's mdev waits while QEMU holds it" \
		kill -0 $rm_pid
	check "rr: the driver relayed the remove to QEMU (request IRQ)" \
		wait_for 30 dmesg_has "$VF0: Relaying device request to user"
	grep -a 'vfio\|hotplug' /results/mpf-rr.qemu.log | tail -n 2 | sed 's/^/#   rr qemu| /'
	kill -KILL $RR
	wait $RR 2>/dev/null
	check "rr: the remove completes once the destination QEMU is gone" \
		wait_for 60 gone $rm_pid
	wait $rm_pid
	check "rr: the remove succeeded ($(cat /tmp/rr-remove.out))" test ! -s /tmp/rr-remove.out
	check "rr: the mdev is gone" test ! -e "/sys/bus/mdev/devices/$U1"
	source_runs_on rr "with its destination removed"
	check "the mdev created again on $VF0" mdev_create "$VF0" $U1
	check "its driver is RUNNING" grep -q '^state RUNNING' "$MDEV_DBG/$U1/migration"
}
# other_of UUID - of U1 and U2, the one that is not UUID
other_of() { if [ "$1" = "$U1" ]; then echo "$U2"; else echo "$U1"; fi; }
# vf_of / pf_of UUID - the VF and the PF of U1's or U2's mdev
vf_of() { if [ "$1" = "$U1" ]; then echo "$VF0"; else echo "$VF1"; fi; }
pf_of() { if [ "$1" = "$U1" ]; then echo "$XL710_PF"; else echo "$XL710_PF2"; fi; }
# resets_seen NAME - iavf's reset messages on NAME's console;
# more_resets NAME N - more than N
resets_seen() { grep -acE 'L2-DMESG .*[Rr]eset' "/results/mpf-$1.log"; }
more_resets() { [ "$(resets_seen "$1")" -gt "$2" ]; }
# links_up NAME - iavf's link-up messages on NAME's console (one ends
# every reset it recovers from); more_links NAME N - more than N
links_up() { grep -ac 'L2-DMESG .*NIC Link is Up' "/results/mpf-$1.log"; }
more_links() { [ "$(links_up "$1")" -gt "$2" ]; }
# recovered NAME R L - after a reset the host made under the VM in the
# QEMU NAME: iavf in L2 logged more resets than R and then more link-ups
# than L, and L2 pings the peer since
recovered() {
	local n
	check "$1: iavf in L2 saw the reset" wait_for 60 more_resets "$1" "$2"
	check "$1: iavf brought the link up again" wait_for 60 more_links "$1" "$3"
	n=$(replies "$1")
	check "$1: L2 pings the peer after the reset" wait_for 120 more_replies "$1" $((n + 5))
}
# Resets during a migration (MIG_RESETS=yes: mig-pf-v2's debug run).
# reset_in_precopy - a migration of L2 from dst to a new destination on
# U1's mdev, held in pre-copy; the host resets the source's VF (an FLR
# through sysfs): the source's driver starts over in RUNNING and ends the
# save, iavf in L2 sees the reset and recovers; once RAM is sent, QEMU
# finds the save gone (its data_fd reads ENODEV, or, at the switchover,
# the driver returns a new data_fd from RUNNING's path to STOP_COPY:
# "data_fd out of sync", and QEMU resets the device) and fails the
# migration; L2 runs on in dst, the destination QEMU gives up, and both
# drivers are back in RUNNING.
reset_in_precopy() {
	local n r l pid
	resuming fp
	pid=$TO_PID
	r=$(resets_seen dst) l=$(links_up dst)
	check "dst: the source's device is PRE_COPY" grep -q '^state PRE_COPY' "$MDEV_DBG/$U2/migration"
	check "dst: the host resets the source's VF in PRE_COPY (FLR through sysfs)" \
		sh -c "echo 1 > /sys/bus/pci/devices/$VF1/reset"
	check "dst: the source's driver starts over in RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
	recovered dst "$r" "$l"
	qmp dst '{"execute":"migrate-set-parameters","arguments":{"max-bandwidth":1073741824}}' > /dev/null
	mig_wait dst 300 failed completed cancelled
	check "dst -> fp: failed, the source's VF was reset in PRE_COPY ($status)" test "$status" = failed
	grep -a 'vfio\|migrat' /results/mpf-dst.qemu.log | tail -n 2 | sed 's/^/#   dst qemu| /'
	[ "$status" = failed ] || qemu_stuck "$DST" $U2 $U1
	qmp dst '{"execute":"cont"}' > /dev/null
	n=$(replies dst)
	check "L2 runs on in dst" wait_for 60 more_replies dst $((n + 5))
	check "the source driver is RUNNING" grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
	check "fp: the destination QEMU gives up" wait_for 60 gone $pid
	wait $pid 2>/dev/null
	check "fp: its driver is RUNNING" wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$U1/migration"
}
# reset_in_resuming NAME UUID TO_UUID - a migration of L2 from the QEMU
# NAME (on the mdev UUID) to a new QEMU fr on TO_UUID's, held in pre-copy
# with the destination's device RESUMING (return path on); the host resets
# the destination's PF (i40e's debugfs pfr), which resets its VF: what the
# PF recorded of that VF for the load is gone.  The destination's driver
# refuses the device's state when it comes, at the switchover ("its state
# is lost"), so the migration fails while the source still has the VM: L2
# runs on in NAME with no reset seen, fr gives up, and its driver is back
# in RUNNING.
reset_in_resuming() {
	local n r l0 rp
	rp='{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"return-path","state":true}]}}'
	incoming fr "$3"
	FR=$!
	qmp fr "$rp" > /dev/null
	n=$(replies "$1") r=$(resets_seen "$1")
	qmp "$1" "$rp" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"pause-before-switchover","state":false}]}}' \
		'{"execute":"migrate-set-parameters","arguments":{"downtime-limit":300,"max-bandwidth":1048576}}' \
		'{"execute":"migrate","arguments":{"uri":"unix:/tmp/fr.sock"}}' > /dev/null
	mig_wait "$1" 120 active completed failed cancelled
	check "$1 -> fr: the migration is active ($status)" test "$status" = active
	check "fr: the destination's device is RESUMING" \
		wait_for 30 grep -q '^state RESUMING' "$MDEV_DBG/$3/migration"
	l0=$(dmesg | grep -c 'its state is lost: stream refused')
	check "fr: the host resets the destination's PF (i40e's debugfs pfr)" \
		sh -c "echo pfr > /sys/kernel/debug/i40e/$(pf_of "$3")/command"
	sleep 5
	mig_let_go "$1"
	mig_wait "$1" 300 failed completed cancelled
	check "$1 -> fr: failed, the destination's VF was reset in RESUMING ($status)" test "$status" = failed
	check "fr: its driver refused the state, the VF's being lost" \
		sh -c "[ \$(dmesg | grep -c 'its state is lost: stream refused') -gt $l0 ]"
	grep -a 'vfio\|migrat\|load' /results/mpf-fr.qemu.log | tail -n 3 | sed 's/^/#   fr qemu| /'
	qmp "$1" '{"execute":"cont"}' > /dev/null
	check "L2 runs on in $1" wait_for 60 more_replies "$1" $((n + 5))
	check "$1: iavf in L2 saw no reset" test "$(resets_seen "$1")" = "$r"
	check "the source driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$2/migration"
	check "fr: the destination QEMU gives up" wait_for 60 gone $FR
	wait $FR 2>/dev/null
	check "fr: its driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$3/migration"
}
# The PF going away under a migration (MIG_PF_GONE=yes: mig-pf-v2's
# debug run).  i40e tells the VF's driver first (I40E_VF_MIG_EV_DETACH),
# every PF-services call fails from then on, and the VF's removal waits
# while QEMU holds its mdev, the driver relaying the request to QEMU
# (Documentation/pf-services.rst, "Failures during a migration").
# relays - the driver's relayed device requests in the kernel log so far;
# more_relays N - more than N
relays() { dmesg | grep -c 'Relaying device request to user'; }
more_relays() { [ "$(relays)" -gt "$1" ]; }
# vfs_again PF N VAR UUID - the PF's VFs created again (2), VF N bound to
# the driver and the mdev UUID created on it, with the PF services and
# RUNNING; its BDF in $VAR
vfs_again() {
	local vf
	xl710_vfs 2 "$1" || return 1
	vf=$(xl710_vf_bdf "$2" "$1")
	printf -v "$3" '%s' "$vf"
	mdev_bind "$vf" && mdev_create "$vf" "$4" &&
		grep -q '^pf_services yes' "$MDEV_DBG/$4/migration" &&
		grep -q '^state RUNNING' "$MDEV_DBG/$4/migration"
}
# loaded_is UUID STATE - the driver of UUID loaded STATE ("LENGTH CRC32")
loaded_is() { [ "$(loaded_state "$1")" = "$2" ]; }
# pf2_again - the second PF bound to i40e again, its netdev up
pf2_again() {
	echo "$XL710_PF2" > /sys/bus/pci/drivers/i40e/bind && xl710_pf2_up
}
# pf_gone_destination - a migration of L2 from dst to a new destination
# on U1's mdev (VF 0 of the first PF), held in pre-copy with the
# destination's device RESUMING; the host disables SR-IOV on the first PF
# (sriov_numvfs 0): the removal of VF 0 waits while the destination QEMU
# holds its mdev; once that QEMU is killed, SR-IOV goes off, the source's
# migration fails and L2 runs on in it; the first PF's VFs created again,
# VF 0 bound and U1's mdev on it are pf_gone_source's destination.
pf_gone_destination() {
	local n pid r0
	resuming pd
	PD=$TO_PID
	r0=$(relays)
	( echo 0 > "/sys/bus/pci/devices/$XL710_PF/sriov_numvfs" ) > /tmp/pd-sriov.out 2>&1 &
	pid=$!
	sleep 5
	check "pd: SR-IOV off on the destination's PF waits while QEMU holds the VF's mdev" \
		kill -0 $pid
	check "pd: the driver relayed the VF's removal to QEMU" wait_for 30 more_relays "$r0"
	kill -KILL $PD
	wait $PD 2>/dev/null
	check "pd: SR-IOV goes off once the destination QEMU is gone" wait_for 60 gone $pid
	wait $pid
	check "pd: sriov_numvfs 0 succeeded ($(cat /tmp/pd-sriov.out)), VF 0 and its mdev gone" \
		sh -c "[ ! -s /tmp/pd-sriov.out ] && [ ! -e /sys/bus/pci/devices/$VF0 ] &&
		       [ ! -e /sys/bus/mdev/devices/$U1 ]"
	source_runs_on pd "with its destination's PF going away"
	check "the first PF's VFs created again, VF 0 bound, U1 on it" \
		vfs_again "$XL710_PF" 0 VF0 $U1
}
# pf_gone_source - a migration of L2 from dst (U2: VF 1 of the second PF)
# to a new QEMU ps on U1's mdev, paused before switchover: the source's
# device in STOP_COPY, its state saved.  The host unbinds the second PF
# from i40e (i40e's remove of the PF, what an rmmod does: rmmod itself is
# refused while the VF's driver holds the PF services): the removal of
# VF 1 waits while the source QEMU holds its mdev.  The migration goes on
# and completes (STOP_COPY needs nothing more of the PF): the destination
# loaded the state the source saved, its PF shows its VF as the source's
# did, L2 pings and its streams go on; once the source QEMU has quit,
# i40e's remove completes.  The second PF bound to i40e again, its VFs
# created again, VF 1 bound and U2's mdev on it: killed_source's
# destination.
pf_gone_source() {
	local n pid r0 view snap saved
	view=$(vf_view $U2)
	snap=$(sus_snap /results/mpf-dst.log)
	mig_start ps $U1 true 1073741824 2000000
	PS=$TO_PID
	mig_wait dst 120 pre-switchover completed failed cancelled
	check "dst -> ps: the migration is pre-switchover ($status)" test "$status" = pre-switchover
	check "dst: the source's device is STOP_COPY" grep -q '^state STOP_COPY' "$MDEV_DBG/$U2/migration"
	r0=$(relays)
	( echo "$XL710_PF2" > /sys/bus/pci/drivers/i40e/unbind ) > /tmp/ps-unbind.out 2>&1 &
	pid=$!
	sleep 5
	check "ps: i40e's remove of the source's PF waits while QEMU holds the VF's mdev" \
		kill -0 $pid
	check "ps: the driver relayed the VF's removal to QEMU" wait_for 30 more_relays "$r0"
	qmp dst '{"execute":"migrate-continue","arguments":{"state":"pre-switchover"}}' > /dev/null
	mig_wait dst 120 completed failed cancelled
	check "dst -> ps: completed with the source's PF going away ($status)" test "$status" = completed
	saved=$(saved_state $U2)
	# (the destination loads it when its VM starts, which can come after
	# the source's report)
	check "ps: the destination loaded the state the source saved ($saved)" \
		wait_for 60 loaded_is $U1 "$saved"
	n=$(replies ps)
	quit_qemu dst $DST
	check "ps: i40e's remove of the second PF completes once the source QEMU is gone" \
		wait_for 60 gone $pid
	wait $pid
	check "ps: the unbind succeeded ($(cat /tmp/ps-unbind.out)), VF 1 and U2's mdev gone" \
		sh -c "[ ! -s /tmp/ps-unbind.out ] && [ ! -e /sys/bus/pci/devices/$VF1 ] &&
		       [ ! -e /sys/bus/mdev/devices/$U2 ]"
	check "ps: the destination PF shows its VF as the source PF showed the source's" \
		same_view "$view" "$(vf_view $U1)"
	check "ps: L2 pings the peer" wait_for 120 more_replies ps $((n + 3))
	sus_check ps /results/mpf-ps.log "$snap"
	rx_tail_view ps $U1
	check "ps: iavf in L2 got no error from the PF and saw no reset it did not ask for" \
		sh -c "! grep -aE 'PF returned error|L2-DMESG .*[Rr]eset' /results/mpf-ps.log"
	check "the second PF bound to i40e again, its netdev up" pf2_again
	check "the second PF's VFs created again, VF 1 bound, U2 on it" \
		vfs_again "$XL710_PF2" 1 VF1 $U2
}
# killed_source NAME PID UUID TO_UUID - the last migration of L2, from
# the QEMU NAME (on the mdev UUID) to a new destination on TO_UUID's,
# paused before switchover (the VM stopped, the source device in
# STOP_COPY with its VF quiesced and frozen, the destination's in
# RESUMING); then the source QEMU is killed (SIGKILL) and the destination
# QEMU ends its incoming migration.  Both drivers are back in RUNNING and
# both mdevs open again.
killed_source() {
	qmp "$1" '{"execute":"migrate-set-capabilities","arguments":{"capabilities":[{"capability":"pause-before-switchover","state":true}]}}' \
		'{"execute":"migrate-set-parameters","arguments":{"downtime-limit":2000000,"max-bandwidth":1073741824}}' > /dev/null
	incoming ks "$4"
	KS=$!
	qmp "$1" '{"execute":"migrate","arguments":{"uri":"unix:/tmp/ks.sock"}}' > /dev/null
	mig_wait "$1" 120 pre-switchover completed failed cancelled
	check "$1 -> ks: the migration is pre-switchover ($status)" test "$status" = pre-switchover
	check "$1: the source's device is STOP_COPY" grep -q '^state STOP_COPY' "$MDEV_DBG/$3/migration"
	check "ks: the destination's device is RESUMING" grep -q '^state RESUMING' "$MDEV_DBG/$4/migration"
	kill -KILL "$2"
	wait "$2" 2>/dev/null
	check "ks: the destination QEMU ends once its source was killed" \
		wait_for 60 gone "$KS"
	wait $KS 2>/dev/null
	check "the killed source's driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$3/migration"
	check "the destination's driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$4/migration"
	check "the killed source's mdev opens again" "$MDEV_VFIO" open "/sys/bus/mdev/devices/$3"
	check "the destination's mdev opens again" "$MDEV_VFIO" open "/sys/bus/mdev/devices/$4"
}
# incoming NAME UUID - a destination QEMU for the mdev UUID
incoming() {
	rm -f "/tmp/$1.sock"
	l2 "$1" "$2" -incoming "unix:/tmp/$1.sock"
	check "$1: destination QEMU waits for the migration" wait_for 120 test -S "/tmp/$1.sock"
}
# replies NAME - ping replies L2 printed on NAME's console so far (over
# VLAN 5: vreplies); more_replies NAME N - more than N (more_vreplies)
replies() { grep -ac 'L2-HB .*bytes from' "/results/mpf-$1.log" 2>/dev/null; }
more_replies() { [ "$(replies "$1")" -gt "$2" ]; }
vreplies() { grep -ac 'L2-HBV .*bytes from' "/results/mpf-$1.log" 2>/dev/null; }
more_vreplies() { [ "$(vreplies "$1")" -gt "$2" ]; }
# vf_view UUID - what the PF has of the mdev's VF (pf_vf_view, in
# tests/vm/mdev-lib.sh): VF0 of the first PF for U1, VF1 of the second
# for U2; vf_mac UUID - the MAC of ip link's line
vf_view() {
	if [ "$1" = "$U2" ]; then
		pf_vf_view "$PF2_IF" "$XL710_PF2" 1
	else
		pf_vf_view "$PF_IF" "$XL710_PF" 0
	fi
}
vf_mac() { vf_view "$1" | sed -n '1s/^link\/ether \([0-9a-f:]*\).*/\1/p'; }
quit_qemu() { hmp "/tmp/$1.mon" quit > /dev/null; wait "$2" 2>/dev/null; }
vm_running() { qmp "$1" '{"execute":"query-status"}' | grep -q '"status": *"running"'; }
# The Rx tail page (Documentation/reeval.rst): reeval_stat UUID NAME - a
# value from the debugfs reeval file; lent_mapped UUID - lent to a
# registered consumer, which maps it (it answered the signal), and not
# trapped; tail_trapped UUID - no consumer, the page trapped
reeval_stat() { awk -v k="$2" '$1 == k { print $2 }' "$MDEV_DBG/$1/reeval"; }
# dma_logged UUID - QEMU tracked the VF's writes through DMA logging
# (started at least once), not through type1's pins
dma_logged() { [ "$(dirty_stat "$1" starts)" -gt 0 ] 2>/dev/null; }
# rx_tail_above UUID N - more than N Rx tail writes trapped
rx_tail_above() { [ "$(trap_count "$1" rx_tail)" -gt "$2" ]; }
lent_mapped() {
	[ "$(reeval_stat "$1" consumer)" = 1 ] && [ "$(reeval_stat "$1" lent)" = 1 ] &&
		[ "$(reeval_stat "$1" mappings)" -ge 1 ] &&
		! grep -q '^trapped 0x2000-' "$MDEV_DBG/$1/traps"
}
tail_trapped() {
	[ "$(reeval_stat "$1" consumer)" = 0 ] &&
		grep -q '^trapped 0x2000-0x2fff' "$MDEV_DBG/$1/traps"
}
# rx_tail_view NAME UUID - the L2 QEMU NAME runs the VM on UUID's mdev:
# a consumer got the Rx tail page lent and mapped it, another QEMU left
# it trapped
rx_tail_view() {
	[ "$(reeval_stat "$2" offered)" = yes ] || return 0
	if consumer "$1"; then
		check "$1: QEMU consumes the re-evaluation IRQ: the Rx tail page is lent to it and it maps it" \
			wait_for 30 lent_mapped "$2"
	else
		check "$1: QEMU without a consumer: the Rx tail page stays trapped" tail_trapped "$2"
	fi
	echo "#   $1: reeval: $(tr '\n' ' ' < "$MDEV_DBG/$2/reeval")"
}

l2 src $U1
SRC=$!
check "source L2 brings iavf up and pings the peer" \
	wait_for "$L2T_UDP_WAIT" grep -q 'L2-PRE-OK' /results/mpf-src.log
[ "$FAILED" = 0 ] || { kill $SRC; done_testing; }
mac0=$(vf_mac $U1)
view0=$(vf_view $U1)
rx_tail_view src $U1
sleep 3

# The device offers DMA logging where the kernel can report it (not on
# Debian's, which has no CONFIG_IOMMUFD_DRIVER): QEMU 10 then adds no
# migration blocker for it with its default settings
LOGGING=$(grep -qx 'offered yes' "$MDEV_DBG/$U1/dirty" && echo yes)
if [ -z "$MIG_DEVOPT" ]; then
	blk=$(qmp src '{"execute":"query-migrate"}' | grep -o '"blocked-reasons": *\[[^]]*\]')
	check "QEMU's default settings: the device offers DMA logging, no migration blocker${blk:+ ($blk)}" \
		test "$LOGGING" = yes -a -z "$blk"
fi

# 0. A consumer that ignores the re-evaluation IRQ (debugfs reeval_mute
# withholds its signals): the migration's start cannot claim the Rx tail
# page within the bound, fails and starts nothing; QEMU reports the
# failed migration and L2 runs on in the source
if consumer src && [ "${MIG_MUTE_FAILS:-}" = yes ]; then
	f0=$(reeval_stat $U1 claim_failures)
	check "src: signals of the re-evaluation IRQ withheld" sh -c "echo 1 > $MDEV_DBG/$U1/reeval_mute"
	incoming mx $U2
	MX=$!
	migrate src mx
	check "src -> mx: failed, the consumer did not give the Rx tail page back ($status)" test "$status" = failed
	check "the claims failed past their bound and nothing was tracked (claim_failures $f0 -> $(reeval_stat $U1 claim_failures), withheld $(reeval_stat $U1 withheld), pinning $(dirty_stat $U1 pinning))" \
		sh -c "[ $(reeval_stat $U1 claim_failures) -gt $f0 ] && [ $(reeval_stat $U1 withheld) -gt 0 ] && [ $(dirty_stat $U1 pinning) = 0 ]"
	check "QEMU reported why the migration failed" \
		grep -q 'Failed to set state SAVING: Resource temporarily unavailable' /results/mpf-src.qemu.log
	grep -a 'SAVING' /results/mpf-src.qemu.log | sed 's/^/#   src qemu| /'
	check "the source driver is RUNNING" grep -q '^state RUNNING' "$MDEV_DBG/$U1/migration"
	check "L2 runs on in src" vm_running src
	check "src: signals no longer withheld" sh -c "echo 0 > $MDEV_DBG/$U1/reeval_mute"
	# (QEMU 7.2's destination waits on for a stream that never comes
	# when the source failed in its set-up with the return path on)
	wait_for 10 sh -c "! kill -0 $MX 2>/dev/null" ||
		echo "# mx: the destination QEMU still waits: quit"
	quit_qemu mx $MX
fi

# 1. U1 -> U2 under a flood of frames for the guest (its Rx buffers fill
# all along), then the verified traffic on the destination
incoming dst $U2
DST=$!
rx0=$(trap_count $U1 rx_tail)
rv0=$(reeval_stat $U1 revokes) lent0=$(reeval_stat $U1 lent)
rm -f /tmp/flood1.stop
peer_flood "$mac0" /tmp/flood1.stop > /tmp/flood1.log &
FLOOD=$!
# v2 (QEMU 10): while the state moves, bad calls on both QEMUs' device fd
# and data_fd (tests/vm/progs/mig_poke.c), copied with pidfd_getfd(2):
# each fails as the uAPI says, and the migration goes on unaware
if [ "$MIG_DEVOPT" != x-enable-migration=on ]; then
	"$(test_prog mig_poke)" $SRC 120 > /results/poke-src.out 2>&1 &
	POKE_SRC=$!
	"$(test_prog mig_poke)" $DST 120 > /results/poke-dst.out 2>&1 &
	POKE_DST=$!
fi
# either protocol: sysfs writes to both open mdevs, their types and PFs
rm -f /tmp/sysfs-poke.stop
python3 "$TOP/tests/vm/sysfs-poke.py" 1 /tmp/sysfs-poke.stop $U1 $U2 \
	> /results/sysfs-poke.out 2>&1 &
SYSFS_POKE=$!
migrate src dst
touch /tmp/flood1.stop /tmp/sysfs-poke.stop
wait $FLOOD
wait $SYSFS_POKE
rc=$?
sed 's/^/#   sysfs: /' /results/sysfs-poke.out | head -n 20
check "sysfs writes during the migration got their errors and changed nothing ($(tail -n 1 /results/sysfs-poke.out))" \
	test "$rc" = 0
check "src -> dst: migration completed (status: $status)" test "$status" = completed
if [ -n "${POKE_SRC:-}" ]; then
	for q in src dst; do
		pid=POKE_${q^^}
		wait "${!pid}"
		rc=$?
		sed "s/^/#   $q: /" "/results/poke-$q.out" | head -n 20
		check "$q: bad calls on QEMU's device fd and data_fd during the migration all failed as the uAPI says ($(tail -n 1 "/results/poke-$q.out"))" \
			test "$rc" = 0
	done
	check "src poked a save, dst a resume" \
		sh -c "grep -q 'session SAVE' /results/poke-src.out && grep -q 'session RESUME' /results/poke-dst.out"
fi
echo "# frames for the guest during the migration: $(cat /tmp/flood1.log)"
if consumer src; then
	# (a page held out of the areas by step 0's failed claim was not
	# lent, so there was nothing to revoke)
	check "src: the migration claimed the Rx tail page back and trapped its writes (lent before: $lent0, revokes $rv0 -> $(reeval_stat $U1 revokes), rx_tail traps $rx0 -> $(trap_count $U1 rx_tail))" \
		sh -c "{ [ $lent0 = 0 ] || [ $(reeval_stat $U1 revokes) -gt $rv0 ]; } && [ $(trap_count $U1 rx_tail) -gt $rx0 ]"
	# (DMA logging stops when the migration completes and gives the
	# page back; type1's pins keep it until the close)
	if [ "$LOGGING" != yes ] || [ -n "$MIG_DEVOPT" ]; then
		check "src: type1: the completed save keeps its claim (lent $(reeval_stat $U1 lent))" \
			sh -c "[ $(reeval_stat $U1 lent) = 0 ] && grep -q '^trapped 0x2000-0x2fff' $MDEV_DBG/$U1/traps"
	fi
fi
echo "# device state: $(mig_stat $U1 saved_len) bytes, 1 queue pair in use"
qmp src '{"execute":"query-migrate"}' | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        r = json.loads(line).get("return", {}).get("ram")
    except (ValueError, AttributeError):
        continue
    if r:
        sent = r.get("normal", 0) + r.get("duplicate", 0)
        pages = r.get("total", 0) // r.get("page-size", 4096)
        rounds = r.get("dirty-sync-count", 0)
        print("# RAM: %d MiB transferred for %d MiB of guest RAM, %d dirty-sync rounds, %d pages sent for %d pages" % (
            r.get("transferred", 0) >> 20, r.get("total", 0) >> 20,
            rounds, sent, pages))
        open("/tmp/mig1.ram", "w").write("%d %d %d\n" % (sent, pages, rounds))' || true
read -r SENT PAGES ROUNDS < /tmp/mig1.ram || SENT=0 PAGES=0 ROUNDS=0
# In a type1 container (QEMU 7.2, v1; QEMU 10 without DMA logging) the
# save pins what the VF may write, which puts its group in type1's
# pinned-page scope; with a downtime limit QEMU iterates until it fits,
# which it could not if type1 reported every page in every round
TYPE1=
if [ "${MIG_IOMMUFD:-}" != yes ] &&
   { [ "$LOGGING" != yes ] || [ "$MIG_DEVOPT" = x-enable-migration=on ]; }; then
	TYPE1=yes
fi
if [ "$TYPE1" = yes ]; then
	echo "# the source's dirty tracking:"
	sed 's/^/#   /' "$MDEV_DBG/$U1/dirty"
	check "type1 pinned-page scope: the save pinned what the VF may write ($(dirty_stat $U1 pins) pins, $(dirty_stat $U1 unpins) unpins, failed: $(dirty_stat $U1 pin_failed))" \
		sh -c "[ $(dirty_stat $U1 pin_sessions) -ge 1 ] && [ $(dirty_stat $U1 pins) -gt 0 ] && [ $(dirty_stat $U1 pin_failed) = no ]"
	if [ "${MIG_DOWNTIME_MS:-2000000}" -le 60000 ]; then
		check "QEMU iterated and sent fewer than 1.5 times the guest's pages ($SENT for $PAGES, $ROUNDS dirty-sync rounds), not every page every round" \
			sh -c "[ $ROUNDS -ge 3 ] && [ $((SENT * 2)) -lt $((PAGES * 3)) ]"
	fi
fi
if [ "$LOGGING" = yes ] && [ -z "$MIG_DEVOPT" ]; then
	echo "# the source's DMA logging:"
	sed 's/^/#   /' "$MDEV_DBG/$U1/dirty"
	check "DMA logging was used: started, reported in rounds ($(dirty_stat $U1 starts)/$(dirty_stat $U1 reports))" \
		sh -c "[ $(dirty_stat $U1 starts) -ge 1 ] && [ $(dirty_stat $U1 reports) -ge 2 ]"
	check "it followed the Rx tail ($(dirty_stat $U1 rx_posts) posts) and never fell back to everything" \
		sh -c "[ $(dirty_stat $U1 rx_posts) -gt 0 ] && [ $(dirty_stat $U1 lost) = 0 ] && [ $(dirty_stat $U1 unreadable) = 0 ]"
fi
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
check "the source's pins went when its QEMU quit (pinned $(dirty_stat $U1 pinned), pinning $(dirty_stat $U1 pinning))" \
	sh -c "[ $(dirty_stat $U1 pinned) = 0 ] && [ $(dirty_stat $U1 pinning) = 0 ]"
if [ "$LOGGING" = yes ] && [ -z "$MIG_DEVOPT" ]; then
	check "the source's DMA logging stopped when its QEMU quit ($(dirty_stat $U1 stops) stops)" \
		test "$(dirty_stat $U1 stops)" -ge 1 -a "$(dirty_stat $U1 tracking)" = 0
fi
for m in $U1 $U2; do grep -E 'state|saved|loaded|rejected|last_error' "$MDEV_DBG/$m/migration" | sed "s/^/#   $m: /"; done
ip link show "$PF_IF" | sed 's/^/#   first PF: /'
ip link show "$PF2_IF" | sed 's/^/#   second PF: /'
mac1=$(vf_mac $U2)
check "the destination PF gave its VF the guest's MAC ($mac0 / $mac1)" \
	test -n "$mac0" -a "$mac0" != 00:00:00:00:00:00 -a "$mac1" = "$mac0"
echo "$view0" | sed 's/^/#   source VF: /'
check "the destination PF shows its VF as the source PF showed the source's" \
	same_view "$view0" "$(vf_view $U2)"
check "destination driver: RUNNING" wait_for 30 sh -c "grep -q '^state RUNNING' $MDEV_DBG/$U2/migration"
rx_tail_view dst $U2

# go: L2 stops pinging and starts the verified transfers
check "peer tells L2 to go on" l2_go
check "L2 finishes its traffic on the destination" \
	wait_for 900 grep -q 'L2-TRAFFIC-DONE\|L2-RESULT' /results/mpf-dst.log
grep 'L2-PING\|L2-DMESG-END' /results/mpf-dst.log | sed 's/^/#   /'
# L2's console: the part before the migration is in the source's file
cat /results/mpf-src.log /results/mpf-dst.log > /results/mpf-l2.log
l2_traffic_check mpf /results/mpf-l2.log
# the destination's trap counts per packet, in both directions: none on
# the Rx tail page with a consumer, fewer than one per MDEV_PKTS_PER_RXT
# packets without
mdev_traps_steady mpf $U2

# MIG_ROUNDS=0: the first migration, its verified traffic, and no more
if [ "${MIG_ROUNDS:-4}" = 0 ]; then
	check "iavf in L2 got no error from the PF" sh -c "! grep -a 'PF returned error' /results/mpf-dst.log"
	check "iavf in L2 saw no VF reset it did not ask for" sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' /results/mpf-dst.log"
	quit_qemu dst $DST
	check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
	check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
	check_dmesg_clean
	done_testing
fi

# 2. The guest keeps configuring the migrated VF: a new MAC and a VLAN
# (through the VSI id alias), a new MTU and queue count (iavf resets the
# VF for each), and the peer still answers
check "L2 reconfigures the migrated VF" wait_for 300 grep -aq 'L2-CFG-DONE' /results/mpf-dst.log
grep -a 'L2-CFG\|L2-DMESG-CFG' /results/mpf-dst.log | sed 's/^/#   /'
check "L2 changed its MAC on the migrated VF" grep -aq 'L2-CFG mac 0' /results/mpf-dst.log
check "L2 added a VLAN on the migrated VF" grep -aq 'L2-CFG vlan 0' /results/mpf-dst.log
check "L2 pings the peer over VLAN 5" wait_for 60 more_vreplies dst 1
check "L2 changed the MTU (a VF reset)" grep -aq 'L2-CFG mtu 0' /results/mpf-dst.log
# iavf's MTU change may return before its reset is over (iavf_wait_for_reset
# in Linux 6.12 can see neither RESET_NEEDED nor RESET_PENDING in the reset
# task's first steps), and a queue-count change during that reset races
# with it: iavf then requests its Tx/Rx irq while it still holds it
# ("genirq: Flags mismatch", "Reset task did not complete").  The guest
# waits for the link to come back up (iavf's report after a reset) before
# the queue count changes.
check "L2 saw the link up again after the MTU's reset" \
	grep -aq 'L2-CFG mtu-reset-done 1' /results/mpf-dst.log
# (ethtool's status is printed, not checked: iavf gives up waiting for its
# reset after 5 s and says so, which the debug L1 can exceed)
check "L2 changed the queue count from 1 to 2 (a VF reset)" \
	grep -aq 'L2-CFG combined 2' /results/mpf-dst.log
check "L2 pings the peer after reconfiguring" wait_for 60 more_replies dst 3
# From here on to the end, the sustained streams and the guest memory
# verifier run (mdev-lib.sh): the cancels, refusals and round trips below
# happen under them
sus_peer_start

# corrupted - a migration from dst to a new QEMU fx on U1 through a
# channel that flips one bit of the device state (tests/vm/mig-flip.py:
# the first byte of the stream header's type name); the destination's
# driver rejects the stream and says why (kernel log, debugfs), the
# migration fails, L2 runs on in the source and U1 opens again
corrupted() {
	local n pid fpid r0
	incoming fx $U1
	pid=$!
	r0=$(mig_stat $U1 rejected)
	python3 "$TOP/tests/vm/mig-flip.py" /tmp/fx-flip.sock /tmp/fx.sock 40 > /results/mig-flip.out 2>&1 &
	fpid=$!
	check "fx: the corrupting channel listens" wait_for 30 test -S /tmp/fx-flip.sock
	n=$(replies dst)
	MIG_WAIT_S=120 migrate dst fx /tmp/fx-flip.sock
	check "dst -> fx: failed, the device state corrupted on its way ($status; $(cat /results/mig-flip.out))" \
		sh -c "[ '$status' = failed ] && grep -q '^FLIPPED' /results/mig-flip.out"
	[ "$status" = failed ] || qemu_stuck "$DST" $U2 $U1
	check "fx: the destination's driver rejected the stream and said why ($(sed -n 's/^last_error //p' "$MDEV_DBG/$U1/migration"))" \
		sh -c "[ $(mig_stat $U1 rejected) = $((r0 + 1)) ] && dmesg | grep -q 'migration stream rejected'"
	wait_for 60 gone "$pid" || kill -KILL "$pid"
	kill "$fpid" 2>/dev/null	# (a channel no QEMU connected to)
	wait "$pid" "$fpid" 2>/dev/null
	qmp dst '{"execute":"cont"}' > /dev/null
	check "L2 runs on in the source after the corrupted migration" \
		wait_for 60 more_replies dst $((n + 5))
	check "the source driver is RUNNING" \
		wait_for 30 grep -q '^state RUNNING' "$MDEV_DBG/$U2/migration"
	check "fx: its mdev opens again" "$MDEV_VFIO" open "/sys/bus/mdev/devices/$U1"
}

# 3. Cancelled migrations, one whose destination QEMU is killed, and one
# whose device state is corrupted on its way: L2 runs on in the source
# each time
cancel_in precopy
cancel_in switchover
killed_destination
corrupted

# MIG_ROUNDS=1: the first migration only (the PF side is the same for
# every front end; mig-pf-v1 runs the rest)
if [ "${MIG_ROUNDS:-4}" = 1 ]; then
	check "iavf in L2 got no error from the PF" sh -c "! grep -a 'PF returned error' /results/mpf-dst.log"
	check "iavf in L2 saw no VF reset it did not ask for" sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' /results/mpf-dst.log"
	[ "${MIG_REMOVE_DEST:-}" = yes ] && removed_destination
	[ "${MIG_RESETS:-}" = yes ] && reset_in_precopy
	from=dst from_pid=$DST from_uuid=$U2
	if [ "${MIG_PF_GONE:-}" = yes ]; then
		pf_gone_destination
		pf_gone_source
		from=ps from_pid=$PS from_uuid=$U1
	fi
	[ "${MIG_RESETS:-}" = yes ] &&
		reset_in_resuming $from $from_uuid "$(other_of $from_uuid)"
	logs=()
	for q in dst ps; do
		[ -f "/results/mpf-$q.log" ] && logs+=("/results/mpf-$q.log")
	done
	sus_stop "${logs[@]}"
	killed_source $from $from_pid $from_uuid "$(other_of $from_uuid)"
	check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
	check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
	check_dmesg_clean
	done_testing
fi

# 4. Refusals: the destination refuses the state, names the difference
# in the kernel log, and L2 runs on in the source.
# refused NAME UUID MESSAGE - a migration from dst to a new QEMU NAME on
# the mdev UUID that must fail, and the kernel log line it must leave
refused() {
	local n pid
	incoming "$1" "$2"
	pid=$!
	n=$(replies dst)
	migrate dst "$1"
	check "dst -> $1: refused (status: $status)" test "$status" != completed
	check "the destination named the difference ($3)" dmesg_has "$3"
	wait $pid 2>/dev/null
	qmp dst '{"execute":"cont"}' > /dev/null
	check "L2 runs on in the source after the refusal" \
		wait_for 60 more_replies dst $((n + 5))
}
# The first PF's host administrator trusts VF 0, the second's does not
# trust VF 1.
check "host admin: VF 0 of the first PF trusted" ip link set "$PF_IF" vf 0 trust on
refused trusted $U1 "VF 0: trust differs from the source"
check "host admin: VF 0 of the first PF not trusted" ip link set "$PF_IF" vf 0 trust off
# VF 1 of the first PF with 2 queue pairs: asked for by a VF driver (the
# test program, through vfio-pci) before its mdev is created
VFQ=$(xl710_vf_bdf 1)
fewer_queues() {
	local out
	pci_bind "$VFQ" vfio-pci || return 1
	out=$("$(test_prog xl710-vfio)" queues "$VFQ" 2) || return 1
	echo "# $VFQ: $out"
	[ "$out" = "QUEUES before=4 after=2" ] &&
		mdev_bind "$VFQ" && mdev_create "$VFQ" $U3
}
check "mdev on VF 1 of the first PF, which has 2 queue pairs" fewer_queues
refused fewerq $U3 "source VF has 4 queue pairs, this VF 2"
check "remove the mdev with 2 queue pairs" mdev_remove $U3

# 5. Round trips between the PFs: back to U1, and on until the guest has
# made three (the first migration included; the last after the fault of
# 6).  After each migration the
# destination loaded the state the source saved (length and CRC-32), its
# PF shows its VF as the source PF showed the source's (the VLAN 5 filter
# comes from the replay only, and is in the compared filter list), L2
# pings the peer, plain and over VLAN 5, and the sustained streams and
# the memory verifier went on.
# round TO [pfr] - one migration from $from to a new QEMU TO on the other
# mdev; with pfr, the source's PF reset in its pre-copy (pfr_in_precopy)
round() {
	local to=$1 to_uuid to_pid view snap
	to_uuid=$(other_of "$from_uuid")
	incoming "$to" $to_uuid
	to_pid=$!
	snap=$(sus_snap "/results/mpf-$from.log")
	if [ "${2:-}" = pfr ]; then
		pfr_in_precopy "$to"
	else
		view=$(vf_view $from_uuid)
		migrate "$from" "$to"
	fi
	check "$from -> $to: migration completed (status: $status)" test "$status" = completed
	echo "# device state: $(mig_stat $from_uuid saved_len) bytes, 2 queue pairs in use"
	check "$to: the destination loaded the state the source saved ($(loaded_state $to_uuid))" \
		test "$(loaded_state $to_uuid)" = "$(saved_state $from_uuid)"
	quit_qemu "$from" "$from_pid"
	check "$to: the destination PF shows its VF as the source PF showed the source's" \
		same_view "$view" "$(vf_view $to_uuid)"
	rx_tail_view "$to" $to_uuid
	check "$to: L2 pings the peer" wait_for 120 more_replies "$to" 3
	check "$to: L2 pings the peer over VLAN 5" wait_for 60 more_vreplies "$to" 1
	sus_check "$to" "/results/mpf-$to.log" "$snap"
	from=$to from_pid=$to_pid from_uuid=$to_uuid
}
from=dst from_pid=$DST from_uuid=$U2
for to in r2 r3 r4 r5; do
	round $to
done
logs=()
for q in src dst r2 r3 r4 r5; do logs+=("/results/mpf-$q.log"); done
cat "${logs[@]}" > /results/mpf-all.log
grep 'L2-HB' /results/mpf-$from.log | tail -n 2 | sed 's/^/#   /'
check "iavf in L2 got no error from the PF" sh -c "! grep -a 'PF returned error' /results/mpf-all.log"
check "iavf in L2 saw no VF reset it did not ask for" sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' /results/mpf-all.log"

# 6. Faults.  While the VF runs: the host resets it under the VM (an FLR
# through sysfs), then its PF; iavf in L2 sees each reset and recovers,
# and the VM migrates on (r6, the last of the three round trips) with the
# checks of every round, its PF reset once more in pre-copy.  Then a last
# migration paused before switchover (the source's device in STOP_COPY,
# the destination's in RESUMING) whose source QEMU is killed.
# reset_under WHAT CMD - the host runs CMD, a reset under the running VM:
# iavf in L2 sees it and recovers, L2 pings the peer again
reset_under() {
	local r l
	r=$(resets_seen $from) l=$(links_up $from)
	check "$from: the host resets the $1 under the running VM" sh -c "$2"
	recovered $from "$r" "$l"
}
reset_under "VF (FLR through sysfs)" "echo 1 > /sys/bus/pci/devices/$(vf_of $from_uuid)/reset"
reset_under "PF (i40e's debugfs pfr)" "echo pfr > /sys/kernel/debug/i40e/$(pf_of $from_uuid)/command"
# pfr_in_precopy TO - for round: the migration of L2 from $from to the
# QEMU TO (waiting), held in pre-copy; the host resets the source's PF.
# Its VF's reset is like one its guest asks for (an MTU change): iavf in
# L2 sees it and recovers, and the save goes on, the device's state being
# taken in STOP_COPY (only a reset through PCI, an FLR, starts migration
# over: reset_in_precopy).  Once L2 pings again, round's view of the
# source VF is taken and the migration let go.
pfr_in_precopy() {
	local r l saved e
	r=$(resets_seen $from) l=$(links_up $from)
	mig_begin $from "$1" 300 1048576
	mig_wait $from 120 active completed failed cancelled
	check "$from -> $1: the migration is active ($status)" test "$status" = active
	check "$from: the source's device is PRE_COPY" \
		wait_for 30 grep -q '^state PRE_COPY' "$MDEV_DBG/$from_uuid/migration"
	saved=$(mig_stat $from_uuid saved) e=$(mig_stat $from_uuid resets)
	check "$from: the host resets the source's PF (i40e's debugfs pfr) in PRE_COPY" \
		sh -c "echo pfr > /sys/kernel/debug/i40e/$(pf_of $from_uuid)/command"
	recovered $from "$r" "$l"
	check "$from: the save goes on, in PRE_COPY, the engine not reset" sh -c \
		"grep -q '^state PRE_COPY' $MDEV_DBG/$from_uuid/migration && [ $(mig_stat $from_uuid resets) = $e ]"
	view=$(vf_view $from_uuid)
	mig_let_go $from
	mig_wait $from "${MIG_WAIT_S:-900}" completed failed cancelled
	check "$from: the state was saved after the reset" \
		test "$(mig_stat $from_uuid saved)" = $((saved + 1))
}
grep -a 'L2-DMESG' "/results/mpf-$from.log" | tail -n 8 | sed 's/^/#   /'
round r6 pfr
sus_stop /results/mpf-{src,dst,r2,r3,r4,r5,r6}.log
killed_source $from $from_pid $from_uuid "$(other_of "$from_uuid")"
for q in src dst trusted fewerq r2 r3 r4 r5 r6 kx ks; do
	sed "s/^/#   $q qemu| /" "/results/mpf-$q.qemu.log" | tail -n 3
done

# 7. Migration off, the operator's choice (Documentation/admin-guide.rst):
# an mdev that mdevctl defines with the attribute migration=off, on VF 0
# of the second PF, is plain passthrough: no migration capability (v2 or
# v1), no trapped tail page, no re-evaluation IRQ, and QEMU asked to
# migrate it reports its blocker; the attribute cannot change while the
# device is open, and the next mdev on the VF starts with migration on.
U4=5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3b04
VF4=$(xl710_vf_bdf 0 "$XL710_PF2")
M4=/sys/bus/mdev/devices/$U4
check "bind $VF4 (second PF, VF 0) to $MDEV_DRV" mdev_bind "$VF4"
check "mdevctl defines an mdev on $VF4 with migration=off and starts it" sh -c \
	"mdevctl define -u $U4 -p $VF4 -t $MDEV_TYPE &&
	 mdevctl modify -u $U4 --addattr migration --value off &&
	 mdevctl start -u $U4"
check "its migration attribute reads off" grep -qx off "$M4/migration"
check "migration off: no migration capability, no v1 region, no tail page trapped, no re-evaluation IRQ" sh -c \
	"'$MDEV_VFIO' info $M4 > /tmp/off-info.txt &&
	 grep -q '^MIGRATION ENOTTY' /tmp/off-info.txt && grep -q '^MIGRATION-V1 no' /tmp/off-info.txt &&
	 ! grep -q '^trapped 0x2000-' $MDEV_DBG/$U4/traps && grep -qx 'offered no' $MDEV_DBG/$U4/reeval"
grep -E 'MIGRATION|SPARSE' /tmp/off-info.txt | sed 's/^/#   /'
check "QEMU starts with the device, paused" \
	blocker_start mpf-off "vfio-pci,sysfsdev=$M4${MIG_DEVOPT:+,$MIG_DEVOPT}"
check "the attribute cannot change while QEMU has the device open" \
	sh -c "! echo on > $M4/migration && grep -qx off $M4/migration"
blocker_errors mpf-off > /tmp/off.out
sed 's/^/#   qemu| /' /tmp/off.out
check "QEMU reports its migration blocker" grep -q "doesn't support migration" /tmp/off.out
blocker_quit mpf-off
check "bad values for the attribute are refused" \
	sh -c "! echo maybe > $M4/migration && ! echo > $M4/migration && grep -qx off $M4/migration"
check "mdevctl stops and undefines it" sh -c "mdevctl stop -u $U4 && mdevctl undefine -u $U4"
next_mdev_on() {
	mdev_create "$VF4" $U4 && grep -qx on "$M4/migration" &&
		grep -q '^trapped 0x2000-0x2fff' "$MDEV_DBG/$U4/traps" && mdev_remove $U4
}
check "the next mdev on $VF4 offers migration again" next_mdev_on
check "remove both mdevs" sh -c "echo 1 > /sys/bus/mdev/devices/$U1/remove && echo 1 > /sys/bus/mdev/devices/$U2/remove"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
