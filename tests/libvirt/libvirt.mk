# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-host -f libvirt with Debian 12's libvirtd (tests/libvirt): the
# domain XML it prints passes libvirt's schema, and a TCG guest defined
# and started from it by virsh (host devices replaced by ivshmem stand-ins
# at the same guest addresses) has every fixed BAR at its host address,
# with Debian's QEMU (descriptors from -acpitable) and with the patched
# QEMU (fixed-bars through <qemu:override>).  Included by the top-level
# Makefile, after tests/e2e/e2e.mk.  Starts libvirtd and virtlogd when
# nothing runs them, and stops what it started.
#
#   make check-libvirt

.PHONY: check-libvirt libvirt-deps

libvirt-deps:
	scripts/install-deps.sh libvirt

LIBVIRT_ENV = E2E_BUILD=$(abspath $(E2E_DIR)) \
	FIXEDBAR_PLAN=$(abspath $(BUILD)/rel/fixedbar-plan) \
	FIXEDBAR_HOST=$(abspath $(BUILD)/rel/fixedbar-host)

check-libvirt: libvirt-deps e2e-prep $(BUILD)/rel/fixedbar-host
	$(LIBVIRT_ENV) prove --timer --exec bash tests/libvirt/libvirt.t
	@bindir=$$(scripts/build-qemu.sh | sed -n 's/^QEMU_BINDIR=//p') && \
	[ -n "$$bindir" ] && \
	$(LIBVIRT_ENV) E2E_RUN_SUFFIX=-patched LIBVIRT_PATCHED=1 \
		LIBVIRT_EMULATOR=$$bindir/qemu-system-x86_64 \
		prove --timer --exec bash tests/libvirt/libvirt.t

CHECK_TARGETS += check-libvirt
