"""What the index stores for a work and what it is asked for a reference: the same words.

Both sides go through `text.normalize` and drop the same stop and noise words, so an
OR-of-terms query ranked by bm25/ts_rank meets the index on equal terms. A work's index text
carries its container title's ISO 4 abbreviation too, so "Phys. Rev. B" finds
"Physical Review B".
"""
from __future__ import annotations

import re

from citations.matching import weights
from citations.matching.features import container_variants
from citations.matching.parse import parse_string
from citations.matching.records import CandidateQuery, ReferenceQuery, WorkRecord
from citations.matching.scoring import _first_page
from citations.matching.text import (
    NOISE_WORDS,
    STOPWORDS,
    normalize,
    normalize_doi,
    norm_number,
)


def index_text(work: WorkRecord) -> str:
    """Normalised title, author family names, container title, its ISO 4 form, short title, and a
    chapter's book title (a chapter is cited "in <book>" more than by its series)."""
    parts = [normalize(work.title)]
    parts.extend(normalize(name) for name in work.authors)
    parts.extend(container_variants(work.container_title, work.short_container_title))
    if work.book_title:
        parts.append(normalize(work.book_title))
    return " ".join(_index_words(" ".join(parts)))


def _index_words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in text.split():
        if word not in STOPWORDS and word not in seen:
            seen[word] = None
    return list(seen)


def candidate_query(ref: ReferenceQuery) -> CandidateQuery:
    """Free text, (volume, first page) pairs and DOIs to ask the registry for.

    A reference with a DOI asks for its DOIs only: the matcher links it to that DOI's work or
    to nothing (its other fields can only contradict it), so a text search would be wasted.
    """
    dois: list[str] = []
    given = normalize_doi(ref.doi)
    if given:
        dois.append(given)
    parsed = parse_string(ref.unstructured) if ref.unstructured and ref.unstructured.strip() else None
    if parsed is not None:
        dois.extend(d for d in parsed.dois if d not in dois)
    if dois:
        return CandidateQuery(dois=tuple(dois))
    pairs: list[tuple[str, str]] = []
    volume, first_page = norm_number(ref.volume), _first_page(ref.first_page)
    if volume and first_page:
        pairs.append((volume, first_page))
    elif first_page:
        pairs.append(("", first_page))  # a chapter or proceedings paper: the works without a volume at that page
    pieces = [ref.article_title, ref.author, ref.journal_title, ref.volume_title, ref.series_title]
    years = set()
    year_match = _YEAR.search(ref.year or "")
    if year_match:
        years.add(int(year_match.group(0)))
    if parsed is not None:
        years.update(parsed.years)
        pairs.extend(p for p in parsed.volume_pages if p not in pairs)
        if parsed.names_book and not parsed.volume_pages:
            # "In: <book> ..., pp. 212-262": chapters and proceedings papers carry no volume.
            pairs.extend(("", page) for page in sorted(parsed.explicit_starts)[:2])
        pieces.append(parsed.text)
    return CandidateQuery(
        text=" ".join(_query_words(" ".join(normalize(piece) for piece in pieces if piece))),
        volume_pages=tuple(pairs[: weights.MAX_VOLUME_PAGES]),
        years=tuple(sorted(years)),
    )


_YEAR = re.compile(r"1[6-9]\d\d|20\d\d")


def _query_words(text: str) -> list[str]:
    """The informative words, in order, at most MAX_QUERY_TERMS (the longest kept when cut)."""
    kept: dict[str, None] = {}
    for word in text.split():
        if (
            len(word) > 1 and not word.isdigit() and word not in STOPWORDS and word not in NOISE_WORDS
            and not _is_initials(word) and word not in kept
        ):
            kept[word] = None
    words = list(kept)
    if len(words) > weights.MAX_QUERY_TERMS:
        longest = set(sorted(words, key=len, reverse=True)[: weights.MAX_QUERY_TERMS])
        words = [w for w in words if w in longest][: weights.MAX_QUERY_TERMS]
    return words


def _is_initials(word: str) -> bool:
    """ "jn", "dd": two-letter lower-case tokens without a vowel are initials, not words."""
    return len(word) == 2 and not any(c in "aeiouy" for c in word)
