"""Matching references to registered works, creating citation links, keeping cited-by counts right."""
from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from citations import matching
from citations.doi_links import decide_doi_references, insert_links
from citations.figures import figures_changed
from citations.link_counts import recount_links
from citations.matching.records import MatchResult, ReferenceQuery
from citations.models import Citation, MatchDecision, RejectedMatch, UnmatchedReference
from citations.reference_index import TEXT_FIELDS as REFERENCE_TEXT_FIELDS
from citations.reference_index import index_references, references_for_works, unindex_references
from citations.search import WorkIndex, work_index
from citations.work_json import forget_public_answers
from deposits.models import Reference, Work

log = logging.getLogger(__name__)


# Reference columns the matcher reads, named as in ReferenceQuery.
QUERY_FIELDS = (
    "unstructured", "doi", "journal_title", "author", "volume", "issue", "first_page", "year",
    "article_title", "issn", "isbn", "volume_title", "series_title",
)
# A reference as `_match_and_link` reads it: with its current link's cited work and version.
ROW_FIELDS = ("pk", "citing_work_id", "key", "citation__cited_work_id", "citation__cited_version", *QUERY_FIELDS)
MATCH_BATCH = 500
# Ids in one `IN (...)` list: under SQLite's and Django's limits on a statement's parameters.
ROWS_PER_QUERY = 900


def match_works(*, work_ids: Iterable[int]) -> int:
    """Match what concerns these (new or changed) works; returns how many links were made.

    - their unlinked references;
    - references waiting for their DOIs, and unmatched references the reference index finds by
      their title words or volume/page/year (never a scan of every reference);
    - the matcher's links to them (not editors' confirmed ones) decided on another version of
      them than the current one, re-checked: their metadata changed since.

    Three kinds of reference, one flow (`match_reference_queries`): a DOI checked against the
    reference's other fields, structured fields, unstructured text. Idempotent; rejected links are
    never made again. The matching (reading, CPU) runs outside transactions; each batch's writes
    take a short one. Clears the works' `match_pending` unless they changed again meanwhile.
    """
    work_ids = list(work_ids)
    started = timezone.now()
    index = work_index()
    # The receiver of works_registered indexes them at once, but it runs after commit and its
    # signal can be lost with the process; match_pending (written with the work) brings every
    # work back here until this has run, so the index converges as matching does. Idempotent.
    index.index_works(work_ids)
    works = list(Work.objects.filter(pk__in=work_ids).values("pk", "doi", "title", "volume", "first_page", "publication_year"))
    rows = _rows_of(references_to_match(work_ids=work_ids, works=works))
    return _match_rows(rows, work_ids=work_ids, started=started, index=index)


def references_to_match(*, work_ids: list[int], works: list[dict]) -> list[int]:
    """Ids of the references `match_works` takes up for these works, in order: their own unlinked
    references, unlinked references giving their DOIs, unmatched ones the reference index finds
    for them, and references the matcher linked to them on another version of them (by the link's
    `cited_version`: a work new to the registry gets its incoming links while it waits for its own
    chunk, all decided on its one version; re-checking them was a third of a bulk load's matching).

    Four index lookups, not one query ORing the four across the reference-citation join: for that
    one PostgreSQL scanned both whole tables, in time growing with them (1.3 s a chunk at 200,000
    references). `doi <> ''` is spelled out so that PostgreSQL uses the partial DOI index for a
    list of more than 100 DOIs too (beyond that it does not prove the index's condition itself).
    """
    # (`order_by()`: the default ordering, by citing work, would join the works table to sort.)
    unlinked = set(Reference.objects.filter(citing_work_id__in=work_ids).order_by().values_list("pk", flat=True))
    dois = [work["doi"] for work in works if work["doi"]]
    if dois:
        unlinked.update(Reference.objects.filter(~Q(doi=""), doi__in=dois).order_by().values_list("pk", flat=True))
    # Linked ones left out by probing the citations' unique reference index, not by joining: for
    # the join PostgreSQL hashed the whole citations table.
    candidates = sorted(unlinked)
    for start in range(0, len(candidates), ROWS_PER_QUERY):
        unlinked.difference_update(
            Citation.objects.filter(reference_id__in=candidates[start : start + ROWS_PER_QUERY]).order_by().values_list("reference_id", flat=True)
        )
    ids = unlinked
    ids.update(references_for_works(works))
    ids.update(
        Citation.objects.filter(cited_work_id__in=work_ids, status=Citation.Status.LINKED)
        .filter(Q(cited_version__isnull=True) | ~Q(cited_version=F("cited_work__updated")))
        .order_by().values_list("reference_id", flat=True)
    )
    return sorted(ids)


def _rows_of(reference_ids: list[int]) -> list[dict]:
    """The references' fields the matcher reads, with their current link, in id order."""
    rows: list[dict] = []
    for start in range(0, len(reference_ids), ROWS_PER_QUERY):
        rows.extend(
            Reference.objects.filter(pk__in=reference_ids[start : start + ROWS_PER_QUERY])
            .order_by("pk")
            .values(*ROW_FIELDS)
        )
    return rows


def rematch_references(*, reference_ids: Iterable[int]) -> int:
    """Try again references left unmatched (the periodic retry of the rest, in bounded chunks)."""
    rows = list(
        Reference.objects.filter(pk__in=list(reference_ids), citation__isnull=True)
        .order_by("pk")
        .values(*ROW_FIELDS)
    )
    return _match_rows(rows, work_ids=[], started=timezone.now())


def unmatched_reference_ids(*, limit: int) -> list[int]:
    """The unmatched references tried longest ago, except those that wait for a decision or a DOI."""
    settled = ["rejected", "self-reference", "doi-not-registered"]
    return list(
        UnmatchedReference.objects.exclude(reason__in=settled).order_by("tried").values_list("reference_id", flat=True)[:limit]
    )


def _match_rows(rows: list[dict], *, work_ids: list[int], started, index: WorkIndex | None = None) -> int:
    made = 0
    index = index or work_index()
    touched: set[int] = set()
    relinked: set[int] = set()
    decided_on: dict[int, set[datetime | None]] = defaultdict(set)
    for start in range(0, len(rows), MATCH_BATCH):
        made += _match_and_link(rows[start : start + MATCH_BATCH], index=index, touched=touched, relinked=relinked, decided_on=decided_on)
    # Counts once per chunk, not in every batch's transaction: a popular work's count is a pass
    # over all its citations, and its row stays locked (other workers recounting it wait) until
    # the transaction ends. A run stopped between its links and this recount leaves counts behind
    # until it runs again (acks_late), and the run again finds those links made, not to be made:
    # so the chunk's works and the works its citing works cite are recounted as well.
    if work_ids:
        touched.update(work_ids)
        # (`order_by()`: the default ordering's columns would join the DISTINCT, a row per link.)
        touched.update(Citation.objects.filter(citing_work_id__in=work_ids).order_by().values_list("cited_work_id", flat=True).distinct())
    citing = {row["citing_work_id"] for row in rows} | set(work_ids)
    with transaction.atomic():
        moved = recount_links(cited_ids=touched, citing_ids=citing)
        if work_ids:  # in the same transaction: the chunk's works are done exactly when their counts are
            Work.objects.filter(pk__in=work_ids, match_pending=True, updated__lte=started).update(match_pending=False)
        _recheck_changed_meanwhile(decided_on)
        # The citing works' owners' figures change with their references' matched and unmatched
        # reasons, the other works' with their counts; cached answers go only where counts or
        # links changed (most works of a chunk keep theirs).
        figures_changed(work_ids=moved | citing)
        transaction.on_commit(partial(forget_public_answers, work_ids=moved | relinked))
    log.info("matched %s of %s references for %s works", made, len(rows), len(work_ids))
    return made


def _recheck_changed_meanwhile(decided_on: dict[int, set[datetime | None]]) -> None:
    """Match again the works that changed while this chunk decided links to them.

    A link decided on a work's row read just before a re-deposit, and written after the work's
    own chunk read its links, would stand on the old metadata until the work changed again. Run
    in the recount's transaction, which holds every linked work's row lock (FOR NO KEY UPDATE,
    as a re-deposit's update does): a change committed before it shows here, and one after it
    comes with a chunk of its own that reads this chunk's links (committed already). Those
    found are marked pending and queued once this commits; their chunk re-checks the links
    made on another version (`references_to_match`).
    """
    if not decided_on:
        return
    ids, changed = sorted(decided_on), []
    for start in range(0, len(ids), ROWS_PER_QUERY):
        versions = Work.objects.filter(pk__in=ids[start : start + ROWS_PER_QUERY]).values_list("pk", "updated")
        changed.extend(pk for pk, updated in versions if updated not in decided_on[pk])
    if not changed:
        return
    from citations.tasks import match_works_task  # (the tasks module imports this one)

    # Marked too, for the reconciler if the task is lost (the work's own running chunk may clear
    # the mark: it started after the change, so the task queued here is what makes sure).
    Work.objects.filter(pk__in=changed).update(match_pending=True)
    log.info("works %s changed while links to them were decided: matched again", changed[:20])
    transaction.on_commit(partial(match_works_task.delay, sorted(changed)))


def _match_and_link(
    rows: list[dict], *, index: WorkIndex, touched: set[int], relinked: set[int], decided_on: dict[int, set[datetime | None]]
) -> int:
    """Match and write one batch; adds to `touched` the works whose cited-by counts it may have
    changed (the caller recounts them), to `relinked` the works whose links it changed (on
    either side: what their cached widget data and Crossref JSON show), and to `decided_on` the
    versions of the works it wrote links to (or confirmed them on) that it decided on."""
    results = match_reference_queries([_query_of(row) for row in rows], index=index)
    rejected = _rejections_for({row["citing_work_id"] for row in rows})
    now = timezone.now()
    links: list[dict] = []  # new links' fields (`insert_links`: no model objects for thousands of rows)
    unlinked: list[int] = []  # re-checked links the matcher no longer stands by
    unmatched: dict[int, str] = {}
    confirmed: dict[datetime | None, list[int]] = defaultdict(list)  # re-checked links the matcher stands by, by the version it read now
    for row, result in zip(rows, results):
        current = row["citation__cited_work_id"]
        if current is not None:
            touched.add(current)
        cited = result.work.id if result.work is not None and result.outcome == "matched" else None
        if current is not None:
            if cited == current:
                decided_on[current].add(result.work.version)
                if row["citation__cited_version"] != result.work.version:
                    confirmed[result.work.version].append(row["pk"])
                continue
            unlinked.append(row["pk"])
        if result.work is None:
            unmatched[row["pk"]] = result.reason or "no-candidates"
            continue
        cited = result.work.id
        if (row["citing_work_id"], row["key"], cited) in rejected:
            unmatched[row["pk"]] = "rejected"
            continue
        if cited == row["citing_work_id"]:
            unmatched[row["pk"]] = "self-reference"
            continue
        links.append(
            dict(
                reference_id=row["pk"], citing_work_id=row["citing_work_id"], cited_work_id=cited,
                method=result.method, score=round(result.score, 4), agreed=list(result.agreed),
                note=_note(result),
                status=Citation.Status.FLAGGED if result.outcome == "contradicted" else Citation.Status.LINKED,
                counted_since=None if result.outcome == "contradicted" else now,
                cited_version=result.work.version,
            )
        )
    touched.update(link["cited_work_id"] for link in links)
    with transaction.atomic():
        # A re-deposit may have replaced some of these references while they were matched.
        # (`order_by()`: the default ordering, by citing work, would join the works table to sort.)
        alive = set(Reference.objects.filter(pk__in=[row["pk"] for row in rows]).order_by().values_list("pk", flat=True))
        if unlinked:
            stale = Citation.objects.filter(reference_id__in=unlinked, status=Citation.Status.LINKED)
            for cited_work_id, citing_work_id in stale.values_list("cited_work_id", "citing_work_id"):
                touched.add(cited_work_id)
                relinked.update((cited_work_id, citing_work_id))
            stale.delete()
        for version, reference_ids in confirmed.items():  # decided on this version now: not re-checked again for it
            Citation.objects.filter(reference_id__in=reference_ids).update(cited_version=version)
        links = [link for link in links if link["reference_id"] in alive]
        insert_links(links)
        for link in links:
            decided_on[link["cited_work_id"]].add(link["cited_version"])
        relinked.update(work_id for link in links for work_id in (link["cited_work_id"], link["citing_work_id"]))
        linked = [link["reference_id"] for link in links]
        UnmatchedReference.objects.filter(reference_id__in=linked).delete()
        unindex_references(linked)
        now = timezone.now()
        UnmatchedReference.objects.bulk_create(
            [UnmatchedReference(reference_id=pk, reason=reason[:30], tried=now) for pk, reason in unmatched.items() if pk in alive],
            update_conflicts=True, unique_fields=["reference"], update_fields=["reason", "tried"],
        )
        index_references(row for row in rows if row["pk"] in unmatched and row["pk"] in alive)
    return sum(1 for link in links if link["status"] != Citation.Status.FLAGGED)


def _note(result: MatchResult) -> str:
    """The rule that accepted a match, or for a contradicted DOI the fields that disagree."""
    if result.outcome == "contradicted" and (fields := result.details.get("contradicted")):
        return f"contradicted by the reference's {', '.join(fields)}"[:255]
    return (result.reason or "")[:255]


def _query_of(row: dict) -> ReferenceQuery:
    return ReferenceQuery(**{field: row[field] or "" for field in QUERY_FIELDS})


def _rejections_for(citing_work_ids: set[int]) -> set[tuple[int, str, int]]:
    return set(
        RejectedMatch.objects.filter(citing_work_id__in=citing_work_ids).values_list("citing_work_id", "reference_key", "cited_work_id")
    )


def pending_work_ids(*, older_than: timedelta, limit: int) -> list[int]:
    """Works registered or changed a while ago whose matching never finished (a lost task)."""
    cutoff = timezone.now() - older_than
    return list(
        Work.objects.filter(match_pending=True, updated__lt=cutoff).order_by("updated").values_list("pk", flat=True)[:limit]
    )


def refresh_link_counts(*, cited_ids: Iterable[int] = (), citing_ids: Iterable[int] = ()) -> set[int]:
    """Recount the cited-by counts of the works `cited_ids` (distinct citing works) and the
    linked references counts of the works `citing_ids` (citations.link_counts: rows locked in id
    order, so recounts running side by side never deadlock); their owners' figures follow
    (debounced) and their cached answers are forgotten once committed. Returns the works whose
    counts moved."""
    cited_ids, citing_ids = set(cited_ids), set(citing_ids)
    if not cited_ids and not citing_ids:
        return set()
    with transaction.atomic(savepoint=False):  # (the row locks need a transaction; a caller's will do)
        moved = recount_links(cited_ids=cited_ids, citing_ids=citing_ids)
    changed = sorted(cited_ids | citing_ids)
    # The owners' stored figures: citations received, citing works and members, references matched.
    figures_changed(work_ids=changed)
    # Every change to a work's links comes through here: its cached answers (the widget's list,
    # its JSON's is-referenced-by-count and matched DOIs, its cited-by pages) go with the counts,
    # once the change is committed (earlier, a reader could cache the old state again).
    transaction.on_commit(partial(forget_public_answers, work_ids=changed))
    return moved


def refresh_cited_by_counts(*, work_ids: Iterable[int]) -> None:
    """Set each work's cited-by count to its number of distinct citing works (refresh_link_counts)."""
    refresh_link_counts(cited_ids=work_ids)


def refresh_linked_counts(*, work_ids: Iterable[int]) -> None:
    """Set each work's linked_references_count: its references with a counted link (refresh_link_counts)."""
    refresh_link_counts(citing_ids=work_ids)


def match_reference_queries(
    queries: Sequence[ReferenceQuery], *, index: WorkIndex | None = None, limit: int = 20
) -> list[MatchResult]:
    """The matcher's answer for each reference, in order: candidates from the index, then `match`.

    The matcher says what to look up (`candidate_query`); the index fetches the candidates of the
    whole batch in a few queries; the matcher picks among them. Pass one `index` for many calls
    to reuse its cache of works (a long-lived process should make a new one now and then).
    """
    index = index or work_index()
    asked = [matching.candidate_query(query) for query in queries]
    # References with a DOI are decided among their DOIs' works alone, fetched for the whole
    # batch in one query (`doi_links`): no candidate search, no cache of works to fill.
    results: list[MatchResult | None] = decide_doi_references(queries, [question.dois for question in asked], using=index.using)
    # References giving a volume and first page are first matched among the works at that place
    # alone: a full-text search (the costliest lookup) is only made for those this leaves open.
    placed = [n for n, question in enumerate(asked) if question.volume_pages and results[n] is None]
    if placed:
        found = index.candidates([asked[n] for n in placed], limit=limit, text=False)
        for n, candidates in zip(placed, found):
            if 0 < len(candidates) < limit:  # (a busy page cut to `limit` works may hide a rival)
                result = matching.match(queries[n], candidates=candidates)
                if matching.settled_by_place(queries[n], result):
                    results[n] = result
    rest = [n for n, result in enumerate(results) if result is None]
    found = index.candidates([asked[n] for n in rest], limit=limit)
    for n, candidates in zip(rest, found):
        results[n] = matching.match(queries[n], candidates=candidates)
    return results


# --- Editors' decisions about links ---------------------------------------------------------


class DecisionRefused(Exception):
    """The decision does not apply to the link as it is now (decided already, or gone)."""

    GONE = "this link is gone already (rejected, or its citing work was re-deposited)."


def citation_confirm(*, citation: Citation, by) -> Citation:
    """An editor of the cited work says the matcher was right: the link stays, marked confirmed."""
    with transaction.atomic():
        current = _locked(citation)
        if current.status != Citation.Status.LINKED:
            raise DecisionRefused(f"this link is {current.get_status_display().lower()}; only links made by the matcher are confirmed.")
        _decide(current, status=Citation.Status.CONFIRMED, by=by, action=MatchDecision.Action.CONFIRM)
    return current


def citation_accept_flagged(*, citation: Citation, by) -> Citation:
    """An editor accepts a DOI reference the matcher flagged as contradicting the work: it counts now."""
    with transaction.atomic():
        current = _locked(citation)
        if current.status != Citation.Status.FLAGGED:
            raise DecisionRefused("only links waiting for an editor (flagged) are accepted.")
        _decide(current, status=Citation.Status.CONFIRMED, by=by, action=MatchDecision.Action.ACCEPT)
        # It counts from now on: callbacks and digests announce it as new.
        Citation.objects.filter(pk=current.pk).update(counted_since=current.decided_at)
        refresh_link_counts(cited_ids=[current.cited_work_id], citing_ids=[current.citing_work_id])
    return current


def citation_reject(*, citation: Citation, by) -> RejectedMatch:
    """An editor says this reference does not cite this work: the link goes, the count drops, and
    neither re-matching nor a re-deposit of the citing work (same reference key) makes it again."""
    with transaction.atomic():
        current = _locked(citation)
        reference_key = Reference.objects.filter(pk=current.reference_id).values_list("key", flat=True).get()
        rejection, _ = RejectedMatch.objects.get_or_create(
            citing_work_id=current.citing_work_id, reference_key=reference_key, cited_work_id=current.cited_work_id,
            defaults={"method": current.method, "score": current.score, "rejected_by": by},
        )
        _record(current, reference_key=reference_key, by=by, action=MatchDecision.Action.REJECT)
        current.delete()
        UnmatchedReference.objects.update_or_create(reference_id=current.reference_id, defaults={"reason": "rejected"})
        # Unmatched again, so findable again when the work it does cite is registered.
        index_references(Reference.objects.filter(pk=current.reference_id).values("pk", *REFERENCE_TEXT_FIELDS))
        refresh_cited_by_counts(work_ids=[current.cited_work_id])
    return rejection


def _locked(citation: Citation) -> Citation:
    current = Citation.objects.select_for_update().filter(pk=citation.pk).first()
    if current is None:
        raise DecisionRefused(DecisionRefused.GONE)
    return current


def _decide(citation: Citation, *, status: str, by, action: str) -> None:
    citation.status = status
    citation.decided_by = by
    citation.decided_at = timezone.now()
    citation.save(update_fields=["status", "decided_by", "decided_at"])
    _record(citation, reference_key=citation.reference.key, by=by, action=action)
    # The cited-by pages show each link's status (rejecting recounts, which forgets them too).
    transaction.on_commit(partial(forget_public_answers, work_ids=[citation.cited_work_id]))


def _record(citation: Citation, *, reference_key: str, by, action: str) -> MatchDecision:
    return MatchDecision.objects.create(
        citing_work_id=citation.citing_work_id, reference_key=reference_key, cited_work_id=citation.cited_work_id,
        action=action, method=citation.method, score=citation.score, by=by, by_email=getattr(by, "email", "") or "",
    )
