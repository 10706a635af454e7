// SPDX-License-Identifier: GPL-2.0
/*
 * pci_fixedbar_parse: the descriptor grammar (docs/topology-json.md),
 * accepted entries field by field and in canonical form, rejected ones with
 * -EINVAL and a one-line reason.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include "fixedbar.h"

struct kparse_case {
	const char *in;
	int err;
	const char *canon;	/* fixedbar_format_entry() of the result */
	const char *reason;	/* substring of the message on error */
};

static const struct kparse_case kparse_cases[] = {
	{ "0000:00:01.0=bar0@0x80000000", 0, "0000:00:01.0=bar0@0x80000000" },
	{ "00:01.0/00.0=bar1@0x9000000000", 0,
	  "0000:00:01.0/00.0=bar1@0x9000000000" },
	{ "0:0:1C.0/0.0=bar1@0x00c000000000", 0,
	  "0000:00:1c.0/00.0=bar1@0xc000000000" },
	{ "ffff:ff:1f.7=bar5@0xFFFFFFFFFFFFFFFF", 0,
	  "ffff:ff:1f.7=bar5@0xffffffffffffffff" },
	{ "0000:00:01.0/00.0/01.0/00.0=bar2@0x8000000000,bar4@0x8040000000", 0,
	  "0000:00:01.0/00.0/01.0/00.0=bar2@0x8000000000,bar4@0x8040000000" },
	{ "0000:00:01.0=bar1@0x1000,bar1@0x1000", 0,
	  "0000:00:01.0=bar1@0x1000" },
	{ "0000:00:01.0=bar0@0X10", 0, "0000:00:01.0=bar0@0x10" },
	{ "", -EINVAL, NULL, "empty" },
	{ "0000:00:01.0", -EINVAL, NULL, "'='" },
	{ "0000:00:01.0=", -EINVAL, NULL, "BAR name" },
	{ "0000:00:01.0=bar1", -EINVAL, NULL, "'@'" },
	{ "0000:00:01.0=bar1@", -EINVAL, NULL, "empty address" },
	{ "0000:00:01.0=bar1@0x", -EINVAL, NULL, "empty address" },
	{ "0000:00:01.0=bar1@9000000000", -EINVAL, NULL, "no 0x prefix" },
	{ "0000:00:01.0=bar1@0x10000000000000000", -EINVAL, NULL, "64 bits" },
	{ "0000:00:01.0=bar6@0x1000", -EINVAL, NULL, "not a BAR name" },
	{ "0000:00:01.0=rom@0x1000", -EINVAL, NULL, "cannot be fixed" },
	{ "0000:00:01.0=vf0@0x1000", -EINVAL, NULL, "cannot be fixed" },
	{ "0000:00:20.0=bar1@0x1000", -EINVAL, NULL, "out of range" },
	{ "0000:00:01.8=bar1@0x1000", -EINVAL, NULL, "out of range" },
	{ "10000:00:01.0=bar1@0x1000", -EINVAL, NULL, "domain" },
	{ "0000:100:01.0=bar1@0x1000", -EINVAL, NULL, "bus" },
	{ "0000:00:001.0=bar1@0x1000", -EINVAL, NULL, "slot" },
	{ "0000:00:01=bar1@0x1000", -EINVAL, NULL, "'.'" },
	{ "0000:00:01.0/=bar1@0x1000", -EINVAL, NULL, "slot" },
	{ "0000:00:01.0 =bar1@0x1000", -EINVAL, NULL, "column 13" },
	{ "0000:00:01.0=bar1@0x1000;", -EINVAL, NULL, "',' or the end" },
	{ "00:01.0/00.0=bar2@0x8000000000+1G", 0,
	  "0000:00:01.0/00.0=bar2@0x8000000000+0x40000000" },
	{ "00:01.0=bar0@0xc0000000+4096,bar2@0x8000000000+0x2000000", 0,
	  "0000:00:01.0=bar0@0xc0000000+0x1000,bar2@0x8000000000+0x2000000" },
	{ "00:01.0=bar0@0x1000+3K", -EINVAL, NULL, "not a power of two" },
	{ "00:01.0=bar0@0x1000+8K", -EINVAL, NULL, "not a multiple" },
	{ "00:01.0=bar0@0x1000+", -EINVAL, NULL, "expected a size" },
	{ "00:01.0=bar0@0x0+4K,bar0@0x0+8K", -EINVAL, NULL,
	  "different sizes" },
	{ "0000:00:01.0=bar1@0x1000,bar1@0x2000", -EINVAL, NULL,
	  "named twice" },
	{ "0000:00:01.0=bar1@0x1000,", -EINVAL, NULL, "BAR name" },
};

static void kparse_desc(const struct kparse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->in);
}

KUNIT_ARRAY_PARAM(kparse, kparse_cases, kparse_desc);

static void pci_fixedbar_parse_entry(struct kunit *test)
{
	const struct kparse_case *c = test->param_value;
	struct fixedbar_entry *e, *again;
	char *msg, *buf;
	int ret;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	msg = kunit_kzalloc(test, FIXEDBAR_MSG_LEN, GFP_KERNEL);
	buf = kunit_kzalloc(test, FIXEDBAR_MSG_LEN, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, e && again && msg && buf);

	ret = fixedbar_parse_entry(c->in, strlen(c->in), e, msg,
				   FIXEDBAR_MSG_LEN);
	KUNIT_ASSERT_EQ_MSG(test, ret, c->err, "\"%s\": %s", c->in, msg);
	if (ret) {
		KUNIT_EXPECT_TRUE_MSG(test, strstr(msg, c->reason),
				      "reason lacks \"%s\": %s", c->reason,
				      msg);
		KUNIT_EXPECT_FALSE_MSG(test, strchr(msg, '\n'), "%s", msg);
		KUNIT_EXPECT_NE_MSG(test, msg[strlen(msg) - 1], '.', "%s", msg);
		return;
	}
	KUNIT_ASSERT_GE(test, fixedbar_format_entry(e, buf, FIXEDBAR_MSG_LEN),
			0);
	KUNIT_EXPECT_STREQ(test, buf, c->canon);
	/* the canonical form parses back to the same entry */
	KUNIT_ASSERT_EQ(test, fixedbar_parse_entry(buf, strlen(buf), again, msg,
						   FIXEDBAR_MSG_LEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(e, again, sizeof(*e)), 0);
}

/* @len bounds the entry: it need not be NUL-terminated. */
static void pci_fixedbar_parse_len(struct kunit *test)
{
	static const char s[] = "0000:00:01.0=bar0@0x1000;0000:00:02.0=bar0@0x2000";
	struct fixedbar_entry e;
	char msg[FIXEDBAR_MSG_LEN];

	KUNIT_ASSERT_EQ(test, fixedbar_parse_entry(s, 24, &e, msg, sizeof(msg)),
			0);
	KUNIT_EXPECT_EQ(test, e.nr_hops, 1);
	KUNIT_EXPECT_EQ(test, e.devfn[0], 0x08);
	KUNIT_EXPECT_EQ(test, e.nr_bars, 1);
	KUNIT_EXPECT_EQ(test, e.bars[0].addr, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, fixedbar_parse_entry(s, 23, &e, msg, sizeof(msg)),
			0);
	KUNIT_EXPECT_EQ(test, e.bars[0].addr, 0x100ULL);
}

static void pci_fixedbar_parse_fields(struct kunit *test)
{
	static const char s[] = "0001:02:1c.4/00.0/1f.7=bar4@0x8040000000,bar2@0x8000000000";
	struct fixedbar_entry e;
	char msg[FIXEDBAR_MSG_LEN];

	KUNIT_ASSERT_EQ_MSG(test, fixedbar_parse_entry(s, strlen(s), &e, msg,
						       sizeof(msg)), 0,
			    "%s", msg);
	KUNIT_EXPECT_EQ(test, e.domain, 1);
	KUNIT_EXPECT_EQ(test, e.bus, 2);
	KUNIT_ASSERT_EQ(test, e.nr_hops, 3);
	KUNIT_EXPECT_EQ(test, e.devfn[0], 0x1c << 3 | 4);
	KUNIT_EXPECT_EQ(test, e.devfn[1], 0);
	KUNIT_EXPECT_EQ(test, e.devfn[2], 0x1f << 3 | 7);
	KUNIT_ASSERT_EQ(test, e.nr_bars, 2);
	KUNIT_EXPECT_EQ(test, e.bars[0].bar, 4);
	KUNIT_EXPECT_EQ(test, e.bars[0].addr, 0x8040000000ULL);
	KUNIT_EXPECT_EQ(test, e.bars[1].bar, 2);
	KUNIT_EXPECT_EQ(test, e.bars[1].addr, 0x8000000000ULL);
}

/* A map: whitespace around entries, one trailing ';', all-or-nothing. */
static void pci_fixedbar_parse_map(struct kunit *test)
{
	struct fixedbar_topo *t;
	char msg[FIXEDBAR_MSG_LEN];

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	fixedbar_topo_init(t);
	KUNIT_EXPECT_EQ_MSG(test, fixedbar_parse_map(" 0000:00:01.0=bar0@0x1000 ;\n00:02.0=bar2@0x2000;\n",
						     t, msg, sizeof(msg)),
			    0, "%s", msg);
	KUNIT_EXPECT_EQ(test, t->nr_entries, 2);
	fixedbar_topo_free(t);

	fixedbar_topo_init(t);
	KUNIT_EXPECT_EQ(test, fixedbar_parse_map("0000:00:01.0=bar0@0x1000;;00:02.0=bar2@0x2000",
						 t, msg, sizeof(msg)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, fixedbar_parse_map("0000:00:01.0=bar0@0x1000;00:02.0=bar9@0x2000",
						 t, msg, sizeof(msg)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, t->nr_entries, 0);
	KUNIT_EXPECT_EQ(test, fixedbar_parse_map("", t, msg, sizeof(msg)), 0);
	KUNIT_EXPECT_EQ(test, t->nr_entries, 0);
	fixedbar_topo_free(t);
}

/* QEMU's resource-reserve capability and the kernel's pci=hp*size= */
static void pci_fixedbar_parse_hints(struct kunit *test)
{
	u8 cap[32] = { 0x09, 0, 32, 1 };
	struct fixedbar_hint h;

	memset(cap + 4, 0xff, sizeof(cap) - 4);
	/* pref64-reserve=1G, io-reserve=0, the rest not given */
	memset(cap + 8, 0, 8);
	memset(cap + 24, 0, 8);
	cap[27] = 0x40;
	KUNIT_ASSERT_EQ(test, fixedbar_hint_from_qemu_cap(cap, 32, &h), 0);
	KUNIT_EXPECT_EQ(test, h.have,
			(u8)(1u << FIXEDBAR_WIN_IO | 1u << FIXEDBAR_WIN_PREF));
	KUNIT_EXPECT_EQ(test, h.size[FIXEDBAR_WIN_PREF], (u64)SZ_1G);
	KUNIT_EXPECT_EQ(test, h.size[FIXEDBAR_WIN_IO], 0ULL);
	cap[3] = 2;
	KUNIT_EXPECT_EQ(test, fixedbar_hint_from_qemu_cap(cap, 32, &h),
			-ENODEV);

	fixedbar_hint_from_cmdline("ro pci=realloc,hpmemsize=64M,hpiosize=4K",
				   &h);
	KUNIT_EXPECT_EQ(test, h.have, (u8)7);
	KUNIT_EXPECT_EQ(test, h.size[FIXEDBAR_WIN_MEM], (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, h.size[FIXEDBAR_WIN_PREF], (u64)SZ_64M);
	KUNIT_EXPECT_EQ(test, h.size[FIXEDBAR_WIN_IO], (u64)SZ_4K);
}

static struct kunit_case pci_fixedbar_parse_cases[] = {
	KUNIT_CASE_PARAM(pci_fixedbar_parse_entry, kparse_gen_params),
	KUNIT_CASE(pci_fixedbar_parse_hints),
	KUNIT_CASE(pci_fixedbar_parse_len),
	KUNIT_CASE(pci_fixedbar_parse_fields),
	KUNIT_CASE(pci_fixedbar_parse_map),
	{}
};

static struct kunit_suite pci_fixedbar_parse_suite = {
	.name = "pci_fixedbar_parse",
	.test_cases = pci_fixedbar_parse_cases,
};

kunit_test_suite(pci_fixedbar_parse_suite);
