"""A deposit's submission log in Crossref's `doi_batch_diagnostic` XML: one builder for the
servlet's submissionDownload, the deposit page's download link and the email sent when it ends."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from lxml import etree

from deposits.models import Deposit, RecordResult

log = logging.getLogger(__name__)

# Crossref's words for where a submission is.
_BATCH_STATUS = {
    Deposit.Status.QUEUED: "queued",
    Deposit.Status.PROCESSING: "in_process",
    Deposit.Status.COMPLETED: "completed",
    Deposit.Status.FAILED: "completed",
}
_RECORD_STATUS = {
    RecordResult.Status.SUCCESS: "Success",
    RecordResult.Status.WARNING: "Warning",
    RecordResult.Status.FAILURE: "Failure",
}


def submission_log_xml(deposit: Deposit) -> bytes:
    """The log as Crossref writes it: per record its status, DOI and message, then the counts."""
    root = etree.Element("doi_batch_diagnostic", status=_BATCH_STATUS[deposit.status], sp=settings.ALLOWED_HOSTS[0])
    etree.SubElement(root, "submission_id").text = str(deposit.pk)
    etree.SubElement(root, "batch_id").text = deposit.doi_batch_id
    results = RecordResult.objects.filter(deposit=deposit).order_by("position").values_list("status", "doi", "message")
    any_result = False
    for status, doi, message in results.iterator(chunk_size=2000):
        any_result = True
        _record(root, status=_RECORD_STATUS[status], doi=doi, message=message)
    if deposit.message and not any_result:
        # The whole file failed (not well-formed, not a deposit...): Crossref logs one Failure.
        _record(root, status="Failure", doi="", message=deposit.message)
    batch = etree.SubElement(root, "batch_data")
    for name in ("record_count", "success_count", "warning_count", "failure_count"):
        etree.SubElement(batch, name).text = str(getattr(deposit, name))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _record(root, *, status: str, doi: str, message: str) -> None:
    record = etree.SubElement(root, "record_diagnostic", status=status)
    etree.SubElement(record, "doi").text = doi
    etree.SubElement(record, "msg").text = message


def submission_log_filename(deposit: Deposit) -> str:
    return f"submission-{deposit.pk}-log.xml"


def recipient_of(deposit: Deposit) -> str | None:
    """Who gets the log: the person who uploaded it, or for a key, the person who made the key."""
    if deposit.uploaded_by_id and deposit.uploaded_by.email:
        return deposit.uploaded_by.email
    key = getattr(deposit, "api_key", None)
    if key is not None and key.created_by_id:
        return key.created_by.email
    return None


def submission_log_send(*, deposit_id: int) -> bool:
    """Email the finished deposit's log to its uploader (run after commit). True when sent.

    A mail server that is down must never fail the deposit: the log stays on its page.
    """
    deposit = Deposit.objects.select_related("uploaded_by", "member").filter(pk=deposit_id).first()
    if deposit is None or not deposit.is_final:
        return False
    to = recipient_of(deposit)
    if not to:
        return False
    body = (
        f"Deposit {deposit.pk} of {deposit.member.name} ({deposit.filename}): {deposit.outcome_label}.\n"
        f"{deposit.record_count} record(s): {deposit.success_count} succeeded, {deposit.warning_count} with "
        f"warnings, {deposit.failure_count} failed.\n"
        + (f"\n{deposit.message}\n" if deposit.message else "")
        + "\nThe submission log (Crossref's doi_batch_diagnostic XML) is attached.\n"
    )
    email = EmailMessage(f"Deposit {deposit.filename}: {deposit.outcome_label}", body, None, [to])
    email.attach(submission_log_filename(deposit), submission_log_xml(deposit), "application/xml")
    try:
        email.send()
    except Exception:  # SMTP errors vary; the deposit is done either way
        log.exception("the submission log of deposit %s could not be emailed to %s", deposit.pk, to)
        return False
    return True
