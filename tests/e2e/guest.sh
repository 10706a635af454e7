# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the guest side of a case (/test.sh), sourced by /init.  Every
# result is a file in /res, which send_results hands to the host.

mod=/lib/modules/pci_fixedbar.ko
e2e_ok=1

# the pci_fixedbar.* parameters of the kernel command line, as modprobe
# would pass them
cmdline_args=
read -r cmdline </proc/cmdline
for w in $cmdline; do
	case $w in
	pci_fixedbar.*) cmdline_args="$cmdline_args ${w#pci_fixedbar.}" ;;
	esac
done

# insmod FILE [PARAM...]: busybox's insmod retries a failed finit_module()
# with init_module(), so a refused load ran, and logged, twice; finsmod
# (tests/e2e/finsmod.c) loads once.  Images without it keep their insmod.
insmod() {
	if [ -x /bin/finsmod ]; then
		finsmod "$@"
	else
		command insmod "$@"
	fi
}

note() {
	echo "$*" >>/res/notes
}

# something the host cannot check by itself went wrong: no success marker
fatal() {
	note "FATAL: $*"
	e2e_ok=0
}

# drv NAME: loads a driver and its dependencies (lib/modules/NAME.order)
drv() {
	while read -r m; do
		n=$(basename "$m" .ko | tr - _)
		[ -d "/sys/module/$n" ] || insmod "/lib/modules/$m" 2>>/res/notes
	done <"/lib/modules/$1.order"
	# probing is asynchronous for some drivers
	sleep 1
}

# release PATH: unbinds a driver that bound at boot (6.12 has virtio_pci
# built in), so the device can move like a freshly probed one
release() {
	b=$(path2bdf "$1")
	[ -e "/sys/bus/pci/devices/$b/driver" ] &&
		echo "$b" >"/sys/bus/pci/devices/$b/driver/unbind"
}

# probe PATH: asks the core to bind a driver to the device now
probe() {
	path2bdf "$1" >/sys/bus/pci/drivers_probe
	sleep 1
}

# path2bdf PATH: the device a descriptor path names, e.g.
# 0000:00:10.0/00.0/01.0/00.0 -> 0000:03:00.0
path2bdf() {
	d=/sys/bus/pci/devices/${1%%/*}
	rest=${1#*/}
	[ "$rest" = "$1" ] && rest=
	for hop in $(echo "$rest" | tr / ' '); do
		n=
		for c in "$d"/[0-9a-f]*:[0-9a-f]*:"$hop"; do
			[ -d "$c" ] && n=$c
		done
		d=$n
	done
	[ -d "$d" ] && basename "$d"
}

# capture TAG: the whole layout as the kernel has it: fixedbar-plan's
# topology dump, /proc/iomem, every device's resources and config header
capture() {
	fixedbar-plan --from-sysfs --dump-topology >"/res/$1.topo.json" 2>>/res/notes ||
		fatal "fixedbar-plan --from-sysfs failed ($1)"
	cat /proc/iomem >"/res/$1.iomem"
	for d in /sys/bus/pci/devices/*; do
		echo "$(basename "$d") $(hexdump -n 64 -e '16/4 "%08x " "\n"' "$d/config")"
		sed -n 1,7p "$d/resource" | tr '\n' ' '
		echo
	done >"/res/$1.pci"
}

# load TAG ARGS...: insmod pci_fixedbar with ARGS; records the exit status,
# the kernel messages and the debugfs dump, then unloads the module again
load() {
	tag=$1
	shift
	dmesg -c >/dev/null
	insmod "$mod" "$@" 2>"/res/$tag.insmod"
	echo $? >"/res/$tag.rc"
	dmesg >"/res/$tag.dmesg"
	for f in /sys/kernel/debug/pci_fixedbar/*; do
		[ -f "$f" ] && cat "$f" >"/res/$tag.debugfs.json"
	done
	grep -q '^pci_fixedbar ' /proc/modules && rmmod pci_fixedbar
}

# fbcheck TAG [ARGS...]: fixedbar-check -j, with the descriptors it finds
# itself (firmware tables, the command line) unless ARGS say otherwise;
# its JSON, stderr and exit status in TAG.check.{json,err,rc}
fbcheck() {
	tag=$1
	shift
	fixedbar-check -j "$@" >"/res/$tag.check.json" 2>"/res/$tag.check.err"
	echo $? >"/res/$tag.check.rc"
}

# fbtable TAG [ARGS...]: fixedbar-check's table (what a person reads) in
# TAG.check.txt, its exit status in TAG.check.txt.rc
fbtable() {
	tag=$1
	shift
	fixedbar-check "$@" >"/res/$tag.check.txt" 2>&1
	echo $? >"/res/$tag.check.txt.rc"
}

# bars TAG PATH...: the sysfs resource lines of BARs 0-5 of each device
bars() {
	tag=$1
	shift
	for p in "$@"; do
		b=$(path2bdf "$p")
		[ -n "$b" ] || fatal "no device at $p"
		echo "$p $b $(sed -n 1,6p "/sys/bus/pci/devices/$b/resource" | tr '\n' ' ')"
	done >"/res/$tag.bars"
}

# nvme_read TAG: the first 32 bytes of the nvme namespace
nvme_read() {
	dd if=/dev/nvme0n1 bs=512 count=1 2>/dev/null | head -c 32 >"/res/$1.nvme"
}

# vblk_read TAG: the first 32 bytes of the virtio disk
vblk_read() {
	dd if=/dev/vda bs=512 count=1 2>/dev/null | head -c 32 >"/res/$1.vblk"
}

# ivshmem TAG PATH: reads the host's pattern at offset 0 of BAR 2 through
# the sysfs mmap, writes "guest-TAG" at offset 4096 for the host to find
ivshmem() {
	b=$(path2bdf "$2")
	mm "/sys/bus/pci/devices/$b/resource2" read 0 64 >"/res/$1.ivshmem" 2>&1
	mm "/sys/bus/pci/devices/$b/resource2" write 4096 "guest-$1" 2>>/res/notes
}

# driver PATH: the name of the driver bound to a device, or "none"
driver() {
	l=$(readlink "/sys/bus/pci/devices/$(path2bdf "$1")/driver")
	if [ -n "$l" ]; then
		basename "$l"
	else
		echo none
	fi
}

# kernel TAG: the taint flags and every kernel warning, oops or BUG so
# far, for check_kernel on the host
kernel() {
	cat /proc/sys/kernel/tainted >"/res/$1.tainted"
	dmesg | grep -E 'WARNING:|Oops|BUG:|Call Trace|general protection' \
		>"/res/$1.kproblems"
}

send_results() {
	# what the host checks for WARN/BUG/lockdep/taint (check_kernel)
	dmesg >/res/zz-dmesg
	cat /proc/sys/kernel/tainted >/res/zz-tainted
	[ "$e2e_ok" = 1 ] && echo E2E-OK >/res/zz-status
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	for f in /res/*; do
		echo "@@@FILE ${f#/res/}"
		cat "$f"
		echo
	done >/dev/ttyS1
	echo "@@@END" >/dev/ttyS1
}

# Hotplug driven from the host (tests/e2e/qmp.sh: wait_step, hot_*).
# step NAME: tells the host, over the results port, to do its part
step() {
	stty -F /dev/ttyS1 raw -echo 2>/dev/null
	echo "@@@STEP $1" >/dev/ttyS1
}

# rmscan PATH: removes the device PATH names (with what is below it), then
# rescans every bus, as a user does to have the PCI core find it again
rmscan() {
	echo 1 >"/sys/bus/pci/devices/$(path2bdf "$1")/remove"
	sleep 1
	echo 1 >/sys/bus/pci/rescan
}

# appear PATH / vanish PATH: waits (60 s at most) for the device to come or go
appear() {
	n=0
	while [ -z "$(path2bdf "$1")" ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
	[ -n "$(path2bdf "$1")" ] || fatal "$1 never appeared"
}
vanish() {
	n=0
	while [ -n "$(path2bdf "$1")" ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
	[ -z "$(path2bdf "$1")" ] || fatal "$1 never went away"
}

# settled PATH TAG: waits (10 s at most) for pci_fixedbar to lift the
# hot-added device's driver_override, records it in TAG.override
settled() {
	o=/sys/bus/pci/devices/$(path2bdf "$1")/driver_override
	n=0
	while [ "$(cat "$o")" = none ] && [ $n -lt 10 ]; do sleep 1; n=$((n + 1)); done
	cat "$o" >"/res/$2.override"
}

# en PATH: memory decode on (pci_enable_device): nothing enables a
# hot-added ivshmem, which no driver claims
en() {
	echo 1 >"/sys/bus/pci/devices/$(path2bdf "$1")/enable"
}
