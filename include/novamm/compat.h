/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * novamm: the one place where kernel-version differences are bridged.
 * novamm builds against Debian's 6.1 kernel and keeps compiling on newer
 * ones (6.12 from bookworm-backports is built in CI).
 */
#ifndef _NOVAMM_COMPAT_H_
#define _NOVAMM_COMPAT_H_

#include <linux/version.h>

/*
 * platform_driver::remove returns int before 6.11 and void from 6.11 on.
 * Drivers here write a void remove function, expand
 * NOVAMM_PLATFORM_REMOVE_WRAPPER() after it and fill the driver with
 * NOVAMM_PLATFORM_REMOVE().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define NOVAMM_PLATFORM_REMOVE_WRAPPER(fn)
#define NOVAMM_PLATFORM_REMOVE(fn)	.remove = fn
#else
#define NOVAMM_PLATFORM_REMOVE_WRAPPER(fn)				\
static int fn##_int(struct platform_device *pdev)			\
{									\
	fn(pdev);							\
	return 0;							\
}

#define NOVAMM_PLATFORM_REMOVE(fn)	.remove = fn##_int
#endif

#endif /* _NOVAMM_COMPAT_H_ */
