"""Reading deposits and works."""
from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from deposits.doi import normalize_doi
from deposits.models import Deposit, RecordResult, Work
from members.models import Member

WORK_SORTS = {
    "cited": ("-cited_by_count", "doi"),
    "doi": ("doi",),
    "newest": ("-created", "doi"),
    "year": ("-publication_year", "doi"),
}


def work_by_doi(doi: str) -> Work | None:
    normal = normalize_doi(doi)
    if not normal:
        return None
    return Work.objects.select_related("owner").filter(doi=normal).first()


def works_of(member: Member, *, sort: str = "cited") -> QuerySet[Work]:
    return Work.objects.filter(owner=member).order_by(*WORK_SORTS.get(sort, WORK_SORTS["cited"]))


def deposits_of(member: Member) -> QuerySet[Deposit]:
    return Deposit.objects.filter(member=member).select_related("uploaded_by")


_FAILURES_FIRST = Case(
    When(status=RecordResult.Status.FAILURE, then=Value(0)),
    When(status=RecordResult.Status.WARNING, then=Value(1)),
    default=Value(2),
)


def results_of(deposit: Deposit, *, status: str = "") -> QuerySet[RecordResult]:
    """A deposit's per-record results, failures first, then warnings, then in file order."""
    results = RecordResult.objects.filter(deposit=deposit)
    if status:
        results = results.filter(status=status)
    return results.order_by(_FAILURES_FIRST, "position")


def newest_results(deposit: Deposit, *, count: int = 10) -> list[RecordResult]:
    """The last records applied, for the live progress of an unfinished deposit."""
    return list(RecordResult.objects.filter(deposit=deposit).order_by("-position")[:count])


def submission_of(member: Member, *, doi_batch_id: str = "", filename: str = "") -> Deposit | None:
    """The member's newest deposit with this batch id (or file name): Crossref's submissionDownload."""
    deposits = Deposit.objects.filter(member=member)
    if doi_batch_id:
        deposits = deposits.filter(doi_batch_id=doi_batch_id)
    elif filename:
        deposits = deposits.filter(filename=filename)
    else:
        return None
    return deposits.order_by("-created", "-pk").first()
