// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptors in ACPI _DSD device properties, read from the _DSD objects
 * themselves, not through the property API: the kernel drops a whole _DSD
 * whose properties fail its validation (a nested package anywhere in it),
 * and a "fixed-bars" of the wrong type reads as absent or as EPROTO, so a
 * descriptor could vanish without a word.  Here every _DSD in the namespace
 * with a "fixed-bars" property is read, or is an error naming its node:
 *  - on a PRP0001 device compatible with "linux,pci-fixedbar": entries;
 *  - on a PCI device's ACPI companion: that device's "barN@0x..." items;
 *  - anywhere else: an error, since nothing would honour it.
 * tools/fixedbar_aml.c reads the same from the AML, with the same rules.
 */
#include <linux/acpi.h>
#include <linux/slab.h>
#include "fixedbar_mod.h"

/* daffd814-6eba-4d8c-8a91-bc9bbf4aa301, device properties */
static const guid_t src_acpi_props_uuid =
	GUID_INIT(0xdaffd814, 0x6eba, 0x4d8c,
		  0x8a, 0x91, 0xbc, 0x9b, 0xbf, 0x4a, 0xa3, 0x01);

/* what one _DSD holds for us */
struct src_acpi_dsd {
	char *node;			/* "\_SB_.FXBR", for messages */
	bool compatible;
	int nr_bars;			/* "fixed-bars" properties seen */
	const union acpi_object *prop;	/* the (first) key-value pair */
	const union acpi_object *bars;	/* its value, once checked */
};

static const char *src_acpi_type(const union acpi_object *o)
{
	switch (o->type) {
	case ACPI_TYPE_INTEGER:
		return "an Integer";
	case ACPI_TYPE_STRING:
		return "a String";
	case ACPI_TYPE_BUFFER:
		return "a Buffer";
	case ACPI_TYPE_PACKAGE:
		return "a Package";
	default:
		return "a reference";
	}
}

static bool src_acpi_has_string(const union acpi_object *o, const char *s)
{
	u32 i;

	if (o->type == ACPI_TYPE_STRING)
		return !strcmp(o->string.pointer, s);
	if (o->type != ACPI_TYPE_PACKAGE)
		return false;
	for (i = 0; i < o->package.count; i++)
		if (o->package.elements[i].type == ACPI_TYPE_STRING &&
		    !strcmp(o->package.elements[i].string.pointer, s))
			return true;
	return false;
}

/* Package () { Package () { "key", value }, ... } */
static void src_acpi_props(const union acpi_object *props,
			   struct src_acpi_dsd *d)
{
	const union acpi_object *p, *key;
	u32 i;

	if (props->type != ACPI_TYPE_PACKAGE)
		return;
	for (i = 0; i < props->package.count; i++) {
		p = &props->package.elements[i];
		if (p->type != ACPI_TYPE_PACKAGE || !p->package.count)
			continue;
		key = &p->package.elements[0];
		if (key->type != ACPI_TYPE_STRING)
			continue;
		if (!strcmp(key->string.pointer, "compatible") &&
		    p->package.count > 1 &&
		    src_acpi_has_string(&p->package.elements[1],
					FIXEDBAR_COMPATIBLE))
			d->compatible = true;
		if (!strcmp(key->string.pointer, FIXEDBAR_PROP) &&
		    !d->nr_bars++)
			d->prop = p;
	}
}

/* _DSD: Package () { UUID, Package, UUID, Package, ... } */
static void src_acpi_dsd(const union acpi_object *dsd, struct src_acpi_dsd *d)
{
	const union acpi_object *uuid;
	guid_t guid;
	u32 i;

	if (dsd->type != ACPI_TYPE_PACKAGE)
		return;
	for (i = 0; i + 1 < dsd->package.count; i += 2) {
		uuid = &dsd->package.elements[i];
		if (uuid->type != ACPI_TYPE_BUFFER ||
		    uuid->buffer.length != sizeof(guid))
			continue;
		memcpy(&guid, uuid->buffer.pointer, sizeof(guid));
		if (guid_equal(&guid, &src_acpi_props_uuid))
			src_acpi_props(&dsd->package.elements[i + 1], d);
	}
}

/* One String, or a Package of Strings only; else the error names what. */
static int src_acpi_check_bars(struct src_acpi_dsd *d)
{
	const union acpi_object *v;
	u32 i;

	if (d->nr_bars > 1) {
		pr_err("acpi %s: property \"%s\" appears %d times in _DSD; fix the descriptor\n",
		       d->node, FIXEDBAR_PROP, d->nr_bars);
		return -EINVAL;
	}
	if (d->prop->package.count != 2) {
		pr_err("acpi %s: property \"%s\" has %u values, not 1; fix the descriptor\n",
		       d->node, FIXEDBAR_PROP, d->prop->package.count - 1);
		return -EINVAL;
	}
	v = &d->prop->package.elements[1];
	d->bars = v;
	if (v->type == ACPI_TYPE_STRING)
		return 0;
	if (v->type != ACPI_TYPE_PACKAGE) {
		pr_err("acpi %s: property \"%s\" is %s, not a String or a Package of Strings; fix the descriptor\n",
		       d->node, FIXEDBAR_PROP, src_acpi_type(v));
		return -EINVAL;
	}
	for (i = 0; i < v->package.count; i++) {
		if (v->package.elements[i].type == ACPI_TYPE_STRING)
			continue;
		pr_err("acpi %s: property \"%s\": element %u is %s, not a String; fix the descriptor\n",
		       d->node, FIXEDBAR_PROP, i,
		       src_acpi_type(&v->package.elements[i]));
		return -EINVAL;
	}
	return 0;
}

/* _HID or _CID "PRP0001" */
static bool src_acpi_prp0001(acpi_handle handle)
{
	static const char *const ids[] = { METHOD_NAME__HID, METHOD_NAME__CID };
	struct acpi_buffer buf;
	bool found = false;
	int i;

	for (i = 0; i < ARRAY_SIZE(ids) && !found; i++) {
		buf = (struct acpi_buffer){ ACPI_ALLOCATE_BUFFER, NULL };
		if (ACPI_FAILURE(acpi_evaluate_object(handle, (char *)ids[i],
						      NULL, &buf)))
			continue;
		found = src_acpi_has_string(buf.pointer, "PRP0001");
		kfree(buf.pointer);
	}
	return found;
}

static struct pci_dev *src_acpi_companion_of(acpi_handle handle)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (ACPI_HANDLE(&pdev->dev) == handle)
			return pdev;
	return NULL;
}

/* Every string of d->bars, as entries or as @handle's device's items. */
static int src_acpi_add(acpi_handle handle, const struct src_acpi_dsd *d)
{
	const union acpi_object *v = d->bars;
	const union acpi_object *one = v;
	char path[FIXEDBAR_PATH_LEN];
	struct pci_dev *pdev = NULL;
	u32 i, n = 1;
	int ret = 0;

	if (d->compatible && !src_acpi_prp0001(handle)) {
		pr_err("acpi %s: compatible \"%s\" without _HID or _CID \"PRP0001\"; add Name (_HID, \"PRP0001\")\n",
		       d->node, FIXEDBAR_COMPATIBLE);
		return -EINVAL;
	}
	if (!d->compatible) {
		pdev = src_acpi_companion_of(handle);
		if (!pdev) {
			pr_err("acpi %s: \"%s\" on an object that is no PCI device's companion and no \"%s\" node; check the Scope path and _ADR\n",
			       d->node, FIXEDBAR_PROP, FIXEDBAR_COMPATIBLE);
			return -ENODEV;
		}
		ret = fixedbar_pdev_path(pdev, path, sizeof(path));
		pci_dev_put(pdev);
		if (ret < 0)
			return ret;
	}
	if (v->type == ACPI_TYPE_PACKAGE) {
		n = v->package.count;
		one = v->package.elements;
	}
	for (i = 0, ret = 0; i < n; i++)
		ret = fixedbar_source_add(one[i].string.pointer,
					  pdev ? path : NULL, "acpi", d->node) ?:
		      ret;
	return ret;
}

/* One parent of a _DSD: read its "fixed-bars", if any. */
static int src_acpi_node(acpi_handle handle)
{
	struct acpi_buffer buf = { ACPI_ALLOCATE_BUFFER, NULL };
	struct acpi_buffer name = { ACPI_ALLOCATE_BUFFER, NULL };
	struct src_acpi_dsd d = { };
	int ret = 0;

	if (ACPI_FAILURE(acpi_evaluate_object(handle, "_DSD", NULL, &buf)))
		return 0;
	src_acpi_dsd(buf.pointer, &d);
	if (d.nr_bars &&
	    ACPI_FAILURE(acpi_get_name(handle, ACPI_FULL_PATHNAME, &name)))
		ret = -ENOMEM;
	if (d.nr_bars && !ret) {
		d.node = name.pointer;
		ret = src_acpi_check_bars(&d) ?: src_acpi_add(handle, &d);
	}
	kfree(name.pointer);
	kfree(buf.pointer);
	return ret;
}

/* the parents of every _DSD of the namespace, each once */
struct src_acpi_list {
	acpi_handle *h;
	u32 nr;
	u32 max;
	int err;
};

static acpi_status src_acpi_visit(acpi_handle obj, u32 level, void *ctx,
				  void **retval)
{
	struct src_acpi_list *l = ctx;
	char seg[5];
	struct acpi_buffer sbuf = { sizeof(seg), seg };
	acpi_handle parent, *h;
	u32 i;

	if (ACPI_FAILURE(acpi_get_name(obj, ACPI_SINGLE_NAME, &sbuf)) ||
	    strcmp(seg, "_DSD") || ACPI_FAILURE(acpi_get_parent(obj, &parent)))
		return AE_OK;
	for (i = 0; i < l->nr; i++)
		if (l->h[i] == parent)
			return AE_OK;
	if (l->nr == l->max) {
		h = krealloc_array(l->h, l->max + 16, sizeof(*h), GFP_KERNEL);
		if (!h) {
			l->err = -ENOMEM;
			return AE_CTRL_TERMINATE;
		}
		l->h = h;
		l->max += 16;
	}
	l->h[l->nr++] = parent;
	return AE_OK;
}

/*
 * Reads every _DSD "fixed-bars" of the namespace into the entries; reports
 * every bad one and returns the first error.  The _DSD objects are found
 * first and evaluated after the walk (the walk may visit a node twice).
 */
int fixedbar_source_acpi(void)
{
	struct src_acpi_list l = { };
	int ret;
	u32 i;

	if (acpi_disabled)
		return 0;
	acpi_walk_namespace(ACPI_TYPE_ANY, ACPI_ROOT_OBJECT, ACPI_UINT32_MAX,
			    src_acpi_visit, NULL, &l, NULL);
	ret = l.err;
	for (i = 0; i < l.nr; i++)
		ret = src_acpi_node(l.h[i]) ?: ret;
	kfree(l.h);
	return ret;
}
