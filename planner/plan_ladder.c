// SPDX-License-Identifier: GPL-2.0
/*
 * The retry ladder: one space at a time (fixedbar_plan_space()), the
 * phases that keep less and less of the current layout, the spill levels,
 * the routing splits and their combinations, and last the search over
 * routings of movable prefetchable items; the first failure is the one
 * reported.
 */
#include "plan_internal.h"

/*
 * What each level of the ladder starts from.  The context is reset here and
 * nowhere else; each level resets only its own state, so what a failure
 * recorded survives into the level that reads it (phase A's colliding pair,
 * the routing's failing bridge).
 */
enum fb_scope {
	FB_RESET_ROUTING, /* one routing of the outer ladder */
	FB_RESET_PHASES, /* phases A to C from one routing */
	FB_RESET_UNKEEP, /* one try of phase A */
	FB_RESET_PHASE, /* one phase: both spaces */
	FB_RESET_SPACE, /* one space: its drops and reserves back */
	FB_RESET_TRY, /* one placement of a space */
};

static void fb_reset_space(struct fb_ctx *c, int root)
{
	int i;

	c->nr_droplog = 0;
	c->nr_dropsteps = 0;
	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];

		if (fb_in_space(c, it->owner, root) && it->slot >= 0) {
			it->dropped = false;
			c->drop_mask[it->dev] &= ~(1u << it->slot);
		}
	}
	for (i = FB_ROOT_MEM + 1; i < c->nr_conts; i++) {
		if (fb_in_space(c, i, root)) {
			c->conts[i].noreserve = false;
			c->nores_mask[c->conts[i].dev] &=
				~(1u << c->conts[i].win);
		}
	}
}

static void fb_reset(struct fb_ctx *c, enum fb_scope scope, int root)
{
	u32 n = c->t->nr_devs;

	switch (scope) {
	case FB_RESET_ROUTING:
		memset(c->route, 0xff, n * sizeof(*c->route));
		memset(c->wroute, 0xff, n * sizeof(*c->wroute));
		c->fail.bridge = -1;
		c->fail.kid[0] = c->fail.kid[1] = -1;
		break;
	case FB_RESET_PHASES:
		memset(c->unkeep, 0, n * sizeof(*c->unkeep));
		memset(c->unkeep_win, 0, n);
		break;
	case FB_RESET_UNKEEP:
		c->fail.bridge = -1;
		c->fail.kid[0] = c->fail.kid[1] = -1;
		c->fail.pair[0] = c->fail.pair[1] = -1;
		c->fail.item = -1;
		c->fail.cont = -1;
		break;
	case FB_RESET_PHASE:
		c->p->nr_warnings = 0;
		c->p->nr_err_entries = 0;
		c->lost_warnings = 0;
		c->err = 0;
		c->msg[0] = 0;
		memset(c->reroute_done, 0, n * sizeof(*c->reroute_done));
		break;
	case FB_RESET_SPACE:
		fb_reset_space(c, root);
		break;
	case FB_RESET_TRY:
		c->budget = FB_SEARCH_BUDGET;
		c->fail.cont = -1;
		c->fail.item = -1;
		c->fail.kind = FB_FAIL_NONE;
		c->sort_top = 0;
		c->nr_holes = 0;
		break;
	}
}

void fixedbar_reset_routing(struct fb_ctx *c)
{
	fb_reset(c, FB_RESET_ROUTING, -1);
}

/* The routing a level plans with becomes the one the next starts from. */
static void fb_routes_commit(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs;

	memcpy(c->route_base, c->route, n * sizeof(*c->route));
	memcpy(c->wroute_base, c->wroute, n * sizeof(*c->wroute));
}

/* Back to the routing the last level planned with. */
static void fb_routes_revert(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs;

	memcpy(c->route, c->route_base, n * sizeof(*c->route));
	memcpy(c->wroute, c->wroute_base, n * sizeof(*c->wroute));
}

/* One placement of space @root from its root down. */
static int fb_try_space(struct fb_ctx *c, int root)
{
	int err;

	fixedbar_activate(c, root, c->sortv);
	err = fixedbar_check_spans(c, root);
	if (!err)
		err = fixedbar_solve(c, root, 0, 0, FB_UP);
	return err;
}

/*
 * A try fitted after a batch of drops (fixedbar_next_room()): finds, by
 * bisection, the fewest of the batch's steps with which it still fits, and
 * takes the rest back.  A step before which a try failed is kept.  When the
 * last try of the bisection failed, the fewest that fitted are replayed
 * with the budget their try had (the plan is deterministic, so it fits
 * again), and then charged.
 */
static int fb_trim_batch(struct fb_ctx *c, int root)
{
	int lo = 0, hi = c->nr_dropsteps, mid, err = 0;
	struct fb_spent then, now;

	fixedbar_spent_get(c, &then);
	while (hi - lo > 1 && !c->exhausted) {
		mid = lo + (hi - lo) / 2;
		fixedbar_drop_prefix(c, mid);
		fb_reset(c, FB_RESET_TRY, root);
		err = fb_try_space(c, root);
		if (err)
			lo = mid;
		else
			hi = mid;
	}
	if (!err)
		return 0; /* the last try fitted with the first @hi */
	fixedbar_spent_get(c, &now);
	fixedbar_spent_set(c, &then);
	fixedbar_drop_prefix(c, hi);
	fb_reset(c, FB_RESET_TRY, root);
	err = fb_try_space(c, root);
	fixedbar_spent_charge(c, &then, &now);
	return err;
}

/*
 * Plans one space (I/O or memory), trying again after each change that
 * makes room, until it fits or nothing is left to change.
 */
static int fb_plan_space(struct fb_ctx *c, int root)
{
	int i, drops = 0, err, last = -1, same = 0;

	fb_reset(c, FB_RESET_SPACE, root);
	for (i = 0; c->softpin == FB_KEEP_ALL && i < FB_MAX_UNKEEP; i++) {
		fixedbar_activate(c, root, c->sortv);
		if (!fixedbar_unkeep_collisions(c, root))
			break;
	}
	for (;;) {
		fb_reset(c, FB_RESET_TRY, root);
		err = fb_try_space(c, root);
		if (!err && c->nr_dropsteps > 1)
			err = fb_trim_batch(c, root);
		if (!err) {
			fixedbar_space_warnings(c, root);
			return 0;
		}
		/*
		 * A try that spent its growth choices proves nothing about
		 * room, and the next would spend them again: stop here.
		 */
		same = c->fail.item >= 0 && c->fail.item == last ? same + 1 : 0;
		last = c->fail.item;
		if (err != -ENOSPC || c->exhausted || !c->budget ||
		    !fixedbar_next_room(c, root, &drops, same)) {
			fixedbar_format_fail(c);
			return err;
		}
	}
}

static void fb_unroutable_warnings(struct fb_ctx *c)
{
	char path[FIXEDBAR_PATH_LEN], text[FIXEDBAR_MSG_LEN];
	u32 d;
	int s;

	for (d = 0; d < c->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			if (!c->t->devs[d].bars[s].present ||
			    c->dev_item[d][s] >= 0)
				continue;
			fixedbar_path(c, d, path, sizeof(path));
			snprintf(text, sizeof(text),
				 "%s %s: no bridge window above forwards it, stays unassigned",
				 path, fixedbar_slot_name(s));
			fixedbar_warn(c, text);
		}
	}
}

static void fb_output(struct fb_ctx *c)
{
	struct fixedbar_plan *p = c->p;
	int i;

	memset(p->devs, 0, p->nr_devs * sizeof(*p->devs));
	for (i = 0; i < c->nr_items; i++) {
		const struct fb_item *it = &c->items[i];
		struct fixedbar_range *r;
		u64 start;

		if (!it->active)
			continue;
		if (it->slot >= 0) {
			r = &p->devs[it->dev].bars[it->slot];
			start = (it->flags & FB_EXACT) ? it->xstart : it->start;
			r->assigned = true;
			r->start = start;
			r->end = start + it->size - 1;
		} else {
			const struct fb_cont *k = &c->conts[it->cont];

			r = &p->devs[it->dev].win[k->win];
			r->assigned = true;
			r->start = k->lo;
			r->end = k->hi;
		}
	}
}

static int fb_plan_phase(struct fb_ctx *c)
{
	int err;

	fb_reset(c, FB_RESET_PHASE, -1);
	/* rebuild only when the routing the containers follow changed */
	if (!c->built ||
	    memcmp(c->route, c->route_base,
		   c->t->nr_devs * sizeof(*c->route)) ||
	    memcmp(c->wroute, c->wroute_base,
		   c->t->nr_devs * sizeof(*c->wroute))) {
		fb_routes_revert(c);
		fixedbar_build(c);
	}
	/* memory first: rerouting there rebuilds the containers */
	err = fb_plan_space(c, FB_ROOT_MEM);
	if (!err)
		err = fb_plan_space(c, FB_ROOT_IO);
	if (err)
		return err;
	fb_unroutable_warnings(c);
	fb_output(c);
	return 0;
}

static bool fb_any_unaffected(const struct fb_ctx *c)
{
	int d;

	for (d = c->t->first_root; d >= 0; d = c->t->devs[d].next_sibling)
		if (!c->affected[d])
			return true;
	return false;
}

static int fb_validate_phase(struct fb_ctx *c)
{
	char vmsg[FIXEDBAR_MSG_LEN];
	int err = fixedbar_validate(c->t, c->p, vmsg, sizeof(vmsg));

	if (err) {
		snprintf(c->msg, sizeof(c->msg),
			 "internal error, the plan fails validation: %s", vmsg);
		/* a later phase may still plan: that plan says so */
		if (!c->bug[0])
			snprintf(c->bug, sizeof(c->bug),
				 "internal error (please report): an attempt to keep the current layout gave a plan that fails validation, so more was moved: %s",
				 vmsg);
		c->p->nr_err_entries = 0;
		err = -EFAULT;
	}
	return err;
}

/* Lets phase A move what the last failure involved; false if nothing is left. */
static bool fb_unkeep_culprit(struct fb_ctx *c)
{
	bool changed = false;

	if (c->fail.pair[0] >= 0 && c->fail.pair[1] >= 0)
		changed = fixedbar_unkeep_pair(c, c->fail.pair[0],
					       c->fail.pair[1]);
	if (!changed && c->fail.item >= 0)
		changed = fixedbar_unkeep_item(c, c->fail.item);
	if (!changed && c->fail.cont > FB_ROOT_MEM)
		changed = fixedbar_unkeep_item(c, c->conts[c->fail.cont].item);
	return changed;
}

/* A fingerprint of the last failure's message, to see a retry repeat it. */
static u32 fb_msg_hash(const struct fb_ctx *c)
{
	u32 h = 2166136261u;
	const char *p;

	for (p = c->msg; *p; p++)
		h = (h ^ (u8)*p) * 16777619u;
	return h;
}

/*
 * Phase A keeps the current layout wherever it can: everything at first,
 * then, after each failure, everything but the subtrees involved in it.
 * Phase B keeps the root-bus subtrees without fixed BARs, phase C nothing.
 */
static int fb_plan_phases(struct fb_ctx *c, bool keep_all)
{
	int err = -ENOSPC, iter;
	u32 last = 0, h;

	fb_reset(c, FB_RESET_PHASES, -1);
	c->softpin = FB_KEEP_ALL;
	for (iter = 0; keep_all && iter < FB_MAX_UNKEEP; iter++) {
		fb_reset(c, FB_RESET_UNKEEP, -1);
		err = fb_plan_phase(c);
		if (!err) {
			if (!fb_validate_phase(c))
				return 0;
			break;
		}
		/* letting go made no progress on what stopped it: phase B */
		h = fb_msg_hash(c);
		if (c->exhausted || !c->budget || (iter && h == last) ||
		    !fb_unkeep_culprit(c))
			break;
		last = h;
	}
	for (c->softpin = FB_KEEP_UNAFFECTED; c->softpin >= FB_KEEP_NONE;
	     c->softpin--) {
		if (c->softpin == FB_KEEP_UNAFFECTED && !fb_any_unaffected(c))
			continue;
		err = fb_plan_phase(c);
		if (!err)
			err = fb_validate_phase(c);
		if (!err || c->exhausted)
			return err;
	}
	return err;
}

/* A movable prefetchable BAR that may spill into its bridge's memory window. */
static bool fb_spillable(const struct fb_ctx *c, int d, int s)
{
	const struct fixedbar_dev *dv = fb_dev(c, d);
	const struct fixedbar_bar *b = &dv->bars[s];

	return dv->parent >= 0 && fb_dev(c, dv->parent)->br.pref &&
	       c->affected[fb_root_of(c, d)] && b->present &&
	       b->type == FIXEDBAR_RES_MEM && b->pref &&
	       !(s < 6 && (c->fixed[d].mask & (1u << s))) &&
	       !fb_pinned(c, d, s);
}

/*
 * The next spill limit above @prev: the smallest span of a spillable BAR
 * above it (@fine), or the next of a few coarse steps; 0 when none is left.
 */
static u64 fb_next_spill(const struct fb_ctx *c, u64 prev, bool fine)
{
	static const u64 coarse[] = { 0x1000000, 0x10000000, 0x80000000 };
	u64 next = 0;
	int d, s;

	if (!fine) {
		for (d = 0; d < (int)(sizeof(coarse) / sizeof(coarse[0])); d++)
			if (coarse[d] > prev)
				return coarse[d];
		return 0;
	}

	for (d = 0; d < (int)c->t->nr_devs; d++)
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			u64 span;

			if (!fb_spillable(c, d, s))
				continue;
			span = fixedbar_bar_span(&fb_dev(c, d)->bars[s]);
			if (span > prev && (!next || span < next))
				next = span;
		}
	return next;
}

/*
 * Fallback when nothing fits: the spec lets a prefetchable BAR live in its
 * bridge's memory window, so move the movable ones up to @limit bytes there,
 * in the subtrees that hold fixed BARs.  The caller raises @limit in a few
 * coarse steps, and as a last resort one BAR size at a time, so the largest
 * BARs stay in the prefetchable windows as long as possible.  Returns how
 * many BARs this step reroutes.
 */
static int fb_spill_routes(struct fb_ctx *c, u64 limit)
{
	int d, s, n = 0;

	for (d = 0; d < (int)c->t->nr_devs; d++)
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			bool spill;

			if (!fb_spillable(c, d, s))
				continue;
			spill = fixedbar_bar_span(&fb_dev(c, d)->bars[s]) <=
				limit;
			if (spill && c->route[d][s] != FIXEDBAR_WIN_MEM)
				n++;
			c->route[d][s] = spill ? FIXEDBAR_WIN_MEM : -1;
		}
	return n;
}

/* The first failure of a sequence of retries: the one worth reporting. */
struct fb_first_err {
	int err;
	u32 nr_entries;
	u32 entries[FIXEDBAR_MAX_ERR_ENTRIES];
	char *msg;
};

static int fb_first_init(struct fb_first_err *f)
{
	memset(f, 0, sizeof(*f));
	f->msg = fixedbar_zalloc(FIXEDBAR_MSG_LEN);
	return f->msg ? 0 : -ENOMEM;
}

static void fb_first_keep(struct fb_ctx *c, struct fb_first_err *f, int err)
{
	if (f->err)
		return;
	f->err = err;
	memcpy(f->msg, c->msg, FIXEDBAR_MSG_LEN);
	f->nr_entries = c->p->nr_err_entries;
	memcpy(f->entries, c->p->err_entries, sizeof(f->entries));
}

/* Puts the first failure back when the retries failed too; frees @f. */
static int fb_first_report(struct fb_ctx *c, struct fb_first_err *f, int err)
{
	if (err && f->err) {
		err = f->err;
		memcpy(c->msg, f->msg, FIXEDBAR_MSG_LEN);
		c->p->nr_err_entries = f->nr_entries;
		memcpy(c->p->err_entries, f->entries, sizeof(f->entries));
	}
	fixedbar_free(f->msg);
	return err;
}

static int fb_pick_rank_below(const struct fb_ctx *c);

static int fb_plan_routed(struct fb_ctx *c)
{
	struct fb_first_err first;
	struct fb_fail fail0 = c->fail;
	u64 limit = 0;
	int level, err;

	if (fb_first_init(&first))
		return -ENOMEM;
	for (level = 0;; level++) {
		if (level) {
			limit = fb_next_spill(c, limit, c->spill_fine);
			if (!limit)
				break;
			/* start again from the routing the last level planned with */
			fb_routes_revert(c);
			c->built = false;
			if (!fb_spill_routes(c, limit))
				continue;
		}
		fb_routes_commit(c);
		err = fb_plan_phases(c, true);
		if (err != -ENOSPC || c->exhausted)
			break;
		/* a fixed BAR's routing to turn first: spill after */
		if (!level && c->spill_defer && fb_pick_rank_below(c) >= 0)
			break;
		/* report the failure of the kernel's own routing */
		if (!level)
			fail0 = c->fail;
		fb_first_keep(c, &first, err);
	}
	if (err != -ENOSPC) {
		fb_first_report(c, &first, 0);
		return err;
	}
	/*
	 * ... and turn the routing where it failed: a spill level's failure
	 * is one the spilling made, not one the next split can mend.
	 */
	if (level)
		c->fail = fail0;
	return fb_first_report(c, &first, err);
}

/*
 * ---- last resort: search the routing of movable prefetchable items ----
 *
 * The routing above follows the kernel's, and moves a movable
 * prefetchable BAR or window to the other window of its bridge only when
 * a placement fails there (rerouting, spilling).  Tight layouts can need a
 * combination of such moves no single failure points at.  This tries them
 * from the best routing: every single move, then every pair, and so on,
 * bounded by FB_ROUTE_SEARCH_TRIES attempts and FB_ROUTE_SEARCH_WORK
 * container placements, each attempt keeping the root-bus subtrees
 * without fixed BARs where they are if it can (phases B and C).
 */

/* Does container @ki hold a fixed or pinned BAR, at any depth? */
static bool fb_holds_exact(const struct fb_ctx *c, int ki)
{
	const struct fb_cont *k = &c->conts[ki];
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (it->slot >= 0 ? (it->slot < 6 && (c->fixed[it->dev].mask &
						      (1u << it->slot))) ||
					    fb_pinned(c, it->dev, it->slot) :
				    fb_holds_exact(c, it->cont))
			return true;
	}
	return false;
}

/* The movable prefetchable items whose window may change: (dev, slot or -1). */
static int fb_route_candidates(struct fb_ctx *c, int (*cand)[2])
{
	int pass, i, n = 0;

	/* those below root ports with fixed BARs first, then the others */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->nr_items; i++) {
			const struct fb_item *it = &c->items[i];
			const struct fixedbar_dev *d = fb_dev(c, it->dev);
			const struct fixedbar_bar *b;

			if (c->affected[fb_root_of(c, it->dev)] != !pass ||
			    d->parent < 0 || !fb_dev(c, d->parent)->br.pref ||
			    it->owner <= FB_ROOT_MEM)
				continue;
			if (it->slot < 0) {
				if (c->conts[it->cont].win !=
					    FIXEDBAR_WIN_PREF ||
				    fb_holds_exact(c, it->cont))
					continue;
			} else {
				b = &d->bars[it->slot];
				if (b->type != FIXEDBAR_RES_MEM || !b->pref ||
				    fixedbar_bar_span(b) >= FIXEDBAR_4G ||
				    (it->slot < 6 && (c->fixed[it->dev].mask &
						      (1u << it->slot))) ||
				    fb_pinned(c, it->dev, it->slot))
					continue;
			}
			cand[n][0] = it->dev;
			cand[n][1] = it->slot;
			n++;
		}
	}
	return n;
}

/* Routes candidate @x to the other window of its bridge. */
static void fb_route_flip(struct fb_ctx *c, const int *x)
{
	const struct fb_item *it;
	int side;

	if (x[1] >= 0) {
		it = &c->items[c->dev_item[x[0]][x[1]]];
		side = c->conts[it->owner].win;
		c->route[x[0]][x[1]] = side == FIXEDBAR_WIN_MEM ?
					       FIXEDBAR_WIN_PREF :
					       FIXEDBAR_WIN_MEM;
	} else {
		it = &c->items[c->conts[c->dev_cont[x[0]][FIXEDBAR_WIN_PREF]]
				       .item];
		side = c->conts[it->owner].win;
		c->wroute[x[0]] = side == FIXEDBAR_WIN_MEM ? FIXEDBAR_WIN_PREF :
							     FIXEDBAR_WIN_MEM;
	}
}

static int fb_next_combo(struct fb_ctx *c);

/* Next combination of @m of @nc in @pick, lexicographic; false after the last. */
static bool fb_next_pick(int *pick, int m, int nc)
{
	int i;

	for (i = m - 1; i >= 0 && pick[i] == nc - m + i; i--)
		;
	if (i < 0)
		return false;
	pick[i]++;
	for (i++; i < m; i++)
		pick[i] = pick[i - 1] + 1;
	return true;
}

/* Routing number @r of the split combinations (0: the best); false if none. */
static bool fb_search_routing(struct fb_ctx *c, int r)
{
	u32 n = c->t->nr_devs;

	memset(c->rank, 0, n);
	while (r-- > 0)
		if (fb_next_combo(c) < 0)
			return false;
	fb_reset(c, FB_RESET_ROUTING, -1);
	c->clamped = false;
	if (fixedbar_choose_routes(c) || c->clamped)
		return false;
	fixedbar_build(c);
	return !fixedbar_check_routes(c);
}

static int fb_route_search(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs, work0 = c->work;
	s8(*route0)[FIXEDBAR_NR_SLOTS];
	s8 *wroute0;
	int(*cand)[2];
	int pick[FB_ROUTE_SEARCH_FLIPS];
	int nc, m, r, i, tries = 0, err = -ENOMEM;

	if (fixedbar_route_hopeless(c))
		return -ENOSPC;
	route0 = fixedbar_zalloc(n * sizeof(*route0) + 1);
	wroute0 = fixedbar_zalloc(n * sizeof(*wroute0) + 1);
	cand = fixedbar_zalloc(c->nr_items * sizeof(*cand) + 1);
	if (!route0 || !wroute0 || !cand)
		goto out;
	err = -ENOSPC;
	/* fewest moves first, across the first few split combinations */
	for (m = 1; m <= FB_ROUTE_SEARCH_FLIPS; m++) {
		for (r = 0; r < FB_ROUTE_SEARCH_ROUTINGS; r++) {
			if (!fb_search_routing(c, r))
				continue;
			memcpy(route0, c->route, n * sizeof(*route0));
			memcpy(wroute0, c->wroute, n * sizeof(*wroute0));
			nc = fb_route_candidates(c, cand);
			if (m > nc)
				continue;
			for (i = 0; i < m; i++)
				pick[i] = i;
			do {
				/* each item flips from where this routing put it */
				memcpy(c->route, route0, n * sizeof(*route0));
				memcpy(c->wroute, wroute0,
				       n * sizeof(*wroute0));
				fixedbar_build(c);
				for (i = 0; i < m; i++)
					fb_route_flip(c, cand[pick[i]]);
				fb_routes_commit(c);
				c->built = false;
				err = fb_plan_phases(c, false);
				if (!err || c->exhausted ||
				    (err != -ENOSPC && err != -EBUSY))
					goto out;
				if (++tries >= FB_ROUTE_SEARCH_TRIES ||
				    c->work - work0 >= FB_ROUTE_SEARCH_WORK) {
					c->gave_up |= FB_GAVE_UP_ROUTES;
					goto out;
				}
			} while (fb_next_pick(pick, m, nc));
		}
	}
out:
	fixedbar_free(route0);
	fixedbar_free(wroute0);
	fixedbar_free(cand);
	return err;
}

/* The hull of the exact BARs below bridge @d, in bytes less one; 0: none. */
static u64 fb_cut_hull(const struct fb_ctx *c, int d)
{
	const struct fb_cuts *x = &c->cuts;
	u64 hi = 0;
	int i;

	if (c->cuts_state <= 0 || !x->num[d])
		return 0;
	for (i = 0; i < x->num[d]; i++)
		if (x->pt[x->idx[x->first[d] + i]].hi > hi)
			hi = x->pt[x->idx[x->first[d] + i]].hi;
	return hi - x->pt[x->idx[x->first[d]]].lo;
}

/*
 * The child bridge of the failing bridge whose exact BARs span the most
 * and whose split may still change: its windows take the room its
 * sibling did not find, and its other split may leave a gap between them.
 */
static int fb_next_rank_sibling(const struct fb_ctx *c)
{
	int d, b = -1;
	u64 span, best = 0;

	if (c->fail.bridge < 0)
		return -1;
	for (d = fb_dev(c, c->fail.bridge)->first_child; d >= 0;
	     d = fb_dev(c, d)->next_sibling) {
		if (!fb_dev(c, d)->is_bridge || d == c->fail.kid[0] ||
		    c->rank[d] + 1 >= c->nsplits[d])
			continue;
		span = fb_cut_hull(c, d);
		if (span > best) {
			best = span;
			b = d;
		}
	}
	return b;
}

/*
 * The bridge below the failure whose routing split may change: the
 * colliding windows' own, then the failing bridge's children that hold
 * exact BARs; -1 if none.
 */
static int fb_pick_rank_below(const struct fb_ctx *c)
{
	int i;

	for (i = 0; i < 2; i++)
		if (c->fail.kid[i] >= 0 &&
		    fb_dev(c, c->fail.kid[i])->is_bridge &&
		    c->rank[c->fail.kid[i]] + 1 < c->nsplits[c->fail.kid[i]])
			return c->fail.kid[i];
	return c->fail.kind == FB_FAIL_ITEM ? fb_next_rank_sibling(c) : -1;
}

/* Next bridge whose routing split may change: below, else the failing one and up. */
static int fb_pick_rank(const struct fb_ctx *c)
{
	int b = fb_pick_rank_below(c);

	if (b < 0)
		b = c->fail.bridge;
	while (b >= 0 && c->rank[b] + 1 >= c->nsplits[b])
		b = fb_dev(c, b)->parent;
	return b;
}

static int fb_next_rank(struct fb_ctx *c)
{
	int d, b = fb_pick_rank(c);

	if (b < 0)
		return -1;
	c->rank[b]++;
	/* the bridges below start again from their best split */
	for (d = b + 1; d < (int)c->t->nr_devs; d++)
		if (fb_in_subtree(c, d, b))
			c->rank[d] = 0;
	return b;
}

/*
 * The next combination of splits, as an odometer over the bridges that have
 * a choice: the last bridge in pre-order turns fastest, and every bridge
 * after the one that turned starts again from its best split.  How many
 * splits a bridge has depends on the splits below it, so each turns as far
 * as the most it has had in any routing, not only in the last one (with
 * the bridges below at their last split, it may have fewer); a combination
 * that names a split a bridge does not have is skipped.
 */
static int fb_next_combo(struct fb_ctx *c)
{
	int b;

	for (b = (int)c->t->nr_devs - 1; b >= 0; b--) {
		if (!fb_dev(c, b)->is_bridge ||
		    c->rank[b] + 1 >= c->nsplits_max[b])
			continue;
		c->rank[b]++;
		memset(c->rank + b + 1, 0, c->t->nr_devs - b - 1);
		return b;
	}
	return -1;
}

/*
 * ---- the ladder ----
 *
 * Routing of fixed prefetchable BARs is a guess.  Each rung of the ladder
 * sets up the routing of its next attempt from the failure record of the
 * last one, and says when it has none left; one loop walks the rungs in
 * order, and the first failure is the one reported.  Every attempt plans
 * all spill levels and phases from its routing (fb_plan_routed()).  The
 * search over routings of movable prefetchable items comes last.
 */
struct fb_rung {
	/* sets up attempt @n of this rung after @err; false: none left */
	bool (*next)(struct fb_ctx *c, int n, int err);
	/* one attempt; sets *@stop when no later attempt may run */
	int (*attempt)(struct fb_ctx *c, const struct fb_rung *g, bool *stop);
	/* a rank past a bridge's last split repeats a routing: skip it */
	bool skip_clamped;
};

/* The kernel's routing, then the failing bridge's next split, and up. */
static bool fb_rung_ranks(struct fb_ctx *c, int n, int err)
{
	/* the kernel's routing spills only when no split may turn instead */
	c->spill_defer = !n;
	return !n || (n <= FB_MAX_ROUTE_TRIES && fb_next_rank(c) >= 0);
}

/* Every combination of splits across the bridges, from the best onwards. */
static bool fb_rung_combos(struct fb_ctx *c, int n, int err)
{
	c->spill_defer = false;
	if (!n)
		memset(c->rank, 0, c->t->nr_devs);
	return n < FB_MAX_ROUTE_COMBOS && fb_next_combo(c) >= 0;
}

/* Last, the best routing with the finest spill steps. */
static bool fb_rung_fine(struct fb_ctx *c, int n, int err)
{
	if (n)
		return false;
	c->spill_fine = true;
	memset(c->rank, 0, c->t->nr_devs);
	return true;
}

/* Then, when nothing fit, flips of movable prefetchable items. */
static bool fb_rung_flips(struct fb_ctx *c, int n, int err)
{
	return !n && err == -ENOSPC && !c->exhausted;
}

/*
 * One attempt: the routing each bridge's rank names, then every spill level
 * and phase; -EAGAIN when this routing was tried already.
 */
static int fb_try_routing(struct fb_ctx *c, const struct fb_rung *g, bool *stop)
{
	int err;

	fb_reset(c, FB_RESET_ROUTING, -1);
	err = fixedbar_choose_routes(c);
	if (!err && g->skip_clamped && c->clamped)
		return -EAGAIN;
	if (!err) {
		fixedbar_build(c);
		err = fixedbar_check_routes(c);
	}
	if (err) {
		*stop = true;
		return err;
	}
	return fb_plan_routed(c);
}

static int fb_try_flips(struct fb_ctx *c, const struct fb_rung *g, bool *stop)
{
	return fb_route_search(c);
}

static const struct fb_rung fb_ladder[] = {
	{ fb_rung_ranks, fb_try_routing, false },
	{ fb_rung_combos, fb_try_routing, true },
	{ fb_rung_fine, fb_try_routing, true },
	{ fb_rung_flips, fb_try_flips, false },
};

/* One attempt of rung @g, its failure kept if it is the first. */
static int fb_step(struct fb_ctx *c, const struct fb_rung *g,
		   struct fb_first_err *first, bool *stop)
{
	int err = g->attempt(c, g, stop);

	if (err == -EAGAIN)
		return -ENOSPC;
	if (*stop || !err || (err != -ENOSPC && err != -EBUSY)) {
		*stop = true;
		return err;
	}
	fb_first_keep(c, first, err);
	/*
	 * Past a limit every later attempt fails in fixedbar_solve(); one
	 * that failed before it (a routing, the spans) did not see the limit.
	 */
	if (c->work > FB_WORK_LIMIT || c->steps > FB_STEP_LIMIT) {
		c->exhausted = true;
		c->gave_up |= FB_GAVE_UP_WORK;
	}
	*stop = c->exhausted;
	return err;
}

/*
 * What the ladder reports when nothing fit: a BAR that fits nowhere by
 * name, if there is one, else that a search gave up, if one did.
 */
static int fb_verdict(struct fb_ctx *c, int err)
{
	if (err != -ENOSPC && err != -EBUSY)
		return err;
	if ((err == -ENOSPC || c->gave_up) && fixedbar_check_sizes(c))
		return -ENOSPC;
	return c->gave_up ? fixedbar_gave_up(c) : err;
}

int fixedbar_ladder(struct fb_ctx *c)
{
	struct fb_first_err first;
	bool stop = false;
	int n, err = -ENOSPC;
	size_t r;

	if (fb_first_init(&first))
		return -ENOMEM;
	for (r = 0; r < sizeof(fb_ladder) / sizeof(fb_ladder[0]) && !stop; r++)
		for (n = 0; !stop && fb_ladder[r].next(c, n, err); n++)
			err = fb_step(c, &fb_ladder[r], &first, &stop);
	err = fb_verdict(c, fb_first_report(c, &first, err));
	if (!err && c->bug[0])
		fixedbar_warn(c, c->bug);
	return err;
}
