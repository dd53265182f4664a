// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the i40e VF migration blob parser, the PF's part of a
 * migrating VF's state (i40e_vf_mig_blob.[ch], added to the i40e driver
 * by patches/kernel and extracted from the patch at build time).
 *
 * The input is a blob.  So that mutations which change its size are not all
 * stopped by the length check, it is parsed a second time with its
 * header's length field set to its size (when that is not already so).
 * Checked on every input:
 *
 *  - no crash, no sanitizer report, no read outside the input;
 *  - parse() returns 0 or -EINVAL, with an empty reason on success and a
 *    reason on failure;
 *
 * and on every blob that parses:
 *
 *  - the header holds what the parser promises (length, queue pairs,
 *    message counts, flags, a virtchnl version up to 1.1, 13-bit queue
 *    positions);
 *  - walking it with next() visits num_log + num_deferred messages, each
 *    inside the blob, back to back, up to the end; each at most
 *    I40E_VF_MIG_MSG_MAX bytes, zero padded; logged ones of a class
 *    below I40E_VF_MIG_NOT_LOGGED;
 *  - a copy in a buffer of exactly its length (so that ASan sees a read
 *    past the end) parses and walks the same, and without its last byte
 *    does not parse.
 */
#include <linux/avf/virtchnl.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <asm/byteorder.h>
#include <stdlib.h>

#include "i40e_vf_mig_blob.h"
#include "fuzz_check.h"

#define HDR_LEN	sizeof(struct i40e_vf_mig_blob_hdr)
#define MSG_LEN	sizeof(struct i40e_vf_mig_blob_msg)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What i40e_vf_mig_blob_parse() promises about the header. */
static void check_hdr(const struct i40e_vf_mig_blob_hdr *h, size_t size)
{
	unsigned int nqp = le16_to_cpu(h->num_queue_pairs), i;

	CHECK(le32_to_cpu(h->magic) == I40E_VF_MIG_BLOB_MAGIC);
	CHECK(le32_to_cpu(h->len) == size);
	CHECK(nqp >= 1 && nqp <= I40E_VF_MIG_MAX_QP);
	CHECK(le16_to_cpu(h->num_log) <= I40E_VF_MIG_LOG_MAX);
	CHECK(le16_to_cpu(h->num_deferred) <= I40E_VF_MIG_DEFER_MAX);
	CHECK(!(le32_to_cpu(h->flags) & ~I40E_VF_MIG_F_ALL));
	CHECK(le32_to_cpu(h->vf_ver_major) < VIRTCHNL_VERSION_MAJOR ||
	      (le32_to_cpu(h->vf_ver_major) == VIRTCHNL_VERSION_MAJOR &&
	       le32_to_cpu(h->vf_ver_minor) <= VIRTCHNL_VERSION_MINOR));
	for (i = 0; i < I40E_VF_MIG_MAX_QP; i++) {
		const struct i40e_vf_mig_blob_queue *q = &h->q[i];

		CHECK(!(q->flags & ~(I40E_VF_MIG_Q_TX_ENA |
				     I40E_VF_MIG_Q_RX_ENA)));
		CHECK(i < nqp || !q->flags);
		CHECK(le16_to_cpu(q->tx_head) < 8192 &&
		      le16_to_cpu(q->tx_tail) < 8192 &&
		      le16_to_cpu(q->rx_head) < 8192 &&
		      le16_to_cpu(q->rx_tail) < 8192);
	}
}

/*
 * Walk a parsed blob that starts at @buf and is @size bytes long, reading
 * every byte of every message; return a checksum of the messages, which
 * depends on their ops, lengths, offsets and contents.
 */
static u32 walk(const struct i40e_vf_mig_blob *blob, const u8 *buf,
		size_t size)
{
	const struct i40e_vf_mig_blob_hdr *h = blob->hdr;
	const struct i40e_vf_mig_blob_msg *msg;
	unsigned int nlog = le16_to_cpu(h->num_log);
	unsigned int ndef = le16_to_cpu(h->num_deferred);
	const u8 *pos = buf + HDR_LEN;	/* where the next message must be */
	unsigned int n = 0, i;
	u32 sum = 2166136261u;

	CHECK((const u8 *)h == buf);
	CHECK(blob->msgs == buf + HDR_LEN);
	CHECK(blob->end == buf + size);

	for (msg = i40e_vf_mig_blob_next(blob, NULL); msg;
	     msg = i40e_vf_mig_blob_next(blob, msg)) {
		const u8 *p = (const u8 *)msg, *d = p + MSG_LEN;
		u32 op = le32_to_cpu(msg->op);
		u16 len = le16_to_cpu(msg->len);
		enum i40e_vf_mig_class class = i40e_vf_mig_blob_class(op);

		/* No more messages than the header says (and no loop). */
		CHECK(n < nlog + ndef);
		/* Inside the blob, back to back. */
		CHECK(p == pos);
		CHECK(p >= buf + HDR_LEN && p <= buf + size);
		CHECK((size_t)(buf + size - p) >= MSG_LEN);
		CHECK(len <= I40E_VF_MIG_MSG_MAX);
		CHECK((size_t)(buf + size - d) >= ALIGN((size_t)len, 4));
		CHECK(!msg->rsvd);
		CHECK(class <= I40E_VF_MIG_UNSUPPORTED);
		if (n < nlog)
			CHECK(class < I40E_VF_MIG_NOT_LOGGED);
		/* Every byte, padding included: ASan checks the bounds. */
		for (i = 0; i < ALIGN(len, 4); i++) {
			CHECK(i < len || !d[i]);
			sum = (sum ^ d[i]) * 16777619u;
		}
		sum = (sum ^ op ^ (u32)len << 16 ^ (u32)(p - buf)) * 16777619u;
		pos = d + ALIGN(len, 4);
		n++;
	}
	CHECK(n == nlog + ndef);
	CHECK(pos == buf + size);
	return sum ^ n;
}

static void one(const u8 *data, size_t size)
{
	struct i40e_vf_mig_blob blob, blob2;
	const char *why = NULL;
	u8 *copy;
	u32 sum;
	int ret;

	ret = i40e_vf_mig_blob_parse(data, size, &blob, &why);
	CHECK(ret == 0 || ret == -EINVAL);
	CHECK(why);
	if (ret) {
		CHECK(why[0]);
		return;
	}
	CHECK(!why[0]);
	CHECK(size >= HDR_LEN);
	check_hdr(blob.hdr, size);
	sum = walk(&blob, data, size);

	/* The same in a buffer of exactly its length... */
	copy = malloc(size);
	CHECK(copy);
	memcpy(copy, data, size);
	why = NULL;
	CHECK(!i40e_vf_mig_blob_parse(copy, size, &blob2, &why));
	CHECK(why && !why[0]);
	CHECK(walk(&blob2, copy, size) == sum);
	free(copy);

	/* ... and one byte shorter: the header's length no longer matches. */
	copy = malloc(size - 1);
	CHECK(copy);
	memcpy(copy, data, size - 1);
	why = NULL;
	CHECK(i40e_vf_mig_blob_parse(copy, size - 1, &blob2, &why) == -EINVAL);
	CHECK(why && why[0]);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t off = offsetof(struct i40e_vf_mig_blob_hdr, len);
	__le32 len = cpu_to_le32(size);
	u8 *fixed;

	one(data, size);
	if (size >= HDR_LEN && size <= UINT32_MAX && memcmp(data + off, &len, 4)) {
		fixed = malloc(size);
		CHECK(fixed);
		memcpy(fixed, data, size);
		memcpy(fixed + off, &len, 4);
		one(fixed, size);
		free(fixed);
	}
	return 0;
}
