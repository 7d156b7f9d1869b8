"""Reading citations. The citing list is only handed to those members.access allows."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import itemgetter, or_

import orjson

from django.core.exceptions import PermissionDenied
from django.db import NotSupportedError, connection
from django.db.models import F, FilteredRelation, JSONField, Min, Q, QuerySet

from citations.models import Citation, MatchDecision
from deposits.doi import normalize_doi
from deposits.models import Reference, Work
from members.access import can_view_citing_list, may_act_for, widget_key_serves
from members.models import APIKey, Member, WidgetKey
from portal.compiled import CompiledQuery, CompiledValues
from portal.prepared import prepared_cursor


def citing_works(work: Work, *, viewer) -> QuerySet[Work]:
    """The distinct works citing `work`, newest link first, each with `found` (first link's date).

    Raises PermissionDenied unless the viewer may see this work's citing list.
    """
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return _citing(work)


# What the widget lists of each citing work, and how many at most (newest first).
WIDGET_FIELDS = ("doi", "title", "contributors", "container_title", "publication_year")
WIDGET_LISTED = 100
# Built on every widget answer that is not cached: compiled once (portal.compiled).
_WIDGET_CITING = CompiledQuery(lambda work_id: _citing(work_id).only(*WIDGET_FIELDS)[:WIDGET_LISTED],
                               samples=(-7_000_000_011,))


def citing_works_listed_by_widget(work: Work, *, key: WidgetKey | None) -> list[Work]:
    """The works citing `work` as the "Cited by" widget lists them: newest first, at most
    WIDGET_LISTED, with WIDGET_FIELDS loaded (by a query compiled once); to a publishable key of
    the work's owning member only (its allowed sites are checked by the widget's views).
    PermissionDenied otherwise."""
    if not widget_key_serves(key, owner_id=work.owner_id):
        raise PermissionDenied("A widget key shows the citing lists of its own member's works only.")
    return list(_WIDGET_CITING(work.pk))


def _citing(work: Work | int) -> QuerySet[Work]:
    return (
        Work.objects.filter(citations_made__cited_work=work, citations_made__status__in=Citation.COUNTED)
        .annotate(found=Min("citations_made__created"))
        .order_by("-found", "doi")
    )


def citing_works_explained(work: Work, *, viewer) -> CitingPages:
    """`citing_works` for the owner's page, to be paged: each citing work with `found` and `links`
    (its counted links to `work`, how each was found and who decided about it).

    Raises PermissionDenied unless the viewer may see this work's citing list.
    """
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return CitingPages(work)


class CitingPages:
    """The works citing a work, newest first link first, as a sequence a Paginator slices.

    Its length is the work's stored cited-by count (kept by every change to its links), not a
    count of rows per request; a slice costs three queries however many works cite it: the
    page's citing works from the links alone (grouped on the link index, without reading and
    grouping whole works rows, which at a few thousand citing works took most of a second), those
    works, and their links.
    """

    def __init__(self, work: Work):
        self.work = work

    def __len__(self) -> int:
        return self.work.cited_by_count

    def __getitem__(self, index: slice) -> list[Work]:
        if not isinstance(index, slice):
            raise TypeError("CitingPages is read a page (a slice) at a time")
        firsts = list(
            Citation.objects.filter(cited_work=self.work, status__in=Citation.COUNTED)
            .values("citing_work").annotate(found=Min("created")).order_by("-found", "citing_work__doi")
            .values_list("citing_work", "found")[index]
        )
        works = Work.objects.in_bulk([work_id for work_id, _ in firsts])
        links: dict[int, list[Citation]] = {}
        for link in (Citation.objects.filter(cited_work=self.work, citing_work__in=list(works), status__in=Citation.COUNTED)
                     .select_related("reference", "decided_by").order_by("reference__position")):
            links.setdefault(link.citing_work_id, []).append(link)
        page = []
        for work_id, found in firsts:
            citing = works[work_id]
            citing.found, citing.links = found, links.get(work_id, [])
            page.append(citing)
        return page


def flagged_citations(work: Work, *, viewer) -> QuerySet[Citation]:
    """Links to `work` from references whose DOI names it but whose other fields contradict it;
    they wait, uncounted, for the work's editors. Same viewers as the citing list."""
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return (
        Citation.objects.filter(cited_work=work, status=Citation.Status.FLAGGED)
        .select_related("citing_work", "reference")
        .order_by("-created", "-pk")
    )


def decisions_about(work: Work, *, viewer) -> QuerySet[MatchDecision]:
    """Editors' decisions about the links to `work`, newest first: who did what, and when."""
    if not can_view_citing_list(viewer, work.owner_id):
        raise PermissionDenied("Only the member that owns a work sees the works citing it.")
    return MatchDecision.objects.filter(cited_work=work).select_related("citing_work").order_by("-at", "-pk")


def citation_for_decision(pk: int) -> Citation | None:
    """A link with its cited work and that work's owner, which decide who may act on it."""
    return Citation.objects.select_related("cited_work__owner", "citing_work").filter(pk=pk).first()


# --- The public works API (Crossref's /works): metadata, counts and each work's own references.

@dataclass(frozen=True)
class WorkFilters:
    """What a list is restricted to. Filters of one name are ORed, of different names ANDed (as Crossref does)."""

    prefixes: tuple[str, ...] = ()
    members: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    from_pub_year: int | None = None
    until_pub_year: int | None = None
    has_references: bool | None = None
    from_updated: datetime.date | None = None
    until_updated: datetime.date | None = None



# Work fields a list may be sorted by whose value may be missing: those sort first ascending, last descending.
NULLABLE_SORT_FIELDS = {"publication_year"}


def public_references(work: Work | int) -> QuerySet[Reference]:
    """`work`'s reference list as deposited, each with `matched_doi`: the DOI of the work the
    portal linked it to, for links that count only (flagged links wait for the cited work's
    editors, rejected ones are gone). One query, however long the list."""
    return (
        Reference.objects.filter(citing_work=work)
        .annotate(counted=FilteredRelation("citation", condition=Q(citation__status__in=Citation.COUNTED)))
        .annotate(matched_doi=F("counted__cited_work__doi"))
        .order_by("position")
    )


# A reference's fields as the works API shows them (public_work_with_references), after its position.
PUBLIC_REFERENCE_FIELDS = ("key", "doi", "unstructured", "article_title", "journal_title", "author", "year", "volume",
                           "issue", "first_page", "issn", "isbn", "series_title", "volume_title", "edition_number",
                           "component_number")
# Each database's JSON functions: an aggregate of arrays, and an array of values.
_JSON_FUNCTIONS = {"postgresql": ("json_agg", "json_build_array"), "sqlite": ("json_group_array", "json_array")}
_public_work_sql: dict[tuple, tuple[str, list[str]]] = {}


def public_work_with_references(doi: str, *, fields: tuple[str, ...]) -> tuple[dict, list[dict]] | None:
    """The registered work with this DOI (any form, any case), as `fields` values (a JSON field
    decoded), and its reference list as public_references reads it: in order, each a dict of
    PUBLIC_REFERENCE_FIELDS and `matched_doi`. None for an unknown DOI.

    One statement, the list as one JSON value built by the database: `GET /works/{doi}` runs it
    on every cache miss, where two queries and a model instance per reference cost more than
    the database took to answer.
    """
    normal = normalize_doi(doi)
    if not normal:
        return None
    vendor = connection.vendor
    compiled = _public_work_sql.get((vendor, fields))
    if compiled is None:
        json_fields = [name for name in fields if isinstance(Work._meta.get_field(name), JSONField)]
        compiled = _public_work_sql[(vendor, fields)] = _public_work_query(vendor, fields), json_fields
    sql, json_fields = compiled
    with prepared_cursor() as cursor:  # (a lookup by the unique DOI: one plan for every DOI)
        cursor.execute(sql, [*Citation.COUNTED, normal])
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(fields, row))
    for name in json_fields:
        if values[name] is not None:
            values[name] = orjson.loads(values[name])
    # Sorted here: SQLite's aggregate takes no ORDER BY before 3.44 (and keeps no order otherwise).
    entries = sorted(orjson.loads(row[-1] or "[]"), key=itemgetter(0))
    names = (*PUBLIC_REFERENCE_FIELDS, "matched_doi")
    return values, [dict(zip(names, entry[1:])) for entry in entries]


def _public_work_query(vendor: str, fields: tuple[str, ...]) -> str:
    """public_work_with_references' SQL: the work's columns (JSON ones as text), then its
    references' [position, fields..., matched DOI] arrays as JSON text; the same joins as
    public_references (a link counts, or it names no DOI)."""
    if vendor not in _JSON_FUNCTIONS:
        raise NotSupportedError(f"public_work_with_references builds its JSON on PostgreSQL and SQLite, not on {vendor}")
    aggregate, array = _JSON_FUNCTIONS[vendor]
    quote = connection.ops.quote_name

    def column(alias: str, model, name: str) -> str:
        field = model._meta.get_field(name)
        named = f"{alias}.{quote(field.column)}"
        return f"CAST({named} AS text)" if isinstance(field, JSONField) else named

    work_columns = ", ".join(column("w", Work, name) for name in fields)
    reference_columns = ", ".join(column("r", Reference, name) for name in ("position", *PUBLIC_REFERENCE_FIELDS))
    works, references, citations = (quote(model._meta.db_table) for model in (Work, Reference, Citation))
    statuses = ", ".join(["%s"] * len(Citation.COUNTED))
    return (
        f"SELECT {work_columns}, ("
        f"SELECT CAST({aggregate}({array}({reference_columns}, {column('cited', Work, 'doi')})) AS text) FROM {references} r"
        f" LEFT JOIN {citations} c ON {column('c', Citation, 'reference')} = {column('r', Reference, 'id')}"
        f" AND {column('c', Citation, 'status')} IN ({statuses})"
        f" LEFT JOIN {works} cited ON {column('cited', Work, 'id')} = {column('c', Citation, 'cited_work')}"
        f" WHERE {column('r', Reference, 'citing_work')} = {column('w', Work, 'id')}"
        f") FROM {works} w WHERE {column('w', Work, 'doi')} = %s"
    )


def filtered_works(filters: WorkFilters) -> QuerySet[Work]:
    """Works meeting Crossref's list filters (see citations.api.params)."""
    condition = Q()
    if filters.prefixes:
        # A range on the unique DOI index, on every database ("/" sorts just before "0").
        condition &= reduce(or_, (Q(doi__gte=f"{prefix}/", doi__lt=f"{prefix}0") for prefix in filters.prefixes))
    if filters.members:
        condition &= Q(owner_id__in=filters.members)
    if filters.types:
        condition &= Q(type__in=filters.types)
    # The portal keeps the publication year only: a partial or full date is compared by its year.
    if filters.from_pub_year is not None:
        condition &= Q(publication_year__gte=filters.from_pub_year)
    if filters.until_pub_year is not None:
        condition &= Q(publication_year__lte=filters.until_pub_year)
    if filters.has_references is not None:
        condition &= Q(references_count__gt=0) if filters.has_references else Q(references_count=0)
    if filters.from_updated is not None:
        condition &= Q(updated__gte=_day_start(filters.from_updated))
    if filters.until_updated is not None:
        condition &= Q(updated__lt=_day_start(filters.until_updated + datetime.timedelta(days=1)))
    return Work.objects.filter(condition)


def listed_works(
    *, filters: WorkFilters, field: str, descending: bool, rows: int, offset: int = 0, after: tuple | None = None,
) -> tuple[int, list[Work]]:
    """The total of works meeting `filters`, and `rows` of them ordered by `field` then id, from
    `offset` or (deep paging) after the work whose `sort_key` is `after`.

    `after` is a keyset, not a position: each page is an index range scan, however deep, and a
    work registered meanwhile never shifts a page. Two queries, whatever `rows` is.
    """
    works = filtered_works(filters)
    total = works.count()
    if after is not None:
        works = works.filter(_after(field, descending, after))
    nullable = field in NULLABLE_SORT_FIELDS
    primary = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_first=True)
    ordering = (primary if nullable else (f"-{field}" if descending else field), "-pk" if descending else "pk")
    return total, list(works.order_by(*ordering)[offset : offset + rows])


def sort_key(work: Work, field: str) -> tuple:
    """(value, id) of `work` in a sort by `field`, as JSON can carry it (for cursors)."""
    value = getattr(work, field)
    return (value.isoformat() if isinstance(value, datetime.datetime) else value, work.pk)


def _after(field: str, descending: bool, key: tuple) -> Q:
    raw, pk = key
    value = Work._meta.get_field(field).to_python(raw)
    if field not in NULLABLE_SORT_FIELDS:
        if descending:
            return Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})
        return Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})
    # Missing values come first ascending (nulls first) and last descending (nulls last).
    missing = Q(**{f"{field}__isnull": True})
    if descending:
        if value is None:
            return missing & Q(pk__lt=pk)
        return Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}) | missing
    if value is None:
        return (missing & Q(pk__gt=pk)) | ~missing
    return Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.timezone.utc)


# --- Cited-by by machine (JSON API, getForwardLinks): the owner and its agents only.

# Newest first; the id breaks ties (citations.api.cited_by pages in this order too).
CITED_BY_ORDER = ("-created", "-pk")


def cited_by_links(
    *, acting: Member | int, owner: Member | int | None, work: Work | None = None, prefix: str | None = None,
    since: datetime.datetime | None = None, until: datetime.datetime | None = None,
) -> QuerySet[Citation]:
    """The counted links to `work` (or to every work under `prefix`, which `owner` owns), found
    in [since, until), newest first, each with its citing and cited work and its reference (one
    query per page, whatever its size).

    Raises PermissionDenied unless `acting` (a machine login's member, already allowed to
    retrieve by its user's role or key's scope) is the owner or its agent for retrieving.
    """
    _may_read_cited_by(acting, owner)
    links = Citation.objects.filter(status__in=Citation.COUNTED)
    if work is not None:
        links = links.filter(cited_work=work)
    else:
        # A range on the unique DOI index, as filtered_works does; and only the prefix owner's works.
        links = links.filter(cited_work__doi__gte=f"{prefix}/", cited_work__doi__lt=f"{prefix}0", cited_work__owner_id=_member_id(owner))
    if since is not None:
        links = links.filter(created__gte=since)
    if until is not None:
        links = links.filter(created__lt=until)
    return links.select_related("citing_work", "cited_work", "reference").order_by(*CITED_BY_ORDER)


def cited_by_link_rows(links: QuerySet[Citation], *, work_fields: tuple[str, ...]) -> QuerySet[dict]:
    """`links` (cited_by_links) as rows of values, not model instances: the link's `created`,
    `method`, `score` and `status`, the cited work's DOI (`cited_doi`), the reference's key
    (`reference_key`) and the citing work's `work_fields` (`citing_work__<name>`). A page is up to
    1,000 rows of three joined tables; instances of them cost more than the rest of the answer."""
    return (links.select_related(None)
            .annotate(cited_doi=F("cited_work__doi"), reference_key=F("reference__key"))
            .values("created", "method", "score", "status", "cited_doi", "reference_key",
                    *(f"citing_work__{name}" for name in work_fields)))


def newest_links_to(*, acting: Member | int, owner: Member | int | None, work: Work, count: int,
                    work_fields: tuple[str, ...]) -> list[dict]:
    """The first `count` rows of cited_by_link_rows(cited_by_links(work=work)), with no period:
    the first page of a work's list, the read that most asks for, by a statement compiled once
    per process for each `count` and `work_fields` (building and compiling the query cost more
    CPU than the database took to answer a short list).

    Raises PermissionDenied as cited_by_links does.
    """
    _may_read_cited_by(acting, owner)
    shape = (count, work_fields)
    compiled = _NEWEST_LINKS.get(shape)
    if compiled is None:
        compiled = _NEWEST_LINKS.setdefault(shape, CompiledValues(
            lambda work_id: cited_by_link_rows(
                Citation.objects.filter(status__in=Citation.COUNTED, cited_work=work_id).order_by(*CITED_BY_ORDER),
                work_fields=work_fields)[:count],
            # One plan for every work: its links by the index on (cited work, newest first).
            samples=(-7_000_000_013,), prepared=True))
    return compiled(work.pk)


# newest_links_to's statements, by (count, work fields): at most a page size's worth (1 to 1,001).
_NEWEST_LINKS: dict[tuple, CompiledValues] = {}


def _may_read_cited_by(acting: Member | int, owner: Member | int | None) -> None:
    if not may_act_for(acting, owner, APIKey.Scope.RETRIEVE):
        raise PermissionDenied("Only the member that owns a work, and its agents for retrieving, read the works citing it.")


def _member_id(member: Member | int | None) -> int | None:
    return member.pk if isinstance(member, Member) else member
