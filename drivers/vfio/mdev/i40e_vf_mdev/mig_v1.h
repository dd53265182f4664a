/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: the v1 migration region (mig_v1.c), a front end of the
 * migration engine
 */
#ifndef I40E_VF_MDEV_MIG_V1_H
#define I40E_VF_MDEV_MIG_V1_H

#include "mig_engine.h"

int i40e_vf_mdev_mig_v1_init(struct i40e_vf_mdev_mig *mig);
void i40e_vf_mdev_mig_v1_release(struct i40e_vf_mdev_mig *mig);
int i40e_vf_mdev_mig_v1_register(struct i40e_vf_mdev_dev *idev);
u32 i40e_vf_mdev_mig_v1_device_state(struct i40e_vf_mdev_mig *mig);

#endif /* I40E_VF_MDEV_MIG_V1_H */
