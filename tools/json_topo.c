// SPDX-License-Identifier: GPL-2.0
/*
 * Topology JSON loader.  Every value is checked before it reaches the
 * planner, and every complaint names the JSON path of the offending value,
 * so a hand-written corpus is quick to fix.  Unknown members are ignored:
 * the format allows optional fields (a test corpus may carry "expect").
 */
#include <ctype.h>
#include <stdarg.h>
#include <jansson.h>

#include "json_topo.h"

#define PATH_LEN 1024

struct jctx {
	struct fixedbar_topo *t;
	struct fixedbar_entry_err *ee;
	char path[PATH_LEN];
	size_t plen;
	char *msg;
	size_t msglen;
};

static size_t push_key(struct jctx *c, const char *key)
{
	size_t old = c->plen;
	int n;

	n = snprintf(c->path + old, PATH_LEN - old, "%s%s", old ? "." : "",
		     key);
	if (n > 0)
		c->plen = old + n < PATH_LEN ? old + n : PATH_LEN - 1;
	return old;
}

static size_t push_index(struct jctx *c, size_t i)
{
	size_t old = c->plen;
	int n;

	n = snprintf(c->path + old, PATH_LEN - old, "[%zu]", i);
	if (n > 0)
		c->plen = old + n < PATH_LEN ? old + n : PATH_LEN - 1;
	return old;
}

static void pop(struct jctx *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* "<path>: <reason>"; always returns -EINVAL */
static int jerr(struct jctx *c, const char *fmt, ...)
{
	char reason[FIXEDBAR_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(c->msg, c->msglen, "%s: %s", c->plen ? c->path : "(top)",
		 reason);
	return -EINVAL;
}

/* jerr() for member @key of the current object */
static int jerr_key(struct jctx *c, const char *key, const char *fmt, ...)
{
	char reason[FIXEDBAR_MSG_LEN];
	size_t old = push_key(c, key);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	jerr(c, "%s", reason);
	pop(c, old);
	return -EINVAL;
}

static int parse_hex(const char *s, u64 *out)
{
	u64 v = 0;
	const char *p;

	if (strncmp(s, "0x", 2) || !s[2])
		return -EINVAL;
	for (p = s + 2; *p; p++) {
		int d;

		if (!isxdigit((unsigned char)*p))
			return -EINVAL;
		if (isdigit((unsigned char)*p))
			d = *p - '0';
		else
			d = tolower((unsigned char)*p) - 'a' + 10;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (u64)d;
	}
	*out = v;
	return 0;
}

/* A hex string value; @what names it for messages when not a member. */
static int hex_value(struct jctx *c, json_t *v, u64 *out)
{
	int ret;

	if (!json_is_string(v))
		return jerr(c, "expected a hex string such as \"0x1000\"");
	ret = parse_hex(json_string_value(v), out);
	if (ret == -ERANGE)
		return jerr(c, "does not fit in 64 bits: %s",
			    json_string_value(v));
	if (ret)
		return jerr(c, "not a hex string: \"%s\"",
			    json_string_value(v));
	return 0;
}

/* Optional hex member; null counts as absent.  *present says which. */
static int get_hex(struct jctx *c, json_t *obj, const char *key, bool required,
		   u64 *out, bool *present)
{
	json_t *v = json_object_get(obj, key);
	size_t old;
	int ret;

	*present = v && !json_is_null(v);
	if (!*present)
		return required ? jerr_key(c, key, "missing") : 0;
	old = push_key(c, key);
	ret = hex_value(c, v, out);
	pop(c, old);
	return ret;
}

static int get_bool(struct jctx *c, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);

	*out = false;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return jerr_key(c, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

static int get_uint(struct jctx *c, json_t *obj, const char *key,
		    json_int_t min, json_int_t max, json_int_t def, u32 *out)
{
	json_t *v = json_object_get(obj, key);
	json_int_t n;

	*out = (u32)def;
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return jerr_key(c, key, "expected an integer");
	n = json_integer_value(v);
	if (n < min || n > max)
		return jerr_key(c, key, "out of range: %lld (%lld..%lld)",
				(long long)n, (long long)min, (long long)max);
	*out = (u32)n;
	return 0;
}

/* Optional array member; absent gives NULL. */
static int get_array(struct jctx *c, json_t *obj, const char *key,
		     bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return required ? jerr_key(c, key, "missing") : 0;
	if (!json_is_array(v))
		return jerr_key(c, key, "expected an array");
	*out = v;
	return 0;
}

static int get_object(struct jctx *c, json_t *obj, const char *key,
		      json_t **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return jerr_key(c, key, "expected an object");
	*out = v;
	return 0;
}

static int get_type(struct jctx *c, json_t *obj, enum fixedbar_res_type *out)
{
	json_t *v = json_object_get(obj, "type");
	const char *s;

	if (!v)
		return jerr_key(c, "type", "missing");
	if (!json_is_string(v))
		return jerr_key(c, "type", "expected \"io\" or \"mem\"");
	s = json_string_value(v);
	if (!strcmp(s, "io"))
		*out = FIXEDBAR_RES_IO;
	else if (!strcmp(s, "mem"))
		*out = FIXEDBAR_RES_MEM;
	else
		return jerr_key(c, "type", "unknown type: \"%s\"", s);
	return 0;
}

static bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

static int load_aperture(struct jctx *c, json_t *o, struct fixedbar_aperture *a)
{
	bool present;
	int ret;

	if (!json_is_object(o))
		return jerr(c, "expected an object");
	ret = get_type(c, o, &a->type);
	if (!ret)
		ret = get_hex(c, o, "start", true, &a->start, &present);
	if (!ret)
		ret = get_hex(c, o, "end", true, &a->end, &present);
	if (!ret)
		ret = get_bool(c, o, "prefetchable", &a->pref);
	if (ret)
		return ret;
	if (a->start > a->end)
		return jerr_key(c, "end", "0x%llx below start 0x%llx",
				(unsigned long long)a->end,
				(unsigned long long)a->start);
	if (a->pref && a->type == FIXEDBAR_RES_IO)
		return jerr_key(c, "prefetchable",
				"an io aperture cannot be prefetchable");
	return 0;
}

/*
 * A host bridge decodes each address once: apertures of one type (mem,
 * prefetchable or not, and io) never overlap, and the planner counts on
 * it.
 */
static int check_overlap(struct jctx *c, size_t i)
{
	const struct fixedbar_aperture *a = &c->t->apertures[i], *b;
	size_t j;

	for (j = 0; j < i; j++) {
		b = &c->t->apertures[j];
		if (a->type != b->type || a->start > b->end ||
		    b->start > a->end)
			continue;
		return jerr(c, "overlaps apertures[%zu] (0x%llx-0x%llx)", j,
			    (unsigned long long)b->start,
			    (unsigned long long)b->end);
	}
	return 0;
}

static int load_apertures(struct jctx *c, json_t *arr)
{
	size_t i, old;
	json_t *o;
	int ret;

	if (json_array_size(arr) > FIXEDBAR_MAX_APERTURES)
		return jerr_key(c, "apertures", "more than %d apertures",
				FIXEDBAR_MAX_APERTURES);
	json_array_foreach(arr, i, o) {
		old = push_key(c, "apertures");
		push_index(c, i);
		ret = load_aperture(c, o, &c->t->apertures[i]);
		if (!ret)
			ret = check_overlap(c, i);
		pop(c, old);
		if (ret)
			return ret;
		c->t->nr_apertures++;
	}
	return 0;
}

static int load_reserved_one(struct jctx *c, json_t *o)
{
	enum fixedbar_res_type type;
	const char *name = "";
	u64 start, end;
	bool present;
	json_t *v;
	int ret;

	if (!json_is_object(o))
		return jerr(c, "expected an object");
	ret = get_type(c, o, &type);
	if (!ret)
		ret = get_hex(c, o, "start", true, &start, &present);
	if (!ret)
		ret = get_hex(c, o, "end", true, &end, &present);
	if (ret)
		return ret;
	v = json_object_get(o, "name");
	if (v && !json_is_string(v))
		return jerr_key(c, "name", "expected a string");
	if (v)
		name = json_string_value(v);
	if (start > end)
		return jerr_key(c, "end", "0x%llx below start 0x%llx",
				(unsigned long long)end,
				(unsigned long long)start);
	ret = fixedbar_topo_add_reserved(c->t, type, start, end, name);
	if (ret == -ENOMEM)
		return jerr(c, "out of memory");
	return ret;
}

/* Claimed ranges: optional, any number, anywhere. */
static int load_reserved(struct jctx *c, json_t *arr)
{
	size_t i, old;
	json_t *o;
	int ret;

	json_array_foreach(arr, i, o) {
		old = push_key(c, "reserved");
		push_index(c, i);
		ret = load_reserved_one(c, o);
		pop(c, old);
		if (ret)
			return ret;
	}
	return 0;
}

static int check_bar_kind(struct jctx *c, const struct fixedbar_bar *b,
			  int slot)
{
	if (b->type == FIXEDBAR_RES_IO && b->mem64)
		return jerr_key(c, "mem64", "an io bar cannot be 64-bit");
	if (b->type == FIXEDBAR_RES_IO && b->pref)
		return jerr_key(c, "prefetchable",
				"an io bar cannot be prefetchable");
	if (slot == FIXEDBAR_ROM_SLOT && b->type != FIXEDBAR_RES_MEM)
		return jerr_key(c, "type", "a rom bar is a mem bar");
	if (slot == FIXEDBAR_ROM_SLOT && b->mem64)
		return jerr_key(c, "mem64", "a rom bar cannot be 64-bit");
	if (slot >= FIXEDBAR_VF_SLOT0 && b->type != FIXEDBAR_RES_MEM)
		return jerr_key(c, "type", "a vf bar is a mem bar");
	if (b->mem64 && (slot == 5 || slot == FIXEDBAR_VF_SLOT0 + 5))
		return jerr_key(c, "mem64", "a 64-bit bar cannot start at %s",
				fixedbar_slot_name(slot));
	return 0;
}

static int load_bar_fields(struct jctx *c, json_t *o, struct fixedbar_bar *b,
			   int slot)
{
	bool present;
	u64 addr;
	int ret;

	ret = get_type(c, o, &b->type);
	if (!ret)
		ret = get_hex(c, o, "size", true, &b->size, &present);
	if (ret)
		return ret;
	if (!is_pow2(b->size))
		return jerr_key(c, "size", "not a power of two: 0x%llx",
				(unsigned long long)b->size);
	ret = get_bool(c, o, "mem64", &b->mem64);
	if (!ret)
		ret = get_bool(c, o, "prefetchable", &b->pref);
	if (!ret)
		ret = get_bool(c, o, "pinned", &b->pinned);
	if (!ret && json_object_get(o, "count") && slot < FIXEDBAR_VF_SLOT0)
		return jerr_key(c, "count", "only vf bars have a count");
	if (!ret && !json_object_get(o, "count") && slot >= FIXEDBAR_VF_SLOT0)
		return jerr_key(c, "count", "missing (the number of VFs)");
	if (!ret)
		ret = get_uint(c, o, "count", 1, 0xffff, 1, &b->count);
	if (!ret && b->size > ~0ULL / b->count)
		return jerr_key(c, "count",
				"%u VFs of size 0x%llx do not fit in 64 bits",
				b->count, (unsigned long long)b->size);
	if (!ret)
		ret = check_bar_kind(c, b, slot);
	if (!ret)
		ret = get_hex(c, o, "address", false, &addr, &present);
	if (ret || !present)
		return ret;
	if (addr & (b->size - 1))
		return jerr_key(c, "address",
				"0x%llx not aligned to size 0x%llx",
				(unsigned long long)addr,
				(unsigned long long)b->size);
	if (addr + (fixedbar_bar_span(b) - 1) < addr)
		return jerr_key(c, "address", "0x%llx: bar ends beyond 64 bits",
				(unsigned long long)addr);
	/* where a BAR is now must be where its registers can point */
	if (b->type == FIXEDBAR_RES_IO &&
	    addr + (fixedbar_bar_span(b) - 1) > 0xffff)
		return jerr_key(c, "address",
				"0x%llx: i/o bar ends beyond port 0xffff",
				(unsigned long long)addr);
	if (b->type == FIXEDBAR_RES_MEM && !b->mem64 &&
	    addr + (fixedbar_bar_span(b) - 1) >= FIXEDBAR_4G)
		return jerr_key(c, "address",
				"0x%llx: a bar that is not 64-bit ends below 4 GiB",
				(unsigned long long)addr);
	b->cur.assigned = true;
	b->cur.start = addr;
	b->cur.end = addr + fixedbar_bar_span(b) - 1;
	return 0;
}

/* A 64-bit BAR uses the next slot as its upper half. */
static int check_upper_halves(struct jctx *c, const struct fixedbar_dev *d,
			      const size_t *index)
{
	int slot;

	for (slot = 0; slot < FIXEDBAR_NR_SLOTS - 1; slot++) {
		size_t old;

		if (slot == 5 || slot == FIXEDBAR_ROM_SLOT)
			continue;
		if (!d->bars[slot].present || !d->bars[slot].mem64 ||
		    !d->bars[slot + 1].present)
			continue;
		old = push_key(c, "bars");
		push_index(c, index[slot + 1]);
		jerr(c, "%s is the upper half of 64-bit %s",
		     fixedbar_slot_name(slot + 1), fixedbar_slot_name(slot));
		pop(c, old);
		return -EINVAL;
	}
	return 0;
}

static int load_bars(struct jctx *c, json_t *arr, int dev)
{
	size_t index[FIXEDBAR_NR_SLOTS] = { 0 };
	size_t i, old;
	json_t *o;
	int ret = 0;

	json_array_foreach(arr, i, o) {
		struct fixedbar_bar *b;
		json_t *name;
		int slot;

		old = push_key(c, "bars");
		push_index(c, i);
		name = json_object_get(o, "name");
		if (!json_is_object(o)) {
			ret = jerr(c, "expected an object");
		} else if (!name) {
			ret = jerr_key(c, "name", "missing");
		} else if (!json_is_string(name)) {
			ret = jerr_key(c, "name", "expected a string");
		} else {
			slot = fixedbar_slot_from_name(json_string_value(name));
			b = &c->t->devs[dev].bars[slot < 0 ? 0 : slot];
			if (slot < 0)
				ret = jerr_key(c, "name",
					       "unknown bar name: \"%s\"",
					       json_string_value(name));
			else if (b->present)
				ret = jerr_key(c, "name", "duplicate bar: %s",
					       json_string_value(name));
			else
				ret = load_bar_fields(c, o, b, slot);
			if (!ret) {
				b->present = true;
				index[slot] = i;
			}
		}
		pop(c, old);
		if (ret)
			return ret;
	}
	return check_upper_halves(c, &c->t->devs[dev], index);
}

static int parse_devfn(const char *s, u8 *devfn)
{
	int slot, fn;

	if (strlen(s) != 4 || !isxdigit((unsigned char)s[0]) ||
	    !isxdigit((unsigned char)s[1]) || s[2] != '.' || s[3] < '0' ||
	    s[3] > '7')
		return -EINVAL;
	if (sscanf(s, "%2x.%1d", &slot, &fn) != 2 || slot > 0x1f)
		return -EINVAL;
	*devfn = (u8)(slot << 3 | fn);
	return 0;
}

static int parse_id(const char *s, struct fixedbar_dev *d)
{
	unsigned int vendor, device;
	int i;

	if (strlen(s) != 9 || s[4] != ':')
		return -EINVAL;
	for (i = 0; i < 9; i++)
		if (i != 4 && !isxdigit((unsigned char)s[i]))
			return -EINVAL;
	if (sscanf(s, "%4x:%4x", &vendor, &device) != 2)
		return -EINVAL;
	d->has_id = true;
	d->vendor = (u16)vendor;
	d->device = (u16)device;
	return 0;
}

static const char *const win_keys[FIXEDBAR_NR_WINDOWS] = {
	"io",
	"mem",
	"prefetchable",
};

static bool win_implemented(const struct fixedbar_bridge *br, int w)
{
	if (w == FIXEDBAR_WIN_IO)
		return br->io;
	return w == FIXEDBAR_WIN_MEM || br->pref;
}

static int load_reserve(struct jctx *c, json_t *o, struct fixedbar_bridge *br)
{
	bool present;
	int w, ret;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		ret = get_hex(c, o, win_keys[w], false, &br->reserve[w],
			      &present);
		if (ret)
			return ret;
		if (present && br->reserve[w] && !win_implemented(br, w))
			return jerr_key(c, win_keys[w],
					"the bridge has no %s window",
					win_keys[w]);
	}
	return 0;
}

static int load_window(struct jctx *c, json_t *v, struct fixedbar_range *r)
{
	size_t old;
	int ret;

	if (!json_is_array(v) || json_array_size(v) != 2)
		return jerr(c, "expected null or [\"0xstart\", \"0xend\"]");
	old = push_index(c, 0);
	ret = hex_value(c, json_array_get(v, 0), &r->start);
	pop(c, old);
	if (ret)
		return ret;
	old = push_index(c, 1);
	ret = hex_value(c, json_array_get(v, 1), &r->end);
	if (!ret && r->end < r->start)
		ret = jerr(c, "0x%llx below start 0x%llx",
			   (unsigned long long)r->end,
			   (unsigned long long)r->start);
	pop(c, old);
	r->assigned = !ret;
	return ret;
}

static int load_windows(struct jctx *c, json_t *o, struct fixedbar_bridge *br)
{
	size_t old;
	int w, ret;

	for (w = 0; w < FIXEDBAR_NR_WINDOWS; w++) {
		json_t *v = json_object_get(o, win_keys[w]);

		if (!v || json_is_null(v))
			continue;
		if (!win_implemented(br, w))
			return jerr_key(c, win_keys[w],
					"the bridge has no %s window",
					win_keys[w]);
		old = push_key(c, win_keys[w]);
		ret = load_window(c, v, &br->cur[w]);
		pop(c, old);
		if (ret)
			return ret;
	}
	return 0;
}

static int load_bridge_flags(struct jctx *c, json_t *o,
			     struct fixedbar_bridge *br)
{
	json_t *sub;
	size_t old;
	int ret;

	ret = get_bool(c, o, "io", &br->io);
	if (!ret)
		ret = get_bool(c, o, "io_1k", &br->io_1k);
	if (!ret)
		ret = get_bool(c, o, "prefetchable", &br->pref);
	if (!ret)
		ret = get_bool(c, o, "prefetchable_64", &br->pref64);
	if (!ret)
		ret = get_bool(c, o, "hotplug", &br->hotplug);
	if (ret)
		return ret;
	if (br->io_1k && !br->io)
		return jerr_key(c, "io_1k", "set without an io window");
	if (br->pref64 && !br->pref)
		return jerr_key(c, "prefetchable_64",
				"set without a prefetchable window");

	ret = get_object(c, o, "reserve", &sub);
	if (!ret && sub) {
		old = push_key(c, "reserve");
		ret = load_reserve(c, sub, br);
		pop(c, old);
	}
	if (ret)
		return ret;
	ret = get_object(c, o, "windows", &sub);
	if (!ret && sub) {
		old = push_key(c, "windows");
		ret = load_windows(c, sub, br);
		pop(c, old);
	}
	return ret;
}

static int load_devices(struct jctx *c, json_t *arr, int parent, int depth);

static int load_bridge(struct jctx *c, json_t *o, int dev, int depth)
{
	struct fixedbar_bridge br;
	json_t *arr;
	int ret;

	if (!json_is_object(o))
		return jerr(c, "expected an object");
	memset(&br, 0, sizeof(br));
	ret = load_bridge_flags(c, o, &br);
	if (ret)
		return ret;
	c->t->devs[dev].is_bridge = true;
	c->t->devs[dev].br = br;
	ret = get_array(c, o, "devices", false, &arr);
	if (ret || !arr || !json_array_size(arr))
		return ret;
	if (depth + 1 > FIXEDBAR_MAX_DEPTH)
		return jerr_key(c, "devices", "more than %d bridges deep",
				FIXEDBAR_MAX_DEPTH);
	return load_devices(c, arr, dev, depth + 1);
}

static int load_device_fields(struct jctx *c, json_t *o, int dev, int depth)
{
	json_t *v, *arr;
	size_t old;
	int ret;

	v = json_object_get(o, "id");
	if (v && (!json_is_string(v) ||
		  parse_id(json_string_value(v), &c->t->devs[dev])))
		return jerr_key(c, "id", "expected \"vvvv:dddd\"");
	ret = get_bool(c, o, "pinned", &c->t->devs[dev].pinned);
	if (!ret)
		ret = get_array(c, o, "bars", false, &arr);
	if (!ret && arr)
		ret = load_bars(c, arr, dev);
	if (ret)
		return ret;
	v = json_object_get(o, "bridge");
	if (!v || json_is_null(v))
		return 0;
	old = push_key(c, "bridge");
	ret = load_bridge(c, v, dev, depth);
	pop(c, old);
	return ret;
}

static int load_device(struct jctx *c, json_t *o, int parent, int depth,
		       bool *seen)
{
	json_t *v;
	u8 devfn;
	int dev;

	if (!json_is_object(o))
		return jerr(c, "expected an object");
	v = json_object_get(o, "devfn");
	if (!v)
		return jerr_key(c, "devfn", "missing");
	if (!json_is_string(v) || parse_devfn(json_string_value(v), &devfn))
		return jerr_key(c, "devfn", "expected \"DD.F\" (%s)",
				"slot 00..1f, function 0..7");
	if (seen[devfn])
		return jerr_key(c, "devfn", "duplicate devfn %s on this bus",
				json_string_value(v));
	seen[devfn] = true;
	dev = fixedbar_topo_add_dev(c->t, parent, devfn);
	if (dev < 0) {
		jerr(c, "out of memory");
		return dev;
	}
	return load_device_fields(c, o, dev, depth);
}

static int load_devices(struct jctx *c, json_t *arr, int parent, int depth)
{
	bool seen[256] = { false };
	size_t i, old;
	json_t *o;
	int ret;

	json_array_foreach(arr, i, o) {
		old = push_key(c, "devices");
		push_index(c, i);
		ret = load_device(c, o, parent, depth, seen);
		pop(c, old);
		if (ret)
			return ret;
	}
	return 0;
}

int fixedbar_add_entry_string(struct fixedbar_topo *t, const char *s,
			      size_t len, struct fixedbar_entry_err *ee)
{
	struct fixedbar_entry e;
	int ret;

	memset(ee, 0, sizeof(*ee));
	ret = fixedbar_parse_entry(s, len, &e, ee->message,
				   sizeof(ee->message));
	if (!ret)
		ret = fixedbar_topo_add_entry(t, &e, ee->message,
					      sizeof(ee->message));
	if (ret) {
		ee->err = ret;
		if (ret == -ENOMEM)
			snprintf(ee->message, sizeof(ee->message),
				 "out of memory");
		snprintf(ee->entry, sizeof(ee->entry), "%.*s", (int)len, s);
	}
	return ret;
}

int fixedbar_add_map_string(struct fixedbar_topo *t, const char *map,
			    struct fixedbar_entry_err *ee)
{
	const char *p = map;

	for (;;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		int ret;

		while (len && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		ret = fixedbar_add_entry_string(t, p, len, ee);
		if (ret)
			return ret;
		if (!end)
			return 0;
		p = end + 1;
	}
}

static int load_fixed(struct jctx *c, json_t *arr)
{
	size_t i, old;
	json_t *v;

	json_array_foreach(arr, i, v) {
		const char *s;
		int ret;

		if (!json_is_string(v)) {
			old = push_key(c, "fixed");
			push_index(c, i);
			jerr(c, "expected a descriptor entry string");
			pop(c, old);
			return -EINVAL;
		}
		s = json_string_value(v);
		ret = fixedbar_add_entry_string(c->t, s, strlen(s), c->ee);
		if (ret == -ENOMEM) {
			jerr(c, "out of memory");
			return ret;
		}
		/* the first rejected entry becomes the result */
		if (ret)
			return 0;
	}
	return 0;
}

static int load_root(struct jctx *c, json_t *root)
{
	json_t *arr;
	u32 v;
	int ret;

	if (!json_is_object(root))
		return jerr(c, "expected a topology object");
	if (!json_object_get(root, "version"))
		return jerr_key(c, "version", "missing");
	ret = get_uint(c, root, "version", 0, 0x7fffffff, 0, &v);
	if (ret)
		return ret;
	if (v != FIXEDBAR_FORMAT_VERSION)
		return jerr_key(c, "version", "unsupported version %u", v);
	ret = get_uint(c, root, "segment", 0, 0xffff, 0, &v);
	if (ret)
		return ret;
	c->t->segment = (u16)v;
	ret = get_uint(c, root, "root_bus", 0, 0xff, 0, &v);
	if (ret)
		return ret;
	c->t->root_bus = (u8)v;
	ret = get_array(c, root, "apertures", true, &arr);
	if (!ret)
		ret = load_apertures(c, arr);
	if (!ret)
		ret = get_array(c, root, "reserved", false, &arr);
	if (!ret && arr)
		ret = load_reserved(c, arr);
	if (!ret)
		ret = get_array(c, root, "devices", true, &arr);
	if (!ret)
		ret = load_devices(c, arr, -1, 0);
	if (!ret)
		ret = get_array(c, root, "fixed", false, &arr);
	if (!ret && arr)
		ret = load_fixed(c, arr);
	return ret;
}

static int load_json(json_t *root, const json_error_t *error,
		     struct fixedbar_topo *t, struct fixedbar_entry_err *ee,
		     char *msg, size_t msglen)
{
	struct jctx c = {
		.t = t,
		.ee = ee,
		.msg = msg,
		.msglen = msglen,
	};
	int ret;

	memset(ee, 0, sizeof(*ee));
	if (!root) {
		snprintf(msg, msglen, "line %d column %d: %s", error->line,
			 error->column, error->text);
		return -EINVAL;
	}
	ret = load_root(&c, root);
	json_decref(root);
	return ret;
}

int fixedbar_json_load_file(FILE *f, struct fixedbar_topo *t,
			    struct fixedbar_entry_err *ee, char *msg,
			    size_t msglen)
{
	json_error_t error;
	json_t *root;

	root = json_loadf(f, JSON_REJECT_DUPLICATES, &error);
	return load_json(root, &error, t, ee, msg, msglen);
}

int fixedbar_json_load_string(const char *s, struct fixedbar_topo *t,
			      struct fixedbar_entry_err *ee, char *msg,
			      size_t msglen)
{
	json_error_t error;
	json_t *root;

	root = json_loads(s, JSON_REJECT_DUPLICATES, &error);
	return load_json(root, &error, t, ee, msg, msglen);
}
