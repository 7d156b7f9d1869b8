"""Deposits received by the machine endpoints (Crossref's servlet, the JSON API): the same
deposit_create as the upload form, plus who sent it and the batch id to find it by at once.

Agents: a member's agent (members.AgentGrant with `deposit`) sends files with its own
credentials. The file says whom it is for: the prefix of its first DOI names the member the
deposit is made for (the principal), if the sender may deposit for that member
(members.access.may_act_for); the deposit is then the principal's, with `agent` set, and every
record is checked against the principal's prefixes as usual. Otherwise it is the sender's own.
"""
from __future__ import annotations

import re

from django.core.files.base import File
from django.db import transaction

from deposits.models import Deposit
from deposits.services import deposit_create
from deposits.xml import open_deposit
from members.access import may_act_for
from members.machine_auth import MachineLogin
from members.models import APIKey
from members.selectors import prefix_owner

# The first <doi> element's prefix (in a metadata deposit or a doi_citations file), from the
# file's first 64 KB: no XML parsing needed to know whom the file is for.
_FIRST_DOI = re.compile(rb"<(?:[\w.-]+:)?doi(?:\s[^>]*)?>\s*(10\.\d{4,9})/")
_HEAD_BYTES = 64 * 1024


@transaction.atomic
def deposit_receive(*, login: MachineLogin, file: File, filename: str, operation: str) -> Deposit:
    """Queue a file for `login`'s member. ValidationError (bad operation, empty, too big) as the form."""
    deposit = deposit_create(member=login.member, file=file, filename=filename, uploaded_by=login.user, operation=operation)
    # A platform asks for the log by doi_batch_id right after posting, before the worker reads
    # the file: take it from the head now (the worker sets it again from the same head).
    deposit.doi_batch_id = _batch_id(deposit)
    deposit.api_key = login.key
    principal = _principal(deposit)
    if principal is not None and principal.pk != login.member.pk and may_act_for(login.member, principal, APIKey.Scope.DEPOSIT):
        deposit.member, deposit.agent = principal, login.member
    deposit.save(update_fields=["doi_batch_id", "api_key", "member", "agent"])
    return deposit


def _principal(deposit: Deposit):
    """The member owning the prefix of the file's first DOI, or None."""
    with deposit.file.open("rb") as handle:
        found = _FIRST_DOI.search(handle.read(_HEAD_BYTES))
    return prefix_owner(found.group(1).decode()) if found else None


def _batch_id(deposit: Deposit) -> str:
    try:
        with deposit.file.open("rb") as handle:
            return open_deposit(handle).head.doi_batch_id[:255]
    except Exception:  # an unreadable file fails in the worker with its line; here it has no id yet
        return ""
