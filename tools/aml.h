/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small AML encoder for fixedbar-host: just what an SSDT with a PRP0001
 * "linux,pci-fixedbar" descriptor device needs (Scope, Device, Name,
 * Package, String, ToUUID buffer), so the host needs no iasl.
 */
#ifndef FIXEDBAR_AML_ENC_H
#define FIXEDBAR_AML_ENC_H

#include "fixedbar_types.h"

/* _DSD device properties UUID (ACPI "Device Properties UUID") */
#define FIXEDBAR_DSD_UUID "daffd814-6eba-4d8c-8a91-bc9bbf4aa301"
/* a Package () of more elements needs VarPackageOp, which we do not write */
#define FIXEDBAR_AML_MAX_ENTRIES 255

struct fixedbar_ssdt_id {
	const char *oem_id; /* at most 6 characters */
	const char *oem_table_id; /* at most 8 characters */
	u32 oem_revision;
	const char *device; /* 4-character name segment under \_SB */
};

/* A 4-character ACPI name segment: A-Z, 0-9 and _, no digit first. */
bool fixedbar_acpi_name_ok(const char *s);

/*
 * Encodes the SSDT
 *   Scope (\_SB) { Device (<device>) { Name (_HID, "PRP0001")
 *     Name (_DSD, Package () { ToUUID (FIXEDBAR_DSD_UUID), Package () {
 *       Package () { "compatible", "linux,pci-fixedbar" },
 *       Package () { "fixed-bars", Package () { <entries> } } }) } }
 * into a malloc()ed table with a valid checksum.  Returns 0, -EINVAL for
 * a bad name or too many entries, or -ENOMEM.
 */
int fixedbar_aml_ssdt(const struct fixedbar_ssdt_id *id,
		      const char *const *entries, size_t nr_entries, u8 **table,
		      size_t *len);

#endif /* FIXEDBAR_AML_ENC_H */
