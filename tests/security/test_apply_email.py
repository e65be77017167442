"""Class 1 of issue 17: ``apply_email`` is one address, and the mailto: link sets only what
the theme chooses.

An address with header fields (``?cc=``, ``&body=``), a second address, a display name or
anything that is not an RFC 5322 addr-spec within the length limits is refused; an address
that is valid but holds characters a mailto: URL gives meaning to (``?``, ``&``, ``=``,
``#``, ``%``) is percent-encoded, so the link still goes to that one address.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from site_gen.field_types import MAX_EMAIL_LENGTH, MAX_EMAIL_LOCAL_LENGTH, check_email
from site_gen.models import Frontmatter
from site_gen.urls import mailto
from tests.helpers import BASE_FIELDS, parse_html, posting_text, run_build_of

REFUSED = [
    "jobs@example.com?cc=someone@else.example&body=hello",
    "jobs@example.com?bcc=spy@evil.example",
    "jobs@example.com&cc=spy@evil.example",
    "jobs@example.com,spy@evil.example",
    "jobs@example.com spy@evil.example",
    "jobs@example.com;spy@evil.example",
    "Jobs <jobs@example.com>",
    "<jobs@example.com>",
    "jobs@example.com\r\nBcc: spy@evil.example",
    "jobs@example.com%0ABcc:spy@evil.example",
    "jobs@example.com#fragment",
    '"quoted local"@example.com',
    "jobs@[127.0.0.1]",
    "jobs@localhost",
    "jobs@@example.com",
    "jobs.example.com",
    "@example.com",
    "jobs@",
    "jobs@example..com",
    ".jobs@example.com",
    "jobs.@example.com",
    "javascript:alert(1)//@example.com",
    "mailto:jobs@example.com",
    "a" * (MAX_EMAIL_LOCAL_LENGTH + 1) + "@example.com",
    "ü" * 33 + "@example.com",  # 33 characters, 66 bytes: over 64 bytes
    "jobs@" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 60 + ".com",  # > 254
    "jobs\x85@example.com",
    "jobs@example.com\u202e",
]
ACCEPTED = {
    "jobs@example.com": "jobs@example.com",
    " jobs@example.com ": "jobs@example.com",
    "jobs@EXAMPLE.COM": "jobs@example.com",
    "first.last+board@sub.example.co.uk": "first.last+board@sub.example.co.uk",
    "a?cc=b@example.com": "a?cc=b@example.com",  # RFC 5322 allows ? and = before the @
    "o'brien@example.com": "o'brien@example.com",
    "jöbs@exämple.com": "jöbs@exämple.com",
    "a" * MAX_EMAIL_LOCAL_LENGTH + "@example.com": "a" * MAX_EMAIL_LOCAL_LENGTH + "@example.com",
}


def frontmatter_with(email: str) -> Frontmatter:
    return Frontmatter.model_validate({**BASE_FIELDS, "apply_url": None, "apply_email": email})


@pytest.mark.parametrize("email", REFUSED)
def test_anything_but_one_address_is_refused(email: str) -> None:
    with pytest.raises(ValidationError) as info:
        frontmatter_with(email)
    (error,) = info.value.errors()
    assert error["loc"][0] == "apply_email"


@pytest.mark.parametrize(("email", "normal"), ACCEPTED.items())
def test_one_address_is_accepted_and_normalised(email: str, normal: str) -> None:
    assert frontmatter_with(email).apply_email == normal


def test_the_length_limits_are_the_documented_ones() -> None:
    assert MAX_EMAIL_LOCAL_LENGTH == 64 and MAX_EMAIL_LENGTH == 254
    domain = ".".join(["a" * 60] * 4) + ".com"  # 247 characters
    assert len(check_email(f"jobsxx@{domain}")) == MAX_EMAIL_LENGTH
    with pytest.raises(ValueError):
        check_email(f"jobsxxx@{domain}")


def test_a_refusal_is_one_line_naming_the_reason() -> None:
    with pytest.raises(ValueError) as info:
        check_email("jobs@example.com?cc=spy@evil.example")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("expected one email address such as jobs@example.com, got ")


def recipients(href: str) -> tuple[list[str], dict[str, list[str]]]:
    """What a mail client makes of a mailto: URL (RFC 6068): the addresses and the fields."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto"
    return [unquote(a) for a in parts.path.split(",")], parse_qs(parts.query)


@pytest.mark.parametrize("email", [*ACCEPTED.values(), "x&y=z#w%41@example.com"])
def test_the_link_goes_to_that_one_address_with_only_the_subject(email: str) -> None:
    href = mailto(email, subject="Engineer & Co?cc=x@y.example #1 100%")
    to, fields = recipients(href)
    assert to == [email]
    assert fields == {"subject": ["Engineer & Co?cc=x@y.example #1 100%"]}


EMAIL_CHARS = st.sampled_from(list("abcXYZ019.!#$%&'*+-/=?^_`{|}~ü"))


@settings(max_examples=200, deadline=None)
@given(
    local=st.text(EMAIL_CHARS, min_size=1, max_size=20),
    subject=st.text(max_size=30).filter(lambda s: "\x00" not in s),
)
def test_any_accepted_address_makes_a_link_to_itself_alone(local: str, subject: str) -> None:
    try:
        address = check_email(f"{local}@example.com")
    except ValueError:
        return
    to, fields = recipients(mailto(address, subject=subject))
    assert to == [address]
    assert set(fields) <= {"subject"}


def test_the_built_page_links_to_the_one_address(tmp_path) -> None:
    text = posting_text(apply_url=None, apply_email="a?cc=b@example.com", title="Dev & Ops?x=1")
    root = run_build_of(tmp_path, {"job": text})
    page = parse_html(root / "output" / "jobs" / "job" / "index.html")
    hrefs = {a.get("href") for a in page.xpath("//a[starts-with(@href, 'mailto:')]")}
    apply_links = [h for h in hrefs if not h.startswith("mailto:?")]
    assert apply_links == ["mailto:a%3Fcc%3Db@example.com?subject=Dev%20%26%20Ops%3Fx%3D1"]
    for href in apply_links:
        to, fields = recipients(href)
        assert to == ["a?cc=b@example.com"] and fields == {"subject": ["Dev & Ops?x=1"]}
