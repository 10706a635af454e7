// SPDX-License-Identifier: GPL-2.0
/*
 * What holds the hierarchy still while the layout is written: the device
 * lock of every device below each root bus that entries name, so no driver
 * binds or unbinds during the apply (the rescan lock only keeps devices
 * from coming and going), and a runtime-PM reference on each, so no bridge
 * or device is in D3 while its registers are written (a port in D3hot
 * ignores its window registers) or read back.
 *
 * Locks are taken parents first, as the driver core does.  A driver that
 * bound since the snapshot refuses the apply: the plan may move its BARs.
 */
#include <linux/device.h>
#include <linux/pm_runtime.h>
#include "fixedbar_mod.h"

/* "pcieport" on ports is expected; any other driver pins the device */
static bool guard_has_driver(struct pci_dev *pdev)
{
	return pdev->dev.driver && strcmp(pdev->dev.driver->name, "pcieport");
}

static void guard_release(struct fixedbar_group *g)
{
	struct device *dev;

	while (g->nr_guarded) {
		dev = &g->nodes[--g->nr_guarded].pdev->dev;
		pm_runtime_put(dev);
		device_unlock(dev);
	}
}

static int guard_take(struct fixedbar_group *g)
{
	char path[FIXEDBAR_PATH_LEN];
	struct pci_dev *pdev;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		pdev = g->nodes[i].pdev;
		device_lock(&pdev->dev);
		pm_runtime_get_sync(&pdev->dev);
		g->nr_guarded++;
		if (!guard_has_driver(pdev) || g->topo.devs[i].pinned)
			continue;
		fixedbar_pdev_path(pdev, path, sizeof(path));
		pci_err(pdev, "%s: driver %s bound while the layout was being planned; nothing was changed, load pci_fixedbar again\n",
			path, pdev->dev.driver->name);
		return -EBUSY;
	}
	return 0;
}

/* Every group of @groups, or none (-EBUSY). */
int fixedbar_guard(struct list_head *groups)
{
	struct fixedbar_group *g;
	int ret = 0;

	list_for_each_entry(g, groups, list) {
		ret = guard_take(g);
		if (ret)
			break;
	}
	if (ret)
		fixedbar_unguard(groups);
	return ret;
}

void fixedbar_unguard(struct list_head *groups)
{
	struct fixedbar_group *g;

	list_for_each_entry_reverse(g, groups, list)
		guard_release(g);
}
