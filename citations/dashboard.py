"""Reading a member's dashboard: totals, newest citations, most-cited works, the works list,
citations per month, the exportable citing list and the participation report.

Pure reads. Each function costs a fixed number of queries however many rows it returns, and
the per-work figures come from the works' stored columns (cited_by_count, references_count,
linked_references_count), not from counting rows per request.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from citations.models import Citation, UnmatchedReference
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
    """Two queries: the works' stored figures summed, and the distinct citing works and members."""
    figures = Work.objects.filter(owner=member).aggregate(
        works=Count("pk"),
        works_with_references=Count("pk", filter=Q(references_count__gt=0)),
        references=Sum("references_count", default=0),
        references_matched=Sum("linked_references_count", default=0),
        citations_received=Sum("cited_by_count", default=0),
    )
    citing = _counted_to(member).aggregate(
        citing_works=Count("citing_work", distinct=True),
        citing_members=Count("citing_work__owner", distinct=True),
    )
    return Totals(**figures, **citing)


def _counted_to(member: Member) -> QuerySet[Citation]:
    return Citation.objects.filter(cited_work__owner=member, status__in=Citation.COUNTED)


def newest_citations(member: Member, *, days: int, limit: int = 20, now: datetime.datetime | None = None) -> list[Citation]:
    """The newest counted links to the member's works found in the last `days` days (one query)."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return list(
        _counted_to(member).filter(created__gte=since)
        .select_related("citing_work", "citing_work__owner", "cited_work")
        .order_by("-created", "-pk")[:limit]
    )


def most_cited(member: Member, *, limit: int = 10) -> list[Work]:
    return list(Work.objects.filter(owner=member, cited_by_count__gt=0).order_by("-cited_by_count", "doi")[:limit])


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
        works = works.filter(Q(title__icontains=text) | Q(doi__icontains=text.lower()))
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
    return works.order_by(*DASHBOARD_SORTS.get(query.sort, DASHBOARD_SORTS["count"]))


def work_facets(member: Member) -> tuple[list[str], list[int]]:
    """The types and publication years the member's works have, for the filters (two queries)."""
    works = Work.objects.filter(owner=member)
    types = list(works.order_by("type").values_list("type", flat=True).distinct())
    years = list(works.exclude(publication_year=None).order_by("-publication_year")
                 .values_list("publication_year", flat=True).distinct())
    return types, years


def citations_per_month(*, member: Member | None = None, work: Work | None = None, months: int = 12,
                        now: datetime.datetime | None = None) -> list[tuple[datetime.date, int]]:
    """Counted links found per calendar month for the last `months` months, oldest first, months
    without any included as 0 (one query)."""
    today = (now or timezone.now()).date()
    first = _month_start(today, back=months - 1)
    links = Citation.objects.filter(status__in=Citation.COUNTED, created__gte=datetime.datetime.combine(
        first, datetime.time.min, tzinfo=datetime.timezone.utc))
    if member is not None:
        links = links.filter(cited_work__owner=member)
    if work is not None:
        links = links.filter(cited_work=work)
    found = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row["n"]
        for row in links.annotate(month=TruncMonth("created")).values("month").annotate(n=Count("pk")).order_by()
    }
    return [(month, found.get(month, 0)) for month in (_month_start(today, back=back) for back in range(months - 1, -1, -1))]


def _month_start(day: datetime.date, *, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def citing_list(member: Member, *, work: Work | None = None, prefix: str = "",
                since: datetime.date | None = None, until: datetime.date | None = None) -> QuerySet[Citation]:
    """The counted links to the member's works (one work, one prefix, or all), found from `since`
    through `until` (days, inclusive), oldest first, for export. Callers check access first."""
    links = _counted_to(member)
    if work is not None:
        links = links.filter(cited_work=work)
    if prefix:
        links = links.filter(cited_work__doi__gte=f"{prefix}/", cited_work__doi__lt=f"{prefix}0")
    if since is not None:
        links = links.filter(created__gte=_day_start(since))
    if until is not None:
        links = links.filter(created__lt=_day_start(until + datetime.timedelta(days=1)))
    return links.select_related("citing_work", "cited_work").order_by("created", "pk")


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
    """Two queries: the works' stored figures, and the unmatched references grouped by reason."""
    figures = Work.objects.filter(owner=member).aggregate(
        works=Count("pk"),
        works_with_references=Count("pk", filter=Q(references_count__gt=0)),
        references=Sum("references_count", default=0),
        references_matched=Sum("linked_references_count", default=0),
    )
    reasons = (UnmatchedReference.objects.filter(reference__citing_work__owner=member)
               .values("reason").annotate(n=Count("pk")).order_by("-n", "reason"))
    unmatched = [(row["reason"], UNMATCHED_REASONS.get(row["reason"], row["reason"]), row["n"]) for row in reasons]
    return Participation(**figures, unmatched=unmatched)
