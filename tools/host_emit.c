// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the outputs (QEMU options, the map, ASL, AML, DTS).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aml.h"

#include "host.h"

/* --- outputs -------------------------------------------------------- */

/* "bar0@0x...,bar2@0x..." joined with @sep; "+0x<size>" with @sizes */
void bar_items(const struct dev *d, const char *sep, bool sizes, char *buf,
	       size_t len)
{
	const struct bar *b;
	size_t n = 0;
	int j;

	buf[0] = 0;
	for (j = 0; j < d->nr_bars && n < len; j++) {
		b = &d->bars[j];
		n += snprintf(buf + n, len - n, "%sbar%d@0x%llx", j ? sep : "",
			      b->index, (unsigned long long)b->start);
		if (sizes && n < len)
			n += snprintf(buf + n, len - n, "+0x%llx",
				      (unsigned long long)(b->end - b->start +
							   1));
	}
}

void free_strv(char **v)
{
	char **p;

	for (p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* descriptor entries, one per device with BARs to fix */
static int make_entries(char ***out)
{
	char **e = calloc(nr_devs + 1, sizeof(*e)), items[512];
	int i, n = 0;

	if (!e)
		return -ENOMEM;
	for (i = 0; i < nr_devs; i++) {
		if (!devs[i].nr_bars)
			continue;
		bar_items(&devs[i], ",", opt.sizes, items, sizeof(items));
		e[n] = malloc(strlen(devs[i].path) + strlen(items) + 2);
		if (!e[n]) {
			free_strv(e);
			return -ENOMEM;
		}
		sprintf(e[n++], "%s=%s", devs[i].path, items);
	}
	*out = e;
	return n;
}

/* the QEMU bus id of the device's parent, NULL: a bridge we do not make */
const char *dev_bus(const struct dev *d)
{
	if (d->depth > 2)
		return NULL;
	return d->depth == 1 ? "pcie.0" : ports[d->port].qid;
}

/* the -device line of devs[@i] */
static void device_arg(int i, char *buf, size_t len)
{
	const struct dev *d = &devs[i];
	const struct hop *h = &d->hops[d->depth - 1];
	char items[512];
	bool multi = false;
	int j, n;

	for (j = 0; j < nr_devs; j++)
		multi |= j != i && !h->fn && devs[j].depth == d->depth &&
			 !memcmp(devs[j].hops, d->hops,
				 (d->depth - 1) * sizeof(*h)) &&
			 devs[j].hops[d->depth - 1].slot == h->slot;
	n = snprintf(buf, len, "vfio-pci,host=%s", d->bdf);
	if (dev_bus(d))
		n += snprintf(buf + n, len - n, ",bus=%s", dev_bus(d));
	n += snprintf(buf + n, len - n, ",addr=0x%x.0x%x%s", h->slot, h->fn,
		      multi ? ",multifunction=on" : "");
	if (opt.patched && d->nr_bars) {
		/* ",," is QEMU's escape for a comma in a value; no sizes */
		bar_items(d, ",,", false, items, sizeof(items));
		snprintf(buf + n, len - n, ",fixed-bars=%s", items);
	}
}

/* QEMU arguments, pairs of option and value */
json_t *qemu_args(void)
{
	json_t *a = json_array();
	char buf[640];
	int i;

	if (opt.machine == MACH_Q35 && win.start) {
		snprintf(buf, sizeof(buf), "%s,phys-bits=%u", opt.cpu,
			 win.phys_bits);
		json_array_append_new(a, json_string("-cpu"));
		json_array_append_new(a, json_string(buf));
	}
	if (win.option[0]) {
		json_array_append_new(a, json_string(win.option));
		json_array_append_new(a, json_string(win.value));
	}
	if (win.ovmf_mmio64) {
		snprintf(buf, sizeof(buf),
			 "name=opt/ovmf/X-PciMmio64Mb,string=%llu",
			 (unsigned long long)(win.ovmf_mmio64 >> 20));
		json_array_append_new(a, json_string("-fw_cfg"));
		json_array_append_new(a, json_string(buf));
	}
	for (i = 0; i < nr_ports; i++) {
		const struct port *p = &ports[i];

		snprintf(buf, sizeof(buf),
			 "pcie-root-port,id=%s,bus=pcie.0,addr=0x%x.0x%x%s,chassis=%d,slot=%d%s",
			 p->qid, p->at.slot, p->at.fn,
			 p->multifunction ? ",multifunction=on" : "", 200 + i,
			 i, p->has_io ? "" : ",io-reserve=0");
		json_array_append_new(a, json_string("-device"));
		json_array_append_new(a, json_string(buf));
	}
	for (i = 0; i < nr_devs; i++) {
		device_arg(i, buf, sizeof(buf));
		json_array_append_new(a, json_string("-device"));
		json_array_append_new(a, json_string(buf));
	}
	return a;
}

static int emit_qemu(FILE *f, int nr_entries)
{
	json_t *a = qemu_args();
	size_t i;

	if (!opt.patched && nr_entries)
		notice("QEMU without the fixed-bars patches: give the guest the descriptors too (--format aml for -acpitable, dts, or map)");

	for (i = 0; i + 1 < json_array_size(a); i += 2)
		fprintf(f, "%s %s\n", json_string_value(json_array_get(a, i)),
			json_string_value(json_array_get(a, i + 1)));
	json_decref(a);
	return 0;
}

/* x86's and arm64's COMMAND_LINE_SIZE: the whole kernel command line */
#define CMDLINE_MAX 2048

/* pci_fixedbar.map= and the entries; returns the length written */
static size_t put_map(FILE *f, char **entries, int n)
{
	size_t len = strlen("pci_fixedbar.map=");
	int i;

	fputs("pci_fixedbar.map=", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%s", i ? ";" : "", entries[i]);
		len += strlen(entries[i]) + !!i;
	}
	return len;
}

/* The module takes any length and appends repeated map=; the command line does not. */
static void map_notice(size_t len)
{
	if (len > CMDLINE_MAX / 2)
		notice("pci_fixedbar.map= is %zu bytes of the %d the whole kernel command line holds: describe the fixed BARs in ACPI (--format aml) or a device tree (--format dts) instead, which hold any number",
		       len, CMDLINE_MAX);
}

static int emit_map(FILE *f, char **entries, int n)
{
	size_t len = put_map(f, entries, n);

	fputc('\n', f);
	map_notice(len);
	return 0;
}

/*
 * GRUB's script language ends a command at ';': the argument goes in
 * single quotes, which grub-mkconfig copies into grub.cfg's linux line and
 * GRUB removes, so the kernel gets it whole.  Entries never contain a
 * quote.  The line appends to GRUB_CMDLINE_LINUX from a drop-in file.
 */
static int emit_grub(FILE *f, char **entries, int n)
{
	fputs("# /etc/default/grub.d/pci-fixedbar.cfg, then update-grub (fixedbar-host -f grub)\n"
	      "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX '",
	      f);
	map_notice(put_map(f, entries, n));
	fputs("'\"\n", f);
	return 0;
}

static int emit_asl(FILE *f, char **entries, int n)
{
	int i;

	fprintf(f,
		"/* pci_fixedbar descriptors (docs/binding.md), by fixedbar-host */\n"
		"DefinitionBlock (\"\", \"SSDT\", 1, \"LINUX\", \"FIXEDBAR\", 0x00000001)\n"
		"{\n"
		"    Scope (\\_SB)\n"
		"    {\n"
		"        Device (%s)\n"
		"        {\n"
		"            Name (_HID, \"PRP0001\")\n"
		"            Name (_DSD, Package ()\n"
		"            {\n"
		"                ToUUID (\"" FIXEDBAR_DSD_UUID "\"),\n"
		"                Package ()\n"
		"                {\n"
		"                    Package () { \"compatible\", \"linux,pci-fixedbar\" },\n"
		"                    Package () { \"fixed-bars\", Package () {\n",
		opt.acpi_name);
	for (i = 0; i < n; i++)
		fprintf(f, "                        \"%s\",\n", entries[i]);
	fputs("                    } },\n"
	      "                }\n"
	      "            })\n"
	      "        }\n"
	      "    }\n"
	      "}\n",
	      f);
	return 0;
}

static int emit_aml(FILE *f, char **entries, int n)
{
	struct fixedbar_ssdt_id id = { "LINUX", "FIXEDBAR", 1, opt.acpi_name };
	size_t len;
	u8 *table;
	int err;

	if (!opt.output && isatty(fileno(f)))
		return usage_error("--format %s: not writing a binary table to a terminal; use -o FILE or redirect",
				   "aml");
	err = fixedbar_aml_ssdt(&id, (const char *const *)entries, n, &table,
				&len);
	if (err)
		return usage_error("--format aml: cannot encode the table: %s",
				   strerror(-err));
	fwrite(table, 1, len, f);
	free(table);
	return 0;
}

static int emit_dts(FILE *f, char **entries, int n)
{
	int i;

	fputs("// pci_fixedbar descriptors (docs/binding.md), by " PROG "\n"
	      "// fdtoverlay -i virt.dtb -o virt-fixed.dtb this.dtbo\n"
	      "/dts-v1/;\n"
	      "/plugin/;\n"
	      "\n"
	      "/ {\n"
	      "\tfragment@0 {\n"
	      "\t\ttarget-path = \"/\";\n"
	      "\t\t__overlay__ {\n"
	      "\t\t\tpci-fixedbar {\n"
	      "\t\t\t\tcompatible = \"linux,pci-fixedbar\";\n"
	      "\t\t\t\tfixed-bars = ",
	      f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\"%s\"", i ? ",\n\t\t\t\t\t" : "", entries[i]);
	fputs(";\n\t\t\t};\n\t\t};\n\t};\n};\n", f);
	return 0;
}

int emit(void)
{
	FILE *f = stdout;
	char **entries;
	int n, err;

	n = make_entries(&entries);
	if (n < 0)
		return usage_error("out of memory");
	if (!n && opt.format != FMT_QEMU && opt.format < FMT_JSON) {
		free_strv(entries);
		fprintf(stderr, PROG ": no BAR to fix, so no %s to write\n",
			format_names[opt.format]);
		return EXIT_NONE;
	}
	err = check_with_planner(entries, n);
	if (err) {
		free_strv(entries);
		return err;
	}
	if (opt.output) {
		f = fopen(opt.output, opt.format == FMT_AML ? "wb" : "w");
		if (!f) {
			free_strv(entries);
			return usage_error("%s: %s", opt.output,
					   strerror(errno));
		}
	}
	switch (opt.format) {
	case FMT_QEMU:
		err = emit_qemu(f, n);
		break;
	case FMT_MAP:
		err = emit_map(f, entries, n);
		break;
	case FMT_GRUB:
		err = emit_grub(f, entries, n);
		break;
	case FMT_ASL:
		err = emit_asl(f, entries, n);
		break;
	case FMT_AML:
		err = emit_aml(f, entries, n);
		break;
	case FMT_DTS:
		err = emit_dts(f, entries, n);
		break;
	default:
		err = emit_json(f, entries, n);
		break;
	}
	free_strv(entries);
	if ((fflush(f) || ferror(f)) && !err)
		err = usage_error("%s: write error",
				  opt.output ? opt.output : "stdout");
	if (opt.output)
		fclose(f);
	return err;
}
