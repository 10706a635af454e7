#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.12 6.12/acpi 7.2/acpi
#
# Hotplug on arm64 virt with the module loaded (issue 17), native PCIe
# hotplug (pciehp) driven over QMP.  QEMU 7.2's virt has no ACPI PCI
# hotplug (its acpi-ged gained it later); with UEFI and ACPI the guest
# still hot-adds through pciehp, the firmware's _OSC handing it native
# hotplug.
#
#  - root port 00:10.0 is empty with pref64-reserve= (QEMU's
#    resource-reserve capability).  Linux ignores the hint and gives an
#    empty hotplug port 2 MiB (with ACPI too: virt's _DSM #5 lets it
#    reassign what UEFI set up); the module keeps the hinted room.  Then
#    device_add pci-testdev,bus=rp1,membar=SIZE: the seed thread "hw/arm/
#    virt: preserve config for ACPI PCI hotplug" exactly (4 MiB, UEFI and
#    ACPI), or 1 GiB on device tree.  Its BAR 2 must be assigned, no
#    "can't assign; no space".
#  - root port 00:11.0 holds ivshmem A, fixed by the firmware descriptor
#    (DT table node or SSDT), so the module plans the root bus.
#  - root port 00:12.0 is empty; map= names the absent ivshmem B below it
#    with its size.  B hot-added later lands at its fixed address and
#    exchanges patterns with the host through it.

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/qmp.sh
. "$e2e_dir/qmp.sh"

A=0000:00:11.0/00.0
B=0000:00:12.0/00.0
big=0000:00:10.0/00.0
a_entry="$A=bar2@0x9000000000"
b_entry="$B=bar2@0x9100000000+64M"
if [[ $A64_FW == acpi ]]; then
	size=4M bytes=$((4 << 20))
	acpi_tables=("$(ssdt fixedbar "$a_entry")")
else
	size=1G bytes=$((1 << 30))
	dt_table "$a_entry"
fi
kernel_args="pci_fixedbar.map=$b_entry"

shm_a=$(shm a "host-pattern-a64hot-A")
shm_b=$(shm b "host-pattern-a64hot-B")
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=ma,share=on,mem-path=$shm_a,size=64M"
	-device "pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1,pref64-reserve=$size"
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x11,chassis=2,slot=2
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0x12,chassis=3,slot=3
	-device ivshmem-plain,memdev=ma,bus=rp2
)

guest_script <<EOF_GUEST
# step NAME: tells the host (over the console) to do its part
step() {
	echo "@@@STEP \$1" >/dev/ttyAMA0
}
# win BDF N: resource line N+1 of a device (window 15: prefetchable)
win() {
	sed -n "\$((\$2 + 1))p" "/sys/bus/pci/devices/\$1/resource" | cut -d' ' -f1,2
}
# appear PATH: waits (60 s at most) for a hot-added device
appear() {
	n=0
	while [ -z "\$(path2bdf "\$1")" ] && [ \$n -lt 60 ]; do sleep 1; n=\$((n + 1)); done
	[ -n "\$(path2bdf "\$1")" ] || fatal "\$1 never appeared"
	sleep 3
}
win 0000:00:10.0 15 >/res/rp1.before
dmesg -c >/dev/null
insmod \$mod \$cmdline_args 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg -c >/res/main.dmesg
for f in /sys/kernel/debug/pci_fixedbar/*; do
	[ -f "\$f" ] && cat "\$f" >/res/main.debugfs.json
done
win 0000:00:10.0 15 >/res/rp1.after
bars after $A
echo 1 >/sys/bus/pci/devices/\$(path2bdf $A)/enable
ivshmem after $A

step add-1
appear $big
dmesg -c >/res/big.dmesg
bars big $big

step add-2
appear $B
dmesg -c >/res/b.dmesg
bars addb $A $B
cat /sys/bus/pci/devices/\$(path2bdf $B)/driver_override >/res/addb.override 2>&1
echo 1 >/sys/bus/pci/devices/\$(path2bdf $B)/enable
ivshmem addb $B
kernel hot
EOF_GUEST

# wait_step NAME: the guest announced the step
wait_step() {
	local n=0

	until grep -a -q "^@@@STEP $1" "$work/console.log" 2>/dev/null; do
		((n++ > 10 * E2E_TIMEOUT)) && return 1
		sleep 0.1
	done
}
during_boot() {
	wait_step add-1 &&
		qmp_hot "$work/qmp.sock" device_add \
			"{\"driver\": \"pci-testdev\", \"id\": \"big\", \"bus\": \"rp1\", \"membar\": $bytes}" \
			>"$work/qmp-big.json" 2>&1 &&
		wait_step add-2 &&
		qmp_hot "$work/qmp.sock" object-add \
			"{\"qom-type\": \"memory-backend-file\", \"id\": \"mb\", \"mem-path\": \"$shm_b\", \"size\": 67108864, \"share\": true}" \
			>"$work/qmp-mb.json" 2>&1 &&
		qmp_hot "$work/qmp.sock" device_add \
			'{"driver": "ivshmem-plain", "id": "b", "memdev": "mb", "bus": "rp3"}' \
			>"$work/qmp-b.json" 2>&1
	is "$?" 0 "QMP: pci-testdev membar=$size into rp1, then ivshmem B into rp3"
}
boot

check_load main 1
check_fixed after "$a_entry"
check_replay main
is "$(rfile after.ivshmem)" "host-pattern-a64hot-A" "A: the guest reads the host's pattern"

read -r s0 e0 <<<"$(rfile rp1.before)"
read -r s1 e1 <<<"$(rfile rp1.after)"
diag "00:10.0 prefetchable window: before the load [$s0-$e0], after [$s1-$e1]"
is "$((e1 - s1 + 1 >= bytes))" 1 "the hinted port keeps the hinted $size after the load"

is "$(grep -c -E "can't assign|no space|failed to assign" "$res/big.dmesg")" 0 \
	"membar=$size: no \"can't assign; no space\" when it is hot-added"
line=$(grep "^$big " "$res/big.bars")
start=$(awk '{ print $9 }' <<<"$line")
end=$(awk '{ print $10 }' <<<"$line")
is "$((${start:-0} != 0 && ${end:-0} - ${start:-0} + 1 == bytes))" 1 \
	"membar=$size: BAR 2 assigned [${start:-none}-${end:-none}]"
is "$((${start:-0} >= s1 && ${end:-0} <= e1))" 1 "membar=$size: inside the hinted port's window"

check_fixed addb "$a_entry" "${b_entry%+*}"
like "$(rfile b.dmesg)" "pci_fixedbar" "B: the module logs its placement of the hot-added device"
is "$(rfile addb.ivshmem)" "host-pattern-a64hot-B" "B: the guest reads the host's pattern at its fixed address"
is "$(shm_read b 4096)" "guest-addb" "B: the host reads the guest's pattern"
check_kernel hot
done_testing
