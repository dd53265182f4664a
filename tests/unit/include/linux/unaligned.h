/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel's <linux/unaligned.h>: little-endian
 * fields at any alignment, for the i40e_vf_mdev pure-logic files built by
 * tests/unit and tests/fuzz.  Byte by byte, so the result does not depend
 * on the host's byte order.
 */
#ifndef KTEST_LINUX_UNALIGNED_H
#define KTEST_LINUX_UNALIGNED_H

#include <stdint.h>

static inline uint16_t get_unaligned_le16(const void *p)
{
	const uint8_t *b = p;

	return (uint16_t)(b[0] | (b[1] << 8));
}

static inline uint32_t get_unaligned_le32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static inline uint64_t get_unaligned_le64(const void *p)
{
	const uint8_t *b = p;

	return (uint64_t)get_unaligned_le32(b) |
	       (uint64_t)get_unaligned_le32(b + 4) << 32;
}

static inline void put_unaligned_le16(uint16_t val, void *p)
{
	uint8_t *b = p;

	b[0] = (uint8_t)val;
	b[1] = (uint8_t)(val >> 8);
}

static inline void put_unaligned_le32(uint32_t val, void *p)
{
	uint8_t *b = p;

	b[0] = (uint8_t)val;
	b[1] = (uint8_t)(val >> 8);
	b[2] = (uint8_t)(val >> 16);
	b[3] = (uint8_t)(val >> 24);
}

static inline void put_unaligned_le64(uint64_t val, void *p)
{
	put_unaligned_le32((uint32_t)val, p);
	put_unaligned_le32((uint32_t)(val >> 32), (uint8_t *)p + 4);
}

#endif /* KTEST_LINUX_UNALIGNED_H */
