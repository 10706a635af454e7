// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor grammar (docs/topology-json.md, "Descriptor grammar"):
 *
 *   entry   := device '=' fixed { ',' fixed }
 *   fixed   := bar '@' address [ '+' size ]
 *   device  := [ domain ':' ] bus ':' slot '.' func { '/' slot '.' func }
 *   size    := ( '0x' hex | decimal ) [ 'K' | 'M' | 'G' | 'T' ]
 *   map     := entry { ';' entry }
 *
 * Entries come from firmware tables, the module's map= parameter and
 * people typing them, so every rejection says what is wrong and where.
 */
#include "fixedbar.h"

#define QUOTE_LEN 96

struct cursor {
	const char *s;
	size_t len;
	size_t pos;
	char *msg;
	size_t msglen;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* The entry as a printable quote, shortened when long. */
static void quote(const char *s, size_t len, char *buf, size_t buflen)
{
	size_t i, n = len < QUOTE_LEN ? len : QUOTE_LEN;

	if (n + 4 > buflen)
		n = buflen - 4;
	for (i = 0; i < n; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	if (n < len)
		memcpy(buf + i, "...", 4);
}

static int fail(struct cursor *c, const char *what)
{
	char q[QUOTE_LEN + 4];

	if (c->msg && c->msglen) {
		quote(c->s, c->len, q, sizeof(q));
		snprintf(c->msg, c->msglen, "entry '%s': %s", q, what);
	}
	return -EINVAL;
}

static bool at_end(const struct cursor *c)
{
	return c->pos >= c->len;
}

static char peek(const struct cursor *c)
{
	return at_end(c) ? '\0' : c->s[c->pos];
}

/* Describes the character at the cursor: "'x' at column 5", "end of entry" */
static void describe_here(const struct cursor *c, char *buf, size_t len)
{
	char ch = peek(c);
	size_t col = c->pos + 1;

	if (at_end(c))
		snprintf(buf, len, "the end of the entry");
	else if (is_space(ch))
		snprintf(buf, len,
			 "whitespace at column %zu (entries contain no whitespace)",
			 col);
	else if (ch < 0x20 || ch >= 0x7f)
		snprintf(buf, len, "byte 0x%02x at column %zu",
			 (unsigned int)(unsigned char)ch, col);
	else
		snprintf(buf, len, "'%c' at column %zu", ch, col);
}

static int fail_expected(struct cursor *c, const char *expected)
{
	char here[80], what[192];

	describe_here(c, here, sizeof(here));
	snprintf(what, sizeof(what), "expected %s, found %s", expected, here);
	return fail(c, what);
}

/* Reads a run of hex digits; returns how many, the value in *@val. */
static size_t hex_run(struct cursor *c, u64 *val, bool *overflow)
{
	size_t start = c->pos;
	int d;

	*val = 0;
	*overflow = false;
	while (!at_end(c) && (d = hexval(c->s[c->pos])) >= 0) {
		if (*val >> 60)
			*overflow = true;
		*val = *val << 4 | (u64)d;
		c->pos++;
	}
	return c->pos - start;
}

/*
 * One numeric field of the device path: at least one and at most @maxd hex
 * digits, value at most @maxv.
 */
static int field(struct cursor *c, const char *name, size_t maxd, u64 maxv,
		 u64 *val)
{
	char what[160];
	size_t start = c->pos, n;
	bool ovf;

	n = hex_run(c, val, &ovf);
	if (!n) {
		snprintf(what, sizeof(what), "a hex %s number", name);
		return fail_expected(c, what);
	}
	if (n > maxd) {
		snprintf(what, sizeof(what),
			 "%s '%.*s' at column %zu has more than %zu hex digit%s",
			 name, (int)n, c->s + start, start + 1, maxd,
			 maxd > 1 ? "s" : "");
		return fail(c, what);
	}
	if (*val > maxv) {
		snprintf(what, sizeof(what),
			 "%s 0x%llx at column %zu is out of range (at most 0x%llx)",
			 name, (unsigned long long)*val, start + 1,
			 (unsigned long long)maxv);
		return fail(c, what);
	}
	return 0;
}

static int expect(struct cursor *c, char ch, const char *expected)
{
	if (peek(c) != ch || at_end(c))
		return fail_expected(c, expected);
	c->pos++;
	return 0;
}

static int slot_func(struct cursor *c, u8 *devfn)
{
	u64 slot, func;
	int ret;

	ret = field(c, "slot", 2, 0x1f, &slot);
	if (!ret)
		ret = expect(c, '.', "'.' after the slot");
	if (!ret)
		ret = field(c, "function", 1, 7, &func);
	if (!ret)
		*devfn = (u8)(slot << 3 | func);
	return ret;
}

static int parse_device(struct cursor *c, struct fixedbar_entry *e)
{
	size_t first = c->pos, n;
	char what[160];
	bool ovf, domain;
	u64 a, b;
	int ret;

	/* "dddd:bb:" or "bb:"; which one shows only at the second ':' */
	n = hex_run(c, &a, &ovf);
	if (!n)
		return fail_expected(c, "a hex bus or domain number");
	ret = expect(c, ':', "':' after the bus or domain");
	if (ret)
		return ret;
	hex_run(c, &b, &ovf);
	domain = peek(c) == ':' && !at_end(c);
	c->pos = first;
	if (domain) {
		ret = field(c, "domain", 4, 0xffff, &a);
		if (ret)
			return ret;
		e->domain = (u16)a;
		c->pos++;
	}
	ret = field(c, "bus", 2, 0xff, &b);
	if (ret)
		return ret;
	e->bus = (u8)b;
	ret = expect(c, ':', "':' after the bus");
	if (ret)
		return ret;

	for (;;) {
		if (e->nr_hops == FIXEDBAR_MAX_DEPTH + 1) {
			snprintf(what, sizeof(what),
				 "device path has more than %d hops",
				 FIXEDBAR_MAX_DEPTH + 1);
			return fail(c, what);
		}
		ret = slot_func(c, &e->devfn[e->nr_hops]);
		if (ret)
			return ret;
		e->nr_hops++;
		if (peek(c) != '/' || at_end(c))
			break;
		c->pos++;
	}
	if (at_end(c))
		return fail(c, "no '=' and BAR list after the device path");
	return expect(c, '=', "'/' or '=' after the device path");
}

static int bar_name(struct cursor *c, u8 *bar)
{
	size_t start = c->pos, n;
	char what[160];
	char ch;

	while (!at_end(c)) {
		ch = c->s[c->pos];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9')))
			break;
		c->pos++;
	}
	n = c->pos - start;
	if (!n)
		return fail_expected(c, "a BAR name (bar0..bar5)");
	if (n == 4 && !strncmp(c->s + start, "bar", 3) &&
	    c->s[start + 3] >= '0' && c->s[start + 3] <= '5') {
		*bar = (u8)(c->s[start + 3] - '0');
		return 0;
	}
	if ((n == 3 && !strncmp(c->s + start, "rom", 3)) ||
	    (n == 3 && !strncmp(c->s + start, "vf", 2)))
		snprintf(what, sizeof(what),
			 "%.*s at column %zu cannot be fixed (only bar0..bar5 can)",
			 (int)n, c->s + start, start + 1);
	else
		snprintf(what, sizeof(what),
			 "%.*s at column %zu is not a BAR name (bar0..bar5)",
			 (int)(n > 32 ? 32 : n), c->s + start, start + 1);
	return fail(c, what);
}

static int bar_address(struct cursor *c, u8 bar, u64 *addr)
{
	size_t start = c->pos, n;
	char what[192];
	bool ovf;

	if (at_end(c) || peek(c) == ',') {
		snprintf(what, sizeof(what),
			 "bar%u has an empty address at column %zu", bar,
			 start + 1);
		return fail(c, what);
	}
	if (c->len - c->pos < 2 || c->s[c->pos] != '0' ||
	    (c->s[c->pos + 1] != 'x' && c->s[c->pos + 1] != 'X')) {
		if (hexval(peek(c)) < 0)
			return fail_expected(c, "a 0x address");
		hex_run(c, addr, &ovf);
		snprintf(what, sizeof(what),
			 "address '%.*s' of bar%u at column %zu has no 0x prefix",
			 (int)(c->pos - start > 32 ? 32 : c->pos - start),
			 c->s + start, bar, start + 1);
		return fail(c, what);
	}
	c->pos += 2;
	n = hex_run(c, addr, &ovf);
	if (!n) {
		snprintf(what, sizeof(what),
			 "bar%u has an empty address '0x' at column %zu", bar,
			 start + 1);
		return fail(c, what);
	}
	if (ovf) {
		snprintf(what, sizeof(what),
			 "address of bar%u at column %zu does not fit in 64 bits",
			 bar, start + 1);
		return fail(c, what);
	}
	return 0;
}

/* Reads a run of decimal digits; returns how many, the value in *@val. */
static size_t dec_run(struct cursor *c, u64 *val, bool *overflow)
{
	size_t start = c->pos;
	u64 d;

	*val = 0;
	*overflow = false;
	while (!at_end(c) && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
		d = (u64)(c->s[c->pos] - '0');
		if (*val > (~0ULL - d) / 10)
			*overflow = true;
		*val = *val * 10 + d;
		c->pos++;
	}
	return c->pos - start;
}

/* A memparse() suffix: K, M, G or T in either case; 0 when none. */
static unsigned int size_shift(struct cursor *c)
{
	static const char units[] = "kmgt";
	const char *u;
	char ch = peek(c);

	if (at_end(c) || ch == '\0')
		return 0;
	u = strchr(units, ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	if (!u)
		return 0;
	c->pos++;
	return 10 * (unsigned int)(u - units + 1);
}

/* The number of a "+SIZE": hex with 0x, or decimal without a leading 0. */
static int size_number(struct cursor *c, u8 bar, u64 *size, bool *ovf)
{
	size_t start = c->pos, n;
	char what[192];

	if (c->len - c->pos >= 2 && c->s[c->pos] == '0' &&
	    (c->s[c->pos + 1] == 'x' || c->s[c->pos + 1] == 'X')) {
		c->pos += 2;
		n = hex_run(c, size, ovf);
	} else {
		n = dec_run(c, size, ovf);
		if (n > 1 && c->s[start] == '0') {
			snprintf(what, sizeof(what),
				 "size of bar%u at column %zu has a leading 0 (octal is not accepted; write 0x... or decimal)",
				 bar, start + 1);
			return fail(c, what);
		}
	}
	if (!n)
		return fail_expected(c,
				     "a size (0x hex or decimal, optional K/M/G/T) after '+'");
	return 0;
}

/*
 * "+SIZE" after an address: the size of the BAR, as the kernel's memparse()
 * reads it but without octal.  A BAR's size is a power of two and its
 * address a multiple of it.
 */
static int bar_size(struct cursor *c, u8 bar, u64 addr, u64 *size)
{
	size_t start = c->pos;
	unsigned int shift;
	char what[192];
	bool ovf;
	int ret;

	ret = size_number(c, bar, size, &ovf);
	if (ret)
		return ret;
	shift = size_shift(c);
	if (ovf || (shift && *size >> (64 - shift)))
		ovf = true;
	else
		*size <<= shift;
	if (ovf)
		snprintf(what, sizeof(what),
			 "size of bar%u at column %zu does not fit in 64 bits",
			 bar, start + 1);
	else if (!*size || (*size & (*size - 1)))
		snprintf(what, sizeof(what),
			 "size 0x%llx of bar%u at column %zu is not a power of two",
			 (unsigned long long)*size, bar, start + 1);
	else if (addr & (*size - 1))
		snprintf(what, sizeof(what),
			 "address 0x%llx of bar%u is not a multiple of its size 0x%llx",
			 (unsigned long long)addr, bar,
			 (unsigned long long)*size);
	else if (addr + (*size - 1) < addr)
		snprintf(what, sizeof(what),
			 "bar%u [0x%llx + 0x%llx] ends beyond 2^64", bar,
			 (unsigned long long)addr, (unsigned long long)*size);
	else
		return 0;
	return fail(c, what);
}

static int add_bar(struct cursor *c, struct fixedbar_entry *e, u8 bar, u64 addr,
		   u64 size)
{
	char what[160];
	int i;

	for (i = 0; i < e->nr_bars; i++) {
		if (e->bars[i].bar != bar)
			continue;
		if (e->bars[i].addr != addr)
			snprintf(what, sizeof(what),
				 "bar%u named twice with different addresses (0x%llx and 0x%llx)",
				 bar, (unsigned long long)e->bars[i].addr,
				 (unsigned long long)addr);
		else if (size && e->bars[i].size && e->bars[i].size != size)
			snprintf(what, sizeof(what),
				 "bar%u named twice with different sizes (0x%llx and 0x%llx)",
				 bar, (unsigned long long)e->bars[i].size,
				 (unsigned long long)size);
		else
			break;
		return fail(c, what);
	}
	if (i < e->nr_bars) {
		if (size)
			e->bars[i].size = size;
		return 0;
	}
	/* at most six distinct names exist, so this always fits */
	e->bars[e->nr_bars].bar = bar;
	e->bars[e->nr_bars].addr = addr;
	e->bars[e->nr_bars].size = size;
	e->nr_bars++;
	return 0;
}

int fixedbar_parse_entry(const char *s, size_t len, struct fixedbar_entry *e,
			 char *msg, size_t msglen)
{
	struct cursor c = { .s = s, .len = len, .msg = msg, .msglen = msglen };
	char what[80];
	u64 addr = 0, size;
	u8 bar = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	if (!len) {
		if (msg && msglen)
			snprintf(msg, msglen, "empty descriptor entry");
		return -EINVAL;
	}
	ret = parse_device(&c, e);
	while (!ret) {
		ret = bar_name(&c, &bar);
		if (!ret)
			ret = expect(&c, '@',
				     "'@' and an address after the BAR name");
		if (!ret)
			ret = bar_address(&c, bar, &addr);
		size = 0;
		if (!ret && peek(&c) == '+' && !at_end(&c)) {
			c.pos++;
			ret = bar_size(&c, bar, addr, &size);
		}
		if (!ret)
			ret = add_bar(&c, e, bar, addr, size);
		if (ret || at_end(&c))
			break;
		if (peek(&c) != ',') {
			snprintf(what, sizeof(what),
				 "'+', ',' or the end of the entry after the address of bar%u",
				 bar);
			ret = fail_expected(&c, what);
			break;
		}
		c.pos++;
	}
	if (ret)
		memset(e, 0, sizeof(*e));
	return ret;
}

/*
 * Whitespace around entries is tolerated: a value written to a sysfs
 * parameter ends with a newline, and firmware strings may be wrapped.
 * Inside an entry it is an error.  Empty entries are errors, except one
 * trailing ';'.  An empty map fixes nothing.
 *
 * Every entry is parsed before any is added, so a syntax error leaves @t
 * unchanged; a conflict with an earlier entry (the same BAR at two
 * addresses) may leave the entries before it added.
 */
static int map_pass(const char *s, struct fixedbar_topo *t, char *msg,
		    size_t msglen)
{
	struct fixedbar_entry e;
	size_t pos = 0, len = strlen(s), a, b;
	int ret;

	while (pos < len) {
		a = pos;
		while (a < len && is_space(s[a]))
			a++;
		b = a;
		while (b < len && s[b] != ';')
			b++;
		pos = b + 1;
		while (b > a && is_space(s[b - 1]))
			b--;
		if (a == b) {
			/* a trailing ";" ends the map, a lone ";" does not */
			if (pos >= len && a > 0)
				return 0;
			if (msg && msglen)
				snprintf(msg, msglen,
					 "map: empty entry at column %zu",
					 a + 1);
			return -EINVAL;
		}
		ret = fixedbar_parse_entry(s + a, b - a, &e, msg, msglen);
		if (!ret && t)
			ret = fixedbar_topo_add_entry(t, &e, msg, msglen);
		if (ret)
			return ret;
	}
	return 0;
}

int fixedbar_parse_map(const char *s, struct fixedbar_topo *t, char *msg,
		       size_t msglen)
{
	size_t i;
	int ret;

	if (!s)
		return 0;
	for (i = 0; s[i] && is_space(s[i]); i++)
		;
	if (!s[i])
		return 0;
	ret = map_pass(s, NULL, msg, msglen);
	if (!ret)
		ret = map_pass(s, t, msg, msglen);
	return ret;
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

int fixedbar_format_entry(const struct fixedbar_entry *e, char *buf, size_t len)
{
	size_t used = 0;
	bool fits;
	int i, bar;
	char sep = '=';

	if (!len)
		return -ENOSPC;
	fits = advance(&used, len,
		       snprintf(buf, len, "%04x:%02x:%02x.%x", e->domain,
				e->bus, e->devfn[0] >> 3, e->devfn[0] & 7));
	for (i = 1; i < e->nr_hops && i <= FIXEDBAR_MAX_DEPTH && fits; i++)
		fits = advance(&used, len,
			       snprintf(buf + used, len - used, "/%02x.%x",
					e->devfn[i] >> 3, e->devfn[i] & 7));
	/* canonical: BARs in ascending order */
	for (bar = 0; bar < 6 && fits; bar++) {
		for (i = 0; i < e->nr_bars && e->bars[i].bar != bar; i++)
			;
		if (i == e->nr_bars)
			continue;
		fits = advance(&used, len,
			       snprintf(buf + used, len - used,
					"%cbar%d@0x%llx", sep, bar,
					(unsigned long long)e->bars[i].addr));
		if (e->bars[i].size && fits)
			fits = advance(&used, len,
				       snprintf(buf + used, len - used,
						"+0x%llx",
						(unsigned long long)e->bars[i]
							.size));
		sep = ',';
	}
	return fits ? (int)used : -ENOSPC;
}
