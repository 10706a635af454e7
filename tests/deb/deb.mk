# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages (debian/), included by the top-level Makefile.
#
#   make deb          pci-fixedbar-dkms_<v>_all.deb and
#                     pci-fixedbar-tools_<v>_<arch>.deb in build/deb/, built
#                     by dpkg-buildpackage -us -uc from a copy of the tree
#                     (its tracked and untracked, not ignored, files);
#                     nocheck, since make check runs the unit tests
#   make check-deb    make deb, lintian (no errors), the version agrees
#                     everywhere, then tests/deb/*.t: both packages into
#                     a bookworm chroot (tests/deb/chroot.sh), DKMS builds
#                     for its 6.1 kernel, the initramfs boots under QEMU

DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/pci-fixedbar-$(FIXEDBAR_VERSION)
DEB_ARCH = $(shell dpkg --print-architecture)
DEB_CHANGES = $(DEB_DIR)/pci-fixedbar_$(FIXEDBAR_VERSION)_$(DEB_ARCH).changes

.PHONY: deb deb-deps check-deb

deb-deps:
	scripts/install-deps.sh deb

# debian/changelog's version is VERSION's (a native package)
deb: deb-deps
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(FIXEDBAR_VERSION)" ] || \
		{ echo "deb: debian/changelog says $$v, VERSION $(FIXEDBAR_VERSION)"; exit 1; }
	rm -rf $(DEB_DIR)/pci-fixedbar* $(DEB_DIR)/src
	mkdir -p $(DEB_SRC)
	git ls-files -co --exclude-standard -z | \
		tar -c --null -T - -f - | tar -x -C $(DEB_SRC)
	cd $(DEB_SRC) && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc \
		>../build.log 2>&1 || \
		{ tail -40 ../build.log; exit 1; }
	@ls -1 $(DEB_DIR)/*.deb

check-deb: deb e2e-prep
	lintian --fail-on error --info $(DEB_CHANGES) >$(DEB_DIR)/lintian.log; \
		rc=$$?; cat $(DEB_DIR)/lintian.log; exit $$rc
	E2E_BUILD=$(abspath $(E2E_DIR)) DEB_BUILD=$(abspath $(DEB_DIR)) \
		prove --timer --exec bash tests/deb/*.t

CHECK_TARGETS += check-deb
