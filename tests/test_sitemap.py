"""sitemap.xml and robots.txt: validated against the sitemap protocol's structure (XSD)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from site_gen.sitemap import SitemapEntry, robots_txt, sitemap_files
from site_gen.urls import SiteUrls, output_path
from tests.conftest import run_build
from tests.helpers import posting_text, write_board

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
BASE = "https://example.github.io/board/"

# The sitemaps.org 0.9 protocol as a schema: urlset of url (loc, lastmod?, changefreq?,
# priority?) and sitemapindex of sitemap (loc, lastmod?), at most 50,000 each; loc an
# absolute URL of at most 2,048 characters; lastmod a W3C date or date-time.
SCHEMA = etree.XMLSchema(
    etree.fromstring(
        f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{NS}"
            xmlns="{NS}" elementFormDefault="qualified">
  <xsd:simpleType name="tLoc"><xsd:restriction base="xsd:anyURI">
    <xsd:minLength value="12"/><xsd:maxLength value="2048"/>
    <xsd:pattern value="https?://.+"/></xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="tLastmod"><xsd:union memberTypes="xsd:date xsd:dateTime"/></xsd:simpleType>
  <xsd:simpleType name="tChangeFreq"><xsd:restriction base="xsd:string">
    <xsd:enumeration value="always"/><xsd:enumeration value="hourly"/>
    <xsd:enumeration value="daily"/><xsd:enumeration value="weekly"/>
    <xsd:enumeration value="monthly"/><xsd:enumeration value="yearly"/>
    <xsd:enumeration value="never"/></xsd:restriction></xsd:simpleType>
  <xsd:simpleType name="tPriority"><xsd:restriction base="xsd:decimal">
    <xsd:minInclusive value="0.0"/><xsd:maxInclusive value="1.0"/></xsd:restriction></xsd:simpleType>
  <xsd:element name="urlset"><xsd:complexType><xsd:sequence>
    <xsd:element name="url" minOccurs="0" maxOccurs="50000"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
      <xsd:element name="changefreq" type="tChangeFreq" minOccurs="0"/>
      <xsd:element name="priority" type="tPriority" minOccurs="0"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
  <xsd:element name="sitemapindex"><xsd:complexType><xsd:sequence>
    <xsd:element name="sitemap" minOccurs="1" maxOccurs="50000"><xsd:complexType><xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
    </xsd:sequence></xsd:complexType></xsd:element>
  </xsd:sequence></xsd:complexType></xsd:element>
</xsd:schema>"""
    )
)


def parse_sitemap(data: bytes) -> etree._Element:
    """Parse and validate; return the root element."""
    root = etree.fromstring(data)
    SCHEMA.assertValid(root)
    return root


def locs(root: etree._Element) -> dict[str, str | None]:
    """loc -> lastmod of every url (or sitemap) element."""
    found = {}
    for item in root:
        found[item.findtext(f"{{{NS}}}loc")] = item.findtext(f"{{{NS}}}lastmod")
    return found


def test_the_schema_rejects_what_the_protocol_forbids():
    with pytest.raises(etree.DocumentInvalid):
        parse_sitemap(
            f'<urlset xmlns="{NS}"><url><lastmod>2026-11-01</lastmod></url></urlset>'.encode()
        )
    with pytest.raises(etree.DocumentInvalid):
        parse_sitemap(f'<urlset xmlns="{NS}"><url><loc>/jobs/x/</loc></url></urlset>'.encode())
    with pytest.raises(etree.DocumentInvalid):
        parse_sitemap(f'<sitemapindex xmlns="{NS}"></sitemapindex>'.encode())


def test_a_small_site_has_one_sitemap():
    entries = [SitemapEntry("", date(2026, 11, 2)), SitemapEntry("about/", None)]
    ((route, data),) = sitemap_files(entries, SiteUrls(BASE))
    assert route == "sitemap.xml"
    root = parse_sitemap(data)
    assert root.tag == f"{{{NS}}}urlset"
    assert locs(root) == {BASE: "2026-11-02", BASE + "about/": None}


def test_past_the_limit_the_sitemap_becomes_an_index_of_parts():
    entries = [SitemapEntry(f"jobs/{n}/", date(2026, 11, n)) for n in range(1, 6)]
    files = dict(sitemap_files(entries, SiteUrls(BASE), limit=2))
    assert list(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = parse_sitemap(files["sitemap.xml"])
    assert index.tag == f"{{{NS}}}sitemapindex"
    assert locs(index) == {
        BASE + "sitemap-1.xml": "2026-11-02",
        BASE + "sitemap-2.xml": "2026-11-04",
        BASE + "sitemap-3.xml": "2026-11-05",
    }
    parts = [locs(parse_sitemap(files[f"sitemap-{n}.xml"])) for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [2, 2, 1]
    assert [url for part in parts for url in part] == [BASE + f"jobs/{n}/" for n in range(1, 6)]


def test_exactly_the_limit_still_fits_in_one_sitemap():
    entries = [SitemapEntry(f"jobs/{n}/", None) for n in range(3)]
    assert [route for route, _ in sitemap_files(entries, SiteUrls(BASE), limit=3)] == [
        "sitemap.xml"
    ]


def test_the_built_sitemap_lists_published_pages_only(tmp_path: Path):
    root = write_board(
        tmp_path / "b",
        postings={
            "live": posting_text(date_posted="2026-11-21", tags=["python"]),
            "old": posting_text(valid_through="2026-11-01", date_posted="2026-10-01"),
            "draft": posting_text(draft=True),
            "future": posting_text(date_posted="2026-12-24"),
        },
        pages={
            "about": "---\ntitle: About\nupdated: 2026-10-05\n---\nHi.\n",
            "hidden": "---\ntitle: Hidden\ndraft: true\n---\nNot yet.\n",
        },
        config=f'base_url = "{BASE}"\npage_size = 1\n',
    )
    for options in ({}, {"drafts": True}):  # a --drafts build still keeps drafts out
        run_build(root, **options)
        output = root / "output"
        urls = locs(parse_sitemap((output / "sitemap.xml").read_bytes()))
        pages = {url: day for url, day in urls.items() if "/jobs/" in url or "/about/" in url}
        assert pages == {BASE + "jobs/live/": "2026-11-21", BASE + "about/": "2026-10-05"}
        assert urls[BASE] == "2026-11-21"
        assert urls[BASE + "tags/python/"] == urls[BASE + "locations/germany/"] == "2026-11-21"
        assert (BASE + "page/2/" in urls) == bool(options)  # the draft makes a second page
        assert BASE + "search/" not in urls
        assert (output / "jobs" / "old" / "index.html").exists()  # kept, but not listed
        for url in urls:
            assert (output / output_path(url.removeprefix(BASE))).is_file()


def test_robots_txt_points_to_the_sitemap_and_a_preview_keeps_crawlers_out(board: Path):
    run_build(board)
    lines = (board / "output" / "robots.txt").read_text().splitlines()
    assert "Sitemap: https://jobs.example.com/sitemap.xml" in lines
    assert "Disallow: /" not in lines
    run_build(board, preview=True)
    lines = (board / "output" / "robots.txt").read_text().splitlines()
    assert lines[-2:] == ["User-agent: *", "Disallow: /"]
    assert (
        robots_txt(SiteUrls(BASE), preview=False).decode().endswith(f"Sitemap: {BASE}sitemap.xml\n")
    )
