#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-fuzz: runs every file of tests/fuzz/corpus/<name> and
# tests/fuzz/regress/<name> once through $FUZZ_BIN/fuzz_<name> (libFuzzer
# runs the inputs it is given and stops).  regress/<name>-pending/ holds
# inputs of known bugs not fixed yet: they are TODO tests, reported but not
# failing, and a TODO that passes says the bug is gone.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${FUZZ_BIN:-$here/../../build/fuzz}

# shellcheck source=tests/tap.sh
. "$here/../tap.sh"

# replay <name> <dir> [TODO reason]
replay() {
	local name=$1 dir=$2 todo=${3:-} files log rc
	local desc="$name: ${dir#"$here"/} replays"

	mapfile -t files < <(find "$dir" -type f | LC_ALL=C sort)
	((${#files[@]})) || return 0
	log=$("$bin/fuzz_$name" -runs=1 "${files[@]}" 2>&1)
	rc=$?
	if [[ -n "$todo" ]]; then
		# a TODO never fails the run, whatever it gives
		tap_n=$((tap_n + 1))
		if ((rc == 0)); then
			echo "ok $tap_n - $desc # TODO $todo (passes now)"
		else
			echo "not ok $tap_n - $desc # TODO $todo"
		fi
	elif ((rc == 0)); then
		pass "$desc (${#files[@]} inputs)"
	else
		fail "$desc"
		diag "$(tail -n 40 <<<"$log")"
	fi
}

for name in parse json aml; do
	if [[ ! -x "$bin/fuzz_$name" ]]; then
		echo "Bail out! $bin/fuzz_$name not built"
		exit 1
	fi
	replay "$name" "$here/corpus/$name"
	[[ -d "$here/regress/$name" ]] && replay "$name" "$here/regress/$name"
	# one test per known bug
	for f in "$here/regress/$name-pending"/*; do
		[[ -f "$f" ]] && replay "$name" "$f" "known bug, see README"
	done
done
done_testing
