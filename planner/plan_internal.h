/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pci_fixedbar planner's internals, shared by its files (plan*.c).
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
 * The files, each one concern:
 *   plan_model.c   containers and items from the topology; entry checks
 *   plan_route.c   which window of its bridge a prefetchable BAR takes
 *   plan_pack.c    one attempt's items and compact blocks; split packing
 *   plan_place.c   placement inside one container: holes, growth
 *   plan_search.c  the bounded searches: root, bridge; fixedbar_solve()
 *   plan_room.c    making room after a failure: drops, reroutes, unkeeping
 *   plan_bounds.c  lower bounds: what no placement can satisfy
 *   plan_ladder.c  the retry ladder over phases and routings
 *   plan.c         the public API
 *
 * Every plan passes fixedbar_validate() before it is returned.
 */
#ifndef FIXEDBAR_PLAN_INTERNAL_H
#define FIXEDBAR_PLAN_INTERNAL_H

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

#define FB_SEARCH_BUDGET 2000

enum { FB_UP, FB_DOWN, FB_NR_STRATS };

/* placement failures, recorded cheaply during the search */
enum { FB_FAIL_NONE, FB_FAIL_ITEM, FB_FAIL_SPAN, FB_FAIL_RESERVE };

/* the budgets that may end a search before it has tried everything */
enum {
	FB_GAVE_UP_WORK = 0x01,		/* FB_WORK_LIMIT placements in a plan */
	FB_GAVE_UP_BACKTRACK = 0x02,	/* FB_SEARCH_BUDGET growth choices */
	FB_GAVE_UP_PLACE = 0x04,	/* FB_PLACE_SEARCH_STEPS, _TOTAL */
	FB_GAVE_UP_ROUTES = 0x08,	/* FB_ROUTE_SEARCH_TRIES, _WORK */
};

/* how much of the current layout phase A keeps */
enum { FB_KEEP_NONE, FB_KEEP_UNAFFECTED, FB_KEEP_ALL };

#define FB_MAX_DROPS 256
#define FB_MAX_ROUTE_TRIES 16
#define FB_MAX_ROUTE_COMBOS 4096
#define FB_MAX_UNKEEP 32
/*
 * Placements one plan may try in all, and holes it may look at (the cost
 * of a placement grows with the container's kids; each attempt's set-up
 * and each rebuild of the model count too, per item), so a hopeless input
 * fails in bounded time: calibrated so no plan of tests/gen's corpora at
 * 1024 devices takes over 100 ms natively (docs/benchmarks.md).
 */
#define FB_WORK_LIMIT 150000
#define FB_STEP_LIMIT 9000000ULL
#define FB_ROUTE_SEARCH_FLIPS 8
#define FB_ROUTE_SEARCH_TRIES 512
#define FB_ROUTE_SEARCH_ROUTINGS 8
#define FB_ROUTE_SEARCH_WORK 100000
/* granules of a hole a split packing may start in (fixedbar_slot_split) */
#define FB_SPLIT_STEPS 16
/* candidates the placement searches may look at: per search, per plan */
#define FB_PLACE_SEARCH_STEPS 50000
#define FB_PLACE_SEARCH_TOTAL 250000
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
	u32 split_mark;		/* fixedbar_split(): taken in the call of this number */
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

/*
 * What stopped the last placement: one record that every rung of the
 * ladder reads (to decide what to let go next) and the placement writes.
 */
struct fb_fail {
	int cont;		/* container where the placement failed */
	int item;		/* ... and what did not fit */
	int kind;		/* FB_FAIL_*: formatted only when reported */
	bool root;
	u64 blo, bhi;		/* bounds of the failed bridge extent */
	int bridge;		/* bridge of the container that failed */
	int kid[2];		/* bridges whose windows collided there */
	int pair[2];		/* the items that collided */
};

/*
 * A window's last failed placement for one growth direction: in the same
 * attempt (gen), the same bounds fail the same way (fixedbar_solve()).
 */
struct fb_memo {
	u32 gen;
	int err;
	u64 blo, bhi;
	struct fb_fail fail;
};

/* what a plan has spent of its budgets, to replay a try with its own */
struct fb_spent {
	u32 work, place;
	u64 steps;
	bool exhausted;
	u8 gave_up;
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
	/* the last batch of drops: item index, or ~container for a reserve */
	int *droplog;
	int nr_droplog;
	int *dropstep;		/* where each fixedbar_make_room() call began */
	int nr_dropsteps;
	u8 *rank;		/* per bridge: which routing split to use */
	bool built;		/* containers follow route/wroute as they are */
	u32 work;		/* fixedbar_solve calls so far */
	u64 steps;		/* holes looked at so far (fixedbar_fit_hole) */
	bool exhausted;		/* FB_WORK_LIMIT or FB_STEP_LIMIT reached */
	u8 gave_up;		/* FB_GAVE_UP_*: budgets a search ran out of */
	bool spill_fine;	/* spill one BAR size at a time (last resort) */
	bool spill_defer;	/* no spill while a rank may turn instead */
	u32 place_search;	/* candidates fb_*_search() looked at so far */
	u32 split_gen;		/* fixedbar_split() calls so far */
	u16 *unkeep;		/* per device: BARs phase A may move after all */
	u8 *unkeep_win;		/* per device: windows phase A may move */
	u8 *nsplits;		/* per bridge: how many valid splits exist */
	u8 *nsplits_max;	/* ... the most in any routing so far */
	bool clamped;		/* a bridge's rank names no split: a duplicate */
	u16 *reroute_done;	/* per device: items back from a reroute, for good */
	struct fb_cuts cuts;	/* every bridge's workable routings */
	int cuts_state;		/* 0: not built, 1: in use, -1: not usable */
	struct fb_fixed *fixed;
	bool *affected;		/* per root-bus subtree: holds a fixed BAR */
	struct fb_hole *holes;
	int max_holes;
	int nr_holes;		/* stack top */
	u64 (*sortv)[2];	/* scratch pairs, a stack: sort_top */
	int sort_top;
	/* each container's movables in placement order, by fixedbar_movables() */
	int *mov[2];		/* per kidv slot, for by_size false and true */
	int *mov_n;		/* per container and by_size: how many */
	u32 *mov_gen;		/* ... valid while it equals gen */
	u32 gen;		/* bumped by every fixedbar_activate() */
	struct fb_memo *memo;	/* per container and direction */
	/* attempt options */
	int softpin;		/* FB_KEEP_* */
	u32 budget;
	bool inward;		/* fallback: outer children grow inward first */
	struct fb_fail fail;	/* what stopped the last attempt */
	u32 lost_warnings;
	/* failure */
	int err;
	char msg[FIXEDBAR_MSG_LEN];
	char bug[FIXEDBAR_MSG_LEN];	/* a phase's invalid plan, a warning */
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

/* The largest power of two that fits in a hotplug reserve of @r > 0 */
static inline u64 fb_reserve_align(u64 r)
{
	u64 a = 1;

	while (a <= r >> 1)
		a <<= 1;
	return a;
}

static inline bool fb_is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

static inline const struct fixedbar_dev *fb_dev(const struct fb_ctx *c, int d)
{
	return &c->t->devs[d];
}

struct fb_frame {
	int k; /* container */
	bool root;
	u64 blo, bhi; /* bounds of the extent (bridge) */
	u64 cur_lo, cur_hi; /* extent so far (bridge) */
	int hbase, nholes; /* holes in c->holes[hbase ...] */
	u64 (*fp)[2]; /* fixed points: position, item */
	int nfp;
};

/* plan_model.c */
void fixedbar_path(const struct fb_ctx *c, int dev, char *buf, size_t len);
void fixedbar_add_subtree_entries(struct fb_ctx *c, int dev);
void fixedbar_fmt_size(const struct fb_ctx *c, const struct fb_item *it,
		       char *buf, size_t len);
void fixedbar_warn(struct fb_ctx *c, const char *text);
int fixedbar_default_win_side(const struct fb_ctx *c, int dev);
int fixedbar_alloc(struct fb_ctx *c);
void fixedbar_release(struct fb_ctx *c);
void fixedbar_build(struct fb_ctx *c);
bool fixedbar_in_aperture(const struct fb_ctx *c, enum fixedbar_res_type type,
			  bool need_nonpref, u64 lo, u64 hi);
bool fixedbar_cont_low(const struct fb_ctx *c, int ki);
bool fixedbar_item_exact(struct fb_ctx *c, struct fb_item *it, u64 *start);
void fixedbar_sort_pairs(u64 v[][2], int n);
int fixedbar_model(struct fb_ctx *c);
int fixedbar_check_routes(struct fb_ctx *c);

/* plan_route.c */
void fixedbar_cuts_free(struct fb_cuts *x);
int fixedbar_choose_routes(struct fb_ctx *c);

/* plan_pack.c */
int fixedbar_activate(struct fb_ctx *c, int root, u64 scratch[][2]);
void fixedbar_set_fail(struct fb_ctx *c, int err, int subtree);
void fixedbar_place_compact(struct fb_ctx *c, int ki, u64 start, int variant);
u64 fixedbar_split(struct fb_ctx *c, struct fb_cont *k, u64 o, bool place,
		   u64 start);
u64 fixedbar_split_size(struct fb_ctx *c, const struct fb_item *it, u64 start);
bool fixedbar_slot_split(struct fb_ctx *c, const struct fb_hole *h,
			 const struct fb_item *it, bool smallest, u64 *start);

/* plan_place.c */
void fixedbar_place_item(struct fb_ctx *c, struct fb_item *it, u64 start,
			 int variant);
void fixedbar_gather_points(struct fb_ctx *c, struct fb_frame *f);
int fixedbar_fixed_points(struct fb_ctx *c, struct fb_frame *f);
void fixedbar_record_fail(struct fb_ctx *c, const struct fb_frame *f, int kind,
			  int item, int err);
int fixedbar_solve_kids(struct fb_ctx *c, struct fb_frame *f, int first,
			int (*place_rest)(struct fb_ctx *, struct fb_frame *));
void fixedbar_hole_take(struct fb_ctx *c, struct fb_frame *f, int i, u64 lo,
			u64 hi);
void fixedbar_holes_between(struct fb_ctx *c, struct fb_frame *f, u64 lo,
			    u64 hi, int ap);
int fixedbar_fit_hole(struct fb_ctx *c, struct fb_frame *f,
		      const struct fb_item *it, bool split, u64 *start,
		      int *variant);
bool fixedbar_grow_at(const struct fb_ctx *c, const struct fb_frame *f,
		      const struct fb_item *it, int dir, int variant,
		      u64 *start);
bool fixedbar_grow_split(struct fb_ctx *c, const struct fb_frame *f,
			 const struct fb_item *it, int dir, u64 *start,
			 u64 *size);
void fixedbar_grow_apply(struct fb_ctx *c, struct fb_frame *f, int dir,
			 u64 start, u64 end);
bool fixedbar_grow(struct fb_ctx *c, struct fb_frame *f,
		   const struct fb_item *it, int dir, u64 *start, int *variant);
void fixedbar_format_fail(struct fb_ctx *c);
int fixedbar_movables(struct fb_ctx *c, struct fb_frame *f, u64 v[][2],
		      bool by_size);
int fixedbar_place_movables(struct fb_ctx *c, struct fb_frame *f, int strat,
			    bool grow_small_first, bool by_size);

/* plan_search.c */
int fixedbar_solve(struct fb_ctx *c, int ki, u64 blo, u64 bhi, int strat);

/* plan_room.c */
void fixedbar_space_warnings(struct fb_ctx *c, int root);
bool fixedbar_make_room(struct fb_ctx *c, int root);
bool fixedbar_next_room(struct fb_ctx *c, int root, int *drops, int same);
void fixedbar_drop_prefix(struct fb_ctx *c, int steps);
void fixedbar_spent_get(const struct fb_ctx *c, struct fb_spent *s);
void fixedbar_spent_set(struct fb_ctx *c, const struct fb_spent *s);
void fixedbar_spent_charge(struct fb_ctx *c, const struct fb_spent *then,
			   const struct fb_spent *now);
void fixedbar_give_up_all(struct fb_ctx *c, int root);
bool fixedbar_dissolve_smallest(struct fb_ctx *c, int ki);
bool fixedbar_reroute(struct fb_ctx *c);
int fixedbar_check_spans(struct fb_ctx *c, int root);
bool fixedbar_unkeep_item(struct fb_ctx *c, int ii);
bool fixedbar_unkeep_pair(struct fb_ctx *c, int a, int b);
bool fixedbar_unkeep_collisions(struct fb_ctx *c, int root);

/* plan_bounds.c */
/* -ENOSPC naming a movable memory BAR no aperture can hold, even alone */
int fixedbar_check_sizes(struct fb_ctx *c);
/* -ETIMEDOUT: a search ran out of its budget, so no room is proven */
int fixedbar_gave_up(struct fb_ctx *c);
/* true when the memory BARs need more than the apertures hold in all */
bool fixedbar_route_hopeless(const struct fb_ctx *c);

/* plan_ladder.c */
/* Plans @c: every rung of the retry ladder until one plans. */
int fixedbar_ladder(struct fb_ctx *c);
void fixedbar_reset_routing(struct fb_ctx *c);

static inline const char *fb_res_name(int slot, int win)
{
	return slot >= 0 ? fixedbar_slot_name(slot) : fixedbar_win_name(win);
}

/* Root-bus device whose subtree holds @dev. */
static inline int fb_root_of(const struct fb_ctx *c, int dev)
{
	while (fb_dev(c, dev)->parent >= 0)
		dev = fb_dev(c, dev)->parent;
	return dev;
}

/*
 * Is device @d @top or below it?  Walks up from @d: the devices need not be
 * in pre-order (a topology built breadth-first, as the generator does, is
 * not), so a subtree is not a run of indices.
 */
static inline bool fb_in_subtree(const struct fb_ctx *c, int d, int top)
{
	if (top < 0)
		return true;
	while (d >= 0 && d != top)
		d = fb_dev(c, d)->parent;
	return d == top;
}

static inline bool fb_pinned(const struct fb_ctx *c, int dev, int slot)
{
	return fb_dev(c, dev)->pinned || fb_dev(c, dev)->bars[slot].pinned;
}

static inline bool fb_in_space(const struct fb_ctx *c, int ki, int root)
{
	return c->conts[ki].space == root;
}

static inline u64 fb_item_size(const struct fb_item *it, int variant)
{
	return variant ? it->size1 : it->size;
}

/*
 * A frame's scratch after its fixed points: per fixed point a strategy byte,
 * an alternative byte and a conflict index (fixedbar_solve_kids()), then
 * the movables.
 */
static inline void *fixedbar_movables_scratch(const struct fb_frame *f)
{
	return f->fp + f->nfp + (3 * f->nfp + 7) / 8 + 1;
}

static inline u64 fb_fp_end(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	if (it->flags & FB_EXACT)
		return it->xstart + it->size - 1;
	return c->conts[it->cont].hi;
}

static inline u64 fb_fp_start(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	if (it->flags & FB_EXACT)
		return it->xstart;
	return c->conts[it->cont].lo;
}

static inline const struct fixedbar_aperture *fb_ap(const struct fb_ctx *c,
						    int i)
{
	return &c->t->apertures[i];
}

/* Does a root aperture accept this item? */
static inline bool fb_ap_ok(const struct fb_ctx *c, const struct fb_frame *f,
			    int ap, const struct fb_item *it)
{
	const struct fixedbar_aperture *a = fb_ap(c, ap);
	enum fixedbar_res_type type = f->k == FB_ROOT_IO ? FIXEDBAR_RES_IO :
							   FIXEDBAR_RES_MEM;

	return a->type == type && !(a->pref && (it->flags & FB_NONPREF));
}

/* The last address a fixed point covers. */
static inline u64 fb_point_end(const struct fb_ctx *c, int idx)
{
	const struct fb_item *it = &c->items[idx];

	return (it->flags & FB_EXACT) ? it->xstart + it->size - 1 :
					c->conts[it->cont].mhi;
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

#endif /* FIXEDBAR_PLAN_INTERNAL_H */
