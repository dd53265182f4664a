// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: migration, as vfio_ops.c attaches it
 *
 * Sets up the engine (mig_engine.c) and its v1 front end (mig_v1.c); the
 * engine's own hooks, i40e_vf_mdev_mig_close() and
 * i40e_vf_mdev_mig_reset_done(), need nothing of the front end.
 */

#include "mig_v1.h"

/**
 * i40e_vf_mdev_mig_init() - set up migration for a new vfio device
 * @idev: the device, vfio-pci-core initialised
 *
 * Makes the device migratable: STOP_COPY, P2P and PRE_COPY through v2,
 * and the v1 region from every open on.
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_mig_init(struct i40e_vf_mdev_dev *idev)
{
	int ret;

	ret = i40e_vf_mdev_mig_engine_init(idev);
	if (ret)
		return ret;
	ret = i40e_vf_mdev_mig_v1_init(idev->mig);
	if (ret)
		i40e_vf_mdev_mig_engine_release(idev);
	return ret;
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
	i40e_vf_mdev_mig_engine_release(idev);
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
	i40e_vf_mdev_mig_engine_open(idev->mig);
	return i40e_vf_mdev_mig_v1_register(idev);
}
