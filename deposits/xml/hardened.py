"""The one lxml configuration for reading untrusted deposit XML, and the input size bound.

Deposits come from outside, so nothing in them may make the parser fetch files or URLs,
expand entities, or grow without limit. A DOCTYPE is refused outright (see `has_doctype`):
deposits never need one, and refusing it closes off billion-laughs and external entities.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from deposits.xml.records import DepositFileError

PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,  # keeps libxml2's limits on text size and nesting depth
    "remove_comments": True,
    "remove_pis": True,
}

DTD_REFUSED = "DTDs and entity declarations are not allowed in deposits"

MEGABYTE = 1024 * 1024
_READ_CHUNK = 64 * 1024
_PROLOG_KEPT = 64 * 1024  # enough bytes to spot a DOCTYPE if the parser fails inside it


def iterparse(source: BinaryIO) -> etree.iterparse:
    """Start and end events over `source`, with the hardened options."""
    return etree.iterparse(source, events=("start", "end"), **PARSER_OPTIONS)


def iterparse_tags(source: BinaryIO, *, tags: list[str]) -> etree.iterparse:
    """Start and end events of the named elements only (filtered by libxml2), same options."""
    return etree.iterparse(source, events=("start", "end"), tag=tags, **PARSER_OPTIONS)


def xml_parser() -> etree.XMLParser:
    """A whole-document parser with the same hardened options (for small trusted helpers)."""
    return etree.XMLParser(**PARSER_OPTIONS)


def has_doctype(element: etree._Element) -> bool:
    """True when the document holding `element` declared a DOCTYPE (internal or external)."""
    info = element.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def megabytes(size: int) -> str:
    """`10` for 10 MiB, `12.3` for a bit more: short enough for a message."""
    return f"{size / MEGABYTE:.3g}"


class BoundedReader:
    """A binary reader that refuses to deliver more than `max_bytes`.

    It also keeps the first bytes, so a parse failure before the root element can still be
    recognised as a DTD, and remembers whether anything but whitespace was read (an empty file
    gets its own message).
    """

    def __init__(self, raw: BinaryIO, *, max_bytes: int, owns_raw: bool):
        self._raw = raw
        self._owns_raw = owns_raw
        self.max_bytes = max_bytes
        self.bytes_read = 0
        self.prolog = b""
        self.saw_content = False

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = _READ_CHUNK
        data = self._raw.read(size)
        self.bytes_read += len(data)
        if self.bytes_read > self.max_bytes:
            raise DepositFileError(
                f"The file is more than {megabytes(self.max_bytes)} MB; "
                f"deposits are limited to {megabytes(self.max_bytes)} MB."
            )
        if len(self.prolog) < _PROLOG_KEPT:
            self.prolog += data[: _PROLOG_KEPT - len(self.prolog)]
        if not self.saw_content and data.strip():
            self.saw_content = True
        return data

    def close(self) -> None:
        if self._owns_raw:
            self._raw.close()


def open_bounded(source: str | os.PathLike | BinaryIO, *, max_bytes: int) -> BoundedReader:
    """Open a path or wrap a binary file object; refuse it at once if its size is known and too big."""
    if isinstance(source, (str, os.PathLike)):
        _refuse_oversize(Path(source).stat().st_size, max_bytes)
        return BoundedReader(open(source, "rb"), max_bytes=max_bytes, owns_raw=True)
    size = _remaining_size(source)
    if size is not None:
        _refuse_oversize(size, max_bytes)
    # The caller opened the file object, so the caller closes it.
    return BoundedReader(source, max_bytes=max_bytes, owns_raw=False)


def _refuse_oversize(size: int, max_bytes: int) -> None:
    if size == 0:
        raise DepositFileError("The file is empty.")
    if size > max_bytes:
        raise DepositFileError(
            f"The file is {megabytes(size)} MB; deposits are limited to {megabytes(max_bytes)} MB."
        )


def _remaining_size(stream: BinaryIO) -> int | None:
    """Bytes left in a seekable stream, or None when it cannot say (a pipe, a socket)."""
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return end - here
