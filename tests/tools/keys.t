#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs/json-keys.md: the three tools name the same things with the same
# JSON keys; a resource of a plan, a row of fixedbar-check and a device of
# fixedbar-host all carry the keys the document promises, with the same
# kind of value (hex strings for addresses and sizes).

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

need "$HOST" "$CHECK"

# has JSON FILTER KEYS DESC: the object FILTER selects has every key
has() {
	is "$(jq -r --arg k "$3" "$2"' | [($k | split(" "))[] as $x | select(has($x) | not) | $x] | join(" ")' <<<"$1" 2>&1)" "" "$4"
}
hexes='[.. | objects | (.start, .end, .size, .wanted) | select(. != null)] | map(select(type != "string" or (test("^0x[0-9a-f]+$") | not))) | length'

plan=$("$PLAN" "$fixtures/q35-switch.json")
has "$plan" '.resources[0]' "device name start end size moved fixed" "plan: a resource's keys"
is "$(jq -r '[.resources[] | select(.fixed) | .device + " " + .name] | join(",")' <<<"$plan")" \
	"0000:00:02.0/00.0/00.0/00.0 bar2,0000:00:02.0/00.0/00.0/00.0 bar4" "plan: fixed marks the descriptor's BARs"
bad=0
while read -r a b z; do
	((b - a + 1 == z)) || bad=$((bad + 1))
done < <(jq -r '.resources[] | select(.start != null) | "\(.start) \(.end) \(.size)"' <<<"$plan")
is "$bad" 0 "plan: size is end - start + 1 for every assigned resource"
is "$(jq "$hexes" <<<"$plan")" 0 "plan: addresses and sizes are hex strings"

fake=$here/fake-sysfs
check=$("$CHECK" --sysfs "$fake/sys" --proc "$fake/proc" -m "0000:00:03.0=bar1@0xfea01000" -j)
has "$check" '.bars[0]' "device name bdf start end size wanted status resource" "check: a row's keys"
is "$(jq -r '.bars[0] | [.device, .name, .bdf, .start, .size] | join(" ")' <<<"$check")" \
	"0000:00:03.0 bar1 0000:00:03.0 0xfea01000 0x1000" "check: the row's values"
is "$(jq "$hexes" <<<"$check")" 0 "check: addresses and sizes are hex strings"

"$here/mkhost-sysfs.sh" "$tmp/host" >/dev/null
host=$("$HOST" --sysfs "$tmp/host" -q -f json 24:00.0)
has "$host" '.devices[0]' "device bdf host guest bars" "host: a device's keys"
has "$host" '.devices[0].bars[0]' "name start end size" "host: a BAR's keys"
is "$(jq -r '.devices[0] | [.device == .guest, .bdf == .host] | map(tostring) | join(" ")' <<<"$host")" \
	"true true" "host: device and bdf are the guest path and the host BDF"
is "$(jq "$hexes" <<<"$host")" 0 "host: addresses and sizes are hex strings"

done_testing
