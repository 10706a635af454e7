#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bad-input.t with UEFI and ACPI, the firmware descriptor from an SSDT.

A64_FW=acpi exec bash "$(dirname "$0")/bad-input.t"
