#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian 12 packages pci_fixedbar needs to build and test.
# Idempotent: only missing packages are installed.  Must run as root on a
# fresh machine; later runs are a quick no-op.
#
# usage: scripts/install-deps.sh [group...]   groups: base (default), e2e, boot,
#                                             arm64, src, kunit, qemu-build, host,
#                                             fuzz, deb, grub, svg, service,
#                                             libvirt, sid

set -euo pipefail

declare -A groups=(
	[base]="build-essential pkg-config libjansson-dev libpci-dev jq perl acpica-tools"
	[e2e]="qemu-system-x86 ovmf busybox-static acpica-tools kmod cpio dwarves xz-utils zstd lz4 file"
	# sid kernels (7.2): scripts/fetch-sid-kernel.sh makes a chroot
	[sid]="debootstrap"
	# systemd: the binaries dracut's systemd modules put into tests/boot's image
	[boot]="dracut-core initramfs-tools-core dkms systemd"
	[deb]="dpkg-dev debhelper dh-dkms lintian fakeroot debootstrap libjansson-dev libpci-dev pkg-config"
	[grub]="grub-common grub2-common grub-pc-bin"
	[svg]="librsvg2-bin"
	# systemd-analyze verify, and man for the unit's Documentation=
	[service]="systemd man-db"
	[arm64]="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm qemu-efi-aarch64 device-tree-compiler busybox-static acpica-tools cpio jq file"
	[src]="dpkg-dev xz-utils"
	[kunit]="python3 bc flex bison xz-utils linux-source-6.1 linux-source-6.12"
	[qemu-build]="build-essential pkg-config python3 python3-venv meson ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev patch"
	# a real libvirtd for tests/libvirt; virt-xml-validate needs xmllint
	[libvirt]="libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu qemu-system-x86 libxml2-utils xmlstarlet"
	# tests/tools/host-libvirt.t: virt-xml-validate (libvirt-clients) and xmllint
	[host]="acpica-tools device-tree-compiler qemu-system-x86 qemu-system-arm jq libvirt-clients libxml2-utils"
	# libFuzzer and the sanitizer runtimes: clang-14 ships them only in
	# libclang-rt-14-dev, which it merely recommends
	[fuzz]="clang-14 libclang-rt-14-dev libjansson-dev pkg-config"
)

want=()
for g in "${@:-base}"; do
	[[ -n "${groups[$g]:-}" ]] || { echo "install-deps: unknown group '$g'" >&2; exit 1; }
	read -r -a pkgs <<<"${groups[$g]}"
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			want+=("$p")
	done
done

((${#want[@]} == 0)) && exit 0

if ((EUID != 0)); then
	echo "install-deps: missing packages (${want[*]}); run as root" >&2
	exit 1
fi

echo "install-deps: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
# wait for another apt run (a parallel make, unattended-upgrades) instead of failing
lock=(-o DPkg::Lock::Timeout=600)
apt-get "${lock[@]}" update -qq
apt-get "${lock[@]}" install -y -qq --no-install-recommends "${want[@]}" >/dev/null
