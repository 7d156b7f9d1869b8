"""Reading a member's dashboard: totals, newest citations, most-cited works, the works list,
citations per month, the exportable citing list and the participation report.

Reads. Each function costs a fixed number of queries however many rows it returns; the per-work
figures come from the works' stored columns (cited_by_count, references_count,
linked_references_count) and the member's totals, participation and months from its stored
figures (citations.figures, counted by a worker), not from counting rows per request. The one
write: a member never counted yet is counted once, on its first visit.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from citations.figures import member_figures, month_start
from citations.models import Citation, MemberFigures
from deposits.doi import normalize_doi
from deposits.models import Work
from members.models import Member

NEWEST_WINDOWS = (7, 30, 90)
DASHBOARD_SORTS = {
    "count": ("-cited_by_count", "doi"),
    # Works without a year go last on every database (PostgreSQL puts NULL first descending).
    "year": (F("publication_year").desc(nulls_last=True), "doi"),
    "doi": ("doi",),
}
CITED_CHOICES = ("cited", "uncited")
# What the dashboard's lists show of a work: reading (and decoding) the rest, the contributors'
# JSON above all, for 50 works a page was a good part of the page's cost.
LISTED_WORK_FIELDS = ("doi", "title", "publication_year", "cited_by_count", "owner_id")


@dataclass(frozen=True)
class Totals:
    works: int
    works_with_references: int
    references: int
    references_matched: int
    citations_received: int
    citing_works: int
    citing_members: int


def totals(member: Member) -> Totals:
    """The member's stored figures (one query; counted and stored first if there are none)."""
    return totals_from(member_figures(member))


def totals_from(figures: MemberFigures) -> Totals:
    return Totals(**{name: getattr(figures, name) for name in Totals.__dataclass_fields__})


def _counted_to(member: Member) -> QuerySet[Citation]:
    return Citation.objects.filter(cited_work__owner=member, status__in=Citation.COUNTED)


# From this many citations received (stored figures), SQLite finds a member's newest links by date first.
NEWEST_BY_DATE_FROM = 10_000


def newest_citations(member: Member, *, days: int, limit: int = 20, now: datetime.datetime | None = None,
                     by_date: bool = False) -> list[Citation]:
    """The newest counted links to the member's works found in the last `days` days (one query;
    two on SQLite `by_date`, for members cited that often: see _newest_ids_sqlite)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    links = _counted_to(member).filter(created__gte=since)
    if by_date and connection.vendor == "sqlite":
        links = Citation.objects.filter(pk__in=_newest_ids_sqlite(member, since=since, limit=limit))
    shown = ("created", "citing_work", "cited_work", "citing_work__owner", "citing_work__doi", "citing_work__title", "citing_work__owner__name", "cited_work__doi", "cited_work__title")
    return list(links.select_related("citing_work", "citing_work__owner", "cited_work").only(*shown)
                .order_by("-created", "-pk")[:limit])


def _newest_ids_sqlite(member: Member, *, since: datetime.datetime, limit: int) -> list[int]:
    """SQLite's planner, without statistics, starts from the member's works and sorts every link
    of the window (a second at 100,000 works and a million links); CROSS JOIN makes it walk the
    links newest first on their date index, checking each one's work by primary key, and stop
    at `limit`. That walk costs what the window holds for every member, so it is for members with
    a good share of the links: for the others the first plan is the cheap one. (PostgreSQL's
    planner, with statistics, chooses for itself.)"""
    table, works = Citation._meta.db_table, Work._meta.db_table
    statuses = list(Citation.COUNTED)
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT c.id FROM "{table}" c CROSS JOIN "{works}" w ON w.id = c.cited_work_id '
            f"WHERE w.owner_id = %s AND c.status IN ({', '.join(['%s'] * len(statuses))}) AND c.created >= %s "
            f"ORDER BY c.created DESC, c.id DESC LIMIT %s",
            [member.pk, *statuses, since, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def most_cited(member: Member, *, limit: int = 10) -> list[Work]:
    return list(Work.objects.filter(owner=member, cited_by_count__gt=0).only(*LISTED_WORK_FIELDS)
                .order_by("-cited_by_count", "doi")[:limit])


@dataclass(frozen=True)
class WorkQuery:
    """What the works list shows: a search (title words or DOI), a sort and filters."""

    search: str = ""
    sort: str = "count"
    type: str = ""
    year: int | None = None
    prefix: str = ""
    cited: str = ""  # "cited", "uncited" or "" for both


def dashboard_works(member: Member, query: WorkQuery) -> QuerySet[Work]:
    works = Work.objects.filter(owner=member)
    if text := query.search.strip():
        # A DOI as people paste it ("https://doi.org/10.5555/X", "doi:10.5555/X") is looked for bare.
        works = works.filter(Q(title__icontains=text) | Q(doi__icontains=normalize_doi(text) or text.lower()))
    if query.type:
        works = works.filter(type=query.type)
    if query.year is not None:
        works = works.filter(publication_year=query.year)
    if query.prefix:
        # A range on the unique DOI index ("/" sorts just before "0"), as citations.selectors does.
        works = works.filter(doi__gte=f"{query.prefix}/", doi__lt=f"{query.prefix}0")
    if query.cited == "cited":
        works = works.filter(cited_by_count__gt=0)
    elif query.cited == "uncited":
        works = works.filter(cited_by_count=0)
    return works.only(*LISTED_WORK_FIELDS).order_by(*DASHBOARD_SORTS.get(query.sort, DASHBOARD_SORTS["count"]))


def work_facets(member: Member) -> tuple[list[str], list[int]]:
    """The types and publication years the member's works have, for the filters (stored figures)."""
    figures = member_figures(member)
    return figures.work_types, figures.work_years


def citations_per_month(*, member: Member | None = None, work: Work | None = None, months: int = 12,
                        now: datetime.datetime | None = None) -> list[tuple[datetime.date, int]]:
    """Counted links found per calendar month for the last `months` months, oldest first, months
    without any included as 0 (one query)."""
    today = (now or timezone.now()).date()
    starts = [month_start(today, back=back) for back in range(months - 1, -1, -1)]
    bounds = [datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.timezone.utc) for day in starts]
    links = Citation.objects.filter(status__in=Citation.COUNTED, created__gte=bounds[0])
    if member is not None:
        links = links.filter(cited_work__owner=member)
    if work is not None:
        links = links.filter(cited_work=work)
    # One count per month over one pass of the links, on the (cited work, created) index: grouping
    # by a truncated month cost a function call per link on SQLite (30 ms for a work cited 3,000 times).
    counts = links.aggregate(**{
        f"m{i}": Count("pk", filter=Q(created__gte=start, created__lt=end) if end else Q(created__gte=start))
        for i, (start, end) in enumerate(zip(bounds, [*bounds[1:], None]))
    })
    return [(day, counts[f"m{i}"]) for i, day in enumerate(starts)]


# How many of the member's works one query of an export takes the links of.
EXPORT_WORKS_PER_QUERY = 200


def citing_list(member: Member, *, work: Work | None = None, prefix: str = "",
                since: datetime.date | None = None, until: datetime.date | None = None) -> Iterator[Citation]:
    """The counted links to the member's works (one work, one prefix, or all), found from `since`
    through `until` (days, inclusive), for export: by cited work (newest registered first),
    each work's links oldest first. Callers check access first.

    Taken 200 works at a time (keyset on the owner's index, which ends in the work's id), each
    query read in the order of the (cited work, created DESC) index walked backwards: neither
    needs a sort, so the first row comes at once however many links the member has. One query
    ordered over all of them (oldest first) kept a big export's first byte waiting for a sort
    of a million rows.
    """
    works = Work.objects.filter(owner=member)
    if work is not None:
        works = works.filter(pk=work.pk)
    if prefix:
        works = works.filter(doi__gte=f"{prefix}/", doi__lt=f"{prefix}0")
    before = None
    while True:
        chunk = list((works.filter(pk__lt=before) if before is not None else works)
                     .order_by("-pk").values_list("pk", flat=True)[:EXPORT_WORKS_PER_QUERY])
        if not chunk:
            return
        links = Citation.objects.filter(cited_work_id__in=chunk, status__in=Citation.COUNTED)
        if since is not None:
            links = links.filter(created__gte=_day_start(since))
        if until is not None:
            links = links.filter(created__lt=_day_start(until + datetime.timedelta(days=1)))
        # Streamed from the cursor too: a chunk may hold the member's most-cited works (thousands of
        # links each), and building all of its rows first would hold the first byte back.
        yield from (links.select_related("citing_work", "cited_work")
                    .order_by("-cited_work_id", "created", "-pk").iterator(chunk_size=100))
        if len(chunk) < EXPORT_WORKS_PER_QUERY:
            return
        before = chunk[-1]


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.timezone.utc)


# What each reason the matcher gives for leaving a reference unlinked means to a member.
UNMATCHED_REASONS = {
    "doi-not-registered": "The DOI it gives is not registered here",
    "no-candidates": "No registered work resembles it",
    "too-little-to-match": "Too little in it to match (no DOI, few fields)",
    "below-threshold": "Resembles a work, but not closely enough",
    "ambiguous": "Resembles several works equally",
    "contradicted": "Its DOI names a work its other fields contradict",
}


@dataclass(frozen=True)
class Participation:
    works: int
    works_with_references: int
    references: int
    references_matched: int
    unmatched: list[tuple[str, str, int]]  # (reason, what it means, references)
    computed_at: datetime.datetime | None = None  # when the stored figures were counted

    @property
    def works_share(self) -> float | None:
        return self.works_with_references / self.works if self.works else None

    @property
    def matched_share(self) -> float | None:
        return self.references_matched / self.references if self.references else None

    @property
    def works_without_references(self) -> int:
        return self.works - self.works_with_references

    @property
    def expected_more_links(self) -> int | None:
        """If the works without references deposited lists like those with them do, about how many
        more links to registered works they would make (None when there is nothing to go by)."""
        if not self.works_with_references:
            return None
        return round(self.works_without_references * self.references_matched / self.works_with_references)


def participation(member: Member) -> Participation:
    """From the member's stored figures (one query; counted and stored first if there are none)."""
    return participation_from(member_figures(member))


def participation_from(figures: MemberFigures) -> Participation:
    reasons = sorted(figures.unmatched_by_reason.items(), key=lambda item: (-item[1], item[0]))
    return Participation(
        works=figures.works, works_with_references=figures.works_with_references, references=figures.references,
        references_matched=figures.references_matched,
        unmatched=[(reason, UNMATCHED_REASONS.get(reason, reason), n) for reason, n in reasons],
        computed_at=figures.computed_at,
    )
