#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reserve hints and devices that are not there yet (issue 17), native PCIe
# hotplug on q35:
#  - root port 00:10.0 is empty with pref64-reserve=1G (QEMU's
#    resource-reserve capability); the guest fixes the 64 MiB ivshmem below
#    root port 00:11.0 at the start of 00:10.0's firmware window, so the
#    module has to move that window, and it must keep the hinted 1 GiB;
#    then QMP device_add puts an ivshmem with a 1 GiB BAR into 00:10.0,
#    which the kernel assigns (no "can't assign; no space"), and data goes
#    through it both ways;
#  - root port 00:12.0 is empty and hotplug-capable; an entry with sizes
#    names the absent device below it, so its window keeps
#    [0x10080000000, +1 GiB) and nothing else is placed there; a 1 GiB
#    ivshmem hot-added there later is assigned too.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/qmp.sh
. "$(dirname "$0")/qmp.sh"

shm=0000:00:11.0/00.0
hinted=0000:00:10.0
hp1=0000:00:10.0/00.0
kept_port=0000:00:12.0
kept=0000:00:12.0/00.0
kept_entry="$kept=bar2@0x10080000000+1G"

shm1=$(shm m1 "host-pattern-hint-1")
big1=$(shm big1 "host-pattern-hint-big1")
big2=$(shm big2 "host-pattern-hint-big2")
truncate -s 1G "$big1" "$big2"
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=big1,share=on,mem-path=$big1,size=1G"
	-object "memory-backend-file,id=big2,share=on,mem-path=$big2,size=1G"
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1,pref64-reserve=1G
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x11,chassis=2,slot=2
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0x12,chassis=3,slot=3
	-device ivshmem-plain,memdev=m1,bus=rp2
)

guest_script <<EOF_GUEST
# window N of a device: its sysfs resource line (13: mem, 15: prefetchable)
win() {
	sed -n "\$((\$2 + 1))p" "/sys/bus/pci/devices/\$1/resource" | cut -d' ' -f1,2
}
# ready MARKER: tells the host (qmp.sh wait_guest) to go on
ready() {
	echo "@@@\$1" >/dev/ttyS1
}
# wait_dev PATH: waits up to 60 s for a hot-added device
wait_dev() {
	i=0
	while [ -z "\$(path2bdf "\$1")" ] && [ \$i -lt 600 ]; do
		sleep 0.1
		i=\$((i + 1))
	done
	sleep 2
	[ -n "\$(path2bdf "\$1")" ] || fatal "\$1 did not appear"
}

win $hinted 15 >/res/hinted.before
read -r s e </res/hinted.before
# the 64 MiB BAR at the first 64 MiB boundary of the hinted window
at=\$(printf '0x%x' \$(( (s + 0x3ffffff) & ~0x3ffffff )))
entry="$shm=bar2@\$at"
echo "\$entry" >/res/entry
load hint "map=\$entry;$kept_entry"
capture after
bars after $shm
win $hinted 15 >/res/hinted.after
win $kept_port 15 >/res/kept.after
win $kept_port 13 >/res/kept-mem.after
ivshmem after $shm
dmesg -c >/dev/null
ready hotadd
wait_dev $hp1
wait_dev $kept
dmesg >/res/hotadd.dmesg
bars hot $hp1 $kept
# no driver enabled the hot-added devices' memory decoding; the core does
for p in $hp1 $kept; do
	echo 1 >"/sys/bus/pci/devices/\$(path2bdf \$p)/enable"
done
ivshmem hot1 $hp1
ivshmem hot2 $kept
kernel after
EOF_GUEST

during_boot() {
	if ! wait_guest hotadd "$E2E_TIMEOUT"; then
		diag "the guest never asked for the hot-add"
		return
	fi
	qmp_cmd '{"execute": "device_add", "arguments": {"driver": "ivshmem-plain", "memdev": "big1", "bus": "rp1", "id": "hp1"}}' >"$work/qmp-hp1.json"
	qmp_cmd '{"execute": "device_add", "arguments": {"driver": "ivshmem-plain", "memdev": "big2", "bus": "rp3", "id": "hp2"}}' >"$work/qmp-hp2.json"
}
boot

entry=$(rfile entry)
check_load hint 1
check_fixed after "$entry"
check_layout after "$entry" "$kept_entry"
check_replay hint

read -r s0 e0 <<<"$(rfile hinted.before)"
read -r s1 e1 <<<"$(rfile hinted.after)"
diag "00:10.0 prefetchable window: firmware [$s0-$e0], after load [$s1-$e1]"
is "$((s0 != s1))" 1 "the module moved the hinted port's window"
is "$((e1 - s1 + 1 >= 0x40000000))" 1 "and kept the hinted 1 GiB in it"
like "$(rfile hint.dmesg)" "1 range kept free for absent devices below hotplug ports" \
	"the kept range is logged"

read -r ks ke <<<"$(rfile kept.after)"
is "$((ks <= 0x10080000000 && ke >= 0x100bfffffff))" 1 \
	"00:12.0's window [$ks-$ke] holds the range kept for the absent device"
is "$(rfile after.ivshmem)" "host-pattern-hint-1" "fixed ivshmem: the guest reads the host's pattern"
is "$(shm_read m1 4096)" "guest-after" "fixed ivshmem: the host reads the guest's pattern"

is "$(jq -c .return "$work/qmp-hp1.json" 2>&1)" "{}" "QMP device_add into the hinted port"
is "$(jq -c .return "$work/qmp-hp2.json" 2>&1)" "{}" "QMP device_add into the port with the kept range"
is "$(grep -c -E "can't assign|no space|failed to assign" "$res/hotadd.dmesg")" 0 \
	"the kernel assigns every BAR of the hot-added devices"
for dev in "$hp1" "$kept"; do
	line=$(grep "^$dev " "$res/hot.bars")
	start=$(awk '{ print $9 }' <<<"$line")
	end=$(awk '{ print $10 }' <<<"$line")
	is "$((${start:-0} != 0 && ${end:-0} - ${start:-0} + 1 == 0x40000000))" 1 \
		"$dev: its 1 GiB bar2 is assigned [${start:-none}-${end:-none}]"
done
start=$(awk -v p="$kept" '$1 == p { print $9 }' "$res/hot.bars")
is "$((${start:-0}))" "$((0x10080000000))" \
	"$kept: hot-added into the kept range, its BAR lands on it (the window holds nothing else)"
is "$(rfile hot1.ivshmem)" "host-pattern-hint-big1" "hot-added 1 GiB ivshmem: the guest reads the host's pattern"
is "$(shm_read big1 4096)" "guest-hot1" "hot-added 1 GiB ivshmem: the host reads the guest's pattern"
is "$(rfile hot2.ivshmem)" "host-pattern-hint-big2" "hot-added into the kept port: the guest reads the host's pattern"
check_kernel after
done_testing
