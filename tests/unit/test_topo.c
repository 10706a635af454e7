// SPDX-License-Identifier: GPL-2.0
/*
 * Topology helpers: the tree links, entry merging and lookup, device paths,
 * names, and resources printed exactly as the kernel's %pR prints them.
 */
#include "fixedbar.h"
#include "tap.h"

static void test_format_res(void)
{
	struct fixedbar_bar vf = {
		.present = true, .type = FIXEDBAR_RES_MEM, .mem64 = true,
		.pref = true, .size = 0x100000, .count = 4,
	};
	char buf[FIXEDBAR_RES_LEN];

	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_IO, 0x1000, 0x1fff,
			    false, false);
	is_str(buf, "[io  0x1000-0x1fff]", "io: two spaces, 4 digits");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_IO, 0x10, 0x1f,
			    true, true);
	is_str(buf, "[io  0x0010-0x001f]", "io: zero padded, no mem flags");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_MEM, 0x1000, 0x1fff,
			    false, false);
	is_str(buf, "[mem 0x00001000-0x00001fff]", "mem: 8 digits");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_MEM, 0x8000000000,
			    0x803fffffff, true, true);
	is_str(buf, "[mem 0x8000000000-0x803fffffff 64bit pref]",
	       "mem: 64bit pref");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_MEM, 0xc0000000,
			    0xc00fffff, false, true);
	is_str(buf, "[mem 0xc0000000-0xc00fffff pref]", "mem: pref");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_MEM, 0xc0000000,
			    0xc0000000, false, false);
	is_str(buf, "[mem 0xc0000000]", "one number when start == end");
	fixedbar_format_res(buf, sizeof(buf), FIXEDBAR_RES_MEM, 0,
			    0xffffffffffffffffULL, true, false);
	is_str(buf, "[mem 0x00000000-0xffffffffffffffff 64bit]",
	       "zero still has 0x");
	is_int(fixedbar_format_bar(buf, sizeof(buf), &vf, 0x8040000000),
	       (long long)strlen("[mem 0x8040000000-0x80403fffff 64bit pref]"),
	       "format_bar returns the length");
	is_str(buf, "[mem 0x8040000000-0x80403fffff 64bit pref]",
	       "format_bar spans size * count");
	is_int(fixedbar_format_res(buf, 8, FIXEDBAR_RES_MEM, 0, 1, false,
				   false),
	       -ENOSPC, "short buffer");
}

static void test_names(void)
{
	int i, bad = 0;

	is_str(fixedbar_slot_name(0), "bar0", "bar0");
	is_str(fixedbar_slot_name(FIXEDBAR_ROM_SLOT), "rom", "rom");
	is_str(fixedbar_slot_name(FIXEDBAR_VF_SLOT0 + 5), "vf5", "vf5");
	for (i = 0; i < FIXEDBAR_NR_SLOTS; i++)
		if (fixedbar_slot_from_name(fixedbar_slot_name(i)) != i)
			bad++;
	is_int(bad, 0, "slot names round-trip");
	is_int(fixedbar_slot_from_name("bar6"), -EINVAL, "bar6 is no slot");
	is_int(fixedbar_slot_from_name("BAR0"), -EINVAL, "names are lower case");
	is_str(fixedbar_win_name(FIXEDBAR_WIN_IO), "window.io", "window.io");
	is_str(fixedbar_win_name(FIXEDBAR_WIN_MEM), "window.mem", "window.mem");
	is_str(fixedbar_win_name(FIXEDBAR_WIN_PREF), "window.prefetchable",
	       "window.prefetchable");

	is_str(fixedbar_errname(-ENOSPC), "ENOSPC", "ENOSPC");
	is_str(fixedbar_errname(-EOPNOTSUPP), "EOPNOTSUPP", "EOPNOTSUPP");
	is_str(fixedbar_errname(-ETIMEDOUT), "ETIMEDOUT", "ETIMEDOUT");
	is_int(fixedbar_errno_from_name("ETIMEDOUT"), -ETIMEDOUT,
	       "ETIMEDOUT from its name");
	ok(fixedbar_errname(-12345) == NULL, "unknown errno");
	ok(fixedbar_errname(0) == NULL, "0 has no name");
	is_int(fixedbar_errno_from_name("EBUSY"), -EBUSY, "EBUSY");
	is_int(fixedbar_errno_from_name("E2BIG"), -E2BIG, "E2BIG");
	is_int(fixedbar_errno_from_name("ENOPE"), 0, "unknown name");
	{
		static const int errs[] = { EINVAL, ENODEV, EBUSY, ENOSPC,
					    EOPNOTSUPP, ENOMEM, EIO, EFAULT,
					    ERANGE, ENOENT, EEXIST, EPERM,
					    E2BIG, ETIMEDOUT };
		size_t j;

		bad = 0;
		for (j = 0; j < sizeof(errs) / sizeof(errs[0]); j++)
			if (!fixedbar_errname(-errs[j]) ||
			    fixedbar_errno_from_name(fixedbar_errname(-errs[j])) !=
				    -errs[j])
				bad++;
		is_int(bad, 0, "every project errno has a name");
	}
}

static void test_tree(void)
{
	char path[FIXEDBAR_PATH_LEN], msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_entry e;
	struct fixedbar_topo t;
	int rp, a, b, c, i, ret;

	fixedbar_topo_init(&t);
	ok(t.first_root == -1 && t.nr_devs == 0, "empty topology");
	t.segment = 0x1;
	t.root_bus = 0x80;
	rp = fixedbar_topo_add_dev(&t, -1, 1 << 3);
	a = fixedbar_topo_add_dev(&t, rp, 0);
	b = fixedbar_topo_add_dev(&t, rp, 1 << 3 | 2);
	c = fixedbar_topo_add_dev(&t, b, 0x1f << 3 | 7);
	ok(rp == 0 && a == 1 && b == 2 && c == 3, "indices in order");
	ok(t.first_root == rp && t.devs[rp].first_child == a &&
		   t.devs[a].next_sibling == b && t.devs[b].next_sibling == -1,
	   "children linked in insertion order");
	ok(t.devs[rp].is_bridge && t.devs[b].is_bridge && !t.devs[a].is_bridge,
	   "a device with children is a bridge");
	ok(t.devs[c].depth == 2 && t.devs[c].parent == b, "depth and parent");
	is_int(fixedbar_topo_add_dev(&t, rp, 0), -EEXIST, "duplicate devfn");
	is_int(fixedbar_topo_add_dev(&t, 99, 0), -EINVAL, "no such parent");

	fixedbar_dev_path(&t, c, path, sizeof(path));
	is_str(path, "0001:80:01.0/01.2/1f.7", "device path");
	is_int(fixedbar_dev_path(&t, c, path, 10), -ENOSPC, "short path buffer");

	/* growing well past the initial capacity keeps the links */
	for (i = 0; i < 31; i++)
		fixedbar_topo_add_dev(&t, -1, (u8)((i + 2) << 3));
	for (i = 0; i < 200; i++)
		fixedbar_topo_add_dev(&t, 5, (u8)i);
	is_int(t.nr_devs, 4 + 31 + 200, "grows");
	fixedbar_dev_path(&t, t.nr_devs - 1, path, sizeof(path));
	is_str(path, "0001:80:03.0/18.7", "path after growing");

	fixedbar_parse_entry("0001:80:01.0/01.2/1f.7=bar0@0x1000", 34, &e, msg,
			     sizeof(msg));
	is_int(fixedbar_topo_find(&t, &e, msg, sizeof(msg)), c, "find");
	fixedbar_parse_entry("0001:80:01.0/00.0/00.0=bar0@0x1000", 34, &e, msg,
			     sizeof(msg));
	is_int(fixedbar_topo_find(&t, &e, msg, sizeof(msg)), -ENODEV,
	       "find below an endpoint");
	like(msg, "0001:80:01.0/00.0/00.0: no such device, 0001:80:01.0/00.0 is not a bridge",
	     "says so");
	fixedbar_parse_entry("0001:80:01.0/03.0=bar0@0x1000", 29, &e, msg,
			     sizeof(msg));
	is_int(fixedbar_topo_find(&t, &e, msg, sizeof(msg)), -ENODEV,
	       "find a missing device");
	like(msg, "0001:80:01.0/03.0: no device 03.0 below 0001:80:01.0",
	     "says so");
	fixedbar_parse_entry("0000:00:01.0=bar0@0x1000", 24, &e, msg,
			     sizeof(msg));
	is_int(fixedbar_topo_find(&t, &e, msg, sizeof(msg)), -ENODEV,
	       "find on another root bus");
	like(msg, "0000:00:01.0: no bus 0000:00 here (the root bus is 0001:80)",
	     "says so");

	/* entries for one device merge */
	fixedbar_parse_entry("0001:80:01.0=bar0@0x1000", 24, &e, msg,
			     sizeof(msg));
	is_int(fixedbar_topo_add_entry(&t, &e, msg, sizeof(msg)), 0, "add");
	fixedbar_parse_entry("0001:80:01.0=bar2@0x2000,bar0@0x1000", 36, &e,
			     msg, sizeof(msg));
	is_int(fixedbar_topo_add_entry(&t, &e, msg, sizeof(msg)), 0,
	       "add agreeing");
	ok(t.nr_entries == 1 && t.entries[0].nr_bars == 2, "merged");
	fixedbar_parse_entry("0001:80:01.0=bar2@0x3000", 24, &e, msg,
			     sizeof(msg));
	ret = fixedbar_topo_add_entry(&t, &e, msg, sizeof(msg));
	is_int(ret, -EINVAL, "add conflicting");
	like(msg, "0001:80:01.0 bar2 fixed twice with different addresses (0x2000 and 0x3000)",
	     "says so");
	ok(t.nr_entries == 1 && t.entries[0].nr_bars == 2 &&
		   t.entries[0].bars[1].addr == 0x2000,
	   "a conflict changes nothing");
	for (i = 0; i < 40; i++) {
		fixedbar_parse_entry("0001:80:01.0=bar0@0x1000", 24, &e, msg,
				     sizeof(msg));
		e.devfn[0] = (u8)i;
		fixedbar_topo_add_entry(&t, &e, msg, sizeof(msg));
	}
	is_int(t.nr_entries, 40, "entries grow");

	fixedbar_topo_free(&t);
	ok(t.nr_devs == 0 && !t.devs && t.first_root == -1, "free resets");
}

int main(void)
{
	test_format_res();
	test_names();
	test_tree();
	return done_testing();
}
