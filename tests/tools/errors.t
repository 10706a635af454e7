#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The three tools fail alike: a usage or input error exits 2 at once, and
# every line it writes to standard error starts with the program's name
# (so a log or a script can tell who spoke); nothing waits on a terminal.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

need "$HOST" "$CHECK"

# fails PROG DESC ARGS...: exit 2, stderr not empty and every line prefixed
fails() {
	local prog=$1 desc=$2 bin bad
	shift 2
	case $prog in
	fixedbar-plan) bin=$PLAN ;;
	fixedbar-host) bin=$HOST ;;
	fixedbar-check) bin=$CHECK ;;
	esac
	timeout 10 "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(<"$tmp/err")
	status 2 "$prog: $desc: exit 2"
	bad=$(grep -vc "^$prog: " "$tmp/err")
	if [[ -s $tmp/err && $bad == 0 ]]; then
		pass "$prog: $desc: every stderr line starts with '$prog: '"
	else
		fail "$prog: $desc: every stderr line starts with '$prog: '"
		diag "stderr: $err"
	fi
}

for p in fixedbar-plan fixedbar-host fixedbar-check; do
	fails "$p" "an unknown option" --no-such-option
	fails "$p" "an unknown short option" -Z
done
fails fixedbar-plan "a missing file" "$tmp/missing.json"
fails fixedbar-plan "two topologies" "$fixtures/q35-switch.json" "$fixtures/q35-switch.json"
fails fixedbar-plan "malformed JSON" "$(printf '{' >"$tmp/bad.json"; echo "$tmp/bad.json")"
# a plan that cannot be made: exit 1, the JSON on stdout, why on stderr
jq '.fixed = ["0000:00:02.0/00.0/00.0/00.0=bar2@0x7040000000,bar4@0x7040000000"]' \
	"$fixtures/q35-switch.json" >"$tmp/noplan.json"
"$PLAN" "$tmp/noplan.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
err=$(<"$tmp/err")
status 1 "fixedbar-plan: no plan: exit 1"
is "$err" "fixedbar-plan: no plan: $(jq -r .message "$tmp/out")" "fixedbar-plan: no plan: the JSON's message on stderr, prefixed"

fails fixedbar-host "no devices" --sysfs "$tmp"
fails fixedbar-host "a malformed BDF" --sysfs "$tmp" zz:zz
fails fixedbar-check "a malformed -m entry" --sysfs "$tmp" -m "0000:00:01.0=bar9@0x1"
fails fixedbar-check "a malformed -s" -s 1:2:3:4
fails fixedbar-check "a stray argument" extra
fails fixedbar-check "no sysfs" --sysfs "$tmp/none" --proc "$tmp" -m "0000:00:01.0=bar0@0x1000"

done_testing
