# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# QMP from the host side of a case, for hotplug.  qmp_hot: the case adds
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

# qmp_cmd JSON: for a guest started by boot() with a during_boot function
# (lib.sh runs it in the background, its QMP socket at $work/qmp.sock):
# sends one QMP command, prints its reply ({"return": ...} or
# {"error": ...}) on one line; events are skipped.  Exit status 1 when the
# socket does not answer within 30 s.
qmp_cmd() {
	: "${work:?lib.sh sets it}"
	python3 - "$work/qmp.sock" "$1" <<'EOF_PY'
import json, socket, sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
f = s.makefile("rw")


def reply():
    while True:
        line = f.readline()
        if not line:
            sys.exit(1)
        m = json.loads(line)
        if "return" in m or "error" in m:
            return m


f.readline()  # the greeting
f.write('{"execute": "qmp_capabilities"}\n')
f.flush()
reply()
f.write(sys.argv[2] + "\n")
f.flush()
print(json.dumps(reply()))
EOF_PY
}

# wait_guest MARKER [SECONDS]: waits until the guest printed "@@@MARKER"
# on its results port (see ready in the case's guest script); 1 on timeout
wait_guest() {
	local i

	for ((i = 0; i < ${2:-120} * 10; i++)); do
		grep -q -a "^@@@$1" "$work/results.txt" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# For a case whose guest announces steps (step in guest.sh) and whose
# qemu_devs hold -qmp unix:$qmp,server=on,wait=off:
# wait_step NAME: waits (E2E_TIMEOUT at most) for the guest's step NAME
wait_step() {
	local n=0

	until grep -a -q "^@@@STEP $1" "$work/results.txt" 2>/dev/null; do
		((n++ > 10 * E2E_TIMEOUT)) && return 1
		sleep 0.1
	done
}

# hot_shm ID PATH [SIZE]: a shared file-backed memory backend for ivshmem
hot_shm() {
	: "${qmp:?the case sets qmp, its QMP socket}"
	qmp_hot "$qmp" object-add \
		"{\"qom-type\": \"memory-backend-file\", \"id\": \"$1\", \"mem-path\": \"$2\", \"size\": ${3:-67108864}, \"share\": true}"
}

# hot_dev JSON: device_add with those arguments
hot_dev() {
	: "${qmp:?the case sets qmp, its QMP socket}"
	qmp_hot "$qmp" device_add "$1"
}

# boot_with_host_steps: boots the guest while the case's host_steps (its
# QMP side, ending with "host-steps-done") runs beside it, then checks that
# every step ran
boot_with_host_steps() {
	local pid

	host_steps >"$work/host-steps.log" 2>&1 &
	pid=$!
	boot
	wait "$pid"
	like "$(cat "$work/host-steps.log")" "host-steps-done" "every QMP hotplug step ran"
}
