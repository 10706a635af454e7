// SPDX-License-Identifier: GPL-2.0
/*
 * The pci_fixedbar planner.
 *
 * The topology is turned into a tree of containers (the root bus apertures
 * and every bridge window) holding items (BARs and child windows), once for
 * I/O space and once for memory space, which are independent.  Items with an
 * exact position (fixed BARs, pinned BARs, and in the first phase every
 * resource of a root-bus subtree that holds no fixed BAR) make a container
 * "semi-fixed": it must cover their hull, its mandatory span.  Containers
 * without exact items are packed compactly bottom-up and placed as one
 * block.
 *
 * Placement is top-down.  In a container, semi-fixed children get extents
 * that grow from their mandatory spans, upward or downward, only as far as
 * their own movable content needs; then movable items go into the holes
 * left between exact things, largest alignment first, and only then grow
 * the container.  Power-of-two sizes make largest-first hole filling exact;
 * the growth direction of each semi-fixed child is searched (backtracking)
 * when the first choice leaves its siblings no room.
 *
 * Every plan passes fixedbar_validate() before it is returned.
 */
#include "fixedbar.h"

/* aligned comments in the definitions below */
/* clang-format off */
#define FB_BELOW4G	0x01	/* must end below 4 GiB */
#define FB_NONPREF	0x02	/* never in a prefetchable aperture */
#define FB_PREFOK	0x04	/* prefers a prefetchable aperture */
#define FB_OPTIONAL	0x08	/* I/O or ROM: may stay unassigned */
#define FB_EXACT	0x10	/* fixed, pinned or kept: position known */
#define FB_WASSET	0x20	/* assigned before planning */

#define FB_ROOT_IO	0
#define FB_ROOT_MEM	1
#define FB_NO_CONT	(-1)

#define FB_SEARCH_BUDGET 200000

enum { FB_UP, FB_DOWN, FB_NR_STRATS };

/* placement failures, recorded cheaply during the search */
enum { FB_FAIL_NONE, FB_FAIL_ITEM, FB_FAIL_SPAN, FB_FAIL_RESERVE };

/* how much of the current layout phase A keeps */
enum { FB_KEEP_NONE, FB_KEEP_UNAFFECTED, FB_KEEP_ALL };

#define FB_MAX_DROPS 256
#define FB_MAX_ROUTE_TRIES 16
#define FB_MAX_ROUTE_COMBOS 4096
#define FB_MAX_UNKEEP 32
/* placements one plan may try in all, so a hopeless input fails in bounded time */
#define FB_WORK_LIMIT 1000000
#define FB_ROUTE_SEARCH_FLIPS 8
#define FB_ROUTE_SEARCH_TRIES 512
#define FB_ROUTE_SEARCH_ROUTINGS 8
#define FB_ROUTE_SEARCH_WORK 100000
/* granules of a hole a split packing may start in (fb_slot_split) */
#define FB_SPLIT_STEPS 16
/* candidates the placement searches may look at: per search, per plan */
#define FB_PLACE_SEARCH_STEPS 50000
#define FB_PLACE_SEARCH_TOTAL 500000
/* a bridge window's search: at most this many movables */
#define FB_BRIDGE_SEARCH_ITEMS 64

struct fb_item {
	int dev;
	int slot;		/* BAR slot, or -1 for a window */
	int cont;		/* container this item stands for, or -1 */
	int owner;		/* container holding this item */
	unsigned int flags;
	u64 size;
	u64 align;
	u64 xstart;		/* FB_EXACT: position */
	u64 off;		/* offset inside a compacted container ... */
	u64 off1;		/* ... packed toward its end instead */
	u64 size1;		/* windows: size when packed toward the end */
	int variant;		/* 1: packed toward the end, 2: split */
	u32 split_mark;		/* fb_split(): taken in the call of this number */
	bool active;
	bool dropped;		/* optional, left unassigned to make room */
	bool placed;
	u64 start;
};

struct fb_cont {
	int dev;		/* bridge, or -1 for a root container */
	int win;
	int space;		/* FB_ROOT_IO or FB_ROOT_MEM */
	int item;		/* our item in the parent, -1 for the root */
	int first_kid;		/* into ctx->kidv */
	int nr_kids;
	u64 gran;
	u64 reserve;
	bool below4g;
	bool keep;		/* phase A: keep the current window */
	bool noreserve;		/* reserve given up to make room */
	bool hasfixed;		/* holds a BAR fixed by an entry */
	u64 klo, khi;
	/* per attempt */
	bool active;
	bool semifixed;
	u64 mlo, mhi;		/* mandatory span (semi-fixed) */
	u64 csize, calign;	/* compact block (movable) */
	u64 csize1;		/* the same block packed toward its end */
	u64 cmin;		/* no packing is smaller: its members' sum */
	bool grew;		/* extent grew beyond the mandatory span */
	u64 lo, hi;
};

struct fb_hole {
	u64 lo, hi;
	int ap;			/* aperture index at the root, else -1 */
};

struct fb_fixed {
	u32 mask;		/* BAR slots fixed by entries */
	u64 addr[6];
	int entry;		/* entry naming this device, or -1 */
};

/* routing by cuts (fb_cuts_build) */
struct fb_cpt {
	u64 lo, hi;
	int dev, slot;
};

struct fb_cut {
	u64 lo[2], last[2], hi[2]; /* per side: first start, last start, end */
	bool has[2];
	int cost; /* < 0: no complete routing has this cut */
	u32 s; /* the first s points of the bridge ... */
	u8 left; /* ... go to this side (0: memory, 1: prefetchable) */
};

struct fb_cuts {
	struct fb_cpt *pt; /* exact memory BARs, by address */
	int npt;
	int *first, *num; /* per device: its points below, in idx[] */
	int *idx;
	int *cfirst; /* per device: its cuts, 2 * num[] of them */
	struct fb_cut *cut;
	int *chosen; /* per device: the cut taken, -1 none */
	u64 *sufhi; /* scratch */
	u64 *content; /* per device: required memory BARs below it, in all */
	u64 low_space; /* memory apertures below 4 GiB, in all */
	u32 *mov64; /* per device: movable 64-bit prefetchable BARs below it */
	bool high; /* a memory aperture above 4 GiB exists */
};

struct fb_ctx {
	const struct fixedbar_topo *t;
	struct fixedbar_plan *p;
	struct fb_item *items;
	int nr_items;
	struct fb_cont *conts;
	int nr_conts;
	int *kidv;
	int (*dev_cont)[FIXEDBAR_NR_WINDOWS];
	int (*dev_item)[FIXEDBAR_NR_SLOTS];
	s8 (*route)[FIXEDBAR_NR_SLOTS];	/* fixed prefetchable BARs: window */
	s8 *wroute;		/* prefetchable window in the parent's: window */
	s8 (*route_base)[FIXEDBAR_NR_SLOTS];	/* routes a phase starts from */
	s8 *wroute_base;
	u16 *drop_mask;		/* per device: optional BARs given up */
	u8 *nores_mask;		/* per device: windows without their reserve */
	u8 *rank;		/* per bridge: which routing split to use */
	bool built;		/* containers follow route/wroute as they are */
	u32 work;		/* fb_solve calls so far */
	bool exhausted;		/* FB_WORK_LIMIT reached */
	bool spill_fine;	/* spill one BAR size at a time (last resort) */
	u32 place_search;	/* candidates fb_*_search() looked at so far */
	u32 split_gen;		/* fb_split() calls so far */
	u16 *unkeep;		/* per device: BARs phase A may move after all */
	u8 *unkeep_win;		/* per device: windows phase A may move */
	u8 *nsplits;		/* per bridge: how many valid splits exist */
	u8 *nsplits_max;	/* ... the most in any routing so far */
	bool clamped;		/* a bridge's rank names no split: a duplicate */
	u16 *reroute_done;	/* per device: items back from a reroute, for good */
	struct fb_cuts cuts;	/* every bridge's workable routings */
	int cuts_state;		/* 0: not built, 1: in use, -1: not usable */
	int fail_bridge;	/* bridge of the container that failed */
	int fail_kid[2];	/* bridges whose windows collided there */
	int fail_pair[2];	/* the items that collided */
	struct fb_fixed *fixed;
	bool *affected;		/* per root-bus subtree: holds a fixed BAR */
	struct fb_hole *holes;
	int max_holes;
	int nr_holes;		/* stack top */
	u64 (*sortv)[2];	/* scratch pairs, a stack: sort_top */
	int sort_top;
	/* each container's movables in placement order, by fb_movables() */
	int *mov[2];		/* per kidv slot, for by_size false and true */
	int *mov_n;		/* per container and by_size: how many */
	u32 *mov_gen;		/* ... valid while it equals gen */
	u32 gen;		/* bumped by every fb_activate() */
	/* attempt options */
	int softpin;		/* FB_KEEP_* */
	u32 budget;
	int fail_cont;		/* where the last placement failed */
	int fail_item;		/* ... and what did not fit */
	int fail_kind;		/* FB_FAIL_*: formatted only when reported */
	bool fail_root;
	u64 fail_blo, fail_bhi;
	u32 lost_warnings;
	/* failure */
	int err;
	char msg[FIXEDBAR_MSG_LEN];
};
/* clang-format on */

static inline u64 fb_align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

/* false on overflow */
static inline bool fb_align_up(u64 x, u64 a, u64 *out)
{
	if (x > ~0ULL - (a - 1))
		return false;
	*out = (x + a - 1) & ~(a - 1);
	return true;
}

/* The first x' >= @x with x' == @o modulo @a (wrapping arithmetic). */
static inline u64 fb_align_up_to(u64 x, u64 a, u64 o)
{
	return ((x - o + a - 1) & ~(a - 1)) + o;
}

static inline bool fb_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

static const struct fixedbar_dev *fb_dev(const struct fb_ctx *c, int d)
{
	return &c->t->devs[d];
}

/* ---- messages ---- */

static void fb_path(const struct fb_ctx *c, int dev, char *buf, size_t len)
{
	if (dev < 0)
		snprintf(buf, len, "%04x:%02x", c->t->segment, c->t->root_bus);
	else
		fixedbar_dev_path(c->t, dev, buf, len);
}

static const char *fb_res_name(int slot, int win)
{
	return slot >= 0 ? fixedbar_slot_name(slot) : fixedbar_win_name(win);
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
static void fb_add_subtree_entries(struct fb_ctx *c, int dev)
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
static void fb_fmt_size(const struct fb_ctx *c, const struct fb_item *it,
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

static void fb_warn(struct fb_ctx *c, const char *text)
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
static int fb_default_win_side(const struct fb_ctx *c, int dev)
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
					      fb_default_win_side(c, dev)];
	return c->dev_cont[p][FIXEDBAR_WIN_MEM];
}

/* Root-bus device whose subtree holds @dev. */
static int fb_root_of(const struct fb_ctx *c, int dev)
{
	while (fb_dev(c, dev)->parent >= 0)
		dev = fb_dev(c, dev)->parent;
	return dev;
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

static int fb_alloc(struct fb_ctx *c)
{
	u32 d, n = c->t->nr_devs;
	size_t max_items = 0, max_conts = 2;
	int s;

	/* what fb_build can create: one item per BAR, one per window */
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
	if (!c->items || !c->conts || !c->kidv || !c->dev_cont ||
	    !c->dev_item || !c->fixed || !c->affected || !c->holes ||
	    !c->sortv || !c->route || !c->wroute || !c->route_base ||
	    !c->wroute_base || !c->drop_mask || !c->nores_mask || !c->rank ||
	    !c->nsplits || !c->nsplits_max || !c->unkeep || !c->unkeep_win ||
	    !c->reroute_done || !c->mov[0] || !c->mov[1] || !c->mov_n ||
	    !c->mov_gen)
		return -ENOMEM;
	return 0;
}

static void fb_cuts_free(struct fb_cuts *x);

static void fb_release(struct fb_ctx *c)
{
	fb_cuts_free(&c->cuts);
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

static void fb_build(struct fb_ctx *c)
{
	u32 d;
	int w;

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

	fb_path(c, dev, path, sizeof(path));
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

	fb_path(c, dev, path, sizeof(path));
	snprintf(c->msg, sizeof(c->msg),
		 "%s %s at 0x%llx: its 0x%llx bytes would end beyond the 64-bit address space; pick a lower address",
		 path, fixedbar_slot_name(slot), (unsigned long long)addr,
		 (unsigned long long)span);
	fb_add_err_entry(c, entry);
	return c->err = -EINVAL;
}

static bool fb_in_aperture(const struct fb_ctx *c, enum fixedbar_res_type type,
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
			fb_path(c, o->dev, bpath, sizeof(bpath));
			snprintf(why, sizeof(why),
				 "bridge %s has no 64-bit prefetchable window to forward it above 4GiB; fix it below 4GiB or pass the device through behind a bridge with one",
				 bpath);
			return fb_fail_bar(c, -EOPNOTSUPP, entry, dev, slot,
					   addr, why);
		}
		root_nonpref = o->win == FIXEDBAR_WIN_MEM;
		k = c->items[o->item].owner;
	}
	if (!fb_in_aperture(c, b->type, root_nonpref, addr, end)) {
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

static int fb_check_entry(struct fb_ctx *c, int ei)
{
	const struct fixedbar_entry *e = &c->t->entries[ei];
	char ebuf[FIXEDBAR_MSG_LEN];
	int dev, i, err;

	dev = fixedbar_topo_find(c->t, e, ebuf, sizeof(ebuf));
	if (dev < 0) {
		snprintf(c->msg, sizeof(c->msg), "%s", ebuf);
		fb_add_err_entry(c, ei);
		return c->err = dev;
	}
	for (i = 0; i < e->nr_bars; i++) {
		int slot = e->bars[i].bar;
		const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];
		char path[FIXEDBAR_PATH_LEN];

		if (!b->present) {
			const struct fixedbar_bar *lo = slot ? b - 1 : NULL;

			fb_path(c, dev, path, sizeof(path));
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s: not implemented by the device%s; name a BAR it has",
				 path, fixedbar_slot_name(slot),
				 lo && lo->present && lo->mem64 ?
					 " (it is the upper half of a 64-bit BAR)" :
					 "");
			fb_add_err_entry(c, ei);
			return c->err = -EINVAL;
		}
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

/* ---- routing of fixed prefetchable BARs ---- */

enum { FB_PT_MEM, FB_PT_PREF, FB_PT_FLEX };

struct fb_point {
	u64 lo, hi;
	int kind;
	int dev, slot;
	int side; /* chosen window */
};

static int fb_cmp_point(const void *a, const void *b)
{
	const struct fb_point *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->slot - y->slot;
}

static int fb_default_side(const struct fb_ctx *c, int dev, int slot)
{
	const struct fixedbar_bar *b;
	const struct fixedbar_bridge *br =
		&fb_dev(c, fb_dev(c, dev)->parent)->br;

	if (slot < 0) /* a child's prefetchable window */
		return fb_default_win_side(c, dev);
	b = &fb_dev(c, dev)->bars[slot];
	return br->pref64 && !b->mem64 ? FIXEDBAR_WIN_MEM : FIXEDBAR_WIN_PREF;
}

/* Where a BAR must stay: fixed by an entry, or pinned where it is. */
static bool fb_exact_addr(const struct fb_ctx *c, int dev, int slot, u64 *addr)
{
	const struct fixedbar_bar *b = &fb_dev(c, dev)->bars[slot];

	if (slot < 6 && (c->fixed[dev].mask & (1u << slot))) {
		*addr = c->fixed[dev].addr[slot];
		return true;
	}
	if (!b->cur.assigned || !(fb_dev(c, dev)->pinned || b->pinned))
		return false;
	*addr = b->cur.start;
	return true;
}

struct fb_obstacles {
	u64 (*r)[3]; /* lo, hi, device */
	int n;
};

/*
 * Is device @d @top or below it?  Walks up from @d: the devices need not be
 * in pre-order (a topology built breadth-first, as the generator does, is
 * not), so a subtree is not a run of indices.
 */
static bool fb_in_subtree(const struct fb_ctx *c, int d, int top)
{
	if (top < 0)
		return true;
	while (d >= 0 && d != top)
		d = fb_dev(c, d)->parent;
	return d == top;
}

/*
 * Exact BARs outside bridge @b that one of its windows would cover: every
 * one of them sits on a bus above or beside @b, where @b's windows (or its
 * ancestors' around them) must not overlap it.
 */
static int fb_obstacle_cost(const struct fb_ctx *c,
			    const struct fb_obstacles *ob, int b, u64 lo,
			    u64 hi)
{
	int i, cost = 0;

	for (i = 0; i < ob->n; i++) {
		int d = (int)ob->r[i][2];

		if (fb_in_subtree(c, d, b))
			continue;
		if ((ob->r[i][0] >> 20) <= (hi >> 20) &&
		    (ob->r[i][1] >> 20) >= (lo >> 20))
			cost += 100;
	}
	return cost;
}

/* A window must fit one host bridge aperture it may use. */
static int fb_aperture_cost(const struct fb_ctx *c, int win, u64 lo, u64 hi)
{
	return fb_in_aperture(c, FIXEDBAR_RES_MEM, win == FIXEDBAR_WIN_MEM, lo,
			      hi) ?
		       0 :
		       1000;
}

/* Cost of the split, or -1 when the two windows would overlap. */
static int fb_split_cost(const struct fb_ctx *c, const struct fb_obstacles *ob,
			 int b, struct fb_point *pt, int n, int s, int left)
{
	u64 llo = ~0ULL, lhi = 0, rlo = ~0ULL, rhi = 0;
	int i, cost = 0, pref_low = 0, pref_high = 0;

	for (i = 0; i < n; i++) {
		int side = i < s ? left :
				   FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF - left;

		if ((pt[i].kind == FB_PT_MEM && side != FIXEDBAR_WIN_MEM) ||
		    (pt[i].kind == FB_PT_PREF && side != FIXEDBAR_WIN_PREF))
			return -1;
		if (pt[i].kind == FB_PT_FLEX &&
		    side != fb_default_side(c, pt[i].dev, pt[i].slot))
			cost++;
		if (side == FIXEDBAR_WIN_PREF && pt[i].hi >= FIXEDBAR_4G)
			pref_high = 1;
		else if (side == FIXEDBAR_WIN_PREF)
			pref_low = 1;
		if (i < s) {
			llo = pt[i].lo < llo ? pt[i].lo : llo;
			lhi = pt[i].hi > lhi ? pt[i].hi : lhi;
		} else {
			rlo = pt[i].lo < rlo ? pt[i].lo : rlo;
			rhi = pt[i].hi > rhi ? pt[i].hi : rhi;
		}
	}
	if (s > 0 && s < n && (lhi >> 20) >= (rlo >> 20))
		return -1;
	if (s > 0)
		cost += fb_obstacle_cost(c, ob, b, llo, lhi) +
			fb_aperture_cost(c, left, llo, lhi);
	if (s < n)
		cost += fb_obstacle_cost(c, ob, b, rlo, rhi) +
			fb_aperture_cost(c,
					 FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF -
						 left,
					 rlo, rhi);
	/* a prefetchable window across 4 GiB rarely fits one aperture */
	return cost + (pref_low && pref_high ? 1000 : 0);
}

static void fb_hull_add(u64 *h, bool *valid, u64 lo, u64 hi)
{
	if (!*valid || lo < h[0])
		h[0] = lo;
	if (!*valid || hi > h[1])
		h[1] = hi;
	*valid = true;
}

static int fb_route_points(struct fb_ctx *c, int b, struct fb_point *pt,
			   u64 (*hull)[2][2], bool (*hv)[2])
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	int d, s, n = 0;

	for (d = fb_dev(c, b)->first_child; d >= 0;
	     d = fb_dev(c, d)->next_sibling) {
		const struct fixedbar_dev *dv = fb_dev(c, d);

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *bar = &dv->bars[s];
			u64 lo;

			if (!bar->present || bar->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			pt[n] = (struct fb_point){
				lo,	    lo + fixedbar_bar_span(bar) - 1,
				FB_PT_FLEX, d,
				s,	    0
			};
			if (!bar->pref || !br->pref)
				pt[n].kind = FB_PT_MEM;
			else if (pt[n].hi >= FIXEDBAR_4G ||
				 !fb_in_aperture(c, FIXEDBAR_RES_MEM, true, lo,
						 pt[n].hi))
				pt[n].kind = FB_PT_PREF;
			n++;
		}
		if (!dv->is_bridge)
			continue;
		if (hv[d][0])
			pt[n++] = (struct fb_point){ hull[d][0][0],
						     hull[d][0][1],
						     FB_PT_MEM,
						     d,
						     -2,
						     0 };
		if (hv[d][1])
			pt[n++] = (struct fb_point){
				hull[d][1][0],
				hull[d][1][1],
				!br->pref ? FB_PT_MEM :
				hull[d][1][1] >= FIXEDBAR_4G ||
						!fb_in_aperture(c,
								FIXEDBAR_RES_MEM,
								true,
								hull[d][1][0],
								hull[d][1][1]) ?
					    FB_PT_PREF :
					    FB_PT_FLEX,
				d,
				-1,
				0
			};
	}
	return n;
}

/* Picks, for bridge @b, the window of each flexible fixed BAR. */
static void fb_route_bridge(struct fb_ctx *c, const struct fb_obstacles *ob,
			    int b, struct fb_point *pt, u64 (*hull)[2][2],
			    bool (*hv)[2])
{
	int n = fb_route_points(c, b, pt, hull, hv);
	int s, left, best = -1, bs = 0, bl = FIXEDBAR_WIN_MEM, i, r;
	int prev_cost = -1, prev_s = -1, prev_l = -1, count = 0;

	fixedbar_sort(pt, n, sizeof(*pt), fb_cmp_point);
	/*
	 * Splits in order of cost (then position): the rank-th one.  A retry
	 * after a failed placement raises the rank of the bridge that failed.
	 */
	for (r = 0; r <= c->rank[b]; r++) {
		int found = -1, fs = 0, fl = 0;

		for (left = FIXEDBAR_WIN_MEM; left <= FIXEDBAR_WIN_PREF;
		     left++) {
			for (s = 0; s <= n; s++) {
				int cost =
					fb_split_cost(c, ob, b, pt, n, s, left);
				int key = left * (n + 1) + s;
				int pkey = prev_l * (n + 1) + prev_s;

				if ((left == FIXEDBAR_WIN_PREF &&
				     (s == 0 || s == n)) ||
				    cost < 0 || cost < prev_cost ||
				    (cost == prev_cost && key <= pkey))
					continue;
				if (found < 0 || cost < found) {
					found = cost;
					fs = s;
					fl = left;
				}
			}
		}
		if (found < 0)
			break;
		best = prev_cost = found;
		bs = prev_s = fs;
		bl = prev_l = fl;
		count++;
	}
	for (count = 0, left = FIXEDBAR_WIN_MEM; left <= FIXEDBAR_WIN_PREF;
	     left++)
		for (s = 0; s <= n; s++)
			if (!(left == FIXEDBAR_WIN_PREF &&
			      (s == 0 || s == n)) &&
			    fb_split_cost(c, ob, b, pt, n, s, left) >= 0 &&
			    count < 255)
				count++;
	c->nsplits[b] = count;
	if (count > c->nsplits_max[b])
		c->nsplits_max[b] = count;
	/* past the last split, the last one is used: a routing seen before */
	if (c->rank[b] && c->rank[b] >= count)
		c->clamped = true;
	for (i = 0; i < n; i++) {
		int side =
			pt[i].kind == FB_PT_MEM	 ? FIXEDBAR_WIN_MEM :
			pt[i].kind == FB_PT_PREF ? FIXEDBAR_WIN_PREF :
			best < 0 ? fb_default_side(c, pt[i].dev, pt[i].slot) :
			i < bs	 ? bl :
				   FIXEDBAR_WIN_MEM + FIXEDBAR_WIN_PREF - bl;

		if (pt[i].slot >= 0)
			c->route[pt[i].dev][pt[i].slot] = side;
		else if (pt[i].slot == -1)
			c->wroute[pt[i].dev] = side;
		fb_hull_add(hull[b][side == FIXEDBAR_WIN_PREF],
			    &hv[b][side == FIXEDBAR_WIN_PREF], pt[i].lo,
			    pt[i].hi);
	}
}

static void fb_obstacles_init(struct fb_ctx *c, struct fb_obstacles *ob)
{
	int d, s;

	ob->n = 0;
	for (d = 0; d < (int)c->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 lo;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			ob->r[ob->n][0] = lo;
			ob->r[ob->n][1] = lo + fixedbar_bar_span(b) - 1;
			ob->r[ob->n][2] = d;
			ob->n++;
		}
	}
}

/*
 * Routing as a search over cuts.  A bridge's memory and prefetchable
 * windows are disjoint, so in address order one of them takes the exact
 * BARs (fixed or pinned) below a cut and the other those above it: a
 * bridge's routing is a cut and the window that takes the low side.  Whether
 * a cut can work is known locally, but for one thing: every window's span
 * keeps clear of each exact BAR that it does not hold (sibling windows and
 * the BARs on every bus above are disjoint, and windows are 1 MiB granular),
 * the memory window stays below 4 GiB, a 32-bit prefetchable window too,
 * each fits an aperture of its kind, and each child bridge has a cut of its
 * own that agrees: its memory window's BARs on this bridge's memory side,
 * its prefetchable window's all on one side.  Computed bottom-up once, this
 * leaves for every bridge exactly the cuts that some complete routing
 * extends, each with the fewest BARs and windows off the kernel's own
 * routing below it.  Top-down, each bridge then takes its rank-th cut among
 * those that agree with its parent's, so the retries below walk only
 * routings that can hold every fixed BAR.
 */
#define FB_CUT_MAX_POINTS 512

static int fb_side_win(int side)
{
	return side ? FIXEDBAR_WIN_PREF : FIXEDBAR_WIN_MEM;
}

static bool fb_strictly_below(const struct fb_ctx *c, int d, int b)
{
	return d != b && fb_in_subtree(c, d, b);
}

/* Can window @side of bridge @b span the exact BARs in [lo, hi]? */
static bool fb_cut_span_ok(const struct fb_ctx *c, const struct fb_cuts *x,
			   int b, int side, u64 lo, u64 hi)
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	u64 glo = fb_align_down(lo, 0x100000), ghi = hi | 0xfffff;
	int i;

	if ((side == 0 || !br->pref64) && ghi >= FIXEDBAR_4G)
		return false;
	if (!fb_in_aperture(c, FIXEDBAR_RES_MEM, side == 0, glo, ghi))
		return false;
	for (i = 0; i < x->npt && x->pt[i].lo <= ghi; i++)
		if (x->pt[i].hi >= glo &&
		    !fb_strictly_below(c, x->pt[i].dev, b))
			return false;
	return true;
}

/* Side of cut @k of bridge @b that holds all of [first, last], or -1. */
static int fb_cut_side_of(const struct fb_cuts *x, int b,
			  const struct fb_cut *k, u64 first, u64 last)
{
	int n = x->num[b];
	u64 a = k->s < (u32)n ? x->pt[x->idx[x->first[b] + k->s]].lo : 0;

	if (k->s == (u32)n || last < a)
		return k->left;
	if (first >= a)
		return !k->left;
	return -1;
}

/*
 * Does cut @o of child bridge @d agree with cut @k of its parent @b?  Returns
 * the cost that taking it adds, or -1.
 */
static int fb_cut_agrees(const struct fb_ctx *c, const struct fb_cuts *x, int b,
			 const struct fb_cut *k, int d, const struct fb_cut *o)
{
	int side, cost = o->cost;

	if (o->cost < 0)
		return -1;
	if (o->has[0] && fb_cut_side_of(x, b, k, o->lo[0], o->last[0]) != 0)
		return -1;
	if (!o->has[1])
		return cost;
	side = fb_cut_side_of(x, b, k, o->lo[1], o->last[1]);
	if (side < 0 || (side == 1 && !fb_dev(c, b)->br.pref))
		return -1;
	if (fb_dev(c, b)->br.pref &&
	    fb_side_win(side) != fb_default_win_side(c, d))
		cost++;
	return cost;
}

/* Cost of cut @k of bridge @b given its children's cuts, or -1. */
static int fb_cut_eval(const struct fb_ctx *c, const struct fb_cuts *x, int b,
		       const struct fb_cut *k)
{
	const struct fixedbar_bridge *br = &fb_dev(c, b)->br;
	int i, cost = 0, d;

	if (!br->pref && (k->left != 0 || k->s != (u32)x->num[b]))
		return -1;
	/*
	 * A prefetchable window that holds exact BARs below 4 GiB stays below
	 * 4 GiB, and so does everything below the bridge: it must fit there.
	 */
	if (k->has[1] && k->hi[1] < FIXEDBAR_4G && x->content[b] > x->low_space)
		return -1;
	for (i = 0; i < 2; i++)
		if (k->has[i] &&
		    !fb_cut_span_ok(c, x, b, i, k->lo[i], k->hi[i]))
			return -1;
	/*
	 * The kernel puts a 64-bit prefetchable window above 4 GiB when it can;
	 * holding exact BARs below 4 GiB keeps it there, and each movable
	 * 64-bit prefetchable BAR below the bridge departs from its place.
	 */
	if (k->has[1] && k->hi[1] < FIXEDBAR_4G && br->pref64 && x->high)
		cost += x->mov64[b];
	/* the bridge's own exact BARs' windows */
	for (i = 0; i < x->num[b]; i++) {
		const struct fb_cpt *p = &x->pt[x->idx[x->first[b] + i]];
		const struct fixedbar_bar *bar;
		int side = (u32)i < k->s ? k->left : !k->left;

		if (fb_dev(c, p->dev)->parent != b)
			continue;
		bar = &fb_dev(c, p->dev)->bars[p->slot];
		if (side == 1 && (!bar->pref || !br->pref))
			return -1;
		if (side == 0 && p->hi >= FIXEDBAR_4G)
			return -1;
		if (br->pref &&
		    fb_side_win(side) != fb_default_side(c, p->dev, p->slot))
			cost++;
	}
	/* every child bridge with exact BARs needs a cut that agrees */
	for (d = fb_dev(c, b)->first_child; d >= 0;
	     d = fb_dev(c, d)->next_sibling) {
		int j, best = -1;

		if (!fb_dev(c, d)->is_bridge || !x->num[d])
			continue;
		for (j = 0; j < 2 * x->num[d]; j++) {
			int v = fb_cut_agrees(c, x, b, k, d,
					      &x->cut[x->cfirst[d] + j]);

			if (v >= 0 && (best < 0 || v < best))
				best = v;
		}
		if (best < 0)
			return -1;
		cost += best;
	}
	return cost;
}

/* All cuts of bridge @b, its children's done. */
static void fb_cuts_bridge(const struct fb_ctx *c, struct fb_cuts *x, int b)
{
	int n = x->num[b], i, j = 0;
	const struct fb_cpt *p0 = &x->pt[x->idx[x->first[b]]];
	u64 prehi = 0;

	x->sufhi[n] = 0;
	for (i = n - 1; i >= 0; i--) {
		u64 h = x->pt[x->idx[x->first[b] + i]].hi;

		x->sufhi[i] = h > x->sufhi[i + 1] ? h : x->sufhi[i + 1];
	}
	for (i = 0; i <= n; i++) {
		const struct fb_cpt *ps = NULL, *pl = NULL;
		int left;

		if (i < n)
			ps = &x->pt[x->idx[x->first[b] + i]];
		if (i) {
			pl = &x->pt[x->idx[x->first[b] + i - 1]];
			if (pl->hi > prehi)
				prehi = pl->hi;
		}
		for (left = 0; left < 2; left++) {
			struct fb_cut *k = &x->cut[x->cfirst[b] + j];
			const struct fb_cpt *pe =
				&x->pt[x->idx[x->first[b] + n - 1]];

			/* all on one side: counted once, as the memory side's */
			if (left && (i == 0 || i == n))
				continue;
			memset(k, 0, sizeof(*k));
			k->s = i;
			k->left = left;
			j++;
			if (i && i < n && (prehi >> 20) >= (ps->lo >> 20)) {
				k->cost = -1; /* one granule, two windows */
				continue;
			}
			if (i) {
				k->has[left] = true;
				k->lo[left] = p0->lo;
				k->last[left] = pl->lo;
				k->hi[left] = prehi;
			}
			if (i < n) {
				k->has[!left] = true;
				k->lo[!left] = ps->lo;
				k->last[!left] = pe->lo;
				k->hi[!left] = x->sufhi[i];
			}
			k->cost = fb_cut_eval(c, x, b, k);
		}
	}
}

static void fb_cuts_free(struct fb_cuts *x)
{
	fixedbar_free(x->pt);
	fixedbar_free(x->first);
	fixedbar_free(x->num);
	fixedbar_free(x->idx);
	fixedbar_free(x->cfirst);
	fixedbar_free(x->cut);
	fixedbar_free(x->chosen);
	fixedbar_free(x->sufhi);
	fixedbar_free(x->content);
	fixedbar_free(x->mov64);
	memset(x, 0, sizeof(*x));
}

static int fb_cmp_cpt(const void *a, const void *b)
{
	const struct fb_cpt *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

/*
 * Computes every bridge's cuts.  Returns 0, -ENOMEM, or -ERANGE when the
 * cuts cannot help: too many exact BARs, or a root-bus bridge without one
 * that works (no routing can hold the fixed BARs; the routing by cost then
 * leads to the error that says why).
 */
static int fb_cuts_build(struct fb_ctx *c, struct fb_cuts *x)
{
	u32 n = c->t->nr_devs;
	int d, s, i, total = 0, ncut = 0, maxn = 0;

	memset(x, 0, sizeof(*x));
	x->pt = fixedbar_zalloc((n * FIXEDBAR_NR_SLOTS + 1) * sizeof(*x->pt));
	x->first = fixedbar_zalloc((n + 1) * sizeof(int));
	x->num = fixedbar_zalloc((n + 1) * sizeof(int));
	x->cfirst = fixedbar_zalloc((n + 1) * sizeof(int));
	x->chosen = fixedbar_zalloc((n + 1) * sizeof(int));
	x->content = fixedbar_zalloc((n + 1) * sizeof(u64));
	x->mov64 = fixedbar_zalloc((n + 1) * sizeof(u32));
	if (!x->pt || !x->first || !x->num || !x->cfirst || !x->chosen ||
	    !x->content || !x->mov64)
		return -ENOMEM;
	for (i = 0; i < (int)c->t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &c->t->apertures[i];

		if (a->type == FIXEDBAR_RES_MEM && a->end >= FIXEDBAR_4G)
			x->high = true;
		if (a->type == FIXEDBAR_RES_MEM && a->start < FIXEDBAR_4G)
			x->low_space += (a->end < FIXEDBAR_4G ?
						 a->end :
						 FIXEDBAR_4G - 1) -
					a->start + 1;
	}
	/* what each bridge's windows must hold: required memory BARs (no ROMs) */
	for (d = 0; d < (int)n; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 span = fixedbar_bar_span(b), lo;
			bool m64;
			int a;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    s == FIXEDBAR_ROM_SLOT)
				continue;
			m64 = b->mem64 && b->pref &&
			      !fb_exact_addr(c, d, s, &lo);
			for (a = fb_dev(c, d)->parent; a >= 0;
			     a = fb_dev(c, a)->parent) {
				x->content[a] = x->content[a] + span < span ?
							~0ULL :
							x->content[a] + span;
				x->mov64[a] += m64;
			}
		}
	}
	/* root-bus BARs take part only as obstacles */
	for (d = 0; d < (int)n; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			const struct fixedbar_bar *b = &fb_dev(c, d)->bars[s];
			u64 lo;

			if (!b->present || b->type != FIXEDBAR_RES_MEM ||
			    !fb_exact_addr(c, d, s, &lo))
				continue;
			x->pt[x->npt++] = (struct fb_cpt){
				lo, lo + fixedbar_bar_span(b) - 1, d, s
			};
		}
	}
	fixedbar_sort(x->pt, x->npt, sizeof(*x->pt), fb_cmp_cpt);
	/* each point counts for every bridge above it */
	for (i = 0; i < x->npt; i++)
		for (d = fb_dev(c, x->pt[i].dev)->parent; d >= 0;
		     d = fb_dev(c, d)->parent)
			x->num[d]++;
	for (d = 0; d < (int)n; d++) {
		if (x->num[d] > FB_CUT_MAX_POINTS)
			return -ERANGE;
		x->first[d] = total;
		total += x->num[d];
		x->cfirst[d] = ncut;
		ncut += 2 * x->num[d];
		if (x->num[d] > maxn)
			maxn = x->num[d];
		x->num[d] = 0;
	}
	x->idx = fixedbar_zalloc((total + 1) * sizeof(int));
	x->cut = fixedbar_zalloc((ncut + 1) * sizeof(*x->cut));
	x->sufhi = fixedbar_zalloc((maxn + 2) * sizeof(u64));
	if (!x->idx || !x->cut || !x->sufhi)
		return -ENOMEM;
	for (i = 0; i < x->npt; i++)
		for (d = fb_dev(c, x->pt[i].dev)->parent; d >= 0;
		     d = fb_dev(c, d)->parent)
			x->idx[x->first[d] + x->num[d]++] = i;
	/* children come after their parents: bottom-up is backwards */
	for (d = (int)n - 1; d >= 0; d--) {
		bool any = false;

		x->chosen[d] = -1;
		if (!fb_dev(c, d)->is_bridge || !x->num[d])
			continue;
		fb_cuts_bridge(c, x, d);
		for (i = 0; i < 2 * x->num[d]; i++)
			any |= x->cut[x->cfirst[d] + i].cost >= 0;
		if (!any && fb_dev(c, d)->parent < 0)
			return -ERANGE;
	}
	return 0;
}

/* The rank-th cut of bridge @b (by cost, then order) that agrees with its parent. */
static void fb_cuts_choose(struct fb_ctx *c, struct fb_cuts *x, int b)
{
	int p = fb_dev(c, b)->parent, m = 2 * x->num[b], r, j, count = 0;
	int prev = -1, prevj = -1, pick = -1;
	const struct fb_cut *pk = NULL;

	if (p >= 0 && x->chosen[p] >= 0)
		pk = &x->cut[x->cfirst[p] + x->chosen[p]];
	for (j = 0; j < m; j++) {
		const struct fb_cut *k = &x->cut[x->cfirst[b] + j];

		if ((pk ? fb_cut_agrees(c, x, p, pk, b, k) : k->cost) >= 0 &&
		    count < 255)
			count++;
	}
	for (r = 0; r <= c->rank[b] && r < count; r++) {
		int best = -1, bestj = -1;

		for (j = 0; j < m; j++) {
			const struct fb_cut *k = &x->cut[x->cfirst[b] + j];
			int v = pk ? fb_cut_agrees(c, x, p, pk, b, k) : k->cost;

			if (v < 0 || v < prev || (v == prev && j <= prevj))
				continue;
			if (best < 0 || v < best) {
				best = v;
				bestj = j;
			}
		}
		prev = best;
		prevj = pick = bestj;
	}
	c->nsplits[b] = count;
	if (count > c->nsplits_max[b])
		c->nsplits_max[b] = count;
	if (c->rank[b] && c->rank[b] >= count)
		c->clamped = true;
	x->chosen[b] = pick;
}

/* Routes every exact BAR and window along the chosen cuts; parents first. */
static void fb_cuts_route(struct fb_ctx *c, struct fb_cuts *x)
{
	int b, i;

	c->clamped = false;
	for (b = 0; b < (int)c->t->nr_devs; b++) {
		const struct fb_cut *k;
		int p = fb_dev(c, b)->parent;

		if (!fb_dev(c, b)->is_bridge || !x->num[b]) {
			if (fb_dev(c, b)->is_bridge) {
				c->nsplits[b] = 1;
				if (!c->nsplits_max[b])
					c->nsplits_max[b] = 1;
			}
			continue;
		}
		fb_cuts_choose(c, x, b);
		if (x->chosen[b] < 0)
			continue; /* cannot happen: the parent's cut agrees with one */
		k = &x->cut[x->cfirst[b] + x->chosen[b]];
		for (i = 0; i < x->num[b]; i++) {
			const struct fb_cpt *pt =
				&x->pt[x->idx[x->first[b] + i]];

			if (fb_dev(c, pt->dev)->parent == b)
				c->route[pt->dev][pt->slot] = fb_side_win(
					(u32)i < k->s ? k->left : !k->left);
		}
		if (p >= 0 && k->has[1] && x->chosen[p] >= 0 &&
		    fb_dev(c, p)->br.pref)
			c->wroute[b] = fb_side_win(
				fb_cut_side_of(x, p,
					       &x->cut[x->cfirst[p] +
						       x->chosen[p]],
					       k->lo[1], k->last[1]));
	}
}

/*
 * A prefetchable BAR below 4 GiB may sit in its bridge's memory window or in
 * its prefetchable window.  For fixed ones the choice matters: the two
 * windows of a bridge must not overlap, so pick, bridge by bridge from the
 * bottom up, the split of fixed addresses that keeps them apart and stays
 * closest to the kernel's own routing.
 */
static int fb_choose_routes_by_cost(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs;
	u64(*hull)[2][2] = fixedbar_zalloc(n * sizeof(*hull) + 1);
	bool(*hv)[2] = fixedbar_zalloc(n * sizeof(*hv) + 1);
	struct fb_point *pt = fixedbar_zalloc((n * 16 + 16) * sizeof(*pt));
	struct fb_obstacles ob;
	int b;

	ob.r = fixedbar_zalloc((n * FIXEDBAR_NR_SLOTS + 1) * sizeof(*ob.r));
	if (!hull || !hv || !pt || !ob.r) {
		fixedbar_free(ob.r);
		fixedbar_free(hull);
		fixedbar_free(hv);
		fixedbar_free(pt);
		return -ENOMEM;
	}
	fb_obstacles_init(c, &ob);
	c->clamped = false;
	for (b = (int)n - 1; b >= 0; b--)
		if (fb_dev(c, b)->is_bridge)
			fb_route_bridge(c, &ob, b, pt, hull, hv);
	fixedbar_free(ob.r);
	fixedbar_free(hull);
	fixedbar_free(hv);
	fixedbar_free(pt);
	return 0;
}

/*
 * Routes along the workable cuts when there are any; otherwise no routing
 * holds every fixed BAR (or there are too many exact BARs to search), and
 * the routing by cost leads to the error that says why.
 */
static int fb_choose_routes(struct fb_ctx *c)
{
	int err;

	if (!c->cuts_state) {
		err = fb_cuts_build(c, &c->cuts);
		if (err == -ENOMEM)
			return err;
		c->cuts_state = err ? -1 : 1;
		if (err)
			fb_cuts_free(&c->cuts);
	}
	if (c->cuts_state < 0)
		return fb_choose_routes_by_cost(c);
	fb_cuts_route(c, &c->cuts);
	return 0;
}

/* ---- exact items ---- */

static bool fb_pinned(const struct fb_ctx *c, int dev, int slot)
{
	return fb_dev(c, dev)->pinned || fb_dev(c, dev)->bars[slot].pinned;
}

static bool fb_item_exact(struct fb_ctx *c, struct fb_item *it, u64 *start)
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

static void fb_sort_pairs(u64 (*v)[2], int n)
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
static int fb_check_exact_overlaps(struct fb_ctx *c)
{
	u64(*v)[2];
	int i, n = 0, err = 0;

	v = fixedbar_zalloc((c->nr_items + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];
		u64 s;

		if (it->slot < 0 || !fb_item_exact(c, it, &s))
			continue;
		if (!(c->fixed[it->dev].mask & (1u << it->slot)) &&
		    !fb_pinned(c, it->dev, it->slot))
			continue;
		v[n][0] = s;
		v[n][1] = i;
		n++;
	}
	fb_sort_pairs(v, n);
	for (i = 1; i < n && !err; i++) {
		struct fb_item *a = &c->items[v[i - 1][1]];
		struct fb_item *b = &c->items[v[i][1]];
		bool aio = fb_dev(c, a->dev)->bars[a->slot].type ==
			   FIXEDBAR_RES_IO;
		bool bio = fb_dev(c, b->dev)->bars[b->slot].type ==
			   FIXEDBAR_RES_IO;
		char pa[FIXEDBAR_PATH_LEN], pb[FIXEDBAR_PATH_LEN];
		char ra[FIXEDBAR_RES_LEN], rb[FIXEDBAR_RES_LEN];
		int j;

		/* compare against the previous item of the same space */
		for (j = i - 1; j >= 0; j--) {
			a = &c->items[v[j][1]];
			aio = fb_dev(c, a->dev)->bars[a->slot].type ==
			      FIXEDBAR_RES_IO;
			if (aio == bio)
				break;
		}
		if (j < 0 || v[j][0] + a->size - 1 < v[i][0])
			continue;
		fb_path(c, a->dev, pa, sizeof(pa));
		fb_path(c, b->dev, pb, sizeof(pb));
		fb_fmt_item(c, a, v[j][0], ra, sizeof(ra));
		fb_fmt_item(c, b, v[i][0], rb, sizeof(rb));
		snprintf(c->msg, sizeof(c->msg),
			 "%s %s %s overlaps %s %s %s of %s; fixed BARs must not overlap each other or resources in use",
			 pb, fixedbar_slot_name(b->slot), rb,
			 c->fixed[a->dev].mask & (1u << a->slot) ? "fixed" :
								   "pinned",
			 fixedbar_slot_name(a->slot), ra, pa);
		fb_add_err_entry(c, c->fixed[b->dev].entry);
		fb_add_err_entry(c, c->fixed[a->dev].entry);
		c->err = err = -EBUSY;
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
			    fb_in_aperture(c, b->type, nonpref, lo, hi))
				continue;
			fb_path(c, i, path, sizeof(path));
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
			fb_path(c, i, path, sizeof(path));
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

/* The routing-dependent checks, once fixed BARs have their windows. */
static int fb_check_routes(struct fb_ctx *c)
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

/* ---- one attempt: which items take part, spans, compact blocks ---- */

static bool fb_in_space(const struct fb_ctx *c, int ki, int root)
{
	return c->conts[ki].space == root;
}

static bool fb_optional_active(const struct fb_ctx *c, const struct fb_item *it)
{
	if (!(it->flags & FB_OPTIONAL) || (it->flags & FB_EXACT))
		return true;
	/* a pinned device's unassigned I/O or ROM BAR stays unassigned */
	if (fb_pinned(c, it->dev, it->slot))
		return false;
	return !it->dropped;
}

static void fb_cont_keep(struct fb_ctx *c, struct fb_cont *k)
{
	const struct fixedbar_range *cur;

	k->keep = false;
	if (k->dev < 0 || c->softpin == FB_KEEP_NONE ||
	    (c->softpin == FB_KEEP_ALL &&
	     (c->unkeep_win[k->dev] & (1u << k->win))) ||
	    (c->softpin == FB_KEEP_UNAFFECTED &&
	     c->affected[fb_root_of(c, k->dev)]))
		return;
	cur = &fb_dev(c, k->dev)->br.cur[k->win];
	if (!cur->assigned || cur->end < cur->start)
		return;
	k->keep = true;
	k->klo = fb_align_down(cur->start, k->gran);
	k->khi = fb_align_down(cur->end, k->gran) + k->gran - 1;
}

static void fb_span_add(struct fb_cont *k, bool *any, u64 lo, u64 hi)
{
	if (!*any || lo < k->mlo)
		k->mlo = lo;
	if (!*any || hi > k->mhi)
		k->mhi = hi;
	*any = true;
}

/*
 * Packs a movable container: largest alignment first, from offset 0 (the
 * block starts aligned to its largest member), and also from the end down
 * (the block ends aligned, and may start anywhere on its granularity).
 */
static void fb_compact(struct fb_ctx *c, struct fb_cont *k, u64 (*v)[2])
{
	u64 off = 0, top = 0, align = k->gran, sum = 0;
	int i, n = 0;

	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		/*
		 * Descending alignment; within one alignment, the members that
		 * leave the least padding before the next one come first, so
		 * the one that wastes most goes last.
		 */
		v[n][0] = ~it->align;
		v[n][1] = (((it->align - (it->size & (it->align - 1))) &
			    (it->align - 1)) >>
			   10 << 32) |
			  (u32)c->kidv[k->first_kid + i];
		n++;
	}
	fb_sort_pairs(v, n);
	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		fb_align_up(off, it->align, &off);
		it->off = off;
		off += it->size;
		sum += it->size;
		/* the same order from the end down: distance from the end */
		fb_align_up(top + it->size, it->align, &top);
		it->off1 = top;
		if (it->align > align)
			align = it->align;
		if (it->flags & FB_BELOW4G && k->item >= 0)
			c->items[k->item].flags |= FB_BELOW4G;
	}
	if (!k->noreserve) {
		off += k->reserve;
		top += k->reserve;
		sum += k->reserve;
	}
	fb_align_up(sum, k->gran, &k->cmin);
	fb_align_up(off, k->gran, &k->csize);
	fb_align_up(top, k->gran, &k->csize1);
	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		it->off1 = k->csize1 - it->off1;
	}
	k->calign = align;
}

static void fb_activate_cont(struct fb_ctx *c, int ki, u64 (*scratch)[2])
{
	struct fb_cont *k = &c->conts[ki];
	bool any = false, busy = false;
	int i;

	fb_cont_keep(c, k);
	k->semifixed = k->keep;
	if (k->keep)
		fb_span_add(k, &any, k->klo, k->khi);
	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		busy = true;
		if (it->flags & FB_EXACT) {
			k->semifixed = true;
			fb_span_add(k, &any, it->xstart,
				    it->xstart + it->size - 1);
		} else if (it->cont >= 0 && c->conts[it->cont].semifixed) {
			k->semifixed = true;
			fb_span_add(k, &any, c->conts[it->cont].mlo,
				    c->conts[it->cont].mhi);
		}
	}
	k->active = busy || k->keep || (!k->noreserve && k->reserve) ||
		    ki <= FB_ROOT_MEM;
	if (k->semifixed && ki > FB_ROOT_MEM) {
		k->mlo = fb_align_down(k->mlo, k->gran);
		k->mhi = fb_align_down(k->mhi, k->gran) + k->gran - 1;
	} else if (ki > FB_ROOT_MEM) {
		fb_compact(c, k, scratch);
	}
	if (k->item >= 0) {
		struct fb_item *it = &c->items[k->item];

		it->active = k->active;
		it->size = k->csize;
		it->size1 = k->semifixed ? 0 : k->csize1;
		it->align = k->calign;
	}
}

static int fb_activate(struct fb_ctx *c, int root, u64 (*scratch)[2])
{
	int i;

	/* what takes part changes: every cached placement order too */
	if (++c->gen == 0) {
		memset(c->mov_gen, 0, 2 * c->nr_conts * sizeof(*c->mov_gen));
		c->gen = 1;
	}

	for (i = 0; i < c->nr_items; i++) {
		struct fb_item *it = &c->items[i];
		u64 s;

		if (!fb_in_space(c, it->owner, root))
			continue;
		it->placed = false;
		if (it->cont >= 0) {
			const struct fb_cont *k = &c->conts[it->cont];

			it->flags &= ~FB_BELOW4G;
			if (k->below4g)
				it->flags |= FB_BELOW4G;
			continue;
		}
		it->flags &= ~FB_EXACT;
		if (fb_item_exact(c, it, &s)) {
			it->flags |= FB_EXACT;
			it->xstart = s;
		}
		it->active = fb_optional_active(c, it);
	}
	/* children were created after their parents: walk backwards */
	for (i = c->nr_conts - 1; i >= 0; i--)
		if (fb_in_space(c, i, root))
			fb_activate_cont(c, i, scratch);
	return 0;
}

/* ---- placement ---- */

struct fb_frame {
	int k; /* container */
	bool root;
	u64 blo, bhi; /* bounds of the extent (bridge) */
	u64 cur_lo, cur_hi; /* extent so far (bridge) */
	int hbase, nholes; /* holes in c->holes[hbase ...] */
	u64 (*fp)[2]; /* fixed points: position, item */
	int nfp;
};

static void fb_set_fail(struct fb_ctx *c, int err, int subtree)
{
	c->err = err;
	c->p->nr_err_entries = 0;
	fb_add_subtree_entries(c, subtree);
}

static void fb_place_compact(struct fb_ctx *c, int ki, u64 start, int variant)
{
	struct fb_cont *k = &c->conts[ki];
	int i;

	k->lo = start;
	k->hi = start + (variant ? k->csize1 : k->csize) - 1;
	for (i = 0; i < k->nr_kids; i++) {
		struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active)
			continue;
		it->placed = true;
		it->variant = 0;
		it->start = start + (variant ? it->off1 : it->off);
		if (it->cont >= 0)
			fb_place_compact(c, it->cont, it->start, 0);
	}
}

static u64 fb_split(struct fb_ctx *c, struct fb_cont *k, u64 o, bool place,
		    u64 start);

/*
 * The anchor's member of a split packing with offset @o: its layout (@v:
 * 0 from its start, 1 toward its end, 2 split itself) and where the anchor
 * falls in it (@r <= @o), the one that leaves the least above the anchor.
 * Returns its size.
 */
static u64 fb_split_anchor(struct fb_ctx *c, const struct fb_item *it, u64 o,
			   int *v, u64 *r)
{
	u64 size = it->size, r1, sz;

	*v = 0;
	*r = 0;
	if (it->cont < 0 || !it->size1)
		return size;
	/* packed toward its end, its end is aligned: size1 mod align in */
	r1 = it->size1 & (it->align - 1);
	if (r1 <= o && it->size1 - r1 < size) {
		*v = 1;
		*r = r1;
		size = it->size1;
	}
	sz = o < it->align ? fb_split(c, &c->conts[it->cont], o, false, 0) : 0;
	if (sz && sz - o < size - *r) {
		*v = 2;
		*r = o;
		size = sz;
	}
	return size;
}

/*
 * A third packing of a movable container, split around an anchor: the
 * block starts @o bytes (0 < @o < calign) before an address aligned to its
 * largest alignment, the anchor.  The first member of that alignment
 * straddles the anchor as it can: packed from its start (the anchor is its
 * start), toward its end (a window whose end is aligned), or split itself
 * (a window starting at the block's start), whichever leaves the least
 * above the anchor.  The other members fill the room below it, largest
 * alignment first, each as close to it as it can go; the rest follow it in
 * the same order.  Returns the block's size, 0 on overflow; with @place,
 * places the members for a block at @start.
 */
static void fb_split_put(struct fb_ctx *c, struct fb_item *it, int v, u64 o,
			 u64 at)
{
	it->placed = true;
	it->variant = v;
	it->start = at;
	if (v == 2)
		fb_split(c, &c->conts[it->cont], o, true, at);
	else if (it->cont >= 0)
		fb_place_compact(c, it->cont, at, v);
}

/* Where @it ends closest below offset @lim (aligned modulo @o), or ~0. */
static u64 fb_split_below(const struct fb_item *it, u64 lim, u64 o)
{
	u64 pos;

	if (it->size > lim)
		return ~0ULL;
	pos = fb_align_down(lim - it->size - o, it->align) + o;
	return pos <= lim ? pos : ~0ULL;
}

static u64 fb_split(struct fb_ctx *c, struct fb_cont *k, u64 o, bool place,
		    u64 start)
{
	u64 lim = 0, above = 0, aligns = 0, size, pos, r, a, bpos = 0;
	struct fb_item *first = NULL, *best, *it;
	int i, lg, v;
	u32 g;

	if (++c->split_gen == 0) {
		for (i = 0; i < c->nr_items; i++)
			c->items[i].split_mark = 0;
		c->split_gen = 1;
	}
	g = c->split_gen;
	for (i = 0; i < k->nr_kids; i++) {
		it = &c->items[c->kidv[k->first_kid + i]];
		if (it->active)
			aligns |= 1ULL << __builtin_ctzll(it->align);
	}
	while (aligns) {
		lg = 63 - __builtin_clzll(aligns);
		aligns &= ~(1ULL << lg);
		a = 1ULL << lg;
		/* the anchor's member: the first of the largest alignment */
		for (i = 0; !first && i < k->nr_kids; i++) {
			it = &c->items[c->kidv[k->first_kid + i]];
			if (!it->active || it->align != a)
				continue;
			first = it;
			it->split_mark = g;
			size = fb_split_anchor(c, it, o, &v, &r);
			pos = o - r;
			lim = pos;
			above = pos + size;
			if (place)
				fb_split_put(c, it, v, o, start + pos);
		}
		/* the room below it: the largest that fits first */
		for (;;) {
			best = NULL;
			for (i = 0; i < k->nr_kids; i++) {
				it = &c->items[c->kidv[k->first_kid + i]];
				if (!it->active || it->align != a ||
				    it->split_mark == g)
					continue;
				pos = fb_split_below(it, lim, o);
				if (pos != ~0ULL &&
				    (!best || it->size > best->size)) {
					best = it;
					bpos = pos;
				}
			}
			if (!best)
				break;
			best->split_mark = g;
			lim = bpos;
			if (place)
				fb_split_put(c, best, 0, o, start + bpos);
		}
		/* the rest above it, in order */
		for (i = 0; i < k->nr_kids; i++) {
			it = &c->items[c->kidv[k->first_kid + i]];
			if (!it->active || it->align != a ||
			    it->split_mark == g)
				continue;
			it->split_mark = g;
			if (above > ~0ULL - it->align)
				return 0;
			pos = fb_align_up_to(above, it->align, o);
			if (pos > ~0ULL - it->size)
				return 0;
			above = pos + it->size;
			if (place)
				fb_split_put(c, it, 0, o, start + pos);
		}
	}
	size = above;
	if (!k->noreserve && size > ~0ULL - k->reserve)
		return 0;
	if (!k->noreserve)
		size += k->reserve;
	if (!fb_align_up(size, k->gran, &size))
		return 0;
	if (place) {
		k->lo = start;
		k->hi = start + size - 1;
	}
	return size;
}

/* The split packing's size for a window item starting at @start. */
static u64 fb_split_size(struct fb_ctx *c, const struct fb_item *it, u64 start)
{
	struct fb_cont *k = &c->conts[it->cont];

	return fb_split(c, k, (0 - start) & (k->calign - 1), false, 0);
}

/*
 * The first start in hole @h for the split packing of window item @it
 * (fb_split()), trying the first few granules of the hole; false if none.
 */
static bool fb_slot_split(struct fb_ctx *c, const struct fb_hole *h,
			  const struct fb_item *it, bool smallest, u64 *start)
{
	struct fb_cont *k;
	u64 s, a, o, size, best = 0;
	int step;

	if (it->cont < 0 || !it->size1)
		return false;
	k = &c->conts[it->cont];
	if (k->calign <= k->gran || !fb_align_up(h->lo, k->gran, &s))
		return false;
	for (step = 0;
	     step < FB_SPLIT_STEPS && s <= h->hi && h->hi - s >= k->cmin - 1;
	     step++) {
		if (!fb_align_up(s, k->calign, &a))
			return false;
		o = a - s;
		if (o) {
			size = fb_split(c, k, o, false, 0);
			if (size && size - 1 <= h->hi - s &&
			    (!(it->flags & FB_BELOW4G) ||
			     s + size - 1 < FIXEDBAR_4G) &&
			    (!best || size < best)) {
				*start = s;
				if (!smallest)
					return true;
				best = size;
			}
		}
		if (s > ~0ULL - k->gran)
			break;
		s += k->gran;
	}
	return best;
}

static u64 fb_item_size(const struct fb_item *it, int variant)
{
	return variant ? it->size1 : it->size;
}

static void fb_place_item(struct fb_ctx *c, struct fb_item *it, u64 start,
			  int variant)
{
	struct fb_cont *k = it->cont >= 0 ? &c->conts[it->cont] : NULL;

	it->placed = true;
	it->start = start;
	it->variant = variant;
	if (!k || k->semifixed)
		return;
	if (variant == 2)
		fb_split(c, k, (0 - start) & (k->calign - 1), true, start);
	else
		fb_place_compact(c, it->cont, start, variant);
}

static u64 fb_fp_end(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	if (it->flags & FB_EXACT)
		return it->xstart + it->size - 1;
	return c->conts[it->cont].hi;
}

static u64 fb_fp_start(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	if (it->flags & FB_EXACT)
		return it->xstart;
	return c->conts[it->cont].lo;
}

static const struct fixedbar_aperture *fb_ap(const struct fb_ctx *c, int i)
{
	return &c->t->apertures[i];
}

/* Does a root aperture accept this item? */
static bool fb_ap_ok(const struct fb_ctx *c, const struct fb_frame *f, int ap,
		     const struct fb_item *it)
{
	const struct fixedbar_aperture *a = fb_ap(c, ap);
	enum fixedbar_res_type type = f->k == FB_ROOT_IO ? FIXEDBAR_RES_IO :
							   FIXEDBAR_RES_MEM;

	return a->type == type && !(a->pref && (it->flags & FB_NONPREF));
}

/* Aperture that holds [lo, hi] for this item, or -1. */
static int fb_find_ap(const struct fb_ctx *c, const struct fb_frame *f,
		      const struct fb_item *it, u64 lo, u64 hi)
{
	u32 i;

	for (i = 0; i < c->t->nr_apertures; i++)
		if (fb_ap_ok(c, f, i, it) && lo >= fb_ap(c, i)->start &&
		    hi <= fb_ap(c, i)->end)
			return i;
	return -1;
}

static void fb_describe_cont(const struct fb_ctx *c, int ki, char *buf,
			     size_t len)
{
	const struct fb_cont *k = &c->conts[ki];
	char path[FIXEDBAR_PATH_LEN];

	if (k->dev < 0) {
		snprintf(buf, len, "the %s apertures of root bus %04x:%02x",
			 ki == FB_ROOT_IO ? "I/O" : "memory", c->t->segment,
			 c->t->root_bus);
		return;
	}
	fb_path(c, k->dev, path, sizeof(path));
	snprintf(buf, len, "%s of %s", fixedbar_win_name(k->win), path);
}

/* A fixed point as %pR prints it: a BAR, or the span a window must cover. */
static void fb_fmt_fp(const struct fb_ctx *c, const struct fb_item *it, u64 lo,
		      u64 hi, char *buf, size_t len)
{
	const struct fixedbar_dev *d = fb_dev(c, it->dev);
	int win;

	if (it->slot >= 0) {
		fixedbar_format_bar(buf, len, &d->bars[it->slot], lo);
		return;
	}
	win = c->conts[it->cont].win;
	fixedbar_format_res(buf, len,
			    win == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
						     FIXEDBAR_RES_MEM,
			    lo, hi, win == FIXEDBAR_WIN_PREF && d->br.pref64,
			    win == FIXEDBAR_WIN_PREF);
}

/* Gathers the fixed points of a container, sorted by start. */
static void fb_gather_points(struct fb_ctx *c, struct fb_frame *f)
{
	const struct fb_cont *k = &c->conts[f->k];
	int i;

	f->nfp = 0;
	for (i = 0; i < k->nr_kids; i++) {
		int idx = c->kidv[k->first_kid + i];
		const struct fb_item *it = &c->items[idx];

		if (!it->active)
			continue;
		if (it->flags & FB_EXACT)
			f->fp[f->nfp][0] = it->xstart;
		else if (it->cont >= 0 && c->conts[it->cont].semifixed)
			f->fp[f->nfp][0] = c->conts[it->cont].mlo;
		else
			continue;
		f->fp[f->nfp++][1] = idx;
	}
	fb_sort_pairs(f->fp, f->nfp);
}

/* The last address a fixed point covers. */
static u64 fb_point_end(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	return (it->flags & FB_EXACT) ? it->xstart + it->size - 1 :
					c->conts[it->cont].mhi;
}

/* Gathers and sorts the fixed points of a container; checks they are disjoint. */
static int fb_fixed_points(struct fb_ctx *c, struct fb_frame *f)
{
	int i;

	fb_gather_points(c, f);
	for (i = 1; i < f->nfp; i++) {
		const struct fb_item *a = &c->items[f->fp[i - 1][1]];
		const struct fb_item *b = &c->items[f->fp[i][1]];
		u64 aend = (a->flags & FB_EXACT) ? a->xstart + a->size - 1 :
						   c->conts[a->cont].mhi;
		char pa[FIXEDBAR_PATH_LEN], pb[FIXEDBAR_PATH_LEN], where[96];

		if (aend < f->fp[i][0])
			continue;
		char ra[FIXEDBAR_RES_LEN], rb[FIXEDBAR_RES_LEN];

		fb_path(c, a->dev, pa, sizeof(pa));
		fb_path(c, b->dev, pb, sizeof(pb));
		fb_describe_cont(c, f->k, where, sizeof(where));
		fb_fmt_fp(c, a, f->fp[i - 1][0], aend, ra, sizeof(ra));
		fb_fmt_fp(c, b, f->fp[i][0],
			  (b->flags & FB_EXACT) ? b->xstart + b->size - 1 :
						  c->conts[b->cont].mhi,
			  rb, sizeof(rb));
		snprintf(c->msg, sizeof(c->msg),
			 "%s %s %s and %s %s %s must both hold fixed BARs but would overlap in %s; fixed BARs below sibling bridges must lie in disjoint %s-aligned ranges",
			 pa,
			 fb_res_name(a->slot,
				     a->cont >= 0 ? c->conts[a->cont].win : 0),
			 ra, pb,
			 fb_res_name(b->slot,
				     b->cont >= 0 ? c->conts[b->cont].win : 0),
			 rb, where,
			 f->k == FB_ROOT_IO ||
					 c->conts[f->k].win == FIXEDBAR_WIN_IO ?
				 "window" :
				 "1MiB");
		fb_set_fail(c, -EBUSY, a->dev);
		c->fail_bridge = c->conts[f->k].dev;
		c->fail_kid[0] = a->dev;
		c->fail_kid[1] = b->dev;
		c->fail_pair[0] = a - c->items;
		c->fail_pair[1] = b - c->items;
		fb_add_subtree_entries(c, b->dev);
		return -EBUSY;
	}
	return 0;
}

static int fb_solve(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat);

/* Bounds for the i-th fixed point (a semi-fixed child window). */
static bool fb_kid_bounds(struct fb_ctx *c, struct fb_frame *f, int i, u64 *lo,
			  u64 *hi)
{
	const struct fb_item *it = &c->items[f->fp[i][1]];
	const struct fb_cont *kid = &c->conts[it->cont];
	u64 l, h, g = kid->gran;

	if (f->root) {
		int ap = fb_find_ap(c, f, it, kid->mlo, kid->mhi);

		if (ap < 0)
			return false;
		l = fb_ap(c, ap)->start;
		h = fb_ap(c, ap)->end;
	} else {
		l = f->blo;
		h = f->bhi;
	}
	if (i > 0 && fb_fp_end(c, f->fp[i - 1][1]) + 1 > l)
		l = fb_fp_end(c, f->fp[i - 1][1]) + 1;
	if (i + 1 < f->nfp && f->fp[i + 1][0] - 1 < h)
		h = f->fp[i + 1][0] - 1;
	if ((it->flags & FB_BELOW4G) && h > FIXEDBAR_4G - 1)
		h = FIXEDBAR_4G - 1;
	if (!fb_align_up(l, g, &l) || (h != ~0ULL && h + 1 < g))
		return false;
	h = fb_align_down(h + 1, g) - 1;
	*lo = l;
	*hi = h;
	return l <= kid->mlo && kid->mhi <= h;
}

static void fb_record_fail(struct fb_ctx *c, const struct fb_frame *f, int kind,
			   int item, int err)
{
	c->err = err;
	c->fail_kind = kind;
	c->fail_cont = f->k;
	c->fail_item = item;
	c->fail_bridge = c->conts[f->k].dev;
	/* a window that did not fit: its own routing may be what to change */
	c->fail_kid[0] = c->items[item].cont >= 0 ? c->items[item].dev : -1;
	c->fail_kid[1] = -1;
	c->fail_root = f->root;
	c->fail_blo = f->blo;
	c->fail_bhi = f->bhi;
}

static void fb_fail_mandatory(struct fb_ctx *c, struct fb_frame *f, int idx)
{
	fb_record_fail(c, f, FB_FAIL_SPAN, idx, f->root ? -EINVAL : -ENOSPC);
}

/* Places the semi-fixed children, searching growth directions. */
static int fb_solve_kids(struct fb_ctx *c, struct fb_frame *f, int first,
			 int (*place_rest)(struct fb_ctx *, struct fb_frame *))
{
	u8 *strat, *alt;
	int i = 0, n = f->nfp, err = 0;
	u64 lo, hi;

	strat = (u8 *)(f->fp + n); /* scratch after the fixed points */
	alt = strat + n;
	if (n)
		strat[0] = FB_UP;
	for (;;) {
		if (i == n) {
			err = place_rest(c, f);
			if (!err)
				return 0;
			if (err != -ENOSPC)
				return err;
			i--;
			goto next;
		}
		if (!(c->items[f->fp[i][1]].flags & FB_EXACT)) {
			if (!fb_kid_bounds(c, f, i, &lo, &hi)) {
				fb_fail_mandatory(c, f, f->fp[i][1]);
				err = c->err;
				alt[i] = 0;
			} else {
				int kc = c->items[f->fp[i][1]].cont;

				/* children first try the way their parent grows */
				err = fb_solve(c, kc, lo, hi, strat[i] ^ first);
				alt[i] = err || c->conts[kc].grew;
			}
			if (err && err != -ENOSPC)
				return err;
		} else {
			err = 0;
			alt[i] = 0;
		}
		if (!err) {
			if (++i < n)
				strat[i] = FB_UP;
			continue;
		}
next:
		while (i >= 0 && !(alt[i] && strat[i] + 1 < FB_NR_STRATS))
			i--;
		if (i < 0)
			return err ? err : -ENOSPC;
		strat[i]++;
		if (!c->budget--) {
			snprintf(c->msg, sizeof(c->msg),
				 "search limit reached placing windows with fixed BARs; the layout is too constrained");
			fb_set_fail(c, -ENOSPC, -1);
			c->fail_kind = FB_FAIL_NONE;
			return -ENOSPC;
		}
	}
}

static void fb_hole_add(struct fb_ctx *c, struct fb_frame *f, u64 lo, u64 hi,
			int ap)
{
	struct fb_hole *h;
	int i;

	if (hi < lo || c->nr_holes >= c->max_holes)
		return;
	/* keep holes sorted by address */
	for (i = f->nholes; i > 0; i--) {
		if (c->holes[f->hbase + i - 1].lo < lo)
			break;
		c->holes[f->hbase + i] = c->holes[f->hbase + i - 1];
	}
	h = &c->holes[f->hbase + i];
	h->lo = lo;
	h->hi = hi;
	h->ap = ap;
	f->nholes++;
	c->nr_holes++;
}

static void fb_hole_take(struct fb_ctx *c, struct fb_frame *f, int i, u64 lo,
			 u64 hi)
{
	struct fb_hole h = c->holes[f->hbase + i];

	memmove(&c->holes[f->hbase + i], &c->holes[f->hbase + i + 1],
		(f->nholes - i - 1) * sizeof(h));
	f->nholes--;
	c->nr_holes--;
	if (lo > h.lo)
		fb_hole_add(c, f, h.lo, lo - 1, h.ap);
	if (hi < h.hi)
		fb_hole_add(c, f, hi + 1, h.hi, h.ap);
}

/* Holes between fixed points inside [lo, hi]. */
static void fb_holes_between(struct fb_ctx *c, struct fb_frame *f, u64 lo,
			     u64 hi, int ap)
{
	u64 pos = lo;
	int i;

	for (i = 0; i < f->nfp; i++) {
		u64 s = fb_fp_start(c, f->fp[i][1]),
		    e = fb_fp_end(c, f->fp[i][1]);

		if (e < pos || s > hi)
			continue;
		if (s > pos)
			fb_hole_add(c, f, pos, s - 1, ap);
		if (e >= hi)
			return;
		pos = e + 1;
	}
	fb_hole_add(c, f, pos, hi, ap);
}

static inline bool fb_slot_v(const struct fb_hole *h, const struct fb_item *it,
			     int variant, u64 *start)
{
	u64 p, end, size = fb_item_size(it, variant);

	if (!size)
		return false;
	if (variant) {
		/* the block's end is aligned, its start need not be */
		if (h->lo > ~0ULL - size ||
		    !fb_align_up(h->lo + size, it->align, &p))
			return false;
		p -= size;
	} else if (!fb_align_up(h->lo, it->align, &p)) {
		return false;
	}
	end = p + size - 1;
	if (p < h->lo || end < p || end > h->hi)
		return false;
	if ((it->flags & FB_BELOW4G) && end >= FIXEDBAR_4G)
		return false;
	*start = p;
	return true;
}

static bool fb_slot_in(const struct fb_hole *h, const struct fb_item *it,
		       u64 *start, int *variant)
{
	u64 p0 = 0, p1 = 0;
	bool ok0 = fb_slot_v(h, it, 0, &p0);
	bool ok1 = fb_slot_v(h, it, 1, &p1);

	if (!ok0 && !ok1)
		return false;
	*variant = !ok0 || (ok1 && p1 < p0);
	*start = *variant ? p1 : p0;
	return true;
}

/*
 * First fit in the holes.  At the root, 64-bit items prefer space above
 * 4 GiB and prefetchable ones prefetchable apertures, to leave the scarce
 * 32-bit non-prefetchable space to those that need it.
 */
static int fb_fit_hole(struct fb_ctx *c, struct fb_frame *f,
		       const struct fb_item *it, bool split, u64 *start,
		       int *variant)
{
	int pass, i;

	for (pass = 0; pass < 4; pass++) {
		bool want_high = !(pass & 2) && !(it->flags & FB_BELOW4G);
		bool want_pref = !(pass & 1) && (it->flags & FB_PREFOK);

		if (!f->root && pass)
			break;
		for (i = 0; i < f->nholes; i++) {
			const struct fb_hole *h = &c->holes[f->hbase + i];

			if (f->root) {
				if (!fb_ap_ok(c, f, h->ap, it))
					continue;
				if (want_high && h->hi < FIXEDBAR_4G)
					continue;
				if (want_pref && !fb_ap(c, h->ap)->pref)
					continue;
			}
			if (split ? fb_slot_split(c, h, it, false, start) :
				    fb_slot_in(h, it, start, variant))
				return i;
		}
	}
	return -1;
}

/* Where the item would go growing the extent; false if out of bounds. */
/*
 * Free space at the edge of the extent counts: an item grown past the edge
 * may start (or end) in the hole that touches it.
 */
static u64 fb_grow_base(const struct fb_ctx *c, const struct fb_frame *f,
			int dir)
{
	const struct fb_hole *h;

	if (!f->nholes)
		return dir == FB_UP ? f->cur_hi + 1 : f->cur_lo;
	if (dir == FB_UP) {
		h = &c->holes[f->hbase + f->nholes - 1];
		return h->hi == f->cur_hi ? h->lo : f->cur_hi + 1;
	}
	h = &c->holes[f->hbase];
	return h->lo == f->cur_lo ? h->hi + 1 : f->cur_lo;
}

/* Where the item would go growing the extent; false if out of bounds. */
static bool fb_grow_at(const struct fb_ctx *c, const struct fb_frame *f,
		       const struct fb_item *it, int dir, int variant,
		       u64 *start)
{
	u64 p, end, lim = f->bhi, size = fb_item_size(it, variant);
	u64 base = fb_grow_base(c, f, dir);

	if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
		lim = FIXEDBAR_4G - 1;
	if (!size)
		return false;
	if (dir == FB_UP) {
		/* base: the lowest free address the item may start at */
		if (base > ~0ULL - size)
			return false;
		if (variant) {
			if (!fb_align_up(base + size, it->align, &p))
				return false;
			p -= size;
		} else if (!fb_align_up(base, it->align, &p)) {
			return false;
		}
		if (p + size - 1 <= f->cur_hi)
			return false; /* that would fit a hole: not growth */
	} else {
		/* base: the item must end below it */
		if (variant)
			p = fb_align_down(base, it->align);
		else
			p = base;
		if (p < size)
			return false;
		p = variant ? p - size : fb_align_down(p - size, it->align);
		if (p >= f->cur_lo)
			return false;
	}
	end = p + size - 1;
	if (p < f->blo || end < p || end > lim)
		return false;
	*start = p;
	return true;
}

/* Takes [lo, hi] out of the holes it overlaps. */
static void fb_holes_take_range(struct fb_ctx *c, struct fb_frame *f, u64 lo,
				u64 hi)
{
	int i;

	for (i = 0; i < f->nholes; i++) {
		const struct fb_hole *h = &c->holes[f->hbase + i];

		if (h->hi < lo || h->lo > hi)
			continue;
		fb_hole_take(c, f, i, lo > h->lo ? lo : h->lo,
			     hi < h->hi ? hi : h->hi);
		i = -1; /* the list changed: look again */
	}
}

/*
 * Where a movable window packed split around an anchor (fb_split()) would
 * go growing the extent, and its size: the offset of the anchor that grows
 * the extent least among the first few granules; false if none fits.
 */
static bool fb_grow_split(struct fb_ctx *c, const struct fb_frame *f,
			  const struct fb_item *it, int dir, u64 *start,
			  u64 *size)
{
	u64 base = fb_grow_base(c, f, dir), lim = f->bhi, o, sz, s;
	bool found = false;
	struct fb_cont *k;
	int step;

	if (it->cont < 0 || !it->size1)
		return false;
	k = &c->conts[it->cont];
	if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
		lim = FIXEDBAR_4G - 1;
	/* no packing is smaller than its members: is there room at all? */
	if (dir == FB_UP ? base > lim || lim - base < k->cmin - 1 :
			   base < f->blo || base - f->blo < k->cmin)
		return false;
	for (step = 1; step <= FB_SPLIT_STEPS; step++) {
		o = step * k->gran;
		if (o >= k->calign)
			break;
		sz = fb_split(c, k, o, false, 0);
		if (!sz)
			continue;
		if (dir == FB_UP) {
			/* the first start after base with start + o aligned */
			if (base > ~0ULL - o - k->calign)
				break;
			s = fb_align_up_to(base, k->calign, 0 - o);
			if (s > ~0ULL - sz || s + sz - 1 <= f->cur_hi)
				continue;
		} else {
			/* the last start whose block ends below base */
			if (base < sz)
				continue;
			s = fb_align_down(base - sz + o, k->calign) - o;
			if (s > base - sz || s >= f->cur_lo)
				continue;
		}
		if (s < f->blo || s + sz - 1 > lim || s + sz - 1 < s)
			continue;
		if (found &&
		    (dir == FB_UP ? s + sz >= *start + *size : s <= *start))
			continue;
		found = true;
		*start = s;
		*size = sz;
	}
	return found;
}

/* The extent grows to take [@start, @end], past its edge in direction @dir. */
static void fb_grow_apply(struct fb_ctx *c, struct fb_frame *f, int dir,
			  u64 start, u64 end)
{
	struct fb_hole *edge;

	fb_holes_take_range(c, f, start, end);
	/* the room left between: one hole with a free edge it touches */
	if (dir == FB_UP) {
		edge = f->nholes ? &c->holes[f->hbase + f->nholes - 1] : NULL;
		if (start > f->cur_hi + 1) {
			if (edge && edge->hi == f->cur_hi)
				edge->hi = start - 1;
			else
				fb_hole_add(c, f, f->cur_hi + 1, start - 1, -1);
		}
		f->cur_hi = end;
	} else {
		edge = f->nholes ? &c->holes[f->hbase] : NULL;
		if (end + 1 < f->cur_lo) {
			if (edge && edge->lo == f->cur_lo)
				edge->lo = end + 1;
			else
				fb_hole_add(c, f, end + 1, f->cur_lo - 1, -1);
		}
		f->cur_lo = start;
	}
}

static bool fb_grow(struct fb_ctx *c, struct fb_frame *f,
		    const struct fb_item *it, int dir, u64 *start, int *variant)
{
	u64 p0 = 0, p1 = 0, end, size2 = 0;
	bool ok0 = fb_grow_at(c, f, it, dir, 0, &p0);
	bool ok1 = fb_grow_at(c, f, it, dir, 1, &p1);

	if (!ok0 && !ok1) {
		/* neither packing fits: a window split around an anchor */
		if (!fb_grow_split(c, f, it, dir, start, &size2))
			return false;
		*variant = 2;
		end = *start + size2 - 1;
	} else {
		/* the variant that grows the extent least */
		if (dir == FB_UP)
			*variant = !ok0 ||
				   (ok1 && p1 + it->size1 < p0 + it->size);
		else
			*variant = !ok0 || (ok1 && p1 > p0);
		*start = *variant ? p1 : p0;
		end = *start + fb_item_size(it, *variant) - 1;
	}
	fb_grow_apply(c, f, dir, *start, end);
	return true;
}

static void fb_fail_item(struct fb_ctx *c, struct fb_frame *f,
			 const struct fb_item *it)
{
	fb_record_fail(c, f, FB_FAIL_ITEM, it - c->items, -ENOSPC);
}

/* Turns the recorded placement failure into the one-line message. */
static void fb_format_fail(struct fb_ctx *c)
{
	char path[FIXEDBAR_PATH_LEN], res[FIXEDBAR_RES_LEN], where[96];
	const struct fb_item *it;
	const char *name;

	if (c->fail_kind == FB_FAIL_NONE || c->fail_item < 0)
		return;
	it = &c->items[c->fail_item];
	name = fb_res_name(it->slot,
			   it->cont >= 0 ? c->conts[it->cont].win : 0);
	fb_describe_cont(c, c->fail_cont, where, sizeof(where));
	fb_path(c, it->dev, path, sizeof(path));
	if (c->fail_kind == FB_FAIL_SPAN) {
		const struct fb_cont *kid = &c->conts[it->cont];

		snprintf(c->msg, sizeof(c->msg),
			 "%s %s must span [%#llx-%#llx] to hold its fixed BARs, which does not fit in %s; move the fixed BARs so one window can hold them",
			 path, name, (unsigned long long)kid->mlo,
			 (unsigned long long)kid->mhi, where);
		fb_set_fail(c, c->err, it->dev);
		return;
	}
	if (c->fail_kind == FB_FAIL_RESERVE) {
		snprintf(c->msg, sizeof(c->msg),
			 "%s %s: no room for its hotplug reserve", path, name);
	} else {
		fb_fmt_size(c, it, res, sizeof(res));
		if (c->fail_root)
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s %s: no space left in %s%s; enlarge the VM's PCI window%s",
				 path, name, res, where,
				 c->t->nr_entries ? " beside the fixed BARs" :
						    "",
				 c->t->nr_entries ? " or fix fewer BARs" : "");
		else
			snprintf(c->msg, sizeof(c->msg),
				 "%s %s %s: no space in %s, which may grow only within [%#llx-%#llx] around its fixed BARs",
				 path, name, res, where,
				 (unsigned long long)c->fail_blo,
				 (unsigned long long)c->fail_bhi);
	}
	fb_set_fail(c, c->err, c->conts[c->fail_cont].dev);
}

/*
 * Movable items of the frame's container, in placement order: largest
 * alignment first, or with @by_size largest size first.
 */
/* 63 bits: smaller for a larger alignment, then for a larger size */
static u64 fb_align_key(const struct fb_item *it)
{
	const u64 m = (1ULL << 56) - 1;
	int lg = __builtin_ctzll(it->align);
	u64 units = it->size >> lg;

	return (u64)(63 - lg) << 56 | (m - (units < m ? units : m));
}

static int fb_movables(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
		       bool by_size)
{
	const struct fb_cont *k = &c->conts[f->k];
	int *order = c->mov[by_size] + k->first_kid;
	int i, n = 0, ci = 2 * f->k + by_size;

	/* the same attempt places a container many times: sort it once */
	if (c->mov_gen[ci] == c->gen) {
		n = c->mov_n[ci];
		for (i = 0; i < n; i++)
			v[i][1] = (u32)order[i];
		return n;
	}
	for (i = 0; i < k->nr_kids; i++) {
		int idx = c->kidv[k->first_kid + i];
		const struct fb_item *it = &c->items[idx];

		if (!it->active || (it->flags & FB_EXACT) ||
		    (it->cont >= 0 && c->conts[it->cont].semifixed))
			continue;
		/*
		 * Required before optional, then largest alignment, and within
		 * one alignment largest size (VF BARs and packed windows span
		 * several alignment units): the classic decreasing order, in
		 * which largest-first hole filling wastes nothing.
		 */
		v[n][0] = ((u64) !!(it->flags & FB_OPTIONAL) << 63) |
			  (by_size ? ~it->size >> 1 : fb_align_key(it));
		v[n][1] = ((u64)(~it->size >> 40) << 32) | (u32)idx;
		n++;
	}
	fb_sort_pairs(v, n);
	for (i = 0; i < n; i++)
		order[i] = (int)(u32)v[i][1];
	c->mov_n[ci] = n;
	c->mov_gen[ci] = c->gen;
	return n;
}

static bool fb_place_in_hole(struct fb_ctx *c, struct fb_frame *f,
			     struct fb_item *it)
{
	u64 start, size;
	int variant = 0, h = fb_fit_hole(c, f, it, false, &start, &variant);

	if (h >= 0) {
		fb_hole_take(c, f, h, start,
			     start + fb_item_size(it, variant) - 1);
		fb_place_item(c, it, start, variant);
		return true;
	}
	/* a movable window neither packing fits: split around an anchor */
	if (it->cont < 0 || !it->size1)
		return false;
	h = fb_fit_hole(c, f, it, true, &start, &variant);
	if (h < 0)
		return false;
	size = fb_split_size(c, it, start);
	fb_hole_take(c, f, h, start, start + size - 1);
	fb_place_item(c, it, start, 2);
	return true;
}

static bool fb_place_growing(struct fb_ctx *c, struct fb_frame *f,
			     struct fb_item *it, int strat)
{
	u64 start;
	int variant = 0;

	if (!fb_grow(c, f, it, strat, &start, &variant) &&
	    !fb_grow(c, f, it, !strat, &start, &variant))
		return false;
	fb_place_item(c, it, start, variant);
	return true;
}

/*
 * Movable items, largest alignment first: into the holes, else (in a
 * bridge window) growing the extent.  With @grow_small_first, whatever the
 * holes cannot take grows the extent smallest alignment first instead: from
 * an unaligned edge that wastes no padding next to the fixed BARs.
 */
static int fb_place_movables(struct fb_ctx *c, struct fb_frame *f, int strat,
			     bool grow_small_first, bool by_size)
{
	u64(*v)[2] = f->fp + f->nfp + (f->nfp + 7) / 8 + 1;
	int i, n = fb_movables(c, f, v, by_size), left = 0;

	for (i = 0; i < n; i++) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		if (fb_place_in_hole(c, f, it))
			continue;
		if (grow_small_first && !f->root) {
			v[left++][1] = v[i][1]; /* grown below, in reverse */
			continue;
		}
		if (f->root || !fb_place_growing(c, f, it, strat)) {
			fb_fail_item(c, f, it);
			return -ENOSPC;
		}
	}
	for (i = left - 1; i >= 0; i--) {
		struct fb_item *it = &c->items[(u32)v[i][1]];

		if (!fb_place_in_hole(c, f, it) &&
		    !fb_place_growing(c, f, it, strat)) {
			fb_fail_item(c, f, it);
			return -ENOSPC;
		}
	}
	return 0;
}

/* A recorded placement failure, kept while a search tries again. */
struct fb_failrec {
	int err, kind, cont, item, bridge, kid[2];
	bool root;
	u64 blo, bhi;
};

static void fb_fail_save(const struct fb_ctx *c, struct fb_failrec *r)
{
	r->err = c->err;
	r->kind = c->fail_kind;
	r->cont = c->fail_cont;
	r->item = c->fail_item;
	r->bridge = c->fail_bridge;
	r->kid[0] = c->fail_kid[0];
	r->kid[1] = c->fail_kid[1];
	r->root = c->fail_root;
	r->blo = c->fail_blo;
	r->bhi = c->fail_bhi;
}

static void fb_fail_restore(struct fb_ctx *c, const struct fb_failrec *r)
{
	c->err = r->err;
	c->fail_kind = r->kind;
	c->fail_cont = r->cont;
	c->fail_item = r->item;
	c->fail_bridge = r->bridge;
	c->fail_kid[0] = r->kid[0];
	c->fail_kid[1] = r->kid[1];
	c->fail_root = r->root;
	c->fail_blo = r->blo;
	c->fail_bhi = r->bhi;
}

/* Does hole @h suit @it in pass @pass of fb_fit_hole()? */
static bool fb_hole_pass_ok(const struct fb_ctx *c, const struct fb_frame *f,
			    const struct fb_hole *h, const struct fb_item *it,
			    int pass)
{
	bool want_high = !(pass & 2) && !(it->flags & FB_BELOW4G);
	bool want_pref = !(pass & 1) && (it->flags & FB_PREFOK);

	/* a bridge window's holes: one pass, all of them */
	if (!f->root)
		return !pass;
	return fb_ap_ok(c, f, h->ap, it) &&
	       !(want_high && h->hi < FIXEDBAR_4G) &&
	       !(want_pref && !fb_ap(c, h->ap)->pref);
}

/*
 * The next candidate for placing @it in a hole of frame @f (the root's or a
 * semi-fixed window's), from cursor @cur on
 * (pass, hole, kind; the caller steps past it to get the one after): the
 * holes in the order fb_fit_hole() prefers them, in each the lowest start
 * of each packing, the highest start of the first, the split packing at
 * its lowest start and at its smallest size.  False past the last.
 */
#define FB_HOLE_KINDS 5
static bool fb_hole_cand(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int *cur, int *hole,
			 u64 *start, int *variant, u64 *size)
{
	const struct fb_hole *h;
	int pass, i, v, nh = f->nholes;
	u64 p = 0, p0 = 0, p0s;
	bool ok0;

	for (pass = *cur / FB_HOLE_KINDS / nh; pass < 4; pass++) {
		for (i = pass == *cur / FB_HOLE_KINDS / nh ?
				 *cur / FB_HOLE_KINDS % nh :
				 0;
		     i < nh; i++) {
			h = &c->holes[f->hbase + i];
			c->place_search++;
			if (!fb_hole_pass_ok(c, f, h, it, pass) ||
			    (pass && fb_hole_pass_ok(c, f, h, it, pass - 1)))
				continue;
			ok0 = fb_slot_v(h, it, 0, &p0);
			v = (pass * nh + i) * FB_HOLE_KINDS <= *cur ?
				    *cur % FB_HOLE_KINDS :
				    0;
			for (; v < FB_HOLE_KINDS; v++) {
				if (v == 0 && !ok0)
					continue;
				if (v == 1 &&
				    (!it->size1 || !fb_slot_v(h, it, 1, &p) ||
				     (ok0 && p == p0)))
					continue;
				if (v == 2) {
					/* the highest aligned start */
					if (!ok0 ||
					    h->hi - h->lo + 1 < it->size)
						continue;
					p = fb_align_down(h->hi - it->size + 1,
							  it->align);
					if (p <= p0 ||
					    ((it->flags & FB_BELOW4G) &&
					     p + it->size - 1 >= FIXEDBAR_4G))
						continue;
				}
				if (v == 3 &&
				    !fb_slot_split(c, h, it, false, &p))
					continue;
				/* the split packing of the smallest size */
				if (v == 4 &&
				    (!fb_slot_split(c, h, it, true, &p) ||
				     !fb_slot_split(c, h, it, false, &p0s) ||
				     p == p0s))
					continue;
				*cur = (pass * nh + i) * FB_HOLE_KINDS + v;
				*hole = i;
				*start = v == 0 ? p0 : p;
				*variant = v >= 3 ? 2 : v == 2 ? 0 : v;
				*size = *variant == 2 ?
						fb_split_size(c, it, *start) :
						fb_item_size(it, *variant);
				return true;
			}
		}
	}
	return false;
}

/* Undoes fb_hole_take() of [@lo, @hi] from hole @h, which was number @i. */
static void fb_hole_untake(struct fb_ctx *c, struct fb_frame *f, int i,
			   const struct fb_hole *h, u64 lo, u64 hi)
{
	int k = (lo > h->lo) + (hi < h->hi);

	memmove(&c->holes[f->hbase + i + 1], &c->holes[f->hbase + i + k],
		(f->nholes - i - k) * sizeof(*h));
	c->holes[f->hbase + i] = *h;
	f->nholes += 1 - k;
	c->nr_holes += 1 - k;
}

/*
 * Bytes of [@lo, @hi] in aperture @ap by what may use them: [0] any item,
 * [1] the part below 4 GiB, [2] non-prefetchable items, [3] both.
 */
static void fb_room(const struct fb_ctx *c, int ap, u64 lo, u64 hi, u64 *room)
{
	u64 all = hi - lo + 1, low = lo >= FIXEDBAR_4G ? 0 :
				     hi < FIXEDBAR_4G  ? all :
							 FIXEDBAR_4G - lo;
	bool np = ap >= 0 && !fb_ap(c, ap)->pref;

	room[0] = all;
	room[1] = low;
	room[2] = np ? all : 0;
	room[3] = np ? low : 0;
}

static bool fb_room_short(const u64 *need, const u64 *room)
{
	return need[0] > room[0] || need[1] > room[1] || need[2] > room[2] ||
	       need[3] > room[3];
}

static void fb_room_add(u64 *room, const u64 *x, bool sub)
{
	int i;

	for (i = 0; i < 4; i++)
		room[i] = sub ? room[i] - x[i] : room[i] + x[i];
}

/*
 * Backtracking over the root's movables (@n of them, in placement order in
 * @v) when first fit leaves one without room: each tries every candidate of
 * fb_hole_cand() in turn, as long as what is left could still fit in the
 * free bytes (fb_room()), until it has looked at FB_PLACE_SEARCH_STEPS holes
 * (and FB_PLACE_SEARCH_TOTAL in the whole plan).  Siblings at the root are where a first
 * fit most often takes the only slot a later item could use.
 */
static bool fb_root_search(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
			   int n)
{
	struct fb_hole *orig = fixedbar_zalloc((n + 1) * sizeof(*orig));
	int *ci = fixedbar_zalloc((n + 1) * sizeof(*ci));
	int *hi = fixedbar_zalloc((n + 1) * sizeof(*hi));
	u64 *at = fixedbar_zalloc((n + 1) * sizeof(*at));
	u64 *sz = fixedbar_zalloc((n + 1) * sizeof(*sz));
	u64(*rest)[4] = fixedbar_zalloc((n + 1) * sizeof(*rest));
	u64 room[4] = { 0 }, x[4], start, size;
	u32 first = c->place_search;
	bool found = false;
	int d, i, variant;

	if (!orig || !ci || !hi || !at || !sz || !rest)
		goto out;
	for (i = 0; i < f->nholes; i++) {
		const struct fb_hole *h = &c->holes[f->hbase + i];

		fb_room(c, h->ap, h->lo, h->hi, x);
		fb_room_add(room, x, false);
	}
	/*
	 * What items d.. need at least (a window: its members' sum), in all,
	 * below 4 GiB, in non-prefetchable apertures, both.
	 */
	for (i = n - 1; i >= 0; i--) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];
		u64 need = it->size1 ? c->conts[it->cont].cmin : it->size;
		bool low = it->flags & FB_BELOW4G, np = it->flags & FB_NONPREF;

		memcpy(rest[i], rest[i + 1], sizeof(rest[i]));
		rest[i][0] += need;
		rest[i][1] += low ? need : 0;
		rest[i][2] += np ? need : 0;
		rest[i][3] += low && np ? need : 0;
	}
	d = 0;
	while (d >= 0) {
		struct fb_item *it;

		if (d == n) {
			found = true;
			break;
		}
		it = &c->items[(u32)v[d][1]];
		if (fb_room_short(rest[d], room) ||
		    c->place_search - first >= FB_PLACE_SEARCH_STEPS ||
		    c->place_search >= FB_PLACE_SEARCH_TOTAL ||
		    c->nr_holes + 2 > c->max_holes || !f->nholes ||
		    !fb_hole_cand(c, f, it, &ci[d], &hi[d], &start, &variant,
				  &size)) {
			if (c->place_search - first >= FB_PLACE_SEARCH_STEPS ||
			    c->place_search >= FB_PLACE_SEARCH_TOTAL)
				break;
			/* back: undo the level above, try its next candidate */
			ci[d] = 0;
			if (--d < 0)
				break;
			fb_hole_untake(c, f, hi[d], &orig[d], at[d],
				       at[d] + sz[d] - 1);
			fb_room(c, orig[d].ap, at[d], at[d] + sz[d] - 1, x);
			fb_room_add(room, x, false);
			ci[d]++;
			continue;
		}
		if (!size) {
			ci[d]++;
			continue;
		}
		orig[d] = c->holes[f->hbase + hi[d]];
		at[d] = start;
		sz[d] = size;
		fb_hole_take(c, f, hi[d], start, start + size - 1);
		fb_room(c, orig[d].ap, start, start + size - 1, x);
		fb_room_add(room, x, true);
		fb_place_item(c, it, start, variant);
		ci[++d] = 0;
	}
out:
	fixedbar_free(orig);
	fixedbar_free(ci);
	fixedbar_free(hi);
	fixedbar_free(at);
	fixedbar_free(sz);
	fixedbar_free(rest);
	return found;
}

static void fb_place_root_once_holes(struct fb_ctx *c, struct fb_frame *f)
{
	u32 a;

	c->nr_holes = f->hbase;
	f->nholes = 0;
	for (a = 0; a < c->t->nr_apertures; a++) {
		const struct fixedbar_aperture *ap = fb_ap(c, a);

		if (ap->type !=
		    (f->k == FB_ROOT_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM))
			continue;
		fb_holes_between(c, f, ap->start, ap->end, a);
	}
}

static int fb_place_root_once(struct fb_ctx *c, struct fb_frame *f)
{
	fb_place_root_once_holes(c, f);
	return fb_place_movables(c, f, FB_UP, false, false);
}

/*
 * The root's movables, first fit; if one finds no room, a backtracking
 * search over all of them (fb_root_search()).  A failure reports first
 * fit's.
 */
static int fb_place_root(struct fb_ctx *c, struct fb_frame *f)
{
	u64(*v)[2] = f->fp + f->nfp + (f->nfp + 7) / 8 + 1;
	int err = fb_place_root_once(c, f), n;
	struct fb_failrec first;

	if (err != -ENOSPC || c->exhausted)
		return err;
	fb_fail_save(c, &first);
	/* the holes as first fit found them, the movables in its order */
	fb_place_root_once_holes(c, f);
	n = fb_movables(c, f, v, false);
	if (fb_root_search(c, f, v, n))
		return 0;
	fb_fail_restore(c, &first);
	return err;
}

static u64 fb_free_bytes(const struct fb_ctx *c, const struct fb_frame *f)
{
	u64 sum = 0;
	int i;

	for (i = 0; i < f->nholes; i++)
		sum += c->holes[f->hbase + i].hi - c->holes[f->hbase + i].lo +
		       1;
	return sum;
}

/* Grows the extent until it holds the hotplug reserve beyond its content. */
static int fb_place_reserve(struct fb_ctx *c, struct fb_frame *f, int strat)
{
	struct fb_cont *k = &c->conts[f->k];
	u64 lo = fb_align_down(f->cur_lo, k->gran);
	u64 hi = fb_align_down(f->cur_hi, k->gran) + k->gran - 1;
	u64 have = fb_free_bytes(c, f) + (f->cur_lo - lo) + (hi - f->cur_hi);
	struct fb_item dummy;
	int variant;
	u64 start;

	f->cur_lo = lo;
	f->cur_hi = hi;
	if (k->noreserve || have >= k->reserve)
		return 0;
	memset(&dummy, 0, sizeof(dummy));
	fb_align_up(k->reserve - have, k->gran, &dummy.size);
	dummy.align = k->gran;
	if (fb_grow(c, f, &dummy, strat, &start, &variant) ||
	    fb_grow(c, f, &dummy, !strat, &start, &variant))
		return 0;
	fb_record_fail(c, f, FB_FAIL_RESERVE, k->item, -ENOSPC);
	return -ENOSPC;
}

/* The frame of a semi-fixed window before any movable: its fixed points. */
static void fb_bridge_frame_reset(struct fb_ctx *c, struct fb_frame *f)
{
	struct fb_cont *k = &c->conts[f->k];
	int i;

	c->nr_holes = f->hbase;
	f->nholes = 0;
	f->cur_lo = k->mlo;
	f->cur_hi = k->mhi;
	for (i = 0; i < f->nfp; i++) {
		u64 s = fb_fp_start(c, f->fp[i][1]),
		    e = fb_fp_end(c, f->fp[i][1]);

		if (s < f->cur_lo)
			f->cur_lo = s;
		if (e > f->cur_hi)
			f->cur_hi = e;
	}
	fb_holes_between(c, f, f->cur_lo, f->cur_hi, -1);
}

static int fb_place_bridge_done(struct fb_ctx *c, struct fb_frame *f, int strat)
{
	struct fb_cont *k = &c->conts[f->k];
	int err = fb_place_reserve(c, f, strat);

	if (err)
		return err;
	k->lo = f->cur_lo;
	k->hi = f->cur_hi;
	k->grew = k->lo != k->mlo || k->hi != k->mhi;
	return 0;
}

static int fb_place_bridge_order(struct fb_ctx *c, struct fb_frame *f,
				 int strat, bool grow_small_first, bool by_size)
{
	int err;

	fb_bridge_frame_reset(c, f);
	err = fb_place_movables(c, f, strat, grow_small_first, by_size);
	return err ? err : fb_place_bridge_done(c, f, strat);
}

/*
 * Growth candidate @g (< FB_GROW_KINDS) of @it: next to the extent up,
 * then down, in each packing; then as far from it as the bounds allow,
 * down and up (the room between becomes a hole).
 */
#define FB_GROW_KINDS 8
static bool fb_grow_cand(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int g, int *dir, u64 *start,
			 int *variant, u64 *size)
{
	u64 lim = f->bhi, p;

	if (g >= 6) {
		*dir = g == 6 ? FB_DOWN : FB_UP;
		*variant = 0;
		*size = it->size;
		if ((it->flags & FB_BELOW4G) && lim > FIXEDBAR_4G - 1)
			lim = FIXEDBAR_4G - 1;
		if (!it->size || lim < f->blo || lim - f->blo < it->size - 1)
			return false;
		if (g == 6) {
			if (!fb_align_up(f->blo, it->align, &p) ||
			    p > lim - (it->size - 1) ||
			    p + it->size - 1 >= f->cur_lo)
				return false;
		} else {
			p = fb_align_down(lim - (it->size - 1), it->align);
			if (p < f->blo || p <= f->cur_hi)
				return false;
		}
		*start = p;
		return true;
	}
	*dir = g < 3 ? FB_UP : FB_DOWN;
	*variant = g % 3;
	if (*variant == 2)
		return fb_grow_split(c, f, it, *dir, start, size);
	*size = fb_item_size(it, *variant);
	return fb_grow_at(c, f, it, *dir, *variant, start);
}

/*
 * Backtracking over a semi-fixed window's movables (@n of them, in
 * placement order in @v) when the placement orders above all leave one
 * without room: each tries every candidate of fb_hole_cand() in turn, then
 * those of fb_grow_cand(), as long as what is left
 * could still fit in the holes and the room to grow, until it has looked
 * at FB_PLACE_SEARCH_STEPS candidates (and FB_PLACE_SEARCH_TOTAL in the
 * whole plan).  Each level keeps a copy of the frame to go back to.
 */
static bool fb_bridge_search(struct fb_ctx *c, struct fb_frame *f, u64 (*v)[2],
			     int n)
{
	int nh = f->nholes + 2 * n + 4, d, i, variant, dir = FB_UP, nc;
	struct fb_hole *snap = fixedbar_zalloc((n + 1) * nh * sizeof(*snap));
	int *ci = fixedbar_zalloc((n + 1) * sizeof(*ci));
	int *cnt = fixedbar_zalloc((n + 1) * sizeof(*cnt));
	u64 *lo = fixedbar_zalloc((n + 1) * sizeof(*lo));
	u64 *hi = fixedbar_zalloc((n + 1) * sizeof(*hi));
	u64 *rest = fixedbar_zalloc((n + 1) * sizeof(*rest));
	u32 first = c->place_search;
	u64 start, size, room;
	bool found = false, ok;
	int h;

	if (!snap || !ci || !cnt || !lo || !hi || !rest ||
	    c->nr_holes + 2 * n + 4 > c->max_holes)
		goto out;
	for (i = n - 1; i >= 0; i--) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];

		rest[i] = rest[i + 1] +
			  (it->size1 ? c->conts[it->cont].cmin : it->size);
	}
	d = 0;
	ci[0] = 0;
	for (;;) {
		struct fb_item *it;

		if (ci[d] == 0) {
			/* first visit of this level: keep the frame */
			memcpy(&snap[d * nh], &c->holes[f->hbase],
			       f->nholes * sizeof(*snap));
			cnt[d] = f->nholes;
			lo[d] = f->cur_lo;
			hi[d] = f->cur_hi;
		}
		if (d == n) {
			found = true;
			break;
		}
		it = &c->items[(u32)v[d][1]];
		room = (f->cur_lo - f->blo) + (f->bhi - f->cur_hi);
		for (i = 0; i < f->nholes; i++)
			room += c->holes[f->hbase + i].hi -
				c->holes[f->hbase + i].lo + 1;
		if (c->place_search - first >= FB_PLACE_SEARCH_STEPS ||
		    c->place_search >= FB_PLACE_SEARCH_TOTAL)
			break;
		ok = rest[d] <= room;
		nc = ok && f->nholes ? 4 * f->nholes * FB_HOLE_KINDS : 0;
		h = -1;
		if (ok && ci[d] < nc) {
			/* the candidates in the holes */
			ok = fb_hole_cand(c, f, it, &ci[d], &h, &start,
					  &variant, &size);
			if (!ok)
				ci[d] = nc;
		}
		if (h < 0 && ci[d] >= nc) {
			/* then growing the extent */
			ok = false;
			for (; ci[d] < nc + FB_GROW_KINDS && !ok; ci[d]++) {
				c->place_search++;
				ok = fb_grow_cand(c, f, it, ci[d] - nc, &dir,
						  &start, &variant, &size) &&
				     size;
			}
			ci[d]--;
		}
		if (!ok) {
			/* back: the level above, its next candidate */
			if (--d < 0)
				break;
			memcpy(&c->holes[f->hbase], &snap[d * nh],
			       cnt[d] * sizeof(*snap));
			f->nholes = cnt[d];
			c->nr_holes = f->hbase + cnt[d];
			f->cur_lo = lo[d];
			f->cur_hi = hi[d];
			ci[d]++;
			continue;
		}
		if (!size) {
			ci[d]++;
			continue;
		}
		if (h >= 0)
			fb_hole_take(c, f, h, start, start + size - 1);
		else
			fb_grow_apply(c, f, dir, start, start + size - 1);
		fb_place_item(c, it, start, variant);
		ci[++d] = 0;
	}
out:
	fixedbar_free(snap);
	fixedbar_free(ci);
	fixedbar_free(cnt);
	fixedbar_free(lo);
	fixedbar_free(hi);
	fixedbar_free(rest);
	return found;
}

/*
 * Could the movables fit at all, in the holes and the room to grow?  Each
 * search also counts its frame copies against the plan's search budget,
 * so a window that fails again and again stops searching.
 */
static bool fb_bridge_room(struct fb_ctx *c, const struct fb_frame *f,
			   u64 (*v)[2], int n)
{
	u64 need = 0, room = (f->cur_lo - f->blo) + (f->bhi - f->cur_hi);
	int i;

	for (i = 0; i < f->nholes; i++)
		room += c->holes[f->hbase + i].hi - c->holes[f->hbase + i].lo +
			1;
	for (i = 0; i < n; i++) {
		const struct fb_item *it = &c->items[(u32)v[i][1]];

		need += it->size1 ? c->conts[it->cont].cmin : it->size;
	}
	if (need > room || c->place_search >= FB_PLACE_SEARCH_TOTAL)
		return false;
	c->place_search += (u32)(n + 1) * (u32)(f->nholes + 2 * n + 4);
	return true;
}

/* The search above, from the frame's fixed points; keeps the first failure. */
static int fb_place_bridge_searched(struct fb_ctx *c, struct fb_frame *f,
				    int strat, int err)
{
	u64(*v)[2] = f->fp + f->nfp + (f->nfp + 7) / 8 + 1;
	struct fb_failrec first;
	int n;

	fb_fail_save(c, &first);
	fb_bridge_frame_reset(c, f);
	n = fb_movables(c, f, v, false);
	if (n <= FB_BRIDGE_SEARCH_ITEMS && fb_bridge_room(c, f, v, n) &&
	    fb_bridge_search(c, f, v, n) && !fb_place_bridge_done(c, f, strat))
		return 0;
	fb_fail_restore(c, &first);
	return err;
}

/* Does a movable item of the frame's container span more than its alignment? */
static bool fb_odd_sizes(const struct fb_ctx *c, const struct fb_frame *f)
{
	const struct fb_cont *k = &c->conts[f->k];
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (it->active && !(it->flags & FB_EXACT) &&
		    !(it->cont >= 0 && c->conts[it->cont].semifixed) &&
		    it->size > it->align)
			return true;
	}
	return false;
}

static int fb_place_bridge_strat(struct fb_ctx *c, struct fb_frame *f,
				 int strat)
{
	int err = fb_place_bridge_order(c, f, strat, false, false);

	if (err == -ENOSPC && !c->exhausted)
		err = fb_place_bridge_order(c, f, strat, true, false);
	if (err == -ENOSPC && !c->exhausted && fb_odd_sizes(c, f))
		err = fb_place_bridge_order(c, f, strat, false, true);
	if (err == -ENOSPC && !c->exhausted)
		err = fb_place_bridge_searched(c, f, strat, err);
	return err;
}

static int fb_place_bridge_up(struct fb_ctx *c, struct fb_frame *f)
{
	return fb_place_bridge_strat(c, f, FB_UP);
}

static int fb_place_bridge_down(struct fb_ctx *c, struct fb_frame *f)
{
	return fb_place_bridge_strat(c, f, FB_DOWN);
}

/*
 * Places container @ki: the root (@blo/@bhi unused) or a semi-fixed bridge
 * window whose extent must stay within [@blo, @bhi].
 */
static int fb_solve(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat)
{
	struct fb_frame f;
	int err, top = c->sort_top;
	const struct fb_cont *k = &c->conts[ki];

	if (++c->work > FB_WORK_LIMIT) {
		/* every attempt after the limit fails here: each says why */
		snprintf(c->msg, sizeof(c->msg),
			 "search limit reached: the fixed BARs leave too little room to place everything else; fix fewer BARs or enlarge the VM's PCI window");
		c->exhausted = true;
		c->fail_kind = FB_FAIL_NONE;
		return -ENOSPC;
	}
	memset(&f, 0, sizeof(f));
	f.k = ki;
	f.root = ki <= FB_ROOT_MEM;
	f.blo = blo;
	f.bhi = bhi;
	f.hbase = c->nr_holes;
	/* fixed points, strategy bytes, then movables: <= 3 pairs per kid */
	f.fp = c->sortv + c->sort_top;
	c->sort_top += 3 * k->nr_kids + 2;
	err = fb_fixed_points(c, &f);
	if (!err)
		err = fb_solve_kids(c, &f, f.root ? FB_UP : strat,
				    f.root	   ? fb_place_root :
				    strat == FB_UP ? fb_place_bridge_up :
						     fb_place_bridge_down);
	c->nr_holes = f.hbase;
	c->sort_top = top;
	return err;
}

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

static void fb_space_warnings(struct fb_ctx *c, int root)
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
		fb_path(c, it->dev, path, sizeof(path));
		fb_fmt_size(c, it, res, sizeof(res));
		snprintf(text, sizeof(text),
			 "%s %s %s: no space left, stays unassigned", path,
			 fixedbar_slot_name(it->slot), res);
		fb_warn(c, text);
	}
	for (i = FB_ROOT_MEM + 1; i < c->nr_conts; i++) {
		const struct fb_cont *k = &c->conts[i];

		if (!k->reserve || !k->noreserve || !fb_in_space(c, i, root))
			continue;
		if (k->active &&
		    k->hi - k->lo + 1 - fb_cont_used(c, k) >= k->reserve)
			continue;
		fb_path(c, k->dev, path, sizeof(path));
		snprintf(text, sizeof(text),
			 "%s %s: hotplug reserve of %#llx not honoured; no space",
			 path, fixedbar_win_name(k->win),
			 (unsigned long long)k->reserve);
		fb_warn(c, text);
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
static void fb_drop(struct fb_ctx *c, struct fb_item *it)
{
	it->dropped = true;
	c->drop_mask[it->dev] |= 1u << it->slot;
}

static void fb_drop_reserve(struct fb_ctx *c, struct fb_cont *k)
{
	k->noreserve = true;
	c->nores_mask[k->dev] |= 1u << k->win;
}

/* Gives up every optional BAR below the window that did not fit. */
static bool fb_drop_below(struct fb_ctx *c, int root)
{
	const struct fb_item *f;
	bool any = false;
	int i;

	if (c->fail_item < 0 || c->items[c->fail_item].cont < 0)
		return false;
	f = &c->items[c->fail_item];
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
	int scope = c->fail_cont, pass, v;

	if (c->fail_item >= 0 && c->items[c->fail_item].cont >= 0) {
		v = fb_pick_reserve(c, root, c->items[c->fail_item].cont);
		if (v >= 0) {
			fb_drop_reserve(c, &c->conts[v]);
			return true;
		}
		if (fb_drop_below(c, root))
			return true;
	}

	for (pass = 0; pass < 4; pass++) {
		int sc = pass < 2 ? scope : -1;

		if (pass < 2 && sc < 0)
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

static void fb_give_up_all(struct fb_ctx *c, int root)
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
 * but @skip and those that moved here on purpose (no ping-pong); with @deep,
 * also in the memory windows nested inside a memory window, which shrinks it
 * just as well.
 */
static void fb_reroute_candidate(const struct fb_ctx *c, int ki, bool deep,
				 const struct fb_item *skip,
				 const struct fb_item **best)
{
	const struct fb_cont *k = &c->conts[ki];
	bool pref = fb_dev(c, k->dev)->br.pref;
	int i;

	for (i = 0; i < k->nr_kids; i++) {
		const struct fb_item *it = &c->items[c->kidv[k->first_kid + i]];

		if (!it->active || it == skip)
			continue;
		if (deep && it->cont >= 0 &&
		    c->conts[it->cont].win == FIXEDBAR_WIN_MEM) {
			fb_reroute_candidate(c, it->cont, true, skip, best);
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
	fb_reroute_candidate(c, ki, false, skip, &best);
	if (!best && k->win == FIXEDBAR_WIN_MEM)
		fb_reroute_candidate(c, ki, true, skip, &best);
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
static bool fb_dissolve_smallest(struct fb_ctx *c, int ki)
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

static bool fb_reroute(struct fb_ctx *c)
{
	const struct fb_item *it;
	const struct fb_cont *k;

	if (c->fail_item < 0 || c->fail_cont <= FB_ROOT_MEM)
		return false;
	k = &c->conts[c->fail_cont];
	it = &c->items[c->fail_item];
	if (k->win == FIXEDBAR_WIN_MEM) {
		if (it->owner == c->fail_cont && fb_reroutable(c, it) &&
		    fb_item_route(c, it) == FIXEDBAR_WIN_MEM)
			return fb_reroute_back(c, k, it);
		if (fb_reroute_from(c, k, NULL))
			return true;
		/* a prefetchable window that must live here: empty it instead */
		if (it->owner == c->fail_cont && it->cont >= 0 &&
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
	return true;
}

/*
 * Every container's fixed points must be disjoint whatever the placement:
 * check them all before placing anything, so that a collision deep in one
 * subtree is reported as such, not as the first subtree that ran short.
 */
static int fb_check_spans(struct fb_ctx *c, int root)
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
		err = fb_fixed_points(c, &f);
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
static bool fb_unkeep_item(struct fb_ctx *c, int ii)
{
	const struct fb_cont *k;
	bool changed = fb_unkeep_one(c, ii);
	int i;

	/* a window already let move has everything inside it let move too */
	if (c->items[ii].cont < 0 || !changed)
		return changed;
	k = &c->conts[c->items[ii].cont];
	for (i = 0; i < k->nr_kids; i++)
		changed |= fb_unkeep_item(c, c->kidv[k->first_kid + i]);
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
static bool fb_unkeep_pair(struct fb_ctx *c, int a, int b)
{
	bool fa, fb, changed = false;

	if (fb_unkept(c, a) && fb_unkept(c, b))
		return false;
	fa = fb_holds_fixed(c, a);
	fb = fb_holds_fixed(c, b);
	if (fa || !fb)
		changed |= fb_unkeep_item(c, a);
	if (fb || !fa)
		changed |= fb_unkeep_item(c, b);
	return changed;
}

/*
 * Phase A, before any placement: lets every pair of kept items that collide
 * in some container move, all at once, instead of one failed attempt per
 * pair.  False when there was nothing new to let move.
 */
static bool fb_unkeep_collisions(struct fb_ctx *c, int root)
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
		fb_gather_points(c, &f);
		/* @last: the point reaching furthest so far */
		for (j = 1, last = 0; j < f.nfp; j++) {
			int a = (int)f.fp[last][1], b = (int)f.fp[j][1];

			if (fb_point_end(c, a) >= f.fp[j][0])
				changed |= fb_unkeep_pair(c, a, b);
			if (fb_point_end(c, b) > fb_point_end(c, a))
				last = j;
		}
	}
	return changed;
}

static int fb_plan_space(struct fb_ctx *c, int root)
{
	int i, drops = 0, err;

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
	for (i = 0; c->softpin == FB_KEEP_ALL && i < FB_MAX_UNKEEP; i++) {
		fb_activate(c, root, c->sortv);
		if (!fb_unkeep_collisions(c, root))
			break;
	}
	for (;;) {
		c->budget = FB_SEARCH_BUDGET;
		c->fail_cont = -1;
		c->fail_item = -1;
		c->fail_kind = FB_FAIL_NONE;
		fb_activate(c, root, c->sortv);
		c->sort_top = 0;
		c->nr_holes = 0;
		err = fb_check_spans(c, root);
		if (!err)
			err = fb_solve(c, root, 0, 0, FB_UP);
		if (!err) {
			fb_space_warnings(c, root);
			return 0;
		}
		if (err != -ENOSPC || c->exhausted) {
			fb_format_fail(c);
			return err;
		}
		if (root == FB_ROOT_MEM && fb_reroute(c)) {
			fb_build(c);
			continue;
		}
		if (++drops == FB_MAX_DROPS) {
			fb_give_up_all(c, root);
			continue;
		}
		if (drops > FB_MAX_DROPS || !fb_make_room(c, root)) {
			/* last, at the root: a prefetchable window less */
			if (root == FB_ROOT_MEM && c->fail_item >= 0 &&
			    c->fail_cont == FB_ROOT_MEM &&
			    fb_dissolve_smallest(c, FB_ROOT_MEM)) {
				fb_build(c);
				continue;
			}
			fb_format_fail(c);
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
			fb_path(c, d, path, sizeof(path));
			snprintf(text, sizeof(text),
				 "%s %s: no bridge window above forwards it, stays unassigned",
				 path, fixedbar_slot_name(s));
			fb_warn(c, text);
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
	struct fixedbar_plan *p = c->p;
	int err;

	p->nr_warnings = 0;
	p->nr_err_entries = 0;
	c->lost_warnings = 0;
	c->err = 0;
	c->msg[0] = 0;
	memset(c->reroute_done, 0, c->t->nr_devs * sizeof(*c->reroute_done));
	/* rebuild only when the routing the containers follow changed */
	if (!c->built ||
	    memcmp(c->route, c->route_base,
		   c->t->nr_devs * sizeof(*c->route)) ||
	    memcmp(c->wroute, c->wroute_base,
		   c->t->nr_devs * sizeof(*c->wroute))) {
		memcpy(c->route, c->route_base,
		       c->t->nr_devs * sizeof(*c->route));
		memcpy(c->wroute, c->wroute_base,
		       c->t->nr_devs * sizeof(*c->wroute));
		fb_build(c);
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
		c->p->nr_err_entries = 0;
		err = -EFAULT;
	}
	return err;
}

/* Lets phase A move what the last failure involved; false if nothing is left. */
static bool fb_unkeep_culprit(struct fb_ctx *c)
{
	bool changed = false;

	if (c->fail_pair[0] >= 0 && c->fail_pair[1] >= 0)
		changed = fb_unkeep_pair(c, c->fail_pair[0], c->fail_pair[1]);
	if (!changed && c->fail_item >= 0)
		changed = fb_unkeep_item(c, c->fail_item);
	if (!changed && c->fail_cont > FB_ROOT_MEM)
		changed = fb_unkeep_item(c, c->conts[c->fail_cont].item);
	return changed;
}

/*
 * Phase A keeps the current layout wherever it can: everything at first,
 * then, after each failure, everything but the subtrees involved in it.
 * Phase B keeps the root-bus subtrees without fixed BARs, phase C nothing.
 */
static int fb_plan_phases(struct fb_ctx *c, bool keep_all)
{
	int err = -ENOSPC, iter;

	memset(c->unkeep, 0, c->t->nr_devs * sizeof(*c->unkeep));
	memset(c->unkeep_win, 0, c->t->nr_devs);
	c->softpin = FB_KEEP_ALL;
	for (iter = 0; keep_all && iter < FB_MAX_UNKEEP; iter++) {
		c->fail_bridge = -1;
		c->fail_kid[0] = c->fail_kid[1] = -1;
		c->fail_pair[0] = c->fail_pair[1] = -1;
		c->fail_item = -1;
		c->fail_cont = -1;
		err = fb_plan_phase(c);
		if (!err) {
			if (!fb_validate_phase(c))
				return 0;
			break;
		}
		if (c->exhausted || !fb_unkeep_culprit(c))
			break;
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

static int fb_plan_routed(struct fb_ctx *c)
{
	struct fb_first_err first;
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
			memcpy(c->route, c->route_base,
			       c->t->nr_devs * sizeof(*c->route));
			memcpy(c->wroute, c->wroute_base,
			       c->t->nr_devs * sizeof(*c->wroute));
			c->built = false;
			if (!fb_spill_routes(c, limit))
				continue;
		}
		memcpy(c->route_base, c->route,
		       c->t->nr_devs * sizeof(*c->route));
		memcpy(c->wroute_base, c->wroute,
		       c->t->nr_devs * sizeof(*c->wroute));
		err = fb_plan_phases(c, true);
		if (err != -ENOSPC || c->exhausted)
			break;
		/* report the failure of the kernel's own routing */
		fb_first_keep(c, &first, err);
	}
	if (err != -ENOSPC) {
		fb_first_report(c, &first, 0);
		return err;
	}
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
	memset(c->route, 0xff, n * sizeof(*c->route));
	memset(c->wroute, 0xff, n * sizeof(*c->wroute));
	c->clamped = false;
	if (fb_choose_routes(c) || c->clamped)
		return false;
	fb_build(c);
	return !fb_check_routes(c);
}

/*
 * True when no routing can help: the memory BARs that must stay below
 * 4 GiB whatever their windows (32-bit BARs, and BARs behind a bridge
 * with no 64-bit prefetchable window on their way up) need more than the
 * apertures hold below 4 GiB, or all memory BARs more than all apertures.
 * A lower bound: windows only add to what their contents need.
 */
static bool fb_route_hopeless(const struct fb_ctx *c)
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

static int fb_route_search(struct fb_ctx *c)
{
	u32 n = c->t->nr_devs, work0 = c->work;
	s8(*route0)[FIXEDBAR_NR_SLOTS];
	s8 *wroute0;
	int(*cand)[2];
	int pick[FB_ROUTE_SEARCH_FLIPS];
	int nc, m, r, i, tries = 0, err = -ENOMEM;

	if (fb_route_hopeless(c))
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
				fb_build(c);
				for (i = 0; i < m; i++)
					fb_route_flip(c, cand[pick[i]]);
				memcpy(c->route_base, c->route,
				       n * sizeof(*route0));
				memcpy(c->wroute_base, c->wroute,
				       n * sizeof(*wroute0));
				c->built = false;
				err = fb_plan_phases(c, false);
				if (!err || c->exhausted ||
				    (err != -ENOSPC && err != -EBUSY))
					goto out;
				if (++tries >= FB_ROUTE_SEARCH_TRIES ||
				    c->work - work0 >= FB_ROUTE_SEARCH_WORK)
					goto out;
			} while (fb_next_pick(pick, m, nc));
		}
	}
out:
	fixedbar_free(route0);
	fixedbar_free(wroute0);
	fixedbar_free(cand);
	return err;
}

/* Next bridge whose routing split may change: the failing one, then up. */
static int fb_next_rank(struct fb_ctx *c)
{
	int i, d, b = -1;

	/* the colliding windows' own bridges first, then where they collided */
	for (i = 0; i < 2 && b < 0; i++)
		if (c->fail_kid[i] >= 0 &&
		    fb_dev(c, c->fail_kid[i])->is_bridge &&
		    c->rank[c->fail_kid[i]] + 1 < c->nsplits[c->fail_kid[i]])
			b = c->fail_kid[i];
	if (b < 0)
		b = c->fail_bridge;
	while (b >= 0 && c->rank[b] + 1 >= c->nsplits[b])
		b = fb_dev(c, b)->parent;
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
 * Routing of fixed prefetchable BARs is a guess; when the layout fails where
 * such a guess was made, try the bridge's next split, a bounded number of
 * times; then every combination of splits across the bridges (a choice at
 * one level changes what fits at the levels above), within the same bounds
 * on tries and on placement work.  Reports the first failure if none works.
 */
static int fb_plan_retry(struct fb_ctx *c)
{
	struct fb_first_err first;
	int tries, combos = 0, err;

	if (fb_first_init(&first))
		return -ENOMEM;
	for (tries = 0;; tries++) {
		memset(c->route, 0xff, c->t->nr_devs * sizeof(*c->route));
		memset(c->wroute, 0xff, c->t->nr_devs * sizeof(*c->wroute));
		c->fail_bridge = -1;
		c->fail_kid[0] = c->fail_kid[1] = -1;
		err = fb_choose_routes(c);
		if (err)
			break;
		if (combos && c->clamped) {
			err = -ENOSPC; /* a combination tried already */
			goto next_combo;
		}
		fb_build(c);
		err = fb_check_routes(c);
		if (err)
			break;
		err = fb_plan_routed(c);
		if (!err || (err != -ENOSPC && err != -EBUSY))
			break;
		fb_first_keep(c, &first, err);
		if (c->exhausted || c->spill_fine)
			break;
		if (!combos && tries < FB_MAX_ROUTE_TRIES &&
		    fb_next_rank(c) >= 0)
			continue;
next_combo:
		/* then every combination, from the best splits onwards */
		if (!combos++)
			memset(c->rank, 0, c->t->nr_devs);
		if (combos <= FB_MAX_ROUTE_COMBOS && fb_next_combo(c) >= 0)
			continue;
		/* last, the best routing with the finest spill steps */
		c->spill_fine = true;
		memset(c->rank, 0, c->t->nr_devs);
	}
	if (err == -ENOSPC && !c->exhausted)
		err = fb_route_search(c);
	return fb_first_report(c, &first, err);
}

int fixedbar_plan(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	struct fb_ctx *c;
	int err;

	memset(p, 0, sizeof(*p));
	p->nr_devs = t->nr_devs;
	p->devs = fixedbar_zalloc(t->nr_devs * sizeof(*p->devs) + 1);
	p->warnings =
		fixedbar_zalloc(FIXEDBAR_MAX_WARNINGS * sizeof(*p->warnings));
	c = fixedbar_zalloc(sizeof(*c));
	err = -ENOMEM;
	if (!p->devs || !p->warnings || !c)
		goto out;
	c->t = t;
	c->p = p;
	err = fb_alloc(c);
	if (err)
		goto out_ctx;
	memset(c->route, 0xff, t->nr_devs * sizeof(*c->route));
	memset(c->wroute, 0xff, t->nr_devs * sizeof(*c->wroute));
	fb_build(c);
	err = fb_check_entries(c);
	fb_mark_fixed(c);
	if (!err)
		err = fb_plan_retry(c);
	if (err && !c->msg[0])
		snprintf(c->msg, sizeof(c->msg), "planning failed (%s)",
			 fixedbar_errname(err) ? fixedbar_errname(err) : "?");
out_ctx:
	if (c && err)
		snprintf(p->message, sizeof(p->message), "%s", c->msg);
	if (c)
		fb_release(c);
out:
	fixedbar_free(c);
	if (err == -ENOMEM)
		snprintf(p->message, sizeof(p->message), "out of memory");
	p->err = err;
	if (err)
		p->nr_warnings = 0;
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
