// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_vfio: open an i40e_vf_mdev device (or try to) through the VFIO
 * group/container interface, as QEMU 7.2 does, for the mdev-* VM tests.
 *
 *   mdev_vfio open SYSFSDEV [NAME]
 *	Open the group of SYSFSDEV's iommu_group link, put it in a type1
 *	container and ask for the device NAME (default: basename of
 *	SYSFSDEV, i.e. the mdev UUID) with VFIO_GROUP_GET_DEVICE_FD.
 *	Prints "OPEN-OK" or "OPEN-FAIL <errno name>"; exit 0 if opened,
 *	1 if VFIO_GROUP_GET_DEVICE_FD failed, 2 on any other error.
 *
 *   mdev_vfio hold SYSFSDEV [exit-on-request]
 *	Open as above, register an eventfd for the device request IRQ, print
 *	"OPENED" and keep the device open until killed; every request is
 *	printed as "REQUEST n".  With exit-on-request, close the device and
 *	exit at the first request (what QEMU does once the guest let go).
 *
 *   mdev_vfio info SYSFSDEV
 *	Open as above and print BAR0's region info ("BAR0 size ... flags
 *	..."), each sparse mmap area ("SPARSE offset+size"), VFGEN_RSTAT
 *	read through the trap once the VF reset that opening caused is over
 *	("RSTAT 0x..."), whether mmap() of a sparse
 *	area ("MMAP-SPARSE ok") and of the mailbox page ("MMAP-MBX <errno
 *	name>") work, and "VFIOIOEVENTFD <errno name>".
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vfio.h>

#include "vfio_group.h"

static const char *errname(int e)
{
	switch (e) {
	case ENODEV: return "ENODEV";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENOENT: return "ENOENT";
	case EPERM: return "EPERM";
	case EIO: return "EIO";
	default: return strerror(e);
	}
}

static int open_device(const char *sysfsdev, const char *name)
{
	char gpath[64];
	int container, group, dev;

	vfio_group_attach(sysfsdev, &container, &group, gpath);
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (dev < 0) {
		printf("OPEN-FAIL %s (%s as %s via %s)\n", errname(errno),
		       sysfsdev, name, gpath);
		exit(1);
	}
	printf("OPEN-OK %s via %s\n", name, gpath);
	return dev;
}

static int hold(int dev, int exit_on_request)
{
	struct {
		struct vfio_irq_set set;
		int32_t fd;
	} irq = { .set = { .argsz = sizeof(irq),
			   .flags = VFIO_IRQ_SET_DATA_EVENTFD |
				    VFIO_IRQ_SET_ACTION_TRIGGER,
			   .index = VFIO_PCI_REQ_IRQ_INDEX, .count = 1 } };
	struct pollfd pfd;
	uint64_t v;
	int n = 0;

	irq.fd = eventfd(0, 0);
	if (irq.fd < 0 || ioctl(dev, VFIO_DEVICE_SET_IRQS, &irq)) {
		printf("ERROR request IRQ: %s\n", strerror(errno));
		return 2;
	}
	printf("OPENED\n");
	pfd.fd = irq.fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, -1) < 0)
			continue;
		if (read(irq.fd, &v, sizeof(v)) != sizeof(v))
			continue;
		n++;
		printf("REQUEST %d\n", n);
		if (exit_on_request) {
			close(dev);
			printf("CLOSED\n");
			return 0;
		}
	}
}

/*
 * What the device offers for migration: the v2 feature's flags
 * ("MIGRATION flags 0x.." or "MIGRATION <errno>") and whether it has the
 * v1 migration region ("MIGRATION-V1 yes|no").
 */
static void migration_info(int dev)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_migration m;
	} mf = {
		.f.argsz = sizeof(mf),
		.f.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIGRATION,
	};
	struct vfio_device_info di = { .argsz = sizeof(di) };
	int v1 = 0;
	__u32 i;

	if (ioctl(dev, VFIO_DEVICE_FEATURE, &mf))
		printf("MIGRATION %s\n", errname(errno));
	else
		printf("MIGRATION flags %#llx\n", (unsigned long long)mf.m.flags);
	if (!ioctl(dev, VFIO_DEVICE_GET_INFO, &di)) {
		for (i = VFIO_PCI_NUM_REGIONS; i < di.num_regions; i++) {
			struct {
				struct vfio_region_info r;
				char caps[256];
			} rb = { .r.argsz = sizeof(rb), .r.index = i };
			struct vfio_region_info_cap_type *t;
			struct vfio_info_cap_header *h;
			__u32 off;

			if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &rb) ||
			    !(rb.r.flags & VFIO_REGION_INFO_FLAG_CAPS))
				continue;
			for (off = rb.r.cap_offset; off && off < sizeof(rb);
			     off = h->next) {
				h = (void *)((char *)&rb + off);
				t = (void *)h;
				if (h->id == VFIO_REGION_INFO_CAP_TYPE &&
				    t->type == VFIO_REGION_TYPE_MIGRATION_DEPRECATED)
					v1 = 1;
			}
		}
	}
	printf("MIGRATION-V1 %s\n", v1 ? "yes" : "no");
}

static int info(int dev)
{
	struct vfio_region_info_cap_sparse_mmap *sparse = NULL;
	struct vfio_region_info *ri;
	struct vfio_info_cap_header *h;
	struct vfio_device_ioeventfd ioe = { .argsz = sizeof(ioe),
		.flags = VFIO_DEVICE_IOEVENTFD_32, .offset = 0x2000, .fd = -1 };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg),
		.index = VFIO_PCI_CONFIG_REGION_INDEX };
	size_t argsz = sizeof(*ri);
	uint32_t rstat;
	uint16_t cmd;
	void *p;
	__u32 i;

	for (;;) {
		ri = calloc(1, argsz);
		ri->argsz = argsz;
		ri->index = VFIO_PCI_BAR0_REGION_INDEX;
		if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			printf("ERROR GET_REGION_INFO: %s\n", strerror(errno));
			return 2;
		}
		if (ri->argsz <= argsz)
			break;
		argsz = ri->argsz;
		free(ri);
	}
	printf("BAR0 size %#llx flags %#x\n", (unsigned long long)ri->size,
	       ri->flags);
	if (ri->flags & VFIO_REGION_INFO_FLAG_CAPS)
		for (i = ri->cap_offset; i; i = h->next) {
			h = (void *)((char *)ri + i);
			if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP)
				sparse = (void *)h;
		}
	for (i = 0; sparse && i < sparse->nr_areas; i++)
		printf("SPARSE %#llx+%#llx\n",
		       (unsigned long long)sparse->areas[i].offset,
		       (unsigned long long)sparse->areas[i].size);

	/* Memory decoding on, as a guest driver would (a no-op for a VF) */
	if (!ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg) &&
	    pread(dev, &cmd, 2, cfg.offset + 4) == 2) {
		cmd |= 2;
		if (pwrite(dev, &cmd, 2, cfg.offset + 4) != 2)
			printf("ERROR enabling memory decoding\n");
	}
	/* Opening reset the VF (FLR); wait for the PF to finish, as iavf does */
	for (i = 0; i < 500; i++) {
		if (pread(dev, &rstat, 4, ri->offset + 0x8800) != 4) {
			printf("RSTAT-FAIL %s\n", errname(errno));
			break;
		}
		if (rstat & 3) {
			printf("RSTAT %#x\n", rstat);
			break;
		}
		usleep(20000);
	}
	if (i == 500)
		printf("RSTAT %#x (still in reset after 10 s)\n", rstat);

	if (sparse && sparse->nr_areas) {
		p = mmap(NULL, sparse->areas[0].size, PROT_READ, MAP_SHARED,
			 dev, ri->offset + sparse->areas[0].offset);
		if (p == MAP_FAILED) {
			printf("MMAP-SPARSE %s\n", errname(errno));
		} else {
			printf("MMAP-SPARSE ok\n");
			munmap(p, sparse->areas[0].size);
		}
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dev, ri->offset + 0x6000);
	if (p == MAP_FAILED) {
		printf("MMAP-MBX %s\n", errname(errno));
	} else {
		printf("MMAP-MBX ok\n");
		munmap(p, 4096);
	}
	ioe.offset = ri->offset + 0x2000;
	ioe.fd = eventfd(0, 0);
	ioe.data = 0;
	if (ioctl(dev, VFIO_DEVICE_IOEVENTFD, &ioe))
		printf("IOEVENTFD %s\n", errname(errno));
	else
		printf("IOEVENTFD ok\n");
	migration_info(dev);
	free(ri);
	return 0;
}

int main(int argc, char **argv)
{
	char *copy;
	int dev;

	if (argc < 3) {
		fprintf(stderr, "usage: %s open|hold|info SYSFSDEV [ARG]\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	copy = strdup(argv[2]);

	if (!strcmp(argv[1], "open")) {
		dev = open_device(argv[2], argc > 3 ? argv[3] : basename(copy));
		close(dev);
		return 0;
	}
	dev = open_device(argv[2], basename(copy));
	if (!strcmp(argv[1], "hold"))
		return hold(dev, argc > 3 && !strcmp(argv[3], "exit-on-request"));
	if (!strcmp(argv[1], "info"))
		return info(dev);
	fprintf(stderr, "unknown command %s\n", argv[1]);
	return 2;
}
