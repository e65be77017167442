"""The preview's first answer to a save: the edited postings' own pages, before the rebuild.

Editing a description is what people do most while previewing, and the page they look at is
the posting's own. So before rebuilding, the preview server asks for ``edited_pages``: each
saved posting file is compiled again, and if nothing but its description changed (every
other field is as the last build read it, so it keeps its place in every list, facet and
similar-postings box), its page is rendered from its view, with the last build's site
around it, and written into the output folder at once. That page is exactly the page the
rebuild will make, so the browser can show it right away; the rebuild then puts every other
file right (feeds, the search index), and only tabs whose page changed are reloaded again.
An edit to any other field, a new or removed file, or a file with problems gets no early
page: the rebuild alone answers it. (Hugo's server does the same in its "fast render mode",
rendering the pages being viewed first.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from site_gen.content import read_source
from site_gen.models import Posting
from site_gen.pages import Pages
from site_gen.site import Site
from site_gen.validate import compile_posting
from site_gen.views import ShownValues, posting_view


def edited_pages(
    site: Site, pages: Pages, files: Iterable[Path], root: Path, output: Path
) -> list[str]:
    """Write the pages of the edited postings in ``files`` whose description alone changed
    since ``site`` was built; return their paths below ``output``."""
    written: list[str] = []
    shown: ShownValues | None = None
    for path in files:
        found = _only_description_changed(site, path, root)
        if found is None:
            continue
        posting, description = found
        shown = shown or ShownValues(site, links=True)
        view = posting_view(site, posting, False, shown)
        data = replace(pages, description=_Description(description)).render(view)
        _write_atomically(output / view.path, data)
        written.append(view.path)
    return written


def _only_description_changed(site: Site, path: Path, root: Path) -> tuple[Posting, str] | None:
    """The posting of ``path`` and its description, if the file compiles and its posting
    differs from the last build's only in its source (the file's digest and lines)."""
    if path.suffix != ".md" or not path.is_file():
        return None
    doc = read_source(path, root)
    compiled = compile_posting(doc, site.config.markdown_engine)
    posting = compiled.posting
    if posting is None:
        return None
    before = site.published_posting(posting.slug)
    if before is None or before.source.path != posting.source.path:
        return None
    if before.model_copy(update={"source": posting.source}) != posting:
        return None
    return posting, compiled.description


@dataclass(frozen=True)
class _Description:
    """The edited posting's description, as compiled just now (the cache has the old one)."""

    html: str

    def __call__(self, posting: Posting) -> str:
        return self.html


def _write_atomically(target: Path, data: bytes) -> None:
    """Replace one file at once: the HTTP thread serves either the old or the new bytes."""
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
