"""The cache's page packing: Zstandard frames that unpack to the bytes packed, and anything
else (damage, another format's bytes) unpacked as nothing rather than as an error."""

from __future__ import annotations

import zlib

import zstandard

from site_gen.page_packing import SAMPLES, PagePacker, train

PAGE = b"<!doctype html><title>Backend Engineer</title>" + b"<li>Python, remote</li>" * 400


def test_a_packed_page_unpacks_to_its_bytes_and_is_smaller() -> None:
    packer = PagePacker()
    packed = packer.pack(PAGE)
    assert len(packed) < len(PAGE) // 10
    assert packer.unpack(packed) == PAGE
    assert PagePacker().unpack(packed) == PAGE  # another process's packer reads it too
    assert zstandard.frame_content_size(packed) == len(PAGE)  # unpacked in one call


def test_a_reused_packer_packs_each_page_as_a_new_one_would() -> None:
    packer = PagePacker()
    pages = [PAGE, b"", b"x", PAGE.replace(b"Python", b"Go"), bytes(range(256)) * 50]
    packed = [packer.pack(page) for page in pages]
    assert packed == [PagePacker().pack(page) for page in pages]
    assert [packer.unpack(frame) for frame in packed] == pages


def test_what_is_not_a_frame_it_made_unpacks_as_none() -> None:
    packer = PagePacker()
    packed = packer.pack(PAGE)
    assert packer.unpack(zlib.compress(PAGE, 1)) is None  # an older cache's page
    assert packer.unpack(b"not compressed") is None
    assert packer.unpack(packed[: len(packed) // 2]) is None  # truncated
    assert packer.unpack(b"") is None
    damaged = bytearray(packed)
    damaged[len(damaged) // 2] ^= 0xFF
    # A damaged body may fail or decode to other bytes (the frames carry no checksum of
    # their own): the cache checks what it unpacks against the page's SHA-256.
    assert packer.unpack(bytes(damaged)) != PAGE
    assert packer.unpack(packed) == PAGE  # the packer still works after the failures


def test_a_checksum_packer_refuses_a_frame_that_does_not_match_or_has_none() -> None:
    packer = PagePacker(checksum=True)
    packed = packer.pack(PAGE)
    assert zstandard.get_frame_parameters(packed).has_checksum
    assert packer.unpack(packed) == PAGE
    damaged = bytearray(packed)
    damaged[-1] ^= 1  # the checksum, the last 4 bytes: the content no longer matches it
    assert packer.unpack(bytes(damaged)) is None
    assert packer.unpack(PagePacker().pack(PAGE)) is None  # no checksum to check against
    assert PagePacker().unpack(packed) == PAGE


def board_pages(count: int) -> list[bytes]:
    """Pages that share their markup, as a board's do, and differ in their content."""
    return [
        b"<!doctype html><head><title>Job %d</title></head><nav>Jobs Companies Search</nav>"
        b"<main><h1>Engineer number %d</h1><p>%s</p></main><footer>%s</footer>"
        % (n, n, b"work on %d things " % (n * 7919 % 1000) * 30, b"sitegen board " * 40)
        for n in range(count)
    ]


def test_a_trained_dictionary_packs_smaller_and_names_itself() -> None:
    pages = board_pages(SAMPLES + 50)
    dictionary = train(pages[:SAMPLES])
    assert dictionary is not None
    plain, trained = PagePacker(), PagePacker(dictionary)
    later = pages[SAMPLES:]
    assert sum(len(trained.pack(p)) for p in later) < sum(len(plain.pack(p)) for p in later)
    packed = trained.pack(later[0])
    assert zstandard.get_frame_parameters(packed).dict_id != 0
    assert zstandard.frame_content_size(packed) == len(later[0])  # unpacked in one call
    assert PagePacker(dictionary).unpack(packed) == later[0]
    # Without that dictionary the frame is not read; frames without one still are.
    assert PagePacker().unpack(packed) is None
    assert PagePacker(train(board_pages(SAMPLES * 2)[SAMPLES:])).unpack(packed) is None
    assert trained.unpack(plain.pack(later[1])) == later[1]


def test_too_little_to_train_on_gives_no_dictionary() -> None:
    assert train([b"<p>one</p>", b"<p>two</p>"]) is None
