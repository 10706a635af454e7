// SPDX-License-Identifier: GPL-2.0
/*
 * JSON emitters for topologies and plans.  Plain C11 with no libc beyond
 * snprintf/memcpy/strlen, so the module can serve the same text from debugfs.
 * The device tree is walked iteratively through the sibling links: the
 * kernel stack stays flat whatever the depth.
 */
#include "emit.h"

#define FIXEDBAR_BUF_MIN 4096
/* "0000:00:01.0/00.0=bar0@0x...,...": a path and six "barN@0x<16>," */
#define FIXEDBAR_ENTRY_LEN (FIXEDBAR_PATH_LEN + 6 * 26)

void fixedbar_buf_init(struct fixedbar_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void fixedbar_buf_free(struct fixedbar_buf *b)
{
	fixedbar_free(b->data);
	fixedbar_buf_init(b);
}

static int buf_grow(struct fixedbar_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : FIXEDBAR_BUF_MIN;
	char *data;

	while (cap < need) {
		if (cap > (size_t)-1 / 2)
			return -ENOMEM;
		cap *= 2;
	}
	data = fixedbar_zalloc(cap);
	if (!data)
		return -ENOMEM;
	if (b->data)
		memcpy(data, b->data, b->len + 1);
	fixedbar_free(b->data);
	b->data = data;
	b->cap = cap;
	return 0;
}

int fixedbar_buf_put(struct fixedbar_buf *b, const char *s, size_t len)
{
	if (b->err)
		return b->err;
	if (b->len + len + 1 > b->cap || !b->data) {
		b->err = buf_grow(b, b->len + len + 1);
		if (b->err)
			return b->err;
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int fixedbar_buf_puts(struct fixedbar_buf *b, const char *s)
{
	return fixedbar_buf_put(b, s, strlen(s));
}

int fixedbar_buf_put_json_str(struct fixedbar_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char esc[7];

	fixedbar_buf_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			fixedbar_buf_put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			fixedbar_buf_put(b, esc, 6);
		} else {
			fixedbar_buf_put(b, s, 1);
		}
	}
	return fixedbar_buf_put(b, "\"", 1);
}

static void put_indent(struct fixedbar_buf *b, int level)
{
	static const char spaces[] = "                                ";
	const int max = sizeof(spaces) - 1;
	int n = 2 * level;

	while (n > 0) {
		int k = n < max ? n : max;

		fixedbar_buf_put(b, spaces, k);
		n -= k;
	}
}

static void put_hex(struct fixedbar_buf *b, u64 v)
{
	char s[24];

	snprintf(s, sizeof(s), "\"0x%llx\"", (unsigned long long)v);
	fixedbar_buf_puts(b, s);
}

static void put_uint(struct fixedbar_buf *b, u32 v)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", (unsigned int)v);
	fixedbar_buf_puts(b, s);
}

static void put_bool(struct fixedbar_buf *b, bool v)
{
	fixedbar_buf_puts(b, v ? "true" : "false");
}

/* ", \"key\": " style member separator and key */
static void put_key(struct fixedbar_buf *b, const char *key, bool first)
{
	if (!first)
		fixedbar_buf_puts(b, ", ");
	fixedbar_buf_put_json_str(b, key);
	fixedbar_buf_puts(b, ": ");
}

/* A member on its own line: indent, key, and the caller writes the value. */
static void put_line_key(struct fixedbar_buf *b, int level, const char *key)
{
	put_indent(b, level);
	put_key(b, key, true);
}

static const char *type_name(enum fixedbar_res_type type)
{
	return type == FIXEDBAR_RES_IO ? "io" : "mem";
}

static void emit_apertures(struct fixedbar_buf *b,
			   const struct fixedbar_topo *t)
{
	u32 i;

	put_line_key(b, 1, "apertures");
	fixedbar_buf_puts(b, t->nr_apertures ? "[\n" : "[],\n");
	for (i = 0; i < t->nr_apertures; i++) {
		const struct fixedbar_aperture *a = &t->apertures[i];

		put_indent(b, 2);
		fixedbar_buf_puts(b, "{");
		put_key(b, "type", true);
		fixedbar_buf_put_json_str(b, type_name(a->type));
		put_key(b, "start", false);
		put_hex(b, a->start);
		put_key(b, "end", false);
		put_hex(b, a->end);
		if (a->pref) {
			put_key(b, "prefetchable", false);
			put_bool(b, true);
		}
		fixedbar_buf_puts(b, i + 1 < t->nr_apertures ? "},\n" : "}\n");
	}
	if (t->nr_apertures) {
		put_indent(b, 1);
		fixedbar_buf_puts(b, "],\n");
	}
}

/* Claimed ranges; the member is left out when there are none. */
static void emit_reserved(struct fixedbar_buf *b, const struct fixedbar_topo *t)
{
	u32 i;

	if (!t->nr_reserved)
		return;
	put_line_key(b, 1, "reserved");
	fixedbar_buf_puts(b, "[\n");
	for (i = 0; i < t->nr_reserved; i++) {
		const struct fixedbar_reserved *r = &t->reserved[i];

		put_indent(b, 2);
		fixedbar_buf_puts(b, "{");
		put_key(b, "type", true);
		fixedbar_buf_put_json_str(b, type_name(r->type));
		put_key(b, "start", false);
		put_hex(b, r->start);
		put_key(b, "end", false);
		put_hex(b, r->end);
		put_key(b, "name", false);
		fixedbar_buf_put_json_str(b, r->name);
		fixedbar_buf_puts(b, i + 1 < t->nr_reserved ? "},\n" : "}\n");
	}
	put_indent(b, 1);
	fixedbar_buf_puts(b, "],\n");
}

static void emit_bar(struct fixedbar_buf *b, const struct fixedbar_bar *bar,
		     int slot)
{
	fixedbar_buf_puts(b, "{");
	put_key(b, "name", true);
	fixedbar_buf_put_json_str(b, fixedbar_slot_name(slot));
	put_key(b, "type", false);
	fixedbar_buf_put_json_str(b, type_name(bar->type));
	put_key(b, "size", false);
	put_hex(b, bar->size);
	put_key(b, "mem64", false);
	put_bool(b, bar->mem64);
	put_key(b, "prefetchable", false);
	put_bool(b, bar->pref);
	if (bar->cur.assigned) {
		put_key(b, "address", false);
		put_hex(b, bar->cur.start);
	}
	put_key(b, "pinned", false);
	put_bool(b, bar->pinned);
	if (slot >= FIXEDBAR_VF_SLOT0) {
		put_key(b, "count", false);
		put_uint(b, bar->count ? bar->count : 1);
	}
	fixedbar_buf_puts(b, "}");
}

static void emit_bars(struct fixedbar_buf *b, const struct fixedbar_dev *d,
		      int level)
{
	int slot, nr = 0, done = 0;

	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++)
		nr += d->bars[slot].present;
	put_line_key(b, level, "bars");
	if (!nr) {
		fixedbar_buf_puts(b, "[]");
		return;
	}
	fixedbar_buf_puts(b, "[\n");
	for (slot = 0; slot < FIXEDBAR_NR_SLOTS; slot++) {
		if (!d->bars[slot].present)
			continue;
		put_indent(b, level + 1);
		emit_bar(b, &d->bars[slot], slot);
		fixedbar_buf_puts(b, ++done < nr ? ",\n" : "\n");
	}
	put_indent(b, level);
	fixedbar_buf_puts(b, "]");
}

static void emit_reserve(struct fixedbar_buf *b,
			 const struct fixedbar_bridge *br, int level)
{
	static const char *const keys[] = { "io", "mem", "prefetchable" };
	bool first = true;
	int w;

	if (!br->reserve[0] && !br->reserve[1] && !br->reserve[2])
		return;
	put_line_key(b, level, "reserve");
	fixedbar_buf_puts(b, "{");
	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		if (!br->reserve[w])
			continue;
		put_key(b, keys[w], first);
		put_hex(b, br->reserve[w]);
		first = false;
	}
	fixedbar_buf_puts(b, "},\n");
}

static void emit_windows(struct fixedbar_buf *b,
			 const struct fixedbar_bridge *br, int level)
{
	static const char *const keys[] = { "io", "mem", "prefetchable" };
	int w;

	put_line_key(b, level, "windows");
	fixedbar_buf_puts(b, "{");
	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		const struct fixedbar_range *r = &br->cur[w];

		put_key(b, keys[w], w == 0);
		if (!r->assigned) {
			fixedbar_buf_puts(b, "null");
			continue;
		}
		fixedbar_buf_puts(b, "[");
		put_hex(b, r->start);
		fixedbar_buf_puts(b, ", ");
		put_hex(b, r->end);
		fixedbar_buf_puts(b, "]");
	}
	fixedbar_buf_puts(b, "},\n");
}

static void put_bool_line(struct fixedbar_buf *b, int level, const char *key,
			  bool v)
{
	put_line_key(b, level, key);
	put_bool(b, v);
	fixedbar_buf_puts(b, ",\n");
}

/* Opens a device object; a bridge is left inside its "devices" array. */
static void emit_dev_head(struct fixedbar_buf *b, const struct fixedbar_dev *d,
			  int level)
{
	char s[16];

	put_indent(b, level);
	fixedbar_buf_puts(b, "{\n");
	snprintf(s, sizeof(s), "%02x.%x", d->devfn >> 3, d->devfn & 7);
	put_line_key(b, level + 1, "devfn");
	fixedbar_buf_put_json_str(b, s);
	fixedbar_buf_puts(b, ",\n");
	if (d->has_id) {
		snprintf(s, sizeof(s), "%04x:%04x", d->vendor, d->device);
		put_line_key(b, level + 1, "id");
		fixedbar_buf_put_json_str(b, s);
		fixedbar_buf_puts(b, ",\n");
	}
	put_bool_line(b, level + 1, "pinned", d->pinned);
	emit_bars(b, d, level + 1);
	if (!d->is_bridge) {
		fixedbar_buf_puts(b, "\n");
		return;
	}
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, level + 1, "bridge");
	fixedbar_buf_puts(b, "{\n");
	put_bool_line(b, level + 2, "io", d->br.io);
	put_bool_line(b, level + 2, "io_1k", d->br.io_1k);
	put_bool_line(b, level + 2, "prefetchable", d->br.pref);
	put_bool_line(b, level + 2, "prefetchable_64", d->br.pref64);
	if (d->br.hotplug)
		put_bool_line(b, level + 2, "hotplug", true);
	emit_reserve(b, &d->br, level + 2);
	emit_windows(b, &d->br, level + 2);
	put_line_key(b, level + 2, "devices");
	fixedbar_buf_puts(b, d->first_child >= 0 ? "[\n" : "[]\n");
}

/* Closes what emit_dev_head() opened, after the children if any. */
static void emit_dev_tail(struct fixedbar_buf *b, const struct fixedbar_dev *d,
			  int level)
{
	if (d->is_bridge) {
		if (d->first_child >= 0) {
			put_indent(b, level + 2);
			fixedbar_buf_puts(b, "]\n");
		}
		put_indent(b, level + 1);
		fixedbar_buf_puts(b, "}\n");
	}
	put_indent(b, level);
	fixedbar_buf_puts(b, "}");
}

static int dev_level(const struct fixedbar_dev *d)
{
	return 2 + 3 * d->depth;
}

static void emit_devices(struct fixedbar_buf *b, const struct fixedbar_topo *t)
{
	int i = t->first_root;

	put_line_key(b, 1, "devices");
	if (i < 0) {
		fixedbar_buf_puts(b, "[],\n");
		return;
	}
	fixedbar_buf_puts(b, "[\n");
	while (i >= 0) {
		const struct fixedbar_dev *d = &t->devs[i];

		emit_dev_head(b, d, dev_level(d));
		if (d->is_bridge && d->first_child >= 0) {
			i = d->first_child;
			continue;
		}
		emit_dev_tail(b, d, dev_level(d));
		/* climb until a device with a next sibling */
		while (i >= 0 && t->devs[i].next_sibling < 0) {
			fixedbar_buf_puts(b, "\n");
			i = t->devs[i].parent;
			if (i >= 0)
				emit_dev_tail(b, &t->devs[i],
					      dev_level(&t->devs[i]));
		}
		if (i >= 0) {
			fixedbar_buf_puts(b, ",\n");
			i = t->devs[i].next_sibling;
		}
	}
	put_indent(b, 1);
	fixedbar_buf_puts(b, "],\n");
}

static void emit_entry(struct fixedbar_buf *b, const struct fixedbar_entry *e)
{
	char s[FIXEDBAR_ENTRY_LEN];

	fixedbar_format_entry(e, s, sizeof(s));
	fixedbar_buf_put_json_str(b, s);
}

int fixedbar_emit_topo(struct fixedbar_buf *b, const struct fixedbar_topo *t)
{
	u32 i;

	fixedbar_buf_puts(b, "{\n");
	put_line_key(b, 1, "version");
	put_uint(b, FIXEDBAR_FORMAT_VERSION);
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "segment");
	put_uint(b, t->segment);
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "root_bus");
	put_uint(b, t->root_bus);
	fixedbar_buf_puts(b, ",\n");
	emit_apertures(b, t);
	emit_reserved(b, t);
	emit_devices(b, t);
	put_line_key(b, 1, "fixed");
	fixedbar_buf_puts(b, t->nr_entries ? "[\n" : "[]\n");
	for (i = 0; i < t->nr_entries; i++) {
		put_indent(b, 2);
		emit_entry(b, &t->entries[i]);
		fixedbar_buf_puts(b, i + 1 < t->nr_entries ? ",\n" : "\n");
	}
	if (t->nr_entries) {
		put_indent(b, 1);
		fixedbar_buf_puts(b, "]\n");
	}
	return fixedbar_buf_puts(b, "}\n");
}

/* true when a descriptor entry fixes BAR slot @slot of device @dev */
static bool res_fixed(const struct fixedbar_topo *t, int dev, int slot)
{
	u32 i, j;

	for (i = 0; i < t->nr_entries; i++) {
		const struct fixedbar_entry *e = &t->entries[i];

		for (j = 0; j < e->nr_bars; j++)
			if (e->bars[j].bar == slot &&
			    fixedbar_topo_find(t, e, NULL, 0) == dev)
				return true;
	}
	return false;
}

/*
 * One resource of the plan: where it goes, its size (of the range, or
 * the BAR's when it stays unassigned; null for an unassigned window),
 * whether it moves and whether a descriptor fixes it.
 */
static void emit_resource(struct fixedbar_buf *b, const char *path,
			  const char *name, const struct fixedbar_range *r,
			  u64 size, bool moved, bool fixed, bool first)
{
	fixedbar_buf_puts(b, first ? "\n" : ",\n");
	put_indent(b, 2);
	fixedbar_buf_puts(b, "{");
	put_key(b, "device", true);
	fixedbar_buf_put_json_str(b, path);
	put_key(b, "name", false);
	fixedbar_buf_put_json_str(b, name);
	put_key(b, "start", false);
	if (r->assigned)
		put_hex(b, r->start);
	else
		fixedbar_buf_puts(b, "null");
	put_key(b, "end", false);
	if (r->assigned)
		put_hex(b, r->end);
	else
		fixedbar_buf_puts(b, "null");
	put_key(b, "size", false);
	if (r->assigned || size)
		put_hex(b, r->assigned ? r->end - r->start + 1 : size);
	else
		fixedbar_buf_puts(b, "null");
	put_key(b, "moved", false);
	put_bool(b, moved);
	put_key(b, "fixed", false);
	put_bool(b, fixed);
	fixedbar_buf_puts(b, "}");
}

static bool win_implemented(const struct fixedbar_dev *d, int win)
{
	if (!d->is_bridge)
		return false;
	if (win == FIXEDBAR_WIN_IO)
		return d->br.io;
	if (win == FIXEDBAR_WIN_PREF)
		return d->br.pref;
	return true;
}

static void emit_resources(struct fixedbar_buf *b,
			   const struct fixedbar_topo *t,
			   const struct fixedbar_plan *p)
{
	char path[FIXEDBAR_PATH_LEN];
	bool first = true;
	u32 i;
	int k;

	put_line_key(b, 1, "resources");
	fixedbar_buf_puts(b, "[");
	for (i = 0; i < t->nr_devs && i < p->nr_devs; i++) {
		const struct fixedbar_dev *d = &t->devs[i];
		const struct fixedbar_plan_dev *pd = &p->devs[i];

		fixedbar_dev_path(t, i, path, sizeof(path));
		for (k = 0; k < FIXEDBAR_NR_SLOTS; k++) {
			if (!d->bars[k].present)
				continue;
			emit_resource(b, path, fixedbar_slot_name(k),
				      &pd->bars[k],
				      d->bars[k].size * d->bars[k].count,
				      fixedbar_plan_res_moved(t, p, i, k),
				      k < 6 && res_fixed(t, i, k), first);
			first = false;
		}
		for (k = 0; k < FIXEDBAR_NR_WINDOWS; k++) {
			if (!win_implemented(d, k))
				continue;
			emit_resource(b, path, fixedbar_win_name(k),
				      &pd->win[k], 0,
				      fixedbar_plan_res_moved(t, p, i,
							      FIXEDBAR_NR_SLOTS +
								      k),
				      false, first);
			first = false;
		}
	}
	if (!first) {
		fixedbar_buf_puts(b, "\n");
		put_indent(b, 1);
	}
	fixedbar_buf_puts(b, "]");
}

static void emit_warnings(struct fixedbar_buf *b, const struct fixedbar_plan *p)
{
	u32 i;

	if (!p->nr_warnings)
		return;
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "warnings");
	fixedbar_buf_puts(b, "[\n");
	for (i = 0; i < p->nr_warnings; i++) {
		put_indent(b, 2);
		fixedbar_buf_put_json_str(b, p->warnings[i]);
		fixedbar_buf_puts(b, i + 1 < p->nr_warnings ? ",\n" : "\n");
	}
	put_indent(b, 1);
	fixedbar_buf_puts(b, "]");
}

static void emit_head(struct fixedbar_buf *b, const char *result)
{
	fixedbar_buf_puts(b, "{\n");
	put_line_key(b, 1, "version");
	put_uint(b, FIXEDBAR_FORMAT_VERSION);
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "result");
	fixedbar_buf_put_json_str(b, result);
	fixedbar_buf_puts(b, ",\n");
}

/* Everything of an error document up to the entries array's first item. */
static void emit_error_head(struct fixedbar_buf *b, int err,
			    const char *message)
{
	const char *name = fixedbar_errname(err);
	char s[16];

	if (!name) {
		snprintf(s, sizeof(s), "E%d", err < 0 ? -err : err);
		name = s;
	}
	emit_head(b, "error");
	put_line_key(b, 1, "error");
	fixedbar_buf_put_json_str(b, name);
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "message");
	fixedbar_buf_put_json_str(b, message);
	fixedbar_buf_puts(b, ",\n");
	put_line_key(b, 1, "entries");
	fixedbar_buf_puts(b, "[");
}

static void emit_error_tail(struct fixedbar_buf *b, u32 nr_entries)
{
	if (nr_entries) {
		fixedbar_buf_puts(b, "\n");
		put_indent(b, 1);
	}
	fixedbar_buf_puts(b, "]\n}\n");
}

int fixedbar_emit_error(struct fixedbar_buf *b, int err, const char *message,
			const char *const *entries, u32 nr_entries)
{
	u32 i;

	emit_error_head(b, err, message);
	for (i = 0; i < nr_entries; i++) {
		fixedbar_buf_puts(b, i ? ",\n" : "\n");
		put_indent(b, 2);
		fixedbar_buf_put_json_str(b, entries[i]);
	}
	emit_error_tail(b, nr_entries);
	return b->err;
}

int fixedbar_emit_plan(struct fixedbar_buf *b, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p)
{
	u32 i, n = 0;

	if (!p->err) {
		emit_head(b, "ok");
		put_line_key(b, 1, "moved");
		put_uint(b, fixedbar_plan_nr_moved(t, p));
		fixedbar_buf_puts(b, ",\n");
		emit_resources(b, t, p);
		emit_warnings(b, p);
		return fixedbar_buf_puts(b, "\n}\n");
	}

	emit_error_head(b, p->err, p->message);
	for (i = 0; i < p->nr_err_entries && i < FIXEDBAR_MAX_ERR_ENTRIES;
	     i++) {
		if (p->err_entries[i] >= t->nr_entries)
			continue;
		fixedbar_buf_puts(b, n++ ? ",\n" : "\n");
		put_indent(b, 2);
		emit_entry(b, &t->entries[p->err_entries[i]]);
	}
	emit_error_tail(b, n);
	return b->err;
}
