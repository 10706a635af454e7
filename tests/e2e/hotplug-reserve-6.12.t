#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hotplug-reserve.t booting Debian 12's 6.12 kernel.

E2E_KERNEL=6.12 exec bash "$(dirname "$0")/hotplug-reserve.t"
