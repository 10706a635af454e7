/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel tells userspace about resources: the flags column of
 * sysfs resource files (include/linux/ioport.h) and the lines of
 * /proc/iomem and /proc/ioports.  Shared by every tool.
 */
#ifndef FIXEDBAR_KRES_H
#define FIXEDBAR_KRES_H

#include <stdbool.h>

/* include/linux/ioport.h */
/* clang-format off */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000
#define IORESOURCE_DISABLED	0x10000000
#define IORESOURCE_UNSET	0x20000000
#define IORESOURCE_PCI_FIXED	0x00000010	/* Enhanced Allocation */
/* clang-format on */

/*
 * One /proc/iomem or /proc/ioports line ("  fe000000-fe1fffff : name\n"):
 * its depth (two spaces a level), range and name.  Cuts the newline off
 * @line; @name points into it.  False for a line of another shape.
 */
bool fixedbar_parse_res_line(char *line, int *depth, unsigned long long *start,
			     unsigned long long *end, const char **name);

#endif /* FIXEDBAR_KRES_H */
