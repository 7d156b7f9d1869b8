"""Reading citations. The citing list is only handed to those members.access allows."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Min, Prefetch, QuerySet

from citations.models import Citation, MatchDecision
from deposits.models import Work
from members.access import can_view_citing_list


def citing_works(work: Work, *, viewer) -> QuerySet[Work]:
    """The distinct works citing `work`, newest link first, each with `found` (first link's date).

    Raises PermissionDenied unless the viewer may see this work's citing list.
    """
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return (
        Work.objects.filter(citations_made__cited_work=work, citations_made__status__in=Citation.COUNTED)
        .annotate(found=Min("citations_made__created"))
        .order_by("-found", "doi")
    )


def citing_works_explained(work: Work, *, viewer) -> QuerySet[Work]:
    """`citing_works`, each citing work with `links`: its counted links to `work`, how each was
    found and who decided about it (fetched for a whole page in one query, not one per row)."""
    links = (
        Citation.objects.filter(cited_work=work, status__in=Citation.COUNTED)
        .select_related("reference", "decided_by")
        .order_by("reference__position")
    )
    return citing_works(work, viewer=viewer).prefetch_related(Prefetch("citations_made", queryset=links, to_attr="links"))


def flagged_citations(work: Work, *, viewer) -> QuerySet[Citation]:
    """Links to `work` from references whose DOI names it but whose other fields contradict it;
    they wait, uncounted, for the work's editors. Same viewers as the citing list."""
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return (
        Citation.objects.filter(cited_work=work, status=Citation.Status.FLAGGED)
        .select_related("citing_work", "reference")
        .order_by("-created", "-pk")
    )


def decisions_about(work: Work, *, viewer) -> QuerySet[MatchDecision]:
    """Editors' decisions about the links to `work`, newest first: who did what, and when."""
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return MatchDecision.objects.filter(cited_work=work).select_related("citing_work").order_by("-at", "-pk")


def citation_for_decision(pk: int) -> Citation | None:
    """A link with its cited work and that work's owner, which decide who may act on it."""
    return Citation.objects.select_related("cited_work__owner", "citing_work").filter(pk=pk).first()
