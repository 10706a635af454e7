# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the arm64 end-to-end tests, sourced by each tests/arm64/*.t:
# tests/e2e/lib.sh (TAP, the checks, the disk and ivshmem helpers) with its
# boot replaced by one for qemu-system-aarch64 -M virt.
#
#   E2E_KERNEL   6.1 (default), 6.12 or 7.2: one of make's GUEST_KERNELS
#   E2E_BUILD    what make arm64-prep built (default build/arm64)
#   A64_FW       (or E2E_FIRMWARE, as tests/e2e/matrix.sh's runners set it)
#                dt (default): direct kernel boot with a device tree that
#                carries the descriptors (dt_table, dt_device);
#                acpi: UEFI (QEMU_EFI.fd) and ACPI, the SSDT (ssdt_dev,
#                e2e's ssdt) delivered by the initrd table upgrade
#   A64_QEMU     the qemu-system-aarch64 to run (default: the system's);
#                with A64_FW=dt and no dt_table/dt_device the guest gets
#                the machine's own device tree
#
# Each case sets qemu_devs, optionally kernel_args, the descriptors, writes
# /test.sh with guest_script and calls boot.  As in tests/e2e, a case with
# a during_boot function drives the running guest over QMP
# ($work/qmp.sock, tests/e2e/qmp.sh) while boot waits; the guest's
# "@@@MARKER" lines reach $work/results.txt (here the console), where
# wait_guest looks.

a64_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_BUILD=${E2E_BUILD:-$(cd "$a64_dir/../.." && pwd)/build/arm64}
E2E_IMAGE=Image
# the host side validator is the x86 suite's
E2E_VALIDATOR=${E2E_VALIDATOR:-$E2E_BUILD/../e2e/layout-check}
A64_FW=${A64_FW:-${E2E_FIRMWARE:-dt}}
case $A64_FW in
dt | acpi) ;;
*)
	echo "Bail out! A64_FW=$A64_FW: dt or acpi"
	exit 1
	;;
esac
# tests/e2e/lib.sh's firmware is x86's; this boot() has its own
E2E_FIRMWARE=seabios
A64_EFI=${A64_EFI:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
# the work directory is per description path too
[[ $A64_FW == dt ]] || E2E_RUN_SUFFIX=${E2E_RUN_SUFFIX:-}-$A64_FW

# shellcheck source=tests/e2e/lib.sh
. "$a64_dir/../e2e/lib.sh"

# virt's host bridge node; its 64-bit window is 0x8000000000-0xffffffffff
a64_host=/pcie@10000000
dts_extra=""

# dt_table ENTRY...: a "linux,pci-fixedbar" node under / with the entries
dt_table() {
	local e list=""

	for e in "$@"; do
		list+="${list:+, }\"$e\""
	done
	dts_extra+="
/ {
	pci-fixedbar {
		compatible = \"linux,pci-fixedbar\";
		fixed-bars = $list;
	};
};"
}

# dt_device PATH ITEM...: a "fixed-bars" property on the device's own node,
# nested below the host bridge node as Linux matches them (devfn in reg,
# bus bits 0); dtc merges the chains of several devices
dt_device() {
	local path=$1 hop slot fn open="" close="" ind="	" items="" i
	local bridge="device_type = \"pci\"; #address-cells = <3>; #size-cells = <2>; ranges;"

	shift
	for i in "$@"; do
		items+="${items:+, }\"$i\""
	done
	# the first hop is the root bus device itself
	path=${path#*:*:}
	for hop in ${path//\// }; do
		slot=$((16#${hop%.*}))
		fn=${hop#*.}
		[[ -n $open ]] && open+=" $bridge"
		open+="
$ind$(printf 'pci@%x,%x {' "$slot" "$fn")
$ind	reg = <$(printf '0x%x' $(((slot << 11) | (fn << 8)))) 0x0 0x0 0x0 0x0>;"
		close="
$ind};$close"
		ind+="	"
	done
	dts_extra+="
&{$a64_host} {$open
${ind}fixed-bars = $items;$close
};"
}

# dt_claim NAME START SIZE: an "mmio-sram" node at [START, START+SIZE), a
# range the kernel really claims: the in-tree sram driver requests it with
# devm_request_mem_region().  Its "vdd-supply" names the host bridge node,
# so fw_devlink probes it only after the host bridge has requested its
# windows and assigned the BARs; the claim then nests inside the window as
# a busy child that belongs to no PCI device.  The driver never touches
# the memory (nothing backs it).
dt_claim() {
	local hi=$(($2 >> 32)) lo=$(($2 & 0xffffffff))

	dts_extra+="
/ {
	$1@$(printf '%x' "$2") {
		compatible = \"mmio-sram\";
		reg = <$(printf '0x%x 0x%x 0x%x 0x%x' "$hi" "$lo" $(($3 >> 32)) $(($3 & 0xffffffff)))>;
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0 $(printf '0x%x 0x%x 0x%x' "$hi" "$lo" $(($3 & 0xffffffff)))>;
		no-memory-wc;
		vdd-supply = <&{$a64_host}>;
	};
};"
}

# ssdt_dev NAME PATH ITEM...: an SSDT declaring the device's chain below
# \_SB.PCI0 (virt's DSDT has no objects below the host bridge) with
# "fixed-bars" in the endpoint's _DSD
ssdt_dev() {
	local name=$1 path=$2 hop slot fn open="" close="" items="" i

	shift 2
	for i in "$@"; do
		items+="${items:+, }\"$i\""
	done
	path=${path#*:*:}
	for hop in ${path//\// }; do
		slot=$((16#${hop%.*}))
		fn=${hop#*.}
		open+="
    Device ($(printf 'S%02X' $(((slot << 3) | fn))))
    {
        Name (_ADR, $(printf '0x%08X' $(((slot << 16) | fn))))"
		close="
    }$close"
	done
	cat >"$work/$name.asl" <<ASL
DefinitionBlock ("", "SSDT", 1, "FXBR", "${name:0:8}", 1)
{
    External (\\_SB.PCI0, DeviceObj)
    Scope (\\_SB.PCI0)
    {$open
        Name (_DSD, Package ()
        {
            ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
            Package ()
            {
                Package () { "fixed-bars", Package () { $items } },
            }
        })$close
    }
}
ASL
	iasl -p "$work/$name" "$work/$name.asl" >"$work/$name.iasl.log" 2>&1 ||
		{ cat "$work/$name.iasl.log" >&2; return 1; }
	echo "$work/$name.aml"
}

# boot: runs the guest; the files it sent (over the console) land in $res
boot() {
	local t rc initrd=$work/initrd.img append m qargs qemu_pid

	(cd "$work/initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/test.cpio.gz"
	: >"$initrd"
	if [[ $A64_FW == acpi && ${#acpi_tables[@]} -gt 0 ]]; then
		# the table upgrade reads an uncompressed cpio at the very start
		mkdir -p "$work/upgrade/kernel/firmware/acpi"
		cp "${acpi_tables[@]}" "$work/upgrade/kernel/firmware/acpi/"
		(cd "$work/upgrade" && find kernel | cpio -o -H newc --quiet) >"$initrd"
	fi
	cat "$kdir/base.cpio.gz" "$work/test.cpio.gz" >>"$initrd"
	append="console=ttyAMA0 panic=-1 rdinit=/init $quiet_args $kernel_args"
	[[ $A64_FW == acpi ]] && append+=" acpi=force"
	m=virt,highmem=on
	qargs=(-accel tcg -cpu cortex-a57 -m 1G -smp 1 -nographic -nodefaults
		-no-reboot -kernel "$kdir/$E2E_IMAGE" -initrd "$initrd"
		-append "$append" "${qemu_devs[@]}")
	if [[ $A64_FW == acpi ]]; then
		qargs+=(-bios "$A64_EFI")
	elif [[ -n $dts_extra ]]; then
		# the machine's own DTB, dumped with exactly these arguments
		"${A64_QEMU:-qemu-system-aarch64}" -M "$m,dumpdtb=$work/virt.dtb" "${qargs[@]}" \
			</dev/null >"$work/dumpdtb.log" 2>&1
		if ! dtc -q -I dtb -O dts -o "$work/virt.dts" "$work/virt.dtb" ||
			! printf '%s\n' "$dts_extra" >>"$work/virt.dts" ||
			! dtc -q -I dts -O dtb -o "$work/fixed.dtb" "$work/virt.dts" \
				>"$work/dtc.log" 2>&1; then
			diag "dtc failed: $(cat "$work/dtc.log" "$work/dumpdtb.log")"
		fi
		qargs+=(-dtb "$work/fixed.dtb")
	fi
	# one UART: the console is the results port too
	ln -sfn console.log "$work/results.txt"
	declare -F during_boot >/dev/null && qargs+=(-qmp "unix:$work/qmp.sock,server=on,wait=off")
	t=$SECONDS
	timeout --kill-after=10 "$E2E_TIMEOUT" "${A64_QEMU:-qemu-system-aarch64}" -M "$m" "${qargs[@]}" \
		-serial "file:$work/console.log" </dev/null >"$work/qemu.log" 2>&1 &
	qemu_pid=$!
	declare -F during_boot >/dev/null && during_boot
	wait "$qemu_pid"
	rc=$?
	diag "$case_name ($E2E_KERNEL, $A64_FW): guest ran $((SECONDS - t)) s, qemu exit $rc; logs in $work"
	tr -d '\r' <"$work/console.log" | awk -v dir="$res" '
		/^@@@FILE / { f = dir "/" $2; printf "" > f; next }
		/^@@@END/ { f = ""; next }
		f != "" { print >> f }'
	is "$(rfile zz-status)" "E2E-OK" "$case_name: the guest ran to its success marker"
	[[ -n "$(tr -d "[:space:]" <"$res/notes" 2>/dev/null)" ]] && diag "guest notes: $(cat "$res/notes")"
	check_kernel_clean
	return 0
}
