#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches the kernel's own style tools for `make style`: scripts/checkpatch.pl
# with the data files it reads (spelling.txt, const_structs.checkpatch) and
# the kernel's .clang-format, taken from Debian 12's linux-source-6.1.
# Only those members are unpacked, streamed out of the .deb, so the 130 MB
# source tarball never lands on disk.  Idempotent: once cached, it only
# prints the cache directory.
#
# usage: scripts/fetch-style-tools.sh
#
# Prints the cache directory, which holds scripts/checkpatch.pl and
# .clang-format.  Environment: FIXEDBAR_STYLE_CACHE (default
# /var/cache/pci_fixedbar/style).

set -euo pipefail

cache=${FIXEDBAR_STYLE_CACHE:-/var/cache/pci_fixedbar/style}
pkg=linux-source-6.1
members=(
	.clang-format
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)

die() { echo "fetch-style-tools: $*" >&2; exit 1; }
log() { echo "fetch-style-tools: $*" >&2; }

cached() {
	local m
	for m in "${members[@]}"; do
		[[ -s $cache/$m ]] || return 1
	done
}

# A .deb of $pkg already on this machine: apt's archive or a kernel cache.
find_deb() {
	local d
	for d in /var/cache/apt/archives "${FIXEDBAR_KCACHE:-/var/cache/pci_fixedbar/kernels}" "$cache"; do
		[[ -d $d ]] || continue
		find "$d" -maxdepth 3 -name "${pkg}_*_all.deb" -print -quit
	done | head -n1
}

if cached; then
	echo "$cache"
	exit 0
fi

command -v dpkg-deb >/dev/null || die "dpkg-deb not found (Debian only)"
mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt downloads as _apt when run as root; let it write here
if ((EUID == 0)) && id _apt >/dev/null 2>&1; then chown _apt "$tmp"; fi

deb=$(find_deb)
if [[ -z $deb ]]; then
	log "downloading $pkg"
	(cd "$tmp" && apt-get download -qq "$pkg" >/dev/null) ||
		(apt-get update -qq && cd "$tmp" && apt-get download -qq "$pkg" >/dev/null) ||
		die "apt-get download $pkg failed"
	deb=$(find "$tmp" -maxdepth 1 -name "${pkg}_*_all.deb" -print -quit)
	[[ -n $deb ]] || die "apt-get download $pkg left no .deb"
fi

log "unpacking ${members[*]} from $(basename "$deb")"
# The .deb holds /usr/src/$pkg.tar.xz, whose members start with $pkg/.
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$tmp" --wildcards "${members[@]/#/$pkg/}"

for m in "${members[@]}"; do
	[[ -s $tmp/$pkg/$m ]] || die "$m missing from $pkg"
	mkdir -p "$(dirname "$cache/$m")"
	mv -f "$tmp/$pkg/$m" "$cache/$m"
done
chmod +x "$cache/scripts/checkpatch.pl"
dpkg-deb -f "$deb" Version >"$cache/VERSION"
echo "$cache"
