#!/usr/bin/env python3
"""gen_corpus.py - regenerate the seed corpora of fuzz_stream and fuzz_pkt_decode.

Usage: gen_corpus.py [OUTDIR]  (default: the corpus/ directory next to this script)
Frames are Ethernet/IPv4/TCP with correct lengths and checksums. A fuzz_stream input is one
configuration byte then records: 2-byte big-endian header (low 14 bits length, top 2 bits
time step) + frame."""
import os
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(vlan=False, ethertype=0x0800):
    h = bytes.fromhex("020000000002020000000001")
    if vlan:
        return h + struct.pack("!HHH", 0x8100, 42, ethertype)
    return h + struct.pack("!H", ethertype)


def ipv4(src, dst, proto, payload, ident=1, frag=0):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                    bytes(src), bytes(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(src, dst, sport, dport, seq, ack, flags, data=b"", ident=1, vlan=False):
    t = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                    65535, 0, 0) + data
    ph = bytes(src) + bytes(dst) + struct.pack("!BBH", 0, 6, len(t))
    t = t[:16] + struct.pack("!H", csum(ph + t)) + t[18:]
    return eth(vlan) + ipv4(src, dst, 6, t, ident)


def frag_of(frame, off, length, mf, l3=14):
    ip = frame[l3:]
    pay = ip[20 + off:20 + off + length]
    hdr = bytearray(ip[:20])
    struct.pack_into("!H", hdr, 2, 20 + len(pay))
    struct.pack_into("!H", hdr, 6, (0x2000 if mf else 0) | (off // 8))
    struct.pack_into("!H", hdr, 10, 0)
    struct.pack_into("!H", hdr, 10, csum(bytes(hdr)))
    return frame[:l3] + bytes(hdr) + pay


C, S = [198, 18, 0, 1], [198, 18, 1, 1]
SYN, FIN, RST, PSH, ACK, URG = 0x02, 0x01, 0x04, 0x08, 0x10, 0x20


class Conn:
    def __init__(self, cport=40000, cisn=1000, sisn=5000, vlan=False):
        self.cport, self.cisn, self.sisn, self.vlan, self.ident = cport, cisn, sisn, vlan, 1

    def pkt(self, to_server, off, flags, data=b"", raw_seq=None):
        self.ident += 1
        if to_server:
            seq = self.cisn + 1 + off if raw_seq is None else raw_seq
            return tcp(C, S, self.cport, 80, seq, self.sisn + 1, flags, data, self.ident, self.vlan)
        seq = self.sisn + 1 + off if raw_seq is None else raw_seq
        return tcp(S, C, 80, self.cport, seq, self.cisn + 1, flags, data, self.ident, self.vlan)

    def handshake(self):
        return [self.pkt(True, 0, SYN, raw_seq=self.cisn),
                tcp(S, C, 80, self.cport, self.sisn, self.cisn + 1, SYN | ACK, b"", 1, self.vlan),
                self.pkt(True, 0, ACK)]


def records(cfg, frames, steps=None):
    out = bytes([cfg])
    for i, f in enumerate(frames):
        step = steps[i] if steps else 0
        out += struct.pack("!H", (step << 14) | len(f)) + f
    return out


def stream_seeds():
    seeds = {}
    c = Conn()
    req = b"GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n"
    seeds["in_order"] = records(0, c.handshake() + [c.pkt(True, 0, ACK | PSH, req[:10]),
                                                    c.pkt(True, 10, ACK | PSH, req[10:]),
                                                    c.pkt(False, 0, ACK | PSH, b"HTTP/1.1 200 OK\r\n"),
                                                    c.pkt(True, len(req), FIN | ACK),
                                                    c.pkt(False, 17, FIN | ACK)])
    c = Conn(40001, 0xFFFFFFF0, 0x7FFFFFFF)
    segs = [c.pkt(True, o, ACK, req[o:o + 8]) for o in range(0, len(req), 8)]
    seeds["reverse_wrap"] = records(2, c.handshake() + segs[::-1])
    c = Conn(40002)
    seeds["overlap_conflict"] = records(0, c.handshake() + [
        c.pkt(True, 8, ACK, b"AAAAAAAA"), c.pkt(True, 4, ACK, b"BBBBBBBB"),
        c.pkt(True, 0, ACK, b"CCCCCCCCCCCCCCCC"), c.pkt(True, 0, ACK, b"DDDD"),
        c.pkt(True, 2, ACK, b"xEVILx")])
    c = Conn(40003)
    seeds["retrans_rst"] = records(0, c.handshake() + [
        c.pkt(True, 0, ACK, b"hello"), c.pkt(True, 0, ACK, b"hellO"), c.pkt(True, 0, ACK, b"hello"),
        c.pkt(False, 0, RST | ACK), c.pkt(True, 5, ACK, b"after"),
        c.pkt(True, 0, SYN, raw_seq=99)])
    c = Conn(40004)
    whole = c.pkt(True, 0, ACK | PSH, bytes(range(256)) * 2)
    seeds["fragments"] = records(0, c.handshake() + [
        frag_of(whole, 256, 276, False), frag_of(whole, 8, 256, True), frag_of(whole, 0, 16, True)])
    c = Conn(40005)
    seeds["midstream_timeout"] = records(1, [c.pkt(True, 0, ACK, b"mid"), c.pkt(False, 0, ACK, b"str"),
                                             c.pkt(True, 3, ACK, b"eam")], [0, 3, 0])
    c = Conn(40006, vlan=True)
    seeds["vlan_urg"] = records(4, c.handshake() + [c.pkt(True, 0, ACK | URG, b"!"),
                                                    c.pkt(True, 1, ACK, b"x" * 400)])
    seeds["garbage"] = records(16, [b"\x00" * 13, eth() + b"\x45", eth(ethertype=0x86DD) + b"\0" * 40])
    return seeds


def decode_seeds():
    c = Conn()
    whole = c.pkt(True, 0, ACK, b"payload" * 4)
    udp = struct.pack("!HHHH", 53, 5353, 8 + 3, 0) + b"abc"
    return {
        "tcp": whole,
        "tcp_vlan": Conn(vlan=True).pkt(True, 0, ACK, b"v"),
        "udp": eth() + ipv4(C, S, 17, udp),
        "icmp": eth() + ipv4(C, S, 1, b"\x08\0\0\0\0\0\0\0"),
        "fragment": frag_of(whole, 8, 16, True),
        "truncated": whole[:30],
        "bad_version": whole[:14] + b"\x65" + whole[15:],
        "arp": eth(ethertype=0x0806) + b"\0" * 28,
        "options": eth() + bytes([0x46]) + whole[15:34] + b"\x01\x01\x07\x03" + whole[34:],
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    for target, seeds in (("fuzz_stream", stream_seeds()), ("fuzz_pkt_decode", decode_seeds())):
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
