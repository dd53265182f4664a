// SPDX-License-Identifier: GPL-2.0
/*
 * i40e_vf_mdev_migrate: move the device state of an i40e_vf_mdev device to
 * another one, through VFIO migration v2 (the data_fd uAPI QEMU >= 8.0
 * speaks) or through the v1 migration region (what QEMU 5.2 - 7.2 speak).
 * It uses only the public uAPI: <linux/vfio.h>.
 *
 *   i40e_vf_mdev_migrate [--cdev] COMMAND ARGS
 *
 *   info UUID              migration flags, MIG_DATA_SIZE, the v1 region
 *   arcs UUID              every (from, to) pair of the v2 state machine:
 *                          requests that the uAPI allows must succeed and
 *                          give a data_fd exactly when a session starts,
 *                          the others must fail with EINVAL and leave the
 *                          state unchanged
 *   precopy UUID           PRE_COPY: VFIO_MIG_GET_PRECOPY_INFO before and
 *                          after reading the initial data, ENOMSG at the
 *                          temporary end of stream, ESPIPE for pread()
 *   save UUID FILE         v2 save (PRE_COPY, STOP_COPY) into FILE
 *   load UUID FILE         v2 load of FILE (RESUMING -> RUNNING)
 *   move SRC DST           v2 save from SRC, load into DST
 *   save-v1 UUID FILE      the same through the v1 region
 *   load-v1 UUID FILE
 *   move-v1 SRC DST
 *   reset UUID             a device reset (VFIO_DEVICE_RESET, and the
 *                          VF's sysfs "reset" behind the fd's back) and
 *                          closing the device, during each kind of
 *                          session end it: state RUNNING, the data_fd
 *                          fails with ENODEV
 *
 * UUID is an mdev (/sys/bus/mdev/devices/UUID).  Devices are opened the
 * way QEMU's legacy backend does: the IOMMU group from the mdev's
 * iommu_group link, a type1 container, VFIO_GROUP_GET_DEVICE_FD with the
 * UUID; with --cdev the way QEMU's iommufd backend does: <mdev>/vfio-dev/
 * vfioN, /dev/vfio/devices/vfioN, VFIO_DEVICE_BIND_IOMMUFD (kernels with
 * CONFIG_VFIO_DEVICE_CDEV).
 *
 * A failed load leaves the destination in RESUMING, unchanged; the sample
 * then resets it (VFIO_DEVICE_RESET), so both devices stay usable, and
 * exits with 1.  Streams are the driver's format
 * (Documentation/migration.rst); FILE can be edited to test rejection.
 *
 * Build with the uAPI headers of Linux 6.6 or later:
 *
 *   cc -O2 -Wall -I<linux>/usr/include -I<this tree>/include/uapi \
 *      -o i40e_vf_mdev_migrate i40e_vf_mdev_migrate.c
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_STREAM	(1024 * 1024)
#define NR_STATES	(VFIO_DEVICE_STATE_PRE_COPY_P2P + 1)

static const char * const state_names[NR_STATES] = {
	[VFIO_DEVICE_STATE_ERROR] = "ERROR",
	[VFIO_DEVICE_STATE_STOP] = "STOP",
	[VFIO_DEVICE_STATE_RUNNING] = "RUNNING",
	[VFIO_DEVICE_STATE_STOP_COPY] = "STOP_COPY",
	[VFIO_DEVICE_STATE_RESUMING] = "RESUMING",
	[VFIO_DEVICE_STATE_RUNNING_P2P] = "RUNNING_P2P",
	[VFIO_DEVICE_STATE_PRE_COPY] = "PRE_COPY",
	[VFIO_DEVICE_STATE_PRE_COPY_P2P] = "PRE_COPY_P2P",
};

static int use_cdev;

/* One open device; the fds it took, to close in reverse */
struct dev {
	const char *uuid;
	int container;		/* or the iommufd */
	int group;
	int fd;
};

/* CRC-32 as zlib's crc32(): the driver's debugfs shows the same value */
static __u32 crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	__u32 crc = ~0u;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static const char *sname(__u32 s)
{
	return s < NR_STATES ? state_names[s] : "INVALID";
}

/* Opening devices */

static int open_group(struct dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX];
	unsigned long group;
	const char *p;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 d->uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %m\n", d->uuid, path);
		return -1;
	}
	link[n] = 0;
	p = strrchr(link, '/');
	group = strtoul(p ? p + 1 : link, NULL, 10);

	d->container = open("/dev/vfio/vfio", O_RDWR);
	snprintf(path, sizeof(path), "/dev/vfio/%lu", group);
	d->group = open(path, O_RDWR);
	if (d->container < 0 || d->group < 0) {
		fprintf(stderr, "%s: open /dev/vfio/vfio or %s: %m\n", d->uuid,
			path);
		return -1;
	}
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		fprintf(stderr, "%s: group %lu is not viable\n", d->uuid, group);
		return -1;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		fprintf(stderr, "%s: container setup: %m\n", d->uuid);
		return -1;
	}
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->uuid);
	if (d->fd < 0) {
		fprintf(stderr, "%s: VFIO_GROUP_GET_DEVICE_FD: %m\n", d->uuid);
		return -1;
	}
	return 0;
}

static int open_cdev(struct dev *d)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = {
		.argsz = sizeof(attach),
	};
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/vfio-dev",
		 d->uuid);
	dir = opendir(path);
	if (!dir) {
		fprintf(stderr, "%s: %s: %m (no CONFIG_VFIO_DEVICE_CDEV?)\n",
			d->uuid, path);
		return -1;
	}
	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, "vfio", 4))
			break;
	if (!de) {
		closedir(dir);
		fprintf(stderr, "%s: no vfio* entry in %s\n", d->uuid, path);
		return -1;
	}
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", de->d_name);
	closedir(dir);

	d->fd = open(path, O_RDWR);
	d->container = open("/dev/iommu", O_RDWR);
	if (d->fd < 0 || d->container < 0) {
		fprintf(stderr, "%s: open %s or /dev/iommu: %m\n", d->uuid,
			path);
		return -1;
	}
	bind.iommufd = d->container;
	if (ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) ||
	    ioctl(d->container, IOMMU_IOAS_ALLOC, &alloc)) {
		fprintf(stderr, "%s: bind to iommufd: %m\n", d->uuid);
		return -1;
	}
	attach.pt_id = alloc.out_ioas_id;
	if (ioctl(d->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach)) {
		fprintf(stderr, "%s: attach to IOAS: %m\n", d->uuid);
		return -1;
	}
	return 0;
}

static void dev_close(struct dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->fd = -1;
	d->group = -1;
	d->container = -1;
}

static int dev_open(struct dev *d, const char *uuid)
{
	int ret;

	d->uuid = uuid;
	d->container = -1;
	d->group = -1;
	d->fd = -1;
	ret = use_cdev ? open_cdev(d) : open_group(d);
	if (ret)
		dev_close(d);
	return ret;
}

static int dev_reset(struct dev *d)
{
	if (ioctl(d->fd, VFIO_DEVICE_RESET)) {
		fprintf(stderr, "%s: VFIO_DEVICE_RESET: %m\n", d->uuid);
		return -1;
	}
	return 0;
}

/* Migration v2 */

/* VFIO_DEVICE_FEATURE with a payload; returns 0 or -errno */
static int feature(struct dev *d, __u32 flags, void *data, size_t len)
{
	__u64 buf[8] = { 0 };
	struct vfio_device_feature *f = (void *)buf;

	f->argsz = sizeof(*f) + len;
	f->flags = flags;
	memcpy(f->data, data, len);
	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	memcpy(data, f->data, len);
	return 0;
}

static int mig_get(struct dev *d, __u32 *state)
{
	struct vfio_device_feature_mig_state s = { .data_fd = -1 };
	int ret;

	ret = feature(d, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, &s, sizeof(s));
	*state = s.device_state;
	return ret;
}

/* Set a state; *data_fd gets the new session's fd or -1 */
static int mig_set(struct dev *d, __u32 state, int *data_fd)
{
	struct vfio_device_feature_mig_state s = {
		.device_state = state,
		.data_fd = -1,
	};
	int ret;

	ret = feature(d, VFIO_DEVICE_FEATURE_SET |
		      VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, &s, sizeof(s));
	if (data_fd)
		*data_fd = ret ? -1 : s.data_fd;
	else if (!ret && s.data_fd >= 0)
		close(s.data_fd);
	return ret;
}

static int mig_to(struct dev *d, __u32 state, int *data_fd)
{
	int ret = mig_set(d, state, data_fd);

	if (ret)
		fprintf(stderr, "%s: -> %s: %s\n", d->uuid, sname(state),
			strerror(-ret));
	return ret;
}

static int precopy_info(int fd, __u64 *initial, __u64 *dirty)
{
	struct vfio_precopy_info info = { .argsz = sizeof(info) };

	if (ioctl(fd, VFIO_MIG_GET_PRECOPY_INFO, &info))
		return -errno;
	*initial = info.initial_bytes;
	*dirty = info.dirty_bytes;
	return 0;
}

/* read() the data_fd to its (temporary) end; returns bytes or -errno */
static ssize_t read_stream(int fd, unsigned char *buf, size_t room)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		n = read(fd, buf + len, room - len > 4096 ? 4096 : room - len);
		if (n < 0 && errno == ENOMSG)
			return len;	/* temporary end in PRE_COPY */
		if (n < 0)
			return -errno;
		if (!n)
			return len;
		len += n;
		if (len == room)
			return -EFBIG;
	}
}

/* Save the whole state, as a VMM does, and leave the device in STOP */
static ssize_t save_v2(struct dev *d, unsigned char *buf, size_t room)
{
	__u64 initial, dirty;
	ssize_t len, n;
	int fd;

	if (mig_to(d, VFIO_DEVICE_STATE_PRE_COPY, &fd))
		return -1;
	if (!precopy_info(fd, &initial, &dirty))
		printf("PRECOPY_INFO initial_bytes=%llu dirty_bytes=%llu\n",
		       (unsigned long long)initial,
		       (unsigned long long)dirty);
	len = read_stream(fd, buf, room);
	if (len < 0)
		goto err;
	printf("pre-copy: %zd bytes\n", len);
	if (mig_to(d, VFIO_DEVICE_STATE_STOP_COPY, NULL))
		goto err_close;
	n = read_stream(fd, buf + len, room - len);
	if (n < 0) {
		len = n;
		goto err;
	}
	printf("stop-copy: %zd bytes\n", n);
	close(fd);
	if (mig_to(d, VFIO_DEVICE_STATE_STOP, NULL))
		return -1;
	return len + n;
err:
	fprintf(stderr, "%s: read data_fd: %s\n", d->uuid, strerror(-len));
err_close:
	close(fd);
	return -1;
}

/* Load a stream; on failure reset the device so that it stays usable */
static int load_v2(struct dev *d, const unsigned char *buf, size_t len,
		   size_t chunk)
{
	size_t off = 0;
	__u32 now;
	ssize_t n;
	int fd, ret;

	if (mig_to(d, VFIO_DEVICE_STATE_RESUMING, &fd))
		return -1;
	while (off < len) {
		n = write(fd, buf + off, len - off < chunk ? len - off : chunk);
		if (n < 0) {
			printf("load rejected: write at %zu: %m\n", off);
			goto err;
		}
		off += n;
	}
	ret = mig_set(d, VFIO_DEVICE_STATE_STOP, NULL);
	if (ret) {
		printf("load rejected: RESUMING -> STOP: %s\n", strerror(-ret));
		goto err;
	}
	close(fd);
	if (mig_to(d, VFIO_DEVICE_STATE_RUNNING, NULL))
		return -1;
	printf("loaded %zu bytes crc32 %#010x\n", len, crc32(buf, len));
	return 0;
err:
	close(fd);
	if (!mig_get(d, &now))
		printf("state after the rejection: %s\n", sname(now));
	if (!dev_reset(d) && !mig_get(d, &now))
		printf("state after VFIO_DEVICE_RESET: %s\n", sname(now));
	return -1;
}

/* Migration v1 */

struct v1 {
	struct dev *d;
	__u64 off;		/* region offset in the device fd */
	__u64 size;
};

static int v1_find(struct dev *d, struct v1 *r)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	__u64 buf[64];
	__u32 i;

	r->d = d;
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info))
		return -1;
	for (i = VFIO_PCI_NUM_REGIONS; i < info.num_regions; i++) {
		struct vfio_region_info *ri = (void *)buf;
		struct vfio_info_cap_header *h;
		__u32 next;

		memset(buf, 0, sizeof(buf));
		ri->argsz = sizeof(buf);
		ri->index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, ri) ||
		    !(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
			continue;
		for (next = ri->cap_offset; next && next < sizeof(buf) - 16;
		     next = h->next) {
			struct vfio_region_info_cap_type *t;

			h = (void *)((char *)buf + next);
			t = (void *)h;
			if (h->id == VFIO_REGION_INFO_CAP_TYPE &&
			    t->type == VFIO_REGION_TYPE_MIGRATION_DEPRECATED &&
			    t->subtype ==
			    VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED) {
				r->off = ri->offset;
				r->size = ri->size;
				printf("v1 region: index %u size %#llx flags %#x%s\n",
				       i, (unsigned long long)ri->size,
				       ri->flags,
				       ri->flags & VFIO_REGION_INFO_FLAG_MMAP ?
				       " mmap" : "");
				return 0;
			}
		}
	}
	fprintf(stderr, "%s: no v1 migration region\n", d->uuid);
	return -1;
}

#define V1_FIELD(f)	offsetof(struct vfio_device_migration_info, f)

static int v1_rd(struct v1 *r, __u64 field, void *val, size_t size)
{
	if (pread(r->d->fd, val, size, r->off + field) != (ssize_t)size) {
		fprintf(stderr, "%s: v1 read at %llu: %m\n", r->d->uuid,
			(unsigned long long)field);
		return -1;
	}
	return 0;
}

static int v1_wr(struct v1 *r, __u64 field, const void *val, size_t size)
{
	if (pwrite(r->d->fd, val, size, r->off + field) != (ssize_t)size)
		return -errno;
	return 0;
}

static int v1_state(struct v1 *r, __u32 state)
{
	int ret = v1_wr(r, V1_FIELD(device_state), &state, sizeof(state));
	__u32 now = ~0u;

	if (ret) {
		v1_rd(r, V1_FIELD(device_state), &now, sizeof(now));
		fprintf(stderr, "%s: v1 device_state %#x: %s (reads %#x)\n",
			r->d->uuid, state, strerror(-ret), now);
	}
	return ret;
}

/* The QEMU 7.2 save loop: pending_bytes, data_offset, data_size, data */
static ssize_t v1_drain(struct v1 *r, unsigned char *buf, size_t room)
{
	__u64 pending, offset, size;
	size_t len = 0;

	for (;;) {
		if (v1_rd(r, V1_FIELD(pending_bytes), &pending, 8))
			return -1;
		if (!pending)
			return len;
		if (v1_rd(r, V1_FIELD(data_offset), &offset, 8) ||
		    v1_rd(r, V1_FIELD(data_size), &size, 8))
			return -1;
		if (!size)
			return len;
		if (size > room - len) {
			fprintf(stderr, "stream too big\n");
			return -1;
		}
		if (v1_rd(r, offset, buf + len, size))
			return -1;
		len += size;
	}
}

static ssize_t save_v1(struct dev *d, unsigned char *buf, size_t room)
{
	ssize_t pre, len;
	struct v1 r;

	if (v1_find(d, &r) ||
	    v1_state(&r, VFIO_DEVICE_STATE_V1_SAVING |
		     VFIO_DEVICE_STATE_V1_RUNNING))
		return -1;
	pre = v1_drain(&r, buf, room);
	if (pre < 0)
		return -1;
	printf("v1 pre-copy: %zd bytes\n", pre);
	if (v1_state(&r, VFIO_DEVICE_STATE_V1_SAVING))
		return -1;
	len = v1_drain(&r, buf + pre, room - pre);
	if (len < 0)
		return -1;
	printf("v1 stop-copy: %zd bytes\n", len);
	if (v1_state(&r, VFIO_DEVICE_STATE_V1_STOP))
		return -1;
	return pre + len;
}

static int load_v1(struct dev *d, const unsigned char *buf, size_t len)
{
	__u64 offset, n;
	size_t off = 0;
	struct v1 r;
	__u32 now;
	int ret;

	if (v1_find(d, &r) || v1_state(&r, VFIO_DEVICE_STATE_V1_RESUMING))
		return -1;
	while (off < len) {
		if (v1_rd(&r, V1_FIELD(data_offset), &offset, 8))
			return -1;
		n = len - off;
		if (n > r.size - offset)
			n = r.size - offset;
		ret = v1_wr(&r, offset, buf + off, n);
		if (!ret)
			ret = v1_wr(&r, V1_FIELD(data_size), &n, 8);
		if (ret) {
			printf("load rejected: v1 chunk at %zu: %s\n", off,
			       strerror(-ret));
			goto err;
		}
		off += n;
	}
	now = VFIO_DEVICE_STATE_V1_RUNNING;
	ret = v1_wr(&r, V1_FIELD(device_state), &now, sizeof(now));
	if (ret) {
		printf("load rejected: v1 RESUMING -> RUNNING: %s\n",
		       strerror(-ret));
		goto err;
	}
	printf("loaded %zu bytes crc32 %#010x\n", len, crc32(buf, len));
	return 0;
err:
	if (!v1_rd(&r, V1_FIELD(device_state), &now, 4))
		printf("v1 device_state after the rejection: %#x\n", now);
	if (!dev_reset(d) && !v1_rd(&r, V1_FIELD(device_state), &now, 4))
		printf("v1 device_state after VFIO_DEVICE_RESET: %#x\n", now);
	return -1;
}

/* Commands */

static int cmd_info(struct dev *d)
{
	struct vfio_device_feature_migration mig = { 0 };
	struct vfio_device_feature_mig_data_size ds = { 0 };
	struct v1 r;
	__u32 state;
	int ret;

	ret = feature(d, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_MIGRATION, &mig, sizeof(mig));
	if (ret) {
		fprintf(stderr, "VFIO_DEVICE_FEATURE_MIGRATION: %s\n",
			strerror(-ret));
		return 1;
	}
	printf("migration flags %#llx:%s%s%s\n", (unsigned long long)mig.flags,
	       mig.flags & VFIO_MIGRATION_STOP_COPY ? " STOP_COPY" : "",
	       mig.flags & VFIO_MIGRATION_P2P ? " P2P" : "",
	       mig.flags & VFIO_MIGRATION_PRE_COPY ? " PRE_COPY" : "");
	if (!mig_get(d, &state))
		printf("state %s\n", sname(state));
	ret = feature(d, VFIO_DEVICE_FEATURE_GET |
		      VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, &ds, sizeof(ds));
	if (ret)
		printf("MIG_DATA_SIZE: %s\n", strerror(-ret));
	else
		printf("MIG_DATA_SIZE stop_copy_length=%llu\n",
		       (unsigned long long)ds.stop_copy_length);
	return v1_find(d, &r) ? 1 : 0;
}

static int in_saving_group(__u32 s)
{
	return s == VFIO_DEVICE_STATE_PRE_COPY ||
	       s == VFIO_DEVICE_STATE_PRE_COPY_P2P ||
	       s == VFIO_DEVICE_STATE_STOP_COPY;
}

/* From RUNNING to @s, with a valid stream written if @s is RESUMING */
static int arcs_reach(struct dev *d, __u32 s, const unsigned char *stream,
		      size_t len, int *fd)
{
	if (dev_reset(d) || mig_to(d, s, fd))
		return -1;
	if (s == VFIO_DEVICE_STATE_RESUMING &&
	    write(*fd, stream, len) != (ssize_t)len) {
		fprintf(stderr, "write of a valid stream: %m\n");
		return -1;
	}
	return 0;
}

static int cmd_arcs(struct dev *d)
{
	static unsigned char stream[MAX_STREAM];
	int good = 0, bad = 0;
	__u32 from, to, now;
	ssize_t len;
	int fd, nfd, ret;

	len = save_v2(d, stream, sizeof(stream));
	if (len < 0)
		return 1;

	for (from = VFIO_DEVICE_STATE_STOP; from < NR_STATES; from++) {
		for (to = 0; to <= NR_STATES; to++) {
			int allowed = to != VFIO_DEVICE_STATE_ERROR &&
				      to < NR_STATES &&
				      !(from == VFIO_DEVICE_STATE_STOP_COPY &&
					(to == VFIO_DEVICE_STATE_PRE_COPY ||
					 to == VFIO_DEVICE_STATE_PRE_COPY_P2P));
			int new_fd = to != from &&
				     (to == VFIO_DEVICE_STATE_RESUMING ||
				      (in_saving_group(to) &&
				       !in_saving_group(from)));
			const char *res = "ok";

			fd = -1;
			if (arcs_reach(d, from, stream, len, &fd)) {
				bad++;
				printf("arc %s -> %s: UNEXPECTED: cannot reach %s\n",
				       sname(from), sname(to), sname(from));
				continue;
			}
			ret = mig_set(d, to, &nfd);
			if (mig_get(d, &now))
				now = ~0u;
			if (allowed && ret)
				res = "UNEXPECTED: failed";
			else if (!allowed && ret != -EINVAL)
				res = "UNEXPECTED: not EINVAL";
			else if (allowed && now != to)
				res = "UNEXPECTED: wrong state after";
			else if (!allowed && now != from)
				res = "UNEXPECTED: state changed";
			else if (allowed && new_fd != (nfd >= 0))
				res = "UNEXPECTED: data_fd";
			printf("arc %s -> %s: %s%s%s (now %s%s)\n", sname(from),
			       sname(to), res, ret ? ", " : "",
			       ret ? strerror(-ret) : "", sname(now),
			       nfd >= 0 ? ", new data_fd" : "");
			if (strcmp(res, "ok"))
				bad++;
			else
				good++;
			if (nfd >= 0)
				close(nfd);
			if (fd >= 0)
				close(fd);
		}
	}

	/* RESUMING without a complete stream cannot be left but by reset */
	if (!dev_reset(d) && !mig_to(d, VFIO_DEVICE_STATE_RESUMING, &fd)) {
		ret = mig_set(d, VFIO_DEVICE_STATE_STOP, NULL);
		mig_get(d, &now);
		if (ret == -EINVAL && now == VFIO_DEVICE_STATE_RESUMING) {
			good++;
			printf("empty stream: RESUMING -> STOP: EINVAL, stays RESUMING: ok\n");
		} else {
			bad++;
			printf("empty stream: RESUMING -> STOP: UNEXPECTED %d, now %s\n",
			       ret, sname(now));
		}
		close(fd);
	}
	dev_reset(d);
	printf("arcs: %d ok, %d unexpected\n", good, bad);
	return bad ? 1 : 0;
}

static int cmd_precopy(struct dev *d)
{
	__u64 initial, dirty, initial2, dirty2;
	unsigned char buf[4096];
	int fd, ret = 1;
	ssize_t n;

	if (mig_to(d, VFIO_DEVICE_STATE_PRE_COPY, &fd))
		return 1;
	if (precopy_info(fd, &initial, &dirty))
		goto out;
	printf("PRECOPY_INFO initial_bytes=%llu dirty_bytes=%llu\n",
	       (unsigned long long)initial, (unsigned long long)dirty);
	n = pread(fd, buf, 8, 0);
	printf("pread: %s\n", n < 0 ? strerror(errno) : "succeeded");
	n = read(fd, buf, sizeof(buf));
	printf("read: %zd bytes\n", n);
	if (precopy_info(fd, &initial2, &dirty2))
		goto out;
	printf("PRECOPY_INFO after read initial_bytes=%llu dirty_bytes=%llu\n",
	       (unsigned long long)initial2, (unsigned long long)dirty2);
	n = read(fd, buf, sizeof(buf));
	printf("read at the end: %s\n", n < 0 ? strerror(errno) : "data");
	if (mig_to(d, VFIO_DEVICE_STATE_PRE_COPY_P2P, NULL))
		goto out;
	if (!precopy_info(fd, &initial2, &dirty2))
		printf("PRECOPY_INFO in PRE_COPY_P2P initial_bytes=%llu dirty_bytes=%llu\n",
		       (unsigned long long)initial2,
		       (unsigned long long)dirty2);
	if (mig_to(d, VFIO_DEVICE_STATE_STOP_COPY, NULL))
		goto out;
	printf("PRECOPY_INFO in STOP_COPY: %s\n",
	       precopy_info(fd, &initial2, &dirty2) == -EINVAL ?
	       "EINVAL" : "UNEXPECTED");
	n = read(fd, buf, sizeof(buf));
	printf("read in STOP_COPY: %zd bytes\n", n);
	n = read(fd, buf, sizeof(buf));
	printf("read at the end in STOP_COPY: %zd\n", n);
	ret = mig_to(d, VFIO_DEVICE_STATE_RUNNING, NULL) ? 1 : 0;
	n = read(fd, buf, sizeof(buf));
	printf("read after the session: %s\n",
	       n < 0 ? strerror(errno) : "UNEXPECTED data");
out:
	close(fd);
	return ret;
}

static int write_file(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "%s: %m\n", path);
		return -1;
	}
	return 0;
}

static ssize_t read_file(const char *path, unsigned char *buf, size_t room)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f) {
		fprintf(stderr, "%s: %m\n", path);
		return -1;
	}
	len = fread(buf, 1, room, f);
	fclose(f);
	return len;
}

static int cmd_save(struct dev *d, const char *path, int v1)
{
	static unsigned char buf[MAX_STREAM];
	ssize_t len;

	len = v1 ? save_v1(d, buf, sizeof(buf)) : save_v2(d, buf, sizeof(buf));
	if (len < 0)
		return 1;
	printf("saved %zd bytes crc32 %#010x\n", len, crc32(buf, len));
	if (write_file(path, buf, len))
		return 1;
	/* Let the device run again, as a VMM does when it cancels */
	return dev_reset(d) ? 1 : 0;
}

static int cmd_load(struct dev *d, const char *path, int v1)
{
	static unsigned char buf[MAX_STREAM + 1];
	ssize_t len;

	len = read_file(path, buf, sizeof(buf));
	if (len < 0)
		return 1;
	if (v1)
		return load_v1(d, buf, len) ? 1 : 0;
	return load_v2(d, buf, len, 4096) ? 1 : 0;
}

static int cmd_move(struct dev *src, struct dev *dst, int v1)
{
	static unsigned char buf[MAX_STREAM];
	ssize_t len;
	int ret;

	len = v1 ? save_v1(src, buf, sizeof(buf)) :
		   save_v2(src, buf, sizeof(buf));
	if (len < 0)
		return 1;
	printf("saved %zd bytes crc32 %#010x\n", len, crc32(buf, len));
	/* Odd-sized writes: the stream need not keep its segmentation */
	ret = v1 ? load_v1(dst, buf, len) : load_v2(dst, buf, len, 61);
	/* A VMM would now release the source; the sample lets it run again */
	dev_reset(src);
	return ret ? 1 : 0;
}

/* Reset the VF behind the device fd's back, as an admin would */
static int sysfs_reset(struct dev *d)
{
	char path[PATH_MAX];
	int fd, ret;

	/* The mdev's sysfs directory sits in its parent's, the VF's */
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/../reset",
		 d->uuid);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "%s: %m\n", path);
		return -1;
	}
	ret = write(fd, "1", 1) == 1 ? 0 : -1;
	if (ret)
		fprintf(stderr, "%s: write: %m\n", path);
	close(fd);
	return ret;
}

enum reset_how { RESET_IOCTL, RESET_CLOSE, RESET_SYSFS };

static int reset_check(struct dev *d, const char *what, __u32 state,
		       enum reset_how how)
{
	unsigned char buf[64];
	__u32 now = ~0u;
	int fd, ok;
	ssize_t n;

	if (mig_to(d, state, &fd))
		return 1;
	if (state == VFIO_DEVICE_STATE_RESUMING)
		n = write(fd, "I40VFMIG", 8);
	if (how == RESET_CLOSE) {
		dev_close(d);
		if (dev_open(d, d->uuid))
			return 1;
	} else if (how == RESET_SYSFS ? sysfs_reset(d) : dev_reset(d)) {
		return 1;
	}
	mig_get(d, &now);
	if (state == VFIO_DEVICE_STATE_RESUMING)
		n = write(fd, buf, sizeof(buf));
	else
		n = read(fd, buf, sizeof(buf));
	ok = now == VFIO_DEVICE_STATE_RUNNING && n < 0 && errno == ENODEV;
	printf("%s in %s: state %s, data_fd %s: %s\n", what, sname(state),
	       sname(now), n < 0 ? strerror(errno) : "still works",
	       ok ? "ok" : "UNEXPECTED");
	close(fd);
	return !ok;
}

static int cmd_reset(struct dev *d)
{
	static const __u32 states[] = {
		VFIO_DEVICE_STATE_PRE_COPY, VFIO_DEVICE_STATE_PRE_COPY_P2P,
		VFIO_DEVICE_STATE_STOP_COPY, VFIO_DEVICE_STATE_RESUMING,
	};
	int bad = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(states); i++) {
		bad += reset_check(d, "reset", states[i], RESET_IOCTL);
		bad += reset_check(d, "close", states[i], RESET_CLOSE);
		bad += reset_check(d, "sysfs reset", states[i], RESET_SYSFS);
	}
	printf("reset: %s\n", bad ? "UNEXPECTED results" : "ok");
	return bad ? 1 : 0;
}

static void help(void)
{
	fprintf(stderr,
		"usage: i40e_vf_mdev_migrate [--cdev] COMMAND ARGS\n"
		"  info UUID | arcs UUID | precopy UUID | reset UUID\n"
		"  save UUID FILE | load UUID FILE | move SRC_UUID DST_UUID\n"
		"  save-v1 UUID FILE | load-v1 UUID FILE | move-v1 SRC DST\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cdev", no_argument, NULL, 'c' },
		{ }
	};
	struct dev a, b;
	const char *cmd;
	int c, ret = 2, v1;

	while ((c = getopt_long(argc, argv, "c", opts, NULL)) != -1) {
		if (c != 'c')
			help();
		use_cdev = 1;
	}
	if (argc - optind < 2)
		help();
	cmd = argv[optind];
	v1 = !!strstr(cmd, "-v1");
	if (dev_open(&a, argv[optind + 1]))
		return 1;

	if (!strcmp(cmd, "info")) {
		ret = cmd_info(&a);
	} else if (!strcmp(cmd, "arcs")) {
		ret = cmd_arcs(&a);
	} else if (!strcmp(cmd, "precopy")) {
		ret = cmd_precopy(&a);
	} else if (!strcmp(cmd, "reset")) {
		ret = cmd_reset(&a);
	} else if (argc - optind < 3) {
		help();
	} else if (!strncmp(cmd, "save", 4)) {
		ret = cmd_save(&a, argv[optind + 2], v1);
	} else if (!strncmp(cmd, "load", 4)) {
		ret = cmd_load(&a, argv[optind + 2], v1);
	} else if (!strncmp(cmd, "move", 4)) {
		if (dev_open(&b, argv[optind + 2]))
			return 1;
		ret = cmd_move(&a, &b, v1);
		dev_close(&b);
	} else {
		help();
	}
	dev_close(&a);
	return ret;
}
