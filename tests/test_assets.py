"""Fingerprinting: names by content, the site's files over the theme's, CSS references."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from site_gen.assets import collect_assets, find_static, fingerprinted_name


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("style.css", "style.{h}.css"),
        ("fonts/inter.woff2", "fonts/inter.{h}.woff2"),
        ("vendor/lib.min.js", "vendor/lib.min.{h}.js"),
        ("LICENSE", "LICENSE.{h}"),
    ],
)
def test_fingerprinted_name_puts_the_content_hash_before_the_suffix(name, expected):
    assert fingerprinted_name(name, b"body{}") == expected.format(h=digest(b"body{}"))


def test_a_changed_file_gets_a_new_name():
    assert fingerprinted_name("a.css", b"a{}") != fingerprinted_name("a.css", b"b{}")


def test_the_sites_static_files_win_over_the_themes_and_hidden_files_are_skipped(tmp_path):
    theme = write(tmp_path / "theme", {"style.css": "a{}", "app.js": "x"})
    site = write(tmp_path / "site", {"style.css": "b{}", ".DS_Store": "junk", "img/.x": "y"})
    found = find_static([theme, site, tmp_path / "missing"])
    assert found == {"app.js": theme / "app.js", "style.css": site / "style.css"}


def test_css_references_point_at_fingerprinted_names(tmp_path):
    font = b"\x00font"
    static = write(
        tmp_path / "static",
        {
            "css/site.css": (
                "@import 'parts/base.css';\n"
                "@font-face { src: url('../fonts/inter.woff2?v=2#iefix') }\n"
                'body { background: url("../img/bg.png") }\n'
                ".x { background: url(data:image/png;base64,AAAA) }\n"
                ".y { background: url(https://cdn.example.com/a.png) }\n"
                ".z { background: url(../img/missing.png) }\n"
            ),
            "css/parts/base.css": "a { color: red }",
            "fonts/inter.woff2": font,
            "img/bg.png": b"png",
        },
    )
    manifest = collect_assets([static])
    names = manifest.names
    css = next(a for a in manifest.files if a.name == "css/site.css").data.decode()
    assert f"@import 'parts/{names['css/parts/base.css'].rsplit('/', 1)[1]}'" in css
    assert f"url('../fonts/inter.{digest(font)}.woff2?v=2#iefix')" in css
    assert f'url("../img/bg.{digest(b"png")}.png")' in css
    assert "url(data:image/png;base64,AAAA)" in css
    assert "url(https://cdn.example.com/a.png)" in css
    assert "url(../img/missing.png)" in css
    # The stylesheet's own name is the hash of the bytes served, rewritten references included.
    assert names["css/site.css"] == f"css/site.{digest(css.encode())}.css"


def test_a_stylesheet_that_references_itself_is_left_as_written(tmp_path):
    static = write(tmp_path / "s", {"a.css": "@import 'b.css';", "b.css": "@import 'a.css';"})
    manifest = collect_assets([static])
    assert set(manifest.names) == {"a.css", "b.css"}
    data = {a.name: a.data for a in manifest.files}
    assert data["a.css"].startswith(b"@import 'b.")
    assert data["b.css"] == b"@import 'a.css';"


def test_minified_assets_are_hashed_after_minifying(tmp_path):
    static = write(tmp_path / "s", {"a.css": "a  {  color : red ; }\n", "b.js": "var  x = 1 ;\n"})
    manifest = collect_assets([static], minify=True)
    data = {a.name: a.data for a in manifest.files}
    assert data == {"a.css": b"a{color:red}", "b.js": b"var x=1;"}
    assert manifest.names["a.css"] == f"a.{digest(b'a{color:red}')}.css"


def test_generated_files_are_assets_unless_a_static_file_has_their_name(tmp_path):
    made = {"accent.css": b":root{--accent:#123456}", "extra.css": b"a{}"}
    static = write(tmp_path / "s", {"accent.css": "/* the board's own */"})
    data = {a.name: a.data for a in collect_assets([static], generated=made).files}
    assert data == {"accent.css": b"/* the board's own */", "extra.css": b"a{}"}
    manifest = collect_assets([tmp_path / "none"], generated=made)
    assert manifest.names["accent.css"] == f"accent.{digest(made['accent.css'])}.css"
