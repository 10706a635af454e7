# SPDX-License-Identifier: GPL-2.0
#
# arm64 end-to-end tests: pci_fixedbar.ko cross-built for Debian 12's arm64
# 6.1 and 6.12 kernels and loaded in qemu-system-aarch64 -M virt guests
# (TCG), descriptors from a device tree or, through UEFI, from ACPI.
# Included by the top-level Makefile, after tests/e2e/e2e.mk.
#
#   make check-arm64               every scenario (tests/arm64/*.t)
#   A64_FW=acpi prove -v --exec bash tests/arm64/bad-input.t
#                                  one scenario by hand, after make
#                                  arm64-prep (see tests/arm64/README.md)

ARM64_DIR := $(BUILD)/arm64
ARM64_JOBS ?= $(shell nproc)

.PHONY: check-arm64 arm64-prep

# Host side tools are the x86 suite's (layout-check, fixedbar-plan).
arm64-prep: $(BUILD)/e2e/layout-check $(BUILD)/rel/fixedbar-plan
	scripts/install-deps.sh e2e arm64
	tests/arm64/build.sh 6.1 $(ARM64_DIR)
	tests/arm64/build.sh 6.12 $(ARM64_DIR)

check-arm64: arm64-prep
	E2E_BUILD=$(abspath $(ARM64_DIR)) \
		E2E_VALIDATOR=$(abspath $(BUILD)/e2e/layout-check) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove -j$(ARM64_JOBS) --timer --exec bash tests/arm64/*.t

CHECK_TARGETS += check-arm64
