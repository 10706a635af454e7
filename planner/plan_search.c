// SPDX-License-Identifier: GPL-2.0
/*
 * The bounded placement searches: at the root (fb_root_search()) and
 * inside a bridge window (fb_bridge_search()) when the first-fit order
 * fails, each within FB_PLACE_SEARCH_STEPS candidates and all of them
 * within FB_PLACE_SEARCH_TOTAL per plan; and fixedbar_solve(), which places
 * one container and everything below it.
 */
#include "plan_internal.h"

struct fb_failrec {
	int err;
	struct fb_fail fail;
};

static void fb_fail_save(const struct fb_ctx *c, struct fb_failrec *r)
{
	r->err = c->err;
	r->fail = c->fail;
}

/* The colliding pair stays the latest one's: phase A lets that go next. */
static void fb_fail_restore(struct fb_ctx *c, const struct fb_failrec *r)
{
	int pair[2] = { c->fail.pair[0], c->fail.pair[1] };

	c->err = r->err;
	c->fail = r->fail;
	c->fail.pair[0] = pair[0];
	c->fail.pair[1] = pair[1];
}

/* Does hole @h suit @it in pass @pass of fixedbar_fit_hole()? */
static bool fb_hole_pass_ok(const struct fb_ctx *c, const struct fb_frame *f,
			    const struct fb_hole *h, const struct fb_item *it,
			    int pass)
{
	bool want_high = !(pass & 2) && !(it->flags & FB_BELOW4G);
	bool want_pref = !(pass & 1) && (it->flags & FB_PREFOK);

	/* a bridge window's holes: one pass, all of them */
	if (!f->root)
		return !pass;
	return fb_ap_ok(c, f, h->ap, it) &&
	       !(want_high && h->hi < FIXEDBAR_4G) &&
	       !(want_pref && !fb_ap(c, h->ap)->pref);
}

/*
 * The next candidate for placing @it in a hole of frame @f (the root's or a
 * semi-fixed window's), from cursor @cur on
 * (pass, hole, kind; the caller steps past it to get the one after): the
 * holes in the order fixedbar_fit_hole() prefers them, in each the lowest start
 * of each packing, the highest start of the first, the split packing at
 * its lowest start and at its smallest size.  False past the last.
 */
#define FB_HOLE_KINDS 5
/*
 * Candidate kind @v of @it in hole @h (@ok0: the lowest start of the first
 * packing, @p0, fits): its start in *@p, or false.
 */
static bool fb_hole_kind(struct fb_ctx *c, const struct fb_hole *h,
			 const struct fb_item *it, int v, bool ok0, u64 p0,
			 u64 *p)
{
	u64 p0s;

	switch (v) {
	case 0:
		*p = p0;
		return ok0;
	case 1:
		return it->size1 && fb_slot_v(h, it, 1, p) &&
		       !(ok0 && *p == p0);
	case 2:
		/* the highest aligned start */
		if (!ok0 || h->hi - h->lo + 1 < it->size)
			return false;
		*p = fb_align_down(h->hi - it->size + 1, it->align);
		return *p > p0 && !((it->flags & FB_BELOW4G) &&
				    *p + it->size - 1 >= FIXEDBAR_4G);
	case 3:
		return fixedbar_slot_split(c, h, it, false, p);
	default:
		/* the split packing of the smallest size */
		return fixedbar_slot_split(c, h, it, true, p) &&
		       fixedbar_slot_split(c, h, it, false, &p0s) && *p != p0s;
	}
}

static bool fb_hole_cand(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int *cur, int *hole,
			 u64 *start, int *variant, u64 *size)
{
	const struct fb_hole *h;
	int pass, i, v, nh = f->nholes;
	u64 p = 0, p0 = 0;
	bool ok0;

	for (pass = *cur / FB_HOLE_KINDS / nh; pass < 4; pass++) {
		for (i = pass == *cur / FB_HOLE_KINDS / nh ?
				 *cur / FB_HOLE_KINDS % nh :
				 0;
		     i < nh; i++) {
			h = &c->holes[f->hbase + i];
			c->place_search++;
			if (!fb_hole_pass_ok(c, f, h, it, pass) ||
			    (pass && fb_hole_pass_ok(c, f, h, it, pass - 1)))
				continue;
			ok0 = fb_slot_v(h, it, 0, &p0);
			v = (pass * nh + i) * FB_HOLE_KINDS <= *cur ?
				    *cur % FB_HOLE_KINDS :
				    0;
			for (; v < FB_HOLE_KINDS; v++) {
				if (!fb_hole_kind(c, h, it, v, ok0, p0, &p))
					continue;
				*cur = (pass * nh + i) * FB_HOLE_KINDS + v;
				*hole = i;
				*start = p;
				*variant = v >= 3 ? 2 : v == 2 ? 0 : v;
				*size = *variant == 2 ?
						fixedbar_split_size(c, it, p) :
						fb_item_size(it, *variant);
				return true;
			}
		}
	}
	return false;
}

/* Undoes fixedbar_hole_take() of [@lo, @hi] from hole @h, which was number @i. */
static void fb_hole_untake(struct fb_ctx *c, struct fb_frame *f, int i,
			   const struct fb_hole *h, u64 lo, u64 hi)
{
	int k = (lo > h->lo) + (hi < h->hi);

	memmove(&c->holes[f->hbase + i + 1], &c->holes[f->hbase + i + k],
		(f->nholes - i - k) * sizeof(*h));
	c->holes[f->hbase + i] = *h;
	f->nholes += 1 - k;
	c->nr_holes += 1 - k;
}

/*
 * Bytes of [@lo, @hi] in aperture @ap by what may use them: [0] any item,
 * [1] the part below 4 GiB, [2] non-prefetchable items, [3] both.
 */
static void fb_room(const struct fb_ctx *c, int ap, u64 lo, u64 hi, u64 *room)
{
	u64 all = hi - lo + 1, low = lo >= FIXEDBAR_4G ? 0 :
				     hi < FIXEDBAR_4G  ? all :
							 FIXEDBAR_4G - lo;
	bool np = ap >= 0 && !fb_ap(c, ap)->pref;

	room[0] = all;
	room[1] = low;
	room[2] = np ? all : 0;
	room[3] = np ? low : 0;
}

static bool fb_room_short(const u64 *need, const u64 *room)
{
	return need[0] > room[0] || need[1] > room[1] || need[2] > room[2] ||
	       need[3] > room[3];
}

static void fb_room_add(u64 *room, const u64 *x, bool sub)
{
	int i;

	for (i = 0; i < 4; i++)
		room[i] = sub ? room[i] - x[i] : room[i] + x[i];
}

/* Has the search that started at @first used up its candidates? */
static bool fb_search_spent(const struct fb_ctx *c, u32 first)
{
	return c->place_search - first >= FB_PLACE_SEARCH_STEPS ||
	       c->place_search >= FB_PLACE_SEARCH_TOTAL;
}

/* A root search's levels: where each took its hole, and the room left. */
struct fb_rsearch {
	struct fb_hole *orig; /* per level: the hole before it took it */
	int *ci, *hi; /* ... the candidate, the hole */
	u64 *at, *sz; /* ... the place taken */
	u64 (*rest)[4]; /* what it and those after need (fb_room()) */
	u64 room[4]; /* what the holes still hold */
};

static void fb_rsearch_free(struct fb_rsearch *s)
{
	fixedbar_free(s->orig);
	fixedbar_free(s->ci);
	fixedbar_free(s->hi);
	fixedbar_free(s->at);
	fixedbar_free(s->sz);
	fixedbar_free(s->rest);
}

static bool fb_rsearch_alloc(struct fb_ctx *c, const struct fb_frame *f,
			     u64 (*v)[2], int n, struct fb_rsearch *s)
{
	u64 x[4];
	int i;

	s->orig = fixedbar_zalloc((n + 1) * sizeof(*s->orig));
	s->ci = fixedbar_zalloc((n + 1) * sizeof(*s->ci));
	s->hi = fixedbar_zalloc((n + 1) * sizeof(*s->hi));
	s->at = fixedbar_zalloc((n + 1) * sizeof(*s->at));
	s->sz = fixedbar_zalloc((n + 1) * sizeof(*s->sz));
	s->rest = fixedbar_zalloc((n + 1) * sizeof(*s->rest));
	if (!s->orig || !s->ci || !s->hi || !s->at || !s->sz || !s->rest)
		return false;
	for (i = 0; i < f->nholes; i++) {
		const struct fb_hole *h = &c->holes[f->hbase + i];

		fb_room(c, h->ap, h->lo, h->hi, x);
		fb_room_add(s->room, x, false);
	}
	/*
	 * What items d.. need at least (a window: its members' sum), in all,
	 * below 4 GiB, in non-prefetchable apertures, both.
	 */
	for (i = n - 1; i >= 0; i--) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];
		u64 need = it->size1 ? c->conts[it->cont].cmin : it->size;
		bool low = it->flags & FB_BELOW4G, np = it->flags & FB_NONPREF;

		memcpy(s->rest[i], s->rest[i + 1], sizeof(s->rest[i]));
		s->rest[i][0] += need;
		s->rest[i][1] += low ? need : 0;
		s->rest[i][2] += np ? need : 0;
		s->rest[i][3] += low && np ? need : 0;
	}
	return true;
}

/* Level @d takes [@start, +@size) from its hole. */
static void fb_rsearch_take(struct fb_ctx *c, struct fb_frame *f,
			    struct fb_rsearch *s, int d, u64 start, u64 size)
{
	u64 x[4];

	s->orig[d] = c->holes[f->hbase + s->hi[d]];
	s->at[d] = start;
	s->sz[d] = size;
	fixedbar_hole_take(c, f, s->hi[d], start, start + size - 1);
	fb_room(c, s->orig[d].ap, start, start + size - 1, x);
	fb_room_add(s->room, x, true);
}

/* Level @d gives its place back to its hole. */
static void fb_rsearch_untake(struct fb_ctx *c, struct fb_frame *f,
			      struct fb_rsearch *s, int d)
{
	u64 x[4], end = s->at[d] + s->sz[d] - 1;

	fb_hole_untake(c, f, s->hi[d], &s->orig[d], s->at[d], end);
	fb_room(c, s->orig[d].ap, s->at[d], end, x);
	fb_room_add(s->room, x, false);
}

/*
 * Backtracking over the root's movables (@n of them, in placement order in
 * @v) when first fit leaves one without room: each tries every candidate of
 * fb_hole_cand() in turn, as long as what is left could still fit in the
 * free bytes (fb_room()), until it has looked at FB_PLACE_SEARCH_STEPS
 * holes (and FB_PLACE_SEARCH_TOTAL in the whole plan).  Siblings at the
 * root are where a first fit most often takes the only slot a later item
 * could use.
 */
static bool fb_root_search(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
			   int n)
{
	struct fb_rsearch s = { 0 };
	u32 first = c->place_search;
	bool found = false, ok;
	int d = 0, variant;
	u64 start, size;

	if (!fb_rsearch_alloc(c, f, v, n, &s))
		goto out;
	while (d >= 0) {
		struct fb_item *it;

		if (d == n) {
			found = true;
			break;
		}
		it = &c->items[(u32)v[d][1]];
		ok = !fb_room_short(s.rest[d], s.room) &&
		     !fb_search_spent(c, first) &&
		     c->nr_holes + 2 <= c->max_holes && f->nholes &&
		     fb_hole_cand(c, f, it, &s.ci[d], &s.hi[d], &start,
				  &variant, &size);
		if (!ok) {
			if (fb_search_spent(c, first)) {
				c->gave_up |= FB_GAVE_UP_PLACE;
				break;
			}
			/* back: undo the level above, try its next candidate */
			s.ci[d] = 0;
			if (--d < 0)
				break;
			fb_rsearch_untake(c, f, &s, d);
			s.ci[d]++;
			continue;
		}
		if (!size) {
			s.ci[d]++;
			continue;
		}
		fb_rsearch_take(c, f, &s, d, start, size);
		fixedbar_place_item(c, it, start, variant);
		s.ci[++d] = 0;
	}
out:
	fb_rsearch_free(&s);
	return found;
}

/* Does a movable item of the frame's container span more than its alignment? */
static bool fb_odd_sizes(const struct fb_ctx *c, const struct fb_frame *f)
{
	const struct fb_cont *k = &c->conts[f->k];
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (it->active && !(it->flags & FB_EXACT) &&
		    !(it->cont >= 0 && c->conts[it->cont].semifixed) &&
		    it->size > it->align)
			return true;
	}
	return false;
}

static void fb_place_root_once_holes(struct fb_ctx *c, struct fb_frame *f)
{
	u32 a;

	c->nr_holes = f->hbase;
	f->nholes = 0;
	for (a = 0; a < c->t->nr_apertures; a++) {
		const struct fixedbar_aperture *ap = fb_ap(c, a);

		if (ap->type !=
		    (f->k == FB_ROOT_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM))
			continue;
		fixedbar_holes_between(c, f, ap->start, ap->end, a);
	}
}

static int fb_place_root_once(struct fb_ctx *c, struct fb_frame *f,
			      bool by_size)
{
	fb_place_root_once_holes(c, f);
	return fixedbar_place_movables(c, f, FB_UP, false, by_size);
}

/*
 * The root's movables, first fit; if one finds no room, first fit largest
 * size first when some span more than their alignment (a group of VF BARs
 * after the BARs of a larger alignment can find their room taken piecemeal,
 * as in a bridge window), then a backtracking search over all of them
 * (fb_root_search()).  A failure reports first fit's.
 */
static int fb_place_root(struct fb_ctx *c, struct fb_frame *f)
{
	u64(*v)[2] = fixedbar_movables_scratch(f);
	int err = fb_place_root_once(c, f, false), n;
	struct fb_failrec first;

	if (err != -ENOSPC || c->exhausted)
		return err;
	fb_fail_save(c, &first);
	if (fb_odd_sizes(c, f) && !fb_place_root_once(c, f, true))
		return 0;
	if (c->exhausted)
		return -ENOSPC;
	/* the holes as first fit found them, the movables in its order */
	fb_place_root_once_holes(c, f);
	n = fixedbar_movables(c, f, v, false);
	if (fb_root_search(c, f, v, n))
		return 0;
	fb_fail_restore(c, &first);
	return err;
}

static u64 fb_free_bytes(const struct fb_ctx *c, const struct fb_frame *f)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < f->nholes; i++)
		sum += c->holes[f->hbase + i].hi - c->holes[f->hbase + i].lo +
		       1;
	return sum;
}

/* Free bytes between the extent and its bound toward @dir, in granules. */
static u64 fb_side_room(const struct fb_frame *f, int dir, u64 gran)
{
	if (dir == FB_UP)
		return f->bhi > f->cur_hi ?
			       fb_align_down(f->bhi - f->cur_hi, gran) :
			       0;
	return f->cur_lo > f->blo ? fb_align_down(f->cur_lo - f->blo, gran) : 0;
}

/*
 * Grows the extent by @room's size as far as it can toward @strat, the rest
 * the other way: room on both sides of the fixed BARs.  False when the two
 * sides together are too small.
 */
static bool fb_grow_both(struct fb_ctx *c, struct fb_frame *f,
			 const struct fb_item *room, int strat)
{
	u64 side = fb_side_room(f, strat, room->align), start;
	struct fb_item part = *room;
	int variant;

	if (!side || side >= room->size ||
	    fb_side_room(f, !strat, room->align) < room->size - side)
		return false;
	part.size = side;
	if (!fixedbar_grow(c, f, &part, strat, &start, &variant))
		return false;
	part.size = room->size - side;
	return fixedbar_grow(c, f, &part, !strat, &start, &variant);
}

/* Whether [@lo, @hi] holds a block of @size starting at a multiple of @a */
static bool fb_block_fits(u64 lo, u64 hi, u64 size, u64 a)
{
	u64 s = (lo + a - 1) & ~(a - 1);

	return lo <= hi && s >= lo && s <= hi && hi - s >= size - 1;
}

/*
 * Whether one free hole of the frame, or the slack the granule adds at
 * either end of [@lo, @hi], holds a block of @size aligned to @size's
 * largest power of two: what a hot-added BAR of the reserve's size needs.
 */
static bool fb_reserve_fits(const struct fb_ctx *c, const struct fb_frame *f,
			    u64 lo, u64 hi, u64 size)
{
	u64 a = fb_reserve_align(size);
	const struct fb_hole *h;
	int i;

	if (f->cur_lo > lo && fb_block_fits(lo, f->cur_lo - 1, size, a))
		return true;
	if (f->cur_hi < hi && fb_block_fits(f->cur_hi + 1, hi, size, a))
		return true;
	for (i = 0; i < f->nholes; i++) {
		h = &c->holes[f->hbase + i];
		if (fb_block_fits(h->lo, h->hi, size, a))
			return true;
	}
	return false;
}

/*
 * Grows the extent until it holds the hotplug reserve: the room beyond its
 * content, on either side of its fixed BARs, when the port has devices;
 * for an empty slot one block aligned like the largest BAR it can take
 * (plan_pack.c's rule), since free bytes scattered over several holes, or
 * one unaligned block, would not take a hot-added BAR of the hint's size.
 */
static int fb_place_reserve(struct fb_ctx *c, struct fb_frame *f, int strat)
{
	struct fb_cont *k = &c->conts[f->k];
	u64 lo = fb_align_down(f->cur_lo, k->gran);
	u64 hi = fb_align_down(f->cur_hi, k->gran) + k->gran - 1;
	u64 have = fb_free_bytes(c, f) + (f->cur_lo - lo) + (hi - f->cur_hi);
	struct fb_item dummy;
	int variant;
	u64 start;
	bool empty = !k->nr_kids;
	bool fits = k->noreserve || !k->reserve ||
		    (have >= k->reserve &&
		     (!empty || fb_reserve_fits(c, f, lo, hi, k->reserve)));

	f->cur_lo = lo;
	f->cur_hi = hi;
	if (fits)
		return 0;
	memset(&dummy, 0, sizeof(dummy));
	dummy.align = k->gran;
	if (empty) {
		fb_align_up(k->reserve, k->gran, &dummy.size);
		if (fb_reserve_align(k->reserve) > k->gran)
			dummy.align = fb_reserve_align(k->reserve);
	} else {
		fb_align_up(k->reserve - have, k->gran, &dummy.size);
	}
	if (fixedbar_grow(c, f, &dummy, strat, &start, &variant) ||
	    (!empty && fb_grow_both(c, f, &dummy, strat)) ||
	    fixedbar_grow(c, f, &dummy, !strat, &start, &variant))
		return 0;
	fixedbar_record_fail(c, f, FB_FAIL_RESERVE, k->item, -ENOSPC);
	return -ENOSPC;
}

/* The frame of a semi-fixed window before any movable: its fixed points. */
static void fb_bridge_frame_reset(struct fb_ctx *c, struct fb_frame *f)
{
	struct fb_cont *k = &c->conts[f->k];
	int i;

	c->nr_holes = f->hbase;
	f->nholes = 0;
	f->cur_lo = k->mlo;
	f->cur_hi = k->mhi;
	for (i = 0; i < f->nfp; i++) {
		u64 s = fb_fp_start(c, f->fp[i][1]),
		    e = fb_fp_end(c, f->fp[i][1]);

		if (s < f->cur_lo)
			f->cur_lo = s;
		if (e > f->cur_hi)
			f->cur_hi = e;
	}
	fixedbar_holes_between(c, f, f->cur_lo, f->cur_hi, -1);
}

static int fb_place_bridge_done(struct fb_ctx *c, struct fb_frame *f, int strat)
{
	struct fb_cont *k = &c->conts[f->k];
	int err = fb_place_reserve(c, f, strat);

	if (err)
		return err;
	k->lo = f->cur_lo;
	k->hi = f->cur_hi;
	k->grew = k->lo != k->mlo || k->hi != k->mhi;
	return 0;
}

static int fb_place_bridge_order(struct fb_ctx *c, struct fb_frame *f,
				 int strat, bool grow_small_first, bool by_size)
{
	int err;

	fb_bridge_frame_reset(c, f);
	err = fixedbar_place_movables(c, f, strat, grow_small_first, by_size);
	return err ? err : fb_place_bridge_done(c, f, strat);
}

/*
 * Growth candidate @g (< FB_GROW_KINDS) of @it: next to the extent up,
 * then down, in each packing; then as far from it as the bounds allow,
 * down and up (the room between becomes a hole).
 */
#define FB_GROW_KINDS 8
static bool fb_grow_cand(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int g, int *dir, u64 *start,
			 int *variant, u64 *size)
{
	u64 lim = f->bhi, p;

	if (g >= 6) {
		*dir = g == 6 ? FB_DOWN : FB_UP;
		*variant = 0;
		*size = it->size;
		if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
			lim = FIXEDBAR_4G - 1;
		if (!it->size || lim < f->blo || lim - f->blo < it->size - 1)
			return false;
		if (g == 6) {
			if (!fb_align_up(f->blo, it->align, &p) ||
			    p > lim - (it->size - 1) ||
			    p + it->size - 1 >= f->cur_lo)
				return false;
		} else {
			p = fb_align_down(lim - (it->size - 1), it->align);
			if (p < f->blo || p <= f->cur_hi)
				return false;
		}
		*start = p;
		return true;
	}
	*dir = g < 3 ? FB_UP : FB_DOWN;
	*variant = g % 3;
	if (*variant == 2)
		return fixedbar_grow_split(c, f, it, *dir, start, size);
	*size = fb_item_size(it, *variant);
	return fixedbar_grow_at(c, f, it, *dir, *variant, start);
}

/* A bridge search's levels: the frame each goes back to, its candidate. */
struct fb_bsearch {
	int nh; /* holes one level's copy holds */
	struct fb_hole *snap; /* per level: the frame's holes ... */
	int *cnt; /* ... how many */
	u64 *lo, *hi; /* ... and its extent */
	int *ci; /* per level: the candidate it is at */
	u64 *rest; /* per level: what it and those after need */
};

static void fb_bsearch_free(struct fb_bsearch *s)
{
	fixedbar_free(s->snap);
	fixedbar_free(s->ci);
	fixedbar_free(s->cnt);
	fixedbar_free(s->lo);
	fixedbar_free(s->hi);
	fixedbar_free(s->rest);
}

static bool fb_bsearch_alloc(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
			     int n, struct fb_bsearch *s)
{
	int i;

	s->nh = f->nholes + 2 * n + 4;
	s->snap = fixedbar_zalloc((n + 1) * s->nh * sizeof(*s->snap));
	s->ci = fixedbar_zalloc((n + 1) * sizeof(*s->ci));
	s->cnt = fixedbar_zalloc((n + 1) * sizeof(*s->cnt));
	s->lo = fixedbar_zalloc((n + 1) * sizeof(*s->lo));
	s->hi = fixedbar_zalloc((n + 1) * sizeof(*s->hi));
	s->rest = fixedbar_zalloc((n + 1) * sizeof(*s->rest));
	if (!s->snap || !s->ci || !s->cnt || !s->lo || !s->hi || !s->rest ||
	    c->nr_holes + 2 * n + 4 > c->max_holes)
		return false;
	for (i = n - 1; i >= 0; i--) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];

		s->rest[i] = s->rest[i + 1] +
			     (it->size1 ? c->conts[it->cont].cmin : it->size);
	}
	return true;
}

/* Level @d's copy of the frame, taken on its first visit. */
static void fb_bsearch_keep(struct fb_ctx *c, const struct fb_frame *f,
			    struct fb_bsearch *s, int d)
{
	memcpy(&s->snap[d * s->nh], &c->holes[f->hbase],
	       f->nholes * sizeof(*s->snap));
	s->cnt[d] = f->nholes;
	s->lo[d] = f->cur_lo;
	s->hi[d] = f->cur_hi;
}

/* Back to level @d's frame. */
static void fb_bsearch_back(struct fb_ctx *c, struct fb_frame *f,
			    const struct fb_bsearch *s, int d)
{
	memcpy(&c->holes[f->hbase], &s->snap[d * s->nh],
	       s->cnt[d] * sizeof(*s->snap));
	f->nholes = s->cnt[d];
	c->nr_holes = f->hbase + s->cnt[d];
	f->cur_lo = s->lo[d];
	f->cur_hi = s->hi[d];
}

/* The room left in the frame: its holes and what the extent may grow. */
static u64 fb_bridge_free(const struct fb_ctx *c, const struct fb_frame *f)
{
	u64 room = (f->cur_lo - f->blo) + (f->bhi - f->cur_hi);
	int i;

	for (i = 0; i < f->nholes; i++)
		room += c->holes[f->hbase + i].hi - c->holes[f->hbase + i].lo +
			1;
	return room;
}

/*
 * The next candidate for @it from *@ci on: in the holes while what is left
 * (@rest) could fit, then growing the extent.  Sets *@h to the hole, or -1.
 */
static bool fb_bridge_cand(struct fb_ctx *c, const struct fb_frame *f,
			   const struct fb_item *it, u64 rest, int *ci, int *h,
			   int *dir, u64 *start, int *variant, u64 *size)
{
	bool ok = rest <= fb_bridge_free(c, f);
	int nc = ok && f->nholes ? 4 * f->nholes * FB_HOLE_KINDS : 0;

	*h = -1;
	if (ok && *ci < nc) {
		ok = fb_hole_cand(c, f, it, ci, h, start, variant, size);
		if (!ok)
			*ci = nc;
	}
	if (*h < 0 && *ci >= nc) {
		ok = false;
		for (; *ci < nc + FB_GROW_KINDS && !ok; (*ci)++) {
			c->place_search++;
			ok = fb_grow_cand(c, f, it, *ci - nc, dir, start,
					  variant, size) &&
			     *size;
		}
		(*ci)--;
	}
	return ok;
}

/*
 * Backtracking over a semi-fixed window's movables (@n of them, in
 * placement order in @v) when the placement orders above all leave one
 * without room: each tries every candidate of fb_hole_cand() in turn, then
 * those of fb_grow_cand(), as long as what is left
 * could still fit in the holes and the room to grow, until it has looked
 * at FB_PLACE_SEARCH_STEPS candidates (and FB_PLACE_SEARCH_TOTAL in the
 * whole plan).  Each level keeps a copy of the frame to go back to.
 */
static bool fb_bridge_search(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
			     int n)
{
	struct fb_bsearch s = { 0 };
	int d = 0, variant, dir = FB_UP, h;
	u32 first = c->place_search;
	bool found = false;
	u64 start, size;

	if (!fb_bsearch_alloc(c, f, v, n, &s))
		goto out;
	s.ci[0] = 0;
	for (;;) {
		struct fb_item *it;

		if (s.ci[d] == 0)
			fb_bsearch_keep(c, f, &s, d);
		if (d == n) {
			found = true;
			break;
		}
		it = &c->items[(u32)v[d][1]];
		if (fb_search_spent(c, first)) {
			c->gave_up |= FB_GAVE_UP_PLACE;
			break;
		}
		if (!fb_bridge_cand(c, f, it, s.rest[d], &s.ci[d], &h, &dir,
				    &start, &variant, &size)) {
			/* back: the level above, its next candidate */
			if (--d < 0)
				break;
			fb_bsearch_back(c, f, &s, d);
			s.ci[d]++;
			continue;
		}
		if (!size) {
			s.ci[d]++;
			continue;
		}
		if (h >= 0)
			fixedbar_hole_take(c, f, h, start, start + size - 1);
		else
			fixedbar_grow_apply(c, f, dir, start, start + size - 1);
		fixedbar_place_item(c, it, start, variant);
		s.ci[++d] = 0;
	}
out:
	fb_bsearch_free(&s);
	return found;
}

/*
 * Could the movables fit at all, in the holes and the room to grow?  Each
 * search also counts its frame copies against the plan's search budget,
 * so a window that fails again and again stops searching.
 */
static bool fb_bridge_room(struct fb_ctx *c, const struct fb_frame *f,
			   u64 (*v)[2], int n)
{
	u64 need = 0, room = (f->cur_lo - f->blo) + (f->bhi - f->cur_hi);
	int i;

	for (i = 0; i < f->nholes; i++)
		room += c->holes[f->hbase + i].hi - c->holes[f->hbase + i].lo +
			1;
	for (i = 0; i < n; i++) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];

		need += it->size1 ? c->conts[it->cont].cmin : it->size;
	}
	if (need > room)
		return false;
	if (c->place_search >= FB_PLACE_SEARCH_TOTAL) {
		c->gave_up |= FB_GAVE_UP_PLACE;
		return false;
	}
	c->place_search += (u32)(n + 1) * (u32)(f->nholes + 2 * n + 4);
	return true;
}

/* The search above, from the frame's fixed points; keeps the first failure. */
static int fb_place_bridge_searched(struct fb_ctx *c, struct fb_frame *f,
				    int strat, int err)
{
	u64(*v)[2] = fixedbar_movables_scratch(f);
	struct fb_failrec first;
	int n;

	fb_fail_save(c, &first);
	fb_bridge_frame_reset(c, f);
	n = fixedbar_movables(c, f, v, false);
	if (n <= FB_BRIDGE_SEARCH_ITEMS && fb_bridge_room(c, f, v, n) &&
	    fb_bridge_search(c, f, v, n) && !fb_place_bridge_done(c, f, strat))
		return 0;
	fb_fail_restore(c, &first);
	return err;
}

static int fb_place_bridge_strat(struct fb_ctx *c, struct fb_frame *f,
				 int strat)
{
	int err = fb_place_bridge_order(c, f, strat, false, false);

	if (err == -ENOSPC && !c->exhausted)
		err = fb_place_bridge_order(c, f, strat, true, false);
	if (err == -ENOSPC && !c->exhausted && fb_odd_sizes(c, f))
		err = fb_place_bridge_order(c, f, strat, false, true);
	if (err == -ENOSPC && !c->exhausted)
		err = fb_place_bridge_searched(c, f, strat, err);
	return err;
}

static int fb_place_bridge_up(struct fb_ctx *c, struct fb_frame *f)
{
	return fb_place_bridge_strat(c, f, FB_UP);
}

static int fb_place_bridge_down(struct fb_ctx *c, struct fb_frame *f)
{
	return fb_place_bridge_strat(c, f, FB_DOWN);
}

/*
 * A window placed within the very bounds and direction it failed in
 * before, in the same attempt, fails again: every input of its placement
 * is the same.  Says so at once, with the failure it recorded then.
 */
static bool fb_memo_hit(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat)
{
	const struct fb_memo *m = &c->memo[ki * FB_NR_STRATS + strat];

	if (m->gen != c->gen || m->blo != blo || m->bhi != bhi)
		return false;
	c->fail = m->fail;
	c->err = m->err;
	return true;
}

/* Notes a failure that only the bounds caused, not a spent budget. */
static void fb_memo_note(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat,
			 u8 gave_up0)
{
	struct fb_memo *m = &c->memo[ki * FB_NR_STRATS + strat];

	if (c->gave_up != gave_up0 || c->exhausted ||
	    c->fail.kind == FB_FAIL_NONE)
		return;
	m->gen = c->gen;
	m->blo = blo;
	m->bhi = bhi;
	m->err = c->err;
	m->fail = c->fail;
}

/*
 * Places container @ki: the root (@blo/@bhi unused) or a semi-fixed bridge
 * window whose extent must stay within [@blo, @bhi].
 */
int fixedbar_solve(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat)
{
	struct fb_frame f;
	int err, top = c->sort_top;
	const struct fb_cont *k = &c->conts[ki];
	u8 gave_up0;

	if (++c->work > FB_WORK_LIMIT || c->steps > FB_STEP_LIMIT) {
		/* every attempt after the limit fails here: each says why */
		snprintf(c->msg, sizeof(c->msg),
			 "search limit reached before everything was placed");
		c->exhausted = true;
		c->gave_up |= FB_GAVE_UP_WORK;
		c->fail.kind = FB_FAIL_NONE;
		return -ENOSPC;
	}
	if (ki > FB_ROOT_MEM && fb_memo_hit(c, ki, blo, bhi, strat))
		return -ENOSPC;
	gave_up0 = c->gave_up;
	memset(&f, 0, sizeof(f));
	f.k = ki;
	f.root = ki <= FB_ROOT_MEM;
	f.blo = blo;
	f.bhi = bhi;
	f.hbase = c->nr_holes;
	/* fixed points, strategy bytes, then movables: <= 3 pairs per kid */
	f.fp = c->sortv + c->sort_top;
	c->sort_top += 3 * k->nr_kids + 2;
	err = fixedbar_fixed_points(c, &f);
	if (!err)
		err = fixedbar_solve_kids(c, &f, f.root ? FB_UP : strat,
					  f.root ? fb_place_root :
					  strat == FB_UP ?
						   fb_place_bridge_up :
						   fb_place_bridge_down);
	c->nr_holes = f.hbase;
	c->sort_top = top;
	if (err == -ENOSPC && !f.root)
		fb_memo_note(c, ki, blo, bhi, strat, gave_up0);
	return err;
}
