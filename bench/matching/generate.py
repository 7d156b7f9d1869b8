"""Generate the matching benchmark set: a registry of works and references to them.

    python -m bench.matching.generate OUT_DIR [--works 100000] [--refs 12000] [--seed 1]

Writes, in OUT_DIR:
  registry.jsonl.gz  the registry, one Crossref REST work object per line (for `import_works`)
  heldout.jsonl.gz   works cited but never registered (for reading, never imported)
  refs.jsonl         {"id", "unstructured"} or {"id", <Crossref REST reference fields>} per line
  truth.jsonl        {"id", "expected" (DOI or null), "style", "category", "kind", "form",
                      "split", "target_kind", "target_type"} per line
  manifest.json      parameters, counts and timings

The same seed and sizes give byte-identical files.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from bench.matching import degrade
from bench.matching.references import Planner, PlannedReference, bare_doi
from bench.matching.registry import REAL, Builder, Work
from bench.matching.render import render_many
from bench.matching.unixsd import read_records

GENERATOR_VERSION = "3"  # 3: pagination runs on through a volume; 2: no DOI-alone structured reference for doi-wrong-work
REAL_RECORDS = Path(__file__).resolve().parents[3] / "shared" / "data" / "crossref-unixsd"
DEFAULT_WORKS = 100_000
DEFAULT_REFS = 12_000


def real_records_folder() -> Path | None:
    """`shared/data/crossref-unixsd` beside the work tree (or $BENCH_REAL_RECORDS)."""
    for candidate in (os.environ.get("BENCH_REAL_RECORDS"), REAL_RECORDS, Path.cwd().parent / "shared/data/crossref-unixsd"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def generate(out: Path, *, works: int = DEFAULT_WORKS, refs: int = DEFAULT_REFS, seed: int = 1, processes: int | None = None, log=print) -> dict:
    """Write the set into `out` and return its manifest."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    folder = real_records_folder()
    real = [Work(rest=rest, kind=REAL, field="biomedicine") for rest in read_records(folder)] if folder else []
    heldout_size = max(60, int(refs * 0.25))
    corpus = Builder(seed=seed, size=works, heldout=heldout_size).build(real)
    log(f"  registry: {len(corpus.registry):,} works ({len(corpus.journals)} journals, {len(real)} real records), "
        f"{len(corpus.heldout):,} held out  [{time.perf_counter() - started:.1f}s]")

    planned = Planner(corpus, random.Random(f"{seed}:refs")).plan(refs)
    texts = _render(planned, processes=processes, log=log)
    failures = 0
    for reference in planned:
        if reference.form != "unstructured":
            continue
        text = texts[reference.id]
        if text.startswith("\0"):
            failures += 1  # citeproc-py could not render it: fall back to a plainer style
            from bench.matching.render import render

            reference.style = "springer-basic-author-date"
            text = render(reference.style, reference.item)
        texts[reference.id] = _finish_text(reference, text)
    log(f"  references: {len(planned):,} planned, rendered in {len({r.style for r in planned if r.form == 'unstructured'})} styles"
        f" ({failures} render failures fell back)  [{time.perf_counter() - started:.1f}s]")

    _write_gzip(out / "registry.jsonl.gz", (work.rest for work in corpus.registry))
    _write_gzip(out / "heldout.jsonl.gz", (work.rest for work in corpus.heldout))
    with open(out / "refs.jsonl", "w", encoding="utf-8") as refs_file, open(out / "truth.jsonl", "w", encoding="utf-8") as truth_file:
        for reference in planned:
            line = {"id": reference.id, "unstructured": texts[reference.id]} if reference.form == "unstructured" else {"id": reference.id, **reference.fields}
            refs_file.write(json.dumps(line, ensure_ascii=False) + "\n")
            truth_file.write(json.dumps(truth_of(reference), ensure_ascii=False) + "\n")
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "works": len(corpus.registry),
        "journals": len(corpus.journals),
        "real_records": len(real),
        "heldout_works": len(corpus.heldout),
        "references": len(planned),
        "registry_kinds": dict(Counter(work.kind for work in corpus.registry).most_common()),
        "registry_types": dict(Counter(work.rest["type"] for work in corpus.registry).most_common()),
        "categories": dict(Counter(r.category for r in planned).most_common()),
        "kinds": dict(Counter(r.kind for r in planned).most_common()),
        "styles": dict(Counter(r.style for r in planned).most_common()),
        "splits": dict(Counter(r.split for r in planned).most_common()),
        "expected_null": sum(1 for r in planned if r.expected is None),
        "render_failures": failures,
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def truth_of(reference: PlannedReference) -> dict:
    return {
        "id": reference.id,
        "expected": reference.expected,
        "style": reference.style,
        "category": reference.category,
        "kind": reference.kind,
        "form": reference.form,
        "split": reference.split,
        "target_kind": reference.work.kind,
        "target_type": reference.work.rest.get("type", ""),
    }


def _render(planned: list[PlannedReference], *, processes: int | None, log) -> dict[str, str]:
    tasks = [(r.id, r.style, r.item, r.et_al) for r in planned if r.form == "unstructured"]
    processes = processes or min(os.cpu_count() or 1, 4)
    progress = _progress(len(tasks))
    try:
        return render_many(tasks, processes=processes, progress=progress)
    finally:
        if progress:
            progress.close()


def _progress(total: int):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc="  rendering", unit="ref", leave=False)


def _finish_text(reference: PlannedReference, text: str) -> str:
    """The rendered string with its DOI (when the category carries one) and text degradation."""
    rng = random.Random(f"{reference.id}:{reference.kind}:text")
    if reference.doi and bare_doi(reference.doi) not in text.lower():
        doi = reference.doi
        if bare_doi(doi) == doi.lower() and doi == bare_doi(doi):
            doi = rng.choice((f"doi:{doi}", f"https://doi.org/{doi}", f"DOI: {doi}", doi))
        text = f"{text.rstrip()} {doi}"
    kind = reference.kind.rsplit("/", 1)[-1]
    if kind in degrade.TEXT_KINDS:
        text = degrade.degrade_text(kind, text, rng)
    return text


def _write_gzip(path: Path, objects) -> None:
    # mtime=0 and no file name in the header: the same set is the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        for obj in objects:
            gz.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--works", type=int, default=DEFAULT_WORKS)
    parser.add_argument("--refs", type=int, default=DEFAULT_REFS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, default=None, help="rendering processes (default: CPUs, at most 4)")
    args = parser.parse_args(argv)
    manifest = generate(args.out, works=args.works, refs=args.refs, seed=args.seed, processes=args.processes)
    print(json.dumps(manifest, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
