// SPDX-License-Identifier: GPL-2.0
/*
 * hostile: a hostile user of an i40e_vf_mdev device, for
 * tests/vm/cases/mdev-hostile.sh.
 *
 *   hostile SYSFSDEV [SEED [OPS]]
 *
 * Opens the mdev SYSFSDEV through the VFIO group/container interface (as
 * QEMU 7.2 does), maps a DMA buffer of random bytes, then performs OPS
 * (default 3000) random operations, deterministic for a SEED (default 1;
 * printed first):
 *  - reads and writes of BAR0, most of them on the page 0x6000-0x8fff that
 *    holds the mailbox registers and VFGEN_RSTAT, with random values or
 *    ring addresses inside and outside the DMA buffer; sometimes a
 *    well-formed mailbox message with a random virtchnl opcode
 *  - reads and writes of the other regions (config space included, which
 *    can start an FLR), at random offsets and sizes
 *  - random VFIO device ioctls (info, IRQs, reset, hot reset, ioeventfd,
 *    unknown numbers) and VFIO_DEVICE_FEATURE requests with random ids,
 *    flags and payloads
 *  - random migration state requests (VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE),
 *    reads and writes on the data_fds they return, precopy info, data size
 *  - VFIO_DEVICE_RESET now and then, up to three in a row
 * Every failure is expected and counted; every call is bounded by an
 * alarm (a call still blocked after OPTIMEOUT seconds is interrupted and
 * counted as a timeout).  At the end it prints one line per kind of
 * operation ("KIND ok N err N") and "DONE ops N timeouts N", closes
 * everything and exits 0; 1 if any call timed out, 2 if the device could
 * not be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
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

#ifndef VFIO_MIG_GET_PRECOPY_INFO
struct vfio_precopy_info {
	__u32 argsz;
	__u32 flags;
	__aligned_u64 initial_bytes;
	__aligned_u64 dirty_bytes;
};
#define VFIO_MIG_GET_PRECOPY_INFO _IO(VFIO_TYPE, VFIO_BASE + 21)
#endif
#ifndef VFIO_DEVICE_FEATURE_MIG_DATA_SIZE
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9
#endif

#define OPTIMEOUT	10	/* seconds a single call may take */
#define NDATAFD		4	/* data_fds kept open at most */
#define DMA_IOVA	0x10000000ull
#define DMA_SIZE	(1u << 20)

/* VF BAR0 mailbox registers */
static const uint32_t mbx_regs[] = {
	0x6000, 0x6400, 0x6800, 0x6c00, 0x7000,		/* ARQBAH ATQH ATQLEN ARQBAL ARQT */
	0x7400, 0x7800, 0x7c00, 0x8000, 0x8400,		/* ARQH ATQBAH ATQBAL ARQLEN ATQT */
	0x8800,						/* VFGEN_RSTAT */
};

enum kind { K_BAR0_RD, K_BAR0_WR, K_MBX_MSG, K_REGION, K_IOCTL, K_FEATURE,
	    K_MIG_STATE, K_DATA_RD, K_DATA_WR, K_DATA_IOCTL, K_RESET, K_NR };
static const char *const kind_name[K_NR] = {
	"bar0-read", "bar0-write", "mailbox-msg", "region-rw", "ioctl",
	"feature", "mig-state", "data-read", "data-write", "data-ioctl",
	"reset",
};
static unsigned long nok[K_NR], nerr[K_NR], ntimeout;

static uint64_t rng;

/* xorshift64* */
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Arm the per-call timeout; returns after the call with done() */
static void arm(void)
{
	alarmed = 0;
	alarm(OPTIMEOUT);
}

static void done(enum kind k, int failed)
{
	alarm(0);
	if (alarmed) {
		ntimeout++;
		printf("TIMEOUT %s\n", kind_name[k]);
	}
	if (failed)
		nerr[k]++;
	else
		nok[k]++;
}

static int dev = -1, container = -1, group = -1;
static uint64_t bar0_off, bar0_size;
static uint8_t *dma;
static int datafd[NDATAFD];

static uint64_t region_offset(unsigned int index)
{
	return (uint64_t)index << 40;	/* VFIO_PCI_OFFSET_SHIFT */
}

static void open_device(const char *sysfsdev)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char gpath[64], *copy = strdup(sysfsdev);
	ssize_t n;

	vfio_group_attach(sysfsdev, &container, &group, gpath);
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, basename(copy));
	if (dev < 0) {
		printf("ERROR VFIO_GROUP_GET_DEVICE_FD %s: %s\n",
		       basename(copy), strerror(errno));
		exit(2);
	}
	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri)) {
		printf("ERROR BAR0 region info: %s\n", strerror(errno));
		exit(2);
	}
	bar0_off = ri.offset;
	bar0_size = ri.size;

	dma = mmap(NULL, DMA_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (dma == MAP_FAILED) {
		printf("ERROR mmap: %s\n", strerror(errno));
		exit(2);
	}
	for (n = 0; n < DMA_SIZE; n += 8) {
		uint64_t v = rnd();

		memcpy(dma + n, &v, 8);
	}
	map.vaddr = (uintptr_t)dma;
	map.iova = DMA_IOVA;
	map.size = DMA_SIZE;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
		printf("ERROR map DMA: %s\n", strerror(errno));
		exit(2);
	}
	printf("OPENED %s BAR0 size %#llx\n", basename(copy),
	       (unsigned long long)bar0_size);
	free(copy);
}

/* A BAR0 offset: mostly on the mailbox page, mostly a real register */
static uint64_t bar0_rnd_offset(void)
{
	uint32_t r = rnd_below(100);

	if (r < 45)
		return mbx_regs[rnd_below(sizeof(mbx_regs) / sizeof(mbx_regs[0]))];
	if (r < 80)
		return 0x6000 + rnd_below(0x3000);
	if (r < 98)
		return rnd_below(0x10000);
	return rnd_below(0x20000);	/* beyond the BAR too */
}

/* A value for a BAR0 write */
static uint32_t bar0_rnd_value(uint64_t off)
{
	switch (rnd_below(8)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff;
	case 2:		/* ring base inside the DMA buffer */
		return (uint32_t)DMA_IOVA + rnd_below(DMA_SIZE / 32) * 32;
	case 3:		/* length with the enable bit */
		return 0x80000000u | rnd_below(off == 0x6800 || off == 0x8000 ?
					       1024 : 0x10000);
	case 4:
		return rnd_below(64);
	default:
		return (uint32_t)rnd();
	}
}

static void op_bar0_rw(int write)
{
	static const size_t sizes[] = { 1, 2, 4, 4, 4, 8 };
	uint64_t off = bar0_rnd_offset(), v;
	size_t len = sizes[rnd_below(6)];
	ssize_t r;

	if (write) {
		v = bar0_rnd_value(off);
		if (len == 8)
			v |= (uint64_t)bar0_rnd_value(off + 4) << 32;
		arm();
		r = pwrite(dev, &v, len, bar0_off + off);
		done(K_BAR0_WR, r != (ssize_t)len);
	} else {
		arm();
		r = pread(dev, &v, len, bar0_off + off);
		done(K_BAR0_RD, r != (ssize_t)len);
	}
}

static int wr32(uint64_t off, uint32_t v)
{
	return pwrite(dev, &v, 4, bar0_off + off) == 4 ? 0 : -1;
}

/*
 * A mailbox message the model forwards to the PF: an ATQ of 16
 * descriptors and an ARQ of 16 in the DMA buffer, one "send to PF"
 * descriptor with a random virtchnl opcode and a random buffer.
 */
static void op_mbx_msg(void)
{
	uint8_t *atq = dma, *arq = dma + 0x1000, *buf = dma + 0x2000;
	uint16_t len = rnd_below(256);
	uint32_t op = rnd_below(8) ? rnd_below(70) : (uint32_t)rnd();
	uint32_t slot = rnd_below(16);
	uint8_t *d = atq + slot * 32;
	uint64_t a = DMA_IOVA + 0x2000;
	int failed = 0;
	uint16_t cmd = 0;
	uint32_t i;

	for (i = 0; i < len; i++)
		buf[i] = rnd();
	memset(d, 0, 32);
	*(uint16_t *)(d + 0) = 0x1000 | 0x0400 | 0x2000;	/* BUF RD SI */
	*(uint16_t *)(d + 2) = 0x0801;			/* send to PF */
	*(uint16_t *)(d + 4) = len;
	*(uint32_t *)(d + 8) = op;			/* cookie_high */
	*(uint32_t *)(d + 24) = a >> 32;
	*(uint32_t *)(d + 28) = (uint32_t)a;
	memset(arq, 0, 0x1000);
	for (i = 0; i < 16; i++) {
		uint64_t b = DMA_IOVA + 0x3000 + i * 0x1000;

		*(uint16_t *)(arq + i * 32) = 0x1000;		/* BUF */
		*(uint16_t *)(arq + i * 32 + 4) = 4096;
		*(uint32_t *)(arq + i * 32 + 24) = b >> 32;
		*(uint32_t *)(arq + i * 32 + 28) = (uint32_t)b;
	}
	arm();
	/* Bus mastering on, or the VF cannot fetch the descriptor */
	if (pread(dev, &cmd, 2, region_offset(VFIO_PCI_CONFIG_REGION_INDEX) + 4) != 2)
		failed = 1;
	cmd |= 0x6;
	if (pwrite(dev, &cmd, 2, region_offset(VFIO_PCI_CONFIG_REGION_INDEX) + 4) != 2)
		failed = 1;
	failed |= wr32(0x8000, 0);			/* ARQLEN off */
	failed |= wr32(0x6c00, (uint32_t)(DMA_IOVA + 0x1000));
	failed |= wr32(0x6000, (uint32_t)((DMA_IOVA + 0x1000) >> 32));
	failed |= wr32(0x7400, 0);
	failed |= wr32(0x7000, 15);
	failed |= wr32(0x8000, 0x80000000u | 16);
	failed |= wr32(0x6800, 0);			/* ATQLEN off */
	failed |= wr32(0x7c00, (uint32_t)DMA_IOVA);
	failed |= wr32(0x7800, (uint32_t)(DMA_IOVA >> 32));
	failed |= wr32(0x6400, slot);
	failed |= wr32(0x6800, 0x80000000u | 16);
	failed |= wr32(0x8400, (slot + 1) % 16);
	done(K_MBX_MSG, failed);
}

static void op_region_rw(void)
{
	unsigned int index = rnd_below(12);
	uint64_t off = rnd_below(8) ? rnd_below(0x100) : rnd_below(0x2000);
	size_t len = 1u << rnd_below(4);
	uint64_t v = rnd();
	ssize_t r;

	if (index == VFIO_PCI_BAR0_REGION_INDEX)
		index = VFIO_PCI_CONFIG_REGION_INDEX;
	/* Config space: mostly the header and the capabilities */
	if (index == VFIO_PCI_CONFIG_REGION_INDEX && rnd_below(4))
		off = rnd_below(0x100);
	arm();
	if (rnd_below(2))
		r = pwrite(dev, &v, len, region_offset(index) + off);
	else
		r = pread(dev, &v, len, region_offset(index) + off);
	done(K_REGION, r != (ssize_t)len);
}

/* A buffer of random bytes, sometimes with a plausible argsz */
static void rnd_fill(void *p, size_t n)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = rnd();
	if (n >= 4 && rnd_below(4)) {
		uint32_t argsz = rnd_below(2) ? n : rnd_below(n + 16);

		memcpy(b, &argsz, 4);
	}
}

static void op_ioctl(void)
{
	static const unsigned long cmds[] = {
		VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
		VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_SET_IRQS,
		VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, VFIO_DEVICE_PCI_HOT_RESET,
		VFIO_DEVICE_IOEVENTFD,
	};
	union {
		uint8_t b[512];
		struct vfio_irq_set set;
		struct vfio_region_info ri;
		struct vfio_irq_info ii;
	} u;
	unsigned long cmd;
	int efd = -1, r;

	rnd_fill(&u, sizeof(u));
	if (rnd_below(10)) {
		cmd = cmds[rnd_below(sizeof(cmds) / sizeof(cmds[0]))];
		switch (cmd) {
		case VFIO_DEVICE_GET_REGION_INFO:
			u.ri.argsz = rnd_below(2) ? sizeof(u.ri) : sizeof(u);
			u.ri.index = rnd_below(12);
			break;
		case VFIO_DEVICE_GET_IRQ_INFO:
			u.ii.argsz = sizeof(u.ii);
			u.ii.index = rnd_below(7);
			break;
		case VFIO_DEVICE_SET_IRQS:
			u.set.argsz = sizeof(u.set) + 4 * rnd_below(8);
			u.set.index = rnd_below(7);
			u.set.start = rnd_below(4);
			u.set.count = rnd_below(6);
			u.set.flags = (1u << rnd_below(3)) |
				      (1u << (5 + rnd_below(3)));
			efd = eventfd(0, EFD_NONBLOCK);
			memcpy(u.b + sizeof(u.set), &efd, 4);
			break;
		}
	} else {
		cmd = _IO(VFIO_TYPE, VFIO_BASE + rnd_below(40));
		if (cmd == VFIO_DEVICE_RESET)
			cmd = VFIO_DEVICE_GET_INFO;
	}
	arm();
	r = ioctl(dev, cmd, &u);
	done(K_IOCTL, r < 0);
	if (efd >= 0)
		close(efd);
}

static void op_feature(void)
{
	union {
		uint8_t b[256];
		struct vfio_device_feature f;
	} u;
	uint32_t sz = sizeof(u.f) + rnd_below(64);
	int r;

	rnd_fill(&u, sizeof(u));
	u.f.argsz = rnd_below(8) ? sz : rnd_below(sizeof(u) + 64);
	u.f.flags = rnd_below(16) ? rnd_below(16) : (uint32_t)rnd();
	/* Random and real features; the state one is op_mig_state's */
	u.f.flags = (u.f.flags & ~VFIO_DEVICE_FEATURE_MASK) |
		    (rnd_below(4) ? rnd_below(12) : (uint32_t)rnd() & 0xffff);
	if ((u.f.flags & VFIO_DEVICE_FEATURE_MASK) ==
	    VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE &&
	    (u.f.flags & VFIO_DEVICE_FEATURE_SET))
		u.f.flags &= ~VFIO_DEVICE_FEATURE_SET;
	arm();
	r = ioctl(dev, VFIO_DEVICE_FEATURE, &u);
	done(K_FEATURE, r < 0);
}

static void keep_datafd(int fd)
{
	int i = rnd_below(NDATAFD);

	if (datafd[i] >= 0)
		close(datafd[i]);
	datafd[i] = fd;
}

static void op_mig_state(void)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_mig_state st;
	} u = { .f = { .argsz = sizeof(u),
		       .flags = VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE } };
	int r;

	u.st.data_fd = -1;
	if (rnd_below(3)) {
		u.f.flags |= VFIO_DEVICE_FEATURE_SET;
		u.st.device_state = rnd_below(16) ? rnd_below(9) : (uint32_t)rnd();
	} else {
		u.f.flags |= VFIO_DEVICE_FEATURE_GET;
	}
	arm();
	r = ioctl(dev, VFIO_DEVICE_FEATURE, &u);
	done(K_MIG_STATE, r < 0);
	if (!r && (u.f.flags & VFIO_DEVICE_FEATURE_SET) && u.st.data_fd >= 0)
		keep_datafd(u.st.data_fd);
}

static void op_data(void)
{
	int fd = datafd[rnd_below(NDATAFD)];
	uint8_t buf[4096];
	size_t len = rnd_below(8) ? rnd_below(sizeof(buf)) : sizeof(buf);
	ssize_t r;

	if (fd < 0) {
		op_mig_state();
		return;
	}
	switch (rnd_below(3)) {
	case 0:
		arm();
		r = read(fd, buf, len);
		done(K_DATA_RD, r < 0);
		break;
	case 1:
		rnd_fill(buf, len);
		/* Sometimes the start of a plausible stream header */
		if (len >= 8 && rnd_below(2))
			memcpy(buf, "I40EVFM", 8);
		arm();
		r = write(fd, buf, len);
		done(K_DATA_WR, r < 0);
		break;
	default: {
		struct vfio_precopy_info pi = { .argsz = sizeof(pi) };
		unsigned long cmd = rnd_below(2) ? VFIO_MIG_GET_PRECOPY_INFO :
				    _IO(VFIO_TYPE, VFIO_BASE + rnd_below(40));

		if (rnd_below(4) == 0)
			pi.argsz = rnd_below(64);
		arm();
		r = ioctl(fd, cmd, &pi);
		done(K_DATA_IOCTL, r < 0);
	}
	}
}

/*
 * One to three resets in a row: the next ones come while the PF is still
 * finishing the reset of the first
 */
static void op_reset(void)
{
	int n = 1 + rnd_below(3), r;

	while (n--) {
		arm();
		r = ioctl(dev, VFIO_DEVICE_RESET);
		done(K_RESET, r < 0);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long seed = 1, ops = 3000, i;
	int k;

	if (argc < 2) {
		fprintf(stderr, "usage: %s SYSFSDEV [SEED [OPS]]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		seed = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		ops = strtoul(argv[3], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("SEED %lu OPS %lu\n", seed, ops);
	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	/* No SA_RESTART: a blocked call returns EINTR at the alarm */
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (k = 0; k < NDATAFD; k++)
		datafd[k] = -1;
	open_device(argv[1]);

	for (i = 0; i < ops; i++) {
		uint32_t r = rnd_below(1000);

		if (r < 300)
			op_bar0_rw(1);
		else if (r < 500)
			op_bar0_rw(0);
		else if (r < 520)
			op_mbx_msg();
		else if (r < 600)
			op_region_rw();
		else if (r < 700)
			op_ioctl();
		else if (r < 780)
			op_feature();
		else if (r < 860)
			op_mig_state();
		else if (r < 990)
			op_data();
		else
			op_reset();
	}

	for (k = 0; k < NDATAFD; k++)
		if (datafd[k] >= 0)
			close(datafd[k]);
	for (k = 0; k < K_NR; k++)
		printf("%s ok %lu err %lu\n", kind_name[k], nok[k], nerr[k]);
	arm();
	close(dev);
	close(group);
	close(container);
	alarm(0);
	printf("DONE ops %lu timeouts %lu\n", ops, ntimeout);
	return ntimeout ? 1 : 0;
}
