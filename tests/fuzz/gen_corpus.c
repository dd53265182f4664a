// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seed corpora: for fuzz_stream, valid migration streams of every
 * geometry, with and without PF state, with unknown optional records and
 * a later minor version, plus a few broken ones; for fuzz_v1, access
 * sequences that enter pre-copy and resuming.
 *
 * Usage: gen_corpus STREAM_DIR [V1_DIR]
 */
#include <stdlib.h>

#include "stream.h"

#define SIZE	(64 * 1024)
#define END_REC	(I40E_VF_MDEV_REC_HDR_LEN + I40E_VF_MDEV_END_LEN)

static const char *dir;
static unsigned int nr;

static void save(const u8 *s, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed-%03u", dir, nr++);
	f = fopen(path, "wb");
	if (!f || fwrite(s, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* fuzz_v1 input: {op, off, size} + bytes for writes; see fuzz_v1.c. */
static const u8 v1_precopy[] = {
	0xc1, 0, 4, 3, 0, 0, 0,		/* device_state = SAVING|RUNNING */
	0x00, 8, 8,			/* pending_bytes */
	0x00, 16, 8,			/* data_offset */
	0x00, 24, 8,			/* data_size */
	0x02, 0, 32,			/* data */
	0x00, 8, 8,
	0x01, 0, 4, 2, 0, 0, 0,		/* device_state = SAVING */
	0x00, 8, 8,
	0x00, 16, 8,
	0x02, 0, 100,
};

static const u8 v1_resume[] = {
	0xc1, 0, 4, 4, 0, 0, 0,		/* device_state = RESUMING */
	0x00, 16, 8,			/* data_offset */
	0x03, 0, 8, 'I', '4', '0', 'V', 'F', 'M', 'I', 'G',
	0x01, 24, 8, 8, 0, 0, 0, 0, 0, 0, 0,	/* data_size = 8 */
	0x01, 0, 4, 1, 0, 0, 0,		/* device_state = RUNNING */
};

static void save_v1(const char *name, const u8 *s, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void reseal(u8 *s, size_t len)
{
	u8 *end = s + len - END_REC;

	put_unaligned_le64(len - END_REC, end + 24);
	put_unaligned_le32(i40e_vf_mdev_crc32(0, s, len - END_REC), end + 20);
}

/* A stream; unknown optional records of type 0x100 + i before VF_REGS. */
static size_t build(u8 *s, u16 num_msix, size_t pf_len, unsigned int unknown)
{
	struct i40e_vf_mdev_stream_ident id;
	struct i40e_vf_mdev_vf_regs regs;
	struct i40e_vf_mdev_writer w;
	static u8 blob[8192];
	unsigned int i;

	memset(&id, 0, sizeof(id));
	id.vf_vendor = 0x8086;
	id.vf_device = 0x154c;
	id.pf_device = 0x1583;
	id.num_queue_pairs = 4;
	id.num_msix = num_msix;
	id.features = pf_len ? I40E_VF_MDEV_FEAT_PF_STATE : 0;
	strscpy(id.type_name, "i40e_vf_mdev-vf", sizeof(id.type_name));

	memset(&regs, 0, sizeof(regs));
	regs.nr_qvecs = num_msix - 1;
	regs.atq_bal = 0x12340000;
	regs.atq_len = 0x80000040;
	regs.arq_len = 0x80000040;
	regs.arq_tail = 0x3f;
	regs.icr0_ena1 = 0x40000000;
	regs.dyn_ctl01 = 0x1b;
	for (i = 0; i < regs.nr_qvecs; i++) {
		regs.dyn_ctln1[i] = 0x3 | i << 8;
		regs.itrn1[0][i] = 0x19;
		regs.itrn1[1][i] = 0x3e;
	}
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (u8)(i * 13);

	i40e_vf_mdev_writer_init(&w, s, SIZE, 0, NULL, NULL);
	i40e_vf_mdev_write_header(&w, &id, 0);
	for (i = 0; i < unknown; i++)
		i40e_vf_mdev_write_record(&w, 0x100 + i, i & 1 ? BIT(1) : 0,
					  blob, 3 + 5 * i);
	i40e_vf_mdev_write_vf_regs(&w, &regs);
	if (pf_len)
		i40e_vf_mdev_write_pf_state(&w, 1, blob, pf_len);
	i40e_vf_mdev_write_end(&w);
	if (w.err) {
		fprintf(stderr, "writer error %d\n", w.err);
		exit(1);
	}
	return w.len;
}

int main(int argc, char **argv)
{
	static const size_t pf_lens[] = { 0, 1, 8, 100, 5000 };
	u8 *s = malloc(SIZE), *t = malloc(SIZE);
	unsigned int msix, i;
	size_t len, ext = 16;

	if (argc < 2 || argc > 3 || !s || !t) {
		fprintf(stderr, "usage: %s STREAM_DIR [V1_DIR]\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	for (msix = 1; msix <= I40E_VF_MDEV_MAX_QVECS + 1; msix += 4)
		save(s, build(s, msix, 0, 0));
	for (i = 0; i < ARRAY_SIZE(pf_lens); i++)
		save(s, build(s, 5, pf_lens[i], i));

	/* A 1.2 stream: 16 more header bytes. */
	len = build(s, 5, 100, 1);
	memcpy(t, s, I40E_VF_MDEV_STREAM_HDR_LEN);
	put_unaligned_le16(2, t + I40E_VF_MDEV_HDR_OFF_MINOR);
	put_unaligned_le32(I40E_VF_MDEV_STREAM_HDR_LEN + ext,
			   t + I40E_VF_MDEV_HDR_OFF_HDR_LEN);
	memset(t + I40E_VF_MDEV_STREAM_HDR_LEN, 0x11, ext);
	memcpy(t + I40E_VF_MDEV_STREAM_HDR_LEN + ext,
	       s + I40E_VF_MDEV_STREAM_HDR_LEN, len - I40E_VF_MDEV_STREAM_HDR_LEN);
	reseal(t, len + ext);
	save(t, len + ext);

	/* Broken: truncated, corrupted, trailing, mandatory unknown. */
	len = build(s, 5, 8, 0);
	save(s, len / 2);
	s[100] ^= 4;
	save(s, len);
	len = build(s, 5, 0, 0);
	s[len] = 0;
	save(s, len + 1);
	len = build(s, 5, 0, 1);
	put_unaligned_le32(I40E_VF_MDEV_REC_F_MANDATORY,
			   s + I40E_VF_MDEV_STREAM_HDR_LEN + 4);
	reseal(s, len);
	save(s, len);

	printf("%u seeds in %s\n", nr, dir);
	if (argc == 3) {
		dir = argv[2];
		save_v1("precopy", v1_precopy, sizeof(v1_precopy));
		save_v1("resume", v1_resume, sizeof(v1_resume));
	}
	free(s);
	free(t);
	return 0;
}
