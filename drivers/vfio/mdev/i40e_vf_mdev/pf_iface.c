// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the interface to the PF driver (pf_iface.h)
 *
 * Binds to i40e's VF migration services at run time with symbol_get(), so
 * that the module loads against an i40e that does not have them.  Each
 * handle holds a reference on every symbol, which pins i40e, and is
 * attached to its VF in i40e from the VF's binding to this driver to its
 * unbinding (i40e_vf_mdev_mig_detach()): i40e then keeps the VF's virtchnl
 * log.  Unbinding the PF still works: it frees its VFs, which unbinds this
 * driver from them first and so drops the handles.
 *
 * The calls map one to one; this file only turns i40e's interface into
 * the module's, and says nothing of when they are made (mig_arcs.c).
 */

#include <linux/module.h>
#include <linux/net/intel/i40e_vf_mig.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "pf_iface.h"

/* i40e's entry points, resolved per handle */
struct i40e_vf_mdev_pf_syms {
	typeof(i40e_vf_mig_get) *get;
	typeof(i40e_vf_mig_put) *put;
	typeof(i40e_vf_mig_info) *info;
	typeof(i40e_vf_mig_quiesce) *quiesce;
	typeof(i40e_vf_mig_freeze) *freeze;
	typeof(i40e_vf_mig_save) *save;
	typeof(i40e_vf_mig_check) *check;
	typeof(i40e_vf_mig_load) *load;
};

struct i40e_vf_mdev_pf {
	struct i40e_vf_mdev_pf_syms sym;
	struct i40e_vf_mig *mig;
	const struct i40e_vf_mdev_pf_ops *ops;
	void *priv;
};

static void i40e_vf_mdev_pf_event(void *priv, enum i40e_vf_mig_event ev)
{
	struct i40e_vf_mdev_pf *pf = priv;

	/* DETACH: the VF is being unbound from this driver, which cleans up */
	if (ev == I40E_VF_MIG_EV_RESET && pf->ops && pf->ops->reset)
		pf->ops->reset(pf->priv);
}

static void i40e_vf_mdev_pf_ring(void *priv, u16 queue, bool tx,
				 const struct i40e_vf_mig_ring *ring)
{
	struct i40e_vf_mdev_pf *pf = priv;
	struct i40e_vf_mdev_pf_ring r = {
		.base = ring->base,
		.count = ring->count,
		.desc_size = ring->desc_size,
		.data_len = ring->data_len,
		.hdr_len = ring->hdr_len,
		.head_wb_ena = ring->head_wb_ena,
		.head_wb = ring->head_wb,
	};

	if (pf->ops && pf->ops->ring)
		pf->ops->ring(pf->priv, queue, tx, &r);
}

static const struct i40e_vf_mig_ops i40e_vf_mdev_pf_mig_ops = {
	.event = i40e_vf_mdev_pf_event,
	.ring = i40e_vf_mdev_pf_ring,
};

static void i40e_vf_mdev_pf_put_syms(struct i40e_vf_mdev_pf_syms *s)
{
	if (s->get)
		symbol_put(i40e_vf_mig_get);
	if (s->put)
		symbol_put(i40e_vf_mig_put);
	if (s->info)
		symbol_put(i40e_vf_mig_info);
	if (s->quiesce)
		symbol_put(i40e_vf_mig_quiesce);
	if (s->freeze)
		symbol_put(i40e_vf_mig_freeze);
	if (s->save)
		symbol_put(i40e_vf_mig_save);
	if (s->check)
		symbol_put(i40e_vf_mig_check);
	if (s->load)
		symbol_put(i40e_vf_mig_load);
}

static bool i40e_vf_mdev_pf_get_syms(struct i40e_vf_mdev_pf_syms *s)
{
	s->get = symbol_get(i40e_vf_mig_get);
	s->put = symbol_get(i40e_vf_mig_put);
	s->info = symbol_get(i40e_vf_mig_info);
	s->quiesce = symbol_get(i40e_vf_mig_quiesce);
	s->freeze = symbol_get(i40e_vf_mig_freeze);
	s->save = symbol_get(i40e_vf_mig_save);
	s->check = symbol_get(i40e_vf_mig_check);
	s->load = symbol_get(i40e_vf_mig_load);
	if (s->get && s->put && s->info && s->quiesce && s->freeze &&
	    s->save && s->check && s->load)
		return true;
	i40e_vf_mdev_pf_put_syms(s);
	return false;
}

/**
 * i40e_vf_mdev_pf_get() - attach to the PF services for a VF
 * @vf: the VF, bound to this driver
 * @ops: what to call when the PF has news of the VF, or NULL
 * @priv: passed to @ops
 *
 * Return: a handle for the other functions, ERR_PTR(-EOPNOTSUPP) if the PF
 * driver offers no migration services, or another ERR_PTR() if the PF
 * cannot serve this VF (-ENODEV: not an i40e PF, or going away; -EBUSY:
 * another driver is attached).
 */
struct i40e_vf_mdev_pf *i40e_vf_mdev_pf_get(struct pci_dev *vf,
					    const struct i40e_vf_mdev_pf_ops *ops,
					    void *priv)
{
	struct i40e_vf_mdev_pf *pf;
	struct i40e_vf_mig *mig;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return ERR_PTR(-ENOMEM);
	if (!i40e_vf_mdev_pf_get_syms(&pf->sym)) {
		kfree(pf);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pf->ops = ops;
	pf->priv = priv;
	mig = pf->sym.get(vf, &i40e_vf_mdev_pf_mig_ops, pf);
	if (IS_ERR(mig)) {
		i40e_vf_mdev_pf_put_syms(&pf->sym);
		kfree(pf);
		return ERR_CAST(mig);
	}
	pf->mig = mig;
	return pf;
}

/**
 * i40e_vf_mdev_pf_put() - release a handle from i40e_vf_mdev_pf_get()
 * @pf: the handle
 */
void i40e_vf_mdev_pf_put(struct i40e_vf_mdev_pf *pf)
{
	pf->sym.put(pf->mig);
	i40e_vf_mdev_pf_put_syms(&pf->sym);
	kfree(pf);
}

/**
 * i40e_vf_mdev_pf_num_queue_pairs() - queue pairs the PF gave the VF
 * @pf: the handle
 *
 * Return: the number (>= 1), or a negative errno.
 */
int i40e_vf_mdev_pf_num_queue_pairs(struct i40e_vf_mdev_pf *pf)
{
	struct i40e_vf_mig_info info;
	int ret;

	ret = pf->sym.info(pf->mig, &info);
	return ret ?: info.num_queue_pairs;
}

/**
 * i40e_vf_mdev_pf_reset_gen() - count of the VF's resets
 * @pf: the handle
 * @gen: set to a number that changes at every reset of the VF
 *
 * The PF loses a VF's state at a reset; a caller compares two readings to
 * learn whether that happened in between.
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_pf_reset_gen(struct i40e_vf_mdev_pf *pf, u32 *gen)
{
	struct i40e_vf_mig_info info;
	int ret;

	ret = pf->sym.info(pf->mig, &info);
	if (!ret)
		*gen = info.reset_gen;
	return ret;
}

/**
 * i40e_vf_mdev_pf_quiesce() - stop or restart the VF's queues (its DMA)
 * @pf: the handle
 * @quiesce: true to stop them and record where they are, false to start
 *	them again there
 *
 * Return: 0 or a negative errno; on error nothing was changed.
 */
int i40e_vf_mdev_pf_quiesce(struct i40e_vf_mdev_pf *pf, bool quiesce)
{
	return pf->sym.quiesce(pf->mig, quiesce);
}

/**
 * i40e_vf_mdev_pf_freeze() - freeze or thaw the VF's mailbox
 * @pf: the handle
 * @freeze: true to hold the VF's requests and the PF's events for it,
 *	false to answer and send them
 *
 * Return: 0 or a negative errno; on error nothing was changed.
 */
int i40e_vf_mdev_pf_freeze(struct i40e_vf_mdev_pf *pf, bool freeze)
{
	return pf->sym.freeze(pf->mig, freeze);
}

/**
 * i40e_vf_mdev_pf_state_size() - upper bound of the PF state blob
 * @pf: the handle
 *
 * Return: bytes, or a negative errno.
 */
ssize_t i40e_vf_mdev_pf_state_size(struct i40e_vf_mdev_pf *pf)
{
	struct i40e_vf_mig_info info;
	int ret;

	ret = pf->sym.info(pf->mig, &info);
	return ret ?: info.state_max;
}

/**
 * i40e_vf_mdev_pf_save() - save the PF's state of a frozen VF
 * @pf: the handle
 * @buf: where to put the blob
 * @len: room in @buf, i40e_vf_mdev_pf_state_size() or more
 * @version: set to the format version of the blob
 *
 * Return: the blob's length, or a negative errno (-ENOSPC: the VF's
 * configuration cannot be carried; -EIO: the VF was reset meanwhile).
 */
ssize_t i40e_vf_mdev_pf_save(struct i40e_vf_mdev_pf *pf, void *buf,
			     size_t len, u32 *version)
{
	return pf->sym.save(pf->mig, buf, len, version);
}

/**
 * i40e_vf_mdev_pf_check() - whether the PF can take a PF state blob
 * @pf: the handle
 * @version: format version of the blob
 * @blob: the blob from the source's i40e_vf_mdev_pf_save()
 * @len: its length
 *
 * What i40e_vf_mdev_pf_load() checks before it changes anything, while
 * the VF may still run; i40e logs why it refuses a blob.
 *
 * Return: 0, or a negative errno (-EOPNOTSUPP for an unknown @version,
 * -EINVAL for a malformed blob or different host settings).
 */
int i40e_vf_mdev_pf_check(struct i40e_vf_mdev_pf *pf, u32 version,
			  const void *blob, size_t len)
{
	return pf->sym.check(pf->mig, version, blob, len);
}

/**
 * i40e_vf_mdev_pf_load() - restore the PF's state of a VF
 * @pf: the handle
 * @version: format version of the blob
 * @blob: the blob from the source's i40e_vf_mdev_pf_save()
 * @len: its length
 *
 * Validates the blob completely before changing anything; i40e logs why
 * it refuses one.
 *
 * Return: 0, or a negative errno (-EOPNOTSUPP for an unknown @version,
 * -EINVAL for a malformed blob or a VF whose host settings differ from the
 * source's); on error the VF is left reset.
 */
int i40e_vf_mdev_pf_load(struct i40e_vf_mdev_pf *pf, u32 version,
			 const void *blob, size_t len)
{
	return pf->sym.load(pf->mig, version, blob, len);
}
