// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized planner tests (TAP).  Every case comes from one seed: the base
 * seed plus its number.  Feasible cases must plan, validate independently
 * and plan identically twice; infeasible ones must fail with the expected
 * errno, a one-line message and the entries involved.  One TAP line per
 * kind and size bucket; a failure prints its seed, and
 *
 *	test_random --seed S --count 1 --dump > topo.json
 *
 * writes that case's topology for fixedbar-plan.
 *
 * Environment: FIXEDBAR_RANDOM_COUNT, FIXEDBAR_RANDOM_SEED.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "fixedbar.h"
#include "emit.h"
#include "gen.h"
#include "tap.h"

#define DEFAULT_COUNT 2000
#define DEFAULT_SEED 1
#define MAX_REPORTED 10

enum { B_SMALL, B_MEDIUM, B_LARGE, NR_SIZE_BUCKETS };

static const char *const size_names[NR_SIZE_BUCKETS] = {
	"1-16 devices", "17-64 devices", "65-300 devices",
};

#define NR_BUCKETS (NR_SIZE_BUCKETS + FIXEDBAR_GEN_NR_KINDS - 1)

struct bucket {
	u32 run;
	u32 failed;
	u32 known;		/* known gaps that failed, reported as TODO */
};

static struct bucket buckets[NR_BUCKETS];
static u32 reported;
static u32 max_reported = MAX_REPORTED;
static bool dumping;		/* stdout is the topology JSON */
static struct {
	double ms;
	u64 seed;
} slowest;
static bool kernel_routing;

/*
 * Feasible cases of the any-routing corpus the planner does not solve yet,
 * listed by seed (see docs/benchmarks.md, "Known gaps").  Each is reported
 * as a TAP TODO line; any other failure fails the run.
 */
static const u64 known_gaps[] = { 0 /* none in seeds 1..2000; 0 is no seed */ };

static struct {
	bool run, pass;
	char why[FIXEDBAR_MSG_LEN + 256];
} gap_result[sizeof(known_gaps) / sizeof(known_gaps[0])];

static int known_gap(u64 seed)
{
	size_t i;

	for (i = 0; !kernel_routing && i < sizeof(known_gaps) / sizeof(known_gaps[0]); i++)
		if (known_gaps[i] && known_gaps[i] == seed)
			return (int)i;
	return -1;
}

/*
 * Which case a seed makes: 60% feasible, of which 40% small, 40% medium
 * and 20% large (the large ones cost the most time under the sanitizers).
 */
static enum fixedbar_gen_kind case_kind(u64 seed, u32 *nr_devs)
{
	struct fixedbar_rng r;
	u64 b;

	fixedbar_rng_seed(&r, seed ^ 0x5eed5eed5eed5eedULL);
	*nr_devs = 0;
	if (fixedbar_rng_below(&r, 100) >= 60)
		return 1 + fixedbar_rng_below(&r, FIXEDBAR_GEN_NR_KINDS - 1);
	b = fixedbar_rng_below(&r, 5);
	if (b < 2)
		*nr_devs = 1 + fixedbar_rng_below(&r, 16);
	else if (b < 4)
		*nr_devs = 17 + fixedbar_rng_below(&r, 48);
	else
		*nr_devs = 65 + fixedbar_rng_below(&r, 236);
	return FIXEDBAR_GEN_FEASIBLE;
}

static int bucket_of(const struct fixedbar_gen_case *c)
{
	u32 n = c->topo.nr_devs;

	if (c->kind != FIXEDBAR_GEN_FEASIBLE)
		return NR_SIZE_BUCKETS + c->kind - 1;
	return n <= 16 ? B_SMALL : n <= 64 ? B_MEDIUM : B_LARGE;
}

static bool same_range(const struct fixedbar_range *a,
		       const struct fixedbar_range *b)
{
	if (a->assigned != b->assigned)
		return false;
	return !a->assigned || (a->start == b->start && a->end == b->end);
}

/* Two plans of one topology are the same, messages and warnings included. */
static bool same_plan(const struct fixedbar_plan *a,
		      const struct fixedbar_plan *b)
{
	u32 i;
	int s;

	if (a->err != b->err || strcmp(a->message, b->message) ||
	    a->nr_warnings != b->nr_warnings ||
	    a->nr_err_entries != b->nr_err_entries)
		return false;
	for (i = 0; i < a->nr_warnings; i++)
		if (strcmp(a->warnings[i], b->warnings[i]))
			return false;
	for (i = 0; i < a->nr_err_entries; i++)
		if (a->err_entries[i] != b->err_entries[i])
			return false;
	if (a->err)
		return true;
	if (a->nr_devs != b->nr_devs)
		return false;
	for (i = 0; i < a->nr_devs; i++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			if (!same_range(&a->devs[i].bars[s], &b->devs[i].bars[s]))
				return false;
		for (s = 0; s < FIXEDBAR_NR_WINDOWS; s++)
			if (!same_range(&a->devs[i].win[s], &b->devs[i].win[s]))
				return false;
	}
	return true;
}

/* One line, no trailing period or blank. */
static const char *bad_message(const char *m)
{
	size_t n = strlen(m);

	if (!n)
		return "empty message";
	if (strchr(m, '\n'))
		return "message spans lines";
	if (m[n - 1] == '.' || m[n - 1] == ' ')
		return "message ends with '.' or a blank";
	if (strstr(m, "internal error"))
		return "a phase of the planner gave an invalid plan";
	return NULL;
}

static const char *errname(int err)
{
	const char *n = fixedbar_errname(err);

	return err ? (n ? n : "E?") : "0";
}

static bool check_feasible(const struct fixedbar_gen_case *c,
			   struct fixedbar_plan *p, char *why, size_t len)
{
	char vmsg[FIXEDBAR_MSG_LEN];
	struct fixedbar_plan again;
	const char *bad;
	bool same;
	u32 i;
	int ret;

	if (p->err) {
		snprintf(why, len, "plan failed with %s: %s", errname(p->err),
			 p->message);
		return false;
	}
	ret = fixedbar_validate(&c->topo, p, vmsg, sizeof(vmsg));
	if (ret) {
		snprintf(why, len, "plan fails validation: %s", vmsg);
		return false;
	}
	for (i = 0; i < p->nr_warnings; i++) {
		bad = bad_message(p->warnings[i]);
		if (bad) {
			snprintf(why, len, "warning %u: %s: '%s'", i, bad,
				 p->warnings[i]);
			return false;
		}
	}
	memset(&again, 0, sizeof(again));
	fixedbar_plan(&c->topo, &again);
	same = same_plan(p, &again);
	fixedbar_plan_free(&again);
	if (!same)
		snprintf(why, len, "a second plan of the same topology differs");
	return same;
}

static bool names_culprit(const struct fixedbar_gen_case *c,
			  const struct fixedbar_plan *p)
{
	u32 i, j;

	for (i = 0; i < p->nr_err_entries; i++)
		for (j = 0; j < c->nr_culprits; j++)
			if (p->err_entries[i] == c->culprits[j])
				return true;
	return false;
}

static bool check_infeasible(const struct fixedbar_gen_case *c,
			     struct fixedbar_plan *p, char *why, size_t len)
{
	struct fixedbar_plan again;
	const char *bad;
	bool same;
	u32 i;

	if (p->err != c->expect) {
		snprintf(why, len, "got %s, want %s: %s", errname(p->err),
			 errname(c->expect),
			 p->err ? p->message : "(a plan)");
		return false;
	}
	bad = bad_message(p->message);
	if (bad) {
		snprintf(why, len, "%s: '%s'", bad, p->message);
		return false;
	}
	for (i = 0; i < p->nr_err_entries; i++) {
		if (p->err_entries[i] >= c->topo.nr_entries) {
			snprintf(why, len, "err_entries[%u] = %u out of range",
				 i, p->err_entries[i]);
			return false;
		}
	}
	if (c->nr_culprits && !names_culprit(c, p)) {
		snprintf(why, len,
			 "names %u entries, none of the %u involved: %s",
			 p->nr_err_entries, c->nr_culprits, p->message);
		return false;
	}
	memset(&again, 0, sizeof(again));
	fixedbar_plan(&c->topo, &again);
	same = same_plan(p, &again);
	fixedbar_plan_free(&again);
	if (!same)
		snprintf(why, len, "a second plan of the same topology differs");
	return same;
}

/* Copies @from's subtree of @dev below @parent in @to, depth first. */
static void copy_subtree(const struct fixedbar_topo *from, int dev,
			 struct fixedbar_topo *to, int parent)
{
	int idx, c;

	for (; dev >= 0; dev = from->devs[dev].next_sibling) {
		idx = fixedbar_topo_add_dev(to, parent, from->devs[dev].devfn);
		if (idx < 0)
			abort();
		to->devs[idx].has_id = from->devs[dev].has_id;
		to->devs[idx].vendor = from->devs[dev].vendor;
		to->devs[idx].device = from->devs[dev].device;
		to->devs[idx].pinned = from->devs[dev].pinned;
		to->devs[idx].is_bridge = from->devs[dev].is_bridge;
		to->devs[idx].br = from->devs[dev].br;
		memcpy(to->devs[idx].bars, from->devs[dev].bars,
		       sizeof(to->devs[idx].bars));
		c = from->devs[dev].first_child;
		if (c >= 0)
			copy_subtree(from, c, to, idx);
	}
}

/*
 * The same topology with its devices in depth-first order, as a JSON
 * loader builds it: the plan should not depend on the order.
 */
static int plan_dfs_copy(const struct fixedbar_topo *t, char *msg, size_t len)
{
	struct fixedbar_topo copy;
	struct fixedbar_plan p;
	u32 i;
	int ret;

	fixedbar_topo_init(&copy);
	copy.segment = t->segment;
	copy.root_bus = t->root_bus;
	copy.nr_apertures = t->nr_apertures;
	memcpy(copy.apertures, t->apertures, sizeof(copy.apertures));
	copy_subtree(t, t->first_root, &copy, -1);
	for (i = 0; i < t->nr_entries; i++)
		fixedbar_topo_add_entry(&copy, &t->entries[i], NULL, 0);
	memset(&p, 0, sizeof(p));
	ret = fixedbar_plan(&copy, &p);
	snprintf(msg, len, "%s", p.message);
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&copy);
	return ret;
}

static void dump(const struct fixedbar_gen_case *c,
		 const struct fixedbar_plan *p, bool layout)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_buf b;
	int ret;

	fixedbar_buf_init(&b);
	if (!fixedbar_emit_topo(&b, &c->topo))
		printf("%s\n", b.data);
	fixedbar_buf_free(&b);
	fprintf(stderr, "seed %" PRIu64 ": %s, want %s; %s\n", c->seed,
		fixedbar_gen_kind_name(c->kind), errname(c->expect), c->note);
	fixedbar_buf_init(&b);
	if (!fixedbar_emit_plan(&b, &c->topo, p))
		fprintf(stderr, "planner:\n%s\n", b.data);
	fixedbar_buf_free(&b);
	ret = plan_dfs_copy(&c->topo, msg, sizeof(msg));
	fprintf(stderr, "depth-first copy: %s%s%s\n", errname(ret),
		ret ? ": " : "", ret ? msg : "");
	if (layout && c->has_layout) {
		fixedbar_buf_init(&b);
		if (!fixedbar_emit_plan(&b, &c->topo, &c->layout))
			fprintf(stderr, "witness layout:\n%s\n", b.data);
		fixedbar_buf_free(&b);
	}
}

static void record(int bucket, bool pass, u64 seed, const char *kind,
		   u32 nr_devs, const char *why)
{
	int gap = known_gap(seed);

	buckets[bucket].run++;
	if (gap >= 0) {
		gap_result[gap].run = true;
		gap_result[gap].pass = pass;
		snprintf(gap_result[gap].why, sizeof(gap_result[gap].why),
			 "%s", pass ? "" : why);
		buckets[bucket].known += !pass;
		return;
	}
	if (pass)
		return;
	buckets[bucket].failed++;
	if (!dumping && reported++ < max_reported)
		diag("seed %" PRIu64 " (%s, %u devices): %s", seed, kind,
		     nr_devs, why);
}

/* Runs one case; returns false when it failed. */
static bool run_case(u64 seed, int only, bool layout)
{
	struct fixedbar_gen_case c;
	struct fixedbar_plan p;
	char why[FIXEDBAR_MSG_LEN + 256], gmsg[FIXEDBAR_MSG_LEN + 64];
	struct fixedbar_gen_params par = { 0 };
	enum fixedbar_gen_kind kind;
	struct timespec t0, t1;
	bool pass;
	double ms;
	int ret;

	kind = case_kind(seed, &par.nr_devs);
	par.kernel_routing = kernel_routing;
	if (only >= 0 && (int)kind != only)
		return true;
	ret = fixedbar_gen(&c, kind, seed, &par, gmsg, sizeof(gmsg));
	if (ret) {
		record(bucket_of(&c), false, seed, fixedbar_gen_kind_name(kind),
		       c.topo.nr_devs, gmsg);
		fixedbar_gen_free(&c);
		return false;
	}
	memset(&p, 0, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fixedbar_plan(&c.topo, &p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	if (ms > slowest.ms) {
		slowest.ms = ms;
		slowest.seed = seed;
	}
	if (kind == FIXEDBAR_GEN_FEASIBLE)
		pass = check_feasible(&c, &p, why, sizeof(why));
	else
		pass = check_infeasible(&c, &p, why, sizeof(why));
	if (dumping)
		dump(&c, &p, layout);
	if (!pass && dumping)
		fprintf(stderr, "FAIL: %s\n", why);
	else if (dumping)
		fprintf(stderr, "ok\n");
	record(bucket_of(&c), pass, seed, fixedbar_gen_kind_name(kind),
	       c.topo.nr_devs, why);
	fixedbar_plan_free(&p);
	fixedbar_gen_free(&c);
	return pass;
}

static int kind_from_name(const char *name)
{
	int k;

	for (k = 0; k < FIXEDBAR_GEN_NR_KINDS; k++)
		if (!strcmp(name, fixedbar_gen_kind_name(k)))
			return k;
	return -2;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: test_random [--count N] [--seed S] [--kind NAME] [--kernel-routing|--any-routing] [--report N] [--dump [--layout]]\n"
		"  --count N   cases to run (default %d, env FIXEDBAR_RANDOM_COUNT)\n"
		"  --seed S    seed of the first case (default %d, env FIXEDBAR_RANDOM_SEED)\n"
		"  --kind NAME only cases of this kind (feasible, interleave, ...)\n"
		"  --dump      print each case's topology JSON on stdout, no TAP\n"
		"  --layout    with --dump, also the generator's witness layout\n"
		"  --kernel-routing  only the corpus whose witnesses route prefetchable\n"
		"              BARs as the kernel does (default: both corpora)\n"
		"  --any-routing     only the corpus with any valid routing\n"
		"  --report N  show the first N failures (default %d)\n",
		DEFAULT_COUNT, DEFAULT_SEED, MAX_REPORTED);
}

static int run_corpus(u64 count, u64 seed, int only, bool layout);

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "dump", no_argument, NULL, 'd' },
		{ "layout", no_argument, NULL, 'l' },
		{ "kernel-routing", no_argument, NULL, 'r' },
		{ "any-routing", no_argument, NULL, 'a' },
		{ "report", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env;
	u64 count = DEFAULT_COUNT, seed = DEFAULT_SEED;
	bool layout = false;
	int only = -1, opt, modes = 3;

	env = getenv("FIXEDBAR_RANDOM_COUNT");
	if (env && *env)
		count = strtoull(env, NULL, 0);
	env = getenv("FIXEDBAR_RANDOM_SEED");
	if (env && *env)
		seed = strtoull(env, NULL, 0);
	while ((opt = getopt_long(argc, argv, "n:s:k:dlraR:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'k':
			only = kind_from_name(optarg);
			if (only < -1) {
				fprintf(stderr, "test_random: unknown kind '%s'\n",
					optarg);
				return 1;
			}
			break;
		case 'd':
			dumping = true;
			break;
		case 'l':
			layout = true;
			break;
		case 'r':
			modes = 2;
			break;
		case 'a':
			modes = 1;
			break;
		case 'R':
			max_reported = (u32)strtoul(optarg, NULL, 0);
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 1;
		}
	}

	if (dumping || modes != 3) {
		int ret;

		kernel_routing = modes == 2;
		ret = run_corpus(count, seed, only, layout);
		return dumping ? ret : done_testing();
	}
	/* by default both corpora: witnesses routed as the kernel does, and any valid routing */
	kernel_routing = true;
	run_corpus(count, seed, only, layout);
	memset(buckets, 0, sizeof(buckets));
	reported = 0;
	slowest.ms = 0;
	kernel_routing = false;
	run_corpus(count, seed, only, layout);
	return done_testing();
}

static int run_corpus(u64 count, u64 seed, int only, bool layout)
{
	bool all_pass = true;
	struct timespec t0, t1;
	const char *mode = kernel_routing ? "kernel routing" : "any routing";
	size_t g;
	u64 i;
	int b;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++)
		all_pass &= run_case(seed + i, only, layout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (dumping)
		return all_pass ? 0 : 1;

	diag("%s: %" PRIu64 " cases from seed %" PRIu64 " in %.2f s", mode,
	     count, seed,
	     (double)(t1.tv_sec - t0.tv_sec) +
		     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	/* a figure, not a check: timing depends on the host */
	diag("slowest plan: seed %" PRIu64 ", %.1f ms", slowest.seed,
	     slowest.ms);
	if (reported > max_reported)
		diag("%u more failures not shown", reported - max_reported);
	for (b = 0; b < NR_BUCKETS; b++) {
		const struct bucket *k = &buckets[b];
		const char *name = b < NR_SIZE_BUCKETS ?
			size_names[b] :
			fixedbar_gen_kind_name(b - NR_SIZE_BUCKETS + 1);

		if (b < NR_SIZE_BUCKETS)
			ok(!k->failed,
			   "%s, feasible, %s: %u of %u planned and valid%s",
			   mode, name, k->run - k->failed - k->known, k->run,
			   k->known ? " (the others: known gaps, below)" : "");
		else
			ok(!k->failed, "%s, infeasible, %s (%s): %u of %u as expected",
			   mode, name,
			   errname(fixedbar_gen_kind_errno(b - NR_SIZE_BUCKETS + 1)),
			   k->run - k->failed, k->run);
	}
	for (g = 0; !kernel_routing && g < sizeof(known_gaps) / sizeof(known_gaps[0]); g++) {
		if (gap_result[g].run)
			todo(gap_result[g].pass, "known planner gap",
			     "any routing, seed %" PRIu64 ": %s", known_gaps[g],
			     gap_result[g].pass ? "now solved" : gap_result[g].why);
	}
	return 0;
}
