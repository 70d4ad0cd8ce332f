"""Search that works the same on SQLite and PostgreSQL.

SQLite's LIKE folds case only for ASCII, so «мастерская» would not find «Мастерская». Each searchable
model keeps a `search_text` column, folded here on save, and queries are folded the same way.
"""

import re

from django.db.models import Q, QuerySet

_QUOTES = re.compile(r"[«»\"'“”„()]")
_NUMBER = re.compile(r"№\s*")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    text = (text or "").casefold().replace("ё", "е")
    text = _QUOTES.sub(" ", text)
    text = _NUMBER.sub("№", text)
    return _SPACES.sub(" ", text).strip()


def organisation_search_text(
    *, short_name: str, full_name: str, municipality: str, inn: str
) -> str:
    """Organisation.search_text; bulk writers (the registry import, generate_scale) skip save()
    and call this too."""
    return fold(" ".join([short_name, full_name, municipality, inn]))


def structure_search_text(*, name: str, topic: str, participant_category: str) -> str:
    """Structure.search_text; bulk writers skip save() and call this too."""
    return fold(" ".join([name, topic, participant_category]))


def tokens(query: str) -> list[str]:
    return [t for t in fold(query).split(" ") if t]


def search(queryset: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """Every word of the query must occur in the folded text («СОШ 2 Дмитриев»)."""
    condition = Q()
    for token in tokens(query):
        condition &= Q(**{f"{field}__contains": token})
    return queryset.filter(condition)
