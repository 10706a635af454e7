/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding pci_fixedbar descriptors in ACPI tables (DSDT, SSDT*) without an
 * interpreter: a walker over the declarations of the AML (Scope, Device,
 * Name, ...) that records, per namespace path, the _HID/_CID "PRP0001"
 * and the device properties of a _DSD package ("compatible",
 * "fixed-bars").  Anything it does not understand ends the walk of the
 * enclosing scope body, never the program.
 */
#ifndef FIXEDBAR_AML_H
#define FIXEDBAR_AML_H

#include "fixedbar.h"

#define FIXEDBAR_AML_COMPATIBLE "linux,pci-fixedbar"

/* "\_SB_.PCI0.S80_.S00_": the form of sysfs firmware_node/path */
#define FIXEDBAR_AML_PATH_LEN 256

struct fixedbar_aml_obj {
	char path[FIXEDBAR_AML_PATH_LEN];
	char table[16]; /* the table whose _DSD holds fixed-bars */
	bool prp0001; /* _HID or _CID "PRP0001" */
	bool compatible; /* "compatible" holds "linux,pci-fixedbar" */
	bool has_bars; /* a "fixed-bars" property */
	u32 nr_props; /* how many "fixed-bars" keys its _DSD has */
	char bad[128]; /* why its "fixed-bars" is malformed, or "" */
	u32 nr_bars;
	char **bars; /* its strings */
};

struct fixedbar_aml_ns {
	u32 nr_objs;
	u32 max_objs;
	struct fixedbar_aml_obj *objs;
	/* scope bodies whose walk stopped early, and the first of them */
	u32 nr_skipped;
	char skipped[160];
};

/*
 * Walks one table (header included) named @name ("SSDT1") and adds what it
 * finds to @ns.  Returns 0, -EINVAL when @table is no DSDT/SSDT (with
 * @msg set), or -ENOMEM.
 */
int fixedbar_aml_scan(struct fixedbar_aml_ns *ns, const u8 *table, size_t len,
		      const char *name, char *msg, size_t msglen);
void fixedbar_aml_free(struct fixedbar_aml_ns *ns);

#endif /* FIXEDBAR_AML_H */
