"""The board's icon, drawn in its accent colour: ``favicon.svg`` and a 32-pixel ``favicon.ico``.

One drawing (a briefcase on a rounded square, ``SHAPES``) is written as SVG for browsers
that take it and rasterised for those that want pixels: the ICO for older browsers, feed
readers and crawlers, which ask for ``/favicon.ico`` whatever the page links. The square is the accent's light-scheme variant and the briefcase the
text colour that reads on it (``colors.accent_palette``), so the icon meets the contrast the
buttons do. A board replaces any of them by putting a file of that name in ``static/``.

The PNG is encoded here (zlib and a few chunk headers): the images are a few flat shapes,
which does not call for an imaging library.
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from dataclasses import dataclass
from functools import cache

from site_gen.colors import accent_palette, parse_hex

ICO_SIZE = 32
SAMPLES = 4  # per pixel and axis: 16 samples smooth the edges


@dataclass(frozen=True)
class Shape:
    """A rounded rectangle in the unit square (y down); ``ink``: drawn in the glyph's colour,
    else in the background's (a cut-out)."""

    x0: float
    y0: float
    x1: float
    y1: float
    radius: float
    ink: bool

    def span(self, y: float) -> tuple[float, float] | None:
        """Where the line at height ``y`` crosses the shape, if it does."""
        if not self.y0 <= y <= self.y1:
            return None
        dy = max(self.y0 + self.radius - y, 0.0, y - (self.y1 - self.radius))
        inset = self.radius - math.sqrt(max(self.radius**2 - dy**2, 0.0))
        return (self.x0 + inset, self.x1 - inset)

    def svg(self, color: str) -> str:
        r = f' rx="{self.radius:g}"' if self.radius else ""
        return (
            f'<rect x="{self.x0:g}" y="{self.y0:g}" width="{self.x1 - self.x0:g}" '
            f'height="{self.y1 - self.y0:g}"{r} fill="{color}"/>'
        )


BACKGROUND = Shape(0.0, 0.0, 1.0, 1.0, 0.22, ink=False)
# A briefcase: the handle (a ring: a bar with a cut-out), the case, and its seam.
SHAPES = (
    Shape(0.36, 0.18, 0.64, 0.40, 0.07, ink=True),
    Shape(0.44, 0.26, 0.56, 0.40, 0.0, ink=False),
    Shape(0.16, 0.34, 0.84, 0.80, 0.08, ink=True),
    Shape(0.16, 0.53, 0.84, 0.58, 0.0, ink=False),
)


@dataclass(frozen=True)
class IconColors:
    background: str
    ink: str


@cache  # the SVG and the ICO both ask
def icon_colors(accent: str) -> IconColors:
    light = accent_palette(accent).light
    return IconColors(light.accent, light.on_accent)


def favicon_svg(accent: str) -> bytes:
    colors = icon_colors(accent)
    parts = [BACKGROUND.svg(colors.background)]
    parts += [s.svg(colors.ink if s.ink else colors.background) for s in SHAPES]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' + "".join(parts) + "</svg>\n"
    ).encode()


def pixels(size: int, colors: IconColors) -> list[bytes]:
    """RGBA rows of the icon at ``size`` pixels, each pixel covered exactly along x and
    sampled ``SAMPLES`` times along y (the shapes' spans on a line are cheap to find)."""
    paper, ink = parse_hex(colors.background), parse_hex(colors.ink)
    weight = 1 / SAMPLES
    shades: dict[tuple[int, int], bytes] = {}  # (ink share, opacity) in 1/255ths -> RGBA

    def shade(opacity: float, inked: float) -> bytes:
        key = (round(inked / opacity * 255) if opacity else 0, round(min(opacity, 1.0) * 255))
        found = shades.get(key)
        if found is None:
            share = key[0] / 255
            rgb = (round((p + (q - p) * share) * 255) for p, q in zip(paper, ink, strict=True))
            found = shades[key] = bytes((*rgb, key[1]))
        return found

    rows = []
    for row in range(size):
        opacity = [0.0] * size
        inked = [0.0] * size
        for sample in range(SAMPLES):
            y = (row + (sample + 0.5) * weight) / size
            ground = BACKGROUND.span(y)
            if ground is None:
                continue
            add_span(opacity, ground[0] * size, ground[1] * size, weight)
            for start, end in ink_spans(y, ground):
                add_span(inked, start * size, end * size, weight)
        rows.append(b"".join(map(shade, opacity, inked)))
    return rows


def ink_spans(y: float, ground: tuple[float, float]) -> list[tuple[float, float]]:
    """Where the line at ``y`` is in the glyph's colour, each shape painted over the ones
    before it: (start, end) in the unit square, within ``ground``."""
    spans = [(span, shape.ink) for shape in SHAPES if (span := shape.span(y)) is not None]
    cuts = {ground[0], ground[1]}
    for (start, end), _ in spans:
        cuts |= {start, end}
    edges = sorted(c for c in cuts if ground[0] <= c <= ground[1])
    inked: list[tuple[float, float]] = []
    for start, end in itertools.pairwise(edges):
        middle = (start + end) / 2
        top = [is_ink for (a, b), is_ink in spans if a <= middle <= b]
        if top and top[-1]:
            if inked and inked[-1][1] == start:  # one span with the one before
                start = inked.pop()[0]
            inked.append((start, end))
    return inked


def add_span(pixels: list[float], start: float, end: float, weight: float) -> None:
    """Add ``weight`` times the part of each pixel that [start, end) covers."""
    first, last = int(start), min(int(end), len(pixels) - 1)
    if first == last:
        pixels[first] += (end - start) * weight
        return
    pixels[first] += (first + 1 - start) * weight
    for i in range(first + 1, last):
        pixels[i] += weight
    pixels[last] += (min(end, last + 1) - last) * weight


def png(rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG of ``rows`` (each row ``width * 4`` bytes)."""
    height, width = len(rows), len(rows[0]) // 4

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    data = zlib.compress(b"".join(b"\x00" + row for row in rows), 9)  # filter 0: none
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def ico(image: bytes, size: int) -> bytes:
    """An ICO file holding one PNG image (as every browser since 2010 reads it)."""
    directory = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), 22)
    return struct.pack("<HHH", 0, 1, 1) + directory + image


def favicon_ico(accent: str) -> bytes:
    return ico(png(pixels(ICO_SIZE, icon_colors(accent))), ICO_SIZE)


@cache  # a preview server's rebuilds draw it once
def icon_files(accent: str) -> dict[str, bytes]:
    """The icons by static file name, for the asset pipeline."""
    return {"favicon.svg": favicon_svg(accent), "favicon.ico": favicon_ico(accent)}
