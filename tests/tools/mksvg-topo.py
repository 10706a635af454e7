#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Writes the two topologies tests/tools/svg.t draws, the cases a linear
# scale would hide:
#   gpus16   a 1 TiB 64-bit window with 16 GPUs behind 16 root ports, each
#            with bar1 (32G) fixed 64G apart and a 32M bar3, QEMU's
#            HyperTransport hole claimed inside it; firmware packed the
#            bar1s, so most move
#   small50  a 32-bit window with 50 BARs of 4K to 1M on the root bus, 5 of
#            them fixed (one moving near the top), a claimed 1M range
#
# usage: mksvg-topo.py gpus16|small50 >topology.json

import json
import sys

G = 1 << 30
M = 1 << 20


def hx(v):
    return "0x%x" % v


def gpus16():
    base, devs, fixed = 0x8000000000, [], []
    for i in range(16):
        slot = i + 1
        gpu = {
            "devfn": "00.0", "id": "10de:2330",
            "bars": [
                {"name": "bar0", "type": "mem", "size": hx(16 * M),
                 "address": hx(0xc0000000 + i * 16 * M)},
                {"name": "bar1", "type": "mem", "size": hx(32 * G),
                 "mem64": True, "prefetchable": True,
                 "address": hx(base + i * 32 * G)},
                {"name": "bar3", "type": "mem", "size": hx(32 * M),
                 "mem64": True, "prefetchable": True},
            ],
        }
        devs.append({
            "devfn": "%02x.0" % slot, "id": "1b36:000c",
            "bridge": {"io": False, "prefetchable": True,
                       "prefetchable_64": True, "devices": [gpu]},
        })
        fixed.append("0000:%02x:%02x.0/00.0=bar1@%s" %
                     (0, slot, hx(base + i * 64 * G)))
    return {
        "version": 1, "segment": 0, "root_bus": 0,
        "apertures": [
            {"type": "mem", "start": "0xc0000000", "end": "0xfebfffff"},
            {"type": "mem", "start": hx(base), "end": hx(base + 1024 * G - 1),
             "prefetchable": True},
        ],
        "reserved": [{"type": "mem", "start": "0xfd00000000",
                      "end": "0xffffffffff", "name": "HyperTransport"}],
        "devices": devs,
        "fixed": fixed,
    }


def small50():
    devs, fixed, addr = [], [], 0xc0000000
    sizes = [4096 << (i % 9) for i in range(50)]
    for i, size in enumerate(sizes):
        addr = (addr + size - 1) & ~(size - 1)
        devs.append({
            "devfn": "%02x.%d" % (i // 2 + 1, i % 2), "id": "1af4:1000",
            "bars": [{"name": "bar0", "type": "mem", "size": hx(size),
                      "address": hx(addr)}],
        })
        if i % 10 == 3:
            want = addr if i != 43 else 0xfe000000
            fixed.append("0000:00:%02x.%d=bar0@%s" % (i // 2 + 1, i % 2,
                                                      hx(want)))
        addr += size
    return {
        "version": 1, "segment": 0, "root_bus": 0,
        "apertures": [
            {"type": "mem", "start": "0xc0000000", "end": "0xfebfffff"},
        ],
        "reserved": [{"type": "mem", "start": "0xfe800000",
                      "end": "0xfe8fffff", "name": "Reserved"}],
        "devices": devs,
        "fixed": fixed,
    }


json.dump({"gpus16": gpus16, "small50": small50}[sys.argv[1]](), sys.stdout,
          indent=1)
print()
