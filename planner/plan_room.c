// SPDX-License-Identifier: GPL-2.0
/*
 * Making room after a failed attempt: optional BARs and window reserves
 * given up, movable prefetchable items rerouted to their bridge's memory
 * window, and, in phase A, kept resources let go (unkeeping) where a
 * failure shows they are in the way.
 */
#include "plan_internal.h"

/* ---- attempts, output ---- */

static u64 fb_cont_used(const struct fb_ctx *c, const struct fb_cont *k)
{
	u64 used = 0;
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		if (it->cont >= 0)
			used += c->conts[it->cont].hi - c->conts[it->cont].lo +
				1;
		else
			used += it->size;
	}
	return used;
}

void fixedbar_space_warnings(struct fb_ctx *c, int root)
{
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN];
	char text[FIXEDBAR_MSG_LEN];
	int i;

	for (i = 0; i < c->nr_items; i++) {
		const struct fb_item *it = &c->items[i];

		if (it->active || it->slot < 0 ||
		    !fb_in_space(c, it->owner, root) ||
		    fb_pinned(c, it->dev, it->slot))
			continue;
		fixedbar_path(c, it->dev, path, sizeof(path));
		fixedbar_fmt_size(c, it, res, sizeof(res));
		snprintf(text, sizeof(text),
			 "%s %s %s: no space left, stays unassigned", path,
			 fixedbar_slot_name(it->slot), res);
		fixedbar_warn(c, text);
	}
	for (i = FB_ROOT_MEM + 1; i < c->nr_conts; i++) {
		const struct fb_cont *k = &c->conts[i];

		if (!k->reserve || !k->noreserve || !fb_in_space(c, i, root))
			continue;
		if (k->active &&
		    k->hi - k->lo + 1 - fb_cont_used(c, k) >= k->reserve)
			continue;
		fixedbar_path(c, k->dev, path, sizeof(path));
		snprintf(text, sizeof(text),
			 "%s %s: hotplug reserve of %#llx not honoured; no space",
			 path, fixedbar_win_name(k->win),
			 (unsigned long long)k->reserve);
		fixedbar_warn(c, text);
	}
}

/* Is container @ki, or the container of item @ii, inside container @top? */
static bool fb_below(const struct fb_ctx *c, int ki, int top)
{
	while (ki != top && ki > FB_ROOT_MEM)
		ki = c->items[c->conts[ki].item].owner;
	return ki == top;
}

static int fb_pick_reserve(const struct fb_ctx *c, int root, int scope)
{
	int i, best = -1;

	for (i = FB_ROOT_MEM + 1; i < c->nr_conts; i++) {
		const struct fb_cont *k = &c->conts[i];

		if (!k->reserve || k->noreserve || !fb_in_space(c, i, root) ||
		    (scope >= 0 && !fb_below(c, i, scope)))
			continue;
		if (best < 0 || k->reserve > c->conts[best].reserve)
			best = i;
	}
	return best;
}

static int fb_pick_optional(const struct fb_ctx *c, int root, int scope)
{
	int i, best = -1;

	for (i = 0; i < c->nr_items; i++) {
		const struct fb_item *it = &c->items[i], *b;

		if (!(it->flags & FB_OPTIONAL) || (it->flags & FB_EXACT) ||
		    it->dropped || !fb_in_space(c, it->owner, root) ||
		    /* keeping the layout: only give up what had no place */
		    (c->softpin != FB_KEEP_NONE && (it->flags & FB_WASSET)) ||
		    (scope >= 0 && !fb_below(c, it->owner, scope)))
			continue;
		if (best < 0) {
			best = i;
			continue;
		}
		b = &c->items[best];
		/* keep what was assigned before; give up the largest first */
		if ((b->flags & FB_WASSET) > (it->flags & FB_WASSET) ||
		    ((b->flags & FB_WASSET) == (it->flags & FB_WASSET) &&
		     it->size >= b->size))
			best = i;
	}
	return best;
}

/*
 * Makes room after a failed placement: first hotplug reserves, then
 * optional BARs (I/O and ROM), near the failure before anywhere else.
 */
static void fb_drop_set(struct fb_ctx *c, int e, bool drop)
{
	if (e >= 0) {
		struct fb_item *it = &c->items[e];

		it->dropped = drop;
		if (drop)
			c->drop_mask[it->dev] |= 1u << it->slot;
		else
			c->drop_mask[it->dev] &= ~(1u << it->slot);
	} else {
		struct fb_cont *k = &c->conts[~e];

		k->noreserve = drop;
		if (drop)
			c->nores_mask[k->dev] |= 1u << k->win;
		else
			c->nores_mask[k->dev] &= ~(1u << k->win);
	}
}

static void fb_drop_log(struct fb_ctx *c, int e)
{
	fb_drop_set(c, e, true);
	if (c->nr_droplog < c->nr_items + c->nr_conts)
		c->droplog[c->nr_droplog++] = e;
}

static void fb_drop(struct fb_ctx *c, struct fb_item *it)
{
	fb_drop_log(c, (int)(it - c->items));
}

static void fb_drop_reserve(struct fb_ctx *c, struct fb_cont *k)
{
	fb_drop_log(c, ~(int)(k - c->conts));
}

/*
 * Gives up only the first @steps fixedbar_make_room() calls of the last
 * batch and takes back the rest.
 */
void fixedbar_drop_prefix(struct fb_ctx *c, int steps)
{
	int i, end = steps < c->nr_dropsteps ? c->dropstep[steps] :
					       c->nr_droplog;

	for (i = 0; i < c->nr_droplog; i++)
		fb_drop_set(c, c->droplog[i], i < end);
}

/* Gives up every optional BAR below the window that did not fit. */
static bool fb_drop_below(struct fb_ctx *c, int root)
{
	const struct fb_item *f;
	bool any = false;
	int i;

	if (c->fail.item < 0 || c->items[c->fail.item].cont < 0)
		return false;
	f = &c->items[c->fail.item];
	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];

		if ((it->flags & FB_OPTIONAL) && !(it->flags & FB_EXACT) &&
		    !it->dropped && fb_in_space(c, it->owner, root) &&
		    !(c->softpin != FB_KEEP_NONE && (it->flags & FB_WASSET)) &&
		    fb_below(c, it->owner, f->cont)) {
			fb_drop(c, it);
			any = true;
		}
	}
	return any;
}

static bool fb_make_room(struct fb_ctx *c, int root)
{
	int scope = c->fail.cont, pass, v;

	if (c->fail.item >= 0 && c->items[c->fail.item].cont >= 0) {
		v = fb_pick_reserve(c, root, c->items[c->fail.item].cont);
		if (v >= 0) {
			fb_drop_reserve(c, &c->conts[v]);
			return true;
		}
		if (fb_drop_below(c, root))
			return true;
	}

	/*
	 * Only inside the container that failed, when the failure names one:
	 * dropping elsewhere leaves that failure as it was and repeats it.
	 */
	for (pass = 0; pass < 4; pass++) {
		int sc = pass < 2 ? scope : -1;

		if ((pass < 2 && sc < 0) || (pass >= 2 && scope >= 0))
			continue;
		if (!(pass & 1)) {
			v = fb_pick_reserve(c, root, sc);
			if (v >= 0) {
				fb_drop_reserve(c, &c->conts[v]);
				return true;
			}
		} else {
			v = fb_pick_optional(c, root, sc);
			if (v >= 0) {
				fb_drop(c, &c->items[v]);
				return true;
			}
		}
	}
	return false;
}

void fixedbar_spent_get(const struct fb_ctx *c, struct fb_spent *s)
{
	s->work = c->work;
	s->place = c->place_search;
	s->steps = c->steps;
	s->exhausted = c->exhausted;
	s->gave_up = c->gave_up;
}

void fixedbar_spent_set(struct fb_ctx *c, const struct fb_spent *s)
{
	c->work = s->work;
	c->place_search = s->place;
	c->steps = s->steps;
	c->exhausted = s->exhausted;
	c->gave_up = s->gave_up;
}

/* Adds what was spent from @then to @now to what the context has spent. */
void fixedbar_spent_charge(struct fb_ctx *c, const struct fb_spent *then,
			   const struct fb_spent *now)
{
	c->work += now->work - then->work;
	c->place_search += now->place - then->place;
	c->steps += now->steps - then->steps;
	c->exhausted |= now->exhausted;
	c->gave_up |= now->gave_up;
}

/* One step of making room, logged as one step of the batch. */
bool fixedbar_make_room(struct fb_ctx *c, int root)
{
	int at = c->nr_droplog;

	if (!fb_make_room(c, root))
		return false;
	if (c->nr_droplog > at)
		c->dropstep[c->nr_dropsteps++] = at;
	return true;
}

/*
 * Changes one thing that may make room after a failed try; false if none.
 * When the same item failed @same tries in a row, a drop gives up
 * 2^@same reserves or optional BARs (at most 2^16): one a try would cost a
 * try for each of a few dozen that do not free the room it needs.  The
 * batch is logged (c->droplog), so that a try that fits can take back what
 * it gave up beyond need (fb_trim_batch(), fixedbar_drop_prefix()).
 */
bool fixedbar_next_room(struct fb_ctx *c, int root, int *drops, int same)
{
	int i, n;

	c->nr_droplog = 0;
	c->nr_dropsteps = 0;
	if (root == FB_ROOT_MEM && fixedbar_reroute(c)) {
		fixedbar_build(c);
		return true;
	}
	if (++*drops == FB_MAX_DROPS) {
		fixedbar_give_up_all(c, root);
		c->nr_droplog = 0;
		return true;
	}
	if (*drops < FB_MAX_DROPS && fixedbar_make_room(c, root)) {
		n = 1 << (same < 16 ? same : 16);
		for (i = 1; i < n && fixedbar_make_room(c, root); i++)
			;
		return true;
	}
	/* last, at the root: a prefetchable window less */
	if (root == FB_ROOT_MEM && c->fail.item >= 0 &&
	    c->fail.cont == FB_ROOT_MEM &&
	    fixedbar_dissolve_smallest(c, FB_ROOT_MEM)) {
		fixedbar_build(c);
		return true;
	}
	return false;
}

void fixedbar_give_up_all(struct fb_ctx *c, int root)
{
	int i;

	for (i = 0; i < c->nr_items; i++)
		if (fb_in_space(c, c->items[i].owner, root) &&
		    c->items[i].slot >= 0)
			fb_drop(c, &c->items[i]);
	for (i = FB_ROOT_MEM + 1; i < c->nr_conts; i++)
		if (fb_in_space(c, i, root))
			fb_drop_reserve(c, &c->conts[i]);
}

/*
 * Rerouting movable prefetchable BARs and windows between a bridge's memory
 * and prefetchable windows, when one of them is full.  An item that moved
 * and found no room in the other window either goes back for good (its bit
 * in c->reroute_done), and the next candidate moves instead: the largest is
 * not always the one the other window can take.
 */
static u16 fb_item_bit(const struct fb_item *it)
{
	return it->slot >= 0 ? 1u << it->slot : 1u << 15;
}

static int fb_item_route(const struct fb_ctx *c, const struct fb_item *it)
{
	return it->slot >= 0 ? c->route[it->dev][it->slot] : c->wroute[it->dev];
}

static void fb_set_route(struct fb_ctx *c, const struct fb_item *it, int win)
{
	if (it->slot >= 0)
		c->route[it->dev][it->slot] = win;
	else
		c->wroute[it->dev] = win;
}

/* May @it move between its bridge's memory and prefetchable windows? */
static bool fb_reroutable(const struct fb_ctx *c, const struct fb_item *it)
{
	if (!it->active || (it->flags & FB_EXACT) || !(it->flags & FB_PREFOK) ||
	    (c->reroute_done[it->dev] & fb_item_bit(it)))
		return false;
	if (it->slot < 0 && (c->conts[it->cont].semifixed ||
			     c->conts[it->cont].win != FIXEDBAR_WIN_PREF))
		return false;
	return true;
}

/*
 * The largest item of window @ki that may move to the bridge's other window,
 * but @skip and those that moved here on purpose (no ping-pong); with @top
 * (not -1), also in the memory windows nested inside memory window @top,
 * which shrinks it just as well, when the window it moves to is not inside
 * @top too (a move within it frees nothing and costs a granule).
 */
static void fb_reroute_candidate(const struct fb_ctx *c, int ki, int top,
				 const struct fb_item *skip,
				 const struct fb_item **best)
{
	const struct fb_cont *k = &c->conts[ki];
	bool pref = fb_dev(c, k->dev)->br.pref;
	int i, other;

	/* a move into a window inside @top frees nothing there */
	other = c->dev_cont[k->dev][k->win == FIXEDBAR_WIN_MEM ?
					    FIXEDBAR_WIN_PREF :
					    FIXEDBAR_WIN_MEM];
	if (ki != top && other >= 0 && fb_below(c, other, top))
		pref = false;
	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active || it == skip)
			continue;
		if (top >= 0 && it->cont >= 0 &&
		    c->conts[it->cont].win == FIXEDBAR_WIN_MEM) {
			fb_reroute_candidate(c, it->cont, top, skip, best);
			continue;
		}
		if (!pref || !fb_reroutable(c, it) ||
		    fb_item_route(c, it) == k->win ||
		    (k->win == FIXEDBAR_WIN_PREF && it->size >= FIXEDBAR_4G))
			continue;
		if (!*best || it->size > (*best)->size)
			*best = it;
	}
}

/* Moves the largest candidate out of window @k, but @skip; false if none. */
static bool fb_reroute_from(struct fb_ctx *c, const struct fb_cont *k,
			    const struct fb_item *skip)
{
	const struct fb_item *best = NULL;
	int ki = k - c->conts;

	if (ki < 0)
		return false;
	fb_reroute_candidate(c, ki, -1, skip, &best);
	if (!best && k->win == FIXEDBAR_WIN_MEM)
		fb_reroute_candidate(c, ki, ki, skip, &best);
	if (!best)
		return false;
	fb_set_route(c, best,
		     k->win == FIXEDBAR_WIN_MEM ? FIXEDBAR_WIN_PREF :
						  FIXEDBAR_WIN_MEM);
	return true;
}

/*
 * Moves every movable BAR in prefetchable window @ki, and in the movable
 * prefetchable windows nested in it, to its bridge's memory window: a
 * prefetchable window that fits nowhere beside the memory windows (a bridge
 * without a prefetchable window above it, a 1 MiB gap) then disappears.
 * False if nothing moved.
 */
static bool fb_dissolve_pref(struct fb_ctx *c, int ki)
{
	const struct fb_cont *k = &c->conts[ki];
	bool moved = false;
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active || (it->flags & FB_EXACT))
			continue;
		if (it->slot < 0) {
			if (!c->conts[it->cont].semifixed &&
			    c->conts[it->cont].win == FIXEDBAR_WIN_PREF)
				moved |= fb_dissolve_pref(c, it->cont);
			continue;
		}
		if (c->route[it->dev][it->slot] != FIXEDBAR_WIN_MEM) {
			c->route[it->dev][it->slot] = FIXEDBAR_WIN_MEM;
			moved = true;
		}
	}
	return moved;
}

/*
 * A full container whose own candidates are spent: empty the smallest
 * movable prefetchable window in it that still holds something movable
 * (its BARs join their bridge's memory window, which may save the 1 MiB
 * granule the window took).  False if none is left.
 */
bool fixedbar_dissolve_smallest(struct fb_ctx *c, int ki)
{
	const struct fb_cont *k = &c->conts[ki];
	const struct fb_item *best;
	u64 floor = 0;
	int i;

	for (;;) {
		best = NULL;
		for (i = 0; i < k->nr_kids; i++) {
			const struct fb_item *it =
				&c->items[c->kidv[k->first_kid + i]];

			if (!it->active || it->cont < 0 ||
			    c->conts[it->cont].semifixed ||
			    c->conts[it->cont].win != FIXEDBAR_WIN_PREF ||
			    it->size < floor ||
			    (best && it->size >= best->size))
				continue;
			best = it;
		}
		if (!best)
			return false;
		if (fb_dissolve_pref(c, best->cont))
			return true;
		floor = best->size + 1;
	}
}

/* @it moved to the full window @k and did not fit: back for good, another comes. */
static bool fb_reroute_back(struct fb_ctx *c, const struct fb_cont *k,
			    const struct fb_item *it)
{
	int back = k->win == FIXEDBAR_WIN_MEM ? FIXEDBAR_WIN_PREF :
						FIXEDBAR_WIN_MEM;
	int other = c->dev_cont[k->dev][back];

	fb_set_route(c, it, back);
	c->reroute_done[it->dev] |= fb_item_bit(it);
	if (other >= 0)
		fb_reroute_from(c, &c->conts[other], it);
	return true;
}

/*
 * The BARs a prefetchable window places after @it (no larger alignment)
 * did not get a place either: they go to the memory window with it, in one
 * retry rather than one each.
 */
static void fb_reroute_rest(struct fb_ctx *c, const struct fb_cont *k,
			    const struct fb_item *it)
{
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *o = &c->items[c->kidv[k->first_kid + i]];

		if (o != it && o->slot >= 0 && o->align <= it->align &&
		    fb_reroutable(c, o) &&
		    fb_item_route(c, o) != FIXEDBAR_WIN_PREF &&
		    o->size < FIXEDBAR_4G)
			fb_set_route(c, o, FIXEDBAR_WIN_MEM);
	}
}

/* A movable prefetchable window, which trimming may shrink. */
static bool fb_trimmable(const struct fb_ctx *c, const struct fb_item *it)
{
	return it->active && it->cont >= 0 && !c->conts[it->cont].semifixed &&
	       c->conts[it->cont].win == FIXEDBAR_WIN_PREF;
}

/*
 * Of a prefetchable window's BARs and movable prefetchable windows, the
 * largest: what trimming keeps.
 */
static const struct fb_item *fb_largest_kid(const struct fb_ctx *c,
					    const struct fb_cont *k)
{
	const struct fb_item *o, *big = NULL;
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		o = &c->items[c->kidv[k->first_kid + i]];
		if ((o->slot >= 0 ? o->active : fb_trimmable(c, o)) &&
		    (!big || o->size > big->size))
			big = o;
	}
	return big;
}

/*
 * A movable prefetchable window @it at the root keeps only its largest
 * BAR or window (trimmed the same way): the other BARs go to their
 * bridge's memory window (when that window is movable too, and so may grow
 * anywhere), so the window shrinks to what the largest needs (a 64 MiB BAR
 * with a few small ones beside it no longer needs 128 MiB of alignment
 * room, or a hole of 64 MiB and more).  With @apply false, only says
 * whether anything would move.
 */
static bool fb_trim_pref(struct fb_ctx *c, const struct fb_item *it, bool apply)
{
	const struct fb_item *o, *big;
	const struct fb_cont *k;
	bool moved = false;
	int i, mem;

	if (!fb_trimmable(c, it))
		return false;
	/* a memory window held by fixed BARs has no room to spare */
	mem = c->dev_cont[it->dev][FIXEDBAR_WIN_MEM];
	if (mem < 0 || c->conts[mem].semifixed)
		return false;
	k = &c->conts[it->cont];
	big = fb_largest_kid(c, k);
	for (i = 0; big && i < k->nr_kids; i++) {
		o = &c->items[c->kidv[k->first_kid + i]];
		if (o == big || o->slot < 0 || !fb_reroutable(c, o) ||
		    o->size >= FIXEDBAR_4G ||
		    fb_item_route(c, o) == FIXEDBAR_WIN_MEM)
			continue;
		if (apply)
			fb_set_route(c, o, FIXEDBAR_WIN_MEM);
		moved = true;
	}
	if (big && big->slot < 0 && (!moved || apply))
		moved |= fb_trim_pref(c, big, apply);
	return moved;
}

/*
 * A root item without room: trim the window that failed, else the root's
 * window that holds the least beside its largest member, if that is at most
 * an eighth of it (the window that took the room need not be the one that
 * failed, and 512 MiB and 1 MiB need a 1 GiB slot where 512 MiB alone
 * need half; more than an eighth would crowd the memory windows).  False
 * if none is left.
 */
static bool fb_trim_root(struct fb_ctx *c, const struct fb_item *failed)
{
	const struct fb_cont *k = &c->conts[FB_ROOT_MEM];
	const struct fb_item *it, *pick = NULL;
	u64 excess, big, best = 0;
	int i;

	if (fb_trim_pref(c, failed, true))
		return true;
	for (i = 0; i < k->nr_kids; i++) {
		it = &c->items[c->kidv[k->first_kid + i]];
		if (!fb_trim_pref(c, it, false))
			continue;
		big = fb_largest_kid(c, &c->conts[it->cont])->size;
		excess = it->size - big;
		if (excess <= big / 8 && (!pick || excess < best)) {
			best = excess;
			pick = it;
		}
	}
	return pick && fb_trim_pref(c, pick, true);
}

bool fixedbar_reroute(struct fb_ctx *c)
{
	const struct fb_item *it;
	const struct fb_cont *k;

	if (c->fail.item >= 0 && c->fail.cont == FB_ROOT_MEM)
		return fb_trim_root(c, &c->items[c->fail.item]);
	if (c->fail.item < 0 || c->fail.cont <= FB_ROOT_MEM)
		return false;
	k = &c->conts[c->fail.cont];
	it = &c->items[c->fail.item];
	if (k->win == FIXEDBAR_WIN_MEM) {
		if (it->owner == c->fail.cont && fb_reroutable(c, it) &&
		    fb_item_route(c, it) == FIXEDBAR_WIN_MEM)
			return fb_reroute_back(c, k, it);
		if (fb_reroute_from(c, k, NULL))
			return true;
		/* a prefetchable window that must live here: empty it instead */
		if (it->owner == c->fail.cont && it->cont >= 0 &&
		    c->conts[it->cont].win == FIXEDBAR_WIN_PREF &&
		    fb_dissolve_pref(c, it->cont))
			return true;
		return false;
	}
	if (k->win != FIXEDBAR_WIN_PREF || (it->flags & FB_EXACT) ||
	    it->size >= FIXEDBAR_4G)
		return false;
	if (!fb_reroutable(c, it))
		return (c->reroute_done[it->dev] & fb_item_bit(it)) &&
		       fb_reroute_from(c, k, it);
	if (fb_item_route(c, it) == FIXEDBAR_WIN_PREF)
		return fb_reroute_back(c, k, it);
	fb_set_route(c, it, FIXEDBAR_WIN_MEM);
	fb_reroute_rest(c, k, it);
	return true;
}

/*
 * Every container's fixed points must be disjoint whatever the placement:
 * check them all before placing anything, so that a collision deep in one
 * subtree is reported as such, not as the first subtree that ran short.
 */
int fixedbar_check_spans(struct fb_ctx *c, int root)
{
	struct fb_frame f;
	int i, err;

	for (i = 0; i < c->nr_conts; i++) {
		const struct fb_cont *k = &c->conts[i];

		if (!fb_in_space(c, i, root) || !k->active ||
		    (i > FB_ROOT_MEM && !k->semifixed))
			continue;
		memset(&f, 0, sizeof(f));
		f.k = i;
		f.root = i <= FB_ROOT_MEM;
		f.fp = c->sortv;
		err = fixedbar_fixed_points(c, &f);
		if (err)
			return err;
	}
	return 0;
}

/* May phase A already move item @ii? */
static bool fb_unkept(const struct fb_ctx *c, int ii)
{
	const struct fb_item *it = &c->items[ii];

	if (it->slot >= 0)
		return c->unkeep[it->dev] & (1u << it->slot);
	return c->unkeep_win[it->dev] & (1u << c->conts[it->cont].win);
}

/* Lets phase A move item @ii (not what is inside it); false if it already may. */
static bool fb_unkeep_one(struct fb_ctx *c, int ii)
{
	const struct fb_item *it = &c->items[ii];
	bool changed;

	if (it->slot >= 0) {
		changed = !(c->unkeep[it->dev] & (1u << it->slot));
		c->unkeep[it->dev] |= 1u << it->slot;
	} else {
		int w = c->conts[it->cont].win;

		changed = !(c->unkeep_win[it->dev] & (1u << w));
		c->unkeep_win[it->dev] |= 1u << w;
	}
	return changed;
}

/* Lets phase A move item @ii and everything inside it; false if it already may. */
bool fixedbar_unkeep_item(struct fb_ctx *c, int ii)
{
	const struct fb_cont *k;
	bool changed = fb_unkeep_one(c, ii);
	int i;

	/* a window already let move has everything inside it let move too */
	if (c->items[ii].cont < 0 || !changed)
		return changed;
	k = &c->conts[c->items[ii].cont];
	for (i = 0; i < k->nr_kids; i++)
		changed |= fixedbar_unkeep_item(c, c->kidv[k->first_kid + i]);
	return changed;
}

/* Does item @ii hold a BAR fixed by an entry (is one, or has one inside)? */
static bool fb_holds_fixed(const struct fb_ctx *c, int ii)
{
	const struct fb_item *it = &c->items[ii];

	if (it->slot >= 0)
		return it->slot < 6 &&
		       (c->fixed[it->dev].mask & (1u << it->slot));
	return c->conts[it->cont].hasfixed;
}

/*
 * Of two kept items that collide, lets phase A move the one that must move
 * for a fixed BAR, or both when neither or both hold one.
 */
bool fixedbar_unkeep_pair(struct fb_ctx *c, int a, int b)
{
	bool fa, fb, changed = false;

	if (fb_unkept(c, a) && fb_unkept(c, b))
		return false;
	fa = fb_holds_fixed(c, a);
	fb = fb_holds_fixed(c, b);
	if (fa || !fb)
		changed |= fixedbar_unkeep_item(c, a);
	if (fb || !fa)
		changed |= fixedbar_unkeep_item(c, b);
	/*
	 * The one with the fixed BAR moves already and still collides: the
	 * kept one sits where the fixed BAR must go, so it moves too.
	 */
	if (!changed)
		changed = fixedbar_unkeep_item(c, fa ? b : a);
	return changed;
}

/*
 * Phase A, before any placement: lets every pair of kept items that collide
 * in some container move, all at once, instead of one failed attempt per
 * pair.  False when there was nothing new to let move.
 */
bool fixedbar_unkeep_collisions(struct fb_ctx *c, int root)
{
	struct fb_frame f;
	bool changed = false;
	int i, j;

	for (i = 0; i < c->nr_conts; i++) {
		const struct fb_cont *k = &c->conts[i];
		int last;

		if (!fb_in_space(c, i, root) || !k->active ||
		    (i > FB_ROOT_MEM && !k->semifixed))
			continue;
		memset(&f, 0, sizeof(f));
		f.k = i;
		f.fp = c->sortv;
		fixedbar_gather_points(c, &f);
		/* @last: the point reaching furthest so far */
		for (j = 1, last = 0; j < f.nfp; j++) {
			int a = (int)f.fp[last][1], b = (int)f.fp[j][1];

			if (fb_point_end(c, a) >= f.fp[j][0])
				changed |= fixedbar_unkeep_pair(c, a, b);
			if (fb_point_end(c, b) > fb_point_end(c, a))
				last = j;
		}
	}
	return changed;
}
