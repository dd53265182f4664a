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
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/byteorder.h>
#include <kunit/visibility.h>

/*
 * Little-endian fields at any alignment. (get_unaligned_le32() and friends
 * moved from <asm/unaligned.h> to <linux/unaligned.h> in 6.12; these work
 * on every supported kernel and in userspace.)
 */
static inline u16 i40e_vf_mdev_get_le16(const void *p)
{
	__le16 v;

	memcpy(&v, p, sizeof(v));
	return le16_to_cpu(v);
}

static inline u32 i40e_vf_mdev_get_le32(const void *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static inline u64 i40e_vf_mdev_get_le64(const void *p)
{
	__le64 v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

static inline void i40e_vf_mdev_put_le16(u16 val, void *p)
{
	__le16 v = cpu_to_le16(val);

	memcpy(p, &v, sizeof(v));
}

static inline void i40e_vf_mdev_put_le32(u32 val, void *p)
{
	__le32 v = cpu_to_le32(val);

	memcpy(p, &v, sizeof(v));
}

static inline void i40e_vf_mdev_put_le64(u64 val, void *p)
{
	__le64 v = cpu_to_le64(val);

	memcpy(p, &v, sizeof(v));
}

#else
/* Userspace (unit tests, fuzzing): tests/unit/include/i40e_vf_mdev_user.h */
#include "i40e_vf_mdev_user.h"
#endif /* __KERNEL__ */

#endif /* I40E_VF_MDEV_COMPAT_H */
