/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixedbar-host: what its parts share (the requested devices, the proposed
 * guest topology, the machine's 64-bit window, the options).
 */
#ifndef FIXEDBAR_HOST_H
#define FIXEDBAR_HOST_H

#include <stdio.h>
#include <jansson.h>

#include "fixedbar_types.h"
#include "kres.h"

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

extern const char *const format_names[];

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

extern struct opts opt;
extern struct dev devs[MAX_DEVS];
extern int nr_devs;
extern struct port ports[MAX_DEVS];
extern int nr_ports;
extern struct window win;
extern int nr_errors;

/* @a: a power of two */
static inline u64 align_up(u64 x, u64 a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline u64 align_down(u64 x, u64 a)
{
	return x & ~(a - 1);
}

static inline bool same_hop(const struct hop *a, const struct hop *b)
{
	return a->slot == b->slot && a->fn == b->fn;
}

static inline bool high_bar(const struct bar *b)
{
	return b->end >= SZ_4G;
}

/* fixedbar-host.c: messages and the kernel's way of printing ranges */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *res_str(const struct bar *b);
const char *range_str(u64 start, u64 end);
const char *size_str(u64 size);

/* host_args.c: the command line */
int parse_args(int argc, char **argv);

/* host_sysfs.c: the host devices' BARs */
int read_dev(struct dev *d);

/* host_topo.c: the guest topology */
int propose_topology(void);

/* host_window.c: the machine's windows */
u64 q35_below_4g(void);
void q35_window(void);
void virt_window(void);

/* host_check.c: what the request needs of the machine */
void run_checks(void);

/* host_plan.c: the proposal through the guest module's planner */
int check_with_planner(char **entries, int n);

/* host_emit.c: the outputs */
void bar_items(const struct dev *d, const char *sep, bool sizes, char *buf,
	       size_t len);
void free_strv(char **v);
const char *dev_bus(const struct dev *d);
json_t *qemu_args(void);
int emit(void);

/* host_json.c: --format json and libvirt */
int emit_json(FILE *f, char **entries, int n);

#endif /* FIXEDBAR_HOST_H */
