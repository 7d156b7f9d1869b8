"""The real Crossref records of `shared/data/crossref-unixsd/` as REST API work objects.

They join the synthetic registry so that real titles, real author lists and real container
names are matched too (and cited in every style).
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from deposits.xml.hardened import xml_parser

QUERY = "{http://www.crossref.org/qrschema/3.0}"
UNIXREF = "{http://www.crossref.org/xschema/1.1}"

_WORK_ELEMENTS = {
    "journal_article": "journal-article",
    "content_item": "book-chapter",
    "posted_content": "posted-content",
    "conference_paper": "proceedings-article",
}


def read_records(folder: Path) -> list[dict]:
    """One REST work object per record file, in file-name order."""
    return [record for path in sorted(folder.glob("*.xml")) if (record := rest_work(path))]


def rest_work(path: Path) -> dict | None:
    tree = etree.parse(str(path), xml_parser())
    crossref = tree.find(f".//{UNIXREF}crossref")
    if crossref is None:
        return None
    container = next(iter(element for element in crossref if isinstance(element.tag, str)), None)
    work = next((e for name in _WORK_ELEMENTS for e in container.iter(f"{UNIXREF}{name}")), None)
    if work is None:
        return None
    kind = _WORK_ELEMENTS[etree.QName(work).localname]
    doi = _text(work.find(f"{UNIXREF}doi_data/{UNIXREF}doi"))
    rest: dict = {"DOI": doi, "type": kind, "URL": f"http://dx.doi.org/{doi}"}
    _put(rest, "title", [_text(work.find(f"{UNIXREF}titles/{UNIXREF}title"))])
    _put(rest, "subtitle", [_text(work.find(f"{UNIXREF}titles/{UNIXREF}subtitle"))])
    rest["author"] = _authors(work)
    metadata = container.find(f"{UNIXREF}journal_metadata")
    if metadata is None:
        metadata = container.find(f"{UNIXREF}book_metadata")
    if metadata is None:
        metadata = container.find(f"{UNIXREF}proceedings_metadata")
    if metadata is not None:
        title = _text(metadata.find(f"{UNIXREF}full_title")) or _text(metadata.find(f"{UNIXREF}titles/{UNIXREF}title")) or _text(metadata.find(f"{UNIXREF}proceedings_title"))
        _put(rest, "container-title", [title])
        abbrev = _text(metadata.find(f"{UNIXREF}abbrev_title"))
        if abbrev and abbrev != title:
            rest["short-container-title"] = [abbrev]
        _put(rest, "ISSN", [_text(e) for e in metadata.findall(f"{UNIXREF}issn")])
        _put(rest, "ISBN", [_text(e) for e in metadata.findall(f"{UNIXREF}isbn")])
        _put(rest, "publisher", _text(metadata.find(f"{UNIXREF}publisher/{UNIXREF}publisher_name")))
    issue = container.find(f"{UNIXREF}journal_issue")
    if issue is not None:
        _put(rest, "volume", _text(issue.find(f"{UNIXREF}journal_volume/{UNIXREF}volume")))
        _put(rest, "issue", _text(issue.find(f"{UNIXREF}issue")))
    first = _text(work.find(f"{UNIXREF}pages/{UNIXREF}first_page"))
    last = _text(work.find(f"{UNIXREF}pages/{UNIXREF}last_page"))
    if first:
        rest["page"] = f"{first}-{last}" if last and last != first else first
    date = _date_parts(work) or (_date_parts(issue) if issue is not None else None) or (_date_parts(metadata) if metadata is not None else None)
    if date:
        rest["issued"] = {"date-parts": [date]}
    publisher = tree.find(f".//{QUERY}crm-item[@name='publisher-name']")
    if "publisher" not in rest and publisher is not None:
        rest["publisher"] = _text(publisher)
    return rest


def _authors(work: etree._Element) -> list[dict]:
    authors = []
    for person in work.iterfind(f"{UNIXREF}contributors/{UNIXREF}person_name"):
        if person.get("contributor_role", "author") != "author":
            continue
        author = {"family": _text(person.find(f"{UNIXREF}surname")), "sequence": person.get("sequence", "additional")}
        _put(author, "given", _text(person.find(f"{UNIXREF}given_name")))
        authors.append(author)
    for organisation in work.iterfind(f"{UNIXREF}contributors/{UNIXREF}organization"):
        authors.append({"name": _text(organisation), "sequence": organisation.get("sequence", "additional")})
    return authors


def _date_parts(element: etree._Element | None) -> list[int] | None:
    if element is None:
        return None
    for name in ("publication_date", "posted_date"):
        for date in element.findall(f"{UNIXREF}{name}"):
            year = _text(date.find(f"{UNIXREF}year"))
            if year.isdigit():
                parts = [int(year)]
                for part in ("month", "day"):
                    value = _text(date.find(f"{UNIXREF}{part}"))
                    if not value.isdigit() or int(value) < 1:
                        break
                    parts.append(int(value))
                return parts
    return None


def _text(element: etree._Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _put(target: dict, key: str, value) -> None:
    if isinstance(value, list):
        value = [v for v in value if v]
    if value:
        target[key] = value
