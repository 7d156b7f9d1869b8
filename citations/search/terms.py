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
