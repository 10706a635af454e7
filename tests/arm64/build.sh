#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds what an arm64 guest of one kernel needs, into OUT/<kernel>/:
#   Image            Debian's arm64 kernel (an uncompressed Image; unpacked
#                    if a release ships it compressed: gzip, LZ4, zstd, xz,
#                    or an EFI zboot image holding one of those)
#   pci_fixedbar.ko  the module, cross-built W=1 -Werror against that
#                    kernel's arm64 headers with the host's kbuild tools
#                    (7.2: sid's, in scripts/fetch-sid-kernel.sh's chroot
#                    with sid's aarch64 cross gcc)
#   base.cpio.gz     arm64 busybox, the module, static arm64
#                    fixedbar-plan (behind tests/arm64/plan-wrap),
#                    fixedbar-check, mm and finsmod,
#                    tests/arm64/init and tests/e2e/guest.sh
# and, once, OUT/guest/ (the static arm64 tools).  The arm64 userland
# (busybox-static, libjansson-dev) is unpacked with apt-get download +
# dpkg-deb -x, nothing is installed.
#
# usage: tests/arm64/build.sh 6.1|6.12|7.2 OUT

set -euo pipefail

kver=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$2"
base=$(cd "$2" && pwd)
out=$base/$kver
cross=aarch64-linux-gnu-
cache=${FIXEDBAR_KCACHE:-/var/cache/pci_fixedbar/kernels}/../arm64-userland
KCHROOT=""
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

# unpack IMAGE OUT: the uncompressed Image of a compressed one.  An EFI
# zboot image ("zimg" at 4) holds its payload at the offset and size it
# names at 8 and 12.
unpack() {
	local magic

	magic=$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')
	if [[ $magic == 4d5a0000* && $(dd if="$1" bs=1 skip=4 count=4 status=none) == zimg ]]; then
		local off size
		off=$(od -An -tu4 -j8 -N4 "$1" | tr -d ' ')
		size=$(od -An -tu4 -j12 -N4 "$1" | tr -d ' ')
		tail -c +$((off + 1)) "$1" | head -c "$size" >"$2.zboot"
		unpack "$2.zboot" "$2"
		rm -f "$2.zboot"
		return
	fi
	case $magic in
	1f8b*) gzip -dc "$1" >"$2" ;;
	04224d18* | 02214c18*) lz4 -dcq "$1" >"$2" ;;
	28b52ffd*) zstd -dcq "$1" >"$2" ;;
	fd377a58*) xz -dcq "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

if [[ ! -s $out/Image || $out/Image -ot $VMLINUZ ]]; then
	unpack "$VMLINUZ" "$out/Image.tmp" ||
		{ echo "build.sh: cannot unpack $VMLINUZ" >&2; exit 1; }
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
"${cross}gcc" -O2 -static -std=gnu11 -Wall -Wextra -Werror -o "$g/finsmod" "$top/tests/e2e/finsmod.c"
# fixedbar-check against a static arm64 libpci built from pciutils' source
"$top/tests/e2e/libpci.sh" arm64 "$g/libpci-arm64" >&2
"${cross}gcc" -O2 -static -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter "$version" \
	-Wno-format-truncation -I"$top/planner" -I"$top/tools" -I"$g/libpci-arm64/include" \
	-I"$sysroot/usr/include" -o "$g/fixedbar-check" \
	"$top"/tools/{fixedbar-check,check_src,fixedbar_aml,kres,check_svg,sysfs_topo,svg}.c \
	"$top"/planner/*.c "$g/libpci-arm64/lib/libpci.a" \
	"$sysroot/usr/lib/aarch64-linux-gnu/libjansson.a"

# The module, in its own copy of the sources (like make module-arm64).
# With KCHROOT (sid) in a directory inside the chroot, by sid's cross gcc.
moddir=$out/mod
cc=()
if [[ -n $KCHROOT ]]; then
	moddir=$KCHROOT/var/tmp/fixedbar-mod-arm64-$kver
	# sid's cross gcc has only its versioned name
	cc=("CC=$(cd "$KCHROOT/usr/bin" && find . -name "${cross}gcc-[0-9]*" | sed 's|^\./||' | sort -V | tail -1)")
fi
rm -rf "$moddir"
mkdir -p "$moddir"
cp -r "$top/Kbuild" "$top/module" "$top/planner" "$moddir/"
kbuild=(make -s -C "$KERNELDIR" M="${moddir#"$KCHROOT"}" ARCH=arm64 CROSS_COMPILE="$cross" "${cc[@]}"
	W=1 KCFLAGS=-Werror FIXEDBAR_TESTING=1 modules)
# shellcheck disable=SC2016 # expanded by the inner shell
[[ -z $KCHROOT ]] || kbuild=(unshare --mount --fork sh -c 'mount --rbind /dev "$0/dev" &&
	mount -t proc proc "$0/proc" && exec chroot "$0" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	LC_ALL=C.UTF-8 "$@"' "$KCHROOT" "${kbuild[@]}")
"${kbuild[@]}" >"$out/kbuild.log" 2>&1 || { cat "$out/kbuild.log" >&2; exit 1; }
# make's own jobserver notes (make -j2 e2e-prep) are no compiler warnings
if grep -v '^make\(\[[0-9]*\]\)\?: ' "$out/kbuild.log" | grep -q 'warning:'; then
	cat "$out/kbuild.log" >&2
	exit 1
fi
cp "$moddir/pci_fixedbar.ko" "$out/pci_fixedbar.ko"

root=$out/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,res,lib/modules}
cp "$sysroot/bin/busybox" "$root/bin/busybox"
install -m 755 "$top/tests/arm64/init" "$root/init"
cp "$top/tests/e2e/guest.sh" "$root/lib/guest.sh"
cp "$out/pci_fixedbar.ko" "$root/lib/modules/"
cp "$g/mm" "$g/finsmod" "$g/fixedbar-check" "$root/bin/"
cp "$g/fixedbar-plan" "$root/bin/fixedbar-plan.bin"
install -m 755 "$top/tests/arm64/plan-wrap" "$root/bin/fixedbar-plan"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/base.cpio.gz"
echo "build.sh: $KERNELRELEASE: $out/{Image,pci_fixedbar.ko,base.cpio.gz}"
