"""Views: what each page shows, and so what its key depends on."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_gen.view_digests import ViewDigests
from site_gen.views import SiteViews, feed_views, listing_views, posting_views, search_view
from site_gen.wording import load_translations
from tests.helpers import posting_text, site_of

BERLIN = posting_text(title="Backend Engineer", location=[{"city": "Berlin", "country": "DE"}])
REMOTE = posting_text(
    title="Remote Engineer",
    remote="remote",
    location=[],
    applicant_locations=["DE"],
    company={"name": "Other Co"},  # not similar to the Berlin posting
)


def keys_by_path(views: object) -> dict[str, str]:
    digests = ViewDigests()
    return {view.path: digests.key("f", view) for view in views}  # type: ignore[attr-defined]


def test_a_remote_posting_added_elsewhere_leaves_other_posting_pages_alone() -> None:
    """Posting pages link to their facet values without counts, so a new remote posting in
    Germany changes the Germany listing (it shows the remote count) but not the page of a
    Berlin posting that links to Germany."""
    before = site_of({"berlin": BERLIN, "remote-a": REMOTE})
    after = site_of({"berlin": BERLIN, "remote-a": REMOTE, "remote-b": REMOTE})
    germany = after.facets.get("location").find("germany")
    assert germany is not None and germany.remote_count == 2

    posting_before, posting_after = (
        keys_by_path(posting_views(before)),
        keys_by_path(posting_views(after)),
    )
    assert posting_after["jobs/berlin/index.html"] == posting_before["jobs/berlin/index.html"]

    listing_before, listing_after = (
        keys_by_path(listing_views(before)),
        keys_by_path(listing_views(after)),
    )
    page = "locations/germany/index.html"
    assert listing_after[page] != listing_before[page]


def test_posting_pages_show_their_values_as_links_and_listings_keep_the_counts() -> None:
    site = site_of({"berlin": BERLIN, "remote-a": REMOTE})
    berlin = next(view for view in posting_views(site) if view.posting.slug == "berlin")
    linked = berlin.site.facets.of("berlin")
    assert linked and all(v.postings == () and v.remote_count == 0 for v in linked)
    germany = next(
        view.facet_value
        for view in listing_views(site)
        if view.facet_value is not None and view.facet_value.key == "germany"
    )
    assert germany.remote_count == 1


def test_site_views_are_every_page_made_by_index_in_order() -> None:
    site = site_of({"berlin": BERLIN, "remote-a": REMOTE, "remote-b": REMOTE})
    t = load_translations(site.config, Path("."))
    views = SiteViews(site, t)
    expected = [
        *posting_views(site),
        *listing_views(site),
        search_view(site),
        *feed_views(site, t),
    ]
    assert len(views) == len(expected) > 3
    assert [views[i] for i in range(len(views))] == expected
    assert list(views) == expected
    digests = ViewDigests()
    assert [digests.key("f", v) for v in views] == [digests.key("f", v) for v in expected]
    with pytest.raises(IndexError):
        views[len(views)]


def test_posting_pages_come_in_the_order_of_their_files() -> None:
    """Not in the board's order (newest first, closed ones last): in file order, the order
    the postings lie in memory, which the page workers share (see ``SiteViews``)."""
    site = site_of(
        {
            "a-old": posting_text(date_posted="2026-10-01"),
            "b-new": posting_text(date_posted="2026-11-20"),
            "c-closed": posting_text(date_posted="2026-09-01", valid_through="2026-10-01"),
            "d-mid": posting_text(date_posted="2026-11-01"),
        }
    )
    assert [p.slug for p in site.published] == ["b-new", "d-mid", "a-old"]
    assert [p.slug for p in site.expired] == ["c-closed"]
    views = SiteViews(site, load_translations(site.config, Path(".")))
    pages = [views[i] for i in range(4)]
    assert [(v.posting.slug, v.expired) for v in pages] == [
        ("a-old", False),
        ("b-new", False),
        ("c-closed", True),
        ("d-mid", False),
    ]
    assert pages == list(posting_views(site))
