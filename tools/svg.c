// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-plan --svg: the address map as a picture.
 *
 * One band per root aperture, of every root bus given; in it two lanes, the layout before (the
 * topology's current ranges) and after (the plan).  Bridge windows are
 * outlines nested by depth, BARs boxes inside them; fixed BARs are red and
 * labelled with their address, what the plan moves is orange (dashed
 * where it was), claimed ranges (the topology's reserved list) hatched.  Sizes from 4 KiB to terabytes share one band, so the
 * scale is broken: every range between two consecutive boundaries of
 * anything drawn gets a width growing with the log of its length, and
 * stretches nothing occupies are shortened to a mark (a zigzag).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#define SVG_W 1200 /* plot width */
#define SVG_LEFT 64 /* lane titles */
#define SVG_MARGIN 12
#define SVG_INSET 7 /* per window level */
#define SVG_LANE_BASE 26
#define SVG_LABEL_CHAR 5.6 /* px per label character (9px font) */

struct svg_item {
	int dev;
	int slot; /* BAR slot, or -1 for a window or claimed range */
	int win; /* -1: a claimed range (reserved[claimed]) */
	u32 claimed;
	enum fixedbar_res_type type;
	u64 start, end;
	int depth; /* nesting level inside the lane */
	bool after; /* lane */
	bool fixed, moved, pinned;
};

struct svg {
	FILE *f;
	const struct fixedbar_topo *t;
	const struct fixedbar_plan *p; /* NULL: no valid plan */
	struct svg_item *items;
	size_t nr_items;
	u64 *bounds; /* of the aperture being drawn */
	double *xs;
	size_t nr_bounds;
	u64 ap_end; /* of the aperture being drawn */
	u8 (*fixed)[FIXEDBAR_NR_SLOTS]; /* per device and slot */
	int max_depth;
	double y; /* next band's top */
};

static bool svg_add(struct svg *s, const struct svg_item *it)
{
	struct svg_item *n;

	if (s->nr_items % 64 == 0) {
		n = realloc(s->items, (s->nr_items + 64) * sizeof(*n));
		if (!n)
			return false;
		s->items = n;
	}
	s->items[s->nr_items++] = *it;
	if (it->depth > s->max_depth)
		s->max_depth = it->depth;
	return true;
}

/* every BAR and window of one device, in one lane */
static bool svg_add_dev(struct svg *s, int d, bool after)
{
	const struct fixedbar_dev *dev = &s->t->devs[d];
	const struct fixedbar_range *r;
	struct svg_item it = { .dev = d, .after = after };
	int i;

	it.depth = dev->depth;
	for (i = 0; i < FIXEDBAR_NR_SLOTS; i++) {
		r = after ? &s->p->devs[d].bars[i] : &dev->bars[i].cur;
		if (!dev->bars[i].present || !r->assigned)
			continue;
		it.slot = i;
		it.type = dev->bars[i].type;
		it.start = r->start;
		it.end = r->end;
		it.fixed = s->fixed[d][i];
		it.pinned = dev->pinned || dev->bars[i].pinned;
		it.moved = s->p && fixedbar_plan_bar_moved(s->t, s->p, d, i);
		if (!svg_add(s, &it))
			return false;
	}
	for (i = 0; dev->is_bridge && i < FIXEDBAR_NR_WINDOWS; i++) {
		r = after ? &s->p->devs[d].win[i] : &dev->br.cur[i];
		if (!r->assigned)
			continue;
		it.slot = -1;
		it.win = i;
		it.type = i == FIXEDBAR_WIN_IO ? FIXEDBAR_RES_IO :
						 FIXEDBAR_RES_MEM;
		it.start = r->start;
		it.end = r->end;
		it.fixed = false;
		it.pinned = dev->pinned;
		it.moved = s->p && fixedbar_plan_win_moved(s->t, s->p, d, i);
		if (!svg_add(s, &it))
			return false;
	}
	return true;
}

/* the claimed ranges, clipped to each aperture, in both lanes */
static bool svg_add_claimed(struct svg *s)
{
	const struct fixedbar_topo *t = s->t;
	struct svg_item it = { .slot = -1, .win = -1 };
	const struct fixedbar_aperture *a;
	u32 i, j;

	for (i = 0; i < t->nr_reserved; i++) {
		for (j = 0; j < t->nr_apertures; j++) {
			a = &t->apertures[j];
			if (a->type != t->reserved[i].type ||
			    t->reserved[i].end < a->start ||
			    t->reserved[i].start > a->end)
				continue;
			it.claimed = i;
			it.type = a->type;
			it.start = t->reserved[i].start > a->start ?
					   t->reserved[i].start :
					   a->start;
			it.end = t->reserved[i].end < a->end ?
					 t->reserved[i].end :
					 a->end;
			it.after = false;
			if (!svg_add(s, &it))
				return false;
			it.after = true;
			if (s->p && !svg_add(s, &it))
				return false;
		}
	}
	return true;
}

static int svg_collect(struct svg *s)
{
	const struct fixedbar_topo *t = s->t;
	char msg[FIXEDBAR_MSG_LEN];
	u32 i, j;
	int d;

	s->fixed = calloc(t->nr_devs + 1, sizeof(*s->fixed));
	if (!s->fixed)
		return -ENOMEM;
	for (i = 0; i < t->nr_entries; i++) {
		d = fixedbar_topo_find(t, &t->entries[i], msg, sizeof(msg));
		for (j = 0; d >= 0 && j < t->entries[i].nr_bars; j++)
			s->fixed[d][t->entries[i].bars[j].bar] = 1;
	}
	for (i = 0; i < t->nr_devs; i++) {
		if (!svg_add_dev(s, i, false))
			return -ENOMEM;
		if (s->p && !svg_add_dev(s, i, true))
			return -ENOMEM;
	}
	return svg_add_claimed(s) ? 0 : -ENOMEM;
}

static bool svg_in(const struct svg_item *it, const struct fixedbar_aperture *a)
{
	return it->type == a->type && it->start >= a->start &&
	       it->end <= a->end;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static bool svg_is_claimed(const struct svg_item *it)
{
	return it->slot < 0 && it->win < 0;
}

/* true when some BAR or claimed range of either lane covers [a, b] */
static bool svg_used(const struct svg *s, u64 a, u64 b)
{
	size_t i;

	for (i = 0; i < s->nr_items; i++)
		if ((s->items[i].slot >= 0 || svg_is_claimed(&s->items[i])) &&
		    s->items[i].start <= a && s->items[i].end >= b)
			return true;
	return false;
}

static double svg_log2(u64 v)
{
	double l = 0;

	while (v > 1) {
		v >>= 1;
		l++;
	}
	return l;
}

/*
 * The broken scale of one aperture: its boundaries (bounds[i] is the first
 * address of segment i; the last one is the aperture's end + 1, which may
 * wrap to 0 at the top of the address space) and their x positions.
 */
static int svg_scale(struct svg *s, const struct fixedbar_aperture *a)
{
	size_t i, n = 0;
	double w, total = 0;

	free(s->bounds);
	free(s->xs);
	s->bounds = calloc(2 * s->nr_items + 2, sizeof(*s->bounds));
	s->xs = calloc(2 * s->nr_items + 2, sizeof(*s->xs));
	if (!s->bounds || !s->xs)
		return -ENOMEM;
	s->bounds[n++] = a->start;
	for (i = 0; i < s->nr_items; i++) {
		if (!svg_in(&s->items[i], a))
			continue;
		s->bounds[n++] = s->items[i].start;
		if (s->items[i].end < a->end)
			s->bounds[n++] = s->items[i].end + 1;
	}
	qsort(s->bounds, n, sizeof(*s->bounds), cmp_u64);
	for (i = 1, s->nr_bounds = 1; i < n; i++)
		if (s->bounds[i] != s->bounds[s->nr_bounds - 1])
			s->bounds[s->nr_bounds++] = s->bounds[i];
	/* the aperture's end + 1 closes the last segment */
	s->bounds[s->nr_bounds] = a->end + 1;
	s->ap_end = a->end;
	for (i = 0; i < s->nr_bounds; i++) {
		u64 last = i + 1 < s->nr_bounds ? s->bounds[i + 1] - 1 : a->end;

		w = svg_log2(last - s->bounds[i] + 1) - 10;
		if (w < 1)
			w = 1;
		if (!svg_used(s, s->bounds[i], last) && w > 3)
			w = 3;
		s->xs[i] = total;
		total += w;
	}
	s->xs[s->nr_bounds] = total;
	for (i = 0; i <= s->nr_bounds; i++)
		s->xs[i] = SVG_LEFT + s->xs[i] * SVG_W / total;
	return 0;
}

/* x of the segment starting at @addr (a boundary by construction) */
static double svg_x(const struct svg *s, u64 addr, bool end)
{
	size_t lo = 0, hi = s->nr_bounds;

	if (end && addr == (u64)-1)
		return s->xs[s->nr_bounds];
	if (end)
		addr++;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->bounds[mid] < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s->xs[lo];
}

static void svg_size(char *buf, size_t len, u64 v)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (v >= 1024 && !(v & 1023) && u < 5) {
		v >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)v, units[u]);
}

static void svg_label(const struct svg *s, const struct svg_item *it, char *buf,
		      size_t len)
{
	char path[FIXEDBAR_PATH_LEN], size[24];

	svg_size(size, sizeof(size), it->end - it->start + 1);
	if (svg_is_claimed(it)) {
		snprintf(buf, len, "claimed: %s %s @0x%llx",
			 s->t->reserved[it->claimed].name, size,
			 (unsigned long long)it->start);
		return;
	}
	fixedbar_dev_path(s->t, it->dev, path, sizeof(path));
	if (it->slot < 0)
		snprintf(buf, len, "%s %s %s @0x%llx", path,
			 fixedbar_win_name(it->win), size,
			 (unsigned long long)it->start);
	else
		snprintf(buf, len, "%s %s %s @0x%llx%s", path,
			 fixedbar_slot_name(it->slot), size,
			 (unsigned long long)it->start,
			 it->fixed ? " fixed" : "");
}

static const char *svg_fill(const struct svg_item *it)
{
	if (svg_is_claimed(it))
		return "url(#claimed)";
	if (it->slot < 0)
		return "none";
	if (!it->after && it->moved)
		return "#ffffff";
	if (it->fixed)
		return "#d62728";
	if (it->moved)
		return "#ff9f1c";
	return it->pinned ? "#8c8c8c" : "#c7d3e0";
}

static const char *svg_stroke(const struct svg_item *it)
{
	if (svg_is_claimed(it))
		return "#555555";
	if (it->slot >= 0)
		return it->fixed ? "#7a0000" :
		       it->moved ? "#c46a00" :
				   "#44546a";
	if (it->win == FIXEDBAR_WIN_PREF)
		return "#2ca02c";
	return it->win == FIXEDBAR_WIN_IO ? "#9467bd" : "#1f77b4";
}

static void svg_box(const struct svg *s, const struct svg_item *it, double y,
		    double h)
{
	double x0 = svg_x(s, it->start, false), x1 = svg_x(s, it->end, true);
	double inset = it->depth * SVG_INSET + (it->slot >= 0 ? 2 : 0);
	char label[FIXEDBAR_PATH_LEN + 96];

	svg_label(s, it, label, sizeof(label));
	fprintf(s->f,
		"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"%s><title>%s%s</title></rect>\n",
		x0 + 0.5, y + inset, x1 - x0 > 1.5 ? x1 - x0 - 1 : 0.5,
		h - 2 * inset > 2 ? h - 2 * inset : 2, svg_fill(it),
		svg_stroke(it), it->slot < 0 ? "1.5" : "0.8",
		!it->after && it->moved ? " stroke-dasharray=\"3 2\"" : "",
		label,
		it->moved ? (it->after ? " (moved here)" : " (moved)") : "");
}

static void svg_breaks(const struct svg *s, double y, double h)
{
	size_t i;
	double x0, x1, m;

	for (i = 0; i < s->nr_bounds; i++) {
		u64 last = i + 1 < s->nr_bounds ? s->bounds[i + 1] - 1 :
						  s->ap_end;
		char size[24];

		if (svg_used(s, s->bounds[i], last) ||
		    svg_log2(last - s->bounds[i]) < 13)
			continue;
		x0 = s->xs[i];
		x1 = s->xs[i + 1];
		m = (x0 + x1) / 2;
		svg_size(size, sizeof(size), last - s->bounds[i] + 1);
		fprintf(s->f,
			"<path d=\"M%.1f %.1f l3 4 l-6 4 l6 4 l-6 4 l3 4\" fill=\"none\" stroke=\"#999\" stroke-width=\"1\"><title>%s without BARs, shortened</title></path>\n",
			m, y + h / 2 - 10, size);
	}
}

/* true when no label in @xs is closer to @x than a line of text */
static bool svg_room(const double *xs, size_t n, double x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (xs[i] > x - 10 && xs[i] < x + 10)
			return false;
	return true;
}

/* one label, rotated, below the middle of the item's box */
static size_t svg_label_at(const struct svg *s, const struct svg_item *it,
			   double x, double y)
{
	char label[FIXEDBAR_PATH_LEN + 96];

	svg_label(s, it, label, sizeof(label));
	fprintf(s->f,
		"<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(90 %.1f %.1f)\" dominant-baseline=\"middle\" font-size=\"9\" fill=\"%s\"%s>%s</text>\n",
		x, y + 4, x, y + 4, it->fixed ? "#a00000" : "#333",
		it->fixed ? " font-weight=\"bold\"" : "", label);
	return strlen(label);
}

/*
 * The labels under the band, for the BARs of the after lane (else before):
 * every fixed BAR's first, then the others' where there is room.
 */
static double svg_labels(const struct svg *s, const struct fixedbar_aperture *a,
			 double y)
{
	size_t n = 0, len, longest = 0, k;
	bool after = s->p != NULL;
	const struct svg_item *it;
	double x, *xs;

	xs = calloc(s->nr_items + 1, sizeof(*xs));
	if (!xs)
		return 0;
	for (k = 0; k < 2 * s->nr_items; k++) {
		it = &s->items[k % s->nr_items];
		if (it->after != after || it->slot < 0 || !svg_in(it, a) ||
		    it->fixed != (k < s->nr_items))
			continue;
		x = (svg_x(s, it->start, false) + svg_x(s, it->end, true)) / 2;
		if (!it->fixed && !svg_room(xs, n, x))
			continue;
		xs[n++] = x;
		len = svg_label_at(s, it, x, y);
		if (len > longest)
			longest = len;
	}
	free(xs);
	return longest * SVG_LABEL_CHAR + 12;
}

static double svg_lane_h(const struct svg *s)
{
	return SVG_LANE_BASE + 2 * SVG_INSET * (s->max_depth + 1);
}

static int svg_pass(const struct svg_item *it)
{
	return svg_is_claimed(it) ? 0 : it->slot < 0 ? 1 : 2;
}

static void svg_lane(const struct svg *s, const struct fixedbar_aperture *a,
		     bool after, double y)
{
	double h = svg_lane_h(s);
	size_t i;
	int pass;

	fprintf(s->f,
		"<text x=\"%d\" y=\"%.1f\" font-size=\"12\" dominant-baseline=\"middle\">%s</text>\n",
		SVG_MARGIN, y + h / 2, after ? "after" : "before");
	fprintf(s->f,
		"<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#f7f7f7\" stroke=\"#444\"/>\n",
		SVG_LEFT, y, SVG_W, h);
	/* claimed ranges, then windows under BARs, outer windows first */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < s->nr_items; i++)
			if (s->items[i].after == after &&
			    svg_pass(&s->items[i]) == pass &&
			    svg_in(&s->items[i], a))
				svg_box(s, &s->items[i], y, h);
	svg_breaks(s, y, h);
}

static int svg_band(struct svg *s, const struct fixedbar_aperture *a)
{
	char res[FIXEDBAR_RES_LEN];
	double h = svg_lane_h(s);
	int ret;

	ret = svg_scale(s, a);
	if (ret)
		return ret;
	fixedbar_format_res(res, sizeof(res), a->type, a->start, a->end,
			    a->end >= FIXEDBAR_4G, a->pref);
	fprintf(s->f,
		"<text x=\"%d\" y=\"%.1f\" font-size=\"13\" font-weight=\"bold\">root aperture %s of root bus %04x:%02x</text>\n",
		SVG_LEFT, s->y + 13, res, s->t->segment, s->t->root_bus);
	s->y += 20;
	svg_lane(s, a, false, s->y);
	s->y += h + 6;
	if (s->p) {
		svg_lane(s, a, true, s->y);
		s->y += h + 6;
	} else {
		fprintf(s->f,
			"<text x=\"%d\" y=\"%.1f\" font-size=\"12\" fill=\"#a00000\">no valid plan</text>\n",
			SVG_LEFT, s->y + 12);
		s->y += 20;
	}
	s->y += svg_labels(s, a, s->y) + 16;
	return 0;
}

static void svg_legend(struct svg *s)
{
	static const struct {
		const char *fill, *stroke, *text;
	} keys[] = {
		{ "#d62728", "#7a0000", "fixed BAR (bold label)" },
		{ "#ff9f1c", "#c46a00", "moved by the plan" },
		{ "#ffffff", "#c46a00", "where it was (dashed)" },
		{ "#c7d3e0", "#44546a", "BAR that stays" },
		{ "#8c8c8c", "#44546a", "pinned" },
		{ "none", "#1f77b4", "bridge window" },
		{ "none", "#2ca02c", "prefetchable window" },
		{ "url(#claimed)", "#555555", "claimed range (hatched)" },
	};
	size_t i;
	double x = SVG_LEFT;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		fprintf(s->f,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"%s/>\n"
			"<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s</text>\n",
			x, s->y, keys[i].fill, keys[i].stroke,
			i == 2 ? " stroke-dasharray=\"3 2\"" : "", x + 18,
			s->y + 9, keys[i].text);
		x += 24 + strlen(keys[i].text) * 6.2;
	}
	s->y += 18;
	fprintf(s->f,
		"<text x=\"%d\" y=\"%.1f\" font-size=\"10\" fill=\"#555\">broken scale: each range between two boundaries is as wide as the log of its size; free stretches are shortened (zigzag); hover for details</text>\n",
		SVG_LEFT, s->y + 8);
	s->y += 22;
}

/* one root bus: its bands, drawn with its own items */
static int svg_root(struct svg *s, const struct fixedbar_svg_root *r)
{
	u32 i;
	int ret;

	s->t = r->t;
	s->p = r->p && !r->p->err ? r->p : NULL;
	s->nr_items = 0;
	s->max_depth = 0;
	free(s->fixed);
	s->fixed = NULL;
	ret = svg_collect(s);
	for (i = 0; !ret && i < s->t->nr_apertures; i++)
		ret = svg_band(s, &s->t->apertures[i]);
	return ret;
}

int fixedbar_svg_write_roots(FILE *f, const struct fixedbar_svg_root *roots,
			     size_t n)
{
	struct svg s = { .f = NULL };
	char *body = NULL;
	size_t len = 0, i;
	int ret = 0;

	/* the body first: the height is known only at its end */
	s.f = open_memstream(&body, &len);
	if (!s.f)
		return -ENOMEM;
	s.y = SVG_MARGIN;
	svg_legend(&s);
	for (i = 0; !ret && i < n; i++)
		ret = svg_root(&s, &roots[i]);
	fclose(s.f);
	if (!ret)
		fprintf(f,
			"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
			"<defs><pattern id=\"claimed\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#777777\" stroke-width=\"2.5\"/></pattern></defs>\n"
			"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
			"%s</svg>\n",
			SVG_LEFT + SVG_W + SVG_MARGIN, (int)s.y,
			SVG_LEFT + SVG_W + SVG_MARGIN, (int)s.y, body);
	free(body);
	free(s.items);
	free(s.bounds);
	free(s.xs);
	free(s.fixed);
	return ret;
}

int fixedbar_svg_write(FILE *f, const struct fixedbar_topo *t,
		       const struct fixedbar_plan *p)
{
	struct fixedbar_svg_root r = { t, p };

	return fixedbar_svg_write_roots(f, &r, 1);
}

int fixedbar_svg_write_all(FILE *f, const struct fixedbar_topo *ts, size_t n,
			   const struct fixedbar_topo *t,
			   const struct fixedbar_plan *p)
{
	struct fixedbar_svg_root *r = calloc(n, sizeof(*r));
	struct fixedbar_plan *plans = calloc(n, sizeof(*plans));
	size_t i;
	int ret = -ENOMEM;

	for (i = 0; r && plans && i < n; i++) {
		r[i].t = &ts[i];
		r[i].p = &plans[i];
		if (t && ts[i].segment == t->segment &&
		    ts[i].root_bus == t->root_bus) {
			r[i].t = t;
			r[i].p = p;
		} else if (fixedbar_plan(&ts[i], &plans[i]) && !plans[i].err) {
			plans[i].err = -EINVAL;
		}
	}
	if (r && plans)
		ret = fixedbar_svg_write_roots(f, r, n);
	for (i = 0; plans && i < n; i++)
		fixedbar_plan_free(&plans[i]);
	free(plans);
	free(r);
	return ret;
}
