#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12
#
# arm64 virt, device tree: the deep chain of issue 20 (tests/e2e/deep-chain.t
# on x86).  Root port 00:10.0 -> x3130 switch -> port -> x3130 switch ->
# port 0 with a 64 MiB ivshmem, port 1 with a 512 MiB one.  Without
# firmware Linux assigns every BAR; pci=hpmmioprefsize=1G makes each
# hotplug port's prefetchable window 1 GiB as firmware with hotplug room
# would (otherwise every window is exactly full and the whole chain has
# to grow): port 1's with its 512 MiB BAR at 0x8000000000, port 0's at
# 0x8040000000.  The small ivshmem is fixed (table node) 256 MiB into the
# big one.  The module reads pci=hpmmioprefsize= as the kernel does, a floor
# on each hotplug port's window size (docs/parameters.md, "Hotplug room"):
# port 0 keeps 1 GiB less its 64 MiB BAR free, port 1 1 GiB less its 512
# MiB BAR.  Four moves do: the two sibling windows trade places (port 0's
# takes port 1's range, the fixed BAR 256 MiB into it, room on both sides;
# port 1's takes port 0's, the big BAR at its start), and the two big BARs;
# every window up the chain keeps its range (minimize.c's step 5, fixture
# ok-min-moves-deep-chain-arm64.json).  Every port keeps pcieport bound and
# no port's BAR moves.

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

rp=0000:00:10.0
up1=$rp/00.0
dp1=$up1/00.0
up2=$dp1/00.0
dpa=$up2/00.0
dpb=$up2/01.0
ivshmem=$dpa/00.0
big=$dpb/00.0
entries=("$ivshmem=bar2@0x8010000000")

shm1=$(shm m1 "host-pattern-a64-deep")
truncate -s 512M "$work/big.shm"
dt_table "${entries[@]}"
kernel_args="pci=hpmmioprefsize=1G"
# two switch levels: root port -> switch port dp0 -> switch ports dq0, dq1
mapfile -t sw < <(switch_args 1
	switch_ports up2 dp0 dq 2 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$work/big.shm,size=512M"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dq0
	-device ivshmem-plain,memdev=m2,bus=dq1
)

guest_script <<EOF_GUEST
capture before
bars before $rp $up1 $dp1 $up2 $dpa $dpb $big
echo "\$(driver $rp) \$(driver $up1) \$(driver $dp1) \$(driver $up2) \$(driver $dpa) \$(driver $dpb)" >/res/drivers
load deep
capture after
bars after $rp $up1 $dp1 $up2 $dpa $dpb $ivshmem
echo "\$(driver $rp) \$(driver $up1) \$(driver $dp1) \$(driver $up2) \$(driver $dpa) \$(driver $dpb)" >/res/drivers.after
# nothing enabled memory decoding without firmware or a driver
echo 1 >/sys/bus/pci/devices/\$(path2bdf $ivshmem)/enable
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(awk -v p=$big '$1 == p { print $9 }' "$res/before.bars")" 0x0000008000000000 \
	"before: Linux put the 512 MiB BAR at 0x8000000000, under the fixed address"
is "$(rfile drivers)" "pcieport pcieport pcieport pcieport pcieport pcieport" \
	"every port has pcieport bound"
check_load deep 1
like "$(rfile deep.dmesg)" "1 fixed BAR at its address, 4 resources moved" \
	"deep: the sibling windows trade places (summary line)"
is "$(jq .plan.moved "$res/deep.debugfs.json" 2>&1)" 4 "deep: the plan moves 4 resources"
is "$(jq -r '[.plan.resources[] | select(.moved) | .device + " " + .name] | sort | join(",")' \
	"$res/deep.debugfs.json" 2>&1)" \
	"$dpa window.prefetchable,$ivshmem bar2,$dpb window.prefetchable,$big bar2" \
	"deep: the moves are the two sibling windows and the two big BARs"
like "$(rfile deep.dmesg)" "pcieport 0000:04:00.0: bridge window [mem 0x8040000000-0x807fffffff 64bit pref]: moved to [mem 0x8000000000-0x803fffffff 64bit pref]" \
	"deep: the fixed BAR's port takes the big BAR's port's 1 GiB window"
like "$(rfile deep.dmesg)" "pcieport 0000:04:01.0: bridge window [mem 0x8000000000-0x803fffffff 64bit pref]: moved to [mem 0x8040000000-0x807fffffff 64bit pref]" \
	"deep: the big BAR's port takes the fixed BAR's port's window"
is "$(cut -d' ' -f3- "$res/after.bars" | head -6)" "$(cut -d' ' -f3- "$res/before.bars" | head -6)" \
	"deep: no BAR of a port (pcieport bound) moved"
is "$(rfile drivers.after)" "pcieport pcieport pcieport pcieport pcieport pcieport" \
	"every port still has pcieport bound"
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay deep
is "$(rfile after.ivshmem)" "host-pattern-a64-deep" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
