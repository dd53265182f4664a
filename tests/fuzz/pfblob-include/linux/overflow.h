/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_pfblob: userspace stand-in for the kernel's <linux/overflow.h>
 * (and the <linux/limits.h> it includes): the saturating size helpers
 * that virtchnl.h's virtchnl_struct_size() uses, and U*_MAX.  Like the
 * kernel's, size_mul() and size_add() return SIZE_MAX on overflow.
 */
#ifndef PFBLOB_LINUX_OVERFLOW_H
#define PFBLOB_LINUX_OVERFLOW_H

#include "i40e_vf_mdev_user.h"

#ifndef U8_MAX
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#endif

static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

#define flex_array_size(p, member, count)				\
	size_mul(count, sizeof(*(p)->member))
#define struct_size(p, member, count)					\
	size_add(sizeof(*(p)), flex_array_size(p, member, count))

#endif
