// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the command line.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aml.h"
#include "host_libvirt.h"

#include "host.h"

const char *const format_names[] = {
	[FMT_QEMU] = "qemu", [FMT_MAP] = "map",		[FMT_GRUB] = "grub",
	[FMT_ASL] = "asl",   [FMT_AML] = "aml",		[FMT_DTS] = "dts",
	[FMT_JSON] = "json", [FMT_LIBVIRT] = "libvirt",
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "machine", required_argument, NULL, 'm' },
	{ "sysfs", required_argument, NULL, 's' },
	{ "guest-ram", required_argument, NULL, 'r' },
	{ "first-slot", required_argument, NULL, 'S' },
	{ "ports-per-slot", required_argument, NULL, 'P' },
	{ "split-functions", no_argument, NULL, 'F' },
	{ "patched", no_argument, NULL, 'p' },
	{ "cpu", required_argument, NULL, 'c' },
	{ "amd", no_argument, NULL, 'A' },
	{ "firmware", required_argument, NULL, 'w' },
	{ "acpi-name", required_argument, NULL, 'N' },
	{ "acpi-table", required_argument, NULL, 'T' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "sizes", no_argument, NULL, 'z' },
	{ NULL, 0, NULL, 0 },
};

static const char usage_text[] =
	"usage: " PROG " [options] BDF[:barN,...][=GUESTPATH]...\n"
	"Prints what a VM needs so that the BARs of the host PCI devices it\n"
	"passes through sit at their host physical addresses (GPA == HPA).\n"
	"\n"
	"  -f, --format FMT        qemu (default): QEMU options; map: a\n"
	"                          pci_fixedbar.map= kernel argument; grub: it\n"
	"                          quoted for /etc/default/grub.d/; asl, aml:\n"
	"                          an SSDT; dts: a device-tree overlay; json;\n"
	"                          libvirt: a domain XML skeleton\n"
	"  -o, --output FILE       write to FILE instead of standard output\n"
	"  -m, --machine M         q35 (default) or virt\n"
	"  -p, --patched           QEMU has the fixed-bars patches: -device\n"
	"                          lines carry fixed-bars=, virt may move its\n"
	"                          high window (highmem-mmio-window=)\n"
	"  -r, --guest-ram SIZE    guest RAM as in QEMU -m (plain number: MiB;\n"
	"                          K, M, G, T suffixes; at most 256T); 16G\n"
	"      --first-slot N      first pcie.0 slot for root ports (0x10)\n"
	"      --ports-per-slot N  root ports per slot, as functions (1)\n"
	"      --split-functions   one root port per host function\n"
	"      --cpu MODEL         the -cpu model to print (host)\n"
	"      --amd               the guest CPU is AMD (q35 moves RAM above\n"
	"                          4 GiB to 1 TiB when the hole nears 1 TiB)\n"
	"      --firmware FW       q35's firmware: seabios (default) or ovmf\n"
	"                          (UEFI: its 64-bit aperture is set with\n"
	"                          -fw_cfg opt/ovmf/X-PciMmio64Mb)\n"
	"      --acpi-name NAME    the SSDT device name under \\_SB (FXBR)\n"
	"      --acpi-table FILE   libvirt: the SSDT file -acpitable loads\n"
	"                          (" LIBVIRT_ACPI_TABLE ")\n"
	"      --sysfs DIR         read DIR/bus/pci/devices (default /sys)\n"
	"      --sizes             give each BAR's size (barN@0x...+0x...) in\n"
	"                          the descriptors, so the guest can keep the\n"
	"                          range free while the device is absent\n"
	"  -q, --quiet             no notes on standard error\n"
	"  -V, --version           print the version\n"
	"  -h, --help              print this help\n"
	"\n"
	"BDF is a host device (0000:3b:00.0); :bar0,bar2 fixes only those\n"
	"BARs (default: every assigned memory BAR); =GUESTPATH places it at\n"
	"that guest path (0000:00:05.0, or 0000:00:11.0/00.0 below a root\n"
	"port) instead of below a new root port at the next free slot.\n"
	"\n"
	"Exit status: 0 ok, 1 a check failed, 2 usage or input error, 3 no BAR\n"
	"to fix.\n";

/* --- arguments ------------------------------------------------------ */

/* "[DDDD:]BB:SS.F" at @s; returns the characters used, 0 when malformed */
static int parse_bdf(const char *s, unsigned int *domain, unsigned int *bus,
		     struct hop *h)
{
	return fixedbar_parse_bdf(s, domain, bus, &h->slot, &h->fn);
}

/* ":bar0,bar2" */
static int parse_bar_list(struct dev *d, const char *s)
{
	const char *p = s;
	char *end;
	long i;

	for (;;) {
		if (strncmp(p, "bar", 3))
			return usage_error("%s: '%s' is not a BAR list like bar0,bar2",
					   d->arg, s);
		i = strtol(p + 3, &end, 10);
		if (end == p + 3 || i < 0 || i >= NR_BARS)
			return usage_error("%s: '%.*s' is no BAR (bar0..bar5; the ROM and VF BARs cannot be fixed)",
					   d->arg, (int)strcspn(p, ","), p);
		d->want |= 1u << i;
		if (!*end)
			return 0;
		if (*end != ',')
			return usage_error("%s: '%s' is not a BAR list like bar0,bar2",
					   d->arg, s);
		p = end + 1;
	}
}

/* "0000:00:11.0/00.0": root bus 00 of domain 0, then slot.fn per hop */
static int parse_guest_path(struct dev *d, const char *s)
{
	unsigned int domain, bus;
	const char *p = s;
	int n;

	n = parse_bdf(p, &domain, &bus, &d->hops[0]);
	if (!n)
		return usage_error("%s: guest path '%s' is not DDDD:BB:SS.F[/SS.F...]",
				   d->arg, s);
	if (domain || bus)
		return usage_error("%s: guest path '%s': the guest's root bus is 0000:00",
				   d->arg, s);
	d->depth = 1;
	for (p += n; *p;) {
		if (*p != '/')
			return usage_error("%s: guest path '%s' is not DDDD:BB:SS.F[/SS.F...]",
					   d->arg, s);
		if (d->depth == MAX_HOPS)
			return usage_error("%s: guest path '%s' is deeper than %d levels",
					   d->arg, s, MAX_HOPS);
		p++;
		n = fixedbar_parse_slot_fn(p, &d->hops[d->depth].slot,
					   &d->hops[d->depth].fn);
		if (!n)
			return usage_error("%s: guest path '%s' is not DDDD:BB:SS.F[/SS.F...]",
					   d->arg, s);
		p += n;
		d->depth++;
	}
	d->path_given = true;
	return 0;
}

static int parse_dev_arg(struct dev *d, const char *arg)
{
	const char *eq = strchr(arg, '='), *p;
	char *spec;
	int n, err;

	d->arg = arg;
	d->port = -1;
	spec = strndup(arg, eq ? (size_t)(eq - arg) : strlen(arg));
	if (!spec)
		return usage_error("out of memory");
	n = parse_bdf(spec, &d->domain, &d->bus, &d->host);
	if (!n || (spec[n] && spec[n] != ':')) {
		free(spec);
		return usage_error("'%s' is not a host device DDDD:BB:SS.F[:barN,...][=GUESTPATH] (lspci -D lists them)",
				   arg);
	}
	snprintf(d->bdf, sizeof(d->bdf), "%04x:%02x:%02x.%x", d->domain, d->bus,
		 d->host.slot, d->host.fn);
	p = spec + n;
	err = *p ? parse_bar_list(d, p + 1) : 0;
	free(spec);
	if (err)
		return err;
	return eq ? parse_guest_path(d, eq + 1) : 0;
}

/* "16G", "4096" (MiB, as QEMU -m), "0x400000000B"? no: K/M/G/T only */
static int parse_size(const char *s, u64 *v)
{
	unsigned long long n;
	char *end;
	int shift = 20;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (end == s || errno || !isdigit((unsigned char)*s))
		return -EINVAL;
	if (*end) {
		switch (toupper(*end)) {
		case 'K':
			shift = 10;
			break;
		case 'M':
			shift = 20;
			break;
		case 'G':
			shift = 30;
			break;
		case 'T':
			shift = 40;
			break;
		default:
			return -EINVAL;
		}
		if (end[1] && strcasecmp(end + 1, "B") &&
		    strcasecmp(end + 1, "iB"))
			return -EINVAL;
	}
	/* 256 TiB: beyond any guest, and no overflow in the window sums */
	if (!n || n > (1ULL << (48 - shift)))
		return -EINVAL;
	*v = n << shift;
	return 0;
}

static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (end == s || *end || errno || *s == '-' || n < min || n > max)
		return -EINVAL;
	*v = n;
	return 0;
}

static int parse_format(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(s, format_names[i])) {
			opt.format = i;
			return 0;
		}
	}
	return usage_error("--format: '%s' is none of qemu, map, grub, asl, aml, dts, json, libvirt",
			   s);
}

static int parse_other_option(int c, const char *arg);

static int parse_option(int c, const char *arg)
{
	switch (c) {
	case 'f':
		return parse_format(arg);
	case 'o':
		opt.output = arg;
		return 0;
	case 'm':
		if (!strcmp(arg, "q35"))
			opt.machine = MACH_Q35;
		else if (!strcmp(arg, "virt"))
			opt.machine = MACH_VIRT;
		else
			return usage_error("--machine: '%s' is neither q35 nor virt",
					   arg);
		return 0;
	case 's':
		opt.sysfs = arg;
		return 0;
	case 'r':
		opt.ram_given = true;
		if (parse_size(arg, &opt.ram))
			return usage_error("--guest-ram: '%s' is not a size like 16G or 4096 (MiB)",
					   arg);
		return 0;
	case 'S':
		if (parse_uint(arg, 1, 0x1f, &opt.first_slot))
			return usage_error("--first-slot: '%s' is not a slot 0x01..0x1f",
					   arg);
		return 0;
	case 'P':
		if (parse_uint(arg, 1, 8, &opt.ports_per_slot))
			return usage_error("--ports-per-slot: '%s' is not 1..8",
					   arg);
		return 0;
	}
	return parse_other_option(c, arg);
}

/* parse_option(): the flags and the names */
static int parse_other_option(int c, const char *arg)
{
	switch (c) {
	case 'F':
		opt.split_functions = true;
		return 0;
	case 'p':
		opt.patched = true;
		return 0;
	case 'c':
		if (!*arg || strchr(arg, ',') || strchr(arg, ' '))
			return usage_error("--cpu: '%s' is not a CPU model name",
					   arg);
		opt.cpu = arg;
		return 0;
	case 'A':
		opt.amd = true;
		return 0;
	case 'w':
		if (strcmp(arg, "seabios") && strcmp(arg, "ovmf"))
			return usage_error("--firmware: '%s' is neither seabios nor ovmf",
					   arg);
		opt.ovmf = !strcmp(arg, "ovmf");
		return 0;
	case 'N':
		if (!fixedbar_acpi_name_ok(arg))
			return usage_error("--acpi-name: '%s' is not a 4-character ACPI name (A-Z, 0-9, _)",
					   arg);
		opt.acpi_name = arg;
		return 0;
	case 'T':
		opt.acpi_table = arg;
		return 0;
	case 'q':
		opt.quiet = true;
		return 0;
	case 'z':
		opt.sizes = true;
		return 0;
	}
	fputs(PROG ": see " PROG " --help\n", stderr);
	return EXIT_USAGE;
}

int parse_args(int argc, char **argv)
{
	int c, err, i, j;

	opt.sysfs = "/sys";
	opt.cpu = "host";
	opt.acpi_name = "FXBR";
	opt.acpi_table = LIBVIRT_ACPI_TABLE;
	opt.ram = DEFAULT_RAM;
	opt.first_slot = DEFAULT_FIRST_SLOT;
	opt.ports_per_slot = 1;
	argv[0] = (char *)PROG; /* getopt's messages name the program */
	for (;;) {
		c = getopt_long(argc, argv, "hVf:o:m:r:pq", long_opts, NULL);
		if (c == -1)
			break;
		if (c == 'h') {
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		}
		if (c == 'V') {
			printf("%s (pci_fixedbar) %s\n", PROG,
			       FIXEDBAR_VERSION);
			exit(EXIT_OK);
		}
		err = parse_option(c, optarg);
		if (err)
			return err;
	}
	if (optind == argc)
		return usage_error("no devices given (see --help)");
	if (argc - optind > MAX_DEVS)
		return usage_error("more than %d devices", MAX_DEVS);
	if (opt.format == FMT_DTS && opt.machine != MACH_VIRT)
		return usage_error("--format %s: a device tree is for --machine virt; q35 takes an SSDT (--format aml)",
				   "dts");
	for (i = optind; i < argc; i++) {
		err = parse_dev_arg(&devs[nr_devs], argv[i]);
		if (err)
			return err;
		for (j = 0; j < nr_devs; j++)
			if (!strcmp(devs[j].bdf, devs[nr_devs].bdf))
				return usage_error("%s: given twice ('%s' and '%s')",
						   devs[j].bdf, devs[j].arg,
						   argv[i]);
		nr_devs++;
	}
	return 0;
}
