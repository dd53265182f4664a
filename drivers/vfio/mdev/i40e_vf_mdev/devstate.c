// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: device state
 *
 * What the migration engine saves from and restores to a VF, and how it
 * stops and restarts the VF:
 *
 *  - the VF_REGS record: the VF BAR0 registers the guest driver programmed
 *    that belong to the VF itself (mailbox rings, interrupt control, RSS).
 *    They are read from the VF when the state is saved (the device is
 *    stopped by then), and written to the destination VF when a validated
 *    stream is applied;
 *  - the PF_STATE record and quiesce/freeze: PF services (pf_iface.h).
 *    While the PF offers none, streams have no PF_STATE record and the
 *    VF's queues are not stopped (see pf_iface.h).
 *
 * Register access goes through vfio-pci-core's mapping of BAR0 and its
 * accessors, which check that the VF is not in D3; saving also checks the
 * PF's VF MSE bit.  When BAR0 cannot be read, saving fails: the registers
 * would hold reset values or all-ones, not the state of the device, and a
 * migration that carried them would bring up a broken VF on the
 * destination.
 */

#include <linux/pci.h>

#include "i40e_vf_mdev.h"
#include "pf_iface.h"

/**
 * i40e_vf_mdev_devstate_ident() - identity of a VF for the stream header
 * @idev: the device
 * @id: filled in: PCI IDs, queue pairs and MSI-X vectors, mdev type, and
 *	the stream features this device supports
 */
void i40e_vf_mdev_devstate_ident(struct i40e_vf_mdev_dev *idev,
				 struct i40e_vf_mdev_stream_ident *id)
{
	struct pci_dev *pdev = idev->core_device.pdev;
	int nvec = pci_msix_vec_count(pdev);
	int nqp = -EOPNOTSUPP;

	memset(id, 0, sizeof(*id));
	id->vf_vendor = pdev->vendor;
	id->vf_device = pdev->device;
	id->pf_device = pci_physfn(pdev)->device;
	id->num_msix = clamp(nvec, 1, I40E_VF_MDEV_MAX_QVECS + 1);
	if (idev->pf) {
		nqp = i40e_vf_mdev_pf_num_queue_pairs(idev->pf);
		id->features |= I40E_VF_MDEV_FEAT_PF_STATE;
	}
	id->num_queue_pairs = nqp > 0 ? nqp : I40E_VF_MDEV_PF_MAX_QP;
	strscpy(id->type_name, I40E_VF_MDEV_TYPE_NAME, sizeof(id->type_name));
}

/**
 * i40e_vf_mdev_devstate_quiesce() - stop or restart the VF's DMA
 * @idev: the device
 * @quiesce: true to stop, false to restart
 *
 * Without PF services there is nothing that can stop the queues of a VF
 * from outside; this succeeds and does nothing then (pf_iface.h).
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int i40e_vf_mdev_devstate_quiesce(struct i40e_vf_mdev_dev *idev, bool quiesce)
{
	if (!idev->pf)
		return 0;
	return i40e_vf_mdev_pf_quiesce(idev->pf, quiesce);
}

/**
 * i40e_vf_mdev_devstate_freeze() - freeze or thaw the VF
 * @idev: the device
 * @freeze: true to freeze, false to thaw
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int i40e_vf_mdev_devstate_freeze(struct i40e_vf_mdev_dev *idev, bool freeze)
{
	if (!idev->pf)
		return 0;
	return i40e_vf_mdev_pf_freeze(idev->pf, freeze);
}

/**
 * i40e_vf_mdev_devstate_reset_gen() - count of the VF's resets at the PF
 * @idev: the device
 * @gen: set to a number that changes at every reset of the VF (0 without
 *	PF services)
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_devstate_reset_gen(struct i40e_vf_mdev_dev *idev, u32 *gen)
{
	*gen = 0;
	if (!idev->pf)
		return 0;
	return i40e_vf_mdev_pf_reset_gen(idev->pf, gen);
}

/* The VF_REGS field of each mailbox register */
static u32 *i40e_vf_mdev_mbx_field(struct i40e_vf_mdev_vf_regs *r,
				   enum i40e_vf_mdev_mbx_reg reg)
{
	switch (reg) {
	case I40E_VF_MDEV_MBX_ARQBAH:
		return &r->arq_bah;
	case I40E_VF_MDEV_MBX_ARQBAL:
		return &r->arq_bal;
	case I40E_VF_MDEV_MBX_ARQLEN:
		return &r->arq_len;
	case I40E_VF_MDEV_MBX_ARQH:
		return &r->arq_head;
	case I40E_VF_MDEV_MBX_ARQT:
		return &r->arq_tail;
	case I40E_VF_MDEV_MBX_ATQBAH:
		return &r->atq_bah;
	case I40E_VF_MDEV_MBX_ATQBAL:
		return &r->atq_bal;
	case I40E_VF_MDEV_MBX_ATQLEN:
		return &r->atq_len;
	case I40E_VF_MDEV_MBX_ATQH:
		return &r->atq_head;
	default:
		return &r->atq_tail;
	}
}

static int i40e_vf_mdev_rd(struct i40e_vf_mdev_dev *idev, u32 offset, u32 *val)
{
	struct vfio_pci_core_device *vdev = &idev->core_device;
	void __iomem *io = vdev->barmap[VFIO_PCI_BAR0_REGION_INDEX];
	int ret;

	if (!io)
		return -EIO;
	ret = vfio_pci_core_ioread32(vdev, true, val, io + offset);
	if (!ret && PCI_POSSIBLE_ERROR(*val) &&
	    !pci_device_is_present(vdev->pdev))
		ret = -ENODEV;
	return ret;
}

static int i40e_vf_mdev_wr(struct i40e_vf_mdev_dev *idev, u32 offset, u32 val)
{
	struct vfio_pci_core_device *vdev = &idev->core_device;
	void __iomem *io = vdev->barmap[VFIO_PCI_BAR0_REGION_INDEX];

	if (!io)
		return -EIO;
	return vfio_pci_core_iowrite32(vdev, true, val, io + offset);
}

/*
 * A VF's BARs decode only while the VF MSE bit of its PF's SR-IOV control
 * is set (the VF's own Command.MSE is reserved, so vfio-pci-core's
 * accessors cannot tell).
 */
static bool i40e_vf_mdev_vf_mse(struct pci_dev *vf)
{
	struct pci_dev *pf = pci_physfn(vf);
	int pos = pci_find_ext_capability(pf, PCI_EXT_CAP_ID_SRIOV);
	u16 ctrl;

	return pos && !pci_read_config_word(pf, pos + PCI_SRIOV_CTRL, &ctrl) &&
	       (ctrl & PCI_SRIOV_CTRL_MSE);
}

/*
 * Whether BAR0 answers: not while the PF has the VFs' memory space off;
 * vfio-pci-core's accessor fails with -EIO while the VF is in D3hot; and a
 * read that nobody answers returns all-ones.
 */
static int i40e_vf_mdev_bar0_check(struct i40e_vf_mdev_dev *idev)
{
	u32 rstat;
	int ret;

	if (!i40e_vf_mdev_vf_mse(idev->core_device.pdev))
		return -EIO;
	ret = i40e_vf_mdev_rd(idev, I40E_VFGEN_RSTAT, &rstat);
	if (!ret && !i40e_vf_mdev_rstat_answered(rstat))
		ret = -EIO;
	return ret;
}

/*
 * Read the VF's registers; the device is stopped.  BAR0 is checked before
 * and after, so that a VF that stopped answering in between is not saved.
 */
static int i40e_vf_mdev_regs_read(struct i40e_vf_mdev_dev *idev,
				  struct i40e_vf_mdev_vf_regs *r)
{
	unsigned int i, v;
	int ret;

	ret = i40e_vf_mdev_bar0_check(idev);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_MBX_REGS; i++)
		ret = i40e_vf_mdev_rd(idev, i40e_vf_mdev_mbx_reg_offset(i),
				      i40e_vf_mdev_mbx_field(r, i));
	if (!ret)
		ret = i40e_vf_mdev_rd(idev, I40E_VFINT_ICR0_ENA1, &r->icr0_ena1);
	if (!ret)
		ret = i40e_vf_mdev_rd(idev, I40E_VFINT_DYN_CTL01, &r->dyn_ctl01);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HENA; i++)
		ret = i40e_vf_mdev_rd(idev, I40E_VFQF_HENA(i), &r->hena[i]);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HKEY; i++)
		ret = i40e_vf_mdev_rd(idev, I40E_VFQF_HKEY(i), &r->hkey[i]);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HLUT; i++)
		ret = i40e_vf_mdev_rd(idev, I40E_VFQF_HLUT(i), &r->hlut[i]);
	for (v = 0; !ret && v < r->nr_qvecs; v++) {
		ret = i40e_vf_mdev_rd(idev, I40E_VFINT_DYN_CTLN1(v),
				      &r->dyn_ctln1[v]);
		for (i = 0; !ret && i < I40E_VF_MDEV_NR_ITR; i++)
			ret = i40e_vf_mdev_rd(idev, I40E_VFINT_ITRN1(i, v),
					      &r->itrn1[i][v]);
	}
	if (!ret)
		ret = i40e_vf_mdev_bar0_check(idev);
	return ret;
}

/**
 * i40e_vf_mdev_devstate_size() - upper bound of the device's stream
 * @idev: the device
 *
 * Return: bytes of a complete stream (header, records, END), for
 * VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.
 */
size_t i40e_vf_mdev_devstate_size(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_stream_ident id;
	ssize_t pf_len = 0;

	i40e_vf_mdev_devstate_ident(idev, &id);
	if (idev->pf) {
		pf_len = i40e_vf_mdev_pf_state_size(idev->pf);
		if (pf_len < 0)
			pf_len = 0;
	}
	return i40e_vf_mdev_stream_size_max(&id, pf_len);
}

static int i40e_vf_mdev_save_pf(struct i40e_vf_mdev_dev *idev,
				struct i40e_vf_mdev_writer *w)
{
	ssize_t size, len;
	u32 version;
	void *buf;
	int ret;

	size = i40e_vf_mdev_pf_state_size(idev->pf);
	if (size < 0)
		return size;
	buf = kvzalloc(max_t(size_t, size, 1), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	len = i40e_vf_mdev_pf_save(idev->pf, buf, size, &version);
	ret = len < 0 ? len : i40e_vf_mdev_write_pf_state(w, version, buf, len);
	kvfree(buf);
	return ret;
}

/**
 * i40e_vf_mdev_devstate_save() - append the device's records to a stream
 * @idev: the device, stopped (frozen and quiesced)
 * @w: the save stream, header written
 *
 * Appends VF_REGS and, with PF services, PF_STATE.
 *
 * Return: 0 or a negative errno: -EIO if BAR0 cannot be read (its PF has
 * VF memory space off, the VF is in D3hot, or its registers read all-ones),
 * -ENODEV if the VF is gone.
 */
int i40e_vf_mdev_devstate_save(struct i40e_vf_mdev_dev *idev,
			       struct i40e_vf_mdev_writer *w)
{
	struct device *dev = mdev_dev(idev->mdev);
	struct i40e_vf_mdev_vf_regs *regs;
	struct i40e_vf_mdev_stream_ident id;
	int ret;

	regs = kzalloc(sizeof(*regs), GFP_KERNEL_ACCOUNT);
	if (!regs)
		return -ENOMEM;

	i40e_vf_mdev_devstate_ident(idev, &id);
	regs->nr_qvecs = id.num_msix - 1;
	ret = i40e_vf_mdev_regs_read(idev, regs);
	if (ret) {
		/*
		 * Not the driver's doing: the PF, an admin, or the power
		 * state of a VF that has power management
		 */
		dev_warn_ratelimited(dev,
				     "cannot save: VF BAR0 does not answer (power state %s, VF memory space off, or VF gone): %d\n",
				     pci_power_name(idev->core_device.pdev->current_state),
				     ret);
		goto out;
	}

	ret = i40e_vf_mdev_write_vf_regs(w, regs);
	if (!ret && idev->pf)
		ret = i40e_vf_mdev_save_pf(idev, w);
out:
	kfree(regs);
	return ret;
}

/* One mailbox queue, ATQ or ARQ, in a safe order */
static int i40e_vf_mdev_aq_write(struct i40e_vf_mdev_dev *idev, u32 len_reg,
				 u32 bal_reg, u32 bah_reg, u32 head_reg,
				 u32 tail_reg, u32 bal, u32 bah, u32 len,
				 u32 head, u32 tail)
{
	int ret;

	/* Disabled while it is set up; the length last, with its enable */
	ret = i40e_vf_mdev_wr(idev, len_reg, 0);
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, bal_reg, bal);
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, bah_reg, bah);
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, head_reg, head);
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, tail_reg, tail);
	if (!ret && len)
		ret = i40e_vf_mdev_wr(idev, len_reg, len);
	return ret;
}

static int i40e_vf_mdev_regs_write(struct i40e_vf_mdev_dev *idev,
				   const struct i40e_vf_mdev_vf_regs *r)
{
	unsigned int i, v;
	int ret = 0;

	/* Interrupts first, so that a re-enabled mailbox finds them set up */
	for (v = 0; !ret && v < r->nr_qvecs; v++) {
		for (i = 0; !ret && i < I40E_VF_MDEV_NR_ITR; i++)
			ret = i40e_vf_mdev_wr(idev, I40E_VFINT_ITRN1(i, v),
					      r->itrn1[i][v]);
		/* After the ITRs, with ITR_INDX "none": it keeps them */
		if (!ret)
			ret = i40e_vf_mdev_wr(idev, I40E_VFINT_DYN_CTLN1(v),
					      i40e_vf_mdev_dyn_ctl_restore(r->dyn_ctln1[v]));
	}
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, I40E_VFINT_DYN_CTL01,
				      i40e_vf_mdev_dyn_ctl_restore(r->dyn_ctl01));
	if (!ret)
		ret = i40e_vf_mdev_wr(idev, I40E_VFINT_ICR0_ENA1, r->icr0_ena1);

	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HENA; i++)
		ret = i40e_vf_mdev_wr(idev, I40E_VFQF_HENA(i), r->hena[i]);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HKEY; i++)
		ret = i40e_vf_mdev_wr(idev, I40E_VFQF_HKEY(i), r->hkey[i]);
	for (i = 0; !ret && i < I40E_VF_MDEV_NR_HLUT; i++)
		ret = i40e_vf_mdev_wr(idev, I40E_VFQF_HLUT(i), r->hlut[i]);

	/* Receive queue before send queue: a reply needs somewhere to go */
	if (!ret)
		ret = i40e_vf_mdev_aq_write(idev, I40E_VF_ARQLEN1,
					    I40E_VF_ARQBAL1, I40E_VF_ARQBAH1,
					    I40E_VF_ARQH1, I40E_VF_ARQT1,
					    r->arq_bal, r->arq_bah, r->arq_len,
					    r->arq_head, r->arq_tail);
	if (!ret)
		ret = i40e_vf_mdev_aq_write(idev, I40E_VF_ATQLEN1,
					    I40E_VF_ATQBAL1, I40E_VF_ATQBAH1,
					    I40E_VF_ATQH1, I40E_VF_ATQT1,
					    r->atq_bal, r->atq_bah, r->atq_len,
					    r->atq_head, r->atq_tail);
	return ret;
}

/**
 * i40e_vf_mdev_devstate_check() - whether the device can take a state
 * @priv: the device (struct i40e_vf_mdev_dev)
 * @state: the state, from a parser that accepted the whole stream
 *
 * The stream parser's last word (struct i40e_vf_mdev_parser.accept),
 * while the source still runs: the PF checks the PF state's format and
 * that the host administrator's settings of both VFs are equal, and logs
 * what differs.  Changes nothing.
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_devstate_check(void *priv,
				const struct i40e_vf_mdev_state *state)
{
	struct i40e_vf_mdev_dev *idev = priv;
	int ret;

	if (!(state->present & BIT(I40E_VF_MDEV_REC_PF_STATE)) || !idev->pf)
		return 0;
	ret = i40e_vf_mdev_pf_check(idev->pf, state->pf_version,
				    state->pf_blob, state->pf_blob_len);
	if (ret)
		dev_err_ratelimited(mdev_dev(idev->mdev),
				    "PF refused the PF state (version %u): %d\n",
				    state->pf_version, ret);
	return ret;
}

/**
 * i40e_vf_mdev_devstate_load() - apply a validated state to the device
 * @idev: the device, stopped (RESUMING)
 * @state: the state, from a parser that accepted the whole stream
 *
 * The PF state first (it configures the queues and interrupts the
 * registers refer to), then the VF registers.  The writes go through the
 * BAR0 accessors, not the trap: the mailbox shadow is for what the user
 * writes.
 *
 * Return: 0 or a negative errno.  After an error the device may have part
 * of the state; applying a state again, or a reset, replaces it.
 */
int i40e_vf_mdev_devstate_load(struct i40e_vf_mdev_dev *idev,
			       const struct i40e_vf_mdev_state *state)
{
	struct device *dev = mdev_dev(idev->mdev);
	int ret;

	if (state->present & BIT(I40E_VF_MDEV_REC_PF_STATE)) {
		/* The parser refuses PF_STATE unless the feature is local */
		if (WARN_ON_ONCE(!idev->pf))
			return -EOPNOTSUPP;
		ret = i40e_vf_mdev_pf_load(idev->pf, state->pf_version,
					   state->pf_blob, state->pf_blob_len);
		if (ret) {
			/* The user chose the stream: not an error of the host */
			dev_err_ratelimited(dev,
					    "PF refused the PF state (version %u): %d\n",
					    state->pf_version, ret);
			return ret;
		}
	}

	ret = i40e_vf_mdev_regs_write(idev, &state->vf_regs);
	if (ret)
		dev_err_ratelimited(dev, "cannot write the VF registers: %d\n",
				    ret);
	return ret;
}
