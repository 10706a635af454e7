// SPDX-License-Identifier: GPL-2.0
/*
 * Devices that are not there yet.  An entry may name a device that has not
 * been hot-added: its path resolves down to a hotplug-capable port, and
 * the device itself is missing directly below it.  When the entry gives
 * every BAR's size (barN@ADDR+SIZE), the port keeps [ADDR, ADDR+SIZE)
 * for it: the windows on the path down to the port contain the range, and
 * nothing else is placed there.
 *
 * The planner proper knows only devices, so it plans on a copy of the
 * topology with a placeholder device below each such port, whose BARs are
 * fixed by the entry, and the plan (without the placeholders) is then
 * checked against the topology as given.  A placeholder's BARs are memory
 * BARs: 64-bit prefetchable when the range ends above 4 GiB or lies in the
 * port's current prefetchable window, 32-bit non-prefetchable otherwise
 * (a prefetchable BAR of the device that arrives fits a non-prefetchable
 * window too).
 */
#include "fixedbar.h"

int fixedbar_topo_absent_port(const struct fixedbar_topo *t,
			      const struct fixedbar_entry *e)
{
	struct fixedbar_entry up;
	int port;

	if (e->nr_hops < 2 || fixedbar_topo_find(t, e, NULL, 0) >= 0)
		return -ENODEV;
	up = *e;
	up.nr_hops--;
	port = fixedbar_topo_find(t, &up, NULL, 0);
	if (port < 0 || !t->devs[port].is_bridge || !t->devs[port].br.hotplug)
		return -ENODEV;
	return port;
}

bool fixedbar_entry_sized(const struct fixedbar_entry *e)
{
	int i;

	for (i = 0; i < e->nr_bars; i++)
		if (!e->bars[i].size)
			return false;
	return e->nr_bars > 0;
}

/* An entry the planner keeps room for: absent, below a hotplug port, sized */
static int ab_port(const struct fixedbar_topo *t, u32 ei)
{
	const struct fixedbar_entry *e = &t->entries[ei];

	if (!fixedbar_entry_sized(e))
		return -ENODEV;
	return fixedbar_topo_absent_port(t, e);
}

bool fixedbar_topo_has_absent(const struct fixedbar_topo *t)
{
	u32 i;

	for (i = 0; i < t->nr_entries; i++)
		if (ab_port(t, i) >= 0)
			return true;
	return false;
}

static void ab_fail(struct fixedbar_plan *p, u32 ei, int err, const char *what)
{
	snprintf(p->message, sizeof(p->message), "%s", what);
	p->nr_err_entries = 1;
	p->err_entries[0] = ei;
	p->err = err;
}

/* One placeholder BAR at @addr + @size below @port */
static void ab_bar(const struct fixedbar_dev *port, int bar,
		   struct fixedbar_bar *b, u64 addr, u64 size)
{
	const struct fixedbar_range *pw = &port->br.cur[FIXEDBAR_WIN_PREF];
	u64 end = addr + size - 1;

	b->present = true;
	b->type = FIXEDBAR_RES_MEM;
	b->size = size;
	b->count = 1;
	b->pref = end >= FIXEDBAR_4G || (port->br.pref && pw->assigned &&
					 pw->start <= addr && end <= pw->end);
	b->mem64 = b->pref && bar < 5;
}

/* A 64-bit placeholder BAR whose upper half the entry names too */
static bool ab_clash(const struct fixedbar_dev *d, int bar)
{
	return (bar > 0 && d->bars[bar - 1].mem64 && d->bars[bar].present) ||
	       (bar < 5 && d->bars[bar].mem64 && d->bars[bar + 1].present);
}

/* The placeholder for entry @ei below @port in @t2 */
static int ab_add(struct fixedbar_topo *t2, u32 ei, int port,
		  struct fixedbar_plan *p)
{
	const struct fixedbar_entry *e = &t2->entries[ei];
	char path[FIXEDBAR_PATH_LEN], what[FIXEDBAR_MSG_LEN];
	struct fixedbar_dev *d;
	int dev, i, bar;

	dev = fixedbar_topo_add_dev(t2, port, e->devfn[e->nr_hops - 1]);
	if (dev < 0) {
		ab_fail(p, ei, dev, "out of memory");
		return dev;
	}
	d = &t2->devs[dev];
	for (i = 0; i < e->nr_bars; i++) {
		bar = e->bars[i].bar;
		ab_bar(&t2->devs[port], bar, &d->bars[bar], e->bars[i].addr,
		       e->bars[i].size);
		if (!ab_clash(d, bar))
			continue;
		fixedbar_dev_path(t2, dev, path, sizeof(path));
		snprintf(what, sizeof(what),
			 "%s bar%d: the device is absent and a BAR in a prefetchable range is taken as 64-bit, so its upper half cannot be named too; leave out the upper BAR",
			 path, bar);
		ab_fail(p, ei, -EINVAL, what);
		return -EINVAL;
	}
	return 0;
}

/* @t with a placeholder for every absent, sized entry, in a new *@t2 */
static int ab_copy(const struct fixedbar_topo *t, struct fixedbar_topo **t2p,
		   struct fixedbar_plan *p)
{
	struct fixedbar_topo *t2 = fixedbar_zalloc(sizeof(*t2));
	int err = 0, port;
	u32 i;

	*t2p = t2;
	if (!t2)
		return -ENOMEM;
	*t2 = *t;
	t2->devs = fixedbar_zalloc((t->nr_devs + 1) * sizeof(*t2->devs));
	if (!t2->devs)
		return -ENOMEM;
	memcpy(t2->devs, t->devs, t->nr_devs * sizeof(*t2->devs));
	t2->max_devs = t->nr_devs + 1;
	for (i = 0; i < t->nr_entries && !err; i++) {
		port = ab_port(t, i);
		if (port >= 0)
			err = ab_add(t2, i, port, p);
	}
	return err;
}

int fixedbar_plan_absent(const struct fixedbar_topo *t, struct fixedbar_plan *p)
{
	struct fixedbar_topo *t2;
	int err;

	memset(p, 0, sizeof(*p));
	err = ab_copy(t, &t2, p);
	if (!err) {
		err = fixedbar_plan(t2, p);
		/* the placeholders come last; the plan covers @t's devices */
		p->nr_devs = t->nr_devs;
	}
	if (err == -ENOMEM)
		snprintf(p->message, sizeof(p->message), "out of memory");
	return fixedbar_plan_copy_end(t, t2, p, err);
}
