// SPDX-License-Identifier: GPL-2.0
/*
 * The real struct fixedbar_hw_ops: config space through the PCI core's
 * accessors and the iomem/ioport resource tree.
 */
#include <linux/moduleparam.h>
#include "fixedbar_mod.h"

/*
 * Test hook: one register reads back wrong, to exercise the rollback.
 * Only in test builds (make ... FIXEDBAR_TESTING=1, as tests/e2e and
 * tests/arm64 build it): a shipped module has no such parameter.  Not the
 * kernel's fault-injection framework: Debian's kernels are built without
 * CONFIG_FAULT_INJECTION, and all the work happens in module init, before
 * a debugfs attribute of the module's own could be set.
 */
#ifdef FIXEDBAR_TESTING
static unsigned int fault_write;
module_param(fault_write, uint, 0444);
MODULE_PARM_DESC(fault_write, "test build only: the Nth config write reads back wrong (0: never)");
#else
#define fault_write 0U
#endif

static unsigned int hw_nr_writes;
static struct pci_dev *hw_fault_dev;
static int hw_fault_where = -1;

static void hw_fault_arm(struct pci_dev *dev, int where)
{
	if (!fault_write || ++hw_nr_writes != fault_write)
		return;
	hw_fault_dev = dev;
	hw_fault_where = where;
}

static void hw_fault_fire(struct pci_dev *dev, int where, int size, u32 *val)
{
	if (dev != hw_fault_dev || where != hw_fault_where)
		return;
	/* a bit inside every BAR and window address mask */
	*val ^= size == 4 ? 0x00100000 : 0x1000;
	hw_fault_dev = NULL;
	hw_fault_where = -1;
}

static int hw_read_config(struct pci_dev *dev, int where, int size, u32 *val)
{
	u16 w;
	u8 b;
	int ret;

	switch (size) {
	case 1:
		ret = pci_read_config_byte(dev, where, &b);
		*val = b;
		break;
	case 2:
		ret = pci_read_config_word(dev, where, &w);
		*val = w;
		break;
	default:
		ret = pci_read_config_dword(dev, where, val);
		break;
	}
	hw_fault_fire(dev, where, size, val);
	return pcibios_err_to_errno(ret);
}

static int hw_write_config(struct pci_dev *dev, int where, int size, u32 val)
{
	int ret;

	hw_fault_arm(dev, where);
	switch (size) {
	case 1:
		ret = pci_write_config_byte(dev, where, val);
		break;
	case 2:
		ret = pci_write_config_word(dev, where, val);
		break;
	default:
		ret = pci_write_config_dword(dev, where, val);
		break;
	}
	return pcibios_err_to_errno(ret);
}

/*
 * Without @parent, the core finds the bus resource that holds @resno (for
 * a bridge window: the parent bridge's window, as pci_claim_bridge_resource()
 * does) and reports a collision itself.
 */
static int hw_claim(struct pci_dev *dev, int resno, struct resource *parent)
{
	struct resource *res = &dev->resource[resno];

	if (!parent)
		return pci_claim_resource(dev, resno);
	return request_resource(parent, res);
}

static void hw_release(struct pci_dev *dev, int resno)
{
	release_resource(&dev->resource[resno]);
}

const struct fixedbar_hw_ops fixedbar_pci_ops = {
	.read_config = hw_read_config,
	.write_config = hw_write_config,
	.claim = hw_claim,
	.release = hw_release,
};
