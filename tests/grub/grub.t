#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A 10-entry pci_fixedbar.map through GRUB to the kernel: fixedbar-host
# -f grub writes the drop-in for /etc/default/grub.d/ (the map in single
# quotes, since GRUB ends a command at ';'), Debian's own grub-mkconfig
# makes grub.cfg from it in a test root, grub-script-check accepts it, its
# linux line carries the whole map; then GRUB itself (i386-pc, started by
# QEMU through lnxboot.img, reading a FAT disk) runs that grub.cfg, boots
# Debian's 6.1 kernel with the e2e initramfs, and the guest's /proc/cmdline
# has all 10 entries.  The same map unquoted, as -f map prints it, is cut
# at the first ';' (the reason for -f grub).
#
# grub-mkconfig runs in a private mount namespace where /etc/default,
# /etc/grub.d and /boot are the test root's and grub-probe answers for a
# FAT partition whose root is / (tests/grub/grub-probe.sh, grub-mkrelpath.sh):
# the machine's own are untouched.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

HOST=${FIXEDBAR_HOST:-$top/build/rel/fixedbar-host}
grubdir=/usr/lib/grub/i386-pc
for t in grub-mkconfig grub-script-check grub-mkimage; do
	command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin
	command -v "$t" >/dev/null ||
		{ echo "Bail out! $t missing (scripts/install-deps.sh grub)"; exit 1; }
done
[[ -f $grubdir/lnxboot.img ]] ||
	{ echo "Bail out! $grubdir missing (scripts/install-deps.sh grub)"; exit 1; }
eval "$("$top/scripts/fetch-kernel.sh" 6.1 amd64)"
rel=$KERNELRELEASE

# ten host GPUs, each with a 16M 64-bit prefetchable bar0 at 256 GiB + i * 64M
sysfs=$work/sys
for ((i = 0; i < 10; i++)); do
	bdf=$(printf '0000:%02x:00.0' $((0x40 + i)))
	d=$sysfs/devices/pci0000:00/$bdf
	mkdir -p "$d" "$sysfs/bus/pci/devices"
	echo 0x10de >"$d/vendor"
	echo 0x2330 >"$d/device"
	ln -s "../../../devices/pci0000:00/$bdf" "$sysfs/bus/pci/devices/$bdf"
	s=$((0x4000000000 + i * 0x4000000))
	{
		printf '0x%016x 0x%016x 0x%016x\n' "$s" $((s + 0xffffff)) 0x14220c
		for ((j = 1; j < 13; j++)); do
			echo "0x0000000000000000 0x0000000000000000 0x0000000000000000"
		done
	} >"$d/resource"
	bdfs+=("$bdf")
done
"$HOST" -q --sysfs "$sysfs" -f map "${bdfs[@]}" >"$work/map" 2>"$work/host.err"
is $? 0 "fixedbar-host -f map for 10 devices"
map=$(<"$work/map")
is "$(tr ';' '\n' <<<"${map#pci_fixedbar.map=}" | grep -c '=bar0@')" 10 "the map has 10 entries"
"$HOST" -q --sysfs "$sysfs" -f grub "${bdfs[@]}" >"$work/grub.cfg.d" 2>>"$work/host.err"
is $? 0 "fixedbar-host -f grub for 10 devices"

# mkconfig ROOT DROPIN: grub.cfg for the test root ROOT with DROPIN as
# /etc/default/grub.d/pci-fixedbar.cfg
mkconfig() {
	local r=$1

	mkdir -p "$r/etc/default/grub.d" "$r/etc/grub.d" "$r/boot/grub"
	cat >"$r/etc/default/grub" <<'CFG'
GRUB_DEFAULT=0
GRUB_TIMEOUT=0
GRUB_DISTRIBUTOR=Debian
GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0 panic=-1 rdinit=/init"
GRUB_CMDLINE_LINUX=""
GRUB_TERMINAL=console
GRUB_DISABLE_LINUX_UUID=true
GRUB_DISABLE_RECOVERY=true
GRUB_DISABLE_OS_PROBER=true
CFG
	cp "$2" "$r/etc/default/grub.d/pci-fixedbar.cfg"
	cp /etc/grub.d/00_header /etc/grub.d/10_linux "$r/etc/grub.d/"
	cp "$VMLINUZ" "$r/boot/vmlinuz-$rel"
	cp "$kdir/base.cpio.gz" "$r/boot/initrd.img-$rel"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount bash -c 'r=$1
		mount --bind "$r/etc/default" /etc/default &&
		mount --bind "$r/etc/grub.d" /etc/grub.d &&
		mount --bind "$r/boot" /boot &&
		mount --bind "$2/grub-probe.sh" /usr/sbin/grub-probe &&
		mount --bind "$2/grub-mkrelpath.sh" /usr/bin/grub-mkrelpath &&
		exec grub-mkconfig -o /boot/grub/grub.cfg' - "$r" "$top/tests/grub" \
		>"$r/mkconfig.log" 2>&1
}

mkconfig "$work/root" "$work/grub.cfg.d"
is $? 0 "grub-mkconfig with the -f grub drop-in"
cfg=$work/root/boot/grub/grub.cfg
grub-script-check "$cfg"
is $? 0 "grub-script-check accepts the generated grub.cfg"
linux=$(grep -m1 -E '^\s*linux\s' "$cfg")
diag "${linux:0:200}..."
like "$linux" " '$map'" "grub.cfg's linux line carries the whole map in single quotes"

# the same map unquoted: valid GRUB script, but two commands after the first ';'
echo "GRUB_CMDLINE_LINUX=\"\$GRUB_CMDLINE_LINUX $map\"" >"$work/plain.cfg.d"
mkconfig "$work/plain" "$work/plain.cfg.d"
is $? 0 "grub-mkconfig with the map unquoted"
grub-script-check "$work/plain/boot/grub/grub.cfg"
is $? 0 "grub-script-check accepts that too: the cut is silent"

# boot ROOT NAME: GRUB runs ROOT's grub.cfg from a FAT disk; the guest's
# /proc/cmdline lands in $res/NAME.cmdline
grub_boot() {
	local r=$1 disk=$work/$2.disk rc t

	rm -rf "$disk"
	mkdir -p "$disk/boot/grub/i386-pc"
	cp "$grubdir"/*.mod "$grubdir"/*.lst "$disk/boot/grub/i386-pc/"
	cp "$r/boot/grub/grub.cfg" "$disk/boot/grub/"
	cp "$r/boot/vmlinuz-$rel" "$r/boot/initrd.img-$rel" "$disk/boot/"
	(
		mkdir -p "$work/$2.initrd"
		cd "$work/$2.initrd" &&
			printf 'cat /proc/cmdline >/res/cmdline\n' >test.sh &&
			echo test.sh | cpio -o -H newc --quiet | gzip -1
	) >"$work/$2.test.cpio.gz"
	cat "$work/$2.test.cpio.gz" >>"$disk/boot/initrd.img-$rel"
	grub-mkimage -O i386-pc -d "$grubdir" -o "$work/core.img" \
		-p '(hd0,msdos1)/boot/grub' biosdisk part_msdos fat normal linux
	cat "$grubdir/lnxboot.img" "$work/core.img" >"$work/grub.lnx"
	t=$SECONDS
	timeout --kill-after=10 "$E2E_TIMEOUT" "${E2E_QEMU:-qemu-system-x86_64}" \
		-M q35 -accel tcg -m 1G -smp 1 -nographic -nodefaults -no-reboot \
		-chardev "file,id=con,path=$work/$2.console.log" -serial chardev:con \
		-chardev "file,id=res,path=$work/$2.results.txt" -serial chardev:res \
		-kernel "$work/grub.lnx" \
		-drive "file=fat:$disk,format=raw,if=virtio,readonly=on" \
		</dev/null >"$work/$2.qemu.log" 2>&1
	rc=$?
	diag "$2: GRUB and the guest ran $((SECONDS - t)) s, qemu exit $rc; logs in $work"
	tr -d '\r' <"$work/$2.results.txt" | awk -v f="$res/$2.cmdline" '
		/^@@@FILE cmdline/ { on = 1; next }
		/^@@@/ { on = 0 }
		on && NF { print > f }'
}

grub_boot "$work/root" quoted
got=$(rfile quoted.cmdline)
like "$got" " $map" "GRUB booted the kernel with the whole 10-entry map in /proc/cmdline"
[[ -n $got && $got != *"'"* ]]
is $? 0 "GRUB removed the single quotes"

grub_boot "$work/plain" plain
got=$(rfile plain.cmdline)
like "$got" "BOOT_IMAGE=/boot/vmlinuz-$rel" "the unquoted case booted too"
[[ -n $got && ($got == *"${map%%;*}" || $got == *"${map%%;*} "*) && $got != *"$map"* ]]
is $? 0 "unquoted, the kernel gets only the map's first entry and nothing after it (GRUB ended the linux command at ';')"
done_testing
