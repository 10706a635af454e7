#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds what a guest of one kernel needs, into OUT/<kernel>/:
#   vmlinux          the kernel, uncompressed (QEMU boots it through PVH,
#                    which skips SeaBIOS's decompression under TCG)
#   vmlinuz          the bzImage as Debian ships it (OVMF boots it through
#                    its EFI stub)
#   pci_fixedbar.ko  the module, W=1 -Werror against that kernel's headers
#   base.cpio.gz     busybox, the module, the guest drivers (nvme, virtio,
#                    vfio-pci and vfio_iommu_type1 for tests/vfio),
#                    static fixedbar-plan, fixedbar-check, mm and finsmod, and
#                    tests/e2e/init
#
# usage: tests/e2e/build.sh KERNEL OUT   KERNEL: 6.1, 6.12, 7.2 (sid) or
#                                        any of them with -cloud
#
# -cloud is Debian's cloud-amd64 flavour: nvme built in, bound at boot.
# 7.2's module is built in scripts/fetch-sid-kernel.sh's sid chroot (sid's
# gcc); its image is LZ4- or zstd-compressed.

set -euo pipefail

kver=$1
out=$2/$kver
top=$(cd "$(dirname "$0")/../.." && pwd)
flavour=amd64
[[ $kver == *-cloud ]] && flavour=cloud-amd64
KCHROOT=""
eval "$("$top/scripts/fetch-kernel.sh" "${kver%-cloud}" "$flavour")"
: "${KERNELRELEASE:?}" "${KERNELDIR:?}" "${VMLINUZ:?}" "${MODDIR:?}"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The payload starts at the first xz, zstd or lz4 (the cloud flavour)
# magic after the setup code.
if [[ ! -s $out/vmlinux || $out/vmlinux -ot $VMLINUZ ]]; then
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00|\x28\xb5\x2f\xfd|\x02\x21\x4c\x18' "$VMLINUZ" |
		head -1 | cut -d: -f1)
	case $(tail -c +$((off + 1)) "$VMLINUZ" | head -c 1 | od -An -tx1) in
	*fd) tail -c +$((off + 1)) "$VMLINUZ" | xz -dcq >"$out/vmlinux.tmp" 2>/dev/null || true ;;
	*28) tail -c +$((off + 1)) "$VMLINUZ" | zstd -dcq >"$out/vmlinux.tmp" 2>/dev/null || true ;;
	*02) tail -c +$((off + 1)) "$VMLINUZ" | lz4 -dcq >"$out/vmlinux.tmp" 2>/dev/null || true ;;
	esac
	file -b "$out/vmlinux.tmp" | grep -q '^ELF 64-bit' ||
		{ echo "build.sh: cannot unpack $VMLINUZ" >&2; exit 1; }
	mv "$out/vmlinux.tmp" "$out/vmlinux"
fi
cp "$VMLINUZ" "$out/vmlinuz"

# The module, in its own copy of the sources (like make module-check).
# With KCHROOT (sid) in a directory inside the chroot, by its compiler.
moddir=$out/mod
# (one per checkout and output: several checkouts share the chroot)
[[ -z $KCHROOT ]] || moddir=$KCHROOT/var/tmp/fixedbar-mod-$kver-$(printf '%s' "$out" | md5sum | cut -c1-8)
rm -rf "$moddir"
mkdir -p "$moddir"
cp -r "$top/Kbuild" "$top/module" "$top/planner" "$moddir/"
kbuild=(make -s -C "$KERNELDIR" M="${moddir#"$KCHROOT"}" W=1 KCFLAGS=-Werror FIXEDBAR_TESTING=1 modules)
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
cp /bin/busybox "$root/bin/busybox"
install -m 755 "$top/tests/e2e/init" "$root/init"
cp "$top/tests/e2e/guest.sh" "$root/lib/guest.sh"
cp "$out/pci_fixedbar.ko" "$root/lib/modules/"
cp "$2/guest/fixedbar-plan" "$2/guest/mm" "$2/guest/fixedbar-check" "$2/guest/finsmod" "$root/bin/"

# Each driver with its dependencies, deepest first, decompressed (busybox
# insmod does not read .ko.xz); lib/modules/<name>.order lists them.
for m in nvme virtio_pci virtio_blk vfio-pci vfio_iommu_type1; do
	line=$(grep -E "^[^:]*/$m\.ko(\.xz)?:" "$MODDIR/modules.dep" || true)
	order=$root/lib/modules/$m.order
	: >"$order"
	[[ -n $line ]] || continue	# built in
	read -r -a deps <<<"${line#*:}"
	files=("${line%%:*}")
	for d in "${deps[@]}"; do
		files=("$d" "${files[@]}")
	done
	for f in "${files[@]}"; do
		b=$(basename "$f" .xz)
		[[ -e $root/lib/modules/$b ]] ||
			case $f in
			*.xz) xz -dc "$MODDIR/$f" >"$root/lib/modules/$b" ;;
			*) cp "$MODDIR/$f" "$root/lib/modules/$b" ;;
			esac
		echo "$b" >>"$order"
	done
done

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/base.cpio.gz"
echo "build.sh: $KERNELRELEASE: $out/{vmlinux,pci_fixedbar.ko,base.cpio.gz}"
