"""Ways real references go wrong, applied either to the work before rendering (a missing
author list, a page typo) or to the rendered string (OCR noise, a cut, lost diacritics).

Every function takes the random generator it may use, so a reference degrades the same way
on every run with the same seed.
"""
from __future__ import annotations

import copy
import random
import re

from anyascii import anyascii

# Kinds applied to the CSL item before rendering, and to the rendered text after.
ITEM_KINDS = ("no-authors", "page-typo", "year-typo", "et-al", "initials", "title-scrambled")
TEXT_KINDS = ("ocr", "cut-start", "cut-end", "ascii")
KINDS = ITEM_KINDS + TEXT_KINDS

_OCR_CONFUSIONS = (
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("I", "l"), ("O", "0"), ("0", "O"),
    ("e", "c"), ("c", "e"), ("fi", "ﬁ"), ("fl", "ﬂ"), ("h", "b"), ("u", "n"), ("n", "u"),
    ("S", "5"), ("5", "S"), ("B", "8"), (",", "."), (".", ","), ("é", "e"), ("ü", "u"),
)
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def degrade_item(kind: str, item: dict, rng: random.Random) -> dict:
    """A copy of the CSL item with `kind` applied (item kinds only)."""
    item = copy.deepcopy(item)
    if kind == "no-authors":
        item.pop("author", None)
    elif kind == "page-typo":
        item["page"] = _page_typo(item.get("page", ""), rng)
    elif kind == "year-typo":
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        if parts:
            item["issued"] = {"date-parts": [[parts[0] + rng.choice((-1, 1))]]}
    elif kind == "initials":
        for author in item.get("author", []):
            if author.get("given"):
                author["given"] = "".join(part[0] for part in re.split(r"[\s.\-]+", author["given"]) if part)
    elif kind == "title-scrambled" and item.get("title"):
        item["title"] = _scramble(item["title"], rng)
    return item


def degrade_text(kind: str, text: str, rng: random.Random) -> str:
    """`text` with `kind` applied (text kinds only)."""
    if kind == "ocr":
        return ocr_noise(text, rng)
    if kind == "cut-start":
        return _cut(text, rng.uniform(0.15, 0.35), rng, keep_end=True)
    if kind == "cut-end":
        return _cut(text, rng.uniform(0.15, 0.35), rng, keep_end=False)
    if kind == "ascii":
        return text.translate(_GERMAN) if rng.random() < 0.3 else anyascii(text)
    return text


def ocr_noise(text: str, rng: random.Random, rate: float = 0.035) -> str:
    out, i = [], 0
    while i < len(text):
        if rng.random() < rate:
            for source, target in rng.sample(_OCR_CONFUSIONS, len(_OCR_CONFUSIONS)):
                if text.startswith(source, i):
                    out.append(target)
                    i += len(source)
                    break
            else:
                if text[i] == " " and rng.random() < 0.5:  # a lost space
                    i += 1
                    continue
                out.append(text[i])
                if text[i].isalpha() and rng.random() < 0.2:  # a line-break hyphen
                    out.append("- ")
                i += 1
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _cut(text: str, fraction: float, rng: random.Random, *, keep_end: bool) -> str:
    cut = int(len(text) * fraction)
    if keep_end:
        space = text.find(" ", cut)
        return text[space + 1 :] if space > 0 else text[cut:]
    keep = len(text) - cut
    space = text.rfind(" ", 0, keep)
    return text[:space] if space > 0 else text[:keep]


def _page_typo(page: str, rng: random.Random) -> str:
    first, dash, last = page.partition("-")
    digits = [i for i, char in enumerate(first) if char.isdigit()]
    if not digits:
        return page
    position = rng.choice(digits)
    original = first[position]
    replacement = rng.choice([d for d in "0123456789" if d != original and not (position == digits[0] and d == "0")] or ["1"])
    typo = first[:position] + replacement + first[position + 1 :]
    return typo + dash + last


def _scramble(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) < 4:
        return " ".join(reversed(words))
    start = rng.randrange(0, len(words) - 3)
    window = words[start : start + 4]
    original = list(window)
    while window == original:
        rng.shuffle(window)
    return " ".join(words[:start] + window + words[start + 4 :])
