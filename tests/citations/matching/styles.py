"""Reference strings rendered from a WorkRecord in common citation styles (hand-made, for tests).

Close enough to the real styles to exercise the matcher: the benchmark engineer renders the real
CSL styles with citeproc-py; these keep the unit tests self-contained and readable.
"""
from __future__ import annotations

from citations.matching import WorkRecord


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in given.replace("-", " ").split() if part)


def _pages(work: WorkRecord, dash: str = "–") -> str:
    if work.first_page and work.last_page:
        return f"{work.first_page}{dash}{work.last_page}"
    return work.first_page


def _given(work: WorkRecord, i: int) -> str:
    return work.given_names[i] if i < len(work.given_names) else ""


def apa(work: WorkRecord) -> str:
    names = [f"{a}, {_initials(_given(work, i))}".rstrip(", ") for i, a in enumerate(work.authors[:6])]
    authors = ", ".join(names) + (", et al." if len(work.authors) > 6 else "")
    issue = f"({work.issue})" if work.issue else ""
    return f"{authors} ({work.year}). {work.title}. {work.container_title}, {work.volume}{issue}, {_pages(work)}."


def vancouver(work: WorkRecord) -> str:
    names = [f"{a} {_initials(_given(work, i)).replace('.', '').replace(' ', '')}" for i, a in enumerate(work.authors[:6])]
    authors = ", ".join(names) + (", et al" if len(work.authors) > 6 else "")
    journal = work.short_container_title or work.container_title
    issue = f"({work.issue})" if work.issue else ""
    return f"{authors}. {work.title}. {journal}. {work.year};{work.volume}{issue}:{_pages(work, '-')}."


def aip(work: WorkRecord, journal: str) -> str:
    """Physics style without the title: "J. Smith, Phys. Rev. B 12, 345 (2001)"."""
    first = f"{_initials(_given(work, 0))} {work.authors[0]}".strip() if work.authors else ""
    return f"{first}, {journal} {work.volume}, {work.first_page} ({work.year})."


def nature(work: WorkRecord, journal: str) -> str:
    first = f"{work.authors[0]}, {_initials(_given(work, 0))}" if work.authors else ""
    more = " et al." if len(work.authors) > 1 else ""
    return f"{first}{more} {work.title}. {journal} {work.volume}, {_pages(work)} ({work.year})."


def elsevier_no_title(work: WorkRecord, journal: str) -> str:
    first = f"{_initials(_given(work, 0))} {work.authors[0]}".strip() if work.authors else ""
    return f"{first}, et al., {journal} {work.volume} ({work.year}) {_pages(work)}."


def ieee(work: WorkRecord, journal: str) -> str:
    first = f"{_initials(_given(work, 0))} {work.authors[0]}".strip() if work.authors else ""
    issue = f", no. {work.issue}" if work.issue else ""
    return f'{first} et al., "{work.title}," {journal}, vol. {work.volume}{issue}, pp. {_pages(work)}, {work.year}.'


def chicago(work: WorkRecord) -> str:
    first = f"{work.authors[0]}, {_given(work, 0)}" if work.authors else ""
    more = ", et al." if len(work.authors) > 1 else ""
    issue = f", no. {work.issue}" if work.issue else ""
    return f'{first}{more} "{work.title}." {work.container_title} {work.volume}{issue} ({work.year}): {_pages(work)}.'


def harvard_book(work: WorkRecord) -> str:
    first = f"{work.authors[0]}, {_initials(_given(work, 0))}" if work.authors else ""
    return f"{first} ({work.year}) '{work.title}', in {work.container_title}. pp. {_pages(work)}."
