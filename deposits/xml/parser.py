"""Streaming reader for Crossref deposit XML: the `head` first, then one record per work.

`open_deposit` checks the file as a whole (size, DTD, root, namespace, head) and returns a
`DepositStream`; iterating it walks the body with `iterparse`, turning each finished work
element into a ParsedWork (or a RecordError) and then dropping the element, so memory stays
bounded by one work plus the parser's read-ahead, not by the size of the file.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from deposits.xml.elements import child, child_text, children, local_name
from deposits.xml.hardened import (
    DTD_REFUSED,
    MEGABYTE,
    BoundedReader,
    has_doctype,
    iterparse,
    iterparse_tags,
    open_bounded,
)
from deposits.xml.records import BatchHead, DepositFileError, ParsedWork, RecordError
from portal.memory import paused_garbage_collector
from deposits.xml.works import (
    Container,
    preferred_identifier,
    publisher,
    read_dates,
    read_work,
    work_doi,
)

MAX_DEPOSIT_BYTES = 10 * MEGABYTE  # Crossref's own limit per deposited file

# Deposit schema series read by this parser ("major.minor"; any patch level). A new schema
# version whose element names we already understand is one more entry here.
SUPPORTED_SCHEMA_SERIES = ("4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "5.0", "5.1", "5.2", "5.3", "5.4")

# Reference-only deposits (doDOICitUpload) use the doi_resources schema, any version.
REFERENCES_NAMESPACE = "http://www.crossref.org/doi_resources_schema/"
_REFERENCE_BODY_ELEMENTS = frozenset({"doi_citations"})

_SCHEMA_NAMESPACE = re.compile(r"http://www\.crossref\.org/schema/(?P<version>(?P<series>\d+\.\d+)\.\d+)")
_LINE_AND_COLUMN = re.compile(r",? line \d+, column \d+\s*$")

Record = ParsedWork | RecordError


def schema_version(namespace: str | None) -> str | None:
    """`5.4.0` for `http://www.crossref.org/schema/5.4.0`; None if we do not read that namespace."""
    match = _SCHEMA_NAMESPACE.fullmatch(namespace or "")
    if match is None or match["series"] not in SUPPORTED_SCHEMA_SERIES:
        return None
    return match["version"]


class DepositStream:
    """An opened deposit: `head` at once, then its records (ParsedWork | RecordError) by iteration.

    Iterate it once. Records come in document order; a DepositFileError may still be raised
    part-way (e.g. the file is cut short), in which case nothing from the file may be applied.
    """

    def __init__(self, *, head: BatchHead, records: Iterator[Record], reader: BoundedReader, root):
        self.head = head
        self._records = records
        self._reader = reader
        self._root = root

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def close(self) -> None:
        """Stop reading and release the file (needed only when not iterated to the end)."""
        self._records.close()
        self._reader.close()

    def __enter__(self) -> DepositStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def held_element_count(self) -> int:
        """How many XML elements are in memory now.

        Bounded by the current work plus the parser's read-ahead, however long the file is.
        """
        return sum(1 for _ in self._root.iter())


def open_deposit(
    source: str | os.PathLike | BinaryIO, *, max_bytes: int = MAX_DEPOSIT_BYTES
) -> DepositStream:
    """Open a deposit file (a path or a binary file object) and read up to the end of its head.

    Raises DepositFileError when the file as a whole is unusable.
    """
    reader = open_bounded(source, max_bytes=max_bytes)
    try:
        events = _record_events(reader)
        root = _checked_root(events)
        head = _batch_head(events, root)
    except BaseException:
        reader.close()
        raise
    return DepositStream(head=head, records=_records(events, head, reader), reader=reader, root=root)


def read_deposit(
    source: str | os.PathLike | BinaryIO, *, max_bytes: int = MAX_DEPOSIT_BYTES
) -> tuple[BatchHead, list[Record]]:
    """The head and every record of a deposit, all read before any is applied (the worker's read).

    Raises DepositFileError when the file as a whole is unusable, even half-way through.
    """
    with paused_garbage_collector():
        # The stream is gone before the collector's pass at the end of the pause: the parser and
        # its tree make a cycle, which that pass frees (else frozen by apply, a few MB per file).
        head, records = _read_all(source, max_bytes=max_bytes)
    return head, records


def _read_all(source: str | os.PathLike | BinaryIO, *, max_bytes: int) -> tuple[BatchHead, list[Record]]:
    with open_deposit(source, max_bytes=max_bytes) as stream:
        return stream.head, list(stream)


def check_file(
    source: str | os.PathLike | BinaryIO,
    *,
    max_bytes: int = MAX_DEPOSIT_BYTES,
    references_only: bool = False,
) -> list[DepositFileError]:
    """The file's structural problems, [] when it may be queued.

    One fast pass, no record turned into a work: the size, well-formed XML, a doi_batch in a
    deposit namespace with a head and a body, and a body whose elements are records the portal
    recognises. `references_only`: a doDOICitUpload file (doi_resources schema, doi_citations).
    Problems inside records (a missing title...) are the records' own, told in the log.
    """
    try:
        reader = open_bounded(source, max_bytes=max_bytes)
    except DepositFileError as error:
        return [error]
    allowed = _REFERENCE_BODY_ELEMENTS if references_only else BODY_ELEMENTS
    try:
        return _structure_problems(reader, allowed, references_only=references_only)
    finally:
        reader.close()


def _structure_problems(reader: BoundedReader, allowed: frozenset[str], *, references_only: bool):
    # Speed: libxml2 reports only the elements named here (tag filter, in C), so Python sees a
    # few events per record instead of two per element. Elements of other names never reach
    # Python; an unknown one in the body is found among the body's children (see below).
    wanted = ["doi_batch", "head", "body", *allowed]
    events = iterparse_tags(reader, tags=[f"{{*}}{name}" for name in wanted])
    problems: list[DepositFileError] = []
    root = head = body = None
    records = 0

    def unknown(elements) -> list[DepositFileError]:
        return [
            DepositFileError(_unknown_body_element(local_name(element), allowed), line=element.sourceline)
            for element in elements
            if local_name(element) and local_name(element) not in allowed
        ]

    try:
        for event, element in events:
            if root is None:
                root = element.getroottree().getroot()
                _check_root_element(root, references_only=references_only)
            parent = element.getparent()
            name = local_name(element)
            if parent is root and name == "head" and event == "end" and body is None:
                head = element
            elif parent is root and name == "body" and event == "start":
                if head is None:
                    raise DepositFileError("The deposit has no <head> before its <body>.", line=element.sourceline)
                body = element
            elif parent is root and name == "body" and event == "end":
                problems += unknown(element)  # those after the last record (the others are gone)
            elif body is not None and parent is body and event == "end" and name in allowed:
                records += 1
                # Elements before this record that were not reported are unknown ones; _forget drops them.
                problems += reversed(unknown(element.itersiblings(preceding=True)))
                _forget(element)
    except etree.XMLSyntaxError as error:
        problems.append(_unreadable_file(error, reader, root_seen=root is not None))
        return problems
    except DepositFileError as error:
        problems.append(error)
        return problems
    if root is None:  # no wanted element at all: the root is something else, or nothing
        if events.root is None:
            return [DepositFileError("The file is empty.")]
        try:
            _check_root_element(events.root, references_only=references_only)
        except DepositFileError as error:
            return [error]
    if head is None:
        problems.append(DepositFileError("The deposit has no <head>."))
    elif body is None:
        problems.append(DepositFileError("The deposit has no <body> after its <head>."))
    elif not records and not problems:
        problems.append(DepositFileError("The deposit's <body> holds no records.", line=body.sourceline))
    return problems


# --- the event stream ------------------------------------------------------------------------


def _events(reader: BoundedReader) -> Iterator[tuple[str, etree._Element, int]]:
    """(event, element, depth) with the root at depth 0; parse failures become DepositFileError."""
    depth = -1
    try:
        for event, element in iterparse(reader):
            if event == "start":
                depth += 1
                yield event, element, depth
            else:
                yield event, element, depth
                depth -= 1
    except etree.XMLSyntaxError as error:
        raise _unreadable_file(error, reader, root_seen=depth >= 0) from error


def _record_events(reader: BoundedReader) -> Iterator[tuple[str, etree._Element, int]]:
    """Like `_events`, but only for the elements a record reader looks at (RECORD_TAGS).

    Speed: libxml2 filters the events by name (in C), so Python sees a few events per work
    instead of two per element (a work with 40 references has some 300 elements). The tree is
    built all the same; a body element of another name is found among the body's children (see
    `_unreported_before`). The depth is counted from the element's ancestors: few events, short chains.
    """
    parse = iterparse_tags(reader, tags=[f"{{*}}{name}" for name in sorted(RECORD_TAGS)])
    seen = False
    try:
        for event, element in parse:
            if not seen:
                seen = True
                # The root is checked even when it is not a doi_batch (then it sent no event).
                root = element.getroottree().getroot()
                if root is not element:
                    yield "start", root, 0
            depth = 0
            parent = element.getparent()
            while parent is not None:
                depth += 1
                parent = parent.getparent()
            yield event, element, depth
    except etree.XMLSyntaxError as error:
        raise _unreadable_file(error, reader, root_seen=seen) from error
    if not seen and parse.root is not None:  # a root of another name, and nothing we look for inside
        yield "start", parse.root, 0


def _unreadable_file(error: etree.XMLSyntaxError, reader: BoundedReader, *, root_seen: bool):
    if not reader.saw_content:
        return DepositFileError("The file is empty.")
    if not root_seen and (b"<!DOCTYPE" in reader.prolog or b"<!ENTITY" in reader.prolog):
        return DepositFileError(DTD_REFUSED)
    detail = _LINE_AND_COLUMN.sub("", error.msg or str(error)).strip()
    if "XML_PARSE_HUGE" in detail or "Excessive depth" in detail:
        # libxml2's safety limits (kept on: huge_tree=False), told in the depositor's terms.
        return DepositFileError(
            "An element of the file is too large to read: more than 10,000,000 characters of text in one "
            "element, or elements nested more than 256 deep. Deposits never need either; check the file "
            "for text pasted by mistake or a missing closing tag.",
            line=error.lineno or None,
            detail=detail,
        )
    return DepositFileError(
        f"The file is not well-formed XML: {plain_words(detail)}", line=error.lineno or None, detail=detail
    )


# libxml2's messages, said in a depositor's words (the rest are shown as libxml2 words them).
_PLAIN_WORDS = [
    (re.compile(r"Opening and ending tag mismatch: (?P<open>\S+) line (?P<line>\d+) and (?P<close>\S+)"),
     "the element <{open}> opened on line {line} is closed by </{close}>; an element must be closed by its own name"),
    (re.compile(r"Premature end of data in tag (?P<open>\S+) line (?P<line>\d+)"),
     "the file ends before the element <{open}> opened on line {line} is closed (is the file cut short?)"),
    (re.compile(r"Entity '(?P<name>[^']+)' not defined"),
     "&{name}; is not an XML entity; write the character itself (UTF-8), or &amp; for an ampersand"),
    (re.compile(r"xmlParseEntityRef: no name"),
     "a bare & must be written &amp;"),
    (re.compile(r"StartTag: invalid element name"),
     "a < that does not open an element; write &lt; for a less-than sign in text"),
    (re.compile(r"AttValue: \" or ' expected"),
     "an attribute value must be in quotes"),
    (re.compile(r"Attribute (?P<name>\S+) redefined"),
     "the attribute {name} is given twice on one element"),
    (re.compile(r"Extra content at the end of the document"),
     "there is content after the root element's end; a deposit holds one <doi_batch>"),
    (re.compile(r"Start tag expected, '<' not found"),
     "the file does not start with XML (is it a deposit file?)"),
    (re.compile(r"(?:PCDATA )?invalid Char value (?P<value>\d+)"),
     "a control character (code {value}) that XML does not allow; remove it"),
]


def plain_words(detail: str) -> str:
    for pattern, words in _PLAIN_WORDS:
        if match := pattern.search(detail):
            return words.format(**match.groupdict())
    return detail


def _forget(element: etree._Element) -> None:
    """Drop a processed element and its already-processed elder siblings from the tree."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is None:
        return
    while element.getprevious() is not None:
        del parent[0]


# --- root and head ---------------------------------------------------------------------------


def _checked_root(events, *, references_only: bool = False) -> etree._Element:
    first = next(events, None)
    if first is None:
        raise DepositFileError("The file is empty.")
    _event, root, _depth = first
    return _check_root_element(root, references_only=references_only)


def _check_root_element(root: etree._Element, *, references_only: bool = False) -> etree._Element:
    if has_doctype(root):
        raise DepositFileError(DTD_REFUSED)
    name = local_name(root)
    if name != "doi_batch":
        raise DepositFileError(
            f"The root element is <{name}>; a deposit's root element is <doi_batch>.",
            line=root.sourceline,
        )
    namespace = etree.QName(root).namespace
    if references_only:
        if not (namespace or "").startswith(REFERENCES_NAMESPACE):
            raise DepositFileError(
                f"The namespace {namespace or '(none)'!r} of doi_batch is not Crossref's doi_resources schema; "
                f"a reference-only deposit (doDOICitUpload) uses {REFERENCES_NAMESPACE}X.Y.Z.",
                line=root.sourceline,
            )
        return root
    if schema_version(namespace) is None:
        raise DepositFileError(
            f"The namespace {namespace or '(none)'!r} of doi_batch is not a Crossref deposit schema "
            f"namespace; expected http://www.crossref.org/schema/X.Y.Z for versions "
            f"{SUPPORTED_SCHEMA_SERIES[0]} to {SUPPORTED_SCHEMA_SERIES[-1]}.",
            line=root.sourceline,
        )
    return root


def _batch_head(events, root: etree._Element) -> BatchHead:
    for event, element, depth in events:
        if depth != 1:
            continue
        name = local_name(element)
        if event == "start" and name == "body":
            raise DepositFileError("The deposit has no <head> before its <body>.", line=element.sourceline)
        if event == "end" and name == "head":
            head = _head_from(element, etree.QName(root).namespace)
            _forget(element)
            return head
    raise DepositFileError("The deposit has no <head>.")


def _head_from(element: etree._Element, namespace: str) -> BatchHead:
    timestamp = child_text(element, "timestamp")
    return BatchHead(
        namespace=namespace,
        schema_version=schema_version(namespace),
        doi_batch_id=child_text(element, "doi_batch_id"),
        timestamp=int(timestamp) if timestamp.isascii() and timestamp.isdigit() else None,
        depositor_name=child_text(element, "depositor", "depositor_name"),
        depositor_email=child_text(element, "depositor", "email_address"),
        registrant=child_text(element, "registrant"),
    )


# --- the body --------------------------------------------------------------------------------

# Body elements whose children are works (read one by one as each ends) and their metadata.
_CONTAINERS = frozenset({"journal", "book", "conference", "database", "report-paper", "standard"})

# Works that stand directly in <body> (Crossref REST API type names).
_STANDALONE_TYPES = {
    "posted_content": "posted-content",
    "dissertation": "dissertation",
    "peer_review": "peer-review",
    "pending_publication": "pending-publication",
}
# Each component of an sa_component (supplementary material of a registered work) is a work.
_COMPONENT_TYPE = "component"

# Everything the deposit schema allows directly in <body>: anything else is not a record the
# portal can recognise (a misspelt element, another schema's file).
BODY_ELEMENTS = frozenset({
    "journal", "book", "conference", "sa_component", "dissertation", "report-paper", "standard",
    "database", "peer_review", "posted_content", "pending_publication",
})

# Works inside a container element: (container, work element) -> type.
_CONTAINED_TYPES = {
    ("journal", "journal_article"): "journal-article",
    ("conference", "conference_paper"): "proceedings-article",
    ("database", "dataset"): "dataset",
    ("report-paper", "content_item"): "report-component",
    ("standard", "content_item"): "other",
}

# A container's metadata element -> where its title is. Works inside take it as container_title.
_CONTAINER_TITLES = {
    "journal_metadata": ("full_title",),
    "book_metadata": ("titles", "title"),
    "book_series_metadata": ("titles", "title"),
    "book_set_metadata": ("titles", "title"),
    "proceedings_metadata": ("proceedings_title",),
    "proceedings_series_metadata": ("proceedings_title",),
    "database_metadata": ("titles", "title"),
    "report-paper_metadata": ("titles", "title"),
    "report-paper_series_metadata": ("titles", "title"),
    "standard_metadata": ("titles", "title"),
}

# Metadata elements that are works themselves when they carry doi_data. Journal and proceedings
# DOIs are left out on purpose: their metadata is repeated in every container element of a
# batch and they are titles, not works that cite. A database is a work (Crossref's "database"
# type); its repeats in one batch are read once.
_METADATA_WORK_TYPES = {
    "database_metadata": "database",  # registered once per batch, however often it is repeated
    "book_metadata": "book",
    "book_series_metadata": "book",
    "book_set_metadata": "book",
    "report-paper_metadata": "report",
    "report-paper_series_metadata": "report",
    "standard_metadata": "standard",
}

# The elements `_record_events` reports: those the reading of records looks at (the root, head and
# body, the body's records, and the parts of containers). Every other element is still parsed and
# kept in the tree, where its record's reader finds it.
RECORD_TAGS = frozenset({
    "doi_batch", "head", "body", *BODY_ELEMENTS, "journal_issue", "content_item", *_CONTAINER_TITLES,
    *(part for _kind, part in _CONTAINED_TYPES),
})

_BOOK_TYPES = {"edited_book": "edited-book", "monograph": "monograph", "reference": "reference-book"}
_CHAPTER_TYPES = {
    "chapter": "book-chapter",
    "section": "book-section",
    "part": "book-part",
    "track": "book-track",
    "reference_entry": "reference-entry",
    "other": "other",
}


def _records(events, head: BatchHead, reader: BoundedReader) -> Iterator[Record]:
    try:
        yield from _body_records(events, head.timestamp)
    finally:
        reader.close()


def _body_records(events, head_timestamp: int | None) -> Iterator[Record]:
    in_body = False
    container = Container()
    metadata_dois: set[str] = set()  # container-level works already read from this batch
    for event, element, depth in events:
        if depth == 1 and local_name(element) == "body":
            in_body = event == "start"
            if not in_body:  # what is left in the body after its last record was not reported
                yield from _unreported_before(element, last=True)
        elif not in_body or depth < 2:
            continue
        elif depth == 2:
            yield from _unreported_before(element)
            if event == "start":
                container = Container()  # a new journal, book, conference...
            else:
                yield from _standalone_work(element, head_timestamp)
                _forget(element)
        elif event == "end" and depth == 3 and local_name(element.getparent()) in _CONTAINERS:
            yield from _container_part(element, container, head_timestamp, metadata_dois)
            _forget(element)


def _unreported_before(element: etree._Element, *, last: bool = False) -> Iterator[RecordError]:
    """The body's elements before `element` (or, `last`, all inside the body `element`) whose
    names libxml2 did not report: none is a record the portal knows. Each is told, in document
    order, and dropped with the processed ones, so memory stays bounded."""
    body = element if last else element.getparent()
    for sibling in list(body if last else element.itersiblings(preceding=True))[:: 1 if last else -1]:
        name = local_name(sibling)
        if name and name not in RECORD_TAGS:
            yield RecordError(line=sibling.sourceline or 0, message=_unknown_body_element(name))
    if not last:
        while element.getprevious() is not None:
            del body[0]


def _standalone_work(element: etree._Element, head_timestamp: int | None) -> Iterator[Record]:
    name = local_name(element)
    if name == "sa_component":
        yield from _components(element, head_timestamp)
        return
    work_type = _STANDALONE_TYPES.get(name)
    if work_type is None:
        if name not in _CONTAINERS:  # a container's works were read as they ended
            yield RecordError(line=element.sourceline or 0, message=_unknown_body_element(name))
        return
    institution = child_text(element, "institution", "institution_name")
    if name == "posted_content":
        container = Container(title=institution or child_text(element, "group_title"))
    elif name == "pending_publication":
        publication = child(element, "publication")
        container = Container(
            title=child_text(publication, "full_title"), issn=preferred_identifier(publication, "issn"),
            isbn=preferred_identifier(publication, "isbn"),
        )
    else:
        container = Container(publisher=institution)
    yield read_work(element, type=work_type, container=container, head_timestamp=head_timestamp)


def _unknown_body_element(name: str, known: frozenset[str] = BODY_ELEMENTS) -> str:
    listed = ", ".join(f"<{element}>" for element in sorted(known))
    return f"<{name}> is not a content type the portal registers; a deposit's body holds {listed}"


def _components(element: etree._Element, head_timestamp: int | None) -> Iterator[Record]:
    """The components of an sa_component, each a work of type "component"."""
    components = list(children(child(element, "component_list"), "component"))
    if not element.get("parent_doi"):
        problem = "sa_component has no parent_doi; components are registered as parts of a registered work"
        for component in components or [element]:
            yield RecordError(line=component.sourceline or 0, message=problem, doi=work_doi(component))
        return
    if not components:
        yield RecordError(line=element.sourceline or 0, message="sa_component has no component_list/component")
    for component in components:
        yield read_work(component, type=_COMPONENT_TYPE, container=Container(), head_timestamp=head_timestamp)


def _container_part(
    element: etree._Element, container: Container, head_timestamp: int | None, metadata_dois: set[str]
):
    part = local_name(element)
    kind = local_name(element.getparent())
    if part == "journal_issue":
        _describe_issue(container, element)
    elif part in _CONTAINER_TITLES:
        _describe_container(container, element)
        doi = work_doi(element) if part in _METADATA_WORK_TYPES else ""
        if doi and (part != "database_metadata" or doi not in metadata_dois):
            metadata_dois.add(doi)
            yield read_work(
                element,
                type=_metadata_work_type(element, part),
                container=container,
                head_timestamp=head_timestamp,
                container_title=_series_title(element),
            )
    elif kind == "book" and part == "content_item":
        work_type = _CHAPTER_TYPES.get(element.get("component_type", ""), "book-chapter")
        yield read_work(element, type=work_type, container=container, head_timestamp=head_timestamp)
    elif (kind, part) in _CONTAINED_TYPES:
        work_type = _CONTAINED_TYPES[(kind, part)]
        yield read_work(element, type=work_type, container=container, head_timestamp=head_timestamp)


def _describe_container(container: Container, metadata: etree._Element) -> None:
    series = child(metadata, "series_metadata")
    # A book's or report's metadata is a work itself, and its values are checked (and warned
    # about) there; a journal's or proceedings' values are warned about on each work inside.
    container.warnings = []
    notes = [] if local_name(metadata) in _METADATA_WORK_TYPES else container.warnings
    container.title = child_text(metadata, *_CONTAINER_TITLES[local_name(metadata)]) or child_text(
        series, "titles", "title"
    )
    container.issn = preferred_identifier(metadata, "issn", notes) or preferred_identifier(series, "issn", notes)
    container.isbn = preferred_identifier(metadata, "isbn") or preferred_identifier(
        child(metadata, "set_metadata"), "isbn"
    )
    container.publisher = publisher(metadata) or child_text(metadata, "institution", "institution_name")
    container.volume = child_text(metadata, "volume")
    container.dates = read_dates(metadata, notes)


def _describe_issue(container: Container, issue: etree._Element) -> None:
    container.volume = child_text(issue, "journal_volume", "volume")
    container.issue = child_text(issue, "issue")
    container.dates = read_dates(issue, container.warnings)


def _metadata_work_type(metadata: etree._Element, part: str) -> str:
    work_type = _METADATA_WORK_TYPES[part]
    if work_type == "book":
        return _BOOK_TYPES.get(metadata.getparent().get("book_type", ""), "book")
    return work_type


def _series_title(metadata: etree._Element) -> str:
    """The series (or set) a book or report belongs to: its container title."""
    return child_text(metadata, "series_metadata", "titles", "title") or child_text(
        metadata, "set_metadata", "titles", "title"
    )
