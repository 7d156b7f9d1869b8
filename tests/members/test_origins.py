"""Widget keys' allowed sites: one normal form, and refusals that say what is wrong and where."""
import pytest

from members.origins import InvalidOrigin, parse_origin, parse_origins


@pytest.mark.parametrize(("given", "normal"), [
    ("https://Journal.Example/", "https://journal.example"),
    ("https://journal.example:443", "https://journal.example"),
    ("http://localhost:8080", "http://localhost:8080"),
    ("http://127.0.0.1:80", "http://127.0.0.1"),
    ("  https://a.example  ", "https://a.example"),
])
def test_origins_are_normalised_as_browsers_send_them(given, normal):
    assert parse_origin(given) == normal


@pytest.mark.parametrize(("given", "says"), [
    ("journal.example", "must start with https://"),
    ("ftp://journal.example", "must start with https://"),
    ("https://journal.example/articles", "has a path"),
    ("https://*.journal.example", "wildcards"),
    ("https://user:pw@journal.example", "user name or password"),
    ("https://journal.example:99999", "port"),
    ("", "empty"),
])
def test_what_is_not_an_origin_is_refused_with_the_reason(given, says):
    with pytest.raises(InvalidOrigin, match=says):
        parse_origin(given)


def test_a_list_is_split_on_lines_and_commas_without_duplicates():
    assert parse_origins("https://a.example, https://b.example\n\nhttps://A.example/\n") == ["https://a.example", "https://b.example"]


def test_a_bad_entry_is_named_with_its_line():
    with pytest.raises(InvalidOrigin, match="line 2: “a.example/x”"):
        parse_origins("https://ok.example\na.example/x")


def test_an_empty_list_is_refused():
    with pytest.raises(InvalidOrigin, match="at least one site"):
        parse_origins(" \n ")
