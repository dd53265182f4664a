// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev - v1 migration region protocol (pure logic).
 *
 * Saving (device_state has _SAVING):
 *   read pending_bytes   acknowledges the previous chunk, if any, and
 *                        returns the bytes of the stream not collected yet
 *   read data_offset     makes the next chunk (up to data_size bytes of the
 *                        stream) available at data_offset; reading it again
 *                        before pending_bytes returns the same chunk
 *   read data_size       size of that chunk, 0 if there is none
 *   read data section    any offsets and sizes within the chunk
 *
 * Resuming (device_state is _RESUMING):
 *   read data_offset     where to write the chunk
 *   write data section   any offsets and sizes within the data section
 *   write data_size      hands the first data_size bytes of the data
 *                        section to the stream parser, which validates
 *                        them at once; an invalid stream fails this write,
 *                        and so (-EINVAL, nothing committed) does a
 *                        data_size larger than what was written there
 *                        since the last commit
 *
 * Only a field's first byte has a side effect, so a field read in pieces
 * (e.g. two 4-byte reads of pending_bytes) acts once; the later pieces
 * return the value latched by the first. A data_size write takes effect
 * once all eight of its bytes have been written.
 */
#include "mig_v1_proto.h"

/**
 * i40e_vf_mdev_v1_init - set up the v1 region state of a device
 * @v: the region state
 * @ops: engine callbacks
 * @priv: for @ops
 * @save: the engine's save stream writer
 * @load: the engine's resume parser
 * @data_offset: offset of the data section, at least the header size
 *	(I40E_VF_MDEV_V1_DATA_OFFSET)
 * @data_size: size of the data section (I40E_VF_MDEV_V1_DATA_SIZE)
 *
 * The device starts in RUNNING.
 *
 * Return: 0, or -EINVAL for a bad layout.
 */
int i40e_vf_mdev_v1_init(struct i40e_vf_mdev_v1 *v,
			 const struct i40e_vf_mdev_v1_ops *ops, void *priv,
			 struct i40e_vf_mdev_writer *save,
			 struct i40e_vf_mdev_parser *load,
			 u64 data_offset, u64 data_size)
{
	memset(v, 0, sizeof(*v));
	if (!ops || !ops->set_state || !save || !load ||
	    data_offset < I40E_VF_MDEV_V1_HDR_SIZE || !data_size ||
	    data_size > I40E_VF_MDEV_STREAM_MAX)
		return -EINVAL;
	v->ops = ops;
	v->priv = priv;
	v->save = save;
	v->load = load;
	v->data_offset = data_offset;
	v->data_size = data_size;
	v->state = VFIO_DEVICE_STATE_RUNNING;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_init);

static void v1_clear_windows(struct i40e_vf_mdev_v1 *v)
{
	v->save_pos = 0;
	v->chunk_len = 0;
	v->chunk_open = false;
	v->pending = 0;
	memset(v->size_bytes, 0, sizeof(v->size_bytes));
	v->size_mask = 0;
	v->written_lo = 0;
	v->written_hi = 0;
}

/* The user wrote [off, off + count) of the data section. */
static void v1_mark_written(struct i40e_vf_mdev_v1 *v, u64 off, size_t count)
{
	u64 end = off + count;

	if (v->written_lo < v->written_hi && off <= v->written_hi &&
	    end >= v->written_lo) {
		v->written_lo = min_t(u64, v->written_lo, off);
		v->written_hi = max_t(u64, v->written_hi, end);
	} else {
		v->written_lo = off;
		v->written_hi = end;
	}
}

/* Commit the first @size bytes of the data section to the parser. */
static int v1_commit(struct i40e_vf_mdev_v1 *v, u64 size)
{
	size_t room;
	int ret;

	if (size > v->data_size)
		return -EINVAL;
	/*
	 * Bytes the user did not write since the last commit are not part of
	 * the stream: refuse, and commit nothing.  (A stream that has failed
	 * or would grow too big fails with the parser's error as before.)
	 */
	i40e_vf_mdev_parser_tail(v->load, &room);
	if (!v->load->err && size <= room &&
	    size > (v->written_lo ? 0 : v->written_hi))
		return -EINVAL;
	ret = i40e_vf_mdev_parser_commit(v->load, size);
	/* The data section now starts at the parser's new tail */
	v->written_lo = 0;
	v->written_hi = 0;
	return ret;
}

/**
 * i40e_vf_mdev_v1_reset - the device was reset
 * @v: the region state
 *
 * VFIO_DEVICE_RESET returns the device to RUNNING and ends any session.
 */
void i40e_vf_mdev_v1_reset(struct i40e_vf_mdev_v1 *v)
{
	v->state = VFIO_DEVICE_STATE_RUNNING;
	v1_clear_windows(v);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_reset);

/**
 * i40e_vf_mdev_v1_region_size - size of the v1 migration region
 * @v: the region state
 *
 * Return: data_offset + data_size, for VFIO_DEVICE_GET_REGION_INFO.
 */
u64 i40e_vf_mdev_v1_region_size(const struct i40e_vf_mdev_v1 *v)
{
	return v->data_offset + v->data_size;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_region_size);

/**
 * i40e_vf_mdev_v1_device_state - device_state as the user reads it
 * @v: the region state
 *
 * Return: I40E_VF_MDEV_V1_STATE_* bits.
 */
u32 i40e_vf_mdev_v1_device_state(const struct i40e_vf_mdev_v1 *v)
{
	return i40e_vf_mdev_mig_state_to_v1(v->state);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_device_state);

static bool v1_saving(const struct i40e_vf_mdev_v1 *v)
{
	return i40e_vf_mdev_mig_saving(v->state);
}

static bool v1_resuming(const struct i40e_vf_mdev_v1 *v)
{
	return v->state == VFIO_DEVICE_STATE_RESUMING;
}

/* Does the access [off, off + count) include byte @field? */
static bool v1_covers(u64 off, size_t count, unsigned int field)
{
	return off <= field && field < off + count;
}

static int v1_set_state(struct i40e_vf_mdev_v1 *v, u32 value)
{
	enum vfio_device_mig_state target, now = v->state;
	bool was_saving = v1_saving(v);
	bool was_resuming = v1_resuming(v);
	int ret;

	ret = i40e_vf_mdev_mig_v1_check(i40e_vf_mdev_v1_device_state(v), value);
	if (ret)
		return ret;
	ret = i40e_vf_mdev_mig_v1_to_state(value, &target);
	if (ret)
		return ret;
	if (target == v->state)
		return 0;

	ret = v->ops->set_state(v->priv, target, &now);
	v->state = now;
	/* A session's window survives only while the session goes on. */
	if (!(was_saving && v1_saving(v)) && !(was_resuming && v1_resuming(v)))
		v1_clear_windows(v);
	return ret;
}

/* pending_bytes read: acknowledge the open chunk, count what is left. */
static int v1_pending(struct i40e_vf_mdev_v1 *v)
{
	if (!v1_saving(v)) {
		v->pending = 0;
		return 0;
	}
	if (v->save->err)
		return v->save->err;
	if (v->chunk_open) {
		v->save_pos += v->chunk_len;
		v->chunk_len = 0;
		v->chunk_open = false;
	}
	v->pending = v->save->len - v->save_pos;
	return 0;
}

/* data_offset read while saving: make the next chunk available. */
static int v1_prepare(struct i40e_vf_mdev_v1 *v)
{
	if (!v1_saving(v) || v->chunk_open)
		return 0;
	if (v->save->err)
		return v->save->err;
	v->chunk_len = min_t(u64, v->save->len - v->save_pos, v->data_size);
	v->chunk_open = true;
	return 0;
}

static u64 v1_data_size(const struct i40e_vf_mdev_v1 *v)
{
	u64 size = 0;

	if (v1_saving(v) && v->chunk_open)
		size = v->chunk_len;
	else if (v1_resuming(v))
		memcpy(&size, v->size_bytes, sizeof(size));
	return size;
}

static int v1_hdr_read(struct i40e_vf_mdev_v1 *v, u64 off, void *buf,
		       size_t count)
{
	u8 hdr[I40E_VF_MDEV_V1_HDR_SIZE];
	u32 state;
	u64 val;
	int ret;

	if (v1_covers(off, count, I40E_VF_MDEV_V1_OFF_PENDING_BYTES)) {
		ret = v1_pending(v);
		if (ret)
			return ret;
	}
	if (v1_covers(off, count, I40E_VF_MDEV_V1_OFF_DATA_OFFSET)) {
		ret = v1_prepare(v);
		if (ret)
			return ret;
	}

	memset(hdr, 0, sizeof(hdr));
	state = i40e_vf_mdev_v1_device_state(v);
	memcpy(hdr + I40E_VF_MDEV_V1_OFF_DEVICE_STATE, &state, sizeof(state));
	memcpy(hdr + I40E_VF_MDEV_V1_OFF_PENDING_BYTES, &v->pending,
	       sizeof(v->pending));
	memcpy(hdr + I40E_VF_MDEV_V1_OFF_DATA_OFFSET, &v->data_offset,
	       sizeof(v->data_offset));
	val = v1_data_size(v);
	memcpy(hdr + I40E_VF_MDEV_V1_OFF_DATA_SIZE, &val, sizeof(val));
	memcpy(buf, hdr + off, count);
	return 0;
}

static int v1_hdr_write(struct i40e_vf_mdev_v1 *v, u64 off, const void *buf,
			size_t count)
{
	unsigned int i;
	u64 size;
	u32 state;
	u8 *b;

	if (off < I40E_VF_MDEV_V1_OFF_RESERVED) {
		/* Read-modify-write of the bytes not written. */
		state = i40e_vf_mdev_v1_device_state(v);
		b = (u8 *)&state;
		memcpy(b + off, buf,
		       min_t(size_t, count, I40E_VF_MDEV_V1_OFF_RESERVED - off));
		return v1_set_state(v, state);
	}
	if (off < I40E_VF_MDEV_V1_OFF_PENDING_BYTES)
		return 0;	/* reserved: writes are ignored */
	if (off < I40E_VF_MDEV_V1_OFF_DATA_SIZE)
		return -EINVAL;	/* pending_bytes and data_offset: read-only */

	if (!v1_resuming(v))
		return -EINVAL;
	off -= I40E_VF_MDEV_V1_OFF_DATA_SIZE;
	memcpy(v->size_bytes + off, buf, count);
	for (i = off; i < off + count; i++)
		v->size_mask |= BIT(i);
	if (v->size_mask != 0xff)
		return 0;
	v->size_mask = 0;
	memcpy(&size, v->size_bytes, sizeof(size));
	return v1_commit(v, size);
}

/**
 * i40e_vf_mdev_v1_window - locate a data section access
 * @v: the region state
 * @pos: offset in the region, at or after data_offset
 * @count: bytes to access
 * @write: whether the user writes
 * @ptr: set to where the bytes are (save stream or parser buffer)
 *
 * For a write, the caller then writes all @count bytes at *@ptr: they
 * count as written for the next data_size commit.
 *
 * Return: 0, or a negative errno: -EINVAL outside the data section, outside
 * the current chunk, or in a state without a session; -EFBIG when a write
 * would take the stream past the parser's limit; the stream's errno if the
 * save stream failed or the parser has rejected the stream.
 */
int i40e_vf_mdev_v1_window(struct i40e_vf_mdev_v1 *v, u64 pos, size_t count,
			   bool write, void **ptr)
{
	size_t room;
	u8 *tail;
	u64 off;

	if (pos < v->data_offset || pos - v->data_offset > v->data_size ||
	    count > v->data_size - (pos - v->data_offset))
		return -EINVAL;
	off = pos - v->data_offset;

	if (write) {
		if (!v1_resuming(v))
			return -EINVAL;
		if (v->load->err)
			return v->load->err;
		tail = i40e_vf_mdev_parser_tail(v->load, &room);
		if (off + count > room)
			return -EFBIG;
		*ptr = tail + off;
		v1_mark_written(v, off, count);
		return 0;
	}

	if (!v1_saving(v))
		return -EINVAL;
	if (v->save->err)
		return v->save->err;
	if (!v->chunk_open || off + count > v->chunk_len)
		return -EINVAL;
	*ptr = v->save->buf + v->save_pos + off;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_window);

/**
 * i40e_vf_mdev_v1_rw - one read or write of the v1 migration region
 * @v: the region state
 * @buf: source or destination of the bytes (kernel memory)
 * @count: bytes to access
 * @pos: offset in the region
 * @write: whether the user writes
 *
 * Header accesses must be 1, 2, 4 or 8 bytes, naturally aligned, within
 * the header; the gap between header and data section is not accessible.
 *
 * Return: @count, or a negative errno (-EINVAL for accesses the protocol
 * does not allow, the engine's errno for a failed state change, the
 * parser's for a rejected stream).
 */
ssize_t i40e_vf_mdev_v1_rw(struct i40e_vf_mdev_v1 *v, void *buf,
			   size_t count, u64 pos, bool write)
{
	void *win;
	int ret;

	if (!count)
		return 0;
	if (pos < I40E_VF_MDEV_V1_HDR_SIZE) {
		if ((count != 1 && count != 2 && count != 4 && count != 8) ||
		    !IS_ALIGNED(pos, (u64)count) ||
		    count > I40E_VF_MDEV_V1_HDR_SIZE - pos)
			return -EINVAL;
		if (write)
			ret = v1_hdr_write(v, pos, buf, count);
		else
			ret = v1_hdr_read(v, pos, buf, count);
		return ret ? ret : (ssize_t)count;
	}

	ret = i40e_vf_mdev_v1_window(v, pos, count, write, &win);
	if (ret)
		return ret;
	if (write)
		memcpy(win, buf, count);
	else
		memcpy(buf, win, count);
	return count;
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_v1_rw);
