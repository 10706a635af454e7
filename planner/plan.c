// SPDX-License-Identifier: GPL-2.0
/*
 * The planner's public API: fixedbar_plan() and the predicates on a plan;
 * and the re-plans that follow a feasible plan.
 */
#include "plan_internal.h"

/* The plan's arrays and the planner's context for @t, in *@cp. */
static int fb_plan_start(const struct fixedbar_topo *t, struct fixedbar_plan *p,
			 struct fb_ctx **cp)
{
	struct fb_ctx *c;

	memset(p, 0, sizeof(*p));
	p->nr_devs = t->nr_devs;
	p->devs = fixedbar_zalloc(t->nr_devs * sizeof(*p->devs) + 1);
	p->warnings =
		fixedbar_zalloc(FIXEDBAR_MAX_WARNINGS * sizeof(*p->warnings));
	c = fixedbar_zalloc(sizeof(*c));
	*cp = c;
	if (!p->devs || !p->warnings || !c)
		return -ENOMEM;
	c->t = t;
	c->p = p;
	return fixedbar_alloc(c);
}

/* Sets the plan's error and message from @err; frees the context. */
static int fb_plan_finish(struct fb_ctx *c, struct fixedbar_plan *p, int err)
{
	if (c && err && err != -ENOMEM && !c->msg[0])
		snprintf(c->msg, sizeof(c->msg), "planning failed (%s)",
			 fixedbar_errname(err) ? fixedbar_errname(err) : "?");
	if (c && err)
		snprintf(p->message, sizeof(p->message), "%s", c->msg);
	if (c)
		fixedbar_release(c);
	fixedbar_free(c);
	if (err == -ENOMEM)
		snprintf(p->message, sizeof(p->message), "out of memory");
	p->err = err;
	if (err)
		p->nr_warnings = 0;
	return err;
}

int fixedbar_plan_copy_end(const struct fixedbar_topo *t,
			   struct fixedbar_topo *t2, struct fixedbar_plan *p,
			   int err)
{
	char vmsg[FIXEDBAR_MSG_LEN];

	if (!err && fixedbar_validate(t, p, vmsg, sizeof(vmsg))) {
		snprintf(p->message, sizeof(p->message),
			 "internal error, the plan fails validation: %s", vmsg);
		p->nr_err_entries = 0;
		err = -EFAULT;
	}
	if (t2)
		fixedbar_free(t2->devs);
	fixedbar_free(t2);
	p->err = err;
	if (err)
		p->nr_warnings = 0;
	return err;
}

/*
 * ---- re-plans ----
 *
 * minimize.c's put-backs change a plan where it is; a layout with fewer
 * moves may need another routing or another placement of what moved.
 * After a feasible plan, fixedbar_plan() plans again with one more
 * constraint at a time, on a copy of the topology: a bridge whose
 * prefetchable window is disabled now and enabled by the plan without that
 * window (what it holds stays in the memory window; never one with a
 * hotplug reserve), a moved BAR pinned where it is now.  It keeps each
 * constraint whose plan validates against the topology as given, moves
 * fewer resources and warns no more, until a pass keeps none or the budget
 * is spent.
 *
 * The re-plans of one plan share a budget: about one fiftieth of one
 * plan's limits, and only after a first plan that spent no more than that.
 * fixedbar_split() has no limit of its own: its calls count against the
 * budget, and a re-plan starts only while some is left.  The model,
 * put-backs and checks of a re-plan are charged as FB_REPLAN_DEV_STEPS hole
 * checks per device: about 20 re-plans at 8 devices, one at 128, none from
 * 256 on.
 */
#define FB_REPLAN_PLANS 64
#define FB_REPLAN_WORK (FB_WORK_LIMIT / 50)
#define FB_REPLAN_STEPS (FB_STEP_LIMIT / 50)
#define FB_REPLAN_PLACE (FB_PLACE_SEARCH_TOTAL / 50)
#define FB_REPLAN_SPLITS 50000
#define FB_REPLAN_DEV_STEPS 1024
#define FB_REPLAN_PASSES 4

/* clang-format off */
/* what the searches of a plan may spend */
struct fb_budget {
	u64 plans;			/* re-plans */
	u64 work;			/* container placements */
	u64 steps;			/* hole checks */
	u64 place;			/* placement search candidates */
	u64 splits;			/* split packings */
};

struct fb_replan {
	const struct fixedbar_topo *t;
	struct fixedbar_topo t2;	/* @t with the constraints kept */
	struct fixedbar_plan *p;	/* the plan that moves fewest */
	struct fixedbar_plan p2;	/* a re-plan's */
	u32 moved;			/* ... by @p */
	u16 *fixed;			/* per device: its fixed BARs */
	struct fb_budget b;
};
/* clang-format on */

static u64 fb_spend(u64 left, u64 spent)
{
	return spent < left ? left - spent : 0;
}

/* Takes what @c's searches spent from @b. */
static void fb_budget_spend(struct fb_budget *b, const struct fb_ctx *c)
{
	b->work = fb_spend(b->work, c->work - (FB_WORK_LIMIT - b->work));
	b->steps = fb_spend(b->steps, c->steps - (FB_STEP_LIMIT - b->steps));
	b->place = fb_spend(b->place, c->place_search - (FB_PLACE_SEARCH_TOTAL -
							 b->place));
	b->splits = fb_spend(b->splits, c->split_gen);
}

/*
 * The ladder, then minimize.c's put-backs; the searches may spend only
 * what is left of @b (all of a plan's limits for a first plan), and spend
 * it.
 */
static int fb_plan_once(const struct fixedbar_topo *t, struct fixedbar_plan *p,
			struct fb_budget *b, bool inward)
{
	struct fb_ctx *c = NULL;
	int err;

	err = fb_plan_start(t, p, &c);
	if (!err) {
		c->work = FB_WORK_LIMIT - b->work;
		c->steps = FB_STEP_LIMIT - b->steps;
		c->place_search = FB_PLACE_SEARCH_TOTAL - b->place;
		c->inward = inward;
	}
	if (!err)
		err = fixedbar_model(c);
	if (!err)
		err = fixedbar_ladder(c);
	if (c)
		fb_budget_spend(b, c);
	if (!err)
		fixedbar_minimize(t, p);
	return fb_plan_finish(c, p, err);
}

/* Plans r->t2; keeps its plan when it is valid, moves fewer, warns no more. */
static bool fb_replan_try(struct fb_replan *r)
{
	u64 charge = (u64)r->t->nr_devs * FB_REPLAN_DEV_STEPS;
	struct fixedbar_plan *p2 = &r->p2;

	if (!r->b.plans || !r->b.work || !r->b.place || !r->b.splits ||
	    r->b.steps <= charge)
		return false;
	r->b.plans--;
	r->b.steps -= charge;
	memset(p2, 0, sizeof(*p2));
	if (fb_plan_once(&r->t2, p2, &r->b, false) ||
	    p2->nr_warnings > r->p->nr_warnings ||
	    fixedbar_validate(r->t, p2, NULL, 0) ||
	    fixedbar_plan_nr_moved(r->t, p2) >= r->moved) {
		fixedbar_plan_free(p2);
		return false;
	}
	r->moved = fixedbar_plan_nr_moved(r->t, p2);
	fixedbar_plan_free(r->p);
	*r->p = *p2;
	return true;
}

/* Bridge @i without the prefetchable window the plan enabled. */
static bool fb_replan_no_pref(struct fb_replan *r, u32 i)
{
	struct fixedbar_dev *d = &r->t2.devs[i];

	if (!d->is_bridge || !d->br.pref || d->br.reserve[FIXEDBAR_WIN_PREF] ||
	    d->br.cur[FIXEDBAR_WIN_PREF].assigned ||
	    !r->p->devs[i].win[FIXEDBAR_WIN_PREF].assigned)
		return false;
	d->br.pref = false;
	if (fb_replan_try(r))
		return true;
	d->br.pref = true;
	return false;
}

/* A moved BAR, neither fixed nor pinned, pinned where it is now. */
static bool fb_replan_pin(struct fb_replan *r, u32 i, int s)
{
	struct fixedbar_dev *d = &r->t2.devs[i];
	struct fixedbar_bar *b = &d->bars[s];

	if (!b->present || !b->cur.assigned || b->pinned || d->pinned ||
	    (r->fixed[i] & (1u << s)) ||
	    !fixedbar_plan_bar_moved(r->t, r->p, (int)i, s))
		return false;
	b->pinned = true;
	if (fb_replan_try(r))
		return true;
	b->pinned = false;
	return false;
}

/* One pass over every constraint; true when one was kept. */
static bool fb_replan_pass(struct fb_replan *r)
{
	bool kept = false;
	u32 i;
	int s;

	for (i = 0; i < r->t->nr_devs; i++)
		kept |= fb_replan_no_pref(r, i);
	for (i = 0; i < r->t->nr_devs; i++)
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			kept |= fb_replan_pin(r, i, s);
	return kept;
}

/* The re-plans of feasible plan @p of @t, within @b. */
static void fb_replan(const struct fixedbar_topo *t, struct fixedbar_plan *p,
		      const struct fb_budget *b)
{
	/* off the stack: it holds a topology and a plan */
	struct fb_replan *r = fixedbar_zalloc(sizeof(*r));
	int pass;

	if (!r)
		return;
	r->t = t;
	r->t2 = *t;
	r->p = p;
	r->b = *b;
	r->moved = fixedbar_plan_nr_moved(t, p);
	r->t2.devs = fixedbar_zalloc(t->nr_devs * sizeof(*t->devs) + 1);
	r->fixed = fixedbar_zalloc(t->nr_devs * sizeof(*r->fixed) + 1);
	if (r->t2.devs && r->fixed) {
		memcpy(r->t2.devs, t->devs, t->nr_devs * sizeof(*t->devs));
		fixedbar_mark_fixed(t, r->fixed);
		for (pass = 0; pass < FB_REPLAN_PASSES && r->moved; pass++)
			if (!fb_replan_pass(r))
				break;
	}
	fixedbar_free(r->t2.devs);
	fixedbar_free(r->fixed);
	fixedbar_free(r);
}

/*
 * ---- the fallback ----
 *
 * The children of a bridge window first grow the way the window grows,
 * and a failure at the root does not reach back to them: with every child
 * growing up, or every one down, the window can spread over the only room
 * a root BAR had, where its first child growing up and its last growing
 * down keep it within its fixed BARs (64dev-16fixed-tight seed 24: a
 * 128 MiB BAR and a 64 MiB one).  When the first plan fails for want of
 * room or of budget, one more plan in which the outer children grow inward
 * first (fb_kid_first()), within the re-plans' budget; when that fails too,
 * the first plan's error and message stand unchanged.  A plan the first
 * attempt finds never gets here.
 */
static int fb_plan_inward(const struct fixedbar_topo *t,
			  struct fixedbar_plan *p, int err)
{
	struct fb_budget b = {
		0,
		FB_REPLAN_WORK,
		FB_REPLAN_STEPS,
		FB_REPLAN_PLACE,
		FB_REPLAN_SPLITS,
	};
	struct fixedbar_plan *p2;

	if (err != -ENOSPC && err != -EBUSY && err != -ETIMEDOUT)
		return err;
	/* off the stack: a plan holds its messages */
	p2 = fixedbar_zalloc(sizeof(*p2));
	if (!p2)
		return err;
	if (fb_plan_once(t, p2, &b, true) ||
	    fixedbar_validate(t, p2, NULL, 0)) {
		fixedbar_plan_free(p2);
		fixedbar_free(p2);
		return err;
	}
	fixedbar_plan_free(p);
	*p = *p2;
	fixedbar_free(p2);
	return 0;
}

/* ---- the public API ---- */

int fixedbar_plan(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	static const struct fb_budget replans = {
		FB_REPLAN_PLANS, FB_REPLAN_WORK,   FB_REPLAN_STEPS,
		FB_REPLAN_PLACE, FB_REPLAN_SPLITS,
	};
	struct fb_budget first = {
		0,
		FB_WORK_LIMIT,
		FB_STEP_LIMIT,
		FB_PLACE_SEARCH_TOTAL,
		FB_REPLAN_SPLITS,
	};
	int err;

	if (fixedbar_topo_has_absent(t))
		return fixedbar_plan_absent(t, p);
	if (t->nr_reserved)
		return fixedbar_plan_reserved(t, p);
	err = fb_plan_once(t, p, &first, false);
	if (err)
		return fb_plan_inward(t, p, err);
	/* a plan whose searches took long gets no re-plans */
	if (FB_WORK_LIMIT - first.work <= FB_REPLAN_WORK &&
	    FB_STEP_LIMIT - first.steps <= FB_REPLAN_STEPS &&
	    FB_PLACE_SEARCH_TOTAL - first.place <= FB_REPLAN_PLACE &&
	    first.splits && fixedbar_plan_nr_moved(t, p))
		fb_replan(t, p, &replans);
	return err;
}

void fixedbar_plan_free(struct fixedbar_plan *p)
{
	fixedbar_free(p->devs);
	fixedbar_free(p->warnings);
	p->devs = NULL;
	p->warnings = NULL;
	p->nr_devs = 0;
	p->nr_warnings = 0;
}

static bool fb_range_moved(const struct fixedbar_range *cur,
			   const struct fixedbar_range *now)
{
	if (cur->assigned != now->assigned)
		return true;
	return cur->assigned &&
	       (cur->start != now->start || cur->end != now->end);
}

bool fixedbar_plan_bar_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int slot)
{
	const struct fixedbar_bar *b = &t->devs[dev].bars[slot];
	struct fixedbar_range cur = b->cur;

	if (cur.assigned)
		cur.end = cur.start + fixedbar_bar_span(b) - 1;
	return fb_range_moved(&cur, &p->devs[dev].bars[slot]);
}

bool fixedbar_plan_win_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int win)
{
	return fb_range_moved(&t->devs[dev].br.cur[win],
			      &p->devs[dev].win[win]);
}
