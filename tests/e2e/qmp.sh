# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# QMP from the host side of a case: a guest started by boot() with a
# during_boot function defined runs in the background with its QMP socket
# at $work/qmp.sock (lib.sh), and during_boot talks to it.

# set by lib.sh, which the case sources first
: "${work:?}"

# qmp_cmd JSON: sends one QMP command, prints its reply ({"return": ...} or
# {"error": ...}) on one line; events are skipped.  Exit status 1 when the
# socket does not answer within 30 s.
qmp_cmd() {
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
