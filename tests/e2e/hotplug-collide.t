#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A device the PCI core assigns by itself on the range kept for an entry
# that waits for its hot-add (issue 17), native PCIe hotplug over QMP.
# The core knows nothing of that range.  Two guests:
#
# move: root port 00:10.0 -> x3130 switch -> dp0 an unnamed 64 MiB
#   ivshmem U, dp1 empty; map= names B (dp1) with +64M at the start of the
#   64-bit aperture, so the load keeps that range in dp1's window and U
#   elsewhere.  A remove + rescan of the switch lets the core put U back
#   at the start of the root port's window, on B's range: the module plans
#   again before U's driver may bind and moves U off it; U still works;
#   then B, hot-added, lands at its address and data goes through it.
#
# collide: a 2 GiB 64-bit aperture, a guest RAM that leaves no 1 GiB
#   room below 4 GiB, root ports 00:10.0 (empty; B waits, +1G at the
#   aperture's start), 00:11.0 (empty) and 00:12.0 (W, 1 GiB, there at
#   boot; the load moves it to the aperture's second half).  With 00:10.0
#   removed (no entry waits then), a 1 GiB ivshmem U hot-added into
#   00:11.0 lands on B's range; 00:10.0 comes back with a rescan.  U
#   removed and found again by a rescan: no layout moves it (W holds the
#   rest), so it stays there with one warning naming B's entry.  Then B is
#   hot-added: it stays without a driver, one line names the entry, B,
#   the range, U's BAR on it and what to do, and nothing but B and its
#   port changed.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/qmp.sh
. "$e2e_dir/qmp.sh"

base=$work
# scenario NAME: the next guest's own directory
scenario() {
	work=$base/$1
	res=$work/res
	qmp=$work/qmp.sock
	mkdir -p "$res" "$work/initrd"
}

# off BARS-FILE PATH START SIZE: 1 when the device's BAR 2 lies wholly
# outside [START, START + SIZE), 0 when it overlaps, "none" unassigned
off() {
	local s e

	read -r s e < <(awk -v p="$2" '$1 == p { print $9, $10 }' "$res/$1")
	if ((!${s:-0})); then
		echo none
	else
		echo $((e < $3 || s >= $3 + $4))
	fi
}

# ---- move -------------------------------------------------------------
scenario move
U=0000:00:10.0/00.0/00.0/00.0
B=0000:00:10.0/00.0/01.0/00.0
R=0x10000000000
b_entry="$B=bar2@$R+64M"
kernel_args="pci_fixedbar.map=$b_entry"
shm_u=$(shm u "host-pattern-move-U")
shm_b=$(shm b "host-pattern-move-B")
mapfile -t sw < <(switch_args 2)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-qmp "unix:$qmp,server=on,wait=off"
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	-object "memory-backend-file,id=mu,share=on,mem-path=$shm_u,size=64M"
	"${sw[@]}"
	-device ivshmem-plain,memdev=mu,bus=dp0
)
guest_script <<EOF_GUEST
insmod \$mod \$cmdline_args 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg -c >/res/main.dmesg
bars load $U
ivshmem load $U

rmscan 0000:00:10.0/00.0
appear $U
settled $U rmscan
bars rmscan $U
dmesg -c >/res/rmscan.dmesg
en $U
ivshmem rmscan $U

step add-b
appear $B
settled $B addb
bars addb $U $B
en $B
ivshmem addb $B
dmesg -c >/res/addb.dmesg
kernel move
EOF_GUEST
host_steps() {
	wait_step add-b && hot_shm mb "$shm_b" &&
		hot_dev '{"driver": "ivshmem-plain", "id": "b", "memdev": "mb", "bus": "dp1"}' &&
		echo host-steps-done
}
case_name=hotplug-collide-move
boot_with_host_steps

check_load main 0
like "$(rfile main.dmesg)" "entry $B=bar2@$R+0x4000000: no device in that hotplug slot yet" \
	"move: B waits for its hot-add"
is "$(off load.bars "$U" $((R)) $((0x4000000)))" 1 "move: after the load, U is off B's range"
like "$(rfile rmscan.dmesg)" "BAR 2 [mem 0x10000000000-0x10003ffffff 64bit pref]: moved to" \
	"move: the core put U on B's range at the rescan, the module moved it"
is "$(off rmscan.bars "$U" $((R)) $((0x4000000)))" 1 "move: after remove + rescan, U is off B's range"
is "$(rfile rmscan.override)" "(null)" "move: U's override lifted once moved"
is "$(grep -c "range kept for entry" "$res/rmscan.dmesg")" 0 "move: no warning, U could be moved"
is "$(rfile rmscan.ivshmem)" "host-pattern-move-U" "move: U, moved, reads the host's pattern"
is "$(shm_read u 4096)" "guest-rmscan" "move: the host reads what the guest wrote through U"
check_fixed addb "$b_entry"
is "$(rfile addb.override)" "(null)" "move: hot-added B, override lifted once placed"
is "$(rfile addb.ivshmem)" "host-pattern-move-B" "move: B at its address reads the host's pattern"
is "$(shm_read b 4096)" "guest-addb" "move: the host reads what the guest wrote through B"
check_kernel move

# ---- collide ----------------------------------------------------------
scenario collide
B=0000:00:10.0/00.0
U=0000:00:11.0/00.0
W=0000:00:12.0/00.0
R=0x100000000
b_entry="$B=bar2@$R+1G"
kernel_args="pci_fixedbar.map=$b_entry"
# 2 GiB of RAM: the 32-bit apertures (768 MiB, 1 GiB less the chipset's)
# hold no 1 GiB BAR; a 2 GiB 64-bit aperture from 4 GiB
E2E_MEM=2G
window_args=(-cpu "max,phys-bits=$phys_bits" -global q35-pcihost.pci-hole64-size=2G)
shm_u=$(shm u "host-pattern-collide-U")
shm_b=$(shm b "host-pattern-collide-B")
shm_w=$(shm w "host-pattern-collide-W")
truncate -s 1G "$shm_u" "$shm_b" "$shm_w"
mapfile -t rps < <(root_port rp1 0x10 1; root_port rp2 0x11 2; root_port rp3 0x12 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-qmp "unix:$qmp,server=on,wait=off"
	-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off
	-object "memory-backend-file,id=mw,share=on,mem-path=$shm_w,size=1G"
	"${rps[@]}"
	-device ivshmem-plain,memdev=mw,bus=rp3
)
guest_script <<EOF_GUEST
insmod \$mod \$cmdline_args 2>/res/main.insmod
echo \$? >/res/main.rc
dmesg -c >/res/main.dmesg
bars load $W
ivshmem load $W

# the waiting entry's port goes away: nothing keeps its range meanwhile
echo 1 >/sys/bus/pci/devices/0000:00:10.0/remove
sleep 1
step add-u
appear $U
settled $U addu
bars addu $U $W
path2bdf $U >/res/u.bdf
echo 1 >/sys/bus/pci/rescan
sleep 2
dmesg -c >/res/addu.dmesg

# U found again by a rescan while B's entry waits: no layout moves it
rmscan $U
appear $U
settled $U urescan
bars urescan $U $W
dmesg -c >/res/urescan.dmesg
en $U
ivshmem urs $U

capture preb
step add-b
appear $B
sleep 5
capture postb
bars postb $U $W
path2bdf $B >/res/b.bdf
echo "\$(driver $B) \$(cat /sys/bus/pci/devices/\$(path2bdf $B)/driver_override)" >/res/addb.driver
dmesg -c >/res/addb.dmesg
ivshmem postb $U
ivshmem postbw $W
kernel collide
EOF_GUEST
host_steps() {
	wait_step add-u && hot_shm mu "$shm_u" $((1 << 30)) &&
		hot_dev '{"driver": "ivshmem-plain", "id": "u", "memdev": "mu", "bus": "rp2"}' &&
		wait_step add-b && hot_shm mb "$shm_b" $((1 << 30)) &&
		hot_dev '{"driver": "ivshmem-plain", "id": "b", "memdev": "mb", "bus": "rp1"}' &&
		echo host-steps-done
}
case_name=hotplug-collide
boot_with_host_steps

# without B and its root port (00:10.0, bus 01): what the guest captured
# (TAG.iomem, TAG.pci: a device's config line, then its resource line)
others() {
	local b

	b=$(rfile b.bdf)
	case $2 in
	iomem) grep -v -e "PCI Bus 0000:${b:5:2}" -e "$b" "$res/$1.iomem" ;;
	pci) awk -v b="$b" '$1 == b || $1 == "0000:00:10.0" { skip = 2 }
		skip { skip--; next } { print }' "$res/$1.pci" ;;
	esac
}

check_load main 0
like "$(rfile main.dmesg)" "entry $B=bar2@$R+0x40000000: no device in that hotplug slot yet" \
	"collide: B waits for its hot-add"
is "$(off load.bars "$W" $((R)) $((1 << 30)))" 1 "collide: after the load, W is off B's range"
u=$(rfile u.bdf)
is "$(off addu.bars "$U" $((R)) $((1 << 30)))" 0 \
	"collide: with B's port removed, the core put the hot-added U on B's range"
is "$(rfile urescan.override)" "(null)" "collide: U, found again, is released to its driver"
is "$(off urescan.bars "$U" $((R)) $((1 << 30)))" 0 "collide: no layout moves U off B's range"
warn="$u: BAR 2 [mem 0x100000000-0x13fffffff 64bit pref]: the PCI core put it in the range kept for entry $B=bar2@$R+0x40000000, which waits for its hot-add"
like "$(rfile urescan.dmesg)" "$warn" "collide: one warning names U's BAR and B's entry"
like "$(rfile urescan.dmesg)" "remove this device before hot-adding that one" "collide: and says what to do"
is "$(grep -c "range kept for entry" "$res/urescan.dmesg")" 1 "collide: exactly one such line"
is "$(rfile urs.ivshmem)" "host-pattern-collide-U" "collide: U reads the host's pattern where it is"

is "$(rfile addb.driver)" "none none" "collide: B stays without a driver, driver_override none"
line="entry $B=bar2@$R+0x40000000: BAR 2 [mem 0x100000000-0x13fffffff] collides with $u BAR 2 [mem 0x100000000-0x13fffffff 64bit pref] (driver none), placed meanwhile; left without a driver"
like "$(rfile addb.dmesg)" "$(rfile b.bdf): $line" \
	"collide: one line names the entry, B, the range and U's BAR on it"
like "$(rfile addb.dmesg)" "remove $u (or give the entry another address), then remove and add this device again" \
	"collide: the line says what to do"
is "$(grep -c "collides with" "$res/addb.dmesg")" 1 "collide: exactly one such line"
for k in iomem pci; do
	if [[ -s $res/preb.$k ]] && cmp -s <(others preb $k) <(others postb $k); then
		pass "collide: $k unchanged but for B and its port"
	else
		fail "collide: $k unchanged but for B and its port"
		diag "$(diff <(others preb $k) <(others postb $k) | head -20)"
	fi
done
is "$(grep -v -c "^$" "$res/postb.bars")" 2 "collide: U and W listed after B's hot-add"
if cmp -s "$res/urescan.bars" "$res/postb.bars"; then
	pass "collide: U and W where they were"
else
	fail "collide: U and W where they were"
fi
is "$(rfile postb.ivshmem)" "host-pattern-collide-U" "collide: U still reads the host's pattern"
is "$(shm_read u 4096)" "guest-postb" "collide: the host reads what the guest wrote through U"
is "$(rfile postbw.ivshmem)" "host-pattern-collide-W" "collide: W still reads the host's pattern"
is "$(shm_read w 4096)" "guest-postbw" "collide: the host reads what the guest wrote through W"
check_kernel collide
done_testing
