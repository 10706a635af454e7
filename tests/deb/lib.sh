# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by tests/deb/*.t (after tests/tap.sh or tests/boot/lib.sh): the
# packages make deb built, and a fresh overlay of the cached bookworm
# chroot (tests/deb/chroot.sh) to install them into.
#
#   DEB_BUILD   what make deb built (default build/deb)
#
# Sets version, debs, ov (the overlay: ov/upper is what the test changed),
# rel (the chroot's kernel); in_root runs a command in the chroot, put
# copies a file into it.

DEB_BUILD=${DEB_BUILD:-$top/build/deb}
version=$(<"$top/VERSION")
debs=("$DEB_BUILD"/pci-fixedbar-dkms_"$version"_all.deb "$DEB_BUILD"/pci-fixedbar-tools_"$version"_*.deb)
for f in "${debs[@]}"; do
	[[ -f $f ]] || { echo "Bail out! $f missing: run make deb first"; exit 1; }
done
eval "$("$top/tests/deb/chroot.sh")"
: "${DEB_ROOT:?}"

ov=$DEB_BUILD/overlay-$(basename "$0" .t)
root=$ov/root
rm -rf "$ov"
mkdir -p "$ov/upper" "$ov/work" "$root"

# in_root CMD...: CMD in the chroot (the overlay mounted in a private
# mount namespace, with /proc, /sys and /dev)
in_root() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --pid --fork bash -c '
		ov=$1 lower=$2; shift 2
		r=$ov/root
		mount -t overlay overlay -o "lowerdir=$lower,upperdir=$ov/upper,workdir=$ov/work" "$r" &&
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
		mount --rbind /dev "$r/dev" &&
		exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"' - "$ov" "$DEB_ROOT" "$@"
}

# put SRC DEST [MODE]: a file into the chroot (its upper layer)
put() {
	install -D -m "${3:-644}" "$1" "$ov/upper/$2"
}

rel=$(basename "$(ls -d "$DEB_ROOT"/lib/modules/6.1.*)")
diag "chroot $DEB_ROOT, kernel $rel"
