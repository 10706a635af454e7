// SPDX-License-Identifier: GPL-2.0
/*
 * What the module tells: one line per moved resource in the PCI core's
 * grammar, and /sys/kernel/debug/pci_fixedbar/<domain:bus>, the captured
 * topology in the interchange format with the plan under "plan", which
 * fixedbar-plan replays offline.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"
#include "emit.h"

static struct dentry *report_dir;

/* what a person can do about a planner error */
const char *fixedbar_errno_hint(int err)
{
	switch (err) {
	case -EINVAL:
		return "fix the descriptor entry";
	case -ENODEV:
		return "check the device path against lspci -t";
	case -EBUSY:
		return "choose another address or free the conflicting resource";
	case -EOPNOTSUPP:
		return "give the bridges a 64-bit prefetchable window or fix the BAR below 4 GiB";
	case -ENOSPC:
		return "enlarge the host bridge window (e.g. QEMU pci-hole64-size)";
	case -ETIMEDOUT:
		return "the planner's search gave up; fix fewer BARs or leave them more room";
	case -EIO:
		return "check that the VMM emulates the BAR and window registers";
	default:
		return "see the messages above";
	}
}

static void report_one(struct fixedbar_group *g, int idx, int resno)
{
	struct fixedbar_node *n = &g->nodes[idx];
	struct resource old = n->pdev->resource[resno], now;
	char label[16];

	old.start = n->saved[resno].start;
	old.end = n->saved[resno].end;
	old.flags = n->saved[resno].flags;
	fixedbar_target_res(g, idx, resno, &now);
	fixedbar_res_label(label, sizeof(label), resno);
	if (!(now.flags & (IORESOURCE_IO | IORESOURCE_MEM)) ||
	    (now.flags & IORESOURCE_UNSET))
		pci_info(n->pdev, "%s %pR: %s\n", label, &old,
			 fixedbar_dry_run ? "would be released" : "released");
	else
		pci_info(n->pdev, "%s %pR: %s %pR\n", label, &old,
			 fixedbar_dry_run ? "would move to" : "moved to", &now);
}

/* resource number of planner resource @r (a BAR slot or a window), or -1 */
static int report_resno(int r)
{
	if (r >= FIXEDBAR_NR_SLOTS)
		return fixedbar_win_resno(r - FIXEDBAR_NR_SLOTS);
	return fixedbar_slot_resno(r);
}

/* One line per BAR or window the plan moves, then the summary. */
void fixedbar_report_moves(struct fixedbar_group *g)
{
	u32 i, fixed = 0, kept = 0,
	       moved = fixedbar_plan_nr_moved(&g->topo, &g->plan);
	int r;

	/* an entry for an absent device keeps its ranges (planner/absent.c) */
	for (i = 0; i < g->topo.nr_entries; i++)
		if (fixedbar_topo_find(&g->topo, &g->topo.entries[i], NULL, 0) >= 0)
			fixed += g->topo.entries[i].nr_bars;
		else
			kept += g->topo.entries[i].nr_bars;
	for (i = 0; i < g->topo.nr_devs; i++)
		for (r = 0; r < FIXEDBAR_NR_RES; r++)
			if (fixedbar_res_exists(&g->topo.devs[i], r) &&
			    report_resno(r) >= 0 &&
			    fixedbar_plan_res_moved(&g->topo, &g->plan, i, r))
				report_one(g, i, report_resno(r));
	pr_info("%04x:%02x: %u fixed BAR%s at %s address%s, %u resource%s %s%s\n",
		g->topo.segment, g->topo.root_bus, fixed, fixed == 1 ? "" : "s",
		fixedbar_dry_run ? "planned" : fixed == 1 ? "its" : "their",
		fixed == 1 ? "" : "es", moved,
		moved == 1 ? "" : "s",
		fixedbar_dry_run ? "would move" : "moved",
		fixedbar_dry_run ? " (dry run, nothing written)" : "");
	if (kept)
		pr_info("%04x:%02x: %u range%s kept free for absent devices below hotplug ports\n",
			g->topo.segment, g->topo.root_bus, kept,
			kept == 1 ? "" : "s");
}

/* topology document with "plan" added as its last member */
static int report_build(struct fixedbar_group *g)
{
	struct fixedbar_buf b;
	size_t end;
	int ret;

	fixedbar_buf_init(&b);
	ret = fixedbar_emit_topo(&b, &g->topo);
	if (ret)
		goto out;
	end = b.len;
	while (end && b.data[end - 1] != '}')
		end--;
	if (!end) {
		ret = -EINVAL;
		goto out;
	}
	b.len = end - 1;
	fixedbar_buf_puts(&b, ",\n\"plan\": ");
	fixedbar_emit_plan(&b, &g->topo, &g->plan);
	ret = fixedbar_buf_puts(&b, "}\n");
	if (!ret) {
		/* fixedbar_buf allocates with kvzalloc: the group owns it now */
		g->json = b.data;
		g->json_len = b.len;
		return 0;
	}
out:
	fixedbar_buf_free(&b);
	return ret;
}

static ssize_t report_read(struct file *file, char __user *buf, size_t len,
			   loff_t *pos)
{
	struct fixedbar_group *g = file->private_data;

	return simple_read_from_buffer(buf, len, pos, g->json, g->json_len);
}

static const struct file_operations report_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = report_read,
	.llseek = default_llseek,
};

/*
 * Before the apply, with CONFIG_FAULT_INJECTION_DEBUG_FS: the directory and
 * the fail_write/ fault attribute of module/apply.c in it.
 */
void fixedbar_report_init(void)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	struct dentry *d;

	report_dir = debugfs_create_dir("pci_fixedbar", NULL);
	d = fixedbar_fail_write_debugfs(report_dir);
	if (IS_ERR(d))
		pr_warn("no debugfs fail_write attribute (%pe)\n", d);
#endif
}

/* Root only: it shows the whole physical layout. */
int fixedbar_report_dump(struct fixedbar_group *g)
{
	char name[16];
	int ret;

	ret = report_build(g);
	if (ret)
		return ret;
	if (!report_dir)
		report_dir = debugfs_create_dir("pci_fixedbar", NULL);
	snprintf(name, sizeof(name), "%04x:%02x", g->topo.segment,
		 g->topo.root_bus);
	g->dentry = debugfs_create_file(name, 0400, report_dir, g,
					&report_fops);
	return 0;
}

void fixedbar_report_exit(void)
{
	debugfs_remove_recursive(report_dir);
	report_dir = NULL;
}
