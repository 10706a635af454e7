#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An initramfs built by initramfs-tools' mkinitramfs with the pci_fixedbar
# hook: init-top/pci_fixedbar loads the module before init-top/udev
# triggers coldplug; the test's init-premount script reports.

# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/lib.sh"

boot_case mkinitramfs.img "root=/dev/nvme0n1 panic=-1"
# the order mkinitramfs computed from the scripts' PREREQ lines
order=$(zcat "$BOOT_BUILD/mkinitramfs.img" | cpio -i --quiet --to-stdout scripts/init-top/ORDER |
	sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' | grep -xE 'blacklist|pci_fixedbar|udev' | tr '\n' ' ')
is "$order" "blacklist pci_fixedbar udev " \
	"init-top/ORDER: blacklist (its PREREQ), pci_fixedbar, then udev"
done_testing
