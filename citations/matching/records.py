"""What the matcher reads and what it answers: plain records, no Django.

The Django side turns `Work` rows into `WorkRecord`s and deposited references (or lines of
`match_references` input) into `ReferenceQuery`s; the matcher never touches the database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Method = Literal["publisher-doi", "structured", "unstructured"]
Outcome = Literal["matched", "contradicted", "unmatched"]


@dataclass(frozen=True)
class WorkRecord:
    """A registered work, as the matcher sees it."""

    id: int
    doi: str  # bare, lower case
    type: str = "journal-article"  # Crossref REST type names (journal-article, posted-content, ...)
    title: str = ""  # title and subtitle as registered
    authors: tuple[str, ...] = ()  # family names (or organisation names), first author first
    given_names: tuple[str, ...] = ()  # given names aligned with `authors` ("" when none)
    container_title: str = ""  # journal, book, proceedings or series title
    short_container_title: str = ""  # an abbreviation when the registry has one
    book_title: str = ""  # a chapter's book, when container_title may name its series instead
    issn: tuple[str, ...] = ()
    isbn: tuple[str, ...] = ()
    year: int | None = None
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    # The row's `updated` as read (None when not read from the database): the version a link
    # made to this work was decided on (Citation.cited_version).
    version: datetime | None = None


@dataclass(frozen=True)
class ReferenceQuery:
    """A reference as deposited: an unstructured string, structured fields, a DOI, or several."""

    unstructured: str = ""
    doi: str = ""  # as given by the publisher (normalised by the caller when it can be)
    journal_title: str = ""
    author: str = ""  # the first author as deposited ("Smith", "J. Smith", "Smith, John")
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    year: str = ""
    article_title: str = ""
    issn: str = ""
    isbn: str = ""
    volume_title: str = ""
    series_title: str = ""


@dataclass(frozen=True)
class CandidateQuery:
    """What to ask the registry's index for: the matcher decides, the index executes.

    `text`: free text for the full-text index (bibliographic query).
    `volume_pages`: (volume, first page) pairs to look up directly, for title-less styles; an empty
    volume asks for the works without one (chapters, proceedings papers) at that page.
    `dois`: DOIs to fetch directly (given, or found inside an unstructured string).
    `years`: the years the reference gives; a busy (volume, first page) pair keeps only the works
    within a year of one of them (volume 1, page 1 is in every journal).
    """

    text: str = ""
    volume_pages: tuple[tuple[str, str], ...] = ()
    dois: tuple[str, ...] = ()
    years: tuple[int, ...] = ()


@dataclass(frozen=True)
class MatchResult:
    """The matcher's answer for one reference.

    outcome "matched": `work` is the cited work. "contradicted": the reference's DOI is
    registered (`work`) but its other fields disagree; it is flagged, not linked.
    "unmatched": `work` is None and `reason` says why (for members' participation reports):
    "no-candidates", "below-threshold", "ambiguous", "doi-not-registered", "too-little-to-match".
    """

    outcome: Outcome
    method: Method
    work: WorkRecord | None = None
    score: float = 0.0  # 0..1
    agreed: tuple[str, ...] = ()  # fields that agreed: title, author, container, year, volume, issue, page, doi
    reason: str = ""
    runner_up: float = 0.0  # the second-best candidate's score, for the record
    details: dict = field(default_factory=dict, compare=False)
