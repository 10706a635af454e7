#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: installs what it needs, builds the tool, the module and the
# guest initramfs for Debian 12's 6.1 kernel, and boots a q35 guest shaped
# like a GPU server: root port 00:10.0 -> PCIe switch -> two large-BAR
# "GPUs" (an ivshmem with a 1 GiB BAR, a pci-testdev with a 4 GiB BAR) whose
# BARs an SSDT fixes at 512 GiB and 516 GiB (inside the 64-bit window
# [4 GiB, 4 GiB + 1 TiB) that SeaBIOS and QEMU open for a 4 GiB BAR), and
# an nvme that may go anywhere.  Prints the layout before and after as a table, the kernel's
# own lines, and checks the data path through the moved BARs.  Exits
# non-zero if anything is off.  The guest's root port -> switch chain is
# the guest harness's (switch_args in tests/e2e/lib.sh); the transcript also
# goes to build/demo.log.
#
# usage: scripts/demo.sh   (as root on Debian 12; make demo runs it)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
t0=$SECONDS
mkdir -p build
exec > >(tee build/demo.log) 2>&1

step() {
	printf '\n== %s\n' "$*"
}

step "packages, tools, module and guest initramfs (Debian 12's 6.1 kernel)"
scripts/install-deps.sh base e2e
tb=$SECONDS
make -s tools e2e-host
tests/e2e/build.sh 6.1 build/e2e
echo "built in $((SECONDS - tb)) s"

# From here on every check runs and the TAP result decides.
set +e

# The guest part reuses the end-to-end harness: one guest, results over a
# second serial port, TAP checks.
export E2E_KERNEL=6.1 E2E_BUILD=$top/build/e2e
export FIXEDBAR_PLAN=$top/build/rel/fixedbar-plan
# shellcheck source=tests/e2e/lib.sh
. tests/e2e/lib.sh

gpu0=0000:00:10.0/00.0/00.0/00.0
gpu1=0000:00:10.0/00.0/01.0/00.0
nic=0000:00:10.0/00.0/02.0/00.0
entries=(
	"$gpu0=bar2@0x8000000000"
	"$gpu1=bar2@0x8100000000"
)

shm1=$work/gpu0.shm
truncate -s 1G "$shm1"
printf '%s' "host-pattern-gpu0" | dd of="$shm1" conv=notrunc status=none
acpi_tables=("$(ssdt fixedbar "${entries[@]}")")
mapfile -t sw < <(switch_args 3)
# shellcheck disable=SC2054 # QEMU options are comma lists
qemu_devs=(
	-object "memory-backend-file,id=m1,share=on,mem-path=$shm1,size=1G"
	-drive "if=none,id=d1,format=raw,file=$(disk nvme "$nvme_pattern")"
	"${sw[@]}"
	-device ivshmem-plain,memdev=m1,bus=dp0
	-device pci-testdev,membar=0x100000000,bus=dp1
	-device nvme,drive=d1,serial=demo1,bus=dp2
)

step "guest: q35, root port -> switch -> GPU0 (1 GiB BAR), GPU1 (4 GiB BAR), nvme"
echo "fixed BARs (an SSDT PRP0001 \"linux,pci-fixedbar\" node, docs/binding.md):"
printf '   %s\n' "${entries[@]}"
echo "QEMU devices (besides -M q35 and the boot options of tests/e2e/lib.sh):"
printf '   %s %s\n' "${qemu_devs[@]}" | sed "s|$work/|WORK/|g"
guest_script <<EOF_GUEST
capture before
load demo
capture after
bars after $gpu0 $gpu1
fbcheck after
fbtable after
drv nvme
driver $nic >/res/drivers
nvme_read after
ivshmem after $gpu0
EOF_GUEST
tg=$SECONDS
boot >"$work/tap.txt"
echo "guest ran $((SECONDS - tg)) s (TCG)"

# the rows below the root port: what the switch and its devices hold
rows() {
	grep -E '^ *0000:00:10\.0' | grep -v 'window.io ' || true
}

step "layout before (firmware) -> planned, from the guest's captured topology"
jq '.fixed = $ARGS.positional' "$res/before.topo.json" --args "${entries[@]}" \
	>"$work/before.fixed.json" 2>/dev/null || true
"$FIXEDBAR_PLAN" -t "$work/before.fixed.json" | rows
echo "(columns: device path, [vendor:device], resource, before -> after)"
svg=$top/build/demo-layout.svg
if "$FIXEDBAR_PLAN" --svg "$svg" "$work/before.fixed.json" >/dev/null; then
	echo "the address map before and after as a picture: $svg"
else
	echo "demo: no picture of the address map"
fi

step "the guest's kernel log while pci_fixedbar loads"
grep -E 'pci_fixedbar: 0000|moved to|released' "$res/demo.dmesg" | sed 's/^/   /' || true

step "layout after, captured from the guest's sysfs and planned again (nothing should move)"
jq '.fixed = $ARGS.positional' "$res/after.topo.json" --args "${entries[@]}" \
	>"$work/after.fixed.json" 2>/dev/null || true
"$FIXEDBAR_PLAN" -t "$work/after.fixed.json" | tail -1

step "fixedbar-check in the guest: each fixed BAR against its descriptor (the SSDT)"
sed '/^$/d; s/^/   /' "$res/after.check.txt" 2>/dev/null || echo "   (no output)"

step "checks"
{
	check_load demo 2
	check_fixed after "${entries[@]}"
	check_layout after "${entries[@]}"
	check_fbcheck after 0 ok "${entries[@]}"
	check_replay demo
	is "$(rfile drivers)" nvme "nvme binds after the move"
	is "$(rfile after.nvme)" "$nvme_pattern" "nvme reads its disk through its new BAR"
	is "$(rfile after.ivshmem)" "host-pattern-gpu0" "GPU0 (ivshmem): the guest reads the host's pattern at 512 GiB"
	is "$(dd if="$shm1" bs=1 skip=4096 count=64 status=none | tr -d '\0')" "guest-after" \
		"GPU0 (ivshmem): the host reads what the guest wrote"
} >>"$work/tap.txt"
sed -e 's/^/   /' "$work/tap.txt"
rm -f "$shm1"

if grep -q '^not ok' "$work/tap.txt" || ! grep -q '^ok' "$work/tap.txt"; then
	step "demo: FAILED (logs in $work)"
	exit 1
fi
step "demo: ok ($((SECONDS - t0)) s; logs in $work, this transcript in build/demo.log)"
