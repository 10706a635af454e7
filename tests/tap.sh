# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The TAP helpers every bash test shares; sourced by tests/tools/tap.sh and
# tests/e2e/lib.sh (and through it by tests/arm64 and tests/boot).

tap_n=0
tap_failed=0

diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

pass() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

fail() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}

# is <got> <want> <description>
is() {
	if [[ "$1" == "$2" ]]; then
		pass "$3"
	else
		fail "$3"
		diag "got:  $1" "want: $2"
	fi
}

# like <got> <substring> <description>
like() {
	if [[ "$1" == *"$2"* ]]; then
		pass "$3"
	else
		fail "$3"
		diag "got:  $(head -c 2000 <<<"$1")" "want: ...$2..."
	fi
}

done_testing() {
	echo "1..$tap_n"
	((tap_failed == 0))
}
