#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12
#
# A DGX-class descriptor set: 40 entries (more than the 1024 bytes a charp
# parameter holds), 40 pci-testdevs as functions 0-7 of root bus slots
# 10-14, each BAR 2 fixed.  One guest takes them from one
# pci_fixedbar.map= on the kernel command line, then from two map= that
# must append; a second guest from an SSDT.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

many_testdevs 0x10000000000
map=$(IFS=';' && echo "${entries[*]}")
first=$(IFS=';' && echo "${entries[*]:0:20}")
rest=$(IFS=';' && echo "${entries[*]:20}")
diag "map= of 40 entries: ${#map} bytes"
kernel_args="pci_fixedbar.map=$map"

guest_script <<EOF_GUEST
capture before
load cmdline \$cmdline_args
capture after
bars after ${paths[*]}
fbcheck after
load twice 'map=$first' 'map=$rest'
EOF_GUEST
boot

check_load cmdline 40
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay cmdline
check_fbcheck after 0 ok "${entries[@]}"
check_load twice 40
like "$(rfile twice.dmesg)" "40 fixed BARs at their addresses" \
	"two map=: both halves count (the last one does not win)"

# the same 40 from ACPI
work=$work/acpi
res=$work/res
mkdir -p "$res" "$work/initrd"
kernel_args=
acpi_tables=("$(ssdt many "${entries[@]}")")
guest_script <<EOF_GUEST
load acpi
capture after
bars after ${paths[*]}
EOF_GUEST
boot
check_load acpi 40
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
done_testing
