#!/usr/bin/env python3
"""demo_client.py N INTERVAL [PORTFILE] - the demo's attacker: ONE keep-alive connection to
web (198.18.0.80:80), N requests INTERVAL seconds apart. Writes its local port to PORTFILE,
prints one line per answer: request number, time, and which server answered (production's page
says 1204 customer records, the honeypot's decoy 1198)."""
import re
import socket
import sys
import time

n, interval = int(sys.argv[1]), float(sys.argv[2])
s = socket.create_connection(("198.18.0.80", 80), timeout=5)
s.settimeout(5)
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as f:
        f.write("%d\n" % s.getsockname()[1])
buf = b""
t0 = time.time()
try:
    for i in range(n):
        s.sendall(b"GET /?page=%d HTTP/1.1\r\nHost: web\r\nUser-Agent: demo\r\n\r\n" % i)
        while b"\r\n\r\n" not in buf:
            c = s.recv(65536)
            if not c:
                raise ConnectionError("connection closed by the server")
            buf += c
        head, rest = buf.split(b"\r\n\r\n", 1)
        ln = int(re.search(rb"content-length: *(\d+)", head, re.I).group(1))
        while len(rest) < ln:
            c = s.recv(65536)
            if not c:
                raise ConnectionError("connection closed mid-body")
            rest += c
        body, buf = rest[:ln], rest[ln:]
        m = re.search(rb"(\d+) customer records", body)
        who = {b"1204": "production", b"1198": "HONEYPOT"}.get(m.group(1) if m else b"", "?")
        print("  t=%6.3fs  request %2d on port %d answered by %s"
              % (time.time() - t0, i, s.getsockname()[1], who), flush=True)
        time.sleep(interval)
    print("  same TCP connection throughout: no reset, no reconnect", flush=True)
except Exception as e:
    print("  connection failed: %r" % e, flush=True)
    sys.exit(1)
