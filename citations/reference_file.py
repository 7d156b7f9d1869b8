"""The file format of `match_references`: one reference per JSON line in, one answer per line out.

Lines are matched in chunks, in this process or in a pool of forked worker processes that each
open their own database connection and keep their own index (and its cache of works); answers
come back in input order.
"""
from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator

import orjson
from django.db import connections

from citations.crossref_data import reference_query
from citations.matching.records import MatchResult, ReferenceQuery
from citations.search import WorkIndex, work_index
from citations.services import match_reference_queries

CHUNK_LINES = 500

Chunk = list[tuple[int, bytes]]  # (line number, line)

_index: WorkIndex | None = None  # this process's index, kept across chunks


def read_chunks(lines: Iterable[bytes], *, size: int = CHUNK_LINES) -> Iterator[Chunk]:
    """Numbered non-blank lines in chunks of `size`."""
    chunk: Chunk = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            chunk.append((number, line))
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def match_chunk(chunk: Chunk) -> list[bytes]:
    """The answer lines (JSON, newline-terminated) for one chunk of input lines, in order."""
    global _index
    if _index is None:
        _index = work_index()
    parsed = [_parse(number, line) for number, line in chunk]
    good = [(n, ref_id, query) for n, ref_id, query, error in parsed if not error]
    try:
        results = match_reference_queries([query for _, _, query in good], index=_index)
    except Exception:
        results = [_match_one(query) for _, _, query in good]  # find the one reference that breaks it
    answers = {n: _answer(ref_id, result, n) for (n, ref_id, _), result in zip(good, results)}
    return [
        orjson.dumps(answers[n] if not error else _error(ref_id, f"line {n}: {error}")) + b"\n"
        for n, ref_id, _, error in parsed
    ]


def _match_one(query: ReferenceQuery) -> MatchResult | Exception:
    try:
        return match_reference_queries([query], index=_index)[0]
    except Exception as error:  # one reference the matcher cannot take must not stop the file
        return error


def _parse(number: int, line: bytes) -> tuple[int, object, ReferenceQuery | None, str]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return number, None, None, f"not JSON ({error})"
    if not isinstance(value, dict):
        return number, None, None, "not a JSON object"
    ref_id = value.get("id", number)
    return number, ref_id, reference_query(value), ""


def _answer(ref_id, result: MatchResult | Exception, number: int) -> dict:
    if isinstance(result, Exception):
        return _error(ref_id, f"line {number}: matching failed ({type(result).__name__}: {result})")
    linked = result.outcome == "matched" and result.work is not None  # "contradicted" links nothing
    return {"id": ref_id, "DOI": result.work.doi if linked else None, "score": round(result.score, 4), "method": result.method}


def _error(ref_id, message: str) -> dict:
    return {"id": ref_id, "DOI": None, "score": 0.0, "method": None, "error": message}


def match_chunks(chunks: Iterable[Chunk], *, workers: int = 1) -> Iterator[list[bytes]]:
    """Answers chunk by chunk, in input order; with `workers` > 1 in that many forked processes."""
    if workers <= 1:
        yield from map(match_chunk, chunks)
        return
    # What every worker would compute for itself is computed once here and shared by the fork:
    # the index's common-word statistics (a pass over the whole index).
    work_index().common_terms()
    # A forked child must not share the parent's database connection: close it before forking;
    # each worker then connects on first use.
    connections.close_all()
    # Out of the collector's sight while the children fork: its full passes in each child would
    # otherwise write to every shared object (their GC headers), copying the pages one by one.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_forget_index) as pool:
            pending: deque = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(match_chunk, (chunk,)))
                if len(pending) >= 2 * workers:  # keep every worker busy, but never the whole file in memory
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
    finally:
        gc.unfreeze()  # (the parent's own objects are collected again as usual)


def _forget_index() -> None:
    global _index
    _index = None
