# SPDX-License-Identifier: GPL-2.0
# i40e_vf_mdev: top-level targets.  Builds go to the cache outside the clone
# (${XDG_CACHE_HOME:-~/.cache}/i40e_vf_mdev, or $I40E_VF_MDEV_CACHE).
#
#   make setup      install the Debian packages the build and tests need
#   make demo       the main job: boot host -> L1 -> L2 and pass traffic
#   make check      the whole test suite; ends with "N passed, N failed"
#   make check-long the suite plus the runs too long for CI (L2 on the
#                   debug kernel)
#   make bench      benchmarks (printed ratios, e.g. mdev vs vfio-pci)
#   make soak       the reliability runs: 50 live migrations with libvirt
#                   under traffic, and the faults (about an hour)
#   make vm-shell   an interactive L1 (KERNEL=stock|project|debug,
#                   STACK=modern for QEMU 10 and libvirt 11.3)
#   make module     build the driver for the running kernel (KVER=...)
#   make kernels    build the debug test kernel (the one the suite uses)
#   make qemu       build QEMU with the XL710 model

KERNEL ?= stock
KVER ?= $(shell uname -r)

.PHONY: all setup demo check check-long bench soak vm-shell module kernels qemu clean

all: module

setup:
	scripts/setup-host.sh

demo: setup
	scripts/demo.sh

check:
	tests/run.sh

check-long:
	RUN_LONG=1 tests/run.sh

bench: setup
	RUN_BENCH=1 tests/run.sh 'mdev-bench@*' 'mig-bench@*'

soak: setup
	RUN_SOAK=1 SUITE_DEADLINE=36000 tests/run.sh 'mig-libvirt-soak@*'

vm-shell: setup
	tests/vm/run-l1.sh --interactive --timeout 86400 --kernel $(KERNEL) \
		$(if $(STACK),--stack $(STACK)) tests/vm/shell.sh

module:
	$(MAKE) -C /lib/modules/$(KVER)/build M=$(CURDIR)/drivers/vfio/mdev/i40e_vf_mdev modules

kernels: setup
	scripts/build-kernel.sh debug

qemu: setup
	scripts/build-qemu.sh

clean:
	$(MAKE) -C /lib/modules/$(KVER)/build M=$(CURDIR)/drivers/vfio/mdev/i40e_vf_mdev clean
