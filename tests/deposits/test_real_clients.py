"""A real member's tooling, end to end over HTTP: eLife's own deposit generator (`elifecrossref`,
from PyPI; nobody on this team wrote it) makes the deposit XML, a plain HTTP client (`requests`)
posts it to /servlet/deposit against a live server and reads the log back through
/servlet/submissionDownload, as eLife's platform does with Crossref.

Processing: the Celery task `process_deposit` is called synchronously in this process (no worker);
tests/test_end_to_end.py covers the real worker.
"""
import time

import pytest
import requests
from elifearticle.article import Article, ArticleDate, Citation, Contributor
from elifecrossref import generate
from lxml import etree

from deposits.models import Deposit, Reference, Work
from deposits.tasks import process_deposit
from members.services import api_key_create, member_create
from tests.builders import PASSWORD

# eLife's generator settings, as its crossref.cfg gives them for journal articles.
ELIFE_CONFIG = {
    "generator": "elifecrossref", "crossref_schema_version": "4.4.2", "batch_file_prefix": "elife-crossref-",
    "depositor_name": "eLife", "email_address": "production@elifesciences.org",
    "registrant": "eLife Sciences Publications, Ltd", "jats_abstract": True, "face_markup": False, "crossmark": False,
    "elocation_id": True, "year_of_first_volume": 2012, "contrib_types": ["author"], "pub_date_types": ["pub"],
    "archive_locations": [], "access_indicators_applies_to": [], "component_exclude_types": [],
    "elife_style_component_doi": False,
    # The landing page of each article: Crossref requires a resource URL for every journal article.
    "doi_pattern": "https://elifesciences.org/articles/{manuscript}",
}


def elife_article(number: str, title: str, references: list[dict]) -> Article:
    article = Article(f"10.7554/eLife.{number}", title)
    article.manuscript = number
    article.journal_title, article.journal_issn = "eLife", "2050-084X"
    article.volume, article.elocation_id = "5", f"e{number}"
    article.add_contributor(Contributor("author", "Smith", "Jane"))
    article.add_contributor(Contributor("author", "Okafor", "Chidi"))
    article.add_date(ArticleDate("pub", time.strptime("2016-06-10", "%Y-%m-%d")))
    for index, fields in enumerate(references, start=1):
        ref = Citation()
        ref.id, ref.publication_type = f"bib{index}", "journal"
        ref.source, ref.volume, ref.fpage, ref.year = fields["journal"], fields["volume"], fields["page"], fields["year"]
        ref.article_title, ref.doi = fields["title"], fields.get("doi")
        ref.add_author({"group-type": "author", "surname": fields["author"], "given-names": "A"})
        article.ref_list.append(ref)
    return article


@pytest.fixture
def elife(transactional_db):
    setup = member_create(name="eLife Sciences Publications", prefixes=["10.7554"],
                          admin_email="production@elife.example", admin_password=PASSWORD)
    return setup.member, setup.admin


@pytest.fixture
def elife_deposit() -> bytes:
    articles = [
        elife_article("00666", "A real eLife research article", [
            {"journal": "Nature", "volume": "521", "page": "436", "year": "2015", "title": "Deep learning",
             "author": "LeCun", "doi": "10.1038/nature14539"},
            {"journal": "Cell", "volume": "100", "page": "57", "year": "2000", "title": "The hallmarks of cancer",
             "author": "Hanahan"},
        ]),
        elife_article("00777", "Another eLife article citing the first", [
            {"journal": "eLife", "volume": "5", "page": "e00666", "year": "2016",
             "title": "A real eLife research article", "author": "Smith", "doi": "10.7554/eLife.00666"},
        ]),
    ]
    return generate.crossref_xml(articles, ELIFE_CONFIG, add_comment=False).encode("utf-8")


def batch_id_of(xml: bytes) -> str:
    return etree.fromstring(xml).findtext("{*}head/{*}doi_batch_id")


@pytest.mark.parametrize("credentials", ["password", "api key"])
def test_elifecrossref_deposit_posted_and_logged_over_http(live_server, elife, elife_deposit, credentials):
    member, admin = elife
    if credentials == "password":
        login_id, password = admin.email, PASSWORD
    else:
        key = api_key_create(member=member, name="eLife bot", scopes=["deposit"], created_by=admin)
        login_id, password = key.key.key_id, key.token
    batch_id = batch_id_of(elife_deposit)
    assert batch_id.startswith("elife-crossref-")

    posted = requests.post(
        f"{live_server.url}/servlet/deposit",
        data={"operation": "doMDUpload", "login_id": login_id, "login_passwd": password},
        files={"fname": ("elife-00666.xml", elife_deposit, "application/xml")},
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
    assert "SUCCESS" in posted.text

    log_url = f"{live_server.url}/servlet/submissionDownload"
    params = {"usr": login_id, "pwd": password, "doi_batch_id": batch_id, "type": "result"}
    queued = etree.fromstring(requests.get(log_url, params=params, timeout=30).content)
    assert queued.get("status") == "queued"

    deposit = Deposit.objects.get(member=member)
    process_deposit(deposit.pk)  # the Celery task, run synchronously here

    response = requests.get(log_url, params=params, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    log = etree.fromstring(response.content)
    assert log.get("status") == "completed"
    assert log.findtext("batch_id") == batch_id
    records = {r.findtext("doi"): (r.get("status"), r.findtext("msg")) for r in log.iter("record_diagnostic")}
    assert records == {
        "10.7554/elife.00666": ("Success", "Successfully added"),
        "10.7554/elife.00777": ("Success", "Successfully added"),
    }
    assert {c.tag: c.text for c in log.find("batch_data")} == {
        "record_count": "2", "success_count": "2", "warning_count": "0", "failure_count": "0"}
    assert Work.objects.get(doi="10.7554/elife.00666").title == "A real eLife research article"
    assert Reference.objects.filter(citing_work__doi="10.7554/elife.00666").count() == 2

    contents = requests.post(log_url, data={**params, "type": "contents"}, timeout=30)
    assert contents.status_code == 200 and contents.content == elife_deposit


def test_a_wrong_password_over_http_is_refused_with_its_reason(live_server, elife, elife_deposit):
    _, admin = elife
    posted = requests.post(
        f"{live_server.url}/servlet/deposit",
        data={"operation": "doMDUpload", "login_id": admin.email, "login_passwd": "not-it"},
        files={"fname": ("elife.xml", elife_deposit, "application/xml")},
        timeout=30,
    )
    assert posted.status_code == 401 and "Unknown credentials" in posted.text
    assert not Deposit.objects.exists()
