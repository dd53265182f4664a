/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel's <linux/crc32.h>: crc32_le(), the
 * little-endian (reflected) CRC-32 with polynomial 0xedb88320, without
 * pre- or post-inversion, as lib/crc32.c computes it.  Four bits at a time.
 */
#ifndef KTEST_LINUX_CRC32_H
#define KTEST_LINUX_CRC32_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32_le(uint32_t crc, const void *data, size_t len)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *p = data;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble[crc & 15];
		crc = (crc >> 4) ^ nibble[crc & 15];
	}
	return crc;
}

#endif /* KTEST_LINUX_CRC32_H */
