"""`__in` on PostgreSQL as `= ANY(%s::type[])`: one array parameter instead of one per value.

For `pk__in=<900 ids>` Django writes `IN (%s, %s, ...)`, and psycopg then parses the statement
placeholder by placeholder, in Python, every time (a statement that long is past its cache):
about a tenth of a matching worker's CPU at 1,000,000 works (`bench.scale.profile_matching
--profile`: psycopg's `_split_query` and the tuples it makes). PostgreSQL turns `IN (list)` into
`= ANY(array)` itself, so the plan is the same. Django is taking the same step upstream (ticket
#37211, "Compiled __in lookup to = ANY(%s::type[]) on PostgreSQL"); this is that change for the
fields whose array type is plain, until it ships.

Only for a list of plain values on an integer or text field (a foreign key: its target's);
anything else (a subquery, expressions in the list, other field types, other databases) is
Django's own `IN`. Text values go as `text[]`, never `varchar(n)[]`: that cast would cut a longer
value down and let it match.
"""
from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.expressions import ColPairs
from django.db.models.lookups import In

INTEGER_FIELDS = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField",
}
TEXT_FIELDS = {"CharField", "TextField"}


class AnyArray:
    """`as_postgresql` of an `In` lookup, and a short way through Django's preparation of the
    values when they are what the field holds already."""

    def get_prep_lookup(self):
        # Django prepares each value (for a foreign key: normalised, then prepared twice, by the
        # key and by its target): 2-5 us a value, 1.7-4.7 ms for the 900 ids of one of matching's
        # lookups. A plain int for an integer field, or a str for a text field, comes out of all
        # that as it went in.
        if self.rhs_is_direct_value() and isinstance(self.rhs, (list, tuple, set, frozenset)) and _as_stored(self.lhs, self.rhs):
            return list(self.rhs)
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        element = None if isinstance(self.lhs, ColPairs) else array_type(self.lhs.output_field, connection)
        if element is None or not self.rhs_is_direct_value() or any(hasattr(value, "resolve_expression") for value in self.rhs):
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(dict.fromkeys(value for value in self.rhs if value is not None))  # (as In: NULL equals nothing)
        if not values:
            raise EmptyResultSet
        field = self.lhs.output_field
        if not _as_stored(self.lhs, values):
            values = [field.get_db_prep_value(value, connection, prepared=True) for value in values]
        elif type(values[0]) is int:
            # Plain ids as the array's text ("{1,2,3}"), which the cast reads: psycopg renders a
            # list value by value in Python, 1.5-1.7 ms of CPU for 900 ids against 0.4-0.6 (the
            # server's time the same).
            values = "{" + ",".join(map(str, values)) + "}"
        return f"{lhs} = ANY(%s::{element}[])", (*lhs_params, values)


class InAsAny(AnyArray, In):
    pass


class RelatedInAsAny(AnyArray, RelatedIn):  # a foreign key's `__in` (a list of ids or of model objects)
    pass


# Django's own preparation of each of those fields (a subclass of its own, such as
# portal.encrypted's, changes the value: its values always take the long way).
_STOCK_PREPARATION = {
    (field.get_prep_value, field.get_db_prep_value): int if name in INTEGER_FIELDS else str
    for name in (*INTEGER_FIELDS, *TEXT_FIELDS) for field in [getattr(models, name)]
}


def _as_stored(lhs, values) -> bool:
    """Whether every value is of the very type the column's field holds (an int for an integer
    field, a str for a text one; a bool is not an int here) and the field prepares values as
    Django does, so that preparing them changes nothing."""
    if isinstance(lhs, ColPairs) or not hasattr(lhs, "output_field"):
        return False
    field = type(_target(lhs.output_field))
    plain = _STOCK_PREPARATION.get((field.get_prep_value, field.get_db_prep_value))
    return plain is not None and all(type(value) is plain for value in values)


def _target(field):
    """The field whose values a column holds: a foreign key's target, or the field itself."""
    if field.is_relation and getattr(field, "target_field", None) is not None:
        return field.target_field
    return field


def array_type(field, connection) -> str | None:
    """The element type of the array `__in` sends for this field (None: the field keeps IN)."""
    field = _target(field)
    kind = field.get_internal_type()
    if kind in INTEGER_FIELDS:
        return field.cast_db_type(connection)
    if kind in TEXT_FIELDS:
        return "text"
    return None


def register() -> None:
    """Make `__in` these lookups for every field (DepositsConfig.ready)."""
    Field.register_lookup(InAsAny, lookup_name="in")
    ForeignObject.register_lookup(RelatedInAsAny, lookup_name="in")
