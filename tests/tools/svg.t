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
# and the claimed ranges show their hatching.  Every root bus is drawn:
# a guest with a pxb host bridge, from fixedbar-check --svg and from
# fixedbar-plan --from-sysfs --svg.

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

# --- every root bus: a guest with a pxb host bridge (root bus 0000:80,
# its own apertures) beside root bus 0000:00, a fixed BAR on each
#   00:02.0          bar2 1G at 0x10000000000
#   80:00.0 root port, bus 81 -> 81:00.0 bar2 1G at 0x18000000000
need "$CHECK"
pxb=$tmp/pxb
mkdir -p "$pxb/sys/bus/pci/devices" "$pxb/proc"
# pdev PATH CLASS HDR SEC: a device directory with its config space
pdev() {
	local path=$1
	dir=$pxb/sys/devices/$path
	mkdir -p "$dir"
	echo 0x1b36 >"$dir/vendor"
	echo 0x0010 >"$dir/device"
	echo "$2" >"$dir/class"
	ln -s "../../../devices/$path" "$pxb/sys/bus/pci/devices/$(basename "$path")"
	perl -e 'my ($c, $h, $s) = map { hex } @ARGV;
		my $cfg = "\0" x 256;
		substr($cfg, 0, 4) = pack("vv", 0x1b36, 0x0010);
		substr($cfg, 9, 3) = substr(pack("V", $c), 0, 3);
		substr($cfg, 14, 1) = pack("C", $h);
		substr($cfg, 24, 3) = pack("CCC", 0, $s, $s) if $h == 1;
		print $cfg' "$2" "$3" "${4:-0}" >"$dir/config"
}
# pres START END FLAGS [WINDOW START END FLAGS]: bar2 and a pref window
pres() {
	local i
	for ((i = 0; i < 17; i++)); do
		if ((i == 2 && $1)); then
			printf '0x%016x 0x%016x 0x%016x\n' "$1" "$2" "$3"
		elif ((i == 15 && $# > 3)); then
			printf '0x%016x 0x%016x 0x%016x\n' "$4" "$5" "$6"
		else
			echo "0x0000000000000000 0x0000000000000000 0x0000000000000000"
		fi
	done >"$dir/resource"
}
pdev pci0000:00/0000:00:00.0 0x060000 0
pres 0 0 0
pdev pci0000:00/0000:00:02.0 0x0ff000 0
pres 0x10000000000 0x1003fffffff 0x14220c
pdev pci0000:80/0000:80:00.0 0x060400 1 0x81
pres 0 0 0 0x18000000000 0x180ffffffff 0x102201
pdev pci0000:80/0000:80:00.0/0000:81:00.0 0x0ff000 0
pres 0x18000000000 0x1803fffffff 0x14220c
cat >"$pxb/proc/iomem" <<'END'
00001000-7ffdffff : System RAM
c0000000-febfffff : PCI Bus 0000:00
10000000000-17fffffffff : PCI Bus 0000:00
  10000000000-1003fffffff : 0000:00:02.0
18000000000-1ffffffffff : PCI Bus 0000:80
  18000000000-180ffffffff : PCI Bus 0000:81
    18000000000-1803fffffff : 0000:81:00.0
END
echo "0000-0cf7 : PCI Bus 0000:00" >"$pxb/proc/ioports"
on00="0000:00:02.0 bar2 1G @0x10000000000 fixed"
on80="0000:80:00.0/00.0 bar2 1G @0x18000000000 fixed"

"$CHECK" --sysfs "$pxb/sys" --proc "$pxb/proc" -q --svg "$tmp/pxb.svg" \
	-m "0000:00:02.0=bar2@0x10000000000;0000:80:00.0/00.0=bar2@0x18000000000" 2>"$tmp/err"
rc=$?
status 0 "fixedbar-check --svg, two root buses, both fixed BARs in place: exit 0"
render "$tmp/pxb.svg"
svg=$(<"$tmp/pxb.svg")
like "$svg" "root aperture [mem 0x18000000000-0x1ffffffffff 64bit] of root bus 0000:80" \
	"fixedbar-check --svg: the second root bus's aperture has its band"
like "$svg" "root aperture [mem 0x10000000000-0x17fffffffff 64bit] of root bus 0000:00" \
	"fixedbar-check --svg: and the first's"
like "$svg" 'font-weight="bold">'"$on80</text>" "fixedbar-check --svg: the fixed BAR on root bus 0000:80 labelled"
like "$svg" 'font-weight="bold">'"$on00</text>" "fixedbar-check --svg: the fixed BAR on root bus 0000:00 labelled"
is "$("$here/svgboxes.py" "$tmp/pxb.svg" "$tmp/pxb.png" | awk '$1 >= 20 { print $3, $4 }' | sort -u | tr '\n' ,)" \
	"0000:00:02.0 bar2,0000:80:00.0/00.0 bar2," "fixedbar-check --svg: each root bus's fixed BAR a red box that can be seen"

run --from-sysfs="$pxb" --root 0000:80 --map "0000:80:00.0/00.0=bar2@0x18000000000" --svg "$tmp/pxb-plan.svg"
status 0 "fixedbar-plan --from-sysfs --root 0000:80 --svg: a plan"
render "$tmp/pxb-plan.svg"
svg=$(<"$tmp/pxb-plan.svg")
like "$svg" 'font-weight="bold">'"$on80</text>" "fixedbar-plan --svg: the fixed BAR on the planned root bus 0000:80 labelled"
like "$svg" "root aperture [mem 0x10000000000-0x17fffffffff 64bit] of root bus 0000:00" \
	"fixedbar-plan --svg: the other root bus drawn too"
like "$svg" "<title>0000:00:02.0 bar2 1G @0x10000000000</title>" \
	"fixedbar-plan --svg: with its BARs (not fixed there: no entry names it)"

run --svg "$tmp/no/such/dir/x.svg" "$q35"
status 2 "an unwritable --svg file exits 2"
like "$err" "fixedbar-plan: $tmp/no/such/dir/x.svg: No such file or directory" \
	"the message names the program and the file"
done_testing
