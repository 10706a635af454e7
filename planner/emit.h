/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON emitters for topologies and plans (docs/topology-json.md), shared by
 * fixedbar-plan and the module's debugfs dump.  Output is deterministic and
 * pretty-printed with two-space indentation.
 */
#ifndef FIXEDBAR_EMIT_H
#define FIXEDBAR_EMIT_H

#include "fixedbar.h"

/* A growable, always NUL-terminated text buffer. */
/* clang-format off */
struct fixedbar_buf {
	char *data;			/* NULL until the first append */
	size_t len;			/* bytes used, without the NUL */
	size_t cap;
	int err;			/* sticky: first error (-ENOMEM) */
};
/* clang-format on */

void fixedbar_buf_init(struct fixedbar_buf *b);
void fixedbar_buf_free(struct fixedbar_buf *b);
/* Appends @len bytes of @s; returns 0 or the sticky error. */
int fixedbar_buf_put(struct fixedbar_buf *b, const char *s, size_t len);
int fixedbar_buf_puts(struct fixedbar_buf *b, const char *s);
/* Appends @s as a quoted, escaped JSON string. */
int fixedbar_buf_put_json_str(struct fixedbar_buf *b, const char *s);

/* The topology in the interchange input format.  Returns 0 or -ENOMEM. */
int fixedbar_emit_topo(struct fixedbar_buf *b, const struct fixedbar_topo *t);
/*
 * The plan output format: the layout when p->err is 0, otherwise the error
 * document with p->message and p->err_entries.  Returns 0 or -ENOMEM.
 */
int fixedbar_emit_plan(struct fixedbar_buf *b, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p);
/*
 * An error document for an error found before planning (e.g. a rejected
 * descriptor entry), naming @nr_entries raw entry strings.
 */
int fixedbar_emit_error(struct fixedbar_buf *b, int err, const char *message,
			const char *const *entries, u32 nr_entries);

#endif /* FIXEDBAR_EMIT_H */
