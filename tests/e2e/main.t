#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: all 6.1/ovmf 6.12/ovmf
#
# The main scenario, descriptors from an SSDT: root port 00:10.0 -> x3130
# switch -> four downstream ports with ivshmem (fixed at the bottom of the
# 1 TiB 64-bit window), nvme (movable), pci-testdev (fixed), virtio-blk
# (movable); a pci-testdev on the root bus fixed at the very top of the
# window.  Then nvme and virtio bind after the move and read their disks,
# and ivshmem exchanges patterns with the host through the moved BAR.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

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

shm1=$(shm m1 "host-pattern-main-1")
# the root bus device's entry through its own ACPI companion
acpi_tables=("$(ssdt fixedbar "${entries[@]:0:2}" "@0x11=bar2@0x1ffff000000")")
mapfile -t sw < <(switch_args 4)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	-drive "if=none,id=d2,format=raw,file=$(disk vblk "$vblk_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device nvme,drive=d1,serial=e2e1,bus=dp1
	-device pci-testdev,membar=0x4000000,bus=dp2
	-device virtio-blk-pci,drive=d2,bus=dp3,disable-legacy=on
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11
)

guest_script <<EOF_GUEST
release $vblk
capture before
fbcheck before
load main
capture after
bars after $ivshmem $testdev $rootdev
fbcheck after
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

check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
check_fbcheck before 1 MOVED "${entries[@]}"
check_fbcheck after 0 ok "${entries[@]}"
like "$(rfile main.dmesg)" "moved to [mem 0x10000000000-0x10003ffffff 64bit pref]" \
	"main: pci_info line for the moved ivshmem BAR"
is "$(rfile drivers)" "nvme virtio-pci" "drivers bind after the move"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 through the moved BAR"
is "$(rfile after.vblk)" "$vblk_pattern" "virtio-blk reads block 0 after the move"
is "$(rfile after.ivshmem)" "host-pattern-main-1" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
