"""python manage.py deposit FILE --member ID [--operation auto|doMDUpload|doDOICitUpload] [--wait]:
queue a deposit file as the upload form does."""
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from deposits.models import Deposit
from deposits.selectors import results_of
from deposits.services import deposit_create
from deposits.validation import check_structure
from deposits.xml.reference_deposits import deposit_operation
from members.models import Member, User


class Command(BaseCommand):
    help = "Queue a Crossref deposit XML file for a member; with --wait, print the per-record results."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--member", type=int, required=True, help="the member's id (create_member prints it)")
        parser.add_argument("--user", help="email of the user to record as uploader (optional)")
        parser.add_argument(
            "--operation", choices=["auto", *Deposit.Operation.values], default="auto",
            help="Crossref's operation: doMDUpload (works with references) or doDOICitUpload (references only); "
            "auto (default) reads it from the file's namespace",
        )
        parser.add_argument("--wait", action="store_true", help="wait for the worker and print the results")
        parser.add_argument("--timeout", type=float, default=600, help="seconds to wait at most (default 600)")

    def handle(self, *args, file: Path, member: int, user, operation: str, wait: bool, timeout: float, **options):
        owner = Member.objects.filter(pk=member).first()
        if owner is None:
            raise CommandError(f"There is no member with id {member}.")
        uploader = None
        if user and (uploader := User.objects.filter(email__iexact=user).first()) is None:
            raise CommandError(f"There is no user {user}.")
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        with file.open("rb") as handle:
            # As the upload form: a file that cannot be processed at all is refused with its lines.
            if problems := check_structure(handle, operation=deposit_operation(handle) or Deposit.Operation.METADATA):
                for problem in problems:
                    self.stderr.write(f"{file}: {problem}")
                raise CommandError(f"{file} was not queued: {len(problems)} problem(s) to fix first.")
            try:
                deposit = deposit_create(
                    member=owner, file=File(handle, name=file.name), filename=file.name, uploaded_by=uploader,
                    operation=None if operation == "auto" else operation,
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Deposit {deposit.pk} queued ({file.name}, {deposit.size} bytes, {deposit.operation}: "
            f"{deposit.get_operation_display()}) for {owner.name}."
        )
        if not wait:
            return
        deposit = self._wait(deposit, timeout)
        self._report(deposit)
        if deposit.status == Deposit.Status.FAILED or deposit.failure_count:
            raise CommandError(f"Deposit {deposit.pk}: {deposit.failure_count} record(s) failed." if deposit.failure_count else deposit.message)

    def _wait(self, deposit: Deposit, timeout: float) -> Deposit:
        deadline = time.monotonic() + timeout
        while not deposit.is_final:
            if time.monotonic() > deadline:
                raise CommandError(f"Deposit {deposit.pk} is still {deposit.status} after {timeout:.0f} s; is a worker running?")
            time.sleep(0.5)
            deposit.refresh_from_db()
        return deposit

    def _report(self, deposit: Deposit) -> None:
        for result in results_of(deposit):
            self.stdout.write(f"{result.get_status_display():8} {result.doi or '-'}  {result.message}")
        self.stdout.write(
            f"Deposit {deposit.pk} {deposit.outcome_label}: {deposit.record_count} records, {deposit.success_count} succeeded, "
            f"{deposit.warning_count} warnings, {deposit.failure_count} failed."
        )
        if deposit.message:
            self.stdout.write(deposit.message)
