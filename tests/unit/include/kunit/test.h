/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel's <kunit/test.h>: the unit tests beside
 * the driver sources include <kunit/test.h> and get the KUnit subset that
 * tests/unit/ktest.h implements.
 */
#ifndef KTEST_KUNIT_TEST_H
#define KTEST_KUNIT_TEST_H

#include "../../ktest.h"

#endif /* KTEST_KUNIT_TEST_H */
