#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The series' own qtest, tests/qtest/fixed-bars-test.c, as QEMU's
# "make check-qtest" would run it: scripts/build-qemu.sh builds it in the
# cached QEMU build tree (ninja tests/qtest/fixed-bars-test) beside the
# patched emulators; here it runs against each of them
# (QTEST_QEMU_BINARY), TAP out, and must report its one case passing:
# x86_64 the q35 DSDT in fw_cfg, aarch64 virt's device tree in RAM.

# shellcheck source=tests/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/tap.sh
. "$qemu_top/tests/tap.sh"

qtest=$QEMU_BINDIR/fixed-bars-test
if [[ ! -x $qtest ]]; then
	echo "Bail out! no fixed-bars-test in $QEMU_BINDIR: scripts/build-qemu.sh builds it"
	exit 1
fi
for arch_case in x86_64:/x86_64/fixed-bars/q35-dsdt aarch64:/aarch64/fixed-bars/virt-dt; do
	arch=${arch_case%%:*} path=${arch_case#*:}
	out=$(QTEST_QEMU_BINARY=$QEMU_BINDIR/qemu-system-$arch timeout 120 "$qtest" --tap -k 2>&1)
	rc=$?
	if ((rc == 0)) && grep -q "^ok 1 $path\$" <<<"$out" && grep -qx '1\.\.1' <<<"$out"; then
		pass "qtest-$arch: fixed-bars-test $path"
	else
		fail "qtest-$arch: fixed-bars-test $path"
		diag "exit $rc" "$out"
	fi
done
done_testing
