#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016 # $names inside jq programs are jq's
#
# fixedbar-plan: options, exit codes, the JSON and table outputs, and the
# error results of the planner.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

q35=$fixtures/q35-switch.json
gpu=0000:00:02.0/00.0/00.0/00.0
nic=0000:00:02.0/00.0/01.0/00.0

run --help
status 0 "--help exits 0"
like "$out" "usage: fixedbar-plan" "--help prints the usage"

run -V
status 0 "-V exits 0"
like "$out" "format version 1" "-V names the format version"

run --no-such-option "$q35"
status 2 "an unknown option is a usage error"
like "$err" "fixedbar-plan: unrecognized option '--no-such-option'" \
	"getopt's message names the program, not the path it ran from"

run "$tmp/missing.json"
status 2 "a missing file exits 2"
like "$err" "fixedbar-plan: $tmp/missing.json: No such file" \
	"the message names the program and the file"

run "$q35" "$q35"
status 2 "two topologies are a usage error"

run --root 0000:00 "$q35"
status 2 "--root needs --from-sysfs"

# no topology and a terminal on standard input: no silent wait
out=$(timeout 10 script -qec "$PLAN" /dev/null </dev/null 2>&1)
rc=$?
status 2 "no topology on a terminal exits 2 at once"
is "$(tr -d '\r' <<<"$out")" "fixedbar-plan: no topology: standard input is a terminal; give a file, --from-sysfs or pipe one in (see fixedbar-plan --help)" \
	"no topology on a terminal: one line saying so"
out=$(timeout 10 script -qec "$PLAN -" /dev/null </dev/null 2>&1)
rc=$?
status 2 "'-' on a terminal exits 2 at once too"

# nothing described: the plan, exit 3
run "$here/../fixtures/ok-no-fixed.json"
status 3 "a topology without fixed BARs exits 3"
jq_is .result ok "without fixed BARs the plan is still printed"

# a plan
run "$q35"
status 0 "a plan that fits exits 0"
is "$err" "" "nothing on stderr"
jq_is '.version' 1 "version is 1"
jq_is '.result' ok "result is ok"
jq_is '(.resources | length) as $n | [.resources[] | select(has("device") and
	has("name") and has("start") and has("end") and
	(.moved | type == "boolean"))] | length == $n' true "every resource has the spec's fields"
jq_is ".resources[] | select(.device == \"$gpu\" and .name == \"bar2\") |
	.start + \"-\" + .end" 0x7040000000-0x707fffffff \
	"fixed bar2 sits at its address"
jq_is ".resources[] | select(.device == \"$gpu\" and .name == \"bar4\") |
	.start" 0x7002000000 "fixed bar4 sits at its address"
jq_is '.resources[] | select(.device == "0000:00:01.0" and .name == "bar0") |
	.start + " " + (.moved | tostring)' "0xc0000000 false" \
	"a pinned device stays"
jq_is '[.resources[] | .start, .end | select(. != null) |
	test("^0x[0-9a-f]+$")] | all' true "addresses are 0x hex strings"
jq_is '[.resources[].device] | unique | length' 8 \
	"every device with a bar or window is listed"
jq_is '[.resources[] | select(.device == "0000:00:02.0/00.0") | .name] |
	join(",")' "window.io,window.mem,window.prefetchable" \
	"windows are listed in order"

plan=$out
run - <"$q35"
is "$out" "$plan" "'-' reads standard input"
run <"$q35"
is "$out" "$plan" "no file reads standard input"
run -o "$tmp/plan.json" "$q35"
status 0 "-o exits 0"
is "$out" "" "-o leaves stdout empty"
is "$(<"$tmp/plan.json")" "$plan" "-o writes the plan"

# the table
run -t "$q35"
status 0 "-t exits 0"
like "$out" "resources, " "-t ends with a summary"
like "$(tail -n 1 <<<"$out")" ", 2 fixed" "the summary counts the fixed bars"
like "$(grep "^$gpu .* bar2 " <<<"$out")" \
	"-> [mem 0x7040000000-0x707fffffff 64bit pref] moved fixed" \
	"a fixed bar line shows the new range and markers"
like "$(grep "^  0000:00:02.0 .*window.mem" <<<"$out")" "[1b36:000c]" \
	"windows are indented under their bridge"
like "$(grep "^$nic .* bar0 " <<<"$out")" " unassigned " \
	"an unassigned bar reads unassigned"

# error results: exit 1 and the error document
expect_error() {
	local name=$1 entry=$2
	shift 2
	run "$@"
	status 1 "$name: exits 1"
	jq_is '.result' error "$name: result is error"
	jq_is '.error' "$name" "$name: errno name"
	jq_is '.message | length > 0 and (test("\n") | not)' true \
		"$name: a one-line message"
	if [[ -n "$entry" ]]; then
		jq_is '.entries | index($ARGS.positional[0]) != null' true \
			"$name: names the entry" --args "$entry"
	fi
}

expect_error ENODEV "0000:00:09.0=bar0@0x80000000" \
	--map "0000:00:09.0=bar0@0x80000000" "$q35"
expect_error EINVAL "$gpu=bar2@0x7040001000" \
	--map "$gpu=bar2@0x7040001000" "$q35"
expect_error EBUSY "" --map "$nic=bar0@0x7040000000" "$q35"
expect_error EINVAL "garbage" --map "garbage" "$q35"
expect_error EINVAL "" --map "$gpu=bar2@0x7080000000" "$q35"
expect_error ENOSPC "" "$(mutate '.devices[2].bridge.devices[0].bridge
	.devices[0].bridge.devices[0].bars[0].size = "0x80000000"')"
expect_error EOPNOTSUPP "" "$(mutate '.devices[2].bridge.prefetchable_64 =
	false')"

odd="a\"b\\"
run --map "$odd" "$q35"
status 1 "a malformed entry with quotes exits 1"
jq_is '.entries[0]' "$odd" "strings are escaped in the JSON output"

run -o "$tmp/no/such/dir/plan.json" "$q35"
status 2 "an unwritable -o exits 2"

run -t --map "0000:00:09.0=bar0@0x80000000" "$q35"
status 1 "-t with an error exits 1"
like "$out" "error: ENODEV: " "-t prints the error"
like "$out" "  entry 0000:00:09.0=bar0@0x80000000" "-t prints the entry"

run --map "$gpu=bar2@0x7040000000; $gpu=bar4@0x7002000000" "$q35"
status 0 "--map entries agreeing with the fixed list merge"

# malformed JSON
printf '{"version": 1,\n "apertures": [}\n' >"$tmp/bad.json"
run "$tmp/bad.json"
status 2 "malformed JSON exits 2"
like "$err" "fixedbar-plan: $tmp/bad.json: line 2 column" \
	"the message gives the line"
is "$out" "" "nothing on stdout"

done_testing
