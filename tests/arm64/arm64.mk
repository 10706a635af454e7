# SPDX-License-Identifier: GPL-2.0
#
# arm64 end-to-end tests: pci_fixedbar.ko cross-built for the arm64 kernels
# of GUEST_KERNELS (Debian 12's 6.1 and 6.12, sid's 7.2; the -cloud
# flavours are amd64 only) and loaded in qemu-system-aarch64 -M virt
# guests (TCG), descriptors from a device tree or, through UEFI, from ACPI.
# Included by the top-level Makefile, after tests/e2e/e2e.mk, whose guest
# matrix it shares (tests/e2e/matrix.sh): each scenario runs on the guests
# its "# e2e-guests:" line names, firmware dt (the default) or acpi.
#
#   make check-arm64               every scenario on its guests
#   make check-arm64 GUEST_KERNELS=7.2    only the 7.2 guests
#   make check-arm64 A64_FW=acpi   every guest through UEFI and ACPI
#   E2E_KERNEL=6.12 A64_FW=acpi prove -v --exec bash tests/arm64/bad-input.t
#                                  one guest by hand, after make
#                                  arm64-prep (see tests/arm64/README.md)

ARM64_DIR := $(BUILD)/arm64
ARM64_JOBS ?= $(shell nproc)
ARM64_KERNELS := $(filter-out %-cloud,$(GUEST_KERNELS))

.PHONY: check-arm64 arm64-prep

# Host side tools are the x86 suite's (layout-check, fixedbar-plan).
arm64-prep: $(BUILD)/e2e/layout-check $(BUILD)/rel/fixedbar-plan
	scripts/install-deps.sh e2e arm64 $(if $(filter 7.%,$(ARM64_KERNELS)),sid)
	set -e; for k in $(ARM64_KERNELS); do tests/arm64/build.sh $$k $(ARM64_DIR); done

check-arm64: arm64-prep
	E2E_BUILD=$(abspath $(ARM64_DIR)) \
		E2E_VALIDATOR=$(abspath $(BUILD)/e2e/layout-check) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove -j$(ARM64_JOBS) --timer --exec bash \
		$$(E2E_FIRMWARE=$(A64_FW) E2E_MATRIX_FW=dt tests/e2e/matrix.sh \
			$(ARM64_DIR)/matrix "$(ARM64_KERNELS)" tests/arm64/*.t)

CHECK_TARGETS += check-arm64
