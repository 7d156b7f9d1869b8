"""import_works: Crossref REST work objects in, works (owned, indexed) out; safe to run again."""
import gzip
from io import StringIO

import orjson
import pytest
from django.core.cache import cache
from django.core.management import call_command

from citations.matching.records import CandidateQuery
from citations.search import work_index
from citations.work_json import cache_key, remember_work_json
from deposits.models import Reference, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from members.models import Member
from tests.citations.crossref_builder import jsonl, write_jsonl
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db

WORKS = [
    {"doi": "10.5555/A.1", "title": "Phonon dispersion in strained graphene", "authors": [("Ada", "Lovelace")],
     "container_title": "Journal of Chemical Physics", "issn": "0021-9606", "year": 2004, "volume": "120", "issue": "7",
     "first_page": "345", "last_page": "350"},
    {"doi": "10.7777/b.2", "title": "Tidal rhythms of estuarine mudflats", "authors": [("Mary", "Anning"), ("W", "Smith")],
     "container_title": "Estuarine Letters", "year": 1999, "volume": "9", "first_page": "12"},
]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_works", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_jsonl_with_every_field_and_indexes_it(tmp_path, press):
    out, _ = run(write_jsonl(tmp_path / "works.jsonl", WORKS))
    assert "2 works read: 2 created, 0 updated, 0 skipped" in out and "works/s" in out
    work = Work.objects.get(doi="10.5555/a.1")
    assert (work.title, work.container_title, work.issn, work.volume, work.issue, work.first_page, work.last_page, work.publication_year) == (
        "Phonon dispersion in strained graphene", "Journal of Chemical Physics", "0021-9606", "120", "7", "345", "350", 2004)
    assert [(c["given_name"], c["surname"], c["role"]) for c in work.contributors] == [("Ada", "Lovelace", "author")]
    assert work.resource_url == "https://doi.org/10.5555/A.1"
    found = work_index().search(CandidateQuery(text="estuarine mudflats anning"))
    assert [w.doi for w in found][:1] == ["10.7777/b.2"]


def test_imports_gzip_envelopes_and_a_directory_of_files(tmp_path, press):
    folder = tmp_path / "dump"
    (folder / "part").mkdir(parents=True)
    write_jsonl(folder / "a.jsonl.gz", WORKS[:1], envelope=True)
    write_jsonl(folder / "part" / "b.jsonl", WORKS[1:])
    (folder / "c.json").write_bytes(orjson.dumps({"items": [orjson.loads(jsonl([{**WORKS[0], "doi": "10.5555/c.3"}]))]}))
    (folder / "notes.txt").write_text("not data")
    out, _ = run(folder)
    assert "3 works read: 3 created" in out
    assert set(Work.objects.values_list("doi", flat=True)) == {"10.5555/a.1", "10.7777/b.2", "10.5555/c.3"}


def test_running_again_updates_and_creates_nothing(tmp_path, press):
    path = write_jsonl(tmp_path / "works.jsonl.gz", WORKS)
    run(path)
    before = {w.doi: (w.pk, w.title, w.owner_id) for w in Work.objects.all()}
    out, _ = run(path)
    assert "2 works read: 0 created, 2 updated, 0 skipped" in out
    assert {w.doi: (w.pk, w.title, w.owner_id) for w in Work.objects.all()} == before
    assert len(work_index().text_search_ids(["phonon graphene"], limit=20)[0]) == 1


def test_changed_metadata_replaces_the_old_and_its_index_text(tmp_path, press):
    run(write_jsonl(tmp_path / "one.jsonl", WORKS))
    run(write_jsonl(tmp_path / "two.jsonl", [{**WORKS[0], "title": "Magnon transport in ferrites"}]))
    assert Work.objects.get(doi="10.5555/a.1").title == "Magnon transport in ferrites"
    index = work_index()
    assert index.text_search_ids(["phonon graphene"], limit=5) == [[]]
    assert len(index.text_search_ids(["magnon ferrites"], limit=5)[0]) == 1


def test_a_changed_works_cached_crossref_json_is_forgotten(tmp_path, press, django_capture_on_commit_callbacks):
    run(write_jsonl(tmp_path / "one.jsonl", WORKS))
    remember_work_json("10.5555/a.1", b'{"title": "the old one"}')
    remember_work_json("10.7777/b.2", b'{"title": "unchanged"}')
    with django_capture_on_commit_callbacks(execute=True):
        run(write_jsonl(tmp_path / "two.jsonl", [{**WORKS[0], "title": "Magnon transport in ferrites"}]))
    assert cache.get(cache_key("10.5555/a.1")) is None  # portal.front would have sent the old title
    assert cache.get(cache_key("10.7777/b.2")) == b'{"title": "unchanged"}'


def test_works_under_a_members_prefix_are_its_others_the_agencys(tmp_path, press, settings):
    settings.AGENCY_MEMBER_NAME = "The Agency"
    run(write_jsonl(tmp_path / "works.jsonl", WORKS))
    assert Work.objects.get(doi="10.5555/a.1").owner == press[0]
    assert Work.objects.get(doi="10.7777/b.2").owner == Member.objects.get(name="The Agency")


def test_bad_lines_are_reported_with_file_and_line_and_the_rest_imported(tmp_path, press):
    good = jsonl(WORKS).splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join([good[0], b'{"DOI": "10.5555/broken", "title": [', b'{"title": ["no DOI"]}', b"[1, 2]", b"", good[1]]) + b"\n")
    out, err = run(path)
    assert f"{path}:2: skipped: not JSON" in err
    assert f"{path}:3: skipped: no valid DOI" in err
    assert f"{path}:4: skipped: not a work object" in err
    assert "6 works read" not in out and "5 works read: 2 created, 0 updated, 3 skipped" in out
    assert Work.objects.count() == 2


def test_a_work_registered_by_deposit_is_kept_as_deposited(tmp_path, press):
    deposit = deposit_create_from_bytes(member=press[0], content=journal_article_deposit([{"doi": "10.5555/a.1", "title": "As deposited"}]), filename="d.xml")
    deposit_process(deposit_id=deposit.pk)
    out, err = run(write_jsonl(tmp_path / "works.jsonl", WORKS))
    assert "1 created, 0 updated, 1 skipped (1 registered by a member's deposit" in out
    assert "works.jsonl:1: skipped: registered by a member's deposit" in err
    assert Work.objects.get(doi="10.5555/a.1").title == "As deposited"


def test_references_are_stored_with_their_keys_and_replaced_on_rerun(tmp_path, press):
    references = [
        {"key": "ref1", "DOI": "10.7777/B.2", "doi-asserted-by": "publisher"},
        {"key": "ref2", "unstructured": "Anning M (1999) Estuarine Letters 9, 12", "year": "1999"},
        {"journal-title": "Estuarine Letters", "author": "Anning", "volume": "9", "first-page": "12", "article-title": "Tidal rhythms"},
    ]
    path = write_jsonl(tmp_path / "works.jsonl", [{**WORKS[0], "references": references}, WORKS[1]])
    out, _ = run(path, "--with-references")
    assert "3 references" in out
    work = Work.objects.get(doi="10.5555/a.1")
    stored = list(Reference.objects.filter(citing_work=work).values_list("key", "position", "doi", "journal_title", "first_page", "article_title"))
    assert stored == [("ref1", 1, "10.7777/b.2", "", "", ""), ("ref2", 2, "", "", "", ""), ("3", 3, "", "Estuarine Letters", "12", "Tidal rhythms")]
    assert work.references_count == 3
    run(write_jsonl(tmp_path / "works.jsonl", [{**WORKS[0], "references": references[:1]}]), "--with-references")
    assert list(Reference.objects.filter(citing_work=work).values_list("key", flat=True)) == ["ref1"]


def test_missing_path_is_a_command_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "absent.jsonl")


def test_works_beyond_one_batch_are_all_written(tmp_path, press):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        for n in range(3000):
            handle.write(orjson.dumps({"DOI": f"10.7777/w.{n}", "title": [f"Work number {n}"]}) + b"\n")
    out, _ = run(path, "--batch-size", "1000")
    assert "3000 works read: 3000 created" in out
    assert Work.objects.count() == 3000


def test_imported_works_are_indexed_with_the_text_a_rebuild_gives_them(tmp_path, press):
    from django.db import connection

    from citations import matching
    from citations.search import WORK_COLUMNS, work_record

    work = {"doi": "10.5555/sub.1", "title": "Strained graphene", "authors": [("Ada", "Lovelace"), ("Mary", "Anning")],
            "container_title": "Journal of Chemical Physics", "year": 2004}
    source = jsonl([work])
    message = orjson.loads(source)
    message["subtitle"] = ["Phonons under pressure"]
    message["editor"] = [{"given": "Edgar", "family": "Editorson"}]
    (tmp_path / "works.jsonl").write_bytes(orjson.dumps(message) + b"\n")
    run(tmp_path / "works.jsonl")
    row = Work.objects.filter(doi="10.5555/sub.1").values_list(*WORK_COLUMNS).get()
    from citations.search.postgresql import SEARCH_TABLE
    from citations.search.sqlite import FTS_TABLE
    from citations.search.terms import terms

    query = (f"SELECT text FROM {FTS_TABLE} WHERE rowid = %s" if connection.vendor == "sqlite"
             else f"SELECT text FROM {SEARCH_TABLE} WHERE work_id = %s")
    with connection.cursor() as cursor:
        cursor.execute(query, [row[0]])
        indexed = terms(cursor.fetchone()[0])
    assert indexed == terms(matching.index_text(work_record(row)))
    assert "phonons" in indexed and "anning" in indexed and "editorson" not in indexed


def test_a_preprint_is_stored_in_the_server_crossref_names_as_its_institution(tmp_path, press):
    preprint = orjson.loads(jsonl([{"doi": "10.1101/2020.01.02.123", "title": "Viral load in saliva", "authors": [("Ada", "Lovelace")], "year": 2020}]))
    preprint.update({"type": "posted-content", "institution": [{"name": "medRxiv"}], "container-title": []})
    article = orjson.loads(jsonl([{"doi": "10.5555/no.container", "title": "Untitled journal", "year": 2020}]))
    article["institution"] = [{"name": "Some University"}]  # (only posted content is "in" its institution)
    (tmp_path / "works.jsonl").write_bytes(orjson.dumps(preprint) + b"\n" + orjson.dumps(article) + b"\n")
    run(tmp_path / "works.jsonl")
    assert Work.objects.get(doi="10.1101/2020.01.02.123").container_title == "medRxiv"
    assert Work.objects.get(doi="10.5555/no.container").container_title == ""


@pytest.mark.django_db(transaction=True)  # the worker processes commit on connections of their own
def test_workers_read_files_at_once_on_postgresql_and_sqlite_refuses_them(tmp_path, press):
    from django.core.management import CommandError
    from django.db import connection

    write_jsonl(tmp_path / "a.jsonl", WORKS[:1])
    write_jsonl(tmp_path / "b.jsonl", WORKS[1:])
    if connection.vendor == "sqlite":  # one writer at a time: parallel files would only wait on its lock
        with pytest.raises(CommandError, match="--workers 2 needs PostgreSQL"):
            run(tmp_path, "--workers", "2")
        assert not Work.objects.exists()
    else:
        out, _ = run(tmp_path, "--workers", "2", "--with-references")
        assert "2 works read: 2 created" in out
        assert set(Work.objects.values_list("doi", flat=True)) == {"10.5555/a.1", "10.7777/b.2"}


def test_a_chapter_in_a_series_keeps_its_book_title_and_is_found_by_it(tmp_path, press):
    chapter = orjson.loads(jsonl([{"doi": "10.1007/978-3-030-00001-1_7", "title": "Sediment budgets of deltas", "authors": [("Ada", "Lovelace")], "year": 2020}]))
    # Crossref lists a chapter's series and its book as container titles.
    chapter.update({"type": "book-chapter", "container-title": ["Lecture Notes in Earth Sciences", "Handbook of Coastal Morphology"]})
    article = orjson.loads(jsonl([{"doi": "10.5555/article.1", "title": "Deltas", "container_title": "Delta Letters", "year": 2020}]))
    (tmp_path / "works.jsonl").write_bytes(orjson.dumps(chapter) + b"\n" + orjson.dumps(article) + b"\n")
    run(tmp_path / "works.jsonl")
    stored = Work.objects.get(doi="10.1007/978-3-030-00001-1_7")
    assert (stored.container_title, stored.book_title) == ("Lecture Notes in Earth Sciences", "Handbook of Coastal Morphology")
    assert Work.objects.get(doi="10.5555/article.1").book_title == ""  # a journal article is in no book
    found = work_index().search(CandidateQuery(text="handbook coastal morphology"))
    assert [w.doi for w in found] == ["10.1007/978-3-030-00001-1_7"]
    assert found[0].book_title == "Handbook of Coastal Morphology"


def test_the_import_leaves_its_connection_as_it_found_it(tmp_path, press):
    from django.db import connection

    if connection.vendor != "postgresql":  # the bulk-load settings are PostgreSQL's
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        before = cursor.fetchone()[0]
        run(write_jsonl(tmp_path / "works.jsonl", WORKS), "--with-references")
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == before == "on"
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


def test_a_doi_in_two_files_is_one_work_with_its_references_once(tmp_path, press):
    references = [{"key": "ref1", "DOI": "10.7777/B.2"}, {"key": "ref2", "unstructured": "Anning M (1999) Estuarine Letters 9, 12"}]
    write_jsonl(tmp_path / "a.jsonl", [{**WORKS[0], "references": references}])
    write_jsonl(tmp_path / "b.jsonl", [{**WORKS[0], "references": references}])
    out, _ = run(tmp_path, "--with-references")
    assert "2 works read: 1 created, 1 updated" in out
    work = Work.objects.get(doi="10.5555/a.1")
    assert sorted(Reference.objects.filter(citing_work=work).values_list("key", flat=True)) == ["ref1", "ref2"]


def test_a_work_another_process_inserted_meanwhile_is_updated_once_with_its_references(tmp_path, press, monkeypatch):
    from citations import work_import

    references = [{"key": "ref1", "DOI": "10.7777/B.2"}, {"key": "ref2", "unstructured": "Anning M (1999) Estuarine Letters 9, 12"}]
    path = write_jsonl(tmp_path / "a.jsonl", [{**WORKS[0], "references": references}])
    run(path, "--with-references")
    # As a process reading another file with the same DOI sees it: not there yet when it looks,
    # there when it writes (on PostgreSQL the straight COPY of new works is refused by the unique index).
    existing, looked = work_import._Batch._existing, []

    def not_there_yet(batch, cursor, dois):
        looked.append(dois)
        return {} if len(looked) == 1 else existing(batch, cursor, dois)

    monkeypatch.setattr(work_import._Batch, "_existing", not_there_yet)
    out, _ = run(path, "--with-references")
    assert "1 works read: 0 created, 1 updated" in out
    assert len(looked) == 2  # looked again for the one that came meanwhile
    assert Work.objects.count() == 1
    work = Work.objects.get(doi="10.5555/a.1")
    assert sorted(Reference.objects.filter(citing_work=work).values_list("key", flat=True)) == ["ref1", "ref2"]
