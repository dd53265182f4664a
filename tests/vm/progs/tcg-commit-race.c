// SPDX-License-Identifier: GPL-2.0
/*
 * tcg-commit-race - MMIO reads on one vCPU while the other vCPU changes
 * the memory map.
 *
 *   tcg-commit-race READ_RESOURCE OFFSET TOGGLE_CONFIG ROUNDS
 *
 * A child on CPU 1 clears and sets Memory Space Enable in the command
 * register of the device whose config file is TOGGLE_CONFIG, ROUNDS
 * times: each write makes the host QEMU remove or add the device's BARs,
 * a new memory map.  Meanwhile CPU 0 reads the 32-bit register at OFFSET
 * of READ_RESOURCE (a sysfs resourceN file of another device, at a
 * higher address, whose register does not change) sixteen times per
 * round in straight-line code, so that most reads of a round are in the
 * translated block that runs while the map changes.
 *
 * QEMU 7.2's tcg_commit() gave CPU 0 the new map's section table from
 * CPU 1's thread while CPU 0's TLB still held indexes into the old one
 * (patches/qemu/0011): the rest of the block read another region, or a
 * stray pointer for one, and the host QEMU died.  Every read here must
 * return what the register held before the toggling started.
 *
 * Prints the counts; exits 0 when every read matched, 1 otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCI_COMMAND		4
#define PCI_COMMAND_MEMORY	0x2
#define BASELINE_READS		10000

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(2);
	}
}

/* CPU 1: ROUNDS times off and on; exit status 0 when all writes went in */
static int toggle(const char *config, long rounds)
{
	uint16_t cmd, off;
	long i;
	int fd;

	pin(1);
	fd = open(config, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, PCI_COMMAND) != 2) {
		perror(config);
		return 2;
	}
	cmd |= PCI_COMMAND_MEMORY;
	off = cmd & ~PCI_COMMAND_MEMORY;
	for (i = 0; i < rounds; i++) {
		if (pwrite(fd, &off, 2, PCI_COMMAND) != 2 ||
		    pwrite(fd, &cmd, 2, PCI_COMMAND) != 2) {
			perror("command register write");
			return 2;
		}
	}
	close(fd);
	return 0;
}

/* Sixteen reads; the bits in which any of them differ from @want */
static uint32_t read16(const volatile uint32_t *reg, uint32_t want)
{
	uint32_t v0 = *reg, v1 = *reg, v2 = *reg, v3 = *reg;
	uint32_t v4 = *reg, v5 = *reg, v6 = *reg, v7 = *reg;
	uint32_t v8 = *reg, v9 = *reg, va = *reg, vb = *reg;
	uint32_t vc = *reg, vd = *reg, ve = *reg, vf = *reg;

	return (v0 ^ want) | (v1 ^ want) | (v2 ^ want) | (v3 ^ want) |
	       (v4 ^ want) | (v5 ^ want) | (v6 ^ want) | (v7 ^ want) |
	       (v8 ^ want) | (v9 ^ want) | (va ^ want) | (vb ^ want) |
	       (vc ^ want) | (vd ^ want) | (ve ^ want) | (vf ^ want);
}

int main(int argc, char **argv)
{
	unsigned long rounds = 0, bad_rounds = 0;
	volatile uint32_t *reg;
	uint32_t want, diff;
	long offset, toggles;
	struct stat st;
	int fd, status, i;
	void *map;
	pid_t child;

	if (argc != 5) {
		fprintf(stderr, "usage: %s READ_RESOURCE OFFSET TOGGLE_CONFIG ROUNDS\n",
			argv[0]);
		return 2;
	}
	offset = strtol(argv[2], NULL, 0);
	toggles = strtol(argv[4], NULL, 0);
	pin(0);
	fd = open(argv[1], O_RDWR | O_SYNC);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 2;
	}
	if (offset < 0 || offset % 4 || offset + 4 > st.st_size || toggles <= 0) {
		fprintf(stderr, "offset %ld outside %s (%lld bytes), or rounds %ld\n",
			offset, argv[1], (long long)st.st_size, toggles);
		return 2;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	reg = (volatile uint32_t *)((char *)map + offset);

	/* The register must hold still without the toggling */
	want = *reg;
	for (i = 0, diff = 0; i < BASELINE_READS / 16; i++)
		diff |= read16(reg, want);
	printf("register 0x%lx of %s: 0x%08x\n", offset, argv[1], want);
	if (diff) {
		printf("FAIL: it changes without the toggling (bits 0x%08x)\n", diff);
		return 1;
	}

	child = fork();
	if (child < 0) {
		perror("fork");
		return 2;
	}
	if (!child)
		_exit(toggle(argv[3], toggles));
	for (;;) {
		diff = read16(reg, want);
		rounds++;
		if (diff && bad_rounds++ < 4)
			printf("round %lu: bits 0x%08x differ\n", rounds, diff);
		if (!(rounds % 256) && waitpid(child, &status, WNOHANG) == child)
			break;
	}
	printf("toggles %ld, reading rounds %lu (16 reads each), rounds with a wrong read %lu\n",
	       toggles, rounds, bad_rounds);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL: the toggling child failed (status 0x%x)\n", status);
		return 2;
	}
	return bad_rounds ? 1 : 0;
}
