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

many_testdevs 0x9000000000
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
