// SPDX-License-Identifier: GPL-2.0
/*
 * Planning around claimed ranges.  A range the kernel has given to
 * something outside the topology (an e820 reservation, a framebuffer,
 * MMCONFIG) is an obstacle inside an aperture.  The planner proper only
 * knows apertures, so it plans on a copy of the topology whose apertures
 * have every claimed range cut out: no BAR and no window can then overlap
 * or contain one, and a window that would have to stretch across one must
 * go to one side of it.  The plan is then checked against the topology as
 * given, claimed ranges and all.
 */
#include "fixedbar.h"

struct rs_cut {
	u32 nr;
	struct fixedbar_aperture ap[FIXEDBAR_MAX_PIECES];
};

static bool rs_overlaps(const struct fixedbar_reserved *r, u64 start, u64 end)
{
	return r->start <= end && start <= r->end;
}

static void rs_format(char *buf, size_t len, const struct fixedbar_reserved *r)
{
	char res[FIXEDBAR_RES_LEN];

	fixedbar_format_res(res, sizeof(res), r->type, r->start, r->end, false,
			    false);
	snprintf(buf, len, "\"%s\" %s", r->name[0] ? r->name : "reserved", res);
}

/* Adds one piece; false when there are too many. */
static bool rs_push(struct rs_cut *cut, const struct fixedbar_aperture *a,
		    u64 start, u64 end)
{
	if (cut->nr >= FIXEDBAR_MAX_PIECES)
		return false;
	cut->ap[cut->nr] = *a;
	cut->ap[cut->nr].start = start;
	cut->ap[cut->nr].end = end;
	cut->nr++;
	return true;
}

/* Cuts @r out of every piece in @in, into @out. */
static bool rs_cut_one(const struct rs_cut *in, struct rs_cut *out,
		       const struct fixedbar_reserved *r)
{
	bool ok = true;
	u32 i;

	out->nr = 0;
	for (i = 0; i < in->nr && ok; i++) {
		const struct fixedbar_aperture *a = &in->ap[i];

		if (a->type != r->type || !rs_overlaps(r, a->start, a->end)) {
			ok = rs_push(out, a, a->start, a->end);
			continue;
		}
		if (r->start > a->start)
			ok = rs_push(out, a, a->start, r->start - 1);
		if (ok && r->end < a->end)
			ok = rs_push(out, a, r->end + 1, a->end);
	}
	return ok;
}

/* The apertures of @t without its claimed ranges, into @t2. */
static int rs_cut_apertures(const struct fixedbar_topo *t,
			    struct fixedbar_topo *t2, char *msg, size_t len)
{
	struct rs_cut *cut = fixedbar_zalloc(2 * sizeof(*cut));
	char rr[96];
	u32 i, cur = 0;

	if (!cut)
		return -ENOMEM;
	cut[0].nr = t->nr_apertures;
	memcpy(cut[0].ap, t->apertures, t->nr_apertures * sizeof(cut[0].ap[0]));
	for (i = 0; i < t->nr_reserved; i++) {
		if (!rs_cut_one(&cut[cur], &cut[!cur], &t->reserved[i])) {
			rs_format(rr, sizeof(rr), &t->reserved[i]);
			snprintf(msg, len,
				 "claimed range %s cuts the host bridge apertures into more than %d pieces; at most %d are supported",
				 rr, FIXEDBAR_MAX_PIECES, FIXEDBAR_MAX_PIECES);
			fixedbar_free(cut);
			return -E2BIG;
		}
		cur = !cur;
	}
	t2->nr_apertures = cut[cur].nr;
	memcpy(t2->apertures, cut[cur].ap, cut[cur].nr * sizeof(cut[0].ap[0]));
	fixedbar_free(cut);
	return 0;
}

static bool rs_bar_claimed(const struct fixedbar_topo *t,
			   const struct fixedbar_dev *d, int slot)
{
	const struct fixedbar_bar *b = &d->bars[slot];
	u64 end = b->cur.start + fixedbar_bar_span(b) - 1;

	if (!b->present || !b->cur.assigned || d->pinned || b->pinned)
		return false;
	return fixedbar_topo_find_reserved(t, b->type, b->cur.start, end) >= 0;
}

static bool rs_win_claimed(const struct fixedbar_topo *t,
			   const struct fixedbar_dev *d, int w)
{
	const struct fixedbar_range *r = &d->br.cur[w];
	enum fixedbar_res_type type = w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							     FIXEDBAR_RES_MEM;

	return r->assigned &&
	       fixedbar_topo_find_reserved(t, type, r->start, r->end) >= 0;
}

/*
 * The devices of @t, with what now sits on a claimed range unassigned: the
 * planner places it afresh instead of keeping it, and keeps the rest.
 */
static int rs_clear_claimed(const struct fixedbar_topo *t,
			    struct fixedbar_topo *t2)
{
	struct fixedbar_dev *d;
	u32 i;
	int k;

	t2->devs = fixedbar_zalloc(t->nr_devs * sizeof(*d) + 1);
	if (!t2->devs)
		return -ENOMEM;
	memcpy(t2->devs, t->devs, t->nr_devs * sizeof(*d));
	t2->max_devs = t->nr_devs;
	for (i = 0; i < t->nr_devs; i++) {
		d = &t2->devs[i];
		for (k = 0; k < FIXEDBAR_NR_SLOTS; k++)
			if (rs_bar_claimed(t, d, k))
				d->bars[k].cur.assigned = false;
		for (k = 0; k < FIXEDBAR_NR_WINDOWS; k++)
			if (rs_win_claimed(t, d, k))
				d->br.cur[k].assigned = false;
	}
	return 0;
}

/* A fixed BAR of entry @i on a claimed range: -EBUSY and @p's message */
static int rs_check_entry(const struct fixedbar_topo *t, u32 i,
			  struct fixedbar_plan *p)
{
	const struct fixedbar_entry *e = &t->entries[i];
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN], rr[96];
	int dev = fixedbar_topo_find(t, e, NULL, 0), k, r;

	for (k = 0; dev >= 0 && k < e->nr_bars; k++) {
		const struct fixedbar_bar *b =
			&t->devs[dev].bars[e->bars[k].bar];
		u64 start = e->bars[k].addr, span = fixedbar_bar_span(b);

		if (!b->present || !span || start + span - 1 < start)
			continue;
		r = fixedbar_topo_find_reserved(t, b->type, start,
						start + span - 1);
		if (r < 0)
			continue;
		fixedbar_dev_path(t, dev, path, sizeof(path));
		fixedbar_format_bar(res, sizeof(res), b, start);
		rs_format(rr, sizeof(rr), &t->reserved[r]);
		snprintf(p->message, sizeof(p->message),
			 "%s %s %s fixed on claimed range %s; choose an address outside it",
			 path, fixedbar_slot_name(e->bars[k].bar), res, rr);
		p->err_entries[0] = i;
		p->nr_err_entries = 1;
		return -EBUSY;
	}
	return 0;
}

/* A BAR that may not move on a claimed range: -EBUSY and @p's message */
static int rs_check_pinned(const struct fixedbar_topo *t, int dev,
			   struct fixedbar_plan *p)
{
	const struct fixedbar_dev *d = &t->devs[dev];
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN], rr[96];
	int s, r;

	for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
		const struct fixedbar_bar *b = &d->bars[s];
		u64 end = b->cur.start + fixedbar_bar_span(b) - 1;

		if (!b->present || !b->cur.assigned ||
		    !(d->pinned || b->pinned))
			continue;
		r = fixedbar_topo_find_reserved(t, b->type, b->cur.start, end);
		if (r < 0)
			continue;
		fixedbar_dev_path(t, dev, path, sizeof(path));
		fixedbar_format_bar(res, sizeof(res), b, b->cur.start);
		rs_format(rr, sizeof(rr), &t->reserved[r]);
		snprintf(p->message, sizeof(p->message),
			 "%s %s %s overlaps claimed range %s and may not move (bound driver, resource in use or Enhanced Allocation): no layout exists",
			 path, fixedbar_slot_name(s), res, rr);
		return -EBUSY;
	}
	return 0;
}

/* The requests and pinned BARs the claimed ranges make impossible */
static int rs_check(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	int err = 0;
	u32 i;

	for (i = 0; i < t->nr_entries && !err; i++)
		err = rs_check_entry(t, i, p);
	for (i = 0; i < t->nr_devs && !err; i++)
		err = rs_check_pinned(t, (int)i, p);
	return err;
}

/* The plan of the cut copy against @t itself; -EFAULT if it breaks a rule */
int fixedbar_plan_reserved(const struct fixedbar_topo *t,
			   struct fixedbar_plan *p)
{
	struct fixedbar_topo *t2;
	int err;

	memset(p, 0, sizeof(*p));
	t2 = fixedbar_zalloc(sizeof(*t2));
	if (!t2) {
		snprintf(p->message, sizeof(p->message), "out of memory");
		p->err = -ENOMEM;
		return -ENOMEM;
	}
	*t2 = *t;
	t2->nr_reserved = 0;
	t2->reserved = NULL;
	t2->devs = NULL;
	err = rs_cut_apertures(t, t2, p->message, sizeof(p->message));
	if (!err)
		err = rs_clear_claimed(t, t2);
	if (!err)
		err = rs_check(t, p);
	/* fixedbar_plan() of a topology without claimed ranges */
	if (!err)
		err = fixedbar_plan(t2, p);
	return fixedbar_plan_copy_end(t, t2, p, err);
}
