/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every module object by Kbuild.  The FIXEDBAR_HAVE_* macros
 * come from probing the target kernel's headers (see Kbuild); core files
 * never test kernel version numbers.
 */
#ifndef FIXEDBAR_COMPAT_H
#define FIXEDBAR_COMPAT_H

#include <linux/ioport.h>

#ifndef FIXEDBAR_HAVE_RESOURCE_SET_RANGE
static inline void resource_set_range(struct resource *res,
				      resource_size_t start,
				      resource_size_t size)
{
	res->start = start;
	res->end = start + size - 1;
}
#endif

/*
 * The flags of a bridge window left without a range.  Kernels that test
 * resource_assigned() (7.x) keep the window's type, marked unset and
 * disabled, and size later hot-adds by that type; older ones clear them.
 */
static inline unsigned long fixedbar_released_window(unsigned long type)
{
#ifdef FIXEDBAR_HAVE_RESOURCE_ASSIGNED
	return type | IORESOURCE_UNSET | IORESOURCE_DISABLED;
#else
	return 0;
#endif
}

#endif /* FIXEDBAR_COMPAT_H */
