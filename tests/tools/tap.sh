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
out=
err=
rc=

# shellcheck source=tests/tap.sh
. "$here/../tap.sh"

# a missing tool is a failure, never a silent skip
if [[ ! -x "$PLAN" ]]; then
	echo "Bail out! $PLAN not built"
	exit 1
fi

# the other two tools, for the tests that run them
# shellcheck disable=SC2034 # for the scripts that source this
HOST=${FIXEDBAR_HOST:-$here/../../build/san/fixedbar-host}
# shellcheck disable=SC2034
CHECK=${FIXEDBAR_CHECK:-$here/../../build/san/fixedbar-check}

# need TOOL...: bail out unless each is built
need() {
	local t

	for t in "$@"; do
		[[ -x $t ]] || { echo "Bail out! $t not built"; exit 1; }
	done
}

# run <args...>: runs the tool; sets out, err and rc
run() {
	"$PLAN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
}

# jq_is <filter> <want> <description> [jq args]: checks the last stdout
jq_is() {
	local filter=$1 want=$2 desc=$3

	shift 3
	is "$(jq -r "$filter" "$@" <<<"$out" 2>&1)" "$want" "$desc"
}

# ok_if DESCRIPTION COMMAND...: passes when COMMAND succeeds
ok_if() {
	local d=$1

	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
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

