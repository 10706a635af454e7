/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_fixedbar descriptors as an ACPI SSDT (see docs/binding.md).
 *
 * Written for QEMU q35 with this hierarchy (ACPI PCI hotplug on, the
 * default, so the DSDT already has an _ADR object for every device):
 *
 *   -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
 *   -device x3130-upstream,id=up1,bus=rp1
 *   -device xio3130-downstream,id=dp1,bus=up1,chassis=2,slot=0
 *   -device xio3130-downstream,id=dp2,bus=up1,chassis=3,slot=1
 *   -device ivshmem-plain,memdev=m1,bus=dp1    0000:00:10.0/00.0/00.0/00.0
 *   -device ivshmem-plain,memdev=m2,bus=dp2    0000:00:10.0/00.0/01.0/00.0
 *
 *   iasl pci-fixedbar.asl    (writes pci-fixedbar.aml)
 *   qemu-system-x86_64 -M q35 ... -acpitable file=pci-fixedbar.aml
 *
 * Every value is a string: QEMU's DSDT is revision 1, which makes every
 * ACPI integer in the namespace 32 bits wide, and a 64-bit address would
 * be truncated without a word.  The two parts below are independent;
 * either one can be used alone.
 */
DefinitionBlock ("", "SSDT", 1, "LINUX", "FIXEDBAR", 0x00000001)
{
	/* the second ivshmem, as QEMU names it: S<devfn in hex> per level */
	External (\_SB.PCI0.S80.S00.S08.S00, DeviceObj)

	/*
	 * 1. A descriptor device: PRP0001 matches the module through the
	 *    "compatible" property; "fixed-bars" holds full entries, in the
	 *    grammar of docs/topology-json.md.
	 */
	Scope (\_SB)
	{
		Device (FXBR)
		{
			Name (_HID, "PRP0001")
			Name (_DSD, Package () {
				ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
				Package () {
					Package () { "compatible", "linux,pci-fixedbar" },
					Package () { "fixed-bars", Package () {
						"0000:00:10.0/00.0/00.0/00.0=bar2@0x10000000000",
					} },
				}
			})
		}
	}

	/*
	 * 2. A "fixed-bars" property on the device's own _ADR companion:
	 *    only "barN@0x..." items, the device is the one the node
	 *    describes.  The object must already exist in the DSDT.
	 */
	Scope (\_SB.PCI0.S80.S00.S08.S00)
	{
		Name (_DSD, Package () {
			ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
			Package () {
				Package () { "fixed-bars", Package () {
					"bar2@0x10004000000",
				} },
			}
		})
	}
}
