// SPDX-License-Identifier: GPL-2.0
/*
 * l2udp - a UDP stream whose every received frame is checked byte for byte
 * (tests/vm/lib.sh, l2_traffic_start/l2_traffic_check).
 *
 *   l2udp send PORT COUNT SIZE [WAIT]
 *	(L1 peer) waits for a "HELLO" datagram on PORT (at most WAIT seconds,
 *	600 by default), then sends COUNT
 *	datagrams of SIZE bytes to its sender, one at a time: datagram N is
 *	sent again every second until "ACK N" comes back (at most 10 times).
 *   l2udp recv IFNAME PORT PEER_IP PEER_PORT COUNT SIZE
 *	(L2) sends "HELLO" from PORT to PEER_IP:PEER_PORT every second until
 *	the stream starts, reads every frame IFNAME receives from a packet
 *	socket and acknowledges each datagram that checks out.
 *
 * Datagrams go out with UDP checksum 0, and the receiver reads the frames
 * as the driver handed them up (AF_PACKET), before IP and UDP look at
 * them: a frame that a NIC delivered with the wrong bytes is seen and
 * reported instead of being dropped by a checksum and sent again.  Every
 * received frame of the stream's length must be the expected datagram
 * (or the one before it, sent again after a lost ACK): ethertype, IPv4
 * header fields, ports, UDP length, checksum 0, magic, sequence number and
 * each payload byte, a function of (sequence, offset).  The first bad
 * frames are printed with what was found.
 *
 * Output: "UDP-TX-RESULT sent=N retransmits=R" / "UDP-RX-RESULT
 * received=N of COUNT bad=B dup=D"; exit status 0 if everything was sent
 * and acknowledged / received intact with no bad frame.
 *
 * A stream kept up across migrations (tests/vm/mig-traffic.sh,
 * mig-libvirt.sh) sets, in the environment:
 *   L2UDP_PROGRESS=S	a "UDP-TX-PROGRESS" / "UDP-RX-PROGRESS" line with
 *			the counts so far every S seconds;
 *   L2UDP_TRIES=N	sends of one datagram before the sender gives up
 *			(10), to outlast a migration's downtime;
 *   L2UDP_WAIT=S	how long the receiver reads (300 s);
 *   L2UDP_GAP_MS=MS	a pause after each acknowledged datagram (0);
 *   L2UDP_OTHERS=skip	the receiver skips frames of other flows (not IPv4
 *			UDP from PEER_IP:PEER_PORT to PORT), which a
 *			segment shared with other traffic (a migration's
 *			own stream) carries at any length: counted as
 *			"others=N", not as wrong;
 * and ends it with SIGTERM: the result line is printed, and the exit
 * status counts only what was sent or received until then.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC		"L2UD"
#define HDR		8		/* magic + sequence number */
#define ETH_HLEN_	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define MAX_SIZE	1400
#define TRIES		10
#define START_WAIT_S	600
#define RECV_WAIT_S	300
#define REPORT_MAX	5

static volatile sig_atomic_t stop;
static double progress_s;
static int tries = TRIES, recv_wait_s = RECV_WAIT_S, gap_ms, skip_others;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* a positive integer from the environment, or DEF */
static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	int n = v ? atoi(v) : 0;

	return n > 0 ? n : def;
}

static uint8_t pattern(uint32_t seq, unsigned int off)
{
	return (uint8_t)(seq * 167u + off * 29u + (off >> 8) + 1);
}

static void fill(uint8_t *p, uint32_t seq, unsigned int size)
{
	uint32_t be = htonl(seq);
	unsigned int i;

	memcpy(p, MAGIC, 4);
	memcpy(p + 4, &be, 4);
	for (i = HDR; i < size; i++)
		p[i] = pattern(seq, i);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* time for a progress line: every progress_s seconds, if set */
static int progress_due(double *next)
{
	if (!progress_s || now() < *next)
		return 0;
	*next = now() + progress_s;
	return 1;
}

/* wait up to MS for FD to become readable */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

static int udp_socket(unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	/* UDP checksum 0: only this program's checks see the payload */
	if (setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("SO_NO_CHECK/bind");
		exit(2);
	}
	return fd;
}

static int do_send(unsigned int port, uint32_t count, unsigned int size,
		   int wait_s)
{
	uint8_t buf[MAX_SIZE], in[64];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint32_t seq, retrans = 0;
	double end = now() + wait_s, next = 0;
	int fd = udp_socket(port);
	ssize_t n;

	for (;;) {
		if (stop) {
			printf("UDP-TX-RESULT sent=0 retransmits=0\n");
			return 1;
		}
		if (now() > end) {
			printf("UDP-TX: no HELLO from the receiver in %d s\n",
			       wait_s);
			return 1;
		}
		if (!readable(fd, 1000))
			continue;
		fl = sizeof(from);
		n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from,
			     &fl);
		if (n == 5 && !memcmp(in, "HELLO", 5))
			break;
	}
	if (connect(fd, (struct sockaddr *)&from, sizeof(from))) {
		perror("connect");
		return 2;
	}
	for (seq = 0; seq < count && !stop; seq++) {
		int t, acked = 0;

		if (progress_due(&next))
			printf("UDP-TX-PROGRESS sent=%u retransmits=%u\n", seq,
			       retrans);
		fill(buf, seq, size);
		for (t = 0; t < tries && !acked && !stop; t++) {
			double dl = now() + 1.0;

			if (t)
				retrans++;
			if (send(fd, buf, size, 0) != (ssize_t)size) {
				perror("send");
				return 2;
			}
			while (!acked && now() < dl) {
				uint32_t be;

				if (!readable(fd, 100))
					continue;
				n = recv(fd, in, sizeof(in), 0);
				if (n != 8 || memcmp(in, "ACK ", 4))
					continue;
				memcpy(&be, in + 4, 4);
				acked = ntohl(be) == seq;
			}
		}
		if (!acked && stop)
			break;
		if (!acked) {
			printf("UDP-TX: datagram %u not acknowledged after %d tries\n",
			       seq, tries);
			printf("UDP-TX-RESULT sent=%u retransmits=%u\n", seq,
			       retrans);
			return 1;
		}
		if (gap_ms)
			poll(NULL, 0, gap_ms);
	}
	printf("UDP-TX-RESULT sent=%u retransmits=%u\n", seq, retrans);
	return seq != count && !stop;
}

static void hexdump(const char *what, const uint8_t *p, size_t off,
		    size_t len, size_t max)
{
	size_t i;

	printf("  %s at %zu:", what, off);
	for (i = off; i < off + len && i < max; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

/*
 * Check a frame of the stream's length.  Returns its sequence number, or
 * -1 with *why, *off, *found and *want describing the first wrong byte.
 */
static long check_frame(const uint8_t *f, unsigned int size,
			const struct in_addr *peer, unsigned int pport,
			unsigned int lport, const char **why, size_t *off,
			unsigned int *found, unsigned int *want)
{
	const uint8_t *ip = f + ETH_HLEN_, *udp = ip + IP_HLEN;
	const uint8_t *pl = udp + UDP_HLEN;
	uint8_t exp_udp[UDP_HLEN];
	uint32_t seq, be;
	size_t i;

#define EXPECT(cond, field, at, got, exp) do {				\
		if (!(cond)) {						\
			*why = field; *off = at; *found = got; *want = exp; \
			return -1;					\
		}							\
	} while (0)
	EXPECT(f[12] == 0x08 && f[13] == 0x00, "ethertype", 12,
	       f[12] << 8 | f[13], 0x0800);
	EXPECT(ip[0] == 0x45, "IPv4 version/IHL", ETH_HLEN_, ip[0], 0x45);
	EXPECT(ip[9] == 17, "IP protocol", ETH_HLEN_ + 9, ip[9], 17);
	EXPECT(!memcmp(ip + 12, &peer->s_addr, 4), "IP source", ETH_HLEN_ + 12,
	       ip[12], ((const uint8_t *)&peer->s_addr)[0]);
	exp_udp[0] = pport >> 8;
	exp_udp[1] = pport & 0xff;
	exp_udp[2] = lport >> 8;
	exp_udp[3] = lport & 0xff;
	exp_udp[4] = (UDP_HLEN + size) >> 8;
	exp_udp[5] = (UDP_HLEN + size) & 0xff;
	exp_udp[6] = 0;
	exp_udp[7] = 0;
	for (i = 0; i < UDP_HLEN; i++)
		EXPECT(udp[i] == exp_udp[i], "UDP header (ports, length, checksum 0)",
		       ETH_HLEN_ + IP_HLEN + i, udp[i], exp_udp[i]);
	for (i = 0; i < 4; i++)
		EXPECT(pl[i] == (uint8_t)MAGIC[i], "magic",
		       ETH_HLEN_ + IP_HLEN + UDP_HLEN + i, pl[i],
		       (uint8_t)MAGIC[i]);
	memcpy(&be, pl + 4, 4);
	seq = ntohl(be);
	for (i = HDR; i < size; i++)
		EXPECT(pl[i] == pattern(seq, i), "payload byte",
		       ETH_HLEN_ + IP_HLEN + UDP_HLEN + i, pl[i],
		       pattern(seq, i));
#undef EXPECT
	return seq;
}

/* a frame of the stream's flow: IPv4 UDP from the peer's port to ours */
static int ours(const uint8_t *f, const struct in_addr *peer,
		unsigned int pport, unsigned int lport)
{
	const uint8_t *ip = f + ETH_HLEN_, *udp = ip + IP_HLEN;

	return f[12] == 0x08 && f[13] == 0x00 && ip[0] == 0x45 &&
	       ip[9] == 17 && !memcmp(ip + 12, &peer->s_addr, 4) &&
	       (unsigned int)(udp[0] << 8 | udp[1]) == pport &&
	       (unsigned int)(udp[2] << 8 | udp[3]) == lport;
}

static int do_recv(const char *ifname, unsigned int lport, const char *peer_ip,
		   unsigned int pport, uint32_t count, unsigned int size)
{
	size_t flen = ETH_HLEN_ + IP_HLEN + UDP_HLEN + size;
	uint32_t expected = 0, bad = 0, dup = 0, others = 0;
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL) };
	struct sockaddr_in peer = { .sin_family = AF_INET,
				    .sin_port = htons(pport) };
	double end = now() + recv_wait_s, linger = 0, next = 0, hello = 0;
	uint8_t f[2048];
	int raw, fd, small = 4096;

	if (!inet_aton(peer_ip, &peer.sin_addr)) {
		fprintf(stderr, "bad address %s\n", peer_ip);
		return 2;
	}
	ll.sll_ifindex = if_nametoindex(ifname);
	raw = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (!ll.sll_ifindex || raw < 0 ||
	    bind(raw, (struct sockaddr *)&ll, sizeof(ll))) {
		perror("packet socket");
		return 2;
	}
	fd = udp_socket(lport);
	/* the stream is read from the packet socket; this one only sends */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer))) {
		perror("connect");
		return 2;
	}

	while (!stop && now() < end && (!linger || now() < linger)) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		const char *why;
		unsigned int found, want;
		size_t off;
		uint8_t ack[8];
		uint32_t be;
		ssize_t n;
		long seq;

		if (progress_due(&next))
			printf("UDP-RX-PROGRESS received=%u bad=%u dup=%u others=%u\n",
			       expected, bad, dup, others);
		/*
		 * Every second until the stream starts, whatever else the
		 * interface receives (another stream, pings)
		 */
		if (!expected && now() >= hello) {
			if (send(fd, "HELLO", 5, 0) < 0)
				perror("send HELLO");
			hello = now() + 1;
		}
		if (!readable(raw, 200))
			continue;
		n = recvfrom(raw, f, sizeof(f), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0 || from.sll_pkttype == PACKET_OUTGOING ||
		    (size_t)n != flen)
			continue;
		if (skip_others && !ours(f, &peer.sin_addr, pport, lport)) {
			others++;
			continue;
		}
		seq = check_frame(f, size, &peer.sin_addr, pport, lport, &why,
				  &off, &found, &want);
		if (seq < 0) {
			if (++bad <= REPORT_MAX) {
				printf("UDP-BAD frame of %zu bytes while expecting datagram %u: %s at frame offset %zu: found 0x%02x, expected 0x%02x\n",
				       flen, expected, why, off, found, want);
				hexdump("frame bytes", f, 0, 64, flen);
				hexdump("bytes", f, off & ~(size_t)15, 32, flen);
			}
			continue;
		}
		if ((uint32_t)seq + 1 == expected) {
			dup++;
		} else if ((uint32_t)seq != expected) {
			if (++bad <= REPORT_MAX) {
				printf("UDP-BAD frame holds datagram %ld (intact) while expecting datagram %u: stale or misplaced\n",
				       seq, expected);
				hexdump("frame bytes", f, 0, 64, flen);
			}
			continue;
		} else {
			expected++;
		}
		memcpy(ack, "ACK ", 4);
		be = htonl((uint32_t)seq);
		memcpy(ack + 4, &be, 4);
		if (send(fd, ack, sizeof(ack), 0) < 0)
			perror("send ACK");
		/* stay a little for a last datagram sent again */
		if (expected == count && !linger)
			linger = now() + 2;
	}
	printf("UDP-RX-RESULT received=%u of %u bad=%u dup=%u others=%u\n",
	       expected, count, bad, dup, others);
	return bad || (expected != count && !stop);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_term };

	/* the lines must reach a console even if the program is killed */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* no SA_RESTART: a blocking poll() returns at SIGTERM */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	progress_s = env_int("L2UDP_PROGRESS", 0);
	tries = env_int("L2UDP_TRIES", TRIES);
	recv_wait_s = env_int("L2UDP_WAIT", RECV_WAIT_S);
	gap_ms = env_int("L2UDP_GAP_MS", 0);
	skip_others = getenv("L2UDP_OTHERS") &&
		      !strcmp(getenv("L2UDP_OTHERS"), "skip");
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "send")) {
		unsigned int size = atoi(argv[4]);
		int wait_s = argc == 6 ? atoi(argv[5]) : START_WAIT_S;

		if (size < HDR || size > MAX_SIZE || wait_s <= 0)
			return 2;
		return do_send(atoi(argv[2]), strtoul(argv[3], NULL, 0), size,
			       wait_s);
	}
	if (argc == 8 && !strcmp(argv[1], "recv")) {
		unsigned int size = atoi(argv[7]);

		if (size < HDR || size > MAX_SIZE)
			return 2;
		return do_recv(argv[2], atoi(argv[3]), argv[4], atoi(argv[5]),
			       strtoul(argv[6], NULL, 0), size);
	}
	fprintf(stderr, "usage: l2udp send PORT COUNT SIZE [WAIT]\n"
		"       l2udp recv IFNAME PORT PEER_IP PEER_PORT COUNT SIZE\n");
	return 2;
}
