#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.12 6.12/ovmf
#
# fixedbar-host's options for the guest's firmware work: the CPU, the
# 64-bit window (SeaBIOS: pci-hole64-size; OVMF: X-PciMmio64Mb too) and the
# root port come from fixedbar-host --firmware $E2E_FIRMWARE on the fake
# host tree (tests/tools/mkhost-sysfs.sh: the NIC 18:00.0, a 32M 64-bit
# BAR at 0x39004000000, above 3.5 TiB), the descriptor from its map format.
# A pci-testdev of that size stands in for the passed-through NIC (its BAR
# is bar2, the NIC's bar0).  Pass: the guest kernel's root bus window
# holds the address and the module places the BAR exactly there.
# E2E_HOST_FIRMWARE=seabios E2E_FIRMWARE=ovmf shows the failure the
# firmware option prevents: OVMF puts its aperture elsewhere.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

host_tool=${FIXEDBAR_HOST:-$top/build/rel/fixedbar-host}
nic=0000:18:00.0
addr=0x39004000000
"$top/tests/tools/mkhost-sysfs.sh" "$work/sys" >/dev/null

# host ARGS...: fixedbar-host on the fake tree for this firmware
host() {
	"$host_tool" --sysfs "$work/sys" --firmware "${E2E_HOST_FIRMWARE:-$E2E_FIRMWARE}" --amd --cpu max \
		--guest-ram 1G "$@" "$nic"
}
host -q >"$work/host.opts" 2>"$work/host.err"
is "$?" 0 "fixedbar-host --firmware $E2E_FIRMWARE: exit 0"
host -f map 2>"$work/host.notes" >"$work/host.map"
like "$(cat "$work/host.notes")" "note: assuming $([[ $E2E_FIRMWARE == ovmf ]] && echo OVMF || echo SeaBIOS)" \
	"fixedbar-host says which firmware it assumed"
map=$(sed 's/^pci_fixedbar\.map=//' "$work/host.map")
path=${map%%=*}
is "$map" "$path=bar0@$addr" "the map places the NIC's bar0 at its host address"

# the window options as printed; the NIC's -device line with the stand-in
window_args=()
qemu_devs=()
while read -r o v; do
	case $o in
	-device) qemu_devs+=("$o" "${v/vfio-pci,host=$nic/pci-testdev,membar=0x2000000}") ;;
	*) window_args+=("$o" "$v") ;;
	esac
done <"$work/host.opts"
diag "fixedbar-host: ${window_args[*]} ${qemu_devs[*]}"
entries=("$path=bar2@$addr")
kernel_args="pci_fixedbar.map=${entries[0]}"

guest_script <<EOF_GUEST
load host \$cmdline_args
capture after
bars after $path
EOF_GUEST
boot

# the kernel's 64-bit root bus window holds the whole BAR
win=$(tr -d '\r' <"$work/console.log" |
	sed -n 's/.*root bus resource \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) window\].*/\1 \2/p' |
	while read -r s e; do
		((s <= addr && addr + 0x2000000 - 1 <= e)) && echo "$s-$e"
	done)
if [[ -n $win ]]; then
	pass "$E2E_FIRMWARE: the guest's root bus window $win holds the BAR"
else
	fail "$E2E_FIRMWARE: the guest's root bus window holds the BAR"
	diag "$(grep -a 'root bus resource' "$work/console.log")"
fi
check_load host 1
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
done_testing
