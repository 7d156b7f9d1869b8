"""manage.py match_references --input refs.jsonl --output out.jsonl: match references to registered works."""
import os
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from citations.reference_file import CHUNK_LINES, match_chunks, read_chunks


class Command(BaseCommand):
    requires_system_checks = []  # a data command: the checks are for serving, and cost a second at start
    help = (
        'Read one reference per line ({"id": ..., "unstructured": ...} or Crossref REST fields: journal-title, '
        'author, volume, first-page, year, article-title, DOI, ...) and write {"id", "DOI", "score", "method"} per line, in order.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="JSON Lines, one reference per line")
        parser.add_argument("--output", required=True, help="where the answers go (JSON Lines, same order)")
        parser.add_argument("--workers", type=int, default=1, help="processes matching in parallel (default 1)")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_LINES, help="lines per unit of work (default %(default)s)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *, input, output, workers, chunk_size, no_progress, **options):
        if workers < 1 or chunk_size < 1:
            raise CommandError("--workers and --chunk-size must be at least 1")
        try:
            total = _count_lines(input)
        except OSError as error:
            raise CommandError(f"{input}: {error.strerror or error}") from error
        errors = written = 0
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        with open(input, "rb") as source, open(output, "wb") as target, tqdm(
            total=total, unit="refs", desc="match_references", file=self.stderr._out, disable=no_progress
        ) as bar:
            for answers in match_chunks(read_chunks(source, size=chunk_size), workers=workers):
                target.writelines(answers)
                errors += sum(b'"error":' in line for line in answers)
                written += len(answers)
                bar.update(len(answers))
        seconds = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_started
        rate = written / seconds if seconds else 0.0
        # Throughput without the process's start-up (Django, the matcher's tables), for benchmarks;
        # the CPU time (this process and its finished workers) stays meaningful on a busy machine.
        self.stdout.write(
            f"{written} references answered ({errors} bad lines) with {workers} worker(s); "
            f"matching took {seconds:.2f} s = {rate:,.0f} refs/s; CPU {cpu:.2f} s"
        )


def _count_lines(path: str) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended (the workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system
