/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - the kernel definitions used by the pure-logic files
 * (stream format, migration state machine, v1 region protocol), so that
 * those files build unchanged in the kernel module and in userspace for
 * unit tests and fuzzing.
 *
 * Only this header differs between the two builds: in the kernel it
 * includes kernel headers, in userspace the equivalents that
 * tests/unit/include/i40e_vf_mdev_user.h provides. Everything else in the
 * pure-logic files is ordinary kernel C.
 */
#ifndef I40E_VF_MDEV_COMPAT_H
#define I40E_VF_MDEV_COMPAT_H

#ifdef __KERNEL__

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <kunit/visibility.h>

/* Out of tree before 6.12 (Makefile), the old home of get_unaligned_le32() */
#ifdef I40E_VF_MDEV_ASM_UNALIGNED
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

#else
/* Userspace (unit tests, fuzzing): tests/unit/include/i40e_vf_mdev_user.h */
#include "i40e_vf_mdev_user.h"
#endif /* __KERNEL__ */

#endif /* I40E_VF_MDEV_COMPAT_H */
