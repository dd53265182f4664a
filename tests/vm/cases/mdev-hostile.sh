#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: debug
# kernels-long: stock
# machine: xl710
# timeout: 2400
# allow: DMAR: DRHD: handling fault|DMAR: \[DMA (Read|Write) NO_PASID\] Request device \[03:00\.1\]
# allow-guest-errors: xl710: (VF 0 |fn 0 ARQ)
# (VF0's mailbox rings pointed at garbage or at unmapped IOVAs by the
# hostile user: the model's complaints about VF0's mailbox and VF0's IOMMU
# faults are what it provokes; nothing about the PF is allowed)
# i40e_vf_mdev: a hostile tenant leaves nothing behind for the next one.
# An mdev on the XL710 model's VF0 is opened through the VFIO group by
# tests/vm/progs/hostile (seeded, deterministic): random reads and writes
# of BAR0, mostly on the mailbox page 0x6000-0x8fff (VFGEN_RSTAT
# included), mailbox messages with random virtchnl opcodes, random region
# accesses (config space included), random VFIO ioctls and feature
# requests, random migration states with reads and writes on their
# data_fds, VFIO_DEVICE_RESET now and then; every call bounded.  Then the
# mdev is closed and removed: no kernel report (KASAN, lockdep, kmemleak
# on the debug kernel), a new mdev on the same VF is created at the first
# attempt (the creation gate waits for an unfinished VF reset, up to 3 s,
# and says EAGAIN after), VFGEN_RSTAT reads VFACTIVE through it, and on
# the stock kernel the new mdev, given to L2 (QEMU 7.2, sysfsdev=),
# passes verified traffic both ways.
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:71
SEED=1
OPS=3000
HOSTILE=$(test_prog hostile)
U2=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e72
M2=/sys/bus/mdev/devices/$U2

# vf0_regs - the PF's view of VF0's reset state (the PF's BAR0, read-only:
# VFGEN_RSTAT1, VPGEN_VFRSTAT, VPGEN_VFRTRIG, GLGEN_VFLRSTAT,
# PFINT_ICR0_ENA), and VFGEN_RSTAT through the VF's own BAR0
vf0_regs() {
	python3 - "/sys/bus/pci/devices/$XL710_PF/resource0" \
		"/sys/bus/pci/devices/$VF/resource0" <<'EOF'
import mmap, os, struct, sys
def rd(path, size, offs):
    fd = os.open(path, os.O_RDONLY | os.O_SYNC)
    m = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ)
    v = [struct.unpack_from('<I', m, o)[0] for o in offs]
    m.close(); os.close(fd)
    return v
names = ['VFGEN_RSTAT1(0)', 'VPGEN_VFRSTAT(0)', 'VPGEN_VFRTRIG(0)',
         'GLGEN_VFLRSTAT(0)', 'PFINT_ICR0_ENA']
vals = rd(sys.argv[1], 0x400000, [0x74400, 0x91c00, 0x91800, 0x92600, 0x38800])
vf = rd(sys.argv[2], 0x10000, [0x8800])
print(' '.join('%s=%#x' % nv for nv in zip(names, vals)), 'VF VFGEN_RSTAT=%#x' % vf[0])
EOF
}

mdev_vf0_create 4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e71
echo "# VF0 before: $(vf0_regs)"
ge0=$(grep -c xl710 /results/guest-errors.log 2>/dev/null)

# A loaded host: while the hostile user runs (at a high priority), two
# busy loops (one per CPU, a little below it) hold the CPUs for 1 s out of
# every 1.5 s, so that i40e's service task, which finishes VF resets,
# falls behind the resets the user asks for, as it does behind busy vCPUs.
hogs=''
for _ in 1 2; do
	nice -n -19 bash -c 'while :; do e=$((SECONDS + 1))
		while [ $SECONDS -lt $e ]; do :; done; sleep 0.5; done' &
	hogs="$hogs $!"
done
timeout 1200 nice -n -20 "$HOSTILE" "$M" $SEED $OPS > /tmp/hostile.out 2>&1
rc=$?
kill $hogs
wait $hogs 2>/dev/null
grep -v '^TIMEOUT' /tmp/hostile.out | sed 's/^/#   /'
grep '^TIMEOUT' /tmp/hostile.out | head -n 5 | sed 's/^/#   /'
check "hostile (seed $SEED, $OPS operations) ran to its end (exit $rc)" test $rc = 0
check "no call of the hostile user was blocked for long" \
	grep -q "^DONE ops $OPS timeouts 0\$" /tmp/hostile.out
ge1=$(grep -c xl710 /results/guest-errors.log 2>/dev/null)
echo "# the model logged $((ge1 - ge0)) guest errors during the hostile phase:"
grep xl710 /results/guest-errors.log 2>/dev/null | sed 's/0x[0-9a-f]*/X/g; s/[0-9][0-9]*/N/g' |
	sort | uniq -c | sort -rn | head -n 20 | sed 's/^/#   /'
echo "# VF0 after the hostile user closed: $(vf0_regs)"
check "remove the mdev" mdev_remove $U
check "mdev gone" test ! -e "$M"

# A new mdev at once: creation waits up to 3 s for a VF reset that is
# still running, then fails with EAGAIN; it must work the first time.
t=$(mdev_type_dir "$VF")
res='' attempts=0
for attempts in 1 2 3 4 5; do
	r=$(sh -c "echo $U2 > $t/create" 2>&1 && echo OK)
	res="$res [$attempts: ${r:-failed}]"
	[ -e "$M2" ] && break
	echo "# VF0 after create attempt $attempts failed: $(vf0_regs)"
	sleep 5
done
echo "# create attempts:$res"
check "a new mdev on VF0 is created at the first attempt (took $attempts)" \
	test "$attempts" = 1 -a -e "$M2"
dmesg | grep -E 'is being reset by PF' | tail -n 3 | sed 's/^/#   /'
[ -e "$M2" ] || done_testing
check "it opens, VFGEN_RSTAT reads VFACTIVE" sh -c \
	"'$MDEV_VFIO' info '$M2' > /tmp/info2.txt && grep -qE '^RSTAT 0x[0-9a-f]*2\$' /tmp/info2.txt"
sed 's/^/#   /' /tmp/info2.txt

# The next tenant's traffic is checked on the stock kernel; on the debug
# kernel an L2 costs minutes of CI's time (Documentation/testing.rst, "Time").
if [ "$I40EVFM_KERNEL" != debug ]; then
	mdev_qemu_l2 hostile-next $U2 "QEMU 7.2, sysfsdev=$M2" -device "vfio-pci,sysfsdev=$M2"
else
	echo "# debug kernel: no L2 traffic (the stock kernel run of this case has it)"
fi
check "remove the new mdev" mdev_remove $U2
mdev_vf0_finish "$M2"
