#!/usr/bin/env python3
"""keepalive_probe.py HOST PORT PATH STOPFILE INTERVAL_MS

One TCP connection, HTTP/1.1 keep-alive GETs of PATH every INTERVAL_MS until STOPFILE exists
(at most 120 s). Prints "ms_since_start local_port body" per answer. Exits 1 when the
connection fails (reset, EOF, 5 s without an answer): the test's proof the socket survived."""
import os
import socket
import sys
import time

host, port, path, stop, interval = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
s = socket.create_connection((host, port), timeout=5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
lport = s.getsockname()[1]
req = ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: keep-alive\r\n\r\n" % (path, host)).encode()
t0 = time.monotonic()
buf = b""


def answer():
    global buf
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise ConnectionError("EOF")
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(rest) < length:
        d = s.recv(65536)
        if not d:
            raise ConnectionError("EOF in body")
        rest += d
    buf = rest[length:]
    status = head.split(b"\r\n")[0].decode()
    if " 200 " not in status + " ":
        raise ConnectionError(status)
    return rest[:length].decode().strip()


try:
    while not os.path.exists(stop) and time.monotonic() - t0 < 120:
        s.sendall(req)
        body = answer()
        print("%.1f %d %s" % ((time.monotonic() - t0) * 1000, lport, body), flush=True)
        time.sleep(interval / 1000)
except Exception as e:  # noqa: BLE001 - any failure ends the test
    print("client: connection failed after %.1f ms: %r" % ((time.monotonic() - t0) * 1000, e),
          file=sys.stderr)
    sys.exit(1)
print("client: done, one socket (port %d)" % lport, file=sys.stderr)
