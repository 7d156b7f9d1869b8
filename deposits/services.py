"""Receiving deposit files and registering the works they hold."""
from __future__ import annotations

import functools
import gc
import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import timedelta
from operator import attrgetter, gt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from deposits.doi import InvalidDOI, doi_prefix, normalize_doi, parse_doi
from deposits.limits import _checked_fields, first_problem
from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.signals import works_registered
from deposits.submission_log import submission_log_send
from deposits.xml import DepositFileError, ParsedWork, RecordError, read_deposit
from deposits.xml.reference_deposits import ParsedCitationList, deposit_operation, open_reference_deposit
from members.models import Member
from members.selectors import prefix_owner, prefixes_of
from portal.bulk import insert_rows
from portal.celery import DATABASE_TROUBLE

log = logging.getLogger(__name__)

# Records applied per transaction: a crash loses at most this many, and they are redone.
RECORDS_PER_TRANSACTION = 50


class RecordRefused(Exception):
    """A record that cannot be registered; its message is shown to the depositor as is."""


class AlreadyRegistered(Exception):
    """The very same record was registered before from an identical file: a warning, not a failure."""


# --- Receiving ---------------------------------------------------------------------------------


def deposit_create(
    *, member: Member, file: File, filename: str, uploaded_by=None, operation: str | None = Deposit.Operation.METADATA
) -> Deposit:
    """Store an uploaded deposit file and queue it for the worker. Returns at once.

    `operation` is Crossref's (doMDUpload, doDOICitUpload); None reads it from the file's root
    namespace (the upload form and the command do that). A file whose namespace contradicts the
    operation given is refused here, naming both, rather than failing later in the worker.
    """
    if operation is not None and operation not in Deposit.Operation.values:
        raise ValidationError(f"Unknown operation {operation!r}; use one of {', '.join(Deposit.Operation.values)}.")
    size = file.size
    limit = settings.DEPOSIT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            f"{filename} is {filesizeformat(size)}; a deposit file may be at most {filesizeformat(limit)}. "
            "Split it into several files."
        )
    if size == 0:
        raise ValidationError(f"{filename} is empty.")
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    operation = _checked_operation(file, filename=filename, operation=operation)
    deposit = Deposit(
        member=member, uploaded_by=uploaded_by, filename=filename, size=size, sha256=digest.hexdigest(), operation=operation,
        lease_expires=timezone.now() + timedelta(seconds=settings.DEPOSIT_QUEUE_PATIENCE_SECONDS),
    )
    deposit.file.save(filename, file, save=False)
    deposit.save()
    _enqueue_processing(deposit)
    return deposit


_OPERATION_FILES = {
    Deposit.Operation.METADATA: "a metadata deposit (works with their references; namespace http://www.crossref.org/schema/…)",
    Deposit.Operation.REFERENCES: "a reference-only deposit (doi_citations; namespace http://www.crossref.org/doi_resources_schema/…)",
}


def _checked_operation(file: File, *, filename: str, operation: str | None) -> str:
    found = deposit_operation(file)
    if operation is None:
        # Unrecognisable files go the metadata way, whose processing says what is wrong with them.
        return found or Deposit.Operation.METADATA
    if found is not None and found != operation:
        raise ValidationError(
            f"{filename} is {_OPERATION_FILES[found]}, but it was sent with operation {operation}, which expects "
            f"{_OPERATION_FILES[operation]}. Send it with operation {found}."
        )
    return operation


def deposit_create_from_bytes(
    *, member: Member, content: bytes, filename: str, uploaded_by=None, operation: str | None = Deposit.Operation.METADATA
) -> Deposit:
    return deposit_create(
        member=member, file=ContentFile(content, name=filename), filename=filename, uploaded_by=uploaded_by, operation=operation
    )


def _enqueue_processing(deposit: Deposit) -> None:
    transaction.on_commit(lambda: _send_processing_task(deposit.pk))


def _send_processing_task(deposit_id: int) -> None:
    """Queue the deposit's task. The row is the truth: if the broker is down, the deposit stays
    "queued" and the reconciler queues it again once its patience runs out."""
    from deposits.tasks import process_deposit

    try:
        process_deposit.delay(deposit_id)
    except Exception:  # the broker's errors vary with the transport; none may lose the upload
        log.exception("deposit %s could not be queued now; the reconciler will queue it", deposit_id)


def deposits_requeue_stale(*, limit: int = 100) -> list[int]:
    """Queue again the unfinished deposits that no live task holds. Returns their ids.

    Queued: waited longer than their patience (the message may never have reached the
    broker). Processing: their lease ran out (the task's worker died). Each deposit is queued
    at most once per lease period, so a long queue is not flooded with copies.
    """
    now = timezone.now()
    stale = list(
        Deposit.objects.filter(status__in=[Deposit.Status.QUEUED, Deposit.Status.PROCESSING])
        .filter(Q(lease_expires__isnull=True) | Q(lease_expires__lt=now))
        .filter(Q(requeued__isnull=True) | Q(requeued__lt=now - _lease_seconds()))
        .order_by("created")
        .values_list("pk", flat=True)[:limit]
    )
    if stale:
        Deposit.objects.filter(pk__in=stale).update(requeued=now)
        for deposit_id in stale:
            _send_processing_task(deposit_id)
        log.warning("re-queued %s unfinished deposit(s) no task was holding: %s", len(stale), stale)
    return stale


def deposit_files_purge(*, older_than: timedelta) -> int:
    """Remove the stored files of deposits that registered nothing, once they are this old.

    Their rows (and per-record results) stay, so the depositor still reads what went wrong.
    """
    cutoff = timezone.now() - older_than
    done = Deposit.objects.filter(status__in=Deposit.FINAL_STATUSES, success_count=0, finished__lt=cutoff).exclude(file="")
    removed = 0
    for deposit in done.iterator():
        deposit.file.delete(save=False)
        Deposit.objects.filter(pk=deposit.pk).update(file="")
        removed += 1
    return removed


# --- Processing (in the worker) ------------------------------------------------------------------


class LeaseLost(Exception):
    """Another task took the deposit over (ours was presumed dead); stop without writing."""


def _lease_seconds() -> timedelta:
    return timedelta(seconds=settings.DEPOSIT_LEASE_SECONDS)


def deposit_claim(*, deposit_id: int) -> str | None:
    """Take the deposit for this task: a new lease token, or None if a live task holds it.

    A queued deposit is free; a processing one only when its lease ran out. One UPDATE with
    the condition in its WHERE clause, so two tasks racing for it cannot both win.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    free = Q(status=Deposit.Status.QUEUED) | Q(lease_expires__isnull=True) | Q(lease_expires__lt=now)
    claimed = (
        Deposit.objects.filter(free, pk=deposit_id, status__in=[Deposit.Status.QUEUED, Deposit.Status.PROCESSING])
        .update(
            status=Deposit.Status.PROCESSING,
            lease_token=token,
            lease_expires=now + _lease_seconds(),
            started=Coalesce(F("started"), Value(now)),
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _renew_lease(deposit: Deposit, token: str) -> None:
    """Extend our lease; inside a chunk's transaction, so a chunk commits only while we hold it."""
    renewed = Deposit.objects.filter(pk=deposit.pk, lease_token=token).update(lease_expires=timezone.now() + _lease_seconds())
    if not renewed:
        raise LeaseLost(f"deposit {deposit.pk} was taken over by another task")


def deposit_process(*, deposit_id: int) -> Deposit | None:
    """Parse a queued deposit and register its records. Safe to run again, and at the same time.

    Records already given a result are skipped, so a task that takes over from a dead one
    resumes where it stopped and nothing is applied twice; a task that finds the deposit held
    by a live one leaves it alone.
    """
    deposit = Deposit.objects.filter(pk=deposit_id).first()
    if deposit is None:  # a message outliving its row (e.g. a database reset): nothing to do
        log.warning("deposit %s no longer exists; task dropped", deposit_id)
        return None
    if deposit.is_final:
        return deposit
    token = deposit_claim(deposit_id=deposit.pk)
    if token is None:
        log.info("deposit %s is being processed by another task; this one stops", deposit.pk)
        return deposit
    try:
        return _process(deposit, token)
    except LeaseLost as lost:
        log.warning("%s; this task stops", lost)
        return deposit
    except DATABASE_TROUBLE:
        raise  # the database went away: the task retries later and resumes
    except Exception:
        # A bug must not leave the depositor watching "processing" for ever.
        log.exception("deposit %s failed unexpectedly", deposit.pk)
        _finish(deposit, status=Deposit.Status.FAILED, message=f"{deposit.filename}: an internal error stopped processing. "
                "The agency's staff have the details.")
        raise


def _process(deposit: Deposit, token: str) -> Deposit:
    references_only = deposit.operation == Deposit.Operation.REFERENCES
    try:
        head, records = _read_whole_reference_file(deposit) if references_only else _read_whole_file(deposit)
    except DepositFileError as error:
        return _finish(deposit, status=Deposit.Status.FAILED, message=_file_error_text(deposit, error))
    except FileNotFoundError:
        return _finish(deposit, status=Deposit.Status.FAILED, message=f"{deposit.filename}: the stored file is missing.")
    Deposit.objects.filter(pk=deposit.pk).update(doi_batch_id=head.doi_batch_id[:255], record_count=len(records))
    done = set(RecordResult.objects.filter(deposit=deposit).values_list("position", flat=True))
    pending = [(position, item) for position, item in enumerate(records, start=1) if position not in done]
    # Speed: the file's records (some half a million objects for 40,000 references) live until
    # the end, and the cyclic garbage collector walked them all again at each of its full passes
    # (a third of an apply). Frozen, it leaves them out; reference counting still frees them.
    gc.freeze()
    try:
        for start in range(0, len(pending), RECORDS_PER_TRANSACTION):
            _apply_chunk(deposit, pending[start : start + RECORDS_PER_TRANSACTION], token)
            _refresh_counts(deposit)
    finally:
        gc.unfreeze()
    return _finish(deposit, status=Deposit.Status.COMPLETED)


def _read_whole_file(deposit: Deposit):
    """Read every record before applying any, so a file that breaks half-way applies nothing."""
    with deposit.file.open("rb") as handle:
        return read_deposit(handle, max_bytes=settings.DEPOSIT_MAX_BYTES)


def _read_whole_reference_file(deposit: Deposit):
    with deposit.file.open("rb") as handle:
        stream = open_reference_deposit(handle, max_bytes=settings.DEPOSIT_MAX_BYTES)
        return stream.head, list(stream)


def _file_error_text(deposit: Deposit, error: DepositFileError) -> str:
    where = f"{deposit.filename}, line {error.line}" if error.line else deposit.filename
    return f"{where}: {error.message}"


def _apply_chunk(deposit: Deposit, chunk: list[tuple[int, Any]], token: str) -> None:
    # A file's records nearly all share one prefix: ask who owns it once per chunk, not per record.
    deposit._prefix_owners = {}
    with transaction.atomic():
        _renew_lease(deposit, token)
        applied = None
        if deposit.operation != Deposit.Operation.REFERENCES:
            applied = _apply_metadata_in_bulk(deposit, chunk)
        if applied is None:
            applied = _apply_one_by_one(deposit, chunk)
        results, registered = applied
        # One statement for the chunk's results (same transaction as the records they describe).
        RecordResult.objects.bulk_create(results)
        if registered:
            transaction.on_commit(lambda: works_registered.send(sender=Work, work_ids=registered))


def _result(deposit: Deposit, position: int, item) -> RecordResult:
    return RecordResult(deposit=deposit, position=position, doi=(normalize_doi(item.doi) or item.doi)[:255], line=item.line)


def _apply_one_by_one(deposit: Deposit, chunk: list[tuple[int, Any]]) -> tuple[list[RecordResult], list[int]]:
    """Each record in a savepoint of its own: whatever goes wrong with one, the others are stored."""
    apply = _apply_reference_list if deposit.operation == Deposit.Operation.REFERENCES else _apply_record
    registered: list[int] = []
    results: list[RecordResult] = []
    for position, item in chunk:
        result = _result(deposit, position, item)
        try:
            with transaction.atomic():
                work, message = apply(deposit, item)
            registered.append(work.pk)
            # Warnings leave the record registered, everything kept; the log says what to fix.
            warned = isinstance(item, ParsedWork) and item.warnings
            result.status = RecordResult.Status.WARNING if warned else RecordResult.Status.SUCCESS
            result.message = message
        except RecordRefused as refusal:
            result.status, result.message = RecordResult.Status.FAILURE, str(refusal)
        except AlreadyRegistered as same:
            result.status, result.message = RecordResult.Status.WARNING, str(same)
        except DATABASE_TROUBLE:
            raise  # not this record's fault: the whole chunk is redone when the task retries
        except Exception as error:
            # One bad record must not stop the batch, whatever went wrong with it; the log
            # keeps the detail for staff.
            log.exception("deposit %s record %s could not be stored", deposit.pk, position)
            result.status = RecordResult.Status.FAILURE
            result.message = (
                f"line {item.line}: the record could not be stored ({type(error).__name__}); "
                "the agency's staff have the details."
            )
        results.append(result)
    return results, registered


class _OneByOne(Exception):
    """The chunk is not one the bulk path handles (a DOI given twice in it); apply it record by record."""


def _apply_metadata_in_bulk(deposit: Deposit, chunk: list[tuple[int, Any]]) -> tuple[list[RecordResult], list[int]] | None:
    """The chunk's records with a few statements for all of them instead of several per record:
    its works looked up (and locked) in one query, new works inserted together, their references
    in one pass. The decisions and messages are `_apply_record`'s. None when the chunk must go
    record by record instead (a DOI twice in it, or a write that failed, e.g. a DOI another task
    registered meanwhile): nothing of it is kept then, and `_apply_one_by_one` says which record
    failed and why, as before.
    """
    try:
        with transaction.atomic():  # a savepoint: a failed bulk write leaves nothing behind
            return _bulk_records(deposit, chunk)
    except DATABASE_TROUBLE:
        raise
    except _OneByOne:
        return None
    except Exception:
        log.warning("deposit %s: a chunk is applied record by record after its bulk write failed", deposit.pk, exc_info=True)
        return None


def _bulk_records(deposit: Deposit, chunk: list[tuple[int, Any]]) -> tuple[list[RecordResult], list[int]]:
    if _reference_columns() is None:
        raise _OneByOne  # the Reference model changed: only the model's own path knows its fields
    dois: dict[int, str] = {}
    results: dict[int, RecordResult] = {}
    for position, item in chunk:
        results[position] = _result(deposit, position, item)
        try:
            dois[position] = _record_doi(item)
        except RecordRefused as refusal:
            results[position].status, results[position].message = RecordResult.Status.FAILURE, str(refusal)
    if len(set(dois.values())) != len(dois):
        raise _OneByOne  # a later record must see what an earlier one of the same DOI did
    # Locked in one order (by DOI), so two tasks with overlapping chunks cannot deadlock.
    found = {work.doi: work for work in Work.objects.select_for_update().filter(doi__in=dois.values()).order_by("doi")}
    last_files = dict(
        Deposit.objects.filter(pk__in={work.last_deposit_id for work in found.values() if work.last_deposit_id})
        .values_list("pk", "sha256")
    )

    def same_file(work: Work) -> bool:
        return work.last_deposit_id is not None and last_files.get(work.last_deposit_id) == deposit.sha256

    owners = getattr(deposit, "_prefix_owners", None)
    accepted: list[tuple[int, Any, Work, list]] = []  # (position, item, work, its references' values or rows)
    for position, item in chunk:
        if position not in dois:
            continue
        result = results[position]
        try:
            work, created = _checked_work(deposit, item, dois[position], found.get(dois[position]), owners=owners,
                                          same_file=same_file)
            # A new work's references go in as plain rows; an existing one's are compared with those stored.
            references = _reference_values(item, work.doi) if created else _checked_references(work, item)
        except RecordRefused as refusal:
            result.status, result.message = RecordResult.Status.FAILURE, str(refusal)
            continue
        except AlreadyRegistered as same:
            result.status, result.message = RecordResult.Status.WARNING, str(same)
            continue
        accepted.append((position, item, work, references))
    new_works = [work for _position, _item, work, _references in accepted if work.pk is None]
    if new_works:
        Work.objects.bulk_create(new_works)
        if any(work.pk is None for work in new_works):  # a database that does not return the new ids
            raise _OneByOne
    rows: list[tuple] = []
    new = set(map(id, new_works))
    for position, item, work, references in accepted:
        created = id(work) in new
        if created:
            pk = (work.pk,)
            rows += [pk + values for values in references]
        else:
            work.save()
            _replace_references(work, references)
        result = results[position]
        result.status = RecordResult.Status.WARNING if item.warnings else RecordResult.Status.SUCCESS
        result.message = _done_message(item, created=created)
    _insert_reference_rows(rows)
    return [results[position] for position, _item in chunk], [work.pk for _position, _item, work, _references in accepted]


def _done_message(item: ParsedWork, *, created: bool) -> str:
    done = "Successfully added" if created else "Successfully updated"
    if item.warnings:
        return f"{done}, with {len(item.warnings)} warning(s): " + " · ".join(item.warnings)
    return done


def _record_doi(item) -> str:
    """The record's DOI, normalised; a record the parser could not read, or a bad DOI, is refused."""
    if isinstance(item, RecordError):
        raise RecordRefused(f"line {item.line}: {item.message}")
    try:
        return parse_doi(item.doi)
    except InvalidDOI as problem:
        raise RecordRefused(f"line {item.line}: {problem}.") from None


def _apply_record(deposit: Deposit, item: ParsedWork | RecordError) -> tuple[Work, str]:
    doi = _record_doi(item)
    work = Work.objects.select_for_update().filter(doi=doi).first()
    work, created = _checked_work(deposit, item, doi, work, owners=getattr(deposit, "_prefix_owners", None),
                                  same_file=lambda work: _same_file(work, deposit))
    references = _checked_references(work, item)
    work.save()
    _replace_references(work, references, existing=not created)
    return work, _done_message(item, created=created)


def _checked_work(
    deposit: Deposit, item: ParsedWork, doi: str, work: Work | None, *, owners: dict | None, same_file
) -> tuple[Work, bool]:
    """The record's work (`work`: the one registered under `doi`, if any) with the record's
    metadata copied in, unsaved, and whether it is new; RecordRefused or AlreadyRegistered when
    the record may not be applied. `same_file(work)`: was the work last deposited from this very file?"""
    _check_prefix(deposit.member, doi, owners=owners)
    if item.timestamp is None:
        raise RecordRefused(f"line {item.line}: no timestamp (give head/timestamp or doi_data/timestamp).")
    if work is not None and work.owner_id != deposit.member_id:
        raise RecordRefused(f"{doi} is registered by another member.")
    if work is not None and item.timestamp == work.deposit_timestamp and same_file(work):
        # A depositor re-uploading a file (say, after an outage) must not see its records "fail".
        raise AlreadyRegistered(
            f"{doi} is already registered with timestamp {item.timestamp} from an identical file "
            f"(deposit {work.last_deposit_id}); nothing changed."
        )
    if work is not None and work.deposit_timestamp is not None and item.timestamp <= work.deposit_timestamp:
        raise RecordRefused(
            f"Record not processed because submitted version: {item.timestamp} is less or equal to "
            f"previously submitted version {work.deposit_timestamp}. To update {doi}, deposit it with a "
            f"<timestamp> greater than {work.deposit_timestamp}."
        )
    _check_reference_keys(item)
    created = work is None
    work = work or Work(doi=doi, owner=deposit.member)
    _copy_metadata(work, item, deposit)
    if problem := first_problem(work):
        raise RecordRefused(f"line {item.line}: {doi}: {problem}.")
    return work, created


def _checked_references(work: Work, item: ParsedWork) -> list[Reference]:
    references = _references(work, item.references)
    for reference in references:
        if problem := first_problem(reference):
            raise RecordRefused(f"line {item.line}: citation “{reference.key[:80]}” of {work.doi}: {problem}.")
    return references


def _apply_reference_list(deposit: Deposit, item: ParsedCitationList | RecordError) -> tuple[Work, str]:
    """A reference-only deposit's record: replace the reference list of a work the member registered.

    Timestamps: doi_citations carry none of their own (the head's is optional in the
    doi_resources schema), and a reference list is not the metadata that <timestamp> versions.
    So the work's metadata timestamp is neither checked nor changed (a later metadata deposit
    still needs only a newer <timestamp> than the last metadata deposit), and the reference list
    last applied wins, as with Crossref's resource deposits.
    """
    doi = _record_doi(item)
    work = Work.objects.select_for_update().filter(doi=doi).first()
    if work is None:
        raise RecordRefused(
            f"line {item.line}: {doi} is not registered; a reference-only deposit changes the references of works "
            "already registered. Deposit the work's metadata (with its references) first."
        )
    if work.owner_id != deposit.member_id:
        raise RecordRefused(f"line {item.line}: {doi} is registered by another member; only its owner deposits its references.")
    _check_reference_keys(item)
    references = _references(work, item.references)
    for reference in references:
        if problem := first_problem(reference):
            raise RecordRefused(f"line {item.line}: citation “{reference.key[:80]}” of {doi}: {problem}.")
    changes = _replace_references(work, references)
    work.references_count = len(references)
    work.references_deposit = deposit
    work.match_pending = True  # committed with the change, so matching cannot be forgotten
    work.save(update_fields=["references_count", "references_deposit", "match_pending", "updated"])
    return work, f"Reference list replaced: {len(references)} reference{'s' if len(references) != 1 else ''} ({changes})"


def _same_file(work: Work, deposit: Deposit) -> bool:
    return work.last_deposit_id is not None and Deposit.objects.filter(pk=work.last_deposit_id, sha256=deposit.sha256).exists()


def _check_prefix(member: Member, doi: str, *, owners: dict[str, Member | None] | None = None) -> None:
    """`owners` caches prefix owners for a chunk (one query per prefix, not per record)."""
    prefix = doi_prefix(doi)
    if owners is None:
        owner = prefix_owner(prefix)
    elif prefix in owners:
        owner = owners[prefix]
    else:
        owner = owners[prefix] = prefix_owner(prefix)
    if owner is None or owner.pk != member.pk:
        own = ", ".join(prefixes_of(member)) or "none"
        raise RecordRefused(
            f"{doi} is not under a prefix of {member.name} (its prefixes: {own}); "
            f"prefix {prefix} {'belongs to another member' if owner else 'is not assigned to any member'}."
        )


def _check_reference_keys(item: ParsedWork) -> None:
    seen: set[str] = set()
    for reference in item.references:
        if not reference.key:
            raise RecordRefused(f"citation {reference.position} of {item.doi} has no key.")
        if reference.key in seen:
            raise RecordRefused(f"citation key “{reference.key}” appears twice in the reference list of {item.doi}.")
        seen.add(reference.key)


def _copy_metadata(work: Work, item: ParsedWork, deposit: Deposit) -> None:
    work.type = item.type
    work.title = item.title
    work.subtitle = item.subtitle
    work.contributors = [asdict(c) for c in item.contributors]
    work.container_title = item.container_title
    work.book_title = item.book_title
    work.issn = item.issn
    work.isbn = item.isbn
    work.volume = item.volume
    work.issue = item.issue
    work.first_page = item.first_page
    work.last_page = item.last_page
    work.publication_year = item.publication_year
    work.published_print = item.published_print
    work.published_online = item.published_online
    work.publisher = item.publisher
    work.resource_url = item.resource_url
    work.deposit_timestamp = item.timestamp
    work.last_deposit = deposit
    work.references_count = len(item.references)
    work.references_deposit = deposit
    work.match_pending = True  # committed with the change, so matching cannot be forgotten


# What makes two references the same reference: everything deposited but its place in the list.
REFERENCE_CONTENT = (
    "key", "doi", "unstructured", "journal_title", "author", "volume", "issue", "first_page", "year", "article_title",
    "issn", "isbn", "series_title", "volume_title", "edition_number", "component_number", "type",
)


@dataclass(frozen=True)
class ReferenceChanges:
    kept: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0

    def __str__(self) -> str:
        parts = [f"{count} {word}" for count, word in
                 [(self.kept, "unchanged"), (self.changed, "changed"), (self.added, "new"), (self.removed, "removed")] if count]
        return ", ".join(parts) or "no references"


def _replace_references(work: Work, references: list[Reference], *, existing: bool = True) -> ReferenceChanges:
    """The deposited reference list replaces the old one, as a difference: a reference kept
    unchanged (same key, same content) keeps its row, and so its citation, which therefore never
    disappears and comes back while the new list is matched (cited-by counts hold steady). A
    changed reference is replaced (its citation goes, matching looks at it afresh); a dropped one
    is deleted; a new one is inserted. `existing=False` (a new work) skips the comparison."""
    old = {ref.key: ref for ref in work.references.all()} if existing else {}
    new_keys = {ref.key for ref in references}
    kept: list[Reference] = []
    moved: list[Reference] = []
    inserted: list[Reference] = []
    replaced: list[int] = []
    for reference in references:
        current = old.get(reference.key)
        if current is not None and _same_content(current, reference):
            kept.append(current)
            if current.position != reference.position:
                current.position = reference.position
                moved.append(current)
            continue
        if current is not None:
            replaced.append(current.pk)
        inserted.append(reference)
    dropped = [ref.pk for key, ref in old.items() if key not in new_keys]
    try:
        if replaced or dropped:
            # Before the inserts: a changed reference comes back under the same (unique) key.
            Reference.objects.filter(pk__in=replaced + dropped).delete()
        if moved:
            Reference.objects.bulk_update(moved, ["position"])
        _insert_references(work, inserted)
    except IntegrityError as error:  # the checks above should make this unreachable
        raise RecordRefused(f"the reference list of {work.doi} could not be stored: {error}") from error
    return ReferenceChanges(kept=len(kept), changed=len(replaced), added=len(inserted) - len(replaced), removed=len(dropped))


def _insert_references(work: Work, references: list[Reference]) -> None:
    """Insert `work`'s new references in as few statements as the database allows.

    What bulk_create stores, without its per-value preparation (most of an apply's time): every
    column is a plain string or integer (checked below; another kind falls back to bulk_create),
    and neither sends a signal. The rows' ids are not read back (nothing here uses them).
    """
    if not references:
        return
    fields = [field for field in Reference._meta.concrete_fields if not field.primary_key]
    if not all(isinstance(field, _PLAIN_COLUMNS) for field in fields):
        Reference.objects.bulk_create(references)
        return
    ops = connection.ops
    table = ops.quote_name(Reference._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    row_placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # The work may have been saved after its references were built: its id is taken from it.
    getters = [(lambda reference, pk=work.pk: pk) if field.name == "citing_work" else attrgetter(field.attname)
               for field in fields]
    # Multi-row VALUES, as many rows per statement as the database takes parameters (one
    # statement per work on PostgreSQL, a few on SQLite): one round trip, not one per row.
    batch = max(ops.bulk_batch_size(fields, references), 1)
    with connection.cursor() as cursor:
        for start in range(0, len(references), batch):
            part = references[start : start + batch]
            values = [get(reference) for reference in part for get in getters]
            placeholders = ", ".join([row_placeholders] * len(part))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {placeholders}", values)


# A new work's references, as rows: the work's id, then these values of each ParsedReference
# (the names are the model's), the DOI normalised. Position last, so the rest are all text.
_ROW_VALUES = (
    "doi", "key", "unstructured", "journal_title", "author", "volume", "issue", "first_page", "year", "article_title",
    "issn", "isbn", "series_title", "volume_title", "edition_number", "component_number", "type", "position",
)
_row_values = attrgetter(*_ROW_VALUES[1:])


def _reference_values(item: ParsedWork, doi: str) -> list[tuple]:
    """The values of the record's references as rows to insert (without the work's id), each
    checked against what the database holds (a RecordRefused names the first that does not fit).

    Speed: no Reference instance per reference (Django's model __init__ and the per-field check
    were most of an apply); a reference is checked field by field only when one of its values
    is longer than its column allows, or its position out of range, so the message is the one
    `first_problem` gives for the model.
    """
    limits, (low, high) = _reference_limits()
    rows = []
    for ref in item.references:
        values = (normalize_doi(ref.doi) if ref.doi else "", *_row_values(ref))
        if any(map(gt, map(len, values[:-1]), limits)) or not low <= values[-1] <= high:
            reference = Reference(citing_work_id=None, **dict(zip(_ROW_VALUES, values)))
            if problem := first_problem(reference):
                raise RecordRefused(f"line {item.line}: citation “{ref.key[:80]}” of {doi}: {problem}.")
        rows.append(values)
    return rows


@functools.cache
def _reference_limits() -> tuple[tuple[int, ...], tuple[int, int]]:
    """The text limit of each _ROW_VALUES column but the last, and the range of a position."""
    checked = {attname: (limit, span) for attname, _name, limit, span in _checked_fields(Reference)}
    low, high = checked["position"][1]
    return tuple(checked[name][0] for name in _ROW_VALUES[:-1]), (low or 0, high or 2**31 - 1)


@functools.cache
def _reference_columns() -> tuple[str, ...] | None:
    """The quoted columns of a reference row, or None if the model's columns are not those."""
    fields = [field for field in Reference._meta.concrete_fields if not field.primary_key]
    by_name = {field.attname: field for field in fields}
    if set(by_name) != {"citing_work_id", *_ROW_VALUES} or not all(isinstance(field, _PLAIN_COLUMNS) for field in fields):
        return None
    return tuple(connection.ops.quote_name(by_name[name].column) for name in ("citing_work_id", *_ROW_VALUES))


def _insert_reference_rows(rows: list[tuple]) -> None:
    """Insert reference rows (`_reference_values` with the work's id first) in as few round trips
    as the database allows (portal.bulk: COPY on PostgreSQL, one prepared INSERT run for every
    row on SQLite). No signal is sent and the rows' ids are not read back."""
    with connection.cursor() as cursor:
        insert_rows(cursor, table=connection.ops.quote_name(Reference._meta.db_table), columns=_reference_columns(), rows=rows)


_PLAIN_COLUMNS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def _same_content(stored: Reference, deposited: Reference) -> bool:
    return all(getattr(stored, field) == getattr(deposited, field) for field in REFERENCE_CONTENT)


def _references(work: Work, parsed: Iterable) -> list[Reference]:
    """Unsaved Reference rows of `work` for the parsed references.

    Built from positional values in the model's field order when it has exactly the fields
    given here: Django's keyword path cost about as much as all the rest of an apply per
    reference. The work's id is filled in when the rows are inserted (a new work has none yet).
    """
    names = _reference_field_names()
    cache_work = Reference.citing_work.field.set_cached_value
    rows = []
    for ref in parsed:
        values = {
            "id": None, "citing_work_id": work.pk, "key": ref.key, "position": ref.position, "doi": normalize_doi(ref.doi),
            "unstructured": ref.unstructured, "journal_title": ref.journal_title, "author": ref.author,
            "volume": ref.volume, "issue": ref.issue, "first_page": ref.first_page, "year": ref.year,
            "article_title": ref.article_title, "issn": ref.issn, "isbn": ref.isbn, "series_title": ref.series_title,
            "volume_title": ref.volume_title, "edition_number": ref.edition_number,
            "component_number": ref.component_number, "type": ref.type,
        }
        if names is None:  # the model gained or lost a field: the keyword path gives it its default
            del values["id"], values["citing_work_id"]
            rows.append(Reference(citing_work=work, **values))
            continue
        reference = Reference(*[values[name] for name in names])
        cache_work(reference, work)
        rows.append(reference)
    return rows


_BUILT_REFERENCE_FIELDS = frozenset({"id", "citing_work_id", "position", *REFERENCE_CONTENT})


@functools.cache
def _reference_field_names() -> tuple[str, ...] | None:
    names = tuple(field.attname for field in Reference._meta.concrete_fields)
    return names if set(names) == _BUILT_REFERENCE_FIELDS and len(names) == len(_BUILT_REFERENCE_FIELDS) else None


def _refresh_counts(deposit: Deposit) -> None:
    results = RecordResult.objects.filter(deposit=deposit)
    Deposit.objects.filter(pk=deposit.pk).update(
        success_count=results.filter(status=RecordResult.Status.SUCCESS).count(),
        warning_count=results.filter(status=RecordResult.Status.WARNING).count(),
        failure_count=results.filter(status=RecordResult.Status.FAILURE).count(),
    )


def _finish(deposit: Deposit, *, status: str, message: str = "") -> Deposit:
    _refresh_counts(deposit)
    Deposit.objects.filter(pk=deposit.pk).update(
        status=status, message=message, finished=timezone.now(), lease_token="", lease_expires=None
    )
    deposit.refresh_from_db()
    transaction.on_commit(lambda: submission_log_send(deposit_id=deposit.pk))  # the uploader's emailed log
    log.info("deposit %s %s: %s", deposit.pk, status, message or f"{deposit.success_count} ok, {deposit.failure_count} failed")
    return deposit
