#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerates tests/tools/fake-sysfs: a small q35-like guest as sysfs and
# procfs show it, for fixedbar-plan --from-sysfs.
#
#   00:00.0 host bridge
#   00:01.0 root port (pcieport)
#     01:00.0 switch upstream port
#       02:00.0 downstream port -> 03:00.0 GPU (no driver)
#       02:01.0 downstream port -> 04:00.0 NIC with SR-IOV (no driver)
#   00:03.0 virtio-net bound to virtio-pci: pinned
# and claimed ranges in the root bus windows (BOOTFB, Reserved, dma1, ...).
#
# usage: tests/tools/mkfake-sysfs.sh [dir]

set -euo pipefail

out=${1:-$(dirname "$0")/fake-sysfs}
rm -rf "$out"
mkdir -p "$out/proc" "$out/sys/bus/pci/devices" "$out/sys/bus/pci/drivers"

cat >"$out/proc/iomem" <<'END'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
000a0000-000bffff : PCI Bus 0000:00
000f0000-000fffff : System ROM
00100000-7ffdffff : System RAM
80000000-afffffff : PCI Bus 0000:00
b0000000-bfffffff : PCI MMCONFIG 0000 [bus 00-ff]
  b0000000-bfffffff : Reserved
c0000000-febfffff : PCI Bus 0000:00
  fd000000-fdffffff : BOOTFB
  fe800000-fe9fffff : PCI Bus 0000:01
    fe800000-fe8fffff : PCI Bus 0000:02
      fe800000-fe8fffff : PCI Bus 0000:03
        fe800000-fe8fffff : 0000:03:00.0
  fea00000-fea00fff : 0000:00:01.0
  fea01000-fea01fff : 0000:00:03.0
fec00000-fec003ff : IOAPIC 0
fee00000-fee00fff : Local APIC
100000000-17fffffff : System RAM
7000000000-7fffffffff : PCI Bus 0000:00
  7000000000-70ffffffff : PCI Bus 0000:01
    7000000000-703fffffff : PCI Bus 0000:02
      7000000000-703fffffff : PCI Bus 0000:03
        7000000000-703fffffff : 0000:03:00.0
  7100000000-7100003fff : 0000:00:03.0
  7f00000000-7fffffffff : Reserved
END

cat >"$out/proc/ioports" <<'END'
0000-0cf7 : PCI Bus 0000:00
  0000-001f : dma1
  0060-0060 : keyboard
0cf8-0cff : PCI conf1
0d00-ffff : PCI Bus 0000:00
  1000-1fff : PCI Bus 0000:01
  c000-c03f : 0000:00:03.0
END

# flags from include/linux/ioport.h
IO=0x40101		# IORESOURCE_IO | SIZEALIGN
MEM=0x40200		# IORESOURCE_MEM | SIZEALIGN
MEM64PREF=0x14220c	# ... | MEM_64 | PREFETCH
UNSET=0x20000000
ROM=0x44200		# MEM | READONLY | SIZEALIGN
WIN_IO=0x101
WIN_MEM=0x200
WIN_PREF64=0x102201

# dev <path below devices/> <vendor> <device> <class> [driver]
dev() {
	local path=$1 name
	name=$(basename "$path")
	mkdir -p "$out/sys/devices/$path"
	echo "$2" >"$out/sys/devices/$path/vendor"
	echo "$3" >"$out/sys/devices/$path/device"
	echo "$4" >"$out/sys/devices/$path/class"
	ln -s "../../../devices/$path" "$out/sys/bus/pci/devices/$name"
	if [[ -n "${5:-}" ]]; then
		mkdir -p "$out/sys/bus/pci/drivers/$5"
		local up=${path//[^\/]/}
		up=${up//\//../}
		ln -s "../../${up}bus/pci/drivers/$5" \
			"$out/sys/devices/$path/driver"
	fi
	dir="$out/sys/devices/$path"
}

# res <n lines> [index start end flags]...: the sysfs resource file
res() {
	local n=$1 i
	shift
	local -a line
	for ((i = 0; i < n; i++)); do
		line[i]="0x0000000000000000 0x0000000000000000 0x0000000000000000"
	done
	while (($# >= 4)); do
		line[$1]=$(printf '0x%016x 0x%016x 0x%016x' "$2" "$3" "$4")
		shift 4
	done
	printf '%s\n' "${line[@]}" >"$dir/resource"
}

# bridge_config <io base/limit bytes> <pref base/limit words>: type 1 header
bridge_config() {
	local io=$1 pref=$2 cfg
	cfg=$(printf '%0128x' 0)
	cfg="${cfg:0:56}${io}${cfg:60}"			# 0x1c io base, 0x1d limit
	cfg="${cfg:0:72}${pref}${cfg:80}"		# 0x24 pref base, 0x26 limit
	cfg="${cfg:0:28}01${cfg:30}"			# 0x0e header type 1
	echo -n "$cfg" | xxd -r -p >"$dir/config"
}

P=pci0000:00
dev "$P/0000:00:00.0" 0x8086 0x29c0 0x060000
res 13

dev "$P/0000:00:01.0" 0x1b36 0x000c 0x060400 pcieport
res 17 0 0xfea00000 0xfea00fff $MEM \
	13 0x1000 0x1fff $WIN_IO \
	14 0xfe800000 0xfe9fffff $WIN_MEM \
	15 0x7000000000 0x70ffffffff $WIN_PREF64
bridge_config 1111 f1ff0100

R=$P/0000:00:01.0
dev "$R/0000:01:00.0" 0x104c 0x8232 0x060400 pcieport
res 17 14 0xfe800000 0xfe8fffff $WIN_MEM \
	15 0x7000000000 0x703fffffff $WIN_PREF64
bridge_config 0000 f1ff0100

U=$R/0000:01:00.0
dev "$U/0000:02:00.0" 0x104c 0x8233 0x060400 pcieport
res 17 14 0xfe800000 0xfe8fffff $WIN_MEM \
	15 0x7000000000 0x703fffffff $WIN_PREF64
bridge_config 0000 f1ff0100

dev "$U/0000:02:01.0" 0x104c 0x8233 0x060400 pcieport
res 17
bridge_config 0000 f1ff0100

dev "$U/0000:02:00.0/0000:03:00.0" 0x10de 0x2330 0x030200
res 13 0 0xfe800000 0xfe8fffff $MEM \
	2 0x7000000000 0x703fffffff $MEM64PREF \
	6 0 0x7ffff $((ROM | UNSET))

dev "$U/0000:02:01.0/0000:04:00.0" 0x15b3 0x101d 0x020000
res 13 0 0 0x1ffffff $((MEM64PREF | UNSET)) \
	7 0 0x3fffff $((MEM64PREF | UNSET))
echo 4 >"$dir/sriov_totalvfs"

dev "$P/0000:00:03.0" 0x1af4 0x1000 0x020000 virtio-pci
res 13 0 0xc000 0xc03f $IO \
	1 0xfea01000 0xfea01fff $MEM \
	4 0x7100000000 0x7100003fff $MEM64PREF
