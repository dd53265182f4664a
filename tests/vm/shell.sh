#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make vm-shell`: an interactive shell in L1 on the serial console.
echo "L1 shell: the repository is at $TOP, results at /results; 'exit' powers off."
setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
