// SPDX-License-Identifier: GPL-2.0
/*
 * Building and describing topologies: the device tree below one root bus,
 * the descriptor entries, and the names and formats every message uses.
 */
#include "fixedbar.h"

#define FIXEDBAR_INIT_CAP 16

void fixedbar_topo_init(struct fixedbar_topo *t)
{
	memset(t, 0, sizeof(*t));
	t->first_root = -1;
}

void fixedbar_topo_free(struct fixedbar_topo *t)
{
	fixedbar_free(t->devs);
	fixedbar_free(t->entries);
	fixedbar_free(t->reserved);
	fixedbar_topo_init(t);
}

/* Doubles an array of @nr elements of @size bytes; *@max is its capacity. */
static int grow(void **arr, u32 nr, u32 *max, size_t size)
{
	u32 cap = *max ? *max * 2 : FIXEDBAR_INIT_CAP;
	void *n;

	if (nr < *max)
		return 0;
	if (cap < *max || (size_t)cap > (size_t)-1 / size)
		return -ENOMEM;
	n = fixedbar_zalloc((size_t)cap * size);
	if (!n)
		return -ENOMEM;
	if (*arr)
		memcpy(n, *arr, (size_t)nr * size);
	fixedbar_free(*arr);
	*arr = n;
	*max = cap;
	return 0;
}

/*
 * Returns -EINVAL for a parent that does not exist or a device deeper than
 * FIXEDBAR_MAX_DEPTH bridges, -EEXIST for a devfn already on that bus.
 * Adding a child makes @parent a bridge.
 */
int fixedbar_topo_add_dev(struct fixedbar_topo *t, int parent, u8 devfn)
{
	struct fixedbar_dev *d;
	int *link;
	int idx, ret, i;

	if (parent < -1 || (parent >= 0 && (u32)parent >= t->nr_devs))
		return -EINVAL;
	if (parent >= 0 && t->devs[parent].depth >= FIXEDBAR_MAX_DEPTH)
		return -EINVAL;
	if (t->nr_devs >= 0x7fffffff)
		return -ENOMEM;

	link = parent < 0 ? &t->first_root : &t->devs[parent].first_child;
	while (*link >= 0) {
		if (t->devs[*link].devfn == devfn)
			return -EEXIST;
		link = &t->devs[*link].next_sibling;
	}

	ret = grow((void **)&t->devs, t->nr_devs, &t->max_devs, sizeof(*d));
	if (ret)
		return ret;

	idx = (int)t->nr_devs++;
	d = &t->devs[idx];
	memset(d, 0, sizeof(*d));
	d->devfn = devfn;
	d->parent = parent;
	d->first_child = -1;
	d->next_sibling = -1;
	d->depth = parent < 0 ? 0 : t->devs[parent].depth + 1;
	for (i = 0; i < FIXEDBAR_NR_SLOTS; i++)
		d->bars[i].count = 1;

	if (parent >= 0)
		t->devs[parent].is_bridge = true;
	link = parent < 0 ? &t->first_root : &t->devs[parent].first_child;
	while (*link >= 0)
		link = &t->devs[*link].next_sibling;
	*link = idx;
	return idx;
}

int fixedbar_topo_add_reserved(struct fixedbar_topo *t,
			       enum fixedbar_res_type type, u64 start, u64 end,
			       const char *name)
{
	struct fixedbar_reserved *r;
	int ret;

	if (start > end)
		return -EINVAL;
	ret = grow((void **)&t->reserved, t->nr_reserved, &t->max_reserved,
		   sizeof(*r));
	if (ret)
		return ret;
	r = &t->reserved[t->nr_reserved++];
	r->type = type;
	r->start = start;
	r->end = end;
	snprintf(r->name, sizeof(r->name), "%s", name ? name : "");
	return 0;
}

int fixedbar_topo_find_reserved(const struct fixedbar_topo *t,
				enum fixedbar_res_type type, u64 start, u64 end)
{
	u32 i;

	for (i = 0; i < t->nr_reserved; i++) {
		const struct fixedbar_reserved *r = &t->reserved[i];

		if (r->type == type && r->start <= end && start <= r->end)
			return (int)i;
	}
	return -1;
}

/* Accounts for one snprintf() into @buf; false once the buffer is full. */
static bool advance(size_t *used, size_t len, int w)
{
	if (w < 0 || (size_t)w >= len - *used) {
		*used = len - 1;
		return false;
	}
	*used += (size_t)w;
	return true;
}

/* "0000:00:01.0/00.0" for an entry's device */
static int entry_path(const struct fixedbar_entry *e, char *buf, size_t len)
{
	size_t used = 0;
	bool fits;
	int i;

	fits = advance(&used, len,
		       snprintf(buf, len, "%04x:%02x:%02x.%x", e->domain,
				e->bus, e->devfn[0] >> 3, e->devfn[0] & 7));
	for (i = 1; i < e->nr_hops && i <= FIXEDBAR_MAX_DEPTH && fits; i++)
		fits = advance(&used, len,
			       snprintf(buf + used, len - used, "/%02x.%x",
					e->devfn[i] >> 3, e->devfn[i] & 7));
	return fits ? (int)used : -ENOSPC;
}

static bool same_device(const struct fixedbar_entry *a,
			const struct fixedbar_entry *b)
{
	return a->domain == b->domain && a->bus == b->bus &&
	       a->nr_hops == b->nr_hops &&
	       !memcmp(a->devfn, b->devfn, a->nr_hops);
}

static int entry_sane(const struct fixedbar_entry *e)
{
	int i;

	if (!e->nr_hops || e->nr_hops > FIXEDBAR_MAX_DEPTH + 1 || !e->nr_bars ||
	    e->nr_bars > 6)
		return -EINVAL;
	for (i = 0; i < e->nr_bars; i++)
		if (e->bars[i].bar > 5)
			return -EINVAL;
	return 0;
}

/* A BAR of @e that @old fixes at another address or size: -EINVAL and @msg */
static int find_conflict(const struct fixedbar_entry *old,
			 const struct fixedbar_entry *e, char *msg,
			 size_t msglen)
{
	char path[FIXEDBAR_PATH_LEN];
	bool addr;
	int j, k;

	for (j = 0; j < e->nr_bars; j++) {
		for (k = 0; k < old->nr_bars; k++) {
			if (old->bars[k].bar != e->bars[j].bar)
				continue;
			addr = old->bars[k].addr != e->bars[j].addr;
			if (!addr && (!old->bars[k].size || !e->bars[j].size ||
				      old->bars[k].size == e->bars[j].size))
				continue;
			entry_path(e, path, sizeof(path));
			if (msg && msglen)
				snprintf(msg, msglen,
					 "%s bar%u fixed twice with different %s (0x%llx and 0x%llx)",
					 path, old->bars[k].bar,
					 addr ? "addresses" : "sizes",
					 (unsigned long long)(addr ? old->bars[k]
									      .addr :
								     old->bars[k]
									      .size),
					 (unsigned long long)(addr ? e->bars[j].addr :
								     e->bars[j]
									      .size));
			return -EINVAL;
		}
	}
	return 0;
}

int fixedbar_topo_add_entry(struct fixedbar_topo *t,
			    const struct fixedbar_entry *e, char *msg,
			    size_t msglen)
{
	struct fixedbar_entry *old = NULL;
	u32 i;
	int j, k, ret;

	if (entry_sane(e)) {
		if (msg && msglen)
			snprintf(msg, msglen, "malformed descriptor entry");
		return -EINVAL;
	}
	for (i = 0; i < t->nr_entries && !old; i++)
		if (same_device(&t->entries[i], e))
			old = &t->entries[i];

	/* check every BAR before merging any, so a conflict changes nothing */
	ret = find_conflict(e, e, msg, msglen);
	if (!ret && old)
		ret = find_conflict(old, e, msg, msglen);
	if (ret)
		return ret;

	if (!old) {
		ret = grow((void **)&t->entries, t->nr_entries, &t->max_entries,
			   sizeof(*e));
		if (ret)
			return ret;
		old = &t->entries[t->nr_entries++];
		*old = *e;
		old->nr_bars = 0;
	}
	for (j = 0; j < e->nr_bars; j++) {
		for (k = 0; k < old->nr_bars; k++)
			if (old->bars[k].bar == e->bars[j].bar)
				break;
		if (k == old->nr_bars)
			old->bars[old->nr_bars++] = e->bars[j];
		else if (e->bars[j].size)
			old->bars[k].size = e->bars[j].size;
	}
	return 0;
}

static int find_on_bus(const struct fixedbar_topo *t, int first, u8 devfn)
{
	int i;

	for (i = first; i >= 0; i = t->devs[i].next_sibling)
		if (t->devs[i].devfn == devfn)
			return i;
	return -1;
}

int fixedbar_topo_find(const struct fixedbar_topo *t,
		       const struct fixedbar_entry *e, char *msg, size_t msglen)
{
	char path[FIXEDBAR_PATH_LEN], up[FIXEDBAR_PATH_LEN];
	int i, dev = -1;

	entry_path(e, path, sizeof(path));
	if (e->domain != t->segment || e->bus != t->root_bus) {
		if (msg && msglen)
			snprintf(msg, msglen,
				 "%s: no bus %04x:%02x here (the root bus is %04x:%02x)",
				 path, e->domain, e->bus, t->segment,
				 t->root_bus);
		return -ENODEV;
	}
	if (!e->nr_hops || e->nr_hops > FIXEDBAR_MAX_DEPTH + 1) {
		if (msg && msglen)
			snprintf(msg, msglen, "%s: bad number of hops", path);
		return -ENODEV;
	}
	for (i = 0; i < e->nr_hops; i++) {
		int next;

		if (i && !t->devs[dev].is_bridge) {
			fixedbar_dev_path(t, dev, up, sizeof(up));
			if (msg && msglen)
				snprintf(msg, msglen,
					 "%s: no such device, %s is not a bridge",
					 path, up);
			return -ENODEV;
		}
		next = find_on_bus(t,
				   i ? t->devs[dev].first_child : t->first_root,
				   e->devfn[i]);
		if (next < 0) {
			if (msg && msglen && i)
				fixedbar_dev_path(t, dev, up, sizeof(up));
			if (msg && msglen && i)
				snprintf(msg, msglen,
					 "%s: no device %02x.%x below %s", path,
					 e->devfn[i] >> 3, e->devfn[i] & 7, up);
			else if (msg && msglen)
				snprintf(msg, msglen,
					 "%s: no device %02x.%x on root bus %04x:%02x",
					 path, e->devfn[i] >> 3,
					 e->devfn[i] & 7, t->segment,
					 t->root_bus);
			return -ENODEV;
		}
		dev = next;
	}
	return dev;
}

int fixedbar_dev_path(const struct fixedbar_topo *t, int dev, char *buf,
		      size_t len)
{
	int chain[FIXEDBAR_MAX_DEPTH + 1];
	int n = 0, i;
	size_t used = 0;
	bool fits;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (dev < 0 || (u32)dev >= t->nr_devs)
		return -EINVAL;
	for (i = dev; i >= 0 && n <= FIXEDBAR_MAX_DEPTH; i = t->devs[i].parent)
		chain[n++] = i;
	if (i >= 0)
		return -EINVAL;

	fits = advance(&used, len,
		       snprintf(buf, len, "%04x:%02x:%02x.%x", t->segment,
				t->root_bus, t->devs[chain[n - 1]].devfn >> 3,
				t->devs[chain[n - 1]].devfn & 7));
	for (i = n - 2; i >= 0 && fits; i--)
		fits = advance(&used, len,
			       snprintf(buf + used, len - used, "/%02x.%x",
					t->devs[chain[i]].devfn >> 3,
					t->devs[chain[i]].devfn & 7));
	return fits ? (int)used : -ENOSPC;
}

/* clang-format off */
static const char *const slot_names[FIXEDBAR_NR_SLOTS] = {
	"bar0", "bar1", "bar2", "bar3", "bar4", "bar5", "rom",
	"vf0", "vf1", "vf2", "vf3", "vf4", "vf5",
};
/* clang-format on */

const char *fixedbar_slot_name(int slot)
{
	if (slot < 0 || slot >= FIXEDBAR_NR_SLOTS)
		return "bar?";
	return slot_names[slot];
}

int fixedbar_slot_from_name(const char *name)
{
	int i;

	for (i = 0; i < FIXEDBAR_NR_SLOTS; i++)
		if (!strcmp(name, slot_names[i]))
			return i;
	return -EINVAL;
}

const char *fixedbar_win_name(int win)
{
	switch (win) {
	case FIXEDBAR_WIN_IO:
		return "window.io";
	case FIXEDBAR_WIN_MEM:
		return "window.mem";
	case FIXEDBAR_WIN_PREF:
		return "window.prefetchable";
	}
	return "window.?";
}

/*
 * As the kernel's %pR prints a PCI resource: "io  " padded to 4 hex digits,
 * "mem " padded to 8, "0x" always, a single number when start == end.
 */
int fixedbar_format_res(char *buf, size_t len, enum fixedbar_res_type type,
			u64 start, u64 end, bool mem64, bool pref)
{
	bool io = type == FIXEDBAR_RES_IO;
	int digits = io ? 4 : 8;
	int n;

	if (start == end)
		n = snprintf(buf, len, "[%s0x%0*llx%s%s]", io ? "io  " : "mem ",
			     digits, (unsigned long long)start,
			     !io && mem64 ? " 64bit" : "",
			     !io && pref ? " pref" : "");
	else
		n = snprintf(buf, len, "[%s0x%0*llx-0x%0*llx%s%s]",
			     io ? "io  " : "mem ", digits,
			     (unsigned long long)start, digits,
			     (unsigned long long)end,
			     !io && mem64 ? " 64bit" : "",
			     !io && pref ? " pref" : "");
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

int fixedbar_format_bar(char *buf, size_t len, const struct fixedbar_bar *b,
			u64 start)
{
	return fixedbar_format_res(buf, len, b->type, start,
				   start + fixedbar_bar_span(b) - 1, b->mem64,
				   b->pref);
}

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EINVAL, "EINVAL" },
	{ ENODEV, "ENODEV" },
	{ EBUSY, "EBUSY" },
	{ ENOSPC, "ENOSPC" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENOMEM, "ENOMEM" },
	{ EIO, "EIO" },
	{ EFAULT, "EFAULT" },
	{ ERANGE, "ERANGE" },
	{ ENOENT, "ENOENT" },
	{ EEXIST, "EEXIST" },
	{ EPERM, "EPERM" },
	{ E2BIG, "E2BIG" },
	{ ENXIO, "ENXIO" },
	{ EAGAIN, "EAGAIN" },
	{ EOVERFLOW, "EOVERFLOW" },
	{ ETIMEDOUT, "ETIMEDOUT" },
};

const char *fixedbar_errname(int err)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (-err == errnames[i].err)
			return errnames[i].name;
	return NULL;
}

int fixedbar_errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(name, errnames[i].name))
			return -errnames[i].err;
	return 0;
}
