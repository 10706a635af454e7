#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dracut image of dracut.t with rd.driver.blacklist=pci_fixedbar on
# the kernel command line: the module's cmdline hook keeps the
# rd.driver.pre load from happening, the guest boots without it.

# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/lib.sh"

boot_off dracut.img "root=/dev/nvme0n1 rd.shell=0 rd.emergency=poweroff rd.driver.blacklist=pci_fixedbar"
done_testing
