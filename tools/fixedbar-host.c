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
#include <stdarg.h>

#include "host.h"

#ifndef FIXEDBAR_VERSION
#error "FIXEDBAR_VERSION comes from the top-level VERSION file (Makefile)"
#endif

struct opts opt;
struct dev devs[MAX_DEVS];
int nr_devs;
struct port ports[MAX_DEVS];
int nr_ports;
struct window win;
int nr_errors;

/* "fixedbar-host: ..." on standard error */
static void vmessage(const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* a failed check: one line, and the run exits 1 after all checks */
void check_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	nr_errors++;
}

/* notes wait for a run that succeeds, so that errors stand alone */
static char *notes;
static size_t notes_len;

void notice(const char *fmt, ...)
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
const char *res_str(const struct bar *b)
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

const char *range_str(u64 start, u64 end)
{
	static char bufs[4][64];
	static int next;
	char *s = bufs[next++ % 4];

	snprintf(s, sizeof(bufs[0]), "[mem 0x%08llx-0x%08llx]",
		 (unsigned long long)start, (unsigned long long)end);
	return s;
}

/* "2048G", "1T": a QEMU size */
const char *size_str(u64 size)
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
