"""Work pages: public (metadata and count) and the owner's (with the works citing it)."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from citations.selectors import citing_works
from citations.links import work_url
from deposits.selectors import work_by_doi
from members.access import can_view_citing_list
from members.shortcuts import NOT_FOUND

CITING_PER_PAGE = 50


def work_public(request, doi: str):
    """Anyone may see a work's metadata and how often it is cited, never the list."""
    work = work_by_doi(doi)
    if work is None:
        return render(request, "citations/not_found.html", {"doi": doi}, status=404)
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
    return redirect(work_url(work.doi))


def work_old_url(request, old: str):
    """/works/<doi>/ and /works/<doi>/cited-by/ (the pages' first addresses) redirect for good."""
    doi, page = old, "work"
    if old.endswith("/cited-by") and work_by_doi(old) is None:
        doi, page = old.removesuffix("/cited-by"), "cited_by"
    return redirect(work_url(doi, page=page), permanent=True)


@login_required
def work_cited_by(request, doi: str):
    """The owner's page of a work: who cites it. Anyone else gets the same 404 as for no work."""
    work = work_by_doi(doi)
    if work is None:
        raise Http404(NOT_FOUND)
    try:
        citing = citing_works(work, viewer=request.user)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    page = Paginator(citing, CITING_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "citations/work_cited_by.html", {"work": work, "member": work.owner, "page": page})
