// SPDX-License-Identifier: GPL-2.0
/*
 * The live hierarchy below one root bus, as the planner's struct
 * fixedbar_topo.  Runs under pci_lock_rescan_remove(), so the tree and
 * driver bindings of ports cannot change underneath; it reads what the PCI
 * core already probed (struct resource, the bridge window bits) and, in
 * config space, only the MSI-X capability.
 */
#include <linux/slab.h>
#include "fixedbar_mod.h"

int fixedbar_slot_resno(int slot)
{
	if (slot < FIXEDBAR_ROM_SLOT)
		return slot;
	if (slot == FIXEDBAR_ROM_SLOT)
		return PCI_ROM_RESOURCE;
#ifdef CONFIG_PCI_IOV
	if (slot < FIXEDBAR_VF_SLOT0 + PCI_SRIOV_NUM_BARS)
		return PCI_IOV_RESOURCES + slot - FIXEDBAR_VF_SLOT0;
#endif
	return -1;
}

int fixedbar_win_resno(int win)
{
	return PCI_BRIDGE_RESOURCES + win;
}

static u32 snap_count(struct pci_bus *bus)
{
	struct pci_dev *dev;
	u32 n = 0;

	list_for_each_entry(dev, &bus->devices, bus_list) {
		n++;
		if (dev->subordinate)
			n += snap_count(dev->subordinate);
	}
	return n;
}

static bool snap_claimed(const struct resource *res)
{
	return res->parent && !(res->flags & IORESOURCE_UNSET);
}

/* I/O as port numbers (bus addresses), memory as CPU addresses */
static void snap_range(struct fixedbar_range *r, struct pci_dev *pdev,
		       struct resource *res)
{
	struct pci_bus_region region;

	r->assigned = snap_claimed(res);
	if (!r->assigned)
		return;
	r->start = res->start;
	r->end = res->end;
	if (res->flags & IORESOURCE_IO) {
		pcibios_resource_to_bus(pdev->bus, &region, res);
		r->start = region.start;
		r->end = region.end;
	}
}

static void snap_bar(struct fixedbar_bar *b, struct pci_dev *pdev, int slot)
{
	int resno = fixedbar_slot_resno(slot);
	struct resource *res;
	u64 size;

	if (resno < 0)
		return;
	res = &pdev->resource[resno];
	size = resource_size(res);
	if (!(res->flags & (IORESOURCE_IO | IORESOURCE_MEM)) || !res->end)
		return;
	/* a shadow copy in system RAM, not a BAR the planner may place */
	if (res->flags & IORESOURCE_ROM_SHADOW)
		return;
	b->present = true;
	b->type = res->flags & IORESOURCE_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM;
	b->mem64 = !!(res->flags & IORESOURCE_MEM_64);
	b->pref = !!(res->flags & IORESOURCE_PREFETCH);
	b->size = size;
	snap_range(&b->cur, pdev, res);
	/* in use (a firmware framebuffer), Enhanced Allocation */
	b->pinned = res->child || (res->flags & IORESOURCE_PCI_FIXED);
#ifdef CONFIG_PCI_IOV
	if (slot >= FIXEDBAR_VF_SLOT0 && pdev->is_physfn) {
		b->count = pci_sriov_get_totalvfs(pdev);
		if (b->count)
			b->size = size / b->count;
		/* VF decode is on while VFs exist */
		b->pinned |= pci_num_vf(pdev) > 0;
	}
#endif
	if (!is_power_of_2(b->size))
		b->pinned = true;
}

static void snap_bridge(struct fixedbar_bridge *br, struct pci_dev *pdev)
{
	int w;

	/* probed by the core from PCI_IO_BASE / PCI_PREF_MEMORY_BASE */
	br->io = pdev->io_window;
	br->io_1k = pdev->io_window_1k;
	br->pref = pdev->pref_window;
	br->pref64 = pdev->pref_64_window;
	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++)
		snap_range(&br->cur[w], pdev,
			   &pdev->resource[fixedbar_win_resno(w)]);
}

/*
 * A bound driver has the device's BARs mapped: it pins the device, ports
 * with pcieport included (module/bound.c decides whether unbinding would
 * help when nothing fits around the pins).
 */
static void snap_pin_bound(struct fixedbar_group *g, int idx,
			   struct pci_dev *pdev)
{
	if (!pdev->dev.driver)
		return;
	g->nodes[idx].bound = true;
	g->topo.devs[idx].pinned = true;
}

/*
 * The BARs holding an enabled MSI-X table or PBA stay: the kernel has them
 * mapped for interrupts whatever driver is bound.
 */
static void snap_pin_msix(struct fixedbar_group *g, int idx,
			  struct pci_dev *pdev)
{
	struct fixedbar_dev *d = &g->topo.devs[idx];
	int pos = pci_find_capability(pdev, PCI_CAP_ID_MSIX), slot;
	u32 table, pba;
	u16 flags;
	u8 mask;

	if (!pos)
		return;
	pci_read_config_word(pdev, pos + PCI_MSIX_FLAGS, &flags);
	if (!(flags & PCI_MSIX_FLAGS_ENABLE))
		return;
	pci_read_config_dword(pdev, pos + PCI_MSIX_TABLE, &table);
	pci_read_config_dword(pdev, pos + PCI_MSIX_PBA, &pba);
	mask = BIT(table & PCI_MSIX_TABLE_BIR) | BIT(pba & PCI_MSIX_PBA_BIR);
	for (slot = 0; slot < PCI_STD_NUM_BARS; slot++) {
		if (!(mask & BIT(slot)) || !d->bars[slot].present)
			continue;
		d->bars[slot].pinned = true;
		g->nodes[idx].msix_bars |= BIT(slot);
	}
}

static int snap_dev(struct fixedbar_group *g, int parent, struct pci_dev *pdev)
{
	struct fixedbar_dev *d;
	int idx, slot;

	idx = fixedbar_topo_add_dev(&g->topo, parent, pdev->devfn);
	if (idx < 0)
		return idx;
	d = &g->topo.devs[idx];
	d->has_id = true;
	d->vendor = pdev->vendor;
	d->device = pdev->device;
	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++)
		snap_bar(&d->bars[slot], pdev, slot);
	if (pdev->subordinate) {
		d->is_bridge = true;
		snap_bridge(&d->br, pdev);
	}
	g->nodes[idx].pdev = pci_dev_get(pdev);
	snap_pin_bound(g, idx, pdev);
	snap_pin_msix(g, idx, pdev);
#ifdef CONFIG_PCI_IOV
	if (pdev->is_physfn)
		g->nodes[idx].sriov_pos =
			pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_SRIOV);
#endif
	return idx;
}

/* parents before children, as struct fixedbar_topo requires */
static int snap_bus(struct fixedbar_group *g, struct pci_bus *bus, int parent)
{
	struct pci_dev *pdev;
	int idx, ret;

	list_for_each_entry(pdev, &bus->devices, bus_list) {
		/* its BARs are its PF's VF BARs, which the PF's node holds */
		if (pdev->is_virtfn)
			continue;
		idx = snap_dev(g, parent, pdev);
		if (idx < 0)
			return idx;
		if (pdev->subordinate) {
			ret = snap_bus(g, pdev->subordinate, idx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * Host bridge windows, the root bus apertures: CPU addresses for memory,
 * port numbers for I/O.  The legacy VGA memory window below 1 MiB is left
 * out: the core never allocates BARs there.
 */
static int snap_apertures(struct fixedbar_group *g)
{
	struct pci_host_bridge *host = pci_find_host_bridge(g->root);
	struct fixedbar_aperture *a;
	struct resource_entry *win;
	struct resource *res;

	resource_list_for_each_entry(win, &host->windows) {
		res = win->res;
		if (!(res->flags & (IORESOURCE_IO | IORESOURCE_MEM)))
			continue;
		if (g->topo.nr_apertures >= FIXEDBAR_MAX_APERTURES)
			return -E2BIG;
		a = &g->topo.apertures[g->topo.nr_apertures];
		if (res->flags & IORESOURCE_IO) {
			a->type = FIXEDBAR_RES_IO;
			a->start = res->start - win->offset;
			a->end = res->end - win->offset;
		} else {
			a->type = FIXEDBAR_RES_MEM;
			a->pref = !!(res->flags & IORESOURCE_PREFETCH);
			a->start = res->start;
			a->end = res->end;
		}
		if (a->type == FIXEDBAR_RES_MEM && a->end < SZ_1M)
			continue;
		g->topo.nr_apertures++;
	}
	return 0;
}

static int snap_add_io_aperture(struct fixedbar_group *g,
				const struct fixedbar_range *r)
{
	struct fixedbar_aperture *a;

	if (g->topo.nr_apertures >= FIXEDBAR_MAX_APERTURES)
		return -E2BIG;
	a = &g->topo.apertures[g->topo.nr_apertures++];
	a->type = FIXEDBAR_RES_IO;
	a->pref = false;
	a->start = r->start;
	a->end = r->end;
	return 0;
}

/*
 * The core never allocates I/O ports below PCIBIOS_MIN_IO (on x86 the
 * legacy ISA ports, claimed by dma1, pic1, ...): the I/O apertures start
 * there.  Whatever firmware put lower on the root bus keeps its ports, in
 * an aperture of its own.
 */
static int snap_min_io(struct fixedbar_group *g)
{
	struct fixedbar_aperture *a;
	struct fixedbar_dev *d;
	u32 i, n = 0;
	int dev, s, ret;

	for (i = 0; i < g->topo.nr_apertures; i++) {
		a = &g->topo.apertures[i];
		if (a->type == FIXEDBAR_RES_IO && a->start < PCIBIOS_MIN_IO) {
			if (a->end < PCIBIOS_MIN_IO)
				continue;
			a->start = PCIBIOS_MIN_IO;
		}
		g->topo.apertures[n++] = *a;
	}
	g->topo.nr_apertures = n;
	for (dev = g->topo.first_root; dev >= 0; dev = d->next_sibling) {
		d = &g->topo.devs[dev];
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++) {
			if (!d->bars[s].present ||
			    d->bars[s].type != FIXEDBAR_RES_IO ||
			    !d->bars[s].cur.assigned ||
			    d->bars[s].cur.start >= PCIBIOS_MIN_IO)
				continue;
			d->bars[s].pinned = true;
			ret = snap_add_io_aperture(g, &d->bars[s].cur);
			if (ret)
				return ret;
		}
		if (d->is_bridge && d->br.cur[FIXEDBAR_WIN_IO].assigned &&
		    d->br.cur[FIXEDBAR_WIN_IO].start < PCIBIOS_MIN_IO) {
			ret = snap_add_io_aperture(g,
						   &d->br.cur[FIXEDBAR_WIN_IO]);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static bool snap_entry_here(const struct fixedbar_group *g,
			    const struct fixedbar_entry *e)
{
	return e->domain == pci_domain_nr(g->root) && e->bus == g->root->number;
}

static int snap_entries(struct fixedbar_group *g,
			const struct fixedbar_topo *wanted)
{
	char msg[FIXEDBAR_MSG_LEN];
	u32 i;
	int ret;

	for (i = 0; i < wanted->nr_entries; i++) {
		if (!snap_entry_here(g, &wanted->entries[i]))
			continue;
		ret = fixedbar_topo_add_entry(&g->topo, &wanted->entries[i],
					      msg, sizeof(msg));
		if (ret) {
			pr_err("%s; fix the descriptor\n", msg);
			return ret;
		}
	}
	return 0;
}

/* Caller holds pci_lock_rescan_remove(). */
int fixedbar_snapshot(struct fixedbar_group *g, struct pci_bus *root,
		      const struct fixedbar_topo *wanted)
{
	u32 n = snap_count(root);
	int ret;

	fixedbar_topo_init(&g->topo);
	g->root = root;
	g->topo.segment = pci_domain_nr(root);
	g->topo.root_bus = root->number;
	g->nodes = kvcalloc(max_t(u32, n, 1), sizeof(*g->nodes), GFP_KERNEL);
	if (!g->nodes)
		return -ENOMEM;
	ret = snap_apertures(g);
	if (!ret)
		ret = snap_bus(g, root, -1);
	if (!ret)
		ret = snap_min_io(g);
	if (!ret)
		fixedbar_snapshot_reserve(g);
	if (!ret)
		ret = fixedbar_snapshot_claimed(g);
	if (!ret)
		ret = snap_entries(g, wanted);
	return ret;
}

void fixedbar_group_free(struct fixedbar_group *g)
{
	u32 i;

	if (g->planned)
		fixedbar_plan_free(&g->plan);
	for (i = 0; g->nodes && i < g->topo.nr_devs; i++)
		pci_dev_put(g->nodes[i].pdev);
	kvfree(g->nodes);
	kvfree(g->json);
	fixedbar_topo_free(&g->topo);
	g->nodes = NULL;
	g->json = NULL;
	g->planned = false;
}
