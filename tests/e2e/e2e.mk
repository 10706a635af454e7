# SPDX-License-Identifier: GPL-2.0
#
# End-to-end tests: pci_fixedbar.ko in real x86_64 guests under QEMU (TCG),
# booting Debian's own kernels.  Included by the top-level Makefile.
#
#   make check-e2e                 every scenario (tests/e2e/*.t) on the
#                                  guests its "# e2e-guests:" line names
#                                  (tests/e2e/matrix.sh; default: every
#                                  kernel of GUEST_KERNELS, SeaBIOS)
#   make check-e2e GUEST_KERNELS=7.2   only the guests of those kernels
#   make check-e2e E2E_FIRMWARE=ovmf   every guest on OVMF
#   E2E_KERNEL=6.12 E2E_FIRMWARE=ovmf prove tests/e2e/main.t
#                                  one guest by hand, after make e2e-prep
#
# GUEST_KERNELS: 6.1 and 6.12 (Debian 12), 7.2 (sid, in a debootstrap
# chroot: scripts/fetch-sid-kernel.sh), -cloud for the cloud-amd64
# flavour.  Guests run two at a time (one TCG vCPU each); E2E_JOBS
# overrides.

E2E_DIR := $(BUILD)/e2e
GUEST_KERNELS ?= 6.1 6.12 7.2 6.1-cloud 7.2-cloud
E2E_JOBS ?= $(shell nproc)
E2E_STATIC = $(call pkg-config-lazy,E2E_JANSSON_LIBDIR,--variable=libdir jansson)/libjansson.a

# Run inside the guest: static, so the initramfs needs no libc.
$(E2E_DIR)/guest/fixedbar-plan: $(PLAN_TOOL_SRCS) $(PLANNER_SRCS) $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) -O2 -static $(TOOL_CFLAGS) \
		$(JANSSON_CFLAGS) -o $@ $(PLAN_TOOL_SRCS) $(PLANNER_SRCS) \
		$(E2E_STATIC)
# fixedbar-check against a static libpci built from Debian's pciutils
# source (tests/e2e/libpci.sh).
E2E_LIBPCI := $(E2E_DIR)/guest/libpci-x86_64
$(E2E_LIBPCI)/lib/libpci.a: tests/e2e/libpci.sh
	tests/e2e/libpci.sh x86_64 $(E2E_LIBPCI)
$(E2E_DIR)/guest/fixedbar-check: $(CHECK_TOOL_SRCS) $(PLANNER_SRCS) $(TOOL_HDRS) \
		$(E2E_LIBPCI)/lib/libpci.a
	@mkdir -p $(dir $@)
	$(CC) -O2 -static $(TOOL_CFLAGS) -I$(E2E_LIBPCI)/include \
		$(JANSSON_CFLAGS) -o $@ $(CHECK_TOOL_SRCS) $(PLANNER_SRCS) \
		$(E2E_LIBPCI)/lib/libpci.a $(E2E_STATIC)
$(E2E_DIR)/guest/mm: tests/e2e/mm.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static $(TOOL_CFLAGS) -o $@ $<
$(E2E_DIR)/guest/finsmod: tests/e2e/finsmod.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -static $(TOOL_CFLAGS) -o $@ $<

# Host side: checks a captured layout with the planner's own validator.
$(E2E_DIR)/layout-check: tests/e2e/layout-check.c $(BUILD)/rel/tools/json_topo.o \
		$(BUILD)/rel/libfixedbar.a $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TOOL_CFLAGS) $(JANSSON_CFLAGS) -o $@ $< \
		$(BUILD)/rel/tools/json_topo.o $(BUILD)/rel/libfixedbar.a \
		$(JANSSON_LIBS)

E2E_HOST := $(E2E_DIR)/guest/fixedbar-plan $(E2E_DIR)/guest/mm \
	$(E2E_DIR)/guest/finsmod \
	$(E2E_DIR)/guest/fixedbar-check \
	$(E2E_DIR)/layout-check $(BUILD)/rel/fixedbar-plan $(BUILD)/rel/fixedbar-host

.PHONY: check-e2e e2e-prep e2e-host

# the host tools and the guests' static binaries (make demo needs them too)
e2e-host: $(E2E_HOST)

# The module and the initramfs for each kernel; always rebuilt (kbuild and
# cpio are quick, and the sources may have changed).
e2e-prep: $(E2E_HOST)
	scripts/install-deps.sh e2e $(if $(filter 7.%,$(GUEST_KERNELS)),sid)
	set -e; for k in $(GUEST_KERNELS); do tests/e2e/build.sh $$k $(E2E_DIR); done

check-e2e: e2e-prep
	E2E_BUILD=$(abspath $(E2E_DIR)) FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
		prove -j$(E2E_JOBS) --timer --exec bash \
		$$(tests/e2e/matrix.sh $(E2E_DIR)/matrix "$(GUEST_KERNELS)" tests/e2e/*.t)

CHECK_TARGETS += check-e2e
