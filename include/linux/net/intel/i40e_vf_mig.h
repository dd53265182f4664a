/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright (c) 2026 The i40e_vf_mdev authors */

#ifndef _I40E_VF_MIG_H_
#define _I40E_VF_MIG_H_

#include <linux/types.h>

/**
 * DOC: i40e VF migration services
 *
 * A VF's configuration is made by its driver through virtchnl requests to
 * the PF, and its queue positions live in PF-owned queue contexts, so a
 * VFIO variant or mediated driver that migrates an i40e VF needs the PF to
 * stop, save and restore that part of the VF.  These functions are the
 * whole interface; they are exported in the I40E_VF_MIG namespace.
 *
 * A user attaches to one VF with i40e_vf_mig_get() while it owns the VF
 * (its driver is bound to the VF) and detaches with i40e_vf_mig_put(), at
 * the latest when its driver is unbound from the VF.
 * From attach on, i40e keeps a bounded log of the virtchnl requests the VF
 * made that succeeded and that shape the VF (resources, queues, vectors,
 * filters, RSS, offloads); a VF reset clears it, as it clears the VF.
 *
 * The migration states map onto the VFIO ones: i40e_vf_mig_quiesce()
 * stops the VF's queues (no more DMA, the RUNNING_P2P state) and records
 * their heads and tails; i40e_vf_mig_freeze() holds the VF's mailbox: its
 * requests are kept unanswered and the PF sends it nothing (the STOP
 * state).  Both persist across VF resets until undone.  i40e_vf_mig_save()
 * serialises a frozen VF; i40e_vf_mig_check() says whether a VF can take
 * such a blob (its format, and the host administrator's settings of both
 * VFs) without changing anything; i40e_vf_mig_load() checks the same, then
 * configures a quiesced and frozen VF from it by replaying
 * the log, with the replies kept from the VF.  Unfreezing answers the
 * requests held (including those carried in the blob); unquiescing starts
 * the queues at the recorded heads and tails.
 *
 * All operations sleep and run serialised with the PF's virtchnl handling.
 */

struct pci_dev;
struct i40e_vf_mig;

/**
 * enum i40e_vf_mig_event - what happened to an attached VF
 * @I40E_VF_MIG_EV_RESET: the VF was reset (by the PF, the host
 *	administrator, an FLR or its own driver); its configuration and
 *	queue positions are gone
 * @I40E_VF_MIG_EV_DETACH: the PF is going away; no call but
 *	i40e_vf_mig_put() works any more
 */
enum i40e_vf_mig_event {
	I40E_VF_MIG_EV_RESET,
	I40E_VF_MIG_EV_DETACH,
};

/**
 * struct i40e_vf_mig_ring - what the device writes for one of a VF's queues
 * @base: IOVA of the descriptor ring
 * @count: descriptors in the ring
 * @desc_size: bytes per descriptor
 * @data_len: Rx: bytes the device writes at most to the data buffer of a
 *	descriptor; 0 for Tx, whose buffers the device only reads
 * @hdr_len: Rx: bytes the device writes at most to the header buffer of a
 *	descriptor; 0 unless the queue splits headers, and for Tx
 * @head_wb_ena: Tx: the device writes the queue's head (4 bytes) to
 *	@head_wb
 * @head_wb: Tx: IOVA of the head write-back
 *
 * The device writes each ring (descriptor write-back), the buffers of the
 * Rx descriptors it was given, and the head write-back; nothing else on
 * behalf of the queue.  All IOVAs are in the VF's DMA address space.
 */
struct i40e_vf_mig_ring {
	u64 base;
	u16 count;
	u16 desc_size;
	u16 data_len;
	u16 hdr_len;
	bool head_wb_ena;
	u64 head_wb;
};

/**
 * struct i40e_vf_mig_ops - callbacks of an attached user
 * @event: called from the PF's service task or from the context of the
 *	host administrator's request, possibly with RTNL held; it must not
 *	sleep on anything that waits for an i40e_vf_mig_*() call
 * @ring: called when the PF has programmed one of the VF's queues with
 *	@ring, before the VF can enable it; @queue is the VF's queue index,
 *	@tx tells a Tx queue from an Rx one.  A VF reset (the RESET event)
 *	unprograms them all.  Queues programmed before the user attached
 *	are not reported.  Same context and rules as @event.
 */
struct i40e_vf_mig_ops {
	void (*event)(void *priv, enum i40e_vf_mig_event ev);
	void (*ring)(void *priv, u16 queue, bool tx,
		     const struct i40e_vf_mig_ring *ring);
};

/**
 * struct i40e_vf_mig_info - a VF as the PF sees it
 * @num_queue_pairs: queue pairs the PF gave the VF
 * @state_max: upper bound of i40e_vf_mig_save()'s blob, in bytes
 * @reset_gen: incremented at every VF reset
 * @log_lost: the log overflowed since the last VF reset; the VF cannot be
 *	saved until its next reset
 */
struct i40e_vf_mig_info {
	u16 num_queue_pairs;
	u32 state_max;
	u32 reset_gen;
	bool log_lost;
};

/* Format version of the blob i40e_vf_mig_save() writes */
#define I40E_VF_MIG_BLOB_VERSION	1

struct i40e_vf_mig *i40e_vf_mig_get(struct pci_dev *vf_pdev,
				    const struct i40e_vf_mig_ops *ops,
				    void *priv);
void i40e_vf_mig_put(struct i40e_vf_mig *mig);
int i40e_vf_mig_info(struct i40e_vf_mig *mig, struct i40e_vf_mig_info *info);
int i40e_vf_mig_quiesce(struct i40e_vf_mig *mig, bool quiesce);
int i40e_vf_mig_freeze(struct i40e_vf_mig *mig, bool freeze);
ssize_t i40e_vf_mig_save(struct i40e_vf_mig *mig, void *buf, size_t len,
			 u32 *version);
int i40e_vf_mig_check(struct i40e_vf_mig *mig, u32 version, const void *buf,
		      size_t len);
int i40e_vf_mig_load(struct i40e_vf_mig *mig, u32 version, const void *buf,
		     size_t len);

#endif /* _I40E_VF_MIG_H_ */
