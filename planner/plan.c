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

int fixedbar_plan(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	struct fb_ctx *c = NULL;
	int err;

	if (fixedbar_topo_has_absent(t))
		return fixedbar_plan_absent(t, p);
	if (t->nr_reserved)
		return fixedbar_plan_reserved(t, p);
	err = fb_plan_start(t, p, &c);
	if (!err)
		err = fixedbar_model(c);
	if (!err)
		err = fixedbar_ladder(c);
	if (!err)
		fixedbar_minimize(t, p);
	return fb_plan_finish(c, p, err);
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
