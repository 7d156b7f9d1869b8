"""The registry `make bench-scale` imports: Crossref REST work objects as JSON Lines (gzip), with
their reference lists, in the shape of real citation data.

- Works belong to a few dozen members' prefixes (one large publisher, a long tail of small ones)
  and appear in a few hundred journals over 25 years.
- Who cites whom follows a power law: the DOI a reference gives is drawn with weight
  rank^-ALPHA, so a few works are cited thousands of times and most a few times or never.
- Each reference carries what real DOI-bearing references do (the DOI, the first author's
  surname, the year, the journal, the volume and first page, all agreeing with the work), and
  about one in twelve is an unstructured string for a work that is not in the registry.

Deterministic for a seed and size, drawn by several processes side by side; written once and
kept under var/bench/scale/.
"""
from __future__ import annotations

import gzip
import itertools
import multiprocessing
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

ALPHA = 0.6  # 1M works, 10M references: the most cited work gets ~15,000, the median a few
SURNAMES = ("Smith", "Garcia", "Müller", "Wang", "Kowalski", "Ivanova", "Tanaka", "Okafor", "Rossi", "Silva",
            "Nguyen", "Kim", "Johansson", "Dubois", "Haddad", "Novak", "Costa", "Brown", "Singh", "Cohen")
GIVEN = ("Ada", "Ben", "Chen", "Dana", "Emre", "Fatima", "Goran", "Hana", "Ivan", "Julia", "Kwame", "Lena")
WORDS = ("graphene", "protein", "folding", "lattice", "quantum", "neural", "coastal", "erosion", "enzyme", "catalysis",
         "soil", "carbon", "dynamics", "network", "genome", "climate", "polymer", "fracture", "signal", "vortex",
         "estimation", "kinetics", "membrane", "transport", "inference", "spectra", "cohort", "outcomes")
# Titles draw on a vocabulary as wide as a real registry's, with Zipf-like word frequencies: with
# the 28 words above alone every title shared every word, and each text search (the matcher's, for
# a reference without a DOI) found every work, which no real registry does.
SYLLABLES = ("ka", "lo", "mi", "ne", "tru", "sel", "par", "vin", "dor", "gel", "pha", "qui", "ren", "sto", "tal",
             "bro", "cy", "den", "fo", "gra", "hy", "lu", "mor", "nex", "pol", "rid", "sca", "ter", "vol", "zen")
VOCABULARY = tuple(a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "ic", "ase", "ism", "ine", "al", "ogy"))
VOCABULARY_WEIGHTS = tuple(itertools.accumulate((r + 1) ** -0.7 for r in range(len(VOCABULARY))))
VERSION = 3  # of the registry's content: kept files of an older one are not reused


@dataclass(frozen=True)
class Shape:
    works: int
    references: int  # DOI-bearing references in all (about the citations the registry will hold)
    members: int = 40
    journals: int = 400
    seed: int = 17
    # Share of works that also cite something outside the registry by an unstructured string (the
    # matcher's text search, its costliest path, for each); 0 for a registry of DOI references only.
    unstructured: float = 0.9

    def names(self, files: int) -> list[str]:
        stem = f"registry-v{VERSION}-{self.works}w-{self.references}r-s{self.seed}"
        if self.unstructured != 0.9:
            stem += f"-u{self.unstructured:g}"
        return [f"{stem}.jsonl.gz"] if files == 1 else [f"{stem}-{n + 1}of{files}.jsonl.gz" for n in range(files)]


def prefixes(members: int) -> list[str]:
    """The members' prefixes; the first is the large publisher's."""
    return [f"10.{5000 + n}" for n in range(members)]


BLOCK = 10_000  # works a block: drawn from a random stream of its own, written whole to one file


def generate(shape: Shape, folder: Path, *, files: int = 1, processes: int | None = None, log=print) -> list[Path]:
    """Write the registry (once) in `files` files and return their paths. Blocks of BLOCK works
    go to the files in turn, so each file holds the same mix and import_works can parse them in
    parallel; the works are the same whatever the number of files or of `processes` (default:
    the CPUs, at most 4) that draw the blocks side by side: each block, a gzip member of its
    own, is drawn from a random stream seeded by the shape's seed and the block's number."""
    paths = [folder / name for name in shape.names(files)]
    if all(path.exists() for path in paths):
        log(f"registry: {folder} (kept from an earlier run)")
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    partials = [path.with_suffix(".partial") for path in paths]
    outs = [open(partial, "wb") for partial in partials]  # noqa: SIM115 (closed below)
    try:
        for number, member in enumerate(_blocks(shape, processes=processes or min(os.cpu_count() or 1, 4))):
            outs[number % files].write(member)
    finally:
        for out in outs:
            out.close()
    for partial, path in zip(partials, paths):
        partial.rename(path)
    return paths


@dataclass(frozen=True)
class _Registry:
    """What every block reads: each work's DOI (under its owner's prefix), journal, year, first
    page and first author, and the popularity ranks, drawn once from the shape's seed; the
    journals' titles."""

    shape: Shape
    titles: list[str]
    journal: list[int]
    year: list[int]
    first_page: list[int]
    surname: list[int]
    dois: list[str]
    ranks: list[int]
    cumulative: list[float]  # weights of the ranks, summed (rng.choices' cum_weights)


def _draw(shape: Shape) -> _Registry:
    rng = random.Random(shape.seed)
    member_prefixes = prefixes(shape.members)
    # One large publisher (a third of the works), the rest spread over the long tail.
    prefix_weights = [shape.members] + [1.5] * (shape.members - 1)
    owner = rng.choices(range(shape.members), weights=prefix_weights, k=shape.works)
    journal = [rng.randrange(shape.journals) for _ in range(shape.works)]
    year = [1999 + rng.randrange(26) for _ in range(shape.works)]
    first_page = [rng.randrange(1, 3000) for _ in range(shape.works)]
    surname = [rng.randrange(len(SURNAMES)) for _ in range(shape.works)]
    dois = [f"{member_prefixes[owner[n]]}/scale.{n}" for n in range(shape.works)]
    # Popularity: rank r (0 = most cited) has weight (r+1)^-ALPHA; ranks are shuffled over works.
    ranks = list(range(shape.works))
    rng.shuffle(ranks)
    cumulative = list(itertools.accumulate((r + 1) ** -ALPHA for r in range(shape.works)))
    titles = [_journal_title(j) for j in range(shape.journals)]
    return _Registry(shape, titles, journal, year, first_page, surname, dois, ranks, cumulative)


_registry: _Registry | None = None  # the one being written: the generating processes inherit it (fork)


def _blocks(shape: Shape, *, processes: int) -> Iterator[bytes]:
    """The registry's blocks in order, each a gzip member of its works' lines."""
    global _registry
    _registry = _draw(shape)
    numbers = range(-(-shape.works // BLOCK))
    try:
        if processes == 1:
            yield from map(_block, numbers)
            return
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(_block, numbers)
    finally:
        _registry = None


def _block(number: int) -> bytes:
    registry = _registry
    shape = registry.shape
    rng = random.Random(f"{shape.seed}:{number}")
    per_work = shape.references / shape.works
    lines = []
    for n in range(number * BLOCK, min((number + 1) * BLOCK, shape.works)):
        count = max(0, round(rng.gauss(per_work, per_work / 3)))
        cited = {registry.ranks[r] for r in rng.choices(range(shape.works), cum_weights=registry.cumulative, k=count)} - {n}
        references = [_reference(k, target, registry) for k, target in enumerate(sorted(cited), 1)]
        if rng.random() < shape.unstructured:  # a reference to a work outside the registry
            references.append({"key": f"ref{len(references) + 1}",
                               "unstructured": f"{SURNAMES[n % len(SURNAMES)]} A. {_words(rng, 5)}. Unpublished report, {1990 + n % 30}."})
        lines.append(orjson.dumps(_work(n, registry, references=references, rng=rng)))
    lines.append(b"")
    return gzip.compress(b"\n".join(lines), compresslevel=1, mtime=0)


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=VOCABULARY_WEIGHTS, k=count)).capitalize()


def _journal_title(j: int) -> str:
    return f"Journal of {WORDS[j % len(WORDS)].title()} {('Letters', 'Research', 'Reviews', 'Studies')[j % 4]} {j // 4}"


def _work(n: int, registry: _Registry, *, references, rng) -> dict:
    dois, year, first_page, surname = registry.dois, registry.year, registry.first_page, registry.surname
    prefix = dois[n].split("/", 1)[0]
    title = _words(rng, 6) + f" {n}"
    return {
        "DOI": dois[n], "type": "journal-article", "title": [title],
        "author": [{"given": GIVEN[n % len(GIVEN)], "family": SURNAMES[surname[n]], "sequence": "first"},
                   {"given": GIVEN[(n + 5) % len(GIVEN)], "family": SURNAMES[(surname[n] + 7) % len(SURNAMES)], "sequence": "additional"}],
        "container-title": [registry.titles[registry.journal[n]]], "ISSN": [],
        "volume": str(year[n] - 1990), "issue": str(n % 12 + 1), "page": f"{first_page[n]}-{first_page[n] + 11}",
        "issued": {"date-parts": [[year[n]]]}, "published": {"date-parts": [[year[n]]]},
        "publisher": f"Publisher of {prefix}", "prefix": prefix,
        "reference-count": len(references), "reference": references,
    }


def _reference(key: int, target: int, registry: _Registry) -> dict:
    year = registry.year[target]
    return {"key": f"ref{key}", "DOI": registry.dois[target], "doi-asserted-by": "publisher",
            "author": SURNAMES[registry.surname[target]], "year": str(year), "journal-title": registry.titles[registry.journal[target]],
            "volume": str(year - 1990), "first-page": str(registry.first_page[target])}
