#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds a static libpci for the guests' fixedbar-check from Debian's
# pciutils source (Debian's own libpci.a needs libudev, which has no static
# library): OUT/lib/libpci.a and OUT/include/pci/*.h.  Only the sysfs and
# procfs access methods matter; zlib, DNS, kmod and hwdb are left out.
#
# usage: tests/e2e/libpci.sh x86_64|arm64 OUT

set -euo pipefail

arch=$1
out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
case $arch in
x86_64) cross=() ;;
arm64) cross=(CROSS_COMPILE=aarch64-linux-gnu- HOST=aarch64-linux) ;;
*) echo "libpci.sh: unknown architecture '$arch' (x86_64, arm64)" >&2; exit 1 ;;
esac
eval "$("$top/scripts/fetch-source.sh" pciutils)"
: "${SRCDIR:?}"
[[ -f $out/lib/libpci.a && $out/lib/libpci.a -nt $SRCDIR/lib/pci.h ]] && exit 0

rm -rf "$out"
mkdir -p "$out/include"
cp -r "$SRCDIR" "$out/src"
make -s -C "$out/src" lib/libpci.a ZLIB=no HWDB=no DNS=no LIBKMOD=no SHARED=no \
	"${cross[@]}" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
mkdir -p "$out/lib" "$out/include/pci"
cp "$out/src/lib/libpci.a" "$out/lib/"
cp "$out/src/lib/"{pci,header,config,types}.h "$out/include/pci/"
rm -rf "$out/src"
echo "libpci.sh: $out/lib/libpci.a ($arch)"
