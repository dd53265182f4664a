// SPDX-License-Identifier: GPL-2.0
/*
 * xl710-vfio: drive one XL710 model VF from L1 userspace through VFIO
 * (type1 container), for the ground-truth and robustness tests.
 *
 *   xl710-vfio rx BDF
 *	Bring the VF up by talking virtchnl to the PF (the upstream i40e in
 *	L1) over the VF mailbox: one queue pair, 32-byte Rx descriptors, one
 *	4 KiB page per Rx buffer, all at known IOVAs.  Prints "READY mac=..."
 *	and then obeys commands on stdin, one per line:
 *	  mark    remember the ring positions (start of a measurement window)
 *	  report  print the pages the device wrote since "mark", derived from
 *		  what it wrote (Rx descriptors with DD and their buffers, ARQ
 *		  entries and their buffers):  "EXPECT 0x... 0x..." (sorted), and
 *		  "FRAMES n GOOD g BAD b" (g = UDP payloads of the test pattern
 *		  that check out)
 *	  count   print "TOTAL n": Rx descriptors written so far
 *	  quit
 *	Rx buffers are never given back: a ring of RXN descriptors takes
 *	RXN - 1 frames, then the queue is full for good.
 *
 *   xl710-vfio queues BDF N
 *	Ask the PF for N queue pairs (VIRTCHNL_OP_REQUEST_QUEUES), as a VF
 *	driver may; i40e resets the VF with N and keeps that number across
 *	later resets.  Prints "QUEUES before=B after=A", the queue pairs of
 *	the VF's resources before the request and after the reset.
 *
 *   xl710-vfio dirty MDEV
 *	Through the mdev MDEV (its sysfs directory; registers through
 *	read/write, as the trap wants them), bring the VF up as in "rx",
 *	with Rx buffers that are given back in other pages of a pool of
 *	POOL pages, as a driver recycles them, and drive the device's DMA
 *	logging (VFIO_DEVICE_FEATURE_DMA_LOGGING_*) over the whole DMA
 *	region.  Commands on stdin:
 *	  start   START logging, 4 KiB pages: "STARTED"
 *	  poll    take the frames received, give their slots new buffers
 *		  (the tail is written every 16 and at the end): "RX total=T
 *		  good=G bad=B"
 *	  run N   poll until N more frames came (60 s at most), then the
 *		  same line
 *	  tx N    send N broadcast frames from the VF's MAC (ethertype
 *		  0x88b5), each descriptor with RS, keeping one slot free;
 *		  wait until the device is done with them: "TX sent=N
 *		  pending=P", P the descriptors not written back after 1 s
 *	  report  REPORT the whole region: "REPORT n 0x... 0x..." (sorted)
 *	  stop    STOP logging: "STOPPED"
 *	  badlog  bad DMA logging requests, each must fail with its errno:
 *		  "BADLOG ok" or "BADLOG FAIL what"
 *	  hostile N  with the Rx queue stopped, random descriptors and N
 *		  tail writes of any 13-bit value; then the ring moved and
 *		  started again: "HOSTILE tails=N ring=IOVA"
 *	  t1start  the type1 way (QEMU 7.2): the container's dirty
 *		  tracking (VFIO_IOMMU_DIRTY_PAGES START, 4 KiB pages), then
 *		  the device to PRE_COPY: "T1STARTED"
 *	  t1report  the container's bitmap of the region (GET_BITMAP), as
 *		  "REPORT n 0x... 0x..."
 *	  t1final  the device to STOP_COPY (the VF stops): "T1FINAL"
 *	  t1stop  the device to RUNNING, the container's tracking stopped:
 *		  "T1STOPPED"
 *	  quit
 *
 *   xl710-vfio garbage BDF ITERATIONS SEED
 *	Bring the VF up the same way, then program garbage: random values
 *	to every register of BAR0, rings and mailboxes at bogus addresses
 *	with bogus lengths, random descriptors in the real rings, tails
 *	beyond the ring, tails of queues that are not mapped.  Bounded.
 *
 * The test pattern (sender in tests/vm/cases/model-ground-truth.sh): UDP
 * payload "XLGT" + 6-digit sequence number + 200 bytes (seq * 7 + j) & 0xff.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfio_group.h"
#include "vfio_mig.h"

/* VF BAR0 */
#define QTX_TAIL1(q)	(0x0000 + 4 * (q))
#define QRX_TAIL1(q)	(0x2000 + 4 * (q))
#define ARQBAH1		0x6000
#define ATQH1		0x6400
#define ATQLEN1		0x6800
#define ARQBAL1		0x6C00
#define ARQT1		0x7000
#define ARQH1		0x7400
#define ATQBAH1		0x7800
#define ATQBAL1		0x7C00
#define ARQLEN1		0x8000
#define ATQT1		0x8400
#define VFGEN_RSTAT	0x8800
#define AQLEN_ENABLE	0x80000000u

/* AdminQ descriptor */
struct aq_desc {
	uint16_t flags, opcode, datalen, retval;
	uint32_t cookie_high, cookie_low;
	uint32_t param0, param1, addr_high, addr_low;
};
#define AQ_DD	0x0001
#define AQ_CMP	0x0002
#define AQ_ERR	0x0004
#define AQ_LB	0x0200
#define AQ_RD	0x0400
#define AQ_BUF	0x1000
#define AQ_SI	0x2000
#define OP_SEND_TO_PF	0x0801

/* virtchnl */
#define VC_VERSION		1
#define VC_GET_VF_RESOURCES	3
#define VC_CONFIG_VSI_QUEUES	6
#define VC_ENABLE_QUEUES	8
#define VC_DISABLE_QUEUES	9
#define VC_ADD_ETH_ADDR		10
#define VC_EVENT		17
#define VC_REQUEST_QUEUES	29
#define VC_CAP_L2		0x00000001u
#define VC_CAP_REQ_QUEUES	0x00000040u

/* DMA layout: one region at IOVA_BASE, in 4 KiB pages */
#define PG		4096u
#define IOVA_BASE	0x40000000ull
#define AQN		32		/* mailbox ring entries */
#define RXN		256		/* Rx ring entries (32 B each: 2 pages) */
#define TXN		64
#define PG_ATQ		0
#define PG_ARQ		1
#define PG_ATQBUF	2
#define PG_ARQBUF	4		/* AQN pages */
#define PG_TX		40
#define PG_RX		44		/* RXN * 32 / PG = 2 pages */
#define PG_RX2		48		/* where "hostile" moves the Rx ring */
#define PG_RXBUF	64		/* RXN pages; POOL in dirty mode */
#define POOL		(2 * RXN)
#define PG_TXBUF	(PG_RXBUF + POOL)	/* the frame "tx" sends */
#define NPAGES		(PG_RXBUF + POOL + 16)

/* BAR0: mapped (vfio-pci), or read and written through the mdev's fd */
static volatile uint32_t *bar;
static int bar_fd = -1;
static uint64_t bar_off;
static int dev_fd, container_fd = -1, data_fd = -1;
static uint8_t *mem;
static unsigned atq_tail, arq_next;
static uint16_t vsi_id;
static uint8_t vf_mac[6];
/* the buffer each Rx slot was given, as the device writes it back */
static uint64_t rx_slot_iova[RXN];
/* the page of the Rx ring */
static unsigned pg_rx = PG_RX;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stdout, "ERROR ");
	vfprintf(stdout, fmt, ap);
	fprintf(stdout, "\n");
	va_end(ap);
	fflush(stdout);
	exit(1);
}

static uint64_t iova(unsigned pg) { return IOVA_BASE + (uint64_t)pg * PG; }
static void *va(unsigned pg) { return mem + (size_t)pg * PG; }
static uint32_t rd32(unsigned off)
{
	uint32_t v;

	if (bar)
		return bar[off / 4];
	if (pread(bar_fd, &v, 4, bar_off + off) != 4)
		die("read BAR0 0x%x: %s", off, strerror(errno));
	return v;
}
static void wr32(unsigned off, uint32_t v)
{
	__sync_synchronize();
	if (bar)
		bar[off / 4] = v;
	else if (pwrite(bar_fd, &v, 4, bar_off + off) != 4)
		die("write BAR0 0x%x: %s", off, strerror(errno));
}
static void msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * DEV: a PCI address (the VF bound to vfio-pci, BAR0 mapped) or an mdev's
 * sysfs directory (BAR0 read and written through the device fd, so that
 * the driver's trap sees every register access).
 */
static int vfio_open(const char *devname)
{
	char gpath[64], name[256];
	struct vfio_region_info ri = { .argsz = sizeof(ri) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	bool mdev = strchr(devname, '/') != NULL;
	int container, group, dev;
	uint16_t cmd;

	if (mdev) {
		vfio_group_attach(devname, &container, &group, gpath);
		snprintf(name, sizeof(name), "%s", devname);
		snprintf(name, sizeof(name), "%s", basename(name));
	} else {
		char path[256];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", devname);
		vfio_group_attach(path, &container, &group, gpath);
		snprintf(name, sizeof(name), "%s", devname);
	}
	dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, name);
	if (dev < 0)
		die("device fd: %s", strerror(errno));
	dev_fd = dev;

	ri.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri) || ri.size < 0x10000)
		die("BAR0 region info");
	if (mdev) {
		bar_fd = dev;
		bar_off = ri.offset;
	} else {
		bar = mmap(NULL, ri.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   dev, ri.offset);
		if (bar == MAP_FAILED)
			die("mmap BAR0: %s", strerror(errno));
	}

	/* bus master on */
	ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &ri))
		die("config region info");
	if (pread(dev, &cmd, 2, ri.offset + 4) != 2)
		die("config read");
	cmd |= 0x6;
	if (pwrite(dev, &cmd, 2, ri.offset + 4) != 2)
		die("config write");

	mem = mmap(NULL, (size_t)NPAGES * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap dma");
	memset(mem, 0, (size_t)NPAGES * PG);
	map.vaddr = (uintptr_t)mem;
	map.iova = IOVA_BASE;
	map.size = (uint64_t)NPAGES * PG;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		die("map dma: %s", strerror(errno));
	container_fd = container;
	return dev;
}

/* Wait until the PF finished resetting the VF (VFGEN_RSTAT = VFACTIVE). */
static void wait_vf_active(void)
{
	int i, stable = 0;

	for (i = 0; i < 600 && stable < 5; i++) {
		stable = (rd32(VFGEN_RSTAT) & 3) == 2 ? stable + 1 : 0;
		msleep(100);
	}
	if (stable < 5)
		die("VF reset not completed (VFGEN_RSTAT %u)", rd32(VFGEN_RSTAT));
}

static void aq_init(void)
{
	struct aq_desc *arq = va(PG_ARQ);
	unsigned i;

	memset(va(PG_ATQ), 0, PG);
	memset(arq, 0, PG);
	for (i = 0; i < AQN; i++) {
		arq[i].flags = AQ_BUF | AQ_LB;
		arq[i].datalen = PG;
		arq[i].addr_high = iova(PG_ARQBUF + i) >> 32;
		arq[i].addr_low = (uint32_t)iova(PG_ARQBUF + i);
	}
	wr32(ATQLEN1, 0);
	wr32(ARQLEN1, 0);
	wr32(ATQH1, 0);
	wr32(ATQT1, 0);
	wr32(ATQBAL1, (uint32_t)iova(PG_ATQ));
	wr32(ATQBAH1, iova(PG_ATQ) >> 32);
	wr32(ATQLEN1, AQN | AQLEN_ENABLE);
	wr32(ARQH1, 0);
	wr32(ARQBAL1, (uint32_t)iova(PG_ARQ));
	wr32(ARQBAH1, iova(PG_ARQ) >> 32);
	wr32(ARQLEN1, AQN | AQLEN_ENABLE);
	wr32(ARQT1, AQN - 1);
	atq_tail = 0;
	arq_next = 0;
}

static void vc_send(uint32_t op, const void *msg, uint16_t len)
{
	struct aq_desc *d = (struct aq_desc *)va(PG_ATQ) + atq_tail;
	int i;

	memset(d, 0, sizeof(*d));
	d->flags = AQ_SI | (len ? AQ_BUF | AQ_RD | (len > 512 ? AQ_LB : 0) : 0);
	d->opcode = OP_SEND_TO_PF;
	d->datalen = len;
	d->cookie_high = op;
	d->addr_high = iova(PG_ATQBUF) >> 32;
	d->addr_low = (uint32_t)iova(PG_ATQBUF);
	memcpy(va(PG_ATQBUF), msg, len);
	atq_tail = (atq_tail + 1) % AQN;
	wr32(ATQT1, atq_tail);
	for (i = 0; i < 1000 && !(((volatile struct aq_desc *)d)->flags & AQ_DD); i++)
		msleep(1);
	if (!(d->flags & AQ_DD) || (d->flags & AQ_ERR))
		die("mailbox send op %u: flags 0x%x retval %u", op, d->flags,
		    d->retval);
}

/* Wait for the PF's answer to @op (events are skipped); returns its length. */
static int vc_recv(uint32_t op, void *buf, unsigned max)
{
	int i;

	for (i = 0; i < 10000; i++) {
		volatile struct aq_desc *d = (struct aq_desc *)va(PG_ARQ) + arq_next;
		uint32_t vop, vret;
		unsigned len;

		if (!(d->flags & AQ_DD)) {
			msleep(1);
			continue;
		}
		__sync_synchronize();
		vop = d->cookie_high;
		vret = d->cookie_low;
		len = d->datalen;
		if (buf && len)
			memcpy(buf, va(PG_ARQBUF + arq_next), len < max ? len : max);
		/* give the entry back */
		d->flags = AQ_BUF | AQ_LB;
		d->datalen = PG;
		d->addr_high = iova(PG_ARQBUF + arq_next) >> 32;
		d->addr_low = (uint32_t)iova(PG_ARQBUF + arq_next);
		d->cookie_high = d->cookie_low = 0;
		wr32(ARQT1, arq_next);
		arq_next = (arq_next + 1) % AQN;
		if (vop == VC_EVENT)
			continue;
		if (vop != op)
			die("virtchnl: expected op %u, got %u", op, vop);
		if (vret)
			die("virtchnl op %u: PF answered %d", op, (int)vret);
		return len;
	}
	die("virtchnl op %u: no answer", op);
	return -1;
}

/*
 * After a reset: the mailbox, the version and the VF's resources (asking
 * for the capabilities @caps) into @res; returns the number of queue
 * pairs the PF gave the VF.
 */
static unsigned int vf_resources(uint32_t caps, uint8_t *res, unsigned int len)
{
	uint32_t ver[2] = { 1, 1 };
	uint16_t nqp;

	wait_vf_active();
	aq_init();
	vc_send(VC_VERSION, ver, sizeof(ver));
	vc_recv(VC_VERSION, NULL, 0);
	vc_send(VC_GET_VF_RESOURCES, &caps, sizeof(caps));
	vc_recv(VC_GET_VF_RESOURCES, res, len);
	memcpy(&nqp, res + 2, 2);	/* vf_resource.num_queue_pairs */
	return nqp;
}

/* One queue pair: Tx at PG_TX, Rx (32 B descriptors) at pg_rx */
static void vsi_queues_config(void)
{
	/*
	 * virtchnl's legacy sizes: config_info (8) + 2 * queue_pair_info (64)
	 * for one queue pair (see vf_bringup())
	 */
	uint8_t qc[8 + 2 * 64];
	uint64_t v;

	memset(qc, 0, sizeof(qc));
	memcpy(qc, &vsi_id, 2);
	qc[2] = 1;				/* num_queue_pairs */
	/* txq_info at 8: vsi_id, queue_id, ring_len, headwb, ring, headwb */
	memcpy(qc + 8, &vsi_id, 2);
	qc[8 + 4] = TXN;
	v = iova(PG_TX);
	memcpy(qc + 8 + 8, &v, 8);
	/* rxq_info at 32: vsi_id, queue_id, ring_len(4), hdr(2), split(2),
	 * dbuff(4), maxpkt(4), crc_disable, rxdid, pad[2], ring(8), ...
	 */
	memcpy(qc + 32, &vsi_id, 2);
	*(uint32_t *)(qc + 32 + 4) = RXN;
	*(uint32_t *)(qc + 32 + 12) = 2048;
	*(uint32_t *)(qc + 32 + 16) = 1522;
	v = iova(pg_rx);
	memcpy(qc + 32 + 24, &v, 8);
	vc_send(VC_CONFIG_VSI_QUEUES, qc, sizeof(qc));
	vc_recv(VC_CONFIG_VSI_QUEUES, NULL, 0);

}

/* Every Rx descriptor at pg_rx gets a buffer: pool pages FIRST, FIRST + 1... */
static void rx_ring_fill(unsigned int first)
{
	uint64_t *rx = va(pg_rx);
	unsigned int i;

	for (i = 0; i < RXN; i++) {
		rx_slot_iova[i] = iova(PG_RXBUF + (first + i) % POOL);
		rx[i * 4] = rx_slot_iova[i];
		rx[i * 4 + 1] = rx[i * 4 + 2] = rx[i * 4 + 3] = 0;
	}
}

/* VIRTCHNL_OP_ENABLE_QUEUES or _DISABLE_QUEUES of the queue pair */
static void queues_switch(uint32_t op)
{
	uint8_t sel[12];

	memset(sel, 0, sizeof(sel));
	memcpy(sel, &vsi_id, 2);
	sel[4] = 1;				/* rx_queues */
	sel[8] = 1;				/* tx_queues */
	vc_send(op, sel, sizeof(sel));
	vc_recv(op, NULL, 0);
}

static void vf_bringup(void)
{
	uint8_t res[4096];
	/*
	 * virtchnl's legacy sizes: the structs used to end in a one-element
	 * array, so a list of n elements is sent as n + 1 (the PF checks it):
	 * ether_addr_list (4) + 2 * ether_addr (8).
	 */
	uint8_t ea[4 + 2 * 8];
	uint16_t nvsi;

	vf_resources(VC_CAP_L2, res, sizeof(res));
	memcpy(&nvsi, res, 2);
	if (!nvsi)
		die("no VSI in VF resources");
	/*
	 * vf_resource: num_vsis, num_qp, max_vectors, max_mtu, cap_flags(4),
	 * rss_key_size(4), rss_lut_size(4); vsi_res[0] at 20: vsi_id, num_qp,
	 * type(4), qset(2), mac(6)
	 */
	memcpy(&vsi_id, res + 20, 2);
	memcpy(vf_mac, res + 20 + 10, 6);
	if (!(vf_mac[0] | vf_mac[1] | vf_mac[2] | vf_mac[3] | vf_mac[4] |
	      vf_mac[5]))
		die("the PF gave no MAC (set one: ip link set PF vf N mac ...)");

	vsi_queues_config();

	/* the MAC the PF gave (or set): make sure it is filtered to us */
	memset(ea, 0, sizeof(ea));
	memcpy(ea, &vsi_id, 2);
	ea[2] = 1;
	memcpy(ea + 4, vf_mac, 6);
	ea[10] = 1;				/* primary */
	vc_send(VC_ADD_ETH_ADDR, ea, sizeof(ea));
	vc_recv(VC_ADD_ETH_ADDR, NULL, 0);

	/* Rx buffers, then enable */
	rx_ring_fill(0);
	queues_switch(VC_ENABLE_QUEUES);
	wr32(QRX_TAIL1(0), RXN - 1);
}

static void queues_mode(unsigned int n)
{
	uint32_t caps = VC_CAP_L2 | VC_CAP_REQ_QUEUES;
	uint16_t req = n;		/* struct virtchnl_vf_res_request */
	uint8_t res[4096];
	unsigned int before = vf_resources(caps, res, sizeof(res)), after;
	int i;

	if (before == n)
		die("the VF already has %u queue pairs", n);
	vc_send(VC_REQUEST_QUEUES, &req, sizeof(req));
	/*
	 * A request the PF grants is not answered: it resets the VF, which
	 * disables the mailbox (ATQLEN's enable bit clears) and moves
	 * VFGEN_RSTAT away from VFACTIVE until the reset is done.
	 */
	for (i = 0; i < 100 && (rd32(ATQLEN1) & AQLEN_ENABLE) &&
	     (rd32(VFGEN_RSTAT) & 3) == 2; i++)
		msleep(100);
	if (i == 100)
		die("the PF did not reset the VF for %u queue pairs", n);
	after = vf_resources(caps, res, sizeof(res));
	printf("QUEUES before=%u after=%u\n", before, after);
}

/* Give back every ARQ entry the PF filled (events) without waiting. */
static void arq_drain(void)
{
	volatile struct aq_desc *d = (struct aq_desc *)va(PG_ARQ) + arq_next;
	unsigned n;

	for (n = 0; n < AQN && (d->flags & AQ_DD); n++) {
		d->flags = AQ_BUF | AQ_LB;
		d->datalen = PG;
		d->cookie_high = d->cookie_low = 0;
		wr32(ARQT1, arq_next);
		arq_next = (arq_next + 1) % AQN;
		d = (struct aq_desc *)va(PG_ARQ) + arq_next;
	}
}

/* ---- rx mode ---- */

static int cmp64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void add_page(uint64_t *set, unsigned *n, uint64_t addr)
{
	uint64_t p = addr & ~(uint64_t)(PG - 1);
	unsigned i;

	for (i = 0; i < *n; i++)
		if (set[i] == p)
			return;
	set[(*n)++] = p;
}

static unsigned rx_written(void)
{
	volatile uint64_t *rx = va(pg_rx);
	unsigned n = 0;

	while (n < RXN && (rx[n * 4 + 1] & 1))
		n++;
	return n;
}

static int check_payload(const uint8_t *f, unsigned len)
{
	unsigned j, seq;
	const uint8_t *p;

	/* Ethernet + IPv4 (no options) + UDP */
	if (len < 14 + 20 + 8 + 10 + 200 || f[12] != 0x08 || f[13] != 0 ||
	    (f[14] & 0xf) != 5 || f[23] != 17)
		return -1;
	p = f + 42;
	if (memcmp(p, "XLGT", 4))
		return -1;
	seq = 0;
	for (j = 4; j < 10; j++)
		seq = seq * 10 + (p[j] - '0');
	for (j = 0; j < 200; j++)
		if (p[10 + j] != (uint8_t)((seq * 7 + j) & 0xff))
			return 0;
	return 1;
}

static void rx_mode(void)
{
	unsigned mark_rx = 0, mark_arq = 0;
	char line[64];

	vf_bringup();
	printf("READY mac=%02x:%02x:%02x:%02x:%02x:%02x vsi=%u\n", vf_mac[0],
	       vf_mac[1], vf_mac[2], vf_mac[3], vf_mac[4], vf_mac[5], vsi_id);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "mark", 4)) {
			/* events that came before the window are not in it */
			arq_drain();
			mark_rx = rx_written();
			mark_arq = arq_next;
			printf("MARKED rx=%u\n", mark_rx);
		} else if (!strncmp(line, "count", 5)) {
			printf("TOTAL %u\n", rx_written());
		} else if (!strncmp(line, "report", 6)) {
			static uint64_t set[2 * RXN + 4 * AQN];
			volatile uint64_t *rx = va(pg_rx);
			unsigned n = 0, i, end = rx_written();
			unsigned good = 0, bad = 0;
			volatile struct aq_desc *arq = va(PG_ARQ);

			for (i = mark_rx; i < end; i++) {
				uint64_t qw1 = rx[i * 4 + 1];
				unsigned len = (qw1 >> 38) & 0x3fff;
				int c;

				add_page(set, &n, iova(pg_rx) + i * 32);
				if (len)
					add_page(set, &n, iova(PG_RXBUF + i));
				c = check_payload(va(PG_RXBUF + i), len);
				good += c == 1;
				bad += c == 0;
			}
			/* mailbox entries the PF sent meanwhile (none expected) */
			for (i = mark_arq; (arq[i].flags & AQ_DD); i = (i + 1) % AQN) {
				add_page(set, &n, iova(PG_ARQ) + i * 32);
				if (arq[i].datalen)
					add_page(set, &n, iova(PG_ARQBUF + i));
				if ((i + 1) % AQN == mark_arq)
					break;
			}
			qsort(set, n, sizeof(set[0]), cmp64);
			printf("EXPECT");
			for (i = 0; i < n; i++)
				printf(" 0x%llx", (unsigned long long)set[i]);
			printf("\nFRAMES %u GOOD %u BAD %u\n", end - mark_rx, good,
			       bad);
		} else if (!strncmp(line, "quit", 4)) {
			break;
		}
		fflush(stdout);
	}
}

/* ---- dirty mode ---- */

static uint64_t log_bitmap[(NPAGES + 63) / 64];

/* DMA logging START (@ps page size) over the DMA region; returns errno */
static int log_start(uint64_t ps)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_logging_control c;
	} a;
	struct vfio_device_feature_dma_logging_range r = {
		.iova = IOVA_BASE, .length = (uint64_t)NPAGES * PG,
	};

	memset(&a, 0, sizeof(a));
	a.f.argsz = sizeof(a);
	a.f.flags = VFIO_DEVICE_FEATURE_SET |
		    VFIO_DEVICE_FEATURE_DMA_LOGGING_START;
	a.c.page_size = ps;
	a.c.num_ranges = 1;
	a.c.ranges = (uintptr_t)&r;
	return ioctl(dev_fd, VFIO_DEVICE_FEATURE, &a) ? errno : 0;
}

static int log_stop(void)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f), .flags = VFIO_DEVICE_FEATURE_SET |
		VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP,
	};

	return ioctl(dev_fd, VFIO_DEVICE_FEATURE, &f) ? errno : 0;
}

static int log_report(uint64_t ps)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_logging_report r;
	} a;

	memset(&a, 0, sizeof(a));
	a.f.argsz = sizeof(a);
	a.f.flags = VFIO_DEVICE_FEATURE_GET |
		    VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
	memset(log_bitmap, 0, sizeof(log_bitmap));
	a.r.iova = IOVA_BASE;
	a.r.length = (uint64_t)NPAGES * PG;
	a.r.page_size = ps;
	a.r.bitmap = (uintptr_t)log_bitmap;
	return ioctl(dev_fd, VFIO_DEVICE_FEATURE, &a) ? errno : 0;
}

/* Each bad request fails with its errno, and leaves logging usable */
static void badlog(void)
{
	const char *what = NULL;
	int e;

	if ((e = log_report(PG)) != EINVAL)
		what = "REPORT before START";
	else if ((e = log_start(3)) != EINVAL)
		what = "START with a page size of 3";
	else if ((e = log_start(1ull << 31)) != EINVAL)
		what = "START with 2 GiB pages";
	else if ((e = log_start(PG)) != 0)
		what = "START";
	else if ((e = log_start(PG)) != EBUSY)
		what = "a second START";
	else if ((e = log_report(1000)) != EINVAL)
		what = "REPORT with a page size of 1000";
	else if ((e = log_report(PG)) != 0)
		what = "REPORT";
	else if ((e = log_stop()) != 0)
		what = "STOP";
	else if ((e = log_stop()) != 0)
		what = "a second STOP";
	else if ((e = log_report(PG)) != EINVAL)
		what = "REPORT after STOP";
	if (what)
		printf("BADLOG FAIL %s: errno %d\n", what, e);
	else
		printf("BADLOG ok\n");
}

/* The container's dirty tracking: VFIO_IOMMU_DIRTY_PAGES FLAG (START, STOP) */
static int t1_dirty(uint32_t flag)
{
	struct vfio_iommu_type1_dirty_bitmap d = {
		.argsz = sizeof(d), .flags = flag,
	};

	return ioctl(container_fd, VFIO_IOMMU_DIRTY_PAGES, &d) ? errno : 0;
}

/* The container's bitmap of the DMA region, into log_bitmap */
static int t1_report(void)
{
	struct {
		struct vfio_iommu_type1_dirty_bitmap d;
		struct vfio_iommu_type1_dirty_bitmap_get g;
	} a;

	memset(&a, 0, sizeof(a));
	memset(log_bitmap, 0, sizeof(log_bitmap));
	a.d.argsz = sizeof(a);
	a.d.flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
	a.g.iova = IOVA_BASE;
	a.g.size = (uint64_t)NPAGES * PG;
	a.g.bitmap.pgsize = PG;
	a.g.bitmap.size = sizeof(log_bitmap);
	a.g.bitmap.data = (__u64 *)log_bitmap;
	return ioctl(container_fd, VFIO_IOMMU_DIRTY_PAGES, &a) ? errno : 0;
}

/* The device to migration state @st; 0 or an errno */
static int t1_state(uint32_t st)
{
	int fd = -1, ret = vfio_mig_state(dev_fd, 1, &st, &fd);

	if (ret)
		return -ret;
	if (fd >= 0) {
		if (data_fd >= 0)
			close(data_fd);
		data_fd = fd;
	}
	return 0;
}

static unsigned ntc, ntu = RXN - 1, pool = RXN, total, good, bad;
static unsigned tx_next;
static bool tx_used[TXN];

/* Slot @s of the Tx ring is free: never used, or written back (DD) */
static bool tx_free(unsigned s)
{
	volatile uint64_t *d = (volatile uint64_t *)va(PG_TX) + s * 2;
	unsigned i;

	for (i = 0; tx_used[s] && i < 1000; i++) {
		if ((d[1] & 0xf) == 0xf)
			return true;
		msleep(1);
	}
	return !tx_used[s];
}

/* Send @n frames on Tx queue 0 (tx_next from 0 after every enable) */
static void tx_send(unsigned n)
{
	volatile uint64_t *tx = va(PG_TX);
	uint8_t *f = va(PG_TXBUF);
	unsigned i, s, pending = 0;

	memset(f, 0xff, 6);
	memcpy(f + 6, vf_mac, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	memset(f + 14, 0x5a, 46);
	for (i = 0; i < n; i++) {
		s = tx_next;
		/* the slot, and the one after it, so that tail never meets head */
		if (!tx_free(s) || !tx_free((s + 1) % TXN))
			break;
		tx[s * 2] = iova(PG_TXBUF);
		/* DATA, cmd EOP | RS | ICRC, 60 bytes */
		tx[s * 2 + 1] = (uint64_t)(0x1 | 0x2 | 0x4) << 4 |
				(uint64_t)60 << 34;
		tx_used[s] = true;
		tx_next = (s + 1) % TXN;
		wr32(QTX_TAIL1(0), tx_next);
	}
	for (s = 0; s < TXN; s++)
		if (!tx_free(s))
			pending++;
	printf("TX sent=%u pending=%u\n", i, pending);
}

/* The Tx queue was (re)enabled: it starts at slot 0, all free */
static void tx_reset(void)
{
	tx_next = 0;
	memset(tx_used, 0, sizeof(tx_used));
	memset(va(PG_TX), 0, PG);
}

/* Take the frames received; their slots get buffers in other pages */
static void rx_poll(void)
{
	volatile uint64_t *rx = va(pg_rx);
	unsigned since = 0;

	while (rx[ntc * 4 + 1] & 1) {
		uint64_t qw1 = rx[ntc * 4 + 1];
		unsigned len = (qw1 >> 38) & 0x3fff;
		unsigned pg = (rx_slot_iova[ntc] - iova(0)) / PG;
		int c = check_payload(va(pg), len);

		good += c == 1;
		bad += c != 1;
		total++;
		ntc = (ntc + 1) % RXN;
		rx_slot_iova[ntu] = iova(PG_RXBUF + pool % POOL);
		pool++;
		rx[ntu * 4] = rx_slot_iova[ntu];
		rx[ntu * 4 + 1] = 0;
		ntu = (ntu + 1) % RXN;
		if (++since == 16) {
			wr32(QRX_TAIL1(0), ntu);
			since = 0;
		}
	}
	if (since)
		wr32(QRX_TAIL1(0), ntu);
}

/*
 * What a hostile driver can do to the tracking while the device cannot
 * act on it: the Rx queue stopped, its ring filled with random bytes (so
 * random buffer addresses), its tail written N times with any 13-bit
 * value; then, as a driver may, the ring moved (PG_RX <-> PG_RX2), given
 * fresh buffers and started again.
 */
static void hostile(unsigned n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	volatile uint64_t *rx = va(pg_rx);
	unsigned i;

	queues_switch(VC_DISABLE_QUEUES);
	for (i = 0; i < RXN * 4; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		rx[i] = x;
	}
	for (i = 0; i < n; i++)
		wr32(QRX_TAIL1(0), (uint32_t)(rx[i % (RXN * 4)] >> 7) & 0x1fff);
	pg_rx = pg_rx == PG_RX ? PG_RX2 : PG_RX;
	vsi_queues_config();
	rx_ring_fill(pool);
	pool += RXN;
	ntc = 0;
	ntu = RXN - 1;
	tx_reset();
	queues_switch(VC_ENABLE_QUEUES);
	wr32(QRX_TAIL1(0), ntu);
	printf("HOSTILE tails=%u ring=0x%llx\n", n,
	       (unsigned long long)iova(pg_rx));
}

static void dirty_mode(void)
{
	char line[64];
	int e;

	vf_bringup();
	printf("READY mac=%02x:%02x:%02x:%02x:%02x:%02x vsi=%u\n", vf_mac[0],
	       vf_mac[1], vf_mac[2], vf_mac[3], vf_mac[4], vf_mac[5], vsi_id);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "start", 5)) {
			e = log_start(PG);
			if (e)
				printf("ERROR START: %s\n", strerror(e));
			else
				printf("STARTED\n");
		} else if (!strncmp(line, "stop", 4)) {
			e = log_stop();
			if (e)
				printf("ERROR STOP: %s\n", strerror(e));
			else
				printf("STOPPED\n");
		} else if (!strncmp(line, "poll", 4)) {
			rx_poll();
			printf("RX total=%u good=%u bad=%u\n", total, good, bad);
		} else if (!strncmp(line, "run", 3)) {
			unsigned target = total + atoi(line + 3), i;

			for (i = 0; i < 60000 && total < target; i++) {
				rx_poll();
				msleep(1);
			}
			printf("RX total=%u good=%u bad=%u\n", total, good, bad);
		} else if (!strncmp(line, "t1start", 7)) {
			e = t1_dirty(VFIO_IOMMU_DIRTY_PAGES_FLAG_START);
			if (!e)
				e = t1_state(VFIO_DEVICE_STATE_PRE_COPY);
			if (e)
				printf("ERROR T1START: %s\n", strerror(e));
			else
				printf("T1STARTED\n");
		} else if (!strncmp(line, "t1final", 7)) {
			e = t1_state(VFIO_DEVICE_STATE_STOP_COPY);
			if (e)
				printf("ERROR T1FINAL: %s\n", strerror(e));
			else
				printf("T1FINAL\n");
		} else if (!strncmp(line, "t1stop", 6)) {
			e = t1_state(VFIO_DEVICE_STATE_RUNNING);
			if (!e)
				e = t1_dirty(VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP);
			if (data_fd >= 0)
				close(data_fd);
			data_fd = -1;
			if (e)
				printf("ERROR T1STOP: %s\n", strerror(e));
			else
				printf("T1STOPPED\n");
		} else if (!strncmp(line, "report", 6) ||
			   !strncmp(line, "t1report", 8)) {
			unsigned i, n = 0;

			e = line[0] == 't' ? t1_report() : log_report(PG);
			if (e) {
				printf("ERROR REPORT: %s\n", strerror(e));
				fflush(stdout);
				continue;
			}
			for (i = 0; i < NPAGES; i++)
				n += (log_bitmap[i / 64] >> (i % 64)) & 1;
			printf("REPORT %u", n);
			for (i = 0; i < NPAGES; i++)
				if ((log_bitmap[i / 64] >> (i % 64)) & 1)
					printf(" 0x%llx",
					       (unsigned long long)iova(i));
			printf("\n");
		} else if (!strncmp(line, "badlog", 6)) {
			badlog();
		} else if (!strncmp(line, "hostile", 7)) {
			hostile(atoi(line + 7));
		} else if (!strncmp(line, "tx", 2)) {
			tx_send(atoi(line + 2));
		} else if (!strncmp(line, "quit", 4)) {
			break;
		}
		fflush(stdout);
	}
}

/* ---- garbage mode ---- */

static uint64_t rng;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void garbage_mode(unsigned iters, unsigned seed)
{
	static const unsigned aqregs[] = {
		ATQBAL1, ATQBAH1, ATQLEN1, ATQH1, ATQT1,
		ARQBAL1, ARQBAH1, ARQLEN1, ARQH1, ARQT1,
	};
	unsigned it, off, i, writes = 0;

	rng = 0x9e3779b97f4a7c15ull ^ seed;
	vf_bringup();
	printf("READY garbage seed=%u iterations=%u\n", seed, iters);
	fflush(stdout);
	for (it = 0; it < iters; it++) {
		/* 1. random values at every register offset */
		for (off = 0; off < 0x10000; off += 4) {
			wr32(off, rnd());
			writes++;
		}
		/* 2. mailbox rings: bogus addresses, lengths and tails */
		for (i = 0; i < 64; i++) {
			unsigned r = aqregs[rnd() % 10];
			uint32_t v = rnd();

			if (r == ATQLEN1 || r == ARQLEN1)
				v = (v & 0x3ff) | (rnd() & 1 ? AQLEN_ENABLE : 0);
			if (r == ATQBAL1 || r == ARQBAL1)
				v = (rnd() & 1) ? v :
				    (uint32_t)iova(rnd() % NPAGES) + (v & 0xfe0);
			if (r == ATQBAH1 || r == ARQBAH1)
				v = (rnd() & 1) ? v : 0;
			wr32(r, v);
			writes++;
		}
		/* 3. garbage descriptors/messages in the real rings and buffers */
		for (i = 0; i < NPAGES * PG / 4; i += 1 + rnd() % 64)
			((uint32_t *)mem)[i] = rnd();
		/* a valid mailbox ring full of random descriptors */
		wr32(ATQLEN1, 0);
		wr32(ATQBAL1, (uint32_t)iova(PG_ATQ));
		wr32(ATQBAH1, iova(PG_ATQ) >> 32);
		wr32(ATQH1, 0);
		wr32(ATQLEN1, AQN | AQLEN_ENABLE);
		wr32(ATQT1, rnd() % (2 * AQN));
		/* 4. tails beyond the ring, and of unmapped queues */
		for (i = 0; i < 32; i++) {
			wr32(QTX_TAIL1(rnd() % 16), rnd() % (2 * TXN) + (rnd() & 1 ? 0 : 0x1fff));
			wr32(QRX_TAIL1(rnd() % 16), rnd() % (2 * RXN));
			writes += 2;
		}
		/* 5. read everything back (read-to-clear registers) */
		for (off = 0; off < 0x10000; off += 4 * (1 + rnd() % 8))
			(void)rd32(off);
	}
	printf("DONE writes=%u\n", writes);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "rx")) {
		vfio_open(argv[2]);
		rx_mode();
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "queues")) {
		vfio_open(argv[2]);
		queues_mode(atoi(argv[3]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "dirty")) {
		vfio_open(argv[2]);
		dirty_mode();
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "garbage")) {
		vfio_open(argv[2]);
		garbage_mode(atoi(argv[3]), atoi(argv[4]));
		return 0;
	}
	fprintf(stderr, "usage: %s rx BDF | queues BDF N | dirty MDEV | garbage BDF ITERATIONS SEED\n",
		argv[0]);
	return 2;
}
