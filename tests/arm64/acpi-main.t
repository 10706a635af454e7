#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: all/acpi
#
# dt-main.t's machine booted through UEFI (QEMU_EFI.fd), so the guest uses
# ACPI and the firmware assigned the BARs first.  The descriptors come as
# SSDTs through the initrd table upgrade: a PRP0001 "linux,pci-fixedbar"
# device for the ivshmem, and "fixed-bars" in the _DSD of the devices' own
# companions (declared by the SSDT with their _ADRs, host -> root port ->
# upstream -> downstream -> endpoint) for the two pci-testdevs.

A64_FW=acpi
# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

ivshmem=0000:00:10.0/00.0/00.0/00.0
testdev=0000:00:10.0/00.0/01.0/00.0
rootdev=0000:00:11.0
entries=(
	"$ivshmem=bar2@0x9000000000"
	"$testdev=bar2@0x9100000000"
	"$rootdev=bar2@0xffff000000"
)

shm1=$(shm m1 "host-pattern-arm64-acpi")
acpi_tables=(
	"$(ssdt fixedbar "${entries[0]}")"
	"$(ssdt_dev fxdev1 "$testdev" "bar2@0x9100000000")"
	"$(ssdt_dev fxdev2 "$rootdev" "bar2@0xffff000000")"
)
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device pci-testdev,membar=0x4000000,bus=dp1
	-device pci-testdev,membar=0x1000000,bus=dp2
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11
)

guest_script <<EOF_GUEST
dmesg | grep -i 'acpi.*\(upgrade\|ssdt\)' >/res/acpi-tables
cat /sys/bus/pci/devices/\$(path2bdf $testdev)/firmware_node/path >/res/companion 2>&1
capture before
fbcheck before
load main
capture after
bars after $ivshmem $testdev $rootdev
fbcheck after
echo 1 >/sys/bus/pci/devices/\$(path2bdf $ivshmem)/enable
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(grep -c 'Table Upgrade: install \[SSDT- *FXBR-' "$res/acpi-tables")" 3 \
	"the three SSDTs came in through the initrd table upgrade"
is "$(rfile companion)" '\_SB_.PCI0.S80_.S00_.S08_.S00_' "the testdev's companion is the SSDT's nested device"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
check_fbcheck before 1 MOVED "${entries[@]}"
check_fbcheck after 0 ok "${entries[@]}"
is "$(rfile after.ivshmem)" "host-pattern-arm64-acpi" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
