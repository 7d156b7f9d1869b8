"""What the database can hold, checked before a record is written, the same on every database.

SQLite ignores `max_length` and stores integers PostgreSQL would refuse; checking here gives one
behaviour everywhere and a message naming the field, instead of an exception mid-batch.
"""
from __future__ import annotations

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

# Text columns have no limit in the database; a value this long is a broken file, not a title.
MAX_TEXT_CHARACTERS = 20_000

_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


def first_problem(instance: models.Model) -> str | None:
    """The first value of `instance` the database could not hold as given, in words; else None."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        value = getattr(instance, field.attname)
        if value is None or value == "":
            continue
        name = field.verbose_name
        if isinstance(value, str):
            limit = field.max_length if isinstance(field, models.CharField) else MAX_TEXT_CHARACTERS
            if limit and len(value) > limit:
                return f"{name} is {len(value):,} characters long; at most {limit:,} can be stored"
        elif isinstance(value, int) and not isinstance(value, bool):
            low, high = _INTEGER_RANGES.get(field.get_internal_type(), (None, None))
            if low is not None and not low <= value <= high:
                return f"{name} {value} is out of range ({low:,} to {high:,})"
    return None
