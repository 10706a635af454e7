#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the boot tests, run from the initramfs once udev has
# coldplugged (dracut: pre-mount hook; initramfs-tools: init-premount):
# waits for the nvme disk, records the kernel log, the drivers, the BARs
# and the data read through them in /res, sends /res over ttyS1 with
# tests/e2e/guest.sh's send_results and powers off.

# busybox applets first: the images differ in the tools they carry
mkdir -p /e2e/bin /res
/e2e/busybox --install -s /e2e/bin
PATH=/e2e/bin:/e2e:$PATH
export PATH

# shellcheck source=tests/e2e/guest.sh
. /e2e/guest.sh

n=0
while [ ! -b /dev/nvme0n1 ] && [ $n -lt 120 ]; do
	sleep 0.5
	n=$((n + 1))
done
[ -b /dev/nvme0n1 ] || fatal "no /dev/nvme0n1 after 60 s"

dmesg >/res/dmesg
cat /proc/cmdline >/res/cmdline
cat /etc/modprobe.d/pci_fixedbar.conf >/res/modprobe.conf 2>&1
cat /sys/module/pci_fixedbar/parameters/map >/res/map 2>&1
ivs=0000:00:10.0/00.0/00.0/00.0
nvm=0000:00:10.0/00.0/01.0/00.0
bars after $ivs $nvm
driver $nvm >/res/drivers
nvme_read after
ivshmem after $ivs
send_results
echo o >/proc/sysrq-trigger
sleep 10
