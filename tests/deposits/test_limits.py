"""No value takes a batch down: out-of-range values fail their record, naming line and field."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deposits.models import Deposit, RecordResult, Reference, Work
from deposits.services import deposit_create_from_bytes, deposit_process
from tests.xmlbuild import journal_article_deposit

pytestmark = pytest.mark.django_db


def process(member, articles) -> Deposit:
    deposit = deposit_create_from_bytes(member=member, content=journal_article_deposit(articles), filename="d.xml")
    return deposit_process(deposit_id=deposit.pk)


def test_timestamp_beyond_the_integer_range_fails_its_record_only(press):
    articles = [{"doi": f"10.5555/r{n}", "title": f"Record {n}", "timestamp": 20240101000000} for n in range(1, 121)]
    articles[60]["timestamp"] = 100000000000000000000
    deposit = process(press[0], articles)
    assert (deposit.status, deposit.success_count, deposit.failure_count) == ("completed", 119, 1)
    failure = RecordResult.objects.get(deposit=deposit, status="failure")
    assert failure.position == 61 and failure.doi == "10.5555/r61"
    assert failure.message.startswith(f"line {failure.line}:") and "timestamp" in failure.message and "out of range" in failure.message
    assert Work.objects.filter(owner=press[0]).count() == 119


@pytest.mark.parametrize(
    ("article", "named"),
    [
        ({"doi": "10.5555/" + "x" * 5000}, "5,008 characters"),
        ({"doi": "10.5555/long-title", "title": "T" * 25_000}, "title is 25,000 characters long"),
        ({"doi": "10.5555/long-volume", "volume": "9" * 101}, "volume is 101 characters long; at most 100"),
        ({"doi": "10.5555/long-key", "references": [{"key": "k" * 300, "doi": "10.5555/x"}]}, "key is 300 characters long"),
    ],
)
def test_values_the_database_cannot_hold_fail_with_line_and_field(press, article, named):
    deposit = process(press[0], [{"doi": "10.5555/fine", "title": "Fine"}, article])
    assert (deposit.success_count, deposit.failure_count) == (1, 1)
    failure = RecordResult.objects.get(deposit=deposit, status="failure")
    assert named in failure.message and failure.message.startswith("line ")
    assert Work.objects.filter(doi="10.5555/fine").exists()


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300)
_field = st.one_of(_text, st.integers(min_value=-(10**30), max_value=10**30).map(str), st.just(""))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    suffix=st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=300),
    title=_text, volume=_field, issue=_field, first_page=_field, year=_field,
    timestamp=st.integers(min_value=0, max_value=10**30),
    reference=st.fixed_dictionaries({"key": _text, "doi": _text, "year": _field, "volume": _field, "unstructured": _text}),
)
def test_random_field_values_never_crash_parse_and_apply(press, suffix, title, volume, issue, first_page, year, timestamp, reference):
    fresh = Deposit.objects.count()  # examples share the database: a DOI of its own each time
    article = {
        "doi": f"10.5555/{fresh}-{suffix}", "title": title, "volume": volume, "issue": issue, "first_page": first_page,
        "year": year, "timestamp": timestamp, "references": [reference],
    }
    good = {"doi": f"10.5555/good-{fresh}", "title": "Good"}
    deposit = process(press[0], [good, article])
    assert deposit.status == "completed", deposit.message
    assert deposit.record_count == deposit.success_count + deposit.warning_count + deposit.failure_count == 2
    assert RecordResult.objects.get(deposit=deposit, position=1).status == "success"
    second = RecordResult.objects.get(deposit=deposit, position=2)
    # A harmless problem (an unreadable year, a reference's bad DOI) is a warning naming its line.
    assert second.status == "success" or (second.status in ("warning", "failure") and "line " in second.message), second.message
    if second.status != "failure":
        assert Reference.objects.filter(citing_work__doi=second.doi).count() == 1
