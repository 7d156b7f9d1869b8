"""GET /works/{doi} reads a work and its reference list in one query (selectors.public_work_with_references):
its answer is byte for byte the one the model instances' path writes, for works of every shape."""
import json

import pytest

from citations.api.renderers import FastJSONRenderer
from citations.api.serializers import WORK_FIELDS, crossref_work, envelope
from citations.models import Citation
from citations.selectors import public_references, public_work_with_references
from deposits.models import Reference, Work
from tests.citations.widget_builders import work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]

ARTICLE = "10.5555/varied.1"


def reference(citing: Work, key: str, position: int, *, cites: Work | None = None, status: str = Citation.Status.LINKED, **fields) -> Reference:
    made = Reference.objects.create(citing_work=citing, key=key, position=position, **fields)
    if cites is not None:
        method = Citation.Method.PUBLISHER_DOI if made.doi else Citation.Method.STRUCTURED
        Citation.objects.create(reference=made, citing_work=citing, cited_work=cites, method=method, status=status)
    return made


@pytest.fixture
def varied(press, society):
    """An article with every kind of field and reference, a book with no references, year or
    authors, and a preprint with an organisation as author and a last page only."""
    member = press[0]
    cited = work(society[0], "10.6666/cited.1")
    flagged = work(society[0], "10.6666/flagged.1")
    article = work(
        member, ARTICLE, title="Phonon <i>dispersion</i> in “strained” graphene — α/β", subtitle="A \\ study",
        type="journal-article", publisher="Cited Press", container_title="Journal of Examples", publication_year=2004,
        volume="93", issue="18", first_page="185503", last_page="185507", issn="0031-9007", isbn="9780306406157",
        resource_url="https://example.org/articles/1", cited_by_count=3, references_count=5,
        contributors=[
            {"given_name": "Ada", "surname": "Lovelace", "sequence": "first", "orcid": "0000-0002-1825-0097"},
            {"surname": "Babbage", "sequence": "additional"},
            {"given_name": "Émilie", "surname": "du Châtelet", "role": "editor", "sequence": "first"},
        ],
    )
    # Neither the order the rows are written in nor their keys' order: the list follows position.
    reference(article, "mid", 3, unstructured="Schrödinger E (1926) “Quantisierung” \\ Ann Phys 79:361", year="1926")
    reference(article, "zeta", 1, doi="10.6666/cited.1", author="Anning", year="1999", cites=cited)
    reference(article, "alpha", 2, journal_title="Helv Phys Acta", article_title="Spectral displacement", author="Zwicky",
              year="1933", volume="6", issue="2", first_page="110", issn="0018-0238", cites=cited)
    reference(article, "d4", 4, unstructured="Flagged, so not shown as matched", cites=flagged, status=Citation.Status.FLAGGED)
    reference(article, "e5", 5, series_title="Lecture Notes", volume_title="Proceedings", edition_number="2",
              component_number="ch3", isbn="9783161484100")
    work(member, "10.5555/book.1", title="A book", type="book", isbn="9780306406157", contributors=[])
    work(member, "10.5555/preprint.1", title="A preprint", type="posted-content", publication_year=2021, last_page="12",
         contributors=[{"surname": "The Consortium", "is_organization": True, "sequence": "first"}])
    return member


def model_path_body(doi: str) -> bytes:
    """What `/works/{doi}` sent before: the model instances and public_references' queryset."""
    found = Work.objects.get(doi=doi)
    return FastJSONRenderer().render(envelope("work", crossref_work(found, references=list(public_references(found)))))


@pytest.mark.parametrize("doi", [ARTICLE, "10.5555/book.1", "10.5555/preprint.1", "10.6666/cited.1"])
def test_each_work_is_answered_byte_for_byte_as_the_model_path_wrote_it(client, varied, doi):
    response = client.get(f"/works/{doi}")
    assert response.status_code == 200
    assert response.content == model_path_body(doi)


def test_an_article_with_every_kind_of_reference_is_crossrefs_json(client, varied):
    message = json.loads(client.get(f"/works/{ARTICLE.upper()}").content)["message"]
    assert message["title"] == ["Phonon dispersion in “strained” graphene — α/β"]
    assert message["subtitle"] == ["A \\ study"]
    assert message["author"] == [
        {"family": "Lovelace", "sequence": "first", "affiliation": [], "given": "Ada", "ORCID": "https://orcid.org/0000-0002-1825-0097"},
        {"family": "Babbage", "sequence": "additional", "affiliation": []},
    ]
    assert message["editor"] == [{"family": "du Châtelet", "sequence": "first", "affiliation": [], "given": "Émilie"}]
    assert {k: message[k] for k in ("ISSN", "ISBN", "page", "issued", "published", "resource")} == {
        "ISSN": ["0031-9007"], "ISBN": ["9780306406157"], "page": "185503-185507", "issued": {"date-parts": [[2004]]},
        "published": {"date-parts": [[2004]]}, "resource": {"primary": {"URL": "https://example.org/articles/1"}},
    }
    assert message["reference"] == [
        {"key": "zeta", "DOI": "10.6666/cited.1", "doi-asserted-by": "publisher", "author": "Anning", "year": "1999"},
        {"key": "alpha", "DOI": "10.6666/cited.1", "doi-asserted-by": "crossref", "article-title": "Spectral displacement",
         "journal-title": "Helv Phys Acta", "author": "Zwicky", "year": "1933", "volume": "6", "issue": "2",
         "first-page": "110", "ISSN": "0018-0238"},
        {"key": "mid", "unstructured": "Schrödinger E (1926) “Quantisierung” \\ Ann Phys 79:361", "year": "1926"},
        {"key": "d4", "unstructured": "Flagged, so not shown as matched"},
        {"key": "e5", "ISBN": "9783161484100", "series-title": "Lecture Notes", "volume-title": "Proceedings",
         "edition": "2", "component": "ch3"},
    ]


def test_a_work_without_references_year_or_authors_keeps_crossrefs_shape(client, varied):
    message = json.loads(client.get("/works/10.5555/book.1").content)["message"]
    assert message["reference"] == [] and message["issued"] == {"date-parts": [[None]]}
    assert "published" not in message and "author" not in message and "page" not in message
    preprint = json.loads(client.get("/works/10.5555/preprint.1").content)["message"]
    assert preprint["author"] == [{"name": "The Consortium", "sequence": "first", "affiliation": []}]
    assert preprint["page"] == "12"


def test_the_one_query_reads_what_the_model_path_reads(varied):
    values, references = public_work_with_references(f"https://doi.org/{ARTICLE.upper()}", fields=WORK_FIELDS)
    expected = Work.objects.get(doi=ARTICLE)
    assert values == {name: getattr(expected, name) for name in WORK_FIELDS}
    assert [(r["key"], r["doi"], r["matched_doi"]) for r in references] == [
        (r.key, r.doi, r.matched_doi) for r in public_references(expected)
    ]
    assert public_work_with_references("10.5555/no-such-work", fields=WORK_FIELDS) is None
    assert public_work_with_references("not a doi", fields=WORK_FIELDS) is None
