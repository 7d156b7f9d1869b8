"""Small builders for the widget tests: works, citation links and widget keys, made directly."""
from __future__ import annotations

from citations.models import Citation
from citations.services import refresh_cited_by_counts
from deposits.models import Reference, Work
from members.models import Member, WidgetKey
from members.services import widget_key_create

SITE = "https://journal.example"


def work(member: Member, doi: str, title: str = "", **fields) -> Work:
    fields.setdefault("contributors", [{"given_name": "Ada", "surname": "Lovelace"}])
    return Work.objects.create(doi=doi, owner=member, title=title or f"Work {doi}", match_pending=False, **fields)


def cite(citing: Work, cited: Work) -> Citation:
    position = Reference.objects.filter(citing_work=citing).count() + 1
    reference = Reference.objects.create(citing_work=citing, key=f"ref{position}", position=position, doi=cited.doi)
    link = Citation.objects.create(reference=reference, citing_work=citing, cited_work=cited, method=Citation.Method.PUBLISHER_DOI)
    refresh_cited_by_counts(work_ids=[cited.pk])
    return link


def widget_key(member: Member, origins: str = SITE) -> WidgetKey:
    return widget_key_create(member=member, name="Journal site", origins=origins, created_by=None)
