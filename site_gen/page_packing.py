"""How the build cache keeps a page's bytes: one Zstandard frame each, at level 1, with a
dictionary trained on the board's own pages.

Zstandard's fastest level packs HTML a little smaller than zlib's fastest, in under a third
of its time, and unpacks it in under half of zlib's: the cache compresses every page a
cold build renders and unpacks every page a build without an output folder (a CI build)
writes. A board's pages share most of their markup (head, header, navigation, footer), so
a dictionary trained on the first ``SAMPLES`` pages a cache stores packs the others to less
than half the size again, and faster. Each frame names its dictionary (or none) and records
its content size, so a page is unpacked in one call by whichever context it needs.

A ``PagePacker`` makes its contexts on first use and reuses them for every page: making one
costs about as much as packing a small page. A packer belongs to one process at a time
(worker processes use their forked copy) and to one thread at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zstandard

LEVEL = 1
SAMPLES = 32  # pages to train on: the rest of a board's pages pack as small as with 100 or 200
DICTIONARY_SIZE = 64 << 10
# The training's segment and d-mer sizes: those Zstandard's own search picks for a board's
# pages (k 1,500 to 2,000, d 8). Given, they spare that search, which takes two thirds of
# the training, and the workers wait for the dictionary; pages pack as small and as fast.
SEGMENT, DMER = 2000, 8


class PagePacker:
    """Packs pages for the cache (with ``dictionary``, if given) and unpacks them again.

    With ``checksum``, each frame carries Zstandard's checksum of its content (XXH64), which
    unpacking verifies, and a frame without one is refused: the bytes need no digest of
    their own to be checked against (descriptions, which every build reads back)."""

    def __init__(self, dictionary: bytes | None = None, *, checksum: bool = False) -> None:
        self.dictionary = dictionary
        self.checksum = checksum
        self._compressor: zstandard.ZstdCompressor | None = None
        self._decompressors: dict[int, zstandard.ZstdDecompressor] = {}  # by dictionary id

    def pack(self, data: bytes) -> bytes:
        if self._compressor is None:
            self._compressor = self._packing()
        return self._compressor.compress(data)

    def unpack(self, packed: bytes) -> bytes | None:
        """The bytes ``pack`` was given, or None for what is not a frame this packer can read
        (a damaged entry, an older format, another dictionary's, one without the checksum
        this packer's frames carry); without ``checksum`` the caller checks them against
        their digest."""
        import zstandard

        try:
            frame = zstandard.get_frame_parameters(packed)
            if self.checksum and not frame.has_checksum:
                return None
            wanted = frame.dict_id
            decompressor = self._decompressors.get(wanted)
            if decompressor is None:
                found = self._dictionary() if wanted else None
                if wanted and (found is None or found.dict_id() != wanted):
                    return None
                decompressor = self._decompressors[wanted] = zstandard.ZstdDecompressor(found)
            return decompressor.decompress(packed)
        except (zstandard.ZstdError, MemoryError):
            # MemoryError: a damaged header that claims an impossible content size.
            return None

    def _packing(self) -> zstandard.ZstdCompressor:
        import zstandard  # here: a build that neither renders nor reads pages skips it

        found = self._dictionary()
        if found is None:
            return zstandard.ZstdCompressor(level=LEVEL, write_checksum=self.checksum)
        # The level's parameters for an input of unknown size, and the dictionary prepared
        # for them once: given a level alone, Zstandard picks parameters by each page's size
        # and loads the dictionary again for every page.
        parameters = zstandard.ZstdCompressionParameters.from_level(
            LEVEL, write_dict_id=1, write_checksum=int(self.checksum)
        )
        found.precompute_compress(compression_params=parameters)
        return zstandard.ZstdCompressor(compression_params=parameters, dict_data=found)

    def _dictionary(self) -> zstandard.ZstdCompressionDict | None:
        if self.dictionary is None:
            return None
        import zstandard

        return zstandard.ZstdCompressionDict(self.dictionary)


def train(pages: list[bytes]) -> bytes | None:
    """A dictionary for packing pages like these; None where Zstandard finds none (too few
    pages, or too small)."""
    import zstandard

    samples: list[bytes | bytearray | memoryview] = list(pages)  # the stub's element type
    try:
        trained = zstandard.train_dictionary(
            DICTIONARY_SIZE, samples, level=LEVEL, k=SEGMENT, d=DMER
        )
        return trained.as_bytes()
    except zstandard.ZstdError:
        return None
