// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the v1 migration region protocol: a model engine behind
 * the protocol, driven by a replica of QEMU 7.2's hw/vfio/migration.c
 * (save/load handlers, state changes, split 8/4/2/1-byte accesses).
 */
#include <kunit/test.h>
#include <linux/vfio.h>

#include "mig_v1_proto.h"

#define BUF_SIZE	(64 * 1024)
#define FILE_SIZE	(256 * 1024)

#define V1_RUN		VFIO_DEVICE_STATE_V1_RUNNING
#define V1_SAV		VFIO_DEVICE_STATE_V1_SAVING
#define V1_RES		VFIO_DEVICE_STATE_V1_RESUMING
#define V1_MASK		VFIO_DEVICE_STATE_MASK
#define V1_ERR		I40E_VF_MDEV_V1_STATE_ERROR

/* A model of the migration engine behind the v1 front end. */
struct eng {
	u32 flags;
	enum vfio_device_mig_state state;
	struct i40e_vf_mdev_stream_ident id;
	struct i40e_vf_mdev_vf_regs regs;	/* "the device" */
	struct i40e_vf_mdev_writer w;
	struct i40e_vf_mdev_parser p;
	u8 *wbuf;
	u8 *pbuf;
	size_t pbuf_size;
	bool dma, frozen;
	unsigned int arcs;
	int fail_into;		/* fail the arc into this state (-1: none) */
	bool fail_to_error;
	struct i40e_vf_mdev_v1 v1;
	struct vfio_device vdev;	/* for vfio_mig_get_next_state() */
};

/*
 * One arc, as i40e_vf_mdev_mig_step() does it (mig_arcs.c): DMA stops on
 * entering a P2P state and restarts on leaving it, the device freezes on
 * entering STOP or STOP_COPY and thaws on leaving them for a running
 * state, a save session opens on entering the saving group and gets the
 * device state on entering STOP_COPY, a resume session opens on entering
 * RESUMING and is applied on leaving it.
 */
static bool eng_is_arc(enum vfio_device_mig_state from,
		       enum vfio_device_mig_state to)
{
	static struct vfio_device vdev = {
		.migration_flags = I40E_VF_MDEV_MIG_FLAGS,
	};
	enum vfio_device_mig_state next;

	/* Exactly one step of vfio_mig_get_next_state() */
	return from != to && from != VFIO_DEVICE_STATE_ERROR &&
	       !vfio_mig_get_next_state(&vdev, from, to, &next) && next == to;
}

static bool eng_p2p(enum vfio_device_mig_state s)
{
	return s == VFIO_DEVICE_STATE_RUNNING_P2P ||
	       s == VFIO_DEVICE_STATE_PRE_COPY_P2P;
}

static bool eng_running(enum vfio_device_mig_state s)
{
	return s == VFIO_DEVICE_STATE_RUNNING || s == VFIO_DEVICE_STATE_PRE_COPY;
}

static int eng_step(struct eng *e, enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = e->state;
	int ret;

	if (!eng_is_arc(cur, next))
		return -EINVAL;
	if (e->fail_into == (int)next)
		return -EIO;
	e->arcs++;
	if (eng_running(cur) && eng_p2p(next))
		e->dma = false;
	if (next == VFIO_DEVICE_STATE_STOP_COPY ||
	    (cur == VFIO_DEVICE_STATE_RUNNING_P2P &&
	     next == VFIO_DEVICE_STATE_STOP))
		e->frozen = true;
	if (!i40e_vf_mdev_mig_saving(cur) && i40e_vf_mdev_mig_saving(next)) {
		i40e_vf_mdev_writer_init(&e->w, e->wbuf, BUF_SIZE, 0, NULL, NULL);
		ret = i40e_vf_mdev_write_header(&e->w, &e->id, 0);
		if (ret)
			return ret;
	}
	if (next == VFIO_DEVICE_STATE_STOP_COPY) {
		ret = i40e_vf_mdev_write_vf_regs(&e->w, &e->regs);
		if (!ret)
			ret = i40e_vf_mdev_write_end(&e->w);
		if (ret)
			return ret;
	}
	if (next == VFIO_DEVICE_STATE_RESUMING)
		i40e_vf_mdev_parser_init(&e->p, e->pbuf, e->pbuf_size, &e->id);
	if (cur == VFIO_DEVICE_STATE_RESUMING) {
		ret = i40e_vf_mdev_parser_finish(&e->p);
		if (ret)
			return ret;	/* nothing applied: still RESUMING */
		e->regs = i40e_vf_mdev_parser_state(&e->p)->vf_regs;
	}
	if (cur == VFIO_DEVICE_STATE_STOP &&
	    next == VFIO_DEVICE_STATE_RUNNING_P2P)
		e->frozen = false;
	if (eng_p2p(cur) && eng_running(next))
		e->dma = true;
	e->state = next;
	return 0;
}

static int eng_set_state(void *priv, enum vfio_device_mig_state target,
			 enum vfio_device_mig_state *now)
{
	struct eng *e = priv;
	enum vfio_device_mig_state next;
	int ret = 0;

	while (e->state != target) {
		/* Nothing leaves ERROR but a reset (as the engine) */
		if (e->state == VFIO_DEVICE_STATE_ERROR) {
			ret = -EINVAL;
			break;
		}
		e->vdev.migration_flags = e->flags;
		ret = vfio_mig_get_next_state(&e->vdev, e->state, target,
					      &next);
		if (!ret)
			ret = eng_step(e, next);
		if (ret) {
			if (e->fail_to_error)
				e->state = VFIO_DEVICE_STATE_ERROR;
			break;
		}
	}
	*now = e->state;
	return ret;
}

static const struct i40e_vf_mdev_v1_ops eng_ops = {
	.set_state = eng_set_state,
};

static struct eng *eng_new(struct kunit *test, u32 seed, u64 data_offset,
			   u64 data_size)
{
	struct eng *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	unsigned int i;
	u32 x = seed | 1;

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->wbuf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	e->pbuf = kunit_kzalloc(test, BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->wbuf);
	KUNIT_ASSERT_NOT_NULL(test, e->pbuf);
	e->pbuf_size = BUF_SIZE;
	e->flags = I40E_VF_MDEV_MIG_FLAGS;
	e->state = VFIO_DEVICE_STATE_RUNNING;
	e->dma = true;
	e->fail_into = -1;
	e->id.vf_vendor = 0x8086;
	e->id.vf_device = 0x154c;
	e->id.pf_device = 0x1583;
	e->id.num_queue_pairs = 4;
	e->id.num_msix = 5;
	strscpy(e->id.type_name, "i40e_vf_mdev-vf", sizeof(e->id.type_name));
	for (i = 0; i < sizeof(e->regs); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		((u8 *)&e->regs)[i] = (u8)x;
	}
	e->regs.nr_qvecs = 4;
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_init(&e->v1, &eng_ops, e, &e->w,
						   &e->p, data_offset,
						   data_size), 0);
	return e;
}

static bool regs_same(const struct i40e_vf_mdev_vf_regs *a,
		      const struct i40e_vf_mdev_vf_regs *b)
{
	unsigned int v;

	for (v = 0; v < a->nr_qvecs; v++)
		if (a->dyn_ctln1[v] != b->dyn_ctln1[v] ||
		    a->itrn1[0][v] != b->itrn1[0][v] ||
		    a->itrn1[1][v] != b->itrn1[1][v] ||
		    a->itrn1[2][v] != b->itrn1[2][v])
			return false;
	return a->nr_qvecs == b->nr_qvecs && a->atq_bal == b->atq_bal &&
	       a->atq_bah == b->atq_bah && a->atq_len == b->atq_len &&
	       a->atq_head == b->atq_head && a->atq_tail == b->atq_tail &&
	       a->arq_bal == b->arq_bal && a->arq_bah == b->arq_bah &&
	       a->arq_len == b->arq_len && a->arq_head == b->arq_head &&
	       a->arq_tail == b->arq_tail && a->icr0_ena1 == b->icr0_ena1 &&
	       a->dyn_ctl01 == b->dyn_ctl01 &&
	       !memcmp(a->hena, b->hena, sizeof(a->hena)) &&
	       !memcmp(a->hkey, b->hkey, sizeof(a->hkey)) &&
	       !memcmp(a->hlut, b->hlut, sizeof(a->hlut));
}

/*
 * A replica of QEMU 7.2's hw/vfio/migration.c for one device without mmap
 * of the region: the names are QEMU's, the file is QEMU's migration stream
 * of this device (big-endian tags, sizes, data).
 */
#define VFIO_MIG_FLAG_END_OF_STATE	0xffffffffef100001ULL
#define VFIO_MIG_FLAG_DEV_SETUP_STATE	0xffffffffef100003ULL
#define VFIO_MIG_FLAG_DEV_DATA_STATE	0xffffffffef100004ULL

struct qemu {
	struct kunit *test;
	struct eng *e;
	unsigned int max_access;	/* 8 like QEMU, or less to split more */
	u8 *file;
	size_t flen, fpos;
	u8 *tmp;
	u32 device_state;
	u64 pending_bytes;
	bool hw_error;
	unsigned int accesses;
};

/* The file has room for FILE_SIZE bytes; a runaway save fails the test. */
static bool file_room(struct qemu *q, u64 n)
{
	if (q->flen + n <= FILE_SIZE)
		return true;
	KUNIT_FAIL(q->test, "QEMU file overflow: the save does not end");
	return false;
}

static void put_be64(struct qemu *q, u64 v)
{
	int i;

	if (!file_room(q, 8))
		return;
	for (i = 0; i < 8; i++)
		q->file[q->flen++] = (u8)(v >> (56 - 8 * i));
}

static u64 get_be64(struct qemu *q)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8 && q->fpos < q->flen; i++)
		v = v << 8 | q->file[q->fpos++];
	return v;
}

static int vfio_mig_rw(struct qemu *q, void *buf, size_t count, u64 off,
		       bool write)
{
	u8 *b = buf;
	ssize_t ret;

	while (count) {
		size_t bytes;

		if (count >= 8 && !(off % 8) && q->max_access >= 8)
			bytes = 8;
		else if (count >= 4 && !(off % 4) && q->max_access >= 4)
			bytes = 4;
		else if (count >= 2 && !(off % 2) && q->max_access >= 2)
			bytes = 2;
		else
			bytes = 1;
		ret = i40e_vf_mdev_v1_rw(&q->e->v1, b, bytes, off, write);
		q->accesses++;
		if (ret < (ssize_t)bytes)
			return ret < 0 ? ret : -EINVAL;
		count -= bytes;
		off += bytes;
		b += bytes;
	}
	return 0;
}

/* VFIO_DEVICE_STATE_VALID() and VFIO_DEVICE_STATE_IS_ERROR() */
static bool state_valid(u32 s)
{
	return s & V1_RES ? (s & V1_MASK) == V1_RES : true;
}

static bool state_is_error(u32 s)
{
	return (s & V1_MASK) == (V1_SAV | V1_RES);
}

static int vfio_migration_set_state(struct qemu *q, u32 mask, u32 value)
{
	u32 device_state;
	int ret, rret;

	ret = vfio_mig_rw(q, &device_state, 4, 0, false);
	if (ret)
		return ret;
	device_state = (device_state & mask) | value;
	if (!state_valid(device_state))
		return -EINVAL;
	ret = vfio_mig_rw(q, &device_state, 4, 0, true);
	if (ret) {
		rret = vfio_mig_rw(q, &device_state, 4, 0, false);
		if (rret || state_is_error(device_state)) {
			q->hw_error = true;	/* QEMU aborts here */
			return rret ? rret : -EIO;
		}
		return ret;
	}
	q->device_state = device_state;
	return 0;
}

static int vfio_update_pending(struct qemu *q)
{
	u64 pending = 0;
	int ret = vfio_mig_rw(q, &pending, 8, 8, false);

	q->pending_bytes = ret ? 0 : pending;
	return ret;
}

static int vfio_save_buffer(struct qemu *q, u64 *size)
{
	u64 region = i40e_vf_mdev_v1_region_size(&q->e->v1);
	u64 data_offset = 0, data_size = 0, sz;
	int ret;

	ret = vfio_mig_rw(q, &data_offset, 8, 16, false);
	if (ret)
		return ret;
	ret = vfio_mig_rw(q, &data_size, 8, 24, false);
	if (ret)
		return ret;
	put_be64(q, data_size);
	for (sz = data_size; sz; ) {
		u64 sec = min_t(u64, sz, region - data_offset);

		ret = vfio_mig_rw(q, q->tmp, sec, data_offset, false);
		if (ret)
			return ret;
		if (!file_room(q, sec))
			return -ENOSPC;
		memcpy(q->file + q->flen, q->tmp, sec);
		q->flen += sec;
		sz -= sec;
		data_offset += sec;
	}
	*size = data_size;
	return 0;
}

static int vfio_save_setup(struct qemu *q)
{
	int ret;

	put_be64(q, VFIO_MIG_FLAG_DEV_SETUP_STATE);
	ret = vfio_migration_set_state(q, V1_MASK, V1_SAV);
	if (ret)
		return ret;
	put_be64(q, VFIO_MIG_FLAG_END_OF_STATE);
	return 0;
}

static int vfio_save_iterate(struct qemu *q)
{
	u64 size;
	int ret;

	put_be64(q, VFIO_MIG_FLAG_DEV_DATA_STATE);
	if (!q->pending_bytes) {
		ret = vfio_update_pending(q);
		if (ret)
			return ret;
		if (!q->pending_bytes) {
			put_be64(q, 0);
			put_be64(q, VFIO_MIG_FLAG_END_OF_STATE);
			return 1;
		}
	}
	ret = vfio_save_buffer(q, &size);
	if (ret)
		return ret;
	put_be64(q, VFIO_MIG_FLAG_END_OF_STATE);
	q->pending_bytes = 0;
	return 0;
}

static int vfio_save_complete_precopy(struct qemu *q)
{
	u64 size;
	int ret;

	ret = vfio_migration_set_state(q, ~V1_RUN, V1_SAV);
	if (ret)
		return ret;
	ret = vfio_update_pending(q);
	if (ret)
		return ret;
	while (q->pending_bytes > 0) {
		put_be64(q, VFIO_MIG_FLAG_DEV_DATA_STATE);
		ret = vfio_save_buffer(q, &size);
		if (ret)
			return ret;
		if (!size)
			break;
		if (q->flen > FILE_SIZE / 2) {
			KUNIT_FAIL(q->test, "stop-and-copy does not end");
			return -E2BIG;
		}
		ret = vfio_update_pending(q);
		if (ret)
			return ret;
	}
	put_be64(q, VFIO_MIG_FLAG_END_OF_STATE);
	return vfio_migration_set_state(q, ~V1_SAV, 0);
}

static int vfio_vmstate_change(struct qemu *q, bool running, bool save_vm)
{
	if (running)
		return vfio_migration_set_state(q, ~V1_MASK, V1_RUN);
	return vfio_migration_set_state(q, ~V1_RUN, save_vm ? V1_SAV : 0);
}

static int vfio_migration_failed(struct qemu *q)
{
	return vfio_migration_set_state(q, ~(V1_SAV | V1_RES), V1_RUN);
}

static int vfio_load_setup(struct qemu *q)
{
	return vfio_migration_set_state(q, ~V1_MASK, V1_RES);
}

static int vfio_load_buffer(struct qemu *q, u64 data_size)
{
	u64 region = i40e_vf_mdev_v1_region_size(&q->e->v1);
	u64 data_offset = 0, size, report_size;
	int ret;

	do {
		ret = vfio_mig_rw(q, &data_offset, 8, 16, false);
		if (ret)
			return ret;
		if (data_offset + data_size > region) {
			report_size = region - data_offset;
			size = report_size;
			data_size -= size;
		} else {
			report_size = data_size;
			size = data_size;
			data_size = 0;
		}
		while (size) {
			u64 sec = min_t(u64, size, region - data_offset);

			if (q->fpos + sec > q->flen)
				return -EIO;
			memcpy(q->tmp, q->file + q->fpos, sec);
			q->fpos += sec;
			ret = vfio_mig_rw(q, q->tmp, sec, data_offset, true);
			if (ret)
				return ret;
			size -= sec;
			data_offset += sec;
		}
		ret = vfio_mig_rw(q, &report_size, 8, 24, true);
		if (ret)
			return ret;
	} while (data_size);
	return 0;
}

static int vfio_load_state(struct qemu *q)
{
	u64 data = get_be64(q);
	int ret;

	while (data != VFIO_MIG_FLAG_END_OF_STATE) {
		if (data == VFIO_MIG_FLAG_DEV_SETUP_STATE) {
			data = get_be64(q);
			return data == VFIO_MIG_FLAG_END_OF_STATE ? 0 : -EINVAL;
		} else if (data == VFIO_MIG_FLAG_DEV_DATA_STATE) {
			u64 size = get_be64(q);

			if (size) {
				ret = vfio_load_buffer(q, size);
				if (ret)
					return ret;
			}
		} else {
			return -EINVAL;
		}
		if (q->fpos >= q->flen)
			return -EIO;
		data = get_be64(q);
	}
	return 0;
}

static struct qemu *qemu_new(struct kunit *test, struct eng *e,
			     unsigned int max_access, u8 *file)
{
	struct qemu *q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	q->tmp = kunit_kzalloc(test, i40e_vf_mdev_v1_region_size(&e->v1),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q->tmp);
	q->test = test;
	q->e = e;
	q->max_access = max_access;
	q->file = file;
	q->device_state = V1_RUN;
	return q;
}

/* Source side of a live migration, as QEMU 7.2 runs it. */
static int qemu_save(struct qemu *q, unsigned int rounds)
{
	unsigned int i;
	int ret;

	ret = vfio_save_setup(q);
	if (ret)
		return ret;
	for (i = 0; i < rounds; i++) {
		vfio_update_pending(q);		/* save_live_pending */
		ret = vfio_save_iterate(q);
		if (ret < 0)
			return ret;
	}
	ret = vfio_vmstate_change(q, false, false);
	if (ret)
		return ret;
	return vfio_save_complete_precopy(q);
}

/* Destination side: load every section, then start the VM. */
static int qemu_load(struct qemu *q)
{
	int ret;

	ret = vfio_load_setup(q);
	if (ret)
		return ret;
	while (q->fpos < q->flen) {
		ret = vfio_load_state(q);
		if (ret)
			return ret;
	}
	return vfio_vmstate_change(q, true, false);
}

static void qemu72_live_migration(struct kunit *test)
{
	static const unsigned int access[] = { 8, 4, 2, 1 };
	static const u64 windows[] = { I40E_VF_MDEV_V1_DATA_SIZE, 100, 24, 7 };
	static const u64 offsets[] = { I40E_VF_MDEV_V1_DATA_OFFSET, 36 };
	u8 *file = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	unsigned int a, w, o;

	KUNIT_ASSERT_NOT_NULL(test, file);
	for (a = 0; a < ARRAY_SIZE(access); a++) {
		for (w = 0; w < ARRAY_SIZE(windows); w++) {
			for (o = 0; o < ARRAY_SIZE(offsets); o++) {
				struct eng *src = eng_new(test, 1 + a + w, offsets[o],
							  windows[w]);
				struct eng *dst = eng_new(test, 99, offsets[o],
							  windows[w]);
				struct qemu *qs = qemu_new(test, src, access[a],
							   file);
				struct qemu *qd = qemu_new(test, dst, access[a],
							   file);

				KUNIT_ASSERT_EQ(test, qemu_save(qs, 3), 0);
				KUNIT_EXPECT_EQ(test, src->state,
						VFIO_DEVICE_STATE_STOP);
				KUNIT_EXPECT_EQ(test, qs->device_state, 0);
				KUNIT_EXPECT_TRUE(test, src->frozen);
				KUNIT_EXPECT_FALSE(test, src->dma);

				qd->flen = qs->flen;
				KUNIT_ASSERT_EQ_MSG(test, qemu_load(qd), 0,
						    "access %u window %llu: %s",
						    access[a],
						    (unsigned long long)windows[w],
						    dst->p.err_msg);
				KUNIT_EXPECT_EQ(test, dst->state,
						VFIO_DEVICE_STATE_RUNNING);
				KUNIT_EXPECT_EQ(test, qd->device_state, V1_RUN);
				KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs,
								  &src->regs));
				KUNIT_EXPECT_TRUE(test, dst->dma);
				KUNIT_EXPECT_FALSE(test, dst->frozen);
				KUNIT_EXPECT_FALSE(test, qs->hw_error || qd->hw_error);

				/* The source VM may run again afterwards. */
				KUNIT_EXPECT_EQ(test,
						vfio_vmstate_change(qs, true, false),
						0);
				KUNIT_EXPECT_EQ(test, src->state,
						VFIO_DEVICE_STATE_RUNNING);
			}
		}
	}
}

static void qemu72_precopy_carries_header(struct kunit *test)
{
	u8 *file = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	struct eng *src = eng_new(test, 5, I40E_VF_MDEV_V1_DATA_OFFSET, 16);
	struct qemu *q = qemu_new(test, src, 8, file);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, file);
	KUNIT_ASSERT_EQ(test, vfio_save_setup(q), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_PRE_COPY);
	KUNIT_ASSERT_EQ(test, vfio_update_pending(q), 0);
	KUNIT_EXPECT_EQ(test, q->pending_bytes, I40E_VF_MDEV_STREAM_HDR_LEN);
	/* Five 16-byte chunks carry the 72-byte header, then nothing. */
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, vfio_save_iterate(q), 0);
	KUNIT_EXPECT_EQ(test, vfio_save_iterate(q), 1);
	KUNIT_ASSERT_EQ(test, vfio_update_pending(q), 0);
	KUNIT_EXPECT_EQ(test, q->pending_bytes, 0);
	/* The device stream begins with the magic. */
	KUNIT_EXPECT_MEMEQ(test, file + 8 + 8 + 8 + 8,
			   I40E_VF_MDEV_STREAM_MAGIC, 8);
	/* Stopping makes the rest of the stream available. */
	KUNIT_ASSERT_EQ(test, vfio_vmstate_change(q, false, false), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_STOP_COPY);
	KUNIT_ASSERT_EQ(test, vfio_update_pending(q), 0);
	KUNIT_EXPECT_EQ(test, q->pending_bytes,
			i40e_vf_mdev_stream_size_max(&src->id, 0) -
			I40E_VF_MDEV_STREAM_HDR_LEN);
}

static void qemu72_savevm(struct kunit *test)
{
	u8 *file = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	struct eng *src = eng_new(test, 11, I40E_VF_MDEV_V1_DATA_OFFSET, 64);
	struct eng *dst = eng_new(test, 12, I40E_VF_MDEV_V1_DATA_OFFSET, 64);
	struct qemu *qs = qemu_new(test, src, 8, file);
	struct qemu *qd = qemu_new(test, dst, 8, file);

	KUNIT_ASSERT_NOT_NULL(test, file);
	/* savevm stops the VM with SAVE_VM first: RUNNING -> SAVING. */
	KUNIT_ASSERT_EQ(test, vfio_vmstate_change(qs, false, true), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_STOP_COPY);
	KUNIT_ASSERT_EQ(test, vfio_save_setup(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_save_complete_precopy(qs), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_STOP);
	KUNIT_ASSERT_EQ(test, vfio_vmstate_change(qs, true, false), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_RUNNING);

	qd->flen = qs->flen;
	KUNIT_ASSERT_EQ(test, qemu_load(qd), 0);
	KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs, &src->regs));
}

static void qemu72_cancel_and_retry(struct kunit *test)
{
	u8 *file = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	struct eng *src = eng_new(test, 21, I40E_VF_MDEV_V1_DATA_OFFSET, 40);
	struct eng *dst = eng_new(test, 22, I40E_VF_MDEV_V1_DATA_OFFSET, 40);
	struct qemu *qs = qemu_new(test, src, 8, file);
	struct qemu *qd = qemu_new(test, dst, 8, file);

	KUNIT_ASSERT_NOT_NULL(test, file);
	/* Cancel in pre-copy, in the middle of the header. */
	KUNIT_ASSERT_EQ(test, vfio_save_setup(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_update_pending(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_save_iterate(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_migration_failed(qs), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_RUNNING);

	/* Fail after stop-and-copy started. */
	qs->flen = 0;
	KUNIT_ASSERT_EQ(test, vfio_save_setup(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_vmstate_change(qs, false, false), 0);
	KUNIT_ASSERT_EQ(test, vfio_update_pending(qs), 0);
	KUNIT_ASSERT_EQ(test, vfio_migration_failed(qs), 0);
	KUNIT_EXPECT_EQ(test, src->state, VFIO_DEVICE_STATE_RUNNING);

	/* A new attempt starts a new stream from its first byte. */
	qs->flen = 0;
	qs->pending_bytes = 0;
	KUNIT_ASSERT_EQ(test, qemu_save(qs, 2), 0);
	qd->flen = qs->flen;
	KUNIT_ASSERT_EQ_MSG(test, qemu_load(qd), 0, "%s", dst->p.err_msg);
	KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs, &src->regs));
}

/* An invalid stream fails a write, never reaches the device, and the
 * destination stays usable: reset it and migrate again.
 */
static void qemu72_bad_streams_rejected(struct kunit *test)
{
	u8 *file = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	u8 *good = kunit_kzalloc(test, FILE_SIZE, GFP_KERNEL);
	struct eng *src = eng_new(test, 31, I40E_VF_MDEV_V1_DATA_OFFSET, 64);
	struct eng *dst = eng_new(test, 32, I40E_VF_MDEV_V1_DATA_OFFSET, 64);
	struct i40e_vf_mdev_vf_regs before = dst->regs;
	struct qemu *qs = qemu_new(test, src, 8, good);
	struct qemu *qd = qemu_new(test, dst, 8, file);
	size_t data0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, file);
	KUNIT_ASSERT_NOT_NULL(test, good);
	KUNIT_ASSERT_EQ(test, qemu_save(qs, 3), 0);
	/* Offset of the first device data byte in QEMU's stream. */
	data0 = 8 + 8 + 8 + 8;

	/* A corrupted register value: the CRC at END catches it. */
	memcpy(file, good, qs->flen);
	qd->flen = qs->flen;
	/* The last chunk is 40 bytes: VF_REGS' last 8, then END (32). */
	file[qs->flen - 8 - 40] ^= 0x01;
	ret = qemu_load(qd);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	KUNIT_EXPECT_EQ(test, dst->p.code, I40E_VF_MDEV_SERR_CORRUPT);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_device_state(&dst->v1), V1_RES);
	KUNIT_EXPECT_FALSE(test, qd->hw_error);
	KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs, &before));

	/* QEMU gives up: "failed" notifier, RESUMING -> RUNNING fails too. */
	KUNIT_EXPECT_NE(test, vfio_migration_failed(qd), 0);
	KUNIT_EXPECT_FALSE(test, qd->hw_error);
	KUNIT_EXPECT_EQ(test, dst->state, VFIO_DEVICE_STATE_RESUMING);

	/* VFIO_DEVICE_RESET, then a good stream goes through. */
	dst->state = VFIO_DEVICE_STATE_RUNNING;
	dst->dma = true;
	dst->frozen = false;
	i40e_vf_mdev_v1_reset(&dst->v1);
	memcpy(file, good, qs->flen);
	qd->fpos = 0;
	KUNIT_ASSERT_EQ_MSG(test, qemu_load(qd), 0, "%s", dst->p.err_msg);
	KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs, &src->regs));

	/* A corrupted magic fails the very first data_size write. */
	dst->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(&dst->v1);
	memcpy(file, good, qs->flen);
	file[data0] = 'X';
	qd->fpos = 0;
	KUNIT_EXPECT_EQ(test, qemu_load(qd), -EINVAL);
	KUNIT_EXPECT_EQ(test, dst->p.code, I40E_VF_MDEV_SERR_BAD_MAGIC);
	KUNIT_EXPECT_EQ(test, dst->p.len, 64);

	/* An incompatible source: rejected once the header is in. */
	dst->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(&dst->v1);
	dst->id.num_queue_pairs = 8;
	qd->fpos = 0;
	memcpy(file, good, qs->flen);
	KUNIT_EXPECT_EQ(test, qemu_load(qd), -EINVAL);
	KUNIT_EXPECT_EQ(test, dst->p.code, I40E_VF_MDEV_SERR_INCOMPATIBLE);
	KUNIT_EXPECT_TRUE(test, strstr(dst->p.err_msg, "queue pairs"));
	dst->id.num_queue_pairs = 4;

	/* A truncated stream: every chunk accepted, RUNNING refused. */
	dst->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(&dst->v1);
	qd->fpos = 0;
	qd->device_state = V1_RUN;
	KUNIT_ASSERT_EQ(test, vfio_load_setup(qd), 0);
	KUNIT_ASSERT_EQ(test, vfio_load_state(qd), 0);	/* setup section */
	KUNIT_ASSERT_EQ(test, vfio_load_state(qd), 0);	/* first data */
	KUNIT_EXPECT_EQ(test, vfio_vmstate_change(qd, true, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, dst->p.code, I40E_VF_MDEV_SERR_TRUNCATED);
	KUNIT_EXPECT_EQ(test, dst->state, VFIO_DEVICE_STATE_RESUMING);
	KUNIT_EXPECT_FALSE(test, qd->hw_error);
	KUNIT_EXPECT_TRUE(test, regs_same(&dst->regs, &src->regs));
}

static void header_access_rules(struct kunit *test)
{
	struct eng *e = eng_new(test, 41, I40E_VF_MDEV_V1_DATA_OFFSET, 256);
	struct i40e_vf_mdev_v1 *v = &e->v1;
	u8 buf[16];
	u64 off, val;
	size_t size;
	ssize_t ret;

	/* Reads: only 1, 2, 4, 8 bytes, aligned, inside the header. */
	for (off = 0; off < 40; off++) {
		for (size = 1; size <= 9; size++) {
			bool ok = (size == 1 || size == 2 || size == 4 ||
				   size == 8) && off % size == 0 &&
				  off + size <= I40E_VF_MDEV_V1_HDR_SIZE;

			if (off >= I40E_VF_MDEV_V1_HDR_SIZE)
				ok = false;
			ret = i40e_vf_mdev_v1_rw(v, buf, size, off, false);
			KUNIT_EXPECT_EQ_MSG(test, ret, ok ? (ssize_t)size : -EINVAL,
					    "read %zu at %llu", size,
					    (unsigned long long)off);
		}
	}
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 0, 3, false), 0);

	/* Field values while RUNNING. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), 8);
	KUNIT_EXPECT_EQ(test, val, I40E_VF_MDEV_V1_DATA_OFFSET);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), 8);
	KUNIT_EXPECT_EQ(test, val, 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 0, false), 8);
	KUNIT_EXPECT_EQ(test, (u32)val, V1_RUN);	/* reserved reads 0 */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_region_size(v),
			I40E_VF_MDEV_V1_DATA_OFFSET + 256);

	/* Writes: read-only fields, reserved, data_size outside RESUMING. */
	val = 5;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 4, 12, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 4, 4, true), 4);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 24, true), -EINVAL);

	/* Gap, data section without a session, beyond the region. */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 4, 32, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 4, 0x800, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 4, 0x1000, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 4, 0x1000, true),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 4, 0x1000 + 254, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 1, 0x1000 + 256, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, buf, 1, ~0ULL, false),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, e->arcs, 0);

	/* Bad layouts. */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_init(v, &eng_ops, e, &e->w, &e->p,
						   16, 256), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_init(v, &eng_ops, e, &e->w, &e->p,
						   4096, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_init(v, NULL, e, &e->w, &e->p,
						   4096, 256), -EINVAL);
}

static u32 read_state(struct kunit *test, struct i40e_vf_mdev_v1 *v)
{
	u32 s = ~0U;

	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &s, 4, 0, false), 4);
	return s;
}

static int write_state(struct i40e_vf_mdev_v1 *v, u32 s)
{
	ssize_t ret = i40e_vf_mdev_v1_rw(v, &s, 4, 0, true);

	return ret < 0 ? ret : 0;
}

static void device_state_rules(struct kunit *test)
{
	struct eng *e = eng_new(test, 51, I40E_VF_MDEV_V1_DATA_OFFSET, 256);
	struct i40e_vf_mdev_v1 *v = &e->v1;
	u8 b, b8[8];
	u16 h;
	u32 st;

	KUNIT_EXPECT_EQ(test, read_state(test, v), V1_RUN);
	/* Reserved bits, invalid combinations, ERROR: refused, no arc. */
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RUN | BIT(3)), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RUN | BIT(31)), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RES | V1_RUN), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_state(v, V1_ERR), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_state(v, V1_MASK), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->arcs, 0);
	/* Same state: success, nothing done. */
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RUN), 0);
	KUNIT_EXPECT_EQ(test, e->arcs, 0);

	/* Partial writes are read-modify-write of device_state. */
	b = V1_SAV | V1_RUN;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &b, 1, 0, true), 1);
	KUNIT_EXPECT_EQ(test, e->state, VFIO_DEVICE_STATE_PRE_COPY);
	h = 0;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &h, 2, 2, true), 2);
	KUNIT_EXPECT_EQ(test, e->state, VFIO_DEVICE_STATE_PRE_COPY);
	h = 1;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &h, 2, 2, true), -EINVAL);
	/* 8 bytes: device_state and reserved */
	st = V1_SAV;
	memset(b8, 0xaa, sizeof(b8));
	memcpy(b8, &st, sizeof(st));
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, b8, 8, 0, true), 8);
	KUNIT_EXPECT_EQ(test, e->state, VFIO_DEVICE_STATE_STOP_COPY);

	/* stop-and-copy -> pre-copy is not allowed. */
	KUNIT_EXPECT_EQ(test, write_state(v, V1_SAV | V1_RUN), -EINVAL);
	KUNIT_EXPECT_EQ(test, read_state(test, v), V1_SAV);

	/* Every other writable state is reachable from here and back. */
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RES), 0);
	KUNIT_EXPECT_EQ(test, e->state, VFIO_DEVICE_STATE_RESUMING);
	KUNIT_EXPECT_EQ(test, write_state(v, 0), -EINVAL);	/* no stream */
	KUNIT_EXPECT_EQ(test, read_state(test, v), V1_RES);

	/* An engine failure that leaves the device broken: ERROR. */
	i40e_vf_mdev_v1_reset(v);
	e->state = VFIO_DEVICE_STATE_RUNNING;
	e->fail_into = VFIO_DEVICE_STATE_RUNNING_P2P;
	e->fail_to_error = true;
	KUNIT_EXPECT_EQ(test, write_state(v, 0), -EIO);
	KUNIT_EXPECT_EQ(test, read_state(test, v), V1_ERR);
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RUN), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_state(v, 0), -EINVAL);
	/* ... which QEMU 7.2 treats as fatal. */
	{
		struct qemu *q7 = qemu_new(test, e, 8, NULL);

		q7->device_state = V1_ERR;
		KUNIT_EXPECT_NE(test, vfio_migration_failed(q7), 0);
		KUNIT_EXPECT_TRUE(test, q7->hw_error);
	}

	/* Reset recovers. */
	e->fail_into = -1;
	e->fail_to_error = false;
	e->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(v);
	KUNIT_EXPECT_EQ(test, read_state(test, v), V1_RUN);
	KUNIT_EXPECT_EQ(test, write_state(v, 0), 0);
	KUNIT_EXPECT_EQ(test, e->state, VFIO_DEVICE_STATE_STOP);

	/* A failure that leaves the device where it was is not ERROR. */
	e->fail_into = VFIO_DEVICE_STATE_RESUMING;
	KUNIT_EXPECT_EQ(test, write_state(v, V1_RES), -EIO);
	KUNIT_EXPECT_EQ(test, read_state(test, v), 0);
}

static void split_field_accesses(struct kunit *test)
{
	struct eng *e = eng_new(test, 61, I40E_VF_MDEV_V1_DATA_OFFSET, 32);
	struct i40e_vf_mdev_v1 *v = &e->v1;
	u64 val, size;
	u8 b[8], chunk1[32], chunk2[32];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, write_state(v, V1_SAV | V1_RUN), 0);

	/* pending_bytes as two 4-byte reads: one value, one side effect. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, b, 4, 8, false), 4);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, b + 4, 4, 12, false), 4);
	memcpy(&val, b, 8);
	KUNIT_EXPECT_EQ(test, val, I40E_VF_MDEV_STREAM_HDR_LEN);

	/* data_offset byte by byte: the first byte opens the chunk. */
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &b[i], 1, 16 + i,
							 false), 1);
	memcpy(&val, b, 8);
	KUNIT_EXPECT_EQ(test, val, I40E_VF_MDEV_V1_DATA_OFFSET);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, false), 8);
	KUNIT_EXPECT_EQ(test, size, 32);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk1, 32, 0x1000, false),
			32);
	/* Reading data_offset again: same chunk. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), 8);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk2, 32, 0x1000, false),
			32);
	KUNIT_EXPECT_MEMEQ(test, chunk1, chunk2, 32);
	KUNIT_EXPECT_MEMEQ(test, chunk1, I40E_VF_MDEV_STREAM_MAGIC, 8);
	/* Any offset and size within the chunk; nothing beyond it. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk2, 3, 0x1000 + 5,
						 false), 3);
	KUNIT_EXPECT_MEMEQ(test, chunk2, chunk1 + 5, 3);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk2, 1, 0x1000 + 32,
						 false), -EINVAL);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk2, 4, 0x1000, true),
			-EINVAL);

	/* pending_bytes acknowledges the chunk: 72 - 32 left. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), 8);
	KUNIT_EXPECT_EQ(test, val, 40);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), 8);
	KUNIT_EXPECT_EQ(test, val, 40);	/* repeated reads: no effect */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, false), 8);
	KUNIT_EXPECT_EQ(test, size, 0);	/* no chunk open */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, chunk2, 1, 0x1000, false),
			-EINVAL);

	/*
	 * The last 8 header bytes are the open chunk when the VM stops: the
	 * stream grows, the chunk stays what it was until acknowledged.
	 */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), 8);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), 8);
	KUNIT_EXPECT_EQ(test, val, 8);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), 8);
	KUNIT_ASSERT_EQ(test, write_state(v, V1_SAV), 0);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), 8);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, false), 8);
	KUNIT_EXPECT_EQ(test, size, 8);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), 8);
	KUNIT_EXPECT_EQ(test, val, e->w.len - I40E_VF_MDEV_STREAM_HDR_LEN);

	/* A failed save stream fails the protocol's reads. */
	e->w.err = -EIO;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 8, false), -EIO);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &val, 8, 16, false), -EIO);
}

static void resume_window_rules(struct kunit *test)
{
	struct eng *src = eng_new(test, 71, I40E_VF_MDEV_V1_DATA_OFFSET, 512);
	struct eng *e = eng_new(test, 72, I40E_VF_MDEV_V1_DATA_OFFSET, 512);
	struct i40e_vf_mdev_v1 *v = &e->v1;
	const u8 *s;
	u64 size;
	u32 lo, hi;
	size_t len;
	void *win;

	/* A complete stream from the source engine. */
	KUNIT_ASSERT_EQ(test, write_state(&src->v1, V1_SAV), 0);
	s = src->w.buf;
	len = src->w.len;
	KUNIT_ASSERT_LE(test, len, 512);

	KUNIT_ASSERT_EQ(test, write_state(v, V1_RES), 0);
	/* Data written out of order; data_size in two halves. */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, (void *)(s + 10), len - 10,
						 0x1000 + 10, true), len - 10);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, (void *)s, 10, 0x1000, true),
			10);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 1, 0x1000, false),
			-EINVAL);
	size = len;
	memcpy(&lo, &size, 4);
	memcpy(&hi, (u8 *)&size + 4, 4);
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &hi, 4, 28, true), 4);
	KUNIT_EXPECT_EQ(test, e->p.len, 0);	/* not yet */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &lo, 4, 24, true), 4);
	KUNIT_EXPECT_EQ(test, e->p.len, len);
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_parser_done(&e->p));
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, false), 8);
	KUNIT_EXPECT_EQ(test, size, len);
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RUN), 0);
	KUNIT_EXPECT_TRUE(test, regs_same(&e->regs, &src->regs));

	/* data_size larger than the data section. */
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RES), 0);
	size = 513;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EINVAL);

	/* Writes past the parser's room: the stream would be too big. */
	e->pbuf_size = 100;
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RUN), -EINVAL);
	e->state = VFIO_DEVICE_STATE_RUNNING;
	i40e_vf_mdev_v1_reset(v);
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RES), 0);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_window(v, 0x1000 + 90, 20, true,
						     &win), -EFBIG);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_window(v, 0x1000 + 80, 20, true,
						     &win), 0);
	KUNIT_EXPECT_PTR_EQ(test, win, e->pbuf + 80);
	size = 200;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EFBIG);
	/* The parser's error is sticky and returned by later writes. */
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 0x1000, true),
			-EFBIG);
}

/*
 * A data_size write may commit only bytes the user wrote into the data
 * section since the last commit: anything more is refused and nothing is
 * committed (the parser would otherwise see bytes the user never sent).
 */
static void resume_commit_only_written(struct kunit *test)
{
	struct eng *src = eng_new(test, 81, I40E_VF_MDEV_V1_DATA_OFFSET, 512);
	struct eng *e = eng_new(test, 82, I40E_VF_MDEV_V1_DATA_OFFSET, 512);
	struct i40e_vf_mdev_v1 *v = &e->v1;
	const u8 *s;
	size_t len;
	u64 size;

	KUNIT_ASSERT_EQ(test, write_state(&src->v1, V1_SAV), 0);
	s = src->w.buf;
	len = src->w.len;
	KUNIT_ASSERT_GT(test, len, 40);
	KUNIT_ASSERT_LE(test, len, 512);
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RES), 0);
	/* Whatever a previous user left in the staging buffer */
	memset(e->pbuf, 0xa5, e->pbuf_size);

	/* Nothing written: no commit but of 0 bytes */
	size = 1;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->p.len, 0);
	KUNIT_EXPECT_EQ(test, e->p.err, 0);

	/* 20 bytes written, 40 committed: refused, nothing parsed */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, (void *)s, 20, 0x1000, true),
			20);
	size = 40;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->p.len, 0);
	KUNIT_EXPECT_EQ(test, e->p.err, 0);

	/* A gap: [30, len) written, [20, 30) not; still refused */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, (void *)(s + 30), len - 30,
						 0x1000 + 30, true), len - 30);
	size = len;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->p.len, 0);

	/* The whole stream written: accepted, and the region goes on */
	KUNIT_ASSERT_EQ(test, i40e_vf_mdev_v1_rw(v, (void *)s, len, 0x1000, true),
			len);
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), 8);
	KUNIT_EXPECT_EQ(test, e->p.len, len);
	KUNIT_EXPECT_TRUE(test, i40e_vf_mdev_parser_done(&e->p));
	/* After a commit the data section is empty again */
	size = 1;
	KUNIT_EXPECT_EQ(test, i40e_vf_mdev_v1_rw(v, &size, 8, 24, true), -EINVAL);
	KUNIT_EXPECT_EQ(test, e->p.len, len);
	KUNIT_ASSERT_EQ(test, write_state(v, V1_RUN), 0);
	KUNIT_EXPECT_TRUE(test, regs_same(&e->regs, &src->regs));
}

static struct kunit_case v1_cases[] = {
	KUNIT_CASE(qemu72_live_migration),
	KUNIT_CASE(qemu72_precopy_carries_header),
	KUNIT_CASE(qemu72_savevm),
	KUNIT_CASE(qemu72_cancel_and_retry),
	KUNIT_CASE(qemu72_bad_streams_rejected),
	KUNIT_CASE(header_access_rules),
	KUNIT_CASE(device_state_rules),
	KUNIT_CASE(split_field_accesses),
	KUNIT_CASE(resume_window_rules),
	KUNIT_CASE(resume_commit_only_written),
	{}
};

static struct kunit_suite v1_suite = {
	.name = "i40e_vf_mdev_mig_v1",
	.test_cases = v1_cases,
};

kunit_test_suite(v1_suite);
