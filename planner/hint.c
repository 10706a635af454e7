// SPDX-License-Identifier: GPL-2.0
/*
 * Hotplug reserves: how much room each bridge window keeps free beyond its
 * children (struct fixedbar_bridge.reserve), from three sources:
 *  - QEMU's resource-reserve hint, a Red Hat vendor-specific capability of
 *    its pcie-root-port (PCIBridgeQemuCap in QEMU's pci_bridge.h: the
 *    io-reserve, mem-reserve, pref32-reserve and pref64-reserve
 *    properties; all ones means "not given");
 *  - the free room the firmware left in a hotplug-capable port's windows;
 *  - the kernel's pci=hpiosize=, hpmmiosize=, hpmmioprefsize= and
 *    hpmemsize= options, for every hotplug-capable port.
 * A hint (QEMU's or the command line's) is a floor on the window's size, as
 * the kernel reads pci=hp*size= and SeaBIOS QEMU's hint: the room it asks
 * for is the hinted size less what the port's devices use now, none when
 * they use more.  The planner keeps it as one aligned block in a window it
 * lays out from scratch, as free bytes on either side of fixed BARs.
 * Pure logic: the module reads config space and the command line.
 */
#include "fixedbar.h"

/* PCIBridgeQemuCap: id, next, len, type, then little-endian fields */
#define QCAP_LEN 32
#define QCAP_TYPE_RESERVE 1
#define QCAP_IO 8
#define QCAP_MEM 16
#define QCAP_PREF32 20
#define QCAP_PREF64 24

static u64 le(const u8 *p, int n)
{
	u64 v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void hint_set(struct fixedbar_hint *h, int w, u64 size)
{
	h->have |= 1u << w;
	h->size[w] = size;
}

int fixedbar_hint_from_qemu_cap(const u8 *cap, size_t len,
				struct fixedbar_hint *h)
{
	u64 v;

	memset(h, 0, sizeof(*h));
	if (len < QCAP_LEN || cap[2] < QCAP_LEN || cap[3] != QCAP_TYPE_RESERVE)
		return -ENODEV;
	v = le(cap + QCAP_IO, 8);
	if (v != ~0ULL)
		hint_set(h, FIXEDBAR_WIN_IO, v);
	v = le(cap + QCAP_MEM, 4);
	if (v != 0xffffffffULL)
		hint_set(h, FIXEDBAR_WIN_MEM, v);
	/* QEMU refuses to set both */
	v = le(cap + QCAP_PREF64, 8);
	if (v == ~0ULL) {
		v = le(cap + QCAP_PREF32, 4);
		if (v == 0xffffffffULL)
			return 0;
	}
	hint_set(h, FIXEDBAR_WIN_PREF, v);
	return 0;
}

/* memparse(): a number in C notation and an optional K..E suffix */
static bool hint_size(const char *s, size_t len, u64 *val)
{
	static const char units[] = "kmgtpe";
	unsigned int base = 10, d, shift = 0;
	size_t i = 0;
	const char *u;
	u64 v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
	}
	for (; i < len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i];

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else
			break;
		if (d >= base)
			return false;
		v = v * base + d;
	}
	u = i < len ? strchr(units, s[i] | 0x20) : NULL;
	if (u) {
		shift = 10 * (unsigned int)(u - units + 1);
		i++;
	}
	if (i != len || (shift && v >> (64 - shift)))
		return false;
	*val = v << shift;
	return true;
}

/* One "name=size" of a pci= list */
static void hint_option(const char *s, size_t len, struct fixedbar_hint *h)
{
	static const struct {
		const char *name;
		u8 wins;
	} opts[] = {
		{ "hpiosize=", 1u << FIXEDBAR_WIN_IO },
		{ "hpmmiosize=", 1u << FIXEDBAR_WIN_MEM },
		{ "hpmmioprefsize=", 1u << FIXEDBAR_WIN_PREF },
		{ "hpmemsize=",
		  1u << FIXEDBAR_WIN_MEM | 1u << FIXEDBAR_WIN_PREF },
	};
	size_t i, n;
	int w;
	u64 v;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		n = strlen(opts[i].name);
		if (len <= n || strncmp(s, opts[i].name, n) ||
		    !hint_size(s + n, len - n, &v))
			continue;
		for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
			if (opts[i].wins & (1u << w))
				hint_set(h, w, v);
	}
}

void fixedbar_hint_from_cmdline(const char *cmdline, struct fixedbar_hint *h)
{
	const char *s = cmdline, *end, *opt, *comma;

	memset(h, 0, sizeof(*h));
	while (s && *s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		for (end = s;
		     *end && *end != ' ' && *end != '\t' && *end != '\n'; end++)
			;
		if (end - s > 4 && !strncmp(s, "pci=", 4)) {
			for (opt = s + 4; opt < end; opt = comma + 1) {
				for (comma = opt; comma < end && *comma != ',';
				     comma++)
					;
				hint_option(opt, (size_t)(comma - opt), h);
			}
		}
		s = end;
	}
}

static bool hint_inside(const struct fixedbar_range *r,
			const struct fixedbar_range *win)
{
	return r->assigned && win->start <= r->start && r->end <= win->end;
}

/* What the children of @dev take of its window @w now */
static u64 hint_used(const struct fixedbar_topo *t, int dev, int w)
{
	const struct fixedbar_range *win = &t->devs[dev].br.cur[w];
	enum fixedbar_res_type type = w == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
							     FIXEDBAR_RES_MEM;
	const struct fixedbar_dev *c;
	struct fixedbar_range r;
	u64 used = 0;
	int i, s, cw;

	for (i = t->devs[dev].first_child; i >= 0; i = c->next_sibling) {
		c = &t->devs[i];
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			r = c->bars[s].cur;
			r.end = r.start + fixedbar_bar_span(&c->bars[s]) - 1;
			if (c->bars[s].present && c->bars[s].type == type &&
			    hint_inside(&r, win))
				used += fixedbar_bar_span(&c->bars[s]);
		}
		for (cw = 0; c->is_bridge && cw < FIXEDBAR_NR_WINDOWS; cw++)
			if ((cw == FIXEDBAR_WIN_IO) == (w == FIXEDBAR_WIN_IO) &&
			    hint_inside(&c->br.cur[cw], win))
				used += c->br.cur[cw].end -
					c->br.cur[cw].start + 1;
	}
	return used;
}

static bool hint_win_exists(const struct fixedbar_bridge *br, int w)
{
	return w == FIXEDBAR_WIN_MEM || (w == FIXEDBAR_WIN_IO && br->io) ||
	       (w == FIXEDBAR_WIN_PREF && br->pref);
}

/* The room a hinted window size leaves beside what the port holds */
static u64 hint_room(u64 size, u64 used)
{
	return size > used ? size - used : 0;
}

void fixedbar_bridge_reserve(struct fixedbar_topo *t, int dev,
			     const struct fixedbar_hint *qemu,
			     const struct fixedbar_hint *cmdline)
{
	struct fixedbar_bridge *br = &t->devs[dev].br;
	const struct fixedbar_range *win;
	u64 r, used, floor;
	int w;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		if (!hint_win_exists(br, w))
			continue;
		win = &br->cur[w];
		used = hint_used(t, dev, w);
		r = 0;
		floor = 0;
		if (qemu && (qemu->have & (1u << w)))
			floor = qemu->size[w];
		else if (br->hotplug && win->assigned)
			r = hint_room(win->end - win->start + 1, used);
		if (br->hotplug && cmdline && (cmdline->have & (1u << w)) &&
		    cmdline->size[w] > floor)
			floor = cmdline->size[w];
		/* a hint sizes the window: room beyond what the port holds */
		if (hint_room(floor, used) > r)
			r = hint_room(floor, used);
		if (r > br->reserve[w])
			br->reserve[w] = r;
	}
}
