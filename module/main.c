// SPDX-License-Identifier: GPL-2.0
/*
 * pci_fixedbar: puts PCI BARs at the exact addresses firmware or the
 * kernel command line describe, re-placing everything around them, before
 * endpoint drivers bind.  Load fails, with every device as it was, when the
 * layout cannot be planned, written or claimed.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

bool fixedbar_dry_run;
module_param_named(dry_run, fixedbar_dry_run, bool, 0444);
MODULE_PARM_DESC(dry_run, "plan and report without touching hardware");

static bool rebind;
module_param(rebind, bool, 0444);
MODULE_PARM_DESC(rebind, "unbind the endpoint drivers no layout can keep in place, apply, bind them again");

static struct fixedbar_topo main_wanted;	/* entries only */
static struct fixedbar_topo main_present;	/* those not awaiting a hot-add */
static LIST_HEAD(main_groups);
static struct pci_dev **main_unbound;
static u32 main_nr_unbound;

static void main_free_groups(void)
{
	struct fixedbar_group *g, *tmp;

	list_for_each_entry_safe(g, tmp, &main_groups, list) {
		list_del(&g->list);
		fixedbar_group_free(g);
		kfree(g);
	}
}

static struct fixedbar_group *main_group_of(struct pci_bus *root)
{
	struct fixedbar_group *g;

	list_for_each_entry(g, &main_groups, list)
		if (g->root == root)
			return g;
	return NULL;
}

struct pci_bus *fixedbar_root_bus(u16 domain, u8 nr)
{
	struct pci_bus *bus = NULL;

	while ((bus = pci_find_next_bus(bus)))
		if (pci_domain_nr(bus) == domain && bus->number == nr)
			return bus;
	return NULL;
}

/*
 * One snapshot per root bus that an entry names, with the entries whose
 * device is there (module/hotplug.c).  Holds the rescan lock.
 */
static int main_build_groups(void)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	struct fixedbar_topo *present = &main_present;
	struct fixedbar_group *g;
	struct pci_bus *root;
	u32 i;
	int ret;

	fixedbar_topo_free(present);
	fixedbar_topo_init(present);
	ret = fixedbar_hotplug_present(&main_wanted, present, true, NULL);
	if (ret)
		return ret;
	for (i = 0; i < present->nr_entries; i++) {
		root = fixedbar_root_bus(present->entries[i].domain,
					 present->entries[i].bus);
		if (!root) {
			fixedbar_format_entry(&present->entries[i], entry,
					      sizeof(entry));
			pr_err("entry %s: no such root bus; %s\n", entry,
			       fixedbar_errno_hint(-ENODEV));
			return -ENODEV;
		}
		if (main_group_of(root))
			continue;
		g = kzalloc(sizeof(*g), GFP_KERNEL);
		if (!g)
			return -ENOMEM;
		list_add_tail(&g->list, &main_groups);
		ret = fixedbar_snapshot(g, root, present);
		if (ret)
			return ret;
	}
	return 0;
}

/* The planner's messages already say what to do. */
static void main_plan_error(struct fixedbar_group *g)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	u32 i, j;

	if (!g->plan.nr_err_entries)
		pr_err("%04x:%02x: %s\n", g->topo.segment, g->topo.root_bus,
		       g->plan.message);
	for (i = 0; i < g->plan.nr_err_entries; i++) {
		for (j = 0; j < i; j++)
			if (g->plan.err_entries[j] == g->plan.err_entries[i])
				break;
		if (j < i)
			continue;
		fixedbar_format_entry(&g->topo.entries[g->plan.err_entries[i]],
				      entry, sizeof(entry));
		pr_err("entry %s: %s\n", entry, g->plan.message);
	}
}

/*
 * No layout keeps the bound devices in place.  When one exists without the
 * bound endpoints' pins, refuse naming them (or, for dry_run=1 rebind=1,
 * plan as if they were unbound); otherwise the unpinned plan's error names
 * the real culprit.
 */
static int main_plan_failed(struct fixedbar_group *g, int err)
{
	struct fixedbar_plan p;
	int ret;

	ret = fixedbar_bound_plan_unpinned(g, &p);
	if (ret == -ENOENT) {
		main_plan_error(g);
		return err;
	}
	if (!ret && !(rebind && fixedbar_dry_run)) {
		ret = fixedbar_bound_refuse(g, &p);
		fixedbar_plan_free(&p);
		return ret;
	}
	fixedbar_plan_free(&g->plan);
	g->plan = p;
	if (ret)
		main_plan_error(g);
	return ret;
}

int fixedbar_plan_group(struct fixedbar_group *g)
{
	char msg[FIXEDBAR_MSG_LEN];
	int ret;

	ret = fixedbar_plan(&g->topo, &g->plan);
	g->planned = true;
	if (ret)
		ret = main_plan_failed(g, ret);
	if (ret)
		return ret;
	ret = fixedbar_validate(&g->topo, &g->plan, msg, sizeof(msg));
	if (ret) {
		pr_err("%04x:%02x: planned layout is invalid: %s; nothing was changed, please report this planner bug\n",
		       g->topo.segment, g->topo.root_bus, msg);
		return -EFAULT;
	}
	return 0;
}

static void main_refresh_state(struct fixedbar_group *g)
{
	u32 i;

	/* AER/DPC recovery and resume restore the saved registers */
	for (i = 0; i < g->topo.nr_devs; i++)
		if (g->nodes[i].touched)
			pci_save_state(g->nodes[i].pdev);
}

/* All groups or none: a failure rolls the applied ones back too. */
static int main_apply(struct list_head *groups)
{
	struct fixedbar_group *g, *done;
	int ret;

	list_for_each_entry(g, groups, list) {
		fixedbar_save(g, &fixedbar_pci_ops);
		ret = fixedbar_apply(g, &fixedbar_pci_ops);
		if (ret)
			goto err_rollback;
	}
	list_for_each_entry(g, groups, list) {
		main_refresh_state(g);
		fixedbar_hotplug_mark(g);
	}
	return 0;

err_rollback:
	done = g;
	list_for_each_entry_continue_reverse(done, groups, list)
		fixedbar_rollback(done, &fixedbar_pci_ops);
	pr_err("%04x:%02x: applying the layout failed (%s), every device is back where it was; %s\n",
	       g->topo.segment, g->topo.root_bus,
	       fixedbar_errname(ret) ?: "error", fixedbar_errno_hint(ret));
	return ret;
}

/*
 * Device locks, apply, read back, fixed marks, for every planned group of
 * @groups.  Caller holds the rescan lock.
 */
int fixedbar_apply_groups(struct list_head *groups)
{
	int ret;

	ret = fixedbar_guard(groups);
	if (!ret)
		ret = main_apply(groups);
	fixedbar_unguard(groups);
	return ret;
}

/* Snapshot, plan, apply under the rescan lock, so nothing comes or goes. */
static int main_run_locked(void)
{
	struct fixedbar_group *g;
	int ret;

	pci_lock_rescan_remove();
	ret = main_build_groups();
	list_for_each_entry(g, &main_groups, list)
		if (!ret)
			ret = fixedbar_plan_group(g);
	if (!ret && !fixedbar_dry_run)
		ret = fixedbar_apply_groups(&main_groups);
	list_for_each_entry(g, &main_groups, list) {
		if (ret)
			break;
		if (fixedbar_dry_run)
			fixedbar_save(g, &fixedbar_pci_ops);
		fixedbar_report_moves(g);
	}
	pci_unlock_rescan_remove();
	return ret;
}

static int main_collect_unbind(void)
{
	struct fixedbar_group *g;
	u32 i, nr = 0;

	list_for_each_entry(g, &main_groups, list)
		for (i = 0; i < g->topo.nr_devs; i++)
			nr += g->nodes[i].needs_unbind;
	main_unbound = kcalloc(max_t(u32, nr, 1), sizeof(*main_unbound),
			       GFP_KERNEL);
	if (!main_unbound)
		return -ENOMEM;
	list_for_each_entry(g, &main_groups, list)
		for (i = 0; i < g->topo.nr_devs; i++)
			if (g->nodes[i].needs_unbind)
				main_unbound[main_nr_unbound++] =
					pci_dev_get(g->nodes[i].pdev);
	return 0;
}

/*
 * rebind=1: find the bound endpoints that must move (module/bound.c), then
 * release their drivers outside the rescan lock (a driver's remove may
 * take it).
 */
static int main_unbind(void)
{
	struct fixedbar_group *g;
	struct pci_dev *pdev;
	int ret;
	u32 i;

	pci_lock_rescan_remove();
	ret = main_build_groups();
	list_for_each_entry(g, &main_groups, list)
		if (!ret)
			fixedbar_bound_mark_unbind(g);
	pci_unlock_rescan_remove();
	if (!ret)
		ret = main_collect_unbind();
	main_free_groups();
	for (i = 0; !ret && i < main_nr_unbound; i++) {
		pdev = main_unbound[i];
		pci_info(pdev, "unbinding driver %s for the new layout (rebind=1)\n",
			 pdev->dev.driver ? pdev->dev.driver->name : "(none)");
		device_release_driver(&pdev->dev);
	}
	return ret;
}

static void main_rebind(void)
{
	int ret;
	u32 i;

	for (i = 0; i < main_nr_unbound; i++) {
		ret = device_attach(&main_unbound[i]->dev);
		if (ret < 0)
			pci_warn(main_unbound[i], "binding a driver again failed (%d); bind it by hand through sysfs\n",
				 ret);
		pci_dev_put(main_unbound[i]);
	}
	kfree(main_unbound);
	main_unbound = NULL;
	main_nr_unbound = 0;
}

static int main_run(void)
{
	struct fixedbar_group *g;
	int ret = 0;

	if (rebind && !fixedbar_dry_run)
		ret = main_unbind();
	if (!ret)
		ret = main_run_locked();
	main_rebind();
	/*
	 * The layout is applied and verified by now: a debugfs dump that
	 * cannot be built is worth a warning, not a failed load that would
	 * leave the new layout behind without its module.
	 */
	list_for_each_entry(g, &main_groups, list)
		if (!ret && fixedbar_report_dump(g))
			pr_warn("%04x:%02x: no debugfs dump of the topology and plan (out of memory)\n",
				g->topo.segment, g->topo.root_bus);
	return ret;
}

static int __init fixedbar_init(void)
{
	int ret;

	fixedbar_topo_init(&main_wanted);
	fixedbar_topo_init(&main_present);
	ret = fixedbar_source_init(&main_wanted, fixedbar_param_map());
	if (ret)
		goto err_source;
	if (!main_wanted.nr_entries) {
		pr_info("no fixed BARs described (map=, a \"%s\" node or \"%s\" properties); nothing to do\n",
			FIXEDBAR_COMPATIBLE, FIXEDBAR_PROP);
		return 0;
	}
	fixedbar_report_init();
	ret = main_run();
	/* no hot-add handling in a dry run: nothing is written */
	if (!ret && !fixedbar_dry_run)
		ret = fixedbar_hotplug_init(&main_wanted);
	if (ret)
		goto err_run;
	return 0;

err_run:
	fixedbar_hotplug_exit();
	fixedbar_report_exit();
	main_free_groups();
	fixedbar_source_exit();
err_source:
	fixedbar_topo_free(&main_present);
	fixedbar_topo_free(&main_wanted);
	return ret;
}

static void __exit fixedbar_exit(void)
{
	/* first: no hot-add handling runs once it returns */
	fixedbar_hotplug_exit();
	fixedbar_report_exit();
	main_free_groups();
	fixedbar_source_exit();
	fixedbar_topo_free(&main_present);
	fixedbar_topo_free(&main_wanted);
}

module_init(fixedbar_init);
module_exit(fixedbar_exit);
MODULE_DESCRIPTION("Place PCI BARs at fixed addresses from firmware descriptors");
MODULE_AUTHOR("pci_fixedbar developers");
MODULE_LICENSE("GPL");
