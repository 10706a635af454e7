# SPDX-License-Identifier: GPL-2.0
#
# The kernel module, built by kbuild through the top-level Kbuild file.
#
#   make module [KERNELDIR=<headers>] [KERNELRELEASE=<release>]
#   make module-check    builds against Debian 12's 6.1 and 6.12 headers,
#                        fetched by scripts/fetch-kernel.sh, with W=1 and
#                        warnings as errors

KERNELRELEASE ?= $(shell uname -r)
KERNELDIR ?= /lib/modules/$(KERNELRELEASE)/build
MODULE_KBUILD_FLAGS := W=1 KCFLAGS=-Werror

.PHONY: module module-clean module-check

module:
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) $(MODULE_KBUILD_FLAGS) modules

module-clean:
	$(MAKE) -C $(KERNELDIR) M=$(CURDIR) clean

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
	done
