# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by tests/qemu/*.t, sourced before tests/e2e/lib.sh or
# tests/arm64/lib.sh: points them at the QEMU built with the
# qemu-minimal-patches series, so the descriptors come from
# -device ...,fixed-bars=... alone (no SSDT, no edited DTB, no map=).
#
#   QEMU_BINDIR      the patched qemu-system-* (default: what
#                    scripts/build-qemu.sh prints, which builds it once)
#   QEMU_SERIES      7.2 (default) or sid: which series QEMU_BINDIR holds
#                    (the sid runs keep their own run directories)
#   QEMU_E2E_BUILD   what make e2e-prep built (x86 cases)
#   QEMU_A64_BUILD   what make arm64-prep built (arm64 cases)

qemu_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ -z ${QEMU_BINDIR:-} ]]; then
	QEMU_BINDIR=$("$qemu_top/scripts/build-qemu.sh" | sed -n 's/^QEMU_BINDIR=//p')
fi
for q in qemu-system-x86_64 qemu-system-aarch64; do
	if [[ ! -x ${QEMU_BINDIR:-}/$q ]]; then
		echo "Bail out! no patched $q in '${QEMU_BINDIR:-}': run scripts/build-qemu.sh"
		exit 1
	fi
done
# read by tests/e2e/lib.sh and tests/arm64/lib.sh
# shellcheck disable=SC2034
{
	E2E_QEMU=$QEMU_BINDIR/qemu-system-x86_64
	A64_QEMU=$QEMU_BINDIR/qemu-system-aarch64
	case ${qemu_arch:-} in
	amd64) E2E_BUILD=${QEMU_E2E_BUILD:-${E2E_BUILD:-}} ;;
	arm64) E2E_BUILD=${QEMU_A64_BUILD:-${E2E_BUILD:-}} ;;
	esac
	[[ -n $E2E_BUILD ]] || unset E2E_BUILD
	[[ ${QEMU_SERIES:-7.2} == 7.2 ]] || E2E_RUN_SUFFIX=${E2E_RUN_SUFFIX:-}-qemu-$QEMU_SERIES
}

# guest_modules NAME...: kernel drivers with their dependencies, deepest
# first, into the case's initramfs with lib/modules/NAME.order for the
# guest's drv (tests/e2e/build.sh does this for the x86 base image)
guest_modules() {
	local m line moddir deps files f d b

	# shellcheck disable=SC2153 # MODDIR comes from fetch-kernel.sh
	moddir=$(eval "$("$qemu_top/scripts/fetch-kernel.sh" "$E2E_KERNEL" "$qemu_arch")" &&
		echo "$MODDIR")
	# shellcheck disable=SC2154 # set by tests/e2e/lib.sh
	mkdir -p "$work/initrd/lib/modules"
	for m in "$@"; do
		: >"$work/initrd/lib/modules/$m.order"
		line=$(grep -E "^[^:]*/$m\.ko(\.xz)?:" "$moddir/modules.dep") || continue
		read -r -a deps <<<"${line#*:}"
		files=("${line%%:*}")
		for d in "${deps[@]}"; do
			files=("$d" "${files[@]}")
		done
		for f in "${files[@]}"; do
			b=$(basename "$f" .xz)
			case $f in
			*.xz) xz -dc "$moddir/$f" >"$work/initrd/lib/modules/$b" ;;
			*) cp "$moddir/$f" "$work/initrd/lib/modules/$b" ;;
			esac
			echo "$b" >>"$work/initrd/lib/modules/$m.order"
		done
	done
}
