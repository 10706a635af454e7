#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libvirt's QEMU hook for domains made with fixedbar-host -f libvirt:
# before such a domain starts, checks that every host BAR its layout keeps
# (the <fixedbar:bar> entries of its <metadata>) is still where it was
# when the XML was generated; a host firmware update or a changed BIOS
# setting can move BARs, and the guest would then be told addresses that
# are not the devices'.  Refuses the start (exit 1, one line per moved BAR
# on stderr, which virsh shows) otherwise.  Other domains and operations
# pass untouched.
#
# Install: cp scripts/libvirt-hook.sh /etc/libvirt/hooks/qemu (or call it
# from an existing hook with the same arguments and standard input), then
# restart libvirtd, which looks for hooks when it starts.
#
# usage (by libvirtd): qemu DOMAIN OPERATION SUB-OPERATION EXTRA <domain-xml
#   FIXEDBAR_SYSFS   read FIXEDBAR_SYSFS/bus/pci/devices (default /sys)

set -u

dom=$1
op=${2:-}
sub=${3:-}
sysfs=${FIXEDBAR_SYSFS:-/sys}
[[ $op == prepare && $sub == begin ]] || exit 0

# attr NAME LINE: the value of attribute NAME, in either quote style
attr() {
	sed -n "s/.*[[:space:]]$1=[\"']\([^\"']*\)[\"'].*/\1/p" <<<"$2"
}

xml=$(cat)
[[ $xml == *urn:pci-fixedbar:host:1* ]] || exit 0
bad=0
while IFS= read -r line; do
	dev=$(attr device "$line")
	bar=$(attr bar "$line")
	start=$(attr start "$line")
	end=$(attr end "$line")
	want="[mem $start-$end]"
	res=$sysfs/bus/pci/devices/$dev/resource
	if [[ ! $bar =~ ^bar[0-5]$ || ! $start =~ ^0x[0-9a-f]+$ || ! $end =~ ^0x[0-9a-f]+$ ]]; then
		echo "pci-fixedbar: domain $dom: metadata entry '$line' is not device, barN, start, end; regenerate the domain with fixedbar-host -f libvirt" >&2
		bad=1
		continue
	fi
	if [[ ! -r $res ]]; then
		echo "pci-fixedbar: domain $dom: $dev $bar $want: no such host device any more ($res); regenerate the domain with fixedbar-host -f libvirt" >&2
		bad=1
		continue
	fi
	read -r s e _ < <(sed -n "$((${bar#bar} + 1))p" "$res")
	if ((s != start || e != end)); then
		echo "pci-fixedbar: domain $dom: $dev $bar $want is now at $(printf '[mem 0x%x-0x%x]' "$s" "$e") on the host (firmware update or BIOS setting?); rerun fixedbar-host -f libvirt for the domain and virsh define it again, or the guest puts the BAR where the device is not" >&2
		bad=1
	fi
done < <(grep -E "<[A-Za-z0-9_]+:bar[[:space:]].*device=" <<<"$xml")
[[ $bad == 0 ]] || exit 1
exit 0
