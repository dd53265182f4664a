/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: the interface to the PF driver
 *
 * A VF's configuration is made by its guest driver through virtchnl
 * messages to the PF, and its queue positions live in PF-owned queue
 * contexts, so part of a VF's device state can only be saved and restored
 * by the PF driver (i40e).  These functions are the whole interface between
 * this module and the PF; nothing else in the module knows i40e internals.
 *
 * The PF side is the "PF services for VF migration" of i40e (the patch
 * series in patches/kernel, include/linux/net/intel/i40e_vf_mig.h).  This
 * module resolves them at run time (pf_iface.c), so that it still loads
 * and passes a VF through with an i40e that does not have them; then
 * i40e_vf_mdev_pf_get() fails with -EOPNOTSUPP and the device offers no
 * migration at all (mig.c): without the PF, the VF's queues cannot be
 * stopped and its configuration cannot be carried.
 *
 * Reset contract.  A VF reset (FLR through VFIO_DEVICE_RESET or sysfs, a
 * bus or slot reset, the VFR the PF itself starts) returns the VF's own
 * registers and queues to their reset values and makes the PF forget the
 * VF's virtchnl configuration, as it always has.  It does NOT undo
 * i40e_vf_mdev_pf_quiesce() or i40e_vf_mdev_pf_freeze(): those are PF-side
 * states of the VF that persist across its resets, until this driver calls
 * them again with false.  Ending a quiesce restarts the queues only if
 * the VF was not reset since (an FLR the PF has not handled yet counts as
 * done).  The driver therefore undoes them explicitly whenever it leaves
 * migration behind: on a deferred reset, on open and after the reset that
 * closing the device does (mig_engine.c); if the PF refuses, the driver
 * reports it and keeps the migration state ERROR, and the next open or
 * reset tries again.
 * A handle from i40e_vf_mdev_pf_get() stays valid across VF resets.
 */
#ifndef I40E_VF_MDEV_PF_IFACE_H
#define I40E_VF_MDEV_PF_IFACE_H

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/types.h>

struct pci_dev;
struct i40e_vf_mdev_pf;

/* Queue pairs a 700-series VF can have (I40E_MAX_VF_QUEUES in i40e) */
#define I40E_VF_MDEV_PF_MAX_QP		16

/**
 * struct i40e_vf_mdev_pf_ring - what the device writes for one VF queue
 * @base: IOVA of the descriptor ring
 * @count: descriptors in the ring
 * @desc_size: bytes per descriptor
 * @data_len: Rx: most bytes the device writes to a packet buffer
 * @hdr_len: Rx: most bytes it writes to a header buffer; 0 if none
 * @head_wb_ena: Tx: the device writes the queue's head to @head_wb
 * @head_wb: Tx: IOVA of the head write-back (4 bytes)
 */
struct i40e_vf_mdev_pf_ring {
	u64 base;
	u16 count;
	u16 desc_size;
	u16 data_len;
	u16 hdr_len;
	bool head_wb_ena;
	u64 head_wb;
};

/**
 * struct i40e_vf_mdev_pf_ops - what the PF tells about the VF
 * @reset: the VF was reset: its queues are unprogrammed
 * @ring: the PF programmed queue @q (Tx if @tx) with @ring, before the VF
 *	can enable it
 *
 * Called from the PF's own context, with its locks held: they must not
 * wait for anything that calls the functions below.
 */
struct i40e_vf_mdev_pf_ops {
	void (*reset)(void *priv);
	void (*ring)(void *priv, u16 q, bool tx,
		     const struct i40e_vf_mdev_pf_ring *ring);
};

struct i40e_vf_mdev_pf *i40e_vf_mdev_pf_get(struct pci_dev *vf,
					    const struct i40e_vf_mdev_pf_ops *ops,
					    void *priv);
void i40e_vf_mdev_pf_put(struct i40e_vf_mdev_pf *pf);
int i40e_vf_mdev_pf_num_queue_pairs(struct i40e_vf_mdev_pf *pf);
int i40e_vf_mdev_pf_reset_gen(struct i40e_vf_mdev_pf *pf, u32 *gen);
int i40e_vf_mdev_pf_quiesce(struct i40e_vf_mdev_pf *pf, bool quiesce);
int i40e_vf_mdev_pf_freeze(struct i40e_vf_mdev_pf *pf, bool freeze);
ssize_t i40e_vf_mdev_pf_state_size(struct i40e_vf_mdev_pf *pf);
ssize_t i40e_vf_mdev_pf_save(struct i40e_vf_mdev_pf *pf, void *buf,
			     size_t len, u32 *version);
int i40e_vf_mdev_pf_check(struct i40e_vf_mdev_pf *pf, u32 version,
			  const void *blob, size_t len);
int i40e_vf_mdev_pf_load(struct i40e_vf_mdev_pf *pf, u32 version,
			 const void *blob, size_t len);

#endif /* I40E_VF_MDEV_PF_IFACE_H */
