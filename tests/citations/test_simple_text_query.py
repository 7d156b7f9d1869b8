"""The Simple Text Query page: members' users paste references and get the DOI each one cites."""
import csv
import io
import re
import time

import pytest
from django.urls import reverse

from citations.links import work_url
from members.models import User
from tests.builders import PASSWORD, user_in
from tests.citations.works_registry import (
    GRAPHENE,
    GRAPHENE_REFERENCE,
    MUDFLATS,
    MUDFLATS_REFERENCE,
    UNMATCHED_REFERENCE,
    register_registry,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]

URL = "/tools/simple-text-query/"
THREE_LINES = f"{GRAPHENE_REFERENCE}\n\n{UNMATCHED_REFERENCE}\n   \n{MUDFLATS_REFERENCE}\n"


@pytest.fixture
def registry(press, society, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register_registry(press[0], society[0])


@pytest.fixture
def editor(press):
    """A member user with the least role: the page is for every role."""
    return user_in(press[0], "editor@cited-press.example")


def rows_of(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row for row in body.split("<tr>")[1:]]


def test_url_is_named_and_stable():
    assert reverse("citations:simple_text_query") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for response in (client.get(URL), client.post(URL, {"references": GRAPHENE_REFERENCE})):
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_signed_in_user_of_no_member_is_refused(client, db):
    outsider = User.objects.create_user("outsider@example.org", PASSWORD)
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 403
    assert "for the users of a member organisation" in response.content.decode()
    assert client.post(URL, {"references": GRAPHENE_REFERENCE}).status_code == 403


def test_the_header_links_the_page_for_signed_in_users_only(client, editor):
    anonymous = client.get("/")
    assert anonymous.status_code == 200 and "Sign in" in anonymous.content.decode() and URL not in anonymous.content.decode()
    client.force_login(editor)
    assert f'href="{URL}"' in client.get("/", follow=True).content.decode()
    assert f'href="{URL}" aria-current="page"' in client.get(URL).content.decode()


def test_the_form_is_labelled_and_describes_the_limit(client, editor):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert '<label for="id_references">References</label>' in html
    assert 'aria-describedby="id_references_helptext"' in html and 'id="id_references_helptext"' in html
    assert "up to 1,000" in html
    assert "<table" not in html


def test_pasted_lines_get_their_doi_score_and_method_blank_lines_ignored(client, editor, registry):
    client.force_login(editor)
    response = client.post(URL, {"references": THREE_LINES})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'id="results-heading" tabindex="-1" data-focus-on-load' in html
    assert "Results: 2 of 3 references matched" in html
    graphene, zwicky, mudflats = rows_of(html)  # five pasted lines, two blank: three rows
    assert '<td class="num" data-label="Line">1</td>' in graphene and f'href="{work_url(GRAPHENE["doi"])}"' in graphene
    assert f'href="https://doi.org/{GRAPHENE["doi"]}"' in graphene
    assert "Reference text" in graphene and "Matched" in graphene
    assert '<td class="num" data-label="Line">3</td>' in zwicky and "no match" in zwicky and "No registered work resembles it" in zwicky
    assert '<td class="num" data-label="Line">5</td>' in mudflats and MUDFLATS["doi"] in mudflats
    assert float(re.findall(r'<td class="num"[^>]*>([0-9.]+)</td>', graphene)[1]) > 0.5  # [line, score]
    assert re.findall(r'<td class="num"[^>]*>([0-9.]+)</td>', zwicky)[1] == "0.00"


def test_download_csv_holds_the_same_results(client, editor, registry):
    client.force_login(editor)
    response = client.post(URL, {"references": THREE_LINES, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="simple-text-query.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["line", "reference", "DOI", "score", "method", "outcome", "reason"]
    assert [(r[0], r[1], r[2], r[4], r[5], r[6]) for r in rows[1:]] == [
        ("1", GRAPHENE_REFERENCE, GRAPHENE["doi"], "unstructured", "matched", "title"),
        ("3", UNMATCHED_REFERENCE, "", "unstructured", "unmatched", "no-candidates"),
        ("5", MUDFLATS_REFERENCE, MUDFLATS["doi"], "unstructured", "matched", rows[3][6]),
    ]
    assert float(rows[1][3]) > 0.5 and float(rows[2][3]) == 0.0


def test_more_than_1000_references_are_refused_naming_the_limit_and_the_count(client, editor):
    client.force_login(editor)
    pasted = "\n".join(f"Author {i}. A reference numbered {i}. J Tests {i}:1" for i in range(1001))
    response = client.post(URL, {"references": pasted})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert "You pasted 1,001 references; at most 1,000 can be matched at once." in html
    # One summary takes the focus and is announced; the field names its error text.
    assert html.count("data-focus-on-load") == 1 and 'class="error-summary"' in html
    assert 'aria-describedby="id_references_helptext id_references_error"' in html and 'id="id_references_error"' in html
    assert "<table" not in html
    assert "A reference numbered 1000." in html  # the text is kept, to be cut down


def test_blank_lines_alone_are_refused(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"references": "\n  \n\n"})
    assert response.status_code == 400
    assert "Paste at least one reference, one per line." in response.content.decode()


def test_1000_references_are_matched_in_one_request_within_seconds(client, editor, registry):
    client.force_login(editor)
    pasted = "\n".join([GRAPHENE_REFERENCE, UNMATCHED_REFERENCE, MUDFLATS_REFERENCE] * 333 + [GRAPHENE_REFERENCE])
    started = time.monotonic()
    response = client.post(URL, {"references": pasted, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert time.monotonic() - started < 10
    assert len(rows) == 1001 and sum(1 for r in rows[1:] if r[2]) == 667
