/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ktest - the subset of the KUnit API (<kunit/test.h>) that the
 * i40e_vf_mdev unit tests use, implemented for userspace.
 *
 * The same test files build as a KUnit module in the kernel and, with
 * tests/unit/include/kunit/test.h pointing here, as userspace programs
 * (with ASan/UBSan) that print KTAP like KUnit does and end with a line
 * "N passed, N failed".
 *
 * Differences from KUnit: KUNIT_ASSERT_* leave the test case with
 * longjmp(); allocations made with kunit_kmalloc() and friends are freed
 * when the case ends; there are no parameterised cases, attributes or
 * resources other than memory and deferred actions.
 */
#ifndef KTEST_H
#define KTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KUNIT_NAME_MAX_LEN	256

typedef unsigned int gfp_t;
#ifndef GFP_KERNEL
#define GFP_KERNEL	0u
#endif

struct kunit_alloc;
struct kunit_action;

/**
 * struct kunit - state of one running test case
 * @name: name of the case
 * @priv: for the suite's init/exit and the case
 * @failed: an expectation or assertion failed
 * @jump: where KUNIT_ASSERT_* return to
 * @allocs: memory to free when the case ends
 * @actions: deferred actions to run when the case ends
 */
struct kunit {
	const char *name;
	void *priv;
	bool failed;
	jmp_buf jump;
	struct kunit_alloc *allocs;
	struct kunit_action *actions;
};

/**
 * struct kunit_case - one test case
 * @run_case: the test function
 * @name: its name
 */
struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

/**
 * struct kunit_suite - a named list of test cases
 * @name: suite name
 * @suite_init: called once before the cases, may be NULL
 * @suite_exit: called once after the cases, may be NULL
 * @init: called before each case, may be NULL
 * @exit: called after each case, may be NULL
 * @test_cases: the cases, terminated by an empty entry
 */
struct kunit_suite {
	const char name[KUNIT_NAME_MAX_LEN];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }

void ktest_register(struct kunit_suite *suite);

#define KTEST_CAT_(a, b)	a##b
#define KTEST_CAT(a, b)		KTEST_CAT_(a, b)

#define kunit_test_suites(...)						\
	static struct kunit_suite *KTEST_CAT(ktest_suites_, __LINE__)[] = \
		{ __VA_ARGS__ };					\
	static void __attribute__((constructor))			\
	KTEST_CAT(ktest_register_, __LINE__)(void)			\
	{								\
		size_t i;						\
									\
		for (i = 0; i < sizeof(KTEST_CAT(ktest_suites_, __LINE__)) / \
			sizeof(KTEST_CAT(ktest_suites_, __LINE__)[0]); i++) \
			ktest_register(KTEST_CAT(ktest_suites_, __LINE__)[i]); \
	}

#define kunit_test_suite(suite)	kunit_test_suites(&(suite))

/* Module boilerplate of the kernel build: nothing in userspace. */
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define MODULE_IMPORT_NS(x)

/* Memory, freed when the test case ends */
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);
void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp);
void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

typedef void (kunit_action_t)(void *ctx);
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);

/* Reporting */
void ktest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ktest_fail(struct kunit *test, bool assert, const char *file, int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ktest_abort(struct kunit *test) __attribute__((noreturn));

#define kunit_info(test, fmt, ...) \
	ktest_printf("    # %s: " fmt, (test)->name, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_log(lvl, test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)

/*
 * Every check: report the failure, then the optional message of the *_MSG
 * forms, then leave the case if it is an assertion.
 */
void ktest_msg(struct kunit *test, const char *fmt, ...);

#define KTEST_CHECK(test, assert, ok, msg, ...) do {			\
	if (!(ok)) {							\
		ktest_fail(test, assert, __FILE__, __LINE__, "%s", msg);	\
		ktest_msg(test, "" __VA_ARGS__);			\
		if (assert)						\
			ktest_abort(test);				\
	}								\
} while (0)

#define KTEST_NO_SIGN_WARN_BEGIN					\
	_Pragma("GCC diagnostic push")					\
	_Pragma("GCC diagnostic ignored \"-Wsign-compare\"")
#define KTEST_NO_SIGN_WARN_END	_Pragma("GCC diagnostic pop")

#define KTEST_TRUE(test, assert, cond, text, ...)			\
	KTEST_CHECK(test, assert, cond, "Expected " text " to be true",	\
		    ##__VA_ARGS__)

#define KTEST_BINARY(test, assert, left, op, right, ...) do {		\
	__typeof__(left) __kl = (left);					\
	__typeof__(right) __kr = (right);				\
	bool __kok;							\
	KTEST_NO_SIGN_WARN_BEGIN					\
	__kok = (__kl op __kr);						\
	KTEST_NO_SIGN_WARN_END						\
	if (!__kok) {							\
		ktest_fail(test, assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s, but %s == %lld (0x%llx), "	\
			   "%s == %lld (0x%llx)", #left, #op, #right,	\
			   #left, (long long)__kl, (unsigned long long)__kl, \
			   #right, (long long)__kr, (unsigned long long)__kr); \
		ktest_msg(test, "" __VA_ARGS__);			\
		if (assert)						\
			ktest_abort(test);				\
	}								\
} while (0)

#define KTEST_PTR(test, assert, left, op, right, ...) do {		\
	const void *__kl = (left);					\
	const void *__kr = (right);					\
	if (!(__kl op __kr)) {						\
		ktest_fail(test, assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s, but %s == %p, %s == %p",	\
			   #left, #op, #right, #left, __kl, #right, __kr); \
		ktest_msg(test, "" __VA_ARGS__);			\
		if (assert)						\
			ktest_abort(test);				\
	}								\
} while (0)

#define KTEST_STR(test, assert, left, op, right, ...) do {		\
	const char *__kl = (left);					\
	const char *__kr = (right);					\
	if (!(strcmp(__kl, __kr) op 0)) {				\
		ktest_fail(test, assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s, but %s == \"%s\", %s == \"%s\"", \
			   #left, #op, #right, #left, __kl, #right, __kr); \
		ktest_msg(test, "" __VA_ARGS__);			\
		if (assert)						\
			ktest_abort(test);				\
	}								\
} while (0)

#define KTEST_MEM(test, assert, left, op, right, size, ...) do {	\
	const void *__kl = (left);					\
	const void *__kr = (right);					\
	size_t __ks = (size);						\
	if (!(memcmp(__kl, __kr, __ks) op 0)) {				\
		ktest_fail(test, assert, __FILE__, __LINE__,		\
			   "Expected %s %s %s over %zu bytes",		\
			   #left, #op, #right, __ks);			\
		ktest_msg(test, "" __VA_ARGS__);			\
		if (assert)						\
			ktest_abort(test);				\
	}								\
} while (0)

#define KUNIT_SUCCEED(test)	do { (void)(test); } while (0)
#define KUNIT_FAIL(test, ...)	KTEST_CHECK(test, false, 0, "failed", __VA_ARGS__)

#define KUNIT_EXPECT_TRUE(test, c, ...) \
	KTEST_TRUE(test, false, c, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE_MSG(test, c, ...) \
	KTEST_TRUE(test, false, c, #c, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE(test, c, ...) \
	KTEST_TRUE(test, false, !(c), "!(" #c ")", ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(test, c, ...) \
	KTEST_TRUE(test, false, !(c), "!(" #c ")", ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(test, l, r, ...) \
	KTEST_BINARY(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE(test, l, r, ...) \
	KTEST_BINARY(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT(test, l, r, ...) \
	KTEST_BINARY(test, false, l, <, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, <, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE(test, l, r, ...) \
	KTEST_BINARY(test, false, l, <=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, <=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT(test, l, r, ...) \
	KTEST_BINARY(test, false, l, >, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, >, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE(test, l, r, ...) \
	KTEST_BINARY(test, false, l, >=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, false, l, >=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ(test, l, r, ...) \
	KTEST_PTR(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, ...) \
	KTEST_PTR(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE(test, l, r, ...) \
	KTEST_PTR(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, ...) \
	KTEST_PTR(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(test, p, ...) \
	KTEST_PTR(test, false, p, ==, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, false, p, ==, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL(test, p, ...) \
	KTEST_PTR(test, false, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, false, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p, ...) \
	KTEST_PTR(test, false, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, false, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ(test, l, r, ...) \
	KTEST_STR(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, ...) \
	KTEST_STR(test, false, l, ==, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ(test, l, r, ...) \
	KTEST_STR(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, ...) \
	KTEST_STR(test, false, l, !=, r, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ(test, l, r, n, ...) \
	KTEST_MEM(test, false, l, ==, r, n, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ_MSG(test, l, r, n, ...) \
	KTEST_MEM(test, false, l, ==, r, n, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ(test, l, r, n, ...) \
	KTEST_MEM(test, false, l, !=, r, n, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMNEQ_MSG(test, l, r, n, ...) \
	KTEST_MEM(test, false, l, !=, r, n, ##__VA_ARGS__)

#define KUNIT_ASSERT_TRUE(test, c, ...) \
	KTEST_TRUE(test, true, c, #c, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(test, c, ...) \
	KTEST_TRUE(test, true, c, #c, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE(test, c, ...) \
	KTEST_TRUE(test, true, !(c), "!(" #c ")", ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(test, c, ...) \
	KTEST_TRUE(test, true, !(c), "!(" #c ")", ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ(test, l, r, ...) \
	KTEST_BINARY(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE(test, l, r, ...) \
	KTEST_BINARY(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT(test, l, r, ...) \
	KTEST_BINARY(test, true, l, <, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, <, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE(test, l, r, ...) \
	KTEST_BINARY(test, true, l, <=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, <=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT(test, l, r, ...) \
	KTEST_BINARY(test, true, l, >, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, >, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE(test, l, r, ...) \
	KTEST_BINARY(test, true, l, >=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(test, l, r, ...) \
	KTEST_BINARY(test, true, l, >=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ(test, l, r, ...) \
	KTEST_PTR(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, ...) \
	KTEST_PTR(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE(test, l, r, ...) \
	KTEST_PTR(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, ...) \
	KTEST_PTR(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(test, p, ...) \
	KTEST_PTR(test, true, p, ==, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, true, p, ==, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(test, p, ...) \
	KTEST_PTR(test, true, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, true, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p, ...) \
	KTEST_PTR(test, true, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, ...) \
	KTEST_PTR(test, true, p, !=, NULL, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ(test, l, r, ...) \
	KTEST_STR(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, ...) \
	KTEST_STR(test, true, l, ==, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ(test, l, r, ...) \
	KTEST_STR(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, ...) \
	KTEST_STR(test, true, l, !=, r, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ(test, l, r, n, ...) \
	KTEST_MEM(test, true, l, ==, r, n, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMEQ_MSG(test, l, r, n, ...) \
	KTEST_MEM(test, true, l, ==, r, n, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ(test, l, r, n, ...) \
	KTEST_MEM(test, true, l, !=, r, n, ##__VA_ARGS__)
#define KUNIT_ASSERT_MEMNEQ_MSG(test, l, r, n, ...) \
	KTEST_MEM(test, true, l, !=, r, n, ##__VA_ARGS__)

#endif /* KTEST_H */
