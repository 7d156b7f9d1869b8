"""A registered work's fields in the form the scorer compares, computed once per work."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from citations.matching import weights
from citations.matching.parse import part_numbers, series_part
from citations.matching.records import WorkRecord
from citations.matching.text import (
    NOTICE_WORDS,
    STOPWORDS,
    content_words,
    fold_name,
    iso4_abbreviation,
    norm_isbn,
    norm_issn,
    norm_number,
    normalize,
)

_MAIN_TITLE_END = re.compile(r"[:?]|\s[-\u2013\u2014]\s|\.\s")
BOOK_TYPES = frozenset({"book", "monograph", "edited-book", "reference-book", "book-set", "book-series", "report", "dissertation"})


@dataclass(frozen=True)
class WorkFeatures:
    title: str  # normalised title (with subtitle)
    main_title: str  # before the subtitle, when that is a title of its own
    subtitle_words: frozenset[str]  # content words after the main title
    title_info: float  # 0..1: how informative the title is on its own
    title_words: frozenset[str]  # its content words, for a cheap first look before fuzzy matching
    is_notice: bool  # "Correction to: ...", "Erratum", "Retraction ..."
    authors: tuple[str, ...]  # normalised, name-folded family names, first author first
    containers: tuple[str, ...]  # normalised variants: full and short title (abbreviations: `abbrev`)
    container_compacts: tuple[str, ...]  # the same without spaces, long ones only
    container_words: frozenset[str]  # content words of the full container title
    year: int | None
    volume: str
    issue: str
    first_page: str
    last_page: str
    issns: frozenset[str]
    isbns: frozenset[str]
    is_posted_content: bool
    is_book: bool
    title_parts: frozenset[str]  # "Part II" of a series: {"2"}
    container_parts: frozenset[str]  # "Journal of X, Part B" names no numbered part; "Series 2" may
    own_words: frozenset[str]  # every word of its title, names and container: what a reference to it may say
    container_word_list: tuple[str, ...]  # the full container title's words, for abbreviations
    container_initials: frozenset[str] = frozenset()  # their first letters: an abbreviation keeps its word's


@functools.lru_cache(maxsize=200_000)
def work_features(work: WorkRecord) -> WorkFeatures:
    title = normalize(work.title)
    main_title, subtitle_words = "", frozenset()
    cut = _MAIN_TITLE_END.search(work.title or "")
    if cut:
        main = normalize(work.title[: cut.start()])
        if len(content_words(main.split())) >= 3 and main != title:
            main_title = main
            subtitle_words = frozenset(content_words(normalize(work.title[cut.end():]).split()))
    title_words = title_content_words(work.title)
    containers, container_compacts, container_parts, container_word_list, container_initials = _container_forms(
        work.container_title, work.short_container_title, work.book_title
    )
    return WorkFeatures(
        title=title,
        main_title=main_title,
        subtitle_words=subtitle_words,
        title_info=min(1.0, len(title_words) / weights.TITLE_INFORMATIVE_WORDS),
        title_words=title_words,
        is_notice=title.startswith(NOTICE_WORDS),
        authors=tuple(folded for _, folded in map(_name_forms, work.authors) if folded),
        containers=containers,
        container_compacts=container_compacts,
        container_words=_container_words(work.container_title),
        year=work.year,
        volume=norm_number(work.volume),
        issue=norm_number(work.issue),
        first_page=norm_number(work.first_page),
        last_page=norm_number(work.last_page),
        issns=frozenset(filter(None, (norm_issn(i) for i in work.issn))),
        isbns=frozenset(filter(None, (norm_isbn(i) for i in work.isbn))),
        is_posted_content=work.type == "posted-content",
        is_book=work.type in BOOK_TYPES,
        title_parts=series_part(title),
        container_parts=container_parts,
        own_words=_own_words(title, work, containers),
        container_word_list=container_word_list,
        container_initials=container_initials,
    )


# Small: the matcher's cheap bound asks for a candidate's title words, and work_features asks
# again just after for the candidates that bound lets through.
@functools.lru_cache(maxsize=4096)
def title_content_words(title: str) -> frozenset[str]:
    """The content words of a registered title (with its subtitle), normalised."""
    return frozenset(content_words(normalize(title).split()))


def _own_words(title: str, work: WorkRecord, containers: tuple[str, ...]) -> frozenset[str]:
    words = set(title.split())
    for name in (*work.authors, *work.given_names):
        words.update(_name_words(name))
    for container in containers:
        words.update(container.split())
    return frozenset(words)


# Names and journals recur across works: their normal forms are worked out once per process.
@functools.lru_cache(maxsize=262_144)
def _name_forms(name: str) -> tuple[str, str]:
    """(normalised, name-folded) forms of a family or given name."""
    normalized = normalize(name)
    return normalized, fold_name(normalized)


@functools.lru_cache(maxsize=262_144)
def _name_words(name: str) -> frozenset[str]:
    normalized, folded = _name_forms(name)
    return frozenset(normalized.split()) | frozenset(folded.split())


@functools.lru_cache(maxsize=65_536)
def _container_forms(container_title: str, short_container_title: str, book_title: str = ""):
    """What WorkFeatures keeps of a container: variants, compact forms, part numbers, words, initials.

    A chapter's book title is one more name of its container (after the series' names, which the
    abbreviations are read from): references cite a chapter "in <book>" or by series and volume."""
    containers = _match_variants(container_title, short_container_title)
    if book_title:
        containers = _match_variants(container_title, short_container_title, book_title)
    compacts = tuple(
        c.replace(" ", "") for c in containers if len(c.replace(" ", "")) >= weights.CONTAINER_COMPACT_MIN_LENGTH
    )
    parts = frozenset().union(*(part_numbers(c) for c in containers)) if containers else frozenset()
    word_list = tuple(w for w in (containers[0] if containers else "").split() if w not in STOPWORDS)
    return containers, compacts, parts, word_list, frozenset(w[0] for w in word_list)


@functools.lru_cache(maxsize=65_536)
def _container_words(container_title: str) -> frozenset[str]:
    return frozenset(content_words(normalize(container_title).split()))


@functools.lru_cache(maxsize=65_536)
def _match_variants(container_title: str, short_container_title: str = "", book_title: str = "") -> tuple[str, ...]:
    """The forms compared when matching: full and short title (and a chapter's book title);
    abbreviations are read by letters."""
    variants: list[str] = []
    for variant in (normalize(container_title), normalize(short_container_title), normalize(book_title)):
        if variant.startswith("the "):
            variant = variant[4:]
        if variant and variant not in variants:
            variants.append(variant)
    return tuple(variants)


@functools.lru_cache(maxsize=262_144)
def container_variants(container_title: str, short_container_title: str = "") -> tuple[str, ...]:
    """The forms a journal's name takes in references: full, ISO 4 abbreviation, registry short title.

    For the index (its words find "Phys. Rev. B" for "Physical Review B"); loads the LTWA list.
    """
    variants: list[str] = []
    for variant in (
        normalize(container_title),
        iso4_abbreviation(container_title),
        normalize(short_container_title),
    ):
        if variant.startswith("the "):
            variant = variant[4:]
        if variant and variant not in variants:
            variants.append(variant)
    return tuple(variants)
