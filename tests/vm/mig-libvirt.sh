# SPDX-License-Identifier: GPL-2.0
# Live migration as operators run it, sourced by tests/vm/cases/
# mig-libvirt11.sh (libvirt 11.3, QEMU 10.0), mig-libvirt9.sh (libvirt
# 9.0, QEMU 7.2) and mig-libvirt-soak.sh, which set LV_STACK (the stack),
# LV_PROP (the vfio-pci property that asks QEMU to migrate the device:
# "NAME TYPE VALUE" for <qemu:override>) and LV_MACHINE (the machine type
# libvirt gives "q35"), and may set:
#   LV_MIGRATIONS=N  migrations in all, host a to b and back, N even (2)
#   LV_ABORT=yes     first a migration aborted in pre-copy (virsh
#                    domjobabort)
#   LV_KILL_DEST=yes then one whose destination QEMU is killed while its
#                    device is RESUMING
#   LV_RESET_DEST=yes then one whose destination PF the host resets
#                    (i40e's debugfs pfr) while the device is RESUMING
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
#   virsh on host a is the client of both daemons throughout.
#   After every migration: the domain runs on the destination and is
#   persistent there, its mdev is open, and its driver loaded the device
#   state the source's saved (length and CRC32) and runs; the
#   destination's PF shows the VF as the source's PF showed it; the
#   source has no domain left, its mdev is closed and opens again, and
#   its driver saved the state once more and runs; L2 answers its
#   heartbeat pings.
#   After the first, on host b, L2 passes the verified traffic of
#   l2_traffic_start with host a's peer across the link; from then on it
#   runs the sustained traffic of mdev-lib.sh (two UDP streams, each frame
#   checked byte for byte, peer -> L2 and L2 -> peer) and the guest memory
#   verifier, which go on across every later migration with nothing wrong.
#   The second goes back to another mdev on host a's VF, as OpenStack
#   Nova moves mediated devices: host a stops its defined mdev and starts
#   one with another UUID, and the domain's XML rewritten for it goes with
#   --xml and --persistent-xml; every migration to host a is made with
#   --parallel (multifd; on a 10.0 machine type QEMU 10 sends the device
#   state over the parallel connections too, which host b, the source,
#   sees in QEMU's trace), and every later one to
#   host b with --xml naming host b's mdev.  At the end iavf in L2 saw no
#   VF reset it did not ask for, the streams end with no frame wrong or
#   given up, and both hosts end with the domain destroyed, the mdevs
#   stopped and undefined, the driver unloaded and a clean kernel log.
# L2's console is a file in the hosts' shared directory, to which each
# host's QEMU appends in turn.

check_stack "$LV_STACK"
U=6a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a21
U2=6a0e1f2b-3c4d-4e5f-9a6b-7c8d9e0f1a22
DOM=l2mig
VF_MAC=52:54:00:aa:00:45
H=$I40EVFM_HOST
O=$(pair_other)
THERE=qemu+tcp://$(pair_ip "$O")/system
CON=$PAIR/l2mig-console.log
INITRD=$PAIR/l2mig.cpio.gz
QLOG=/var/log/libvirt/qemu/$DOM.log
N=${LV_MIGRATIONS:-2}
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
# drv_state UUID - the mdev's migration state in its driver
drv_state() { sed -n 's/^state //p' "$MDEV_DBG/$1/migration"; }
# drv_in UUID PATTERN - the driver's migration state matches the glob
# shellcheck disable=SC2053
drv_in() { [[ $(drv_state "$1") == $2 ]]; }
# no_domains - libvirt here has no domain, running or defined
no_domains() { [ -z "$(virsh list --all --name | tr -d '[:space:]')" ]; }
# job_runs URI - the domain's migration job runs at URI's libvirtd
job_runs() { virsh -c "$1" domjobinfo "$DOM" 2>/dev/null | grep -q 'Job type: *Unbounded'; }
# runs_at URI - the domain runs at URI's libvirtd
runs_at() { virsh -c "$1" domstate "$DOM" 2>/dev/null | grep -q running; }
# view - this PF's view of its VF 0 (pf_vf_view)
view() { pf_vf_view "$PF_IF" "$XL710_PF" 0; }
# left_here WHAT UUID SAVED - the VM has left this host: no domain is
# left (--undefinesource), the mdev UUID is closed and can be opened
# again, and the driver saved the device state once more than SAVED
# times and runs again; the state's length and CRC32 go to
# $PAIR/HOST.saved for the destination
left_here() {
	check "$1: no domain left here (--undefinesource)" wait_for 30 no_domains
	check "$1: the mdev here is closed and still there" \
		wait_for 30 "$MDEV_VFIO" open "/sys/bus/mdev/devices/$2"
	check "$1: the driver here saved the device state and runs again ($(drv_state "$2"), saved $3 -> $(mig_stat "$2" saved))" \
		sh -c "[ '$(drv_state "$2")' = RUNNING ] && [ '$(mig_stat "$2" saved)' = $(($3 + 1)) ]"
	saved_state "$2" > "$PAIR/$H.saved"
}
# arrived_here WHAT UUID - the VM runs here: the domain runs and is
# persistent, the mdev UUID is open, and the driver loaded the state the
# other host's saved and runs; this PF shows its VF as the other host's
# PF showed the source's ($PAIR/OTHER.view)
arrived_here() {
	check "$1: the domain runs here" runs_at qemu:///system
	check "$1: and is persistent here (--persistent)" \
		sh -c "virsh dominfo $DOM | grep -q '^Persistent: *yes'"
	check "$1: the mdev here is open (a second open fails)" \
		sh -c "! '$MDEV_VFIO' open /sys/bus/mdev/devices/$2"
	check "$1: the driver here loaded the device state host $O's saved ($(loaded_state "$2") / $(cat "$PAIR/$O.saved")) and runs ($(drv_state "$2"))" \
		sh -c "[ '$(loaded_state "$2")' = '$(cat "$PAIR/$O.saved")' ] && [ '$(drv_state "$2")' = RUNNING ]"
	check "$1: this PF shows its VF as host $O's PF showed the source's" \
		same_view "$(cat "$PAIR/$O.view")" "$(view)"
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
# xml_for URI UUID - the domain's live and persistent XML at URI
# (--migratable), rewritten for the mdev UUID, in /tmp/mig.xml and
# /tmp/mig-persistent.xml: virsh migrate's --xml and --persistent-xml
xml_for() {
	virsh -c "$1" dumpxml --migratable $DOM | sed "s/$U2\|$U/$2/" > /tmp/mig.xml &&
		virsh -c "$1" dumpxml --inactive --migratable $DOM |
		sed "s/$U2\|$U/$2/" > /tmp/mig-persistent.xml &&
		grep -q "address uuid='$2'" /tmp/mig.xml &&
		grep -q "address uuid='$2'" /tmp/mig-persistent.xml
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
check "an even number of migrations ($N): the VM ends on host a" test $((N % 2)) = 0 -a "$N" -gt 0
[ "$FAILED" = 0 ] || gave_up
pair_say ready
check "host $O is ready" pair_wait ready 300
[ "$FAILED" = 0 ] || gave_up

if [ "$H" = b ]; then
	# The destination of the odd migrations, the source of the even ones
	if [ "${LV_ABORT:-}" = yes ]; then
		check "host a aborted a migration to here in pre-copy" pair_wait aborted 900
		check "no domain left here after the abort" wait_for 30 no_domains
		check "the mdev here is closed and still there after the abort" \
			wait_for 30 "$MDEV_VFIO" open "/sys/bus/mdev/devices/$U"
		check "the driver here is RUNNING after the abort ($(drv_state "$U"))" \
			test "$(drv_state "$U")" = RUNNING
		pair_say abort-checked
	fi
	# fault_here TAG DONE SECS WHAT CMD... - host a's migration here for
	# the fault TAG (dest_fault there): once the device is RESUMING, CMD
	# (WHAT), then DONE to host a; once host a saw the migration fail,
	# no domain left here (SECS tries), the mdev closed and usable, the
	# driver RUNNING.  The caller says TAG-b-checked after its own checks.
	fault_here() {
		local tag=$1 done=$2 secs=$3 what=$4
		shift 4
		check "host a migrates the VM here, for the $tag" pair_wait "$tag-dest" 900
		check "the driver here is RESUMING: the state comes in" wait_for 120 drv_in "$U" RESUMING
		check "$what" "$@"
		pair_say "$done"
		check "host a saw the migration fail" pair_wait "$tag-checked" 300
		check "no domain left here after the $tag" wait_for "$secs" no_domains
		check "the mdev here is closed and opens again" \
			wait_for 30 "$MDEV_VFIO" open "/sys/bus/mdev/devices/$U"
		check "the driver here is RUNNING again ($(drv_state "$U"))" wait_for 30 drv_in "$U" RUNNING
	}
	# kill_qemu_here - SIGKILL to the domain's QEMU here
	kill_qemu_here() {
		local pid
		pid=$(pgrep -f "guest=$DOM,") || return 1
		echo "# the destination QEMU here: pid $pid"
		kill -KILL "$pid"
	}
	if [ "${LV_KILL_DEST:-}" = yes ]; then
		fault_here kill killed 30 "the destination QEMU here killed in RESUMING" kill_qemu_here
		pair_say kill-b-checked
	fi
	if [ "${LV_RESET_DEST:-}" = yes ]; then
		fault_here reset reset 60 "the host resets the PF here in RESUMING (i40e's debugfs pfr)" \
			sh -c "echo pfr > /sys/kernel/debug/i40e/$XL710_PF/command"
		check "the driver here refused the state as it came, before the switchover" \
			sh -c "dmesg | grep -q 'RESUMING: the VF was reset during migration, its state is lost: stream refused'"
		pair_say reset-b-checked
	fi
	for ((i = 1; i <= N; i++)); do
		if ((i % 2)); then
			pair_wait moved-$i 900 || { not_ok "migration $i: host a migrated the VM here"; gave_up; }
			arrived_here "migration $i" "$U"
		else
			check "migration $i: host a asks for the VM" pair_wait go-$i 300
			saved=$(mig_stat "$U" saved)
			view > "$PAIR/b.view"
			# With --parallel on a 10.0 machine type, QEMU 10 sends
			# the device's state over the multifd channels, from
			# its own thread: that thread's first trace event
			mt=$(grep -c 'vfio_save_complete_precopy_thread_start' "$QLOG")
			[ "$LV_STACK" = modern ] &&
				check "migration $i: QEMU's trace of its multifd device-state sender on" \
					virsh qemu-monitor-command $DOM \
					'{"execute":"trace-event-set-state","arguments":{"name":"vfio_save_complete_precopy_thread_start","enable":true}}'
			pair_say ready-$i
			pair_wait moved-$i 900 || { not_ok "migration $i: host a migrated the VM back"; gave_up; }
			left_here "migration $i" "$U" "$saved"
			[ "$LV_STACK" = modern ] &&
				check "migration $i: QEMU sent the device's state over the multifd channels (its trace: $mt -> $(grep -c 'vfio_save_complete_precopy_thread_start' "$QLOG"))" \
					test "$(grep -c 'vfio_save_complete_precopy_thread_start' "$QLOG")" -gt "$mt"
		fi
		pair_say checked-$i
	done
	check "host a has finished" pair_wait finished 600
else
	# L2: iavf up and a ping, then a ping every 0.2 s across the first
	# migration until the peer says go, the verified transfers, then the
	# sustained traffic and a heartbeat (a ping of the peer and iavf's
	# new messages every half second) across the migrations that follow
	L2T_BYTES=1000000 L2T_UDP_COUNT=300
	l2_traffic_start lvm
	check "L2 script" l2_mig_pre_phase /tmp/lvm-l2.sh
	sed -i '/^echo "L2-TRAFFIC-DONE"$/{
i\
dmesg -c | grep -i iavf | sed "s/^/L2-DMESG-END /"
a\
sh /bin/l2sus.sh "$ifc"\
while true; do\
	ping -c 1 -W 1 10.0.0.1 | grep "bytes from" | sed "s/^/L2-HB /"\
	dmesg -c | grep -i iavf | sed "s/^/L2-DMESG /"\
	sleep 0.5\
done
}' /tmp/lvm-l2.sh
	read -ra sus_files <<< "$(sus_l2_files)"
	check "L2 initramfs in the shared directory" "$TOP/scripts/build-initrd.sh" \
		"$INITRD" "$TOP/tests/vm/l2-init" "$I40EVFM_L2_MODDIR" iavf -- \
		/tmp/lvm-l2.sh=/test.sh "${sus_files[@]}"
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
	sleep 3
	UA=$U

	# LV_ABORT=yes: first a migration that libvirt's job abort ends in
	# pre-copy (bandwidth held at 1 MiB/s, so RAM takes minutes): the
	# VM runs on here, and both drivers are back in RUNNING
	if [ "${LV_ABORT:-}" = yes ]; then
		virsh migrate --live --persistent --undefinesource --bandwidth 1 "$DOM" \
			"$THERE" --migrateuri "tcp://$(pair_ip b)" > /results/mig-abort.out 2>&1 &
		pid=$!
		check "the slow migration's job runs" wait_for 60 job_runs qemu:///system
		check "the driver here is saving, in pre-copy" wait_for 30 drv_in "$UA" '*PRE_COPY*'
		check "virsh domjobabort" virsh domjobabort "$DOM"
		wait "$pid"
		rc=$?
		check "virsh migrate failed, aborted ($(grep . /results/mig-abort.out | tail -n 1))" test "$rc" != 0
		check "the domain runs on here" runs_at qemu:///system
		check "the driver here is RUNNING after the abort" wait_for 30 drv_in "$UA" RUNNING
		pair_say aborted
		check "host b checked its side of the abort" pair_wait abort-checked 300
	fi
	# dest_fault TAG DONE WHY WHAT - a migration that host b makes fail
	# (pair words TAG-dest, then DONE from b once it did WHAT, then
	# TAG-checked and TAG-b-checked): virsh reports the failure (WHY),
	# the VM runs on here, and the driver here is back in RUNNING
	dest_fault() {
		pair_say "$1-dest"
		lv_migrate qemu:///system "$THERE" b "mig-$1"
		check "virsh migrate failed: $3 ($(grep . "/results/mig-$1.out" | tail -n 1))" \
			test "$LV_RC" != 0
		check "host b $4" pair_wait "$2" 10
		check "the domain runs on here" runs_at qemu:///system
		check "the driver here is RUNNING after the failed migration" wait_for 30 drv_in "$UA" RUNNING
		pair_say "$1-checked"
		check "host b checked its side of the $1" pair_wait "$1-b-checked" 300
	}
	# LV_KILL_DEST=yes: host b kills its QEMU while the device is RESUMING
	if [ "${LV_KILL_DEST:-}" = yes ]; then
		dest_fault kill killed "the destination QEMU was killed" "killed its QEMU"
	fi
	# LV_RESET_DEST=yes: host b resets its PF while the device is
	# RESUMING; the driver there refuses the rest of the state (the VF
	# lost what was loaded)
	if [ "${LV_RESET_DEST:-}" = yes ]; then
		dest_fault reset reset "the destination refused the state" "reset its PF"
	fi

	for ((i = 1; i <= N; i++)); do
		n=$(hb)
		if ((i % 2)); then
			# to host b; after the first, with the XML rewritten
			# for host b's mdev
			saved=$(mig_stat "$UA" saved)
			view > "$PAIR/a.view"
			[ "$i" = 1 ] && sed 's/^/#   source VF: /' "$PAIR/a.view"
			opts=()
			if [ "$UA" != "$U" ]; then
				check "migration $i: the XML for host b names the mdev $U" xml_for qemu:///system "$U"
				opts=(--xml /tmp/mig.xml --persistent-xml /tmp/mig-persistent.xml)
			fi
			snap=$(sus_snap "$CON")
			lv_migrate qemu:///system "$THERE" b mig-$i "${opts[@]}"
			check "migration $i: virsh migrate --live ${opts[*]:+--xml }to host b" test "$LV_RC" = 0
			check "migration $i: the domain runs on host b" runs_at "$THERE"
			left_here "migration $i" "$UA" "$saved"
			pair_say moved-$i
			check "migration $i: host b checked its side" pair_wait checked-$i 300
		else
			# back here, with --parallel; the second time to
			# another mdev on this VF, as OpenStack Nova moves
			# mediated devices
			pair_say go-$i
			check "migration $i: host b is ready" pair_wait ready-$i 300
			if [ "$i" = 2 ]; then
				check "mdevctl stop (the defined mdev stays defined)" mdevctl stop -u "$U"
				check "mdevctl start of another mdev on $VF" \
					mdevctl start -u "$U2" -p "$VF" -t "$MDEV_TYPE"
				UA=$U2
			fi
			check "migration $i: the XML for here names the mdev $UA" xml_for "$THERE" "$UA"
			check "migration $i: and the machine $LV_MACHINE" grep -q "machine='$LV_MACHINE'" /tmp/mig.xml
			snap=$(sus_snap "$CON")
			lv_migrate "$THERE" qemu:///system a mig-$i --xml /tmp/mig.xml \
				--persistent-xml /tmp/mig-persistent.xml --parallel --parallel-connections 2
			check "migration $i: virsh migrate --live --xml --parallel here, to the mdev $UA" test "$LV_RC" = 0
			check "migration $i: the domain's live and persistent definitions here name $UA" \
				sh -c "virsh dumpxml $DOM | grep -q \"address uuid='$UA'\" &&
				       virsh dumpxml --inactive $DOM | grep -q \"address uuid='$UA'\""
			pair_say moved-$i
			check "migration $i: host b checked its side" pair_wait checked-$i 300
			arrived_here "migration $i" "$UA"
		fi
		if [ "$i" = 1 ]; then
			check "peer tells L2 to go on" l2_go
			check "L2 finishes its traffic on host b" \
				wait_for 900 grep -q 'L2-TRAFFIC-DONE\|L2-RESULT' "$CON"
			grep -a 'L2-PING\|L2-DMESG' "$CON" | sed 's/^/#   /'
			l2_traffic_check lvm "$CON"
			check "L2's VF has the MAC both PFs set" grep -q "L2-MAC $VF_MAC" "$CON"
			sus_peer_start
		else
			sus_check "migration $i" "$CON" "$snap"
		fi
		check "migration $i: L2 answers its heartbeat pings ($n before)" wait_for 60 more_hb $((n + 3))
	done
	check "iavf in L2 saw no VF reset it did not ask for" \
		sh -c "! grep -aE 'L2-DMESG(-END)? .*[Rr]eset' '$CON'"
	sus_stop "$CON"
	# each migration's time and downtime (ms) by libvirt's job statistics
	for k in 'Time elapsed' 'Total downtime'; do
		grep -h "^$k:" /results/mig-[0-9]*.job 2>/dev/null | awk '{ print $(NF - 1) }' |
			sort -n | awk -v k="$k" '{ v[NR] = $1 } END { if (NR)
				printf "#   %s over %d migrations: min %d, median %d, max %d ms\n",
					k, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
	done

	check "virsh destroy" virsh destroy $DOM
	check "virsh undefine" virsh undefine $DOM
	check "the mdev is closed and still there" wait_for 30 "$MDEV_VFIO" open "/sys/bus/mdev/devices/$UA"
	[ "$UA" != "$U" ] && check "mdevctl stop of $UA" mdevctl stop -u "$UA"
	pair_say finished
fi

cp "$QLOG" "/results/libvirt-qemu.log" 2>/dev/null
[ "$H" = a ] && cp "$CON" /results/l2mig-console.log
[ "$H" = b ] && check "mdevctl stop" mdevctl stop -u "$U"
check "mdevctl undefine" mdevctl undefine -u "$U"
libvirt_stop
mdev_vf0_finish "/sys/bus/mdev/devices/$U"
