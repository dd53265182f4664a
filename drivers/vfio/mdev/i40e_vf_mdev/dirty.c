// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: dirty tracking of the VF's DMA, in software
 *
 * The XL710 does not log the pages it writes.  This file works them out
 * with dirty_set.c from what the device is allowed to write, and hands
 * them to one of two outlets:
 *
 *  - DMA logging (VFIO_DEVICE_FEATURE_DMA_LOGGING_*, through vfio_log_ops)
 *    while userspace tracks: reports from a set of pages owed;
 *  - the type1 container's pinned-page scope, from the device's first
 *    save in one (PRE_COPY) until it is closed: the pages it may write
 *    are kept pinned, through dirty_pin.c.
 *
 * What the device may write is learnt from three sources:
 *
 *  - the PF: where each queue's rings are, how much the device writes to
 *    an Rx buffer, where the Tx head is written back (pf_iface.h, told
 *    before the VF can enable a queue, and a VF reset);
 *  - the BAR0 trap: the Rx tail writes, which post Rx buffers, and the
 *    mailbox registers, which place the mailbox rings and post its
 *    receive buffers (bar_trap.c calls i40e_vf_mdev_dirty_reg_write()
 *    under its lock, so in the VF's order);
 *  - the descriptors the tail writes post, read through the IOMMU domain
 *    the VF is attached to.
 *
 * The Rx tail page of a migratable device is trapped while either outlet
 * runs: it is trapped always (i40e_vf_mdev_dirty_offer()) but while it is
 * lent to a user of the sparse mmap re-evaluation IRQ, and each outlet
 * claims it back before it starts (reeval.c), which fails if the user
 * keeps its mapping.  The Tx tails are not trapped: the device only reads
 * Tx buffers, and what it writes for Tx (descriptor write-back, head
 * write-back) is in every report whatever was posted.
 *
 * Locks: &i40e_vf_mdev_dirty.lock is taken inside the trap's lock and
 * inside the PF's, and takes no other lock itself but dirty_pin.c's
 * innermost (reading through the IOMMU takes none that sleep).  Pins are
 * made by i40e_vf_mdev_dirty_sync() with none of these held.  Nothing
 * here calls the PF.
 */

#include <linux/bitfield.h>
#include <linux/highmem.h>
#include <linux/interval_tree.h>
#include <linux/iommu.h>
#include <linux/iova_bitmap.h>
#include <linux/log2.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vfio.h>

#include "dirty.h"
#include "dirty_pin.h"
#include "i40e_vf_mdev.h"
#include "i40e_vf_mdev_trace.h"

/* The mailbox rings: ARQLEN/ATQLEN fields */
#define I40E_VF_MDEV_AQ_LEN		GENMASK(9, 0)
#define I40E_VF_MDEV_AQ_ENABLE		BIT(31)
#define I40E_VF_MDEV_AQ_DESC		32
#define I40E_VF_MDEV_AQ_MAX		1023

/* The mailbox ring registers' place, as the shadow has them */
struct i40e_vf_mdev_dirty_aq {
	u64 base;
	u32 count;		/* 0: disabled */
};

/**
 * struct i40e_vf_mdev_dirty - dirty tracking state of one device
 * @idev: the device
 * @lock: protects everything below
 * @rx_geo: Rx queues as the PF programmed them, kept whether or not
 *	tracking runs
 * @tx_geo: the same for Tx
 * @rx_set: bitmap of programmed Rx queues
 * @tx_set: bitmap of programmed Tx queues
 * @offered: the device offers DMA logging (i40e_vf_mdev_dirty_offer())
 * @logging: DMA logging started and not stopped
 * @pinning: a save in a type1 container is pinning pages (@pin)
 * @stale: a save pinned pages and was cancelled in PRE_COPY: its pins
 *	stay, but no longer follow the VF, until the next save starts
 *	pinning or the device is closed
 * @lost: tracking could not keep up (no memory for a ring's slots):
 *	every report covers every tracked page until logging stops, and
 *	the save that pins fails
 * @domain: the VF's IOMMU domain, looked up for each batch of reads
 * @set: pages owed to the next reports
 * @rx: the Rx rings' posted buffers
 * @arq: the mailbox receive ring's posted buffers
 * @arq_geo: where @arq was configured from
 * @atq_geo: the mailbox send ring, which the device writes back
 * @arq_slot: slots of @arq, for its largest size
 * @pin: the type1 outlet, from i40e_vf_mdev_dirty_init() on
 * @stats: counters for debugfs
 */
struct i40e_vf_mdev_dirty {
	struct i40e_vf_mdev_dev *idev;
	struct mutex lock;		/* see above */
	struct i40e_vf_mdev_pf_ring rx_geo[I40E_VF_MDEV_PF_MAX_QP];
	struct i40e_vf_mdev_pf_ring tx_geo[I40E_VF_MDEV_PF_MAX_QP];
	unsigned long rx_set;
	unsigned long tx_set;
	bool offered;
	bool logging;
	bool pinning;
	bool stale;
	bool lost;
	struct iommu_domain *domain;
	struct i40e_vf_mdev_dset set;
	struct i40e_vf_mdev_dring rx[I40E_VF_MDEV_PF_MAX_QP];
	struct i40e_vf_mdev_dring arq;
	struct i40e_vf_mdev_dirty_aq arq_geo;
	struct i40e_vf_mdev_dirty_aq atq_geo;
	u64 *arq_slot;
	struct i40e_vf_mdev_dpin *pin;
	struct i40e_vf_mdev_dirty_stats stats;
};

/* The rings are followed while either outlet runs */
static bool i40e_vf_mdev_dirty_active(const struct i40e_vf_mdev_dirty *d)
{
	return d->logging || d->pinning;
}

/* The device may write some bytes from now on, or no longer: for the pins */
static void i40e_vf_mdev_dirty_pin_range(struct i40e_vf_mdev_dirty *d,
					 u64 iova, u64 len, bool posted)
{
	lockdep_assert_held(&d->lock);
	if (d->pinning)
		i40e_vf_mdev_dpin_want(d->pin, iova, len, posted);
}

/* The bytes of ring @r itself, which the device writes back */
static u64 i40e_vf_mdev_dirty_ring_len(const struct i40e_vf_mdev_dring *r)
{
	return (u64)r->count * r->desc_size;
}

static_assert(I40E_VF_MDEV_PF_MAX_QP <= BITS_PER_LONG);

/* ---- reading guest memory through the VF's IOMMU domain ---- */

/*
 * Read @len bytes at @iova as the device would.  Only system RAM is read,
 * with a reference on its folio taken and then checked against a second
 * translation, so that a concurrent unmap cannot make us read a page that
 * went back to the allocator.
 */
static int i40e_vf_mdev_dirty_read(void *ctx, u64 iova, void *buf,
				   unsigned int len)
{
	struct i40e_vf_mdev_dirty *d = ctx;
	struct iommu_domain *domain = d->domain;

	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING)) {
		d->stats.read_faults++;
		return -EFAULT;
	}
	while (len) {
		unsigned int n = min_t(unsigned int, len,
				       PAGE_SIZE - offset_in_page(iova));
		phys_addr_t phys = iommu_iova_to_phys(domain, iova);
		struct folio *folio;
		struct page *page;
		void *va;

		page = phys ? pfn_to_online_page(PHYS_PFN(phys)) : NULL;
		if (!page)
			goto fault;
		folio = page_folio(page);
		if (!folio_try_get(folio))
			goto fault;
		if (page_folio(page) != folio ||
		    iommu_iova_to_phys(domain, iova) != phys) {
			folio_put(folio);
			goto fault;
		}
		va = kmap_local_page(page);
		memcpy(buf, va + offset_in_page(phys), n);
		kunmap_local(va);
		folio_put(folio);

		buf += n;
		iova += n;
		len -= n;
	}
	return 0;

fault:
	d->stats.read_faults++;
	return -EFAULT;
}

/*
 * The domain the VF is attached to now.  One whose page tables cannot be
 * read (none, blocking, nested) leaves tracking blind: it reports every
 * page from then on.
 */
static void i40e_vf_mdev_dirty_get_domain(struct i40e_vf_mdev_dirty *d)
{
	d->domain = iommu_get_domain_for_dev(&d->idev->core_device.pdev->dev);
	if (!d->domain || !(d->domain->type & __IOMMU_DOMAIN_PAGING))
		d->lost = true;
}

/* ---- rings ---- */

/* Give Rx ring @q the PF's geometry and its slots, and read it whole */
static void i40e_vf_mdev_dirty_rx_setup(struct i40e_vf_mdev_dirty *d,
					unsigned int q)
{
	const struct i40e_vf_mdev_pf_ring *g = &d->rx_geo[q];
	struct i40e_vf_mdev_dring *r = &d->rx[q];
	u64 *slot;

	lockdep_assert_held(&d->lock);
	if (i40e_vf_mdev_dring_config(r, I40E_VF_MDEV_DRING_RX, g->base,
				      g->count, g->desc_size, g->data_len,
				      g->hdr_len)) {
		/* the PF programmed what the device cannot have: be safe */
		d->lost = true;
		return;
	}
	if (!g->count)
		return;
	slot = kvcalloc(i40e_vf_mdev_dring_slot_words(g->count), sizeof(u64),
			GFP_KERNEL_ACCOUNT);
	if (!slot) {
		d->lost = true;
		return;
	}
	i40e_vf_mdev_dring_attach(r, slot);
	i40e_vf_mdev_dirty_pin_range(d, r->base,
				     i40e_vf_mdev_dirty_ring_len(r), true);
	i40e_vf_mdev_dirty_get_domain(d);
	i40e_vf_mdev_dring_scan(r, &d->set, i40e_vf_mdev_dirty_read, d);
}

/* Free Rx ring @q's slots and leave it unconfigured */
static void i40e_vf_mdev_dirty_rx_free(struct i40e_vf_mdev_dirty *d,
				       unsigned int q)
{
	struct i40e_vf_mdev_dring *r = &d->rx[q];

	kvfree(r->slot);
	i40e_vf_mdev_dring_attach(r, NULL);
	i40e_vf_mdev_dring_config(r, I40E_VF_MDEV_DRING_RX, 0, 0, 32, 0, 0);
}

/* Owe the next report what Rx ring @q let the device write; free it */
static void i40e_vf_mdev_dirty_rx_retire(struct i40e_vf_mdev_dirty *d,
					 unsigned int q)
{
	struct i40e_vf_mdev_dring *r = &d->rx[q];

	lockdep_assert_held(&d->lock);
	if (r->slot)
		i40e_vf_mdev_dirty_pin_range(d, r->base,
					     i40e_vf_mdev_dirty_ring_len(r),
					     false);
	i40e_vf_mdev_dring_retire(r, &d->set);
	i40e_vf_mdev_dirty_rx_free(d, q);
}

/* Owe the next report what Tx queue @q lets the device write */
static void i40e_vf_mdev_dirty_tx_mark(struct i40e_vf_mdev_dirty *d,
				       unsigned int q)
{
	const struct i40e_vf_mdev_pf_ring *g = &d->tx_geo[q];

	i40e_vf_mdev_dset_mark(&d->set, g->base, (u64)g->count * g->desc_size);
	if (g->head_wb_ena)
		i40e_vf_mdev_dset_mark(&d->set, g->head_wb, sizeof(u32));
}

/* Tx queue @q lets the device write its ring and head from now on, or no more */
static void i40e_vf_mdev_dirty_tx_pin(struct i40e_vf_mdev_dirty *d,
				      unsigned int q, bool posted)
{
	const struct i40e_vf_mdev_pf_ring *g = &d->tx_geo[q];

	i40e_vf_mdev_dirty_pin_range(d, g->base, (u64)g->count * g->desc_size,
				     posted);
	if (g->head_wb_ena)
		i40e_vf_mdev_dirty_pin_range(d, g->head_wb, sizeof(u32),
					     posted);
}

/* Tx queue @q goes away or moves: owe what it let the device write */
static void i40e_vf_mdev_dirty_tx_retire(struct i40e_vf_mdev_dirty *d,
					 unsigned int q)
{
	i40e_vf_mdev_dirty_tx_mark(d, q);
	i40e_vf_mdev_dirty_tx_pin(d, q, false);
}

static struct i40e_vf_mdev_dirty_aq
i40e_vf_mdev_dirty_aq_geo(const struct i40e_vf_mdev_mbx_shadow *mbx, bool arq)
{
	struct i40e_vf_mdev_dirty_aq g = { };
	u32 len = mbx->val[arq ? I40E_VF_MDEV_MBX_ARQLEN :
				 I40E_VF_MDEV_MBX_ATQLEN];

	if (!(len & I40E_VF_MDEV_AQ_ENABLE))
		return g;
	g.count = FIELD_GET(I40E_VF_MDEV_AQ_LEN, len);
	if (arq)
		g.base = (u64)mbx->val[I40E_VF_MDEV_MBX_ARQBAH] << 32 |
			 mbx->val[I40E_VF_MDEV_MBX_ARQBAL];
	else
		g.base = (u64)mbx->val[I40E_VF_MDEV_MBX_ATQBAH] << 32 |
			 mbx->val[I40E_VF_MDEV_MBX_ATQBAL];
	return g;
}

/*
 * Follow the mailbox rings to where the shadow says they are now: what an
 * old place let the device write is owed to the next report, and a new
 * receive ring is read whole.
 */
static void i40e_vf_mdev_dirty_mbx_sync(struct i40e_vf_mdev_dirty *d,
					const struct i40e_vf_mdev_mbx_shadow *mbx)
{
	struct i40e_vf_mdev_dirty_aq arq = i40e_vf_mdev_dirty_aq_geo(mbx, true);
	struct i40e_vf_mdev_dirty_aq atq = i40e_vf_mdev_dirty_aq_geo(mbx, false);

	lockdep_assert_held(&d->lock);
	if (atq.base != d->atq_geo.base || atq.count != d->atq_geo.count) {
		i40e_vf_mdev_dset_mark(&d->set, d->atq_geo.base,
				       (u64)d->atq_geo.count *
				       I40E_VF_MDEV_AQ_DESC);
		i40e_vf_mdev_dirty_pin_range(d, d->atq_geo.base,
					     (u64)d->atq_geo.count *
					     I40E_VF_MDEV_AQ_DESC, false);
		d->atq_geo = atq;
		i40e_vf_mdev_dirty_pin_range(d, atq.base, (u64)atq.count *
					     I40E_VF_MDEV_AQ_DESC, true);
	}
	if (arq.base == d->arq_geo.base && arq.count == d->arq_geo.count)
		return;
	i40e_vf_mdev_dirty_pin_range(d, d->arq.base,
				     i40e_vf_mdev_dirty_ring_len(&d->arq), false);
	i40e_vf_mdev_dring_retire(&d->arq, &d->set);
	d->arq_geo = arq;
	/* count is at most 1023: always a geometry dring accepts */
	i40e_vf_mdev_dring_config(&d->arq, I40E_VF_MDEV_DRING_ARQ, arq.base,
				  arq.count, I40E_VF_MDEV_AQ_DESC, 0, 0);
	memset(d->arq_slot, 0, i40e_vf_mdev_dring_slot_words(arq.count) *
			       sizeof(u64));
	i40e_vf_mdev_dring_attach(&d->arq, d->arq_slot);
	i40e_vf_mdev_dirty_pin_range(d, d->arq.base,
				     i40e_vf_mdev_dirty_ring_len(&d->arq), true);
	i40e_vf_mdev_dirty_get_domain(d);
	i40e_vf_mdev_dring_scan(&d->arq, &d->set, i40e_vf_mdev_dirty_read, d);
}

/* Everything the device may write now, owed to the next report */
static void i40e_vf_mdev_dirty_mark_current(struct i40e_vf_mdev_dirty *d)
{
	unsigned int q;

	lockdep_assert_held(&d->lock);
	if (d->lost) {
		i40e_vf_mdev_dset_mark_all(&d->set);
		return;
	}
	for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++) {
		i40e_vf_mdev_dring_mark(&d->rx[q], &d->set);
		if (d->tx_set & BIT(q))
			i40e_vf_mdev_dirty_tx_mark(d, q);
	}
	i40e_vf_mdev_dring_mark(&d->arq, &d->set);
	i40e_vf_mdev_dset_mark(&d->set, d->atq_geo.base,
			       (u64)d->atq_geo.count * I40E_VF_MDEV_AQ_DESC);
}

/* ---- what the PF and the trap tell ---- */

static void i40e_vf_mdev_dirty_pf_reset(void *priv)
{
	struct i40e_vf_mdev_dirty *d = priv;
	unsigned int q;

	mutex_lock(&d->lock);
	if (i40e_vf_mdev_dirty_active(d)) {
		for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++) {
			i40e_vf_mdev_dirty_rx_retire(d, q);
			if (d->tx_set & BIT(q))
				i40e_vf_mdev_dirty_tx_retire(d, q);
		}
		d->stats.resets++;
	}
	d->rx_set = 0;
	d->tx_set = 0;
	mutex_unlock(&d->lock);
}

static void i40e_vf_mdev_dirty_pf_ring(void *priv, u16 q, bool tx,
				       const struct i40e_vf_mdev_pf_ring *ring)
{
	struct i40e_vf_mdev_dirty *d = priv;

	if (q >= I40E_VF_MDEV_PF_MAX_QP)
		return;
	mutex_lock(&d->lock);
	if (tx) {
		if (i40e_vf_mdev_dirty_active(d) && (d->tx_set & BIT(q)))
			i40e_vf_mdev_dirty_tx_retire(d, q);
		d->tx_geo[q] = *ring;
		d->tx_set |= BIT(q);
		i40e_vf_mdev_dirty_tx_pin(d, q, true);
	} else {
		if (i40e_vf_mdev_dirty_active(d))
			i40e_vf_mdev_dirty_rx_retire(d, q);
		d->rx_geo[q] = *ring;
		d->rx_set |= BIT(q);
		if (i40e_vf_mdev_dirty_active(d))
			i40e_vf_mdev_dirty_rx_setup(d, q);
	}
	mutex_unlock(&d->lock);
}

/* The PF's news of the VF: i40e_vf_mdev_pf_get() with idev->dirty */
const struct i40e_vf_mdev_pf_ops i40e_vf_mdev_dirty_pf_ops = {
	.reset = i40e_vf_mdev_dirty_pf_reset,
	.ring = i40e_vf_mdev_dirty_pf_ring,
};

/**
 * i40e_vf_mdev_dirty_reg_write() - the VF's driver wrote a trapped register
 * @idev: the device
 * @offset: BAR0 offset of the access
 * @size: its size in bytes
 * @val: the value written
 * @mbx: the mailbox shadow, with the write in it
 *
 * Called by the trap, under its lock, after the write reached the VF;
 * the trap calls i40e_vf_mdev_dirty_sync() once it let go of its lock.
 * An Rx tail write posts buffers; a mailbox ring register write may move
 * the mailbox rings or post receive buffers.  Everything else, and
 * everything while neither outlet runs, is a no-op.
 */
void i40e_vf_mdev_dirty_reg_write(struct i40e_vf_mdev_dev *idev, u64 offset,
				  unsigned int size, u32 val,
				  const struct i40e_vf_mdev_mbx_shadow *mbx)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	bool rx = offset >= I40E_VF_QRX_TAIL1(0) &&
		  offset < I40E_VF_QRX_TAIL1(I40E_VF_MDEV_PF_MAX_QP);
	bool aq = offset >= I40E_VF_MDEV_MBX_START &&
		  offset < I40E_VF_MDEV_MBX_END;

	if (!d || (!rx && !aq))
		return;

	mutex_lock(&d->lock);
	if (!i40e_vf_mdev_dirty_active(d))
		goto out;
	i40e_vf_mdev_dirty_get_domain(d);
	if (rx) {
		unsigned int q = (offset - I40E_VF_QRX_TAIL1(0)) / 4;

		/* a partial write leaves a tail we cannot know: read all */
		if (size != 4 || !IS_ALIGNED(offset, 4))
			val = U32_MAX;
		i40e_vf_mdev_dring_post(&d->rx[q], &d->set, val,
					i40e_vf_mdev_dirty_read, d);
		d->stats.rx_posts++;
		goto out;
	}
	i40e_vf_mdev_dirty_mbx_sync(d, mbx);
	if ((offset & ~3ULL) == I40E_VF_ARQT1)
		i40e_vf_mdev_dring_post(&d->arq, &d->set,
					size == 4 ? FIELD_GET(I40E_VF_MDEV_AQ_LEN, val) :
						    U32_MAX,
					i40e_vf_mdev_dirty_read, d);
out:
	mutex_unlock(&d->lock);
}

/* ---- following the rings, for either outlet ---- */

/*
 * Start following the rings: read each Rx ring and the mailbox receive
 * ring whole.  @mbx is the mailbox shadow, taken before d->lock.
 */
static int i40e_vf_mdev_dirty_activate(struct i40e_vf_mdev_dirty *d,
				       const struct i40e_vf_mdev_mbx_shadow *mbx)
{
	unsigned int q;

	lockdep_assert_held(&d->lock);
	d->arq_slot = kvcalloc(i40e_vf_mdev_dring_slot_words(I40E_VF_MDEV_AQ_MAX),
			       sizeof(u64), GFP_KERNEL_ACCOUNT);
	if (!d->arq_slot)
		return -ENOMEM;
	d->lost = false;
	d->arq_geo = (struct i40e_vf_mdev_dirty_aq){ };
	d->atq_geo = (struct i40e_vf_mdev_dirty_aq){ };
	for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++)
		if (d->rx_set & BIT(q))
			i40e_vf_mdev_dirty_rx_setup(d, q);
	i40e_vf_mdev_dirty_mbx_sync(d, mbx);
	return 0;
}

/* Stop following the rings, once neither outlet runs */
static void i40e_vf_mdev_dirty_deactivate(struct i40e_vf_mdev_dirty *d)
{
	unsigned int q;

	lockdep_assert_held(&d->lock);
	for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++)
		i40e_vf_mdev_dirty_rx_free(d, q);
	i40e_vf_mdev_dring_attach(&d->arq, NULL);
	i40e_vf_mdev_dring_config(&d->arq, I40E_VF_MDEV_DRING_ARQ, 0, 0,
				  I40E_VF_MDEV_AQ_DESC, 0, 0);
	kvfree(d->arq_slot);
	d->arq_slot = NULL;
	d->arq_geo = (struct i40e_vf_mdev_dirty_aq){ };
	d->atq_geo = (struct i40e_vf_mdev_dirty_aq){ };
	d->lost = false;
}

/* ---- vfio_log_ops ---- */

/*
 * Stop DMA logging and free what it used; caller holds d->lock.  Returns
 * whether it ran, i.e. held a claim on the Rx tail page.
 */
static bool i40e_vf_mdev_dirty_stop_locked(struct i40e_vf_mdev_dirty *d)
{
	lockdep_assert_held(&d->lock);
	if (!d->logging)
		return false;
	kvfree(d->set.bits);
	d->set.bits = NULL;
	d->logging = false;
	if (!d->pinning)
		i40e_vf_mdev_dirty_deactivate(d);
	d->stats.stops++;
	return true;
}

static int i40e_vf_mdev_log_start(struct vfio_device *vdev,
				  struct rb_root_cached *ranges, u32 nnodes,
				  u64 *page_size)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(vdev);
	struct i40e_vf_mdev_dset_in in[I40E_VF_MDEV_DSET_MAX_RANGES];
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	struct i40e_vf_mdev_mbx_shadow mbx;
	struct interval_tree_node *node;
	unsigned int nr = 0;
	u64 *bits;
	int ret;

	if (!is_power_of_2(*page_size) || *page_size < SZ_4K ||
	    *page_size > SZ_1G)
		return -EINVAL;

	vfio_combine_iova_ranges(ranges, nnodes, I40E_VF_MDEV_DSET_MAX_RANGES);
	for (node = interval_tree_iter_first(ranges, 0, ULONG_MAX);
	     node && nr < ARRAY_SIZE(in);
	     node = interval_tree_iter_next(node, 0, ULONG_MAX)) {
		in[nr].iova = node->start;
		in[nr].len = node->last - node->start + 1;
		nr++;
	}

	/* the Rx tail page back from the user, if it was lent */
	ret = i40e_vf_mdev_reeval_claim(idev);
	if (ret)
		return ret;
	i40e_vf_mdev_trap_mbx_snapshot(idev, &mbx);

	mutex_lock(&d->lock);
	if (d->logging) {
		ret = -EBUSY;
		goto out;
	}
	ret = i40e_vf_mdev_dset_init(&d->set, in, nr, ilog2(*page_size));
	if (ret)
		goto out;
	bits = kvcalloc(i40e_vf_mdev_dset_words(&d->set), sizeof(u64),
			GFP_KERNEL_ACCOUNT);
	if (!bits) {
		ret = -ENOMEM;
		goto out;
	}
	/* what the device may write from now on: the rings, read whole */
	if (!d->pinning) {
		ret = i40e_vf_mdev_dirty_activate(d, &mbx);
		if (ret) {
			kvfree(bits);
			goto out;
		}
	}
	d->set.bits = bits;
	/* rings the pins already followed blind: every page, every report */
	if (d->lost)
		i40e_vf_mdev_dset_mark_all(&d->set);
	d->logging = true;
	d->stats.starts++;
out:
	mutex_unlock(&d->lock);
	if (ret)
		i40e_vf_mdev_reeval_unclaim(idev);
	return ret;
}

static int i40e_vf_mdev_log_stop(struct vfio_device *vdev)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(vdev);
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	bool ran;

	mutex_lock(&d->lock);
	ran = i40e_vf_mdev_dirty_stop_locked(d);
	mutex_unlock(&d->lock);
	if (ran)
		i40e_vf_mdev_reeval_unclaim(idev);
	return 0;
}

/*
 * Runs of a report on their way to userspace's bitmap.  iova_bitmap_set()
 * may pin the pages of that bitmap, which takes mmap_lock, and the trap's
 * lock is taken under mmap_lock (mmap(), faults), so it must not be called
 * with d->lock held: a report hands runs out in batches, between which it
 * lets go of the lock.
 */
struct i40e_vf_mdev_dirty_runs {
	unsigned int n;
	u64 iova[32];
	u64 len[32];
};

static bool i40e_vf_mdev_dirty_emit(void *ctx, u64 iova, u64 len)
{
	struct i40e_vf_mdev_dirty_runs *runs = ctx;

	runs->iova[runs->n] = iova;
	runs->len[runs->n] = len;
	return ++runs->n < ARRAY_SIZE(runs->iova);
}

static int i40e_vf_mdev_log_read_and_clear(struct vfio_device *vdev,
					   unsigned long iova,
					   unsigned long length,
					   struct iova_bitmap *dirty)
{
	struct i40e_vf_mdev_dev *idev = to_i40e_vf_mdev_dev(vdev);
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	struct i40e_vf_mdev_dirty_runs *runs;
	struct i40e_vf_mdev_mbx_shadow mbx;
	u64 at = iova, end = (u64)iova + length, before, pages = 0;
	bool first = true, done = false;
	unsigned int i;
	int ret = 0;

	/* the VFIO core passes non-empty windows that do not wrap */
	if (!length || end < at)
		return -EINVAL;
	runs = kmalloc(sizeof(*runs), GFP_KERNEL);
	if (!runs)
		return -ENOMEM;

	i40e_vf_mdev_trap_mbx_snapshot(idev, &mbx);
	while (!done) {
		runs->n = 0;
		mutex_lock(&d->lock);
		if (!d->logging) {
			mutex_unlock(&d->lock);
			ret = -EINVAL;
			break;
		}
		if (first) {
			/* what the device may write now is owed */
			i40e_vf_mdev_dirty_mbx_sync(d, &mbx);
			i40e_vf_mdev_dirty_mark_current(d);
			d->stats.reports++;
			first = false;
		}
		before = d->set.reported;
		done = i40e_vf_mdev_dset_report(&d->set, at, end - at,
						i40e_vf_mdev_dirty_emit, runs,
						&at);
		d->stats.reported_pages += d->set.reported - before;
		pages += d->set.reported - before;
		mutex_unlock(&d->lock);

		for (i = 0; i < runs->n; i++)
			iova_bitmap_set(dirty, runs->iova[i], runs->len[i]);
	}
	kfree(runs);
	trace_i40e_vf_mdev_dirty_report(mdev_dev(idev->mdev), iova, length,
					pages, ret);
	return ret;
}

static const struct vfio_log_ops i40e_vf_mdev_log_ops = {
	.log_start = i40e_vf_mdev_log_start,
	.log_stop = i40e_vf_mdev_log_stop,
	.log_read_and_clear = i40e_vf_mdev_log_read_and_clear,
};

/* iova_bitmap_set(), where the kernel has it (i40e_vf_mdev_dirty_offer()) */
#if IS_ENABLED(CONFIG_IOMMUFD_DRIVER)
MODULE_IMPORT_NS(IOMMUFD);
#endif

/* ---- the type1 outlet: pinned pages (dirty_pin.c) ---- */

/*
 * The device is in a type1 container, inferred from its not being bound
 * to iommufd (an open device is one or the other; iommufd's emulation of
 * the container binds it to iommufd too).  vfio_pin_pages() works for a
 * device bound to iommufd only through an emulated access, which ours is
 * not.
 */
static bool i40e_vf_mdev_dirty_type1(struct i40e_vf_mdev_dev *idev)
{
#if IS_ENABLED(CONFIG_IOMMUFD)
	if (idev->core_device.vdev.iommufd_device)
		return false;
#endif
	return true;
}

/* Tell the pins of, or take back from them, every ring and buffer */
static void i40e_vf_mdev_dirty_pin_all(struct i40e_vf_mdev_dirty *d,
				       bool posted)
{
	i40e_vf_mdev_dring_watch_t watch = posted ? i40e_vf_mdev_dpin_want :
						    NULL;
	unsigned int q;

	lockdep_assert_held(&d->lock);
	for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++) {
		struct i40e_vf_mdev_dring *r = &d->rx[q];

		if (r->slot)
			i40e_vf_mdev_dirty_pin_range(d, r->base,
						     i40e_vf_mdev_dirty_ring_len(r),
						     posted);
		i40e_vf_mdev_dring_set_watch(r, watch, d->pin);
		if (d->tx_set & BIT(q))
			i40e_vf_mdev_dirty_tx_pin(d, q, posted);
	}
	i40e_vf_mdev_dirty_pin_range(d, d->arq.base,
				     i40e_vf_mdev_dirty_ring_len(&d->arq), posted);
	i40e_vf_mdev_dring_set_watch(&d->arq, watch, d->pin);
	i40e_vf_mdev_dirty_pin_range(d, d->atq_geo.base, (u64)d->atq_geo.count *
				     I40E_VF_MDEV_AQ_DESC, posted);
}

/**
 * i40e_vf_mdev_dirty_save_begin() - a save with PRE_COPY starts
 * @idev: the device, the engine's state_mutex held
 *
 * In a type1 container, pins what the device may write from now on until
 * the device is closed or the save is cancelled in PRE_COPY
 * (i40e_vf_mdev_dirty_save_end(); the pins themselves stay until the next
 * save or the close), which puts the VF's group in type1's pinned-page
 * scope; if that failed before, or a save was cancelled, starts it over.
 * A user that tracks through DMA logging needs no pins, and iommufd
 * cannot make them: there a no-op.  Pinning claims the Rx tail page
 * (reeval.c) until it stops; only that can fail here.  A failure to pin
 * fails the save at STOP_COPY (i40e_vf_mdev_dirty_save_final()).
 *
 * Return: 0, or the claim's error (nothing started).
 */
int i40e_vf_mdev_dirty_save_begin(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	struct i40e_vf_mdev_mbx_shadow mbx;
	bool had, now;
	int ret;

	if (!d || !i40e_vf_mdev_dirty_type1(idev))
		return 0;
	/* before the rings are read: the Rx tail page back from the user */
	ret = i40e_vf_mdev_reeval_claim(idev);
	if (ret)
		return ret;
	i40e_vf_mdev_trap_mbx_snapshot(idev, &mbx);

	mutex_lock(&d->lock);
	had = d->pinning;
	if (d->logging ||
	    (d->pinning && !i40e_vf_mdev_dpin_failed(d->pin)))
		goto out;
	if (d->pinning) {
		/* it failed: start over, reading rings followed blind again */
		d->pinning = false;
		i40e_vf_mdev_dirty_pin_all(d, false);
		if (d->lost)
			i40e_vf_mdev_dirty_deactivate(d);
	}
	i40e_vf_mdev_dpin_begin(d->pin);
	if (!d->arq_slot && i40e_vf_mdev_dirty_activate(d, &mbx)) {
		/* fails the save; the close ends it (i40e_vf_mdev_dpin_end()) */
		i40e_vf_mdev_dpin_fail(d->pin, "no memory to follow the VF's rings");
		goto out;
	}
	/* from nothing counted: the rings and buffers as they are now */
	d->pinning = true;
	d->stale = false;
	i40e_vf_mdev_dirty_pin_all(d, true);
out:
	now = d->pinning;
	mutex_unlock(&d->lock);
	/* pinning holds one claim: this one if it started now */
	if (had || !now)
		i40e_vf_mdev_reeval_unclaim(idev);
	/* ... and none once a restart failed */
	if (had && !now)
		i40e_vf_mdev_reeval_unclaim(idev);
	i40e_vf_mdev_dpin_sync(d->pin, false);
	return 0;
}

/* Stop following the VF for the pins (the pins themselves stay) */
static void i40e_vf_mdev_dirty_unfollow(struct i40e_vf_mdev_dirty *d)
{
	lockdep_assert_held(&d->lock);
	d->pinning = false;
	if (!d->logging)
		i40e_vf_mdev_dirty_deactivate(d);
}

/**
 * i40e_vf_mdev_dirty_save_end() - a save ended in PRE_COPY
 * @idev: the device, the engine's state_mutex held, leaving PRE_COPY for
 *	RUNNING, or PRE_COPY_P2P for RUNNING_P2P: a cancel
 *
 * In a type1 container: stops following the VF's rings for pins and
 * gives back the claim on the Rx tail page, so that a VM that runs on
 * after a cancelled migration traps no more Rx tail writes than before
 * it (a consumer of the re-evaluation IRQ is lent the page again).  The
 * pins stay, and type1 goes on reporting them, until the next save starts
 * pinning afresh or the device is closed; but they no longer cover what
 * the VF may write, so a save that reaches STOP_COPY without a PRE_COPY
 * of its own fails (i40e_vf_mdev_dirty_save_final()).  A no-op when
 * nothing was pinning.
 */
void i40e_vf_mdev_dirty_save_end(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	bool ran;

	if (!d || !i40e_vf_mdev_dirty_type1(idev))
		return;
	mutex_lock(&d->lock);
	ran = d->pinning;
	if (ran) {
		i40e_vf_mdev_dirty_unfollow(d);
		d->stale = true;
	}
	mutex_unlock(&d->lock);
	if (ran)
		i40e_vf_mdev_reeval_unclaim(idev);
}

/*
 * Stop pinning, at the close, and forget a failure; the caller syncs.
 * Returns whether it ran, i.e. held a claim on the Rx tail page.
 */
static bool i40e_vf_mdev_dirty_pin_stop(struct i40e_vf_mdev_dirty *d)
{
	bool ran;

	mutex_lock(&d->lock);
	ran = d->pinning;
	if (ran) {
		i40e_vf_mdev_dirty_pin_all(d, false);
		i40e_vf_mdev_dirty_unfollow(d);
	}
	d->stale = false;
	i40e_vf_mdev_dpin_end(d->pin);
	mutex_unlock(&d->lock);
	return ran;
}

/**
 * i40e_vf_mdev_dirty_save_final() - the VF stopped: the last pins
 * @idev: the device, the engine's state_mutex held, entering STOP_COPY
 *
 * Pins what the last writes call for before type1's last report, which
 * QEMU asks for after it stopped the device.  A user that tracks through
 * DMA logging does not need the pins, whatever became of them.
 *
 * Return: 0, or -EIO if this save's pins cannot be trusted (logged): the
 * migration would lose pages the VF wrote.
 */
int i40e_vf_mdev_dirty_save_final(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	bool pinning, logging, stale;
	const char *why;

	if (!d || !i40e_vf_mdev_dirty_type1(idev))
		return 0;
	mutex_lock(&d->lock);
	pinning = d->pinning;
	logging = d->logging;
	stale = d->stale;
	if (pinning && d->lost)
		i40e_vf_mdev_dpin_fail(d->pin, "the VF's rings could not be followed");
	mutex_unlock(&d->lock);
	if (stale && !pinning && !logging) {
		pci_err(idev->core_device.pdev,
			"migration refused: the VF ran since its last save ended, and its pins no longer cover what it may write: start the save in PRE_COPY\n");
		return -EIO;
	}

	if (pinning)
		i40e_vf_mdev_dpin_sync(d->pin, true);
	/* this save's, a start that failed included */
	why = i40e_vf_mdev_dpin_failed(d->pin);
	if (!why || logging)
		return 0;
	pci_err(idev->core_device.pdev,
		"migration refused: dirty tracking through type1's pinned pages failed: %s\n",
		why);
	return -EIO;
}

/**
 * i40e_vf_mdev_dirty_sync() - make the pins what the device may write
 * @idev: the device
 *
 * After a trapped access (without the trap's lock) and a migration state
 * change; a no-op when nothing changed.  Takes type1's lock and the user's
 * mmap_lock.
 */
void i40e_vf_mdev_dirty_sync(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;

	if (d)
		i40e_vf_mdev_dpin_sync(d->pin, false);
}

/**
 * i40e_vf_mdev_dirty_unmap() - the user unmaps an IOVA range (type1)
 * @idev: the device
 * @iova: first byte
 * @len: bytes
 *
 * From vfio_device_ops.dma_unmap: what is pinned there is unpinned.
 */
void i40e_vf_mdev_dirty_unmap(struct i40e_vf_mdev_dev *idev, u64 iova,
			      u64 len)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;

	if (d)
		i40e_vf_mdev_dpin_unmap(d->pin, iova, len);
}

/* ---- life cycle ---- */

/**
 * i40e_vf_mdev_dirty_init() - set up dirty tracking for a new device
 * @idev: the device, not yet registered
 *
 * For i40e_vf_mdev_pf_get() with &i40e_vf_mdev_dirty_pf_ops and
 * idev->dirty; i40e_vf_mdev_dirty_offer() then makes it available.
 *
 * Return: 0 or -ENOMEM.
 */
int i40e_vf_mdev_dirty_init(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->idev = idev;
	d->pin = i40e_vf_mdev_dpin_alloc(&idev->core_device.vdev);
	if (!d->pin) {
		kfree(d);
		return -ENOMEM;
	}
	mutex_init(&d->lock);
	idev->dirty = d;
	return 0;
}

/**
 * i40e_vf_mdev_dirty_offer() - dirty tracking for a migratable device
 * @idev: the device, not yet registered, with its trap set up
 *
 * Traps the Rx tail page (see the top of this file), which both outlets
 * need, and offers DMA logging (the device's log_ops).  A kernel
 * built without CONFIG_IOMMUFD_DRIVER (no IOMMUFD, no other driver with
 * DMA logging: Debian 12's) has a stub for the bitmap the VFIO core hands
 * reports to userspace with, so every REPORT would fail: there DMA logging
 * is not offered, and the kernel log says so; the type1 outlet remains.
 */
void i40e_vf_mdev_dirty_offer(struct i40e_vf_mdev_dev *idev)
{
	i40e_vf_mdev_trap_track_rx_tails(idev, true);
	if (!IS_ENABLED(CONFIG_IOMMUFD_DRIVER)) {
		pci_info(idev->core_device.pdev,
			 "no DMA logging: this kernel has no CONFIG_IOMMUFD_DRIVER to report it with; dirty pages go through a type1 container's pinned pages only (Documentation/migration.rst)\n");
		return;
	}
	idev->core_device.vdev.log_ops = &i40e_vf_mdev_log_ops;
	idev->dirty->offered = true;
}

/**
 * i40e_vf_mdev_dirty_close() - the user is closing the device: tracking ends
 * @idev: the device, still open (pages are unpinned)
 */
void i40e_vf_mdev_dirty_close(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	unsigned int claims = 0;

	if (!d)
		return;
	mutex_lock(&d->lock);
	if (i40e_vf_mdev_dirty_stop_locked(d))
		claims++;
	mutex_unlock(&d->lock);
	if (i40e_vf_mdev_dirty_pin_stop(d))
		claims++;
	i40e_vf_mdev_dpin_sync(d->pin, false);
	while (claims--)
		i40e_vf_mdev_reeval_unclaim(idev);
}

/**
 * i40e_vf_mdev_dirty_release() - free what i40e_vf_mdev_dirty_init() set up
 * @idev: the device, detached from the PF
 */
void i40e_vf_mdev_dirty_release(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;

	if (!d)
		return;
	mutex_lock(&d->lock);
	i40e_vf_mdev_dirty_stop_locked(d);
	mutex_unlock(&d->lock);
	i40e_vf_mdev_dpin_free(d->pin);
	mutex_destroy(&d->lock);
	kfree(d);
	idev->dirty = NULL;
}

/**
 * i40e_vf_mdev_dirty_stats() - copy the tracking counters
 * @idev: the device
 * @st: where to copy them
 *
 * Return: true if the device tracks dirty pages (it is migratable).
 */
bool i40e_vf_mdev_dirty_stats(struct i40e_vf_mdev_dev *idev,
			      struct i40e_vf_mdev_dirty_stats *st)
{
	struct i40e_vf_mdev_dirty *d = idev->dirty;
	unsigned int q;

	if (!d)
		return false;
	mutex_lock(&d->lock);
	*st = d->stats;
	st->offered = d->offered;
	st->tracking = d->logging;
	st->pinning = d->pinning;
	st->lost = d->lost;
	st->marked = d->set.marked;
	for (q = 0; q < I40E_VF_MDEV_PF_MAX_QP; q++) {
		st->descs += d->rx[q].stats.descs;
		st->unreadable += d->rx[q].stats.unreadable;
		st->rescans += d->rx[q].stats.rescans;
		st->bad_tails += d->rx[q].stats.bad_tail;
	}
	st->rx_queues = hweight_long(d->rx_set);
	st->tx_queues = hweight_long(d->tx_set);
	mutex_unlock(&d->lock);
	/* not under d->lock, which is taken under mmap_lock's users */
	i40e_vf_mdev_dpin_stats(d->pin, &st->pin);
	return true;
}
