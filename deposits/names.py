"""How the portal's pages, exports and widget write a work's authors. Pure: no Django."""
from __future__ import annotations


def authors_line(contributors: list[dict], *, shown: int = 6) -> str:
    """"Ada Lovelace, Charles Babbage et al.": the first `shown` authors, then "et al." if there are more."""
    authors = [person for person in contributors or [] if person.get("role", "author") == "author"]
    names = [" ".join(part for part in (person.get("given_name", ""), person.get("surname", "")) if part) for person in authors[:shown]]
    line = ", ".join(name for name in names if name)
    return f"{line} et al." if len(authors) > shown else line
