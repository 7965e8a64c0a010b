#!/usr/bin/env python3
"""bench_attacker.py - the attacker of `honeyshift bench relocation` (runs in the lab's attacker
host; embedded in the honeyshift binary and written next to the lab's files at run time).

usage: bench_attacker.py HOST PORT PROD_MARK DECOY_MARK MODE TIMEOUT_S
  Opens ONE keep-alive connection to HOST:PORT, sends a benign request, prints
  {"event":"ready","port":P,"benign_prod":B}, waits for a line "go" on stdin (EOF: exits),
  then sends the second request (MODE ips: an SQL injection the IPS detects; operator: a
  plain request) and measures the time from sending it to the first byte of the answer, reads
  the answer, sends a follow-up request on the same connection, and prints
  {"event":"result","port":P,"sent":T,"first_byte":T,"done":T,"status":N,"decoy":B,"prod":B,
   "after_decoy":B,"error":S}.  Times are Unix seconds (time.time())."""
import json
import socket
import sys
import time

MALICIOUS = "/?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20"


def request(path):
    return ("GET %s HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-bench-attacker\r\n"
            "Connection: keep-alive\r\n\r\n" % path).encode()


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buf = b""

    def more(self):
        c = self.s.recv(65536)
        if not c:
            raise ConnectionError("connection closed by peer")
        self.buf += c

    def response(self):
        """One HTTP/1.1 response: (status, body)."""
        while b"\r\n\r\n" not in self.buf:
            self.more()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        hdr = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(b":")
            hdr[k.strip().lower()] = v.strip()
        if hdr.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = b""
            while True:
                while b"\r\n" not in self.buf:
                    self.more()
                size_line, self.buf = self.buf.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0], 16)
                while len(self.buf) < size + 2:
                    self.more()
                body += self.buf[:size]
                self.buf = self.buf[size + 2:]
                if size == 0:
                    break
            return status, body
        n = int(hdr.get(b"content-length", b"0"))
        while len(self.buf) < n:
            self.more()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, body


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    host, port, prod, decoy, mode, timeout = sys.argv[1:7]
    prod, decoy, timeout = prod.encode(), decoy.encode(), float(timeout)
    s = socket.create_connection((host, int(port)), timeout=5)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    lport = s.getsockname()[1]
    c = Conn(s)
    s.sendall(request("/?step=benign"))
    st, body = c.response()
    out({"event": "ready", "port": lport, "benign_prod": st == 200 and prod in body})
    if sys.stdin.readline().strip() != "go":
        return 0
    res = {"event": "result", "port": lport, "sent": 0, "first_byte": 0, "done": 0,
           "status": 0, "decoy": False, "prod": False, "after_decoy": False, "error": ""}
    s.settimeout(timeout)
    try:
        res["sent"] = time.time()
        s.sendall(request(MALICIOUS if mode == "ips" else "/?step=second"))
        c.more()
        res["first_byte"] = time.time()
        st, body = c.response()
        res["done"] = time.time()
        res.update(status=st, decoy=decoy in body, prod=prod in body)
        s.sendall(request("/?step=after"))
        st, body = c.response()
        res["after_decoy"] = st == 200 and decoy in body and prod not in body
    except Exception as e:  # reset, timeout, garbage: the run failed, say why
        res["error"] = "%s: %s" % (type(e).__name__, e)
    out(res)
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
