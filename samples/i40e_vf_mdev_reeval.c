// SPDX-License-Identifier: GPL-2.0
/*
 * i40e_vf_mdev_reeval: a consumer of the sparse mmap re-evaluation IRQ
 * (<linux/vfio_sparse_reeval.h>, Documentation/reeval.rst), with nothing
 * else around it, that checks each step of the protocol on a migratable
 * i40e_vf_mdev device:
 *
 *   i40e_vf_mdev_reeval UUID
 *
 * It finds the IRQ by its type, reads its capabilities with each argsz
 * rule, refuses bad SET_IRQS arguments, maps BAR0's sparse areas as a VMM
 * does and keeps them matched to what the device says on every signal.
 * Then it starts dirty tracking three ways: with the consumer answering
 * (PRE_COPY succeeds, the Rx tail page leaves the areas and the mappings),
 * without answering (EAGAIN after the device's bound, the device stays
 * RUNNING, the page is held out of the areas; a retry after
 * re-evaluating succeeds), and after unregistering with the page still
 * mapped.  With DMA logging (kernels with CONFIG_IOMMUFD_DRIVER), start
 * takes the page back and stop lends it again.
 *
 * The device is opened the way QEMU's legacy backend does (IOMMU group,
 * type1 container).  Each check prints "ok" or "not ok"; the last line is
 * "N passed, M failed" and the exit status 1 if any failed.
 *
 * Build with the uAPI headers of Linux 6.6 or later:
 *
 *   cc -O2 -Wall -pthread -I<linux>/usr/include -I<this tree>/include/uapi \
 *      -o i40e_vf_mdev_reeval i40e_vf_mdev_reeval.c
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <linux/vfio.h>
#include <linux/vfio_sparse_reeval.h>

#define RX_TAIL		0x2000		/* QRX_TAIL1(0): the page lent */
#define MAX_AREAS	16

static const char *uuid;
static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (ok)
		passed++;
	else
		failed++;
}

/* The device, and the areas of BAR0 it has mapped */
struct dev {
	int container, group, fd;
	__u64 bar0;			/* offset of BAR0 in the device fd */
	int irq;			/* the re-evaluation IRQ's index */
	int efd;			/* its eventfd, or -1 */
	int nr_maps;
	struct map { __u64 off, size; void *addr; } maps[MAX_AREAS];
};

static int dev_open(struct dev *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX], link[PATH_MAX];
	const char *p;
	ssize_t n;

	memset(d, 0, sizeof(*d));
	d->container = -1;
	d->group = -1;
	d->fd = -1;
	d->irq = -1;
	d->efd = -1;
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group",
		 uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	p = strrchr(link, '/');
	snprintf(path, sizeof(path), "/dev/vfio/%lu",
		 strtoul(p ? p + 1 : link, NULL, 10));
	d->container = open("/dev/vfio/vfio", O_RDWR);
	d->group = open(path, O_RDWR);
	if (d->container < 0 || d->group < 0 ||
	    ioctl(d->group, VFIO_GROUP_GET_STATUS, &status) ||
	    !(status.flags & VFIO_GROUP_FLAGS_VIABLE) ||
	    ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	return d->fd < 0 ? -1 : 0;
}

static void dev_close(struct dev *d)
{
	int i;

	for (i = 0; i < d->nr_maps; i++)
		munmap(d->maps[i].addr, d->maps[i].size);
	d->nr_maps = 0;
	if (d->efd >= 0)
		close(d->efd);
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->efd = -1;
	d->fd = -1;
	d->group = -1;
	d->container = -1;
}

/* The capability @id in the chain of @buf that starts at @off, or NULL */
static void *find_cap(void *buf, __u32 off, __u16 id)
{
	while (off) {
		struct vfio_info_cap_header *h = (void *)((char *)buf + off);

		if (h->id == id)
			return h;
		off = h->next;
	}
	return NULL;
}

/* BAR0's sparse areas now; returns their number, or -1 */
static int get_areas(struct dev *d, struct vfio_region_sparse_mmap_area *a)
{
	__u64 buf[512] = { 0 };
	struct vfio_region_info *info = (void *)buf;
	struct vfio_region_info_cap_sparse_mmap *sp;
	__u32 i;

	info->argsz = sizeof(buf);
	info->index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, info))
		return -1;
	d->bar0 = info->offset;
	if (!(info->flags & VFIO_REGION_INFO_FLAG_MMAP))
		return 0;
	if (!(info->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return -1;
	sp = find_cap(buf, info->cap_offset, VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	if (!sp || sp->nr_areas > MAX_AREAS)
		return -1;
	for (i = 0; i < sp->nr_areas; i++)
		a[i] = sp->areas[i];
	return sp->nr_areas;
}

static int covers(__u64 off, __u64 size, __u64 where)
{
	return where >= off && where < off + size;
}

static int tail_in_areas(struct dev *d)
{
	struct vfio_region_sparse_mmap_area a[MAX_AREAS];
	int i, n = get_areas(d, a);

	for (i = 0; i < n; i++)
		if (covers(a[i].offset, a[i].size, RX_TAIL))
			return 1;
	return 0;
}

static struct map *tail_map(struct dev *d)
{
	int i;

	for (i = 0; i < d->nr_maps; i++)
		if (covers(d->maps[i].off, d->maps[i].size, RX_TAIL))
			return &d->maps[i];
	return NULL;
}

/*
 * What the user must do when signalled: read the areas again, unmap what
 * is no longer in them, map what is new.  Returns 0 or -1.
 */
static int reevaluate(struct dev *d)
{
	struct vfio_region_sparse_mmap_area a[MAX_AREAS];
	int i, j, n = get_areas(d, a), kept = 0;
	struct map keep[MAX_AREAS];

	if (n < 0)
		return -1;
	for (i = 0; i < d->nr_maps; i++) {
		for (j = 0; j < n; j++)
			if (a[j].offset == d->maps[i].off &&
			    a[j].size == d->maps[i].size)
				break;
		if (j < n)
			keep[kept++] = d->maps[i];
		else
			munmap(d->maps[i].addr, d->maps[i].size);
	}
	memcpy(d->maps, keep, sizeof(keep[0]) * kept);
	d->nr_maps = kept;
	for (j = 0; j < n; j++) {
		void *p;

		for (i = 0; i < d->nr_maps; i++)
			if (d->maps[i].off == a[j].offset)
				break;
		if (i < d->nr_maps)
			continue;
		p = mmap(NULL, a[j].size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 d->fd, d->bar0 + a[j].offset);
		if (p == MAP_FAILED)
			return -1;
		d->maps[d->nr_maps++] = (struct map){ a[j].offset, a[j].size, p };
	}
	return 0;
}

/* Whether the eventfd was signalled within @ms; consumes the signal */
static int signalled(struct dev *d, int ms)
{
	struct pollfd pfd = { .fd = d->efd, .events = POLLIN };
	__u64 v;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	return read(d->efd, &v, sizeof(v)) == sizeof(v);
}

/* VFIO_DEVICE_SET_IRQS on the IRQ; returns 0 or -errno */
static int set_irqs(struct dev *d, __u32 flags, __u32 start, __u32 count,
		    const void *data, size_t len)
{
	__u64 buf[4] = { 0 };
	struct vfio_irq_set *s = (void *)buf;

	s->argsz = sizeof(*s) + len;
	s->flags = flags;
	s->index = d->irq;
	s->start = start;
	s->count = count;
	memcpy(s->data, data, len);
	return ioctl(d->fd, VFIO_DEVICE_SET_IRQS, s) ? -errno : 0;
}

static int reg(struct dev *d, __s32 fd)
{
	return set_irqs(d, VFIO_IRQ_SET_DATA_EVENTFD |
			VFIO_IRQ_SET_ACTION_TRIGGER, 0, 1, &fd, sizeof(fd));
}

/* The migration state; returns 0 or -errno */
static int mig_set(struct dev *d, __u32 state)
{
	__u64 buf[4] = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *m = (void *)f->data;

	f->argsz = sizeof(*f) + sizeof(*m);
	f->flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	m->device_state = state;
	if (ioctl(d->fd, VFIO_DEVICE_FEATURE, f))
		return -errno;
	if (m->data_fd >= 0)
		close(m->data_fd);
	return 0;
}

static int mig_get(struct dev *d)
{
	__u64 buf[4] = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_mig_state *m = (void *)f->data;

	f->argsz = sizeof(*f) + sizeof(*m);
	f->flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE;
	return ioctl(d->fd, VFIO_DEVICE_FEATURE, f) ? -1 : (int)m->device_state;
}

/* DMA logging of one range; returns 0 or -errno */
static int logging(struct dev *d, int start)
{
	__u64 buf[8] = { 0 };
	struct vfio_device_feature *f = (void *)buf;
	struct vfio_device_feature_dma_logging_control *c = (void *)f->data;
	struct vfio_device_feature_dma_logging_range r = {
		.iova = 0, .length = 1ULL << 30,
	};

	f->argsz = sizeof(*f) + (start ? sizeof(*c) : 0);
	f->flags = VFIO_DEVICE_FEATURE_SET |
		   (start ? VFIO_DEVICE_FEATURE_DMA_LOGGING_START :
			    VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP);
	c->page_size = 4096;
	c->num_ranges = 1;
	c->ranges = (uintptr_t)&r;
	return ioctl(d->fd, VFIO_DEVICE_FEATURE, f) ? -errno : 0;
}

/* A read through the mapping of the Rx tail page: no SIGBUS */
static int read_tail(struct dev *d)
{
	struct map *m = tail_map(d);

	if (!m)
		return -1;
	/* any value: the point is that the access does not fault */
	(void)__atomic_load_n((__u32 *)((char *)m->addr + RX_TAIL - m->off),
			      __ATOMIC_RELAXED);
	return 1;
}

/* ---- the IRQ and its info ---- */

static void step_find(struct dev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	__u64 buf[64];
	struct vfio_irq_info_ext *x = (void *)buf;
	struct vfio_irq_info old;
	__u32 i;

	check(!ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info) &&
	      info.num_irqs > VFIO_PCI_NUM_IRQS,
	      "VFIO_DEVICE_GET_INFO: IRQ indexes past vfio-pci's own");

	for (i = VFIO_PCI_NUM_IRQS; i < info.num_irqs && d->irq < 0; i++) {
		struct vfio_irq_info_cap_type *t;

		memset(buf, 0, sizeof(buf));
		x->argsz = sizeof(buf);
		x->index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, x) ||
		    !(x->flags & VFIO_IRQ_INFO_FLAG_CAPS))
			continue;
		t = find_cap(buf, x->cap_offset, VFIO_IRQ_INFO_CAP_TYPE);
		if (t && t->type == VFIO_IRQ_TYPE_REGION &&
		    t->subtype == VFIO_IRQ_SUBTYPE_REGION_SPARSE_MMAP)
			d->irq = i;
	}
	check(d->irq >= 0, "an IRQ of type REGION / SPARSE_MMAP");
	if (d->irq < 0)
		return;
	printf("# re-evaluation IRQ at index %d\n", d->irq);

	/* the old argsz: the old answer, the flag, and the size needed */
	memset(&old, 0, sizeof(old));
	old.argsz = sizeof(old);
	old.index = d->irq;
	check(!ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &old) &&
	      old.flags == (VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_NORESIZE |
			    VFIO_IRQ_INFO_FLAG_CAPS) &&
	      old.count == 1 && old.argsz > sizeof(*x),
	      "IRQ info, 16-byte argsz: EVENTFD | NORESIZE | CAPS, count 1, argsz grows");

	/* room for the header only: cap_offset 0 and the size needed */
	memset(buf, 0xff, sizeof(buf));
	x->argsz = sizeof(*x);
	x->index = d->irq;
	check(!ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, x) && !x->cap_offset &&
	      x->argsz == old.argsz && !x->__reserved,
	      "IRQ info, header-sized argsz: cap_offset 0, the same argsz needed");

	/* all of it: the regions capability lists BAR0 only */
	memset(buf, 0, sizeof(buf));
	x->argsz = old.argsz;
	x->index = d->irq;
	if (!ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, x)) {
		struct vfio_irq_info_cap_regions *r;

		r = find_cap(buf, x->cap_offset, VFIO_IRQ_INFO_CAP_REGIONS);
		check(x->cap_offset == sizeof(*x) && r && r->nr_regions == 1 &&
		      r->regions[0] == VFIO_PCI_BAR0_REGION_INDEX,
		      "IRQ info, whole: the regions capability is {BAR0}");
	} else {
		check(0, "IRQ info, whole");
	}
}

static void step_bad_inputs(struct dev *d)
{
	__s32 fd = -2, null = open("/dev/null", O_RDONLY);
	__u8 b = 1;

	check(set_irqs(d, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK,
		       0, 1, NULL, 0) == -EINVAL,
	      "SET_IRQS: MASK is refused (EINVAL)");
	check(set_irqs(d, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK,
		       0, 1, NULL, 0) == -EINVAL,
	      "SET_IRQS: UNMASK is refused (EINVAL)");
	check(set_irqs(d, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		       1, 1, &b, 1) == -EINVAL,
	      "SET_IRQS: start 1 is refused (EINVAL)");
	check(set_irqs(d, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 2, &b, 2) == -EINVAL,
	      "SET_IRQS: count 2 is refused (EINVAL)");
	check(set_irqs(d, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       0, 0, NULL, 0) == -EINVAL,
	      "SET_IRQS: an eventfd with count 0 is refused (EINVAL)");
	check(reg(d, fd) == -EINVAL, "SET_IRQS: fd -2 is refused (EINVAL)");
	check(reg(d, null) == -EINVAL,
	      "SET_IRQS: an fd that is not an eventfd is refused (EINVAL)");
	close(null);
	check(!tail_in_areas(d),
	      "after refused calls, still no consumer: the Rx tail page is trapped");
}

/* ---- tracking start, answered from another thread's point of view ---- */

struct call {
	struct dev *d;
	int ret;
	int done;
	int unmapping;		/* set by the answering thread before munmap() */
	int early;		/* PRE_COPY returned before the unmapping began */
};

static void *call_precopy(void *arg)
{
	struct call *c = arg;

	c->ret = mig_set(c->d, VFIO_DEVICE_STATE_PRE_COPY);
	c->early = !__atomic_load_n(&c->unmapping, __ATOMIC_ACQUIRE);
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * PRE_COPY from a thread while this one answers the IRQ like a main loop.
 * Returns its result; *early says whether it returned before the answer.
 */
static int precopy_answered(struct dev *d, int *answers, int *early)
{
	struct call c = { .d = d };
	pthread_t t;

	*answers = 0;
	if (pthread_create(&t, NULL, call_precopy, &c))
		return -1;
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		if (signalled(d, 100)) {
			/*
			 * The claim may end as soon as munmap() drops the
			 * page, before this thread runs again: say so first
			 */
			__atomic_store_n(&c.unmapping, 1, __ATOMIC_RELEASE);
			if (reevaluate(d))
				break;
			(*answers)++;
		}
	pthread_join(t, NULL);
	*early = c.early;
	return c.ret;
}

static int mmap_tail_fails(struct dev *d)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd,
		       d->bar0 + RX_TAIL);

	if (p != MAP_FAILED) {
		munmap(p, 4096);
		return 0;
	}
	return errno == EINVAL;
}

static void step_register(struct dev *d)
{
	struct map *m;
	__u8 b;

	d->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	check(!reg(d, d->efd) && signalled(d, 1000),
	      "register an eventfd: signalled at once");
	check(tail_in_areas(d) && !reevaluate(d) && tail_map(d),
	      "re-evaluated: the Rx tail page is lent, and mapped");
	check(read_tail(d) == 1, "the lent page reads through the mapping");

	check(!set_irqs(d, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 1, NULL, 0) && signalled(d, 1000),
	      "loopback: DATA_NONE count 1 signals");
	b = 0;
	check(!set_irqs(d, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 1, &b, 1) && !signalled(d, 200),
	      "loopback: DATA_BOOL false does not signal");
	b = 1;
	check(!set_irqs(d, VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 1, &b, 1) && signalled(d, 1000),
	      "loopback: DATA_BOOL true signals");

	m = tail_map(d);
	if (m && m->size > 4096) {
		/* the mapping's first page if the tail is further in, else its last */
		__u64 at = m->off < RX_TAIL ? 0 : m->size - 4096;

		check(munmap((char *)m->addr + at, 4096) && errno == EINVAL,
		      "a partial munmap() of the mapping of the lent page fails (EINVAL)");
	} else {
		printf("# the lent page is mapped alone: no partial munmap() to try\n");
	}
}

static void step_claim_answered(struct dev *d)
{
	int answers, early = 1, ret, status;
	pid_t child;

	/* a child of the consumer does not inherit the lent page's mapping */
	child = fork();
	if (!child) {
		pause();
		_exit(0);
	}
	ret = precopy_answered(d, &answers, &early);
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	printf("# PRE_COPY returned %d after %d re-evaluations\n", ret, answers);
	check(child > 0 && !ret && answers >= 1 && !early,
	      "PRE_COPY with the consumer answering (and a forked child): succeeds only after it unmapped the page");
	check(mig_get(d) == VFIO_DEVICE_STATE_PRE_COPY, "state PRE_COPY");
	check(!tail_in_areas(d) && !tail_map(d),
	      "the Rx tail page left the areas and the mappings");
	check(mmap_tail_fails(d), "mmap() of the Rx tail page fails (EINVAL)");
	check(!mig_set(d, VFIO_DEVICE_STATE_RUNNING) && signalled(d, 1000) &&
	      tail_in_areas(d) && !reevaluate(d) && tail_map(d),
	      "back to RUNNING (a cancel): the save's claim ends, the page is lent again, with a signal");
}

static void step_claim_ignored(struct dev *d)
{
	int ret;

	check(!reg(d, d->efd) && signalled(d, 1000) && !reevaluate(d) &&
	      tail_map(d), "a new open lends the page again on registration");

	ret = mig_set(d, VFIO_DEVICE_STATE_PRE_COPY);
	check(ret == -EAGAIN, "PRE_COPY with the consumer not answering: EAGAIN");
	check(mig_get(d) == VFIO_DEVICE_STATE_RUNNING, "state still RUNNING");
	check(!tail_in_areas(d),
	      "the page is held out of the areas for a retry");
	check(read_tail(d) == 1,
	      "the mapping the consumer kept still works (no SIGBUS)");
	check(signalled(d, 0) && !reevaluate(d) && !tail_map(d) &&
	      !mig_set(d, VFIO_DEVICE_STATE_PRE_COPY),
	      "re-evaluated then retried: PRE_COPY succeeds");
	check(!mig_set(d, VFIO_DEVICE_STATE_RUNNING), "back to RUNNING");
}

static void step_unregistered(struct dev *d)
{
	check(!reg(d, d->efd) && signalled(d, 1000) && !reevaluate(d) &&
	      tail_map(d), "registered and mapped again (new open)");
	check(!set_irqs(d, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
			0, 0, NULL, 0) && !signalled(d, 200) && !tail_in_areas(d),
	      "unregistered (DATA_NONE, count 0): the page leaves the areas, no signal");
	check(read_tail(d) == 1, "the mapping it kept still works");
	check(mig_set(d, VFIO_DEVICE_STATE_PRE_COPY) == -EAGAIN &&
	      mig_get(d) == VFIO_DEVICE_STATE_RUNNING,
	      "PRE_COPY while it keeps the mapping: EAGAIN, still RUNNING");
	check(!reevaluate(d) && !tail_map(d) &&
	      !mig_set(d, VFIO_DEVICE_STATE_PRE_COPY) &&
	      !mig_set(d, VFIO_DEVICE_STATE_RUNNING),
	      "unmapped: PRE_COPY succeeds");
}

static void step_logging(struct dev *d)
{
	int ret;

	check(!reg(d, d->efd) && signalled(d, 1000) && !reevaluate(d) &&
	      tail_map(d), "registered and mapped again (new open)");
	ret = logging(d, 1);
	if (ret == -ENOTTY) {
		printf("# no DMA logging on this kernel: skipped\n");
		return;
	}
	/* answered synchronously, as a VMM that holds its lock must */
	if (ret == -EAGAIN && signalled(d, 0) && !reevaluate(d))
		ret = logging(d, 1);
	check(!ret && !tail_in_areas(d) && !tail_map(d),
	      "DMA logging start takes the page back (EAGAIN, re-evaluate, retry)");
	check(!logging(d, 0) && signalled(d, 1000) && tail_in_areas(d) &&
	      !reevaluate(d) && tail_map(d),
	      "DMA logging stop lends it again, with a signal");
}

/* Close the device and open it again, with a new eventfd */
static int reopen(struct dev *d)
{
	dev_close(d);
	if (dev_open(d)) {
		check(0, "open the device again");
		return -1;
	}
	step_find(d);
	d->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return d->irq < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct vfio_region_sparse_mmap_area a[MAX_AREAS];
	struct dev d;

	if (argc != 2) {
		fprintf(stderr, "usage: %s UUID\n", argv[0]);
		return 2;
	}
	uuid = argv[1];
	/* line by line, so that what ran is on record if a step crashes */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (dev_open(&d)) {
		fprintf(stderr, "%s: cannot open the device: %m\n", uuid);
		return 1;
	}
	step_find(&d);
	if (d.irq < 0)
		goto out;	/* step_find() failed a check */
	check(get_areas(&d, a) > 0 &&
	      !tail_in_areas(&d) && !reevaluate(&d) && !tail_map(&d),
	      "no consumer yet: the Rx tail page is trapped, the rest mapped");
	step_bad_inputs(&d);
	step_register(&d);
	step_claim_answered(&d);

	/* Each of the next steps on a new open, nothing left of the last */
	if (reopen(&d))
		goto out;
	step_claim_ignored(&d);
	if (reopen(&d))
		goto out;
	step_unregistered(&d);
	if (reopen(&d))
		goto out;
	reevaluate(&d);
	step_logging(&d);
out:
	dev_close(&d);
	printf("%d passed, %d failed\n", passed, failed);
	return !!failed;
}
