#!/usr/bin/env python3
"""Writes public/favicon.ico: a 32x32 "R" mark as a PNG inside an ICO container (browsers ask for
/favicon.ico on every page). Run once; the output is committed. Standard library only."""
import struct
import zlib
from pathlib import Path

SIZE = 32
BACKGROUND = (0x1F, 0x4E, 0x79, 0xFF)
INK = (0xFF, 0xFF, 0xFF, 0xFF)

# A 5x7 letter R, scaled by 4 and centred.
GLYPH = ["1111.", "1...1", "1...1", "1111.", "1.1..", "1..1.", "1...1"]


def pixel(x, y):
    gx, gy = (x - 6) // 4, (y - 2) // 4
    if 0 <= gx < 5 and 0 <= gy < 7 and GLYPH[gy][gx] == "1":
        return INK
    return BACKGROUND


def png():
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(image):
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "public" / "favicon.ico"
    out.write_bytes(ico(png()))
    print(f"wrote {out} ({out.stat().st_size} bytes)")
