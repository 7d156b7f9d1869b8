"""A rough speed check of the matcher on the real records: `.venv/bin/python bench/matcher_timing.py`.

Not a test (no timed assertions anywhere): it prints match() calls per second with 20 candidates
each, and index_text() works per second, in CPU time of one core (so a busy machine skews it less).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from citations.matching import ReferenceQuery, index_text, match
    from citations.matching.text import iso4_abbreviation
    from tests.citations.matching import styles
    from tests.citations.matching.realdata import ToyIndex, real_citations, real_works

    works = real_works()
    index = ToyIndex(works)
    references = [ReferenceQuery(unstructured=styles.apa(w)) for w in works]
    references += [c.reference for c in real_citations() if not c.reference.doi][:400]
    batches = [(r, (index.candidates(r, limit=20) + works)[:20]) for r in references]
    for reference, candidates in batches:  # warm the per-work cache, as a long-running worker has it
        match(reference, candidates=candidates)
    started = time.process_time()
    rounds = 3
    for _ in range(rounds):
        for reference, candidates in batches:
            match(reference, candidates=candidates)
    elapsed = time.process_time() - started
    print(f"match(): {rounds * len(batches) / elapsed:,.0f} calls/s with 20 candidates each")

    iso4_abbreviation("Physical Review B")  # loads the LTWA list once
    many = [w.__class__(**{**w.__dict__, "id": i, "title": f"{w.title} {i}"}) for i in range(250) for w in works]
    started = time.process_time()
    for work in many:
        index_text(work)
    elapsed = time.process_time() - started
    print(f"index_text(): {len(many) / elapsed:,.0f} works/s ({len(many):,} works)")


if __name__ == "__main__":
    main()
