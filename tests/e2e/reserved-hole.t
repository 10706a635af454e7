#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A fixed BAR at the top of q35's 1 TiB 64-bit window, beside the range the
# kernel has claimed inside it: with -cpu max,phys-bits=44 and
# pci-hole64-size=1T the root bus window is [mem 0x100000000-0x100ffffffff]
# and QEMU's e820 reserves the HyperTransport hole 0xfd00000000-0xffffffffff
# inside it.  Root port 00:10.0 -> x3130 switch -> a 256 MiB ivshmem fixed at
# 0x100f0000000 and a movable 512 MiB ivshmem that SeaBIOS put at
# 0x100000000.  The plan must move the sibling up beside the fixed BAR
# (a compact 1 GiB window) instead of stretching the root port's window
# across the hole, and nothing may be claimed over the hole.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

fixed=0000:00:10.0/00.0/00.0/00.0
sib=0000:00:10.0/00.0/01.0/00.0
rootport=0000:00:10.0
entry="$fixed=bar2@0x100f0000000"

shm1=$(shm m1 "host-pattern-hole-1")
shm2=$(shm m2 "host-pattern-hole-2")
truncate -s 256M "$shm1"
truncate -s 512M "$shm2"
kernel_args="pci_fixedbar.map=$entry"
mapfile -t sw < <(switch_args 2)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=256M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=512M"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device ivshmem-plain,memdev=m2,bus=dp1
)

guest_script <<EOF_GUEST
capture before
bars before $fixed $sib
fbcheck before
load hole \$cmdline_args
capture after
bars after $fixed $sib
fbcheck after
ivshmem after1 $fixed
ivshmem after2 $sib
kernel after
EOF_GUEST
boot

# over_hole START END IOMEM: every /proc/iomem line overlapping [START, END]
# other than the claimed range itself and the root bus window holding it
over_hole() {
	local s e name

	while IFS= read -r line; do
		[[ $line == *-*" : "* ]] || continue
		s=${line%%-*}
		s=$((16#${s// /}))
		e=${line#*-}
		e=$((16#${e%% *}))
		name=${line#* : }
		((e < $1 || s > $2)) && continue
		[[ $name == "PCI Bus 0000:00" && $s -le $1 && $e -ge $2 ]] && continue
		[[ $name == Reserved && $s -eq $1 && $e -eq $2 ]] && continue
		echo "$line"
	done <"$3"
}

# span DUMP DEVICE NAME: the size of a planned resource in the debugfs dump
span() {
	local r

	r=$(jq -r --arg d "$2" --arg n "$3" \
		'.plan.resources[] | select(.device == $d and .name == $n) | "\(.start) \(.end)"' "$1")
	echo $((${r#* } - ${r% *} + 1))
}

# fields of TAG.bars: path bdf then start end flags per BAR
is "$(awk -v p=$sib '$1 == p { print $9 }' "$res/before.bars")" 0x0000000100000000 \
	"before: SeaBIOS put the sibling at 0x100000000"
like "$(rfile before.iomem)" $'\n  fd00000000-ffffffffff : Reserved' \
	"before: the hole is a claimed child of the 64-bit root bus window"
is "$(jq -c '[.reserved[] | select(.start == "0xfd00000000")] | length' "$res/before.topo.json" 2>&1)" 1 \
	"before: --from-sysfs lists the hole as a claimed range"
check_load hole 1
check_fixed after "$entry"
check_layout after "$entry"
check_replay hole
is "$(jq -c '[.reserved[] | select(.name == "Reserved" and .start == "0xfd00000000" and .end == "0xffffffffff")] | length' \
	"$res/hole.debugfs.json" 2>&1)" 1 "the module's dump carries the hole as a claimed range"
is "$(over_hole $((0xfd00000000)) $((0xffffffffff)) "$res/after.iomem")" "" \
	"after: nothing is claimed over the hole"
like "$(rfile after.iomem)" $'\n  fd00000000-ffffffffff : Reserved' \
	"after: the hole is still claimed where it was"
is "$(span "$res/hole.debugfs.json" $rootport window.prefetchable)" $((1 << 30)) \
	"the root port's prefetchable window is compact: 1 GiB, not across the hole"
is "$(jq '[.plan.resources[] | select(.moved)] | length' "$res/hole.debugfs.json" 2>&1)" 6 \
	"six resources move: the two BARs and the four prefetchable windows"
check_fbcheck before 1 MOVED "$entry"
check_fbcheck after 0 ok "$entry"
is "$(rfile after1.ivshmem)" "host-pattern-hole-1" "fixed ivshmem: the guest reads the host's pattern"
is "$(rfile after2.ivshmem)" "host-pattern-hole-2" "moved ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after1" "fixed ivshmem: the host reads the guest's pattern"
is "$(shm_read m2 4096)" "guest-after2" "moved ivshmem: the host reads the guest's pattern"
check_kernel after
done_testing
