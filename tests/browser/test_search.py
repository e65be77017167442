"""The search page in headless Chromium, on boards served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.request

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEWEST_FIRST = [
    "Platform Engineer",
    "Backend Engineer (Python)",
    "Data Engineer",
    "Estágio em Engenharia",
    "Product Designer",
    "Senior Python Developer",
]


def open_search(page: Page, url: str, query: str = "") -> None:
    page.goto(url + "search/" + query)
    expect(page.locator("#search-app")).to_be_visible()


def titles(page: Page) -> list[str]:
    return page.locator("#search-results .posting-title").all_inner_texts()


def expect_titles(page: Page, expected: list[str]) -> None:
    """Wait for the result list to show exactly these titles, in this order."""
    expect(page.locator("#search-results .posting-title")).to_have_text(expected)


def checkbox(page: Page, facet: str, value: str):
    """A facet's checkbox, its group unfolded first as a person would."""
    group = page.locator(f'#search-filters details[data-facet="{facet}"]')
    if not group.evaluate("details => details.open"):
        group.locator("summary").click()
    return group.locator(f'input[value="{value}"]')


def count_of(page: Page, facet: str, value: str) -> str:
    box = checkbox(page, facet, value)
    return page.locator(f'label[for="{box.get_attribute("id")}"] .facet-count').text_content()


def test_without_a_query_everything_newest_first(page: Page, board_url: str):
    open_search(page, board_url)
    expect_titles(page, NEWEST_FIRST)
    expect(page.locator("#search-status")).to_have_text("6 jobs found.")
    expect(page.locator("#search-browse")).to_be_hidden()


def test_typing_filters_without_reloading(page: Page, board_url: str):
    open_search(page, board_url)
    page.evaluate("window.stillTheSamePage = true")
    page.locator("#search-q").press_sequentially("pyth", delay=20)
    # by relevance: title matches (newest first among them) before the tag-only match
    expect_titles(page, ["Backend Engineer (Python)", "Senior Python Developer", "Data Engineer"])
    expect(page.locator("#search-status")).to_have_text("3 jobs found.")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.url == board_url + "search/?q=pyth"
    marks = page.locator("#search-results li").first.locator(".posting-title mark")
    expect(marks).to_have_text(["Pyth"])


def test_facets_and_across_or_within_with_live_counts(page: Page, board_url: str):
    open_search(page, board_url)
    checkbox(page, "remote", "remote").check()
    expect_titles(page, ["Platform Engineer", "Senior Python Developer"])
    assert count_of(page, "tag", "python") == "1"
    assert count_of(page, "tag", "go") == "1"
    assert count_of(page, "remote", "hybrid") == "1"  # what ticking it would add
    checkbox(page, "tag", "python").check()  # AND across facets
    expect_titles(page, ["Senior Python Developer"])
    checkbox(page, "tag", "go").check()  # OR within one
    expect_titles(page, ["Platform Engineer", "Senior Python Developer"])
    assert page.url == board_url + "search/?remote=remote&tag=python&tag=go"
    expect(checkbox(page, "tag", "figma")).to_be_hidden()  # no remote posting has it


def test_query_and_facets_combine(page: Page, board_url: str):
    open_search(page, board_url)
    page.locator("#search-q").fill("engineer")
    checkbox(page, "level", "senior").check()
    expect_titles(page, ["Platform Engineer", "Backend Engineer (Python)"])
    checkbox(page, "location", "germany").check()
    expect_titles(page, ["Backend Engineer (Python)"])


def test_url_state_round_trip(page: Page, board_url: str):
    open_search(page, board_url, "?q=python&remote=remote&salary=usd-150k-200k")
    expect_titles(page, ["Senior Python Developer"])
    expect(page.locator("#search-q")).to_have_value("python")
    expect(checkbox(page, "remote", "remote")).to_be_checked()
    expect(checkbox(page, "salary", "usd-150k-200k")).to_be_checked()
    expect(checkbox(page, "tag", "python")).not_to_be_checked()
    checkbox(page, "salary", "usd-150k-200k").uncheck()
    checkbox(page, "location", "united-states").check()
    assert page.url == board_url + "search/?q=python&location=united-states&remote=remote"
    page.reload()
    expect_titles(page, ["Senior Python Developer"])
    expect(checkbox(page, "location", "united-states")).to_be_checked()
    expect(checkbox(page, "salary", "usd-150k-200k")).not_to_be_checked()
    expect(page.locator("#search-q")).to_have_value("python")


def test_back_button_steps_through_searches(page: Page, board_url: str):
    open_search(page, board_url)
    page.locator("#search-q").press_sequentially("python", delay=20)
    expect_titles(page, ["Backend Engineer (Python)", "Senior Python Developer", "Data Engineer"])
    checkbox(page, "remote", "remote").check()
    expect_titles(page, ["Senior Python Developer"])
    page.go_back()
    expect_titles(page, ["Backend Engineer (Python)", "Senior Python Developer", "Data Engineer"])
    expect(checkbox(page, "remote", "remote")).not_to_be_checked()
    assert page.url == board_url + "search/?q=python"
    page.go_back()  # the whole typed query is one step
    expect_titles(page, NEWEST_FIRST)
    expect(page.locator("#search-q")).to_have_value("")
    page.go_forward()
    expect(page.locator("#search-q")).to_have_value("python")


def test_empty_result_says_so_and_offers_to_clear(page: Page, board_url: str):
    open_search(page, board_url, "?remote=hybrid")
    page.locator("#search-q").fill("figma")
    expect_titles(page, [])
    expect(page.locator("#search-status")).to_have_text("No jobs found.")
    expect(page.locator("#search-empty")).to_be_visible()
    page.get_by_role("button", name="Clear search and filters").click()
    expect_titles(page, NEWEST_FIRST)
    expect(page.locator("#search-empty")).to_be_hidden()
    expect(page.locator("#search-q")).to_be_focused()
    assert page.url == board_url + "search/"


@pytest.mark.parametrize(
    ("query", "expected", "mark"),
    [
        ("kube", ["Platform Engineer"], "Kube"),
        ("KUBERNETES", ["Platform Engineer"], "Kubernetes"),
        ("estagio", ["Estágio em Engenharia"], "Estágio"),
        ("sao paulo", ["Estágio em Engenharia"], None),
        ("zurich", ["Data Engineer"], None),
        ("ipe", ["Estágio em Engenharia"], "Ipê"),
        ("ngineer", [], None),  # words match from their start only
    ],
)
def test_case_accent_and_prefix_matching(
    page: Page, board_url: str, query: str, expected: list[str], mark: str | None
):
    open_search(page, board_url)
    page.locator("#search-q").fill(query)
    expect_titles(page, expected)
    if mark:
        expect(page.locator("#search-results mark").first).to_have_text(mark)


def test_keyboard_only(page: Page, board_url: str):
    open_search(page, board_url)
    tab_to(page, "#search-q")
    page.keyboard.type("engineer")
    expect_titles(page, ["Platform Engineer", "Backend Engineer (Python)", "Data Engineer"])
    tab_to(page, '#search-filters input[value="remote"]')
    page.keyboard.press("Space")
    expect_titles(page, ["Platform Engineer"])
    expect(page.locator("#search-status")).to_have_text("1 job found.")
    tab_to(page, "#search-results a")
    page.keyboard.press("Enter")
    page.wait_for_url(board_url + "jobs/platform-kubernetes/")


def tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_labelled_for_screen_readers(page: Page, board_url: str):
    open_search(page, board_url)
    expect(page.get_by_role("searchbox", name=re.compile("^Job title"))).to_be_visible()
    expect(page.get_by_role("checkbox", name="Remote 2")).to_be_visible()
    expect(page.get_by_role("group", name="Workplace")).to_be_visible()
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")
    page.locator("#search-q").fill("designer")
    expect(status).to_have_text("1 job found.")


def test_header_search_box_leads_to_the_search(page: Page, board_url: str):
    page.goto(board_url)
    page.get_by_role("searchbox", name="Search jobs").fill("kube")
    page.keyboard.press("Enter")
    page.wait_for_url(board_url + "search/?q=kube")
    expect_titles(page, ["Platform Engineer"])


def test_without_javascript_the_page_links_to_facet_pages(browser, board_url: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(board_url + "search/")
        expect(page.locator("#search-app")).to_be_hidden()
        page.locator("#search-browse summary", has_text="Tag").click()
        page.locator("#search-browse a", has_text="python").click()
        page.wait_for_url(board_url + "tags/python/")
        expect(page.locator("h1")).to_have_text("Jobs tagged python")
    finally:
        context.close()


# --- the example board -----------------------------------------------------------------------------


def fold_words(text: str) -> list[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", bare.lower())


def expected_matches(index: dict, query: str) -> set[str]:
    """An independent reading of the matching rule: every query word starts some word."""
    searched = {"location", "remote", "type", "level", "tag", "company"}
    found = set()
    for url, title, _date, members, _places, _salary, summary in index["postings"]:
        texts = [title, summary]
        for facet, positions in zip(index["facets"], members, strict=True):
            if facet["key"] in searched:
                texts += [facet["values"][p][1] for p in positions]
        words = {w for text in texts for w in fold_words(text)}
        if all(any(w.startswith(q) for w in words) for q in fold_words(query)):
            found.add(url)
    return found


@pytest.mark.parametrize("query", ["python", "kube", "zur", "remote engineer"])
def test_the_example_board_filters_its_postings(page: Page, example_url: str, query: str):
    with urllib.request.urlopen(example_url + "search-index.json") as response:
        index = json.load(response)
    expected = expected_matches(index, query)
    assert expected, "the example board should have an answer to this query"
    open_search(page, example_url)
    page.locator("#search-q").fill(query)
    count = len(expected)
    expect(page.locator("#search-status")).to_have_text(
        f"{count} job{'s' if count > 1 else ''} found."
    )
    hrefs = page.locator("#search-results .posting-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert {h.removeprefix(index["base"]) for h in hrefs} == expected
