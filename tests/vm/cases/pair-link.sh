#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels-long: stock
# machine: xl710
# hosts: 2
# timeout: 300
# Two L1 hosts (tests/vm/run-l1.sh, "# hosts: 2"), the base of the
# migrations between hosts: each boots with its own XL710 model, brings
# its PF up with a VF and reaches the other host's address on the
# segment they share; host a's traffic peer (the e1000e in its netns)
# answers a ping from host b's PF, which crosses the link between the
# two hosts' QEMUs.
. "$TOP/tests/vm/mdev-lib.sh"

check "one of two hosts ($I40EVFM_HOST)" test -n "$I40EVFM_HOST" -a -d "$PAIR"
check "hostname l1-$I40EVFM_HOST" test "$(hostname)" = "l1-$I40EVFM_HOST"
check "own address $(pair_ip "$I40EVFM_HOST") on $PAIR_BDF" pair_net_up
[ "$I40EVFM_HOST" = a ] && check "peer NIC in netns" setup_peer
check "i40e up with 1 VF" mdev_pf_up 1
pair_say up
check "host $(pair_other) is up" pair_wait up 240
check "ping host $(pair_other) ($(pair_ip "$(pair_other)"))" \
	ping -c 3 -W 5 "$(pair_ip "$(pair_other)")"
if [ "$I40EVFM_HOST" = b ]; then
	check "PF address 10.0.0.3" ip addr add 10.0.0.3/24 dev "$PF_IF"
	check "host a's traffic peer answers host b's PF" ping -c 3 -W 5 10.0.0.1
	pair_say finished
else
	check "host b has finished" pair_wait finished 240
fi
check_dmesg_clean
done_testing
