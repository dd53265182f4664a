/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * i40e_vf_mdev: VFIO mediated device for Intel(R) Ethernet 700 Series VFs
 *
 * What userspace (mdevctl, libvirt, QEMU, management tools, tests) may rely
 * on.  The device itself speaks the standard VFIO PCI uAPI of
 * <linux/vfio.h>; this header only names the things that are specific to
 * this driver.
 */
#ifndef _UAPI_LINUX_I40E_VF_MDEV_H
#define _UAPI_LINUX_I40E_VF_MDEV_H

#include <linux/types.h>

/**
 * DOC: mdev type
 *
 * A VF bound to the ``i40e_vf_mdev`` PCI driver is an mdev parent with
 * exactly one mdev type.  Its directory is
 * ``/sys/bus/pci/devices/<VF>/mdev_supported_types/i40e_vf_mdev-vf/``, the
 * same name on every VF of every host, so that migration source and
 * destination always have the same type.  The type directory has the
 * standard mdev attributes: ``name``, ``description``, ``device_api``
 * (always ``vfio-pci``), ``available_instances`` (1 while the VF has no
 * mdev and can take one, otherwise 0) and ``create``.
 */

/**
 * I40E_VF_MDEV_DRIVER_NAME - name of the PCI driver a VF is bound to
 */
#define I40E_VF_MDEV_DRIVER_NAME	"i40e_vf_mdev"
/**
 * I40E_VF_MDEV_TYPE_SYSFS_NAME - the type's name within the driver
 */
#define I40E_VF_MDEV_TYPE_SYSFS_NAME	"vf"
/**
 * I40E_VF_MDEV_TYPE_NAME - the mdev type as mdevctl, libvirt and sysfs
 * spell it: "<driver>-<type>"
 */
#define I40E_VF_MDEV_TYPE_NAME		"i40e_vf_mdev-vf"
/**
 * I40E_VF_MDEV_DEVICE_API - content of the type's device_api attribute
 */
#define I40E_VF_MDEV_DEVICE_API		"vfio-pci"
/**
 * I40E_VF_MDEV_MAX_INSTANCES - mdevs per VF
 */
#define I40E_VF_MDEV_MAX_INSTANCES	1

/**
 * DOC: mdev device directory
 *
 * Besides the attributes every mdev has (``remove``, ``mdev_type``), the
 * directory ``/sys/bus/mdev/devices/<UUID>/`` of an i40e_vf_mdev device
 * carries:
 *
 * ``iommu_group``
 *	symlink to ``/sys/kernel/iommu_groups/<N>``, the IOMMU group of the
 *	VF.  The device is opened through ``/dev/vfio/<N>`` with
 *	``VFIO_GROUP_GET_DEVICE_FD`` and the mdev's UUID as the name; the VF's
 *	PCI name is refused while the VF is an mdev parent.
 *
 * ``vfio-dev``
 *	only on kernels with ``CONFIG_VFIO_DEVICE_CDEV``: symlink to the
 *	directory holding the device's ``vfioX`` entry, whose ``dev``
 *	attribute names ``/dev/vfio/devices/vfioX`` (QEMU's iommufd backend
 *	looks for ``<sysfsdev>/vfio-dev/vfio*``).
 */

/**
 * I40E_VF_MDEV_ATTR_IOMMU_GROUP - IOMMU group link in the mdev directory
 */
#define I40E_VF_MDEV_ATTR_IOMMU_GROUP	"iommu_group"
/**
 * I40E_VF_MDEV_ATTR_VFIO_DEV - vfio cdev directory link (iommufd path)
 */
#define I40E_VF_MDEV_ATTR_VFIO_DEV	"vfio-dev"

/**
 * DOC: BAR0
 *
 * BAR0 (``VFIO_PCI_BAR0_REGION_INDEX``) is the VF's 64 KiB register space.
 * ``VFIO_DEVICE_GET_REGION_INFO`` reports it with a
 * ``VFIO_REGION_INFO_CAP_SPARSE_MMAP`` capability: the areas listed there
 * may be mmap()ed, every other page of BAR0 is trapped and must be accessed
 * with pread()/pwrite() on the device fd (mmap() of a trapped page fails
 * with ``EINVAL``).  The mailbox page(s) between
 * %I40E_VF_MDEV_BAR0_MBX_START and %I40E_VF_MDEV_BAR0_MBX_END are always
 * trapped.  Userspace must take the set of trapped pages from the sparse
 * mmap capability, never from these constants: later versions trap other
 * pages too.  ``VFIO_DEVICE_IOEVENTFD`` is not supported (``ENOTTY``): it
 * would let writes bypass the trap.
 */

/**
 * I40E_VF_MDEV_BAR0_SIZE - size of a 700-series VF's BAR0
 */
#define I40E_VF_MDEV_BAR0_SIZE		0x10000
/**
 * I40E_VF_MDEV_BAR0_MBX_START - first byte of the trapped mailbox pages
 */
#define I40E_VF_MDEV_BAR0_MBX_START	0x6000
/**
 * I40E_VF_MDEV_BAR0_MBX_END - end (exclusive) of the mailbox pages
 */
#define I40E_VF_MDEV_BAR0_MBX_END	0x9000

/* Migration: v1 region (removed from linux/vfio.h in 6.x) */

/**
 * DOC: migration protocol v1 region
 *
 * QEMU 5.2 to 7.2 (``-device vfio-pci,...,x-enable-migration=on``) migrate
 * a device through a device-specific region found by its
 * ``VFIO_REGION_INFO_CAP_TYPE``: type %I40E_VF_MDEV_REGION_TYPE_MIGRATION_V1,
 * subtype %I40E_VF_MDEV_REGION_SUBTYPE_MIGRATION_V1. The region starts with
 * &struct i40e_vf_mdev_migration_info, followed by a data section at
 * ``data_offset``.
 *
 * Linux 6.0 removed the kernel side of this protocol and its documentation;
 * 6.12's <linux/vfio.h> still declares the layout as ``struct
 * vfio_device_migration_info`` with ``VFIO_DEVICE_STATE_V1_*``, but nothing
 * in the kernel implements it. The definitions below are this driver's, with
 * the same values and layout, under names that cannot clash with that
 * header. Documentation/migration.rst describes the protocol as this driver
 * implements it.
 */
#define I40E_VF_MDEV_REGION_TYPE_MIGRATION_V1		3
#define I40E_VF_MDEV_REGION_SUBTYPE_MIGRATION_V1	1

/* device_state bits (same values as VFIO_DEVICE_STATE_V1_*) */
#define I40E_VF_MDEV_V1_STATE_STOP	0
#define I40E_VF_MDEV_V1_STATE_RUNNING	(1 << 0)
#define I40E_VF_MDEV_V1_STATE_SAVING	(1 << 1)
#define I40E_VF_MDEV_V1_STATE_RESUMING	(1 << 2)
#define I40E_VF_MDEV_V1_STATE_MASK	(I40E_VF_MDEV_V1_STATE_RUNNING | \
					 I40E_VF_MDEV_V1_STATE_SAVING | \
					 I40E_VF_MDEV_V1_STATE_RESUMING)
/* Read-only: the device failed a transition and must be reset. */
#define I40E_VF_MDEV_V1_STATE_ERROR	(I40E_VF_MDEV_V1_STATE_SAVING | \
					 I40E_VF_MDEV_V1_STATE_RESUMING)

/**
 * struct i40e_vf_mdev_migration_info - header of the v1 migration region
 * @device_state: I40E_VF_MDEV_V1_STATE_* bits; write to change state
 *	(bits 3-31 are reserved and must be 0)
 * @reserved: reads 0, writes ignored
 * @pending_bytes: read-only; while saving, bytes of the stream not yet
 *	collected; reading it also acknowledges the previous chunk
 * @data_offset: read-only; offset of the data section in the region;
 *	reading it while saving makes the next chunk available there
 * @data_size: while saving, read the size of the current chunk; while
 *	resuming, write the size of the chunk just written at data_offset
 *
 * Same layout as the legacy ``struct vfio_device_migration_info``.
 */
struct i40e_vf_mdev_migration_info {
	__u32 device_state;
	__u32 reserved;
	__aligned_u64 pending_bytes;
	__aligned_u64 data_offset;
	__aligned_u64 data_size;
};

#endif /* _UAPI_LINUX_I40E_VF_MDEV_H */
