// SPDX-License-Identifier: GPL-2.0
/*
 * Routing of prefetchable memory: which window of its bridge (memory or
 * prefetchable) each fixed prefetchable BAR and each child window takes.
 * Every bridge's workable routings are the cuts of its exact BARs by
 * address (fixedbar_cuts_build()); fixedbar_choose_routes() takes each
 * bridge's ranked split.
 */
#include "plan_internal.h"

/* ---- routing of fixed prefetchable BARs ---- */

enum { FB_PT_MEM, FB_PT_PREF, FB_PT_FLEX };

struct fb_point {
	u64 lo, hi;
	int kind;
	int dev, slot;
	int side; /* chosen window */
};

static int fb_cmp_point(const void *a, const void *b)
{
	const struct fb_point *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->slot - y->slot;
}

static int fb_default_side(const struct fb_ctx *c, int dev, int slot)
{
	const struct fixedbar_bar *b;
	const struct fixedbar_bridge *br =
		&fb_dev(c, fb_dev(c, dev)->parent)->br;

	if (slot < 0) /* a child's prefetchable window */
		return fixedbar_default_win_side(c, dev);
	b = &fb_dev(c, dev)->bars[slot];
	return br->pref64 && !b->mem64 ? FIXEDBAR_WIN_MEM : FIXEDBAR_WIN_PREF;
}

/* Where a BAR must stay: fixed by an entry, or pinned where it is. */
static bool fb_exact_addr(const struct fb_ctx *c, int dev, int slot, u64 *addr)
{
	const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];

	if (slot < 6 && (c->fixed[dev].mask & (1u << slot))) {
		*addr = c->fixed[dev].addr[slot];
		return true;
	}
	if (!b->cur.assigned || !(fb_dev(c, dev)->pinned || b->pinned))
		return false;
	*addr = b->cur.start;
	return true;
}

struct fb_obstacles {
	u64 (*r)[3]; /* lo, hi, device */
	int n;
};

/*
 * Exact BARs outside bridge @b that one of its windows would cover: every
 * one of them sits on a bus above or beside @b, where @b's windows (or its
 * ancestors' around them) must not overlap it.
 */
static int fb_obstacle_cost(const struct fb_ctx *c,
			    const struct fb_obstacles *ob, int b, u64 lo,
			    u64 hi)
{
	int i, cost = 0;

	for (i = 0; i < ob->n; i++) {
		int d = (int)ob->r[i][2];

		if (fb_in_subtree(c, d, b))
			continue;
		if ((ob->r[i][0] >> 20) <= (hi >> 20) &&
		    (ob->r[i][1] >> 20) >= (lo >> 20))
			cost += 100;
	}
	return cost;
}

/* A window must fit one host bridge aperture it may use. */
static int fb_aperture_cost(const struct fb_ctx *c, int win, u64 lo, u64 hi)
{
	return fixedbar_in_aperture(c, FIXEDBAR_RES_MEM,
				    win == FIXEDBAR_WIN_MEM, lo, hi) ?
		       0 :
		       1000;
}

/* Cost of the split, or -1 when the two windows would overlap. */
static int fb_split_cost(const struct fb_ctx *c, const struct fb_obstacles *ob,
			 int b, const struct fb_point *pt, int n, int s,
			 int left)
{
	u64 llo = ~0ULL, lhi = 0, rlo = ~0ULL, rhi = 0;
	int i, cost = 0, pref_low = 0, pref_high = 0;

	for (i = 0; i < n; i++) {
		int side = i < s ? left :
				   FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF - left;

		if ((pt[i].kind == FB_PT_MEM && side != FIXEDBAR_WIN_MEM) ||
		    (pt[i].kind == FB_PT_PREF && side != FIXEDBAR_WIN_PREF))
			return -1;
		if (pt[i].kind == FB_PT_FLEX &&
		    side != fb_default_side(c, pt[i].dev, pt[i].slot))
			cost++;
		if (side == FIXEDBAR_WIN_PREF && pt[i].hi >= FIXEDBAR_4G)
			pref_high = 1;
		else if (side == FIXEDBAR_WIN_PREF)
			pref_low = 1;
		if (i < s) {
			llo = pt[i].lo < llo ? pt[i].lo : llo;
			lhi = pt[i].hi > lhi ? pt[i].hi : lhi;
		} else {
			rlo = pt[i].lo < rlo ? pt[i].lo : rlo;
			rhi = pt[i].hi > rhi ? pt[i].hi : rhi;
		}
	}
	if (s > 0 && s < n && (lhi >> 20) >= (rlo >> 20))
		return -1;
	if (s > 0)
		cost += fb_obstacle_cost(c, ob, b, llo, lhi) +
			fb_aperture_cost(c, left, llo, lhi);
	if (s < n)
		cost += fb_obstacle_cost(c, ob, b, rlo, rhi) +
			fb_aperture_cost(c,
					 FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF -
						 left,
					 rlo, rhi);
	/* a prefetchable window across 4 GiB rarely fits one aperture */
	return cost + (pref_low && pref_high ? 1000 : 0);
}

static void fb_hull_add(u64 *h, bool *valid, u64 lo, u64 hi)
{
	if (!*valid || lo < h[0])
		h[0] = lo;
	if (!*valid || hi > h[1])
		h[1] = hi;
	*valid = true;
}

static int fb_route_points(struct fb_ctx *c, int b, struct fb_point *pt,
			   u64 (*hull)[2][2], bool (*hv)[2])
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	int d, s, n = 0;

	for (d = fb_dev(c, b)->first_child; d >= 0;
	     d = fb_dev(c, d)->next_sibling) {
		const struct fixedbar_dev *dv = fb_dev(c, d);

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *bar = &dv->bars[s];
			u64 lo;

			if (!bar->present || bar->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			pt[n] = (struct fb_point){
				lo,	    lo + fixedbar_bar_span(bar) - 1,
				FB_PT_FLEX, d,
				s,	    0
			};
			if (!bar->pref || !br->pref)
				pt[n].kind = FB_PT_MEM;
			else if (pt[n].hi >= FIXEDBAR_4G ||
				 !fixedbar_in_aperture(c, FIXEDBAR_RES_MEM,
						       true, lo, pt[n].hi))
				pt[n].kind = FB_PT_PREF;
			n++;
		}
		if (!dv->is_bridge)
			continue;
		if (hv[d][0])
			pt[n++] = (struct fb_point){ hull[d][0][0],
						     hull[d][0][1],
						     FB_PT_MEM,
						     d,
						     -2,
						     0 };
		if (hv[d][1])
			pt[n++] = (struct fb_point){
				hull[d][1][0],
				hull[d][1][1],
				!br->pref ? FB_PT_MEM :
				hull[d][1][1] >= FIXEDBAR_4G ||
						!fixedbar_in_aperture(c,
								      FIXEDBAR_RES_MEM,
								      true,
								      hull[d][1]
									  [0],
								      hull[d][1]
									  [1]) ?
					    FB_PT_PREF :
					    FB_PT_FLEX,
				d,
				-1,
				0
			};
	}
	return n;
}

/* A split of a bridge's points: the first @s go to window @left. */
struct fb_split_pick {
	int cost; /* < 0: no such split */
	int s, left;
};

/* The cheapest split after @prev in the order of cost, then position. */
static struct fb_split_pick fb_next_split(const struct fb_ctx *c,
					  const struct fb_obstacles *ob, int b,
					  const struct fb_point *pt, int n,
					  const struct fb_split_pick *prev)
{
	struct fb_split_pick found = { -1, 0, 0 };
	int s, left, pkey = prev->left * (n + 1) + prev->s;

	for (left = FIXEDBAR_WIN_MEM; left <= FIXEDBAR_WIN_PREF; left++) {
		for (s = 0; s <= n; s++) {
			int cost = fb_split_cost(c, ob, b, pt, n, s, left);
			int key = left * (n + 1) + s;

			if ((left == FIXEDBAR_WIN_PREF && (s == 0 || s == n)) ||
			    cost < 0 || cost < prev->cost ||
			    (cost == prev->cost && key <= pkey))
				continue;
			if (found.cost < 0 || cost < found.cost)
				found = (struct fb_split_pick){ cost, s, left };
		}
	}
	return found;
}

/* How many valid splits bridge @b has (at most 255); notes a clamped rank. */
static void fb_count_splits(struct fb_ctx *c, const struct fb_obstacles *ob,
			    int b, const struct fb_point *pt, int n)
{
	int s, left, count = 0;

	for (left = FIXEDBAR_WIN_MEM; left <= FIXEDBAR_WIN_PREF; left++)
		for (s = 0; s <= n; s++)
			if (!(left == FIXEDBAR_WIN_PREF &&
			      (s == 0 || s == n)) &&
			    fb_split_cost(c, ob, b, pt, n, s, left) >= 0 &&
			    count < 255)
				count++;
	c->nsplits[b] = count;
	if (count > c->nsplits_max[b])
		c->nsplits_max[b] = count;
	/* past the last split, the last one is used: a routing seen before */
	if (c->rank[b] && c->rank[b] >= count)
		c->clamped = true;
}

/* Routes bridge @b's points by split @sp (none: each its default side). */
static void fb_route_split(struct fb_ctx *c, int b, const struct fb_point *pt,
			   int n, const struct fb_split_pick *sp,
			   u64 (*hull)[2][2], bool (*hv)[2])
{
	int i;

	for (i = 0; i < n; i++) {
		int side = pt[i].kind == FB_PT_MEM  ? FIXEDBAR_WIN_MEM :
			   pt[i].kind == FB_PT_PREF ? FIXEDBAR_WIN_PREF :
			   sp->cost < 0 ? fb_default_side(c, pt[i].dev,
							  pt[i].slot) :
			   i < sp->s	? sp->left :
					  FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF -
					       sp->left;

		if (pt[i].slot >= 0)
			c->route[pt[i].dev][pt[i].slot] = side;
		else if (pt[i].slot == -1)
			c->wroute[pt[i].dev] = side;
		fb_hull_add(hull[b][side == FIXEDBAR_WIN_PREF],
			    &hv[b][side == FIXEDBAR_WIN_PREF], pt[i].lo,
			    pt[i].hi);
	}
}

/*
 * Picks, for bridge @b, the window of each flexible fixed BAR: the splits
 * in order of cost (then position), the rank-th one.  A retry after a
 * failed placement raises the rank of the bridge that failed.
 */
static void fb_route_bridge(struct fb_ctx *c, const struct fb_obstacles *ob,
			    int b, struct fb_point *pt, u64 (*hull)[2][2],
			    bool (*hv)[2])
{
	int n = fb_route_points(c, b, pt, hull, hv);
	struct fb_split_pick prev = { -1, -1, -1 }, pick;
	int r;

	fixedbar_sort(pt, n, sizeof(*pt), fb_cmp_point);
	for (r = 0; r <= c->rank[b]; r++) {
		pick = fb_next_split(c, ob, b, pt, n, &prev);
		if (pick.cost < 0)
			break;
		prev = pick;
	}
	fb_count_splits(c, ob, b, pt, n);
	fb_route_split(c, b, pt, n, &prev, hull, hv);
}

static void fb_obstacles_init(struct fb_ctx *c, struct fb_obstacles *ob)
{
	int d, s;

	ob->n = 0;
	for (d = 0; d < (int)c->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 lo;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			ob->r[ob->n][0] = lo;
			ob->r[ob->n][1] = lo + fixedbar_bar_span(b) - 1;
			ob->r[ob->n][2] = d;
			ob->n++;
		}
	}
}

/*
 * Routing as a search over cuts.  A bridge's memory and prefetchable
 * windows are disjoint, so in address order one of them takes the exact
 * BARs (fixed or pinned) below a cut and the other those above it: a
 * bridge's routing is a cut and the window that takes the low side.  Whether
 * a cut can work is known locally, but for one thing: every window's span
 * keeps clear of each exact BAR that it does not hold (sibling windows and
 * the BARs on every bus above are disjoint, and windows are 1 MiB granular),
 * the memory window stays below 4 GiB, a 32-bit prefetchable window too,
 * each fits an aperture of its kind, and each child bridge has a cut of its
 * own that agrees: its memory window's BARs on this bridge's memory side,
 * its prefetchable window's all on one side.  Computed bottom-up once, this
 * leaves for every bridge exactly the cuts that some complete routing
 * extends, each with the fewest BARs and windows off the kernel's own
 * routing below it.  Top-down, each bridge then takes its rank-th cut among
 * those that agree with its parent's, so the retries below walk only
 * routings that can hold every fixed BAR.
 */
#define FB_CUT_MAX_POINTS 512

static int fb_side_win(int side)
{
	return side ? FIXEDBAR_WIN_PREF : FIXEDBAR_WIN_MEM;
}

static bool fb_strictly_below(const struct fb_ctx *c, int d, int b)
{
	return d != b && fb_in_subtree(c, d, b);
}

/* Can window @side of bridge @b span the exact BARs in [lo, hi]? */
static bool fb_cut_span_ok(const struct fb_ctx *c, const struct fb_cuts *x,
			   int b, int side, u64 lo, u64 hi)
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	u64 glo = fb_align_down(lo, 0x100000), ghi = hi | 0xfffff;
	int i;

	if ((side == 0 || !br->pref64) && ghi >= FIXEDBAR_4G)
		return false;
	if (!fixedbar_in_aperture(c, FIXEDBAR_RES_MEM, side == 0, glo, ghi))
		return false;
	for (i = 0; i < x->npt && x->pt[i].lo <= ghi; i++)
		if (x->pt[i].hi >= glo &&
		    !fb_strictly_below(c, x->pt[i].dev, b))
			return false;
	return true;
}

/* Side of cut @k of bridge @b that holds all of [first, last], or -1. */
static int fb_cut_side_of(const struct fb_cuts *x, int b,
			  const struct fb_cut *k, u64 first, u64 last)
{
	int n = x->num[b];
	u64 a = k->s < (u32)n ? x->pt[x->idx[x->first[b] + k->s]].lo : 0;

	if (k->s == (u32)n || last < a)
		return k->left;
	if (first >= a)
		return !k->left;
	return -1;
}

/*
 * Does cut @o of child bridge @d agree with cut @k of its parent @b?  Returns
 * the cost that taking it adds, or -1.
 */
static int fb_cut_agrees(const struct fb_ctx *c, const struct fb_cuts *x, int b,
			 const struct fb_cut *k, int d, const struct fb_cut *o)
{
	int side, cost = o->cost;

	if (o->cost < 0)
		return -1;
	if (o->has[0] && fb_cut_side_of(x, b, k, o->lo[0], o->last[0]) != 0)
		return -1;
	if (!o->has[1])
		return cost;
	side = fb_cut_side_of(x, b, k, o->lo[1], o->last[1]);
	if (side < 0 || (side == 1 && !fb_dev(c, b)->br.pref))
		return -1;
	if (fb_dev(c, b)->br.pref &&
	    fb_side_win(side) != fixedbar_default_win_side(c, d))
		cost++;
	return cost;
}

/* What the bridge's own exact BARs cost on cut @k's sides, or -1. */
static int fb_cut_own_cost(const struct fb_ctx *c, const struct fb_cuts *x,
			   int b, const struct fb_cut *k)
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	int i, cost = 0;

	for (i = 0; i < x->num[b]; i++) {
		const struct fb_cpt *p = &x->pt[x->idx[x->first[b] + i]];
		const struct fixedbar_bar *bar;
		int side = (u32)i < k->s ? k->left : !k->left;

		if (fb_dev(c, p->dev)->parent != b)
			continue;
		bar = &fb_dev(c, p->dev)->bars[p->slot];
		if (side == 1 && (!bar->pref || !br->pref))
			return -1;
		if (side == 0 && p->hi >= FIXEDBAR_4G)
			return -1;
		if (br->pref &&
		    fb_side_win(side) != fb_default_side(c, p->dev, p->slot))
			cost++;
	}
	return cost;
}

/* What the child bridges with exact BARs cost at best under @k, or -1. */
static int fb_cut_kids_cost(const struct fb_ctx *c, const struct fb_cuts *x,
			    int b, const struct fb_cut *k)
{
	int d, j, cost = 0;

	for (d = fb_dev(c, b)->first_child; d >= 0;
	     d = fb_dev(c, d)->next_sibling) {
		int best = -1;

		if (!fb_dev(c, d)->is_bridge || !x->num[d])
			continue;
		for (j = 0; j < 2 * x->num[d]; j++) {
			int v = fb_cut_agrees(c, x, b, k, d,
					      &x->cut[x->cfirst[d] + j]);

			if (v >= 0 && (best < 0 || v < best))
				best = v;
		}
		if (best < 0)
			return -1;
		cost += best;
	}
	return cost;
}

/* Cost of cut @k of bridge @b given its children's cuts, or -1. */
static int fb_cut_eval(const struct fb_ctx *c, const struct fb_cuts *x, int b,
		       const struct fb_cut *k)
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	int i, cost = 0, own, kids;

	if (!br->pref && (k->left != 0 || k->s != (u32)x->num[b]))
		return -1;
	/*
	 * A prefetchable window that holds exact BARs below 4 GiB stays below
	 * 4 GiB, and so does everything below the bridge: it must fit there.
	 */
	if (k->has[1] && k->hi[1] < FIXEDBAR_4G && x->content[b] > x->low_space)
		return -1;
	for (i = 0; i < 2; i++)
		if (k->has[i] &&
		    !fb_cut_span_ok(c, x, b, i, k->lo[i], k->hi[i]))
			return -1;
	/*
	 * The kernel puts a 64-bit prefetchable window above 4 GiB when it can;
	 * holding exact BARs below 4 GiB keeps it there, and each movable
	 * 64-bit prefetchable BAR below the bridge departs from its place.
	 */
	if (k->has[1] && k->hi[1] < FIXEDBAR_4G && br->pref64 && x->high)
		cost += x->mov64[b];
	own = fb_cut_own_cost(c, x, b, k);
	if (own < 0)
		return -1;
	kids = fb_cut_kids_cost(c, x, b, k);
	if (kids < 0)
		return -1;
	return cost + own + kids;
}

/* All cuts of bridge @b, its children's done. */
static void fb_cuts_bridge(const struct fb_ctx *c, struct fb_cuts *x, int b)
{
	int n = x->num[b], i, j = 0;
	const struct fb_cpt *p0 = &x->pt[x->idx[x->first[b]]];
	u64 prehi = 0;

	x->sufhi[n] = 0;
	for (i = n - 1; i >= 0; i--) {
		u64 h = x->pt[x->idx[x->first[b] + i]].hi;

		x->sufhi[i] = h > x->sufhi[i + 1] ? h : x->sufhi[i + 1];
	}
	for (i = 0; i <= n; i++) {
		const struct fb_cpt *ps = NULL, *pl = NULL;
		int left;

		if (i < n)
			ps = &x->pt[x->idx[x->first[b] + i]];
		if (i) {
			pl = &x->pt[x->idx[x->first[b] + i - 1]];
			if (pl->hi > prehi)
				prehi = pl->hi;
		}
		for (left = 0; left < 2; left++) {
			struct fb_cut *k = &x->cut[x->cfirst[b] + j];
			const struct fb_cpt *pe =
				&x->pt[x->idx[x->first[b] + n - 1]];

			/* all on one side: counted once, as the memory side's */
			if (left && (i == 0 || i == n))
				continue;
			memset(k, 0, sizeof(*k));
			k->s = i;
			k->left = left;
			j++;
			if (i && i < n && (prehi >> 20) >= (ps->lo >> 20)) {
				k->cost = -1; /* one granule, two windows */
				continue;
			}
			if (i) {
				k->has[left] = true;
				k->lo[left] = p0->lo;
				k->last[left] = pl->lo;
				k->hi[left] = prehi;
			}
			if (i < n) {
				k->has[!left] = true;
				k->lo[!left] = ps->lo;
				k->last[!left] = pe->lo;
				k->hi[!left] = x->sufhi[i];
			}
			k->cost = fb_cut_eval(c, x, b, k);
		}
	}
}

void fixedbar_cuts_free(struct fb_cuts *x)
{
	fixedbar_free(x->pt);
	fixedbar_free(x->first);
	fixedbar_free(x->num);
	fixedbar_free(x->idx);
	fixedbar_free(x->cfirst);
	fixedbar_free(x->cut);
	fixedbar_free(x->chosen);
	fixedbar_free(x->sufhi);
	fixedbar_free(x->content);
	fixedbar_free(x->mov64);
	memset(x, 0, sizeof(*x));
}

static int fb_cmp_cpt(const void *a, const void *b)
{
	const struct fb_cpt *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/*
 * Computes every bridge's cuts.  Returns 0, -ENOMEM, or -ERANGE when the
 * cuts cannot help: too many exact BARs, or a root-bus bridge without one
 * that works (no routing can hold the fixed BARs; the routing by cost then
 * leads to the error that says why).
 */
/* The per-device arrays, and the memory space the apertures offer. */
static int fb_cuts_alloc(struct fb_ctx *c, struct fb_cuts *x)
{
	u32 n = c->t->nr_devs;
	int i;

	memset(x, 0, sizeof(*x));
	x->pt = fixedbar_zalloc((n * FIXEDBAR_NR_SLOTS + 1) * sizeof(*x->pt));
	x->first = fixedbar_zalloc((n + 1) * sizeof(int));
	x->num = fixedbar_zalloc((n + 1) * sizeof(int));
	x->cfirst = fixedbar_zalloc((n + 1) * sizeof(int));
	x->chosen = fixedbar_zalloc((n + 1) * sizeof(int));
	x->content = fixedbar_zalloc((n + 1) * sizeof(u64));
	x->mov64 = fixedbar_zalloc((n + 1) * sizeof(u32));
	if (!x->pt || !x->first || !x->num || !x->cfirst || !x->chosen ||
	    !x->content || !x->mov64)
		return -ENOMEM;
	for (i = 0; i < (int)c->t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &c->t->apertures[i];

		if (a->type == FIXEDBAR_RES_MEM && a->end >= FIXEDBAR_4G)
			x->high = true;
		if (a->type == FIXEDBAR_RES_MEM && a->start < FIXEDBAR_4G)
			x->low_space += (a->end < FIXEDBAR_4G ?
						 a->end :
						 FIXEDBAR_4G - 1) -
					a->start + 1;
	}
	return 0;
}

/* What each bridge's windows must hold: required memory BARs (no ROMs). */
static void fb_cuts_content(struct fb_ctx *c, struct fb_cuts *x)
{
	int d, s;

	for (d = 0; d < (int)c->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 span = fixedbar_bar_span(b), lo;
			bool m64;
			int a;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT)
				continue;
			m64 = b->mem64 && b->pref &&
			      !fb_exact_addr(c, d, s, &lo);
			for (a = fb_dev(c, d)->parent; a >= 0;
			     a = fb_dev(c, a)->parent) {
				x->content[a] = x->content[a] + span < span ?
							~0ULL :
							x->content[a] + span;
				x->mov64[a] += m64;
			}
		}
	}
}

/* The exact memory BARs, by address; root-bus ones only as obstacles. */
static void fb_cuts_points(struct fb_ctx *c, struct fb_cuts *x)
{
	int d, s;

	for (d = 0; d < (int)c->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 lo;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			x->pt[x->npt++] = (struct fb_cpt){
				lo, lo + fixedbar_bar_span(b) - 1, d, s
			};
		}
	}
	fixedbar_sort(x->pt, x->npt, sizeof(*x->pt), fb_cmp_cpt);
}

/* Each point counts for every bridge above it: index them per bridge. */
static int fb_cuts_index(struct fb_ctx *c, struct fb_cuts *x)
{
	int d, i, total = 0, ncut = 0, maxn = 0;

	for (i = 0; i < x->npt; i++)
		for (d = fb_dev(c, x->pt[i].dev)->parent; d >= 0;
		     d = fb_dev(c, d)->parent)
			x->num[d]++;
	for (d = 0; d < (int)c->t->nr_devs; d++) {
		if (x->num[d] > FB_CUT_MAX_POINTS)
			return -ERANGE;
		x->first[d] = total;
		total += x->num[d];
		x->cfirst[d] = ncut;
		ncut += 2 * x->num[d];
		if (x->num[d] > maxn)
			maxn = x->num[d];
		x->num[d] = 0;
	}
	x->idx = fixedbar_zalloc((total + 1) * sizeof(int));
	x->cut = fixedbar_zalloc((ncut + 1) * sizeof(*x->cut));
	x->sufhi = fixedbar_zalloc((maxn + 2) * sizeof(u64));
	if (!x->idx || !x->cut || !x->sufhi)
		return -ENOMEM;
	for (i = 0; i < x->npt; i++)
		for (d = fb_dev(c, x->pt[i].dev)->parent; d >= 0;
		     d = fb_dev(c, d)->parent)
			x->idx[x->first[d] + x->num[d]++] = i;
	return 0;
}

static int fb_cuts_build(struct fb_ctx *c, struct fb_cuts *x)
{
	int d, i, err;

	err = fb_cuts_alloc(c, x);
	if (err)
		return err;
	fb_cuts_content(c, x);
	fb_cuts_points(c, x);
	err = fb_cuts_index(c, x);
	if (err)
		return err;
	/* children come after their parents: bottom-up is backwards */
	for (d = (int)c->t->nr_devs - 1; d >= 0; d--) {
		bool any = false;

		x->chosen[d] = -1;
		if (!fb_dev(c, d)->is_bridge || !x->num[d])
			continue;
		fb_cuts_bridge(c, x, d);
		for (i = 0; i < 2 * x->num[d]; i++)
			any |= x->cut[x->cfirst[d] + i].cost >= 0;
		if (!any && fb_dev(c, d)->parent < 0)
			return -ERANGE;
	}
	return 0;
}

/* The rank-th cut of bridge @b (by cost, then order) that agrees with its parent. */
static void fb_cuts_choose(struct fb_ctx *c, struct fb_cuts *x, int b)
{
	int p = fb_dev(c, b)->parent, m = 2 * x->num[b], r, j, count = 0;
	int prev = -1, prevj = -1, pick = -1;
	const struct fb_cut *pk = NULL;

	if (p >= 0 && x->chosen[p] >= 0)
		pk = &x->cut[x->cfirst[p] + x->chosen[p]];
	for (j = 0; j < m; j++) {
		const struct fb_cut *k = &x->cut[x->cfirst[b] + j];

		if ((pk ? fb_cut_agrees(c, x, p, pk, b, k) : k->cost) >= 0 &&
		    count < 255)
			count++;
	}
	for (r = 0; r <= c->rank[b] && r < count; r++) {
		int best = -1, bestj = -1;

		for (j = 0; j < m; j++) {
			const struct fb_cut *k = &x->cut[x->cfirst[b] + j];
			int v = pk ? fb_cut_agrees(c, x, p, pk, b, k) : k->cost;

			if (v < 0 || v < prev || (v == prev && j <= prevj))
				continue;
			if (best < 0 || v < best) {
				best = v;
				bestj = j;
			}
		}
		prev = best;
		prevj = pick = bestj;
	}
	c->nsplits[b] = count;
	if (count > c->nsplits_max[b])
		c->nsplits_max[b] = count;
	if (c->rank[b] && c->rank[b] >= count)
		c->clamped = true;
	x->chosen[b] = pick;
}

/* Routes every exact BAR and window along the chosen cuts; parents first. */
static void fb_cuts_route(struct fb_ctx *c, struct fb_cuts *x)
{
	int b, i;

	c->clamped = false;
	for (b = 0; b < (int)c->t->nr_devs; b++) {
		const struct fb_cut *k;
		int p = fb_dev(c, b)->parent;

		if (!fb_dev(c, b)->is_bridge || !x->num[b]) {
			if (fb_dev(c, b)->is_bridge) {
				c->nsplits[b] = 1;
				if (!c->nsplits_max[b])
					c->nsplits_max[b] = 1;
			}
			continue;
		}
		fb_cuts_choose(c, x, b);
		if (x->chosen[b] < 0)
			continue; /* cannot happen: the parent's cut agrees with one */
		k = &x->cut[x->cfirst[b] + x->chosen[b]];
		for (i = 0; i < x->num[b]; i++) {
			const struct fb_cpt *pt =
				&x->pt[x->idx[x->first[b] + i]];

			if (fb_dev(c, pt->dev)->parent == b)
				c->route[pt->dev][pt->slot] = fb_side_win(
					(u32)i < k->s ? k->left : !k->left);
		}
		if (p >= 0 && k->has[1] && x->chosen[p] >= 0 &&
		    fb_dev(c, p)->br.pref)
			c->wroute[b] = fb_side_win(
				fb_cut_side_of(x, p,
					       &x->cut[x->cfirst[p] +
						       x->chosen[p]],
					       k->lo[1], k->last[1]));
	}
}

/*
 * A prefetchable BAR below 4 GiB may sit in its bridge's memory window or in
 * its prefetchable window.  For fixed ones the choice matters: the two
 * windows of a bridge must not overlap, so pick, bridge by bridge from the
 * bottom up, the split of fixed addresses that keeps them apart and stays
 * closest to the kernel's own routing.
 */
static int fb_choose_routes_by_cost(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs;
	u64(*hull)[2][2] = fixedbar_zalloc(n * sizeof(*hull) + 1);
	bool(*hv)[2] = fixedbar_zalloc(n * sizeof(*hv) + 1);
	struct fb_point *pt = fixedbar_zalloc((n * 16 + 16) * sizeof(*pt));
	struct fb_obstacles ob;
	int b;

	ob.r = fixedbar_zalloc((n * FIXEDBAR_NR_SLOTS + 1) * sizeof(*ob.r));
	if (!hull || !hv || !pt || !ob.r) {
		fixedbar_free(ob.r);
		fixedbar_free(hull);
		fixedbar_free(hv);
		fixedbar_free(pt);
		return -ENOMEM;
	}
	fb_obstacles_init(c, &ob);
	c->clamped = false;
	for (b = (int)n - 1; b >= 0; b--)
		if (fb_dev(c, b)->is_bridge)
			fb_route_bridge(c, &ob, b, pt, hull, hv);
	fixedbar_free(ob.r);
	fixedbar_free(hull);
	fixedbar_free(hv);
	fixedbar_free(pt);
	return 0;
}

/*
 * Routes along the workable cuts when there are any; otherwise no routing
 * holds every fixed BAR (or there are too many exact BARs to search), and
 * the routing by cost leads to the error that says why.
 */
int fixedbar_choose_routes(struct fb_ctx *c)
{
	int err;

	if (!c->cuts_state) {
		err = fb_cuts_build(c, &c->cuts);
		if (err == -ENOMEM)
			return err;
		c->cuts_state = err ? -1 : 1;
		if (err)
			fixedbar_cuts_free(&c->cuts);
	}
	if (c->cuts_state < 0)
		return fb_choose_routes_by_cost(c);
	fb_cuts_route(c, &c->cuts);
	return 0;
}
