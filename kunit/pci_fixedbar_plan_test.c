// SPDX-License-Identifier: GPL-2.0
/*
 * pci_fixedbar_plan: the planner over the topology fixture library that the
 * userspace tests share (the JSON files in tests/fixtures, turned into C tables by
 * kunit/gen-fixtures.py).  Every fixture must give its expected errno;
 * feasible ones must pass fixedbar_validate() with each fixed BAR exactly
 * at its address and nothing pinned moved.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "fixedbar.h"

struct kfx_bar {
	u8 slot;
	bool io, mem64, pref, pinned;
	u64 size;
	u32 count;
	bool has_addr;
	u64 addr;
};

struct kfx_dev {
	int parent;
	u8 devfn;
	bool has_id;
	u16 vendor, device;
	bool pinned;
	bool is_bridge;
	struct {
		bool io, io_1k, pref, pref64, hotplug;
	} br;
	u64 reserve[FIXEDBAR_NR_WINDOWS];
	struct {
		bool on;
		u64 start, end;
	} win[FIXEDBAR_NR_WINDOWS];
	const struct kfx_bar *bars;
	u32 nr_bars;
};

struct kfx_fixture {
	const char *name;
	u16 segment;
	u8 root_bus;
	u32 nr_apertures;
	struct fixedbar_aperture apertures[FIXEDBAR_MAX_APERTURES];
	const struct fixedbar_reserved *reserved;
	u32 nr_reserved;
	const struct kfx_dev *devs;
	u32 nr_devs;
	const char *const *fixed;
	u32 nr_fixed;
	const char *const *msg;
	u32 nr_msg;
	int err;
	int entries, warnings_min, warnings_max;
	int unassigned_min, unassigned_max, moved_max;
};

#include "pci_fixedbar_fixtures.h"

static void kfx_desc(const struct kfx_fixture *f, char *desc)
{
	strscpy(desc, f->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kfx, kfx_fixtures, kfx_desc);

struct kfx_ctx {
	struct fixedbar_topo t;
	struct fixedbar_plan p;
	char msg[FIXEDBAR_MSG_LEN];
	char res[FIXEDBAR_RES_LEN];
	char path[FIXEDBAR_PATH_LEN];
};

static int kfx_build(struct kunit *test, const struct kfx_fixture *f,
		     struct fixedbar_topo *t)
{
	u32 i, j;
	int idx;

	fixedbar_topo_init(t);
	t->segment = f->segment;
	t->root_bus = f->root_bus;
	t->nr_apertures = f->nr_apertures;
	memcpy(t->apertures, f->apertures, sizeof(f->apertures));
	for (i = 0; i < f->nr_reserved; i++)
		KUNIT_ASSERT_EQ(test,
				fixedbar_topo_add_reserved(t, f->reserved[i].type,
							   f->reserved[i].start,
							   f->reserved[i].end,
							   f->reserved[i].name),
				0);
	for (i = 0; i < f->nr_devs; i++) {
		const struct kfx_dev *k = &f->devs[i];
		struct fixedbar_dev *d;

		idx = fixedbar_topo_add_dev(t, k->parent, k->devfn);
		KUNIT_ASSERT_EQ(test, idx, (int)i);
		d = &t->devs[idx];
		d->has_id = k->has_id;
		d->vendor = k->vendor;
		d->device = k->device;
		d->pinned = k->pinned;
		d->is_bridge = k->is_bridge;
		d->br.io = k->br.io;
		d->br.io_1k = k->br.io_1k;
		d->br.pref = k->br.pref;
		d->br.pref64 = k->br.pref64;
		d->br.hotplug = k->br.hotplug;
		for (j = 0; j < FIXEDBAR_NR_WINDOWS; j++) {
			d->br.reserve[j] = k->reserve[j];
			d->br.cur[j].assigned = k->win[j].on;
			d->br.cur[j].start = k->win[j].start;
			d->br.cur[j].end = k->win[j].end;
		}
		for (j = 0; j < k->nr_bars; j++) {
			const struct kfx_bar *kb = &k->bars[j];
			struct fixedbar_bar *b = &d->bars[kb->slot];

			b->present = true;
			b->type = kb->io ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM;
			b->mem64 = kb->mem64;
			b->pref = kb->pref;
			b->pinned = kb->pinned;
			b->size = kb->size;
			b->count = kb->count;
			if (kb->has_addr) {
				b->cur.assigned = true;
				b->cur.start = kb->addr;
				b->cur.end = kb->addr + fixedbar_bar_span(b) - 1;
			}
		}
	}
	return 0;
}

/* As fixedbar-plan does: the first rejected entry is the result. */
static int kfx_add_entries(const struct kfx_fixture *f, struct kfx_ctx *c)
{
	struct fixedbar_entry e;
	u32 i;
	int ret;

	for (i = 0; i < f->nr_fixed; i++) {
		ret = fixedbar_parse_entry(f->fixed[i], strlen(f->fixed[i]), &e,
					   c->msg, sizeof(c->msg));
		if (!ret)
			ret = fixedbar_topo_add_entry(&c->t, &e, c->msg,
						      sizeof(c->msg));
		if (ret)
			return ret;
	}
	return 0;
}

/* The whole layout, printed only when a case fails. */
static void kfx_dump(struct kunit *test, struct kfx_ctx *c)
{
	const struct fixedbar_topo *t = &c->t;
	u32 i;
	int k;

	for (i = 0; i < t->nr_devs && i < c->p.nr_devs; i++) {
		const struct fixedbar_dev *d = &t->devs[i];
		const struct fixedbar_plan_dev *pd = &c->p.devs[i];

		fixedbar_dev_path(t, i, c->path, sizeof(c->path));
		for (k = 0; k < FIXEDBAR_NR_SLOTS; k++) {
			if (!d->bars[k].present)
				continue;
			if (pd->bars[k].assigned)
				fixedbar_format_bar(c->res, sizeof(c->res),
						    &d->bars[k],
						    pd->bars[k].start);
			else
				strscpy(c->res, "unassigned", sizeof(c->res));
			kunit_info(test, "  %s %s %s\n", c->path,
				   fixedbar_slot_name(k), c->res);
		}
		for (k = 0; d->is_bridge && k < FIXEDBAR_NR_WINDOWS; k++) {
			if (!pd->win[k].assigned)
				continue;
			fixedbar_format_res(c->res, sizeof(c->res),
					    k == FIXEDBAR_WIN_IO ?
					    FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM,
					    pd->win[k].start, pd->win[k].end,
					    k == FIXEDBAR_WIN_PREF && d->br.pref64,
					    k == FIXEDBAR_WIN_PREF);
			kunit_info(test, "  %s %s %s\n", c->path,
				   fixedbar_win_name(k), c->res);
		}
	}
}

static bool kfx_win_implemented(const struct fixedbar_dev *d, int w)
{
	if (!d->is_bridge)
		return false;
	if (w == FIXEDBAR_WIN_IO)
		return d->br.io;
	return w == FIXEDBAR_WIN_MEM || d->br.pref;
}

static void kfx_check_fixed(struct kunit *test, struct kfx_ctx *c)
{
	const struct fixedbar_topo *t = &c->t;
	const struct fixedbar_range *r;
	const struct fixedbar_bar *b;
	u32 i, j;
	int dev;

	for (i = 0; i < t->nr_entries; i++) {
		const struct fixedbar_entry *e = &t->entries[i];

		dev = fixedbar_topo_find(t, e, c->msg, sizeof(c->msg));
		/* a device not there yet: the validator checks its kept range */
		if (dev < 0 && fixedbar_entry_sized(e) &&
		    fixedbar_topo_absent_port(t, e) >= 0) {
			KUNIT_EXPECT_EQ_MSG(test,
					    fixedbar_validate(t, &c->p, c->msg,
							      sizeof(c->msg)),
					    0, "%s", c->msg);
			continue;
		}
		KUNIT_ASSERT_GE_MSG(test, dev, 0, "%s", c->msg);
		fixedbar_dev_path(t, dev, c->path, sizeof(c->path));
		for (j = 0; j < e->nr_bars; j++) {
			b = &t->devs[dev].bars[e->bars[j].bar];
			r = &c->p.devs[dev].bars[e->bars[j].bar];
			KUNIT_EXPECT_TRUE_MSG(test, r->assigned && r->start ==
					      e->bars[j].addr &&
					      r->end - r->start + 1 ==
					      fixedbar_bar_span(b),
					      "fixed %s bar%u at 0x%llx: planned %s0x%llx-0x%llx",
					      c->path, e->bars[j].bar,
					      e->bars[j].addr,
					      r->assigned ? "" : "(unassigned) ",
					      r->start, r->end);
		}
	}
}

static void kfx_check_ok(struct kunit *test, const struct kfx_fixture *f,
			 struct kfx_ctx *c)
{
	const struct fixedbar_topo *t = &c->t;
	int unassigned = 0, moved = 0, k;
	u32 i;

	KUNIT_EXPECT_EQ_MSG(test, fixedbar_validate(t, &c->p, c->msg,
						    sizeof(c->msg)), 0,
			    "%s", c->msg);
	kfx_check_fixed(test, c);
	for (i = 0; i < t->nr_devs; i++) {
		const struct fixedbar_dev *d = &t->devs[i];
		const struct fixedbar_plan_dev *pd = &c->p.devs[i];

		fixedbar_dev_path(t, i, c->path, sizeof(c->path));
		for (k = 0; k < FIXEDBAR_NR_SLOTS; k++) {
			const struct fixedbar_bar *b = &d->bars[k];

			if (!b->present)
				continue;
			unassigned += !pd->bars[k].assigned;
			moved += fixedbar_plan_bar_moved(t, &c->p, i, k);
			if (!(d->pinned || b->pinned) || !b->cur.assigned)
				continue;
			KUNIT_EXPECT_TRUE_MSG(test, pd->bars[k].assigned &&
					      pd->bars[k].start == b->cur.start &&
					      !fixedbar_plan_bar_moved(t, &c->p, i, k),
					      "pinned %s %s at 0x%llx moved to 0x%llx",
					      c->path, fixedbar_slot_name(k),
					      b->cur.start, pd->bars[k].start);
		}
		for (k = 0; k < FIXEDBAR_NR_WINDOWS; k++)
			if (kfx_win_implemented(d, k))
				moved += fixedbar_plan_win_moved(t, &c->p, i, k);
	}
	if (f->warnings_min >= 0)
		KUNIT_EXPECT_GE(test, (int)c->p.nr_warnings, f->warnings_min);
	if (f->warnings_max >= 0)
		KUNIT_EXPECT_LE(test, (int)c->p.nr_warnings, f->warnings_max);
	if (f->unassigned_min >= 0)
		KUNIT_EXPECT_GE(test, unassigned, f->unassigned_min);
	if (f->unassigned_max >= 0)
		KUNIT_EXPECT_LE(test, unassigned, f->unassigned_max);
	if (f->moved_max >= 0)
		KUNIT_EXPECT_LE(test, moved, f->moved_max);
}

static void kfx_check_err(struct kunit *test, const struct kfx_fixture *f,
			  const char *msg, int entries)
{
	u32 i;

	for (i = 0; i < f->nr_msg; i++)
		KUNIT_EXPECT_TRUE_MSG(test, strstr(msg, f->msg[i]),
				      "message lacks \"%s\": %s", f->msg[i],
				      msg);
	if (f->entries >= 0)
		KUNIT_EXPECT_EQ_MSG(test, entries, f->entries, "%s", msg);
	KUNIT_EXPECT_TRUE_MSG(test, msg[0] && msg[strlen(msg) - 1] != '.' &&
			      !strchr(msg, '\n'),
			      "not one line without a trailing period: %s",
			      msg);
}

static void pci_fixedbar_plan_fixture(struct kunit *test)
{
	const struct kfx_fixture *f = test->param_value;
	struct kfx_ctx *c;
	int ret;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	kfx_build(test, f, &c->t);
	ret = kfx_add_entries(f, c);
	if (ret) {
		/* rejected while reading the descriptor: one entry named */
		KUNIT_EXPECT_EQ_MSG(test, ret, f->err, "%s", c->msg);
		kfx_check_err(test, f, c->msg, 1);
		fixedbar_topo_free(&c->t);
		return;
	}
	ret = fixedbar_plan(&c->t, &c->p);
	KUNIT_EXPECT_EQ_MSG(test, ret, f->err, "%s: %s", f->name,
			    ret ? c->p.message : "planned");
	KUNIT_EXPECT_EQ(test, c->p.err, ret);
	if (!ret && !f->err)
		kfx_check_ok(test, f, c);
	else if (ret && f->err)
		kfx_check_err(test, f, c->p.message, c->p.nr_err_entries);
	if (!ret && test->status == KUNIT_FAILURE)
		kfx_dump(test, c);
	fixedbar_plan_free(&c->p);
	fixedbar_topo_free(&c->t);
}

/* Planning twice gives the same layout: no hidden state between runs. */
static void pci_fixedbar_plan_repeatable(struct kunit *test)
{
	const struct kfx_fixture *f = test->param_value;
	struct fixedbar_plan *p2;
	struct kfx_ctx *c;
	u32 i;

	if (f->err)
		return;
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	p2 = kunit_kzalloc(test, sizeof(*p2), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, p2);
	kfx_build(test, f, &c->t);
	KUNIT_ASSERT_EQ(test, kfx_add_entries(f, c), 0);
	KUNIT_ASSERT_EQ(test, fixedbar_plan(&c->t, &c->p), 0);
	KUNIT_ASSERT_EQ(test, fixedbar_plan(&c->t, p2), 0);
	KUNIT_ASSERT_EQ(test, c->p.nr_devs, p2->nr_devs);
	for (i = 0; i < c->p.nr_devs; i++)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&c->p.devs[i], &p2->devs[i],
						 sizeof(p2->devs[i])), 0,
				    "device %u planned differently", i);
	fixedbar_plan_free(p2);
	fixedbar_plan_free(&c->p);
	fixedbar_topo_free(&c->t);
}

/*
 * Reserve sizing (planner/hint.c) and its use: an empty hotplug root port
 * with QEMU's pref64-reserve=1G whose window a BAR fixed below another
 * port displaces keeps one 1 GiB-aligned block, so a hot-added 1 GiB BAR
 * fits; without the hint it keeps the firmware's free room.
 */
static void kres_port(struct fixedbar_topo *t, int i, u64 pref)
{
	struct fixedbar_bridge *br = &t->devs[i].br;

	t->devs[i].is_bridge = true;
	br->pref = true;
	br->pref64 = true;
	br->hotplug = true;
	br->cur[FIXEDBAR_WIN_PREF] =
		(struct fixedbar_range){ true, pref, pref + SZ_256M - 1 };
}

static void pci_fixedbar_plan_reserve(struct kunit *test)
{
	static const char map[] = "0000:00:02.0/00.0=bar2@0x8000000000";
	struct fixedbar_hint q = { 1u << FIXEDBAR_WIN_PREF, { 0, 0, SZ_1G } };
	struct fixedbar_topo *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct fixedbar_plan *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	const struct fixedbar_range *w;
	struct fixedbar_bar *b;
	char msg[FIXEDBAR_MSG_LEN];

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fixedbar_topo_init(t);
	t->nr_apertures = 1;
	t->apertures[0] = (struct fixedbar_aperture){
		FIXEDBAR_RES_MEM, true, 0x8000000000ULL, 0xffffffffffULL
	};
	KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, -1, 1 << 3), 0);
	KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, -1, 2 << 3), 1);
	KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, 1, 0), 2);
	kres_port(t, 0, 0x8000000000ULL);
	kres_port(t, 1, 0x8010000000ULL);
	b = &t->devs[2].bars[2];
	*b = (struct fixedbar_bar){ .present = true, .type = FIXEDBAR_RES_MEM,
				    .mem64 = true, .pref = true,
				    .size = SZ_64M, .count = 1 };
	b->cur = (struct fixedbar_range){ true, 0x8010000000ULL,
					  0x8013ffffffULL };

	fixedbar_bridge_reserve(t, 1, NULL, NULL);
	KUNIT_EXPECT_EQ(test, t->devs[1].br.reserve[FIXEDBAR_WIN_PREF],
			(u64)SZ_256M - SZ_64M);
	fixedbar_bridge_reserve(t, 0, &q, NULL);
	KUNIT_EXPECT_EQ(test, t->devs[0].br.reserve[FIXEDBAR_WIN_PREF],
			(u64)SZ_1G);
	KUNIT_ASSERT_EQ(test, fixedbar_parse_map(map, t, msg, sizeof(msg)), 0);
	KUNIT_ASSERT_EQ_MSG(test, fixedbar_plan(t, p), 0, "%s", p->message);
	w = &p->devs[0].win[FIXEDBAR_WIN_PREF];
	KUNIT_EXPECT_TRUE(test, fixedbar_plan_win_moved(t, p, 0,
							FIXEDBAR_WIN_PREF));
	KUNIT_EXPECT_TRUE_MSG(test,
			      w->assigned && ALIGN(w->start, SZ_1G) + SZ_1G - 1 <=
						     w->end,
			      "window [%llx-%llx] holds no aligned 1 GiB",
			      w->start, w->end);
	KUNIT_EXPECT_EQ(test, p->nr_warnings, 0U);
	fixedbar_plan_free(p);
	fixedbar_topo_free(t);
}

/*
 * Hot-add placement (module/hotplug.c plans the root bus again when a
 * named device appears): two empty hotplug root ports, an entry with its
 * size for the device absent below 00:02.0.  Before the hot-add the plan
 * keeps its range in 00:02.0's window; once the device is there (its
 * 64 MiB BAR unassigned, or where the core put it) it lands on it.  An
 * entry whose +SIZE is smaller than the BAR that appears fails the plan,
 * naming both sizes.
 */
static struct fixedbar_topo *khot_topo(struct kunit *test, const char *map,
				       bool present, u64 cur)
{
	struct fixedbar_topo *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct fixedbar_bar *b;
	char msg[FIXEDBAR_MSG_LEN];

	KUNIT_ASSERT_NOT_NULL(test, t);
	fixedbar_topo_init(t);
	t->nr_apertures = 1;
	t->apertures[0] = (struct fixedbar_aperture){
		FIXEDBAR_RES_MEM, true, 0x8000000000ULL, 0xffffffffffULL
	};
	KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, -1, 1 << 3), 0);
	KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, -1, 2 << 3), 1);
	kres_port(t, 0, 0x8000000000ULL);
	kres_port(t, 1, 0x8010000000ULL);
	if (present) {
		KUNIT_ASSERT_EQ(test, fixedbar_topo_add_dev(t, 1, 0), 2);
		b = &t->devs[2].bars[2];
		*b = (struct fixedbar_bar){ .present = true,
					    .type = FIXEDBAR_RES_MEM,
					    .mem64 = true, .pref = true,
					    .size = SZ_64M, .count = 1 };
		if (cur)
			b->cur = (struct fixedbar_range){ true, cur,
							  cur + SZ_64M - 1 };
	}
	KUNIT_ASSERT_EQ(test, fixedbar_parse_map(map, t, msg, sizeof(msg)), 0);
	return t;
}

static void pci_fixedbar_plan_hot_add(struct kunit *test)
{
	static const char map[] = "0000:00:02.0/00.0=bar2@0x8018000000+64M";
	static const char small[] = "0000:00:02.0/00.0=bar2@0x8018000000+16M";
	struct fixedbar_plan *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	const struct fixedbar_range *w, *r;
	struct fixedbar_topo *t;
	u64 cur[] = { 0, 0x8010000000ULL };
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	t = khot_topo(test, map, false, 0);
	KUNIT_ASSERT_EQ_MSG(test, fixedbar_plan(t, p), 0, "%s", p->message);
	w = &p->devs[1].win[FIXEDBAR_WIN_PREF];
	KUNIT_EXPECT_TRUE_MSG(test, w->assigned && w->start <= 0x8018000000ULL &&
			      w->end >= 0x801bffffffULL,
			      "before the hot-add: window [%llx-%llx] does not keep the range",
			      w->start, w->end);
	fixedbar_plan_free(p);
	fixedbar_topo_free(t);

	for (i = 0; i < ARRAY_SIZE(cur); i++) {
		t = khot_topo(test, map, true, cur[i]);
		KUNIT_ASSERT_EQ_MSG(test, fixedbar_plan(t, p), 0, "%s",
				    p->message);
		r = &p->devs[2].bars[2];
		KUNIT_EXPECT_TRUE_MSG(test, r->assigned &&
				      r->start == 0x8018000000ULL &&
				      r->end == 0x801bffffffULL,
				      "hot-added (core's place %llx): bar2 planned at [%llx-%llx]",
				      cur[i], r->start, r->end);
		fixedbar_plan_free(p);
		fixedbar_topo_free(t);
	}

	t = khot_topo(test, small, true, 0);
	KUNIT_EXPECT_NE(test, fixedbar_plan(t, p), 0);
	KUNIT_EXPECT_NOT_NULL_MSG(test,
				  strstr(p->message, "the entry gives size 0x1000000 but the device's BAR is 0x4000000"),
				  "%s", p->message);
	fixedbar_plan_free(p);
	fixedbar_topo_free(t);
}

static struct kunit_case pci_fixedbar_plan_cases[] = {
	KUNIT_CASE(pci_fixedbar_plan_reserve),
	KUNIT_CASE(pci_fixedbar_plan_hot_add),
	KUNIT_CASE_PARAM(pci_fixedbar_plan_fixture, kfx_gen_params),
	KUNIT_CASE_PARAM(pci_fixedbar_plan_repeatable, kfx_gen_params),
	{}
};

static struct kunit_suite pci_fixedbar_plan_suite = {
	.name = "pci_fixedbar_plan",
	.test_cases = pci_fixedbar_plan_cases,
};

kunit_test_suite(pci_fixedbar_plan_suite);

MODULE_DESCRIPTION("KUnit tests for the pci_fixedbar planner");
MODULE_LICENSE("GPL");
