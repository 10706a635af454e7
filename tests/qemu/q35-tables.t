#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Without any fixed-bars the patched QEMU builds the very same ACPI tables
# as Debian's unpatched one: the same q35 machine booted on both, the
# guest's DSDT compared byte for byte (and no \_SB.FXBR in it).  With
# QEMU_SERIES=sid there is no unpatched QEMU of that version to compare
# with: the byte comparison is skipped, the absence of FXBR checked.

qemu_arch=amd64
# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/lib.sh
. "$qemu_top/tests/e2e/lib.sh"

# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
	-device pci-testdev,membar=0x4000000,bus=rp1
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11
)
guest_script <<EOF_GUEST
hexdump -v -e '32/1 "%02x" "\n"' /sys/firmware/acpi/tables/DSDT >/res/dsdt.hex
ls /sys/bus/platform/devices >/res/platform
EOF_GUEST

what="the DSDT is the unpatched QEMU's, byte for byte"
if [[ ${QEMU_SERIES:-7.2} == sid ]]; then
	# Debian 12's qemu-system-x86_64 is 7.2: no unpatched sid QEMU here
	boot
	pass "$what # SKIP no unpatched sid QEMU on this machine"
	is "$(perl -ne 'chomp; print pack("H*", $_)' "$res/dsdt.hex" | grep -ac FXBR)" 0 "no FXBR in the DSDT"
else
	patched=$E2E_QEMU
	E2E_QEMU=qemu-system-x86_64
	boot
	mv "$res/dsdt.hex" "$work/system-dsdt.hex"
	E2E_QEMU=$patched
	boot
	if [[ -s $work/system-dsdt.hex ]] && cmp -s "$work/system-dsdt.hex" "$res/dsdt.hex"; then
		pass "$what"
	else
		fail "$what"
		diag "$(diff "$work/system-dsdt.hex" "$res/dsdt.hex" | head -10)"
	fi
fi
unlike_prp=$(grep -c PRP0001 "$res/platform")
is "$unlike_prp" 0 "no PRP0001 device in the guest"
done_testing
