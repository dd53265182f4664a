// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of i40e_vf_mdev_group_kobj(), the lookup of an IOMMU group's
 * sysfs directory behind the mdev's "iommu_group" link: it finds a real
 * group's directory, and it refuses whatever does not verify (no link, a
 * directory in place of the link, a link to a directory that is not
 * /sys/kernel/iommu_groups/<id>, the directory of another group).
 *
 * Kernel only: sysfs and the IOMMU core have no userspace stand-in.
 */
#include <kunit/device.h>
#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#include "i40e_vf_mdev.h"

KUNIT_DEFINE_ACTION_WRAPPER(kobject_put_action, kobject_put, struct kobject *);

static struct device *test_device(struct kunit *test)
{
	struct device *dev = kunit_device_register(test, "i40e_vf_mdev_link");

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	return dev;
}

/* A kobject, put when the test ends */
static struct kobject *test_kobj(struct kunit *test, const char *name,
				 struct kobject *parent)
{
	struct kobject *kobj = kobject_create_and_add(name, parent);

	KUNIT_ASSERT_NOT_NULL(test, kobj);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, kobject_put_action,
						  kobj));
	return kobj;
}

static void expect_refused(struct kunit *test, struct device *dev, int id)
{
	struct kobject *kobj = i40e_vf_mdev_group_kobj(dev, id);

	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(kobj), -ENOENT);
	if (!IS_ERR(kobj))
		kobject_put(kobj);
}

static void no_link(struct kunit *test)
{
	expect_refused(test, test_device(test), 0);
}

static void directory_in_place_of_link(struct kunit *test)
{
	struct device *dev = test_device(test);

	test_kobj(test, I40E_VF_MDEV_ATTR_IOMMU_GROUP, &dev->kobj);
	expect_refused(test, dev, 0);
}

static void link_elsewhere(struct kunit *test)
{
	struct device *dev = test_device(test);
	struct kobject *top, *groups, *group;

	/* /sys/kernel/i40e_vf_mdev_link_test/iommu_groups/7 */
	top = test_kobj(test, "i40e_vf_mdev_link_test", kernel_kobj);
	groups = test_kobj(test, "iommu_groups", top);
	group = test_kobj(test, "7", groups);
	KUNIT_ASSERT_EQ(test, 0,
			sysfs_create_link(&dev->kobj, group,
					  I40E_VF_MDEV_ATTR_IOMMU_GROUP));

	expect_refused(test, dev, 7);
	sysfs_remove_link(&dev->kobj, I40E_VF_MDEV_ATTR_IOMMU_GROUP);
}

/* Any PCI device in an IOMMU group (L1 runs with intel-iommu) */
static struct pci_dev *grouped_pci_dev(int *id)
{
	struct pci_dev *pdev = NULL;
	struct iommu_group *group;

	for_each_pci_dev(pdev) {
		group = iommu_group_get(&pdev->dev);
		if (group) {
			*id = iommu_group_id(group);
			iommu_group_put(group);
			return pdev;
		}
	}
	return NULL;
}

static void real_group(struct kunit *test)
{
	struct kobject *kobj;
	struct pci_dev *pdev;
	char name[16];
	int id;

	pdev = grouped_pci_dev(&id);
	if (!pdev)
		kunit_skip(test, "no PCI device is in an IOMMU group");

	kobj = i40e_vf_mdev_group_kobj(&pdev->dev, id);
	KUNIT_EXPECT_FALSE(test, IS_ERR(kobj));
	if (!IS_ERR(kobj)) {
		snprintf(name, sizeof(name), "%d", id);
		KUNIT_EXPECT_STREQ(test, kobject_name(kobj), name);
		kobject_put(kobj);
	}

	/* The IOMMU core says another group: the same link is refused */
	expect_refused(test, &pdev->dev, id + 1);
	pci_dev_put(pdev);
}

static struct kunit_case link_cases[] = {
	KUNIT_CASE(no_link),
	KUNIT_CASE(directory_in_place_of_link),
	KUNIT_CASE(link_elsewhere),
	KUNIT_CASE(real_group),
	{}
};

static struct kunit_suite link_suite = {
	.name = "i40e_vf_mdev_group_link",
	.test_cases = link_cases,
};

kunit_test_suite(link_suite);
