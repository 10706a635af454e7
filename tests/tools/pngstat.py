#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Pixel counts of a PNG (8-bit RGB or RGBA, not interlaced, as rsvg-convert
# writes them), for tests/tools/svg.t: "width height non-white red" where
# red is the fixed BARs' fill (#d62728, within a small tolerance).

import struct
import sys
import zlib


def rows(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("%s: not a PNG" % path)
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color, _, _, lace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or lace:
                sys.exit("%s: unsupported PNG format" % path)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    out = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        out.append((line, bpp))
        prev = line
    return w, h, out


def main():
    w, h, lines = rows(sys.argv[1])
    ink = red = 0
    for line, bpp in lines:
        for x in range(w):
            r, g, b = line[x * bpp:x * bpp + 3]
            if bpp == 4 and line[x * bpp + 3] == 0:
                continue
            if (r, g, b) != (255, 255, 255):
                ink += 1
            if abs(r - 0xd6) < 8 and abs(g - 0x27) < 8 and abs(b - 0x28) < 8:
                red += 1
    print(w, h, ink, red)


if __name__ == "__main__":
    main()
