// SPDX-License-Identifier: GPL-2.0
/*
 * Random topologies for the planner.
 *
 * A feasible case is built with its own witness: the generator lays out
 * every BAR and window itself (bottom-up sizing, top-down placement, with
 * random gaps, slack and choices), checks that layout with
 * fixedbar_validate(), and only then fixes and pins some of its BARs where
 * the witness put them.  The planner must find some valid plan, not
 * necessarily this one.
 *
 * An infeasible case is a small feasible "clutter" topology, laid out in
 * the lower half of each memory aperture, plus one injected structure in
 * the upper halves (or in a gap between apertures) that breaks exactly one
 * rule, so the errno the planner must return is known.
 */
#include <stdlib.h>
#include "gen.h"

#define KIB (1ULL << 10)
#define MIB (1ULL << 20)
#define GIB (1ULL << 30)
#define ADDR_TOP (1ULL << 46)
#define MAX_GEN_DEPTH 12

/* what a device is, which decides what its secondary bus may hold */
enum { GK_EP, GK_RP, GK_USP, GK_DSP, GK_PCI };
/* where a bridge's prefetchable window goes */
enum { PM_NONE, PM_LOW, PM_HIGH };
/* which window of the parent holds a BAR */
enum { BC_NONE, BC_IO, BC_MEM, BC_PREF, BC_ROOT };

#define ROOT_CONT (-2)
#define NO_CONT (-1)

struct gdev {
	u8 kind;
	u8 pmode;
	bool link_full;			/* a switch sits on this link */
	u8 bclass[FIXEDBAR_NR_SLOTS];
	u32 used[8];			/* devfns taken on the secondary bus */
	int cont[FIXEDBAR_NR_WINDOWS];
};

/* A BAR or a window, inside a container (a window or the root bus). */
struct gitem {
	int dev;
	int slot;			/* BAR slot, or -1 - window */
	int cont;			/* container holding it, ROOT_CONT */
	int next;
	int inner;			/* windows: the container it is */
	u64 span;
	u64 align;
	u64 off;			/* in its container; absolute at the root */
	u64 abs;
	bool placed;
};

struct gcont {
	int item;			/* the window item */
	int first;			/* first item inside */
	u64 gran;
	u64 reserve;
};

struct gen {
	struct fixedbar_rng rng;
	struct fixedbar_topo *t;
	struct gdev *gd;
	u32 gd_cap;
	u32 root_used[8];
	int shrink;			/* smaller BARs on each retry */
	bool kernel_routing;
	u64 lim_start[FIXEDBAR_MAX_APERTURES];
	u64 lim_end[FIXEDBAR_MAX_APERTURES];
	struct gitem *items;
	u32 nr_items, max_items;
	struct gcont *conts;
	u32 nr_conts, max_conts;
	int root_first;
	char *msg;
	size_t msglen;
};

/* ---- random numbers ---- */

void fixedbar_rng_seed(struct fixedbar_rng *r, u64 seed)
{
	r->s = seed;
}

u64 fixedbar_rng_next(struct fixedbar_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 fixedbar_rng_below(struct fixedbar_rng *r, u64 n)
{
	return n ? fixedbar_rng_next(r) % n : 0;
}

static u64 rnd(struct gen *g, u64 n)
{
	return fixedbar_rng_below(&g->rng, n);
}

static bool chance(struct gen *g, int pct)
{
	return (int)rnd(g, 100) < pct;
}

/* 2^e, e in [lo, hi], small ones likelier */
static u64 pow2_raw(struct gen *g, int lo, int hi)
{
	u64 n, a, b;

	if (hi < lo)
		hi = lo;
	n = (u64)(hi - lo + 1);
	a = rnd(g, n);
	b = rnd(g, n);
	return 1ULL << (lo + (a < b ? a : b));
}

/* as pow2_raw, shrunk on each construction retry */
static u64 pow2(struct gen *g, int lo, int hi)
{
	return pow2_raw(g, lo, hi - g->shrink);
}

static u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static u64 align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		abort();
	return p;
}

static void *xgrow(void *p, u32 nr, u32 *max, size_t size)
{
	u32 cap;

	if (nr < *max)
		return p;
	cap = *max ? *max * 2 : 64;
	p = realloc(p, (size_t)cap * size);
	if (!p)
		abort();
	memset((char *)p + (size_t)*max * size, 0,
	       (size_t)(cap - *max) * size);
	*max = cap;
	return p;
}

static int gen_fail(struct gen *g, int err, const char *what)
{
	if (g->msg && g->msglen && !g->msg[0])
		snprintf(g->msg, g->msglen, "generator: %s", what);
	return err;
}

/* ---- apertures ---- */

static void add_ap(struct gen *g, enum fixedbar_res_type type, bool pref,
		   u64 start, u64 end)
{
	struct fixedbar_topo *t = g->t;
	struct fixedbar_aperture *a = &t->apertures[t->nr_apertures];

	a->type = type;
	a->pref = pref;
	a->start = start;
	a->end = end;
	g->lim_start[t->nr_apertures] = start;
	g->lim_end[t->nr_apertures] = end;
	t->nr_apertures++;
}

static void shuffle_aps(struct gen *g)
{
	struct fixedbar_topo *t = g->t;
	u32 i, j;

	for (i = t->nr_apertures - 1; i > 0; i--) {
		struct fixedbar_aperture a = t->apertures[i];
		u64 s = g->lim_start[i], e = g->lim_end[i];

		j = (u32)rnd(g, i + 1);
		t->apertures[i] = t->apertures[j];
		g->lim_start[i] = g->lim_start[j];
		g->lim_end[i] = g->lim_end[j];
		t->apertures[j] = a;
		g->lim_start[j] = s;
		g->lim_end[j] = e;
	}
}

/* Host bridge windows modelled on q35 and arm virt. */
static void gen_apertures(struct gen *g, bool need_high)
{
	int preset = (int)rnd(g, need_high ? 4 : 5);

	g->t->nr_apertures = 0;
	add_ap(g, FIXEDBAR_RES_IO, false, preset == 2 ? 0 : 0x1000, 0xffff);
	switch (preset) {
	case 0:		/* q35 */
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xfebfffff);
		add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), 0x8000000000ULL,
		       0xffffffffffULL);
		break;
	case 1:		/* a separate 32-bit prefetchable aperture */
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xbfffffff);
		add_ap(g, FIXEDBAR_RES_MEM, true, 0xc0000000, 0xfebfffff);
		add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), 0x8000000000ULL,
		       0xffffffffffULL);
		break;
	case 2:		/* arm virt */
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x10000000, 0x3efeffff);
		add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), 0x8000000000ULL,
		       0xffffffffffULL);
		break;
	case 3:		/* split high space */
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xfebfffff);
		add_ap(g, FIXEDBAR_RES_MEM, true, 0x8000000000ULL,
		       0xbfffffffffULL);
		add_ap(g, FIXEDBAR_RES_MEM, false, 0xc000000000ULL,
		       0xffffffffffULL);
		break;
	default:	/* no 64-bit space at all */
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xdfffffff);
		if (chance(g, 50))
			add_ap(g, FIXEDBAR_RES_MEM, true, 0xe0000000,
			       0xfebfffff);
		break;
	}
	shuffle_aps(g);
}

static bool ap_low(const struct fixedbar_aperture *a)
{
	return a->type == FIXEDBAR_RES_MEM && a->end < FIXEDBAR_4G;
}

static bool ap_high(const struct fixedbar_aperture *a)
{
	return a->type == FIXEDBAR_RES_MEM && a->start >= FIXEDBAR_4G;
}

static bool has_high(struct gen *g)
{
	u32 i;

	for (i = 0; i < g->t->nr_apertures; i++)
		if (ap_high(&g->t->apertures[i]))
			return true;
	return false;
}

/* A random memory aperture matching @high/@nonpref, or -1. */
static int pick_ap(struct gen *g, bool high, bool nonpref)
{
	int cand[FIXEDBAR_MAX_APERTURES], n = 0;
	u32 i;

	for (i = 0; i < g->t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &g->t->apertures[i];

		if (high ? !ap_high(a) : !ap_low(a))
			continue;
		if (nonpref && a->pref)
			continue;
		cand[n++] = (int)i;
	}
	return n ? cand[rnd(g, (u64)n)] : -1;
}

/* Clutter keeps to the lower half of every memory aperture. */
static void limit_lower_halves(struct gen *g)
{
	u32 i;

	for (i = 0; i < g->t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &g->t->apertures[i];

		if (a->type == FIXEDBAR_RES_MEM)
			g->lim_end[i] = a->start + (a->end - a->start) / 2;
	}
}

/* The upper half of a random aperture, where injected BARs go. */
static bool target_region(struct gen *g, bool high, u64 *lo, u64 *hi)
{
	int i = pick_ap(g, high, true);

	if (i < 0)
		i = pick_ap(g, high, false);
	if (i < 0)
		return false;
	*lo = align_up(g->lim_end[i] + 1, MIB);
	*hi = g->t->apertures[i].end;
	return *lo < *hi;
}

/* ---- devices ---- */

static u32 *bus_used(struct gen *g, int parent)
{
	return parent < 0 ? g->root_used : g->gd[parent].used;
}

static bool used_test(const u32 *u, int devfn)
{
	return u[devfn >> 5] & (1U << (devfn & 31));
}

/*
 * A free slot (function 0), probing from a random one; when every slot is
 * taken and @multi, another function of some slot; -1 when full.
 */
static int free_slot(struct gen *g, const u32 *u, int first, bool multi)
{
	int s0 = (int)rnd(g, 32), i, f;

	for (i = 0; i < 32; i++) {
		int s = (s0 + i) & 31;

		if (s >= first && !used_test(u, s << 3))
			return s << 3;
	}
	for (i = 0; multi && i < 256; i++) {
		f = (s0 * 8 + i) & 255;
		if ((f >> 3) >= first && !used_test(u, f))
			return f;
	}
	return -1;
}

/* Another function of a slot whose function 0 exists. */
static int free_function(struct gen *g, const u32 *u, int slot)
{
	int f0 = 1 + (int)rnd(g, 7), i;

	if (!used_test(u, slot << 3))
		return -1;
	for (i = 0; i < 7; i++) {
		int f = 1 + (f0 - 1 + i) % 7;

		if (!used_test(u, slot << 3 | f))
			return slot << 3 | f;
	}
	return -1;
}

static int pick_devfn(struct gen *g, int parent, int kind)
{
	const u32 *u = bus_used(g, parent);
	int bus = parent < 0 ? -1 : g->gd[parent].kind;
	int devfn;

	switch (bus) {
	case GK_RP:
	case GK_DSP:
		/* a PCIe link: device 0 only, and a switch takes all of it */
		if (g->gd[parent].link_full)
			return -1;
		if (kind == GK_USP)
			return u[0] ? -1 : 0;
		if (!used_test(u, 0))
			return 0;
		return free_function(g, u, 0);
	case GK_USP:
		return free_slot(g, u, 0, false);
	default:
		/* the root bus (00.0 is the host bridge) and PCI buses */
		if (chance(g, 15) && kind == GK_EP) {
			devfn = free_function(g, u, (int)rnd(g, 32));
			if (devfn >= 0)
				return devfn;
		}
		return free_slot(g, u, parent < 0 ? 1 : 0, true);
	}
}

static void bridge_caps(struct gen *g, int d)
{
	struct fixedbar_bridge *br = &g->t->devs[d].br;
	bool pci = g->gd[d].kind == GK_PCI;

	br->io = chance(g, pci ? 70 : 35);
	br->io_1k = br->io && chance(g, 10);
	br->pref = chance(g, pci ? 50 : 90);
	br->pref64 = br->pref && chance(g, pci ? 30 : 85);
}

static const u16 vendors[] = { 0x10de, 0x15b3, 0x1b36, 0x8086, 0x1af4 };

/* A new device of @kind below @parent; -1 when the bus is full. */
static int add_dev(struct gen *g, int parent, int kind)
{
	struct fixedbar_dev *dev;
	int devfn = pick_devfn(g, parent, kind);
	int idx;

	if (devfn < 0)
		return -1;
	idx = fixedbar_topo_add_dev(g->t, parent, (u8)devfn);
	if (idx < 0)
		return -1;
	bus_used(g, parent)[devfn >> 5] |= 1U << (devfn & 31);
	if (parent >= 0 && kind == GK_USP)
		g->gd[parent].link_full = true;
	g->gd = xgrow(g->gd, (u32)idx, &g->gd_cap, sizeof(*g->gd));
	memset(&g->gd[idx], 0, sizeof(g->gd[idx]));
	g->gd[idx].kind = (u8)kind;
	dev = &g->t->devs[idx];
	if (chance(g, 60)) {
		dev->has_id = true;
		dev->vendor = vendors[rnd(g, 5)];
		dev->device = (u16)rnd(g, 0x10000);
	}
	if (kind != GK_EP) {
		dev->is_bridge = true;
		bridge_caps(g, idx);
	}
	return idx;
}

static int random_bridge(struct gen *g, const int *br, u32 nbr)
{
	/* often the newest one, for long chains */
	return chance(g, 30) ? br[nbr - 1] : br[rnd(g, nbr)];
}

static int bridge_kind_below(struct gen *g, int parent)
{
	if (parent < 0)
		return GK_RP;
	switch (g->gd[parent].kind) {
	case GK_RP:
	case GK_DSP:
		if (!g->gd[parent].used[0] && chance(g, 90))
			return GK_USP;
		return chance(g, 30) ? GK_PCI : -1;
	case GK_USP:
		return GK_DSP;
	case GK_PCI:
		return GK_PCI;
	}
	return -1;
}

/* Root ports, switches and PCI bridges first, then the endpoints. */
static u32 build_tree(struct gen *g, u32 nr_devs, u32 nr_bridges)
{
	int *br = xcalloc(nr_bridges + 1, sizeof(*br));
	u32 nbr = 0, neps = 0, tries;

	for (tries = 0; nbr < nr_bridges && tries < 50 * nr_bridges + 50;
	     tries++) {
		int parent = -1, kind, idx;

		if (nbr && !chance(g, 20))
			parent = random_bridge(g, br, nbr);
		if (parent >= 0 &&
		    g->t->devs[parent].depth + 1 >= MAX_GEN_DEPTH)
			continue;
		kind = bridge_kind_below(g, parent);
		if (kind < 0)
			continue;
		idx = add_dev(g, parent, kind);
		if (idx >= 0)
			br[nbr++] = idx;
	}
	for (tries = 0; nbr + neps < nr_devs && tries < 50 * nr_devs + 50;
	     tries++) {
		int parent = -1;

		if (nbr && !chance(g, 15))
			parent = random_bridge(g, br, nbr);
		if (parent >= 0 && g->gd[parent].kind == GK_USP &&
		    !chance(g, 10))
			continue;
		if (add_dev(g, parent, GK_EP) >= 0)
			neps++;
	}
	free(br);
	return nbr;
}

static void choose_pref_modes(struct gen *g)
{
	struct fixedbar_topo *t = g->t;
	bool root_high = has_high(g);
	u32 d;

	for (d = 0; d < t->nr_devs; d++) {
		const struct fixedbar_dev *dev = &t->devs[d];
		bool high_ok;

		if (!dev->is_bridge || !dev->br.pref) {
			g->gd[d].pmode = PM_NONE;
			continue;
		}
		high_ok = dev->parent < 0 ? root_high :
			  g->gd[dev->parent].pmode == PM_HIGH;
		/* the kernel nests 64-bit prefetchable windows */
		if (g->kernel_routing && dev->parent >= 0)
			g->gd[d].pmode = dev->br.pref64 && high_ok ? PM_HIGH :
								      PM_LOW;
		else
			g->gd[d].pmode = dev->br.pref64 && high_ok &&
						 chance(g, 75) ?
						 PM_HIGH : PM_LOW;
	}
}

static void set_bar(struct fixedbar_topo *t, int d, int slot,
		    enum fixedbar_res_type type, bool mem64, bool pref,
		    u64 size, u32 count)
{
	struct fixedbar_bar *b = &t->devs[d].bars[slot];

	memset(b, 0, sizeof(*b));
	b->present = true;
	b->type = type;
	b->mem64 = mem64;
	b->pref = pref;
	b->size = size;
	b->count = count ? count : 1;
}

/*
 * Which window of the parent a prefetchable BAR goes to; *@big says it
 * may be larger than 32-bit space can take.
 */
static int pref_class(struct gen *g, int p, bool mem64, bool *big)
{
	*big = false;
	if (p < 0) {
		*big = mem64 && has_high(g);
		return BC_ROOT;
	}
	if (g->kernel_routing) {
		if (!g->t->devs[p].br.pref ||
		    (!mem64 && g->t->devs[p].br.pref64))
			return BC_MEM;
		*big = g->gd[p].pmode == PM_HIGH;
		return BC_PREF;
	}
	if (g->gd[p].pmode == PM_HIGH && mem64 && chance(g, 80)) {
		*big = true;
		return BC_PREF;
	}
	if (g->gd[p].pmode == PM_LOW && chance(g, 70))
		return BC_PREF;
	return BC_MEM;
}

static void gen_bar(struct gen *g, int d, int *slotp, int nslots)
{
	struct fixedbar_topo *t = g->t;
	int p = t->devs[d].parent, slot = *slotp, r = (int)rnd(g, 100);
	bool wide = slot + 1 < nslots, big;
	u8 *cls = &g->gd[d].bclass[slot];
	int np = p < 0 ? BC_ROOT : BC_MEM;

	if (r < 10) {
		set_bar(t, d, slot, FIXEDBAR_RES_IO, false, false,
			pow2(g, 2, 8), 1);
		*cls = p < 0 ? BC_ROOT : BC_IO;
	} else if (r < 40 || (r >= 55 && r < 65) || !wide) {
		bool pref = r >= 55;

		set_bar(t, d, slot, FIXEDBAR_RES_MEM, false, pref,
			pow2(g, 12, 24), 1);
		*cls = (u8)(pref ? pref_class(g, p, false, &big) : np);
	} else if (r < 55) {
		set_bar(t, d, slot, FIXEDBAR_RES_MEM, true, false,
			pow2(g, 12, 24), 1);
		*cls = (u8)np;
		*slotp = slot + 1;
	} else {
		*cls = (u8)pref_class(g, p, true, &big);
		set_bar(t, d, slot, FIXEDBAR_RES_MEM, true, true,
			big ? pow2(g, 14, 36) : pow2(g, 12, 24), 1);
		*slotp = slot + 1;
	}
}

static void gen_vf_bars(struct gen *g, int d)
{
	struct fixedbar_topo *t = g->t;
	int p = t->devs[d].parent, slot = FIXEDBAR_VF_SLOT0;
	int n = 1 + (int)rnd(g, 3);
	u32 count;
	bool big;

	while (n-- > 0 && slot < FIXEDBAR_NR_SLOTS) {
		count = 1 + (u32)rnd(g, 8);
		if (slot + 1 < FIXEDBAR_NR_SLOTS && chance(g, 70)) {
			g->gd[d].bclass[slot] = (u8)pref_class(g, p, true, &big);
			set_bar(t, d, slot, FIXEDBAR_RES_MEM, true, true,
				big ? pow2(g, 14, 30) : pow2(g, 14, 20), count);
			slot += 2;
		} else {
			g->gd[d].bclass[slot] = p < 0 ? BC_ROOT : BC_MEM;
			set_bar(t, d, slot, FIXEDBAR_RES_MEM, false, false,
				pow2(g, 14, 20), count);
			slot++;
		}
	}
}

static void gen_reserves(struct gen *g, int d)
{
	struct fixedbar_bridge *br = &g->t->devs[d].br;

	memset(br->reserve, 0, sizeof(br->reserve));
	if (g->shrink || !chance(g, 10))
		return;
	if (br->io && chance(g, 50))
		br->reserve[FIXEDBAR_WIN_IO] = 0x1000;
	if (chance(g, 70))
		br->reserve[FIXEDBAR_WIN_MEM] = pow2(g, 20, 23);
	if (br->pref && chance(g, 70))
		br->reserve[FIXEDBAR_WIN_PREF] =
			g->gd[d].pmode == PM_HIGH ? pow2(g, 20, 32) :
						    pow2(g, 20, 24);
}

static void gen_bars(struct gen *g, int d)
{
	struct fixedbar_dev *dev = &g->t->devs[d];
	bool bridge = dev->is_bridge;
	int nslots = bridge ? 2 : 6, slot, p = dev->parent;
	bool big;

	memset(dev->bars, 0, sizeof(dev->bars));
	memset(g->gd[d].bclass, 0, sizeof(g->gd[d].bclass));
	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++)
		dev->bars[slot].count = 1;
	for (slot = 0; slot < nslots; slot++) {
		if (bridge ? !chance(g, 10) : !chance(g, slot ? 45 : 90))
			continue;
		gen_bar(g, d, &slot, nslots);
	}
	if (chance(g, bridge ? 5 : 20)) {
		bool pref = chance(g, 30);

		set_bar(g->t, d, FIXEDBAR_ROM_SLOT, FIXEDBAR_RES_MEM, false,
			pref, pow2(g, 11, 20), 1);
		g->gd[d].bclass[FIXEDBAR_ROM_SLOT] =
			(u8)(pref ? pref_class(g, p, false, &big) :
			     p < 0 ? BC_ROOT : BC_MEM);
	}
	if (!bridge && chance(g, 10))
		gen_vf_bars(g, d);
	if (bridge)
		gen_reserves(g, d);
}

/* ---- the witness layout ---- */

static int new_item(struct gen *g, int dev, int slot, int cont, u64 span,
		    u64 align)
{
	struct gitem *it;
	int idx;

	g->items = xgrow(g->items, g->nr_items, &g->max_items,
			 sizeof(*g->items));
	idx = (int)g->nr_items++;
	it = &g->items[idx];
	memset(it, 0, sizeof(*it));
	it->dev = dev;
	it->slot = slot;
	it->cont = cont;
	it->inner = -1;
	it->span = span;
	it->align = align;
	if (cont == ROOT_CONT) {
		it->next = g->root_first;
		g->root_first = idx;
	} else {
		it->next = g->conts[cont].first;
		g->conts[cont].first = idx;
	}
	return idx;
}

static u64 win_gran(const struct fixedbar_dev *dev, int w)
{
	if (w != FIXEDBAR_WIN_IO)
		return MIB;
	return dev->br.io_1k ? KIB : 4 * KIB;
}

static bool win_implemented(const struct fixedbar_dev *dev, int w)
{
	if (w == FIXEDBAR_WIN_IO)
		return dev->br.io;
	if (w == FIXEDBAR_WIN_PREF)
		return dev->br.pref;
	return true;
}

/* Which container of bridge @p (or the root) takes window @w of @d. */
static int parent_cont(struct gen *g, int d, int w)
{
	int p = g->t->devs[d].parent;

	if (p < 0)
		return ROOT_CONT;
	if (w != FIXEDBAR_WIN_PREF)
		return g->gd[p].cont[w];
	if (g->gd[d].pmode == PM_HIGH)
		return g->gd[p].cont[FIXEDBAR_WIN_PREF];
	if (g->kernel_routing)
		return g->gd[p].cont[g->gd[p].pmode == PM_LOW &&
				     (g->t->devs[d].br.pref64 ||
				      !g->t->devs[p].br.pref64) ?
				     FIXEDBAR_WIN_PREF : FIXEDBAR_WIN_MEM];
	if (g->gd[p].pmode == PM_LOW && chance(g, 60))
		return g->gd[p].cont[FIXEDBAR_WIN_PREF];
	return g->gd[p].cont[FIXEDBAR_WIN_MEM];
}

static void make_windows(struct gen *g, int d)
{
	const struct fixedbar_dev *dev = &g->t->devs[d];
	int w, pc, it;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		g->gd[d].cont[w] = NO_CONT;
		if (!win_implemented(dev, w))
			continue;
		pc = parent_cont(g, d, w);
		if (pc == NO_CONT)
			continue;
		it = new_item(g, d, -1 - w, pc, 0, 0);
		g->conts = xgrow(g->conts, g->nr_conts, &g->max_conts,
				 sizeof(*g->conts));
		g->conts[g->nr_conts].item = it;
		g->conts[g->nr_conts].first = -1;
		g->conts[g->nr_conts].gran = win_gran(dev, w);
		g->conts[g->nr_conts].reserve = dev->br.reserve[w];
		g->items[it].inner = (int)g->nr_conts;
		g->gd[d].cont[w] = (int)g->nr_conts++;
	}
}

static void make_bar_items(struct gen *g, int d)
{
	const struct fixedbar_dev *dev = &g->t->devs[d];
	int p = dev->parent, slot, pc;

	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++) {
		const struct fixedbar_bar *b = &dev->bars[slot];

		if (!b->present)
			continue;
		switch (g->gd[d].bclass[slot]) {
		case BC_IO:
			pc = g->gd[p].cont[FIXEDBAR_WIN_IO];
			break;
		case BC_PREF:
			pc = g->gd[p].cont[FIXEDBAR_WIN_PREF];
			break;
		case BC_MEM:
			pc = g->gd[p].cont[FIXEDBAR_WIN_MEM];
			break;
		default:
			pc = ROOT_CONT;
			break;
		}
		if (pc != NO_CONT)
			new_item(g, d, slot, pc, fixedbar_bar_span(b), b->size);
	}
}

struct order {
	u64 align;
	u64 span;
	int idx;
};

static int order_cmp(const void *pa, const void *pb)
{
	const struct order *a = pa, *b = pb;

	if (a->align != b->align)
		return a->align > b->align ? -1 : 1;
	if (a->span != b->span)
		return a->span > b->span ? -1 : 1;
	return a->idx - b->idx;
}

/* Items of a list, largest alignment first, or now and then shuffled. */
static u32 ordered(struct gen *g, int first, struct order **out)
{
	struct order *o;
	u32 n = 0, i;
	int k;

	for (k = first; k >= 0; k = g->items[k].next)
		n++;
	o = xcalloc(n, sizeof(*o));
	n = 0;
	for (k = first; k >= 0; k = g->items[k].next) {
		if (!g->items[k].span)
			continue;
		o[n].align = g->items[k].align;
		o[n].span = g->items[k].span;
		o[n++].idx = k;
	}
	qsort(o, n, sizeof(*o), order_cmp);
	if (chance(g, 20)) {
		for (i = n; i > 1; i--) {
			u32 j = (u32)rnd(g, i);
			struct order tmp = o[i - 1];

			o[i - 1] = o[j];
			o[j] = tmp;
		}
	}
	*out = o;
	return n;
}

static u64 random_gap(struct gen *g, u64 align)
{
	if (align > 16 * MIB || !chance(g, 12))
		return 0;
	return align * (1 + rnd(g, 3));
}

/* Sizes a window from its content: offsets from 0, slack, reserve. */
static void pack_cont(struct gen *g, int k)
{
	struct gcont *c = &g->conts[k];
	struct gitem *w = &g->items[c->item];
	u64 cursor = 0, maxal = c->gran, size;
	struct order *o;
	u32 n, i;

	n = ordered(g, c->first, &o);
	for (i = 0; i < n; i++) {
		struct gitem *it = &g->items[o[i].idx];

		it->off = align_up(cursor, it->align) + random_gap(g, it->align);
		cursor = it->off + it->span;
		if (it->align > maxal)
			maxal = it->align;
	}
	free(o);
	size = cursor + c->reserve;
	if (cursor && chance(g, 20))
		size += c->gran * (1 + rnd(g, 4));
	if (!cursor && !c->reserve)
		size = chance(g, 5) ? c->gran : 0;
	w->span = align_up(size, c->gran);
	w->align = maxal;
}

/* Apertures a root-bus item may sit in. */
static bool root_ok(struct gen *g, const struct gitem *it, u32 ap)
{
	const struct fixedbar_aperture *a = &g->t->apertures[ap];
	const struct fixedbar_dev *dev = &g->t->devs[it->dev];
	const struct fixedbar_bar *b;
	int w;

	if (it->slot >= 0) {
		b = &dev->bars[it->slot];
		if (a->type != b->type)
			return false;
		if (b->type == FIXEDBAR_RES_IO)
			return true;
		if (!b->pref && a->pref)
			return false;
		return b->mem64 || ap_low(a);
	}
	w = -1 - it->slot;
	if (w == FIXEDBAR_WIN_IO)
		return a->type == FIXEDBAR_RES_IO;
	if (w == FIXEDBAR_WIN_MEM)
		return ap_low(a) && !a->pref;
	if (g->gd[it->dev].pmode == PM_HIGH)
		return ap_high(a);
	return ap_low(a);
}

struct ap_state {
	bool down;			/* filling from the top */
	u64 cur;
};

static bool root_fit(struct gen *g, struct gitem *it, u32 ap,
		     struct ap_state *s)
{
	u64 lo = g->lim_start[ap], hi = g->lim_end[ap], off, gap;

	if (hi < lo || hi - lo + 1 < it->span)
		return false;
	gap = random_gap(g, it->align);
	if (!s->down) {
		off = align_up(s->cur, it->align);
		if (off < s->cur || off > hi || hi - off + 1 < it->span)
			return false;
		if (hi - off + 1 - it->span >= gap)
			off += gap;
		s->cur = off + it->span;
	} else {
		if (s->cur - lo < it->span)
			return false;
		off = align_down(s->cur - it->span, it->align);
		if (off < lo)
			return false;
		if (off - lo >= gap)
			off -= gap;
		s->cur = off;
	}
	it->abs = off;
	it->placed = true;
	return true;
}

static int place_root(struct gen *g)
{
	struct ap_state s[FIXEDBAR_MAX_APERTURES];
	u32 nap = g->t->nr_apertures, n, i, j;
	struct order *o;

	for (i = 0; i < nap; i++) {
		s[i].down = chance(g, 30);
		s[i].cur = s[i].down ? g->lim_end[i] + 1 : g->lim_start[i];
	}
	n = ordered(g, g->root_first, &o);
	for (i = 0; i < n; i++) {
		struct gitem *it = &g->items[o[i].idx];
		u32 first = (u32)rnd(g, nap);
		bool io;

		for (j = 0; j < nap && !it->placed; j++) {
			u32 ap = (first + j) % nap;

			if (root_ok(g, it, ap))
				root_fit(g, it, ap, &s[ap]);
		}
		io = it->slot >= 0 ?
		     g->t->devs[it->dev].bars[it->slot].type == FIXEDBAR_RES_IO :
		     it->slot == -1 - FIXEDBAR_WIN_IO;
		if (!it->placed && !io) {
			free(o);
			return -ENOSPC;
		}
	}
	free(o);
	return 0;
}

static void fill_layout(struct gen *g, struct fixedbar_plan *lay)
{
	u32 i;

	fixedbar_plan_free(lay);
	memset(lay, 0, sizeof(*lay));
	lay->nr_devs = g->t->nr_devs;
	lay->devs = xcalloc(lay->nr_devs, sizeof(*lay->devs));
	for (i = 0; i < g->nr_items; i++) {
		const struct gitem *it = &g->items[i];
		struct fixedbar_range *r;

		if (!it->placed || !it->span)
			continue;
		r = it->slot >= 0 ? &lay->devs[it->dev].bars[it->slot] :
				    &lay->devs[it->dev].win[-1 - it->slot];
		r->assigned = true;
		r->start = it->abs;
		r->end = it->abs + it->span - 1;
	}
}

static int construct(struct gen *g, struct fixedbar_plan *lay)
{
	u32 d;
	int k, i, ret;

	g->nr_items = 0;
	g->nr_conts = 0;
	g->root_first = -1;
	for (d = 0; d < g->t->nr_devs; d++) {
		if (g->t->devs[d].is_bridge)
			make_windows(g, (int)d);
		make_bar_items(g, (int)d);
	}
	for (k = (int)g->nr_conts - 1; k >= 0; k--)
		pack_cont(g, k);
	ret = place_root(g);
	if (ret)
		return ret;
	for (k = 0; k < (int)g->nr_conts; k++) {
		const struct gitem *w = &g->items[g->conts[k].item];

		for (i = g->conts[k].first; i >= 0; i = g->items[i].next) {
			struct gitem *it = &g->items[i];

			it->placed = w->placed && it->span;
			it->abs = w->abs + it->off;
		}
	}
	fill_layout(g, lay);
	return 0;
}

/* Devices, BARs and a witness layout, retrying with smaller BARs. */
static int build_feasible(struct gen *g, u32 nr_devs, u32 nr_bridges,
			  struct fixedbar_plan *lay)
{
	int attempt, ret = -ENOSPC;
	u32 d;

	build_tree(g, nr_devs, nr_bridges);
	choose_pref_modes(g);
	for (attempt = 0; attempt < 8 && ret; attempt++) {
		g->shrink = attempt < 7 ? attempt * 3 : 64;
		for (d = 0; d < g->t->nr_devs; d++)
			gen_bars(g, (int)d);
		ret = construct(g, lay);
	}
	return ret ? gen_fail(g, ret, "no witness layout fits") : 0;
}

/* ---- descriptor entries, pins, current addresses ---- */

static void entry_for(const struct fixedbar_topo *t, int d,
		      struct fixedbar_entry *e)
{
	int chain[FIXEDBAR_MAX_DEPTH + 1], n = 0, i;

	memset(e, 0, sizeof(*e));
	e->domain = t->segment;
	e->bus = t->root_bus;
	for (i = d; i >= 0 && n <= FIXEDBAR_MAX_DEPTH; i = t->devs[i].parent)
		chain[n++] = i;
	e->nr_hops = (u8)n;
	for (i = 0; i < n; i++)
		e->devfn[i] = t->devs[chain[n - 1 - i]].devfn;
}

static int entry_index(const struct fixedbar_topo *t,
		       const struct fixedbar_entry *e)
{
	u32 i;

	for (i = 0; i < t->nr_entries; i++) {
		const struct fixedbar_entry *o = &t->entries[i];

		if (o->domain == e->domain && o->bus == e->bus &&
		    o->nr_hops == e->nr_hops &&
		    !memcmp(o->devfn, e->devfn, e->nr_hops))
			return (int)i;
	}
	return -1;
}

static int add_entry(struct gen *g, const struct fixedbar_entry *e)
{
	char msg[FIXEDBAR_MSG_LEN];
	int ret = fixedbar_topo_add_entry(g->t, e, msg, sizeof(msg));

	if (ret) {
		gen_fail(g, ret, "fixedbar_topo_add_entry() failed");
		return ret;
	}
	return entry_index(g->t, e);
}

/* Fixes BAR @slot of @d at @addr; returns the entry index. */
static int fix_bar(struct gen *g, int d, int slot, u64 addr)
{
	struct fixedbar_entry e;

	entry_for(g->t, d, &e);
	e.nr_bars = 1;
	e.bars[0].bar = (u8)slot;
	e.bars[0].addr = addr;
	return add_entry(g, &e);
}

static void culprit(struct fixedbar_gen_case *c, int entry)
{
	u32 i;

	if (entry < 0 || c->nr_culprits >= FIXEDBAR_MAX_ERR_ENTRIES)
		return;
	for (i = 0; i < c->nr_culprits; i++)
		if (c->culprits[i] == (u32)entry)
			return;
	c->culprits[c->nr_culprits++] = (u32)entry;
}

static bool all_bars_assigned(const struct fixedbar_topo *t,
			      const struct fixedbar_plan *lay, int d)
{
	int s;

	for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
		if (t->devs[d].bars[s].present && !lay->devs[d].bars[s].assigned)
			return false;
	return true;
}

static void pin_some(struct gen *g, const struct fixedbar_plan *lay)
{
	struct fixedbar_topo *t = g->t;
	int n, d, s, tries;

	if (!t->nr_devs)
		return;
	n = chance(g, 30) ? 1 + (int)rnd(g, 3) : 0;
	for (tries = 0; n > 0 && tries < 50; tries++) {
		d = (int)rnd(g, t->nr_devs);
		s = (int)rnd(g, FIXEDBAR_NR_SLOTS);
		if (!t->devs[d].bars[s].present ||
		    !lay->devs[d].bars[s].assigned)
			continue;
		t->devs[d].bars[s].pinned = true;
		n--;
	}
	n = chance(g, 20) ? 1 + (int)rnd(g, 2) : 0;
	for (tries = 0; n > 0 && tries < 50; tries++) {
		d = (int)rnd(g, t->nr_devs);
		if (!all_bars_assigned(t, lay, d))
			continue;
		t->devs[d].pinned = true;
		n--;
	}
}

/* Fixes up to @nr memory BARs (bar0..bar5) where the witness put them. */
static int fix_some(struct gen *g, const struct fixedbar_plan *lay, u32 nr)
{
	struct fixedbar_topo *t = g->t;
	u32 n = 0, i, d;
	int *cand, s, ret;

	cand = xcalloc((size_t)t->nr_devs * 6, sizeof(*cand));
	for (d = 0; d < t->nr_devs; d++) {
		for (s = 0; s < 6; s++) {
			const struct fixedbar_bar *b = &t->devs[d].bars[s];

			if (b->present && b->type == FIXEDBAR_RES_MEM &&
			    lay->devs[d].bars[s].assigned)
				cand[n++] = (int)d * 6 + s;
		}
	}
	for (i = 0; i < nr && i < n; i++) {
		u32 j = i + (u32)rnd(g, n - i);
		int c = cand[j], dev = c / 6, slot = c % 6;

		cand[j] = cand[i];
		cand[i] = c;
		ret = fix_bar(g, dev, slot, lay->devs[dev].bars[slot].start);
		/* the same BAR again at the same address merges */
		if (ret >= 0 && chance(g, 5))
			ret = fix_bar(g, dev, slot,
				      lay->devs[dev].bars[slot].start);
		if (ret < 0) {
			free(cand);
			return ret;
		}
	}
	free(cand);
	return 0;
}

/* A random current address, in the space the resource can decode. */
static void garbage_range(struct gen *g, struct fixedbar_range *r, bool io,
			  bool below4g, u64 span, u64 align)
{
	u64 top = io ? 0x10000 : below4g ? FIXEDBAR_4G : 1ULL << 40;

	if (span >= top) {
		r->assigned = false;
		return;
	}
	r->assigned = true;
	r->start = align_down(rnd(g, top - span + 1), align);
	r->end = r->start + span - 1;
}

/* 0: as the witness, 1: unassigned, 2: garbage, 3: a mix */
static void set_cur(struct gen *g, const struct fixedbar_plan *lay, int mode)
{
	struct fixedbar_topo *t = g->t;
	u32 d;
	int s, w, m;

	for (d = 0; d < t->nr_devs; d++) {
		struct fixedbar_dev *dev = &t->devs[d];

		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			struct fixedbar_bar *b = &dev->bars[s];

			if (!b->present)
				continue;
			m = mode == 3 ? (int)rnd(g, 3) : mode;
			if (b->pinned || dev->pinned || !m)
				b->cur = lay->devs[d].bars[s];
			else if (m == 1)
				memset(&b->cur, 0, sizeof(b->cur));
			else
				garbage_range(g, &b->cur,
					      b->type == FIXEDBAR_RES_IO,
					      !b->mem64, fixedbar_bar_span(b),
					      b->size);
		}
		if (!dev->is_bridge)
			continue;
		for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
			struct fixedbar_range *r = &dev->br.cur[w];
			u64 gran = win_gran(dev, w);

			memset(r, 0, sizeof(*r));
			if (!win_implemented(dev, w))
				continue;
			m = mode == 3 ? (int)rnd(g, 3) : mode;
			if (!m)
				*r = lay->devs[d].win[w];
			else if (m == 2)
				garbage_range(g, r, w == FIXEDBAR_WIN_IO, false,
					      gran * (1 + rnd(g, 16)), gran);
		}
	}
}

static int check_witness(struct gen *g, const struct fixedbar_plan *lay)
{
	char vmsg[FIXEDBAR_MSG_LEN];
	int ret = fixedbar_validate(g->t, lay, vmsg, sizeof(vmsg));

	if (ret && g->msg && g->msglen)
		snprintf(g->msg, g->msglen,
			 "generator: witness layout fails validation: %s",
			 vmsg);
	return ret;
}

/* Widens [*lo, *hi] to take @r when @r lies inside aperture @a. */
static void span_in(const struct fixedbar_aperture *a,
		    const struct fixedbar_range *r, u64 *lo, u64 *hi)
{
	if (!r->assigned || r->start < a->start || r->end > a->end)
		return;
	if (r->start < *lo)
		*lo = r->start;
	if (r->end > *hi)
		*hi = r->end;
}

/* Shrinks one memory aperture to what the witness put in it. */
static void tighten_ap(struct gen *g, const struct fixedbar_plan *lay,
		       struct fixedbar_aperture *a)
{
	u64 lo = ~0ULL, hi = 0;
	u32 d;
	int s;

	for (d = 0; d < g->t->nr_devs; d++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			span_in(a, &lay->devs[d].bars[s], &lo, &hi);
		for (s = 0; s < FIXEDBAR_NR_WINDOWS; s++)
			span_in(a, &lay->devs[d].win[s], &lo, &hi);
	}
	if (lo > hi)
		return;
	lo = align_down(lo, MIB);
	hi = align_up(hi + 1, MIB) - 1;
	a->start = lo > a->start ? lo : a->start;
	a->end = hi < a->end ? hi : a->end;
}

static void tighten(struct gen *g, const struct fixedbar_plan *lay)
{
	u32 i;

	for (i = 0; i < g->t->nr_apertures; i++)
		if (g->t->apertures[i].type == FIXEDBAR_RES_MEM)
			tighten_ap(g, lay, &g->t->apertures[i]);
}

/* A feasible topology; @nr_fixed may be 0 (clutter). */
static int gen_feasible(struct gen *g, struct fixedbar_gen_case *c,
			const struct fixedbar_gen_params *par, u32 nr_fixed)
{
	u32 nr_bridges = par->nr_bridges;
	int ret;

	if (!nr_bridges && par->nr_devs > 1)
		nr_bridges = (u32)rnd(g, par->nr_devs / 2 + 1);
	ret = build_feasible(g, par->nr_devs, nr_bridges, &c->layout);
	if (ret)
		return ret;
	if (par->tight)
		tighten(g, &c->layout);
	if (!par->no_pins)
		pin_some(g, &c->layout);
	ret = fix_some(g, &c->layout, nr_fixed);
	if (ret)
		return ret;
	set_cur(g, &c->layout, par->keep_cur ? 0 : (int)rnd(g, 4));
	c->has_layout = true;
	return check_witness(g, &c->layout);
}

/* ---- building blocks for the injected structures ---- */

/* A bridge whose windows can take anything (pref64). */
static int inj_bridge(struct gen *g, int parent, int kind)
{
	int d = add_dev(g, parent, kind);

	if (d < 0)
		return d;
	g->t->devs[d].br.pref = true;
	g->t->devs[d].br.pref64 = true;
	memset(g->t->devs[d].br.reserve, 0, sizeof(g->t->devs[d].br.reserve));
	return d;
}

/* A port below @parent (root or a switch), @extra switches deeper. */
static int inj_port(struct gen *g, int parent, int extra)
{
	int port = inj_bridge(g, parent, parent < 0 ? GK_RP : GK_DSP);

	while (port >= 0 && extra-- > 0) {
		int usp = inj_bridge(g, port, GK_USP);

		port = usp < 0 ? -1 : inj_bridge(g, usp, GK_DSP);
	}
	return port;
}

/* Two sibling ports, below the root bus or below one switch. */
static int inj_siblings(struct gen *g, int *p1, int *p2)
{
	int parent = -1, rp;

	if (chance(g, 50)) {
		rp = inj_bridge(g, -1, GK_RP);
		parent = rp < 0 ? -1 : inj_bridge(g, rp, GK_USP);
		if (parent < 0)
			return -ENOSPC;
	}
	*p1 = inj_port(g, parent, (int)rnd(g, 2));
	*p2 = inj_port(g, parent, (int)rnd(g, 2));
	return *p1 < 0 || *p2 < 0 ? -ENOSPC : 0;
}

/* A free slot for a BAR (a 64-bit one takes two); -1 when none. */
static int free_bar_slot(const struct fixedbar_topo *t, int d, bool mem64)
{
	int s;

	for (s = 0; s < 6; s += mem64 ? 2 : 1)
		if (!t->devs[d].bars[s].present &&
		    (!mem64 || !t->devs[d].bars[s + 1].present) &&
		    (!s || !t->devs[d].bars[s - 1].present ||
		     !t->devs[d].bars[s - 1].mem64))
			return s;
	return -1;
}

static int inj_bar(struct gen *g, int d, bool mem64, bool pref, u64 size)
{
	int s = free_bar_slot(g->t, d, mem64);

	if (s >= 0)
		set_bar(g->t, d, s, FIXEDBAR_RES_MEM, mem64, pref, size, 1);
	return s;
}

/* Endpoint below @port (-1: root bus), sometimes with a small movable BAR. */
static int inj_ep(struct gen *g, int port)
{
	int d = add_dev(g, port, GK_EP);

	if (d >= 0 && chance(g, 30))
		set_bar(g->t, d, 5, FIXEDBAR_RES_MEM, false, false,
			pow2_raw(g, 12, 16), 1);
	return d;
}

/* A size-aligned [a, a + span) inside [lo, hi]. */
static bool pick_addr(struct gen *g, u64 lo, u64 hi, u64 span, u64 align,
		      u64 *a)
{
	u64 first = align_up(lo, align), last;

	if (first < lo || first > hi || hi - first + 1 < span)
		return false;
	last = align_down(hi - span + 1, align);
	*a = first + rnd(g, (last - first) / align + 1) * align;
	return true;
}

/* Fixed-BAR flavour for a region: 64-bit pref high, non-pref low. */
struct flavour {
	bool high;
	bool mem64;
	bool pref;
	u64 lo;
	u64 hi;
	int maxlog;
};

static int pick_flavour(struct gen *g, struct flavour *f, int high_pct)
{
	f->high = chance(g, high_pct);
	if (!target_region(g, f->high, &f->lo, &f->hi)) {
		f->high = !f->high;
		if (!target_region(g, f->high, &f->lo, &f->hi))
			return gen_fail(g, -ENOSPC, "no target region");
	}
	f->mem64 = f->high || chance(g, 50);
	f->pref = f->high;
	f->maxlog = f->high ? 28 : 20;
	return 0;
}

/* Fixes a new BAR of @f's flavour on @d at @a; returns the entry. */
static int fix_new(struct gen *g, int d, const struct flavour *f, u64 size,
		   u64 a)
{
	int s = inj_bar(g, d, f->mem64, f->pref, size);

	if (s < 0)
		return gen_fail(g, -ENOSPC, "no free BAR slot");
	return fix_bar(g, d, s, a);
}

/* ---- infeasible kinds ---- */

static int gen_interleave(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 sa, sb, sc, a, b, cc;
	int p1, p2, ea, eb, ec, ret;

	ret = pick_flavour(g, &f, 60);
	if (!ret)
		ret = inj_siblings(g, &p1, &p2);
	if (ret)
		return ret;
	sa = pow2_raw(g, 12, f.maxlog);
	sb = pow2_raw(g, 12, f.maxlog);
	sc = pow2_raw(g, 12, f.maxlog);
	if (!pick_addr(g, f.lo, f.lo + (f.hi - f.lo) / 4, sa, sa, &a))
		return gen_fail(g, -ENOSPC, "interleave: region too small");
	b = align_up(a + sa + rnd(g, 4) * sb, sb);
	cc = align_up(b + sb + rnd(g, 4) * sc, sc);
	if (cc + sc - 1 > f.hi)
		return gen_fail(g, -ENOSPC, "interleave: region too small");
	ea = inj_ep(g, p1);
	eb = inj_ep(g, p2);
	ec = chance(g, 50) ? ea : inj_ep(g, p1);
	if (ea < 0 || eb < 0 || ec < 0)
		return gen_fail(g, -ENOSPC, "interleave: bus full");
	ret = fix_new(g, ea, &f, sa, a);
	culprit(c, ret);
	if (ret >= 0) {
		ret = fix_new(g, eb, &f, sb, b);
		culprit(c, ret);
	}
	if (ret >= 0) {
		ret = fix_new(g, ec, &f, sc, cc);
		culprit(c, ret);
	}
	snprintf(c->note, sizeof(c->note),
		 "fixed 0x%llx < 0x%llx < 0x%llx, outer two under one port",
		 (unsigned long long)a, (unsigned long long)b,
		 (unsigned long long)cc);
	return ret < 0 ? ret : 0;
}

static int gen_granule(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 gr, s1, s2, a1, a2;
	int p1, p2, e1, e2, ret;
	bool swap;

	ret = pick_flavour(g, &f, 60);
	if (!ret)
		ret = inj_siblings(g, &p1, &p2);
	if (ret)
		return ret;
	if (!pick_addr(g, f.lo, f.hi, MIB, MIB, &gr))
		return gen_fail(g, -ENOSPC, "granule: region too small");
	s1 = pow2_raw(g, 12, 18);
	s2 = pow2_raw(g, 12, 18);
	swap = chance(g, 50);
	pick_addr(g, gr + (swap ? MIB / 2 : 0), gr + (swap ? MIB : MIB / 2) - 1,
		  s1, s1, &a1);
	pick_addr(g, gr + (swap ? 0 : MIB / 2), gr + (swap ? MIB / 2 : MIB) - 1,
		  s2, s2, &a2);
	e1 = inj_ep(g, p1);
	e2 = inj_ep(g, p2);
	if (e1 < 0 || e2 < 0)
		return gen_fail(g, -ENOSPC, "granule: bus full");
	culprit(c, fix_new(g, e1, &f, s1, a1));
	culprit(c, fix_new(g, e2, &f, s2, a2));
	snprintf(c->note, sizeof(c->note),
		 "fixed 0x%llx and 0x%llx under sibling ports, granule 0x%llx",
		 (unsigned long long)a1, (unsigned long long)a2,
		 (unsigned long long)gr);
	return 0;
}

/* An endpoint below a fresh chain of 1..4 bridges, or on the root bus. */
static int inj_deep_ep(struct gen *g, bool root_ok_)
{
	int port = -1;

	if (!root_ok_ || chance(g, 60)) {
		port = inj_port(g, -1, (int)rnd(g, 3));
		if (port < 0)
			return -1;
	}
	return inj_ep(g, port);
}

static int gen_nonpref_high(struct gen *g, struct fixedbar_gen_case *c)
{
	u64 lo, hi, size = pow2_raw(g, 12, 30), a;
	int d = inj_deep_ep(g, false), s;

	if (d < 0 || !target_region(g, true, &lo, &hi) ||
	    !pick_addr(g, lo, hi, size, size, &a))
		return gen_fail(g, -ENOSPC, "nonpref_high: no room");
	s = inj_bar(g, d, true, false, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note),
		 "64-bit non-pref bar%d fixed at 0x%llx behind a bridge", s,
		 (unsigned long long)a);
	return 0;
}

static int gen_bar32_high(struct gen *g, struct fixedbar_gen_case *c)
{
	u64 lo, hi, size = pow2_raw(g, 12, 28), a;
	int d = inj_deep_ep(g, true), s;
	bool pref = chance(g, 50);

	if (d < 0 || !target_region(g, true, &lo, &hi) ||
	    !pick_addr(g, lo, hi, size, size, &a))
		return gen_fail(g, -ENOSPC, "bar32_high: no room");
	s = inj_bar(g, d, false, pref, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note), "32-bit %sbar%d fixed at 0x%llx",
		 pref ? "pref " : "", s, (unsigned long long)a);
	return 0;
}

static int gen_no_pref64(struct gen *g, struct fixedbar_gen_case *c)
{
	u64 lo, hi, size = pow2_raw(g, 20, 32), a;
	int path[FIXEDBAR_MAX_DEPTH], n = 0, d, s, b;
	struct fixedbar_bridge *br;

	d = inj_deep_ep(g, false);
	if (d < 0 || !target_region(g, true, &lo, &hi) ||
	    !pick_addr(g, lo, hi, size, size, &a))
		return gen_fail(g, -ENOSPC, "no_pref64: no room");
	for (b = g->t->devs[d].parent; b >= 0 && n < FIXEDBAR_MAX_DEPTH;
	     b = g->t->devs[b].parent)
		path[n++] = b;
	b = path[rnd(g, (u64)n)];
	br = &g->t->devs[b].br;
	br->pref64 = false;
	br->pref = chance(g, 50);
	s = inj_bar(g, d, true, true, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note),
		 "64-bit pref bar%d fixed at 0x%llx, a bridge %s pref window",
		 s, (unsigned long long)a, br->pref ? "with a 32-bit" : "without a");
	return 0;
}

struct gap {
	u64 lo;
	u64 hi;
};

/* Memory space covered by no memory aperture, below ADDR_TOP. */
static u32 mem_gaps(struct gen *g, struct gap *gaps, u32 max)
{
	u64 pos = 0;
	u32 n = 0;

	while (pos < ADDR_TOP && n < max) {
		u64 next = ADDR_TOP, resume = 0;
		bool inside = false;
		u32 i;

		for (i = 0; i < g->t->nr_apertures; i++) {
			const struct fixedbar_aperture *a = &g->t->apertures[i];

			if (a->type != FIXEDBAR_RES_MEM)
				continue;
			if (a->start <= pos && a->end >= pos) {
				inside = true;
				if (a->end + 1 > resume)
					resume = a->end + 1;
			} else if (a->start > pos && a->start < next) {
				next = a->start;
			}
		}
		if (inside) {
			pos = resume;
			continue;
		}
		gaps[n].lo = pos;
		gaps[n++].hi = next - 1;
		pos = next;
	}
	return n;
}

static int outside_gap(struct gen *g, struct fixedbar_gen_case *c)
{
	struct gap gaps[2 * FIXEDBAR_MAX_APERTURES + 2];
	u32 n = mem_gaps(g, gaps, 2 * FIXEDBAR_MAX_APERTURES + 2);
	const struct gap *gp;
	bool high;
	u64 size, a;
	int d, s;

	if (!n)
		return gen_fail(g, -ENOSPC, "outside: no gap");
	gp = &gaps[rnd(g, n)];
	high = gp->hi >= FIXEDBAR_4G;
	size = pow2_raw(g, 12, high ? 32 : 22);
	if (!pick_addr(g, high && gp->lo < FIXEDBAR_4G ? FIXEDBAR_4G : gp->lo,
		       gp->hi, size, size, &a))
		return gen_fail(g, -ENOSPC, "outside: gap too small");
	d = inj_deep_ep(g, true);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "outside: bus full");
	s = inj_bar(g, d, high || chance(g, 50), high, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note), "bar%d fixed at 0x%llx in a gap", s,
		 (unsigned long long)a);
	return 0;
}

/* A BAR across the end of a 32-bit aperture. */
static int outside_straddle(struct gen *g, struct fixedbar_gen_case *c)
{
	int ap = pick_ap(g, false, true), k, d, s;
	const struct fixedbar_aperture *x;
	u64 size = 0, a = 0;

	if (ap < 0)
		return outside_gap(g, c);
	x = &g->t->apertures[ap];
	for (k = 17 + (int)rnd(g, 8); k <= 28; k++) {
		size = 1ULL << k;
		a = align_down(x->end, size);
		if ((x->end + 1) % size && a >= x->start)
			break;
	}
	if (k > 28)
		return outside_gap(g, c);
	d = inj_deep_ep(g, true);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "outside: bus full");
	s = inj_bar(g, d, false, false, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note),
		 "bar%d fixed at 0x%llx across the aperture end 0x%llx", s,
		 (unsigned long long)a, (unsigned long long)x->end);
	return 0;
}

/* A non-prefetchable root-bus BAR inside a prefetchable aperture only. */
static int outside_pref_ap(struct gen *g, struct fixedbar_gen_case *c)
{
	int cand[FIXEDBAR_MAX_APERTURES], n = 0, d, s;
	const struct fixedbar_aperture *x;
	u64 size = pow2_raw(g, 12, 24), a;
	u32 i;

	for (i = 0; i < g->t->nr_apertures; i++)
		if (g->t->apertures[i].type == FIXEDBAR_RES_MEM &&
		    g->t->apertures[i].pref)
			cand[n++] = (int)i;
	if (!n)
		return outside_gap(g, c);
	i = (u32)cand[rnd(g, (u64)n)];
	x = &g->t->apertures[i];
	if (!pick_addr(g, g->lim_end[i] + 1, x->end, size, size, &a))
		return outside_gap(g, c);
	d = inj_ep(g, -1);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "outside: bus full");
	s = inj_bar(g, d, ap_high(x), false, size);
	culprit(c, fix_bar(g, d, s, a));
	snprintf(c->note, sizeof(c->note),
		 "non-pref root bar%d fixed at 0x%llx in a pref aperture", s,
		 (unsigned long long)a);
	return 0;
}

static int gen_outside(struct gen *g, struct fixedbar_gen_case *c)
{
	switch (rnd(g, 3)) {
	case 0:
		return outside_straddle(g, c);
	case 1:
		return outside_pref_ap(g, c);
	default:
		return outside_gap(g, c);
	}
}

static int gen_misaligned(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 size, a, unit;
	int d, ret;

	ret = pick_flavour(g, &f, 50);
	if (ret)
		return ret;
	size = pow2_raw(g, 13, f.maxlog);
	if (!pick_addr(g, f.lo, f.hi, 2 * size, size, &a))
		return gen_fail(g, -ENOSPC, "misaligned: no room");
	unit = size > 4 * KIB && chance(g, 50) ? 4 * KIB : 16;
	a += unit * (1 + rnd(g, size / unit - 1));
	d = inj_deep_ep(g, true);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "misaligned: bus full");
	culprit(c, fix_new(g, d, &f, size, a));
	snprintf(c->note, sizeof(c->note), "size 0x%llx fixed at 0x%llx",
		 (unsigned long long)size, (unsigned long long)a);
	return 0;
}

/* Two endpoints: the same one, same port, root bus, or sibling ports. */
static int inj_pair(struct gen *g, int *e1, int *e2)
{
	int p1 = -1, p2 = -1;

	switch (rnd(g, 4)) {
	case 0:
		*e1 = inj_deep_ep(g, true);
		*e2 = *e1;
		break;
	case 1:
		p1 = inj_port(g, -1, (int)rnd(g, 2));
		if (p1 < 0)
			return -ENOSPC;
		*e1 = inj_ep(g, p1);
		*e2 = inj_ep(g, p1);
		break;
	case 2:
		*e1 = inj_ep(g, -1);
		*e2 = inj_ep(g, -1);
		break;
	default:
		if (inj_siblings(g, &p1, &p2))
			return -ENOSPC;
		*e1 = inj_ep(g, p1);
		*e2 = inj_ep(g, p2);
		break;
	}
	return *e1 < 0 || *e2 < 0 ? -ENOSPC : 0;
}

/* @a2 for a BAR of @s2 that overlaps [a1, a1 + s1) */
static u64 overlapping(struct gen *g, u64 a1, u64 s1, u64 s2)
{
	if (s2 <= s1)
		return a1 + rnd(g, s1 / s2) * s2;
	return align_down(a1, s2);
}

static int gen_overlap_fixed(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 s1, s2, a1, a2;
	int e1, e2, ret;

	ret = pick_flavour(g, &f, 60);
	if (!ret && inj_pair(g, &e1, &e2))
		ret = gen_fail(g, -ENOSPC, "overlap: bus full");
	if (ret)
		return ret;
	s1 = pow2_raw(g, 12, f.maxlog - 2);
	s2 = pow2_raw(g, 12, f.maxlog - 2);
	if (!pick_addr(g, f.lo, f.hi, s1 > s2 ? s1 : s2, s1 > s2 ? s1 : s2,
		       &a1))
		return gen_fail(g, -ENOSPC, "overlap: no room");
	a2 = overlapping(g, a1, s1, s2);
	culprit(c, fix_new(g, e1, &f, s1, a1));
	culprit(c, fix_new(g, e2, &f, s2, a2));
	snprintf(c->note, sizeof(c->note),
		 "fixed size 0x%llx at 0x%llx and size 0x%llx at 0x%llx",
		 (unsigned long long)s1, (unsigned long long)a1,
		 (unsigned long long)s2, (unsigned long long)a2);
	return 0;
}

static int gen_overlap_pinned(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 s1, s2, a1, a2;
	int e1, e2, s, ret;
	bool move = chance(g, 30);

	ret = pick_flavour(g, &f, 60);
	if (!ret && inj_pair(g, &e1, &e2))
		ret = gen_fail(g, -ENOSPC, "pinned: bus full");
	if (ret)
		return ret;
	s1 = pow2_raw(g, 12, f.maxlog - 2);
	s2 = pow2_raw(g, 12, f.maxlog - 2);
	if (!pick_addr(g, f.lo, f.hi, s1 > s2 ? s1 : s2, s1 > s2 ? s1 : s2,
		       &a1))
		return gen_fail(g, -ENOSPC, "pinned: no room");
	s = inj_bar(g, e1, f.mem64, f.pref, s1);
	if (s < 0)
		return gen_fail(g, -ENOSPC, "pinned: no BAR slot");
	g->t->devs[e1].bars[s].cur.assigned = true;
	g->t->devs[e1].bars[s].cur.start = a1;
	g->t->devs[e1].bars[s].cur.end = a1 + s1 - 1;
	if (chance(g, 50)) {
		/* nothing else on it, so every BAR of it has a place */
		memset(&g->t->devs[e1].bars[5], 0, sizeof(g->t->devs[e1].bars[5]));
		g->t->devs[e1].bars[5].count = 1;
		g->t->devs[e1].pinned = true;
	} else {
		g->t->devs[e1].bars[s].pinned = true;
	}
	if (move) {
		/* the pinned BAR itself, fixed somewhere else */
		do {
			pick_addr(g, f.lo, f.hi, s1, s1, &a2);
		} while (a2 == a1);
		culprit(c, fix_bar(g, e1, s, a2));
	} else {
		a2 = overlapping(g, a1, s1, s2);
		culprit(c, fix_new(g, e2, &f, s2, a2));
	}
	snprintf(c->note, sizeof(c->note),
		 "pinned size 0x%llx at 0x%llx, fixed %s at 0x%llx",
		 (unsigned long long)s1, (unsigned long long)a1,
		 move ? "itself" : "another", (unsigned long long)a2);
	return 0;
}

static int unused_devfn(struct gen *g, const u32 *u)
{
	int d0 = (int)rnd(g, 256), i;

	for (i = 0; i < 256; i++)
		if (!used_test(u, (d0 + i) & 255))
			return (d0 + i) & 255;
	return -1;
}

static int gen_nodev(struct gen *g, struct fixedbar_gen_case *c)
{
	struct fixedbar_topo *t = g->t;
	struct fixedbar_entry e;
	char msg[FIXEDBAR_MSG_LEN];
	int d, hop, v = (int)rnd(g, 3), devfn, bridge;

	if (!t->nr_devs && inj_ep(g, -1) < 0)
		return gen_fail(g, -ENOSPC, "nodev: bus full");
	d = (int)rnd(g, t->nr_devs);
	entry_for(t, d, &e);
	e.nr_bars = 1;
	e.bars[0].bar = (u8)rnd(g, 6);
	e.bars[0].addr = 0x80000000ULL + rnd(g, 0x1000) * 0x1000;
	if (v == 1 && e.nr_hops > FIXEDBAR_MAX_DEPTH)
		v = 2;
	switch (v) {
	case 0:
		/* a hop that does not exist on its bus */
		hop = (int)rnd(g, e.nr_hops);
		for (bridge = d; t->devs[bridge].depth > hop;)
			bridge = t->devs[bridge].parent;
		devfn = unused_devfn(g, bus_used(g, t->devs[bridge].parent));
		if (devfn < 0)
			return gen_fail(g, -ENOSPC, "nodev: bus full");
		e.devfn[hop] = (u8)devfn;
		break;
	case 1:
		/* one hop too many */
		devfn = t->devs[d].is_bridge ?
				unused_devfn(g, bus_used(g, d)) :
				(int)rnd(g, 256);
		if (devfn < 0)
			return gen_fail(g, -ENOSPC, "nodev: bus full");
		e.devfn[e.nr_hops++] = (u8)devfn;
		break;
	default:
		if (chance(g, 50))
			e.domain = (u16)(t->segment + 1 + rnd(g, 0xfffe));
		else
			e.bus = (u8)(t->root_bus + 1 + rnd(g, 0xfe));
		break;
	}
	if (fixedbar_topo_find(t, &e, msg, sizeof(msg)) != -ENODEV)
		return gen_fail(g, -EINVAL, "nodev: the path exists");
	culprit(c, add_entry(g, &e));
	snprintf(c->note, sizeof(c->note), "%s", msg);
	return 0;
}

static int gen_unimplemented(struct gen *g, struct fixedbar_gen_case *c)
{
	struct flavour f;
	u64 size, a;
	int d, s, bad, ret, e;

	ret = pick_flavour(g, &f, 50);
	if (ret)
		return ret;
	d = inj_deep_ep(g, true);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "unimplemented: bus full");
	size = pow2_raw(g, 12, f.maxlog);
	f.mem64 = true;
	s = inj_bar(g, d, true, f.pref, size);
	if (s < 0 || !pick_addr(g, f.lo, f.hi, size, size, &a))
		return gen_fail(g, -ENOSPC, "unimplemented: no room");
	if (chance(g, 50)) {
		bad = s + 1;
	} else {
		do {
			bad = (int)rnd(g, 6);
		} while (g->t->devs[d].bars[bad].present ||
			 (bad && g->t->devs[d].bars[bad - 1].present &&
			  g->t->devs[d].bars[bad - 1].mem64 && chance(g, 50)));
	}
	if (chance(g, 40) && fix_bar(g, d, s, a) < 0)
		return -EINVAL;
	/* named somewhere that would be fine for a real BAR of that size */
	if (!pick_addr(g, a + size, f.hi, size, size, &a) &&
	    !pick_addr(g, f.lo, a - 1, size, size, &a))
		return gen_fail(g, -ENOSPC, "unimplemented: no room");
	e = fix_bar(g, d, bad, a);
	culprit(c, e);
	snprintf(c->note, sizeof(c->note), "bar%d named, 64-bit bar%d exists",
		 bad, s);
	return e < 0 ? e : 0;
}

/* A few small movable endpoints on the root bus. */
static void small_clutter(struct gen *g)
{
	int n = (int)rnd(g, 6), d;

	while (n-- > 0) {
		d = add_dev(g, -1, GK_EP);
		if (d >= 0)
			set_bar(g->t, d, 0, FIXEDBAR_RES_MEM, false, false,
				pow2_raw(g, 12, 16), 1);
	}
}

/* Holders of fixed BARs: root endpoints, or endpoints below root ports. */
static int holder_ep(struct gen *g, int *port, int *ep)
{
	if (*ep >= 0 && free_bar_slot(g->t, *ep, true) >= 0)
		return *ep;
	if (*port >= 0 && chance(g, 50))
		*ep = inj_ep(g, *port);
	else
		*ep = -1;
	if (*ep < 0) {
		*port = chance(g, 50) ? inj_port(g, -1, (int)rnd(g, 2)) : -1;
		*ep = inj_ep(g, *port);
	}
	return *ep;
}

static int gen_nospc_hole(struct gen *g, struct fixedbar_gen_case *c)
{
	int lx = 32 + (int)rnd(g, 5), k = 1 + (int)rnd(g, 8), i, port = -1;
	int ep = -1, d, s;
	u64 x = 1ULL << lx, base = 0x8000000000ULL, sz, a;

	g->t->nr_apertures = 0;
	add_ap(g, FIXEDBAR_RES_IO, false, 0x1000, 0xffff);
	add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xfebfffff);
	add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), base, base + k * x - 1);
	shuffle_aps(g);
	small_clutter(g);
	/* a fixed BAR in every aligned block of x, a holder per run */
	for (i = 0; i < k; i++) {
		if (chance(g, 40))
			ep = -1;
		d = holder_ep(g, &port, &ep);
		if (d < 0)
			return gen_fail(g, -ENOSPC, "nospc_hole: bus full");
		sz = pow2_raw(g, 20, lx - 1);
		a = base + (u64)i * x + rnd(g, x / sz) * sz;
		s = inj_bar(g, d, true, true, sz);
		if (fix_bar(g, d, s, a) < 0)
			return -EINVAL;
	}
	d = inj_deep_ep(g, true);
	if (d < 0)
		return gen_fail(g, -ENOSPC, "nospc_hole: bus full");
	s = inj_bar(g, d, true, true, x);
	snprintf(c->note, sizeof(c->note),
		 "movable bar%d of 0x%llx, every aligned block of %d taken", s,
		 (unsigned long long)x, k);
	return 0;
}

static int gen_nospc_total(struct gen *g, struct fixedbar_gen_case *c)
{
	bool low = chance(g, 50);
	int ls = low ? 24 + (int)rnd(g, 5) : 34 + (int)rnd(g, 4);
	u64 total = 0, need, sz, cap = 1ULL << ls;
	int port = -1, ep = -1, d, s;

	g->t->nr_apertures = 0;
	add_ap(g, FIXEDBAR_RES_IO, false, 0x1000, 0xffff);
	if (low) {
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000,
		       0x80000000 + cap - 1);
		add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), 0x8000000000ULL,
		       0xffffffffffULL);
		need = cap;
	} else {
		add_ap(g, FIXEDBAR_RES_MEM, false, 0x80000000, 0xbfffffff);
		add_ap(g, FIXEDBAR_RES_MEM, chance(g, 50), 0x8000000000ULL,
		       0x8000000000ULL + cap - 1);
		need = cap + GIB;
	}
	shuffle_aps(g);
	while (total <= need) {
		d = holder_ep(g, &port, &ep);
		if (d < 0)
			return gen_fail(g, -ENOSPC, "nospc_total: bus full");
		sz = low ? pow2_raw(g, ls - 6, ls - 2) :
			   pow2_raw(g, 30, ls - 1);
		s = inj_bar(g, d, !low, !low, sz);
		if (s < 0) {
			ep = -1;
			continue;
		}
		total += sz;
	}
	snprintf(c->note, sizeof(c->note),
		 "%s BARs of 0x%llx in all for 0x%llx of space",
		 low ? "32-bit non-pref" : "64-bit pref",
		 (unsigned long long)total, (unsigned long long)need);
	return 0;
}

/* ---- the cases ---- */

static const struct {
	const char *name;
	int err;
	int (*fn)(struct gen *g, struct fixedbar_gen_case *c);
	bool clutter;
} kinds[FIXEDBAR_GEN_NR_KINDS] = {
	[FIXEDBAR_GEN_FEASIBLE] = { "feasible", 0, NULL, false },
	[FIXEDBAR_GEN_INTERLEAVE] = { "interleave", -EBUSY, gen_interleave,
				      true },
	[FIXEDBAR_GEN_GRANULE] = { "granule", -EBUSY, gen_granule, true },
	[FIXEDBAR_GEN_NONPREF_HIGH] = { "nonpref_high", -EINVAL,
					gen_nonpref_high, true },
	[FIXEDBAR_GEN_BAR32_HIGH] = { "bar32_high", -EINVAL, gen_bar32_high,
				      true },
	[FIXEDBAR_GEN_NO_PREF64] = { "no_pref64", -EOPNOTSUPP, gen_no_pref64,
				     true },
	[FIXEDBAR_GEN_OUTSIDE] = { "outside", -EINVAL, gen_outside, true },
	[FIXEDBAR_GEN_MISALIGNED] = { "misaligned", -EINVAL, gen_misaligned,
				      true },
	[FIXEDBAR_GEN_OVERLAP_FIXED] = { "overlap_fixed", -EBUSY,
					 gen_overlap_fixed, true },
	[FIXEDBAR_GEN_OVERLAP_PINNED] = { "overlap_pinned", -EBUSY,
					  gen_overlap_pinned, true },
	[FIXEDBAR_GEN_NODEV] = { "nodev", -ENODEV, gen_nodev, true },
	[FIXEDBAR_GEN_UNIMPLEMENTED] = { "unimplemented", -EINVAL,
					 gen_unimplemented, true },
	[FIXEDBAR_GEN_NOSPC_HOLE] = { "nospc_hole", -ENOSPC, gen_nospc_hole,
				      false },
	[FIXEDBAR_GEN_NOSPC_TOTAL] = { "nospc_total", -ENOSPC,
				       gen_nospc_total, false },
};

const char *fixedbar_gen_kind_name(enum fixedbar_gen_kind kind)
{
	if ((unsigned int)kind >= FIXEDBAR_GEN_NR_KINDS)
		return "?";
	return kinds[kind].name;
}

int fixedbar_gen_kind_errno(enum fixedbar_gen_kind kind)
{
	if ((unsigned int)kind >= FIXEDBAR_GEN_NR_KINDS)
		return -EINVAL;
	return kinds[kind].err;
}

static void gen_release(struct gen *g)
{
	free(g->gd);
	free(g->items);
	free(g->conts);
}

void fixedbar_gen_free(struct fixedbar_gen_case *c)
{
	fixedbar_topo_free(&c->topo);
	fixedbar_plan_free(&c->layout);
	memset(c, 0, sizeof(*c));
}

static u32 nr_fixed_bars(const struct fixedbar_topo *t)
{
	u32 i, n = 0;

	for (i = 0; i < t->nr_entries; i++)
		n += t->entries[i].nr_bars;
	return n;
}

static void gen_identity(struct gen *g)
{
	if (!chance(g, 15))
		return;
	g->t->segment = (u16)rnd(g, 4);
	g->t->root_bus = (u8)(chance(g, 50) ? 0x80 : rnd(g, 256));
}

/* The clutter of an infeasible case: feasible, in the lower halves. */
static int gen_clutter(struct gen *g, struct fixedbar_gen_case *c)
{
	struct fixedbar_gen_params par = { 0 };
	int ret;

	gen_apertures(g, true);
	limit_lower_halves(g);
	par.nr_devs = 1 + (u32)rnd(g, 40);
	ret = gen_feasible(g, c, &par, (u32)rnd(g, 4));
	fixedbar_plan_free(&c->layout);
	c->has_layout = false;
	return ret;
}

int fixedbar_gen(struct fixedbar_gen_case *c, enum fixedbar_gen_kind kind,
		 u64 seed, const struct fixedbar_gen_params *par, char *msg,
		 size_t msglen)
{
	struct fixedbar_gen_params defaults = { 0 };
	struct gen g;
	int ret;

	memset(c, 0, sizeof(*c));
	memset(&g, 0, sizeof(g));
	if (msg && msglen)
		msg[0] = '\0';
	if ((unsigned int)kind >= FIXEDBAR_GEN_NR_KINDS)
		return -EINVAL;
	c->kind = kind;
	c->seed = seed;
	c->expect = kinds[kind].err;
	fixedbar_topo_init(&c->topo);
	fixedbar_rng_seed(&g.rng, seed);
	g.t = &c->topo;
	g.msg = msg;
	g.msglen = msglen;
	g.kernel_routing = par && par->kernel_routing;
	gen_identity(&g);

	if (kind == FIXEDBAR_GEN_FEASIBLE) {
		if (!par) {
			defaults.nr_devs = 1 + (u32)rnd(&g, 300);
			par = &defaults;
		}
		gen_apertures(&g, false);
		ret = gen_feasible(&g, c, par,
				   par->nr_fixed ? par->nr_fixed :
						   1 + (u32)rnd(&g, 16));
		snprintf(c->note, sizeof(c->note),
			 "%u devices, %u fixed BARs in %u entries",
			 c->topo.nr_devs, nr_fixed_bars(&c->topo),
			 c->topo.nr_entries);
	} else {
		ret = kinds[kind].clutter ? gen_clutter(&g, c) : 0;
		if (!ret)
			ret = kinds[kind].fn(&g, c);
	}
	gen_release(&g);
	if (ret && msg && msglen && !msg[0])
		snprintf(msg, msglen, "generator: %s failed (%d)",
			 kinds[kind].name, ret);
	return ret;
}
