# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall (DESTDIR-aware; included by the top-level
# Makefile):
#   $(BINDIR)/fixedbar-plan, its man page
#   $(BINDIR)/fixedbar-host, its man page
#   $(BINDIR)/fixedbar-check, its man page, fixedbar-check.service in
#   $(SYSTEMD_UNITDIR) (not enabled: systemctl enable fixedbar-check)
#   the dracut module pci-fixedbar and the initramfs-tools hook
#   a modprobe.d example in $(DOCDIR)
#   the sources for DKMS in /usr/src/pci_fixedbar-$(FIXEDBAR_VERSION)
#   pci_fixedbar.ko for $(KERNELRELEASE): with dkms installed, dkms
#   builds and installs it (updates/dkms/) for every kernel; without,
#   kbuild for $(KERNELRELEASE) into updates/, then depmod, when that
#   kernel's headers are installed.  Either way one copy: each path removes
#   the other's.
#
# make uninstall undoes all of it, the DKMS registration included.  Debian
# and its derivatives: the packages of debian/ instead (README).
#
#   make install DESTDIR=/tmp/stage KERNELRELEASE=6.1.0-56-amd64

PREFIX ?= /usr
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/pci_fixedbar
DRACUT_MODDIR ?= $(PREFIX)/lib/dracut/modules.d/90pci-fixedbar
ITOOLS_DIR ?= $(PREFIX)/share/initramfs-tools
MODULES_DIR ?= /lib/modules
SYSTEMD_UNITDIR ?= /lib/systemd/system
DKMS_SRC := /usr/src/pci_fixedbar-$(FIXEDBAR_VERSION)
DEPMOD ?= $(shell PATH=$$PATH:/sbin:/usr/sbin command -v depmod)
DKMS ?= $(shell PATH=$$PATH:/sbin:/usr/sbin command -v dkms)
DKMS_ID := pci_fixedbar/$(FIXEDBAR_VERSION)
# dkms only acts on the live system, never into a DESTDIR
USE_DKMS = $(if $(DESTDIR),,$(DKMS))

# depmod for the live system; into a DESTDIR only when it holds that
# kernel's whole module tree (a package's postinst runs depmod otherwise)
DEPMOD_CMD = if [ -z "$(DESTDIR)" ]; then $(DEPMOD) $(KERNELRELEASE); \
	elif [ -f $(DESTDIR)$(MODULES_DIR)/$(KERNELRELEASE)/modules.order ]; then \
	$(DEPMOD) -b $(DESTDIR) $(KERNELRELEASE); \
	else echo "install: depmod skipped in DESTDIR (run depmod $(KERNELRELEASE) on the target)"; fi

.PHONY: install uninstall install-files install-module install-dkms-source \
	install-unit

install: install-files install-dkms-source install-module

# fixedbar-check.service, ExecStart in $(BINDIR)
install-unit:
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	sed 's|@BINDIR@|$(BINDIR)|' systemd/fixedbar-check.service.in \
		>$(DESTDIR)$(SYSTEMD_UNITDIR)/fixedbar-check.service

install-files: install-unit $(BUILD)/rel/fixedbar-plan $(BUILD)/rel/fixedbar-host \
		$(BUILD)/rel/fixedbar-check
	install -D -m 755 $(BUILD)/rel/fixedbar-plan $(DESTDIR)$(BINDIR)/fixedbar-plan
	install -D -m 644 docs/fixedbar-plan.1 $(DESTDIR)$(MANDIR)/man1/fixedbar-plan.1
	install -D -m 755 $(BUILD)/rel/fixedbar-host $(DESTDIR)$(BINDIR)/fixedbar-host
	install -D -m 644 docs/fixedbar-host.1 $(DESTDIR)$(MANDIR)/man1/fixedbar-host.1
	install -D -m 755 $(BUILD)/rel/fixedbar-check $(DESTDIR)$(BINDIR)/fixedbar-check
	install -D -m 644 docs/fixedbar-check.1 $(DESTDIR)$(MANDIR)/man1/fixedbar-check.1
	install -D -m 755 dracut/90pci-fixedbar/module-setup.sh \
		$(DESTDIR)$(DRACUT_MODDIR)/module-setup.sh
	install -D -m 755 dracut/90pci-fixedbar/fixedbar-off.sh \
		$(DESTDIR)$(DRACUT_MODDIR)/fixedbar-off.sh
	install -D -m 755 initramfs-tools/hooks/pci_fixedbar \
		$(DESTDIR)$(ITOOLS_DIR)/hooks/pci_fixedbar
	install -D -m 755 initramfs-tools/scripts/init-top/pci_fixedbar \
		$(DESTDIR)$(ITOOLS_DIR)/scripts/init-top/pci_fixedbar
	install -D -m 644 dracut/pci_fixedbar.conf.example \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d/pci_fixedbar.conf

install-dkms-source:
	install -d $(DESTDIR)$(DKMS_SRC)/module $(DESTDIR)$(DKMS_SRC)/planner
	install -m 644 Kbuild VERSION LICENSE $(DESTDIR)$(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(FIXEDBAR_VERSION)/' dkms.conf >$(DESTDIR)$(DKMS_SRC)/dkms.conf
	install -m 644 module/*.[ch] $(DESTDIR)$(DKMS_SRC)/module/
	install -m 644 planner/*.[ch] $(DESTDIR)$(DKMS_SRC)/planner/

KMOD_PLAIN = $(DESTDIR)$(MODULES_DIR)/$(KERNELRELEASE)/updates/pci_fixedbar.ko

# dkms: registered and installed for every kernel with headers, and the
# kbuild copy of an earlier make install removed.  Without dkms: kbuild,
# only with the headers of the target kernel.
install-module: install-dkms-source
ifneq ($(USE_DKMS),)
	rm -f $(KMOD_PLAIN)
	$(DKMS) status $(DKMS_ID) | grep -q . || $(DKMS) add $(DKMS_ID)
	@if [ -d "$(KERNELDIR)" ]; then $(DKMS) install $(DKMS_ID) -k $(KERNELRELEASE); \
	else echo "install: no headers in $(KERNELDIR); dkms builds the module when they are installed"; fi
	@$(DKMS) status $(DKMS_ID)
else
	@if [ -d "$(KERNELDIR)" ]; then \
		$(MAKE) -C $(KERNELDIR) M=$(CURDIR) modules && \
		install -D -m 644 pci_fixedbar.ko $(KMOD_PLAIN) && \
		$(DEPMOD_CMD); \
	else \
		echo "install: no headers in $(KERNELDIR); module not installed (dkms install $(DKMS_ID))"; \
	fi
endif

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fixedbar-plan \
		$(DESTDIR)$(MANDIR)/man1/fixedbar-plan.1 \
		$(DESTDIR)$(BINDIR)/fixedbar-host \
		$(DESTDIR)$(MANDIR)/man1/fixedbar-host.1 \
		$(DESTDIR)$(BINDIR)/fixedbar-check \
		$(DESTDIR)$(MANDIR)/man1/fixedbar-check.1 \
		$(DESTDIR)$(SYSTEMD_UNITDIR)/fixedbar-check.service \
		$(DESTDIR)$(DRACUT_MODDIR)/module-setup.sh \
		$(DESTDIR)$(DRACUT_MODDIR)/fixedbar-off.sh \
		$(DESTDIR)$(ITOOLS_DIR)/hooks/pci_fixedbar \
		$(DESTDIR)$(ITOOLS_DIR)/scripts/init-top/pci_fixedbar \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d/pci_fixedbar.conf
	-rmdir $(DESTDIR)$(DRACUT_MODDIR) $(DESTDIR)$(DOCDIR)/examples/modprobe.d \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null
ifneq ($(USE_DKMS),)
	if $(DKMS) status $(DKMS_ID) | grep -q .; then $(DKMS) remove $(DKMS_ID) --all; fi
endif
	rm -rf $(DESTDIR)$(DKMS_SRC)
	@if [ -f $(KMOD_PLAIN) ]; then rm -f $(KMOD_PLAIN) && $(DEPMOD_CMD); fi

-include tests/boot/boot.mk
