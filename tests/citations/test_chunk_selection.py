"""The references a matching chunk takes up: four index lookups give the rows one OR across the
reference-citation join gave."""
import itertools
from datetime import timedelta

import pytest
from django.db.models import F, Q

from citations.models import Citation
from citations.reference_index import references_for_works
from citations.services import references_to_match
from deposits.models import Reference, Work
from tests.citations.test_pipeline import CITED, OTHER, cite, deposit

pytestmark = pytest.mark.django_db

WORK_FIELDS = ("pk", "doi", "title", "volume", "first_page", "publication_year")


def selected_by_one_or(work_ids: list[int]) -> list[int]:
    """The query match_works used before: the definition of the rows a chunk takes up."""
    works = list(Work.objects.filter(pk__in=work_ids).values(*WORK_FIELDS))
    outgoing = Q(citing_work_id__in=work_ids, citation__isnull=True)
    waiting = Q(doi__in=[work["doi"] for work in works], citation__isnull=True)
    found = Q(pk__in=references_for_works(works))
    # (Re-checked: links decided on another version of the work than its current one.)
    recheck = Q(citation__cited_work_id__in=work_ids, citation__status=Citation.Status.LINKED) & (
        Q(citation__cited_version__isnull=True) | ~Q(citation__cited_version=F("citation__cited_work__updated")))
    return list(Reference.objects.filter(outgoing | waiting | found | recheck).order_by("pk").values_list("pk", flat=True))


def test_a_chunk_takes_up_the_same_references_as_the_single_or_query(press, society):
    deposit(press[0], [CITED])
    citing = cite(society, [
        {"key": "linked", "doi": CITED["doi"]},  # linked by the matcher on an earlier version: re-checked
        {"key": "current", "doi": CITED["doi"]},  # linked on the cited work's current version: left alone
        {"key": "confirmed", "doi": CITED["doi"]},  # an editor's: never re-checked
        {"key": "flagged", "doi": CITED["doi"], "year": "2011"},
        {"key": "waits", "doi": OTHER["doi"]},  # unregistered yet: taken up with the work of its DOI
        {"key": "text", "unstructured": "Brandt L. Microbial carbon turnover in boreal peat soils. 2019;47(3):230."},
        {"key": "nothing", "unstructured": "Zwicky F. Spectral displacement of extragalactic nebulae. Helv Phys Acta 6:110 (1933)"},
    ])
    Citation.objects.filter(reference__key="confirmed").update(status=Citation.Status.CONFIRMED)
    Citation.objects.filter(reference__key="linked").update(cited_version=F("cited_version") - timedelta(seconds=1))
    deposit(press[0], [OTHER])
    cited, other = Work.objects.get(doi=CITED["doi"]), Work.objects.get(doi=OTHER["doi"])
    keys = dict(Reference.objects.values_list("pk", "key"))

    chosen = {}
    for size in (1, 2, 3):
        for work_ids in itertools.combinations([citing.pk, cited.pk, other.pk], size):
            works = list(Work.objects.filter(pk__in=work_ids).values(*WORK_FIELDS))
            got = references_to_match(work_ids=list(work_ids), works=works)
            assert got == selected_by_one_or(list(work_ids)), work_ids
            chosen[work_ids] = {keys[pk] for pk in got}
    # Each of the four ways in is exercised (else the comparison would prove little).
    assert chosen[(cited.pk,)] == {"linked"}
    assert chosen[(other.pk,)] == {"waits", "text"}
    assert chosen[(citing.pk,)] == {"waits", "text", "nothing"}
