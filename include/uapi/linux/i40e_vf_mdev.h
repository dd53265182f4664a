/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * i40e_vf_mdev: VFIO mediated device for Intel(R) Ethernet 700 Series VFs
 *
 * What userspace (mdevctl, libvirt, QEMU, management tools, tests) may rely
 * on.  The device speaks the standard VFIO PCI uAPI of <linux/vfio.h>,
 * which defines every name it uses; this header documents how this driver
 * uses that uAPI and defines nothing of its own.
 */
#ifndef _UAPI_LINUX_I40E_VF_MDEV_H
#define _UAPI_LINUX_I40E_VF_MDEV_H

/**
 * DOC: sysfs
 *
 * The driver's sysfs files (the PCI driver, its one mdev type
 * ``i40e_vf_mdev-vf`` and the mdev device directory) are described in
 * Documentation/ABI/testing/sysfs-driver-i40e_vf_mdev.  Their names are
 * not defined here: sysfs paths are not part of the C uAPI.
 */

/**
 * DOC: BAR0
 *
 * BAR0 (``VFIO_PCI_BAR0_REGION_INDEX``) is the VF's 64 KiB register space.
 * ``VFIO_DEVICE_GET_REGION_INFO`` reports it with a
 * ``VFIO_REGION_INFO_CAP_SPARSE_MMAP`` capability: the areas listed there
 * may be mmap()ed, every other page of BAR0 is trapped and must be accessed
 * with pread()/pwrite() on the device fd (mmap() of a trapped page fails
 * with ``EINVAL``).  The pages that hold the mailbox are always trapped.
 * Userspace must take the set of trapped pages from the sparse mmap
 * capability: later versions trap other pages too.
 * ``VFIO_DEVICE_IOEVENTFD`` is not supported (``ENOTTY``): it would let
 * writes bypass the trap.
 */

/**
 * DOC: migration protocol v1 region
 *
 * QEMU 5.2 to 7.2 (``-device vfio-pci,...,x-enable-migration=on``) migrate
 * a device through a device-specific region found by its
 * ``VFIO_REGION_INFO_CAP_TYPE``: type
 * ``VFIO_REGION_TYPE_MIGRATION_DEPRECATED``, subtype
 * ``VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED``.  The region starts with
 * ``struct vfio_device_migration_info`` (``device_state`` takes
 * ``VFIO_DEVICE_STATE_V1_*``), followed by a data section at
 * ``data_offset``; all of it is declared in <linux/vfio.h>.
 *
 * Linux 6.0 removed the kernel side of this protocol and its documentation;
 * this driver implements it as Documentation/migration.rst describes.  The
 * v2 protocol (``VFIO_DEVICE_FEATURE_MIGRATION``) is offered as well.
 */

#endif /* _UAPI_LINUX_I40E_VF_MDEV_H */
