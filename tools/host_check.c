// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: whether the machine can hold the fixed BARs where they are.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"

/* --- checks --------------------------------------------------------- */

static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

static void check_bar_shape(const struct dev *d, struct bar *b)
{
	u64 size = b->end - b->start + 1;

	if (!b->start || b->flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED))
		check_error("%s bar%d %s: not assigned on the host, so there is no address to keep; assign it on the host (BIOS settings, pci=realloc) or leave it out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	else if (size & (size - 1))
		check_error("%s bar%d %s: size 0x%llx is not a power of two; the sysfs resource file is inconsistent, check the device on the host",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)size);
	else if (b->start & (size - 1))
		check_error("%s bar%d %s: not aligned to its size 0x%llx, which no BAR can be; the sysfs resource file is inconsistent, check the device on the host",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)size);
	else if (b->start < SZ_4G && b->end >= SZ_4G)
		check_error("%s bar%d %s: crosses 4 GiB, which no BAR can; check the device on the host",
			    d->bdf, b->index, res_str(b));
	else if (!(b->flags & IORESOURCE_MEM_64) && b->end >= SZ_4G)
		check_error("%s bar%d %s: a 32-bit BAR above 4 GiB; check the device on the host",
			    d->bdf, b->index, res_str(b));
	else
		return;
	/* later checks skip it */
	b->flags |= IORESOURCE_DISABLED;
}

static bool bar_ok(const struct bar *b)
{
	return !(b->flags & IORESOURCE_DISABLED);
}

static void check_bar_low_q35(const struct dev *d, const struct bar *b)
{
	u64 ram = q35_below_4g();

	if (b->start < ram)
		check_error("%s bar%d %s: inside the guest's RAM below 4 GiB [mem 0x00000000-0x%08llx] (q35 with %s of RAM); leave this BAR out (%s:bar...) or give the guest less RAM (--guest-ram)",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)ram - 1, size_str(opt.ram),
			    d->bdf);
	else if (overlaps(b->start, b->end, Q35_MMCONFIG_START,
			  Q35_MMCONFIG_END))
		check_error("%s bar%d %s: overlaps the q35 MMCONFIG area [mem 0xb0000000-0xbfffffff]; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	else if (b->end > Q35_HOLE32_END)
		check_error("%s bar%d %s: above the q35 32-bit PCI hole, which ends at 0xfebfffff (IOAPIC, HPET, LAPIC, BIOS follow); leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

static void check_bar_low_virt(const struct dev *d, const struct bar *b)
{
	if (overlaps(b->start, b->end, VIRT_RAM_START,
		     VIRT_RAM_START + opt.ram - 1))
		check_error("%s bar%d %s: inside the guest's RAM [mem 0x%08llx-0x%08llx] (virt with %s of RAM); leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)VIRT_RAM_START,
			    (unsigned long long)(VIRT_RAM_START + opt.ram - 1),
			    size_str(opt.ram), d->bdf);
	else if (b->start < VIRT_MMIO32_START || b->end > VIRT_MMIO32_END)
		check_error("%s bar%d %s: outside the virt 32-bit PCI window [mem 0x10000000-0x3efeffff]; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

static void check_bar_high(const struct dev *d, const struct bar *b)
{
	if (opt.machine == MACH_Q35 && b->start < win.start) {
		if (opt.amd && win.start > SZ_1T)
			check_error("%s bar%d %s: below the 64-bit PCI hole %s: with an AMD guest CPU and a hole reaching 0xfd00000000, QEMU moves the RAM above 4 GiB to 1 TiB; use an Intel CPU model or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    range_str(win.start, win.end), d->bdf);
		else
			check_error("%s bar%d %s: below the 64-bit PCI hole, which starts after the guest's RAM at 0x%llx (q35 with %s of RAM); give the guest less RAM (--guest-ram) or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    (unsigned long long)win.start,
				    size_str(opt.ram), d->bdf);
	} else if (opt.machine == MACH_Q35 && opt.amd &&
		   overlaps(b->start, b->end, AMD_HT_START, AMD_HT_END)) {
		check_error("%s bar%d %s: inside the AMD HyperTransport range [mem 0xfd00000000-0xffffffffff] that an AMD guest reserves; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	} else if (opt.machine == MACH_VIRT &&
		   (b->start < win.start || b->end > win.end)) {
		if (opt.patched)
			check_error("%s bar%d %s: below where virt can place its high PCI window (after the RAM, GIC redistributors and ECAM); leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b), d->bdf);
		else
			check_error("%s bar%d %s: outside the virt high PCI window %s, which unpatched QEMU cannot move; use QEMU with the fixed-bars patches (--patched: -machine highmem-mmio-window=) or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    range_str(win.start, win.end), d->bdf);
	}
	if (d->depth >= 2 && !(b->flags & IORESOURCE_PREFETCH))
		check_error("%s bar%d %s: a non-prefetchable BAR above 4 GiB cannot sit below a bridge (Linux puts it in the bridge's 32-bit memory window; docs/fixedbar-host.md); pass the device through on the root bus (%s=0000:00:SS.0)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

struct fixed_ref {
	const struct dev *d;
	const struct bar *b;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct fixed_ref *x = a, *y = b;

	return x->b->start < y->b->start ? -1 : x->b->start > y->b->start;
}

static void check_overlaps(void)
{
	struct fixed_ref refs[MAX_DEVS * NR_BARS];
	int i, j, n = 0, top = -1;

	for (i = 0; i < nr_devs; i++)
		for (j = 0; j < devs[i].nr_bars; j++)
			if (bar_ok(&devs[i].bars[j]))
				refs[n++] =
					(struct fixed_ref){ &devs[i],
							    &devs[i].bars[j] };
	qsort(refs, n, sizeof(refs[0]), cmp_ref);
	for (i = 0; i < n; i++) {
		if (top >= 0 && refs[i].b->start <= refs[top].b->end)
			check_error("%s bar%d %s overlaps %s bar%d %s; a host cannot have assigned both, check the devices on the host",
				    refs[i].d->bdf, refs[i].b->index,
				    res_str(refs[i].b), refs[top].d->bdf,
				    refs[top].b->index, res_str(refs[top].b));
		if (top < 0 || refs[i].b->end > refs[top].b->end)
			top = i;
	}
}

/* the range a bridge's window must cover for the fixed BARs below it */
struct hull {
	u64 lo, hi;
	bool any;
};

/* @pref: 64-bit prefetchable above 4 GiB (pref window); else mem window */
static void add_to_hull(struct hull *h, const struct bar *b)
{
	u64 lo = align_down(b->start, SZ_1M),
	    hi = align_up(b->end + 1, SZ_1M) - 1;

	if (!h->any || lo < h->lo)
		h->lo = lo;
	if (!h->any || hi > h->hi)
		h->hi = hi;
	h->any = true;
}

/* bridge @d->hops[0..len-1]: the windows the fixed BARs below it need */
static void bridge_hulls(const struct dev *d, int len, struct hull *mem,
			 struct hull *pref)
{
	int i, j, k;

	memset(mem, 0, sizeof(*mem));
	memset(pref, 0, sizeof(*pref));
	for (i = 0; i < nr_devs; i++) {
		if (devs[i].depth <= len)
			continue;
		for (k = 0; k < len; k++)
			if (!same_hop(&devs[i].hops[k], &d->hops[k]))
				break;
		if (k < len)
			continue;
		for (j = 0; j < devs[i].nr_bars; j++) {
			const struct bar *b = &devs[i].bars[j];

			if (!bar_ok(b))
				continue;
			if (!(b->flags & IORESOURCE_PREFETCH))
				add_to_hull(mem, b);
			else if (high_bar(b))
				add_to_hull(pref, b);
			/* a 32-bit prefetchable BAR may go in either */
		}
	}
}

static const char *bridge_name(const struct dev *d, int len)
{
	static char bufs[2][64];
	static int next;
	char *s = bufs[next++ % 2];
	int i, n;

	n = snprintf(s, sizeof(bufs[0]), "0000:00:%02x.%x", d->hops[0].slot,
		     d->hops[0].fn);
	for (i = 1; i < len; i++)
		n += snprintf(s + n, sizeof(bufs[0]) - n, "/%02x.%x",
			      d->hops[i].slot, d->hops[i].fn);
	return s;
}

static void check_hull_pair(const struct dev *a, const struct dev *b, int len,
			    const struct hull *ha, const struct hull *hb)
{
	if (!ha->any || !hb->any || !overlaps(ha->lo, ha->hi, hb->lo, hb->hi))
		return;
	check_error("guest bridges %s (above %s) and %s (above %s) would need overlapping windows %s and %s: windows are 1 MiB granular, so fixed BARs below sibling bridges must lie in disjoint 1 MiB-aligned ranges; put the devices below one root port (BDF=0000:00:SS.0/00.F) or leave the small BARs out",
		    bridge_name(a, len), a->bdf, bridge_name(b, len), b->bdf,
		    range_str(ha->lo, ha->hi), range_str(hb->lo, hb->hi));
}

static void check_endpoint_vs_bridge(const struct dev *e, const struct dev *br,
				     int len, const struct hull *h)
{
	int j;

	for (j = 0; j < e->nr_bars; j++) {
		const struct bar *b = &e->bars[j];

		if (bar_ok(b) && h->any &&
		    overlaps(b->start, b->end, h->lo, h->hi))
			check_error("%s bar%d %s lies in the window %s that guest bridge %s needs for %s; leave this BAR out (%s:bar...) or move the device (BDF=GUESTPATH)",
				    e->bdf, b->index, res_str(b),
				    range_str(h->lo, h->hi),
				    bridge_name(br, len), br->bdf, e->bdf);
	}
}

/* @d is the first device below its bridge hops[0..len-1] */
static bool first_below(const struct dev *d, int len)
{
	int i;

	for (i = 0; &devs[i] != d; i++)
		if (devs[i].depth > len &&
		    !memcmp(devs[i].hops, d->hops, len * sizeof(d->hops[0])))
			return false;
	return true;
}

/*
 * For each pair that parts at hop k: sibling bridges, or a bridge and a
 * device on the same bus.
 */
static void check_sibling_windows(void)
{
	struct hull ma, pa, mb, pb;
	int i, j, k;

	for (i = 0; i < nr_devs; i++) {
		for (j = 0; j < nr_devs; j++) {
			const struct dev *a = &devs[i], *b = &devs[j];

			if (i == j)
				continue;
			for (k = 0; k < a->depth && k < b->depth; k++)
				if (!same_hop(&a->hops[k], &b->hops[k]))
					break;
			if (k >= b->depth - 1 || k == a->depth ||
			    !first_below(b, k + 1))
				continue; /* b is no bridge at hop k, or done */
			bridge_hulls(b, k + 1, &mb, &pb);
			if (k == a->depth - 1) {
				check_endpoint_vs_bridge(a, b, k + 1, &mb);
				check_endpoint_vs_bridge(a, b, k + 1, &pb);
				continue;
			}
			if (j < i || !first_below(a, k + 1))
				continue; /* each bridge pair once */
			bridge_hulls(a, k + 1, &ma, &pa);
			check_hull_pair(a, b, k + 1, &ma, &mb);
			check_hull_pair(a, b, k + 1, &pa, &pb);
		}
	}
}

void run_checks(void)
{
	int i, j;

	if (opt.machine == MACH_Q35)
		q35_window();
	else
		virt_window();
	for (i = 0; i < nr_devs; i++) {
		for (j = 0; j < devs[i].nr_bars; j++) {
			struct dev *d = &devs[i];
			struct bar *b = &d->bars[j];

			check_bar_shape(d, b);
			if (!bar_ok(b))
				continue;
			if (high_bar(b))
				check_bar_high(d, b);
			else if (opt.machine == MACH_Q35)
				check_bar_low_q35(d, b);
			else
				check_bar_low_virt(d, b);
		}
	}
	check_overlaps();
	check_sibling_windows();
}
