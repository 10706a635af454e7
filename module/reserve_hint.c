// SPDX-License-Identifier: GPL-2.0
/*
 * The hotplug room each bridge of a snapshot keeps (planner/hint.c does
 * the sizing): which ports are hotplug-capable, QEMU's resource-reserve
 * capability, and the kernel's pci=hp*size= options.  The kernel keeps
 * those sizes in pci_hotplug_*_size, which modules cannot read, and its
 * saved command line is not exported either, so the options are read from
 * /proc/cmdline; without /proc they count as not given.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

#define HINT_CMDLINE_MAX 4096
#define HINT_CAP_LEN 32

static struct fixedbar_hint hint_cmdline;
static bool hint_cmdline_read;

/* pci= options of the running kernel, read once */
static const struct fixedbar_hint *hint_from_cmdline(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	if (hint_cmdline_read)
		return &hint_cmdline;
	hint_cmdline_read = true;
	buf = kzalloc(HINT_CMDLINE_MAX + 1, GFP_KERNEL);
	if (!buf)
		return &hint_cmdline;
	f = filp_open("/proc/cmdline", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_debug("/proc/cmdline: %ld; pci=hp*size= not read\n",
			 PTR_ERR(f));
	} else {
		n = kernel_read(f, buf, HINT_CMDLINE_MAX, &pos);
		filp_close(f, NULL);
		if (n > 0)
			fixedbar_hint_from_cmdline(buf, &hint_cmdline);
	}
	kfree(buf);
	return &hint_cmdline;
}

/* QEMU's PCIBridgeQemuCap on a Red Hat bridge, into @h; false if none */
static bool hint_from_qemu(struct pci_dev *pdev, struct fixedbar_hint *h)
{
	u8 cap[HINT_CAP_LEN];
	int pos, i, k;
	u32 v;

	if (pdev->vendor != PCI_VENDOR_ID_REDHAT)
		return false;
	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		for (i = 0; i < HINT_CAP_LEN; i += 4) {
			pci_read_config_dword(pdev, pos + i, &v);
			for (k = 0; k < 4; k++)
				cap[i + k] = (u8)(v >> (8 * k));
		}
		if (!fixedbar_hint_from_qemu_cap(cap, sizeof(cap), h))
			return true;
	}
	return false;
}

/*
 * A port that can take a hot-added device: PCIe native or ACPI hotplug.
 * acpiphp marks only the bridges it enumerates itself; a port present at
 * boot (QEMU q35's root ports with ACPI PCI hotplug, whose slot
 * capability says no hotplug) shows as the hotplug slot acpiphp
 * registered on its secondary bus.
 */
bool fixedbar_hotplug_port(struct pci_dev *pdev)
{
	struct pci_slot *slot;
	u32 sltcap = 0;

	if (pdev->is_hotplug_bridge)
		return true;
	if (pdev->subordinate)
		list_for_each_entry(slot, &pdev->subordinate->slots, list)
			if (slot->hotplug)
				return true;
	if (!pci_is_pcie(pdev))
		return false;
	pcie_capability_read_dword(pdev, PCI_EXP_SLTCAP, &sltcap);
	return sltcap & PCI_EXP_SLTCAP_HPC;
}

void fixedbar_snapshot_reserve(struct fixedbar_group *g)
{
	const struct fixedbar_hint *cmdline = hint_from_cmdline();
	struct fixedbar_hint qemu;
	struct fixedbar_dev *d;
	struct pci_dev *pdev;
	bool hinted;
	u32 i;

	for (i = 0; i < g->topo.nr_devs; i++) {
		d = &g->topo.devs[i];
		pdev = g->nodes[i].pdev;
		if (!d->is_bridge || !pdev)
			continue;
		d->br.hotplug = fixedbar_hotplug_port(pdev);
		hinted = hint_from_qemu(pdev, &qemu);
		fixedbar_bridge_reserve(&g->topo, (int)i, hinted ? &qemu : NULL,
					cmdline);
		if (d->br.hotplug || hinted)
			pci_dbg(pdev,
				"hotplug %d, reserve io %#llx mem %#llx pref %#llx%s\n",
				d->br.hotplug,
				d->br.reserve[FIXEDBAR_WIN_IO],
				d->br.reserve[FIXEDBAR_WIN_MEM],
				d->br.reserve[FIXEDBAR_WIN_PREF],
				hinted ? " (QEMU hint)" : "");
	}
}
