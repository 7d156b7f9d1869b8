"""Reading deposits and works."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from deposits.doi import normalize_doi
from portal.compiled import CompiledValues
from deposits.models import Deposit, RecordResult, Work
from members.models import Member

def work_by_doi(doi: str, *, with_owner: bool = True) -> Work | None:
    """The registered work with this DOI (any form, any case), or None. `with_owner=False`, for
    the machine read paths on every request: the owner is not joined (only `owner_id` is there)
    and the query is compiled once (portal.compiled), its row read as values (a raw query's
    instance cost twice as much)."""
    normal = normalize_doi(doi)
    if not normal:
        return None
    if not with_owner:
        rows = _WORK_BY_DOI(normal)
        return Work.from_db(DEFAULT_DB_ALIAS, _WORK_COLUMNS, [rows[0][name] for name in _WORK_COLUMNS]) if rows else None
    return Work.objects.select_related("owner").filter(doi=normal).first()


_WORK_COLUMNS = [field.attname for field in Work._meta.concrete_fields]
# DOIs are unique: no ordering needed for the first, and one plan for every DOI (prepared).
_WORK_BY_DOI = CompiledValues(lambda doi: Work.objects.filter(doi=doi).order_by().values(*_WORK_COLUMNS)[:1],
                              samples=("10.0/compiled-query-sample",), prepared=True)


def deposits_of(member: Member) -> QuerySet[Deposit]:
    return Deposit.objects.filter(member=member).select_related("uploaded_by")


def deposits_sent_by(member: Member) -> QuerySet[Deposit]:
    """For the machine endpoints: the member's deposits, and those it sent for others as their
    agent (it reads the logs of what it sent, as Crossref lets a depositor do)."""
    return Deposit.objects.filter(Q(member=member) | Q(agent=member)).select_related("uploaded_by")


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
    deposits = Deposit.objects.filter(Q(member=member) | Q(agent=member))
    if doi_batch_id:
        deposits = deposits.filter(doi_batch_id=doi_batch_id)
    elif filename:
        deposits = deposits.filter(filename=filename)
    else:
        return None
    return deposits.order_by("-created", "-pk").first()


@dataclass(frozen=True)
class LinkingProgress:
    """Where matching stands for the works a deposit gave their reference lists (or one work).

    From the works' own columns: match_pending (set with the deposit's change, cleared when the
    work's references, and the references waiting for it, have been matched), references_count
    and linked_references_count (kept by citations). A work's references count as checked once
    its matching has finished, so `checked` moves by whole works, never ahead of the truth.
    """

    works: int
    works_pending: int
    references: int
    references_checked: int
    references_linked: int

    @property
    def running(self) -> bool:
        return self.works_pending > 0

    @property
    def works_checked(self) -> int:
        return self.works - self.works_pending


def _linking_progress(works: QuerySet[Work]) -> LinkingProgress:
    pending = Q(match_pending=True)
    figures = works.aggregate(
        works=Count("pk"),
        works_pending=Count("pk", filter=pending),
        references=Sum("references_count", default=0),
        references_pending=Sum("references_count", filter=pending, default=0),
        references_linked=Sum("linked_references_count", filter=~pending, default=0),
    )
    return LinkingProgress(
        works=figures["works"],
        works_pending=figures["works_pending"],
        references=figures["references"],
        references_checked=figures["references"] - figures["references_pending"],
        references_linked=figures["references_linked"],
    )


def deposit_linking(deposit_id: int) -> LinkingProgress | None:
    """Linking of the works this deposit last gave a reference list; None when it gave none."""
    progress = _linking_progress(Work.objects.filter(references_deposit_id=deposit_id))
    return progress if progress.works else None


def work_linking(work: Work) -> LinkingProgress:
    """While the work's matching runs: that of the whole deposit that changed it (so N of M moves
    as the deposit's works are done); afterwards, the work's own figures."""
    if work.match_pending and work.references_deposit_id:
        batch = deposit_linking(work.references_deposit_id)
        if batch is not None and batch.running:
            return batch
    return _linking_progress(Work.objects.filter(pk=work.pk))


def deposits_still_linking(deposit_ids: list[int]) -> set[int]:
    """Those of these deposits whose works' references are still being matched (one query)."""
    return set(
        Work.objects.filter(references_deposit_id__in=deposit_ids, match_pending=True)
        .values_list("references_deposit_id", flat=True)
        .distinct()
    )
