#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-plan --svg: the picture of the address map, rendered by a real
# renderer (rsvg-convert, librsvg): it parses, it is not blank, the fixed
# BARs are drawn (their red) and labelled; a failed plan still draws the
# layout before; the output's errors are the tool's exit codes.

# shellcheck source=tests/tools/tap.sh
. "$(dirname "$0")/tap.sh"

if ! command -v rsvg-convert >/dev/null; then
	echo "Bail out! rsvg-convert not installed (scripts/install-deps.sh svg)"
	exit 1
fi
q35=$fixtures/q35-switch.json
gpu=0000:00:02.0/00.0/00.0/00.0

# render SVG: PNG next to it; sets stat to "width height non-white red"
render() {
	rsvg-convert -o "${1%.svg}.png" "$1" 2>"$tmp/rsvg.err"
	is $? 0 "rsvg-convert renders $(basename "$1")"
	stat=$("$here/pngstat.py" "${1%.svg}.png")
	diag "$(basename "$1"): $stat (width height non-white red)"
}

run --svg "$tmp/q35.svg" "$q35"
status 0 "--svg with a plan exits 0"
jq_is .result ok "the plan is still printed"
render "$tmp/q35.svg"
read -r w h ink red <<<"$stat"
((w >= 800 && h >= 300))
is $? 0 "a picture of some size (${w}x$h)"
((ink * 20 > w * h))
is $? 0 "not blank: more than 5% of the pixels are drawn ($ink)"
((red > 500))
is $? 0 "the fixed BARs' red is there ($red pixels)"
svg=$(<"$tmp/q35.svg")
like "$svg" 'font-weight="bold">'"$gpu bar2 1G @0x7040000000 fixed</text>" \
	"bar2's label: path, BAR, size, address, fixed"
like "$svg" 'font-weight="bold">'"$gpu bar4 32M @0x7002000000 fixed</text>" \
	"bar4's label"
like "$svg" "root aperture [mem 0x7000000000-0x7fffffffff 64bit pref]" \
	"a band per root aperture, named as the kernel prints it"
is "$(grep -c '>before</text>' <<<"$svg") $(grep -c '>after</text>' <<<"$svg")" \
	"$(jq '.apertures | length' "$q35") $(jq '.apertures | length' "$q35")" \
	"a before and an after lane in every band"
like "$svg" "stroke-dasharray" "where moved resources were is drawn dashed"

# no plan: the layout before, and why there is no after
bad=$(mutate '.fixed = ["0000:00:02.0/00.0/00.0/00.0=bar2@0x7040000000,bar4@0x7040000000"]' "$q35")
run --svg "$tmp/bad.svg" "$bad"
status 1 "--svg without a valid plan exits 1 as without --svg"
render "$tmp/bad.svg"
like "$(<"$tmp/bad.svg")" "no valid plan" "the picture says there is no plan"
is "$(grep -c '>after</text>' "$tmp/bad.svg")" 0 "and has no after lane"

run --svg "$tmp/no/such/dir/x.svg" "$q35"
status 2 "an unwritable --svg file exits 2"
like "$err" "fixedbar-plan: $tmp/no/such/dir/x.svg: No such file or directory" \
	"the message names the program and the file"
done_testing
