// SPDX-License-Identifier: GPL-2.0
/*
 * The AML walker (tools/fixedbar_aml.c) on tables built byte by byte:
 * what it finds in a small one, and the malformed ones that fuzzing
 * turned up (tests/fuzz/regress/aml).
 */
#include "fixedbar_aml.h"
#include "tap.h"

#define HDR_LEN 36

struct table {
	u8 b[4096];
	size_t len;
};

static void put(struct table *t, const void *s, size_t n)
{
	memcpy(t->b + t->len, s, n);
	t->len += n;
}

static void put_byte(struct table *t, u8 c)
{
	put(t, &c, 1);
}

/* a PkgLength of 1 or 2 bytes for a body of @n bytes after it */
static void put_pkglen(struct table *t, size_t n)
{
	if (n + 1 < 0x40) {
		put_byte(t, (u8)(n + 1));
		return;
	}
	n += 2;
	put_byte(t, (u8)(0x40 | (n & 0xf)));
	put_byte(t, (u8)(n >> 4));
}

static void header(struct table *t)
{
	memset(t->b, 0, HDR_LEN);
	memcpy(t->b, "SSDT", 4);
	t->b[4] = (u8)t->len;
	t->b[5] = (u8)(t->len >> 8);
}

/* Scope (\AAAA) { Scope (\AAAA) { ... } }, @depth of them */
static void nested_scopes(struct table *t, int depth)
{
	struct table body = { .len = 0 };
	struct table outer;
	int i;

	for (i = 0; i < depth; i++) {
		outer.len = 0;
		put_byte(&outer, 0x10);
		put_pkglen(&outer, 5 + body.len);
		put(&outer, "\\AAAA", 5);
		put(&outer, body.b, body.len);
		body = outer;
	}
	t->len = HDR_LEN;
	put(t, body.b, body.len);
	header(t);
}

static int scan(const struct table *t, struct fixedbar_aml_ns *ns)
{
	char msg[256];
	u8 *copy = malloc(t->len);
	int ret;

	/* a heap copy of the exact size, so ASan sees any overread */
	memcpy(copy, t->b, t->len);
	memset(ns, 0, sizeof(*ns));
	ret = fixedbar_aml_scan(ns, copy, t->len, "SSDT1", msg, sizeof(msg));
	free(copy);
	return ret;
}

static void test_deep_scopes(void)
{
	struct fixedbar_aml_ns ns;
	struct table t;
	int ret;

	/*
	 * 65 scopes, the innermost ending where the table ends: the walker
	 * stops at the 65th and used to read the opcode one byte past the
	 * table for its note.
	 */
	nested_scopes(&t, 65);
	ret = scan(&t, &ns);
	is_int(ret, 0, "65 nested scopes: scanned");
	is_int(ns.nr_skipped, 1, "65 nested scopes: one body stepped over");
	like(ns.skipped, "nested more than 64 deep",
	     "65 nested scopes: the note says why");
	fixedbar_aml_free(&ns);

	nested_scopes(&t, 64);
	ret = scan(&t, &ns);
	is_int(ret, 0, "64 nested scopes: scanned");
	is_int(ns.nr_skipped, 0, "64 nested scopes: nothing stepped over");
	fixedbar_aml_free(&ns);
}

/* Scope (\_SB) { Name (_DSD, Package () { ToUUID, Package () { prop } }) } */
static void test_dsd(void)
{
	static const u8 uuid[16] = { 0x14, 0xd8, 0xff, 0xda, 0xba, 0x6e,
				     0x8c, 0x4d, 0x8a, 0x91, 0xbc, 0x9b,
				     0xbf, 0x4a, 0xa3, 0x01 };
	static const char key[] = "fixed-bars", val[] = "bar0@0x1000";
	struct table prop = { .len = 0 }, props = { .len = 0 };
	struct table dsd = { .len = 0 }, t = { .len = HDR_LEN };
	struct fixedbar_aml_ns ns;
	int ret;

	/* Package () { "fixed-bars", "bar0@0x1000" } */
	put_byte(&prop, 0x12);
	put_pkglen(&prop, 1 + 2 + sizeof(key) + sizeof(val));
	put_byte(&prop, 2);
	put_byte(&prop, 0x0d);
	put(&prop, key, sizeof(key));
	put_byte(&prop, 0x0d);
	put(&prop, val, sizeof(val));
	/* Package () { prop } */
	put_byte(&props, 0x12);
	put_pkglen(&props, 1 + prop.len);
	put_byte(&props, 1);
	put(&props, prop.b, prop.len);
	/* Package () { Buffer (16) { uuid }, props } */
	put_byte(&dsd, 0x12);
	put_pkglen(&dsd, 1 + 4 + sizeof(uuid) + props.len);
	put_byte(&dsd, 2);
	put_byte(&dsd, 0x11);
	put_pkglen(&dsd, 2 + sizeof(uuid));
	put_byte(&dsd, 0x0a);
	put_byte(&dsd, sizeof(uuid));
	put(&dsd, uuid, sizeof(uuid));
	put(&dsd, props.b, props.len);

	put_byte(&t, 0x10);
	put_pkglen(&t, 5 + 5 + dsd.len);
	put(&t, "\\_SB_", 5);
	put_byte(&t, 0x08);
	put(&t, "_DSD", 4);
	put(&t, dsd.b, dsd.len);
	header(&t);

	ret = scan(&t, &ns);
	is_int(ret, 0, "_DSD: scanned");
	is_int(ns.nr_skipped, 0, "_DSD: nothing stepped over");
	if (is_int(ns.nr_objs, 1, "_DSD: one object")) {
		is_str(ns.objs[0].path, "\\_SB_", "_DSD: its path");
		ok(ns.objs[0].has_bars, "_DSD: has fixed-bars");
		if (is_int(ns.objs[0].nr_bars, 1, "_DSD: one string"))
			is_str(ns.objs[0].bars[0], val, "_DSD: the string");
	}
	fixedbar_aml_free(&ns);
}

int main(void)
{
	test_dsd();
	test_deep_scopes();
	return done_testing();
}
