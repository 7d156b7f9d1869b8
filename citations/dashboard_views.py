"""A member's dashboard (its home after sign-in), the citing-list exports and the participation
report. Access is members.access's through member_or_404: anyone else gets the same 404."""
from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterator
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render

from citations import dashboard
from citations.figures import member_figures, months_from
from citations.models import Citation
from citations.month_chart import month_chart
from citations.widget.rich import authors_line
from deposits.selectors import work_by_doi
from deposits.xml.markup import plain_text
from members.access import can_deposit_for
from members.shortcuts import NOT_FOUND, member_or_404

WORKS_PER_PAGE = 50
FILTERED_COUNT_CAP = 5000  # 100 pages
SORT_LABELS = [("count", "Most cited"), ("year", "Year"), ("doi", "DOI")]
CITED_LABELS = [("", "Cited or not"), ("cited", "Cited"), ("uncited", "Not cited")]


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@login_required
def member_dashboard(request, pk: int):
    member = member_or_404(request, pk)
    get = request.GET
    days = _int_or_none(get.get("days", ""))
    days = days if days in dashboard.NEWEST_WINDOWS else 30
    prefixes = list(member.prefixes.values_list("value", flat=True))
    query = dashboard.WorkQuery(
        search=get.get("q", "")[:200],
        sort=get.get("sort") if get.get("sort") in dashboard.DASHBOARD_SORTS else "count",
        type=get.get("type", "")[:40],
        year=_int_or_none(get.get("year", "")),
        prefix=get.get("prefix", "") if get.get("prefix", "") in prefixes else "",
        cited=get.get("cited", "") if get.get("cited", "") in dashboard.CITED_CHOICES else "",
    )
    figures = member_figures(member)
    filtered = any([query.search, query.type, query.year, query.prefix, query.cited])
    works = dashboard.dashboard_works(member, query)
    paginator = Paginator(works, WORKS_PER_PAGE)
    # A filtered list of a big member is counted only up to a cap ("5,000+ found"): counting every
    # match is a scan of the member's hundred thousand works on each request. Unfiltered, the
    # count is an index range on the owner, cheap at any size.
    capped = False
    if filtered:
        # Unordered: sorting the matches only to count them made a count cost a sort.
        paginator.count = works.order_by()[: FILTERED_COUNT_CAP + 1].count()
        capped = paginator.count > FILTERED_COUNT_CAP
        paginator.count = min(paginator.count, FILTERED_COUNT_CAP)
    page = paginator.get_page(get.get("page"))
    types, years = figures.work_types, figures.work_years  # stored: counted by the worker
    # The list's links keep its search, sort and filters (the page number is added by _pagination).
    kept = {"q": query.search, "sort": query.sort, "type": query.type, "year": query.year or "",
            "prefix": query.prefix, "cited": query.cited, "days": days}
    extra = "&" + urlencode({k: v for k, v in kept.items() if v})
    return render(request, "citations/dashboard.html", {
        "member": member, "prefixes": prefixes, "totals": dashboard.totals_from(figures),
        "figures_as_of": figures.computed_at,
        "days": days, "windows": dashboard.NEWEST_WINDOWS,
        "newest": dashboard.newest_citations(
            member, days=days, by_date=figures.citations_received >= dashboard.NEWEST_BY_DATE_FROM),
        "most_cited": dashboard.most_cited(member),
        "chart": month_chart(months_from(figures)),
        "query": query, "page": page, "extra": extra, "filtered": filtered, "capped": capped,
        "sorts": SORT_LABELS, "cited_choices": CITED_LABELS, "types": types, "years": years,
        "can_deposit": can_deposit_for(request.user, member),
    })


@login_required
def participation_report(request, pk: int):
    member = member_or_404(request, pk)
    return render(request, "citations/participation.html",
                  {"member": member, "report": dashboard.participation(member)})


EXPORT_FIELDS = ["cited_doi", "citing_doi", "citing_title", "citing_authors", "citing_venue", "citing_year",
                 "method", "status", "found"]


def _row(link: Citation) -> dict:
    citing = link.citing_work
    authors = authors_line(citing.contributors, shown=len(citing.contributors or []))
    return {"cited_doi": link.cited_work.doi, "citing_doi": citing.doi, "citing_title": plain_text(citing.title),
            "citing_authors": authors, "citing_venue": plain_text(citing.container_title),
            "citing_year": citing.publication_year, "method": link.method, "status": link.status,
            "found": link.created.isoformat()}


class _Echo:
    """csv.writer writes into this and hands back each line, so the response streams."""

    def write(self, value: str) -> str:
        return value


# A cell starting with one of these is a formula to a spreadsheet; titles come from other members' deposits.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv_lines(links) -> Iterator[str]:
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_FIELDS)
    yield writer.writerow(dict(zip(EXPORT_FIELDS, EXPORT_FIELDS)))
    for link in links:
        yield writer.writerow({name: _cell(value) for name, value in _row(link).items()})


def _json_parts(links) -> Iterator[str]:
    yield "["
    first = True
    for link in links:
        yield ("" if first else ",") + "\n" + json.dumps(_row(link), ensure_ascii=False)
        first = False
    yield "\n]\n"


def _date(request, name: str) -> datetime.date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"“{raw}” in {name} is not a date: give it as YYYY-MM-DD.") from None


@login_required
def citing_export(request, pk: int, fmt: str):
    """The counted citing links of the member's works (one work, one prefix, or all, within an
    optional date range) as CSV or JSON, streamed row by row, 200 works' links a query."""
    member = member_or_404(request, pk)
    if fmt not in ("csv", "json"):
        raise Http404(NOT_FOUND)
    work = None
    if doi := request.GET.get("work", "").strip():
        work = work_by_doi(doi)
        if work is None or work.owner_id != member.pk:
            raise Http404(NOT_FOUND)
    prefix = request.GET.get("prefix", "").strip()
    if prefix and not member.prefixes.filter(value=prefix).exists():
        raise Http404(NOT_FOUND)
    try:
        since, until = _date(request, "since"), _date(request, "until")
    except ValueError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    links = dashboard.citing_list(member, work=work, prefix=prefix, since=since, until=until)
    name = "cited-by-" + (work.doi.replace("/", "_") if work else prefix or f"member-{member.pk}")
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(links), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_parts(links), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def work_chart(work):
    """The cited-by page's chart of the work's citations per month."""
    return month_chart(dashboard.citations_per_month(work=work))

