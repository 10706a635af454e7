#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-check.service: the unit make install and pci-fixedbar-tools
# ship passes systemd-analyze verify (with its binary and man page where
# the unit says), is a oneshot for which exit 3 (nothing described) is
# success, and the command it runs is silent unless a BAR is wrong.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

CHECK=${FIXEDBAR_CHECK:-$here/../../build/san/fixedbar-check}
top=$here/../..
[[ -x $CHECK ]] || { echo "Bail out! $CHECK not built"; exit 1; }
command -v systemd-analyze >/dev/null ||
	{ echo "Bail out! systemd-analyze missing (apt-get install systemd)"; exit 1; }

# the unit as make install writes it, for a BINDIR holding the binary
mkdir -p "$tmp/bin" "$tmp/man/man1" "$tmp/unit"
ln -s "$CHECK" "$tmp/bin/fixedbar-check"
cp "$top/docs/fixedbar-check.1" "$tmp/man/man1/"
make -s -C "$top" --no-print-directory install-unit DESTDIR="$tmp/unit" BINDIR="$tmp/bin" \
	SYSTEMD_UNITDIR=/u >"$tmp/make.log" 2>&1
is $? 0 "make install-unit writes the unit"
unit=$tmp/unit/u/fixedbar-check.service
MANPATH=$tmp/man SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$unit" >"$tmp/verify" 2>&1
rc=$?
is "$rc" 0 "systemd-analyze verify: exit 0"
is "$(<"$tmp/verify")" "" "systemd-analyze verify: not a word (unknown keys, bad values, the man page)"

prop() {
	sed -n "s/^$1=//p" "$unit"
}
is "$(prop Type)" oneshot "a oneshot"
is "$(prop SuccessExitStatus)" 3 "exit 3, nothing described, is success"
is "$(prop ExecStart)" "$tmp/bin/fixedbar-check --only-wrong" "runs fixedbar-check --only-wrong from BINDIR"
is "$(prop WantedBy)" multi-user.target "wanted by multi-user.target once enabled"

# what ExecStart prints in a guest with nothing described, and with a
# fixed BAR elsewhere (tests/tools/fake-sysfs: 00:03.0 bar1 at 0xfea01000)
read -r -a cmd <<<"$(prop ExecStart)"
fake=$tmp/fake
cp -a "$here/fake-sysfs" "$fake"
echo "BOOT_IMAGE=/vmlinuz root=/dev/vda" >"$fake/proc/cmdline"
"${cmd[@]}" --sysfs "$fake/sys" --proc "$fake/proc" >"$tmp/out" 2>&1
is "$?:$(<"$tmp/out")" "3:" "nothing described: exit 3 (success for the unit), nothing logged"
"${cmd[@]}" --sysfs "$fake/sys" --proc "$fake/proc" -m "0000:00:03.0=bar1@0xfea01000" >"$tmp/out" 2>&1
is "$?:$(<"$tmp/out")" "0:" "every fixed BAR in place: exit 0, nothing logged"
"${cmd[@]}" --sysfs "$fake/sys" --proc "$fake/proc" -m "0000:00:03.0=bar1@0xfea02000" >"$tmp/out" 2>&1
is "$?" 1 "a fixed BAR elsewhere: exit 1, the unit fails"
like "$(<"$tmp/out")" "0000:00:03.0  bar1  0xfea02000          0xfea01000" "and the journal gets the row that is wrong"

done_testing
