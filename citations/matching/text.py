"""Text normalisation shared by queries, the index and scoring: one form for every comparison.

Everything becomes lower-case ASCII words (anyascii transliterates: Müller -> muller,
Ελλάδα -> ellada), punctuation becomes a space. Names get a second fold for German
transliteration (Mueller/Müller/Muller all compare equal).
"""
from __future__ import annotations

import functools
import html
import re
import threading

from anyascii import anyascii

_TAG = re.compile(r"<[^>]{0,200}>")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2012\u00ad\ufe58\ufe63\uff0d]")

# Words that never help find or tell apart a work. Kept short on purpose: a title's own words
# are what ranks the right work first.
STOPWORDS = frozenset(
    """a an and are as at be but by for from has have in into is it its of on or that the their
    this to was were which with within without via vs versus than der die das und des den dem
    le la les et du de des en una uno el los las y del di il per""".split()
)
# Citation boilerplate: never part of a title, author or container in the index.
NOISE_WORDS = frozenset(
    """al etal pp pg p vol vols no nos doi dx org http https www com html pdf url urn isbn issn
    ed eds edn edition editor editors retrieved available online accessed access cited
    press publ suppl pt art article ibid idem op cit jan feb mar apr may jun jul aug sep sept
    oct nov dec january february march april june july august september october november december
    n s e""".split()
)
NOTICE_WORDS = ("correction", "erratum", "errata", "corrigendum", "corrigenda", "retraction", "retracted",
                "expression of concern", "addendum", "withdrawn", "withdrawal")
PREPRINT_WORDS = ("arxiv", "biorxiv", "medrxiv", "chemrxiv", "psyarxiv", "socarxiv", "ssrn", "preprint",
                  "preprints", "research square", "researchsquare", "osf", "posted", "authorea", "zenodo", "hal", "repec")

# Words that only a journal's (or proceedings') name carries: a string that has one its preprint
# candidate lacks names the published version, even cut short before the rest of its journal.
JOURNAL_WORDS = frozenset("""journal journals acta bulletin annals transactions letters proceedings archives
    zeitschrift revista revue""".split())


def plain(text: str) -> str:
    """Lower-case ASCII with punctuation kept, dashes unified, tags and entities gone."""
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = _DASHES.sub("-", text)
        text = anyascii(text)
    return text.lower()


def normalize(text: str) -> str:
    """"Müller, J. – Über Röntgen-Strahlen." -> "muller j uber rontgen strahlen"."""
    return _NON_ALNUM.sub(" ", plain(text)).strip()


def words(text: str) -> list[str]:
    return normalize(text).split()


def fold_name(normalized: str) -> str:
    """German transliteration folded away: "mueller" and "muller" both -> "muller"."""
    if "e" not in normalized:
        return normalized
    return normalized.replace("ae", "a").replace("oe", "o").replace("ue", "u")


def content_words(tokens: list[str]) -> list[str]:
    """Tokens that carry meaning: no stop or noise words, no lone letters or bare numbers."""
    return [t for t in tokens if len(t) > 1 and not t.isdigit() and t not in STOPWORDS and t not in NOISE_WORDS]


def norm_number(value: str) -> str:
    """A volume, issue or page as compared: "075" -> "75", "e1234" stays, "S12" -> "s12"."""
    if value and value.isdigit() and value.isascii():  # most are plain numbers: no need to clean them
        return value.lstrip("0") or "0"
    token = _NON_ALNUM.sub("", plain(value or ""))
    if token.isdigit():
        return token.lstrip("0") or "0"
    return token


_NOT_ISSN_CHAR = re.compile(r"[^0-9xX]")


@functools.lru_cache(maxsize=65_536)  # a journal's ISSN comes with each of its works
def norm_issn(value: str) -> str:
    token = _NOT_ISSN_CHAR.sub("", value or "").upper()
    return token if len(token) == 8 else ""


@functools.lru_cache(maxsize=65_536)
def norm_isbn(value: str) -> str:
    """ISBN-13 digits (an ISBN-10 is converted), or "" for anything else."""
    token = _NOT_ISSN_CHAR.sub("", value or "").upper()
    if len(token) == 10:
        core = "978" + token[:9]
        check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return token if len(token) == 13 and token.isdigit() else ""


# --- DOIs ---------------------------------------------------------------------------------

_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s\"<>{}|\\^`]+", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|urn:doi:)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def _trim_doi(doi: str) -> str:
    doi = doi.rstrip(".,;:'\u2019\u201d")
    # A closing bracket belongs to the DOI only when the DOI opened it: "(03)00084-6" keeps it.
    while doi and doi[-1] in ")]" and doi.count(doi[-1]) > doi.count("(" if doi[-1] == ")" else "["):
        doi = doi[:-1].rstrip(".,;:")
    return doi


def normalize_doi(value: str) -> str:
    """The bare lower-case DOI in `value` ("https://doi.org/10.1/AbC." -> "10.1/abc"), or ""."""
    value = _DOI_PREFIX.sub("", (value or "").strip())
    found = _DOI_IN_TEXT.search(value)
    return _trim_doi(found.group(0)).lower() if found else ""


def dois_in(text: str) -> list[str]:
    """Every DOI written in `text`, normalised, in order, without repeats."""
    found: list[str] = []
    for match in _DOI_IN_TEXT.finditer(text or ""):
        doi = _trim_doi(match.group(0)).lower()
        if doi and doi not in found:
            found.append(doi)
    return found


def without_identifiers(text: str) -> str:
    """`text` with DOIs and URLs cut out, so their digits are not read as pages or years."""
    if "10." in text:
        text = _DOI_IN_TEXT.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    return text


# --- Journal abbreviations ----------------------------------------------------------------

_abbreviator = None
_abbreviator_lock = threading.Lock()


def _iso4():
    global _abbreviator
    if _abbreviator is None:
        with _abbreviator_lock:
            if _abbreviator is None:
                from pyiso4.ltwa import Abbreviate  # loads the LTWA list (~2 s) once per process

                _abbreviator = Abbreviate.create()
    return _abbreviator


@functools.lru_cache(maxsize=262_144)
def iso4_abbreviation(container_title: str) -> str:
    """The ISO 4 abbreviation of a journal title, normalised ("Physical Review B" -> "phys rev b").

    Cached per distinct title: the index builder asks for the same few thousand journals
    hundreds of thousands of times.
    """
    if not container_title or len(container_title) > 300:
        return ""
    try:
        abbreviated = _iso4()(plain(container_title), remove_part=True)
    except Exception:  # pyiso4 trips over odd punctuation; an abbreviation is only a bonus
        return ""
    return normalize(abbreviated)
