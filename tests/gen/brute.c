// SPDX-License-Identifier: GPL-2.0
/*
 * An exhaustive solver for tiny topologies (see brute.h).  It shares
 * nothing with plan.c; its witnesses go through fixedbar_validate().
 *
 * Method.  Memory windows are 1 MiB aligned and sized, so a window extent
 * is a run of 1 MiB granules of one aperture (every window lies inside one
 * aperture, through its ancestors).  Bottom-up, every bridge gets the list
 * of its feasible (memory window, prefetchable window) extent pairs that
 * are minimal by inclusion ("options"; a disabled window is the empty
 * extent).  Minimal pairs are enough: a parent can always shrink a child's
 * windows to a minimal feasible pair inside them, since that keeps them
 * inside the parent's windows and apart from their siblings.
 *
 * A bridge's options come from every routing of what may go to either of
 * its windows (its prefetchable BARs, its children's prefetchable windows).
 * Once routed, the two windows hold disjoint contents and are independent,
 * except for a child whose memory window and prefetchable window end up in
 * different windows of ours: its memory window extent is enumerated, and
 * its prefetchable window keeps the options that go with it.  For one
 * content, the minimal extents of a window in an aperture form a staircase
 * (the least end for each start, non-decreasing), found by a two-pointer
 * walk with the monotone check "does this content fit in [lo, hi]".
 *
 * That check, fits(), takes regions (the apertures at the root, or a
 * bridge's windows) and a content: BARs, fixed or movable, and child
 * bridges, each with a list of choices of window extents.  It tries every
 * combination of children's choices (depth first, pruned by overlaps,
 * remembering failed states: the rest only depends on which granules are
 * taken), then packs the movable BARs into the holes left between fixed
 * BARs and child windows.  Packing is exact: in a packing, moving every
 * BAR of a hole, from low to high, down to the lowest aligned address
 * after its predecessor keeps it valid, so only the order of the BARs in
 * each hole matters; the least end of each subset of BARs in a hole is a
 * subset dynamic programme, and holes are combined by another over the
 * partitions of the BARs.
 *
 * The witness is rebuilt top-down with the same check on the chosen
 * regions, which also cross-checks the routing-split option lists against
 * a direct two-window check.
 */
#include <stdlib.h>
#include "brute.h"

/* clang-format off */
#define MIB (1ULL << 20)
#define BR_MAX_BARS 10		/* memory BARs on one bus */
#define BR_MAX_KIDS 8		/* bridges on one bus */
#define BR_MAX_HOLES 48		/* > apertures + 2 * kids + BARs */
#define BR_MAX_ROUTED 10	/* BARs and windows routed to either window */
#define BR_MAX_STAIR 64		/* at most one extent per granule */
#define BR_MEMO_SIZE 8192
#define BR_MEMO_PROBES 16
#define BR_NONE ((u64)-1)
#define BR_UNREACHED 0xffff

enum { RK_AP, RK_MEM, RK_PREF };	/* region kinds */
enum { ROLE_M, ROLE_P };		/* which window of a child */
/* clang-format on */

/* clang-format off */
struct br_ext {
	bool on;
	u64 lo, hi;
	u64 mask;			/* its granules */
};

/* One choice of a child bridge's windows (an option, or part of one). */
struct br_opt {
	struct br_ext m, p;
	u64 mask;
};

struct br_list {
	struct br_opt *v;
	u32 n, cap;
};

struct br_bar {
	int dev, slot;
	u64 span, align;
	bool fixed, pref, mem64;
	u64 addr;
};

struct br_kid {
	int dev;			/* the child bridge */
	const struct br_opt *ch;
	u32 nr;
};

struct br_content {
	struct br_bar bars[BR_MAX_BARS];
	int nbars;
	struct br_kid kids[BR_MAX_KIDS];
	int nkids;
};

struct br_region {
	u64 lo, hi;
	u8 kind;
	bool pref;			/* apertures */
	bool high;
};

struct br_ap {
	u64 lo, hi;
	bool pref, high;
	u64 glo;			/* first granule */
	u32 ngran, base;		/* granules, first bit in masks */
};

struct br_memo {
	u64 mask;
	u32 gen;
	int i;
};

struct br_out {
	u64 addr[BR_MAX_BARS];
	int pick[BR_MAX_KIDS];
};

struct br_hole {
	u64 lo, hi;
	u32 allowed;
};

struct br_ctx {
	const struct fixedbar_topo *t;
	struct fixedbar_brute_stats *st;
	struct br_ap aps[FIXEDBAR_MAX_APERTURES];
	u32 naps;
	bool *fixed;			/* [dev * 6 + bar] */
	u64 *fixed_addr;
	struct br_list *opts;		/* per device, bridges only */
	struct fixedbar_plan *w;
	/* fits() scratch; fits() is not reentrant */
	u32 *scratch;
	u32 scratch_cap;
	u64 best[BR_MAX_HOLES][1 << BR_MAX_BARS];
	u8 last[BR_MAX_HOLES][1 << BR_MAX_BARS];
	u16 via[BR_MAX_HOLES][1 << BR_MAX_BARS];
	bool reach[1 << BR_MAX_BARS];
	struct br_memo memo[BR_MEMO_SIZE];
	u32 gen;
	char *msg;
	size_t msglen;
};

/* The state of one fits() call. */
struct br_fit {
	const struct br_region *rg;
	int nrg;
	const struct br_content *ct;
	struct br_out *out;
	u64 obs_lo[BR_MAX_BARS + 2 * BR_MAX_KIDS];
	u64 obs_hi[BR_MAX_BARS + 2 * BR_MAX_KIDS];
	int nfixed;
	int mov[BR_MAX_BARS];		/* movable BARs, indices into ct->bars */
	u32 mallowed[BR_MAX_BARS];	/* regions each may use */
	int nmov;
	int order[BR_MAX_KIDS];		/* kids, fewest choices first */
	u32 *valid[BR_MAX_KIDS];	/* their usable choices */
	u32 nvalid[BR_MAX_KIDS];
	int pick[BR_MAX_KIDS];
};
/* clang-format on */

static void *xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

static u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static bool ext_in(const struct br_ext *e, u64 lo, u64 hi)
{
	return e->on && lo <= e->lo && e->hi <= hi;
}

static bool overlaps(u64 alo, u64 ahi, u64 blo, u64 bhi)
{
	return alo <= bhi && blo <= ahi;
}

/* @a within @b; an empty extent is within anything */
static bool ext_sub(const struct br_ext *a, const struct br_ext *b)
{
	return !a->on || (b->on && b->lo <= a->lo && a->hi <= b->hi);
}

static bool ext_same(const struct br_ext *a, const struct br_ext *b)
{
	return a->on == b->on && (!a->on || (a->lo == b->lo && a->hi == b->hi));
}

/* Rules 2-4: may this BAR lie in this region? */
static bool bar_ok(const struct br_bar *b, const struct br_region *r)
{
	switch (r->kind) {
	case RK_AP:
		return (b->pref || !r->pref) && (b->mem64 || !r->high);
	case RK_MEM:
		return true; /* memory windows are below 4 GiB */
	default:
		return b->pref && (b->mem64 || !r->high);
	}
}

/*
 * Rule 5: may a child's memory (ROLE_M) or prefetchable (ROLE_P) window
 * lie in this region?  Candidate extents already respect the 4 GiB rules
 * of the child's own windows.
 */
static bool win_ok(int role, const struct br_region *r)
{
	if (role == ROLE_P)
		return true;
	if (r->kind == RK_AP)
		return !r->pref && !r->high;
	return r->kind == RK_MEM;
}

static bool ext_ok(const struct br_ext *e, int role, const struct br_region *rg,
		   int nrg)
{
	int r;

	for (r = 0; r < nrg; r++)
		if (ext_in(e, rg[r].lo, rg[r].hi))
			return win_ok(role, &rg[r]);
	return false;
}

static void list_add(struct br_list *l, const struct br_opt *o)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = *o;
}

static u32 *scratch(struct br_ctx *c, u32 n)
{
	if (n > c->scratch_cap) {
		free(c->scratch);
		c->scratch_cap = n;
		c->scratch = xzalloc(n * sizeof(*c->scratch));
	}
	return c->scratch;
}

/* ---- the memo of failed (kid, granules taken) states ---- */

static u32 memo_slot(u64 mask, int i)
{
	u64 h = (mask ^ ((u64)i << 58)) * 0x9e3779b97f4a7c15ULL;

	return (u32)(h >> 40) & (BR_MEMO_SIZE - 1);
}

static bool memo_has(struct br_ctx *c, int i, u64 mask)
{
	u32 s = memo_slot(mask, i), k;

	for (k = 0; k < BR_MEMO_PROBES; k++) {
		const struct br_memo *m =
			&c->memo[(s + k) & (BR_MEMO_SIZE - 1)];

		if (m->gen != c->gen)
			return false;
		if (m->i == i && m->mask == mask)
			return true;
	}
	return false;
}

static void memo_add(struct br_ctx *c, int i, u64 mask)
{
	u32 s = memo_slot(mask, i), k;

	for (k = 0; k < BR_MEMO_PROBES; k++) {
		struct br_memo *m = &c->memo[(s + k) & (BR_MEMO_SIZE - 1)];

		if (m->gen != c->gen) {
			m->gen = c->gen;
			m->i = i;
			m->mask = mask;
			return;
		}
	}
	/* full here: not remembering only costs time */
}

/* ---- packing movable BARs into holes ---- */

static int hole_cmp(const void *a, const void *b)
{
	const u64 *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* The holes of the regions, between the fixed BARs and chosen windows. */
static int make_holes(struct br_fit *f, struct br_hole *h)
{
	const struct br_content *ct = f->ct;
	u64 obs[BR_MAX_BARS + 2 * BR_MAX_KIDS][2];
	int nobs = 0, nh = 0, r, i, k;

	for (i = 0; i < f->nfixed; i++) {
		obs[nobs][0] = f->obs_lo[i];
		obs[nobs++][1] = f->obs_hi[i];
	}
	for (k = 0; k < ct->nkids; k++) {
		const struct br_opt *o;

		if (f->pick[k] < 0)
			continue;
		o = &ct->kids[k].ch[f->pick[k]];
		if (o->m.on) {
			obs[nobs][0] = o->m.lo;
			obs[nobs++][1] = o->m.hi;
		}
		if (o->p.on) {
			obs[nobs][0] = o->p.lo;
			obs[nobs++][1] = o->p.hi;
		}
	}
	qsort(obs, nobs, sizeof(obs[0]), hole_cmp);
	for (r = 0; r < f->nrg; r++) {
		u64 at = f->rg[r].lo, end = f->rg[r].hi;
		u32 allowed = 0;
		int m;

		for (m = 0; m < f->nmov; m++)
			if (f->mallowed[m] & (1U << r))
				allowed |= 1U << m;
		if (!allowed)
			continue;
		for (i = 0; i <= nobs; i++) {
			u64 stop = i < nobs ? obs[i][0] : end + 1;

			if (i < nobs && (obs[i][1] < at || obs[i][0] > end))
				continue;
			if (stop > end + 1)
				stop = end + 1;
			if (stop > at) {
				if (nh == BR_MAX_HOLES)
					abort(); /* cannot happen */
				h[nh].lo = at;
				h[nh].hi = stop - 1;
				h[nh++].allowed = allowed;
			}
			if (i < nobs && obs[i][1] + 1 > at)
				at = obs[i][1] + 1;
			if (at > end)
				break;
		}
	}
	return nh;
}

/* Least end (exclusive) of each subset of BARs sequenced in hole @j. */
static void hole_dp(struct br_ctx *c, struct br_fit *f, int j,
		    const struct br_hole *h)
{
	u32 a = h->allowed, s = 0, i;

	c->best[j][0] = h->lo;
	for (;;) {
		s = (s - a) & a;
		if (!s)
			break;
		c->best[j][s] = BR_NONE;
		for (i = 0; i < (u32)f->nmov; i++) {
			const struct br_bar *b;
			u64 prev, e;

			if (!(s & (1U << i)))
				continue;
			prev = c->best[j][s & ~(1U << i)];
			if (prev == BR_NONE)
				continue;
			b = &f->ct->bars[f->mov[i]];
			e = align_up(prev, b->align) + b->span;
			if (e - 1 > h->hi || e < prev)
				continue;
			if (e < c->best[j][s]) {
				c->best[j][s] = e;
				c->last[j][s] = (u8)i;
			}
		}
	}
}

/* Places the BARs of subset @s of hole @j, from the last one down. */
static void hole_place(struct br_ctx *c, struct br_fit *f, int j, u32 s)
{
	while (s) {
		u32 i = c->last[j][s];
		const struct br_bar *b = &f->ct->bars[f->mov[i]];

		s &= ~(1U << i);
		f->out->addr[f->mov[i]] = align_up(c->best[j][s], b->align);
	}
}

static bool pack(struct br_ctx *c, struct br_fit *f)
{
	struct br_hole h[BR_MAX_HOLES];
	u32 full = (1U << f->nmov) - 1, u, t, free_;
	int nh, j;

	c->st->leaves++;
	if (!f->nmov)
		return true;
	nh = make_holes(f, h);
	if (nh <= 0)
		return false;
	memset(c->reach, 0, (full + 1) * sizeof(c->reach[0]));
	c->reach[0] = true;
	for (j = 0; j < nh; j++) {
		hole_dp(c, f, j, &h[j]);
		for (u = 0; u <= full; u++)
			c->via[j][u] = c->reach[u] ? 0 : BR_UNREACHED;
		for (u = 0; u <= full; u++) {
			if (!c->reach[u] || c->via[j][u] != 0)
				continue;
			free_ = h[j].allowed & ~u;
			for (t = free_; t; t = (t - 1) & free_) {
				if (c->best[j][t] == BR_NONE ||
				    c->via[j][u | t] != BR_UNREACHED)
					continue;
				c->via[j][u | t] = (u16)t;
			}
		}
		for (u = 0; u <= full; u++)
			c->reach[u] = c->via[j][u] != BR_UNREACHED;
		if (c->reach[full])
			break;
	}
	if (j == nh)
		return false;
	if (f->out) {
		for (u = full; j >= 0; j--) {
			t = c->via[j][u];
			if (t) {
				hole_place(c, f, j, t);
				u &= ~t;
			}
		}
	}
	return true;
}

/* ---- fits(): does a content fit in some regions ---- */

static bool fits_dfs(struct br_ctx *c, struct br_fit *f, int i, u64 mask)
{
	const struct br_kid *kid;
	u32 v;
	int k;

	if (i == f->ct->nkids) {
		if (!pack(c, f))
			return false;
		if (f->out)
			for (k = 0; k < f->ct->nkids; k++)
				f->out->pick[k] = f->pick[k];
		return true;
	}
	if (memo_has(c, i, mask))
		return false;
	k = f->order[i];
	kid = &f->ct->kids[k];
	for (v = 0; v < f->nvalid[k]; v++) {
		const struct br_opt *o = &kid->ch[f->valid[k][v]];

		if (o->mask & mask)
			continue;
		f->pick[k] = (int)f->valid[k][v];
		if (fits_dfs(c, f, i + 1, mask | o->mask))
			return true;
	}
	f->pick[k] = -1;
	memo_add(c, i, mask);
	return false;
}

static int region_of(const struct br_region *rg, int nrg, u64 lo, u64 hi)
{
	int r;

	for (r = 0; r < nrg; r++)
		if (rg[r].lo <= lo && hi <= rg[r].hi)
			return r;
	return -1;
}

static bool fits(struct br_ctx *c, const struct br_region *rg, int nrg,
		 const struct br_content *ct, struct br_out *out)
{
	struct br_fit f;
	u32 total = 0, *buf;
	int i, j, r, k;

	c->st->fits++;
	memset(&f, 0, sizeof(f));
	f.rg = rg;
	f.nrg = nrg;
	f.ct = ct;
	f.out = out;
	for (i = 0; i < ct->nbars; i++) {
		const struct br_bar *b = &ct->bars[i];
		u64 end = b->addr + b->span - 1;

		if (!b->fixed) {
			for (r = 0; r < nrg; r++)
				if (bar_ok(b, &rg[r]) &&
				    rg[r].hi - rg[r].lo + 1 >= b->span)
					f.mallowed[f.nmov] |= 1U << r;
			if (!f.mallowed[f.nmov])
				return false;
			f.mov[f.nmov++] = i;
			continue;
		}
		if (b->addr & (b->align - 1) || end < b->addr)
			return false;
		r = region_of(rg, nrg, b->addr, end);
		if (r < 0 || !bar_ok(b, &rg[r]))
			return false;
		for (j = 0; j < f.nfixed; j++)
			if (overlaps(b->addr, end, f.obs_lo[j], f.obs_hi[j]))
				return false;
		f.obs_lo[f.nfixed] = b->addr;
		f.obs_hi[f.nfixed++] = end;
		if (out)
			out->addr[i] = b->addr;
	}
	for (k = 0; k < ct->nkids; k++)
		total += ct->kids[k].nr;
	buf = scratch(c, total + 1);
	for (k = 0; k < ct->nkids; k++) {
		const struct br_kid *kid = &ct->kids[k];
		u32 v;

		f.valid[k] = buf;
		for (v = 0; v < kid->nr; v++) {
			const struct br_opt *o = &kid->ch[v];
			bool bad = false;

			if (o->m.on && !ext_ok(&o->m, ROLE_M, rg, nrg))
				continue;
			if (o->p.on && !ext_ok(&o->p, ROLE_P, rg, nrg))
				continue;
			for (j = 0; j < f.nfixed && !bad; j++)
				bad = (o->m.on &&
				       overlaps(o->m.lo, o->m.hi, f.obs_lo[j],
						f.obs_hi[j])) ||
				      (o->p.on &&
				       overlaps(o->p.lo, o->p.hi, f.obs_lo[j],
						f.obs_hi[j]));
			if (!bad)
				*buf++ = v;
		}
		f.nvalid[k] = (u32)(buf - f.valid[k]);
		if (!f.nvalid[k])
			return false;
		f.pick[k] = -1;
		f.order[k] = k;
	}
	/* fewest choices first */
	for (i = 1; i < ct->nkids; i++)
		for (j = i;
		     j > 0 && f.nvalid[f.order[j]] < f.nvalid[f.order[j - 1]];
		     j--) {
			k = f.order[j];
			f.order[j] = f.order[j - 1];
			f.order[j - 1] = k;
		}
	c->gen++;
	return fits_dfs(c, &f, 0, 0);
}

/* ---- contents and options ---- */

static int content_of(struct br_ctx *c, int bus, struct br_content *ct)
{
	const struct fixedbar_topo *t = c->t;
	int d = bus < 0 ? t->first_root : t->devs[bus].first_child, s;

	memset(ct, 0, sizeof(*ct));
	for (; d >= 0; d = t->devs[d].next_sibling) {
		const struct fixedbar_dev *dev = &t->devs[d];

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &dev->bars[s];
			struct br_bar *x;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT)
				continue;
			if (ct->nbars == BR_MAX_BARS)
				return -1;
			x = &ct->bars[ct->nbars++];
			x->dev = d;
			x->slot = s;
			x->span = fixedbar_bar_span(b);
			x->align = b->size;
			x->pref = b->pref;
			x->mem64 = b->mem64;
			if (s < 6 && c->fixed[d * 6 + s]) {
				x->fixed = true;
				x->addr = c->fixed_addr[d * 6 + s];
			}
		}
		if (dev->is_bridge) {
			if (ct->nkids == BR_MAX_KIDS)
				return -1;
			ct->kids[ct->nkids].dev = d;
			ct->kids[ct->nkids].ch = c->opts[d].v;
			ct->kids[ct->nkids++].nr = c->opts[d].n;
		}
	}
	return 0;
}

static struct br_ext ext_of(const struct br_ap *a, u32 l, u32 h)
{
	struct br_ext e;

	e.on = true;
	e.lo = a->glo + l * MIB;
	e.hi = a->glo + (h + 1) * MIB - 1;
	e.mask = (h - l == 63 ? ~0ULL : ((1ULL << (h - l + 1)) - 1))
		 << (a->base + l);
	return e;
}

/*
 * The minimal extents of a @role window of bridge @b that hold @ct; an
 * empty extent alone when @ct may be empty.  Returns how many.
 */
static int staircase(struct br_ctx *c, int b, const struct br_content *ct,
		     int role, struct br_ext *out)
{
	const struct fixedbar_bridge *br = &c->t->devs[b].br;
	struct br_region rg;
	int n = 0;
	u32 ai, l, h;

	if (fits(c, NULL, 0, ct, NULL)) {
		memset(out, 0, sizeof(*out));
		return 1;
	}
	for (ai = 0; ai < c->naps; ai++) {
		const struct br_ap *a = &c->aps[ai];
		bool prev = false;

		if (role == ROLE_M ? a->pref || a->high :
				     a->high && !br->pref64)
			continue;
		rg.kind = role == ROLE_M ? RK_MEM : RK_PREF;
		rg.pref = false;
		rg.high = a->high;
		for (l = 0, h = 0; l < a->ngran; l++) {
			struct br_ext e;

			if (h < l)
				h = l;
			for (; h < a->ngran; h++) {
				e = ext_of(a, l, h);
				rg.lo = e.lo;
				rg.hi = e.hi;
				if (fits(c, &rg, 1, ct, NULL))
					break;
			}
			if (h == a->ngran)
				break;
			/* [l - 1, h] holds [l, h]: keep the smaller */
			if (prev && out[n - 1].hi == e.hi)
				n--;
			out[n++] = e;
			prev = true;
		}
	}
	return n;
}

static int opt_cmp(const void *a, const void *b)
{
	int x = __builtin_popcountll(((const struct br_opt *)a)->mask);
	int y = __builtin_popcountll(((const struct br_opt *)b)->mask);

	return x - y;
}

/* Keeps the pairs no other pair lies inside. */
static void minimize(struct br_list *l)
{
	u32 i, j, n = 0;

	if (l->n < 2)
		return;
	qsort(l->v, l->n, sizeof(*l->v), opt_cmp);
	for (i = 0; i < l->n; i++) {
		bool dom = false;

		for (j = 0; j < n && !dom; j++)
			dom = ext_sub(&l->v[j].m, &l->v[i].m) &&
			      ext_sub(&l->v[j].p, &l->v[i].p);
		if (!dom)
			l->v[n++] = l->v[i];
	}
	l->n = n;
}

/* Distinct memory window extents among @kid's options (@vals: nr + 1). */
static int m_values(const struct br_kid *kid, struct br_ext *vals)
{
	int n = 0, i;
	u32 v;

	for (v = 0; v < kid->nr; v++) {
		for (i = 0; i < n; i++)
			if (ext_same(&vals[i], &kid->ch[v].m))
				break;
		if (i == n)
			vals[n++] = kid->ch[v].m;
	}
	return n;
}

/* clang-format off */
struct br_route {
	const struct br_content *all;
	bool bar_p[BR_MAX_BARS];	/* routed to the prefetchable window */
	bool kid_p[BR_MAX_KIDS];	/* its prefetchable window: ours */
	bool split[BR_MAX_KIDS];
	struct br_ext *mvals[BR_MAX_KIDS];
	int nmvals[BR_MAX_KIDS];
	int at[BR_MAX_KIDS];		/* the odometer over split kids */
	struct br_opt mfix[BR_MAX_KIDS];
	struct br_opt *pch[BR_MAX_KIDS];
};
/* clang-format on */

/* Pairs of bridge @b for one routing and one choice for the split kids. */
static void route_pairs(struct br_ctx *c, int b, struct br_route *ro,
			struct br_list *pairs)
{
	const struct br_content *all = ro->all;
	struct br_content mc, pc;
	struct br_ext sm[BR_MAX_STAIR], sp[BR_MAX_STAIR];
	int i, k, nm, np, x, y;
	u32 v, n;

	memset(&mc, 0, sizeof(mc));
	memset(&pc, 0, sizeof(pc));
	for (i = 0; i < all->nbars; i++) {
		if (ro->bar_p[i])
			pc.bars[pc.nbars++] = all->bars[i];
		else
			mc.bars[mc.nbars++] = all->bars[i];
	}
	for (k = 0; k < all->nkids; k++) {
		const struct br_kid *kid = &all->kids[k];

		if (!ro->kid_p[k]) {
			mc.kids[mc.nkids++] = *kid;
			continue;
		}
		if (!ro->split[k]) {
			/* no memory window: its options are p alone */
			pc.kids[pc.nkids++] = *kid;
			continue;
		}
		memset(&ro->mfix[k], 0, sizeof(ro->mfix[k]));
		ro->mfix[k].m = ro->mvals[k][ro->at[k]];
		ro->mfix[k].mask = ro->mfix[k].m.on ? ro->mfix[k].m.mask : 0;
		mc.kids[mc.nkids].dev = kid->dev;
		mc.kids[mc.nkids].ch = &ro->mfix[k];
		mc.kids[mc.nkids++].nr = 1;
		for (v = 0, n = 0; v < kid->nr; v++) {
			if (!ext_same(&kid->ch[v].m, &ro->mfix[k].m))
				continue;
			ro->pch[k][n] = kid->ch[v];
			memset(&ro->pch[k][n].m, 0, sizeof(ro->pch[k][n].m));
			ro->pch[k][n].mask =
				kid->ch[v].p.on ? kid->ch[v].p.mask : 0;
			n++;
		}
		pc.kids[pc.nkids].dev = kid->dev;
		pc.kids[pc.nkids].ch = ro->pch[k];
		pc.kids[pc.nkids++].nr = n;
	}
	nm = staircase(c, b, &mc, ROLE_M, sm);
	if (!nm)
		return;
	np = staircase(c, b, &pc, ROLE_P, sp);
	for (x = 0; x < nm; x++) {
		for (y = 0; y < np; y++) {
			struct br_opt o;

			if (sm[x].on && sp[y].on &&
			    overlaps(sm[x].lo, sm[x].hi, sp[y].lo, sp[y].hi))
				continue;
			o.m = sm[x];
			o.p = sp[y];
			o.mask = (sm[x].on ? sm[x].mask : 0) |
				 (sp[y].on ? sp[y].mask : 0);
			list_add(pairs, &o);
		}
	}
}

static int bridge_options(struct br_ctx *c, int b)
{
	const struct fixedbar_bridge *br = &c->t->devs[b].br;
	struct br_content all;
	struct br_route *ro;
	int routed[BR_MAX_ROUTED], nr = 0, i, k;
	u32 r, v;

	if (content_of(c, b, &all))
		return -1;
	for (i = 0; br->pref && i < all.nbars; i++) {
		if (!all.bars[i].pref)
			continue;
		if (nr == BR_MAX_ROUTED)
			return -1;
		routed[nr++] = i;
	}
	for (k = 0; br->pref && k < all.nkids; k++) {
		for (v = 0; v < all.kids[k].nr; v++)
			if (all.kids[k].ch[v].p.on)
				break;
		if (v == all.kids[k].nr)
			continue;
		if (nr == BR_MAX_ROUTED)
			return -1;
		routed[nr++] = BR_MAX_BARS + k;
	}
	ro = xzalloc(sizeof(*ro));
	ro->all = &all;
	for (k = 0; k < all.nkids; k++) {
		ro->mvals[k] =
			xzalloc((all.kids[k].nr + 1) * sizeof(struct br_ext));
		ro->nmvals[k] = m_values(&all.kids[k], ro->mvals[k]);
		ro->pch[k] =
			xzalloc((all.kids[k].nr + 1) * sizeof(struct br_opt));
	}
	for (r = 0; r < 1U << nr; r++) {
		memset(ro->bar_p, 0, sizeof(ro->bar_p));
		memset(ro->kid_p, 0, sizeof(ro->kid_p));
		for (i = 0; i < nr; i++) {
			if (!(r & (1U << i)))
				continue;
			if (routed[i] < BR_MAX_BARS)
				ro->bar_p[routed[i]] = true;
			else
				ro->kid_p[routed[i] - BR_MAX_BARS] = true;
		}
		for (k = 0; k < all.nkids; k++) {
			ro->split[k] = false;
			if (ro->kid_p[k])
				for (v = 0; v < all.kids[k].nr; v++)
					ro->split[k] |= all.kids[k].ch[v].m.on;
			ro->at[k] = 0;
		}
		/* every memory window extent of every split kid */
		for (;;) {
			route_pairs(c, b, ro, &c->opts[b]);
			for (k = 0; k < all.nkids; k++) {
				if (!ro->split[k])
					continue;
				if (++ro->at[k] < ro->nmvals[k])
					break;
				ro->at[k] = 0;
			}
			if (k == all.nkids)
				break;
		}
	}
	for (k = 0; k < all.nkids; k++) {
		free(ro->pch[k]);
		free(ro->mvals[k]);
	}
	free(ro);
	minimize(&c->opts[b]);
	if (c->st->max_options < c->opts[b].n)
		c->st->max_options = c->opts[b].n;
	return 0;
}

/* ---- the witness ---- */

static void set_range(struct fixedbar_range *r, u64 lo, u64 hi)
{
	r->assigned = true;
	r->start = lo;
	r->end = hi;
}

static int lay_out(struct br_ctx *c, int bus, const struct br_region *rg,
		   int nrg)
{
	struct br_content ct;
	struct br_out out;
	char path[FIXEDBAR_PATH_LEN];
	int i, k, ret;

	if (content_of(c, bus, &ct))
		return -1;
	if (!fits(c, rg, nrg, &ct, &out)) {
		if (bus < 0)
			return 1; /* the root: infeasible */
		fixedbar_dev_path(c->t, bus, path, sizeof(path));
		snprintf(c->msg, c->msglen,
			 "solver: option of %s does not lay out", path);
		return -1;
	}
	for (i = 0; i < ct.nbars; i++)
		set_range(&c->w->devs[ct.bars[i].dev].bars[ct.bars[i].slot],
			  out.addr[i], out.addr[i] + ct.bars[i].span - 1);
	for (k = 0; k < ct.nkids; k++) {
		const struct br_opt *o = &ct.kids[k].ch[out.pick[k]];
		struct fixedbar_plan_dev *pd = &c->w->devs[ct.kids[k].dev];
		struct br_region sub[2];
		int n = 0;

		if (o->m.on) {
			set_range(&pd->win[FIXEDBAR_WIN_MEM], o->m.lo, o->m.hi);
			sub[n].lo = o->m.lo;
			sub[n].hi = o->m.hi;
			sub[n].kind = RK_MEM;
			sub[n].pref = false;
			sub[n++].high = false;
		}
		if (o->p.on) {
			set_range(&pd->win[FIXEDBAR_WIN_PREF], o->p.lo,
				  o->p.hi);
			sub[n].lo = o->p.lo;
			sub[n].hi = o->p.hi;
			sub[n].kind = RK_PREF;
			sub[n].pref = false;
			sub[n++].high = o->p.lo >= FIXEDBAR_4G;
		}
		ret = lay_out(c, ct.kids[k].dev, sub, n);
		if (ret)
			return ret < 0 ? ret : -1;
	}
	return 0;
}

/* ---- setup ---- */

static enum fixedbar_brute_result
say(struct br_ctx *c, enum fixedbar_brute_result r, const char *what)
{
	if (c->msg && c->msglen)
		snprintf(c->msg, c->msglen, "%s", what);
	return r;
}

static enum fixedbar_brute_result setup(struct br_ctx *c)
{
	const struct fixedbar_topo *t = c->t;
	char why[FIXEDBAR_MSG_LEN];
	u32 i, bits = 0;
	int j, d, s;

	for (i = 0; i < t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &t->apertures[i];
		struct br_ap *x;
		u64 ghi;

		if (a->type != FIXEDBAR_RES_MEM)
			continue;
		if (a->start < FIXEDBAR_4G && a->end >= FIXEDBAR_4G)
			return say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
				   "an aperture straddles 4 GiB");
		x = &c->aps[c->naps++];
		x->lo = a->start;
		x->hi = a->end;
		x->pref = a->pref;
		x->high = a->start >= FIXEDBAR_4G;
		x->glo = align_up(a->start, MIB);
		ghi = (a->end + 1) & ~(MIB - 1);
		x->ngran = ghi > x->glo ? (u32)((ghi - x->glo) / MIB) : 0;
		x->base = bits;
		bits += x->ngran;
		if (bits > 64)
			return say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
				   "more than 64 MiB of apertures");
	}
	for (i = 0; i < t->nr_devs; i++) {
		if (t->devs[i].pinned)
			return say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
				   "a pinned device");
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			if (t->devs[i].bars[s].present &&
			    t->devs[i].bars[s].pinned)
				return say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
					   "a pinned BAR");
	}
	for (i = 0; i < t->nr_entries; i++) {
		const struct fixedbar_entry *e = &t->entries[i];

		d = fixedbar_topo_find(t, e, why, sizeof(why));
		if (d < 0)
			return say(c, FIXEDBAR_BRUTE_INFEASIBLE, why);
		for (j = 0; j < e->nr_bars; j++) {
			const struct fixedbar_bar *b =
				&t->devs[d].bars[e->bars[j].bar];
			int k = d * 6 + e->bars[j].bar;

			if (!b->present)
				return say(c, FIXEDBAR_BRUTE_INFEASIBLE,
					   "a fixed BAR is not implemented");
			if (b->type != FIXEDBAR_RES_MEM)
				return say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
					   "a fixed I/O BAR");
			if (c->fixed[k] && c->fixed_addr[k] != e->bars[j].addr)
				return say(c, FIXEDBAR_BRUTE_INFEASIBLE,
					   "a BAR fixed at two addresses");
			c->fixed[k] = true;
			c->fixed_addr[k] = e->bars[j].addr;
		}
	}
	return FIXEDBAR_BRUTE_FEASIBLE;
}

enum fixedbar_brute_result fixedbar_brute_solve(
	const struct fixedbar_topo *t, struct fixedbar_plan *witness,
	struct fixedbar_brute_stats *stats, char *msg, size_t msglen)
{
	struct fixedbar_brute_stats dummy;
	enum fixedbar_brute_result res;
	struct br_region rg[FIXEDBAR_MAX_APERTURES];
	struct br_ctx *c;
	char vmsg[FIXEDBAR_MSG_LEN];
	u32 i;
	int ret;

	if (msg && msglen)
		msg[0] = '\0';
	memset(&dummy, 0, sizeof(dummy));
	c = xzalloc(sizeof(*c));
	c->t = t;
	c->st = stats ? stats : &dummy;
	c->msg = msg;
	c->msglen = msglen;
	c->fixed = xzalloc(t->nr_devs * 6 * sizeof(*c->fixed));
	c->fixed_addr = xzalloc(t->nr_devs * 6 * sizeof(*c->fixed_addr));
	c->opts = xzalloc(t->nr_devs * sizeof(*c->opts));
	res = setup(c);
	if (res != FIXEDBAR_BRUTE_FEASIBLE)
		goto out;
	/* bottom-up: a parent always comes before its children */
	for (i = t->nr_devs; i-- > 0;) {
		if (!t->devs[i].is_bridge)
			continue;
		if (bridge_options(c, (int)i)) {
			res = say(c, FIXEDBAR_BRUTE_UNSUPPORTED,
				  "too many BARs or bridges on one bus");
			goto out;
		}
	}
	for (i = 0; i < c->naps; i++) {
		rg[i].lo = c->aps[i].lo;
		rg[i].hi = c->aps[i].hi;
		rg[i].kind = RK_AP;
		rg[i].pref = c->aps[i].pref;
		rg[i].high = c->aps[i].high;
	}
	c->w = witness;
	memset(witness, 0, sizeof(*witness));
	witness->nr_devs = t->nr_devs;
	witness->devs =
		fixedbar_zalloc(t->nr_devs * sizeof(*witness->devs) + 1);
	if (!witness->devs)
		abort();
	ret = lay_out(c, -1, rg, (int)c->naps);
	if (ret > 0) {
		res = say(c, FIXEDBAR_BRUTE_INFEASIBLE,
			  "no layout of the root bus");
	} else if (ret < 0) {
		res = FIXEDBAR_BRUTE_ERROR;
		if (msg && msglen && !msg[0])
			snprintf(msg, msglen, "solver: too many items");
	} else if (fixedbar_validate(t, witness, vmsg, sizeof(vmsg))) {
		res = FIXEDBAR_BRUTE_ERROR;
		if (msg && msglen)
			snprintf(msg, msglen, "solver witness is invalid: %s",
				 vmsg);
	}
	if (res != FIXEDBAR_BRUTE_FEASIBLE)
		fixedbar_plan_free(witness);
out:
	for (i = 0; i < t->nr_devs; i++)
		free(c->opts[i].v);
	free(c->opts);
	free(c->fixed);
	free(c->fixed_addr);
	free(c->scratch);
	free(c);
	return res;
}

/* ---- the naive decider ---- */

/* clang-format off */
struct nv_bar {
	int dev, slot;
	u64 span, align;
	bool fixed;
	u64 addr;
};

struct nv_ctx {
	const struct fixedbar_topo *t;
	struct fixedbar_plan p;
	struct nv_bar bars[64];
	int nbars;
	/* routing bits: a BAR (dev, slot) or a window (dev) to the pref window */
	int rdev[32], rslot[32];	/* rslot < 0: the device's window */
	int nr;
	u64 layouts, max;
	bool *to_pref;			/* per dev and slot; slot 6: window */
	/* fixedbar_brute_min_moves(): explore every layout, keep the fewest */
	bool minimize;
	u32 best;			/* fewest moves of a valid layout */
	u32 moved;			/* BARs placed so far away from cur */
};
/* clang-format on */

static void hull(struct fixedbar_range *w, const struct fixedbar_range *r)
{
	u64 lo = r->start & ~(MIB - 1), hi = r->end | (MIB - 1);

	if (!r->assigned)
		return;
	if (!w->assigned || lo < w->start)
		w->start = lo;
	if (!w->assigned || hi > w->end)
		w->end = hi;
	w->assigned = true;
}

/*
 * Windows as the hulls of their contents, bottom-up; a window whose bit is
 * set in @keep (bit 2 * n + (pref), n counting bridges bottom-up) is where
 * it is now instead.
 */
static void nv_windows(struct nv_ctx *n, u32 keep)
{
	const struct fixedbar_topo *t = n->t;
	int nb = 0;
	u32 d;
	int c, s, w;

	for (d = t->nr_devs; d-- > 0;) {
		struct fixedbar_plan_dev *pd = &n->p.devs[d];
		const struct fixedbar_dev *b = &t->devs[d];

		if (!b->is_bridge)
			continue;
		memset(pd->win, 0, sizeof(pd->win));
		for (c = b->first_child; c >= 0; c = t->devs[c].next_sibling) {
			const struct fixedbar_dev *x = &t->devs[c];
			struct fixedbar_plan_dev *px = &n->p.devs[c];
			bool tp;

			for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
				if (!x->bars[s].present ||
				    x->bars[s].type != FIXEDBAR_RES_MEM ||
				    s == FIXEDBAR_ROM_SLOT)
					continue;
				tp = n->to_pref[c * FIXEDBAR_NR_SLOTS + s];
				hull(&pd->win[tp ? FIXEDBAR_WIN_PREF :
						   FIXEDBAR_WIN_MEM],
				     &px->bars[s]);
			}
			if (!x->is_bridge)
				continue;
			hull(&pd->win[FIXEDBAR_WIN_MEM],
			     &px->win[FIXEDBAR_WIN_MEM]);
			tp = n->to_pref[c * FIXEDBAR_NR_SLOTS +
					FIXEDBAR_ROM_SLOT];
			hull(&pd->win[tp ? FIXEDBAR_WIN_PREF : FIXEDBAR_WIN_MEM],
			     &px->win[FIXEDBAR_WIN_PREF]);
		}
		for (w = FIXEDBAR_WIN_MEM; w <= FIXEDBAR_WIN_PREF; w++)
			if (keep & (1U << (2 * nb + (w == FIXEDBAR_WIN_PREF))))
				pd->win[w] = b->br.cur[w];
		nb++;
	}
}

static bool nv_valid(struct nv_ctx *n)
{
	nv_windows(n, 0);
	return !fixedbar_validate(n->t, &n->p, NULL, 0);
}

/* The fewest moves of this placement over every choice of windows. */
static void nv_min_windows(struct nv_ctx *n)
{
	const struct fixedbar_topo *t = n->t;
	u32 keep, nbr = 0, d, moved;

	for (d = 0; d < t->nr_devs; d++)
		nbr += t->devs[d].is_bridge;
	for (keep = 0; keep < 1U << (2 * nbr); keep++) {
		nv_windows(n, keep);
		if (fixedbar_validate(t, &n->p, NULL, 0))
			continue;
		moved = fixedbar_plan_nr_moved(t, &n->p);
		if (moved < n->best)
			n->best = moved;
	}
}

/* Every routing of the current positions. */
static int nv_route(struct nv_ctx *n)
{
	u32 r;
	int i;

	for (r = 0; r < 1U << n->nr; r++) {
		if (++n->layouts > n->max)
			return -1;
		for (i = 0; i < n->nr; i++) {
			int slot = n->rslot[i] < 0 ? FIXEDBAR_ROM_SLOT :
						     n->rslot[i];

			n->to_pref[n->rdev[i] * FIXEDBAR_NR_SLOTS + slot] =
				r & (1U << i);
		}
		if (n->minimize)
			nv_min_windows(n);
		else if (nv_valid(n))
			return 1;
	}
	return 0;
}

static int nv_place(struct nv_ctx *n, int i);

/* The next BAR, counting this one's move; prunes what cannot beat the best. */
static int nv_place_next(struct nv_ctx *n, const struct nv_bar *b, int i)
{
	bool moved = n->minimize &&
		     fixedbar_plan_bar_moved(n->t, &n->p, b->dev, b->slot);
	int ret;

	if (n->minimize && n->moved + moved >= n->best)
		return 0;
	n->moved += moved;
	ret = nv_place(n, i + 1);
	n->moved -= moved;
	return ret;
}

/* Places BAR @i at @at unless it overlaps a sibling placed before it. */
static int nv_try_at(struct nv_ctx *n, int i, u64 at)
{
	const struct fixedbar_topo *t = n->t;
	const struct nv_bar *b = &n->bars[i];
	struct fixedbar_range *r = &n->p.devs[b->dev].bars[b->slot];
	int j;

	/* only a cheap prune: siblings never overlap */
	for (j = 0; j < i; j++) {
		const struct nv_bar *o = &n->bars[j];
		const struct fixedbar_range *q =
			&n->p.devs[o->dev].bars[o->slot];

		if (t->devs[o->dev].parent == t->devs[b->dev].parent &&
		    overlaps(at, at + b->span - 1, q->start, q->end))
			return 0;
	}
	r->assigned = true;
	r->start = at;
	r->end = at + b->span - 1;
	return nv_place_next(n, b, i);
}

static int nv_place(struct nv_ctx *n, int i)
{
	const struct fixedbar_topo *t = n->t;
	const struct nv_bar *b;
	const struct fixedbar_range *cur;
	struct fixedbar_range *r;
	u32 a;
	int ret;

	if (i == n->nbars)
		return nv_route(n);
	b = &n->bars[i];
	r = &n->p.devs[b->dev].bars[b->slot];
	if (b->fixed) {
		r->assigned = true;
		r->start = b->addr;
		r->end = b->addr + b->span - 1;
		return nv_place_next(n, b, i);
	}
	/* where it is now first: the bound then prunes sooner */
	cur = &t->devs[b->dev].bars[b->slot].cur;
	if (n->minimize && cur->assigned && !(cur->start & (b->align - 1))) {
		ret = nv_try_at(n, i, cur->start);
		if (ret)
			return ret;
	}
	for (a = 0; a < t->nr_apertures; a++) {
		const struct fixedbar_aperture *ap = &t->apertures[a];
		u64 at;

		if (ap->type != FIXEDBAR_RES_MEM)
			continue;
		for (at = align_up(ap->start, b->align);
		     at + b->span - 1 <= ap->end; at += b->align) {
			if (n->minimize && cur->assigned && at == cur->start)
				continue;
			ret = nv_try_at(n, i, at);
			if (ret)
				return ret;
		}
	}
	r->assigned = false;
	return 0;
}

/* The BARs and routing bits of @t for the naive enumeration. */
static enum fixedbar_brute_result nv_setup(struct nv_ctx *n,
					   const struct br_ctx *c)
{
	const struct fixedbar_topo *t = n->t;
	u32 d;
	int s;

	for (d = 0; d < t->nr_devs; d++) {
		const struct fixedbar_dev *x = &t->devs[d];
		bool route = x->parent >= 0 && t->devs[x->parent].br.pref;

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &x->bars[s];
			struct nv_bar *nb = &n->bars[n->nbars];

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT)
				continue;
			if (n->nbars == 64 || (route && b->pref && n->nr == 32))
				return FIXEDBAR_BRUTE_UNSUPPORTED;
			nb->dev = (int)d;
			nb->slot = s;
			nb->span = fixedbar_bar_span(b);
			nb->align = b->size;
			nb->fixed = s < 6 && c->fixed[d * 6 + s];
			nb->addr = c->fixed_addr[d * 6 + s % 6];
			n->nbars++;
			if (route && b->pref) {
				n->rdev[n->nr] = (int)d;
				n->rslot[n->nr++] = s;
			}
		}
		if (route && x->is_bridge && x->br.pref) {
			if (n->nr == 32)
				return FIXEDBAR_BRUTE_UNSUPPORTED;
			n->rdev[n->nr] = (int)d;
			n->rslot[n->nr++] = -1;
		}
	}
	return FIXEDBAR_BRUTE_FEASIBLE;
}

static enum fixedbar_brute_result nv_run(const struct fixedbar_topo *t,
					 u64 max_layouts, u64 *layouts,
					 u32 *min_moves)
{
	enum fixedbar_brute_result res;
	struct br_ctx *c;
	struct nv_ctx *n;
	int ret;

	c = xzalloc(sizeof(*c));
	c->t = t;
	c->fixed = xzalloc(t->nr_devs * 6 * sizeof(*c->fixed));
	c->fixed_addr = xzalloc(t->nr_devs * 6 * sizeof(*c->fixed_addr));
	res = setup(c);
	n = xzalloc(sizeof(*n));
	n->t = t;
	n->max = max_layouts;
	n->minimize = min_moves != NULL;
	n->best = ~0U;
	n->to_pref = xzalloc(t->nr_devs * FIXEDBAR_NR_SLOTS + 1);
	n->p.nr_devs = t->nr_devs;
	n->p.devs = xzalloc(t->nr_devs * sizeof(*n->p.devs) + 1);
	if (res == FIXEDBAR_BRUTE_FEASIBLE)
		res = nv_setup(n, c);
	if (res == FIXEDBAR_BRUTE_FEASIBLE) {
		ret = nv_place(n, 0);
		if (n->minimize && ret == 0 && n->best != ~0U)
			ret = 1;
		res = ret > 0 ? FIXEDBAR_BRUTE_FEASIBLE :
		      ret < 0 ? FIXEDBAR_BRUTE_UNSUPPORTED :
				FIXEDBAR_BRUTE_INFEASIBLE;
	}
	if (min_moves)
		*min_moves = n->best;
	if (layouts)
		*layouts = n->layouts;
	free(n->p.devs);
	free(n->to_pref);
	free(n);
	free(c->fixed);
	free(c->fixed_addr);
	free(c);
	return res;
}

enum fixedbar_brute_result fixedbar_brute_naive(const struct fixedbar_topo *t,
						u64 max_layouts, u64 *layouts)
{
	return nv_run(t, max_layouts, layouts, NULL);
}

enum fixedbar_brute_result
fixedbar_brute_min_moves(const struct fixedbar_topo *t, u64 max_layouts,
			 u32 *min_moves, u64 *layouts)
{
	return nv_run(t, max_layouts, layouts, min_moves);
}

const char *fixedbar_brute_result_name(enum fixedbar_brute_result r)
{
	switch (r) {
	case FIXEDBAR_BRUTE_INFEASIBLE:
		return "infeasible";
	case FIXEDBAR_BRUTE_FEASIBLE:
		return "feasible";
	case FIXEDBAR_BRUTE_UNSUPPORTED:
		return "unsupported";
	default:
		return "solver error";
	}
}
