#!/usr/bin/env python3
"""gen_http_pcap.py OUT.pcap [--flows N] [--seed S] [--attack-every K]

Write a deterministic pcap (Ethernet, microsecond timestamps) of mixed benign HTTP/1.1:
keep-alive connections with GETs of pages (with query strings), static files (CSS, JS, PNG),
form POSTs and JSON API calls, realistic request and response headers, responses segmented
at MSS 1448 with client ACKs, three-way handshakes and FIN closes. Clients come from
203.0.113.0/24 and 198.51.100.0/24 (outside the IPS HOME_NET), servers are 198.18.0.0/15.
TCP checksums are left zero (the IPS does not verify them by default, as with checksum
offload); IPv4 header checksums are correct. --attack-every K makes every K-th request a
SQL injection (for tests; the benchmark uses 0 = none). Prints a summary line to stderr."""
import argparse
import random
import struct
import sys

MSS = 1448
WORDS = ("the quick brown fox jumps over lazy dog account order invoice product search "
         "shipping cart customer review price delivery weather news report summary team "
         "project meeting update release notes support contact about privacy terms").split()
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2 Safari/605.1.15",
    "python-requests/2.31.0",
]


class Writer:
    def __init__(self, f):
        self.f = f
        self.ts = 1795426200_000000  # 2026-11-23T09:30:00Z in microseconds
        self.frames = 0
        self.bytes = 0
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

    def frame(self, src, dst, sport, dport, seq, ack, flags, payload=b"", ip_id=0):
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          5 << 4, flags, 65535, 0, 0)
        total = 20 + len(tcp) + len(payload)
        iph = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ip_id & 0xFFFF, 0x4000, 64, 6, 0,
                          src.to_bytes(4, "big"), dst.to_bytes(4, "big"))
        s = sum(struct.unpack("!10H", iph))
        s = (s & 0xFFFF) + (s >> 16)
        s = (s & 0xFFFF) + (s >> 16)
        iph = iph[:10] + struct.pack("!H", ~s & 0xFFFF) + iph[12:]
        eth = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
        pkt = eth + iph + tcp + payload
        self.ts += 7
        self.f.write(struct.pack("<IIII", self.ts // 1000000, self.ts % 1000000, len(pkt),
                                 len(pkt)))
        self.f.write(pkt)
        self.frames += 1
        self.bytes += len(pkt)


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_blobs(rng):
    html = ("<!DOCTYPE html><html><head><title>Shop</title></head><body>"
            + "".join(f"<p class=\"c{i % 7}\">{words(rng, 40)}</p>\n" for i in range(400))
            + "</body></html>").encode()
    css = "".join(f".c{i} {{ margin: {i % 9}px; color: #{i * 2654435761 % 16777216:06x}; }}\n"
                  for i in range(3000)).encode()
    js = "".join(f"function f{i}(a, b) {{ return a * {i} + b; }}\n" for i in range(3000)).encode()
    png = bytes(rng.getrandbits(8) for _ in range(200000))
    return {"text/html": html, "text/css": css, "application/javascript": js, "image/png": png}


def request(rng, host, agent, k, attack):
    kind = rng.random()
    common = (f"Host: {host}\r\nUser-Agent: {agent}\r\nAccept-Language: en-US,en;q=0.9\r\n"
              f"Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
              f"Cookie: session={rng.getrandbits(64):016x}; theme=light\r\n")
    if attack:
        return (f"GET /item?id={k}+UNION+SELECT+username,password+FROM+users HTTP/1.1\r\n"
                f"{common}Accept: */*\r\n\r\n").encode(), "text/html"
    if kind < 0.35:
        q = "+".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        return (f"GET /search?q={q}&page={rng.randint(1, 20)} HTTP/1.1\r\n{common}"
                f"Accept: text/html,application/xhtml+xml\r\n\r\n").encode(), "text/html"
    if kind < 0.7:
        ct, ext = rng.choice([("text/css", "css"), ("application/javascript", "js"),
                              ("image/png", "png")])
        return (f"GET /static/{rng.choice(WORDS)}-{rng.randint(1, 500)}.{ext} HTTP/1.1\r\n"
                f"{common}Accept: */*\r\nReferer: http://{host}/\r\n\r\n").encode(), ct
    if kind < 0.85:
        body = (f"name={rng.choice(WORDS)}+{rng.choice(WORDS)}&email=user{rng.randint(1, 9999)}"
                f"%40example.com&comment={'+'.join(words(rng, 12).split())}&qty="
                f"{rng.randint(1, 9)}").encode()
        return (f"POST /account/update HTTP/1.1\r\n{common}"
                f"Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body, "text/html"
    body = (f'{{"order_id": {rng.randint(1, 10**6)}, "items": [{{"sku": "A-{rng.randint(1, 999)}"'
            f', "qty": {rng.randint(1, 5)}}}], "note": "{words(rng, 8)}"}}').encode()
    return (f"POST /api/v1/orders HTTP/1.1\r\n{common}Content-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body, \
        "application/json"


def response(rng, ct, blobs):
    if ct == "application/json":
        body = (f'{{"status": "ok", "id": {rng.randint(1, 10**6)}, "eta_days": '
                f'{rng.randint(1, 9)}}}').encode()
    else:
        blob = blobs[ct]
        n = {"text/html": rng.randint(2000, 30000), "text/css": rng.randint(1000, 20000),
             "application/javascript": rng.randint(2000, 40000),
             "image/png": rng.randint(500, 60000)}[ct]
        start = rng.randint(0, len(blob) - n)
        body = blob[start:start + n]
    head = (f"HTTP/1.1 200 OK\r\nDate: Mon, 23 Nov 2026 09:30:00 GMT\r\nServer: nginx/1.22.1\r\n"
            f"Content-Type: {ct}\r\nContent-Length: {len(body)}\r\n"
            f"Cache-Control: max-age=600\r\nConnection: keep-alive\r\n\r\n").encode()
    return head + body


def flow(w, rng, i, blobs, attack_every, counter):
    cli = (203 << 24 | 0 << 16 | 113 << 8) if i % 2 else (198 << 24 | 51 << 16 | 100 << 8)
    cli |= 1 + i % 250
    srv = 198 << 24 | 18 << 16 | (i % 4) << 8 | 10
    sport = 10000 + i % 50000
    dport = 80
    host = f"shop{i % 4}.example"
    agent = rng.choice(AGENTS)
    c = rng.getrandbits(32)
    s = rng.getrandbits(32)
    w.frame(cli, srv, sport, dport, c, 0, 0x02)
    w.frame(srv, cli, dport, sport, s, c + 1, 0x12)
    c += 1
    s += 1
    w.frame(cli, srv, sport, dport, c, s, 0x10)
    for _ in range(rng.randint(1, 8)):
        counter[0] += 1
        attack = attack_every > 0 and counter[0] % attack_every == 0
        req, ct = request(rng, host, agent, counter[0], attack)
        for off in range(0, len(req), MSS):
            seg = req[off:off + MSS]
            w.frame(cli, srv, sport, dport, c, s, 0x18, seg)
            c += len(seg)
        resp = response(rng, ct, blobs)
        nseg = 0
        for off in range(0, len(resp), MSS):
            seg = resp[off:off + MSS]
            w.frame(srv, cli, dport, sport, s, c, 0x18 if off + MSS >= len(resp) else 0x10, seg)
            s += len(seg)
            nseg += 1
            if nseg % 2 == 0:
                w.frame(cli, srv, sport, dport, c, s, 0x10)
        w.frame(cli, srv, sport, dport, c, s, 0x10)
    w.frame(cli, srv, sport, dport, c, s, 0x11)
    c += 1
    w.frame(srv, cli, dport, sport, s, c, 0x11)
    s += 1
    w.frame(cli, srv, sport, dport, c, s, 0x10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--flows", type=int, default=1600)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--attack-every", type=int, default=0)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    blobs = make_blobs(rng)
    counter = [0]
    with open(a.out, "wb") as f:
        w = Writer(f)
        for i in range(a.flows):
            flow(w, rng, i, blobs, a.attack_every, counter)
    sys.stderr.write(f"{a.out}: {a.flows} flows, {counter[0]} requests, {w.frames} frames, "
                     f"{w.bytes} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
