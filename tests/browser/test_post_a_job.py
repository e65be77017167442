"""The "Post a job" form on the example board, in headless Chromium over real HTTP.

A posting filled in the form gives a file that `sitegen check` accepts unchanged (saved into a
copy of the example board); each invalid field shows its message next to it, and the build
rejects the same value; the GitHub-issue and email links carry the file's text; axe finds
nothing; and all of it works with the keyboard alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from site_gen.content import parse_text
from site_gen.validate import validate_posting
from tests.browser.conftest import REPO
from tests.theme.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.server]

FORM = "post-a-job/"
SUBMIT = "#pf-form button[type=submit]"


@pytest.fixture
def form(page: Page, example_url: str) -> Page:
    page.goto(example_url + FORM)
    expect(page.locator("#pf-form")).to_be_visible()
    return page


def place(page: Page, number: int) -> Any:
    return page.locator("#pf-places > .pf-place").nth(number - 1)


def fill_minimal(page: Page) -> None:
    """The fewest fields a valid posting needs (the date posted is today already)."""
    page.fill("#pf-title", "Backend Engineer")
    page.fill("#pf-company-name", "Example Corp")
    place(page, 1).locator("select").select_option("DE")
    page.fill("#pf-apply_url", "https://example.com/apply")


def create(page: Page) -> str:
    page.click(SUBMIT)
    expect(page.locator("#pf-result")).to_be_visible()
    return page.input_value("#pf-file")


def split(text: str) -> tuple[dict[str, Any], str]:
    """A posting file's frontmatter (parsed as YAML) and body."""
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def board_check(tmp_path: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    """`sitegen check` on a copy of the example board with the file saved in content/jobs."""
    board = tmp_path / "board"
    shutil.copytree(REPO / "content", board / "content")
    shutil.copy(REPO / "sitegen.toml", board / "sitegen.toml")
    (board / "content" / "jobs" / name).write_bytes(text.encode("utf-8"))
    return subprocess.run(
        [sys.executable, "-m", "site_gen", "check"],
        cwd=board,
        capture_output=True,
        text=True,
        check=False,
    )


TITLE = 'Staff Engineer: Payments "Core" #1 – Zürich'
DESCRIPTION = (
    "## What you will do\n\nBuild the ledger.\n\n---\n\nkey: value, [not yaml], {nor this}\n"
    "- Emoji 🚀 and 'quotes' and \\backslashes\\\n"
)


def test_a_complete_posting_gives_a_file_that_sitegen_check_accepts(form: Page, tmp_path: Path):
    page = form
    page.fill("#pf-title", f"  {TITLE}  ")
    page.check("#pf-employment_type-contract")
    page.fill("#pf-experience_level", "senior")
    page.fill("#pf-tags", "Python, Kafka ,  kubernetes, python,")
    page.fill("#pf-description", DESCRIPTION)
    page.fill("#pf-company-name", "Ünïcode & Co. AG")
    page.fill("#pf-company-url", "https://example.com/about?x=1&y=2")
    page.fill("#pf-company-logo", "/images/logo.png")
    page.check("#pf-remote-hybrid")
    first = place(page, 1)
    first.locator("[data-part=city] input").fill("Zürich")
    first.locator("[data-part=region] input").fill("ZH")
    first.locator("select").select_option("CH")
    first.locator("[data-part=street_address] input").fill("Bahnhofstrasse 1")
    first.locator("[data-part=postal_code] input").fill("8001")
    page.click("#pf-add-place")
    expect(place(page, 2).locator("[data-part=city] input")).to_be_focused()
    place(page, 2).locator("[data-part=city] input").fill("Oslo")
    place(page, 2).locator("select").select_option("NO")  # YAML would read NO as false
    page.fill("#pf-salary-min", "120000")
    page.fill("#pf-salary-max", "150000.5")
    page.select_option("#pf-salary-currency", "CHF")
    page.fill("#pf-valid_through", "2027-06-30")
    page.fill("#pf-apply_url", "https://example.com/apply?id=1&src=board")
    page.fill("#pf-apply_email", "jobs@example.com")
    with page.expect_download() as download:
        text = create(page)
        page.click("#pf-download")
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert saved == text
    name = download.value.suggested_filename
    assert name == "staff-engineer-payments-core-1-zurich.md"

    checked = board_check(tmp_path, name, text)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert name not in checked.stdout + checked.stderr  # not even a warning

    front, body = split(text)
    today = page.evaluate("document.getElementById('pf-date_posted').value")
    assert front == {
        "title": TITLE,
        "company": {
            "name": "Ünïcode & Co. AG",
            "url": "https://example.com/about?x=1&y=2",
            "logo": "/images/logo.png",
        },
        "date_posted": _date(today),
        "valid_through": _date("2027-06-30"),
        "employment_type": ["full-time", "contract"],
        "location": [
            {
                "city": "Zürich",
                "region": "ZH",
                "country": "CH",
                "street_address": "Bahnhofstrasse 1",
                "postal_code": "8001",
            },
            {"city": "Oslo", "country": "NO"},
        ],
        "remote": "hybrid",
        "salary": {"min": 120000, "max": 150000.5, "currency": "CHF", "period": "year"},
        "experience_level": "senior",
        "tags": ["python", "kafka", "kubernetes"],
        "apply_url": "https://example.com/apply?id=1&src=board",
        "apply_email": "jobs@example.com",
    }
    assert body == DESCRIPTION


def _date(iso: str) -> Any:
    return yaml.safe_load(iso)


HOSTILE = "Line\u2028sep\u0085 tab\there \\ 'single' \"double\" 😀 ---"


def test_a_remote_posting_with_hostile_text_survives_as_typed(form: Page, tmp_path: Path):
    page = form
    page.fill("#pf-title", HOSTILE)
    page.fill("#pf-company-name", "NO")
    page.check("#pf-remote-remote")
    place(page, 1).locator("[data-remove]").click()
    expect(page.locator("#pf-places > *")).to_have_count(0)
    page.locator("#pf-applicants select").first.select_option("US")
    page.click("#pf-add-applicant")
    page.locator("#pf-applicants select").nth(1).select_option("NO")
    page.check("#pf-salary-exact")
    page.fill("#pf-salary-value", "45.5")
    page.select_option("#pf-salary-currency", "USD")
    page.select_option("#pf-salary-period", "hour")
    page.fill("#pf-apply_email", "jöbs@exämple.de")
    page.fill("#pf-slug", "my-custom-slug")
    page.check("#pf-draft")
    text = create(page)
    checked = board_check(tmp_path, "hostile.md", text)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    front, body = split(text)
    assert front == {
        "title": HOSTILE,
        "company": "NO",
        "date_posted": front["date_posted"],
        "employment_type": "full-time",
        "remote": "remote",
        "applicant_locations": ["US", "NO"],
        "salary": {"value": 45.5, "currency": "USD", "period": "hour"},
        "apply_email": "jöbs@exämple.de",
        "draft": True,
        "slug": "my-custom-slug",
    }
    assert body == ""


# -- each invalid field ----------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """One invalid value: how to enter it, the control that must show ``message``, and the
    same change to a valid posting's frontmatter, which the build must reject too."""

    enter: Callable[[Page], None]
    control: str
    message: str
    frontmatter: Callable[[dict[str, Any]], None]


def _set(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.update(values)


LONG = "x" * 501
BROKEN = {
    "title missing": Broken(
        lambda p: p.fill("#pf-title", "   "), "#pf-title", "Fill this in.", _set(title="   ")
    ),
    "title too long": Broken(
        lambda p: p.fill("#pf-title", LONG),
        "#pf-title",
        "Too long: at most 500 characters (now 501).",
        _set(title=LONG),
    ),
    "company missing": Broken(
        lambda p: p.fill("#pf-company-name", ""),
        "#pf-company-name",
        "Fill this in.",
        _set(company={"name": ""}),
    ),
    "company url": Broken(
        lambda p: p.fill("#pf-company-url", "example.com"),
        "#pf-company-url",
        "Enter a link that starts with https://, e.g. https://example.com/jobs/123.",
        _set(company={"name": "Example Corp", "url": "example.com"}),
    ),
    "logo": Broken(
        lambda p: p.fill("#pf-company-logo", "logo.png"),
        "#pf-company-logo",
        "Enter an https:// link, or a path on this board that starts with /.",
        _set(company={"name": "Example Corp", "logo": "logo.png"}),
    ),
    "no employment type": Broken(
        lambda p: p.uncheck("#pf-employment_type-full-time"),
        "#pf-employment_type-full-time",
        "Choose at least one.",
        _set(employment_type=[]),
    ),
    "no place on site": Broken(
        lambda p: place(p, 1).locator("select").select_option(""),
        "#pf-places select",
        "Add a place, or choose Remote.",
        _set(location=[]),
    ),
    "place without country": Broken(
        lambda p: (
            place(p, 1).locator("select").select_option(""),
            place(p, 1).locator("[data-part=city] input").fill("Berlin"),
        ),
        "#pf-places select",
        "Choose a country.",
        _set(location=[{"city": "Berlin"}]),
    ),
    "salary max below min": Broken(
        lambda p: (
            p.fill("#pf-salary-min", "100"),
            p.fill("#pf-salary-max", "90"),
            p.select_option("#pf-salary-currency", "EUR"),
        ),
        "#pf-salary-max",
        "Must be at least the lower amount (100).",
        _set(salary={"min": 100, "max": 90, "currency": "EUR"}),
    ),
    "salary without currency": Broken(
        lambda p: p.fill("#pf-salary-min", "100"),
        "#pf-salary-currency",
        "Choose the currency of the pay.",
        _set(salary={"min": 100}),
    ),
    "currency without amount": Broken(
        lambda p: p.select_option("#pf-salary-currency", "EUR"),
        "#pf-salary-min",
        "Enter the pay, or clear the currency.",
        _set(salary={"currency": "EUR"}),
    ),
    "negative amount": Broken(
        lambda p: (p.fill("#pf-salary-min", "-5"), p.select_option("#pf-salary-currency", "EUR")),
        "#pf-salary-min",
        "Enter a number from 0 to 1,000,000,000,000.",
        _set(salary={"min": -5, "currency": "EUR"}),
    ),
    "amount too large": Broken(
        lambda p: (
            p.fill("#pf-salary-max", "1000000000001"),
            p.select_option("#pf-salary-currency", "EUR"),
        ),
        "#pf-salary-max",
        "Enter a number from 0 to 1,000,000,000,000.",
        _set(salary={"max": 1000000000001, "currency": "EUR"}),
    ),
    "date posted missing": Broken(
        lambda p: p.fill("#pf-date_posted", ""),
        "#pf-date_posted",
        "Fill this in.",
        lambda data: data.pop("date_posted"),
    ),
    "date posted before 1970": Broken(
        lambda p: p.fill("#pf-date_posted", "1969-12-31"),
        "#pf-date_posted",
        "Enter a date between 1970 and 2199.",
        _set(date_posted="1969-12-31"),
    ),
    "valid through before date posted": Broken(
        lambda p: (
            p.fill("#pf-date_posted", "2026-12-01"),
            p.fill("#pf-valid_through", "2026-11-30"),
        ),
        "#pf-valid_through",
        "Must not be before the date posted (2026-12-01).",
        _set(date_posted="2026-12-01", valid_through="2026-11-30"),
    ),
    "no way to apply": Broken(
        lambda p: p.fill("#pf-apply_url", ""),
        "#pf-apply_url",
        "Give a link to apply or an email address, so people can apply.",
        lambda data: data.pop("apply_url"),
    ),
    "apply url": Broken(
        lambda p: p.fill("#pf-apply_url", "javascript:alert(1)"),
        "#pf-apply_url",
        "Enter a link that starts with https://, e.g. https://example.com/jobs/123.",
        _set(apply_url="javascript:alert(1)"),
    ),
    "apply email": Broken(
        lambda p: p.fill("#pf-apply_email", "jobs@example"),
        "#pf-apply_email",
        "Enter an email address, e.g. jobs@example.com.",
        _set(apply_email="jobs@example"),
    ),
    "tag too long": Broken(
        lambda p: p.fill("#pf-tags", "python, " + "t" * 61),
        "#pf-tags",
        f"Each tag has at most 60 characters: “{'t' * 61}” is longer.",
        _set(tags=["python", "t" * 61]),
    ),
    "slug without letters": Broken(
        lambda p: p.fill("#pf-slug", "!!!"),
        "#pf-slug",
        "Use letters or digits, e.g. acme-backend-engineer.",
        _set(slug="!!!"),
    ),
}


def build_problems(front: dict[str, Any]) -> list[str]:
    """What the build says of a posting with this frontmatter (nothing: it is valid)."""
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nText.\n"
    result = validate_posting(parse_text(text, "content/jobs/x.md", "x"), "comrak")
    return [] if not isinstance(result, tuple) else [d.message for d in result]


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_each_invalid_field_shows_its_message_and_the_build_agrees(form: Page, case: str):
    broken = BROKEN[case]
    page = form
    fill_minimal(page)
    valid = split(create(page))[0]
    assert build_problems(valid) == []
    broken.enter(page)
    page.click(SUBMIT)
    expect(page.locator("#pf-result")).to_be_hidden()
    control = page.locator(broken.control).first
    error_id = control.evaluate(
        "c => (c.type === 'checkbox' ? c.closest('fieldset') : c.closest('.pf-field'))"
        ".querySelector('.pf-error').id"
    )
    expect(page.locator(f"#{error_id}")).to_have_text(broken.message)
    expect(page.locator(f"#{error_id}")).to_be_visible()
    described = page.locator(broken.control).first
    if control.get_attribute("type") == "checkbox":
        described = page.locator("#pf-employment_type")
    else:
        expect(control).to_have_attribute("aria-invalid", "true")
    expect(described).to_have_attribute("aria-describedby", re.compile(rf"\b{error_id}\b"))
    # The summary names it once, links to it, and has the focus.
    expect(page.locator("#pf-summary")).to_be_focused()
    links = page.locator("#pf-summary-list a")
    expect(links).to_have_count(1)
    expect(links).to_contain_text(broken.message)
    links.click()
    expect(control).to_be_focused()
    # The build rejects the same value.
    broken.frontmatter(valid)
    assert build_problems(valid) != []


# -- sending -----------------------------------------------------------------------------


def test_the_issue_and_email_links_carry_the_files_text(form: Page):
    page = form
    fill_minimal(page)
    page.fill("#pf-title", TITLE)
    page.check("#pf-remote-hybrid")
    page.fill("#pf-salary-min", "70000")
    page.fill("#pf-salary-max", "90000")
    page.select_option("#pf-salary-currency", "EUR")
    page.fill("#pf-tags", "go, rust")
    page.fill("#pf-description", DESCRIPTION)
    text = create(page)
    front, body = split(text)

    issue = urlsplit(page.get_attribute("#pf-issue", "href") or "")
    assert (issue.scheme, issue.netloc, issue.path) == (
        "https",
        "github.com",
        "/example/job-board/issues/new",
    )
    fields = {k: v[0] for k, v in parse_qs(issue.query, keep_blank_values=True).items()}
    assert fields.pop("template") == "post-a-job.yml"
    assert fields.pop("title") == front.pop("title")
    assert fields.pop("description") == body.rstrip()
    assert {k: yaml.safe_load(v) for k, v in fields.items()} == front

    mail = page.get_attribute("#pf-email", "href") or ""
    address, _, query = mail.removeprefix("mailto:").partition("?")
    assert address == "jobs@example.com"
    params = dict(part.split("=", 1) for part in query.split("&"))
    assert unquote(params["body"]) == text
    assert unquote(params["subject"]) == f"Job posting: {TITLE}, Example Corp"


def test_a_posting_too_long_for_a_link_says_to_paste_it(form: Page):
    page = form
    fill_minimal(page)
    page.fill("#pf-description", "Lots to say. " * 700)
    create(page)
    issue = urlsplit(page.get_attribute("#pf-issue", "href") or "")
    assert set(parse_qs(issue.query)) == {"template", "title"}
    expect(page.locator("#pf-status")).to_contain_text("too long for a link")


def test_copy_puts_the_file_on_the_clipboard(browser: Browser, example_url: str):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(example_url + FORM)
        fill_minimal(page)
        text = create(page)
        page.click("#pf-copy")
        expect(page.locator("#pf-status")).to_have_text("Copied.")
        assert page.evaluate("navigator.clipboard.readText()") == text
    finally:
        context.close()


def test_editing_after_creating_hides_the_stale_file(form: Page):
    page = form
    fill_minimal(page)
    create(page)
    page.fill("#pf-title", "Another title")
    expect(page.locator("#pf-result")).to_be_hidden()
    expect(page.locator("#pf-stale")).to_have_text("The form changed: create the file again.")


def test_without_javascript_the_page_explains_how_to_post(browser: Browser, example_url: str):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(example_url + FORM)
        expect(page.locator("#post-job")).to_be_hidden()
        expect(page.get_by_role("heading", name="Posting with git")).to_be_visible()
        expect(page.locator("main")).to_contain_text("open a pull request")
    finally:
        context.close()


# -- accessibility ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_empty_with_errors_and_with_the_file(
    browser: Browser, example_url: str, scheme: str
):
    context = browser.new_context(color_scheme=scheme)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(example_url + FORM)
        page.check("#pf-remote-remote")  # every part shown: the applicants' countries too
        assert violations(page) == []
        page.fill("#pf-salary-min", "10")
        page.click(SUBMIT)
        expect(page.locator("#pf-summary")).to_be_visible()
        assert violations(page) == []
        fill_minimal(page)
        page.select_option("#pf-salary-currency", "EUR")
        create(page)
        assert violations(page) == []
    finally:
        context.close()


# -- the keyboard alone ------------------------------------------------------------------


def tab_to(page: Page, selector: str, *, back: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until ``selector`` has the focus: it is in the tab order."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} not reached with Tab")


def focused(page: Page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_form_works_with_the_keyboard_alone(browser: Browser, example_url: str, tmp_path: Path):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(example_url + FORM)
        keys = page.keyboard
        # An empty form: the summary gets the focus, its first link leads to the field.
        tab_to(page, SUBMIT)
        keys.press("Enter")
        assert focused(page) == "pf-summary"
        keys.press("Tab")
        keys.press("Enter")
        assert focused(page) == "pf-title"
        keys.type("Data Engineer")
        tab_to(page, "#pf-employment_type-part-time")
        keys.press("Space")
        tab_to(page, "#pf-tags")
        keys.type("python, spark")
        tab_to(page, "#pf-description")
        keys.type("Pipelines.\n\n- Spark\n- Airflow")
        tab_to(page, "#pf-company-name")
        keys.type("Example Corp")
        tab_to(page, "#pf-remote-onsite")
        keys.press("ArrowRight")  # radios: the arrows choose
        assert focused(page) == "pf-remote-hybrid"
        tab_to(page, "#pf-places input")
        keys.type("Berlin")
        tab_to(page, "#pf-places select")
        keys.type("Germany")  # a closed select picks by typing
        tab_to(page, "#pf-add-place")
        keys.press("Enter")
        assert page.locator("#pf-places > .pf-place").count() == 2
        assert page.evaluate("document.activeElement.closest('.pf-place') !== null")
        keys.type("Hamburg")
        tab_to(page, "#pf-places > .pf-place:nth-child(2) select")
        keys.type("Germany")
        tab_to(page, "#pf-salary-min")
        keys.type("60000")
        tab_to(page, "#pf-salary-max")
        keys.type("80000")
        tab_to(page, "#pf-salary-currency")
        keys.type("Euro")
        tab_to(page, "#pf-apply_email")
        keys.type("jobs@example.com")
        tab_to(page, SUBMIT)
        keys.press("Enter")
        assert focused(page) == "pf-result-title"
        tab_to(page, "#pf-copy")
        keys.press("Enter")
        expect(page.locator("#pf-status")).to_have_text("Copied.")
        text = page.evaluate("navigator.clipboard.readText()")
        front, body = split(text)
        assert front["location"] == [
            {"city": "Berlin", "country": "DE"},
            {"city": "Hamburg", "country": "DE"},
        ]
        assert front["employment_type"] == ["full-time", "part-time"]
        assert front["remote"] == "hybrid"
        assert front["salary"] == {"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}
        assert body == "Pipelines.\n\n- Spark\n- Airflow\n"
        checked = board_check(tmp_path, "data-engineer.md", text)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        # A place is removed with the keyboard too; the focus stays in the list.
        tab_to(page, "#pf-places > .pf-place:nth-child(2) [data-remove]", back=True)
        keys.press("Enter")
        assert page.locator("#pf-places > .pf-place").count() == 1
        assert focused(page) == "pf-add-place"
    finally:
        context.close()
