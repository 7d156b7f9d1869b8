"""Journal abbreviations recognised by their letters, without the LTWA list.

"J. Cereb. Blood Flow Metab.", "Proc Natl Acad Sci USA" and "Ann. Opt. C" abbreviate
"Journal of Cerebral Blood Flow and Metabolism", "Proceedings of the National Academy of
Sciences of the United States of America" and "Annals of Optics, Section C": each abbreviated
word keeps its full word's first letter and some of its letters in order, a run of initials
("USA") may stand for several words, and the words ISO 4 leaves out (articles, prepositions,
"Part", "Section", "Series") may be missing. ISO 4's own abbreviations (pyiso4's LTWA list,
~1 s to load) are kept for the index only; matching reads abbreviations this way, in any
style, with nothing to load.
"""
from __future__ import annotations

from collections.abc import Sequence

from citations.matching.text import STOPWORDS

# Words an abbreviation may leave out (besides the stop words).
DROPPABLE = STOPWORDS | frozenset({"part", "section", "series", "sect", "ser", "pt", "s"})


def abbreviates(short: str, full: str) -> bool:
    """ "natl" abbreviates "national": the same first letter, then its letters in order."""
    if short == full:
        return True
    if not short or short[0] != full[0] or len(short) > len(full):
        return False
    position = 0
    for char in short:
        position = full.find(char, position) + 1
        if position == 0:
            return False
    return True


def run_end(tokens: Sequence[str], start: int, words: Sequence[str]) -> int:
    """The index just past a run of `tokens` from `start` that abbreviates `words`, or -1."""
    return _walk(tokens, start, words, 0, 0)


def _walk(tokens: Sequence[str], i: int, words: Sequence[str], j: int, depth: int) -> int:
    if j == len(words):
        return i
    if depth > 24:
        return -1
    word = words[j]
    token = tokens[i] if i < len(tokens) else ""
    if word in DROPPABLE:
        if token and (token == word or (token[0] == word[0] and abbreviates(token, word) and len(token) >= 2)):
            end = _walk(tokens, i + 1, words, j + 1, depth + 1)
            if end >= 0:
                return end
        return _walk(tokens, i, words, j + 1, depth + 1)
    if not token:
        return -1
    if token in STOPWORDS:  # "J. of Neurosci."
        end = _walk(tokens, i + 1, words, j, depth + 1)
        if end >= 0:
            return end
    if abbreviates(token, word):
        end = _walk(tokens, i + 1, words, j + 1, depth + 1)
        if end >= 0:
            return end
    if len(token) >= 2 and token.isalpha():  # initials of several words: "usa", "ieee"
        k = j
        for char in token:
            while k < len(words) and words[k] in DROPPABLE:
                k += 1
            if k >= len(words) or words[k][0] != char:
                return -1
            k += 1
        if k - j >= 2:
            return _walk(tokens, i + 1, words, k, depth + 1)
    return -1


def is_abbreviation(short: str, full: str) -> bool:
    """The whole of `short` (normalised words) abbreviates the whole of `full`."""
    tokens, words = short.split(), full.split()
    if not tokens or not words or len([w for w in words if w not in DROPPABLE]) < 2:
        return False
    return run_end(tokens, 0, words) == len(tokens)


def abbreviation_in(tokens: Sequence[str], full: str) -> bool:
    """Some run of `tokens` abbreviates the journal title `full` (of two or more real words)."""
    words = full.split()
    significant = [w for w in words if w not in DROPPABLE]
    if len(significant) < 2:
        return False
    first = significant[0][0]
    for start, token in enumerate(tokens):
        if token and token[0] == first and run_end(tokens, start, words) > start + 1:
            return True
    return False
