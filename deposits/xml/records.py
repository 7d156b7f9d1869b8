"""Plain records the deposit parser produces: the contract between XML and the database."""
from __future__ import annotations

from dataclasses import dataclass, field


class DepositFileError(Exception):
    """The file as a whole cannot be read (not well-formed, wrong namespace, DTD, empty...).

    Nothing from such a file is applied.
    """

    def __init__(self, message: str, *, line: int | None = None, detail: str = ""):
        self.message = message
        self.line = line
        self.detail = detail  # the XML parser's own words, when it was the parser that stopped
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass(frozen=True)
class BatchHead:
    """The `<head>` of a `doi_batch`."""

    namespace: str  # e.g. "http://www.crossref.org/schema/5.4.0"
    schema_version: str  # e.g. "5.4.0"
    doi_batch_id: str
    timestamp: int | None  # the head's <timestamp>, digits only
    depositor_name: str = ""
    depositor_email: str = ""
    registrant: str = ""


@dataclass(frozen=True)
class Contributor:
    surname: str  # for an organisation: its name
    given_name: str = ""
    orcid: str = ""  # bare form "0000-0002-1825-0097", no URL
    role: str = "author"  # contributor_role: author, editor, chair, translator...
    sequence: str = "additional"  # "first" or "additional"
    is_organization: bool = False
    affiliations: tuple[str, ...] = ()  # institution names, as deposited


@dataclass(frozen=True)
class ParsedReference:
    """One `citation` of a `citation_list`, fields as deposited (whitespace collapsed)."""

    key: str
    position: int  # 1-based order in the citation_list
    doi: str = ""  # as deposited; normalisation happens in the database layer
    unstructured: str = ""
    journal_title: str = ""
    author: str = ""
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    year: str = ""  # cYear
    article_title: str = ""
    issn: str = ""
    isbn: str = ""
    series_title: str = ""
    volume_title: str = ""
    edition_number: str = ""
    component_number: str = ""
    type: str = ""  # the 5.4.0 `type` attribute, when given


@dataclass(frozen=True)
class ParsedWork:
    """One registrable work (one DOI) found in the deposit's body."""

    doi: str
    type: str  # Crossref REST API type names: journal-article, book, book-chapter, ...
    line: int  # line of the work's element in the file, for error messages
    title: str = ""
    subtitle: str = ""
    contributors: tuple[Contributor, ...] = ()
    container_title: str = ""  # journal, book, proceedings or series title
    book_title: str = ""  # a book's part (chapter, section, entry...): its book's title
    issn: str = ""  # print ISSN preferred, else the first given
    isbn: str = ""  # print ISBN preferred, else the first given
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    publication_year: int | None = None
    # Crossref's partial dates: "2024", "2024-03" or "2024-03-05"; "" when not given.
    published_print: str = ""
    published_online: str = ""
    publisher: str = ""
    resource_url: str = ""  # doi_data/resource
    timestamp: int | None = None  # doi_data/timestamp if given, else the head's
    has_citation_list: bool = False  # False: the deposit says nothing about references
    references: tuple[ParsedReference, ...] = field(default=())
    # Problems that leave the record usable (a bad ISSN, an unreadable optional date, a key
    # given twice): the record is registered with everything kept and these are told as a Warning.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordError:
    """A record in the body that cannot be turned into a ParsedWork; the others still can."""

    line: int
    message: str
    doi: str = ""  # when the DOI could be read
