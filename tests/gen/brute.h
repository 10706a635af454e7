/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An exhaustive solver for tiny topologies, independent of the planner:
 * it decides whether any valid plan exists ("What makes a plan valid" in
 * docs/topology-json.md) and, when one does, builds it as a witness that
 * the caller checks with fixedbar_validate().
 *
 * Scope: memory space only.  I/O BARs, ROMs and I/O windows are optional
 * in a plan and the witness leaves them unassigned; hotplug reserves are
 * soft and ignored.  Pinned BARs and devices, memory apertures that
 * straddle 4 GiB, more than 64 window granules (1 MiB) in all apertures,
 * and buses with more BARs than the solver can enumerate are outside its
 * scope (FIXEDBAR_BRUTE_UNSUPPORTED).
 */
#ifndef FIXEDBAR_BRUTE_H
#define FIXEDBAR_BRUTE_H

#include "fixedbar.h"

/* clang-format off */
enum fixedbar_brute_result {
	FIXEDBAR_BRUTE_INFEASIBLE,	/* no valid plan exists */
	FIXEDBAR_BRUTE_FEASIBLE,	/* @witness holds a layout */
	FIXEDBAR_BRUTE_UNSUPPORTED,	/* outside the solver's scope */
	FIXEDBAR_BRUTE_ERROR,		/* the solver contradicts itself */
};
/* clang-format on */

/* clang-format off */
struct fixedbar_brute_stats {
	u64 fits;			/* container placement checks */
	u64 leaves;			/* BAR packings tried */
	u32 max_options;		/* largest window-extent list of a bridge */
};
/* clang-format on */

/*
 * Decides @t.  On FIXEDBAR_BRUTE_FEASIBLE, @witness (zeroed by the caller)
 * is a complete layout; free it with fixedbar_plan_free().  @msg says why
 * for the other results.  @stats may be NULL.
 */
enum fixedbar_brute_result fixedbar_brute_solve(
	const struct fixedbar_topo *t, struct fixedbar_plan *witness,
	struct fixedbar_brute_stats *stats, char *msg, size_t msglen);

/*
 * The same question answered naively, for micro topologies only: every
 * aligned position of every movable BAR in every memory aperture, every
 * routing of prefetchable BARs and windows between a bridge's two windows,
 * each window the 1 MiB hull of what it holds (shrinking the windows of a
 * valid plan so keeps it valid), and fixedbar_validate() on each.  Gives
 * FIXEDBAR_BRUTE_UNSUPPORTED beyond @max_layouts layouts.  Same scope as
 * fixedbar_brute_solve().
 */
enum fixedbar_brute_result fixedbar_brute_naive(const struct fixedbar_topo *t,
						u64 max_layouts, u64 *layouts);

/*
 * The fewest resources any valid layout moves (fixedbar_plan_nr_moved()),
 * by the same naive enumeration: every placement and routing as above,
 * each BAR tried where it is now first, each memory window either the hull
 * of what it holds or where it is now; placements that already move as
 * many as the best layout found are cut.  FIXEDBAR_BRUTE_FEASIBLE with
 * @min_moves set, or as fixedbar_brute_naive().
 */
enum fixedbar_brute_result fixedbar_brute_min_moves(
	const struct fixedbar_topo *t, u64 max_layouts, u32 *min_moves,
	u64 *layouts);

const char *fixedbar_brute_result_name(enum fixedbar_brute_result r);

#endif /* FIXEDBAR_BRUTE_H */
