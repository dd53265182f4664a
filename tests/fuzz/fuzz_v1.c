// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the v1 migration region protocol, driven by arbitrary
 * sequences of region reads and writes (what a hostile or buggy user can
 * do through pread/pwrite on the device fd), over a model engine whose
 * state changes can be made to fail.
 *
 * Input: a sequence of operations
 *   u8 op      bit 0 write, bits 1-2 where (header, data, anywhere),
 *              bit 3 make the next state change fail, bit 4 into ERROR,
 *              bit 5 device reset
 *   u8 off     offset (header: 0..39; data: from data_offset)
 *   u8 size    access size (header: 1..9; data: up to 255)
 *   ...        for writes, the bytes written (header device_state writes
 *              take their value from here too)
 *
 * Checked: no crash or sanitizer report; every access returns its size or
 * a negative errno; device_state always reads as a defined state; data
 * window pointers stay inside the engine's buffers.
 */
#include <stdlib.h>

#include <linux/vfio.h>	/* tests/unit/include: vfio_mig_get_next_state() */

#include "mig_v1_proto.h"
#include "fuzz_check.h"

#define BUF	(16 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct eng {
	enum vfio_device_mig_state state;
	struct i40e_vf_mdev_stream_ident id;
	struct i40e_vf_mdev_vf_regs regs;
	struct i40e_vf_mdev_writer w;
	struct i40e_vf_mdev_parser p;
	u8 wbuf[BUF];
	u8 pbuf[BUF];
	bool fail, fail_error;
	struct i40e_vf_mdev_v1 v1;
};

static int eng_step(struct eng *e, enum vfio_device_mig_state next)
{
	enum vfio_device_mig_state cur = e->state;
	int ret;

	/* The sessions of i40e_vf_mdev_mig_step() (mig_arcs.c) */
	if (e->fail)
		return -EIO;
	if (!i40e_vf_mdev_mig_saving(cur) && i40e_vf_mdev_mig_saving(next)) {
		i40e_vf_mdev_writer_init(&e->w, e->wbuf, BUF, 0, NULL, NULL);
		CHECK(!i40e_vf_mdev_write_header(&e->w, &e->id, 0));
	}
	if (next == VFIO_DEVICE_STATE_STOP_COPY) {
		CHECK(!i40e_vf_mdev_write_vf_regs(&e->w, &e->regs));
		CHECK(!i40e_vf_mdev_write_end(&e->w));
	}
	if (next == VFIO_DEVICE_STATE_RESUMING)
		i40e_vf_mdev_parser_init(&e->p, e->pbuf, BUF, &e->id);
	if (cur == VFIO_DEVICE_STATE_RESUMING) {
		ret = i40e_vf_mdev_parser_finish(&e->p);
		if (ret)
			return ret;
		e->regs = i40e_vf_mdev_parser_state(&e->p)->vf_regs;
	}
	e->state = next;
	return 0;
}

static int eng_set_state(void *priv, enum vfio_device_mig_state target,
			 enum vfio_device_mig_state *now)
{
	struct eng *e = priv;
	enum vfio_device_mig_state next;
	int ret = 0;

	CHECK(target != VFIO_DEVICE_STATE_ERROR && e->state != target);
	while (e->state != target) {
		struct vfio_device vdev = {
			.migration_flags = I40E_VF_MDEV_MIG_FLAGS,
		};

		if (e->state == VFIO_DEVICE_STATE_ERROR) {
			ret = -EINVAL;
			break;
		}
		ret = vfio_mig_get_next_state(&vdev, e->state, target, &next);
		if (!ret)
			ret = eng_step(e, next);
		if (ret) {
			if (e->fail_error)
				e->state = VFIO_DEVICE_STATE_ERROR;
			break;
		}
	}
	*now = e->state;
	return ret;
}

static const struct i40e_vf_mdev_v1_ops ops = {
	.set_state = eng_set_state,
};

static bool inside(const void *p, size_t n, const u8 *buf)
{
	const u8 *b = p;

	return b >= buf && b + n <= buf + BUF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct eng *e = calloc(1, sizeof(*e));
	u8 io[256];
	size_t i = 0;

	CHECK(e);
	e->state = VFIO_DEVICE_STATE_RUNNING;
	e->id.vf_vendor = 0x8086;
	e->id.vf_device = 0x154c;
	e->id.num_queue_pairs = 4;
	e->id.num_msix = 5;
	strscpy(e->id.type_name, "i40e_vf_mdev-vf", sizeof(e->id.type_name));
	e->regs.nr_qvecs = 4;
	e->regs.atq_bal = 0xdeadbeef;
	/* A small data window makes multi-chunk transfers common. */
	CHECK(!i40e_vf_mdev_v1_init(&e->v1, &ops, e, &e->w, &e->p, 40,
				    size ? 1 + data[0] % 200 : 64));

	while (i + 3 <= size) {
		u8 op = data[i], off = data[i + 1], n = data[i + 2];
		bool write = op & 1;
		u64 pos;
		ssize_t ret;
		u32 st;
		void *win;

		i += 3;
		e->fail = op & 8;
		e->fail_error = op & 16;
		if (op & 32) {
			e->state = VFIO_DEVICE_STATE_RUNNING;
			i40e_vf_mdev_v1_reset(&e->v1);
		}
		switch ((op >> 1) & 3) {
		case 0:
			pos = off % 40;
			n = n % 10;
			break;
		case 1:
			pos = e->v1.data_offset + off;
			break;
		default:
			pos = (u64)off << (op >> 6) * 8;
			break;
		}
		if (write) {
			size_t k = min_t(size_t, n, size - i);

			memset(io, 0, sizeof(io));
			memcpy(io, data + i, k);
			i += k;
		}
		ret = i40e_vf_mdev_v1_rw(&e->v1, io, n, pos, write);
		CHECK(ret == n || (ret < 0 && ret >= -4095));
		if (ret == n && n && pos >= e->v1.data_offset) {
			CHECK(!i40e_vf_mdev_v1_window(&e->v1, pos, n, write,
						      &win));
			CHECK(inside(win, n, write ? e->pbuf : e->wbuf));
		}

		CHECK(i40e_vf_mdev_v1_rw(&e->v1, &st, 4, 0, false) == 4);
		CHECK(st <= VFIO_DEVICE_STATE_V1_RESUMING ||
		      st == I40E_VF_MDEV_V1_STATE_ERROR);
		CHECK(e->v1.state == e->state);
		CHECK(e->v1.save_pos <= e->w.len || !e->v1.save_pos);
		CHECK(e->v1.chunk_len <= e->v1.data_size);
	}
	free(e);
	return 0;
}
