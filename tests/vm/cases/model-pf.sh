#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 400
# XL710 model, PF: the upstream i40e probes it without errors, the link
# comes up and the PF exchanges verified traffic with the peer NIC.  A VF's
# BAR0 decodes on the PF's VF MSE alone, as SR-IOV specifies.
. "$TOP/tests/vm/lib.sh"

check "peer NIC in netns" setup_peer
check "modprobe i40e" modprobe i40e
check "i40e bound to the model's PF" wait_for 30 test "$(pci_driver $XL710_PF)" = i40e
check "PF netdev registered" wait_for 30 test -n "$(pci_netdev $XL710_PF)"
pf=$(pci_netdev $XL710_PF)
ip addr add 10.0.0.10/24 dev "$pf"
ip link set "$pf" up
check "link up" wait_for 30 grep -q 1 "/sys/class/net/$pf/carrier"
check "ping peer" ping -c 3 -W 2 10.0.0.1
transfer_check "peer -> PF" peer - 10.0.0.10 5101 4000000
transfer_check "PF -> peer" - peer 10.0.0.1 5102 4000000
# SR-IOV: a VF's BARs decode on the PF's VF MSE; the VF's own Command.MSE
# is reserved and reads 0 (QEMU 7.2 needs patches/qemu/0001 for this).  A
# fresh VF that no driver has enabled shows it.
check "1 VF, no driver" xl710_vfs 1
b=$(xl710_vf_bdf 0)
cmd=$(setpci -s "$b" COMMAND)
check "VF0 Command.MSE reads 0 (COMMAND 0x$cmd)" test $((0x$cmd & 2)) = 0
bar=$(awk 'NR == 1 { print $1 }' "/sys/bus/pci/devices/$b/resource")
vf_rstat() { busybox devmem $((bar + 0x8800)) 32; }
rstat_ready() { case $(vf_rstat) in 0x00000001|0x00000002) return 0 ;; esac; return 1; }
check "VF0 BAR0 decodes: VFGEN_RSTAT reads VFR_COMPLETED or VFACTIVE" wait_for 20 rstat_ready
echo "# VF0 VFGEN_RSTAT $(vf_rstat)"
check "0 VFs" sh -c "echo 0 > /sys/bus/pci/devices/$XL710_PF/sriov_numvfs"

# "i40e " / "i40e:" only: the kernel command line has i40evfm.* options.
if dmesg | grep -E 'i40e[ :]' | grep -iwE 'error|fail|failed|failure|timeout|timed out|hang|hung' |
	grep -v 'DCB init failed' > /tmp/i40e.err; then
	cat /tmp/i40e.err
	not_ok "i40e logged errors"
else
	ok "no i40e errors in dmesg"
fi
# A well-behaved driver must not make the model log guest errors.
if grep xl710 /results/guest-errors.log > /tmp/ge.txt 2>/dev/null; then
	head -n 5 /tmp/ge.txt
	not_ok "the model logged guest errors for the stock i40e"
else
	ok "no guest errors logged by the model"
fi
check_dmesg_clean
done_testing
