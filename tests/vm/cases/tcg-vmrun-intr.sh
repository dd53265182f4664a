#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# timeout: 600
# quiet-host: yes
# The host QEMU's emulated SVM delivering an interrupt that L1's KVM
# injected (VMCB EVENTINJ, type INTR) a second time.  helper_vmrun
# delivers such an interrupt at once but left its vector in
# cs->exception_index; the next kick of that vCPU (exit_request: here the
# TLB flush that every remapping of a memory BAR queues on each vCPU)
# made cpu_handle_interrupt() return with it, and cpu_handle_exception()
# delivered it again wherever L2 then was, whatever its IF.  At the first
# instruction of the kernel's SYSCALL entry (IF clear, the user's stack
# still loaded) the frame goes onto the user stack, SMAP refuses it, and
# L2 dies of a double fault at entry_SYSCALL_64 (seen twice: the soak run
# and mig-pf-v1, both with RSP on the user stack and EFLAGS 0x2;
# patches/qemu/0010).  Here L2 has L1's e1000e 01:00.0 (vfio-pci) and
# makes system calls without pause (tests/vm/progs/l2-syscall.c) while the
# peer floods the NIC with frames (an interrupt each, injected by KVM,
# handled without an exit: the BAR is mapped, EOI is paravirtual) and L1's
# other CPU turns the memory decoding of the idle AHCI controller off and
# on without pause (each a memory transaction: a TLB flush queued on
# every vCPU).
. "$TOP/tests/vm/lib.sh"

SECS=90
BDF=0000:01:00.0
AHCI=0000:00:1f.2
modprobe vfio-pci
modprobe kvm_amd
sys=$(test_prog l2-syscall) || die "cannot build l2-syscall"
check "peer NIC in netns" setup_peer
wait_for 20 has_netdev "$BDF"
mac=$(cat "/sys/bus/pci/devices/$BDF/net/$(pci_netdev "$BDF")/address")
check "the MAC of $BDF ($mac)" test -n "$mac"
check "bind $BDF to vfio-pci" pci_bind "$BDF" vfio-pci
check "an idle AHCI controller at $AHCI" \
	sh -c "lspci -n -s $AHCI | grep -q ' 0106: '"
[ "$FAILED" = 0 ] || done_testing
[ -e "/sys/bus/pci/devices/$AHCI/driver" ] &&
	echo "$AHCI" > "/sys/bus/pci/devices/$AHCI/driver/unbind"

cat > /tmp/sys.sh <<L2
ifc=\$(ls /sys/class/net | grep -v '^lo\$' | head -n 1)
ip link set "\$ifc" up
/bin/l2-syscall $SECS
grep -E 'eth|e1000e' /proc/interrupts | awk '{ n = 0; for (i = 2; i <= NF; i++) if (\$i ~ /^[0-9]+\$/) n += \$i; else break; t += n } END { print "L2-NIC-IRQS " t }'
L2
stop=/tmp/flood.stop
rm -f "$stop"
peer_flood "$mac" "$stop" > /tmp/flood.out 2>&1 &
flood=$!
# L1's CPU 1 remaps the BAR; L2's vCPU thread stays on CPU 0
(
	exec > /tmp/remap.out
	n=0
	while [ ! -e "$stop" ]; do
		setpci -s "${AHCI#0000:}" COMMAND=0:2 && setpci -s "${AHCI#0000:}" COMMAND=2:2 || break
		n=$((n + 1))
	done
	echo "REMAP $n"
) &
remap=$!
taskset -p 2 $remap > /dev/null
taskset -p 1 $$ > /dev/null
L2_MODULES=e1000e L2_FILES="$sys=/bin/l2-syscall" \
	run_l2 sys $((SECS + 200)) /tmp/sys.sh -device vfio-pci,host=$BDF
rc=$?
touch "$stop"
wait $flood $remap
taskset -p 3 $$ > /dev/null
check "L2 made system calls for $SECS s under its NIC's interrupts while L1 remapped a BAR, and powered off" \
	test $rc = 0
grep -h '^L2-SYSCALL\|^L2-NIC-IRQS' /results/sys-l2.log | tr -d '\r' | sed 's/^/# /'
sed 's/^/# /' /tmp/flood.out /tmp/remap.out
irqs=$(sed -n 's/^L2-NIC-IRQS \([0-9]*\).*/\1/p' /results/sys-l2.log)
check "L2 took more than 1000 interrupts of its NIC (${irqs:-none})" test "${irqs:-0}" -gt 1000
remaps=$(sed -n 's/^REMAP //p' /tmp/remap.out)
check "L1 turned the BAR off and on more than 100 times (${remaps:-none})" test "${remaps:-0}" -gt 100
check_dmesg_clean
done_testing
