"""The Simple Text Query page: paste references, see the DOI each one cites, download the table as CSV."""
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from citations.forms import SimpleTextQueryForm
from citations.text_query import csv_lines, match_pasted_references
from members.access import can_use_member_tools

TEMPLATE = "citations/simple_text_query.html"


@login_required
@require_http_methods(["GET", "POST"])
def simple_text_query(request):
    if not can_use_member_tools(request.user):
        return render(request, TEMPLATE, {"refused": True}, status=403)
    if request.method == "GET":
        return render(request, TEMPLATE, {"form": SimpleTextQueryForm()})
    form = SimpleTextQueryForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    results = match_pasted_references(form.cleaned_data["lines"])
    if request.POST.get("format") == "csv":
        response = StreamingHttpResponse(csv_lines(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="simple-text-query.csv"'
        return response
    matched = sum(1 for r in results if r.doi)
    return render(request, TEMPLATE, {"form": form, "results": results, "matched": matched})
