"""Reference-only deposits (Crossref's `doDOICitUpload`): the doi_resources schema's `doi_citations`.

A `<doi_batch>` in `http://www.crossref.org/doi_resources_schema/X.Y.Z` whose `<body>` holds one
`<doi_citations>` per registered work: its `<doi>` and a `<citation_list>` that replaces the
work's reference list. Citations are read by the same function as in metadata deposits
(`works.references`), so a reference means the same in both kinds of deposit. Streaming and
hardening are the metadata parser's (`parser._events`, `hardened`); nothing here knows Django.

`deposit_operation(source)` tells the two kinds of deposit apart by the root's namespace.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from deposits.xml.elements import child, child_text, local_name
from deposits.xml.hardened import DTD_REFUSED, BoundedReader, has_doctype, iterparse, open_bounded
from deposits.xml.parser import MAX_DEPOSIT_BYTES, DepositStream, _events, _forget, schema_version
from deposits.xml.records import BatchHead, DepositFileError, ParsedReference, RecordError
from deposits.xml.works import references

# Crossref's operation names (the servlet's `operation` field), so callers need not import models.
METADATA = "doMDUpload"
REFERENCES = "doDOICitUpload"

# doi_resources schema series read here ("major.minor", any patch): 4.3.0 to 5.4.0 exist.
SUPPORTED_RESOURCE_SERIES = ("4.3", "4.4", "5.0", "5.1", "5.2", "5.3", "5.4")
_RESOURCE_NAMESPACE = re.compile(
    r"http://www\.crossref\.org/doi_resources_schema/(?P<version>(?P<series>\d+\.\d+)\.\d+)"
)
_DOI = re.compile(r"10\.[^\s/]+/\S+")
_SNIFF_EVENTS = 1  # the root's start event is all `deposit_operation` needs


def resource_schema_version(namespace: str | None) -> str | None:
    """`4.4.2` for `http://www.crossref.org/doi_resources_schema/4.4.2`; None if not one we read."""
    match = _RESOURCE_NAMESPACE.fullmatch(namespace or "")
    if match is None or match["series"] not in SUPPORTED_RESOURCE_SERIES:
        return None
    return match["version"]


@dataclass(frozen=True)
class ParsedCitationList:
    """One `doi_citations`: the reference list that replaces the registered work's."""

    doi: str  # as deposited; normalised by the database layer
    line: int
    references: tuple[ParsedReference, ...] = ()


def deposit_operation(source: BinaryIO) -> str | None:
    """METADATA or REFERENCES from the root element's namespace, or None when it is neither.

    Reads only up to the root's start tag, with the hardened parser, and rewinds `source`.
    Unreadable files get None: processing reports what is wrong with them.
    """
    start = source.tell()
    reader = open_bounded(source, max_bytes=MAX_DEPOSIT_BYTES)
    try:
        for _event, root in iterparse(reader):
            namespace = etree.QName(root).namespace
            if schema_version(namespace):
                return METADATA
            if resource_schema_version(namespace):
                return REFERENCES
            return None
    except (etree.XMLSyntaxError, DepositFileError):
        return None
    finally:
        reader.close()
        source.seek(start)
    return None


class ReferenceDepositStream(DepositStream):
    """An opened reference-only deposit: `head` at once, then one record per `doi_citations`
    (ParsedCitationList | RecordError), iterated, closed and used as a context the same way."""

    def __init__(self, *, head: BatchHead, records: Iterator[ParsedCitationList | RecordError], reader: BoundedReader):
        super().__init__(head=head, records=records, reader=reader, root=None)


def open_reference_deposit(
    source: str | os.PathLike | BinaryIO, *, max_bytes: int = MAX_DEPOSIT_BYTES
) -> ReferenceDepositStream:
    """Open a doi_resources deposit and read its head. Raises DepositFileError when the file as a
    whole is unusable (the same checks and words as for metadata deposits)."""
    reader = open_bounded(source, max_bytes=max_bytes)
    try:
        events = _events(reader)
        root = _checked_root(events)
        head = _head(events, root)
    except BaseException:
        reader.close()
        raise
    return ReferenceDepositStream(head=head, records=_records(events, reader), reader=reader)


def _checked_root(events) -> etree._Element:
    first = next(events, None)
    if first is None:
        raise DepositFileError("The file is empty.")
    _event, root, _depth = first
    if has_doctype(root):
        raise DepositFileError(DTD_REFUSED)
    name = local_name(root)
    if name != "doi_batch":
        raise DepositFileError(
            f"The root element is <{name}>; a deposit's root element is <doi_batch>.", line=root.sourceline
        )
    namespace = etree.QName(root).namespace
    if resource_schema_version(namespace) is None:
        kind = (
            "a metadata deposit (works with their references): deposit it with operation doMDUpload"
            if schema_version(namespace)
            else "not in a Crossref doi_resources schema namespace"
        )
        raise DepositFileError(
            f"A reference-only deposit (doDOICitUpload) is in the namespace "
            f"http://www.crossref.org/doi_resources_schema/X.Y.Z (versions {SUPPORTED_RESOURCE_SERIES[0]} to "
            f"{SUPPORTED_RESOURCE_SERIES[-1]}); this file's namespace is {namespace or '(none)'!r}, {kind}.",
            line=root.sourceline,
        )
    return root


def _head(events, root: etree._Element) -> BatchHead:
    namespace = etree.QName(root).namespace
    for event, element, depth in events:
        if depth != 1:
            continue
        name = local_name(element)
        if event == "start" and name == "body":
            raise DepositFileError("The deposit has no <head> before its <body>.", line=element.sourceline)
        if event == "end" and name == "head":
            timestamp = child_text(element, "timestamp")
            head = BatchHead(
                namespace=namespace,
                schema_version=resource_schema_version(namespace),
                doi_batch_id=child_text(element, "doi_batch_id"),
                # Optional in this schema, and not compared: see deposits.services on reference lists.
                timestamp=int(timestamp) if timestamp.isascii() and timestamp.isdigit() else None,
                # 4.3.x names the depositor <name>, later versions <depositor_name>.
                depositor_name=child_text(element, "depositor", "depositor_name")
                or child_text(element, "depositor", "name"),
                depositor_email=child_text(element, "depositor", "email_address"),
            )
            _forget(element)
            return head
    raise DepositFileError("The deposit has no <head>.")


def _records(events, reader: BoundedReader) -> Iterator[ParsedCitationList | RecordError]:
    try:
        in_body = False
        for event, element, depth in events:
            if depth == 1 and local_name(element) == "body":
                in_body = event == "start"
            elif in_body and depth == 2 and event == "end":
                yield _record(element)
                _forget(element)
    finally:
        reader.close()


def _record(element: etree._Element) -> ParsedCitationList | RecordError:
    line = element.sourceline or 0
    name = local_name(element)
    if name != "doi_citations":
        return RecordError(
            line=line,
            message=f"<{name}> is not accepted in a reference-only deposit; only <doi_citations> "
            "(a DOI and its citation_list) is. Deposit other resources to Crossref's other operations.",
        )
    doi = child_text(element, "doi")
    if not doi:
        return RecordError(line=line, message="doi_citations has no <doi>: name the registered work whose references these are")
    if not _DOI.fullmatch(doi):
        return RecordError(
            line=line, doi=doi,
            message=f"doi_citations has doi {doi!r}, which is not a DOI (it should look like 10.1234/abc)",
        )
    citation_list = child(element, "citation_list")
    if citation_list is None:
        return RecordError(
            line=line, doi=doi,
            message=f"doi_citations for {doi} has no <citation_list>; to remove every reference, send an empty <citation_list/>",
        )
    return ParsedCitationList(doi=doi, line=line, references=references(citation_list))
