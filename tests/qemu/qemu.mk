# SPDX-License-Identifier: GPL-2.0
#
# The QEMU series (qemu-minimal-patches/) end to end: scripts/build-qemu.sh
# builds Debian 12's QEMU 7.2 with it once per series (cached under
# /var/cache/pci_fixedbar/qemu/<hash>), then the guests of tests/qemu/*.t
# run on it with the descriptors coming only from -device ...,fixed-bars=
# (q35 ACPI, virt device tree, virt ACPI through UEFI), plus the checks that
# need no guest (bad input refused, tables unchanged without the property).
# Included by the top-level Makefile, after tests/e2e/e2e.mk and
# tests/arm64/arm64.mk.
#
# series.t checks the series itself (checkpatch.pl, Signed-off-by, the
# line budget) and qtest.t runs its qtest, built in the same cached tree.
#
#   make check-qemu
#   make check-qemu-sid      the same on the rebased copy for Debian sid's
#                            QEMU (qemu-minimal-patches/sid/, own cache);
#                            not part of make check: see the README there
#   QEMU_BINDIR=... prove -v --exec bash tests/qemu/refuse.t   one case

QEMU_JOBS ?= $(shell nproc)

.PHONY: check-qemu check-qemu-sid qemu-build qemu-build-sid

qemu-build:
	scripts/build-qemu.sh

qemu-build-sid:
	QEMU_SERIES=sid scripts/build-qemu.sh

check-qemu: QEMU_SERIES = 7.2
check-qemu-sid: QEMU_SERIES = sid
check-qemu check-qemu-sid: e2e-prep arm64-prep
	@bindir=$$(QEMU_SERIES=$(QEMU_SERIES) scripts/build-qemu.sh | sed -n 's/^QEMU_BINDIR=//p') && \
	[ -n "$$bindir" ] && \
	QEMU_SERIES=$(QEMU_SERIES) QEMU_BINDIR=$$bindir QEMU_E2E_BUILD=$(abspath $(E2E_DIR)) \
		QEMU_A64_BUILD=$(abspath $(ARM64_DIR)) \
		E2E_VALIDATOR=$(abspath $(BUILD)/e2e/layout-check) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove -j$(QEMU_JOBS) --timer --exec bash tests/qemu/*.t

CHECK_TARGETS += check-qemu
