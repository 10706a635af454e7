// SPDX-License-Identifier: GPL-2.0
/*
 * Topology capture from sysfs.  The device hierarchy comes from where each
 * /sys/bus/pci/devices link points (.../pci0000:00/0000:00:01.0/0000:01:00.0),
 * so bus numbers never matter.  Which bridge windows exist is only known to
 * the kernel (it probes by writing); from sysfs we take a window as
 * implemented when the kernel lists it or the config registers are nonzero.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <unistd.h>

#include "kres.h"
#include "sysfs_topo.h"

/* clang-format off */
#define PCI_CLASS_BRIDGE_PCI	0x0604

struct sdev {
	char name[16];			/* "0000:00:01.0" */
	char *real;			/* realpath of the sysfs link */
	unsigned int root_domain;
	unsigned int root_bus;
	unsigned int devfn;
	int index;			/* in the topology, -1 before */
};
/* clang-format on */

static int fail(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int read_attr_hex(const char *dir, const char *attr, unsigned long *out)
{
	char buf[64];

	if (fixedbar_sysfs_attr(dir, attr, buf, sizeof(buf)) || !buf[0])
		return -ENOENT;
	*out = strtoul(buf, NULL, 0);
	return 0;
}

/* a sysfs device name, "DDDD:BB:SS.F" and nothing more */
static bool parse_bdf(const char *s, unsigned int *domain, unsigned int *bus,
		      unsigned int *devfn)
{
	unsigned int slot, fn;
	int n = fixedbar_parse_bdf(s, domain, bus, &slot, &fn);

	if (!n || s[n] || s[4] != ':')
		return false;
	*devfn = slot << 3 | fn;
	return true;
}

/* The nearest "pciDDDD:BB" component: the host bridge of the device. */
static bool find_root_bus(const char *real, unsigned int *domain,
			  unsigned int *bus)
{
	const char *p = real;
	bool found = false;

	while ((p = strstr(p, "/pci"))) {
		unsigned int d, b;
		char end;

		p += 4;
		if (sscanf(p, "%4x:%2x%c", &d, &b, &end) == 3 && end == '/') {
			*domain = d;
			*bus = b;
			found = true;
		}
	}
	return found;
}

static int cmp_sdev(const void *a, const void *b)
{
	const struct sdev *x = a, *y = b;

	if (x->root_domain != y->root_domain)
		return x->root_domain < y->root_domain ? -1 : 1;
	if (x->root_bus != y->root_bus)
		return x->root_bus < y->root_bus ? -1 : 1;
	/* a parent's path is a prefix of its children's: pre-order */
	return strcmp(x->real, y->real);
}

static void free_sdevs(struct sdev *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i].real);
	free(s);
}

static int scan_devices(const char *devdir, struct sdev **out, size_t *nr,
			char *msg, size_t msglen)
{
	struct sdev *s = NULL, *tmp;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;

	dir = opendir(devdir);
	if (!dir)
		return fail(msg, msglen, "%s: %s", devdir, strerror(errno));
	while ((de = readdir(dir))) {
		char path[PATH_MAX];
		struct sdev *d;
		unsigned int dom, bus;

		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			tmp = realloc(s, cap * sizeof(*s));
			if (!tmp)
				goto err_nomem;
			s = tmp;
		}
		d = &s[n];
		memset(d, 0, sizeof(*d));
		d->index = -1;
		if (!parse_bdf(de->d_name, &dom, &bus, &d->devfn))
			continue;
		snprintf(d->name, sizeof(d->name), "%.15s", de->d_name);
		if (fixedbar_path_join(path, sizeof(path), devdir, de->d_name))
			continue;
		/* a VF: its BARs are its PF's VF BARs, as the module sees it */
		if (fixedbar_sysfs_is_vf(path))
			continue;
		d->real = realpath(path, NULL);
		if (!d->real)
			continue;
		if (!find_root_bus(d->real, &d->root_domain, &d->root_bus)) {
			free(d->real);
			continue;
		}
		n++;
	}
	closedir(dir);
	qsort(s, n, sizeof(*s), cmp_sdev);
	*out = s;
	*nr = n;
	return 0;

err_nomem:
	closedir(dir);
	free_sdevs(s, n);
	return fail(msg, msglen, "out of memory");
}

static bool res_assigned(const struct fixedbar_res_line *r)
{
	return !(r->flags & (IORESOURCE_UNSET | IORESOURCE_DISABLED)) &&
	       r->start && r->end > r->start;
}

static int fill_bar(struct fixedbar_bar *b, const struct fixedbar_res_line *r,
		    u32 count)
{
	u64 span = r->end - r->start + 1;

	if (!(r->flags & (IORESOURCE_IO | IORESOURCE_MEM)) ||
	    r->end <= r->start)
		return 0;
	b->present = true;
	b->type = r->flags & IORESOURCE_IO ? FIXEDBAR_RES_IO : FIXEDBAR_RES_MEM;
	b->mem64 = r->flags & IORESOURCE_MEM_64;
	b->pref = r->flags & IORESOURCE_PREFETCH;
	b->pinned = r->flags & IORESOURCE_PCI_FIXED;
	b->count = count;
	b->size = span / count;
	if (b->size & (b->size - 1) || b->size * count != span)
		return -EINVAL;
	if (res_assigned(r) && !(r->start & (b->size - 1))) {
		b->cur.assigned = true;
		b->cur.start = r->start;
		b->cur.end = r->end;
	}
	return 0;
}

/* Slot Capabilities' Hot-Plug Capable bit, when config space is readable */
static bool cfg_hotplug(const unsigned char *cfg, ssize_t n)
{
	unsigned int pos = cfg[0x34] & 0xfc, guard = 48;

	if (n < 256 || !(cfg[0x06] & 0x10))
		return false;
	while (pos >= 0x40 && pos < 0xfc && guard--) {
		/* PCIe capability: Slot Implemented, then SLTCAP.HPC */
		if (cfg[pos] == 0x10)
			return (cfg[pos + 3] & 0x01) && pos + 0x18 <= 256 &&
			       (cfg[pos + 0x14] & 0x40);
		pos = cfg[pos + 1] & 0xfc;
	}
	return false;
}

/* Bridge window capabilities from the type 1 header, when readable. */
static void read_bridge_config(const char *dir, struct fixedbar_bridge *br)
{
	char path[PATH_MAX];
	unsigned char cfg[256];
	ssize_t n = 0;
	int fd;

	if (fixedbar_path_join(path, sizeof(path), dir, "config"))
		return;
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, cfg, sizeof(cfg));
		close(fd);
	}
	if (n < 64)
		return;
	if (cfg[0x1c] || cfg[0x1d])
		br->io = true;
	if (cfg[0x24] || cfg[0x25] || cfg[0x26] || cfg[0x27])
		br->pref = true;
	if ((cfg[0x24] & 0xf) == 1)
		br->pref64 = true;
	br->hotplug = cfg_hotplug(cfg, n);
}

static void fill_window(struct fixedbar_bridge *br, int w,
			const struct fixedbar_res_line *r)
{
	if (!r->flags)
		return;
	if (w == FIXEDBAR_WIN_IO)
		br->io = true;
	if (w == FIXEDBAR_WIN_PREF) {
		br->pref = true;
		if (r->flags & IORESOURCE_MEM_64)
			br->pref64 = true;
	}
	if (res_assigned(r)) {
		br->cur[w].assigned = true;
		br->cur[w].start = r->start;
		br->cur[w].end = r->end;
	}
}

/* A bound driver other than the port service driver pins the device. */
static bool driver_pins(const char *dir)
{
	char path[PATH_MAX], link[PATH_MAX];
	const char *name;
	ssize_t n;

	if (fixedbar_path_join(path, sizeof(path), dir, "driver"))
		return false;
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	return strcmp(name, "pcieport") != 0;
}

static int fill_dev(const char *dir, struct fixedbar_dev *d, char *msg,
		    size_t msglen)
{
	struct fixedbar_res_file rf;
	const struct fixedbar_res_line *res = rf.line;
	unsigned long vendor, device, class = 0, vfs = 0;
	int n, i, nr_bars;

	if (!read_attr_hex(dir, "vendor", &vendor) &&
	    !read_attr_hex(dir, "device", &device)) {
		d->has_id = true;
		d->vendor = (u16)vendor;
		d->device = (u16)device;
	}
	read_attr_hex(dir, "class", &class);
	d->is_bridge = (class >> 8) == PCI_CLASS_BRIDGE_PCI;
	d->pinned = driver_pins(dir);
	if (fixedbar_sysfs_resources(dir, &rf))
		return fail(msg, msglen, "%s/resource: unreadable", dir);
	n = rf.nr;
	/* bridges list their four windows after the device's own resources */
	nr_bars = d->is_bridge ? n - 4 : n;
	if (nr_bars > FIXEDBAR_VF_SLOT0 &&
	    read_attr_hex(dir, "sriov_totalvfs", &vfs))
		nr_bars = FIXEDBAR_VF_SLOT0;
	for (i = 0; i < nr_bars && i < FIXEDBAR_NR_SLOTS; i++) {
		u32 count = i >= FIXEDBAR_VF_SLOT0 ? (u32)vfs : 1;

		if (!count)
			continue;
		if (fill_bar(&d->bars[i], &res[i], count))
			return fail(msg, msglen,
				    "%s/resource: %s is not a power of two",
				    dir, fixedbar_slot_name(i));
	}
	if (!d->is_bridge)
		return 0;
	if (nr_bars < 0)
		return fail(msg, msglen, "%s/resource: no bridge windows", dir);
	read_bridge_config(dir, &d->br);
	for (i = 0; i < FIXEDBAR_NR_WINDOWS; i++)
		fill_window(&d->br, i, &res[n - 4 + i]);
	return 0;
}

/*
 * The bus below the bridge at @dir: its pci_bus/DDDD:BB entry, else the
 * Secondary Bus Number of its config space (domain from @name).
 */
static bool bridge_secondary(const char *dir, const char *name,
			     unsigned int *domain, unsigned int *bus)
{
	char path[PATH_MAX];
	unsigned char cfg[0x1a];
	struct dirent *de;
	bool found = false;
	DIR *d;
	int fd;

	if (fixedbar_path_join(path, sizeof(path), dir, "pci_bus"))
		return false;
	d = opendir(path);
	while (d && !found && (de = readdir(d)))
		found = sscanf(de->d_name, "%4x:%2x", domain, bus) == 2;
	if (d)
		closedir(d);
	if (found || fixedbar_path_join(path, sizeof(path), dir, "config"))
		return found;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	found = read(fd, cfg, sizeof(cfg)) == sizeof(cfg) && cfg[0x19] &&
		sscanf(name, "%4x:", domain) == 1;
	close(fd);
	if (found)
		*bus = cfg[0x19];
	return found;
}

/*
 * A hotplug slot on the bus below the bridge at @dir: a slot of
 * sys/bus/pci/slots (beside @devdir) whose address is that bus and which
 * a hotplug driver registered (it has a "power" file), as ACPI hotplug
 * (acpiphp) does for ports without the Hot-Plug Capable bit.  The module
 * counts such a port as hotplug too (fixedbar_hotplug_port()).
 */
static bool slot_hotplug(const char *devdir, const char *dir, const char *name)
{
	char slots[PATH_MAX], one[PATH_MAX], power[PATH_MAX], addr[64];
	unsigned int dom, bus, sdom, sbus;
	struct dirent *de;
	bool found = false;
	DIR *d;

	if (!bridge_secondary(dir, name, &dom, &bus) ||
	    fixedbar_path_join(slots, sizeof(slots), devdir, "../slots"))
		return false;
	d = opendir(slots);
	while (d && !found && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    fixedbar_path_join(one, sizeof(one), slots, de->d_name) ||
		    fixedbar_sysfs_attr(one, "address", addr, sizeof(addr)) ||
		    sscanf(addr, "%x:%x", &sdom, &sbus) != 2 || sdom != dom ||
		    sbus != bus)
			continue;
		found = !fixedbar_path_join(power, sizeof(power), one,
					    "power") &&
			!access(power, F_OK);
	}
	if (d)
		closedir(d);
	return found;
}

static int add_sdevs(const char *devdir, struct sdev *s, size_t n,
		     unsigned int domain, unsigned int bus,
		     struct fixedbar_topo *t, char *msg, size_t msglen)
{
	char dir[PATH_MAX];
	size_t i, j;
	int ret;

	for (i = 0; i < n; i++) {
		char *slash = strrchr(s[i].real, '/'), *up;
		unsigned int pdom, pbus, pdevfn;
		char pname[16];
		bool below_bridge;
		int parent = -1;

		if (s[i].root_domain != domain || s[i].root_bus != bus)
			continue;
		/* the parent is the previous component, unless pciDDDD:BB */
		*slash = '\0';
		up = strrchr(s[i].real, '/');
		below_bridge = up && parse_bdf(up + 1, &pdom, &pbus, &pdevfn);
		snprintf(pname, sizeof(pname), "%.15s", up ? up + 1 : "");
		for (j = 0; j < i; j++)
			if (s[j].index >= 0 && !strcmp(s[j].real, s[i].real))
				parent = s[j].index;
		*slash = '/';
		if (below_bridge && parent < 0)
			return fail(msg, msglen, "%s: parent %s not found",
				    s[i].name, pname);
		if (parent >= 0 && !t->devs[parent].is_bridge)
			return fail(msg, msglen, "%s: parent is not a bridge",
				    s[i].name);
		ret = fixedbar_topo_add_dev(t, parent, (u8)s[i].devfn);
		if (ret < 0)
			return fail(msg, msglen, "out of memory");
		s[i].index = ret;
		if (fixedbar_path_join(dir, sizeof(dir), devdir, s[i].name))
			return fail(msg, msglen, "%s: path too long", devdir);
		ret = fill_dev(dir, &t->devs[s[i].index], msg, msglen);
		if (ret)
			return ret;
		if (t->devs[s[i].index].is_bridge &&
		    !t->devs[s[i].index].br.hotplug)
			t->devs[s[i].index].br.hotplug =
				slot_hotplug(devdir, dir, s[i].name);
	}
	return 0;
}

/* "PCI Bus 0000:00" entries at the top level of /proc/iomem or ioports */
static int add_aperture(struct fixedbar_topo *t, enum fixedbar_res_type type,
			unsigned long long start, unsigned long long end,
			const char *path, char *msg, size_t msglen)
{
	struct fixedbar_aperture *a;

	if (t->nr_apertures == FIXEDBAR_MAX_APERTURES)
		return fail(msg, msglen, "%s: more than %d apertures", path,
			    FIXEDBAR_MAX_APERTURES);
	a = &t->apertures[t->nr_apertures++];
	a->type = type;
	a->pref = false; /* /proc does not say */
	a->start = start;
	a->end = end;
	return 0;
}

/* Is @name a resource of the root bus's hierarchy ("0000:00:01.0", "PCI Bus 0000:01")? */
static bool names_root_child(const char *name, unsigned int domain,
			     unsigned int bus)
{
	char dev[16], pbus[24];

	snprintf(dev, sizeof(dev), "%04x:%02x:", domain, bus);
	snprintf(pbus, sizeof(pbus), "PCI Bus %04x:", domain);
	return !strncmp(name, dev, strlen(dev)) ||
	       !strncmp(name, pbus, strlen(pbus));
}

/*
 * The root bus windows: top-level "PCI Bus DDDD:BB" entries (ACPI hosts).
 * Device-tree host bridges name them after their node ("pcie@10000000"):
 * then every top-level entry named like the one that holds the root bus's
 * devices, so that a window nothing uses yet counts too.
 */
static int read_apertures(const char *path, enum fixedbar_res_type type,
			  unsigned int domain, unsigned int bus,
			  struct fixedbar_topo *t, char *msg, size_t msglen)
{
	char want[32], line[256], host[128] = "", top[128] = "";
	unsigned long long start, end;
	const char *name;
	u32 before = t->nr_apertures;
	int depth, pass, ret;
	FILE *f;

	snprintf(want, sizeof(want), "PCI Bus %04x:%02x", domain, bus);
	for (pass = 0; pass < 3; pass++) {
		if ((pass == 1 && t->nr_apertures != before) ||
		    (pass == 2 && !host[0]))
			break;
		f = fopen(path, "r");
		if (!f)
			return fail(msg, msglen, "%s: %s", path,
				    strerror(errno));
		while (fgets(line, sizeof(line), f)) {
			if (!fixedbar_parse_res_line(line, &depth, &start, &end,
						     &name))
				continue;
			if (depth == 0)
				snprintf(top, sizeof(top), "%s", name);
			if (pass == 1 && depth == 1 && !host[0] &&
			    names_root_child(name, domain, bus))
				snprintf(host, sizeof(host), "%s", top);
			if (depth || (!start && !end) ||
			    (pass == 0 && strcmp(name, want)) || (pass == 1) ||
			    (pass == 2 && strcmp(name, host)))
				continue;
			ret = add_aperture(t, type, start, end, path, msg,
					   msglen);
			if (ret) {
				fclose(f);
				return ret;
			}
		}
		fclose(f);
	}
	return 0;
}

static bool is_aperture(const struct fixedbar_topo *t,
			enum fixedbar_res_type type, unsigned long long start,
			unsigned long long end)
{
	u32 i;

	for (i = 0; i < t->nr_apertures; i++)
		if (t->apertures[i].type == type &&
		    t->apertures[i].start == start &&
		    t->apertures[i].end == end)
			return true;
	return false;
}

/*
 * Claimed ranges: the nested lines directly below a root bus window that
 * name no device or bridge window of the hierarchy ("Reserved", "BOOTFB",
 * "pnp 00:05", ...).
 */
static int read_claimed(const char *path, enum fixedbar_res_type type,
			unsigned int domain, unsigned int bus,
			struct fixedbar_topo *t, char *msg, size_t msglen)
{
	unsigned long long start, end;
	char line[256];
	const char *name;
	bool in_window = false;
	int depth, ret = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return fail(msg, msglen, "%s: %s", path, strerror(errno));
	while (!ret && fgets(line, sizeof(line), f)) {
		if (!fixedbar_parse_res_line(line, &depth, &start, &end, &name))
			continue;
		if (depth == 0)
			in_window = is_aperture(t, type, start, end);
		if (depth != 1 || !in_window ||
		    names_root_child(name, domain, bus))
			continue;
		if (fixedbar_topo_add_reserved(t, type, start, end, name))
			ret = fail(msg, msglen, "out of memory");
	}
	fclose(f);
	return ret;
}

/*
 * The devices of the tree under *@root ("/" becomes "", for the paths
 * made from it), from @devdir, its sys/bus/pci/devices (PATH_MAX bytes)
 */
static int scan_tree(const char **root, char *devdir, struct sdev **s,
		     size_t *n, char *msg, size_t msglen)
{
	if (!strcmp(*root, "/"))
		*root = "";
	if (fixedbar_path_join(devdir, PATH_MAX, *root, "sys/bus/pci/devices"))
		return fail(msg, msglen, "%s: path too long", *root);
	return scan_devices(devdir, s, n, msg, msglen);
}

/* the root buses with devices, in order, as domain << 8 | bus */
static int sysfs_roots(const char *root, u32 *roots, size_t max, char *msg,
		       size_t msglen)
{
	char devdir[PATH_MAX];
	struct sdev *s;
	size_t n, i, nr = 0;
	int ret;

	ret = scan_tree(&root, devdir, &s, &n, msg, msglen);
	if (ret)
		return ret;
	/* sorted by root bus: one entry per run */
	for (i = 0; i < n && nr < max; i++) {
		u32 r = s[i].root_domain << 8 | s[i].root_bus;

		if (!nr || roots[nr - 1] != r)
			roots[nr++] = r;
	}
	free_sdevs(s, n);
	return (int)nr;
}

int fixedbar_sysfs_load(const char *root, int domain, int bus,
			struct fixedbar_topo *t, char *msg, size_t msglen)
{
	char devdir[PATH_MAX], path[PATH_MAX];
	struct sdev *s = NULL;
	size_t n = 0, i;
	int ret;

	ret = scan_tree(&root, devdir, &s, &n, msg, msglen);
	if (ret)
		return ret;
	if (domain < 0 && n) {
		domain = (int)s[0].root_domain;
		bus = (int)s[0].root_bus;
	}
	for (i = 0; i < n; i++)
		if ((int)s[i].root_domain == domain &&
		    (int)s[i].root_bus == bus)
			break;
	if (i == n) {
		free_sdevs(s, n);
		if (domain < 0)
			return fail(msg, msglen, "%s: no pci devices", devdir);
		return fail(msg, msglen, "%s: no root bus %04x:%02x", devdir,
			    domain, bus);
	}
	t->segment = (u16)domain;
	t->root_bus = (u8)bus;
	ret = add_sdevs(devdir, s, n, domain, bus, t, msg, msglen);
	free_sdevs(s, n);
	if (ret)
		return ret;

	ret = fixedbar_path_join(path, sizeof(path), root, "proc/ioports");
	if (!ret)
		ret = read_apertures(path, FIXEDBAR_RES_IO, domain, bus, t, msg,
				     msglen);
	if (!ret)
		ret = read_claimed(path, FIXEDBAR_RES_IO, domain, bus, t, msg,
				   msglen);
	if (ret)
		return ret;
	ret = fixedbar_path_join(path, sizeof(path), root, "proc/iomem");
	if (!ret)
		ret = read_apertures(path, FIXEDBAR_RES_MEM, domain, bus, t,
				     msg, msglen);
	if (!ret)
		ret = read_claimed(path, FIXEDBAR_RES_MEM, domain, bus, t, msg,
				   msglen);
	if (!ret && !t->nr_apertures)
		ret = fail(msg, msglen,
			   "%s: no apertures of PCI Bus %04x:%02x (not root?)",
			   path, domain, bus);
	return ret;
}

int fixedbar_sysfs_load_all(const char *root, struct fixedbar_topo **ts,
			    size_t *n, char *msg, size_t msglen)
{
	u32 roots[FIXEDBAR_SYSFS_MAX_ROOTS];
	int ret, nr, i;

	*ts = NULL;
	*n = 0;
	nr = sysfs_roots(root, roots, FIXEDBAR_SYSFS_MAX_ROOTS, msg, msglen);
	if (nr < 0)
		return nr;
	if (!nr)
		return fail(msg, msglen,
			    "%s/sys/bus/pci/devices: no pci devices", root);
	*ts = calloc(nr, sizeof(**ts));
	if (!*ts)
		return fail(msg, msglen, "out of memory");
	for (i = 0; i < nr; i++)
		fixedbar_topo_init(&(*ts)[i]);
	*n = nr;
	for (i = 0, ret = 0; !ret && i < nr; i++)
		ret = fixedbar_sysfs_load(root, roots[i] >> 8, roots[i] & 0xff,
					  &(*ts)[i], msg, msglen);
	return ret;
}
