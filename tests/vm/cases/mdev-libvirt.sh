#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 800
# i40e_vf_mdev with libvirt 9.0 (Debian's, in L1): an mdev started with
# mdevctl on the XL710 model's VF0, a KVM domain with
#   <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
#     <source><address uuid='UUID'/></source></hostdev>
# booting L2 directly (the L1 kernel, a busybox initramfs with iavf and the
# traffic script), serial console to a file.  `virsh start`, L2 passes
# verified traffic both ways with the peer, `virsh destroy`; afterwards the
# mdev is closed and reusable and nothing is left behind.
. "$TOP/tests/vm/mdev-lib.sh"

VF_MAC=52:54:00:aa:00:42
DOM=l2mdev
CON=/results/libvirt-l2.log
modprobe kvm_amd
check "peer NIC in netns" setup_peer
check "i40e PF up with 1 VF" mdev_pf_up 1
VF=$(xl710_vf_bdf 0)
check "PF sets VF0 MAC" ip link set "$PF_IF" vf 0 mac $VF_MAC
check "load $MDEV_DRV" mdev_load
check "bind $VF to $MDEV_DRV" mdev_bind "$VF"
U=4f7bd8e3-8f2e-4b1c-9d6a-0a1b2c3d4e41
M=/sys/bus/mdev/devices/$U
check "mdevctl start -u $U -p $VF -t $MDEV_TYPE" mdevctl start -u $U -p "$VF" -t $MDEV_TYPE
[ "$FAILED" = 0 ] || done_testing

# libvirt in L1: no systemd, no security driver, no cgroup controllers or
# mount namespace (L1's / is an overlay over 9p), QEMU as root, console
# and QEMU log written by libvirtd itself.
cat >> /etc/libvirt/qemu.conf <<'EOF'
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = []
cgroup_controllers = []
stdio_handler = "file"
EOF
mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt/qemu /run/libvirt
start_libvirt() {
	/usr/sbin/virtlogd -d || return 1
	/usr/sbin/libvirtd -d || return 1
	wait_for 120 virsh -c qemu:///system version
}
check "virtlogd and libvirtd start" start_libvirt
virsh -c qemu:///system version | sed 's/^/#   /'
export LIBVIRT_DEFAULT_URI=qemu:///system

L2T_BYTES=2000000 L2_HOLD=1 l2_traffic_start libvirt "$MDEV_DBG/$U/traps"
L2_HOLD=1
check "L2 initramfs (iavf + traffic script)" "$TOP/scripts/build-initrd.sh" /tmp/libvirt-l2.cpio.gz \
	"$TOP/tests/vm/l2-init" "/lib/modules/$(uname -r)" iavf -- /tmp/libvirt-l2.sh=/test.sh
cat > /tmp/$DOM.xml <<EOF
<domain type='kvm'>
  <name>$DOM</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>$I40EVFM_BZIMAGE</kernel>
    <initrd>/tmp/libvirt-l2.cpio.gz</initrd>
    <cmdline>$L2_CMDLINE</cmdline>
  </os>
  <features><acpi/></features>
  <cpu mode='host-passthrough'/>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <serial type='file'>
      <source path='$CON'/>
      <target port='0'/>
    </serial>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='$U'/>
      </source>
    </hostdev>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
check "virsh define" virsh define /tmp/$DOM.xml
check "the hostdev is in the definition" sh -c "virsh dumpxml $DOM | grep -q \"address uuid='$U'\""
kvm_trace_start || echo "# no KVM trace (tracefs)"
check "virsh start" virsh start $DOM
virsh list --all | sed 's/^/#   /'
# libvirt 9.0 passes -device as JSON: {"driver":"vfio-pci",...,"sysfsdev":"..."}
check "QEMU was given -device vfio-pci,sysfsdev=$M" \
	grep -qE "\"driver\":\"vfio-pci\".*\"sysfsdev\":\"$M\"|vfio-pci,sysfsdev=$M" \
	/var/log/libvirt/qemu/$DOM.log
check "the mdev is open (a second open fails)" sh -c "! '$MDEV_VFIO' open '$M'"
l2_done() { grep -qE 'L2-TRAFFIC-DONE|L2-RESULT' "$CON"; }
# An L2 that crashed or powered off is destroyed (on_crash, on_reboot):
# stop waiting then too.
l2_over() { l2_done || ! virsh domstate $DOM | grep -q running; }
wait_for 400 l2_over
check "L2 finished its traffic" l2_done
if ! l2_done; then
	# Where L2 stands: its vCPU, QEMU's view of the device, libvirt's log.
	virsh domstate --reason $DOM | sed 's/^/#   /'
	for c in "info status" "info registers" "info pci"; do
		echo "#   (qemu) $c"
		virsh qemu-monitor-command --hmp $DOM "$c" 2>&1 | head -n 40 | sed 's/^/#   /'
	done
	tail -n 20 /var/log/libvirt/qemu/$DOM.log | sed 's/^/#   qemu.log| /'
	kvm_trace_save libvirt
fi
sed 's/^/    L2| /' "$CON" | tail -n 30
check "L2 script did not fail" sh -c "! grep -q 'L2-RESULT rc=[1-9]' $CON"
check "domain still running" sh -c "virsh domstate $DOM | grep -q running"
l2_traffic_check libvirt "$CON"
check "L2 VF has the MAC the PF set" grep -q "L2-MAC $VF_MAC" "$CON"
mdev_traps_steady libvirt $U
check "virsh destroy" virsh destroy $DOM
check "domain shut off" sh -c "virsh domstate $DOM | grep -q 'shut off'"
check "the mdev is closed and still there" wait_for 30 "$MDEV_VFIO" open "$M"
check "virsh undefine" virsh undefine $DOM
check "no domains left" test -z "$(virsh list --all --name | tr -d '[:space:]')"
cp /var/log/libvirt/qemu/$DOM.log /results/libvirt-qemu.log 2>/dev/null
check "mdevctl stop" mdevctl stop -u $U
check "mdev gone" test ! -e "$M"
check "available_instances back to 1" test "$(mdev_avail "$VF")" = 1
kill "$(cat /run/libvirtd.pid 2>/dev/null)" "$(cat /run/virtlogd.pid 2>/dev/null)" 2>/dev/null
sleep 1
check "rmmod $MDEV_DRV" rmmod $MDEV_DRV
check_dmesg_clean
done_testing
