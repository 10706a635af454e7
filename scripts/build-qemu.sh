#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds Debian 12's QEMU 7.2 with the qemu-minimal-patches series applied
# (qemu-system-x86_64 and qemu-system-aarch64 only, every optional feature
# off) and prints where the binaries are:
#
#   QEMU_BINDIR=/var/cache/pci_fixedbar/qemu/<hash>/bin
#
# <hash> covers the series, the source version and the build options, so a
# changed series builds again and an unchanged one is only looked up.  The
# source comes from scripts/fetch-source.sh qemu; the series is applied with
# patch -p1 to a fresh copy of it.  Needs root on a fresh machine (packages).
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

hash=$({
	basename "$srcdir"
	printf '%s\n' "${configure_opts[@]}"
	cat "${patches[@]}"
} | sha256sum | cut -c1-16)
dest=$cache/$hash

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [[ ! -f $dest/.complete ]]; then
	work=$cache/build-$hash
	log=$work/build.log
	rm -rf "$work" "$dest"
	mkdir -p "$work"
	echo "build-qemu: building $(basename "$srcdir") + ${#patches[@]} patches in $work" >&2
	t=$SECONDS
	cp -a "$srcdir" "$work/src"
	rm -rf "$work/src/.pc"
	for p in "${patches[@]}"; do
		if ! patch -p1 --batch --forward -d "$work/src" <"$p" >>"$log" 2>&1; then
			echo "build-qemu: $(basename "$p") does not apply to $srcdir; see $log" >&2
			exit 1
		fi
	done
	mkdir -p "$work/src/build"
	if ! (cd "$work/src/build" && ../configure "${configure_opts[@]}") >>"$log" 2>&1; then
		echo "build-qemu: configure failed; see $log" >&2
		exit 1
	fi
	if ! nice -n 10 ninja -C "$work/src/build" -j"$(nproc)" \
		qemu-system-x86_64 qemu-system-aarch64 >>"$log" 2>&1; then
		echo "build-qemu: build failed; see $log" >&2
		tail -20 "$log" >&2
		exit 1
	fi
	mkdir -p "$dest/bin"
	cp "$work/src/build/qemu-system-x86_64" "$work/src/build/qemu-system-aarch64" "$dest/bin/"
	cp "${patches[@]}" "$dest/"
	echo "build-qemu: built in $((SECONDS - t)) s" | tee "$dest/build-time" >&2
	touch "$dest/.complete"
	rm -rf "$work"
fi
echo "QEMU_BINDIR=$dest/bin"
