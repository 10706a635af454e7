#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS: the sources make install-dkms-source stages, with dkms.conf, build
# with dkms itself for Debian's 6.1 kernel (its unpacked headers), in a
# private DKMS tree.

set -u
PATH=$PATH:/sbin:/usr/sbin
top=$(cd "$(dirname "$0")/../.." && pwd)
work=${BOOT_BUILD:-$top/build/boot}/dkms
n=0
failed=0

ok() {
	n=$((n + 1))
	if [[ $1 == 0 ]]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

if ! command -v dkms >/dev/null; then
	echo "1..0 # SKIP dkms not installed (scripts/install-deps.sh boot)"
	exit 0
fi
eval "$("$top/scripts/fetch-kernel.sh" 6.1 amd64)"
version=$(<"$top/VERSION")
rm -rf "$work"
mkdir -p "$work/tree"
make -s -C "$top" install-dkms-source DESTDIR="$work/stage" >/dev/null
ok $? "make install-dkms-source stages the sources and dkms.conf"
dkms --dkmstree "$work/tree" --sourcetree "$work/stage/usr/src" \
	build "pci_fixedbar/$version" -k "$KERNELRELEASE" --kernelsourcedir "$KERNELDIR" \
	>"$work/dkms.log" 2>&1
rc=$?
ok $rc "dkms build pci_fixedbar/$version for $KERNELRELEASE"
((rc == 0)) || sed 's/^/# /' "$work/dkms.log"
ko=$(find "$work/tree" -name 'pci_fixedbar.ko*' | head -1)
vm=$(modinfo -F vermagic "$ko" 2>/dev/null)
[[ $vm == "$KERNELRELEASE "* ]]
ok $? "the module's vermagic names $KERNELRELEASE ($vm)"
[[ $(modinfo -F version "$ko" 2>/dev/null) == "$version" ]]
ok $? "the module's version is VERSION ($version)"
grep -q "^PACKAGE_VERSION=\"$version\"$" "$work/stage/usr/src/pci_fixedbar-$version/dkms.conf"
ok $? "the staged dkms.conf carries the version"
echo "1..$n"
((failed == 0))
