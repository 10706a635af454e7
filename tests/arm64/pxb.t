#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# e2e-guests: 6.1/acpi 6.12/acpi 7.2/acpi
#
# Extra host bridge on arm64 virt with UEFI and ACPI, where a pxb-pcie
# expander is a second host bridge in QEMU's DSDT: tests/e2e/pxb-case.sh,
# the main root bus's ivshmem fixed in virt's 64-bit window.

A64_FW=acpi
# shellcheck source=tests/arm64/lib.sh
. "$(dirname "$0")/lib.sh"

main_addr=0x9000000000
# shellcheck source=tests/e2e/pxb-case.sh
. "$e2e_dir/pxb-case.sh"
