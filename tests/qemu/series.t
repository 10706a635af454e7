#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The QEMU series as a maintainer receives it, no build needed: every patch
# is clean under the QEMU source tree's own scripts/checkpatch.pl, has an
# author that is not the old placeholder and that author's Signed-off-by,
# and the series stays within its line budget: at most 300 changed lines
# (insertions + deletions) of code, the qtest and its MAINTAINERS and
# meson lines counted apart.  QEMU_SERIES=7.2 (default: Debian 12's QEMU,
# qemu-minimal-patches/) or sid (qemu-minimal-patches/sid/, the source
# package Debian sid ships).

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"

code_max=300
test_max=80
case ${QEMU_SERIES:-7.2} in
7.2) dir=$top/qemu-minimal-patches fetch=fetch-source.sh ;;
sid) dir=$top/qemu-minimal-patches/sid fetch=fetch-sid-source.sh ;;
*) echo "Bail out! QEMU_SERIES is 7.2 or sid" && exit 1 ;;
esac
srcdir=$("$top/scripts/$fetch" qemu | sed -n 's/^SRCDIR=//p')
[[ -x $srcdir/scripts/checkpatch.pl ]] || { echo "Bail out! no checkpatch.pl in '$srcdir'"; exit 1; }
mapfile -t patches < <(find "$dir" -maxdepth 1 -name '*.patch' | sort)
((${#patches[@]} == 5)) || fail "5 patches in $dir, not ${#patches[@]}"

for p in "${patches[@]}"; do
	name=$(basename "$p")
	out=$(cd "$srcdir" && perl scripts/checkpatch.pl "$p" 2>&1)
	like "$out" "total: 0 errors, 0 warnings" "$name: checkpatch.pl clean" ||
		diag "$(grep -E -A3 '^(ERROR|WARNING)' <<<"$out" | head -20)"
	# the From: header, unfolded
	author=$(awk '/^From: / { a = substr($0, 7); f = 1; next }
		f && /^[ \t]/ { sub(/^[ \t]+/, " "); a = a $0; next } { f = 0 }
		/^$/ { print a; exit }' "$p")
	if [[ -n $author && $author != *localhost* ]] &&
		grep -qxF "Signed-off-by: $author" "$p"; then
		pass "$name: author $author, and Signed-off-by: the author"
	else
		fail "$name: an author and the author's Signed-off-by"
		diag "From: $author"
	fi
	body=$(sed -n '/^Subject:/,/^---$/p' "$p" | sed '1d;$d' | grep -c .)
	if ((body >= 8)); then
		pass "$name: a commit message of $body lines"
	else
		fail "$name: a real commit message (why, what, how the guest uses it), not $body lines"
	fi
done

# lines changed per file, from the diffs themselves: tests/ and
# MAINTAINERS are the test's, the rest is code
read -r code tests < <(awk '
	FNR == 1 { f = "" }
	/^diff --git / { f = $3; sub(/^a\//, "", f); next }
	/^(\+\+\+|---) / { next }
	/^[-+]/ && f != "" { if (f ~ /^tests\// || f == "MAINTAINERS") t++; else c++ }
	END { print c + 0, t + 0 }' "${patches[@]}")
stat=$(sed -n 's/^ [0-9]* files\? changed, \([0-9]*\) insertions\?(+)\(, \([0-9]*\) deletions\?(-)\)\?/\1 \3/p' \
	"${patches[@]}" | awk '{ n += $1 + $2 } END { print n + 0 }')
is "$((code + tests))" "$stat" "the per-file count agrees with the diffstats ($stat lines)"
diag "series $(basename "$dir"): ${#patches[@]} patches, $code code lines + $tests test lines = $stat changed"
ok=$((code <= code_max))
is "$ok" 1 "code: $code changed lines, at most $code_max"
ok=$((tests <= test_max))
is "$ok" 1 "qtest: $tests changed lines, at most $test_max"
is "$(grep -h -c -e '^+++ b/tests/qtest/fixed-bars-test.c' -e "^+.*'fixed-bars-test'" \
	"${patches[@]}" | awk '{ n += $1 } END { print n }')" 3 \
	"the series adds tests/qtest/fixed-bars-test.c and puts it in qtests_x86_64 and qtests_aarch64"
done_testing
