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

# row DEVICE BAR: the table row of one fixed BAR and the lines under it
row() {
	awk -v d="$1" -v b="$2" '/^[^ ]/ { on = $1 == d && $2 == b } on' <<<"$out"
}

# widest LINES: the length of the longest line
widest() {
	awk '{ if (length($0) > n) n = length($0) } END { print n + 0 }' <<<"$1"
}

# --- every source, the good tree: everything in place
check "$good" -j
status 0 "good tree, every source: exit 0"
jq_is '.result' ok "result ok"
jq_is '[.bars[] | .device + " " + .name + " " + .status] | join(",")' \
	"$ivshmem bar2 ok,$testdev bar2 ok,$rootdev bar2 ok" "three fixed BARs, sorted by path, all ok"
jq_is '[.bars[] | select(.wanted == .start)] | length' 3 "wanted == start for each"
jq_is ".bars[] | select(.device == \"$ivshmem\") | .from | join(\";\")" \
	"dt /pci-fixedbar;acpi SSDT1 \\_SB_.FXBR;cmdline" \
	"A from the DT table node, the ACPI table device and the command line"
jq_is ".bars[] | select(.device == \"$testdev\") | .from | join(\";\")" \
	"dt /pcie@10000000/pci@10,0/pci@0,0/pci@1,0/pci@0,0" "B from the device's of_node"
jq_is ".bars[] | select(.device == \"$rootdev\") | .from | join(\";\")" \
	"acpi SSDT1 \\_SB_.PCI0.S88_" "C from the companion's _DSD (firmware_node/path)"
jq_is ".bars[] | select(.device == \"$ivshmem\") | [.bdf, .resource] | join(\" \")" \
	"0000:03:00.0 [mem 0x10000000000-0x10003ffffff 64bit pref]" "device and kernel-style resource"
jq_is ".bars[] | select(.device == \"$ivshmem\") | [.windows[] | .bdf + \" \" + .name + \" \" + .resource + \" \" + (.contains | tostring)] | join(\";\")" \
	"pci0000:00 root [mem 0x10000000000-0x1ffffffffff] true;0000:00:10.0 window.prefetchable [mem 0x10000000000-0x10103ffffff 64bit pref] true;0000:01:00.0 window.prefetchable [mem 0x10000000000-0x10103ffffff 64bit pref] true;0000:02:00.0 window.prefetchable [mem 0x10000000000-0x10003ffffff 64bit pref] true" \
	"the window chain from the root bus down"
jq_is '.summary | [.total, .ok, .MOVED] | join(",")' 3,3,0 "summary counts"
jq_is '.problems | length' 0 "no problems"

check "$good"
status 0 "the table, exit 0"
is "$(head -n 1 <<<"$out" | tr -s ' ')" "DEVICE BAR WANTED ACTUAL SIZE STATUS" "table header"
is "$(row 0000:03:00.0 bar2 | tr -s ' ')" "0000:03:00.0 bar2 0x10000000000 0x10000000000 [size=64M] ok" \
	"table row: device, BAR, wanted, actual, size as lspci prints it, status; nothing under it"
is "$(row 0000:00:11.0 bar2 | tr -s ' ')" "0000:00:11.0 bar2 0x1ffff000000 0x1ffff000000 [size=16M] ok" "the root bus device's row"
ok_if "the table fits 120 columns ($(widest "$out"))" [ "$(widest "$out")" -le 120 ]
is "$(tail -n 1 <<<"$out")" "3 fixed BARs: 3 ok" "summary line"

check "$good" -q
status 0 "-q: exit 0"
is "$out$err" "" "-q prints nothing"

check "$good" -v
like "$out" "  from dt /pci-fixedbar" "-v: where each entry came from"
like "$err" "module: pci_fixedbar not loaded" "-v: what it looked at"

# --- the bad tree: 02:01.0's window does not hold 04:00.0's BAR
check "$bad" -j
status 1 "a bridge window that does not hold a fixed BAR: exit 1"
jq_is '.result' mismatch "result mismatch"
jq_is ".bars[] | select(.device == \"$testdev\") | .status" OUTSIDE-WINDOW "the BAR is marked OUTSIDE-WINDOW"
jq_is ".bars[] | select(.device == \"$testdev\") | [.windows[] | select(.contains | not) | .bdf] | join(\",\")" \
	"0000:02:01.0" "the window that does not contain it"
check "$bad"
like "$(row 0000:04:00.0 bar2)" "OUTSIDE-WINDOW" "table: marked"
is "$(row 0000:04:00.0 bar2 | tail -n 1)" "  outside window.prefetchable of 0000:02:01.0 [mem 0x10104000000-0x10107ffffff 64bit pref]!" \
	"table: under the row, the window that does not hold it, flagged with !"
ok_if "the table fits 120 columns ($(widest "$out"))" [ "$(widest "$out")" -le 120 ]
check "$bad" -v
like "$(row 0000:04:00.0 bar2)" "  path $testdev
  resource [mem 0x10100000000-0x10103ffffff 64bit pref]
  window pci0000:00 [mem 0x10000000000-0x1ffffffffff]
     in 0000:00:10.0 [mem 0x10000000000-0x10103ffffff 64bit pref]" "-v: the path, the resource, the window chain from the root bus down"

# --- -s and -d, lspci's selectors
check "$bad" -s 03:00.0 -j
status 0 "-s 03:00.0: only ivshmem's BAR, in place: exit 0"
jq_is '[.bars[].bdf] | join(",")' 0000:03:00.0 "-s 03:00.0 selects one row"
check "$bad" -s 0000:04:00
status 1 "-s 0000:04:00: the BAR outside its window: exit 1"
is "$(grep -c '^0000:' <<<"$out")" 1 "-s DOMAIN:BUS:SLOT: one row"
check "$bad" -s 11. -j
jq_is '[.bars[].bdf] | join(",")' 0000:00:11.0 "-s SLOT.: the device on the root bus"
check "$bad" -d 1b36: -j
status 1 "-d 1b36: (a vendor): both testdevs, one outside: exit 1"
jq_is '[.bars[].bdf] | join(",")' 0000:04:00.0,0000:00:11.0 "-d VENDOR: rows of that vendor"
check "$bad" -d 1af4:1110 -s 03: -j
jq_is '[.bars[].bdf] | join(",")' 0000:03:00.0 "-d and -s together: both must match"
check "$bad" -d :ffff
status 3 "-d matching no device with a fixed BAR: exit 3 (nothing described for it)"
is "$(tail -n 1 <<<"$out")" "0 fixed BARs: none described" "says none"
check "$bad" -s 1:2:3:4
status 2 "a malformed -s: exit 2"
is "$err" "fixedbar-check: -s 1:2:3:4: Too many fields; see fixedbar-check --help" "libpci's reason, prefixed"
check "$bad" -d xyz:
status 2 "a malformed -d: exit 2"
like "$err" "fixedbar-check: -d xyz:" "names it"

# --- --svg: every root bus as fixedbar-plan --svg draws it
if command -v rsvg-convert >/dev/null; then
	check "$bad" --svg "$tmp/bad.svg"
	status 1 "--svg: the exit status is the check's"
	like "$out" "OUTSIDE-WINDOW" "--svg: the table as without it"
	rsvg-convert -o "$tmp/bad.png" "$tmp/bad.svg"
	is $? 0 "--svg: rsvg-convert renders the picture"
	is "$("$here/svgboxes.py" "$tmp/bad.svg" "$tmp/bad.png" | awk '$1 >= 20 { print $3, $4 }' | sort -u | tr '\n' ,)" \
		"$ivshmem bar2,$testdev bar2,$rootdev bar2," "--svg: each fixed BAR a red box that can be seen"
	like "$(<"$tmp/bad.svg")" 'stroke-dasharray="3 2"><title>0000:00:10.0/00.0/01.0 window.prefetchable 64M @0x10104000000 (moved)</title>' \
		"--svg: the window that does not hold the BAR, drawn where it is now"
else
	fail "rsvg-convert missing (scripts/install-deps.sh svg)"
fi
check "$good" --svg "$tmp/no/such/dir/x.svg" -q
status 2 "--svg to an unwritable file: exit 2"
is "$err" "fixedbar-check: $tmp/no/such/dir/x.svg: No such file or directory" "names the file"
"$CHECK" --sysfs "$bad/sys" --proc "$good/proc" --svg "$tmp/x.svg" -q 2>"$tmp/err"
rc=$?
status 2 "--svg with sysfs and procfs of two roots: exit 2"
is "$(<"$tmp/err")" "fixedbar-check: --svg needs --sysfs and --proc in one root (got $bad/sys and $good/proc)" "says so"

# --- --only-wrong (fixedbar-check.service): quiet unless something is wrong
check "$good" --only-wrong
status 0 "--only-wrong, all in place: exit 0"
is "$out$err" "" "--only-wrong, all in place: prints nothing"
check "$good" --only-wrong --source none
status 3 "--only-wrong, nothing described: exit 3"
is "$out$err" "" "--only-wrong, nothing described: prints nothing"
check "$bad" --only-wrong
status 1 "--only-wrong, a BAR outside its window: exit 1"
like "$out" "OUTSIDE-WINDOW" "--only-wrong, a BAR outside its window: the table"

# --- source selection
check "$bad" --source acpi -j
status 0 "--source acpi: A and C only, both in place: exit 0"
jq_is '[.bars[].device] | join(",")' "$ivshmem,$rootdev" "--source acpi rows"
check "$bad" --source dt,cmdline -j
jq_is '[.bars[].device] | join(",")' "$ivshmem,$testdev" "--source dt,cmdline rows (the disabled node is skipped)"
check "$bad" --source bogus
status 2 "--source with an unknown source: exit 2"
like "$err" "unknown source 'bogus'" "names it"
check "$bad" --source none
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
check "$mod" --source cmdline,module -j
status 0 "the module's map parameter and a quoted cmdline map"
jq_is '[.bars[] | .device + " " + (.from | join(";"))] | join(",")' \
	"$ivshmem cmdline,$testdev module map,$rootdev cmdline;module map" "each with its source"

# repeated map= append in order, as the module does; one cut by
# whitespace after a separator is a problem, as the module refuses it
echo "root=/dev/vda pci_fixedbar.map=$A pci_fixedbar.map=$C" >"$mod/proc/cmdline"
check "$mod" --source cmdline -j
jq_is '[.bars[].device] | join(",")' "$ivshmem,$rootdev" "two cmdline map= both count"
echo "root=/dev/vda pci_fixedbar.map=$A; $C" >"$mod/proc/cmdline"
check "$mod" --source cmdline -j
status 1 "a cmdline map= ending in ';': exit 1 (a descriptor the module would not read)"
jq_is '.problems[0]' \
	"cmdline: pci_fixedbar.map=$A; ends with a separator: whitespace split the value, the module refuses it; write the entries without blanks, or quote the whole value" \
	"says whitespace split it"

# --- -m and -f: MOVED, UNASSIGNED, NOT-IMPLEMENTED, MISSING
check "$good" -m "$ivshmem=bar2@0x10040000000,bar0@0xfe000000" -j
status 1 "-m with a BAR elsewhere: exit 1"
jq_is ".bars[] | select(.name == \"bar2\") | [.status, .wanted, .start] | join(\" \")" \
	"MOVED 0x10040000000 0x10000000000" "MOVED, wanted and actual"
jq_is ".bars[] | select(.name == \"bar0\") | [.status, .resource, (.windows | length)] | join(\" \")" \
	"ok [mem 0xfe000000-0xfe0000ff] 4" "a 32-bit BAR in place, four windows up"
jq_is '[.bars[].from[]] | unique | join(",")' "-m #1" "only -m is read when -m is given"
check "$good" -m "$ivshmem=bar2@0x10040000000"
is "$(row 0000:03:00.0 bar2 | tr -s ' ')" "0000:03:00.0 bar2 0x10040000000 0x10000000000 [size=64M] MOVED" "table: MOVED, wanted and actual"
check "$good" -m "$ivshmem=bar2@0x10040000000+64M" -j
status 1 "-m with a +SIZE entry: read as without it"
jq_is ".bars[] | select(.name == \"bar2\") | [.status, .wanted] | join(\" \")" \
	"MOVED 0x10040000000" "the size does not change where the BAR is wanted"

check "$good" -m "$testdev=bar4@0x10200000000,bar3@0x10300000000" -m "0000:00:10.0/00.0/05.0/00.0=bar0@0x1000" \
	-m "$rootdev/00.0=bar0@0x2000" -m "0000:00:13.0=bar0@0x3000" -j
status 1 "unassigned, not implemented, missing: exit 1"
jq_is '[.bars[] | .name + " " + .status] | join(",")' \
	"bar3 NOT-IMPLEMENTED,bar4 UNASSIGNED,bar0 MISSING,bar0 MISSING,bar0 MISSING" "each status"
jq_is '[.bars[] | select(.status == "MISSING") | .reason] | join(";")' \
	"no device 05.0 below 0000:01:00.0;0000:00:11.0 is not a bridge, the path goes on below it;no device 0000:00:13.0 on a root bus" \
	"MISSING says why"
jq_is '[.bars[] | .bdf // "-"] | join(",")' \
	"0000:04:00.0,0000:04:00.0,-,-,-" "device null when missing"
check "$good" -m "$testdev=bar4@0x10200000000,bar3@0x10300000000" -m "0000:00:10.0/00.0/05.0/00.0=bar0@0x1000" \
	-m "$rootdev/00.0=bar0@0x2000" -m "0000:00:13.0=bar0@0x3000"
is "$(row 0000:04:00.0 bar4 | tr -s ' ')" "0000:04:00.0 bar4 0x10200000000 - [size=4K] UNASSIGNED" "table: UNASSIGNED with its size"
is "$(grep -c '^- ' <<<"$out")" 3 "table: a MISSING row has no device"
like "$out" "  path 0000:00:10.0/00.0/05.0/00.0: no device 05.0 below 0000:01:00.0" "table: a MISSING row's path and why"
ok_if "every status: the table fits 120 columns ($(widest "$out"))" [ "$(widest "$out")" -le 120 ]

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
# a terminal on standard input: refused, not waited on
if command -v script >/dev/null; then
	script -qec "$CHECK --sysfs $good/sys --proc $good/proc -f -" /dev/null </dev/null >"$tmp/tty" 2>&1
	rc=$?
	status 2 "-f - with a terminal on standard input: exit 2 at once"
	like "$(tr -d '\r' <"$tmp/tty")" "fixedbar-check: -f -: standard input is a terminal; pipe the entries in or name a file" "says why"
else
	fail "script (bsdutils) missing: no terminal to test -f - with"
fi

# --- input errors: exit 1, one line naming the place and the column
check "$good" -m "$ivshmem=bar2@10000000000"
status 2 "a malformed -m entry: exit 2"
is "$err" "fixedbar-check: -m #1: entry '$ivshmem=bar2@10000000000': address '10000000000' of bar2 at column 34 has no 0x prefix; fix the -m argument" \
	"the parse error, one line"
printf '%s\n' "$A" "$ivshmem=bar9@0x1" >"$tmp/badfile"
check "$good" -f "$tmp/badfile"
status 2 "a malformed line in a file: exit 2"
like "$err" "fixedbar-check: $tmp/badfile:2: entry '$ivshmem=bar9@0x1': bar9 at column 29 is not a BAR name" "file:line and column"
check "$good" --source all -m "$ivshmem=bar2@0x10040000000"
status 2 "the same BAR at two addresses: exit 2"
like "$err" "-m #1: $ivshmem bar2 fixed twice with different addresses (0x10000000000 and 0x10040000000)" "names both"
prop "$tmp/dtbad/sys/firmware/devicetree/base/t/compatible" "linux,pci-fixedbar"
cp -a "$good/." "$tmp/dtbad/"
prop "$tmp/dtbad/sys/firmware/devicetree/base/t/fixed-bars" "$ivshmem=bar2"
check "$tmp/dtbad" --source dt
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
check "$dsdt" --source acpi -j -v
status 0 "descriptors in the DSDT: exit 0"
jq_is '[.bars[] | .device + " " + (.from | join(";"))] | join(",")' \
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
check "$orphan" --source acpi -j
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
	check "$odd" --source acpi -q
	runs=$((runs + 1))
	[[ $rc == [0123] ]] || { crashes=$((crashes + 1)); diag "cut at $cut: exit $rc: $err"; }
done
for ((off = 36; off < len; off += 5)); do
	cp "$ssdt" "$odd/sys/firmware/acpi/tables/SSDT1"
	printf '\xff' | dd of="$odd/sys/firmware/acpi/tables/SSDT1" bs=1 seek="$off" conv=notrunc status=none
	check "$odd" --source acpi -q
	runs=$((runs + 1))
	[[ $rc == [0123] ]] || { crashes=$((crashes + 1)); diag "0xff at $off: exit $rc: $err"; }
done
is "$crashes" 0 "truncated and corrupted SSDTs: no crash in $runs runs (ASan/UBSan build)"
printf 'SSDT\x10\x00\x00\x00' >"$odd/sys/firmware/acpi/tables/SSDT1"
check "$odd" --source acpi -j -v
jq_is '[.notes[] | select(test("^acpi: SSDT1: shorter than"))] | length' 1 "a table shorter than its header is a note"

# --- a claimed range on a wanted range: named in the row
clm=$tmp/claimed
cp -a "$good" "$clm"
cat >>"$clm/proc/iomem" <<'END'
  1fffe000000-1ffffffffff : Reserved
END
check "$clm" -j
jq_is ".bars[] | select(.device == \"$rootdev\") | .claimed" \
	"Reserved [mem 0x1fffe000000-0x1ffffffffff]" "JSON: the claimed range the wanted range overlaps"
jq_is '[.bars[] | select(.claimed == null)] | length' 2 "JSON: null for the others"
check "$good" -j
jq_is '[.bars[] | select(.claimed != null)] | length' 0 "JSON: no claimed ranges, none named"
check "$clm"
is "$(row 0000:00:11.0 bar2 | tail -n 1)" "  wanted range on claimed Reserved [mem 0x1fffe000000-0x1ffffffffff]" \
	"table: the claimed range under the row"

done_testing
