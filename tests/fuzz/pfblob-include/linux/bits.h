/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_pfblob: userspace stand-in for the kernel's <linux/bits.h>:
 * BIT(), GENMASK(), from tests/unit/include/i40e_vf_mdev_user.h.
 */
#ifndef PFBLOB_LINUX_BITS_H
#define PFBLOB_LINUX_BITS_H

#include "i40e_vf_mdev_user.h"

#endif
