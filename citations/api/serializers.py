"""Works as Crossref's REST API writes them (`message` items of `/works`), and its envelopes.

Field names, nesting and list-ness follow api.crossref.org, so Crossref's clients and matching
code read these answers unchanged. Never a citing list: metadata, counts, and a work's own
(public) reference list with the DOIs the portal matched in it.
"""
from __future__ import annotations

from rest_framework import serializers

from deposits.doi import doi_url_path
from deposits.models import Work
from deposits.xml.markup import plain_text

MESSAGE_VERSION = "1.0.0"
# Crossref's scores are unbounded positive floats; the matcher's 0..1 score is scaled by this,
# and a candidate the matcher gives nothing still gets a small positive score.
SCORE_SCALE = 100.0
MIN_SCORE = 0.01


def crossref_score(score: float) -> float:
    return max(round(score * SCORE_SCALE, 3), MIN_SCORE)


def envelope(message_type: str, message) -> dict:
    return {"status": "ok", "message-type": message_type, "message-version": MESSAGE_VERSION, "message": message}


def validation_failure(problems: list[dict]) -> dict:
    """Crossref's 400 body: each problem has `type`, `value` and `message`."""
    return {"status": "failed", "message-type": "validation-failure", "message": problems}


# The Work columns CrossrefWorkSerializer reads: lists of many works load these only (.only()).
WORK_FIELDS = ("doi", "title", "subtitle", "container_title", "publication_year", "type", "publisher", "owner_id",
               "cited_by_count", "references_count", "contributors", "volume", "issue", "first_page", "last_page",
               "issn", "isbn", "resource_url")


class WorkValues:
    """A work read as values (`.values()`), not a model instance: what crossref_work reads, for
    lists of many works where making instances costs more than the rest of the answer."""

    __slots__ = tuple(name for name in WORK_FIELDS)

    def __init__(self, values: dict, *, prefix: str = ""):
        for name in WORK_FIELDS:
            setattr(self, name, values[prefix + name])

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{doi_url_path(self.doi)}"


class CrossrefWorkSerializer(serializers.BaseSerializer):
    """One registered `Work` as a Crossref work object; pass `score` in the context for list items."""

    def to_representation(self, work: Work) -> dict:
        return crossref_work(work, **self.context)


def crossref_work(work: Work, *, score: float | None = None, references=None) -> dict:
    """What CrossrefWorkSerializer writes, without a serializer object per item (a page of links
    writes up to 1,000)."""
    item: dict = {"DOI": work.doi}
    if score is not None:
        item["score"] = crossref_score(score)
    item.update({
        "title": _texts(plain_text(work.title)),
        "subtitle": _texts(plain_text(work.subtitle)),
        "container-title": _texts(work.container_title),
        "issued": {"date-parts": [[work.publication_year]]},
        "type": work.type,
        "publisher": work.publisher,
        "member": str(work.owner_id),
        "prefix": work.doi.split("/", 1)[0],
        "URL": work.doi_url,
        "is-referenced-by-count": work.cited_by_count,
        "references-count": work.references_count,
        "reference-count": work.references_count,  # Crossref answers both names
    })
    for name, role in (("author", "author"), ("editor", "editor")):
        people = [_person(c) for c in work.contributors or () if c.get("role", "author") == role]
        if people:
            item[name] = people
    optional = {
        "volume": work.volume,
        "issue": work.issue,
        "page": "-".join(p for p in (work.first_page, work.last_page) if p),
        "ISSN": _texts(work.issn),
        "ISBN": _texts(work.isbn),
    }
    item.update((key, value) for key, value in optional.items() if value)
    if work.publication_year:
        item["published"] = {"date-parts": [[work.publication_year]]}
    if work.resource_url:
        item["resource"] = {"primary": {"URL": work.resource_url}}
    if references is not None:
        item["reference"] = [_reference(r) for r in references]
    return item


# Reference fields Crossref lists, in its names; blank ones are left out, as Crossref does.
_REFERENCE_FIELDS = (
    ("unstructured", "unstructured"),
    ("article-title", "article_title"),
    ("journal-title", "journal_title"),
    ("author", "author"),
    ("year", "year"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("first-page", "first_page"),
    ("ISSN", "issn"),
    ("ISBN", "isbn"),
    ("series-title", "series_title"),
    ("volume-title", "volume_title"),
    ("edition", "edition_number"),
    ("component", "component_number"),
)


class ReferenceValues:
    """A reference read as values (citations.selectors.public_work_with_references), not a model
    instance: what _reference reads."""

    __slots__ = ("key", "doi", "matched_doi", *(attribute for _, attribute in _REFERENCE_FIELDS))

    def __init__(self, values: dict):
        for name in self.__slots__:
            setattr(self, name, values[name])


def _reference(reference) -> dict:
    """One entry of a reference list; `matched_doi` (citations.selectors.public_references) is the
    portal's own counted match, named only when the publisher deposited no DOI."""
    item: dict = {"key": reference.key}
    if reference.doi:
        item.update({"DOI": reference.doi, "doi-asserted-by": "publisher"})
    elif reference.matched_doi:
        item.update({"DOI": reference.matched_doi, "doi-asserted-by": "crossref"})
    item.update((name, getattr(reference, attribute)) for name, attribute in _REFERENCE_FIELDS if getattr(reference, attribute))
    return item


def _texts(value: str) -> list[str]:
    return [value] if value else []


def _person(contributor: dict) -> dict:
    sequence = contributor.get("sequence") or "additional"
    if contributor.get("is_organization"):
        return {"name": contributor.get("surname", ""), "sequence": sequence, "affiliation": []}
    person = {"family": contributor.get("surname", ""), "sequence": sequence, "affiliation": []}
    if contributor.get("given_name"):
        person["given"] = contributor["given_name"]
    if contributor.get("orcid"):
        person["ORCID"] = f"https://orcid.org/{contributor['orcid']}"
    return person
