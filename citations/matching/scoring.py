"""Per-field agreement between one reference and one candidate work, and their weighted sum.

Each field's agreement is in -1..1 (see `weights`). A field the reference gives as a structured
element is compared with the work's field directly; otherwise the work's field is looked for
*in* the unstructured string, whatever its style. The reference is analysed once per `match`
call (`ReferenceView`), each work once per process (`work_features`).
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from citations.matching import weights
from citations.matching.abbrev import abbreviates, abbreviation_in, is_abbreviation, run_end
from citations.matching.features import BOOK_TYPES, WorkFeatures, title_content_words
from citations.matching.parse import ParsedString, name_in, names_part, parse_string, series_part
from citations.matching.records import Method, ReferenceQuery, WorkRecord
from citations.matching.text import (
    NOISE_WORDS,
    NOTICE_WORDS,
    PREPRINT_WORDS,
    STOPWORDS,
    content_words,
    fold_name,
    norm_isbn,
    norm_issn,
    norm_number,
    normalize,
    normalize_doi,
    plain,
)

FIELDS = ("title", "author", "year", "container", "volume", "page", "issue", "identifier")
_YEAR_IN_FIELD = re.compile(r"(1[6-9]\d\d|20\d\d)")


@dataclass(frozen=True)
class ReferenceView:
    """A reference analysed once: its method, DOIs, structured fields normalised, parsed string."""

    method: Method
    dois: tuple[str, ...]
    string: ParsedString | None
    string_compact: str
    title: str  # structured article_title (or volume_title for a whole book), normalised
    title_words: frozenset[str]
    title_info: float
    title_parts: frozenset[str]  # "Part II" of a series of papers: {"2"}
    containers: tuple[str, ...]  # structured journal/book/series titles, normalised
    author: str  # structured author, normalised and name-folded
    author_tokens: tuple[str, ...]
    year: int | None
    volume: str
    issue: str
    first_page: str
    issn: str
    isbn: str
    says_notice: bool
    names_journal: bool  # a journal, volume or pages named: never a preprint
    # A book title given without an article title (`volume_title` alone) names the cited book, or
    # the book or proceedings a cited chapter/paper is in: this view reads it as that container,
    # for candidates that are no book.
    in_book: "ReferenceView | None" = None

    @property
    def has_fields(self) -> bool:
        return bool(
            self.title or self.containers or self.author or self.year or self.volume or self.first_page
            or self.issn or self.isbn
        )


@functools.lru_cache(maxsize=4096)  # asked again for a reference matched at its place, then by text
def view_reference(ref: ReferenceQuery) -> ReferenceView:
    string = parse_string(ref.unstructured) if ref.unstructured and ref.unstructured.strip() else None
    dois: list[str] = []
    given = normalize_doi(ref.doi)
    if given:
        dois.append(given)
    for doi in string.dois if string else ():
        if doi not in dois:
            dois.append(doi)
    article_title = normalize(ref.article_title)
    book_title = normalize(ref.volume_title)
    title = article_title or book_title
    containers = [normalize(ref.journal_title), normalize(ref.series_title)]
    if article_title:  # a chapter: the book is its container
        containers.append(book_title)
    containers = tuple(c[4:] if c.startswith("the ") else c for c in containers if c)
    author = fold_name(normalize(ref.author))
    year_match = _YEAR_IN_FIELD.search(ref.year or "")
    has_structured = bool(
        title or containers or author or ref.volume or ref.first_page or ref.issn or ref.isbn or year_match
    )
    if dois:
        method: Method = "publisher-doi"
    elif has_structured and string is None:
        method = "structured"
    else:
        method = "unstructured"
    volume, issue, first_page = norm_number(ref.volume), norm_number(ref.issue), _first_page(ref.first_page)
    says_preprint = bool(string and string.says_preprint)
    journal = normalize(ref.journal_title)
    server = bool(journal) and any(f" {word} " in f" {journal} " for word in PREPRINT_WORDS)  # "Research Square"
    names_journal = bool((journal and not server) or volume or first_page or issue) or bool(
        string and string.shows_journal_numbering and not says_preprint
    )
    view = ReferenceView(
        method=method,
        dois=tuple(dois),
        string=string,
        string_compact=string.text.replace(" ", "") if string else "",
        title=title,
        title_words=frozenset(title.split()),
        title_info=min(1.0, len(content_words(title.split())) / weights.TITLE_INFORMATIVE_WORDS),
        title_parts=series_part(title),
        containers=containers,
        author=author,
        author_tokens=tuple(author.split()),
        year=int(year_match.group(1)) if year_match else None,
        volume=volume,
        issue=issue,
        first_page=first_page,
        issn=norm_issn(ref.issn),
        isbn=norm_isbn(ref.isbn),
        says_notice=bool(string and string.says_notice) or title.startswith(NOTICE_WORDS),
        names_journal=names_journal,
    )
    if book_title and not article_title:
        in_book = dataclasses.replace(
            view, title="", title_words=frozenset(), title_info=0.0, title_parts=frozenset(),
            containers=tuple(dict.fromkeys((*containers, book_title[4:] if book_title.startswith("the ") else book_title))),
        )
        view = dataclasses.replace(view, in_book=in_book)
    return view


def _first_page(value: str) -> str:
    """ "1195-1202" -> "1195"; "e12769" stays."""
    text = plain(value or "").strip()
    text = re.split(r"\s*[-\u2013,]\s*", text, maxsplit=1)[0] if text else ""
    return norm_number(text)


@dataclass(frozen=True)
class Agreements:
    """One candidate's agreement per field, its title similarity, and the weighted score."""

    fields: dict[str, float]
    title_sim: float
    title_info: float  # 0..1, the title's informativeness (a one-word title is weak evidence)
    raw: float  # weighted sum / SCORE_SCALE, unclipped (margins are taken on this)
    # What `other_words` reads: counted only when a gate asks (most candidates never need it).
    string: ParsedString | None = dataclasses.field(default=None, repr=False, compare=False)
    work: WorkFeatures | None = dataclasses.field(default=None, repr=False, compare=False)

    @functools.cached_property
    def other_words(self) -> int:
        """Unstructured: content words that are none of the work's (names it lacks, another title)."""
        if self.string is None or self.work is None:
            return 0
        return len(other_words(self.string, self.work))

    @property
    def score(self) -> float:
        return min(1.0, max(0.0, self.raw))

    def agrees(self, name: str, at_least: float = weights.FIELD_AGREES) -> bool:
        return self.fields.get(name, 0.0) >= at_least

    def agreed(self) -> tuple[str, ...]:
        names = []
        for name in FIELDS:
            if self.agrees(name):
                names.append("container" if name == "identifier" else name)
        return tuple(dict.fromkeys(names))

    def contradicted(self) -> tuple[str, ...]:
        return tuple(name for name in FIELDS if self.fields.get(name, 0.0) < 0)


def agreements(view: ReferenceView, work: WorkFeatures) -> Agreements:
    if view.in_book is not None and not work.is_book:
        view = view.in_book  # the book title is this chapter's or paper's container, not its title
    title, title_sim = title_agreement(view, work)
    title_info = min(view.title_info, work.title_info) if view.title else work.title_info
    fields = {
        "title": title,
        "author": author_agreement(view, work),
        "year": year_agreement(view, work),
        "container": container_agreement(view, work),
        "volume": volume_agreement(view, work),
        "page": page_agreement(view, work),
        "issue": 0.0,
        "identifier": identifier_agreement(view, work),
    }
    fields["issue"] = issue_agreement(view, work) if fields["volume"] > 0 else 0.0
    total = 0.0
    for name, value in fields.items():
        total += value * (weights.WEIGHTS[name] if value >= 0 else weights.CONTRADICTION_WEIGHTS[name])
    return Agreements(fields=fields, title_sim=title_sim, title_info=title_info, raw=total / weights.SCORE_SCALE,
                      string=view.string if not view.title else None, work=work)


# --- A cheap upper bound ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Numbers:
    """The numeric fields of a work, as `WorkFeatures` has them (what the bound reads)."""

    year: int | None
    volume: str
    issue: str
    first_page: str
    last_page: str


@functools.lru_cache(maxsize=65_536)
def _numbers(year: int | None, volume: str, issue: str, first_page: str, last_page: str) -> _Numbers:
    return _Numbers(year, norm_number(volume), norm_number(issue), norm_number(first_page), norm_number(last_page))


_OPEN_FIELDS = weights.WEIGHTS["author"] + weights.WEIGHTS["container"]


def score_bound(view: ReferenceView, work: WorkRecord) -> float:
    """An upper bound of `agreements(view, work_features(work)).raw`, from the work's numbers only.

    Year, volume, issue and pages are compared exactly (they are cheap); author and container
    are assumed to agree fully, and an ISSN/ISBN too when the reference gives one. The title
    agrees at most as much as its informative words allow, and not at all when the reference
    has too few of them (`title_agreement`'s prefilter): a candidate found by its journal's or
    its authors' words alone is seldom scored. The matcher scores exactly only the candidates
    whose bound could still compete.
    """
    if view.in_book is not None:
        view = view.in_book if work.type not in BOOK_TYPES else view
    numbers = _numbers(work.year, work.volume, work.issue, work.first_page, work.last_page)
    total = _OPEN_FIELDS + (weights.WEIGHTS["identifier"] if view.issn or view.isbn else 0.0)
    total += weights.WEIGHTS["title"] * _title_bound(view, work)
    volume = volume_agreement(view, numbers)
    for name, value in (
        ("year", year_agreement(view, numbers)), ("volume", volume), ("page", page_agreement(view, numbers)),
        ("issue", issue_agreement(view, numbers) if volume > 0 else 0.0),
    ):
        total += value * (weights.WEIGHTS[name] if value >= 0 else weights.CONTRADICTION_WEIGHTS[name])
    return total / weights.SCORE_SCALE


# `_title_bound` holds only while the prefilter's similarity stays under the ramp's floor.
assert weights.TITLE_PREFILTER_MIN_SHARE * weights.TITLE_PREFILTER_DISCOUNT <= weights.TITLE_SIM_FLOOR


def _title_bound(view: ReferenceView, work: WorkRecord) -> float:
    """An upper bound of `title_agreement(view, work_features(work))[0]`, from the title's words."""
    if not work.title:
        return 0.0
    title_words = title_content_words(work.title)
    info = min(1.0, len(title_words) / weights.TITLE_INFORMATIVE_WORDS)
    if view.title:
        words, info = view.title_words, min(view.title_info, info)
    elif view.string is not None:
        words = view.string.tokens
    else:
        return 0.0
    if title_words and len(title_words & words) / len(title_words) < weights.TITLE_PREFILTER_MIN_SHARE:
        return 0.0  # the similarity is then at most the prefilter's discount, under the ramp's floor
    return info


# --- Title ---------------------------------------------------------------------------------

def _ramp(sim: float) -> float:
    low, high = weights.TITLE_SIM_FLOOR, weights.TITLE_SIM_FULL
    return 0.0 if sim <= low else 1.0 if sim >= high else ((sim - low) / (high - low)) ** weights.TITLE_RAMP_POWER


def title_agreement(view: ReferenceView, work: WorkFeatures, *, others: int | None = None) -> tuple[float, float]:
    """(agreement, similarity). Similarity is 0..1 before the ramp and informativeness.

    `others`: how many `other_words` the string has for this work, when the caller counted them.
    """
    if not work.title:
        return 0.0, 0.0
    if view.title:
        share = _shared_words(view.title_words, work)
        if share < weights.TITLE_PREFILTER_MIN_SHARE:
            sim = share * weights.TITLE_PREFILTER_DISCOUNT
        else:
            sim = title_similarity(view.title, work, view.title_words)
        info = min(view.title_info, work.title_info)
        if sim < weights.TITLE_UNRELATED_SIM and info >= weights.GATE_TITLE_INFO:
            return -1.0, sim
        if view.title_parts and view.title_parts != work.title_parts:
            return -1.0, sim  # "... Part II" is not "..." nor its Part I
        return _ramp(sim) * info, sim
    if view.string is not None:
        string = view.string
        share = _shared_words(string.tokens, work)
        if share < weights.TITLE_PREFILTER_MIN_SHARE:
            sim = share * weights.TITLE_PREFILTER_DISCOUNT
        else:
            sim = title_in_string(string.text, work, string.tokens)
        if string.parts and not string.parts <= (work.title_parts | work.container_parts):
            return -1.0, sim  # the string cites another part of a series of papers
        if sim >= weights.GATE_PARTIAL_TITLE_SIM and any(not names_part(string.tokens, part) for part in work.title_parts):
            return -1.0, sim  # the string has the title of a part of a series, without naming that part
        if "part" in string.tokens and "part" not in work.own_words:
            return -1.0, sim  # "... Part" (cut before its number): a part of a series this work is not
        if sim < weights.GATE_PARTIAL_TITLE_SIM and work.title_info >= weights.GATE_TITLE_INFO and not string.names_book:
            # (A chapter's string names its book, editors and publisher: words that are no title.)
            if (len(other_words(string, work)) if others is None else others) >= weights.OTHER_TITLE_WORDS:
                return -1.0, sim  # the string has a title, and it is not this work's
        return _ramp(sim) * work.title_info, sim
    return 0.0, 0.0


def other_words(string: ParsedString, work: WorkFeatures) -> list[str]:
    """The string's content words that are none of the work's: neither its title, its authors'
    names nor its container's words or their abbreviations. Several of them, and no title of the
    work's in the string: the string names another work."""
    own = work.own_words
    found = []
    for word, folded in _other_word_candidates(string.content_words):
        if word in own or folded in own or _abbreviates_container(word, work):
            continue
        found.append(word)
    return found


@functools.lru_cache(maxsize=4096)
def _other_word_candidates(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The words of a string `other_words` looks at (3 letters or more, no noise), with their name fold.

    Worked out once per string rather than once per candidate work."""
    return tuple((word, fold_name(word)) for word in words if len(word) >= 3 and word not in NOISE_WORDS)


def _shared_words(words: frozenset[str], work: WorkFeatures) -> float:
    """Share of the work's title content words that the reference contains (1.0 when it has none)."""
    if not work.title_words:
        return 1.0
    return len(work.title_words & words) / len(work.title_words)


def _omits_subtitle(words: frozenset[str], work: WorkFeatures) -> bool:
    """The reference gives the main title alone (it does not carry another subtitle instead)."""
    if not work.main_title:
        return False
    if not work.subtitle_words:
        return True
    return len(work.subtitle_words & words) / len(work.subtitle_words) < 0.5


def title_similarity(title: str, work: WorkFeatures, words: frozenset[str]) -> float:
    """A structured title against the work's: whole, main title only, or one cut short."""
    sim = fuzz.ratio(title, work.title) / 100
    if _omits_subtitle(words, work):
        sim = max(sim, fuzz.ratio(title, work.main_title) / 100 * weights.MAIN_TITLE_FACTOR)
    shorter, longer = sorted((len(title), len(work.title)))
    if longer and shorter / longer >= 0.5:
        sim = max(sim, fuzz.partial_ratio(title, work.title) / 100 * weights.MAIN_TITLE_FACTOR)
    return sim


def title_in_string(text: str, work: WorkFeatures, words: frozenset[str]) -> float:
    """How well the work's title occurs somewhere in the reference string (0..1)."""
    sim = _occurrence(work.title, text)
    if sim < weights.TITLE_SIM_FULL and _omits_subtitle(words, work):
        main = _occurrence(work.main_title, text) * weights.MAIN_TITLE_FACTOR
        if main > sim and not _another_subtitle(text, work):
            sim = main
    return sim


def _another_subtitle(text: str, work: WorkFeatures) -> bool:
    """The string follows the work's main title with a subtitle of its own: of the first content
    words after it, most are none of the work's ("Paleoclimate in the Yangtze River: a hydrological
    modelling approach" is not "...: a long-term monitoring approach"). A string citing the main
    title alone goes on with the journal, the year or the pages, which are the work's own."""
    found = fuzz.partial_ratio_alignment(work.main_title, text, score_cutoff=50)
    if found is None:
        return False
    following = []
    for word in text[found.dest_end:].split():
        if word.isdigit() or len(following) == weights.SUBTITLE_WORDS_LOOKED_AT:
            break  # the numbers of the journal (or the year) come after any subtitle
        if word in content_words([word]):
            following.append(word)
    others = [word for word in following if not _own_word(word, work)]
    return len(others) >= weights.OTHER_SUBTITLE_WORDS


def _own_word(word: str, work: WorkFeatures) -> bool:
    """One of the work's words (title, names, container) or an abbreviation of its container's."""
    return word in work.own_words or fold_name(word) in work.own_words or _abbreviates_container(word, work)


def _abbreviates_container(word: str, work: WorkFeatures) -> bool:
    first = word[0]
    return first in work.container_initials and any(
        full[0] == first and abbreviates(word, full) for full in work.container_word_list
    )


def _occurrence(needle: str, text: str) -> float:
    if not needle or not text:
        return 0.0
    sim = fuzz.partial_ratio(needle, text, score_cutoff=50) / 100
    if len(needle) > len(text):  # the string is shorter than the title: only part of it can be there
        sim *= len(text) / len(needle)
    return sim


# --- Author --------------------------------------------------------------------------------

def author_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if not work.authors:
        return 0.0
    if view.author:
        found = _names_found(view.author, view.author_tokens, work)
        return found if found > 0 else -1.0
    if view.string is not None:
        return _names_found(view.string.folded, view.string.name_tokens, work)
    return 0.0


def _names_found(folded_text: str, tokens, work: WorkFeatures) -> float:
    first = work.authors[0]
    if name_in(folded_text, first):
        return 1.0
    if " " in first:  # "van der berg" cited as "Berg", "ben abdallah" as "Abdallah"
        last_word = first.rsplit(" ", 1)[1]
        if len(last_word) >= 4 and name_in(folded_text, last_word):
            return 0.8
    if any(name_in(folded_text, other) for other in work.authors[1:6] if len(other) >= 3):
        return weights.AUTHOR_OTHER_AGREEMENT
    if len(first) >= weights.AUTHOR_FUZZY_MIN_LENGTH and tokens:
        # OCR damage keeps a name's length and usually its first letter: compare only those tokens.
        by_length = _tokens_by_length(tokens)  # (each candidate asks: grouped once per string)
        near = [
            t for length in range(len(first) - 2, len(first) + 3) for t in by_length.get(length, ())
            if t[0] == first[0] or t[-1] == first[-1]
        ]
        if near and process.extractOne(
            first, near, scorer=Levenshtein.normalized_similarity, score_cutoff=weights.AUTHOR_FUZZY_MIN
        ) is not None:
            return weights.AUTHOR_FUZZY_AGREEMENT
    return 0.0


@functools.lru_cache(maxsize=4096)
def _tokens_by_length(tokens: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """A string's name tokens by length, for the OCR comparison (lengths within 2 of a name's)."""
    grouped: dict[int, list[str]] = {}
    for token in tokens:
        grouped.setdefault(len(token), []).append(token)
    return {length: tuple(group) for length, group in grouped.items()}


# --- Year, volume, issue, pages ------------------------------------------------------------

def year_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if work.year is None:
        return 0.0
    years = {view.year} if view.year else (view.string.years if view.string is not None else ())
    if not years:
        return 0.0
    if work.year in years:
        return 1.0
    if any(abs(year - work.year) <= weights.YEAR_TOLERANCE for year in years):
        return 0.5
    return -1.0


def volume_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if not work.volume:
        return 0.0
    if view.volume:
        return 1.0 if view.volume == work.volume else -1.0
    if view.string is not None:
        # Where the string writes a volume with its page or issue ("12, 345", "12(3)"), that is the volume.
        written = {v for v, _ in view.string.volume_pages if not (len(v) == 4 and v[:2] in ("19", "20"))}
        written.update(v for v, _ in view.string.volume_issues)
        if written:
            return 1.0 if work.volume in written else -1.0
        if work.volume in view.string.numbers:
            return 1.0
    return 0.0


def issue_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if not work.issue:
        return 0.0
    if view.issue:
        return 1.0 if view.issue == work.issue else 0.0
    if view.string is not None:
        written = {issue for volume, issue in view.string.volume_issues if volume == work.volume}
        if written:  # "12(3)": the reference says which issue of this volume
            return 1.0 if work.issue in written else -1.0
        if work.issue in view.string.numbers and not _numbering_only(view.string, work):
            return 1.0
    return 0.0


def _numbering_only(string: ParsedString, work: WorkFeatures) -> bool:
    """The string's number equal to the work's issue is its volume or a page instead ("12, 345" for
    volume 12, issue 12): no evidence of the issue unless the string writes that number once more."""
    issue = work.issue
    pages = string.range_starts | string.range_ends | string.explicit_starts
    if issue not in (work.volume, work.first_page, work.last_page) and issue not in pages and not any(
        issue in pair for pair in string.volume_pages
    ):
        return False
    return f" {string.text} ".count(f" {issue} ") < 2


def page_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if not work.first_page:
        return 0.0
    if view.first_page:
        if view.first_page == work.first_page:
            return 1.0
        return 0.0 if near_page(view.first_page, work.first_page) else -1.0
    string = view.string
    if string is None:
        return 0.0
    if work.first_page in string.explicit_starts:
        return 1.0
    if string.explicit_starts:  # "pp. 345-350" says where the cited work starts
        if work.first_page in string.range_ends:
            return -1.0
        if work.last_page and work.last_page in string.range_ends:
            return weights.PAGE_LAST_AGREEMENT  # a typo in the first page, the last page agrees
        if any(near_page(page, work.first_page) for page in string.explicit_starts) and not _last_page_differs(string, work):
            return 0.0  # one digit off: a typo, no evidence either way
        return -1.0
    if work.first_page in string.range_starts:
        return 1.0
    if work.first_page in string.range_ends:  # the cited article *ends* where this one starts
        return -1.0
    if work.first_page in string.numbers:
        return weights.PAGE_ELSEWHERE_AGREEMENT
    if work.last_page and work.last_page in string.range_ends:
        return weights.PAGE_LAST_AGREEMENT  # a typo in the first page, the last page agrees
    return -1.0 if string.shows_pages else 0.0


def _last_page_differs(string: ParsedString, work: WorkFeatures) -> bool:
    """The string's page range ends elsewhere than the work, and not by a typo either: with its
    first page off as well, the range is another article's ("814-831" is not 816-823)."""
    if not work.last_page or not string.range_ends:
        return False
    return not any(end == work.last_page or near_page(end, work.last_page) for end in string.range_ends)


def near_page(given: str, registered: str) -> bool:
    """One digit wrong (or two swapped) in a page of three or more characters: a typo."""
    if len(given) != len(registered) or len(given) < 3 or given == registered:
        return False
    diff = [i for i, (a, b) in enumerate(zip(given, registered)) if a != b]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and given[diff[0]] == registered[diff[1]] and given[diff[1]] == registered[diff[0]]


# --- Container and identifiers -------------------------------------------------------------

def container_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if not work.containers:
        return 0.0
    if view.containers:
        best = max(container_similarity(given, work) for given in view.containers)
        if best < weights.CONTAINER_CONTRADICTS_BELOW and view.containers[0] and not work.is_book:
            return -1.0
        return best if best >= 0.8 else 0.0
    if view.string is not None:
        return _container_in_string(view, work)
    return 0.0


def container_similarity(given: str, work: WorkFeatures) -> float:
    """A structured journal/book title against the work's container (abbreviations allowed)."""
    if given in work.containers:
        return 1.0
    return _container_similarity(given, work.containers)


@functools.lru_cache(maxsize=131_072)
def _container_similarity(given: str, containers: tuple[str, ...]) -> float:
    compact = given.replace(" ", "")
    if any(compact == variant.replace(" ", "") for variant in containers):
        return 1.0
    if is_abbreviation(given, containers[0]) or is_abbreviation(containers[0], given):
        return weights.CONTAINER_ABBREVIATION_AGREEMENT
    if _abbreviates_start(given, containers[0]) or _abbreviates_start(containers[0], given):
        return weights.CONTAINER_PARTIAL_SIMILARITY  # "Proc Natl Acad Sci USA" for "... Sciences": no contradiction
    return max(fuzz.token_sort_ratio(given, variant) / 100 for variant in containers) * weights.CONTAINER_FUZZY_FACTOR


def _abbreviates_start(short: str, full: str) -> bool:
    """The start of `short` abbreviates all of `full` (two words or more), words left over."""
    words = full.split()
    return len([w for w in words if w not in STOPWORDS]) >= 2 and run_end(short.split(), 0, words) > 0


def _container_in_string(view: ReferenceView, work: WorkFeatures) -> float:
    text = view.string.text
    for variant in work.containers:
        if name_in(text, variant):
            return 1.0
    for compact in work.container_compacts:
        if compact in view.string_compact:
            return 0.9
    if abbreviation_in(view.string.abbreviation_tokens, work.containers[0]):
        return weights.CONTAINER_ABBREVIATION_AGREEMENT
    for variant in work.containers:
        if len(variant) >= weights.CONTAINER_FUZZY_MIN_LENGTH:
            sim = fuzz.partial_ratio(variant, text, score_cutoff=weights.CONTAINER_FUZZY_MIN * 100) / 100
            if sim:
                return 0.8
    return 0.0


def identifier_agreement(view: ReferenceView, work: WorkFeatures) -> float:
    if view.issn and work.issns:
        return 1.0 if view.issn in work.issns else -1.0
    if view.isbn and work.isbns:
        return 1.0 if view.isbn in work.isbns else 0.0  # a book has ISBNs per format: no penalty
    return 0.0
