// SPDX-License-Identifier: GPL-2.0
/*
 * mig_fdclose: a v2 data_fd read stalled in its copy to user memory while
 * the device is closed.
 *
 *   mig_fdclose SYSFSDEV
 *	Open the mdev SYSFSDEV through its VFIO group (type1 container),
 *	move it to STOP_COPY and read its data_fd into a page registered
 *	with userfaultfd, so that the read stalls inside copy_to_user().
 *	While it is stalled: VFIO_DEVICE_FEATURE GET of the migration state
 *	must answer and closing the device fd must return (each within 10 s;
 *	the driver must not hold its state lock across the user copy).  Then
 *	the fault is resolved; the stalled read returns (data or an error),
 *	and every later read, and poll, of the data_fd reports the end of
 *	the session (ENODEV, EPOLLRDHUP).
 *	With "hold" as a second argument, then print "HOLDING 1" and keep
 *	the data_fd open until SIGUSR1 (the test removes the mdev
 *	meanwhile), check that it still reads ENODEV, print "HOLDING 2" and
 *	wait for SIGUSR1 again (the test unbinds the VF and unloads i40e
 *	meanwhile), check again and close it.
 *	Without userfaultfd (the project and debug kernels), the read is not
 *	stalled: the device is closed after a read of the data_fd, and the
 *	rest is the same.
 *	Prints one "<check>: ok" or "<check>: FAIL ..." line per check and
 *	"mig_fdclose: N ok, M failed"; exit 0 if all passed, 1 if not,
 *	2 on a set-up error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>
#include <linux/vfio.h>

#include "check.h"
#include "vfio_group.h"
#include "vfio_mig.h"

struct reader {
	int fd;
	void *buf;
	ssize_t ret;
	int err;
};

static void *read_stalled(void *arg)
{
	struct reader *r = arg;

	r->ret = read(r->fd, r->buf, 4096);
	r->err = errno;
	return NULL;
}

static volatile sig_atomic_t resumed;

static void on_usr1(int sig)
{
	(void)sig;
	resumed = 1;
}

static void on_alarm(int sig)
{
	(void)sig;
	printf("mig_fdclose: FAIL timed out: something waits for the stalled read\n");
	fflush(stdout);
	_exit(1);
}

static void on_hold_alarm(int sig)
{
	(void)sig;
	printf("mig_fdclose: FAIL no SIGUSR1 within 120 s of HOLDING\n");
	fflush(stdout);
	_exit(1);
}

/* Say HOLDING @step and wait for SIGUSR1, at most 120 s */
static void hold(int step)
{
	sigset_t mask, old;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, &old);
	resumed = 0;
	signal(SIGUSR1, on_usr1);
	signal(SIGALRM, on_hold_alarm);
	alarm(120);
	printf("HOLDING %d\n", step);
	fflush(stdout);
	while (!resumed)
		sigsuspend(&old);
	alarm(0);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* The data_fd of an ended session: read fails with ENODEV, poll RDHUP */
static void check_ended(int data_fd, const char *when)
{
	struct pollfd pfd = { .fd = data_fd, .events = POLLIN | POLLRDHUP };
	char what[96], buf[256];
	ssize_t n;
	int ret;

	n = read(data_fd, buf, sizeof(buf));
	snprintf(what, sizeof(what), "read %s: ENODEV", when);
	check(what, n < 0 && errno == ENODEV, "(%zd, %s)", n,
	      n < 0 ? strerror(errno) : "data");
	ret = poll(&pfd, 1, 0);
	snprintf(what, sizeof(what), "poll %s: EPOLLRDHUP", when);
	check(what, ret == 1 && (pfd.revents & POLLRDHUP), "(%d, %#x)", ret,
	      pfd.revents);
}

/* Without userfaultfd: a plain read, then the close */
static void close_unstalled(int dev, int data_fd)
{
	char buf[256];
	ssize_t n;
	int ret;

	n = read(data_fd, buf, sizeof(buf));
	check("read of the data_fd (not stalled: no userfaultfd)", n > 0,
	      "(%zd, %s)", n, n < 0 ? strerror(errno) : "end of file");
	ret = close(dev);
	check("close of the device while the data_fd is open", !ret, "(%s)",
	      strerror(errno));
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_zeropage zero = { .mode = 0 };
	struct reader r = { 0 };
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t thread;
	uint32_t state;
	int dev, uffd, data_fd = -1, ret;
	ssize_t n;

	if (argc < 2 || (argc == 3 && strcmp(argv[2], "hold")) || argc > 3) {
		fprintf(stderr, "usage: %s SYSFSDEV [hold]\n", argv[0]);
		return 2;
	}

	dev = vfio_group_open_device(argv[1]);
	state = VFIO_DEVICE_STATE_STOP_COPY;
	ret = vfio_mig_state(dev, 1, &state, &data_fd);
	if (ret || data_fd < 0) {
		printf("ERROR RUNNING -> STOP_COPY: %s\n", strerror(-ret));
		return 2;
	}

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		printf("NO-USERFAULTFD %s\n", strerror(errno));
		close_unstalled(dev, data_fd);
		goto ended;
	}

	r.fd = data_fd;
	r.buf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (unsigned long)r.buf;
	reg.range.len = 4096;
	if (r.buf == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		printf("ERROR userfaultfd register: %s\n", strerror(errno));
		return 2;
	}
	if (pthread_create(&thread, NULL, read_stalled, &r)) {
		printf("ERROR pthread_create\n");
		return 2;
	}

	/* The read is in copy_to_user() once its fault arrives */
	pfd.fd = uffd;
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, 10000);
	n = ret == 1 ? read(uffd, &msg, sizeof(msg)) : -1;
	check("read stalls in the copy to user memory",
	      n == sizeof(msg) && msg.event == UFFD_EVENT_PAGEFAULT,
	      "(no page fault within 10 s: poll %d)", ret);
	if (failed)
		return 1;

	signal(SIGALRM, on_alarm);
	alarm(10);
	state = 0;
	ret = vfio_mig_state(dev, 0, &state, NULL);
	check("GET of the migration state while the read is stalled",
	      !ret && state == VFIO_DEVICE_STATE_STOP_COPY,
	      "(%s, state %u)", strerror(-ret), state);
	ret = close(dev);
	check("close of the device while the read is stalled", !ret,
	      "(%s)", strerror(errno));
	alarm(0);

	/* Let the stalled copy finish */
	zero.range.start = (unsigned long)r.buf;
	zero.range.len = 4096;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zero) && errno != EEXIST) {
		printf("ERROR UFFDIO_ZEROPAGE: %s\n", strerror(errno));
		return 2;
	}
	alarm(10);
	pthread_join(thread, NULL);
	alarm(0);
	check("the stalled read returns", r.ret > 0 || r.ret < 0,
	      "(returned %zd)", r.ret);
	printf("#   stalled read: %zd (%s)\n", r.ret,
	       r.ret < 0 ? strerror(r.err) : "data copied before the close");

ended:
	check_ended(data_fd, "after the close");
	if (argc == 3) {
		hold(1);
		check_ended(data_fd, "after the mdev is gone");
		hold(2);
		check_ended(data_fd, "after the VF and i40e are gone");
	}
	close(data_fd);

	printf("mig_fdclose: %d ok, %d failed\n", ok, failed);
	return failed ? 1 : 0;
}
