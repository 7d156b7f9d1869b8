"""The synthetic registry: journals, books, proceedings and their works as Crossref REST objects.

It has the shapes that make matching hard in the real registry: common surnames, productive
authors, issue neighbours with nearby pages, "Part I"/"Part II" series, titles that differ by
one word, errata in the same journal, preprint copies of articles, non-English titles, series
book chapters whose container is "Lecture Notes in ...". A held-out pool is generated the same
way and never written, so references to it have no right answer in the registry.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pyiso4.ltwa import Abbreviate
from stdnum import ean
from stdnum import isbn as isbn_number
from stdnum import issn as issn_number

from bench.matching import vocabulary as vocab
from bench.matching.people import People, Person

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "under", "using", "with", "its", "der", "die", "la", "les", "de", "des", "en", "et", "y", "da", "na", "em"}

# Kinds of work, as the truth file and the report name them.
PLAIN = "article"
HAS_PREPRINT = "article-with-preprint"
PREPRINT = "preprint-copy"
ERRATUM = "erratum"
HAS_ERRATUM = "article-with-erratum"
SERIES_PART = "series-part"
NEAR_DUPLICATE = "near-duplicate-title"
FOREIGN = "non-english"
CHAPTER = "book-chapter"
BOOK = "book"
PROCEEDINGS = "proceedings-article"
REAL = "real-record"
NEAR_MISS = "near-miss"


@dataclass
class Journal:
    title: str
    abbrev: str  # ISO-4 abbreviation, which references use whether or not the registry has it
    abbrev_registered: bool
    issns: tuple[str, ...]
    publisher: str
    prefix: str
    code: str  # short code used in DOI suffixes
    field: str
    start_year: int
    issues_per_year: int
    article_numbers: bool  # eLocators ("045123") instead of page ranges
    title_case: bool
    language: str = "en"
    doi_pattern: str = "generic"


@dataclass(eq=False)
class Work:
    """A work: its REST object and what the benchmark knows about it besides."""

    rest: dict
    kind: str
    field: str = ""
    abbrev: str = ""  # the container's ISO-4 abbreviation, for rendering
    related: str = ""  # DOI of the original (erratum, preprint copy, near-duplicate, near-miss)
    journal: Journal | None = None

    @property
    def doi(self) -> str:
        return self.rest["DOI"]


@dataclass
class Corpus:
    registry: list[Work]
    heldout: list[Work]
    journals: list[Journal]
    people: People
    dois: set[str] = field(default_factory=set)


class Builder:
    """Builds a corpus of about `size` works plus `heldout` works that stay out of the registry."""

    def __init__(self, *, seed: int, size: int, heldout: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.size = size
        self.heldout_size = heldout
        self.people = People(self.rng, max(300, (size + heldout) // 2), seed)
        self.abbreviate = _abbreviate
        self.dois: set[str] = set()
        self.works: list[Work] = []
        self.publisher_prefix: dict[str, str] = {}
        self.counter = 0
        self.next_page: dict[tuple[str, str], int] = {}  # (journal, volume): where its next issue starts
        self.taken: set[tuple[str, str, str]] = set()  # (journal, volume, first page) of the articles made

    # --- the whole corpus -----------------------------------------------------------------

    def build(self, real: list[Work]) -> Corpus:
        total = self.size + self.heldout_size - len(real)
        budget = {
            BOOK: int(total * 0.02),
            CHAPTER: int(total * 0.06),
            PROCEEDINGS: int(total * 0.08),
        }
        # Preprint copies and errata are made alongside their articles; leave room for them.
        budget[PLAIN] = total - sum(budget.values()) - int(total * 0.055)
        journals = self.journals(budget[PLAIN])
        self.journal_articles(journals, budget[PLAIN])
        self.books(budget[BOOK], budget[CHAPTER])
        self.proceedings(budget[PROCEEDINGS])
        for work in real:
            self.dois.add(work.doi.lower())
        heldout = self.pick_heldout()
        kept_out = {id(work) for work in heldout}
        registry = [work for work in self.works if id(work) not in kept_out] + real
        # Trim or top up (with plain articles of the biggest journal) to the exact size.
        while len(registry) < self.size:
            registry.extend(self.issue_of(journals[0], 2030 + self.counter % 50, 20))
        excess = len(registry) - self.size
        if excess > 0:
            removable = {id(w) for w in self.rng.sample([w for w in registry if w.kind == PLAIN], excess)}
            registry = [w for w in registry if id(w) not in removable]
        self.rng.shuffle(registry)
        return Corpus(registry=registry, heldout=heldout, journals=journals, people=self.people, dois=self.dois)

    def pick_heldout(self) -> list[Work]:
        kinds = (PLAIN, FOREIGN, CHAPTER, PROCEEDINGS, BOOK)
        candidates = [work for work in self.works if work.kind in kinds]
        chosen = self.rng.sample(candidates, min(self.heldout_size, len(candidates)))
        return chosen

    # --- journals and their articles -------------------------------------------------------

    def journals(self, articles: int) -> list[Journal]:
        count = max(12, min(600, articles // 150))
        journals, titles = [], set()
        fields = list(vocab.FIELDS)
        while len(journals) < count:
            field_name = fields[len(journals) % len(fields)]
            words = vocab.FIELDS[field_name]
            template = self.rng.choice(vocab.JOURNAL_TEMPLATES)
            subject = self.rng.choice(words["journal_words"])
            if self.rng.random() < 0.3:
                subject = self.rng.choice(words["topics"]).capitalize().title()
            title = template.format(J=subject, M=self.rng.choice(vocab.JOURNAL_MODIFIERS))
            if self.rng.random() < 0.12:
                title += ", " + self.rng.choice(("Part A", "Part B", "Section C", "Series II"))
            if title in titles:
                continue
            titles.add(title)
            publisher = self.rng.choice(vocab.PUBLISHERS)
            language = "en"
            if self.rng.random() < 0.05:
                language = self.rng.choice(list(vocab.FOREIGN_TITLES))
            journals.append(
                Journal(
                    title=title,
                    abbrev=self.abbreviate(title, remove_part=True),
                    abbrev_registered=self.rng.random() < 0.6,
                    issns=self.issns(),
                    publisher=publisher,
                    prefix=self.prefix_of(publisher),
                    code=_code(title),
                    field=field_name,
                    start_year=self.rng.randint(1990, 2016),
                    issues_per_year=self.rng.choice((1, 2, 4, 4, 6, 6, 12, 12, 24)),
                    article_numbers=self.rng.random() < 0.15,
                    title_case=self.rng.random() < 0.4,
                    language=language,
                    doi_pattern=self.rng.choice(("generic", "elsevier", "springer", "aps", "wiley")),
                )
            )
        return journals

    def journal_articles(self, journals: list[Journal], budget: int) -> None:
        # Journal sizes are skewed: a few big journals, many small ones.
        weights = [self.rng.lognormvariate(0, 1.0) for _ in journals]
        total_weight = sum(weights)
        made = 0
        for journal, weight in zip(journals, weights):
            share = max(3, round(budget * weight / total_weight))
            share = min(share, budget - made)
            if share <= 0:
                break
            made += self.fill_journal(journal, share)
        if made < budget:  # rounding: the rest goes to the first journal's later volumes
            self.fill_journal(journals[0], budget - made, first_year=2026)

    def fill_journal(self, journal: Journal, count: int, first_year: int | None = None) -> int:
        start = first_year or journal.start_year
        years = max(1, 2025 - start)
        per_issue = max(3, min(60, round(count / (years * journal.issues_per_year))))
        made, year, pending_errata = 0, start, []
        while made < count:
            for issue in range(1, journal.issues_per_year + 1):
                if made >= count:
                    break
                size = min(count - made, max(1, per_issue + self.rng.randint(-2, 2)))
                articles = self.issue_of(journal, year, size, issue=issue, errata=pending_errata)
                made += sum(1 for work in articles if work.kind not in (PREPRINT, ERRATUM))
            year += 1
        if pending_errata:  # errata of the last issue appear in an issue of their own
            self.issue_of(journal, year, 0, errata=pending_errata)
        return made

    def issue_of(self, journal: Journal, year: int, size: int, *, issue: int = 1, errata=None) -> list[Work]:
        """The works of one issue: `size` articles, plus errata due from earlier issues."""
        volume = str(year - journal.start_year + 1)
        month = min(12, 1 + (issue - 1) * 12 // max(journal.issues_per_year, 1))
        # Pagination runs on through a volume's issues (an issue starts after the one before), and
        # article numbers too: one volume's first page, or article number, is one article's, as in
        # real journals. (Issues that each restarted at a random page overlapped one another, so
        # journal, volume, first page and year named several articles and no reference could say which.)
        place = (journal.title, volume)
        page = self.next_page.get(place, 0 if journal.article_numbers else 1)
        made: list[Work] = []
        position = 0
        plans: list[tuple[str, list[Person], str, str]] = []  # (kind, authors, title, related DOI)
        while len(plans) < size:
            roll = self.rng.random()
            authors = self.authors()
            title = self.title(journal.field, journal.language, journal.title_case)
            kind = FOREIGN if journal.language != "en" and self.rng.random() < 0.6 else PLAIN
            if kind == FOREIGN:
                title = self.foreign_title(journal.language)
            if roll < 0.015 and size - len(plans) >= 2:  # a series: Part I, Part II (, Part III)
                parts = min(size - len(plans), self.rng.choice((2, 2, 3)))
                base = self.title(journal.field, "en", journal.title_case)
                for number in range(1, parts + 1):
                    sub = self.title(journal.field, "en", journal.title_case)
                    plans.append((SERIES_PART, authors, _part_title(self.rng, base, number, sub), ""))
                continue
            plans.append((kind, authors, title, ""))
        for erratum in errata or ():
            plans.append(erratum)
        if errata is not None:
            errata.clear()
        for kind, authors, title, related in plans:
            position += 1
            first, last, page = self.pages(journal, page, position, kind)
            rest = self.rest_article(journal, year, month, volume, str(issue), first, last, authors, title)
            work = Work(rest=rest, kind=kind, field=journal.field, abbrev=journal.abbrev, related=related, journal=journal)
            made.append(work)
            if kind in (PLAIN, FOREIGN):
                self.maybe_relatives(work, errata)
        self.next_page[place] = page + position if journal.article_numbers else page
        self.taken.update((journal.title, volume, work.rest.get("page", "").split("-")[0]) for work in made)
        self.works.extend(made)
        return made

    def maybe_relatives(self, work: Work, errata) -> None:
        roll = self.rng.random()
        if roll < 0.05:
            work.kind = HAS_PREPRINT
            self.works.append(self.preprint_of(work))
        elif roll < 0.063 and errata is not None:
            work.kind = HAS_ERRATUM
            title = _erratum_title(self.rng, work)
            authors = [Person(a["family"], a.get("given", "")) for a in work.rest.get("author", [])]
            errata.append((ERRATUM, authors, title, work.doi))
        elif roll < 0.083:
            work.kind = NEAR_DUPLICATE
            twin = self.near_duplicate_of(work)
            self.works.append(twin)

    def preprint_of(self, work: Work) -> Work:
        publisher, prefix, server = self.rng.choice(vocab.PREPRINT_SERVERS)
        year = work.rest["issued"]["date-parts"][0][0] - self.rng.choice((0, 1, 1))
        doi = self.unique_doi(f"{prefix}/{year}.{self.rng.randint(1, 12):02d}.{self.rng.randint(10, 28)}.{self.rng.randint(100000, 999999)}")
        title = work.rest["title"][0]
        if self.rng.random() < 0.2:  # preprints are often retitled a little
            title = _swap_one_word(self.rng, title, vocab.FIELDS[work.field])
        rest = {
            "DOI": doi,
            "type": "posted-content",
            "subtype": "preprint",
            "title": [title],
            "author": work.rest.get("author", []),
            "issued": {"date-parts": [[year, self.rng.randint(1, 12), self.rng.randint(1, 28)]]},
            "publisher": publisher,
            "group-title": work.field.capitalize(),
            "institution": [{"name": server}],
            "URL": f"http://dx.doi.org/{doi}",
        }
        return Work(rest=rest, kind=PREPRINT, field=work.field, related=work.doi)

    def near_duplicate_of(self, work: Work) -> Work:
        """Another article, elsewhere, whose title differs from `work`'s by one word."""
        journal = work.journal
        title = _swap_one_word(self.rng, work.rest["title"][0], vocab.FIELDS[work.field])
        year = min(2025, work.rest["issued"]["date-parts"][0][0] + self.rng.randint(-3, 3))
        year = max(year, journal.start_year)
        volume = str(year - journal.start_year + 1)
        first, last, _ = self.pages(journal, self.rng.randint(1, 900), 1, PLAIN)
        while (journal.title, volume, first) in self.taken:  # another article's place
            first, last, _ = self.pages(journal, self.rng.randint(1, 900), 1, PLAIN)
        self.taken.add((journal.title, volume, first))
        authors = self.authors() if self.rng.random() < 0.6 else [Person(a["family"], a.get("given", "")) for a in work.rest.get("author", [])]
        rest = self.rest_article(journal, year, self.rng.randint(1, 12), volume, str(self.rng.randint(1, journal.issues_per_year)), first, last, authors, title)
        return Work(rest=rest, kind=NEAR_DUPLICATE, field=work.field, abbrev=journal.abbrev, related=work.doi, journal=journal)

    def pages(self, journal: Journal, page: int, position: int, kind: str) -> tuple[str, str, int]:
        if journal.article_numbers:
            number = f"{self.rng.randint(0, 9)}{page + position:05d}" if self.rng.random() < 0.5 else f"e{page + position + 1000:04d}"
            return number, "", page
        length = 1 if kind == ERRATUM else self.rng.randint(4, 22)
        first, last = page, page + length - 1
        return str(first), str(last), last + 1

    def rest_article(self, journal, year, month, volume, issue, first, last, authors, title) -> dict:
        doi = self.article_doi(journal, year, month, volume, first)
        rest = {
            "DOI": doi,
            "type": "journal-article",
            "title": [title],
            "author": [person.as_rest("first" if i == 0 else "additional") for i, person in enumerate(authors)],
            "container-title": [journal.title],
            "ISSN": list(journal.issns),
            "volume": volume,
            "issue": issue,
            "page": f"{first}-{last}" if last and last != first else first,
            "issued": {"date-parts": [_date(self.rng, year, month)]},
            "publisher": journal.publisher,
            "URL": f"http://dx.doi.org/{doi}",
        }
        if journal.abbrev_registered:
            rest["short-container-title"] = [journal.abbrev]
        if self.rng.random() < 0.08 and ":" not in title:
            rest["subtitle"] = [self.rng.choice(("a systematic review", "a pilot study", "a case report", "a multicentre study", "evidence from panel data", "a numerical study", "preliminary results"))]
        return rest

    # --- books and proceedings -------------------------------------------------------------

    def books(self, monographs: int, chapters: int) -> None:
        made = 0
        while made < monographs:
            field_name = self.rng.choice(list(vocab.FIELDS))
            title = self.book_title(field_name)
            isbn = self.isbn()
            publisher = self.rng.choice(vocab.PUBLISHERS[:12])
            year = self.rng.randint(1985, 2024)
            doi = self.unique_doi(f"{self.prefix_of(publisher)}/{isbn.replace('-', '')}")
            rest = {
                "DOI": doi,
                "type": "book",
                "title": [title],
                "author": [p.as_rest("first" if i == 0 else "additional") for i, p in enumerate(self.authors(maximum=3))],
                "ISBN": [isbn],
                "issued": {"date-parts": [[year]]},
                "publisher": publisher,
                "URL": f"http://dx.doi.org/{doi}",
            }
            if self.rng.random() < 0.3:
                rest["edition-number"] = str(self.rng.randint(2, 5))
            self.works.append(Work(rest=rest, kind=BOOK, field=field_name))
            made += 1
        made = 0
        while made < chapters:
            made += self.edited_volume(min(chapters - made, self.rng.randint(6, 24)))

    def edited_volume(self, count: int) -> int:
        field_name = self.rng.choice(list(vocab.FIELDS))
        book_title = self.book_title(field_name)
        isbn = self.isbn()
        publisher = self.rng.choice(vocab.PUBLISHERS[:12])
        year = self.rng.randint(1990, 2024)
        editors = [p.as_rest("first" if i == 0 else "additional") for i, p in enumerate(self.authors(maximum=3))]
        series = self.rng.choice(vocab.BOOK_SERIES) if self.rng.random() < 0.35 else ""
        containers = [series, book_title] if series else [book_title]
        series_volume = str(self.rng.randint(100, 12000)) if series else ""
        page = 1
        book_doi = self.unique_doi(f"{self.prefix_of(publisher)}/{isbn.replace('-', '')}")
        for number in range(1, count + 1):
            length = self.rng.randint(10, 35)
            doi = self.unique_doi(f"{book_doi}_{number}" if self.rng.random() < 0.5 else f"{book_doi}-{number}")
            rest = {
                "DOI": doi,
                "type": "book-chapter",
                "title": [self.title(field_name, "en", True)],
                "author": [p.as_rest("first" if i == 0 else "additional") for i, p in enumerate(self.authors(maximum=4))],
                "editor": editors,
                "container-title": containers,
                "ISBN": [isbn],
                "page": f"{page}-{page + length - 1}",
                "issued": {"date-parts": [[year]]},
                "publisher": publisher,
                "URL": f"http://dx.doi.org/{doi}",
            }
            if series_volume:
                rest["volume"] = series_volume
            page += length
            self.works.append(Work(rest=rest, kind=CHAPTER, field=field_name, abbrev=""))
        return count

    def proceedings(self, count: int) -> None:
        made = 0
        while made < count:
            field_name = self.rng.choice(list(vocab.FIELDS))
            subject = self.rng.choice(vocab.FIELDS[field_name]["journal_words"])
            name = self.rng.choice(vocab.CONFERENCE_NAMES).format(J=subject)
            year = self.rng.randint(1998, 2024)
            edition = year - self.rng.randint(1970, 1997)
            acronym = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", name) if w not in {"On"})[:6] or "CONF"
            container = f"Proceedings of the {_ordinal(edition)} {name} ({acronym} {year})"
            if self.rng.random() < 0.3:
                container = f"{year} {name} ({acronym})"
            isbn = self.isbn()
            publisher = self.rng.choice(("Institute of Electrical and Electronics Engineers (IEEE)", "Association for Computing Machinery (ACM)", "Springer Science and Business Media LLC", "SPIE", "Atlantis Press", "EDP Sciences"))
            prefix = self.prefix_of(publisher)
            page = 1
            for _ in range(min(count - made, self.rng.randint(10, 60))):
                length = self.rng.randint(4, 12)
                doi = self.unique_doi(f"{prefix}/{acronym.lower()}{year}.{self.rng.randint(1000000, 9999999)}")
                rest = {
                    "DOI": doi,
                    "type": "proceedings-article",
                    "title": [self.title(field_name, "en", True)],
                    "author": [p.as_rest("first" if i == 0 else "additional") for i, p in enumerate(self.authors())],
                    "container-title": [container],
                    "ISBN": [isbn],
                    "page": f"{page}-{page + length - 1}",
                    "issued": {"date-parts": [[year, self.rng.randint(1, 12)]]},
                    "publisher": publisher,
                    "event": {"name": name, "acronym": acronym},
                    "URL": f"http://dx.doi.org/{doi}",
                }
                page += length
                self.works.append(Work(rest=rest, kind=PROCEEDINGS, field=field_name))
                made += 1

    # --- pieces ---------------------------------------------------------------------------

    def authors(self, maximum: int = 40) -> list[Person]:
        roll = self.rng.random()
        count = 1 if roll < 0.08 else 2 if roll < 0.22 else 3 if roll < 0.4 else 4 if roll < 0.56 else 5 if roll < 0.68 else 6 if roll < 0.78 else self.rng.randint(7, 10) if roll < 0.95 else self.rng.randint(11, 25)
        return self.people.team(self.people.lead(), min(count, maximum))

    def title(self, field_name: str, language: str, title_case: bool) -> str:
        words = vocab.FIELDS[field_name]
        template = self.rng.choice(vocab.TITLE_TEMPLATES)
        topic, topic2 = self.rng.sample(words["topics"], 2)
        title = template.format(
            T=topic, T2=topic2, M=self.rng.choice(words["modifiers"]), X=self.rng.choice(words["methods"]),
            S=self.rng.choice(words["systems"]), C=self.rng.choice(words["conditions"]),
        )
        title = title[0].upper() + title[1:]
        return _title_case(title) if title_case else title

    def foreign_title(self, language: str) -> str:
        words = vocab.FOREIGN_TITLES[language]
        t, t2 = self.rng.sample(words["T"], 2)
        title = self.rng.choice(words["templates"]).format(T=t, T2=t2, S=self.rng.choice(words["S"]), M=self.rng.choice(words["M"]))
        return title[0].upper() + title[1:]

    def book_title(self, field_name: str) -> str:
        words = vocab.FIELDS[field_name]
        topic, topic2 = self.rng.sample(words["topics"], 2)
        title = self.rng.choice(vocab.BOOK_TITLE_TEMPLATES).format(T=topic, T2=topic2, M=self.rng.choice(words["modifiers"]), S=self.rng.choice(words["systems"]))
        return _title_case(title[0].upper() + title[1:])

    def issns(self) -> tuple[str, ...]:
        def one() -> str:
            digits = f"{self.rng.randint(1000000, 2999999)}"
            full = digits + issn_number.calc_check_digit(digits)
            return f"{full[:4]}-{full[4:]}"

        return (one(), one()) if self.rng.random() < 0.7 else (one(),)

    def isbn(self) -> str:
        digits = f"978{self.rng.choice(('0', '1', '3', '981', '90', '84'))}"
        digits += "".join(str(self.rng.randint(0, 9)) for _ in range(12 - len(digits)))
        return isbn_number.format(digits + ean.calc_check_digit(digits))

    def prefix_of(self, publisher: str) -> str:
        if publisher not in self.publisher_prefix:
            self.publisher_prefix[publisher] = f"10.{self.rng.randint(1000, 99999)}"
        return self.publisher_prefix[publisher]

    def article_doi(self, journal: Journal, year: int, month: int, volume: str, first: str) -> str:
        self.counter += 1
        n = self.counter
        if journal.doi_pattern == "elsevier":
            suffix = f"j.{journal.code}.{year}.{month:02d}.{n % 1000:03d}"
        elif journal.doi_pattern == "springer":
            suffix = f"s{journal.issns[0].replace('-', '')[:5]}-{year % 100:02d}{n % 10:01d}-{n % 10000:04d}-{self.rng.choice('0123456789xyz')}"
        elif journal.doi_pattern == "aps":
            suffix = f"{journal.code.capitalize()}.{volume}.{first or n}"
        elif journal.doi_pattern == "wiley":
            suffix = f"{journal.code}.{n + 10000}"
        else:
            suffix = f"{journal.code}.{year}.{n:06d}"
        return self.unique_doi(f"{journal.prefix}/{suffix}")

    def unique_doi(self, doi: str) -> str:
        candidate, extra = doi, 0
        while candidate.lower() in self.dois:
            extra += 1
            candidate = f"{doi}.{extra}"
        self.dois.add(candidate.lower())
        return candidate


@lru_cache(maxsize=None)
def _abbreviator() -> Abbreviate:
    return Abbreviate.create()  # loads the LTWA list: seconds, so once per process


@lru_cache(maxsize=None)
def _abbreviate(title: str, remove_part: bool = True) -> str:
    try:
        return _abbreviator()(title, remove_part=remove_part)
    except IndexError:  # pyiso4 trips over some titles' diacritics: such a journal has no abbreviation
        return title


def _code(title: str) -> str:
    letters = "".join(word[0] for word in re.findall(r"[A-Za-z]+", title) if word.lower() not in SMALL_WORDS)
    return (letters.lower() or "jnl")[:6]


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word.lower() in SMALL_WORDS:
            out.append(word.lower())
        elif word[:1].islower():
            out.append(word[:1].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(rng: random.Random, year: int, month: int) -> list[int]:
    roll = rng.random()
    if roll < 0.2:
        return [year]
    if roll < 0.6:
        return [year, month]
    return [year, month, rng.randint(1, 28)]


ROMAN = {1: "I", 2: "II", 3: "III"}


def _part_title(rng: random.Random, base: str, number: int, sub: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{base}. Part {ROMAN[number]}"
    if style == 1:
        return f"{base}, Part {number}: {sub}"
    return f"{base} {ROMAN[number]}"


def _erratum_title(rng: random.Random, work: Work) -> str:
    title = work.rest["title"][0]
    return rng.choice((f"Correction to: {title}", f"Erratum: {title}", f"Erratum to: {title}", f"Corrigendum to “{title}”"))


def _swap_one_word(rng: random.Random, title: str, words: dict[str, tuple[str, ...]]) -> str:
    """`title` with one known term replaced by another of the same kind (or one word dropped)."""
    for kind in rng.sample(("modifiers", "systems", "topics", "conditions", "methods"), 5):
        present = [term for term in words[kind] if term in title]
        if present:
            old = rng.choice(present)
            new = rng.choice([term for term in words[kind] if term != old])
            return title.replace(old, new, 1)
        present = [term for term in words[kind] if term.capitalize() in title or _title_case(term) in title]
        if present:
            old = rng.choice(present)
            source = old.capitalize() if old.capitalize() in title else _title_case(old)
            new = rng.choice([term for term in words[kind] if term != old])
            return title.replace(source, _title_case(new) if source != old.capitalize() else new.capitalize(), 1)
    parts = title.split()
    if len(parts) > 3:
        del parts[rng.randrange(1, len(parts))]
    return " ".join(parts)
