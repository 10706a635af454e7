#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: all 6.1/ovmf 6.12/ovmf
#
# Two switches under two root ports, descriptors from the kernel command
# line (pci_fixedbar.map=): an ivshmem fixed at 1.5 TiB beside a movable
# nvme under the first switch, an ivshmem fixed at the bottom of the 64-bit
# window beside a movable virtio-blk under the second.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

shmA=0000:00:10.0/00.0/00.0/00.0
nvme=0000:00:10.0/00.0/01.0/00.0
shmB=0000:00:12.0/00.0/00.0/00.0
vblk=0000:00:12.0/00.0/01.0/00.0
entries=(
	"$shmA=bar2@0x18000000000"
	"$shmB=bar2@0x10000000000"
)

shm1=$(shm m1 "host-pattern-two-1")
shm2=$(shm m2 "host-pattern-two-2")
kernel_args="pci_fixedbar.map=${entries[0]};${entries[1]}"
mapfile -t sw1 < <(root_port rp1 0x10 1; switch_ports up1 rp1 dp1 2 2)
mapfile -t sw2 < <(root_port rp2 0x12 4; switch_ports up2 rp2 dp2 2 5)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	-drive "if=none,id=d2,format=raw,file=$(disk vblk "$vblk_pattern")"
	"${sw1[@]}"
	"${sw2[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp10
	-device nvme,drive=d1,serial=e2e1,bus=dp11
	-device ivshmem-plain,memdev=m2,bus=dp20
	-device virtio-blk-pci,drive=d2,bus=dp21,disable-legacy=on
)

guest_script <<EOF_GUEST
release $vblk
fbcheck before
load two \$cmdline_args
capture after
bars after $shmA $shmB
fbcheck after
drv nvme
drv virtio_pci
drv virtio_blk
probe $vblk
echo "\$(driver $nvme) \$(driver $vblk)" >/res/drivers
nvme_read after
vblk_read after
ivshmem after1 $shmA
ivshmem after2 $shmB
EOF_GUEST
boot

check_load two 2
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay two
check_fbcheck before 1 MOVED "${entries[@]}"
check_fbcheck after 0 ok "${entries[@]}"
is "$(rfile drivers)" "nvme virtio-pci" "drivers bind after the move"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 through the moved BAR"
is "$(rfile after.vblk)" "$vblk_pattern" "virtio-blk reads block 0 after the move"
is "$(rfile after1.ivshmem)" "host-pattern-two-1" "ivshmem 1: the guest reads the host's pattern"
is "$(rfile after2.ivshmem)" "host-pattern-two-2" "ivshmem 2: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after1" "ivshmem 1: the host reads the guest's pattern"
is "$(shm_read m2 4096)" "guest-after2" "ivshmem 2: the host reads the guest's pattern"
done_testing
