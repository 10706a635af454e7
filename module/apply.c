// SPDX-License-Identifier: GPL-2.0
/*
 * The apply engine: programs a group's plan into BAR and bridge window
 * registers and the resource tree, reaching hardware only through
 * struct fixedbar_hw_ops.  fixedbar_save() records every register and
 * struct resource first, so any failure restores the snapshot exactly.
 *
 * pci_update_resource() and pci_setup_bridge() are not exported; the
 * register sequences below follow them.
 */
#include <linux/fault-inject.h>
#include "fixedbar_mod.h"

#define APPLY_NR_ITEMS (FIXEDBAR_NR_SLOTS + FIXEDBAR_NR_WINDOWS)

/* resource number of item @k (BAR slots, then windows), -1 if absent */
static int apply_item_resno(const struct fixedbar_dev *d, int k)
{
	int w = k - FIXEDBAR_NR_SLOTS;

	if (k < FIXEDBAR_NR_SLOTS)
		return d->bars[k].present ? fixedbar_slot_resno(k) : -1;
	if (!d->is_bridge || (w == FIXEDBAR_WIN_IO && !d->br.io) ||
	    (w == FIXEDBAR_WIN_PREF && !d->br.pref))
		return -1;
	return fixedbar_win_resno(w);
}

static int apply_item_of(int resno)
{
	int k;

	if (resno >= PCI_BRIDGE_RESOURCES)
		return FIXEDBAR_NR_SLOTS + resno - PCI_BRIDGE_RESOURCES;
	for (k = 0; k < FIXEDBAR_NR_SLOTS; k++)
		if (fixedbar_slot_resno(k) == resno)
			return k;
	return -1;
}

static unsigned long apply_win_flags(const struct fixedbar_dev *d, int w)
{
	if (w == FIXEDBAR_WIN_IO)
		return IORESOURCE_IO;
	if (w == FIXEDBAR_WIN_MEM)
		return IORESOURCE_MEM;
	return IORESOURCE_MEM | IORESOURCE_PREFETCH |
	       (d->br.pref64 ? IORESOURCE_MEM_64 : 0);
}

/*
 * The planned struct resource for @resno of device @idx, built from the
 * saved one.  Returns true when it is assigned.
 */
static bool apply_target(const struct fixedbar_group *g, int idx, int resno,
			 struct resource *res)
{
	const struct fixedbar_node *n = &g->nodes[idx];
	const struct fixedbar_dev *d = &g->topo.devs[idx];
	const struct fixedbar_range *r;
	struct pci_bus_region region;
	int k = apply_item_of(resno);
	unsigned long win_flags = 0;

	*res = n->pdev->resource[resno];
	res->start = n->saved[resno].start;
	res->end = n->saved[resno].end;
	res->flags = n->saved[resno].flags;
	res->parent = res->sibling = res->child = NULL;
	if (k < FIXEDBAR_NR_SLOTS) {
		r = &g->plan.devs[idx].bars[k];
	} else {
		r = &g->plan.devs[idx].win[k - FIXEDBAR_NR_SLOTS];
		win_flags = apply_win_flags(d, k - FIXEDBAR_NR_SLOTS);
	}
	if (!r->assigned) {
		res->end = resource_size(res) - 1;
		res->start = 0;
		if (k < FIXEDBAR_NR_SLOTS)
			res->flags |= IORESOURCE_UNSET;
		else
			res->flags = fixedbar_released_window(win_flags);
		return false;
	}
	if (k >= FIXEDBAR_NR_SLOTS)
		res->flags = win_flags;
	res->flags &= ~(IORESOURCE_UNSET | IORESOURCE_DISABLED);
	region.start = r->start;
	region.end = r->end;
	if (res->flags & IORESOURCE_IO)
		pcibios_bus_to_resource(n->pdev->bus, res, &region);
	else
		resource_set_range(res, r->start, r->end - r->start + 1);
	return true;
}

int fixedbar_target_res(const struct fixedbar_group *g, int idx, int resno,
			struct resource *res)
{
	return apply_target(g, idx, resno, res);
}

/* Records registers and resources; nothing is written. */
void fixedbar_save(struct fixedbar_group *g, const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	u32 i, r, v;

	for (i = 0; i < g->topo.nr_devs; i++) {
		n = &g->nodes[i];
		for (r = 0; r < ARRAY_SIZE(n->cfg); r++)
			ops->read_config(n->pdev, r * 4, 4, &n->cfg[r]);
		n->cmd = n->cfg[1] & 0xffff;
		if (n->sriov_pos) {
			ops->read_config(n->pdev, n->sriov_pos + PCI_SRIOV_CTRL,
					 2, &v);
			n->sriov_ctrl = v;
			for (r = 0; r < PCI_SRIOV_NUM_BARS; r++)
				ops->read_config(n->pdev, n->sriov_pos +
						 PCI_SRIOV_BAR + 4 * r, 4,
						 &n->vf_bar[r]);
		}
		for (r = 0; r < PCI_NUM_RESOURCES; r++) {
			n->saved[r].start = n->pdev->resource[r].start;
			n->saved[r].end = n->pdev->resource[r].end;
			n->saved[r].flags = n->pdev->resource[r].flags;
			n->saved[r].parent = n->pdev->resource[r].parent;
		}
	}
}

/* Marks what differs from the saved state; returns how many. */
int fixedbar_mark(struct fixedbar_group *g)
{
	const struct fixedbar_saved_res *s;
	struct fixedbar_node *n;
	struct resource res;
	int nr = 0, k, resno;
	bool on;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		n = &g->nodes[i];
		for (k = 0; k < APPLY_NR_ITEMS; k++) {
			resno = apply_item_resno(&g->topo.devs[i], k);
			if (resno < 0)
				continue;
			s = &n->saved[resno];
			on = apply_target(g, i, resno, &res);
			n->changed[resno] = on != !!s->parent ||
					    (on && (res.start != s->start ||
						    res.end != s->end));
			nr += n->changed[resno];
		}
	}
	return nr;
}

static bool apply_node_changed(const struct fixedbar_node *n)
{
	int r;

	for (r = 0; r < PCI_NUM_RESOURCES; r++)
		if (n->changed[r])
			return true;
	return false;
}

/* config offset of a BAR, ROM or VF BAR register */
static int apply_bar_reg(const struct fixedbar_node *n, int resno)
{
	if (resno < PCI_ROM_RESOURCE)
		return PCI_BASE_ADDRESS_0 + 4 * resno;
	if (resno == PCI_ROM_RESOURCE)
		return n->pdev->rom_base_reg;
	return n->sriov_pos + PCI_SRIOV_BAR +
	       4 * (apply_item_of(resno) - FIXEDBAR_VF_SLOT0);
}

void fixedbar_res_label(char *buf, size_t len, int resno)
{
	if (resno < PCI_ROM_RESOURCE)
		snprintf(buf, len, "BAR %d", resno);
	else if (resno == PCI_ROM_RESOURCE)
		snprintf(buf, len, "ROM");
	else if (resno < PCI_BRIDGE_RESOURCES)
		snprintf(buf, len, "VF BAR %d",
			 apply_item_of(resno) - FIXEDBAR_VF_SLOT0);
	else
		snprintf(buf, len, "bridge window");
}

#ifdef CONFIG_FAULT_INJECTION
/*
 * The kernel's fault injection: a checked write that should_fail() picks
 * reads back wrong, as from a register the VMM does not emulate.  Never by
 * default (probability 0); the apply KUnit suite sets it, and with
 * CONFIG_FAULT_INJECTION_DEBUG_FS its knobs are in the module's debugfs
 * directory (fail_write/, docs/parameters.md).
 */
DECLARE_FAULT_ATTR(fixedbar_fail_write);

static bool apply_should_fail(void)
{
	return should_fail(&fixedbar_fail_write, 1);
}

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
/* fail_write/ under @parent: probability, interval, times, space, ... */
struct dentry *fixedbar_fail_write_debugfs(struct dentry *parent)
{
	return fault_create_debugfs_attr("fail_write", parent,
					 &fixedbar_fail_write);
}
#endif
#else
static bool apply_should_fail(void)
{
	return false;
}
#endif

/* Writes @val at @where and reads it back through @mask. */
static int apply_write(const struct fixedbar_hw_ops *ops,
		       struct fixedbar_node *n, int resno, int where, int size,
		       u32 val, u32 mask)
{
	struct resource shown = n->pdev->resource[resno];
	char label[16];
	u32 got = 0;

	ops->write_config(n->pdev, where, size, val);
	ops->read_config(n->pdev, where, size, &got);
	if (mask && apply_should_fail())
		got ^= mask;
	if ((got & mask) == (val & mask))
		return 0;
	/* a window being disabled: name it by where it was */
	if (!(shown.flags & (IORESOURCE_IO | IORESOURCE_MEM))) {
		shown.start = n->saved[resno].start;
		shown.end = n->saved[resno].end;
		shown.flags = n->saved[resno].flags;
	}
	fixedbar_res_label(label, sizeof(label), resno);
	pci_err(n->pdev, "%s %pR: config %#04x reads back %#010x after writing %#010x; restoring the previous layout, check that the VMM emulates this register\n",
		label, &shown, where, got, val);
	return -EIO;
}

/* 64-bit BARs cannot be updated atomically: decode is already off */
static int apply_bar(const struct fixedbar_hw_ops *ops,
		     struct fixedbar_node *n, int resno)
{
	struct resource *res = &n->pdev->resource[resno];
	int reg = apply_bar_reg(n, resno);
	struct pci_bus_region region;
	u32 mask, old = 0;
	int ret;

	if (res->flags & IORESOURCE_UNSET)
		return 0;	/* left unassigned, as the core does */
	pcibios_resource_to_bus(n->pdev->bus, &region, res);
	if (res->flags & IORESOURCE_IO)
		mask = (u32)PCI_BASE_ADDRESS_IO_MASK;
	else if (resno == PCI_ROM_RESOURCE)
		mask = (u32)PCI_ROM_ADDRESS_MASK;
	else
		mask = (u32)PCI_BASE_ADDRESS_MEM_MASK;
	ops->read_config(n->pdev, reg, 4, &old);
	ret = apply_write(ops, n, resno, reg, 4,
			  (lower_32_bits(region.start) & mask) | (old & ~mask),
			  mask);
	if (!ret && (res->flags & IORESOURCE_MEM_64))
		ret = apply_write(ops, n, resno, reg + 4, 4,
				  upper_32_bits(region.start), ~0U);
	return ret;
}

static int apply_win_io(const struct fixedbar_hw_ops *ops,
			struct fixedbar_node *n, struct pci_bus_region *region,
			bool on)
{
	int resno = fixedbar_win_resno(FIXEDBAR_WIN_IO);
	u32 mask = n->pdev->io_window_1k ? PCI_IO_1K_RANGE_MASK :
					   PCI_IO_RANGE_MASK;
	u32 l = 0x00f0, upper16 = 0, type = 0;
	int ret;

	/* base and limit hold bits 15:8 (or 15:10); the low nibble is the type */
	mask &= 0xff;
	if (on) {
		l = ((region->end >> 8) & mask) << 8 |
		    ((region->start >> 8) & mask);
		upper16 = (region->end & 0xffff0000) | (region->start >> 16);
	}
	/* an upper half that cannot match disables the range meanwhile */
	ops->write_config(n->pdev, PCI_IO_BASE_UPPER16, 4, 0x0000ffff);
	ret = apply_write(ops, n, resno, PCI_IO_BASE, 2, l, mask << 8 | mask);
	ops->read_config(n->pdev, PCI_IO_BASE, 1, &type);
	if (!ret && (type & PCI_IO_RANGE_TYPE_MASK) == PCI_IO_RANGE_TYPE_32)
		ret = apply_write(ops, n, resno, PCI_IO_BASE_UPPER16, 4,
				  upper16, ~0U);
	else if (!ret)
		ops->write_config(n->pdev, PCI_IO_BASE_UPPER16, 4, upper16);
	return ret;
}

static int apply_win_mem(const struct fixedbar_hw_ops *ops,
			 struct fixedbar_node *n, struct pci_bus_region *region,
			 bool on)
{
	u32 l = 0x0000fff0;

	if (on)
		l = ((region->start >> 16) & 0xfff0) |
		    (region->end & 0xfff00000);
	return apply_write(ops, n, fixedbar_win_resno(FIXEDBAR_WIN_MEM),
			   PCI_MEMORY_BASE, 4, l, 0xfff0fff0);
}

static int apply_win_pref(const struct fixedbar_hw_ops *ops,
			  struct fixedbar_node *n,
			  struct pci_bus_region *region, bool on, bool is64)
{
	int resno = fixedbar_win_resno(FIXEDBAR_WIN_PREF);
	u32 l = 0x0000fff0, bu = 0, lu = 0;
	int ret;

	if (on) {
		l = ((region->start >> 16) & 0xfff0) |
		    (region->end & 0xfff00000);
		bu = upper_32_bits(region->start);
		lu = upper_32_bits(region->end);
	}
	/* a zero upper limit disables the window while the rest changes */
	ops->write_config(n->pdev, PCI_PREF_LIMIT_UPPER32, 4, 0);
	ret = apply_write(ops, n, resno, PCI_PREF_MEMORY_BASE, 4, l,
			  0xfff0fff0);
	if (ret)
		return ret;
	/* the upper halves read as zero on a 32-bit window */
	ret = apply_write(ops, n, resno, PCI_PREF_BASE_UPPER32, 4, bu,
			  is64 ? ~0U : 0);
	if (!ret)
		ret = apply_write(ops, n, resno, PCI_PREF_LIMIT_UPPER32, 4, lu,
				  is64 ? ~0U : 0);
	return ret;
}

static int apply_window(const struct fixedbar_hw_ops *ops,
			const struct fixedbar_dev *d, struct fixedbar_node *n,
			int w)
{
	struct resource *res = &n->pdev->resource[fixedbar_win_resno(w)];
	struct pci_bus_region region = { 0, 0 };
	bool on = res->flags & (IORESOURCE_IO | IORESOURCE_MEM);

	if (on)
		pcibios_resource_to_bus(n->pdev->bus, &region, res);
	if (w == FIXEDBAR_WIN_IO)
		return apply_win_io(ops, n, &region, on);
	if (w == FIXEDBAR_WIN_MEM)
		return apply_win_mem(ops, n, &region, on);
	return apply_win_pref(ops, n, &region, on, d->br.pref64);
}

/* Child resources first, so a window leaves with what stays inside it. */
static void apply_release(struct fixedbar_group *g,
			  const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	int i, r;

	for (i = (int)g->topo.nr_devs - 1; i >= 0; i--) {
		n = &g->nodes[i];
		for (r = PCI_NUM_RESOURCES - 1; r >= 0; r--) {
			if (n->changed[r] && n->pdev->resource[r].parent)
				ops->release(n->pdev, r);
		}
	}
}

static void apply_set_resources(struct fixedbar_group *g)
{
	struct resource res, *cur;
	u32 i;
	int r;

	for (i = 0; i < g->topo.nr_devs; i++) {
		for (r = 0; r < PCI_NUM_RESOURCES; r++) {
			if (!g->nodes[i].changed[r])
				continue;
			cur = &g->nodes[i].pdev->resource[r];
			apply_target(g, i, r, &res);
			cur->start = res.start;
			cur->end = res.end;
			cur->flags = res.flags;
		}
	}
}

/* Memory and I/O decode (and VF decode) off on every changing device. */
static void apply_decode_off(struct fixedbar_group *g,
			     const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	int i;

	for (i = (int)g->topo.nr_devs - 1; i >= 0; i--) {
		n = &g->nodes[i];
		if (!apply_node_changed(n))
			continue;
		n->touched = true;
		ops->write_config(n->pdev, PCI_COMMAND, 2,
				  n->cmd & ~(PCI_COMMAND_MEMORY | PCI_COMMAND_IO));
		if (n->sriov_pos)
			ops->write_config(n->pdev, n->sriov_pos + PCI_SRIOV_CTRL,
					  2, n->sriov_ctrl & ~PCI_SRIOV_CTRL_MSE);
	}
}

/* Parents first, so a window is open before the devices below use it. */
static void apply_decode_restore(struct fixedbar_group *g,
				 const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		n = &g->nodes[i];
		if (!n->touched)
			continue;
		if (n->sriov_pos)
			ops->write_config(n->pdev, n->sriov_pos + PCI_SRIOV_CTRL,
					  2, n->sriov_ctrl);
		ops->write_config(n->pdev, PCI_COMMAND, 2, n->cmd);
	}
}

static int apply_registers(struct fixedbar_group *g,
			   const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	int r, ret = 0;
	u32 i;

	for (i = 0; i < g->topo.nr_devs && !ret; i++) {
		n = &g->nodes[i];
		for (r = 0; r < PCI_NUM_RESOURCES && !ret; r++) {
			if (!n->changed[r])
				continue;
			if (r >= PCI_BRIDGE_RESOURCES)
				ret = apply_window(ops, &g->topo.devs[i], n,
						   r - PCI_BRIDGE_RESOURCES);
			else
				ret = apply_bar(ops, n, r);
		}
	}
	return ret;
}

/* Parents first: a BAR is claimed inside its bridge's new window. */
static int apply_claim(struct fixedbar_group *g,
		       const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	struct resource *res;
	char label[16];
	int r, ret;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		n = &g->nodes[i];
		for (r = 0; r < PCI_NUM_RESOURCES; r++) {
			res = &n->pdev->resource[r];
			if (!n->changed[r] || !res->flags ||
			    (res->flags & IORESOURCE_UNSET))
				continue;
			ret = ops->claim(n->pdev, r, NULL);
			if (ret) {
				fixedbar_res_label(label, sizeof(label), r);
				pci_err(n->pdev, "%s %pR: cannot be claimed (%d); restoring the previous layout, something the snapshot did not show uses this range\n",
					label, res, ret);
				return ret;
			}
		}
	}
	return 0;
}

/* Saved BAR, ROM and VF BAR registers, low dword before high. */
static void apply_restore_bars(struct fixedbar_node *n,
			       const struct fixedbar_hw_ops *ops)
{
	struct pci_dev *pdev = n->pdev;
	int nr = pdev->subordinate ? 2 : 6;
	int r;

	for (r = 0; r < nr; r++)
		ops->write_config(pdev, PCI_BASE_ADDRESS_0 + 4 * r, 4,
				  n->cfg[PCI_BASE_ADDRESS_0 / 4 + r]);
	if (pdev->rom_base_reg)
		ops->write_config(pdev, pdev->rom_base_reg, 4,
				  n->cfg[pdev->rom_base_reg / 4]);
	for (r = 0; n->sriov_pos && r < PCI_SRIOV_NUM_BARS; r++)
		ops->write_config(pdev, n->sriov_pos + PCI_SRIOV_BAR + 4 * r, 4,
				  n->vf_bar[r]);
}

/* Saved windows, in pci_setup_bridge()'s order. */
static void apply_restore_windows(struct fixedbar_node *n,
				  const struct fixedbar_hw_ops *ops)
{
	struct pci_dev *pdev = n->pdev;
	const u32 *cfg = n->cfg;

	ops->write_config(pdev, PCI_IO_BASE_UPPER16, 4, 0x0000ffff);
	ops->write_config(pdev, PCI_IO_BASE, 2, cfg[PCI_IO_BASE / 4] & 0xffff);
	ops->write_config(pdev, PCI_IO_BASE_UPPER16, 4,
			  cfg[PCI_IO_BASE_UPPER16 / 4]);
	ops->write_config(pdev, PCI_MEMORY_BASE, 4, cfg[PCI_MEMORY_BASE / 4]);
	ops->write_config(pdev, PCI_PREF_LIMIT_UPPER32, 4, 0);
	ops->write_config(pdev, PCI_PREF_MEMORY_BASE, 4,
			  cfg[PCI_PREF_MEMORY_BASE / 4]);
	ops->write_config(pdev, PCI_PREF_BASE_UPPER32, 4,
			  cfg[PCI_PREF_BASE_UPPER32 / 4]);
	ops->write_config(pdev, PCI_PREF_LIMIT_UPPER32, 4,
			  cfg[PCI_PREF_LIMIT_UPPER32 / 4]);
}

static void apply_restore_registers(struct fixedbar_group *g,
				    const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_node *n;
	int i;

	apply_decode_off(g, ops);
	for (i = (int)g->topo.nr_devs - 1; i >= 0; i--) {
		n = &g->nodes[i];
		if (!n->touched)
			continue;
		apply_restore_bars(n, ops);
		if (n->pdev->subordinate)
			apply_restore_windows(n, ops);
	}
	apply_decode_restore(g, ops);
}

/* Back to the snapshot: registers, struct resource, the resource tree. */
void fixedbar_rollback(struct fixedbar_group *g,
		       const struct fixedbar_hw_ops *ops)
{
	struct fixedbar_saved_res *s;
	struct fixedbar_node *n;
	struct resource *res;
	u32 i;
	int r;

	apply_release(g, ops);
	apply_restore_registers(g, ops);
	for (i = 0; i < g->topo.nr_devs; i++) {
		n = &g->nodes[i];
		for (r = 0; r < PCI_NUM_RESOURCES; r++) {
			if (!n->changed[r])
				continue;
			s = &n->saved[r];
			res = &n->pdev->resource[r];
			res->start = s->start;
			res->end = s->end;
			res->flags = s->flags;
			if (s->parent && ops->claim(n->pdev, r, s->parent))
				pci_err(n->pdev, "%pR could not be put back into %pR; reboot to recover\n",
					res, s->parent);
		}
		n->touched = false;
	}
	g->applied = false;
}

/*
 * Release what moves, program it with decode off, claim it again.  The
 * caller holds pci_lock_rescan_remove() and has called fixedbar_save().
 */
int fixedbar_apply(struct fixedbar_group *g, const struct fixedbar_hw_ops *ops)
{
	int ret;

	if (!fixedbar_mark(g))
		return 0;
	apply_release(g, ops);
	apply_set_resources(g);
	apply_decode_off(g, ops);
	ret = apply_registers(g, ops);
	apply_decode_restore(g, ops);
	if (!ret)
		ret = apply_claim(g, ops);
	if (ret) {
		fixedbar_rollback(g, ops);
		return ret;
	}
	g->applied = true;
	return 0;
}
