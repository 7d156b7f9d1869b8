"""What the database can hold, checked before a record is written, the same on every database.

SQLite ignores `max_length` and stores integers PostgreSQL would refuse; checking here gives one
behaviour everywhere and a message naming the field, instead of an exception mid-batch.
"""
from __future__ import annotations

import functools

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# Text columns have no limit in the database; a value this long is a broken file, not a title.
MAX_TEXT_CHARACTERS = 20_000

_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def first_problem(instance: models.Model) -> str | None:
    """The first value of `instance` the database could not hold as given, in words; else None."""
    for attname, name, limit, (low, high) in _checked_fields(type(instance)):
        value = getattr(instance, attname)
        if value is None or value == "":
            continue
        if isinstance(value, str):
            if limit and len(value) > limit:
                return f"{name} is {len(value):,} characters long; at most {limit:,} can be stored"
        elif isinstance(value, int) and not isinstance(value, bool):
            if low is not None and not low <= value <= high:
                return f"{name} {value} is out of range ({low:,} to {high:,})"
    return None


@functools.cache
def _checked_fields(model: type[models.Model]) -> tuple:
    """(attname, verbose name, text limit, integer range) of each field checked, worked out once
    per model: a deposit checks every one of its references, and the fields never change."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        limit = field.max_length if isinstance(field, models.CharField) else MAX_TEXT_CHARACTERS
        fields.append((field.attname, field.verbose_name, limit, _INTEGER_RANGES.get(field.get_internal_type(), (None, None))))
    return tuple(fields)
