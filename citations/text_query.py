"""Simple Text Query (Crossref's name): pasted references, one a line, matched in the request.

Lines are checked here (how many, how long), matched in one batch through
`services.match_reference_queries` (the one matching flow), and turned into rows for the page
and its CSV download. Nothing is stored.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from citations.matching.records import MatchResult, ReferenceQuery
from citations.services import match_reference_queries
from deposits.doi import doi_url_path

MAX_REFERENCES = 1000
MAX_LINE_CHARACTERS = 3000  # the longest real references are a few hundred characters

METHOD_LABELS = {
    "publisher-doi": "DOI in the reference",
    "structured": "Structured fields",
    "unstructured": "Reference text",
}
REASON_LABELS = {
    "doi": "The DOI it gives is registered and agrees",
    "title": "Title and other details agree",
    "journal-volume-page": "Journal, volume and page agree",
    "container-page-author-year": "Container, page, author and year agree",
    "partial-title": "Part of the title and other details agree",
    "contradicted": "Its DOI is registered, but the details describe another work",
    "doi-not-registered": "The DOI it gives is not registered here",
    "no-candidates": "No registered work resembles it",
    "below-threshold": "The closest registered work is not close enough",
    "ambiguous": "Two registered works fit it about equally well",
    "too-little-to-match": "Too little text to match on",
}
CSV_HEADER = ("line", "reference", "DOI", "score", "method", "outcome", "reason")


class ReferencesRefused(ValueError):
    """The pasted text cannot be matched as it is; the message says why, for the page."""


@dataclass(frozen=True)
class PastedReference:
    line: int  # 1-based line number in the pasted text (blank lines count, so numbers match the paste)
    text: str


@dataclass(frozen=True)
class TextQueryResult:
    line: int
    reference: str
    result: MatchResult

    @property
    def doi(self) -> str:
        return self.result.work.doi if self.result.outcome == "matched" and self.result.work else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{doi_url_path(self.doi)}" if self.doi else ""

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.result.method, self.result.method)

    @property
    def reason_label(self) -> str:
        label = REASON_LABELS.get(self.result.reason, self.result.reason)
        if self.result.outcome == "contradicted" and self.result.work:
            return f"{label} ({self.result.work.doi})"
        return label


def pasted_references(text: str) -> list[PastedReference]:
    """The non-blank lines of `text`. Raises ReferencesRefused for none, too many or too long."""
    references = [
        PastedReference(line=number, text=" ".join(line.split()))
        for number, line in enumerate((text or "").splitlines(), start=1)
        if line.strip()
    ]
    if not references:
        raise ReferencesRefused("Paste at least one reference, one per line.")
    if len(references) > MAX_REFERENCES:
        raise ReferencesRefused(
            f"You pasted {len(references):,} references; at most {MAX_REFERENCES:,} can be matched at once. "
            "Split them into several queries."
        )
    too_long = [r.line for r in references if len(r.text) > MAX_LINE_CHARACTERS]
    if too_long:
        lines = ", ".join(map(str, too_long[:5])) + (" and more" if len(too_long) > 5 else "")
        raise ReferencesRefused(
            f"A reference may be at most {MAX_LINE_CHARACTERS:,} characters long; line{'s' if len(too_long) > 1 else ''} "
            f"{lines} {'are' if len(too_long) > 1 else 'is'} longer. Is each reference on a line of its own?"
        )
    return references


def match_pasted_references(references: Iterable[PastedReference]) -> list[TextQueryResult]:
    """The matcher's answer for each reference, in order, from one batched matching call."""
    references = list(references)
    results = match_reference_queries([ReferenceQuery(unstructured=r.text) for r in references])
    return [TextQueryResult(line=r.line, reference=r.text, result=result) for r, result in zip(references, results)]


def csv_lines(results: Iterable[TextQueryResult]) -> Iterator[str]:
    """The results as CSV text, one line at a time (the header first), for a streamed download."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for row in results:
        yield writer.writerow((
            row.line, row.reference, row.doi, f"{row.result.score:.3f}", row.result.method, row.result.outcome,
            row.result.reason,
        ))


class _Echo:
    """A file whose write returns what it is given: csv.writer then yields each line as text."""

    def write(self, value: str) -> str:
        return value
