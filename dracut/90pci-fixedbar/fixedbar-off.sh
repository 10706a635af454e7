#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cmdline hook 00 of the dracut module pci-fixedbar, before kernel-modules'
# hook 01 loads rd.driver.pre: with rd.driver.blacklist=pci_fixedbar or
# modprobe.blacklist=pci_fixedbar on the kernel command line (which that
# load would ignore), modprobe runs the shell's true for the module instead.

# shellcheck disable=SC2046 # a list of comma lists
for list in $(getargs rd.driver.blacklist -d rdblacklist=) $(getargs modprobe.blacklist); do
	case ",$list," in
	*,pci_fixedbar,* | *,pci-fixedbar,*)
		mkdir -p /etc/modprobe.d
		echo "install pci_fixedbar true" >/etc/modprobe.d/pci_fixedbar-off.conf
		info "pci_fixedbar: blacklisted on the kernel command line, not loaded"
		break
		;;
	esac
done
