// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the migration stream writer and parser.
 *
 * Built as part of the i40e_vf_mdev_test module in the kernel, and as a
 * userspace program by tests/unit (whose <kunit/test.h> is ktest.h).
 */
#include <kunit/test.h>

#include "regs.h"
#include "stream.h"

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for the i40e_vf_mdev migration engine's pure logic");
/* Linux <= 6.12 spelling; 6.13 made namespace names string literals. */
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define PBUF_SIZE	(64 * 1024)
#define SBUF_SIZE	(64 * 1024)
#define PF_LEN		301
#define END_REC_LEN	(I40E_VF_MDEV_REC_HDR_LEN + I40E_VF_MDEV_END_LEN)

struct sctx {
	struct i40e_vf_mdev_stream_ident id;
	struct i40e_vf_mdev_vf_regs regs;
	struct i40e_vf_mdev_parser p;
	struct i40e_vf_mdev_writer w;
	u8 pf[PF_LEN];
	u8 *s;		/* a valid stream */
	size_t len;
	u8 *work;	/* a modified copy */
	u8 *pbuf;	/* parser buffer */
};

static u32 rnd(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static void make_ident(struct i40e_vf_mdev_stream_ident *id, u16 num_msix,
		       u64 features)
{
	memset(id, 0, sizeof(*id));
	id->vf_vendor = 0x8086;
	id->vf_device = 0x154c;
	id->pf_device = 0x1583;
	id->num_queue_pairs = 4;
	id->num_msix = num_msix;
	id->features = features;
	strscpy(id->type_name, "i40e_vf_mdev-vf", sizeof(id->type_name));
}

static void make_regs(struct i40e_vf_mdev_vf_regs *r, unsigned int nr_qvecs,
		      u32 seed)
{
	unsigned int i, v;
	u32 s = seed | 1;

	memset(r, 0, sizeof(*r));
	r->atq_bal = rnd(&s);
	r->atq_bah = rnd(&s);
	r->atq_len = rnd(&s);
	r->atq_head = rnd(&s);
	r->atq_tail = rnd(&s);
	r->arq_bal = rnd(&s);
	r->arq_bah = rnd(&s);
	r->arq_len = rnd(&s);
	r->arq_head = rnd(&s);
	r->arq_tail = rnd(&s);
	r->icr0_ena1 = rnd(&s);
	r->dyn_ctl01 = rnd(&s);
	for (i = 0; i < I40E_VF_MDEV_NR_HENA; i++)
		r->hena[i] = rnd(&s);
	for (i = 0; i < I40E_VF_MDEV_NR_HKEY; i++)
		r->hkey[i] = rnd(&s);
	for (i = 0; i < I40E_VF_MDEV_NR_HLUT; i++)
		r->hlut[i] = rnd(&s);
	r->nr_qvecs = nr_qvecs;
	for (v = 0; v < nr_qvecs; v++) {
		r->dyn_ctln1[v] = rnd(&s);
		for (i = 0; i < I40E_VF_MDEV_NR_ITR; i++)
			r->itrn1[i][v] = rnd(&s);
	}
}

/* Build the reference stream: header, VF_REGS, PF_STATE if asked, END. */
static struct sctx *sctx_new(struct kunit *test, u16 num_msix, bool with_pf)
{
	struct sctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->s = kunit_kzalloc(test, SBUF_SIZE, GFP_KERNEL);
	c->work = kunit_kzalloc(test, SBUF_SIZE, GFP_KERNEL);
	c->pbuf = kunit_kzalloc(test, PBUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->s);
	KUNIT_ASSERT_NOT_NULL(test, c->work);
	KUNIT_ASSERT_NOT_NULL(test, c->pbuf);

	make_ident(&c->id, num_msix,
		   with_pf ? I40E_VF_MDEV_FEAT_PF_STATE : 0);
	make_regs(&c->regs, num_msix - 1, 0x1234 + num_msix);
	for (i = 0; i < PF_LEN; i++)
		c->pf[i] = (u8)(i * 7 + 3);

	i40e_vf_mdev_writer_init(&c->w, c->s, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(&c->w, &c->id, 0), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_vf_regs(&c->w, &c->regs), 0);
	if (with_pf)
		KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_pf_state(&c->w, 7, c->pf,
								  PF_LEN), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_end(&c->w), 0);
	c->len = c->w.len;
	/* The local identity supports everything by default. */
	c->id.features = I40E_VF_MDEV_FEAT_ALL;
	return c;
}

/* Feed @len bytes in chunks of @chunk (0: all at once), then finish. */
static int parse(struct sctx *c, const u8 *s, size_t len, size_t chunk)
{
	size_t off = 0;
	int ret;

	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	if (!chunk)
		chunk = len ? len : 1;
	while (off < len) {
		size_t n = min_t(size_t, chunk, len - off);

		ret = i40e_vf_mdev_parser_feed(&c->p, s + off, n);
		if (ret)
			return ret;
		off += n;
	}
	return i40e_vf_mdev_parser_finish(&c->p);
}

/* Rewrite END's offset and CRC after the stream was edited. */
static void reseal(u8 *s, size_t len)
{
	u8 *end = s + len - END_REC_LEN;

	put_unaligned_le64(len - END_REC_LEN, end + 24);
	put_unaligned_le32(i40e_vf_mdev_crc32(0, s, len - END_REC_LEN),
			   end + 20);
}

static bool regs_equal(const struct i40e_vf_mdev_vf_regs *a,
		       const struct i40e_vf_mdev_vf_regs *b)
{
	unsigned int i, v;

	if (a->nr_qvecs != b->nr_qvecs || a->atq_bal != b->atq_bal ||
	    a->atq_bah != b->atq_bah || a->atq_len != b->atq_len ||
	    a->atq_head != b->atq_head || a->atq_tail != b->atq_tail ||
	    a->arq_bal != b->arq_bal || a->arq_bah != b->arq_bah ||
	    a->arq_len != b->arq_len || a->arq_head != b->arq_head ||
	    a->arq_tail != b->arq_tail || a->icr0_ena1 != b->icr0_ena1 ||
	    a->dyn_ctl01 != b->dyn_ctl01)
		return false;
	if (memcmp(a->hena, b->hena, sizeof(a->hena)) ||
	    memcmp(a->hkey, b->hkey, sizeof(a->hkey)) ||
	    memcmp(a->hlut, b->hlut, sizeof(a->hlut)))
		return false;
	for (v = 0; v < a->nr_qvecs; v++) {
		if (a->dyn_ctln1[v] != b->dyn_ctln1[v])
			return false;
		for (i = 0; i < I40E_VF_MDEV_NR_ITR; i++)
			if (a->itrn1[i][v] != b->itrn1[i][v])
				return false;
	}
	return true;
}

static void expect_state(struct kunit *test, struct sctx *c, bool with_pf)
{
	const struct i40e_vf_mdev_state *st = i40e_vf_mdev_parser_state(&c->p);

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, st->src.vf_vendor, c->id.vf_vendor);
	KUNIT_EXPECT_EQ(test, st->src.vf_device, c->id.vf_device);
	KUNIT_EXPECT_EQ(test, st->src.pf_device, c->id.pf_device);
	KUNIT_EXPECT_EQ(test, st->src.num_queue_pairs, c->id.num_queue_pairs);
	KUNIT_EXPECT_EQ(test, st->src.num_msix, c->id.num_msix);
	KUNIT_EXPECT_STREQ(test, st->src.type_name, c->id.type_name);
	KUNIT_EXPECT_EQ(test, st->minor, I40E_VF_MDEV_STREAM_MINOR);
	KUNIT_EXPECT_TRUE(test, regs_equal(&st->vf_regs, &c->regs));
	KUNIT_EXPECT_TRUE(test, st->present & BIT(I40E_VF_MDEV_REC_VF_REGS));
	if (with_pf) {
		KUNIT_EXPECT_EQ(test, st->src.features,
				I40E_VF_MDEV_FEAT_PF_STATE);
		KUNIT_EXPECT_EQ(test, st->nr_records, 2);
		KUNIT_EXPECT_EQ(test, st->pf_version, 7);
		KUNIT_ASSERT_EQ(test, st->pf_blob_len, PF_LEN);
		KUNIT_EXPECT_MEMEQ(test, st->pf_blob, c->pf, PF_LEN);
	} else {
		KUNIT_EXPECT_EQ(test, st->src.features, 0);
		KUNIT_EXPECT_EQ(test, st->nr_records, 1);
		KUNIT_EXPECT_EQ(test, st->pf_blob_len, 0);
		KUNIT_EXPECT_FALSE(test, st->present &
				   BIT(I40E_VF_MDEV_REC_PF_STATE));
	}
}

/*
 * @s must be rejected with @code (and its errno), with a message
 * containing @needle, whether it arrives at once or byte by byte.
 */
static void expect_reject(struct kunit *test, struct sctx *c, const u8 *s,
			  size_t len, enum i40e_vf_mdev_stream_err code,
			  const char *needle)
{
	size_t chunks[] = { 0, 1, 7 };
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		ret = parse(c, s, len, chunks[i]);
		KUNIT_EXPECT_EQ_MSG(test, c->p.code, code,
				    "chunk %zu: %s (%s)", chunks[i],
				    i40e_vf_mdev_stream_err_name(c->p.code),
				    c->p.err_msg);
		KUNIT_EXPECT_EQ(test, ret, i40e_vf_mdev_stream_errno(code));
		KUNIT_EXPECT_NULL(test, i40e_vf_mdev_parser_state(&c->p));
		KUNIT_EXPECT_GT(test, strlen(c->p.err_msg), 0);
		if (needle)
			KUNIT_EXPECT_TRUE_MSG(test,
					      strstr(c->p.err_msg, needle),
					      "\"%s\" lacks \"%s\"",
					      c->p.err_msg, needle);
	}
}

static void crc32_known_values(struct kunit *test)
{
	static const char check[] = "123456789";

	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_crc32(0, check, 9), 0xcbf43926);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_crc32(0, check, 0), 0);
	KUNIT_EXPECT_EQ(test,
			i40e_vf_mdev_crc32(i40e_vf_mdev_crc32(0, check, 4),
					   check + 4, 5), 0xcbf43926);
}

static void writer_layout(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	const u8 *s = c->s;
	size_t vf_len = I40E_VF_MDEV_VF_REGS_LEN(4);
	size_t off;

	KUNIT_EXPECT_MEMEQ(test, s, "I40VFMIG", 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 8), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 10), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + 12), 72);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + 16), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 20), 0x8086);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 22), 0x154c);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 24), 0x1583);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 26), 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 28), 5);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + 30), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(s + 32),
			I40E_VF_MDEV_FEAT_PF_STATE);
	KUNIT_EXPECT_MEMEQ(test, s + 40, "i40e_vf_mdev-vf\0", 16);
	KUNIT_EXPECT_EQ(test, s[71], 0);

	/* VF_REGS */
	off = 72;
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off),
			I40E_VF_MDEV_REC_VF_REGS);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 4),
			I40E_VF_MDEV_REC_F_MANDATORY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(s + off + 8), vf_len);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + off + 16), 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(s + off + 18), 3);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16 + 8),
			c->regs.atq_bal);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16 + 52),
			c->regs.dyn_ctl01);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16 + 180 + 12),
			c->regs.dyn_ctln1[3]);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16 + 180 + 16 +
						 4 * (2 * 4 + 1)),
			c->regs.itrn1[2][1]);

	/* PF_STATE */
	off += 16 + ALIGN(vf_len, 8);
	KUNIT_EXPECT_EQ(test, off % 8, 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off),
			I40E_VF_MDEV_REC_PF_STATE);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(s + off + 8), 8 + PF_LEN);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16), 7);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 20), 0);
	KUNIT_EXPECT_MEMEQ(test, s + off + 24, c->pf, PF_LEN);

	/* END */
	off += 16 + ALIGN(8 + PF_LEN, 8);
	KUNIT_EXPECT_EQ(test, off + END_REC_LEN, c->len);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off), I40E_VF_MDEV_REC_END);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 4),
			I40E_VF_MDEV_REC_F_MANDATORY);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(s + off + 8), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 16), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(s + off + 20),
			i40e_vf_mdev_crc32(0, s, off));
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(s + off + 24), off);

	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_stream_size_max(&c->id, PF_LEN),
			c->len);
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_writer_ended(&c->w));
}

static void roundtrip_all_geometries(struct kunit *test)
{
	unsigned int msix;

	for (msix = 1; msix <= I40E_VF_MDEV_MAX_QVECS + 1; msix++) {
		struct sctx *c = sctx_new(test, msix, msix & 1);

		KUNIT_EXPECT_EQ(test, c->len,
				i40e_vf_mdev_stream_size_max(&c->id,
							     msix & 1 ? PF_LEN : 0));
		KUNIT_ASSERT_EQ_MSG(test, parse(c, c->s, c->len, 0), 0,
				    "msix %u: %s", msix, c->p.err_msg);
		expect_state(test, c, msix & 1);
		KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_parser_done(&c->p));
		KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_parser_header_done(&c->p));
	}
}

static void chunked_every_split(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	size_t k;
	int ret;

	for (k = 0; k <= c->len; k++) {
		i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
		ret = i40e_vf_mdev_parser_feed(&c->p, c->s, k);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "split %zu: %s", k,
				    c->p.err_msg);
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_header_done(&c->p),
				k >= I40E_VF_MDEV_STREAM_HDR_LEN);
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_done(&c->p),
				k == c->len);
		ret = i40e_vf_mdev_parser_feed(&c->p, c->s + k, c->len - k);
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "split %zu: %s", k,
				    c->p.err_msg);
		KUNIT_ASSERT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
		expect_state(test, c, true);
	}
}

static void chunked_random_and_bytewise(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 17, true);
	u32 seed = 0xc0ffee;
	unsigned int iter;

	KUNIT_ASSERT_EQ(test, parse(c, c->s, c->len, 1), 0);
	expect_state(test, c, true);

	for (iter = 0; iter < 200; iter++) {
		size_t off = 0, room;
		int ret = 0;

		i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
		while (off < c->len && !ret) {
			size_t n = 1 + rnd(&seed) % (iter < 100 ? 16 : 700);
			u8 *tail;

			n = min_t(size_t, n, c->len - off);
			if (iter & 1) {
				ret = i40e_vf_mdev_parser_feed(&c->p,
							       c->s + off, n);
			} else {
				/* The zero-copy path the kernel uses. */
				tail = i40e_vf_mdev_parser_tail(&c->p, &room);
				KUNIT_ASSERT_GE(test, room, n);
				memcpy(tail, c->s + off, n);
				ret = i40e_vf_mdev_parser_commit(&c->p, n);
			}
			off += n;
		}
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "iter %u: %s", iter,
				    c->p.err_msg);
		KUNIT_ASSERT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
		expect_state(test, c, true);
	}
}

static int grow_cb(struct i40e_vf_mdev_writer *w, size_t need)
{
	struct kunit *test = w->priv;
	size_t cap = max_t(size_t, need, 2 * w->cap);
	u8 *buf;

	cap = min_t(size_t, cap, w->limit);
	buf = kunit_kzalloc(test, cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (w->len)
		memcpy(buf, w->buf, w->len);
	w->buf = buf;
	w->cap = cap;
	return 0;
}

static void writer_grow(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	struct i40e_vf_mdev_writer w;

	c->id.features = I40E_VF_MDEV_FEAT_PF_STATE;
	i40e_vf_mdev_writer_init(&w, NULL, 0, 0, grow_cb, test);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(&w, &c->id, 0), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_pf_state(&w, 7, c->pf, PF_LEN),
			0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	KUNIT_ASSERT_EQ(test, w.len, c->len);
	KUNIT_EXPECT_MEMEQ(test, w.buf, c->s, c->len);
}

static void writer_errors(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	struct i40e_vf_mdev_stream_ident bad;
	struct i40e_vf_mdev_writer *w = &c->w;
	u8 *p;

	/* Records before the header, END before the header. */
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), -EINVAL);
	KUNIT_EXPECT_EQ(test, w->err, -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &c->id, 0), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(w), -EINVAL);

	/* Bad identities and flags. */
	bad = c->id;
	bad.num_msix = 0;
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), -EINVAL);
	bad = c->id;
	bad.num_msix = I40E_VF_MDEV_MAX_QVECS + 2;
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), -EINVAL);
	bad = c->id;
	memset(bad.type_name, 'x', sizeof(bad.type_name));
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), -EINVAL);
	bad = c->id;
	bad.features = BIT_ULL(40);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &c->id, BIT(3)),
			-EINVAL);

	/* Header twice; VF_REGS of the wrong geometry; PF_STATE w/o feature. */
	bad = c->id;
	bad.features = 0;
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	c->regs.nr_qvecs = 3;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), -EINVAL);
	c->regs.nr_qvecs = 4;
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_pf_state(w, 1, c->pf, 4),
			-EINVAL);

	/* begin/commit misuse; records after END; reserved types. */
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_writer_commit(w, 0), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	p = i40e_vf_mdev_writer_begin(w, 0x100, 0, 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(w), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	p = i40e_vf_mdev_writer_begin(w, 0x100, 0, 16);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_writer_commit(w, 17), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_record(w, 0, 0, NULL, 0),
			-EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_record(w, I40E_VF_MDEV_REC_END,
							I40E_VF_MDEV_REC_F_MANDATORY,
							NULL, 0), -EINVAL);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_end(w), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), -EINVAL);
	KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_writer_ended(w));

	/* A fixed buffer too small; a limit too small; errors are sticky. */
	i40e_vf_mdev_writer_init(w, c->work, 100, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), -ENOSPC);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(w), -ENOSPC);
	KUNIT_EXPECT_EQ(test, w->len, I40E_VF_MDEV_STREAM_HDR_LEN);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 100, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(w, &bad, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(w, &c->regs), -EFBIG);
	i40e_vf_mdev_writer_init(w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_write_header(&c->w, &c->id, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_pf_state(w, 1, c->pf,
							  I40E_VF_MDEV_PF_STATE_MAX),
			-EFBIG);
	KUNIT_EXPECT_NULL(test, i40e_vf_mdev_writer_begin(w, 0x100, 0, 8));
}

static void err_bad_magic(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);

	memcpy(c->work, c->s, c->len);
	c->work[0] = 'X';
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_MAGIC,
		      "magic");

	/* Rejected as soon as the first wrong byte arrives. */
	memcpy(c->work, c->s, c->len);
	c->work[5] ^= 0x20;
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, 5), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work + 5, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_BAD_MAGIC);

	/* Something that is not a stream at all, e.g. a QEMU v1 tag. */
	memset(c->work, 0xff, 16);
	expect_reject(test, c, c->work, 16, I40E_VF_MDEV_SERR_BAD_MAGIC, NULL);
}

static void err_version(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	static const u16 majors[] = { 0, 2, 0xffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(majors); i++) {
		memcpy(c->work, c->s, c->len);
		put_unaligned_le16(majors[i], c->work + 8);
		reseal(c->work, c->len);
		expect_reject(test, c, c->work, c->len,
			      I40E_VF_MDEV_SERR_VERSION, "version");
		/* Known after 10 bytes. */
		i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, 9),
				0);
		KUNIT_EXPECT_EQ(test,
				i40e_vf_mdev_parser_feed(&c->p, c->work + 9, 1),
				-EOPNOTSUPP);
	}
}

static void err_header(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	static const u32 hdr_lens[] = { 0, 64, 73, 80, 4104, 0xffffffff };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hdr_lens); i++) {
		memcpy(c->work, c->s, c->len);
		put_unaligned_le32(hdr_lens[i], c->work + 12);
		reseal(c->work, c->len);
		expect_reject(test, c, c->work, c->len,
			      I40E_VF_MDEV_SERR_BAD_HEADER, "header length");
	}

	memcpy(c->work, c->s, c->len);
	put_unaligned_le16(0, c->work + 28);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "MSI-X");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le16(18, c->work + 28);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "MSI-X");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le16(0, c->work + 26);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "queue pairs");

	/* Type name: not terminated, empty, garbage after the NUL. */
	memcpy(c->work, c->s, c->len);
	memset(c->work + 40, 'a', 32);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "type name");
	memcpy(c->work, c->s, c->len);
	c->work[40] = 0;
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "type name");
	memcpy(c->work, c->s, c->len);
	c->work[70] = 'z';
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_HEADER,
		      "type name");

	/* Reserved field, critical flags; advisory flags are fine. */
	memcpy(c->work, c->s, c->len);
	c->work[31] = 1;
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_PADDING,
		      "reserved");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le32(BIT(16), c->work + 16);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len,
		      I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY, "header flags");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le32(BIT(1) | BIT(15), c->work + 16);
	reseal(c->work, c->len);
	KUNIT_ASSERT_EQ(test, parse(c, c->work, c->len, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_state(&c->p)->hdr_flags,
			BIT(1) | BIT(15));
}

static void err_incompatible(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	struct i40e_vf_mdev_stream_ident local = c->id;

	c->id.vf_vendor = 0x8087;
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "vendor");
	c->id = local;
	c->id.vf_device = 0x37cd;
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "VF device 0x154c, this VF 0x37cd");
	c->id = local;
	c->id.num_queue_pairs = 16;
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "queue pairs");
	c->id = local;
	c->id.num_msix = 17;
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "MSI-X");
	c->id = local;
	strscpy(c->id.type_name, "i40e_vf_mdev-vf2", sizeof(c->id.type_name));
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "type");
	c->id = local;
	c->id.features = 0;
	expect_reject(test, c, c->s, c->len, I40E_VF_MDEV_SERR_INCOMPATIBLE,
		      "features");

	/* The PF device is informational. */
	c->id = local;
	c->id.pf_device = 0x1572;
	KUNIT_EXPECT_EQ(test, parse(c, c->s, c->len, 0), 0);

	/* Without a local identity any device is accepted... */
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, c->len), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	/* ...but not unknown features. */
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(BIT_ULL(63) | I40E_VF_MDEV_FEAT_PF_STATE,
			   c->work + 32);
	reseal(c->work, c->len);
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, c->len),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_INCOMPATIBLE);

	/* Rejected as soon as the header is there. */
	c->id = local;
	c->id.num_queue_pairs = 8;
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, 71), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s + 71, 1),
			-EINVAL);
}

static void err_truncated_every_prefix(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	size_t k;
	int ret;

	for (k = 0; k < c->len; k++) {
		i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
		ret = i40e_vf_mdev_parser_feed(&c->p, c->s, k);
		KUNIT_ASSERT_EQ(test, ret, 0);
		ret = i40e_vf_mdev_parser_finish(&c->p);
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_TRUNCATED);
		KUNIT_EXPECT_TRUE(test, strstr(c->p.err_msg, "truncated"));
		KUNIT_EXPECT_NULL(test, i40e_vf_mdev_parser_state(&c->p));
	}
	/* The message says where. */
	parse(c, c->s, 100, 0);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(c->p.err_msg, "inside record VF_REGS"),
			      "%s", c->p.err_msg);
	parse(c, c->s, 80, 0);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(c->p.err_msg, "record header at offset 72"),
			      "%s", c->p.err_msg);
	parse(c, c->s, 40, 0);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(c->p.err_msg, "inside the header"),
			      "%s", c->p.err_msg);
	parse(c, c->s, c->len - END_REC_LEN, 0);
	KUNIT_EXPECT_TRUE_MSG(test, strstr(c->p.err_msg, "before its END"),
			      "%s", c->p.err_msg);
}

static void err_too_big(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	size_t off = I40E_VF_MDEV_STREAM_HDR_LEN;
	u8 *big;
	int ret;

	/* A record length beyond the limit, however large, fails early. */
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(~0ULL, c->work + off + 8);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_TOO_BIG,
		      "too big");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(~0ULL - 3, c->work + off + 8);
	put_unaligned_le32(0x200, c->work + off);
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, off + 16),
			-EFBIG);
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(PBUF_SIZE - off - 16 + 1, c->work + off + 8);
	put_unaligned_le32(0x200, c->work + off);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_TOO_BIG,
		      NULL);

	/* A parser with a small buffer: the stream does not fit. */
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, 200, &c->id);
	ret = i40e_vf_mdev_parser_feed(&c->p, c->s, c->len);
	KUNIT_EXPECT_EQ(test, ret, -EFBIG);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_TOO_BIG);
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, 200, &c->id);
	for (off = 0, ret = 0; off < c->len && !ret; off++)
		ret = i40e_vf_mdev_parser_feed(&c->p, c->s + off, 1);
	KUNIT_EXPECT_EQ(test, ret, -EFBIG);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_TOO_BIG);

	/* PF_STATE over its own cap, in a buffer of the full stream size. */
	big = kunit_kzalloc(test, I40E_VF_MDEV_STREAM_MAX, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	off = I40E_VF_MDEV_STREAM_HDR_LEN + 16 +
	      ALIGN(I40E_VF_MDEV_VF_REGS_LEN(4), 8);
	memcpy(c->work, c->s, off + 16);
	put_unaligned_le64(I40E_VF_MDEV_PF_STATE_MAX + 8, c->work + off + 8);
	i40e_vf_mdev_parser_init(&c->p, big, I40E_VF_MDEV_STREAM_MAX, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, off + 16),
			-EFBIG);
	KUNIT_EXPECT_TRUE(test, strstr(c->p.err_msg, "PF_STATE"));

	/* A buffer larger than the cap is only used up to the cap. */
	i40e_vf_mdev_parser_init(&c->p, big, ~(size_t)0, &c->id);
	KUNIT_EXPECT_EQ(test, c->p.limit, I40E_VF_MDEV_STREAM_MAX);
}

static void err_padding(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	size_t vf_len = I40E_VF_MDEV_VF_REGS_LEN(4);
	size_t vf = I40E_VF_MDEV_STREAM_HDR_LEN;
	size_t pf = vf + 16 + ALIGN(vf_len, 8);

	KUNIT_ASSERT_NE(test, vf_len % 8, 0);
	memcpy(c->work, c->s, c->len);
	c->work[vf + 16 + vf_len] = 1;
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_PADDING,
		      "padding after record VF_REGS");

	memcpy(c->work, c->s, c->len);
	c->work[vf + 16 + 5] = 1;	/* VF_REGS reserved */
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_PADDING,
		      "VF_REGS");

	memcpy(c->work, c->s, c->len);
	c->work[pf + 16 + 4] = 1;	/* PF_STATE reserved */
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_PADDING,
		      "PF_STATE");

	memcpy(c->work, c->s, c->len);
	c->work[pf + 16 + 8 + PF_LEN] = 0x80;	/* PF_STATE padding */
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_PADDING,
		      "padding after record PF_STATE");
}

/* Build header + VF_REGS + extra records + END into c->work. */
static size_t build_with(struct kunit *test, struct sctx *c, u32 type,
			 u32 flags, size_t len, unsigned int copies)
{
	struct i40e_vf_mdev_writer w;
	struct i40e_vf_mdev_stream_ident id = c->id;
	u8 payload[24];
	unsigned int i;

	id.features = 0;
	memset(payload, 0x5a, sizeof(payload));
	i40e_vf_mdev_writer_init(&w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(&w, &id, 0), 0);
	for (i = 0; i < copies; i++)
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_record(&w, type, flags,
								payload, len),
				0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	return w.len;
}

static void unknown_records(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	size_t len;

	/* Optional unknown records are skipped, however many. */
	len = build_with(test, c, 0x100, 0, 13, 3);
	KUNIT_ASSERT_EQ_MSG(test, parse(c, c->work, len, 3), 0, "%s",
			    c->p.err_msg);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_state(&c->p)->nr_records, 4);
	KUNIT_EXPECT_TRUE(test,
			  regs_equal(&i40e_vf_mdev_parser_state(&c->p)->vf_regs,
				     &c->regs));
	/* ... also with advisory flags and an empty payload. */
	len = build_with(test, c, 0xffff, BIT(1) | BIT(15), 0, 1);
	KUNIT_EXPECT_EQ(test, parse(c, c->work, len, 0), 0);

	/* Mandatory unknown records fail as soon as their header arrives. */
	len = build_with(test, c, 0x100, I40E_VF_MDEV_REC_F_MANDATORY, 13, 1);
	expect_reject(test, c, c->work, len,
		      I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY,
		      "unknown mandatory record type 256");
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work,
						       I40E_VF_MDEV_STREAM_HDR_LEN + 16),
			-EOPNOTSUPP);

	/* Critical flags, known or unknown record. */
	len = build_with(test, c, 0x100, BIT(16), 13, 1);
	expect_reject(test, c, c->work, len,
		      I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY, "flags");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le32(I40E_VF_MDEV_REC_F_MANDATORY | BIT(31),
			   c->work + I40E_VF_MDEV_STREAM_HDR_LEN + 4);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len,
		      I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY, "VF_REGS");
}

static void err_duplicate_missing(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	struct i40e_vf_mdev_writer w;
	size_t len;

	len = build_with(test, c, I40E_VF_MDEV_REC_VF_REGS,
			 I40E_VF_MDEV_REC_F_MANDATORY,
			 0, 0);
	KUNIT_EXPECT_EQ(test, parse(c, c->work, len, 0), 0);

	/* VF_REGS twice. */
	i40e_vf_mdev_writer_init(&w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(&w, &c->id, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	expect_reject(test, c, c->work, w.len, I40E_VF_MDEV_SERR_DUPLICATE,
		      "duplicate record VF_REGS");

	/* PF_STATE twice. */
	c->id.features = I40E_VF_MDEV_FEAT_PF_STATE;
	i40e_vf_mdev_writer_init(&w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(&w, &c->id, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_pf_state(&w, 1, c->pf, 9), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_pf_state(&w, 1, c->pf, 9), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	expect_reject(test, c, c->work, w.len, I40E_VF_MDEV_SERR_DUPLICATE,
		      "PF_STATE");

	/* No VF_REGS. */
	i40e_vf_mdev_writer_init(&w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(&w, &c->id, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_pf_state(&w, 1, c->pf, 9), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	expect_reject(test, c, c->work, w.len, I40E_VF_MDEV_SERR_MISSING,
		      "VF_REGS");

	/* The PF_STATE feature without the record. */
	i40e_vf_mdev_writer_init(&w, c->work, SBUF_SIZE, 0, NULL, NULL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_header(&w, &c->id, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_vf_regs(&w, &c->regs), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_write_end(&w), 0);
	expect_reject(test, c, c->work, w.len, I40E_VF_MDEV_SERR_MISSING,
		      "PF_STATE");
}

static void err_trailing(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);

	memcpy(c->work, c->s, c->len);
	c->work[c->len] = 0;
	expect_reject(test, c, c->work, c->len + 1,
		      I40E_VF_MDEV_SERR_TRAILING, "after the END");

	/* In a later write, and after finish. */
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, c->len), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_TRAILING);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), -EINVAL);
	KUNIT_EXPECT_NULL(test, i40e_vf_mdev_parser_state(&c->p));

	/* A whole second stream. */
	memcpy(c->work, c->s, c->len);
	memcpy(c->work + c->len, c->s, c->len);
	expect_reject(test, c, c->work, 2 * c->len,
		      I40E_VF_MDEV_SERR_TRAILING, NULL);
}

static void err_corrupt_end(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	u8 *end;

	memcpy(c->work, c->s, c->len);
	end = c->work + c->len - END_REC_LEN;
	put_unaligned_le32(3, end + 16);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_CORRUPT,
		      "counts 3 records");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(8, end + 24);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_CORRUPT,
		      "offset");
	memcpy(c->work, c->s, c->len);
	end[20] ^= 1;
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_CORRUPT,
		      "CRC");
	/* A flipped bit in a register value only the CRC can see. */
	memcpy(c->work, c->s, c->len);
	c->work[I40E_VF_MDEV_STREAM_HDR_LEN + 16 + 8] ^= 0x10;
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_CORRUPT,
		      "CRC");
}

static void err_bad_record(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	size_t vf = I40E_VF_MDEV_STREAM_HDR_LEN;
	size_t pf = vf + 16 + ALIGN(I40E_VF_MDEV_VF_REGS_LEN(4), 8);
	u8 *end;

	memcpy(c->work, c->s, c->len);
	put_unaligned_le32(0, c->work + vf);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "type 0");

	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(I40E_VF_MDEV_VF_REGS_LEN(5), c->work + vf + 8);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "VF_REGS");

	memcpy(c->work, c->s, c->len);
	put_unaligned_le16(3, c->work + vf + 16);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "geometry");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le16(2, c->work + vf + 18);
	reseal(c->work, c->len);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "geometry");

	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(4, c->work + pf + 8);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "PF_STATE");

	/* PF_STATE in a stream without the feature. */
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(0, c->work + 32);
	reseal(c->work, c->len);
	c->id.features = I40E_VF_MDEV_FEAT_ALL;
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "without the PF_STATE feature");

	/* END must be exactly {END, MANDATORY, 16}. */
	memcpy(c->work, c->s, c->len);
	end = c->work + c->len - END_REC_LEN;
	put_unaligned_le32(0, end + 4);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "END");
	memcpy(c->work, c->s, c->len);
	put_unaligned_le64(24, end + 8);
	expect_reject(test, c, c->work, c->len, I40E_VF_MDEV_SERR_BAD_RECORD,
		      "END");
}

static void minor_version_forward_compat(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	size_t ext = 16, len;
	u8 *s = c->work;

	/* A 1.3 stream: 16 more header bytes and an optional new record. */
	memcpy(s, c->s, I40E_VF_MDEV_STREAM_HDR_LEN);
	put_unaligned_le16(3, s + 10);
	put_unaligned_le32(I40E_VF_MDEV_STREAM_HDR_LEN + ext, s + 12);
	memset(s + I40E_VF_MDEV_STREAM_HDR_LEN, 0xee, ext);
	len = I40E_VF_MDEV_STREAM_HDR_LEN + ext;
	put_unaligned_le32(0x10, s + len);
	put_unaligned_le32(BIT(2), s + len + 4);
	put_unaligned_le64(3, s + len + 8);
	memcpy(s + len + 16, "abc\0\0\0\0\0", 8);
	len += 24;
	memcpy(s + len, c->s + I40E_VF_MDEV_STREAM_HDR_LEN,
	       c->len - I40E_VF_MDEV_STREAM_HDR_LEN);
	len += c->len - I40E_VF_MDEV_STREAM_HDR_LEN;
	put_unaligned_le32(2, s + len - END_REC_LEN + 16);
	reseal(s, len);

	KUNIT_ASSERT_EQ_MSG(test, parse(c, s, len, 5), 0, "%s", c->p.err_msg);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_state(&c->p)->minor, 3);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_state(&c->p)->nr_records, 2);
	KUNIT_EXPECT_TRUE(test,
			  regs_equal(&i40e_vf_mdev_parser_state(&c->p)->vf_regs,
				     &c->regs));
}

static void random_corruption(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 9, true);
	u32 seed = 20250601;
	unsigned int iter, accepted = 0;

	for (iter = 0; iter < 3000; iter++) {
		unsigned int flips = 1 + rnd(&seed) % 4, i;
		size_t len = c->len, chunk = 1 + rnd(&seed) % 64;
		bool changed = false;

		memcpy(c->work, c->s, c->len);
		for (i = 0; i < flips; i++) {
			size_t at = rnd(&seed) % c->len;
			u8 val = (u8)rnd(&seed);

			changed |= c->work[at] != val;
			c->work[at] = val;
		}
		if (iter % 5 == 0)	/* and truncate some */
			len = rnd(&seed) % c->len;
		if (!changed && len == c->len)
			continue;
		if (!parse(c, c->work, len, chunk))
			accepted++;
		else
			KUNIT_EXPECT_NE(test, c->p.code, I40E_VF_MDEV_SERR_NONE);
	}
	KUNIT_EXPECT_EQ(test, accepted, 0);

	/* Random bytes after a valid header. */
	for (iter = 0; iter < 500; iter++) {
		size_t len = I40E_VF_MDEV_STREAM_HDR_LEN + rnd(&seed) % 600;
		size_t i;

		memcpy(c->work, c->s, I40E_VF_MDEV_STREAM_HDR_LEN);
		for (i = I40E_VF_MDEV_STREAM_HDR_LEN; i < len; i++)
			c->work[i] = (u8)rnd(&seed);
		KUNIT_EXPECT_NE(test, parse(c, c->work, len, 1 + iter % 13), 0);
	}
}

static void single_byte_flips(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 3, true);
	size_t at;
	int bit;

	for (at = 0; at < c->len; at++) {
		for (bit = 0; bit < 8; bit += 3) {
			memcpy(c->work, c->s, c->len);
			c->work[at] ^= BIT(bit);
			KUNIT_EXPECT_NE_MSG(test, parse(c, c->work, c->len, 0), 0,
					    "flip of bit %d at %zu accepted",
					    bit, at);
		}
	}
}

static void parser_api(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, false);
	unsigned int code;

	/* Errors are sticky and keep the first message. */
	memcpy(c->work, c->s, c->len);
	c->work[0] = 0;
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->work, 4),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_commit(&c->p, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_BAD_MAGIC);
	KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_parser_header_done(&c->p));

	/* Empty feeds are no-ops; finish is idempotent. */
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, c->len), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	KUNIT_EXPECT_NOT_NULL(test, i40e_vf_mdev_parser_state(&c->p));
	KUNIT_EXPECT_EQ(test, c->p.err_msg[0], 0);

	/* Names and errnos. */
	for (code = 0; code <= I40E_VF_MDEV_SERR_USAGE; code++) {
		KUNIT_EXPECT_STRNEQ(test, i40e_vf_mdev_stream_err_name(code),
				    "unknown error");
		KUNIT_EXPECT_EQ(test, i40e_vf_mdev_stream_errno(code) == 0,
				code == I40E_VF_MDEV_SERR_NONE);
	}
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_stream_err_name(99),
			   "unknown error");
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_stream_errno(I40E_VF_MDEV_SERR_TOO_BIG),
			-EFBIG);
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_rec_name(I40E_VF_MDEV_REC_PF_STATE),
			   "PF_STATE");
	KUNIT_EXPECT_STREQ(test, i40e_vf_mdev_rec_name(77), "unknown");
}

/* What the device's accept hook saw, and what it answers */
struct accept_ctx {
	unsigned int calls;
	size_t pf_len;
	int ret;
};

static int accept_hook(void *priv, const struct i40e_vf_mdev_state *st)
{
	struct accept_ctx *a = priv;

	a->calls++;
	a->pf_len = st->pf_blob_len;
	return a->ret;
}

/*
 * The accept hook runs once, on the byte that completes a valid stream,
 * with the PF state; its refusal rejects the stream as incompatible on
 * that very write, and never runs for an invalid stream.
 */
static void parser_accept_hook(struct kunit *test)
{
	struct sctx *c = sctx_new(test, 5, true);
	struct accept_ctx a = {};

	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	c->p.accept = accept_hook;
	c->p.accept_priv = &a;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, c->len - 1), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s + c->len - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 1);
	KUNIT_EXPECT_EQ(test, a.pf_len, PF_LEN);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 1);

	a = (struct accept_ctx){ .ret = -EINVAL };
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	c->p.accept = accept_hook;
	c->p.accept_priv = &a;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_parser_feed(&c->p, c->s, c->len),
			i40e_vf_mdev_stream_errno(I40E_VF_MDEV_SERR_INCOMPATIBLE));
	KUNIT_EXPECT_EQ(test, c->p.code, I40E_VF_MDEV_SERR_INCOMPATIBLE);
	KUNIT_EXPECT_TRUE(test, strstr(c->p.err_msg, "cannot take the state"));
	KUNIT_EXPECT_NE(test, i40e_vf_mdev_parser_finish(&c->p), 0);
	KUNIT_EXPECT_NULL(test, i40e_vf_mdev_parser_state(&c->p));
	KUNIT_EXPECT_EQ(test, a.calls, 1);

	/* A corrupt stream is refused before the hook is asked */
	a = (struct accept_ctx){};
	memcpy(c->work, c->s, c->len);
	c->work[c->len - 1] ^= 1;
	i40e_vf_mdev_parser_init(&c->p, c->pbuf, PBUF_SIZE, &c->id);
	c->p.accept = accept_hook;
	c->p.accept_priv = &a;
	KUNIT_EXPECT_NE(test, i40e_vf_mdev_parser_feed(&c->p, c->work, c->len), 0);
	KUNIT_EXPECT_EQ(test, a.calls, 0);
}

/* The VF_REGS wire layout, as Documentation/migration.rst gives it */
static void vf_regs_rec_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct i40e_vf_mdev_vf_regs_rec),
			I40E_VF_MDEV_VF_REGS_FIXED_LEN);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, nr_itr),
			2);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, atq_bal),
			8);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, arq_tail),
			44);
	KUNIT_EXPECT_EQ(test,
			offsetof(struct i40e_vf_mdev_vf_regs_rec, icr0_ena1), 48);
	KUNIT_EXPECT_EQ(test,
			offsetof(struct i40e_vf_mdev_vf_regs_rec, dyn_ctl01), 52);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, hena),
			56);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, hkey),
			64);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, hlut),
			116);
	KUNIT_EXPECT_EQ(test, offsetof(struct i40e_vf_mdev_vf_regs_rec, qvec),
			180);
}

/*
 * What a DYN_CTL write does to the vector's ITRs on the XL710: ITR_INDX
 * 0..2 loads INTERVAL into that ITR, 3 leaves them alone.
 */
static void dyn_ctl_write_model(u32 *itr, u32 val)
{
	u32 idx = (val & I40E_VFINT_DYN_CTL_ITR_INDX) >> 3;

	if (idx < I40E_VF_MDEV_NR_ITR)
		itr[idx] = (val & I40E_VFINT_DYN_CTL_INTERVAL) >> 5;
}

/* Restoring DYN_CTLN1/DYN_CTL01 after the ITRs keeps the ITRs */
static void dyn_ctl_restore_keeps_itrs(struct kunit *test)
{
	static const u32 saved[] = {
		0,
		I40E_VFINT_DYN_CTL_INTENA,
		I40E_VFINT_DYN_CTL_INTENA | (0 << 3) | (0x3e << 5),
		I40E_VFINT_DYN_CTL_INTENA | (1 << 3) | (0x7a << 5),
		(2 << 3) | (0x12 << 5),
		I40E_VFINT_DYN_CTL_ITR_INDX | (0xfff << 5),
		I40E_VFINT_DYN_CTL_CLEARPBA | I40E_VFINT_DYN_CTL_SWINT_TRIG |
		I40E_VFINT_DYN_CTL_SW_ITR_ENA | I40E_VFINT_DYN_CTL_SW_ITR_INDX |
		I40E_VFINT_DYN_CTL_INTENA_MSK,
		0xffffffff,
	};
	static const u32 commands = I40E_VFINT_DYN_CTL_CLEARPBA |
				    I40E_VFINT_DYN_CTL_SWINT_TRIG |
				    I40E_VFINT_DYN_CTL_SW_ITR_ENA |
				    I40E_VFINT_DYN_CTL_SW_ITR_INDX |
				    I40E_VFINT_DYN_CTL_INTENA_MSK;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(saved); i++) {
		u32 itr[I40E_VF_MDEV_NR_ITR] = { 0x10, 0x20, 0x30 };
		u32 val = i40e_vf_mdev_dyn_ctl_restore(saved[i]);

		dyn_ctl_write_model(itr, val);
		KUNIT_EXPECT_EQ(test, itr[0], 0x10);
		KUNIT_EXPECT_EQ(test, itr[1], 0x20);
		KUNIT_EXPECT_EQ(test, itr[2], 0x30);
		KUNIT_EXPECT_EQ(test, val & I40E_VFINT_DYN_CTL_ITR_INDX,
				I40E_VFINT_DYN_CTL_ITR_INDX);
		KUNIT_EXPECT_EQ(test, val & I40E_VFINT_DYN_CTL_INTENA,
				saved[i] & I40E_VFINT_DYN_CTL_INTENA);
		KUNIT_EXPECT_EQ(test, val & commands, 0);
	}
}

/* VFGEN_RSTAT tells a VF that answers from one that does not */
static void rstat_answered(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_rstat_answered(I40E_VFR_INPROGRESS));
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_rstat_answered(I40E_VFR_COMPLETED));
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_rstat_answered(I40E_VFR_VFACTIVE));
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_rstat_answered(3));
	KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_rstat_answered(0xffffffff));
	KUNIT_EXPECT_FALSE(test, i40e_vf_mdev_rstat_answered(4));
}

static struct kunit_case stream_cases[] = {
	KUNIT_CASE(crc32_known_values),
	KUNIT_CASE(writer_layout),
	KUNIT_CASE(roundtrip_all_geometries),
	KUNIT_CASE(chunked_every_split),
	KUNIT_CASE(chunked_random_and_bytewise),
	KUNIT_CASE(writer_grow),
	KUNIT_CASE(writer_errors),
	KUNIT_CASE(err_bad_magic),
	KUNIT_CASE(err_version),
	KUNIT_CASE(err_header),
	KUNIT_CASE(err_incompatible),
	KUNIT_CASE(err_truncated_every_prefix),
	KUNIT_CASE(err_too_big),
	KUNIT_CASE(err_padding),
	KUNIT_CASE(unknown_records),
	KUNIT_CASE(err_duplicate_missing),
	KUNIT_CASE(err_trailing),
	KUNIT_CASE(err_corrupt_end),
	KUNIT_CASE(err_bad_record),
	KUNIT_CASE(minor_version_forward_compat),
	KUNIT_CASE(random_corruption),
	KUNIT_CASE(single_byte_flips),
	KUNIT_CASE(parser_api),
	KUNIT_CASE(parser_accept_hook),
	KUNIT_CASE(vf_regs_rec_layout),
	KUNIT_CASE(dyn_ctl_restore_keeps_itrs),
	KUNIT_CASE(rstat_answered),
	{}
};

static struct kunit_suite stream_suite = {
	.name = "i40e_vf_mdev_stream",
	.test_cases = stream_cases,
};

kunit_test_suite(stream_suite);
