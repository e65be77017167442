"""search_words: words folded as the search page folds them, sorted as JavaScript sorts."""

from __future__ import annotations

from site_gen.search_words import utf16_order, words


def test_words_are_folded_as_the_page_folds_them() -> None:
    assert words("Zürich, São Paulo!") == ["zurich", "sao", "paulo"]
    assert words("Ipê C++ dev_ops 3D") == ["ipe", "c", "dev", "ops", "3d"]
    assert words("ＦＵＬＬ") == ["full"]  # compatibility forms (NFKD), as String.normalize("NFKD")


def test_words_sort_by_utf16_code_units_as_javascript_does() -> None:
    # U+FF21 (a BMP letter) sorts after U+1D400 in UTF-16 (0xD835...), before it by code point.
    assert sorted(["\uff21", "\U0001d400"], key=utf16_order) == ["\U0001d400", "\uff21"]
    assert sorted(["\uff21", "\U0001d400"]) == ["\uff21", "\U0001d400"]
