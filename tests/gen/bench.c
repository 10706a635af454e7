// SPDX-License-Identifier: GPL-2.0
/*
 * Planner benchmark: plan timings on generated topologies and how tightly
 * the plans size bridge windows.  It prints figures and asserts nothing;
 * timings depend on the host.
 *
 *	bench [seed]
 */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "fixedbar.h"
#include "gen.h"

#define DEFAULT_SEED 42
#define HEADLINE_RUNS 501

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

struct timing {
	double median;
	double min;
	double p90;
	int err;
	char message[FIXEDBAR_MSG_LEN];
};

static void time_plan(const struct fixedbar_topo *t, int runs,
		      struct timing *tm)
{
	double *us = calloc((size_t)runs, sizeof(*us));
	struct fixedbar_plan p;
	int r;

	if (!us)
		abort();
	for (r = 0; r < runs; r++) {
		double t0;

		memset(&p, 0, sizeof(p));
		t0 = now_us();
		tm->err = fixedbar_plan(t, &p);
		us[r] = now_us() - t0;
		if (tm->err)
			snprintf(tm->message, sizeof(tm->message), "%s",
				 p.message);
		fixedbar_plan_free(&p);
	}
	qsort(us, (size_t)runs, sizeof(*us), cmp_double);
	tm->median = us[runs / 2];
	tm->min = us[0];
	tm->p90 = us[runs * 9 / 10];
	free(us);
}

static int build(struct fixedbar_gen_case *c, u32 n, u64 seed)
{
	struct fixedbar_gen_params par = { 0 };
	char msg[FIXEDBAR_MSG_LEN + 64];
	int ret;

	par.nr_devs = n;
	par.nr_bridges = n / 4;
	par.nr_fixed = 16;
	ret = fixedbar_gen(c, FIXEDBAR_GEN_FEASIBLE, seed, &par, msg,
			   sizeof(msg));
	if (ret)
		fprintf(stderr, "bench: %u devices: %s\n", n, msg);
	return ret;
}

static u32 count_bridges(const struct fixedbar_topo *t)
{
	u32 i, n = 0;

	for (i = 0; i < t->nr_devs; i++)
		n += t->devs[i].is_bridge;
	return n;
}

static u32 count_fixed(const struct fixedbar_topo *t)
{
	u32 i, n = 0;

	for (i = 0; i < t->nr_entries; i++)
		n += t->entries[i].nr_bars;
	return n;
}

static bool inside(const struct fixedbar_range *r,
		   const struct fixedbar_range *w)
{
	return r->assigned && r->start >= w->start && r->end <= w->end;
}

struct efficiency {
	u64 win[2];			/* [0] memory, [1] I/O: window bytes */
	u64 held[2];			/* what the windows directly hold */
};

/* Bytes of a window taken by the BARs and windows right below it. */
static u64 held_by(const struct fixedbar_topo *t,
		   const struct fixedbar_plan *p, int br, int w)
{
	const struct fixedbar_range *win = &p->devs[br].win[w];
	bool io = w == FIXEDBAR_WIN_IO;
	u64 sum = 0;
	int c, s;

	for (c = t->devs[br].first_child; c >= 0; c = t->devs[c].next_sibling) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &t->devs[c].bars[s];
			const struct fixedbar_range *r = &p->devs[c].bars[s];

			if (b->present && (b->type == FIXEDBAR_RES_IO) == io &&
			    inside(r, win))
				sum += r->end - r->start + 1;
		}
		if (!t->devs[c].is_bridge)
			continue;
		for (s = 0; s < FIXEDBAR_NR_WINDOWS; s++) {
			const struct fixedbar_range *r = &p->devs[c].win[s];

			if ((s == FIXEDBAR_WIN_IO) == io && inside(r, win))
				sum += r->end - r->start + 1;
		}
	}
	return sum;
}

static void measure(const struct fixedbar_topo *t,
		    const struct fixedbar_plan *p, struct efficiency *e)
{
	u32 d;
	int w, io;

	memset(e, 0, sizeof(*e));
	for (d = 0; d < t->nr_devs; d++) {
		if (!t->devs[d].is_bridge)
			continue;
		for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
			const struct fixedbar_range *r = &p->devs[d].win[w];

			if (!r->assigned)
				continue;
			io = w == FIXEDBAR_WIN_IO;
			e->win[io] += r->end - r->start + 1;
			e->held[io] += held_by(t, p, (int)d, w);
		}
	}
}

static void print_ratio(u64 win, u64 held)
{
	if (held)
		printf(" %9.3f", (double)win / (double)held);
	else
		printf(" %9s", "-");
}

static int log2_int(u32 n)
{
	int l = 0;

	while (n >>= 1)
		l++;
	return l;
}

static void headline(u64 seed)
{
	struct fixedbar_gen_case c;
	struct timing tm;

	if (build(&c, 256, seed))
		return;
	time_plan(&c.topo, HEADLINE_RUNS, &tm);
	printf("plan: %u devices, %u bridges, %u fixed BARs\n",
	       c.topo.nr_devs, count_bridges(&c.topo), count_fixed(&c.topo));
	if (tm.err)
		printf("  planner failed: %s: %s\n", fixedbar_errname(tm.err),
		       tm.message);
	else
		printf("  median %.1f us over %d runs (min %.1f, p90 %.1f)\n\n",
		       tm.median, HEADLINE_RUNS, tm.min, tm.p90);
	fixedbar_gen_free(&c);
}

static void print_scaling(u64 seed)
{
	static const u32 sizes[] = { 16, 64, 256, 1024, 4096 };
	struct efficiency pe, we;
	struct fixedbar_plan p;
	struct fixedbar_gen_case c;
	struct timing tm;
	size_t i;

	printf("scaling (bridges = devices / 4, 16 fixed BARs, median):\n");
	printf("  %7s %7s %5s %5s %11s %14s  %9s %9s %9s\n", "devices",
	       "bridges", "fixed", "runs", "time us", "ns/(n log2 n)",
	       "mem win", "io win", "witness");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u32 n = sizes[i];
		int runs = n <= 256 ? 201 : n <= 1024 ? 41 : 11;
		int l;

		if (build(&c, n, seed + i))
			continue;
		time_plan(&c.topo, runs, &tm);
		n = c.topo.nr_devs;
		l = log2_int(n);
		printf("  %7u %7u %5u %5d ", n, count_bridges(&c.topo),
		       count_fixed(&c.topo), runs);
		if (tm.err) {
			printf("planner failed: %s: %s\n",
			       fixedbar_errname(tm.err), tm.message);
			fixedbar_gen_free(&c);
			continue;
		}
		memset(&p, 0, sizeof(p));
		fixedbar_plan(&c.topo, &p);
		measure(&c.topo, &p, &pe);
		measure(&c.topo, &c.layout, &we);
		printf("%11.1f %14.2f ", tm.median,
		       tm.median * 1e3 / ((double)n * (l ? l : 1)));
		print_ratio(pe.win[0], pe.held[0]);
		print_ratio(pe.win[1], pe.held[1]);
		print_ratio(we.win[0], we.held[0]);
		putchar('\n');
		fixedbar_plan_free(&p);
		fixedbar_gen_free(&c);
	}
	printf("\nmem win, io win: bytes of all enabled bridge windows over the\n"
	       "bytes of the BARs and child windows directly inside them (1.0 is\n"
	       "no slack); witness: the same for the generator's own layout.\n");
}

int main(int argc, char **argv)
{
	u64 seed = argc > 1 ? strtoull(argv[1], NULL, 0) : DEFAULT_SEED;

	printf("pci_fixedbar planner benchmark, seed %" PRIu64 "\n\n", seed);
	headline(seed);
	print_scaling(seed);
	return 0;
}
