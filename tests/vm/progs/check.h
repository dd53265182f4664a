/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.h - one "<check>: ok" or "<check>: FAIL <why>" line per check,
 * counted in ok and failed, for the test programs that print their own
 * summary (each one static binary, hence a header of static functions).
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int ok, failed;

static void check(const char *what, int good, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void check(const char *what, int good, const char *fmt, ...)
{
	va_list ap;

	printf("%s: %s", what, good ? "ok" : "FAIL ");
	if (!good) {
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
	good ? ok++ : failed++;
}

#endif
