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

#endif /* FIXEDBAR_SVG_H */
