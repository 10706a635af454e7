// SPDX-License-Identifier: GPL-2.0
/*
 * The module's version: the top-level VERSION file, passed in by Kbuild as
 * FIXEDBAR_VERSION (the tools and the Debian packages read the same file).
 */
#include <linux/module.h>

MODULE_VERSION(FIXEDBAR_VERSION);
