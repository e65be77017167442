"""A compiled posting as the cache keeps it: parts shared between postings, read back only
when its model accepts it again."""

from __future__ import annotations

from site_gen.cached_postings import CachedPosting, SharedParts, load_posting, metadata_digest
from tests.helpers import posting_text, site_of


def test_equal_parts_of_postings_are_one_object_and_the_postings_stay_equal() -> None:
    files = {
        "a": posting_text(company={"name": "Acme"}, tags=["python"]),
        "b": posting_text(title="Data Engineer", company={"name": "Acme"}, tags=["python"]),
    }
    a, b = site_of(files).published
    copies = (a.model_copy(deep=True), b.model_copy(deep=True))
    shared = SharedParts()
    a, b = shared.posting(a), shared.posting(b)
    assert a.company is b.company
    assert a.location[0] is b.location[0]
    assert (a, b) == copies


def test_a_stored_posting_is_read_back_only_if_its_model_accepts_it() -> None:
    (posting,) = site_of({"a": posting_text()}).published
    stored = posting.model_dump_json()
    entry = load_posting((stored, '{"title": 2}'))
    assert entry is not None and entry.posting == posting
    assert entry.key_lines == {"title": 2}
    assert entry.metadata_digest == metadata_digest(posting, stored)
    assert load_posting(('{"title": 42}', "{}")) is None
    assert load_posting((None, "{}")) is None
    assert CachedPosting(posting, "not json", "").key_lines == {}  # damaged lines: no lines


def test_postings_laid_out_alike_share_one_string_of_key_lines() -> None:
    (posting,) = site_of({"a": posting_text()}).published
    stored = posting.model_dump_json()
    lines = ['{"title": 2, "company": ' + str(n) + "}" for n in (3, 3)]  # equal, two objects
    assert lines[0] is not lines[1]
    one, two = (load_posting((stored, text)) for text in lines)
    assert one is not None and two is not None
    assert one.key_lines_json is two.key_lines_json


def test_the_metadata_digest_ignores_an_edit_to_the_description_alone() -> None:
    body = "We build things. " * 30  # longer than a summary: its end is not in it
    name = "a-name-as-the-file-hash"  # site_of takes a file's name for its hash
    (one,) = site_of({name: posting_text(body + "\n")}).published
    (two,) = site_of({name: posting_text(body + "And more.\n")}).published
    (three,) = site_of({name: posting_text(body + "\n", title="Other")}).published
    digests = [metadata_digest(p, p.model_dump_json()) for p in (one, two, three)]
    assert digests[0] == digests[1] != digests[2]
