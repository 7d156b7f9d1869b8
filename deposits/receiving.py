"""Deposits received by the machine endpoints (Crossref's servlet, the JSON API): the same
deposit_create as the upload form, plus who sent it and the batch id to find it by at once."""
from __future__ import annotations

from django.core.files.base import File
from django.db import transaction

from deposits.models import Deposit
from deposits.services import deposit_create
from deposits.xml import open_deposit
from members.machine_auth import MachineLogin


@transaction.atomic
def deposit_receive(*, login: MachineLogin, file: File, filename: str, operation: str) -> Deposit:
    """Queue a file for `login`'s member. ValidationError (bad operation, empty, too big) as the form."""
    deposit = deposit_create(member=login.member, file=file, filename=filename, uploaded_by=login.user, operation=operation)
    # A platform asks for the log by doi_batch_id right after posting, before the worker reads
    # the file: take it from the head now (the worker sets it again from the same head).
    deposit.doi_batch_id = _batch_id(deposit)
    deposit.api_key = login.key
    deposit.save(update_fields=["doi_batch_id", "api_key"])
    return deposit


def _batch_id(deposit: Deposit) -> str:
    try:
        with deposit.file.open("rb") as handle:
            return open_deposit(handle).head.doi_batch_id[:255]
    except Exception:  # an unreadable file fails in the worker with its line; here it has no id yet
        return ""
