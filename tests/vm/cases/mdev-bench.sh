#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# suite: bench
# timeout: 900
# Benchmark, printed and not asserted: the same L2 traffic (iavf in L2 <->
# the peer NIC in L1, L2T_BYTES each way) through the XL710 model's VF0,
# first as an i40e_vf_mdev mdev, then bound to stock vfio-pci, in one run;
# the throughput ratio is printed.  Timings under TCG say little about real
# hardware; what is asserted is what is deterministic: both transfers are
# intact, and through the mdev the bulk transfer costs 0 Tx tail traps,
# Rx tail traps only for dirty tracking (one per 16 frames received or
# fewer, printed) and 0 read/write calls on mmap()able pages.
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

# 1. Through the mdev
l2_traffic_start mdev "$MDEV_DBG/$U/traps"
t0=$(date +%s)
check "L2 through the mdev" run_l2 bench-mdev 600 /tmp/mdev-l2.sh -device "vfio-pci,sysfsdev=$M"
t_mdev=$(($(date +%s) - t0))
l2_traffic_check mdev /results/bench-mdev-l2.log
mdev_traps_steady mdev $U
read -r mdev_in mdev_out < <(l2_rates mdev /results/bench-mdev-l2.log)
mbx=$(trap_delta /tmp/mdev.traps.before /tmp/mdev.traps.after mailbox)
rxt=$(trap_delta /tmp/mdev.traps.before /tmp/mdev.traps.after rx_tail)
total_traps=$(trap_count $U mailbox)
check "remove the mdev" mdev_remove $U

# 2. The same VF through stock vfio-pci
check "bind $VF to vfio-pci" pci_bind "$VF" vfio-pci
l2_traffic_start vfio
t0=$(date +%s)
check "L2 through vfio-pci" run_l2 bench-vfio 600 /tmp/vfio-l2.sh -device "vfio-pci,host=$VF"
t_vfio=$(($(date +%s) - t0))
l2_traffic_check vfio /results/bench-vfio-l2.log
read -r vfio_in vfio_out < <(l2_rates vfio /results/bench-vfio-l2.log)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
cat <<EOF | tee /results/bench.txt
# ---------------------------------------------------------------
# BENCH i40e_vf_mdev vs vfio-pci, same VF, $L2T_BYTES bytes each way
# (TCG host -> KVM L2 on emulated SVM; printed, not asserted)
#                       mdev        vfio-pci    mdev/vfio-pci
# peer -> L2 KiB/s      $(printf '%-11s %-11s %s' "$mdev_in" "$vfio_in" "$(ratio "$mdev_in" "$vfio_in")")
# L2 -> peer KiB/s      $(printf '%-11s %-11s %s' "$mdev_out" "$vfio_out" "$(ratio "$mdev_out" "$vfio_out")")
# whole L2 run, s       $(printf '%-11s %-11s %s' "$t_mdev" "$t_vfio" "$(ratio "$t_mdev" "$t_vfio")")
# mdev traps during the peer -> L2 transfer: $mbx mailbox, $rxt Rx tail
#   (dirty tracking's), 0 Tx tail ($(awk -v b="$L2T_BYTES" -v t="$((mbx + rxt))" 'BEGIN { if (t) printf "%d bytes per trap", b / t; else print "no trap at all" }'))
# mdev traps over the whole L2 run (iavf init included): $total_traps
# ---------------------------------------------------------------
EOF
check "restore: VF back to $MDEV_DRV" mdev_bind "$VF"
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
