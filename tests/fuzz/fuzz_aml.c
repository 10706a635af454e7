// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the AML walker (tools/fixedbar_aml.c): arbitrary
 * bytes as an ACPI table, once as given (the header checks) and once as
 * the body of a table with a valid header.  What it records must be sane:
 * absolute paths, terminated strings, and a second scan of the same table
 * finds no new objects.  Each "fixed-bars" string then goes through the
 * descriptor grammar as fixedbar-check would parse it.
 */
#include "fixedbar_aml.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define HDR_LEN 36

static void check(bool cond, const char *what)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz_aml: %s\n", what);
	abort();
}

static void check_ns(const struct fixedbar_aml_ns *ns)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_topo t;
	u32 i, j;

	check(ns->nr_objs <= ns->max_objs, "object count beyond capacity");
	check(memchr(ns->skipped, '\0', sizeof(ns->skipped)) != NULL,
	      "skipped note is not terminated");
	for (i = 0; i < ns->nr_objs; i++) {
		const struct fixedbar_aml_obj *o = &ns->objs[i];

		check(memchr(o->path, '\0', sizeof(o->path)) != NULL,
		      "path is not terminated");
		check(o->path[0] == '\\', "path is not absolute");
		check(memchr(o->table, '\0', sizeof(o->table)) != NULL,
		      "table name is not terminated");
		for (j = 0; j < i; j++)
			check(strcmp(o->path, ns->objs[j].path),
			      "two objects with one path");
		for (j = 0; j < o->nr_bars; j++) {
			check(o->bars[j] != NULL, "NULL bar string");
			fixedbar_topo_init(&t);
			fixedbar_parse_map(o->bars[j], &t, msg, sizeof(msg));
			fixedbar_topo_free(&t);
		}
	}
}

static void scan_table(const u8 *table, size_t len)
{
	struct fixedbar_aml_ns ns = { 0 };
	char msg[256];
	u32 nr;
	int ret;

	ret = fixedbar_aml_scan(&ns, table, len, "SSDT1", msg, sizeof(msg));
	check(ret == 0 || ret == -EINVAL || ret == -ENOMEM, "unexpected error");
	if (!ret) {
		check_ns(&ns);
		nr = ns.nr_objs;
		ret = fixedbar_aml_scan(&ns, table, len, "SSDT2", msg,
					sizeof(msg));
		check(!ret, "second scan fails");
		check(ns.nr_objs == nr, "second scan finds new objects");
		check_ns(&ns);
	}
	fixedbar_aml_free(&ns);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	size_t len;
	u8 *buf;

	/* as given, in a buffer of exactly its size */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	scan_table(buf, size);
	free(buf);

	/* as a table body: a header of its own replaces one it may have */
	if (size >= HDR_LEN &&
	    (!memcmp(data, "DSDT", 4) || !memcmp(data, "SSDT", 4))) {
		data += HDR_LEN;
		size -= HDR_LEN;
	}
	len = HDR_LEN + size;
	buf = malloc(len);
	if (!buf)
		return 0;
	memset(buf, 0, HDR_LEN);
	memcpy(buf, "SSDT", 4);
	buf[4] = (u8)len;
	buf[5] = (u8)(len >> 8);
	buf[6] = (u8)(len >> 16);
	buf[7] = (u8)(len >> 24);
	buf[8] = 2;
	memcpy(buf + HDR_LEN, data, size);
	scan_table(buf, len);
	free(buf);
	return 0;
}
