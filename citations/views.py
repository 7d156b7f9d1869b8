"""Work pages: public (metadata and count) and the owner's (with the works citing it)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from citations import services
from citations.models import Citation
from citations.selectors import (
    citation_for_decision, citing_works_explained, decisions_about, flagged_citations,
)
from citations.dashboard import citations_per_month
from citations.links import work_url
from citations.month_chart import month_chart
from deposits.selectors import work_by_doi, work_linking
from deposits.xml.markup import plain_text
from members.access import can_review_citations, can_view_citing_list
from members.shortcuts import NOT_FOUND

CITING_PER_PAGE = 50
FLAGGED_SHOWN = 100
DECISIONS_SHOWN = 20


def work_public(request, doi: str):
    """Anyone may see a work's metadata and how often it is cited, never the list."""
    work = work_by_doi(doi)
    if work is None:
        return render(request, "citations/not_found.html", {"doi": doi}, status=404)
    context = {"work": work, "can_see_list": can_view_citing_list(request.user, work.owner_id), "linking": work_linking(work)}
    if request.htmx:  # the count and linking line, re-fetched while linking runs
        return render(request, "citations/_work_linking.html", context)
    return render(request, "citations/work_public.html", context)


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
    if request.htmx and can_view_citing_list(request.user, work.owner_id):
        return render(request, "citations/_work_linking.html", {"work": work, "linking": work_linking(work), "no_count": True})
    try:
        citing = citing_works_explained(work, viewer=request.user)
        flagged = flagged_citations(work, viewer=request.user)
        decisions = decisions_about(work, viewer=request.user)
    except PermissionDenied:
        raise Http404(NOT_FOUND) from None
    page = Paginator(citing, CITING_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "citations/work_cited_by.html", {
        "work": work, "member": work.owner, "page": page,
        "flagged": flagged[:FLAGGED_SHOWN], "decisions": decisions[:DECISIONS_SHOWN], "linking": work_linking(work),
        "can_review": can_review_citations(request.user, work.owner_id),
        "chart": month_chart(citations_per_month(work=work)),
        "focus_messages": True,  # after a decision, keyboard and screen-reader users land on what happened
    })


# What each decision calls, and what the page says afterwards about the citing work.
DECISIONS = {
    "confirm": (services.citation_confirm, "Confirmed: “{title}” cites this work."),
    "accept": (services.citation_accept_flagged, "Accepted: “{title}” now counts as citing this work."),
    "reject": (services.citation_reject, "Rejected: “{title}” no longer cites this work, and matching will not link it again."),
}


@login_required
@require_POST
def citation_decide(request, pk: int):
    """Confirm, accept or reject one link, then back to the cited work's page (POST-redirect-GET).

    Those who may not see the cited work's citing list get the same 404 as for no link at all.
    """
    citation = citation_for_decision(pk)
    if citation is None:
        return _link_gone(request)
    if not can_view_citing_list(request.user, citation.cited_work.owner_id):
        raise Http404(NOT_FOUND)
    if not can_review_citations(request.user, citation.cited_work.owner_id):
        raise PermissionDenied("Only the member's editors and administrators confirm or reject links.")
    decision = DECISIONS.get(request.POST.get("action", ""))
    if decision is None:
        messages.error(request, "Nothing was changed: choose Confirm, Accept or Reject.")
    else:
        decide, done = decision
        try:
            decide(citation=citation, by=request.user)
        except services.DecisionRefused as refused:
            messages.error(request, f"Nothing was changed: {refused}")
        else:
            messages.success(request, done.format(title=plain_text(citation.citing_work.title) or citation.citing_work.doi))
    return redirect(_back_to(request, citation))


def _link_gone(request):
    """A second click on Reject, or a page older than a re-deposit: back to the work's page, told so."""
    work = work_by_doi(request.POST.get("work", ""))
    if work is None or not can_view_citing_list(request.user, work.owner_id):
        raise Http404(NOT_FOUND)
    messages.error(request, f"Nothing was changed: {services.DecisionRefused.GONE}")
    return redirect(work_url(work.doi, page="cited_by"))


def _back_to(request, citation: Citation) -> str:
    """The cited work's cited-by page, at the page of the list the form was on."""
    url = work_url(citation.cited_work.doi, page="cited_by")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url
