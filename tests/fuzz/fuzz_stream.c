// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the migration stream parser.
 *
 * The input is a stream. It is fed to the parser in chunks whose sizes
 * come from a hash of the input (so the same input always splits the same
 * way, and the fuzzer explores splits by mutating), through feed() or the
 * zero-copy tail()/commit() path, against one of several local identities
 * and buffer sizes. Checked on every input:
 *
 *  - no crash, no sanitizer report, no read or write outside the buffers;
 *  - a stream is accepted iff finish() returns 0 iff a state is returned;
 *  - a rejected stream has an error code, its errno and a message;
 *  - an accepted stream's state survives a write/parse round trip.
 */
#include <stdlib.h>

#include "stream.h"
#include "fuzz_check.h"

#define BUF_SIZE	I40E_VF_MDEV_STREAM_MAX

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static u32 xorshift(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static u32 fnv1a(const u8 *d, size_t n)
{
	u32 h = 2166136261u;

	while (n--)
		h = (h ^ *d++) * 16777619u;
	return h;
}

/* The identity gen_corpus.c writes, so that seeds get past the header. */
static void local_ident(struct i40e_vf_mdev_stream_ident *id, u16 num_msix)
{
	memset(id, 0, sizeof(*id));
	id->vf_vendor = 0x8086;
	id->vf_device = 0x154c;
	id->pf_device = 0x1583;
	id->num_queue_pairs = 4;
	id->num_msix = num_msix;
	id->features = I40E_VF_MDEV_FEAT_ALL;
	strscpy(id->type_name, "i40e_vf_mdev-vf", sizeof(id->type_name));
}

/* Write @st out again and parse it: the same state must come back. */
static void roundtrip(const struct i40e_vf_mdev_state *st, u8 *out, u8 *pbuf)
{
	struct i40e_vf_mdev_writer w;
	struct i40e_vf_mdev_parser *p = malloc(sizeof(*p));
	const struct i40e_vf_mdev_state *st2;
	struct i40e_vf_mdev_stream_ident id = st->src;

	CHECK(p);
	i40e_vf_mdev_writer_init(&w, out, BUF_SIZE, 0, NULL, NULL);
	CHECK(!i40e_vf_mdev_write_header(&w, &id, 0));
	CHECK(!i40e_vf_mdev_write_vf_regs(&w, &st->vf_regs));
	if (st->present & BIT(I40E_VF_MDEV_REC_PF_STATE))
		CHECK(!i40e_vf_mdev_write_pf_state(&w, st->pf_version,
						   st->pf_blob,
						   st->pf_blob_len));
	CHECK(!i40e_vf_mdev_write_end(&w));
	CHECK(w.len <= i40e_vf_mdev_stream_size_max(&id, st->pf_blob_len));

	i40e_vf_mdev_parser_init(p, pbuf, BUF_SIZE, &id);
	CHECK(!i40e_vf_mdev_parser_feed(p, w.buf, w.len));
	CHECK(!i40e_vf_mdev_parser_finish(p));
	st2 = i40e_vf_mdev_parser_state(p);
	CHECK(st2);
	CHECK(!memcmp(&st2->src, &st->src, sizeof(st->src)));
	CHECK(st2->vf_regs.nr_qvecs == st->vf_regs.nr_qvecs);
	CHECK(!memcmp(&st2->vf_regs, &st->vf_regs, sizeof(st->vf_regs)));
	CHECK(st2->pf_version == st->pf_version);
	CHECK(st2->pf_blob_len == st->pf_blob_len);
	CHECK(!st->pf_blob_len ||
	      !memcmp(st2->pf_blob, st->pf_blob, st->pf_blob_len));
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u8 *buf, *out, *pbuf2;
	struct i40e_vf_mdev_stream_ident local;
	struct i40e_vf_mdev_parser *p;
	const struct i40e_vf_mdev_state *st;
	u32 seed = fnv1a(data, size) | 1;
	u32 mode = xorshift(&seed);
	size_t limit = BUF_SIZE, off = 0;
	int ret = 0, fin;

	if (!buf) {
		buf = malloc(BUF_SIZE);
		out = malloc(BUF_SIZE);
		pbuf2 = malloc(BUF_SIZE);
		CHECK(buf && out && pbuf2);
	}
	p = malloc(sizeof(*p));
	CHECK(p);

	/* Most inputs against the corpus identity, some against others. */
	local_ident(&local, 5);
	switch (mode % 8) {
	case 0:
		local.features = 0;
		break;
	case 1:
		local.num_msix = 17;
		break;
	case 2:
		limit = 1 + xorshift(&seed) % 2048;	/* small buffer */
		break;
	default:
		break;
	}
	i40e_vf_mdev_parser_init(p, buf, limit, mode % 8 == 3 ? NULL : &local);

	while (off < size && !ret) {
		size_t n, room;
		u32 r = xorshift(&seed);

		/* Mostly small chunks, sometimes big ones, sometimes all. */
		if (r % 16 == 0)
			n = size - off;
		else
			n = 1 + (r >> 8) % (r % 4 == 0 ? 4096 : 97);
		if (n > size - off)
			n = size - off;
		if (mode & 0x100) {
			u8 *tail = i40e_vf_mdev_parser_tail(p, &room);

			if (n <= room)
				memcpy(tail, data + off, n);
			ret = i40e_vf_mdev_parser_commit(p, n);
		} else {
			ret = i40e_vf_mdev_parser_feed(p, data + off, n);
		}
		off += n;
		CHECK(p->len <= p->limit && p->pos <= p->len);
	}
	fin = i40e_vf_mdev_parser_finish(p);
	st = i40e_vf_mdev_parser_state(p);

	CHECK(!ret || fin == ret);
	CHECK(!fin == !!st);
	CHECK(memchr(p->err_msg, 0, sizeof(p->err_msg)));
	if (fin) {
		CHECK(p->code != I40E_VF_MDEV_SERR_NONE);
		CHECK(fin == i40e_vf_mdev_stream_errno(p->code));
		CHECK(p->err_msg[0]);
		/* Errors are sticky. */
		CHECK(i40e_vf_mdev_parser_feed(p, data, 1) == fin);
	} else {
		CHECK(p->code == I40E_VF_MDEV_SERR_NONE && !p->err_msg[0]);
		CHECK(off == size && p->len == size && p->pos == size);
		CHECK(st->vf_regs.nr_qvecs + 1 == st->src.num_msix);
		CHECK(st->present & BIT(I40E_VF_MDEV_REC_VF_REGS));
		CHECK(st->pf_blob_len <= I40E_VF_MDEV_PF_STATE_MAX);
		if (st->pf_blob_len)
			CHECK(st->pf_blob >= buf &&
			      st->pf_blob + st->pf_blob_len <= buf + size);
		roundtrip(st, out, pbuf2);
	}
	free(p);
	return 0;
}
