"""The board's icon: an SVG and a PNG-in-ICO in the accent colour, built into every board at
/favicon.ico and under assets/, linked from every page, replaceable from static/."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

from site_gen.colors import accent_palette, contrast
from site_gen.favicon import ICO_SIZE, favicon_ico, favicon_svg
from tests.conftest import run_build
from tests.helpers import parse_html, posting_text, write_board

SVG = "{http://www.w3.org/2000/svg}"


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG, every chunk's CRC checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, color, interlace) == (8, 6, 0)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 4
    rows = [raw[i * stride : (i + 1) * stride] for i in range(height)]
    assert all(row[0] == 0 for row in rows)  # no filter: plain rows
    return width, height, [row[1:] for row in rows]


def read_ico(data: bytes) -> bytes:
    """The one PNG image of an ICO file."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, _, _, planes, bits, size, offset = struct.unpack("<BBBBHHII", data[6:22])
    assert (width, height, planes, bits) == (ICO_SIZE, ICO_SIZE, 1, 32)
    assert offset + size == len(data)
    return data[offset:]


def pixel(rows: list[bytes], x: int, y: int) -> tuple[int, ...]:
    return tuple(rows[y][x * 4 : x * 4 + 4])


def hex_of(rgba: tuple[int, ...]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgba[:3])


@pytest.mark.parametrize("accent", ["#1f6feb", "#ffcc00", "#0a0a0a"])
def test_the_ico_is_a_32_pixel_png_in_the_accent_colour(accent: str):
    width, height, rows = read_png(read_ico(favicon_ico(accent)))
    assert (width, height) == (ICO_SIZE, ICO_SIZE)
    light = accent_palette(accent).light
    assert pixel(rows, 0, 0)[3] == 0  # a rounded corner: transparent
    assert pixel(rows, 3, 16) == (*bytes.fromhex(light.accent[1:]), 255)  # the square
    assert pixel(rows, 16, 20) == (*bytes.fromhex(light.on_accent[1:]), 255)  # the case
    assert contrast(hex_of(pixel(rows, 3, 16)), hex_of(pixel(rows, 16, 20))) >= 4.5


def test_the_svg_draws_the_same_icon():
    accent = "#7b2ff7"
    light = accent_palette(accent).light
    root = ElementTree.fromstring(favicon_svg(accent))
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 1 1"
    fills = [rect.get("fill") for rect in root.iter(f"{SVG}rect")]
    assert fills[0] == light.accent  # the rounded square, then the briefcase on it
    assert light.on_accent in fills


def test_another_accent_gives_another_icon():
    assert favicon_ico("#1f6feb") != favicon_ico("#d1242f")
    assert favicon_svg("#1f6feb") != favicon_svg("#d1242f")


@pytest.fixture
def built(board: Path) -> Path:
    return run_build(board).output


def test_the_build_writes_the_icons_and_every_page_links_them(built: Path):
    root_ico = (built / "favicon.ico").read_bytes()
    read_png(read_ico(root_ico))
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        head = parse_html(page).xpath("/html/head")[0]
        icons = {
            link.get("type", "ico"): link.get("href") for link in head.xpath("link[@rel='icon']")
        }
        assert set(icons) == {"ico", "image/svg+xml"}, page
        ico, svg = (built / icons["ico"].lstrip("/"), built / icons["image/svg+xml"].lstrip("/"))
        assert ico.read_bytes() == root_ico, page  # the linked, fingerprinted copy is the same
        assert svg.name.startswith("favicon.") and svg.suffix == ".svg"
        ElementTree.fromstring(svg.read_bytes())


def test_the_accent_colour_setting_colours_the_built_icon(tmp_path: Path):
    config = (
        'title = "Red board"\nbase_url = "https://jobs.example.com/"\naccent_color = "#d1242f"\n'
    )
    root = write_board(tmp_path / "red", {"a": posting_text()}, config=config)
    output = run_build(root).output
    assert (output / "favicon.ico").read_bytes() == favicon_ico("#d1242f")
    (svg,) = (output / "assets").glob("favicon.*.svg")
    assert svg.read_bytes() == favicon_svg("#d1242f")


def test_a_board_replaces_the_icons_from_its_static_folder(board: Path):
    (board / "static").mkdir()
    (board / "static" / "favicon.ico").write_bytes(b"our own ico")
    (board / "static" / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    output = run_build(board).output
    assert (output / "favicon.ico").read_bytes() == b"our own ico"
    href = parse_html(output / "index.html").xpath("//link[@type='image/svg+xml']/@href")[0]
    assert (output / href.lstrip("/")).read_text() == '<svg xmlns="http://www.w3.org/2000/svg"/>'
