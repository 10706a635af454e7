// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-check --svg: the picture fixedbar-plan --from-sysfs --svg
 * draws, for every root bus (pxb host bridges have their own), with the
 * descriptors found as its fixed entries: the lane "before" is the layout now (fixed BARs
 * red where they are), "after" what the planner would make of it; when
 * every fixed BAR is in place nothing in it moves.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "svg.h"
#include "sysfs_topo.h"

/* ROOT of ROOT/sys and ROOT/proc, the layout sysfs_topo.c reads */
static int svg_root(const char *sysfs, const char *proc, char *root, size_t len)
{
	char s[PATH_MAX], p[PATH_MAX], ds[PATH_MAX];

	snprintf(s, sizeof(s), "%s", sysfs);
	snprintf(p, sizeof(p), "%s", proc);
	snprintf(ds, sizeof(ds), "%s", dirname(s));
	snprintf(s, sizeof(s), "%s", sysfs);
	if (strcmp(basename(s), "sys") || strcmp(basename(p), "proc"))
		return check_error("--svg needs --sysfs ROOT/sys and --proc ROOT/proc (got %s and %s)",
				   sysfs, proc);
	snprintf(p, sizeof(p), "%s", proc);
	if (strcmp(ds, dirname(p)))
		return check_error("--svg needs --sysfs and --proc in one root (got %s and %s)",
				   sysfs, proc);
	snprintf(root, len, "%s", ds);
	return 0;
}

/* the wanted BARs on @t's root bus, as fixed entries of @t */
static int svg_entries(const struct check_wants *ws, struct fixedbar_topo *t)
{
	char map[FIXEDBAR_PATH_LEN + 48], msg[FIXEDBAR_MSG_LEN];
	const struct check_want *w;
	u32 i;

	for (i = 0; i < ws->nr; i++) {
		w = &ws->w[i];
		if (w->dev.domain != t->segment || w->dev.bus != t->root_bus)
			continue;
		snprintf(map, sizeof(map), "%s=bar%u@0x%llx", w->path, w->bar,
			 (unsigned long long)w->addr);
		if (fixedbar_parse_map(map, t, msg, sizeof(msg)))
			return check_error("--svg: %s: %s", map, msg);
	}
	return 0;
}

static int svg_draw(const struct fixedbar_topo *ts, size_t n, const char *file)
{
	FILE *f;
	int ret;

	f = fopen(file, "w");
	if (!f)
		return check_error("%s: %s", file, strerror(errno));
	ret = fixedbar_svg_write_all(f, ts, n, NULL, NULL);
	if (fclose(f) || ret)
		return check_error("%s: %s", file,
				   ret ? "out of memory" : "write error");
	return 0;
}

/* every root bus (a pxb host bridge has its own), each with its plan */
int check_write_svg(const struct check_wants *ws, const char *sysfs,
		    const char *proc, const char *file)
{
	char root[PATH_MAX], msg[FIXEDBAR_MSG_LEN + 256];
	struct fixedbar_topo *ts;
	size_t n, i;
	int ret;

	ret = svg_root(sysfs, proc, root, sizeof(root));
	if (ret)
		return ret;
	ret = fixedbar_sysfs_load_all(root, &ts, &n, msg, sizeof(msg));
	if (ret)
		ret = check_error("--svg: %s", msg);
	for (i = 0; !ret && i < n; i++)
		ret = svg_entries(ws, &ts[i]);
	if (!ret)
		ret = svg_draw(ts, n, file);
	for (i = 0; i < n; i++)
		fixedbar_topo_free(&ts[i]);
	free(ts);
	return ret;
}
