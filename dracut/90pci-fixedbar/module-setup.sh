#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dracut module pci-fixedbar: puts pci_fixedbar.ko and its modprobe options
# into the initramfs and loads it before udev coldplug
# (rd.driver.pre=pci_fixedbar), so the fixed BARs are in place before any
# endpoint driver binds.  Works with and without systemd in the initramfs:
# 90kernel-modules handles rd.driver.pre in its cmdline hook in both.
#
# PCI_FIXEDBAR_CONF names another modprobe.d file to install as
# /etc/modprobe.d/pci_fixedbar.conf (for building test images).

# the options file of the system the image is for
fixedbar_conf() {
	echo "${PCI_FIXEDBAR_CONF:-${dracutsysrootdir-}/etc/modprobe.d/pci_fixedbar.conf}"
}

# called by dracut
check() {
	# nothing to load unless the target kernel has the module
	if ! find "${srcmods:?}" -name 'pci_fixedbar.ko*' -print -quit 2>/dev/null | grep -q .; then
		return 1
	fi
	return 0
}

# called by dracut
depends() {
	# rd.driver.pre is parsed by kernel-modules' cmdline hook
	echo kernel-modules
	return 0
}

# called by dracut
installkernel() {
	instmods pci_fixedbar
}

# called by dracut
install() {
	local conf

	conf=$(fixedbar_conf)
	if [[ -f $conf ]]; then
		inst_simple "$conf" /etc/modprobe.d/pci_fixedbar.conf
	fi
	mkdir -p "${initdir:?}/etc/cmdline.d"
	echo "rd.driver.pre=pci_fixedbar" >"$initdir/etc/cmdline.d/90pci-fixedbar.conf"
	# rd.driver.blacklist= and modprobe.blacklist= turn that off
	inst_hook cmdline 00 "${moddir:?}/fixedbar-off.sh"
}
