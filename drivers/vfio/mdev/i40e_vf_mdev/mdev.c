// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: the mdev side
 *
 * The vfio device of a VF exists for as long as the VF is bound to the
 * driver (main.c registers it with vfio-pci-core).  The mdev is only the
 * identity and the lifecycle handle: creating it attaches it to that vfio
 * device, which from then on answers to the mdev's UUID and can be opened;
 * removing it detaches it again, after the user has closed the device.
 * The mdev's sysfs directory gets the links that libvirt and QEMU look for.
 *
 * Locking, outermost first: the VF's device lock (PCI remove), the mdev
 * parent's unreg_sem, the mdev's device lock (mdev core), the vfio device
 * set's lock (vfio core, around open_device and close_device), and
 * parent->lock, which is innermost and never held while waiting for
 * anything: the AER callbacks and sysfs reads such as available_instances
 * never wait for a user.
 */

#include <linux/iommu.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <kunit/visibility.h>

#include "i40e_vf_mdev.h"

/* How often removal repeats its request to a user that keeps the device */
#define I40E_VF_MDEV_REQUEST_INTERVAL	(10 * HZ)

static struct i40e_vf_mdev_parent *mdev_to_parent(struct mdev_device *mdev)
{
	return container_of(mdev->type, struct i40e_vf_mdev_parent, type);
}

/*
 * Refuse to create an mdev on a VF that cannot work: gone, in error
 * recovery, or without i40e on its PF.  Nothing here reads the VF's
 * registers or waits for a VF reset: a VF reset in progress (e.g. the one
 * vfio-pci-core made when the previous user closed the device) is what
 * the VF's user, iavf in the guest, waits for through VFGEN_RSTAT as it
 * does on bare metal, and vfio-pci-core resets the VF again at open.
 */
static int i40e_vf_mdev_check_ready(struct mdev_device *mdev,
				    struct pci_dev *pdev)
{
	struct pci_dev *pf = pci_physfn(pdev);
	struct device *dev = mdev_dev(mdev);

	if (pci_channel_offline(pdev) || !pci_device_is_present(pdev)) {
		dev_err(dev, "VF %s does not respond\n", pci_name(pdev));
		return -ENODEV;
	}

	if (!i40e_vf_mdev_pf_driven(pdev)) {
		dev_err(dev, "PF %s of VF %s is not driven by i40e\n",
			pci_name(pf), pci_name(pdev));
		return -ENODEV;
	}

	return 0;
}

/**
 * i40e_vf_mdev_group_kobj() - the kobject of a device's IOMMU group directory
 * @dev: the device, whose "iommu_group" link the IOMMU core made
 * @group_id: the id of the device's group, as iommu_group_id() gives it
 *
 * The IOMMU core offers no way to link to a group's directory: struct
 * iommu_group and its kobject are private to it.  (The mdev core did this
 * for IOMMU-backed mdevs until Linux 5.16.)  So this follows the device's
 * own "iommu_group" link and takes the kobject sysfs keeps in the
 * directory's kernfs node, and it verifies everything it found against
 * what the IOMMU core says: the link is a symbolic link, its target is the
 * directory /sys/kernel/iommu_groups/<@group_id>, and that directory is
 * the one of the kobject found there.  This is the one place that knows
 * how sysfs stores kobjects; an IOMMU core helper would replace it.
 *
 * Context: process; takes kernfs locks.
 * Return: the kobject, with a reference, or ERR_PTR(-ENOENT) if anything
 * does not verify; the caller then refuses to create the mdev.
 */
VISIBLE_IF_KUNIT struct kobject *i40e_vf_mdev_group_kobj(struct device *dev,
							 int group_id)
{
	char want[32], path[64];
	struct kernfs_node *kn, *dir;
	struct kobject *kobj = NULL;
	int len;

	snprintf(want, sizeof(want), "/iommu_groups/%d", group_id);

	kn = kernfs_find_and_get(dev->kobj.sd, I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	if (!kn)
		return ERR_PTR(-ENOENT);

	if (kernfs_type(kn) != KERNFS_LINK)
		goto out_put;
	dir = kn->symlink.target_kn;
	if (!dir || kernfs_type(dir) != KERNFS_DIR)
		goto out_put;

	len = kernfs_path_from_node(dir, kernel_kobj->sd, path, sizeof(path));
	if (len < 0 || len >= sizeof(path) || strcmp(path, want))
		goto out_put;

	kobj = dir->priv;
	if (kobj && kobj->sd == dir)
		kobject_get(kobj);
	else
		kobj = NULL;

out_put:
	kernfs_put(kn);
	return kobj ?: ERR_PTR(-ENOENT);
}
EXPORT_SYMBOL_IF_KUNIT(i40e_vf_mdev_group_kobj);

static int i40e_vf_mdev_link_iommu_group(struct i40e_vf_mdev_dev *idev,
					 struct mdev_device *mdev)
{
	struct pci_dev *pdev = idev->core_device.pdev;
	struct device *dev = mdev_dev(mdev);
	struct iommu_group *group;
	struct kobject *kobj;
	int ret;

	group = iommu_group_get(&pdev->dev);
	if (!group) {
		dev_err(dev, "VF %s is in no IOMMU group\n", pci_name(pdev));
		return -ENODEV;
	}

	kobj = i40e_vf_mdev_group_kobj(&pdev->dev, iommu_group_id(group));
	if (IS_ERR(kobj)) {
		dev_err(dev,
			"cannot verify the sysfs directory of IOMMU group %d of VF %s; not creating the mdev\n",
			iommu_group_id(group), pci_name(pdev));
		ret = PTR_ERR(kobj);
		goto err_put;
	}

	ret = sysfs_create_link(&dev->kobj, kobj,
				I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	kobject_put(kobj);
	if (ret)
		goto err_put;

	idev->iommu_group = group;
	return 0;

err_put:
	iommu_group_put(group);
	return ret;
}

/*
 * QEMU's iommufd backend opens <sysfsdev>/vfio-dev/vfioX/dev.  The vfio
 * device sits on the VF, so its class directory is the VF's "vfio-dev",
 * the parent of the vfio device's own kobject; link to it.  Without
 * CONFIG_VFIO_DEVICE_CDEV there is no cdev to open and no link.
 */
static int i40e_vf_mdev_link_vfio_dev(struct i40e_vf_mdev_dev *idev,
				      struct mdev_device *mdev)
{
	struct kobject *kobj = idev->core_device.vdev.device.kobj.parent;

	if (!IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV))
		return 0;

	return sysfs_create_link(&mdev_dev(mdev)->kobj, kobj,
				 I40E_VF_MDEV_ATTR_VFIO_DEV);
}

static void i40e_vf_mdev_unlink(struct i40e_vf_mdev_dev *idev,
				struct mdev_device *mdev)
{
	struct kobject *kobj = &mdev_dev(mdev)->kobj;

	if (IS_ENABLED(CONFIG_VFIO_DEVICE_CDEV))
		sysfs_remove_link(kobj, I40E_VF_MDEV_ATTR_VFIO_DEV);
	sysfs_remove_link(kobj, I40E_VF_MDEV_ATTR_IOMMU_GROUP);
	iommu_group_put(idev->iommu_group);
	idev->iommu_group = NULL;
}

/**
 * i40e_vf_mdev_probe() - attach a new mdev to its VF's vfio device
 * @mdev: the mdev the administrator created on a VF
 *
 * The VF's vfio device answers to the mdev's UUID, and can be opened, only
 * once the mdev's sysfs links exist.
 *
 * Return: 0, or -EBUSY if the VF has an mdev already (also while one is
 * being removed), or another negative errno if the VF cannot be used; the
 * error reaches the writer of the type's ``create`` attribute and nothing
 * is left behind.
 */
int i40e_vf_mdev_probe(struct mdev_device *mdev)
{
	struct i40e_vf_mdev_parent *parent = mdev_to_parent(mdev);
	struct i40e_vf_mdev_dev *idev = parent->idev;
	struct pci_dev *pdev = parent->pdev;
	int ret;

	/* Claim the VF; it is not openable yet */
	mutex_lock(&parent->lock);
	if (parent->mdev) {
		dev_err(mdev_dev(mdev), "VF %s already has mdev %s%s\n",
			pci_name(pdev), dev_name(mdev_dev(parent->mdev)),
			parent->attached ? "" : ", still being created or removed");
		mutex_unlock(&parent->lock);
		return -EBUSY;
	}
	parent->mdev = mdev;
	mutex_unlock(&parent->lock);

	ret = i40e_vf_mdev_check_ready(mdev, pdev);
	if (ret)
		goto err_release;

	ret = i40e_vf_mdev_link_iommu_group(idev, mdev);
	if (ret)
		goto err_release;

	ret = i40e_vf_mdev_link_vfio_dev(idev, mdev);
	if (ret) {
		dev_err(mdev_dev(mdev),
			"cannot link to the vfio-dev directory of VF %s: %d\n",
			pci_name(pdev), ret);
		goto err_unlink;
	}

	idev->mdev = mdev;
	i40e_vf_mdev_debugfs_add(idev);
	dev_set_drvdata(mdev_dev(mdev), idev);

	/* From here on, match accepts the UUID and open_device succeeds */
	mutex_lock(&parent->lock);
	parent->attached = true;
	mutex_unlock(&parent->lock);

	dev_info(mdev_dev(mdev), "created on VF %s\n", pci_name(pdev));
	return 0;

err_unlink:
	i40e_vf_mdev_unlink(idev, mdev);
err_release:
	mutex_lock(&parent->lock);
	parent->mdev = NULL;
	mutex_unlock(&parent->lock);
	return ret;
}

/*
 * Wait until the user has closed the vfio device, asking it to through the
 * device request IRQ every 10 seconds, as vfio_unregister_group_dev()
 * does; after a signal, wait on uninterruptibly, as it does.  No lock of
 * ours is held: the AER callbacks, available_instances and opens (which
 * fail) go on meanwhile.
 */
static void i40e_vf_mdev_wait_closed(struct i40e_vf_mdev_parent *parent)
{
	struct vfio_device *vdev = &parent->idev->core_device.vdev;
	bool interrupted = false;
	unsigned int count = 0;
	long rc;

	while (READ_ONCE(parent->opened)) {
		vdev->ops->request(vdev, count++);

		if (interrupted) {
			wait_event_timeout(parent->close_wait,
					   !READ_ONCE(parent->opened),
					   I40E_VF_MDEV_REQUEST_INTERVAL);
			continue;
		}
		rc = wait_event_interruptible_timeout(parent->close_wait,
						      !READ_ONCE(parent->opened),
						      I40E_VF_MDEV_REQUEST_INTERVAL);
		if (rc < 0) {
			interrupted = true;
			dev_warn(mdev_dev(parent->mdev),
				 "device in use, task \"%s\" (%d) blocked until it is closed\n",
				 current->comm, task_pid_nr(current));
		}
	}
}

/**
 * i40e_vf_mdev_remove() - detach an mdev from its VF's vfio device
 * @mdev: the mdev being removed
 *
 * Called when the mdev is removed through sysfs or mdevctl, and for every
 * mdev of the VF when the VF leaves the driver (unbind, SR-IOV disabled on
 * the PF, hot removal).  From its start the device can no longer be
 * opened; if it is open, this waits for the user to close it, signalling
 * the device request IRQ (QEMU then unplugs the device from the guest)
 * every 10 seconds.  A new mdev cannot be created on the VF (-EBUSY) until
 * this has returned.
 */
void i40e_vf_mdev_remove(struct mdev_device *mdev)
{
	struct i40e_vf_mdev_dev *idev = dev_get_drvdata(mdev_dev(mdev));
	struct i40e_vf_mdev_parent *parent = idev->parent;

	mutex_lock(&parent->lock);
	parent->attached = false;
	mutex_unlock(&parent->lock);

	i40e_vf_mdev_wait_closed(parent);

	i40e_vf_mdev_debugfs_remove(idev);
	i40e_vf_mdev_unlink(idev, mdev);
	dev_set_drvdata(mdev_dev(mdev), NULL);

	mutex_lock(&parent->lock);
	idev->mdev = NULL;
	parent->mdev = NULL;
	/* the operator's choice was the mdev's: the next one starts on */
	i40e_vf_mdev_mig_offer(idev, true);
	mutex_unlock(&parent->lock);

	dev_info(mdev_dev(mdev), "removed from VF %s\n", pci_name(parent->pdev));
}

/*
 * The mdev's "migration" attribute: the operator's choice between a
 * migratable device and plain passthrough (Documentation/admin-guide.rst),
 * which mdevctl sets at creation ("--addattr migration=off").  It is
 * changed only while the device is closed, and goes back to "on" with the
 * mdev.
 */
static ssize_t migration_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct i40e_vf_mdev_dev *idev = dev_get_drvdata(dev);

	if (!idev->mig)
		return sysfs_emit(buf, "unsupported\n");
	return sysfs_emit(buf, "%s\n",
			  i40e_vf_mdev_mig_offered(idev) ? "on" : "off");
}

static ssize_t migration_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct i40e_vf_mdev_dev *idev = dev_get_drvdata(dev);
	struct i40e_vf_mdev_parent *parent = idev->parent;
	bool on;
	int ret;

	ret = kstrtobool(buf, &on);
	if (ret)
		return ret;

	mutex_lock(&parent->lock);
	if (parent->opened) {
		dev_info_ratelimited(dev, "migration can only be turned on or off while the device is closed\n");
		ret = -EBUSY;
	} else {
		ret = i40e_vf_mdev_mig_offer(idev, on);
	}
	mutex_unlock(&parent->lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(migration);

static struct attribute *i40e_vf_mdev_mdev_attrs[] = {
	&dev_attr_migration.attr,
	NULL,
};

static const struct attribute_group i40e_vf_mdev_mdev_group = {
	.attrs = i40e_vf_mdev_mdev_attrs,
};

/* The mdev's own attributes, for the mdev driver (main.c) */
const struct attribute_group *i40e_vf_mdev_mdev_groups[] = {
	&i40e_vf_mdev_mdev_group,
	NULL,
};

/**
 * i40e_vf_mdev_open_begin() - may the VF's vfio device be opened?
 * @idev: the device; called from its open_device callback
 *
 * Return: 0 if an mdev is attached, and the device then counts as open
 * (removal waits for i40e_vf_mdev_open_end()); -ENODEV otherwise.
 */
int i40e_vf_mdev_open_begin(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_parent *parent = idev->parent;
	int ret = -ENODEV;

	mutex_lock(&parent->lock);
	if (parent->attached) {
		WRITE_ONCE(parent->opened, true);
		ret = 0;
	}
	mutex_unlock(&parent->lock);
	return ret;
}

/**
 * i40e_vf_mdev_open_end() - the VF's vfio device is closed
 * @idev: the device; called at the end of its close_device callback, or
 *	when its open_device callback fails after i40e_vf_mdev_open_begin()
 */
void i40e_vf_mdev_open_end(struct i40e_vf_mdev_dev *idev)
{
	struct i40e_vf_mdev_parent *parent = idev->parent;

	mutex_lock(&parent->lock);
	WRITE_ONCE(parent->opened, false);
	mutex_unlock(&parent->lock);
	wake_up(&parent->close_wait);
}

/**
 * i40e_vf_mdev_match_name() - whether a name opens the VF's vfio device
 * @idev: the device
 * @name: what the user asked VFIO_GROUP_GET_DEVICE_FD for
 *
 * Return: true if @name is the UUID of the attached mdev.  The VF's PCI
 * name never matches, so the group cannot open the VF around the mdev.
 */
bool i40e_vf_mdev_match_name(struct i40e_vf_mdev_dev *idev, const char *name)
{
	struct i40e_vf_mdev_parent *parent = idev->parent;
	const char *vf = pci_name(parent->pdev);
	bool match = false;

	mutex_lock(&parent->lock);
	if (parent->attached) {
		match = !strcmp(name, dev_name(mdev_dev(parent->mdev)));
		if (!match && !strncmp(name, vf, strlen(vf)))
			dev_info_ratelimited(&parent->pdev->dev,
					     "VF %s can only be opened as mdev %s\n",
					     vf, dev_name(mdev_dev(parent->mdev)));
	}
	mutex_unlock(&parent->lock);
	return match;
}
