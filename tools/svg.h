/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address map of a topology and its plan as an SVG picture
 * (fixedbar-plan --svg).
 */
#ifndef FIXEDBAR_SVG_H
#define FIXEDBAR_SVG_H

#include <stdio.h>

#include "fixedbar.h"

/*
 * Writes the picture: one band per root aperture, the layout before (the
 * topology's current ranges) above the layout after (@p, when it has no
 * error).  Returns 0, or -ENOMEM.
 */
int fixedbar_svg_write(FILE *f, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p);

/* a root bus to draw: its topology and plan (NULL or failed: none) */
struct fixedbar_svg_root {
	const struct fixedbar_topo *t;
	const struct fixedbar_plan *p;
};

/* the picture of several root buses, one after the other, as above */
int fixedbar_svg_write_roots(FILE *f, const struct fixedbar_svg_root *roots,
			     size_t n);

/*
 * The picture of the root buses @ts, each with what fixedbar_plan() makes
 * of it, except that the one of @t's root bus (when @t is not NULL) is
 * drawn as @t with the plan @p.  Returns 0, or -ENOMEM.
 */
int fixedbar_svg_write_all(FILE *f, const struct fixedbar_topo *ts, size_t n,
			   const struct fixedbar_topo *t,
			   const struct fixedbar_plan *p);

#endif /* FIXEDBAR_SVG_H */
