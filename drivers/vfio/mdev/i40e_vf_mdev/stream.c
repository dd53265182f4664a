// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev - migration stream writer and incremental parser.
 *
 * The format is specified in Documentation/migration.rst and summarised in
 * stream.h. Everything here is pure: it touches no device, allocates no
 * memory and builds in userspace for the unit tests and the fuzzer (which
 * get crc32_le() and get/put_unaligned_le*() from tests/unit/include/).
 */
#include "stream.h"

enum {
	W_INIT,		/* nothing written */
	W_RECORDS,	/* header written, records may follow */
	W_OPEN,		/* a record was begun, waiting for commit */
	W_ENDED,	/* END written */
};

enum {
	P_HEADER,	/* receiving the header */
	P_REC_HDR,	/* receiving a record header */
	P_REC_BODY,	/* receiving a record payload and padding */
	P_DONE,		/* END accepted */
};

/**
 * i40e_vf_mdev_crc32 - CRC-32 (IEEE 802.3, zlib) of a buffer
 * @crc: CRC of the preceding data, 0 to start
 * @data: the data
 * @len: its length
 *
 * Same result as zlib's crc32(crc, data, len), so streams can be checked
 * with ordinary tools.
 *
 * Return: the CRC of the preceding data followed by @data.
 */
u32 i40e_vf_mdev_crc32(u32 crc, const void *data, size_t len)
{
	/* zlib inverts before and after, crc32_le() leaves it to callers */
	return ~crc32_le(~crc, data, len);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_crc32);

static size_t stream_limit(size_t limit)
{
	if (!limit || limit > I40E_VF_MDEV_STREAM_MAX)
		return I40E_VF_MDEV_STREAM_MAX;
	return limit;
}

static bool type_name_valid(const char *name)
{
	size_t n = strnlen(name, I40E_VF_MDEV_TYPE_NAME_LEN);
	size_t i;

	if (!n || n == I40E_VF_MDEV_TYPE_NAME_LEN)
		return false;
	for (i = n; i < I40E_VF_MDEV_TYPE_NAME_LEN; i++)
		if (name[i])
			return false;
	return true;
}

static bool ident_valid(const struct i40e_vf_mdev_stream_ident *id)
{
	return id->num_msix >= 1 &&
	       id->num_msix <= I40E_VF_MDEV_MAX_QVECS + 1 &&
	       id->num_queue_pairs >= 1 &&
	       !(id->features & ~I40E_VF_MDEV_FEAT_ALL) &&
	       type_name_valid(id->type_name);
}

/* Writer */

/**
 * i40e_vf_mdev_writer_init - prepare a writer
 * @w: the writer
 * @buf: initial buffer, may be NULL if @cap is 0
 * @cap: size of @buf
 * @limit: maximum stream size; 0 or anything above I40E_VF_MDEV_STREAM_MAX
 *	means I40E_VF_MDEV_STREAM_MAX
 * @grow: called when @buf is too small, or NULL for a fixed buffer
 * @priv: stored in @w->priv for @grow
 */
void i40e_vf_mdev_writer_init(struct i40e_vf_mdev_writer *w, void *buf,
			      size_t cap, size_t limit,
			      i40e_vf_mdev_grow_t grow, void *priv)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = buf ? cap : 0;
	w->limit = stream_limit(limit);
	w->grow = grow;
	w->priv = priv;
	w->phase = W_INIT;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_writer_init);

static int writer_fail(struct i40e_vf_mdev_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

/* Make room for @n more bytes after w->len. */
static int writer_reserve(struct i40e_vf_mdev_writer *w, size_t n)
{
	size_t need;
	int ret;

	if (w->len > w->limit || n > w->limit - w->len)
		return writer_fail(w, -EFBIG);
	need = w->len + n;
	if (need <= w->cap)
		return 0;
	if (!w->grow)
		return writer_fail(w, -ENOSPC);
	ret = w->grow(w, need);
	if (ret)
		return writer_fail(w, ret);
	if (!w->buf || w->cap < need)
		return writer_fail(w, -ENOMEM);
	return 0;
}

/**
 * i40e_vf_mdev_write_header - write the stream header
 * @w: the writer, freshly initialised
 * @id: identity of the source device and the features the stream uses
 * @flags: header flags (none defined, must be 0)
 *
 * Return: 0, or a negative errno (also stored in @w->err): -EINVAL for a
 * bad @id or @flags or a call out of order, -EFBIG/-ENOSPC/-ENOMEM when the
 * buffer cannot take the header.
 */
int i40e_vf_mdev_write_header(struct i40e_vf_mdev_writer *w,
			      const struct i40e_vf_mdev_stream_ident *id,
			      u32 flags)
{
	u8 *h;
	int ret;

	if (w->err)
		return w->err;
	if (w->phase != W_INIT || !ident_valid(id) ||
	    (flags & ~I40E_VF_MDEV_HDR_FLAGS_KNOWN))
		return writer_fail(w, -EINVAL);
	ret = writer_reserve(w, I40E_VF_MDEV_STREAM_HDR_LEN);
	if (ret)
		return ret;

	h = w->buf + w->len;
	memset(h, 0, I40E_VF_MDEV_STREAM_HDR_LEN);
	memcpy(h + I40E_VF_MDEV_HDR_OFF_MAGIC, I40E_VF_MDEV_STREAM_MAGIC,
	       I40E_VF_MDEV_STREAM_MAGIC_LEN);
	put_unaligned_le16(I40E_VF_MDEV_STREAM_MAJOR,
			   h + I40E_VF_MDEV_HDR_OFF_MAJOR);
	put_unaligned_le16(I40E_VF_MDEV_STREAM_MINOR,
			   h + I40E_VF_MDEV_HDR_OFF_MINOR);
	put_unaligned_le32(I40E_VF_MDEV_STREAM_HDR_LEN,
			   h + I40E_VF_MDEV_HDR_OFF_HDR_LEN);
	put_unaligned_le32(flags, h + I40E_VF_MDEV_HDR_OFF_FLAGS);
	put_unaligned_le16(id->vf_vendor, h + I40E_VF_MDEV_HDR_OFF_VF_VENDOR);
	put_unaligned_le16(id->vf_device, h + I40E_VF_MDEV_HDR_OFF_VF_DEVICE);
	put_unaligned_le16(id->pf_device, h + I40E_VF_MDEV_HDR_OFF_PF_DEVICE);
	put_unaligned_le16(id->num_queue_pairs, h + I40E_VF_MDEV_HDR_OFF_NUM_QP);
	put_unaligned_le16(id->num_msix, h + I40E_VF_MDEV_HDR_OFF_NUM_MSIX);
	put_unaligned_le64(id->features, h + I40E_VF_MDEV_HDR_OFF_FEATURES);
	memcpy(h + I40E_VF_MDEV_HDR_OFF_TYPE_NAME, id->type_name,
	       strnlen(id->type_name, I40E_VF_MDEV_TYPE_NAME_LEN));

	w->len += I40E_VF_MDEV_STREAM_HDR_LEN;
	w->phase = W_RECORDS;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_write_header);

/* Header values (at the start of the buffer) the record writers check. */
static u64 writer_features(const struct i40e_vf_mdev_writer *w)
{
	return get_unaligned_le64(w->buf + I40E_VF_MDEV_HDR_OFF_FEATURES);
}

static u16 writer_num_msix(const struct i40e_vf_mdev_writer *w)
{
	return get_unaligned_le16(w->buf + I40E_VF_MDEV_HDR_OFF_NUM_MSIX);
}

/**
 * i40e_vf_mdev_writer_begin - open a record whose payload the caller builds
 * @w: the writer
 * @type: record type (not END, not 0)
 * @flags: record flags (I40E_VF_MDEV_REC_F_*)
 * @max_len: the most payload bytes the caller will write
 *
 * Reserves room and returns where the payload goes, so that a producer can
 * serialise straight into the stream. The pointer is valid until
 * i40e_vf_mdev_writer_commit(), which must come next.
 *
 * Return: the payload area, or NULL on error (see @w->err).
 */
void *i40e_vf_mdev_writer_begin(struct i40e_vf_mdev_writer *w, u32 type,
				u32 flags, size_t max_len)
{
	u8 *r;

	if (w->err)
		return NULL;
	if (w->phase != W_RECORDS || type == I40E_VF_MDEV_REC_INVALID ||
	    type == I40E_VF_MDEV_REC_END) {
		writer_fail(w, -EINVAL);
		return NULL;
	}
	if (max_len > w->limit) {
		writer_fail(w, -EFBIG);
		return NULL;
	}
	if (writer_reserve(w, I40E_VF_MDEV_REC_HDR_LEN +
			      ALIGN(max_len, (size_t)I40E_VF_MDEV_REC_ALIGN)))
		return NULL;

	r = w->buf + w->len;
	put_unaligned_le32(type, r);
	put_unaligned_le32(flags, r + 4);
	put_unaligned_le64(0, r + 8);
	w->rec_start = w->len;
	w->rec_max = max_len;
	w->phase = W_OPEN;
	return r + I40E_VF_MDEV_REC_HDR_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_writer_begin);

/**
 * i40e_vf_mdev_writer_commit - close the record opened by writer_begin
 * @w: the writer
 * @len: payload bytes actually written, at most the reserved maximum
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_writer_commit(struct i40e_vf_mdev_writer *w, size_t len)
{
	size_t padded = ALIGN(len, (size_t)I40E_VF_MDEV_REC_ALIGN);
	u8 *r;

	if (w->err)
		return w->err;
	if (w->phase != W_OPEN || len > w->rec_max)
		return writer_fail(w, -EINVAL);

	r = w->buf + w->rec_start;
	put_unaligned_le64(len, r + 8);
	memset(r + I40E_VF_MDEV_REC_HDR_LEN + len, 0, padded - len);
	w->len = w->rec_start + I40E_VF_MDEV_REC_HDR_LEN + padded;
	w->nr_records++;
	w->phase = W_RECORDS;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_writer_commit);

/**
 * i40e_vf_mdev_write_record - append a record with a ready payload
 * @w: the writer
 * @type: record type (not END, not 0)
 * @flags: record flags (I40E_VF_MDEV_REC_F_*)
 * @payload: the payload, may be NULL if @len is 0
 * @len: payload length
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_write_record(struct i40e_vf_mdev_writer *w, u32 type,
			      u32 flags, const void *payload, size_t len)
{
	u8 *p = i40e_vf_mdev_writer_begin(w, type, flags, len);

	if (!p)
		return w->err;
	if (len)
		memcpy(p, payload, len);
	return i40e_vf_mdev_writer_commit(w, len);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_write_record);

/**
 * i40e_vf_mdev_write_vf_regs - append the VF_REGS record
 * @w: the writer
 * @regs: register values; @regs->nr_qvecs must be the header's num_msix - 1
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_write_vf_regs(struct i40e_vf_mdev_writer *w,
			       const struct i40e_vf_mdev_vf_regs *regs)
{
	struct i40e_vf_mdev_vf_regs_rec *r;
	unsigned int n = regs->nr_qvecs;
	unsigned int i, v;
	size_t len;

	if (w->err)
		return w->err;
	if (w->phase != W_RECORDS || n > I40E_VF_MDEV_MAX_QVECS ||
	    n + 1 != writer_num_msix(w))
		return writer_fail(w, -EINVAL);

	len = I40E_VF_MDEV_VF_REGS_LEN(n);
	r = i40e_vf_mdev_writer_begin(w, I40E_VF_MDEV_REC_VF_REGS,
				      I40E_VF_MDEV_REC_F_MANDATORY, len);
	if (!r)
		return w->err;

	r->nr_qvecs = cpu_to_le16(n);
	r->nr_itr = cpu_to_le16(I40E_VF_MDEV_NR_ITR);
	r->rsvd = 0;
	r->atq_bal = cpu_to_le32(regs->atq_bal);
	r->atq_bah = cpu_to_le32(regs->atq_bah);
	r->atq_len = cpu_to_le32(regs->atq_len);
	r->atq_head = cpu_to_le32(regs->atq_head);
	r->atq_tail = cpu_to_le32(regs->atq_tail);
	r->arq_bal = cpu_to_le32(regs->arq_bal);
	r->arq_bah = cpu_to_le32(regs->arq_bah);
	r->arq_len = cpu_to_le32(regs->arq_len);
	r->arq_head = cpu_to_le32(regs->arq_head);
	r->arq_tail = cpu_to_le32(regs->arq_tail);
	r->icr0_ena1 = cpu_to_le32(regs->icr0_ena1);
	r->dyn_ctl01 = cpu_to_le32(regs->dyn_ctl01);
	for (i = 0; i < I40E_VF_MDEV_NR_HENA; i++)
		r->hena[i] = cpu_to_le32(regs->hena[i]);
	for (i = 0; i < I40E_VF_MDEV_NR_HKEY; i++)
		r->hkey[i] = cpu_to_le32(regs->hkey[i]);
	for (i = 0; i < I40E_VF_MDEV_NR_HLUT; i++)
		r->hlut[i] = cpu_to_le32(regs->hlut[i]);
	for (v = 0; v < n; v++)
		r->qvec[v] = cpu_to_le32(regs->dyn_ctln1[v]);
	for (i = 0; i < I40E_VF_MDEV_NR_ITR; i++)
		for (v = 0; v < n; v++)
			r->qvec[n + i * n + v] = cpu_to_le32(regs->itrn1[i][v]);

	return i40e_vf_mdev_writer_commit(w, len);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_write_vf_regs);

/**
 * i40e_vf_mdev_write_pf_state - append the PF_STATE record
 * @w: the writer; its header must have I40E_VF_MDEV_FEAT_PF_STATE
 * @version: format version of @blob, defined by the PF services
 * @blob: opaque PF state
 * @len: its length, at most I40E_VF_MDEV_PF_STATE_MAX - 8
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_write_pf_state(struct i40e_vf_mdev_writer *w, u32 version,
				const void *blob, size_t len)
{
	u8 *p;

	if (w->err)
		return w->err;
	if (w->phase != W_RECORDS ||
	    !(writer_features(w) & I40E_VF_MDEV_FEAT_PF_STATE))
		return writer_fail(w, -EINVAL);
	if (len > I40E_VF_MDEV_PF_STATE_MAX - I40E_VF_MDEV_PF_STATE_HDR_LEN)
		return writer_fail(w, -EFBIG);

	p = i40e_vf_mdev_writer_begin(w, I40E_VF_MDEV_REC_PF_STATE,
				      I40E_VF_MDEV_REC_F_MANDATORY,
				      I40E_VF_MDEV_PF_STATE_HDR_LEN + len);
	if (!p)
		return w->err;
	put_unaligned_le32(version, p);
	put_unaligned_le32(0, p + 4);
	if (len)
		memcpy(p + I40E_VF_MDEV_PF_STATE_HDR_LEN, blob, len);
	return i40e_vf_mdev_writer_commit(w, I40E_VF_MDEV_PF_STATE_HDR_LEN +
					  len);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_write_pf_state);

/**
 * i40e_vf_mdev_write_end - append the END record and seal the stream
 * @w: the writer
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_write_end(struct i40e_vf_mdev_writer *w)
{
	u8 *r;
	int ret;

	if (w->err)
		return w->err;
	if (w->phase != W_RECORDS)
		return writer_fail(w, -EINVAL);
	ret = writer_reserve(w, I40E_VF_MDEV_REC_HDR_LEN +
				I40E_VF_MDEV_END_LEN);
	if (ret)
		return ret;

	r = w->buf + w->len;
	put_unaligned_le32(I40E_VF_MDEV_REC_END, r);
	put_unaligned_le32(I40E_VF_MDEV_REC_F_MANDATORY, r + 4);
	put_unaligned_le64(I40E_VF_MDEV_END_LEN, r + 8);
	put_unaligned_le32(w->nr_records, r + 16);
	put_unaligned_le32(i40e_vf_mdev_crc32(0, w->buf, w->len), r + 20);
	put_unaligned_le64(w->len, r + 24);
	w->len += I40E_VF_MDEV_REC_HDR_LEN + I40E_VF_MDEV_END_LEN;
	w->phase = W_ENDED;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_write_end);

/**
 * i40e_vf_mdev_writer_ended - whether the END record has been written
 * @w: the writer
 *
 * Return: true once i40e_vf_mdev_write_end() succeeded.
 */
bool i40e_vf_mdev_writer_ended(const struct i40e_vf_mdev_writer *w)
{
	return w->phase == W_ENDED && !w->err;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_writer_ended);

/**
 * i40e_vf_mdev_stream_size_max - upper bound of a stream's size
 * @id: identity the header will carry
 * @pf_blob_len: size of the PF blob, 0 if there is none
 *
 * For VFIO_DEVICE_FEATURE_MIG_DATA_SIZE and for sizing buffers.
 *
 * Return: the size in bytes of a complete stream with a header, VF_REGS,
 * PF_STATE (if @pf_blob_len) and END.
 */
size_t i40e_vf_mdev_stream_size_max(const struct i40e_vf_mdev_stream_ident *id,
				    size_t pf_blob_len)
{
	unsigned int n = id->num_msix ? id->num_msix - 1 : 0;
	size_t size;

	if (n > I40E_VF_MDEV_MAX_QVECS)
		n = I40E_VF_MDEV_MAX_QVECS;
	size = I40E_VF_MDEV_STREAM_HDR_LEN + I40E_VF_MDEV_REC_HDR_LEN +
	       ALIGN(I40E_VF_MDEV_VF_REGS_LEN(n), I40E_VF_MDEV_REC_ALIGN);
	if (pf_blob_len)
		size += I40E_VF_MDEV_REC_HDR_LEN +
			ALIGN(I40E_VF_MDEV_PF_STATE_HDR_LEN + pf_blob_len,
			      (size_t)I40E_VF_MDEV_REC_ALIGN);
	return size + I40E_VF_MDEV_REC_HDR_LEN + I40E_VF_MDEV_END_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_stream_size_max);

/* Parser */

/**
 * i40e_vf_mdev_stream_errno - the errno reported for a parser error
 * @code: the parser error
 *
 * Return: -EOPNOTSUPP for streams of an unsupported version or with
 * unknown mandatory content, -EFBIG for oversized ones, 0 for
 * I40E_VF_MDEV_SERR_NONE and -EINVAL for everything else.
 */
int i40e_vf_mdev_stream_errno(enum i40e_vf_mdev_stream_err code)
{
	switch (code) {
	case I40E_VF_MDEV_SERR_NONE:
		return 0;
	case I40E_VF_MDEV_SERR_VERSION:
	case I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY:
		return -EOPNOTSUPP;
	case I40E_VF_MDEV_SERR_TOO_BIG:
		return -EFBIG;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_stream_errno);

/**
 * i40e_vf_mdev_stream_err_name - short name of a parser error
 * @code: the parser error
 *
 * Return: a static string.
 */
const char *i40e_vf_mdev_stream_err_name(enum i40e_vf_mdev_stream_err code)
{
	static const char * const names[] = {
		[I40E_VF_MDEV_SERR_NONE] = "no error",
		[I40E_VF_MDEV_SERR_BAD_MAGIC] = "bad magic",
		[I40E_VF_MDEV_SERR_VERSION] = "unsupported version",
		[I40E_VF_MDEV_SERR_BAD_HEADER] = "bad header",
		[I40E_VF_MDEV_SERR_INCOMPATIBLE] = "incompatible device",
		[I40E_VF_MDEV_SERR_TRUNCATED] = "truncated",
		[I40E_VF_MDEV_SERR_TOO_BIG] = "too big",
		[I40E_VF_MDEV_SERR_BAD_PADDING] = "bad padding",
		[I40E_VF_MDEV_SERR_BAD_RECORD] = "bad record",
		[I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY] = "unknown mandatory",
		[I40E_VF_MDEV_SERR_DUPLICATE] = "duplicate record",
		[I40E_VF_MDEV_SERR_MISSING] = "missing record",
		[I40E_VF_MDEV_SERR_TRAILING] = "trailing data",
		[I40E_VF_MDEV_SERR_CORRUPT] = "corrupt",
		[I40E_VF_MDEV_SERR_USAGE] = "usage",
	};

	if ((unsigned int)code >= ARRAY_SIZE(names) || !names[code])
		return "unknown error";
	return names[code];
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_stream_err_name);

/**
 * i40e_vf_mdev_rec_name - name of a record type
 * @type: the type
 *
 * Return: a static string, "unknown" for types this parser does not know.
 */
const char *i40e_vf_mdev_rec_name(u32 type)
{
	switch (type) {
	case I40E_VF_MDEV_REC_END:
		return "END";
	case I40E_VF_MDEV_REC_VF_REGS:
		return "VF_REGS";
	case I40E_VF_MDEV_REC_PF_STATE:
		return "PF_STATE";
	default:
		return "unknown";
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_rec_name);

/**
 * i40e_vf_mdev_parser_init - prepare a parser for one stream
 * @p: the parser
 * @buf: buffer that will hold the stream while it is parsed
 * @size: size of @buf; streams above min(@size, I40E_VF_MDEV_STREAM_MAX)
 *	are rejected as too big
 * @local: this device's identity and supported features, or NULL to accept
 *	any source device (tools that only inspect streams)
 */
void i40e_vf_mdev_parser_init(struct i40e_vf_mdev_parser *p, void *buf,
			      size_t size,
			      const struct i40e_vf_mdev_stream_ident *local)
{
	memset(p, 0, sizeof(*p));
	p->buf = buf;
	p->limit = buf ? min_t(size_t, size, I40E_VF_MDEV_STREAM_MAX) : 0;
	p->phase = P_HEADER;
	if (local) {
		p->check_ident = true;
		p->local = *local;
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_init);

static __printf(3, 4)
int parser_fail(struct i40e_vf_mdev_parser *p,
		enum i40e_vf_mdev_stream_err code, const char *fmt, ...)
{
	va_list args;

	if (p->err)
		return p->err;
	p->code = code;
	p->err = i40e_vf_mdev_stream_errno(code);
	va_start(args, fmt);
	vsnprintf(p->err_msg, sizeof(p->err_msg), fmt, args);
	va_end(args);
	return p->err;
}

static bool all_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

static int parse_ident(struct i40e_vf_mdev_parser *p)
{
	const struct i40e_vf_mdev_stream_ident *src = &p->state.src;
	const struct i40e_vf_mdev_stream_ident *loc = &p->local;
	u64 supported = p->check_ident ? loc->features : I40E_VF_MDEV_FEAT_ALL;

	if (!type_name_valid(src->type_name))
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_HEADER,
				   "bad header: mdev type name is empty, too long or not NUL-padded");
	if (src->num_msix < 1 || src->num_msix > I40E_VF_MDEV_MAX_QVECS + 1)
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_HEADER,
				   "bad header: %u MSI-X vectors (1..%u)",
				   src->num_msix, I40E_VF_MDEV_MAX_QVECS + 1);
	if (!src->num_queue_pairs)
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_HEADER,
				   "bad header: 0 queue pairs");
	if (src->features & ~supported)
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: stream uses features 0x%llx, this driver supports 0x%llx",
				   (unsigned long long)src->features,
				   (unsigned long long)supported);
	if (!p->check_ident)
		return 0;

	if (src->vf_vendor != loc->vf_vendor)
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: source VF vendor 0x%04x, this VF 0x%04x",
				   src->vf_vendor, loc->vf_vendor);
	if (src->vf_device != loc->vf_device)
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: source VF device 0x%04x, this VF 0x%04x",
				   src->vf_device, loc->vf_device);
	if (src->num_queue_pairs != loc->num_queue_pairs)
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: source VF has %u queue pairs, this VF %u",
				   src->num_queue_pairs, loc->num_queue_pairs);
	if (src->num_msix != loc->num_msix)
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: source VF has %u MSI-X vectors, this VF %u",
				   src->num_msix, loc->num_msix);
	if (strncmp(src->type_name, loc->type_name, I40E_VF_MDEV_TYPE_NAME_LEN))
		return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
				   "incompatible: source mdev type \"%s\", this device \"%.*s\"",
				   src->type_name, I40E_VF_MDEV_TYPE_NAME_LEN,
				   loc->type_name);
	return 0;
}

/*
 * Validate the header as far as it has arrived: the magic byte by byte,
 * then the version, then the length, then the whole fixed part.
 * Return: 1 when the header is complete and valid, 0 if more bytes are
 * needed, or a negative errno.
 */
static int parse_header(struct i40e_vf_mdev_parser *p)
{
	struct i40e_vf_mdev_state *st = &p->state;
	const u8 *h = p->buf;
	size_t n = min_t(size_t, p->len, I40E_VF_MDEV_STREAM_MAGIC_LEN);
	u16 major;
	u32 hdr_len, flags;
	int ret;

	if (memcmp(h, I40E_VF_MDEV_STREAM_MAGIC, n))
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_MAGIC,
				   "bad magic: not an i40e_vf_mdev migration stream");
	if (p->len < I40E_VF_MDEV_HDR_OFF_MINOR)
		return 0;
	major = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_MAJOR);
	if (major != I40E_VF_MDEV_STREAM_MAJOR)
		return parser_fail(p, I40E_VF_MDEV_SERR_VERSION,
				   "unsupported stream format version %u (this driver reads %u.x)",
				   major, I40E_VF_MDEV_STREAM_MAJOR);
	if (p->len < I40E_VF_MDEV_HDR_OFF_FLAGS)
		return 0;
	st->minor = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_MINOR);
	hdr_len = get_unaligned_le32(h + I40E_VF_MDEV_HDR_OFF_HDR_LEN);
	if (hdr_len < I40E_VF_MDEV_STREAM_HDR_LEN ||
	    hdr_len > I40E_VF_MDEV_STREAM_HDR_MAX ||
	    !IS_ALIGNED(hdr_len, I40E_VF_MDEV_REC_ALIGN) ||
	    (st->minor == 0 && hdr_len != I40E_VF_MDEV_STREAM_HDR_LEN))
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_HEADER,
				   "bad header: header length %u in a %u.%u stream",
				   hdr_len, major, st->minor);
	if (hdr_len > p->limit)
		return parser_fail(p, I40E_VF_MDEV_SERR_TOO_BIG,
				   "too big: header of %u bytes", hdr_len);
	if (p->len < I40E_VF_MDEV_STREAM_HDR_LEN)
		return 0;

	flags = get_unaligned_le32(h + I40E_VF_MDEV_HDR_OFF_FLAGS);
	if (flags & I40E_VF_MDEV_FLAGS_CRITICAL & ~I40E_VF_MDEV_HDR_FLAGS_KNOWN)
		return parser_fail(p, I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY,
				   "unknown mandatory header flags 0x%08x",
				   flags & I40E_VF_MDEV_FLAGS_CRITICAL);
	if (get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_RSVD))
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_PADDING,
				   "bad padding: reserved header field is not zero");
	st->hdr_flags = flags;
	st->src.vf_vendor = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_VF_VENDOR);
	st->src.vf_device = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_VF_DEVICE);
	st->src.pf_device = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_PF_DEVICE);
	st->src.num_queue_pairs = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_NUM_QP);
	st->src.num_msix = get_unaligned_le16(h + I40E_VF_MDEV_HDR_OFF_NUM_MSIX);
	st->src.features = get_unaligned_le64(h + I40E_VF_MDEV_HDR_OFF_FEATURES);
	memcpy(st->src.type_name, h + I40E_VF_MDEV_HDR_OFF_TYPE_NAME,
	       I40E_VF_MDEV_TYPE_NAME_LEN);
	ret = parse_ident(p);
	if (ret)
		return ret;

	/* Fields a later 1.x minor appended are not interpreted. */
	if (p->len < hdr_len)
		return 0;
	p->pos = hdr_len;
	p->phase = P_REC_HDR;
	return 1;
}

static int parse_rec_hdr(struct i40e_vf_mdev_parser *p)
{
	struct i40e_vf_mdev_state *st = &p->state;
	const u8 *r = p->buf + p->pos;
	const char *name;
	size_t room;
	u32 type, flags;
	u64 len;

	if (p->len - p->pos < I40E_VF_MDEV_REC_HDR_LEN)
		return 0;
	type = get_unaligned_le32(r);
	flags = get_unaligned_le32(r + 4);
	len = get_unaligned_le64(r + 8);
	name = i40e_vf_mdev_rec_name(type);

	if (type == I40E_VF_MDEV_REC_INVALID)
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_RECORD,
				   "bad record: type 0 at offset %zu", p->pos);
	if (flags & I40E_VF_MDEV_FLAGS_CRITICAL & ~I40E_VF_MDEV_REC_FLAGS_KNOWN)
		return parser_fail(p, I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY,
				   "unknown mandatory flags 0x%08x on record %s (type %u) at offset %zu",
				   flags & I40E_VF_MDEV_FLAGS_CRITICAL, name,
				   type, p->pos);
	room = p->limit - p->pos - I40E_VF_MDEV_REC_HDR_LEN;
	if (len > room || ALIGN(len, (u64)I40E_VF_MDEV_REC_ALIGN) > room)
		return parser_fail(p, I40E_VF_MDEV_SERR_TOO_BIG,
				   "too big: record %s (type %u) at offset %zu has %llu bytes, the stream limit is %zu",
				   name, type, p->pos, (unsigned long long)len,
				   p->limit);
	if (type < I40E_VF_MDEV_REC_NR_KNOWN && (st->present & BIT(type)))
		return parser_fail(p, I40E_VF_MDEV_SERR_DUPLICATE,
				   "duplicate record %s at offset %zu",
				   name, p->pos);

	switch (type) {
	case I40E_VF_MDEV_REC_END:
		/* END is exact, so that no bit of it goes unchecked. */
		if (len != I40E_VF_MDEV_END_LEN ||
		    flags != I40E_VF_MDEV_REC_F_MANDATORY)
			return parser_fail(p, I40E_VF_MDEV_SERR_BAD_RECORD,
					   "bad record: END at offset %zu has length %llu, flags 0x%x",
					   p->pos, (unsigned long long)len, flags);
		break;
	case I40E_VF_MDEV_REC_VF_REGS:
		if (len != I40E_VF_MDEV_VF_REGS_LEN(st->src.num_msix - 1u))
			goto bad_len;
		break;
	case I40E_VF_MDEV_REC_PF_STATE:
		if (!(st->src.features & I40E_VF_MDEV_FEAT_PF_STATE))
			return parser_fail(p, I40E_VF_MDEV_SERR_BAD_RECORD,
					   "bad record: PF_STATE at offset %zu in a stream without the PF_STATE feature",
					   p->pos);
		if (len > I40E_VF_MDEV_PF_STATE_MAX)
			return parser_fail(p, I40E_VF_MDEV_SERR_TOO_BIG,
					   "too big: PF_STATE has %llu bytes (limit %u)",
					   (unsigned long long)len,
					   I40E_VF_MDEV_PF_STATE_MAX);
		if (len < I40E_VF_MDEV_PF_STATE_HDR_LEN)
			goto bad_len;
		break;
	default:
		if (flags & I40E_VF_MDEV_REC_F_MANDATORY)
			return parser_fail(p, I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY,
					   "unknown mandatory record type %u at offset %zu (stream format %u.%u, this driver reads %u.%u)",
					   type, p->pos, I40E_VF_MDEV_STREAM_MAJOR,
					   st->minor, I40E_VF_MDEV_STREAM_MAJOR,
					   I40E_VF_MDEV_STREAM_MINOR);
		break;
	}

	p->rec_type = type;
	p->rec_flags = flags;
	p->rec_len = len;
	p->rec_start = p->pos;
	p->pos += I40E_VF_MDEV_REC_HDR_LEN;
	p->phase = P_REC_BODY;
	return 1;

bad_len:
	return parser_fail(p, I40E_VF_MDEV_SERR_BAD_RECORD,
			   "bad record: %s at offset %zu has length %llu",
			   name, p->pos, (unsigned long long)len);
}

static int parse_vf_regs(struct i40e_vf_mdev_parser *p, const u8 *d)
{
	const struct i40e_vf_mdev_vf_regs_rec *r = (const void *)d;
	struct i40e_vf_mdev_vf_regs *regs = &p->state.vf_regs;
	unsigned int n = le16_to_cpu(r->nr_qvecs);
	unsigned int nr_itr = le16_to_cpu(r->nr_itr);
	unsigned int i, v;

	if (n != p->state.src.num_msix - 1u || nr_itr != I40E_VF_MDEV_NR_ITR)
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_RECORD,
				   "bad record: VF_REGS geometry %u vectors x %u ITRs, expected %u x %u",
				   n, nr_itr, p->state.src.num_msix - 1u,
				   I40E_VF_MDEV_NR_ITR);
	if (r->rsvd)
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_PADDING,
				   "bad padding: reserved VF_REGS field is not zero");

	regs->nr_qvecs = n;
	regs->atq_bal = le32_to_cpu(r->atq_bal);
	regs->atq_bah = le32_to_cpu(r->atq_bah);
	regs->atq_len = le32_to_cpu(r->atq_len);
	regs->atq_head = le32_to_cpu(r->atq_head);
	regs->atq_tail = le32_to_cpu(r->atq_tail);
	regs->arq_bal = le32_to_cpu(r->arq_bal);
	regs->arq_bah = le32_to_cpu(r->arq_bah);
	regs->arq_len = le32_to_cpu(r->arq_len);
	regs->arq_head = le32_to_cpu(r->arq_head);
	regs->arq_tail = le32_to_cpu(r->arq_tail);
	regs->icr0_ena1 = le32_to_cpu(r->icr0_ena1);
	regs->dyn_ctl01 = le32_to_cpu(r->dyn_ctl01);
	for (i = 0; i < I40E_VF_MDEV_NR_HENA; i++)
		regs->hena[i] = le32_to_cpu(r->hena[i]);
	for (i = 0; i < I40E_VF_MDEV_NR_HKEY; i++)
		regs->hkey[i] = le32_to_cpu(r->hkey[i]);
	for (i = 0; i < I40E_VF_MDEV_NR_HLUT; i++)
		regs->hlut[i] = le32_to_cpu(r->hlut[i]);
	for (v = 0; v < n; v++)
		regs->dyn_ctln1[v] = le32_to_cpu(r->qvec[v]);
	for (i = 0; i < I40E_VF_MDEV_NR_ITR; i++)
		for (v = 0; v < n; v++)
			regs->itrn1[i][v] = le32_to_cpu(r->qvec[n + i * n + v]);
	return 0;
}

static int parse_end(struct i40e_vf_mdev_parser *p, const u8 *d)
{
	struct i40e_vf_mdev_state *st = &p->state;
	u32 count = get_unaligned_le32(d);
	u32 crc = get_unaligned_le32(d + 4);
	u64 offset = get_unaligned_le64(d + 8);
	u32 calc;

	if (offset != p->rec_start)
		return parser_fail(p, I40E_VF_MDEV_SERR_CORRUPT,
				   "corrupt: END says it is at offset %llu, it is at %zu",
				   (unsigned long long)offset, p->rec_start);
	if (count != st->nr_records)
		return parser_fail(p, I40E_VF_MDEV_SERR_CORRUPT,
				   "corrupt: END counts %u records, the stream has %u",
				   count, st->nr_records);
	calc = i40e_vf_mdev_crc32(0, p->buf, p->rec_start);
	if (crc != calc)
		return parser_fail(p, I40E_VF_MDEV_SERR_CORRUPT,
				   "corrupt: CRC-32 0x%08x in END, 0x%08x computed",
				   crc, calc);
	if (!(st->present & BIT(I40E_VF_MDEV_REC_VF_REGS)))
		return parser_fail(p, I40E_VF_MDEV_SERR_MISSING,
				   "missing record: no VF_REGS before END");
	if ((st->src.features & I40E_VF_MDEV_FEAT_PF_STATE) &&
	    !(st->present & BIT(I40E_VF_MDEV_REC_PF_STATE)))
		return parser_fail(p, I40E_VF_MDEV_SERR_MISSING,
				   "missing record: the stream has the PF_STATE feature but no PF_STATE record");
	return 0;
}

static int parse_rec_body(struct i40e_vf_mdev_parser *p)
{
	struct i40e_vf_mdev_state *st = &p->state;
	size_t padded = ALIGN((size_t)p->rec_len, (size_t)I40E_VF_MDEV_REC_ALIGN);
	const u8 *d = p->buf + p->pos;
	int ret = 0;

	if (p->len - p->pos < padded)
		return 0;
	if (!all_zero(d + p->rec_len, padded - p->rec_len))
		return parser_fail(p, I40E_VF_MDEV_SERR_BAD_PADDING,
				   "bad padding after record %s at offset %zu",
				   i40e_vf_mdev_rec_name(p->rec_type),
				   p->rec_start);

	switch (p->rec_type) {
	case I40E_VF_MDEV_REC_END:
		ret = parse_end(p, d);
		break;
	case I40E_VF_MDEV_REC_VF_REGS:
		ret = parse_vf_regs(p, d);
		break;
	case I40E_VF_MDEV_REC_PF_STATE:
		if (get_unaligned_le32(d + 4))
			return parser_fail(p, I40E_VF_MDEV_SERR_BAD_PADDING,
					   "bad padding: reserved PF_STATE field is not zero");
		st->pf_version = get_unaligned_le32(d);
		st->pf_blob = d + I40E_VF_MDEV_PF_STATE_HDR_LEN;
		st->pf_blob_len = p->rec_len - I40E_VF_MDEV_PF_STATE_HDR_LEN;
		break;
	default:
		/* An optional record of a later minor version: skipped. */
		break;
	}
	if (ret)
		return ret;

	p->pos += padded;
	if (p->rec_type == I40E_VF_MDEV_REC_END) {
		ret = p->accept ? p->accept(p->accept_priv, st) : 0;
		if (ret)
			return parser_fail(p, I40E_VF_MDEV_SERR_INCOMPATIBLE,
					   "this device cannot take the state (%d)",
					   ret);
		p->phase = P_DONE;
		return 1;
	}
	if (p->rec_type < I40E_VF_MDEV_REC_NR_KNOWN)
		st->present |= BIT(p->rec_type);
	st->nr_records++;
	p->phase = P_REC_HDR;
	return 1;
}

static int parser_run(struct i40e_vf_mdev_parser *p)
{
	int ret;

	for (;;) {
		switch (p->phase) {
		case P_HEADER:
			ret = parse_header(p);
			break;
		case P_REC_HDR:
			ret = parse_rec_hdr(p);
			break;
		case P_REC_BODY:
			ret = parse_rec_body(p);
			break;
		default:
			if (p->len > p->pos)
				return parser_fail(p, I40E_VF_MDEV_SERR_TRAILING,
						   "trailing data: %zu bytes after the END record",
						   p->len - p->pos);
			return 0;
		}
		if (ret <= 0)
			return ret;
	}
}

/**
 * i40e_vf_mdev_parser_tail - where the next bytes of the stream go
 * @p: the parser
 * @room: set to the number of bytes that may be written there
 *
 * For callers that copy straight into the parser's buffer (copy_from_user()
 * in write(), the v1 region's data window); follow with
 * i40e_vf_mdev_parser_commit().
 *
 * Return: pointer into the parser's buffer.
 */
void *i40e_vf_mdev_parser_tail(struct i40e_vf_mdev_parser *p, size_t *room)
{
	*room = p->limit - p->len;
	return p->buf + p->len;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_tail);

/**
 * i40e_vf_mdev_parser_commit - parse bytes written at the parser's tail
 * @p: the parser
 * @len: bytes written at i40e_vf_mdev_parser_tail()
 *
 * Return: 0 if the stream is valid so far, or a negative errno; the
 * reason is in @p->code and @p->err_msg. Errors are sticky.
 */
int i40e_vf_mdev_parser_commit(struct i40e_vf_mdev_parser *p, size_t len)
{
	if (p->err)
		return p->err;
	if (!len)
		return 0;
	if (p->phase == P_DONE)
		return parser_fail(p, I40E_VF_MDEV_SERR_TRAILING,
				   "trailing data: %zu bytes after the END record",
				   len);
	if (len > p->limit - p->len)
		return parser_fail(p, I40E_VF_MDEV_SERR_TOO_BIG,
				   "too big: the stream exceeds %zu bytes",
				   p->limit);
	p->len += len;
	return parser_run(p);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_commit);

/**
 * i40e_vf_mdev_parser_feed - parse the next chunk of a stream
 * @p: the parser
 * @data: the chunk
 * @len: its length, any size
 *
 * Return: 0 if the stream is valid so far, or a negative errno; the
 * reason is in @p->code and @p->err_msg. Errors are sticky.
 */
int i40e_vf_mdev_parser_feed(struct i40e_vf_mdev_parser *p, const void *data,
			     size_t len)
{
	size_t room;
	void *tail;

	if (p->err)
		return p->err;
	if (!len)
		return 0;
	if (p->phase == P_DONE)
		return i40e_vf_mdev_parser_commit(p, len);
	tail = i40e_vf_mdev_parser_tail(p, &room);
	if (len > room)
		return i40e_vf_mdev_parser_commit(p, len);
	memcpy(tail, data, len);
	return i40e_vf_mdev_parser_commit(p, len);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_feed);

/**
 * i40e_vf_mdev_parser_finish - end of stream: is it complete and valid?
 * @p: the parser
 *
 * Return: 0 if a whole valid stream (up to and including END) arrived, in
 * which case i40e_vf_mdev_parser_state() returns it; otherwise a negative
 * errno with the reason in @p->code and @p->err_msg.
 */
int i40e_vf_mdev_parser_finish(struct i40e_vf_mdev_parser *p)
{
	if (p->err)
		return p->err;
	switch (p->phase) {
	case P_DONE:
		return 0;
	case P_HEADER:
		return parser_fail(p, I40E_VF_MDEV_SERR_TRUNCATED,
				   "truncated: the stream ended after %zu bytes, inside the header",
				   p->len);
	case P_REC_BODY:
		return parser_fail(p, I40E_VF_MDEV_SERR_TRUNCATED,
				   "truncated: the stream ended after %zu bytes, inside record %s at offset %zu (%zu of %llu payload bytes)",
				   p->len, i40e_vf_mdev_rec_name(p->rec_type),
				   p->rec_start, p->len - p->pos,
				   (unsigned long long)p->rec_len);
	default:
		if (p->len > p->pos)
			return parser_fail(p, I40E_VF_MDEV_SERR_TRUNCATED,
					   "truncated: the stream ended after %zu bytes, inside the record header at offset %zu",
					   p->len, p->pos);
		return parser_fail(p, I40E_VF_MDEV_SERR_TRUNCATED,
				   "truncated: the stream ended after %zu bytes, before its END record",
				   p->len);
	}
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_finish);

/**
 * i40e_vf_mdev_parser_header_done - whether the header has been accepted
 * @p: the parser
 *
 * Return: true once a complete, compatible header has arrived.
 */
bool i40e_vf_mdev_parser_header_done(const struct i40e_vf_mdev_parser *p)
{
	return !p->err && p->phase != P_HEADER;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_header_done);

/**
 * i40e_vf_mdev_parser_done - whether a valid END record has been accepted
 * @p: the parser
 *
 * Return: true if the stream is complete and valid.
 */
bool i40e_vf_mdev_parser_done(const struct i40e_vf_mdev_parser *p)
{
	return !p->err && p->phase == P_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_done);

/**
 * i40e_vf_mdev_parser_state - the validated state of a complete stream
 * @p: the parser
 *
 * Return: the state, or NULL unless the whole stream has been accepted.
 */
const struct i40e_vf_mdev_state *
i40e_vf_mdev_parser_state(const struct i40e_vf_mdev_parser *p)
{
	return i40e_vf_mdev_parser_done(p) ? &p->state : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_parser_state);
