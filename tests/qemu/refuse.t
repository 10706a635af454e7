#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The patched QEMU without a guest: the series applies with patch -p1 to
# Debian's pristine source; every bad fixed-bars or highmem-mmio-window is
# refused at start with its one-line message and a non-zero exit; virt's
# device tree is byte for byte the unpatched QEMU's when no device has
# fixed-bars, and carries exactly the entries when some do.

# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/tap.sh
. "$qemu_top/tests/tap.sh"

work=$qemu_top/build/qemu/run/refuse${QEMU_SERIES:+-$QEMU_SERIES}
rm -rf "$work"
mkdir -p "$work"

# --- the series applies to the pristine source, one patch after the other
case ${QEMU_SERIES:-7.2} in
sid) fetch=fetch-sid-source.sh series=$qemu_top/qemu-minimal-patches/sid ;;
*) fetch=fetch-source.sh series=$qemu_top/qemu-minimal-patches ;;
esac
srcdir=$("$qemu_top/scripts/$fetch" qemu | sed -n 's/^SRCDIR=//p')
mapfile -t patches < <(find "$series" -maxdepth 1 -name '*.patch' | sort)
mapfile -t files < <(sed -n 's|^+++ b/||p' "${patches[@]}" | sort -u)
for f in "${files[@]}"; do
	mkdir -p "$work/src/$(dirname "$f")"
	[[ ! -e $srcdir/$f ]] || cp "$srcdir/$f" "$work/src/$f"
done
ok=1
for p in "${patches[@]}"; do
	patch -p1 --batch --forward -d "$work/src" <"$p" >"$work/patch.log" 2>&1 ||
		{ ok=0; diag "$(basename "$p"): $(cat "$work/patch.log")"; }
done
is "$ok/${#patches[@]}" "1/5" "the 5 patches apply with patch -p1 to $(basename "$srcdir")"
read -r ins del < <(sed -n 's/^ [0-9]* files\? changed, \([0-9]*\) insertions\?(+)\(, \([0-9]*\) deletions\?(-)\)\?/\1 \3/p' \
	"${patches[@]}" | awk '{ i += $1; d += $2 } END { print i, d + 0 }')
diag "series: ${#patches[@]} patches, $ins insertions, $del deletions, $((ins + del)) lines changed (code and qtest: tests/qemu/series.t)"

# refuse WHAT WANT QEMU ARGS...: QEMU stops at once, non-zero, with WANT
refuse() {
	local what=$1 want=$2 out rc

	shift 2
	out=$(timeout 60 "$@" -display none -monitor none -serial none -S </dev/null 2>&1)
	rc=$?
	if ((rc != 0 && rc != 124)) && [[ $out == *"$want"* && $(wc -l <<<"$out") == 1 ]]; then
		pass "refused: $what"
	else
		fail "refused: $what"
		diag "exit $rc, want one line with: $want" "got: $out"
	fi
}

# shellcheck disable=SC2054 # QEMU options are comma lists
x86=("$E2E_QEMU" -M q35 -accel tcg -cpu max,phys-bits=44 -m 256M -nodefaults
	-global q35-pcihost.pci-hole64-size=1T)
dev=pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x11,id=t1
t1="t1 (0000:00:11.0): fixed-bars"
refuse "grammar" "$t1 item 'bar2=0x10000000000': expected barN@0xADDRESS" \
	"${x86[@]}" -device "$dev,fixed-bars=bar2=0x10000000000"
refuse "decimal address" "$t1 item 'bar2@1099511627776': expected barN@0xADDRESS" \
	"${x86[@]}" -device "$dev,fixed-bars=bar2@1099511627776"
refuse "bar6" "$t1 item 'bar6@0x10000000000': only bar0 to bar5 can be fixed, not the ROM" \
	"${x86[@]}" -device "$dev,fixed-bars=bar6@0x10000000000"
refuse "rom" "$t1 item 'rom@0xfe000000': expected barN@0xADDRESS" \
	"${x86[@]}" -device "$dev,fixed-bars=rom@0xfe000000"
refuse "unimplemented BAR" "$t1 item 'bar4@0x10000000000': the device has no bar4" \
	"${x86[@]}" -device "$dev,fixed-bars=bar4@0x10000000000"
refuse "upper half of a 64-bit BAR" \
	"$t1 item 'bar3@0x10000000000': bar3 is the upper half of 64-bit bar2; fix bar2" \
	"${x86[@]}" -device "$dev,fixed-bars=bar3@0x10000000000"
refuse "I/O BAR" "$t1 item 'bar1@0x10000000000': bar1 is an I/O BAR" \
	"${x86[@]}" -device "$dev,fixed-bars=bar1@0x10000000000"
refuse "misaligned" "$t1 item 'bar2@0x10000100000': 0x10000100000 is not aligned to the BAR size 0x1000000" \
	"${x86[@]}" -device "$dev,fixed-bars=bar2@0x10000100000"
refuse "32-bit BAR above 4 GiB" "$t1 item 'bar0@0x100000000': bar0 is a 32-bit BAR; place it below 4 GiB" \
	"${x86[@]}" -device "$dev,fixed-bars=bar0@0x100000000"
refuse "the same BAR twice" "$t1 item 'bar2@0x10001000000': bar2 is fixed twice" \
	"${x86[@]}" -device "$dev,fixed-bars=bar2@0x10000000000,,bar2@0x10001000000"
# the firmware places q35's 64-bit hole: above RAM (at 1 TiB: AMD's
# HyperTransport hole below it, TCG's CPUs are AMD), below 2^phys-bits
refuse "q35: beyond the CPU's physical addresses" \
	"$t1 bar2@0x100000000000 (size 0x1000000) is outside the machine's 64-bit PCI window [0x10000000000-0xfffffffffff]" \
	"${x86[@]}" -device "$dev,fixed-bars=bar2@0x100000000000"
refuse "q35: outside the 32-bit window" \
	"$t1 bar0@0x8000000 (size 0x1000) is outside the machine's 32-bit PCI window" \
	"${x86[@]}" -device "$dev,fixed-bars=bar0@0x8000000"

# hot-plug: device_add on the human monitor, after the machine is done
out=$(printf '%s\n' "device_add pci-testdev,membar=0x1000000,bus=rp1,id=hp1,fixed-bars=bar2@0x10000000000" \
	"device_add pci-testdev,membar=0x1000000,bus=rp2,id=hp2" "info qtree" quit |
	timeout 60 "${x86[@]}" -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1 \
		-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x12,chassis=2 \
		-display none -serial none -S -monitor stdio 2>&1)
like "$out" "hp1 (0000:00:10.0/00.0): fixed-bars is read by the guest at boot only; add the device at start-up, not by hot-plug" \
	"refused: fixed-bars on a hot-plugged device"
is "$(grep -o 'id "hp[12]"' <<<"$out")" 'id "hp2"' \
	"info qtree: the device without fixed-bars was hot-plugged, the one with them was not"

# shellcheck disable=SC2054
a64=("$A64_QEMU" -M virt,highmem=on,dtb-randomness=off -cpu cortex-a57 -m 256M -nodefaults)
dev=pci-testdev,membar=0x1000000,addr=0x11,id=t1
refuse "virt: outside the default 64-bit window" \
	"$t1 bar2@0x10000000000 (size 0x1000000) is outside the machine's 64-bit PCI window [0x8000000000-0xffffffffff]" \
	"${a64[@]}" -device "$dev,fixed-bars=bar2@0x10000000000"
refuse "virt: outside the 32-bit window" \
	"$t1 bar0@0x40000000 (size 0x1000) is outside the machine's 32-bit PCI window [0x10000000-0x3efeffff]" \
	"${a64[@]}" -device "$dev,fixed-bars=bar0@0x40000000"
refuse "virt: outside a moved 64-bit window" \
	"$t1 bar2@0x9000000000 (size 0x1000000) is outside the machine's 64-bit PCI window [0x10000000000-0x1ffffffffff]" \
	"${a64[@]}" -machine highmem-mmio-window=0x10000000000:0x10000000000 \
	-device "$dev,fixed-bars=bar2@0x9000000000"
for bad in 0x10000000000 0x10000000000:0 0x10000000000:0x100000 0x10000001000:0x40000000 1T:1T; do
	refuse "highmem-mmio-window=$bad" \
		"highmem-mmio-window: '$bad' is not BASE:SIZE with both multiples of 1 GiB" \
		"${a64[@]}" -machine "highmem-mmio-window=$bad"
done
refuse "highmem-mmio-window over RAM" \
	"highmem-mmio-window: 0x40000000:0x40000000 must lie between 0x4020000000 (above RAM and the other high regions) and 0x100000000000 (44-bit physical addresses)" \
	"${a64[@]}" -machine highmem-mmio-window=0x40000000:0x40000000
refuse "highmem-mmio-window beyond the physical address space" \
	"highmem-mmio-window: 0xc0000000000:0x80000000000 must lie between" \
	"${a64[@]}" -machine highmem-mmio-window=0xc0000000000:0x80000000000

# --- virt's device tree: unchanged without fixed-bars, the node with them
# shellcheck disable=SC2054
devs=(-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1
	-device pci-testdev,membar=0x1000000,bus=rp1 -device "$dev")
what="virt without fixed-bars: the device tree is the unpatched QEMU's, byte for byte"
if [[ ${QEMU_SERIES:-7.2} == sid ]]; then
	# Debian 12's qemu-system-aarch64 is 7.2: no unpatched sid QEMU to
	# compare with; at least no descriptor node appears
	pass "$what # SKIP no unpatched QEMU $(basename "$srcdir") on this machine"
	"${a64[@]}" "${devs[@]}" -machine "dumpdtb=$work/patched.dtb" >"$work/dump.log" 2>&1
	dtc -q -I dtb -O dts -o "$work/patched.dts" "$work/patched.dtb" 2>>"$work/dump.log"
	if grep -q 'pcie@' "$work/patched.dts" && ! grep -q 'pci-fixedbar' "$work/patched.dts"; then
		pass "virt without fixed-bars: no /pci-fixedbar node"
	else
		fail "virt without fixed-bars: no /pci-fixedbar node"
		diag "$(cat "$work/dump.log")"
	fi
else
	qemu-system-aarch64 "${a64[@]:1}" "${devs[@]}" -machine "dumpdtb=$work/system.dtb" >"$work/dump.log" 2>&1
	"${a64[@]}" "${devs[@]}" -machine "dumpdtb=$work/patched.dtb" >>"$work/dump.log" 2>&1
	if [[ -s $work/system.dtb ]] && cmp -s "$work/system.dtb" "$work/patched.dtb"; then
		pass "$what"
	else
		fail "$what"
		diag "$(cat "$work/dump.log")"
	fi
fi
# shellcheck disable=SC2054
devs=(-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1
	-device pci-testdev,membar=0x4000000,bus=rp1,fixed-bars=bar2@0x10004000000,,bar0@0x10000000
	-device "$dev,fixed-bars=bar2@0x1ffff000000")
"${a64[@]}" -machine highmem-mmio-window=0x10000000000:0x10000000000 "${devs[@]}" \
	-machine "dumpdtb=$work/fixed.dtb" >"$work/dump.log" 2>&1
dtc -q -I dtb -O dts -o "$work/fixed.dts" "$work/fixed.dtb" 2>>"$work/dump.log"
like "$(cat "$work/fixed.dts")" 'pci-fixedbar {
		fixed-bars = "0000:00:10.0/00.0=bar0@0x10000000,bar2@0x10004000000\00000:00:11.0=bar2@0x1ffff000000";
		compatible = "linux,pci-fixedbar";
	};' "virt with fixed-bars: the /pci-fixedbar node holds both entries"
like "$(cat "$work/fixed.dts")" "0x3000000 0x100 0x00 0x100 0x00 0x100 0x00>;" \
	"virt: the host bridge's 64-bit range is the highmem-mmio-window"
done_testing
