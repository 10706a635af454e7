#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds Debian 12's QEMU 7.2 with the qemu-minimal-patches series applied
# (qemu-system-x86_64 and qemu-system-aarch64 only, every optional feature
# off) and prints where the binaries are:
#
#   QEMU_BINDIR=/var/cache/pci_fixedbar/qemu/<hash>/bin
#
# <hash> covers the series, the source version and the build options: an
# unchanged series is only looked up.  The source comes from
# scripts/fetch-source.sh qemu; the series is applied with patch -p1 to a
# copy of it, kept in <cache>/tree: when the series changes, the files the
# previous one touched are restored from the pristine source, the new one
# is applied and ninja rebuilds only what changed.  Needs root on a fresh
# machine (packages).
#
# usage: scripts/build-qemu.sh
# exit: 0 built or cached, 1 a step failed (its log is named)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
series_dir=$top/qemu-minimal-patches
cache=${FIXEDBAR_QEMU_CACHE:-/var/cache/pci_fixedbar/qemu}
# shellcheck disable=SC2054 # configure takes comma lists
configure_opts=(
	--target-list=x86_64-softmmu,aarch64-softmmu
	--without-default-features --enable-fdt=system --enable-tcg
	--disable-werror --disable-debug-info
	# Debian's own firmware (SeaBIOS, option ROMs) from qemu-system-data
	--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
)

mapfile -t patches < <(find "$series_dir" -maxdepth 1 -name '*.patch' | sort)
if ((${#patches[@]} == 0)); then
	echo "build-qemu: no *.patch in $series_dir" >&2
	exit 1
fi

"$top/scripts/install-deps.sh" src qemu-build >&2
srcdir=$("$top/scripts/fetch-source.sh" qemu | sed -n 's/^SRCDIR=//p')
[[ -d $srcdir ]] || { echo "build-qemu: fetch-source.sh qemu gave no source" >&2; exit 1; }

base=$({
	basename "$srcdir"
	printf '%s\n' "${configure_opts[@]}"
} | sha256sum | cut -c1-16)
hash=$({
	echo "$base"
	cat "${patches[@]}"
} | sha256sum | cut -c1-16)
dest=$cache/$hash

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ ! -f $dest/.complete ]]; then
	tree=$cache/tree
	log=$cache/build.log
	: >"$log"
	t=$SECONDS
	if [[ -f $tree/.configured && $(cat "$tree/.configured") == "$base" ]]; then
		echo "build-qemu: $(basename "$srcdir") + ${#patches[@]} patches, rebuilding in $tree" >&2
		# undo the previous series: the files it touched, pristine again
		while read -r f; do
			if [[ -e $srcdir/$f ]]; then
				cp "$srcdir/$f" "$tree/src/$f"
			else
				rm -f "$tree/src/$f"
			fi
		done <"$tree/touched"
	else
		echo "build-qemu: $(basename "$srcdir") + ${#patches[@]} patches, building in $tree" >&2
		rm -rf "$tree"
		mkdir -p "$tree"
		cp -a "$srcdir" "$tree/src"
		rm -rf "$tree/src/.pc"
		: >"$tree/touched"
	fi
	sed -n 's|^+++ b/||p' "${patches[@]}" | sort -u >"$tree/touched"
	for p in "${patches[@]}"; do
		if ! patch -p1 --batch --forward -d "$tree/src" <"$p" >>"$log" 2>&1; then
			echo "build-qemu: $(basename "$p") does not apply to $srcdir; see $log" >&2
			exit 1
		fi
	done
	if [[ ! -f $tree/.configured ]]; then
		mkdir -p "$tree/src/build"
		if ! (cd "$tree/src/build" && ../configure "${configure_opts[@]}") >>"$log" 2>&1; then
			echo "build-qemu: configure failed; see $log" >&2
			exit 1
		fi
		echo "$base" >"$tree/.configured"
	fi
	if ! nice -n 10 ninja -C "$tree/src/build" -j"$(nproc)" \
		qemu-system-x86_64 qemu-system-aarch64 >>"$log" 2>&1; then
		echo "build-qemu: build failed; see $log" >&2
		grep -A5 -m3 'error:' "$log" >&2 || tail -20 "$log" >&2
		exit 1
	fi
	rm -rf "$dest"
	mkdir -p "$dest/bin"
	cp "$tree/src/build/qemu-system-x86_64" "$tree/src/build/qemu-system-aarch64" "$dest/bin/"
	cp "${patches[@]}" "$dest/"
	echo "build-qemu: built in $((SECONDS - t)) s" | tee "$dest/build-time" >&2
	touch "$dest/.complete"
fi
echo "QEMU_BINDIR=$dest/bin"
