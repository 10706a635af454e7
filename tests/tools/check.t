#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-check against fake sysfs/procfs trees built here: a q35-like
# guest with a root port, a switch and two endpoints below it, and a
# device on the root bus.  Descriptors in every form: an ACPI SSDT (a
# PRP0001 table device and a per-device _DSD on a companion), a DSDT, a
# device-tree table node and a per-device of_node property, the kernel
# command line, the module parameter, files and -m.
#
#   00:10.0 root port, bus 01        [mem pref 0x10000000000-0x10103ffffff]
#     01:00.0 upstream port, bus 02  [same]
#       02:00.0 downstream, bus 03   [0x10000000000-0x10003ffffff]
#         03:00.0 ivshmem            bar2 at 0x10000000000 (64 MiB)
#       02:01.0 downstream, bus 04   [0x10104000000-0x10107ffffff]: does
#                                    not hold its device's BAR ("bad")
#         04:00.0 testdev            bar2 at 0x10100000000, bar4 unassigned
#   00:11.0 testdev                  bar2 at 0x1ffff000000

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

CHECK=${FIXEDBAR_CHECK:-$here/../../build/san/fixedbar-check}
if [[ ! -x $CHECK ]]; then
	echo "Bail out! $CHECK not built"
	exit 1
fi
for t in iasl jq perl; do
	command -v "$t" >/dev/null || { echo "Bail out! $t missing (scripts/install-deps.sh)"; exit 1; }
done

ivshmem=0000:00:10.0/00.0/00.0/00.0
testdev=0000:00:10.0/00.0/01.0/00.0
rootdev=0000:00:11.0
A="$ivshmem=bar2@0x10000000000"
B="$testdev=bar2@0x10100000000"
C="$rootdev=bar2@0x1ffff000000"
UUID=daffd814-6eba-4d8c-8a91-bc9bbf4aa301

# flags from include/linux/ioport.h
MEM=0x40200
MEM64PREF=0x14220c
UNSET=0x20000000
WIN_MEM=0x200
WIN_PREF64=0x102201

# dev TREE PATH VENDOR DEVICE CLASS HDR SEC: a device directory, its
# bus/pci/devices link and its config space (type 1 with a secondary bus)
dev() {
	local tree=$1 path=$2 name up
	name=$(basename "$path")
	dir=$tree/sys/devices/$path
	mkdir -p "$dir"
	echo "$3" >"$dir/vendor"
	echo "$4" >"$dir/device"
	echo "$5" >"$dir/class"
	up=${path//[^\/]/}
	up=${up//\//../}
	ln -s "../../../devices/$path" "$tree/sys/bus/pci/devices/$name"
	perl -e 'my ($v, $d, $c, $h, $s) = map { hex } @ARGV;
		my $cfg = "\0" x 256;
		substr($cfg, 0, 4) = pack("vv", $v, $d);
		substr($cfg, 9, 3) = substr(pack("V", $c), 0, 3);
		substr($cfg, 14, 1) = pack("C", $h);
		substr($cfg, 24, 3) = pack("CCC", 0, $s, $s) if $h == 1;
		print $cfg' "$3" "$4" "$5" "$6" "${7:-0}" >"$dir/config"
}

# res N [INDEX START END FLAGS]...: the sysfs resource file of $dir
res() {
	local n=$1 i
	local -a line
	shift
	for ((i = 0; i < n; i++)); do
		line[i]="0x0000000000000000 0x0000000000000000 0x0000000000000000"
	done
	while (($# >= 4)); do
		line[$1]=$(printf '0x%016x 0x%016x 0x%016x' "$2" "$3" "$4")
		shift 4
	done
	printf '%s\n' "${line[@]}" >"$dir/resource"
}

# prop FILE STRING...: a device-tree property (NUL-terminated strings)
prop() {
	local f=$1
	shift
	mkdir -p "$(dirname "$f")"
	printf '%s\0' "$@" >"$f"
}

# asl_strings STRING...: "a", "b"
asl_strings() {
	local s out=""
	for s in "$@"; do
		out+="${out:+, }\"$s\""
	done
	echo "$out"
}

# table_dev NAME ENTRY...: a PRP0001 "linux,pci-fixedbar" device
table_dev() {
	local name=$1
	shift
	cat <<ASL
        Device ($name)
        {
            Name (_HID, "PRP0001")
            Name (_DSD, Package ()
            {
                ToUUID ("$UUID"),
                Package ()
                {
                    Package () { "compatible", "linux,pci-fixedbar" },
                    Package () { "fixed-bars", Package () { $(asl_strings "$@") } },
                }
            })
        }
ASL
}

# aml OUT ASL: compiles an ASL text (standard input) into OUT
aml() {
	cat >"$tmp/x.asl"
	iasl -p "$tmp/x" "$tmp/x.asl" >"$tmp/iasl.log" 2>&1 ||
		{ cat "$tmp/iasl.log" >&2; return 1; }
	mv "$tmp/x.aml" "$1"
}

# mktree DIR: the fake guest (see the top), descriptors A (ACPI table, DT
# table, command line), B (of_node), C (ACPI companion _DSD)
mktree() {
	local t=$1 P=pci0000:00 R U
	mkdir -p "$t/sys/bus/pci/devices" "$t/proc" "$t/sys/firmware/acpi/tables"
	dev "$t" "$P/0000:00:00.0" 0x8086 0x29c0 0x060000 0
	res 13
	dev "$t" "$P/0000:00:10.0" 0x1b36 0x000c 0x060400 1 1
	res 17 14 0xfe000000 0xfe1fffff $WIN_MEM \
		15 0x10000000000 0x10103ffffff $WIN_PREF64
	R=$P/0000:00:10.0
	dev "$t" "$R/0000:01:00.0" 0x104c 0x8232 0x060400 1 2
	res 17 14 0xfe000000 0xfe1fffff $WIN_MEM \
		15 0x10000000000 0x10103ffffff $WIN_PREF64
	U=$R/0000:01:00.0
	dev "$t" "$U/0000:02:00.0" 0x104c 0x8233 0x060400 1 3
	res 17 14 0xfe000000 0xfe0fffff $WIN_MEM \
		15 0x10000000000 0x10003ffffff $WIN_PREF64
	dev "$t" "$U/0000:02:01.0" 0x104c 0x8233 0x060400 1 4
	res 17 15 0x10104000000 0x10107ffffff $WIN_PREF64
	dev "$t" "$U/0000:02:00.0/0000:03:00.0" 0x1af4 0x1110 0x050000 0
	res 13 0 0xfe000000 0xfe0000ff $MEM 2 0x10000000000 0x10003ffffff $MEM64PREF
	dev "$t" "$U/0000:02:01.0/0000:04:00.0" 0x1b36 0x0005 0x00ff00 0
	res 13 2 0x10100000000 0x10103ffffff $MEM64PREF \
		4 0 0xfff $((MEM64PREF | UNSET))
	ln -s ../../../../../../firmware/devicetree/base/pcie@10000000/pci@10,0/pci@0,0/pci@1,0/pci@0,0 \
		"$dir/of_node"
	dev "$t" "$P/0000:00:11.0" 0x1b36 0x0005 0x00ff00 0
	res 13 2 0x1ffff000000 0x1ffffffffff $MEM64PREF
	mkdir -p "$dir/firmware_node"
	echo '\_SB_.PCI0.S88_' >"$dir/firmware_node/path"

	local dt=$t/sys/firmware/devicetree/base
	prop "$dt/compatible" "linux,dummy-virt"
	prop "$dt/pci-fixedbar/compatible" "linux,pci-fixedbar"
	prop "$dt/pci-fixedbar/fixed-bars" "$A"
	prop "$dt/pcie@10000000/pci@10,0/pci@0,0/pci@1,0/pci@0,0/fixed-bars" \
		"bar2@0x10100000000"
	# a disabled table node is not read
	prop "$dt/off/compatible" "linux,pci-fixedbar"
	prop "$dt/off/status" "disabled"
	prop "$dt/off/fixed-bars" "$rootdev=bar0@0x1234"

	aml "$t/sys/firmware/acpi/tables/SSDT1" <<ASL
DefinitionBlock ("", "SSDT", 1, "FXBR", "CHECK", 1)
{
    External (\\_SB.PCI0.S88, DeviceObj)
    Scope (\\_SB)
    {
$(table_dev FXBR "$A")
    }
    Scope (\\_SB.PCI0.S88)
    {
        Name (_DSD, Package ()
        {
            ToUUID ("$UUID"),
            Package () { Package () { "fixed-bars", "bar2@0x1ffff000000" } }
        })
    }
}
ASL
	echo "BOOT_IMAGE=/vmlinuz root=/dev/vda \"pci_fixedbar.map=$A\" quiet" >"$t/proc/cmdline"
	cat >"$t/proc/iomem" <<'END'
00000000-00000fff : Reserved
fe000000-febfffff : PCI Bus 0000:00
  fe000000-fe1fffff : PCI Bus 0000:01
10000000000-1ffffffffff : PCI Bus 0000:00
  10000000000-10103ffffff : PCI Bus 0000:01
END
	: >"$t/proc/ioports"
}

bad=$tmp/bad
mktree "$bad"
good=$tmp/good
cp -a "$bad" "$good"
sed -i '16s/.*/0x0000010100000000 0x0000010103ffffff 0x0000000000102201/' \
	"$good/sys/devices/pci0000:00/0000:00:10.0/0000:01:00.0/0000:02:01.0/resource"

# check TREE ARGS...: runs the tool on a tree; sets out, err and rc
check() {
	local t=$1
	shift
	"$CHECK" --sysfs "$t/sys" --proc "$t/proc" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out")
	err=$(<"$tmp/err")
}

# row PATH BAR: the table row of one fixed BAR
row() {
	grep -E "^[^ ]+ +$1 +$2 " <<<"$out"
}

# --- every source, the good tree: everything in place
check "$good" -j
status 0 "good tree, every source: exit 0"
jq_is '.result' ok "result ok"
jq_is '[.bars[] | .path + " " + .bar + " " + .status] | join(",")' \
	"$ivshmem bar2 ok,$testdev bar2 ok,$rootdev bar2 ok" "three fixed BARs, sorted by path, all ok"
jq_is '[.bars[] | select(.wanted == .start)] | length' 3 "wanted == start for each"
jq_is ".bars[] | select(.path == \"$ivshmem\") | .from | join(\";\")" \
	"dt /pci-fixedbar;acpi SSDT1 \\_SB_.FXBR;cmdline" \
	"A from the DT table node, the ACPI table device and the command line"
jq_is ".bars[] | select(.path == \"$testdev\") | .from | join(\";\")" \
	"dt /pcie@10000000/pci@10,0/pci@0,0/pci@1,0/pci@0,0" "B from the device's of_node"
jq_is ".bars[] | select(.path == \"$rootdev\") | .from | join(\";\")" \
	"acpi SSDT1 \\_SB_.PCI0.S88_" "C from the companion's _DSD (firmware_node/path)"
jq_is ".bars[] | select(.path == \"$ivshmem\") | [.device, .resource] | join(\" \")" \
	"0000:03:00.0 [mem 0x10000000000-0x10003ffffff 64bit pref]" "device and kernel-style resource"
jq_is ".bars[] | select(.path == \"$ivshmem\") | [.windows[] | .device + \" \" + .window + \" \" + .resource + \" \" + (.contains | tostring)] | join(\";\")" \
	"pci0000:00 root [mem 0x10000000000-0x1ffffffffff] true;0000:00:10.0 prefetchable [mem 0x10000000000-0x10103ffffff 64bit pref] true;0000:01:00.0 prefetchable [mem 0x10000000000-0x10103ffffff 64bit pref] true;0000:02:00.0 prefetchable [mem 0x10000000000-0x10003ffffff 64bit pref] true" \
	"the window chain from the root bus down"
jq_is '.summary | [.total, .ok, .MOVED] | join(",")' 3,3,0 "summary counts"
jq_is '.problems | length' 0 "no problems"

check "$good"
status 0 "the table, exit 0"
like "$(row "$ivshmem" bar2)" "0000:03:00.0  $ivshmem  bar2  0x10000000000" "table row: device, path, BAR, wanted"
like "$(row "$ivshmem" bar2)" "[mem 0x10000000000-0x10003ffffff 64bit pref]  ok" "table row: actual and status"
like "$(row "$ivshmem" bar2)" "pci0000:00 [mem 0x10000000000-0x1ffffffffff] > 0000:00:10.0 [mem" "table row: window chain"
is "$(tail -n 1 <<<"$out")" "3 fixed BARs: 3 ok" "summary line"

check "$good" -q
status 0 "-q: exit 0"
is "$out$err" "" "-q prints nothing"

check "$good" -v
like "$out" "	from dt /pci-fixedbar" "-v: where each entry came from"
like "$err" "module: pci_fixedbar not loaded" "-v: what it looked at"

# --- the bad tree: 02:01.0's window does not hold 04:00.0's BAR
check "$bad" -j
status 1 "a bridge window that does not hold a fixed BAR: exit 1"
jq_is '.result' mismatch "result mismatch"
jq_is ".bars[] | select(.path == \"$testdev\") | .status" OUTSIDE-WINDOW "the BAR is marked OUTSIDE-WINDOW"
jq_is ".bars[] | select(.path == \"$testdev\") | [.windows[] | select(.contains | not) | .device] | join(\",\")" \
	"0000:02:01.0" "the window that does not contain it"
check "$bad"
like "$(row "$testdev" bar2)" "OUTSIDE-WINDOW" "table: marked"
like "$(row "$testdev" bar2)" "0000:02:01.0 [mem 0x10104000000-0x10107ffffff 64bit pref]!" "table: the window flagged with !"

# --- source selection
check "$bad" -s acpi -j
status 0 "-s acpi: A and C only, both in place: exit 0"
jq_is '[.bars[].path] | join(",")' "$ivshmem,$rootdev" "-s acpi rows"
check "$bad" -s dt,cmdline -j
jq_is '[.bars[].path] | join(",")' "$ivshmem,$testdev" "-s dt,cmdline rows (the disabled node is skipped)"
check "$bad" -s bogus
status 2 "-s with an unknown source: exit 2"
like "$err" "unknown source 'bogus'" "names it"
check "$bad" -s none
status 3 "no descriptors at all: exit 3"
like "$err" "no descriptor entries found" "says so"

# /proc/iomem as a user without CAP_SYS_ADMIN reads it: all zeros
hidden=$tmp/hidden
cp -a "$good" "$hidden"
sed -i 's/^\( *\)[0-9a-f]*-[0-9a-f]* :/\100000000-00000000 :/' "$hidden/proc/iomem"
check "$hidden" -j
status 2 "/proc/iomem of zeros: exit 2"
is "$err" "fixedbar-check: $hidden/proc/iomem reads as zeros: the windows are only visible to root; try again as root" \
	"/proc/iomem of zeros: it says it needs root"
is "$out" "" "/proc/iomem of zeros: no table, no OUTSIDE-WINDOW"

# the module parameter, and a quoted value on the command line
mod=$tmp/mod
cp -a "$good" "$mod"
mkdir -p "$mod/sys/module/pci_fixedbar/parameters"
echo "$C;$B" >"$mod/sys/module/pci_fixedbar/parameters/map"
echo "root=/dev/vda pci-fixedbar.map=\"$A;$C\"" >"$mod/proc/cmdline"
check "$mod" -s cmdline,module -j
status 0 "the module's map parameter and a quoted cmdline map"
jq_is '[.bars[] | .path + " " + (.from | join(";"))] | join(",")' \
	"$ivshmem cmdline,$testdev module map,$rootdev cmdline;module map" "each with its source"

# repeated map= append in order, as the module does; one cut by
# whitespace after a separator is a problem, as the module refuses it
echo "root=/dev/vda pci_fixedbar.map=$A pci_fixedbar.map=$C" >"$mod/proc/cmdline"
check "$mod" -s cmdline -j
jq_is '[.bars[].path] | join(",")' "$ivshmem,$rootdev" "two cmdline map= both count"
echo "root=/dev/vda pci_fixedbar.map=$A; $C" >"$mod/proc/cmdline"
check "$mod" -s cmdline -j
status 1 "a cmdline map= ending in ';': exit 1 (a descriptor the module would not read)"
jq_is '.problems[0]' \
	"cmdline: pci_fixedbar.map=$A; ends with a separator: whitespace split the value, the module refuses it; write the entries without blanks, or quote the whole value" \
	"says whitespace split it"

# --- -m and -f: MOVED, UNASSIGNED, NOT-IMPLEMENTED, MISSING
check "$good" -m "$ivshmem=bar2@0x10040000000,bar0@0xfe000000" -j
status 1 "-m with a BAR elsewhere: exit 1"
jq_is ".bars[] | select(.bar == \"bar2\") | [.status, .wanted, .start] | join(\" \")" \
	"MOVED 0x10040000000 0x10000000000" "MOVED, wanted and actual"
jq_is ".bars[] | select(.bar == \"bar0\") | [.status, .resource, (.windows | length)] | join(\" \")" \
	"ok [mem 0xfe000000-0xfe0000ff] 4" "a 32-bit BAR in place, four windows up"
jq_is '[.bars[].from[]] | unique | join(",")' "-m #1" "only -m is read when -m is given"
check "$good" -m "$ivshmem=bar2@0x10040000000"
like "$(row "$ivshmem" bar2)" "MOVED" "table: MOVED"
check "$good" -m "$ivshmem=bar2@0x10040000000+64M" -j
status 1 "-m with a +SIZE entry: read as without it"
jq_is ".bars[] | select(.bar == \"bar2\") | [.status, .wanted] | join(\" \")" \
	"MOVED 0x10040000000" "the size does not change where the BAR is wanted"

check "$good" -m "$testdev=bar4@0x10200000000,bar3@0x10300000000" -m "0000:00:10.0/00.0/05.0/00.0=bar0@0x1000" \
	-m "$rootdev/00.0=bar0@0x2000" -m "0000:00:13.0=bar0@0x3000" -j
status 1 "unassigned, not implemented, missing: exit 1"
jq_is '[.bars[] | .bar + " " + .status] | join(",")' \
	"bar3 NOT-IMPLEMENTED,bar4 UNASSIGNED,bar0 MISSING,bar0 MISSING,bar0 MISSING" "each status"
jq_is '[.bars[] | select(.status == "MISSING") | .reason] | join(";")' \
	"no device 05.0 below 0000:01:00.0;0000:00:11.0 is not a bridge, the path goes on below it;no device 0000:00:13.0 on a root bus" \
	"MISSING says why"
jq_is '[.bars[] | .device // "-"] | join(",")' \
	"0000:04:00.0,0000:04:00.0,-,-,-" "device null when missing"

cat >"$tmp/entries" <<END
# the two in-place BARs
$A   # trailing comment
$C

END
check "$bad" -f "$tmp/entries" -j
status 0 "-f FILE with comments and blank lines: exit 0"
jq_is '[.bars[] | .from[]] | join(",")' "$tmp/entries:2,$tmp/entries:3" "file:line sources"
jq -n --arg a "$A" --arg b "$B" '{version: 1, fixed: [$a, $b]}' >"$tmp/topo.json"
check "$good" -f "$tmp/topo.json" -j
status 0 "-f with a topology JSON's fixed array"
jq_is '[.bars[] | .from[]] | join(",")' "$tmp/topo.json fixed[0],$tmp/topo.json fixed[1]" "JSON sources"
check "$good" -f - -j <"$tmp/entries"
status 0 "-f - reads standard input"

# --- input errors: exit 1, one line naming the place and the column
check "$good" -m "$ivshmem=bar2@10000000000"
status 2 "a malformed -m entry: exit 2"
is "$err" "fixedbar-check: -m #1: entry '$ivshmem=bar2@10000000000': address '10000000000' of bar2 at column 34 has no 0x prefix; fix the -m argument" \
	"the parse error, one line"
printf '%s\n' "$A" "$ivshmem=bar9@0x1" >"$tmp/badfile"
check "$good" -f "$tmp/badfile"
status 2 "a malformed line in a file: exit 2"
like "$err" "fixedbar-check: $tmp/badfile:2: entry '$ivshmem=bar9@0x1': bar9 at column 29 is not a BAR name" "file:line and column"
check "$good" -s all -m "$ivshmem=bar2@0x10040000000"
status 2 "the same BAR at two addresses: exit 2"
like "$err" "-m #1: $ivshmem bar2 fixed twice with different addresses (0x10000000000 and 0x10040000000)" "names both"
prop "$tmp/dtbad/sys/firmware/devicetree/base/t/compatible" "linux,pci-fixedbar"
cp -a "$good/." "$tmp/dtbad/"
prop "$tmp/dtbad/sys/firmware/devicetree/base/t/fixed-bars" "$ivshmem=bar2"
check "$tmp/dtbad" -s dt
status 2 "a malformed DT string: exit 2"
like "$err" "fixedbar-check: dt /t: entry '$ivshmem=bar2': expected '@' and an address after the BAR name, found the end of the entry; fix the descriptor" \
	"names the node"
check "$good" --bogus
status 2 "an unknown option: exit 2"
check "$good" extra
status 2 "a stray argument: exit 2"
check "$tmp/nowhere" -m "$A"
status 2 "no sysfs: exit 2"
like "$err" "libpci:" "libpci's complaint"

# --- ACPI: the table device in the DSDT, amid methods, regions, fields
dsdt=$tmp/dsdt
cp -a "$good" "$dsdt"
rm "$dsdt/sys/firmware/acpi/tables/SSDT1"
aml "$dsdt/sys/firmware/acpi/tables/DSDT" <<ASL
DefinitionBlock ("", "DSDT", 1, "FXBR", "CHECK", 1)
{
    Scope (\\_SB)
    {
        OperationRegion (PCST, SystemIO, 0xAE00, 0x08)
        Field (PCST, DWordAcc, NoLock, WriteAsZeros) { PCIU, 32, PCID, 32 }
        Mutex (BLCK, 0)
        Name (BUF0, Buffer (4) { 1, 2, 3, 4 })
        Method (PCNT, 0, NotSerialized) { Acquire (BLCK, 0xFFFF) Release (BLCK) }
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CRS, ResourceTemplate () { WordBusNumber (ResourceProducer,
                MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100,,,) })
            Method (_OSC, 4, NotSerialized) { Return (Arg3) }
            Device (S88)
            {
                Name (_ADR, 0x00110000)
                Name (_DSD, Package ()
                {
                    ToUUID ("$UUID"),
                    Package () { Package () { "fixed-bars", Package () { "bar2@0x1ffff000000" } } },
                    ToUUID ("dbb8e3e6-5886-4ba6-8795-1319f52a966b"),
                    Package () { Package () { "other", "x" } }
                })
            }
        }
        If (One) { Name (INIF, One) }
$(table_dev FXBR "$A")
    }
}
ASL
check "$dsdt" -s acpi -j -v
status 0 "descriptors in the DSDT: exit 0"
jq_is '[.bars[] | .path + " " + (.from | join(";"))] | join(",")' \
	"$ivshmem acpi DSDT \\_SB_.FXBR,$rootdev acpi DSDT \\_SB_.PCI0.S88_" "both forms found after methods, regions and fields"
jq_is '[.notes[] | select(test("stepped over"))] | length' 0 "nothing stepped over"

# a per-device _DSD on an object that no PCI device has as companion
orphan=$tmp/orphan
cp -a "$good" "$orphan"
aml "$orphan/sys/firmware/acpi/tables/SSDT2" <<ASL
DefinitionBlock ("", "SSDT", 1, "FXBR", "ORPHAN", 1)
{
    Scope (\\_SB)
    {
        Device (S99)
        {
            Name (_ADR, 0x00130000)
            Name (_DSD, Package () { ToUUID ("$UUID"),
                Package () { Package () { "fixed-bars", Package () { "bar0@0x1000" } } } })
        }
        Device (NPRP)
        {
            Name (_HID, "ACPI0001")
            Name (_DSD, Package () { ToUUID ("$UUID"),
                Package () { Package () { "compatible", "linux,pci-fixedbar" },
                             Package () { "fixed-bars", Package () { "$B" } } } })
        }
    }
}
ASL
check "$orphan" -s acpi -j
status 1 "descriptors the module would not read: exit 1"
jq_is '.problems | length' 2 "two problems"
jq_is '.problems[0]' "acpi SSDT2 \\_SB_.S99_: fixed-bars on an object that is no PCI device's companion (firmware_node/path): the module does not read it; check the Scope path and _ADR" "an orphan per-device _DSD"
like "$(jq -r '.problems[1]' <<<"$out")" "without _HID or _CID \"PRP0001\"" "a table device without PRP0001"

# odd AML never crashes it: the SSDT cut short and with bytes flipped
odd=$tmp/odd
cp -a "$good" "$odd"
ssdt=$good/sys/firmware/acpi/tables/SSDT1
len=$(stat -c %s "$ssdt")
crashes=0
runs=0
for ((cut = 36; cut < len; cut += 7)); do
	head -c "$cut" "$ssdt" >"$odd/sys/firmware/acpi/tables/SSDT1"
	# keep the header's length consistent with the cut
	perl -e 'open(my $f, "+<", $ARGV[0]) or die; seek($f, 4, 0); print $f pack("V", $ARGV[1])' \
		"$odd/sys/firmware/acpi/tables/SSDT1" "$cut"
	check "$odd" -s acpi -q
	runs=$((runs + 1))
	[[ $rc == [0123] ]] || { crashes=$((crashes + 1)); diag "cut at $cut: exit $rc: $err"; }
done
for ((off = 36; off < len; off += 5)); do
	cp "$ssdt" "$odd/sys/firmware/acpi/tables/SSDT1"
	printf '\xff' | dd of="$odd/sys/firmware/acpi/tables/SSDT1" bs=1 seek="$off" conv=notrunc status=none
	check "$odd" -s acpi -q
	runs=$((runs + 1))
	[[ $rc == [0123] ]] || { crashes=$((crashes + 1)); diag "0xff at $off: exit $rc: $err"; }
done
is "$crashes" 0 "truncated and corrupted SSDTs: no crash in $runs runs (ASan/UBSan build)"
printf 'SSDT\x10\x00\x00\x00' >"$odd/sys/firmware/acpi/tables/SSDT1"
check "$odd" -s acpi -j -v
jq_is '[.notes[] | select(test("^acpi: SSDT1: shorter than"))] | length' 1 "a table shorter than its header is a note"

# --- a claimed range on a wanted range: named in the row
clm=$tmp/claimed
cp -a "$good" "$clm"
cat >>"$clm/proc/iomem" <<'END'
  1fffe000000-1ffffffffff : Reserved
END
check "$clm" -j
jq_is ".bars[] | select(.path == \"$rootdev\") | .claimed" \
	"Reserved [mem 0x1fffe000000-0x1ffffffffff]" "JSON: the claimed range the wanted range overlaps"
jq_is '[.bars[] | select(.claimed == null)] | length' 2 "JSON: null for the others"
check "$good" -j
jq_is '[.bars[] | select(.claimed != null)] | length' 0 "JSON: no claimed ranges, none named"
check "$clm"
like "$(row "$rootdev" bar2)" "; wanted range on claimed Reserved [mem 0x1fffe000000-0x1ffffffffff]" \
	"table: the claimed range at the end of the row"

done_testing
