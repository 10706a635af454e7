#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An initramfs built by dracut (no systemd) with the pci-fixedbar module:
# rd.driver.pre=pci_fixedbar from /etc/cmdline.d loads it in the cmdline
# hook, before udev; the test module reports from the pre-mount hook once
# root= (the nvme disk) has appeared.

# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/lib.sh"

boot_case dracut.img "root=/dev/nvme0n1 rd.shell=0 rd.emergency=poweroff"
done_testing
