"""The search page in headless Chromium, on boards served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from site_gen.site import Site, newest_first
from site_gen.urls import posting_route
from tests.browser.conftest import served_board
from tests.helpers import posting_text

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


def count_of(page: Page, facet: str, value: str) -> Locator:
    """A value's live count. Unfolding its group starts counting that facet (search.js counts
    the facets one can see, once their shard is in): expect the count, do not read it."""
    box = checkbox(page, facet, value)
    return page.locator(f'label[for="{box.get_attribute("id")}"] .facet-count')


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
    # the address follows the results, after the next paint (search.js writeUrl)
    expect(page).to_have_url(board_url + "search/?q=pyth")
    marks = page.locator("#search-results li").first.locator(".posting-title mark")
    expect(marks).to_have_text(["Pyth"])


def test_facets_and_across_or_within_with_live_counts(page: Page, board_url: str):
    open_search(page, board_url)
    checkbox(page, "remote", "remote").check()
    expect_titles(page, ["Platform Engineer", "Senior Python Developer"])
    expect(count_of(page, "tag", "python")).to_have_text("1")
    expect(count_of(page, "tag", "go")).to_have_text("1")
    expect(count_of(page, "remote", "hybrid")).to_have_text("1")  # what ticking it would add
    checkbox(page, "tag", "python").check()  # AND across facets
    expect_titles(page, ["Senior Python Developer"])
    checkbox(page, "tag", "go").check()  # OR within one
    expect_titles(page, ["Platform Engineer", "Senior Python Developer"])
    expect(page).to_have_url(board_url + "search/?remote=remote&tag=python&tag=go")
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
    expect(page).to_have_url(board_url + "search/?q=python&location=united-states&remote=remote")
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
    expect(page).to_have_url(board_url + "search/?q=python&remote=remote")
    page.go_back()
    expect_titles(page, ["Backend Engineer (Python)", "Senior Python Developer", "Data Engineer"])
    expect(checkbox(page, "remote", "remote")).not_to_be_checked()
    expect(page).to_have_url(board_url + "search/?q=python")
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
    expect(page).to_have_url(board_url + "search/")


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


def test_a_title_match_comes_before_a_tag_match_and_all_words_before_some(
    page: Page, board_url: str
):
    open_search(page, board_url)
    page.locator("#search-q").fill("engineer python")
    # both words in the title, then one in the title and one in the tags
    expect_titles(page, ["Backend Engineer (Python)", "Data Engineer"])
    page.locator("#search-q").fill("designer kubernetes")  # no posting has both
    expect_titles(page, ["Product Designer", "Platform Engineer"])
    expect(page.locator("#search-status")).to_have_text(
        "No job has every word; 2 jobs have some of them."
    )


# Two pairs of equally relevant postings for "python" (title, and tags only), the featured
# one of each pair older than the plain one, so that newest first would put it second.
FEATURED_BOARD = {
    "python-engineer": posting_text(title="Python Engineer", tags=["go"], date_posted="2026-11-26"),
    "python-developer": posting_text(
        title="Python Developer",
        tags=["go"],
        date_posted="2026-11-20",
        featured=True,
        featured_until="2026-12-31",
    ),
    "data-analyst": posting_text(
        title="Data Analyst", tags=["python"], date_posted="2026-11-19", featured=True
    ),
    "django-developer": posting_text(
        title="Django Developer", tags=["python"], date_posted="2026-11-24"
    ),
    "rust-engineer": posting_text(  # no longer featured: listed by date
        title="Rust Engineer",
        date_posted="2026-11-25",
        featured=True,
        featured_until="2026-11-26",
    ),
}


@pytest.fixture(scope="module")
def featured_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from served_board(tmp_path_factory.mktemp("featured"), FEATURED_BOARD)


def test_featured_postings_come_first_among_equals(page: Page, featured_url: str):
    open_search(page, featured_url)
    # no query: as the listings, featured first (newest first among them), then the others
    listed = ["Python Developer", "Data Analyst", "Python Engineer", "Rust Engineer"]
    expect_titles(page, [*listed, "Django Developer"])
    page.locator("#search-q").fill("python")
    # title matches before tag matches, whether featured or not; featured first within each
    expect_titles(page, ["Python Developer", "Python Engineer", "Data Analyst", "Django Developer"])
    featured = page.locator("#search-results .posting-card.is-featured .posting-title")
    expect(featured).to_have_text(["Python Developer", "Data Analyst"])
    expect(page.locator("#search-results .badge-featured")).to_have_text(["Featured"] * 2)


def test_a_company_logo_is_shown_where_the_posting_has_one(page: Page, example_url: str):
    open_search(page, example_url)
    logos = page.locator("#search-results img.logo")
    expect(logos.first).to_be_visible()
    assert logos.first.get_attribute("alt") == ""
    assert logos.first.get_attribute("width") == "48"
    initials = page.locator("#search-results .logo-initial")
    expect(initials.first).to_have_attribute("aria-hidden", "true")


# --- the example board and a generated one (several shards) --------------------------------


def fold_words(text: str) -> list[str]:
    bare = "".join(
        c
        for c in unicodedata.normalize("NFKD", text)
        if not unicodedata.category(c).startswith("M")
    )
    return re.findall(r"[^\W_]+", bare.lower())


def expected_matches(site: Site, query: str, **chosen: set[str]) -> list[str]:
    """An independent reading of the rules: every query word starts a word of the posting's
    title, company, tags, places, workplace, types, level or description, and the posting
    has one of the chosen values of each facet named. Links, newest first."""
    searched = {"location", "remote", "type", "level", "tag", "company"}
    found = []
    for posting in site.published:
        values = site.facets.of(posting.slug)
        texts = [posting.title, posting.summary] + [v.label for v in values if v.facet in searched]
        words = {w for text in texts for w in fold_words(text)}
        if not all(any(w.startswith(q) for w in words) for q in fold_words(query)):
            continue
        keys = {(v.facet, v.key) for v in values}
        if all(any((facet, key) in keys for key in keys_) for facet, keys_ in chosen.items()):
            found.append(posting_route(posting.slug))
    return found


def shown_links(page: Page, base: str = "/") -> list[str]:
    hrefs = page.locator("#search-results .posting-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [h.removeprefix(base) for h in hrefs]


def status_for(count: int, shown: int = 20) -> str:
    if count > shown:
        return f"{count} jobs found, showing the first {shown}."
    return f"{count} job{'s' if count != 1 else ''} found." if count else "No jobs found."


@pytest.mark.parametrize("query", ["python", "kube", "zur", "remote engineer"])
def test_the_example_board_filters_its_postings(
    page: Page, example_url: str, example_model: Site, query: str
):
    expected = expected_matches(example_model, query)
    assert expected, "the example board should have an answer to this query"
    open_search(page, example_url)
    page.locator("#search-q").fill(query)
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    expect(page.locator("#search-results > li")).to_have_count(min(20, len(expected)))
    assert set(shown_links(page)) <= set(expected)  # the 20 most relevant of them


class Fetched:
    """The search index files a page requested, by name (``text-3``, ``rows-0``...)."""

    def __init__(self, page: Page) -> None:
        self.names: list[str] = []
        page.on("request", self.note)

    def note(self, request) -> None:
        path = request.url.split("?", 1)[0]
        if "/search-index/" in path:
            self.names.append(path.rsplit("/", 1)[-1].removesuffix(".json"))

    def of(self, kind: str) -> set[str]:
        return {n for n in self.names if n.startswith(kind + "-")}


def head_of(url: str) -> dict:
    with urllib.request.urlopen(url + "search-index.json") as response:
        return json.load(response)


def text_shards_for(head: dict, term: str) -> set[str]:
    """The text shards whose range of words holds a word starting with ``term``."""
    firsts = [first for first, _ in head["text"]["shards"]]
    lo = max(n for n, first in enumerate(firsts) if first <= term or n == 0)
    hi = lo
    while hi + 1 < len(firsts) and firsts[hi + 1].startswith(term):
        hi += 1
    return {f"text-{n}" for n in range(lo, hi + 1)}


def test_the_generated_board_is_sharded(generated_url: str, generated_model: Site):
    head = head_of(generated_url)
    assert "inline" not in head
    assert head["count"] == len(generated_model.published) > 1000
    assert len(head["text"]["shards"]) >= 5
    assert head["rows"]["shards"] > 100


def test_a_query_fetches_only_the_shards_it_needs(
    page: Page, generated_url: str, generated_model: Site
):
    head = head_of(generated_url)
    fetched = Fetched(page)
    open_search(page, generated_url)
    expect(page.locator("#search-results > li")).to_have_count(20)
    assert fetched.of("text") == set() and fetched.of("facet") == set()
    assert fetched.of("rows") == {"rows-0", "rows-1", "rows-2"}  # the 20 newest, 8 a shard
    page.locator("#search-q").fill("senior python")
    expected = expected_matches(generated_model, "senior python")
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    expect(page.locator("#search-results > li")).to_have_count(min(20, len(expected)))
    assert shown_links(page) and set(shown_links(page)) <= set(expected)
    needed = text_shards_for(head, "senior") | text_shards_for(head, "python")
    assert fetched.of("text") == needed
    assert len(needed) < len(head["text"]["shards"]) / 2
    # counts are worked out for the unfolded facets only
    unfolded = {f["key"] for f in head["facets"] if len(f["values"]) <= 8}
    assert fetched.of("facet") == {f"facet-{key}" for key in unfolded}
    # rows: the shards of the postings shown, and no other
    newest = newest_first(list(generated_model.published))
    numbers = {posting_route(p.slug): n for n, p in enumerate(newest)}
    wanted = {f"rows-{numbers[link] // 8}" for link in shown_links(page)}
    assert fetched.of("rows") == wanted | {"rows-0", "rows-1", "rows-2"}


def test_combined_filters_and_counts_on_the_generated_board(
    page: Page, generated_url: str, generated_model: Site
):
    open_search(page, generated_url)
    page.locator("#search-q").fill("engineer")
    checkbox(page, "remote", "remote").check()
    checkbox(page, "level", "senior").check()
    checkbox(page, "level", "lead").check()  # OR within a facet
    expected = expected_matches(
        generated_model, "engineer", remote={"remote"}, level={"senior", "lead"}
    )
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    assert set(shown_links(page)) <= set(expected)
    # a value's count is what ticking it would give: the other facets' filters apply
    hybrid = expected_matches(
        generated_model, "engineer", remote={"hybrid"}, level={"senior", "lead"}
    )
    junior = expected_matches(generated_model, "engineer", remote={"remote"}, level={"junior"})
    expect(count_locator(page, "remote", "hybrid")).to_have_text(str(len(hybrid)))
    expect(count_locator(page, "level", "junior")).to_have_text(str(len(junior)))
    # a folded facet is counted once unfolded (its shard loaded then)
    python = expected_matches(
        generated_model, "engineer", remote={"remote"}, level={"senior", "lead"}, tag={"python"}
    )
    expect(count_locator(page, "tag", "python")).to_have_text(str(len(python)))
    checkbox(page, "tag", "python").check()
    expect(page.locator("#search-status")).to_have_text(status_for(len(python)))
    expect(page).to_have_url(
        generated_url + "search/?q=engineer&remote=remote&level=senior&level=lead&tag=python"
    )


def count_locator(page: Page, facet: str, value: str):
    box = checkbox(page, facet, value)
    return page.locator(f'label[for="{box.get_attribute("id")}"] .facet-count')


def test_url_state_and_back_button_on_the_generated_board(
    page: Page, generated_url: str, generated_model: Site
):
    open_search(page, generated_url, "?q=developer&remote=hybrid")
    expected = expected_matches(generated_model, "developer", remote={"hybrid"})
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    expect(checkbox(page, "remote", "hybrid")).to_be_checked()
    checkbox(page, "remote", "hybrid").uncheck()
    everywhere = expected_matches(generated_model, "developer")
    expect(page.locator("#search-status")).to_have_text(status_for(len(everywhere)))
    expect(page).to_have_url(generated_url + "search/?q=developer")
    page.go_back()
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    expect(checkbox(page, "remote", "hybrid")).to_be_checked()
    page.reload()
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))


@pytest.mark.parametrize("query", ["munchen", "MONTRÉ", "malm", "zzzqqq"])
def test_accent_prefix_and_empty_on_the_generated_board(
    page: Page, generated_url: str, generated_model: Site, query: str
):
    expected = expected_matches(generated_model, query)
    assert bool(expected) == (query != "zzzqqq")
    fetched = Fetched(page)
    open_search(page, generated_url)
    expect(page.locator("#search-results > li")).to_have_count(20)
    page.locator("#search-q").fill(query)
    expect(page.locator("#search-status")).to_have_text(status_for(len(expected)))
    assert set(shown_links(page)) <= set(expected)
    if not expected:
        expect(page.locator("#search-empty")).to_be_visible()
        assert len(fetched.of("text")) == 1
    else:
        expect(page.locator("#search-results mark").first).to_be_visible()


def test_a_title_match_comes_first_on_the_generated_board(
    page: Page, generated_url: str, generated_model: Site
):
    open_search(page, generated_url)
    page.locator("#search-q").fill("data")  # in titles, tags and descriptions
    count = len(expected_matches(generated_model, "data"))
    expect(page.locator("#search-status")).to_have_text(status_for(count))
    expect(page.locator("#search-results > li")).to_have_count(20)
    in_title = ["data" in fold_words(t) for t in titles(page)]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)
