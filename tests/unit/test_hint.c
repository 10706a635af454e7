// SPDX-License-Identifier: GPL-2.0
/*
 * Hotplug reserve sizing (planner/hint.c): QEMU's resource-reserve
 * capability, the kernel's pci=hp*size= options, and the reserve each
 * bridge window keeps from them or from the firmware's free room; then a
 * plan that moves a hinted port's window and keeps the room.
 */
#include "fixedbar.h"
#include "tap.h"

#define MIB 0x100000ULL
#define GIB 0x40000000ULL

static void put_le(u8 *p, u64 v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* PCIBridgeQemuCap as QEMU 7.2 writes it; ~0 means "not given" */
static void qemu_cap(u8 *cap, u64 io, u32 mem, u32 pref32, u64 pref64)
{
	memset(cap, 0, 32);
	cap[0] = 0x09;
	cap[2] = 32;
	cap[3] = 1;
	put_le(cap + 4, 0xffffffff, 4);
	put_le(cap + 8, io, 8);
	put_le(cap + 16, mem, 4);
	put_le(cap + 20, pref32, 4);
	put_le(cap + 24, pref64, 8);
}

static void test_qemu_cap(void)
{
	struct fixedbar_hint h;
	u8 cap[32];

	qemu_cap(cap, ~0ULL, 0xffffffff, 0xffffffff, 2 * GIB);
	is_int(fixedbar_hint_from_qemu_cap(cap, sizeof(cap), &h), 0,
	       "pref64-reserve=2G: a hint");
	ok(h.have == 1u << FIXEDBAR_WIN_PREF && h.size[FIXEDBAR_WIN_PREF] == 2 * GIB,
	   "only the prefetchable window, 2 GiB");

	qemu_cap(cap, 0, 4 * MIB, 64 * MIB, ~0ULL);
	fixedbar_hint_from_qemu_cap(cap, sizeof(cap), &h);
	ok(h.have == 7 && h.size[FIXEDBAR_WIN_IO] == 0 &&
		   h.size[FIXEDBAR_WIN_MEM] == 4 * MIB &&
		   h.size[FIXEDBAR_WIN_PREF] == 64 * MIB,
	   "io-reserve=0, mem-reserve=4M, pref32-reserve=64M");

	qemu_cap(cap, ~0ULL, 0xffffffff, 0xffffffff, ~0ULL);
	fixedbar_hint_from_qemu_cap(cap, sizeof(cap), &h);
	is_int(h.have, 0, "every field all ones: no hint");

	cap[3] = 2;
	is_int(fixedbar_hint_from_qemu_cap(cap, sizeof(cap), &h), -ENODEV,
	       "another Red Hat capability type is not a hint");
	cap[3] = 1;
	cap[2] = 16;
	is_int(fixedbar_hint_from_qemu_cap(cap, sizeof(cap), &h), -ENODEV,
	       "a capability too short is not a hint");
	is_int(fixedbar_hint_from_qemu_cap(cap, 20, &h), -ENODEV,
	       "nor are 20 bytes");
}

static void test_cmdline(void)
{
	struct fixedbar_hint h;

	fixedbar_hint_from_cmdline("root=/dev/vda console=ttyS0", &h);
	is_int(h.have, 0, "no pci=: nothing");

	fixedbar_hint_from_cmdline("quiet pci=realloc,hpmemsize=512M,hpiosize=0x2000 x", &h);
	ok(h.have == 7 && h.size[FIXEDBAR_WIN_MEM] == 512 * MIB &&
		   h.size[FIXEDBAR_WIN_PREF] == 512 * MIB &&
		   h.size[FIXEDBAR_WIN_IO] == 0x2000,
	   "hpmemsize= sets both memory windows, hpiosize= the I/O one");

	fixedbar_hint_from_cmdline("pci=hpmmiosize=8M pci=hpmmioprefsize=1G", &h);
	ok(h.have == (1u << FIXEDBAR_WIN_MEM | 1u << FIXEDBAR_WIN_PREF) &&
		   h.size[FIXEDBAR_WIN_MEM] == 8 * MIB &&
		   h.size[FIXEDBAR_WIN_PREF] == GIB,
	   "two pci= options, each read");

	fixedbar_hint_from_cmdline("pci=hpmemsize=1G,hpmmioprefsize=2G", &h);
	ok(h.size[FIXEDBAR_WIN_MEM] == GIB && h.size[FIXEDBAR_WIN_PREF] == 2 * GIB,
	   "the later option wins, as in the kernel");

	fixedbar_hint_from_cmdline("pci=hpmemsize=1Q,hpiosize=,hpmmiosize=08 xpci=hpiosize=4K", &h);
	is_int(h.have, 0, "malformed sizes and other options are ignored");
}

/*
 * 00:01.0 a hotplug root port; 00:02.0 a port that is not: each with
 * windows set by firmware and, below port @ep_parent, a 16M BAR at the
 * start of its 256M prefetchable window.
 */
static void build(struct fixedbar_topo *t, int ep_parent)
{
	struct fixedbar_bar *b;
	int i;

	fixedbar_topo_init(t);
	t->nr_apertures = 2;
	t->apertures[0] = (struct fixedbar_aperture){ FIXEDBAR_RES_MEM, false,
						      0xc0000000, 0xdfffffff };
	t->apertures[1] = (struct fixedbar_aperture){
		FIXEDBAR_RES_MEM, true, 0x8000000000, 0xffffffffff
	};
	fixedbar_topo_add_dev(t, -1, 1 << 3);
	fixedbar_topo_add_dev(t, -1, 2 << 3);
	fixedbar_topo_add_dev(t, ep_parent, 0);
	for (i = 0; i < 2; i++) {
		t->devs[i].is_bridge = true;
		t->devs[i].br.pref = true;
		t->devs[i].br.pref64 = true;
		t->devs[i].br.cur[FIXEDBAR_WIN_MEM] = (struct fixedbar_range){
			true, 0xc0000000 + i * 2 * MIB, 0xc01fffff + i * 2 * MIB
		};
		t->devs[i].br.cur[FIXEDBAR_WIN_PREF] = (struct fixedbar_range){
			true, 0x8000000000 + i * 256 * MIB,
			0x800fffffff + i * 256 * MIB
		};
	}
	t->devs[0].br.hotplug = true;
	b = &t->devs[2].bars[0];
	*b = (struct fixedbar_bar){ .present = true, .type = FIXEDBAR_RES_MEM,
				    .mem64 = true, .pref = true,
				    .size = 16 * MIB, .count = 1 };
	b->cur = (struct fixedbar_range){ true,
					  0x8000000000 + ep_parent * 256 * MIB,
					  0x8000ffffff + ep_parent * 256 * MIB };
}

static void test_reserve(void)
{
	struct fixedbar_hint q = { 0 }, c = { 0 };
	struct fixedbar_topo t;

	build(&t, 0);
	fixedbar_bridge_reserve(&t, 0, NULL, NULL);
	fixedbar_bridge_reserve(&t, 1, NULL, NULL);
	ok(t.devs[0].br.reserve[FIXEDBAR_WIN_PREF] == 240 * MIB &&
		   t.devs[0].br.reserve[FIXEDBAR_WIN_MEM] == 2 * MIB,
	   "no hint, hotplug: the firmware's free room (256M - 16M, 2M)");
	ok(!t.devs[1].br.reserve[FIXEDBAR_WIN_PREF] &&
		   !t.devs[1].br.reserve[FIXEDBAR_WIN_MEM],
	   "no hint, no hotplug: no reserve");
	ok(!t.devs[0].br.reserve[FIXEDBAR_WIN_IO],
	   "no reserve in a window the bridge lacks");
	fixedbar_topo_free(&t);

	build(&t, 0);
	q.have = 1u << FIXEDBAR_WIN_PREF;
	q.size[FIXEDBAR_WIN_PREF] = 2 * GIB;
	fixedbar_bridge_reserve(&t, 0, &q, NULL);
	fixedbar_bridge_reserve(&t, 1, &q, NULL);
	ok(t.devs[0].br.reserve[FIXEDBAR_WIN_PREF] == 2 * GIB - 16 * MIB &&
		   t.devs[1].br.reserve[FIXEDBAR_WIN_PREF] == 2 * GIB,
	   "a QEMU hint counts on any port, as the window's size: 2G less the 16M BAR, 2G on the empty port");
	ok(t.devs[0].br.reserve[FIXEDBAR_WIN_MEM] == 2 * MIB,
	   "windows without a hint keep the firmware's room");
	fixedbar_topo_free(&t);

	build(&t, 0);
	c.have = 1u << FIXEDBAR_WIN_MEM | 1u << FIXEDBAR_WIN_PREF;
	c.size[FIXEDBAR_WIN_MEM] = 8 * MIB;
	c.size[FIXEDBAR_WIN_PREF] = 64 * MIB;
	q.size[FIXEDBAR_WIN_PREF] = 0;
	fixedbar_bridge_reserve(&t, 0, &q, &c);
	fixedbar_bridge_reserve(&t, 1, NULL, &c);
	ok(t.devs[0].br.reserve[FIXEDBAR_WIN_MEM] == 8 * MIB &&
		   t.devs[0].br.reserve[FIXEDBAR_WIN_PREF] == 48 * MIB,
	   "pci=hpmemsize= is a floor on a hotplug port's window size, over pref64-reserve=0 (64M less the 16M BAR)");
	ok(!t.devs[1].br.reserve[FIXEDBAR_WIN_MEM],
	   "and not on a port without hotplug");
	fixedbar_topo_free(&t);

	build(&t, 0);
	q.have = 1u << FIXEDBAR_WIN_PREF;
	q.size[FIXEDBAR_WIN_PREF] = 8 * MIB;
	fixedbar_bridge_reserve(&t, 1, &q, NULL);
	t.devs[0].br.hotplug = false;
	fixedbar_bridge_reserve(&t, 0, &q, NULL);
	ok(!t.devs[0].br.reserve[FIXEDBAR_WIN_PREF],
	   "a hint below what the port's devices use asks for no room (8M, a 16M BAR)");
	fixedbar_topo_free(&t);
}

/*
 * A hinted port whose device has a fixed BAR where the window can go: the
 * room the hint asks for (the hinted size less the BAR) is kept in free
 * bytes beside the fixed BAR, here below it, not as one more aligned block.
 */
static void test_plan_room_beside_fixed(void)
{
	const char *map = "0000:00:01.0/00.0=bar0@0x8001000000";
	struct fixedbar_hint q = { 1u << FIXEDBAR_WIN_PREF,
				   { 0, 0, 32 * MIB } };
	char msg[FIXEDBAR_MSG_LEN];
	const struct fixedbar_range *w;
	struct fixedbar_plan p;
	struct fixedbar_topo t;

	build(&t, 0);
	t.devs[0].br.hotplug = false;
	/*
	 * The 64-bit aperture is 32M, the fixed 16M BAR its upper half: the
	 * hinted 32M window fits only with its room below the BAR.
	 */
	t.apertures[1].end = 0x8001ffffff;
	fixedbar_bridge_reserve(&t, 0, &q, NULL);
	if (fixedbar_parse_map(map, &t, msg, sizeof(msg)))
		diag("%s", msg);
	is_int(fixedbar_plan(&t, &p), 0, "plans a 32M hint around a fixed 16M BAR at 16M");
	if (p.err)
		diag("%s", p.message);
	w = p.devs ? &p.devs[0].win[FIXEDBAR_WIN_PREF] : NULL;
	ok(w && w->assigned && w->end - w->start + 1 >= 32 * MIB,
	   "the window is at least the hinted 32M");
	is_int(p.nr_warnings, 0, "without a warning");
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&t);
}

/*
 * The hinted port's window must move (a fixed BAR of another port sits
 * where it is now), and the plan keeps the hinted 1 GiB beside nothing.
 */
static void test_plan_keeps_hint(void)
{
	const char *map = "0000:00:02.0/00.0=bar0@0x8000000000";
	struct fixedbar_hint q = { 1u << FIXEDBAR_WIN_PREF, { 0, 0, GIB } };
	char msg[FIXEDBAR_MSG_LEN];
	const struct fixedbar_range *w;
	struct fixedbar_plan p;
	struct fixedbar_topo t;

	build(&t, 1);
	fixedbar_bridge_reserve(&t, 0, &q, NULL);
	if (fixedbar_parse_map(map, &t, msg, sizeof(msg)))
		diag("%s", msg);
	is_int(fixedbar_plan(&t, &p), 0, "plans with the hint");
	if (p.err)
		diag("%s", p.message);
	w = p.devs ? &p.devs[0].win[FIXEDBAR_WIN_PREF] : NULL;
	ok(w && w->assigned && w->end - w->start + 1 >= GIB,
	   "the hinted port keeps 1 GiB of prefetchable window");
	ok(w && ((w->start + GIB - 1) & ~(GIB - 1)) + GIB - 1 <= w->end,
	   "as one 1 GiB-aligned block, where a 1 GiB BAR fits");
	ok(w && fixedbar_plan_win_moved(&t, &p, 0, FIXEDBAR_WIN_PREF),
	   "after its window moved off the fixed BAR");
	is_int(p.nr_warnings, 0, "without a warning");
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&t);
}

int main(void)
{
	test_qemu_cap();
	test_cmdline();
	test_reserve();
	test_plan_keeps_hint();
	test_plan_room_beside_fixed();
	return done_testing();
}
