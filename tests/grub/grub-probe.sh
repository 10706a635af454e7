#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# grub-probe for tests/grub/grub.t's grub-mkconfig: / and /boot are the
# first partition (FAT, msdos label) of the first BIOS disk, which is what
# the test's QEMU disk is.

target=
while [ $# -gt 0 ]; do
	case $1 in
	--target=*) target=${1#--target=} ;;
	-t) shift; target=$1 ;;
	esac
	shift
done
case $target in
device) echo /dev/sda1 ;;
disk) echo /dev/sda ;;
fs) echo fat ;;
partmap) echo msdos ;;
abstraction) ;;
compatibility_hint) echo hd0,msdos1 ;;
drive) echo '(hd0,msdos1)' ;;
fs_uuid | fs_label | partuuid) exit 1 ;;
*) exit 1 ;;
esac
