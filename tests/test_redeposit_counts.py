"""Cited-by counts hold steady while the citing works are re-deposited (a real worker applies and
matches them): a reference the new list keeps keeps its citation, so no count drops on the way."""
import threading
import time

import pytest

from deposits.models import Deposit, Work
from deposits.services import deposit_create_from_bytes
from tests.builders import member_with_admin
from tests.conftest import wait_for
from tests.doi_citations_xml import doi_citations_deposit
from tests.xmlbuild import journal_article_deposit

CITING_WORKS = 150  # three chunks of 50: counts are sampled between the chunks' commits


def citing_articles(version: int) -> list[dict]:
    return [
        {"doi": f"10.6666/citing.{n}", "title": f"Citing article {n}, version {version}", "references": [
            {"key": "cited", "doi": "10.5555/cited"},
            # A reference that changes with each version: replaced, while the kept one stays linked.
            {"key": "other", "unstructured": f"Somebody, S. ({1900 + version}). Unregistered work {n}. Nowhere."},
        ]}
        for n in range(CITING_WORKS)
    ]


def all_linked() -> bool:
    return not Work.objects.filter(match_pending=True).exists() and not Deposit.objects.exclude(
        status__in=Deposit.FINAL_STATUSES).exists()


class CountSampler(threading.Thread):
    """Reads the cited work's count over and over, as a visitor reloading its page would."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stop.is_set():
                self.samples.append(Work.objects.get(doi="10.5555/cited").cited_by_count)
                time.sleep(0.01)
        finally:
            connection.close()


@pytest.mark.parametrize("redeposit", ["metadata", "references only"])
def test_cited_by_count_never_drops_while_citing_works_are_redeposited(celery_worker, redeposit):
    press, _ = member_with_admin("Cited Press", "10.5555", "admin@cited-press.example")
    society, _ = member_with_admin("Citing Society", "10.6666", "admin@citing-society.example")
    deposit_create_from_bytes(member=press, content=journal_article_deposit([{"doi": "10.5555/cited", "title": "Cited"}]),
                              filename="cited.xml")
    deposit_create_from_bytes(member=society, content=journal_article_deposit(citing_articles(1), timestamp=1), filename="v1.xml")
    wait_for(all_linked, timeout=180, what="the first deposits to be applied and linked")
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == CITING_WORKS

    sampler = CountSampler()
    sampler.start()
    try:
        if redeposit == "metadata":
            content = journal_article_deposit(citing_articles(2), timestamp=2)
        else:
            content = doi_citations_deposit({a["doi"]: a["references"] for a in citing_articles(2)})
        deposit = deposit_create_from_bytes(member=society, content=content, filename="v2.xml", operation=None)
        wait_for(lambda: Deposit.objects.get(pk=deposit.pk).is_final, timeout=180, what="the re-deposit to be applied")
        wait_for(all_linked, timeout=180, what="the re-deposit to be linked")
    finally:
        sampler.stop.set()
        sampler.join()
    deposit.refresh_from_db()
    assert (deposit.operation, deposit.success_count) == (
        "doMDUpload" if redeposit == "metadata" else "doDOICitUpload", CITING_WORKS)
    assert len(sampler.samples) > 20, "the count was sampled while the re-deposit ran"
    assert min(sampler.samples) == CITING_WORKS, f"the count dropped to {min(sampler.samples)} on the way"
    assert Work.objects.get(doi="10.5555/cited").cited_by_count == CITING_WORKS
