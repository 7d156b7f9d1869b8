"""manage.py import_works PATH...: load works from Crossref's public data file format (JSON Lines)."""
import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from citations.crossref_data import data_files
from citations.bulk_load import BulkLoadBusy
from citations.work_import import BATCH_SIZE, BULK_MIN_WORKS, import_works

# Bad lines printed one by one up to this many; the summary counts them all.
PROBLEMS_SHOWN = 100


class Command(BaseCommand):
    requires_system_checks = []  # a data command: the checks are for serving
    help = (
        "Upsert works (by DOI) from .jsonl / .jsonl.gz files of Crossref REST work objects (also "
        "{status, message} envelopes and .json files with items), or directories of them, and index them."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files or directories")
        parser.add_argument("--with-references", action="store_true", help="also store each work's `reference` list")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="works per transaction (default %(default)s)")
        parser.add_argument("--workers", type=int, default=1,
                            help="files read at once, each in its own process (PostgreSQL only; default %(default)s)")
        parser.add_argument(
            "--bulk", action=argparse.BooleanOptionalAction, default=None,
            help=f"PostgreSQL, initial loads: drop the registry's secondary indexes for the load and build them after "
                 f"(searches and pages are slow meanwhile). Default: bulk when {BULK_MIN_WORKS:,} works or more are "
                 f"expected and more than the registry holds",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *, paths, with_references, batch_size, workers, bulk, no_progress, **options):
        if workers < 1:
            raise CommandError(f"--workers {workers}: give 1 or more")
        if workers > 1 and connection.vendor != "postgresql":
            raise CommandError(f"--workers {workers} needs PostgreSQL: SQLite takes one writer at a time (use --workers 1)")
        if bulk and connection.vendor != "postgresql":
            raise CommandError("--bulk needs PostgreSQL: SQLite keeps its indexes through a load (leave --bulk out)")
        try:
            total = sum(file.stat().st_size for path in paths for file in data_files(path))
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        shown = 0

        def on_problem(path: str, line: int, reason: str) -> None:
            nonlocal shown
            shown += 1
            if shown <= PROBLEMS_SHOWN:
                bar.write(f"{path}:{line}: skipped: {reason}", file=self.stderr._out)
            elif shown == PROBLEMS_SHOWN + 1:
                bar.write("(more skipped lines are only counted)", file=self.stderr._out)

        with tqdm(total=total, unit="B", unit_scale=True, desc="import_works", file=self.stderr._out, disable=no_progress) as bar:
            try:
                summary = import_works(paths, with_references=with_references, batch_size=batch_size, workers=workers,
                                       bulk=bulk, on_problem=on_problem, on_bytes=bar.update)
            except BulkLoadBusy as error:
                raise CommandError(str(error)) from error
        self.stdout.write(summary.line())
