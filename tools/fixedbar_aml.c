// SPDX-License-Identifier: GPL-2.0
/*
 * A walker over the declarations of an ACPI definition block (ACPI 6.5,
 * chapter 20, "ACPI Machine Language Specification"), enough to find
 * pci_fixedbar descriptors:
 *
 *   Device (FXBR) { Name (_HID, "PRP0001")
 *                   Name (_DSD, Package () { ToUUID (...), Package () {
 *                       Package () { "compatible", "linux,pci-fixedbar" },
 *                       Package () { "fixed-bars", Package () { ... } } } }) }
 *   Scope (\_SB.PCI0.S80) { Name (_DSD, ...) }
 *
 * It follows ScopeOp and DeviceOp bodies, reads NameOp values and steps
 * over every other declaration whose length it can tell (methods, fields,
 * regions, ...).  Firmware is untrusted input: every read is bounded by the
 * enclosing package length, and an opcode it does not know ends the walk
 * of that scope body only (counted in ns->nr_skipped).
 */
#include "fixedbar_aml.h"

#define AML_HDR_LEN 36
#define AML_MAX_DEPTH 64
#define AML_MAX_STR 4096

/* daffd814-6eba-4d8c-8a91-bc9bbf4aa301 as ToUUID lays it out */
static const u8 aml_props_uuid[16] = { 0x14, 0xd8, 0xff, 0xda, 0xba, 0x6e,
				       0x8c, 0x4d, 0x8a, 0x91, 0xbc, 0x9b,
				       0xbf, 0x4a, 0xa3, 0x01 };

struct aml {
	const u8 *b;
	const char *table;
	struct fixedbar_aml_ns *ns;
	int err;
};

static bool lead_char(u8 c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(u8 c)
{
	return lead_char(c) || (c >= '0' && c <= '9');
}

/* PkgLength at *@pos: sets *@end (bounded by @limit), moves past it */
static bool get_pkglen(const struct aml *a, size_t *pos, size_t limit,
		       size_t *end)
{
	size_t start = *pos, n, i;
	u32 len;
	u8 lead;

	if (start >= limit)
		return false;
	lead = a->b[start];
	n = lead >> 6;
	if (start + 1 + n > limit)
		return false;
	if (!n) {
		len = lead & 0x3f;
	} else {
		if (lead & 0x30)
			return false;
		len = lead & 0x0f;
		for (i = 0; i < n; i++)
			len |= (u32)a->b[start + 1 + i] << (4 + 8 * i);
	}
	if (len < n + 1 || len > limit - start)
		return false;
	*end = start + len;
	*pos = start + 1 + n;
	return true;
}

/* Drops the last segment of an absolute path ("\" stays "\"). */
static void path_up(char *path)
{
	char *dot = strrchr(path, '.');

	if (dot)
		*dot = '\0';
	else
		path[1] = '\0';
}

/*
 * NameString at *@pos, resolved against @scope into @out as an absolute
 * path with 4-character segments.  Relative single names are taken as
 * children of @scope (declarations, not the search rules of references).
 */
static bool get_name(const struct aml *a, size_t *pos, size_t limit,
		     const char *scope, char *out, size_t outlen)
{
	char buf[FIXEDBAR_AML_PATH_LEN];
	size_t p = *pos, nseg, i, used;

	if (p >= limit)
		return false;
	if (a->b[p] == '\\') {
		strcpy(buf, "\\");
		p++;
	} else {
		snprintf(buf, sizeof(buf), "%s", scope);
		for (; p < limit && a->b[p] == '^'; p++)
			path_up(buf);
	}
	if (p >= limit)
		return false;
	switch (a->b[p]) {
	case 0x00:
		nseg = 0;
		p++;
		break;
	case 0x2e:
		nseg = 2;
		p++;
		break;
	case 0x2f:
		if (p + 1 >= limit)
			return false;
		nseg = a->b[p + 1];
		p += 2;
		break;
	default:
		nseg = 1;
	}
	if (nseg > (limit - p) / 4)
		return false;
	used = strlen(buf);
	for (i = 0; i < nseg; i++, p += 4) {
		if (!lead_char(a->b[p]) || !name_char(a->b[p + 1]) ||
		    !name_char(a->b[p + 2]) || !name_char(a->b[p + 3]))
			return false;
		if (used + 6 > sizeof(buf))
			return false;
		if (used > 1)
			buf[used++] = '.';
		memcpy(buf + used, a->b + p, 4);
		used += 4;
		buf[used] = '\0';
	}
	if (strlen(buf) >= outlen)
		return false;
	strcpy(out, buf);
	*pos = p;
	return true;
}

/* String at *@pos: a pointer into the table, NUL-terminated within @limit */
static bool get_string(const struct aml *a, size_t *pos, size_t limit,
		       const char **s)
{
	size_t p = *pos;

	if (p >= limit || a->b[p] != 0x0d)
		return false;
	for (p++; p < limit && a->b[p]; p++)
		;
	if (p >= limit || p - *pos > AML_MAX_STR)
		return false;
	*s = (const char *)a->b + *pos + 1;
	*pos = p + 1;
	return true;
}

/*
 * Steps over one data object or simple argument: integers, strings,
 * buffers, packages, Revision, locals, args and name references.
 */
static bool skip_data(const struct aml *a, size_t *pos, size_t limit)
{
	char name[FIXEDBAR_AML_PATH_LEN];
	size_t p = *pos, end;
	const char *s;
	u8 op;

	if (p >= limit)
		return false;
	op = a->b[p];
	switch (op) {
	case 0x00: /* Zero */
	case 0x01: /* One */
	case 0xff: /* Ones */
		p += 1;
		break;
	case 0x0a: /* BytePrefix */
		p += 2;
		break;
	case 0x0b: /* WordPrefix */
		p += 3;
		break;
	case 0x0c: /* DWordPrefix */
		p += 5;
		break;
	case 0x0e: /* QWordPrefix */
		p += 9;
		break;
	case 0x0d: /* StringPrefix */
		if (!get_string(a, &p, limit, &s))
			return false;
		break;
	case 0x11: /* BufferOp */
	case 0x12: /* PackageOp */
	case 0x13: /* VarPackageOp */
		p++;
		if (!get_pkglen(a, &p, limit, &end))
			return false;
		p = end;
		break;
	case 0x5b: /* RevisionOp */
		if (p + 1 >= limit || a->b[p + 1] != 0x30)
			return false;
		p += 2;
		break;
	default:
		if (op >= 0x60 && op <= 0x6e) { /* Local0-7, Arg0-6 */
			p++;
			break;
		}
		if (!get_name(a, &p, limit, "\\", name, sizeof(name)))
			return false;
	}
	if (p > limit)
		return false;
	*pos = p;
	return true;
}

/* PackageOp or VarPackageOp header: *@pos moves to the first element */
static bool get_package(const struct aml *a, size_t *pos, size_t limit,
			size_t *end)
{
	size_t p = *pos;
	u8 op;

	if (p >= limit)
		return false;
	op = a->b[p++];
	if ((op != 0x12 && op != 0x13) || !get_pkglen(a, &p, limit, end))
		return false;
	/* NumElements: a byte, or a TermArg for VarPackage */
	if (op == 0x12)
		p++;
	else if (!skip_data(a, &p, *end))
		return false;
	if (p > *end)
		return false;
	*pos = p;
	return true;
}

static bool get_buffer(const struct aml *a, size_t *pos, size_t limit,
		       const u8 **data, size_t *len)
{
	size_t p = *pos, end;

	if (p >= limit || a->b[p] != 0x11)
		return false;
	p++;
	if (!get_pkglen(a, &p, limit, &end) || !skip_data(a, &p, end))
		return false;
	*data = a->b + p;
	*len = end - p;
	*pos = end;
	return true;
}

static struct fixedbar_aml_obj *get_obj(struct aml *a, const char *path)
{
	struct fixedbar_aml_ns *ns = a->ns;
	struct fixedbar_aml_obj *o;
	u32 i;

	for (i = 0; i < ns->nr_objs; i++)
		if (!strcmp(ns->objs[i].path, path))
			return &ns->objs[i];
	if (ns->nr_objs == ns->max_objs) {
		u32 max = ns->max_objs ? 2 * ns->max_objs : 16;

		o = realloc(ns->objs, max * sizeof(*o));
		if (!o) {
			a->err = -ENOMEM;
			return NULL;
		}
		ns->objs = o;
		ns->max_objs = max;
	}
	o = &ns->objs[ns->nr_objs++];
	memset(o, 0, sizeof(*o));
	snprintf(o->path, sizeof(o->path), "%s", path);
	return o;
}

static void add_bar_string(struct aml *a, struct fixedbar_aml_obj *o,
			   const char *s)
{
	char **bars = realloc(o->bars, (o->nr_bars + 1) * sizeof(*bars));

	if (bars) {
		o->bars = bars;
		bars[o->nr_bars] = strdup(s);
	}
	if (!bars || !bars[o->nr_bars]) {
		a->err = -ENOMEM;
		return;
	}
	o->nr_bars++;
}

/*
 * A property value that is a string or a package of strings: calls @fn on
 * each string.  Other elements are stepped over.
 */
static void each_string(struct aml *a, size_t p, size_t limit,
			struct fixedbar_aml_obj *o,
			void (*fn)(struct aml *a, struct fixedbar_aml_obj *o,
				   const char *s))
{
	const char *s;
	size_t end;

	if (get_string(a, &p, limit, &s)) {
		fn(a, o, s);
		return;
	}
	if (!get_package(a, &p, limit, &end))
		return;
	while (p < end && !a->err) {
		if (get_string(a, &p, end, &s))
			fn(a, o, s);
		else if (!skip_data(a, &p, end))
			return;
	}
}

static void match_compatible(struct aml *a, struct fixedbar_aml_obj *o,
			     const char *s)
{
	if (!strcmp(s, FIXEDBAR_AML_COMPATIBLE))
		o->compatible = true;
}

static void match_prp0001(struct aml *a, struct fixedbar_aml_obj *o,
			  const char *s)
{
	if (!strcmp(s, "PRP0001"))
		o->prp0001 = true;
}

/* the ACPI type of the data object at @p, as module/source_acpi.c names it */
static const char *aml_type(const struct aml *a, size_t p)
{
	switch (a->b[p]) {
	case 0x00: /* Zero */
	case 0x01: /* One */
	case 0xff: /* Ones */
	case 0x0a: /* BytePrefix */
	case 0x0b: /* WordPrefix */
	case 0x0c: /* DWordPrefix */
	case 0x0e: /* QWordPrefix */
	case 0x5b: /* Revision */
		return "an Integer";
	case 0x0d:
		return "a String";
	case 0x11:
		return "a Buffer";
	case 0x12:
	case 0x13:
		return "a Package";
	default:
		return "a reference";
	}
}

/*
 * "fixed-bars": a String or a Package of Strings, nothing else, the rule
 * module/source_acpi.c applies; anything else sets o->bad.
 */
static void get_bars(struct aml *a, size_t p, size_t limit,
		     struct fixedbar_aml_obj *o)
{
	size_t end, q = p;
	const char *s;
	u32 i;

	for (i = 0; q < limit && skip_data(a, &q, limit); i++)
		;
	if (i != 1 || q != limit) {
		snprintf(o->bad, sizeof(o->bad),
			 "property \"fixed-bars\" has %u values, not 1", i);
		return;
	}
	if (get_string(a, &p, limit, &s)) {
		add_bar_string(a, o, s);
		return;
	}
	if (!get_package(a, &p, limit, &end)) {
		snprintf(o->bad, sizeof(o->bad),
			 "property \"fixed-bars\" is %s, not a String or a Package of Strings",
			 aml_type(a, p));
		return;
	}
	for (i = 0; p < end && !a->err; i++) {
		if (get_string(a, &p, end, &s)) {
			add_bar_string(a, o, s);
			continue;
		}
		snprintf(o->bad, sizeof(o->bad),
			 "property \"fixed-bars\": element %u is %s, not a String",
			 i, aml_type(a, p));
		return;
	}
}

/* Package () { Package () { "key", value }, ... } of the properties UUID */
static void parse_props(struct aml *a, size_t p, size_t limit,
			struct fixedbar_aml_obj *o)
{
	size_t end, pend, q;
	const char *key;

	if (!get_package(a, &p, limit, &end))
		return;
	while (p < end && !a->err) {
		q = p;
		if (!get_package(a, &q, end, &pend)) {
			if (!skip_data(a, &p, end))
				return;
			continue;
		}
		p = pend;
		if (!get_string(a, &q, pend, &key))
			continue;
		if (!strcmp(key, "compatible")) {
			each_string(a, q, pend, o, match_compatible);
		} else if (!strcmp(key, "fixed-bars") && !o->nr_props++) {
			o->has_bars = true;
			snprintf(o->table, sizeof(o->table), "%s", a->table);
			get_bars(a, q, pend, o);
		}
	}
}

/* _DSD: Package () { UUID, Package, UUID, Package, ... } */
static void parse_dsd(struct aml *a, size_t p, size_t limit,
		      struct fixedbar_aml_obj *o)
{
	const u8 *uuid;
	size_t end, len;

	if (!get_package(a, &p, limit, &end))
		return;
	while (p < end && !a->err) {
		if (!get_buffer(a, &p, end, &uuid, &len))
			return;
		if (p >= end)
			return;
		if (len == sizeof(aml_props_uuid) &&
		    !memcmp(uuid, aml_props_uuid, len))
			parse_props(a, p, end, o);
		if (!skip_data(a, &p, end))
			return;
	}
}

/* NameOp: the value of _HID, _CID and _DSD matters, others are skipped */
static bool name_op(struct aml *a, size_t *pos, size_t limit, const char *scope)
{
	char name[FIXEDBAR_AML_PATH_LEN], parent[FIXEDBAR_AML_PATH_LEN];
	struct fixedbar_aml_obj *o = NULL;
	size_t p = *pos, seg;

	if (!get_name(a, &p, limit, scope, name, sizeof(name)))
		return false;
	strcpy(parent, name);
	path_up(parent);
	seg = strlen(name) >= 4 ? strlen(name) - 4 : 0;
	if (!strcmp(name + seg, "_HID") || !strcmp(name + seg, "_CID")) {
		struct fixedbar_aml_obj probe = { 0 };

		each_string(a, p, limit, &probe, match_prp0001);
		if (probe.prp0001) {
			o = get_obj(a, parent);
			if (o)
				o->prp0001 = true;
		}
	} else if (!strcmp(name + seg, "_DSD")) {
		o = get_obj(a, parent);
		if (o)
			parse_dsd(a, p, limit, o);
	}
	if (!skip_data(a, &p, limit))
		return false;
	*pos = p;
	return true;
}

/* @deep: the body at @pos is nested too deeply, not an unknown opcode */
static void skipped(struct aml *a, size_t pos, const char *scope, bool deep)
{
	struct fixedbar_aml_ns *ns = a->ns;

	if (ns->nr_skipped++)
		return;
	if (deep)
		snprintf(ns->skipped, sizeof(ns->skipped),
			 "%s: scopes nested more than %d deep at offset 0x%zx in %s",
			 a->table, AML_MAX_DEPTH, pos, scope);
	else
		snprintf(ns->skipped, sizeof(ns->skipped),
			 "%s: opcode 0x%02x at offset 0x%zx in %s", a->table,
			 a->b[pos], pos, scope);
}

static void walk(struct aml *a, size_t pos, size_t end, const char *scope,
		 int depth);

/* ScopeOp, DeviceOp: PkgLength NameString TermList */
static bool scope_op(struct aml *a, size_t *pos, size_t limit, int depth,
		     const char *scope)
{
	char name[FIXEDBAR_AML_PATH_LEN];
	size_t p = *pos, end;

	if (!get_pkglen(a, &p, limit, &end) ||
	    !get_name(a, &p, end, scope, name, sizeof(name)))
		return false;
	if (depth < AML_MAX_DEPTH)
		walk(a, p, end, name, depth + 1);
	else
		skipped(a, p, name, true);
	*pos = end;
	return true;
}

/* Steps over a PkgLength-delimited object (Method, Field, If, ...). */
static bool skip_pkg(const struct aml *a, size_t *pos, size_t limit)
{
	size_t end;

	if (!get_pkglen(a, pos, limit, &end))
		return false;
	*pos = end;
	return true;
}

static bool skip_names(const struct aml *a, size_t *pos, size_t limit, int n)
{
	char name[FIXEDBAR_AML_PATH_LEN];

	while (n--)
		if (!get_name(a, pos, limit, "\\", name, sizeof(name)))
			return false;
	return true;
}

static bool skip_args(const struct aml *a, size_t *pos, size_t limit, int n)
{
	while (n--)
		if (!skip_data(a, pos, limit))
			return false;
	return true;
}

/* One ExtOpPrefix (0x5b) declaration; *@pos is past the prefix. */
static bool ext_op(struct aml *a, size_t *pos, size_t limit, int depth,
		   const char *scope)
{
	size_t p = *pos + 1;
	bool ok;

	if (*pos >= limit)
		return false;
	switch (a->b[*pos]) {
	case 0x82: /* Device */
		ok = scope_op(a, &p, limit, depth, scope);
		break;
	case 0x80: /* OperationRegion: name, space, offset, length */
		ok = skip_names(a, &p, limit, 1) && ++p <= limit &&
		     skip_args(a, &p, limit, 2);
		break;
	case 0x81: /* Field */
	case 0x83: /* Processor */
	case 0x84: /* PowerResource */
	case 0x85: /* ThermalZone */
	case 0x86: /* IndexField */
	case 0x87: /* BankField */
		ok = skip_pkg(a, &p, limit);
		break;
	case 0x01: /* Mutex: name, sync level */
		ok = skip_names(a, &p, limit, 1) && ++p <= limit;
		break;
	case 0x02: /* Event */
		ok = skip_names(a, &p, limit, 1);
		break;
	case 0x13: /* CreateField: source, index, bits, name */
		ok = skip_args(a, &p, limit, 3) && skip_names(a, &p, limit, 1);
		break;
	case 0x88: /* DataTableRegion: name, 3 strings */
		ok = skip_names(a, &p, limit, 1) && skip_args(a, &p, limit, 3);
		break;
	default:
		ok = false;
	}
	if (ok)
		*pos = p;
	return ok;
}

static void walk(struct aml *a, size_t pos, size_t end, const char *scope,
		 int depth)
{
	size_t p;
	bool ok;

	while (pos < end && !a->err) {
		p = pos + 1;
		switch (a->b[pos]) {
		case 0x10: /* Scope */
			ok = scope_op(a, &p, end, depth, scope);
			break;
		case 0x08: /* Name */
			ok = name_op(a, &p, end, scope);
			break;
		case 0x5b:
			ok = ext_op(a, &p, end, depth, scope);
			break;
		case 0x14: /* Method */
		case 0x11: /* Buffer */
		case 0x12: /* Package */
		case 0x13: /* VarPackage */
		case 0xa0: /* If */
		case 0xa1: /* Else */
		case 0xa2: /* While */
			ok = skip_pkg(a, &p, end);
			break;
		case 0x15: /* External: name, type, argument count */
			ok = skip_names(a, &p, end, 1) && (p += 2) <= end;
			break;
		case 0x06: /* Alias */
			ok = skip_names(a, &p, end, 2);
			break;
		case 0x8a: /* CreateDWordField */
		case 0x8b: /* CreateWordField */
		case 0x8c: /* CreateByteField */
		case 0x8d: /* CreateBitField */
		case 0x8f: /* CreateQWordField */
			ok = skip_args(a, &p, end, 2) &&
			     skip_names(a, &p, end, 1);
			break;
		case 0xa3: /* Noop */
			ok = true;
			break;
		default:
			ok = false;
		}
		if (!ok) {
			skipped(a, pos, scope, false);
			return;
		}
		pos = p;
	}
}

int fixedbar_aml_scan(struct fixedbar_aml_ns *ns, const u8 *table, size_t len,
		      const char *name, char *msg, size_t msglen)
{
	struct aml a = { .b = table, .table = name, .ns = ns };
	u32 tlen;

	if (len < AML_HDR_LEN) {
		snprintf(msg, msglen, "%s: shorter than a table header", name);
		return -EINVAL;
	}
	if (memcmp(table, "DSDT", 4) && memcmp(table, "SSDT", 4)) {
		snprintf(msg, msglen, "%s: not a DSDT or SSDT", name);
		return -EINVAL;
	}
	tlen = (u32)table[4] | (u32)table[5] << 8 | (u32)table[6] << 16 |
	       (u32)table[7] << 24;
	if (tlen < AML_HDR_LEN || tlen > len) {
		snprintf(msg, msglen,
			 "%s: table length %u does not match the file (%zu bytes)",
			 name, tlen, len);
		return -EINVAL;
	}
	walk(&a, AML_HDR_LEN, tlen, "\\", 0);
	return a.err;
}

void fixedbar_aml_free(struct fixedbar_aml_ns *ns)
{
	u32 i, j;

	for (i = 0; i < ns->nr_objs; i++) {
		for (j = 0; j < ns->objs[i].nr_bars; j++)
			free(ns->objs[i].bars[j]);
		free(ns->objs[i].bars);
	}
	free(ns->objs);
	memset(ns, 0, sizeof(*ns));
}
