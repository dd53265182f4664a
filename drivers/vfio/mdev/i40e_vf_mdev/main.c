// SPDX-License-Identifier: GPL-2.0-only
/*
 * i40e_vf_mdev: VFIO mediated device for Intel(R) Ethernet 700 Series VFs
 *
 * The PCI side.  The driver binds to a VF only when an administrator asks
 * for it (driver_override, driverctl or new_id): its ID table entries are
 * "override only", so it never takes a VF away from iavf on its own.  Each
 * bound VF becomes an mdev parent offering one type; creating an mdev of
 * that type (mdev.c) hands the whole VF to userspace through vfio-pci-core.
 */

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "i40e_vf_mdev.h"

#define I40E_VF_MDEV_DESC "VFIO mediated device for Intel(R) Ethernet 700 Series VFs"

/* All VFs bound to the driver; see i40e_vf_mdev_find_parent() */
static LIST_HEAD(i40e_vf_mdev_parents);
static DEFINE_MUTEX(i40e_vf_mdev_parents_lock);

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

static struct i40e_vf_mdev_parent *i40e_vf_mdev_find_parent(struct pci_dev *pdev)
{
	struct i40e_vf_mdev_parent *parent, *found = NULL;

	mutex_lock(&i40e_vf_mdev_parents_lock);
	list_for_each_entry(parent, &i40e_vf_mdev_parents, node) {
		if (parent->pdev == pdev) {
			found = parent;
			break;
		}
	}
	mutex_unlock(&i40e_vf_mdev_parents_lock);
	return found;
}

/**
 * i40e_vf_mdev_pf_driven() - whether i40e drives a VF's PF
 * @pf: the PF
 *
 * A VF works only with i40e on its PF (virtchnl), and a PF that another
 * driver owns, e.g. vfio-pci with its VF token, must not have its VFs
 * handed out here.  No lock: the PF's driver cannot go away while one of
 * its VFs is being set up, as unbinding it first removes the VFs, which
 * waits for us.
 *
 * Return: true if the PF is bound to i40e.
 */
bool i40e_vf_mdev_pf_driven(struct pci_dev *pf)
{
	struct device_driver *drv = READ_ONCE(pf->dev.driver);

	return drv && !strcmp(drv->name, "i40e");
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
	avail = !parent->idev && i40e_vf_mdev_pf_driven(pci_physfn(parent->pdev));
	mutex_unlock(&parent->lock);

	return avail;
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

static int i40e_vf_mdev_pci_probe(struct pci_dev *pdev,
				  const struct pci_device_id *id)
{
	struct i40e_vf_mdev_parent *parent;
	int ret;

	ret = i40e_vf_mdev_check_vf(pdev);
	if (ret)
		return ret;

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return -ENOMEM;

	parent->pdev = pdev;
	mutex_init(&parent->lock);
	spin_lock_init(&parent->open_lock);
	parent->type.sysfs_name = I40E_VF_MDEV_TYPE_SYSFS_NAME;
	parent->type.pretty_name = "Intel Ethernet 700 Series VF";
	parent->types[0] = &parent->type;

	mutex_lock(&i40e_vf_mdev_parents_lock);
	list_add_tail(&parent->node, &i40e_vf_mdev_parents);
	mutex_unlock(&i40e_vf_mdev_parents_lock);

	ret = mdev_register_parent(&parent->parent, &pdev->dev,
				   &i40e_vf_mdev_mdev_driver, parent->types,
				   ARRAY_SIZE(parent->types));
	if (ret) {
		pci_err(pdev, "cannot register as mdev parent: %d\n", ret);
		goto err_unlist;
	}

	return 0;

err_unlist:
	mutex_lock(&i40e_vf_mdev_parents_lock);
	list_del(&parent->node);
	mutex_unlock(&i40e_vf_mdev_parents_lock);
	mutex_destroy(&parent->lock);
	kfree(parent);
	return ret;
}

/*
 * Called when the VF is unbound, hot-removed, or goes away because SR-IOV
 * is disabled on the PF.  mdev_unregister_parent() removes the VF's mdev,
 * whose remove callback waits until userspace has closed the device; vfio
 * asks the user to release it through the device request IRQ meanwhile.
 */
static void i40e_vf_mdev_pci_remove(struct pci_dev *pdev)
{
	struct i40e_vf_mdev_parent *parent = i40e_vf_mdev_find_parent(pdev);

	if (WARN_ON(!parent))
		return;

	mdev_unregister_parent(&parent->parent);

	mutex_lock(&i40e_vf_mdev_parents_lock);
	list_del(&parent->node);
	mutex_unlock(&i40e_vf_mdev_parents_lock);

	WARN_ON(parent->idev);
	mutex_destroy(&parent->lock);
	kfree(parent);
}

/*
 * The PCI core calls this with the VF's device lock held, so the parent
 * cannot go away; parent->lock keeps the vfio device (and the VF's drvdata,
 * which vfio-pci-core reads) alive while vfio-pci-core signals the user.
 */
static pci_ers_result_t i40e_vf_mdev_error_detected(struct pci_dev *pdev,
						    pci_channel_state_t state)
{
	struct i40e_vf_mdev_parent *parent = i40e_vf_mdev_find_parent(pdev);
	pci_ers_result_t ret = PCI_ERS_RESULT_CAN_RECOVER;

	if (!parent)
		return ret;

	mutex_lock(&parent->lock);
	if (parent->idev)
		ret = vfio_pci_core_aer_err_detected(pdev, state);
	mutex_unlock(&parent->lock);

	return ret;
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
	struct i40e_vf_mdev_parent *parent = i40e_vf_mdev_find_parent(pdev);
	struct i40e_vf_mdev_dev *idev;

	if (!parent)
		return;

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
	.error_detected = i40e_vf_mdev_error_detected,
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
	i40e_vf_mdev_debugfs_exit();
}
module_exit(i40e_vf_mdev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION(I40E_VF_MDEV_DESC);
