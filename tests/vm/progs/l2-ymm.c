// SPDX-License-Identifier: GPL-2.0
/*
 * l2-ymm: is each process's AVX state its own across context switches?
 * (tests/vm/cases/tcg-xsetbv.sh, in an L2 with one vCPU)
 *
 *   l2-ymm PROCS ROUNDS
 *
 * PROCS processes each load ymm0-ymm15 with a pattern of their own, then
 * ROUNDS times give up the CPU (sched_yield) and compare the registers
 * with it.  The kernel saves and restores the registers with XSAVE/XRSTOR
 * under the XCR0 it set; should the hypervisor run the guest with another
 * XCR0, the upper halves (or all) of the registers leak between the
 * processes.  Prints one line per process and exits 1 on a difference.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NREGS 16
#define REGBYTES 32

static void load(const uint8_t *p)
{
	asm volatile("vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\t"
		     "vmovdqu 64(%0), %%ymm2\n\tvmovdqu 96(%0), %%ymm3\n\t"
		     "vmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
		     "vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7\n\t"
		     "vmovdqu 256(%0), %%ymm8\n\tvmovdqu 288(%0), %%ymm9\n\t"
		     "vmovdqu 320(%0), %%ymm10\n\tvmovdqu 352(%0), %%ymm11\n\t"
		     "vmovdqu 384(%0), %%ymm12\n\tvmovdqu 416(%0), %%ymm13\n\t"
		     "vmovdqu 448(%0), %%ymm14\n\tvmovdqu 480(%0), %%ymm15\n\t"
		     : : "r"(p) : "memory");
}

static void store(uint8_t *p)
{
	asm volatile("vmovdqu %%ymm0, 0(%0)\n\tvmovdqu %%ymm1, 32(%0)\n\t"
		     "vmovdqu %%ymm2, 64(%0)\n\tvmovdqu %%ymm3, 96(%0)\n\t"
		     "vmovdqu %%ymm4, 128(%0)\n\tvmovdqu %%ymm5, 160(%0)\n\t"
		     "vmovdqu %%ymm6, 192(%0)\n\tvmovdqu %%ymm7, 224(%0)\n\t"
		     "vmovdqu %%ymm8, 256(%0)\n\tvmovdqu %%ymm9, 288(%0)\n\t"
		     "vmovdqu %%ymm10, 320(%0)\n\tvmovdqu %%ymm11, 352(%0)\n\t"
		     "vmovdqu %%ymm12, 384(%0)\n\tvmovdqu %%ymm13, 416(%0)\n\t"
		     "vmovdqu %%ymm14, 448(%0)\n\tvmovdqu %%ymm15, 480(%0)\n\t"
		     : : "r"(p) : "memory");
}

/*
 * Between load() and store() only sched_yield() runs: a raw system call
 * (no libc code, which may use the vector registers, memcmp's vzeroupper
 * among them) whose only clobbers are rcx and r11, so whatever differs
 * was changed while the process was switched out.
 */
static void sys_sched_yield(void)
{
	long ret = __NR_sched_yield;

	asm volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
}

static int run(int id, long rounds)
{
	uint8_t want[NREGS * REGBYTES], got[NREGS * REGBYTES];
	long r;
	int i;

	for (i = 0; i < (int)sizeof(want); i++)
		want[i] = (uint8_t)(id * 37 + i * 11 + 1);
	for (r = 0; r < rounds; r++) {
		/* libc (memcmp's vzeroupper, printf) may use them in between */
		load(want);
		sys_sched_yield();
		store(got);
		if (memcmp(want, got, sizeof(want))) {
			for (i = 0; i < (int)sizeof(want) && want[i] == got[i]; i++)
				;
			printf("process %d: round %ld: ymm%d byte %d is 0x%02x, not 0x%02x\n",
			       id, r, i / REGBYTES, i % REGBYTES, got[i], want[i]);
			return 1;
		}
	}
	printf("process %d: %ld rounds, ymm0-ymm15 kept\n", id, rounds);
	return 0;
}

int main(int argc, char **argv)
{
	int procs, i, st, bad = 0;
	long rounds;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PROCS ROUNDS\n", argv[0]);
		return 2;
	}
	procs = atoi(argv[1]);
	rounds = atol(argv[2]);
	if (procs < 1 || procs > 64 || rounds < 1) {
		fprintf(stderr, "PROCS must be 1..64, ROUNDS at least 1\n");
		return 2;
	}
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("avx")) {
		printf("no AVX (CPUID, or XSAVE not enabled by the kernel)\n");
		return 1;
	}
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (!pid) {
			st = run(i, rounds);
			fflush(stdout);
			_exit(st);
		}
	}
	while (wait(&st) > 0)
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	return bad;
}
