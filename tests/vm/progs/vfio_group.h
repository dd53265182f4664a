/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio_group.h - the VFIO group behind an mdev, attached to a type1v2
 * container, for the test programs (each one static binary, hence a
 * header of static functions).
 */
#ifndef VFIO_GROUP_H
#define VFIO_GROUP_H

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

/*
 * vfio_group_attach() - open the IOMMU group that SYSFSDEV's iommu_group
 * link names, check that it is viable, and attach it to a new type1v2
 * container; the group's path goes to GPATH.  Prints "ERROR ..." and exits
 * with status 2 on any failure: the programs' callers tell set-up failures
 * (2) from test failures (1).
 */
static void vfio_group_attach(const char *sysfsdev, int *container,
			      int *group, char gpath[64])
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char link[512], target[512];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/iommu_group", sysfsdev);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0) {
		printf("ERROR readlink %s: %s\n", link, strerror(errno));
		exit(2);
	}
	target[n] = 0;
	snprintf(gpath, 64, "/dev/vfio/%s", basename(target));

	*container = open("/dev/vfio/vfio", O_RDWR);
	*group = open(gpath, O_RDWR);
	if (*container < 0 || *group < 0) {
		printf("ERROR open %s or /dev/vfio/vfio: %s\n", gpath,
		       strerror(errno));
		exit(2);
	}
	if (ioctl(*group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		printf("ERROR group %s not viable\n", gpath);
		exit(2);
	}
	if (ioctl(*group, VFIO_GROUP_SET_CONTAINER, container) ||
	    ioctl(*container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		printf("ERROR container set-up for %s: %s\n", gpath,
		       strerror(errno));
		exit(2);
	}
}

/*
 * vfio_group_open_device() - the device fd of the mdev SYSFSDEV, through
 * its group attached to a new type1v2 container (vfio_group_attach());
 * exits with status 2 on any failure.
 */
static inline int vfio_group_open_device(const char *sysfsdev)
{
	char gpath[64], name[256];
	int container, group, dev;

	vfio_group_attach(sysfsdev, &container, &group, gpath);
	snprintf(name, sizeof(name), "%s", sysfsdev);
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, basename(name));
	if (dev < 0) {
		printf("ERROR VFIO_GROUP_GET_DEVICE_FD: %s\n", strerror(errno));
		exit(2);
	}
	return dev;
}

#endif
