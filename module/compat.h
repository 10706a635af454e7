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

#endif /* FIXEDBAR_COMPAT_H */
