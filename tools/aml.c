// SPDX-License-Identifier: GPL-2.0
/*
 * AML encoder for fixedbar-host (ACPI 6.x, section 20 "AML
 * Specification").  Every variable-length object (Scope, Device, Package,
 * Buffer) starts with a PkgLength that counts its own bytes too, so the
 * body is written first and the PkgLength inserted in front of it when
 * the object is closed.
 */
#include <ctype.h>

#include "aml.h"

#define AML_SCOPE_OP 0x10
#define AML_NAME_OP 0x08
#define AML_BUFFER_OP 0x11
#define AML_PACKAGE_OP 0x12
#define AML_STRING_PREFIX 0x0d
#define AML_BYTE_PREFIX 0x0a
#define AML_EXT_OP_PREFIX 0x5b
#define AML_DEVICE_OP 0x82
#define AML_ROOT_CHAR 0x5c

#define ACPI_HEADER_LEN 36
/* PkgLength: at most 4 bytes, 28 bits */
#define AML_PKGLEN_MAX ((1u << 28) - 1)

struct aml_buf {
	u8 *data;
	size_t len;
	size_t cap;
	int err;
};

static void aml_put(struct aml_buf *b, const void *p, size_t n)
{
	size_t cap;
	u8 *d;

	if (b->err)
		return;
	if (b->len + n > b->cap) {
		cap = b->cap ? b->cap * 2 : 256;
		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d) {
			b->err = -ENOMEM;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void aml_byte(struct aml_buf *b, u8 v)
{
	aml_put(b, &v, 1);
}

/* the body of an object starts here; returns where, for aml_close() */
static size_t aml_open(struct aml_buf *b, u8 op)
{
	aml_byte(b, op);
	return b->len;
}

/* inserts the PkgLength of everything written since @mark at @mark */
static void aml_close(struct aml_buf *b, size_t mark)
{
	size_t body = b->len - mark, total;
	u8 enc[4];
	int n, i;

	if (b->err)
		return;
	/* one byte holds 6 bits; each further byte adds 8 (first: 4 bits) */
	for (n = 1; n <= 4; n++) {
		total = body + n;
		if (n == 1 ? total < 64 : total < (1u << (4 + 8 * (n - 1))))
			break;
	}
	if (n > 4 || body + n > AML_PKGLEN_MAX) {
		b->err = -EINVAL;
		return;
	}
	if (n == 1) {
		enc[0] = total;
	} else {
		enc[0] = (n - 1) << 6 | (total & 0xf);
		for (i = 1; i < n; i++)
			enc[i] = total >> (4 + 8 * (i - 1));
	}
	aml_put(b, enc, n); /* grow, then shift the body up */
	if (b->err)
		return;
	memmove(b->data + mark + n, b->data + mark, body);
	memcpy(b->data + mark, enc, n);
}

static void aml_string(struct aml_buf *b, const char *s)
{
	aml_byte(b, AML_STRING_PREFIX);
	aml_put(b, s, strlen(s) + 1);
}

/* Package () { ... }: the caller writes @count elements, then closes */
static size_t aml_package(struct aml_buf *b, size_t count)
{
	size_t mark = aml_open(b, AML_PACKAGE_OP);

	aml_byte(b, count);
	return mark;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

/* ToUUID ("aabbccdd-eeff-gghh-iijj-kkllmmnnoopp"): a 16-byte Buffer */
static void aml_uuid(struct aml_buf *b, const char *uuid)
{
	/* byte i of the buffer is hex digit pair order[i] of the string */
	static const u8 order[16] = { 3, 2, 1,	0,  5,	4,  7,	6,
				      8, 9, 10, 11, 12, 13, 14, 15 };
	u8 pairs[16], out[16];
	size_t mark;
	int i, n = 0;

	for (i = 0; uuid[i] && n < 16; i++) {
		if (uuid[i] == '-')
			continue;
		pairs[n++] = hexval(uuid[i]) << 4 | hexval(uuid[i + 1]);
		i++;
	}
	for (i = 0; i < 16; i++)
		out[i] = pairs[order[i]];
	mark = aml_open(b, AML_BUFFER_OP);
	aml_byte(b, AML_BYTE_PREFIX);
	aml_byte(b, sizeof(out));
	aml_put(b, out, sizeof(out));
	aml_close(b, mark);
}

bool fixedbar_acpi_name_ok(const char *s)
{
	int i;

	if (strlen(s) != 4 || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < 4; i++)
		if (!isupper((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/* "compatible" and "fixed-bars" in a _DSD device-properties package */
static void aml_properties(struct aml_buf *b, const char *const *entries,
			   size_t nr)
{
	size_t props, prop, list, i;

	props = aml_package(b, 2);
	prop = aml_package(b, 2);
	aml_string(b, "compatible");
	aml_string(b, "linux,pci-fixedbar");
	aml_close(b, prop);
	prop = aml_package(b, 2);
	aml_string(b, "fixed-bars");
	list = aml_package(b, nr);
	for (i = 0; i < nr; i++)
		aml_string(b, entries[i]);
	aml_close(b, list);
	aml_close(b, prop);
	aml_close(b, props);
}

static void aml_header(u8 *h, const struct fixedbar_ssdt_id *id, size_t len)
{
	u32 v = len;
	int i;

	memcpy(h, "SSDT", 4);
	for (i = 0; i < 4; i++) {
		h[4 + i] = v >> (8 * i);
		h[24 + i] = id->oem_revision >> (8 * i);
	}
	h[32] = 1; /* creator revision */
	h[8] = 1; /* revision 1: 32-bit integers, we only use strings */
	memset(h + 10, 0, 14);
	memcpy(h + 10, id->oem_id, strlen(id->oem_id));
	memcpy(h + 16, id->oem_table_id, strlen(id->oem_table_id));
	memcpy(h + 28, "FXBR", 4); /* creator ID */
}

int fixedbar_aml_ssdt(const struct fixedbar_ssdt_id *id,
		      const char *const *entries, size_t nr_entries, u8 **table,
		      size_t *len)
{
	static const u8 sb[] = { AML_ROOT_CHAR, '_', 'S', 'B', '_' };
	struct aml_buf b = { 0 };
	size_t scope, dev, dsd, i;
	u8 sum = 0;

	if (!fixedbar_acpi_name_ok(id->device) || strlen(id->oem_id) > 6 ||
	    strlen(id->oem_table_id) > 8 ||
	    nr_entries > FIXEDBAR_AML_MAX_ENTRIES)
		return -EINVAL;
	b.data = calloc(1, ACPI_HEADER_LEN);
	if (!b.data)
		return -ENOMEM;
	b.len = b.cap = ACPI_HEADER_LEN;

	scope = aml_open(&b, AML_SCOPE_OP);
	aml_put(&b, sb, sizeof(sb));
	aml_byte(&b, AML_EXT_OP_PREFIX);
	dev = aml_open(&b, AML_DEVICE_OP);
	aml_put(&b, id->device, 4);
	aml_byte(&b, AML_NAME_OP);
	aml_put(&b, "_HID", 4);
	aml_string(&b, "PRP0001");
	aml_byte(&b, AML_NAME_OP);
	aml_put(&b, "_DSD", 4);
	dsd = aml_package(&b, 2);
	aml_uuid(&b, FIXEDBAR_DSD_UUID);
	aml_properties(&b, entries, nr_entries);
	aml_close(&b, dsd);
	aml_close(&b, dev);
	aml_close(&b, scope);
	if (b.err) {
		free(b.data);
		return b.err;
	}

	aml_header(b.data, id, b.len);
	for (i = 0; i < b.len; i++)
		sum += b.data[i];
	b.data[9] = -sum;
	*table = b.data;
	*len = b.len;
	return 0;
}
