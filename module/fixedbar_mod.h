/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci_fixedbar module internals: kernel glue around the pure planner.
 *
 * source.c   descriptor entries from firmware nodes and map=
 * snapshot.c the live hierarchy below a root bus as a struct fixedbar_topo
 * claimed.c  what else the resource tree holds in its windows
 * apply.c    the apply engine, hardware only through struct fixedbar_hw_ops
 * hwops.c    the real ops: config space and the resource tree
 * report.c   kernel log lines and the debugfs dump
 * bound.c    bound drivers as constraints: refuse, or pick what to unbind
 * hotplug.c  fixed marks after apply, hot-added devices, deferred entries
 * reserve_hint.c  hotplug-capable ports and the room they keep
 * rebar_guard.c   no BAR resize below a host bridge with a fixed resizable BAR
 */
#ifndef FIXEDBAR_MOD_H
#define FIXEDBAR_MOD_H

#include <linux/list.h>
#include <linux/pci.h>
#include "fixedbar.h"

/* firmware node compatible, for DT and ACPI PRP0001 alike */
#define FIXEDBAR_COMPATIBLE "linux,pci-fixedbar"
/* string-list property holding descriptor entries */
#define FIXEDBAR_PROP "fixed-bars"

/*
 * Everything the apply engine does to hardware goes through these, so a
 * test can run it against a simulated config space.  @parent is where a
 * resource was claimed before (rollback), or NULL to find the compatible
 * bus resource the way pci_claim_resource() does.
 */
struct fixedbar_hw_ops {
	int (*read_config)(struct pci_dev *dev, int where, int size, u32 *val);
	int (*write_config)(struct pci_dev *dev, int where, int size, u32 val);
	int (*claim)(struct pci_dev *dev, int resno, struct resource *parent);
	void (*release)(struct pci_dev *dev, int resno);
};

extern const struct fixedbar_hw_ops fixedbar_pci_ops;

/* struct resource as it was before apply */
struct fixedbar_saved_res {
	resource_size_t start;
	resource_size_t end;
	unsigned long flags;
	struct resource *parent;
};

/* one device of a group, indexed like topo.devs */
struct fixedbar_node {
	struct pci_dev *pdev;
	int sriov_pos;			/* SR-IOV capability, 0 if none */
	bool bound;			/* a driver is bound: the device is pinned */
	u8 msix_bars;			/* BARs with an enabled MSI-X table/PBA */
	bool needs_unbind;		/* rebind=1: a bound endpoint that moves */
	bool touched;			/* registers written */
	u16 cmd;
	u16 sriov_ctrl;
	u32 cfg[16];			/* header dwords 0x00..0x3c */
	u32 vf_bar[PCI_SRIOV_NUM_BARS];
	bool changed[PCI_NUM_RESOURCES];
	struct fixedbar_saved_res saved[PCI_NUM_RESOURCES];
};

/* everything below one root bus that descriptor entries name */
struct fixedbar_group {
	struct list_head list;
	struct pci_bus *root;
	struct fixedbar_topo topo;
	struct fixedbar_plan plan;
	bool planned;
	bool applied;
	struct fixedbar_node *nodes;	/* topo.nr_devs of them */
	u32 nr_guarded;			/* nodes locked and resumed (guard.c) */
	char *json;			/* debugfs dump */
	size_t json_len;
	struct dentry *dentry;
};

/* main.c */
extern bool fixedbar_dry_run;
struct pci_bus *fixedbar_root_bus(u16 domain, u8 nr);
int fixedbar_plan_group(struct fixedbar_group *g);
int fixedbar_apply_groups(struct list_head *groups);

/* param.c */
const char *fixedbar_param_map(void);

/* source.c */
int fixedbar_source_init(struct fixedbar_topo *wanted, const char *map);
void fixedbar_source_exit(void);
int fixedbar_pdev_path(struct pci_dev *pdev, char *buf, size_t len);
int fixedbar_source_add(const char *s, const char *path, const char *kind,
			const char *node);

/* source_acpi.c */
#ifdef CONFIG_ACPI
int fixedbar_source_acpi(void);
#else
static inline int fixedbar_source_acpi(void)
{
	return 0;
}
#endif

/* snapshot.c */
int fixedbar_snapshot(struct fixedbar_group *g, struct pci_bus *root,
		      const struct fixedbar_topo *wanted);
void fixedbar_group_free(struct fixedbar_group *g);
int fixedbar_slot_resno(int slot);
int fixedbar_win_resno(int win);

/* claimed.c */
int fixedbar_snapshot_claimed(struct fixedbar_group *g);

/* reserve_hint.c */
void fixedbar_snapshot_reserve(struct fixedbar_group *g);
bool fixedbar_hotplug_port(struct pci_dev *pdev);

/* apply.c */
int fixedbar_target_res(const struct fixedbar_group *g, int idx, int resno,
			struct resource *res);
void fixedbar_save(struct fixedbar_group *g, const struct fixedbar_hw_ops *ops);
/* marks resources the plan changes; returns how many */
int fixedbar_mark(struct fixedbar_group *g);
int fixedbar_apply(struct fixedbar_group *g, const struct fixedbar_hw_ops *ops);
void fixedbar_rollback(struct fixedbar_group *g,
		       const struct fixedbar_hw_ops *ops);

void fixedbar_res_label(char *buf, size_t len, int resno);
#ifdef CONFIG_FAULT_INJECTION
extern struct fault_attr fixedbar_fail_write;
#endif
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
struct dentry *fixedbar_fail_write_debugfs(struct dentry *parent);
#endif

/* bound.c */
int fixedbar_bound_plan_unpinned(struct fixedbar_group *g,
				 struct fixedbar_plan *p);
int fixedbar_bound_refuse(struct fixedbar_group *g,
			  const struct fixedbar_plan *p);
void fixedbar_bound_mark_unbind(struct fixedbar_group *g);

/* guard.c: device locks and runtime-PM references around the apply */
int fixedbar_guard(struct list_head *groups);
void fixedbar_unguard(struct list_head *groups);

/* hotplug.c */
int fixedbar_hotplug_present(const struct fixedbar_topo *wanted,
			     struct fixedbar_topo *present, bool log,
			     struct pci_dev *only);
void fixedbar_hotplug_mark(struct fixedbar_group *g);
int fixedbar_hotplug_init(const struct fixedbar_topo *wanted);
void fixedbar_hotplug_exit(void);

/* rebar_guard.c */
bool fixedbar_rebar_guard(struct pci_dev *pdev, int resno);
void fixedbar_rebar_unguard(void);

/* report.c */
const char *fixedbar_errno_hint(int err);
void fixedbar_report_init(void);
void fixedbar_report_moves(struct fixedbar_group *g);
int fixedbar_report_dump(struct fixedbar_group *g);
void fixedbar_report_exit(void);

#endif /* FIXEDBAR_MOD_H */
