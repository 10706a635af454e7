#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The deep chain of issue 20: root port 00:10.0 -> x3130 switch -> port ->
# x3130 switch -> port 0 with an ivshmem (64 MiB) fixed at 0x110000000, 256 MiB
# into where the firmware (SeaBIOS) put the 512 MiB BAR of the ivshmem below
# the sibling port 1.
# Only what must move moves: the two sibling ports' prefetchable windows
# and the two big BARs; every port keeps pcieport bound and no BAR of a
# device with a bound driver moves (a root port's MSI-X table sits in its
# BAR 0).

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

rp=0000:00:10.0
up1=$rp/00.0
dp1=$up1/00.0
up2=$dp1/00.0
dpa=$up2/00.0
dpb=$up2/01.0
ivshmem=$dpa/00.0
big=$dpb/00.0
entries=("$ivshmem=bar2@0x110000000")

shm1=$(shm m1 "host-pattern-deep-1")
truncate -s 512M "$work/big.shm"
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
bars before $rp $up1 $dp1 $up2 $dpa $dpb
echo "\$(driver $rp) \$(driver $up1) \$(driver $dp1) \$(driver $up2) \$(driver $dpa) \$(driver $dpb)" >/res/drivers
load deep 'map=${entries[0]}'
capture after
bars after $rp $up1 $dp1 $up2 $dpa $dpb $ivshmem
ivshmem after $ivshmem
EOF_GUEST
boot

is "$(rfile drivers)" "pcieport pcieport pcieport pcieport pcieport pcieport" \
	"every port has pcieport bound"
check_load deep 1
like "$(rfile deep.dmesg)" "1 fixed BAR at its address, 4 resources moved" \
	"deep: exactly the four needed moves (summary line)"
is "$(jq .plan.moved "$res/deep.debugfs.json" 2>&1)" 4 "deep: the plan moves 4 resources"
is "$(jq -r '[.plan.resources[] | select(.moved) | .device + " " + .name] | sort | join(",")' \
	"$res/deep.debugfs.json" 2>&1)" \
	"$dpa window.prefetchable,$ivshmem bar2,$dpb window.prefetchable,$big bar2" \
	"deep: the moves are the two sibling windows and the two big BARs"
is "$(cut -d' ' -f3- "$res/after.bars" | head -6)" "$(cut -d' ' -f3- "$res/before.bars")" \
	"deep: no BAR of a port (pcieport bound) moved"
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay deep
is "$(rfile after.ivshmem)" "host-pattern-deep-1" "ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "ivshmem: the host reads the guest's pattern"
done_testing
