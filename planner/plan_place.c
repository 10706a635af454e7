// SPDX-License-Identifier: GPL-2.0
/*
 * Placement inside one container: its fixed points, its semi-fixed
 * children's extents, the holes between them, and the movable items in
 * those holes (largest alignment first) or in room the container grows.
 * Failures are recorded cheaply and formatted only when reported.
 */
#include "plan_internal.h"

void fixedbar_place_item(struct fb_ctx *c, struct fb_item *it, u64 start,
			 int variant)
{
	struct fb_cont *k = it->cont >= 0 ? &c->conts[it->cont] : NULL;

	it->placed = true;
	it->start = start;
	it->variant = variant;
	if (!k || k->semifixed)
		return;
	if (variant == 2)
		fixedbar_split(c, k, (0 - start) & (k->calign - 1), true,
			       start);
	else
		fixedbar_place_compact(c, it->cont, start, variant);
}

/* Aperture that holds [lo, hi] for this item, or -1. */
static int fb_find_ap(const struct fb_ctx *c, const struct fb_frame *f,
		      const struct fb_item *it, u64 lo, u64 hi)
{
	u32 i;

	for (i = 0; i < c->t->nr_apertures; i++)
		if (fb_ap_ok(c, f, i, it) && lo >= fb_ap(c, i)->start &&
		    hi <= fb_ap(c, i)->end)
			return i;
	return -1;
}

static void fb_describe_cont(const struct fb_ctx *c, int ki, char *buf,
			     size_t len)
{
	const struct fb_cont *k = &c->conts[ki];
	char path[FIXEDBAR_PATH_LEN];

	if (k->dev < 0) {
		snprintf(buf, len, "the %s apertures of root bus %04x:%02x",
			 ki == FB_ROOT_IO ? "I/O" : "memory", c->t->segment,
			 c->t->root_bus);
		return;
	}
	fixedbar_path(c, k->dev, path, sizeof(path));
	snprintf(buf, len, "%s of %s", fixedbar_win_name(k->win), path);
}

/* A fixed point as %pR prints it: a BAR, or the span a window must cover. */
static void fb_fmt_fp(const struct fb_ctx *c, const struct fb_item *it, u64 lo,
		      u64 hi, char *buf, size_t len)
{
	const struct fixedbar_dev *d = fb_dev(c, it->dev);
	int win;

	if (it->slot >= 0) {
		fixedbar_format_bar(buf, len, &d->bars[it->slot], lo);
		return;
	}
	win = c->conts[it->cont].win;
	fixedbar_format_res(buf, len,
			    win == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
						     FIXEDBAR_RES_MEM,
			    lo, hi, win == FIXEDBAR_WIN_PREF && d->br.pref64,
			    win == FIXEDBAR_WIN_PREF);
}

/* Gathers the fixed points of a container, sorted by start. */
void fixedbar_gather_points(struct fb_ctx *c, struct fb_frame *f)
{
	const struct fb_cont *k = &c->conts[f->k];
	int i;

	f->nfp = 0;
	for (i = 0; i < k->nr_kids; i++) {
		int idx = c->kidv[k->first_kid + i];
		const struct fb_item *it = &c->items[idx];

		if (!it->active)
			continue;
		if (it->flags & FB_EXACT)
			f->fp[f->nfp][0] = it->xstart;
		else if (it->cont >= 0 && c->conts[it->cont].semifixed)
			f->fp[f->nfp][0] = c->conts[it->cont].mlo;
		else
			continue;
		f->fp[f->nfp++][1] = idx;
	}
	fixedbar_sort_pairs(f->fp, f->nfp);
}

/* Gathers and sorts the fixed points of a container; checks they are disjoint. */
int fixedbar_fixed_points(struct fb_ctx *c, struct fb_frame *f)
{
	int i;

	fixedbar_gather_points(c, f);
	for (i = 1; i < f->nfp; i++) {
		const struct fb_item *a = &c->items[f->fp[i - 1][1]];
		const struct fb_item *b = &c->items[f->fp[i][1]];
		u64 aend = (a->flags & FB_EXACT) ? a->xstart + a->size - 1 :
						   c->conts[a->cont].mhi;
		char pa[FIXEDBAR_PATH_LEN], pb[FIXEDBAR_PATH_LEN], where[96];

		if (aend < f->fp[i][0])
			continue;
		char ra[FIXEDBAR_RES_LEN], rb[FIXEDBAR_RES_LEN];

		fixedbar_path(c, a->dev, pa, sizeof(pa));
		fixedbar_path(c, b->dev, pb, sizeof(pb));
		fb_describe_cont(c, f->k, where, sizeof(where));
		fb_fmt_fp(c, a, f->fp[i - 1][0], aend, ra, sizeof(ra));
		fb_fmt_fp(c, b, f->fp[i][0],
			  (b->flags & FB_EXACT) ? b->xstart + b->size - 1 :
						  c->conts[b->cont].mhi,
			  rb, sizeof(rb));
		snprintf(c->msg, sizeof(c->msg),
			 "%s %s %s and %s %s %s must both hold fixed BARs but would overlap in %s; fixed BARs below sibling bridges must lie in disjoint %s-aligned ranges",
			 pa,
			 fb_res_name(a->slot,
				     a->cont >= 0 ? c->conts[a->cont].win : 0),
			 ra, pb,
			 fb_res_name(b->slot,
				     b->cont >= 0 ? c->conts[b->cont].win : 0),
			 rb, where,
			 f->k == FB_ROOT_IO ||
					 c->conts[f->k].win == FIXEDBAR_WIN_IO ?
				 "window" :
				 "1MiB");
		fixedbar_set_fail(c, -EBUSY, a->dev);
		c->fail.bridge = c->conts[f->k].dev;
		c->fail.kid[0] = a->dev;
		c->fail.kid[1] = b->dev;
		c->fail.pair[0] = a - c->items;
		c->fail.pair[1] = b - c->items;
		fixedbar_add_subtree_entries(c, b->dev);
		return -EBUSY;
	}
	return 0;
}

/* Bounds for the i-th fixed point (a semi-fixed child window). */
static bool fb_kid_bounds(struct fb_ctx *c, struct fb_frame *f, int i, u64 *lo,
			  u64 *hi)
{
	const struct fb_item *it = &c->items[f->fp[i][1]];
	const struct fb_cont *kid = &c->conts[it->cont];
	u64 l, h, g = kid->gran;

	if (f->root) {
		int ap = fb_find_ap(c, f, it, kid->mlo, kid->mhi);

		if (ap < 0)
			return false;
		l = fb_ap(c, ap)->start;
		h = fb_ap(c, ap)->end;
	} else {
		l = f->blo;
		h = f->bhi;
	}
	if (i > 0 && fb_fp_end(c, f->fp[i - 1][1]) + 1 > l)
		l = fb_fp_end(c, f->fp[i - 1][1]) + 1;
	if (i + 1 < f->nfp && f->fp[i + 1][0] - 1 < h)
		h = f->fp[i + 1][0] - 1;
	if ((it->flags & FB_BELOW4G) && h > FIXEDBAR_4G - 1)
		h = FIXEDBAR_4G - 1;
	if (!fb_align_up(l, g, &l) || (h != ~0ULL && h + 1 < g))
		return false;
	h = fb_align_down(h + 1, g) - 1;
	*lo = l;
	*hi = h;
	return l <= kid->mlo && kid->mhi <= h;
}

void fixedbar_record_fail(struct fb_ctx *c, const struct fb_frame *f, int kind,
			  int item, int err)
{
	c->err = err;
	c->fail.kind = kind;
	c->fail.cont = f->k;
	c->fail.item = item;
	c->fail.bridge = c->conts[f->k].dev;
	/* a window that did not fit: its own routing may be what to change */
	c->fail.kid[0] = c->items[item].cont >= 0 ? c->items[item].dev : -1;
	c->fail.kid[1] = -1;
	c->fail.root = f->root;
	c->fail.blo = f->blo;
	c->fail.bhi = f->bhi;
}

static void fb_fail_mandatory(struct fb_ctx *c, struct fb_frame *f, int idx)
{
	fixedbar_record_fail(c, f, FB_FAIL_SPAN, idx,
			     f->root ? -EINVAL : -ENOSPC);
}

/*
 * Places fixed point @i of the frame when it is a semi-fixed child, growing
 * @strat first; *@alt says whether the other direction may still help.
 */
static int fb_solve_kid(struct fb_ctx *c, struct fb_frame *f, int i, int strat,
			u8 *alt)
{
	u64 lo, hi;
	int kc, err;

	*alt = 0;
	if (c->items[f->fp[i][1]].flags & FB_EXACT)
		return 0;
	if (!fb_kid_bounds(c, f, i, &lo, &hi)) {
		fb_fail_mandatory(c, f, f->fp[i][1]);
		return c->err;
	}
	kc = c->items[f->fp[i][1]].cont;
	err = fixedbar_solve(c, kc, lo, hi, strat);
	*alt = err || c->conts[kc].grew;
	return err;
}

/* One more growth choice from the budget; false, failing, when it is spent. */
static bool fb_backtrack_ok(struct fb_ctx *c)
{
	if (c->budget) {
		c->budget--;
		return true;
	}
	c->gave_up |= FB_GAVE_UP_BACKTRACK;
	snprintf(c->msg, sizeof(c->msg),
		 "search limit reached placing windows with fixed BARs");
	fixedbar_set_fail(c, -ENOSPC, -1);
	c->fail.kind = FB_FAIL_NONE;
	return false;
}

/*
 * The first child whose growth can change where child @i may go: a child's
 * room starts where the one before it ends, which an earlier choice can
 * lower only if that one grew past its fixed BARs toward child @i (an exact
 * BAR, or a window at its mandatory end, ends where it must).
 */
static int fb_kid_floor(const struct fb_ctx *c, const struct fb_frame *f, int i)
{
	for (; i > 0; i--) {
		const struct fb_item *it = &c->items[f->fp[i - 1][1]];

		if ((it->flags & FB_EXACT) ||
		    c->conts[it->cont].hi <= c->conts[it->cont].mhi)
			break;
	}
	return i;
}

/*
 * The direction child @i of @n tries first: its parent's, @first; in the
 * fallback plan (fixedbar_plan()), the first and last children of a bridge
 * window grow inward, toward the window's other fixed BARs, which keeps
 * the window compact for its siblings at the root.
 */
static int fb_kid_first(const struct fb_ctx *c, const struct fb_frame *f, int i,
			int n, int first)
{
	if (!c->inward || f->root || n < 2)
		return first;
	return i == 0 ? FB_UP : i == n - 1 ? FB_DOWN : first;
}

/*
 * Places the semi-fixed children, searching growth directions (children
 * first try the way fb_kid_first() says: their parent's, @first), then the
 * rest.  The search jumps back over choices that cannot mend a failure
 * (conflict-directed backjumping): a child that does not fit depends only
 * on the children from its floor on, so @cf[i] keeps the lowest child any
 * failure below child i's current choice depends on, and the rest of the
 * frame failing depends on every child.
 */
int fixedbar_solve_kids(struct fb_ctx *c, struct fb_frame *f, int first,
			int (*place_rest)(struct fb_ctx *, struct fb_frame *))
{
	u8 *strat, *alt;
	int *cf, i = 0, n = f->nfp, err, low;

	strat = (u8 *)(f->fp + n); /* scratch after the fixed points */
	alt = strat + n;
	cf = (int *)(f->fp + n) + (n + 1) / 2;
	if (n) {
		strat[0] = FB_UP;
		cf[0] = 0;
	}
	for (;;) {
		if (i == n) {
			err = place_rest(c, f);
			if (!err || err != -ENOSPC)
				return err;
			low = 0;
			i--;
		} else {
			err = fb_solve_kid(c, f, i,
					   strat[i] ^ fb_kid_first(c, f, i, n,
								   first),
					   &alt[i]);
			if (err && err != -ENOSPC)
				return err;
			if (!err) {
				if (++i < n) {
					strat[i] = FB_UP;
					cf[i] = i;
				}
				continue;
			}
			low = fb_kid_floor(c, f, i);
		}
		if (i >= 0 && low < cf[i])
			cf[i] = low;
		while (i >= 0 && !(alt[i] && strat[i] + 1 < FB_NR_STRATS)) {
			/* exhausted: what failed below it, it passes up */
			if (i == 0 || cf[i] > i - 1)
				return err ? err : -ENOSPC;
			if (cf[i] < cf[i - 1])
				cf[i - 1] = cf[i];
			i--;
		}
		if (i < 0)
			return err ? err : -ENOSPC;
		strat[i]++;
		if (!fb_backtrack_ok(c))
			return -ENOSPC;
	}
}

static void fb_hole_add(struct fb_ctx *c, struct fb_frame *f, u64 lo, u64 hi,
			int ap)
{
	struct fb_hole *h;
	int i;

	if (hi < lo || c->nr_holes >= c->max_holes)
		return;
	/* keep holes sorted by address */
	for (i = f->nholes; i > 0; i--) {
		if (c->holes[f->hbase + i - 1].lo < lo)
			break;
		c->holes[f->hbase + i] = c->holes[f->hbase + i - 1];
	}
	h = &c->holes[f->hbase + i];
	h->lo = lo;
	h->hi = hi;
	h->ap = ap;
	f->nholes++;
	c->nr_holes++;
}

void fixedbar_hole_take(struct fb_ctx *c, struct fb_frame *f, int i, u64 lo,
			u64 hi)
{
	struct fb_hole h = c->holes[f->hbase + i];

	memmove(&c->holes[f->hbase + i], &c->holes[f->hbase + i + 1],
		(f->nholes - i - 1) * sizeof(h));
	f->nholes--;
	c->nr_holes--;
	if (lo > h.lo)
		fb_hole_add(c, f, h.lo, lo - 1, h.ap);
	if (hi < h.hi)
		fb_hole_add(c, f, hi + 1, h.hi, h.ap);
}

/* Holes between fixed points inside [lo, hi]. */
void fixedbar_holes_between(struct fb_ctx *c, struct fb_frame *f, u64 lo,
			    u64 hi, int ap)
{
	u64 pos = lo;
	int i;

	for (i = 0; i < f->nfp; i++) {
		u64 s = fb_fp_start(c, f->fp[i][1]),
		    e = fb_fp_end(c, f->fp[i][1]);

		if (e < pos || s > hi)
			continue;
		if (s > pos)
			fb_hole_add(c, f, pos, s - 1, ap);
		if (e >= hi)
			return;
		pos = e + 1;
	}
	fb_hole_add(c, f, pos, hi, ap);
}

static bool fb_slot_in(const struct fb_hole *h, const struct fb_item *it,
		       u64 *start, int *variant)
{
	u64 p0 = 0, p1 = 0;
	bool ok0 = fb_slot_v(h, it, 0, &p0);
	bool ok1 = fb_slot_v(h, it, 1, &p1);

	if (!ok0 && !ok1)
		return false;
	*variant = !ok0;
	*start = *variant ? p1 : p0;
	return true;
}

/*
 * First fit in the holes.  At the root, 64-bit items prefer space above
 * 4 GiB and prefetchable ones prefetchable apertures, to leave the scarce
 * 32-bit non-prefetchable space to those that need it.
 */
int fixedbar_fit_hole(struct fb_ctx *c, struct fb_frame *f,
		      const struct fb_item *it, bool split, u64 *start,
		      int *variant)
{
	int pass, i;

	for (pass = 0; pass < 4; pass++) {
		bool want_high = !(pass & 2) && !(it->flags & FB_BELOW4G);
		bool want_pref = !(pass & 1) && (it->flags & FB_PREFOK);

		if (!f->root && pass)
			break;
		c->steps += (u64)f->nholes;
		for (i = 0; i < f->nholes; i++) {
			const struct fb_hole *h = &c->holes[f->hbase + i];

			if (f->root) {
				if (!fb_ap_ok(c, f, h->ap, it))
					continue;
				if (want_high && h->hi < FIXEDBAR_4G)
					continue;
				if (want_pref && !fb_ap(c, h->ap)->pref)
					continue;
			}
			if (split ? fixedbar_slot_split(c, h, it, false,
							start) :
				    fb_slot_in(h, it, start, variant))
				return i;
		}
	}
	return -1;
}

/* Where the item would go growing the extent; false if out of bounds. */
/*
 * Free space at the edge of the extent counts: an item grown past the edge
 * may start (or end) in the hole that touches it.
 */
static u64 fb_grow_base(const struct fb_ctx *c, const struct fb_frame *f,
			int dir)
{
	const struct fb_hole *h;

	if (!f->nholes)
		return dir == FB_UP ? f->cur_hi + 1 : f->cur_lo;
	if (dir == FB_UP) {
		h = &c->holes[f->hbase + f->nholes - 1];
		return h->hi == f->cur_hi ? h->lo : f->cur_hi + 1;
	}
	h = &c->holes[f->hbase];
	return h->lo == f->cur_lo ? h->hi + 1 : f->cur_lo;
}

/* Where the item would go growing the extent; false if out of bounds. */
bool fixedbar_grow_at(const struct fb_ctx *c, const struct fb_frame *f,
		      const struct fb_item *it, int dir, int variant,
		      u64 *start)
{
	u64 p, end, lim = f->bhi, size = fb_item_size(it, variant);
	u64 base = fb_grow_base(c, f, dir);

	if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
		lim = FIXEDBAR_4G - 1;
	if (!size)
		return false;
	if (dir == FB_UP) {
		/* base: the lowest free address the item may start at */
		if (base > ~0ULL - size)
			return false;
		if (variant) {
			if (!fb_align_up(base + size, it->align, &p))
				return false;
			p -= size;
		} else if (!fb_align_up(base, it->align, &p)) {
			return false;
		}
		if (p + size - 1 <= f->cur_hi)
			return false; /* that would fit a hole: not growth */
	} else {
		/* base: the item must end below it */
		if (variant)
			p = fb_align_down(base, it->align);
		else
			p = base;
		if (p < size)
			return false;
		p = variant ? p - size : fb_align_down(p - size, it->align);
		if (p >= f->cur_lo)
			return false;
	}
	end = p + size - 1;
	if (p < f->blo || end < p || end > lim)
		return false;
	*start = p;
	return true;
}

/* Takes [lo, hi] out of the holes it overlaps. */
static void fb_holes_take_range(struct fb_ctx *c, struct fb_frame *f, u64 lo,
				u64 hi)
{
	int i;

	for (i = 0; i < f->nholes; i++) {
		const struct fb_hole *h = &c->holes[f->hbase + i];

		if (h->hi < lo || h->lo > hi)
			continue;
		fixedbar_hole_take(c, f, i, lo > h->lo ? lo : h->lo,
				   hi < h->hi ? hi : h->hi);
		i = -1; /* the list changed: look again */
	}
}

/*
 * Where a movable window packed split around an anchor (fixedbar_split()) would
 * go growing the extent, and its size: the offset of the anchor that grows
 * the extent least among the first few granules; false if none fits.
 */
bool fixedbar_grow_split(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int dir, u64 *start,
			 u64 *size)
{
	u64 base = fb_grow_base(c, f, dir), lim = f->bhi, o, sz, s;
	bool found = false;
	struct fb_cont *k;
	int step;

	if (it->cont < 0 || !it->size1)
		return false;
	k = &c->conts[it->cont];
	if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
		lim = FIXEDBAR_4G - 1;
	/* no packing is smaller than its members: is there room at all? */
	if (dir == FB_UP ? base > lim || lim - base < k->cmin - 1 :
			   base < f->blo || base - f->blo < k->cmin)
		return false;
	for (step = 1; step <= FB_SPLIT_STEPS; step++) {
		o = step * k->gran;
		if (o >= k->calign)
			break;
		sz = fixedbar_split(c, k, o, false, 0);
		if (!sz)
			continue;
		if (dir == FB_UP) {
			/* the first start after base with start + o aligned */
			if (base > ~0ULL - o - k->calign)
				break;
			s = fb_align_up_to(base, k->calign, 0 - o);
			if (s > ~0ULL - sz || s + sz - 1 <= f->cur_hi)
				continue;
		} else {
			/* the last start whose block ends below base */
			if (base < sz)
				continue;
			s = fb_align_down(base - sz + o, k->calign) - o;
			if (s > base - sz || s >= f->cur_lo)
				continue;
		}
		if (s < f->blo || s + sz - 1 > lim || s + sz - 1 < s)
			continue;
		if (found &&
		    (dir == FB_UP ? s + sz >= *start + *size : s <= *start))
			continue;
		found = true;
		*start = s;
		*size = sz;
	}
	return found;
}

/* The extent grows to take [@start, @end], past its edge in direction @dir. */
void fixedbar_grow_apply(struct fb_ctx *c, struct fb_frame *f, int dir,
			 u64 start, u64 end)
{
	struct fb_hole *edge;

	fb_holes_take_range(c, f, start, end);
	/* the room left between: one hole with a free edge it touches */
	if (dir == FB_UP) {
		edge = f->nholes ? &c->holes[f->hbase + f->nholes - 1] : NULL;
		if (start > f->cur_hi + 1) {
			if (edge && edge->hi == f->cur_hi)
				edge->hi = start - 1;
			else
				fb_hole_add(c, f, f->cur_hi + 1, start - 1, -1);
		}
		f->cur_hi = end;
	} else {
		edge = f->nholes ? &c->holes[f->hbase] : NULL;
		if (end + 1 < f->cur_lo) {
			if (edge && edge->lo == f->cur_lo)
				edge->lo = end + 1;
			else
				fb_hole_add(c, f, end + 1, f->cur_lo - 1, -1);
		}
		f->cur_lo = start;
	}
}

bool fixedbar_grow(struct fb_ctx *c, struct fb_frame *f,
		   const struct fb_item *it, int dir, u64 *start, int *variant)
{
	u64 p0 = 0, p1 = 0, end, size2 = 0;
	bool ok0 = fixedbar_grow_at(c, f, it, dir, 0, &p0);
	bool ok1 = fixedbar_grow_at(c, f, it, dir, 1, &p1);

	if (!ok0 && !ok1) {
		/* neither packing fits: a window split around an anchor */
		if (!fixedbar_grow_split(c, f, it, dir, start, &size2))
			return false;
		*variant = 2;
		end = *start + size2 - 1;
	} else {
		/* the variant that grows the extent least */
		if (dir == FB_UP)
			*variant = !ok0 ||
				   (ok1 && p1 + it->size1 < p0 + it->size);
		else
			*variant = !ok0 || (ok1 && p1 > p0);
		*start = *variant ? p1 : p0;
		end = *start + fb_item_size(it, *variant) - 1;
	}
	fixedbar_grow_apply(c, f, dir, *start, end);
	return true;
}

static void fb_fail_item(struct fb_ctx *c, struct fb_frame *f,
			 const struct fb_item *it)
{
	fixedbar_record_fail(c, f, FB_FAIL_ITEM, it - c->items, -ENOSPC);
}

/* Turns the recorded placement failure into the one-line message. */
void fixedbar_format_fail(struct fb_ctx *c)
{
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN], where[96];
	const struct fb_item *it;
	const char *name;

	if (c->fail.kind == FB_FAIL_NONE || c->fail.item < 0)
		return;
	it = &c->items[c->fail.item];
	name = fb_res_name(it->slot,
			   it->cont >= 0 ? c->conts[it->cont].win : 0);
	fb_describe_cont(c, c->fail.cont, where, sizeof(where));
	fixedbar_path(c, it->dev, path, sizeof(path));
	if (c->fail.kind == FB_FAIL_SPAN) {
		const struct fb_cont *kid = &c->conts[it->cont];

		snprintf(c->msg, sizeof(c->msg),
			 "%s %s must span [%#llx-%#llx] to hold its fixed BARs, which does not fit in %s; move the fixed BARs so one window can hold them",
			 path, name, (unsigned long long)kid->mlo,
			 (unsigned long long)kid->mhi, where);
		fixedbar_set_fail(c, c->err, it->dev);
		return;
	}
	if (c->fail.kind == FB_FAIL_RESERVE) {
		snprintf(c->msg, sizeof(c->msg),
			 "%s %s: no room for its hotplug reserve", path, name);
	} else {
		fixedbar_fmt_size(c, it, res, sizeof(res));
		if (c->fail.root)
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s %s: no space left in %s%s; enlarge the VM's PCI window%s",
				 path, name, res, where,
				 c->t->nr_entries ? " beside the fixed BARs" :
						    "",
				 c->t->nr_entries ? " or fix fewer BARs" : "");
		else
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s %s: no space in %s, which may grow only within [%#llx-%#llx] around its fixed BARs",
				 path, name, res, where,
				 (unsigned long long)c->fail.blo,
				 (unsigned long long)c->fail.bhi);
	}
	fixedbar_set_fail(c, c->err, c->conts[c->fail.cont].dev);
}

/*
 * Movable items of the frame's container, in placement order: largest
 * alignment first, or with @by_size largest size first.
 */
/* 63 bits: smaller for a larger alignment, then for a larger size */
static u64 fb_align_key(const struct fb_item *it)
{
	const u64 m = (1ULL << 56) - 1;
	int lg = __builtin_ctzll(it->align);
	u64 units = it->size >> lg;

	return (u64)(63 - lg) << 56 | (m - (units < m ? units : m));
}

int fixedbar_movables(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
		      bool by_size)
{
	const struct fb_cont *k = &c->conts[f->k];
	int *order = c->mov[by_size] + k->first_kid;
	int i, n = 0, ci = 2 * f->k + by_size;

	/* the same attempt places a container many times: sort it once */
	if (c->mov_gen[ci] == c->gen) {
		n = c->mov_n[ci];
		for (i = 0; i < n; i++)
			v[i][1] = (u32)order[i];
		return n;
	}
	for (i = 0; i < k->nr_kids; i++) {
		int idx = c->kidv[k->first_kid + i];
		const struct fb_item *it = &c->items[idx];

		if (!it->active || (it->flags & FB_EXACT) ||
		    (it->cont >= 0 && c->conts[it->cont].semifixed))
			continue;
		/*
		 * Required before optional, then largest alignment, and within
		 * one alignment largest size (VF BARs and packed windows span
		 * several alignment units): the classic decreasing order, in
		 * which largest-first hole filling wastes nothing.
		 */
		v[n][0] = ((u64) !!(it->flags & FB_OPTIONAL) << 63) |
			  (by_size ? ~it->size >> 1 : fb_align_key(it));
		v[n][1] = ((u64)(~it->size >> 40) << 32) | (u32)idx;
		n++;
	}
	fixedbar_sort_pairs(v, n);
	for (i = 0; i < n; i++)
		order[i] = (int)(u32)v[i][1];
	c->mov_n[ci] = n;
	c->mov_gen[ci] = c->gen;
	return n;
}

static bool fb_place_in_hole(struct fb_ctx *c, struct fb_frame *f,
			     struct fb_item *it)
{
	u64 start, size;
	int variant = 0,
	    h = fixedbar_fit_hole(c, f, it, false, &start, &variant);

	if (h >= 0) {
		fixedbar_hole_take(c, f, h, start,
				   start + fb_item_size(it, variant) - 1);
		fixedbar_place_item(c, it, start, variant);
		return true;
	}
	/* a movable window neither packing fits: split around an anchor */
	if (it->cont < 0 || !it->size1)
		return false;
	h = fixedbar_fit_hole(c, f, it, true, &start, &variant);
	if (h < 0)
		return false;
	size = fixedbar_split_size(c, it, start);
	fixedbar_hole_take(c, f, h, start, start + size - 1);
	fixedbar_place_item(c, it, start, 2);
	return true;
}

static bool fb_place_growing(struct fb_ctx *c, struct fb_frame *f,
			     struct fb_item *it, int strat)
{
	u64 start;
	int variant = 0;

	if (!fixedbar_grow(c, f, it, strat, &start, &variant) &&
	    !fixedbar_grow(c, f, it, !strat, &start, &variant))
		return false;
	fixedbar_place_item(c, it, start, variant);
	return true;
}

/*
 * Movable items, largest alignment first: into the holes, else (in a
 * bridge window) growing the extent.  With @grow_small_first, whatever the
 * holes cannot take grows the extent smallest alignment first instead: from
 * an unaligned edge that wastes no padding next to the fixed BARs.
 */
int fixedbar_place_movables(struct fb_ctx *c, struct fb_frame *f, int strat,
			    bool grow_small_first, bool by_size)
{
	u64(*v)[2] = fixedbar_movables_scratch(f);
	int i, n = fixedbar_movables(c, f, v, by_size), left = 0;

	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		if (fb_place_in_hole(c, f, it))
			continue;
		if (grow_small_first && !f->root) {
			v[left++][1] = v[i][1]; /* grown below, in reverse */
			continue;
		}
		if (f->root || !fb_place_growing(c, f, it, strat)) {
			fb_fail_item(c, f, it);
			return -ENOSPC;
		}
	}
	for (i = left - 1; i >= 0; i--) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		if (!fb_place_in_hole(c, f, it) &&
		    !fb_place_growing(c, f, it, strat)) {
			fb_fail_item(c, f, it);
			return -ENOSPC;
		}
	}
	return 0;
}

/* A recorded placement failure, kept while a search tries again. */
