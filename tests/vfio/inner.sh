# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The inner guest's /test.sh (tests/vfio/vfio.t): the devices the outer
# guest passed through with vfio-pci sit at INNER_PATHS (fixedbar-host's
# guest paths), their fixed BARs described by fixedbar-host's SSDT.  Loads
# the module, captures the layout, reads the host's pattern from the
# ivshmem at IVSHMEM_PATH and writes its own.  /vfio.env sets both.

# shellcheck disable=SC1091 # written by vfio.t
. /vfio.env

load inner
capture after
# shellcheck disable=SC2086 # a list of paths
bars after $INNER_PATHS
for p in $INNER_PATHS; do
	b=$(path2bdf "$p")
	echo "$p $(cat "/sys/bus/pci/devices/$b/vendor") $(cat "/sys/bus/pci/devices/$b/device")"
done >/res/after.ids
fbcheck after
ivshmem after "$IVSHMEM_PATH"
kernel after
