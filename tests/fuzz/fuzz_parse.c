// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the descriptor grammar (planner/parse.c): arbitrary
 * bytes as one entry and as a map.  Besides the sanitizers' findings, an
 * accepted input must be consistent: the entry is sane, its canonical form
 * parses back to the same entry and formats to the same text, and a map
 * that parses with a topology parses the same without one.
 */
#include "fixedbar.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define MAP_BUF_LEN 8192

static void check(bool cond, const char *what, const char *text)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz_parse: %s: '%s'\n", what, text ? text : "");
	abort();
}

static bool entry_has(const struct fixedbar_entry *e, u8 bar, u64 addr)
{
	int i;

	for (i = 0; i < e->nr_bars; i++)
		if (e->bars[i].bar == bar)
			return e->bars[i].addr == addr;
	return false;
}

/* the same device and the same BARs, in any order */
static bool same_entry(const struct fixedbar_entry *a,
		       const struct fixedbar_entry *b)
{
	int i;

	if (a->domain != b->domain || a->bus != b->bus ||
	    a->nr_hops != b->nr_hops || a->nr_bars != b->nr_bars ||
	    memcmp(a->devfn, b->devfn, a->nr_hops))
		return false;
	for (i = 0; i < a->nr_bars; i++)
		if (!entry_has(b, a->bars[i].bar, a->bars[i].addr))
			return false;
	return true;
}

static void check_entry(const struct fixedbar_entry *e, const char *text)
{
	int i, j;

	check(e->nr_hops >= 1 && e->nr_hops <= FIXEDBAR_MAX_DEPTH + 1,
	      "accepted entry has a bad hop count", text);
	check(e->nr_bars >= 1 && e->nr_bars <= 6,
	      "accepted entry has a bad BAR count", text);
	for (i = 0; i < e->nr_bars; i++) {
		check(e->bars[i].bar <= 5, "accepted entry has a bad BAR",
		      text);
		for (j = 0; j < i; j++)
			check(e->bars[i].bar != e->bars[j].bar,
			      "accepted entry names a BAR twice", text);
	}
	for (i = 0; i < e->nr_hops; i++)
		check((e->devfn[i] >> 3) <= 0x1f, "bad slot", text);
}

/* format, parse back, format again: a fixed point */
static void round_trip(const struct fixedbar_entry *e, const char *text)
{
	char buf[1024], buf2[1024], msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_entry e2;
	int n, n2, ret;

	n = fixedbar_format_entry(e, buf, sizeof(buf));
	check(n > 0 && (size_t)n == strlen(buf), "format_entry failed", text);
	ret = fixedbar_parse_entry(buf, (size_t)n, &e2, msg, sizeof(msg));
	check(!ret, "canonical form does not parse", buf);
	check(same_entry(e, &e2), "canonical form parses differently", buf);
	n2 = fixedbar_format_entry(&e2, buf2, sizeof(buf2));
	check(n2 == n && !strcmp(buf, buf2), "canonical form is not stable",
	      buf);

	/* a too short buffer fails cleanly and stays terminated */
	if (n > 1) {
		ret = fixedbar_format_entry(e, buf2, (size_t)n);
		check(ret == -ENOSPC && strlen(buf2) < (size_t)n,
		      "short buffer", buf);
	}
}

static void fuzz_entry(const u8 *data, size_t size)
{
	char msg[FIXEDBAR_MSG_LEN], text[MAP_BUF_LEN];
	struct fixedbar_entry e;
	int ret;

	/* the parser must not read past @len: give it an exact-size copy */
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return;
	memcpy(copy, data, size);
	memset(msg, 0x55, sizeof(msg));
	ret = fixedbar_parse_entry(copy, size, &e, msg, sizeof(msg));
	snprintf(text, sizeof(text), "%.*s", (int)size, copy);
	if (ret) {
		check(ret == -EINVAL, "entry: error other than EINVAL", text);
		check(memchr(msg, '\0', sizeof(msg)) != NULL,
		      "entry: message is not terminated", text);
		check(msg[0] != '\0', "entry: empty message", text);
	} else {
		check_entry(&e, text);
		round_trip(&e, text);
	}
	/* no message buffer at all */
	fixedbar_parse_entry(copy, size, &e, NULL, 0);
	free(copy);
}

static void fuzz_map(const u8 *data, size_t size)
{
	char msg[FIXEDBAR_MSG_LEN], msg2[FIXEDBAR_MSG_LEN];
	struct fixedbar_topo t, t2;
	char *s, *canon;
	size_t used = 0;
	u32 i;
	int ret, ret2, n;

	if (size >= MAP_BUF_LEN)
		return;
	s = malloc(size + 1);
	if (!s)
		return;
	memcpy(s, data, size);
	s[size] = '\0';

	fixedbar_topo_init(&t);
	ret = fixedbar_parse_map(s, &t, msg, sizeof(msg));
	ret2 = fixedbar_parse_map(s, NULL, msg2, sizeof(msg2));
	if (ret2) {
		/* a syntax error leaves the topology unchanged */
		check(ret == ret2, "map: NULL topology disagrees", s);
		check(t.nr_entries == 0, "map: syntax error added entries", s);
	}
	if (ret) {
		check(ret == -EINVAL, "map: error other than EINVAL", s);
		check(memchr(msg, '\0', sizeof(msg)) != NULL,
		      "map: message is not terminated", s);
		goto out;
	}
	check(ret2 == 0, "map: accepted only with a topology", s);

	/* the canonical map parses back to the same entries */
	canon = malloc((size_t)t.nr_entries * 1024 + 1);
	if (!canon)
		goto out;
	canon[0] = '\0';
	for (i = 0; i < t.nr_entries; i++) {
		check_entry(&t.entries[i], s);
		if (i)
			canon[used++] = ';';
		n = fixedbar_format_entry(&t.entries[i], canon + used, 1023);
		check(n > 0, "map: format_entry failed", s);
		used += (size_t)n;
	}
	fixedbar_topo_init(&t2);
	ret = fixedbar_parse_map(canon, &t2, msg, sizeof(msg));
	check(!ret, "map: canonical form does not parse", canon);
	check(t2.nr_entries == t.nr_entries,
	      "map: canonical form has other entries", canon);
	for (i = 0; i < t.nr_entries; i++)
		check(same_entry(&t.entries[i], &t2.entries[i]),
		      "map: canonical form parses differently", canon);
	fixedbar_topo_free(&t2);
	free(canon);
out:
	fixedbar_topo_free(&t);
	free(s);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	fuzz_entry(data, size);
	fuzz_map(data, size);
	return 0;
}
