"""Reading citations. The citing list is only handed to those members.access allows."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Min, QuerySet

from citations.models import Citation
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
