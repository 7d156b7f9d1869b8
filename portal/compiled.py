"""Querysets compiled to SQL once per process, then run with other values.

Django compiles a queryset to SQL each time it is evaluated. For the few fixed-shape queries the
machine read paths run on every request (a work by its DOI, a work's reference list), compiling
took more CPU than the database took to answer. `CompiledQuery` compiles the queryset once, with
sample values standing in for the arguments, and runs that SQL as a raw query with the caller's
values in their places: the ORM stays the one description of each query. `CompiledValues` does the
same for a `.values()` queryset, whose rows come back as the dicts it would give; with
`prepared=True`, PostgreSQL also plans it once per connection (portal.prepared).
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import RawQuerySet

from portal.prepared import prepared_cursor


class CompiledQuery:
    """`build(*samples)` -> a queryset of model instances (not values()); each sample must be a
    value found nowhere else in the query, and appear among its parameters."""

    def __init__(self, build: Callable[..., QuerySet], *, samples: tuple[Any, ...]):
        self.build = build
        self.samples = samples
        self._compiled: dict[str, tuple] = {}

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> RawQuerySet:
        compiled, params = self._statement(values, using)
        model, sql = compiled[0], compiled[1]
        return model._default_manager.db_manager(using).raw(sql, params)

    def _statement(self, values: tuple, using: str) -> tuple[tuple, list]:
        """The statement compiled for `using` (on its first use), and its parameters with `values` in place."""
        if len(values) != len(self.samples):
            raise TypeError(f"this query takes {len(self.samples)} values, not {len(values)}")
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        params = list(compiled[2])
        for position, index in compiled[3]:
            params[position] = values[index]
        return compiled, params

    def sql(self, using: str = DEFAULT_DB_ALIAS) -> str:
        return self._compile(using)[1]

    def _compile(self, using: str) -> tuple:
        queryset = self.build(*self.samples)
        sql, params = queryset.query.get_compiler(using).as_sql()
        return queryset.model, sql, tuple(params), self._slots(params)

    def _slots(self, params) -> list[tuple[int, int]]:
        """Where each sample sits among the parameters: (position, index of the sample)."""
        slots = [(position, index) for position, param in enumerate(params)
                 for index, sample in enumerate(self.samples) if type(param) is type(sample) and param == sample]
        if {index for _, index in slots} != set(range(len(self.samples))):
            raise ImproperlyConfigured(f"every sample value must appear among the query's parameters: {self.samples!r} in {params!r}")
        return slots


class CompiledValues(CompiledQuery):
    """`build(*samples)` -> a `.values()` queryset; calling gives the list of dicts it would give
    (its database converters applied: dates, JSON), not a lazy queryset. `prepared=True`: a
    statement PostgreSQL prepares (portal.prepared), only for a query whose plan cannot depend on
    its values (a unique or foreign key's lookup)."""

    def __init__(self, build: Callable[..., QuerySet], *, samples: tuple[Any, ...], prepared: bool = False) -> None:
        super().__init__(build, samples=samples)
        self.prepared = prepared
        # This thread's (connection, a compiler of it, its converters of the columns) by database:
        # finding the converters cost more CPU than a short read's execution (every column's field
        # is asked each time). Per thread, as Django's connections are, and gone with the thread.
        self._converters = threading.local()

    def __call__(self, *values: Any, using: str = DEFAULT_DB_ALIAS) -> list[dict]:
        (query, sql, _, _, names, columns), params = self._statement(values, using)
        connection = connections[using]
        with prepared_cursor(using) if self.prepared else connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = self._converters.__dict__.get(using)
        if found is None or found[0] is not connection:
            # (Making a compiler compiles nothing: it is asked for its converters only.)
            compiler = query.get_compiler(connection=connection)
            found = self._converters.__dict__[using] = connection, compiler, compiler.get_converters(columns)
        _, compiler, converters = found
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [dict(zip(names, row)) for row in rows]

    def _compile(self, using: str) -> tuple:
        queryset = self.build(*self.samples)
        query = queryset.query
        if queryset._fields is None or query.extra_select:
            raise ImproperlyConfigured("CompiledValues compiles a .values() queryset (without extra())")
        compiler = query.get_compiler(using)
        sql, params = compiler.as_sql()
        # The names in the order of the columns, as Django's ValuesIterable reads them.
        names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        return query, sql, tuple(params), self._slots(params), names, columns
