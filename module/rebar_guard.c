// SPDX-License-Identifier: GPL-2.0
/*
 * BAR resizes against fixed BARs.  pci_resize_resource() (Debian's 6.1.y
 * and 6.12.y carry the 7.x version) releases every BAR of the device that
 * shares the resized BAR's window, IORESOURCE_PCI_FIXED or not, resets
 * their start to 0, then sizes and assigns again, which skips fixed
 * resources: a fixed BAR of that device ends unassigned, and below a
 * bridge the resize still returns success.  That happens for a driver's
 * resize and for sysfs resourceN_resize alike.
 *
 * The one check pci_resize_resource() makes before it releases anything,
 * on every kernel we build for, is the host bridge's preserve_config
 * (-ENOTSUPP).  So when a device with a fixed BAR has a Resizable BAR
 * capability, its host bridge gets preserve_config while the module is
 * loaded: a resize of any device below that host bridge is refused and
 * nothing moves.  Hiding the capability instead (7.x caches it in
 * pci_dev.rebar_cap) would also stop the core restoring the BAR size
 * after a reset, and the BAR would decode at its default size.
 */
#include <linux/slab.h>
#include "fixedbar_mod.h"

struct rebar_host {
	struct list_head list;
	struct pci_host_bridge *host;
};

static LIST_HEAD(rebar_hosts);		/* under the rescan lock */

/*
 * @pdev has fixed BAR @resno: refuse BAR resizes below its host bridge
 * when it is resizable.  Whether resizes are now refused there (also when
 * the firmware asked to keep its configuration).  Rescan lock held.
 */
bool fixedbar_rebar_guard(struct pci_dev *pdev, int resno)
{
	struct pci_host_bridge *host = pci_find_host_bridge(pdev->bus);
	struct pci_bus *root = pdev->bus;
	struct rebar_host *h;

	if (!pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_REBAR))
		return false;
	if (host->preserve_config)
		return true;
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		pci_warn(pdev, "BAR %d %pR: fixed and resizable, out of memory: a BAR resize may release it\n",
			 resno, &pdev->resource[resno]);
		return false;
	}
	h->host = host;
	get_device(&host->dev);
	host->preserve_config = 1;
	list_add(&h->list, &rebar_hosts);
	while (root->parent)
		root = root->parent;
	pci_info(pdev, "BAR %d %pR: fixed, and the device has Resizable BAR: BAR resizes on root bus %04x:%02x are refused (-ENOTSUPP) while pci_fixedbar is loaded, as the PCI core would release fixed BARs to resize\n",
		 resno, &pdev->resource[resno], pci_domain_nr(root),
		 root->number);
	return true;
}

/* Give the host bridges back their own setting; rescan lock held. */
void fixedbar_rebar_unguard(void)
{
	struct rebar_host *h, *tmp;

	list_for_each_entry_safe(h, tmp, &rebar_hosts, list) {
		h->host->preserve_config = 0;
		put_device(&h->host->dev);
		list_del(&h->list);
		kfree(h);
	}
}
