#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-plan --from-sysfs against the fake q35 tree in fake-sysfs/
# (regenerate it with mkfake-sysfs.sh), and round trips through
# --dump-topology.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

rp='.devices[1]'
usp="$rp.bridge.devices[0]"
gpu="$usp.bridge.devices[0].bridge.devices[0]"
nic="$usp.bridge.devices[1].bridge.devices[0]"

run --from-sysfs="$fake_sysfs" --dump-topology
status 0 "--dump-topology of the fake tree exits 0"
is "$err" "" "nothing on stderr"
dump=$out
jq_is '[.version, .segment, .root_bus] | join(",")' 1,0,0 "header fields"
jq_is '[.apertures[] | .type + " " + .start + "-" + .end] | join(",")' \
	"io 0x0-0xcf7,io 0xd00-0xffff,mem 0xa0000-0xbffff,mem 0x80000000-0xafffffff,mem 0xc0000000-0xfebfffff,mem 0x7000000000-0x7fffffffff" \
	"apertures from the top-level PCI Bus 0000:00 entries"
jq_is '[.reserved[] | .type + " " + .start + "-" + .end + " " + .name] | join(",")' \
	"io 0x0-0x1f dma1,io 0x60-0x60 keyboard,mem 0xfd000000-0xfdffffff BOOTFB,mem 0x7f00000000-0x7fffffffff Reserved" \
	"claimed ranges: the nested lines below the root bus windows that name no device"
jq_is '[.devices[].devfn] | join(",")' "00.0,01.0,03.0" "root bus devices"
jq_is "$rp | [.id, .pinned, (.bridge.windows.io | join(\"-\"))] | join(\" \")" \
	"1b36:000c false 0x1000-0x1fff" "root port: pcieport does not pin"
jq_is "$rp.bridge | [.io, .prefetchable, .prefetchable_64] | join(\",\")" \
	true,true,true "root port windows from the resource file"
jq_is "$usp.bridge | [.io, .prefetchable_64, .windows.io] | tostring" \
	'[false,true,null]' "upstream port: no io window, 64-bit pref from config"
jq_is "$usp.bridge.devices[1].bridge | [.prefetchable, .windows.prefetchable] |
	tostring" '[true,null]' "an unprogrammed pref window from config"
jq_is "$gpu | [.id, (.bars[] | .name + \"@\" + (.address // \"-\"))] | join(\" \")" \
	"10de:2330 bar0@0xfe800000 bar2@0x7000000000 rom@-" "endpoint bars"
jq_is "$gpu.bars[1] | [.mem64, .prefetchable, .size] | join(\",\")" \
	true,true,0x40000000 "a 64-bit prefetchable bar"
jq_is "$nic.bars[1] | [.name, .size, .count, .address] | tostring" \
	'["vf0","0x100000",4,null]' "a vf bar: per-vf size and count"
jq_is '.devices[2] | [.pinned, .bars[0].type] | join(",")' true,io \
	"a bound driver pins its device"

run --from-sysfs="$fake_sysfs"
status 3 "planning the fake tree (no fixed BAR described) exits 3"
sysfs_plan=$out
jq_is '.result' ok "result is ok"

printf '%s\n' "$dump" >"$tmp/dump.json"
run "$tmp/dump.json"
is "$out" "$sysfs_plan" "round trip: the dumped topology plans the same"
run --dump-topology "$tmp/dump.json"
is "$out" "$dump" "round trip: dumping the dump changes nothing"

run --from-sysfs="$fake_sysfs" --root 0000:00 -t
status 3 "--root 0000:00 -t exits 3 (no fixed BAR described)"
like "$(tail -n 1 <<<"$out")" " resources, " "the table has a summary"

run --from-sysfs="$fake_sysfs" --root 0000:01
status 2 "a root bus that does not exist exits 2"
like "$err" "fixedbar-plan: " "with a message"

run --from-sysfs="$fake_sysfs" --root zz
status 2 "a malformed --root exits 2"

run --from-sysfs="$tmp/nowhere"
status 2 "a missing sysfs tree exits 2"

g=0000:00:01.0/00.0/00.0/00.0
run --from-sysfs="$fake_sysfs" --map "$g=bar2@0x7040000000"
status 0 "--map with --from-sysfs"
jq_is ".resources[] | select(.device == \"$g\" and .name == \"bar2\") |
	.start" 0x7040000000 "the mapped bar moves to its address"
run --from-sysfs="$fake_sysfs" --map "$g=bar2@0x7040000000" --dump-topology
jq_is '.fixed | join(";")' "$g=bar2@0x7040000000" \
	"the dump carries the --map entries"

# the JSON fixture round-trips as well
q35=$fixtures/q35-switch.json
# Device-tree host bridges name their windows after the node, not "PCI Bus"
dt_sysfs=$tmp/dt-sysfs
cp -r "$fake_sysfs" "$dt_sysfs"
sed -i 's/PCI Bus 0000:00$/pcie@10000000/' "$dt_sysfs/proc/iomem" \
	"$dt_sysfs/proc/ioports"
run --from-sysfs="$dt_sysfs" --dump-topology
status 0 "--dump-topology of a device-tree-style tree exits 0"
printf '%s\n' "$out" >"$tmp/dt-dump.json"
is "$(jq -c .apertures "$tmp/dt-dump.json")" "$(printf '%s\n' "$dump" | jq -c .apertures)" \
	"apertures named after the host bridge node (pcie@...) are found too"

# Hotplug ports: the config space's Hot-Plug Capable bit, or (ACPI hotplug,
# acpiphp) a slot of sys/bus/pci/slots on the bus below the port that a
# hotplug driver registered (it has a "power" file), as the module counts
# them; the bus below from the port's pci_bus/ entry, else its config space
hp_sysfs=$tmp/hp-sysfs
cp -r "$fake_sysfs" "$hp_sysfs"
slots=$hp_sysfs/sys/bus/pci/slots
devs=$hp_sysfs/sys/bus/pci/devices
mkdir -p "$slots/1" "$slots/5" "$slots/6" "$devs/0000:02:00.0/pci_bus/0000:03" \
	"$devs/0000:02:01.0/pci_bus/0000:04"
# 00:01.0: no pci_bus/ entry, Secondary Bus Number 1 in its config space
printf '\x01' | dd of="$devs/0000:00:01.0/config" bs=1 seek=$((0x19)) conv=notrunc status=none
echo 0000:01:00 >"$slots/1/address"
echo 0 >"$slots/1/power"
echo 0000:04:00 >"$slots/5/address"
echo 1 >"$slots/5/power"
# a slot no hotplug driver registered (pci_slot's, from ACPI _SUN): not one
echo 0000:03:00 >"$slots/6/address"
run --from-sysfs="$hp_sysfs" --dump-topology
status 0 "--dump-topology of a tree with hotplug slots exits 0"
jq_is "[$rp, $usp, $usp.bridge.devices[0], $usp.bridge.devices[1]] |
	map(.bridge.hotplug // false) | join(\",\")" true,false,false,true \
	"ports with a registered slot on the bus below are hotplug, not the others"
run --from-sysfs="$fake_sysfs" --dump-topology
jq_is "[$rp, $usp.bridge.devices[1]] | map(.bridge.hotplug // false) | join(\",\")" \
	false,false "without the slots, neither port is hotplug"

run "$q35"
plan=$out
run --dump-topology "$q35"
printf '%s\n' "$out" >"$tmp/q35-dump.json"
run "$tmp/q35-dump.json"
is "$out" "$plan" "round trip of the JSON fixture plans the same"

done_testing
