#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the pci_fixedbar KUnit suites on UML with tools/testing/kunit/kunit.py
# from Debian's linux-source packages.
#
# usage: scripts/kunit.sh [--san] [version...]   versions: 6.1 6.12 (default both)
#
# Each source tarball is extracted once into $FIXEDBAR_KUNIT_CACHE/<ver>-src
# and built in $FIXEDBAR_KUNIT_CACHE/<ver>-build, so reruns are incremental.
# The suites, planner/ and the pure parts of module/ are copied into
# drivers/misc/pci_fixedbar_kunit for the run.  FIXEDBAR_PLANNER_DIR
# replaces planner/ (to show that a broken planner rule fails the run).
# The KTAP output is printed and kept in <cache>/<ver>.ktap; a failed
# test or a missing suite makes the script fail.  --san adds
# kunit/sanitizers.config (KASAN, UBSAN, lockdep, fault injection), builds
# in <cache>/<ver>-san-build, keeps the whole console in <ver>-san.ktap,
# and also fails on any sanitizer, lockdep, WARN or BUG report in it.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${FIXEDBAR_KUNIT_CACHE:-/var/cache/pci_fixedbar/kunit}
planner=${FIXEDBAR_PLANNER_DIR:-$top/planner}
jobs=${FIXEDBAR_KUNIT_JOBS:-2}
san=
if [[ ${1:-} == --san ]]; then
	san=-san
	shift
fi
if (($#)); then versions=("$@"); else versions=(6.1 6.12); fi

# the kunit group holds linux-source-6.1 and linux-source-6.12
"$top/scripts/install-deps.sh" kunit

# Copies $1 to $2 only when it differs, so kbuild rebuilds only what changed.
put() {
	cmp -s "$1" "$2" || cp "$1" "$2"
}

stage() {
	local src=$1 dst=$1/drivers/misc/pci_fixedbar_kunit f

	mkdir -p "$dst/planner" "$dst/module"
	for f in Kconfig Makefile pci_fixedbar_plan_test.c \
		pci_fixedbar_parse_test.c pci_fixedbar_apply_test.c; do
		put "$top/kunit/$f" "$dst/$f"
	done
	for f in "$planner"/*.c "$planner"/*.h; do
		put "$f" "$dst/planner/${f##*/}"
	done
	for f in apply.c snapshot.c claimed.c source.c reserve_hint.c rebar_guard.c \
		fixedbar_mod.h compat.h; do
		put "$top/module/$f" "$dst/module/$f"
	done
	python3 "$top/kunit/gen-fixtures.py" "$top"/tests/fixtures/*.json \
		>"$dst/pci_fixedbar_fixtures.h.tmp"
	put "$dst/pci_fixedbar_fixtures.h.tmp" "$dst/pci_fixedbar_fixtures.h"
	rm -f "$dst/pci_fixedbar_fixtures.h.tmp"
	grep -q pci_fixedbar_kunit "$src/drivers/misc/Kconfig" ||
		sed -i '$i source "drivers/misc/pci_fixedbar_kunit/Kconfig"' \
			"$src/drivers/misc/Kconfig"
	grep -q pci_fixedbar_kunit "$src/drivers/misc/Makefile" ||
		echo 'obj-y += pci_fixedbar_kunit/' >>"$src/drivers/misc/Makefile"
}

# what KASAN, UBSAN, lockdep and the rest print when they find something;
# UML warns at boot that virt-pci has no device, which no test is about
reports='BUG:|WARNING:|UBSAN:|KASAN:|Kernel panic|Oops|'
reports+='possible (circular|recursive) locking|lock held when returning'
known='WARNING: .* at arch/um/drivers/virt-pci\.c'

# The report check of --san: the console must be there (the lockdep
# banner) and hold no report.
san_check() {
	local log=$1

	grep -q 'Lock dependency validator' "$log" || {
		echo "kunit: no lockdep banner: not the whole console, or lockdep off" >&2
		return 1
	}
	if grep -E "$reports" "$log" | grep -Ev "$known"; then
		echo "kunit: a sanitizer, lockdep, WARN or BUG report above" >&2
		return 1
	fi
}

mkdir -p "$cache"
for v in "${versions[@]}"; do
	src=$cache/$v-src
	if [[ ! -e $src/.fixedbar-extracted ]]; then
		echo "kunit: extracting linux-source-$v into $src"
		rm -rf "$src" "$cache/tmp-$v"
		mkdir -p "$cache/tmp-$v"
		tar -C "$cache/tmp-$v" -xf "/usr/src/linux-source-$v.tar.xz"
		mv "$cache/tmp-$v/linux-source-$v" "$src"
		rmdir "$cache/tmp-$v"
		touch "$src/.fixedbar-extracted"
	fi
	stage "$src"
	echo "kunit: linux-source-$v (UML)"
	start=$SECONDS
	config=$top/kunit/.kunitconfig raw=kunit ktap=$cache/$v$san.ktap
	if [[ -n $san ]]; then
		config=$cache/san.kunitconfig raw=all
		cat "$top/kunit/.kunitconfig" "$top/kunit/sanitizers.config" >"$config"
	fi
	set +e
	(cd "$src" && python3 tools/testing/kunit/kunit.py run --arch=um \
		--kunitconfig="$config" --build_dir="$cache/$v$san-build" \
		--jobs="$jobs" --raw_output=$raw) | tee "$ktap"
	rc=${PIPESTATUS[0]}
	set -e
	# --raw_output does not make kunit.py fail on a failed test: check
	# that every suite ran and nothing failed
	for s in plan parse apply; do
		grep -Eq "^ok [0-9]+ (- )?pci_fixedbar_$s\$" "$ktap" || rc=1
	done
	if [[ -n $san ]] && ! san_check "$ktap"; then
		rc=1
	fi
	if ((rc)) || grep -q '^ *not ok' "$ktap"; then
		echo "kunit: linux-source-$v$san FAILED (${rc}; KTAP in $ktap)" >&2
		exit 1
	fi
	echo "kunit: linux-source-$v$san passed in $((SECONDS - start))s"
done
