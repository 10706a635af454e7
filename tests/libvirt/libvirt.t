#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-host -f libvirt with Debian's own libvirtd: the domain XML for
# three host devices (a fake host sysfs tree: one below a default root
# port, one below a switch, one on the root bus) passes libvirt's schema
# as printed; then, with the transform below, virsh defines and starts it
# as a TCG guest that boots the e2e kernel and initramfs, and the guest
# checks that each fixed BAR sits at its host address, the layout
# validates and data flows through every fixed BAR.
#
# The transform (there are no host devices to assign here): type='kvm' ->
# 'qemu'; each <hostdev> becomes a libvirt <shmem> (ivshmem-plain, a 64-bit
# prefetchable BAR 2 backed by /dev/shm/NAME) with the same alias and guest
# address, and the fake host devices have ivshmem's BARs; direct kernel
# boot and two serial ports to files are added; under AppArmor the domain
# runs unconfined (<seclabel type='none' model='apparmor'/>).  Everything
# else, the controllers, <pcihole64>, <maxphysaddr> and the descriptors
# (-acpitable, or with LIBVIRT_PATCHED=1 the fixed-bars <qemu:override>,
# which then applies to the <shmem> by its alias), is the tool's output.
#
#   LIBVIRT_PATCHED=1   QEMU with the fixed-bars patches (LIBVIRT_EMULATOR,
#                       the domain's <emulator>); E2E_RUN_SUFFIX=-patched
#                       keeps its logs and domain apart
#   LIBVIRT_TIMEOUT     seconds the guest may run (400)
#   FIXEDBAR_HOST       the fixedbar-host to test (build/rel/fixedbar-host)
#
# make check-libvirt runs both; by hand, after make e2e-prep:
#   prove -v --exec bash tests/libvirt/libvirt.t

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

host_tool=${FIXEDBAR_HOST:-$top/build/rel/fixedbar-host}
patched=${LIBVIRT_PATCHED:-0}
timeout=${LIBVIRT_TIMEOUT:-400}
dom=fixedbar-test-$case_name${E2E_RUN_SUFFIX:-}
virsh=(virsh -q -c qemu:///system)
qns=http://libvirt.org/schemas/domain/qemu/1.0

# the host devices: BDF, ivshmem size (MiB), bar2's host address, the
# argument and the guest path the tool must choose
devs=(
	"0000:3b:00.0 64 0x10000000000 0000:3b:00.0:bar2 0000:00:10.0/00.0"
	"0000:3c:00.0 16 0x10100000000 0000:3c:00.0:bar2=0000:00:11.0/00.0/02.0/00.0 0000:00:11.0/00.0/02.0/00.0"
	"0000:3d:00.0 16 0x1ffff000000 0000:3d:00.0:bar2=0000:00:05.0 0000:00:05.0"
)

# host_sysfs DIR: the devices as fixedbar-host reads them, ivshmem-plain's
# BARs (bar0 256 bytes, bar2 64-bit prefetchable)
host_sysfs() {
	local d bdf mib addr dir i=0

	for d in "${devs[@]}"; do
		read -r bdf mib addr _ <<<"$d"
		dir=$1/devices/pci0000:00/$bdf
		mkdir -p "$dir" "$1/bus/pci/devices"
		echo 0x1af4 >"$dir/vendor"
		echo 0x1110 >"$dir/device"
		ln -sfn "../../../devices/pci0000:00/$bdf" "$1/bus/pci/devices/$bdf"
		{
			printf '0x%016x 0x%016x 0x%016x\n' $((0xfe800000 + i * 0x1000)) \
				$((0xfe8000ff + i * 0x1000)) 0x40200
			printf '0x%016x 0x%016x 0x%016x\n' 0 0 0
			printf '0x%016x 0x%016x 0x%016x\n' "$addr" \
				$((addr + (mib << 20) - 1)) 0x14220c
			for _ in 3 4 5 6 7 8 9 10 11 12; do
				printf '0x%016x 0x%016x 0x%016x\n' 0 0 0
			done
		} >"$dir/resource"
		i=$((i + 1))
	done
}

# ensure_libvirtd: the system libvirtd (and virtlogd, which writes the
# serial files), started here when no init system runs them
started=()
ensure_libvirtd() {
	local d i

	"${virsh[@]}" uri >/dev/null 2>&1 && return 0
	# a daemon that runs already refuses to start (its pid file is
	# locked); pgrep would also see the zombies of stopped ones
	for d in virtlogd libvirtd; do
		"$d" -d 2>/dev/null && started+=("$d")
	done
	for ((i = 0; i < 30; i++)); do
		"${virsh[@]}" uri >/dev/null 2>&1 && return 0
		sleep 1
	done
	return 1
}

# remove_domain: a domain of an earlier run, or this one
remove_domain() {
	"${virsh[@]}" destroy "$dom" >/dev/null 2>&1
	"${virsh[@]}" undefine "$dom" >/dev/null 2>&1
	rm -f /dev/shm/"$dom"-*
}

# at exit: the domain, and the daemons this test started
cleanup() {
	local d

	remove_domain
	for d in "${started[@]}"; do
		[[ -s /run/$d.pid ]] && kill "$(cat "/run/$d.pid")"
	done
}

# transform IN OUT: the stand-in domain (see the top of this file)
transform() {
	local d bdf mib alias x append ops=()

	append="console=ttyS0 panic=-1 rdinit=/init $quiet_args"
	ops+=(-u /domain/@type -v qemu -u /domain/name -v "$dom"
		-d /domain/os/boot
		-s /domain/os -t elem -n kernel -v "$work/vmlinux"
		-s /domain/os -t elem -n initrd -v "$work/initrd.img"
		-s /domain/os -t elem -n cmdline -v "$append")
	for d in "${devs[@]}"; do
		read -r bdf mib _ <<<"$d"
		alias=ua-fxhost-${bdf//[:.]/-}
		x="/domain/devices/hostdev[alias/@name='$alias']"
		ops+=(-d "$x/@mode" -d "$x/@type" -d "$x/@managed"
			-d "$x/driver" -d "$x/source"
			-s "$x" -t attr -n name -v "$dom-${bdf//[:.]/-}"
			-s "$x" -t elem -n model -s "$x/model" -t attr -n type -v ivshmem-plain
			-s "$x" -t elem -n size -v "$mib" -s "$x/size" -t attr -n unit -v M
			-r "$x" -v shmem)
	done
	for x in console results; do
		ops+=(-s /domain/devices -t elem -n serial
			-s '/domain/devices/serial[last()]' -t attr -n type -v file
			-s '/domain/devices/serial[last()]' -t elem -n source
			-s '/domain/devices/serial[last()]/source' -t attr -n path -v "$work/$x.log")
	done
	[[ $patched == 1 ]] &&
		ops+=(-s /domain/devices -t elem -n emulator -v "$LIBVIRT_EMULATOR")
	# AppArmor (Debian's default where the kernel has it) confines QEMU
	# to the files libvirt knows of, and the table of -acpitable is not
	# one; users add it to the abstraction (docs/fixedbar-host.md), the
	# test runs this domain unconfined
	[[ $("${virsh[@]}" capabilities 2>/dev/null) == *"<model>apparmor</model>"* ]] &&
		ops+=(-s /domain -t elem -n seclabel
			-s /domain/seclabel -t attr -n type -v none
			-s /domain/seclabel -t attr -n model -v apparmor)
	xmlstarlet ed -N "q=$qns" "${ops[@]}" "$1" >"$2"
}

# wait_off: until QEMU has exited (the guest powers off), or the timeout
wait_off() {
	local t=$SECONDS st

	while ((SECONDS - t < timeout)); do
		st=$("${virsh[@]}" domstate "$dom" 2>&1) || return 1
		[[ $st == "shut off" ]] && return 0
		sleep 2
	done
	"${virsh[@]}" destroy "$dom" >/dev/null 2>&1
	return 1
}

for t in virsh virt-xml-validate xmlstarlet "$host_tool"; do
	command -v "$t" >/dev/null || { echo "Bail out! $t missing: make check-libvirt installs it"; exit 1; }
done
if [[ $patched == 1 && ! -x ${LIBVIRT_EMULATOR:-} ]]; then
	echo "Bail out! LIBVIRT_PATCHED=1 needs LIBVIRT_EMULATOR, the patched qemu-system-x86_64"
	exit 1
fi
ensure_libvirtd || { echo "Bail out! no libvirtd (qemu:///system)"; exit 1; }
trap cleanup EXIT
remove_domain

# --- the tool's output as printed ---------------------------------------
host_sysfs "$work/sysfs"
# TCG's max CPU is an AMD model (QEMU moves the RAM above 4 GiB to 1 TiB)
args=(--sysfs "$work/sysfs" --guest-ram 1G --cpu max --amd)
entries=()
for d in "${devs[@]}"; do
	read -r bdf mib addr arg path <<<"$d"
	args+=("$arg")
	entries+=("$path=bar2@$addr")
done
lvargs=(-f libvirt --acpi-table "$work/fixedbar.aml")
[[ $patched == 1 ]] && lvargs+=(--patched)
"$host_tool" -q "${lvargs[@]}" "${args[@]}" >"$work/domain.xml" 2>"$work/host.err"
is "$?" 0 "fixedbar-host -f libvirt exits 0"
[[ -s $work/host.err ]] && diag "$(cat "$work/host.err")"
out=$(virt-xml-validate "$work/domain.xml" domain 2>&1)
is "$?" 0 "libvirt's schema accepts the output as printed (virt-xml-validate)"
[[ $out == *validates ]] || diag "$out"
"$host_tool" -q -f aml -o "$work/fixedbar.aml" "${args[@]}"
is "$?" 0 "fixedbar-host -f aml writes the table the XML names"

xml() {
	xmlstarlet sel -N "q=$qns" -t -v "$1" -n "$work/domain.xml" 2>/dev/null
}
is "$(xml 'count(//controller[@model="pcie-root-port"])'):$(xml 'count(//controller[@model="pcie-switch-upstream-port"])'):$(xml 'count(//controller[@model="pcie-switch-downstream-port"])')" \
	"2:1:1" "two root ports and a switch (one upstream, one downstream port)"
# the window as --format json reports it: from at most the lowest fixed
# BAR to at least the highest one's end
"$host_tool" -q -f json "${args[@]}" >"$work/host.json"
wstart=$(jq -r .window.start "$work/host.json")
wend=$(jq -r .window.end "$work/host.json")
ok=$(((wstart <= 0x10000000000) && (wend >= 0x1ffffffffff)))
is "$ok" 1 "the 64-bit window [$wstart-$wend] holds every fixed BAR"
is "$(xml '//pcihole64')" $(((wend - wstart + 1) >> 10)) "<pcihole64> is that window's size"
bits=$(xml '//cpu/maxphysaddr/@bits')
is "$(((1 << ${bits:-0}) > wend))" 1 "<maxphysaddr> bits ($bits) reach the window's end"
if [[ $patched == 1 ]]; then
	is "$(xml '//q:property[@name="fixed-bars"]/@value' | sort | tr '\n' ' ')" \
		"bar2@0x10000000000 bar2@0x10100000000 bar2@0x1ffff000000 " \
		"a fixed-bars <qemu:override> per device"
else
	is "$(xml '//q:commandline/q:arg/@value' | tr '\n' ' ')" \
		"-acpitable file=$work/fixedbar.aml " "<qemu:commandline> -acpitable names the table"
fi

# --- the guest ----------------------------------------------------------
cp "$kdir/$E2E_IMAGE" "$work/vmlinux"
guest_script <<EOF_GUEST
capture before
load main
capture after
bars after ${entries[*]%%=*}
fbcheck after
ivshmem rp ${entries[0]%%=*}
ivshmem sw ${entries[1]%%=*}
ivshmem root ${entries[2]%%=*}
EOF_GUEST
(cd "$work/initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/test.cpio.gz"
cat "$kdir/base.cpio.gz" "$work/test.cpio.gz" >"$work/initrd.img"
i=0
for tag in rp sw root; do
	read -r bdf _ <<<"${devs[i]}"
	f=/dev/shm/$dom-${bdf//[:.]/-}
	truncate -s "$(cut -d' ' -f2 <<<"${devs[i]}")M" "$f"
	printf 'host-pattern-%s' "$tag" | dd of="$f" conv=notrunc status=none
	chmod 666 "$f"
	i=$((i + 1))
done
transform "$work/domain.xml" "$work/test.xml"
out=$(virt-xml-validate "$work/test.xml" domain 2>&1)
is "$?" 0 "the transformed domain validates too"
[[ $out == *validates ]] || diag "$out"
out=$("${virsh[@]}" define "$work/test.xml" 2>&1)
is "$?" 0 "virsh define"
[[ -z $out ]] || diag "$out"
# the start hook (scripts/libvirt-hook.sh) on the XML libvirt keeps: the
# host BARs of the <metadata> survive define, and a moved one is refused
"${virsh[@]}" dumpxml "$dom" >"$work/defined.xml" 2>&1
FIXEDBAR_SYSFS=$work/sysfs "$top/scripts/libvirt-hook.sh" "$dom" prepare begin - \
	<"$work/defined.xml" >/dev/null 2>"$work/hook.err"
is "$?:$(grep -c 'fixedbar:bar ' "$work/defined.xml")" "0:3" \
	"the hook passes the defined domain, whose metadata lists the 3 BARs"
res3=$work/sysfs/bus/pci/devices/0000:3d:00.0/resource
cp "$res3" "$work/resource.keep"
sed -i '3s/^0x000001ffff000000/0x000001fffe000000/' "$res3"
FIXEDBAR_SYSFS=$work/sysfs "$top/scripts/libvirt-hook.sh" "$dom" prepare begin - \
	<"$work/defined.xml" >/dev/null 2>"$work/hook.err"
is "$?" 1 "the hook refuses it once the host moved a BAR"
like "$(cat "$work/hook.err")" "0000:3d:00.0 bar2 [mem 0x1ffff000000-0x1ffffffffff] is now at [mem 0x1fffe000000-" \
	"the hook names the moved BAR"
cp "$work/resource.keep" "$res3"
t=$SECONDS
out=$("${virsh[@]}" start "$dom" 2>&1)
is "$?" 0 "virsh start"
[[ -z $out ]] || diag "$out"
wait_off
is "$?" 0 "the guest powered off within ${timeout} s"
diag "$case_name: guest ran $((SECONDS - t)) s; logs in $work and /var/log/libvirt/qemu/$dom.log"
cp "/var/log/libvirt/qemu/$dom.log" "$work/libvirt-qemu.log" 2>/dev/null
# the command line libvirt built, of this start only
qemu_cmd=$(awk '/starting up libvirt/ { s = "" } { s = s $0 "\n" } END { printf "%s", s }' \
	"$work/libvirt-qemu.log")
like "$qemu_cmd" "-cpu max,phys-bits=$bits " "libvirt passed <maxphysaddr> to QEMU as phys-bits"
like "$qemu_cmd" "pci-hole64-size=$(((wend - wstart + 1) >> 10))K" \
	"libvirt passed <pcihole64> to QEMU"
if [[ $patched == 1 ]]; then
	like "$qemu_cmd" '"fixed-bars":"bar2@0x10000000000"' "libvirt passed the override to QEMU"
	is "$(grep -c -e -acpitable <<<"$qemu_cmd")" 0 "no -acpitable: QEMU describes the fixed BARs"
else
	like "$qemu_cmd" "-acpitable file=$work/fixedbar.aml" "libvirt passed -acpitable to QEMU"
fi

tr -d '\r' <"$work/results.log" | awk -v dir="$res" '
	/^@@@FILE / { f = dir "/" $2; printf "" > f; next }
	/^@@@END/ { f = ""; next }
	f != "" { print >> f }'
is "$(rfile zz-status)" "E2E-OK" "the guest ran to its success marker"
[[ -n "$(tr -d "[:space:]" <"$res/notes" 2>/dev/null)" ]] && diag "guest notes: $(cat "$res/notes")"
check_load main 3
check_fixed after "${entries[@]}"
check_layout after "${entries[@]}"
check_replay main
check_fbcheck after 0 ok "${entries[@]}"
i=0
for tag in rp sw root; do
	read -r bdf _ <<<"${devs[i]}"
	f=/dev/shm/$dom-${bdf//[:.]/-}
	is "$(rfile "$tag.ivshmem")" "host-pattern-$tag" "$tag: the guest reads the host's pattern through the fixed BAR"
	is "$(dd if="$f" bs=1 skip=4096 count=64 status=none | tr -d '\0')" "guest-$tag" \
		"$tag: the host reads the guest's pattern"
	i=$((i + 1))
done
check_kernel_clean
done_testing
