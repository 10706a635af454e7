#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the two initramfs images of the boot tests for Debian's 6.1 guest
# kernel, with the distribution tools themselves, into OUT:
#   kmod/lib/modules/<release>   the unpacked image's modules (hard links)
#                                plus pci_fixedbar.ko in updates/, depmod run
#   stage/                       make install DESTDIR=stage (dracut module,
#                                initramfs-tools hook, tools)
#   dracut.img                   dracut --kver --kmoddir, no systemd, with
#                                pci-fixedbar and the test module
#                                95fixedbar-e2e (tests/boot/dracut-e2e)
#   dracut-systemd.img           the same with systemd as init in the image
#   mkinitramfs.img              mkinitramfs -d with a test configuration
#                                (hook and init-top script from stage/, the
#                                test's init-premount/fixedbar_e2e)
# Both carry /etc/modprobe.d/pci_fixedbar.conf from tests/boot/modprobe.conf
# (through PCI_FIXEDBAR_CONF), a static fixedbar-plan and mm, and the
# result script tests/boot/collect.sh.
#
# usage: tests/boot/build.sh E2E_BUILD OUT   (after make e2e-prep)

set -euo pipefail

e2e=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
top=$(cd "$(dirname "$0")/../.." && pwd)
eval "$("$top/scripts/fetch-kernel.sh" 6.1 amd64)"
: "${KERNELRELEASE:?}" "${KERNELDIR:?}" "${MODDIR:?}" "${VMLINUZ:?}"
rel=$KERNELRELEASE
PATH=$PATH:/sbin:/usr/sbin

for t in dracut mkinitramfs depmod; do
	command -v "$t" >/dev/null ||
		{ echo "boot/build.sh: $t missing (scripts/install-deps.sh boot)" >&2; exit 1; }
done

# The guest's modules with ours added; the index files are regenerated,
# not shared with the cache.
kroot=$out/kmod
kmod=$kroot/lib/modules/$rel
rm -rf "$kroot"
mkdir -p "$kroot/lib/modules"
cp -al "$MODDIR" "$kmod" 2>/dev/null || cp -a "$MODDIR" "$kmod"
rm -f "$kmod"/modules.*[!r] "$kmod/build" "$kmod/source"
cp "$MODDIR"/modules.order "$MODDIR"/modules.builtin* "$kmod/" 2>/dev/null || true
# the module in its own copy of the sources (like tests/e2e/build.sh)
rm -rf "$out/mod"
mkdir -p "$out/mod"
cp -r "$top/Kbuild" "$top/module" "$top/planner" "$out/mod/"
make -s -C "$KERNELDIR" M="$out/mod" modules >"$out/kbuild.log" 2>&1 ||
	{ cat "$out/kbuild.log" >&2; exit 1; }
install -D -m 644 "$out/mod/pci_fixedbar.ko" "$kmod/updates/pci_fixedbar.ko"
depmod -b "$kroot" "$rel"

rm -rf "$out/stage"
make -s -C "$top" install-files DESTDIR="$out/stage" >/dev/null

export PCI_FIXEDBAR_CONF=$top/tests/boot/modprobe.conf
export FIXEDBAR_E2E_BIN=$e2e/guest
export FIXEDBAR_E2E_COLLECT=$top/tests/boot/collect.sh

# dracut: its own modules plus the two from outside, in a private copy of
# its module directory
dbase=$out/dracut-base
rm -rf "$dbase"
mkdir -p "$dbase" "$out/dracut-conf"
cp -as /usr/lib/dracut/. "$dbase/"
cp -r "$out/stage/usr/lib/dracut/modules.d/90pci-fixedbar" "$dbase/modules.d/"
cp -r "$top/tests/boot/dracut-e2e" "$dbase/modules.d/95fixedbar-e2e"
t=$SECONDS
dracutbasedir=$dbase dracut --force --quiet --no-hostonly --no-early-microcode \
	--kver "$rel" --kmoddir "$kmod" --omit "systemd systemd-initrd dracut-systemd" \
	--modules "bash base udev-rules kernel-modules rootfs-block pci-fixedbar fixedbar-e2e" \
	--drivers "nvme" --compress "gzip -1" --conf /dev/null --confdir "$out/dracut-conf" \
	"$out/dracut.img" >"$out/dracut.log" 2>&1 ||
	{ cat "$out/dracut.log" >&2; exit 1; }
echo "boot/build.sh: dracut.img ($((SECONDS - t)) s)"

# the same with systemd as the initramfs's init (dracut's systemd,
# systemd-initrd and dracut-systemd modules, as Fedora builds it): the
# hooks run from dracut-cmdline.service and dracut-pre-mount.service
t=$SECONDS
dracutbasedir=$dbase dracut --force --quiet --no-hostonly --no-early-microcode \
	--kver "$rel" --kmoddir "$kmod" \
	--modules "systemd systemd-initrd dracut-systemd bash base udev-rules kernel-modules rootfs-block pci-fixedbar fixedbar-e2e" \
	--drivers "nvme" --compress "gzip -1" --conf /dev/null --confdir "$out/dracut-conf" \
	"$out/dracut-systemd.img" >"$out/dracut-systemd.log" 2>&1 ||
	{ cat "$out/dracut-systemd.log" >&2; exit 1; }
echo "boot/build.sh: dracut-systemd.img ($((SECONDS - t)) s)"

# mkinitramfs: a configuration directory of its own; /lib/modules/<rel> is
# the unpacked image's only inside a private mount namespace
conf=$out/itools
rm -rf "$conf"
mkdir -p "$conf/hooks" "$conf/scripts/init-top" "$conf/scripts/init-premount" "$conf/conf.d"
cat >"$conf/initramfs.conf" <<CONF
MODULES=list
BUSYBOX=y
COMPRESS=gzip
COMPRESSLEVEL=1
CONF
: >"$conf/modules"
: >"$conf/update-initramfs.conf"
cp "$out/stage/usr/share/initramfs-tools/hooks/pci_fixedbar" "$conf/hooks/"
cp "$out/stage/usr/share/initramfs-tools/scripts/init-top/pci_fixedbar" "$conf/scripts/init-top/"
install -m 755 "$top/tests/boot/itools-e2e/hook" "$conf/hooks/fixedbar_e2e"
install -m 755 "$top/tests/boot/itools-e2e/init-premount" "$conf/scripts/init-premount/fixedbar_e2e"
t=$SECONDS
mods=$(readlink -f /lib/modules)
# and /boot (config-<rel>) the image's
# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m bash -c 'mkdir -p "$1" && mount --bind "$2/lib/modules" "$1" &&
	mount --bind "$3" /boot && shift 3 && exec mkinitramfs "$@"' \
	- "$mods" "$kroot" "$(dirname "$VMLINUZ")" -d "$conf" -o "$out/mkinitramfs.img" "$rel" \
	>"$out/mkinitramfs.log" 2>&1 ||
	{ cat "$out/mkinitramfs.log" >&2; exit 1; }
echo "boot/build.sh: mkinitramfs.img ($((SECONDS - t)) s)"
