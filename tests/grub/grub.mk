# SPDX-License-Identifier: GPL-2.0
#
# The kernel command line through GRUB (tests/grub/grub.t): fixedbar-host
# -f grub, Debian's grub-mkconfig in a test root, GRUB booting the 6.1
# kernel under QEMU.  Included by the top-level Makefile.
#
#   make check-grub

.PHONY: check-grub

check-grub: e2e-prep $(BUILD)/rel/fixedbar-host
	scripts/install-deps.sh grub
	E2E_BUILD=$(abspath $(E2E_DIR)) \
		FIXEDBAR_HOST=$(abspath $(BUILD)/rel/fixedbar-host) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove --timer --exec bash tests/grub/grub.t

CHECK_TARGETS += check-grub
