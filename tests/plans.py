"""The database's plan for a query a page ran, as a large table would get it."""

from django.db import connection


def plan(sql):
    """EXPLAIN of `sql` (as captured, parameters written in). On PostgreSQL with sequential
    scans and sorts discouraged: what its planner chooses when the table holds a million
    rows rather than a test's few, where reading a few index entries beats sorting them all."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off; SET enable_sort = off")
        try:
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(str(row) for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_sort")
