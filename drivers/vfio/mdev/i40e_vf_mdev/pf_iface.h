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
 * The PF side ("PF services for VF migration", a patch series to i40e) is
 * not there yet.  Until it is, the implementation below is a stub: every
 * function reports that the services are not available, i40e_vf_mdev_pf_get()
 * fails with -EOPNOTSUPP and the module runs without a PF handle.  Then:
 *
 *  - the stream carries no PF_STATE record and its header does not have the
 *    I40E_VF_MDEV_FEAT_PF_STATE feature; a stream that has it is refused on
 *    the destination as incompatible ("feature not supported");
 *  - quiescing and freezing the VF (the P2P and STOP states) do nothing at
 *    the device: the VF's queues keep running until the PF can stop them;
 *  - the number of queue pairs in the stream header is the most a VF can
 *    have (I40E_VF_MDEV_PF_MAX_QP), not the number the PF gave the VF.
 *
 * The PF services replace the stubs with calls into i40e; the callers in
 * devstate.c already handle every result documented here.
 *
 * Reset contract.  A VF reset (FLR through VFIO_DEVICE_RESET or sysfs, a
 * bus or slot reset, the VFR the PF itself starts) returns the VF's own
 * registers and queues to their reset values and makes the PF forget the
 * VF's virtchnl configuration, as it always has.  It does NOT undo
 * i40e_vf_mdev_pf_quiesce() or i40e_vf_mdev_pf_freeze(): those are PF-side
 * states of the VF that persist across its resets, until this driver calls
 * them again with false.  The driver therefore undoes them explicitly
 * whenever it leaves migration behind: on a deferred reset, on open and
 * on close (mig_engine.c); if the PF refuses, the driver reports it and
 * keeps the migration state ERROR, and the next open or reset tries again.
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
 * i40e_vf_mdev_pf_get() - attach to the PF services for a VF
 * @vf: the VF
 *
 * Return: a handle for the other functions, or ERR_PTR(-EOPNOTSUPP) if the
 * PF driver offers no migration services (the stub always does), or
 * another ERR_PTR() if the PF cannot serve this VF now.
 */
static inline struct i40e_vf_mdev_pf *i40e_vf_mdev_pf_get(struct pci_dev *vf)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/**
 * i40e_vf_mdev_pf_put() - release a handle from i40e_vf_mdev_pf_get()
 * @pf: the handle
 */
static inline void i40e_vf_mdev_pf_put(struct i40e_vf_mdev_pf *pf)
{
}

/**
 * i40e_vf_mdev_pf_num_queue_pairs() - queue pairs the PF gave the VF
 * @pf: the handle
 *
 * Return: the number (>= 1), or a negative errno.
 */
static inline int i40e_vf_mdev_pf_num_queue_pairs(struct i40e_vf_mdev_pf *pf)
{
	return -EOPNOTSUPP;
}

/**
 * i40e_vf_mdev_pf_quiesce() - stop or restart the VF's queues (its DMA)
 * @pf: the handle
 * @quiesce: true to stop and wait for outstanding DMA, false to restart
 *
 * Return: 0 or a negative errno; on error nothing was changed.
 */
static inline int i40e_vf_mdev_pf_quiesce(struct i40e_vf_mdev_pf *pf,
					  bool quiesce)
{
	return -EOPNOTSUPP;
}

/**
 * i40e_vf_mdev_pf_freeze() - freeze or thaw the VF's mailbox and interrupts
 * @pf: the handle
 * @freeze: true to freeze (the VF state then stays fixed), false to thaw
 *
 * Return: 0 or a negative errno; on error nothing was changed.
 */
static inline int i40e_vf_mdev_pf_freeze(struct i40e_vf_mdev_pf *pf,
					 bool freeze)
{
	return -EOPNOTSUPP;
}

/**
 * i40e_vf_mdev_pf_state_size() - upper bound of the PF state blob
 * @pf: the handle
 *
 * Return: bytes, at most I40E_VF_MDEV_PF_STATE_MAX - 8, or a negative errno.
 */
static inline ssize_t i40e_vf_mdev_pf_state_size(struct i40e_vf_mdev_pf *pf)
{
	return -EOPNOTSUPP;
}

/**
 * i40e_vf_mdev_pf_save() - save the PF's state of a frozen VF
 * @pf: the handle
 * @buf: where to put the blob
 * @len: room in @buf, i40e_vf_mdev_pf_state_size() or more
 * @version: set to the format version of the blob
 *
 * Return: the blob's length, or a negative errno.
 */
static inline ssize_t i40e_vf_mdev_pf_save(struct i40e_vf_mdev_pf *pf,
					   void *buf, size_t len, u32 *version)
{
	return -EOPNOTSUPP;
}

/**
 * i40e_vf_mdev_pf_load() - restore the PF's state of a VF
 * @pf: the handle
 * @version: format version of the blob
 * @blob: the blob from the source's i40e_vf_mdev_pf_save()
 * @len: its length
 *
 * Validates the blob completely before changing anything.
 *
 * Return: 0, or a negative errno (-EOPNOTSUPP for an unknown @version,
 * -EINVAL for a malformed blob) with the VF unchanged.
 */
static inline int i40e_vf_mdev_pf_load(struct i40e_vf_mdev_pf *pf,
				       u32 version, const void *blob,
				       size_t len)
{
	return -EOPNOTSUPP;
}

#endif /* I40E_VF_MDEV_PF_IFACE_H */
