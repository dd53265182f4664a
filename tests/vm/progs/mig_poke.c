// SPDX-License-Identifier: GPL-2.0
/*
 * mig_poke: bad calls on the device fd and the data_fd of a QEMU that is
 * migrating an i40e_vf_mdev device, for tests/vm/mig-traffic.sh.
 *
 *   mig_poke PID [WAIT]
 *	Waits up to WAIT seconds (default 120) for the process PID to hold
 *	a data_fd of the driver (anon_inode:i40e_vf_mdev_mig: a save or a
 *	resume session) next to its VFIO device fd, takes copies of both
 *	with pidfd_getfd(2), and makes on them calls that must fail, each
 *	with the errno the uAPI defines for it:
 *	 - device fd: VFIO_DEVICE_FEATURE with a short argsz, unknown
 *	   flags, an unknown feature, a migration state out of range or
 *	   ERROR, SET of the read-only data size, DMA logging with a page
 *	   size that is no power of two or no ranges (ENOTTY where the
 *	   device offers no DMA logging); region and IRQ info with a short
 *	   argsz or an index out of range; SET_IRQS with two data types or
 *	   an index out of range; VFIO_DEVICE_IOEVENTFD; unknown VFIO
 *	   ioctls; and 200 random ioctl numbers of other types with random
 *	   arguments (seed 1);
 *	 - data_fd: the direction the session does not have (a save's
 *	   write, a resume's read), lseek, pread/pwrite, mmap, precopy info
 *	   with a short argsz (a save; a resume has no ioctl at all), and
 *	   200 random ioctl numbers with random arguments.
 *	No valid call is made: QEMU's migration must go on as if nothing
 *	happened, which the caller checks.
 *	Prints one line per unexpected result and "POKE PID session SAVE|
 *	RESUME calls N unexpected M"; exit 0 if all failed as they must, 1
 *	if not, 2 if no data_fd was found or the fds could not be copied.
 */
#define _GNU_SOURCE
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
#include <sys/syscall.h>
#include <linux/vfio.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

static int calls, unexpected;

/*
 * expect - the call returned RET with errno ERR; it must have failed with
 * one of the errnos in WANT (0-terminated)
 */
static void expect(const char *what, long ret, int err, const int *want)
{
	int i;

	calls++;
	if (ret < 0)
		for (i = 0; want[i]; i++)
			if (err == want[i])
				return;
	unexpected++;
	if (ret < 0)
		printf("UNEXPECTED %s: errno %d (%s)\n", what, err, strerror(err));
	else
		printf("UNEXPECTED %s: succeeded (%ld)\n", what, ret);
}

#define WANT(...) ((const int[]){ __VA_ARGS__, 0 })
#define CALL(what, call, ...) do {				\
		long r_ = (call);				\
		expect(what, r_, errno, WANT(__VA_ARGS__));	\
	} while (0)

enum fd_kind { FD_OTHER, FD_DEVICE, FD_DATA };

/* fd_kind - what the fd whose /proc link is PATH is */
static enum fd_kind fd_kind(const char *path)
{
	char link[256];
	ssize_t n;

	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return FD_OTHER;
	link[n] = '\0';
	if (!strcmp(link, "anon_inode:[vfio-device]") ||
	    !strncmp(link, "/dev/vfio/devices/", 18))
		return FD_DEVICE;
	if (!strcmp(link, "anon_inode:i40e_vf_mdev_mig"))
		return FD_DATA;
	return FD_OTHER;
}

/* find_fds - PID's VFIO device fd and its driver's data_fd, if it has both */
static int find_fds(pid_t pid, int *dev, int *data)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	*dev = *data = -1;
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, de->d_name);
		switch (fd_kind(path)) {
		case FD_DEVICE:
			*dev = atoi(de->d_name);
			break;
		case FD_DATA:
			*data = atoi(de->d_name);
			break;
		default:
			break;
		}
	}
	closedir(d);
	return *dev >= 0 && *data >= 0 ? 0 : -1;
}

/*
 * random_cmd - a random ioctl number of none of the types the VFS or VFIO
 * would act on: VFIO's, and those of the ioctls do_vfs_ioctl() handles
 * for every file ('T': FIONBIO, FIOASYNC, ...; 'X': FIFREEZE, FITHAW;
 * 'f': FS_IOC_*; 0x94: FICLONE, ...; 0x15: FS_IOC_GETFSUUID, ...; 0x00:
 * FIBMAP, FIGETBSZ), which could change the file QEMU shares with this
 * copy or succeed
 */
static unsigned int random_cmd(void)
{
	unsigned int nr, t;

	do {
		nr = (unsigned int)random() << 1 ^ (unsigned int)random();
		t = _IOC_TYPE(nr);
	} while (t == VFIO_TYPE || t == 'T' || t == 'X' || t == 'f' ||
		 t == 0x94 || t == 0x15 || t == 0x00);
	return nr;
}

/*
 * random_arg - JUNK filled with random bytes, or NULL for an ioctl number
 * whose size is larger
 */
static void *random_arg(uint64_t *junk, size_t len, unsigned int nr)
{
	size_t i;

	for (i = 0; i < len / sizeof(*junk); i++)
		junk[i] = ((uint64_t)random() << 32) | random();
	return _IOC_SIZE(nr) <= len ? junk : NULL;
}

/* same_kind - the copy FD is still of KIND */
static int same_kind(int fd, enum fd_kind kind)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return fd_kind(path) == kind;
}

/* poke_random - 200 random ioctl numbers (random_cmd) with random arguments */
static void poke_random(int fd, const char *what)
{
	uint64_t junk[64];
	unsigned int i, nr;

	for (i = 0; i < 200; i++) {
		nr = random_cmd();
		CALL(what, ioctl(fd, nr, random_arg(junk, sizeof(junk), nr)),
		     ENOTTY);
	}
}

/* feature - VFIO_DEVICE_FEATURE with FLAGS, ARGSZ and a payload */
static long feature(int fd, uint32_t flags, uint32_t argsz, const void *pl,
		    size_t len)
{
	uint64_t buf[64] = { 0 };
	struct vfio_device_feature *f = (void *)buf;

	f->argsz = argsz;
	f->flags = flags;
	if (len)
		memcpy(f->data, pl, len);
	return ioctl(fd, VFIO_DEVICE_FEATURE, f);
}

static void poke_device(int fd)
{
	const uint32_t hdr = sizeof(struct vfio_device_feature);
	struct vfio_device_feature_mig_state ms = { 0 };
	struct vfio_device_feature_dma_logging_control lc = { 0 };
	struct vfio_device_feature_dma_logging_report lr = { 0 };
	struct vfio_device_feature_mig_data_size ds = { 0 };
	struct vfio_region_info ri = { 0 };
	struct vfio_irq_info ii = { 0 };
	struct {
		struct vfio_irq_set s;
		int32_t fd;
	} is;
	uint64_t junk[64];
	unsigned int nr;

	memset(&is, 0, sizeof(is));
	CALL("FEATURE argsz 4", feature(fd, VFIO_DEVICE_FEATURE_GET |
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, 4, NULL, 0), EINVAL);
	CALL("FEATURE unknown flag", feature(fd, VFIO_DEVICE_FEATURE_GET |
		(1u << 20) | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
		hdr + sizeof(ms), &ms, sizeof(ms)), EINVAL);
	CALL("FEATURE unknown feature", feature(fd, VFIO_DEVICE_FEATURE_GET |
		0xffff, hdr + 64, NULL, 0), ENOTTY);
	CALL("FEATURE no GET/SET/PROBE", feature(fd,
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, hdr + sizeof(ms), &ms,
		sizeof(ms)), EINVAL);
	CALL("MIG_DEVICE_STATE SET short", feature(fd, VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, hdr + 2, &ms, 2), EINVAL);
	ms.device_state = 0x55;
	CALL("MIG_DEVICE_STATE SET 0x55", feature(fd, VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, hdr + sizeof(ms), &ms,
		sizeof(ms)), EINVAL);
	ms.device_state = VFIO_DEVICE_STATE_ERROR;
	CALL("MIG_DEVICE_STATE SET ERROR", feature(fd, VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE, hdr + sizeof(ms), &ms,
		sizeof(ms)), EINVAL);
	CALL("MIG_DATA_SIZE SET", feature(fd, VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_MIG_DATA_SIZE, hdr + sizeof(ds), &ds,
		sizeof(ds)), EINVAL);
	lr.iova = 0;
	lr.length = 1 << 20;
	lr.page_size = 3;
	lr.bitmap = (uintptr_t)junk;
	CALL("DMA_LOGGING_REPORT page size 3", feature(fd,
		VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT,
		hdr + sizeof(lr), &lr, sizeof(lr)), EINVAL, ENOTTY);
	lc.page_size = 4096;
	lc.num_ranges = 0;
	CALL("DMA_LOGGING_START no ranges", feature(fd,
		VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_DMA_LOGGING_START,
		hdr + sizeof(lc), &lc, sizeof(lc)), EINVAL, ENOTTY);

	ri.argsz = 4;
	CALL("GET_REGION_INFO argsz 4", ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
		&ri), EINVAL);
	ri.argsz = sizeof(ri);
	ri.index = 1000;
	CALL("GET_REGION_INFO index 1000", ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
		&ri), EINVAL);
	ii.argsz = 4;
	CALL("GET_IRQ_INFO argsz 4", ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &ii),
	     EINVAL);
	ii.argsz = sizeof(ii);
	ii.index = 1000;
	CALL("GET_IRQ_INFO index 1000", ioctl(fd, VFIO_DEVICE_GET_IRQ_INFO, &ii),
	     EINVAL);
	is.s.argsz = sizeof(is);
	is.s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_DATA_BOOL |
		     VFIO_IRQ_SET_ACTION_TRIGGER;
	is.s.index = VFIO_PCI_MSIX_IRQ_INDEX;
	is.s.count = 1;
	CALL("SET_IRQS two data types", ioctl(fd, VFIO_DEVICE_SET_IRQS, &is),
	     EINVAL);
	is.s.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER;
	is.s.index = 1000;
	CALL("SET_IRQS index 1000", ioctl(fd, VFIO_DEVICE_SET_IRQS, &is),
	     EINVAL);
	memset(junk, 0, sizeof(junk));
	junk[0] = 32;
	CALL("IOEVENTFD", ioctl(fd, VFIO_DEVICE_IOEVENTFD, junk), ENOTTY,
	     EINVAL);
	for (nr = VFIO_BASE + 40; nr < VFIO_BASE + 50; nr++)
		CALL("unknown VFIO ioctl", ioctl(fd, _IO(VFIO_TYPE, nr), junk),
		     ENOTTY);

	poke_random(fd, "random ioctl");
}

static void poke_data(int fd, int save)
{
	struct vfio_precopy_info pi = { 0 };
	char buf[16] = { 0 };
	void *p;

	if (save)
		CALL("data_fd write (a save)", write(fd, buf, sizeof(buf)),
		     EBADF);
	else
		CALL("data_fd read (a resume)", read(fd, buf, sizeof(buf)),
		     EBADF);
	CALL("data_fd lseek", lseek(fd, 0, SEEK_SET), ESPIPE);
	if (save)
		CALL("data_fd pread", pread(fd, buf, sizeof(buf), 0), ESPIPE);
	else
		CALL("data_fd pwrite", pwrite(fd, buf, sizeof(buf), 0), ESPIPE);
	/* (a write-only file cannot be mapped at all) */
	p = mmap(NULL, 4096, save ? PROT_READ : PROT_WRITE, MAP_SHARED, fd, 0);
	CALL("data_fd mmap", p == MAP_FAILED ? -1 : 0, save ? ENODEV : EACCES);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	pi.argsz = 4;
	CALL("PRECOPY_INFO argsz 4", ioctl(fd, VFIO_MIG_GET_PRECOPY_INFO, &pi),
	     save ? EINVAL : ENOTTY);
	poke_random(fd, "data_fd random ioctl");
}

int main(int argc, char **argv)
{
	int wait_s = argc > 2 ? atoi(argv[2]) : 120;
	int pidfd, dev_t, data_t, dev, data, i, save, flags;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: mig_poke PID [WAIT]\n");
		return 2;
	}
	pid = atoi(argv[1]);
	for (i = 0; i < wait_s * 10; i++) {
		if (!find_fds(pid, &dev_t, &data_t))
			break;
		usleep(100000);
	}
	if (dev_t < 0 || data_t < 0) {
		printf("POKE %d: no device fd and data_fd in %d s\n", pid, wait_s);
		return 2;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	dev = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, dev_t, 0);
	data = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, data_t, 0);
	if (dev < 0 || data < 0) {
		printf("POKE %d: cannot copy its fds: %s\n", pid, strerror(errno));
		return 2;
	}
	/* QEMU may have closed them and reused the numbers in between */
	if (!same_kind(dev, FD_DEVICE) || !same_kind(data, FD_DATA)) {
		printf("POKE %d: its fds changed before they were copied\n", pid);
		return 2;
	}
	flags = fcntl(data, F_GETFL);
	save = (flags & O_ACCMODE) == O_RDONLY;
	srandom(1);
	poke_device(dev);
	poke_data(data, save);
	printf("POKE %d session %s calls %d unexpected %d\n", pid,
	       save ? "SAVE" : "RESUME", calls, unexpected);
	close(data);
	close(dev);
	close(pidfd);
	return unexpected ? 1 : 0;
}
