#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite (`make check`): every VM test (tests/vm/cases/*.sh)
# on each kernel its header names and, beside them, the static checks,
# userspace unit tests and the fuzz smoke run.  Ends with one line
# "N passed, N failed".
#
#   tests/run.sh [-k KERNEL] [PATTERN...]
#
# PATTERNs select tests by name (shell glob on "case@kernel"; e.g.
# 'l1-boot@*').  -k limits VM tests to one kernel.
#
# VM tests whose failure is classified as infrastructure (tests/vm/run-l1.sh
# exit 2: one of the recorded signatures in tests/vm/STABILITY.md) are
# retried, at most $VM_RETRIES times in the whole run; past that bound an
# infrastructure failure is a failure.  The retry count is printed on the
# line before the summary.  A case whose header says "# expect: fail" is a
# negative control: it passes when run-l1.sh gives it a FAIL verdict.
#
# RUN_LONG=1 (make check-long) adds each case's "# kernels-long:" runs and
# lifts the deadline.
#
# A case whose header says "# quiet-host: yes" (it counts its work in L2's
# time) runs after the other cases on Debian's kernel, once every kernel
# build a selected run needs is done.
#
# Time: the VM cases run longest budget first, each one's duration is
# printed, and at $SUITE_DEADLINE seconds after the start (default 5000,
# inside CI's 90 minutes) the running case is stopped and the rest are
# counted as failed (not run), so the summary line is always printed.

. "$(dirname "$0")/../scripts/lib.sh"
set +e

VM_RETRIES=${VM_RETRIES:-2}
SUITE_DEADLINE=${SUITE_DEADLINE:-5000}
[ "${RUN_LONG:-0}" = 1 ] && SUITE_DEADLINE=${SUITE_DEADLINE_LONG:-36000}
only_kernel=''
if [ "${1:-}" = -k ]; then only_kernel=$2; shift 2; fi
patterns=("$@")

passed=0 failed=0 infra=0
failures=() infra_log=()
# One log directory per run (runs may overlap in a shared cache);
# runs/last points at the newest.
mkdir -p "$CACHE/runs"
runlog=$(mktemp -d "$CACHE/runs/check-$(date +%Y%m%d-%H%M%S)-XXXX")
[ -L "$CACHE/runs/last" ] || rm -rf "$CACHE/runs/last"
ln -sfn "$runlog" "$CACHE/runs/last"

selected() {
	[ ${#patterns[@]} = 0 ] && return 0
	local p
	for p in "${patterns[@]}"; do
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
	done
	return 1
}
record() { # NAME STATUS(0|1) [DETAIL]
	if [ "$2" = 0 ]; then
		passed=$((passed + 1))
		echo "PASS: $1"
	else
		failed=$((failed + 1))
		failures+=("$1${3:+ ($3)}")
		echo "FAIL: $1${3:+ ($3)}"
	fi
}
# cpu_seconds FILE - the user plus system seconds of the children in the
# output of "times" (its second line: "0m12.345s 0m4.560s"), rounded
# down; "?" if there is none.
cpu_seconds() {
	awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
		printf "%d\n", u[1] * 60 + u[2] + s[1] * 60 + s[2]; f = 1 }
		END { if (!f) print "?" }' "$1" 2>/dev/null || echo '?'
}
# Add the counts of a sub-runner's "N passed, N failed" line.
record_summary() { # NAME LOGFILE RC
	local line p f
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		record "$1" 1 "no summary line; exit $3"
		return
	fi
	p=$(echo "$line" | sed -E 's/^(.*: )?([0-9]+) passed.*/\2/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" = 0 ] && [ "$3" = 0 ] && { echo "PASS: $1 ($p tests)"; return; }
	[ "$f" = 0 ] && { record "$1" 1 "exit $3"; return; }
	failures+=("$1: $f failed")
	echo "FAIL: $1 ($f of $((p + f)) failed)"
	grep -E '^(not ok|FAIL)' "$2" | head -n 20
}
# KTAP from a VM test (KUnit suites): count each subtest result.
record_ktap() { # NAME FILE
	local p f
	# Test cases are the results nested one level (4 spaces) in a suite.
	p=$(grep -cE '^    ok [0-9]+ ' "$2")
	f=$(grep -cE '^    not ok [0-9]+ ' "$2")
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" = 0 ] || failures+=("$1: $f KUnit results not ok")
	echo "KUnit in $1: $p ok, $f not ok"
}

log "setting up the host"
if [ "$(id -u)" = 0 ]; then
	"$TOP/scripts/setup-host.sh" || { echo "0 passed, 1 failed"; exit 1; }
fi

# Each background job below runs in a session of its own (setsid: its
# own process group, which the end of the run can stop).  Where the
# scheduler groups tasks by session (CONFIG_SCHED_AUTOGROUP, on by default
# in Debian's kernel), sessions share the CPU equally whatever their
# tasks' nice values, so a job's priority is its session's: each writes
# its nice value to /proc/self/autogroup first (nothing to do where the
# file is missing or autogroups are off; the nice value counts then).
# autogroup_nice - give the calling session's autogroup the caller's nice
# value
autogroup_nice() { nice > /proc/self/autogroup 2>/dev/null || true; }
export -f autogroup_nice

# 0. A kernel of our own (the debug variant: about 35 CPU-minutes) is
# built in the background at the lowest priority from the start: it
# takes what QEMU's build and the userspace checks below leave idle,
# then the core the cases on Debian's kernel leave idle (an L2 has one
# vCPU); its cases run after those and wait for it.
kernels_needed=$(grep -h '^# kernels:' "$TOP"/tests/vm/cases/*.sh | cut -d: -f2 | tr ' ' '\n' | sort -u)
[ "${RUN_LONG:-0}" = 1 ] && kernels_needed="$kernels_needed debug"
[ -n "$only_kernel" ] && kernels_needed=$only_kernel
declare -A kbuild_pid kbuild_ok
for k in $kernels_needed; do
	if [ "$k" = stock ]; then
		# (its modules are built in step 3)
		kbuild_ok[stock]=1
		continue
	fi
	log "building the $k kernel in the background ($runlog/build-kernel-$k.log)"
	# its own process group, which the end of the run stops if no case
	# waited for it (the deadline)
	# shellcheck disable=SC2016
	setsid nice -n 19 bash -c 'autogroup_nice
		"$1/scripts/build-kernel.sh" "$2" > "$3/build-kernel-$2.log" 2>&1 &&
		"$1/scripts/build-modules.sh" "$2" > "$3/build-modules-$2.log" 2>&1' \
		build "$TOP" "$k" "$runlog" &
	kbuild_pid[$k]=$!
done

# 1. Everything every VM test needs, built once so that a build failure
# is reported as such (and not as a failure of each VM test): the host
# QEMU with the model, the modern stack (mostly downloads, so beside
# QEMU's build) and the modules for Debian's kernel.  From an empty cache
# QEMU's build is what the first VM test waits for: it comes first, at
# normal priority, and the userspace checks (step 2) wait their turn.
# Each build writes its exit status to $runlog/NAME.rc.
# logged NAME CMD... - CMD with its output in $runlog/NAME.log and its exit
# status in $runlog/NAME.rc (for the jobs run in the background)
logged() { "${@:2}" > "$runlog/$1.log" 2>&1; echo $? > "$runlog/$1.rc"; }
export -f logged
export runlog
vm_builds=(build-qemu)
logged build-qemu "$TOP/scripts/build-qemu.sh" &
vm_build_pids=$!
build_modern=0
grep -q '^# stack: *modern' "$TOP"/tests/vm/cases/*.sh && build_modern=1
[ "$build_modern" = 1 ] && vm_builds+=(build-modern-stack)
[ -n "${kbuild_ok[stock]:-}" ] && vm_builds+=(build-modules-stock)
(
	[ "$build_modern" = 1 ] &&
		logged build-modern-stack "$TOP/scripts/build-modern-stack.sh"
	[ -n "${kbuild_ok[stock]:-}" ] &&
		logged build-modules-stock "$TOP/scripts/build-modules.sh" stock
) &
vm_build_pids="$vm_build_pids $!"

# 2. The checks that need no VM, in the background at a lower priority
# than QEMU's build and the VM tests, a higher one than the kernel's
# build (which has time to spare: the debug cases run last), one after
# the other: the host set-up's apt logic, the unit tests, the fuzz smoke
# run, the static checks on the driver (checkpatch, W=1, sparse, other
# kernels) and the self-test of the checkers L2 runs (tests/vm/progs).
# Recorded after the VM tests (userspace_record).
userspace=()
selected setup && userspace+=(setup)
[ -f "$TOP/tests/unit/Makefile" ] && selected unit && userspace+=(unit)
[ -f "$TOP/tests/fuzz/Makefile" ] && selected fuzz && userspace+=(fuzz)
[ -x "$TOP/tests/static.sh" ] && selected static && userspace+=(static)
[ -x "$TOP/tests/vm/progs/selftest.sh" ] && selected progs && userspace+=(progs)
userspace_pid=''
if [ ${#userspace[@]} -gt 0 ]; then
	# its own process group, which the end of the run stops at the
	# suite deadline
	# shellcheck disable=SC2016
	setsid nice -n 10 bash -c 'autogroup_nice
		top=$1
		shift
		for u in "$@"; do
			case "$u" in
			setup) logged setup "$top/tests/setup/apt-sources-test.sh" ;;
			unit) logged unit make -C "$top/tests/unit" check ;;
			fuzz) logged fuzz make -C "$top/tests/fuzz" fuzz-smoke ;;
			static) logged static "$top/tests/static.sh" ;;
			progs) logged progs "$top/tests/vm/progs/selftest.sh" ;;
			esac
		done' userspace "$TOP" "${userspace[@]}" &
	userspace_pid=$!
fi
userspace_record() {
	local u rc
	[ -n "$userspace_pid" ] || return 0
	while [ ! -f "$runlog/${userspace[-1]}.rc" ] && kill -0 "$userspace_pid" 2>/dev/null &&
		[ $SECONDS -lt $((SUITE_DEADLINE + 60)) ]; do
		sleep 5
	done
	kill -- -"$userspace_pid" 2>/dev/null && wait "$userspace_pid"
	for u in "${userspace[@]}"; do
		if [ ! -f "$runlog/$u.rc" ]; then
			record "$u" 1 "not finished at the suite deadline of $SUITE_DEADLINE s"
			continue
		fi
		rc=$(cat "$runlog/$u.rc")
		case "$u" in
		setup) record_summary apt-sources "$runlog/$u.log" "$rc" ;;
		fuzz) record fuzz-smoke "$rc" "$(tail -n 1 "$runlog/$u.log")" ;;
		*) record_summary "$u" "$runlog/$u.log" "$rc" ;;
		esac
	done
}

# 3. The VM builds of step 1 (the kernels of our own are building in the
# background since step 0).
t0=$SECONDS
# shellcheck disable=SC2086
wait $vm_build_pids
echo "TIME: waited $((SECONDS - t0)) s for QEMU, the modern stack and the modules"
build_ok=1
for b in "${vm_builds[@]}"; do
	[ "$(cat "$runlog/$b.rc" 2>/dev/null)" = 0 ] ||
		{ record "$b" 1 "see $runlog/$b.log"; build_ok=0; }
done
# The project's QEMU 10 (scripts/build-qemu10.sh), for the cases with
# "# needs: qemu10", is built in the background too, once the kernel
# builds have ended, not to delay the kernel the debug cases wait for;
# the stock cases that need it run last of the stock cases.
# needs_qemu10 CASE_FILE... - one of them says "# needs: qemu10"
needs_qemu10() { grep -qE '^# needs:.*\<qemu10\>' "$@"; }
qbuild_pid='' qbuild_ok=''
if needs_qemu10 "$TOP"/tests/vm/cases/*.sh; then
	log "building QEMU 10 in the background after the kernels ($runlog/build-qemu10.log)"
	# shellcheck disable=SC2016
	setsid nice -n 19 bash -c 'autogroup_nice
		for p in $3; do while kill -0 "$p" 2>/dev/null; do sleep 5; done; done
		"$1/scripts/build-qemu10.sh" > "$2/build-qemu10.log" 2>&1' \
		build "$TOP" "$runlog" "${kbuild_pid[*]}" &
	qbuild_pid=$!
fi
# qemu10_ready - wait for that build (once); false if it failed
qemu10_ready() {
	if [ -z "$qbuild_ok" ]; then
		local t0=$SECONDS
		qbuild_ok=1
		if [ -z "$qbuild_pid" ] || ! wait "$qbuild_pid"; then
			qbuild_ok=0
			record build-qemu10 1 "see $runlog/build-qemu10.log"
		fi
		echo "TIME: waited $((SECONDS - t0)) s for QEMU 10's build"
	fi
	[ "$qbuild_ok" = 1 ]
}

# kernel_ready K - wait for K's build (once); false if it failed
kernel_ready() {
	if [ -z "${kbuild_ok[$1]:-}" ]; then
		local t0=$SECONDS
		kbuild_ok[$1]=1
		if [ -z "${kbuild_pid[$1]:-}" ] || ! wait "${kbuild_pid[$1]}"; then
			kbuild_ok[$1]=0
			record "build-kernel-$1" 1 "see $runlog/build-kernel-$1.log and build-modules-$1.log"
		fi
		echo "TIME: waited $((SECONDS - t0)) s for the $1 kernel's build"
	fi
	[ "${kbuild_ok[$1]}" = 1 ]
}

# The XL710 model's registers for the PF services, driven through qtest
# (no guest): tests/model/check-pf-services.py.
if [ "$build_ok" = 1 ] && selected model-pf-services; then
	python3 "$TOP/tests/model/check-pf-services.py" \
		"$("$TOP/scripts/build-qemu.sh" 2>/dev/null)" > "$runlog/model-pf-services.log" 2>&1
	record_summary model-pf-services "$runlog/model-pf-services.log" $?
fi

# 4. VM tests: Debian's kernel first, then the others as their builds
# complete; on each kernel, longest time budget first, so a slow run loses
# short cases to the deadline rather than the long ones it has waited for.
skipped=()
runs=$(for t in "$TOP"/tests/vm/cases/*.sh; do
	name=$(basename "$t" .sh)
	why=$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print }' \
		"$TOP/tests/vm/quarantine" 2>/dev/null)
	# Benchmarks print figures and run only when asked (make bench), and
	# so do the soak runs, 50 migrations and more (make soak).
	if grep -q '^# suite: *bench' "$t" && [ "${RUN_BENCH:-0}" != 1 ]; then
		continue
	fi
	if grep -q '^# suite: *soak' "$t" && [ "${RUN_SOAK:-0}" != 1 ]; then
		continue
	fi
	if [ -n "$why" ]; then
		selected "$name@*" || [ ${#patterns[@]} = 0 ] || continue
		echo "SKIP: $name (quarantined: $why)" >&2
		echo "$name: $why" >> "$runlog/quarantined"
		continue
	fi
	tmo=$(sed -n 's/^# timeout: *//p' "$t" | head -n 1)
	kernels=$(sed -n 's/^# kernels: *//p' "$t")
	# Runs that do not fit CI's time on two cores (an L2 on the debug
	# kernel under TCG) run with RUN_LONG=1 (make check-long).
	[ "${RUN_LONG:-0}" = 1 ] && kernels="$kernels $(sed -n 's/^# kernels-long: *//p' "$t")"
	# "# quiet-host: yes": a case that counts its work in L2's time and
	# must not share the host with a kernel build; it runs after the
	# other stock cases, once every build is done (group 1).
	quiet=$(sed -n 's/^# quiet-host: *//p' "$t")
	# "# needs: qemu10": last of the stock cases (group 0.5), whose time
	# covers QEMU 10's build from an empty cache; a debug case has
	# waited long enough anyway
	q10=0
	needs_qemu10 "$t" && q10=1
	for k in $kernels; do
		[ -n "$only_kernel" ] && [ "$k" != "$only_kernel" ] && continue
		selected "$name@$k" || continue
		if [ "$k" != stock ]; then
			g=2
		elif [ "$quiet" = yes ]; then
			g=1
		elif [ "$q10" != 0 ]; then
			g=0.5
		else
			g=0
		fi
		echo "$g $tmo $name $k $g $q10"
	done
done | sort -k1,1n -k2,2nr -k3 | cut -d' ' -f3,4,5,6)
[ -f "$runlog/quarantined" ] && mapfile -t skipped < "$runlog/quarantined"
# built K - K's build has ended (or there is none); built_qemu10 - the same
# for QEMU 10's
built() { [ -n "${kbuild_ok[$1]:-}" ] || ! kill -0 "${kbuild_pid[$1]:-0}" 2>/dev/null; }
built_qemu10() { [ -n "$qbuild_ok" ] || [ -z "$qbuild_pid" ] || ! kill -0 "$qbuild_pid" 2>/dev/null; }
# ready GROUP K Q10 - a run whose builds have ended: it would not wait
ready() {
	local kk
	if [ "$1" = 1 ]; then
		for kk in "${!kbuild_pid[@]}"; do built "$kk" || return 1; done
		built_qemu10 || return 1
	fi
	built "$2" && { [ "$3" = 0 ] || built_qemu10; }
}
# In that order, except that a run which would wait for a build gives way
# to the first one after it that would not (on an empty cache the debug
# kernel and QEMU 10 are still building when the first runs are done);
# when every run left would wait, the first whose builds end goes (the
# debug cases once the kernel is built, beside QEMU 10's build, not
# after it).
mapfile -t pending < <(grep . <<< "$runs")
while [ ${#pending[@]} -gt 0 ]; do
	pick='' t0=$SECONDS
	while :; do
		for i in "${!pending[@]}"; do
			read -r name k group q10 <<< "${pending[$i]}"
			ready "$group" "$k" "$q10" && { pick=$i; break; }
		done
		[ -n "$pick" ] && break
		# (past the deadline: the first, which records it)
		[ $SECONDS -lt "$SUITE_DEADLINE" ] || { pick=0; break; }
		sleep 5
	done
	[ $((SECONDS - t0)) -lt 5 ] ||
		echo "TIME: waited $((SECONDS - t0)) s for a build before the next run"
	read -r name k group q10 <<< "${pending[$pick]}"
	pending=("${pending[@]:0:pick}" "${pending[@]:pick+1}")
	if [ "$group" = 1 ]; then
		# every build a later run waits for anyway
		for kk in "${!kbuild_pid[@]}"; do
			awk -v k="$kk" '$2 == k { f = 1 } END { exit !f }' <<< "$runs" &&
				{ kernel_ready "$kk" || true; }
		done
		awk '$4 != 0 { f = 1 } END { exit !f }' <<< "$runs" &&
			{ qemu10_ready || true; }
	fi
	t=$TOP/tests/vm/cases/$name.sh
	expect=$(sed -n 's/^# expect: *//p' "$t")
	if [ "$build_ok" = 0 ]; then
		record "$name@$k" 1 "not run: build failed"
		continue
	fi
	if ! kernel_ready "$k"; then
		record "$name@$k" 1 "not run: the $k kernel's build failed"
		continue
	fi
	if [ "$q10" != 0 ] && ! qemu10_ready; then
		record "$name@$k" 1 "not run: QEMU 10's build failed"
		continue
	fi
	attempt=0
	while :; do
		left=$((SUITE_DEADLINE - SECONDS))
		if [ $left -le 60 ]; then
			rc=3 res='' verdict="not run: suite deadline of $SUITE_DEADLINE s reached"
			break
		fi
		res=$runlog/$name@$k.$attempt
		t0=$SECONDS
		# run-l1.sh stops its L1 and still writes a verdict on TERM.
		# The subshell's "times" gives the CPU time of the run and all it
		# waited for (both hosts' QEMUs), whatever else the machine runs.
		(
			timeout -k 60 "$left" "$TOP/tests/vm/run-l1.sh" --kernel "$k" \
				--results "$res" "tests/vm/cases/$name.sh" > "$res.out" 2>&1
			rc=$?
			# (not piped: a pipeline's "times" would run in a new
			# subshell, which has no children)
			times > "$res.cpu"
			exit $rc
		)
		rc=$?
		verdict=$(cat "$res/verdict" 2>/dev/null || echo "no verdict (run-l1 exit $rc)")
		echo "TIME: $name@$k $((SECONDS - t0)) s, $(cpu_seconds "$res.cpu") CPU-s (${verdict%%:*})"
		if [ $rc = 2 ] && [ "$expect" != fail ]; then
			if [ $infra -lt "$VM_RETRIES" ]; then
				infra=$((infra + 1))
				infra_log+=("$name@$k attempt $attempt: $verdict")
				echo "RETRY: $name@$k ($verdict)"
				attempt=$((attempt + 1))
				continue
			fi
			verdict="$verdict; infrastructure retry bound of $VM_RETRIES per run reached"
		fi
		break
	done
	[ -n "$res" ] && [ -f "$res/subtests.ktap" ] && record_ktap "$name@$k" "$res/subtests.ktap"
	if [ "$expect" = fail ]; then
		# A negative control: the harness must file the fault as a
		# failure of code under test, not pass it or retry it, and
		# the case itself must have seen it (it exits 1 only then).
		if [ $rc = 1 ] && [[ $verdict == *"test exited with status 1"* ]]; then
			record "$name@$k" 0
			echo "  (negative control: verdict $verdict)"
		else
			record "$name@$k" 1 "negative control not caught: $verdict"
		fi
	elif [ $rc = 0 ]; then
		record "$name@$k" 0
	else
		record "$name@$k" 1 "$verdict"
		grep -E '^not ok' "$res/test.log" 2>/dev/null | head -n 10
		tail -n 15 "$res.out" 2>/dev/null
	fi
done

# 5. The checks of step 2 (done long before, unless the VM tests were
# very short).
userspace_record
for k in "${!kbuild_pid[@]}"; do
	[ -n "${kbuild_ok[$k]:-}" ] || kill -- -"${kbuild_pid[$k]}" 2>/dev/null
done
[ -n "$qbuild_pid" ] && [ -z "$qbuild_ok" ] && kill -- -"$qbuild_pid" 2>/dev/null
echo
for l in "${infra_log[@]}"; do echo "Infrastructure retry: $l"; done
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	for l in "${failures[@]}"; do echo "  $l"; done
fi
if [ ${#skipped[@]} -gt 0 ]; then
	echo "Quarantined (not run, see tests/vm/quarantine):"
	for l in "${skipped[@]}"; do echo "  $l"; done
fi
echo "Logs: $runlog"
echo "Total time: $SECONDS s"
echo "Infrastructure retries: $infra (at most $VM_RETRIES per run)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
