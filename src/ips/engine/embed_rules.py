#!/usr/bin/env python3
"""embed_rules.py INPUT OUTPUT SYMBOL - write a C file defining `const char SYMBOL[]` that
holds INPUT's bytes, NUL-terminated (the default rule set, embedded at build time)."""
import sys


def main() -> int:
    if len(sys.argv) != 4:
        sys.stderr.write("usage: embed_rules.py INPUT OUTPUT SYMBOL\n")
        return 2
    src, dst, sym = sys.argv[1:]
    if not sym.isidentifier():
        sys.stderr.write(f"embed_rules.py: '{sym}' is not a C identifier\n")
        return 2
    with open(src, "rb") as f:
        data = f.read()
    if b"\0" in data:
        sys.stderr.write(f"embed_rules.py: {src} contains a NUL byte\n")
        return 1
    out = [f"/* Generated from {src} by embed_rules.py; do not edit. */",
           f"extern const char {sym}[];",
           f"const char {sym}[] = {{"]
    data += b"\0"
    for i in range(0, len(data), 16):
        out.append("    " + ", ".join(f"0x{b:02x}" for b in data[i:i + 16]) + ",")
    out.append("};")
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
