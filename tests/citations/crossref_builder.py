"""Render WorkRecord-like dicts as Crossref REST work objects (JSON Lines), and generate many.

`python -m tests.citations.crossref_builder 200000 var/works.jsonl.gz` writes synthetic works
for measuring import_works and the index (never committed: generated when needed).
"""
from __future__ import annotations

import gzip
import itertools
import random
import sys
from collections.abc import Iterable
from pathlib import Path

import orjson


def crossref_work(work: dict) -> dict:
    """A REST `message` for a dict with WorkRecord's names: doi, title, authors [(given, family)],
    container_title, short_container_title, issn, isbn, year, volume, issue, first_page, last_page,
    type, publisher, references [REST reference dicts]."""
    message = {"DOI": work["doi"], "type": work.get("type", "journal-article"), "title": [work.get("title", "")]}
    if work.get("authors"):
        message["author"] = [{"given": given, "family": family, "sequence": "first" if n == 0 else "additional"}
                             for n, (given, family) in enumerate(work["authors"])]
    if work.get("container_title"):
        message["container-title"] = [work["container_title"]]
    if work.get("short_container_title"):
        message["short-container-title"] = [work["short_container_title"]]
    for key, name in (("issn", "ISSN"), ("isbn", "ISBN")):
        if work.get(key):
            message[name] = [work[key]]
    for key in ("volume", "issue", "publisher"):
        if work.get(key):
            message[key] = str(work[key])
    if work.get("first_page"):
        message["page"] = f"{work['first_page']}-{work['last_page']}" if work.get("last_page") else str(work["first_page"])
    if work.get("year"):
        message["issued"] = {"date-parts": [[work["year"], 3, 1]]}
        message["published-print"] = {"date-parts": [[work["year"]]]}
    if work.get("references") is not None:
        message["reference"] = work["references"]
        message["reference-count"] = len(work["references"])
    message["URL"] = f"https://doi.org/{work['doi']}"
    return message


def jsonl(works: Iterable[dict], *, envelope: bool = False) -> bytes:
    lines = (crossref_work(w) for w in works)
    if envelope:
        lines = ({"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": m} for m in lines)
    return b"".join(orjson.dumps(line) + b"\n" for line in lines)


def write_jsonl(path: Path, works: Iterable[dict], *, envelope: bool = False) -> Path:
    data = jsonl(works, envelope=envelope)
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


# --- Many synthetic works ------------------------------------------------------------------------

_SYLLABLES = ["ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "de", "po", "shi", "an", "el", "or", "un", "ber", "gal", "tri"]


def generated_works(count: int, *, seed: int = 1) -> Iterable[dict]:
    """`count` plausible works: Zipf-like title words, shared surnames and journals, real-looking pages."""
    rng = random.Random(seed)
    vocabulary = list(dict.fromkeys("".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) for _ in range(30000)))
    cum_weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(vocabulary))))
    surnames = list(dict.fromkeys("".join(rng.choices(_SYLLABLES, k=rng.randint(2, 3))).title() for _ in range(8000)))
    journals = [f"Journal of {' '.join(w.title() for w in rng.sample(vocabulary[:2000], 2))}" for _ in range(1500)]
    for n in range(count):
        first = rng.randint(1, 3000)
        yield {
            "doi": f"10.{1000 + n % 50}/gen.{n}",
            "title": " ".join(rng.choices(vocabulary, cum_weights=cum_weights, k=rng.randint(5, 14))).capitalize(),
            "authors": [(rng.choice("ABCDEFGHJKLMNPRST") + ".", rng.choice(surnames)) for _ in range(rng.randint(1, 6))],
            "container_title": rng.choice(journals),
            "issn": f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "year": rng.randint(1950, 2024),
            "volume": str(rng.randint(1, 300)),
            "issue": str(rng.randint(1, 12)),
            "first_page": str(first),
            "last_page": str(first + rng.randint(1, 30)),
            "publisher": "Generated Press",
        }


if __name__ == "__main__":
    count, target = int(sys.argv[1]), Path(sys.argv[2])
    opener = gzip.open if target.name.endswith(".gz") else open
    with opener(target, "wb") as out:
        for work in generated_works(count):
            out.write(orjson.dumps(crossref_work(work)) + b"\n")
