#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Real vfio-pci, end to end, without hardware (issue 19): a nested guest.
# The outer q35 guest (TCG, an emulated intel-iommu, intel_iommu=on) has an
# ivshmem-plain backed by a file here and a pci-testdev, each behind a
# pcie-root-port, their 64-bit BARs where its SeaBIOS put them.  In it
# (tests/vfio/outer.sh) vfio-pci binds them, fixedbar-host reads its real
# sysfs, and Debian's QEMU (packed into the outer initramfs with its
# libraries) boots the inner guest (TCG inside TCG) with them passed
# through by -device vfio-pci and fixedbar-host's options and SSDT
# (-acpitable).  Pass: in the inner guest (tests/vfio/inner.sh) each bar2
# is at the outer guest's address (GPA == HPA one level down) on the same
# device, the module placed both, the layout validates, fixedbar-check
# agrees, no kernel warning or taint on either level, and data flows
# through the ivshmem BAR both ways between this machine's backing file
# and the inner guest.
#
#   make check-vfio, or after it by hand: prove --exec bash tests/vfio/vfio.t

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

vfio_dir=$e2e_dir/../vfio
host_tool=${FIXEDBAR_HOST:-$top/build/rel/fixedbar-host}
inner_ram=256M
# both levels' guests are E2E_KERNEL's; nested TCG is slow (minutes)
E2E_MEM=3G
E2E_TIMEOUT=${VFIO_TIMEOUT:-2400}
inner_timeout=$((E2E_TIMEOUT - 300))
outer_paths="0000:00:10.0/00.0 0000:00:11.0/00.0"
pattern="VFIO-HOST-$$-$(date +%s)"
[[ -x $host_tool ]] || { echo "Bail out! $host_tool missing: run make check-vfio"; exit 1; }

# pack DEST FILE...: FILEs and every library ldd lists for them, each at
# its own path under DEST
pack() {
	local dest=$1 f

	shift
	for f in "$@" $(ldd "$@" | grep -o '/[^ ]*' | grep -v ':$'); do
		mkdir -p "$dest/$(dirname "$f")"
		cp -L "$f" "$dest/$f"
	done
}

# the inner guest: the same kernel, the base initramfs and its /test.sh
inner=$work/inner-root
mkdir -p "$inner" "$work/initrd/inner"
cp "$vfio_dir/inner.sh" "$inner/test.sh"
cp "$kdir/vmlinux" "$work/initrd/inner/vmlinux"

# the outer guest: QEMU with its libraries and firmware (SeaBIOS, the PVH
# loader), fixedbar-host, the inner kernel and initramfs
pack "$work/initrd" /usr/bin/qemu-system-x86_64 "$host_tool" \
	/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
mkdir -p "$work/initrd/bin" "$work/initrd/usr/share/qemu"
mv "$work/initrd/$host_tool" "$work/initrd/bin/fixedbar-host"
cp -L /usr/share/seabios/bios-256k.bin /usr/share/qemu/{pvh,linuxboot_dma,kvmvapic}.bin \
	"$work/initrd/usr/share/qemu/"
cp "$vfio_dir/outer.sh" "$work/initrd/test.sh"

shm_file=$(shm vfio "$pattern")
# intel-iommu first: QEMU wants it before the devices it translates for.
# The 2 GiB BAR of the pci-testdev on pcie.0 (a GPU-sized BAR, not passed
# through) does not fit below 4 GiB, so SeaBIOS moves every 64-bit BAR
# above: the passed-through devices' BARs sit high, as on a GPU server.
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(-device intel-iommu,caching-mode=on,aw-bits=48
	-device pci-testdev,membar=0x80000000,bus=pcie.0,addr=0x12
	-device pcie-root-port,id=rp1,bus=pcie.0,addr=0x10,chassis=1,slot=1
	-object "memory-backend-file,id=shm,mem-path=$shm_file,size=64M,share=on"
	-device ivshmem-plain,memdev=shm,bus=rp1
	-device pcie-root-port,id=rp2,bus=pcie.0,addr=0x11,chassis=2,slot=2
	-device pci-testdev,membar=0x2000000,bus=rp2
	-chardev "file,id=icon,path=$work/inner/console.log" -serial chardev:icon
	-chardev "file,id=ires,path=$work/inner/results.txt" -serial chardev:ires)
mkdir -p "$work/inner"
kernel_args="intel_iommu=on"

# the inner guest's paths, from fixedbar-host's placement of the outer
# root ports: the first at pcie.0 slot 0x10 (its --first-slot), one each
inner_paths="0000:00:10.0/00.0 0000:00:11.0/00.0"
cat >"$inner/vfio.env" <<ENV
INNER_PATHS="$inner_paths"
IVSHMEM_PATH="${inner_paths%% *}"
ENV
cat >"$work/initrd/vfio.env" <<ENV
OUTER_PATHS="$outer_paths"
INNER_RAM=$inner_ram
INNER_TIMEOUT=$inner_timeout
INNER_APPEND="console=ttyS0 panic=-1 rdinit=/init $quiet_args"
ENV
(cd "$inner" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/inner-test.cpio.gz"
cat "$kdir/base.cpio.gz" "$work/inner-test.cpio.gz" >"$work/initrd/inner/initrd.img"

t_all=$SECONDS
boot
diag "vfio: the whole nested run took $((SECONDS - t_all)) s, the inner QEMU $(rfile inner.secs) s of it"

# --- the outer guest: the devices, vfio-pci, fixedbar-host -----------
# outer_bar PATH: the outer guest's bar2 start, from its sysfs resource
outer_bar() {
	awk -v p="$1" '$1 == p { print $9 }' "$res/outer.bars"
}
for p in $outer_paths; do
	bar_at=$(outer_bar "$p")
	if [[ -n $bar_at ]] && ((bar_at >= 0x100000000)); then
		pass "outer $p: bar2 at $bar_at, above 4 GiB"
	else
		fail "outer $p: bar2 above 4 GiB (got '$bar_at')"
	fi
	like "$(grep "^$p " "$res/outer.vfio" 2>/dev/null)" " vfio-pci " "outer $p: bound to vfio-pci"
done
is "$(rfile host.rc)" 0 "fixedbar-host on the outer guest's sysfs: exit 0"
[[ $(rfile host.rc) == 0 ]] || diag "$(rfile host.err)"
is "$(rfile host.aml.rc)" 0 "fixedbar-host -f aml: exit 0"
diag "fixedbar-host: $(tr '\n' ' ' <"$res/host.opts" 2>/dev/null)"
diag "$(rfile host.map)"
check_kernel outer
check_kernel outer-after

# --- the inner guest -------------------------------------------------
is "$(rfile inner.qemu.rc)" 0 "the inner QEMU exits 0 (took $(rfile inner.secs) s)"
[[ $(rfile inner.qemu.rc) == 0 ]] || diag "$(rfile inner.qemu)"
entries=()
# shellcheck disable=SC2086 # a list of paths
set -- $inner_paths
for p in $outer_paths; do
	entries+=("$(printf '%s=bar2@0x%x' "$1" "$(($(outer_bar "$p")))")")
	shift
done
is "$(rfile host.map)" "pci_fixedbar.map=$(IFS=';'; echo "${entries[*]}")" \
	"fixedbar-host maps each device to its inner path at the outer address"

# the inner guest's files, parsed like lib.sh's boot parses the outer's
mkdir -p "$res/inner"
tr -d '\r' <"$work/inner/results.txt" | awk -v dir="$res/inner" '
	/^@@@FILE / { f = dir "/" $2; printf "" > f; next }
	/^@@@END/ { f = ""; next }
	f != "" { print >> f }'

# inner_checks: lib.sh's checks on the inner guest's files
inner_checks() {
	local res=$res/inner work=$work/inner case_name="$case_name (inner)" e p

	is "$(rfile zz-status)" "E2E-OK" "inner guest: ran to its success marker"
	[[ -n "$(tr -d "[:space:]" <"$res/notes" 2>/dev/null)" ]] &&
		diag "inner guest notes: $(cat "$res/notes")"
	check_load inner 2
	check_fixed after "${entries[@]}"
	for e in "${entries[@]}"; do
		p=${e%%=*}
		is "$(grep "^$p " "$res/after.ids" | cut -d' ' -f2-)" \
			"$(grep "^$(outer_path_of "$p") " "$res/../outer.ids" | cut -d' ' -f2-)" \
			"inner $p is the outer device passed through (vendor and device ids)"
	done
	check_layout after "${entries[@]}"
	check_fbcheck after 0 ok "${entries[@]}"
	check_kernel after
	check_kernel_clean
	is "$(rfile after.ivshmem)" "$pattern" "inner guest reads this machine's pattern through the ivshmem BAR"
}
# outer_path_of INNER_PATH: the outer device passed through at it
outer_path_of() {
	local i=0 p

	for p in $inner_paths; do
		[[ $p == "$1" ]] && break
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # a list of paths
	set -- $outer_paths
	shift $i
	echo "$1"
}
inner_checks
is "$(shm_read vfio 4096)" "guest-after" "this machine reads the inner guest's pattern from the backing file"
done_testing
