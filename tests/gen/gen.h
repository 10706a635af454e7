/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seeded random topologies for the planner: feasible ones that come with a
 * layout built by the generator itself (a witness that some valid plan
 * exists), and infeasible ones, one kind per error the planner must report.
 * The same seed always gives the same case, on every host.
 */
#ifndef FIXEDBAR_GEN_H
#define FIXEDBAR_GEN_H

#include "fixedbar.h"

/* splitmix64: small, fast, and the same everywhere (never rand()) */
struct fixedbar_rng {
	u64 s;
};

void fixedbar_rng_seed(struct fixedbar_rng *r, u64 seed);
u64 fixedbar_rng_next(struct fixedbar_rng *r);
/* uniform in [0, n); 0 when n is 0 */
u64 fixedbar_rng_below(struct fixedbar_rng *r, u64 n);

enum fixedbar_gen_kind {
	FIXEDBAR_GEN_FEASIBLE,
	FIXEDBAR_GEN_INTERLEAVE,	/* EBUSY: sibling windows interleave */
	FIXEDBAR_GEN_GRANULE,		/* EBUSY: siblings share a 1 MiB granule */
	FIXEDBAR_GEN_NONPREF_HIGH,	/* EINVAL: non-pref above 4G behind a bridge */
	FIXEDBAR_GEN_BAR32_HIGH,	/* EINVAL: 32-bit BAR above 4G */
	FIXEDBAR_GEN_NO_PREF64,		/* EOPNOTSUPP: no 64-bit pref window on the path */
	FIXEDBAR_GEN_OUTSIDE,		/* EINVAL: outside every compatible aperture */
	FIXEDBAR_GEN_MISALIGNED,	/* EINVAL */
	FIXEDBAR_GEN_OVERLAP_FIXED,	/* EBUSY */
	FIXEDBAR_GEN_OVERLAP_PINNED,	/* EBUSY: overlaps or moves a pinned BAR */
	FIXEDBAR_GEN_NODEV,		/* ENODEV */
	FIXEDBAR_GEN_UNIMPLEMENTED,	/* EINVAL: BAR the device does not have */
	FIXEDBAR_GEN_NOSPC_HOLE,	/* ENOSPC: no aligned hole big enough */
	FIXEDBAR_GEN_NOSPC_TOTAL,	/* ENOSPC: demand exceeds the apertures */
	FIXEDBAR_GEN_NR_KINDS,
};

struct fixedbar_gen_params {
	u32 nr_devs;		/* devices to build (feasible), >= 1 */
	u32 nr_bridges;		/* bridges among them; 0: random */
	u32 nr_fixed;		/* fixed BARs; 0: random 1..16 */
	bool no_pins;		/* no pinned BARs or devices */
	bool keep_cur;		/* current addresses = the witness layout */
	/*
	 * Route prefetchable BARs and windows as the kernel sizes bridges
	 * (a 64-bit prefetchable window takes only 64-bit prefetchable
	 * BARs, which always go there) instead of every way the
	 * specification allows.
	 */
	bool kernel_routing;
	/*
	 * Tight apertures: each memory aperture the witness uses shrinks to
	 * the 1 MiB-aligned span of what the witness put in it, so the
	 * planner has about as little room as the witness had.
	 */
	bool tight;
};

struct fixedbar_gen_case {
	enum fixedbar_gen_kind kind;
	u64 seed;
	int expect;			/* what fixedbar_plan() must return */
	struct fixedbar_topo topo;
	bool has_layout;
	struct fixedbar_plan layout;	/* the witness (feasible cases) */
	u32 nr_culprits;		/* entries the error must name, if any */
	u32 culprits[FIXEDBAR_MAX_ERR_ENTRIES];
	char note[FIXEDBAR_MSG_LEN];	/* how the case was made */
};

const char *fixedbar_gen_kind_name(enum fixedbar_gen_kind kind);
/* 0, or the negative errno a case of @kind must fail with */
int fixedbar_gen_kind_errno(enum fixedbar_gen_kind kind);
/*
 * Builds case @kind from @seed.  @par is used by feasible cases (NULL:
 * random size up to 300 devices); infeasible ones only take its
 * kernel_routing.  Returns 0, or a negative errno with @msg set when the
 * generator itself failed (its witness layout does not validate: a bug in
 * the generator or in fixedbar_validate()).
 */
int fixedbar_gen(struct fixedbar_gen_case *c, enum fixedbar_gen_kind kind,
		 u64 seed, const struct fixedbar_gen_params *par, char *msg,
		 size_t msglen);
void fixedbar_gen_free(struct fixedbar_gen_case *c);

#endif /* FIXEDBAR_GEN_H */
