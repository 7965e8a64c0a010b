#!/usr/bin/env python3
"""fake_switch.py HOST PORT DPID - a misbehaving OpenFlow switch. Runs a series of malformed
sessions against the controller and checks each outcome: the controller answers with an OpenFlow
ERROR or hangs up, and keeps accepting connections. Ends with a well-behaved handshake that
must receive FLOW_MODs. Exit 0 when every case behaved, 1 otherwise."""
import json
import os
import random
import socket
import struct
import sys
import time

HOST, PORT, DPID = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 0)
DPID2 = int(sys.argv[4], 0) if len(sys.argv) > 4 else None      # a second switch of the topology
CTL_SOCK = sys.argv[5] if len(sys.argv) > 5 else None          # control socket for status
OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_FEATURES_REQUEST = 0, 1, 2, 5
OFPT_FEATURES_REPLY, OFPT_PACKET_IN, OFPT_FLOW_MOD, OFPT_MULTIPART_REPLY = 6, 10, 14, 19
failures = []


def hdr(mtype, length, xid=1, version=4):
    return struct.pack("!BBHI", version, mtype, length, xid)


def msg(mtype, body=b"", xid=1, version=4):
    return hdr(mtype, 8 + len(body), xid, version) + body


def hello():
    # version bitmap element: type 1, length 8, bitmap with bit 4
    return msg(OFPT_HELLO, struct.pack("!HHI", 1, 8, 1 << 4))


def connect():
    s = socket.create_connection((HOST, PORT), timeout=3)
    s.settimeout(3)
    return s


def read_msgs(s, seconds=1.5):
    """Read whole messages until timeout or close; returns (list of (type, body), closed)."""
    buf, out, closed = b"", [], False
    end = time.time() + seconds
    while time.time() < end:
        s.settimeout(max(0.05, end - time.time()))
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        buf += chunk
        while len(buf) >= 8:
            _, t, ln, xid = struct.unpack("!BBHI", buf[:8])
            if ln < 8 or len(buf) < ln:
                break
            out.append((t, buf[8:ln], xid))
            buf = buf[ln:]
    return out, closed


def handshake(s, dpid=DPID):
    s.sendall(hello())
    msgs, _ = read_msgs(s, 1.0)
    types = [m[0] for m in msgs]
    if OFPT_HELLO not in types or OFPT_FEATURES_REQUEST not in types:
        return False, types
    feat = struct.pack("!QIBB2xII", dpid, 0, 254, 0, 0x4F, 0)
    s.sendall(msg(OFPT_FEATURES_REPLY, feat, xid=2))
    return True, types


def case(name, fn):
    try:
        ok, detail = fn()
    except Exception as e:  # a broken case is a failure, never a pass
        ok, detail = False, "exception: %r" % e
    print("%-44s %s  %s" % (name, "ok  " if ok else "FAIL", detail))
    if not ok:
        failures.append(name)
    # the controller must still accept and greet a new connection
    try:
        s = connect()
        m, _ = read_msgs(s, 1.0)
        s.close()
        if not any(x[0] == OFPT_HELLO for x in m):
            failures.append(name + " (controller no longer greets)")
            print("   controller no longer greets new connections")
    except Exception as e:
        failures.append(name + " (controller unreachable)")
        print("   controller unreachable after the case: %r" % e)


def error_or_close(s, payload, read_first=True, seconds=1.5):
    if read_first:
        read_msgs(s, 0.3)
    s.sendall(payload)
    msgs, closed = read_msgs(s, seconds)
    errs = [x[1] for x in msgs if x[0] == OFPT_ERROR]
    s.close()
    return bool(errs) or closed, "errors=%d closed=%s" % (len(errs), closed)


def c_not_hello():
    s = connect()
    return error_or_close(s, msg(OFPT_ECHO_REQUEST))


def c_old_version():
    s = connect()
    return error_or_close(s, msg(OFPT_HELLO, struct.pack("!HHI", 1, 8, 1 << 1), version=1))


def c_short_length():
    s = connect()
    s.sendall(hello())
    return error_or_close(s, hdr(OFPT_ECHO_REQUEST, 4) + b"\x00" * 16)


def c_truncated_then_close():
    s = connect()
    ok, types = handshake(s)
    s.sendall(hdr(OFPT_PACKET_IN, 200) + b"\x00" * 20)  # promises 200 bytes, sends 28
    time.sleep(0.2)
    s.close()
    return ok, "handshake types %s" % types


def c_oversized_body():
    s = connect()
    handshake(s)
    # a 65535-byte FLOW_MOD from a switch whose match length runs past the end
    body = struct.pack("!QQBBHHHIIIH2x", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    body += struct.pack("!HH", 1, 0xFFF0)
    body += os.urandom(65535 - 8 - len(body))
    return error_or_close(s, msg(OFPT_FLOW_MOD, body), read_first=True, seconds=2.5)


def c_bad_packet_in():
    s = connect()
    handshake(s)
    # PACKET_IN whose OXM match length overflows the message
    body = struct.pack("!IHBBQ", 0xFFFFFFFF, 60, 0, 0, 0) + struct.pack("!HH", 1, 400) + b"\0" * 4
    return error_or_close(s, msg(OFPT_PACKET_IN, body))


def c_bad_multipart():
    s = connect()
    handshake(s)
    body = struct.pack("!HH4x", 1, 0) + struct.pack("!HB", 900, 0) + b"\0" * 10
    return error_or_close(s, msg(OFPT_MULTIPART_REPLY, body))


def c_unknown_type():
    s = connect()
    handshake(s)
    return error_or_close(s, msg(77, b"\x01\x02\x03"))


def c_garbage_stream():
    s = connect()
    rnd = random.Random(1234)
    data = bytes(rnd.getrandbits(8) for _ in range(4096))
    return error_or_close(s, data, read_first=False)


def c_garbage_after_handshake():
    s = connect()
    handshake(s)
    rnd = random.Random(99)
    payload = b""
    for _ in range(200):  # 200 well-framed messages with random bodies and types
        t = rnd.choice([1, 6, 10, 11, 12, 19, 21, 30, 99])
        payload += msg(t, bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 80))))
    return error_or_close(s, payload, seconds=2.0)


def c_good_switch():
    s = connect()
    ok, types = handshake(s)
    msgs, closed = read_msgs(s, 1.5)
    got = [m[0] for m in msgs]
    # answer the flow-stats request with an empty reply so the controller installs its flows
    xids = [m[2] for m in msgs if m[0] == 18 and len(m[1]) >= 2 and struct.unpack("!H", m[1][:2])[0] == 1]
    if not xids:
        s.close()
        return False, "no flow-stats request; got %s" % got
    s.sendall(msg(OFPT_MULTIPART_REPLY, struct.pack("!HH4x", 1, 0), xid=xids[0]))
    more, closed2 = read_msgs(s, 1.5)
    s.close()
    got2 = [m[0] for m in more]
    n_mods = got2.count(OFPT_FLOW_MOD)
    return ok and not closed and not closed2 and n_mods > 0 and 20 in got2, \
        "flow-stats request answered; then %d FLOW_MODs and %s barrier" % (n_mods, "a" if 20 in got2 else "no")


def converge(s, dpid):
    """Handshake as a well-behaved switch and answer until the controller says ready."""
    ok, types = handshake(s, dpid)
    if not ok:
        return False
    msgs, _ = read_msgs(s, 1.5)
    xids = [m[2] for m in msgs if m[0] == 18 and struct.unpack("!H", m[1][:2])[0] == 1]
    if not xids:
        return False
    s.sendall(msg(OFPT_MULTIPART_REPLY, struct.pack("!HH4x", 1, 0), xid=xids[0]))
    more, _ = read_msgs(s, 1.5)
    barriers = [m[2] for m in more if m[0] == 20]
    if not barriers:
        return False
    s.sendall(msg(21, b"", xid=barriers[0]))
    return True


def status():
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(3)
    c.connect(CTL_SOCK)
    c.sendall(b'{"cmd":"status"}\n')
    data = b""
    while not data.endswith(b"\n"):
        chunk = c.recv(65536)
        if not chunk:
            break
        data += chunk
    c.close()
    return json.loads(data)


def c_two_switches():
    s1, s2 = connect(), connect()
    ok1, ok2 = converge(s1, DPID), converge(s2, DPID2)
    time.sleep(0.3)
    st = status()
    ready = {sw["dpid"]: sw["ready"] for sw in st["switches"]}
    s1.close()
    s2.close()
    want = ["0x%016x" % DPID, "0x%016x" % DPID2]
    return ok1 and ok2 and all(ready.get(d) for d in want), "ready: %s" % ready


case("first message not HELLO", c_not_hello)
case("HELLO offering only OpenFlow 1.0", c_old_version)
case("header length below 8", c_short_length)
case("truncated message, then close", c_truncated_then_close)
case("oversized FLOW_MOD with runaway match", c_oversized_body)
case("PACKET_IN with overflowing match", c_bad_packet_in)
case("MULTIPART_REPLY with bad entry length", c_bad_multipart)
case("unknown message type", c_unknown_type)
case("4 KiB of random bytes", c_garbage_stream)
case("200 random framed messages", c_garbage_after_handshake)
case("well-behaved switch after all that", c_good_switch)
if DPID2 is not None and CTL_SOCK:
    case("two switches (datapaths) at once", c_two_switches)
print("%d case(s) failed" % len(failures) if failures else "all cases ok")
sys.exit(1 if failures else 0)
