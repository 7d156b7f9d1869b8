"""What PostgreSQL's trigram fallback buys, and what its pre-test (`has_slip`) keeps of it.

    DATABASE_URL=postgres://.../bench_trigram .venv/bin/python -m bench.trigram_fallback SET_FOLDER

SET_FOLDER is a bench-matching set (registry.jsonl.gz, refs.jsonl, truth.jsonl); its registry is
imported first when the database has no works. Three groups of unstructured references:
the set's own (every category), registered works' titles with a slip in most words (what the
fallback is for), and bench-scale's "Surname A. five made-up words. Unpublished report." strings
(works outside the registry). Each reference that reaches the fallback is matched three ways:
the fallback asked for every such text (as before the pre-test), asked only after the pre-test,
and never; printed per group: references reaching it, lookups made, true and wrong links, and the
time per lookup. Not a test: the figures depend on the machine and its load (printed with them).
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path

import orjson


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--damaged", type=int, default=400, help="registered titles with slips")
    parser.add_argument("--made-up", type=int, default=400, help="bench-scale's references to unregistered works")
    parser.add_argument("--set-size", type=int, default=None, help="the set's first N unstructured references (default: all)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (the fallback is PostgreSQL's)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-trigram-not-secret-" + "x" * 40)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    from deposits.models import Work

    call_command("migrate", "--no-input", verbosity=0)
    if not Work.objects.exists():
        started = time.perf_counter()
        call_command("import_works", str(args.folder / "registry.jsonl.gz"))
        say(f"imported the registry in {time.perf_counter() - started:.0f} s")
    rng = random.Random(args.seed)
    groups = {
        "bench-matching set (all unstructured)": set_references(args.folder)[: args.set_size],
        "registered titles, a slip in every long word but one": damaged_titles(args.folder, args.damaged, rng, share=1.0),
        "registered titles, a slip in half the long words": damaged_titles(args.folder, args.damaged, rng, share=0.5),
        "made-up words (bench-scale)": made_up(args.made_up, rng),
    }
    say(f"database: {Work.objects.count():,} works; machine load {load()}")
    totals: dict[str, float] = {}
    for name, references in groups.items():
        for key, value in measure(name, references).items():
            totals[key] = totals.get(key, 0) + value
    pretests = totals.pop("pretest_us_sum", 0) / max(totals.pop("pretests", 0), 1)
    say(" ".join(f"{key}={value:g}" for key, value in totals.items()) + f" pretest_mean_us={pretests:.0f}")


def say(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def set_references(folder: Path) -> list[tuple[str, str | None]]:
    truth = {}
    with open(folder / "truth.jsonl", "rb") as lines:
        for line in lines:
            item = orjson.loads(line)
            truth[item["id"]] = item.get("expected")
    found = []
    with open(folder / "refs.jsonl", "rb") as lines:
        for line in lines:
            item = orjson.loads(line)
            if item.get("unstructured") and not item.get("DOI"):
                found.append((item["unstructured"], truth.get(item["id"])))
    return found


def damaged_titles(folder: Path, count: int, rng: random.Random, *, share: float) -> list[tuple[str, str | None]]:
    """'Surname (year). Title.' with one slip in this share of the long title words (one is always
    spared): with most slipped, the word query has one title word and a surname at most."""
    works = []
    with gzip.open(folder / "registry.jsonl.gz", "rb") as lines:
        for line in lines:
            work = orjson.loads(line)
            if work.get("type") == "journal-article" and work.get("title") and work.get("author"):
                works.append(work)
    found = []
    for work in rng.sample(works, min(count, len(works))):
        words = work["title"][0].split()
        long = [n for n, w in enumerate(words) if len(w) >= 5]
        spared = set(rng.sample(long, 1)) if long else set()
        slipped = {n for n in long if n not in spared and rng.random() < share}
        title = " ".join(slip(w, rng) if n in slipped else w for n, w in enumerate(words))
        surname = work["author"][0].get("family", "")
        year = (work.get("issued", {}).get("date-parts") or [[None]])[0][0]
        found.append((f"{surname} ({year}). {title}.", work["DOI"].lower()))
    return found


def slip(word: str, rng: random.Random) -> str:
    """One slip of typing in a word of three letters or more, never at its first letter."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "wrong"))
    if kind == "swap" and word[at] != word[at + 1]:  # (swapping "ll" would change nothing)
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    return word[:at] + rng.choice("aeinorst".replace(word[at], "")) + word[at + 1 :]


def made_up(count: int, rng: random.Random) -> list[tuple[str, str | None]]:
    from bench.scale.generate import SURNAMES, VOCABULARY, VOCABULARY_WEIGHTS

    return [(f"{rng.choice(SURNAMES)} A. {' '.join(rng.choices(VOCABULARY, cum_weights=VOCABULARY_WEIGHTS, k=5)).capitalize()}. "
             f"Unpublished report, {rng.randrange(1990, 2020)}.", None) for _ in range(count)]


def measure(name: str, references: list[tuple[str, str | None]]) -> dict[str, float]:
    """Prints the group's figures; returns the counts the last line adds up."""
    from citations.matching.records import ReferenceQuery
    from citations.search import work_index
    from citations.search.postgresql import PostgresWorkIndex
    from citations.services import match_reference_queries

    index = work_index()
    lookups: list[float] = []  # the wall time of each similar_ids call that made the trigram query
    pretests: list[float] = []
    asked: list[bool] = []
    reached: set[int] = set()
    current = [0]
    similar, has_slip = PostgresWorkIndex.similar_ids, PostgresWorkIndex.has_slip

    def timed_similar(self, text, *, limit):
        reached.add(current[0])
        before, started = len([a for a in asked if a]), time.perf_counter()
        try:
            return similar(self, text, limit=limit)
        finally:
            if len([a for a in asked if a]) > before:
                lookups.append(time.perf_counter() - started)

    def always(self, text, words):
        asked.append(True)
        return True

    def timed_slip(self, text, words):
        started = time.perf_counter()
        answer = has_slip(self, text, words)
        pretests.append(time.perf_counter() - started)
        asked.append(answer)
        return answer

    def run(numbers, *, mode: str) -> dict[int, str | None]:
        lookups.clear(), pretests.clear(), asked.clear()
        PostgresWorkIndex.similar_ids = timed_similar
        PostgresWorkIndex.has_slip = always if mode == "always" else timed_slip
        index._has_trigrams = False if mode == "never" else None
        try:
            linked = {}
            for n in numbers:
                current[0] = n
                result = match_reference_queries([ReferenceQuery(unstructured=references[n][0])], index=index)[0]
                linked[n] = result.work.doi.lower() if result.outcome == "matched" and result.work is not None else None
            return linked
        finally:
            PostgresWorkIndex.similar_ids, PostgresWorkIndex.has_slip = similar, has_slip
            index._has_trigrams = None

    started = time.perf_counter()
    run(range(len(references)), mode="always")
    everyone = time.perf_counter() - started
    numbers = sorted(reached)
    say(f"\n{name}: {len(references):,} references, {len(numbers):,} reach the fallback "
        f"(all matched in {everyone:.0f} s with it asked for every one; load {load()})")
    figures: dict[str, float] = {"reaching": len(numbers)}
    for mode in ("always", "pre-tested", "never"):
        started = time.perf_counter()
        linked = run(numbers, mode=mode)
        seconds = time.perf_counter() - started
        right = sum(1 for n in numbers if linked[n] and linked[n] == (references[n][1] or "").lower())
        wrong = sum(1 for n in numbers if linked[n] and linked[n] != (references[n][1] or "").lower())
        say(f"  fallback {mode:>10}: true links {right}, wrong links {wrong}, none {len(numbers) - right - wrong}; "
            f"trigram queries {sum(asked)}; {seconds:.1f} s in all"
            + (f"; a query: median {statistics.median(lookups) * 1000:.0f} ms, max {max(lookups) * 1000:.0f} ms" if lookups else "")
            + (f"; pre-test: median {statistics.median(pretests) * 1e6:.0f} us, max {max(pretests) * 1e6:.0f} us" if pretests else "")
            + f" (load {load()})")
        key = mode.replace("-", "")
        figures.update({f"true_{key}": right, f"wrong_{key}": wrong, f"trigram_queries_{key}": sum(asked)})
        if mode == "pre-tested":
            figures.update(pretests=len(pretests), pretest_us_sum=sum(pretests) * 1e6)
    return figures

if __name__ == "__main__":
    main()
