#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dracut.t with systemd in the initramfs (dracut's systemd, systemd-initrd
# and dracut-systemd modules, Fedora's default): systemd is the image's
# init, rd.driver.pre=pci_fixedbar loads the module from
# dracut-cmdline.service before systemd-udevd's coldplug, the test module
# reports from dracut-pre-mount.service.

# systemd in the initramfs takes two minutes under TCG on a busy host
E2E_TIMEOUT=${E2E_TIMEOUT:-480}
# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/lib.sh"

boot_case dracut-systemd.img "root=/dev/nvme0n1 rd.shell=0 rd.emergency=poweroff"
like "$(rfile dmesg)" "systemd[1]: Running in initrd." "dracut-systemd: systemd is the initramfs's init"
like "$(rfile dmesg)" "Starting dracut-cmdline.service" "dracut-systemd: the hooks run from dracut-cmdline.service"
done_testing
