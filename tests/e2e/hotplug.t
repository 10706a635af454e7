#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fixed BARs for the guest's life (issue 17), native PCIe hotplug through
# pciehp, driven over QMP from the host.  Root port 00:10.0 -> x3130
# switch -> dp0 ivshmem A (fixed, there at boot), dp1..dp3 empty; root port
# 00:11.0 empty.  map= also names B (dp1) and C (00:11.0), absent at load:
# they wait for their hot-add; and E (dp3) at an address outside every
# aperture, which no hot-add can honour.
#
# The module stays loaded.  Then: a bus rescan, and a remove + rescan of
# the switch, leave A where it was; C hot-added into the empty root port
# and B into the downstream port land at their addresses; an unnamed nvme
# D into dp2 gets a valid place and binds; E stays without a driver and
# the log says why; B removed and added again gets the same address.
# Each ivshmem exchanges patterns with the host through its placed BAR.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/qmp.sh
. "$e2e_dir/qmp.sh"

A=0000:00:10.0/00.0/00.0/00.0
B=0000:00:10.0/00.0/01.0/00.0
D=0000:00:10.0/00.0/02.0/00.0
E=0000:00:10.0/00.0/03.0/00.0
C=0000:00:11.0/00.0
F=0000:00:12.0/00.0
fixed=(
	"$A=bar2@0x10000000000"
	"$B=bar2@0x10100000000+64M"
	"$C=bar2@0x10200000000+64M"
	"$F=bar2@0x10300000000+64M"
)
# nvme's BAR 0 is 16K: the entry's size disagrees, found when it appears
bad="$E=bar0@0xa0000000+32K"
kernel_args="pci_fixedbar.map=${fixed[0]};${fixed[1]};${fixed[2]};${fixed[3]};$bad"
qmp=$work/qmp.sock

shm_a=$(shm a "host-pattern-hot-A")
shm_b=$(shm b "host-pattern-hot-B")
shm_c=$(shm c "host-pattern-hot-C")
shm_f=$(shm f "host-pattern-hot-F")
mapfile -t sw < <(switch_args 4)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-qmp "unix:$qmp,server=on,wait=off"
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	-object "memory-backend-file,id=ma,share=on,mem-path=$shm_a,size=64M"
	"${sw[@]}"
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x11,chassis=6,slot=6
	-device pcie-root-port,id=rp3,bus=pcie.0,addr=0x12,chassis=7,slot=7
	-device ivshmem-plain,memdev=ma,bus=dp0
)

guest_script <<EOF_GUEST
drv nvme
dmesg -c >/dev/null
# a device absent from a hotplug slot without its size: the load fails
insmod \$mod "map=$C=bar2@0x10200000000" 2>/res/unsized.insmod
echo \$? >/res/unsized.rc
dmesg -c >/res/unsized.dmesg
insmod \$mod \$cmdline_args 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg >/res/main.dmesg
bars after $A
ivshmem after $A
kernel main

echo 1 >/sys/bus/pci/rescan
sleep 2
bars rescan $A
ivshmem rescan $A

rmscan 0000:00:10.0/00.0
appear $A
settled $A rmscan
bars rmscan $A
en $A
ivshmem rmscan $A
kernel rmscan

step add-c
appear $C
settled $C addc
bars addc $A $C
en $C
ivshmem addc $C

step add-b
appear $B
settled $B addb
bars addb $A $B $C
en $B
ivshmem addb $B

step add-d
appear $D
sleep 3
bars addd $A $B $C $D
echo "\$(driver $D)" >/res/addd.driver
nvme_read addd

dmesg -c >/res/pre-e.dmesg
step add-e
appear $E
sleep 5
echo "\$(driver $E) \$(cat /sys/bus/pci/devices/\$(path2bdf $E)/driver_override)" >/res/adde.driver
dmesg >/res/adde.dmesg
bars adde $A $B $C

step del-b
vanish $B
step readd-b
appear $B
settled $B readdb
bars readdb $A $B $C
en $B
ivshmem readdb $B
kernel hot

# F is hot-added while the module unloads: rmmod as soon as F shows up
# in sysfs, in the middle of pciehp's scan (the notifier has run, the
# work waits for the rescan lock)
dmesg -c >/dev/null
step add-f
n=0
while ! [ -d /sys/bus/pci/devices/0000:00:12.0/0000:*:00.0 ] && [ \$n -lt 200000 ]; do n=\$((n + 1)); done
rmmod pci_fixedbar
echo \$? >/res/rmmod.rc
appear $F
sleep 2
bf=/sys/bus/pci/devices/\$(path2bdf $F)
echo "\$(sed -n 3p \$bf/resource | cut -d' ' -f1) \$(cat \$bf/driver_override)" >/res/unload.f
dmesg >/res/unload.dmesg
kernel unload
capture final
EOF_GUEST

# host_steps: the host's side of each step the guest announces
host_steps() {
	wait_step add-c && hot_shm mc "$shm_c" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "c", "memdev": "mc", "bus": "rp2"}' &&
		wait_step add-b && hot_shm mb "$shm_b" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "b", "memdev": "mb", "bus": "dp1"}' &&
		wait_step add-d &&
		qmp_hot "$qmp" blockdev-add "{\"driver\": \"raw\", \"node-name\": \"dd\", \"file\": {\"driver\": \"file\", \"filename\": \"$(disk nvme "$nvme_pattern")\"}}" &&
		hot_dev '{"driver": "nvme", "id": "d", "drive": "dd", "serial": "hot1", "bus": "dp2"}' &&
		wait_step add-e &&
		hot_dev '{"driver": "nvme", "id": "e", "serial": "hot2", "bus": "dp3"}' &&
		wait_step del-b && qmp_hot "$qmp" device_del '{"id": "b"}' &&
		wait_step readd-b && hot_shm mb2 "$shm_b" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "b2", "memdev": "mb2", "bus": "dp1"}' &&
		wait_step add-f && hot_shm mf "$shm_f" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "f", "memdev": "mf", "bus": "rp3"}' &&
		echo host-steps-done
}
boot_with_host_steps

check_load main 1
is "$(($(rfile unsized.rc) != 0))" 1 "absent from a hotplug slot, no +SIZE: the load fails (insmod exit $(rfile unsized.rc))"
like "$(rfile unsized.dmesg)" "entry $C=bar2@0x10200000000: no device in that hotplug slot; give each BAR's size (barN@ADDR+SIZE)" \
	"absent, no +SIZE: one line names the entry and asks for the size"
like "$(rfile main.dmesg)" "entry $B=bar2@0x10100000000+0x4000000: no device in that hotplug slot yet" \
	"main: B waits for its hot-add"
like "$(rfile main.dmesg)" "entry $C=bar2@0x10200000000+0x4000000: no device in that hotplug slot yet" \
	"main: C waits for its hot-add"
check_fixed after "${fixed[0]}"
is "$(rfile after.ivshmem)" "host-pattern-hot-A" "after load: the guest reads A's host pattern"
check_kernel main

check_fixed rescan "${fixed[0]}"
is "$(rfile rescan.ivshmem)" "host-pattern-hot-A" "after a rescan: A still reads the host's pattern"
check_fixed rmscan "${fixed[0]}"
is "$(rfile rmscan.override)" "(null)" "after remove + rescan of the switch: A's override lifted"
is "$(rfile rmscan.ivshmem)" "host-pattern-hot-A" "after remove + rescan: A still reads the host's pattern"
is "$(shm_read a 4096)" "guest-rmscan" "after remove + rescan: the host reads what the guest wrote through A"
check_kernel rmscan

check_fixed addc "${fixed[0]}" "${fixed[2]}"
is "$(rfile addc.override)" "(null)" "hot-added C: override lifted once placed"
is "$(rfile addc.ivshmem)" "host-pattern-hot-C" "hot-added C: the guest reads the host's pattern"
is "$(shm_read c 4096)" "guest-addc" "hot-added C: the host reads the guest's pattern"

check_fixed addb "${fixed[@]:0:3}"
is "$(rfile addb.override)" "(null)" "hot-added B: override lifted once placed"
is "$(rfile addb.ivshmem)" "host-pattern-hot-B" "hot-added B (switch port): the guest reads the host's pattern"

check_fixed addd "${fixed[@]:0:3}"
d_start=$(awk '{ print $3 }' <<<"$(grep "^$D " "$res/addd.bars")")
if ((d_start)); then
	pass "unnamed D: BAR 0 assigned ($d_start)"
else
	fail "unnamed D: BAR 0 assigned (${d_start:-none})"
fi
is "$(rfile addd.driver)" "nvme" "unnamed D: nvme binds"
is "$(rfile addd.nvme)" "$nvme_pattern" "unnamed D: nvme reads its disk"

is "$(rfile adde.driver)" "none none" "E, not placeable: no driver, driver_override none"
like "$(rfile adde.dmesg)" "entry $E=bar0@0xa0000000+0x8000: hot-added device not placed at its fixed address" \
	"E: one line says why and what to do"
check_fixed adde "${fixed[@]:0:3}"

check_fixed readdb "${fixed[@]:0:3}"
is "$(rfile readdb.override)" "(null)" "re-added B: override lifted"
is "$(rfile readdb.ivshmem)" "host-pattern-hot-B" "re-added B: same address, the guest reads the host's pattern"
is "$(shm_read b 4096)" "guest-readdb" "re-added B: the host reads the guest's pattern"
check_kernel hot
is "$(rfile rmmod.rc)" 0 "the module unloads while F is being hot-added"
# whichever came first, F is consistent: placed at its address with the
# override lifted, or left without a driver and the log says so, or
# (the module gone before the scan) not blocked at all
read -r f_start f_override <<<"$(rfile unload.f)"
f_log=$(grep -c "pci_fixedbar unloading: fixed BARs not placed" "$res/unload.dmesg")
diag "F after the racing unload: start ${f_start:-none}, override ${f_override:-none}, unloading lines $f_log"
if [[ $((f_start)) == $((0x10300000000)) && $f_override == "(null)" ]] ||
	[[ $f_override == none && $f_log == 1 ]] ||
	[[ $f_override == "(null)" && $f_log == 0 ]]; then
	pass "F, hot-added during rmmod: placed, or blocked with its line, or untouched"
else
	fail "F, hot-added during rmmod: placed, or blocked with its line, or untouched"
fi
check_kernel unload
done_testing
