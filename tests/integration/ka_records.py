#!/usr/bin/env python3
"""ka_records.py PORT N INTERVAL RUN K - the attacker of the relocation tests (mig_nginx.sh,
mig_service.sh): ONE keep-alive connection to 198.18.0.80:PORT, N requests GET /?r=RUN&i=I at
INTERVAL s; request K (none when K is -1) carries an SQL injection the IPS's default rules
catch. Prints "PORT localport", then "I TIME RECORDS" per answer (RECORDS: the number before
"customer records" in the body, which tells production from the honeypot), and "END ok" or
"END error REASON" (a closed or reset connection is an error)."""
import re, socket, sys, time
port, n, interval, run, k = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = socket.create_connection(("198.18.0.80", port), timeout=5); s.settimeout(5)
print("PORT", s.getsockname()[1], flush=True)
buf = b""
try:
    for i in range(n):
        # request k (if any) is an SQL injection the IPS's default rules catch
        path = b"/?r=%d&i=%d" % (run, i)
        if i == k: path += b"&id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--"
        s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-attacker\r\n\r\n")
        while b"\r\n\r\n" not in buf:
            c = s.recv(65536)
            if not c: raise ConnectionError("closed")
            buf += c
        h, rest = buf.split(b"\r\n\r\n", 1)
        ln = int(re.search(rb"content-length: *(\d+)", h, re.I).group(1))
        while len(rest) < ln:
            c = s.recv(65536)
            if not c: raise ConnectionError("closed mid-body")
            rest += c
        body, buf = rest[:ln], rest[ln:]
        m = re.search(rb"(\d+) customer records", body)
        print(i, "%.3f" % time.time(), m.group(1).decode() if m else "?", flush=True)
        time.sleep(interval)
    print("END ok", flush=True)
except Exception as e:
    print("END error", repr(e), flush=True)
