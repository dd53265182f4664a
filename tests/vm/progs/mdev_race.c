// SPDX-License-Identifier: GPL-2.0
/*
 * mdev_race: openers and readers that race with i40e_vf_mdev's mdev
 * creation and removal, for tests/vm/cases/mdev-lifecycle.sh.
 *
 *   mdev_race group VF NAME
 *	Until SIGTERM: open the VF's group (/dev/vfio/N of the VF's
 *	iommu_group link), put it in a type1 container, ask for the device
 *	NAME with VFIO_GROUP_GET_DEVICE_FD, keep it open 0-20 ms, close all.
 *   mdev_race cdev VF
 *	Until SIGTERM: open the VF's vfio cdev (/dev/vfio/devices/vfioN of
 *	<VF>/vfio-dev/vfioN), bind it to a new iommufd
 *	(VFIO_DEVICE_BIND_IOMMUFD), keep it 0-20 ms, close all.
 *   mdev_race avail FILE
 *	Until SIGTERM: read FILE (available_instances); it must read 0 or 1.
 *	Prints the slowest read.
 *	On SIGTERM each prints one line of counts by result, e.g.
 *	"group ok 12 ENODEV 80 EBUSY 3 other 0", and exits 1 if a result
 *	other than success, ENODEV, EBUSY or ENOENT (the VF or its vfio
 *	device gone) was seen, or a read gave something else than 0 or 1.
 *   mdev_race noopen VF NAME
 *	Once: VFIO_GROUP_GET_DEVICE_FD(NAME) and VFIO_DEVICE_BIND_IOMMUFD
 *	on the VF's cdev; prints "GROUP <errno name>" and "CDEV <errno
 *	name>" ("ok" when it opened); exit 0 if both failed with ENODEV.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>

/*
 * Pause between attempts: often enough to hit every window, not so often
 * that the racers starve the test script on a 2-CPU debug kernel.
 */
#define RETRY_US	5000

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

struct counts {
	unsigned long ok, enodev, ebusy, enoent, other;
	int last_other;
	double max_open_ms, max_close_ms;
};

static void count(struct counts *c, int err)
{
	switch (err) {
	case 0: c->ok++; break;
	case ENODEV: c->enodev++; break;
	case EBUSY: c->ebusy++; break;
	case ENOENT: c->enoent++; break;
	default: c->other++; c->last_other = err; break;
	}
}

static int report(const char *what, const struct counts *c)
{
	printf("%s ok %lu ENODEV %lu EBUSY %lu ENOENT %lu other %lu max_open_ms %.0f max_close_ms %.0f%s%s\n",
	       what, c->ok, c->enodev, c->ebusy, c->enoent, c->other,
	       c->max_open_ms, c->max_close_ms,
	       c->other ? " last " : "",
	       c->other ? strerror(c->last_other) : "");
	return c->other ? 1 : 0;
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case ENODEV: return "ENODEV";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	default: return strerror(e);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void max_of(double *max, double t0)
{
	double t = now_ms() - t0;

	if (t > *max)
		*max = t;
}

static void short_hold(void)
{
	usleep(rand() % 20000);
}

/* 0 or an errno; *devp the device fd on success, with *groupp, *contp */
static int group_open(const char *vf, const char *name, int *groupp,
		      int *contp, int *devp)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char link[512], target[512], gpath[64];
	int cont = -1, group = -1, dev, err;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", vf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return errno;
	target[n] = 0;
	snprintf(gpath, sizeof(gpath), "/dev/vfio/%s", basename(target));

	group = open(gpath, O_RDWR);
	if (group < 0)
		return errno;
	cont = open("/dev/vfio/vfio", O_RDWR);
	if (cont < 0) {
		err = errno;
		goto out;
	}
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &status)) {
		err = errno;
		goto out;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		err = EPERM;
		goto out;
	}
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &cont) ||
	    ioctl(cont, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		err = errno;
		goto out;
	}
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (dev < 0) {
		err = errno;
		goto out;
	}
	*groupp = group;
	*contp = cont;
	*devp = dev;
	return 0;
out:
	if (cont >= 0)
		close(cont);
	close(group);
	return err;
}

static int cdev_path(const char *vf, char *path, size_t len)
{
	char dir[512];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", vf);
	d = opendir(dir);
	if (!d)
		return errno;
	while ((de = readdir(d))) {
		if (!strncmp(de->d_name, "vfio", 4)) {
			snprintf(path, len, "/dev/vfio/devices/%s", de->d_name);
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return ENOENT;
}

/* 0 or an errno; *devp and *iommufdp open on success */
static int cdev_bind(const char *vf, int *devp, int *iommufdp)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	char path[300];
	int dev, iommufd, err;

	err = cdev_path(vf, path, sizeof(path));
	if (err)
		return err;
	dev = open(path, O_RDWR);
	if (dev < 0)
		return errno;
	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0) {
		err = errno;
		close(dev);
		return err == ENOENT ? EPERM : err;
	}
	bind.iommufd = iommufd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		err = errno;
		close(dev);
		close(iommufd);
		return err;
	}
	*devp = dev;
	*iommufdp = iommufd;
	return 0;
}

static int race_group(const char *vf, const char *name)
{
	struct counts c = { 0 };
	int group, cont, dev, err;

	double t0;

	while (!stop) {
		t0 = now_ms();
		err = group_open(vf, name, &group, &cont, &dev);
		count(&c, err);
		if (err) {
			usleep(RETRY_US);
			continue;
		}
		max_of(&c.max_open_ms, t0);
		short_hold();
		t0 = now_ms();
		close(dev);
		max_of(&c.max_close_ms, t0);
		close(group);
		close(cont);
	}
	return report("group", &c);
}

static int race_cdev(const char *vf)
{
	struct counts c = { 0 };
	int dev, iommufd, err;
	double t0;

	while (!stop) {
		t0 = now_ms();
		err = cdev_bind(vf, &dev, &iommufd);
		count(&c, err);
		if (err) {
			usleep(RETRY_US);
			continue;
		}
		max_of(&c.max_open_ms, t0);
		short_hold();
		t0 = now_ms();
		close(dev);
		max_of(&c.max_close_ms, t0);
		close(iommufd);
	}
	return report("cdev", &c);
}

static int race_avail(const char *file)
{
	unsigned long reads = 0, ones = 0, zeros = 0, bad = 0;
	double max = 0, t0, t;
	char buf[16];
	ssize_t n;
	int fd;

	while (!stop) {
		t0 = now_ms();
		fd = open(file, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		t = now_ms() - t0;
		if (t > max)
			max = t;
		if (n < 0) {
			/* The VF left the driver meanwhile */
			if (errno != ENOENT && errno != ENODEV)
				bad++;
			usleep(RETRY_US);
			continue;
		}
		buf[n] = 0;
		reads++;
		if (!strcmp(buf, "1\n"))
			ones++;
		else if (!strcmp(buf, "0\n"))
			zeros++;
		else
			bad++;
		usleep(RETRY_US);
	}
	printf("avail reads %lu ones %lu zeros %lu bad %lu max_ms %.0f\n",
	       reads, ones, zeros, bad, max);
	return bad ? 1 : 0;
}

static int noopen(const char *vf, const char *name)
{
	int group, cont, dev, iommufd, gerr, cerr;

	gerr = group_open(vf, name, &group, &cont, &dev);
	if (!gerr) {
		close(dev);
		close(group);
		close(cont);
	}
	printf("GROUP %s\n", errname(gerr));
	cerr = cdev_bind(vf, &dev, &iommufd);
	if (!cerr) {
		close(dev);
		close(iommufd);
	}
	printf("CDEV %s\n", errname(cerr));
	return gerr == ENODEV && cerr == ENODEV ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	srand(getpid());

	if (argc == 4 && !strcmp(argv[1], "group"))
		return race_group(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "cdev"))
		return race_cdev(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "avail"))
		return race_avail(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "noopen"))
		return noopen(argv[2], argv[3]);
	fprintf(stderr,
		"usage: mdev_race group VF NAME | cdev VF | avail FILE | noopen VF NAME\n");
	return 2;
}
