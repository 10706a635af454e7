#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extra host bridge on q35: tests/e2e/pxb-case.sh, the main root bus's
# ivshmem fixed at the bottom of the 1 TiB window.

# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

main_addr=0x10000000000
# shellcheck source=tests/e2e/pxb-case.sh
. "$e2e_dir/pxb-case.sh"
