#!/usr/bin/env python3
"""Stands in for systemd's notification socket in ReadinessIT (Java 17 cannot bind an AF_UNIX
datagram socket): binds SOCKET, writes each message received to OUT as one line (newlines as
'|'), and closes any file descriptor passed with it, which is how the manager answers
systemd-notify's BARRIER=1. Runs until killed, or for 120 s."""
import array
import os
import socket
import sys
import time

path, out = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
sock.settimeout(1)
deadline = time.monotonic() + 120
with open(out, "a", buffering=1) as log:
    while time.monotonic() < deadline:
        try:
            data, ancillary, _, _ = sock.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
        except socket.timeout:
            continue
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds = array.array("i")
                fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
                for fd in fds:
                    os.close(fd)
        message = data.decode("utf-8", "replace")
        log.write(message.replace("\n", "|") + "\n")
