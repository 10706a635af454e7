// SPDX-License-Identifier: GPL-2.0
/*
 * An independent check of a plan against "What makes a plan valid"
 * (docs/topology-json.md).  It shares nothing with the planner but the
 * topology helpers, so a planner bug cannot hide behind the same mistake
 * here.  Rule 7 (hotplug reserves) is soft and not checked; rule 8 keeps
 * every BAR and window off the topology's claimed ranges.
 */
#include "fixedbar.h"

#define MEM_WIN_GRAN 0x100000ULL
#define IO_WIN_GRAN 0x1000ULL
#define IO_1K_WIN_GRAN 0x400ULL

struct vctx {
	const struct fixedbar_topo *t;
	const struct fixedbar_plan *p;
	char *msg;
	size_t msglen;
	/* the resource being checked, formatted only for a violation */
	char lazy[FIXEDBAR_RES_LEN];
	const struct fixedbar_dev *lazy_dev;
	const struct fixedbar_bar *lazy_bar;
	const struct fixedbar_range *lazy_range;
	int lazy_win;
};

static void format_lazy(struct vctx *v);

/* "<path> <name> <res> <why>"; @res may be empty */
static int violation(struct vctx *v, int dev, const char *name, const char *res,
		     const char *why)
{
	char path[FIXEDBAR_PATH_LEN];

	if (v->msg && v->msglen) {
		if (res == v->lazy)
			format_lazy(v);
		fixedbar_dev_path(v->t, dev, path, sizeof(path));
		snprintf(v->msg, v->msglen, "%s %s%s%s %s", path, name,
			 res[0] ? " " : "", res, why);
	}
	return -EINVAL;
}

static bool win_implemented(const struct fixedbar_dev *d, int w)
{
	if (!d->is_bridge)
		return false;
	if (w == FIXEDBAR_WIN_IO)
		return d->br.io;
	if (w == FIXEDBAR_WIN_PREF)
		return d->br.pref;
	return true;
}

static void bar_res(char *buf, size_t len, const struct fixedbar_bar *b,
		    const struct fixedbar_range *r)
{
	buf[0] = '\0';
	if (r->assigned)
		fixedbar_format_res(buf, len, b->type, r->start, r->end,
				    b->mem64, b->pref);
}

static void win_res(char *buf, size_t len, const struct fixedbar_dev *d, int w,
		    const struct fixedbar_range *r);

static void format_lazy(struct vctx *v)
{
	if (v->lazy_bar)
		bar_res(v->lazy, sizeof(v->lazy), v->lazy_bar, v->lazy_range);
	else
		win_res(v->lazy, sizeof(v->lazy), v->lazy_dev, v->lazy_win,
			v->lazy_range);
}

static const char *lazy_bar(struct vctx *v, const struct fixedbar_bar *b,
			    const struct fixedbar_range *r)
{
	v->lazy[0] = '\0';
	v->lazy_bar = b;
	v->lazy_range = r;
	return v->lazy;
}

static const char *lazy_win(struct vctx *v, const struct fixedbar_dev *d, int w,
			    const struct fixedbar_range *r)
{
	v->lazy[0] = '\0';
	v->lazy_bar = NULL;
	v->lazy_dev = d;
	v->lazy_win = w;
	v->lazy_range = r;
	return v->lazy;
}

static void win_res(char *buf, size_t len, const struct fixedbar_dev *d, int w,
		    const struct fixedbar_range *r)
{
	buf[0] = '\0';
	if (r->assigned)
		fixedbar_format_res(buf, len,
				    w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							   FIXEDBAR_RES_MEM,
				    r->start, r->end,
				    w == FIXEDBAR_WIN_PREF && d->br.pref64,
				    w == FIXEDBAR_WIN_PREF);
}

static bool range_inside(const struct fixedbar_range *r, u64 start, u64 end)
{
	return r->assigned && r->start <= start && end <= r->end;
}

/* Rule 8: no BAR or window overlaps (or contains) a claimed range. */
static int check_claimed(struct vctx *v, int dev, const char *name,
			 const char *res, enum fixedbar_res_type type,
			 u64 start, u64 end)
{
	const struct fixedbar_reserved *r;
	char why[FIXEDBAR_MSG_LEN], cres[FIXEDBAR_RES_LEN];
	u32 i;

	for (i = 0; i < v->t->nr_reserved; i++) {
		r = &v->t->reserved[i];
		if (r->type != type || r->start > end || start > r->end)
			continue;
		fixedbar_format_res(cres, sizeof(cres), r->type, r->start,
				    r->end, false, false);
		snprintf(why, sizeof(why), "overlaps claimed range \"%s\" %s",
			 r->name, cres);
		return violation(v, dev, name, res, why);
	}
	return 0;
}

/*
 * Rule 1 for a device that is not there yet: the range its entry keeps
 * (barN@ADDR+SIZE) lies in a memory window of the hotplug port above it,
 * and no BAR, no other window and no claimed range overlaps it.
 */
static int absent_fail(struct vctx *v, const struct fixedbar_entry *e, int bar,
		       const char *why)
{
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN];
	struct fixedbar_entry dev = *e;
	int i;

	for (i = 0; i < e->nr_bars && e->bars[i].bar != bar; i++)
		;
	dev.nr_bars = 0;
	fixedbar_format_entry(&dev, path, sizeof(path));
	fixedbar_format_res(res, sizeof(res), FIXEDBAR_RES_MEM, e->bars[i].addr,
			    e->bars[i].addr + e->bars[i].size - 1, false,
			    false);
	if (v->msg && v->msglen)
		snprintf(v->msg, v->msglen,
			 "%s bar%d %s kept for the absent device %s", path, bar,
			 res, why);
	return -EINVAL;
}

static bool above(const struct fixedbar_topo *t, int dev, int port)
{
	for (; port >= 0; port = t->devs[port].parent)
		if (port == dev)
			return true;
	return false;
}

/* What of the plan overlaps [start, end], as "<path> <name>", or false */
static bool absent_overlap(struct vctx *v, int port, u64 start, u64 end,
			   char *who, size_t len)
{
	const struct fixedbar_range *r;
	char path[FIXEDBAR_PATH_LEN];
	u32 d;
	int k;

	for (d = 0; d < v->t->nr_devs; d++) {
		for (k = 0; k < FIXEDBAR_NR_RES; k++) {
			if (k < FIXEDBAR_NR_SLOTS) {
				if (v->t->devs[d].bars[k].type !=
				    FIXEDBAR_RES_MEM)
					continue;
				r = &v->p->devs[d].bars[k];
			} else {
				if (k == FIXEDBAR_NR_SLOTS + FIXEDBAR_WIN_IO ||
				    above(v->t, (int)d, port))
					continue;
				r = &v->p->devs[d].win[k - FIXEDBAR_NR_SLOTS];
			}
			if (!r->assigned || r->end < start || end < r->start)
				continue;
			fixedbar_dev_path(v->t, (int)d, path, sizeof(path));
			snprintf(who, len, "%s %s", path,
				 k < FIXEDBAR_NR_SLOTS ?
					 fixedbar_slot_name(k) :
					 fixedbar_win_name(k -
							   FIXEDBAR_NR_SLOTS));
			return true;
		}
	}
	return false;
}

static int check_absent(struct vctx *v, const struct fixedbar_entry *e)
{
	int port = fixedbar_topo_absent_port(v->t, e), j, r;
	const struct fixedbar_range *w = v->p->devs[port].win;
	char why[FIXEDBAR_MSG_LEN], who[FIXEDBAR_PATH_LEN + 24];
	u64 start, end;

	for (j = 0; j < e->nr_bars; j++) {
		start = e->bars[j].addr;
		end = start + e->bars[j].size - 1;
		if (!range_inside(&w[FIXEDBAR_WIN_MEM], start, end) &&
		    !range_inside(&w[FIXEDBAR_WIN_PREF], start, end))
			return absent_fail(v, e, e->bars[j].bar,
					   "is outside the memory windows of the hotplug port above it");
		if (absent_overlap(v, port, start, end, who, sizeof(who))) {
			snprintf(why, sizeof(why), "overlaps %s", who);
			return absent_fail(v, e, e->bars[j].bar, why);
		}
		r = fixedbar_topo_find_reserved(v->t, FIXEDBAR_RES_MEM, start,
						end);
		if (r >= 0) {
			snprintf(why, sizeof(why),
				 "overlaps claimed range \"%s\"",
				 v->t->reserved[r].name);
			return absent_fail(v, e, e->bars[j].bar, why);
		}
	}
	return 0;
}

/* Rule 1: fixed BARs exactly where the entries put them. */
static int check_fixed(struct vctx *v)
{
	const struct fixedbar_topo *t = v->t;
	char res[FIXEDBAR_RES_LEN], why[FIXEDBAR_MSG_LEN];
	const struct fixedbar_range *r;
	const struct fixedbar_entry *e;
	u32 i;
	int j, dev, slot;

	for (i = 0; i < t->nr_entries; i++) {
		e = &t->entries[i];
		dev = fixedbar_topo_find(t, e, v->msg, v->msglen);
		if (dev < 0 && fixedbar_entry_sized(e) &&
		    fixedbar_topo_absent_port(t, e) >= 0) {
			if (check_absent(v, e))
				return -EINVAL;
			continue;
		}
		if (dev < 0)
			return -EINVAL;
		for (j = 0; j < e->nr_bars; j++) {
			slot = e->bars[j].bar;
			r = &v->p->devs[dev].bars[slot];
			if (!t->devs[dev].bars[slot].present) {
				snprintf(why, sizeof(why),
					 "is fixed at 0x%llx but the device does not implement it",
					 (unsigned long long)e->bars[j].addr);
				return violation(v, dev,
						 fixedbar_slot_name(slot), "",
						 why);
			}
			if (e->bars[j].size &&
			    e->bars[j].size !=
				    fixedbar_bar_span(
					    &t->devs[dev].bars[slot])) {
				snprintf(why, sizeof(why),
					 "has size 0x%llx but its entry gives 0x%llx",
					 (unsigned long long)fixedbar_bar_span(
						 &t->devs[dev].bars[slot]),
					 (unsigned long long)e->bars[j].size);
				return violation(v, dev,
						 fixedbar_slot_name(slot), "",
						 why);
			}
			if (r->assigned && r->start == e->bars[j].addr)
				continue;
			bar_res(res, sizeof(res), &t->devs[dev].bars[slot], r);
			snprintf(why, sizeof(why),
				 "%s its fixed address 0x%llx",
				 r->assigned ? "is not at" :
					       "is unassigned, not at",
				 (unsigned long long)e->bars[j].addr);
			return violation(v, dev, fixedbar_slot_name(slot), res,
					 why);
		}
	}
	return 0;
}

/* Rule 1: a pinned BAR, or any BAR of a pinned device, stays put. */
static int check_pinned(struct vctx *v, int dev, int slot)
{
	const struct fixedbar_dev *d = &v->t->devs[dev];
	const struct fixedbar_bar *b = &d->bars[slot];
	const struct fixedbar_range *r = &v->p->devs[dev].bars[slot];
	char res[FIXEDBAR_RES_LEN], cur[FIXEDBAR_RES_LEN], why[160];

	if (!d->pinned && !b->pinned)
		return 0;
	if (r->assigned == b->cur.assigned &&
	    (!r->assigned || r->start == b->cur.start))
		return 0;
	bar_res(res, sizeof(res), b, r);
	if (b->cur.assigned) {
		fixedbar_format_bar(cur, sizeof(cur), b, b->cur.start);
		snprintf(why, sizeof(why), "%s but %s is pinned at %s",
			 r->assigned ? "moved" : "is unassigned",
			 d->pinned ? "its device" : "it", cur);
	} else {
		snprintf(why, sizeof(why),
			 "is assigned but %s is pinned unassigned",
			 d->pinned ? "its device" : "it");
	}
	return violation(v, dev, fixedbar_slot_name(slot), res, why);
}

/*
 * Rules 3 and 5 at the root bus: inside an aperture of the same type; only
 * a prefetchable BAR or window (@pref_ok) may use a prefetchable aperture.
 */
static int check_root(struct vctx *v, int dev, const char *name,
		      const char *res, enum fixedbar_res_type type,
		      bool pref_ok, u64 start, u64 end)
{
	const struct fixedbar_aperture *a, *in_pref = NULL;
	char ares[FIXEDBAR_RES_LEN], why[160];
	u32 i;

	for (i = 0; i < v->t->nr_apertures; i++) {
		a = &v->t->apertures[i];
		if (a->type != type || start < a->start || end > a->end)
			continue;
		if (a->pref && !pref_ok && type == FIXEDBAR_RES_MEM) {
			in_pref = a;
			continue;
		}
		return 0;
	}
	if (in_pref) {
		fixedbar_format_res(ares, sizeof(ares), in_pref->type,
				    in_pref->start, in_pref->end, false, true);
		snprintf(why, sizeof(why),
			 "is non-prefetchable but lies in prefetchable host bridge aperture %s",
			 ares);
	} else {
		snprintf(why, sizeof(why),
			 "is outside every %shost bridge %s aperture",
			 type == FIXEDBAR_RES_MEM && !pref_ok ?
				 "non-prefetchable " :
				 "",
			 type == FIXEDBAR_RES_IO ? "io" : "mem");
	}
	return violation(v, dev, name, res, why);
}

/* "outside window.mem [mem ...] of <bridge>" or why that window is unusable */
static int outside_window(struct vctx *v, int dev, const char *name,
			  const char *res, int br, int w)
{
	const struct fixedbar_dev *b = &v->t->devs[br];
	const struct fixedbar_range *r = &v->p->devs[br].win[w];
	char path[FIXEDBAR_PATH_LEN], wres[FIXEDBAR_RES_LEN], why[256];

	fixedbar_dev_path(v->t, br, path, sizeof(path));
	if (!win_implemented(b, w))
		snprintf(why, sizeof(why),
			 "needs %s of %s, which it does not implement",
			 fixedbar_win_name(w), path);
	else if (!r->assigned)
		snprintf(why, sizeof(why), "needs %s of %s, which is disabled",
			 fixedbar_win_name(w), path);
	else {
		win_res(wres, sizeof(wres), b, w, r);
		snprintf(why, sizeof(why), "outside %s %s of %s",
			 fixedbar_win_name(w), wres, path);
	}
	return violation(v, dev, name, res, why);
}

static bool in_win(struct vctx *v, int br, int w, u64 start, u64 end)
{
	return win_implemented(&v->t->devs[br], w) &&
	       range_inside(&v->p->devs[br].win[w], start, end);
}

/* Rule 4: a BAR behind a bridge. */
static int check_behind(struct vctx *v, int dev, int slot, const char *res)
{
	const struct fixedbar_bar *b = &v->t->devs[dev].bars[slot];
	const struct fixedbar_range *r = &v->p->devs[dev].bars[slot];
	const char *name = fixedbar_slot_name(slot);
	int br = v->t->devs[dev].parent;
	char path[FIXEDBAR_PATH_LEN], why[256];
	int w;

	if (b->type == FIXEDBAR_RES_IO) {
		if (!in_win(v, br, FIXEDBAR_WIN_IO, r->start, r->end))
			return outside_window(v, dev, name, res, br,
					      FIXEDBAR_WIN_IO);
		return 0;
	}
	if (r->end >= FIXEDBAR_4G) {
		fixedbar_dev_path(v->t, br, path, sizeof(path));
		if (!b->pref || !b->mem64) {
			snprintf(why, sizeof(why),
				 "is above 4 GiB behind bridge %s but is not a 64-bit prefetchable BAR",
				 path);
			return violation(v, dev, name, res, why);
		}
		if (!v->t->devs[br].br.pref64) {
			snprintf(why, sizeof(why),
				 "is above 4 GiB but bridge %s has no 64-bit prefetchable window",
				 path);
			return violation(v, dev, name, res, why);
		}
		if (!in_win(v, br, FIXEDBAR_WIN_PREF, r->start, r->end))
			return outside_window(v, dev, name, res, br,
					      FIXEDBAR_WIN_PREF);
		return 0;
	}
	if (!b->pref) {
		if (!in_win(v, br, FIXEDBAR_WIN_MEM, r->start, r->end))
			return outside_window(v, dev, name, res, br,
					      FIXEDBAR_WIN_MEM);
		return 0;
	}
	if (in_win(v, br, FIXEDBAR_WIN_PREF, r->start, r->end) ||
	    in_win(v, br, FIXEDBAR_WIN_MEM, r->start, r->end))
		return 0;
	/* blame the prefetchable window when there is one */
	w = win_implemented(&v->t->devs[br], FIXEDBAR_WIN_PREF) &&
			    v->p->devs[br].win[FIXEDBAR_WIN_PREF].assigned ?
		    FIXEDBAR_WIN_PREF :
		    FIXEDBAR_WIN_MEM;
	return outside_window(v, dev, name, res, br, w);
}

/* Rules 1-4 for one BAR. */
static int check_bar(struct vctx *v, int dev, int slot)
{
	const struct fixedbar_dev *d = &v->t->devs[dev];
	const struct fixedbar_bar *b = &d->bars[slot];
	const struct fixedbar_range *r = &v->p->devs[dev].bars[slot];
	const char *name = fixedbar_slot_name(slot);
	char why[160];
	const char *res;
	bool vf = slot >= FIXEDBAR_VF_SLOT0;
	u64 span = fixedbar_bar_span(b);
	int ret;

	if (!b->present) {
		if (!r->assigned)
			return 0;
		/* no type to show it with */
		snprintf(why, sizeof(why),
			 "is assigned at 0x%llx but the device does not implement it",
			 (unsigned long long)r->start);
		return violation(v, dev, name, "", why);
	}
	res = lazy_bar(v, b, r);
	ret = check_pinned(v, dev, slot);
	if (ret)
		return ret;
	if (!r->assigned) {
		if (b->type == FIXEDBAR_RES_MEM && slot != FIXEDBAR_ROM_SLOT)
			return violation(v, dev, name, res,
					 "is unassigned; every memory BAR needs an address");
		return 0;
	}
	if (!b->size || (b->size & (b->size - 1)) || !span) {
		snprintf(why, sizeof(why),
			 "has size 0x%llx, not a power of two",
			 (unsigned long long)b->size);
		return violation(v, dev, name, res, why);
	}
	if (r->start & (b->size - 1)) {
		snprintf(why, sizeof(why),
			 "is not aligned to its %ssize 0x%llx",
			 vf ? "per-VF " : "", (unsigned long long)b->size);
		return violation(v, dev, name, res, why);
	}
	if (r->start + (span - 1) < r->start ||
	    r->end != r->start + (span - 1)) {
		if (vf)
			snprintf(why, sizeof(why),
				 "does not span its size 0x%llx * %u VFs",
				 (unsigned long long)b->size, b->count);
		else
			snprintf(why, sizeof(why),
				 "does not span its size 0x%llx",
				 (unsigned long long)b->size);
		return violation(v, dev, name, res, why);
	}
	if (!b->mem64 && r->end >= FIXEDBAR_4G)
		return violation(v, dev, name, res,
				 "is not a 64-bit BAR but ends above 4 GiB");
	ret = check_claimed(v, dev, name, res, b->type, r->start, r->end);
	if (ret)
		return ret;
	if (d->parent < 0)
		return check_root(v, dev, name, res, b->type,
				  b->type == FIXEDBAR_RES_MEM && b->pref,
				  r->start, r->end);
	return check_behind(v, dev, slot, res);
}

/* Rule 5 for one window of a bridge (or a window a non-bridge must not have). */
static int check_window(struct vctx *v, int dev, int w)
{
	const struct fixedbar_dev *d = &v->t->devs[dev];
	const struct fixedbar_range *r = &v->p->devs[dev].win[w];
	const char *name = fixedbar_win_name(w);
	char why[160];
	const char *res;
	int par = d->parent;
	u64 gran;

	if (!r->assigned)
		return 0;
	res = lazy_win(v, d, w, r);
	if (!d->is_bridge)
		return violation(v, dev, name, res,
				 "is assigned but the device is not a bridge");
	if (!win_implemented(d, w))
		return violation(v, dev, name, res,
				 "is assigned but the bridge does not implement it");
	if (r->start > r->end)
		return violation(v, dev, name, res, "ends before it starts");

	gran = w != FIXEDBAR_WIN_IO ? MEM_WIN_GRAN :
	       d->br.io_1k	    ? IO_1K_WIN_GRAN :
				      IO_WIN_GRAN;
	if ((r->start & (gran - 1)) || ((r->end + 1) & (gran - 1))) {
		snprintf(why, sizeof(why), "is not %s aligned and sized",
			 gran == MEM_WIN_GRAN ? "1 MiB" :
			 gran == IO_WIN_GRAN  ? "4 KiB" :
						"1 KiB");
		return violation(v, dev, name, res, why);
	}
	if (w == FIXEDBAR_WIN_MEM && r->end >= FIXEDBAR_4G)
		return violation(v, dev, name, res,
				 "is above 4 GiB; a memory window is 32-bit");
	if (w == FIXEDBAR_WIN_PREF && !d->br.pref64 && r->end >= FIXEDBAR_4G)
		return violation(v, dev, name, res,
				 "is above 4 GiB but the bridge has no 64-bit prefetchable window");

	if (check_claimed(v, dev, name, res,
			  w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
						 FIXEDBAR_RES_MEM,
			  r->start, r->end))
		return -EINVAL;
	if (par < 0)
		return check_root(v, dev, name, res,
				  w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							 FIXEDBAR_RES_MEM,
				  w == FIXEDBAR_WIN_PREF, r->start, r->end);
	if (in_win(v, par, w, r->start, r->end))
		return 0;
	if (w == FIXEDBAR_WIN_PREF && r->end < FIXEDBAR_4G &&
	    in_win(v, par, FIXEDBAR_WIN_MEM, r->start, r->end))
		return 0;
	if (w == FIXEDBAR_WIN_PREF && !win_implemented(&v->t->devs[par], w))
		return outside_window(v, dev, name, res, par, FIXEDBAR_WIN_MEM);
	return outside_window(v, dev, name, res, par, w);
}

/* Rule 6: one assigned resource on a bus */
/* clang-format off */
struct item {
	u64 start;
	u64 end;
	int bus;		/* parent + 1; 0 is the root bus */
	int dev;
	u8 space;		/* enum fixedbar_res_type */
	u8 res;			/* BAR slot, or FIXEDBAR_NR_SLOTS + window */
};
/* clang-format on */

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->bus != b->bus)
		return a->bus < b->bus ? -1 : 1;
	if (a->space != b->space)
		return a->space < b->space ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	return (int)a->res - (int)b->res;
}

static void item_add(struct item *it, u32 *n, int dev, int parent,
		     enum fixedbar_res_type space, int res,
		     const struct fixedbar_range *r)
{
	if (!r->assigned)
		return;
	if (it) {
		it[*n].start = r->start;
		it[*n].end = r->end;
		it[*n].bus = parent + 1;
		it[*n].dev = dev;
		it[*n].space = (u8)space;
		it[*n].res = (u8)res;
	}
	(*n)++;
}

/* Counts the items, or fills @it too. */
static u32 collect(struct vctx *v, struct item *it)
{
	const struct fixedbar_dev *d;
	u32 i, n = 0;
	int s, w;

	for (i = 0; i < v->t->nr_devs; i++) {
		d = &v->t->devs[i];
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			item_add(it, &n, (int)i, d->parent, d->bars[s].type, s,
				 &v->p->devs[i].bars[s]);
		for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
			item_add(it, &n, (int)i, d->parent,
				 w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							FIXEDBAR_RES_MEM,
				 FIXEDBAR_NR_SLOTS + w, &v->p->devs[i].win[w]);
	}
	return n;
}

static void item_desc(struct vctx *v, const struct item *it, const char **name,
		      char *res, size_t len)
{
	const struct fixedbar_dev *d = &v->t->devs[it->dev];

	if (it->res < FIXEDBAR_NR_SLOTS) {
		*name = fixedbar_slot_name(it->res);
		bar_res(res, len, &d->bars[it->res],
			&v->p->devs[it->dev].bars[it->res]);
	} else {
		*name = fixedbar_win_name(it->res - FIXEDBAR_NR_SLOTS);
		win_res(res, len, d, it->res - FIXEDBAR_NR_SLOTS,
			&v->p->devs[it->dev].win[it->res - FIXEDBAR_NR_SLOTS]);
	}
}

static int overlap(struct vctx *v, const struct item *a, const struct item *b)
{
	char path[FIXEDBAR_PATH_LEN], ares[FIXEDBAR_RES_LEN];
	char bres[FIXEDBAR_RES_LEN], why[256];
	const char *aname, *bname;

	item_desc(v, a, &aname, ares, sizeof(ares));
	item_desc(v, b, &bname, bres, sizeof(bres));
	fixedbar_dev_path(v->t, a->dev, path, sizeof(path));
	snprintf(why, sizeof(why), "overlaps %s %s %s", path, aname, ares);
	return violation(v, b->dev, bname, bres, why);
}

/* Sort by bus, space and start, then sweep keeping the furthest end. */
static int check_overlaps(struct vctx *v)
{
	struct item *it;
	u32 n, i, top = 0;
	int ret = 0;

	n = collect(v, NULL);
	if (n < 2)
		return 0;
	it = fixedbar_zalloc((size_t)n * sizeof(*it));
	if (!it) {
		if (v->msg && v->msglen)
			snprintf(v->msg, v->msglen,
				 "out of memory checking %u resources", n);
		return -ENOMEM;
	}
	collect(v, it);
	fixedbar_sort(it, n, sizeof(*it), item_cmp);
	for (i = 1; i < n && !ret; i++) {
		if (it[i].bus != it[top].bus || it[i].space != it[top].space) {
			top = i;
			continue;
		}
		if (it[i].start <= it[top].end)
			ret = overlap(v, &it[top], &it[i]);
		else if (it[i].end > it[top].end)
			top = i;
	}
	fixedbar_free(it);
	return ret;
}

int fixedbar_validate(const struct fixedbar_topo *t,
		      const struct fixedbar_plan *p, char *msg, size_t msglen)
{
	struct vctx v = { .t = t, .p = p, .msg = msg, .msglen = msglen };
	u32 i;
	int s, w, ret;

	if (p->nr_devs != t->nr_devs || (t->nr_devs && !p->devs)) {
		if (msg && msglen)
			snprintf(msg, msglen,
				 "plan covers %u devices but the topology has %u",
				 p->nr_devs, t->nr_devs);
		return -EINVAL;
	}
	ret = check_fixed(&v);
	for (i = 0; i < t->nr_devs && !ret; i++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS && !ret; s++)
			ret = check_bar(&v, (int)i, s);
		for (w = 0; w < FIXEDBAR_NR_WINDOWS && !ret; w++)
			ret = check_window(&v, (int)i, w);
	}
	if (!ret)
		ret = check_overlaps(&v);
	return ret;
}
