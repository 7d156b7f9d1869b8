"""How a link was found, in words editors read: {{ citation.score|percent }},
{{ citation.agreed|agreed_words }}, {% reference_as_deposited citation.reference %}."""
from django import template

register = template.Library()

# The matcher's field names (citations.matching) as the page says them.
FIELD_WORDS = {
    "doi": "DOI", "title": "title", "author": "authors", "year": "year", "container": "journal",
    "volume": "volume", "issue": "issue", "page": "first page",
}

# Reference fields shown when a reference has no text of its own, in reading order.
REFERENCE_FIELDS = (
    ("author", "Author"), ("article_title", "Title"), ("journal_title", "Journal"), ("volume_title", "Volume title"),
    ("series_title", "Series"), ("year", "Year"), ("volume", "Volume"), ("issue", "Issue"),
    ("first_page", "First page"), ("issn", "ISSN"), ("isbn", "ISBN"), ("doi", "DOI"),
)


@register.filter
def percent(score: float | None) -> str:
    return "" if score is None else f"{round(score * 100)}%"


@register.filter
def agreed_words(agreed: list[str] | None) -> str:
    return ", ".join(FIELD_WORDS.get(name, name.replace("_", " ")) for name in agreed or [])


@register.filter
def reference_fields(reference) -> list[tuple[str, str]]:
    """The reference's structured fields as deposited, (label, value), blank ones left out."""
    return [(label, getattr(reference, name)) for name, label in REFERENCE_FIELDS if getattr(reference, name, "")]
