/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: dirty tracking's outlet for a type1 container (dirty_pin.c)
 */
#ifndef I40E_VF_MDEV_DIRTY_PIN_H
#define I40E_VF_MDEV_DIRTY_PIN_H

#include <linux/types.h>

struct vfio_device;
struct i40e_vf_mdev_dpin;

/**
 * struct i40e_vf_mdev_dpin_stats - the pinned-page outlet's counters
 * @sessions: times counting started (a first save in a type1
 *	container, or one after the tracking failed)
 * @wanted: pages the device may write now, as last counted
 * @pinned: pages pinned now
 * @pins: pages pinned
 * @unpins: pages unpinned, each pinned and unpinned once more so that
 *	type1 reports it again
 * @not_pinned: pages the device may write that could not be pinned (no
 *	writable mapping at that IOVA: the device cannot write them either)
 * @unmapped: pinned pages the user unmapped
 * @fenced: pins refused in a range the user unmapped while pinning
 * @failed: why the tracking cannot be trusted, or NULL
 */
struct i40e_vf_mdev_dpin_stats {
	u64 sessions;
	u64 wanted;
	u64 pinned;
	u64 pins;
	u64 unpins;
	u64 not_pinned;
	u64 unmapped;
	u64 fenced;
	const char *failed;
};

struct i40e_vf_mdev_dpin *i40e_vf_mdev_dpin_alloc(struct vfio_device *vdev);
void i40e_vf_mdev_dpin_free(struct i40e_vf_mdev_dpin *p);
void i40e_vf_mdev_dpin_begin(struct i40e_vf_mdev_dpin *p);
void i40e_vf_mdev_dpin_want(void *ctx, u64 iova, u64 len, bool posted);
void i40e_vf_mdev_dpin_end(struct i40e_vf_mdev_dpin *p);
void i40e_vf_mdev_dpin_fail(struct i40e_vf_mdev_dpin *p, const char *why);
const char *i40e_vf_mdev_dpin_failed(struct i40e_vf_mdev_dpin *p);
void i40e_vf_mdev_dpin_sync(struct i40e_vf_mdev_dpin *p, bool final);
void i40e_vf_mdev_dpin_unmap(struct i40e_vf_mdev_dpin *p, u64 iova, u64 len);
void i40e_vf_mdev_dpin_stats(struct i40e_vf_mdev_dpin *p,
			     struct i40e_vf_mdev_dpin_stats *st);

#endif /* I40E_VF_MDEV_DIRTY_PIN_H */
