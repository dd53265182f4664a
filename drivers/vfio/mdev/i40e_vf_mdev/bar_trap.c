// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: BAR0 trapping
 *
 * BAR0 (64 KiB of VF registers) is offered as a sparse mmap.  The pages set
 * in trap->pages are left out of the sparse mmap capability, mmap() of them
 * is refused (vfio_ops.c), and pread()/pwrite() of them come here.  Every
 * trapped access is forwarded to the VF through vfio-pci-core's own mapping
 * of BAR0 and its memory-enable checks, after snooping it: the values the
 * user writes to the mailbox ring registers are kept in a shadow, which
 * migration needs.
 *
 * The mailbox pages are always trapped, and so is the Rx tail page of a
 * migratable device: dirty tracking (dirty.c) learns from the trapped
 * writes which buffers the device may fill, and is told of them here,
 * under the trap's lock, in the order the VF sees them; the pins those
 * call for are made once the lock is let go.  The Tx tail
 * page is not trapped: the device only reads Tx buffers.
 *
 * trap->pages is a bitmap so that tests can trap the tail pages on
 * purpose (i40e_vf_mdev_trap_tails(), debugfs "trap_tail"); whoever sets a
 * bit in it must also invalidate existing mappings of the page and have
 * userspace re-read the sparse mmap capability before relying on the
 * trap.  The fault handler of BAR0 mappings refuses trapped pages, so an
 * invalidated mapping cannot map the page again behind the trap.
 */

#include <linux/bitmap.h>
#include <linux/bits.h>
#include <linux/find.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "dirty.h"
#include "i40e_vf_mdev.h"
#include "i40e_vf_mdev_trace.h"

/* Offsets of the shadowed mailbox registers, by enum i40e_vf_mdev_mbx_reg */
static const u32 i40e_vf_mdev_mbx_offsets[I40E_VF_MDEV_NR_MBX_REGS] = {
	[I40E_VF_MDEV_MBX_ARQBAH] = I40E_VF_ARQBAH1,
	[I40E_VF_MDEV_MBX_ARQBAL] = I40E_VF_ARQBAL1,
	[I40E_VF_MDEV_MBX_ARQLEN] = I40E_VF_ARQLEN1,
	[I40E_VF_MDEV_MBX_ARQH] = I40E_VF_ARQH1,
	[I40E_VF_MDEV_MBX_ARQT] = I40E_VF_ARQT1,
	[I40E_VF_MDEV_MBX_ATQBAH] = I40E_VF_ATQBAH1,
	[I40E_VF_MDEV_MBX_ATQBAL] = I40E_VF_ATQBAL1,
	[I40E_VF_MDEV_MBX_ATQLEN] = I40E_VF_ATQLEN1,
	[I40E_VF_MDEV_MBX_ATQH] = I40E_VF_ATQH1,
	[I40E_VF_MDEV_MBX_ATQT] = I40E_VF_ATQT1,
};

/**
 * i40e_vf_mdev_mbx_reg_offset() - BAR0 offset of a shadowed mailbox register
 * @reg: the register
 *
 * Return: its offset in BAR0.
 */
u32 i40e_vf_mdev_mbx_reg_offset(enum i40e_vf_mdev_mbx_reg reg)
{
	return i40e_vf_mdev_mbx_offsets[reg];
}

static int i40e_vf_mdev_mbx_index(u64 offset)
{
	int i;

	for (i = 0; i < I40E_VF_MDEV_NR_MBX_REGS; i++)
		if (i40e_vf_mdev_mbx_offsets[i] == offset)
			return i;
	return -1;
}

/**
 * i40e_vf_mdev_page_class() - what the BAR0 page at an offset holds
 * @offset: offset in BAR0
 *
 * Return: the page class, for the trap counters.
 */
enum i40e_vf_mdev_page_class i40e_vf_mdev_page_class(u64 offset)
{
	if (offset >= I40E_VF_MDEV_MBX_START && offset < I40E_VF_MDEV_MBX_END)
		return I40E_VF_MDEV_PAGE_MAILBOX;
	if (offset >= I40E_VF_MDEV_TX_TAIL_START &&
	    offset < I40E_VF_MDEV_TX_TAIL_END)
		return I40E_VF_MDEV_PAGE_TX_TAIL;
	if (offset >= I40E_VF_MDEV_RX_TAIL_START &&
	    offset < I40E_VF_MDEV_RX_TAIL_END)
		return I40E_VF_MDEV_PAGE_RX_TAIL;
	return I40E_VF_MDEV_PAGE_OTHER;
}

/* Trap the pages covering [start, end) of BAR0; caller holds trap->lock */
static void i40e_vf_mdev_trap_range(struct i40e_vf_mdev_trap *trap,
				    u64 start, u64 end)
{
	unsigned long first = start >> PAGE_SHIFT;
	unsigned long last = DIV_ROUND_UP(end, PAGE_SIZE);

	bitmap_set(trap->pages, first, last - first);
}

/**
 * i40e_vf_mdev_trap_init() - set up the BAR0 trap of a new device
 * @idev: the device
 *
 * Traps the mailbox pages.
 */
void i40e_vf_mdev_trap_init(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_init(&trap->lock);
	bitmap_zero(trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	memset(&trap->mbx, 0, sizeof(trap->mbx));
	memset(&trap->stats, 0, sizeof(trap->stats));
	i40e_vf_mdev_trap_range(trap, I40E_VF_MDEV_MBX_START,
				I40E_VF_MDEV_MBX_END);
	bitmap_copy(trap->kept, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
}

/**
 * i40e_vf_mdev_trap_keep_rx_tails() - trap the Rx tail page for good
 * @idev: the device, not yet registered (no user can have mapped BAR0)
 *
 * For dirty tracking, which must see every Rx tail write of a migratable
 * device.
 */
void i40e_vf_mdev_trap_keep_rx_tails(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	i40e_vf_mdev_trap_range(trap, I40E_VF_MDEV_RX_TAIL_START,
				I40E_VF_MDEV_RX_TAIL_END);
	bitmap_copy(trap->kept, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_destroy() - release what i40e_vf_mdev_trap_init() set up
 * @idev: the device
 */
void i40e_vf_mdev_trap_destroy(struct i40e_vf_mdev_dev *idev)
{
	mutex_destroy(&idev->trap.lock);
}

/* Forget the mailbox shadow, and any pending reset mark */
static void i40e_vf_mdev_mbx_drop(struct i40e_vf_mdev_trap *trap)
{
	lockdep_assert_held(&trap->lock);
	WRITE_ONCE(trap->mbx_stale, false);
	memset(&trap->mbx, 0, sizeof(trap->mbx));
}

/**
 * i40e_vf_mdev_trap_reset() - forget the mailbox shadow
 * @idev: the device
 *
 * For open and close (a reset of the open VF goes through
 * i40e_vf_mdev_trap_mark_reset()): the VF's registers are back to their
 * reset values, and what the user wrote before no longer applies.
 */
void i40e_vf_mdev_trap_reset(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	i40e_vf_mdev_mbx_drop(trap);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_mark_reset() - the VF was reset behind the trap
 * @idev: the device
 *
 * For the PCI reset_done handler, which may run under vfio-pci-core's
 * memory_lock and so must not take the trap lock (taken outside
 * memory_lock by trapped accesses): the shadow is dropped the next time
 * the trap lock is taken.
 */
void i40e_vf_mdev_trap_mark_reset(struct i40e_vf_mdev_dev *idev)
{
	WRITE_ONCE(idev->trap.mbx_stale, true);
}

/* Drop the shadow if the VF was reset since it was written */
static void i40e_vf_mdev_mbx_check(struct i40e_vf_mdev_trap *trap)
{
	if (READ_ONCE(trap->mbx_stale))
		i40e_vf_mdev_mbx_drop(trap);
}

/**
 * i40e_vf_mdev_trap_mbx_snapshot() - copy the mailbox shadow
 * @idev: the device
 * @out: where to copy it
 */
void i40e_vf_mdev_trap_mbx_snapshot(struct i40e_vf_mdev_dev *idev,
				    struct i40e_vf_mdev_mbx_shadow *out)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	i40e_vf_mdev_mbx_check(trap);
	*out = trap->mbx;
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_stats() - copy the trap counters and trapped pages
 * @idev: the device
 * @stats: where to copy the counters
 * @pages: where to copy the bitmap of trapped pages
 *	(%I40E_VF_MDEV_BAR0_PAGES bits)
 */
void i40e_vf_mdev_trap_stats(struct i40e_vf_mdev_dev *idev,
			     struct i40e_vf_mdev_trap_stats *stats,
			     unsigned long *pages)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	*stats = trap->stats;
	bitmap_copy(pages, trap->pages, I40E_VF_MDEV_BAR0_PAGES);
	mutex_unlock(&trap->lock);
}

/**
 * i40e_vf_mdev_trap_hit() - whether a range of BAR0 touches a trapped page
 * @idev: the device
 * @start: offset in BAR0
 * @len: length in bytes
 *
 * Return: true if any byte of [@start, @start + @len) within BAR0 is in a
 * trapped page.
 */
bool i40e_vf_mdev_trap_hit(struct i40e_vf_mdev_dev *idev, u64 start, u64 len)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	unsigned long first, last;
	bool hit;

	if (!len || start >= I40E_VF_MDEV_BAR0_SIZE)
		return false;

	first = start >> PAGE_SHIFT;
	last = (min(len, I40E_VF_MDEV_BAR0_SIZE - start) + start - 1) >>
	       PAGE_SHIFT;

	mutex_lock(&trap->lock);
	hit = find_next_bit(trap->pages, last + 1, first) <= last;
	mutex_unlock(&trap->lock);

	return hit;
}

#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
/*
 * Fault handler of the user's BAR0 mappings.  trap->lock is held across
 * vfio-pci-core's handler, so a page cannot be mapped between
 * i40e_vf_mdev_trap_tails() trapping it and zapping its mappings.
 */
static vm_fault_t i40e_vf_mdev_bar0_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	struct i40e_vf_mdev_dev *idev = container_of(vdev, struct i40e_vf_mdev_dev,
						     core_device);
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	u64 pgoff = vma->vm_pgoff &
		    ((1ULL << (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT)) - 1);
	unsigned long page = pgoff + ((vmf->address - vma->vm_start) >> PAGE_SHIFT);
	vm_fault_t ret;

	mutex_lock(&trap->lock);
	if (page < I40E_VF_MDEV_BAR0_PAGES && test_bit(page, trap->pages))
		ret = VM_FAULT_SIGBUS;
	else
		ret = trap->core_vm_ops->fault(vmf);
	mutex_unlock(&trap->lock);

	return ret;
}

/* No huge_fault: BAR0 (64 KiB) is mapped with small pages anyway */
static const struct vm_operations_struct i40e_vf_mdev_bar0_vm_ops = {
	.fault = i40e_vf_mdev_bar0_fault,
};
#endif

/**
 * i40e_vf_mdev_trap_mmap() - take over the faults of a new BAR0 mapping
 * @idev: the device
 * @vma: a mapping of BAR0 that vfio_pci_core_mmap() just set up
 *
 * A page that is trapped by the time it is touched is not mapped (the
 * access gets SIGBUS); vfio-pci-core's fault handler maps the others.
 * Since Linux 6.10 vfio-pci-core's mappings have no operations besides
 * their fault handlers; before, they had open and close too and are left
 * alone (i40e_vf_mdev_trap_tails() is not supported there).
 */
void i40e_vf_mdev_trap_mmap(struct i40e_vf_mdev_dev *idev,
			    struct vm_area_struct *vma)
{
#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
	struct i40e_vf_mdev_trap *trap = &idev->trap;

	mutex_lock(&trap->lock);
	if (!trap->core_vm_ops)
		trap->core_vm_ops = vma->vm_ops;
	vma->vm_ops = &i40e_vf_mdev_bar0_vm_ops;
	mutex_unlock(&trap->lock);
#endif
}

/**
 * i40e_vf_mdev_trap_tails() - trap the Tx/Rx queue tail pages, or not
 * @idev: the device
 * @trap_them: trap the pages (true) or make them mmap()able again (false)
 *
 * For tests of the trap accounting (debugfs "trap_tail"): with the tail
 * pages trapped, every doorbell write of the data path is a trapped access
 * counted as "datapath".  The pages leave the sparse mmap areas reported
 * from now on, mmap() of them is refused, and existing user mappings of
 * them are zapped; touching them through such a mapping gets SIGBUS.  A
 * VMM started after the change reads the new areas and goes through the
 * trap.  Untrapped again, the pages can be mapped and faulted in again.
 *
 * Return: 0, or -EOPNOTSUPP on kernels before 6.10, where vfio devices
 * have no address space of their own to zap mappings in.
 */
int i40e_vf_mdev_trap_tails(struct i40e_vf_mdev_dev *idev, bool trap_them)
{
#ifndef I40E_VF_MDEV_NO_DEVICE_INODE
	struct address_space *mapping = idev->core_device.vdev.inode->i_mapping;
	loff_t bar0 = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX);
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	static const u64 tails[][2] = {
		{ I40E_VF_MDEV_TX_TAIL_START, I40E_VF_MDEV_TX_TAIL_END },
		{ I40E_VF_MDEV_RX_TAIL_START, I40E_VF_MDEV_RX_TAIL_END },
	};
	unsigned int i;

	mutex_lock(&trap->lock);
	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		unsigned long first = tails[i][0] >> PAGE_SHIFT;
		unsigned long nr = DIV_ROUND_UP(tails[i][1], PAGE_SIZE) - first;

		if (!trap_them) {
			/* pages trapped for good stay so */
			bitmap_clear(trap->pages, first, nr);
			bitmap_or(trap->pages, trap->pages, trap->kept,
				  I40E_VF_MDEV_BAR0_PAGES);
			continue;
		}
		bitmap_set(trap->pages, first, nr);
		unmap_mapping_range(mapping, bar0 + ((loff_t)first << PAGE_SHIFT),
				    (loff_t)nr << PAGE_SHIFT, true);
	}
	mutex_unlock(&trap->lock);
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/**
 * i40e_vf_mdev_tails_trapped() - whether the tail pages are trapped
 * @idev: the device
 *
 * Return: true if i40e_vf_mdev_trap_tails() trapped them (the Tx tail
 * page is trapped only then).
 */
bool i40e_vf_mdev_tails_trapped(struct i40e_vf_mdev_dev *idev)
{
	return i40e_vf_mdev_trap_hit(idev, I40E_VF_MDEV_TX_TAIL_START,
				     I40E_VF_MDEV_TX_TAIL_END -
				     I40E_VF_MDEV_TX_TAIL_START);
}

/*
 * The sparse mmap capability: the untrapped runs of pages.  Returns the
 * number of areas, or a negative errno.
 */
static int i40e_vf_mdev_bar0_add_sparse(struct i40e_vf_mdev_dev *idev,
					struct vfio_info_cap *caps, u64 size)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	unsigned int start, end, nr = 0;
	int ret;

	/* At most every other page is an area */
	sparse = kzalloc(struct_size(sparse, areas,
				     DIV_ROUND_UP(I40E_VF_MDEV_BAR0_PAGES, 2)),
			 GFP_KERNEL);
	if (!sparse)
		return -ENOMEM;

	mutex_lock(&trap->lock);
	for_each_clear_bitrange(start, end, trap->pages,
				I40E_VF_MDEV_BAR0_PAGES) {
		u64 area_start = (u64)start << PAGE_SHIFT;
		u64 area_end = min_t(u64, (u64)end << PAGE_SHIFT, size);

		if (area_start >= area_end)
			break;
		sparse->areas[nr].offset = area_start;
		sparse->areas[nr].size = area_end - area_start;
		nr++;
	}
	mutex_unlock(&trap->lock);

	ret = nr;
	if (nr) {
		sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		sparse->header.version = 1;
		sparse->nr_areas = nr;
		ret = vfio_info_add_capability(caps, &sparse->header,
					       struct_size(sparse, areas, nr));
		if (!ret)
			ret = nr;
	}

	kfree(sparse);
	return ret;
}

/**
 * i40e_vf_mdev_bar0_get_region_info() - VFIO_DEVICE_GET_REGION_INFO for BAR0
 * @idev: the device
 * @info: the header the user passed, already copied in and checked
 * @arg: the user's buffer
 *
 * Like vfio-pci-core's answer, plus a sparse mmap capability that leaves
 * out the trapped pages.  If every page is trapped, BAR0 is not mmap()able
 * at all.
 *
 * Return: 0 or a negative errno.
 */
int i40e_vf_mdev_bar0_get_region_info(struct i40e_vf_mdev_dev *idev,
				      struct vfio_region_info *info,
				      void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_pci_core_device *vdev = &idev->core_device;
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	int ret;

	info->offset = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX);
	info->size = pci_resource_len(vdev->pdev, VFIO_PCI_BAR0_REGION_INDEX);
	info->flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	if (vdev->bar_mmap_supported[VFIO_PCI_BAR0_REGION_INDEX]) {
		ret = i40e_vf_mdev_bar0_add_sparse(idev, &caps, info->size);
		if (ret < 0)
			goto out_free;
		if (ret)
			info->flags |= VFIO_REGION_INFO_FLAG_MMAP;

		/* As vfio-pci-core does for the MSI-X BAR, in case it is BAR0 */
		if (ret && vdev->msix_bar == VFIO_PCI_BAR0_REGION_INDEX) {
			struct vfio_info_cap_header header = {
				.id = VFIO_REGION_INFO_CAP_MSIX_MAPPABLE,
				.version = 1,
			};

			ret = vfio_info_add_capability(&caps, &header,
						       sizeof(header));
			if (ret)
				goto out_free;
		}
	}

	if (caps.size) {
		info->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info->argsz < sizeof(*info) + caps.size) {
			info->argsz = sizeof(*info) + caps.size;
			info->cap_offset = 0;
		} else {
			vfio_info_cap_shift(&caps, sizeof(*info));
			if (copy_to_user(arg + sizeof(*info), caps.buf,
					 caps.size)) {
				ret = -EFAULT;
				goto out_free;
			}
			info->cap_offset = sizeof(*info);
		}
	}

	ret = copy_to_user(arg, info, minsz) ? -EFAULT : 0;

out_free:
	kfree(caps.buf);
	return ret;
}

/* Merge a write of @size bytes at @offset into the mailbox shadow */
static void i40e_vf_mdev_snoop_write(struct i40e_vf_mdev_trap *trap,
				     u64 offset, unsigned int size, u32 val)
{
	unsigned int shift = (offset & 3) * BITS_PER_BYTE;
	u32 mask = GENMASK(size * BITS_PER_BYTE - 1, 0) << shift;
	int reg = i40e_vf_mdev_mbx_index(offset & ~3ULL);

	lockdep_assert_held(&trap->lock);

	if (reg < 0)
		return;

	trap->mbx.val[reg] = (trap->mbx.val[reg] & ~mask) | ((val << shift) & mask);
	__set_bit(reg, &trap->mbx.written);
}

/* Register bytes as they sit in the user's buffer: little endian */
union i40e_vf_mdev_reg_data {
	u8 b;
	__le16 w;
	__le32 l;
};

static u32 i40e_vf_mdev_reg_value(const union i40e_vf_mdev_reg_data *d,
				  unsigned int size)
{
	switch (size) {
	case 4:
		return le32_to_cpu(d->l);
	case 2:
		return le16_to_cpu(d->w);
	default:
		return d->b;
	}
}

/*
 * One naturally aligned MMIO access of 1, 2 or 4 bytes, through
 * vfio-pci-core's accessors, which check that memory decoding is enabled
 * and take and return the bytes in memory order.
 */
static int i40e_vf_mdev_mmio(struct vfio_pci_core_device *vdev,
			     void __iomem *addr, unsigned int size,
			     bool iswrite, union i40e_vf_mdev_reg_data *d)
{
	u32 raw32;
	u16 raw16;
	int ret;

	switch (size) {
	case 4:
		if (iswrite)
			return vfio_pci_core_iowrite32(vdev, true,
						       (__force u32)d->l, addr);
		ret = vfio_pci_core_ioread32(vdev, true, &raw32, addr);
		d->l = (__force __le32)raw32;
		return ret;
	case 2:
		if (iswrite)
			return vfio_pci_core_iowrite16(vdev, true,
						       (__force u16)d->w, addr);
		ret = vfio_pci_core_ioread16(vdev, true, &raw16, addr);
		d->w = (__force __le16)raw16;
		return ret;
	default:
		if (iswrite)
			return vfio_pci_core_iowrite8(vdev, true, d->b, addr);
		return vfio_pci_core_ioread8(vdev, true, &d->b, addr);
	}
}

/*
 * One trapped access.  The user's buffer is copied outside trap->lock:
 * mmap() takes trap->lock under mmap_lock, so a page fault in the copy
 * must not happen with trap->lock held.  The MMIO and the snoop happen
 * under it, so the shadow sees the writes in the order the VF does.
 */
static int i40e_vf_mdev_trap_access(struct i40e_vf_mdev_dev *idev,
				    void __iomem *io, char __user *buf,
				    u64 offset, unsigned int size, bool iswrite)
{
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	union i40e_vf_mdev_reg_data d = { };
	int ret;

	if (iswrite && copy_from_user(&d, buf, size))
		return -EFAULT;

	mutex_lock(&trap->lock);
	ret = i40e_vf_mdev_mmio(&idev->core_device, io + offset, size, iswrite,
				&d);
	if (!ret && iswrite) {
		u32 val = i40e_vf_mdev_reg_value(&d, size);

		i40e_vf_mdev_mbx_check(trap);
		i40e_vf_mdev_snoop_write(trap, offset, size, val);
		i40e_vf_mdev_dirty_reg_write(idev, offset, size, val,
					     &trap->mbx);
	}
	mutex_unlock(&trap->lock);
	/* the pins the write calls for, before the access returns */
	i40e_vf_mdev_dirty_sync(idev);
	trace_i40e_vf_mdev_trap_access(&idev->core_device.pdev->dev, offset,
				       size, iswrite,
				       i40e_vf_mdev_reg_value(&d, size), ret);

	if (!ret && !iswrite && copy_to_user(buf, &d, size))
		ret = -EFAULT;

	return ret;
}

/* A read or write within trapped pages, split into aligned accesses */
static ssize_t i40e_vf_mdev_trap_rw(struct i40e_vf_mdev_dev *idev,
				    char __user *buf, u64 offset, size_t count,
				    bool iswrite)
{
	void __iomem *io = idev->core_device.barmap[VFIO_PCI_BAR0_REGION_INDEX];
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	size_t done = 0;
	int ret = 0;

	/* Mapped at open, and read/write need the device open */
	if (WARN_ON_ONCE(!io))
		return -EIO;

	mutex_lock(&trap->lock);
	if (iswrite)
		trap->stats.writes++;
	else
		trap->stats.reads++;
	trap->stats.class[i40e_vf_mdev_page_class(offset)]++;
	mutex_unlock(&trap->lock);

	while (done < count) {
		unsigned int size;

		if (IS_ALIGNED(offset, 4) && count - done >= 4)
			size = 4;
		else if (IS_ALIGNED(offset, 2) && count - done >= 2)
			size = 2;
		else
			size = 1;

		ret = i40e_vf_mdev_trap_access(idev, io, buf + done, offset,
					       size, iswrite);
		if (ret)
			break;

		done += size;
		offset += size;
	}

	return done ? done : ret;
}

/**
 * i40e_vf_mdev_bar0_rw() - read(2)/write(2) of BAR0
 * @idev: the device
 * @buf: user buffer
 * @count: bytes to transfer
 * @ppos: file position: region index and offset, advanced by what was done
 * @iswrite: direction
 *
 * Splits the access into runs of trapped and untrapped pages; trapped runs
 * go through the trap, the others straight to vfio-pci-core.
 *
 * Return: bytes transferred, or a negative errno if none were.
 */
ssize_t i40e_vf_mdev_bar0_rw(struct i40e_vf_mdev_dev *idev, char __user *buf,
			     size_t count, loff_t *ppos, bool iswrite)
{
	struct vfio_device *core_vdev = &idev->core_device.vdev;
	struct i40e_vf_mdev_trap *trap = &idev->trap;
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u64 size = pci_resource_len(idev->core_device.pdev,
				    VFIO_PCI_BAR0_REGION_INDEX);
	size_t done = 0;
	ssize_t ret;

	if (pos >= size)
		return -EINVAL;
	count = min_t(u64, count, size - pos);

	while (done < count) {
		u64 offset = pos + done;
		unsigned long page = offset >> PAGE_SHIFT;
		size_t chunk = count - done;
		bool trapped = false;

		/* Up to the end of this run of (un)trapped pages */
		if (page < I40E_VF_MDEV_BAR0_PAGES) {
			unsigned long next;

			mutex_lock(&trap->lock);
			trapped = test_bit(page, trap->pages);
			if (trapped)
				next = find_next_zero_bit(trap->pages,
							  I40E_VF_MDEV_BAR0_PAGES,
							  page);
			else
				next = find_next_bit(trap->pages,
						     I40E_VF_MDEV_BAR0_PAGES,
						     page);
			mutex_unlock(&trap->lock);

			if (next < I40E_VF_MDEV_BAR0_PAGES)
				chunk = min_t(u64, chunk,
					      ((u64)next << PAGE_SHIFT) - offset);
		}

		if (trapped) {
			ret = i40e_vf_mdev_trap_rw(idev, buf + done, offset,
						   chunk, iswrite);
		} else {
			loff_t fpos = VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX) +
				      offset;

			mutex_lock(&trap->lock);
			trap->stats.untrapped++;
			mutex_unlock(&trap->lock);
			if (iswrite)
				ret = vfio_pci_core_write(core_vdev, buf + done,
							  chunk, &fpos);
			else
				ret = vfio_pci_core_read(core_vdev, buf + done,
							 chunk, &fpos);
		}

		if (ret < 0) {
			if (!done)
				return ret;
			break;
		}
		done += ret;
		if (ret < chunk)
			break;
	}

	*ppos += done;
	return done;
}
