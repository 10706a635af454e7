// SPDX-License-Identifier: GPL-2.0
/*
 * One attempt's set-up: which items and containers take part, their
 * mandatory spans and compact blocks (packed from the start, toward the
 * end, or split around an aligned anchor), placed as one block.
 */
#include "plan_internal.h"

/* ---- one attempt: which items take part, spans, compact blocks ---- */

static bool fb_optional_active(const struct fb_ctx *c, const struct fb_item *it)
{
	if (!(it->flags & FB_OPTIONAL) || (it->flags & FB_EXACT))
		return true;
	/* a pinned device's unassigned I/O or ROM BAR stays unassigned */
	if (fb_pinned(c, it->dev, it->slot))
		return false;
	return !it->dropped;
}

static void fb_cont_keep(struct fb_ctx *c, struct fb_cont *k)
{
	const struct fixedbar_range *cur;

	k->keep = false;
	if (k->dev < 0 || c->softpin == FB_KEEP_NONE ||
	    (c->softpin == FB_KEEP_ALL &&
	     (c->unkeep_win[k->dev] & (1u << k->win))) ||
	    (c->softpin == FB_KEEP_UNAFFECTED &&
	     c->affected[fb_root_of(c, k->dev)]))
		return;
	cur = &fb_dev(c, k->dev)->br.cur[k->win];
	if (!cur->assigned || cur->end < cur->start)
		return;
	/*
	 * A memory window or a 32-bit prefetchable one has 32-bit registers,
	 * and whatever it holds lies below 4 GiB: a current range above that
	 * is one no window of this routing can keep.
	 */
	if (cur->end >= FIXEDBAR_4G && fixedbar_cont_low(c, k - c->conts))
		return;
	k->keep = true;
	k->klo = fb_align_down(cur->start, k->gran);
	k->khi = fb_align_down(cur->end, k->gran) + k->gran - 1;
}

static void fb_span_add(struct fb_cont *k, bool *any, u64 lo, u64 hi)
{
	if (!*any || lo < k->mlo)
		k->mlo = lo;
	if (!*any || hi > k->mhi)
		k->mhi = hi;
	*any = true;
}

/*
 * Packs a movable container: largest alignment first, from offset 0 (the
 * block starts aligned to its largest member), and also from the end down
 * (the block ends aligned, and may start anywhere on its granularity).
 */
static void fb_compact(struct fb_ctx *c, struct fb_cont *k, u64 (*v)[2])
{
	u64 off = 0, top = 0, align = k->gran, sum = 0;
	int i, n = 0;

	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		/*
		 * Descending alignment; within one alignment, the members that
		 * leave the least padding before the next one come first, so
		 * the one that wastes most goes last.
		 */
		v[n][0] = ~it->align;
		v[n][1] = (((it->align - (it->size & (it->align - 1))) &
			    (it->align - 1)) >>
			   10 << 32) |
			  (u32)c->kidv[k->first_kid + i];
		n++;
	}
	fixedbar_sort_pairs(v, n);
	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		fb_align_up(off, it->align, &off);
		it->off = off;
		off += it->size;
		sum += it->size;
		/* the same order from the end down: distance from the end */
		fb_align_up(top + it->size, it->align, &top);
		it->off1 = top;
		if (it->align > align)
			align = it->align;
		if (it->flags & FB_BELOW4G && k->item >= 0)
			c->items[k->item].flags |= FB_BELOW4G;
	}
	if (!k->noreserve && k->reserve) {
		/*
		 * The room is for a hot-added device: one block aligned like
		 * the largest BAR it can take, or a 1 GiB BAR would not fit a
		 * 1 GiB reserve.  (A window with fixed BARs counts free bytes
		 * on either side of them instead: fb_place_reserve().)
		 */
		u64 ra = fb_reserve_align(k->reserve);

		fb_align_up(off, ra, &off);
		fb_align_up(top, ra, &top);
		off += k->reserve;
		top += k->reserve;
		sum += k->reserve;
		if (ra > align)
			align = ra;
	}
	fb_align_up(sum, k->gran, &k->cmin);
	fb_align_up(off, k->gran, &k->csize);
	fb_align_up(top, k->gran, &k->csize1);
	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		it->off1 = k->csize1 - it->off1;
	}
	k->calign = align;
}

static void fb_activate_cont(struct fb_ctx *c, int ki, u64 (*scratch)[2])
{
	struct fb_cont *k = &c->conts[ki];
	bool any = false, busy = false;
	int i;

	fb_cont_keep(c, k);
	k->semifixed = k->keep;
	if (k->keep)
		fb_span_add(k, &any, k->klo, k->khi);
	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		busy = true;
		if (it->flags & FB_EXACT) {
			k->semifixed = true;
			fb_span_add(k, &any, it->xstart,
				    it->xstart + it->size - 1);
		} else if (it->cont >= 0 && c->conts[it->cont].semifixed) {
			k->semifixed = true;
			fb_span_add(k, &any, c->conts[it->cont].mlo,
				    c->conts[it->cont].mhi);
		}
	}
	k->active = busy || k->keep || (!k->noreserve && k->reserve) ||
		    ki <= FB_ROOT_MEM;
	if (k->semifixed && ki > FB_ROOT_MEM) {
		k->mlo = fb_align_down(k->mlo, k->gran);
		k->mhi = fb_align_down(k->mhi, k->gran) + k->gran - 1;
	} else if (ki > FB_ROOT_MEM) {
		fb_compact(c, k, scratch);
	}
	if (k->item >= 0) {
		struct fb_item *it = &c->items[k->item];

		it->active = k->active;
		it->size = k->csize;
		it->size1 = k->semifixed ? 0 : k->csize1;
		it->align = k->calign;
	}
}

int fixedbar_activate(struct fb_ctx *c, int root, u64 (*scratch)[2])
{
	int i;

	/* an attempt's set-up costs about one hole check per item */
	c->steps += (u64)c->nr_items;
	/* what takes part changes: every cached placement order too */
	if (++c->gen == 0) {
		memset(c->mov_gen, 0, 2 * c->nr_conts * sizeof(*c->mov_gen));
		memset(c->memo, 0,
		       FB_NR_STRATS * c->nr_conts * sizeof(*c->memo));
		c->gen = 1;
	}

	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];
		u64 s;

		if (!fb_in_space(c, it->owner, root))
			continue;
		it->placed = false;
		if (it->cont >= 0) {
			const struct fb_cont *k = &c->conts[it->cont];

			it->flags &= ~FB_BELOW4G;
			if (k->below4g)
				it->flags |= FB_BELOW4G;
			continue;
		}
		it->flags &= ~FB_EXACT;
		if (fixedbar_item_exact(c, it, &s)) {
			it->flags |= FB_EXACT;
			it->xstart = s;
		}
		it->active = fb_optional_active(c, it);
	}
	/* children were created after their parents: walk backwards */
	for (i = c->nr_conts - 1; i >= 0; i--)
		if (fb_in_space(c, i, root))
			fb_activate_cont(c, i, scratch);
	return 0;
}

/* ---- placement ---- */

void fixedbar_set_fail(struct fb_ctx *c, int err, int subtree)
{
	c->err = err;
	c->p->nr_err_entries = 0;
	fixedbar_add_subtree_entries(c, subtree);
}

void fixedbar_place_compact(struct fb_ctx *c, int ki, u64 start, int variant)
{
	struct fb_cont *k = &c->conts[ki];
	int i;

	k->lo = start;
	k->hi = start + (variant ? k->csize1 : k->csize) - 1;
	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		it->placed = true;
		it->variant = 0;
		it->start = start + (variant ? it->off1 : it->off);
		if (it->cont >= 0)
			fixedbar_place_compact(c, it->cont, it->start, 0);
	}
}

/*
 * The anchor's member of a split packing with offset @o: its layout (@v:
 * 0 from its start, 1 toward its end, 2 split itself) and where the anchor
 * falls in it (@r <= @o), the one that leaves the least above the anchor.
 * Returns its size.
 */
static u64 fb_split_anchor(struct fb_ctx *c, const struct fb_item *it, u64 o,
			   int *v, u64 *r)
{
	u64 size = it->size, r1, sz;

	*v = 0;
	*r = 0;
	if (it->cont < 0 || !it->size1)
		return size;
	/* packed toward its end, its end is aligned: size1 mod align in */
	r1 = it->size1 & (it->align - 1);
	if (r1 <= o && it->size1 - r1 < size) {
		*v = 1;
		*r = r1;
		size = it->size1;
	}
	sz = o < it->align ?
		     fixedbar_split(c, &c->conts[it->cont], o, false, 0) :
		     0;
	if (sz && sz - o < size - *r) {
		*v = 2;
		*r = o;
		size = sz;
	}
	return size;
}

static void fb_split_put(struct fb_ctx *c, struct fb_item *it, int v, u64 o,
			 u64 at)
{
	it->placed = true;
	it->variant = v;
	it->start = at;
	if (v == 2)
		fixedbar_split(c, &c->conts[it->cont], o, true, at);
	else if (it->cont >= 0)
		fixedbar_place_compact(c, it->cont, at, v);
}

/* Where @it ends closest below offset @lim (aligned modulo @o), or ~0. */
static u64 fb_split_below(const struct fb_item *it, u64 lim, u64 o)
{
	u64 pos;

	if (it->size > lim)
		return ~0ULL;
	pos = fb_align_down(lim - it->size - o, it->align) + o;
	return pos <= lim ? pos : ~0ULL;
}

/* One split packing under way (fixedbar_split()). */
struct fb_split_pack {
	struct fb_ctx *c;
	const struct fb_cont *k;
	u64 o; /* the anchor's offset into the block */
	bool place; /* place the members, at ... */
	u64 start; /* ... this block start */
	u32 g; /* split_mark of the members taken */
	struct fb_item *first; /* the anchor's member */
	u64 lim; /* the room below the anchor ends here */
	u64 above; /* the block so far ends here */
};

/* A new mark for the members one call takes. */
static u32 fb_split_mark(struct fb_ctx *c)
{
	int i;

	if (++c->split_gen == 0) {
		for (i = 0; i < c->nr_items; i++)
			c->items[i].split_mark = 0;
		c->split_gen = 1;
	}
	return c->split_gen;
}

static struct fb_item *fb_split_kid(const struct fb_split_pack *s, int i)
{
	return &s->c->items[s->c->kidv[s->k->first_kid + i]];
}

/* Is kid @it of alignment @a not taken yet? */
static bool fb_split_open(const struct fb_split_pack *s,
			  const struct fb_item *it, u64 a)
{
	return it->active && it->align == a && it->split_mark != s->g;
}

/* The anchor's member: the first of the largest alignment, @a. */
static void fb_split_anchor_kid(struct fb_split_pack *s, u64 a)
{
	struct fb_item *it;
	u64 size, pos, r;
	int i, v;

	for (i = 0; !s->first && i < s->k->nr_kids; i++) {
		it = fb_split_kid(s, i);
		if (!it->active || it->align != a)
			continue;
		s->first = it;
		it->split_mark = s->g;
		size = fb_split_anchor(s->c, it, s->o, &v, &r);
		pos = s->o - r;
		s->lim = pos;
		s->above = pos + size;
		if (s->place)
			fb_split_put(s->c, it, v, s->o, s->start + pos);
	}
}

/* The room below the anchor, from it down: the largest that fits first. */
static void fb_split_below_kids(struct fb_split_pack *s, u64 a)
{
	struct fb_item *best, *it;
	u64 pos, bpos = 0;
	int i;

	for (;;) {
		best = NULL;
		for (i = 0; i < s->k->nr_kids; i++) {
			it = fb_split_kid(s, i);
			if (!fb_split_open(s, it, a))
				continue;
			pos = fb_split_below(it, s->lim, s->o);
			if (pos != ~0ULL && (!best || it->size > best->size)) {
				best = it;
				bpos = pos;
			}
		}
		if (!best)
			return;
		best->split_mark = s->g;
		s->lim = bpos;
		if (s->place)
			fb_split_put(s->c, best, 0, s->o, s->start + bpos);
	}
}

/* The rest of alignment @a above the anchor, in order; false on overflow. */
static bool fb_split_above_kids(struct fb_split_pack *s, u64 a)
{
	struct fb_item *it;
	u64 pos;
	int i;

	for (i = 0; i < s->k->nr_kids; i++) {
		it = fb_split_kid(s, i);
		if (!fb_split_open(s, it, a))
			continue;
		it->split_mark = s->g;
		if (s->above > ~0ULL - it->align)
			return false;
		pos = fb_align_up_to(s->above, it->align, s->o);
		if (pos > ~0ULL - it->size)
			return false;
		s->above = pos + it->size;
		if (s->place)
			fb_split_put(s->c, it, 0, s->o, s->start + pos);
	}
	return true;
}

/*
 * A third packing of a movable container, split around an anchor: the
 * block starts @o bytes (0 < @o < calign) before an address aligned to its
 * largest alignment, the anchor.  The first member of that alignment
 * straddles the anchor as it can: packed from its start (the anchor is its
 * start), toward its end (a window whose end is aligned), or split itself
 * (a window starting at the block's start), whichever leaves the least
 * above the anchor.  The other members fill the room below it, largest
 * alignment first, each as close to it as it can go; the rest follow it in
 * the same order.  Returns the block's size, 0 on overflow; with @place,
 * places the members for a block at @start.
 */
u64 fixedbar_split(struct fb_ctx *c, struct fb_cont *k, u64 o, bool place,
		   u64 start)
{
	struct fb_split_pack s = { .c = c,
				   .k = k,
				   .o = o,
				   .place = place,
				   .start = start,
				   .g = fb_split_mark(c) };
	u64 aligns = 0, size, a;
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = fb_split_kid(&s, i);

		if (it->active)
			aligns |= 1ULL << __builtin_ctzll(it->align);
	}
	while (aligns) {
		a = 1ULL << (63 - __builtin_clzll(aligns));
		aligns &= ~a;
		fb_split_anchor_kid(&s, a);
		fb_split_below_kids(&s, a);
		if (!fb_split_above_kids(&s, a))
			return 0;
	}
	size = s.above;
	if (!k->noreserve && size > ~0ULL - k->reserve)
		return 0;
	if (!k->noreserve)
		size += k->reserve;
	if (!fb_align_up(size, k->gran, &size))
		return 0;
	if (place) {
		k->lo = start;
		k->hi = start + size - 1;
	}
	return size;
}

/* The split packing's size for a window item starting at @start. */
u64 fixedbar_split_size(struct fb_ctx *c, const struct fb_item *it, u64 start)
{
	struct fb_cont *k = &c->conts[it->cont];

	return fixedbar_split(c, k, (0 - start) & (k->calign - 1), false, 0);
}

/*
 * The first start in hole @h for the split packing of window item @it
 * (fixedbar_split()), trying the first few granules of the hole; false if none.
 */
bool fixedbar_slot_split(struct fb_ctx *c, const struct fb_hole *h,
			 const struct fb_item *it, bool smallest, u64 *start)
{
	struct fb_cont *k;
	u64 s, a, o, size, best = 0;
	int step;

	if (it->cont < 0 || !it->size1)
		return false;
	k = &c->conts[it->cont];
	if (k->calign <= k->gran || !fb_align_up(h->lo, k->gran, &s))
		return false;
	for (step = 0;
	     step < FB_SPLIT_STEPS && s <= h->hi && h->hi - s >= k->cmin - 1;
	     step++) {
		if (!fb_align_up(s, k->calign, &a))
			return false;
		o = a - s;
		if (o) {
			size = fixedbar_split(c, k, o, false, 0);
			if (size && size - 1 <= h->hi - s &&
			    (!(it->flags & FB_BELOW4G) ||
			     s + size - 1 < FIXEDBAR_4G) &&
			    (!best || size < best)) {
				*start = s;
				if (!smallest)
					return true;
				best = size;
			}
		}
		if (s > ~0ULL - k->gran)
			break;
		s += k->gran;
	}
	return best;
}
