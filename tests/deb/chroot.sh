#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian 12 system for the package tests, made once and cached:
# debootstrap bookworm (minbase) plus Debian's kernel image and headers
# (linux-image-amd64, linux-headers-amd64), dkms, initramfs-tools and
# busybox, which is what a machine needs before apt install of the two
# packages.  Each test works on an overlay of it (tests/deb/install.t).
#
# usage: tests/deb/chroot.sh   prints the directory (eval-able line
#                              DEB_ROOT=...)
#
# Environment: FIXEDBAR_DEBCACHE (default /var/cache/pci_fixedbar/deb),
# FIXEDBAR_MIRROR (default http://deb.debian.org/debian).

set -euo pipefail

cache=${FIXEDBAR_DEBCACHE:-/var/cache/pci_fixedbar/deb}
mirror=${FIXEDBAR_MIRROR:-http://deb.debian.org/debian}
root=$cache/bookworm
# what a machine has before apt install of the two packages: the kernel and
# its headers, dkms, initramfs-tools, the libraries the tools link
pkgs="linux-image-amd64 linux-headers-amd64 dkms initramfs-tools busybox kmod libjansson4 libpci3"

log() { echo "deb/chroot: $*" >&2; }

# in_root ROOT CMD...: CMD in ROOT with its own /proc, /sys and /dev/pts
in_root() {
	local r=$1

	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --pid --fork bash -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
		mount --rbind /dev "$r/dev" &&
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' - "$r" "$@"
}

if [[ ! -f $root/.fixedbar-ready ]]; then
	command -v debootstrap >/dev/null ||
		{ log "debootstrap missing (scripts/install-deps.sh deb)"; exit 1; }
	tmp=$root.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$cache"
	t=$SECONDS
	log "debootstrap bookworm into $root (once)"
	debootstrap --variant=minbase bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; exit 1; }
	cat >"$tmp/etc/apt/sources.list" <<SRC
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SRC
	in_root "$tmp" apt-get update -qq >>"$cache/debootstrap.log" 2>&1
	# shellcheck disable=SC2086 # a word list
	in_root "$tmp" apt-get install -y -qq --no-install-recommends $pkgs \
		>>"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; exit 1; }
	in_root "$tmp" apt-get clean
	echo "$pkgs" >"$tmp/.fixedbar-ready"
	rm -rf "$root"
	mv "$tmp" "$root"
	log "ready in $((SECONDS - t)) s"
fi
# a cache made with an older package list gets what is new
if [[ $(<"$root/.fixedbar-ready") != "$pkgs" ]]; then
	log "adding packages to $root"
	# shellcheck disable=SC2086 # a word list
	in_root "$root" apt-get install -y -qq --no-install-recommends $pkgs \
		>>"$cache/debootstrap.log" 2>&1 ||
		{ tail -20 "$cache/debootstrap.log" >&2; exit 1; }
	in_root "$root" apt-get clean
	echo "$pkgs" >"$root/.fixedbar-ready"
fi
# the kernel's initramfs, as every installed system has one for
# update-initramfs -u to update (older caches lack it)
if ! compgen -G "$root/boot/initrd.img-*" >/dev/null; then
	in_root "$root" update-initramfs -c -k all >>"$cache/debootstrap.log" 2>&1
fi
echo "DEB_ROOT=$root"
