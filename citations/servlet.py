"""Crossref's `GET /servlet/getForwardLinks`: the works citing a member's DOI, or every DOI
under one of its prefixes, as Crossref's query output XML, for the owner and its agents.

`usr` / `pwd` as on Crossref (members.machine_auth: a user's email and password, or an API key
with the `retrieve` scope). `doi` is a DOI or a prefix; `startDate`/`endDate` (inclusive) or
`date` limit the links by the day they were found; posted content only with
`include_postedcontent=true`. Refusals are Crossref's short HTML answer with the reason.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from citations.forward_links import forward_links_xml
from citations.selectors import cited_by_links
from deposits.doi import InvalidDOI, parse_doi
from deposits.selectors import work_by_doi
from members.machine_auth import MachineRefusal, machine_authenticate
from members.models import PREFIX_RE, APIKey
from members.selectors import prefix_owner


def _answer(status: int, text: str, *, reason: str = "", retry_after: int = 0) -> HttpResponse:
    body = f"<html><head><title>FAILURE</title></head><body><h2>FAILURE</h2><p>{escape(text)}</p></body></html>\n"
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    if reason:
        response["X-Refusal-Reason"] = reason
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _day(params, name: str) -> tuple[datetime.date | None, str | None]:
    value = params.get(name, "").strip()
    if not value:
        return None, None
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return None, f"{name}=“{value}” is not a date: use YYYY-MM-DD."


def _start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.timezone.utc)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def get_forward_links(request):
    params = request.POST.copy() if request.method == "POST" else request.GET.copy()
    if request.method == "POST":
        for name, value in request.GET.items():
            params.setdefault(name, value)
    if not params.get("usr") or not params.get("pwd"):
        return _answer(401, "Give usr and pwd (your login_id and login_passwd, or an API key).", reason="unknown_credentials")
    target = params.get("doi", "").strip()
    if not target:
        return _answer(400, "Missing field: doi (a DOI, or a prefix such as 10.5555).", reason="invalid")
    problems = []
    start, problem = _day(params, "startDate")
    problems += [problem] if problem else []
    end, problem = _day(params, "endDate")
    problems += [problem] if problem else []
    day, problem = _day(params, "date")
    problems += [problem] if problem else []
    if day and (start or end):
        problems.append("Give either date, or startDate and endDate, not both.")
    if start and end and end < start:
        problems.append(f"endDate {end} is before startDate {start}.")
    if problems:
        return _answer(400, " ".join(problems), reason="invalid")
    if day:
        start = end = day
    login = machine_authenticate(request=request, login_id=params["usr"], password=params["pwd"], scope=APIKey.Scope.RETRIEVE)
    if isinstance(login, MachineRefusal):
        return _answer(login.status, login.message, reason=login.reason, retry_after=login.retry_after)
    work = prefix = None
    if PREFIX_RE.match(target):
        prefix, owner = target, prefix_owner(target)
        if owner is None:
            return _answer(404, f"Prefix {prefix} is not assigned to any member.", reason="not_found")
    else:
        try:
            work = work_by_doi(parse_doi(target))
        except InvalidDOI as error:
            return _answer(400, f"doi=“{target}”: {error}.", reason="invalid")
        if work is None:
            return _answer(404, f"No registered work has the DOI {target}.", reason="not_found")
        owner = work.owner_id
    try:
        links = cited_by_links(
            acting=login.member, owner=owner, work=work, prefix=prefix,
            since=_start(start) if start else None, until=_start(end + datetime.timedelta(days=1)) if end else None,
        )
    except PermissionDenied:
        return _answer(403, f"{login.member.name} may not read the works citing {target}: only its owner and the "
                       "agents it allowed to retrieve may.", reason="not_owner")
    include_posted = params.get("include_postedcontent", "").lower() == "true"
    # The XML needs neither the reference nor most columns: a prefix-month is thousands of rows.
    work_fields = ("doi", "type", "title", "contributors", "container_title", "issn", "isbn", "volume", "issue",
                   "first_page", "publication_year", "cited_by_count")
    links = links.select_related(None).select_related("citing_work", "cited_work").only(
        "cited_work_id", "citing_work_id", "cited_work__doi", *(f"citing_work__{name}" for name in work_fields))
    return HttpResponse(forward_links_xml(links.iterator(chunk_size=2000), include_posted_content=include_posted),
                        content_type="application/xml; charset=utf-8")
