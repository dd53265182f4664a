// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seed corpus for fuzz_pfblob: i40e VF migration blobs (i40e_vf_mig_blob.h,
 * from patches/kernel).  Valid ones: no messages; a log of VERSION,
 * GET_VF_RESOURCES and CONFIG_VSI_QUEUES; a log of every class followed
 * by held (deferred) requests; 16 queue pairs, a zero-length message and
 * a held request of a class the log does not keep; logs of 255 and 256
 * entries; virtchnl versions 0.0 (none negotiated) and 1.0.  Then invalid
 * ones, each breaking one rule of i40e_vf_mig_blob_parse(), a virtchnl
 * version newer than 1.1 among them.
 *
 * The messages are well-formed virtchnl 1.1 requests (blob_msg() checks
 * them with virtchnl_vc_validate_vf_msg()) except where an invalid seed
 * needs otherwise.  Every valid blob must parse and every invalid one
 * must not: otherwise this exits non-zero.
 *
 * Usage: gen_pfblob DIR
 */
#include <linux/avf/virtchnl.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <asm/byteorder.h>
#include <stdlib.h>

#include "i40e_vf_mig_blob.h"

#define SIZE	(64 * 1024)
#define NQP	4
#define VSI_ID	3

static const char *dir;
static unsigned int nr, errors;

/* A blob being built: the header, then the log, then the held requests. */
static union {
	struct i40e_vf_mig_blob_hdr h;
	u8 b[SIZE];
} blob;
static size_t blob_len;
static bool deferring;

static void le16_add(__le16 *v, int n)
{
	*v = cpu_to_le16(le16_to_cpu(*v) + n);
}

static void blob_init(unsigned int nqp)
{
	struct i40e_vf_mig_blob_hdr *h = &blob.h;
	unsigned int i;

	memset(&blob, 0, sizeof(blob));
	h->magic = cpu_to_le32(I40E_VF_MIG_BLOB_MAGIC);
	h->num_queue_pairs = cpu_to_le16(nqp);
	h->guest_vsi_id = cpu_to_le16(VSI_ID);
	h->vf_ver_major = cpu_to_le32(VIRTCHNL_VERSION_MAJOR);
	h->vf_ver_minor = cpu_to_le32(VIRTCHNL_VERSION_MINOR);
	h->flags = cpu_to_le32(I40E_VF_MIG_F_SPOOFCHK);
	h->mac[0] = 0x02;
	h->mac[5] = 0x42;
	for (i = 0; i < nqp; i++) {
		h->q[i].flags = I40E_VF_MIG_Q_TX_ENA | I40E_VF_MIG_Q_RX_ENA;
		h->q[i].tx_head = cpu_to_le16(17 * i);
		h->q[i].tx_tail = cpu_to_le16(17 * i + 3);
		h->q[i].rx_head = cpu_to_le16(500 + i);
		h->q[i].rx_tail = cpu_to_le16(499 + i);
	}
	blob_len = sizeof(*h);
	deferring = false;
}

/* Append a message; the first held one ends the log. */
static void blob_msg(u32 op, const void *data, u16 len, bool held)
{
	struct virtchnl_version_info ver = {
		.major = VIRTCHNL_VERSION_MAJOR,
		.minor = VIRTCHNL_VERSION_MINOR,
	};
	struct i40e_vf_mig_blob_hdr *h = &blob.h;
	struct i40e_vf_mig_blob_msg *msg = (void *)(blob.b + blob_len);
	static u8 tmp[I40E_VF_MIG_MSG_MAX];

	if (held)
		deferring = true;
	if (!held && deferring) {
		fprintf(stderr, "gen_pfblob: a log entry after a held request\n");
		exit(1);
	}
	if (len)
		memcpy(tmp, data, len);
	if (virtchnl_vc_validate_vf_msg(&ver, op, tmp, len)) {
		fprintf(stderr, "gen_pfblob: op %u: not a valid request (%u bytes)\n",
			op, len);
		exit(1);
	}
	msg->op = cpu_to_le32(op);
	msg->len = cpu_to_le16(len);
	if (len)
		memcpy(msg + 1, data, len);
	blob_len += sizeof(*msg) + ALIGN(len, 4);
	if (held)
		le16_add(&h->num_deferred, 1);
	else
		le16_add(&h->num_log, 1);
}

static void save(const char *name, const void *b, size_t len, bool valid)
{
	struct i40e_vf_mig_blob parsed;
	const char *why;
	char path[4096];
	int ret;
	FILE *f;

	ret = i40e_vf_mig_blob_parse(b, len, &parsed, &why);
	if (valid != !ret) {
		fprintf(stderr, "gen_pfblob: %s: parse() = %d (%s), expected %s\n",
			name, ret, why, valid ? "0" : "-EINVAL");
		errors++;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
	nr++;
}

/* Close the blob (its length) and save it. */
static void blob_save(const char *name, bool valid)
{
	blob.h.len = cpu_to_le32(blob_len);
	save(name, blob.b, blob_len, valid);
}

static union {
	struct virtchnl_vsi_queue_config_info vqc;
	struct virtchnl_irq_map_info vimi;
	struct virtchnl_rss_key vrk;
	struct virtchnl_rss_lut vrl;
	struct virtchnl_ether_addr_list veal;
	struct virtchnl_vlan_filter_list vfl;
	u8 b[I40E_VF_MIG_MSG_MAX];
} m;

static void msg_version(void)
{
	struct virtchnl_version_info v = {
		.major = VIRTCHNL_VERSION_MAJOR,
		.minor = VIRTCHNL_VERSION_MINOR,
	};

	blob_msg(VIRTCHNL_OP_VERSION, &v, sizeof(v), false);
}

static void msg_resources(void)
{
	u32 caps = VIRTCHNL_VF_OFFLOAD_L2 | VIRTCHNL_VF_OFFLOAD_RSS_PF |
		   VIRTCHNL_VF_OFFLOAD_VLAN | VIRTCHNL_VF_OFFLOAD_WB_ON_ITR;

	blob_msg(VIRTCHNL_OP_GET_VF_RESOURCES, &caps, sizeof(caps), false);
}

static void msg_queues(unsigned int nqp)
{
	unsigned int i;

	memset(&m, 0, sizeof(m));
	m.vqc.vsi_id = VSI_ID;
	m.vqc.num_queue_pairs = nqp;
	for (i = 0; i < nqp; i++) {
		struct virtchnl_queue_pair_info *qp = &m.vqc.qpair[i];

		qp->txq.vsi_id = VSI_ID;
		qp->txq.queue_id = i;
		qp->txq.ring_len = 512;
		qp->txq.dma_ring_addr = 0x100000 + 0x10000 * i;
		qp->rxq.vsi_id = VSI_ID;
		qp->rxq.queue_id = i;
		qp->rxq.ring_len = 512;
		qp->rxq.databuffer_size = 2048;
		qp->rxq.max_pkt_size = 1522;
		qp->rxq.dma_ring_addr = 0x200000 + 0x10000 * i;
	}
	blob_msg(VIRTCHNL_OP_CONFIG_VSI_QUEUES, &m,
		 virtchnl_struct_size(&m.vqc, qpair, nqp), false);
}

/* A log entry of every class, in replay order. */
static void msg_others(unsigned int nqp)
{
	struct virtchnl_rss_hena hena = { .hena = 0x7fffc };
	struct virtchnl_promisc_info promisc = {
		.vsi_id = VSI_ID,
		.flags = FLAG_VF_MULTICAST_PROMISC,
	};
	unsigned int i;

	memset(&m, 0, sizeof(m));
	m.vimi.num_vectors = 2;
	m.vimi.vecmap[0].vsi_id = VSI_ID;
	m.vimi.vecmap[1].vsi_id = VSI_ID;
	m.vimi.vecmap[1].vector_id = 1;
	m.vimi.vecmap[1].rxq_map = GENMASK(nqp - 1, 0);
	m.vimi.vecmap[1].txq_map = GENMASK(nqp - 1, 0);
	blob_msg(VIRTCHNL_OP_CONFIG_IRQ_MAP, &m,
		 virtchnl_struct_size(&m.vimi, vecmap, 2), false);

	/* 52 + 5 and 64 + 5 bytes: padded */
	memset(&m, 0, sizeof(m));
	m.vrk.vsi_id = VSI_ID;
	m.vrk.key_len = 52;
	for (i = 0; i < 52; i++)
		m.vrk.key[i] = 0x5a ^ i;
	blob_msg(VIRTCHNL_OP_CONFIG_RSS_KEY, &m,
		 virtchnl_struct_size(&m.vrk, key, 52), false);
	memset(&m, 0, sizeof(m));
	m.vrl.vsi_id = VSI_ID;
	m.vrl.lut_entries = 64;
	for (i = 0; i < 64; i++)
		m.vrl.lut[i] = i % nqp;
	blob_msg(VIRTCHNL_OP_CONFIG_RSS_LUT, &m,
		 virtchnl_struct_size(&m.vrl, lut, 64), false);
	blob_msg(VIRTCHNL_OP_SET_RSS_HENA, &hena, sizeof(hena), false);

	blob_msg(VIRTCHNL_OP_ENABLE_VLAN_STRIPPING, NULL, 0, false);

	memset(&m, 0, sizeof(m));
	m.veal.vsi_id = VSI_ID;
	m.veal.num_elements = 2;
	m.veal.list[0].addr[0] = 0x02;
	m.veal.list[0].addr[5] = 0x42;
	m.veal.list[0].type = VIRTCHNL_ETHER_ADDR_PRIMARY;
	m.veal.list[1].addr[0] = 0x01;
	m.veal.list[1].addr[1] = 0x00;
	m.veal.list[1].addr[2] = 0x5e;
	m.veal.list[1].addr[5] = 0x01;
	m.veal.list[1].type = VIRTCHNL_ETHER_ADDR_EXTRA;
	blob_msg(VIRTCHNL_OP_ADD_ETH_ADDR, &m,
		 virtchnl_struct_size(&m.veal, list, 2), false);
	memset(&m, 0, sizeof(m));
	m.vfl.vsi_id = VSI_ID;
	m.vfl.num_elements = 3;
	m.vfl.vlan_id[0] = 10;
	m.vfl.vlan_id[1] = 20;
	m.vfl.vlan_id[2] = 4094;
	blob_msg(VIRTCHNL_OP_ADD_VLAN, &m,
		 virtchnl_struct_size(&m.vfl, vlan_id, 3), false);

	blob_msg(VIRTCHNL_OP_CONFIG_PROMISCUOUS_MODE, &promisc,
		 sizeof(promisc), false);
}

/* Held requests: the VF's queue start and a filter change. */
static void msg_held(unsigned int nqp)
{
	struct virtchnl_queue_select qs = {
		.vsi_id = VSI_ID,
		.rx_queues = GENMASK(nqp - 1, 0),
		.tx_queues = GENMASK(nqp - 1, 0),
	};

	blob_msg(VIRTCHNL_OP_ENABLE_QUEUES, &qs, sizeof(qs), true);
	memset(&m, 0, sizeof(m));
	m.vfl.vsi_id = VSI_ID;
	m.vfl.num_elements = 1;
	m.vfl.vlan_id[0] = 20;
	blob_msg(VIRTCHNL_OP_DEL_VLAN, &m,
		 virtchnl_struct_size(&m.vfl, vlan_id, 1), true);
}

/* The "full" blob: every class logged, then held requests. */
static void blob_full(void)
{
	blob_init(NQP);
	msg_version();
	msg_resources();
	msg_queues(NQP);
	msg_others(NQP);
	msg_held(NQP);
}

/* Offset of the @n-th message of the current blob. */
static size_t msg_off(unsigned int n)
{
	size_t off = sizeof(struct i40e_vf_mig_blob_hdr);

	while (n--) {
		const struct i40e_vf_mig_blob_msg *msg = (void *)(blob.b + off);

		off += sizeof(*msg) + ALIGN(le16_to_cpu(msg->len), 4);
	}
	return off;
}

int main(int argc, char **argv)
{
	struct i40e_vf_mig_blob_hdr *h = &blob.h;
	struct i40e_vf_mig_blob_msg *msg;
	unsigned int i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	/* Valid */
	blob_init(NQP);
	blob_save("empty", true);

	blob_init(NQP);
	msg_version();
	msg_resources();
	msg_queues(NQP);
	blob_save("log", true);

	blob_full();
	h->flags = cpu_to_le32(I40E_VF_MIG_F_ALL);
	h->port_vlan_id = cpu_to_le16(100);
	h->tx_rate = cpu_to_le32(1000);
	blob_save("log-held", true);

	blob_init(I40E_VF_MIG_MAX_QP);
	h->q[I40E_VF_MIG_MAX_QP - 1].tx_head = cpu_to_le16(8191);
	msg_version();
	msg_resources();
	msg_queues(I40E_VF_MIG_MAX_QP);
	blob_msg(VIRTCHNL_OP_DISABLE_VLAN_STRIPPING, NULL, 0, false);
	blob_msg(VIRTCHNL_OP_GET_STATS, &m, sizeof(struct virtchnl_queue_select),
		 true);
	blob_save("maxqp", true);

	/* The virtchnl versions: none negotiated (0.0), 1.0, and newer ones */
	blob_full();
	h->vf_ver_major = 0;
	h->vf_ver_minor = 0;
	blob_save("no-version", true);

	blob_full();
	h->vf_ver_minor = 0;
	blob_save("version-1.0", true);

	/* Invalid: the header */
	blob_full();
	h->vf_ver_minor = cpu_to_le32(VIRTCHNL_VERSION_MINOR + 1);
	blob_save("newer-minor", false);

	blob_full();
	h->vf_ver_major = cpu_to_le32(VIRTCHNL_VERSION_MAJOR + 1);
	h->vf_ver_minor = 0;
	blob_save("newer-major", false);

	blob_full();
	h->magic ^= cpu_to_le32(1);
	blob_save("bad-magic", false);

	blob_full();
	save("truncated-hdr", blob.b, sizeof(*h) - 1, false);

	blob_full();
	h->num_queue_pairs = 0;
	blob_save("no-qp", false);

	blob_full();
	h->num_deferred = cpu_to_le16(I40E_VF_MIG_DEFER_MAX + 1);
	blob_save("too-many-held", false);

	blob_full();
	h->flags = cpu_to_le32(I40E_VF_MIG_F_ALL + 1);
	blob_save("bad-flags", false);

	blob_full();
	h->q[NQP].flags = I40E_VF_MIG_Q_TX_ENA;
	blob_save("bad-queue", false);

	blob_full();
	h->q[1].rx_tail = cpu_to_le16(8192);
	blob_save("bad-queue-pos", false);

	/* Invalid: the messages */
	blob_full();
	blob.h.len = cpu_to_le32(blob_len - 4);
	save("length-mismatch", blob.b, blob_len, false);
	save("truncated-msg", blob.b, blob_len - 4, false);

	blob_full();
	le16_add(&h->num_deferred, 1);
	blob_save("missing-msg", false);

	blob_full();
	le16_add(&h->num_deferred, -1);
	blob_save("trailing-msg", false);

	blob_full();
	blob_len += 4;
	blob_save("trailing-bytes", false);

	blob_init(NQP);
	msg_version();
	msg_held(NQP);
	le16_add(&h->num_log, 1);		/* ENABLE_QUEUES in the log */
	le16_add(&h->num_deferred, -1);
	blob_save("not-logged-in-log", false);

	blob_init(NQP);
	msg_version();
	blob_msg(VIRTCHNL_OP_GET_STATS, &m, sizeof(struct virtchnl_queue_select),
		 true);
	msg = (void *)(blob.b + msg_off(1));
	msg->op = cpu_to_le32(VIRTCHNL_OP_CONFIG_RDMA_IRQ_MAP);
	h->num_log = cpu_to_le16(2);		/* unsupported, in the log */
	h->num_deferred = 0;
	blob_save("unsupported-in-log", false);

	blob_full();
	msg = (void *)(blob.b + msg_off(4));	/* CONFIG_RSS_KEY, padded */
	if (le32_to_cpu(msg->op) != VIRTCHNL_OP_CONFIG_RSS_KEY ||
	    IS_ALIGNED(le16_to_cpu(msg->len), 4)) {
		fprintf(stderr, "gen_pfblob: no padded RSS key\n");
		return 1;
	}
	((u8 *)(msg + 1))[le16_to_cpu(msg->len)] = 1;
	blob_save("bad-padding", false);

	blob_full();
	msg = (void *)(blob.b + msg_off(2));
	msg->rsvd = cpu_to_le16(1);
	blob_save("msg-rsvd", false);

	/* A message longer than I40E_VF_MIG_MSG_MAX, made by hand. */
	blob_init(NQP);
	msg = (void *)(blob.b + blob_len);
	msg->op = cpu_to_le32(VIRTCHNL_OP_CONFIG_RSS_LUT);
	msg->len = cpu_to_le16(I40E_VF_MIG_MSG_MAX + 4);
	blob_len += sizeof(*msg) + I40E_VF_MIG_MSG_MAX + 4;
	h->num_log = cpu_to_le16(1);
	blob_save("msg-too-long", false);

	/* A message whose length runs past the end. */
	blob_init(NQP);
	msg_version();
	msg = (void *)(blob.b + msg_off(0));
	msg->len = cpu_to_le16(le16_to_cpu(msg->len) + 4);
	blob_save("msg-past-end", false);

	for (i = 0; i < 3; i++) {
		char name[32];

		/* A log longer than I40E_VF_MIG_LOG_MAX, or at it */
		blob_init(NQP);
		while (le16_to_cpu(h->num_log) < I40E_VF_MIG_LOG_MAX - 1 + i)
			blob_msg(VIRTCHNL_OP_ENABLE_VLAN_STRIPPING, NULL, 0,
				 false);
		snprintf(name, sizeof(name), "log-%u",
			 le16_to_cpu(h->num_log));
		blob_save(name, i < 2);
	}

	printf("%u seeds in %s\n", nr, dir);
	if (errors) {
		fprintf(stderr, "gen_pfblob: %u seeds not as expected\n", errors);
		return 1;
	}
	return 0;
}
