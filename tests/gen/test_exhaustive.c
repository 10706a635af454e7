// SPDX-License-Identifier: GPL-2.0
/*
 * The planner against an exhaustive solver (brute.c), on tiny random
 * topologies (TAP).  The corpus of test_random is feasible by construction;
 * here each case is whatever the seed gives, feasible or not, and the
 * solver decides.  The planner must plan every case the solver lays out
 * (else: a planner gap), and every plan it returns must validate; a plan
 * for a case the solver calls infeasible is a solver bug.  Every solver
 * witness goes through fixedbar_validate() too.
 *
 *	test_exhaustive --seed S --count 1 --dump > topo.json
 *
 * writes a case's topology for fixedbar-plan, and on stderr the solver's
 * witness layout and the planner's answer.
 *
 * The min corpus gives micro cases current addresses (the solver's layout
 * without the entries, as firmware would leave them) and compares the
 * planner's number of moved resources with the fewest any valid layout
 * moves (fixedbar_brute_min_moves()).
 *
 * Environment: FIXEDBAR_EXHAUSTIVE_COUNT, FIXEDBAR_EXHAUSTIVE_SEED.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "fixedbar.h"
#include "emit.h"
#include "brute.h"
#include "tap.h"

#define DEFAULT_COUNT 3000
#define DEFAULT_MICRO 300
#define DEFAULT_MIN 1000
#define MIN_MAX_LAYOUTS 200000
/*
 * The planner moves the fewest resources possible on this share of the
 * min corpus at least (issue 20's target).  In the default range it does
 * on all 385; seeds 1001-4000 give 1094 of 1095, 1001-6000 1813 of 1814,
 * 6001-11000 1843 of 1844 (docs/design.md).
 */
#define MIN_EQUAL_PERMILLE 995
#define MIN_HIST 4
#define DEFAULT_SEED 1
#define MAX_REPORTED 10
#define NAIVE_MAX_LAYOUTS 2000000
#define MIB (1ULL << 20)

/*
 * Feasible cases in the default seed ranges that the planner rejects, by
 * corpus and seed; the solver's witness of each validates.  Each is
 * reported as a TAP TODO line (and as "now planned" once the planner plans
 * it); any other gap fails the run.  Dump one with --seed S --count 1
 * --micro 0 --dump.  The causes of the gaps that remain past the default
 * range (docs/benchmarks.md):
 *
 * packing: a movable window is packed in three ways: largest alignment
 *	first from an aligned start, its mirror image (fb_compact()), or
 *	split around an aligned anchor (fixedbar_split()); a few layouts need a
 *	nested packing none of them gives.
 * siblings: movable items go into a container's holes largest alignment
 *	first, each at its first fit; that is exact for power-of-two spans
 *	only, not for window blocks or VF BARs.  At the root a bounded
 *	search (fb_root_search()) backtracks; inside a bridge window nothing
 *	does.
 *
 * Closed: routing gaps (seeds 477, 708, 1114, 1941, 1998, 2355 of this
 * range) by fb_route_search(), packing gap 1058 by fixedbar_split(), 1816 by
 * fb_root_search() (with the split packing of the smallest size).
 */
static const struct {
	bool micro;
	u64 seed;
	const char *why;
} known_gaps[] = {
	/* none left in the default ranges; an entry with no cause ends it */
	{ false, 0, "" },
};

#define NR_KNOWN (sizeof(known_gaps) / sizeof(known_gaps[0]))

static struct {
	bool run, planned;
	char why[FIXEDBAR_MSG_LEN + 64];
} gap_result[NR_KNOWN];

/* clang-format off */
struct tally {
	u32 run, feasible, infeasible, planned;
	u32 gaps, known;		/* feasible, not planned */
	u32 unsupported, solver_err, invalid_plan, solver_miss;
	u32 naive_agree, naive_differ, naive_skipped;
	u64 fits, leaves, layouts;
	u32 max_options;
	double ms, slowest_ms;
	u64 slowest_seed;
};
/* clang-format on */

/* clang-format off */
struct min_tally {
	u32 run, compared, infeasible, skipped, failed, below;
	u32 hist[MIN_HIST];		/* planner - minimum: 0, 1, 2, 3 or more */
	u64 layouts;
	double ms;
	/* one BAR pinned (a bound driver's, an MSI-X table's) */
	u32 pin_run, pin_kept, pin_none, pin_refused, pin_planned_none;
	u32 pin_moved_pin, pin_hist[MIN_HIST];
};
/* clang-format on */

static u32 reported;
static u32 max_reported = MAX_REPORTED;
static bool dumping;

/* ---- tiny topologies ---- */

/* splitmix64, as fixedbar_rng in gen.c: the same case on every host */
struct xrng {
	u64 s;
};

static u64 rnd(struct xrng *r, u64 n)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return n ? z % n : 0;
}

static bool chance(struct xrng *r, int pct)
{
	return (int)rnd(r, 100) < pct;
}

static void add_ap(struct fixedbar_topo *t, bool pref, u64 start, u64 size)
{
	struct fixedbar_aperture *a = &t->apertures[t->nr_apertures++];

	a->type = FIXEDBAR_RES_MEM;
	a->pref = pref;
	a->start = start;
	a->end = start + size - 1;
}

/* How big a case may get. */
/* clang-format off */
struct shape {
	const char *name;
	u64 ap_min, ap_more;		/* aperture size in MiB: min + [0, more) */
	int bridges, bars;		/* up to */
	int bar_log, bar_logs;		/* BAR sizes 2^[log, log + logs) */
	int vf_log, vf_logs;
};
/* clang-format on */

/* the main corpus */
static const struct shape tiny = { "tiny", 4, 13, 3, 8, 12, 11, 12, 9 };
/* small enough for fixedbar_brute_naive() */
static const struct shape micro = { "micro", 2, 4, 2, 3, 19, 4, 19, 2 };

static u64 ap_size(struct xrng *r, const struct shape *sh)
{
	return (sh->ap_min + rnd(r, sh->ap_more)) * MIB;
}

/* One 32-bit aperture, and sometimes a prefetchable or a 64-bit one. */
static void gen_apertures(struct xrng *r, struct fixedbar_topo *t,
			  const struct shape *sh)
{
	u64 low = 0x80000000ULL + rnd(r, 0x600) * MIB;
	u64 lsize = ap_size(r, sh);
	u64 high = 0x8000000000ULL + rnd(r, 0x400) * MIB;
	u64 v = rnd(r, 100), gap = rnd(r, 3) * rnd(r, 16) * MIB;

	add_ap(t, false, low, lsize);
	if (v < 45 || (v >= 70 && v < 80))
		add_ap(t, true, high, ap_size(r, sh));
	else if (v < 55)
		add_ap(t, false, high, ap_size(r, sh));
	if (v >= 55 && v < 80)
		add_ap(t, true, low + lsize + gap, ap_size(r, sh));
	if (t->nr_apertures > 1 && chance(r, 50)) {
		struct fixedbar_aperture a = t->apertures[0];

		t->apertures[0] = t->apertures[t->nr_apertures - 1];
		t->apertures[t->nr_apertures - 1] = a;
	}
}

/* clang-format off */
struct tgen {
	struct xrng r;
	struct fixedbar_topo *t;
	u8 next_fn[64];			/* per bus: dev + 1, 0 the root */
	int next_slot[64];		/* per endpoint: first free BAR slot */
	int next_vf[64];
};
/* clang-format on */

static int new_dev(struct tgen *g, int parent)
{
	int bus = parent + 1, devfn, d;

	devfn = parent < 0 ? (g->next_fn[0] + 1) << 3 : g->next_fn[bus];
	g->next_fn[bus]++;
	d = fixedbar_topo_add_dev(g->t, parent, (u8)devfn);
	if (d < 0 || d >= 63)
		abort();
	g->next_slot[d] = 0;
	g->next_vf[d] = FIXEDBAR_VF_SLOT0;
	return d;
}

static void set_bar(struct fixedbar_bar *b, u64 size, bool mem64, bool pref,
		    u32 count)
{
	memset(b, 0, sizeof(*b));
	b->present = true;
	b->type = FIXEDBAR_RES_MEM;
	b->size = size;
	b->mem64 = mem64;
	b->pref = pref;
	b->count = count;
}

/* An endpoint on the bus below @parent with room for @slots BAR slots. */
static int endpoint(struct tgen *g, int parent, int slots)
{
	const struct fixedbar_topo *t = g->t;
	int d = parent < 0 ? t->first_root : t->devs[parent].first_child;
	int cand[16], n = 0;

	for (; d >= 0; d = t->devs[d].next_sibling)
		if (!t->devs[d].is_bridge && g->next_slot[d] + slots <= 6 &&
		    n < 16)
			cand[n++] = d;
	if (n && chance(&g->r, 50))
		return cand[rnd(&g->r, (u64)n)];
	return new_dev(g, parent);
}

static void entry_for(const struct fixedbar_topo *t, int d,
		      struct fixedbar_entry *e)
{
	int chain[FIXEDBAR_MAX_DEPTH + 1], n = 0, i;

	memset(e, 0, sizeof(*e));
	e->domain = t->segment;
	e->bus = t->root_bus;
	for (i = d; i >= 0 && n <= FIXEDBAR_MAX_DEPTH; i = t->devs[i].parent)
		chain[n++] = i;
	e->nr_hops = (u8)n;
	for (i = 0; i < n; i++)
		e->devfn[i] = t->devs[chain[n - 1 - i]].devfn;
}

/* Fixes 1-3 BARs at aligned addresses, mostly in an aperture they may use. */
static void gen_fixed(struct tgen *g)
{
	struct fixedbar_topo *t = g->t;
	int cand[64][2], n = 0, nfix, i, s;
	u32 d, a;

	for (d = 0; d < t->nr_devs; d++)
		for (s = 0; s < 6; s++)
			if (t->devs[d].bars[s].present && n < 64) {
				cand[n][0] = (int)d;
				cand[n++][1] = s;
			}
	nfix = 1 + (int)rnd(&g->r, 3);
	for (i = 0; i < nfix && n; i++) {
		int k = (int)rnd(&g->r, (u64)n), ok[FIXEDBAR_MAX_APERTURES];
		const struct fixedbar_bar *b;
		const struct fixedbar_aperture *ap;
		struct fixedbar_entry e;
		int nok = 0;
		u64 first, slots;

		d = (u32)cand[k][0];
		s = cand[k][1];
		cand[k][0] = cand[n - 1][0];
		cand[k][1] = cand[--n][1];
		b = &t->devs[d].bars[s];
		for (a = 0; a < t->nr_apertures; a++) {
			ap = &t->apertures[a];
			if ((b->pref || !ap->pref) &&
			    (b->mem64 || ap->end < FIXEDBAR_4G))
				ok[nok++] = (int)a;
		}
		if (!nok || chance(&g->r, 15))
			a = (u32)rnd(&g->r, t->nr_apertures);
		else
			a = (u32)ok[rnd(&g->r, (u64)nok)];
		ap = &t->apertures[a];
		first = (ap->start + b->size - 1) & ~(b->size - 1);
		if (first + b->size - 1 > ap->end)
			continue;
		slots = (ap->end + 1 - first) / b->size;
		entry_for(t, (int)d, &e);
		e.nr_bars = 1;
		e.bars[0].bar = (u8)s;
		e.bars[0].addr = first + rnd(&g->r, slots) * b->size;
		if (fixedbar_topo_add_entry(t, &e, NULL, 0))
			abort();
	}
}

/*
 * One root bus: 0-3 bridges (root ports, sometimes one below another),
 * 1-8 memory BARs of 4 KiB..4 MiB spread over the buses, sometimes SR-IOV
 * VF BARs, 1-3 of the BARs fixed.  No I/O, no ROMs, nothing pinned, no
 * current addresses: every layout is allowed.
 */
static void gen_case(u64 seed, const struct shape *sh, struct fixedbar_topo *t)
{
	struct tgen g;
	int br[8], nb, nbars, i, d, bus, slots, vfs;

	memset(&g, 0, sizeof(g));
	g.r.s = seed ^ (sh == &micro ? 0x3c20c20c20ULL : 0xe4a057175eedULL);
	g.t = t;
	fixedbar_topo_init(t);
	gen_apertures(&g.r, t, sh);
	nb = (int)rnd(&g.r, (u64)sh->bridges + 1);
	for (i = 0; i < nb; i++) {
		int parent = -1;

		if (i && chance(&g.r, 30))
			parent = br[rnd(&g.r, (u64)i)];
		d = new_dev(&g, parent);
		br[i] = d;
		t->devs[d].is_bridge = true;
		t->devs[d].br.pref = chance(&g.r, 65);
		t->devs[d].br.pref64 = t->devs[d].br.pref && chance(&g.r, 65);
		if (chance(&g.r, 10)) {
			set_bar(&t->devs[d].bars[0], 4096, false, false, 1);
			g.next_slot[d] = 1;
		}
	}
	nbars = 1 + (int)rnd(&g.r, (u64)sh->bars);
	for (i = 0; i < nbars; i++) {
		bool mem64 = chance(&g.r, 50), pref = chance(&g.r, 50);
		u64 size = 1ULL << (sh->bar_log + (int)rnd(&g.r, sh->bar_logs));

		bus = (int)rnd(&g.r, (u64)nb + 1) - 1;
		slots = mem64 ? 2 : 1;
		d = endpoint(&g, bus < 0 ? -1 : br[bus], slots);
		set_bar(&t->devs[d].bars[g.next_slot[d]], size, mem64, pref, 1);
		g.next_slot[d] += slots;
	}
	vfs = chance(&g.r, 25) ? 1 + (int)rnd(&g.r, 2) : 0;
	for (i = 0; i < vfs; i++) {
		bool mem64 = chance(&g.r, 70);

		bus = (int)rnd(&g.r, (u64)nb + 1) - 1;
		d = endpoint(&g, bus < 0 ? -1 : br[bus], 0);
		if (g.next_vf[d] + (mem64 ? 2 : 1) > FIXEDBAR_NR_SLOTS)
			continue;
		set_bar(&t->devs[d].bars[g.next_vf[d]],
			1ULL << (sh->vf_log + (int)rnd(&g.r, sh->vf_logs)),
			mem64, chance(&g.r, 60), 1 + (u32)rnd(&g.r, 4));
		g.next_vf[d] += mem64 ? 2 : 1;
	}
	gen_fixed(&g);
}

/* ---- running cases ---- */

static int known_gap(bool is_micro, u64 seed)
{
	size_t i;

	for (i = 0; i < NR_KNOWN; i++)
		if (known_gaps[i].why[0] && known_gaps[i].seed == seed &&
		    known_gaps[i].micro == is_micro)
			return (int)i;
	return -1;
}

static void report(const struct shape *sh, u64 seed, const char *what,
		   const char *why)
{
	if (!dumping && reported++ < max_reported)
		diag("%s seed %" PRIu64 ": %s: %s", sh->name, seed, what, why);
}

static void dump(const struct fixedbar_topo *t, enum fixedbar_brute_result res,
		 const char *smsg, const struct fixedbar_plan *w,
		 const struct fixedbar_plan *p)
{
	struct fixedbar_buf b;

	fixedbar_buf_init(&b);
	if (!fixedbar_emit_topo(&b, t))
		printf("%s", b.data);
	fixedbar_buf_free(&b);
	fprintf(stderr, "solver: %s%s%s\n", fixedbar_brute_result_name(res),
		smsg[0] ? ": " : "", smsg);
	if (res == FIXEDBAR_BRUTE_FEASIBLE) {
		fixedbar_buf_init(&b);
		if (!fixedbar_emit_plan(&b, t, w))
			fprintf(stderr, "witness layout:\n%s", b.data);
		fixedbar_buf_free(&b);
	}
	fixedbar_buf_init(&b);
	if (!fixedbar_emit_plan(&b, t, p))
		fprintf(stderr, "planner:\n%s", b.data);
	fixedbar_buf_free(&b);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The naive decider must agree with the solver (micro cases). */
static bool check_naive(const struct shape *sh, u64 seed,
			const struct fixedbar_topo *t,
			enum fixedbar_brute_result res, struct tally *y)
{
	enum fixedbar_brute_result nv;
	char why[128];
	u64 layouts = 0;

	nv = fixedbar_brute_naive(t, NAIVE_MAX_LAYOUTS, &layouts);
	y->layouts += layouts;
	if (dumping)
		fprintf(stderr, "naive: %s after %" PRIu64 " layouts\n",
			fixedbar_brute_result_name(nv), layouts);
	if (nv == FIXEDBAR_BRUTE_UNSUPPORTED) {
		y->naive_skipped++;
		return true;
	}
	if (nv == res) {
		y->naive_agree++;
		return true;
	}
	y->naive_differ++;
	snprintf(why, sizeof(why), "solver: %s, naive: %s",
		 fixedbar_brute_result_name(res),
		 fixedbar_brute_result_name(nv));
	report(sh, seed, "the naive decider disagrees", why);
	return false;
}

/* Runs one case; false when it failed (a known gap does not count). */
static bool run_case(const struct shape *sh, u64 seed, struct tally *y)
{
	struct fixedbar_brute_stats st = { 0 };
	enum fixedbar_brute_result res;
	char smsg[FIXEDBAR_MSG_LEN], vmsg[FIXEDBAR_MSG_LEN + 64];
	struct fixedbar_topo t;
	struct fixedbar_plan w, p;
	struct timespec t0;
	bool pass = true;
	double ms;
	int ret, gap;

	gen_case(seed, sh, &t);
	memset(&w, 0, sizeof(w));
	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	res = fixedbar_brute_solve(&t, &w, &st, smsg, sizeof(smsg));
	ms = ms_since(&t0);
	if (ms > y->slowest_ms) {
		y->slowest_ms = ms;
		y->slowest_seed = seed;
	}
	y->run++;
	y->fits += st.fits;
	y->leaves += st.leaves;
	if (st.max_options > y->max_options)
		y->max_options = st.max_options;
	ret = fixedbar_plan(&t, &p);
	if (dumping)
		dump(&t, res, smsg, &w, &p);

	switch (res) {
	case FIXEDBAR_BRUTE_FEASIBLE:
		y->feasible++;
		break;
	case FIXEDBAR_BRUTE_INFEASIBLE:
		y->infeasible++;
		break;
	case FIXEDBAR_BRUTE_UNSUPPORTED:
		y->unsupported++;
		report(sh, seed, "outside the solver's scope", smsg);
		pass = false;
		break;
	default:
		y->solver_err++;
		report(sh, seed, "solver error", smsg);
		pass = false;
		break;
	}
	if (sh == &micro && (res == FIXEDBAR_BRUTE_FEASIBLE ||
			     res == FIXEDBAR_BRUTE_INFEASIBLE))
		pass &= check_naive(sh, seed, &t, res, y);
	if (!ret) {
		y->planned++;
		if (fixedbar_validate(&t, &p, vmsg, sizeof(vmsg))) {
			y->invalid_plan++;
			report(sh, seed, "the planner's plan does not validate",
			       vmsg);
			pass = false;
		}
		if (res == FIXEDBAR_BRUTE_INFEASIBLE) {
			y->solver_miss++;
			report(sh, seed,
			       "the solver finds no layout but the planner does",
			       smsg);
			pass = false;
		}
	}
	snprintf(vmsg, sizeof(vmsg), "%s: %s", fixedbar_errname(ret) ?: "E?",
		 p.message);
	gap = known_gap(sh == &micro, seed);
	if (gap >= 0) {
		gap_result[gap].run = true;
		gap_result[gap].planned = !ret;
		snprintf(gap_result[gap].why, sizeof(gap_result[gap].why), "%s",
			 vmsg);
	}
	if (ret && res == FIXEDBAR_BRUTE_FEASIBLE) {
		if (gap >= 0) {
			y->known++;
		} else {
			y->gaps++;
			report(sh, seed,
			       "planner gap (the solver has a layout)", vmsg);
			pass = false;
		}
	}
	if (dumping)
		fprintf(stderr, "%s\n", pass ? "ok" : "FAIL");
	fixedbar_plan_free(&w);
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&t);
	return pass;
}

static bool run_corpus(const struct shape *sh, u64 seed, u64 count,
		       struct tally *y)
{
	struct timespec t0;
	bool all_pass = true;
	u64 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++)
		all_pass &= run_case(sh, seed + i, y);
	y->ms = ms_since(&t0);
	return all_pass;
}

static void summary(const struct shape *sh, u64 seed, const struct tally *y)
{
	diag("%s: %u cases from seed %" PRIu64
	     " in %.2f s: %u feasible, %u infeasible, %u planner gaps (%u known)",
	     sh->name, y->run, seed, y->ms / 1e3, y->feasible, y->infeasible,
	     y->gaps + y->known, y->known);
	/* figures, not checks: timing depends on the host */
	diag("%s: solver: %" PRIu64 " fits, %" PRIu64
	     " packings, up to %u options per bridge, slowest seed %" PRIu64
	     " (%.1f ms)",
	     sh->name, y->fits, y->leaves, y->max_options, y->slowest_seed,
	     y->slowest_ms);
}

static void checks(const struct shape *sh, const struct tally *y)
{
	ok(!y->unsupported, "%s: %u of %u cases in the solver's scope",
	   sh->name, y->run - y->unsupported, y->run);
	ok(!y->solver_err, "%s: every solver witness validates (%u feasible)",
	   sh->name, y->feasible);
	ok(!y->invalid_plan, "%s: every planner plan validates (%u plans)",
	   sh->name, y->planned);
	ok(!y->solver_miss,
	   "%s: the planner plans no case the solver finds infeasible (%u)",
	   sh->name, y->infeasible);
	if (sh == &micro)
		ok(!y->naive_differ && y->naive_agree,
		   "%s: the naive decider agrees on %u cases (%u too big, %" PRIu64
		   " layouts)",
		   sh->name, y->naive_agree, y->naive_skipped, y->layouts);
	ok(!y->gaps, "%s: the planner plans every feasible case: %u of %u%s",
	   sh->name, y->feasible - y->gaps - y->known, y->feasible,
	   y->known ? " (the others: known gaps, below)" : "");
}

/* ---- the fewest moves ---- */

/*
 * Current addresses as firmware would leave them: the solver's layout of
 * the case without its descriptor entries.  False when there is none.
 */
static bool set_cur_layout(struct fixedbar_topo *t)
{
	u32 nent = t->nr_entries, d;
	enum fixedbar_brute_result res;
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_plan w;
	int s;

	memset(&w, 0, sizeof(w));
	t->nr_entries = 0;
	res = fixedbar_brute_solve(t, &w, NULL, msg, sizeof(msg));
	t->nr_entries = nent;
	for (d = 0; d < t->nr_devs && res == FIXEDBAR_BRUTE_FEASIBLE; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			t->devs[d].bars[s].cur = w.devs[d].bars[s];
		memcpy(t->devs[d].br.cur, w.devs[d].win,
		       sizeof(t->devs[d].br.cur));
	}
	fixedbar_plan_free(&w);
	return res == FIXEDBAR_BRUTE_FEASIBLE;
}

/* A BAR of @t the entries do not fix and that has a place now, or false. */
static bool pick_pin(const struct fixedbar_topo *t, u64 seed, int *pd, int *ps)
{
	int cand[64][2], n = 0, s;
	u32 d, i, j;

	for (d = 0; d < t->nr_devs; d++)
		for (s = 0; s < 6; s++) {
			bool fixed = false;

			if (!t->devs[d].bars[s].present ||
			    !t->devs[d].bars[s].cur.assigned || n == 64)
				continue;
			for (i = 0; i < t->nr_entries; i++)
				for (j = 0; j < t->entries[i].nr_bars; j++)
					fixed |=
						fixedbar_topo_find(t,
								   &t->entries[i],
								   NULL, 0) ==
							(int)d &&
						t->entries[i].bars[j].bar == s;
			if (!fixed) {
				cand[n][0] = (int)d;
				cand[n++][1] = s;
			}
		}
	if (!n)
		return false;
	n = (int)(seed % (u64)n);
	*pd = cand[n][0];
	*ps = cand[n][1];
	return true;
}

/*
 * The fewest moves of the layouts that keep BAR @s of device @d where it is:
 * the solver on @t with one more entry fixing it there.
 */
static enum fixedbar_brute_result min_keeping(struct fixedbar_topo *t, int d,
					      int s, u32 *best, u64 *layouts)
{
	struct fixedbar_entry e, *saved;
	enum fixedbar_brute_result res;
	u32 nent = t->nr_entries;

	saved = malloc((nent + 1) * sizeof(*saved));
	if (!saved)
		abort();
	if (nent)
		memcpy(saved, t->entries, nent * sizeof(*saved));
	entry_for(t, d, &e);
	e.nr_bars = 1;
	e.bars[0].bar = (u8)s;
	e.bars[0].addr = t->devs[d].bars[s].cur.start;
	res = FIXEDBAR_BRUTE_INFEASIBLE;
	if (!fixedbar_topo_add_entry(t, &e, NULL, 0))
		res = fixedbar_brute_min_moves(t, MIN_MAX_LAYOUTS, best,
					       layouts);
	if (nent)
		memcpy(t->entries, saved, nent * sizeof(*saved));
	t->nr_entries = nent;
	free(saved);
	return res;
}

/*
 * The same case with one BAR pinned, as the module pins a bound driver's
 * BARs and an enabled MSI-X table's: the planner must keep it whenever some
 * layout does (and refuse otherwise), moving the fewest others.
 */
static void run_pin_case(struct fixedbar_topo *t, u64 seed, struct min_tally *y)
{
	enum fixedbar_brute_result res;
	struct fixedbar_plan p;
	u32 best = 0, moved;
	u64 layouts = 0;
	char why[96];
	int d, s, err;

	if (!pick_pin(t, seed, &d, &s))
		return;
	y->pin_run++;
	res = min_keeping(t, d, s, &best, &layouts);
	y->layouts += layouts;
	memset(&p, 0, sizeof(p));
	t->devs[d].bars[s].pinned = true;
	err = fixedbar_plan(t, &p);
	if (res == FIXEDBAR_BRUTE_FEASIBLE && err) {
		y->pin_refused++;
		report(&micro, seed,
		       "pin: a layout keeps the pinned BAR, the planner refused",
		       p.message);
	} else if (res == FIXEDBAR_BRUTE_FEASIBLE) {
		y->pin_kept++;
		moved = fixedbar_plan_nr_moved(t, &p);
		if (fixedbar_plan_res_moved(t, &p, (u32)d, s))
			y->pin_moved_pin++;
		if (moved < best) {
			y->below++;
			snprintf(why, sizeof(why), "planner %u, minimum %u",
				 moved, best);
			report(&micro, seed,
			       "pin: the planner beats the minimum", why);
		} else {
			y->pin_hist[moved - best < MIN_HIST ? moved - best :
							      MIN_HIST - 1]++;
		}
	} else if (res == FIXEDBAR_BRUTE_INFEASIBLE) {
		y->pin_none++;
		y->pin_planned_none += !err;
		if (!err)
			report(&micro, seed,
			       "pin: planned although no layout keeps the pinned BAR",
			       "");
	}
	t->devs[d].bars[s].pinned = false;
	fixedbar_plan_free(&p);
}

/* One micro case with current addresses: the planner's moves and the fewest. */
static void run_min_case(u64 seed, struct min_tally *y)
{
	enum fixedbar_brute_result res;
	struct fixedbar_topo t;
	struct fixedbar_plan p;
	u32 best = 0, moved;
	u64 layouts = 0;
	char why[96];

	gen_case(seed, &micro, &t);
	memset(&p, 0, sizeof(p));
	y->run++;
	if (!set_cur_layout(&t)) {
		y->infeasible++;
		goto out;
	}
	res = fixedbar_brute_min_moves(&t, MIN_MAX_LAYOUTS, &best, &layouts);
	y->layouts += layouts;
	if (res != FIXEDBAR_BRUTE_FEASIBLE) {
		y->skipped += res != FIXEDBAR_BRUTE_INFEASIBLE;
		y->infeasible += res == FIXEDBAR_BRUTE_INFEASIBLE;
		goto out;
	}
	if (fixedbar_plan(&t, &p)) {
		y->failed++;
		report(&micro, seed, "min: feasible but not planned",
		       p.message);
		goto out;
	}
	moved = fixedbar_plan_nr_moved(&t, &p);
	if (dumping)
		dump(&t, res, "", &p, &p);
	y->compared++;
	if (moved < best) {
		y->below++;
		snprintf(why, sizeof(why), "planner %u, minimum %u", moved,
			 best);
		report(&micro, seed, "min: the planner beats the minimum", why);
	} else {
		y->hist[moved - best < MIN_HIST ? moved - best : MIN_HIST - 1]++;
		if (moved > best && dumping)
			fprintf(stderr, "min seed %" PRIu64 ": %u moved, %u\n",
				seed, moved, best);
	}
	fixedbar_plan_free(&p);
	memset(&p, 0, sizeof(p));
	run_pin_case(&t, seed, y);
out:
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&t);
}

static void run_min(u64 seed, u64 count, struct min_tally *y)
{
	struct timespec t0;
	u64 i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++)
		run_min_case(seed + i, y);
	y->ms = ms_since(&t0);
}

static void min_checks(u64 seed, const struct min_tally *y)
{
	u32 eq = y->hist[0];

	diag("min: %u micro cases from seed %" PRIu64
	     " in %.2f s: %u compared, %u infeasible (%u beyond the enumeration's %u layouts, %" PRIu64
	     " layouts in all), planner moves minus the fewest: =0 %u, +1 %u, +2 %u, +3 or more %u",
	     y->run, seed, y->ms / 1e3, y->compared, y->infeasible, y->skipped,
	     MIN_MAX_LAYOUTS, y->layouts, y->hist[0], y->hist[1], y->hist[2],
	     y->hist[3]);
	ok(!y->below && !y->failed,
	   "min: no plan moves fewer than the fewest, every case planned (%u, %u)",
	   y->below, y->failed);
	ok(y->compared &&
		   (u64)eq * 1000 >= (u64)y->compared * MIN_EQUAL_PERMILLE,
	   "min: the planner moves the fewest resources on %u of %u cases (%.2f%%, at least %.1f%%)",
	   eq, y->compared, y->compared ? 100.0 * eq / y->compared : 0.0,
	   MIN_EQUAL_PERMILLE / 10.0);
	diag("pin: %u cases with one BAR pinned: %u kept by some layout, %u by none; planner moves minus the fewest that keep it: =0 %u, +1 %u, +2 %u, +3 or more %u",
	     y->pin_run, y->pin_kept, y->pin_none, y->pin_hist[0],
	     y->pin_hist[1], y->pin_hist[2], y->pin_hist[3]);
	ok(y->pin_kept && !y->pin_refused && !y->pin_moved_pin,
	   "pin: the planner keeps a pinned BAR whenever a layout does (%u of %u, %u moved it)",
	   y->pin_kept - y->pin_refused, y->pin_kept, y->pin_moved_pin);
	ok(!y->pin_planned_none,
	   "pin: no plan when no layout keeps the pinned BAR (%u cases)",
	   y->pin_none);
	ok((u64)y->pin_hist[0] * 1000 >=
		   (u64)(y->pin_kept - y->pin_refused) * MIN_EQUAL_PERMILLE,
	   "pin: the planner moves the fewest resources on %u of %u cases",
	   y->pin_hist[0], y->pin_kept - y->pin_refused);
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: test_exhaustive [--count N] [--micro N] [--seed S] [--report N] [--dump]\n"
		"  --count N   tiny cases to run (default %d, env FIXEDBAR_EXHAUSTIVE_COUNT)\n"
		"  --micro N   micro cases, also decided naively (default %d)\n"
		"  --min N     micro cases with current addresses: the planner's\n"
		"              moves against the fewest possible (default %d)\n"
		"  --seed S    seed of the first case of each corpus (default %d,\n"
		"              env FIXEDBAR_EXHAUSTIVE_SEED)\n"
		"  --report N  show the first N failures (default %d)\n"
		"  --dump      print each case's topology JSON on stdout, and the\n"
		"              solver's witness and the planner's answer on stderr; no TAP\n",
		DEFAULT_COUNT, DEFAULT_MICRO, DEFAULT_MIN, DEFAULT_SEED,
		MAX_REPORTED);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "micro", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "seed", required_argument, NULL, 's' },
		{ "report", required_argument, NULL, 'R' },
		{ "dump", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	u64 count = DEFAULT_COUNT, nmicro = DEFAULT_MICRO, seed = DEFAULT_SEED;
	u64 nmin = DEFAULT_MIN;
	struct tally ty = { 0 }, my = { 0 };
	struct min_tally mt = { 0 };
	bool all_pass = true;
	const char *env;
	size_t g;
	int opt;

	env = getenv("FIXEDBAR_EXHAUSTIVE_COUNT");
	if (env && *env)
		count = strtoull(env, NULL, 0);
	env = getenv("FIXEDBAR_EXHAUSTIVE_SEED");
	if (env && *env)
		seed = strtoull(env, NULL, 0);
	while ((opt = getopt_long(argc, argv, "n:m:M:s:R:dh", opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			nmicro = strtoull(optarg, NULL, 0);
			break;
		case 'M':
			nmin = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'R':
			max_reported = (u32)strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dumping = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 1;
		}
	}

	all_pass &= run_corpus(&tiny, seed, count, &ty);
	all_pass &= run_corpus(&micro, seed, nmicro, &my);
	run_min(seed, nmin, &mt);
	if (dumping)
		return all_pass ? 0 : 1;

	summary(&tiny, seed, &ty);
	summary(&micro, seed, &my);
	if (reported > max_reported)
		diag("%u more failures not shown", reported - max_reported);
	if (count)
		checks(&tiny, &ty);
	if (nmicro)
		checks(&micro, &my);
	if (nmin)
		min_checks(seed, &mt);
	for (g = 0; g < NR_KNOWN; g++)
		if (gap_result[g].run)
			todo(gap_result[g].planned, "known planner gap",
			     "%s seed %" PRIu64 " (%s): %s",
			     known_gaps[g].micro ? "micro" : "tiny",
			     known_gaps[g].seed, known_gaps[g].why,
			     gap_result[g].planned ? "now planned" :
						     gap_result[g].why);
	return done_testing();
}
