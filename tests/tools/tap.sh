# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# A little TAP for the fixedbar-plan CLI tests; sourced by each *.t.
# FIXEDBAR_PLAN names the binary (make check-tools: the sanitizer build).

set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixtures=$here/fixtures
# shellcheck disable=SC2034 # for the scripts that source this
fake_sysfs=$here/fake-sysfs
PLAN=${FIXEDBAR_PLAN:-$here/../../build/san/fixedbar-plan}
# a sanitizer report must never pass for a planner result (exit 1)
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=99:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=98:print_stacktrace=1}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tap_n=0
tap_failed=0
out=
err=
rc=

if [[ ! -x "$PLAN" ]]; then
	echo "1..0 # SKIP $PLAN not built"
	exit 0
fi

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

# run <args...>: runs the tool; sets out, err and rc
run() {
	"$PLAN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
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
		diag "got:  $1" "want: ...$2..."
	fi
}

# jq_is <filter> <want> <description> [jq args]: checks the last stdout
jq_is() {
	local filter=$1 want=$2 desc=$3

	shift 3
	is "$(jq -r "$filter" "$@" <<<"$out" 2>&1)" "$want" "$desc"
}

# status <want rc> <description>: also shows stderr when it differs
status() {
	is "$rc" "$1" "$2"
	[[ "$rc" == "$1" ]] || diag "stderr: $err"
}

# mutate <jq filter> [file]: writes a modified fixture, prints its path
mutate() {
	local f
	f=$(mktemp -p "$tmp" XXXXXX.json)
	jq "$1" "${2:-$fixtures/q35-switch.json}" >"$f"
	echo "$f"
}

done_testing() {
	echo "1..$tap_n"
	((tap_failed == 0))
}
