#!/usr/bin/env python3
"""bench_benign.py - the benign client of `honeyshift bench relocation` (runs in the lab's
client host; embedded in the honeyshift binary and written next to the lab's files at run time).

usage: bench_benign.py HOST PORT RATE OUTFILE MAX_SECONDS
  Sends GET / to HOST:PORT, one new connection per request, at RATE requests per second in
  total (4 threads, each paced on its own schedule), until stdin reaches EOF or MAX_SECONDS
  pass. Every request is one line "START LATENCY_MS OK" in OUTFILE (START in Unix seconds,
  OK 1 for a complete HTTP 200 answer within 2 s, else 0)."""
import socket
import sys
import threading
import time

THREADS = 4


def one(host, port):
    t0 = time.time()
    ok = 0
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.settimeout(2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: web\r\nUser-Agent: hs-bench-benign\r\n"
                      b"Connection: close\r\n\r\n")
            data = b""
            while True:
                c = s.recv(65536)
                if not c:
                    break
                data += c
            ok = 1 if data.startswith(b"HTTP/1.1 200") else 0
    except Exception:
        ok = 0
    return t0, (time.time() - t0) * 1000.0, ok


def main():
    host, port, rate, path, max_s = sys.argv[1:6]
    port, rate, max_s = int(port), float(rate), float(max_s)
    stop = threading.Event()
    lock = threading.Lock()
    f = open(path, "w")
    interval = THREADS / rate

    def worker(k):
        nxt = time.time() + k * interval / THREADS
        while not stop.is_set():
            now = time.time()
            if now < nxt:
                stop.wait(nxt - now)
                continue
            t0, lat, ok = one(host, port)
            with lock:
                f.write("%.6f %.3f %d\n" % (t0, lat, ok))
            nxt += interval
            if nxt < time.time() - 1:   # far behind (a long stall): do not burst
                nxt = time.time()

    def flusher():
        while not stop.wait(0.5):
            with lock:
                f.flush()

    def watch_stdin():
        sys.stdin.read()
        stop.set()

    ths = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(THREADS)]
    ths.append(threading.Thread(target=flusher, daemon=True))
    threading.Thread(target=watch_stdin, daemon=True).start()
    for t in ths:
        t.start()
    stop.wait(max_s)
    stop.set()
    for t in ths:
        t.join(3)
    with lock:
        f.flush()
        f.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
