// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: --format json, and libvirt made from it.
 */
#include <stdlib.h>
#include <string.h>

#include "host_libvirt.h"

#include "host.h"

static json_t *hex(u64 v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_string(s);
}

static json_t *json_dev(const struct dev *d)
{
	json_t *o = json_object(), *bars = json_array();
	int j;

	/* "device" and "bdf" as in the other tools (docs/json-keys.md) */
	json_object_set_new(o, "device", json_string(d->path));
	json_object_set_new(o, "bdf", json_string(d->bdf));
	json_object_set_new(o, "host", json_string(d->bdf));
	json_object_set_new(o, "id",
			    d->id[0] ? json_string(d->id) : json_null());
	json_object_set_new(o, "vf", json_boolean(d->vf));
	json_object_set_new(o, "guest", json_string(d->path));
	json_object_set_new(o, "bus",
			    dev_bus(d) ? json_string(dev_bus(d)) : json_null());
	for (j = 0; j < d->nr_bars; j++) {
		const struct bar *b = &d->bars[j];
		json_t *jb = json_object();
		char name[8];

		snprintf(name, sizeof(name), "bar%d", b->index);
		json_object_set_new(jb, "name", json_string(name));
		json_object_set_new(jb, "start", hex(b->start));
		json_object_set_new(jb, "end", hex(b->end));
		json_object_set_new(jb, "size", hex(b->end - b->start + 1));
		json_object_set_new(jb, "mem64",
				    json_boolean(b->flags & IORESOURCE_MEM_64));
		json_object_set_new(jb, "prefetchable",
				    json_boolean(b->flags &
						 IORESOURCE_PREFETCH));
		json_array_append_new(bars, jb);
	}
	json_object_set_new(o, "bars", bars);
	return o;
}

/* what --format json prints; --format libvirt works from it */
static json_t *host_json(char **entries, int n)
{
	json_t *o = json_object(), *a = json_array(), *w, *e = json_array();
	size_t len = 1;
	char *map;
	int i;

	json_object_set_new(o, "version", json_integer(1));
	json_object_set_new(o, "machine",
			    json_string(opt.machine == MACH_Q35 ? "q35" :
								  "virt"));
	json_object_set_new(o, "patched", json_boolean(opt.patched));
	if (opt.machine == MACH_Q35)
		json_object_set_new(o, "firmware",
				    json_string(opt.ovmf ? "ovmf" : "seabios"));
	json_object_set_new(o, "guest_ram", hex(opt.ram));
	if (win.start) {
		w = json_object();
		json_object_set_new(w, "start", hex(win.start));
		json_object_set_new(w, "end", hex(win.end));
		json_object_set_new(w, "option",
				    win.option[0] ? json_string(win.value) :
						    json_null());
		if (opt.machine == MACH_Q35)
			json_object_set_new(w, "max_guest_ram",
					    win.max_ram ? hex(win.max_ram) :
							  json_null());
		json_object_set_new(o, "window", w);
		json_object_set_new(o, "phys_bits",
				    json_integer(win.phys_bits));
	} else {
		json_object_set_new(o, "window", json_null());
		json_object_set_new(o, "phys_bits", json_null());
	}
	for (i = 0; i < nr_devs; i++)
		json_array_append_new(a, json_dev(&devs[i]));
	json_object_set_new(o, "devices", a);
	for (i = 0; i < n; i++)
		len += strlen(entries[i]) + 1;
	map = calloc(1, len);
	if (!map) {
		json_decref(e);
		json_decref(o);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		json_array_append_new(e, json_string(entries[i]));
		if (i)
			strcat(map, ";");
		strcat(map, entries[i]);
	}
	json_object_set_new(o, "entries", e);
	json_object_set_new(o, "map", json_string(map));
	free(map);
	json_object_set_new(o, "qemu", qemu_args());
	return o;
}

int emit_json(FILE *f, char **entries, int n)
{
	struct libvirt_opts lv = { PROG, opt.cpu, opt.acpi_table };
	json_t *o = host_json(entries, n);
	int err = 0;

	if (!o)
		return usage_error("out of memory");
	if (opt.format == FMT_LIBVIRT) {
		err = emit_libvirt(f, o, &lv);
	} else {
		json_dumpf(o, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
	}
	json_decref(o);
	return err;
}
