// SPDX-License-Identifier: GPL-2.0
/*
 * Fixed BARs for the guest's whole life, after the load-time apply:
 *
 * - every fixed BAR the module placed carries IORESOURCE_PCI_FIXED, so the
 *   PCI core's sizing and assignment passes (a rescan, a hot-add beside it)
 *   leave it where it is; the module clears the marks it set on unload;
 *   a BAR resize, which would release it anyway, is refused below its host
 *   bridge when the device is resizable (rebar_guard.c);
 * - an entry whose device is absent, in the empty slot of a hotplug port,
 *   with each BAR's +SIZE, waits for the device instead of failing the
 *   load, and the plan keeps its range free meanwhile;
 * - a bus notifier sees every endpoint the core adds (BUS_NOTIFY_ADD_DEVICE
 *   runs at scan time, before resources are assigned and before any driver
 *   can match) and gives it driver_override "none", so no driver binds yet.
 *   Once the scan is over (the rescan lock is free): when an entry names
 *   the device, or the core left one of its BARs unassigned, its root bus
 *   is planned again with every present entry, the layout applied and read
 *   back as at load; then the override is cleared and a driver may bind.
 *   A named device that cannot be placed keeps the override and the log
 *   says why.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "fixedbar_mod.h"

#define HP_BLOCK "none"

struct hp_mark {
	struct pci_dev *pdev;
	int resno;
};

/* a hot-added endpoint whose driver waits for the module */
struct hp_pending {
	struct list_head list;
	struct pci_dev *pdev;
	int entry;			/* index in hp_wanted, -1: unnamed */
	/* the BARs as probed: the core zeroes one it fails to assign */
	struct resource probed[PCI_ROM_RESOURCE + 1];
	u8 preset;			/* BARs put at their address at scan */
};

static const struct fixedbar_topo *hp_wanted;
static struct hp_mark *hp_marks;	/* under the rescan lock */
static u32 hp_nr_marks, hp_max_marks;
static LIST_HEAD(hp_pending);
static DEFINE_MUTEX(hp_lock);		/* hp_pending */
static struct workqueue_struct *hp_wq;
static void hp_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(hp_work, hp_work_fn);

static int hp_add_mark(struct pci_dev *pdev, int resno)
{
	struct hp_mark *m;

	if (hp_nr_marks == hp_max_marks) {
		m = krealloc_array(hp_marks, hp_max_marks * 2 + 8, sizeof(*m),
				   GFP_KERNEL);
		if (!m)
			return -ENOMEM;
		hp_marks = m;
		hp_max_marks = hp_max_marks * 2 + 8;
	}
	hp_marks[hp_nr_marks].pdev = pci_dev_get(pdev);
	hp_marks[hp_nr_marks++].resno = resno;
	pdev->resource[resno].flags |= IORESOURCE_PCI_FIXED;
	return 0;
}

/* After a successful apply of @g; caller holds the rescan lock. */
void fixedbar_hotplug_mark(struct fixedbar_group *g)
{
	const struct fixedbar_entry *e;
	struct pci_dev *pdev;
	u32 i;
	int idx, j, resno;

	for (i = 0; i < g->topo.nr_entries; i++) {
		e = &g->topo.entries[i];
		idx = fixedbar_topo_find(&g->topo, e, NULL, 0);
		if (idx < 0)
			continue;
		pdev = g->nodes[idx].pdev;
		for (j = 0; j < e->nr_bars; j++) {
			resno = e->bars[j].bar;
			if (pdev->resource[resno].flags & IORESOURCE_PCI_FIXED)
				continue;
			if (hp_add_mark(pdev, resno))
				pci_warn(pdev, "BAR %d %pR: out of memory, not marked fixed; a later rescan may move it\n",
					 resno, &pdev->resource[resno]);
			else
				fixedbar_rebar_guard(pdev, resno);
		}
	}
}

static void hp_clear_marks(void)
{
	u32 i;

	pci_lock_rescan_remove();
	for (i = 0; i < hp_nr_marks; i++) {
		hp_marks[i].pdev->resource[hp_marks[i].resno].flags &=
			~IORESOURCE_PCI_FIXED;
		pci_dev_put(hp_marks[i].pdev);
	}
	fixedbar_rebar_unguard();
	pci_unlock_rescan_remove();
	kfree(hp_marks);
	hp_marks = NULL;
	hp_nr_marks = 0;
	hp_max_marks = 0;
}

static struct pci_dev *hp_on_bus(struct pci_bus *bus, u8 devfn)
{
	struct pci_dev *dev;

	list_for_each_entry(dev, &bus->devices, bus_list)
		if (dev->devfn == devfn)
			return dev;
	return NULL;
}

/*
 * The device @e names, or NULL; *@waits: it is absent from the empty slot
 * of a hotplug port (every hop but the last present, the last one's bus
 * below a hotplug bridge).  Caller holds the rescan lock.
 */
static struct pci_dev *hp_find(const struct fixedbar_entry *e, bool *waits)
{
	struct pci_bus *bus = fixedbar_root_bus(e->domain, e->bus);
	struct pci_dev *dev = NULL;
	int i;

	*waits = false;
	for (i = 0; bus && i < e->nr_hops; i++) {
		dev = hp_on_bus(bus, e->devfn[i]);
		if (!dev) {
			*waits = i == e->nr_hops - 1 && bus->self &&
				 fixedbar_hotplug_port(bus->self);
			return NULL;
		}
		bus = dev->subordinate;
	}
	return i == e->nr_hops ? dev : NULL;
}

/* every BAR @e names is where it says (memory BARs: CPU addresses) */
static bool hp_in_place(const struct fixedbar_entry *e, struct pci_dev *pdev)
{
	struct resource *res;
	int j;

	for (j = 0; j < e->nr_bars; j++) {
		res = &pdev->resource[e->bars[j].bar];
		if (!res->parent || (res->flags & IORESOURCE_MEM &&
				     res->start != e->bars[j].addr))
			return false;
	}
	return true;
}

/*
 * The entries of @wanted to plan now into @present.  An entry waiting for
 * a hot-add is planned with its +SIZE (the planner keeps its range free,
 * planner/absent.c) and @log names it once; without sizes it fails the
 * load (-ENODEV), and at a hot-add (@log false) it is left out.  With @only (a hot-add), also
 * leave out the entries of other devices not at their addresses (a device
 * an earlier hot-add could not place): they must not fail this plan.
 * Caller holds the rescan lock.
 */
int fixedbar_hotplug_present(const struct fixedbar_topo *wanted,
			     struct fixedbar_topo *present, bool log,
			     struct pci_dev *only)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	const struct fixedbar_entry *e;
	struct pci_dev *pdev;
	bool waits;
	u32 i;
	int ret;

	for (i = 0; i < wanted->nr_entries; i++) {
		e = &wanted->entries[i];
		pdev = hp_find(e, &waits);
		if (only && pdev && pdev != only && !hp_in_place(e, pdev))
			continue;
		if (waits && !fixedbar_entry_sized(e)) {
			/* at a hot-add: a device removed since, nothing to keep */
			if (!log)
				continue;
			fixedbar_format_entry(e, entry, sizeof(entry));
			pr_err("entry %s: no device in that hotplug slot; give each BAR's size (barN@ADDR+SIZE) so its range is kept free until it is hot-added\n",
			       entry);
			return -ENODEV;
		}
		if (waits && log) {
			fixedbar_format_entry(e, entry, sizeof(entry));
			pr_info("entry %s: no device in that hotplug slot yet; its range is kept free and its BARs are placed when it is hot-added\n",
				entry);
		}
		ret = fixedbar_topo_add_entry(present, e, NULL, 0);
		if (ret)
			return ret;
	}
	return 0;
}

/* the entry of hp_wanted naming @pdev, or -1 */
static int hp_entry_of(struct pci_dev *pdev)
{
	const struct fixedbar_entry *e;
	struct pci_dev *d;
	struct pci_bus *bus;
	u32 i;
	int h;

	for (i = 0; i < hp_wanted->nr_entries; i++) {
		e = &hp_wanted->entries[i];
		d = pdev;
		bus = pdev->bus;
		for (h = e->nr_hops - 1; h >= 0 && d; h--) {
			if (d->devfn != e->devfn[h])
				break;
			bus = d->bus;
			d = bus->self;
		}
		if (h < 0 && !d && !bus->parent &&
		    pci_domain_nr(bus) == e->domain && bus->number == e->bus)
			return i;
	}
	return -1;
}

/* "" clears; the field moved to struct device in 6.12.y (and later) */
static int hp_block(struct pci_dev *pdev, const char *s)
{
#ifdef FIXEDBAR_HAVE_DEVICE_DRIVER_OVERRIDE
	return __device_set_driver_override(&pdev->dev, s, strlen(s));
#else
	return driver_set_override(&pdev->dev, &pdev->driver_override, s,
				   strlen(s));
#endif
}

/*
 * Put the named memory BARs at their addresses, IORESOURCE_PCI_FIXED, while
 * the core has not assigned anything yet: its sizing and assignment skip
 * them, so it does not fail on them and release the windows above (with
 * the fixed BARs of the siblings in them) to retry.
 */
static u8 hp_preset(struct pci_dev *pdev, const struct fixedbar_entry *e)
{
	struct resource *res;
	u8 mask = 0;
	int j;

	for (j = 0; j < e->nr_bars; j++) {
		res = &pdev->resource[e->bars[j].bar];
		if (!(res->flags & IORESOURCE_MEM) || !resource_size(res) ||
		    res->parent)
			continue;
		resource_set_range(res, e->bars[j].addr, resource_size(res));
		res->flags |= IORESOURCE_PCI_FIXED;
		res->flags &= ~IORESOURCE_UNSET;
		mask |= BIT(e->bars[j].bar);
	}
	return mask;
}

/*
 * Every endpoint added while the module is loaded waits for it: a named one
 * to be placed, an unnamed one in case the core could not assign it.
 */
static int hp_notify(struct notifier_block *nb, unsigned long action,
		     void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	struct hp_pending *p;
	int entry;

	if (action != BUS_NOTIFY_ADD_DEVICE || pdev->is_virtfn ||
	    pdev->hdr_type != PCI_HEADER_TYPE_NORMAL)
		return NOTIFY_DONE;
	entry = hp_entry_of(pdev);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p || hp_block(pdev, HP_BLOCK)) {
		kfree(p);
		if (entry >= 0)
			pci_err(pdev, "out of memory: a driver may bind before its fixed BARs are placed; remove the device and add it again\n");
		return NOTIFY_DONE;
	}
	if (entry >= 0)
		pci_info(pdev, "named by a fixed-BAR entry: no driver binds until its BARs are placed\n");
	memcpy(p->probed, pdev->resource, sizeof(p->probed));
	if (entry >= 0)
		p->preset = hp_preset(pdev, &hp_wanted->entries[entry]);
	p->pdev = pci_dev_get(pdev);
	p->entry = entry;
	mutex_lock(&hp_lock);
	list_add_tail(&p->list, &hp_pending);
	mutex_unlock(&hp_lock);
	queue_delayed_work(hp_wq, &hp_work, 0);
	return NOTIFY_OK;
}

static struct notifier_block hp_nb = {
	.notifier_call = hp_notify,
};

static struct pci_bus *hp_root_of(struct pci_dev *pdev)
{
	struct pci_bus *bus = pdev->bus;

	while (bus->parent)
		bus = bus->parent;
	return bus;
}

/*
 * A BAR the core failed to assign is zeroed (flags too); give it back its
 * probed size and type, unassigned, so the planner can place it.  Whether
 * any BAR is left unassigned.
 */
static bool hp_restore(struct hp_pending *p)
{
	struct resource *res, *was;
	bool unassigned = false;
	int i;

	/* an unassigned ROM is the normal case: only BARs count */
	for (i = 0; i < PCI_ROM_RESOURCE; i++) {
		res = &p->pdev->resource[i];
		was = &p->probed[i];
		if (p->preset & BIT(i)) {
			/* the planner places it, and writes the register */
			if (res->parent)
				release_resource(res);
			res->flags &= ~IORESOURCE_PCI_FIXED;
			res->flags |= IORESOURCE_UNSET;
			unassigned = true;
			continue;
		}
		if (!(was->flags & (IORESOURCE_IO | IORESOURCE_MEM)) ||
		    !resource_size(was) || res->parent)
			continue;
		unassigned = true;
		if (res->flags)
			continue;
		res->start = 0;
		res->end = resource_size(was) - 1;
		res->flags = was->flags | IORESOURCE_UNSET;
	}
	return unassigned;
}

/*
 * A fixed BAR the core released anyway (6.1 releases whole windows, with
 * what they hold, when a hot-add does not fit and it retries): unmarked
 * and unassigned, so the plan puts it back where its entry says.
 */
static bool hp_restore_marks(void)
{
	struct resource *res;
	bool released = false;
	u32 i;

	for (i = 0; i < hp_nr_marks; i++) {
		res = &hp_marks[i].pdev->resource[hp_marks[i].resno];
		if (res->parent || !device_is_registered(&hp_marks[i].pdev->dev))
			continue;
		pci_warn(hp_marks[i].pdev, "BAR %d %pR: fixed, but released by the PCI core; placing it again\n",
			 hp_marks[i].resno, res);
		res->flags &= ~IORESOURCE_PCI_FIXED;
		res->flags |= IORESOURCE_UNSET;
		released = true;
	}
	return released;
}

/* Plan, apply and mark the root bus of @pdev again; rescan lock held. */
static int hp_place(struct pci_dev *pdev)
{
	struct fixedbar_topo present;
	struct fixedbar_group *g;
	LIST_HEAD(one);
	int ret;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	fixedbar_topo_init(&present);
	list_add(&g->list, &one);
	ret = fixedbar_hotplug_present(hp_wanted, &present, false, pdev);
	if (!ret)
		ret = fixedbar_snapshot(g, hp_root_of(pdev), &present);
	if (!ret)
		ret = fixedbar_plan_group(g);
	if (!ret)
		ret = fixedbar_apply_groups(&one);
	if (!ret)
		fixedbar_report_moves(g);
	fixedbar_group_free(g);
	fixedbar_topo_free(&present);
	kfree(g);
	return ret;
}

/*
 * Still in the middle of being added (a scan that does not hold the rescan
 * lock): try again later.  Removed meanwhile: nothing to do.
 */
static bool hp_ready(struct hp_pending *p)
{
#ifdef FIXEDBAR_HAVE_DEV_READY_TO_PROBE
	bool added = dev_ready_to_probe(&p->pdev->dev);
#else
	bool added = p->pdev->match_driver;
#endif
	return added || !device_is_registered(&p->pdev->dev);
}

static struct hp_pending *hp_next(bool *again)
{
	struct hp_pending *p;

	mutex_lock(&hp_lock);
	list_for_each_entry(p, &hp_pending, list) {
		if (!hp_ready(p)) {
			*again = true;
			continue;
		}
		list_del(&p->list);
		mutex_unlock(&hp_lock);
		return p;
	}
	mutex_unlock(&hp_lock);
	return NULL;
}

/* [@start, @start + @size) as a memory resource, for %pR */
static void hp_range(struct resource *r, u64 start, u64 size)
{
	*r = (struct resource)DEFINE_RES_MEM(start, size);
}

/*
 * An assigned memory BAR (or ROM, or SR-IOV BAR) of @pdev that overlaps
 * [@start, @start + @size): its resource number, or -1.
 */
static int hp_overlap(struct pci_dev *pdev, u64 start, u64 size)
{
	struct resource *res;
	int r;

	for (r = 0; r < PCI_BRIDGE_RESOURCES; r++) {
		res = &pdev->resource[r];
		if (res->parent && res->flags & IORESOURCE_MEM &&
		    res->start < start + size && res->end >= start)
			return r;
	}
	return -1;
}

/*
 * The entry still waiting for its hot-add whose kept range (planner/
 * absent.c) a BAR of @pdev sits on, or -1; *@resno that BAR.  The PCI
 * core knows nothing of that range: a device it assigned by itself (a
 * hot-add, a rescan after a remove) may land there.  Rescan lock held.
 */
static int hp_taken(struct pci_dev *pdev, int *resno)
{
	const struct fixedbar_entry *e;
	bool waits;
	u32 i;
	int j;

	for (i = 0; i < hp_wanted->nr_entries; i++) {
		e = &hp_wanted->entries[i];
		if (!fixedbar_entry_sized(e) || hp_find(e, &waits) || !waits)
			continue;
		for (j = 0; j < e->nr_bars; j++) {
			*resno = hp_overlap(pdev, e->bars[j].addr,
					    e->bars[j].size);
			if (*resno >= 0)
				return i;
		}
	}
	return -1;
}

/*
 * An unnamed device the plan could not move off a waiting entry's range:
 * one line, and true.  Rescan lock held.
 */
static bool hp_warn_taken(struct pci_dev *pdev, int ret)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	int i, resno;

	i = hp_taken(pdev, &resno);
	if (i < 0)
		return false;
	fixedbar_format_entry(&hp_wanted->entries[i], entry, sizeof(entry));
	pci_warn(pdev, "BAR %d %pR: the PCI core put it in the range kept for entry %s, which waits for its hot-add, and no layout moves it (%s); it binds there, so that entry's device will not be placed: remove this device before hot-adding that one, or give the entry another address\n",
		 resno, &pdev->resource[resno], entry,
		 fixedbar_errname(ret) ?: "plan gave it no other place");
	return true;
}

/*
 * Why the named @pdev could not be placed, when another device's BAR sits
 * in the range one of its entry's BARs needs: one line naming both; else
 * false.  Rescan lock held.
 */
static bool hp_collision(struct pci_dev *pdev, const struct fixedbar_entry *e,
			 const char *entry)
{
	struct pci_dev *other = NULL;
	struct resource want;
	u64 size;
	int j, r;

	for (j = 0; j < e->nr_bars; j++) {
		size = e->bars[j].size ?:
			resource_size(&pdev->resource[e->bars[j].bar]);
		if (!size)
			continue;
		hp_range(&want, e->bars[j].addr, size);
		for_each_pci_dev(other) {
			r = other == pdev ? -1 :
				hp_overlap(other, want.start, size);
			if (r < 0)
				continue;
			pci_err(pdev, "entry %s: BAR %d %pR collides with %s BAR %d %pR (driver %s), placed meanwhile; left without a driver (driver_override \"%s\"): remove %s (or give the entry another address), then remove and add this device again\n",
				entry, e->bars[j].bar, &want, pci_name(other),
				r, &other->resource[r],
				other->dev.driver ? other->dev.driver->name :
						    "none",
				HP_BLOCK, pci_name(other));
			pci_dev_put(other);
			return true;
		}
	}
	return false;
}

/*
 * After the plan of a held device (@ret): its one line when it failed or
 * left it on a waiting entry's range, and whether it stays held.  Rescan
 * lock held.
 */
static bool hp_report(struct hp_pending *p, int ret)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	const struct fixedbar_entry *e;

	if (p->entry < 0) {
		if (!hp_warn_taken(p->pdev, ret) && ret)
			pci_warn(p->pdev, "hot-added device: no layout around the fixed BARs gives it room (%s); it has BARs unassigned\n",
				 fixedbar_errname(ret) ?: "error");
		return false;
	}
	if (!ret)
		return false;
	e = &hp_wanted->entries[p->entry];
	fixedbar_format_entry(e, entry, sizeof(entry));
	if (!hp_collision(p->pdev, e, entry))
		pci_err(p->pdev, "entry %s: hot-added device not placed at its fixed address (%s), left without a driver (driver_override \"%s\"); %s, then remove and add the device again\n",
			entry, fixedbar_errname(ret) ?: "error", HP_BLOCK,
			fixedbar_errno_hint(ret));
	return true;
}

static void hp_one(struct hp_pending *p)
{
	bool held = false, plan = false;
	int ret = 0, resno;

	pci_lock_rescan_remove();
	if (!device_is_registered(&p->pdev->dev)) {
		pci_unlock_rescan_remove();
		return;
	}
	plan = hp_restore_marks();
	plan |= hp_restore(p) || p->entry >= 0;
	/* an unnamed device the core put on a waiting entry's range moves */
	plan |= p->entry < 0 && hp_taken(p->pdev, &resno) >= 0;
	if (plan)
		ret = hp_place(p->pdev);
	held = hp_report(p, ret);
	pci_unlock_rescan_remove();
	if (held)
		return;
	hp_block(p->pdev, "");
	ret = device_attach(&p->pdev->dev);
	if (ret < 0)
		pci_warn(p->pdev, "binding a driver after the module placed the device failed (%d)\n",
			 ret);
}

static void hp_work_fn(struct work_struct *work)
{
	struct hp_pending *p;
	bool again = false;

	while ((p = hp_next(&again))) {
		hp_one(p);
		pci_dev_put(p->pdev);
		kfree(p);
	}
	if (again)
		queue_delayed_work(hp_wq, &hp_work, HZ / 10);
}

/* Hot-adds from now on; @wanted lives until fixedbar_hotplug_exit(). */
int fixedbar_hotplug_init(const struct fixedbar_topo *wanted)
{
	int ret;

	hp_wanted = wanted;
	hp_wq = alloc_ordered_workqueue("pci_fixedbar", 0);
	if (!hp_wq)
		return -ENOMEM;
	ret = bus_register_notifier(&pci_bus_type, &hp_nb);
	if (ret) {
		destroy_workqueue(hp_wq);
		hp_wq = NULL;
	}
	return ret;
}

/*
 * No notifier runs once bus_unregister_notifier() returns; the work then
 * places what is pending.  A device still being added when the work stops
 * keeps its driver_override: it is not placed, so no driver may bind.
 */
void fixedbar_hotplug_exit(void)
{
	struct hp_pending *p, *tmp;

	if (hp_wq) {
		bus_unregister_notifier(&pci_bus_type, &hp_nb);
		cancel_delayed_work_sync(&hp_work);
		hp_work_fn(NULL);
		cancel_delayed_work_sync(&hp_work);
		destroy_workqueue(hp_wq);
		hp_wq = NULL;
	}
	list_for_each_entry_safe(p, tmp, &hp_pending, list) {
		pci_err(p->pdev, "pci_fixedbar unloading: fixed BARs not placed, left without a driver (driver_override \"%s\"); load pci_fixedbar again, then remove and add the device again\n",
			HP_BLOCK);
		list_del(&p->list);
		pci_dev_put(p->pdev);
		kfree(p);
	}
	hp_clear_marks();
}
