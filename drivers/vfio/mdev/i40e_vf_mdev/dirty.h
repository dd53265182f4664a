/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * i40e_vf_mdev: dirty tracking of the VF's DMA (dirty.c), as the rest of
 * the driver uses it
 */
#ifndef I40E_VF_MDEV_DIRTY_H
#define I40E_VF_MDEV_DIRTY_H

#include <linux/types.h>

#include "dirty_pin.h"
#include "dirty_set.h"
#include "pf_iface.h"

struct i40e_vf_mdev_dev;
struct i40e_vf_mdev_mbx_shadow;

/**
 * struct i40e_vf_mdev_dirty_stats - dirty tracking counters, for debugfs
 * @starts: DMA logging starts
 * @stops: DMA logging stops, the device's close included
 * @reports: DMA logging reports (one per window userspace asks for)
 * @reported_pages: pages those reports handed out
 * @rx_posts: Rx tail writes handled while tracking
 * @resets: VF resets while tracking
 * @read_faults: descriptor reads that found no memory
 * @offered: the device offers DMA logging
 * @tracking: logging is on
 * @pinning: a save in a type1 container pins what the device may write
 * @lost: the current tracking fell back to reporting every page
 * @marked: pages marked owed during the current tracking
 * @descs: Rx descriptors read
 * @unreadable: Rx descriptors that could not be read
 * @rescans: whole Rx ring reads
 * @bad_tails: Rx tail values past the ring
 * @rx_queues: Rx queues the PF programmed
 * @tx_queues: Tx queues the PF programmed
 * @pin: the type1 outlet's counters
 */
struct i40e_vf_mdev_dirty_stats {
	u64 starts;
	u64 stops;
	u64 reports;
	u64 reported_pages;
	u64 rx_posts;
	u64 resets;
	u64 read_faults;
	bool offered;
	bool tracking;
	bool pinning;
	bool lost;
	u64 marked;
	u64 descs;
	u64 unreadable;
	u64 rescans;
	u64 bad_tails;
	unsigned int rx_queues;
	unsigned int tx_queues;
	struct i40e_vf_mdev_dpin_stats pin;
};

extern const struct i40e_vf_mdev_pf_ops i40e_vf_mdev_dirty_pf_ops;

int i40e_vf_mdev_dirty_init(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_offer(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_close(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_release(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_dirty_save_begin(struct i40e_vf_mdev_dev *idev);
int i40e_vf_mdev_dirty_save_final(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_save_end(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_sync(struct i40e_vf_mdev_dev *idev);
void i40e_vf_mdev_dirty_unmap(struct i40e_vf_mdev_dev *idev, u64 iova,
			      u64 len);
void i40e_vf_mdev_dirty_reg_write(struct i40e_vf_mdev_dev *idev, u64 offset,
				  unsigned int size, u32 val,
				  const struct i40e_vf_mdev_mbx_shadow *mbx);
bool i40e_vf_mdev_dirty_stats(struct i40e_vf_mdev_dev *idev,
			      struct i40e_vf_mdev_dirty_stats *st);

#endif /* I40E_VF_MDEV_DIRTY_H */
