#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12 7.2
#
# ACPI PCI hotplug on q35 (issue 17).  With ICH9-LPC's
# acpi-pci-hotplug-with-bridge-support on (QEMU 7.2's default), QEMU
# hot-plugs into root ports through ACPI: the firmware keeps native hotplug
# (_OSC), pciehp stays away (the slot capability keeps its Hot-Plug
# Capable bit), acpiphp scans the slot.  Root port
# 00:10.0 holds ivshmem A, fixed; 00:11.0 and 00:12.0 are empty; map=
# names C below 00:11.0 and D below 00:12.0 with their sizes, so they wait
# for their hot-add (the module counts a port with an acpiphp slot as
# hotplug-capable).  A conventional pci-bridge at 00:13.0 (no PCIe slot
# capability) gets acpiphp slots too: fixedbar-plan --from-sysfs must
# count it as hotplug, as the module does.
#
# QMP device_add puts C into 00:11.0: the bus notifier catches acpiphp's
# add as it does pciehp's, and C lands at its address before anything may
# bind; device_del and device_add again: same address.  D's entry gives
# 16 MiB for the ivshmem's 64 MiB BAR: D stays without a driver, one line
# says why, A and C do not move.  A size that is not a power of two fails
# the load.  Data goes through A and C both ways.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/qmp.sh
. "$e2e_dir/qmp.sh"

A=0000:00:10.0/00.0
C=0000:00:11.0/00.0
D=0000:00:12.0/00.0
fixed=(
	"$A=bar2@0x10000000000"
	"$C=bar2@0x10100000000+64M"
)
small="$D=bar2@0x10200000000+16M"
kernel_args="pci_fixedbar.map=${fixed[0]};${fixed[1]};$small"
qmp=$work/qmp.sock

shm_a=$(shm a "host-pattern-acpi-A")
shm_c=$(shm c "host-pattern-acpi-C")
shm_c2=$(shm c2 "host-pattern-acpi-C2")
shm_d=$(shm d "host-pattern-acpi-D")
mapfile -t rps < <(root_port rp1 0x10 1; root_port rp2 0x11 2; root_port rp3 0x12 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-qmp "unix:$qmp,server=on,wait=off"
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on
	-object "memory-backend-file,id=ma,share=on,mem-path=$shm_a,size=64M"
	"${rps[@]}"
	-device ivshmem-plain,memdev=ma,bus=rp1
	-device pci-bridge,id=pb,bus=pcie.0,addr=0x13,chassis_nr=4
)

guest_script <<EOF_GUEST
ls /sys/bus/pci/slots >/res/slots
for p in 0000:00:11.0 0000:00:12.0; do
	echo "\$p \$(cat /sys/bus/pci/devices/\$p/driver_override) \$(ls /sys/bus/pci/devices/\$p/ | grep -c pcie:.*pciehp)"
done >/res/ports
dmesg -c >/dev/null
insmod \$mod "map=$C=bar2@0x10100000000+24M" 2>/res/pow2.insmod
echo \$? >/res/pow2.rc
dmesg -c >/res/pow2.dmesg
insmod \$mod \$cmdline_args 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg >/res/main.dmesg
for f in /sys/kernel/debug/pci_fixedbar/*; do
	[ -f "\$f" ] && cat "\$f" >/res/main.debugfs.json
done
fixedbar-plan --from-sysfs --dump-topology >/res/main.topo.json 2>>/res/notes
bars after $A
ivshmem after $A

step add-c
appear $C
settled $C addc
bars addc $A $C
en $C
ivshmem addc $C

step del-c
vanish $C
step readd-c
appear $C
settled $C readdc
bars readdc $A $C
en $C
ivshmem readdc $C

dmesg -c >/dev/null
step add-d
appear $D
sleep 5
echo "\$(driver $D) \$(cat /sys/bus/pci/devices/\$(path2bdf $D)/driver_override)" >/res/addd.driver
dmesg >/res/addd.dmesg
bars addd $A $C
kernel hot
rmmod pci_fixedbar
echo \$? >/res/rmmod.rc
EOF_GUEST

host_steps() {
	wait_step add-c && hot_shm mc "$shm_c" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "c", "memdev": "mc", "bus": "rp2"}' &&
		wait_step del-c && qmp_hot "$qmp" device_del '{"id": "c"}' &&
		wait_step readd-c && hot_shm mc2 "$shm_c2" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "c2", "memdev": "mc2", "bus": "rp2"}' &&
		wait_step add-d && hot_shm md "$shm_d" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "d", "memdev": "md", "bus": "rp3"}' &&
		echo host-steps-done
}
boot_with_host_steps

diag "hotplug slots: $(tr '\n' ' ' <"$res/slots"); ports (override, pciehp services): $(tr '\n' ';' <"$res/ports")"
is "$(grep -c 'pciehp' "$res/main.dmesg")" 0 "pciehp does not drive the ports: ACPI hotplug"
is "$(($(rfile pow2.rc) != 0))" 1 "+24M, not a power of two: the load fails (insmod exit $(rfile pow2.rc))"
like "$(rfile pow2.dmesg)" "not a power of two" "+24M: the message says the size is not a power of two"

check_load main 1
like "$(rfile main.dmesg)" "entry $C=bar2@0x10100000000+0x4000000: no device in that hotplug slot yet" \
	"main: C waits for its ACPI hot-add"
like "$(rfile main.dmesg)" "entry $D=bar2@0x10200000000+0x1000000: no device in that hotplug slot yet" \
	"main: D waits for its ACPI hot-add"
check_fixed after "${fixed[0]}"
# each bridge's devfn and hotplug flag: the module's snapshot (debugfs) and
# fixedbar-plan --from-sysfs (the root ports keep their Hot-Plug Capable
# bit; the pci-bridge has only acpiphp's slots in sysfs)
hp_ports() {
	jq -r '[.devices | .. | objects | select(has("bridge")) |
		"\(.devfn)=\(.bridge.hotplug // false)"] | join(" ")' "$res/$1" 2>&1
}
like "$(hp_ports main.debugfs.json)" "11.0=true 12.0=true 13.0=true" \
	"the module counts the ACPI slots' ports and the pci-bridge as hotplug"
is "$(hp_ports main.topo.json)" "$(hp_ports main.debugfs.json)" \
	"fixedbar-plan --from-sysfs marks the same ports hotplug as the module"
is "$(rfile after.ivshmem)" "host-pattern-acpi-A" "after load: the guest reads A's host pattern"

check_fixed addc "${fixed[@]}"
is "$(rfile addc.override)" "(null)" "C, hot-added through acpiphp: override lifted once placed"
is "$(rfile addc.ivshmem)" "host-pattern-acpi-C" "C: the guest reads the host's pattern"
is "$(shm_read c 4096)" "guest-addc" "C: the host reads the guest's pattern"

check_fixed readdc "${fixed[@]}"
is "$(rfile readdc.override)" "(null)" "C, removed and added again: override lifted"
is "$(rfile readdc.ivshmem)" "host-pattern-acpi-C2" "C re-added: same address, the guest reads the new device's host pattern"
is "$(shm_read c2 4096)" "guest-readdc" "C re-added: the host reads the guest's pattern"

is "$(rfile addd.driver)" "none none" "D, its +16M smaller than its 64 MiB BAR: no driver, driver_override none"
like "$(rfile addd.dmesg)" "entry $D=bar2@0x10200000000+0x1000000: hot-added device not placed at its fixed address" \
	"D: one line names the entry and says what to do"
like "$(rfile addd.dmesg)" "the entry gives size 0x1000000 but the device's BAR is 0x4000000; fix the size in the descriptor" \
	"D: the line before says which size disagrees"
check_fixed addd "${fixed[@]}"
is "$(shm_read a 4096)" "guest-after" "A untouched by D's refusal: the host still reads the guest's pattern"
check_kernel hot
is "$(rfile rmmod.rc)" 0 "the module unloads"
done_testing
