/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_pfblob: the kernel's <uapi/linux/if_ether.h> is the system's
 * <linux/if_ether.h> (ETH_ALEN).
 */
#ifndef PFBLOB_UAPI_LINUX_IF_ETHER_H
#define PFBLOB_UAPI_LINUX_IF_ETHER_H

#include <linux/if_ether.h>

#endif
