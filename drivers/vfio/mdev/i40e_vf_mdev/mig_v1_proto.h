/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev - the v1 migration region protocol as pure logic.
 *
 * The region (VFIO_REGION_TYPE_MIGRATION_DEPRECATED, subtype 1, in
 * <linux/vfio.h>) starts with struct vfio_device_migration_info and has a
 * data section at data_offset. This file turns region accesses into engine calls: state
 * changes through a callback, save data out of the engine's stream writer,
 * resume data into the engine's stream parser. The kernel glue only
 * locks, copies to/from userspace and calls i40e_vf_mdev_v1_rw() or
 * i40e_vf_mdev_v1_window().
 *
 * Header fields are native-endian, as in the legacy uAPI; accesses to the
 * header must be 1, 2, 4 or 8 bytes, naturally aligned, within the header
 * (QEMU splits its accesses that way). Data section accesses may have any
 * size and offset within the current chunk.
 */
#ifndef I40E_VF_MDEV_MIG_V1_PROTO_H
#define I40E_VF_MDEV_MIG_V1_PROTO_H

#include "i40e_vf_mdev_compat.h"
#include "mig_fsm.h"
#include "stream.h"

/* Layout of struct vfio_device_migration_info */
#define I40E_VF_MDEV_V1_OFF_DEVICE_STATE	0
#define I40E_VF_MDEV_V1_OFF_RESERVED		4
#define I40E_VF_MDEV_V1_OFF_PENDING_BYTES	8
#define I40E_VF_MDEV_V1_OFF_DATA_OFFSET		16
#define I40E_VF_MDEV_V1_OFF_DATA_SIZE		24
#define I40E_VF_MDEV_V1_HDR_SIZE		32

/* Default data section: page aligned (so it could be mmapped), 64 KiB. */
#define I40E_VF_MDEV_V1_DATA_OFFSET		0x1000
#define I40E_VF_MDEV_V1_DATA_SIZE		0x10000

/**
 * struct i40e_vf_mdev_v1_ops - what the v1 protocol needs from the engine
 * @set_state: take the device from its current state to @target (a v2
 *	state, walked arc by arc as for v2). Return 0 or a negative errno.
 *	Whatever the result, store the state the device is in afterwards in
 *	*now: the same state if nothing was done, ERROR if the device could
 *	not be left in a valid state. Entering a saving state must leave a
 *	stream (at least its header) in the writer; RESUMING must leave a
 *	freshly initialised parser; leaving RESUMING must finish the parser
 *	and fail, staying in RESUMING, if the stream is invalid.
 */
struct i40e_vf_mdev_v1_ops {
	int (*set_state)(void *priv, enum vfio_device_mig_state target,
			 enum vfio_device_mig_state *now);
};

/**
 * struct i40e_vf_mdev_v1 - state of one device's v1 migration region
 * @ops: engine callbacks
 * @priv: for @ops
 * @save: the engine's save stream, read while in a saving state
 * @load: the engine's resume parser, fed while RESUMING
 * @data_offset: offset of the data section in the region
 * @data_size: size of the data section (the largest chunk)
 * @state: the device's state as the engine last reported it
 * @save_pos: bytes of the save stream the user has collected
 * @chunk_len: size of the current chunk
 * @chunk_open: a chunk has been made available (data_offset was read) and
 *	not yet acknowledged (by reading pending_bytes)
 * @pending: pending_bytes as last read, for split reads of the field
 * @size_bytes: data_size bytes written so far while resuming
 * @size_mask: which of @size_bytes have been written
 * @written_lo: start of the bytes of the data section written since the
 *	last commit (one contiguous range; a write that does not touch it
 *	starts a new one)
 * @written_hi: end of that range; @written_lo == @written_hi if none
 *
 * While the v1 region is in use, the engine's state changes only through
 * @ops->set_state, or through a device reset followed by
 * i40e_vf_mdev_v1_reset(). Calls are serialised by the caller (the
 * device's migration mutex).
 */
struct i40e_vf_mdev_v1 {
	const struct i40e_vf_mdev_v1_ops *ops;
	void *priv;
	struct i40e_vf_mdev_writer *save;
	struct i40e_vf_mdev_parser *load;
	u64 data_offset;
	u64 data_size;
	enum vfio_device_mig_state state;
	u64 save_pos;
	u64 chunk_len;
	bool chunk_open;
	u64 pending;
	u8 size_bytes[8];
	u8 size_mask;
	u64 written_lo;
	u64 written_hi;
};

int i40e_vf_mdev_v1_init(struct i40e_vf_mdev_v1 *v,
			 const struct i40e_vf_mdev_v1_ops *ops, void *priv,
			 struct i40e_vf_mdev_writer *save,
			 struct i40e_vf_mdev_parser *load,
			 u64 data_offset, u64 data_size);
void i40e_vf_mdev_v1_reset(struct i40e_vf_mdev_v1 *v);
u64 i40e_vf_mdev_v1_region_size(const struct i40e_vf_mdev_v1 *v);
u32 i40e_vf_mdev_v1_device_state(const struct i40e_vf_mdev_v1 *v);
ssize_t i40e_vf_mdev_v1_rw(struct i40e_vf_mdev_v1 *v, void *buf,
			   size_t count, u64 pos, bool write);
int i40e_vf_mdev_v1_window(struct i40e_vf_mdev_v1 *v, u64 pos, size_t count,
			   bool write, void **ptr);

#endif /* I40E_VF_MDEV_MIG_V1_PROTO_H */
