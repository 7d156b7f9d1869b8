"""Work pages: public (metadata and count) and the owner's (with the works citing it)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from citations.selectors import citing_works
from deposits.selectors import work_by_doi
from members.access import can_view_citing_list

CITING_PER_PAGE = 50


def _work_or_404(doi: str):
    work = work_by_doi(doi)
    if work is None:
        raise Http404(f"No work is registered with the DOI {doi}.")
    return work


def work_public(request, doi: str):
    """Anyone may see a work's metadata and how often it is cited, never the list."""
    work = _work_or_404(doi)
    return render(
        request,
        "citations/work_public.html",
        {"work": work, "can_see_list": can_view_citing_list(request.user, work.owner_id)},
    )


def work_lookup(request):
    doi = request.GET.get("doi", "").strip()
    if not doi:
        return redirect("home")
    work = work_by_doi(doi)
    if work is None:
        return render(request, "citations/not_found.html", {"doi": doi}, status=404)
    return redirect("citations:work", doi=work.doi)


@login_required
def work_cited_by(request, doi: str):
    """The owner's page of a work: who cites it. Anyone else gets 404, never the data."""
    work = _work_or_404(doi)
    try:
        citing = citing_works(work, viewer=request.user)
    except PermissionDenied:
        raise Http404("No such page.") from None
    page = Paginator(citing, CITING_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "citations/work_cited_by.html", {"work": work, "member": work.owner, "page": page})
