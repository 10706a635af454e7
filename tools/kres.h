/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the kernel tells userspace about resources: the flags column of
 * sysfs resource files (include/linux/ioport.h) and the lines of
 * /proc/iomem and /proc/ioports, and a PCI device's sysfs directory.
 * Shared by every tool.
 */
#ifndef FIXEDBAR_KRES_H
#define FIXEDBAR_KRES_H

#include <stdbool.h>
#include <stddef.h>

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

/*
 * What the tools read of one PCI device in sysfs where libpci does not
 * serve (fixedbar-host reads a host tree that may be a copy; the capture
 * needs the resource file's flags and VF sizes): its name (a BDF), its
 * attributes, its resource file.
 */
/* clang-format off */
#define FIXEDBAR_RES_LINES	17	/* PCI_NUM_RESOURCES with SR-IOV */
/* clang-format on */

/* "SS.F" at @s: returns the characters used, 0 when it is none */
int fixedbar_parse_slot_fn(const char *s, unsigned int *slot, unsigned int *fn);

/*
 * "DDDD:BB:SS.F", or "BB:SS.F" (domain 0), at @s: returns the characters
 * used, 0 when @s does not start with one.
 */
int fixedbar_parse_bdf(const char *s, unsigned int *domain, unsigned int *bus,
		       unsigned int *slot, unsigned int *fn);

/* "@dir/@name" into @buf; -ENAMETOOLONG rather than a truncated path */
int fixedbar_path_join(char *buf, size_t len, const char *dir,
		       const char *name);

/* The first line of @dir/@attr, newline cut, into @buf: 0 or -errno */
int fixedbar_sysfs_attr(const char *dir, const char *attr, char *buf,
			size_t len);

/* @dir is an SR-IOV VF (it has a physfn link) */
bool fixedbar_sysfs_is_vf(const char *dir);

struct fixedbar_res_line {
	unsigned long long start, end, flags;
};

/* A device's resource file: BARs 0-5, the ROM, VF BARs 7-12, windows */
struct fixedbar_res_file {
	int nr; /* lines read: up to the first not "start end flags" */
	int bad; /* 1-based: the first line malformed or ending before it starts; 0 none */
	char bad_text[128]; /* that line, newline cut */
	struct fixedbar_res_line line[FIXEDBAR_RES_LINES];
};

/* Reads @dir/resource into @rf: 0, or -errno when it cannot be read */
int fixedbar_sysfs_resources(const char *dir, struct fixedbar_res_file *rf);

#endif /* FIXEDBAR_KRES_H */
