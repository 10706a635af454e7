#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Whether boxes can be seen in the rendered picture, for tests/tools/svg.t:
# for every box the SVG fills with FILL (default the fixed BARs' red
# #d62728; "url(#claimed)" for the hatched claimed ranges), counts the
# pixels of the PNG inside the box's bounds that have colour RGB (default
# d62728; 777777 for the hatching's lines).
# Prints one line per box: "<pixels> <width px> <title>".
#
# usage: svgboxes.py PICTURE.svg PICTURE.png [FILL RGB]

import re
import sys

from pngstat import rows



def near(px, rgb):
    return all(abs(a - b) < 8 for a, b in zip(px, rgb))


def main():
    svg = open(sys.argv[1]).read()
    w, h, lines = rows(sys.argv[2])
    fill = sys.argv[3] if len(sys.argv) > 3 else "#d62728"
    rgb = bytes.fromhex(sys.argv[4] if len(sys.argv) > 4 else "d62728")
    rect = re.compile(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
                      r'height="([\d.]+)" fill="' + re.escape(fill) +
                      r'"[^>]*><title>([^<]*)</title>')
    for m in rect.finditer(svg):
        x, y, bw, bh = (float(v) for v in m.groups()[:4])
        n = 0
        for py in range(int(y), min(h, int(y + bh) + 1)):
            line, bpp = lines[py]
            for px in range(int(x), min(w, int(x + bw) + 1)):
                if near(line[px * bpp:px * bpp + 3], rgb):
                    n += 1
        print(n, "%.1f" % bw, m.group(5))


main()
