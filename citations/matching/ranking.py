"""Every candidate's score for one reference, best first: the matcher's scoring without its decision.

`match` answers "which work, if any"; bibliographic search (`GET /works?query.bibliographic=`)
answers "which works, in what order", so clients that run their own validation (Crossref's
search-based matching) see the same scores the portal's matcher would give.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citations.matching.features import work_features
from citations.matching.records import ReferenceQuery, WorkRecord
from citations.matching.scoring import agreements, view_reference


@dataclass(frozen=True)
class RankedCandidate:
    work: WorkRecord
    score: float  # the matcher's 0..1 score (1.0 for the work of a DOI the reference gives)
    raw: float  # the unclipped weighted sum the order is taken on


def rank_candidates(ref: ReferenceQuery, *, candidates: Sequence[WorkRecord]) -> list[RankedCandidate]:
    """The distinct candidates scored as `match` scores them, best first (ties keep the index's order)."""
    view = view_reference(ref)
    ranked: list[RankedCandidate] = []
    seen: set[str] = set()
    for work in candidates:
        key = work.doi.lower() or f"id:{work.id}"
        if key in seen:  # the same work fetched by two lookups
            continue
        seen.add(key)
        found = agreements(view, work_features(work))
        raw = found.raw
        if key in view.dois:
            raw = max(raw, 1.0)  # the reference names this DOI: `match` links it unless contradicted
        ranked.append(RankedCandidate(work=work, score=min(1.0, max(0.0, raw)), raw=raw))
    ranked.sort(key=lambda c: c.raw, reverse=True)  # stable: equal scores stay in index rank order
    return ranked
