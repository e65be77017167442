"""Document structure of every page of the example board, read with lxml: one h1, headings
that never skip a level, one main landmark that the skip link reaches, labelled navigation."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from tests.helpers import parse_html


def test_every_page_has_one_h1_ordered_headings_and_a_skip_link(example_site: Path):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        doc = parse_html(page)
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels.count(1) == 1 and levels[0] == 1, page
        # the description's own headings are sanitised markdown: h2 and below, in any order
        outside = [
            int(h.tag[1])
            for h in doc.iter("h1", "h2", "h3", "h4")
            if not h.xpath('ancestor::*[contains(@class, "description")]')
        ]
        for before, after in pairwise(outside):
            assert after <= before + 1, (page, outside)
        (main,) = doc.xpath("//main")
        (skip,) = doc.cssselect("a.skip-link")
        assert skip.get("href") == f"#{main.get('id')}", page
        assert skip.getparent().tag == "body" and skip.getprevious() is None, page
        for nav in doc.xpath("//nav"):
            assert nav.get("aria-label") or nav.get("aria-labelledby"), page
