# SPDX-License-Identifier: GPL-2.0
#
# Real vfio-pci without hardware (tests/vfio): a nested TCG guest whose
# emulated devices are passed through to an inner guest with vfio-pci and
# fixedbar-host's options.  Its own target: nested TCG takes minutes.
# Included by the top-level Makefile after tests/e2e/e2e.mk; make check
# (and so .ci/run) runs it.
#
#   make check-vfio
#   make check-vfio VFIO_KERNEL=6.12   both levels on 6.12 (default 6.1)

.PHONY: check-vfio

VFIO_KERNEL ?= 6.1

check-vfio: $(E2E_HOST)
	scripts/install-deps.sh e2e
	tests/e2e/build.sh $(VFIO_KERNEL) $(E2E_DIR)
	E2E_BUILD=$(abspath $(E2E_DIR)) E2E_KERNEL=$(VFIO_KERNEL) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		FIXEDBAR_HOST=$(abspath $(BUILD)/rel/fixedbar-host) \
		prove --timer --exec bash tests/vfio/vfio.t

CHECK_TARGETS += check-vfio
