#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test-only dracut module fixedbar-e2e: tests/boot/collect.sh as a
# pre-mount hook (after udev coldplug and the wait for root=), with a
# static busybox, tests/e2e/guest.sh and the static guest tools of
# make e2e-prep (FIXEDBAR_E2E_BIN) in /e2e.

# called by dracut
check() {
	# only when asked for by name
	return 255
}

# called by dracut
depends() {
	echo pci-fixedbar
	return 0
}

# called by dracut
install() {
	local top=${FIXEDBAR_E2E_COLLECT%/tests/boot/collect.sh}

	inst_simple /bin/busybox /e2e/busybox
	inst_simple "$FIXEDBAR_E2E_COLLECT" /e2e/collect.sh
	inst_simple "$top/tests/e2e/guest.sh" /e2e/guest.sh
	inst_simple "$FIXEDBAR_E2E_BIN/fixedbar-plan" /e2e/fixedbar-plan
	inst_simple "$FIXEDBAR_E2E_BIN/mm" /e2e/mm
	inst_hook pre-mount 99 "${moddir:?}/run.sh"
}
