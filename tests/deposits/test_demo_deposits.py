"""The demo's generated deposit files: the same every time for a day, valid Crossref deposits that
register every kind of work, over three years, with every kind of reference and one made to be flagged."""
import datetime
import io
from collections import Counter

from deposits.demo_deposits import FLAGGED_KEY, DEMO_MEMBERS, demo_deposits, demo_works, flagged_reference
from deposits.xml import RecordError, open_deposit

TODAY = datetime.date(2026, 11, 26)


def test_the_same_day_gives_the_same_files_byte_for_byte():
    assert [d.content for d in demo_deposits(today=TODAY)] == [d.content for d in demo_deposits(today=TODAY)]


def test_a_leap_day_is_a_day_like_any_other():
    assert min(w.date for w in demo_works(today=datetime.date(2028, 2, 29))) > datetime.date(2025, 2, 28)


def test_every_file_is_a_deposit_whose_records_all_parse_without_warnings():
    parsed = []
    for deposit in demo_deposits(today=TODAY):
        stream = open_deposit(io.BytesIO(deposit.content))
        assert stream.head.doi_batch_id + ".xml" == deposit.filename
        records = list(stream)
        assert [r for r in records if isinstance(r, RecordError)] == []
        assert [(r.doi, r.warnings) for r in records if r.warnings] == []
        assert {r.doi for r in records} == {w.doi for w in deposit.works}
        parsed += records
    assert len(parsed) >= 250
    assert set(Counter(r.type for r in parsed)) >= {
        "journal-article", "proceedings-article", "edited-book", "book-chapter", "posted-content", "dataset"}


def test_works_spread_over_the_last_three_years_and_every_member_deposits():
    works = demo_works(today=TODAY)
    dates = [w.date for w in works]
    assert min(dates) > TODAY - datetime.timedelta(days=3 * 365) and max(dates) < TODAY
    assert max(dates) >= TODAY - datetime.timedelta(days=7)  # something new this week
    assert len({d.year for d in dates}) == 4  # late 2023, 2024, 2025 and 2026 up to today
    assert {w.member for w in works} == set(DEMO_MEMBERS)
    assert len({w.doi for w in works}) == len(works)


def test_references_come_in_every_kind_and_exactly_one_is_made_to_contradict_its_doi():
    references = [r for w in demo_works(today=TODAY) for r in w.references]
    kinds = Counter(
        "doi" if "doi" in r else "structured" if "author" in r else "unstructured" for r in references)
    assert min(kinds.values()) >= 100, kinds
    assert any(r.get("doi", "").startswith("10.99") for r in references)  # DOIs nobody here registered
    assert sum(r["key"] == FLAGGED_KEY for r in references) == 1
    citing, cited = flagged_reference(demo_works(today=TODAY))
    assert citing.startswith("10.5556/") and cited.startswith("10.5555/")


def test_the_dois_are_the_same_whichever_day_the_demo_is_loaded():
    # The README's examples name demo works: they must exist in every demo, not only today's.
    assert [w.doi for w in demo_works(today=TODAY)] == [w.doi for w in demo_works(today=datetime.date(2027, 1, 2))]


def test_every_demo_doi_the_readme_names_is_a_demo_work():
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    prefixes = "|".join(re.escape(member.prefix) for member in DEMO_MEMBERS)
    named = {doi.lower() for doi in re.findall(rf"(?:{prefixes})(?:/|%2F)[A-Za-z]+\.[A-Za-z0-9.]*[A-Za-z0-9]", readme)}
    named = {doi.replace("%2f", "/") for doi in named}
    assert named, "the README names no demo work"
    assert named <= {w.doi for w in demo_works(today=TODAY)}
