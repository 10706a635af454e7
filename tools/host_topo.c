// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the guest topology it proposes.
 */
#include <string.h>

#include "host.h"

/* --- the guest topology --------------------------------------------- */

static void format_path(struct dev *d)
{
	int i, n;

	n = snprintf(d->path, sizeof(d->path), "0000:00:%02x.%x",
		     d->hops[0].slot, d->hops[0].fn);
	for (i = 1; i < d->depth; i++)
		n += snprintf(d->path + n, sizeof(d->path) - n, "/%02x.%x",
			      d->hops[i].slot, d->hops[i].fn);
}

static int find_port(const struct hop *at)
{
	int i;

	for (i = 0; i < nr_ports; i++)
		if (same_hop(&ports[i].at, at))
			return i;
	return -1;
}

static int add_port(const struct hop *at)
{
	struct port *p = &ports[nr_ports];

	p->at = *at;
	if (at->fn)
		snprintf(p->qid, sizeof(p->qid), "fxrp%02x-%x", at->slot,
			 at->fn);
	else
		snprintf(p->qid, sizeof(p->qid), "fxrp%02x", at->slot);
	return nr_ports++;
}

/* a root-bus slot.fn that no given guest path uses */
static bool hop_used(const struct hop *h)
{
	int i;

	for (i = 0; i < nr_devs; i++)
		if (devs[i].path_given && same_hop(&devs[i].hops[0], h))
			return true;
	return false;
}

static unsigned int last_slot(void)
{
	return opt.machine == MACH_Q35 ? Q35_LAST_SLOT : VIRT_LAST_SLOT;
}

/* the next proposed root port position, skipping given paths' slots */
static int next_port_hop(unsigned int *n, struct hop *h)
{
	do {
		h->slot = opt.first_slot + *n / opt.ports_per_slot;
		h->fn = *n % opt.ports_per_slot;
		(*n)++;
		if (h->slot > last_slot())
			return usage_error("no free pcie.0 slot for another root port (slots 0x%02x-0x%02x); use --first-slot, --ports-per-slot or BDF=GUESTPATH",
					   opt.first_slot, last_slot());
	} while (hop_used(h) || find_port(h) >= 0);
	return 0;
}

static bool in_group(int i, int first)
{
	const struct dev *d = &devs[i], *f = &devs[first];

	if (d->path_given || d->port >= 0)
		return false;
	if (i == first)
		return true;
	return !opt.split_functions && d->domain == f->domain &&
	       d->bus == f->bus && d->host.slot == f->host.slot;
}

/* functions of one host card share a root port, as functions */
static void place_group(int first, int port)
{
	bool has_fn0 = false;
	int i, k = 0;

	for (i = first; i < nr_devs; i++)
		if (in_group(i, first))
			has_fn0 |= !devs[i].host.fn;
	for (i = first; i < nr_devs; i++) {
		struct dev *d = &devs[i];

		if (!in_group(i, first))
			continue;
		/* keep host function numbers when function 0 comes along */
		d->hops[1].fn = has_fn0 ? d->host.fn : (unsigned int)k++;
		d->hops[1].slot = 0;
		d->hops[0] = ports[port].at;
		d->depth = 2;
		d->port = port;
		ports[port].has_io |= d->has_io;
	}
}

/* @a's guest path is a proper prefix of @b's: @a would be a bridge */
static bool path_prefix(const struct dev *a, const struct dev *b)
{
	return a->depth < b->depth &&
	       !memcmp(a->hops, b->hops, a->depth * sizeof(a->hops[0]));
}

static int check_given_path(struct dev *d)
{
	int i;

	if (d->depth >= 2 && d->hops[1].slot)
		return usage_error("%s: guest path %s: below a root port a device sits at slot 00",
				   d->arg, d->path);
	for (i = 0; i < nr_devs; i++) {
		const struct dev *o = &devs[i];

		if (o == d || !o->path_given)
			continue;
		if (!strcmp(o->path, d->path))
			return usage_error("%s and %s: both at guest path %s",
					   d->bdf, o->bdf, d->path);
		if (path_prefix(d, o))
			return usage_error("%s: guest path %s is a bridge above %s (%s)",
					   d->arg, d->path, o->bdf, o->path);
	}
	if (d->depth == 1 && find_port(&d->hops[0]) >= 0)
		return usage_error("%s: guest path %s is a root port another device sits below",
				   d->arg, d->path);
	return 0;
}

static void mark_multifunction(void)
{
	int i, j;

	for (i = 0; i < nr_ports; i++)
		for (j = 0; j < nr_ports; j++)
			if (i != j && ports[i].at.slot == ports[j].at.slot &&
			    !ports[i].at.fn)
				ports[i].multifunction = true;
}

int propose_topology(void)
{
	unsigned int n = 0;
	struct hop h;
	int i, err;

	/* given paths one level below the root bus: we create the port */
	for (i = 0; i < nr_devs; i++) {
		struct dev *d = &devs[i];

		if (!d->path_given)
			continue;
		format_path(d);
		if (d->depth != 2)
			continue;
		d->port = find_port(&d->hops[0]);
		if (d->port < 0)
			d->port = add_port(&d->hops[0]);
		ports[d->port].has_io |= d->has_io;
	}
	for (i = 0; i < nr_devs; i++) {
		if (!devs[i].path_given)
			continue;
		err = check_given_path(&devs[i]);
		if (err)
			return err;
	}
	for (i = 0; i < nr_devs; i++) {
		if (devs[i].path_given || devs[i].port >= 0)
			continue;
		err = next_port_hop(&n, &h);
		if (err)
			return err;
		place_group(i, add_port(&h));
	}
	for (i = 0; i < nr_devs; i++) {
		format_path(&devs[i]);
		if (devs[i].depth > 2 && opt.format != FMT_LIBVIRT)
			notice("%s: guest path %s is below bridges this tool does not create; give its -device line the bus= of the bridge at the last hop",
			       devs[i].bdf, devs[i].path);
	}
	mark_multifunction();
	return 0;
}
