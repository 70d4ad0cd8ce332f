"""What a database holds, in a form two databases can be compared by (tests/test_migrations.py):
its tables with their columns and constraints (without the names Django generates), and the
reference rows the data migrations load."""

from django.db import connection
from django.db.models import ForeignKey

REFERENCE_MODELS = (
    ("networks", "StructureKind"),
    ("mentoring", "Topic"),
    ("reporting", "DeadlineRule"),
    ("networks", "ConsentText"),
)


def schema() -> dict:
    tables = {}
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for table in introspection.get_table_list(cursor):
            if table.type != "t" or table.name == "django_migrations":
                continue
            columns = sorted(
                (column.name, str(column.type_code), bool(column.null_ok))
                for column in introspection.get_table_description(cursor, table.name)
            )
            constraints = sorted(
                repr(
                    (
                        sorted(c["columns"] or []),
                        bool(c["primary_key"]),
                        bool(c["unique"]),
                        c["foreign_key"],
                        bool(c["check"]),
                        bool(c["index"]),
                        # An expression or conditional constraint has no columns: its definition
                        # (PostgreSQL gives it) tells it apart.
                        c.get("definition") if not c["columns"] else None,
                    )
                )
                for c in introspection.get_constraints(cursor, table.name).values()
            )
            tables[table.name] = {"columns": columns, "constraints": constraints}
    return tables


def reference_rows() -> dict:
    from django.apps import apps

    rows = {}
    for app_label, name in REFERENCE_MODELS:
        model = apps.get_model(app_label, name)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        rows[name] = sorted(
            repr(
                [
                    str(getattr(obj, f.name)) if isinstance(f, ForeignKey) else getattr(obj, f.name)
                    for f in fields
                ]
            )
            for obj in model.objects.all()
        )
    return rows


def snapshot() -> dict:
    return {"schema": schema(), "reference_rows": reference_rows()}
