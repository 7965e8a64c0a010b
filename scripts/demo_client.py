#!/usr/bin/env python3
"""demo_client.py N INTERVAL [PORTFILE] [--attack-at K] [--machine] [--server IP] [--go FILE] - an
attacker's ONE keep-alive HTTP connection to web: N requests INTERVAL seconds apart; request K
(--attack-at) is an SQL injection the IPS's default rules catch. Writes its local port to
PORTFILE, prints one line per answer: request number, time, and which server answered
(production's page says 1204 customer records, the honeypot's decoy 1198).
--machine prints "i t_sent t_answer marker" per answer and "END ok" / "END error ..." at the end
(for tests)."""
import argparse
import re
import socket
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("n", type=int)
ap.add_argument("interval", type=float)
ap.add_argument("portfile", nargs="?")
ap.add_argument("--attack-at", type=int, default=-1)
ap.add_argument("--machine", action="store_true")
ap.add_argument("--server", default="198.18.0.80")
ap.add_argument("--go", metavar="FILE", help="after connecting (and writing PORTFILE), wait until "
                "FILE exists before sending the first request")
a = ap.parse_args()

ATTACK = b"/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--"
s = socket.create_connection((a.server, 80), timeout=5)
s.settimeout(5)
port = s.getsockname()[1]
if a.portfile:
    with open(a.portfile, "w") as f:
        f.write("%d\n" % port)
if a.machine:
    print("PORT", port, flush=True)
if a.go:
    import os
    while not os.path.exists(a.go):
        time.sleep(0.02)
buf = b""
t0 = time.time()
try:
    for i in range(a.n):
        path = ATTACK if i == a.attack_at else b"/?page=%d" % i
        ts = time.time()
        s.sendall(b"GET %s HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-attacker\r\n\r\n" % path)
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
        mark = m.group(1).decode() if m else "?"
        ta = time.time()
        if a.machine:
            print(i, "%.6f" % ts, "%.6f" % ta, mark, flush=True)
        else:
            who = {"1204": "production", "1198": "HONEYPOT (decoy)"}.get(mark, "?")
            what = "SQL injection" if i == a.attack_at else "benign request"
            print("  t=%6.3fs  %-14s %2d on port %d answered by %-16s in %6.1f ms"
                  % (ta - t0, what, i, port, who, (ta - ts) * 1000), flush=True)
        time.sleep(a.interval)
    print("END ok" if a.machine else "  same TCP connection throughout: no reset, no reconnect",
          flush=True)
except Exception as e:
    print(("END error %r" if a.machine else "  connection failed: %r") % e, flush=True)
    sys.exit(1)
