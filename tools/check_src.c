// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-check: where the descriptor entries come from.  The same places
 * the module reads (module/source.c), seen from userspace:
 *  - device tree: nodes compatible with "linux,pci-fixedbar" under
 *    firmware/devicetree/base, and "fixed-bars" on a PCI device's of_node;
 *  - ACPI: PRP0001 devices and _ADR companions in the DSDT and SSDTs
 *    (fixedbar_aml.c), companions matched through firmware_node/path;
 *  - pci_fixedbar.map= on the kernel command line, and the loaded module's
 *    map parameter;
 * plus a file and -m.  Entries go through the planner's own parser.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "check.h"
#include "fixedbar_aml.h"
#include "kres.h"

#define MAX_FILE (16 << 20)

int check_error(const char *fmt, ...)
{
	va_list ap;

	fputs(CHECK_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EINVAL;
}

int check_note(struct check_wants *ws, bool problem, const char *fmt, ...)
{
	char ***list = problem ? &ws->problems : &ws->notes;
	u32 *nr = problem ? &ws->nr_problems : &ws->nr_notes;
	char **l, *s;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	l = n < 0 ? NULL : realloc(*list, (*nr + 1) * sizeof(*l));
	if (!l) {
		if (n >= 0)
			free(s);
		return check_error("out of memory");
	}
	l[(*nr)++] = s;
	*list = l;
	return 0;
}

void check_wants_init(struct check_wants *ws)
{
	memset(ws, 0, sizeof(*ws));
	fixedbar_topo_init(&ws->merged);
}

void check_wants_free(struct check_wants *ws)
{
	u32 i, j;

	for (i = 0; i < ws->nr; i++) {
		for (j = 0; j < ws->w[i].nr_from; j++)
			free(ws->w[i].from[j]);
		free(ws->w[i].from);
	}
	for (i = 0; i < ws->nr_problems; i++)
		free(ws->problems[i]);
	for (i = 0; i < ws->nr_notes; i++)
		free(ws->notes[i]);
	free(ws->w);
	free(ws->problems);
	free(ws->notes);
	fixedbar_topo_free(&ws->merged);
	memset(ws, 0, sizeof(*ws));
}

static bool same_path(const struct fixedbar_entry *a,
		      const struct fixedbar_entry *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->nr_hops == b->nr_hops &&
	       !memcmp(a->devfn, b->devfn, a->nr_hops);
}

/* Adds @from to the places a BAR was named (once). */
static int add_from(struct check_want *w, const char *from)
{
	char **l;
	u32 i;

	for (i = 0; i < w->nr_from; i++)
		if (!strcmp(w->from[i], from))
			return 0;
	l = realloc(w->from, (w->nr_from + 1) * sizeof(*l));
	if (l) {
		w->from = l;
		l[w->nr_from] = strdup(from);
	}
	if (!l || !l[w->nr_from])
		return check_error("out of memory");
	w->nr_from++;
	return 0;
}

static int add_bar(struct check_wants *ws, const struct fixedbar_entry *e,
		   int k, const char *from)
{
	struct check_want *w;
	u32 i;

	for (i = 0; i < ws->nr; i++) {
		w = &ws->w[i];
		if (same_path(&w->dev, e) && w->bar == e->bars[k].bar)
			return add_from(w, from);
	}
	if (ws->nr == ws->max) {
		u32 max = ws->max ? 2 * ws->max : 16;

		w = realloc(ws->w, max * sizeof(*w));
		if (!w)
			return check_error("out of memory");
		ws->w = w;
		ws->max = max;
	}
	w = &ws->w[ws->nr++];
	memset(w, 0, sizeof(*w));
	w->dev = *e;
	w->dev.nr_bars = 0;
	w->bar = e->bars[k].bar;
	w->addr = e->bars[k].addr;
	/* an entry without BARs formats as the bare path */
	fixedbar_format_entry(&w->dev, w->path, sizeof(w->path));
	return add_from(w, from);
}

/* what to fix, after where the entry came from */
static const char *advice(const char *from)
{
	if (!strncmp(from, "dt ", 3) || !strncmp(from, "acpi ", 5))
		return "fix the descriptor";
	if (!strcmp(from, "cmdline") || !strcmp(from, "module map"))
		return "fix the pci_fixedbar.map parameter";
	if (!strncmp(from, "-m ", 3))
		return "fix the -m argument";
	return "fix the file";
}

int check_add_string(struct check_wants *ws, const char *s,
		     const char *dev_path, const char *from)
{
	char msg[FIXEDBAR_MSG_LEN], *buf = NULL;
	struct fixedbar_topo one;
	const char *map = s;
	int ret, k;
	u32 i;

	if (dev_path) {
		if (asprintf(&buf, "%s=%s", dev_path, s) < 0)
			return check_error("out of memory");
		map = buf;
	}
	fixedbar_topo_init(&one);
	ret = fixedbar_parse_map(map, &one, msg, sizeof(msg));
	for (i = 0; !ret && i < one.nr_entries; i++)
		ret = fixedbar_topo_add_entry(&ws->merged, &one.entries[i], msg,
					      sizeof(msg));
	if (ret == -ENOMEM)
		ret = check_error("out of memory");
	else if (ret)
		ret = check_error("%s: %s; %s", from, msg, advice(from));
	for (i = 0; !ret && i < one.nr_entries; i++)
		for (k = 0; !ret && k < one.entries[i].nr_bars; k++)
			ret = add_bar(ws, &one.entries[i], k, from);
	fixedbar_topo_free(&one);
	free(buf);
	return ret;
}

/* Reads a whole file; NULL with errno set when it cannot. */
static char *slurp(const char *path, size_t *len)
{
	size_t used = 0, max = 4096;
	char *buf = malloc(max + 1), *b;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + used, 1, max - used, f)) > 0) {
		used += n;
		if (used == max && max < MAX_FILE) {
			max *= 2;
			b = realloc(buf, max + 1);
			if (!b)
				break;
			buf = b;
		}
		if (used == max)
			break;
	}
	fclose(f);
	buf[used] = '\0';
	if (len)
		*len = used;
	return buf;
}

/*
 * Adds each string of a NUL-separated DT string list.  Empty or not
 * NUL-terminated (an integer cell, bytes) is a problem, as for the module.
 */
static int add_dt_strings(struct check_wants *ws, const char *file,
			  const char *dev_path, const char *from)
{
	size_t len, off;
	char *buf = slurp(file, &len);
	int ret = 0;

	if (!buf)
		return check_error("%s: %s", file, strerror(errno));
	if (!len || buf[len - 1]) {
		ret = check_note(ws, true,
				 "%s: property \"fixed-bars\" is %s; fix the descriptor",
				 from,
				 len ? "not a list of NUL-terminated strings" :
				       "empty");
		free(buf);
		return ret;
	}
	for (off = 0; !ret && off < len; off += strlen(buf + off) + 1)
		ret = check_add_string(ws, buf + off, dev_path, from);
	free(buf);
	return ret;
}

/* Does the NUL-separated list in @file hold @s? */
static bool list_has(const char *file, const char *s)
{
	size_t len, off;
	char *buf = slurp(file, &len);
	bool found = false;

	for (off = 0; buf && !found && off < len; off += strlen(buf + off) + 1)
		found = !strcmp(buf + off, s);
	free(buf);
	return found;
}

static bool dt_node_enabled(const char *dir)
{
	char path[PATH_MAX], *st;
	bool ok;

	snprintf(path, sizeof(path), "%s/status", dir);
	st = slurp(path, NULL);
	ok = !st || !strcmp(st, "okay") || !strcmp(st, "ok");
	free(st);
	return ok;
}

static int dt_is_of_node(struct check_wants *ws, const char *sysfs,
			 const char *devdir, const char *path, void *arg)
{
	char link[PATH_MAX], real[PATH_MAX];
	const char *dir = arg;

	snprintf(link, sizeof(link), "%s/of_node", devdir);
	return realpath(link, real) && !strcmp(real, dir);
}

static int each_pci_dev(struct check_wants *ws, const char *sysfs,
			int (*fn)(struct check_wants *ws, const char *sysfs,
				  const char *devdir, const char *path,
				  void *arg),
			void *arg);

/*
 * "fixed-bars" on a node that is no PCI device's own node (dt_pci_dev
 * reads those): nothing reads it, and the module refuses to load.
 */
static int dt_stray(struct check_wants *ws, const char *dir, const char *node)
{
	char path[PATH_MAX], real[PATH_MAX], sysfs[PATH_MAX], *p;
	int ret;

	snprintf(path, sizeof(path), "%s/fixed-bars", dir);
	if (access(path, F_OK) || !realpath(dir, real))
		return 0;
	/* .../firmware/devicetree/base/... -> the sysfs root */
	snprintf(sysfs, sizeof(sysfs), "%s", dir);
	p = strstr(sysfs, "/firmware/devicetree/base");
	if (!p)
		return 0;
	*p = '\0';
	ret = each_pci_dev(ws, sysfs, dt_is_of_node, real);
	if (ret < 0)
		return ret;
	if (ret)
		return 0;
	return check_note(ws, true,
			  "dt %s: \"fixed-bars\" on a node that is no PCI device's node and no \"%s\" node: the module refuses it; nest it host -> ports -> device by devfn (reg)",
			  node, FIXEDBAR_AML_COMPATIBLE);
}

/* Every "linux,pci-fixedbar" node below @dir (@node: its DT path). */
static int dt_walk(struct check_wants *ws, const char *dir, const char *node,
		   int depth)
{
	char path[PATH_MAX], sub[PATH_MAX], from[PATH_MAX + 8];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/compatible", dir);
	if (list_has(path, FIXEDBAR_AML_COMPATIBLE)) {
		snprintf(path, sizeof(path), "%s/fixed-bars", dir);
		snprintf(from, sizeof(from), "dt %s", node);
		if (!dt_node_enabled(dir))
			ret = check_note(ws, false,
					 "%s: status is not okay, skipped",
					 from);
		else if (access(path, F_OK))
			ret = check_note(ws, true, "%s: no fixed-bars property",
					 from);
		else
			ret = add_dt_strings(ws, path, NULL, from);
	} else {
		ret = dt_stray(ws, dir, node);
	}
	d = depth < 64 ? opendir(dir) : NULL;
	while (!ret && d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", node,
			 strcmp(node, "/") ? "/" : "", de->d_name);
		ret = dt_walk(ws, path, sub, depth + 1);
	}
	if (d)
		closedir(d);
	return ret;
}

/*
 * The descriptor path of a PCI device from its sysfs directory:
 * .../pci0000:00/0000:00:10.0/0000:01:00.0 -> 0000:00:10.0/00.0
 */
static int sysfs_dev_path(const char *devdir, char *buf, size_t len)
{
	char real[PATH_MAX], *p, *tok, *save = NULL;
	unsigned int dom, bus, slot, fn;
	size_t used = 0;
	int n;

	if (!realpath(devdir, real))
		return -errno;
	p = real;
	for (tok = strtok_r(p, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		n = fixedbar_parse_bdf(tok, &dom, &bus, &slot, &fn);
		if (!n || tok[n])
			continue;
		if (!used)
			used = snprintf(buf, len, "%04x:%02x:%02x.%x", dom, bus,
					slot, fn);
		else if (used < len)
			used += snprintf(buf + used, len - used, "/%02x.%x",
					 slot, fn);
	}
	return used && used < len ? 0 : -EINVAL;
}

/* A DT node's path from its sysfs directory (of_node link target). */
static void dt_node_path(const char *sysfs, const char *dir, char *buf,
			 size_t len)
{
	char real[PATH_MAX], base[PATH_MAX], rbase[PATH_MAX];

	snprintf(base, sizeof(base), "%s/firmware/devicetree/base", sysfs);
	if (realpath(dir, real) && realpath(base, rbase) &&
	    !strncmp(real, rbase, strlen(rbase)))
		snprintf(buf, len, "%s",
			 real[strlen(rbase)] ? real + strlen(rbase) : "/");
	else
		snprintf(buf, len, "%s", dir);
}

/* Calls @fn for each /sys/bus/pci/devices entry with its descriptor path. */
static int each_pci_dev(struct check_wants *ws, const char *sysfs,
			int (*fn)(struct check_wants *ws, const char *sysfs,
				  const char *devdir, const char *path,
				  void *arg),
			void *arg)
{
	char dir[PATH_MAX], devdir[PATH_MAX], path[FIXEDBAR_PATH_LEN];
	struct dirent *de;
	int ret = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices", sysfs);
	d = opendir(dir);
	if (!d)
		return check_error("%s: %s", dir, strerror(errno));
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(devdir, sizeof(devdir), "%s/%s", dir, de->d_name);
		if (sysfs_dev_path(devdir, path, sizeof(path)))
			continue;
		ret = fn(ws, sysfs, devdir, path, arg);
	}
	closedir(d);
	return ret;
}

static int dt_pci_dev(struct check_wants *ws, const char *sysfs,
		      const char *devdir, const char *path, void *arg)
{
	char file[PATH_MAX], node[PATH_MAX], from[PATH_MAX + 8];

	snprintf(file, sizeof(file), "%s/of_node/fixed-bars", devdir);
	if (access(file, F_OK))
		return 0;
	snprintf(node, sizeof(node), "%s/of_node", devdir);
	dt_node_path(sysfs, node, file, sizeof(file));
	snprintf(from, sizeof(from), "dt %s", file);
	snprintf(file, sizeof(file), "%s/of_node/fixed-bars", devdir);
	return add_dt_strings(ws, file, path, from);
}

static int read_dt(struct check_wants *ws, const char *sysfs)
{
	char base[PATH_MAX];
	struct stat st;
	int ret;

	snprintf(base, sizeof(base), "%s/firmware/devicetree/base", sysfs);
	if (stat(base, &st))
		return check_note(ws, false, "dt: no %s", base);
	ret = dt_walk(ws, base, "/", 0);
	if (!ret)
		ret = each_pci_dev(ws, sysfs, dt_pci_dev, NULL);
	return ret;
}

struct acpi_match {
	struct fixedbar_aml_obj *obj;
	bool found;
};

/* Is this device the ACPI companion at obj->path?  Then add its items. */
static int acpi_pci_dev(struct check_wants *ws, const char *sysfs,
			const char *devdir, const char *path, void *arg)
{
	struct acpi_match *m = arg;
	char file[PATH_MAX], from[FIXEDBAR_AML_PATH_LEN + 32], *fw;
	int ret = 0;
	u32 i;

	snprintf(file, sizeof(file), "%s/firmware_node/path", devdir);
	fw = slurp(file, NULL);
	if (!fw)
		return 0;
	fw[strcspn(fw, "\n")] = '\0';
	if (!strcmp(fw, m->obj->path)) {
		m->found = true;
		snprintf(from, sizeof(from), "acpi %s %s", m->obj->table,
			 m->obj->path);
		for (i = 0; !ret && i < m->obj->nr_bars; i++)
			ret = check_add_string(ws, m->obj->bars[i], path, from);
	}
	free(fw);
	return ret;
}

static int acpi_obj(struct check_wants *ws, const char *sysfs,
		    struct fixedbar_aml_obj *o)
{
	struct acpi_match m = { .obj = o };
	char from[FIXEDBAR_AML_PATH_LEN + 32];
	int ret = 0;
	u32 i;

	if (!o->has_bars)
		return 0;
	snprintf(from, sizeof(from), "acpi %s %s", o->table, o->path);
	if (o->nr_props > 1)
		return check_note(ws, true,
				  "%s: property \"fixed-bars\" appears %u times in _DSD; fix the descriptor",
				  from, o->nr_props);
	if (o->bad[0])
		return check_note(ws, true, "%s: %s; fix the descriptor", from,
				  o->bad);
	if (o->compatible && o->prp0001) {
		for (i = 0; !ret && i < o->nr_bars; i++)
			ret = check_add_string(ws, o->bars[i], NULL, from);
		return ret;
	}
	if (o->compatible)
		return check_note(ws, true,
				  "%s: compatible \"%s\" without _HID or _CID \"PRP0001\": the module does not read it; add Name (_HID, \"PRP0001\")",
				  from, FIXEDBAR_AML_COMPATIBLE);
	ret = each_pci_dev(ws, sysfs, acpi_pci_dev, &m);
	if (!ret && !m.found)
		ret = check_note(ws, true,
				 "%s: fixed-bars on an object that is no PCI device's companion (firmware_node/path): the module does not read it; check the Scope path and _ADR",
				 from);
	return ret;
}

static int scan_table(struct check_wants *ws, struct fixedbar_aml_ns *ns,
		      const char *dir, const char *name, const char *label)
{
	char path[PATH_MAX], msg[256];
	size_t len;
	u8 *buf;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf = (u8 *)slurp(path, &len);
	if (!buf)
		return check_error("%s: %s", path, strerror(errno));
	ret = fixedbar_aml_scan(ns, buf, len, label, msg, sizeof(msg));
	free(buf);
	if (ret == -ENOMEM)
		return check_error("out of memory");
	if (ret)
		return check_note(ws, false, "acpi: %s", msg);
	return 0;
}

static int scan_tables(struct check_wants *ws, struct fixedbar_aml_ns *ns,
		       const char *dir, const char *prefix)
{
	char label[300];
	struct dirent *de;
	int ret = 0;
	DIR *d = opendir(dir);

	while (!ret && d && (de = readdir(d))) {
		if (strcmp(de->d_name, "DSDT") &&
		    strncmp(de->d_name, "SSDT", 4))
			continue;
		snprintf(label, sizeof(label), "%s%s", prefix, de->d_name);
		ret = scan_table(ws, ns, dir, de->d_name, label);
	}
	if (d)
		closedir(d);
	return ret;
}

static int read_acpi(struct check_wants *ws, const char *sysfs)
{
	struct fixedbar_aml_ns ns = { 0 };
	char dir[PATH_MAX];
	int ret;
	u32 i;

	snprintf(dir, sizeof(dir), "%s/firmware/acpi/tables", sysfs);
	if (access(dir, F_OK))
		return check_note(ws, false, "acpi: no %s", dir);
	ret = scan_tables(ws, &ns, dir, "");
	snprintf(dir, sizeof(dir), "%s/firmware/acpi/tables/dynamic", sysfs);
	if (!ret)
		ret = scan_tables(ws, &ns, dir, "dynamic/");
	if (!ret && ns.nr_skipped)
		ret = check_note(ws, false,
				 "acpi: stepped over %u scope bodies it cannot parse, first %s",
				 ns.nr_skipped, ns.skipped);
	for (i = 0; !ret && i < ns.nr_objs; i++)
		ret = acpi_obj(ws, sysfs, &ns.objs[i]);
	fixedbar_aml_free(&ns);
	return ret;
}

/* "pci_fixedbar.map"; the kernel takes '-' and '_' alike in names */
static bool is_map_key(const char *key, size_t len)
{
	static const char want[] = "pci_fixedbar.map";
	size_t i;

	if (len != sizeof(want) - 1)
		return false;
	for (i = 0; i < len; i++)
		if (key[i] != want[i] && !(want[i] == '_' && key[i] == '-'))
			return false;
	return true;
}

/* Appends @len bytes of @val, without quotes, to *@map ("a;b"). */
static int cmdline_append(char **map, const char *val, size_t len)
{
	size_t used = *map ? strlen(*map) : 0;
	char *m = realloc(*map, used + len + 2), *out;
	size_t i;

	if (!m) {
		free(*map);
		*map = NULL;
		return -ENOMEM;
	}
	out = m + used;
	if (used && len)
		*out++ = ';';
	for (i = 0; i < len; i++)
		if (val[i] != '"')
			*out++ = val[i];
	*out = '\0';
	*map = m;
	/* the module refuses a value whitespace cut after ';' or ',' */
	out = m + strlen(m);
	while (out > m + used && strchr(" \t", out[-1]))
		out--;
	return out > m + used && strchr(";,", out[-1]) ? -EINVAL : 0;
}

/*
 * Every pci_fixedbar.map= of the command line, joined by ';' in order (the
 * module appends repeated map= values) in *@map, NULL when there is none.
 * -EINVAL for a value that ends in ';' or ',', as the module refuses it.
 */
static int cmdline_map(const char *cmdline, char **map)
{
	const char *p = cmdline, *key, *eq;
	bool quoted;
	int ret;

	while (*p) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		key = p;
		quoted = false;
		while (*p && (quoted || (*p != ' ' && *p != '\n'))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		if (*key == '"')
			key++;
		eq = memchr(key, '=', p > key ? p - key : 0);
		if (!eq || !is_map_key(key, eq - key))
			continue;
		ret = cmdline_append(map, eq + 1, p - eq - 1);
		if (ret)
			return ret;
	}
	return 0;
}

static int read_cmdline(struct check_wants *ws, const char *proc)
{
	char path[PATH_MAX], *cmdline, *map = NULL;
	int ret;

	snprintf(path, sizeof(path), "%s/cmdline", proc);
	cmdline = slurp(path, NULL);
	if (!cmdline)
		return check_error("%s: %s", path, strerror(errno));
	ret = cmdline_map(cmdline, &map);
	free(cmdline);
	if (ret == -ENOMEM)
		return check_error("out of memory");
	if (ret) {
		ret = check_note(ws, true,
				 "cmdline: pci_fixedbar.map=%s ends with a separator: whitespace split the value, the module refuses it; write the entries without blanks, or quote the whole value",
				 map);
		free(map);
		return ret;
	}
	if (!map)
		return check_note(ws, false, "cmdline: no pci_fixedbar.map=");
	ret = check_add_string(ws, map, NULL, "cmdline");
	free(map);
	return ret;
}

static int read_module(struct check_wants *ws, const char *sysfs)
{
	char path[PATH_MAX], *map;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/module/pci_fixedbar/parameters/map",
		 sysfs);
	map = slurp(path, NULL);
	if (!map)
		return check_note(ws, false, "module: pci_fixedbar not loaded");
	map[strcspn(map, "\n")] = '\0';
	if (map[0] == '(')
		ret = check_note(ws, false, "module map: %s", map);
	else
		ret = check_add_string(ws, map, NULL, "module map");
	free(map);
	return ret;
}

int check_read_firmware(struct check_wants *ws, unsigned int mask,
			const char *sysfs, const char *proc)
{
	int ret = 0;

	if (mask & CHECK_SRC_DT)
		ret = read_dt(ws, sysfs);
	if (!ret && (mask & CHECK_SRC_ACPI))
		ret = read_acpi(ws, sysfs);
	if (!ret && (mask & CHECK_SRC_CMDLINE))
		ret = read_cmdline(ws, proc);
	if (!ret && (mask & CHECK_SRC_MODULE))
		ret = read_module(ws, sysfs);
	return ret;
}

static int read_json(struct check_wants *ws, const char *file, const char *text)
{
	char from[PATH_MAX + 32];
	json_error_t jerr;
	json_t *root, *fixed, *v;
	size_t i;
	int ret = 0;

	root = json_loads(text, 0, &jerr);
	if (!root)
		return check_error("%s:%d: %s", file, jerr.line, jerr.text);
	fixed = json_object_get(root, "fixed");
	if (!json_is_array(fixed))
		ret = check_error("%s: no \"fixed\" array of descriptor entries",
				  file);
	json_array_foreach(fixed, i, v) {
		snprintf(from, sizeof(from), "%s fixed[%zu]", file, i);
		if (!json_is_string(v))
			ret = check_error("%s: not a string", from);
		else
			ret = check_add_string(ws, json_string_value(v), NULL,
					       from);
		if (ret)
			break;
	}
	json_decref(root);
	return ret;
}

int check_read_file(struct check_wants *ws, const char *file)
{
	char from[PATH_MAX + 32], *text, *line, *next, *hash;
	int ret = 0, n = 0;

	text = strcmp(file, "-") ? slurp(file, NULL) :
				   slurp("/dev/stdin", NULL);
	if (!text)
		return check_error("%s: %s", file, strerror(errno));
	if (text[strspn(text, " \t\r\n")] == '{') {
		ret = read_json(ws, file, text);
		free(text);
		return ret;
	}
	for (line = text; !ret && line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (!line[strspn(line, " \t\r")])
			continue;
		snprintf(from, sizeof(from), "%s:%d", file, n);
		ret = check_add_string(ws, line, NULL, from);
	}
	free(text);
	return ret;
}

static int cmp_want(const void *a, const void *b)
{
	const struct check_want *x = a, *y = b;
	int c = x->dev.domain - y->dev.domain;

	if (!c)
		c = x->dev.bus - y->dev.bus;
	if (!c)
		c = memcmp(x->dev.devfn, y->dev.devfn,
			   x->dev.nr_hops < y->dev.nr_hops ? x->dev.nr_hops :
							     y->dev.nr_hops);
	if (!c)
		c = x->dev.nr_hops - y->dev.nr_hops;
	if (!c)
		c = x->bar - y->bar;
	return c;
}

void check_wants_sort(struct check_wants *ws)
{
	if (ws->nr)
		qsort(ws->w, ws->nr, sizeof(*ws->w), cmp_want);
}
