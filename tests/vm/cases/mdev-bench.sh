#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# suite: bench
# timeout: 900
# Benchmark, printed and not asserted: the same L2 traffic (iavf in L2 <->
# the peer NIC in L1, L2T_BYTES each way) through the XL710 model's VF0,
# in one run, in the four set-ups an operator chooses between
# (Documentation/reeval.rst, "The operator's choice"): an i40e_vf_mdev
# mdev with Debian's QEMU 7.2 (no consumer of the re-evaluation IRQ: the
# Rx tail page trapped for dirty tracking), with the project's QEMU (its
# consumer: the page lent), with migration turned off (the mdev's
# migration attribute), and the VF bound to stock vfio-pci; throughput
# ratios against vfio-pci and traps per packet are printed.  Timings under
# TCG say little about real hardware; what is asserted is what is
# deterministic: every transfer is intact, and through the mdev the bulk
# transfers cost 0 Tx tail traps, 0 read/write calls on mmap()able pages,
# and Rx tail traps only without a consumer (one per 16 frames received
# or fewer).
. "$TOP/tests/vm/mdev-lib.sh"

L2_MODULES=iavf
modprobe kvm_amd
check "peer NIC in netns" setup_peer
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$PF_IF" vf 0 mac 52:54:00:aa:00:43
check "load $MDEV_DRV" mdev_load
check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e51
M=/sys/bus/mdev/devices/$U
check "create mdev" mdev_create "$VF" $U
[ "$FAILED" = 0 ] || done_testing

# bench_mdev NAME WHAT - L2 through the mdev with $L2_QEMU; sets
# NAME_in, NAME_out (KiB/s), NAME_t (s), NAME_rx (Rx tail traps of both
# bulk transfers), NAME_pkts (their packets)
bench_mdev() {
	local name=$1 t0 r1 r2
	l2_traffic_start "$name" "$MDEV_DBG/$U/traps"
	t0=$(date +%s)
	check "L2 through the mdev: $2" run_l2 "bench-$name" 600 "/tmp/$name-l2.sh" \
		-device "vfio-pci,sysfsdev=$M"
	printf -v "${name}_t" %s $(($(date +%s) - t0))
	l2_traffic_check "$name" "/results/bench-$name-l2.log"
	mdev_traps_steady "$name" $U
	read -r r1 r2 < <(l2_rates "$name" "/results/bench-$name-l2.log")
	printf -v "${name}_in" %s "$r1"
	printf -v "${name}_out" %s "$r2"
	printf -v "${name}_rx" %s $(($(trap_delta "/tmp/$name.traps.before" "/tmp/$name.traps.after" rx_tail) +
		$(trap_delta "/tmp/$name.traps.after" "/tmp/$name.traps.l2done" rx_tail)))
	printf -v "${name}_pkts" %s $((2 * ((L2T_BYTES + 1447) / 1448)))
}

# 1. Through the mdev, Debian's QEMU: the Rx tail page trapped
check "the mdev is migratable: its Rx tail page is trapped" \
	grep -q '^trapped 0x2000-0x2fff' "$MDEV_DBG/$U/traps"
bench_mdev trapped "Debian's QEMU 7.2, no consumer"
check "without a consumer, the Rx tail writes were trapped ($trapped_rx)" test "$trapped_rx" -gt 0
mbx=$(trap_delta /tmp/trapped.traps.before /tmp/trapped.traps.after mailbox)
total_traps=$(trap_count $U mailbox)

# 2. The project's QEMU, a consumer: the page lent
L2_QEMU=$I40EVFM_QEMU bench_mdev lent "the project's QEMU 7.2, a consumer"
check "with the consumer, no Rx tail write was trapped ($lent_rx)" test "$lent_rx" = 0

# 3. Migration off
check "migration turned off" sh -c "echo off > $M/migration && grep -qx off $M/migration"
bench_mdev off "Debian's QEMU 7.2, migration off"
check "with migration off, no Rx tail write was trapped ($off_rx)" test "$off_rx" = 0
check "remove the mdev" mdev_remove $U

# 4. The same VF through stock vfio-pci
check "bind $VF to vfio-pci" pci_bind "$VF" vfio-pci
l2_traffic_start vfio
t0=$(date +%s)
check "L2 through vfio-pci" run_l2 bench-vfio 600 /tmp/vfio-l2.sh -device "vfio-pci,host=$VF"
vfio_t=$(($(date +%s) - t0))
l2_traffic_check vfio /results/bench-vfio-l2.log
read -r vfio_in vfio_out < <(l2_rates vfio /results/bench-vfio-l2.log)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { # LABEL VALUES... - one row: the values, then each one's ratio to the last
	local label=$1 v last
	shift
	last=${!#}
	printf '# %-22s' "$label"
	for v in "$@"; do printf ' %-9s' "$v"; done
	printf ' |'
	for v in "$@"; do printf ' %-6s' "$(ratio "$v" "$last")"; done
	echo
}
per_pkt() { awk -v t="$1" -v p="$2" 'BEGIN { printf "%.3f", p ? t / p : 0 }'; }
{
	echo "# ---------------------------------------------------------------------------"
	echo "# BENCH i40e_vf_mdev set-ups vs vfio-pci, same VF, $L2T_BYTES bytes each way"
	echo "# (TCG host -> KVM L2 on emulated SVM; printed, not asserted)"
	echo "#                        trapped   lent      mig-off   vfio-pci  | ratios to vfio-pci"
	row "peer -> L2 KiB/s" "$trapped_in" "$lent_in" "$off_in" "$vfio_in"
	row "L2 -> peer KiB/s" "$trapped_out" "$lent_out" "$off_out" "$vfio_out"
	row "whole L2 run, s" "$trapped_t" "$lent_t" "$off_t" "$vfio_t"
	echo "# Rx tail traps per packet: trapped $(per_pkt "$trapped_rx" "$trapped_pkts"), lent $(per_pkt "$lent_rx" "$lent_pkts"), mig-off $(per_pkt "$off_rx" "$off_pkts") ($trapped_pkts packets each)"
	echo "# (trapped: Debian's QEMU, no consumer; lent: the project's QEMU, the"
	echo "#  re-evaluation IRQ's consumer; mig-off: migration attribute off)"
	echo "# mailbox traps during the peer -> L2 transfer (trapped): $mbx"
	echo "# mdev traps over the first L2 run (iavf init included): $total_traps"
	echo "# ---------------------------------------------------------------------------"
} | tee /results/bench.txt
check "restore: VF back to $MDEV_DRV" mdev_bind "$VF"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
