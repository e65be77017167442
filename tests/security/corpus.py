"""A table of hostile and malformed postings, each with its expected outcome.

A case is a few files written into a fresh board, and either the exact error lines the
build must print (``errors``) or a successful build, whose every page is then checked by
``invariants.check_site``; ``expect`` adds what is particular to the case. Postings are
written line by line from ``POSTING`` so that the line numbers in the expected messages
can be read off the table: title is line 2, company 3, date_posted 4, valid_through 5,
location 6, salary 7, apply_url 8, and added fields follow from line 9 on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from site_gen.field_types import check_email
from tests.security.invariants import Built

POSTING_FIELDS = {
    "title": "Backend Engineer",
    "company": "Example Corp",
    "date_posted": "2026-11-20",
    "valid_through": "2027-01-31",
    "location": "[{city: Berlin, country: DE}]",
    "salary": "{min: 70000, max: 90000, currency: EUR}",
    "apply_url": "https://example.com/apply/1",
}
HOST = "jobs.example.com"
ALERT = "<script>alert(1)</script>"
SCRIPT_END = f"</script>{ALERT}"
COMMENT_OPEN = "<!--<script>alert(1)//"


def y(value: Any) -> str:
    """A value as a YAML flow scalar (JSON is YAML; non-ASCII stays literal)."""
    return json.dumps(value, ensure_ascii=False)


def posting(body: str = "We build things.\n", drop: tuple[str, ...] = (), **fields: str) -> str:
    """A posting file: ``POSTING_FIELDS`` with ``fields`` (raw YAML) replacing or added."""
    merged = {**POSTING_FIELDS, **fields}
    lines = [f"{key}: {value}" for key, value in merged.items() if key not in drop]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes]  # path below the board root -> contents
    errors: tuple[str, ...] = ()  # the exact error lines; empty: the build succeeds
    expect: Callable[[Built], None] | None = None
    config: str = f'title = "Test board"\nbase_url = "https://{HOST}/"\n'
    # symbolic links to be made, each to a valid posting outside the board
    links: tuple[str, ...] = ()


def job(text: str | bytes, name: str = "job") -> dict[str, str | bytes]:
    return {f"content/jobs/{name}.md": text}


def err(line: int | None, message: str, name: str = "job") -> str:
    where = f"content/jobs/{name}.md:{line}" if line else f"content/jobs/{name}.md"
    return f"{where}: {message}"


# --- expectations ----------------------------------------------------------------------


def ld_equals(
    path: tuple[str | int, ...], value: Any, slug: str = "job"
) -> Callable[[Built], None]:
    """The posting's JSON-LD has ``value`` at ``path``: the field came through unchanged."""

    def check(built: Built) -> None:
        found: Any = built.posting_ld(slug)
        for key in path:
            found = found[key]
        assert found == value, (path, found, value)

    return check


def text_shown(value: str, slug: str = "job") -> Callable[[Built], None]:
    """The posting's page shows ``value`` as text (escaped, not dropped, not markup)."""

    def check(built: Built) -> None:
        page = f"jobs/{slug}/index.html"
        assert any(value in t for t in built.text(page, "//body")), value
        assert value in built.text(page, "//title")[0] or value in "".join(
            built.text(page, "//main")
        )

    return check


def both(*checks: Callable[[Built], None]) -> Callable[[Built], None]:
    def check(built: Built) -> None:
        for one in checks:
            one(built)

    return check


def description_has(xpath: str, count: int, slug: str = "job") -> Callable[[Built], None]:
    """The posting's page has ``count`` matches of ``xpath`` (e.g. links that survived)."""

    def check(built: Built) -> None:
        found = built.page(f"jobs/{slug}/index.html").xpath(xpath)
        assert len(found) == count, (xpath, found)

    return check


def no_job_posting(slug: str = "job") -> Callable[[Built], None]:
    def check(built: Built) -> None:
        blocks = built.json_ld[f"jobs/{slug}/index.html"]
        assert not [b for b in blocks if b.get("@type") == "JobPosting"], blocks

    return check


def page_exists(path: str) -> Callable[[Built], None]:
    def check(built: Built) -> None:
        assert path in built.files, sorted(built.files)

    return check


def date_posted(day: str, slug: str = "job") -> Callable[[Built], None]:
    return ld_equals(("datePosted",), day, slug)


def one_main_and_footer_outside(built: Built) -> None:
    """A description cannot close the theme's elements: the layout stays as it was."""
    tree = built.page("jobs/job/index.html")
    assert len(tree.xpath("//main")) == 1
    assert len(tree.xpath("//h1")) == 1
    assert tree.xpath("//footer") and not tree.xpath("//main//footer")
    assert tree.xpath("//main//*[contains(text(), 'AFTER')]")


def no_control_characters(built: Built) -> None:
    page = built.files["jobs/job/index.html"].decode()
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in page)


# --- the corpus ------------------------------------------------------------------------

BODY_ATTACKS: dict[str, tuple[str, Callable[[Built], None] | None]] = {
    "body-script-tag": (f"Hello {ALERT} world <SCRIPT SRC=//evil.example/x.js></SCRIPT>\n", None),
    "body-event-handlers": (
        "<img src=x onerror=alert(1)> <div onclick=alert(1)>d</div>"
        '<a href="https://ok.example" onmouseover="alert(1)">a</a>'
        "<details open ontoggle=alert(1)><summary onfocus=alert(1)>s</summary></details>"
        '<p ONCLICK="alert(1)" oNmOuSeOvEr=alert(1)>p</p>\n',
        description_has("//main//a[@href='https://ok.example']", 1),
    ),
    "body-svg": (
        "<svg onload=alert(1)><script>alert(1)</script>"
        '<a xlink:href="javascript:alert(1)"><text>x</text></a>'
        '<animate attributeName="href" values="javascript:alert(1)"/>'
        "<foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>\n"
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">\n',
        None,
    ),
    "body-mathml": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n\n"
        '<math href="javascript:alert(1)"><mi xlink:href="javascript:alert(1)">x</mi></math>\n',
        None,
    ),
    "body-mutation-xss": (
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">\n\n'
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">\n\n'
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>\n",
        None,
    ),
    "body-markdown-javascript-links": (
        "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) ![c](javascript:alert(1))\n\n"
        "[d](<javascript:alert(1)>) [e]: javascript:alert(1)\n\n[f][e] <javascript:alert(1)>\n",
        None,
    ),
    "body-entity-encoded-javascript": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">1</a>'
        '<a href="&#x6A;avascript&colon;alert(1)">2</a>'
        '<a href="&#0000106avascript:alert(1)">3</a>'
        "[4](&#x6A;avascript:alert(1)) [5](java&#x09;script:alert(1))\n",
        None,
    ),
    "body-whitespace-and-case-javascript": (
        '<a href=" JaVaScRiPt:alert(1)">1</a><a href="java\tscript:alert(1)">2</a>'
        '<a href="java\nscript:alert(1)">3</a><a href="&#x20;javascript:alert(1)">4</a>'
        '<a href="\x01javascript:alert(1)">5</a><a href="java\x00script:alert(1)">6</a>'
        '<img src=" javascript:alert(1)">\n',
        no_control_characters,
    ),
    "body-data-and-vbscript-urls": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">1</a>'
        '<a href="vbscript:msgbox(1)">2</a><img src="data:image/png;base64,AAAA">'
        "[3](data:text/html,<script>alert(1)</script>)\n",
        None,
    ),
    "body-forms-and-formaction": (
        "<form action=javascript:alert(1)><input type=submit formaction=javascript:alert(1)>"
        "<button formaction=javascript:alert(1)>b</button><input type=password name=pw>"
        "<input type=image src=x><textarea>t</textarea><select><option>o</select></form>\n",
        description_has("//main//input[@type!='checkbox']", 0),
    ),
    "body-embedding-elements": (
        "<iframe src=https://evil.example></iframe><object data=javascript:alert(1)></object>"
        "<embed src=javascript:alert(1)><base href=https://evil.example/>"
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
        '<link rel="stylesheet" href="https://evil.example/x.css"><frameset><frame src=x>'
        "<applet code=x></applet><portal src=https://evil.example></portal>\n",
        None,
    ),
    "body-srcset-and-styles": (
        '<img srcset="javascript:alert(1) 1x, https://ok.example/a.png 2x">'
        '<div style="background:url(javascript:alert(1))">s</div>'
        "<style>@import 'https://evil.example/x.css'; *{}</style>"
        '<p style="width:expression(alert(1))">e</p>\n',
        None,
    ),
    "body-comments-and-cdata": (
        f"<!-- {ALERT} --> <![CDATA[{ALERT}]]> <!--> {ALERT} <!--[if IE]>{ALERT}<![endif]-->\n",
        None,
    ),
    "body-closes-theme-elements": (
        f"</div></article></main></body></html>{ALERT}<main><h1>fake</h1>\n\nAFTER\n",
        one_main_and_footer_outside,
    ),
    "body-template-syntax": (
        "{{ config }} {% for x in range(10**9) %}x{% endfor %} {{ 7*7 }}\n",
        description_has("//main//*[contains(text(), '{{ 7*7 }}')]", 1),
    ),
    "body-external-links-get-rel": (
        '<a href="https://evil.example" target="_blank" rel="opener">1</a>'
        '<a href="//evil.example/x">2</a><a href="/\\evil.example">3</a>'
        " https://autolinked.example www.also-autolinked.example [4](http://md.example)\n",
        description_has(
            "//main//a[contains(@href, 'evil.example') or contains(@href, 'md.example')]"
            "[contains(@rel, 'noopener') and contains(@rel, 'nofollow') and contains(@rel, 'ugc')]",
            4,
        ),
    ),
    "body-headings-stay-below-h1": ("# Heading\n\n<h1>Second</h1>\n", None),
    "body-control-characters": (
        "Null \x00 bell \x07 escape \x1b[2J vertical \x0b tab\tok\n",
        no_control_characters,
    ),
    "body-unicode-separators": (
        "Line\u2028separator, paragraph\u2029separator, RTL \u202eevil\u202c, zero\u200bwidth 😀\n",
        None,
    ),
    "body-empty": ("", None),
    "body-one-megabyte-line": ("x" * (1 << 20) + "\n", None),
}

FIELD_PAYLOADS = {"script-end": SCRIPT_END, "comment-open": COMMENT_OPEN}
TEXT_FIELDS: dict[str, tuple[Callable[[str], dict[str, str]], tuple[str | int, ...]]] = {
    "title": (lambda v: {"title": y(v)}, ("title",)),
    "company-shorthand": (lambda v: {"company": y(v)}, ("hiringOrganization", "name")),
    "company-name": (lambda v: {"company": f"{{name: {y(v)}}}"}, ("hiringOrganization", "name")),
    "city": (
        lambda v: {"location": f"[{{city: {y(v)}, country: DE}}]"},
        ("jobLocation", 0, "address", "addressLocality"),
    ),
    "region": (
        lambda v: {"location": f"[{{region: {y(v)}, country: DE}}]"},
        ("jobLocation", 0, "address", "addressRegion"),
    ),
    "street-address": (
        lambda v: {"location": f"[{{street_address: {y(v)}, country: DE}}]"},
        ("jobLocation", 0, "address", "streetAddress"),
    ),
    "postal-code": (
        lambda v: {"location": f"[{{postal_code: {y(v)}, country: DE}}]"},
        ("jobLocation", 0, "address", "postalCode"),
    ),
    "experience-level": (lambda v: {"experience_level": y(v)}, ("experienceRequirements",)),
    "tag": (lambda v: {"tags": f"[{y(v)}]"}, ("skills",)),
}
URL_FIELDS: dict[str, tuple[Callable[[str], dict[str, str]], tuple[str | int, ...], str]] = {
    "company-url": (
        lambda v: {"company": f"{{name: Acme, url: {y(v)}}}"},
        ("hiringOrganization", "sameAs"),
        "https://acme.example/",
    ),
    "company-logo": (
        lambda v: {"company": f"{{name: Acme, logo: {y(v)}}}"},
        ("hiringOrganization", "logo"),
        "https://acme.example/",
    ),
    "apply-url": (lambda v: {"apply_url": y(v)}, ("url",), "https://acme.example/"),
}


def _field_cases() -> list[Case]:
    cases = []
    for field_name, (fields, ld_path) in TEXT_FIELDS.items():
        for payload_name, payload in FIELD_PAYLOADS.items():
            value = f"Acme {payload} end"
            cases.append(
                Case(
                    f"field-{field_name}-{payload_name}",
                    job(posting(**fields(value))),
                    expect=ld_equals(ld_path, value),
                )
            )
    for field_name, (fields, ld_path, prefix) in URL_FIELDS.items():
        for payload_name, payload in FIELD_PAYLOADS.items():
            value = prefix + payload.replace(" ", "%20")
            expected = value if field_name != "apply-url" else f"https://{HOST}/jobs/job/"
            cases.append(
                Case(
                    f"field-{field_name}-{payload_name}",
                    job(posting(**fields(value))),
                    expect=ld_equals(ld_path, expected),
                )
            )
    return cases


def _bad_url_cases() -> list[Case]:
    """Dangerous URLs in apply_url, company url and logo are errors, however written."""
    urls = {
        "javascript": "javascript:alert(1)",
        "mixed-case-space": " JaVaScRiPt:alert(1)",
        "tab-inside": "java\tscript:alert(1)",
        "entity-encoded": "&#106;avascript:alert(1)",
        "data": "data:text/html,<script>alert(1)</script>",
        "vbscript": "vbscript:msgbox(1)",
        "protocol-relative": "//evil.example/x",
    }
    expected = "expected an http(s) URL such as https://example.com/apply, got "
    cases = []
    for name, url in urls.items():
        shown = repr(url)
        cases.append(
            Case(
                f"apply-url-{name}",
                job(posting(apply_url=y(url))),
                errors=(err(8, f"apply_url: {expected}{shown}"),),
            )
        )
    cases += [
        Case(
            "company-url-javascript",
            job(posting(company='{name: Acme, url: "javascript:alert(1)"}')),
            errors=(err(3, f"company.url: {expected}'javascript:alert(1)'"),),
        ),
        Case(
            "company-logo-data-svg",
            job(posting(company='{name: Acme, logo: "data:image/svg+xml,<svg onload=alert(1)>"}')),
            errors=(err(3, f"company.logo: {expected}'data:image/svg+xml,<svg onload=alert(1)>'"),),
        ),
        Case(
            "company-logo-backslash-host",
            job(posting(company=r'{name: Acme, logo: "/\\evil.example/x.png"}')),
            errors=(err(3, f"company.logo: {expected}'/\\\\evil.example/x.png'"),),
        ),
        Case(
            "company-logo-protocol-relative",
            job(posting(company='{name: Acme, logo: "//evil.example/x.png"}')),
            errors=(err(3, f"company.logo: {expected}'//evil.example/x.png'"),),
        ),
        Case(
            "apply-email-markup",
            job(posting(apply_email=y('jobs@example.com"><script>alert(1)</script>'))),
            errors=(
                err(
                    9,
                    "apply_email: expected one email address such as jobs@example.com, got "
                    "'jobs@example.com\"><script>alert(1)</script>' (The part after the @-sign "
                    "contains invalid characters: '\"', '(', ')', '/', '<', '>')",
                ),
            ),
        ),
        Case(
            "apply-url-control-character",
            job(posting(apply_url=y("java\x00script:alert(1)"))),
            errors=(err(8, "apply_url: contains the control character U+0000; remove it"),),
        ),
    ]
    return cases


PATH_CASES = [
    Case(
        "slug-dot-dot-traversal",
        job(posting(slug=y("../../../../etc/passwd"))),
        expect=page_exists("jobs/etc-passwd/index.html"),
    ),
    Case(
        "slug-absolute-path",
        job(posting(slug=y("/tmp/evil"))),
        expect=page_exists("jobs/tmp-evil/index.html"),
    ),
    Case(
        "slug-backslashes-and-encoded-dots",
        job(posting(slug=y("..\\..\\%2e%2e%2fWindows\\System32"))),
        expect=page_exists("jobs/2e-2e-2fwindows-system32/index.html"),
    ),
    Case(
        "slug-only-dots",
        job(posting(slug=y(".."))),
        errors=(err(9, "slug: must contain letters or digits, e.g. acme-engineer"),),
    ),
    Case(
        "slug-unicode-and-case",
        job(posting(slug=y("Zürich Ingeniør ÉQUIPE"))),
        expect=page_exists("jobs/zurich-ingenior-equipe/index.html"),
    ),
    Case(
        "slug-very-long",
        job(posting(slug=y("word-" * 90))),
        expect=page_exists(f"jobs/{'-'.join(['word'] * 16)}/index.html"),
    ),
    Case(
        "file-name-traversal-like",
        job(posting(), name="..%2F..%2Fescape"),
        expect=page_exists("jobs/2f-2fescape/index.html"),
    ),
    Case(
        "file-name-only-dots",
        job(posting(), name=".."),
        errors=(err(None, "slug: must contain letters or digits, e.g. acme-engineer", ".."),),
    ),
    Case(
        "slug-collision-by-case",
        {**job(posting(), "Backend"), **job(posting(), "backend")},
        errors=(
            err(
                None,
                "slug: 'backend' is already used by the posting content/jobs/Backend.md; "
                "give one of them another slug",
                "backend",
            ),
        ),
    ),
    Case(
        "slug-collision-by-field",
        {**job(posting(slug="other"), "first"), **job(posting(), "other")},
        errors=(
            err(
                None,
                "slug: 'other' is already used by the posting content/jobs/first.md; "
                "give one of them another slug",
                "other",
            ),
        ),
    ),
    Case(
        "symlink-out-of-the-board",
        {},
        links=("content/jobs/secret.md",),
        errors=(err(None, "is a link to a file outside the board; copy the file in", "secret"),),
    ),
]


def page(title: str, body: str, **fields: str) -> str:
    lines = [f"title: {y(title)}", *(f"{k}: {v}" for k, v in fields.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def page_shows(path: str, title: str) -> Callable[[Built], None]:
    def check(built: Built) -> None:
        assert built.text(path, "//h1") == [title]
        assert title in built.text(path, "//title")[0]

    return check


PAGE_CASES = [
    Case(
        "page-hostile-title-description-and-body",
        {
            "content/pages/about.md": page(
                SCRIPT_END,
                f"<img src=x onerror=alert(1)> [x](javascript:alert(1)) {ALERT}\n",
                description=y(f'"><script>alert(1)</script>{COMMENT_OPEN}'),
            )
        },
        expect=page_shows("about/index.html", SCRIPT_END),
    ),
    Case(
        "page-slug-traversal",
        {"content/pages/about.md": page("About", "Hi\n", slug=y("../../../etc/passwd"))},
        expect=page_exists("etc-passwd/index.html"),
    ),
    Case(
        "page-slug-collision",
        {
            "content/pages/about.md": page("About", "Hi\n"),
            "content/pages/other.md": page("Other", "Hi\n", slug="About"),
        },
        errors=(
            "content/pages/other.md: slug: 'about' is already used by the page "
            "content/pages/about.md; give one of them another slug",
        ),
    ),
    Case(
        "page-unknown-field",
        {"content/pages/about.md": page("About", "Hi\n", onload=y("alert(1)"))},
        errors=(
            "content/pages/about.md:3: onload: unknown field (a typo?); see the posting format in the README",
        ),
    ),
]

BOMB = "\n".join(
    [f"a0: &a0 {y(['lol'] * 9)}"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
)

FILE_CASES = [
    Case("utf8-bom", job("\ufeff" + posting()), expect=ld_equals(("title",), "Backend Engineer")),
    Case(
        "crlf-line-endings",
        job(posting(title=y("Title")).replace("\n", "\r\n")),
        expect=ld_equals(("title",), "Title"),
    ),
    Case(
        "bom-and-crlf",
        job("\ufeff" + posting().replace("\n", "\r\n")),
        expect=page_exists("jobs/job/index.html"),
    ),
    Case(
        "old-mac-line-endings",
        job(posting().replace("\n", "\r")),
        expect=page_exists("jobs/job/index.html"),
    ),
    Case(
        "tab-indentation-in-yaml",
        job(posting(location="\n\t- {city: Berlin, country: DE}")),
        errors=(
            err(
                7,
                "invalid YAML: found character that cannot start any token "
                "(indent with spaces, not tabs)",
            ),
        ),
    ),
    Case(
        "tab-after-colon",
        job(posting(title="\tTabbed Title")),
        expect=ld_equals(("title",), "Tabbed Title"),
    ),
    Case(
        "no-frontmatter",
        job("# Backend Engineer\n\nJust markdown.\n"),
        errors=(
            err(
                1,
                "no frontmatter: a posting starts with a line '---', its YAML fields, and another '---'",
            ),
        ),
    ),
    Case(
        "frontmatter-not-closed",
        job(posting().replace("\n---\nWe build", "\nWe build")),
        errors=(err(1, "frontmatter is not closed: add a line '---' after the fields"),),
    ),
    Case(
        "empty-file",
        job(""),
        errors=(
            err(
                1,
                "no frontmatter: a posting starts with a line '---', its YAML fields, and another '---'",
            ),
        ),
    ),
    Case(
        "empty-frontmatter",
        job("---\n---\nBody\n"),
        errors=(
            err(None, "company: required field is missing"),
            err(None, "date_posted: required field is missing"),
            err(None, "title: required field is missing"),
        ),
    ),
    Case(
        "frontmatter-only",
        job(posting().removesuffix("We build things.\n")),
        # Google rejects a JobPosting without a description: the page is built without one.
        expect=both(page_exists("jobs/job/index.html"), no_job_posting()),
    ),
    Case(
        "latin-1-bytes",
        job(posting(title=y("Café")).encode("latin-1")),
        errors=(err(2, "not valid UTF-8 text (byte 0xe9); save the file as UTF-8"),),
    ),
    Case(
        "utf-16-file",
        job(posting().encode("utf-16")),
        errors=(err(1, "not valid UTF-8 text (byte 0xff); save the file as UTF-8"),),
    ),
    Case(
        "invalid-yaml",
        job(posting(title='"unclosed')),
        errors=(
            err(2, "invalid YAML: found unexpected end of stream while scanning a quoted scalar"),
        ),
    ),
    Case(
        "yaml-alias-bomb",
        job(posting(drop=("salary",)).replace("---\nWe", BOMB + "\n---\nWe")),
        errors=(err(None, "invalid YAML: more than 10000 values; a posting needs far fewer"),),
    ),
    Case(
        "yaml-recursive-alias",
        job(posting(tags="&loop [*loop]")),
        errors=(err(None, "invalid YAML: an alias refers to the value that contains it"),),
    ),
    Case(
        "yaml-deep-nesting",
        job(posting(tags="[" * 5000 + "]" * 5000)),
        errors=(err(9, "invalid YAML: exceeded maximum nesting depth"),),
    ),
    Case(
        "yaml-duplicate-key",
        job(posting(**{"apply_url ": "https://evil.example/"})),
        errors=(err(9, "apply_url: appears twice (lines 8 and 9); keep one"),),
    ),
    Case(
        "yaml-python-object",
        job(posting(title="!!python/object/apply:os.system [echo pwned]")),
        errors=(
            err(
                2,
                "invalid YAML: could not determine a constructor for the tag "
                "'tag:yaml.org,2002:python/object/apply:os.system'",
            ),
        ),
    ),
    Case(
        "yaml-binary-title",
        job(posting(title="!!binary PHNjcmlwdD4=")),
        errors=(err(2, "title: expected text, got b'<script>'"),),
    ),
    Case(
        "frontmatter-is-a-list",
        job("---\n- title\n- company\n---\nBody\n"),
        errors=(err(2, "frontmatter must be a mapping of fields such as 'title: ...'"),),
    ),
    Case(
        "raw-control-character-in-yaml",
        job(posting(title="Backend\x07Engineer")),
        errors=(err(2, "title: contains the control character U+0007; remove it"),),
    ),
    Case(
        "escaped-control-character-in-value",
        job(posting(company=r'{name: "Acme\0Corp"}')),
        errors=(err(3, "company.name: contains the control character U+0000; remove it"),),
    ),
    Case(
        "terminal-escape-in-key",
        job(posting(**{'"x\\e[2J\\nINJECTED"': "1"})),
        errors=(err(9, "x\\x1b[2J\\nINJECTED: contains the control character U+001B; remove it"),),
    ),
    Case(
        "newline-in-key",
        job(posting(**{'"tit\\nle"': "1"})),
        errors=(err(9, "tit\\nle: unknown field (a typo?); see the posting format in the README"),),
    ),
    Case(
        "extremely-long-title",
        job(posting(title="A" * 100_000)),
        errors=(err(2, "title: is too long (at most 500 characters)"),),
    ),
    Case(
        "extremely-long-url",
        job(posting(apply_url="https://example.com/" + "a" * 100_000)),
        errors=(err(8, "apply_url: is too long (at most 2000 characters)"),),
    ),
    Case(
        "extremely-long-url-of-dots",
        job(posting(apply_url=y("http://" + "." * 1990 + " x"))),
        errors=(
            err(
                8,
                "apply_url: expected an http(s) URL such as https://example.com/apply, got "
                + repr("http://" + "." * 1990 + " x")[:57]
                + "...",
            ),
        ),
    ),
    Case(
        "file-over-ten-megabytes",
        job(posting("x" * (10 * 2**20 + 1))),
        errors=(err(None, "file is larger than 10 MB"),),
    ),
    Case(
        "unicode-line-separator-in-title",
        job(posting(title=y("Line\u2028separated </script> title"))),
        expect=ld_equals(("title",), "Line\u2028separated </script> title"),
    ),
    Case(
        "markup-in-title-attribute-breakout",
        job(posting(title=y('" onmouseover="alert(1)" x="'))),
        expect=ld_equals(("title",), '" onmouseover="alert(1)" x="'),
    ),
    Case(
        "template-syntax-in-title",
        job(posting(title=y("{{ 7*7 }} {% raw %}"))),
        expect=both(ld_equals(("title",), "{{ 7*7 }} {% raw %}"), text_shown("{{ 7*7 }}")),
    ),
]

# Dates as people write them: each is the 27th as written, whatever the time zone (the
# -08:00 one is the 28th in UTC, the +14:00 one the 26th).
GOOD_DATES = {
    "plain": "2026-11-27",
    "utc": "2026-11-27T09:00:00Z",
    "western-offset-late-evening": "2026-11-27T23:30:00-08:00",
    "eastern-offset-early-morning": "2026-11-27T00:30:00+14:00",
    "quoted-with-offset": '"2026-11-27T23:30:00-08:00"',
    "space-and-minutes": "2026-11-27 09:00",
}
DATE_CASES = [
    Case(f"date-{name}", job(posting(date_posted=raw)), expect=date_posted("2026-11-27"))
    for name, raw in GOOD_DATES.items()
]
NONSENSE_DATES = {
    "february-30": "2026-02-30",
    "month-13": "2026-13-01",
    "hour-25": "2026-11-27T25:00:00Z",
    "year-zero": "0000-01-01",
    "word": "tomorrow",
    "day-first": "27/11/2026",
    "five-digit-year": '"20266-11-27"',
    "number": "20261127",
    "boolean": "yes",
}
OUT_OF_RANGE = {"year-1900": "1900-01-01", "year-9999": "9999-12-31"}


def _nonsense_date_cases() -> list[Case]:
    cases = []
    for name, raw in NONSENSE_DATES.items():
        value: Any = raw.strip('"')
        if name == "number":
            value = int(raw)
        elif name == "boolean":
            value = True
        cases.append(
            Case(
                f"date-nonsense-{name}",
                job(posting(date_posted=raw)),
                errors=(err(4, f"date_posted: expected a date like 2026-11-27, got {value!r}"),),
            )
        )
    for name, raw in OUT_OF_RANGE.items():
        cases.append(
            Case(
                f"date-{name}",
                job(posting(date_posted=raw)),
                errors=(
                    err(
                        4,
                        "date_posted: expected a date between 1970 and 2199 like 2026-11-27, "
                        f"got datetime.date({int(raw[:4])}, {int(raw[5:7])}, {int(raw[8:])})",
                    ),
                ),
            )
        )
    return cases


NUMBER_CASES = [
    Case(
        f"salary-{name}",
        job(posting(salary=f"{{min: {raw}, currency: EUR}}")),
        errors=(err(7, f"salary.min: {message}"),),
    )
    for name, raw, message in [
        ("infinite", ".inf", "expected a number up to 1,000,000,000,000, got inf"),
        ("not-a-number", ".nan", "expected a number up to 1,000,000,000,000, got nan"),
        (
            "huge-integer",
            "1" + "0" * 400,
            "expected a number up to 1,000,000,000,000, got " + repr(10**400)[:57] + "...",
        ),
        ("negative", "-5", "must be at least 0, got -5"),
        ("text", "lots", "expected a number, got 'lots'"),
    ]
]

LARGE_CASES = [
    Case(
        "five-megabyte-description",
        job(
            posting(
                (
                    "Paragraph of a long description with *emphasis* and [a link](https://ok.example). "
                    * 60
                    + "\n\n"
                )
                * 1100
            )
        ),
        expect=page_exists("jobs/job/index.html"),
    ),
]


PYTHON_MARKDOWN = (
    f'title = "Test board"\nbase_url = "https://{HOST}/"\nmarkdown_engine = "python-markdown"\n'
)


def _email_error(value: str) -> str:
    """The refusal of an apply_email (its reason is email-validator's wording)."""
    try:
        check_email(value)
    except ValueError as exc:
        return f"apply_email: {exc}"
    raise AssertionError(f"{value!r} was accepted")


INJECTION = "jobs@example.com?cc=someone@else.example&body=Send%20your%20CV"
# Issue 17, "untrusted postings, round 2": one case or more per class.
ROUND_TWO_CASES = [
    Case(
        "apply-email-header-injection",
        job(posting(apply_email=y(INJECTION))),
        errors=(err(9, _email_error(INJECTION)),),
    ),
    Case(
        "apply-email-display-name-and-second-address",
        job(posting(apply_email=y("Jobs <jobs@example.com>, spy@evil.example"))),
        errors=(err(9, _email_error("Jobs <jobs@example.com>, spy@evil.example")),),
    ),
    Case(
        "apply-email-valid-but-url-special",
        job(posting(apply_email=y("a?cc=b@example.com"), drop=("apply_url",))),
        expect=description_has(
            "//a[@href='mailto:a%3Fcc%3Db@example.com?subject=Backend%20Engineer']", 2
        ),
    ),
    Case(
        "c1-and-non-characters-in-several-fields",
        job(
            posting(
                title='"Backend\\u0085Engineer"',
                company='"Acme\\x9b"',
                location='[{city: "Ber\\uFDD0lin", country: DE}]',
                tags='[python, "go\\U0010FFFF"]',
            )
        ),
        errors=(
            err(2, "title: contains the control character U+0085; remove it"),
            err(3, "company: contains the control character U+009B; remove it"),
            err(6, "location.0.city: contains the non-character U+FDD0; remove it"),
            err(9, "tags.1: contains the non-character U+10FFFF; remove it"),
        ),
    ),
    Case(
        "raw-c1-and-non-characters",
        job(posting(title="Back\x9bend", company="Ac\ufffeme", tags="[a\U0001fffeb]")),
        errors=(
            err(2, "title: contains the control character U+009B; remove it"),
            err(3, "company: contains the non-character U+FFFE; remove it"),
            err(9, "tags.0: contains the non-character U+1FFFE; remove it"),
        ),
    ),
    Case(
        "c1-character-references-in-body",
        job(
            posting(
                "A&#x85;B &#128; &#1; &#xFDD0; &#x10FFFF; <a href='https://x.example/' title='&#x9b;'>t</a>\n"
            )
        ),
        expect=no_control_characters,
    ),
    Case(
        "set-has-no-order",
        job(posting(tags="!!set {go, rust, python}")),
        errors=(err(9, "tags: a set (!!set) has no order; write a list instead, e.g. [a, b]"),),
    ),
    Case(
        "file-name-not-utf8",
        {"content/jobs/caf\udce9.md": posting()},
        errors=("content/jobs/caf\\xe9.md: the file name is not valid UTF-8; rename the file",),
    ),
    Case(
        "tags-keep-their-spelling",
        job(posting(tags="[PostgreSQL, postgresql, C++]")),
        expect=both(
            ld_equals(("skills",), "PostgreSQL, C++"), page_exists("tags/postgresql/index.html")
        ),
    ),
    Case(
        "nfd-text-is-shown-in-nfc",
        job(posting(title=y("Inge\u0301nieur"), location='[{city: "Zu\u0308rich", country: CH}]')),
        expect=both(
            ld_equals(("title",), "Ingénieur"),
            ld_equals(("jobLocation", 0, "address", "addressLocality"), "Zürich"),
            page_exists("locations/switzerland/zurich/index.html"),
        ),
    ),
]


CASES: list[Case] = [
    *(Case(name, job(posting(body)), expect=check) for name, (body, check) in BODY_ATTACKS.items()),
    *(
        Case(f"{name}-python-markdown", job(posting(body)), expect=check, config=PYTHON_MARKDOWN)
        for name, (body, check) in BODY_ATTACKS.items()
        if "megabyte" not in name
    ),
    *_field_cases(),
    *_bad_url_cases(),
    *PATH_CASES,
    *PAGE_CASES,
    *FILE_CASES,
    *DATE_CASES,
    *_nonsense_date_cases(),
    *NUMBER_CASES,
    *LARGE_CASES,
    *ROUND_TWO_CASES,
]
