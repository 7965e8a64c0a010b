#!/usr/bin/env python3
"""connect_probe.py HOST PORT PATH STOPFILE INTERVAL_MS

A new TCP connection every INTERVAL_MS until STOPFILE exists (at most 120 s): connect, send an
HTTP/1.0 GET of PATH, close without waiting for the answer (a frozen server, e.g. one being
checkpointed, does not stop the SYNs: only an unanswered SYN blocks the next one). Prints
"ms_since_start connect_ms total_ms status" per connection (status "ok" or the error). A SYN
lost while the server was being checkpointed shows as a connect_ms of 1000 or more (Linux's
initial SYN RTO); the caller counts the namespace's SYN retransmissions (nstat
TcpExtTCPSynRetrans)."""
import os
import socket
import sys
import time

host, port, path, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
interval = int(sys.argv[5])
req = ("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" % (path, host)).encode()
t0 = time.monotonic()

while not os.path.exists(stop) and time.monotonic() - t0 < 120:
    start = time.monotonic()
    status, connect_ms = "ok", -1.0
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((host, port))
        connect_ms = (time.monotonic() - start) * 1000
        s.sendall(req)
    except OSError as e:
        status = type(e).__name__
    finally:
        s.close()
    print("%.1f %.1f %.1f %s" % ((start - t0) * 1000, connect_ms, (time.monotonic() - start) * 1000,
                                 status), flush=True)
    time.sleep(interval / 1000)
