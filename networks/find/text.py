"""Matching a query against text in its Russian word forms, on PostgreSQL and on SQLite."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import QuerySet

from ..search import fold
from .indexes import CONFIG, vector

MAX_QUERY = 200
# On PostgreSQL the newest this many matches of a kind are ranked and the best shown.
RANKED = 200
# The SQLite fallback reads at most this many rows in scope (the demo has a few hundred).
FALLBACK_ROWS = 5000

_WORD = re.compile(r"[0-9a-zа-я№]+")
# Endings of Russian nouns, adjectives and verbs, longest first; a stem keeps at least 4 letters
# («школами» → «школ», «наставничеству» and «наставничество» → «наставниче»). A fallback, not a
# stemmer.
_ENDINGS = sorted(
    set(
        """ами ями ого его ому ему ыми ими ая яя ое ее ые ие ый ий ой ую юю ам ям ах ях ом ем ов ев ей
    ия ие ию ии иям иях ием ь ы и а я о е у ю й ться тся ет ют ит ат ят ешь ишь ать ять ить еть
    ость ости остью ство ства ству ством стве""".split()  # noqa: SIM905
    ),
    key=len,
    reverse=True,
)


def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def matched(queryset: QuerySet, fields: tuple[str, ...], query: str, limit: int) -> list:
    """Up to `limit` rows of the queryset whose `fields` (a tuple of networks.find.indexes) hold every word of the query in some form,
    best first on PostgreSQL (rank), newest-id first on SQLite."""
    if connection.vendor == "postgresql":
        # The expression of the fields' GIN index (networks.find.indexes), so PostgreSQL uses it.
        document = vector(fields)
        search = SearchQuery(query, config=CONFIG, search_type="plain")
        # Ranking stems every matched row again: a common word («школами») matches thousands, so
        # the newest RANKED matches are ranked (the GIN index finds them; ≈ 20 ms instead of 300).
        candidates = (
            queryset.annotate(_found=document).filter(_found=search).order_by("-pk").values("pk")
        )
        return list(
            queryset.filter(pk__in=candidates[:RANKED])
            .annotate(_rank=SearchRank(document, search))
            .order_by("-_rank", "-pk")[:limit]
        )
    wanted = [stem(w) for w in words(query)]
    if not wanted:
        return []
    found = []
    for row in queryset.order_by("-pk").values_list("pk", *fields)[:FALLBACK_ROWS]:
        stems = {stem(w) for value in row[1:] for w in words(str(value or ""))}
        if all(any(s.startswith(w) for s in stems) for w in wanted):
            found.append(row[0])
            if len(found) == limit:
                break
    by_pk = queryset.in_bulk(found)
    return [by_pk[pk] for pk in found if pk in by_pk]
