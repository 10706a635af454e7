// SPDX-License-Identifier: GPL-2.0
/*
 * map=: descriptor entries from the module's options or the kernel command
 * line.  Not a charp, which is limited to 1024 bytes and which a second
 * map= silently replaces: every map= appends its entries, in order, and one
 * value may be as long as the command line allows.
 *
 * The kernel's parser splits a value at unquoted whitespace and reports the
 * rest as an unknown parameter, which it then ignores.  A map= value cut
 * that way almost always ends in the ';' or ',' that preceded the blank:
 * such a value is refused, so the entries after the blank are not lost
 * without the load failing.
 */
#include <linux/ctype.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

/* far beyond any command line; only a bound on what insmod may pass */
#define PARAM_MAP_MAX (1 << 20)

static char *param_map;
static size_t param_map_len;

static int param_map_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strlen(val), end = len;
	char *m;

	while (end && isspace(val[end - 1]))
		end--;
	if (end && (val[end - 1] == ';' || val[end - 1] == ',')) {
		pr_err("map=%*pE ends with '%c': whitespace split the value (the rest is reported as an unknown parameter); write the entries without blanks, or quote the whole value\n",
		       (int)len, val, val[end - 1]);
		return -EINVAL;
	}
	if (param_map_len + len + 2 > PARAM_MAP_MAX) {
		pr_err("map= values add up to more than %d bytes; describe the fixed BARs in ACPI or the device tree instead\n",
		       PARAM_MAP_MAX);
		return -E2BIG;
	}
	m = krealloc(param_map, param_map_len + len + 2, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	if (param_map_len && len)
		m[param_map_len++] = ';';
	memcpy(m + param_map_len, val, len + 1);
	param_map_len += len;
	param_map = m;
	return 0;
}

/* sysfs shows one page: a longer value is not shown cut */
static int param_map_get(char *buf, const struct kernel_param *kp)
{
	if (!param_map)
		return scnprintf(buf, PAGE_SIZE, "(null)\n");
	if (param_map_len + 2 > PAGE_SIZE)
		return scnprintf(buf, PAGE_SIZE,
				 "(%zu bytes, too long to show; see the kernel command line or the modprobe options)\n",
				 param_map_len);
	return scnprintf(buf, PAGE_SIZE, "%s\n", param_map);
}

static void param_map_free(void *arg)
{
	kfree(param_map);
	param_map = NULL;
	param_map_len = 0;
}

static const struct kernel_param_ops param_map_ops = {
	.set = param_map_set,
	.get = param_map_get,
	.free = param_map_free,
};

module_param_cb(map, &param_map_ops, NULL, 0444);
MODULE_PARM_DESC(map, "descriptor entries separated by ';', e.g. 0000:00:01.0/00.0=bar2@0x8000000000; repeated map= append");

/* every map= value, joined by ';', or NULL */
const char *fixedbar_param_map(void)
{
	return param_map;
}
