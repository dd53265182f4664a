// SPDX-License-Identifier: GPL-2.0
/*
 * i40e_vf_mdev_cdev: open an i40e_vf_mdev device through the iommufd
 * vfio device cdev, the way QEMU's iommufd backend (QEMU >= 8.2) does,
 * and look at its BAR0.
 *
 *   i40e_vf_mdev_cdev /sys/bus/mdev/devices/<UUID>
 *
 * Steps, each printed on its own line:
 *   1. follow <mdev>/vfio-dev/vfio* to /dev/vfio/devices/vfioN
 *      (the "dev" attribute there names the cdev's major:minor);
 *   2. VFIO_DEVICE_BIND_IOMMUFD to an iommufd (/dev/iommu);
 *   3. IOMMU_IOAS_ALLOC, VFIO_DEVICE_ATTACH_IOMMUFD_PT to that IOAS;
 *   4. IOMMU_IOAS_MAP a 2 MiB buffer at a fixed IOVA (what a VMM does
 *      with guest RAM);
 *   5. VFIO_DEVICE_GET_REGION_INFO of BAR0 with its sparse mmap
 *      capability: the mmap()able areas, i.e. everything but the trapped
 *      mailbox pages;
 *   6. read VFGEN_RSTAT (a trapped register) with pread() on the device
 *      fd until the VF reset that opening caused is over, map the first
 *      sparse area with mmap() and check that mmap() of a trapped page is
 *      refused;
 *   7. undo it all.
 *
 * Needs a kernel with CONFIG_IOMMUFD and CONFIG_VFIO_DEVICE_CDEV (Debian's
 * stock kernel has neither) and the uAPI headers of Linux 6.6 or later
 * (``make headers_install``):
 *
 *   cc -O2 -Wall -I<linux>/usr/include -I<this tree>/include/uapi \
 *      -o i40e_vf_mdev_cdev <this file>
 *
 * Exit status 0 if every step worked and BAR0 looked as documented in
 * Documentation/admin-guide.rst, else 1.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

/*
 * The 700-series VF's BAR0 (iavf_register.h), which this sample checks
 * against what the driver reports; not uAPI.
 */
#define BAR0_SIZE		0x10000
#define BAR0_MBX_START		0x6000	/* mailbox pages, always trapped */
#define BAR0_MBX_END		0x9000
#define VFGEN_RSTAT		0x8800
#define DMA_IOVA		0x10000000ULL
#define DMA_SIZE		(2UL << 20)

static int failed;

#define FAIL(...) do { printf("FAIL " __VA_ARGS__); failed = 1; } while (0)

/* <mdev>/vfio-dev/vfioN -> "/dev/vfio/devices/vfioN" */
static int find_cdev(const char *mdev, char *path, size_t len)
{
	char dir[512], attr[800], majmin[32] = "";
	struct dirent *de;
	DIR *d;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/vfio-dev", mdev);
	d = opendir(dir);
	if (!d) {
		FAIL("no %s: %s (kernel without CONFIG_VFIO_DEVICE_CDEV?)\n",
		     dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "vfio", 4))
			break;
	if (!de) {
		closedir(d);
		FAIL("no vfio* entry in %s\n", dir);
		return -1;
	}
	snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
	snprintf(attr, sizeof(attr), "%s/%s/dev", dir, de->d_name);
	closedir(d);

	f = fopen(attr, "r");
	if (f) {
		if (!fgets(majmin, sizeof(majmin), f))
			majmin[0] = 0;
		fclose(f);
	}
	majmin[strcspn(majmin, "\n")] = 0;
	printf("cdev %s (dev %s)\n", path, majmin);
	return 0;
}

static struct vfio_region_info *region_info(int dev, unsigned int index)
{
	struct vfio_region_info *info;
	size_t argsz = sizeof(*info);

	for (;;) {
		info = calloc(1, argsz);
		if (!info)
			return NULL;
		info->argsz = argsz;
		info->index = index;
		if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, info)) {
			free(info);
			return NULL;
		}
		if (info->argsz <= argsz)
			return info;
		argsz = info->argsz;
		free(info);
	}
}

static struct vfio_region_info_cap_sparse_mmap *
find_sparse(struct vfio_region_info *info)
{
	struct vfio_info_cap_header *hdr;
	__u32 off;

	if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	for (off = info->cap_offset; off; off = hdr->next) {
		hdr = (struct vfio_info_cap_header *)((char *)info + off);
		if (hdr->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP)
			return (struct vfio_region_info_cap_sparse_mmap *)hdr;
	}
	return NULL;
}

static void look_at_bar0(int dev)
{
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_region_info *info;
	int covers_mbx = 0;
	__u32 rstat;
	void *p;
	__u32 i;

	info = region_info(dev, VFIO_PCI_BAR0_REGION_INDEX);
	if (!info) {
		FAIL("GET_REGION_INFO BAR0: %s\n", strerror(errno));
		return;
	}
	printf("BAR0 size %#llx offset %#llx flags %#x\n",
	       (unsigned long long)info->size,
	       (unsigned long long)info->offset, info->flags);
	if (info->size != BAR0_SIZE)
		FAIL("BAR0 size is not %#x\n", BAR0_SIZE);

	sparse = find_sparse(info);
	if (!sparse) {
		FAIL("BAR0 has no sparse mmap capability\n");
	} else {
		for (i = 0; i < sparse->nr_areas; i++) {
			__u64 s = sparse->areas[i].offset;
			__u64 e = s + sparse->areas[i].size;

			printf("sparse area %u: %#llx+%#llx\n", i,
			       (unsigned long long)s,
			       (unsigned long long)sparse->areas[i].size);
			if (s < BAR0_MBX_END &&
			    e > BAR0_MBX_START)
				covers_mbx = 1;
		}
		if (!sparse->nr_areas || covers_mbx)
			FAIL("the sparse areas do not leave out the mailbox\n");
	}

	/*
	 * Opening the device reset the VF (FLR); the PF's driver finishes
	 * the reset and then sets VFR_STATE, as iavf expects.
	 */
	for (i = 0; i < 500; i++) {
		if (pread(dev, &rstat, 4, info->offset + VFGEN_RSTAT) != 4) {
			FAIL("pread VFGEN_RSTAT: %s\n", strerror(errno));
			break;
		}
		if (rstat == 0xffffffff || (rstat & 3))
			break;
		usleep(20000);
	}
	if (i < 500 && rstat != 0xffffffff && (rstat & 3))
		printf("VFGEN_RSTAT %#x (VFR_STATE %u) after %u ms\n", rstat,
		       rstat & 3, i * 20);
	else
		FAIL("VF not ready: VFGEN_RSTAT %#x\n", rstat);

	if (sparse && sparse->nr_areas) {
		p = mmap(NULL, sparse->areas[0].size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, dev, info->offset + sparse->areas[0].offset);
		if (p == MAP_FAILED) {
			FAIL("mmap of sparse area 0: %s\n", strerror(errno));
		} else {
			printf("mmap sparse area 0: ok\n");
			munmap(p, sparse->areas[0].size);
		}
	}
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dev,
		 info->offset + BAR0_MBX_START);
	if (p != MAP_FAILED) {
		FAIL("mmap of the trapped mailbox page succeeded\n");
		munmap(p, 4096);
	} else {
		printf("mmap of the trapped mailbox page: %s (refused)\n",
		       strerror(errno));
	}
	free(info);
}

int main(int argc, char **argv)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct vfio_device_detach_iommufd_pt detach = { .argsz = sizeof(detach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	struct iommu_destroy destroy = { .size = sizeof(destroy) };
	struct vfio_device_info dinfo = { .argsz = sizeof(dinfo) };
	char path[300];
	int dev, iommufd;
	void *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: %s /sys/bus/mdev/devices/<UUID>\n",
			argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (find_cdev(argv[1], path, sizeof(path)))
		return 1;
	dev = open(path, O_RDWR);
	if (dev < 0) {
		FAIL("open %s: %s\n", path, strerror(errno));
		return 1;
	}
	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0) {
		FAIL("open /dev/iommu: %s\n", strerror(errno));
		return 1;
	}

	bind.iommufd = iommufd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		FAIL("VFIO_DEVICE_BIND_IOMMUFD: %s\n", strerror(errno));
		return 1;
	}
	printf("VFIO_DEVICE_BIND_IOMMUFD: devid %u\n", bind.out_devid);

	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &alloc)) {
		FAIL("IOMMU_IOAS_ALLOC: %s\n", strerror(errno));
		return 1;
	}
	printf("IOMMU_IOAS_ALLOC: ioas %u\n", alloc.out_ioas_id);

	attach.pt_id = alloc.out_ioas_id;
	if (ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
		FAIL("VFIO_DEVICE_ATTACH_IOMMUFD_PT: %s\n", strerror(errno));
		return 1;
	}
	printf("VFIO_DEVICE_ATTACH_IOMMUFD_PT: pt %u\n", attach.pt_id);

	buf = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		FAIL("mmap buffer: %s\n", strerror(errno));
		return 1;
	}
	memset(buf, 0, DMA_SIZE);
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
		    IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = alloc.out_ioas_id;
	map.user_va = (uintptr_t)buf;
	map.length = DMA_SIZE;
	map.iova = DMA_IOVA;
	if (ioctl(iommufd, IOMMU_IOAS_MAP, &map)) {
		FAIL("IOMMU_IOAS_MAP: %s\n", strerror(errno));
		return 1;
	}
	printf("IOMMU_IOAS_MAP: %#lx bytes at iova %#llx\n", DMA_SIZE,
	       (unsigned long long)map.iova);

	if (ioctl(dev, VFIO_DEVICE_GET_INFO, &dinfo))
		FAIL("VFIO_DEVICE_GET_INFO: %s\n", strerror(errno));
	else
		printf("device flags %#x regions %u irqs %u%s\n", dinfo.flags,
		       dinfo.num_regions, dinfo.num_irqs,
		       dinfo.flags & VFIO_DEVICE_FLAGS_PCI ? " (PCI)" : "");

	look_at_bar0(dev);

	unmap.ioas_id = alloc.out_ioas_id;
	unmap.iova = DMA_IOVA;
	unmap.length = DMA_SIZE;
	if (ioctl(iommufd, IOMMU_IOAS_UNMAP, &unmap))
		FAIL("IOMMU_IOAS_UNMAP: %s\n", strerror(errno));
	if (ioctl(dev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &detach))
		FAIL("VFIO_DEVICE_DETACH_IOMMUFD_PT: %s\n", strerror(errno));
	destroy.id = alloc.out_ioas_id;
	if (ioctl(iommufd, IOMMU_DESTROY, &destroy))
		FAIL("IOMMU_DESTROY: %s\n", strerror(errno));
	close(dev);
	close(iommufd);
	munmap(buf, DMA_SIZE);

	printf("%s\n", failed ? "RESULT FAIL" : "RESULT OK");
	return failed;
}
