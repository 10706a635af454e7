// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor entries, all in the grammar of docs/topology-json.md, from:
 *  - a firmware node with compatible "linux,pci-fixedbar" (a DT node, or an
 *    ACPI PRP0001 device whose _DSD names that compatible) holding full
 *    entries in its "fixed-bars" string list;
 *  - a "fixed-bars" string list on a PCI device's own firmware node (DT
 *    child node or ACPI _ADR companion) holding only "barN@0x..." items:
 *    the device part is the device's own path;
 *  - the map= parameter.
 * Strings only, so no 64-bit ACPI integer is ever needed.  Entries that
 * agree merge; a BAR named twice with different addresses is an error.
 */
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

static struct fixedbar_topo *source_wanted;
static int source_err;
static bool source_registered;

/* Adds each string of @prop on @fwnode, prefixed by @path when not NULL. */
static int source_add_strings(struct fwnode_handle *fwnode, const char *path,
			      const char *what)
{
	char msg[FIXEDBAR_MSG_LEN];
	const char **strs;
	char *buf;
	int n, i, ret;

	n = fwnode_property_string_array_count(fwnode, FIXEDBAR_PROP);
	if (n <= 0)
		return n == -EINVAL ? 0 : n;
	strs = kcalloc(n, sizeof(*strs), GFP_KERNEL);
	buf = kmalloc(FIXEDBAR_PATH_LEN + 256, GFP_KERNEL);
	ret = (strs && buf) ? 0 : -ENOMEM;
	if (!ret)
		ret = fwnode_property_read_string_array(fwnode, FIXEDBAR_PROP,
							strs, n);
	for (i = 0; ret >= 0 && i < n; i++) {
		if (path)
			snprintf(buf, FIXEDBAR_PATH_LEN + 256, "%s=%s", path,
				 strs[i]);
		ret = fixedbar_parse_map(path ? buf : strs[i], source_wanted,
					 msg, sizeof(msg));
		if (ret)
			pr_err("%s \"%s\" in %pfw: %s; fix the descriptor\n",
			       what, strs[i], fwnode, msg);
	}
	kfree(buf);
	kfree(strs);
	return ret < 0 ? ret : 0;
}

/* Probed synchronously from platform_driver_register() in module init. */
static int source_probe(struct platform_device *pdev)
{
	int ret;

	if (!source_wanted) {
		dev_warn(&pdev->dev, "descriptor node appeared after pci_fixedbar was loaded; reload the module to apply it\n");
		return 0;
	}
	ret = source_add_strings(dev_fwnode(&pdev->dev), NULL, "entry");
	if (ret && !source_err)
		source_err = ret;
	return 0;
}

static const struct of_device_id source_of_match[] = {
	{ .compatible = FIXEDBAR_COMPATIBLE },
	{ }
};
MODULE_DEVICE_TABLE(of, source_of_match);

static struct platform_driver source_driver = {
	.probe = source_probe,
	.driver = {
		.name = "pci_fixedbar",
		.of_match_table = source_of_match,
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
	},
};

/* "0000:00:01.0/00.0/01.0", the descriptor grammar's device path */
int fixedbar_pdev_path(struct pci_dev *pdev, char *buf, size_t len)
{
	u8 devfn[FIXEDBAR_MAX_DEPTH + 1];
	struct pci_bus *bus = pdev->bus;
	size_t used;
	int n = 0;

	devfn[n++] = pdev->devfn;
	while (!pci_is_root_bus(bus) && n <= FIXEDBAR_MAX_DEPTH) {
		devfn[n++] = bus->self->devfn;
		bus = bus->parent;
	}
	if (!pci_is_root_bus(bus))
		return -E2BIG;
	used = scnprintf(buf, len, "%04x:%02x:%02x.%x", pci_domain_nr(bus),
			 bus->number, PCI_SLOT(devfn[n - 1]),
			 PCI_FUNC(devfn[n - 1]));
	while (--n > 0)
		used += scnprintf(buf + used, len - used, "/%02x.%x",
				  PCI_SLOT(devfn[n - 1]), PCI_FUNC(devfn[n - 1]));
	return used;
}

static int source_pci_devices(void)
{
	struct pci_dev *pdev = NULL;
	char path[FIXEDBAR_PATH_LEN];
	struct fwnode_handle *fwnode;
	int ret;

	for_each_pci_dev(pdev) {
		fwnode = dev_fwnode(&pdev->dev);
		if (!fwnode || !fwnode_property_present(fwnode, FIXEDBAR_PROP))
			continue;
		ret = fixedbar_pdev_path(pdev, path, sizeof(path));
		if (ret >= 0)
			ret = source_add_strings(fwnode, path, "item");
		if (ret < 0) {
			pci_dev_put(pdev);
			return ret;
		}
	}
	return 0;
}

static int source_map(const char *map)
{
	char msg[FIXEDBAR_MSG_LEN];
	int ret;

	if (!map || !*map)
		return 0;
	ret = fixedbar_parse_map(map, source_wanted, msg, sizeof(msg));
	if (ret)
		pr_err("map=%s: %s; fix the pci_fixedbar.map parameter\n", map,
		       msg);
	return ret;
}

/* Collects every entry into @wanted (entries only, no devices). */
int fixedbar_source_init(struct fixedbar_topo *wanted, const char *map)
{
	int ret;

	source_wanted = wanted;
	source_err = 0;
	ret = platform_driver_register(&source_driver);
	if (ret)
		return ret;
	source_registered = true;
	ret = source_err;
	if (!ret)
		ret = source_pci_devices();
	if (!ret)
		ret = source_map(map);
	/* later probes only warn */
	source_wanted = NULL;
	if (ret)
		fixedbar_source_exit();
	return ret;
}

void fixedbar_source_exit(void)
{
	if (source_registered)
		platform_driver_unregister(&source_driver);
	source_registered = false;
}
