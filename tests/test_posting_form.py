"""The "Post a job" form's rules are the models' rules: each one checked against the models'
own validation, so that a change to the posting format shows up in the form (or here)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from site_gen.config import SiteConfig
from site_gen.errors import ConfigError, SitegenError
from site_gen.field_types import country_codes, currency_codes
from site_gen.models import Frontmatter
from site_gen.posting_form import (
    BOARD_FIELDS,
    FORM_FIELDS,
    ISSUE_FIELDS,
    ISSUE_LEAVES_OUT,
    field_rules,
    posting_form,
)
from site_gen.text import FORBIDDEN_CHARS
from tests.conftest import run_build
from tests.helpers import BASE_FIELDS, parse_html, posting_text, write_board

FORM = posting_form(SiteConfig())
RULES = json.loads(FORM.rules)


def valid(**changes: Any) -> dict[str, Any]:
    """A valid frontmatter with ``changes`` at dotted paths (``company.name``)."""
    data = json.loads(json.dumps(BASE_FIELDS))
    for path, value in changes.items():
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return data


def accepted(data: dict[str, Any]) -> bool:
    try:
        Frontmatter.model_validate(data)
    except ValidationError:
        return False
    return True


def test_the_form_offers_every_field_of_the_posting_format():
    fields = set(Frontmatter.model_fields)
    assert fields - BOARD_FIELDS == set(FORM_FIELDS)
    assert RULES["order"] == list(FORM_FIELDS)
    nested = {name.split(".")[0] for name in field_rules() if "." in name}
    assert nested == {"company", "location", "salary"}


# Which issue-form field carries each posting field (the issue's own date is date_posted).
ISSUE_FIELD_OF = {
    "title": "title",
    "company.name": "company",
    "company.url": "company_url",
    "valid_through": "valid_through",
    "employment_type": "employment_type",
    "location.city": "location",
    "location.region": "location",
    "location.country": "location",
    "remote": "remote",
    "applicant_locations": "applicant_locations",
    "salary.min": "salary_min",
    "salary.max": "salary_max",
    "salary.value": "salary_min",
    "salary.currency": "salary_currency",
    "salary.period": "salary_period",
    "experience_level": "experience_level",
    "tags": "tags",
    "apply_url": "apply_url",
    "apply_email": "apply_email",
}
PACKAGED_ISSUE_FORM = (
    Path(__file__).parent.parent / "site_gen/skeleton/board/github/ISSUE_TEMPLATE/post-a-job.yml"
)


def test_every_posting_field_goes_to_an_issue_field_or_is_named_as_left_out():
    leaves = {n for n in FORM.fields if not any(m.startswith(f"{n}.") for m in FORM.fields)}
    assert leaves == set(ISSUE_FIELD_OF) | set(ISSUE_LEAVES_OUT) | {"date_posted"}
    assert set(ISSUE_FIELD_OF.values()) | {"description"} == set(ISSUE_FIELDS)
    assert RULES["issueFields"] == list(ISSUE_FIELDS)


@pytest.mark.skipif(not PACKAGED_ISSUE_FORM.exists(), reason="the issue form of issue 15 part 2")
def test_the_issue_link_fills_the_issue_form_that_sitegen_init_writes():
    import yaml

    form = yaml.safe_load(PACKAGED_ISSUE_FORM.read_text(encoding="utf-8"))
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert set(ids) == set(ISSUE_FIELDS)


def test_required_fields_are_the_models_required_fields():
    required = {name for name, rule in FORM.fields.items() if rule.required}
    assert required == {
        "title",
        "company",
        "company.name",
        "date_posted",
        "location.country",
        "salary.currency",
    }
    for name in ("title", "company", "date_posted"):
        data = valid()
        del data[name]
        assert not accepted(data), name
    assert not accepted(valid(**{"location": [{"city": "Berlin"}]}))
    assert not accepted(valid(**{"salary": {"min": 1, "max": 2}}))


@pytest.mark.parametrize(
    "path",
    [
        "title",
        "company.name",
        "company.url",
        "company.logo",
        "experience_level",
        "apply_url",
        "apply_email",
        "slug",
        "location.0.city",
        "location.0.region",
        "location.0.street_address",
        "location.0.postal_code",
        "tags.0",
    ],
)
def test_each_length_limit_is_the_models(path: str):
    rule = FORM.fields[re.sub(r"\.\d+", "", path)]
    assert rule.max_length is not None
    fill = {
        "company.url": "https://example.com/",
        "company.logo": "https://example.com/",
        "apply_url": "https://example.com/",
        "apply_email": "a@example.com",
    }.get(path.replace(".0", ""), "")

    def at(length: int) -> dict[str, Any]:
        value = fill + "x" * (length - len(fill))
        if path == "apply_email":  # 64 bytes before the @ at most, 63 in a domain label
            last = length - (64 + 1 + 64 + 64 + 3)
            value = f"{'x' * 64}@{'a' * 63}.{'b' * 63}.{'c' * last}.de"
        return valid(tags=["python"], **{path: value})

    assert accepted(at(rule.max_length)), path
    assert not accepted(at(rule.max_length + 1)), path


def test_every_choice_the_form_offers_is_accepted_and_none_is_missing():
    for kind in FORM.employment_types:
        assert accepted(valid(employment_type=[kind]))
    assert not accepted(valid(employment_type=["freelance"]))
    for mode in FORM.remote_modes:
        assert accepted(valid(remote=mode))
    for period in FORM.periods:
        assert accepted(valid(**{"salary.period": period}))
    assert {c.value for c in FORM.countries} == country_codes()
    assert {c.value for c in FORM.currencies} == currency_codes()
    for choice in FORM.countries:
        assert accepted(valid(**{"location.0.country": choice.value})), choice
    for choice in FORM.currencies:
        assert accepted(valid(**{"salary.currency": choice.value})), choice
    assert FORM.default("remote") == Frontmatter.model_fields["remote"].default
    assert FORM.default("salary.period") == "year"


def test_patterns_and_limits_are_the_models():
    shapes = {k: p for k, p in RULES["patterns"].items() if k != "forbidden"}
    patterns = {k: re.compile(p["source"], re.I if p["flags"] else 0) for k, p in shapes.items()}
    forbidden = re.sub(
        r"\\u\{([0-9a-f]+)\}",
        lambda m: chr(int(m.group(1), 16)),
        RULES["patterns"]["forbidden"]["source"],
    )
    assert forbidden == FORBIDDEN_CHARS.pattern
    for url in [
        "https://example.com/apply",
        "HTTP://EXAMPLE.COM",
        "javascript:alert(1)",
        "https://x",
    ]:
        assert bool(patterns["webUrl"].match(url)) == accepted(valid(apply_url=url)), url
    for email in ["jobs@example.com", "jobs@example", "a b@example.com", "jöbs@exämple.de"]:
        assert bool(patterns["email"].match(email)) == accepted(
            valid(apply_url=None, apply_email=email)
        ), email
    for logo in ["/images/logo.png", "//evil.example/x.png", "logo.png", "/\\evil"]:
        expected = bool(patterns["sitePath"].match(logo) or patterns["webUrl"].match(logo))
        assert expected == accepted(valid(**{"company.logo": logo})), logo
    first, last = RULES["years"]
    assert accepted(valid(date_posted=f"{first}-01-01", valid_through=None))
    assert not accepted(valid(date_posted=f"{first - 1}-12-31", valid_through=None))
    assert accepted(valid(date_posted=f"{last}-12-31", valid_through=None))
    assert not accepted(valid(date_posted=f"{last + 1}-01-01", valid_through=None))
    assert accepted(valid(**{"salary.max": RULES["maxAmount"]}))
    assert not accepted(valid(**{"salary.max": RULES["maxAmount"] + 1}))


def test_names_come_in_the_boards_language_in_its_alphabetical_order():
    german = posting_form(SiteConfig(language="de"))
    names = {c.value: c.label for c in german.countries}
    assert names["DE"] == "Deutschland" and names["NO"] == "Norwegen"
    labels = [c.label for c in german.countries]
    assert labels.index("Ägypten") < labels.index("Albanien")  # Ä among the A's
    assert {c.value: c.label for c in german.currencies}["EUR"] == "Euro"
    english = {c.value: c.label for c in FORM.currencies}
    assert english["USD"] == "US Dollar"


def test_the_boards_repository_and_email_reach_the_script():
    config = SiteConfig(repository="acme/jobs", email="post@jobs.example.com")
    rules = json.loads(posting_form(config).rules)
    assert (rules["repository"], rules["email"]) == ("acme/jobs", "post@jobs.example.com")
    assert (RULES["repository"], RULES["email"]) == (None, None)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('repository = "acme"', "repository: expected a GitHub repository as owner/name"),
        ('repository = "https://github.com/a/b"', "repository: expected a GitHub repository"),
        ('email = "jobs at example.com"', "email: expected one email address"),
    ],
)
def test_a_wrong_repository_or_email_setting_is_a_config_error(
    tmp_path: Path, setting: str, message: str
):
    root = write_board(tmp_path / "board", {"a": posting_text()}, config=setting + "\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        run_build(root)


def test_a_page_names_its_template_and_the_form_page_embeds_the_rules(tmp_path: Path):
    page = "---\ntitle: Post a job\ntemplate: post-a-job.html\n---\nWith git: add a file.\n"
    root = write_board(
        tmp_path / "board",
        {"a": posting_text()},
        {"post-a-job": page},
        config='repository = "acme/jobs"\nlanguage = "de"\n',
    )
    out = run_build(root).output
    doc = parse_html(out / "post-a-job" / "index.html")
    rules = json.loads(doc.xpath('//script[@id="post-job-rules"]/text()')[0])
    assert rules["repository"] == "acme/jobs"
    assert doc.xpath('//*[@id="post-job"]/@hidden') == [""]  # shown by its script
    assert "With git: add a file." in doc.xpath("string(//main)")
    assert doc.xpath('string(//label[@for="pf-title"])').startswith("Stellentitel")
    assert doc.xpath('//select[@id="pf-salary-currency"]/option[@value="EUR"]/text()') == [
        "Euro (EUR)"
    ]
    assert doc.xpath('//a[@id="pf-issue"]') and not doc.xpath('//a[@id="pf-email"]')
    assert doc.xpath("//script/@src[contains(., 'post-a-job')]")


def test_a_page_naming_a_missing_template_is_an_error(tmp_path: Path):
    page = "---\ntitle: Odd\ntemplate: nowhere.html\n---\nText.\n"
    root = write_board(tmp_path / "board", {"a": posting_text()}, {"odd": page})
    with pytest.raises(SitegenError, match=re.escape("nowhere.html")):
        run_build(root)
