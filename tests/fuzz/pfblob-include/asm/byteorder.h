/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_pfblob: userspace stand-in for the kernel's <asm/byteorder.h>:
 * le16_to_cpu() and friends, from tests/unit/include/i40e_vf_mdev_user.h.
 * No system header that fuzz_pfblob includes uses <asm/byteorder.h>.
 */
#ifndef PFBLOB_ASM_BYTEORDER_H
#define PFBLOB_ASM_BYTEORDER_H

#include "i40e_vf_mdev_user.h"

#endif
