// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the proposal checked by the planner and validator the
 * guest module runs (planner/).  The proposed guest is built as a
 * topology: root bus 0000:00 with the machine's windows as apertures (and
 * what the machine keeps in them as claimed ranges), a bridge per hop of
 * every guest path, each device's BARs to fix (unassigned, as the guest
 * firmware may leave them) and the descriptor entries the tool prints.
 * A proposal the planner cannot place, or a plan the validator refuses,
 * fails the run with the planner's message, which names the entry,
 * device and BAR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixedbar.h"
#include "host.h"

/* the device at @devfn below @parent (-1: the root bus), made if absent */
static int child(struct fixedbar_topo *t, int parent, u8 devfn)
{
	int i = parent < 0 ? t->first_root : t->devs[parent].first_child;

	for (; i >= 0; i = t->devs[i].next_sibling)
		if (t->devs[i].devfn == devfn)
			return i;
	return fixedbar_topo_add_dev(t, parent, devfn);
}

/* a bridge on the path: windows of every kind, I/O where a port needs it */
static void make_bridge(struct fixedbar_dev *br, bool io)
{
	br->is_bridge = true;
	br->br.pref = true;
	br->br.pref64 = true;
	br->br.io |= io;
}

static void add_bars(struct fixedbar_dev *fd, const struct dev *d)
{
	int j;

	for (j = 0; j < d->nr_bars; j++) {
		const struct bar *b = &d->bars[j];
		struct fixedbar_bar *fb = &fd->bars[b->index];

		fb->present = true;
		fb->type = FIXEDBAR_RES_MEM;
		fb->mem64 = b->flags & IORESOURCE_MEM_64;
		fb->pref = b->flags & IORESOURCE_PREFETCH;
		fb->size = b->end - b->start + 1;
		fb->count = 1;
	}
}

/* devs[@i] at its guest path, with a bridge at each hop above it */
static int add_guest_dev(struct fixedbar_topo *t, int i)
{
	const struct dev *d = &devs[i];
	int k, idx = -1;

	for (k = 0; k < d->depth; k++) {
		idx = child(t, idx, d->hops[k].slot << 3 | d->hops[k].fn);
		if (idx < 0)
			return idx;
		if (k < d->depth - 1)
			make_bridge(&t->devs[idx], !k && d->has_io);
	}
	add_bars(&t->devs[idx], d);
	return 0;
}

static int add_apertures(struct fixedbar_topo *t)
{
	struct fixedbar_aperture *a = t->apertures;
	int err = 0;

	a[0].type = FIXEDBAR_RES_IO;
	a[0].start = 0x1000;
	a[0].end = 0xffff;
	a[1].type = FIXEDBAR_RES_MEM;
	if (opt.machine == MACH_Q35) {
		a[1].start = q35_below_4g();
		a[1].end = Q35_HOLE32_END;
		err = fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM,
						 Q35_MMCONFIG_START,
						 Q35_MMCONFIG_END, "MMCONFIG");
	} else {
		a[1].start = VIRT_MMIO32_START;
		a[1].end = VIRT_MMIO32_END;
	}
	t->nr_apertures = 2;
	if (win.start) {
		a[2].type = FIXEDBAR_RES_MEM;
		a[2].start = win.start;
		a[2].end = win.end;
		t->nr_apertures = 3;
	}
	if (!err && opt.machine == MACH_Q35 && opt.amd && win.start &&
	    win.end >= AMD_HT_START)
		err = fixedbar_topo_add_reserved(t, FIXEDBAR_RES_MEM,
						 AMD_HT_START, AMD_HT_END,
						 "HyperTransport");
	return err;
}

/* the proposed guest and the entries the descriptors carry */
static int guest_topology(struct fixedbar_topo *t, char **entries, int n,
			  char *msg, size_t len)
{
	int i, err = add_apertures(t);

	for (i = 0; !err && i < nr_devs; i++)
		err = add_guest_dev(t, i);
	if (err) {
		snprintf(msg, len, "cannot build the guest topology: %s",
			 strerror(-err));
		return err;
	}
	for (i = 0; !err && i < n; i++)
		err = fixedbar_parse_map(entries[i], t, msg, len);
	return err;
}

/*
 * The host device of the plan's first failed entry: entry k is the k-th
 * device with BARs to fix (make_entries()), and no two share a path.
 */
static const char *failed_dev(const struct fixedbar_plan *p)
{
	u32 k = p->nr_err_entries ? p->err_entries[0] : 0;
	int i;

	for (i = 0; i < nr_devs; i++)
		if (devs[i].nr_bars && !k--)
			return devs[i].bdf;
	return "the proposal";
}

int check_with_planner(char **entries, int n)
{
	char msg[FIXEDBAR_MSG_LEN] = "";
	struct fixedbar_plan p;
	struct fixedbar_topo t;
	int err;

	fixedbar_topo_init(&t);
	memset(&p, 0, sizeof(p));
	err = guest_topology(&t, entries, n, msg, sizeof(msg));
	if (err) {
		check_error("the proposed guest topology: %s", msg);
		goto out;
	}
	err = fixedbar_plan(&t, &p);
	if (err) {
		check_error("%s: the guest module's planner cannot keep its fixed BARs in the proposed guest: %s; give the device another guest path (BDF=GUESTPATH) or leave the BAR out (BDF:bar...)",
			    failed_dev(&p), p.message);
		goto out;
	}
	err = fixedbar_validate(&t, &p, msg, sizeof(msg));
	if (err)
		check_error("the guest module's validator refuses the plan for the proposed guest: %s",
			    msg);
out:
	fixedbar_plan_free(&p);
	fixedbar_topo_free(&t);
	return err ? EXIT_CHECK : 0;
}
