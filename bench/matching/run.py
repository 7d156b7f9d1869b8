"""`make bench-matching`: generate (or reuse) the set, load it into a fresh SQLite database with
`import_works`, match the references with `match_references`, time each step, score it.

    python -m bench.matching.run [--works N] [--refs N] [--seed S] [--quick]

The last line printed is always one line of name=value pairs:
precision=... recall=... f1=... refs_per_s=... doi_refs_per_s=... speedup_2w=... weakest_style_f1=... structured_f1=...
(a figure that could not be measured is printed as "nan").
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.matching.evaluate import evaluate_files, format_report
from bench.matching.generate import DEFAULT_REFS, DEFAULT_WORKS, GENERATOR_VERSION, generate

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO / "var" / "bench"
CROSSREF = "Crossref's published figures (11-style set): precision 0.992, recall 0.790, F1 0.845"

TARGETS = {
    "precision": ("precision >= 0.995 on every style", None),
    "f1": ("F1 >= 0.97 overall", 0.97),
    "weakest_style_f1": ("F1 >= 0.90 on the weakest style", 0.90),
    "structured_f1": ("structured F1 >= 0.98", 0.98),
    "refs_per_s": (">= 300 unstructured refs/s", 300),
    "doi_refs_per_s": (">= 3,000 DOI refs/s", 3000),
    "speedup_2w": ("2 processes >= 1.7x one", 1.7),
}


def say(message: str = "") -> None:
    print(message, flush=True)


def cached_set(*, works: int, refs: int, seed: int) -> Path:
    folder = BENCH_DIR / "matching" / f"v{GENERATOR_VERSION}-seed{seed}-works{works}-refs{refs}"
    manifest = folder / "manifest.json"
    if manifest.exists():
        say(f"Set: reusing {folder.relative_to(REPO)}")
        return folder
    say(f"Set: generating {works:,} works and {refs:,} references (seed {seed}) into {folder.relative_to(REPO)}")
    partial = folder.with_name(folder.name + ".partial")
    started = time.perf_counter()
    generate(partial, works=works, refs=refs, seed=seed, log=say)
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    partial.rename(folder)
    say(f"  generated in {time.perf_counter() - started:.1f}s")
    return folder


def describe(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    say(f"  registry: {manifest['works']:,} works in {manifest['journals']} journals "
        f"({', '.join(f'{k} {v:,}' for k, v in manifest['registry_types'].items())}); "
        f"{manifest['real_records']} real Crossref records")
    say(f"  references: {manifest['references']:,} ({', '.join(f'{k} {v:,}' for k, v in manifest['categories'].items())}); "
        f"expected null {manifest['expected_null']:,}; splits {manifest['splits']}")
    say(f"  per style: {', '.join(f'{k} {v}' for k, v in manifest['styles'].items())}")


def split_inputs(folder: Path, work: Path) -> dict[str, Path]:
    """refs.jsonl cut in three by what the truth says each reference is: unstructured, doi, structured."""
    truth = {row["id"]: row for row in map(json.loads, open(folder / "truth.jsonl", encoding="utf-8"))}
    files = {name: open(work / f"refs-{name}.jsonl", "w", encoding="utf-8") for name in ("unstructured", "doi", "structured")}
    with open(folder / "refs.jsonl", encoding="utf-8") as refs:
        for line in refs:
            row = truth[json.loads(line)["id"]]
            name = "doi" if row["category"] == "doi" else row["form"]
            files[name].write(line)
    for handle in files.values():
        handle.close()
    return {name: work / f"refs-{name}.jsonl" for name in files}


def count_lines(path: Path) -> int:
    with open(path, encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


class Portal:
    """The portal's management commands against one fresh database: a SQLite file, or the
    PostgreSQL database `url` names (make bench-matching-pg creates it empty)."""

    def __init__(self, database: Path | str):
        url = database if isinstance(database, str) else f"sqlite:///{database}"
        self.env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "portal.settings"}
        self.python = REPO / ".venv" / "bin" / "python"
        if not self.python.exists():
            self.python = Path(sys.executable)

    def manage(self, *args: str, log: Path) -> tuple[bool, float]:
        started = time.perf_counter()
        self.cpu_started = _children_cpu()
        with open(log, "a", encoding="utf-8") as output:
            output.write(f"$ manage.py {' '.join(args)}\n")
            output.flush()
            result = subprocess.run([str(self.python), "manage.py", *args], cwd=REPO, env=self.env, stdout=output, stderr=subprocess.STDOUT)
        self.cpu_seconds = _children_cpu() - self.cpu_started  # the whole command's CPU time, start-up included
        return result.returncode == 0, time.perf_counter() - started


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


_MATCHING_TOOK = re.compile(r"matching took ([0-9.]+) s")
_MATCHING_CPU = re.compile(r"matching took [^\n]*; CPU ([0-9.]+) s")


def matching_seconds(log: Path) -> float:
    """The matching time match_references reported last in the log (start-up excluded)."""
    found = _MATCHING_TOOK.findall(log.read_text(encoding="utf-8", errors="replace"))
    return float(found[-1]) if found else math.nan


def matching_cpu_seconds(log: Path) -> float:
    """The CPU time of the matching match_references reported last (its process and workers)."""
    found = _MATCHING_CPU.findall(log.read_text(encoding="utf-8", errors="replace"))
    return float(found[-1]) if found else math.nan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reference-matching benchmark")
    parser.add_argument("--works", type=int, default=None)
    parser.add_argument("--refs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="20,000 works and 2,000 references")
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database to load and match in, "
                        "instead of a fresh SQLite file (make bench-matching-pg)")
    args = parser.parse_args(argv)
    works = args.works or (20_000 if args.quick else DEFAULT_WORKS)
    refs = args.refs or (2_000 if args.quick else DEFAULT_REFS)

    figures = dict.fromkeys(("precision", "recall", "f1", "refs_per_s", "doi_refs_per_s", "speedup_2w", "weakest_style_f1", "structured_f1"), math.nan)
    try:
        run(works=works, refs=refs, seed=args.seed, figures=figures, postgres=args.postgres)
    except Exception as error:  # the last line must still come
        say(f"Benchmark stopped: {type(error).__name__}: {error}")
    say(final_line(figures))
    return 0


def run(*, works: int, refs: int, seed: int, figures: dict, postgres: str | None = None) -> None:
    folder = cached_set(works=works, refs=refs, seed=seed)
    describe(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = BENCH_DIR / "runs" / stamp
    work.mkdir(parents=True, exist_ok=True)
    database = work / "portal.sqlite3"
    log = work / "commands.log"
    portal = Portal(postgres or database)
    where = f"PostgreSQL, empty database {postgres.rsplit('/', 1)[-1]}" if postgres else f"SQLite, fresh file {database.relative_to(REPO)}"
    say(f"Database: {where}; command output in {log.relative_to(REPO)}")

    ok, seconds = portal.manage("migrate", "--no-input", log=log)
    say(f"  migrate: {'ok' if ok else 'FAILED'} in {seconds:.1f}s")
    if not ok:
        raise RuntimeError(f"migrate failed, see {log}")

    registry = folder / "registry.jsonl.gz"
    count = json.loads((folder / "manifest.json").read_text())["works"]
    ok, seconds = portal.manage("import_works", str(registry), log=log)
    say(f"  import_works: {count:,} works in {seconds:.1f}s = {count / seconds:,.0f} works/s "
        f"(CPU {portal.cpu_seconds:.1f}s with start-up = {count / portal.cpu_seconds:,.0f} works per CPU-second)"
        if ok else f"  import_works FAILED after {seconds:.1f}s (see {log})")
    if not ok:
        raise RuntimeError("import_works failed: no matching to measure")

    inputs = split_inputs(folder, work)
    outputs = []
    rates = {}
    # Rates are throughput: the command's own matching time, without its start-up (Django and the
    # matcher's tables, about a second, paid once per process whatever the volume); both are printed.
    for name in ("unstructured", "doi", "structured"):
        size = count_lines(inputs[name])
        out = work / f"out-{name}.jsonl"
        ok, seconds = portal.manage("match_references", "--input", str(inputs[name]), "--output", str(out), "--workers", "1", log=log)
        matching = matching_seconds(log) if ok else math.nan
        rate = size / matching if ok and matching else math.nan
        rates[name] = rate
        cpu = matching_cpu_seconds(log) if ok else math.nan
        # On a shared machine the wall-clock rate says as much about the other processes as about the
        # matcher: the rate per CPU-second of matching is printed beside it.
        say(f"  match_references --workers 1, {name}: {size:,} refs in {seconds:.1f}s with start-up, "
            f"{matching:.1f}s matching = {rate:,.0f} refs/s (CPU {cpu:.1f}s = {size / cpu if cpu else math.nan:,.0f} refs per CPU-second)"
            + ("" if ok else "  FAILED"))
        outputs.append(out)
    figures["refs_per_s"] = rates["unstructured"]
    figures["doi_refs_per_s"] = rates["doi"]

    size = count_lines(inputs["unstructured"])
    out2 = work / "out-unstructured-2w.jsonl"
    ok, seconds = portal.manage("match_references", "--input", str(inputs["unstructured"]), "--output", str(out2), "--workers", "2", log=log)
    matching = matching_seconds(log) if ok else math.nan
    rate2 = size / matching if ok and matching else math.nan
    figures["speedup_2w"] = rate2 / rates["unstructured"] if rates["unstructured"] else math.nan
    say(f"  match_references --workers 2, unstructured: {size:,} refs in {seconds:.1f}s = {rate2:,.0f} refs/s "
        f"(speed-up {figures['speedup_2w']:.2f}x)" + ("" if ok else "  FAILED"))

    combined = work / "out.jsonl"
    with open(combined, "w", encoding="utf-8") as merged:
        for out in outputs:
            if out.exists():
                merged.write(out.read_text(encoding="utf-8"))
    report = evaluate_files(folder / "truth.jsonl", combined, split="test")
    say()
    say(format_report(report, title="Scores on the test split (calibration split kept apart for tuning):"))
    figures["precision"] = report.overall.precision
    figures["recall"] = report.overall.recall
    figures["f1"] = report.overall.f1
    weakest = report.weakest_style
    figures["weakest_style_f1"] = weakest[1].f1 if weakest else math.nan
    figures["structured_f1"] = report.structured.f1 if report.structured.total else math.nan
    min_style_precision = min((c.precision for name, c in report.by["style"].items() if name != "structured"), default=math.nan)
    say()
    say(CROSSREF)
    say("Targets:")
    say(f"  precision >= 0.995 on every style: lowest style precision {min_style_precision:.3f}  {_verdict(min_style_precision >= 0.995)}")
    for name in ("f1", "weakest_style_f1", "structured_f1", "refs_per_s", "doi_refs_per_s", "speedup_2w"):
        text, goal = TARGETS[name]
        value = figures[name]
        say(f"  {text}: {value:.3f}  {_verdict(value >= goal)}" if name.endswith("f1") else f"  {text}: {value:,.2f}  {_verdict(value >= goal)}")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def final_line(figures: dict) -> str:
    def fmt(name: str, digits: str) -> str:
        value = figures[name]
        return "nan" if value is None or (isinstance(value, float) and math.isnan(value)) else format(value, digits)

    return (f"precision={fmt('precision', '.3f')} recall={fmt('recall', '.3f')} f1={fmt('f1', '.3f')} "
            f"refs_per_s={fmt('refs_per_s', '.0f')} doi_refs_per_s={fmt('doi_refs_per_s', '.0f')} "
            f"speedup_2w={fmt('speedup_2w', '.2f')} weakest_style_f1={fmt('weakest_style_f1', '.3f')} "
            f"structured_f1={fmt('structured_f1', '.3f')}")


if __name__ == "__main__":
    sys.exit(main())
