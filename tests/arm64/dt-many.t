#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12
#
# A DGX-class descriptor set from the device tree (issue 16): 40 entries in
# one "linux,pci-fixedbar" node, 40 pci-testdevs as functions 0-7 of root
# bus slots 10-14, each BAR 2 fixed in virt's 64-bit window.  The x86
# counterpart (map= and ACPI) is tests/e2e/many.t.

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

entries=()
paths=()
qemu_devs=()
n=0
for s in 10 11 12 13 14; do
	for f in 0 1 2 3 4 5 6 7; do
		paths+=("0000:00:$s.$f")
		entries+=("0000:00:$s.$f=bar2@$(printf '0x%x' $((0x9000000000 + n * 0x1000000)))")
		qemu_devs+=(-device "pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x$s.$f,multifunction=on")
		n=$((n + 1))
	done
done
dt_table "${entries[@]}"

guest_script <<EOF_GUEST
capture before
load dt
capture after
bars after ${paths[*]}
fbcheck after
EOF_GUEST
boot

check_load dt 40
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay dt
check_fbcheck after 0 ok "${entries[@]}"
done_testing
