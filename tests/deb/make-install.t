#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall on a system with dkms (the bookworm
# chroot of tests/deb/chroot.sh, without pkg-config or the -dev packages):
# the Makefile reads without a word of noise, install-module registers the
# sources with DKMS, which builds for the 6.1 kernel, and removes the
# kbuild copy an earlier make install left in updates/, so exactly one
# copy is left; make uninstall runs dkms remove and leaves none.

# shellcheck source=tests/tap.sh
. "$(dirname "$0")/../tap.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/deb/lib.sh
. "$(dirname "$0")/lib.sh"

# the sources as a clone has them
mkdir -p "$ov/upper/tmp/src"
git -C "$top" ls-files -co --exclude-standard -z |
	tar -C "$top" -c --null -T - -f - | tar -x -C "$ov/upper/tmp/src"
# what an earlier make install without dkms left behind
in_root sh -c "mkdir -p /lib/modules/$rel/updates && : >/lib/modules/$rel/updates/pci_fixedbar.ko"

out=$(in_root make -C /tmp/src -n tools 2>&1 >/dev/null)
is "$out" "" "make reads its makefiles without pkg-config and says nothing on stderr"
in_root make -C /tmp/src install-module KERNELRELEASE="$rel" >"$ov/install.log" 2>&1
rc=$?
is "$rc" 0 "make install-module KERNELRELEASE=$rel"
((rc == 0)) || tail -20 "$ov/install.log" | sed 's/^/# /'
like "$(in_root dkms status pci_fixedbar 2>&1)" "pci_fixedbar/$version, $rel, x86_64: installed" \
	"DKMS built and installed the module for $rel"
is "$(in_root find "/lib/modules/$rel" -name 'pci_fixedbar.ko*')" \
	"/lib/modules/$rel/updates/dkms/pci_fixedbar.ko" "one copy of the module, DKMS's"
is "$(in_root modinfo -F version pci_fixedbar -k "$rel" 2>&1)" "$version" "modinfo: version $version"

in_root make -C /tmp/src uninstall KERNELRELEASE="$rel" >"$ov/uninstall.log" 2>&1
is $? 0 "make uninstall KERNELRELEASE=$rel"
is "$(in_root dkms status pci_fixedbar 2>&1)" "" "dkms no longer knows the module"
is "$(in_root find "/lib/modules/$rel" -name 'pci_fixedbar.ko*')" "" "no copy of the module left"
in_root test -e "/usr/src/pci_fixedbar-$version"
is $? 1 "the DKMS sources are gone"
done_testing
