#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot L1 under the project's QEMU (TCG, emulated SVM, intel-iommu) and run
# one test script inside it.
#
#   run-l1.sh [--kernel stock|project|debug] [--timeout SECS] [--results DIR]
#             [--model] [--stack debian12|modern] [--interactive]
#             [--qemu-arg ARG]... TEST_SCRIPT
#
# TEST_SCRIPT is a path relative to the repository root, run by bash in L1
# with $TOP, $CACHE, $RESULTS (=/results, written back to the host) set.
#
# Exit status: 0 the test passed and its run shows no evidence against
# code under test; 1 the test failed (any crash, hang, kernel report,
# IOMMU fault, new model guest error or payload mismatch counts against
# code under test); 2 infrastructure failure, only for the recorded
# signatures of tests/vm/STABILITY.md (L1 never reached the test, a
# report while booting before any code under test was loaded, an L2
# triple fault with no other evidence): the caller may retry.  The
# verdict and its reason are in RESULTS/verdict.
#
# The test script's header gives the defaults: "# timeout: SECS" (else
# 600), "# machine: xl710" (as --model); and what the run is judged on:
# "# owns: REGEX" (reports the case is about), "# allow: REGEX" (kernel
# log lines it provokes on purpose) and "# allow-guest-errors: REGEX"
# (model guest errors it provokes on purpose).  --timeout and --model
# override the first two.
#
# The consumer stack in L1 (QEMU, libvirt) is the header's "# stack:
# NAME" or --stack NAME: debian12 (the default) is the host's own QEMU 7.2
# and libvirt 9.0; modern layers QEMU 10.0 and libvirt 11.3 from Debian's
# backports (scripts/build-modern-stack.sh) over L1's root
# (tests/vm/l1-init).  A case with "# needs: qemu10" (and the modern
# stack) also gets the project's build of the same QEMU 10
# (scripts/build-qemu10.sh: the consumer of the sparse mmap re-evaluation
# IRQ) as i40evfm.qemu10.
#
# --model adds the XL710 model (tests/model) behind its own root port
# (L1 BDF 0000:03:00.0, VFs from 03:00.1; with "# model-pfs: 2" a second
# one at 04:00.0) on the same hub as the e1000e peer, and a QMP connection to this QEMU that L1 can use: the virtio
# serial port "org.i40evfm.qmp" (/dev/vport*, see qmp_l1 in tests/vm/lib.sh)
# for reading the model's DMA ground truth.
#
# "# hosts: 2" boots two L1s side by side, hosts a and b, each its own
# machine with its own XL710 model (other MAC addresses on b), the same
# kernel and the same test script ($I40EVFM_HOST says which host runs
# it).  Their QEMU hubs are joined by a datagram link (-netdev dgram over
# two unix sockets), so the XL710 models, the e1000e peer of host a and
# both e1000e 01:00.0 (the hosts' own network: tests/vm/lib.sh
# pair_net_up) are on one Ethernet segment, and both mount a shared
# directory at /pair.  This script runs host a and starts itself for host
# b (--host b, results in RESULTS/b); when host a's L1 has ended it writes
# /pair/a-ended (so b stops waiting for a), waits for b, and the verdict
# counts both: a failure on either host is the run's.

. "$(dirname "$0")/../../scripts/lib.sh"

kernel=stock tmo='' results='' interactive=0 model=0 qemu_extra=() stack=''
host='' pairdir=''
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--host) host=$2; shift 2 ;;
	--pair) pairdir=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--model) model=1; shift ;;
	--stack) stack=$2; shift 2 ;;
	--qemu-arg) qemu_extra+=("$2"); shift 2 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
test=${1:-tests/vm/shell.sh}
[ -f "$TOP/$test" ] || die "no such test script: $test"
# header NAME - the value of the test script's "# NAME: value" line
header() { sed -n "s/^# $1: *//p" "$TOP/$test"; }
tmo=${tmo:-$(header timeout)}
tmo=${tmo:-600}
[ "$(header machine)" = xl710 ] && model=1
# "# model-props: PROP=VALUE[,...]": appended to the model's -device
# option, e.g. fault injection (tests/model/README.md)
model_props=$(header model-props)
# "# model-pfs: 2": a second XL710 model, another PF with its own switch
# and VFs (L1 BDF 0000:04:00.0), for migrations from one PF to another
model_pfs=$(header model-pfs)
case "${model_pfs:=1}" in
1|2) ;;
*) die "$test: model-pfs must be 1 or 2, not $model_pfs" ;;
esac
# "# hosts: 2": two L1s (see the top of this file)
hosts=$(header hosts)
case "${hosts:=1}" in
1) host='' ;;
2) host=${host:-a} ;;
*) die "$test: hosts must be 1 or 2, not $hosts" ;;
esac
case "$host" in
''|a) ;;
b) [ -n "$pairdir" ] || die "--host b needs --pair DIR" ;;
*) die "unknown host $host (a, b)" ;;
esac
stack=${stack:-$(header stack)}
qemu10=
case "${stack:=debian12}" in
debian12) stack_root= ;;
modern)
	stack_root=$("$TOP/scripts/build-modern-stack.sh")/root
	if header needs | grep -qw qemu10; then
		qemu10=$("$TOP/scripts/build-qemu10.sh")
	fi
	;;
*) die "unknown stack $stack (debian12, modern)" ;;
esac

qemu=${QEMU:-$("$TOP/scripts/build-qemu.sh")}
# Static test programs (tests/vm/progs): L1 sees them at the same path.
# Keyed by their sources, so work trees sharing the cache stay apart.
progs=$CACHE/progs/$(hash_inputs "$TOP/tests/vm/progs" "$TOP/samples" "$TOP/include")
make -s -C "$TOP/tests/vm/progs" OUT="$progs" >&2 ||
	die "building tests/vm/progs failed"

# Debian's kernel: L1's on stock, L2's under the debug kernel (below).
deb_bzimage=/boot/vmlinuz-$DEB_KVER deb_moddir=/lib/modules/$DEB_KVER
case "$kernel" in stock|debug)
	[ -f "$deb_bzimage" ] || die "$deb_bzimage missing (run scripts/setup-host.sh)" ;;
esac
case "$kernel" in
stock)
	krel=$DEB_KVER
	bzimage=$deb_bzimage
	moddir=$deb_moddir
	bind_moddir=
	;;
project|debug)
	kout=$("$TOP/scripts/build-kernel.sh" "$kernel")
	krel=$(cat "$kout/release")
	bzimage=$kout/bzImage
	moddir=$kout/modroot/lib/modules/$krel
	bind_moddir=$moddir
	;;
*) die "unknown kernel $kernel" ;;
esac
# L2's kernel.  The debug kernel's checkers watch L1, where the mdev, vfio
# and i40e run; L2 is the VM's guest (iavf) and boots Debian's kernel, as
# under the stock L1: a debug L2 under L1's KVM, itself under TCG, spends
# minutes in early boot (every console byte is an exit through the
# instrumented L1), and so only one kernel is built for the suite.
l2_bzimage= l2_moddir=
if [ "$kernel" = debug ]; then
	l2_bzimage=$deb_bzimage
	l2_moddir=$deb_moddir
fi

initrd=$CACHE/initrd/l1-$kernel-$(hash_inputs "$TOP/tests/vm/l1-init" \
	"$TOP/scripts/build-initrd.sh" "$moddir/modules.dep").cpio.gz
if [ ! -f "$initrd" ]; then
	mkdir -p "$CACHE/initrd"
	"$TOP/scripts/build-initrd.sh" "$initrd" "$TOP/tests/vm/l1-init" "$moddir" \
		virtio_pci 9pnet_virtio 9p overlay
fi

# What every L2 initramfs shares (busybox, the modules an L2 loads) for
# Debian's kernel, which L2 boots under the stock and the debug L1: made
# here once, where it takes a second; scripts/build-initrd.sh in L1 then
# only adds the case's part ($INITRD_BASE).
l2base=''
if [ "$kernel" != project ]; then
	l2base=$CACHE/initrd/l2base-$(hash_inputs "$TOP/scripts/build-initrd.sh" \
		"$deb_moddir/modules.dep" /bin/busybox).cpio.gz
	if [ ! -f "$l2base.manifest" ]; then
		mkdir -p "$CACHE/initrd"
		"$TOP/scripts/build-initrd.sh" --base "$l2base" "$deb_moddir" \
			e1000e iavf 8021q || die "building the L2 initramfs base failed"
	fi
fi

if [ -z "$results" ]; then
	results=$(mktemp -d "$CACHE/runs/$(basename "$test" .sh).XXXX" 2>/dev/null ||
		{ mkdir -p "$CACHE/runs"; mktemp -d "$CACHE/runs/$(basename "$test" .sh).XXXX"; })
fi
mkdir -p "$results"
rm -f "$results"/{rc,verdict,test.log,test.timed,dmesg.log,dmesg.boot,boot-report,hang-report,watchdog,console.log,qemu.log}
rm -f "$results"/*-l2.log
if [ "$host" = a ]; then
	pairdir=$results/pair
	rm -rf "$pairdir" "$results/b" "$results/b.out"
	mkdir -p "$pairdir"
fi
modules=${MODULES:-$("$TOP/scripts/build-modules.sh" "$kernel")}
printf 'MODULES=%s\nPROGS=%s\n' "$modules" "$progs" > "$results/env"

# KASAN and kmemleak cost grows with memory: the debug kernel gets less.
mem=6G
[ "$kernel" = debug ] && mem=3G

# L1's hardware.  Two e1000e on one QEMU hub: 01:00.0 is handed to L2 by
# the nested-VFIO tests, 02:00.0 stays in L1 as the traffic peer.  Each sits
# behind its own root port (own IOMMU group; ACS).
# (host b's MAC addresses differ from host a's in their fifth byte)
mac5=00
[ "$host" = b ] && mac5=0b
machine=(
	-L /usr/share/seabios -L /usr/share/qemu
	-M q35,kernel-irqchip=split,dump-guest-core=off -accel tcg,thread=multi,tb-size=1024
	-cpu max -smp 2 -m "$mem"
	-device intel-iommu,intremap=on,caching-mode=on
	-device pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x10
	-device pcie-root-port,id=rp2,chassis=2,bus=pcie.0,addr=0x11
	-netdev hubport,id=hp1,hubid=0 -device "e1000e,bus=rp1,netdev=hp1,mac=52:54:00:12:$mac5:01,romfile="
	-netdev hubport,id=hp2,hubid=0 -device "e1000e,bus=rp2,netdev=hp2,mac=52:54:00:12:$mac5:02,romfile="
	-fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev local,id=results,path="$results",security_model=none,multidevs=remap
	-device virtio-9p-pci,fsdev=results,mount_tag=results
	-qmp unix:"$results/qmp.sock",server=on,wait=off
)
append="console=ttyS0,115200 loglevel=5 log_buf_len=16M intel_iommu=on panic=-1 oops=panic no_timer_check no5lvl"
append+=" mitigations=off nokaslr i40evfm.top=$TOP i40evfm.cache=$CACHE"
append+=" i40evfm.test=$test i40evfm.timeout=$tmo i40evfm.kernel=$kernel"
append+=" i40evfm.bzimage=$bzimage i40evfm.qemu=$qemu"
[ -n "$bind_moddir" ] && append+=" i40evfm.moddir=$bind_moddir"
[ -n "$l2_bzimage" ] && append+=" i40evfm.l2bzimage=$l2_bzimage i40evfm.l2moddir=$l2_moddir"
[ -n "$l2base" ] && append+=" i40evfm.l2base=$l2base"
if [ -n "$stack_root" ]; then
	# The stack's tree, a lower layer above the host's root in L1
	# (tests/vm/l1-init), on its own 9p device.
	append+=" i40evfm.stack=$stack"
	[ -n "$qemu10" ] && append+=" i40evfm.qemu10=$qemu10"
	machine+=(
		-fsdev local,id=stack,path="$stack_root",readonly=on,security_model=none,multidevs=remap
		-device virtio-9p-pci,fsdev=stack,mount_tag=stack
	)
fi
if [ "$model" = 1 ]; then
	# SeaBIOS does not size SR-IOV BARs: let Linux reassign them.
	append+=" pci=realloc"
	machine+=(
		-device pcie-root-port,id=rp3,chassis=3,bus=pcie.0,addr=0x12
		-netdev hubport,id=hp3,hubid=0
		-device "xl710,bus=rp3,netdev=hp3,mac=52:54:00:40:$mac5:01${model_props:+,$model_props}"
	)
	if [ "$model_pfs" = 2 ]; then
		machine+=(
			-device pcie-root-port,id=rp4,chassis=4,bus=pcie.0,addr=0x13
			-netdev hubport,id=hp4,hubid=0
			-device "xl710,bus=rp4,netdev=hp4,mac=52:54:00:40:$mac5:02${model_props:+,$model_props}"
		)
	fi
	machine+=(
		-d guest_errors -D "$results/guest-errors.log"
		-chardev socket,id=qmpsrv,path="$results/qmp-l1.sock",server=on,wait=off
		-mon chardev=qmpsrv,mode=control
		-device virtio-serial-pci,id=vser
		-chardev socket,id=qmpcli,path="$results/qmp-l1.sock",reconnect=1
		-device virtserialport,bus=vser.0,chardev=qmpcli,name=org.i40evfm.qmp
	)
fi

if [ -n "$host" ]; then
	# The link between the two hosts' hubs (a datagram to a socket not
	# bound yet is dropped, so neither QEMU waits for the other), and
	# the shared directory
	peer=b
	[ "$host" = b ] && peer=a
	append+=" i40evfm.host=$host"
	machine+=(
		-netdev "dgram,id=lnk,local.type=unix,local.path=$pairdir/$host.sock,remote.type=unix,remote.path=$pairdir/$peer.sock"
		-netdev hubport,id=hpl,hubid=0,netdev=lnk
		-fsdev local,id=pair,path="$pairdir",security_model=none,multidevs=remap
		-device virtio-9p-pci,fsdev=pair,mount_tag=pair
	)
	rm -f "$pairdir/$host.sock"
fi

cmd=("$qemu" "${machine[@]}" -kernel "$bzimage" -initrd "$initrd"
	-append "$append" -nographic -no-reboot "${qemu_extra[@]}")

if [ "$interactive" = 1 ]; then
	exec "${cmd[@]}" -serial mon:stdio
fi

log "L1${host:+ host $host} ($kernel $krel, $stack stack): $test, results in $results"
bpid=''
if [ "$host" = a ]; then
	"$0" --kernel "$kernel" --host b --pair "$pairdir" --results "$results/b" \
		${tmo:+--timeout "$tmo"} ${stack:+--stack "$stack"} "$test" \
		> "$results/b.out" 2>&1 &
	bpid=$!
fi
# Boot, overlay set-up and power-off take well under 4 minutes even on a
# loaded machine, and a test that reaches its limit gets 30 s more for the
# hang report (l1-stage2.sh); the rest is the test's own budget.
# The host QEMU is code under test: if it dies of a signal, its core
# (without guest memory: dump-guest-core=off) gives the backtrace
# (qemu_backtrace).  A core_pattern that is a plain name puts the core in
# QEMU's working directory, the results; one that pipes to a handler
# (systemd-coredump, apport) keeps it from us.
rm -f "$results"/core "$results"/core.* "$results/qemu-crash.txt"
qrc=0
(
	cd "$results"
	ulimit -c unlimited 2>/dev/null || true
	exec timeout -k 10 $((tmo + 300)) "${cmd[@]}" -serial file:"$results/console.log" \
		-display none -monitor none </dev/null >"$results/qemu.log" 2>&1
) &
qpid=$!
# An L1 that has not reached its test after L1_BOOT_TIMEOUT seconds will
# not (e.g. a vCPU that stopped taking timer interrupts): stop it then,
# rather than after the test's whole budget, so the retry is cheap.
boot_tmo=${L1_BOOT_TIMEOUT:-420}
(
	for ((t = 0; t < boot_tmo; t += 5)); do
		sleep 5
		kill -0 $qpid 2>/dev/null || exit 0
		grep -qE 'L1-TEST-START|L1-BOOT-REPORT' "$results/console.log" 2>/dev/null && exit 0
	done
	echo "L1 did not reach the test in ${boot_tmo} s" > "$results/watchdog"
	kill $qpid
) &
wdpid=$!
# Stopped from outside (tests/run.sh's suite deadline): stop L1 too, and
# still give a verdict.
stopped=0
trap 'stopped=1; kill $qpid $wdpid $bpid 2>/dev/null' TERM INT
wait $qpid || qrc=$?
[ "$stopped" = 1 ] && { qrc=0; wait $qpid || qrc=$?; }
kill $wdpid 2>/dev/null || true
wait $wdpid 2>/dev/null || true
# Host b's run (its own verdict in RESULTS/b/verdict), told that host a
# has ended
bverdict=''
if [ -n "$bpid" ]; then
	touch "$pairdir/a-ended"
	wait "$bpid" || true
	bverdict=$(cat "$results/b/verdict" 2>/dev/null || echo "infra: host b gave no verdict")
fi

# verdict VERDICT REASON - host a's (or the only host's), with host b's:
# a failure on either host fails the run, else an infrastructure failure
# on either is the run's
verdict() {
	local v=$1 why=$2
	case "$bverdict" in
	''|pass:*) ;;
	fail:*)
		[ "$v" = fail ] && why="$why; host b: ${bverdict#fail: }" ||
			why="host b: ${bverdict#fail: } (host a: $v: $why)"
		v=fail
		;;
	*)
		[ "$v" = fail ] || { why="host b: ${bverdict#*: } (host a: $v: $why)"; v=infra; }
		;;
	esac
	echo "$v: $why" > "$results/verdict"
	log "verdict: $v: $why"
	case "$v" in pass) exit 0 ;; fail) exit 1 ;; *) exit 2 ;; esac
}
tail_console() {
	log "console tail ($results/console.log):"
	tail -n 40 "$results/console.log" >&2 || true
	[ -s "$results/qemu.log" ] && { log "qemu said:"; tail -n 20 "$results/qemu.log" >&2; }
	return 0
}

# The rules of evidence (Documentation/testing.rst): what a failure is
# blamed on.  Code under test is our module, the XL710 model, the patched
# i40e and the patched host QEMU.  On the model's machine the upstream
# i40e and iavf and the network stack in L1 run on the model, so a crash
# there is evidence too.
ours='i40e_vf_mdev|xl710'
# (i40e as a symbol prefix, a module name or a device message, never the
# project kernel's release string "...-i40evfm".)
[ "$model" = 1 ] && ours="$ours|i40e([_ :]|\\])|iavf|libie|napi_|netif_|net_rx_action|skb_|dev_hard_start_xmit|dev_queue_xmit"
# A case about the test stack itself names what it owns ("# owns: REGEX").
owns=$(header owns)
[ -n "$owns" ] && ours="$ours|$owns"
oops='BUG:|Oops|general protection fault|Kernel panic|KASAN:|WARNING:|INFO: possible|INFO: task .* blocked|soft lockup|hard LOCKUP|UBSAN:'
# Reports in a whole kernel log (the same list the tests use, from lib.sh).
reports=$(sed -n "s/^DMESG_BAD='\(.*\)'$/\1/p" "$TOP/tests/vm/lib.sh")
reports="$oops|$reports"
iommu_fault='DMAR: DRHD: handling fault|DMAR: \[(DMA|INTR-REMAP)'
# Lines a case expects in its kernel log ("# allow: REGEX", e.g. IOMMU
# faults from a VF it programs with garbage) and model guest errors it
# provokes on purpose ("# allow-guest-errors: REGEX").
allow=$(header allow)
allow_ge=$(header allow-guest-errors)

# evidence FILE [ALTERNATIVES] - a kernel report in FILE names code under
# test (or one of ALTERNATIVES, given as "|a|b").  Only the reports
# themselves count: each from its first line to its "---[ end" line (at
# most 80 lines), without the module list and the command line, which name
# every loaded module and the cache directory; log lines after a report
# (a device message of a driver of ours, say) do not.
evidence() {
	awk -v re="$oops" '$0 ~ re { n = 80 } n > 0 { print; n--; if (/---\[ end/) n = 0 }' "$1" |
		grep -vE 'Modules linked in:|Command line:' | grep -qE "$ours${2:-}"
}
# log_reports FILE - the report lines of a kernel log that the case does
# not expect
log_reports() {
	grep -E "$reports|$iommu_fault" "$1" 2>/dev/null |
		{ if [ -n "$allow" ]; then grep -vE "$allow"; else cat; fi; }
}
# guest_errors - model guest errors that neither the model's list of
# known ones (tests/model/guest-errors.known) nor the case expects
guest_errors() {
	[ "$model" = 1 ] && [ -s "$results/guest-errors.log" ] || return 0
	grep xl710 "$results/guest-errors.log" |
		grep -vE -f <(grep -vE '^(#|$)' "$TOP/tests/model/guest-errors.known") |
		{ if [ -n "$allow_ge" ]; then grep -vE "$allow_ge"; else cat; fi; }
}
# against_cut - prints the first piece of evidence against code under test
# in this run, if any: a kernel report naming it in L1, any kernel report
# in an L2, on the model's machine an IOMMU fault or a new model guest
# error, or a payload mismatch.
against_cut() {
	local f line
	for f in "$results/dmesg.log" "$results/console.log"; do
		[ -s "$f" ] && evidence "$f" && { echo "a kernel report in $(basename "$f") names code under test"; return; }
	done
	# L2 runs iavf on the mdev, under the patched QEMU's SVM: any kernel
	# report in its console counts, whatever it names.
	for f in "$results"/*-l2.log; do
		[ -e "$f" ] || continue
		line=$(grep -m 1 -E "$oops" "$f") &&
			{ echo "L2 kernel report in $(basename "$f"): ${line#*] }"; return; }
	done
	if [ "$model" = 1 ]; then
		line=$(grep -hE "$iommu_fault" "$results/dmesg.log" "$results/console.log" 2>/dev/null |
			{ if [ -n "$allow" ]; then grep -vE "$allow"; else cat; fi; } | head -n 1)
		[ -n "$line" ] && { echo "IOMMU fault: ${line#*] }"; return; }
		line=$(guest_errors | head -n 1)
		[ -n "$line" ] && { echo "model guest error: $line"; return; }
	fi
	# Wrong bytes delivered, not bytes missing (an L2 that died before its
	# traffic fails those checks too): L2's UDP checker printed what it
	# found, or a transfer arrived whole with another checksum.
	line=$(grep -h -m 1 '^UDP-BAD' "$results"/*-l2.log 2>/dev/null | head -n 1)
	[ -n "$line" ] && { echo "payload check failed: $line"; return; }
	line=$(grep -m 1 -E '^not ok - .*(mismatch|wrong byte|corrupt)' "$results/test.log" 2>/dev/null)
	[ -n "$line" ] && { echo "payload check failed: ${line#not ok - }"; return; }
	return 0
}
# l2_triple_fault - L2 died without a word (tests/vm/STABILITY.md): KVM in L1
# saw L2 triple-fault (KVM_EXIT_SHUTDOWN, RESULTS/*-l2-shutdown.log from
# kvm_trace_save in tests/vm/lib.sh).  Called only when against_cut found
# nothing, which includes a kernel report in any L2 console.  Sets
# l2_crash_in.
l2_triple_fault() {
	local f
	for f in "$results"/*-l2-shutdown.log; do
		[ -e "$f" ] || continue
		l2_crash_in="$(basename "$f"): KVM_EXIT_SHUTDOWN (triple fault), last exit $(grep 'kvm_exit:' "$f" |
			tail -n 1 | sed 's/.*kvm_exit: //')"
		return 0
	done
	return 1
}

# Classification reads files that may not exist: no errexit from here on.
set +e
if [ -f "$results/rc" ]; then
	rc=$(cat "$results/rc")
	ev=$(against_cut)
	rep=$(log_reports "$results/dmesg.log" | head -n 1)
	if [ "$rc" = 0 ]; then
		[ -n "$ev" ] && verdict fail "test passed, but: $ev"
		[ -n "$rep" ] && verdict fail "test passed, but the kernel log has a report: ${rep#*] }"
		verdict pass "test passed"
	fi
	tail -n 30 "$results/test.log" >&2 || true
	[ -n "$ev" ] && verdict fail "test exited with status $rc; $ev"
	if [ "$rc" = 124 ] && [ -s "$results/hang-report" ]; then
		log "hang report at the time limit (tail of $results/hang-report):"
		tail -n 80 "$results/hang-report" >&2
		verdict fail "test reached its time limit of $tmo s"
	fi
	# An L2 triple fault is the patched host QEMU's doing (tcg-pio-storm
	# provokes it; tests/vm/STABILITY.md): a failure, never retried.
	[ -z "$rep" ] && l2_triple_fault &&
		verdict fail "L2 triple fault under the host QEMU's emulated SVM ($l2_crash_in)"
	verdict fail "test exited with status $rc${rep:+; kernel log: ${rep#*] }}"
fi

# qemu_backtrace - after the host QEMU died of a signal: every thread's
# backtrace from its core into RESULTS/qemu-crash.txt (the core itself
# goes: it holds QEMU's translation cache, a gigabyte), and the crashing
# thread's first frames on stdout, one line
qemu_backtrace() {
	local core pat bt
	core=$(ls -t "$results"/core "$results"/core.* 2>/dev/null | head -n 1)
	if [ -z "$core" ]; then
		pat=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
		echo "no core (core_pattern '$pat')"
		return
	fi
	if ! command -v gdb >/dev/null; then
		echo "core kept in $core, no gdb to read it"
		return
	fi
	timeout 300 gdb -q -batch -ex 'bt 12' -ex 'echo ---- all threads\n' \
		-ex 'info threads' -ex 'thread apply all bt 40' -ex 'echo ---- locals\n' \
		-ex 'bt full 8' "$qemu" "$core" > "$results/qemu-crash.txt" 2>&1
	rm -f "$core"
	# the crashing thread's lines (gdb shows frame 0 once on loading the
	# core, once in the backtrace)
	bt=$(sed -n '1,/^---- all threads/p' "$results/qemu-crash.txt" | grep -E '^(Program|#)' |
		awk '!seen[$0]++')
	log "the host QEMU's backtrace (all threads in $results/qemu-crash.txt):"
	echo "$bt" >&2
	echo "$bt" | grep -E '^#[0-9]+ ' | head -n 3 |
		sed -E 's/^#[0-9]+ +(0x[0-9a-f]+ in )?//; s/ \(.*\) (at|from) / at /' | paste -sd'<' |
		sed 's/</ < /g'
}

tail_console
# The host QEMU is code under test (the model, patches/qemu): dying of a
# signal is a failure, whatever it names.
case $qrc in 132|134|135|136|139)
	verdict fail "host QEMU died (exit $qrc): $(qemu_backtrace)" ;;
esac
if [ "$stopped" = 1 ]; then
	verdict fail "stopped by the caller (tests/run.sh's suite deadline) after $SECONDS s"
fi
if [ -s "$results/boot-report" ]; then
	if evidence "$results/dmesg.boot"; then
		verdict fail "kernel report while booting names code under test"
	fi
	verdict infra "kernel report while booting, before any code under test was loaded: $(head -n 1 "$results/boot-report")"
fi
if ! grep -q 'L1-TEST-START' "$results/console.log"; then
	if grep -qE "$oops" "$results/console.log" && evidence "$results/console.log"; then
		verdict fail "crash before the test started names code under test"
	fi
	verdict infra "L1 never started the test (qemu exit $qrc$([ -s "$results/watchdog" ] &&
		echo "; boot watchdog: $(cat "$results/watchdog")"))"
fi
if grep -qE "$oops" "$results/console.log"; then
	if evidence "$results/console.log"; then
		verdict fail "crash whose backtrace names code under test"
	fi
	verdict fail "L1 kernel crash during the test: $(grep -m 1 -E "$oops" "$results/console.log")"
fi
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	verdict fail "hang during the test (no crash evidence; QEMU killed after $((tmo + 300)) s)"
fi
verdict fail "L1 stopped during the test without a result (qemu exit $qrc)"
