/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading topologies (docs/topology-json.md) into struct fixedbar_topo, and
 * adding descriptor entries given as text.
 */
#ifndef FIXEDBAR_JSON_TOPO_H
#define FIXEDBAR_JSON_TOPO_H

#include <stdio.h>

#include "fixedbar.h"

/*
 * A descriptor entry the grammar or the merge rejected.  This is not an
 * input error: it is reported as a planner error document (EINVAL).
 */
/* clang-format off */
struct fixedbar_entry_err {
	int err;			/* 0, or a negative errno */
	char message[FIXEDBAR_MSG_LEN];
	char entry[FIXEDBAR_MSG_LEN];	/* the entry as written */
};
/* clang-format on */

/*
 * Parses one entry of @len bytes and adds it to @t.  Returns 0, -EINVAL with
 * @ee filled, or -ENOMEM.
 */
int fixedbar_add_entry_string(struct fixedbar_topo *t, const char *s,
			      size_t len, struct fixedbar_entry_err *ee);
/* The same for a map: entries separated by ';', blanks around them ignored. */
int fixedbar_add_map_string(struct fixedbar_topo *t, const char *map,
			    struct fixedbar_entry_err *ee);

/*
 * Loads a topology document from @f into @t, which must be freshly
 * initialised.  Returns 0, or -EINVAL (or -ENOMEM) with a one-line reason in
 * @msg: the JSON path of the bad value, or the line and column of a syntax
 * error.  The first rejected "fixed" entry lands in @ee and does not fail
 * the load.
 */
int fixedbar_json_load_file(FILE *f, struct fixedbar_topo *t,
			    struct fixedbar_entry_err *ee, char *msg,
			    size_t msglen);
int fixedbar_json_load_string(const char *s, struct fixedbar_topo *t,
			      struct fixedbar_entry_err *ee, char *msg,
			      size_t msglen);

#endif /* FIXEDBAR_JSON_TOPO_H */
