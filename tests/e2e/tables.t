#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12
#
# A corpus of ACPI tables, good and malformed (wrong types, nesting, long
# strings, duplicates, mixed sources), one guest each: the module and
# fixedbar-check must reach the same verdict on every one.  Accepted: both
# list the same number of fixed BARs and the BARs sit at their addresses.
# Refused: the load fails, both name the node, the layout is unchanged.
#
# Root port 00:10.0 with a pci-testdev (A), a pci-testdev on the root bus
# at 00:11.0 (R, ACPI companion \_SB.PCI0.S88).

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

A=0000:00:10.0/00.0
R=0000:00:11.0
A_AT=0x10000000000
R_AT=0x1ffff000000
UUID='ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301")'
long=$(printf '0%.0s' {1..600})

# prp BARS-VALUE [COMPATIBLE-LINE [HID-LINE]]: a PRP0001 node \_SB.FXBR
COMPAT='Package () { "compatible", "linux,pci-fixedbar" },'
prp() {
	local hid=${3-Name (_HID, \"PRP0001\")} comp=${2-$COMPAT}
	cat <<ASL
    Scope (\\_SB) {
        Device (FXBR) {
            $hid
            Name (_DSD, Package () { $UUID, Package () {
                $comp
                $1
            } })
        }
    }
ASL
}

# dev BARS-PAIRS: a _DSD on R's companion
dev() {
	cat <<ASL
    Scope (\\_SB.PCI0.S88) {
        Name (_DSD, Package () { $UUID, Package () { $1 } })
    }
ASL
}

# name, verdict ("ok N" or "refuse NODE"), kernel command line, ASL body
cases=(
	good-prp "ok 1" "" "$(prp "Package () { \"fixed-bars\", Package () { \"$A=bar2@$A_AT\" } }")"
	good-string "ok 1" "" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT\" }")"
	long-item "ok 1" "" "$(dev "Package () { \"fixed-bars\", Package () { \"bar2@0x$long${R_AT#0x}\" } }")"
	long-entry "ok 2" "" "$(prp "Package () { \"fixed-bars\", Package () { \"$A=bar2@0x$long${A_AT#0x};$R=bar2@0x$long${R_AT#0x}\" } }")"
	integer "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", 0x10 }")"
	integer-with-map "refuse \\_SB_.FXBR" "pci_fixedbar.map=$A=bar2@$A_AT" "$(prp "Package () { \"fixed-bars\", 0x10 }")"
	nested "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", Package () { Package () { \"$A=bar2@$A_AT\" }, 1 } }")"
	element-integer "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", Package () { \"$A=bar2@$A_AT\", 5 } }")"
	two-values "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT\", \"x\" }")"
	duplicate-key "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT\" }, Package () { \"fixed-bars\", \"$R=bar2@$R_AT\" }")"
	device-integer "refuse \\_SB_.PCI0.S88_" "" "$(dev "Package () { \"fixed-bars\", 0x1ffff000 }")"
	no-prp0001 "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT\" }" "Package () { \"compatible\", \"linux,pci-fixedbar\" }," "Name (_UID, 1)")"
	no-companion "refuse \\_SB_.FXBR" "" "$(prp "Package () { \"fixed-bars\", \"bar2@$A_AT\" }" "")"
	mixed-agree "ok 2" "pci_fixedbar.map=$R=bar2@$R_AT" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT;$R=bar2@$R_AT\" }")
$(dev "Package () { \"fixed-bars\", \"bar2@$R_AT\" }")"
	mixed-conflict "refuse $R" "" "$(prp "Package () { \"fixed-bars\", \"$A=bar2@$A_AT;$R=bar2@$R_AT\" }")
$(dev "Package () { \"fixed-bars\", \"bar2@0x1fffe000000\" }")"
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
	work=$base/$name
	res=$work/res
	mkdir -p "$res" "$work/initrd"
	cat >"$work/t.asl" <<ASL
DefinitionBlock ("", "SSDT", 1, "FXBR", "CORPUS", 1)
{
    External (\\_SB.PCI0.S88, DeviceObj)
${cases[c + 3]}
}
ASL
	if ! iasl -p "$work/t" "$work/t.asl" >"$work/iasl.log" 2>&1; then
		fail "$name: iasl compiles the table"
		diag "$(cat "$work/iasl.log")"
		continue
	fi
	acpi_tables=("$work/t.aml")
	guest_script <<EOF_GUEST
capture before
fbcheck pre
load t \$cmdline_args
capture after
bars after $A $R
EOF_GUEST
	case_name=tables-$name
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
		[[ $n == 2 || $name == good* ]] && check_fixed after "$A=bar2@$A_AT"
		[[ $n == 2 || $name == long-item ]] && check_fixed after "$R=bar2@$R_AT"
	else
		node=${verdict#refuse }
		ok_if "$name: the module refuses to load" [ "$mod_rc" -gt 0 ]
		like "$(rfile t.dmesg)" "$node" "$name: the module's message names $node"
		ok_if "$name: the module's message says what to do" \
			grep -Eq "fix the descriptor|check the Scope path|add Name" "$res/t.dmesg"
		ok_if "$name: fixedbar-check fails" [ "$chk_rc" -gt 0 ]
		like "$problems $(rfile pre.check.err)" "$node" \
			"$name: fixedbar-check names $node"
		check_unchanged before after
	fi
done
done_testing
