"""The database's plan for a query a page ran, as a large table would get it."""

from django.db import connection


def plan(sql, index_only=False):
    """EXPLAIN of `sql` (as captured, parameters written in). On PostgreSQL with sequential
    scans and sorts discouraged: what its planner chooses when the table holds a million
    rows rather than a test's few, where reading a few index entries beats sorting them all.
    `index_only`: other index reads discouraged too, so that the plan names an index that
    covers the query if there is one (a test's few rows give the planner no reason to
    prefer it)."""
    settings = ["enable_seqscan", "enable_sort"]
    if index_only:
        settings += ["enable_indexscan", "enable_bitmapscan"]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row) for row in cursor.fetchall())
        cursor.execute("; ".join(f"SET {name} = off" for name in settings))
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(str(row) for row in cursor.fetchall())
        finally:
            cursor.execute("; ".join(f"RESET {name}" for name in settings))
