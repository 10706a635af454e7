#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The mkinitramfs image of mkinitramfs.t with modprobe.blacklist=pci_fixedbar
# on the kernel command line: init-top/pci_fixedbar's modprobe -b honours
# it, the guest boots without the module.

# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/lib.sh"

boot_off mkinitramfs.img "root=/dev/nvme0n1 panic=-1 modprobe.blacklist=pci_fixedbar"
done_testing
