// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: VFIO mediated device for Intel(R) Ethernet 700 Series VFs
 *
 * The PCI side.  The driver binds to a VF only when an administrator asks
 * for it (driver_override, driverctl or new_id): its ID table entries are
 * "override only", so it never takes a VF away from iavf on its own.  Each
 * bound VF gets its vfio-pci-core device, registered from PCI probe to PCI
 * remove, and becomes an mdev parent offering one type; creating an mdev
 * of that type (mdev.c) lets userspace open that device, i.e. the whole VF.
 */

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "i40e_vf_mdev.h"

#define I40E_VF_MDEV_DESC "VFIO mediated device for Intel(R) Ethernet 700 Series VFs"

/*
 * Parents of VFs that left the driver, freed when the module is unloaded;
 * see i40e_vf_mdev_pci_remove().
 */
static LIST_HEAD(i40e_vf_mdev_retired);
static DEFINE_MUTEX(i40e_vf_mdev_retired_lock);

/* The BAR0 layout (sparse mmap areas, trapped pages) assumes 4 KiB pages */
static_assert(PAGE_SIZE == SZ_4K, "i40e_vf_mdev needs 4 KiB pages");

/* The 700-series PFs (i40e_devids.h) whose VFs this driver knows */
static const struct pci_device_id i40e_vf_mdev_pf_ids[] = {
	{ PCI_VDEVICE(INTEL, 0x0CF8) },	/* X710 N3000 */
	{ PCI_VDEVICE(INTEL, 0x0D58) },	/* XXV710 N3000 */
	{ PCI_VDEVICE(INTEL, 0x0DD2) },	/* X710 1G BASE-T BC */
	{ PCI_VDEVICE(INTEL, 0x0DDA) },	/* X722 SFP A */
	{ PCI_VDEVICE(INTEL, 0x101F) },	/* X710 5G BASE-T BC */
	{ PCI_VDEVICE(INTEL, 0x104E) },	/* X710 10G SFP */
	{ PCI_VDEVICE(INTEL, 0x104F) },	/* X710 10G backplane */
	{ PCI_VDEVICE(INTEL, 0x1572) },	/* X710 SFP+ */
	{ PCI_VDEVICE(INTEL, 0x1574) },	/* XL710 emulated */
	{ PCI_VDEVICE(INTEL, 0x1580) },	/* XL710 KX B */
	{ PCI_VDEVICE(INTEL, 0x1581) },	/* X710 KX C */
	{ PCI_VDEVICE(INTEL, 0x1583) },	/* XL710 QSFP+ A */
	{ PCI_VDEVICE(INTEL, 0x1584) },	/* XL710 QSFP+ B */
	{ PCI_VDEVICE(INTEL, 0x1585) },	/* XL710 QSFP+ C */
	{ PCI_VDEVICE(INTEL, 0x1586) },	/* X710 10G BASE-T */
	{ PCI_VDEVICE(INTEL, 0x1587) },	/* XL710 20G KR2 */
	{ PCI_VDEVICE(INTEL, 0x1588) },	/* XL710 20G KR2 A */
	{ PCI_VDEVICE(INTEL, 0x1589) },	/* X710 10G BASE-T4 */
	{ PCI_VDEVICE(INTEL, 0x158A) },	/* XXV710 25G backplane */
	{ PCI_VDEVICE(INTEL, 0x158B) },	/* XXV710 25G SFP28 */
	{ PCI_VDEVICE(INTEL, 0x15FF) },	/* X710 10G BASE-T BC */
	{ PCI_VDEVICE(INTEL, 0x37CE) },	/* X722 KX */
	{ PCI_VDEVICE(INTEL, 0x37CF) },	/* X722 QSFP */
	{ PCI_VDEVICE(INTEL, 0x37D0) },	/* X722 SFP */
	{ PCI_VDEVICE(INTEL, 0x37D1) },	/* X722 1G BASE-T */
	{ PCI_VDEVICE(INTEL, 0x37D2) },	/* X722 10G BASE-T */
	{ PCI_VDEVICE(INTEL, 0x37D3) },	/* X722 SFP I */
	{ }
};

/**
 * i40e_vf_mdev_pf_driven() - whether i40e drives a VF's PF
 * @vf: the VF, bound to this driver
 *
 * A VF works only with i40e on its PF (virtchnl), and a PF that another
 * driver owns, e.g. vfio-pci with its VF token, must not have its VFs
 * handed out here.  i40e exports nothing to recognise it by, so this looks
 * its pci_driver up by name on the PCI bus and lets
 * pci_iov_get_pf_drvdata() compare it with the PF's driver.  Neither
 * pointer is dereferenced, so an i40e being unloaded meanwhile is no
 * danger, and pci_iov_get_pf_drvdata()'s contract holds: this is called
 * only while the VF is bound to this driver (mdev probe and the type's
 * sysfs attributes, which mdev_unregister_parent() drains before the VF
 * is unbound), and a PF driver cannot change while its VFs exist, as
 * unbinding it first removes them.  Taking the PF's device lock instead
 * would deadlock with i40e's remove, which holds it while it waits for
 * the VFs to go.  The PF services (pf_iface.h) will replace the look-up
 * with i40e's exported pci_driver.
 *
 * Return: true if the PF is bound to i40e.
 */
bool i40e_vf_mdev_pf_driven(struct pci_dev *vf)
{
	struct device_driver *drv = driver_find("i40e", &pci_bus_type);

	return drv && !IS_ERR(pci_iov_get_pf_drvdata(vf, to_pci_driver(drv)));
}

static struct i40e_vf_mdev_parent *to_i40e_vf_mdev_parent(struct mdev_type *mtype)
{
	return container_of(mtype, struct i40e_vf_mdev_parent, type);
}

static unsigned int i40e_vf_mdev_get_available(struct mdev_type *mtype)
{
	struct i40e_vf_mdev_parent *parent = to_i40e_vf_mdev_parent(mtype);
	unsigned int avail;

	mutex_lock(&parent->lock);
	avail = !parent->mdev;
	mutex_unlock(&parent->lock);

	return avail && i40e_vf_mdev_pf_driven(parent->pdev);
}

static ssize_t i40e_vf_mdev_show_description(struct mdev_type *mtype, char *buf)
{
	struct pci_dev *pdev = to_i40e_vf_mdev_parent(mtype)->pdev;

	return sysfs_emit(buf,
			  "Intel(R) Ethernet 700 Series VF %s of PF %s, passed through with vfio-pci-core\n",
			  pci_name(pdev), pci_name(pci_physfn(pdev)));
}

/*
 * The mdev bus driver.  mdev.c provides probe/remove; the type callbacks
 * live here because they describe the VF, not the mdev.
 */
static struct mdev_driver i40e_vf_mdev_mdev_driver = {
	.device_api = VFIO_DEVICE_API_PCI_STRING,
	.driver = {
		.name = I40E_VF_MDEV_DRIVER_NAME,
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
		.dev_groups = i40e_vf_mdev_mdev_groups,
	},
	.probe = i40e_vf_mdev_probe,
	.remove = i40e_vf_mdev_remove,
	.get_available = i40e_vf_mdev_get_available,
	.show_description = i40e_vf_mdev_show_description,
};

static int i40e_vf_mdev_check_vf(struct pci_dev *pdev)
{
	struct pci_dev *pf;

	if (!pdev->is_virtfn) {
		pci_err(pdev,
			"not an SR-IOV VF: %s drives only VFs of Intel Ethernet 700 Series PFs\n",
			I40E_VF_MDEV_DRIVER_NAME);
		return -ENODEV;
	}

	pf = pci_physfn(pdev);
	if (!pci_match_id(i40e_vf_mdev_pf_ids, pf)) {
		pci_err(pdev,
			"PF %s [%04x:%04x] is not an Intel Ethernet 700 Series PF\n",
			pci_name(pf), pf->vendor, pf->device);
		return -ENODEV;
	}

	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) ||
	    pci_resource_len(pdev, 0) != I40E_VF_MDEV_BAR0_SIZE) {
		pci_err(pdev, "BAR0 is %pR, expected %u KiB of memory\n",
			&pdev->resource[0], I40E_VF_MDEV_BAR0_SIZE / SZ_1K);
		return -ENODEV;
	}

	return 0;
}

/*
 * A parent whose VF left the driver, kept until the module is unloaded; see
 * i40e_vf_mdev_pci_remove().
 */
static void i40e_vf_mdev_retire(struct i40e_vf_mdev_parent *parent)
{
	mutex_lock(&i40e_vf_mdev_retired_lock);
	list_add_tail(&parent->node, &i40e_vf_mdev_retired);
	mutex_unlock(&i40e_vf_mdev_retired_lock);
}

/*
 * The VF's vfio device is registered here, with the VF's device lock held,
 * and unregistered in i40e_vf_mdev_pci_remove(), with vfio-pci-core's own
 * functions; until an mdev is attached it matches no name and cannot be
 * opened (mdev.c).
 */
static int i40e_vf_mdev_pci_probe(struct pci_dev *pdev,
				  const struct pci_device_id *id)
{
	struct i40e_vf_mdev_parent *parent;
	struct i40e_vf_mdev_dev *idev;
	struct iommu_group *group;
	int ret;

	ret = i40e_vf_mdev_check_vf(pdev);
	if (ret)
		return ret;

	group = iommu_group_get(&pdev->dev);
	if (!group) {
		pci_err(pdev,
			"in no IOMMU group; enable the IOMMU (e.g. intel_iommu=on)\n");
		return -ENODEV;
	}
	iommu_group_put(group);

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return -ENOMEM;

	parent->pdev = pdev;
	mutex_init(&parent->lock);
	init_waitqueue_head(&parent->close_wait);
	spin_lock_init(&parent->open_lock);
	parent->type.sysfs_name = I40E_VF_MDEV_TYPE_SYSFS_NAME;
	parent->type.pretty_name = "Intel Ethernet 700 Series VF";
	parent->types[0] = &parent->type;

	idev = vfio_alloc_device(i40e_vf_mdev_dev, core_device.vdev,
				 &pdev->dev, &i40e_vf_mdev_vfio_ops);
	if (IS_ERR(idev)) {
		ret = PTR_ERR(idev);
		goto err_free;
	}
	idev->parent = parent;
	parent->idev = idev;

	/* vfio-pci-core finds its device through the VF's drvdata */
	dev_set_drvdata(&pdev->dev, &idev->core_device);
	ret = vfio_pci_core_register_device(&idev->core_device);
	if (ret) {
		pci_err(pdev, "cannot register with vfio: %d\n", ret);
		goto err_put;
	}

	ret = mdev_register_parent(&parent->parent, &pdev->dev,
				   &i40e_vf_mdev_mdev_driver, parent->types,
				   ARRAY_SIZE(parent->types));
	if (ret) {
		pci_err(pdev, "cannot register as mdev parent: %d\n", ret);
		goto err_unregister;
	}

	return 0;

err_unregister:
	vfio_pci_core_unregister_device(&idev->core_device);
	i40e_vf_mdev_mig_detach(idev);
	vfio_put_device(&idev->core_device.vdev);
	/* mdev_register_parent() may have added and put the type's kobject */
	i40e_vf_mdev_retire(parent);
	return ret;
err_put:
	vfio_put_device(&idev->core_device.vdev);
err_free:
	mutex_destroy(&parent->lock);
	kfree(parent);
	return ret;
}

/*
 * Called when the VF is unbound, hot-removed, or goes away because SR-IOV
 * is disabled on the PF.  mdev_unregister_parent() removes the VF's mdev,
 * whose remove callback waits until userspace has closed the device (vfio
 * asks the user to release it through the device request IRQ meanwhile);
 * then the vfio device, no longer openable, is unregistered.
 *
 * The parent is not freed here: it embeds the mdev type, whose kobject
 * the mdev core releases when its last reference goes, which may be after
 * mdev_unregister_parent() has returned (an mdev device still referenced
 * elsewhere keeps a reference on its type), and that release reads the
 * type and the mdev_parent.  The mdev core has no callback for it, so the
 * parent stays on a list until the module is unloaded: the lifetime
 * mtty's static types have.
 */
static void i40e_vf_mdev_pci_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);
	struct i40e_vf_mdev_dev *idev =
		container_of(vdev, struct i40e_vf_mdev_dev, core_device);
	struct i40e_vf_mdev_parent *parent = idev->parent;

	mdev_unregister_parent(&parent->parent);
	WARN_ON(parent->mdev || parent->opened);

	vfio_pci_core_unregister_device(vdev);
	/* before the PF frees the VF, which the release may come after */
	i40e_vf_mdev_mig_detach(idev);
	vfio_put_device(&vdev->vdev);
	parent->idev = NULL;
	i40e_vf_mdev_retire(parent);
}

static void i40e_vf_mdev_free_retired(void)
{
	struct i40e_vf_mdev_parent *parent, *tmp;

	mutex_lock(&i40e_vf_mdev_retired_lock);
	list_for_each_entry_safe(parent, tmp, &i40e_vf_mdev_retired, node) {
		list_del(&parent->node);
		mutex_destroy(&parent->lock);
		kfree(parent);
	}
	mutex_unlock(&i40e_vf_mdev_retired_lock);
}

/**
 * i40e_vf_mdev_set_open() - publish or withdraw an open mdev device
 * @idev: the device
 * @open: true once it is open, false before it starts closing
 *
 * What i40e_vf_mdev_reset_done() acts on.
 */
void i40e_vf_mdev_set_open(struct i40e_vf_mdev_dev *idev, bool open)
{
	struct i40e_vf_mdev_parent *parent = idev->parent;

	spin_lock(&parent->open_lock);
	parent->open_idev = open ? idev : NULL;
	spin_unlock(&parent->open_lock);
}

/*
 * The VF was reset while its mdev device is open: by vfio-pci-core
 * (VFIO_DEVICE_RESET, a hot reset), or behind the device fd's back (the
 * VF's sysfs "reset", a bus or slot reset, AER recovery).  Migration starts
 * over in RUNNING, every session ends, and the mailbox shadow is dropped.
 *
 * The PCI core holds the VF's device lock, and for VFIO_DEVICE_RESET
 * vfio-pci-core holds its memory_lock, which the BAR0 trap and the
 * migration engine take inside their own locks: so this waits for none of
 * them.  The engine applies the reset now if its mutex is free, else its
 * holder does on unlock; a reference on the vfio device keeps it alive
 * meanwhile, even if the mdev is being removed.
 */
static void i40e_vf_mdev_reset_done(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);
	struct i40e_vf_mdev_parent *parent;
	struct i40e_vf_mdev_dev *idev;

	if (!vdev)
		return;
	parent = container_of(vdev, struct i40e_vf_mdev_dev, core_device)->parent;

	spin_lock(&parent->open_lock);
	idev = parent->open_idev;
	if (idev)
		get_device(&idev->core_device.vdev.device);
	spin_unlock(&parent->open_lock);
	if (!idev)
		return;

	i40e_vf_mdev_trap_mark_reset(idev);
	i40e_vf_mdev_mig_reset_done(idev);
	vfio_put_device(&idev->core_device.vdev);
}

static const struct pci_error_handlers i40e_vf_mdev_err_handlers = {
	/*
	 * The PCI core holds the VF's device lock, so the vfio device, which
	 * exists as long as the VF is bound, is there; signals the user.
	 */
	.error_detected = vfio_pci_core_aer_err_detected,
	.reset_done = i40e_vf_mdev_reset_done,
};

/*
 * Bind only on request: override_only entries match a device only through
 * driver_override (or an ID added with new_id).
 */
static const struct pci_device_id i40e_vf_mdev_pci_ids[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_VENDOR_ID_INTEL, 0x154C) }, /* VF */
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_VENDOR_ID_INTEL, 0x37CD) }, /* X722 VF */
	{ }
};
MODULE_DEVICE_TABLE(pci, i40e_vf_mdev_pci_ids);

/* Not const: vfio_pci_core_register_device() installs its PM callbacks. */
static struct pci_driver i40e_vf_mdev_pci_driver = {
	.name = I40E_VF_MDEV_DRIVER_NAME,
	.id_table = i40e_vf_mdev_pci_ids,
	.probe = i40e_vf_mdev_pci_probe,
	.remove = i40e_vf_mdev_pci_remove,
	.err_handler = &i40e_vf_mdev_err_handlers,
	.driver_managed_dma = true,
};

static int __init i40e_vf_mdev_init(void)
{
	int ret;

	i40e_vf_mdev_debugfs_init();

	ret = mdev_register_driver(&i40e_vf_mdev_mdev_driver);
	if (ret)
		goto err_debugfs;

	ret = pci_register_driver(&i40e_vf_mdev_pci_driver);
	if (ret)
		goto err_mdev;

	return 0;

err_mdev:
	mdev_unregister_driver(&i40e_vf_mdev_mdev_driver);
err_debugfs:
	i40e_vf_mdev_debugfs_exit();
	return ret;
}
module_init(i40e_vf_mdev_init);

static void __exit i40e_vf_mdev_exit(void)
{
	pci_unregister_driver(&i40e_vf_mdev_pci_driver);
	mdev_unregister_driver(&i40e_vf_mdev_mdev_driver);
	i40e_vf_mdev_free_retired();
	i40e_vf_mdev_debugfs_exit();
}
module_exit(i40e_vf_mdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(I40E_VF_MDEV_DESC);
