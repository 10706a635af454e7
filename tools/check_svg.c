// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-check --svg: the picture fixedbar-plan --from-sysfs --svg
 * draws, for the root bus of the fixed BARs, with the descriptors found
 * as its fixed entries: the lane "before" is the layout now (fixed BARs
 * red where they are), "after" what the planner would make of it; when
 * every fixed BAR is in place nothing in it moves.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
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

/* the wanted BARs of the first entry's root bus, as fixed entries of @t */
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

static int svg_draw(const struct fixedbar_topo *t, const char *file)
{
	struct fixedbar_plan plan;
	FILE *f;
	int ret;

	memset(&plan, 0, sizeof(plan));
	ret = fixedbar_plan(t, &plan);
	if (ret && !plan.err)
		plan.err = ret;
	f = fopen(file, "w");
	if (!f) {
		fixedbar_plan_free(&plan);
		return check_error("%s: %s", file, strerror(errno));
	}
	ret = fixedbar_svg_write(f, t, &plan);
	fixedbar_plan_free(&plan);
	if (fclose(f) || ret)
		return check_error("%s: %s", file,
				   ret ? "out of memory" : "write error");
	return 0;
}

int check_write_svg(const struct check_wants *ws, const char *sysfs,
		    const char *proc, const char *file)
{
	char root[PATH_MAX], msg[FIXEDBAR_MSG_LEN + 256];
	struct fixedbar_topo t;
	int ret;

	ret = svg_root(sysfs, proc, root, sizeof(root));
	if (ret)
		return ret;
	fixedbar_topo_init(&t);
	ret = fixedbar_sysfs_load(root, ws->nr ? ws->w[0].dev.domain : -1,
				  ws->nr ? ws->w[0].dev.bus : 0, &t, msg,
				  sizeof(msg));
	if (ret)
		ret = check_error("--svg: %s", msg);
	if (!ret)
		ret = svg_entries(ws, &t);
	if (!ret)
		ret = svg_draw(&t, file);
	fixedbar_topo_free(&t);
	return ret;
}
