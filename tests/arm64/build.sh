#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds what an arm64 guest of one kernel needs, into OUT/<kernel>/:
#   Image            Debian's arm64 kernel (an uncompressed Image; gunzipped
#                    if a release ships it compressed)
#   pci_fixedbar.ko  the module, cross-built W=1 -Werror against that
#                    kernel's arm64 headers with the host's kbuild tools
#   base.cpio.gz     arm64 busybox, the module, static arm64
#                    fixedbar-plan (behind tests/arm64/plan-wrap),
#                    fixedbar-check and mm,
#                    tests/arm64/init and tests/e2e/guest.sh
# and, once, OUT/guest/ (the static arm64 tools).  The arm64 userland
# (busybox-static, libjansson-dev) is unpacked with apt-get download +
# dpkg-deb -x, nothing is installed.
#
# usage: tests/arm64/build.sh 6.1|6.12 OUT

set -euo pipefail

kver=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$2"
base=$(cd "$2" && pwd)
out=$base/$kver
cross=aarch64-linux-gnu-
cache=${FIXEDBAR_KCACHE:-/var/cache/pci_fixedbar/kernels}/../arm64-userland
eval "$("$top/scripts/fetch-kernel.sh" "$kver" arm64)"
: "${KERNELRELEASE:?}" "${KERNELDIR:?}" "${VMLINUZ:?}" "${MODDIR:?}"
mkdir -p "$out" "$base/guest"

if [[ ! -f $cache/.complete ]]; then
	rm -rf "$cache"
	mkdir -p "$cache/debs"
	(cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root \
		busybox-static:arm64 libjansson-dev:arm64) >&2 ||
		{ echo "build.sh: apt-get download of the arm64 userland failed" >&2; exit 1; }
	for d in "$cache"/debs/*.deb; do
		dpkg-deb -x "$d" "$cache/root"
	done
	touch "$cache/.complete"
fi
sysroot=$cache/root

if [[ ! -s $out/Image || $out/Image -ot $VMLINUZ ]]; then
	case $(head -c 2 "$VMLINUZ" | od -An -tx1) in
	*1f\ 8b) gzip -dc "$VMLINUZ" >"$out/Image.tmp" ;;
	*) cp "$VMLINUZ" "$out/Image.tmp" ;;
	esac
	file -b "$out/Image.tmp" | grep -q 'ARM64 boot executable Image' ||
		{ echo "build.sh: $VMLINUZ is not an arm64 Image" >&2; exit 1; }
	mv "$out/Image.tmp" "$out/Image"
fi

# The guest tools, static, against the unpacked arm64 jansson.
version=-DFIXEDBAR_VERSION="\"$(cat "$top/VERSION")\""
g=$base/guest
"${cross}gcc" -O2 -static -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter "$version" \
	-Wno-format-truncation -I"$top/planner" -I"$top/tools" -I"$sysroot/usr/include" \
	-o "$g/fixedbar-plan" "$top"/tools/{fixedbar-plan,json_topo,sysfs_topo,svg,kres}.c \
	"$top"/planner/*.c \
	"$sysroot/usr/lib/aarch64-linux-gnu/libjansson.a"
"${cross}gcc" -O2 -static -std=gnu11 -Wall -Wextra -Werror -o "$g/mm" "$top/tests/e2e/mm.c"
# fixedbar-check against a static arm64 libpci built from pciutils' source
"$top/tests/e2e/libpci.sh" arm64 "$g/libpci-arm64" >&2
"${cross}gcc" -O2 -static -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter "$version" \
	-Wno-format-truncation -I"$top/planner" -I"$top/tools" -I"$g/libpci-arm64/include" \
	-I"$sysroot/usr/include" -o "$g/fixedbar-check" \
	"$top"/tools/{fixedbar-check,check_src,fixedbar_aml,kres,check_svg,sysfs_topo,svg}.c \
	"$top"/planner/*.c "$g/libpci-arm64/lib/libpci.a" \
	"$sysroot/usr/lib/aarch64-linux-gnu/libjansson.a"

# The module, in its own copy of the sources (like make module-arm64).
rm -rf "$out/mod"
mkdir -p "$out/mod"
cp -r "$top/Kbuild" "$top/module" "$top/planner" "$out/mod/"
make -s -C "$KERNELDIR" M="$out/mod" ARCH=arm64 CROSS_COMPILE=$cross W=1 KCFLAGS=-Werror FIXEDBAR_TESTING=1 \
	modules >"$out/kbuild.log" 2>&1 || { cat "$out/kbuild.log" >&2; exit 1; }
# make's own jobserver notes (make -j2 e2e-prep) are no compiler warnings
if grep -v '^make\(\[[0-9]*\]\)\?: ' "$out/kbuild.log" | grep -q 'warning:'; then
	cat "$out/kbuild.log" >&2
	exit 1
fi
cp "$out/mod/pci_fixedbar.ko" "$out/pci_fixedbar.ko"

root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,res,lib/modules}
cp "$sysroot/bin/busybox" "$root/bin/busybox"
install -m 755 "$top/tests/arm64/init" "$root/init"
cp "$top/tests/e2e/guest.sh" "$root/lib/guest.sh"
cp "$out/pci_fixedbar.ko" "$root/lib/modules/"
cp "$g/mm" "$g/fixedbar-check" "$root/bin/"
cp "$g/fixedbar-plan" "$root/bin/fixedbar-plan.bin"
install -m 755 "$top/tests/arm64/plan-wrap" "$root/bin/fixedbar-plan"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/base.cpio.gz"
echo "build.sh: $KERNELRELEASE: $out/{Image,pci_fixedbar.ko,base.cpio.gz}"
