#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad descriptors, one guest: each load must fail with its message, leave
# the layout exactly as it was (fixedbar-plan --from-sysfs, /proc/iomem and
# every config header captured before and after) and the devices working.
# Then a bound nvme driver: a constraint (the fixed BAR lands, nvme stays
# and reads its disk); refused only when nvme itself must move (a BAR fixed
# where its BAR 0 is, 0xfe400000 as SeaBIOS lays this guest out), where
# rebind=1 unbinds nvme alone and applies.
#
# Under root port 00:10.0 and an x3130 switch: an ivshmem (A, function 0)
# and a pci-testdev (A1, function 1) below downstream port 0, an ivshmem (B)
# below port 1, an nvme below port 2.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

A=0000:00:10.0/00.0/00.0/00.0
A1=0000:00:10.0/00.0/00.0/00.1
B=0000:00:10.0/00.0/01.0/00.0
N=0000:00:10.0/00.0/02.0/00.0
# where SeaBIOS puts nvme's BAR 0 (checked below, from the capture)
nvme_bar0=0xfe400000

# tag, map (and more parameters), errno, the message the kernel log must hold
cases=(
	malformed "$A=bar2@10000000000" 22
	"bar2 at column 34 has no 0x prefix"
	unknown-device "0000:00:10.0/00.0/07.0/00.0=bar2@0x10000000000" 19
	"0000:00:10.0/00.0/07.0/00.0: no device 07.0 below 0000:00:10.0/00.0"
	unimplemented-bar "$A=bar4@0x10000000000" 22
	"$A bar4: not implemented by the device"
	misaligned "$A=bar2@0x10001000000" 22
	"$A bar2 [mem 0x10001000000-0x10004ffffff 64bit pref]: address not aligned to the BAR size"
	outside-window "$A=bar2@0x8000000000" 22
	"$A bar2 [mem 0x8000000000-0x8003ffffff 64bit pref]: outside every host bridge aperture"
	overlapping "$A=bar2@0x10000000000;$B=bar2@0x10000000000" 16
	"$B bar2 [mem 0x10000000000-0x10003ffffff 64bit pref] overlaps fixed bar2 [mem 0x10000000000-0x10003ffffff 64bit pref] of $A"
	interleaved "$A=bar2@0x10000000000;$A1=bar2@0x10008000000;$B=bar2@0x10004000000" 16
	"must both hold fixed BARs but would overlap"
	32bit-above-4g "$A=bar0@0x10000000000" 22
	"$A bar0 [mem 0x10000000000-0x100000000ff]: a 32-bit BAR cannot decode an address above 4GiB"
	whitespace-split "$A=bar2@0x10000000000; $B=bar2@0x10004000000" 22
	"ends with ';': whitespace split the value"
	whitespace-split-dry-run "$A=bar2@0x10000000000, bar0@0x80000000 dry_run=1" 22
	"ends with ',': whitespace split the value"
	control-bytes "$A=bar2@0x1000$(printf '\033')[31m" 22
	"map=$A=bar2@0x1000\\e[31m: "
	rollback "$A=bar2@0x10000000000 fault_write=12" 5
	"every device is back where it was"
)

shm1=$(shm m1 "host-pattern-bad-1")
shm2=$(shm m2 "host-pattern-bad-2")
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0,addr=0.0,multifunction=on
	-device pci-testdev,membar=0x4000000,bus=dp0,addr=0.1
	-device ivshmem-plain,memdev=m2,bus=dp1
	-device nvme,drive=d1,serial=e2e1,bus=dp2
)

{
	echo "capture before"
	for ((i = 0; i < ${#cases[@]}; i += 4)); do
		map=${cases[i + 1]}
		args=${map#* }
		[[ $args == "$map" ]] && args=
		echo "load ${cases[i]} 'map=${map%% *}' $args"
		echo "capture ${cases[i]}"
	done
	cat <<EOF_GUEST
load dry-run 'map=$A=bar2@0x10000000000' dry_run=1
capture dry-run
drv nvme
nvme_read bad
ivshmem bad $A
bars bound-before $N
load bound 'map=$A=bar2@0x10000000000'
capture bound
bars bound $A $N
echo "\$(driver $N)" >/res/bound.drivers
nvme_read bound
load refused 'map=$A=bar2@0x10000000000;$B=bar0@$nvme_bar0'
capture refused
load rebind 'map=$A=bar2@0x10000000000;$B=bar0@$nvme_bar0' rebind=1
capture after
bars after $A $B
echo "\$(driver $N)" >/res/drivers
nvme_read after
ivshmem after $A
EOF_GUEST
} | guest_script
boot

for ((i = 0; i < ${#cases[@]}; i += 4)); do
	tag=${cases[i]}
	is "$(rfile "$tag.rc")" "${cases[i + 2]}" "$tag: insmod fails with errno ${cases[i + 2]}"
	like "$(rfile "$tag.dmesg")" "${cases[i + 3]}" "$tag: the message"
	check_unchanged before "$tag"
done
is "$(grep -c $'\033' "$res/control-bytes.dmesg")" 0 \
	"control-bytes: no raw escape byte reaches the kernel log"
is "$(rfile dry-run.rc)" 0 "dry_run=1: insmod succeeds"
like "$(rfile dry-run.dmesg)" "1 fixed BAR at planned address, " "dry_run=1: summary line"
like "$(rfile dry-run.dmesg)" "(dry run, nothing written)" "dry_run=1: says nothing was written"
check_unchanged before dry-run
is "$(rfile bad.nvme)" "$nvme_pattern" "after the bad input: nvme reads block 0"
is "$(rfile bad.ivshmem)" "host-pattern-bad-1" "after the bad input: ivshmem reads the host's pattern"

is "$(($(awk '{ print $3 }' "$res/bound-before.bars")))" "$((nvme_bar0))" \
	"nvme's BAR 0 is where the cases expect it"
check_load bound 1
check_fixed bound "$A=bar2@0x10000000000"
is "$(grep "^$N " "$res/bound.bars" | cut -d' ' -f3-)" "$(cut -d' ' -f3- "$res/bound-before.bars")" \
	"bound nvme: a constraint, its BARs stay"
is "$(rfile bound.drivers)" nvme "bound nvme: still bound, nothing unbound"
is "$(grep -c unbinding "$res/bound.dmesg")" 0 "bound nvme: no driver unbound"
is "$(rfile bound.nvme)" "$nvme_pattern" "bound nvme: reads block 0 after the load"
is "$(rfile refused.rc)" 16 "nvme must move: insmod fails with EBUSY"
like "$(rfile refused.dmesg)" "$N: driver nvme is bound and BAR 0 [mem $nvme_bar0-" \
	"nvme must move: the message names device, driver and BAR"
like "$(rfile refused.dmesg)" "load pci_fixedbar with rebind=1" "nvme must move: the message suggests rebind=1"
check_unchanged bound refused
check_load rebind 2
like "$(rfile rebind.dmesg)" "unbinding driver nvme" "rebind=1: nvme unbound for the move"
is "$(grep -c "unbinding driver" "$res/rebind.dmesg")" 1 "rebind=1: only nvme unbound"
check_fixed after "$A=bar2@0x10000000000" "$B=bar0@$nvme_bar0"
check_layout after "$A=bar2@0x10000000000" "$B=bar0@$nvme_bar0"
check_replay rebind
is "$(rfile drivers)" nvme "rebind=1: nvme bound again"
is "$(rfile after.nvme)" "$nvme_pattern" "rebind=1: nvme reads block 0 through the moved BAR"
is "$(rfile after.ivshmem)" "host-pattern-bad-1" "rebind=1: ivshmem reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "rebind=1: the host reads the guest's pattern"
done_testing
