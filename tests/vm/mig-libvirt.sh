# SPDX-License-Identifier: GPL-2.0
# Live migration as operators run it, sourced by tests/vm/cases/
# mig-libvirt11.sh (libvirt 11.3, QEMU 10.0) and mig-libvirt9.sh (libvirt
# 9.0, QEMU 7.2), which set LV_STACK (the stack), LV_PROP (the vfio-pci
# property that asks QEMU to migrate the device: "NAME TYPE VALUE" for
# <qemu:override>) and LV_MACHINE (the machine type libvirt gives "q35");
# LV_ABORT=yes adds a migration aborted in pre-copy (virsh domjobabort)
# before the first one.
# Two hosts ("# hosts: 2": two L1s, each with its own XL710 model, on one
# segment); `virsh migrate --live` of a running VM with an i40e_vf_mdev
# device from host a to host b and back.
#   On both hosts: the patched i40e (PF services) gives VF0 the same
#   administrator MAC; mdevctl defines the mdev with the same UUID,
#   persistently and to start with its parent (--auto), and starts it;
#   libvirtd listens on TCP with a host UUID of its own.
#   Host a defines and starts the domain (mdev_libvirt_domain, with
#   LV_PROP: Debian's kernel cannot offer DMA logging, so the type1
#   container's dirty tracking is used), and once L2 pings the peer,
#   migrates it with
#     virsh migrate --live --persistent --undefinesource DOM \
#       qemu+tcp://HOST_B/system --migrateuri tcp://HOST_B
#   raising the downtime limit during the job (migrate-setmaxdowntime,
#   as OpenStack Nova does: a VM under TCG does not fit QEMU's 300 ms).
#   On host b the domain runs and is persistent, the mdev is open, the
#   driver loaded the device state host a's saved (length and CRC32) and
#   its PF shows the VF as host a's PF showed it; L2 then passes the
#   verified traffic of l2_traffic_start with host a's peer across the
#   link, and goes on pinging it.  The VM is migrated back (virsh on host
#   a as the client of both daemons) to another mdev on host a's VF, as
#   OpenStack Nova moves mediated devices: host a stops its defined mdev
#   and starts one with another UUID, and the domain's XML rewritten for
#   it goes with --xml and --persistent-xml; with --parallel (multifd; on
#   a 10.0 machine type QEMU 10 sends the device state over the parallel
#   connections too).  The driver there loaded the state host b's saved,
#   L2 pings on, and iavf saw no VF reset it did not ask for.  Host b's
#   mdev is closed and reusable, and both hosts end with the domain
#   destroyed, the mdevs stopped and undefined, the driver unloaded and a
#   clean kernel log.
# L2's console is a file in the hosts' shared directory, to which each
# host's QEMU appends in turn.

check_stack "$LV_STACK"
U=6a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a21
U2=6a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a22
M=/sys/bus/mdev/devices/$U
DOM=l2mig
VF_MAC=52:54:00:aa:00:45
H=$I40EVFM_HOST
O=$(pair_other)
THERE=qemu+tcp://$(pair_ip "$O")/system
CON=$PAIR/l2mig-console.log
INITRD=$PAIR/l2mig.cpio.gz
QLOG=/var/log/libvirt/qemu/$DOM.log
export LIBVIRT_DEFAULT_URI=qemu:///system

# gave_up - this host cannot go on: the other host stops waiting for it
gave_up() {
	pair_say gave-up
	libvirt_stop
	done_testing
}
# hb - L2's heartbeat replies so far; more_hb N - more than N
hb() { grep -ac 'L2-HB .*bytes from' "$CON" 2>/dev/null; }
more_hb() { [ "$(hb)" -gt "$1" ]; }
# drv_state UUID - the mdev's migration state in its driver;
# saved_state / loaded_state UUID - "LENGTH CRC32" of the device state the
# driver saved / loaded last for it
drv_state() { sed -n 's/^state //p' "$MDEV_DBG/$1/migration"; }
# drv_in UUID PATTERN - the driver's migration state matches the glob
# shellcheck disable=SC2053
drv_in() { [[ $(drv_state "$1") == $2 ]]; }
# no_domains - libvirt here has no domain, running or defined
no_domains() { [ -z "$(virsh list --all --name | tr -d '[:space:]')" ]; }
# job_runs URI - the domain's migration job runs at URI's libvirtd
job_runs() { virsh -c "$1" domjobinfo "$DOM" 2>/dev/null | grep -q 'Job type: *Unbounded'; }
saved_state() { echo "$(mig_stat "$1" saved_len) $(mig_stat "$1" saved_crc)"; }
loaded_state() { echo "$(mig_stat "$1" loaded_len) $(mig_stat "$1" loaded_crc)"; }
# left_here - the VM has left this host: no domain is left
# (--undefinesource), the mdev is closed and can be opened again, and the
# driver saved the device state once and runs again; the state's length
# and CRC32 go to $PAIR/HOST.saved for the destination
left_here() {
	check "no domain left here (--undefinesource)" no_domains
	check "the mdev here is closed and still there" wait_for 30 "$MDEV_VFIO" open "$M"
	check "the driver saved the device state and runs again ($(drv_state "$U"), $(mig_stat "$U" saved) saved)" \
		sh -c "[ '$(drv_state "$U")' = RUNNING ] && [ '$(mig_stat "$U" saved)' = 1 ]"
	saved_state "$U" > "$PAIR/$H.saved"
}
# lv_migrate FROM_URI TO_URI TO_HOST NAME [OPTION...] - virsh (the client
# of both daemons) migrates the domain live from FROM_URI to TO_URI, the
# stream going to TO_HOST's address, with virsh migrate's OPTIONs; once
# the job runs, the downtime limit is raised to 3 s; a migration still
# running after LV_MIG_TIMEOUT seconds (default 600; each took under a
# minute) is aborted (virsh domjobabort), so that a switchover that never
# comes fails the check rather than the whole run.  Sets LV_RC to virsh's
# exit status; virsh's output and the job's statistics on the destination
# go to /results/NAME.{out,job}.
lv_migrate() {
	local from=$1 to=$2 addr pid name=$4
	addr=$(pair_ip "$3")
	shift 4
	virsh -c "$from" migrate --live --persistent --undefinesource "$@" "$DOM" "$to" \
		--migrateuri "tcp://$addr" > "/results/$name.out" 2>&1 &
	pid=$!
	if wait_for 60 job_runs "$from"; then
		virsh -c "$from" migrate-setmaxdowntime "$DOM" 3000 >> "/results/$name.out" 2>&1 ||
			echo "# $name: migrate-setmaxdowntime failed"
	fi
	if ! wait_for "${LV_MIG_TIMEOUT:-600}" gone "$pid"; then
		echo "# $name: still migrating after ${LV_MIG_TIMEOUT:-600} s: aborted"
		virsh -c "$from" domjobinfo "$DOM" 2>&1 | sed "s/^/#   $name: /"
		virsh -c "$from" domjobabort "$DOM" >> "/results/$name.out" 2>&1
	fi
	wait "$pid"
	LV_RC=$?
	grep . "/results/$name.out" | sed "s/^/#   $name: /"
	virsh -c "$to" domjobinfo --completed "$DOM" > "/results/$name.job" 2>&1
	grep -E 'Time elapsed:|Total downtime|Memory processed|Memory bandwidth' "/results/$name.job" |
		sed "s/^/#   $name: /"
}

modprobe kvm_amd
check "own address $(pair_ip "$H") on the link" pair_net_up
[ "$H" = a ] && check "peer NIC in netns" setup_peer
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "i40e has the PF services for VF migration" i40e_has_mig_services
check "PF sets VF0's MAC $VF_MAC (the same on both hosts)" \
	ip link set "$PF_IF" vf 0 mac "$VF_MAC"
check "load $MDEV_DRV" mdev_load
check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
check "mdevctl define --auto (the same UUID on both hosts)" \
	mdevctl define --auto -u "$U" -p "$VF" -t "$MDEV_TYPE"
check "mdevctl start" mdevctl start -u "$U"
check "mdevctl lists it active and defined to start with its parent" \
	sh -c "mdevctl list | grep -q '^$U $VF $MDEV_TYPE' &&
	       mdevctl list --defined | grep -q '^$U $VF $MDEV_TYPE auto'"
check "libvirtd listens for migrations (host UUID of l1-$H)" \
	libvirt_start "7d3c5a10-1b2c-4d3e-8f40-00000000000$H"
[ "$FAILED" = 0 ] || gave_up
pair_say ready
check "host $O is ready" pair_wait ready 300
[ "$FAILED" = 0 ] || gave_up

if [ "$H" = b ]; then
	# The destination: checked while the VM runs here, and after it left
	if [ "${LV_ABORT:-}" = yes ]; then
		check "host a aborted a migration to here in pre-copy" pair_wait aborted 900
		check "no domain left here after the abort" wait_for 30 no_domains
		check "the mdev here is closed and still there after the abort" \
			wait_for 30 "$MDEV_VFIO" open "$M"
		check "the driver here is RUNNING after the abort ($(drv_state "$U"))" \
			test "$(drv_state "$U")" = RUNNING
		pair_say abort-checked
	fi
	check "host a migrated the VM here" pair_wait moved 900
	[ "$FAILED" = 0 ] || gave_up
	check "the domain runs here" sh -c "virsh domstate $DOM | grep -q running"
	check "and is persistent here (--persistent)" \
		sh -c "virsh dominfo $DOM | grep -q '^Persistent: *yes'"
	check "the mdev is open (a second open fails)" sh -c "! '$MDEV_VFIO' open '$M'"
	check "the driver loaded the device state host a's saved ($(loaded_state "$U") / $(cat "$PAIR/a.saved")) and runs ($(drv_state "$U"))" \
		sh -c "[ '$(loaded_state "$U")' = '$(cat "$PAIR/a.saved")' ] && [ '$(drv_state "$U")' = RUNNING ]"
	check "this PF shows its VF as host a's PF showed the source's" \
		same_view "$(cat "$PAIR/a.view")" "$(pf_vf_view "$PF_IF" "$XL710_PF" 0)"
	pair_say checked
	check "host a migrated the VM back" pair_wait back 900
	left_here
	pair_say checked-back
	check "host a has finished" pair_wait finished 600
else
	# L2: iavf up and a ping, then a ping every 0.2 s across the first
	# migration until the peer says go, the verified transfers, and a
	# heartbeat (a ping of the peer and iavf's new messages every half
	# second) across the migration back
	L2T_BYTES=1000000 L2T_UDP_COUNT=300
	l2_traffic_start lvm
	check "L2 script" l2_mig_pre_phase /tmp/lvm-l2.sh
	sed -i '/^echo "L2-TRAFFIC-DONE"$/{
i\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG-END /"
a\
while true; do\
	ping -c 1 -W 1 10.0.0.1 | grep "bytes from" | sed "s/^/L2-HB /"\
	dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"\
	sleep 0.5\
done
}' /tmp/lvm-l2.sh
	check "L2 initramfs in the shared directory" "$TOP/scripts/build-initrd.sh" \
		"$INITRD" "$TOP/tests/vm/l2-init" "$I40EVFM_L2_MODDIR" iavf -- \
		/tmp/lvm-l2.sh=/test.sh "$L2T_UDP_PROG=/bin/l2udp"
	rm -f "$CON"
	# shellcheck disable=SC2086 # NAME TYPE VALUE
	mdev_libvirt_domain $DOM "$U" "$INITRD" "$CON" $LV_PROP > /tmp/$DOM.xml
	check "virsh define" virsh define /tmp/$DOM.xml
	check "virsh start" virsh start $DOM
	read -r prop _ val <<< "$LV_PROP"
	check "QEMU was given $prop=$val" grep -qE "\"$prop\":\"?$val\"?|$prop=$val" "$QLOG"
	blk=$(virsh qemu-monitor-command $DOM '{"execute":"query-migrate"}' 2>&1 |
		grep -o '"blocked-reasons": *\[[^]]*\]')
	check "QEMU reports no migration blocker${blk:+ ($blk)}" test -z "$blk"
	check "L2 brings iavf up and pings the peer" \
		wait_for "$L2T_UDP_WAIT" grep -q 'L2-PRE-OK' "$CON"
	[ "$FAILED" = 0 ] || { virsh destroy $DOM; gave_up; }
	pf_vf_view "$PF_IF" "$XL710_PF" 0 > "$PAIR/a.view"
	sed 's/^/#   source VF: /' "$PAIR/a.view"
	sleep 3

	# LV_ABORT=yes: first a migration that libvirt's job abort ends in
	# pre-copy (bandwidth held at 1 MiB/s, so RAM takes minutes): the
	# VM runs on here, and both drivers are back in RUNNING
	if [ "${LV_ABORT:-}" = yes ]; then
		virsh migrate --live --persistent --undefinesource --bandwidth 1 "$DOM" \
			"$THERE" --migrateuri "tcp://$(pair_ip b)" > /results/mig-abort.out 2>&1 &
		pid=$!
		check "the slow migration's job runs" wait_for 60 job_runs qemu:///system
		check "the driver here is saving, in pre-copy" wait_for 30 drv_in "$U" '*PRE_COPY*'
		check "virsh domjobabort" virsh domjobabort "$DOM"
		wait "$pid"
		rc=$?
		check "virsh migrate failed, aborted ($(grep . /results/mig-abort.out | tail -n 1))" test "$rc" != 0
		check "the domain runs on here" sh -c "virsh domstate $DOM | grep -q running"
		check "the driver here is RUNNING after the abort" wait_for 30 drv_in "$U" RUNNING
		pair_say aborted
		check "host b checked its side of the abort" pair_wait abort-checked 300
	fi

	lv_migrate qemu:///system "$THERE" b mig-to-b
	check "virsh migrate --live to host b" test "$LV_RC" = 0
	check "the domain runs on host b" sh -c "virsh -c $THERE domstate $DOM | grep -q running"
	left_here
	pair_say moved
	check "host b checked its side" pair_wait checked 300

	check "peer tells L2 to go on" l2_go
	check "L2 finishes its traffic on host b" \
		wait_for 900 grep -q 'L2-TRAFFIC-DONE\|L2-RESULT' "$CON"
	grep -a 'L2-PING\|L2-DMESG' "$CON" | sed 's/^/#   /'
	l2_traffic_check lvm "$CON"
	check "L2's VF has the MAC both PFs set" grep -q "L2-MAC $VF_MAC" "$CON"
	n=$(hb)
	check "L2 on host b answers its heartbeat pings ($n so far)" wait_for 60 more_hb $((n + 3))

	# Back with another mdev here, as OpenStack Nova moves mediated
	# devices: the domain's XML rewritten for the destination (--xml,
	# --persistent-xml), and over parallel connections (multifd, and on
	# a 10.0 machine type QEMU sends the device state over them too)
	check "mdevctl stop (the defined mdev stays defined)" mdevctl stop -u "$U"
	check "mdevctl start of another mdev on $VF" mdevctl start -u "$U2" -p "$VF" -t "$MDEV_TYPE"
	virsh -c "$THERE" dumpxml --migratable $DOM | sed "s/$U/$U2/" > /tmp/back.xml
	virsh -c "$THERE" dumpxml --inactive --migratable $DOM | sed "s/$U/$U2/" > /tmp/back-persistent.xml
	check "the rewritten XML names the mdev $U2, machine $LV_MACHINE" \
		sh -c "grep -q \"address uuid='$U2'\" /tmp/back.xml && grep -q \"machine='$LV_MACHINE'\" /tmp/back.xml"
	lv_migrate "$THERE" qemu:///system a mig-to-a --xml /tmp/back.xml \
		--persistent-xml /tmp/back-persistent.xml --parallel --parallel-connections 2
	check "virsh migrate --live --xml --parallel back to host a, to the mdev $U2" test "$LV_RC" = 0
	check "the domain's live and persistent definitions here name $U2" \
		sh -c "virsh dumpxml $DOM | grep -q \"address uuid='$U2'\" &&
		       virsh dumpxml --inactive $DOM | grep -q \"address uuid='$U2'\""
	check "the domain runs here again" sh -c "virsh domstate $DOM | grep -q running"
	n=$(hb)
	check "L2 runs on here: heartbeat pings answered ($n so far)" wait_for 60 more_hb $((n + 3))
	check "iavf in L2 saw no VF reset it did not ask for" \
		sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' '$CON'"
	pair_say back
	check "host b checked its side" pair_wait checked-back 300
	check "the driver here loaded the device state host b saved ($(loaded_state "$U2") / $(cat "$PAIR/b.saved"))" \
		test "$(loaded_state "$U2")" = "$(cat "$PAIR/b.saved")"

	check "virsh destroy" virsh destroy $DOM
	check "virsh undefine" virsh undefine $DOM
	check "the mdev is closed and still there" wait_for 30 "$MDEV_VFIO" open "/sys/bus/mdev/devices/$U2"
	check "mdevctl stop of $U2" mdevctl stop -u "$U2"
	pair_say finished
fi

cp "$QLOG" "/results/libvirt-qemu.log" 2>/dev/null
[ "$H" = a ] && cp "$CON" /results/l2mig-console.log
[ "$H" = b ] && check "mdevctl stop" mdevctl stop -u "$U"
check "mdevctl undefine" mdevctl undefine -u "$U"
libvirt_stop
mdev_vf0_finish "$M"
