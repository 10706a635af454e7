// SPDX-License-Identifier: GPL-2.0
/*
 * Bound drivers are constraints, not refusals.  snapshot.c pins every
 * device with a bound driver (ports with pcieport too) and every BAR that
 * holds an enabled MSI-X table or PBA; the planner lays everything else
 * out around them.  Only when no layout exists with those pins does this
 * file plan a second time without the pins of bound endpoints: if that
 * succeeds, unbinding would help, and the load fails naming each endpoint
 * and driver that would have to move (or, with rebind=1, those drivers
 * and no others are released).  Ports keep pcieport and their pins.
 */
#include "fixedbar_mod.h"

/* pinned only because an endpoint driver is bound, so unbinding frees it */
static bool bound_releasable(const struct fixedbar_group *g, u32 i)
{
	return g->nodes[i].bound && !g->topo.devs[i].is_bridge;
}

static void bound_set_pins(struct fixedbar_group *g, bool on)
{
	u32 i;
	int s;

	for (i = 0; i < g->topo.nr_devs; i++) {
		if (!bound_releasable(g, i))
			continue;
		g->topo.devs[i].pinned = on;
		for (s = 0; s < PCI_STD_NUM_BARS; s++)
			if (g->nodes[i].msix_bars & BIT(s))
				g->topo.devs[i].bars[s].pinned = on;
	}
}

/*
 * Plans @g as if the bound endpoints were unbound.  -ENOENT when there is
 * none; else what fixedbar_plan() returns (free @p either way).
 */
int fixedbar_bound_plan_unpinned(struct fixedbar_group *g,
				 struct fixedbar_plan *p)
{
	u32 i, n = 0;
	int ret;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < g->topo.nr_devs; i++)
		n += bound_releasable(g, i);
	if (!n)
		return -ENOENT;
	bound_set_pins(g, false);
	ret = fixedbar_plan(&g->topo, p);
	bound_set_pins(g, true);
	return ret;
}

/* first BAR of device @i that @p moves, -1 when none */
static int bound_moved_slot(const struct fixedbar_group *g,
			    const struct fixedbar_plan *p, u32 i)
{
	int s;

	for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
		if (g->topo.devs[i].bars[s].present &&
		    fixedbar_plan_res_moved(&g->topo, p, i, s))
			return s;
	return -1;
}

static void bound_refuse_one(struct fixedbar_group *g, u32 i, int slot,
			     const char *entry)
{
	struct pci_dev *pdev = g->nodes[i].pdev;
	int resno = fixedbar_slot_resno(slot);
	char path[FIXEDBAR_PATH_LEN], label[16];

	fixedbar_pdev_path(pdev, path, sizeof(path));
	fixedbar_res_label(label, sizeof(label), resno);
	pci_err(pdev, "%s: driver %s is bound and %s %pR must move for entry %s (no layout keeps it in place); unload the driver first or load pci_fixedbar with rebind=1\n",
		path, pdev->dev.driver ? pdev->dev.driver->name : "(gone)",
		label, &pdev->resource[resno], entry);
}

/*
 * The plan with pins failed and @p, without the pins of bound endpoints,
 * succeeded: one line per bound endpoint @p moves.  Returns -EBUSY.
 */
int fixedbar_bound_refuse(struct fixedbar_group *g,
			  const struct fixedbar_plan *p)
{
	char entry[FIXEDBAR_PATH_LEN + 128];
	u32 i, e = 0;
	int slot;

	if (g->plan.nr_err_entries &&
	    g->plan.err_entries[0] < g->topo.nr_entries)
		e = g->plan.err_entries[0];
	fixedbar_format_entry(&g->topo.entries[e], entry, sizeof(entry));
	for (i = 0; i < g->topo.nr_devs; i++) {
		slot = bound_releasable(g, i) ? bound_moved_slot(g, p, i) : -1;
		if (slot >= 0)
			bound_refuse_one(g, i, slot, entry);
	}
	return -EBUSY;
}

/*
 * rebind=1, before anything is unbound: marks the bound endpoints that must
 * move, when no layout keeps them in place and one exists without them.
 * Errors are left to the plan after the unbinding, which reports them.
 */
void fixedbar_bound_mark_unbind(struct fixedbar_group *g)
{
	struct fixedbar_plan p;
	u32 i;

	memset(&p, 0, sizeof(p));
	if (!fixedbar_plan(&g->topo, &p)) {
		fixedbar_plan_free(&p);
		return;
	}
	fixedbar_plan_free(&p);
	if (!fixedbar_bound_plan_unpinned(g, &p))
		for (i = 0; i < g->topo.nr_devs; i++)
			g->nodes[i].needs_unbind =
				bound_releasable(g, i) &&
				bound_moved_slot(g, &p, i) >= 0;
	fixedbar_plan_free(&p);
}
