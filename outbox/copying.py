"""Many rows into a table with PostgreSQL's COPY (issue 17, «Scale»).

Why not `bulk_create`: Django binds parameters on the client, so psycopg quotes every text of
every row in Python (for the arrays of its UNNEST insert, a regular expression per element), and
each row is a model instance first (defaults computed per row, signals of `__init__`). For the
national sweep's hundreds of thousands of mails and notices that was half of a batch's time
(docs/PERFORMANCE.md). COPY sends the rows as they are, formatted by psycopg's C code; the ids
are taken from the table's sequence first, so the caller gets them back in order as from
`bulk_create`. Rows are dicts of attribute names (`user_id`, not `user`); a field a row leaves
out takes its default (auto_now and auto_now_add fields: the call's moment), computed once for
the call. PostgreSQL only: callers keep `bulk_create` for other databases.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone


def copy_insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, ignore_conflicts: bool = False
) -> list[int]:
    """Inserts `rows` into `model`'s table in the caller's transaction; their new ids in order.
    With `ignore_conflicts`, a row that breaks a unique constraint is left out, as bulk_create's
    ON CONFLICT DO NOTHING (the rows go through a temporary table; the ids returned are then the
    ones offered, whether or not the row went in)."""
    if not rows:
        return []
    if ignore_conflicts:
        with transaction.atomic():
            return _copy_through_temporary_table(model, rows)
    return _copy(model, rows, model._meta.db_table)


def _copy_through_temporary_table(model, rows) -> list[int]:
    table = model._meta.db_table
    quote = connection.ops.quote_name
    scratch = f"copy_{table}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {quote(scratch)} "
            f"(LIKE {quote(table)} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
    ids = _copy(model, rows, scratch)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} SELECT * FROM {quote(scratch)} ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"TRUNCATE {quote(scratch)}")
    return ids


def _copy(model: type[models.Model], rows: Sequence[Mapping[str, Any]], table: str) -> list[int]:
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    defaults = {
        # auto_now(_add) fields are filled by a model's save; here, the moment of the call.
        field.attname: now
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        else field.get_default()
        for field in fields
        if any(field.attname not in row for row in rows)
    }
    # JSON goes as its text (COPY reads it as jsonb input); the rest psycopg dumps itself.
    prepare = [
        (field.attname, field if isinstance(field, models.JSONField) else None) for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                values = [pk]
                for name, field in prepare:
                    value = row[name] if name in row else defaults[name]
                    if field is not None and not (value is None and field.null):
                        value = json.dumps(value, cls=field.encoder)
                    values.append(value)
                copy.write_row(values)
    return ids
