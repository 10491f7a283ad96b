"""Draw assets/favicon.ico: three lineage nodes (Okabe-Ito colours) joined left to right.

Pure Python (zlib only): 16 and 32 pixel PNG images inside one ICO file. Run from the
repository root: `python scripts/favicon.py`.
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from pathlib import Path

# (x, y, radius) on a 0..1 square, and Okabe-Ito colours: dataset, model, endpoint.
NODES = ((0.2, 0.72, 0.17), (0.5, 0.28, 0.17), (0.8, 0.72, 0.17))
COLOURS = ((0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00), (0x00, 0x9E, 0x73))
EDGE = (0x44, 0x44, 0x44)
SUPER = 4  # supersampling per axis, for smooth edges


def _segment_distance(px: float, py: float, a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ax, ay, bx, by = a[0], a[1], b[0], b[1]
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _sample(x: float, y: float) -> tuple[int, int, int, int]:
    for (cx, cy, r), colour in zip(NODES, COLOURS, strict=True):
        if math.hypot(x - cx, y - cy) <= r:
            return (*colour, 255)
    if any(_segment_distance(x, y, a, b) <= 0.045 for a, b in itertools.pairwise(NODES)):
        return (*EDGE, 255)
    return (0, 0, 0, 0)


def rgba(size: int) -> bytes:
    rows = bytearray()
    for j in range(size):
        rows.append(0)  # PNG filter: none
        for i in range(size):
            samples = [
                _sample((i + (u + 0.5) / SUPER) / size, (j + (v + 0.5) / SUPER) / size)
                for u in range(SUPER)
                for v in range(SUPER)
            ]
            alpha = sum(s[3] for s in samples)
            if alpha == 0:
                rows += bytes(4)
                continue
            colour = [sum(s[k] * s[3] for s in samples) // alpha for k in range(3)]
            rows += bytes([*colour, alpha // len(samples)])
    return bytes(rows)


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rgba(size), 9))
        + chunk(b"IEND", b"")
    )


def ico(sizes: tuple[int, ...] = (16, 32)) -> bytes:
    images = [png(size) for size in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "assets" / "favicon.ico"
    target.write_bytes(ico())
    print(target)
