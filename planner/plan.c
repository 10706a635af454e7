// SPDX-License-Identifier: GPL-2.0
/*
 * The planner's public API: fixedbar_plan() and the predicates on a plan.
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
 * The budget the re-plans of one plan share (minimize.c, fixedbar_replan()):
 * about one fiftieth of one plan's limits, and only after a first plan that
 * spent no more than that.  fixedbar_split() has no limit of its own: its
 * calls count against the budget, and a re-plan starts only while some is
 * left.
 */
#define FB_REPLAN_PLANS 64
#define FB_REPLAN_WORK (FB_WORK_LIMIT / 50)
#define FB_REPLAN_STEPS (FB_STEP_LIMIT / 50)
#define FB_REPLAN_PLACE (FB_PLACE_SEARCH_TOTAL / 50)
#define FB_REPLAN_SPLITS 50000

static u64 fb_spend(u64 left, u64 spent)
{
	return spent < left ? left - spent : 0;
}

/* Takes what @c's searches spent from @b. */
static void fb_replan_spend(struct fixedbar_replan_budget *b,
			    const struct fb_ctx *c)
{
	b->work = fb_spend(b->work, c->work - (FB_WORK_LIMIT - b->work));
	b->steps = fb_spend(b->steps, c->steps - (FB_STEP_LIMIT - b->steps));
	b->place = fb_spend(b->place,
			    c->place_search - (FB_PLACE_SEARCH_TOTAL - b->place));
	b->splits = fb_spend(b->splits, c->split_gen);
}

/*
 * The ladder, then minimize.c's put-backs; the searches may spend only
 * what is left of @budget (all of a plan's limits for a first plan), and
 * spend it.
 */
static int fb_plan_once(const struct fixedbar_topo *t, struct fixedbar_plan *p,
			struct fixedbar_replan_budget *budget)
{
	struct fb_ctx *c = NULL;
	int err;

	err = fb_plan_start(t, p, &c);
	if (!err) {
		c->work = FB_WORK_LIMIT - budget->work;
		c->steps = FB_STEP_LIMIT - budget->steps;
		c->place_search = FB_PLACE_SEARCH_TOTAL - budget->place;
	}
	if (!err)
		err = fixedbar_model(c);
	if (!err)
		err = fixedbar_ladder(c);
	if (c)
		fb_replan_spend(budget, c);
	if (!err)
		fixedbar_minimize(t, p);
	return fb_plan_finish(c, p, err);
}

int fixedbar_plan(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	struct fixedbar_replan_budget budget = {
		FB_REPLAN_PLANS, FB_REPLAN_WORK, FB_REPLAN_STEPS,
		FB_REPLAN_PLACE, FB_REPLAN_SPLITS,
	};
	struct fixedbar_replan_budget first = {
		0, FB_WORK_LIMIT, FB_STEP_LIMIT, FB_PLACE_SEARCH_TOTAL,
		FB_REPLAN_SPLITS,
	};
	int err;

	if (fixedbar_topo_has_absent(t))
		return fixedbar_plan_absent(t, p);
	if (t->nr_reserved)
		return fixedbar_plan_reserved(t, p);
	err = fb_plan_once(t, p, &first);
	/* a plan whose searches took long gets no re-plans */
	if (!err && FB_WORK_LIMIT - first.work <= FB_REPLAN_WORK &&
	    FB_STEP_LIMIT - first.steps <= FB_REPLAN_STEPS &&
	    FB_PLACE_SEARCH_TOTAL - first.place <= FB_REPLAN_PLACE &&
	    first.splits)
		fixedbar_replan(t, p, &budget, fb_plan_once);
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
