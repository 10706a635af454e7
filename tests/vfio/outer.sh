# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The outer guest's /test.sh (tests/vfio/vfio.t): it is the "host" of the
# inner guest.  Binds vfio-pci to the emulated devices at OUTER_PATHS, runs
# fixedbar-host on its own sysfs, starts the inner QEMU with the options
# and the SSDT fixedbar-host printed.  The inner guest's console and
# results go straight to this machine through the outer guest's third and
# fourth serial ports (ttyS2, ttyS3), live, also when a level times out.
# /vfio.env (written by vfio.t) sets OUTER_PATHS, INNER_TIMEOUT, INNER_RAM
# and INNER_APPEND.

# shellcheck disable=SC1091 # written by vfio.t
. /vfio.env

drv vfio-pci
drv vfio_iommu_type1
ls /sys/kernel/iommu_groups >/res/outer.groups
# shellcheck disable=SC2086 # a list of paths
bars outer $OUTER_PATHS

# vfio-pci by driver_override, as a host admin (or libvirt) binds it
devs=
for p in $OUTER_PATHS; do
	b=$(path2bdf "$p")
	[ -n "$b" ] || { fatal "no device at $p"; continue; }
	echo "$p $(cat "/sys/bus/pci/devices/$b/vendor") $(cat "/sys/bus/pci/devices/$b/device")" \
		>>/res/outer.ids
	echo vfio-pci >"/sys/bus/pci/devices/$b/driver_override"
	echo "$b" >/sys/bus/pci/drivers_probe
	g=$(readlink "/sys/bus/pci/devices/$b/iommu_group")
	echo "$p $b $(driver "$p") ${g##*/}" >>/res/outer.vfio
	devs="$devs $b:bar2"
done
ls /dev/vfio >/res/outer.devvfio 2>&1

# fixedbar-host on the real sysfs (--amd: TCG's -cpu max is an AMD CPU,
# whose q35 RAM and hole64 QEMU moves above 1 TiB): the QEMU options (notes
# on stderr), the map for the host's checks, the SSDT the inner QEMU loads
# shellcheck disable=SC2086 # a list of devices
{
	fixedbar-host --cpu max --amd --guest-ram "$INNER_RAM" $devs >/res/host.opts 2>/res/host.err
	echo $? >/res/host.rc
	fixedbar-host -q --cpu max --amd --guest-ram "$INNER_RAM" -f map $devs >/res/host.map 2>&1
	fixedbar-host -q --cpu max --amd --guest-ram "$INNER_RAM" -f aml -o /tmp/fixedbar.aml $devs \
		>>/res/host.err 2>&1
	echo $? >/res/host.aml.rc
}
kernel outer

# the inner QEMU: fixedbar-host's options one per line, "-opt value"
set --
while read -r o v; do
	set -- "$@" "$o" "$v"
done </res/host.opts
stty -F /dev/ttyS2 raw -echo
stty -F /dev/ttyS3 raw -echo
t0=$(date +%s)
timeout -s KILL "$INNER_TIMEOUT" qemu-system-x86_64 -M q35 -accel tcg -m "$INNER_RAM" -smp 1 "$@" \
	-nographic -nodefaults -no-reboot \
	-chardev serial,id=con,path=/dev/ttyS2 -serial chardev:con \
	-chardev serial,id=res,path=/dev/ttyS3 -serial chardev:res \
	-kernel /inner/vmlinux -initrd /inner/initrd.img -append "$INNER_APPEND" \
	-acpitable file=/tmp/fixedbar.aml </dev/null >/res/inner.qemu 2>&1
echo $? >/res/inner.qemu.rc
echo $(($(date +%s) - t0)) >/res/inner.secs
kernel outer-after
