/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The planner's only window on its environment: fixed-width types, errno
 * values, memory and sorting.  The planner itself is plain C11 and is
 * compiled unchanged into the kernel module, the KUnit suites and the
 * userspace tools.
 */
#ifndef FIXEDBAR_TYPES_H
#define FIXEDBAR_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sort.h>
#include <linux/slab.h>
#include <linux/mm.h>

static inline void *fixedbar_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static inline void fixedbar_free(void *p)
{
	kvfree(p);
}

static inline void fixedbar_sort(void *base, size_t num, size_t size,
				 int (*cmp)(const void *, const void *))
{
	sort(base, num, size, cmp, NULL);
}

#else /* userspace */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

typedef int8_t s8;
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

static inline void *fixedbar_zalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void fixedbar_free(void *p)
{
	free(p);
}

static inline void fixedbar_sort(void *base, size_t num, size_t size,
				 int (*cmp)(const void *, const void *))
{
	if (num > 1)
		qsort(base, num, size, cmp);
}

#endif /* __KERNEL__ */

#endif /* FIXEDBAR_TYPES_H */
