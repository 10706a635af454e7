#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# arm64 virt on the patched QEMU, direct kernel boot with the machine's own
# device tree: the fixed BARs come only from the devices' fixed-bars
# properties, which QEMU turns into a /pci-fixedbar node.  The 64-bit
# window is moved with -machine highmem-mmio-window to 1 TiB-2 TiB, outside
# virt's default (0x8000000000-0xffffffffff), and the BARs are fixed there.
# Root port 00:10.0 -> x3130 switch -> ivshmem (fixed), nvme (movable),
# pci-testdev (fixed); a pci-testdev on the root bus fixed at the very top
# of the window.  ivshmem exchanges patterns with the host through the
# moved BAR, nvme reads its disk afterwards.

qemu_arch=arm64
# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/arm64/lib.sh
. "$qemu_top/tests/arm64/lib.sh"

ivshmem=0000:00:10.0/00.0/00.0/00.0
nvme=0000:00:10.0/00.0/01.0/00.0
testdev=0000:00:10.0/00.0/02.0/00.0
rootdev=0000:00:11.0
entries=(
	"$ivshmem=bar2@0x10000000000"
	"$testdev=bar2@0x10100000000"
	"$rootdev=bar2@0x1ffff000000"
)

shm1=$(shm m1 "host-pattern-qemu-virt-dt")
guest_modules nvme
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-machine highmem-mmio-window=0x10000000000:0x10000000000
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0,fixed-bars=bar2@0x10000000000
	-device nvme,drive=d1,serial=a64n1,bus=dp1
	-device pci-testdev,membar=0x4000000,bus=dp2,fixed-bars=bar2@0x10100000000
	-device pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11,fixed-bars=bar2@0x1ffff000000
)

guest_script <<EOF_GUEST
tr '\0' '\n' </sys/firmware/devicetree/base/pci-fixedbar/fixed-bars >/res/dt-fixed-bars
tr -d '\0' </sys/firmware/devicetree/base/pci-fixedbar/compatible >/res/dt-compatible
capture before
load main
capture after
bars after $ivshmem $testdev $rootdev
drv nvme
echo "\$(driver $nvme)" >/res/drivers
nvme_read after
# nothing enabled memory decoding without firmware or a driver
echo 1 >/sys/bus/pci/devices/\$(path2bdf $ivshmem)/enable
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(rfile dt-compatible)" "linux,pci-fixedbar" "QEMU's /pci-fixedbar node is in the guest's device tree"
is "$(rfile dt-fixed-bars | sed '/^$/d' | sort)" "$(printf '%s\n' "${entries[@]}" | sort)" \
	"its fixed-bars hold the three entries"
like "$(rfile before.iomem)" "10000000000-1ffffffffff : pcie@10000000" \
	"the host bridge's 64-bit window is the one highmem-mmio-window set"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
is "$(rfile drivers)" "nvme" "nvme binds after the move"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 after the move"
is "$(rfile after.ivshmem)" "host-pattern-qemu-virt-dt" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
