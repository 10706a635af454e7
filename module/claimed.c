// SPDX-License-Identifier: GPL-2.0
/*
 * Claimed ranges: what the kernel's resource tree holds inside a root
 * bus's windows that is no resource of a device below it.  e820 and ACPI
 * reservations, a firmware framebuffer, MMCONFIG, a platform device: each
 * is a child of a host bridge window in /proc/iomem or /proc/ioports, and
 * a BAR or bridge window placed over one could not be claimed.  The
 * snapshot hands them to the planner as the topology's reserved list.
 *
 * Locking: resource_lock is not exported and no exported walker lists a
 * resource's children (walk_iomem_res_desc() stops at the first match of a
 * range, region_intersects() only answers yes or no), so the children are
 * read directly, under pci_lock_rescan_remove() only.  That keeps every PCI resource still; a
 * driver requesting a region elsewhere at the same moment is not excluded.
 * Each child is copied at once (range and name), and the claim in apply.c
 * takes resource_lock: a range claimed after this walk makes that claim
 * fail with EBUSY and the layout roll back, never a silent overlap.
 */
#include "fixedbar_mod.h"

/* @res is a resource of a device of the group (a BAR or bridge window) */
static bool claimed_is_dev_res(const struct fixedbar_group *g,
			       const struct resource *res)
{
	struct pci_dev *pdev;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		pdev = g->nodes[i].pdev;
		if (res >= &pdev->resource[0] &&
		    res < &pdev->resource[PCI_NUM_RESOURCES])
			return true;
	}
	return false;
}

/* Adds the children of one host bridge window; I/O as port numbers. */
static int claimed_window(struct fixedbar_group *g,
			  const struct resource_entry *win)
{
	const struct resource *c;
	enum fixedbar_res_type type;
	u64 off = 0;
	int ret;

	if (win->res->flags & IORESOURCE_IO) {
		type = FIXEDBAR_RES_IO;
		off = win->offset;
	} else if (win->res->flags & IORESOURCE_MEM) {
		type = FIXEDBAR_RES_MEM;
	} else {
		return 0;
	}
	for (c = win->res->child; c; c = c->sibling) {
		if (c->end < c->start || claimed_is_dev_res(g, c))
			continue;
		ret = fixedbar_topo_add_reserved(&g->topo, type,
						 c->start - off, c->end - off,
						 c->name ? c->name : "reserved");
		if (ret)
			return ret;
	}
	return 0;
}

/* Caller holds pci_lock_rescan_remove(); g->nodes are filled. */
int fixedbar_snapshot_claimed(struct fixedbar_group *g)
{
	struct pci_host_bridge *host = pci_find_host_bridge(g->root);
	struct resource_entry *win;
	int ret;

	resource_list_for_each_entry(win, &host->windows) {
		ret = claimed_window(g, win);
		if (ret)
			return ret;
	}
	return 0;
}
