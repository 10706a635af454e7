#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches a Debian 12 kernel image and its headers without installing them:
# apt-get download + dpkg-deb -x into a cache, then fixes the absolute
# symlinks and include paths so external modules build from the unpacked
# tree (make -C "$KERNELDIR" M=... modules).  Idempotent: a second run only
# prints the paths.
#
# usage: scripts/fetch-kernel.sh [6.1|6.12|7.2] [amd64|arm64|cloud-amd64]
#
# 7.2 is sid's: scripts/fetch-sid-kernel.sh, which also prints KCHROOT
# (the chroot to build modules in, KERNELDIR being inside it).
#
# cloud-amd64 is Debian's cloud flavour (6.1 only): nvme and virtio built
# in, so their drivers are bound before any initramfs runs.
#
# Prints machine-readable lines (eval-able, one per variable):
#   KERNELRELEASE=6.1.0-56-amd64
#   KERNELDIR=/var/cache/pci_fixedbar/kernels/6.1.0-56-amd64/root/usr/src/linux-headers-6.1.0-56-amd64
#   VMLINUZ=.../root/boot/vmlinuz-6.1.0-56-amd64
#   MODDIR=.../root/lib/modules/6.1.0-56-amd64
#
# Environment: FIXEDBAR_KCACHE (default /var/cache/pci_fixedbar/kernels).
# The arm64 headers need a cross compiler to build (CROSS_COMPILE=
# aarch64-linux-gnu- ARCH=arm64); kbuild's host tools are the host's.

set -euo pipefail

series=${1:-6.1}
flavour=${2:-amd64}
arch=${flavour#cloud-}
cache=${FIXEDBAR_KCACHE:-/var/cache/pci_fixedbar/kernels}
host_arch=$(dpkg --print-architecture)

die() { echo "fetch-kernel: $*" >&2; exit 1; }
log() { echo "fetch-kernel: $*" >&2; }

# sid's kernel needs sid's gcc: scripts/fetch-sid-kernel.sh keeps a chroot
[[ $series != 7.2 ]] || exec "$(dirname "$0")/fetch-sid-kernel.sh" "$series" "$flavour"
case $series in 6.1 | 6.12) ;; *) die "unknown series '$series' (6.1, 6.12 or 7.2)" ;; esac
case $flavour in amd64 | arm64 | cloud-amd64) ;; *) die "unknown arch '$flavour' (amd64, arm64 or cloud-amd64)" ;; esac
[[ $flavour != cloud-* || $series == 6.1 ]] || die "the cloud flavour is fetched for 6.1 only"

# The meta package names the current ABI: linux-image-amd64 (6.1) or
# linux-image-6.12-amd64, which depend on linux-image-<release>.
meta_pkg() {
	if [[ $series == 6.1 ]]; then echo "linux-image-$flavour"; else echo "linux-image-$series-$flavour"; fi
}

# first package named like $2 in the candidate's Depends of package $1
dep_of() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n' | sed 's/^ *//; s/ .*//' |
		grep -m1 -E "$2" || true
}

ensure_arch() {
	[[ $arch == "$host_arch" ]] && return 0
	dpkg --print-foreign-architectures | grep -qx "$arch" && return 0
	((EUID == 0)) || die "dpkg --add-architecture $arch needs root"
	log "adding dpkg architecture $arch"
	dpkg --add-architecture "$arch"
	apt-get update -qq
}

resolve_release() {
	local meta=$1 img
	img=$(dep_of "$meta:$arch" '^linux-image-')
	if [[ -z $img ]]; then
		log "no candidate for $meta; running apt-get update"
		apt-get update -qq || true
		img=$(dep_of "$meta:$arch" '^linux-image-')
	fi
	[[ -n $img ]] || return 1
	img=${img%:*}
	echo "${img#linux-image-}"
}

# Use an already unpacked release of this series when apt cannot answer
# (offline), newest first.
cached_release() {
	local d
	for d in $(find "$cache" -maxdepth 1 \( -name "$series.*-$flavour" -o -name "$series-*-$flavour" \) 2>/dev/null | sort -rV); do
		[[ $flavour == cloud-* || $d != *-cloud-* ]] || continue
		[[ -f $d/.complete ]] && { basename "$d"; return 0; }
	done
	return 1
}

print_paths() {
	local rel=$1 root=$cache/$1/root
	echo "KERNELRELEASE=$rel"
	echo "KERNELDIR=$root/usr/src/linux-headers-$rel"
	echo "VMLINUZ=$root/boot/vmlinuz-$rel"
	echo "MODDIR=$root/lib/modules/$rel"
}

download() {
	local rel=$1 dir=$2 hdr common kbuild
	hdr=linux-headers-$rel
	common=$(dep_of "$hdr:$arch" '^linux-headers-.*-common')
	kbuild=$(dep_of "$hdr:$arch" '^linux-kbuild-')
	[[ -n $common && -n $kbuild ]] || die "cannot resolve the dependencies of $hdr"
	mkdir -p "$dir/debs"
	if compgen -G "$dir/debs/linux-image-*.deb" >/dev/null &&
		compgen -G "$dir/debs/linux-kbuild-*.deb" >/dev/null; then
		return 0
	fi
	log "downloading linux-image-$rel $hdr ${common%:*} ${kbuild%:*}"
	# -common is Architecture: all (no :arm64 candidate on an amd64
	# host); linux-kbuild holds host binaries, so the host's own
	(cd "$dir/debs" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$rel:$arch" "$hdr:$arch" \
		"${common%:*}" "${kbuild%:*}:$host_arch") >&2 ||
		die "apt-get download failed"
}

# Debian's packages point into / (absolute symlinks, absolute includes):
# redirect everything into the unpacked root.
fix_tree() {
	local rel=$1 root=$2 hdir f t
	hdir=$root/usr/src/linux-headers-$rel
	ln -sfn "../../../usr/src/linux-headers-$rel" "$root/lib/modules/$rel/build"
	[[ -e $root/lib/modules/$rel/source ]] ||
		rm -f "$root/lib/modules/$rel/source"
	# any absolute symlink under the headers trees
	while IFS= read -r f; do
		t=$(readlink "$f")
		[[ $t == /* ]] || continue
		ln -sfn "$(realpath -m --relative-to="$(dirname "$f")" "$root$t")" "$f"
	done < <(find "$root/usr/src" "$root/usr/lib" -type l 2>/dev/null)
	# "include /usr/src/linux-headers-...-common/Makefile" and similar
	sed -i "s|\([ =]\)/usr/src/|\1$root/usr/src/|g; s|\([ =]\)/usr/lib/linux-kbuild|\1$root/usr/lib/linux-kbuild|g" "$hdir/Makefile"
}

# Host tools the unpacked tree needs: pahole (6.12's kbuild generates
# module BTF), depmod (modules.dep for modprobe in a test initramfs).
ensure_host_tools() {
	local want=()
	command -v pahole >/dev/null || want+=(pahole)
	command -v depmod >/dev/null || [[ -x /sbin/depmod ]] || want+=(kmod)
	((${#want[@]} == 0)) && return 0
	((EUID == 0)) || die "missing host packages (${want[*]}); run as root"
	log "installing ${want[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${want[@]}" >/dev/null || die "apt-get install ${want[*]} failed"
}

main() {
	local meta rel dir root deb
	ensure_arch
	ensure_host_tools
	meta=$(meta_pkg)
	if ! rel=$(resolve_release "$meta"); then
		rel=$(cached_release) || die "cannot resolve $meta and nothing cached in $cache"
		log "apt cannot resolve $meta; using cached $rel"
	fi
	dir=$cache/$rel
	root=$dir/root
	if [[ ! -f $dir/.complete ]]; then
		rm -rf "$root"
		mkdir -p "$root"
		download "$rel" "$dir"
		for deb in "$dir"/debs/*.deb; do
			dpkg-deb -x "$deb" "$root"
		done
		fix_tree "$rel" "$root"
		PATH=$PATH:/sbin:/usr/sbin depmod -b "$root" "$rel" ||
			die "depmod failed for $rel"
		[[ -f $root/boot/vmlinuz-$rel ]] || die "no vmlinuz-$rel in the image package"
		[[ -f $root/usr/src/linux-headers-$rel/Module.symvers ]] ||
			die "no Module.symvers in linux-headers-$rel"
		touch "$dir/.complete"
		log "unpacked $rel into $root"
	fi
	print_paths "$rel"
}

main
