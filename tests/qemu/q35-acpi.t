#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/e2e/main.t on the patched QEMU: the same q35 machine (root port
# 00:10.0 -> x3130 switch -> ivshmem, nvme, pci-testdev, virtio-blk; a
# pci-testdev on the root bus), but the fixed BARs come only from the
# devices' fixed-bars properties, which QEMU turns into the PRP0001
# "linux,pci-fixedbar" device \_SB.FXBR of its DSDT.  No SSDT, no map=.

qemu_arch=amd64
# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/lib.sh
. "$qemu_top/tests/e2e/lib.sh"

ivshmem=0000:00:10.0/00.0/00.0/00.0
nvme=0000:00:10.0/00.0/01.0/00.0
testdev=0000:00:10.0/00.0/02.0/00.0
vblk=0000:00:10.0/00.0/03.0/00.0
rootdev=0000:00:11.0
entries=(
	"$ivshmem=bar2@0x10000000000"
	"$testdev=bar2@0x10100000000"
	"$rootdev=bar2@0x1ffff000000"
)

shm1=$(shm m1 "host-pattern-qemu-q35")
mapfile -t sw < <(switch_args 4)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	-drive "if=none,id=d2,format=raw,file=$(disk vblk "$vblk_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0,fixed-bars=bar2@0x10000000000
	-device nvme,drive=d1,serial=e2e1,bus=dp1
	-device pci-testdev,membar=0x4000000,bus=dp2,fixed-bars=bar2@0x10100000000
	-device virtio-blk-pci,drive=d2,bus=dp3,disable-legacy=on
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11,fixed-bars=bar2@0x1ffff000000
)

guest_script <<EOF_GUEST
strings /sys/firmware/acpi/tables/DSDT | grep -e '=bar' -e pci-fixedbar >/res/dsdt-strings
ls /sys/bus/platform/devices >/res/platform
release $vblk
capture before
load main
capture after
bars after $ivshmem $testdev $rootdev
drv nvme
drv virtio_pci
drv virtio_blk
probe $vblk
echo "\$(driver $nvme) \$(driver $vblk)" >/res/drivers
nvme_read after
vblk_read after
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(rfile dsdt-strings | sed '/^$/d' | sort)" "$(printf '%s\n' linux,pci-fixedbar "${entries[@]}" | sort)" \
	"the DSDT carries QEMU's descriptor device with the three entries"
like "$(rfile platform)" "PRP0001:00" "the guest created the PRP0001 platform device"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
is "$(rfile drivers)" "nvme virtio-pci" "drivers bind after the move"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 through the moved BAR"
is "$(rfile after.vblk)" "$vblk_pattern" "virtio-blk reads block 0 after the move"
is "$(rfile after.ivshmem)" "host-pattern-qemu-q35" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
