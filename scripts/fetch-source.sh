#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches and unpacks a Debian 12 source package (apt-get source, with
# Debian's own patches applied) once, into the cache, and prints where:
#
#   SRCDIR=/var/cache/pci_fixedbar/src/<package>/<package>-<version>
#
# Adds a deb-src entry for the machine's Debian suites when none exists
# (as root).  Later runs only print the directory.
#
# usage: scripts/fetch-source.sh PACKAGE

set -euo pipefail

pkg=${1:?usage: fetch-source.sh PACKAGE}
cache=${FIXEDBAR_SRCCACHE:-/var/cache/pci_fixedbar/src}/$pkg
list=/etc/apt/sources.list.d/pci_fixedbar-src.sources

if [[ ! -f $cache/.complete ]]; then
	if ! apt-get source --print-uris -qq "$pkg" >/dev/null 2>&1; then
		if ((EUID != 0)); then
			echo "fetch-source: no deb-src entry for $pkg; run as root" >&2
			exit 1
		fi
		cat >"$list" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt-get update -qq >&2
	fi
	command -v dpkg-source >/dev/null || "$(dirname "$0")/install-deps.sh" src >&2
	rm -rf "$cache"
	mkdir -p "$cache"
	(cd "$cache" && apt-get source -qq -o APT::Sandbox::User=root "$pkg") >&2 ||
		{ echo "fetch-source: apt-get source $pkg failed" >&2; exit 1; }
	touch "$cache/.complete"
fi
dir=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | head -1)
[[ -n $dir ]] || { echo "fetch-source: no unpacked $pkg in $cache" >&2; exit 1; }
echo "SRCDIR=$dir"
