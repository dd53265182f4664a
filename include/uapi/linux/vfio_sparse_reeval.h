/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Proposed VFIO extension: capabilities in VFIO_DEVICE_GET_IRQ_INFO, and
 * an IRQ that asks userspace to re-evaluate the sparse mmap capability of
 * regions.
 *
 * Written as an addition to <linux/vfio.h>, which has neither yet; every
 * name is guarded so that this header keeps building once <linux/vfio.h>
 * defines them the same way.  i40e_vf_mdev implements the device side, the
 * project's QEMU patches and samples/i40e_vf_mdev_reeval.c the user side
 * (Documentation/reeval.rst).
 */
#ifndef _UAPI_LINUX_VFIO_SPARSE_REEVAL_H
#define _UAPI_LINUX_VFIO_SPARSE_REEVAL_H

#include <linux/types.h>
#include <linux/vfio.h>

/**
 * DOC: IRQ info capabilities
 *
 * ``struct vfio_irq_info`` grows the way ``struct vfio_region_info`` did:
 * a flag, ``VFIO_IRQ_INFO_FLAG_CAPS``, says that a capability chain
 * follows, and a new last member, ``cap_offset``, says where it starts
 * (from the start of the structure).  A user that passes the old argsz
 * (16 bytes) gets the old answer: ``VFIO_IRQ_INFO_FLAG_CAPS`` may be set,
 * and then it learns that capabilities exist but not what they are.  A user
 * that passes at least ``sizeof(struct vfio_irq_info_ext)`` gets, when the
 * chain does not fit, the argsz it needs in ``argsz`` and ``cap_offset``
 * 0; when it fits, the chain and its offset.  The chain is made of
 * ``struct vfio_info_cap_header``, as for regions and devices.
 */
#ifndef VFIO_IRQ_INFO_FLAG_CAPS
#define VFIO_IRQ_INFO_FLAG_CAPS		0x10	/* bit 4 */

/**
 * struct vfio_irq_info_ext - ``struct vfio_irq_info`` with capabilities
 * @argsz: as in &struct vfio_irq_info
 * @flags: as in &struct vfio_irq_info, plus ``VFIO_IRQ_INFO_FLAG_CAPS``
 * @index: as in &struct vfio_irq_info
 * @count: as in &struct vfio_irq_info
 * @cap_offset: offset of the first capability from the start of this
 *	structure, or 0 if none was copied (see the argsz rule above)
 * @__reserved: zero
 */
struct vfio_irq_info_ext {
	__u32	argsz;
	__u32	flags;
	__u32	index;
	__u32	count;
	__u32	cap_offset;
	__u32	__reserved;
};
#endif

#ifndef VFIO_IRQ_INFO_CAP_TYPE
/**
 * define VFIO_IRQ_INFO_CAP_TYPE - capability: what the IRQ is for
 *
 * Lets device-specific IRQ indexes (past the bus's own, e.g. from
 * ``VFIO_PCI_NUM_IRQS`` on) be found by what they do rather than by
 * number.  Followed by &struct vfio_irq_info_cap_type.
 */
#define VFIO_IRQ_INFO_CAP_TYPE		1

/**
 * struct vfio_irq_info_cap_type - the type of an IRQ
 * @header: ``id`` is ``VFIO_IRQ_INFO_CAP_TYPE``, ``version`` 1
 * @type: the IRQ's type, e.g. ``VFIO_IRQ_TYPE_REGION``
 * @subtype: its subtype within @type
 */
struct vfio_irq_info_cap_type {
	struct vfio_info_cap_header header;
	__u32	type;
	__u32	subtype;
};
#endif

#ifndef VFIO_IRQ_INFO_CAP_REGIONS
/**
 * define VFIO_IRQ_INFO_CAP_REGIONS - capability: regions an IRQ is about
 *
 * Followed by &struct vfio_irq_info_cap_regions.
 */
#define VFIO_IRQ_INFO_CAP_REGIONS	2

/**
 * struct vfio_irq_info_cap_regions - the regions an IRQ is about
 * @header: ``id`` is ``VFIO_IRQ_INFO_CAP_REGIONS``, ``version`` 1
 * @nr_regions: number of entries of @regions
 * @__reserved: zero
 * @regions: region indexes, as ``VFIO_DEVICE_GET_REGION_INFO`` takes them
 */
struct vfio_irq_info_cap_regions {
	struct vfio_info_cap_header header;
	__u32	nr_regions;
	__u32	__reserved;
	__u32	regions[];
};
#endif

#ifndef VFIO_IRQ_TYPE_REGION
/* IRQs about the device's regions */
#define VFIO_IRQ_TYPE_REGION			1
/* Re-evaluate the sparse mmap capability of the regions */
#define VFIO_IRQ_SUBTYPE_REGION_SPARSE_MMAP	1
#endif

/**
 * DOC: sparse mmap re-evaluation IRQ
 *
 * A device whose mmap()able areas change at run time offers an IRQ with a
 * ``VFIO_IRQ_INFO_CAP_TYPE`` of type ``VFIO_IRQ_TYPE_REGION``, subtype
 * ``VFIO_IRQ_SUBTYPE_REGION_SPARSE_MMAP``, and a
 * ``VFIO_IRQ_INFO_CAP_REGIONS`` that lists the regions it covers.  Its
 * info has ``VFIO_IRQ_INFO_EVENTFD``, ``VFIO_IRQ_INFO_NORESIZE`` and a
 * ``count`` of 1.  A user finds it by calling ``VFIO_DEVICE_GET_IRQ_INFO``
 * for every index below ``num_irqs`` of ``VFIO_DEVICE_GET_INFO`` past the
 * bus's own.
 *
 * **Enabling.**  ``VFIO_DEVICE_SET_IRQS`` with ``VFIO_IRQ_SET_ACTION_TRIGGER
 * | VFIO_IRQ_SET_DATA_EVENTFD``, start 0, count 1 and an eventfd registers
 * the user as a consumer; an fd of -1, or ``VFIO_IRQ_SET_DATA_NONE`` with
 * count 0, unregisters it.  ``VFIO_IRQ_SET_DATA_NONE`` (count 1) or
 * ``VFIO_IRQ_SET_DATA_BOOL`` true signal the eventfd, for tests.  Closing
 * the device unregisters.  ``VFIO_IRQ_SET_ACTION_MASK`` and ``_UNMASK``
 * are not supported.
 *
 * **Signalled.**  Each time the sparse mmap capability of a covered region
 * changes, the eventfd is signalled: at once on registration if a
 * consumer may map more than before, whenever areas come or go after
 * that, and again whenever the device needs back a page that the user
 * still maps.  Signals coalesce (eventfd semantics); the user must act on
 * the capability as it reads it, not count signals.
 *
 * **What the user must do.**  Read ``VFIO_DEVICE_GET_REGION_INFO`` of each
 * covered region again and make its mappings match the sparse areas it
 * reads: munmap() every mapping of a page that left the areas (accesses go
 * through read()/write() of the device fd instead), remove any IOMMU
 * mapping it made of such a page through its CPU mapping (the device
 * cannot see those), and mmap() new areas if it wants.  A VMM takes a
 * mapping out of the guest's view (and its DMA mappings) before it
 * munmap()s it, so that guest accesses are sent to read()/write()
 * and none meets a hole.
 *
 * **The device's side.**  Pages leave the areas when the device needs to
 * see the accesses to them (for example while dirty tracking runs).  The
 * device does not take a page away from a mapping: it waits, within a
 * bound, for the user to munmap() it.  The operation that needed the page
 * (for example ``VFIO_DEVICE_FEATURE_DMA_LOGGING_START`` or the arc to
 * ``VFIO_DEVICE_STATE_PRE_COPY``) fails with ``EAGAIN`` past that bound,
 * and nothing is started.  The areas stay without the page, so that a
 * user who could not answer the signal while it made the call (because
 * its handler needs a lock the caller holds) can re-evaluate and retry.
 * Such a user can also avoid the wait altogether: it may munmap() every
 * mapping of the covered regions before it starts tracking, and map what
 * the areas then say once tracking has started.
 * A user that is not registered cannot be told: pages it may need to
 * give back are never in its areas in the first place.
 */

#endif /* _UAPI_LINUX_VFIO_SPARSE_REEVAL_H */
