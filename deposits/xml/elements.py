"""Small readers over lxml elements that match children by local name.

Deposits put their elements in a versioned namespace (schema/4.3.0 ... 5.4.0) under any
prefix, so everything below the root is found by local name alone.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator

from lxml import etree


def local_name(element: etree._Element) -> str:
    """`journal_article` for `{http://www.crossref.org/schema/5.4.0}journal_article`."""
    return _local_name(element.tag)


# Speed: a deposit has a few dozen distinct tags and hundreds of thousands of elements, and
# reading a record asks for local names again and again.
@functools.lru_cache(maxsize=4096)
def _local_name(tag) -> str:
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2]


def children(element: etree._Element | None, name: str) -> Iterator[etree._Element]:
    """Direct children called `name`, in document order."""
    if element is None:
        return iter(())
    # Speed: libxml2 compares the local name (in C); Python never builds the children's tags.
    return element.iterchildren(_any_namespace(name))


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element reached by following `path` through direct children, or None."""
    for name in path:
        if element is None:
            return None
        element = next(element.iterchildren(_any_namespace(name)), None)
    return element


@functools.lru_cache(maxsize=1024)
def _any_namespace(name: str) -> str:
    """lxml's tag filter for `name` in any namespace or none (comments and PIs never match)."""
    return "{*}" + name


def collapse(text: str | None) -> str:
    """Runs of whitespace become one space; the ends are stripped."""
    return " ".join(text.split()) if text else ""


def text(element: etree._Element | None) -> str:
    """All the text inside `element`, inline markup (<i>, <sup>, MathML...) included."""
    if element is None:
        return ""
    if not len(element):  # no markup inside (most elements): its own text is all of it
        return collapse(element.text)
    return collapse("".join(element.itertext()))


def child_text(element: etree._Element | None, *path: str) -> str:
    """Text of the element reached by `path`, or "" when it is absent."""
    return text(child(element, *path))


def preferred(elements: list[etree._Element], attribute: str, order: tuple[str, ...]):
    """The element whose `attribute` comes first in `order` (unlisted values last), or None.

    Stable: among equals the first in document order wins.
    """
    if not elements:
        return None

    def rank(element: etree._Element) -> int:
        value = element.get(attribute, "")
        return order.index(value) if value in order else len(order)

    return min(elements, key=rank)
