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
 * ACPI _DSD objects are read by source_acpi.c, DT nodes here, directly:
 * every "fixed-bars" in the firmware is read or is an error naming its
 * node and property (no node is dropped for being unpopulated or
 * malformed).  Strings only, so no 64-bit ACPI integer is ever needed.  Entries that
 * agree merge; a BAR named twice with different addresses is an error.
 */
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

static struct fixedbar_topo *source_wanted;
static bool source_registered;

/*
 * One descriptor string @s from @node (@kind "dt", "acpi"), prefixed with
 * "@path=" for a PCI device's own items.  No fixed-size buffer: a string
 * is read whole, however long.  Control bytes are escaped in the message.
 */
int fixedbar_source_add(const char *s, const char *path, const char *kind,
			const char *node)
{
	char msg[FIXEDBAR_MSG_LEN];
	char *buf = NULL;
	int ret;

	if (path) {
		buf = kasprintf(GFP_KERNEL, "%s=%s", path, s);
		if (!buf)
			return -ENOMEM;
	}
	ret = fixedbar_parse_map(buf ?: s, source_wanted, msg, sizeof(msg));
	if (ret)
		pr_err("%s %s: \"%*pE\": %*pE; fix the descriptor\n", kind,
		       node, (int)strlen(s), s, (int)strlen(msg), msg);
	kfree(buf);
	return ret;
}

/* The "fixed-bars" of a DT node: every item, or one line saying why not. */
static int source_dt_strings(struct device_node *np, const char *path)
{
	const char **strs;
	int n, i, ret = 0;
	char *node;

	n = of_property_count_strings(np, FIXEDBAR_PROP);
	if (!n || n == -ENODATA) {
		pr_err("dt %pOF: property \"%s\" is empty; fix the descriptor\n",
		       np, FIXEDBAR_PROP);
		return -EINVAL;
	}
	if (n < 0) {
		pr_err("dt %pOF: property \"%s\" is not a list of NUL-terminated strings (%d); fix the descriptor\n",
		       np, FIXEDBAR_PROP, n);
		return -EINVAL;
	}
	strs = kcalloc(max(n, 1), sizeof(*strs), GFP_KERNEL);
	node = kasprintf(GFP_KERNEL, "%pOF", np);
	if (!strs || !node)
		n = -ENOMEM;
	else
		n = of_property_read_string_array(np, FIXEDBAR_PROP, strs, n);
	for (i = 0; i < n; i++)
		ret = fixedbar_source_add(strs[i], path, "dt", node) ?: ret;
	kfree(node);
	kfree(strs);
	return n < 0 ? n : ret;
}

/* Every available "linux,pci-fixedbar" DT node, populated or not. */
static int source_dt_nodes(void)
{
	struct device_node *np;
	int ret = 0;

	for_each_compatible_node(np, NULL, FIXEDBAR_COMPATIBLE) {
		if (!of_device_is_available(np))
			continue;
		if (!of_property_present(np, FIXEDBAR_PROP)) {
			pr_err("dt %pOF: no \"%s\" property; fix the descriptor\n",
			       np, FIXEDBAR_PROP);
			ret = ret ?: -EINVAL;
			continue;
		}
		ret = source_dt_strings(np, NULL) ?: ret;
	}
	return ret;
}

/* Bound only so the modalias loads the module; entries come from above. */
static int source_probe(struct platform_device *pdev)
{
	if (!source_wanted)
		dev_warn(&pdev->dev, "descriptor node appeared after pci_fixedbar was loaded; reload the module to apply it\n");
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
		/* a VF's virtual bus has no bridge */
		if (!bus->self)
			return -ENODEV;
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

static struct pci_dev *source_dt_device_of(struct device_node *np)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev->dev.of_node == np)
			return pdev;
	return NULL;
}

/*
 * Every other DT node with "fixed-bars" must be a PCI device's own node
 * (its items), or nothing would honour it: that is an error.
 */
static int source_dt_devices(void)
{
	char path[FIXEDBAR_PATH_LEN];
	struct device_node *np;
	struct pci_dev *pdev;
	int ret = 0, r;

	for_each_node_with_property(np, FIXEDBAR_PROP) {
		if (of_device_is_compatible(np, FIXEDBAR_COMPATIBLE))
			continue;
		pdev = source_dt_device_of(np);
		if (!pdev) {
			pr_err("dt %pOF: \"%s\" on a node that is no PCI device's node and no \"%s\" node; nest it host -> ports -> device by devfn (reg)\n",
			       np, FIXEDBAR_PROP, FIXEDBAR_COMPATIBLE);
			ret = ret ?: -ENODEV;
			continue;
		}
		r = fixedbar_pdev_path(pdev, path, sizeof(path));
		pci_dev_put(pdev);
		if (r >= 0)
			r = source_dt_strings(np, path);
		ret = ret ?: r;
	}
	return ret;
}

static int source_map(const char *map)
{
	char msg[FIXEDBAR_MSG_LEN];
	int ret;

	if (!map || !*map)
		return 0;
	ret = fixedbar_parse_map(map, source_wanted, msg, sizeof(msg));
	if (ret)
		pr_err("map=%*pE: %*pE; fix the pci_fixedbar.map parameter\n",
		       (int)strlen(map), map, (int)strlen(msg), msg);
	return ret;
}

/*
 * A VF's BARs are not registers of the VF: they move only with the VF
 * BARs of its PF, which cannot be fixed.  An entry naming a VF is an
 * error, not an unknown device.
 */
static int source_vfs(void)
{
	char path[FIXEDBAR_PATH_LEN], want[FIXEDBAR_PATH_LEN];
	struct fixedbar_entry e;
	struct pci_dev *pdev = NULL;
	int ret = 0;
	u32 i;

	for_each_pci_dev(pdev) {
		if (!pdev->is_virtfn ||
		    fixedbar_pdev_path(pdev, path, sizeof(path)) < 0)
			continue;
		for (i = 0; i < source_wanted->nr_entries; i++) {
			e = source_wanted->entries[i];
			e.nr_bars = 0;
			fixedbar_format_entry(&e, want, sizeof(want));
			if (strcmp(path, want))
				continue;
			pci_err(pdev, "entry %s: an SR-IOV VF; its BARs are placed only through the VF BARs of its PF %s, which cannot be fixed; remove the entry\n",
				want, pci_name(pci_physfn(pdev)));
			ret = -EINVAL;
		}
	}
	return ret;
}

/*
 * Collects every entry into @wanted (entries only, no devices).  Every
 * source is read and every bad descriptor reported before the first error
 * is returned: one broken table does not hide another.
 */
int fixedbar_source_init(struct fixedbar_topo *wanted, const char *map)
{
	int ret;

	source_wanted = wanted;
	ret = platform_driver_register(&source_driver);
	if (ret)
		return ret;
	source_registered = true;
	ret = source_dt_nodes();
	ret = source_dt_devices() ?: ret;
	ret = fixedbar_source_acpi() ?: ret;
	ret = source_map(map) ?: ret;
	if (!ret)
		ret = source_vfs();
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
