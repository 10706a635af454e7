# SPDX-License-Identifier: GPL-2.0
#
# The kernel module, built by kbuild through the top-level Kbuild file.
#
#   make module [KERNELDIR=<headers>] [KERNELRELEASE=<release>]
#   make module-check    builds against Debian 12's 6.1 and 6.12 headers,
#                        fetched by scripts/fetch-kernel.sh, with W=1 and
#                        warnings as errors
#   make module ARCH=arm64   cross build (CROSS_COMPILE defaults to
#                        aarch64-linux-gnu-); without KERNELDIR, against
#                        Debian 12's arm64 6.1 headers (fetch-kernel.sh)
#   make module-arm64    like module-check, for arm64

MODULE_ARM64_SERIES ?= 6.1
ifeq ($(ARCH),arm64)
CROSS_COMPILE ?= aarch64-linux-gnu-
MODULE_CROSS_FLAGS := ARCH=arm64 CROSS_COMPILE=$(CROSS_COMPILE)
ifeq ($(origin KERNELDIR)$(shell uname -m),undefinedx86_64)
KERNELDIR = $(shell scripts/fetch-kernel.sh $(MODULE_ARM64_SERIES) arm64 | \
	sed -n 's/^KERNELDIR=//p')
endif
endif

KERNELRELEASE ?= $(shell uname -r)
KERNELDIR ?= /lib/modules/$(KERNELRELEASE)/build
MODULE_KBUILD_FLAGS := W=1 KCFLAGS=-Werror $(MODULE_CROSS_FLAGS)

.PHONY: module module-clean module-check module-arm64

module:
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) $(MODULE_KBUILD_FLAGS) modules

module-clean:
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) $(MODULE_CROSS_FLAGS) clean

# Each kernel builds in its own copy of the sources, so the two builds do
# not share objects.
module-check:
	@set -e; for k in 6.1 6.12; do \
		eval "$$(scripts/fetch-kernel.sh $$k amd64)"; \
		out=$(abspath $(BUILD))/module/$$k; rm -rf $$out; mkdir -p $$out; \
		cp -r Kbuild module planner $$out/; \
		echo "module-check: $$KERNELRELEASE"; \
		$(MAKE) -C $$KERNELDIR M=$$out $(MODULE_KBUILD_FLAGS) \
			modules; \
		ls -l $$out/pci_fixedbar.ko; \
		if modinfo -F parm $$out/pci_fixedbar.ko | grep -i fault; then \
			echo "module-check: a test hook in a shipped build"; \
			exit 1; \
		fi; \
	done

# The arm64 module, cross-built with the host's own kbuild tools (the
# amd64 linux-kbuild package of the same series) and aarch64-linux-gnu-gcc.
module-arm64:
	scripts/install-deps.sh arm64
	@set -e; for k in 6.1 6.12; do \
		eval "$$(scripts/fetch-kernel.sh $$k arm64)"; \
		out=$(abspath $(BUILD))/module-arm64/$$k; rm -rf $$out; \
		mkdir -p $$out; cp -r Kbuild module planner $$out/; \
		echo "module-arm64: $$KERNELRELEASE"; \
		$(MAKE) -C $$KERNELDIR M=$$out W=1 KCFLAGS=-Werror ARCH=arm64 \
			CROSS_COMPILE=aarch64-linux-gnu- modules; \
		file $$out/pci_fixedbar.ko | grep -q 'ARM aarch64'; \
		ls -l $$out/pci_fixedbar.ko; \
	done
