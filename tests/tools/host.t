#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2016 # $names inside jq programs are jq's
#
# fixedbar-host against the fake host tree of mkhost-sysfs.sh: options and
# exit codes, the guest topology it proposes, every check, and each output
# checked by its consumer: iasl (ASL, AML round trip), dtc/fdtoverlay
# (overlay on a dumped virt DTB), fixedbar-plan (map entries on the guest
# topology), QEMU's own option parser and its q35 64-bit hole.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

HOST=${FIXEDBAR_HOST:-$here/../../build/san/fixedbar-host}
if [[ ! -x "$HOST" ]]; then
	echo "Bail out! $HOST not built"
	exit 1
fi
for t in iasl dtc fdtoverlay fdtget jq qemu-system-x86_64 qemu-system-aarch64; do
	if ! command -v "$t" >/dev/null; then
		echo "Bail out! $t not installed (scripts/install-deps.sh host)"
		exit 1
	fi
done

sysfs=$tmp/sys
"$here/mkhost-sysfs.sh" "$sysfs"

# h <args...>: runs fixedbar-host on the fake tree; sets out, err and rc
h() {
	"$HOST" --sysfs "$sysfs" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
}

# check_fails <what> <args...>: exit 1 and one line naming <what>
check_fails() {
	local what=$1
	shift
	h "$@"
	status 1 "$*: a failed check exits 1"
	like "$err" "$what" "$*: the message"
	is "$out" "" "$*: nothing on stdout"
}

# usage_fails <what> <args...>: exit 2 and one line naming <what>
usage_fails() {
	local what=$1
	shift
	h "$@"
	status 2 "$*: exits 2"
	like "$err" "fixedbar-host: $what" "$*: the message"
	is "$(wc -l <<<"$err")" 1 "$*: one line"
}

gpu=0000:17:00.0
audio=0000:17:00.1
nic=0000:18:00.0

### options and usage errors

h --help
status 0 "--help exits 0"
like "$out" "usage: fixedbar-host" "--help prints the usage"
like "$out" "Exit status: 0 ok, 1 a check failed, 2 usage or input error, 3 no BAR" \
	"--help documents the exit codes"
h -V
status 0 "-V exits 0"
like "$out" "fixedbar-host (pci_fixedbar)" "-V prints the version"

usage_fails "no devices given" -q
h --no-such-option $gpu
status 2 "an unknown option exits 2"
usage_fails "--format: 'xml' is none of" -f xml $gpu
usage_fails "--machine: 'pc' is neither q35 nor virt" -m pc $gpu
usage_fails "--guest-ram: '16X'" -r 16X $gpu
usage_fails "--guest-ram: '0'" -r 0 $gpu
usage_fails "--guest-ram: '0x400B'" -r 0x400B $gpu
usage_fails "--guest-ram: '257T'" -r 257T $gpu
usage_fails "$gpu=0000:00:1f.7/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0: guest path '0000:00:1f.7/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0' is deeper than 8 levels" \
	"$gpu=0000:00:1f.7/00.0/00.0/00.0/00.0/00.0/00.0/00.0/00.0"
usage_fails "--first-slot: '0x20'" --first-slot 0x20 $gpu
usage_fails "--ports-per-slot: '9'" --ports-per-slot 9 $gpu
usage_fails "--acpi-name: 'fx'" --acpi-name fx $gpu
usage_fails "--cpu: 'max,pmu=on'" --cpu max,pmu=on $gpu
usage_fails "--format dts: a device tree is for --machine virt" -f dts $gpu
usage_fails "'zz:00.0' is not a host device" zz:00.0
usage_fails "'0000:17:20.0' is not a host device" 0000:17:20.0
usage_fails "0000:33:00.0: no such device in $sysfs/bus/pci/devices" 33:00.0
usage_fails "$gpu: given twice" $gpu 17:00.0:bar1
usage_fails "17:00.0:bar9: 'bar9' is no BAR (bar0..bar5; the ROM and VF BARs cannot be fixed)" \
	17:00.0:bar9
usage_fails "17:00.0:rom: 'rom' is not a BAR list" 17:00.0:rom
usage_fails "$gpu: bar2 is the upper half of 64-bit bar1 [mem 0x38000000000-0x38fffffffff 64bit pref]; name bar1" \
	17:00.0:bar2
usage_fails "$gpu: bar5 [io  0xb000-0xb07f] is an I/O BAR; only memory BARs can be fixed" \
	17:00.0:bar5
usage_fails "$audio: bar1 is not implemented (size 0)" 17:00.1:bar1
usage_fails "0000:27:00.0: $sysfs/bus/pci/devices/0000:27:00.0/resource line 1 is not 'start end flags': 'garbage'" \
	27:00.0
usage_fails "$gpu=0000:01:10.0/00.0: guest path '0000:01:10.0/00.0': the guest's root bus is 0000:00" \
	"$gpu=0000:01:10.0/00.0"
usage_fails "$gpu=0000:00:10.0/x: guest path '0000:00:10.0/x' is not" \
	"$gpu=0000:00:10.0/x"
usage_fails "$gpu=0000:00:05.0/01.0: guest path 0000:00:05.0/01.0: below a root port a device sits at slot 00" \
	"$gpu=0000:00:05.0/01.0"
usage_fails "$gpu and $nic: both at guest path 0000:00:05.0" \
	"$gpu=0000:00:05.0" "$nic=0000:00:05.0"
usage_fails "$gpu=0000:00:05.0: guest path 0000:00:05.0 is a bridge above $nic" \
	"$gpu=0000:00:05.0" "$nic=0000:00:05.0/00.0/00.0"
usage_fails "no free pcie.0 slot for another root port (slots 0x1e-0x1e)" \
	--first-slot 0x1e $gpu $nic
h -f map 28:00.0
status 3 "nothing to fix exits 3"
is "$err" "fixedbar-host: no BAR to fix, so no map to write" "nothing to fix: the message"
usage_fails "$tmp/no/such: No such file or directory" -o "$tmp/no/such" $gpu

### the proposed topology and the qemu format (q35, 16 GiB)

# hole64: starts at 4G + (16G - 2G below 4 GiB) = 18G; the highest fixed
# BAR ends at 0x39005ffffff, so it must reach 0x39040000000: 3631G;
# 0x39040000000 needs 42 address bits
h $gpu $audio $nic
status 0 "GPU, its audio function and a NIC: exit 0"
is "$out" "-cpu host,phys-bits=42
-global q35-pcihost.pci-hole64-size=3631G
-device pcie-root-port,id=fxrp10,bus=pcie.0,addr=0x10.0x0,chassis=200,slot=0
-device pcie-root-port,id=fxrp11,bus=pcie.0,addr=0x11.0x0,chassis=201,slot=1,io-reserve=0
-device vfio-pci,host=$gpu,bus=fxrp10,addr=0x0.0x0,multifunction=on
-device vfio-pci,host=$audio,bus=fxrp10,addr=0x0.0x1
-device vfio-pci,host=$nic,bus=fxrp11,addr=0x0.0x0" \
	"the qemu options: window, phys-bits, one root port per card, functions kept"
like "$err" "note: $gpu bar5 [io  0xb000-0xb07f]: an I/O BAR cannot be fixed; the guest places it" \
	"an I/O BAR is skipped with a note"
like "$err" "note: $gpu rom [mem size 0x80000]: an expansion ROM cannot be fixed" \
	"the ROM is skipped with a note"
like "$err" "note: $nic VF BAR 0 [mem 0x39006000000-0x390063fffff 64bit pref]: SR-IOV VF BARs cannot be fixed" \
	"VF BARs are skipped with a note"
like "$err" "note: assuming 16G of guest RAM (--guest-ram)" \
	"the RAM assumption is stated"
like "$err" "give the guest the descriptors too" \
	"unpatched QEMU: the descriptors are needed too"
qemu_q35=$out
like "$err" "note: assuming SeaBIOS firmware (--firmware ovmf for UEFI guests)" \
	"the firmware assumed is stated (SeaBIOS)"

# OVMF: its aperture is ALIGN_UP(end of RAM 18G, size), of that size; the
# first power of two holding 0x38000000000-0x39005ffffff is 2T at 2T, and
# phys-bits 43 (the hole from 2T) keeps 2T >= an eighth of the space
h --firmware ovmf $gpu $audio $nic
status 0 "--firmware ovmf exits 0"
like "$out" "-cpu host,phys-bits=43
-global q35-pcihost.pci-hole64-size=3631G
-fw_cfg name=opt/ovmf/X-PciMmio64Mb,string=2097152
-device pcie-root-port,id=fxrp10" "--firmware ovmf: phys-bits, hole and OVMF's aperture"
like "$err" "note: assuming OVMF (UEFI) firmware: its 64-bit aperture is [mem 0x20000000000-0x3ffffffffff]" \
	"the firmware assumed is stated (OVMF)"
h -q --firmware ovmf -f json $gpu
is "$(jq -r '.firmware, .phys_bits' <<<"$out")" "ovmf
43" "--format json: the firmware and phys-bits"
usage_fails "--firmware: 'uefi' is neither seabios nor ovmf" --firmware uefi $gpu

h -q $gpu $audio $nic
is "$err" "" "-q: no notes"

h -q -p $gpu $audio $nic
status 0 "--patched exits 0"
like "$out" "-device vfio-pci,host=$gpu,bus=fxrp10,addr=0x0.0x0,multifunction=on,fixed-bars=bar0@0xd8000000,,bar1@0x38000000000,,bar3@0x39000000000" \
	"--patched: fixed-bars with QEMU's ,, escaping"
like "$out" "-device vfio-pci,host=$nic,bus=fxrp11,addr=0x0.0x0,fixed-bars=bar0@0x39004000000" \
	"--patched: a single BAR"

h -q 17:00.0:bar1,bar3
status 0 "a BAR selection exits 0"
h -q -f map 17:00.0:bar1,bar3
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar1@0x38000000000,bar3@0x39000000000" \
	"a BAR selection fixes only those BARs"

h -q -f map 26:00.1 26:00.2
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar0@0x3d000000000;0000:00:10.0/00.1=bar0@0x3d000100000" \
	"functions without function 0 are renumbered from 0 below one port"
h -q 26:00.1 26:00.2
like "$out" "host=0000:26:00.1,bus=fxrp10,addr=0x0.0x0,multifunction=on" \
	"the new function 0 is multifunction"
h -q -f map --split-functions 26:00.1 26:00.2
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar0@0x3d000000000;0000:00:11.0/00.0=bar0@0x3d000100000" \
	"--split-functions: one root port each, function 0"

h -q --first-slot 0x18 --ports-per-slot 2 $gpu $nic 25:00.0
like "$out" "pcie-root-port,id=fxrp18,bus=pcie.0,addr=0x18.0x0,multifunction=on,chassis=200" \
	"--ports-per-slot 2: function 0 of the slot is multifunction"
like "$out" "pcie-root-port,id=fxrp18-1,bus=pcie.0,addr=0x18.0x1,chassis=201" \
	"--ports-per-slot 2: the next port is function 1"
like "$out" "pcie-root-port,id=fxrp19,bus=pcie.0,addr=0x19.0x0,chassis=202" \
	"--ports-per-slot 2: the third port opens the next slot"

h -q "$gpu=0000:00:06.0/00.0" "$nic=0000:00:10.0/00.0" 25:00.0 \
	"0000:22:00.0=0000:00:07.0"
like "$out" "-device pcie-root-port,id=fxrp06,bus=pcie.0,addr=0x6.0x0" \
	"BDF=PATH below a root port: the port is created"
like "$out" "-device vfio-pci,host=0000:25:00.0,bus=fxrp11,addr=0x0.0x0" \
	"proposals skip the slots that given paths use"
like "$out" "-device vfio-pci,host=0000:22:00.0,bus=pcie.0,addr=0x7.0x0" \
	"BDF=PATH on the root bus"
h "$gpu=0000:00:06.0/00.0/01.0/00.0"
status 0 "a deeper given path exits 0"
like "$out" "-device vfio-pci,host=$gpu,addr=0x0.0x0" \
	"a deeper path: no bus= (bridges the tool does not create)"
like "$err" "give its -device line the bus= of the bridge" \
	"a deeper path: a note says what to add"

### the checks (exit 2)

check_fails "$gpu bar1 [mem 0x38000000000-0x38fffffffff 64bit pref]" \
	0000:1c:00.0 $gpu
like "$err" "0000:1c:00.0 bar0 [mem 0x38800000000-0x3883fffffff 64bit pref] overlaps $gpu bar1" \
	"overlapping host BARs"
check_fails "0000:1a:00.0 bar0 [mem size 0x100000 64bit pref]: not assigned on the host" \
	1a:00.0
check_fails "0000:1b:00.0 bar0 [mem 0x3a100100000-0x3a1002fffff 64bit pref]: not aligned to its size 0x200000" \
	1b:00.0
check_fails "0000:19:00.0 bar0 [mem 0x3a000000000-0x3a000ffffff 64bit]: a non-prefetchable BAR above 4 GiB cannot sit below a bridge" \
	19:00.0
like "$err" "pass the device through on the root bus (0000:19:00.0=0000:00:SS.0)" \
	"... and says what to do"
h -q -f map 0000:19:00.0=0000:00:07.0
is "$out" "pci_fixedbar.map=0000:00:07.0=bar0@0x3a000000000" \
	"a non-prefetchable BAR above 4 GiB on the root bus is fine"
check_fails "guest bridges 0000:00:10.0 (above 0000:1d:00.0) and 0000:00:11.0 (above 0000:1e:00.0) would need overlapping windows [mem 0x3b000000000-0x3b0000fffff]" \
	1d:00.0 1e:00.0
h -q -f map 0000:1d:00.0=0000:00:10.0/00.0 0000:1e:00.0=0000:00:10.0/00.1
status 0 "the same BARs below one root port are fine"
check_fails "0000:1f:00.0 bar0 [mem 0x40000000-0x400fffff]: inside the guest's RAM below 4 GiB [mem 0x00000000-0x7fffffff] (q35 with 16G of RAM)" \
	1f:00.0
h -q -r 512 -f map 1f:00.0
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar0@0x40000000" \
	"--guest-ram 512 (MiB, as -m): 1 GiB is in the 32-bit hole"
check_fails "0000:29:00.0 bar0 [mem 0x20000000-0x200fffff]: inside the guest's RAM" \
	29:00.0
check_fails "0000:20:00.0 bar0 [mem 0xb0000000-0xb0ffffff]: overlaps the q35 MMCONFIG area" \
	20:00.0
# each BAR clear of MMCONFIG, but the root port's window would span it:
# the guest module's planner (run on the proposed guest) refuses it
check_fails "fixedbar-host: 0000:2a:00.0: the guest module's planner cannot keep its fixed BARs in the proposed guest: 0000:00:10.0 window.mem must span [0xa0000000-0xc00fffff]" \
	2a:00.0
is "$(wc -l <<<"$err")" 1 "the planner's refusal: one line"
h 2a:00.0=0000:00:05.0 -f map
status 0 "the same device on the root bus: no window, the planner places it"
is "$out" "pci_fixedbar.map=0000:00:05.0=bar0@0xa0000000,bar2@0xc0000000" "its map"
h 2a:00.0:bar0 -f map
status 0 "one of its BARs below a root port: the planner places it"
check_fails "0000:21:00.0 bar0 [mem 0xfee00000-0xfee00fff]: above the q35 32-bit PCI hole" \
	21:00.0
check_fails "0000:24:00.0 bar0 [mem 0x800000000-0x83fffffff 64bit pref]: below the 64-bit PCI hole, which starts after the guest's RAM at 0x1080000000 (q35 with 64G of RAM)" \
	-r 64G 24:00.0
h -q -r 30G -f json 24:00.0
jq_is '.window | [.start, .end, .option, .max_guest_ram] | join(" ")' \
	"0x800000000 0x83fffffff q35-pcihost.pci-hole64-size=1G 0x780000000" \
	"30G of RAM: the hole starts at 32G, right at the BAR"
check_fails "below the 64-bit PCI hole" -r 31G 24:00.0
check_fails "0000:23:00.0 bar0 [mem 0xfd00000000-0xfd3fffffff 64bit pref]: below the 64-bit PCI hole [mem 0x10380000000-" \
	--amd 23:00.0
like "$err" "QEMU moves the RAM above 4 GiB to 1 TiB" "... and says why"
h -q -f map 23:00.0
status 0 "without --amd the HyperTransport range is usable"
h -q --amd -f json $gpu
jq_is '[.window.start, .window.end, .phys_bits] | join(" ")' "0x10380000000 0x3903fffffff 42" \
	"--amd: the hole starts at 1 TiB + 14G, ends where it would for an Intel CPU, 42 bits"

### every format checked by its consumer

h -q -f map $gpu $audio $nic
status 0 "-f map exits 0"
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar0@0xd8000000,bar1@0x38000000000,bar3@0x39000000000;0000:00:10.0/00.1=bar0@0xd9080000;0000:00:11.0/00.0=bar0@0x39004000000" \
	"the map: one entry per device, guest paths"
map=${out#pci_fixedbar.map=}
h -q -f grub $gpu $audio $nic
status 0 "-f grub exits 0"
is "$(tail -n 1 <<<"$out")" "GRUB_CMDLINE_LINUX=\"\$GRUB_CMDLINE_LINUX 'pci_fixedbar.map=$map'\"" \
	"-f grub: the map in single quotes, appended to GRUB_CMDLINE_LINUX"

h -q -f json $gpu $audio $nic
status 0 "-f json exits 0"
json=$out
jq_is '[.version, .machine, .patched, .guest_ram, .phys_bits] | join(" ")' \
	"1 q35 false 0x400000000 42" "json: header"
jq_is '.window | [.start, .end, .option] | join(" ")' \
	"0x480000000 0x3903fffffff q35-pcihost.pci-hole64-size=3631G" \
	"json: the window"
jq_is '[.devices[] | .host + ">" + .guest + "@" + .bus] | join(" ")' \
	"$gpu>0000:00:10.0/00.0@fxrp10 $audio>0000:00:10.0/00.1@fxrp10 $nic>0000:00:11.0/00.0@fxrp11" \
	"json: host devices and guest paths"
jq_is '.devices[0].bars[1] | [.name, .start, .end, .size, .mem64, .prefetchable] | join(" ")' \
	"bar1 0x38000000000 0x38fffffffff 0x1000000000 true true" "json: a BAR"
jq_is '.map' "$map" "json: the map"
jq_is '.qemu | join(" ")' "$(tr '\n' ' ' <<<"$qemu_q35" | sed 's/ $//')" \
	"json: the qemu arguments"
h -q -f json 0000:22:00.0
jq_is '[.devices[0].vf, .devices[0].id] | join(" ")' "true 15b3:101e" \
	"json: a VF is marked"
h -q -f json 28:00.0
jq_is '[.window, .phys_bits, (.devices[0].bars | length), .qemu[0]] | tostring' \
	'[null,null,0,"-device"]' "json: no memory BAR, no window"

# the map on the guest topology it describes, planned by fixedbar-plan
jq '
def ep: {devfn: (.guest | split("/") | last | split(":") | last),
	bars: [.bars[] | {name, type: "mem", size, mem64, prefetchable}]};
{version: 1,
 apertures: [{type: "io", start: "0x1000", end: "0xffff"},
	{type: "mem", start: "0x80000000", end: "0xafffffff"},
	{type: "mem", start: "0xc0000000", end: "0xfebfffff"},
	{type: "mem", start: .window.start, end: .window.end}],
 devices: [.devices[] | select(.guest | contains("/")) ] |
	group_by(.guest | split("/")[0]) | map({
		devfn: (.[0].guest | split("/")[0] | split(":")[2]),
		bridge: {io: true, prefetchable: true, prefetchable_64: true,
			devices: map(ep)}})}' <<<"$json" >"$tmp/guest.json"
run --map "$map" "$tmp/guest.json"
status 0 "fixedbar-plan plans the guest with the map"
got=$(jq -r '[.resources[] | select(.name | startswith("bar")) |
	.device + "=" + .name + "@" + .start] | join(" ")' <<<"$out")
want=$(jq -r '[.devices[] | .guest as $g | .bars[] |
	$g + "=" + .name + "@" + .start] | join(" ")' <<<"$json")
is "$got" "$want" "every fixed BAR lands at its host address"

# --sizes: each BAR's size in the entries; the planner checks it against
# the device (the guest topology above), and a wrong size is refused
h -q -f map --sizes 17:00.0:bar1,bar3 18:00.0
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar1@0x38000000000+0x1000000000,bar3@0x39000000000+0x2000000;0000:00:11.0/00.0=bar0@0x39004000000+0x2000000" \
	"--sizes: every BAR with its size"
h -q -f map --sizes $gpu $audio $nic
run --map "${out#pci_fixedbar.map=}" "$tmp/guest.json"
status 0 "fixedbar-plan plans the guest with the sized map"
run --map "${map%%,*}+0x800000" "$tmp/guest.json"
status 1 "a size that disagrees with the device is refused"
like "$out" "the entry gives size 0x800000 but the device's BAR is" \
	"and the message says what the device has"

# ASL: iasl compiles it; AML: our encoder writes what iasl writes
h -q -f asl $gpu $audio $nic
status 0 "-f asl exits 0"
printf '%s\n' "$out" >"$tmp/fx.asl"
like "$out" 'Name (_HID, "PRP0001")' "asl: a PRP0001 device"
like "$out" '"0000:00:11.0/00.0=bar0@0x39004000000",' "asl: the entries"
if iasl -p "$tmp/ref" "$tmp/fx.asl" >"$tmp/iasl.log" 2>&1; then
	pass "iasl compiles the asl"
else
	fail "iasl compiles the asl"
	diag "$(<"$tmp/iasl.log")"
fi
h -q -f aml -o "$tmp/fx.aml" $gpu $audio $nic
status 0 "-f aml -o exits 0"
if cmp -s <(tail -c +37 "$tmp/fx.aml") <(tail -c +37 "$tmp/ref.aml"); then
	pass "aml: the body is byte for byte what iasl makes of the asl"
else
	fail "aml: the body is byte for byte what iasl makes of the asl"
	diag "$(cmp <(tail -c +37 "$tmp/fx.aml") <(tail -c +37 "$tmp/ref.aml"))"
fi
is "$(head -c 9 "$tmp/fx.aml" | od -An -tx1)" \
	"$(head -c 9 "$tmp/ref.aml" | od -An -tx1)" \
	"aml: signature, length and revision as iasl writes them"
is "$(head -c 28 "$tmp/fx.aml" | tail -c 18 | od -An -tx1)" \
	"$(head -c 28 "$tmp/ref.aml" | tail -c 18 | od -An -tx1)" \
	"aml: OEM ID, table ID and revision as iasl writes them"
is "$(od -An -v -tu1 "$tmp/fx.aml" | tr -s ' ' '\n' | awk '{s += $1} END {print s % 256}')" \
	0 "aml: the checksum makes the bytes sum to 0"
iasl -d "$tmp/fx.aml" >"$tmp/dis.log" 2>&1
is "$?" 0 "iasl -d disassembles the aml"
like "$(<"$tmp/fx.dsl")" 'DefinitionBlock ("", "SSDT", 1, "LINUX", "FIXEDBAR", 0x00000001)' \
	"aml round trip: the table header"
like "$(<"$tmp/fx.dsl")" '"0000:00:10.0/00.1=bar0@0xd9080000"' \
	"aml round trip: an entry"

# a table past 4 KiB takes 3-byte package lengths
big=$tmp/big
mkdir -p "$big/bus/pci/devices"
args=()
for ((i = 0; i < 60; i++)); do
	b=$(printf '0000:%02x:00.0' $((0x40 + i)))
	mkdir "$big/bus/pci/devices/$b"
	{
		printf '0x%016x 0x%016x 0x000000000014220c\n' \
			$((0x40000000000 + i * 0x100000000)) \
			$((0x40000000000 + i * 0x100000000 + 0xffffff))
		printf '0x%016x 0x%016x 0x0000000000000000\n' 0 0
		printf '0x%016x 0x%016x 0x000000000014220c\n' \
			$((0x40080000000 + i * 0x100000000)) \
			$((0x40080000000 + i * 0x100000000 + 0xfffff))
		for ((j = 3; j < 13; j++)); do
			printf '0x%016x 0x%016x 0x0000000000000000\n' 0 0
		done
	} >"$big/bus/pci/devices/$b/resource"
	args+=("$b=0000:00:10.0/00.0/$(printf '%02x' $((i % 32))).$((i / 32))/00.0")
done
"$HOST" --sysfs "$big" -q -f asl "${args[@]}" >"$tmp/big.asl" 2>"$tmp/err"
is "$?" 0 "60 devices: -f asl exits 0"
"$HOST" --sysfs "$big" -q -f aml "${args[@]}" >"$tmp/big.aml" 2>"$tmp/err"
is "$?" 0 "60 devices: -f aml exits 0"
iasl -p "$tmp/bigref" "$tmp/big.asl" >"$tmp/iasl.log" 2>&1
is "$(($(stat -c %s "$tmp/big.aml") > 4096))" 1 "60 devices: the table is over 4 KiB"
if cmp -s <(tail -c +37 "$tmp/big.aml") <(tail -c +37 "$tmp/bigref.aml"); then
	pass "60 devices: the aml body matches iasl's"
else
	fail "60 devices: the aml body matches iasl's"
fi

"$HOST" --sysfs "$big" -q -f json "${args[@]}" >"$tmp/big.json" 2>"$tmp/err"
is "$?" 0 "60 devices: -f json exits 0"
is "$(jq -r '.map | split(";") | length' "$tmp/big.json" 2>&1)" 60 \
	"60 devices: the json map joins every entry"

### q35: QEMU accepts the options and makes the hole the tool computed

# qemu_hmp <args...>: runs QEMU stopped, answers the monitor commands in
# $hmp; the numbers QEMU printed end up in $out
qemu_hmp() {
	local sys=$1
	shift
	printf '%s\nquit\n' "$hmp" | timeout 60 "$sys" -accel tcg -nodefaults \
		-display none -S -monitor stdio "$@" >"$tmp/qemu.out" 2>&1
	rc=$?
	out=$(tr -d '\r' <"$tmp/qemu.out" | grep -aE '^[0-9]+$' | tr '\n' ' ')
	err=$(tr -d '\033' <"$tmp/qemu.out" | grep -a 'qemu-system' || true)
}

# vfio-pci needs a host device: a pci-testdev takes its bus and address
testdevs() {
	sed -e 's/vfio-pci,host=[^,]*/pci-testdev/' -e "s/-cpu host,/-cpu $1,/"
}

hmp='qom-get /machine/q35 pci-hole64-start
qom-get /machine/q35 pci-hole64-end'
read -r -a qargs < <(testdevs max,vendor=GenuineIntel <<<"$qemu_q35" | tr '\n' ' ')
qemu_hmp qemu-system-x86_64 -M q35 -m 16G "${qargs[@]}"
is "$rc" 0 "qemu-system-x86_64 accepts the q35 options (Intel CPU)"
[[ "$rc" == 0 ]] || diag "$err"
is "$out" "$((0x480000000)) $((0x39040000000)) " \
	"QEMU's 64-bit hole is the window the tool reported"

# TCG's max CPU is an AMD: QEMU moves RAM above 4 GiB to 1 TiB
h -q --amd --cpu max $gpu $audio $nic
read -r -a qargs < <(testdevs max <<<"$out" | tr '\n' ' ')
qemu_hmp qemu-system-x86_64 -M q35 -m 16G "${qargs[@]}"
is "$rc" 0 "--amd: QEMU accepts phys-bits 42 for an AMD CPU"
is "$out" "$((0x10380000000)) $((0x39040000000)) " \
	"--amd: QEMU's hole starts at 1 TiB + 14G as the tool said"
read -r -a qargs < <(testdevs max <<<"$qemu_q35" | tr '\n' ' ')
qemu_hmp qemu-system-x86_64 -M q35 -m 16G "${qargs[@]}"
like "$err" "phys-bits too low (42)" \
	"without --amd QEMU refuses the options for an AMD CPU (the check can fail)"

# A BAR just above 1 TiB (tests/vfio's outer guest puts ivshmem there):
# QEMU decides the move to 1 TiB from the unmoved hole start and the size,
# so the size must reach past the HyperTransport range from 4 GiB too
near=$tmp/near
mkdir -p "$near/bus/pci/devices/0000:01:00.0"
{
	printf '0x%016x 0x%016x 0x000000000014220c\n' $((0x10100000000)) $((0x10103ffffff))
	for ((j = 1; j < 13; j++)); do
		printf '0x%016x 0x%016x 0x0000000000000000\n' 0 0
	done
} >"$near/bus/pci/devices/0000:01:00.0/resource"
"$HOST" --sysfs "$near" -q --amd --cpu max -r 256M 0000:01:00.0 >"$tmp/out" 2>"$tmp/err"
is "$?" 0 "--amd, a BAR at 1 TiB + 4G: exit 0"
read -r -a qargs < <(testdevs max <"$tmp/out" | tr '\n' ' ')
qemu_hmp qemu-system-x86_64 -M q35 -m 256M "${qargs[@]}"
is "$rc" 0 "--amd, a BAR at 1 TiB + 4G: QEMU accepts the options"
[[ "$rc" == 0 ]] || diag "$err"
read -r -a got <<<"$out"
if [[ ${#got[@]} == 2 ]] && ((got[0] <= 0x10100000000 && 0x10103ffffff < got[1])); then
	pass "--amd, a BAR at 1 TiB + 4G: QEMU's hole holds it"
else
	fail "--amd, a BAR at 1 TiB + 4G: QEMU's hole holds it (got '$out')"
fi

### virt: device tree overlay, windows

h -q -m virt -f map 25:00.0 29:00.0
status 0 "virt: a BAR in the default high window and one in the 32-bit window"
is "$out" "pci_fixedbar.map=0000:00:10.0/00.0=bar0@0x9000000000;0000:00:11.0/00.0=bar0@0x20000000" \
	"virt: the map"
h -q -m virt 25:00.0 29:00.0
qemu_virt=$out
is "$(grep -c '^-machine\|^-cpu\|^-global' <<<"$out")" 0 \
	"virt, stock window: no machine options needed"
check_fails "$gpu bar1 [mem 0x38000000000-0x38fffffffff 64bit pref]: outside the virt high PCI window [mem 0x8000000000-0xffffffffff], which unpatched QEMU cannot move" \
	-m virt 17:00.0:bar1
check_fails "$gpu bar0 [mem 0xd8000000-0xd8ffffff]: inside the guest's RAM [mem 0x40000000-0x43fffffff] (virt with 16G of RAM)" \
	-m virt $gpu
check_fails "0000:1f:00.0 bar0 [mem 0x40000000-0x400fffff]: inside the guest's RAM" \
	-m virt 1f:00.0
check_fails "0000:21:00.0 bar0 [mem 0xfee00000-0xfee00fff]: outside the virt 32-bit PCI window [mem 0x10000000-0x3efeffff]" \
	-m virt -r 1G 21:00.0
h -q -m virt -p 17:00.0:bar1,bar3
status 0 "virt --patched: a window beyond the default"
like "$out" "-machine highmem-mmio-window=0x8000000000:0x31040000000" \
	"virt --patched: highmem-mmio-window from 512 GiB to past the GPU"
check_fails "0000:25:00.0 bar0 [mem 0x9000000000-0x903fffffff 64bit pref]: outside the virt high PCI window [mem 0x10000000000-0x17fffffffff]" \
	-m virt -r 600G 25:00.0
check_fails "0000:24:00.0 bar0 [mem 0x800000000-0x83fffffff 64bit pref]: below where virt can place its high PCI window" \
	-m virt -p 24:00.0
h -q -m virt -p -f json 25:00.0
jq_is '.window.option' null "virt --patched: no option while the default window fits"

read -r -a qargs < <(testdevs x <<<"$qemu_virt" | tr '\n' ' ')
hmp=
qemu_hmp qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1G "${qargs[@]}"
is "$rc" 0 "qemu-system-aarch64 accepts the virt options"
[[ "$rc" == 0 ]] || diag "$err"

h -q -m virt -f dts 25:00.0 29:00.0
status 0 "-f dts exits 0"
printf '%s\n' "$out" >"$tmp/fx.dts"
if dtc -q -I dts -O dtb -o "$tmp/fx.dtbo" "$tmp/fx.dts" 2>"$tmp/dtc.log"; then
	pass "dtc compiles the overlay"
else
	fail "dtc compiles the overlay"
	diag "$(<"$tmp/dtc.log")"
fi
timeout 60 qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1G -nodefaults \
	-display none -machine dumpdtb="$tmp/virt.dtb" >/dev/null 2>&1
fdtoverlay -i "$tmp/virt.dtb" -o "$tmp/virt-fixed.dtb" "$tmp/fx.dtbo" \
	2>"$tmp/dtc.log"
is "$?" 0 "fdtoverlay applies it to the DTB QEMU dumped"
is "$(fdtget "$tmp/virt-fixed.dtb" /pci-fixedbar compatible 2>&1)" \
	linux,pci-fixedbar "the node /pci-fixedbar has the compatible"
is "$(fdtget "$tmp/virt-fixed.dtb" /pci-fixedbar fixed-bars 2>&1)" \
	"0000:00:10.0/00.0=bar0@0x9000000000 0000:00:11.0/00.0=bar0@0x20000000" \
	"and the entries as a string list"

done_testing
