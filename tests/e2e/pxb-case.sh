# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# The extra host bridge scenario (issue 17), sourced by tests/e2e/pxb.t
# (q35) and tests/arm64/pxb.t (virt, UEFI and ACPI) after their lib.sh,
# with main_addr set: a pxb-pcie expander gives root bus 0000:80 its own
# apertures (QEMU derives them from what the firmware placed behind it).
# Root ports 80:00.0 (ivshmem) and 80:01.0 (pci-testdev, 64 MiB); the
# guest fixes the ivshmem's BAR 2 at the testdev's address, so both move,
# inside bus 80's apertures.  On the main root bus an ivshmem is fixed at
# main_addr: one plan per root bus, both applied, each layout valid.  The
# module stays loaded; a rescan leaves both fixed BARs in place.

# shellcheck disable=SC2154 # main_addr, res: from the sourcing case and lib.sh
: "${main_addr:?}" "${res:?}"
X=0000:80:00.0/00.0
T=0000:80:01.0/00.0
M=0000:00:10.0/00.0
main_entry="$M=bar2@$main_addr"

shm_x=$(shm x "host-pattern-pxb")
shm_m=$(shm m "host-pattern-pxb-main")
# shellcheck disable=SC2054,SC2034 # QEMU options are comma lists; read by boot
qemu_devs=(
	-object "memory-backend-file,id=mx,share=on,mem-path=$shm_x,size=64M"
	-object "memory-backend-file,id=mm,share=on,mem-path=$shm_m,size=64M"
	-device pxb-pcie,id=pxb1,bus_nr=0x80,bus=pcie.0,addr=0x8
	-device pcie-root-port,id=rx0,bus=pxb1,addr=0,chassis=10,slot=10
	-device pcie-root-port,id=rx1,bus=pxb1,addr=1,chassis=11,slot=11
	-device ivshmem-plain,memdev=mx,bus=rx0
	-device pci-testdev,membar=0x4000000,bus=rx1
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
	-device ivshmem-plain,memdev=mm,bus=rp1
)

guest_script <<EOF_GUEST
bars before $X $T $M
# the testdev's BAR 2 start, where the ivshmem goes
addr=\$(awk '{ print \$9 }' /res/before.bars | sed -n 2p)
echo "$X=bar2@\$addr" >/res/x.entry
dmesg -c >/dev/null
insmod \$mod "map=$X=bar2@\$addr;$main_entry" 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg >/res/main.dmesg
capture after
fixedbar-plan --from-sysfs --root 0000:80 --dump-topology >/res/after80.topo.json 2>>/res/notes
bars after $X $T $M
# nothing enabled memory decoding without firmware or a driver
echo 1 >/sys/bus/pci/devices/\$(path2bdf $X)/enable
echo 1 >/sys/bus/pci/devices/\$(path2bdf $M)/enable
ivshmem after $X
ivshmem aftermain $M
echo 1 >/sys/bus/pci/rescan
sleep 2
bars rescan $X $T $M
ivshmem rescan $X
kernel main
rmmod pci_fixedbar
EOF_GUEST
boot

x_entry=$(rfile x.entry)
like "$x_entry" "$X=bar2@0x" "the guest read the testdev's address ($x_entry)"
is "$(rfile main.rc)" 0 "main: insmod pci_fixedbar succeeds"
[[ "$(rfile main.rc)" == 0 ]] || diag "$(rfile main.insmod)" "$(rfile main.dmesg)"
like "$(rfile main.dmesg)" "pci_fixedbar: 0000:80: 1 fixed BAR at its address" "main: bus 80 planned on its own"
like "$(rfile main.dmesg)" "pci_fixedbar: 0000:00: 1 fixed BAR at its address" "main: bus 00 planned on its own"
check_fixed after "$x_entry" "$main_entry"
check_layout after "$main_entry"
check_layout after80 "$x_entry"
is "$(rfile after.ivshmem)" "host-pattern-pxb" "pxb: the guest reads the host's pattern through the moved BAR"
is "$(rfile aftermain.ivshmem)" "host-pattern-pxb-main" "main bus: the guest reads the host's pattern"
check_fixed rescan "$x_entry" "$main_entry"
is "$(rfile rescan.ivshmem)" "host-pattern-pxb" "pxb, after a rescan: the guest reads the host's pattern"
is "$(shm_read x 4096)" "guest-rescan" "pxb: the host reads the guest's pattern"
t_start=$(awk '{ print $9 }' <<<"$(grep "^$T " "$res/after.bars")")
if [[ -n $t_start && $((t_start)) != $((${x_entry#*@})) ]]; then
	pass "the testdev moved out of the way ($t_start)"
else
	fail "the testdev moved out of the way (${t_start:-none})"
fi
x_before=$(awk '{ print $9 }' <<<"$(grep "^$X " "$res/before.bars")")
if [[ -n $x_before && $((x_before)) != $((${x_entry#*@})) ]]; then
	pass "the ivshmem behind the expander moved ($x_before)"
else
	fail "the ivshmem behind the expander moved (${x_before:-none})"
fi
check_kernel main
done_testing
