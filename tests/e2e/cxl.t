#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12 7.2
#
# CXL (issue 17): a cxl-type3 memory device behind a pxb-cxl host bridge
# on q35 (QEMU 7.2: -machine cxl=on, one fixed memory window targeting
# the bridge).  The expander is root bus 0000:0c with its own apertures;
# cxl-rp 0c:00.0, the type3 at 0d:00.0.  Its BAR 0 holds the CXL component
# registers (64 KiB, 64-bit, not prefetchable).  The guest fixes BAR 0 at
# the start of the root port's memory window, or 64 KiB above when it is
# there already, so it moves.  Checked: BAR 0 exactly there, the whole
# layout valid (the planner's validator), the CXL.cache/mem capability
# header read through the placed BAR (ID 1, version 1, cache/mem version
# 1, as QEMU builds it), and the same after a rescan with the module
# loaded.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

port=0000:0c:00.0
X=$port/00.0

cxl_mem=$work/cxl-mem.raw
cxl_lsa=$work/cxl-lsa.raw
truncate -s 256M "$cxl_mem"
truncate -s 256M "$cxl_lsa"
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-machine cxl=on
	-object "memory-backend-file,id=cxl-mem1,share=on,mem-path=$cxl_mem,size=256M"
	-object "memory-backend-file,id=cxl-lsa1,share=on,mem-path=$cxl_lsa,size=256M"
	-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1
	-device cxl-rp,port=0,bus=cxl.1,id=crp0,chassis=0,slot=2
	-device cxl-type3,bus=crp0,memdev=cxl-mem1,lsa=cxl-lsa1,id=cxl-pmem0
	-M cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G
)

guest_script <<EOF_GUEST
# hdr TAG: the first dword of the CXL.cache/mem registers (BAR 0 + 4 KiB)
hdr() {
	b=\$(path2bdf $X)
	echo 1 >/sys/bus/pci/devices/\$b/enable
	mm /sys/bus/pci/devices/\$b/resource0 read32 0x1000 1 >/res/\$1.hdr
}
bars before $X
hdr before
cur=\$(awk '{ print \$3 }' /res/before.bars)
# the root port's window holding BAR 0 (resource lines 14-16)
for n in 14 15 16; do
	read -r s e f <<EOF_W
\$(sed -n \${n}p /sys/bus/pci/devices/$port/resource)
EOF_W
	[ \$((s)) -ne 0 ] && [ \$((cur)) -ge \$((s)) ] && [ \$((cur)) -le \$((e)) ] && ws=\$s we=\$e
done
at=\$ws
[ \$((cur)) -eq \$((ws)) ] && at=\$(printf '0x%x' \$((ws + 0x10000)))
echo "$X=bar0@\$at" >/res/entry
echo "\$ws \$we" >/res/window
dmesg -c >/dev/null
insmod \$mod "map=$X=bar0@\$at" 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg >/res/main.dmesg
fixedbar-plan --from-sysfs --root 0000:0c --dump-topology >/res/after.topo.json 2>>/res/notes ||
	fatal "fixedbar-plan --from-sysfs --root 0000:0c failed"
bars after $X
hdr after
echo 1 >/sys/bus/pci/rescan
sleep 2
bars rescan $X
hdr rescan
kernel main
rmmod pci_fixedbar
EOF_GUEST
boot

entry=$(rfile entry)
read -r ws we <<<"$(rfile window)"
diag "cxl-rp memory window [$ws-$we], BAR 0 before: $(awk '{ print $3 }' "$res/before.bars"), entry $entry"
like "$entry" "$X=bar0@0x" "the guest read the CXL root port's window ($entry)"
is "$(rfile main.rc)" 0 "main: insmod pci_fixedbar succeeds"
[[ "$(rfile main.rc)" == 0 ]] || diag "$(rfile main.insmod)" "$(rfile main.dmesg)"
like "$(rfile main.dmesg)" "pci_fixedbar: 0000:0c: 1 fixed BAR at its address" "main: the pxb-cxl root bus planned on its own"
check_fixed after "$entry"
check_layout after "$entry"
before=$(awk '{ print $3 }' "$res/before.bars")
if [[ -n $before && $((before)) != $((${entry#*@})) ]]; then
	pass "BAR 0 moved to its fixed address (from $before)"
else
	fail "BAR 0 moved to its fixed address (from ${before:-none})"
fi
for tag in before after rescan; do
	h=$(rfile "$tag.hdr")
	is "$(((0x${h:-0}) & 0xffffff))" "$((0x110001))" \
		"$tag: the CXL.cache/mem capability header reads through BAR 0 (0x${h:-none})"
done
check_fixed rescan "$entry"
check_kernel main
done_testing
