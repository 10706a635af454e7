#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Writes a fake host sysfs tree (DIR/bus/pci/devices/<bdf>/resource, ...)
# for fixedbar-host: a GPU server's devices, good and broken ones.
#
#   17:00.0 GPU: bar0 16M at 0xd8000000, bar1 64G and bar3 32M 64-bit
#           prefetchable at 3.5 TiB, an I/O BAR, an unassigned ROM
#   17:00.1 its audio function (bar0 16K, 32-bit)
#   18:00.0 NIC: bar0 32M 64-bit prefetchable, 4 SR-IOV VFs of 1M
#   19:00.0 64-bit non-prefetchable BAR above 4 GiB
#   1a:00.0 unassigned bar0          1b:00.0 misaligned bar0
#   1c:00.0 bar0 overlaps the GPU's bar1
#   1d:00.0, 1e:00.0 64K BARs in one 1 MiB block
#   1f:00.0 bar0 at 1 GiB (guest RAM)   20:00.0 bar0 in q35's MMCONFIG
#   21:00.0 bar0 at 0xfee00000 (LAPIC)
#   22:00.0 a VF (physfn link) with a 1M BAR
#   23:00.0 bar0 1G at 0xfd00000000 (AMD HyperTransport range)
#   24:00.0 bar0 1G at 32 GiB        25:00.0 bar0 1G at 576 GiB
#   26:00.1, 26:00.2 two functions without function 0
#   27:00.0 a broken resource file    28:00.0 only an I/O BAR
#   29:00.0 bar0 at 0x20000000, in virt's 32-bit PCI window
#   2a:00.0 bar0 and bar2, 32-bit, on either side of q35's MMCONFIG
#
# usage: tests/tools/mkhost-sysfs.sh DIR

set -euo pipefail

out=$1
rm -rf "$out"
mkdir -p "$out/bus/pci/devices" "$out/devices/pci0000:00"

# flags from include/linux/ioport.h
IO=0x40101		# IORESOURCE_IO | SIZEALIGN
MEM=0x40200		# IORESOURCE_MEM | SIZEALIGN
MEM64=0x140204		# ... | MEM_64
MEM64PREF=0x14220c	# ... | MEM_64 | PREFETCH
UNSET=0x20000000
ROM=0x44200		# MEM | READONLY | SIZEALIGN

# dev BDF VENDOR DEVICE [index start end flags]...: 13 resource lines
dev() {
	local bdf=$1 dir i
	local -a line
	dir=$out/devices/pci0000:00/$bdf
	mkdir -p "$dir"
	echo "$2" >"$dir/vendor"
	echo "$3" >"$dir/device"
	ln -s "../../../devices/pci0000:00/$bdf" "$out/bus/pci/devices/$bdf"
	shift 3
	for ((i = 0; i < 13; i++)); do
		line[i]="0x0000000000000000 0x0000000000000000 0x0000000000000000"
	done
	while (($# >= 4)); do
		line[$1]=$(printf '0x%016x 0x%016x 0x%016x' "$2" "$3" "$4")
		shift 4
	done
	printf '%s\n' "${line[@]}" >"$dir/resource"
}

dev 0000:17:00.0 0x10de 0x2330 \
	0 0xd8000000 0xd8ffffff $MEM \
	1 0x38000000000 0x38fffffffff $MEM64PREF \
	3 0x39000000000 0x39001ffffff $MEM64PREF \
	5 0xb000 0xb07f $IO \
	6 0 0x7ffff $((ROM | UNSET))
dev 0000:17:00.1 0x10de 0x22a3 0 0xd9080000 0xd9083fff $MEM
dev 0000:18:00.0 0x15b3 0x101d \
	0 0x39004000000 0x39005ffffff $MEM64PREF \
	7 0x39006000000 0x390063fffff $MEM64PREF
echo 4 >"$out/devices/pci0000:00/0000:18:00.0/sriov_totalvfs"
dev 0000:19:00.0 0x1234 0x0019 0 0x3a000000000 0x3a000ffffff $MEM64
dev 0000:1a:00.0 0x1234 0x001a 0 0 0xfffff $((MEM64PREF | UNSET))
dev 0000:1b:00.0 0x1234 0x001b 0 0x3a100100000 0x3a1002fffff $MEM64PREF
dev 0000:1c:00.0 0x1234 0x001c 0 0x38800000000 0x3883fffffff $MEM64PREF
dev 0000:1d:00.0 0x1234 0x001d 0 0x3b000000000 0x3b00000ffff $MEM64PREF
dev 0000:1e:00.0 0x1234 0x001e 0 0x3b000010000 0x3b00001ffff $MEM64PREF
dev 0000:1f:00.0 0x1234 0x001f 0 0x40000000 0x400fffff $MEM
dev 0000:20:00.0 0x1234 0x0020 0 0xb0000000 0xb0ffffff $MEM
dev 0000:21:00.0 0x1234 0x0021 0 0xfee00000 0xfee00fff $MEM
dev 0000:22:00.0 0x15b3 0x101e 0 0x3c000000000 0x3c0000fffff $MEM64PREF
ln -s ../0000:18:00.0 "$out/devices/pci0000:00/0000:22:00.0/physfn"
dev 0000:23:00.0 0x1234 0x0023 0 0xfd00000000 0xfd3fffffff $MEM64PREF
dev 0000:24:00.0 0x1234 0x0024 0 0x800000000 0x83fffffff $MEM64PREF
dev 0000:25:00.0 0x1234 0x0025 0 0x9000000000 0x903fffffff $MEM64PREF
dev 0000:26:00.1 0x1234 0x0261 0 0x3d000000000 0x3d0000fffff $MEM64PREF
dev 0000:26:00.2 0x1234 0x0262 0 0x3d000100000 0x3d0001fffff $MEM64PREF
dev 0000:27:00.0 0x1234 0x0027
echo "garbage" >"$out/devices/pci0000:00/0000:27:00.0/resource"
dev 0000:28:00.0 0x1234 0x0028 0 0xc000 0xc01f $IO
dev 0000:29:00.0 0x1234 0x0029 0 0x20000000 0x200fffff $MEM
dev 0000:2a:00.0 0x1234 0x002a 0 0xa0000000 0xa00fffff $MEM 2 0xc0000000 0xc00fffff $MEM
