"""Single-value checks (deposits/xml/values.py): check digits by python-stdnum, date ranges."""
import pytest

from deposits.xml.values import (
    bare_orcid,
    day_problem,
    doi_problem,
    isbn_problem,
    issn_problem,
    month_problem,
    orcid_problem,
    year_problem,
)


@pytest.mark.parametrize(("check", "good", "bad"), [
    (issn_problem, "0317-8471", "0317-8472"),
    (issn_problem, "2049-3630", "2049-363"),
    (isbn_problem, "978-3-16-148410-0", "978-3-16-148410-1"),
    (isbn_problem, "0-306-40615-2", "0-306-40615-3"),
    (doi_problem, "10.1000/xyz", "10.1/too-short-registrant"),
    (orcid_problem, "0000-0002-1694-233X", "0000-0002-1694-2339"),
])
def test_identifiers_with_a_right_check_digit_pass_and_a_wrong_one_is_named(check, good, bad):
    assert check(good) is None
    assert check(bad)


def test_orcid_ids_are_found_in_urls_and_upper_cased():
    assert bare_orcid("https://orcid.org/0000-0002-1694-233x") == "0000-0002-1694-233X"
    assert bare_orcid("not an orcid") == ""


@pytest.mark.parametrize(("year", "readable"), [
    ("1400", True), ("2200", True), ("2024", True), ("1399", False), ("2201", False), ("20x4", False), ("", False),
    ("２０２４", False),
])
def test_years_must_be_four_digits_within_the_schemas_range(year, readable):
    assert (year_problem(year) is None) is readable


@pytest.mark.parametrize(("month", "readable"), [("1", True), ("12", True), ("21", True), ("34", True), ("13", False), ("0", False), ("x", False)])
def test_months_are_calendar_months_seasons_or_quarters(month, readable):
    assert (month_problem(month) is None) is readable


def test_days_must_exist_in_their_month():
    assert day_problem("29", year=2024, month=2) is None
    assert "1 to 28" in day_problem("29", year=2023, month=2)
    assert day_problem("31", year=2023, month=21) is None  # a season: any day up to 31
    assert day_problem("3a", year=2023, month=1)
