#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels: stock
# machine: xl710
# timeout: 400
# XL710 model, PF: the upstream i40e probes it without errors, the link
# comes up and the PF exchanges verified traffic with the peer NIC.  A VF's
# BAR0 decodes on the PF's VF MSE alone, as SR-IOV specifies.  The LAN
# queue context read-back (PFCM_LANCTX*, read through i40e's debugfs
# register commands) returns the live Rx/Tx head, also right after i40e
# disabled the queues, and the PF's tail aliases read the live tails.
. "$TOP/tests/vm/lib.sh"

check "peer NIC in netns" setup_peer
check "modprobe i40e" modprobe i40e
check "i40e bound to the model's PF" wait_for 30 test "$(pci_driver $XL710_PF)" = i40e
check "PF netdev registered" wait_for 30 has_netdev "$XL710_PF"
pf=$(pci_netdev $XL710_PF)
ip addr add 10.0.0.10/24 dev "$pf"
ip link set "$pf" up
check "link up" wait_for 30 grep -q 1 "/sys/class/net/$pf/carrier"
check "ping peer" ping -c 3 -W 2 10.0.0.1
transfer_check "peer -> PF" peer - 10.0.0.10 5101 4000000
transfer_check "PF -> peer" - peer 10.0.0.1 5102 4000000

# LAN queue context read-back (tests/model/README.md) on the PF's Rx queue
# (the first one i40e enabled: the model puts all of a VSI's traffic there)
# and that pair's Tx queue, compared with the heads and tails the model
# reports over QMP (queue-state) and with QTX_HEAD.  Traffic can move a
# head between two reads (the peer's IPv6 chatter), so a comparison is
# retried a few times.
DBG=/sys/kernel/debug/i40e/$XL710_PF/command
reg_rd() { # ADDR - its value (i40e logs "read: 0xADDR = 0xVALUE")
	local a
	a=$(printf '0x%08x' "$1")
	echo "read $a" > "$DBG" || return 1
	dmesg | sed -n "s/.*read: $a = \(0x[0-9a-f]*\)\$/\1/p" | tail -n 1
}
reg_wr() { echo "write $(printf '0x%x 0x%x' "$1" "$2")" > "$DBG"; }
# ctx_head Q TYPE - the head field of PF queue Q's context (TYPE 0 Rx,
# 1 Tx), read back as sub-line 0; fails unless STAT says CTX_DONE only
ctx_head() {
	reg_wr 0x10C300 $(($1 | ($2 << 15))) || return 1
	[ $(($(reg_rd 0x10C380) & 3)) = 1 ] || return 1
	echo $(($(reg_rd 0x10C100) & 0x1fff))
}
pfqom=$(qmp_l1 find-type xl710 | head -n 1)
rxq_field() { # FIELD - head or tail of Rx queue $q as the model reports it
	qom_get "$pfqom" queue-state |
		awk -v q="$q" -v f="$1" '$1 == "rxq" && $2 == q && $4 == -1 {
			for (i = 5; i < NF; i++) if ($i == f) print $(i + 1) }'
}
rx_same() { # the model's Rx head and tail, the read-back head and QRX_TAIL
	local h1 t1 c t h2
	h1=$(rxq_field head) t1=$(rxq_field tail)
	c=$(ctx_head "$q" 0) t=$(($(reg_rd $((0x128000 + 4 * q)))))
	h2=$(rxq_field head)
	echo "Rx queue $q: model head $h1/$h2 tail $t1, read-back head $c, QRX_TAIL $t" >> /tmp/ctx.log
	[ -n "$h1" ] && [ "$h1" = "$c" ] && [ "$c" = "$h2" ] && [ "$t" = "$t1" ]
}
tx_same() { # the read-back Tx head and QTX_HEAD
	local c h
	c=$(ctx_head "$q" 1) h=$(($(reg_rd $((0xE4000 + 4 * q)))))
	echo "Tx queue $q: read-back head $c, QTX_HEAD $h" >> /tmp/ctx.log
	[ -n "$c" ] && [ "$c" = "$h" ]
}
q=$(qom_get "$pfqom" queue-state | awk '$1 == "rxq" && $4 == -1 { print $2 }' |
	sort -n | head -n 1)
: > /tmp/ctx.log
check "i40e debugfs command file" test -w "$DBG"
check "the model reports the PF's Rx queue (${q:-none})" test -n "$q"
check "running Rx queue: read-back head = model's head, QRX_TAIL = its tail" \
	wait_for 10 rx_same
check "running Tx queue: read-back head = QTX_HEAD" wait_for 10 tx_same
# Right after i40e disabled the queues (ifdown): the head where the queue
# stopped, the last one the model reported while it ran.
down_same() {
	local h c
	ip link set "$pf" up
	wait_for 30 grep -q 1 "/sys/class/net/$pf/carrier" || return 1
	ping -c 2 -W 2 10.0.0.1 || return 1     # the head moves off 0
	sleep 1
	h=$(rxq_field head)
	ip link set "$pf" down
	[ $(($(reg_rd $((0x120000 + 4 * q))) & 4)) = 0 ] || return 1
	c=$(ctx_head "$q" 0)
	echo "Rx queue $q: head $h before ifdown, read-back $c after" >> /tmp/ctx.log
	[ -n "$h" ] && [ "$h" != 0 ] && [ "$h" = "$c" ] && tx_same
}
check "disabled queues: read-back heads = where they stopped" wait_for 30 down_same
tail -n 4 /tmp/ctx.log | sed 's/^/#   /'
ip link set "$pf" up
check "link up again" wait_for 30 grep -q 1 "/sys/class/net/$pf/carrier"
check "ping peer after ifdown/ifup" wait_for 20 ping -c 1 -W 2 10.0.0.1
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
