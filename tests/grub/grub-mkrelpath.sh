#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# grub-mkrelpath for tests/grub/grub.t's grub-mkconfig: / is the root of
# the partition GRUB reads, so a path is its own path on it.

echo "$1"
