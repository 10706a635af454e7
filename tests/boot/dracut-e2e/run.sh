#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# pre-mount hook of the test module: report and power off
/e2e/busybox sh /e2e/collect.sh
