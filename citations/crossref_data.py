"""Crossref's REST JSON (the public data file, `/works` answers): reading files and mapping fields.

No Django here: `import_works` and `match_references` turn what this module yields into rows
and `ReferenceQuery`s. Files are read as streams, so a data file of any size fits in memory.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from citations.matching.records import ReferenceQuery
from deposits.doi import normalize_doi

# One work object per line; `.json` files hold one document ({"items": [...]}, a list, a work).
LINE_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
DOCUMENT_SUFFIXES = (".json", ".json.gz")


class BadRecord(ValueError):
    """A work object that cannot be imported; the message says why, for the import report."""


@dataclass(frozen=True)
class RawRecord:
    """One work object read from a file, or why the line could not be read."""

    path: str
    line: int  # line number in a JSON Lines file; item number (1-based) in a .json document
    message: dict | None
    error: str = ""


# --- Reading files ---------------------------------------------------------------------------


def data_files(path: str | Path) -> list[Path]:
    """The data files named by `path`: the file itself, or a directory's data files (recursively, sorted)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and _is_data_file(p))
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or directory")
    return [path]


def _is_data_file(path: Path) -> bool:
    return path.name.endswith(LINE_SUFFIXES + DOCUMENT_SUFFIXES)


def read_records(path: Path, *, on_bytes=None) -> Iterator[RawRecord]:
    """Every work object of one file, in order; unreadable lines come out as errors, not exceptions.

    `on_bytes(n)` is called with how many bytes of the file (as stored, so compressed for
    .gz) were consumed since the last call, for a progress bar.
    """
    with open(path, "rb") as raw:
        stream = gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw
        if path.name.endswith(DOCUMENT_SUFFIXES):
            yield from _document_records(path, stream)
            _report(raw, on_bytes, 0)
            return
        reported = 0
        for number, line in enumerate(stream, start=1):
            if number % 1000 == 0:
                reported = _report(raw, on_bytes, reported)
            if not line.strip():
                continue
            yield _line_record(path, number, line)
        _report(raw, on_bytes, reported)


def _report(raw, on_bytes, reported: int) -> int:
    if on_bytes is None:
        return reported
    position = raw.tell()
    on_bytes(position - reported)
    return position


def _line_record(path: Path, number: int, line: bytes) -> RawRecord:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return RawRecord(str(path), number, None, f"not JSON ({error})")
    message = unwrap(value)
    if message is None:
        return RawRecord(str(path), number, None, "not a work object")
    return RawRecord(str(path), number, message)


def _document_records(path: Path, stream) -> Iterator[RawRecord]:
    # Crossref's data file ships documents of a few thousand items each: read whole, item by item.
    try:
        value = orjson.loads(stream.read())
    except (orjson.JSONDecodeError, OSError, EOFError) as error:
        yield RawRecord(str(path), 1, None, f"not JSON ({error})")
        return
    if isinstance(value, dict) and isinstance(value.get("message"), dict) and "items" in value["message"]:
        value = value["message"]  # a saved /works answer
    items = value.get("items") if isinstance(value, dict) and "items" in value else value
    if not isinstance(items, list):
        items = [items]
    for number, item in enumerate(items, start=1):
        message = unwrap(item)
        yield RawRecord(str(path), number, message, "" if message is not None else "not a work object")


def unwrap(value) -> dict | None:
    """The work object of a line: the object itself or the `message` of a {"status":"ok",...} envelope."""
    if isinstance(value, dict) and isinstance(value.get("message"), dict) and "status" in value:
        value = value["message"]
    return value if isinstance(value, dict) else None


# --- Works -------------------------------------------------------------------------------------


def work_fields(message: dict) -> dict:
    """The Work columns of one REST work object. Raises BadRecord when it cannot be registered."""
    doi = normalize_doi(_text(message.get("DOI")))
    if not doi:
        raise BadRecord("no valid DOI" if not message.get("DOI") else "DOI is not a DOI")
    first_page, last_page = split_pages(_text(message.get("page")))
    contributors = [_contributor(a, "author") for a in _list(message.get("author"))]
    contributors += [_contributor(e, "editor") for e in _list(message.get("editor"))]
    return {
        "doi": doi,
        "type": (_text(message.get("type")) or "journal-article")[:40],
        "title": _first(message.get("title")),
        "subtitle": _first(message.get("subtitle")),
        "contributors": [c for c in contributors if c["surname"]],
        "container_title": _first(message.get("container-title")) or _server(message),
        "book_title": _book_title(message),
        "issn": _typed_first(message.get("ISSN"), message.get("issn-type"))[:9],
        "isbn": _typed_first(message.get("ISBN"), message.get("isbn-type"))[:17],
        "volume": _text(message.get("volume"))[:100],
        "issue": _text(message.get("issue"))[:100],
        "first_page": first_page[:100],
        "last_page": last_page[:100],
        "publication_year": publication_year(message),
        "publisher": _text(message.get("publisher"))[:255],
        "resource_url": _text(message.get("URL"))[:2000],
    }


# Parts of a book: Crossref's `container-title` names their book (and its series, when in one).
IN_BOOK_TYPES = frozenset({"book-chapter", "book-section", "book-part", "book-track", "reference-entry"})


def _book_title(message: dict) -> str:
    """A chapter's book: of its container titles, the last (the first when there is one). With a
    series, Crossref lists the series and the book, and container_title keeps the first of them;
    the matcher compares both, so which order a record uses does not matter."""
    if message.get("type") not in IN_BOOK_TYPES:
        return ""
    titles = [t for t in map(_text, _list(message.get("container-title"))) if t]
    return titles[-1] if titles else _text(message.get("container-title"))


def _server(message: dict) -> str:
    """Where posted content was posted: Crossref gives a preprint no container title, but names the
    server as its `institution` ("bioRxiv", "Research Square"), which is what references cite it by."""
    if message.get("type") != "posted-content":
        return ""
    for institution in _list(message.get("institution")):
        if isinstance(institution, dict) and _text(institution.get("name")):
            return _text(institution["name"])
    return ""


def _contributor(person, role: str) -> dict:
    if not isinstance(person, dict):
        return {"surname": ""}
    family = _text(person.get("family"))
    name = "" if family else _text(person.get("name"))
    orcid = person.get("ORCID")
    return {
        "surname": family or name,
        "given_name": _text(person.get("given")) if family else "",
        "orcid": _text(orcid).rstrip("/").rsplit("/", 1)[-1] if orcid else "",
        "role": role,
        "sequence": _text(person.get("sequence")) or "additional",
        "is_organization": bool(name),
    }


def split_pages(page: str) -> tuple[str, str]:
    """("345", "350") for "345-350" (also en dash, "345–50" kept as given), ("e123", "") for "e123"."""
    for dash in ("-", "–", "—"):
        if dash in page:
            first, _, last = page.partition(dash)
            return first.strip(), last.strip()
    return page.strip(), ""


def publication_year(message: dict) -> int | None:
    """The year the work was issued (else published, in print, online), as Crossref's `issued`."""
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (message.get(key) or {}).get("date-parts") if isinstance(message.get(key), dict) else None
        try:
            year = int(parts[0][0])
        except (TypeError, ValueError, IndexError):
            continue
        if 0 < year < 10000:
            return year
    return None


# --- References --------------------------------------------------------------------------------

# REST name of a reference field -> (Reference column, its length limit or None for text)
REFERENCE_FIELDS = {
    "DOI": ("doi", 255),
    "unstructured": ("unstructured", None),
    "journal-title": ("journal_title", None),
    "author": ("author", None),
    "volume": ("volume", 100),
    "issue": ("issue", 100),
    "first-page": ("first_page", 100),
    "year": ("year", 20),
    "article-title": ("article_title", None),
    "ISSN": ("issn", 20),
    "ISBN": ("isbn", 20),
    "volume-title": ("volume_title", None),
    "series-title": ("series_title", None),
    "edition": ("edition_number", 50),
    "component": ("component_number", 50),
}


# The Reference columns `reference_row` gives, in its order (after the key).
REFERENCE_COLUMNS = ("position", *(column for column, _ in REFERENCE_FIELDS.values()))
# REST name -> (place in a row, length limit): a row is filled from the names an item has.
_ROW_PLACES = {name: (place, limit) for place, (name, (_, limit)) in enumerate(REFERENCE_FIELDS.items(), start=2)}
_DOI_PLACE = _ROW_PLACES["DOI"][0]
_EMPTY_ROW = ("",) * (len(REFERENCE_COLUMNS) + 1)


def reference_fields(item: dict, position: int) -> dict:
    """The Reference columns of one item of a work's `reference` list (key: its `key`, else its position)."""
    return dict(zip(("key", *REFERENCE_COLUMNS), reference_row(item, position)))


def reference_row(item: dict, position: int) -> list:
    """The key then the REFERENCE_COLUMNS of one item of a work's `reference` list, as a row to write.

    Speed: an import reads about ten references a work. Looking up each of the 15 REST names in
    every item and cleaning each value was 80% of the import's Python time; an item carries half of
    them, so the row starts empty and only the names the item has are visited."""
    row = list(_EMPTY_ROW)
    row[1] = position
    for name, value in item.items():
        place = _ROW_PLACES.get(name)
        if place is None:
            continue
        # _is_clean, inlined: a call per value was a quarter of this loop's time.
        if type(value) is not str or not (value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "):
            value = _reference_value(value)
        index, limit = place
        row[index] = value[:limit] if limit else value
    if row[_DOI_PLACE]:
        row[_DOI_PLACE] = normalize_doi(row[_DOI_PLACE])
    key = item.get("key")
    if type(key) is not str or not key or not _is_clean(key):
        key = _text(key) or str(position)
    row[0] = key[:255]
    return row


def reference_query(item: dict) -> ReferenceQuery:
    """The matcher's view of one reference given with Crossref's REST names (or as `unstructured` only)."""
    doi = _reference_value(item.get("DOI"))
    return ReferenceQuery(
        unstructured=_reference_value(item.get("unstructured")),
        doi=normalize_doi(doi) or doi,
        journal_title=_reference_value(item.get("journal-title")),
        author=_reference_value(item.get("author")),
        volume=_reference_value(item.get("volume")),
        issue=_reference_value(item.get("issue")),
        first_page=_reference_value(item.get("first-page")),
        year=_reference_value(item.get("year")),
        article_title=_reference_value(item.get("article-title")),
        issn=_reference_value(item.get("ISSN")),
        isbn=_reference_value(item.get("ISBN")),
        volume_title=_reference_value(item.get("volume-title")),
        series_title=_reference_value(item.get("series-title")),
    )


def _reference_value(value) -> str:
    # REST gives strings, but files in the wild carry numbers, lists, and author objects too.
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("family") or value.get("name") or ""
    return _text(value)


# --- Small helpers -----------------------------------------------------------------------------


def _text(value) -> str:
    """A field as one line of text: whitespace runs become one space; no value is ""."""
    if type(value) is str:
        # Most values are clean already; splitting and joining each would double the import's time.
        # (_is_clean inlined: this runs about 17 times a work.)
        if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
            return value
        return " ".join(value.split())
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return " ".join(str(value).split())


def _is_clean(value: str) -> bool:
    return value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _first(value) -> str:
    if type(value) is list:
        for item in value:  # (a loop, not next() over a generator: five times a work)
            text = _text(item)
            if text:
                return text
        return ""
    return _text(value)


def _typed_first(values, typed) -> str:
    """The print ISSN/ISBN when `issn-type` says which it is, else the first given."""
    for entry in _list(typed):
        if isinstance(entry, dict) and entry.get("type") == "print" and _text(entry.get("value")):
            return _text(entry["value"])
    return _first(values)
