"""The registry's search index: kept current as works come and go, and finding them every way the matcher asks."""
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.matching.records import CandidateQuery
from citations.search import work_index, work_record
from deposits.models import Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.citations.plans import lookup_with_table_scans_off, plan_without_table_scans
from tests.xmlbuild import journal_article_deposit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_matching_tasks")]

GRAPHENE = {
    "doi": "10.5555/Graphene.1",
    "title": "Phonon dispersion in strained graphene bilayers",
    "authors": [("Ada", "Lovelace"), ("Charles", "Babbage")],
    "year": 2004,
    "volume": "120",
    "issue": "7",
    "first_page": "345",
}
OTHER = {"doi": "10.5555/other", "title": "Tidal rhythms of estuarine mudflats", "authors": [("Mary", "Anning")], "volume": "9", "first_page": "12"}


def register(member, articles, captured, *, timestamp=20240101000000, journal="Journal of Chemical Physics"):
    with captured(execute=True):  # works_registered is sent on commit
        deposit = deposit_create_from_bytes(
            member=member, content=journal_article_deposit(articles, timestamp=timestamp, journal_title=journal), filename="d.xml"
        )
        deposit_process(deposit_id=deposit.pk)


def dois(records) -> list[str]:
    return [record.doi for record in records]


def index_counting(counts: dict[str, int]):
    """The search index as if its 100,000 works held these words this many times."""
    index = work_index()
    index.common_terms = lambda: counts
    index._stats = (counts, 100_000, 0.0)
    return index


def test_registered_work_is_found_by_title_words(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    assert dois(work_index().search(CandidateQuery(text="phonon dispersion graphene"))) == ["10.5555/graphene.1"]


def test_found_by_author_and_abbreviated_journal_words(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE], django_capture_on_commit_callbacks)
    register(press[0], [OTHER], django_capture_on_commit_callbacks, journal="Estuarine Letters")
    found = work_index().search(CandidateQuery(text="Lovelace A, J. Chem. Phys."))
    assert dois(found)[0] == "10.5555/graphene.1"
    assert "10.5555/other" not in dois(found)


def test_found_by_volume_and_first_page_without_any_text(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    assert dois(work_index().search(CandidateQuery(volume_pages=(("120", "345"),)))) == ["10.5555/graphene.1"]
    assert work_index().search(CandidateQuery(volume_pages=(("120", "346"),))) == []


def test_found_by_doi_in_any_form(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    found = work_index().search(CandidateQuery(dois=("https://doi.org/10.5555/GRAPHENE.1", "10.9999/not-registered")))
    assert dois(found) == ["10.5555/graphene.1"]


def test_candidates_answer_each_query_of_a_batch_in_order(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    answers = work_index().candidates([CandidateQuery(text="estuarine mudflats"), CandidateQuery(), CandidateQuery(text="graphene bilayers")])
    assert [dois(a)[:1] for a in answers] == [["10.5555/other"], [], ["10.5555/graphene.1"]]


def test_redeposit_replaces_the_indexed_text(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE], django_capture_on_commit_callbacks)
    register(press[0], [{**GRAPHENE, "title": "Magnon transport in thin ferrites"}], django_capture_on_commit_callbacks, timestamp=20250101000000)
    index = work_index()
    assert dois(index.search(CandidateQuery(text="magnon ferrites"))) == ["10.5555/graphene.1"]
    assert index.search(CandidateQuery(text="phonon dispersion")) == []
    assert index.search(CandidateQuery(dois=("10.5555/graphene.1",)))[0].title == "Magnon transport in thin ferrites"


def test_matching_indexes_again_only_the_works_whose_text_changed(press, django_capture_on_commit_callbacks):
    # Works are indexed when registered and again by their matching (that indexing may be lost):
    # a row rewritten as it was is a dead row and, on PostgreSQL, entries every text search reads.
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    graphene, other = Work.objects.get(doi="10.5555/graphene.1"), Work.objects.get(doi="10.5555/other")
    Work.objects.filter(pk=other.pk).update(title="Magnon transport in thin ferrites")
    index = work_index()
    written = []
    real_write_texts = index.write_texts
    index.write_texts = lambda texts: written.extend(pk for pk, _ in texts) or real_write_texts(texts)
    index.index_works([graphene.pk, other.pk])
    if index.vendor == "postgresql":
        assert written == [other.pk]
    else:  # (FTS5 replaces a row in place: nothing to save there)
        assert sorted(written) == sorted([graphene.pk, other.pk])
    assert dois(index.search(CandidateQuery(text="magnon ferrites"))) == ["10.5555/other"]
    assert dois(index.search(CandidateQuery(text="phonon dispersion graphene"))) == ["10.5555/graphene.1"]


def test_deleted_work_leaves_the_index(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    Work.objects.get(doi="10.5555/graphene.1").delete()
    assert work_index().text_search_ids(["phonon dispersion graphene"], limit=20) == [[]]


def test_rebuild_indexes_works_the_index_never_saw(press):
    # Registered without the on-commit signal, so only a rebuild can put them in the index.
    deposit = deposit_create_from_bytes(member=press[0], content=journal_article_deposit([GRAPHENE, OTHER]), filename="d.xml")
    deposit_process(deposit_id=deposit.pk)
    assert work_index().search(CandidateQuery(text="phonon graphene")) == []
    call_command("rebuild_work_index", stdout=None, stderr=None)
    assert dois(work_index().search(CandidateQuery(text="phonon graphene"))) == ["10.5555/graphene.1"]


def test_work_record_takes_authors_family_names_and_title_with_subtitle():
    contributors = [
        {"surname": "Editor", "given_name": "E", "role": "editor"},
        {"surname": "Lovelace", "given_name": "Ada", "role": "author"},
        {"surname": "CERN Collaboration", "given_name": "", "role": "author", "is_organization": True},
    ]
    updated = datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt_timezone.utc)
    row = (7, "10.5555/x", "book-chapter", "Main", "And more", contributors, "Series", "1234-5679", "", 2001, "3", "", "5", "9", "Book", updated)
    record = work_record(row)
    assert record.version == updated
    assert (record.container_title, record.book_title) == ("Series", "Book")
    assert (record.id, record.title, record.authors, record.given_names) == (7, "Main: And more", ("Lovelace", "CERN Collaboration"), ("Ada", ""))
    assert (record.issn, record.isbn, record.year, record.first_page, record.last_page, record.type) == (("1234-5679",), (), 2001, "5", "9", "book-chapter")


def test_query_fills_up_with_the_least_common_words_when_it_has_no_rare_indexed_ones():
    # "3rd" and a publisher's name are in no work's index text: never asked for. A book of
    # everyday title words by a popular surname must still be asked for by those words.
    index = index_counting({"li": 900, "digital": 300, "divide": 250, "principles": 400, "applications": 600, "the": 40000})
    words = index.query_terms("li digital divide principles applications 3rd informa the")
    assert words == ["divide", "digital", "principles", "applications", "li"]  # the least common first, never "the"


def test_a_fuzzy_lookup_keeps_the_words_no_work_has_longest_first():
    # The trigram fallback finds a misspelt word by its likeness: dropping it as unindexed would leave nothing.
    index = index_counting({"phonon": 12, "graphene": 40, "the": 90_000})
    assert index.query_terms("phonon dispersoin grapheen the") == []  # one indexed word alone is not asked for
    assert index.query_terms("phonon dispersoin grapheen the", unindexed=True) == ["dispersoin", "grapheen", "phonon"]


def test_query_with_every_word_counted_asks_for_the_rarest_indexed_words_and_never_unindexed_ones():
    index = index_counting({
        "graphene": 40, "phonon": 12, "bilayers": 3, "strained": 90, "li": 900, "physical": 30_000, "the": 90_000,
    })
    words = index.query_terms("li strained graphene bilayers phonon informa 3rd physical the")
    assert words[:4] == ["bilayers", "phonon", "graphene", "strained"]  # rarest first; "informa", "3rd" in no work
    assert words[4:] == ["li"]  # filled up with the least common of the common words, never "the"


def test_query_asks_for_the_five_most_specific_words_only():
    index = index_counting({
        "graphene": 40, "phonon": 12, "bilayers": 3, "strained": 90, "dispersion": 60, "lovelace": 5, "babbage": 7,
    })
    words = index.query_terms("lovelace babbage phonon dispersion strained graphene bilayers")
    assert words == ["bilayers", "lovelace", "babbage", "phonon", "graphene"]  # not "dispersion" nor "strained"


def test_the_index_counts_every_indexed_word_once_per_process_not_per_lookup(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    index = work_index()
    index.forget_statistics()
    counts = index.common_terms()
    assert counts["graphene"] == 1 and counts["lovelace"] == 1 and "informa" not in counts
    assert index.query_terms("Lovelace, Phonon dispersion in strained graphene bilayers, Informa") != []
    passes = []
    index.term_counts = lambda *, above: passes.append(above) or {}
    for _ in range(3):
        index.query_terms("Lovelace, Phonon dispersion in strained graphene bilayers")
        work_index().query_terms("Anning, Tidal rhythms of estuarine mudflats")  # (another index object of the process)
    assert passes == []


@pytest.mark.usefixtures("no_matching_tasks")
def test_busy_volume_page_hits_far_from_the_reference_year_are_dropped():
    from citations.search.base import _near_years

    hits = [(1, 1995), (2, 2010), (3, 2011), (4, None)]
    assert _near_years(hits, (2011,)) == [2, 3, 4]
    assert _near_years(hits, ()) == [1, 2, 3, 4]


def test_rank_ids_puts_the_best_matching_of_the_given_works_first_and_keeps_the_rest(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    index = work_index()
    ids = {work.doi: work.pk for work in Work.objects.all()}
    graphene, other = ids["10.5555/graphene.1"], ids["10.5555/other"]
    assert index.rank_ids([other, graphene], "phonon dispersion strained graphene bilayers", limit=20) == [graphene, other]
    assert index.rank_ids([other, graphene], "phonon dispersion strained graphene bilayers", limit=1) == [graphene]
    assert index.rank_ids([other, 999_999], "phonon dispersion graphene", limit=5) == [other, 999_999]  # none matches: order kept


def test_work_records_read_the_same_records_as_the_orm_rows(press, django_capture_on_commit_callbacks):
    from citations.search import WORK_COLUMNS, work_records

    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    rows = {row[0]: work_record(row) for row in Work.objects.values_list(*WORK_COLUMNS)}
    assert work_records([*rows, 999_999]) == rows
    assert work_records([]) == {}


def test_a_query_without_words_never_counts_the_common_words():
    index = work_index()

    def fail():
        raise AssertionError("common_terms counted for a query without words")

    index.common_terms = fail
    assert index.query_terms("") == [] and index.query_terms("  ,.; ") == []
    assert index.candidates([CandidateQuery(dois=("10.9999/none",))]) == [[]]


def test_a_newly_indexed_work_words_are_asked_for_before_the_counts_are_renewed(press, django_capture_on_commit_callbacks):
    register(press[0], [OTHER], django_capture_on_commit_callbacks)
    index = work_index()
    index.forget_statistics()
    assert "graphene" not in index.query_terms("phonon dispersion graphene")  # counted: no work has it yet
    register(press[0], [GRAPHENE], django_capture_on_commit_callbacks)
    index.index_works(Work.objects.values_list("pk", flat=True))
    assert "graphene" in index.query_terms("phonon dispersion graphene")


@pytest.mark.django_db
def test_the_volume_and_page_lookup_has_its_index_after_every_migration():
    # (A rebuild of deposits_work by a later AddField once dropped it: every lookup scanned the registry.)
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "deposits_work")
    assert constraints["work_volume_first_page"]["columns"] == ["volume", "first_page"]


POSTGRES_TRIGRAMS = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="PostgreSQL's pg_trgm fallback"
)


@POSTGRES_TRIGRAMS
def test_trigram_fallback_finds_misspelt_titles_but_is_not_asked_for_two_words(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    index = work_index()
    assert dois(index.search(CandidateQuery(text="phonnon dispersoin strainned grapheen bilayerss"))) == ["10.5555/graphene.1"]
    # Two words' trigrams are in most works of a big registry: the costly lookup is not made.
    assert index.search(CandidateQuery(text="grapheen bilayerss")) == []


@POSTGRES_TRIGRAMS
def test_a_text_spelt_right_that_no_work_has_two_words_of_never_reaches_the_trigram_lookup(press, django_capture_on_commit_callbacks):
    # A reference to a work outside the registry: every word is spelt as some work spells it, or is
    # far from every indexed word. The lookup (0.1-1.3 s on a big registry) could find nothing.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    glacial = {"doi": "10.5555/glacial", "title": "Moraines of northern fjords", "authors": [("Fridtjof", "Nansen")], "volume": "3", "first_page": "7"}
    register(press[0], [GRAPHENE, OTHER, glacial], django_capture_on_commit_callbacks)
    index = work_index()
    with CaptureQueriesContext(connection) as captured:  # three indexed words, no two of them in one work
        assert index.search(CandidateQuery(text="Babbage C. Tidal moraines. Unpublished memorandum, 1994.")) == []
        assert index.search(CandidateQuery(text="Quorvex zandibular plimtrosk vendaquil")) == []
    assert captured.captured_queries  # (the word queries were made)
    assert not [q["sql"] for q in captured.captured_queries if "<%" in q["sql"]]
    with CaptureQueriesContext(connection) as captured:  # the same with a misspelt word does reach it
        index.search(CandidateQuery(text="Babbage C. Tidal moraines. Unpublished memorandum on grapheen, 1994."))
    assert [q["sql"] for q in captured.captured_queries if "<%" in q["sql"]]


@POSTGRES_TRIGRAMS
def test_trigram_fallback_finds_titles_with_words_run_together(press, django_capture_on_commit_callbacks):
    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    assert dois(work_index().search(CandidateQuery(text="phonondispersion in strainedgraphene bilayers"))) == ["10.5555/graphene.1"]


@POSTGRES_TRIGRAMS
def test_the_trigram_fallbacks_timeout_ends_with_it_inside_a_callers_transaction(press, django_capture_on_commit_callbacks):
    # (The test runs inside a transaction, as load_demo and a page's request do: the lookup's
    # 250 ms limit once stayed on for every later statement, and cancelled the dashboard's.)
    from django.db import connection

    register(press[0], [GRAPHENE, OTHER], django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        before = cursor.fetchone()[0]
        work_index().similar_ids("phonnon dispersoin strainned grapheen bilayerss", limit=5)
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == before



def slip_index(counts: dict[str, int]):
    """PostgreSQL's index (its pre-test needs no server) as if its works held these words."""
    from citations.search.postgresql import PostgresWorkIndex

    index = PostgresWorkIndex()
    index.common_terms = lambda: counts
    return index


@pytest.mark.parametrize("text", [
    "phonnon dispersion",  # a letter too many
    "phonon dispersoin",  # two swapped
    "phonon disperson",  # one missing
    "phonon dispersiom",  # one wrong
    "phonondispersion",  # run together
    "disper- sion of phonons",  # cut in two at a line break
])
def test_a_slip_of_typing_or_ocr_is_recognised_as_one(text):
    index = slip_index({"phonon": 12, "dispersion": 60, "of": 90_000})
    assert index.has_slip(text, index.query_terms(text, unindexed=True))


@pytest.mark.parametrize("text", [
    "phonon dispersion of unpublished memoranda",  # spelt right: indexed, or far from every indexed word
    "phonon 1994 1995",  # a number is no misspelt number
    "phonon teh dispersion",  # too short to tell a slip from another word
])
def test_words_spelt_right_or_too_short_to_tell_are_not_a_slip(text):
    index = slip_index({"phonon": 12, "dispersion": 60, "of": 90_000, "the": 95_000, "1996": 3})
    assert not index.has_slip(text, index.query_terms(text, unindexed=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index setting (CI's PostgreSQL phase runs this)")
@pytest.mark.parametrize("index", ["citations_work_search_document", "citations_reference_search_document"])
def test_the_word_indexes_matching_reads_keep_no_pending_list(db, index):
    # (Every lookup would read the whole list: at 1M works, 514 pending pages made matching's
    # text search 6.6 times slower; migration 0015.)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef(%s::regclass)", [index])
        assert "fastupdate=off" in cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement (CI's PostgreSQL phase runs this)")
def test_the_word_search_asks_the_index_for_each_pair_of_words_on_its_own(press, django_capture_on_commit_callbacks):
    # (Asked as one OR of every pair, GIN read each word's posting list whole: at 1,000,000
    # works 1.47 ms a text instead of 0.80, for the same works in the same order.)
    register(press[0], [GRAPHENE, OTHER,
                        {**OTHER, "doi": "10.5555/two-a", "title": "Phonon modes of bilayers"},
                        {**OTHER, "doi": "10.5555/two-b", "title": "Strained dispersion relations"},
                        {**OTHER, "doi": "10.5555/one", "title": "Phonon tides"}], django_capture_on_commit_callbacks)
    index = work_index()
    text = "Phonon dispersion in strained graphene bilayers"
    with connection.cursor() as cursor:
        cursor.execute("""SELECT work_id FROM citations_work_search, to_tsquery('simple', %s) AS query
                       WHERE document @@ query ORDER BY ts_rank(document, query) DESC, work_id""", [index.tsquery(text)])
        asked_at_once = [row[0] for row in cursor.fetchall()]
        with CaptureQueriesContext(connection) as queries:
            found = index.text_search_ids([text], limit=20)[0]
        assert found == asked_at_once
        # With table scans off: the planner cannot see into the groups' array (`has_a_group`).
        lookup_with_table_scans_off(queries)
        assert set(Work.objects.filter(pk__in=found).values_list("doi", flat=True)) == {"10.5555/graphene.1", "10.5555/two-a", "10.5555/two-b"}
    plan = plan_without_table_scans(*index.text_search_statement([text, "estuarine mudflats"], limit=20))
    assert "Bitmap Index Scan on citations_work_search_document" in plan
    assert "Index Cond: (document @@ ANY (" in plan, plan
