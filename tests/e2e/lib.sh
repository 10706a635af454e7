# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the end-to-end tests, sourced by each tests/e2e/*.t: boots
# one guest per case and checks what it sent back, in TAP.
#
#   E2E_KERNEL   6.1 (default), 6.12, 7.2, 6.1-cloud or 7.2-cloud (Debian
#                cloud-amd64): one of make's GUEST_KERNELS
#   E2E_FIRMWARE seabios (default; the kernel booted through PVH) or ovmf
#                (UEFI: Debian's OVMF_CODE.fd and a copy of OVMF_VARS.fd,
#                the bzImage through OVMF's EFI stub loader, the 64-bit
#                aperture sized with X-PciMmio64Mb like the window SeaBIOS
#                gets from pci-hole64-size)
#   E2E_BUILD    what make e2e-prep built (default build/e2e)
#   E2E_TIMEOUT  seconds one guest may run (default 240, OVMF 480)
#   E2E_QEMU     the qemu-system-x86_64 to run (default: the system's)
#   E2E_MEM      the guest's RAM, as QEMU -m (default 1G)
#
# A case sets qemu_devs (QEMU -device and -object arguments), optionally
# kernel_args and acpi_tables, writes the guest script with guest_script
# and calls boot; the guest's files are then in $res.

set -u

e2e_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$e2e_dir/../.." && pwd)
E2E_KERNEL=${E2E_KERNEL:-6.1}
E2E_FIRMWARE=${E2E_FIRMWARE:-seabios}
phys_bits=44
E2E_OVMF=${E2E_OVMF:-/usr/share/OVMF}
E2E_BUILD=${E2E_BUILD:-$top/build/e2e}
kdir=$E2E_BUILD/$E2E_KERNEL
# E2E_IMAGE, E2E_VALIDATOR, E2E_RUN_SUFFIX: hooks for tests/arm64
fw_files=()
case $E2E_FIRMWARE in
seabios) E2E_IMAGE=${E2E_IMAGE:-vmlinux} ;;
ovmf)
	E2E_IMAGE=${E2E_IMAGE:-vmlinuz}
	E2E_RUN_SUFFIX=${E2E_RUN_SUFFIX:-}-ovmf
	phys_bits=43
	# OVMF's own start takes 20-30 s of TCG, minutes on a busy host
	E2E_TIMEOUT=${E2E_TIMEOUT:-480}
	fw_files=("$E2E_OVMF/OVMF_CODE.fd" "$E2E_OVMF/OVMF_VARS.fd")
	;;
*)
	echo "Bail out! E2E_FIRMWARE=$E2E_FIRMWARE: seabios or ovmf"
	exit 1
	;;
esac
E2E_TIMEOUT=${E2E_TIMEOUT:-240}
validator=${E2E_VALIDATOR:-$E2E_BUILD/layout-check}
plan_tool=${FIXEDBAR_PLAN:-$top/build/rel/fixedbar-plan}

for f in "$kdir/$E2E_IMAGE" "$kdir/base.cpio.gz" "$validator" "$plan_tool" "${fw_files[@]}"; do
	if [[ ! -e $f ]]; then
		echo "Bail out! $f missing: run make e2e-prep first"
		exit 1
	fi
done

case_name=$(basename "$0" .t)
work=$E2E_BUILD/run/$case_name-$E2E_KERNEL${E2E_RUN_SUFFIX:-}
res=$work/res
rm -rf "$work"
mkdir -p "$res" "$work/initrd"

# shellcheck source=tests/tap.sh
. "$e2e_dir/../tap.sh"

qemu_devs=()
kernel_args=""
# check_kernel fails a guest on any WARN: no crypto self-tests (drbg's
# fails on a starved TCG host), no IO-APIC timer check (panics there), no
# soft-lockup or workqueue-lockup detector (a vCPU the host does not run
# for 20 s is a "BUG: soft lockup"), none of which is what these tests test
quiet_args="cryptomgr.notests no_timer_check nosoftlockup workqueue.watchdog_thresh=0"
acpi_tables=()

# The disk pattern the nvme and virtio-blk images carry in block 0.
# shellcheck disable=SC2034 # used by the cases
nvme_pattern="E2E-NVME-BLOCK0-0123456789abcdef"
# shellcheck disable=SC2034
vblk_pattern="E2E-VBLK-BLOCK0-0123456789abcdef"

# rfile NAME: a file the guest sent, empty when it did not
rfile() {
	cat "$res/$1" 2>/dev/null
}

# disk NAME PATTERN: a 1 MiB raw image with PATTERN at the start of block 0
disk() {
	truncate -s 1M "$work/$1.img"
	printf '%s' "$2" | dd of="$work/$1.img" conv=notrunc status=none
	echo "$work/$1.img"
}

# shm NAME PATTERN: a 64 MiB ivshmem backing file, PATTERN at offset 0
shm() {
	truncate -s 64M "$work/$1.shm"
	printf '%s' "$2" | dd of="$work/$1.shm" conv=notrunc status=none
	echo "$work/$1.shm"
}

# shm_read NAME OFFSET: the string the guest left in a backing file
shm_read() {
	dd if="$work/$1.shm" bs=1 skip="$2" count=64 status=none | tr -d '\0'
}

# The PCIe topology pieces every case builds, as QEMU arguments one per
# line, read with mapfile:
#   mapfile -t sw < <(root_port rp1 0x10 1; switch_ports up1 rp1 dp 4 2)
# root_port ID ADDR CHASSIS [PROP,...]: a pcie-root-port on pcie.0 at ADDR
# (slot number = CHASSIS)
root_port() {
	printf -- '-device\npcie-root-port,id=%s,bus=pcie.0,addr=%s,chassis=%s,slot=%s%s\n' \
		"$1" "$2" "$3" "$3" "${4:+,$4}"
}

# switch_ports UP BUS DP N CHASSIS: an x3130 switch, its upstream port UP
# below BUS, downstream ports DP0..DP(N-1) at chassis CHASSIS, CHASSIS+1...
switch_ports() {
	local i

	printf -- '-device\nx3130-upstream,id=%s,bus=%s\n' "$1" "$2"
	for ((i = 0; i < $4; i++)); do
		printf -- '-device\nxio3130-downstream,id=%s%d,bus=%s,addr=%d,chassis=%d,slot=%d\n' \
			"$3" "$i" "$1" "$i" "$(($5 + i))" "$i"
	done
}

# ssdt NAME ENTRY...: an SSDT with a PRP0001 "linux,pci-fixedbar" device
# holding the entries as strings (module/README.md), compiled with iasl.
# An entry "@SLOT=bar2@0x..." for a root bus device instead goes into a
# "fixed-bars" property of its own ACPI companion under PCI0.
ssdt() {
	local name=$1 e dev list="" comp="" ext=""

	shift
	for e in "$@"; do
		if [[ $e == @* ]]; then
			e=${e#@}
			# QEMU's DSDT already describes every root bus slot as
			# PCI0.Sxx (xx: devfn in hex); the SSDT adds its _DSD
			dev=$(printf 'S%02X' "$((${e%%=*} << 3))")
			ext+="
    External (\\_SB.PCI0.$dev, DeviceObj)"
			comp+="
    Scope (\\_SB.PCI0.$dev)
    {
        Name (_DSD, Package ()
        {
            ToUUID (\"daffd814-6eba-4d8c-8a91-bc9bbf4aa301\"),
            Package ()
            {
                Package () { \"fixed-bars\", Package () { \"${e#*=}\" } },
            }
        })
    }"
			continue
		fi
		list+="${list:+, }\"$e\""
	done
	cat >"$work/$name.asl" <<ASL
DefinitionBlock ("", "SSDT", 1, "FXBR", "E2E", 1)
{
    External (\\_SB.PCI0, DeviceObj)$ext
    Scope (\\_SB)
    {
        Device (FXBR)
        {
            Name (_HID, "PRP0001")
            Name (_DSD, Package ()
            {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package ()
                {
                    Package () { "compatible", "linux,pci-fixedbar" },
                    Package () { "fixed-bars", Package () { $list } },
                }
            })
        }
    }$comp
}
ASL
	iasl -p "$work/$name" "$work/$name.asl" >"$work/$name.iasl.log" 2>&1 ||
		{ cat "$work/$name.iasl.log" >&2; return 1; }
	echo "$work/$name.aml"
}

# many_testdevs BASE: 40 pci-testdevs on the root bus (slots 0x10-0x14,
# functions 0-7), each with a 16 MiB BAR 2 fixed at BASE + n * 16 MiB:
# sets paths, entries and qemu_devs
many_testdevs() {
	local s f n=0

	paths=() entries=() qemu_devs=()
	for s in 10 11 12 13 14; do
		for f in 0 1 2 3 4 5 6 7; do
			paths+=("0000:00:$s.$f")
			entries+=("0000:00:$s.$f=bar2@$(printf '0x%x' $(($1 + n * 0x1000000)))")
			qemu_devs+=(-device "pci-testdev,membar=0x1000000,bus=pcie.0,addr=0x$s.$f,multifunction=on")
			n=$((n + 1))
		done
	done
}

# switch_args N [ADDR]: the usual hotplug-capable chain: root port rp1
# (pcie.0 slot ADDR, default 0x10) -> x3130 upstream port up1 -> N
# downstream ports dp0..dpN-1 (chassis 2..).  A case puts its devices on
# bus=dpI:
#   mapfile -t sw < <(switch_args 3); qemu_devs=("${sw[@]}" -device ...)
switch_args() {
	root_port rp1 "${2:-0x10}" 1
	switch_ports up1 rp1 dp "$1" 2
}

# firmware_args: the QEMU options of E2E_FIRMWARE, one per line
firmware_args() {
	[[ $E2E_FIRMWARE == ovmf ]] || return 0
	cp "${fw_files[1]}" "$work/OVMF_VARS.fd"
	printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=${fw_files[0]}" \
		-drive "if=pflash,format=raw,unit=1,file=$work/OVMF_VARS.fd"
}

# The guest's CPU and 64-bit window, unless a case sets window_args (as
# fixedbar-host prints them): 1 TiB from 1 TiB with either firmware,
# SeaBIOS's from pci-hole64-size, OVMF's aperture from X-PciMmio64Mb (in
# MiB; OVMF aligns its base to the size, and takes the top eighth of the
# address space instead unless the size is at least that: phys-bits 43).
window_args=(-cpu "max,phys-bits=$phys_bits" -global q35-pcihost.pci-hole64-size=1T)
# shellcheck disable=SC2054 # a QEMU option is a comma list
[[ $E2E_FIRMWARE != ovmf ]] || window_args+=(-fw_cfg name=opt/ovmf/X-PciMmio64Mb,string=1048576)

# guest_script: the case's /test.sh, from standard input
guest_script() {
	cat >"$work/initrd/test.sh"
}

# boot: runs the guest; the files it sent land in $res.  With boot_initrd
# set (tests/boot), that complete image boots with its own /init instead
# of the base initramfs and the case's /test.sh.
boot() {
	local t a fw append rc qemu_pid initrd=$work/initrd.img

	if [[ -n ${boot_initrd:-} ]]; then
		initrd=$boot_initrd
		append="console=ttyS0 panic=-1 $quiet_args $kernel_args"
	else
		(cd "$work/initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/test.cpio.gz"
		cat "$kdir/base.cpio.gz" "$work/test.cpio.gz" >"$initrd"
		append="console=ttyS0 panic=-1 rdinit=/init $quiet_args $kernel_args"
	fi
	a=()
	for t in "${acpi_tables[@]}"; do
		a+=(-acpitable "file=$t")
	done
	# a case with a during_boot function drives the running guest through
	# QMP (tests/e2e/qmp.sh) while it runs
	if declare -F during_boot >/dev/null; then
		a+=(-qmp "unix:$work/qmp.sock,server=on,wait=off")
	fi
	mapfile -t fw < <(firmware_args)
	t=$SECONDS
	timeout --kill-after=10 "$E2E_TIMEOUT" "${E2E_QEMU:-qemu-system-x86_64}" \
		-M q35 -accel tcg -m "${E2E_MEM:-1G}" -smp 1 "${window_args[@]}" "${fw[@]}" \
		-nographic -nodefaults -no-reboot \
		-chardev "file,id=con,path=$work/console.log" -serial chardev:con \
		-chardev "file,id=res,path=$work/results.txt" -serial chardev:res \
		-kernel "$kdir/$E2E_IMAGE" -initrd "$initrd" \
		-append "$append" "${a[@]}" "${qemu_devs[@]}" \
		</dev/null >"$work/qemu.log" 2>&1 &
	qemu_pid=$!
	if declare -F during_boot >/dev/null; then
		during_boot
	fi
	wait "$qemu_pid"
	rc=$?
	diag "$case_name ($E2E_KERNEL, $E2E_FIRMWARE): guest ran $((SECONDS - t)) s, qemu exit $rc; logs in $work"
	tr -d '\r' <"$work/results.txt" | awk -v dir="$res" '
		/^@@@FILE / { f = dir "/" $2; printf "" > f; next }
		/^@@@END/ { f = ""; next }
		f != "" { print >> f }'
	is "$(rfile zz-status)" "E2E-OK" "$case_name: the guest ran to its success marker"
	[[ -n "$(tr -d "[:space:]" 2>/dev/null <"$res/notes")" ]] && diag "guest notes: $(cat "$res/notes")"
	check_kernel_clean
	return 0
}

# check_kernel_clean: no WARN, BUG, lockdep or sanitizer report in any
# kernel log the guest sent (each load's, the rest at the end, the
# console), and no taint but the out-of-tree module's own (O 4096, E 8192);
# tests/boot images, with their own /init, send no taint file
check_kernel_clean() {
	local bad taint

	bad=$(cat "$res"/*.dmesg "$res/zz-dmesg" "$work/console.log" 2>/dev/null |
		grep -a -E 'WARNING:|BUG:|Oops|general protection fault|cut here|circular locking|recursive locking|lock held|UBSAN:|KASAN:|Kernel panic' | head -5)
	is "$bad" "" "$case_name: no WARN, BUG, lockdep or sanitizer report"
	[[ -n ${boot_initrd:-} ]] && return 0
	taint=$(rfile zz-tainted)
	is "$((${taint:-1048576} & ~(4096 | 8192)))" 0 \
		"$case_name: no taint but the module's own (tainted=${taint:-missing})"
}

# check_load TAG N: the module loaded and reported N fixed BARs placed
check_load() {
	is "$(rfile "$1.rc")" 0 "$1: insmod pci_fixedbar succeeds"
	[[ "$(rfile "$1.rc")" == 0 ]] || diag "$(rfile "$1.insmod")" "$(rfile "$1.dmesg")"
	like "$(rfile "$1.dmesg")" "pci_fixedbar: 0000:00: $2 fixed BAR" "$1: summary line"
}

# check_fixed TAG ENTRY...: every fixed BAR sits exactly at its address, as
# the guest's sysfs resource files (TAG.bars) show
check_fixed() {
	local tag=$1 e path spec item bar addr line got

	shift
	for e in "$@"; do
		path=${e%%=*}
		spec=${e#*=}
		line=$(grep "^$path " "$res/$tag.bars")
		for item in ${spec//,/ }; do
			bar=${item%%@*}
			addr=${item#*@}
			addr=${addr%%+*}
			# fields: path bdf then start end flags per BAR
			got=$(awk -v i="${bar#bar}" '{ print $(3 + 3 * i) }' <<<"$line")
			is "$((got))" "$((addr))" "$tag: $path $bar at $addr"
		done
	done
}

# check_fbcheck TAG RC STATUS ENTRY...: fixedbar-check in the guest (see
# fbcheck in guest.sh) exited RC and listed exactly the entries' BARs, each
# with STATUS; for "ok" also each at its wanted address with every window
# up the chain containing it
check_fbcheck() {
	local tag=$1 rc=$2 st=$3 f=$res/$1.check.json e spec item addr want=() got

	shift 3
	is "$(rfile "$tag.check.rc")" "$rc" "$tag: fixedbar-check exits $rc"
	[[ "$(rfile "$tag.check.rc")" == "$rc" ]] || diag "$(rfile "$tag.check.err")"
	for e in "$@"; do
		spec=${e#*=}
		for item in ${spec//,/ }; do
			addr=${item#*@}
			addr=${addr%%+*}
			want+=("$(printf '%s %s 0x%x %s' "${e%%=*}" "${item%%@*}" "$((addr))" "$st")")
		done
	done
	# a BAR the firmware happened to put at its address is "ok" before
	# the load too (OVMF places pci-testdev at main.t's 0x10100000000)
	got=$(jq -r --arg st "$st" '.bars[] | "\(.device) \(.name) \(.wanted) " +
		(if .status == "ok" and .start == .wanted then $st else .status end)' "$f" 2>&1 | sort)
	is "$got" "$(printf '%s\n' "${want[@]}" | sort)" "$tag: fixedbar-check lists each fixed BAR, $st"
	[[ $st == ok ]] || return 0
	is "$(jq '[.bars[] | select(.start != .wanted)] | length' "$f" 2>&1)" 0 \
		"$tag: fixedbar-check: each BAR starts at its wanted address"
	is "$(jq '[.bars[] | select(.windows | length < 1 or any(.contains | not))] | length' "$f" 2>&1)" 0 \
		"$tag: fixedbar-check: every window up to the root bus contains each BAR"
}

# check_layout TAG ENTRY...: the captured layout with the entries passes
# the planner's validator
check_layout() {
	local tag=$1 f out

	shift
	f=$work/$tag.fixed.json
	jq '.fixed = $ARGS.positional' "$res/$tag.topo.json" --args "$@" >"$f" 2>&1
	out=$("$validator" "$f" 2>&1)
	is "$?" 0 "$tag: the whole captured layout passes the validator"
	[[ $out == ok* ]] || diag "$out"
}

# check_replay TAG: the module's debugfs dump replays with fixedbar-plan to
# the same plan, and the guest's layout is exactly that plan
check_replay() {
	local tag=$1 dump=$res/$1.debugfs.json out want got

	out=$("$plan_tool" "$dump" 2>&1)
	is "$(jq -r .result <<<"$out" 2>&1)" ok "$tag: fixedbar-plan replays the debugfs dump"
	want=$(jq -c '[.plan.resources[] | [.device, .name, .start, .end]]' "$dump" 2>&1)
	got=$(jq -c '[.resources[] | [.device, .name, .start, .end]]' <<<"$out" 2>&1)
	is "$got" "$want" "$tag: the replayed plan is the module's plan"
}

# check_unchanged A B: two captures are identical (layout, iomem, config)
check_unchanged() {
	local k

	for k in topo.json iomem pci; do
		if [[ -s $res/$1.$k ]] && cmp -s "$res/$1.$k" "$res/$2.$k"; then
			pass "$2: $k unchanged"
		else
			fail "$2: $k unchanged"
			diag "$(diff "$res/$1.$k" "$res/$2.$k" | head -20)"
		fi
	done
}

# check_kernel TAG: the guest kernel (see kernel in guest.sh) logged no
# warning, oops or BUG, and is tainted by nothing but an out-of-tree (O,
# 4096) unsigned (E, 8192) module, which pci_fixedbar.ko is
check_kernel() {
	local t

	t=$(rfile "$1.tainted")
	is "$(rfile "$1.kproblems")" "" "$1: no kernel warning, oops or BUG"
	if [[ $t =~ ^[0-9]+$ ]] && (((t & ~(4096 | 8192)) == 0)); then
		pass "$1: no taint but the out-of-tree module's ($t)"
	else
		fail "$1: no taint but the out-of-tree module's (tainted: '$t')"
	fi
}
