// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: on the host, turns the BARs of the PCI devices to pass
 * through (read from sysfs) into what the VM needs so that each BAR sits
 * at its host physical address in the guest: QEMU options (the guest
 * topology, the 64-bit window, the fixed-bars property of patched QEMU),
 * or descriptors for unpatched QEMU (pci_fixedbar.map=, an SSDT as ASL or
 * AML, a device-tree overlay), after checking that the request can work.
 *
 * Exit 0: ok; 1: usage or input error; 2: a check failed.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <strings.h>
#include <unistd.h>
#include <jansson.h>

#include "fixedbar_types.h"
#include "aml.h"
#include "kres.h"
#include "host_libvirt.h"

#ifndef FIXEDBAR_VERSION
#error "FIXEDBAR_VERSION comes from the top-level VERSION file (Makefile)"
#endif

#define PROG "fixedbar-host"

enum {
	EXIT_OK = 0,
	EXIT_CHECK = 1, /* the request cannot be met */
	EXIT_USAGE = 2, /* usage or input error */
	EXIT_NONE = 3, /* nothing to fix */
};

#define SZ_1M (1ULL << 20)
#define SZ_64M (64ULL << 20)
#define SZ_256M (256ULL << 20)
#define SZ_1G (1ULL << 30)
#define SZ_4G (1ULL << 32)
#define SZ_256G (256ULL << 30)
#define SZ_512G (512ULL << 30)
#define SZ_1T (1ULL << 40)

/* QEMU 7.2 q35 (hw/i386/pc_q35.c, hw/pci-host/q35.c, hw/i386/pc.c) */
#define Q35_MMCONFIG_START 0xb0000000ULL
#define Q35_MMCONFIG_END 0xbfffffffULL
#define Q35_HOLE32_END 0xfebfffffULL /* the IOAPIC is at 0xfec00000 */
#define Q35_LAST_SLOT 0x1e /* 00:1f.x is the ICH9 LPC/SATA/SMBus */
#define AMD_HT_START 0xfd00000000ULL
#define AMD_HT_END 0xffffffffffULL

/* QEMU 7.2 virt (hw/arm/virt.c) */
#define VIRT_MMIO32_START 0x10000000ULL
#define VIRT_MMIO32_END 0x3efeffffULL
#define VIRT_RAM_START SZ_1G
#define VIRT_LAST_SLOT 0x1f

#define MAX_DEVS 64
#define MAX_HOPS 8
#define NR_BARS 6
#define DEFAULT_RAM (16ULL << 30)
#define DEFAULT_FIRST_SLOT 0x10

enum format {
	FMT_QEMU,
	FMT_MAP,
	FMT_GRUB,
	FMT_ASL,
	FMT_AML,
	FMT_DTS,
	FMT_JSON,
	FMT_LIBVIRT
};
enum machine { MACH_Q35, MACH_VIRT };

static const char *const format_names[] = {
	[FMT_QEMU] = "qemu", [FMT_MAP] = "map",		[FMT_GRUB] = "grub",
	[FMT_ASL] = "asl",   [FMT_AML] = "aml",		[FMT_DTS] = "dts",
	[FMT_JSON] = "json", [FMT_LIBVIRT] = "libvirt",
};

struct hop {
	unsigned int slot, fn;
};

struct bar {
	int index;
	u64 start, end, flags;
};

struct dev {
	const char *arg;
	char bdf[16];
	struct hop host;
	unsigned int domain, bus;
	unsigned int want; /* BARs named in the argument, 0: all */
	bool path_given;
	struct hop hops[MAX_HOPS]; /* guest path below root bus 00 */
	int depth;
	int port; /* root port index, -1: none of ours */
	char path[64];
	char id[16];
	bool vf;
	bool has_io; /* an I/O BAR: its root port needs an I/O window */
	int nr_bars;
	struct bar bars[NR_BARS]; /* the BARs to fix */
};

struct port {
	struct hop at; /* on pcie.0 */
	char qid[16]; /* QEMU id */
	bool multifunction;
	bool has_io;
};

struct opts {
	enum format format;
	enum machine machine;
	const char *sysfs;
	const char *output;
	const char *cpu;
	const char *acpi_name;
	const char *acpi_table; /* -f libvirt: the SSDT file -acpitable loads */
	u64 ram;
	bool ram_given;
	unsigned int first_slot;
	unsigned int ports_per_slot;
	bool split_functions;
	bool patched;
	bool amd;
	bool ovmf; /* --firmware ovmf: q35 with UEFI instead of SeaBIOS */
	bool quiet;
	bool sizes;
};

/* the 64-bit window the VM needs, and the option that gives it */
struct window {
	u64 start, end; /* end inclusive; start == 0: no high BAR */
	u64 hole64_size;
	unsigned int phys_bits;
	char option[96]; /* "-global ..." or "-machine ..." or "" */
	char value[96];
	u64 max_ram; /* q35: most guest RAM that keeps the window below */
	u64 ovmf_mmio64; /* OVMF's aperture size (X-PciMmio64Mb), bytes */
};

static struct opts opt;
static struct dev devs[MAX_DEVS];
static int nr_devs;
static struct port ports[MAX_DEVS];
static int nr_ports;
static struct window win;
static int nr_errors;

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

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/* a failed check: one line, and the run exits 1 after all checks */
static void check_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	nr_errors++;
}

/* notes wait for a run that succeeds, so that errors stand alone */
static char *notes;
static size_t notes_len;

static void notice(const char *fmt, ...)
{
	va_list ap;
	size_t n;
	char *p;
	int len;

	if (opt.quiet)
		return;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	n = strlen(PROG ": note: ") + len + 2;
	p = realloc(notes, notes_len + n);
	if (len < 0 || !p)
		return;
	notes = p;
	notes_len += sprintf(notes + notes_len, PROG ": note: ");
	va_start(ap, fmt);
	notes_len += vsprintf(notes + notes_len, fmt, ap);
	va_end(ap);
	notes_len += sprintf(notes + notes_len, "\n");
}

static void flush_notes(void)
{
	if (notes)
		fputs(notes, stderr);
	free(notes);
	notes = NULL;
}

/* the kernel's %pR: "[mem 0xfe800000-0xfe8fffff 64bit pref]" */
static const char *res_str(const struct bar *b)
{
	static char bufs[4][96];
	static int next;
	char *s = bufs[next++ % 4];
	bool io = b->flags & IORESOURCE_IO;

	if (!b->start && (b->flags & IORESOURCE_UNSET || !io))
		snprintf(s, sizeof(bufs[0]), "[%s size 0x%llx%s%s]",
			 io ? "io " : "mem",
			 (unsigned long long)(b->end - b->start + 1),
			 b->flags & IORESOURCE_MEM_64 ? " 64bit" : "",
			 b->flags & IORESOURCE_PREFETCH ? " pref" : "");
	else
		snprintf(s, sizeof(bufs[0]), "[%s0x%0*llx-0x%0*llx%s%s]",
			 io ? "io  " : "mem ", io ? 4 : 8,
			 (unsigned long long)b->start, io ? 4 : 8,
			 (unsigned long long)b->end,
			 b->flags & IORESOURCE_MEM_64 ? " 64bit" : "",
			 b->flags & IORESOURCE_PREFETCH ? " pref" : "");
	return s;
}

static const char *range_str(u64 start, u64 end)
{
	static char bufs[4][64];
	static int next;
	char *s = bufs[next++ % 4];

	snprintf(s, sizeof(bufs[0]), "[mem 0x%08llx-0x%08llx]",
		 (unsigned long long)start, (unsigned long long)end);
	return s;
}

/* "2048G", "1T": a QEMU size */
static const char *size_str(u64 size)
{
	static char buf[32];

	if (size && !(size % SZ_1T))
		snprintf(buf, sizeof(buf), "%lluT",
			 (unsigned long long)(size >> 40));
	else if (size && !(size % SZ_1G))
		snprintf(buf, sizeof(buf), "%lluG",
			 (unsigned long long)(size >> 30));
	else
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)size);
	return buf;
}

/* @a: a power of two */
static u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static u64 align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

/* --- arguments ------------------------------------------------------ */

/* at most @max hex digits, at least one; returns the characters used */
static int parse_hex(const char *s, int max, unsigned int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && isxdigit((unsigned char)s[n])) {
		*v = *v << 4 | (isdigit((unsigned char)s[n]) ?
					s[n] - '0' :
					(tolower(s[n]) - 'a' + 10));
		n++;
	}
	return n;
}

/* "[DDDD:]BB:SS.F" at @s; returns the characters used, 0 when malformed */
static int parse_bdf(const char *s, unsigned int *domain, unsigned int *bus,
		     struct hop *h)
{
	unsigned int a, b;
	const char *p = s;
	int n;

	n = parse_hex(p, 4, &a);
	if (!n || p[n] != ':')
		return 0;
	p += n + 1;
	n = parse_hex(p, 2, &b);
	if (!n)
		return 0;
	if (p[n] == ':') {
		*domain = a;
		*bus = b;
		p += n + 1;
		n = parse_hex(p, 2, &h->slot);
	} else if (p[n] == '.' && a <= 0xff) {
		*domain = 0;
		*bus = a;
		h->slot = b;
	} else {
		return 0;
	}
	if (!n || p[n] != '.' || h->slot > 0x1f)
		return 0;
	p += n + 1;
	n = parse_hex(p, 1, &h->fn);
	if (!n || h->fn > 7)
		return 0;
	return p + n - s;
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
		n = parse_hex(p, 2, &d->hops[d->depth].slot);
		if (!n || p[n] != '.' || d->hops[d->depth].slot > 0x1f)
			return usage_error("%s: guest path '%s' is not DDDD:BB:SS.F[/SS.F...]",
					   d->arg, s);
		p += n + 1;
		n = parse_hex(p, 1, &d->hops[d->depth].fn);
		if (n != 1 || d->hops[d->depth].fn > 7)
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

static int parse_args(int argc, char **argv)
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

/* --- host sysfs ----------------------------------------------------- */

static int read_line(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	ok = fgets(buf, len, f) != NULL;
	fclose(f);
	if (!ok)
		return -EIO;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static void note_skipped(const struct dev *d, int i, const struct bar *b)
{
	if (i == 6)
		notice("%s rom %s: an expansion ROM cannot be fixed; the guest places it",
		       d->bdf, res_str(b));
	else if (i > 6)
		notice("%s VF BAR %d %s: SR-IOV VF BARs cannot be fixed; the guest places them",
		       d->bdf, i - 7, res_str(b));
	else
		notice("%s bar%d %s: an I/O BAR cannot be fixed; the guest places it",
		       d->bdf, i, res_str(b));
}

/* the named BAR @i that read_resources() did not take: why */
static int bad_wanted_bar(const struct dev *d, int i, const struct bar *all)
{
	if (i > 0 && all[i - 1].flags & IORESOURCE_MEM_64 &&
	    all[i - 1].end > all[i - 1].start)
		return usage_error("%s: bar%d is the upper half of 64-bit bar%d %s; name bar%d",
				   d->bdf, i, i - 1, res_str(&all[i - 1]),
				   i - 1);
	if (all[i].flags & IORESOURCE_IO)
		return usage_error("%s: bar%d %s is an I/O BAR; only memory BARs can be fixed",
				   d->bdf, i, res_str(&all[i]));
	return usage_error("%s: bar%d is not implemented (size 0)", d->bdf, i);
}

/* the resource lines: 0-5 BARs, 6 ROM, 7-12 VF BARs, then bridge windows */
static int read_resources(struct dev *d, const char *dir)
{
	struct bar all[13] = { 0 };
	unsigned long long s, e, f;
	char path[512], line[128];
	bool upper = false;
	FILE *fp;
	int i, n = 0;

	snprintf(path, sizeof(path), "%s/resource", dir);
	fp = fopen(path, "r");
	if (!fp)
		return usage_error("%s: cannot read %s: %s", d->bdf, path,
				   strerror(errno));
	while (n < 13 && fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%llx %llx %llx", &s, &e, &f) != 3 || e < s) {
			fclose(fp);
			return usage_error("%s: %s line %d is not 'start end flags': '%.*s'",
					   d->bdf, path, n + 1,
					   (int)strcspn(line, "\n"), line);
		}
		all[n].index = n;
		all[n].start = s;
		all[n].end = e;
		all[n].flags = f;
		n++;
	}
	fclose(fp);
	if (n < 6)
		return usage_error("%s: %s has %d lines, not at least 6",
				   d->bdf, path, n);

	for (i = 0; i < n; i++) {
		bool sized = all[i].end > all[i].start || all[i].flags;

		if (upper) { /* the high half of the 64-bit BAR before */
			upper = false;
			continue;
		}
		if (i < NR_BARS && all[i].flags & IORESOURCE_MEM_64)
			upper = true;
		if (!sized ||
		    !(all[i].flags & (IORESOURCE_IO | IORESOURCE_MEM)))
			continue;
		if (i < NR_BARS && all[i].flags & IORESOURCE_IO)
			d->has_io = true;
		if (i >= NR_BARS || all[i].flags & IORESOURCE_IO) {
			if (!d->want)
				note_skipped(d, i, &all[i]);
			continue;
		}
		if (d->want && !(d->want & 1u << i))
			continue;
		d->bars[d->nr_bars++] = all[i];
	}
	for (i = 0; i < NR_BARS; i++) {
		bool taken = false;
		int j;

		if (!(d->want & 1u << i))
			continue;
		for (j = 0; j < d->nr_bars; j++)
			taken |= d->bars[j].index == i;
		if (!taken)
			return bad_wanted_bar(d, i, all);
	}
	return 0;
}

static int read_dev(struct dev *d)
{
	char dir[512], vendor[16] = "", device[16] = "", link[512];

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", opt.sysfs, d->bdf);
	if (access(dir, F_OK))
		return usage_error("%s: no such device in %s/bus/pci/devices (lspci -D lists the host's devices)",
				   d->bdf, opt.sysfs);
	if (!read_line(dir, "vendor", vendor, sizeof(vendor)) &&
	    !read_line(dir, "device", device, sizeof(device)) &&
	    !strncmp(vendor, "0x", 2) && !strncmp(device, "0x", 2))
		snprintf(d->id, sizeof(d->id), "%.4s:%.4s", vendor + 2,
			 device + 2);
	snprintf(link, sizeof(link), "%s/physfn", dir);
	d->vf = !access(link, F_OK);
	if (read_resources(d, dir))
		return EXIT_USAGE;
	if (!d->nr_bars)
		notice("%s: no memory BAR to fix; it is passed through as it is",
		       d->bdf);
	return 0;
}

/* --- the guest topology --------------------------------------------- */

static bool same_hop(const struct hop *a, const struct hop *b)
{
	return a->slot == b->slot && a->fn == b->fn;
}

static void format_path(struct dev *d)
{
	int i, n;

	n = snprintf(d->path, sizeof(d->path), "0000:00:%02x.%x",
		     d->hops[0].slot, d->hops[0].fn);
	for (i = 1; i < d->depth; i++)
		n += snprintf(d->path + n, sizeof(d->path) - n, "/%02x.%x",
			      d->hops[i].slot, d->hops[i].fn);
}

static int find_port(const struct hop *at)
{
	int i;

	for (i = 0; i < nr_ports; i++)
		if (same_hop(&ports[i].at, at))
			return i;
	return -1;
}

static int add_port(const struct hop *at)
{
	struct port *p = &ports[nr_ports];

	p->at = *at;
	if (at->fn)
		snprintf(p->qid, sizeof(p->qid), "fxrp%02x-%x", at->slot,
			 at->fn);
	else
		snprintf(p->qid, sizeof(p->qid), "fxrp%02x", at->slot);
	return nr_ports++;
}

/* a root-bus slot.fn that no given guest path uses */
static bool hop_used(const struct hop *h)
{
	int i;

	for (i = 0; i < nr_devs; i++)
		if (devs[i].path_given && same_hop(&devs[i].hops[0], h))
			return true;
	return false;
}

static unsigned int last_slot(void)
{
	return opt.machine == MACH_Q35 ? Q35_LAST_SLOT : VIRT_LAST_SLOT;
}

/* the next proposed root port position, skipping given paths' slots */
static int next_port_hop(unsigned int *n, struct hop *h)
{
	do {
		h->slot = opt.first_slot + *n / opt.ports_per_slot;
		h->fn = *n % opt.ports_per_slot;
		(*n)++;
		if (h->slot > last_slot())
			return usage_error("no free pcie.0 slot for another root port (slots 0x%02x-0x%02x); use --first-slot, --ports-per-slot or BDF=GUESTPATH",
					   opt.first_slot, last_slot());
	} while (hop_used(h) || find_port(h) >= 0);
	return 0;
}

static bool in_group(int i, int first)
{
	const struct dev *d = &devs[i], *f = &devs[first];

	if (d->path_given || d->port >= 0)
		return false;
	if (i == first)
		return true;
	return !opt.split_functions && d->domain == f->domain &&
	       d->bus == f->bus && d->host.slot == f->host.slot;
}

/* functions of one host card share a root port, as functions */
static void place_group(int first, int port)
{
	bool has_fn0 = false;
	int i, k = 0;

	for (i = first; i < nr_devs; i++)
		if (in_group(i, first))
			has_fn0 |= !devs[i].host.fn;
	for (i = first; i < nr_devs; i++) {
		struct dev *d = &devs[i];

		if (!in_group(i, first))
			continue;
		/* keep host function numbers when function 0 comes along */
		d->hops[1].fn = has_fn0 ? d->host.fn : (unsigned int)k++;
		d->hops[1].slot = 0;
		d->hops[0] = ports[port].at;
		d->depth = 2;
		d->port = port;
		ports[port].has_io |= d->has_io;
	}
}

/* @a's guest path is a proper prefix of @b's: @a would be a bridge */
static bool path_prefix(const struct dev *a, const struct dev *b)
{
	return a->depth < b->depth &&
	       !memcmp(a->hops, b->hops, a->depth * sizeof(a->hops[0]));
}

static int check_given_path(struct dev *d)
{
	int i;

	if (d->depth >= 2 && d->hops[1].slot)
		return usage_error("%s: guest path %s: below a root port a device sits at slot 00",
				   d->arg, d->path);
	for (i = 0; i < nr_devs; i++) {
		const struct dev *o = &devs[i];

		if (o == d || !o->path_given)
			continue;
		if (!strcmp(o->path, d->path))
			return usage_error("%s and %s: both at guest path %s",
					   d->bdf, o->bdf, d->path);
		if (path_prefix(d, o))
			return usage_error("%s: guest path %s is a bridge above %s (%s)",
					   d->arg, d->path, o->bdf, o->path);
	}
	if (d->depth == 1 && find_port(&d->hops[0]) >= 0)
		return usage_error("%s: guest path %s is a root port another device sits below",
				   d->arg, d->path);
	return 0;
}

static void mark_multifunction(void)
{
	int i, j;

	for (i = 0; i < nr_ports; i++)
		for (j = 0; j < nr_ports; j++)
			if (i != j && ports[i].at.slot == ports[j].at.slot &&
			    !ports[i].at.fn)
				ports[i].multifunction = true;
}

static int propose_topology(void)
{
	unsigned int n = 0;
	struct hop h;
	int i, err;

	/* given paths one level below the root bus: we create the port */
	for (i = 0; i < nr_devs; i++) {
		struct dev *d = &devs[i];

		if (!d->path_given)
			continue;
		format_path(d);
		if (d->depth != 2)
			continue;
		d->port = find_port(&d->hops[0]);
		if (d->port < 0)
			d->port = add_port(&d->hops[0]);
		ports[d->port].has_io |= d->has_io;
	}
	for (i = 0; i < nr_devs; i++) {
		if (!devs[i].path_given)
			continue;
		err = check_given_path(&devs[i]);
		if (err)
			return err;
	}
	for (i = 0; i < nr_devs; i++) {
		if (devs[i].path_given || devs[i].port >= 0)
			continue;
		err = next_port_hop(&n, &h);
		if (err)
			return err;
		place_group(i, add_port(&h));
	}
	for (i = 0; i < nr_devs; i++) {
		format_path(&devs[i]);
		if (devs[i].depth > 2 && opt.format != FMT_LIBVIRT)
			notice("%s: guest path %s is below bridges this tool does not create; give its -device line the bus= of the bridge at the last hop",
			       devs[i].bdf, devs[i].path);
	}
	mark_multifunction();
	return 0;
}

/* --- the machine's windows ------------------------------------------ */

static unsigned int bits_for(u64 end_exclusive)
{
	unsigned int n = 0;

	while (n < 64 && (1ULL << n) < end_exclusive)
		n++;
	return n;
}

static bool high_bar(const struct bar *b)
{
	return b->end >= SZ_4G;
}

/* the lowest start and highest end of the fixed BARs above 4 GiB */
static bool high_span(u64 *lo, u64 *hi)
{
	bool any = false;
	int i, j;

	*lo = ~0ULL;
	*hi = 0;
	for (i = 0; i < nr_devs; i++)
		for (j = 0; j < devs[i].nr_bars; j++) {
			const struct bar *b = &devs[i].bars[j];

			if (!high_bar(b) || b->start < SZ_4G)
				continue;
			any = true;
			*lo = b->start < *lo ? b->start : *lo;
			*hi = b->end > *hi ? b->end : *hi;
		}
	return any;
}

static u64 q35_below_4g(void)
{
	u64 lowmem = opt.ram >= 0xb0000000ULL ? 0x80000000ULL : 0xb0000000ULL;

	return opt.ram < lowmem ? opt.ram : lowmem;
}

/*
 * OVMF ignores the SeaBIOS-style hole: it puts its 64-bit aperture at
 * ALIGN_UP(end of RAM, X-PciMmio64Mb rounded down to a power of two), of
 * that size, and assigns BARs upwards from its base; QEMU's _CRS starts at
 * the lowest assigned 64-bit BAR (or the end of RAM) and spans
 * pci-hole64-size, kept as for SeaBIOS so that it reaches the highest BAR
 * from either start.  Unless the size is at least 1/8 of the physical
 * address space, OVMF (edk2 2022.11 on) moves the aperture to its top
 * eighth instead.  So: the smallest power of two Z whose aligned aperture
 * [B, B + Z) holds every fixed BAR, with phys-bits <= log2(Z) + 3.
 */
static void ovmf_window(u64 ram_end, u64 lo, u64 hi)
{
	u64 z, base, top;
	unsigned int bits;

	for (z = SZ_1G; z && z <= (1ULL << 52); z <<= 1) {
		base = align_up(ram_end, z);
		if (base > lo)
			break;
		top = base + (win.hole64_size > z ? win.hole64_size : z);
		bits = bits_for(top) < 40 ? 40 : bits_for(top);
		if (base + z - 1 < hi || z < (1ULL << (bits - 3)))
			continue;
		win.ovmf_mmio64 = z;
		win.phys_bits = bits;
		win.start = base;
		win.end = top - 1;
		win.max_ram = 0;
		return;
	}
	check_error("--firmware ovmf: no OVMF aperture above guest RAM (ending at %s) holds the fixed BARs %s; lower --guest-ram",
		    size_str(ram_end), range_str(lo, hi));
}

static void q35_window(void)
{
	u64 lo, hi, above = opt.ram - q35_below_4g(), start;

	start = align_up(SZ_4G + above, SZ_1G);
	/* RAM may grow until the hole would start above the lowest BAR */
	win.max_ram = 0;
	if (!high_span(&lo, &hi))
		return;
	if (align_down(lo, SZ_1G) >= SZ_4G)
		win.max_ram = align_down(lo, SZ_1G) - SZ_4G + 0x80000000ULL;
	win.hole64_size = hi >= start ? align_up(hi + 1, SZ_1G) - start : SZ_1G;
	/* QEMU relocates RAM above 4 GiB to 1 TiB for AMD guests (pc.c) */
	if (opt.amd && start + win.hole64_size - 1 >= AMD_HT_START) {
		u64 unmoved = start;

		start = align_up(SZ_1T + above, SZ_1G);
		win.max_ram = 0;
		/* the same top, from the new start (a BAR below it is refused) */
		win.hole64_size =
			hi >= start ? align_up(hi + 1, SZ_1G) - start : SZ_1G;
		/*
		 * QEMU decides the move from the unmoved start and this size
		 * (pc_max_used_gpa): keep that end past AMD_HT_START, or a
		 * BAR just above 1 TiB gets a small hole left at 4 GiB
		 */
		if (unmoved + win.hole64_size - 1 < AMD_HT_START)
			win.hole64_size =
				align_up(AMD_HT_START - unmoved + 1, SZ_1G);
	}
	win.start = start;
	win.end = align_up(start + win.hole64_size, SZ_1G) - 1;
	win.phys_bits = bits_for(win.end + 1);
	if (win.phys_bits < 40)
		win.phys_bits = 40;
	snprintf(win.option, sizeof(win.option), "-global");
	snprintf(win.value, sizeof(win.value), "q35-pcihost.pci-hole64-size=%s",
		 size_str(win.hole64_size));
	if (opt.ovmf)
		ovmf_window(start, lo, hi);
}

/* where virt puts its high regions after the RAM (virt_set_memmap) */
static void virt_high_regions(u64 *min_base, u64 *default_base)
{
	u64 base = align_up(VIRT_RAM_START + opt.ram, SZ_1G);

	if (base < SZ_256G)
		base = SZ_256G;
	base = align_up(base, SZ_64M) + SZ_64M; /* GIC redistributors */
	base = align_up(base, SZ_256M) + SZ_256M; /* ECAM */
	*min_base = align_up(base, SZ_1G);
	*default_base = align_up(base, SZ_512G);
}

static void virt_window(void)
{
	u64 lo, hi, min_base, base;

	virt_high_regions(&min_base, &base);
	win.start = base;
	win.end = base + SZ_512G - 1;
	if (!high_span(&lo, &hi) || !opt.patched ||
	    (lo >= win.start && hi <= win.end))
		goto done;
	if (lo < base)
		base = align_down(lo, SZ_1G) < min_base ? min_base :
							  align_down(lo, SZ_1G);
	win.start = base;
	win.end = (hi > win.end ? align_up(hi + 1, SZ_1G) : win.end + 1) - 1;
	snprintf(win.option, sizeof(win.option), "-machine");
	snprintf(win.value, sizeof(win.value),
		 "highmem-mmio-window=0x%llx:0x%llx",
		 (unsigned long long)win.start,
		 (unsigned long long)(win.end - win.start + 1));
done:
	win.phys_bits = bits_for(win.end + 1);
}

/* --- checks --------------------------------------------------------- */

static bool overlaps(u64 s1, u64 e1, u64 s2, u64 e2)
{
	return s1 <= e2 && s2 <= e1;
}

static void check_bar_shape(const struct dev *d, struct bar *b)
{
	u64 size = b->end - b->start + 1;

	if (!b->start || b->flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED))
		check_error("%s bar%d %s: not assigned on the host, so there is no address to keep; assign it on the host (BIOS settings, pci=realloc) or leave it out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	else if (size & (size - 1))
		check_error("%s bar%d %s: size 0x%llx is not a power of two; the sysfs resource file is inconsistent, check the device on the host",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)size);
	else if (b->start & (size - 1))
		check_error("%s bar%d %s: not aligned to its size 0x%llx, which no BAR can be; the sysfs resource file is inconsistent, check the device on the host",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)size);
	else if (b->start < SZ_4G && b->end >= SZ_4G)
		check_error("%s bar%d %s: crosses 4 GiB, which no BAR can; check the device on the host",
			    d->bdf, b->index, res_str(b));
	else if (!(b->flags & IORESOURCE_MEM_64) && b->end >= SZ_4G)
		check_error("%s bar%d %s: a 32-bit BAR above 4 GiB; check the device on the host",
			    d->bdf, b->index, res_str(b));
	else
		return;
	/* later checks skip it */
	b->flags |= IORESOURCE_DISABLED;
}

static bool bar_ok(const struct bar *b)
{
	return !(b->flags & IORESOURCE_DISABLED);
}

static void check_bar_low_q35(const struct dev *d, const struct bar *b)
{
	u64 ram = q35_below_4g();

	if (b->start < ram)
		check_error("%s bar%d %s: inside the guest's RAM below 4 GiB [mem 0x00000000-0x%08llx] (q35 with %s of RAM); leave this BAR out (%s:bar...) or give the guest less RAM (--guest-ram)",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)ram - 1, size_str(opt.ram),
			    d->bdf);
	else if (overlaps(b->start, b->end, Q35_MMCONFIG_START,
			  Q35_MMCONFIG_END))
		check_error("%s bar%d %s: overlaps the q35 MMCONFIG area [mem 0xb0000000-0xbfffffff]; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	else if (b->end > Q35_HOLE32_END)
		check_error("%s bar%d %s: above the q35 32-bit PCI hole, which ends at 0xfebfffff (IOAPIC, HPET, LAPIC, BIOS follow); leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

static void check_bar_low_virt(const struct dev *d, const struct bar *b)
{
	if (overlaps(b->start, b->end, VIRT_RAM_START,
		     VIRT_RAM_START + opt.ram - 1))
		check_error("%s bar%d %s: inside the guest's RAM [mem 0x%08llx-0x%08llx] (virt with %s of RAM); leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b),
			    (unsigned long long)VIRT_RAM_START,
			    (unsigned long long)(VIRT_RAM_START + opt.ram - 1),
			    size_str(opt.ram), d->bdf);
	else if (b->start < VIRT_MMIO32_START || b->end > VIRT_MMIO32_END)
		check_error("%s bar%d %s: outside the virt 32-bit PCI window [mem 0x10000000-0x3efeffff]; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

static void check_bar_high(const struct dev *d, const struct bar *b)
{
	if (opt.machine == MACH_Q35 && b->start < win.start) {
		if (opt.amd && win.start > SZ_1T)
			check_error("%s bar%d %s: below the 64-bit PCI hole %s: with an AMD guest CPU and a hole reaching 0xfd00000000, QEMU moves the RAM above 4 GiB to 1 TiB; use an Intel CPU model or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    range_str(win.start, win.end), d->bdf);
		else
			check_error("%s bar%d %s: below the 64-bit PCI hole, which starts after the guest's RAM at 0x%llx (q35 with %s of RAM); give the guest less RAM (--guest-ram) or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    (unsigned long long)win.start,
				    size_str(opt.ram), d->bdf);
	} else if (opt.machine == MACH_Q35 && opt.amd &&
		   overlaps(b->start, b->end, AMD_HT_START, AMD_HT_END)) {
		check_error("%s bar%d %s: inside the AMD HyperTransport range [mem 0xfd00000000-0xffffffffff] that an AMD guest reserves; leave this BAR out (%s:bar...)",
			    d->bdf, b->index, res_str(b), d->bdf);
	} else if (opt.machine == MACH_VIRT &&
		   (b->start < win.start || b->end > win.end)) {
		if (opt.patched)
			check_error("%s bar%d %s: below where virt can place its high PCI window (after the RAM, GIC redistributors and ECAM); leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b), d->bdf);
		else
			check_error("%s bar%d %s: outside the virt high PCI window %s, which unpatched QEMU cannot move; use QEMU with the fixed-bars patches (--patched: -machine highmem-mmio-window=) or leave this BAR out (%s:bar...)",
				    d->bdf, b->index, res_str(b),
				    range_str(win.start, win.end), d->bdf);
	}
	if (d->depth >= 2 && !(b->flags & IORESOURCE_PREFETCH))
		check_error("%s bar%d %s: a non-prefetchable BAR above 4 GiB cannot sit below a bridge (Linux puts it in the bridge's 32-bit memory window; docs/fixedbar-host.md); pass the device through on the root bus (%s=0000:00:SS.0)",
			    d->bdf, b->index, res_str(b), d->bdf);
}

struct fixed_ref {
	const struct dev *d;
	const struct bar *b;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct fixed_ref *x = a, *y = b;

	return x->b->start < y->b->start ? -1 : x->b->start > y->b->start;
}

static void check_overlaps(void)
{
	struct fixed_ref refs[MAX_DEVS * NR_BARS];
	int i, j, n = 0, top = -1;

	for (i = 0; i < nr_devs; i++)
		for (j = 0; j < devs[i].nr_bars; j++)
			if (bar_ok(&devs[i].bars[j]))
				refs[n++] =
					(struct fixed_ref){ &devs[i],
							    &devs[i].bars[j] };
	qsort(refs, n, sizeof(refs[0]), cmp_ref);
	for (i = 0; i < n; i++) {
		if (top >= 0 && refs[i].b->start <= refs[top].b->end)
			check_error("%s bar%d %s overlaps %s bar%d %s; a host cannot have assigned both, check the devices on the host",
				    refs[i].d->bdf, refs[i].b->index,
				    res_str(refs[i].b), refs[top].d->bdf,
				    refs[top].b->index, res_str(refs[top].b));
		if (top < 0 || refs[i].b->end > refs[top].b->end)
			top = i;
	}
}

/* the range a bridge's window must cover for the fixed BARs below it */
struct hull {
	u64 lo, hi;
	bool any;
};

/* @pref: 64-bit prefetchable above 4 GiB (pref window); else mem window */
static void add_to_hull(struct hull *h, const struct bar *b)
{
	u64 lo = align_down(b->start, SZ_1M),
	    hi = align_up(b->end + 1, SZ_1M) - 1;

	if (!h->any || lo < h->lo)
		h->lo = lo;
	if (!h->any || hi > h->hi)
		h->hi = hi;
	h->any = true;
}

/* bridge @d->hops[0..len-1]: the windows the fixed BARs below it need */
static void bridge_hulls(const struct dev *d, int len, struct hull *mem,
			 struct hull *pref)
{
	int i, j, k;

	memset(mem, 0, sizeof(*mem));
	memset(pref, 0, sizeof(*pref));
	for (i = 0; i < nr_devs; i++) {
		if (devs[i].depth <= len)
			continue;
		for (k = 0; k < len; k++)
			if (!same_hop(&devs[i].hops[k], &d->hops[k]))
				break;
		if (k < len)
			continue;
		for (j = 0; j < devs[i].nr_bars; j++) {
			const struct bar *b = &devs[i].bars[j];

			if (!bar_ok(b))
				continue;
			if (!(b->flags & IORESOURCE_PREFETCH))
				add_to_hull(mem, b);
			else if (high_bar(b))
				add_to_hull(pref, b);
			/* a 32-bit prefetchable BAR may go in either */
		}
	}
}

static const char *bridge_name(const struct dev *d, int len)
{
	static char bufs[2][64];
	static int next;
	char *s = bufs[next++ % 2];
	int i, n;

	n = snprintf(s, sizeof(bufs[0]), "0000:00:%02x.%x", d->hops[0].slot,
		     d->hops[0].fn);
	for (i = 1; i < len; i++)
		n += snprintf(s + n, sizeof(bufs[0]) - n, "/%02x.%x",
			      d->hops[i].slot, d->hops[i].fn);
	return s;
}

static void check_hull_pair(const struct dev *a, const struct dev *b, int len,
			    const struct hull *ha, const struct hull *hb)
{
	if (!ha->any || !hb->any || !overlaps(ha->lo, ha->hi, hb->lo, hb->hi))
		return;
	check_error("guest bridges %s (above %s) and %s (above %s) would need overlapping windows %s and %s: windows are 1 MiB granular, so fixed BARs below sibling bridges must lie in disjoint 1 MiB-aligned ranges; put the devices below one root port (BDF=0000:00:SS.0/00.F) or leave the small BARs out",
		    bridge_name(a, len), a->bdf, bridge_name(b, len), b->bdf,
		    range_str(ha->lo, ha->hi), range_str(hb->lo, hb->hi));
}

static void check_endpoint_vs_bridge(const struct dev *e, const struct dev *br,
				     int len, const struct hull *h)
{
	int j;

	for (j = 0; j < e->nr_bars; j++) {
		const struct bar *b = &e->bars[j];

		if (bar_ok(b) && h->any &&
		    overlaps(b->start, b->end, h->lo, h->hi))
			check_error("%s bar%d %s lies in the window %s that guest bridge %s needs for %s; leave this BAR out (%s:bar...) or move the device (BDF=GUESTPATH)",
				    e->bdf, b->index, res_str(b),
				    range_str(h->lo, h->hi),
				    bridge_name(br, len), br->bdf, e->bdf);
	}
}

/* @d is the first device below its bridge hops[0..len-1] */
static bool first_below(const struct dev *d, int len)
{
	int i;

	for (i = 0; &devs[i] != d; i++)
		if (devs[i].depth > len &&
		    !memcmp(devs[i].hops, d->hops, len * sizeof(d->hops[0])))
			return false;
	return true;
}

/*
 * For each pair that parts at hop k: sibling bridges, or a bridge and a
 * device on the same bus.
 */
static void check_sibling_windows(void)
{
	struct hull ma, pa, mb, pb;
	int i, j, k;

	for (i = 0; i < nr_devs; i++) {
		for (j = 0; j < nr_devs; j++) {
			const struct dev *a = &devs[i], *b = &devs[j];

			if (i == j)
				continue;
			for (k = 0; k < a->depth && k < b->depth; k++)
				if (!same_hop(&a->hops[k], &b->hops[k]))
					break;
			if (k >= b->depth - 1 || k == a->depth ||
			    !first_below(b, k + 1))
				continue; /* b is no bridge at hop k, or done */
			bridge_hulls(b, k + 1, &mb, &pb);
			if (k == a->depth - 1) {
				check_endpoint_vs_bridge(a, b, k + 1, &mb);
				check_endpoint_vs_bridge(a, b, k + 1, &pb);
				continue;
			}
			if (j < i || !first_below(a, k + 1))
				continue; /* each bridge pair once */
			bridge_hulls(a, k + 1, &ma, &pa);
			check_hull_pair(a, b, k + 1, &ma, &mb);
			check_hull_pair(a, b, k + 1, &pa, &pb);
		}
	}
}

static void run_checks(void)
{
	int i, j;

	if (opt.machine == MACH_Q35)
		q35_window();
	else
		virt_window();
	for (i = 0; i < nr_devs; i++) {
		for (j = 0; j < devs[i].nr_bars; j++) {
			struct dev *d = &devs[i];
			struct bar *b = &d->bars[j];

			check_bar_shape(d, b);
			if (!bar_ok(b))
				continue;
			if (high_bar(b))
				check_bar_high(d, b);
			else if (opt.machine == MACH_Q35)
				check_bar_low_q35(d, b);
			else
				check_bar_low_virt(d, b);
		}
	}
	check_overlaps();
	check_sibling_windows();
}

/* --- outputs -------------------------------------------------------- */

/* "bar0@0x...,bar2@0x..." joined with @sep; "+0x<size>" with @sizes */
static void bar_items(const struct dev *d, const char *sep, bool sizes,
		      char *buf, size_t len)
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

static void free_strv(char **v)
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
static const char *dev_bus(const struct dev *d)
{
	if (d->depth > 2)
		return NULL;
	return d->depth == 1 ? "pcie.0" : ports[d->port].qid;
}

/* QEMU arguments, pairs of option and value */
static json_t *qemu_args(void)
{
	json_t *a = json_array();
	char buf[640], items[512];
	const char *sep;
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
		const struct dev *d = &devs[i];
		const struct hop *h = &d->hops[d->depth - 1];
		bool multi = false;
		int j, n;

		for (j = 0; j < nr_devs; j++)
			multi |= j != i && !h->fn &&
				 devs[j].depth == d->depth &&
				 !memcmp(devs[j].hops, d->hops,
					 (d->depth - 1) * sizeof(*h)) &&
				 devs[j].hops[d->depth - 1].slot == h->slot;
		n = snprintf(buf, sizeof(buf), "vfio-pci,host=%s", d->bdf);
		if (dev_bus(d))
			n += snprintf(buf + n, sizeof(buf) - n, ",bus=%s",
				      dev_bus(d));
		n += snprintf(buf + n, sizeof(buf) - n, ",addr=0x%x.0x%x%s",
			      h->slot, h->fn, multi ? ",multifunction=on" : "");
		if (opt.patched && d->nr_bars) {
			sep = ",,"; /* QEMU's escape for a comma in a value */
			/* the patched QEMU property takes no sizes */
			bar_items(d, sep, false, items, sizeof(items));
			snprintf(buf + n, sizeof(buf) - n, ",fixed-bars=%s",
				 items);
		}
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

static json_t *hex(u64 v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_string(s);
}

static json_t *json_dev(const struct dev *d)
{
	json_t *o = json_object(), *bars = json_array();
	int j;

	/* "device" and "bdf" as in the other tools (docs/json-keys.md) */
	json_object_set_new(o, "device", json_string(d->path));
	json_object_set_new(o, "bdf", json_string(d->bdf));
	json_object_set_new(o, "host", json_string(d->bdf));
	json_object_set_new(o, "id",
			    d->id[0] ? json_string(d->id) : json_null());
	json_object_set_new(o, "vf", json_boolean(d->vf));
	json_object_set_new(o, "guest", json_string(d->path));
	json_object_set_new(o, "bus",
			    dev_bus(d) ? json_string(dev_bus(d)) : json_null());
	for (j = 0; j < d->nr_bars; j++) {
		const struct bar *b = &d->bars[j];
		json_t *jb = json_object();
		char name[8];

		snprintf(name, sizeof(name), "bar%d", b->index);
		json_object_set_new(jb, "name", json_string(name));
		json_object_set_new(jb, "start", hex(b->start));
		json_object_set_new(jb, "end", hex(b->end));
		json_object_set_new(jb, "size", hex(b->end - b->start + 1));
		json_object_set_new(jb, "mem64",
				    json_boolean(b->flags & IORESOURCE_MEM_64));
		json_object_set_new(jb, "prefetchable",
				    json_boolean(b->flags &
						 IORESOURCE_PREFETCH));
		json_array_append_new(bars, jb);
	}
	json_object_set_new(o, "bars", bars);
	return o;
}

/* what --format json prints; --format libvirt works from it */
static json_t *host_json(char **entries, int n)
{
	json_t *o = json_object(), *a = json_array(), *w, *e = json_array();
	size_t len = 1;
	char *map;
	int i;

	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "machine",
			    json_string(opt.machine == MACH_Q35 ? "q35" :
								  "virt"));
	json_object_set_new(o, "patched", json_boolean(opt.patched));
	if (opt.machine == MACH_Q35)
		json_object_set_new(o, "firmware",
				    json_string(opt.ovmf ? "ovmf" : "seabios"));
	json_object_set_new(o, "guest_ram", hex(opt.ram));
	if (win.start) {
		w = json_object();
		json_object_set_new(w, "start", hex(win.start));
		json_object_set_new(w, "end", hex(win.end));
		json_object_set_new(w, "option",
				    win.option[0] ? json_string(win.value) :
						    json_null());
		if (opt.machine == MACH_Q35)
			json_object_set_new(w, "max_guest_ram",
					    win.max_ram ? hex(win.max_ram) :
							  json_null());
		json_object_set_new(o, "window", w);
		json_object_set_new(o, "phys_bits",
				    json_integer(win.phys_bits));
	} else {
		json_object_set_new(o, "window", json_null());
		json_object_set_new(o, "phys_bits", json_null());
	}
	for (i = 0; i < nr_devs; i++)
		json_array_append_new(a, json_dev(&devs[i]));
	json_object_set_new(o, "devices", a);
	for (i = 0; i < n; i++)
		len += strlen(entries[i]) + 1;
	map = calloc(1, len);
	if (!map) {
		json_decref(e);
		json_decref(o);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(e, json_string(entries[i]));
		if (i)
			strcat(map, ";");
		strcat(map, entries[i]);
	}
	json_object_set_new(o, "entries", e);
	json_object_set_new(o, "map", json_string(map));
	free(map);
	json_object_set_new(o, "qemu", qemu_args());
	return o;
}

static int emit_json(FILE *f, char **entries, int n)
{
	struct libvirt_opts lv = { PROG, opt.cpu, opt.acpi_table };
	json_t *o = host_json(entries, n);
	int err = 0;

	if (!o)
		return usage_error("out of memory");
	if (opt.format == FMT_LIBVIRT) {
		err = emit_libvirt(f, o, &lv);
	} else {
		json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
	}
	json_decref(o);
	return err;
}

static int emit(void)
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

static void note_assumptions(void)
{
	if (!win.start)
		return;
	if (opt.machine == MACH_Q35 && opt.ovmf)
		notice("assuming OVMF (UEFI) firmware: its 64-bit aperture is %s (X-PciMmio64Mb)",
		       range_str(win.start, win.start + win.ovmf_mmio64 - 1));
	else if (opt.machine == MACH_Q35)
		notice("assuming SeaBIOS firmware (--firmware ovmf for UEFI guests)");
	if (opt.machine == MACH_Q35 && !opt.ram_given)
		notice("assuming %s of guest RAM (--guest-ram); the 64-bit hole starts after it",
		       size_str(opt.ram));
	if (opt.machine == MACH_Q35 && win.max_ram)
		notice("the 64-bit hole %s keeps the fixed BARs while guest RAM is at most %s",
		       range_str(win.start, win.end), size_str(win.max_ram));
	if (opt.machine == MACH_VIRT)
		notice("the guest's physical address size (CPU model, KVM IPA size) must reach %u bits",
		       win.phys_bits);
}

int main(int argc, char **argv)
{
	int err, i;

	err = parse_args(argc, argv);
	if (err)
		return err;
	for (i = 0; i < nr_devs; i++) {
		err = read_dev(&devs[i]);
		if (err)
			return err;
	}
	err = propose_topology();
	if (err)
		return err;
	run_checks();
	if (nr_errors)
		return EXIT_CHECK;
	note_assumptions();
	err = emit();
	if (!err)
		flush_notes();
	return err;
}
