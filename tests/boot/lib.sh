# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the boot tests, sourced by tests/boot/*.t: boots the 6.1
# guest with an initramfs that dracut or mkinitramfs built (tests/boot/
# build.sh, make boot-prep) and checks, from the guest's own kernel log and
# sysfs, that pci_fixedbar ran before udev's coldplug bound nvme.
#
#   BOOT_BUILD   what tests/boot/build.sh built (default build/boot)
#
# Uses tests/e2e/lib.sh for the guest (boot with boot_initrd) and TAP.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

BOOT_BUILD=${BOOT_BUILD:-$top/build/boot}
ivs=0000:00:10.0/00.0/00.0/00.0
nvm=0000:00:10.0/00.0/01.0/00.0
# the map of tests/boot/modprobe.conf
entries=("$ivs=bar2@0x10000000000" "$nvm=bar0@0x40000000")

# boot_image IMAGE KERNEL_ARGS: boots the image with the devices of
# tests/boot/modprobe.conf's map (a switch, ivshmem, nvme)
boot_image() {
	local img=$BOOT_BUILD/$1 shm1

	if [[ ! -s $img ]]; then
		echo "Bail out! $img missing: run make boot-prep first"
		exit 1
	fi
	boot_initrd=$img
	kernel_args=$2
	shm1=$(shm m1 "host-pattern-$case_name")
	mapfile -t sw < <(switch_args 2)
	# shellcheck disable=SC2054 # QEMU options are comma lists
	qemu_devs=(
		-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=64M"
		-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
		"${sw[@]}"
		-device ivshmem-plain,memdev=m1,bus=dp0
		-device nvme,drive=d1,serial=boot1,bus=dp1
	)
	boot
}

# boot_case IMAGE KERNEL_ARGS: boots the image and checks everything
boot_case() {
	local dm fb nv

	boot_image "$1" "$2"

	dm=$(rfile dmesg)
	like "$dm" "pci_fixedbar: 0000:00: 2 fixed BARs at their addresses" \
		"$case_name: pci_fixedbar placed both fixed BARs"
	is "$(rfile map)" "${entries[0]};${entries[1]}" \
		"$case_name: the options of /etc/modprobe.d/pci_fixedbar.conf reached the module"
	like "$dm" "BAR 0 [mem 0xfe600000-0xfe603fff 64bit]: moved to [mem 0x40000000-0x40003fff 64bit]" \
		"$case_name: nvme's BAR moved"
	# the guest's own log: the summary line comes before nvme's probe
	fb=$(grep -n 'pci_fixedbar: 0000:00: ' <<<"$dm" | head -1)
	nv=$(grep -n 'nvme nvme0: pci function' <<<"$dm" | head -1)
	if [[ -n $fb && -n $nv ]] && ((${fb%%:*} < ${nv%%:*})); then
		pass "$case_name: pci_fixedbar finished before nvme probed"
	else
		fail "$case_name: pci_fixedbar finished before nvme probed"
	fi
	diag "${fb#*:}"
	diag "${nv#*:}"
	check_fixed after "${entries[@]}"
	is "$(rfile drivers)" nvme "$case_name: nvme bound (by udev coldplug)"
	is "$(rfile after.nvme)" "$nvme_pattern" "$case_name: nvme reads block 0 through the moved BAR"
	is "$(rfile after.ivshmem)" "host-pattern-$case_name" \
		"$case_name: ivshmem: the guest reads the host's pattern at 1 TiB"
	is "$(shm_read m1 4096)" "guest-after" "$case_name: ivshmem: the host reads the guest's pattern"
}

# boot_off IMAGE KERNEL_ARGS: KERNEL_ARGS turn pci_fixedbar off; the image
# boots without it, nothing moves, nvme works where the firmware put it
boot_off() {
	local dm

	boot_image "$1" "$2"
	dm=$(rfile dmesg)
	[[ -n $dm ]] && ! grep 'pci_fixedbar: ' <<<"$dm" | grep -qv 'blacklisted on the kernel command line'
	pass_if $? "$case_name: pci_fixedbar did not run (no line of it in the kernel log)"
	diag "$(grep 'blacklisted on the kernel command line' <<<"$dm")"
	like "$(rfile map)" "No such file" "$case_name: no /sys/module/pci_fixedbar"
	[[ $dm != *"moved to"* ]]
	pass_if $? "$case_name: nothing moved"
	is "$(rfile drivers)" nvme "$case_name: nvme bound"
	is "$(rfile after.nvme)" "$nvme_pattern" "$case_name: nvme reads block 0"
}

# pass_if STATUS DESCRIPTION
pass_if() {
	if (($1 == 0)); then pass "$2"; else fail "$2"; fi
}
