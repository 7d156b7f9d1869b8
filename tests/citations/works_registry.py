"""A small registry registered through deposits (so the search index is filled the normal way)."""
from __future__ import annotations

from citations.services import match_works
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

GRAPHENE = {
    "doi": "10.5555/graphene.1",
    "title": "Phonon dispersion in strained graphene bilayers",
    "authors": [("Ada", "Lovelace"), ("Charles", "Babbage")],
    "year": 2004,
    "volume": "120",
    "issue": "7",
    "first_page": "345",
}
# Shares many title words with GRAPHENE: a candidate for its references that must rank below it.
TRILAYERS = {
    "doi": "10.5555/graphene.2",
    "title": "Phonon dispersion in twisted graphene trilayers",
    "authors": [("Grace", "Hopper")],
    "year": 2011,
    "volume": "134",
    "issue": "2",
    "first_page": "88",
}
MUDFLATS = {
    "doi": "10.5555/mudflats",
    "title": "Tidal rhythms of estuarine mudflats",
    "authors": [("Mary", "Anning")],
    "year": 1999,
    "volume": "9",
    "first_page": "12",
}
GRAPHENE_REFERENCE = (
    "Lovelace A, Babbage C (2004) Phonon dispersion in strained graphene bilayers. "
    "J Chem Phys 120(7):345"
)
# A search by GRAPHENE's title alone: its rarest words include those TRILAYERS shares, so both are
# candidates (the full reference's rarest five - its authors, year and "strained", "bilayers" -
# are GRAPHENE's alone in a registry this small, as they would be in a real one).
GRAPHENE_TITLE = GRAPHENE["title"]
MUDFLATS_REFERENCE = "Anning M. Tidal rhythms of estuarine mudflats. Estuarine Letters. 1999;9:12."
UNMATCHED_REFERENCE = "Zwicky F. Spectral displacement of extragalactic nebulae. Helv Phys Acta 6:110 (1933)"
CITING_DOI = "10.6666/citing.1"


def register(member, articles, *, journal: str, batch: str = "b", timestamp: int = 20240101000000) -> None:
    deposit = deposit_create_from_bytes(
        member=member,
        content=journal_article_deposit(articles, journal_title=journal, doi_batch_id=batch, timestamp=timestamp),
        filename=f"{batch}.xml",
    )
    deposit_process(deposit_id=deposit.pk)


def register_registry(press_member, society_member) -> None:
    """GRAPHENE and TRILAYERS in J Chem Phys, MUDFLATS in Estuarine Letters (press), and a citing work (society)."""
    register(press_member, [GRAPHENE, TRILAYERS], journal="Journal of Chemical Physics", batch="chem")
    register(press_member, [MUDFLATS], journal="Estuarine Letters", batch="estuary")
    citing = {"doi": CITING_DOI, "title": "Citing article about lattice vibrations", "references": [{"key": "r1", "doi": GRAPHENE["doi"]}]}
    register(society_member, [citing], journal="Society Letters", batch="citing")
    match_works(work_ids=Work.objects.values_list("pk", flat=True))
