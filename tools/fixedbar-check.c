// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-check: in a guest, compares the live PCI layout (libpci, the
 * kernel's view through sysfs) with the fixed-BAR descriptors, and prints
 * one row per fixed BAR: the device, the BAR, the address wanted, where it
 * is, and the bridge windows above it up to the root bus.
 *
 * Exit 0: every fixed BAR is exactly at its address and inside every
 * window up the chain; 1: one is not; 2: usage or input error; 3: nothing
 * described.
 */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <jansson.h>
#include <pci/pci.h>

#include "check.h"
#include "kres.h"

#ifndef FIXEDBAR_VERSION
#error "FIXEDBAR_VERSION comes from the top-level VERSION file (Makefile)"
#endif

enum {
	EXIT_OK = 0,
	EXIT_MISMATCH = 1, /* a BAR is not where it should be */
	EXIT_USAGE = 2, /* usage or input error */
	EXIT_NONE = 3, /* no descriptor entries found */
};

enum status {
	ST_OK,
	ST_OUTSIDE,
	ST_MOVED,
	ST_UNASSIGNED,
	ST_NOT_IMPLEMENTED,
	ST_MISSING,
	ST_COUNT,
};

static const char *const status_names[ST_COUNT] = {
	[ST_OK] = "ok",
	[ST_OUTSIDE] = "OUTSIDE-WINDOW",
	[ST_MOVED] = "MOVED",
	[ST_UNASSIGNED] = "UNASSIGNED",
	[ST_NOT_IMPLEMENTED] = "NOT-IMPLEMENTED",
	[ST_MISSING] = "MISSING",
};

struct live_res {
	bool valid;
	enum fixedbar_res_type type;
	bool mem64;
	bool pref;
	u64 start;
	u64 end;
};

/* one window of the chain above a BAR */
struct link {
	char device[16]; /* "0000:00:10.0", or "pci0000:00" for the root */
	const char *kind; /* "root", "window.io", "window.mem", ... */
	struct live_res win; /* !valid: no such window */
	bool contains;
};

struct row {
	const struct check_want *w;
	struct pci_dev *dev;
	char bdf[16];
	char reason[160];
	struct live_res bar;
	char claimed[FIXEDBAR_RES_LEN + 64]; /* what the wanted range hits */
	enum status status;
	u32 nr_links;
	struct link links[FIXEDBAR_MAX_DEPTH + 2];
};

struct opts {
	const char *sysfs;
	const char *proc;
	unsigned int sources;
	bool sources_set;
	bool json;
	bool quiet;
	bool verbose;
	int nr_files;
	char **files;
	int nr_maps;
	char **maps;
	bool only_wrong;
	const char *svg;
	bool filtered; /* -s or -d */
	struct pci_filter filter;
};

enum { OPT_SOURCE = 0x100, OPT_SYSFS, OPT_PROC, OPT_ONLY_WRONG, OPT_SVG };

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "only-wrong", no_argument, NULL, OPT_ONLY_WRONG },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "file", required_argument, NULL, 'f' },
	{ "map", required_argument, NULL, 'm' },
	{ "slot", required_argument, NULL, 's' },
	{ "device", required_argument, NULL, 'd' },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "sysfs", required_argument, NULL, OPT_SYSFS },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: " CHECK_PROG " [options]\n"
	"Compares the live PCI layout with the fixed-BAR descriptors.\n"
	"\n"
	"  -s [[[[<domain>]:]<bus>]:][<slot>][.[<func>]]\n"
	"                      only the fixed BARs of these devices (as lspci)\n"
	"  -d [<vendor>]:[<device>][:<class>]\n"
	"                      only the fixed BARs of these devices (as lspci)\n"
	"      --source LIST   read these: dt,acpi,cmdline,module, all or none\n"
	"                      (default: all, none when -f or -m is given)\n"
	"  -f, --file FILE     entries from FILE: one per line, or a topology\n"
	"                      JSON's \"fixed\" array (\"-\": standard input)\n"
	"  -m, --map MAP       entries from the command line (';' between)\n"
	"  -j, --json          JSON instead of the table\n"
	"      --svg FILE      also draw every root bus as an SVG picture\n"
	"                      (as fixedbar-plan --svg)\n"
	"  -q, --quiet         print nothing, only set the exit status\n"
	"      --only-wrong    print only when a fixed BAR is wrong or a\n"
	"                      descriptor is refused (fixedbar-check.service)\n"
	"  -v, --verbose       the path, full resources, the window chain and\n"
	"                      where each entry came from, what was read\n"
	"      --sysfs DIR     the sysfs tree (default /sys)\n"
	"      --proc DIR      the procfs tree (default /proc)\n"
	"  -V, --version       print the version\n"
	"  -h, --help          print this help\n"
	"\n"
	"Exit status: 0 every fixed BAR at its address and inside every window\n"
	"above it, 1 a BAR is not, 2 usage or input error, 3 no descriptor\n"
	"entries found.\n";

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(CHECK_PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see " CHECK_PROG " --help\n", stderr);
	return EXIT_USAGE;
}

static int parse_sources(const char *s, unsigned int *mask)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "dt", CHECK_SRC_DT },
		{ "acpi", CHECK_SRC_ACPI },
		{ "cmdline", CHECK_SRC_CMDLINE },
		{ "module", CHECK_SRC_MODULE },
		{ "all", CHECK_SRC_ALL },
		{ "none", 0 },
	};
	size_t len, i;

	*mask = 0;
	while (*s) {
		len = strcspn(s, ",");
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len &&
			    !strncmp(s, names[i].name, len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return usage_error("--source: unknown source '%.*s' (dt, acpi, cmdline, module, all, none)",
					   (int)len, s);
		*mask |= names[i].bit;
		s += len + (s[len] == ',');
	}
	return 0;
}

/* -s and -d, lspci's selectors, through libpci's own parsers */
static int parse_filter(struct pci_filter *f, int c, char *arg)
{
	char *err;

	err = c == 's' ? pci_filter_parse_slot(f, arg) :
			 pci_filter_parse_id(f, arg);
	if (err)
		return usage_error("-%c %s: %s", c, arg, err);
	return 0;
}

/* One option of getopt_long(); 0, or the exit status. */
static int parse_option(int c, char *arg, struct opts *o)
{
	switch (c) {
	case 'h':
		fputs(usage_text, stdout);
		exit(EXIT_OK);
	case 'V':
		printf("%s (pci_fixedbar) %s\n", CHECK_PROG, FIXEDBAR_VERSION);
		exit(EXIT_OK);
	case 'j':
		o->json = true;
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	case 'f':
		o->files[o->nr_files++] = arg;
		return 0;
	case 'm':
		o->maps[o->nr_maps++] = arg;
		return 0;
	case 's':
	case 'd':
		o->filtered = true;
		return parse_filter(&o->filter, c, arg) ? EXIT_USAGE : 0;
	case OPT_ONLY_WRONG:
		o->only_wrong = true;
		return 0;
	case OPT_SVG:
		o->svg = arg;
		return 0;
	case OPT_SOURCE:
		o->sources_set = true;
		return parse_sources(arg, &o->sources) ? EXIT_USAGE : 0;
	case OPT_SYSFS:
		o->sysfs = arg;
		return 0;
	case OPT_PROC:
		o->proc = arg;
		return 0;
	}
	fputs(CHECK_PROG ": see " CHECK_PROG " --help\n", stderr);
	return EXIT_USAGE;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c, ret;

	o->sysfs = "/sys";
	o->proc = "/proc";
	o->files = calloc(argc, sizeof(*o->files));
	o->maps = calloc(argc, sizeof(*o->maps));
	if (!o->files || !o->maps)
		return usage_error("out of memory");
	pci_filter_init(NULL, &o->filter);
	argv[0] = (char *)CHECK_PROG; /* getopt's messages name the program */
	while ((c = getopt_long(argc, argv, "hVjqvf:m:s:d:", long_opts,
				NULL)) != -1) {
		ret = parse_option(c, optarg, o);
		if (ret)
			return ret;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	for (c = 0; c < o->nr_files; c++)
		if (!strcmp(o->files[c], "-") && isatty(STDIN_FILENO))
			return usage_error(
				"-f -: standard input is a terminal; pipe the entries in or name a file");
	if (!o->sources_set)
		o->sources = o->nr_files || o->nr_maps ? 0 : CHECK_SRC_ALL;
	return 0;
}

/* libpci reports fatal errors through this; it must not return */
static void __attribute__((noreturn)) pci_fatal(char *msg, ...)
{
	va_list ap;

	fputs(CHECK_PROG ": libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputs("; is sysfs mounted (--sysfs)?\n", stderr);
	exit(EXIT_USAGE);
}

static bool pci_verbose;

static void pci_warn(char *msg, ...)
{
	va_list ap;

	if (!pci_verbose)
		return;
	fputs(CHECK_PROG ": libpci: ", stderr);
	va_start(ap, msg);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void pci_debug(char *msg, ...)
{
}

static struct pci_access *live_open(const char *sysfs)
{
	struct pci_access *pacc = pci_alloc();
	char path[PATH_MAX];
	struct pci_dev *d;

	pacc->error = pci_fatal;
	pacc->warning = pci_warn;
	pacc->debug = pci_debug;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	snprintf(path, sizeof(path), "%s/bus/pci", sysfs);
	pci_set_param(pacc, "sysfs.path", path);
	pci_init(pacc);
	pci_scan_bus(pacc);
	for (d = pacc->devices; d; d = d->next)
		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS |
					 PCI_FILL_BASES | PCI_FILL_SIZES |
					 PCI_FILL_IO_FLAGS |
					 PCI_FILL_BRIDGE_BASES);
	return pacc;
}

static void dev_name(const struct pci_dev *d, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", d->domain, d->bus, d->dev,
		 d->func);
}

static bool is_bridge(struct pci_dev *d)
{
	if (d->known_fields & PCI_FILL_CLASS)
		return d->device_class == PCI_CLASS_BRIDGE_PCI;
	return (pci_read_byte(d, PCI_HEADER_TYPE) & 0x7f) ==
	       PCI_HEADER_TYPE_BRIDGE;
}

/*
 * The device below bridge @up (NULL: on root bus @bus) at @devfn: on the
 * bridge's secondary bus, as its config space says.
 */
static struct pci_dev *find_dev(struct pci_access *pacc, int domain,
				struct pci_dev *up, int bus, u8 devfn)
{
	struct pci_dev *d;

	if (up)
		bus = pci_read_byte(up, PCI_SECONDARY_BUS);
	for (d = pacc->devices; d; d = d->next)
		if (d->domain == domain && d->bus == bus &&
		    d->dev == devfn >> 3 && d->func == (devfn & 7))
			return d;
	return NULL;
}

/* Follows a descriptor path; @chain gets the device of each hop. */
static struct pci_dev *resolve(struct pci_access *pacc,
			       const struct fixedbar_entry *e,
			       struct pci_dev **chain, char *why, size_t len)
{
	struct pci_dev *d = NULL;
	char name[16];
	int i;

	for (i = 0; i < e->nr_hops; i++) {
		if (i && !is_bridge(d)) {
			dev_name(d, name, sizeof(name));
			snprintf(why, len,
				 "%s is not a bridge, the path goes on below it",
				 name);
			return NULL;
		}
		chain[i] = find_dev(pacc, e->domain, d, e->bus, e->devfn[i]);
		if (!chain[i]) {
			if (i)
				snprintf(why, len, "no device %02x.%x below %s",
					 e->devfn[i] >> 3, e->devfn[i] & 7,
					 name);
			else
				snprintf(why, len,
					 "no device %04x:%02x:%02x.%x on a root bus",
					 e->domain, e->bus, e->devfn[0] >> 3,
					 e->devfn[0] & 7);
			return NULL;
		}
		d = chain[i];
		dev_name(d, name, sizeof(name));
	}
	return d;
}

static void kernel_res(struct live_res *r, u64 start, u64 size, u64 flags)
{
	memset(r, 0, sizeof(*r));
	if (!size || !(flags & (IORESOURCE_IO | IORESOURCE_MEM)))
		return;
	r->type = flags & IORESOURCE_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM;
	r->mem64 = flags & IORESOURCE_MEM_64;
	r->pref = flags & IORESOURCE_PREFETCH;
	r->start = start;
	r->end = start + size - 1;
	r->valid = !(flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED)) && start;
}

/* A BAR: sets the status from the resource alone */
static void read_bar(struct row *r)
{
	struct pci_dev *d = r->dev;
	int i = r->w->bar;
	u64 fl = d->flags[i], start;

	start = d->base_addr[i] &
		(fl & IORESOURCE_IO ? PCI_ADDR_IO_MASK : PCI_ADDR_MEM_MASK);
	kernel_res(&r->bar, start, d->size[i], fl);
	if (!d->size[i] || !(fl & (IORESOURCE_IO | IORESOURCE_MEM)))
		r->status = ST_NOT_IMPLEMENTED;
	else if (!r->bar.valid)
		r->status = ST_UNASSIGNED;
	else if (r->bar.start != r->w->addr)
		r->status = ST_MOVED;
	else
		r->status = ST_OK;
}

static bool contains(const struct live_res *win, const struct live_res *r)
{
	return win->valid && win->type == r->type && win->start <= r->start &&
	       r->end <= win->end;
}

/* The window of bridge @d that holds (or should hold) the BAR */
static void bridge_link(struct pci_dev *d, const struct live_res *bar,
			struct link *l)
{
	static const char *const kinds[] = { "window.io", "window.mem",
					     "window.prefetchable" };
	struct live_res win[3];
	int w;

	dev_name(d, l->device, sizeof(l->device));
	memset(win, 0, sizeof(win));
	for (w = 0; w < 3 && (d->known_fields & PCI_FILL_BRIDGE_BASES); w++)
		kernel_res(&win[w], d->bridge_base_addr[w], d->bridge_size[w],
			   d->bridge_flags[w]);
	if (bar->type == FIXEDBAR_RES_IO)
		w = 0;
	else if (!bar->pref)
		w = 1;
	else if (contains(&win[2], bar) ||
		 (win[2].valid && !contains(&win[1], bar)))
		w = 2;
	else
		w = 1;
	l->kind = kinds[w];
	l->win = win[w];
	l->contains = contains(&win[w], bar);
}

/* The root bus window that holds the BAR, from /proc/iomem or ioports. */
static void root_link(const char *proc, int domain, int bus,
		      const struct live_res *bar, struct link *l);

/* A claimed range in the root bus windows that the wanted range overlaps. */
static void claimed_link(const char *proc, struct row *r);

static void check_row(struct pci_access *pacc, const char *proc, struct row *r)
{
	struct pci_dev *chain[FIXEDBAR_MAX_DEPTH + 1];
	const struct fixedbar_entry *e = &r->w->dev;
	int i;

	r->dev = resolve(pacc, e, chain, r->reason, sizeof(r->reason));
	if (!r->dev) {
		r->status = ST_MISSING;
		return;
	}
	dev_name(r->dev, r->bdf, sizeof(r->bdf));
	read_bar(r);
	if (r->status > ST_MOVED)
		return;
	claimed_link(proc, r);
	root_link(proc, e->domain, e->bus, &r->bar, &r->links[r->nr_links++]);
	for (i = 0; i + 1 < e->nr_hops; i++)
		bridge_link(chain[i], &r->bar, &r->links[r->nr_links++]);
	for (i = 0; i < (int)r->nr_links; i++)
		if (!r->links[i].contains && r->status == ST_OK)
			r->status = ST_OUTSIDE;
}

/*
 * ACPI host bridges name their windows "PCI Bus DDDD:BB"; device-tree ones
 * after their node ("pcie@10000000"): then the top-level entry holding the
 * root bus's devices names them (as tools/sysfs_topo.c does).
 */
static void root_link(const char *proc, int domain, int bus,
		      const struct live_res *bar, struct link *l)
{
	char path[PATH_MAX], want[32], host[128] = "", top[128] = "";
	char dev[16], pbus[24], line[256];
	unsigned long long start, end;
	const char *name;
	int depth, pass;
	FILE *f;

	snprintf(l->device, sizeof(l->device), "pci%04x:%02x", domain, bus);
	l->kind = "root";
	snprintf(path, sizeof(path), "%s/%s", proc,
		 bar->type == FIXEDBAR_RES_IO ? "ioports" : "iomem");
	snprintf(want, sizeof(want), "PCI Bus %04x:%02x", domain, bus);
	snprintf(dev, sizeof(dev), "%04x:%02x:", domain, bus);
	snprintf(pbus, sizeof(pbus), "PCI Bus %04x:", domain);
	for (pass = 0; pass < 3 && !l->contains; pass++) {
		f = fopen(path, "r");
		if (!f)
			return;
		while (fgets(line, sizeof(line), f) && !l->contains) {
			if (!fixedbar_parse_res_line(line, &depth, &start, &end,
						     &name))
				continue;
			if (!depth)
				snprintf(top, sizeof(top), "%s", name);
			if (pass == 1 && depth == 1 && !host[0] &&
			    (!strncmp(name, dev, strlen(dev)) ||
			     !strncmp(name, pbus, strlen(pbus))))
				snprintf(host, sizeof(host), "%s", top);
			if (depth || pass == 1 || (!start && !end) ||
			    strcmp(name, pass ? host : want))
				continue;
			/* the best match: the window that holds the BAR */
			if (!l->win.valid ||
			    (start <= bar->start && bar->end <= end)) {
				l->win.valid = true;
				l->win.type = bar->type;
				l->win.start = start;
				l->win.end = end;
				l->contains = contains(&l->win, bar);
			}
		}
		fclose(f);
		if (pass == 0 && l->win.valid)
			break;
	}
}

/*
 * Claimed ranges are the lines directly below a "PCI Bus DDDD:BB" root
 * window that name no device ("DDDD:BB:") and no bridge window ("PCI Bus").
 */
static void claimed_link(const char *proc, struct row *r)
{
	const struct fixedbar_entry *e = &r->w->dev;
	char path[PATH_MAX], want[32], dev[16], line[256];
	u64 start = r->w->addr, end = start + (r->bar.end - r->bar.start);
	unsigned long long s, t;
	const char *name;
	bool in = false;
	int depth;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", proc,
		 r->bar.type == FIXEDBAR_RES_IO ? "ioports" : "iomem");
	snprintf(want, sizeof(want), "PCI Bus %04x:%02x", e->domain, e->bus);
	snprintf(dev, sizeof(dev), "%04x:%02x:", e->domain, e->bus);
	f = fopen(path, "r");
	while (f && !r->claimed[0] && fgets(line, sizeof(line), f)) {
		if (!fixedbar_parse_res_line(line, &depth, &s, &t, &name))
			continue;
		if (!depth)
			in = !strcmp(name, want);
		if (depth != 1 || !in || s > end || start > t ||
		    !strncmp(name, dev, strlen(dev)) ||
		    !strncmp(name, "PCI Bus ", 8))
			continue;
		snprintf(r->claimed, sizeof(r->claimed), "%s ", name);
		fixedbar_format_res(r->claimed + strlen(r->claimed),
				    sizeof(r->claimed) - strlen(r->claimed),
				    r->bar.type, s, t, false, false);
	}
	if (f)
		fclose(f);
}

static void format_res(char *buf, size_t len, const struct live_res *r)
{
	fixedbar_format_res(buf, len, r->type, r->start, r->end, r->mem64,
			    r->pref);
}

static void format_link(char *buf, size_t len, const struct link *l)
{
	char res[FIXEDBAR_RES_LEN];

	if (l->win.valid)
		format_res(res, sizeof(res), &l->win);
	else
		snprintf(res, sizeof(res), "[no %s]", l->kind);
	snprintf(buf, len, "%s %s%s", l->device, res, l->contains ? "" : "!");
}

/* A size as lspci prints it: "[size=64M]" (exact in K, M, G or T) */
static void format_size(char *buf, size_t len, u64 size)
{
	static const char *const units[] = { "", "K", "M", "G", "T" };
	unsigned int i;

	for (i = 0; i + 1 < sizeof(units) / sizeof(units[0]); i++) {
		if (size % 1024)
			break;
		size /= 1024;
	}
	snprintf(buf, len, "[size=%llu%s]", (unsigned long long)size, units[i]);
}

static bool row_has_bar(const struct row *r)
{
	return r->status <= ST_MOVED;
}

static json_t *json_hex(u64 v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_string(s);
}

static json_t *json_str_or_null(const char *s)
{
	return s && s[0] ? json_string(s) : json_null();
}

static json_t *json_list(char **l, u32 n)
{
	json_t *a = json_array();
	u32 i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(l[i]));
	return a;
}

/* "resource", "start", "end", "size" of @r, null when !@valid */
static void json_res(json_t *o, const struct live_res *r, bool valid)
{
	char res[FIXEDBAR_RES_LEN];

	if (valid)
		format_res(res, sizeof(res), r);
	json_object_set_new(o, "resource",
			    valid ? json_string(res) : json_null());
	json_object_set_new(o, "start",
			    valid ? json_hex(r->start) : json_null());
	json_object_set_new(o, "end", valid ? json_hex(r->end) : json_null());
	json_object_set_new(o, "size",
			    valid ? json_hex(r->end - r->start + 1) :
				    json_null());
}

static json_t *json_row(const struct row *r)
{
	json_t *o = json_object(), *wins = json_array(), *w;
	char name[8];
	u32 i;

	snprintf(name, sizeof(name), "bar%u", r->w->bar);
	json_object_set_new(o, "device", json_string(r->w->path));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "bdf", json_str_or_null(r->dev ? r->bdf : NULL));
	json_object_set_new(o, "wanted", json_hex(r->w->addr));
	json_object_set_new(o, "status", json_string(status_names[r->status]));
	json_res(o, &r->bar, row_has_bar(r));
	json_object_set_new(o, "reason", json_str_or_null(r->reason));
	json_object_set_new(o, "claimed", json_str_or_null(r->claimed));
	json_object_set_new(o, "from", json_list(r->w->from, r->w->nr_from));
	for (i = 0; i < r->nr_links; i++) {
		w = json_object();
		json_object_set_new(w, "bdf", json_string(r->links[i].device));
		json_object_set_new(w, "name", json_string(r->links[i].kind));
		json_res(w, &r->links[i].win, r->links[i].win.valid);
		json_object_set_new(w, "contains",
				    json_boolean(r->links[i].contains));
		json_array_append_new(wins, w);
	}
	json_object_set_new(o, "windows", wins);
	return o;
}

static int print_json(const struct check_wants *ws, const struct row *rows,
		      u32 nr, const u32 *count, bool ok)
{
	json_t *o = json_object(), *bars = json_array(), *sum = json_object();
	int ret;
	u32 i;

	json_object_set_new(o, "version",
			    json_integer(FIXEDBAR_FORMAT_VERSION));
	json_object_set_new(o, "result", json_string(ok ? "ok" : "mismatch"));
	for (i = 0; i < nr; i++)
		json_array_append_new(bars, json_row(&rows[i]));
	json_object_set_new(o, "bars", bars);
	json_object_set_new(sum, "total", json_integer(nr));
	for (i = 0; i < ST_COUNT; i++)
		json_object_set_new(sum, status_names[i],
				    json_integer(count[i]));
	json_object_set_new(o, "summary", sum);
	json_object_set_new(o, "problems",
			    json_list(ws->problems, ws->nr_problems));
	json_object_set_new(o, "notes", json_list(ws->notes, ws->nr_notes));
	ret = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(o);
	return ret;
}

/*
 * The lines under a row that say what is wrong (and with -v, everything
 * else): the first window up the chain that does not hold the BAR, the
 * claimed range the wanted one hits, why the device is missing.
 */
static void print_details(const struct row *r, bool verbose)
{
	char res[FIXEDBAR_RES_LEN], link[FIXEDBAR_RES_LEN + 24];
	u32 j;

	if (verbose || r->status == ST_MISSING)
		printf("  path %s%s%s\n", r->w->path, r->reason[0] ? ": " : "",
		       r->reason);
	if (verbose && row_has_bar(r)) {
		format_res(res, sizeof(res), &r->bar);
		printf("  resource %s\n", res);
	}
	for (j = 0; j < r->nr_links; j++) {
		format_link(link, sizeof(link), &r->links[j]);
		if (verbose)
			printf("  %s %s\n", j ? "   in" : "window", link);
		else if (!r->links[j].contains && r->status == ST_OUTSIDE)
			printf("  outside %s of %s\n", r->links[j].kind, link);
	}
	if (r->claimed[0])
		printf("  wanted range on claimed %s\n", r->claimed);
	for (j = 0; verbose && j < r->w->nr_from; j++)
		printf("  from %s\n", r->w->from[j]);
}

static void print_summary(u32 nr, const u32 *count)
{
	bool first = true;
	u32 i;

	printf("%u fixed BAR%s:", nr, nr == 1 ? "" : "s");
	for (i = 0; i < ST_COUNT; i++) {
		if (!count[i])
			continue;
		printf("%s %u %s", first ? "" : ",", count[i], status_names[i]);
		first = false;
	}
	if (first)
		fputs(" none described", stdout);
	putchar('\n');
}

/*
 * The table, one row per fixed BAR, as narrow as lspci's Region lines
 * (120 columns hold any row); what is wrong on the lines under it.
 */
static void print_table(const struct row *rows, u32 nr, const u32 *count,
			bool verbose)
{
	char wanted[24], at[24], size[24];
	const struct row *r;
	u32 i;

	if (nr)
		printf("%-12s  %-4s  %-18s  %-18s  %-12s  %s\n", "DEVICE",
		       "BAR", "WANTED", "ACTUAL", "SIZE", "STATUS");
	for (i = 0; i < nr; i++) {
		r = &rows[i];
		snprintf(wanted, sizeof(wanted), "0x%llx",
			 (unsigned long long)r->w->addr);
		snprintf(at, sizeof(at), "-");
		snprintf(size, sizeof(size), "-");
		if (row_has_bar(r)) {
			snprintf(at, sizeof(at), "0x%llx",
				 (unsigned long long)r->bar.start);
			format_size(size, sizeof(size),
				    r->bar.end - r->bar.start + 1);
		} else if (r->status == ST_UNASSIGNED) {
			format_size(size, sizeof(size),
				    r->bar.end - r->bar.start + 1);
		}
		printf("%-12s  bar%u  %-18s  %-18s  %-12s  %s\n",
		       r->dev ? r->bdf : "-", r->w->bar, wanted, at, size,
		       status_names[r->status]);
		print_details(r, verbose);
	}
	print_summary(nr, count);
}

static int collect(struct check_wants *ws, const struct opts *o)
{
	char from[32];
	int i, ret;

	ret = check_read_firmware(ws, o->sources, o->sysfs, o->proc);
	for (i = 0; !ret && i < o->nr_files; i++)
		ret = check_read_file(ws, o->files[i]);
	for (i = 0; !ret && i < o->nr_maps; i++) {
		snprintf(from, sizeof(from), "-m #%d", i + 1);
		ret = check_add_string(ws, o->maps[i], NULL, from);
	}
	if (!ret)
		check_wants_sort(ws);
	return ret;
}

/*
 * /proc/iomem shows every range as 0-0 to readers without CAP_SYS_ADMIN;
 * the windows would all look empty.
 */
static bool iomem_hidden(const char *proc)
{
	unsigned long long start, end;
	char path[PATH_MAX], line[256];
	const char *name;
	bool seen = false, zero = true;
	int depth;
	FILE *f;

	snprintf(path, sizeof(path), "%s/iomem", proc);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (zero && fgets(line, sizeof(line), f)) {
		if (!fixedbar_parse_res_line(line, &depth, &start, &end, &name))
			continue;
		seen = true;
		zero = !start && !end;
	}
	fclose(f);
	return seen && zero;
}

/* Keeps the rows of the devices -s and -d select; returns how many. */
static u32 select_rows(struct opts *o, struct row *rows, u32 nr)
{
	u32 i, n = 0;

	for (i = 0; i < nr; i++)
		if (!o->filtered ||
		    (rows[i].dev && pci_filter_match(&o->filter, rows[i].dev)))
			rows[n++] = rows[i];
	return n;
}

static void print_result(const struct opts *o, struct check_wants *ws,
			 const struct row *rows, u32 nr, const u32 *count,
			 int ret)
{
	u32 i;

	if (o->quiet || (o->only_wrong && (ret == EXIT_OK || ret == EXIT_NONE)))
		return;
	if (o->json) {
		print_json(ws, rows, nr, count, ret == EXIT_OK);
		return;
	}
	for (i = 0; o->verbose && i < ws->nr_notes; i++)
		fprintf(stderr, CHECK_PROG ": %s\n", ws->notes[i]);
	for (i = 0; i < ws->nr_problems; i++)
		fprintf(stderr, CHECK_PROG ": %s\n", ws->problems[i]);
	print_table(rows, nr, count, o->verbose);
}

static int run(struct opts *o)
{
	u32 count[ST_COUNT] = { 0 }, i, nr;
	struct pci_access *pacc;
	struct check_wants ws;
	struct row *rows;
	int ret;

	check_wants_init(&ws);
	rows = collect(&ws, o) ? NULL : calloc(ws.nr + 1, sizeof(*rows));
	if (rows && ws.nr && iomem_hidden(o->proc)) {
		fprintf(stderr,
			CHECK_PROG
			": %s/iomem reads as zeros: the windows are only visible to root; try again as root\n",
			o->proc);
		free(rows);
		rows = NULL;
	}
	if (!rows) {
		check_wants_free(&ws);
		return EXIT_USAGE;
	}
	pacc = live_open(o->sysfs);
	for (i = 0; i < ws.nr; i++) {
		rows[i].w = &ws.w[i];
		check_row(pacc, o->proc, &rows[i]);
	}
	nr = select_rows(o, rows, ws.nr);
	for (i = 0; i < nr; i++)
		count[rows[i].status]++;
	ret = nr && count[ST_OK] == nr && !ws.nr_problems ? EXIT_OK :
	      nr || ws.nr_problems			  ? EXIT_MISMATCH :
							    EXIT_NONE;
	if (!ws.nr)
		check_note(&ws, true,
			   "no descriptor entries found; see --source, -f and -m");
	else if (!nr)
		check_note(&ws, false,
			   "no fixed BAR on the devices -s and -d select");
	print_result(o, &ws, rows, nr, count, ret);
	if (o->svg && check_write_svg(&ws, o->sysfs, o->proc, o->svg))
		ret = EXIT_USAGE;
	free(rows);
	pci_cleanup(pacc);
	check_wants_free(&ws);
	return ret;
}

int main(int argc, char **argv)
{
	struct opts o;
	int ret;

	memset(&o, 0, sizeof(o));
	ret = parse_opts(argc, argv, &o);
	if (!ret)
		ret = run(&o);
	free(o.files);
	free(o.maps);
	return ret;
}
