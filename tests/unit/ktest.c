// SPDX-License-Identifier: GPL-2.0-only
/*
 * ktest - userspace runner for KUnit-style suites (see ktest.h).
 *
 * Usage: <binary> [FILTER]
 *   Runs every registered suite (or only the cases whose "suite.case" name
 *   contains FILTER), prints KTAP as KUnit does and ends with
 *   "N passed, N failed". Exit status 0 if nothing failed.
 */
#include <stdlib.h>

#include "ktest.h"

#define KTEST_MAX_SUITES	64

struct kunit_alloc {
	struct kunit_alloc *next;
	void *ptr;
};

struct kunit_action {
	struct kunit_action *next;
	kunit_action_t *fn;
	void *ctx;
};

static struct kunit_suite *suites[KTEST_MAX_SUITES];
static unsigned int nr_suites;

void ktest_register(struct kunit_suite *suite)
{
	if (nr_suites == KTEST_MAX_SUITES) {
		fprintf(stderr, "ktest: too many suites\n");
		exit(2);
	}
	suites[nr_suites++] = suite;
}

void ktest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fmt[0] && fmt[strlen(fmt) - 1] != '\n')
		putchar('\n');
}

void ktest_fail(struct kunit *test, bool assert, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	test->failed = true;
	printf("    # %s: %s FAILED at %s:%d\n    # ", test->name,
	       assert ? "ASSERTION" : "EXPECTATION", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void ktest_msg(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	(void)test;
	if (!fmt[0])
		return;
	printf("    # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void ktest_abort(struct kunit *test)
{
	longjmp(test->jump, 1);
}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct kunit_alloc *a = malloc(sizeof(*a));
	void *ptr = malloc(size ? size : 1);

	(void)gfp;
	if (!a || !ptr) {
		free(a);
		free(ptr);
		return NULL;
	}
	a->ptr = ptr;
	a->next = test->allocs;
	test->allocs = a;
	return ptr;
}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	void *ptr = kunit_kmalloc(test, size, gfp);

	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kunit_kmalloc(test, n * size, gfp);
}

void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kunit_kzalloc(test, n * size, gfp);
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_alloc **pp;

	for (pp = &test->allocs; *pp; pp = &(*pp)->next) {
		if ((*pp)->ptr == ptr) {
			struct kunit_alloc *a = *pp;

			*pp = a->next;
			free(a->ptr);
			free(a);
			return;
		}
	}
}

int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx)
{
	struct kunit_action *a = malloc(sizeof(*a));

	if (!a)
		return -1;
	a->fn = action;
	a->ctx = ctx;
	a->next = test->actions;
	test->actions = a;
	return 0;
}

static void ktest_cleanup(struct kunit *test)
{
	while (test->actions) {
		struct kunit_action *a = test->actions;

		test->actions = a->next;
		a->fn(a->ctx);
		free(a);
	}
	while (test->allocs) {
		struct kunit_alloc *a = test->allocs;

		test->allocs = a->next;
		free(a->ptr);
		free(a);
	}
}

static bool selected(const struct kunit_suite *suite,
		     const struct kunit_case *c, const char *filter)
{
	char name[2 * KUNIT_NAME_MAX_LEN];

	if (!filter)
		return true;
	snprintf(name, sizeof(name), "%s.%s", suite->name, c->name);
	return strstr(name, filter);
}

/* The state lives in static storage, so longjmp() cannot clobber it. */
static bool run_case(struct kunit_suite *suite, struct kunit_case *c)
{
	static struct kunit test;

	memset(&test, 0, sizeof(test));
	test.name = c->name;
	if (!setjmp(test.jump)) {
		if (suite->init && suite->init(&test)) {
			ktest_fail(&test, false, __FILE__, __LINE__,
				   "suite init failed");
		} else {
			c->run_case(&test);
		}
	}
	if (suite->exit)
		suite->exit(&test);
	ktest_cleanup(&test);
	return !test.failed;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned int total_pass = 0, total_fail = 0, s;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..%u\n", nr_suites);
	for (s = 0; s < nr_suites; s++) {
		struct kunit_suite *suite = suites[s];
		unsigned int n = 0, i, pass = 0, fail = 0, skip = 0;

		while (suite->test_cases[n].run_case)
			n++;
		printf("    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
		       suite->name, n);
		if (suite->suite_init && suite->suite_init(suite)) {
			printf("    # %s: suite_init failed\n", suite->name);
			fail = n;
			n = 0;
		}
		for (i = 0; i < n; i++) {
			struct kunit_case *c = &suite->test_cases[i];

			if (!selected(suite, c, filter)) {
				printf("    ok %u %s # SKIP filtered out\n",
				       i + 1, c->name);
				skip++;
				continue;
			}
			if (run_case(suite, c)) {
				printf("    ok %u %s\n", i + 1, c->name);
				pass++;
			} else {
				printf("    not ok %u %s\n", i + 1, c->name);
				fail++;
			}
		}
		if (suite->suite_exit)
			suite->suite_exit(suite);
		printf("# %s: pass:%u fail:%u skip:%u total:%u\n", suite->name,
		       pass, fail, skip, pass + fail + skip);
		printf("%s %u %s\n", fail ? "not ok" : "ok", s + 1, suite->name);
		total_pass += pass;
		total_fail += fail;
	}
	printf("# Totals: pass:%u fail:%u\n", total_pass, total_fail);
	printf("%u passed, %u failed\n", total_pass, total_fail);
	return total_fail ? 1 : 0;
}
