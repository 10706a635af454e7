#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Turns tests/fixtures/*.json into C initialisers for the pci_fixedbar_plan
# KUnit suite, so the kernel tests plan exactly what the userspace tests do.
#
# usage: gen-fixtures.py fixture.json... > pci_fixedbar_fixtures.h
#
# Devices are listed in pre-order, parents first, as json_topo.c adds them,
# so a device's table index is its topology index.

import json
import os
import sys

SLOTS = {f"bar{i}": i for i in range(6)}
SLOTS["rom"] = 6
SLOTS.update({f"vf{i}": 7 + i for i in range(6)})
WINS = ["io", "mem", "prefetchable"]


def hexnum(s):
    return int(s, 16)


def cstr(s):
    return json.dumps(s)


def c_ident(name):
    return "fx_" + "".join(c if c.isalnum() else "_" for c in name)


def flatten(devs, parent, out):
    for d in devs:
        idx = len(out)
        out.append((parent, d))
        br = d.get("bridge")
        if br:
            flatten(br.get("devices") or [], idx, out)


def bar_init(b):
    addr = b.get("address")
    return ("\t{ .slot = %d, .io = %s, .mem64 = %s, .pref = %s, "
            ".pinned = %s, .size = 0x%xULL, .count = %d, .has_addr = %s, "
            ".addr = 0x%xULL },"
            % (SLOTS[b["name"]], str(b["type"] == "io").lower(),
               str(b.get("mem64", False)).lower(),
               str(b.get("prefetchable", False)).lower(),
               str(b.get("pinned", False)).lower(), hexnum(b["size"]),
               b.get("count", 1), str(addr is not None).lower(),
               hexnum(addr) if addr else 0))


def dev_init(parent, d, bars_name):
    devfn = d["devfn"].split(".")
    s = ["\t{", "\t\t.parent = %d," % parent,
         "\t\t.devfn = 0x%02x," % (int(devfn[0], 16) << 3 | int(devfn[1]))]
    if "id" in d:
        v, dv = d["id"].split(":")
        s.append("\t\t.has_id = true, .vendor = 0x%s, .device = 0x%s,"
                 % (v, dv))
    if d.get("pinned"):
        s.append("\t\t.pinned = true,")
    br = d.get("bridge")
    if br:
        s.append("\t\t.is_bridge = true,")
        s.append("\t\t.br = { .io = %s, .io_1k = %s, .pref = %s, "
                 ".pref64 = %s, .hotplug = %s },"
                 % tuple(str(br.get(k, False)).lower() for k in
                         ("io", "io_1k", "prefetchable", "prefetchable_64",
                          "hotplug")))
        res = br.get("reserve") or {}
        wins = br.get("windows") or {}
        s.append("\t\t.reserve = { %s },"
                 % ", ".join("0x%xULL" % hexnum(res.get(w, "0x0"))
                             for w in WINS))
        for i, w in enumerate(WINS):
            if wins.get(w):
                s.append("\t\t.win[%d] = { true, 0x%xULL, 0x%xULL },"
                         % (i, hexnum(wins[w][0]), hexnum(wins[w][1])))
    if bars_name:
        s.append("\t\t.bars = %s, .nr_bars = ARRAY_SIZE(%s),"
                 % (bars_name, bars_name))
    s.append("\t},")
    return s


def fixture(path):
    name = os.path.basename(path)[:-len(".json")]
    ident = c_ident(name)
    with open(path) as f:
        t = json.load(f)
    out = []
    devs = []
    flatten(t["devices"], -1, devs)
    dev_lines = []
    for i, (parent, d) in enumerate(devs):
        bars_name = None
        if d.get("bars"):
            bars_name = "%s_bars%d" % (ident, i)
            out.append("static const struct kfx_bar %s[] = {" % bars_name)
            out += [bar_init(b) for b in d["bars"]]
            out.append("};")
        dev_lines += dev_init(parent, d, bars_name)
    out.append("static const struct kfx_dev %s_devs[] = {" % ident)
    out += dev_lines
    out.append("};")
    fixed = t.get("fixed") or []
    out.append("static const char *const %s_fixed[] = { %s };"
               % (ident, ", ".join(cstr(e) for e in fixed) or "NULL"))
    rsv = t.get("reserved") or []
    if rsv:
        out.append("static const struct fixedbar_reserved %s_reserved[] = {"
                   % ident)
        out += ["\t{ FIXEDBAR_RES_%s, 0x%xULL, 0x%xULL, %s },"
                % (r["type"].upper(), hexnum(r["start"]), hexnum(r["end"]),
                   cstr(r.get("name", ""))) for r in rsv]
        out.append("};")
    x = t["expect"]
    msgs = x.get("message") or []
    if isinstance(msgs, str):
        msgs = [msgs]
    out.append("static const char *const %s_msg[] = { %s };"
               % (ident, ", ".join(cstr(m) for m in msgs) or "NULL"))

    init = ["{", "\t.name = %s," % cstr(name),
            "\t.segment = %d, .root_bus = %d,"
            % (t.get("segment", 0), t.get("root_bus", 0)),
            "\t.nr_apertures = %d," % len(t["apertures"]), "\t.apertures = {"]
    for a in t["apertures"]:
        init.append("\t\t{ FIXEDBAR_RES_%s, %s, 0x%xULL, 0x%xULL },"
                    % (a["type"].upper(),
                       str(a.get("prefetchable", False)).lower(),
                       hexnum(a["start"]), hexnum(a["end"])))
    init.append("\t},")
    if rsv:
        init.append("\t.reserved = %s_reserved, .nr_reserved = %d,"
                    % (ident, len(rsv)))
    init.append("\t.devs = %s_devs, .nr_devs = ARRAY_SIZE(%s_devs),"
                % (ident, ident))
    init.append("\t.fixed = %s_fixed, .nr_fixed = %d," % (ident, len(fixed)))
    init.append("\t.msg = %s_msg, .nr_msg = %d," % (ident, len(msgs)))
    init.append("\t.err = %s," % ("0" if x["result"] == "ok"
                                  else "-" + x["error"]))
    for k in ("entries", "warnings_min", "warnings_max", "unassigned_min",
              "unassigned_max", "moved_max"):
        init.append("\t.%s = %d," % (k, x.get(k, -1)))
    init.append("},")
    return out, init


def main():
    print("/* SPDX-License-Identifier: GPL-2.0 */")
    print("/* Generated by kunit/gen-fixtures.py from tests/fixtures; "
          "do not edit. */")
    inits = []
    for path in sorted(sys.argv[1:]):
        decls, init = fixture(path)
        print("\n".join(decls))
        inits += init
    print("static const struct kfx_fixture kfx_fixtures[] = {")
    print("\n".join("\t" + line if line else line for line in inits))
    print("};")


if __name__ == "__main__":
    main()
