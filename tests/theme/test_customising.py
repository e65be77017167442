"""What a board changes without copying the theme: name, logo, accent colour, navigation,
footer and language in sitegen.toml; one template or one string of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from site_gen.colors import accent_palette
from tests.conftest import run_build
from tests.helpers import parse_html, posting_text, write_board
from tests.hosting import header_rules, serve

CONFIG = """\
title = "Stellenmarkt"
base_url = "https://jobs.example.de/"
language = "de"
logo = "/assets/logo.svg"
accent_color = "#ffcc00"
footer = "Ein Projekt des Beispielvereins"

[[nav]]
title = "Über uns"
url = "/about/"
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_board(
        tmp_path_factory.mktemp("custom") / "board",
        {
            "entwickler": posting_text(
                title="Backend-Entwickler",
                tags=["python"],
                date_posted="2026-11-24",
                salary={"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
            ),
            "designer": posting_text(title="Designerin", tags=["python"], date_posted="2026-10-01"),
        },
        config=CONFIG,
    )
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "templates" / "partials").mkdir(parents=True)
    (root / "templates" / "partials" / "salary.html").write_text(
        "{{ posting.salary | salary }} (brutto)"
    )
    (root / "i18n").mkdir()
    (root / "i18n" / "de.toml").write_text('[apply]\nbutton = "Jetzt bewerben!"\n')
    return run_build(root).output


def text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.text_content().split())


def test_language_drives_strings_dates_and_money(out: Path):
    doc = parse_html(out / "jobs/entwickler/index.html")
    assert doc.get("lang") == "de"
    facts = {text(dt): text(dt.getnext()) for dt in doc.cssselect(".facts dt")}
    assert facts["Gehalt"] == "70.000 € – 90.000 € pro Jahr (brutto)"  # the board's own partial
    assert facts["Ort"] == "Berlin, Deutschland"
    assert facts["Art"] == "Vollzeit"
    assert facts["Veröffentlicht"] == "24. November 2026 (vor 3 Tagen)"
    assert [text(a) for a in doc.cssselect(".apply-button")] == ["Jetzt bewerben!"] * 2
    assert text(doc.cssselect(".skip-link")[0]) == "Zum Inhalt springen"
    index = parse_html(out / "index.html")
    assert text(index.cssselect("p.count")[0]) == "2 offene Stellen"
    assert [text(t) for t in index.cssselect(".posting-card time")] == [
        "vor 3 Tagen",
        "vor 8 Wochen",
    ]
    assert [text(b) for b in index.cssselect(".badge-new")] == ["Neu"]


def test_the_search_script_gets_its_strings_from_the_table(out: Path):
    (root,) = parse_html(out / "search/index.html").cssselect("#search")
    strings = json.loads(root.get("data-i18n"))
    assert strings["found"] == {"one": "{count} Job gefunden.", "other": "{count} Jobs gefunden."}
    assert strings["facets"]["type"] == "Anstellungsart"
    assert strings["values"]["type"]["full-time"] == "Vollzeit"
    assert root.get("data-today") == "2026-11-27"


def test_name_logo_nav_and_footer_come_from_the_settings(out: Path):
    doc = parse_html(out / "index.html")
    (brand,) = doc.cssselect(".site-header .brand")
    assert text(brand) == "Stellenmarkt"
    assert re.fullmatch(r"/assets/logo\.[0-9a-f]{8}\.svg", brand.cssselect("img")[0].get("src"))
    assert [text(a) for a in doc.cssselect(".site-nav a")] == ["Jobs", "Über uns"]
    assert text(doc.cssselect(".footer-text")[0]) == "Ein Projekt des Beispielvereins"


def test_the_accent_colour_is_written_with_readable_variants(out: Path):
    (href,) = parse_html(out / "index.html").xpath('//link[@rel="stylesheet"][2]/@href')
    css = (out / href.lstrip("/")).read_text()
    palette = accent_palette("#ffcc00")
    assert palette.light.accent != "#ffcc00"  # too light on white: darkened
    assert f"--accent: {palette.light.accent};" in css
    assert f"--accent: {palette.dark.accent};" in css


@pytest.mark.browser
@pytest.mark.server
def test_the_search_page_speaks_the_language_in_the_browser(out: Path, browser: Browser):
    with serve(out, header_rules()) as url:
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "search/?q=entwickler")
        expect(page.locator("#search-status")).to_have_text("1 Job gefunden.")
        card = page.locator("#search-results .posting-card")
        expect(card.locator(".salary")).to_have_text("70.000 € – 90.000 € pro Jahr")
        expect(card.locator("time")).to_have_text("vor 3 Tagen")
        expect(card.locator(".badge-new")).to_have_text("Neu")
        expect(page.locator('#search-filters details[data-facet="type"] summary')).to_have_text(
            "Anstellungsart"
        )
        expect(page.locator('#search-filters label[for^="filter-3-"]').first).to_contain_text(
            "Vollzeit"
        )
        context.close()
        assert errors == []
