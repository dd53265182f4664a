// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: migration, as vfio_ops.c attaches it
 *
 * Sets up the engine (mig_engine.c) and its v1 front end (mig_v1.c); the
 * engine's own hooks, i40e_vf_mdev_mig_close(), i40e_vf_mdev_mig_closed()
 * and i40e_vf_mdev_mig_reset_done(), need nothing of the front end.
 *
 * Migration is offered only with the PF services (pf_iface.h): without
 * them the VF's DMA cannot be stopped and its configuration cannot be
 * carried, so the device is passed through with no migration capability
 * (no mig_ops, no v1 region) and QEMU reports a migration blocker.  The
 * hooks below are then no-ops.
 */

#include <linux/pci.h>

#include "dirty.h"
#include "mig_v1.h"
#include "pf_iface.h"

/**
 * i40e_vf_mdev_mig_init() - set up migration for a new vfio device
 * @idev: the device, vfio-pci-core initialised
 *
 * With the PF services, makes the device migratable: STOP_COPY, P2P and
 * PRE_COPY through v2 with DMA logging (dirty.c), and the v1 region from
 * every open on.  Without them, leaves it without migration.
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_init(struct i40e_vf_mdev_dev *idev)
{
	struct pci_dev *pdev = idev->core_device.pdev;
	struct i40e_vf_mdev_pf *pf;
	int ret;

	/* Dirty tracking first: the PF tells it of the VF from attach on */
	ret = i40e_vf_mdev_dirty_init(idev);
	if (ret)
		return ret;
	pf = i40e_vf_mdev_pf_get(pdev, &i40e_vf_mdev_dirty_pf_ops, idev->dirty);
	if (IS_ERR(pf)) {
		i40e_vf_mdev_dirty_release(idev);
		if (PTR_ERR(pf) == -EOPNOTSUPP)
			pci_info(pdev, "migration not offered: the PF driver has no VF migration services (Documentation/admin-guide.rst)\n");
		else
			pci_warn(pdev, "migration not offered: the PF cannot serve this VF (%pe)\n",
				 pf);
		return PTR_ERR(pf) == -ENOMEM ? -ENOMEM : 0;
	}
	idev->pf = pf;

	ret = i40e_vf_mdev_mig_engine_init(idev);
	if (ret)
		goto err_pf;
	ret = i40e_vf_mdev_mig_v1_init(idev->mig);
	if (ret)
		goto err_engine;
	i40e_vf_mdev_dirty_offer(idev);
	idev->mig_offer.mig_ops = idev->core_device.vdev.mig_ops;
	idev->mig_offer.log_ops = idev->core_device.vdev.log_ops;
	idev->mig_offer.flags = idev->core_device.vdev.migration_flags;
	return 0;

err_engine:
	i40e_vf_mdev_mig_engine_release(idev);
err_pf:
	if (idev->pf)
		i40e_vf_mdev_pf_put(idev->pf);
	idev->pf = NULL;
	i40e_vf_mdev_dirty_release(idev);
	return ret;
}

/**
 * i40e_vf_mdev_mig_detach() - let go of the PF services before the VF goes
 * @idev: the device, unregistered: closed, and no longer openable
 *
 * The VF's PCI remove runs while its PF frees its VFs, and the PF frees
 * the VFs' structures once the remove has returned.  The vfio device can
 * outlive the remove (an open device cdev keeps a reference on it until
 * its file is put, after the close that let the remove go on), so its
 * release is too late to tell the PF: the handle goes here.  Nothing
 * calls the PF on a closed device; the engine and dirty tracking stay,
 * without a PF, until the release.  A no-op without the PF services.
 */
void i40e_vf_mdev_mig_detach(struct i40e_vf_mdev_dev *idev)
{
	/* i40e_vf_mdev_mig_init() keeps the handle only with an engine */
	if (!idev->pf)
		return;
	mutex_lock(&idev->mig->state_mutex);
	i40e_vf_mdev_pf_put(idev->pf);
	idev->pf = NULL;
	mutex_unlock(&idev->mig->state_mutex);
}

/**
 * i40e_vf_mdev_mig_release() - free what i40e_vf_mdev_mig_init() set up
 * @idev: the device
 */
void i40e_vf_mdev_mig_release(struct i40e_vf_mdev_dev *idev)
{
	if (!idev->mig)
		return;
	i40e_vf_mdev_mig_v1_release(idev->mig);
	/* detaches from the PF, which then calls dirty tracking no more */
	i40e_vf_mdev_mig_engine_release(idev);
	i40e_vf_mdev_dirty_release(idev);
}

/**
 * i40e_vf_mdev_mig_open() - the user opened the device
 * @idev: the device, enabled by vfio-pci-core
 *
 * Starts in RUNNING and registers the v1 region (vfio-pci-core frees
 * device-specific regions on close).
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_mig_open(struct i40e_vf_mdev_dev *idev)
{
	if (!i40e_vf_mdev_mig_offered(idev))
		return 0;
	i40e_vf_mdev_mig_engine_open(idev->mig);
	return i40e_vf_mdev_mig_v1_register(idev);
}

/**
 * i40e_vf_mdev_mig_offered() - whether the device is offered for migration
 * @idev: the device
 *
 * Return: true with the PF services, unless the operator turned migration
 * off (i40e_vf_mdev_mig_offer()).
 */
bool i40e_vf_mdev_mig_offered(struct i40e_vf_mdev_dev *idev)
{
	return idev->mig && !READ_ONCE(idev->mig_off);
}

/**
 * i40e_vf_mdev_mig_offer() - offer migration, or pass the VF through
 * without it
 * @idev: the device, closed: the caller holds &i40e_vf_mdev_parent.lock
 *	and the device is not open (mdev.c)
 * @on: whether to offer it
 *
 * Off, the vfio device has no mig_ops, log_ops or migration flags (the
 * VFIO core reads them only on an open device), the v1 region is not
 * registered at open, and BAR0 traps no tail page, so that no
 * re-evaluation IRQ is offered either: plain passthrough, and QEMU
 * reports its migration blocker.  On, all of it comes back.  The engine,
 * dirty tracking and the PF's services stay attached; closed, they have
 * nothing running.
 *
 * Return: 0; -EOPNOTSUPP to turn on migration the device cannot offer
 * (no PF services).  Turning it off there is a no-op.
 */
int i40e_vf_mdev_mig_offer(struct i40e_vf_mdev_dev *idev, bool on)
{
	struct vfio_device *vdev = &idev->core_device.vdev;

	if (!idev->mig)
		return on ? -EOPNOTSUPP : 0;
	if (on == !idev->mig_off)
		return 0;
	vdev->mig_ops = on ? idev->mig_offer.mig_ops : NULL;
	vdev->log_ops = on ? idev->mig_offer.log_ops : NULL;
	vdev->migration_flags = on ? idev->mig_offer.flags : 0;
	i40e_vf_mdev_trap_track_rx_tails(idev, on);
	WRITE_ONCE(idev->mig_off, !on);
	pci_info(idev->core_device.pdev, "migration turned %s\n",
		 on ? "on" : "off");
	return 0;
}
