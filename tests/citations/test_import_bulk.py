"""import_works' bulk mode on PostgreSQL: secondary indexes set aside for the load and built again
after it, also when the load fails, and by the next run when the load died."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from citations import bulk_load, tasks, work_import
from citations.models import SetAsideIndex
from deposits.models import Reference, Work
from tests.citations.crossref_builder import write_jsonl

WORKS = [
    {"doi": "10.5555/A.1", "title": "Phonon dispersion in strained graphene", "authors": [("Ada", "Lovelace")],
     "container_title": "Journal of Chemical Physics", "year": 2004, "volume": "120", "first_page": "345",
     "references": [{"key": "ref1", "DOI": "10.7777/B.2"}, {"key": "ref2", "unstructured": "Anning M (1999) Estuarine Letters 9, 12"}]},
    {"doi": "10.7777/b.2", "title": "Tidal rhythms of estuarine mudflats", "authors": [("Mary", "Anning")],
     "container_title": "Estuarine Letters", "year": 1999, "volume": "9", "first_page": "12"},
    {"doi": "10.5555/c.3", "title": "Magnon transport in ferrites", "year": 2010},
]

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk mode is PostgreSQL's")
# Committed for real: the indexes are dropped and built by connections of their own.
pytestmark = [pytest.mark.django_db(transaction=True)]


def run(*args) -> str:
    out = StringIO()
    call_command("import_works", "--no-progress", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


def indexes() -> dict[str, str]:
    """name -> definition of every index of the tables a load writes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(bulk_load.TABLES)])
        return dict(cursor.fetchall())


@postgres_only
def test_a_bulk_load_sets_the_secondary_indexes_aside_and_builds_them_again(tmp_path, press, monkeypatch):
    before = indexes()
    analyzed_before = analyze_counts()
    during = []
    write = work_import._Batch.write

    def watched(batch):
        during.append(set(indexes()))
        write(batch)

    monkeypatch.setattr(work_import._Batch, "write", watched)
    out = run(write_jsonl(tmp_path / "works.jsonl", WORKS), "--with-references", "--bulk")
    assert "3 works read: 3 created" in out and "bulk mode" in out
    assert during and "work_owner_count" in before and "reference_doi" in before
    assert "work_owner_count" not in during[0] and "reference_doi" not in during[0]
    assert "deposits_work_doi_key" in during[0]  # unique: the upserts need it
    assert indexes() == before
    assert not SetAsideIndex.objects.exists()
    assert Reference.objects.filter(citing_work__doi="10.5555/a.1").count() == 2
    # The planner's statistics of each table are taken again after the load (ANALYZE by hand:
    # autovacuum's are counted apart; the search index's own upkeep may analyze its table too).
    analyzed = {table: count - analyzed_before[table] for table, count in analyze_counts().items()}
    assert set(analyzed) == set(bulk_load.TABLES) and min(analyzed.values()) >= 1, analyzed


def analyze_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(%s)", [list(bulk_load.TABLES)])
        return dict(cursor.fetchall())


@postgres_only
def test_a_load_larger_than_the_registry_is_bulk_by_itself_and_a_smaller_one_is_not(tmp_path, press, monkeypatch):
    monkeypatch.setattr(work_import, "BULK_MIN_WORKS", 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE deposits_work")  # the estimate of what the registry holds: nothing
    path = write_jsonl(tmp_path / "works.jsonl", WORKS)
    assert work_import.expected_works([path]) == 3
    assert "bulk mode" in run(path)
    assert "bulk mode" not in run(path)  # 3 works expected, 3 there already
    assert "bulk mode" not in run(write_jsonl(tmp_path / "two.jsonl", WORKS[:2]))  # under BULK_MIN_WORKS


@postgres_only
def test_indexes_a_bulk_load_left_set_aside_when_it_died_are_built_by_the_next_run(tmp_path, press):
    before = indexes()
    dying = bulk_load._new_connection("default")
    try:
        names = bulk_load._set_aside(dying)  # what a load killed after setting them aside leaves
    finally:
        dying.close()
    assert "work_owner_count" in names and "work_owner_count" not in indexes()
    assert set(SetAsideIndex.objects.values_list("name", flat=True)) == set(names)
    out = run(write_jsonl(tmp_path / "works.jsonl", WORKS[:1]), "--no-bulk")
    assert f"{len(names)} indexes an unfinished bulk load had set aside built again" in out
    assert indexes() == before
    assert not SetAsideIndex.objects.exists()


@postgres_only
def test_the_periodic_task_builds_what_a_dead_bulk_load_set_aside_when_no_import_runs_again(press):
    before = indexes()
    dying = bulk_load._new_connection("default")
    try:
        names = bulk_load._set_aside(dying)
    finally:
        dying.close()
    assert "work_owner_count" not in indexes()
    assert tasks.rebuild_set_aside_indexes.apply().get() == len(names)
    assert indexes() == before
    assert not SetAsideIndex.objects.exists()
    assert tasks.rebuild_set_aside_indexes.apply().get() == 0  # nothing left: nothing done


@postgres_only
def test_a_bulk_load_that_fails_still_builds_its_indexes_again(tmp_path, press, monkeypatch):
    before = indexes()

    def broken(batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(work_import._Batch, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        run(write_jsonl(tmp_path / "works.jsonl", WORKS), "--bulk")
    assert indexes() == before
    assert not SetAsideIndex.objects.exists()


@postgres_only
def test_a_running_bulk_loads_indexes_are_left_to_it_and_a_second_bulk_load_is_refused(tmp_path, press):
    live = bulk_load._new_connection("default")
    try:
        with live.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [bulk_load.LOCK_KEY])
        names = bulk_load._set_aside(live)
        assert bulk_load.rebuild_set_aside_indexes() is None
        path = write_jsonl(tmp_path / "works.jsonl", WORKS)
        with pytest.raises(CommandError, match="another bulk import_works is running"):
            run(path, "--bulk")
        assert "bulk mode" not in run(path)  # without --bulk: written through, the live load builds them
        assert set(SetAsideIndex.objects.values_list("name", flat=True)) == set(names)
    finally:
        live.close()
    assert bulk_load.rebuild_set_aside_indexes() == names
    assert not SetAsideIndex.objects.exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal")
def test_bulk_mode_needs_postgresql(tmp_path, press):
    with pytest.raises(CommandError, match="--bulk needs PostgreSQL"):
        run(write_jsonl(tmp_path / "works.jsonl", WORKS), "--bulk")
    assert not Work.objects.exists()
    assert "bulk mode" not in run(write_jsonl(tmp_path / "works.jsonl", WORKS))
