"""The full-text index behind the search box (issue 20): a GIN index over the same
`to_tsvector('russian', …)` expression the search runs (networks.find.text.matched), so that
PostgreSQL finds the rows by the index instead of stemming every row of the table (≈ 1 s at national
scale without it). The fields are named once, here, for the index and the query.

On SQLite (the embedded default, which searches in Python) the index is a plain index on the first
field: the same migrations and the same models build both databases."""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db.models import Index

CONFIG = "russian"

STRUCTURE = ("name", "topic", "participant_category")
PERSON = ("last_name", "first_name", "patronymic")
MATERIAL = ("title", "subject", "description")
EVENT = ("title",)
DISCUSSION = ("title", "body")


def vector(fields: tuple[str, ...]) -> SearchVector:
    return SearchVector(*fields, config=CONFIG)


class RussianTextIndex(GinIndex):
    def __init__(self, *, fields_text: tuple[str, ...] = (), name: str, **kwargs):
        self.fields_text = tuple(fields_text)
        kwargs.pop("fields", None)
        super().__init__(vector(self.fields_text), name=name)

    def deconstruct(self):
        super().deconstruct()
        return (
            "networks.find.indexes.RussianTextIndex",
            (),
            {"fields_text": self.fields_text, "name": self.name},
        )

    def _fallback(self) -> Index:
        return Index(fields=[self.fields_text[0]], name=self.name)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._fallback().create_sql(model, schema_editor, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._fallback().remove_sql(model, schema_editor, **kwargs)
        return super().remove_sql(model, schema_editor, **kwargs)
