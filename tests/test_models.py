"""The posting contract: a company's name and logo, and a posting's round trip through the
build cache."""

from __future__ import annotations

import pytest

from site_gen.models import Company


@pytest.mark.parametrize("logo", ["//evil.example/x.png", "/\\evil.example/x.png", "/a b.png"])
def test_a_logo_path_cannot_lead_off_the_site(logo: str) -> None:
    with pytest.raises(ValueError, match="expected an http"):
        Company(name="Acme", logo=logo)


def test_a_logo_may_be_a_site_path_or_a_web_url() -> None:
    assert Company(name="Acme", logo="/images/acme.png").logo == "/images/acme.png"
    assert (
        Company(name="Acme", logo="https://cdn.example/a.png").logo == "https://cdn.example/a.png"
    )


def test_company_name_is_stripped_and_must_not_be_blank() -> None:
    assert Company(name="  Acme ").name == "Acme"
    with pytest.raises(ValueError):
        Company(name="   ")


def test_source_and_featured_survive_the_build_caches_round_trip() -> None:
    from site_gen.content import parse_text
    from site_gen.models import Posting
    from site_gen.validate import compile_posting
    from tests.helpers import posting_text

    text = posting_text(source="greenhouse:4012345", featured=True, featured_until="2026-12-31")
    posting = compile_posting(parse_text(text, "content/jobs/a.md", "d"), "comrak").posting
    assert posting is not None
    assert (posting.imported_from, posting.source.path) == (
        "greenhouse:4012345",
        "content/jobs/a.md",
    )
    assert Posting.model_validate_json(posting.model_dump_json()) == posting
