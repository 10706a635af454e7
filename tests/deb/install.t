#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages on a Debian 12 system: apt install of both .debs
# (make deb) into a bookworm chroot with Debian's 6.1 kernel and headers
# (tests/deb/chroot.sh, on an overlay, so the cache stays clean); DKMS
# builds the module for that kernel, the update-initramfs trigger puts it
# into the kernel's initramfs; that initramfs and kernel boot under QEMU
# and the module places the fixed BARs of tests/boot/modprobe.conf before
# udev binds nvme (tests/boot/lib.sh).  Then apt remove: DKMS forgets the
# module and the initramfs is rebuilt without it.
#
# The chroot carries the boot tests' collector (tests/boot/itools-e2e)
# before the packages arrive, as a site's own hook would be.

# shellcheck source=tests/boot/lib.sh
. "$(dirname "$0")/../boot/lib.sh"
# shellcheck source=tests/deb/lib.sh
. "$(dirname "$0")/lib.sh"


# the boot tests' collector, as a site's own initramfs-tools hook
put "$top/tests/boot/modprobe.conf" /etc/modprobe.d/pci_fixedbar.conf
put "$top/tests/boot/collect.sh" /opt/e2e/tests/boot/collect.sh
put "$top/tests/e2e/guest.sh" /opt/e2e/tests/e2e/guest.sh
put "$E2E_BUILD/guest/fixedbar-plan" /opt/e2e/bin/fixedbar-plan 755
put "$E2E_BUILD/guest/mm" /opt/e2e/bin/mm 755
put "$top/tests/boot/itools-e2e/init-premount" /etc/initramfs-tools/scripts/init-premount/fixedbar_e2e 755
mkdir -p "$ov/upper/etc/initramfs-tools/hooks"
cat >"$ov/upper/etc/initramfs-tools/hooks/fixedbar_e2e" <<'HOOK'
#!/bin/sh
# test collector (tests/deb/install.t)
FIXEDBAR_E2E_BIN=/opt/e2e/bin
FIXEDBAR_E2E_COLLECT=/opt/e2e/tests/boot/collect.sh
export FIXEDBAR_E2E_BIN FIXEDBAR_E2E_COLLECT
exec /opt/e2e/hook "$@"
HOOK
chmod 755 "$ov/upper/etc/initramfs-tools/hooks/fixedbar_e2e"
put "$top/tests/boot/itools-e2e/hook" /opt/e2e/hook 755
for f in "${debs[@]}"; do
	put "$f" "/tmp/debs/$(basename "$f")"
done

# install: dkms builds, the trigger makes the initramfs
t=$SECONDS
in_root sh -c 'apt-get install -y --no-install-recommends /tmp/debs/*.deb' \
	>"$ov/install.log" 2>&1
rc=$?
is "$rc" 0 "apt install ./pci-fixedbar-dkms_${version}_all.deb ./pci-fixedbar-tools_*.deb"
((rc == 0)) || tail -30 "$ov/install.log" | sed 's/^/# /'
diag "apt install took $((SECONDS - t)) s"
st=$(in_root dkms status pci_fixedbar 2>&1)
like "$st" "pci_fixedbar/$version, $rel, x86_64: installed" "dkms built and installed the module for $rel"
diag "$st"
ko=$(in_root find "/lib/modules/$rel" -name 'pci_fixedbar.ko*')
is "$ko" "/lib/modules/$rel/updates/dkms/pci_fixedbar.ko" "one copy of the module, in updates/dkms"
is "$(in_root modinfo -F version "$ko")" "$version" "MODULE_VERSION is VERSION ($version)"
like "$(<"$ov/install.log")" "update-initramfs: Generating /boot/initrd.img-$rel" \
	"the update-initramfs trigger ran"
img=$ov/upper/boot/initrd.img-$rel
list=$(in_root lsinitramfs "/boot/initrd.img-$rel" 2>/dev/null)
like "$list" "updates/dkms/pci_fixedbar.ko" "the initramfs carries the DKMS module"
like "$list" "scripts/init-top/pci_fixedbar" "the initramfs carries the init-top script"
like "$list" "etc/modprobe.d/pci_fixedbar.conf" "the initramfs carries /etc/modprobe.d/pci_fixedbar.conf"
like "$(in_root fixedbar-plan --version 2>&1)" "fixedbar-plan (pci_fixedbar) $version" \
	"fixedbar-plan runs in the chroot"
[[ -f $ov/upper/usr/share/man/man1/fixedbar-check.1.gz &&
	-f $ov/upper/usr/share/doc/pci-fixedbar-tools/examples/modprobe.d/pci_fixedbar.conf ]]
is $? 0 "man pages and the modprobe.d example installed"
in_root test -f /lib/systemd/system/fixedbar-check.service
is $? 0 "fixedbar-check.service installed"
is "$(readlink "$ov/upper/etc/systemd/system/multi-user.target.wants/fixedbar-check.service")" \
	/lib/systemd/system/fixedbar-check.service "fixedbar-check.service enabled (it runs at the next boot)"

# boot the system's own kernel with the initramfs the package made
mkdir -p "$ov/boot"
cp "$DEB_ROOT/boot/vmlinuz-$rel" "$ov/boot/"
cp "$img" "$ov/boot/initrd.img" 2>/dev/null
kdir=$ov/boot
E2E_IMAGE=vmlinuz-$rel
BOOT_BUILD=$ov/boot
boot_case initrd.img "root=/dev/nvme0n1 panic=-1"

# remove: dkms forgets it, the initramfs no longer carries it
in_root apt-get remove -y pci-fixedbar-dkms >"$ov/remove.log" 2>&1
is $? 0 "apt remove pci-fixedbar-dkms"
is "$(in_root dkms status pci_fixedbar 2>&1)" "" "dkms no longer knows the module"
is "$(in_root find "/lib/modules/$rel" -name 'pci_fixedbar.ko*')" "" "the module is gone"
like "$(<"$ov/remove.log")" "update-initramfs: Generating /boot/initrd.img-$rel" \
	"the update-initramfs trigger ran again"
list=$(in_root lsinitramfs "/boot/initrd.img-$rel" 2>/dev/null)
[[ -n $list && $list != *pci_fixedbar.ko* && $list != *init-top/pci_fixedbar* ]]
is $? 0 "the initramfs was rebuilt without the module and its init-top script"
done_testing
