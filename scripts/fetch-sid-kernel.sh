#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches Debian sid's kernel (7.2 today) without touching the machine's
# apt configuration: a minimal sid chroot made once with debootstrap,
# cached, holds sid's linux-headers with the gcc and glibc its kbuild
# needs; the image (split into linux-binary-<release>, vmlinuz under
# /usr/lib/modules/<release>, and linux-modules-<release>) is unpacked
# beside it.  Called by scripts/fetch-kernel.sh for series 7.2.
#
# usage: scripts/fetch-sid-kernel.sh 7.2 [amd64|cloud-amd64|arm64]
#
# arm64 is cross-built: the chroot gets dpkg's arm64 architecture, and
# installing linux-headers-<release>:arm64 there brings sid's cross gcc
# (gcc-N-for-host:arm64 is gcc-N-aarch64-linux-gnu) and the host's
# linux-kbuild (Multi-Arch: foreign); build with ARCH=arm64
# CROSS_COMPILE=aarch64-linux-gnu-.  Its vmlinuz is a compressed Image.
#
# Prints, eval-able, one per line:
#   KERNELRELEASE=7.2.13+deb14-amd64
#   KCHROOT=/var/cache/pci_fixedbar/sid/root   build modules in it:
#                                     chroot "$KCHROOT" make -C "$KERNELDIR"
#   KERNELDIR=/usr/src/linux-headers-7.2.13+deb14-amd64   (inside KCHROOT)
#   VMLINUZ=$KCHROOT/var/lib/fixedbar/7.2.13+deb14-amd64/root/usr/lib/modules/<release>/vmlinuz
#   MODDIR=$KCHROOT/var/lib/fixedbar/7.2.13+deb14-amd64/root/usr/lib/modules/<release>
#
# Environment: FIXEDBAR_SIDCACHE (default /var/cache/pci_fixedbar/sid),
# FIXEDBAR_MIRROR (default http://deb.debian.org/debian).  The chroot's
# package lists are refreshed once a day; without a network the newest
# release already unpacked is used.

set -euo pipefail

series=${1:-7.2}
flavour=${2:-amd64}
cache=${FIXEDBAR_SIDCACHE:-/var/cache/pci_fixedbar/sid}
mirror=${FIXEDBAR_MIRROR:-http://deb.debian.org/debian}
root=$cache/root
# what kbuild needs in the chroot besides the headers' own dependencies
# (gcc-N-for-host): make, pahole (module BTF), kmod (depmod), xz (modules)
pkgs="make pahole kmod xz-utils"

die() { echo "fetch-sid-kernel: $*" >&2; exit 1; }
log() { echo "fetch-sid-kernel: $*" >&2; }

case $series in 7.2) ;; *) die "unknown sid series '$series' (7.2)" ;; esac
case $flavour in amd64 | cloud-amd64 | arm64) ;; *) die "unknown flavour '$flavour' (amd64, cloud-amd64 or arm64)" ;; esac
# the packages' architecture qualifier
qual=""
[[ $flavour != arm64 ]] || qual=:arm64
((EUID == 0)) || die "making and entering the sid chroot needs root"

# in_root CMD...: CMD in the chroot with its own /proc, /sys and /dev
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --pid --fork bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
		mount --rbind /dev "$r/dev" &&
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' - "$root" "$@"
}

# sid's Release files are short-lived; a mirror snapshot may be past them
apt_q() {
	in_root apt-get -o Acquire::Check-Valid-Until=false -qq "$@"
}

make_root() {
	local tmp=$root.tmp.$$ t=$SECONDS

	command -v debootstrap >/dev/null ||
		die "debootstrap missing (scripts/install-deps.sh sid)"
	rm -rf "$tmp"
	mkdir -p "$cache"
	log "debootstrap sid into $root (once)"
	debootstrap --variant=minbase sid "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; die "debootstrap sid failed"; }
	echo "deb $mirror sid main" >"$tmp/etc/apt/sources.list"
	rm -rf "$root"
	mv "$tmp" "$root"
	log "debootstrap took $((SECONDS - t)) s"
}

refresh_lists() {
	local stamp=$root/var/lib/fixedbar/lists.stamp

	mkdir -p "$(dirname "$stamp")"
	# arm64 packages beside the chroot's own (once; lists then refreshed)
	if [[ -n $qual ]] && ! in_root dpkg --print-foreign-architectures | grep -qx arm64; then
		in_root dpkg --add-architecture arm64
		rm -f "$stamp"
	fi
	[[ -n $(find "$stamp" -mmin -1440 2>/dev/null) ]] && return 0
	if apt_q update >>"$cache/debootstrap.log" 2>&1; then
		touch "$stamp"
	else
		log "apt-get update in the sid chroot failed; using the lists it has"
	fi
}

# the release linux-image-<flavour> points to: linux-image-<release>
resolve_release() {
	in_root apt-cache show --no-all-versions "linux-image-$flavour$qual" 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		sed -n 's/^linux-image-//p' | head -1
}

cached_release() {
	local d

	for d in $(find "$root/var/lib/fixedbar" -maxdepth 1 -name "$series.*-$flavour" 2>/dev/null | sort -rV); do
		[[ $flavour == cloud-* || $d != *-cloud-* ]] || continue
		[[ -f $d/.complete ]] && { basename "$d"; return 0; }
	done
	return 1
}

# the headers (and with them sid's gcc) installed in the chroot, the image
# packages unpacked under /var/lib/fixedbar/<release>/root, depmod run
# (which looks in lib/modules: sid has merged /usr, its packages only
# usr/lib/modules)
unpack_release() {
	local rel=$1 dir=/var/lib/fixedbar/$1

	# shellcheck disable=SC2086 # a word list
	apt_q install -y --no-install-recommends "linux-headers-$rel$qual" $pkgs \
		>>"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; die "installing linux-headers-$rel in the chroot failed"; }
	rm -rf "$root$dir"
	mkdir -p "$root$dir/debs"
	# shellcheck disable=SC2016 # expanded by the inner shell
	in_root sh -c 'cd "$1/debs" && apt-get -o Acquire::Check-Valid-Until=false -qq \
		-o APT::Sandbox::User=root download "linux-binary-$2$3" "linux-modules-$2$3" &&
		for d in *.deb; do dpkg-deb -x "$d" "$1/root"; done &&
		ln -sfn usr/lib "$1/root/lib" && depmod -b "$1/root" "$2"' - "$dir" "$rel" "$qual" >>"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; die "fetching linux-image-$rel failed"; }
	[[ -f $root$dir/root/usr/lib/modules/$rel/vmlinuz ]] ||
		die "no usr/lib/modules/$rel/vmlinuz in linux-binary-$rel"
	[[ -f $root$dir/root/usr/lib/modules/$rel/modules.dep ]] ||
		die "depmod wrote no modules.dep for $rel"
	rm -rf "$root$dir/debs"
	touch "$root$dir/.complete"
	log "unpacked $rel into $root$dir"
}

main() {
	local rel

	[[ -x $root/usr/bin/apt-get ]] || make_root
	refresh_lists
	rel=$(resolve_release)
	if [[ -z $rel ]]; then
		rel=$(cached_release) || die "cannot resolve linux-image-$flavour in sid and nothing cached"
		log "sid cannot resolve linux-image-$flavour; using cached $rel"
	fi
	[[ -f $root/var/lib/fixedbar/$rel/.complete ]] || unpack_release "$rel"
	echo "KERNELRELEASE=$rel"
	echo "KCHROOT=$root"
	echo "KERNELDIR=/usr/src/linux-headers-$rel"
	echo "VMLINUZ=$root/var/lib/fixedbar/$rel/root/usr/lib/modules/$rel/vmlinuz"
	echo "MODDIR=$root/var/lib/fixedbar/$rel/root/usr/lib/modules/$rel"
}

main
