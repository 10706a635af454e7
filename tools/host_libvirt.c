// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host --format libvirt: the domain XML skeleton that gives a
 * libvirt guest the layout of fixedbar-host's --format json object.
 *
 * Every bridge on a device's guest path becomes a PCI controller: the
 * first hop a pcie-root-port on pcie-root, then pairs of a
 * pcie-switch-upstream-port (always 00.0) and a pcie-switch-downstream-port
 * (any SS.F), so a path is 0000:00:SS.F (root bus), SS.F/00.0 (below a
 * root port) or SS.F/00.0/SS.F/00.0 (below a switch), and so on.  Each
 * controller's address names its parent's index; each host device is a
 * <hostdev> at its guest address.  The 64-bit window is <pcihole64>, the
 * physical address bits <maxphysaddr>, and the descriptors either an SSDT
 * (-acpitable in <qemu:commandline>) or, for QEMU with the fixed-bars
 * patches, the fixed-bars property of each device (<qemu:override>).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "host_libvirt.h"

#define EXIT_USAGE 2
#define MAX_HOPS 8
#define MAX_NODES 512

enum kind { ROOT_PORT, UPSTREAM, DOWNSTREAM, ENDPOINT };

static const char *const models[] = {
	[ROOT_PORT] = "pcie-root-port",
	[UPSTREAM] = "pcie-switch-upstream-port",
	[DOWNSTREAM] = "pcie-switch-downstream-port",
};

static const char *const qemu_models[] = {
	[ROOT_PORT] = "pcie-root-port",
	[UPSTREAM] = "x3130-upstream",
	[DOWNSTREAM] = "xio3130-downstream",
};

struct node {
	enum kind kind;
	unsigned int slot[MAX_HOPS], fn[MAX_HOPS];
	int len; /* hops from the root bus */
	int index; /* controller index; 0 for an endpoint */
	int parent; /* the index of the controller it plugs into */
	json_t *dev; /* an endpoint's device object */
	char alias[64];
};

static struct node nodes[MAX_NODES];
static int nr_nodes;
static const struct libvirt_opts *lo;

static int lv_error(const char *host, const char *path, const char *why)
{
	fprintf(stderr, "%s: %s: guest path %s: %s\n", lo->prog, host, path,
		why);
	return EXIT_USAGE;
}

static unsigned long long jhex(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? strtoull(s, NULL, 0) : 0;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* "0000:00:10.0/00.0/02.0/00.0" into @n's hops */
static int parse_path(struct node *n, const char *path)
{
	const char *p = path + strlen("0000:00:");
	int used;

	if (strncmp(path, "0000:00:", 8))
		return -1;
	for (n->len = 0; *p; n->len++) {
		if (n->len == MAX_HOPS ||
		    sscanf(p, "%2x.%1x%n", &n->slot[n->len], &n->fn[n->len],
			   &used) != 2)
			return -1;
		p += used;
		if (*p == '/')
			p++;
	}
	return n->len ? 0 : -1;
}

/* the hops of @n up to @len hops name the bridge @b */
static bool same_prefix(const struct node *n, const struct node *b, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (n->slot[i] != b->slot[i] || n->fn[i] != b->fn[i])
			return false;
	return true;
}

static int find_bridge(const struct node *n, int len)
{
	int i;

	for (i = 0; i < nr_nodes; i++)
		if (nodes[i].kind != ENDPOINT && nodes[i].len == len &&
		    same_prefix(n, &nodes[i], len))
			return i;
	return -1;
}

/* "ua-fx" and the hops: a user alias, which libvirt keeps as the QEMU id */
static void make_alias(struct node *n, const char *what)
{
	int i, k;

	k = snprintf(n->alias, sizeof(n->alias), "ua-fx%s", what);
	for (i = 0; i < n->len; i++)
		k += snprintf(n->alias + k, sizeof(n->alias) - k, "-%02x%x",
			      n->slot[i], n->fn[i]);
}

static int add_bridges(const struct node *e, const char *host, const char *path)
{
	static const char *const what[] = { "rp", "up", "dp" };
	struct node *b;
	int len;

	for (len = 1; len < e->len; len++) {
		if (find_bridge(e, len) >= 0)
			continue;
		if (nr_nodes == MAX_NODES)
			return lv_error(host, path, "too many bridges");
		b = &nodes[nr_nodes++];
		*b = *e;
		b->len = len;
		b->dev = NULL;
		b->kind = len == 1 ? ROOT_PORT :
			  len % 2  ? DOWNSTREAM :
				     UPSTREAM;
		make_alias(b, what[b->kind]);
	}
	return 0;
}

/* a PCIe topology: root ports and downstream ports have one slot, 00 */
static int check_shape(const struct node *e, const char *host, const char *path)
{
	int i;

	if (e->len > 1 && e->len % 2)
		return lv_error(host, path,
				"below a switch upstream port sit only downstream ports; a device sits at SS.F, SS.F/00.0 or SS.F/00.0/SS.F/00.0 (root port, switch)");
	for (i = 1; i < e->len; i += 2)
		if (e->slot[i])
			return lv_error(host, path,
					"below a root port or a switch downstream port a device sits at slot 00");
	return 0;
}

static int add_devices(json_t *devs)
{
	struct node *e;
	size_t i;
	json_t *d;
	int err;

	json_array_foreach(devs, i, d) {
		const char *path = jstr(d, "guest"), *host = jstr(d, "host");

		if (nr_nodes == MAX_NODES)
			return lv_error(host, path, "too many devices");
		e = &nodes[nr_nodes++];
		memset(e, 0, sizeof(*e));
		e->kind = ENDPOINT;
		e->dev = d;
		if (parse_path(e, path))
			return lv_error(host, path,
					"not DDDD:BB:SS.F[/SS.F...]");
		err = check_shape(e, host, path) ?: add_bridges(e, host, path);
		if (err)
			return err;
		snprintf(e->alias, sizeof(e->alias),
			 "ua-fxhost-%.4s-%.2s-%.2s-%.1s", host, host + 5,
			 host + 8, host + 11);
	}
	return 0;
}

/* controller indexes: parents before children, by depth then order */
static void number_nodes(void)
{
	int len, i, next = 1, b;

	for (len = 1; len <= MAX_HOPS; len++)
		for (i = 0; i < nr_nodes; i++)
			if (nodes[i].kind != ENDPOINT && nodes[i].len == len)
				nodes[i].index = next++;
	for (i = 0; i < nr_nodes; i++) {
		b = nodes[i].len > 1 ?
			    find_bridge(&nodes[i], nodes[i].len - 1) :
			    -1;
		nodes[i].parent = b >= 0 ? nodes[b].index : 0;
	}
}

/* function 0 of a slot where other functions sit */
static bool multifunction(const struct node *n)
{
	int last = n->len - 1, i;

	if (n->fn[last])
		return false;
	for (i = 0; i < nr_nodes; i++) {
		const struct node *o = &nodes[i];

		if (o != n && o->len == n->len && same_prefix(o, n, last) &&
		    o->slot[last] == n->slot[last])
			return true;
	}
	return false;
}

static void put_address(FILE *f, const struct node *n, const char *indent)
{
	int last = n->len - 1;

	fprintf(f,
		"%s<address type='pci' domain='0x0000' bus='0x%02x' slot='0x%02x' function='0x%x'%s/>\n",
		indent, n->parent, n->slot[last], n->fn[last],
		multifunction(n) ? " multifunction='on'" : "");
}

/* @s in an XML attribute or text */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '\'')
			fputs("&apos;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void put_cpu(FILE *f, bool q35, json_t *phys_bits)
{
	if (!strcmp(lo->cpu, "host")) {
		fputs("  <cpu mode='host-passthrough' check='none'>\n", f);
	} else if (!strcmp(lo->cpu, "max")) {
		fputs("  <cpu mode='maximum' check='none'>\n", f);
	} else {
		fputs("  <cpu mode='custom' match='exact' check='none'>\n"
		      "    <model fallback='forbid'>",
		      f);
		put_escaped(f, lo->cpu);
		fputs("</model>\n", f);
	}
	if (q35 && json_is_integer(phys_bits))
		fprintf(f,
			"    <!-- the guest's physical address bits must reach the fixed BARs;\n"
			"         libvirt before 8.7 has no <maxphysaddr>: drop it and append\n"
			"         <qemu:arg value='-cpu'/><qemu:arg value='%s,phys-bits=%lld'/>\n"
			"         to <qemu:commandline> -->\n"
			"    <maxphysaddr mode='emulate' bits='%lld'/>\n",
			lo->cpu, json_integer_value(phys_bits),
			json_integer_value(phys_bits));
	fputs("  </cpu>\n", f);
}

static void put_head(FILE *f, json_t *host, bool q35)
{
	fputs("<!-- by fixedbar-host -f libvirt: the PCI layout that keeps each fixed\n"
	      "     BAR at its host address (docs/fixedbar-host.md).  Edit the name,\n"
	      "     memory (not above the guest RAM the tool assumed), vCPUs, disks\n"
	      "     and network, then virsh define this file. -->\n"
	      "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
	      "  <name>fixedbar-vm</name>\n",
	      f);
	fprintf(f, "  <memory unit='KiB'>%llu</memory>\n",
		jhex(host, "guest_ram") >> 10);
	fputs("  <vcpu>2</vcpu>\n", f);
	if (q35)
		fputs("  <os>\n"
		      "    <type arch='x86_64' machine='q35'>hvm</type>\n"
		      "    <boot dev='hd'/>\n"
		      "  </os>\n"
		      "  <features>\n"
		      "    <acpi/>\n"
		      "    <apic/>\n"
		      "  </features>\n",
		      f);
	else
		fputs("  <os firmware='efi'>\n"
		      "    <type arch='aarch64' machine='virt'>hvm</type>\n"
		      "    <boot dev='hd'/>\n"
		      "  </os>\n"
		      "  <features>\n"
		      "    <acpi/>\n"
		      "    <gic version='3'/>\n"
		      "  </features>\n",
		      f);
	put_cpu(f, q35, json_object_get(host, "phys_bits"));
	fputs("  <on_poweroff>destroy</on_poweroff>\n"
	      "  <on_reboot>restart</on_reboot>\n"
	      "  <on_crash>destroy</on_crash>\n",
	      f);
}

static void put_root(FILE *f, json_t *host, bool q35)
{
	json_t *w = json_object_get(host, "window");
	unsigned long long size;

	if (!q35) {
		fputs("    <controller type='pci' index='0' model='pcie-root'/>\n",
		      f);
		return;
	}
	fputs("    <controller type='pci' index='0' model='pcie-root'>\n", f);
	if (json_is_object(w)) {
		size = jhex(w, "end") - jhex(w, "start") + 1;
		fprintf(f,
			"      <!-- the 64-bit PCI window [mem 0x%llx-0x%llx] -->\n"
			"      <pcihole64 unit='KiB'>%llu</pcihole64>\n",
			jhex(w, "start"), jhex(w, "end"), size >> 10);
	}
	fputs("    </controller>\n", f);
}

static void put_controller(FILE *f, const struct node *n)
{
	int last = n->len - 1;

	fprintf(f,
		"    <controller type='pci' index='%d' model='%s'>\n"
		"      <model name='%s'/>\n",
		n->index, models[n->kind], qemu_models[n->kind]);
	if (n->kind != UPSTREAM)
		fprintf(f, "      <target chassis='%d' port='0x%x'/>\n",
			n->index, n->slot[last] << 3 | n->fn[last]);
	fprintf(f, "      <alias name='%s'/>\n", n->alias);
	put_address(f, n, "      ");
	fputs("    </controller>\n", f);
}

static void put_hostdev(FILE *f, const struct node *n)
{
	const char *h = jstr(n->dev, "host");

	fprintf(f,
		"    <hostdev mode='subsystem' type='pci' managed='yes'>\n"
		"      <!-- host %s%s%s: guest %s -->\n"
		"      <driver name='vfio'/>\n"
		"      <source>\n"
		"        <address domain='0x%.4s' bus='0x%.2s' slot='0x%.2s' function='0x%.1s'/>\n"
		"      </source>\n"
		"      <alias name='%s'/>\n",
		h, json_is_string(json_object_get(n->dev, "id")) ? " " : "",
		jstr(n->dev, "id"), jstr(n->dev, "guest"), h, h + 5, h + 8,
		h + 11, n->alias);
	put_address(f, n, "      ");
	fputs("    </hostdev>\n", f);
}

/*
 * The host addresses the layout keeps, for the hook
 * (scripts/libvirt-hook.sh) that refuses to start the domain when the host
 * has moved one of them since.
 */
static void put_metadata(FILE *f)
{
	json_t *b;
	size_t j;
	int i;

	fputs("  <metadata>\n"
	      "    <fixedbar:host xmlns:fixedbar='" LIBVIRT_METADATA_NS "'>\n",
	      f);
	for (i = 0; i < nr_nodes; i++) {
		if (nodes[i].kind != ENDPOINT)
			continue;
		json_array_foreach(json_object_get(nodes[i].dev, "bars"), j, b)
			fprintf(f,
				"      <fixedbar:bar device='%s' bar='%s' start='%s' end='%s'/>\n",
				jstr(nodes[i].dev, "host"), jstr(b, "name"),
				jstr(b, "start"), jstr(b, "end"));
	}
	fputs("    </fixedbar:host>\n"
	      "  </metadata>\n",
	      f);
}

/* "bar0@0x...,bar2@0x..." */
static void put_fixed_bars(FILE *f, json_t *dev)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(dev, "bars"), i, b)
		fprintf(f, "%s%s@0x%llx", i ? "," : "", jstr(b, "name"),
			jhex(b, "start"));
}

static void put_override(FILE *f)
{
	int i;

	fputs("  <!-- QEMU with the fixed-bars patches describes the fixed BARs itself -->\n"
	      "  <qemu:override>\n",
	      f);
	for (i = 0; i < nr_nodes; i++) {
		if (nodes[i].kind != ENDPOINT ||
		    !json_array_size(json_object_get(nodes[i].dev, "bars")))
			continue;
		fprintf(f,
			"    <qemu:device alias='%s'>\n"
			"      <qemu:frontend>\n"
			"        <qemu:property name='fixed-bars' type='string' value='",
			nodes[i].alias);
		put_fixed_bars(f, nodes[i].dev);
		fputs("'/>\n"
		      "      </qemu:frontend>\n"
		      "    </qemu:device>\n",
		      f);
	}
	fputs("  </qemu:override>\n", f);
}

static void put_acpitable(FILE *f)
{
	fputs("  <!-- the descriptors: write the SSDT with the same fixedbar-host command,\n"
	      "       -f aml -o FILE instead of -f libvirt; FILE must be readable by the\n"
	      "       QEMU process (user libvirt-qemu on Debian; AppArmor: add it to\n"
	      "       /etc/apparmor.d/local/abstractions/libvirt-qemu) -->\n"
	      "  <qemu:commandline>\n"
	      "    <qemu:arg value='-acpitable'/>\n"
	      "    <qemu:arg value='file=",
	      f);
	put_escaped(f, lo->acpi_table);
	fputs("'/>\n  </qemu:commandline>\n", f);
}

/* virt: patched QEMU may move the high window (-machine merges) */
static void put_virt_window(FILE *f, json_t *host)
{
	const char *v = json_string_value(
		json_object_get(json_object_get(host, "window"), "option"));

	if (!v)
		return;
	fprintf(f,
		"  <qemu:commandline>\n"
		"    <qemu:arg value='-machine'/>\n"
		"    <qemu:arg value='%s'/>\n"
		"  </qemu:commandline>\n",
		v);
}

static void put_descriptors(FILE *f, json_t *host, bool q35, int nr_fixed)
{
	bool patched = json_is_true(json_object_get(host, "patched"));

	if (!q35)
		put_virt_window(f, host);
	if (!nr_fixed)
		return;
	if (patched)
		put_override(f);
	else if (q35)
		put_acpitable(f);
	else
		fputs("  <!-- the descriptors: stock QEMU's virt takes no -acpitable; boot the\n"
		      "       kernel with pci_fixedbar.map= (-f map) in <os><cmdline>, or a\n"
		      "       device tree with the overlay (-f dts) in <os><dtb> -->\n",
		      f);
}

int emit_libvirt(FILE *f, json_t *host, const struct libvirt_opts *o)
{
	bool q35 = !strcmp(jstr(host, "machine"), "q35");
	int i, err, next = 1;

	lo = o;
	nr_nodes = 0;
	err = add_devices(json_object_get(host, "devices"));
	if (err)
		return err;
	number_nodes();
	put_head(f, host, q35);
	put_metadata(f);
	fputs("  <devices>\n", f);
	put_root(f, host, q35);
	for (i = 0; i < nr_nodes; i++)
		if (nodes[i].kind != ENDPOINT && nodes[i].index == next) {
			put_controller(f, &nodes[i]);
			next++;
			i = -1; /* in index order */
		}
	for (i = 0; i < nr_nodes; i++)
		if (nodes[i].kind == ENDPOINT)
			put_hostdev(f, &nodes[i]);
	fputs("  </devices>\n", f);
	put_descriptors(f, host, q35,
			json_array_size(json_object_get(host, "entries")));
	fputs("</domain>\n", f);
	return 0;
}
