#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12
#
# A corpus of device trees, good and malformed (wrong types, empty, long
# strings in the table and on a device's node, duplicates, a "fixed-bars"
# node instead of a property, nodes nothing reads, mixed sources), one arm64 virt guest each:
# the module and fixedbar-check must reach the same verdict on every one.
# Accepted: both list the same number of fixed BARs and the BARs sit at
# their addresses.  Refused: the load fails, both name the node, the
# layout is unchanged.  The ACPI counterpart is tests/e2e/tables.t.
#
# Root port 00:10.0 with a pci-testdev (A), a pci-testdev on the root bus
# at 00:11.0 (R).

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

A=0000:00:10.0/00.0
R=0000:00:11.0
A_AT=0x9000000000
R_AT=0xffff000000
long=$(printf '0%.0s' {1..600})

# node NAME PROPERTIES: a node under /
node() {
	printf '\n/ {\n\t%s {\n\t\t%s\n\t};\n};' "$1" "$2"
}

# rdev PROPERTY-LINE: a property on R's own node
rdev() {
	printf '\n&{%s} {\n\tpci@11,0 {\n\t\treg = <0x8800 0x0 0x0 0x0 0x0>;\n\t\t%s\n\t};\n};' \
		"$a64_host" "$1"
}

C='compatible = "linux,pci-fixedbar";'
# name, verdict ("ok N" or "refuse NODE"), kernel command line, DTS
cases=(
	good "ok 1" "" "$(node pci-fixedbar "$C fixed-bars = \"$A=bar2@$A_AT\";")"
	long-item "ok 1" "" "$(rdev "fixed-bars = \"bar2@0x$long${R_AT#0x}\";")"
	mixed-agree "ok 2" "pci_fixedbar.map=$R=bar2@$R_AT" "$(node pci-fixedbar "$C fixed-bars = \"$A=bar2@$A_AT\", \"$R=bar2@$R_AT\";")$(rdev "fixed-bars = \"bar2@$R_AT\";")"
	integer "refuse /pci-fixedbar" "" "$(node pci-fixedbar "$C fixed-bars = <0x10>;")"
	integer-with-map "refuse /pci-fixedbar" "pci_fixedbar.map=$A=bar2@$A_AT" "$(node pci-fixedbar "$C fixed-bars = <0x10>;")"
	bytes "refuse /pci-fixedbar" "" "$(node pci-fixedbar "$C fixed-bars = [41 42];")"
	empty "refuse /pci-fixedbar" "" "$(node pci-fixedbar "$C fixed-bars;")"
	no-property "refuse /pci-fixedbar" "" "$(node pci-fixedbar "$C")"
	stray "refuse /stray" "" "$(node stray "fixed-bars = \"$A=bar2@$A_AT\";")"
	device-integer "refuse pci@11,0" "" "$(rdev "fixed-bars = <0xff 0xff000000>;")"
	long-table "ok 1" "" "$(node pci-fixedbar "$C fixed-bars = \"$A=bar2@0x$long${A_AT#0x}\";")"
	duplicate "ok 1" "" "$(node pci-fixedbar "$C fixed-bars = \"$A=bar2@$A_AT\", \"$A=bar2@$A_AT\";")"
	duplicate-differ "refuse $A" "" "$(node pci-fixedbar "$C fixed-bars = \"$A=bar2@$A_AT\", \"$A=bar2@0x9100000000\";")"
	subnode "refuse /pci-fixedbar" "" "$(node pci-fixedbar "$C fixed-bars { reg = <0x10>; };")"
	mixed-conflict "refuse $R" "" "$(node pci-fixedbar "$C fixed-bars = \"$R=bar2@$R_AT\";")$(rdev "fixed-bars = \"bar2@0xfffe000000\";")"
)

# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
	-device pci-testdev,membar=0x4000000,bus=rp1
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11
)

# ok_if DESCRIPTION COMMAND...: passes when COMMAND succeeds
ok_if() {
	local d=$1

	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}

base=$work
for ((c = 0; c < ${#cases[@]}; c += 4)); do
	name=${cases[c]}
	verdict=${cases[c + 1]}
	kernel_args=${cases[c + 2]}
	dts_extra=${cases[c + 3]}
	work=$base/$name
	res=$work/res
	mkdir -p "$res" "$work/initrd"
	guest_script <<EOF_GUEST
capture before
fbcheck pre
load t \$cmdline_args
capture after
bars after $A $R
EOF_GUEST
	case_name=dt-tables-$name
	boot
	mod_rc=$(rfile t.rc)
	chk_rc=$(rfile pre.check.rc)
	problems=$(jq -r '.problems[]' "$res/pre.check.json" 2>/dev/null)
	if [[ $verdict == ok* ]]; then
		n=${verdict#ok }
		is "$mod_rc" 0 "$name: the module loads"
		[[ $mod_rc == 0 ]] || diag "$(rfile t.dmesg)"
		like "$(rfile t.dmesg)" "0000:00: $n fixed BAR" "$name: the module places $n fixed BARs"
		is "$problems" "" "$name: fixedbar-check finds no problem"
		is "$(jq '.bars | length' "$res/pre.check.json" 2>&1)" "$n" \
			"$name: fixedbar-check lists $n fixed BARs"
		[[ $name == long-item ]] || check_fixed after "$A=bar2@$A_AT"
		[[ $n == 2 || $name == long-item ]] && check_fixed after "$R=bar2@$R_AT"
	else
		node=${verdict#refuse }
		ok_if "$name: the module refuses to load" [ "$mod_rc" -gt 0 ]
		like "$(rfile t.dmesg)" "$node" "$name: the module's message names $node"
		ok_if "$name: the module's message says what to do" \
			grep -Eq "fix the descriptor|nest it host" "$res/t.dmesg"
		# one load, one line (busybox's insmod used to load twice)
		[[ $name != duplicate-differ ]] ||
			is "$(grep -c "bar2 fixed twice with different addresses" "$res/t.dmesg")" 1 \
				"$name: the refusal is logged once"
		ok_if "$name: fixedbar-check fails" [ "$chk_rc" -gt 0 ]
		like "$problems $(rfile pre.check.err)" "$node" \
			"$name: fixedbar-check names $node"
		check_unchanged before after
	fi
done
done_testing
