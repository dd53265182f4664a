/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_pfblob: userspace stand-in for the kernel's <linux/bitops.h>,
 * which virtchnl.h includes but uses nothing of beyond BIT(): the
 * definitions of tests/unit/include/i40e_vf_mdev_user.h.
 */
#ifndef PFBLOB_LINUX_BITOPS_H
#define PFBLOB_LINUX_BITOPS_H

#include "i40e_vf_mdev_user.h"

#endif
