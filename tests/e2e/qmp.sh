# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# QMP from the host side of a case, for hotplug: the case adds
# -qmp unix:SOCK,server=on,wait=off to qemu_devs.

# qmp_hot SOCK COMMAND [ARGS-JSON]: runs one QMP command (device_add,
# device_del, object-add, ...) and prints its "return" as JSON; exit 1 and
# the error on stderr when QEMU refuses it.  device_del also waits (30 s at
# most) for the DEVICE_DELETED event of that id: the guest has let go of
# the device (pciehp's attention-button delay is about 5 s).
qmp_hot() {
	python3 - "$@" <<'PY'
import json, socket, sys, time

sock, cmd = sys.argv[1], sys.argv[2]
args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
for _ in range(100):
    try:
        s.connect(sock)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("qmp_hot: no QMP socket at " + sock)
f = s.makefile("rw")
events = []

def reply():
    while True:
        line = f.readline()
        if not line:
            sys.exit("qmp_hot: QEMU closed the QMP socket")
        msg = json.loads(line)
        if "event" in msg:
            events.append(msg)
            continue
        return msg

def run(execute, arguments=None):
    f.write(json.dumps({"execute": execute, "arguments": arguments or {}}) + "\n")
    f.flush()
    msg = reply()
    if "error" in msg:
        sys.exit("qmp_hot: %s: %s" % (execute, msg["error"].get("desc")))
    return msg.get("return")

f.readline()  # greeting
run("qmp_capabilities")
ret = run(cmd, args)
if cmd == "device_del":
    s.settimeout(30)
    want = args.get("id")
    while not any(e["event"] == "DEVICE_DELETED" and
                  e.get("data", {}).get("device") == want for e in events):
        line = f.readline()
        if not line:
            sys.exit("qmp_hot: no DEVICE_DELETED for " + want)
        msg = json.loads(line)
        if "event" in msg:
            events.append(msg)
print(json.dumps(ret))
PY
}
