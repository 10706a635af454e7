// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the topology JSON loader (tools/json_topo.c) and
 * the planner behind it: arbitrary bytes as a topology document.  A
 * topology that loads is emitted, loaded again and emitted again, which
 * must give the same text; then it is planned.  A plan the planner returns
 * must pass fixedbar_validate(), and the planner never reports -EFAULT
 * (its own validation failed).  Both the plan and the error document are
 * emitted.
 */
#include "emit.h"
#include "json_topo.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void fail(const char *what, const char *detail, const char *text)
{
	fprintf(stderr, "fuzz_json: %s: %s\n%s\n", what, detail ? detail : "",
		text ? text : "");
	abort();
}

/* what the planner may assume of a topology the loader accepted */
static void check_topo(const struct fixedbar_topo *t, const char *text)
{
	const struct fixedbar_bar *b;
	u32 d;
	int i;

	for (d = 0; d < t->nr_devs; d++) {
		for (i = 0; i < FIXEDBAR_NR_SLOTS; i++) {
			b = &t->devs[d].bars[i];
			if (!b->present)
				continue;
			if (!b->size || (b->size & (b->size - 1)) ||
			    fixedbar_bar_span(b) / b->size != b->count)
				fail("BAR size or span", NULL, text);
			if (b->cur.assigned &&
			    b->cur.end - b->cur.start != fixedbar_bar_span(b) - 1)
				fail("BAR address range", NULL, text);
		}
	}
	for (d = 0; d < t->nr_apertures; d++)
		if (t->apertures[d].start > t->apertures[d].end)
			fail("aperture ends before its start", NULL, text);
}

/* the emitted topology loads back and emits the same text */
static void round_trip(const struct fixedbar_topo *t)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_entry_err ee;
	struct fixedbar_buf b1, b2;
	struct fixedbar_topo t2;

	fixedbar_buf_init(&b1);
	fixedbar_buf_init(&b2);
	fixedbar_topo_init(&t2);
	if (fixedbar_emit_topo(&b1, t))
		fail("emit_topo failed", NULL, NULL);
	if (fixedbar_json_load_string(b1.data, &t2, &ee, msg, sizeof(msg)))
		fail("emitted topology does not load", msg, b1.data);
	if (ee.err)
		fail("emitted topology has a bad entry", ee.message, b1.data);
	if (fixedbar_emit_topo(&b2, &t2))
		fail("emit_topo failed", NULL, NULL);
	if (b1.len != b2.len || memcmp(b1.data, b2.data, b1.len))
		fail("emitted topology loads differently", b2.data, b1.data);
	fixedbar_topo_free(&t2);
	fixedbar_buf_free(&b1);
	fixedbar_buf_free(&b2);
}

static void plan_and_check(const struct fixedbar_topo *t, const char *text)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_plan p;
	struct fixedbar_buf b;
	int ret;
	u32 i;

	memset(&p, 0, sizeof(p));
	ret = fixedbar_plan(t, &p);
	if (ret == -EFAULT)
		fail("planner bug (EFAULT)", p.message, text);
	if (ret && ret != p.err)
		fail("plan returned an error other than p.err", p.message,
		     text);
	if (!ret) {
		if (p.nr_devs != t->nr_devs)
			fail("plan has the wrong device count", NULL, text);
		if (fixedbar_validate(t, &p, msg, sizeof(msg)))
			fail("returned plan does not validate", msg, text);
	} else {
		if (!memchr(p.message, '\0', sizeof(p.message)) ||
		    !p.message[0])
			fail("error without a message", NULL, text);
		if (p.nr_err_entries > FIXEDBAR_MAX_ERR_ENTRIES)
			fail("too many error entries", NULL, text);
		for (i = 0; i < p.nr_err_entries; i++)
			if (p.err_entries[i] >= t->nr_entries)
				fail("error entry out of range", NULL, text);
	}
	fixedbar_buf_init(&b);
	if (fixedbar_emit_plan(&b, t, &p))
		fail("emit_plan failed", NULL, text);
	fixedbar_buf_free(&b);
	fixedbar_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char msg[FIXEDBAR_MSG_LEN];
	struct fixedbar_entry_err ee;
	struct fixedbar_topo t;
	struct fixedbar_buf b;
	const char *entry;
	char *s;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fixedbar_topo_init(&t);
	memset(msg, 0x55, sizeof(msg));
	if (fixedbar_json_load_string(s, &t, &ee, msg, sizeof(msg))) {
		if (!memchr(msg, '\0', sizeof(msg)))
			fail("load: message is not terminated", NULL, s);
	} else if (ee.err) {
		/* what fixedbar-plan prints for a rejected entry */
		entry = ee.entry;
		fixedbar_buf_init(&b);
		if (fixedbar_emit_error(&b, ee.err, ee.message, &entry, 1))
			fail("emit_error failed", NULL, s);
		fixedbar_buf_free(&b);
	} else {
		check_topo(&t, s);
		round_trip(&t);
		plan_and_check(&t, s);
	}
	fixedbar_topo_free(&t);
	free(s);
	return 0;
}
