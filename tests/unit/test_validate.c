// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar_validate() on hand-built topologies: a valid plan passes, and
 * breaking each rule of "What makes a plan valid" fails with a message
 * that names the resource and the rule.
 */
#include <time.h>

#include "fixedbar.h"
#include "tap.h"

#define MIB 0x100000ULL
#define GIB 0x40000000ULL

struct fixture {
	struct fixedbar_topo t;
	struct fixedbar_plan p;
};

static void set_bar(struct fixedbar_topo *t, int dev, int slot,
		    enum fixedbar_res_type type, u64 size, bool mem64, bool pref)
{
	struct fixedbar_bar *b = &t->devs[dev].bars[slot];

	b->present = true;
	b->type = type;
	b->size = size;
	b->mem64 = mem64;
	b->pref = pref;
	b->count = 1;
}

static void at(struct fixture *f, int dev, int slot, u64 start)
{
	struct fixedbar_range *r = &f->p.devs[dev].bars[slot];

	r->assigned = true;
	r->start = start;
	r->end = start + fixedbar_bar_span(&f->t.devs[dev].bars[slot]) - 1;
}

static void win(struct fixture *f, int dev, int w, u64 start, u64 end)
{
	struct fixedbar_range *r = &f->p.devs[dev].win[w];

	r->assigned = true;
	r->start = start;
	r->end = end;
}

static void aperture(struct fixedbar_topo *t, enum fixedbar_res_type type,
		     bool pref, u64 start, u64 end)
{
	struct fixedbar_aperture *a = &t->apertures[t->nr_apertures++];

	a->type = type;
	a->pref = pref;
	a->start = start;
	a->end = end;
}

static void alloc_plan(struct fixture *f)
{
	f->p.nr_devs = f->t.nr_devs;
	f->p.devs = calloc(f->t.nr_devs, sizeof(*f->p.devs));
}

static void fixture_free(struct fixture *f)
{
	free(f->p.devs);
	fixedbar_topo_free(&f->t);
}

/* devices of the main fixture */
enum { RP, EP, EP2, BR, EP3, PINNED };

/*
 * 00:01.0 root port (io, 64-bit pref), below it 00.0 with every kind of
 * BAR and bar2 fixed; 00:02.0 an endpoint; 00:03.0 a bridge with only a
 * memory window and a device with a pinned BAR; 00:04.0 a pinned device.
 */
static void build(struct fixture *f)
{
	struct fixedbar_topo *t = &f->t;
	char msg[FIXEDBAR_MSG_LEN];

	memset(f, 0, sizeof(*f));
	fixedbar_topo_init(t);
	aperture(t, FIXEDBAR_RES_IO, false, 0x1000, 0xffff);
	aperture(t, FIXEDBAR_RES_MEM, false, 0x0, 0xfffff);
	aperture(t, FIXEDBAR_RES_MEM, false, 0xc0000000, 0xdfffffff);
	aperture(t, FIXEDBAR_RES_MEM, true, 0xe0000000, 0xefffffff);
	aperture(t, FIXEDBAR_RES_MEM, true, 0x8000000000, 0xffffffffff);

	fixedbar_topo_add_dev(t, -1, 1 << 3);		/* RP */
	t->devs[RP].is_bridge = true;
	t->devs[RP].br.io = true;
	t->devs[RP].br.pref = true;
	t->devs[RP].br.pref64 = true;
	fixedbar_topo_add_dev(t, RP, 0);		/* EP */
	set_bar(t, EP, 0, FIXEDBAR_RES_MEM, MIB, false, false);
	set_bar(t, EP, 1, FIXEDBAR_RES_MEM, MIB, false, true);
	set_bar(t, EP, 2, FIXEDBAR_RES_MEM, GIB, true, true);
	set_bar(t, EP, 4, FIXEDBAR_RES_IO, 0x100, false, false);
	set_bar(t, EP, FIXEDBAR_ROM_SLOT, FIXEDBAR_RES_MEM, 0x40000, false,
		false);
	set_bar(t, EP, FIXEDBAR_VF_SLOT0, FIXEDBAR_RES_MEM, MIB, true, true);
	t->devs[EP].bars[FIXEDBAR_VF_SLOT0].count = 4;
	fixedbar_topo_add_dev(t, -1, 2 << 3);		/* EP2 */
	set_bar(t, EP2, 0, FIXEDBAR_RES_MEM, 0x10000, true, false);
	set_bar(t, EP2, 2, FIXEDBAR_RES_IO, 0x20, false, false);
	fixedbar_topo_add_dev(t, -1, 3 << 3);		/* BR */
	t->devs[BR].is_bridge = true;
	fixedbar_topo_add_dev(t, BR, 0);		/* EP3 */
	set_bar(t, EP3, 0, FIXEDBAR_RES_MEM, 0x4000, false, false);
	t->devs[EP3].bars[0].pinned = true;
	t->devs[EP3].bars[0].cur.assigned = true;
	t->devs[EP3].bars[0].cur.start = 0xc0300000;
	t->devs[EP3].bars[0].cur.end = 0xc0303fff;
	fixedbar_topo_add_dev(t, -1, 4 << 3);		/* PINNED */
	t->devs[PINNED].pinned = true;
	set_bar(t, PINNED, 0, FIXEDBAR_RES_MEM, 0x1000, false, false);
	t->devs[PINNED].bars[0].cur.assigned = true;
	t->devs[PINNED].bars[0].cur.start = 0xc0400000;
	t->devs[PINNED].bars[0].cur.end = 0xc0400fff;

	fixedbar_parse_map("0000:00:01.0/00.0=bar2@0x8000000000", t, msg,
			   sizeof(msg));

	alloc_plan(f);
	win(f, RP, FIXEDBAR_WIN_IO, 0x1000, 0x1fff);
	win(f, RP, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc02fffff);
	win(f, RP, FIXEDBAR_WIN_PREF, 0x8000000000, 0x80ffffffff);
	at(f, EP, 0, 0xc0000000);
	at(f, EP, 1, 0xc0100000);	/* a pref BAR in the memory window */
	at(f, EP, 2, 0x8000000000);
	at(f, EP, 4, 0x1000);
	at(f, EP, FIXEDBAR_ROM_SLOT, 0xc0200000);
	at(f, EP, FIXEDBAR_VF_SLOT0, 0x8040000000);
	at(f, EP2, 0, 0xc0500000);
	at(f, EP2, 2, 0x2000);
	win(f, BR, FIXEDBAR_WIN_MEM, 0xc0300000, 0xc03fffff);
	at(f, EP3, 0, 0xc0300000);
	at(f, PINNED, 0, 0xc0400000);
}

struct mutation {
	int id;
	const char *rule;
	const char *want;	/* NULL: must still pass */
};

static void mutate(struct fixture *f, int id)
{
	struct fixedbar_topo *t = &f->t;
	struct fixedbar_plan_dev *d = f->p.devs;
	char msg[FIXEDBAR_MSG_LEN];

	switch (id) {
	/* still valid */
	case 0:
		break;
	case 1:
		d[EP].bars[4].assigned = false;
		d[EP2].bars[2].assigned = false;
		break;
	case 2:
		d[EP].bars[FIXEDBAR_ROM_SLOT].assigned = false;
		break;
	case 3:
		t->devs[RP].br.io_1k = true;
		win(f, RP, FIXEDBAR_WIN_IO, 0x1000, 0x13ff);
		break;
	case 4:
		t->devs[RP].br.reserve[FIXEDBAR_WIN_MEM] = 64 * GIB;
		t->devs[RP].br.reserve[FIXEDBAR_WIN_IO] = 0x10000;
		break;
	case 5:
		at(f, EP2, 0, 0x0);	/* I/O and memory are separate spaces */
		break;
	case 6:
		/* claimed ranges of the other type and in a gap */
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0x1000, 0x1fff,
					   "mem below 1M");
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_IO, 0x2100, 0x21ff,
					   "ports");
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xc0600000,
					   0xc06fffff, "gap");
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xc02ff000,
					   0xc02fffff, "");
		win(f, RP, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc01fffff);
		d[EP].bars[FIXEDBAR_ROM_SLOT].assigned = false;
		break;

	/* rule 1 */
	case 10:
		t->entries[0].bars[0].addr = 0x8080000000;
		break;
	case 11:
		d[EP].bars[2].assigned = false;
		break;
	case 12:
		fixedbar_parse_map("0000:00:01.0/00.0=bar3@0x8040000000", t,
				   msg, sizeof(msg));
		break;
	case 13:
		fixedbar_parse_map("0000:00:09.0=bar0@0xc0000000", t, msg,
				   sizeof(msg));
		break;
	case 14:
		at(f, PINNED, 0, 0xc0401000);
		break;
	case 15:
		d[EP3].bars[0].assigned = false;
		break;
	case 16:
		t->devs[EP3].bars[0].cur.start = 0xc0304000;
		break;

	/* rule 2 */
	case 20:
		at(f, EP2, 0, 0xc0508000);
		break;
	case 21:
		d[EP2].bars[0].end += 0x10000;
		break;
	case 22:
		at(f, EP, FIXEDBAR_VF_SLOT0, 0x8040080000);
		break;
	case 23:
		d[EP].bars[FIXEDBAR_VF_SLOT0].end = 0x80400fffff;
		break;
	case 24:
		at(f, EP, 1, 0x8050000000);
		break;
	case 25:
		d[EP2].bars[0].assigned = false;
		break;
	case 26:
		d[EP].bars[FIXEDBAR_VF_SLOT0].assigned = false;
		break;
	case 27:
		at(f, EP, 3, 0x8080000000);	/* upper half of bar2 */
		break;

	/* rule 3 */
	case 30:
		at(f, EP2, 0, 0xa0000000);
		break;
	case 31:
		at(f, EP2, 0, 0xe0000000);
		break;
	case 32:
		at(f, EP2, 2, 0x0);
		break;
	case 33:
		at(f, EP2, 0, 0x8100000000);
		break;

	/* rule 4 */
	case 40:
		at(f, EP, 4, 0x2000);
		break;
	case 41:
		at(f, EP, 0, 0xc0400000);
		break;
	case 42:
		t->devs[EP].bars[0].mem64 = true;
		at(f, EP, 0, 0x8050000000);
		break;
	case 43:
		at(f, EP, 1, 0xc0400000);
		break;
	case 44:
		d[RP].win[FIXEDBAR_WIN_IO].assigned = false;
		break;
	case 45:
		d[RP].win[FIXEDBAR_WIN_MEM].assigned = false;
		break;

	/* rule 5 */
	case 50:
		t->devs[RP].br.pref64 = false;
		break;
	case 51:
		win(f, BR, FIXEDBAR_WIN_MEM, 0xa0000000, 0xa00fffff);
		break;
	case 52:
		win(f, BR, FIXEDBAR_WIN_MEM, 0xe0000000, 0xe00fffff);
		break;
	case 53:
		win(f, BR, FIXEDBAR_WIN_MEM, 0xc0300000, 0xc037ffff);
		break;
	case 54:
		win(f, RP, FIXEDBAR_WIN_IO, 0x1000, 0x17ff);
		break;
	case 55:
		win(f, BR, FIXEDBAR_WIN_IO, 0x3000, 0x3fff);
		break;
	case 56:
		win(f, RP, FIXEDBAR_WIN_MEM, 0x8100000000, 0x81002fffff);
		break;
	case 57:
		win(f, EP2, FIXEDBAR_WIN_MEM, 0xc0600000, 0xc06fffff);
		break;
	case 58:
		win(f, BR, FIXEDBAR_WIN_MEM, 0xc0300000, 0xc02fffff);
		break;
	case 59:
		win(f, RP, FIXEDBAR_WIN_IO, 0x0, 0xfff);
		at(f, EP, 4, 0x0);
		break;

	/* rule 6 */
	/* rule 8 */
	case 70:
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xc0500000,
					   0xc0500fff, "ACPI Tables");
		break;
	case 71:
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xc0280000,
					   0xc0280fff, "BOOTFB");
		break;
	case 72:
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_IO, 0x1080,
					   0x108f, "pnp 00:03");
		break;
	case 73:
		/* a claimed range larger than the BAR it covers */
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xc0480000,
					   0xc05fffff, "Reserved");
		break;
	case 74:
		/* a claimed range ending where a window starts */
		fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM, 0xbff00000,
					   0xc0000000, "edge");
		break;
	case 60:
		at(f, EP2, 0, 0xc0400000);
		break;
	case 61:
		at(f, EP2, 0, 0xc0300000);
		break;
	case 62:
		t->devs[EP3].bars[0].pinned = false;
		win(f, BR, FIXEDBAR_WIN_MEM, 0xc0200000, 0xc02fffff);
		at(f, EP3, 0, 0xc0200000);
		break;
	case 63:
		at(f, EP, 1, 0xc0000000);
		break;
	case 64:
		at(f, EP2, 2, 0x1000);
		break;
	}
}

static const struct mutation mutations[] = {
	{ 0, "the hand-built plan", NULL },
	{ 1, "I/O BARs may stay unassigned", NULL },
	{ 2, "a ROM may stay unassigned", NULL },
	{ 3, "an io_1k bridge has a 1 KiB I/O window", NULL },
	{ 4, "reserves are soft", NULL },
	{ 5, "I/O and memory are separate spaces", NULL },
	{ 6, "claimed ranges nothing overlaps", NULL },

	{ 10, "rule 1: fixed BAR elsewhere",
	  "0000:00:01.0/00.0 bar2 [mem 0x8000000000-0x803fffffff 64bit pref] is not at its fixed address 0x8080000000" },
	{ 11, "rule 1: fixed BAR unassigned",
	  "0000:00:01.0/00.0 bar2 is unassigned, not at its fixed address 0x8000000000" },
	{ 12, "rule 1: fixed BAR not implemented",
	  "0000:00:01.0/00.0 bar3 is fixed at 0x8040000000 but the device does not implement it" },
	{ 13, "rule 1: fixed BAR on a missing device",
	  "0000:00:09.0: no device 09.0 on root bus 0000:00" },
	{ 14, "rule 1: pinned device moved",
	  "0000:00:04.0 bar0 [mem 0xc0401000-0xc0401fff] moved but its device is pinned at [mem 0xc0400000-0xc0400fff]" },
	{ 15, "rule 1: pinned BAR unassigned",
	  "0000:00:03.0/00.0 bar0 is unassigned but it is pinned at [mem 0xc0300000-0xc0303fff]" },
	{ 16, "rule 1: pinned BAR moved",
	  "0000:00:03.0/00.0 bar0 [mem 0xc0300000-0xc0303fff] moved but it is pinned at [mem 0xc0304000-0xc0307fff]" },

	{ 20, "rule 2: misaligned BAR",
	  "0000:00:02.0 bar0 [mem 0xc0508000-0xc0517fff 64bit] is not aligned to its size 0x10000" },
	{ 21, "rule 2: BAR spans too much",
	  "0000:00:02.0 bar0 [mem 0xc0500000-0xc051ffff 64bit] does not span its size 0x10000" },
	{ 22, "rule 2: VF BAR not aligned to its per-VF size",
	  "vf0 [mem 0x8040080000-0x804047ffff 64bit pref] is not aligned to its per-VF size 0x100000" },
	{ 23, "rule 2: VF BAR spans one VF",
	  "vf0 [mem 0x8040000000-0x80400fffff 64bit pref] does not span its size 0x100000 * 4 VFs" },
	{ 24, "rule 2: 32-bit BAR above 4 GiB",
	  "0000:00:01.0/00.0 bar1 [mem 0x8050000000-0x80500fffff pref] is not a 64-bit BAR but ends above 4 GiB" },
	{ 25, "rule 2: memory BAR unassigned",
	  "0000:00:02.0 bar0 is unassigned; every memory BAR needs an address" },
	{ 26, "rule 2: VF BAR unassigned",
	  "0000:00:01.0/00.0 vf0 is unassigned; every memory BAR needs an address" },
	{ 27, "rule 2: BAR the device does not implement",
	  "0000:00:01.0/00.0 bar3 is assigned at 0x8080000000 but the device does not implement it" },

	{ 30, "rule 3: BAR outside the apertures",
	  "0000:00:02.0 bar0 [mem 0xa0000000-0xa000ffff 64bit] is outside every non-prefetchable host bridge mem aperture" },
	{ 31, "rule 3: non-prefetchable BAR in a prefetchable aperture",
	  "0000:00:02.0 bar0 [mem 0xe0000000-0xe000ffff 64bit] is non-prefetchable but lies in prefetchable host bridge aperture [mem 0xe0000000-0xefffffff pref]" },
	{ 32, "rule 3: I/O BAR outside the I/O apertures",
	  "0000:00:02.0 bar2 [io  0x0000-0x001f] is outside every host bridge io aperture" },
	{ 33, "rule 3: non-prefetchable BAR in a 64-bit prefetchable aperture",
	  "is non-prefetchable but lies in prefetchable host bridge aperture [mem 0x8000000000-0xffffffffff pref]" },

	{ 40, "rule 4: I/O BAR outside the I/O window",
	  "0000:00:01.0/00.0 bar4 [io  0x2000-0x20ff] outside window.io [io  0x1000-0x1fff] of 0000:00:01.0" },
	{ 41, "rule 4: memory BAR outside the memory window",
	  "0000:00:01.0/00.0 bar0 [mem 0xc0400000-0xc04fffff] outside window.mem [mem 0xc0000000-0xc02fffff] of 0000:00:01.0" },
	{ 42, "rule 4: non-prefetchable BAR above 4 GiB behind a bridge",
	  "0000:00:01.0/00.0 bar0 [mem 0x8050000000-0x80500fffff 64bit] is above 4 GiB behind bridge 0000:00:01.0 but is not a 64-bit prefetchable BAR" },
	{ 43, "rule 4: prefetchable BAR in neither window",
	  "0000:00:01.0/00.0 bar1 [mem 0xc0400000-0xc04fffff pref] outside window.prefetchable [mem 0x8000000000-0x80ffffffff 64bit pref] of 0000:00:01.0" },
	{ 44, "rule 4: BAR behind a disabled window",
	  "0000:00:01.0/00.0 bar4 [io  0x1000-0x10ff] needs window.io of 0000:00:01.0, which is disabled" },
	{ 45, "rule 4: memory BAR behind a disabled memory window",
	  "0000:00:01.0/00.0 bar0 [mem 0xc0000000-0xc00fffff] needs window.mem of 0000:00:01.0, which is disabled" },

	{ 50, "rule 5: prefetchable window above 4 GiB without pref64",
	  "0000:00:01.0 window.prefetchable [mem 0x8000000000-0x80ffffffff pref] is above 4 GiB but the bridge has no 64-bit prefetchable window" },
	{ 51, "rule 5: window outside the apertures",
	  "0000:00:03.0 window.mem [mem 0xa0000000-0xa00fffff] is outside every non-prefetchable host bridge mem aperture" },
	{ 52, "rule 5: memory window in a prefetchable aperture",
	  "0000:00:03.0 window.mem [mem 0xe0000000-0xe00fffff] is non-prefetchable but lies in prefetchable host bridge aperture" },
	{ 53, "rule 5: memory window not 1 MiB sized",
	  "0000:00:03.0 window.mem [mem 0xc0300000-0xc037ffff] is not 1 MiB aligned and sized" },
	{ 54, "rule 5: I/O window not 4 KiB sized",
	  "0000:00:01.0 window.io [io  0x1000-0x17ff] is not 4 KiB aligned and sized" },
	{ 55, "rule 5: window the bridge does not implement",
	  "0000:00:03.0 window.io [io  0x3000-0x3fff] is assigned but the bridge does not implement it" },
	{ 56, "rule 5: memory window above 4 GiB",
	  "0000:00:01.0 window.mem [mem 0x8100000000-0x81002fffff] is above 4 GiB; a memory window is 32-bit" },
	{ 57, "rule 5: window on a device that is no bridge",
	  "0000:00:02.0 window.mem [mem 0xc0600000-0xc06fffff] is assigned but the device is not a bridge" },
	{ 58, "rule 5: window ending before it starts",
	  "0000:00:03.0 window.mem [mem 0xc0300000-0xc02fffff] ends before it starts" },
	{ 59, "rule 5: I/O window outside the I/O aperture",
	  "0000:00:01.0 window.io [io  0x0000-0x0fff] is outside every host bridge io aperture" },

	{ 70, "rule 8: BAR on a claimed range",
	  "0000:00:02.0 bar0 [mem 0xc0500000-0xc050ffff 64bit] overlaps claimed range \"ACPI Tables\" [mem 0xc0500000-0xc0500fff]" },
	{ 71, "rule 8: window containing a claimed range",
	  "0000:00:01.0 window.mem [mem 0xc0000000-0xc02fffff] overlaps claimed range \"BOOTFB\" [mem 0xc0280000-0xc0280fff]" },
	{ 72, "rule 8: I/O window containing a claimed I/O range",
	  "0000:00:01.0 window.io [io  0x1000-0x1fff] overlaps claimed range \"pnp 00:03\" [io  0x1080-0x108f]" },
	{ 73, "rule 8: BAR inside a larger claimed range",
	  "0000:00:02.0 bar0 [mem 0xc0500000-0xc050ffff 64bit] overlaps claimed range \"Reserved\" [mem 0xc0480000-0xc05fffff]" },
	{ 74, "rule 8: one byte of overlap at a window's start",
	  "0000:00:01.0 window.mem [mem 0xc0000000-0xc02fffff] overlaps claimed range \"edge\" [mem 0xbff00000-0xc0000000]" },

	{ 60, "rule 6: two BARs on the root bus",
	  "0000:00:02.0 bar0 [mem 0xc0400000-0xc040ffff 64bit] overlaps 0000:00:04.0 bar0 [mem 0xc0400000-0xc0400fff]" },
	{ 61, "rule 6: BAR and bridge window",
	  "0000:00:03.0 window.mem [mem 0xc0300000-0xc03fffff] overlaps 0000:00:02.0 bar0 [mem 0xc0300000-0xc030ffff 64bit]" },
	{ 62, "rule 6: sibling bridge windows",
	  "0000:00:03.0 window.mem [mem 0xc0200000-0xc02fffff] overlaps 0000:00:01.0 window.mem [mem 0xc0000000-0xc02fffff]" },
	{ 63, "rule 6: two BARs behind a bridge",
	  "0000:00:01.0/00.0 bar1 [mem 0xc0000000-0xc00fffff pref] overlaps 0000:00:01.0/00.0 bar0 [mem 0xc0000000-0xc00fffff]" },
	{ 64, "rule 6: I/O BAR and I/O window",
	  "0000:00:01.0 window.io [io  0x1000-0x1fff] overlaps 0000:00:02.0 bar2 [io  0x1000-0x101f]" },
};

static void test_mutations(void)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixture f;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *m = &mutations[i];

		build(&f);
		mutate(&f, m->id);
		msg[0] = '\0';
		ret = fixedbar_validate(&f.t, &f.p, msg, sizeof(msg));
		if (!m->want) {
			if (!is_int(ret, 0, "valid: %s", m->rule))
				diag("%s", msg);
		} else if (is_int(ret, -EINVAL, "invalid: %s", m->rule)) {
			like(msg, m->want, "message: %s", m->rule);
		}
		fixture_free(&f);
	}
}

/*
 * Nested bridges: root port 00:01.0, switch port 00.0 below it, an endpoint
 * with one 1 MiB 64-bit prefetchable BAR below that.
 */
static void build_nested(struct fixture *f, bool high)
{
	struct fixedbar_topo *t = &f->t;
	int i;

	memset(f, 0, sizeof(*f));
	fixedbar_topo_init(t);
	aperture(t, FIXEDBAR_RES_MEM, false, 0xc0000000, 0xdfffffff);
	aperture(t, FIXEDBAR_RES_MEM, true, 0x8000000000, 0xffffffffff);
	fixedbar_topo_add_dev(t, -1, 1 << 3);
	fixedbar_topo_add_dev(t, 0, 0);
	fixedbar_topo_add_dev(t, 1, 0);
	for (i = 0; i < 2; i++) {
		t->devs[i].is_bridge = true;
		t->devs[i].br.pref = true;
		t->devs[i].br.pref64 = true;
	}
	set_bar(t, 2, 0, FIXEDBAR_RES_MEM, MIB, true, true);
	alloc_plan(f);
	if (high) {
		for (i = 0; i < 2; i++)
			win(f, i, FIXEDBAR_WIN_PREF, 0x8000000000,
			    0x80000fffff);
		at(f, 2, 0, 0x8000000000);
	} else {
		/* the switch's prefetchable window in the port's memory window */
		win(f, 0, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc00fffff);
		win(f, 1, FIXEDBAR_WIN_PREF, 0xc0000000, 0xc00fffff);
		at(f, 2, 0, 0xc0000000);
	}
}

static void check_nested(struct fixture *f, const char *want, const char *desc)
{
	char msg[FIXEDBAR_MSG_LEN] = "";
	int ret;

	ret = fixedbar_validate(&f->t, &f->p, msg, sizeof(msg));
	if (!want) {
		if (!is_int(ret, 0, "valid: %s", desc))
			diag("%s", msg);
	} else if (is_int(ret, -EINVAL, "invalid: %s", desc)) {
		like(msg, want, "message: %s", desc);
	}
	fixture_free(f);
}

static void test_nested(void)
{
	struct fixture f;

	build_nested(&f, true);
	check_nested(&f, NULL, "64-bit prefetchable windows all the way");

	build_nested(&f, false);
	check_nested(&f, NULL, "prefetchable window in the parent's memory window");

	build_nested(&f, false);
	f.t.devs[0].br.pref = false;
	check_nested(&f, NULL, "... also when the parent has no prefetchable window");

	build_nested(&f, true);
	f.t.devs[1].br.pref64 = false;
	check_nested(&f,
		     "0000:00:01.0/00.0 window.prefetchable [mem 0x8000000000-0x80000fffff pref] is above 4 GiB but the bridge has no 64-bit prefetchable window",
		     "rule 5: 32-bit prefetchable window above 4 GiB");

	build_nested(&f, true);
	f.p.devs[0].win[FIXEDBAR_WIN_PREF].assigned = false;
	check_nested(&f,
		     "0000:00:01.0/00.0 window.prefetchable [mem 0x8000000000-0x80000fffff 64bit pref] needs window.prefetchable of 0000:00:01.0, which is disabled",
		     "rule 5: child window inside a disabled window");

	build_nested(&f, true);
	f.t.devs[0].br.pref = false;
	f.p.devs[0].win[FIXEDBAR_WIN_PREF].assigned = false;
	check_nested(&f,
		     "needs window.mem of 0000:00:01.0, which is disabled",
		     "rule 5: no prefetchable window above, only the memory window");

	build_nested(&f, true);
	win(&f, 0, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc00fffff);
	f.p.devs[0].win[FIXEDBAR_WIN_PREF].assigned = false;
	f.t.devs[1].br.pref64 = false;
	win(&f, 1, FIXEDBAR_WIN_PREF, 0xc0000000, 0xc00fffff);
	at(&f, 2, 0, 0xc0000000);
	f.p.devs[1].win[FIXEDBAR_WIN_PREF].start = 0xc0000000;
	check_nested(&f, NULL, "32-bit prefetchable window below 4 GiB");

	build_nested(&f, true);
	at(&f, 2, 0, 0x8000100000);
	check_nested(&f,
		     "0000:00:01.0/00.0/00.0 bar0 [mem 0x8000100000-0x80001fffff 64bit pref] outside window.prefetchable [mem 0x8000000000-0x80000fffff 64bit pref] of 0000:00:01.0/00.0",
		     "rule 4: BAR outside its bridge's window, inside the grandparent's");
}

/* A chain FIXEDBAR_MAX_DEPTH bridges deep, all windows the same. */
static void test_deep(void)
{
	char msg[FIXEDBAR_MSG_LEN] = "";
	struct fixture f;
	int i, dev = -1;

	memset(&f, 0, sizeof(f));
	fixedbar_topo_init(&f.t);
	aperture(&f.t, FIXEDBAR_RES_MEM, false, 0xc0000000, 0xdfffffff);
	for (i = 0; i <= FIXEDBAR_MAX_DEPTH; i++)
		dev = fixedbar_topo_add_dev(&f.t, dev, i ? 0 : 8);
	is_int(dev, FIXEDBAR_MAX_DEPTH, "a chain of %d bridges", FIXEDBAR_MAX_DEPTH);
	is_int(fixedbar_topo_add_dev(&f.t, dev, 0), -EINVAL,
	       "nothing deeper than FIXEDBAR_MAX_DEPTH");
	set_bar(&f.t, dev, 0, FIXEDBAR_RES_MEM, 0x1000, false, false);
	alloc_plan(&f);
	for (i = 0; i < dev; i++)
		win(&f, i, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc00fffff);
	at(&f, dev, 0, 0xc0000000);
	if (!is_int(fixedbar_validate(&f.t, &f.p, msg, sizeof(msg)), 0,
		    "valid at full depth"))
		diag("%s", msg);
	win(&f, dev / 2, FIXEDBAR_WIN_MEM, 0xc0100000, 0xc01fffff);
	is_int(fixedbar_validate(&f.t, &f.p, msg, sizeof(msg)), -EINVAL,
	       "a window moved halfway down");
	like(msg, "/00.0 window.mem [mem 0xc0100000-0xc01fffff] outside window.mem [mem 0xc0000000-0xc00fffff] of 0000:00:01.0/",
	     "names both windows");
	ok(strlen(msg) < sizeof(msg) - 1, "the message fits (%zu bytes)",
	   strlen(msg));
	fixture_free(&f);
}

/* 4096 devices on the root bus: the overlap check must stay fast. */
static void test_many(void)
{
	char msg[FIXEDBAR_MSG_LEN] = "";
	struct fixture f;
	struct timespec a, b;
	int i, n = 4096, ret;
	long ms;

	memset(&f, 0, sizeof(f));
	fixedbar_topo_init(&f.t);
	aperture(&f.t, FIXEDBAR_RES_MEM, false, 0xc0000000, 0xdfffffff);
	for (i = 0; i < 32; i++)
		fixedbar_topo_add_dev(&f.t, -1, (u8)(i << 3));
	for (i = 32; i < n; i++) {
		int ret2 = fixedbar_topo_add_dev(&f.t, i % 32, (u8)(i / 32));

		if (ret2 < 0)
			break;
	}
	is_int(f.t.nr_devs, n, "%d devices", n);
	for (i = 32; i < n; i++)
		set_bar(&f.t, i, 0, FIXEDBAR_RES_MEM, 0x1000, false, false);
	alloc_plan(&f);
	for (i = 0; i < 32; i++)
		win(&f, i, FIXEDBAR_WIN_MEM, 0xc0000000 + (u64)i * MIB,
		    0xc0000000 + (u64)i * MIB + MIB - 1);
	/* in reverse so the sort has work to do */
	for (i = n - 1; i >= 32; i--)
		at(&f, i, 0, 0xc0000000 + (u64)(i % 32) * MIB +
			     (u64)(i / 32) * 0x1000);

	clock_gettime(CLOCK_MONOTONIC, &a);
	ret = fixedbar_validate(&f.t, &f.p, msg, sizeof(msg));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	if (!is_int(ret, 0, "valid with %d devices", n))
		diag("%s", msg);
	diag("validated %d devices in %ld ms", n, ms);
	ok(ms < 2000, "in under 2 s");

	at(&f, n - 1, 0, 0xc0000000 + (u64)((n - 1) % 32) * MIB + 0x1000);
	is_int(fixedbar_validate(&f.t, &f.p, msg, sizeof(msg)), -EINVAL,
	       "the last device moved onto the first on its bus");
	like(msg, "overlaps", "reported as an overlap");
	fixture_free(&f);
}

static void test_plan_size(void)
{
	char msg[FIXEDBAR_MSG_LEN] = "";
	struct fixture f;

	build(&f);
	f.p.nr_devs--;
	is_int(fixedbar_validate(&f.t, &f.p, msg, sizeof(msg)), -EINVAL,
	       "a plan for another topology");
	like(msg, "plan covers 5 devices but the topology has 6",
	     "says so");
	fixture_free(&f);
}

/*
 * 00:01.0 an empty hotplug root port that keeps 1 GiB at 0x8040000000 for
 * the absent 00:01.0/00.0; 00:02.0 a root port with an endpoint.
 */
static void build_absent(struct fixture *f, const char *entry)
{
	struct fixedbar_topo *t = &f->t;
	struct fixedbar_entry e;
	char msg[FIXEDBAR_MSG_LEN];
	int i;

	memset(f, 0, sizeof(*f));
	fixedbar_topo_init(t);
	aperture(t, FIXEDBAR_RES_MEM, false, 0xc0000000, 0xdfffffff);
	aperture(t, FIXEDBAR_RES_MEM, true, 0x8000000000, 0xffffffffff);
	fixedbar_topo_add_dev(t, -1, 1 << 3);
	fixedbar_topo_add_dev(t, -1, 2 << 3);
	fixedbar_topo_add_dev(t, 1, 0);
	for (i = 0; i < 2; i++) {
		t->devs[i].is_bridge = true;
		t->devs[i].br.pref = true;
		t->devs[i].br.pref64 = true;
	}
	t->devs[0].br.hotplug = true;
	set_bar(t, 2, 0, FIXEDBAR_RES_MEM, MIB, true, true);
	if (fixedbar_parse_entry(entry, strlen(entry), &e, msg, sizeof(msg)) ||
	    fixedbar_topo_add_entry(t, &e, msg, sizeof(msg)))
		diag("%s", msg);
	alloc_plan(f);
	win(f, 0, FIXEDBAR_WIN_PREF, 0x8040000000, 0x807fffffff);
	win(f, 1, FIXEDBAR_WIN_PREF, 0x8000000000, 0x80000fffff);
	at(f, 2, 0, 0x8000000000);
}

static void test_absent(void)
{
	const char *sized = "0000:00:01.0/00.0=bar2@0x8040000000+1G";
	struct fixture f;

	build_absent(&f, sized);
	check_nested(&f, NULL, "the hotplug port's window holds the kept range");

	build_absent(&f, sized);
	f.t.devs[0].br.hotplug = false;
	check_nested(&f, "0000:00:01.0/00.0: no device 00.0 below 0000:00:01.0",
		     "no range is kept below a port that is not hotplug-capable");

	build_absent(&f, "0000:00:01.0/00.0=bar2@0x8040000000");
	check_nested(&f, "no device 00.0 below",
		     "no range is kept for an entry without a size");

	build_absent(&f, sized);
	win(&f, 0, FIXEDBAR_WIN_PREF, 0x8040000000, 0x805fffffff);
	check_nested(&f,
		     "0000:00:01.0/00.0 bar2 [mem 0x8040000000-0x807fffffff] kept for the absent device is outside the memory windows of the hotplug port above it",
		     "the kept range sticks out of the port's window");

	build_absent(&f, sized);
	win(&f, 0, FIXEDBAR_WIN_PREF, 0x8000000000, 0x807fffffff);
	win(&f, 1, FIXEDBAR_WIN_PREF, 0x8050000000, 0x80500fffff);
	at(&f, 2, 0, 0x8050000000);
	check_nested(&f,
		     "kept for the absent device overlaps 0000:00:02.0 window.prefetchable",
		     "another port's window in the kept range");

	build_absent(&f, sized);
	win(&f, 1, FIXEDBAR_WIN_MEM, 0xc0000000, 0xc00fffff);
	at(&f, 1, 0, 0x8040100000);
	f.t.devs[1].bars[0] = f.t.devs[2].bars[0];
	check_nested(&f,
		     "kept for the absent device overlaps 0000:00:02.0 bar0",
		     "a BAR in the kept range");

	build_absent(&f, sized);
	fixedbar_topo_add_reserved(&f.t, FIXEDBAR_RES_MEM, 0x8070000000,
				   0x8070000fff, "Reserved");
	check_nested(&f, "kept for the absent device overlaps claimed range \"Reserved\"",
		     "a claimed range in the kept range");
}

int main(void)
{
	test_mutations();
	test_nested();
	test_absent();
	test_deep();
	test_many();
	test_plan_size();
	return done_testing();
}
