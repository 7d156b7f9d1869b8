"""Checks made on a deposit file before it is queued, for every entry point that wants them.

`check_structure` answers in about a second for a 10 MB file (one streaming pass, no database):
the upload form refuses a file with problems at once, with their lines. `same_file_deposit`
finds an earlier deposit of the very same content by the same member, so a page can ask before
depositing it twice; Crossref's servlet accepts duplicates, so callers opt in to this one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

from deposits.models import Deposit
from deposits.xml import check_file
from members.models import Member


@dataclass(frozen=True)
class Problem:
    """One structural problem of a file, in the depositor's words."""

    message: str
    line: int | None = None
    detail: str = ""  # the XML parser's own text, for those who want it

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def check_structure(file: BinaryIO, *, operation: str = Deposit.Operation.METADATA) -> list[Problem]:
    """The problems that stop `file` from being processed at all; [] when it may be queued.

    Reads the file from its start and leaves it there again for whoever stores it.
    """
    file.seek(0)
    try:
        errors = check_file(
            file,
            max_bytes=settings.DEPOSIT_MAX_BYTES,
            references_only=operation == Deposit.Operation.REFERENCES,
        )
    finally:
        file.seek(0)
    return [Problem(message=error.message, line=error.line, detail=error.detail) for error in errors]


def file_sha256(file: BinaryIO) -> str:
    """The hex SHA-256 of the whole file (the same digest a Deposit keeps); leaves it at its start."""
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def same_file_deposit(*, member: Member, sha256: str) -> Deposit | None:
    """The member's latest deposit of this very content that is pending or done, else None.

    A failed deposit does not count: sending the same file again after an outage is expected.
    """
    return (
        Deposit.objects.filter(member=member, sha256=sha256)
        .exclude(status=Deposit.Status.FAILED)
        .order_by("-created", "-pk")
        .first()
    )
