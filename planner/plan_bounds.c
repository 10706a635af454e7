// SPDX-License-Identifier: GPL-2.0
/*
 * Lower bounds: inputs no placement can satisfy, found before any search
 * so the error names the real culprit.  A movable memory BAR that no host
 * bridge aperture it may use can hold, even alone, is reported by name
 * (fixedbar_check_sizes()); memory BARs that need more than the apertures
 * hold in all make any routing hopeless (fixedbar_route_hopeless()).
 * When a search gave up instead, fixedbar_gave_up() says so, naming the
 * budgets it ran out of: that proves nothing about room.
 */
#include "plan_internal.h"

/* Must memory BAR @s of device @d end below 4 GiB, whatever its window? */
static bool fb_bar_low(const struct fb_ctx *c, int d,
		       const struct fixedbar_bar *b)
{
	bool low = !b->mem64;
	int p;

	for (p = fb_dev(c, d)->parent; !low && p >= 0; p = fb_dev(c, p)->parent)
		low = !b->pref || !fb_dev(c, p)->br.pref ||
		      !fb_dev(c, p)->br.pref64;
	return low;
}

/* The part [*@lo, *@hi] of aperture @a that BAR @b may use; false if none. */
static bool fb_ap_part(const struct fixedbar_aperture *a,
		       const struct fixedbar_bar *b, bool low, u64 *lo, u64 *hi)
{
	if (a->type != FIXEDBAR_RES_MEM || a->end < a->start ||
	    (a->pref && !b->pref) || (low && a->start >= FIXEDBAR_4G))
		return false;
	*lo = a->start;
	*hi = low && a->end >= FIXEDBAR_4G ? FIXEDBAR_4G - 1 : a->end;
	return true;
}

/*
 * Does some aperture hold BAR @b of device @d alone, aligned?  *@largest is
 * the largest aperture it may use (-1: none).
 */
static bool fb_bar_fits_alone(const struct fb_ctx *c, int d,
			      const struct fixedbar_bar *b, int *largest)
{
	u64 span = fixedbar_bar_span(b), lo, hi, start, best = 0;
	bool low = fb_bar_low(c, d, b);
	u32 i;

	*largest = -1;
	for (i = 0; i < c->t->nr_apertures; i++) {
		if (!fb_ap_part(&c->t->apertures[i], b, low, &lo, &hi))
			continue;
		if (*largest < 0 || hi - lo > best) {
			best = hi - lo;
			*largest = (int)i;
		}
		if (fb_align_up(lo, b->size, &start) && start <= hi &&
		    hi - start >= span - 1)
			return true;
	}
	return false;
}

/* "128G", "48M", "4K", or hex when it is none of these. */
static void fb_fmt_amount(u64 x, char *buf, size_t len)
{
	static const char unit[] = "KMGT";
	int u = -1;

	while (u < 3 && x && !(x & 0x3ff)) {
		x >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%#llx", (unsigned long long)x);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)x, unit[u]);
}

/* What the movable memory BARs that may go above 4 GiB need, rounded up. */
static u64 fb_high_need(const struct fb_ctx *c)
{
	u64 need = 0, r = 1;
	u32 d, s;

	for (d = 0; d < c->t->nr_devs; d++)
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];

			if (b->present && b->type == FIXEDBAR_RES_MEM &&
			    s != FIXEDBAR_ROM_SLOT && !fb_bar_low(c, d, b))
				need += fixedbar_bar_span(b);
		}
	while (r < need && r < (1ULL << 62))
		r <<= 1;
	return r;
}

static int fb_fail_size(struct fb_ctx *c, int d, int s, int largest)
{
	const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
	char path[FIXEDBAR_PATH_LEN], res[64], ap[64], amt[24], hint[24];
	const struct fixedbar_aperture *a;
	bool low = fb_bar_low(c, d, b);

	fixedbar_path(c, d, path, sizeof(path));
	fixedbar_fmt_size(c, &c->items[c->dev_item[d][s]], res, sizeof(res));
	fb_fmt_amount(fixedbar_bar_span(b), amt, sizeof(amt));
	snprintf(ap, sizeof(ap), "none");
	if (largest >= 0) {
		a = &c->t->apertures[largest];
		fixedbar_format_res(ap, sizeof(ap), a->type, a->start, a->end,
				    a->start >= FIXEDBAR_4G, a->pref);
	}
	fb_fmt_amount(fb_high_need(c), hint, sizeof(hint));
	snprintf(c->msg, sizeof(c->msg),
		 "%s %s %s: %s does not fit in any host bridge aperture it may use%s (largest: %s); %s%s%s",
		 path, fixedbar_slot_name(s), res, amt,
		 low ? " below 4GiB" : "", ap,
		 low ? "it cannot move above 4GiB, so fix fewer BARs or give the VM a larger 32-bit PCI window" :
		       "enlarge the 64-bit PCI window (QEMU: pci-hole64-size=",
		 low ? "" : hint, low ? "" : " would hold every 64-bit BAR)");
	c->p->nr_err_entries = 0;
	fixedbar_add_subtree_entries(c, -1);
	return c->err = -ENOSPC;
}

int fixedbar_check_sizes(struct fb_ctx *c)
{
	int d, s, largest;

	for (d = 0; d < (int)c->t->nr_devs; d++)
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT || c->dev_item[d][s] < 0 ||
			    (s < 6 && (c->fixed[d].mask & (1u << s))) ||
			    fb_pinned(c, d, s))
				continue;
			if (!fb_bar_fits_alone(c, d, b, &largest))
				return fb_fail_size(c, d, s, largest);
		}
	return 0;
}

/*
 * True when no routing can help: the memory BARs that must stay below
 * 4 GiB whatever their windows (32-bit BARs, and BARs behind a bridge
 * with no 64-bit prefetchable window on their way up) need more than the
 * apertures hold below 4 GiB, or all memory BARs more than all apertures.
 * A lower bound: windows only add to what their contents need.
 */
bool fixedbar_route_hopeless(const struct fb_ctx *c)
{
	const struct fixedbar_topo *t = c->t;
	u64 low_need = 0, need = 0, low_cap = 0, cap = 0, span;
	const struct fixedbar_aperture *ap;
	const struct fixedbar_bar *b;
	u32 i, s;
	bool low;
	int p;

	for (i = 0; i < t->nr_apertures; i++) {
		ap = &t->apertures[i];
		if (ap->type != FIXEDBAR_RES_MEM || ap->end < ap->start)
			continue;
		cap += ap->end - ap->start + 1;
		if (ap->start < FIXEDBAR_4G)
			low_cap += (ap->end < FIXEDBAR_4G ? ap->end :
							    FIXEDBAR_4G - 1) -
				   ap->start + 1;
	}
	for (i = 0; i < t->nr_devs; i++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			b = &t->devs[i].bars[s];
			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT ||
			    ((t->devs[i].pinned || b->pinned) &&
			     !b->cur.assigned))
				continue;
			span = fixedbar_bar_span(b);
			low = !b->mem64;
			for (p = t->devs[i].parent; !low && p >= 0;
			     p = t->devs[p].parent)
				low = !b->pref || !t->devs[p].br.pref ||
				      !t->devs[p].br.pref64;
			need += span;
			if (low)
				low_need += span;
			if (need > cap || low_need > low_cap)
				return true;
		}
	}
	return false;
}

/* Appends one budget's words to @buf, after a "; " if it is not the first. */
static void fb_budget_add(char *buf, size_t len, const char *words)
{
	size_t n = strlen(buf);

	if (n + 3 < len)
		snprintf(buf + n, len - n, "%s%s", n ? "; " : "", words);
}

/* Every budget a search ran out of, in words, for the message. */
static void fb_budget_name(const struct fb_ctx *c, char *buf, size_t len)
{
	char w[96];

	buf[0] = 0;
	if (c->gave_up & FB_GAVE_UP_WORK) {
		snprintf(w, sizeof(w),
			 "%u container placements or %llu hole checks per plan",
			 FB_WORK_LIMIT, (unsigned long long)FB_STEP_LIMIT);
		fb_budget_add(buf, len, w);
	}
	if (c->gave_up & FB_GAVE_UP_BACKTRACK) {
		snprintf(w, sizeof(w), "%u growth choices per try",
			 FB_SEARCH_BUDGET);
		fb_budget_add(buf, len, w);
	}
	if (c->gave_up & FB_GAVE_UP_PLACE) {
		snprintf(w, sizeof(w),
			 "%u candidates per placement search (%u per plan)",
			 FB_PLACE_SEARCH_STEPS, FB_PLACE_SEARCH_TOTAL);
		fb_budget_add(buf, len, w);
	}
	if (c->gave_up & FB_GAVE_UP_ROUTES || !buf[0]) {
		snprintf(w, sizeof(w), "%u routings or %u placements to search",
			 FB_ROUTE_SEARCH_TRIES, FB_ROUTE_SEARCH_WORK);
		fb_budget_add(buf, len, w);
	}
}

/*
 * A failure after a search ran out of its budget proves nothing about room:
 * -ETIMEDOUT, naming the budget, with the first failure for where it was.
 */
int fixedbar_gave_up(struct fb_ctx *c)
{
	char budget[320], first[FIXEDBAR_MSG_LEN];

	fb_budget_name(c, budget, sizeof(budget));
	memcpy(first, c->msg, sizeof(first));
	snprintf(c->msg, sizeof(c->msg),
		 "the search gave up within its budget of %s before it found a layout, so one may still exist; fix fewer BARs or give them more room (first failure: %s)",
		 budget, first);
	return -ETIMEDOUT;
}
