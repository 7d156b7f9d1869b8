"""Reference matching: which registered work a deposited reference cites. Pure Python, no Django.

`candidate_query` says what to fetch from the index for a reference, `index_text` what the index
stores for a work, and `match` decides among the fetched candidates. Thresholds and weights live
in `weights`.
"""
from citations.matching.matcher import match, settled_by_place
from citations.matching.query import candidate_query, index_text
from citations.matching.records import CandidateQuery, MatchResult, ReferenceQuery, WorkRecord

__all__ = ["CandidateQuery", "MatchResult", "ReferenceQuery", "WorkRecord", "candidate_query", "index_text", "match", "settled_by_place"]
