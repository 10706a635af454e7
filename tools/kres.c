// SPDX-License-Identifier: GPL-2.0
/*
 * The lines of /proc/iomem and /proc/ioports, a PCI device in sysfs (see
 * kres.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kres.h"

bool fixedbar_parse_res_line(char *line, int *depth, unsigned long long *start,
			     unsigned long long *end, const char **name)
{
	int n = 0, off;

	while (line[n] == ' ')
		n++;
	if (sscanf(line + n, "%llx-%llx : %n", start, end, &off) != 2)
		return false;
	line[strcspn(line, "\n")] = '\0';
	*depth = n / 2;
	*name = line + n + off;
	return true;
}

/* at most @max hex digits, at least one; returns the characters used */
static int parse_hex(const char *s, int max, unsigned int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && isxdigit((unsigned char)s[n])) {
		*v = *v << 4 | (isdigit((unsigned char)s[n]) ?
					s[n] - '0' :
					(tolower(s[n]) - 'a' + 10));
		n++;
	}
	return n;
}

int fixedbar_parse_slot_fn(const char *s, unsigned int *slot, unsigned int *fn)
{
	int n = parse_hex(s, 2, slot), m;

	if (!n || s[n] != '.' || *slot > 0x1f)
		return 0;
	m = parse_hex(s + n + 1, 1, fn);
	if (!m || *fn > 7)
		return 0;
	return n + 1 + m;
}

int fixedbar_parse_bdf(const char *s, unsigned int *domain, unsigned int *bus,
		       unsigned int *slot, unsigned int *fn)
{
	unsigned int a, b;
	const char *p = s;
	int n;

	n = parse_hex(p, 4, &a);
	if (!n || p[n] != ':')
		return 0;
	p += n + 1;
	n = parse_hex(p, 2, &b);
	if (n && p[n] == ':') { /* DDDD:BB:SS.F */
		*domain = a;
		*bus = b;
		p += n + 1;
	} else if (n && p[n] == '.' && a <= 0xff) { /* BB:SS.F */
		*domain = 0;
		*bus = a;
	} else {
		return 0;
	}
	n = fixedbar_parse_slot_fn(p, slot, fn);
	return n ? p + n - s : 0;
}

int fixedbar_path_join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int fixedbar_sysfs_attr(const char *dir, const char *attr, char *buf,
			size_t len)
{
	char path[PATH_MAX];
	FILE *f;
	int ok;

	if (fixedbar_path_join(path, sizeof(path), dir, attr))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

bool fixedbar_sysfs_is_vf(const char *dir)
{
	char link[PATH_MAX];

	return !fixedbar_path_join(link, sizeof(link), dir, "physfn") &&
	       !access(link, F_OK);
}

/* one "start end flags" line; false when it is none */
static bool res_line(const char *s, struct fixedbar_res_line *r)
{
	return sscanf(s, "%llx %llx %llx", &r->start, &r->end, &r->flags) == 3;
}

int fixedbar_sysfs_resources(const char *dir, struct fixedbar_res_file *rf)
{
	char path[PATH_MAX], line[128];
	bool ok = true;
	FILE *f;

	memset(rf, 0, sizeof(*rf));
	if (fixedbar_path_join(path, sizeof(path), dir, "resource"))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (ok && rf->nr < FIXEDBAR_RES_LINES &&
	       fgets(line, sizeof(line), f)) {
		struct fixedbar_res_line *r = &rf->line[rf->nr];

		ok = res_line(line, r);
		if (ok)
			rf->nr++;
		if (!rf->bad && (!ok || r->end < r->start)) {
			rf->bad = rf->nr + !ok;
			snprintf(rf->bad_text, sizeof(rf->bad_text), "%.*s",
				 (int)strcspn(line, "\n"), line);
		}
	}
	fclose(f);
	return 0;
}
