#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-plan --svg: the picture of the address map, rendered by a real
# renderer (rsvg-convert, librsvg): it parses, it is not blank, the fixed
# BARs are drawn (their red) and labelled; a failed plan still draws the
# layout before; the output's errors are the tool's exit codes.  Two
# pictures a linear scale would lose (tests/tools/mksvg-topo.py: a 1 TiB
# window with 16 GPUs, a 32-bit window with 50 small BARs): every fixed
# BAR's box, where the plan puts it, shows its red in the rendered PNG,
# and the claimed ranges show their hatching.

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

# visible CASE: the plan of CASE drawn; each fixed BAR's box at its
# planned address has red pixels, is a few pixels wide and is labelled;
# the claimed range is hatched in both lanes
visible() {
	local c=$1 n=0 want seen dev name start line
	"$here/mksvg-topo.py" "$c" >"$tmp/$c.json"
	run --svg "$tmp/$c.svg" "$tmp/$c.json"
	status 0 "$c: a plan and a picture"
	want=$(jq '[.resources[] | select(.fixed)] | length' <<<"$out")
	render "$tmp/$c.svg"
	"$here/svgboxes.py" "$tmp/$c.svg" "${tmp}/$c.png" >"$tmp/$c.boxes"
	seen=0
	while read -r dev name start; do
		n=$((n + 1))
		line=$(grep -F " $dev $name " "$tmp/$c.boxes" | grep -F "@$start fixed" | tail -n 1)
		read -r px width _ <<<"$line"
		if [[ -n $line ]] && ((px >= 20)) && [[ ${width%.*} -ge 3 ]]; then
			seen=$((seen + 1))
		else
			diag "$c: $dev $name at $start: ${line:-no red box}"
		fi
	done < <(jq -r '.resources[] | select(.fixed) | "\(.device) \(.name) \(.start)"' <<<"$out")
	is "$seen/$n" "$want/$want" "$c: every fixed BAR's box is visible where the plan puts it (>= 20 red pixels, >= 3 px wide)"
	is "$(grep -c 'font-weight="bold">.* fixed</text>' "$tmp/$c.svg")" "$want" "$c: every fixed BAR is labelled"
	is "$("$here/svgboxes.py" "$tmp/$c.svg" "$tmp/$c.png" 'url(#claimed)' 777777 | awk '$1 >= 20' | wc -l)" 2 \
		"$c: the claimed range is hatched, before and after"
}
visible gpus16
like "$(<"$tmp/gpus16.svg")" "<title>claimed: HyperTransport 12G @0xfd00000000</title>" "gpus16: the claimed range named"
like "$(<"$tmp/gpus16.svg")" 'stroke-dasharray="3 2"><title>0000:00:02.0/00.0 bar1 32G @0x8800000000 fixed (moved)</title>' \
	"gpus16: a moved fixed BAR drawn where it was"
visible small50
like "$(<"$tmp/small50.svg")" "0000:00:16.1 bar0 512K @0xfe000000 fixed (moved here)" "small50: the moved fixed BAR drawn where it goes"

run --svg "$tmp/no/such/dir/x.svg" "$q35"
status 2 "an unwritable --svg file exits 2"
like "$err" "fixedbar-plan: $tmp/no/such/dir/x.svg: No such file or directory" \
	"the message names the program and the file"
done_testing
