"""What must hold for every built site, whatever its postings say.

``check_site`` parses every page of a build (html5lib, as a browser would), every JSON and
XML file, and asserts: the only scripts are the theme's own (plus JSON-LD that parses), no
element carries an event handler or a dangerous URL, the only elements are the theme's own
or the sanitiser's allow-list, and links that leave the site carry ``rel="noopener nofollow
ugc"``. ``Baseline`` is what the theme itself renders, learnt from a build of benign postings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import html5lib
from lxml import html as lxml_html

from site_gen.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, SET_ATTRIBUTES
from site_gen.text import FORBIDDEN_CHARS

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "archive",
        "background",
        "cite",
        "codebase",
        "data",
        "dynsrc",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "lowsrc",
        "manifest",
        "ping",
        "poster",
        "profile",
        "src",
        "usemap",
        "xlink:href",
    }
)
EXTERNAL_REL = frozenset({"noopener", "nofollow", "ugc"})
JSON_LD = "application/ld+json"
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees: WHATWG URL parsing trims C0 controls and spaces at both
    ends and drops tabs and newlines anywhere before reading ``scheme:``."""
    text = re.sub("[\t\n\r]", "", url.strip(_C0_AND_SPACE))
    found = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", text)
    return found.group(1).lower() if found else None


def url_host(url: str) -> str | None:
    """The host a link leads to (``//host`` and ``/\\host`` count), or None if on this site."""
    text = re.sub("[\t\n\r]", "", url.strip(_C0_AND_SPACE)).replace("\\", "/")
    if url_scheme(text) not in (None, "http", "https"):
        return None
    return (urlsplit(text).hostname or None) if text.startswith(("//", "http")) else None


def local(name: str) -> str:
    """``{namespace}name`` -> ``name``; xlink attributes keep their ``xlink:`` prefix."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.split("}", 1)[1]
    return name.split("}", 1)[1] if name.startswith("{") else name


def shape(element: Any) -> tuple[str, frozenset[str]]:
    """An element's tag (with its namespace: svg:a is not a) and the names of its attributes."""
    return element.tag, frozenset(local(a) for a in element.attrib)


def sanitiser_allows(element: Any) -> bool:
    tag, names = shape(element)
    if tag not in ALLOWED_TAGS:
        return False
    allowed = set(ALLOWED_ATTRIBUTES.get(tag, ())) | set(SET_ATTRIBUTES.get(tag, {}))
    if tag == "a":
        allowed.add("rel")
    return names <= allowed


HTML5LIB_LIMIT = 1 << 20


def parse_page(data: bytes) -> Any:
    """Parse as a browser does (html5lib); pages over 1 MB with lxml, which is 1,000 times
    faster (html5lib takes 8 s for the 5 MB description of the corpus)."""
    if len(data) > HTML5LIB_LIMIT:
        parser = lxml_html.HTMLParser(huge_tree=True)  # else libxml2 cuts long text nodes
        return lxml_html.document_fromstring(data, parser=parser).getroottree()
    return html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False)


def elements(tree: Any) -> list[Any]:
    return [e for e in tree.iter() if isinstance(e.tag, str)]


@dataclass
class Baseline:
    """The theme's own elements and scripts, learnt from a benign build."""

    shapes: set[tuple[str, frozenset[str]]] = field(default_factory=set)
    scripts: set[tuple[str, str, str]] = field(default_factory=set)  # (type, src, text)
    styles: set[str] = field(default_factory=set)

    @classmethod
    def learn(cls, files: Mapping[str, bytes]) -> Baseline:
        baseline = cls()
        for path, data in files.items():
            if path.endswith(".html"):
                # As both parsers see them: lxml (pages over 1 MB) knows no SVG namespace, so
                # the theme's icons are svg:svg to html5lib and plain svg to lxml.
                as_lxml = lxml_html.document_fromstring(data).getroottree()
                baseline.shapes.update(shape(e) for e in elements(as_lxml))
                for element in elements(parse_page(data)):
                    baseline.shapes.add(shape(element))
                    if element.tag == "script" and element.get("type") != JSON_LD:
                        baseline.scripts.add(_script_key(element))
                    if element.tag == "style":
                        baseline.styles.add(element.text or "")
                    if "style" in element.attrib:
                        baseline.styles.add(element.get("style"))
        return baseline


def _script_key(element: Any) -> tuple[str, str, str]:
    return (element.get("type") or "", element.get("src") or "", element.text or "")


@dataclass
class Built:
    """A checked build: its files, parsed pages and JSON-LD blocks, for further assertions."""

    files: dict[str, bytes]
    pages: dict[str, Any]
    json_ld: dict[str, list[Any]]

    def page(self, path: str) -> Any:
        return self.pages[path]

    def posting_ld(self, slug: str) -> dict[str, Any]:
        """The one JobPosting block of a posting's page."""
        blocks = [b for b in self.json_ld[f"jobs/{slug}/index.html"] if b["@type"] == "JobPosting"]
        assert len(blocks) == 1, blocks
        return blocks[0]

    def text(self, path: str, xpath: str) -> list[str]:
        return ["".join(e.itertext()) for e in self.pages[path].xpath(xpath)]


def check_site(files: Mapping[str, bytes], baseline: Baseline, site_host: str) -> Built:
    """Assert every invariant on a built site (path below the output folder -> bytes)."""
    pages: dict[str, Any] = {}
    json_ld: dict[str, list[Any]] = {}
    for path, data in files.items():
        assert not path.startswith(("/", "../")) and "/../" not in path, path
        if path.endswith((".html", ".json", ".xml", ".txt")) or path == "_redirects":
            check_text(path, data)
        if path.endswith(".html"):
            pages[path] = parse_page(data)
            json_ld[path] = check_page(path, pages[path], baseline, site_host)
        elif path.endswith(".json"):
            json.loads(data.decode("utf-8"))
        elif path.endswith(".xml"):  # feeds and sitemaps: well-formed, links safe
            for element in ElementTree.fromstring(data).iter():
                for name, value in element.attrib.items():
                    if local(name) in URL_ATTRIBUTES:
                        assert url_scheme(value) in (None, *SAFE_SCHEMES), (path, name, value)
    return Built(dict(files), pages, json_ld)


def check_text(path: str, data: bytes) -> None:
    """Valid UTF-8 without a character no page, feed or index may carry (C0 but tab and
    line breaks, DEL, C1, non-characters), as written or as a JSON escape."""
    text = data.decode("utf-8")
    found = FORBIDDEN_CHARS.search(text)
    assert found is None, (path, found and found.group())
    if path.endswith(".json"):
        decoded = json.dumps(json.loads(text), ensure_ascii=False)
        found = FORBIDDEN_CHARS.search(decoded)
        assert found is None, (path, found and found.group())


def check_page(path: str, tree: Any, baseline: Baseline, site_host: str) -> list[Any]:
    """Every invariant of one page; returns its parsed JSON-LD blocks."""
    blocks = []
    for element in elements(tree):
        where = f"{path}: <{local(element.tag)}>"
        if element.tag == "script":
            if element.get("type") == JSON_LD:
                blocks.append(json.loads(element.text or ""))
            else:
                assert _script_key(element) in baseline.scripts, f"{where}: foreign script"
            continue
        assert shape(element) in baseline.shapes or sanitiser_allows(element), (
            f"{where}: element neither the theme's nor allowed by the sanitiser: {shape(element)}"
        )
        if element.tag == "style":
            assert (element.text or "") in baseline.styles, f"{where}: foreign style sheet"
        for name, value in element.attrib.items():
            check_attribute(where, local(name), value, baseline)
        if element.tag == "a" and element.get("href") is not None:
            host = url_host(element.get("href"))
            if host is not None and host != site_host:
                rel = set((element.get("rel") or "").split())
                assert rel >= EXTERNAL_REL, f"{where}: link to {host} has rel={rel}"
    return blocks


def check_attribute(where: str, name: str, value: str, baseline: Baseline) -> None:
    lowered = name.lower()
    assert not lowered.startswith("on"), f"{where}: event handler {name}={value!r}"
    if lowered in URL_ATTRIBUTES:
        assert url_scheme(value) in (None, *SAFE_SCHEMES), f"{where}: {name}={value!r}"
    if lowered in {"srcset", "imagesrcset"}:
        for candidate in value.split(","):
            url = candidate.strip().split(" ")[0]
            assert url_scheme(url) in (None, *SAFE_SCHEMES), f"{where}: {name}={value!r}"
    if lowered == "style" and value not in baseline.styles:
        squashed = re.sub(r"\s", "", value).lower()
        assert not re.search(r"url\(|expression\(|javascript:", squashed), f"{where}: {value!r}"


def tree_of(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (symbolic links included as such), for before/after checks."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            found[path.relative_to(root).as_posix()] = b"-> " + str(path.readlink()).encode()
        elif path.is_file():
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def read_output(output: Path) -> dict[str, bytes]:
    """The output folder's files; every entry must be a real file or folder inside it."""
    files = {}
    for path in sorted(output.rglob("*")):
        assert not path.is_symlink(), f"symbolic link in the output: {path}"
        assert path.resolve().is_relative_to(output.resolve()), path
        if path.is_file():
            files[path.relative_to(output).as_posix()] = path.read_bytes()
    return files
