// SPDX-License-Identifier: GPL-2.0
/*
 * l2memv - the guest memory verifier: a guest's memory holds what the guest
 * wrote, across live migrations (tests/vm/mig-traffic.sh, mig-libvirt.sh).
 *
 *   l2memv MIB [REWRITE [REPORT]]
 *
 * Fills MIB MiB with a pattern that is a function of (page, generation,
 * word), then, about once a second, checks every word of every page and
 * writes the next generation into REWRITE pages (64 by default), a
 * different set each pass: the memory keeps changing while the VM
 * migrates, at a rate that lets a migration over a slow link converge.
 * The generation of each page is kept in a second array, which is itself
 * guest memory: a lost page shows up as a mismatch either way.
 *
 * Output: "MEMV-START pages=N"; every REPORT s (5) "MEMV-PROGRESS passes=P
 * rewrites=W bad=B"; each of the first 5 wrong words as "MEMV-BAD page I
 * word J: found X, expected Y (generation G)"; at SIGTERM "MEMV-RESULT
 * passes=P rewrites=W bad=B", exit status 1 if B > 0.  Every pass counts
 * each page with a wrong word once.
 *
 * L2MEMV_FLIP_AFTER=P (a negative control, tests/unit): after pass P,
 * flip one bit of one page behind the verifier's back.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096u
#define WORDS		(PAGE / sizeof(uint64_t))
#define REPORT_MAX	5
#define PROGRESS_S	5		/* the default REPORT */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t word(uint64_t page, uint64_t gen, uint64_t w)
{
	uint64_t x = page * 0x9e3779b97f4a7c15ull ^ gen * 0xc2b2ae3d27d4eb4full ^
		     w * 0x165667b19e3779f9ull;

	x ^= x >> 31;
	return x * 0xbf58476d1ce4e5b9ull;
}

static void fill(uint64_t *p, uint64_t page, uint64_t gen)
{
	uint64_t w;

	for (w = 0; w < WORDS; w++)
		p[w] = word(page, gen, w);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t passes = 0, rewrites = 0, bad = 0, pages, i, next = 0;
	struct sigaction sa = { .sa_handler = on_term };
	unsigned long mib, rewrite = 64, flip_after = 0, every = PROGRESS_S;
	double report;
	uint64_t *mem;
	uint32_t *gen;
	char *e;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: l2memv MIB [REWRITE [REPORT]]\n");
		return 2;
	}
	mib = strtoul(argv[1], &e, 0);
	if (*e || !mib || mib > 4096)
		return 2;
	if (argc >= 3) {
		rewrite = strtoul(argv[2], &e, 0);
		if (*e)
			return 2;
	}
	if (argc == 4) {
		every = strtoul(argv[3], &e, 0);
		if (*e || !every)
			return 2;
	}
	e = getenv("L2MEMV_FLIP_AFTER");
	if (e)
		flip_after = strtoul(e, NULL, 0);
	pages = (uint64_t)mib * (1 << 20) / PAGE;
	if (rewrite > pages)
		rewrite = pages;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	gen = calloc(pages, sizeof(*gen));
	if (mem == MAP_FAILED || !gen) {
		perror("l2memv: memory");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	for (i = 0; i < pages; i++)
		fill(mem + i * WORDS, i, 0);
	printf("MEMV-START pages=%llu\n", (unsigned long long)pages);
	report = now() + every;

	while (!stop) {
		for (i = 0; i < pages; i++) {
			uint64_t *p = mem + i * WORDS, w;

			for (w = 0; w < WORDS; w++)
				if (p[w] != word(i, gen[i], w))
					break;
			if (w == WORDS)
				continue;
			if (++bad <= REPORT_MAX)
				printf("MEMV-BAD page %llu word %llu: found %#llx, expected %#llx (generation %u)\n",
				       (unsigned long long)i,
				       (unsigned long long)w,
				       (unsigned long long)p[w],
				       (unsigned long long)word(i, gen[i], w),
				       gen[i]);
			/* report a page once: make it right again */
			fill(p, i, gen[i]);
		}
		for (i = 0; i < rewrite; i++, next = (next + 1) % pages) {
			gen[next]++;
			fill(mem + next * WORDS, next, gen[next]);
			rewrites++;
		}
		passes++;
		if (flip_after && passes == flip_after)
			mem[(pages / 2) * WORDS + 7] ^= 1ull << 13;
		if (now() >= report) {
			printf("MEMV-PROGRESS passes=%llu rewrites=%llu bad=%llu\n",
			       (unsigned long long)passes,
			       (unsigned long long)rewrites,
			       (unsigned long long)bad);
			report = now() + every;
		}
		if (!stop)
			sleep(1);
	}
	printf("MEMV-RESULT passes=%llu rewrites=%llu bad=%llu\n",
	       (unsigned long long)passes, (unsigned long long)rewrites,
	       (unsigned long long)bad);
	return bad != 0;
}
