#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1-cloud 7.2-cloud
#
# Debian's cloud-amd64 6.1 kernel builds nvme in: the nvme holding the
# disk is bound before any initramfs runs.  Two fixed "GPUs" (ivshmem) and
# that nvme behind one switch (root port 00:10.0 -> x3130 -> ports 0, 1:
# ivshmem fixed at 1 TiB; port 2: nvme): the GPUs land with nvme bound,
# untouched and still reading its disk, with no rebind=1 and nothing
# unbound (bound drivers are constraints, not refusals).

E2E_KERNEL=${E2E_KERNEL:-6.1-cloud}
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

gpu1=0000:00:10.0/00.0/00.0/00.0
gpu2=0000:00:10.0/00.0/01.0/00.0
nvme=0000:00:10.0/00.0/02.0/00.0
entries=(
	"$gpu1=bar2@0x10000000000"
	"$gpu2=bar2@0x10004000000"
)

shm1=$(shm m1 "host-pattern-cloud-1")
shm2=$(shm m2 "host-pattern-cloud-2")
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=64M"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device ivshmem-plain,memdev=m2,bus=dp1
	-device nvme,drive=d1,serial=cloud1,bus=dp2
)

guest_script <<EOF_GUEST
echo "\$(driver $nvme)" >/res/before.drivers
nvme_read before
capture before
bars before $nvme
load cloud 'map=${entries[0]};${entries[1]}'
capture after
bars after $gpu1 $gpu2 $nvme
echo "\$(driver $nvme)" >/res/after.drivers
nvme_read after
ivshmem after $gpu1
EOF_GUEST
boot

is "$(rfile before.drivers)" nvme "cloud kernel: nvme is bound before the module loads"
is "$(rfile before.nvme)" "$nvme_pattern" "nvme reads its disk before the load"
check_load cloud 2
is "$(grep -c unbinding "$res/cloud.dmesg")" 0 "no driver unbound (no rebind=1)"
is "$(grep "^$nvme " "$res/after.bars" | cut -d' ' -f3-)" "$(cut -d' ' -f3- "$res/before.bars")" \
	"nvme's BARs stay where they were"
is "$(jq -r --arg n "$nvme" '[.plan.resources[] | select(.device == $n and .moved)] | length' \
	"$res/cloud.debugfs.json" 2>&1)" 0 "the plan moves nothing of nvme"
is "$(rfile after.drivers)" nvme "nvme is still bound after the load"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads its disk after the load"
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay cloud
is "$(rfile after.ivshmem)" "host-pattern-cloud-1" "GPU 1 (ivshmem): the guest reads the host's pattern"
done_testing
