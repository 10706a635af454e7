// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the host devices' BARs, from sysfs.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "host.h"

static void note_skipped(const struct dev *d, int i, const struct bar *b)
{
	if (i == 6)
		notice("%s rom %s: an expansion ROM cannot be fixed; the guest places it",
		       d->bdf, res_str(b));
	else if (i > 6)
		notice("%s VF BAR %d %s: SR-IOV VF BARs cannot be fixed; the guest places them",
		       d->bdf, i - 7, res_str(b));
	else
		notice("%s bar%d %s: an I/O BAR cannot be fixed; the guest places it",
		       d->bdf, i, res_str(b));
}

/* the named BAR @i that read_resources() did not take: why */
static int bad_wanted_bar(const struct dev *d, int i, const struct bar *all)
{
	if (i > 0 && all[i - 1].flags & IORESOURCE_MEM_64 &&
	    all[i - 1].end > all[i - 1].start)
		return usage_error("%s: bar%d is the upper half of 64-bit bar%d %s; name bar%d",
				   d->bdf, i, i - 1, res_str(&all[i - 1]),
				   i - 1);
	if (all[i].flags & IORESOURCE_IO)
		return usage_error("%s: bar%d %s is an I/O BAR; only memory BARs can be fixed",
				   d->bdf, i, res_str(&all[i]));
	return usage_error("%s: bar%d is not implemented (size 0)", d->bdf, i);
}

/* the first 13 lines of @dir/resource into @all; returns how many or -1 */
static int read_resource_lines(const struct dev *d, const char *dir,
			       struct bar *all)
{
	struct fixedbar_res_file rf;
	int err = fixedbar_sysfs_resources(dir, &rf), n;

	if (err) {
		usage_error("%s: cannot read %s/resource: %s", d->bdf, dir,
			    strerror(-err));
		return -1;
	}
	if (rf.bad && rf.bad <= 13) {
		usage_error("%s: %s/resource line %d is not 'start end flags': '%s'",
			    d->bdf, dir, rf.bad, rf.bad_text);
		return -1;
	}
	for (n = 0; n < rf.nr && n < 13; n++) {
		all[n].index = n;
		all[n].start = rf.line[n].start;
		all[n].end = rf.line[n].end;
		all[n].flags = rf.line[n].flags;
	}
	if (n < 6) {
		usage_error("%s: %s/resource has %d lines, not at least 6",
			    d->bdf, dir, n);
		return -1;
	}
	return n;
}

/* the resource lines: 0-5 BARs, 6 ROM, 7-12 VF BARs, then bridge windows */
static int read_resources(struct dev *d, const char *dir)
{
	struct bar all[13] = { 0 };
	bool upper = false;
	int i, n = read_resource_lines(d, dir, all);

	if (n < 0)
		return EXIT_USAGE;
	for (i = 0; i < n; i++) {
		bool sized = all[i].end > all[i].start || all[i].flags;

		if (upper) { /* the high half of the 64-bit BAR before */
			upper = false;
			continue;
		}
		if (i < NR_BARS && all[i].flags & IORESOURCE_MEM_64)
			upper = true;
		if (!sized ||
		    !(all[i].flags & (IORESOURCE_IO | IORESOURCE_MEM)))
			continue;
		if (i < NR_BARS && all[i].flags & IORESOURCE_IO)
			d->has_io = true;
		if (i >= NR_BARS || all[i].flags & IORESOURCE_IO) {
			if (!d->want)
				note_skipped(d, i, &all[i]);
			continue;
		}
		if (d->want && !(d->want & 1u << i))
			continue;
		d->bars[d->nr_bars++] = all[i];
	}
	for (i = 0; i < NR_BARS; i++) {
		bool taken = false;
		int j;

		if (!(d->want & 1u << i))
			continue;
		for (j = 0; j < d->nr_bars; j++)
			taken |= d->bars[j].index == i;
		if (!taken)
			return bad_wanted_bar(d, i, all);
	}
	return 0;
}

int read_dev(struct dev *d)
{
	char dir[512], vendor[16] = "", device[16] = "";

	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", opt.sysfs, d->bdf);
	if (access(dir, F_OK))
		return usage_error("%s: no such device in %s/bus/pci/devices (lspci -D lists the host's devices)",
				   d->bdf, opt.sysfs);
	if (!fixedbar_sysfs_attr(dir, "vendor", vendor, sizeof(vendor)) &&
	    !fixedbar_sysfs_attr(dir, "device", device, sizeof(device)) &&
	    !strncmp(vendor, "0x", 2) && !strncmp(device, "0x", 2))
		snprintf(d->id, sizeof(d->id), "%.4s:%.4s", vendor + 2,
			 device + 2);
	d->vf = fixedbar_sysfs_is_vf(dir);
	if (read_resources(d, dir))
		return EXIT_USAGE;
	if (!d->nr_bars)
		notice("%s: no memory BAR to fix; it is passed through as it is",
		       d->bdf);
	return 0;
}
