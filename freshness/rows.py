"""Writing renderers' columns back: one UPDATE statement run for every row.

What Django's bulk_update stores (each value through its field's get_db_prep_save, no
save(), no signals), without the CASE WHEN expression it builds and compiles for every row
and column: for a batch of 50 posts that cost more than rendering them.
"""

from django.db import connections, router


def write_rows(model, rows, fields):
    """Store `fields` (names) of model instances `rows` in their rows, by primary key."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 - the model's names
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns]
        + [meta.pk.get_db_prep_save(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
