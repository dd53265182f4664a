// SPDX-License-Identifier: GPL-2.0
/*
 * mig_pfevent: a PF event while a VF's DMA is stopped for migration.
 *
 *   mig_pfevent SYSFSDEV STATE CMD
 *	Open the mdev SYSFSDEV through its VFIO group (type1 container)
 *	and move it from RUNNING to STATE, one of PRE_COPY_P2P, STOP_COPY
 *	or RESUMING (for RESUMING, the device's own stream is saved first
 *	and written whole, so that only the event can make the load fail).
 *	Then run CMD with /bin/sh: the event (the host administrator gives
 *	the VF a new MAC address, which makes i40e reset it; a PF reset).
 *	The PF forgot what it had recorded of the VF, so:
 *	  - GET still reports STATE (nothing moves behind the user's back);
 *	  - the next arc fails with EIO and leaves the device in ERROR;
 *	  - from ERROR, an arc to RUNNING fails and the state stays ERROR;
 *	  - VFIO_DEVICE_RESET brings the device to RUNNING and ends the
 *	    session (the data_fd reads or writes ENODEV);
 *	  - the device migrates again: RUNNING -> STOP_COPY, its stream
 *	    read to the end, STOP, RUNNING.
 *	Prints one "<check>: ok" or "<check>: FAIL ..." line per check and
 *	"mig_pfevent: N ok, M failed"; exit 0 if all passed, 1 if not, 2 on
 *	a set-up error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "check.h"
#include "vfio_group.h"
#include "vfio_mig.h"

#define MAX_STREAM	(256 * 1024)

static const struct {
	const char *name;
	uint32_t state;
} states[] = {
	{ "ERROR", VFIO_DEVICE_STATE_ERROR },
	{ "STOP", VFIO_DEVICE_STATE_STOP },
	{ "RUNNING", VFIO_DEVICE_STATE_RUNNING },
	{ "STOP_COPY", VFIO_DEVICE_STATE_STOP_COPY },
	{ "RESUMING", VFIO_DEVICE_STATE_RESUMING },
	{ "RUNNING_P2P", VFIO_DEVICE_STATE_RUNNING_P2P },
	{ "PRE_COPY", VFIO_DEVICE_STATE_PRE_COPY },
	{ "PRE_COPY_P2P", VFIO_DEVICE_STATE_PRE_COPY_P2P },
};

static const char *sname(uint32_t state)
{
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (states[i].state == state)
			return states[i].name;
	return "?";
}

/* SET: 0 or a negative errno; *data_fd is -1 unless a session began */
static int mig_set(int dev, uint32_t state, int *data_fd)
{
	*data_fd = -1;
	return vfio_mig_state(dev, 1, &state, data_fd);
}

/* GET; ERROR if GET fails */
static uint32_t mig_get(int dev)
{
	uint32_t state = 0;
	int ret = vfio_mig_state(dev, 0, &state, NULL);

	if (ret) {
		printf("#   GET failed: %s\n", strerror(-ret));
		return VFIO_DEVICE_STATE_ERROR;
	}
	return state;
}

/* Set up: move to @state, which must work; the data_fd, or -1 */
static int must_move(int dev, uint32_t state)
{
	int fd, ret = mig_set(dev, state, &fd);

	if (ret) {
		printf("ERROR -> %s: %s\n", sname(state), strerror(-ret));
		exit(2);
	}
	return fd;
}

static ssize_t read_all(int fd, unsigned char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len < size) {
		n = read(fd, buf + len, size - len);
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	return len;
}

static uint32_t state_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(states[i].name, name))
			return states[i].state;
	return VFIO_DEVICE_STATE_ERROR;
}

/* RUNNING -> @state; returns the session's data_fd */
static int enter(int dev, uint32_t state)
{
	static unsigned char stream[MAX_STREAM];
	ssize_t len, n;
	int fd;

	switch (state) {
	case VFIO_DEVICE_STATE_PRE_COPY_P2P:
		fd = must_move(dev, VFIO_DEVICE_STATE_PRE_COPY);
		must_move(dev, VFIO_DEVICE_STATE_PRE_COPY_P2P);
		return fd;
	case VFIO_DEVICE_STATE_STOP_COPY:
		return must_move(dev, VFIO_DEVICE_STATE_STOP_COPY);
	default:	/* RESUMING, with the device's own stream */
		fd = must_move(dev, VFIO_DEVICE_STATE_STOP_COPY);
		len = read_all(fd, stream, sizeof(stream));
		close(fd);
		if (len <= 0) {
			printf("ERROR reading the stream: %zd\n", len);
			exit(2);
		}
		must_move(dev, VFIO_DEVICE_STATE_STOP);
		fd = must_move(dev, VFIO_DEVICE_STATE_RESUMING);
		n = write(fd, stream, len);
		if (n != len) {
			printf("ERROR writing the stream: %zd of %zd (%s)\n", n,
			       len, n < 0 ? strerror(errno) : "short");
			exit(2);
		}
		printf("#   stream of %zd bytes written\n", len);
		return fd;
	}
}

int main(int argc, char **argv)
{
	static unsigned char stream[MAX_STREAM];
	uint32_t want, next, s;
	char buf[64];
	int dev, fd, nfd, ret;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: %s SYSFSDEV STATE CMD\n", argv[0]);
		return 2;
	}
	want = state_of(argv[2]);
	if (want != VFIO_DEVICE_STATE_PRE_COPY_P2P &&
	    want != VFIO_DEVICE_STATE_STOP_COPY &&
	    want != VFIO_DEVICE_STATE_RESUMING) {
		fprintf(stderr, "STATE: PRE_COPY_P2P, STOP_COPY or RESUMING\n");
		return 2;
	}
	next = want == VFIO_DEVICE_STATE_PRE_COPY_P2P ?
	       VFIO_DEVICE_STATE_STOP_COPY : VFIO_DEVICE_STATE_STOP;

	dev = vfio_group_open_device(argv[1]);
	fd = enter(dev, want);

	ret = system(argv[3]);
	if (ret) {
		printf("ERROR the event's command failed (%d)\n", ret);
		return 2;
	}

	s = mig_get(dev);
	check("GET after the event: the state it was in", s == want, "(%s)",
	      sname(s));

	ret = mig_set(dev, next, &nfd);
	check("the next arc fails with EIO", ret == -EIO, "(%s -> %s: %s)",
	      sname(want), sname(next), ret ? strerror(-ret) : "done");
	s = mig_get(dev);
	check("the device is in ERROR", s == VFIO_DEVICE_STATE_ERROR, "(%s)",
	      sname(s));

	ret = mig_set(dev, VFIO_DEVICE_STATE_RUNNING, &nfd);
	check("ERROR -> RUNNING fails", ret, "(done)");
	s = mig_get(dev);
	check("the device stays in ERROR", s == VFIO_DEVICE_STATE_ERROR,
	      "(%s)", sname(s));

	ret = ioctl(dev, VFIO_DEVICE_RESET);
	check("VFIO_DEVICE_RESET", !ret, "(%s)", strerror(errno));
	s = mig_get(dev);
	check("the reset brings the device to RUNNING",
	      s == VFIO_DEVICE_STATE_RUNNING, "(%s)", sname(s));
	if (want == VFIO_DEVICE_STATE_RESUMING)
		n = write(fd, buf, sizeof(buf));
	else
		n = read(fd, buf, sizeof(buf));
	check("the reset ended the session: ENODEV", n < 0 && errno == ENODEV,
	      "(%zd, %s)", n, n < 0 ? strerror(errno) : "data");
	close(fd);

	/* and it migrates again */
	ret = mig_set(dev, VFIO_DEVICE_STATE_STOP_COPY, &fd);
	check("RUNNING -> STOP_COPY after the reset", !ret && fd >= 0, "(%s)",
	      strerror(-ret));
	if (!ret && fd >= 0) {
		n = read_all(fd, stream, sizeof(stream));
		check("its stream reads to the end", n > 0, "(%zd)", n);
		printf("#   stream after the reset: %zd bytes\n", n);
		close(fd);
	}
	ret = mig_set(dev, VFIO_DEVICE_STATE_STOP, &nfd);
	check("STOP_COPY -> STOP", !ret, "(%s)", strerror(-ret));
	ret = mig_set(dev, VFIO_DEVICE_STATE_RUNNING, &nfd);
	check("STOP -> RUNNING", !ret, "(%s)", strerror(-ret));
	close(dev);

	printf("mig_pfevent: %d ok, %d failed\n", ok, failed);
	return failed ? 1 : 0;
}
