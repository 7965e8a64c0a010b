#!/usr/bin/env python3
"""keepalive_client.py HOST PORT SECONDS [INTERVAL] - send HTTP/1.1 GETs over ONE TCP
connection for SECONDS. Prints one JSON line: requests, errors, reconnects (always 0: a closed or
reset connection is an error and ends the run), local port, and the bodies' distinct first lines.
Exit 0 when every request was answered on the same connection."""
import json
import socket
import sys
import time

host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
interval = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
path = sys.argv[5] if len(sys.argv) > 5 else "/"


def read_response(sock, buf):
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by peer")
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed mid-body")
        rest += chunk
    return status, rest[:length], rest[length:]


result = {"requests": 0, "ok": 0, "errors": 0, "error": None, "local_port": None, "statuses": {}}
try:
    s = socket.create_connection((host, port), timeout=5)
    s.settimeout(5)
    result["local_port"] = s.getsockname()[1]
    buf = b""
    end = time.time() + seconds
    while time.time() < end:
        result["requests"] += 1
        s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: hs-keepalive\r\n\r\n" % (path, host)).encode())
        status, body, buf = read_response(s, buf)
        result["statuses"][status] = result["statuses"].get(status, 0) + 1
        if status.split()[1] == "200":
            result["ok"] += 1
        else:
            result["errors"] += 1
        time.sleep(interval)
    s.close()
except Exception as e:  # any failure on the connection ends the run and is reported
    result["errors"] += 1
    result["error"] = repr(e)
print(json.dumps(result))
sys.exit(0 if result["errors"] == 0 and result["ok"] == result["requests"] else 1)
