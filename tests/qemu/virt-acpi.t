#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# arm64 virt on the patched QEMU through UEFI (QEMU_EFI.fd, ACPI; the
# firmware assigns the BARs first): the fixed BARs come only from the
# devices' fixed-bars properties, which QEMU turns into the PRP0001
# "linux,pci-fixedbar" device \_SB.FXBR of virt's DSDT.  No SSDT, no table
# upgrade, no map=.  The machine of virt-dt.t in virt's default 64-bit
# window (0x8000000000-0xffffffffff).

qemu_arch=arm64
A64_FW=acpi
# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/arm64/lib.sh
. "$qemu_top/tests/arm64/lib.sh"

ivshmem=0000:00:10.0/00.0/00.0/00.0
nvme=0000:00:10.0/00.0/01.0/00.0
testdev=0000:00:10.0/00.0/02.0/00.0
rootdev=0000:00:11.0
entries=(
	"$ivshmem=bar2@0x9000000000"
	"$testdev=bar2@0x9100000000"
	"$rootdev=bar2@0xffff000000"
)

shm1=$(shm m1 "host-pattern-qemu-virt-acpi")
guest_modules nvme
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0,fixed-bars=bar2@0x9000000000
	-device nvme,drive=d1,serial=a64n2,bus=dp1
	-device pci-testdev,membar=0x4000000,bus=dp2,fixed-bars=bar2@0x9100000000
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11,fixed-bars=bar2@0xffff000000
)

guest_script <<EOF_GUEST
strings /sys/firmware/acpi/tables/DSDT | grep -e '=bar' -e pci-fixedbar >/res/dsdt-strings
ls /sys/bus/platform/devices >/res/platform
dmesg | grep -c 'Table Upgrade' >/res/upgrades
capture before
load main
capture after
bars after $ivshmem $testdev $rootdev
drv nvme
echo "\$(driver $nvme)" >/res/drivers
nvme_read after
echo 1 >/sys/bus/pci/devices/\$(path2bdf $ivshmem)/enable
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(rfile dsdt-strings | sed '/^$/d' | sort)" "$(printf '%s\n' linux,pci-fixedbar "${entries[@]}" | sort)" \
	"virt's DSDT carries QEMU's descriptor device with the three entries"
like "$(rfile platform)" "PRP0001:00" "the guest created the PRP0001 platform device"
is "$(rfile upgrades)" 0 "no table came in through the initrd table upgrade"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
is "$(rfile drivers)" "nvme" "nvme binds after the move"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 after the move"
is "$(rfile after.ivshmem)" "host-pattern-qemu-virt-acpi" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
