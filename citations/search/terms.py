"""Words of a text as both index engines see them: lower case, accents dropped, letters and digits."""
from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")

# A query never ORs more words than this: long pasted references add noise, not recall.
MAX_QUERY_TERMS = 32


def terms(text: str) -> list[str]:
    """The distinct words of `text` in order ("Müller & O'Brien" -> ["muller", "o", "brien"])."""
    if not text:
        return []
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return list(dict.fromkeys(_WORD.findall(text.lower())))


# The letters a slip of typing or OCR puts in a word, as `terms` leaves them (lower case, no accents).
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"


def one_edit_away(word: str, known) -> bool:
    """Whether a word in `known` is one deletion, insertion, substitution or swap of neighbours from `word`.

    The neighbourhood is generated and looked up (about 50 lookups a letter, a few hundred
    microseconds for a long word), so `known` needs no index of its own: a registry's vocabulary.
    A word of letters is looked for with letters only (a digit inside a word is itself the slip).
    """
    letters = _LETTERS if word.isalpha() and word.isascii() else _LETTERS + _DIGITS + "".join(set(word) - set(_LETTERS + _DIGITS))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (
        any(a + b[1:] in known for a, b in splits if b)
        or any(a + b[1] + b[0] + b[2:] in known for a, b in splits if len(b) > 1)
        or any(a + c + b[1:] in known for a, b in splits if b for c in letters if c != b[0])
        or any(a + c + b in known for a, b in splits for c in letters)
    )
