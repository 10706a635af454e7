#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the pci_fixedbar KUnit suites on UML with tools/testing/kunit/kunit.py
# from Debian's linux-source packages.
#
# usage: scripts/kunit.sh [version...]     versions: 6.1 6.12 (default both)
#
# Each source tarball is extracted once into $FIXEDBAR_KUNIT_CACHE/<ver>-src
# and built in $FIXEDBAR_KUNIT_CACHE/<ver>-build, so reruns are incremental.
# The suites, planner/ and the pure parts of module/ are copied into
# drivers/misc/pci_fixedbar_kunit for the run.  FIXEDBAR_PLANNER_DIR
# replaces planner/ (to show that a broken planner rule fails the run).
# .kunitconfig adds KASAN, UBSAN, lockdep (PROVE_LOCKING) and fault
# injection.  The console is printed and kept in <cache>/<ver>.ktap; a
# failed test, a missing suite, or any sanitizer, lockdep, WARN or BUG
# report in the console makes the script fail.

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${FIXEDBAR_KUNIT_CACHE:-/var/cache/pci_fixedbar/kunit}
planner=${FIXEDBAR_PLANNER_DIR:-$top/planner}
jobs=${FIXEDBAR_KUNIT_JOBS:-2}
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
	for f in apply.c snapshot.c claimed.c source.c fixedbar_mod.h compat.h; do
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

# what KASAN, UBSAN, lockdep and the rest print when they find something
reports='BUG:|WARNING:|UBSAN:|KASAN:|Kernel panic|Oops|Call Trace:|'
reports+='possible (circular|recursive) locking|lock held when returning'

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
	set +e
	(cd "$src" && python3 tools/testing/kunit/kunit.py run --arch=um \
		--kunitconfig="$top/kunit/.kunitconfig" \
		--build_dir="$cache/$v-build" --jobs="$jobs" --raw_output=all) |
		tee "$cache/$v.ktap"
	rc=${PIPESTATUS[0]}
	set -e
	# --raw_output does not make kunit.py fail on a failed test: check
	# that every suite ran and nothing failed
	for s in plan parse apply; do
		grep -Eq "^ok [0-9]+ (- )?pci_fixedbar_$s\$" "$cache/$v.ktap" || rc=1
	done
	# .kunitconfig builds with KASAN, UBSAN and lockdep and the output is
	# the whole console (--raw_output=all): any report of theirs, WARN,
	# BUG, oops or stack dump fails the run even if every test passed.
	# The lockdep banner shows the log is the console, not KTAP alone.
	grep -q 'Lock dependency validator' "$cache/$v.ktap" || {
		echo "kunit: linux-source-$v: no lockdep banner: not the whole console, or lockdep off" >&2
		rc=1
	}
	if grep -E "$reports" "$cache/$v.ktap"; then
		echo "kunit: linux-source-$v: a sanitizer, lockdep, WARN or BUG report above" >&2
		rc=1
	fi
	if ((rc)) || grep -q '^ *not ok' "$cache/$v.ktap"; then
		echo "kunit: linux-source-$v FAILED (${rc}; KTAP in $cache/$v.ktap)" >&2
		exit 1
	fi
	echo "kunit: linux-source-$v passed in $((SECONDS - start))s"
done
