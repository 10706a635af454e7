#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches and unpacks the source package Debian sid ships (apt-get source,
# Debian's patches applied) once, into the cache, and prints where:
#
#   SRCDIR=/var/cache/pci_fixedbar/src-sid/<package>/<package>-<version>
#
# The machine's apt configuration is not touched: a private apt state
# (sources list, lists, cache) under the cache directory holds sid's
# deb-src entry.  Later runs only print the directory.
#
# usage: scripts/fetch-sid-source.sh PACKAGE
#        scripts/fetch-sid-source.sh --deb PACKAGE   sid's binary package,
#            unpacked (dpkg-deb -x): DEBROOT=<cache>/deb/<package>/root
# Environment: FIXEDBAR_MIRROR (default http://deb.debian.org/debian)

set -euo pipefail

deb=0
if [[ ${1:-} == --deb ]]; then
	deb=1
	shift
fi
pkg=${1:?usage: fetch-sid-source.sh [--deb] PACKAGE}
base=${FIXEDBAR_SRCCACHE_SID:-/var/cache/pci_fixedbar/src-sid}
mirror=${FIXEDBAR_MIRROR:-http://deb.debian.org/debian}
cache=$base/$pkg
state=$base/.apt

# apt_private apt-get|apt-cache ARGS...: with the private state only
apt_private() {
	local tool=$1

	shift
	"$tool" -qq -o Dir::Etc::SourceList="$state/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$state/lists" -o Dir::Cache="$state/cache" \
		-o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root "$@"
}

update() {
	[[ -n $(find "$state/stamp" -mmin -1440 2>/dev/null) ]] && return 0
	mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
	printf '%s [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s sid main\n' \
		deb "$mirror" deb-src "$mirror" >"$state/sources.list"
	apt_private apt-get update >&2 ||
		{ echo "fetch-sid-source: apt-get update (sid) failed" >&2; exit 1; }
	touch "$state/stamp"
}

if ((deb)); then
	cache=$base/deb/$pkg
	if [[ ! -f $cache/.complete ]]; then
		update
		rm -rf "$cache"
		mkdir -p "$cache/root"
		if ! (cd "$cache" && apt_private apt-get download "$pkg") >&2 ||
			! dpkg-deb -x "$cache"/*.deb "$cache/root"; then
			echo "fetch-sid-source: apt-get download $pkg (sid) failed" >&2
			exit 1
		fi
		touch "$cache/.complete"
	fi
	echo "DEBROOT=$cache/root"
	exit 0
fi

if [[ ! -f $cache/.complete ]]; then
	update
	command -v dpkg-source >/dev/null || "$(dirname "$0")/install-deps.sh" src >&2
	rm -rf "$cache"
	mkdir -p "$cache"
	# the newest version sid's Sources lists whose files the mirror serves
	# (a mirror may lag behind the index; the version used is printed)
	mapfile -t versions < <(apt_private apt-cache showsrc "$pkg" | sed -n 's/^Version: //p' | sort -rV)
	got=
	for v in "${versions[@]}"; do
		if (cd "$cache" && apt_private apt-get source "$pkg=$v") >>"$base/$pkg.log" 2>&1; then
			got=$v
			break
		fi
		echo "fetch-sid-source: $pkg $v: not on the mirror, trying an older one" >&2
		rm -rf "${cache:?}"/*
	done
	[[ -n $got ]] || { echo "fetch-sid-source: apt-get source $pkg (sid) failed; see $base/$pkg.log" >&2; exit 1; }
	echo "fetch-sid-source: $pkg $got (newest in sid: ${versions[0]})" | tee "$cache/version" >&2
	touch "$cache/.complete"
fi
dir=$(find "$cache" -mindepth 1 -maxdepth 1 -type d -name "$pkg-*" | head -1)
[[ -n $dir ]] || { echo "fetch-sid-source: no unpacked $pkg in $cache" >&2; exit 1; }
echo "SRCDIR=$dir"
