#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1 6.12 6.1/acpi 6.12/acpi
#
# Bad input on arm64 virt, one guest: a firmware descriptor fixes ivshmem A
# (a device tree table node, or with A64_FW=acpi a PRP0001 SSDT), each load
# adds a bad map= on top (a map= the kernel's parser split at whitespace
# among them: the fragment after the space arrives as an unknown parameter)
# and must fail with its message and leave the layout exactly as it was; finally a load without map= applies the
# firmware entry and ivshmem works through the moved BAR.
#
# Under root port 00:10.0 and an x3130 switch: ivshmem A below downstream
# port 0, ivshmem B below port 1, a pci-testdev (32-bit BAR 0) below port 2.

# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

A=0000:00:10.0/00.0/00.0/00.0
B=0000:00:10.0/00.0/01.0/00.0
T=0000:00:10.0/00.0/02.0/00.0
fixed="$A=bar2@0x9000000000"

# tag, map (and more parameters), errno, the message the kernel log must hold
cases=(
	conflict "$A=bar2@0x9100000000" 22
	"$A bar2 fixed twice with different addresses (0x9000000000 and 0x9100000000)"
	malformed "$B=bar2@9100000000" 22
	"bar2 at column 34 has no 0x prefix"
	unknown-device "0000:00:10.0/00.0/07.0/00.0=bar2@0x9100000000" 19
	"0000:00:10.0/00.0/07.0/00.0: no device 07.0 below 0000:00:10.0/00.0"
	misaligned "$B=bar2@0x9101000000" 22
	"$B bar2 [mem 0x9101000000-0x9104ffffff 64bit pref]: address not aligned to the BAR size"
	outside-window "$B=bar2@0x4000000000" 22
	"$B bar2 [mem 0x4000000000-0x4003ffffff 64bit pref]: outside every host bridge aperture"
	overlapping "$B=bar2@0x9000000000" 16
	"overlaps fixed bar2 [mem 0x9000000000-0x9003ffffff 64bit pref]"
	32bit-above-4g "$T=bar0@0x9100000000" 22
	"$T bar0 [mem 0x9100000000-0x9100000fff]: a 32-bit BAR cannot decode an address above 4GiB"
	whitespace-split "$B=bar2@0x9100000000; $T=bar0@0x10000000" 22
	"ends with ';': whitespace split the value"
	whitespace-split-dry-run "$B=bar2@0x9100000000, bar0@0x10000000 dry_run=1" 22
	"ends with ',': whitespace split the value"
	rollback "$B=bar2@0x9100000000 fault_write=12" 5
	"every device is back where it was"
)

shm1=$(shm m1 "host-pattern-bad-1")
shm2=$(shm m2 "host-pattern-bad-2")
if [[ $A64_FW == acpi ]]; then
	acpi_tables=("$(ssdt fixedbar "$fixed")")
else
	dt_table "$fixed"
fi
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
	-object "memory-backend-file,id=m2,share=on,mem-path=$shm2,size=64M"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device ivshmem-plain,memdev=m2,bus=dp1
	-device pci-testdev,membar=0x1000000,bus=dp2
)

{
	echo "capture before"
	for ((i = 0; i < ${#cases[@]}; i += 4)); do
		map=${cases[i + 1]}
		args=${map#* }
		[[ $args == "$map" ]] && args=
		echo "load ${cases[i]} 'map=${map%% *}' $args"
		echo "capture ${cases[i]}"
	done
	cat <<EOF_GUEST
load dry-run dry_run=1
capture dry-run
load apply
capture after
bars after $A
echo 1 >/sys/bus/pci/devices/\$(path2bdf $A)/enable
ivshmem after $A
EOF_GUEST
} | guest_script
boot

for ((i = 0; i < ${#cases[@]}; i += 4)); do
	tag=${cases[i]}
	is "$(rfile "$tag.rc")" "${cases[i + 2]}" "$tag: insmod fails with errno ${cases[i + 2]}"
	like "$(rfile "$tag.dmesg")" "${cases[i + 3]}" "$tag: the message"
	check_unchanged before "$tag"
done
is "$(rfile dry-run.rc)" 0 "dry_run=1: insmod succeeds"
like "$(rfile dry-run.dmesg)" "(dry run, nothing written)" "dry_run=1: says nothing was written"
check_unchanged before dry-run
check_load apply 1
check_fixed after "$fixed"
check_layout after "$fixed"
check_replay apply
is "$(rfile after.ivshmem)" "host-pattern-bad-1" "ivshmem reads the host's pattern through the moved BAR"
is "$(shm_read m1 4096)" "guest-after" "the host reads the guest's pattern"
done_testing
