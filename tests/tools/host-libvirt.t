#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-host -f libvirt on the fake host tree of mkhost-sysfs.sh: every
# output passes libvirt's own schema (virt-xml-validate), and carries the
# controllers, addresses, aliases, window, address bits and descriptors of
# the layout; guest paths libvirt cannot build are refused; the example in
# docs/ is what the tool prints.  tests/libvirt boots such a domain.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

HOST=${FIXEDBAR_HOST:-$here/../../build/san/fixedbar-host}
if [[ ! -x "$HOST" ]]; then
	echo "Bail out! $HOST not built"
	exit 1
fi
for t in virt-xml-validate xmllint; do
	if ! command -v "$t" >/dev/null; then
		echo "Bail out! $t not installed (scripts/install-deps.sh host)"
		exit 1
	fi
done

sysfs=$tmp/sys
"$here/mkhost-sysfs.sh" "$sysfs"

# lv ARGS...: fixedbar-host -f libvirt on the fake tree; sets out, err, rc
# and checks the output against libvirt's schema when it exits 0
lv() {
	"$HOST" --sysfs "$sysfs" -q -f libvirt "$@" >"$tmp/out.xml" 2>"$tmp/err"
	rc=$?
	out=$(<"$tmp/out.xml")
	err=$(<"$tmp/err")
	((rc == 0)) || return 0
	if virt-xml-validate "$tmp/out.xml" domain >"$tmp/validate" 2>&1; then
		pass "$*: virt-xml-validate accepts it"
	else
		fail "$*: virt-xml-validate accepts it"
		diag "$(cat "$tmp/validate")"
	fi
}

# x XPATH: the values it selects in the last output, one a line
x() {
	xmllint --xpath "$1" "$tmp/out.xml" 2>/dev/null |
		sed -e 's/^ *[a-z]*="\(.*\)"$/\1/'
	echo
}

# ctl INDEX: "model bus slot function alias" of controller INDEX
ctl() {
	local c="//controller[@type='pci'][@index='$1']"

	echo "$(x "string($c/@model)") $(x "string($c/address/@bus)") $(x "string($c/address/@slot)") $(x "string($c/address/@function)") $(x "string($c/alias/@name)")"
}

# hostdev BDF: "bus slot function multifunction alias" of its guest address
hostdev() {
	local h="//hostdev[source/address/@bus='0x${1:5:2}'][source/address/@function='0x${1:11:1}']"

	echo "$(x "string($h/address/@bus)") $(x "string($h/address/@slot)") $(x "string($h/address/@function)") $(x "string($h/address/@multifunction)") $(x "string($h/alias/@name)")"
}

gpu=0000:17:00.0
audio=0000:17:00.1
nic=0000:18:00.0

# the README's example: two root ports, the GPU's functions below one
lv $gpu $audio $nic
is "$rc" 0 "default: exits 0"
is "$(x "count(//controller[@model='pcie-root-port'])")" 2 "default: two root ports"
is "$(ctl 1)" "pcie-root-port 0x00 0x10 0x0 ua-fxrp-100" "default: root port 1 at 00:10.0"
is "$(ctl 2)" "pcie-root-port 0x00 0x11 0x0 ua-fxrp-110" "default: root port 2 at 00:11.0"
is "$(hostdev $gpu)" "0x01 0x00 0x0 on ua-fxhost-0000-17-00-0" "default: GPU at 00.0 below port 1, multifunction"
is "$(hostdev $audio)" "0x01 0x00 0x1  ua-fxhost-0000-17-00-1" "default: audio at 00.1 below port 1"
is "$(hostdev $nic)" "0x02 0x00 0x0  ua-fxhost-0000-18-00-0" "default: NIC below port 2"
# the window of --format json, in KiB
json=$("$HOST" --sysfs "$sysfs" -q -f json $gpu $audio $nic)
w=$(jq -r '"\(.window.start) \(.window.end) \(.phys_bits)"' <<<"$json")
read -r ws we bits <<<"$w"
is "$(x "string(//pcihole64)")" "$(((we - ws + 1) >> 10))" "default: <pcihole64> is the window's size"
is "$(x "string(//pcihole64/@unit)")" KiB "default: in KiB"
is "$(x "string(//cpu/maxphysaddr/@bits)"):$(x "string(//cpu/maxphysaddr/@mode)")" "$bits:emulate" \
	"default: <maxphysaddr> has the tool's phys_bits"
is "$(x "string(//cpu/@mode)")" host-passthrough "default: --cpu host is host-passthrough"
is "$(x "string(//memory)"):$(x "string(//memory/@unit)")" "16777216:KiB" "default: 16G of memory"
is "$(x "string(//os/type/@machine)")" q35 "default: q35"
is "$(xmllint --xpath "//*[local-name()='arg']/@value" "$tmp/out.xml" 2>/dev/null | tr -s '\n ' '  ' | sed 's/^ *//; s/ *$//')" \
	'value="-acpitable" value="file=/var/lib/libvirt/qemu/fixedbar/fixedbar-vm.aml"' \
	"default: <qemu:commandline> -acpitable with the default table"
is "$(x "count(//*[local-name()='override'])")" 0 "default: no <qemu:override>"
if cmp -s "$tmp/out.xml" "$here/../../docs/libvirt-example.xml"; then
	pass "docs/libvirt-example.xml is what the tool prints"
else
	fail "docs/libvirt-example.xml is what the tool prints"
	diag "$(diff "$here/../../docs/libvirt-example.xml" "$tmp/out.xml" | head -20)"
fi

# patched QEMU: the fixed-bars property per device, no -acpitable
lv -p $gpu $audio $nic
is "$rc" 0 "patched: exits 0"
is "$(x "string(//*[local-name()='device'][@alias='ua-fxhost-0000-17-00-0']/*/*[@name='fixed-bars']/@value)")" \
	"bar0@0xd8000000,bar1@0x38000000000,bar3@0x39000000000" "patched: the GPU's fixed-bars, by its alias"
is "$(x "string(//*[local-name()='device'][@alias='ua-fxhost-0000-18-00-0']/*/*[@name='fixed-bars']/@type)")" \
	string "patched: a string property"
is "$(x "count(//*[local-name()='commandline'])")" 0 "patched: no <qemu:commandline>"

# a switch below root port 00:12.0, a device on the root bus, a named CPU,
# a table path that needs escaping
lv --cpu Skylake-Server --acpi-table "/srv/a'b&c.aml" \
	$gpu=0000:00:12.0/00.0/03.0/00.0 $audio=0000:00:12.0/00.0/04.0/00.0 \
	$nic=0000:00:12.0/00.0/05.0/00.0 0000:25:00.0=0000:00:07.0
is "$rc" 0 "switch: exits 0"
is "$(ctl 1)" "pcie-root-port 0x00 0x12 0x0 ua-fxrp-120" "switch: the root port"
is "$(ctl 2)" "pcie-switch-upstream-port 0x01 0x00 0x0 ua-fxup-120-000" "switch: the upstream port below it"
is "$(ctl 3)" "pcie-switch-downstream-port 0x02 0x03 0x0 ua-fxdp-120-000-030" "switch: downstream port 03.0"
is "$(ctl 5)" "pcie-switch-downstream-port 0x02 0x05 0x0 ua-fxdp-120-000-050" "switch: downstream port 05.0"
is "$(x "count(//controller[@type='pci'])")" 6 "switch: pcie-root and 5 controllers"
is "$(hostdev $audio)" "0x04 0x00 0x0  ua-fxhost-0000-17-00-1" "switch: audio below downstream port 04.0"
is "$(hostdev 0000:25:00.0)" "0x00 0x07 0x0  ua-fxhost-0000-25-00-0" "switch: a root bus device at 00:07.0"
is "$(x "string(//cpu/@mode)")" custom "switch: a named CPU model is custom"
is "$(x "string(//cpu/model)")" Skylake-Server "switch: its name"
is "$(x "string(//*[local-name()='arg'][2]/@value)")" "file=/srv/a'b&c.aml" "switch: the table path, escaped and read back"

# --cpu max (TCG): maximum
lv --cpu max --amd $gpu
is "$(x "string(//cpu/@mode)")" maximum "max: maximum"

# virt: aarch64, no pcihole64 or maxphysaddr; patched moves the window
# up to a BAR at 3.5 TiB
lv -m virt -p 0000:1c:00.0
is "$rc" 0 "virt patched: exits 0"
is "$(x "string(//os/type/@arch)")" aarch64 "virt: aarch64"
is "$(x "count(//pcihole64)"):$(x "count(//maxphysaddr)")" "0:0" "virt: no <pcihole64>, no <maxphysaddr>"
like "$out" "<qemu:arg value='highmem-mmio-window=" "virt patched: highmem-mmio-window through <qemu:commandline>"
lv -m virt 0000:29:00.0
is "$rc" 0 "virt stock: exits 0"
like "$out" "stock QEMU's virt takes no -acpitable" "virt stock: the comment on descriptors"

# guest paths libvirt cannot build: one line, exit 2
lv $gpu=0000:00:12.0/00.0/03.0
is "$rc" 2 "below an upstream port: exits 2"
like "$err" "fixedbar-host: $gpu: guest path 0000:00:12.0/00.0/03.0: below a switch upstream port sit only downstream ports" \
	"below an upstream port: the message"
is "$(wc -l <<<"$err")" 1 "below an upstream port: one line"
is "$out" "" "below an upstream port: nothing on stdout"
lv $gpu=0000:00:12.0/00.0/03.0/01.0
is "$rc" 2 "slot 01 below a downstream port: exits 2"
like "$err" "guest path 0000:00:12.0/00.0/03.0/01.0: below a root port or a switch downstream port a device sits at slot 00" \
	"slot 01 below a downstream port: the message"

# scripts/libvirt-hook.sh: the domain starts only while the host BARs in
# its <metadata> are where they were
hook=$here/../../scripts/libvirt-hook.sh
lv $gpu $audio $nic
is "$(x "count(//*[local-name()='bar'][@device])")" 5 "metadata: one entry per fixed BAR"
is "$(x "string(//*[local-name()='bar'][@device='$gpu'][@bar='bar1']/@start)")" 0x38000000000 \
	"metadata: the GPU's bar1 start"
# hook ARGS...: the hook on the fake tree with the last output on stdin
hook() {
	FIXEDBAR_SYSFS=$sysfs "$hook" "$@" <"$tmp/out.xml" >"$tmp/hook.out" 2>"$tmp/err"
	rc=$?
	err=$(<"$tmp/err")
}
hook vm prepare begin -
is "$rc:$err" "0:" "hook: unchanged host BARs: the domain starts"
sed -i "s/'/\"/g" "$tmp/out.xml"
hook vm prepare begin -
is "$rc:$err" "0:" "hook: libvirt's double-quoted attributes too"
cp "$sysfs/bus/pci/devices/$gpu/resource" "$tmp/resource"
sed -i '2s/^0x0000038000000000 0x0000038fffffffff/0x0000034000000000 0x0000034fffffffff/' \
	"$sysfs/bus/pci/devices/$gpu/resource"
hook vm prepare begin -
is "$rc" 1 "hook: a moved host BAR refuses the start"
is "$err" "pci-fixedbar: domain vm: $gpu bar1 [mem 0x38000000000-0x38fffffffff] is now at [mem 0x34000000000-0x34fffffffff] on the host (firmware update or BIOS setting?); rerun fixedbar-host -f libvirt for the domain and virsh define it again, or the guest puts the BAR where the device is not" \
	"hook: one line naming the device, the BAR, both ranges and what to do"
hook vm started begin -
is "$rc" 0 "hook: other operations pass"
cp "$tmp/resource" "$sysfs/bus/pci/devices/$gpu/resource"
sed -i "s/$nic/0000:99:00.0/" "$tmp/out.xml"
hook vm prepare begin -
is "$rc" 1 "hook: a device gone from the host refuses the start"
like "$err" "0000:99:00.0 bar0 [mem 0x39004000000-0x39005ffffff]: no such host device any more" \
	"hook: the message names it"
echo "<domain><name>other</name></domain>" >"$tmp/out.xml"
hook other prepare begin -
is "$rc:$err" "0:" "hook: a domain without fixedbar metadata passes"
done_testing
