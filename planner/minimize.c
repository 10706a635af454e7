// SPDX-License-Identifier: GPL-2.0
/*
 * The objective after a feasible plan: move as few resources as possible.
 *
 * The placement searches find a valid layout; they do not look for the one
 * closest to the current layout.  This pass runs on every feasible plan and
 * puts moved resources back where they are now, keeping each put-back that
 * leaves the plan valid:
 *
 *  1. a whole space (I/O, memory) at once: a space with no fixed BAR whose
 *     current layout is valid keeps everything;
 *  2. a moved window together with the moved resources that sit inside it
 *     now (its subtree in that space), parents first;
 *  3. single resources;
 *  4. a single resource whose place one moved sibling took, that sibling
 *     shifted elsewhere;
 *  5. two moved sibling windows trading places, the windows above back.
 *
 * Fixed BARs and pinned resources are never touched.  Each put-back is
 * checked locally: the resources it puts back against their parent's
 * window, the children of a window against it, and the siblings on the same
 * bus for overlaps; the result is checked once more by fixedbar_validate(),
 * and the plan as the searches left it is restored should that ever fail.
 *
 * fixedbar_plan() then plans again with one constraint more at a time
 * (plan.c, "re-plans"), for layouts no change in place reaches.
 *
 * This file also owns "what moved": fixedbar_plan_nr_moved() counts.
 */
#include "fixedbar.h"

#define MIN_WIN_GRAN 0x100000ULL
#define MIN_IO_GRAN 0x1000ULL
#define MIN_IO_1K_GRAN 0x400ULL
#define MIN_NR_RES FIXEDBAR_NR_RES
#define MIN_MAX_ROUNDS 4
/* placements step 4 may try per plan: bounds its cost on any input */
#define MIN_SHIFT_BUDGET 8192

/* clang-format off */
struct fb_min {
	const struct fixedbar_topo *t;
	struct fixedbar_plan *p;
	u16 *fixed;			/* per device: mask of fixed BAR slots */
	u16 *mask;			/* per device and space: its resources */
	/* one put-back; a resource may be there twice (in both windows) */
	u32 *set;
	u32 nr_set;
	struct fixedbar_range *saved;	/* their planned ranges */
	struct fixedbar_range *target;	/* step 4: where each goes */
	u32 budget;			/* step 4: placements left to try */
};
/* clang-format on */

static bool fb_min_is_win(int r)
{
	return r >= FIXEDBAR_NR_SLOTS;
}

static enum fixedbar_res_type fb_min_space(const struct fixedbar_dev *d, int r)
{
	if (fb_min_is_win(r))
		return r - FIXEDBAR_NR_SLOTS == FIXEDBAR_WIN_IO ?
			       FIXEDBAR_RES_IO :
			       FIXEDBAR_RES_MEM;
	return d->bars[r].type;
}

static struct fixedbar_range *fb_min_res(struct fb_min *m, int dev, int r)
{
	if (fb_min_is_win(r))
		return &m->p->devs[dev].win[r - FIXEDBAR_NR_SLOTS];
	return &m->p->devs[dev].bars[r];
}

/* where the resource is now, before any plan */
static struct fixedbar_range fb_min_cur(const struct fixedbar_topo *t, int dev,
					int r)
{
	const struct fixedbar_dev *d = &t->devs[dev];
	struct fixedbar_range cur;

	if (fb_min_is_win(r))
		return d->br.cur[r - FIXEDBAR_NR_SLOTS];
	cur = d->bars[r].cur;
	if (cur.assigned)
		cur.end = cur.start + fixedbar_bar_span(&d->bars[r]) - 1;
	return cur;
}

static bool fb_min_win_impl(const struct fixedbar_dev *d, int w)
{
	if (!d->is_bridge)
		return false;
	if (w == FIXEDBAR_WIN_IO)
		return d->br.io;
	if (w == FIXEDBAR_WIN_PREF)
		return d->br.pref;
	return true;
}

bool fixedbar_res_exists(const struct fixedbar_dev *d, int r)
{
	if (fb_min_is_win(r))
		return fb_min_win_impl(d, r - FIXEDBAR_NR_SLOTS);
	return d->bars[r].present;
}

static bool fb_min_exists(const struct fixedbar_dev *d, int r)
{
	return fixedbar_res_exists(d, r);
}

bool fixedbar_plan_res_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int r)
{
	if (fb_min_is_win(r))
		return fixedbar_plan_win_moved(t, p, dev,
					       r - FIXEDBAR_NR_SLOTS);
	return fixedbar_plan_bar_moved(t, p, dev, r);
}

u32 fixedbar_plan_nr_moved(const struct fixedbar_topo *t,
			   const struct fixedbar_plan *p)
{
	u32 i, n = 0;
	int r;

	if (p->err || !p->devs)
		return 0;
	for (i = 0; i < t->nr_devs; i++)
		for (r = 0; r < MIN_NR_RES; r++)
			if (fb_min_exists(&t->devs[i], r) &&
			    fixedbar_plan_res_moved(t, p, (int)i, r))
				n++;
	return n;
}

/*
 * May the pass put this resource back?  When it moved and is not a fixed
 * BAR (a pinned one never moves in a valid plan).  A BAR the plan gives an
 * address keeps one; a window may go back to disabled.
 */
static bool fb_min_candidate(struct fb_min *m, int dev, int r)
{
	if (!fb_min_exists(&m->t->devs[dev], r))
		return false;
	if (!fb_min_is_win(r) && !m->t->devs[dev].bars[r].cur.assigned)
		return false;
	if (!fb_min_is_win(r) && (m->fixed[dev] & (1u << r)))
		return false;
	return fixedbar_plan_res_moved(m->t, m->p, dev, r);
}

static bool fb_min_inside(const struct fixedbar_range *win, u64 start, u64 end)
{
	return win->assigned && win->start <= start && end <= win->end;
}

static bool fb_min_in_win(struct fb_min *m, int br, int w, u64 start, u64 end)
{
	return fb_min_win_impl(&m->t->devs[br], w) &&
	       fb_min_inside(&m->p->devs[br].win[w], start, end);
}

/* On the root bus: inside an aperture of its type, pref ones only if @pref. */
static bool fb_min_in_aperture(struct fb_min *m, enum fixedbar_res_type type,
			       bool pref, u64 start, u64 end)
{
	const struct fixedbar_aperture *a;
	u32 i;

	for (i = 0; i < m->t->nr_apertures; i++) {
		a = &m->t->apertures[i];
		if (a->type != type || start < a->start || end > a->end)
			continue;
		if (a->pref && !pref && type == FIXEDBAR_RES_MEM)
			continue;
		return true;
	}
	return false;
}

/* A BAR's address as such, and where it sits below its parent. */
static bool fb_min_bar_ok(struct fb_min *m, int dev, int slot)
{
	const struct fixedbar_dev *d = &m->t->devs[dev];
	const struct fixedbar_bar *b = &d->bars[slot];
	const struct fixedbar_range *r = &m->p->devs[dev].bars[slot];
	u64 span = fixedbar_bar_span(b);
	int br = d->parent;

	if (!r->assigned)
		return b->type == FIXEDBAR_RES_IO || slot == FIXEDBAR_ROM_SLOT;
	if (!b->size || (b->size & (b->size - 1)) || !span ||
	    (r->start & (b->size - 1)) || r->start + (span - 1) < r->start ||
	    r->end != r->start + (span - 1))
		return false;
	if (!b->mem64 && r->end >= FIXEDBAR_4G)
		return false;
	if (br < 0)
		return fb_min_in_aperture(m, b->type, b->pref, r->start,
					  r->end);
	if (b->type == FIXEDBAR_RES_IO)
		return fb_min_in_win(m, br, FIXEDBAR_WIN_IO, r->start, r->end);
	if (r->end >= FIXEDBAR_4G)
		return b->pref && b->mem64 && m->t->devs[br].br.pref64 &&
		       fb_min_in_win(m, br, FIXEDBAR_WIN_PREF, r->start,
				     r->end);
	if (b->pref &&
	    fb_min_in_win(m, br, FIXEDBAR_WIN_PREF, r->start, r->end))
		return true;
	return fb_min_in_win(m, br, FIXEDBAR_WIN_MEM, r->start, r->end);
}

/* A window's granularity and limits, and where it sits below its parent. */
static bool fb_min_win_ok(struct fb_min *m, int dev, int w)
{
	const struct fixedbar_dev *d = &m->t->devs[dev];
	const struct fixedbar_range *r = &m->p->devs[dev].win[w];
	int par = d->parent;
	u64 gran;

	if (!r->assigned)
		return true;
	if (!fb_min_win_impl(d, w) || r->start > r->end)
		return false;
	gran = w != FIXEDBAR_WIN_IO ? MIN_WIN_GRAN :
	       d->br.io_1k	    ? MIN_IO_1K_GRAN :
				      MIN_IO_GRAN;
	if ((r->start & (gran - 1)) || ((r->end + 1) & (gran - 1)))
		return false;
	if (w == FIXEDBAR_WIN_MEM && r->end >= FIXEDBAR_4G)
		return false;
	if (w == FIXEDBAR_WIN_PREF && !d->br.pref64 && r->end >= FIXEDBAR_4G)
		return false;
	if (par < 0)
		return fb_min_in_aperture(m,
					  w == FIXEDBAR_WIN_IO ?
						  FIXEDBAR_RES_IO :
						  FIXEDBAR_RES_MEM,
					  w == FIXEDBAR_WIN_PREF, r->start,
					  r->end);
	if (fb_min_in_win(m, par, w, r->start, r->end))
		return true;
	return w == FIXEDBAR_WIN_PREF && r->end < FIXEDBAR_4G &&
	       fb_min_in_win(m, par, FIXEDBAR_WIN_MEM, r->start, r->end);
}

static bool fb_min_res_ok(struct fb_min *m, int dev, int r)
{
	if (fb_min_is_win(r))
		return fb_min_win_ok(m, dev, r - FIXEDBAR_NR_SLOTS);
	return fb_min_bar_ok(m, dev, r);
}

/* Every resource of every device on the secondary bus of @dev. */
static bool fb_min_children_ok(struct fb_min *m, int dev)
{
	int c, r;

	for (c = m->t->devs[dev].first_child; c >= 0;
	     c = m->t->devs[c].next_sibling)
		for (r = 0; r < MIN_NR_RES; r++)
			if (fb_min_exists(&m->t->devs[c], r) &&
			    !fb_min_res_ok(m, c, r))
				return false;
	return true;
}

/* first device on the bus of @dev */
static int fb_min_first_sibling(const struct fixedbar_topo *t, int dev)
{
	int par = t->devs[dev].parent;

	return par < 0 ? t->first_root : t->devs[par].first_child;
}

/*
 * The resources of (dev, r)'s space on its bus, but itself, that overlap
 * [@start, @end]: how many (counting stops at 2), the first in @id.
 */
static int fb_min_hits(struct fb_min *m, int dev, int r, u64 start, u64 end,
		       int *id)
{
	u32 space = fb_min_space(&m->t->devs[dev], r), bits;
	const struct fixedbar_range *b;
	int s, k, n = 0;

	for (s = fb_min_first_sibling(m->t, dev); s >= 0;
	     s = m->t->devs[s].next_sibling)
		for (bits = m->mask[s * 2 + space]; bits; bits &= bits - 1) {
			k = __builtin_ctz(bits);
			b = fb_min_res(m, s, k);
			if ((s == dev && k == r) || !b->assigned ||
			    b->start > end || start > b->end)
				continue;
			if (!n++)
				*id = s * MIN_NR_RES + k;
			if (n == 2)
				return n;
		}
	return n;
}

/* Does (dev, r) overlap another resource of its space on its bus? */
static bool fb_min_overlaps(struct fb_min *m, int dev, int r)
{
	const struct fixedbar_range *a = fb_min_res(m, dev, r);
	int id;

	return a->assigned && fb_min_hits(m, dev, r, a->start, a->end, &id);
}

/* A window keeps room for its hotplug reserve beside its children. */
static bool fb_min_reserve_ok(struct fb_min *m, int dev, int w)
{
	const struct fixedbar_dev *d = &m->t->devs[dev];
	const struct fixedbar_range *win = &m->p->devs[dev].win[w];
	u32 space = w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM;
	u64 reserve = d->br.reserve[w], used = 0;
	const struct fixedbar_range *cr;
	u32 bits;
	int c;

	if (!reserve)
		return true;
	if (!win->assigned)
		return false;
	for (c = d->first_child; c >= 0; c = m->t->devs[c].next_sibling)
		for (bits = m->mask[c * 2 + space]; bits; bits &= bits - 1) {
			cr = fb_min_res(m, c, __builtin_ctz(bits));
			if (cr->assigned && cr->start >= win->start &&
			    cr->end <= win->end)
				used += cr->end - cr->start + 1;
		}
	return win->end - win->start + 1 - used >= reserve;
}

/*
 * Is the plan still valid around every resource of the put-back set?  The
 * cheap checks against parents and children come first: most put-backs
 * that fail, fail there.
 */
static bool fb_min_set_ok(struct fb_min *m)
{
	u32 i;
	int dev, r;

	for (i = 0; i < m->nr_set; i++) {
		dev = (int)(m->set[i] / MIN_NR_RES);
		r = (int)(m->set[i] % MIN_NR_RES);
		if (!fb_min_res_ok(m, dev, r))
			return false;
		if (fb_min_is_win(r) &&
		    (!fb_min_children_ok(m, dev) ||
		     !fb_min_reserve_ok(m, dev, r - FIXEDBAR_NR_SLOTS)))
			return false;
	}
	for (i = 0; i < m->nr_set; i++)
		if (fb_min_overlaps(m, (int)(m->set[i] / MIN_NR_RES),
				    (int)(m->set[i] % MIN_NR_RES)))
			return false;
	return true;
}

/* Puts the set back where it is now; keeps that when valid.  Returns kept. */
static bool fb_min_try_set(struct fb_min *m)
{
	u32 i;
	int dev, r;

	if (!m->nr_set)
		return false;
	for (i = 0; i < m->nr_set; i++) {
		dev = (int)(m->set[i] / MIN_NR_RES);
		r = (int)(m->set[i] % MIN_NR_RES);
		m->saved[i] = *fb_min_res(m, dev, r);
		*fb_min_res(m, dev, r) = fb_min_cur(m->t, dev, r);
	}
	if (fb_min_set_ok(m))
		return true;
	/* backwards: a resource in the set twice gets its first saved range */
	for (i = m->nr_set; i-- > 0;) {
		dev = (int)(m->set[i] / MIN_NR_RES);
		r = (int)(m->set[i] % MIN_NR_RES);
		*fb_min_res(m, dev, r) = m->saved[i];
	}
	return false;
}

static void fb_min_add(struct fb_min *m, int dev, int r)
{
	m->set[m->nr_set++] = (u32)dev * MIN_NR_RES + (u32)r;
}

/* Step 1: every moved resource of one space. */
static bool fb_min_space_back(struct fb_min *m, enum fixedbar_res_type space)
{
	u32 i;
	int r;

	m->nr_set = 0;
	for (i = 0; i < m->t->nr_devs; i++)
		for (r = 0; r < MIN_NR_RES; r++)
			if (fb_min_space(&m->t->devs[i], r) == space &&
			    fb_min_candidate(m, (int)i, r))
				fb_min_add(m, (int)i, r);
	return fb_min_try_set(m);
}

/* next device of @root's subtree after @i in preorder, -1 at the end */
static int fb_min_next(const struct fixedbar_topo *t, int root, int i)
{
	if (t->devs[i].first_child >= 0)
		return t->devs[i].first_child;
	while (i != root && t->devs[i].next_sibling < 0)
		i = t->devs[i].parent;
	return i == root ? -1 : t->devs[i].next_sibling;
}

/* Adds the moved resources of @dev's subtree in @space now inside @win. */
static void fb_min_add_inside(struct fb_min *m, int dev,
			      enum fixedbar_res_type space,
			      const struct fixedbar_range *win)
{
	const struct fixedbar_topo *t = m->t;
	struct fixedbar_range cur;
	int i, r;

	for (i = fb_min_next(t, dev, dev); i >= 0; i = fb_min_next(t, dev, i))
		for (r = 0; r < MIN_NR_RES; r++) {
			if (fb_min_space(&t->devs[i], r) != space ||
			    !fb_min_candidate(m, i, r))
				continue;
			cur = fb_min_cur(t, i, r);
			if (fb_min_inside(win, cur.start, cur.end))
				fb_min_add(m, i, r);
		}
}

/*
 * Step 2: the windows of @dev in @wmask (bits of enum fixedbar_win, one
 * space) that moved, with the moved resources of the subtree that sit
 * inside them now when @contents (which also undoes swaps inside a window
 * that kept its place).  Both memory windows go together: a BAR the plan
 * routed through the other one comes back with them.
 */
static bool fb_min_windows_back(struct fb_min *m, int dev, u32 wmask,
				bool contents)
{
	const struct fixedbar_topo *t = m->t;
	enum fixedbar_res_type space = wmask & (1u << FIXEDBAR_WIN_IO) ?
					       FIXEDBAR_RES_IO :
					       FIXEDBAR_RES_MEM;
	struct fixedbar_range win;
	int w;

	m->nr_set = 0;
	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
		if ((wmask & (1u << w)) &&
		    fb_min_candidate(m, dev, FIXEDBAR_NR_SLOTS + w))
			fb_min_add(m, dev, FIXEDBAR_NR_SLOTS + w);
	for (w = 0; w < FIXEDBAR_NR_WINDOWS && contents; w++) {
		win = fb_min_cur(t, dev, FIXEDBAR_NR_SLOTS + w);
		if ((wmask & (1u << w)) && win.assigned)
			fb_min_add_inside(m, dev, space, &win);
	}
	return fb_min_try_set(m);
}

/* Step 2 for one bridge: each window, then both memory windows together. */
static bool fb_min_bridge_back(struct fb_min *m, int dev)
{
	const u32 mem = 1u << FIXEDBAR_WIN_MEM | 1u << FIXEDBAR_WIN_PREF;
	bool kept = false;
	int w;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
		if (fb_min_exists(&m->t->devs[dev], FIXEDBAR_NR_SLOTS + w))
			kept |= fb_min_windows_back(m, dev, 1u << w, true);
	if (!m->t->devs[dev].br.pref)
		return kept;
	kept |= fb_min_windows_back(m, dev, mem, true);
	kept |= fb_min_windows_back(m, dev, mem, false);
	return kept;
}

/*
 * Step 4 applies m->target to the set and keeps it when the plan stays
 * valid and fewer resources of the set move.
 */
static bool fb_min_try_targets(struct fb_min *m)
{
	u32 i, before = 0, after = 0;
	int dev, r;

	for (i = 0; i < m->nr_set; i++) {
		dev = (int)(m->set[i] / MIN_NR_RES);
		r = (int)(m->set[i] % MIN_NR_RES);
		m->saved[i] = *fb_min_res(m, dev, r);
		before += fixedbar_plan_res_moved(m->t, m->p, dev, r);
		*fb_min_res(m, dev, r) = m->target[i];
		after += fixedbar_plan_res_moved(m->t, m->p, dev, r);
	}
	if (after < before && fb_min_set_ok(m))
		return true;
	for (i = m->nr_set; i-- > 0;)
		*fb_min_res(m, (int)(m->set[i] / MIN_NR_RES),
			    (int)(m->set[i] % MIN_NR_RES)) = m->saved[i];
	return false;
}

static struct fixedbar_range fb_min_hull(struct fixedbar_range a,
					 struct fixedbar_range b)
{
	if (!a.assigned)
		return b;
	if (b.assigned) {
		a.start = a.start < b.start ? a.start : b.start;
		a.end = a.end > b.end ? a.end : b.end;
	}
	return a;
}

/*
 * Step 2b, both memory windows of @dev at @mem and @pref, and the moved
 * resources now inside either back where they are now.
 */
static bool fb_min_pair_to(struct fb_min *m, int dev, struct fixedbar_range mem,
			   struct fixedbar_range pref)
{
	const int rm = FIXEDBAR_NR_SLOTS + FIXEDBAR_WIN_MEM;
	const int rp = FIXEDBAR_NR_SLOTS + FIXEDBAR_WIN_PREF;
	struct fixedbar_range cur;
	u32 i;

	m->nr_set = 0;
	fb_min_add(m, dev, rm);
	fb_min_add(m, dev, rp);
	cur = fb_min_cur(m->t, dev, rm);
	if (cur.assigned)
		fb_min_add_inside(m, dev, FIXEDBAR_RES_MEM, &cur);
	cur = fb_min_cur(m->t, dev, rp);
	if (cur.assigned)
		fb_min_add_inside(m, dev, FIXEDBAR_RES_MEM, &cur);
	m->target[0] = mem;
	m->target[1] = pref;
	for (i = 2; i < m->nr_set; i++)
		m->target[i] = fb_min_cur(m->t, (int)(m->set[i] / MIN_NR_RES),
					  (int)(m->set[i] % MIN_NR_RES));
	return fb_min_try_targets(m);
}

/*
 * Step 2b: when both memory windows of a bridge moved, one may hold what
 * it holds now and what the plan added (the hull of both), with the other
 * back where it is now; or one may take what the plan put in both, with
 * the other back (a route the plan changed, undone).
 */
static bool fb_min_bridge_reshape(struct fb_min *m, int dev)
{
	const int rm = FIXEDBAR_NR_SLOTS + FIXEDBAR_WIN_MEM;
	const int rp = FIXEDBAR_NR_SLOTS + FIXEDBAR_WIN_PREF;
	struct fixedbar_range cm, cp, pm, pp, both;

	if (!m->t->devs[dev].br.pref || !fb_min_candidate(m, dev, rm) ||
	    !fb_min_candidate(m, dev, rp))
		return false;
	cm = fb_min_cur(m->t, dev, rm);
	cp = fb_min_cur(m->t, dev, rp);
	pm = *fb_min_res(m, dev, rm);
	pp = *fb_min_res(m, dev, rp);
	both = fb_min_hull(pm, pp);
	return fb_min_pair_to(m, dev, fb_min_hull(cm, pm), cp) ||
	       fb_min_pair_to(m, dev, cm, fb_min_hull(cp, pp)) ||
	       fb_min_pair_to(m, dev, both, cp) ||
	       fb_min_pair_to(m, dev, cm, both);
}

/* Would (dev, r) fit its parent where it is now (overlaps aside)? */
static bool fb_min_fits_parent(struct fb_min *m, int dev, int r)
{
	struct fixedbar_range *res = fb_min_res(m, dev, r), keep = *res;
	bool ok;

	*res = fb_min_cur(m->t, dev, r);
	ok = fb_min_res_ok(m, dev, r);
	*res = keep;
	return ok;
}

/* The one resource on the bus of (dev, r) that sits on its current range. */
static int fb_min_blocker(struct fb_min *m, int dev, int r)
{
	struct fixedbar_range cur = fb_min_cur(m->t, dev, r);
	int id = -1;

	if (fb_min_hits(m, dev, r, cur.start, cur.end, &id) != 1)
		return -1;
	return id;
}

/*
 * Step 4's movers: blocker @id, moved and free to move (neither fixed nor
 * pinned), and when it is a window what sits inside it.  Returns the
 * alignment a shift of them all must keep, 0 when they may not move.
 */
static u64 fb_min_movers(struct fb_min *m, int id)
{
	int dev = id / MIN_NR_RES, r = id % MIN_NR_RES, i, k;
	const struct fixedbar_dev *d = &m->t->devs[dev];
	const struct fixedbar_range *b = fb_min_res(m, dev, r), *c;
	enum fixedbar_res_type space = fb_min_space(d, r);
	u64 align;

	if (!fb_min_candidate(m, dev, r) ||
	    (!fb_min_is_win(r) && (d->pinned || d->bars[r].pinned)))
		return 0;
	fb_min_add(m, dev, r);
	if (!fb_min_is_win(r))
		return d->bars[r].size;
	align = r - FIXEDBAR_NR_SLOTS == FIXEDBAR_WIN_IO ?
			(d->br.io_1k ? MIN_IO_1K_GRAN : MIN_IO_GRAN) :
			MIN_WIN_GRAN;
	for (i = fb_min_next(m->t, dev, dev); i >= 0;
	     i = fb_min_next(m->t, dev, i))
		for (k = 0; k < MIN_NR_RES; k++) {
			if (!fb_min_exists(&m->t->devs[i], k) ||
			    fb_min_space(&m->t->devs[i], k) != space)
				continue;
			c = fb_min_res(m, i, k);
			if (!c->assigned || !fb_min_inside(b, c->start, c->end))
				continue;
			if (!fb_min_is_win(k) &&
			    (m->t->devs[i].pinned ||
			     m->t->devs[i].bars[k].pinned ||
			     (m->fixed[i] & (1u << k))))
				return 0;
			if (!fb_min_is_win(k) &&
			    m->t->devs[i].bars[k].size > align)
				align = m->t->devs[i].bars[k].size;
			fb_min_add(m, i, k);
		}
	return align;
}

/*
 * Step 4 at @to: the set's first member back, the movers (the blocker,
 * now at @from, first) shifted so that the blocker starts at @to.
 */
static bool fb_min_shift_to(struct fb_min *m, const struct fixedbar_range *from,
			    u64 to)
{
	u64 delta = to - from->start;
	u32 i;

	if (!m->budget || to + (from->end - from->start) < to)
		return false;
	m->budget--;
	m->target[0] = fb_min_cur(m->t, (int)(m->set[0] / MIN_NR_RES),
				  (int)(m->set[0] % MIN_NR_RES));
	for (i = 1; i < m->nr_set; i++) {
		m->target[i] = *fb_min_res(m, (int)(m->set[i] / MIN_NR_RES),
					   (int)(m->set[i] % MIN_NR_RES));
		m->target[i].start += delta;
		m->target[i].end += delta;
	}
	return fb_min_try_targets(m);
}

/*
 * Step 4: a single resource whose place one moved sibling took goes back
 * when that sibling (with what sits inside it) can go elsewhere: right
 * after another resource of the bus, keeping its alignment.
 */
static bool fb_min_shift_back(struct fb_min *m, int dev, int r)
{
	enum fixedbar_res_type space = fb_min_space(&m->t->devs[dev], r);
	int id = fb_min_blocker(m, dev, r), s;
	const struct fixedbar_range *o;
	struct fixedbar_range from;
	u64 align, to;
	u32 bits;

	if (id < 0 || !m->budget || !fb_min_fits_parent(m, dev, r))
		return false;
	m->nr_set = 0;
	fb_min_add(m, dev, r);
	align = fb_min_movers(m, id);
	if (!align || m->nr_set < 2)
		return false;
	from = *fb_min_res(m, id / MIN_NR_RES, id % MIN_NR_RES);
	for (s = fb_min_first_sibling(m->t, dev); s >= 0;
	     s = m->t->devs[s].next_sibling)
		for (bits = m->mask[s * 2 + space]; bits; bits &= bits - 1) {
			o = fb_min_res(m, s, __builtin_ctz(bits));
			if (!o->assigned)
				continue;
			to = o->end + 1 +
			     ((from.start - (o->end + 1)) & (align - 1));
			if (to > o->end && fb_min_shift_to(m, &from, to))
				return true;
		}
	return false;
}

/* Stays where the plan put it when what holds it moves: fixed or pinned. */
static bool fb_min_stays(struct fb_min *m, int dev, int r)
{
	const struct fixedbar_dev *d = &m->t->devs[dev];

	return !fb_min_is_win(r) &&
	       (d->pinned || d->bars[r].pinned || (m->fixed[dev] & (1u << r)));
}

/*
 * Adds window @w of @dev at @to, and what sits inside it in its space
 * shifted along, but what stays.
 */
static void fb_min_add_shifted(struct fb_min *m, int dev, int w,
			       struct fixedbar_range to)
{
	const struct fixedbar_range win = m->p->devs[dev].win[w];
	enum fixedbar_res_type space = w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							      FIXEDBAR_RES_MEM;
	struct fixedbar_range r;
	int i, k;

	m->target[m->nr_set] = to;
	fb_min_add(m, dev, FIXEDBAR_NR_SLOTS + w);
	for (i = fb_min_next(m->t, dev, dev); i >= 0;
	     i = fb_min_next(m->t, dev, i))
		for (k = 0; k < MIN_NR_RES; k++) {
			if (!fb_min_exists(&m->t->devs[i], k) ||
			    fb_min_space(&m->t->devs[i], k) != space ||
			    fb_min_stays(m, i, k))
				continue;
			r = *fb_min_res(m, i, k);
			if (!r.assigned || !fb_min_inside(&win, r.start, r.end))
				continue;
			r.start += to.start - win.start;
			r.end += to.start - win.start;
			m->target[m->nr_set] = r;
			fb_min_add(m, i, k);
		}
}

/*
 * Step 5: moved sibling windows @a and @b (window @w) trade places: each
 * takes the other's current range, what it holds shifted along (fixed and
 * pinned BARs stay, and must lie inside), and every moved window @w above
 * them goes back where it is now.  Where firmware put a big BAR on a fixed
 * BAR's address, the fixed BAR's window takes the big BAR's window's place
 * and the windows above keep theirs (issue 20's deep chain).
 */
static bool fb_min_trade(struct fb_min *m, int a, int b, int w)
{
	const int r = FIXEDBAR_NR_SLOTS + w;
	struct fixedbar_range ca = fb_min_cur(m->t, a, r);
	struct fixedbar_range cb = fb_min_cur(m->t, b, r);
	int up;

	if (!m->budget || !ca.assigned || !cb.assigned ||
	    !fb_min_candidate(m, a, r) || !fb_min_candidate(m, b, r) ||
	    !m->p->devs[a].win[w].assigned || !m->p->devs[b].win[w].assigned)
		return false;
	m->budget--;
	m->nr_set = 0;
	fb_min_add_shifted(m, a, w, cb);
	fb_min_add_shifted(m, b, w, ca);
	for (up = m->t->devs[a].parent; up >= 0; up = m->t->devs[up].parent)
		if (fb_min_candidate(m, up, r)) {
			m->target[m->nr_set] = fb_min_cur(m->t, up, r);
			fb_min_add(m, up, r);
		}
	return fb_min_try_targets(m);
}

/*
 * Step 5 for the bridges on the bus of @dev after it; only below a window
 * that moved, since the gain is the windows above going back.
 */
static bool fb_min_trades(struct fb_min *m, int dev)
{
	int par = m->t->devs[dev].parent, s, w;
	bool kept = false;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS && par >= 0; w++) {
		if (!fb_min_win_impl(&m->t->devs[dev], w) ||
		    !fb_min_candidate(m, par, FIXEDBAR_NR_SLOTS + w))
			continue;
		for (s = m->t->devs[dev].next_sibling; s >= 0;
		     s = m->t->devs[s].next_sibling)
			if (fb_min_win_impl(&m->t->devs[s], w))
				kept |= fb_min_trade(m, dev, s, w);
	}
	return kept;
}

/*
 * Steps 2, 3 and 4 over every device, parents first, then 5; true when any
 * was kept.
 */
static bool fb_min_round(struct fb_min *m)
{
	bool kept = false;
	u32 i;
	int r;

	for (i = 0; i < m->t->nr_devs; i++)
		if (m->t->devs[i].is_bridge)
			kept |= fb_min_bridge_back(m, (int)i) |
				fb_min_bridge_reshape(m, (int)i);
	for (i = 0; i < m->t->nr_devs; i++)
		for (r = 0; r < MIN_NR_RES; r++) {
			if (!fb_min_candidate(m, (int)i, r))
				continue;
			m->nr_set = 0;
			fb_min_add(m, (int)i, r);
			if (fb_min_try_set(m) ||
			    fb_min_shift_back(m, (int)i, r))
				kept = true;
		}
	for (i = 0; i < m->t->nr_devs; i++)
		if (m->t->devs[i].is_bridge)
			kept |= fb_min_trades(m, (int)i);
	return kept;
}

void fixedbar_mark_fixed(const struct fixedbar_topo *t, u16 *fixed)
{
	const struct fixedbar_entry *e;
	u32 i;
	int dev, j;

	for (i = 0; i < t->nr_entries; i++) {
		e = &t->entries[i];
		dev = fixedbar_topo_find(t, e, NULL, 0);
		if (dev < 0)
			continue;
		for (j = 0; j < e->nr_bars; j++)
			fixed[dev] |= (u16)(1u << e->bars[j].bar);
	}
}

static void fb_min_mark_masks(struct fb_min *m)
{
	const struct fixedbar_dev *d;
	u32 i;
	int r;

	for (i = 0; i < m->t->nr_devs; i++) {
		d = &m->t->devs[i];
		for (r = 0; r < MIN_NR_RES; r++)
			if (fb_min_exists(d, r))
				m->mask[i * 2 + fb_min_space(d, r)] |=
					(u16)(1u << r);
	}
}

static void fb_min_run(struct fb_min *m)
{
	int round;

	fixedbar_mark_fixed(m->t, m->fixed);
	fb_min_mark_masks(m);
	fb_min_space_back(m, FIXEDBAR_RES_IO);
	fb_min_space_back(m, FIXEDBAR_RES_MEM);
	for (round = 0; round < MIN_MAX_ROUNDS; round++)
		if (!fb_min_round(m))
			break;
}

int fixedbar_minimize(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	size_t nres = (size_t)t->nr_devs * MIN_NR_RES;
	struct fixedbar_plan_dev *orig;
	struct fb_min m = { .t = t, .p = p };
	int err = -ENOMEM;

	if (p->err || !t->nr_devs)
		return 0;
	orig = fixedbar_zalloc(t->nr_devs * sizeof(*orig));
	m.fixed = fixedbar_zalloc(t->nr_devs * sizeof(*m.fixed));
	m.mask = fixedbar_zalloc(2 * t->nr_devs * sizeof(*m.mask));
	m.set = fixedbar_zalloc(2 * nres * sizeof(*m.set));
	m.saved = fixedbar_zalloc(2 * nres * sizeof(*m.saved));
	m.target = fixedbar_zalloc(2 * nres * sizeof(*m.target));
	m.budget = MIN_SHIFT_BUDGET;
	if (!orig || !m.fixed || !m.mask || !m.set || !m.saved || !m.target)
		goto out;
	memcpy(orig, p->devs, t->nr_devs * sizeof(*orig));
	fb_min_run(&m);
	err = fixedbar_validate(t, p, NULL, 0);
	if (err)
		memcpy(p->devs, orig, t->nr_devs * sizeof(*orig));
out:
	fixedbar_free(orig);
	fixedbar_free(m.fixed);
	fixedbar_free(m.mask);
	fixedbar_free(m.set);
	fixedbar_free(m.saved);
	fixedbar_free(m.target);
	return err;
}
