#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: all
#
# arm64 virt, descriptors in the device tree: root port 00:10.0 -> x3130
# switch -> ivshmem (fixed through the "linux,pci-fixedbar" table node),
# pci-testdev (fixed through "fixed-bars" on its own node, nested host ->
# root port -> upstream -> downstream -> endpoint) and a movable
# pci-testdev; a pci-testdev on the root bus fixed at the very top of
# virt's 64-bit window (0x8000000000-0xffffffffff) through its own node.
# ivshmem then exchanges patterns with the host through the moved BAR.

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

shm1=$(shm m1 "host-pattern-arm64-dt")
dt_table "${entries[0]}"
dt_device "$testdev" "bar2@0x9100000000"
dt_device "$rootdev" "bar2@0xffff000000"
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
ls /sys/firmware/devicetree/base/pcie@10000000/pci@10,0/pci@0,0/pci@1,0/pci@0,0 >/res/dt-node 2>&1
capture before
fbcheck before
load main
capture after
bars after $ivshmem $testdev $rootdev
fbcheck after
# nothing enabled memory decoding without firmware or a driver
echo 1 >/sys/bus/pci/devices/\$(path2bdf $ivshmem)/enable
ivshmem after $ivshmem
EOF_GUEST
boot

like "$(rfile dt-node)" "fixed-bars" "the nested per-device node is in the guest's device tree"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
check_fbcheck before 1 MOVED "${entries[@]}"
check_fbcheck after 0 ok "${entries[@]}"
like "$(rfile main.dmesg)" "moved to [mem 0x9000000000-0x9003ffffff 64bit pref]" \
	"main: pci_info line for the moved ivshmem BAR"
is "$(rfile after.ivshmem)" "host-pattern-arm64-dt" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
