// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the mdev side
 *
 * Creating an mdev registers a vfio-pci-core device on the VF's own struct
 * device, so that vfio-pci-core does config space, BARs, interrupts, reset,
 * PM and AER, and DMA stays isolated in the VF's own IOMMU group.  The mdev
 * is the identity and the lifecycle handle: the vfio device answers to the
 * mdev's UUID (vfio_ops.c), and the mdev's sysfs directory gets the links
 * that libvirt and QEMU look for.
 *
 * Locking, outermost first: the VF's device lock (PCI remove), the mdev
 * parent's unreg_sem, the mdev's device lock (mdev core), parent->lock.
 * Nothing here takes the VF's device lock: PCI remove holds it while it
 * waits in mdev_unregister_parent() for i40e_vf_mdev_remove().
 */

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/sysfs.h>

#include "i40e_vf_mdev.h"

/* How long creation waits for a VF reset that is in progress */
#define I40E_VF_MDEV_RESET_WAIT_MS	3000

static struct i40e_vf_mdev_parent *mdev_to_parent(struct mdev_device *mdev)
{
	return container_of(mdev->type, struct i40e_vf_mdev_parent, type);
}

/*
 * Refuse to create an mdev on a VF that cannot work: gone, in error
 * recovery, without i40e on its PF, without an IOMMU group, disabled by the
 * PF, or still in a VF reset after a short wait.  This is a snapshot: the
 * PF may still reset the VF later, which the VF's user (iavf in the guest)
 * handles as it does on bare metal.
 */
static int i40e_vf_mdev_check_ready(struct mdev_device *mdev,
				    struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);
	struct device *dev = mdev_dev(mdev);
	struct iommu_group *group;
	unsigned long timeout;
	void __iomem *io;
	u32 rstat;
	int ret;

	if (pci_channel_offline(pdev) || !pci_device_is_present(pdev)) {
		dev_err(dev, "VF %s does not respond\n", pci_name(pdev));
		return -ENODEV;
	}

	if (!i40e_vf_mdev_pf_driven(pf)) {
		dev_err(dev, "PF %s of VF %s is not driven by i40e\n",
			pci_name(pf), pci_name(pdev));
		return -ENODEV;
	}

	group = iommu_group_get(&pdev->dev);
	if (!group) {
		dev_err(dev,
			"VF %s is in no IOMMU group; enable the IOMMU (e.g. intel_iommu=on)\n",
			pci_name(pdev));
		return -ENODEV;
	}
	iommu_group_put(group);

	/*
	 * Memory decoding must be on for the read: a real VF decodes when
	 * its PF's VF MSE is set, but emulated VFs (QEMU 7.2's SR-IOV) go
	 * by the VF's own Command register, which nothing has set yet.
	 */
	ret = pci_enable_device_mem(pdev);
	if (ret) {
		dev_err(dev, "cannot enable VF %s: %d\n", pci_name(pdev), ret);
		return -ENODEV;
	}
	io = pci_iomap_range(pdev, 0, I40E_VFGEN_RSTAT, sizeof(u32));
	if (!io) {
		pci_disable_device(pdev);
		dev_err(dev, "cannot map BAR0 of VF %s\n", pci_name(pdev));
		return -ENODEV;
	}

	/*
	 * The last user's close reset the VF (FLR), and i40e finishes a VF
	 * reset from its service task: give it a moment, so that removing
	 * an mdev and creating it again right away works.
	 */
	timeout = jiffies + msecs_to_jiffies(I40E_VF_MDEV_RESET_WAIT_MS);
	for (;;) {
		rstat = ioread32(io);
		if (PCI_POSSIBLE_ERROR(rstat) ||
		    FIELD_GET(I40E_VFGEN_RSTAT_VFR_STATE, rstat) !=
		    I40E_VFR_INPROGRESS || time_after(jiffies, timeout))
			break;
		msleep(20);
	}
	pci_iounmap(pdev, io);
	pci_disable_device(pdev);

	if (PCI_POSSIBLE_ERROR(rstat)) {
		dev_err(dev,
			"VF %s registers read as all ones; is the VF disabled by PF %s?\n",
			pci_name(pdev), pci_name(pf));
		return -EIO;
	}

	switch (FIELD_GET(I40E_VFGEN_RSTAT_VFR_STATE, rstat)) {
	case I40E_VFR_COMPLETED:
	case I40E_VFR_VFACTIVE:
		return 0;
	default:
		dev_err(dev,
			"VF %s is being reset by PF %s (VFGEN_RSTAT %#x after %u ms); retry when the reset has completed\n",
			pci_name(pdev), pci_name(pf), rstat,
			I40E_VF_MDEV_RESET_WAIT_MS);
		return -EAGAIN;
	}
}

/*
 * The kobject behind the sysfs directory @name of @kobj, following @name
 * if it is a symlink; with a reference, or NULL.
 *
 * The mdev's directory needs links to two directories that belong to
 * other subsystems and whose kobjects are not reachable through any
 * exported interface: the VF's IOMMU group (struct iommu_group is private
 * to the IOMMU core) and the VF's "vfio-dev" class directory (a driver-core
 * glue directory).  The VF's own sysfs directory has both, so this looks
 * them up there.  sysfs keeps a directory's kobject in the kernfs node's
 * priv; the node and the kobject must point at each other, or we found
 * something else and give up cleanly.
 *
 * The callers guarantee that the target stays alive while they use it.
 * Upstream, the mdev core or the IOMMU core would offer this link (mdev
 * did, for IOMMU-backed mdevs, until Linux 5.16); the alternative of
 * treating the struct iommu_group from iommu_group_get() as a kobject (its
 * first member since Linux 3.5) depends on a private layout and is not used.
 */
static struct kobject *i40e_vf_mdev_sysfs_dir(struct kobject *kobj,
					      const char *name)
{
	struct kobject *target = NULL;
	struct kernfs_node *kn, *dir;

	kn = kernfs_find_and_get(kobj->sd, name);
	if (!kn)
		return NULL;

	dir = kernfs_type(kn) == KERNFS_LINK ? kn->symlink.target_kn : kn;
	if (dir && kernfs_type(dir) == KERNFS_DIR) {
		target = dir->priv;
		if (target && target->sd == dir)
			kobject_get(target);
		else
			target = NULL;
	}

	kernfs_put(kn);
	return target;
}

static int i40e_vf_mdev_link_iommu_group(struct i40e_vf_mdev_dev *idev)
{
	struct pci_dev *pdev = idev->core_device.pdev;
	struct device *dev = mdev_dev(idev->mdev);
	struct iommu_group *group;
	struct kobject *kobj;
	char id[12];
	int ret;

	group = iommu_group_get(&pdev->dev);
	if (!group)
		return -ENODEV;
	snprintf(id, sizeof(id), "%d", iommu_group_id(group));

	kobj = i40e_vf_mdev_sysfs_dir(&pdev->dev.kobj,
				      I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	if (!kobj || strcmp(kobject_name(kobj), id)) {
		dev_err(dev, "cannot find sysfs directory of IOMMU group %s\n",
			id);
		ret = -ENOENT;
		goto err_put;
	}

	ret = sysfs_create_link(&dev->kobj, kobj,
				I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	if (ret)
		goto err_put;

	kobject_put(kobj);
	idev->iommu_group = group;
	return 0;

err_put:
	kobject_put(kobj);
	iommu_group_put(group);
	return ret;
}

/*
 * QEMU's iommufd backend opens <sysfsdev>/vfio-dev/vfioX/dev.  The vfio
 * device sits on the VF, so its class directory is the VF's "vfio-dev";
 * link to it.  Without CONFIG_VFIO_DEVICE_CDEV there is no cdev to open
 * and no link.
 */
static int i40e_vf_mdev_link_vfio_dev(struct i40e_vf_mdev_dev *idev)
{
	struct pci_dev *pdev = idev->core_device.pdev;
	struct device *dev = mdev_dev(idev->mdev);
	struct kobject *kobj;
	int ret;

	if (!IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV))
		return 0;

	kobj = i40e_vf_mdev_sysfs_dir(&pdev->dev.kobj,
				      I40E_VF_MDEV_ATTR_VFIO_DEV);
	if (!kobj) {
		dev_err(dev, "cannot find the vfio-dev directory of VF %s\n",
			pci_name(pdev));
		return -ENOENT;
	}

	ret = sysfs_create_link(&dev->kobj, kobj, I40E_VF_MDEV_ATTR_VFIO_DEV);
	kobject_put(kobj);
	return ret;
}

static void i40e_vf_mdev_unlink(struct i40e_vf_mdev_dev *idev)
{
	struct kobject *kobj = &mdev_dev(idev->mdev)->kobj;

	if (IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV))
		sysfs_remove_link(kobj, I40E_VF_MDEV_ATTR_VFIO_DEV);
	sysfs_remove_link(kobj, I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	iommu_group_put(idev->iommu_group);
	idev->iommu_group = NULL;
}

/*
 * vfio_pci_core_unregister_device() without its first step.
 *
 * That step, vfio_pci_core_sriov_configure(vdev, 0), asserts that the
 * caller holds the PCI device lock.  PCI remove does, but removal through
 * the mdev's "remove" attribute does not and cannot take it: PCI remove
 * holds it while it waits for this path in mdev_unregister_parent().  For
 * a VF that step does nothing (a VF has no VFs), and so do the VF token
 * and VGA teardowns (PFs and VGA devices only); the rest is below.  It
 * waits until userspace has closed the device, asking it through the
 * device request IRQ to let go.
 */
static void i40e_vf_mdev_unregister_vfio(struct i40e_vf_mdev_dev *idev)
{
	struct vfio_pci_core_device *vdev = &idev->core_device;
	struct device *dev = &vdev->pdev->dev;

	vfio_unregister_group_dev(&vdev->vdev);

	if (!vdev->disable_idle_d3)
		pm_runtime_get_noresume(dev);
	pm_runtime_forbid(dev);
}

/**
 * i40e_vf_mdev_probe() - create the vfio device of a new mdev
 * @mdev: the mdev the administrator created on a VF
 *
 * Return: 0, or -EBUSY if the VF has an mdev already, or another negative
 * errno if the VF cannot be used; the error reaches the writer of the
 * type's ``create`` attribute and nothing is left behind.
 */
int i40e_vf_mdev_probe(struct mdev_device *mdev)
{
	struct i40e_vf_mdev_parent *parent = mdev_to_parent(mdev);
	struct pci_dev *pdev = parent->pdev;
	struct i40e_vf_mdev_dev *idev;
	int ret;

	mutex_lock(&parent->lock);

	if (parent->idev) {
		dev_err(mdev_dev(mdev), "VF %s already has mdev %s\n",
			pci_name(pdev), dev_name(mdev_dev(parent->idev->mdev)));
		ret = -EBUSY;
		goto out_unlock;
	}

	ret = i40e_vf_mdev_check_ready(mdev, pdev);
	if (ret)
		goto out_unlock;

	idev = vfio_alloc_device(i40e_vf_mdev_dev, core_device.vdev,
				 &pdev->dev, &i40e_vf_mdev_vfio_ops);
	if (IS_ERR(idev)) {
		ret = PTR_ERR(idev);
		goto out_unlock;
	}
	idev->mdev = mdev;
	idev->parent = parent;

	/* vfio-pci-core finds its device through the VF's drvdata */
	dev_set_drvdata(&pdev->dev, &idev->core_device);
	ret = vfio_pci_core_register_device(&idev->core_device);
	if (ret) {
		dev_err(mdev_dev(mdev), "cannot register VF %s with vfio: %d\n",
			pci_name(pdev), ret);
		goto err_put;
	}

	ret = i40e_vf_mdev_link_iommu_group(idev);
	if (ret)
		goto err_unregister;

	ret = i40e_vf_mdev_link_vfio_dev(idev);
	if (ret)
		goto err_unlink;

	i40e_vf_mdev_debugfs_add(idev);
	dev_set_drvdata(mdev_dev(mdev), idev);
	parent->idev = idev;
	mutex_unlock(&parent->lock);

	dev_info(mdev_dev(mdev), "created on VF %s\n", pci_name(pdev));
	return 0;

err_unlink:
	i40e_vf_mdev_unlink(idev);
err_unregister:
	i40e_vf_mdev_unregister_vfio(idev);
err_put:
	dev_set_drvdata(&pdev->dev, NULL);
	vfio_put_device(&idev->core_device.vdev);
out_unlock:
	mutex_unlock(&parent->lock);
	return ret;
}

/**
 * i40e_vf_mdev_remove() - tear down the vfio device of an mdev
 * @mdev: the mdev being removed
 *
 * Called when the mdev is removed through sysfs or mdevctl, and for every
 * mdev of the VF when the VF leaves the driver (unbind, SR-IOV disabled on
 * the PF, hot removal).  It waits for userspace to close the device: vfio
 * signals the device request IRQ (QEMU then unplugs the device from the
 * guest) every 10 seconds until it is closed.  The mdev stays busy, and a
 * new one cannot be created on the VF, until this has returned.
 */
void i40e_vf_mdev_remove(struct mdev_device *mdev)
{
	struct i40e_vf_mdev_dev *idev = dev_get_drvdata(mdev_dev(mdev));
	struct i40e_vf_mdev_parent *parent = idev->parent;

	i40e_vf_mdev_unlink(idev);
	i40e_vf_mdev_unregister_vfio(idev);
	i40e_vf_mdev_debugfs_remove(idev);

	mutex_lock(&parent->lock);
	parent->idev = NULL;
	dev_set_drvdata(&parent->pdev->dev, NULL);
	mutex_unlock(&parent->lock);

	vfio_put_device(&idev->core_device.vdev);
	dev_info(mdev_dev(mdev), "removed from VF %s\n", pci_name(parent->pdev));
}
