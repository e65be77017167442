"""How the build cache keeps a page's bytes: one Zstandard frame each, at level 1.

Zstandard's fastest level packs HTML a little smaller than zlib's fastest, in under a third
of its time, and unpacks it in under half of zlib's: the cache compresses every page a
cold build renders and unpacks every page a build without an output folder (a CI build)
writes. Each frame records its content size, so a page is unpacked in one call.

A ``PagePacker`` makes its compression and decompression contexts on first use and reuses
them for every page: making one costs about as much as packing a small page. A packer
belongs to one process at a time (worker processes use their forked copy) and to one
thread at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zstandard

LEVEL = 1


class PagePacker:
    """Packs pages for the cache and unpacks them again, reusing its contexts."""

    def __init__(self) -> None:
        self._compressor: zstandard.ZstdCompressor | None = None
        self._decompressor: zstandard.ZstdDecompressor | None = None

    def pack(self, data: bytes) -> bytes:
        if self._compressor is None:
            import zstandard  # here: a build that neither renders nor reads pages skips it

            self._compressor = zstandard.ZstdCompressor(level=LEVEL)
        return self._compressor.compress(data)

    def unpack(self, packed: bytes) -> bytes | None:
        """The bytes ``pack`` was given, or None for what is not a frame it made (a
        damaged entry, an older format); the caller checks them against their digest."""
        import zstandard

        if self._decompressor is None:
            self._decompressor = zstandard.ZstdDecompressor()
        try:
            return self._decompressor.decompress(packed)
        except (zstandard.ZstdError, MemoryError):
            # MemoryError: a damaged header that claims an impossible content size.
            return None
