// SPDX-License-Identifier: GPL-2.0
/*
 * l2-pio: port I/O exits from an L2, for as long as asked
 * (tests/vm/cases/tcg-pio-storm.sh)
 *
 *   l2-pio SECONDS
 *
 * Reads PCI configuration data (port 0xcfc, four inb) and the POST port
 * (0x80) through /dev/port, so the kernel does the I/O: each inb is an
 * IOIO intercept that L1's KVM completes in L1's QEMU.  Reads only: a
 * write to 0xcf9 would reset the machine.  Prints how many rounds it
 * made.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long secs = argc > 1 ? atol(argv[1]) : 60, n = 0;
	time_t end = time(NULL) + secs;
	unsigned char b;
	unsigned int x;
	int fd, i;

	fd = open("/dev/port", O_RDONLY);
	if (fd < 0) {
		perror("/dev/port");
		return 1;
	}
	while (time(NULL) < end) {
		for (i = 0; i < 1000; i++) {
			if (pread(fd, &x, 4, 0xcfc) != 4 ||
			    pread(fd, &b, 1, 0x80) != 1) {
				perror("/dev/port");
				return 1;
			}
		}
		n += 1000;
	}
	printf("L2-PIO %ld rounds of 5 port reads\n", n);
	return 0;
}
