/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capturing a topology from a Linux sysfs tree: /sys/bus/pci/devices for the
 * devices, /proc/iomem and /proc/ioports for the host bridge apertures.
 */
#ifndef FIXEDBAR_SYSFS_TOPO_H
#define FIXEDBAR_SYSFS_TOPO_H

#include "fixedbar.h"

/*
 * Captures root bus @domain:@bus, or with @domain < 0 the first root bus
 * that has devices, from the tree under @root ("/" for the running system)
 * into the freshly initialised @t.  Returns 0, or a negative errno with a
 * one-line reason in @msg.
 */
int fixedbar_sysfs_load(const char *root, int domain, int bus,
			struct fixedbar_topo *t, char *msg, size_t msglen);

#define FIXEDBAR_SYSFS_MAX_ROOTS 32

/*
 * Every root bus that has devices (a pxb host bridge has its own), in
 * order, each captured as fixedbar_sysfs_load() does into the array *@ts
 * of *@n topologies it allocates (even on error: fixedbar_topo_free()
 * each, then free() it).  Returns 0, or a negative errno with a one-line
 * reason in @msg.
 */
int fixedbar_sysfs_load_all(const char *root, struct fixedbar_topo **ts,
			    size_t *n, char *msg, size_t msglen);

#endif /* FIXEDBAR_SYSFS_TOPO_H */
