// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-plan: the planner offline.  Reads a topology (a JSON file, or the
 * running system through sysfs), plans it and prints the plan as JSON or as
 * an lspci-like table.  Exit 0: plan ok; 1: the plan failed (the error
 * document is still printed); 2: usage error or invalid input.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixedbar.h"
#include "emit.h"
#include "json_topo.h"
#include "svg.h"
#include "sysfs_topo.h"

#ifndef FIXEDBAR_VERSION
#error "FIXEDBAR_VERSION comes from the top-level VERSION file (Makefile)"
#endif

#define PROG "fixedbar-plan"

enum {
	EXIT_PLAN_OK = 0,
	EXIT_PLAN_ERROR = 1, /* no valid plan */
	EXIT_INPUT = 2, /* usage or input error */
	EXIT_NONE = 3, /* no fixed BAR described; the plan is printed */
};

enum {
	OPT_FROM_SYSFS = 0x100,
	OPT_ROOT,
	OPT_MAP,
	OPT_DUMP,
	OPT_SVG,
};

struct opts {
	bool table;
	bool dump;
	bool from_sysfs;
	const char *sysfs_root;
	int domain; /* --root, -1: first root bus */
	int bus;
	const char *output;
	const char *svg;
	const char *input;
	int nr_maps;
	char **maps;
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "table", no_argument, NULL, 't' },
	{ "output", required_argument, NULL, 'o' },
	{ "from-sysfs", optional_argument, NULL, OPT_FROM_SYSFS },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "map", required_argument, NULL, OPT_MAP },
	{ "dump-topology", no_argument, NULL, OPT_DUMP },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: " PROG " [options] [topology.json]\n"
	"Plans a PCI resource layout with fixed BARs; reads the topology\n"
	"from the file, or from standard input when none or \"-\".\n"
	"\n"
	"  -t, --table              a table instead of JSON\n"
	"  -o, --output FILE        write the result to FILE\n"
	"      --from-sysfs[=ROOT]  capture the running system (or the\n"
	"                           sysfs and procfs tree under ROOT)\n"
	"      --root DDDD:BB       root bus to capture (default: first)\n"
	"      --map MAP            add descriptor entries (';' between)\n"
	"      --dump-topology      print the topology, do not plan\n"
	"      --svg FILE           also draw the address map before and\n"
	"                           after as SVG into FILE (--from-sysfs:\n"
	"                           every root bus)\n"
	"  -V, --version            print the version\n"
	"  -h, --help               print this help\n"
	"\n"
	"Exit status: 0 plan ok, 1 no valid plan, 2 usage or input error,\n"
	"3 no fixed BAR described (the plan is still printed).\n";

static int input_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_INPUT;
}

static int parse_root(const char *s, struct opts *o)
{
	unsigned int domain = 0, bus;
	char end;

	if (sscanf(s, "%4x:%2x%c", &domain, &bus, &end) != 2 &&
	    sscanf(s, "%2x%c", &bus, &end) != 1)
		return -EINVAL;
	o->domain = (int)domain;
	o->bus = (int)bus;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	o->domain = -1;
	o->maps = calloc(argc, sizeof(*o->maps));
	if (!o->maps)
		return input_error("out of memory");
	argv[0] = (char *)PROG; /* getopt's messages name the program */
	while ((c = getopt_long(argc, argv, "hVto:", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_PLAN_OK);
		case 'V':
			printf("%s (pci_fixedbar) %s, format version %d\n",
			       PROG, FIXEDBAR_VERSION, FIXEDBAR_FORMAT_VERSION);
			exit(EXIT_PLAN_OK);
		case 't':
			o->table = true;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_FROM_SYSFS:
			o->from_sysfs = true;
			o->sysfs_root = optarg ? optarg : "/";
			break;
		case OPT_ROOT:
			if (parse_root(optarg, o))
				return input_error("--root: not DDDD:BB: '%s'",
						   optarg);
			break;
		case OPT_MAP:
			o->maps[o->nr_maps++] = optarg;
			break;
		case OPT_DUMP:
			o->dump = true;
			break;
		case OPT_SVG:
			o->svg = optarg;
			break;
		default:
			fputs(PROG ": see " PROG " --help\n", stderr);
			return EXIT_INPUT;
		}
	}
	if (optind < argc)
		o->input = argv[optind++];
	if (optind < argc)
		return input_error("more than one topology given");
	if (o->from_sysfs && o->input)
		return input_error("--from-sysfs takes no topology file");
	if (o->domain >= 0 && !o->from_sysfs)
		return input_error("--root needs --from-sysfs");
	/* a topology typed at a terminal is not what anyone meant */
	if (!o->from_sysfs && (!o->input || !strcmp(o->input, "-")) &&
	    isatty(STDIN_FILENO))
		return input_error(
			"no topology: standard input is a terminal; give a file, --from-sysfs or pipe one in (see " PROG
			" --help)");
	return 0;
}

static int load_topology(const struct opts *o, struct fixedbar_topo *t,
			 struct fixedbar_entry_err *ee)
{
	char msg[FIXEDBAR_MSG_LEN + 1024];
	const char *name;
	FILE *f = stdin;
	int ret;

	memset(ee, 0, sizeof(*ee));
	if (o->from_sysfs) {
		ret = fixedbar_sysfs_load(o->sysfs_root, o->domain, o->bus, t,
					  msg, sizeof(msg));
		return ret ? input_error("%s", msg) : 0;
	}
	name = "<stdin>";
	if (o->input && strcmp(o->input, "-")) {
		name = o->input;
		f = fopen(name, "r");
		if (!f)
			return input_error("%s: %s", name, strerror(errno));
	}
	ret = fixedbar_json_load_file(f, t, ee, msg, sizeof(msg));
	if (f != stdin)
		fclose(f);
	if (ret)
		return input_error("%s: %s", name, msg);
	return 0;
}

static int add_maps(const struct opts *o, struct fixedbar_topo *t,
		    struct fixedbar_entry_err *ee)
{
	int i, ret;

	for (i = 0; i < o->nr_maps && !ee->err; i++) {
		ret = fixedbar_add_map_string(t, o->maps[i], ee);
		if (ret == -ENOMEM)
			return input_error("out of memory");
	}
	return 0;
}

/* old or new range of a BAR or window, as the kernel prints it */
static void format_range(char *s, size_t len, const struct fixedbar_dev *d,
			 int slot, int win, const struct fixedbar_range *r)
{
	if (!r->assigned) {
		snprintf(s, len, "%s", win < 0 ? "unassigned" : "disabled");
		return;
	}
	if (win < 0)
		fixedbar_format_bar(s, len, &d->bars[slot], r->start);
	else
		fixedbar_format_res(s, len,
				    win == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							     FIXEDBAR_RES_MEM,
				    r->start, r->end,
				    win == FIXEDBAR_WIN_PREF && d->br.pref64,
				    win == FIXEDBAR_WIN_PREF);
}

static bool win_implemented(const struct fixedbar_dev *d, int w)
{
	return d->is_bridge && (w == FIXEDBAR_WIN_MEM ||
				(w == FIXEDBAR_WIN_IO ? d->br.io : d->br.pref));
}

struct table {
	FILE *out;
	const struct fixedbar_topo *t;
	const struct fixedbar_plan *p;
	bool (*fixed)[6];
	int path_w;
	int old_w;
	unsigned int nr_res, nr_moved;
};

/* One line; with @out NULL only measures the column widths. */
static void table_line(struct table *tb, int dev, int slot, int win)
{
	const struct fixedbar_dev *d = &tb->t->devs[dev];
	const struct fixedbar_plan_dev *pd = &tb->p->devs[dev];
	char path[FIXEDBAR_PATH_LEN], id[16], old[FIXEDBAR_RES_LEN];
	char new[FIXEDBAR_RES_LEN];
	bool moved, fixed = false;

	fixedbar_dev_path(tb->t, dev, path, sizeof(path));
	if (win < 0) {
		format_range(old, sizeof(old), d, slot, -1, &d->bars[slot].cur);
		format_range(new, sizeof(new), d, slot, -1, &pd->bars[slot]);
		moved = fixedbar_plan_bar_moved(tb->t, tb->p, dev, slot);
		fixed = slot < 6 && tb->fixed[dev][slot];
	} else {
		format_range(old, sizeof(old), d, 0, win, &d->br.cur[win]);
		format_range(new, sizeof(new), d, 0, win, &pd->win[win]);
		moved = fixedbar_plan_win_moved(tb->t, tb->p, dev, win);
	}
	if (!tb->out) {
		if ((int)strlen(path) > tb->path_w)
			tb->path_w = strlen(path);
		if ((int)strlen(old) > tb->old_w)
			tb->old_w = strlen(old);
		return;
	}
	if (d->has_id)
		snprintf(id, sizeof(id), "%04x:%04x", d->vendor, d->device);
	else
		snprintf(id, sizeof(id), "----:----");
	fprintf(tb->out, "%s%-*s [%s] %-19s %-*s -> %s%s%s\n",
		win < 0 ? "" : "  ", tb->path_w + (win < 0 ? 2 : 0), path, id,
		win < 0 ? fixedbar_slot_name(slot) : fixedbar_win_name(win),
		tb->old_w, old, new, moved ? " moved" : "",
		fixed ? " fixed" : "");
	tb->nr_res++;
	tb->nr_moved += moved;
}

static void table_pass(struct table *tb)
{
	u32 i;
	int k;

	for (i = 0; i < tb->t->nr_devs; i++) {
		for (k = 0; k < FIXEDBAR_NR_SLOTS; k++)
			if (tb->t->devs[i].bars[k].present)
				table_line(tb, i, k, -1);
		for (k = 0; k < FIXEDBAR_NR_WINDOWS; k++)
			if (win_implemented(&tb->t->devs[i], k))
				table_line(tb, i, 0, k);
	}
}

static int print_table(FILE *out, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p)
{
	struct table tb = { .t = t, .p = p };
	char msg[FIXEDBAR_MSG_LEN];
	unsigned int nr_fixed = 0;
	u32 i;
	int k;

	tb.fixed = calloc(t->nr_devs + 1, sizeof(*tb.fixed));
	if (!tb.fixed)
		return -ENOMEM;
	for (i = 0; i < t->nr_entries; i++) {
		const struct fixedbar_entry *e = &t->entries[i];
		int dev = fixedbar_topo_find(t, e, msg, sizeof(msg));

		for (k = 0; dev >= 0 && k < e->nr_bars; k++)
			tb.fixed[dev][e->bars[k].bar] = true;
	}
	for (i = 0; i < t->nr_devs; i++)
		for (k = 0; k < 6; k++)
			nr_fixed += tb.fixed[i][k];
	table_pass(&tb);
	tb.out = out;
	table_pass(&tb);
	for (i = 0; i < p->nr_warnings; i++)
		fprintf(out, "warning: %s\n", p->warnings[i]);
	fprintf(out, "%u resources, %u moved, %u fixed\n", tb.nr_res,
		tb.nr_moved, nr_fixed);
	free(tb.fixed);
	return 0;
}

static void print_table_error(FILE *out, int err, const char *message)
{
	const char *name = fixedbar_errname(err);

	fprintf(out, "error: %s: %s\n", name ? name : "unknown", message);
}

static int write_output(const struct opts *o, const char *text, size_t len)
{
	FILE *f = stdout;

	if (o->output && strcmp(o->output, "-")) {
		f = fopen(o->output, "w");
		if (!f)
			return input_error("%s: %s", o->output,
					   strerror(errno));
	}
	if (fwrite(text, 1, len, f) != len || fflush(f)) {
		if (f != stdout)
			fclose(f);
		return input_error("%s: write error",
				   o->output ? o->output : "<stdout>");
	}
	if (f != stdout && fclose(f))
		return input_error("%s: %s", o->output, strerror(errno));
	return 0;
}

/* The result document (or table) for an error found before planning. */
static int report_entry_error(const struct opts *o,
			      const struct fixedbar_entry_err *ee,
			      struct fixedbar_buf *b)
{
	const char *entries[1] = { ee->entry };
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (!o->table) {
		if (fixedbar_emit_error(b, ee->err, ee->message, entries, 1))
			return input_error("out of memory");
		return write_output(o, b->data, b->len) ?: EXIT_PLAN_ERROR;
	}
	mem = open_memstream(&text, &len);
	if (!mem)
		return input_error("out of memory");
	print_table_error(mem, ee->err, ee->message);
	fprintf(mem, "  entry %s\n", ee->entry);
	fclose(mem);
	len = write_output(o, text, len) ?: EXIT_PLAN_ERROR;
	free(text);
	return (int)len;
}

static int report_plan(const struct opts *o, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p, struct fixedbar_buf *b)
{
	int status = p->err	    ? EXIT_PLAN_ERROR :
		     !t->nr_entries ? EXIT_NONE :
				      EXIT_PLAN_OK;
	char entry[512], *text = NULL;
	size_t len = 0;
	FILE *mem;
	u32 i;

	if (!o->table) {
		if (fixedbar_emit_plan(b, t, p))
			return input_error("out of memory");
		/* the JSON is for scripts; a person reads why on stderr */
		if (p->err)
			fprintf(stderr, PROG ": no plan: %s\n", p->message);
		return write_output(o, b->data, b->len) ?: status;
	}
	mem = open_memstream(&text, &len);
	if (!mem)
		return input_error("out of memory");
	if (!p->err) {
		print_table(mem, t, p);
	} else {
		print_table_error(mem, p->err, p->message);
		for (i = 0; i < p->nr_err_entries; i++) {
			if (p->err_entries[i] >= t->nr_entries)
				continue;
			fixedbar_format_entry(&t->entries[p->err_entries[i]],
					      entry, sizeof(entry));
			fprintf(mem, "  entry %s\n", entry);
		}
	}
	fclose(mem);
	status = write_output(o, text, len) ?: status;
	free(text);
	return status;
}

/*
 * --from-sysfs: every root bus of the tree, the others with what the
 * planner makes of them as they are (no fixed BARs); > 0: an input error,
 * said
 */
static int svg_all(const struct opts *o, FILE *f, const struct fixedbar_topo *t,
		   const struct fixedbar_plan *p)
{
	char msg[FIXEDBAR_MSG_LEN + 256];
	struct fixedbar_topo *ts;
	size_t n, i;
	int ret;

	ret = fixedbar_sysfs_load_all(o->sysfs_root, &ts, &n, msg, sizeof(msg));
	if (!ret)
		ret = fixedbar_svg_write_all(f, ts, n, t, p);
	else
		ret = input_error("--svg: %s", msg);
	for (i = 0; i < n; i++)
		fixedbar_topo_free(&ts[i]);
	free(ts);
	return ret;
}

static int write_svg(const struct opts *o, const struct fixedbar_topo *t,
		     const struct fixedbar_plan *p)
{
	FILE *f = fopen(o->svg, "w");
	int ret;

	if (!f)
		return input_error("%s: %s", o->svg, strerror(errno));
	if (o->sysfs_root)
		ret = svg_all(o, f, t, p);
	else
		ret = fixedbar_svg_write(f, t, p);
	if (ret > 0) { /* said */
		fclose(f);
		return ret;
	}
	if (fclose(f) || ret)
		return input_error("%s: %s", o->svg,
				   ret ? "out of memory" : "write error");
	return 0;
}

static int run(const struct opts *o, struct fixedbar_topo *t,
	       struct fixedbar_buf *b)
{
	struct fixedbar_entry_err ee;
	struct fixedbar_plan plan;
	int ret;

	ret = load_topology(o, t, &ee);
	if (!ret)
		ret = add_maps(o, t, &ee);
	if (ret)
		return ret;
	if (ee.err)
		return report_entry_error(o, &ee, b);
	if (o->dump) {
		if (fixedbar_emit_topo(b, t))
			return input_error("out of memory");
		return write_output(o, b->data, b->len);
	}
	memset(&plan, 0, sizeof(plan));
	ret = fixedbar_plan(t, &plan);
	if (ret && !plan.err)
		plan.err = ret;
	ret = report_plan(o, t, &plan, b);
	if (o->svg && ret != EXIT_INPUT && write_svg(o, t, &plan))
		ret = EXIT_INPUT;
	fixedbar_plan_free(&plan);
	return ret;
}

int main(int argc, char **argv)
{
	struct fixedbar_topo t;
	struct fixedbar_buf b;
	struct opts o = { 0 };
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret) {
		free(o.maps);
		return ret;
	}
	fixedbar_topo_init(&t);
	fixedbar_buf_init(&b);
	ret = run(&o, &t, &b);
	fixedbar_buf_free(&b);
	fixedbar_topo_free(&t);
	free(o.maps);
	return ret;
}
