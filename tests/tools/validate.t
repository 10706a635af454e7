#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-plan: every input-validation error is one line on stderr naming
# the JSON path, with exit status 2.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

gpu='.devices[2].bridge.devices[0].bridge.devices[0].bridge.devices[0]'
gpu_path='devices[2].bridge.devices[0].bridge.devices[0].bridge.devices[0]'
rp='.devices[2].bridge'

# invalid <jq filter> <expected message after "fixedbar-plan: FILE: ">
invalid() {
	local f
	f=$(mutate "$1")
	run "$f"
	status 2 "$2: exits 2"
	is "$err" "fixedbar-plan: $f: $2" "$2: the message"
	is "$out" "" "$2: nothing on stdout"
}

invalid '.version = 2' 'version: unsupported version 2'
invalid 'del(.version)' 'version: missing'
invalid '.version = "1"' 'version: expected an integer'
invalid '.segment = 65536' 'segment: out of range: 65536 (0..65535)'
invalid '.root_bus = -1' 'root_bus: out of range: -1 (0..255)'
invalid 'del(.apertures)' 'apertures: missing'
invalid '.devices = {}' 'devices: expected an array'
invalid '.apertures[0].type = "dma"' 'apertures[0].type: unknown type: "dma"'
invalid '.apertures[1].start = "80000000"' \
	'apertures[1].start: not a hex string: "80000000"'
invalid '.apertures[1].start = "0x8000000g"' \
	'apertures[1].start: not a hex string: "0x8000000g"'
invalid '.apertures[1].start = "0X80000000"' \
	'apertures[1].start: not a hex string: "0X80000000"'
invalid '.apertures[1].start = "0x"' 'apertures[1].start: not a hex string: "0x"'
invalid '.apertures[1].end = "0x10000000000000000"' \
	'apertures[1].end: does not fit in 64 bits: 0x10000000000000000'
invalid '.apertures[1].start = 2147483648' \
	'apertures[1].start: expected a hex string such as "0x1000"'
invalid '.apertures[1].end = "0x7fffffff"' \
	'apertures[1].end: 0x7fffffff below start 0x80000000'
invalid '.apertures[0].prefetchable = true' \
	'apertures[0].prefetchable: an io aperture cannot be prefetchable'
# overlapping apertures made the planner place two things at one address
# (fuzzing, a plan that failed its own validation)
invalid '.apertures[1].end = "0xc0000fff"' \
	'apertures[2]: overlaps apertures[1] (0x80000000-0xc0000fff)'
invalid '.apertures[3].start = "0xfe000000"' \
	'apertures[3]: overlaps apertures[2] (0xc0000000-0xfebfffff)'
invalid '.apertures += [.apertures[0]]' \
	'apertures[4]: overlaps apertures[0] (0x1000-0xffff)'
invalid '.devices[1].devfn = "20.0"' \
	'devices[1].devfn: expected "DD.F" (slot 00..1f, function 0..7)'
invalid '.devices[1].devfn = "01.8"' \
	'devices[1].devfn: expected "DD.F" (slot 00..1f, function 0..7)'
invalid '.devices[1].devfn = "1.0"' \
	'devices[1].devfn: expected "DD.F" (slot 00..1f, function 0..7)'
invalid 'del(.devices[1].devfn)' 'devices[1].devfn: missing'
invalid '.devices[1].devfn = "00.0"' \
	'devices[1].devfn: duplicate devfn 00.0 on this bus'
invalid '.devices[1].id = "1234-1111"' 'devices[1].id: expected "vvvv:dddd"'
invalid '.devices[1].id = "12345:111"' 'devices[1].id: expected "vvvv:dddd"'
invalid '.devices[1].pinned = "yes"' 'devices[1].pinned: expected true or false'
invalid '.devices[1].bars = {}' 'devices[1].bars: expected an array'
invalid "$gpu.bars[2].size = \"0x3000\"" \
	"$gpu_path.bars[2].size: not a power of two: 0x3000"
invalid "$gpu.bars[2].size = \"0x0\"" \
	"$gpu_path.bars[2].size: not a power of two: 0x0"
invalid "del($gpu.bars[2].size)" "$gpu_path.bars[2].size: missing"
invalid '.devices[1].bars[0].name = "bar6"' \
	'devices[1].bars[0].name: unknown bar name: "bar6"'
invalid '.devices[1].bars[0].name = 0' \
	'devices[1].bars[0].name: expected a string'
invalid '.devices[1].bars[1].name = "bar0"' \
	'devices[1].bars[1].name: duplicate bar: bar0'
invalid '.devices[1].bars[0].type = "memory"' \
	'devices[1].bars[0].type: unknown type: "memory"'
invalid '.devices[1].bars[0].count = 2' \
	'devices[1].bars[0].count: only vf bars have a count'
invalid '.devices[1].bars[0].mem64 = 1' \
	'devices[1].bars[0].mem64: expected true or false'
invalid "$rp.devices[0].bridge.devices[1].bridge.devices[0].bars[2].count = 0" \
	'devices[2].bridge.devices[0].bridge.devices[1].bridge.devices[0].bars[2].count: out of range: 0 (1..65535)'
invalid '.devices[3].bars[0].mem64 = true' \
	'devices[3].bars[0].mem64: an io bar cannot be 64-bit'
invalid '.devices[3].bars[0].prefetchable = true' \
	'devices[3].bars[0].prefetchable: an io bar cannot be prefetchable'
invalid '.devices[3].bars[1].mem64 = true' \
	'devices[3].bars[1].mem64: a 64-bit bar cannot start at bar5'
invalid "$gpu.bars += [{\"name\": \"bar3\", \"type\": \"mem\", \"size\": \"0x1000\"}]" \
	"$gpu_path.bars[3]: bar3 is the upper half of 64-bit bar2"
invalid '.devices[1].bars[1].address = "0xc1000800"' \
	'devices[1].bars[1].address: 0xc1000800 not aligned to size 0x1000'
vf="$rp.devices[0].bridge.devices[1].bridge.devices[0].bars[2]"
vf_path='devices[2].bridge.devices[0].bridge.devices[1].bridge.devices[0].bars[2]'
invalid "del($vf.count)" "$vf_path.count: missing (the number of VFs)"
invalid "$vf.size = \"0x8000000000000000\" | $vf.count = 2 | del($vf.address)" \
	"$vf_path.count: 2 VFs of size 0x8000000000000000 do not fit in 64 bits"
invalid '.devices[1].bars[1].address = "0x100000000"' \
	'devices[1].bars[1].address: 0x100000000: a bar that is not 64-bit ends below 4 GiB'
invalid '.devices[1].bars[1].address = "0xfffffffffffff000"' \
	'devices[1].bars[1].address: 0xfffffffffffff000: a bar that is not 64-bit ends below 4 GiB'
invalid '.devices[3].bars[0].address = "0x10000"' \
	'devices[3].bars[0].address: 0x10000: i/o bar ends beyond port 0xffff'
invalid "$rp.windows.io = [\"0x1000\"]" \
	'devices[2].bridge.windows.io: expected null or ["0xstart", "0xend"]'
invalid "$rp.windows.mem = [\"0xc1200000\", 5]" \
	'devices[2].bridge.windows.mem[1]: expected a hex string such as "0x1000"'
invalid "$rp.windows.mem = [\"0xc1200000\", \"0xc11fffff\"]" \
	'devices[2].bridge.windows.mem[1]: 0xc11fffff below start 0xc1200000'
invalid "$rp.io = false" \
	'devices[2].bridge.windows.io: the bridge has no io window'
invalid "$rp.io = false | $rp.windows.io = null | $rp.io_1k = true" \
	'devices[2].bridge.io_1k: set without an io window'
invalid "$rp.prefetchable = false" \
	'devices[2].bridge.prefetchable_64: set without a prefetchable window'
invalid "$rp.reserve.mem = \"2M\"" \
	'devices[2].bridge.reserve.mem: not a hex string: "2M"'
invalid "$rp.reserve = []" 'devices[2].bridge.reserve: expected an object'
invalid "$rp.devices = 1" 'devices[2].bridge.devices: expected an array'
invalid "$rp.devices[0].bridge = true" \
	'devices[2].bridge.devices[0].bridge: expected an object'
invalid '.fixed[0] = 3' 'fixed[0]: expected a descriptor entry string'
invalid '[.]' '(top): expected a topology object'

# optional fields the format does not define are allowed
f=$(mutate '.devices[1].comment = "kept" | .expect.note = "x"')
run "$f"
status 0 "unknown members are allowed"

printf '{"version": 1, "version": 1}' >"$tmp/dup.json"
run "$tmp/dup.json"
status 2 "duplicate members exit 2"
like "$err" "duplicate object key" "and say so"

done_testing
