# SPDX-License-Identifier: GPL-2.0
#
# Boot tests: pci_fixedbar from initramfs images that dracut and
# initramfs-tools' mkinitramfs build, booted under QEMU (tests/boot/*.t).
# Included by install.mk.
#
#   make check-boot     builds the images (dracut without and with systemd,
#                       mkinitramfs) for Debian's 6.1 guest kernel
#                       (tests/boot/build.sh) and boots them
#   make boot-prep && prove -v --exec bash tests/boot/dracut.t

BOOT_DIR := $(BUILD)/boot

.PHONY: boot-prep check-boot

boot-prep: e2e-prep
	scripts/install-deps.sh boot
	tests/boot/build.sh $(E2E_DIR) $(BOOT_DIR)

check-boot: boot-prep
	E2E_BUILD=$(abspath $(E2E_DIR)) BOOT_BUILD=$(abspath $(BOOT_DIR)) \
		FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove -j$(E2E_JOBS) --timer --exec bash tests/boot/*.t

CHECK_TARGETS += check-boot
