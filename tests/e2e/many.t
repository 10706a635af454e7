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

entries=()
paths=()
qemu_devs=()
n=0
for s in 10 11 12 13 14; do
	for f in 0 1 2 3 4 5 6 7; do
		paths+=("0000:00:$s.$f")
		entries+=("0000:00:$s.$f=bar2@$(printf '0x%x' $((0x10000000000 + n * 0x1000000)))")
		qemu_devs+=(-device "pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x$s.$f,multifunction=on")
		n=$((n + 1))
	done
done
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
