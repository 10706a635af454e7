#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SR-IOV: an nvme PF (bound) with 2 VFs enabled and no VF driver, on the
# same root bus as a fixed BAR.  A VF's BARs are its PF's VF BARs: the
# module never writes them, and an entry naming a VF is refused with a
# message saying so.
#
# Root port 00:10.0 with a pci-testdev (A, bar2 fixed); root port 00:11.0
# with an nvme (N) of sriov_max_vfs=2 in an nvme-subsys.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

A=0000:00:10.0/00.0
N=0000:00:11.0/00.0
VF=0000:00:11.0/00.1

# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
	-device pci-testdev,membar=0x4000000,bus=rp1
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x11,chassis=2,slot=2
	-device nvme-subsys,id=ss0
	-device nvme,id=nvme0,serial=sriov1,subsys=ss0,bus=rp2,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2
	-device nvme-ns,drive=d1,bus=nvme0,nsid=1
)

guest_script <<EOF_GUEST
drv nvme
pf=\$(path2bdf $N)
echo 0 >/sys/bus/pci/devices/\$pf/sriov_drivers_autoprobe
echo 2 >/sys/bus/pci/devices/\$pf/sriov_numvfs || fatal "enabling 2 VFs failed"
ls -d /sys/bus/pci/devices/\$pf/virtfn? >/res/virtfns 2>&1
echo \$(path2bdf $VF) >/res/vf.bdf
capture before
load vf 'map=$VF=bar0@0x10000000000'
capture vf
load main 'map=$A=bar2@0x10000000000'
capture after
bars after $A
nvme_read after
EOF_GUEST
boot

is "$(grep -c virtfn "$res/virtfns" 2>/dev/null)" 2 "the guest enabled 2 VFs"
vf=$(rfile vf.bdf)
like "$(rfile before.pci)" "$vf " "the VF $VF is $vf"
is "$(rfile vf.rc)" 22 "an entry naming a VF: EINVAL"
like "$(rfile vf.dmesg)" "entry $VF: an SR-IOV VF; its BARs are placed only through the VF BARs of its PF" \
	"an entry naming a VF: the message"
check_unchanged before vf
check_load main 1
check_fixed after "$A=bar2@0x10000000000"
check_layout after "$A=bar2@0x10000000000"
check_replay main
# the PF (bound) and its VFs: config headers and resources as they were
pf_bus=${vf%:*}
regs=$(grep -A1 "^$pf_bus" "$res/before.pci")
like "$regs" "$vf " "the capture holds the VF's registers"
is "$(grep -A1 "^$pf_bus" "$res/after.pci")" "$regs" \
	"the PF's and VFs' registers and resources are unchanged"
is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads block 0 after the load"
done_testing
