/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_fixedbar planner interface.
 *
 * A topology (struct fixedbar_topo) describes one root bus: its apertures,
 * the tree of devices and bridges below it, what may not move, and the
 * fixed-BAR descriptor entries.  fixedbar_plan() turns it into a complete
 * layout (struct fixedbar_plan) or one precise error; fixedbar_validate()
 * independently checks a layout against every rule of the interchange
 * specification (docs/topology-json.md).
 *
 * Addresses are CPU physical addresses for memory and port numbers for I/O.
 * Ranges are inclusive [start, end], as in struct resource.
 */
#ifndef FIXEDBAR_H
#define FIXEDBAR_H

#include "fixedbar_types.h"

#define FIXEDBAR_FORMAT_VERSION 1

/* clang-format off */
#define FIXEDBAR_MAX_APERTURES 16	/* in a topology's input */
#define FIXEDBAR_MAX_PIECES 32		/* apertures with claimed ranges cut out */
#define FIXEDBAR_NAME_LEN 48		/* a claimed range's name */
#define FIXEDBAR_MAX_DEPTH 32		/* bridges between the root bus and a device */
#define FIXEDBAR_MSG_LEN 512
#define FIXEDBAR_MAX_WARNINGS 64
#define FIXEDBAR_MAX_ERR_ENTRIES 8
#define FIXEDBAR_PATH_LEN (16 + 5 * FIXEDBAR_MAX_DEPTH)
#define FIXEDBAR_RES_LEN 64		/* "[mem 0x...-0x... 64bit pref]" */

#define FIXEDBAR_4G 0x100000000ULL

enum fixedbar_res_type {
	FIXEDBAR_RES_IO,
	FIXEDBAR_RES_MEM,
};

/* BAR slots of a device */
enum {
	FIXEDBAR_BAR0 = 0,		/* bar0 .. bar5: slots 0..5 */
	FIXEDBAR_ROM_SLOT = 6,		/* rom */
	FIXEDBAR_VF_SLOT0 = 7,		/* vf0 .. vf5: slots 7..12 */
	FIXEDBAR_NR_SLOTS = 13,
};

/* Bridge windows */
enum fixedbar_win {
	FIXEDBAR_WIN_IO,
	FIXEDBAR_WIN_MEM,
	FIXEDBAR_WIN_PREF,
	FIXEDBAR_NR_WINDOWS,
};

struct fixedbar_range {
	bool assigned;			/* false: unassigned / disabled */
	u64 start;
	u64 end;			/* inclusive */
};

struct fixedbar_aperture {
	enum fixedbar_res_type type;
	bool pref;
	u64 start;
	u64 end;
};

/*
 * A range claimed by something that is no device of the topology (an e820
 * or ACPI reservation, a firmware framebuffer, MMCONFIG, ...): no BAR or
 * window may overlap it.
 */
struct fixedbar_reserved {
	enum fixedbar_res_type type;
	u64 start;
	u64 end;			/* inclusive */
	char name[FIXEDBAR_NAME_LEN];
};

struct fixedbar_bar {
	bool present;			/* implemented by the device */
	enum fixedbar_res_type type;
	bool mem64;
	bool pref;
	bool pinned;			/* this BAR may not move */
	u64 size;			/* per-VF size for VF BARs; power of two */
	u32 count;			/* VF BARs: number of VFs; 1 otherwise */
	struct fixedbar_range cur;	/* where it is now */
};

struct fixedbar_bridge {
	bool io;			/* implements an I/O window */
	bool io_1k;			/* ... with 1 KiB granularity */
	bool pref;			/* implements a prefetchable window */
	bool pref64;			/* ... which is 64-bit */
	bool hotplug;			/* a slot that can take a hot-added device */
	u64 reserve[FIXEDBAR_NR_WINDOWS];	/* hotplug reserve, 0 = none */
	struct fixedbar_range cur[FIXEDBAR_NR_WINDOWS];	/* current windows */
};

struct fixedbar_dev {
	u8 devfn;			/* slot << 3 | function */
	bool has_id;
	u16 vendor;
	u16 device;
	bool pinned;			/* nothing of this device may move */
	int parent;			/* index of the bridge above, -1 on the root bus */
	int first_child;		/* first device on the secondary bus, -1 none */
	int next_sibling;		/* next device on the same bus, -1 none */
	int depth;			/* 0 on the root bus */
	bool is_bridge;
	struct fixedbar_bridge br;	/* valid when is_bridge */
	struct fixedbar_bar bars[FIXEDBAR_NR_SLOTS];
};

/* One descriptor entry: a device path and the BARs fixed on it. */
struct fixedbar_entry {
	u16 domain;
	u8 bus;
	u8 nr_hops;			/* >= 1 */
	u8 devfn[FIXEDBAR_MAX_DEPTH + 1];	/* root bus device first */
	u8 nr_bars;
	struct {
		u8 bar;			/* 0..5 */
		u64 addr;
		u64 size;		/* "+SIZE": 0 when not given */
	} bars[6];
};

struct fixedbar_topo {
	u16 segment;
	u8 root_bus;
	u32 nr_apertures;
	/* FIXEDBAR_MAX_APERTURES from the input; more only in reserve.c */
	struct fixedbar_aperture apertures[FIXEDBAR_MAX_PIECES];
	/* devices, a parent always before its children */
	u32 nr_devs;
	u32 max_devs;
	struct fixedbar_dev *devs;
	int first_root;			/* first device on the root bus, -1 none */
	u32 nr_entries;
	u32 max_entries;
	struct fixedbar_entry *entries;
	u32 nr_reserved;
	u32 max_reserved;
	struct fixedbar_reserved *reserved;
};

struct fixedbar_plan_dev {
	struct fixedbar_range bars[FIXEDBAR_NR_SLOTS];
	struct fixedbar_range win[FIXEDBAR_NR_WINDOWS];
};

struct fixedbar_plan {
	int err;			/* 0 or a negative errno */
	char message[FIXEDBAR_MSG_LEN];
	u32 nr_err_entries;
	u32 err_entries[FIXEDBAR_MAX_ERR_ENTRIES];	/* indices into topo->entries */
	u32 nr_devs;
	struct fixedbar_plan_dev *devs;	/* indexed like topo->devs */
	u32 nr_warnings;
	char (*warnings)[FIXEDBAR_MSG_LEN];
};
/* clang-format on */

/* topo.c: building and describing topologies */
void fixedbar_topo_init(struct fixedbar_topo *t);
void fixedbar_topo_free(struct fixedbar_topo *t);
/* Appends a device below @parent (-1: root bus); returns its index or -ENOMEM. */
int fixedbar_topo_add_dev(struct fixedbar_topo *t, int parent, u8 devfn);
/*
 * Adds a parsed entry, merging it with an entry for the same device:
 * agreeing BARs merge, a BAR named twice with different addresses is
 * -EINVAL with @msg set.
 */
int fixedbar_topo_add_entry(struct fixedbar_topo *t,
			    const struct fixedbar_entry *e, char *msg,
			    size_t msglen);
/*
 * Appends a claimed range; a longer @name is cut.  -EINVAL when
 * @start > @end, -ENOMEM.
 */
int fixedbar_topo_add_reserved(struct fixedbar_topo *t,
			       enum fixedbar_res_type type, u64 start, u64 end,
			       const char *name);
/* Index of the first claimed range of @type overlapping [start, end], or -1 */
int fixedbar_topo_find_reserved(const struct fixedbar_topo *t,
				enum fixedbar_res_type type, u64 start,
				u64 end);
/* Index of the device an entry names, or -ENODEV (and @msg says why). */
int fixedbar_topo_find(const struct fixedbar_topo *t,
		       const struct fixedbar_entry *e, char *msg,
		       size_t msglen);
/* "0000:00:01.0/00.0" */
int fixedbar_dev_path(const struct fixedbar_topo *t, int dev, char *buf,
		      size_t len);
/* "bar2", "rom", "vf0" */
const char *fixedbar_slot_name(int slot);
/* slot number for a BAR name, or -EINVAL */
int fixedbar_slot_from_name(const char *name);
/* "window.io", ... */
const char *fixedbar_win_name(int win);
/* "[mem 0x80000000-0x800fffff 64bit pref]", "[io  0x1000-0x1fff]" (as %pR) */
int fixedbar_format_res(char *buf, size_t len, enum fixedbar_res_type type,
			u64 start, u64 end, bool mem64, bool pref);
int fixedbar_format_bar(char *buf, size_t len, const struct fixedbar_bar *b,
			u64 start);
/* "ENOSPC" for -ENOSPC; NULL when unknown */
const char *fixedbar_errname(int err);
/* -ENOSPC for "ENOSPC"; 0 when unknown */
int fixedbar_errno_from_name(const char *name);
/* total span of a BAR (size * count) */
static inline u64 fixedbar_bar_span(const struct fixedbar_bar *b)
{
	return b->size * (b->count ? b->count : 1);
}

/* parse.c: the descriptor grammar */
/*
 * Parses one entry ("0000:00:01.0/00.0=bar2@0x8000000000,bar4@0x...");
 * @len bytes of @s, which need not be NUL-terminated.  Returns 0 or
 * -EINVAL with a one-line reason in @msg.
 */
int fixedbar_parse_entry(const char *s, size_t len, struct fixedbar_entry *e,
			 char *msg, size_t msglen);
/* Parses a map (entries separated by ';') and adds each to @t. */
int fixedbar_parse_map(const char *s, struct fixedbar_topo *t, char *msg,
		       size_t msglen);
/* Formats an entry back into the grammar (canonical, lower case). */
int fixedbar_format_entry(const struct fixedbar_entry *e, char *buf,
			  size_t len);

/* plan.c */
/*
 * Plans a complete layout for @t.  Returns 0 and fills @p, or a negative
 * errno with p->err, p->message and p->err_entries set.  The plan always
 * passes fixedbar_validate() before it is returned; a plan that would not
 * is reported as -EFAULT (a planner bug), never returned as valid.
 * Free with fixedbar_plan_free() either way.
 */
int fixedbar_plan(const struct fixedbar_topo *t, struct fixedbar_plan *p);
void fixedbar_plan_free(struct fixedbar_plan *p);
/* true when the plan moves this resource */
bool fixedbar_plan_bar_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int slot);
bool fixedbar_plan_win_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int win);

/*
 * plan.c: the end of a plan made on @t2, a copy of @t with claimed ranges
 * cut out or placeholders added: unless @err, the plan must hold for @t
 * itself (-EFAULT otherwise); frees @t2 (may be NULL), sets p->err.
 */
int fixedbar_plan_copy_end(const struct fixedbar_topo *t,
			   struct fixedbar_topo *t2, struct fixedbar_plan *p,
			   int err);

/* reserve.c: planning around claimed ranges */
/*
 * fixedbar_plan() for a topology with claimed ranges: plans on a copy whose
 * apertures have them cut out and checks the result against @t.
 */
int fixedbar_plan_reserved(const struct fixedbar_topo *t,
			   struct fixedbar_plan *p);

/* absent.c: devices that are not there yet */
/*
 * The hotplug-capable port directly above the device @e names when that
 * device is absent (the path resolves up to the port), or -ENODEV.
 */
int fixedbar_topo_absent_port(const struct fixedbar_topo *t,
			      const struct fixedbar_entry *e);
/* every BAR of @e has a "+SIZE" */
bool fixedbar_entry_sized(const struct fixedbar_entry *e);
/* some entry keeps room for an absent device below a hotplug port */
bool fixedbar_topo_has_absent(const struct fixedbar_topo *t);
/*
 * fixedbar_plan() for a topology with such entries: plans with a
 * placeholder device for each and checks the result against @t.
 */
int fixedbar_plan_absent(const struct fixedbar_topo *t,
			 struct fixedbar_plan *p);

/* hint.c: hotplug reserves */
/* A per-window size, one bit in @have per window given */
struct fixedbar_hint {
	u8 have;
	u64 size[FIXEDBAR_NR_WINDOWS];
};
/*
 * QEMU's resource-reserve capability (PCIBridgeQemuCap), @len bytes of
 * config space from the capability's start.  -ENODEV when it is not one.
 */
int fixedbar_hint_from_qemu_cap(const u8 *cap, size_t len,
				struct fixedbar_hint *h);
/* The kernel's pci=hpiosize=,hpmmiosize=,hpmmioprefsize=,hpmemsize= */
void fixedbar_hint_from_cmdline(const char *cmdline, struct fixedbar_hint *h);
/*
 * Sets the reserves of bridge @dev from its current windows and children:
 * per window, the room QEMU's hint (@qemu, may be NULL) leaves beside what
 * the port's devices use now (the hint is a floor on the window's size) or,
 * on a hotplug-capable port without one, the free room the firmware left;
 * on a hotplug-capable port at least the room the command line's size
 * (@cmdline, may be NULL) leaves the same way.  A reserve never shrinks.
 */
void fixedbar_bridge_reserve(struct fixedbar_topo *t, int dev,
			     const struct fixedbar_hint *qemu,
			     const struct fixedbar_hint *cmdline);

/* minimize.c: the objective, and what moved */
/*
 * Puts moved resources of a feasible plan back where they are now while
 * the plan stays valid (fixed BARs never).  fixedbar_plan() runs it on
 * every feasible plan.  Returns 0, or an error with @p left as it was.
 */
int fixedbar_minimize(const struct fixedbar_topo *t, struct fixedbar_plan *p);
/* per device of @t, in @fixed (zeroed): the mask of its fixed BARs */
void fixedbar_mark_fixed(const struct fixedbar_topo *t, u16 *fixed);
/* resource @r: a BAR slot, or FIXEDBAR_NR_SLOTS + a window */
#define FIXEDBAR_NR_RES (FIXEDBAR_NR_SLOTS + FIXEDBAR_NR_WINDOWS)
/* a BAR the device implements, or a window the bridge implements */
bool fixedbar_res_exists(const struct fixedbar_dev *d, int r);
bool fixedbar_plan_res_moved(const struct fixedbar_topo *t,
			     const struct fixedbar_plan *p, int dev, int r);
/* how many BARs and windows the plan moves (0 for a failed plan) */
u32 fixedbar_plan_nr_moved(const struct fixedbar_topo *t,
			   const struct fixedbar_plan *p);

/* validate.c: independent of plan.c */
/*
 * Checks @p against every rule of "What makes a plan valid".  Returns 0,
 * or -EINVAL with the first violation described in @msg.
 */
int fixedbar_validate(const struct fixedbar_topo *t,
		      const struct fixedbar_plan *p, char *msg, size_t msglen);

#endif /* FIXEDBAR_H */
