"""The demo's deposit files, generated: four members, a few hundred works over three years,
and reference lists with every kind of reference the portal meets in real deposits.

Pure: no database. `demo_deposits(today=...)` returns the same bytes for the same day (a seeded
generator, never the clock), so the loader can be run twice and tests can count what to expect.
The DOIs do not depend on the day at all (each venue numbers its works in order, e.g.
10.5555/demo.042), so the README's examples name works every demo has, whenever it was loaded.
The files are ordinary Crossref deposit XML (schema 5.4.0), so they go through the very pipeline
an upload does.

What the reference lists hold, and what the matcher should make of it:
- a DOI of another demo work (either member, most often an earlier one): linked;
- structured fields without a DOI (journal, first author, volume, first page, year): linked;
- unstructured strings of a demo work in APA, Vancouver, Chicago or a short title-less style:
  mostly linked (the short style is the hard case and may stay unmatched, as in real life);
- a DOI under a prefix nobody here owns: unmatched, "not registered here";
- a book or article that is not in the portal, structured or as a string: unmatched;
- "personal communication" and the like: too little to match;
- exactly one DOI whose other fields describe another work (year and title): flagged for the
  editors of the cited work's member (`flagged_reference` says which).
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from lxml import etree

NAMESPACE = "http://www.crossref.org/schema/5.4.0"
SEED = 16  # the issue that asked for this demo; any fixed number would do
YEARS_BACK = 3


@dataclass(frozen=True)
class DemoMember:
    name: str
    prefix: str
    admin_email: str


OPEN_DEMOS = DemoMember("Journal of Open Demos", "10.5555", "editor@open-demos.example")
EXAMPLE_LETTERS = DemoMember("Society of Example Letters", "10.5556", "letters@example-letters.example")
DEMO_PRESS = DemoMember("Demo University Press", "10.5557", "books@demo-press.example")
OPEN_PREPRINTS = DemoMember("Open Preprints Archive", "10.5558", "moderators@open-preprints.example")
DEMO_MEMBERS = (OPEN_DEMOS, EXAMPLE_LETTERS, DEMO_PRESS, OPEN_PREPRINTS)

# Venues. ISSNs and ISBNs carry correct check digits, so the deposits load without warnings.
OPEN_DEMOS_JOURNAL = ("Journal of Open Demos", "J Open Demos", "2049-3630")
LETTERS_JOURNAL = ("Letters in Example Science", "Lett Ex Sci", "1234-5679")
LETTERS_CONFERENCE = "Example Letters Annual Conference"
DATA_REPOSITORY = "Open Demos Data Repository"

# The key of the one reference made to be flagged.
FLAGGED_KEY = "ref-flagged"

_GIVEN = ("Ada", "Jonas", "Mei", "Ravi", "Sofia", "Kwame", "Elena", "Tomás", "Yuki", "Amara", "Lars", "Priya",
          "Omar", "Ingrid", "Chen", "Fatima", "Mateo", "Hana", "Noah", "Zanele", "Ilse", "Diego", "Leila", "Arjun")
_SURNAMES = ("Okafor", "Lindqvist", "Tanaka", "Raman", "Moreau", "Mensah", "Petrova", "Álvarez", "Sato", "Diallo",
             "Berg", "Iyer", "Haddad", "Nilsen", "Wang", "Rahman", "Castro", "Kim", "Fischer", "Dlamini", "Novak",
             "Ortega", "Farahani", "Kapoor", "O'Brien", "Schmidt", "Costa", "Nakamura", "Adeyemi", "Horvath")
_OPENINGS = ("Measuring", "Rethinking", "Modelling", "Mapping", "Explaining", "Testing", "Comparing", "Predicting",
             "Tracing", "Estimating", "Reconstructing", "Auditing", "Simulating", "Classifying", "Visualising")
_SUBJECTS = ("citation networks", "reference lists", "open peer review", "metadata quality", "preprint uptake",
             "data reuse", "author disambiguation", "journal indexing", "persistent identifiers", "research funding",
             "library acquisitions", "conference proceedings", "book chapters", "retraction notices",
             "abstract readability", "software citation", "dataset versioning", "language diversity",
             "editorial delays", "altmetric signals")
_SETTINGS = ("small society journals", "multilingual archives", "early-career researchers", "humanities monographs",
             "coastal ecology", "materials science", "public health surveillance", "particle physics collaborations",
             "regional universities", "clinical trial registries", "agricultural extension", "urban transport studies",
             "archaeological field reports", "climate model intercomparisons", "linguistics corpora")
_METHODS = ("a longitudinal study", "a field experiment", "a survey of editors", "a registry-wide analysis",
            "a mixed-methods study", "evidence from ten years of deposits", "a Bayesian approach",
            "a case study", "a replication", "a natural experiment")
_OUTSIDE_PUBLISHERS = ("Example Press, London", "Imaginary University Press", "North Sea Academic", "Lakeside Publishing")


@dataclass
class DemoWork:
    member: DemoMember
    doi: str
    kind: str  # article, paper, book, chapter, preprint, dataset
    title: str
    authors: tuple[tuple[str, str], ...]  # (given, surname)
    date: datetime.date
    venue: str = ""  # journal, proceedings, book or repository title
    volume: str = ""
    issue: str = ""
    first_page: str = ""
    last_page: str = ""
    isbn: str = ""
    book_doi: str = ""  # a chapter's book
    references: list[dict[str, str]] = field(default_factory=list)  # citation key and fields, in order


@dataclass(frozen=True)
class DemoDeposit:
    member: DemoMember
    filename: str  # unique per member: the loader's mark that this file was deposited
    works: tuple[DemoWork, ...]
    content: bytes


def demo_deposits(*, today: datetime.date, seed: int = SEED) -> list[DemoDeposit]:
    """Every demo deposit file, in the order to deposit them (oldest year first, member by member)."""
    works = demo_works(today=today, seed=seed)
    deposits = []
    for year in sorted({work.date.year for work in works}):
        for member in DEMO_MEMBERS:
            chosen = tuple(work for work in works if work.member == member and work.date.year == year)
            if not chosen:
                continue
            slug = member.admin_email.split("@")[1].split(".")[0]
            batch_id = f"demo-{slug}-{year}"
            deposits.append(DemoDeposit(
                member=member, filename=f"{batch_id}.xml", works=chosen,
                content=deposit_xml(chosen, batch_id=batch_id, timestamp=_timestamp(today)),
            ))
    return deposits


def demo_works(*, today: datetime.date, seed: int = SEED) -> list[DemoWork]:
    """The works, oldest first, with their reference lists filled in."""
    rng = random.Random(seed)
    first_day = today - datetime.timedelta(days=365 * YEARS_BACK - 1)  # (not .replace(year=): 29 February)
    span = (today - first_day).days - 2  # the newest work is two days old

    def dates(count: int) -> list[datetime.date]:
        return sorted(first_day + datetime.timedelta(days=rng.randrange(span)) for _ in range(count))

    titles = _Titles(rng)
    works: list[DemoWork] = []
    works += _journal(OPEN_DEMOS, OPEN_DEMOS_JOURNAL[0], "demo", dates(130), rng, titles, first_year=first_day.year)
    works += _journal(EXAMPLE_LETTERS, LETTERS_JOURNAL[0], "letters", dates(95), rng, titles, first_year=first_day.year)
    works += _conference_papers(dates(33), rng, titles)
    works += _datasets(dates(3), rng, titles)
    works += _books(dates(2), rng, titles)
    works += _preprints(dates(22), rng, titles)
    # The newest few works are days old, so "new in the last 7 days" has something to show.
    newest = sorted(works, key=lambda work: (work.date, work.doi))[-4:]
    for back, work in enumerate(reversed(newest), start=2):
        work.date = today - datetime.timedelta(days=back)
    works.sort(key=lambda work: (work.date, work.doi))
    _add_references(works, rng)
    return works


class _Titles:
    """Distinct made-up titles: the matcher must not find two works alike by accident."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            title = (f"{self.rng.choice(_OPENINGS)} {self.rng.choice(_SUBJECTS)} in {self.rng.choice(_SETTINGS)}: "
                     f"{self.rng.choice(_METHODS)}")
            if title not in self.used:
                self.used.add(title)
                return title


def _people(rng: random.Random, most: int = 4) -> tuple[tuple[str, str], ...]:
    count = rng.choice((1, 2, 2, 3, 3, most))
    surnames = rng.sample(_SURNAMES, count)
    return tuple((rng.choice(_GIVEN), surname) for surname in surnames)


def _journal(member: DemoMember, venue: str, stem: str, days: list[datetime.date], rng: random.Random, titles: _Titles,
             *, first_year: int) -> list[DemoWork]:
    works, page = [], {}
    for number, day in enumerate(days, start=1):
        volume = str(day.year - first_year + 1)
        start = page.get(volume, 1)
        length = rng.randrange(8, 25)
        page[volume] = start + length
        works.append(DemoWork(
            member=member, doi=f"{member.prefix}/{stem}.{number:03d}", kind="article", title=titles(),
            authors=_people(rng), date=day, venue=venue, volume=volume, issue=str(day.month),
            first_page=str(start), last_page=str(start + length - 1),
        ))
    return works


def _conference_papers(days: list[datetime.date], rng: random.Random, titles: _Titles) -> list[DemoWork]:
    return [
        DemoWork(member=EXAMPLE_LETTERS, doi=f"10.5556/conf.{number:02d}", kind="paper", title=titles(),
                 authors=_people(rng), date=day, venue=f"Proceedings of the {LETTERS_CONFERENCE} {day.year}",
                 first_page=str(number * 6 - 5), last_page=str(number * 6))
        for number, day in enumerate(days, start=1)
    ]


def _datasets(days: list[datetime.date], rng: random.Random, titles: _Titles) -> list[DemoWork]:
    return [
        DemoWork(member=OPEN_DEMOS, doi=f"10.5555/data.{number}", kind="dataset",
                 title=f"Data for: {titles()}", authors=_people(rng, 2), date=day, venue=DATA_REPOSITORY)
        for number, day in enumerate(days, start=1)
    ]


def _books(days: list[datetime.date], rng: random.Random, titles: _Titles) -> list[DemoWork]:
    """Two edited books, each with its chapters (the book is a work, and so is every chapter)."""
    works = []
    for number, (day, book_title) in enumerate(zip(days, ("Handbook of Citation Practice", "Open Scholarship in Practice")), 1):
        book_doi = f"10.5557/book.{number}"
        isbn = _isbn13(f"978190000{number:03d}")
        works.append(DemoWork(member=DEMO_PRESS, doi=book_doi, kind="book", title=book_title, authors=_people(rng, 2),
                              date=day, isbn=isbn))
        page = 1
        for chapter in range(1, 10):
            length = rng.randrange(15, 30)
            works.append(DemoWork(
                member=DEMO_PRESS, doi=f"{book_doi}.ch{chapter}", kind="chapter", title=titles(), authors=_people(rng, 2),
                date=day, venue=book_title, first_page=str(page), last_page=str(page + length - 1), isbn=isbn, book_doi=book_doi,
            ))
            page += length
    return works


def _preprints(days: list[datetime.date], rng: random.Random, titles: _Titles) -> list[DemoWork]:
    return [
        DemoWork(member=OPEN_PREPRINTS, doi=f"10.5558/preprint.{number:03d}", kind="preprint", title=titles(),
                 authors=_people(rng), date=day, venue=OPEN_PREPRINTS.name)
        for number, day in enumerate(days, start=1)
    ]


# --- References ----------------------------------------------------------------------------

# How often each kind of reference is drawn (relative weights); "short" strings, without titles, are rare
# because real matchers (ours too) miss many of them, and the demo should show mostly what works.
_KINDS = (
    ("doi", 34), ("structured", 14), ("apa", 9), ("vancouver", 6), ("chicago", 6), ("short", 3),
    ("outside-doi", 10), ("outside-string", 10), ("outside-book", 5), ("too-little", 3),
)
_HAS_REFERENCES = {"article": 0.8, "paper": 0.6, "chapter": 1.0, "preprint": 0.6, "book": 0.0, "dataset": 0.0}


def _add_references(works: list[DemoWork], rng: random.Random) -> None:
    # Some works are far more cited than others, as in life: a fixed popularity per work.
    popularity = {work.doi: rng.paretovariate(1.8) for work in works}
    kinds, weights = zip(*_KINDS)
    outside = 0
    for position, work in enumerate(works):
        if rng.random() >= _HAS_REFERENCES[work.kind]:
            continue
        earlier = [other for other in works[:position] if other.kind not in ("book",)]
        for number in range(1, rng.randrange(4, 12) + 1):
            kind = rng.choices(kinds, weights)[0]
            key = f"ref{number}"
            if kind.startswith("outside") or kind == "too-little" or not earlier:
                outside += 1
                work.references.append({"key": key, **_outside_reference(kind, outside, rng)})
                continue
            cited = rng.choices(earlier, [popularity[other.doi] for other in earlier])[0]
            work.references.append({"key": key, **_reference_to(cited, kind)})
    _add_flagged_reference(works)


def _add_flagged_reference(works: list[DemoWork]) -> None:
    """One Example Letters article cites an Open Demos article by DOI, but its year and title are
    another work's: the kind of wrong DOI a publisher's reference tool produces."""
    citing = next(work for work in reversed(works) if work.member == EXAMPLE_LETTERS and work.kind == "article")
    cited = next(work for work in works if work.member == OPEN_DEMOS and work.kind == "article")
    citing.references.append({
        "key": FLAGGED_KEY, "doi": cited.doi, "author": cited.authors[0][1],
        "cYear": str(cited.date.year + 2),
        "article_title": "Seasonal variation of nitrogen uptake in temperate grassland soils",
    })


def flagged_reference(works: list[DemoWork]) -> tuple[str, str]:
    """(citing DOI, cited DOI) of the one reference made to be flagged."""
    for work in works:
        for reference in work.references:
            if reference["key"] == FLAGGED_KEY:
                return work.doi, reference["doi"]
    raise LookupError("the demo has no flagged reference")


def _reference_to(cited: DemoWork, kind: str) -> dict[str, str]:
    if kind == "doi":
        return {"doi": cited.doi}
    if kind == "structured":
        fields = {"author": cited.authors[0][1], "cYear": str(cited.date.year)}
        if cited.kind == "article":
            fields = {"journal_title": cited.venue, **fields, "volume": cited.volume, "first_page": cited.first_page}
        elif cited.kind == "chapter":
            fields = {"volume_title": cited.venue, **fields, "first_page": cited.first_page, "isbn": cited.isbn}
        return {**fields, "article_title": cited.title}
    return {"unstructured_citation": unstructured(cited, style=kind)}


def unstructured(work: DemoWork, *, style: str) -> str:
    """A reference string to `work` in one of a few citation styles."""
    year, title, venue = work.date.year, work.title, work.venue
    pages = f"{work.first_page}–{work.last_page}" if work.first_page else ""
    if style == "vancouver":
        names = ", ".join(f"{surname} {given[0]}" for given, surname in work.authors[:6])
        where = f"{venue}. {year}"
        if work.volume:
            where += f";{work.volume}({work.issue}):{pages.replace('–', '-')}"
        return f"{names}. {title}. {where}."
    if style == "chicago":
        first_given, first_surname = work.authors[0]
        others = [f"{given} {surname}" for given, surname in work.authors[1:]]
        names = f"{first_surname}, {first_given}" + (f", and {', '.join(others)}" if others else "")
        where = f"{venue} {work.volume} ({work.issue}): {pages}" if work.volume else f"{venue}, {pages}".rstrip(", ")
        return f"{names}. {year}. “{title}.” {where}."
    if style == "short":  # no title: the hard case for every matcher
        first = work.authors[0]
        etal = " et al." if len(work.authors) > 1 else ""
        return f"{first[1]} {first[0][0]}{etal}, {venue} {work.volume}, {work.first_page} ({year})."
    names = ", ".join(f"{surname}, {given[0]}." for given, surname in work.authors)  # APA
    if work.kind == "chapter":
        return f"{names} ({year}). {title}. In {venue} (pp. {pages}). {DEMO_PRESS.name}."
    where = f"{venue}, {work.volume}({work.issue}), {pages}" if work.volume else f"{venue}" + (f", {pages}" if pages else "")
    return f"{names} ({year}). {title}. {where}."


def _outside_reference(kind: str, number: int, rng: random.Random) -> dict[str, str]:
    """A reference to something not in the portal: it stays unmatched, for a reason worth seeing."""
    surname, given = rng.choice(_SURNAMES), rng.choice(_GIVEN)
    year = str(rng.randrange(1995, 2020))
    if kind == "outside-doi":  # 10.99xx: nobody here owns those prefixes
        return {"doi": f"10.99{rng.randrange(10, 99)}/ext.{number:04d}", "author": surname, "cYear": year}
    if kind == "outside-book":
        return {"author": surname, "volume_title": f"A history of {rng.choice(_SUBJECTS)}", "cYear": year,
                "isbn": _isbn13(f"978099{number:06d}")}
    if kind == "too-little":
        return {"unstructured_citation": rng.choice(("Personal communication.", "Ibid.", "Anonymous reviewer, pers. comm."))}
    return {"unstructured_citation": f"{surname}, {given[0]}. ({year}). On the {rng.choice(_SUBJECTS)} of "
                                     f"{rng.choice(('river deltas', 'medieval guilds', 'lichen', 'tidal energy', 'opera houses'))}. "
                                     f"{rng.choice(_OUTSIDE_PUBLISHERS)}."}


# --- XML -----------------------------------------------------------------------------------


def _timestamp(today: datetime.date) -> str:
    return today.strftime("%Y%m%d") + "000000"


def deposit_xml(works: tuple[DemoWork, ...], *, batch_id: str, timestamp: str) -> bytes:
    """A doi_batch (schema 5.4.0) registering `works`: journals grouped by issue, a book with its
    chapters, proceedings, a database of datasets, posted content."""
    member = works[0].member
    root = etree.Element(f"{{{NAMESPACE}}}doi_batch", nsmap={None: NAMESPACE}, version="5.4.0")
    head = _sub(root, "head")
    _sub(head, "doi_batch_id", batch_id)
    _sub(head, "timestamp", timestamp)
    depositor = _sub(head, "depositor")
    _sub(depositor, "depositor_name", member.name)
    _sub(depositor, "email_address", member.admin_email)
    _sub(head, "registrant", member.name)
    body = _sub(root, "body")
    groups: dict[tuple, list[DemoWork]] = {}
    for work in works:
        group = (work.kind, work.venue, work.volume, work.issue, work.book_doi or (work.doi if work.kind == "book" else ""))
        groups.setdefault(group, []).append(work)
    for (kind, *_), members in groups.items():
        if kind == "article":
            _journal_xml(body, members)
        elif kind == "paper":
            _proceedings_xml(body, members)
        elif kind in ("book", "chapter"):
            _book_xml(body, members)
        elif kind == "dataset":
            _database_xml(body, members)
        else:
            for work in members:
                _posted_xml(body, work)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _journal_xml(body, articles: list[DemoWork]) -> None:
    first = articles[0]
    title, abbreviation, issn = OPEN_DEMOS_JOURNAL if first.venue == OPEN_DEMOS_JOURNAL[0] else LETTERS_JOURNAL
    journal = _sub(body, "journal")
    metadata = _sub(journal, "journal_metadata", language="en")
    _sub(metadata, "full_title", title)
    _sub(metadata, "abbrev_title", abbreviation)
    _sub(metadata, "issn", issn, media_type="electronic")
    issue = _sub(journal, "journal_issue")
    _date(issue, first.date, month=True, day=False)
    _sub(_sub(issue, "journal_volume"), "volume", first.volume)
    _sub(issue, "issue", first.issue)
    for work in articles:
        _paged_record(_sub(journal, "journal_article", publication_type="full_text"), work, titles_first=True)


def _proceedings_xml(body, papers: list[DemoWork]) -> None:
    year = papers[0].date.year
    conference = _sub(body, "conference")
    event = _sub(conference, "event_metadata")
    _sub(event, "conference_name", f"{LETTERS_CONFERENCE} {year}")
    _sub(event, "conference_acronym", f"ELAC {year}")
    proceedings = _sub(conference, "proceedings_metadata", language="en")
    _sub(proceedings, "proceedings_title", papers[0].venue)
    _sub(_sub(proceedings, "publisher"), "publisher_name", EXAMPLE_LETTERS.name)
    _date(proceedings, datetime.date(year, 1, 1), month=False, day=False)
    _sub(proceedings, "noisbn", reason="simple_series")
    for work in papers:
        _paged_record(_sub(conference, "conference_paper", publication_type="full_text"), work)


def _book_xml(body, works: list[DemoWork]) -> None:
    book_work = next((work for work in works if work.kind == "book"), None)
    chapters = [work for work in works if work.kind == "chapter"]
    book = _sub(body, "book", book_type="edited_book")
    metadata = _sub(book, "book_metadata", language="en")
    if book_work is not None:
        _contributors(metadata, book_work, role="editor")
        _titles(metadata, book_work)
        _date(metadata, book_work.date, media_type="print")
        _sub(metadata, "isbn", book_work.isbn)
        _sub(_sub(metadata, "publisher"), "publisher_name", DEMO_PRESS.name)
        _doi_data(metadata, book_work)
    for work in chapters:
        _paged_record(_sub(book, "content_item", component_type="chapter"), work, media_type="print")


def _database_xml(body, datasets: list[DemoWork]) -> None:
    database = _sub(body, "database")
    metadata = _sub(database, "database_metadata", language="en")
    _sub(_sub(metadata, "titles"), "title", DATA_REPOSITORY)
    _sub(_sub(metadata, "publisher"), "publisher_name", OPEN_DEMOS.name)
    for work in datasets:
        dataset = _sub(database, "dataset", dataset_type="record")
        _contributors(dataset, work)
        _titles(dataset, work)
        _date(_sub(dataset, "database_date"), work.date, media_type=None)
        _doi_data(dataset, work)
        _citations(dataset, work)


def _posted_xml(body, work: DemoWork) -> None:
    posted = _sub(body, "posted_content", type="preprint", language="en")
    _sub(posted, "group_title", "Scholarly communication")
    _contributors(posted, work)
    _titles(posted, work)
    posted_date = _sub(posted, "posted_date")
    _sub(posted_date, "month", str(work.date.month))
    _sub(posted_date, "day", str(work.date.day))
    _sub(posted_date, "year", str(work.date.year))
    _doi_data(posted, work)
    _citations(posted, work)


def _paged_record(element, work: DemoWork, *, titles_first: bool = False, media_type: str = "online") -> None:
    """An article, paper or chapter: its parts in the schema's order (a journal article puts its
    titles before its contributors, the others after)."""
    if titles_first:
        _titles(element, work)
    _contributors(element, work)
    if not titles_first:
        _titles(element, work)
    _date(element, work.date, media_type=media_type)
    _pages(element, work)
    _doi_data(element, work)
    _citations(element, work)


def _titles(parent, work: DemoWork) -> None:
    _sub(_sub(parent, "titles"), "title", work.title)


def _contributors(parent, work: DemoWork, *, role: str = "author") -> None:
    contributors = _sub(parent, "contributors")
    for position, (given, surname) in enumerate(work.authors):
        person = _sub(contributors, "person_name", contributor_role=role, sequence="first" if position == 0 else "additional")
        _sub(person, "given_name", given)
        _sub(person, "surname", surname)


def _date(parent, when: datetime.date, *, month: bool = True, day: bool = True, media_type: str | None = "online") -> None:
    date = _sub(parent, "publication_date", **({"media_type": media_type} if media_type else {}))
    if month:
        _sub(date, "month", str(when.month))
        if day:
            _sub(date, "day", str(when.day))
    _sub(date, "year", str(when.year))


def _pages(parent, work: DemoWork) -> None:
    if work.first_page:
        pages = _sub(parent, "pages")
        _sub(pages, "first_page", work.first_page)
        _sub(pages, "last_page", work.last_page)


def _doi_data(parent, work: DemoWork) -> None:
    doi_data = _sub(parent, "doi_data")
    _sub(doi_data, "doi", work.doi)
    _sub(doi_data, "resource", f"https://example.org/{work.doi}")


def _citations(parent, work: DemoWork) -> None:
    if not work.references:
        return
    citation_list = _sub(parent, "citation_list")
    for reference in work.references:
        citation = _sub(citation_list, "citation", key=reference["key"])
        for name, value in reference.items():
            if name != "key":
                _sub(citation, name, value)


def _sub(parent, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}", **attributes)
    if text is not None:
        element.text = text
    return element


def _isbn13(first_twelve: str) -> str:
    digits = [int(c) for c in first_twelve]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return f"{first_twelve}{check}"
