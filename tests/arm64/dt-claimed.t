#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1
#
# arm64 virt, device tree: a range the kernel has claimed in the middle of
# the 64-bit window (0x8000000000-0xffffffffff), which the plan must route
# around.  An "mmio-sram" node (dt_claim) makes the in-tree sram driver
# claim [mem 0x8030000000-0x8030ffffff] after the host bridge has assigned
# the BARs.  On the root bus, Linux puts the 512 MiB ivshmem at
# 0x8000000000 and the 64 MiB one after it; the 64 MiB one is fixed at
# 0x8000000000, so the big one must move, and its compact place
# (0x8020000000) would cover the claimed range: it must go to 0x8040000000
# or above, with the claim left where it was.

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

small=0000:00:02.0
big=0000:00:03.0
entry="$small=bar2@0x8000000000"
claim_start=$((0x8030000000))
claim_end=$((0x8030ffffff))

shm1=$(shm m1 "host-pattern-claim-1")
shm2=$(shm m2 "host-pattern-claim-2")
truncate -s 512M "$shm2"
dt_table "$entry"
dt_claim sram $claim_start $((claim_end - claim_start + 1))
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=512M"
	-device ivshmem-plain,memdev=m1,bus=pcie.0,addr=0x2
	-device ivshmem-plain,memdev=m2,bus=pcie.0,addr=0x3
)

guest_script <<EOF_GUEST
capture before
bars before $small $big
fbcheck before
load claim
capture after
bars after $small $big
fbcheck after
# nothing enabled memory decoding without firmware or a driver
echo 1 >/sys/bus/pci/devices/\$(path2bdf $small)/enable
echo 1 >/sys/bus/pci/devices/\$(path2bdf $big)/enable
ivshmem after1 $small
ivshmem after2 $big
EOF_GUEST
boot

# bar2 TAG PATH: the start and end of BAR 2 in TAG.bars (fields: path bdf,
# then start end flags per BAR)
bar2() {
	awk -v p="$2" '$1 == p { print $9, $10 }' "$res/$1.bars"
}

is "$(bar2 before $big)" "0x0000008000000000 0x000000801fffffff" \
	"before: Linux put the big ivshmem at the start of the 64-bit window"
like "$(rfile before.iomem)" $'\n  8030000000-8030ffffff : ' \
	"before: the sram claim is a child of the 64-bit root bus window"
is "$(jq -c '[.reserved[] | select(.start == "0x8030000000" and .end == "0x8030ffffff")] | length' \
	"$res/before.topo.json" 2>&1)" 1 "before: --from-sysfs lists the claim as a claimed range"
check_load claim 1
check_fixed after "$entry"
check_layout after "$entry"
check_replay claim
is "$(jq -c '[.reserved[] | select(.start == "0x8030000000" and .end == "0x8030ffffff")] | length' \
	"$res/claim.debugfs.json" 2>&1)" 1 "the module's dump carries the claim as a claimed range"
read -r s e <<<"$(bar2 after $big)"
if [[ -n ${e:-} ]] && ((e < claim_start || s > claim_end)); then pass "the moved big ivshmem [${s:-?}-${e:-?}] stays clear of the claim"; else fail "the moved big ivshmem [${s:-?}-${e:-?}] stays clear of the claim"; fi
is "$(jq -r '[.plan.resources[] | select(.moved) | .device + " " + .name] | sort | join(",")' \
	"$res/claim.debugfs.json" 2>&1)" "$small bar2,$big bar2" "exactly the two BARs move"
like "$(rfile after.iomem)" $'\n  8030000000-8030ffffff : ' "after: the claim is still where it was"
check_fbcheck before 1 MOVED "$entry"
check_fbcheck after 0 ok "$entry"
is "$(rfile after1.ivshmem)" "host-pattern-claim-1" "fixed ivshmem: the guest reads the host's pattern"
is "$(rfile after2.ivshmem)" "host-pattern-claim-2" "moved ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after1" "fixed ivshmem: the host reads the guest's pattern"
is "$(shm_read m2 4096)" "guest-after2" "moved ivshmem: the host reads the guest's pattern"
done_testing
