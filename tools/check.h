/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fixedbar-check: the descriptor entries it compares with the live layout,
 * one per fixed BAR, each with the places it came from.
 */
#ifndef FIXEDBAR_CHECK_H
#define FIXEDBAR_CHECK_H

#include "fixedbar.h"

#define CHECK_PROG "fixedbar-check"

/* firmware and kernel sources (-s) */
enum {
	CHECK_SRC_DT = 1 << 0,
	CHECK_SRC_ACPI = 1 << 1,
	CHECK_SRC_CMDLINE = 1 << 2,
	CHECK_SRC_MODULE = 1 << 3,
	CHECK_SRC_ALL = (1 << 4) - 1,
};

struct check_want {
	struct fixedbar_entry dev; /* the device path, no BARs */
	char path[FIXEDBAR_PATH_LEN];
	u8 bar;
	u64 addr;
	u32 nr_from;
	char **from; /* "acpi SSDT1 \_SB_.FXBR", "cmdline" */
};

struct check_wants {
	u32 nr;
	u32 max;
	struct check_want *w;
	struct fixedbar_topo merged; /* finds a BAR fixed at two addresses */
	/* descriptors the module would not apply to any device */
	u32 nr_problems;
	char **problems;
	/* what -v tells: where the tool looked, AML it stepped over */
	u32 nr_notes;
	char **notes;
	bool verbose;
};

void check_wants_init(struct check_wants *ws);
void check_wants_free(struct check_wants *ws);
/* printf to stderr with the program name; returns -EINVAL */
int check_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int check_note(struct check_wants *ws, bool problem, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Adds the entries of @s (a map: entries separated by ';'), each prefixed
 * with "@dev_path=" when @dev_path is not NULL (per-device items).  A
 * malformed entry or a BAR fixed twice at different addresses prints one
 * line naming @from and returns -EINVAL.
 */
int check_add_string(struct check_wants *ws, const char *s,
		     const char *dev_path, const char *from);
/* The sources in @mask under the @sysfs and @proc trees. */
int check_read_firmware(struct check_wants *ws, unsigned int mask,
			const char *sysfs, const char *proc);
/* One entry per line (# comments), or a topology JSON's "fixed" array. */
int check_read_file(struct check_wants *ws, const char *file);
/* sorts by device path, then BAR */
void check_wants_sort(struct check_wants *ws);
/*
 * --svg: the root bus of the first entry (ROOT/sys and ROOT/proc) drawn
 * as fixedbar-plan --svg draws it, the entries of that bus fixed.
 */
int check_write_svg(const struct check_wants *ws, const char *sysfs,
		    const char *proc, const char *file);

#endif /* FIXEDBAR_CHECK_H */
