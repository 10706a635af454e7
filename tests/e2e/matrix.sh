#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest matrix: which scenario boots which kernel with which firmware.
# Writes one two-line runner per (scenario, kernel, firmware) into OUT and
# prints their paths, for prove.
#
# usage: tests/e2e/matrix.sh OUT "KERNELS" SCENARIO.t...
#
# KERNELS is make's GUEST_KERNELS (e.g. "6.1 6.12 7.2 6.1-cloud").  A
# scenario boots each guest its header line names, of those whose kernel
# is in KERNELS:
#
#   # e2e-guests: 6.1 6.12/ovmf all
#
# a word is KERNEL[/FIRMWARE] (firmware: seabios, the default, or ovmf);
# "all" is every kernel of KERNELS without a flavour (-cloud), with
# SeaBIOS, "all/FIRMWARE" the same with that firmware.  No header means
# "all".  E2E_FIRMWARE, when set, replaces every guest's firmware.
#
# E2E_MATRIX_FW names the default firmware instead of seabios (tests/arm64:
# dt, the other being acpi); the runner passes the firmware in
# E2E_FIRMWARE either way, and names a guest NAME@KERNEL[@FIRMWARE] with
# the firmware when it is not the default.
#
# A scenario without the line that sets E2E_KERNEL=K itself boots K only.
# The one-line wrappers of the past (NAME-6.12.t running NAME.t with
# E2E_KERNEL=6.12) still count: each adds its kernel to NAME.t's guests
# and is not run by itself.

set -euo pipefail

out=$1
kernels=$2
shift 2
dfw=${E2E_MATRIX_FW:-seabios}

declare -A extra=()

# wrapper T: the scenario and kernel of a NAME-KERNEL.t beside NAME.t
wrapper() {
	local b=${1%.t} k

	[[ $b =~ ^(.*)-([0-9]+\.[0-9]+(-[a-z]+)?)$ ]] || return 1
	k=${BASH_REMATCH[2]}
	[[ -e ${BASH_REMATCH[1]}.t ]] || return 1
	echo "${BASH_REMATCH[1]}.t $k"
}

# guests T: the KERNEL/FIRMWARE words of scenario T
guests() {
	local words k w

	words=$(sed -n 's/^# e2e-guests: *//p' "$1" | head -1)
	# a scenario that pins its kernel (E2E_KERNEL=K at the start of a
	# line, as before this matrix) boots that one
	[[ -n $words ]] || words=$(sed -n 's/^E2E_KERNEL=\([0-9][^ ]*\)$/\1/p' "$1" | head -1)
	words="${words:-all} ${extra[$1]:-}"
	for w in $words; do
		[[ $w == */* ]] || w=$w/$dfw
		if [[ ${w%/*} == all ]]; then
			for k in $kernels; do
				[[ $k == *-* ]] || echo "$k/${w#*/}"
			done
		else
			echo "$w"
		fi
	done | sort -u
}

for t in "$@"; do
	if w=$(wrapper "$t"); then
		extra[${w% *}]+=" ${w#* }"
	fi
done

rm -rf "$out"
mkdir -p "$out"
for t in "$@"; do
	wrapper "$t" >/dev/null && continue
	abs=$(cd "$(dirname "$t")" && pwd)/$(basename "$t")
	while IFS=/ read -r k fw; do
		[[ " $kernels " == *" $k "* ]] || continue
		fw=${E2E_FIRMWARE:-$fw}
		f=$out/$(basename "$t" .t)@$k
		[[ $fw == "$dfw" ]] || f+=@$fw
		[[ -e $f.t ]] && continue
		printf '#!/bin/bash\nE2E_KERNEL=%s E2E_FIRMWARE=%s exec bash %q\n' "$k" "$fw" "$abs" >"$f.t"
		echo "$f.t"
	done < <(guests "$t")
done
