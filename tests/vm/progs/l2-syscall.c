// SPDX-License-Identifier: GPL-2.0
/*
 * l2-syscall: system calls without pause in an L2, for as long as asked
 * (tests/vm/cases/tcg-vmrun-intr.sh)
 *
 *   l2-syscall SECONDS
 *
 * poll() with no descriptors and no timeout: a system call that makes no
 * exit to L1, so L2 stays in guest mode between the interrupts L1's KVM
 * injects, and many of its translation-block boundaries are the first
 * instruction of the kernel's SYSCALL entry (interrupts off, the user's
 * stack still loaded).  The time is read every 4096 calls, from the vDSO.
 * Prints how many calls it made.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 60, n = 0;
	struct timespec now, end;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	do {
		for (i = 0; i < 4096; i++) {
			if (poll(NULL, 0, 0) < 0) {
				perror("poll");
				return 1;
			}
		}
		n += 4096;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec ||
		 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
	printf("L2-SYSCALL %ld calls\n", n);
	return 0;
}
