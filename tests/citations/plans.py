"""The plans of lookups, for tests that check how a lookup reads: the word indexes' on PostgreSQL,
and any query's on either database (`plan_of`)."""
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def lookup_with_table_scans_off(queries: CaptureQueriesContext) -> str:
    """The statement of the one word-index lookup (the one with LATERAL) among the captured
    queries, once it is checked that a statement before it switched table scans off
    (`without_table_scans`: the planner cannot see into a lookup's array of word groups)."""
    statements = [query["sql"] for query in queries.captured_queries]
    lookup = next(n for n, statement in enumerate(statements) if "LATERAL" in statement)
    assert any("set_config('enable_seqscan', 'off'" in statement for statement in statements[:lookup]), statements
    return statements[lookup]


def plan_without_table_scans(statement: str, params=()) -> str:
    """EXPLAIN's plan of `statement`, with table scans off as the lookups run (on a test's
    handful of rows the planner would rather read the table)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + statement, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def plan_of(queryset) -> str:
    """The plan either database gives for `queryset`, with PostgreSQL's table scans off for the
    statement (on a test's handful of rows its planner would rather read the table)."""
    if connection.vendor != "postgresql":
        return queryset.explain()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        transaction.set_rollback(True)  # (SET LOCAL ends with the savepoint's rollback)
    return plan
