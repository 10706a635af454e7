// SPDX-License-Identifier: GPL-2.0
/*
 * Checks the layout a topology document describes as it is (every BAR and
 * window at its current address) with the planner's validator, including
 * the document's "fixed" entries.  Exit 0: valid; 1: the first violation on
 * stdout; 2: unreadable input.
 *
 *   layout-check TOPOLOGY.json
 */
#include <stdio.h>
#include <stdlib.h>

#include "fixedbar.h"
#include "json_topo.h"

int main(int argc, char **argv)
{
	struct fixedbar_entry_err ee = { 0 };
	struct fixedbar_topo t;
	struct fixedbar_plan p = { 0 };
	char msg[FIXEDBAR_MSG_LEN];
	FILE *f;
	u32 i;
	int s;

	if (argc != 2) {
		fprintf(stderr, "usage: layout-check TOPOLOGY.json\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fixedbar_topo_init(&t);
	if (fixedbar_json_load_file(f, &t, &ee, msg, sizeof(msg)) || ee.err) {
		fprintf(stderr, "layout-check: %s: %s\n", argv[1],
			ee.err ? ee.message : msg);
		return 2;
	}
	fclose(f);
	p.nr_devs = t.nr_devs;
	p.devs = calloc(t.nr_devs ? t.nr_devs : 1, sizeof(*p.devs));
	if (!p.devs)
		return 2;
	for (i = 0; i < t.nr_devs; i++) {
		for (s = 0; s < FIXEDBAR_NR_SLOTS; s++)
			p.devs[i].bars[s] = t.devs[i].bars[s].cur;
		for (s = 0; s < FIXEDBAR_NR_WINDOWS; s++)
			p.devs[i].win[s] = t.devs[i].br.cur[s];
	}
	if (fixedbar_validate(&t, &p, msg, sizeof(msg))) {
		printf("%s\n", msg);
		return 1;
	}
	printf("ok: %u devices, %u fixed entries\n", t.nr_devs, t.nr_entries);
	free(p.devs);
	fixedbar_topo_free(&t);
	return 0;
}
