/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixedbar-host --format libvirt: a libvirt domain XML skeleton for the
 * layout fixedbar-host computed (its --format json object).
 */
#ifndef FIXEDBAR_HOST_LIBVIRT_H
#define FIXEDBAR_HOST_LIBVIRT_H

#include <stdio.h>
#include <jansson.h>

struct libvirt_opts {
	const char *prog; /* for messages */
	const char *cpu; /* QEMU -cpu model: host, max or a named model */
	const char *acpi_table; /* the SSDT file -acpitable loads */
};

/* the namespace of the <metadata> scripts/libvirt-hook.sh reads */
#define LIBVIRT_METADATA_NS "urn:pci-fixedbar:host:1"

/* the default --acpi-table */
#define LIBVIRT_ACPI_TABLE "/var/lib/libvirt/qemu/fixedbar/fixedbar-vm.aml"

/*
 * Writes the domain XML for @host (what fixedbar-host --format json
 * prints) to @f.  Returns 0, or 2 (a usage error, with one line on
 * stderr) for a guest path libvirt cannot build.
 */
int emit_libvirt(FILE *f, json_t *host, const struct libvirt_opts *o);

#endif
