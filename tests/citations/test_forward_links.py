"""Crossref's getForwardLinks: the query output XML, its element order, and owner-only access."""
import datetime
from types import SimpleNamespace

import pytest
from lxml import etree

from citations.forward_links import forward_links_xml
from deposits.models import Work
from members.models import AgentGrant, APIKey
from members.services import agent_grant, agent_revoke, api_key_create, api_key_revoke
from tests.builders import PASSWORD, member_with_admin
from tests.citations.cited_by_builders import link, work

NS = "{http://www.crossref.org/qrschema/2.0}"
UTC = datetime.timezone.utc

# Written down from crossref_query_output2.0.xsd: the xs:sequence of each cite element (every
# child optional except doi; issn/isbn may repeat), and of the document around them.
XSD_SEQUENCES = {
    "crossref_result": ["query_result"],
    "query_result": ["head", "body"],
    "journal_cite": ["issn", "journal_title", "journal_abbreviation", "article_title", "contributors", "volume",
                     "issue", "first_page", "year", "publication_type", "doi"],
    "book_cite": ["isbn", "series_title", "volume_title", "edition_number", "contributors", "volume", "first_page",
                  "year", "component_number", "publication_type", "doi"],
    "conf_cite": ["isbn", "series_title", "volume_title", "edition_number", "contributors", "volume", "first_page",
                  "year", "component_number", "publication_type", "doi"],
    "postedcontent_cite": ["title", "contributors", "year", "doi"],
    "contributor": ["given_name", "surname"],
}


def follows_sequence(element, sequence: list[str]) -> bool:
    """Every child is in `sequence`, in its order (repeats of one element allowed)."""
    positions = [sequence.index(etree.QName(child).localname) for child in element
                 if etree.QName(child).localname in sequence]
    return len(positions) == len(element) and positions == sorted(positions)


def _work(pk, doi, type_, **fields):
    return Work(pk=pk, doi=doi, type=type_, owner_id=1, **fields)


def _links():
    cited = _work(1, "10.5555/target", "journal-article")
    people = [{"given_name": "Ana", "surname": "Silva", "sequence": "first"}, {"surname": "Ito", "sequence": "additional"}]
    citing = [
        _work(2, "10.6666/article", "journal-article", title="An article", container_title="J. Cit.", issn="1234-5678",
              volume="4", issue="2", first_page="10", publication_year=2025, contributors=people, cited_by_count=17),
        _work(3, "10.6666/chapter", "book-chapter", container_title="A book", isbn="9780000000002", publication_year=2024,
              contributors=people, first_page="3"),
        _work(4, "10.6666/paper", "proceedings-article", title="A paper", container_title="Proc. Things", publication_year=2023),
        _work(5, "10.6666/preprint", "posted-content", title="A preprint", contributors=people, publication_year=2026),
    ]
    return [SimpleNamespace(cited_work=cited, cited_work_id=1, citing_work=w) for w in citing]


def test_every_element_follows_the_schemas_sequence():
    root = etree.fromstring(forward_links_xml(_links(), include_posted_content=True))
    assert root.tag == f"{NS}crossref_result" and root.get("version") == "2.0"
    checked = set()
    for element in root.iter():
        name = etree.QName(element).localname
        if name in XSD_SEQUENCES:
            assert follows_sequence(element, XSD_SEQUENCES[name]), f"{name}: {[etree.QName(c).localname for c in element]}"
            checked.add(name)
    assert checked == set(XSD_SEQUENCES)


def test_a_journal_cite_carries_the_citing_articles_details():
    root = etree.fromstring(forward_links_xml(_links()))
    forward = root.find(f"{NS}query_result/{NS}body/{NS}forward_link")
    assert forward.get("doi") == "10.5555/target"
    cite = forward.find(f"{NS}journal_cite")
    assert cite.get("fl_count") == "17"
    assert cite.findtext(f"{NS}article_title") == "An article"
    assert cite.findtext(f"{NS}issn") == "1234-5678"
    assert cite.find(f"{NS}doi").get("type") == "journal_article" and cite.findtext(f"{NS}doi") == "10.6666/article"
    first, second = cite.findall(f"{NS}contributors/{NS}contributor")
    assert (first.get("first-author"), first.findtext(f"{NS}surname"), second.get("first-author")) == ("true", "Silva", "false")


def test_posted_content_is_left_out_unless_asked_for():
    without = etree.fromstring(forward_links_xml(_links()))
    with_it = etree.fromstring(forward_links_xml(_links(), include_posted_content=True))
    assert without.find(f".//{NS}postedcontent_cite") is None
    assert with_it.find(f".//{NS}postedcontent_cite").findtext(f"{NS}doi") == "10.6666/preprint"
    assert len(without.findall(f".//{NS}forward_link")) == 3


# --- The servlet, over HTTP ----------------------------------------------------------------------

@pytest.fixture
def cited(press, society):
    target = work(press[0], "10.5555/target")
    link(target, work(society[0], "10.6666/october", title="October"), created=datetime.datetime(2026, 10, 5, tzinfo=UTC))
    link(target, work(society[0], "10.6666/november", title="November"), created=datetime.datetime(2026, 11, 5, tzinfo=UTC))
    link(target, work(society[0], "10.6666/preprint", type="posted-content"), created=datetime.datetime(2026, 11, 6, tzinfo=UTC))
    return target


def citing_dois(answer) -> list[str]:
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"].startswith("application/xml")
    return sorted(e.text for e in etree.fromstring(answer.content).iter(f"{NS}doi"))


@pytest.mark.django_db
def test_owner_gets_the_links_of_a_doi_and_of_a_prefix_within_dates(client, press, cited):
    usr = {"usr": press[1].email, "pwd": PASSWORD}
    assert citing_dois(client.get("/servlet/getForwardLinks", {**usr, "doi": "10.5555/target"})) == ["10.6666/november", "10.6666/october"]
    assert citing_dois(client.get("/servlet/getForwardLinks", {**usr, "doi": "10.5555", "startDate": "2026-11-01",
                                                               "endDate": "2026-11-30"})) == ["10.6666/november"]
    assert citing_dois(client.get("/servlet/getForwardLinks", {**usr, "doi": "10.5555", "date": "2026-10-05"})) == ["10.6666/october"]
    assert "10.6666/preprint" in citing_dois(client.get("/servlet/getForwardLinks", {**usr, "doi": "10.5555", "include_postedcontent": "true"}))


@pytest.mark.django_db
def test_a_key_with_retrieve_works_as_usr_and_pwd(client, press, cited):
    key = api_key_create(member=press[0], name="p", scopes=[APIKey.Scope.RETRIEVE], created_by=None)
    answer = client.get("/servlet/getForwardLinks", {"usr": key.key.key_id, "pwd": key.token, "doi": "10.5555/target"})
    assert len(citing_dois(answer)) == 2


@pytest.mark.django_db
def test_bad_dates_are_refused_naming_the_field(client, press, cited):
    answer = client.get("/servlet/getForwardLinks", {"usr": press[1].email, "pwd": PASSWORD, "doi": "10.5555", "startDate": "2026-13-01"})
    assert answer.status_code == 400 and "startDate" in answer.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("doi", ["10.5555/target", "10.5555"])
def test_another_member_cannot_read_the_links(client, society, cited, doi):
    answer = client.get("/servlet/getForwardLinks", {"usr": society[1].email, "pwd": PASSWORD, "doi": doi})
    assert answer.status_code == 403 and answer["X-Refusal-Reason"] == "not_owner"
    assert "10.6666/october" not in answer.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("scopes, revoked, reason", [([APIKey.Scope.DEPOSIT], False, "missing_scope"),
                                                      ([APIKey.Scope.RETRIEVE], True, "revoked_key")])
def test_the_owners_wrongly_scoped_or_revoked_key_is_refused(client, press, cited, scopes, revoked, reason):
    key = api_key_create(member=press[0], name="p", scopes=scopes, created_by=None)
    if revoked:
        api_key_revoke(key=key.key)
    answer = client.get("/servlet/getForwardLinks", {"usr": key.key.key_id, "pwd": key.token, "doi": "10.5555"})
    assert answer["X-Refusal-Reason"] == reason and b"10.6666" not in answer.content


@pytest.mark.django_db
def test_an_agent_reads_only_with_a_retrieve_grant_and_not_after_revocation(client, press, cited):
    platform, admin = member_with_admin("Hosting Platform", "10.7777", "admin@platform.example")
    usr = {"usr": admin.email, "pwd": PASSWORD, "doi": "10.5555"}
    grant = agent_grant(principal=press[0], agent=platform, scopes=[AgentGrant.Scope.DEPOSIT], granted_by=None)
    assert client.get("/servlet/getForwardLinks", usr).status_code == 403
    grant = agent_grant(principal=press[0], agent=platform, scopes=[AgentGrant.Scope.RETRIEVE], granted_by=None)
    assert len(citing_dois(client.get("/servlet/getForwardLinks", usr))) == 2
    agent_revoke(grant=grant)
    assert client.get("/servlet/getForwardLinks", usr).status_code == 403


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_links_of_a_prefix(client, press, society):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    key = api_key_create(member=press[0], name="p", scopes=[APIKey.Scope.RETRIEVE], created_by=None)
    asked = {"usr": key.key.key_id, "pwd": key.token, "doi": "10.5555"}
    client.get("/servlet/getForwardLinks", asked)  # a key's first use records it (once a minute)
    counts = {}
    for size in (2, 30):
        target = work(press[0], f"10.5555/cited-{size}")
        for n in range(size):
            link(target, work(society[0], f"10.6666/by-{size}-{n}"))
        with CaptureQueriesContext(connection) as queries:
            assert len(citing_dois(client.get("/servlet/getForwardLinks", {**asked, "doi": f"10.5555/cited-{size}"}))) == size
        counts[size] = len(queries)
    assert counts[2] == counts[30]
