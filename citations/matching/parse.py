"""What can be read off an unstructured reference string without knowing its style.

No attempt to split the string into author/title/journal: styles vary too much, and the
scorer instead looks for each candidate's fields *in* the string. Parsed here are only the
style-independent facts: years, numbers, page ranges, (volume, first page) pairs, DOIs, and
whether the string names a correction notice, a preprint, or journal-like numbering.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from citations.matching import weights
from citations.matching.text import (
    NOTICE_WORDS,
    PREPRINT_WORDS,
    content_words,
    dois_in,
    fold_name,
    norm_number,
    plain,
    without_identifiers,
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NUMBER_TOKEN = re.compile(r"\b[a-z]*\d[a-z0-9]*")
_YEAR = re.compile(r"(?<![\d.])(1[6-9]\d\d|20\d\d)(?![\d])")
_PAGE = r"[a-z]{0,2}\d{1,8}"
_RANGE = re.compile(rf"(?<![\w.])({_PAGE})\s*-+\s*({_PAGE})(?![\w])")
_PP = re.compile(rf"\bpp?\.?\s*({_PAGE})(?![\w])")
# "12, 345" (AIP, Nature), "75(13), 1195" (APA), "12(3):345" (Vancouver), "3:31" (Springer)
# (Matched as a lookahead so that "2001, 123, 345" (ACS) yields (123, 345) as well as (2001, 123).)
_VOLUME_PAGE = re.compile(
    rf"(?=(?<![\w.])([a-z]?\d{{1,5}})\s*(?:\(\s*([\w/ -]{{1,12}})\s*\))?\s*[:,]\s*(?:pp?\.?\s*)?({_PAGE})(?![\d]))"
)
# "61 (2012) 1206" (Elsevier without titles)
_VOLUME_YEAR_PAGE = re.compile(rf"(?<![\w.])(\d{{1,5}})\s*\(\s*(?:1[6-9]|20)\d\d\s*\)\s*[,:]?\s*(?:pp?\.?\s*)?({_PAGE})(?![\d])")
# "vol. 12, no. 3, pp. 345" (IEEE)
_VOL_PP = re.compile(rf"\bvol\.?\s*(\d{{1,5}})\b.{{0,25}}?\bpp?\.?\s*({_PAGE})(?![\d])")
_IN_BOOK = re.compile(r"\bin:|\bin\s+(?:the\s+)?(?:proc|handbook|advances|[a-z]+ of\b)|\bedited by\b|\beds?\b\.?\)?[,:]|\(eds?\.?\)|\bproceedings\b|\bconference\b|\bsymposium\b|\bworkshop\b|\bcongress\b")
_ISSUE_BEFORE = re.compile(r"\b(?:no|nr|issue|iss)\.?\s*$")
_JOURNAL_NUMBERING = re.compile(r"\b(?:vol|pp|no)\b\.?\s*\d")


@dataclass(frozen=True)
class ParsedString:
    """The style-independent facts of one unstructured reference string."""

    text: str  # normalised words, identifiers cut out
    folded: str  # `text` with German transliteration folded, for names
    name_tokens: tuple[str, ...]  # the first words of `folded`, where authors usually stand
    tokens: frozenset[str]
    abbreviation_tokens: tuple[str, ...]  # every word in order, where journal abbreviations are looked for
    content_words: tuple[str, ...]
    years: frozenset[int]
    numbers: frozenset[str]  # every number-bearing token, normalised
    range_starts: frozenset[str]
    explicit_starts: frozenset[str]  # first pages written as such: "345-350", "pp. 345", "p. e1001"
    range_ends: frozenset[str]
    volume_pages: tuple[tuple[str, str], ...]
    volume_issues: frozenset[tuple[str, str]]  # "12(3)": (volume, issue) as written together
    parts: frozenset[str]  # "Part II", "Part 2": which part of a series of papers ("2")
    names_book: bool  # "In: ...", "edited by", "Proceedings of": a part of a book or proceedings
    dois: tuple[str, ...]
    says_notice: bool  # the string itself names a correction/erratum/retraction
    # The notice word of a string that cites a notice ("Corrigendum to ...", "Erratum: ...",
    # "Retraction note to ..."), "" for none; "Erratum in: ..." (PubMed's pointer from an
    # article to its erratum) is not one.
    cites_notice: str
    says_preprint: bool
    shows_journal_numbering: bool  # volume/page structure: it names a journal issue

    @property
    def shows_pages(self) -> bool:
        return bool(self.range_starts or self.volume_pages)


# A notice cited as such: its word, maybe "note", then "to"/"of"/"for"/"on" or a colon.
_CITES_NOTICE = re.compile(
    r"\b(correction|erratum|errata|corrigendum|corrigenda|retraction|addendum|expression of concern)"
    r"(?:\s+(?:note|notice))?(?:\s*:|\s+(?:to|of|for|on)\b)"
)


@functools.lru_cache(maxsize=4096)
def parse_string(raw: str) -> ParsedString:
    """The facts of `raw` (cached: the query and the matcher both read each reference)."""
    dois = tuple(dois_in(raw))
    text_plain = _DASH_RUN.sub("-", plain(without_identifiers(raw)))
    text = _NON_ALNUM.sub(" ", text_plain).strip()
    tokens = text.split()
    numbers = frozenset(norm_number(t) for t in _NUMBER_TOKEN.findall(text))
    starts: set[str] = set()
    ends: set[str] = set()
    for match in _RANGE.finditer(text_plain):
        first, last = norm_number(match.group(1)), norm_number(match.group(2))
        if _looks_like_year_range(first, last):
            continue
        if first.isdigit() and last.isdigit() and len(last) < len(first):
            last = first[: len(first) - len(last)] + last  # "345-50" is 345-350
        starts.add(first)
        ends.add(last)
    for match in _PP.finditer(text_plain):
        starts.add(norm_number(match.group(1)))
    explicit = frozenset(starts)
    pairs = _volume_pages(text_plain)
    # "2001, 123, 345" (ACS) gives (2001, 123) too: a page that is another pair's volume is not one.
    pair_volumes = {volume for volume, _ in pairs}
    starts.update(page for volume, page in pairs if not (_is_year(volume) and page in pair_volumes))
    ends -= starts
    padded = f" {text} "
    folded = fold_name(text)
    return ParsedString(
        text=text,
        folded=folded,
        name_tokens=tuple(folded.split()[:40]),
        tokens=frozenset(tokens),
        abbreviation_tokens=tuple(tokens),
        content_words=tuple(content_words(tokens)),
        years=frozenset(int(y) for y in _YEAR.findall(text_plain)),
        numbers=numbers,
        range_starts=frozenset(starts),
        explicit_starts=explicit,
        range_ends=frozenset(ends),
        volume_pages=pairs,
        volume_issues=frozenset(
            (norm_number(m.group(1)), norm_number(m.group(2))) for m in _VOLUME_ISSUE.finditer(text_plain)
        ),
        parts=part_numbers(text),
        names_book=bool(_IN_BOOK.search(text_plain)),
        dois=dois,
        says_notice=any(f" {w}" in padded for w in NOTICE_WORDS),
        cites_notice=next((m.group(1) for m in _CITES_NOTICE.finditer(text_plain)), ""),
        says_preprint=any(f" {w}" in padded for w in PREPRINT_WORDS),
        shows_journal_numbering=bool(pairs) or bool(_JOURNAL_NUMBERING.search(text_plain)),
    )


_DASH_RUN = re.compile(r"\s*-[-\s]*")
# "12(3)", "12 (3):", "75(13), 1195": a volume and its issue (not "(2001)", a year).
_VOLUME_ISSUE = re.compile(r"(?<![\w.])(\d{1,5})\s*\(\s*(\d{1,3})\s*\)")
_PART = re.compile(r"\bpart\s+([ivx]{1,5}|\d{1,2})\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


def part_numbers(normalized: str) -> frozenset[str]:
    """Which parts a normalised text names: "... Part II" and "part 2" both give {"2"}."""
    if "part " not in normalized:
        return frozenset()
    return frozenset(str(_ROMAN.get(m.group(1), m.group(1))) for m in _PART.finditer(normalized))


def series_part(normalized_title: str) -> frozenset[str]:
    """Which part of a series of papers a title is: "... Part II" as `part_numbers` reads it, or a
    title ending with a Roman numeral ("Studies of hot electron relaxation III") gives {"3"}."""
    parts = part_numbers(normalized_title)
    if parts:
        return parts
    last = normalized_title.rsplit(" ", 1)[-1]
    return frozenset((str(_ROMAN[last]),)) if last in _ROMAN and last != "i" and " " in normalized_title else frozenset()


def names_part(tokens: frozenset[str], part: str) -> bool:
    """The string writes this part's number, in Roman or Arabic figures."""
    return part in tokens or _ROMAN_OF.get(part, "") in tokens


_ROMAN_OF = {str(number): roman for roman, number in _ROMAN.items()}


def _looks_like_year_range(first: str, last: str) -> bool:
    return (
        first.isdigit() and last.isdigit() and len(first) == 4 and first[:2] in ("19", "20")
        and (len(last) == 4 and last[:2] in ("19", "20") or len(last) == 2)
    )


def _is_year(value: str) -> bool:
    return len(value) == 4 and value.isdigit() and value[:2] in ("16", "17", "18", "19", "20")


def _volume_pages(text_plain: str) -> tuple[tuple[str, str], ...]:
    """(volume, first page) pairs, most plausible first, at most MAX_VOLUME_PAGES."""
    found: list[tuple[str, str]] = []
    for pattern in (_VOL_PP, _VOLUME_YEAR_PAGE, _VOLUME_PAGE):
        for match in pattern.finditer(text_plain):
            if _ISSUE_BEFORE.search(text_plain, max(0, match.start(1) - 8), match.start(1)):
                continue  # "no. 06 (2016): 533" (Chicago): an issue, not a volume
            volume, page = norm_number(match.group(1)), norm_number(match.groups()[-1])
            if volume and page and (volume, page) not in found:
                found.append((volume, page))
    # "2001, 123, 345" also yields (2001, 123): a year as volume is the least plausible reading.
    found.sort(key=_is_year_pair)
    return tuple(found[: weights.MAX_VOLUME_PAGES])


def _is_year_pair(pair: tuple[str, str]) -> bool:
    return _is_year(pair[0])


def name_in(folded_text: str, folded_name: str) -> bool:
    """Whole-word presence of a (possibly multi-word) folded name in folded text."""
    return bool(folded_name) and f" {folded_name} " in f" {folded_text} "
