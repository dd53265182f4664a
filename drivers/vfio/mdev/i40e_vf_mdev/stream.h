/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - the migration stream: the versioned, self-describing byte
 * format that carries a VF's device state from the source host to the
 * destination host. It is this driver's ABI across hosts and driver
 * versions; Documentation/migration.rst is its specification.
 *
 * Pure C with no kernel dependencies beyond i40e_vf_mdev_compat.h, so it is
 * built into the module and into the userspace unit tests and fuzzer.
 *
 * Layout (all integers little-endian, every record 8-byte aligned):
 *
 *   header      72 bytes in format 1.0 (header_len says how long)
 *   record      {le32 type; le32 flags; le64 length} + payload + 0..7 zero
 *   ...         bytes of padding to the next multiple of 8
 *   END record  record count, byte offset of END and CRC-32 of all bytes
 *               before END
 */
#ifndef I40E_VF_MDEV_STREAM_H
#define I40E_VF_MDEV_STREAM_H

#include "i40e_vf_mdev_compat.h"

/* Header */
#define I40E_VF_MDEV_STREAM_MAGIC	"I40VFMIG"
#define I40E_VF_MDEV_STREAM_MAGIC_LEN	8
#define I40E_VF_MDEV_STREAM_MAJOR	1
#define I40E_VF_MDEV_STREAM_MINOR	0
/* Size of the format 1.0 header; later 1.x minors may append fields. */
#define I40E_VF_MDEV_STREAM_HDR_LEN	72
/* Upper bound of header_len accepted from any 1.x stream. */
#define I40E_VF_MDEV_STREAM_HDR_MAX	4096
#define I40E_VF_MDEV_TYPE_NAME_LEN	32

/* Header field offsets (format 1.0) */
#define I40E_VF_MDEV_HDR_OFF_MAGIC	0
#define I40E_VF_MDEV_HDR_OFF_MAJOR	8
#define I40E_VF_MDEV_HDR_OFF_MINOR	10
#define I40E_VF_MDEV_HDR_OFF_HDR_LEN	12
#define I40E_VF_MDEV_HDR_OFF_FLAGS	16
#define I40E_VF_MDEV_HDR_OFF_VF_VENDOR	20
#define I40E_VF_MDEV_HDR_OFF_VF_DEVICE	22
#define I40E_VF_MDEV_HDR_OFF_PF_DEVICE	24
#define I40E_VF_MDEV_HDR_OFF_NUM_QP	26
#define I40E_VF_MDEV_HDR_OFF_NUM_MSIX	28
#define I40E_VF_MDEV_HDR_OFF_RSVD	30
#define I40E_VF_MDEV_HDR_OFF_FEATURES	32
#define I40E_VF_MDEV_HDR_OFF_TYPE_NAME	40

/*
 * Header and record flags: the low 16 bits are advisory (a reader that does
 * not know a bit ignores it), the high 16 bits are critical (a reader that
 * does not know a bit rejects the stream). No header flag is defined yet.
 */
#define I40E_VF_MDEV_FLAGS_CRITICAL	0xffff0000u
#define I40E_VF_MDEV_HDR_FLAGS_KNOWN	0u

/*
 * Feature bits: in a stream header, the features the stream uses; in the
 * local identity given to the parser, the features this driver supports.
 * A stream is accepted only if it uses no feature the destination lacks.
 */
/* The stream carries an I40E_VF_MDEV_REC_PF_STATE record. */
#define I40E_VF_MDEV_FEAT_PF_STATE	BIT_ULL(0)
#define I40E_VF_MDEV_FEAT_ALL		(I40E_VF_MDEV_FEAT_PF_STATE)

/* Records */
#define I40E_VF_MDEV_REC_HDR_LEN	16
#define I40E_VF_MDEV_REC_ALIGN		8

/**
 * enum i40e_vf_mdev_rec_type - record types of format 1.x
 * @I40E_VF_MDEV_REC_INVALID: never valid on the wire
 * @I40E_VF_MDEV_REC_END: last record; record count, END offset and CRC-32
 * @I40E_VF_MDEV_REC_VF_REGS: the VF BAR0 registers the guest programmed
 *	(mailbox rings, interrupt control, RSS); required in every stream
 * @I40E_VF_MDEV_REC_PF_STATE: opaque state provided by the PF driver
 *	(virtchnl replay log, queue heads), tagged with the PF services format
 *	version; required when the header has I40E_VF_MDEV_FEAT_PF_STATE
 * @I40E_VF_MDEV_REC_NR_KNOWN: number of types this parser knows + 1
 *
 * Types up to 0xffff are reserved to this project; a new type is a minor
 * version bump. Unknown types are skipped unless the record has
 * I40E_VF_MDEV_REC_F_MANDATORY.
 */
enum i40e_vf_mdev_rec_type {
	I40E_VF_MDEV_REC_INVALID = 0,
	I40E_VF_MDEV_REC_END = 1,
	I40E_VF_MDEV_REC_VF_REGS = 2,
	I40E_VF_MDEV_REC_PF_STATE = 3,
	I40E_VF_MDEV_REC_NR_KNOWN,
};

/* The destination must understand the record or reject the stream. */
#define I40E_VF_MDEV_REC_F_MANDATORY	BIT(0)
#define I40E_VF_MDEV_REC_FLAGS_KNOWN	(I40E_VF_MDEV_REC_F_MANDATORY)

/* Size caps */
#define I40E_VF_MDEV_STREAM_MAX		(1024 * 1024)
#define I40E_VF_MDEV_PF_STATE_MAX	(768 * 1024)
#define I40E_VF_MDEV_END_LEN		16
#define I40E_VF_MDEV_PF_STATE_HDR_LEN	8

/* VF register record geometry */
#define I40E_VF_MDEV_MAX_QVECS		16	/* DYN_CTLN1 / ITRN1 vectors */
#define I40E_VF_MDEV_NR_ITR		3	/* ITR indexes per vector */
#define I40E_VF_MDEV_NR_HENA		2
#define I40E_VF_MDEV_NR_HKEY		13
#define I40E_VF_MDEV_NR_HLUT		16
/* Fixed part of the VF_REGS payload, followed by 16 bytes per vector. */
#define I40E_VF_MDEV_VF_REGS_FIXED_LEN	180
#define I40E_VF_MDEV_VF_REGS_LEN(nr_qvecs) \
	(I40E_VF_MDEV_VF_REGS_FIXED_LEN + \
	 (nr_qvecs) * 4 * (1 + I40E_VF_MDEV_NR_ITR))
#define I40E_VF_MDEV_VF_REGS_MAX_LEN \
	I40E_VF_MDEV_VF_REGS_LEN(I40E_VF_MDEV_MAX_QVECS)

/**
 * struct i40e_vf_mdev_vf_regs_rec - VF_REGS payload on the wire
 * @nr_qvecs: vectors in @qvec (the header's num_msix - 1)
 * @nr_itr: ITR indexes per vector, I40E_VF_MDEV_NR_ITR
 * @rsvd: 0
 * @atq_bal: VF mailbox registers, see &struct i40e_vf_mdev_vf_regs
 * @atq_bah: see &struct i40e_vf_mdev_vf_regs
 * @atq_len: see &struct i40e_vf_mdev_vf_regs
 * @atq_head: see &struct i40e_vf_mdev_vf_regs
 * @atq_tail: see &struct i40e_vf_mdev_vf_regs
 * @arq_bal: see &struct i40e_vf_mdev_vf_regs
 * @arq_bah: see &struct i40e_vf_mdev_vf_regs
 * @arq_len: see &struct i40e_vf_mdev_vf_regs
 * @arq_head: see &struct i40e_vf_mdev_vf_regs
 * @arq_tail: see &struct i40e_vf_mdev_vf_regs
 * @icr0_ena1: VFINT_ICR0_ENA1
 * @dyn_ctl01: VFINT_DYN_CTL01
 * @hena: VFQF_HENA(i)
 * @hkey: VFQF_HKEY(i)
 * @hlut: VFQF_HLUT(i)
 * @qvec: VFINT_DYN_CTLN1(v) for each vector, then VFINT_ITRN1(i, v) for
 *	each ITR index i and, within it, each vector v: (1 + @nr_itr) *
 *	@nr_qvecs values
 *
 * The one definition of the record's layout, used by the writer and the
 * parser; its fixed part is I40E_VF_MDEV_VF_REGS_FIXED_LEN bytes.
 */
struct i40e_vf_mdev_vf_regs_rec {
	__le16 nr_qvecs;
	__le16 nr_itr;
	__le32 rsvd;
	__le32 atq_bal;
	__le32 atq_bah;
	__le32 atq_len;
	__le32 atq_head;
	__le32 atq_tail;
	__le32 arq_bal;
	__le32 arq_bah;
	__le32 arq_len;
	__le32 arq_head;
	__le32 arq_tail;
	__le32 icr0_ena1;
	__le32 dyn_ctl01;
	__le32 hena[I40E_VF_MDEV_NR_HENA];
	__le32 hkey[I40E_VF_MDEV_NR_HKEY];
	__le32 hlut[I40E_VF_MDEV_NR_HLUT];
	__le32 qvec[];
} __packed;
static_assert(sizeof(struct i40e_vf_mdev_vf_regs_rec) ==
	      I40E_VF_MDEV_VF_REGS_FIXED_LEN);

/**
 * struct i40e_vf_mdev_stream_ident - identity and compatibility of a VF
 * @vf_vendor: PCI vendor ID of the VF (0x8086); must match
 * @vf_device: PCI device ID of the VF (0x154c, 0x37cd); must match
 * @pf_device: PCI device ID of the PF (e.g. 0x1583 XL710); informational
 * @num_queue_pairs: queue pairs the PF gave the VF; must match
 * @num_msix: MSI-X vectors of the VF, including vector 0; must match,
 *	at least 1 and at most I40E_VF_MDEV_MAX_QVECS + 1
 * @features: I40E_VF_MDEV_FEAT_* (used by a stream / supported locally)
 * @type_name: mdev type name, NUL-terminated and NUL-padded; must match
 */
struct i40e_vf_mdev_stream_ident {
	u16 vf_vendor;
	u16 vf_device;
	u16 pf_device;
	u16 num_queue_pairs;
	u16 num_msix;
	u64 features;
	char type_name[I40E_VF_MDEV_TYPE_NAME_LEN];
};

/**
 * struct i40e_vf_mdev_vf_regs - VF BAR0 registers carried by VF_REGS
 * @atq_bal: ATQBAL1 (0x7c00)
 * @atq_bah: ATQBAH1 (0x7800)
 * @atq_len: ATQLEN1 (0x6800)
 * @atq_head: ATQH1 (0x6400)
 * @atq_tail: ATQT1 (0x8400)
 * @arq_bal: ARQBAL1 (0x6c00)
 * @arq_bah: ARQBAH1 (0x6000)
 * @arq_len: ARQLEN1 (0x8000)
 * @arq_head: ARQH1 (0x7400)
 * @arq_tail: ARQT1 (0x7000)
 * @icr0_ena1: VFINT_ICR0_ENA1 (0x5000)
 * @dyn_ctl01: VFINT_DYN_CTL01 (0x5c00)
 * @hena: VFQF_HENA(i) (0xc400 + 4i)
 * @hkey: VFQF_HKEY(i) (0xcc00 + 4i)
 * @hlut: VFQF_HLUT(i) (0xd000 + 4i)
 * @nr_qvecs: number of valid @dyn_ctln1 / @itrn1 vectors (num_msix - 1)
 * @dyn_ctln1: VFINT_DYN_CTLN1(v) (0x3800 + 4v)
 * @itrn1: VFINT_ITRN1(i, v) (0x2800 + 64i + 4v)
 *
 * Values are as the device layer read them; which of them it writes back
 * on the destination, and in which order relative to the PF state, is the
 * device layer's decision.
 */
struct i40e_vf_mdev_vf_regs {
	u32 atq_bal;
	u32 atq_bah;
	u32 atq_len;
	u32 atq_head;
	u32 atq_tail;
	u32 arq_bal;
	u32 arq_bah;
	u32 arq_len;
	u32 arq_head;
	u32 arq_tail;
	u32 icr0_ena1;
	u32 dyn_ctl01;
	u32 hena[I40E_VF_MDEV_NR_HENA];
	u32 hkey[I40E_VF_MDEV_NR_HKEY];
	u32 hlut[I40E_VF_MDEV_NR_HLUT];
	u16 nr_qvecs;
	u32 dyn_ctln1[I40E_VF_MDEV_MAX_QVECS];
	u32 itrn1[I40E_VF_MDEV_NR_ITR][I40E_VF_MDEV_MAX_QVECS];
};

/**
 * struct i40e_vf_mdev_state - a validated device state, parsed from a stream
 * @src: identity from the stream header (the source device)
 * @minor: format minor version of the stream
 * @hdr_flags: header flags of the stream
 * @present: BIT(type) for every known record type the stream contained
 * @nr_records: number of records before END (known and skipped)
 * @vf_regs: contents of the VF_REGS record
 * @pf_version: format version tag of the PF_STATE record
 * @pf_blob: PF_STATE payload after its 8-byte header; points into the
 *	parser's buffer and is valid as long as that buffer is
 * @pf_blob_len: length of @pf_blob
 *
 * Produced only by a parser that accepted the whole stream; nothing in it
 * has been applied to the device yet.
 */
struct i40e_vf_mdev_state {
	struct i40e_vf_mdev_stream_ident src;
	u16 minor;
	u32 hdr_flags;
	u32 present;
	u32 nr_records;
	struct i40e_vf_mdev_vf_regs vf_regs;
	u32 pf_version;
	const u8 *pf_blob;
	size_t pf_blob_len;
};

/* Writer */

struct i40e_vf_mdev_writer;

/**
 * typedef i40e_vf_mdev_grow_t - enlarge a writer's buffer
 * @w: the writer; the callback updates @w->buf and @w->cap
 * @need: the minimum capacity required (never above @w->limit)
 *
 * The callback keeps the first @w->len bytes. The kernel uses kvrealloc().
 *
 * Return: 0 or a negative errno (-ENOMEM).
 */
typedef int (*i40e_vf_mdev_grow_t)(struct i40e_vf_mdev_writer *w,
				   size_t need);

/**
 * struct i40e_vf_mdev_writer - builds a stream into a buffer
 * @buf: the buffer
 * @len: bytes written so far (the stream as far as it has been built)
 * @cap: size of @buf
 * @limit: maximum stream size (at most I40E_VF_MDEV_STREAM_MAX)
 * @grow: enlarges @buf, or NULL for a fixed buffer
 * @priv: for @grow
 * @nr_records: records written, END excluded
 * @rec_start: offset of the record opened by i40e_vf_mdev_writer_begin()
 * @rec_max: payload room reserved by i40e_vf_mdev_writer_begin()
 * @phase: internal progress (header, records, open record, ended)
 * @err: first error, sticky; every later call returns it
 *
 * Order of calls: i40e_vf_mdev_writer_init(), i40e_vf_mdev_write_header(),
 * records, i40e_vf_mdev_write_end(). @buf[0..@len) is a valid stream
 * prefix after each call; after i40e_vf_mdev_write_end() it is a complete
 * stream.
 */
struct i40e_vf_mdev_writer {
	u8 *buf;
	size_t len;
	size_t cap;
	size_t limit;
	i40e_vf_mdev_grow_t grow;
	void *priv;
	u32 nr_records;
	size_t rec_start;
	size_t rec_max;
	u8 phase;
	int err;
};

void i40e_vf_mdev_writer_init(struct i40e_vf_mdev_writer *w, void *buf,
			      size_t cap, size_t limit,
			      i40e_vf_mdev_grow_t grow, void *priv);
int i40e_vf_mdev_write_header(struct i40e_vf_mdev_writer *w,
			      const struct i40e_vf_mdev_stream_ident *id,
			      u32 flags);
int i40e_vf_mdev_write_record(struct i40e_vf_mdev_writer *w, u32 type,
			      u32 flags, const void *payload, size_t len);
void *i40e_vf_mdev_writer_begin(struct i40e_vf_mdev_writer *w, u32 type,
				u32 flags, size_t max_len);
int i40e_vf_mdev_writer_commit(struct i40e_vf_mdev_writer *w, size_t len);
int i40e_vf_mdev_write_vf_regs(struct i40e_vf_mdev_writer *w,
			       const struct i40e_vf_mdev_vf_regs *regs);
int i40e_vf_mdev_write_pf_state(struct i40e_vf_mdev_writer *w, u32 version,
				const void *blob, size_t len);
int i40e_vf_mdev_write_end(struct i40e_vf_mdev_writer *w);
bool i40e_vf_mdev_writer_ended(const struct i40e_vf_mdev_writer *w);
size_t i40e_vf_mdev_stream_size_max(const struct i40e_vf_mdev_stream_ident *id,
				    size_t pf_blob_len);

/* Parser */

/**
 * enum i40e_vf_mdev_stream_err - why a parser rejected a stream
 * @I40E_VF_MDEV_SERR_NONE: no error
 * @I40E_VF_MDEV_SERR_BAD_MAGIC: the stream does not start with the magic
 * @I40E_VF_MDEV_SERR_VERSION: unsupported format major version
 * @I40E_VF_MDEV_SERR_BAD_HEADER: malformed header field
 * @I40E_VF_MDEV_SERR_INCOMPATIBLE: the source device is not compatible
 *	with this one (the message names the field)
 * @I40E_VF_MDEV_SERR_TRUNCATED: the stream ended before its END record
 * @I40E_VF_MDEV_SERR_TOO_BIG: stream or record over its size cap
 * @I40E_VF_MDEV_SERR_BAD_PADDING: non-zero padding or reserved bytes
 * @I40E_VF_MDEV_SERR_BAD_RECORD: malformed record header or payload
 * @I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY: a mandatory record (or a critical
 *	flag) this driver does not know
 * @I40E_VF_MDEV_SERR_DUPLICATE: a record that may appear once appeared twice
 * @I40E_VF_MDEV_SERR_MISSING: a required record is missing at END
 * @I40E_VF_MDEV_SERR_TRAILING: data after the END record
 * @I40E_VF_MDEV_SERR_CORRUPT: END record count, offset or CRC mismatch
 * @I40E_VF_MDEV_SERR_USAGE: the parser was used wrongly (a driver bug)
 */
enum i40e_vf_mdev_stream_err {
	I40E_VF_MDEV_SERR_NONE = 0,
	I40E_VF_MDEV_SERR_BAD_MAGIC,
	I40E_VF_MDEV_SERR_VERSION,
	I40E_VF_MDEV_SERR_BAD_HEADER,
	I40E_VF_MDEV_SERR_INCOMPATIBLE,
	I40E_VF_MDEV_SERR_TRUNCATED,
	I40E_VF_MDEV_SERR_TOO_BIG,
	I40E_VF_MDEV_SERR_BAD_PADDING,
	I40E_VF_MDEV_SERR_BAD_RECORD,
	I40E_VF_MDEV_SERR_UNKNOWN_MANDATORY,
	I40E_VF_MDEV_SERR_DUPLICATE,
	I40E_VF_MDEV_SERR_MISSING,
	I40E_VF_MDEV_SERR_TRAILING,
	I40E_VF_MDEV_SERR_CORRUPT,
	I40E_VF_MDEV_SERR_USAGE,
};

#define I40E_VF_MDEV_ERR_MSG_LEN	160

/**
 * struct i40e_vf_mdev_parser - incremental, validating stream parser
 * @buf: caller's buffer; the stream is kept here while it is parsed
 * @limit: bytes @buf can take (at most I40E_VF_MDEV_STREAM_MAX)
 * @len: bytes received
 * @pos: bytes validated
 * @phase: internal progress (header, record header, payload, done)
 * @check_ident: compare the source identity with @local
 * @local: this device's identity
 * @rec_type: type of the record being received
 * @rec_flags: flags of the record being received
 * @rec_len: payload length of the record being received
 * @rec_start: offset of its record header
 * @code: why the stream was rejected (I40E_VF_MDEV_SERR_NONE if not)
 * @err: negative errno for @code, sticky
 * @err_msg: human-readable reason, NUL-terminated
 * @state: the validated result, complete once the parser is done
 * @accept: if set, called once the END record is valid, with @state
 *	complete: the device's own last word on the stream (e.g. whether the
 *	PF can take its PF_STATE); a negative errno it returns rejects the
 *	stream as incompatible, on the write that completed it
 * @accept_priv: passed to @accept
 *
 * Feed bytes in chunks of any size with i40e_vf_mdev_parser_feed(), or
 * write them to i40e_vf_mdev_parser_tail() and call
 * i40e_vf_mdev_parser_commit(). Each chunk is validated as far as it goes:
 * the header as soon as it has arrived, each record as soon as its header
 * and then its payload have arrived. Call i40e_vf_mdev_parser_finish() at
 * the end of the stream; only then is @state valid.
 */
struct i40e_vf_mdev_parser {
	u8 *buf;
	size_t limit;
	size_t len;
	size_t pos;
	u8 phase;
	bool check_ident;
	struct i40e_vf_mdev_stream_ident local;
	u32 rec_type;
	u32 rec_flags;
	u64 rec_len;
	size_t rec_start;
	enum i40e_vf_mdev_stream_err code;
	int err;
	char err_msg[I40E_VF_MDEV_ERR_MSG_LEN];
	struct i40e_vf_mdev_state state;
	int (*accept)(void *priv, const struct i40e_vf_mdev_state *state);
	void *accept_priv;
};

void i40e_vf_mdev_parser_init(struct i40e_vf_mdev_parser *p, void *buf,
			      size_t size,
			      const struct i40e_vf_mdev_stream_ident *local);
int i40e_vf_mdev_parser_feed(struct i40e_vf_mdev_parser *p, const void *data,
			     size_t len);
void *i40e_vf_mdev_parser_tail(struct i40e_vf_mdev_parser *p, size_t *room);
int i40e_vf_mdev_parser_commit(struct i40e_vf_mdev_parser *p, size_t len);
int i40e_vf_mdev_parser_finish(struct i40e_vf_mdev_parser *p);
bool i40e_vf_mdev_parser_header_done(const struct i40e_vf_mdev_parser *p);
bool i40e_vf_mdev_parser_done(const struct i40e_vf_mdev_parser *p);
const struct i40e_vf_mdev_state *
i40e_vf_mdev_parser_state(const struct i40e_vf_mdev_parser *p);
int i40e_vf_mdev_stream_errno(enum i40e_vf_mdev_stream_err code);
const char *i40e_vf_mdev_stream_err_name(enum i40e_vf_mdev_stream_err code);
const char *i40e_vf_mdev_rec_name(u32 type);
u32 i40e_vf_mdev_crc32(u32 crc, const void *data, size_t len);

#endif /* I40E_VF_MDEV_STREAM_H */
