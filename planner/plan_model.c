// SPDX-License-Identifier: GPL-2.0
/*
 * The planner's model: containers (root apertures, bridge windows) and the
 * items they hold, built from the topology and the current routing; the
 * checks of each descriptor entry and of the exact (fixed, pinned) items
 * before any placement; the planner's messages.
 */
#include "plan_internal.h"

/* ---- messages ---- */

void fixedbar_path(const struct fb_ctx *c, int dev, char *buf, size_t len)
{
	if (dev < 0)
		snprintf(buf, len, "%04x:%02x", c->t->segment, c->t->root_bus);
	else
		fixedbar_dev_path(c->t, dev, buf, len);
}

static void fb_add_err_entry(struct fb_ctx *c, int entry)
{
	struct fixedbar_plan *p = c->p;
	u32 i;

	if (entry < 0)
		return;
	for (i = 0; i < p->nr_err_entries; i++)
		if (p->err_entries[i] == (u32)entry)
			return;
	if (p->nr_err_entries < FIXEDBAR_MAX_ERR_ENTRIES)
		p->err_entries[p->nr_err_entries++] = entry;
}

/* Names every entry of the devices in @dev's subtree (the device included). */
void fixedbar_add_subtree_entries(struct fb_ctx *c, int dev)
{
	const struct fixedbar_topo *t = c->t;
	int d, depth;

	if (dev < 0) {
		u32 i;

		for (i = 0; i < t->nr_devs; i++)
			fb_add_err_entry(c, c->fixed[i].entry);
		return;
	}
	depth = t->devs[dev].depth;
	fb_add_err_entry(c, c->fixed[dev].entry);
	/* pre-order: the subtree is the run of deeper devices after @dev */
	for (d = dev + 1; d < (int)t->nr_devs && t->devs[d].depth > depth; d++)
		fb_add_err_entry(c, c->fixed[d].entry);
}

static void fb_fmt_item(const struct fb_ctx *c, const struct fb_item *it,
			u64 start, char *buf, size_t len)
{
	const struct fixedbar_dev *dev = fb_dev(c, it->dev);

	if (it->slot >= 0) {
		fixedbar_format_bar(buf, len, &dev->bars[it->slot], start);
	} else {
		bool io = it->cont >= 0 &&
			  c->conts[it->cont].win == FIXEDBAR_WIN_IO;

		fixedbar_format_res(buf, len,
				    io ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM,
				    start, start + it->size - 1,
				    c->conts[it->cont].win ==
						    FIXEDBAR_WIN_PREF &&
					    dev->br.pref64,
				    c->conts[it->cont].win ==
					    FIXEDBAR_WIN_PREF);
	}
}

/* "[mem size 0x00100000 64bit pref]", as %pR prints an unassigned one */
void fixedbar_fmt_size(const struct fb_ctx *c, const struct fb_item *it,
		       char *buf, size_t len)
{
	bool io, mem64 = false, pref = false;

	if (it->slot >= 0) {
		const struct fixedbar_bar *b =
			&fb_dev(c, it->dev)->bars[it->slot];

		io = b->type == FIXEDBAR_RES_IO;
		mem64 = b->mem64;
		pref = b->pref;
	} else {
		int win = c->conts[it->cont].win;

		io = win == FIXEDBAR_WIN_IO;
		pref = win == FIXEDBAR_WIN_PREF;
		mem64 = pref && fb_dev(c, it->dev)->br.pref64;
	}
	snprintf(buf, len, "[%s size %#llx%s%s]", io ? "io " : "mem",
		 (unsigned long long)it->size, mem64 ? " 64bit" : "",
		 pref ? " pref" : "");
}

void fixedbar_warn(struct fb_ctx *c, const char *text)
{
	struct fixedbar_plan *p = c->p;

	if (p->nr_warnings >= FIXEDBAR_MAX_WARNINGS) {
		/* the last line says how many were left out */
		snprintf(p->warnings[FIXEDBAR_MAX_WARNINGS - 1],
			 FIXEDBAR_MSG_LEN, "... and %u more warnings",
			 ++c->lost_warnings + 1);
		return;
	}
	snprintf(p->warnings[p->nr_warnings++], FIXEDBAR_MSG_LEN, "%s", text);
}

/* ---- routing: which bridge window holds a BAR or a child window ---- */

/* Container of device @dev's BAR @slot, FB_NO_CONT when none can hold it. */
static int fb_bar_owner(const struct fb_ctx *c, int dev, int slot)
{
	const struct fixedbar_dev *d = fb_dev(c, dev);
	const struct fixedbar_bar *b = &d->bars[slot];
	const struct fixedbar_bridge *br;
	int p = d->parent;

	if (p < 0)
		return b->type == FIXEDBAR_RES_IO ? FB_ROOT_IO : FB_ROOT_MEM;
	br = &fb_dev(c, p)->br;
	if (b->type == FIXEDBAR_RES_IO)
		return c->dev_cont[p][FIXEDBAR_WIN_IO];
	if (!b->pref || !br->pref)
		return c->dev_cont[p][FIXEDBAR_WIN_MEM];
	if (c->route[dev][slot] >= 0)
		return c->dev_cont[p][c->route[dev][slot]];
	/*
	 * As the kernel sizes bridges: a 64-bit prefetchable window takes only
	 * 64-bit prefetchable BARs; 32-bit ones share the memory window.
	 */
	if (br->pref64 && !b->mem64)
		return c->dev_cont[p][FIXEDBAR_WIN_MEM];
	return c->dev_cont[p][FIXEDBAR_WIN_PREF];
}

/*
 * As the kernel sizes bridges, a 32-bit prefetchable window goes into a
 * parent's memory window when the parent's prefetchable window is 64-bit.
 */
int fixedbar_default_win_side(const struct fb_ctx *c, int dev)
{
	const struct fixedbar_dev *p = fb_dev(c, fb_dev(c, dev)->parent);

	return p->br.pref64 && !fb_dev(c, dev)->br.pref64 ? FIXEDBAR_WIN_MEM :
							    FIXEDBAR_WIN_PREF;
}

/* Container holding bridge @dev's window @win. */
static int fb_win_owner(const struct fb_ctx *c, int dev, int win)
{
	const struct fixedbar_dev *d = fb_dev(c, dev);
	int p = d->parent;

	if (p < 0)
		return win == FIXEDBAR_WIN_IO ? FB_ROOT_IO : FB_ROOT_MEM;
	if (win == FIXEDBAR_WIN_IO)
		return c->dev_cont[p][FIXEDBAR_WIN_IO];
	if (win == FIXEDBAR_WIN_PREF && fb_dev(c, p)->br.pref)
		return c->dev_cont[p][c->wroute[dev] >= 0 ?
					      c->wroute[dev] :
					      fixedbar_default_win_side(c, dev)];
	return c->dev_cont[p][FIXEDBAR_WIN_MEM];
}

/* ---- building the container tree ---- */

static int fb_new_cont(struct fb_ctx *c, int dev, int win)
{
	struct fb_cont *k = &c->conts[c->nr_conts];

	memset(k, 0, sizeof(*k));
	k->dev = dev;
	k->win = win;
	k->item = -1;
	k->gran = 1;
	k->space = win == FIXEDBAR_WIN_IO ? FB_ROOT_IO : FB_ROOT_MEM;
	if (dev >= 0) {
		const struct fixedbar_bridge *br = &fb_dev(c, dev)->br;

		if (win != FIXEDBAR_WIN_IO)
			k->gran = 0x100000;
		else
			k->gran = br->io_1k ? 0x400 : 0x1000;
		k->reserve = br->reserve[win];
		k->below4g = win == FIXEDBAR_WIN_MEM ||
			     (win == FIXEDBAR_WIN_PREF && !br->pref64);
		c->dev_cont[dev][win] = c->nr_conts;
		k->noreserve = c->nores_mask[dev] & (1u << win);
	}
	return c->nr_conts++;
}

static void fb_new_item(struct fb_ctx *c, int owner, int dev, int slot,
			int cont)
{
	struct fb_item *it = &c->items[c->nr_items];

	memset(it, 0, sizeof(*it));
	it->dev = dev;
	it->slot = slot;
	it->cont = cont;
	it->owner = owner;
	if (slot >= 0)
		it->dropped = c->drop_mask[dev] & (1u << slot);
	if (slot >= 0)
		c->dev_item[dev][slot] = c->nr_items;
	else
		c->conts[cont].item = c->nr_items;
	c->nr_items++;
	c->conts[owner].nr_kids++; /* counted now, filled in later */
}

static void fb_bar_item_flags(struct fb_ctx *c, struct fb_item *it)
{
	const struct fixedbar_dev *d = fb_dev(c, it->dev);
	const struct fixedbar_bar *b = &d->bars[it->slot];

	it->size = fixedbar_bar_span(b);
	it->align = b->size;
	if (b->type == FIXEDBAR_RES_IO || it->slot == FIXEDBAR_ROM_SLOT)
		it->flags |= FB_OPTIONAL;
	if (b->type == FIXEDBAR_RES_MEM) {
		if (!b->mem64)
			it->flags |= FB_BELOW4G;
		it->flags |= b->pref ? FB_PREFOK : FB_NONPREF;
	}
	if (b->cur.assigned)
		it->flags |= FB_WASSET;
}

static void fb_build_dev(struct fb_ctx *c, int dev)
{
	const struct fixedbar_dev *d = fb_dev(c, dev);
	int slot, win, owner;

	if (d->is_bridge) {
		for (win = 0; win < FIXEDBAR_NR_WINDOWS; win++) {
			if ((win == FIXEDBAR_WIN_IO && !d->br.io) ||
			    (win == FIXEDBAR_WIN_PREF && !d->br.pref))
				continue;
			owner = fb_win_owner(c, dev, win);
			if (owner == FB_NO_CONT)
				continue;
			fb_new_item(c, owner, dev, -1,
				    fb_new_cont(c, dev, win));
		}
	}
	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++) {
		if (!d->bars[slot].present)
			continue;
		owner = fb_bar_owner(c, dev, slot);
		if (owner == FB_NO_CONT)
			continue;
		fb_new_item(c, owner, dev, slot, -1);
		fb_bar_item_flags(c, &c->items[c->nr_items - 1]);
	}
}

static void fb_fill_kids(struct fb_ctx *c)
{
	int i, pos = 0;

	for (i = 0; i < c->nr_conts; i++) {
		c->conts[i].first_kid = pos;
		pos += c->conts[i].nr_kids;
		c->conts[i].nr_kids = 0;
	}
	for (i = 0; i < c->nr_items; i++) {
		struct fb_cont *o = &c->conts[c->items[i].owner];

		c->kidv[o->first_kid + o->nr_kids++] = i;
	}
	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];
		struct fb_cont *k;

		if (it->cont < 0)
			continue;
		k = &c->conts[it->cont];
		if (k->win == FIXEDBAR_WIN_PREF)
			it->flags |= FB_PREFOK;
		else if (k->win == FIXEDBAR_WIN_MEM)
			it->flags |= FB_NONPREF;
		if (k->below4g)
			it->flags |= FB_BELOW4G;
	}
}

int fixedbar_alloc(struct fb_ctx *c)
{
	u32 d, n = c->t->nr_devs;
	size_t max_items = 0, max_conts = 2;
	int s;

	/* what fixedbar_build can create: one item per BAR, one per window */
	for (d = 0; d < n; d++) {
		const struct fixedbar_dev *dv = fb_dev(c, d);

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			max_items += dv->bars[s].present;
		if (dv->is_bridge) {
			max_items += FIXEDBAR_NR_WINDOWS;
			max_conts += FIXEDBAR_NR_WINDOWS;
		}
	}

	c->items = fixedbar_zalloc(max_items * sizeof(*c->items) + 1);
	c->conts = fixedbar_zalloc(max_conts * sizeof(*c->conts));
	c->kidv = fixedbar_zalloc(max_items * sizeof(int) + 1);
	c->dev_cont = fixedbar_zalloc(n * sizeof(*c->dev_cont) + 1);
	c->dev_item = fixedbar_zalloc(n * sizeof(*c->dev_item) + 1);
	c->fixed = fixedbar_zalloc(n * sizeof(*c->fixed) + 1);
	c->affected = fixedbar_zalloc(n * sizeof(*c->affected) + 1);
	c->route = fixedbar_zalloc(n * sizeof(*c->route) + 1);
	c->wroute = fixedbar_zalloc(n * sizeof(*c->wroute) + 1);
	c->route_base = fixedbar_zalloc(n * sizeof(*c->route_base) + 1);
	c->wroute_base = fixedbar_zalloc(n * sizeof(*c->wroute_base) + 1);
	c->drop_mask = fixedbar_zalloc(n * sizeof(*c->drop_mask) + 1);
	c->nores_mask = fixedbar_zalloc(n * sizeof(*c->nores_mask) + 1);
	c->droplog = fixedbar_zalloc((max_items + max_conts + 1) * sizeof(int));
	c->dropstep =
		fixedbar_zalloc((max_items + max_conts + 1) * sizeof(int));
	c->rank = fixedbar_zalloc(n + 1);
	c->unkeep = fixedbar_zalloc(n * sizeof(*c->unkeep) + 1);
	c->unkeep_win = fixedbar_zalloc(n + 1);
	c->nsplits = fixedbar_zalloc(n + 1);
	c->nsplits_max = fixedbar_zalloc(n + 1);
	c->reroute_done = fixedbar_zalloc(n * sizeof(*c->reroute_done) + 1);
	c->max_holes = 4 * (int)(max_items + max_conts) +
		       4 * FIXEDBAR_MAX_APERTURES + 64;
	c->holes = fixedbar_zalloc(c->max_holes * sizeof(*c->holes));
	c->sortv = fixedbar_zalloc((3 * max_items + 2 * max_conts + 64) *
				   sizeof(*c->sortv));
	c->mov[0] = fixedbar_zalloc(max_items * sizeof(int) + 1);
	c->mov[1] = fixedbar_zalloc(max_items * sizeof(int) + 1);
	c->mov_n = fixedbar_zalloc(2 * max_conts * sizeof(int));
	c->mov_gen = fixedbar_zalloc(2 * max_conts * sizeof(u32));
	c->memo = fixedbar_zalloc(FB_NR_STRATS * max_conts * sizeof(*c->memo));
	if (!c->items || !c->conts || !c->kidv || !c->dev_cont ||
	    !c->dev_item || !c->fixed || !c->affected || !c->holes ||
	    !c->sortv || !c->route || !c->wroute || !c->route_base ||
	    !c->wroute_base || !c->drop_mask || !c->nores_mask || !c->rank ||
	    !c->droplog || !c->dropstep || !c->nsplits || !c->nsplits_max ||
	    !c->unkeep || !c->unkeep_win || !c->reroute_done || !c->mov[0] ||
	    !c->mov[1] || !c->mov_n || !c->mov_gen || !c->memo)
		return -ENOMEM;
	return 0;
}

void fixedbar_release(struct fb_ctx *c)
{
	fixedbar_cuts_free(&c->cuts);
	fixedbar_free(c->items);
	fixedbar_free(c->conts);
	fixedbar_free(c->kidv);
	fixedbar_free(c->dev_cont);
	fixedbar_free(c->dev_item);
	fixedbar_free(c->fixed);
	fixedbar_free(c->affected);
	fixedbar_free(c->route);
	fixedbar_free(c->wroute);
	fixedbar_free(c->route_base);
	fixedbar_free(c->wroute_base);
	fixedbar_free(c->drop_mask);
	fixedbar_free(c->nores_mask);
	fixedbar_free(c->droplog);
	fixedbar_free(c->dropstep);
	fixedbar_free(c->rank);
	fixedbar_free(c->unkeep);
	fixedbar_free(c->unkeep_win);
	fixedbar_free(c->nsplits);
	fixedbar_free(c->nsplits_max);
	fixedbar_free(c->reroute_done);
	fixedbar_free(c->holes);
	fixedbar_free(c->sortv);
	fixedbar_free(c->mov[0]);
	fixedbar_free(c->mov[1]);
	fixedbar_free(c->mov_n);
	fixedbar_free(c->mov_gen);
	fixedbar_free(c->memo);
}

/* Marks the containers that hold a BAR fixed by an entry, at any depth. */
static void fb_mark_fixed(struct fb_ctx *c)
{
	int i, k;

	for (i = 0; i < c->nr_conts; i++)
		c->conts[i].hasfixed = false;
	for (i = 0; i < c->nr_items; i++) {
		const struct fb_item *it = &c->items[i];

		if (it->slot < 0 || it->slot >= 6 ||
		    !(c->fixed[it->dev].mask & (1u << it->slot)))
			continue;
		for (k = it->owner; k > FB_ROOT_MEM && !c->conts[k].hasfixed;
		     k = c->items[c->conts[k].item].owner)
			c->conts[k].hasfixed = true;
	}
}

void fixedbar_build(struct fb_ctx *c)
{
	u32 d;
	int w;

	/* a rebuild costs about four hole checks per item it had */
	c->steps += 4 * (u64)c->nr_items;
	c->nr_items = 0;
	c->nr_conts = 0;
	c->built = true;
	for (d = 0; d < c->t->nr_devs; d++) {
		for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
			c->dev_cont[d][w] = FB_NO_CONT;
		for (w = 0; w < FIXEDBAR_NR_SLOTS; w++)
			c->dev_item[d][w] = -1;
	}
	fb_new_cont(c, -1, FIXEDBAR_WIN_IO);
	fb_new_cont(c, -1, FIXEDBAR_WIN_MEM);
	for (d = 0; d < c->t->nr_devs; d++)
		fb_build_dev(c, d);
	fb_fill_kids(c);
	fb_mark_fixed(c);
}

/* ---- descriptor entries: resolve and check each fixed BAR ---- */

static int fb_fail_bar(struct fb_ctx *c, int err, int entry, int dev, int slot,
		       u64 addr, const char *why)
{
	const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN];

	fixedbar_path(c, dev, path, sizeof(path));
	fixedbar_format_bar(res, sizeof(res), b, addr);
	snprintf(c->msg, sizeof(c->msg), "%s %s %s: %s", path,
		 fixedbar_slot_name(slot), res, why);
	fb_add_err_entry(c, entry);
	return c->err = err;
}

/* A BAR that would end beyond 2^64: no range to print, it would wrap. */
static int fb_fail_wrap(struct fb_ctx *c, int entry, int dev, int slot,
			u64 addr, u64 span)
{
	char path[FIXEDBAR_PATH_LEN];

	fixedbar_path(c, dev, path, sizeof(path));
	snprintf(c->msg, sizeof(c->msg),
		 "%s %s at 0x%llx: its 0x%llx bytes would end beyond the 64-bit address space; pick a lower address",
		 path, fixedbar_slot_name(slot), (unsigned long long)addr,
		 (unsigned long long)span);
	fb_add_err_entry(c, entry);
	return c->err = -EINVAL;
}

bool fixedbar_in_aperture(const struct fb_ctx *c, enum fixedbar_res_type type,
			  bool need_nonpref, u64 lo, u64 hi)
{
	u32 i;

	for (i = 0; i < c->t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &c->t->apertures[i];

		if (a->type != type || (need_nonpref && a->pref))
			continue;
		if (lo >= a->start && hi <= a->end)
			return true;
	}
	return false;
}

static bool fb_has_high_aperture(const struct fb_ctx *c)
{
	u32 i;

	for (i = 0; i < c->t->nr_apertures; i++)
		if (c->t->apertures[i].type == FIXEDBAR_RES_MEM &&
		    c->t->apertures[i].end >= FIXEDBAR_4G)
			return true;
	return false;
}

/* The 4 GiB and routing rules for a fixed BAR behind bridges. */
static int fb_check_route(struct fb_ctx *c, int entry, int dev, int slot,
			  u64 addr, u64 end)
{
	const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];
	char why[FIXEDBAR_MSG_LEN], bpath[FIXEDBAR_PATH_LEN];
	int k = fb_bar_owner(c, dev, slot);
	bool root_nonpref = b->type == FIXEDBAR_RES_MEM && !b->pref;

	if (k == FB_NO_CONT)
		return fb_fail_bar(c, -EOPNOTSUPP, entry, dev, slot, addr,
				   "no bridge above it forwards I/O; fix an I/O BAR only below bridges with an I/O window");
	if (b->type == FIXEDBAR_RES_MEM && !b->pref && end >= FIXEDBAR_4G &&
	    fb_dev(c, dev)->parent >= 0)
		return fb_fail_bar(c, -EINVAL, entry, dev, slot, addr,
				   "a non-prefetchable BAR behind a bridge must be below 4GiB (bridge memory windows are 32-bit); fix it below 4GiB");
	while (k > FB_ROOT_MEM) {
		const struct fb_cont *o = &c->conts[k];

		if (o->below4g && end >= FIXEDBAR_4G) {
			fixedbar_path(c, o->dev, bpath, sizeof(bpath));
			snprintf(why, sizeof(why),
				 "bridge %s has no 64-bit prefetchable window to forward it above 4GiB; fix it below 4GiB or pass the device through behind a bridge with one",
				 bpath);
			return fb_fail_bar(c, -EOPNOTSUPP, entry, dev, slot,
					   addr, why);
		}
		root_nonpref = o->win == FIXEDBAR_WIN_MEM;
		k = c->items[o->item].owner;
	}
	if (!fixedbar_in_aperture(c, b->type, root_nonpref, addr, end)) {
		snprintf(why, sizeof(why),
			 "outside every %shost bridge aperture; %s",
			 root_nonpref && b->type == FIXEDBAR_RES_MEM ?
				 "non-prefetchable " :
				 "",
			 end >= FIXEDBAR_4G && !fb_has_high_aperture(c) ?
				 "this root bus has no aperture above 4GiB at all (a pxb root bus gets only the windows firmware sized for its devices at boot, whatever pci-hole64-size says): put the device on the main root bus or behind a root port there, or pick an address inside an aperture it has" :
				 "apertures cannot be extended from the guest, so enlarge the VM's PCI window (e.g. pci-hole64-size) or pick an address inside it");
		return fb_fail_bar(c, -EINVAL, entry, dev, slot, addr, why);
	}
	return 0;
}

static int fb_check_bar(struct fb_ctx *c, int entry, int dev, int slot,
			u64 addr)
{
	const struct fixedbar_dev *d = fb_dev(c, dev);
	const struct fixedbar_bar *b = &d->bars[slot];
	u64 span = fixedbar_bar_span(b), end = addr + span - 1;

	if (end < addr)
		return fb_fail_wrap(c, entry, dev, slot, addr, span);
	if (addr & (b->size - 1))
		return fb_fail_bar(c, -EINVAL, entry, dev, slot, addr,
				   "address not aligned to the BAR size; a BAR must start at a multiple of its size");
	if (b->type == FIXEDBAR_RES_MEM && !b->mem64 && end >= FIXEDBAR_4G)
		return fb_fail_bar(c, -EINVAL, entry, dev, slot, addr,
				   "a 32-bit BAR cannot decode an address above 4GiB; fix it below 4GiB");
	if (b->type == FIXEDBAR_RES_IO && end > 0xffff)
		return fb_fail_bar(c, -EINVAL, entry, dev, slot, addr,
				   "I/O port addresses end at 0xffff");
	if ((b->pinned || d->pinned) &&
	    (!b->cur.assigned || b->cur.start != addr))
		return fb_fail_bar(c, -EBUSY, entry, dev, slot, addr,
				   d->pinned ?
					   "device is pinned (driver bound or resource in use) and sits elsewhere; unbind it or fix it where it is" :
					   "BAR is pinned (in use) and sits elsewhere; release it or fix it where it is");
	return 0;
}

/* "+SIZE" of an entry against the BAR the device has */
static int fb_check_size(struct fb_ctx *c, int ei, int dev, int slot, u64 addr,
			 u64 size)
{
	const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN];

	if (!size || size == fixedbar_bar_span(b))
		return 0;
	fixedbar_path(c, dev, path, sizeof(path));
	fixedbar_format_bar(res, sizeof(res), b, addr);
	snprintf(c->msg, sizeof(c->msg),
		 "%s %s %s: the entry gives size %#llx but the device's BAR is %#llx; fix the size in the descriptor",
		 path, fixedbar_slot_name(slot), res, (unsigned long long)size,
		 (unsigned long long)fixedbar_bar_span(b));
	fb_add_err_entry(c, ei);
	return c->err = -EINVAL;
}

/* Why an entry for a missing device keeps no room (planner/absent.c) */
static const char *fb_absent_hint(const struct fixedbar_topo *t,
				  const struct fixedbar_entry *e)
{
	struct fixedbar_entry up = *e;
	int port;

	if (e->nr_hops < 2)
		return "";
	up.nr_hops--;
	port = fixedbar_topo_find(t, &up, NULL, 0);
	if (port < 0 || !t->devs[port].is_bridge)
		return fixedbar_entry_sized(e) ?
			       "; only a device directly below a hotplug-capable port can be absent" :
			       "";
	if (!t->devs[port].br.hotplug)
		return fixedbar_entry_sized(e) ?
			       "; the port above is not hotplug-capable, so no range is kept for an absent device" :
			       "";
	return "; to keep its range free until it is hot-added, give every BAR's size (barN@ADDR+SIZE)";
}

static int fb_check_entry(struct fb_ctx *c, int ei)
{
	const struct fixedbar_entry *e = &c->t->entries[ei];
	char ebuf[FIXEDBAR_MSG_LEN];
	int dev, i, err;

	dev = fixedbar_topo_find(c->t, e, ebuf, sizeof(ebuf));
	if (dev < 0) {
		snprintf(c->msg, sizeof(c->msg), "%s%s", ebuf,
			 fb_absent_hint(c->t, e));
		fb_add_err_entry(c, ei);
		return c->err = dev;
	}
	for (i = 0; i < e->nr_bars; i++) {
		int slot = e->bars[i].bar;
		const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];
		char path[FIXEDBAR_PATH_LEN];

		if (!b->present) {
			const struct fixedbar_bar *lo = slot ? b - 1 : NULL;

			fixedbar_path(c, dev, path, sizeof(path));
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s: not implemented by the device%s; name a BAR it has",
				 path, fixedbar_slot_name(slot),
				 lo && lo->present && lo->mem64 ?
					 " (it is the upper half of a 64-bit BAR)" :
					 "");
			fb_add_err_entry(c, ei);
			return c->err = -EINVAL;
		}
		err = fb_check_size(c, ei, dev, slot, e->bars[i].addr,
				    e->bars[i].size);
		if (err)
			return err;
		err = fb_check_bar(c, ei, dev, slot, e->bars[i].addr);
		if (err)
			return err;
		c->fixed[dev].mask |= 1u << slot;
		c->fixed[dev].addr[slot] = e->bars[i].addr;
		c->fixed[dev].entry = ei;
	}
	c->affected[fb_root_of(c, dev)] = true;
	return 0;
}

/* ---- exact items ---- */

/* Must container @ki lie below 4 GiB: it, or a window it is routed into? */
bool fixedbar_cont_low(const struct fb_ctx *c, int ki)
{
	for (; ki > FB_ROOT_MEM; ki = c->items[c->conts[ki].item].owner)
		if (c->conts[ki].below4g)
			return true;
	return false;
}

bool fixedbar_item_exact(struct fb_ctx *c, struct fb_item *it, u64 *start)
{
	const struct fixedbar_bar *b = &fb_dev(c, it->dev)->bars[it->slot];

	if (c->fixed[it->dev].mask & (1u << it->slot)) {
		*start = c->fixed[it->dev].addr[it->slot];
		return true;
	}
	if (!b->cur.assigned)
		return false;
	*start = b->cur.start;
	if (fb_pinned(c, it->dev, it->slot))
		return true;
	/* where this routing puts it, a current place above 4 GiB is lost */
	if (b->cur.end >= FIXEDBAR_4G && fixedbar_cont_low(c, it->owner))
		return false;
	/*
	 * On the root bus only an aperture holds it: a current place outside
	 * every aperture it may use is one no plan can keep.
	 */
	if (it->owner <= FB_ROOT_MEM &&
	    !fixedbar_in_aperture(c, b->type,
				  b->type == FIXEDBAR_RES_MEM && !b->pref,
				  b->cur.start,
				  b->cur.start + fixedbar_bar_span(b) - 1))
		return false;
	return (c->softpin == FB_KEEP_ALL &&
		!(c->unkeep[it->dev] & (1u << it->slot))) ||
	       (c->softpin == FB_KEEP_UNAFFECTED &&
		!c->affected[fb_root_of(c, it->dev)]);
}

/* Is pair @a before pair @b (first element, then second)? */
static bool fb_pair_lt(const u64 *a, const u64 *b)
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

static void fb_pair_swap(u64 *a, u64 *b)
{
	u64 x0 = a[0], x1 = a[1];

	a[0] = b[0];
	a[1] = b[1];
	b[0] = x0;
	b[1] = x1;
}

static void fb_pair_sift(u64 (*v)[2], int root, int n)
{
	for (;;) {
		int kid = 2 * root + 1;

		if (kid >= n)
			return;
		if (kid + 1 < n && fb_pair_lt(v[kid], v[kid + 1]))
			kid++;
		if (!fb_pair_lt(v[root], v[kid]))
			return;
		fb_pair_swap(v[root], v[kid]);
		root = kid;
	}
}

static void fb_heapsort_pairs(u64 (*v)[2], int n)
{
	int i;

	for (i = n / 2 - 1; i >= 0; i--)
		fb_pair_sift(v, i, n);
	for (i = n - 1; i > 0; i--) {
		fb_pair_swap(v[0], v[i]);
		fb_pair_sift(v, 0, i);
	}
}

static void fb_insort_pairs(u64 (*v)[2], int n)
{
	int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && fb_pair_lt(v[j], v[j - 1]); j--)
			fb_pair_swap(v[j], v[j - 1]);
}

/*
 * Sorts pairs of u64 in place, ascending: introsort (quicksort on the
 * median of three, insertion sort for short runs, heapsort past a depth
 * of 2 log2 n), so O(n log n) in the worst case, no allocation, a stack
 * of O(log n) (it recurses on the smaller side only), and the same result
 * whatever the input order since equal pairs are equal.
 */
static void fb_sort_pairs_depth(u64 (*v)[2], int n, int depth)
{
	int i, j, m;

	while (n > 16) {
		if (depth-- <= 0) {
			fb_heapsort_pairs(v, n);
			return;
		}
		/* median of three to v[0], then partition around it */
		m = n / 2;
		if (fb_pair_lt(v[m], v[0]))
			fb_pair_swap(v[m], v[0]);
		if (fb_pair_lt(v[n - 1], v[m]))
			fb_pair_swap(v[n - 1], v[m]);
		if (fb_pair_lt(v[m], v[0]))
			fb_pair_swap(v[m], v[0]);
		fb_pair_swap(v[0], v[m]);
		i = 0;
		j = n;
		for (;;) {
			while (fb_pair_lt(v[++i], v[0]) && i < n - 1)
				;
			while (fb_pair_lt(v[0], v[--j]))
				;
			if (i >= j)
				break;
			fb_pair_swap(v[i], v[j]);
		}
		fb_pair_swap(v[0], v[j]);
		/* v[0..j-1] <= v[j] <= v[j+1..n-1]: the smaller side first */
		if (j < n - 1 - j) {
			fb_sort_pairs_depth(v, j, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			fb_sort_pairs_depth(v + j + 1, n - j - 1, depth);
			n = j;
		}
	}
	fb_insort_pairs(v, n);
}

void fixedbar_sort_pairs(u64 (*v)[2], int n)
{
	int depth = 0, k;

	for (k = n; k > 1; k >>= 1)
		depth += 2;
	fb_sort_pairs_depth(v, n, depth);
}

/*
 * Fixed and pinned BARs may not overlap, whatever bus they sit on: sibling
 * windows are disjoint, so two BARs never share addresses in a valid plan.
 */
static bool fb_item_io(const struct fb_ctx *c, const struct fb_item *it)
{
	return fb_dev(c, it->dev)->bars[it->slot].type == FIXEDBAR_RES_IO;
}

/* The fixed and pinned BARs with an address, as (start, item) pairs. */
static int fb_exact_bars(struct fb_ctx *c, u64 (*v)[2])
{
	int i, n = 0;

	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];
		u64 s;

		if (it->slot < 0 || !fixedbar_item_exact(c, it, &s))
			continue;
		if (!(c->fixed[it->dev].mask & (1u << it->slot)) &&
		    !fb_pinned(c, it->dev, it->slot))
			continue;
		v[n][0] = s;
		v[n][1] = i;
		n++;
	}
	fixedbar_sort_pairs(v, n);
	return n;
}

/* -EBUSY: @b at @bs overlaps @a at @as. */
static int fb_fail_overlap(struct fb_ctx *c, const struct fb_item *a, u64 as,
			   const struct fb_item *b, u64 bs)
{
	char pa[FIXEDBAR_PATH_LEN], pb[FIXEDBAR_PATH_LEN];
	char ra[FIXEDBAR_RES_LEN], rb[FIXEDBAR_RES_LEN];

	fixedbar_path(c, a->dev, pa, sizeof(pa));
	fixedbar_path(c, b->dev, pb, sizeof(pb));
	fb_fmt_item(c, a, as, ra, sizeof(ra));
	fb_fmt_item(c, b, bs, rb, sizeof(rb));
	snprintf(c->msg, sizeof(c->msg),
		 "%s %s %s overlaps %s %s %s of %s; fixed BARs must not overlap each other or resources in use",
		 pb, fixedbar_slot_name(b->slot), rb,
		 c->fixed[a->dev].mask & (1u << a->slot) ? "fixed" : "pinned",
		 fixedbar_slot_name(a->slot), ra, pa);
	fb_add_err_entry(c, c->fixed[b->dev].entry);
	fb_add_err_entry(c, c->fixed[a->dev].entry);
	return c->err = -EBUSY;
}

static int fb_check_exact_overlaps(struct fb_ctx *c)
{
	u64(*v)[2];
	int i, j, n, err = 0;

	v = fixedbar_zalloc((c->nr_items + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	n = fb_exact_bars(c, v);
	for (i = 1; i < n && !err; i++) {
		struct fb_item *a = NULL, *b = &c->items[v[i][1]];

		/* compare against the previous item of the same space */
		for (j = i - 1; j >= 0; j--) {
			a = &c->items[v[j][1]];
			if (fb_item_io(c, a) == fb_item_io(c, b))
				break;
		}
		if (j >= 0 && v[j][0] + a->size - 1 >= v[i][0])
			err = fb_fail_overlap(c, a, v[j][0], b, v[i][0]);
	}
	fixedbar_free(v);
	return err;
}

/*
 * A pinned BAR on the root bus stays where it is, so it must already lie in
 * a host bridge aperture of its type (a non-prefetchable one unless the BAR
 * is prefetchable); otherwise no layout is valid.
 */
static int fb_check_pinned_root(struct fb_ctx *c)
{
	u32 i;
	int s;

	for (i = 0; i < c->t->nr_devs; i++) {
		if (c->t->devs[i].parent >= 0)
			continue;
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &c->t->devs[i].bars[s];
			bool nonpref = b->type == FIXEDBAR_RES_MEM && !b->pref;
			u64 lo = b->cur.start, hi;
			char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN];

			if (!b->present || !b->cur.assigned ||
			    !fb_pinned(c, i, s))
				continue;
			hi = lo + fixedbar_bar_span(b) - 1;
			if (hi >= lo &&
			    fixedbar_in_aperture(c, b->type, nonpref, lo, hi))
				continue;
			fixedbar_path(c, i, path, sizeof(path));
			fixedbar_format_bar(res, sizeof(res), b, lo);
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s %s: pinned (in use) outside every %shost bridge aperture, so no valid layout exists; unbind its driver so it can move",
				 path, fixedbar_slot_name(s), res,
				 nonpref ? "non-prefetchable " : "");
			return c->err = -EINVAL;
		}
	}
	return 0;
}

static int fb_check_entries(struct fb_ctx *c)
{
	u32 i;
	int err;

	for (i = 0; i < c->t->nr_devs; i++)
		c->fixed[i].entry = -1;
	for (i = 0; i < c->t->nr_entries; i++) {
		err = fb_check_entry(c, i);
		if (err)
			return err;
	}
	/* a pinned memory BAR without an address can never be valid */
	for (i = 0; i < c->t->nr_devs; i++) {
		int s;

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &c->t->devs[i].bars[s];
			char path[FIXEDBAR_PATH_LEN];

			if (!b->present || b->cur.assigned ||
			    !fb_pinned(c, i, s) ||
			    b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT)
				continue;
			fixedbar_path(c, i, path, sizeof(path));
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s: pinned but unassigned, so no valid layout exists; unbind its driver first",
				 path, fixedbar_slot_name(s));
			return c->err = -EBUSY;
		}
	}
	err = fb_check_pinned_root(c);
	if (err)
		return err;
	return fb_check_exact_overlaps(c);
}

/*
 * The model of the topology with no routing chosen yet, and the checks of
 * every descriptor entry against it.
 */
int fixedbar_model(struct fb_ctx *c)
{
	int err;

	fixedbar_reset_routing(c);
	fixedbar_build(c);
	err = fb_check_entries(c);
	fb_mark_fixed(c);
	return err;
}

/* The routing-dependent checks, once fixed BARs have their windows. */
int fixedbar_check_routes(struct fb_ctx *c)
{
	u32 ei;
	int i, dev, err;

	for (ei = 0; ei < c->t->nr_entries; ei++) {
		const struct fixedbar_entry *e = &c->t->entries[ei];

		dev = fixedbar_topo_find(c->t, e, NULL, 0);
		for (i = 0; i < e->nr_bars; i++) {
			const struct fixedbar_bar *b =
				&fb_dev(c, dev)->bars[e->bars[i].bar];
			u64 a = e->bars[i].addr;

			err = fb_check_route(c, ei, dev, e->bars[i].bar, a,
					     a + fixedbar_bar_span(b) - 1);
			if (err)
				return err;
		}
	}
	return 0;
}
