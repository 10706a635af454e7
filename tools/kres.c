// SPDX-License-Identifier: GPL-2.0
/*
 * The lines of /proc/iomem and /proc/ioports (see kres.h).
 */
#include <stdio.h>
#include <string.h>

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
