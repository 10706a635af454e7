#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds Debian 12's QEMU 7.2 with the qemu-minimal-patches series applied
# (qemu-system-x86_64 and qemu-system-aarch64 only, every optional feature
# off, and the series' qtest) and prints where the binaries are:
#
#   QEMU_BINDIR=/var/cache/pci_fixedbar/qemu/<hash>/bin
#
# QEMU_SERIES=sid builds the rebased copy, qemu-minimal-patches/sid/,
# against the QEMU source package of Debian sid instead
# (scripts/fetch-sid-source.sh), cached in /var/cache/pci_fixedbar/qemu-sid.
#
# <hash> covers the series, the source version and the build options: an
# unchanged series is only looked up.  The source comes from
# scripts/fetch-source.sh qemu; the series is applied with patch -p1 to a
# copy of it, kept in <cache>/tree: when the series changes, the files the
# previous one touched are restored from the pristine source, the new one
# is applied and ninja rebuilds only what changed.  Needs root on a fresh
# machine (packages).
#
# usage: [QEMU_SERIES=7.2|sid] scripts/build-qemu.sh
# exit: 0 built or cached, 1 a step failed (its log is named)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
case ${QEMU_SERIES:-7.2} in
7.2)
	series_dir=$top/qemu-minimal-patches
	fetch=(fetch-source.sh qemu)
	cache=${FIXEDBAR_QEMU_CACHE:-/var/cache/pci_fixedbar/qemu}
	;;
sid)
	series_dir=$top/qemu-minimal-patches/sid
	fetch=(fetch-sid-source.sh qemu)
	cache=${FIXEDBAR_QEMU_CACHE:-/var/cache/pci_fixedbar/qemu-sid}
	;;
*)
	echo "build-qemu: QEMU_SERIES is 7.2 or sid, not '$QEMU_SERIES'" >&2
	exit 1
	;;
esac
# shellcheck disable=SC2054 # configure takes comma lists
configure_opts=(
	--target-list=x86_64-softmmu,aarch64-softmmu
	--without-default-features --enable-fdt=system --enable-tcg
	--disable-werror --disable-debug-info
	# Debian's own firmware (SeaBIOS, option ROMs) from qemu-system-data
	--firmwarepath=/usr/share/qemu:/usr/share/seabios:/usr/lib/ipxe/qemu
)
if [[ ${QEMU_SERIES:-7.2} == sid ]]; then
	# Debian's +ds source has no firmware blobs and no meson wheel; QEMU
	# 10 wants meson >= 1.5: sid's meson package, unpacked, on the
	# system python's path (for configure and ninja's re-runs of meson)
	configure_opts+=(--disable-install-blobs --python=/usr/bin/python3)
	meson_root=$("$top/scripts/fetch-sid-source.sh" --deb meson | sed -n 's/^DEBROOT=//p')
	export PYTHONPATH=$meson_root/usr/lib/python3/dist-packages
fi
# what the tests run: the two system emulators and the series' qtest
targets=(qemu-system-x86_64 qemu-system-aarch64 tests/qtest/fixed-bars-test)

mapfile -t patches < <(find "$series_dir" -maxdepth 1 -name '*.patch' | sort)
if ((${#patches[@]} == 0)); then
	echo "build-qemu: no *.patch in $series_dir" >&2
	exit 1
fi

"$top/scripts/install-deps.sh" src qemu-build >&2
srcdir=$("$top/scripts/${fetch[0]}" "${fetch[1]}" | sed -n 's/^SRCDIR=//p')
[[ -d $srcdir ]] || { echo "build-qemu: ${fetch[*]} gave no source" >&2; exit 1; }

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
	else
		echo "build-qemu: $(basename "$srcdir") + ${#patches[@]} patches, building in $tree" >&2
		rm -rf "$tree"
		mkdir -p "$tree"
		cp -a "$srcdir" "$tree/src"
		rm -rf "$tree/src/.pc"
		: >"$tree/touched"
	fi
	# the series applied to pristine copies of the files it or the previous
	# one touches, in a stage; only the files whose content differs go into
	# the tree, so ninja rebuilds no more than the change needs and a series
	# that does not apply leaves the tree as it was
	stage=$tree/stage
	rm -rf "$stage"
	mkdir -p "$stage"
	sed -n 's|^+++ b/||p' "${patches[@]}" | sort -u >"$stage.touched"
	mapfile -t files < <(sort -u "$tree/touched" "$stage.touched")
	for f in "${files[@]}"; do
		[[ -e $srcdir/$f ]] || continue
		mkdir -p "$stage/$(dirname "$f")"
		cp "$srcdir/$f" "$stage/$f"
	done
	for p in "${patches[@]}"; do
		if ! patch -p1 --batch --forward -d "$stage" <"$p" >>"$log" 2>&1; then
			echo "build-qemu: $(basename "$p") does not apply to $srcdir; see $log" >&2
			exit 1
		fi
	done
	for f in "${files[@]}"; do
		if [[ ! -e $stage/$f ]]; then
			rm -f "$tree/src/$f"
		elif ! cmp -s "$stage/$f" "$tree/src/$f"; then
			mkdir -p "$tree/src/$(dirname "$f")"
			cp "$stage/$f" "$tree/src/$f"
		fi
	done
	mv "$stage.touched" "$tree/touched"
	if [[ ! -f $tree/.configured ]]; then
		mkdir -p "$tree/src/build"
		if ! (cd "$tree/src/build" && ../configure "${configure_opts[@]}") >>"$log" 2>&1; then
			echo "build-qemu: configure failed; see $log" >&2
			exit 1
		fi
		echo "$base" >"$tree/.configured"
	fi
	if ! nice -n 10 ninja -C "$tree/src/build" -j"$(nproc)" "${targets[@]}" >>"$log" 2>&1; then
		echo "build-qemu: build failed; see $log" >&2
		grep -A5 -m3 'error:' "$log" >&2 || tail -20 "$log" >&2
		exit 1
	fi
	rm -rf "$dest"
	mkdir -p "$dest/bin"
	for target in "${targets[@]}"; do
		cp "$tree/src/build/$target" "$dest/bin/"
	done
	cp "${patches[@]}" "$dest/"
	echo "build-qemu: built in $((SECONDS - t)) s" | tee "$dest/build-time" >&2
	touch "$dest/.complete"
fi
echo "QEMU_BINDIR=$dest/bin"
