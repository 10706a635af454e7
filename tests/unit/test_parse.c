// SPDX-License-Identifier: GPL-2.0
/*
 * The descriptor grammar: good entries round-trip to their canonical form,
 * bad ones fail with -EINVAL and say what is wrong.
 */
#include "fixedbar.h"
#include "tap.h"

struct entry_case {
	const char *in;
	int err;
	const char *want;	/* canonical form, or a piece of the message */
};

static const struct entry_case entry_cases[] = {
	/* good */
	{ "0000:00:01.0=bar0@0x1000", 0, "0000:00:01.0=bar0@0x1000" },
	{ "00:01.0=bar0@0x1000", 0, "0000:00:01.0=bar0@0x1000" },
	{ "0:0:1.0=bar0@0x1000", 0, "0000:00:01.0=bar0@0x1000" },
	{ "0001:02:1f.7=bar5@0xffffffffffffffff", 0,
	  "0001:02:1f.7=bar5@0xffffffffffffffff" },
	{ "ABCD:EF:1F.7=bar1@0XABCDEF", 0, "abcd:ef:1f.7=bar1@0xabcdef" },
	{ "0000:00:01.0/00.0/01.0/00.0=bar2@0x8000000000,bar4@0x8040000000", 0,
	  "0000:00:01.0/00.0/01.0/00.0=bar2@0x8000000000,bar4@0x8040000000" },
	{ "0000:00:01.0=bar4@0x2000,bar2@0x1000", 0,
	  "0000:00:01.0=bar2@0x1000,bar4@0x2000" },
	{ "0000:00:01.0=bar2@0x1000,bar2@0x1000", 0,
	  "0000:00:01.0=bar2@0x1000" },
	{ "0000:00:01.0=bar0@0x0", 0, "0000:00:01.0=bar0@0x0" },
	{ "0000:00:01.0=bar0@0x00000000000000000000001000", 0,
	  "0000:00:01.0=bar0@0x1000" },
	{ "0000:00:01.0=bar0@0x1,bar1@0x2,bar2@0x3,bar3@0x4,bar4@0x5,bar5@0x6",
	  0, "0000:00:01.0=bar0@0x1,bar1@0x2,bar2@0x3,bar3@0x4,bar4@0x5,bar5@0x6" },
	{ "ffff:ff:1f.7/1f.7=bar0@0x10", 0, "ffff:ff:1f.7/1f.7=bar0@0x10" },

	/* sizes: memparse() suffixes, hex or decimal, canonical in hex */
	{ "00:01.0=bar2@0x8000000000+1G", 0, "0000:00:01.0=bar2@0x8000000000+0x40000000" },
	{ "00:01.0=bar2@0x8000000000+1g", 0, "0000:00:01.0=bar2@0x8000000000+0x40000000" },
	{ "00:01.0=bar0@0xc0000000+4k,bar2@0x8000000000+0x100000", 0,
	  "0000:00:01.0=bar0@0xc0000000+0x1000,bar2@0x8000000000+0x100000" },
	{ "00:01.0=bar0@0xc0000000+2M", 0, "0000:00:01.0=bar0@0xc0000000+0x200000" },
	{ "00:01.0=bar0@0x0+1T", 0, "0000:00:01.0=bar0@0x0+0x10000000000" },
	{ "00:01.0=bar0@0x1000+4096", 0, "0000:00:01.0=bar0@0x1000+0x1000" },
	{ "00:01.0=bar0@0x4000+0x10K", 0, "0000:00:01.0=bar0@0x4000+0x4000" },
	{ "00:01.0=bar0@0x1000+4k,bar0@0x1000", 0, "0000:00:01.0=bar0@0x1000+0x1000" },
	{ "00:01.0=bar0@0x1000,bar0@0x1000+4k", 0, "0000:00:01.0=bar0@0x1000+0x1000" },
	{ "00:01.0=bar0@0x8000000000000000+0x8000000000000000", 0,
	  "0000:00:01.0=bar0@0x8000000000000000+0x8000000000000000" },

	/* bad: sizes */
	{ "00:01.0=bar0@0x1000+", -EINVAL, "expected a size (0x hex or decimal, optional K/M/G/T) after '+', found the end of the entry" },
	{ "00:01.0=bar0@0x1000+K", -EINVAL, "expected a size" },
	{ "00:01.0=bar0@0x1000+0x", -EINVAL, "expected a size" },
	{ "00:01.0=bar0@0x1000+3K", -EINVAL, "size 0xc00 of bar0 at column 21 is not a power of two" },
	{ "00:01.0=bar0@0x1000+0", -EINVAL, "size 0x0 of bar0 at column 21 is not a power of two" },
	{ "00:01.0=bar0@0x1000+010", -EINVAL, "size of bar0 at column 21 has a leading 0 (octal is not accepted" },
	{ "00:01.0=bar0@0x1000+8K", -EINVAL, "address 0x1000 of bar0 is not a multiple of its size 0x2000" },
	{ "00:01.0=bar0@0x0+16777216T", -EINVAL, "size of bar0 at column 18 does not fit in 64 bits" },
	{ "00:01.0=bar0@0x0+99999999999999999999", -EINVAL, "does not fit in 64 bits" },
	{ "00:01.0=bar0@0x1000+4KB", -EINVAL, "expected '+', ',' or the end of the entry after the address of bar0, found 'B' at column 23" },
	{ "00:01.0=bar0@0x0+4K,bar0@0x0+8K", -EINVAL, "bar0 named twice with different sizes (0x1000 and 0x2000)" },
	{ "00:01.0=bar0@0x1000+ 4K", -EINVAL, "whitespace at column 21" },

	/* bad: device path */
	{ "", -EINVAL, "empty descriptor entry" },
	{ "=bar0@0x1000", -EINVAL, "expected a hex bus or domain number, found '='" },
	{ "0000:00:01=bar0@0x1000", -EINVAL, "expected '.' after the slot, found '='" },
	{ "0000:00:01.8=bar0@0x1000", -EINVAL, "function 0x8 at column 12 is out of range (at most 0x7)" },
	{ "0000:00:20.0=bar0@0x1000", -EINVAL, "slot 0x20 at column 9 is out of range (at most 0x1f)" },
	{ "0000:00:001.0=bar0@0x1000", -EINVAL, "slot '001' at column 9 has more than 2 hex digits" },
	{ "00000:00:01.0=bar0@0x1000", -EINVAL, "domain '00000' at column 1 has more than 4 hex digits" },
	{ "0000:000:01.0=bar0@0x1000", -EINVAL, "bus '000' at column 6 has more than 2 hex digits" },
	{ "000:01.0=bar0@0x1000", -EINVAL, "bus '000' at column 1 has more than 2 hex digits" },
	{ "0000:00:01.00=bar0@0x1000", -EINVAL, "function '00' at column 12 has more than 1 hex digit" },
	{ "0000:00:01.=bar0@0x1000", -EINVAL, "expected a hex function number, found '=' at column 12" },
	{ "0000:00:01.0", -EINVAL, "no '=' and BAR list after the device path" },
	{ "0000:00:01.0/", -EINVAL, "expected a hex slot number, found the end of the entry" },
	{ "0000:00:01.0//00.0=bar0@0x1", -EINVAL, "expected a hex slot number, found '/' at column 14" },
	{ "0000:00:01.0:00.0=bar0@0x1", -EINVAL, "expected '/' or '=' after the device path, found ':' at column 13" },
	{ "0000:00:0g.0=bar0@0x1", -EINVAL, "expected '.' after the slot, found 'g' at column 10" },
	{ " 0000:00:01.0=bar0@0x1000", -EINVAL, "whitespace at column 1" },
	{ "0000:00:01.0 =bar0@0x1000", -EINVAL, "whitespace at column 13 (entries contain no whitespace)" },
	{ "0000:00:01.0=bar0@0x1000\n", -EINVAL, "whitespace at column 25" },
	{ "0000:00:01.0\x01=bar0@0x1", -EINVAL, "byte 0x01 at column 13" },
	{ "0000:00:01.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0=bar0@0x1",
	  -EINVAL, "device path has more than 33 hops" },

	/* bad: BARs and addresses */
	{ "0000:00:01.0=", -EINVAL, "expected a BAR name (bar0..bar5), found the end of the entry" },
	{ "0000:00:01.0=bar7@0x1000", -EINVAL, "bar7 at column 14 is not a BAR name (bar0..bar5)" },
	{ "0000:00:01.0=BAR0@0x1000", -EINVAL, "BAR0 at column 14 is not a BAR name" },
	{ "0000:00:01.0=rom@0x1000", -EINVAL, "rom at column 14 cannot be fixed (only bar0..bar5 can)" },
	{ "0000:00:01.0=vf0@0x1000", -EINVAL, "vf0 at column 14 cannot be fixed" },
	{ "0000:00:01.0=bar0", -EINVAL, "expected '@' and an address after the BAR name, found the end of the entry" },
	{ "0000:00:01.0=bar0=0x1000", -EINVAL, "expected '@' and an address after the BAR name, found '='" },
	{ "0000:00:01.0=bar0@", -EINVAL, "bar0 has an empty address at column 19" },
	{ "0000:00:01.0=bar0@,bar1@0x1", -EINVAL, "bar0 has an empty address" },
	{ "0000:00:01.0=bar0@0x", -EINVAL, "bar0 has an empty address '0x' at column 19" },
	{ "0000:00:01.0=bar0@1000", -EINVAL, "address '1000' of bar0 at column 19 has no 0x prefix" },
	{ "0000:00:01.0=bar0@x1000", -EINVAL, "expected a 0x address, found 'x' at column 19" },
	{ "0000:00:01.0=bar0@0x10000000000000000", -EINVAL, "address of bar0 at column 19 does not fit in 64 bits" },
	{ "0000:00:01.0=bar0@0x1000g", -EINVAL, "expected '+', ',' or the end of the entry after the address of bar0, found 'g' at column 25" },
	{ "0000:00:01.0=bar0@0x1000;", -EINVAL, "found ';' at column 25" },
	{ "0000:00:01.0=bar0@0x1000,", -EINVAL, "expected a BAR name (bar0..bar5), found the end of the entry" },
	{ "0000:00:01.0=bar0@0x1000,,bar1@0x2000", -EINVAL, "expected a BAR name (bar0..bar5), found ',' at column 26" },
	{ "0000:00:01.0=bar0@0x1000, bar1@0x2000", -EINVAL, "whitespace at column 26" },
	{ "0000:00:01.0=bar2@0x1000,bar2@0x2000", -EINVAL, "bar2 named twice with different addresses (0x1000 and 0x2000)" },
	{ "0000:00:01.0=bar0@-0x1000", -EINVAL, "expected a 0x address, found '-'" },
	/* the message quotes the entry */
	{ "0000:00:01.0=bar7@0x1000", -EINVAL, "entry '0000:00:01.0=bar7@0x1000': " },
};

static void test_entries(void)
{
	char msg[FIXEDBAR_MSG_LEN], out[512];
	struct fixedbar_entry e;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(entry_cases) / sizeof(entry_cases[0]); i++) {
		const struct entry_case *c = &entry_cases[i];

		msg[0] = '\0';
		ret = fixedbar_parse_entry(c->in, strlen(c->in), &e, msg,
					   sizeof(msg));
		if (c->err) {
			if (!is_int(ret, c->err, "rejects '%s'", c->in))
				continue;
			like(msg, c->want, "message for '%s'", c->in);
			ok(!strchr(msg, '\n') && msg[strlen(msg) - 1] != '.',
			   "message for '%s' is one line without a period",
			   c->in);
			continue;
		}
		if (!is_int(ret, 0, "accepts '%s'", c->in)) {
			diag("%s", msg);
			continue;
		}
		fixedbar_format_entry(&e, out, sizeof(out));
		is_str(out, c->want, "canonical form of '%s'", c->in);
	}
}

static void test_entry_fields(void)
{
	const char *s = "0012:34:1f.7/02.3=bar2@0x8000000000,bar4@0x8040000000";
	char msg[FIXEDBAR_MSG_LEN], small[16];
	struct fixedbar_entry e;

	is_int(fixedbar_parse_entry(s, strlen(s), &e, msg, sizeof(msg)), 0,
	       "parses a two-hop entry");
	ok(e.domain == 0x12 && e.bus == 0x34, "domain and bus");
	ok(e.nr_hops == 2 && e.devfn[0] == (0x1f << 3 | 7) &&
		   e.devfn[1] == (2 << 3 | 3),
	   "devfn of each hop");
	ok(e.nr_bars == 2 && e.bars[0].bar == 2 &&
		   e.bars[0].addr == 0x8000000000ULL && e.bars[1].bar == 4 &&
		   e.bars[1].addr == 0x8040000000ULL,
	   "bars and addresses");

	/* len bounds the input: no NUL needed, nothing read beyond it */
	is_int(fixedbar_parse_entry("00:01.0=bar0@0x10XYZ", 17, &e, msg,
				    sizeof(msg)),
	       0, "parses only @len bytes");
	ok(e.bars[0].addr == 0x10, "address cut at @len");

	is_int(fixedbar_format_entry(&e, small, sizeof(small)), -ENOSPC,
	       "format_entry reports a short buffer");
	ok(strlen(small) == sizeof(small) - 1, "and still terminates it");

	/* 33 hops is the limit and fits FIXEDBAR_MAX_DEPTH + 1 */
	{
		char buf[512], out[512];
		size_t n;
		int i;

		n = (size_t)snprintf(buf, sizeof(buf), "00:01.0");
		for (i = 1; i < FIXEDBAR_MAX_DEPTH + 1; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/%02x.%d",
					      i & 0x1f, i & 7);
		snprintf(buf + n, sizeof(buf) - n, "=bar0@0x1");
		if (!is_int(fixedbar_parse_entry(buf, strlen(buf), &e, msg,
						 sizeof(msg)),
			    0, "accepts %d hops", FIXEDBAR_MAX_DEPTH + 1))
			diag("%s", msg);
		ok(fixedbar_format_entry(&e, out, sizeof(out)) > 0 &&
			   !strcmp(out + 5, buf),
		   "and formats them back");
	}
}

struct map_case {
	const char *in;
	int err;
	int nr_entries;
	const char *want;	/* first entry, canonical, or message piece */
};

static const struct map_case map_cases[] = {
	{ "", 0, 0, NULL },
	{ " \t\n", 0, 0, NULL },
	{ "00:01.0=bar0@0x1000", 0, 1, "0000:00:01.0=bar0@0x1000" },
	{ "00:01.0=bar0@0x1000;", 0, 1, "0000:00:01.0=bar0@0x1000" },
	{ "00:01.0=bar0@0x1000\n", 0, 1, "0000:00:01.0=bar0@0x1000" },
	{ " 00:01.0=bar0@0x1000 ; 00:02.0=bar2@0x2000\t\n", 0, 2,
	  "0000:00:01.0=bar0@0x1000" },
	/* the same device twice merges */
	{ "00:01.0=bar0@0x1000;0000:00:01.0=bar2@0x2000", 0, 1,
	  "0000:00:01.0=bar0@0x1000,bar2@0x2000" },
	{ "00:01.0=bar0@0x1000;00:01.0=bar0@0x1000", 0, 1,
	  "0000:00:01.0=bar0@0x1000" },
	{ "00:01.0=bar0@0x1000;00:01.0=bar0@0x2000", -EINVAL, 0,
	  "bar0 fixed twice with different addresses (0x1000 and 0x2000)" },
	{ ";", -EINVAL, 0, "map: empty entry at column 1" },
	{ ";00:01.0=bar0@0x1000", -EINVAL, 0, "map: empty entry at column 1" },
	{ "00:01.0=bar0@0x1000;;00:02.0=bar0@0x2000", -EINVAL, 0,
	  "map: empty entry at column 21" },
	{ "00:01.0=bar0@0x1000;00:02.0=bar9@0x2000", -EINVAL, 0,
	  "entry '00:02.0=bar9@0x2000': bar9 at column 9 is not a BAR name" },
	{ "00:01.0=bar0 @0x1000", -EINVAL, 0, "whitespace at column 13" },
	/* a size merges into an entry that had none, either way round */
	{ "00:01.0=bar0@0x1000;00:01.0=bar0@0x1000+4K", 0, 1,
	  "0000:00:01.0=bar0@0x1000+0x1000" },
	{ "00:01.0=bar0@0x1000+4K;00:01.0=bar0@0x1000", 0, 1,
	  "0000:00:01.0=bar0@0x1000+0x1000" },
	{ "00:01.0=bar0@0x0+4K;00:01.0=bar0@0x0+8K", -EINVAL, 0,
	  "0000:00:01.0 bar0 fixed twice with different sizes (0x1000 and 0x2000)" },
};

static void test_maps(void)
{
	char msg[FIXEDBAR_MSG_LEN], out[512];
	struct fixedbar_topo t;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(map_cases) / sizeof(map_cases[0]); i++) {
		const struct map_case *c = &map_cases[i];

		fixedbar_topo_init(&t);
		msg[0] = '\0';
		ret = fixedbar_parse_map(c->in, &t, msg, sizeof(msg));
		is_int(ret, c->err, "map '%s' result", c->in);
		if (c->err) {
			like(msg, c->want, "map '%s' message", c->in);
		} else {
			is_int(t.nr_entries, c->nr_entries, "map '%s' entries",
			       c->in);
			if (c->want && t.nr_entries) {
				fixedbar_format_entry(&t.entries[0], out,
						      sizeof(out));
				is_str(out, c->want, "map '%s' first entry",
				       c->in);
			}
		}
		fixedbar_topo_free(&t);
	}

	/* a syntax error anywhere leaves the topology untouched */
	fixedbar_topo_init(&t);
	ret = fixedbar_parse_map("00:01.0=bar0@0x1000;00:02.0=bar0@1", &t, msg,
				 sizeof(msg));
	ok(ret == -EINVAL && t.nr_entries == 0,
	   "a bad map adds no entries");
	fixedbar_topo_free(&t);
}

int main(void)
{
	test_entries();
	test_entry_fields();
	test_maps();
	return done_testing();
}
